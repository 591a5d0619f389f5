"""Conflicts: where the user's change and the platform disagree, and their resolution."""

from __future__ import annotations

import json
from dataclasses import dataclass

from pdd_desktop.common import clock
from pdd_desktop.common.changes import Changes
from pdd_desktop.data.db import database, write_transaction
from pdd_desktop.domain import sync_rules as rules
from pdd_desktop.services.sync.outbox import _SYNC_CHANGES, _op_row, _refresh_conflict_flag, entity_labels


@dataclass(frozen=True)
class ConflictRow:
    """A field where the user's change and the platform disagree."""

    id: int
    entity_type: str
    entity_remote_id: str
    field: str
    field_label: str
    base_value: str | None
    local_value: str | None
    remote_value: str | None
    detected_at: int
    entity_label: str = ""  #: the order number, or a goods name and spec


FIELD_LABELS = {"seller_memo": "商家备注/旗帜", "stock": "库存", "price": "价格"}


def list_conflicts(*, include_resolved: bool = False) -> list[ConflictRow]:
    """Conflicts, newest first (unresolved only unless asked)."""
    where = "" if include_resolved else "WHERE resolved_at IS NULL"
    rows = database.execute_sql(
        "SELECT id, entity_type, entity_remote_id, field, base_value, local_value, remote_value, detected_at "
        f"FROM sync_conflict {where} ORDER BY id DESC"
    ).fetchall()
    labels = entity_labels((r[1], r[2]) for r in rows)
    return [
        ConflictRow(
            r[0], r[1], r[2], r[3], FIELD_LABELS.get(r[3], r[3]), *r[4:], labels.get((r[1], r[2]), r[2])
        )
        for r in rows
    ]


def resolve_conflict(*, conflict_id: int, resolution: str) -> Changes:
    """Resolve a conflict explicitly.

    ``keep_local``: send ours again with the platform's value as the new base.
    ``keep_remote``: take the platform's value locally and cancel ours.

    Raises:
        NotAllowed: unknown or resolved conflict, or an unknown resolution.
    """
    from pdd_desktop.domain.errors import NotAllowed

    if resolution not in ("keep_local", "keep_remote"):
        raise NotAllowed(f"未知的处理方式：{resolution}")
    now = clock.now()
    with write_transaction():
        row = database.execute_sql(
            "SELECT entity_type, entity_remote_id, field, op_id, resolved_at FROM sync_conflict WHERE id = ?",
            (conflict_id,),
        ).fetchone()
        if row is None or row[4] is not None:
            raise NotAllowed("该冲突不存在或已处理")
        entity_type, sn, field, op_id, _resolved = row
        op = _op_row(op_id) if op_id else None
        remote = {}
        if op is not None:
            try:
                remote = json.loads(op[6] or "{}").get("remote") or {}
            except ValueError:
                remote = {}
        if resolution == "keep_local":
            if op is not None and op[4] == rules.CONFLICT:
                if field == "seller_memo":
                    base = {"note": remote.get("note", ""), "tag": remote.get("tag")}
                elif field == "stock":
                    base = {"quantity": remote.get("value")}
                else:
                    value = remote.get("value") or [None, None]
                    base = {"group_price_fen": value[0], "single_price_fen": value[1]}
                database.execute_sql(
                    "UPDATE outbox SET state = 'pending', base_json = ?, "
                    "attempts = 0, next_attempt_at = NULL, "
                    "last_error = '保留本地：按平台当前值重新上传' WHERE op_id = ?",
                    (json.dumps(base, ensure_ascii=False), op_id),
                )
        else:
            if field == "seller_memo" and entity_type == "order":
                tag = remote.get("tag")
                database.execute_sql(
                    'UPDATE "order" SET seller_memo = ?, flag = ?, flag_name = ?, local_updated_at = ? '
                    "WHERE order_sn = ?",
                    (remote.get("note", ""), tag, remote.get("tag_name", "") if tag else "", now, sn),
                )
            if entity_type == "sku" and field in ("stock", "price") and "value" in remote:
                _take_remote_sku_value(int(sn), field, remote["value"], now)
            if op is not None and op[4] not in (rules.SUCCEEDED, rules.CANCELLED):
                database.execute_sql(
                    "UPDATE outbox SET state = 'cancelled', completed_at = ?, last_error = '保留平台的值' "
                    "WHERE op_id = ?",
                    (now, op_id),
                )
                if entity_type == "order":
                    database.execute_sql(
                        'UPDATE "order" SET pending_ops = MAX(0, pending_ops - 1) WHERE order_sn = ?', (sn,)
                    )
        database.execute_sql(
            "UPDATE sync_conflict SET resolution = ?, resolved_at = ? WHERE id = ?",
            (resolution, now, conflict_id),
        )
        if entity_type == "order":
            _refresh_conflict_flag(sn)
        database.execute_sql(
            "INSERT INTO audit_log (at, actor, action, entity_type, entity_id, detail_json, order_id) "
            "VALUES (?, 'user', 'resolve_conflict', ?, ?, ?, NULL)",
            (
                now,
                entity_type[:16],
                sn,
                json.dumps({"field": field, "resolution": resolution}, ensure_ascii=False),
            ),
        )
    return _SYNC_CHANGES | Changes(goods=entity_type == "sku")


def _take_remote_sku_value(sku_id: int, field: str, value, now: int) -> None:
    """keep_remote on a SKU: the platform's stock (logged as a movement) or prices, locally."""
    if field == "stock":
        row = database.execute_sql("SELECT stock FROM sku WHERE sku_id = ?", (sku_id,)).fetchone()
        if row is None or value is None or int(value) == row[0]:
            return
        database.execute_sql("UPDATE sku SET stock = ? WHERE sku_id = ?", (int(value), sku_id))
        database.execute_sql(
            "INSERT INTO stock_movement (sku_id, at, delta, stock_after, kind, note) "
            "VALUES (?, ?, ?, ?, 'sync', '冲突处理：保留平台库存')",
            (sku_id, now, int(value) - row[0], int(value)),
        )
        return
    group, single = [*value, None, None][:2] if isinstance(value, list | tuple) else (None, None)
    database.execute_sql(
        "UPDATE sku SET group_price_fen = COALESCE(?, group_price_fen), "
        "single_price_fen = COALESCE(?, single_price_fen) WHERE sku_id = ?",
        (group, single, sku_id),
    )
