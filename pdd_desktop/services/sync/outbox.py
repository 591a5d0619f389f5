"""The outbox panel: list the ops, retry or discard one (the user's side of the push)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from pdd_desktop.common import clock
from pdd_desktop.common.changes import Changes
from pdd_desktop.data.db import database, write_transaction
from pdd_desktop.domain import sync_rules as rules
from pdd_desktop.services.sync.plugin import Registry
from pdd_desktop.services.sync.registry import DEFAULT


@dataclass(frozen=True)
class OutboxRow:
    """One outbox op for the outbox panel."""

    id: int
    op_id: str
    op_type: str
    op_label: str
    entity_remote_id: str
    state: str
    state_label: str
    attempts: int
    last_error: str
    created_at: int
    next_attempt_at: float | None  #: wall-clock epoch seconds of the next try (None: as soon as possible)
    entity_label: str = ""  #: what the user calls the entity: the order number, a goods name and spec


def list_outbox(
    *, states: Sequence[str] | None = None, limit: int = 500, registry: Registry | None = None
) -> list[OutboxRow]:
    """Ops newest first; by default the ones not yet done (pending … conflict).

    Op labels come from ``registry`` (default: the app's).
    """
    reg = registry or DEFAULT
    wanted = tuple(states) if states else rules.OPEN_STATES
    marks = ",".join("?" * len(wanted))
    rows = database.execute_sql(
        "SELECT id, op_id, op_type, entity_remote_id, state, "
        "attempts, last_error, created_at, next_attempt_at, entity_type "
        f"FROM outbox WHERE state IN ({marks}) ORDER BY id DESC LIMIT ?",
        (*wanted, limit),
    ).fetchall()
    labels = entity_labels((r[9], r[3]) for r in rows)
    out = []
    for rid, op_id, op_type, entity, state, attempts, err, created, nxt, kind in rows:
        label = rules.state_label(state)
        if state in (rules.PENDING, rules.UNKNOWN) and attempts >= rules.ATTENTION_ATTEMPTS:
            label += "（多次失败）"
        out.append(
            OutboxRow(
                rid,
                op_id,
                op_type,
                reg.op_label(op_type),
                entity,
                state,
                label,
                attempts,
                err,
                created,
                nxt,
                labels.get((kind, entity), entity),
            )
        )
    return out


def entity_labels(pairs: Iterable[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """What the outbox and conflict lists call each (entity type, remote id).

    An order's number, a SKU's goods name and spec, a goods name, 售后 and the case id; the
    remote id itself for anything else (the callers default to it).
    """
    wanted: dict[str, set[str]] = {}
    for kind, remote_id in pairs:
        wanted.setdefault(kind, set()).add(str(remote_id))
    out: dict[tuple[str, str], str] = {}
    for remote_id in wanted.get("after_sale", ()):
        out[("after_sale", remote_id)] = f"售后 {remote_id}"
    for remote_id in wanted.get("waybill", ()):
        out[("waybill", remote_id)] = f"电子面单 {remote_id}"
    skus = sorted(int(x) for x in wanted.get("sku", ()) if x.isdigit())
    for i in range(0, len(skus), 500):
        chunk = skus[i : i + 500]
        for sku_id, name, spec in database.execute_sql(
            "SELECT s.sku_id, g.name, s.spec FROM sku s JOIN goods g ON g.goods_id = s.goods_id "
            f"WHERE s.sku_id IN ({','.join('?' * len(chunk))})",
            chunk,
        ).fetchall():
            out[("sku", str(sku_id))] = f"{name}（{spec}）" if spec else name
    goods = sorted(int(x) for x in wanted.get("goods", ()) if x.isdigit())
    for i in range(0, len(goods), 500):
        chunk = goods[i : i + 500]
        for goods_id, name in database.execute_sql(
            f"SELECT goods_id, name FROM goods WHERE goods_id IN ({','.join('?' * len(chunk))})", chunk
        ).fetchall():
            out[("goods", str(goods_id))] = name
    return out


_SYNC_CHANGES = Changes(orders=True, shipments=True, sync=True)


def _op_row(op_id: str) -> tuple:
    row = database.execute_sql(
        "SELECT id, op_type, entity_type, entity_remote_id, state, payload_json, result_json FROM outbox "
        "WHERE op_id = ?",
        (op_id,),
    ).fetchone()
    if row is None:
        from pdd_desktop.domain.errors import NotAllowed

        raise NotAllowed("找不到该上传记录")
    return row


def retry_op(*, op_id: str) -> Changes:
    """Send a failed (or waiting) op again as soon as possible.

    Raises:
        NotAllowed: the op does not exist or is not failed_permanent / pending.
    """
    from pdd_desktop.domain.errors import NotAllowed

    with write_transaction():
        _id, _t, _e, _sn, state, _p, _r = _op_row(op_id)
        if state not in (rules.FAILED, rules.PENDING):
            raise NotAllowed(f"该记录当前为「{rules.state_label(state)}」，不能重试")
        database.execute_sql(
            "UPDATE outbox SET state = 'pending', next_attempt_at = NULL, attempts = 0 WHERE op_id = ?",
            (op_id,),
        )
    return _SYNC_CHANGES


def discard_op(*, op_id: str) -> Changes:
    """Give up an op that the platform has not acknowledged: it becomes cancelled (kept, audited).

    The local change stays as it is (a shipment discarded here is not undone locally: the user
    decides with 取消发货 / 修改发货 in the order page).

    Raises:
        NotAllowed: the op does not exist, already succeeded, or is being sent right now.
    """
    from pdd_desktop.domain.errors import NotAllowed

    now = clock.now()
    with write_transaction():
        _id, op_type, entity_type, sn, state, payload, _r = _op_row(op_id)
        if state in (rules.SUCCEEDED, rules.CANCELLED):
            raise NotAllowed("该记录已完成，不能放弃")
        if state == rules.IN_FLIGHT:
            raise NotAllowed("该记录正在上传，请稍后再试")
        database.execute_sql(
            "UPDATE outbox SET state = 'cancelled', completed_at = "
            "?, last_error = '用户放弃' WHERE op_id = ?",
            (now, op_id),
        )
        database.execute_sql(
            "UPDATE sync_conflict SET resolution = 'keep_remote', resolved_at = ? WHERE op_id = ? "
            "AND resolved_at IS NULL",
            (now, op_id),
        )
        order_id = None
        if entity_type == "order":
            database.execute_sql(
                'UPDATE "order" SET pending_ops = MAX(0, pending_ops - 1) WHERE order_sn = ?', (sn,)
            )
            _refresh_conflict_flag(sn)
            row = database.execute_sql('SELECT id FROM "order" WHERE order_sn = ?', (sn,)).fetchone()
            order_id = row[0] if row else None
        database.execute_sql(
            "INSERT INTO audit_log (at, actor, action, entity_type, entity_id, detail_json, order_id) "
            "VALUES (?, 'user', 'discard_op', ?, ?, ?, ?)",
            (
                now,
                entity_type[:16],
                sn,
                json.dumps(
                    {"op_id": op_id, "op_type": op_type, "state": state, "payload": json.loads(payload)},
                    ensure_ascii=False,
                ),
                order_id,
            ),
        )
    return _SYNC_CHANGES


def _refresh_conflict_flag(order_sn: str) -> None:
    database.execute_sql(
        'UPDATE "order" SET has_conflict = EXISTS (SELECT 1 FROM '
        "sync_conflict c WHERE c.entity_type = 'order' "
        "AND c.entity_remote_id = ? AND c.resolved_at IS NULL) WHERE order_sn = ?",
        (order_sn, order_sn),
    )
