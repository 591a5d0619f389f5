"""暂停发货: local holds that shipping and printing respect until the merchant releases them.

The platform has no hold state (pdd-open-api.md lists no such API), so a hold is the shop's own
and nothing is uploaded. An automation rule (``hold_risky``) places them, and the merchant does
from 发货中心 (暂停发货…); the merchant releases them in 发货中心 (解除暂停) or in 设置 → 自动化 →
暂停发货的订单. A released hold stays as history, and a rule never holds an order again that the
merchant released.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from pdd_desktop.common import clock
from pdd_desktop.common.changes import Changes
from pdd_desktop.data.db import database, write_transaction
from pdd_desktop.domain.errors import NotAllowed, ValidationError

#: Ids per ``IN (…)`` list (SQLite's default limit on bound values is 32,766).
_IN_SIZE = 500
HOLD_CHANGES = Changes(orders=True)
REASON_MAX = 200


def held_reasons(order_ids: Sequence[int]) -> dict[int, str]:
    """Order id → the reason of its open hold, for the orders among ``order_ids`` that are held."""
    out: dict[int, str] = {}
    ids = list(dict.fromkeys(order_ids))
    for start in range(0, len(ids), _IN_SIZE):
        part = ids[start : start + _IN_SIZE]
        marks = ",".join("?" * len(part))
        for oid, reason in database.execute_sql(
            f"SELECT order_id, reason FROM order_hold WHERE released_at IS NULL AND order_id IN ({marks})",
            part,
        ).fetchall():
            out.setdefault(oid, reason)
    return out


def hold_block_text(reason: str) -> str:
    """What shipping and printing say about a held order."""
    return f"订单已暂停发货（{reason}），请先解除暂停（发货中心 更多 → 解除暂停）"


def hold_order(*, order_id: int, reason: str, rule_id: int | None = None, actor: str = "user") -> Changes:
    """Hold one 待发货 order: one transaction with the hold and its audit row.

    Raises:
        ValidationError: no reason, or a reason too long.
        NotAllowed: no such order, not 待发货, or already held.
    """
    from pdd_desktop.domain.orders import OrderStatus

    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("暂停原因", "不能为空")
    if len(reason) > REASON_MAX:
        raise ValidationError("暂停原因", f"不能超过 {REASON_MAX} 个字")
    now = clock.now()
    with write_transaction():
        row = database.execute_sql(
            'SELECT order_sn, status FROM "order" WHERE id = ?', (order_id,)
        ).fetchone()
        if row is None:
            raise NotAllowed(f"订单不存在或已被删除（id {order_id}）")
        sn, status = row
        if status != OrderStatus.TO_SHIP:
            raise NotAllowed(f"订单 {sn} 不是待发货订单，不需要暂停发货")
        if held_reasons([order_id]):
            raise NotAllowed(f"订单 {sn} 已经暂停发货")
        database.execute_sql(
            "INSERT INTO order_hold (order_id, reason, rule_id, created_at, released_at, released_by) "
            "VALUES (?, ?, ?, ?, NULL, '')",
            (order_id, reason, rule_id, now),
        )
        _audit(now, actor, "hold", order_id, sn, {"reason": reason})
    return HOLD_CHANGES


#: Orders named one by one in a refusal; more are counted.
_NAMED = 5


def _named(sns: Sequence[str]) -> str:
    text = "、".join(sns[:_NAMED])
    return text if len(sns) <= _NAMED else f"{text} 等 {len(sns)} 单"


def hold_orders(*, order_ids: Sequence[int], reason: str, actor: str = "user") -> Changes:
    """Hold the selected 待发货 orders (发货中心 → 暂停发货…): all of them or none.

    One transaction with a hold and an audit row per order, like :func:`hold_order`.

    Raises:
        ValidationError: no orders, no reason, or a reason too long.
        NotAllowed: an order is gone, not 待发货, or already held (nothing is held then; the
            message names the orders).
    """
    from pdd_desktop.domain.orders import OrderStatus

    ids = list(dict.fromkeys(order_ids))
    if not ids:
        raise ValidationError("订单", "请选择要暂停发货的订单")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("暂停原因", "不能为空")
    if len(reason) > REASON_MAX:
        raise ValidationError("暂停原因", f"不能超过 {REASON_MAX} 个字")
    now = clock.now()
    with write_transaction():
        found: dict[int, tuple[str, int]] = {}
        for start in range(0, len(ids), _IN_SIZE):
            part = ids[start : start + _IN_SIZE]
            marks = ",".join("?" * len(part))
            for oid, sn, status in database.execute_sql(
                f'SELECT id, order_sn, status FROM "order" WHERE id IN ({marks})', part
            ).fetchall():
                found[oid] = (sn, status)
        missing = [oid for oid in ids if oid not in found]
        if missing:
            raise NotAllowed(
                f"订单不存在或已被删除（编号 {', '.join(map(str, missing[:_NAMED]))}），没有暂停任何订单"
            )
        not_to_ship = [found[oid][0] for oid in ids if found[oid][1] != OrderStatus.TO_SHIP]
        if not_to_ship:
            raise NotAllowed(
                f"只有待发货订单可以暂停发货：{_named(not_to_ship)} 不是待发货，没有暂停任何订单"
            )
        held = held_reasons(ids)
        if held:
            sns = [found[oid][0] for oid in ids if oid in held]
            raise NotAllowed(f"{_named(sns)} 已经暂停发货，没有暂停任何订单")
        for oid in ids:
            database.execute_sql(
                "INSERT INTO order_hold (order_id, reason, rule_id, created_at, released_at, released_by) "
                "VALUES (?, ?, NULL, ?, NULL, '')",
                (oid, reason, now),
            )
            _audit(now, actor, "hold", oid, found[oid][0], {"reason": reason})
    return HOLD_CHANGES


def release_holds(*, order_ids: Sequence[int], actor: str = "user") -> Changes:
    """Release the open holds of ``order_ids``: one transaction, an audit row per order.

    Raises:
        NotAllowed: one of the orders has no open hold (nothing is released then).
    """
    ids = list(dict.fromkeys(order_ids))
    if not ids:
        raise ValidationError("订单", "请选择要解除暂停的订单")
    now = clock.now()
    with write_transaction():
        held = held_reasons(ids)
        missing = [oid for oid in ids if oid not in held]
        if missing:
            raise NotAllowed(f"订单（编号 {', '.join(map(str, missing))}）没有暂停发货，无需解除")
        for oid in ids:
            database.execute_sql(
                "UPDATE order_hold SET released_at = ?, released_by = ? "
                "WHERE order_id = ? AND released_at IS NULL",
                (now, actor[:16], oid),
            )
            sn = database.execute_sql('SELECT order_sn FROM "order" WHERE id = ?', (oid,)).fetchone()
            _audit(now, actor, "release_hold", oid, sn[0] if sn else str(oid), {"reason": held[oid]})
    return HOLD_CHANGES


def _audit(now: int, actor: str, action: str, order_id: int, sn: str, detail: dict) -> None:
    database.execute_sql(
        "INSERT INTO audit_log (at, actor, action, entity_type, entity_id, detail_json, order_id) "
        "VALUES (?, ?, ?, 'order', ?, ?, ?)",
        (now, actor[:16], action, sn, json.dumps(detail, ensure_ascii=False), order_id),
    )


@dataclass(frozen=True)
class HeldOrder:
    """An order on hold, for the list where the merchant releases holds."""

    order_id: int
    order_sn: str
    reason: str
    held_at: int
    by_rule: bool


def held_orders(*, limit: int = 500) -> list[HeldOrder]:
    """Open holds, newest first."""
    rows = database.execute_sql(
        "SELECT h.order_id, o.order_sn, h.reason, h.created_at, h.rule_id IS NOT NULL FROM order_hold h "
        'JOIN "order" o ON o.id = h.order_id WHERE h.released_at IS NULL '
        "ORDER BY h.created_at DESC, h.id DESC LIMIT ?",
        (limit,),
    ).fetchall()
    return [HeldOrder(r[0], r[1], r[2], r[3], bool(r[4])) for r in rows]


@dataclass(frozen=True)
class HoldInfo:
    """The open hold of one order, for its detail pane."""

    reason: str
    held_at: int
    #: Who placed it: ``user`` (the merchant), or the audit actor of the automation rule
    #: (``auto:<rule>``).
    actor: str
    by_rule: bool


def open_hold(order_id: int) -> HoldInfo | None:
    """The order's open hold and who placed it, or None when it has none."""
    row = database.execute_sql(
        "SELECT h.reason, h.created_at, h.rule_id, "
        # The audit row written with the hold (same order, same second) names its actor.
        "(SELECT a.actor FROM audit_log a WHERE a.order_id = h.order_id AND a.action = 'hold' "
        "AND a.at = h.created_at ORDER BY a.id DESC LIMIT 1) "
        "FROM order_hold h WHERE h.order_id = ? AND h.released_at IS NULL ORDER BY h.id DESC LIMIT 1",
        (order_id,),
    ).fetchone()
    if row is None:
        return None
    reason, at, rule_id, actor = row
    actor = actor or ("auto:hold" if rule_id is not None else "user")
    return HoldInfo(reason, at, actor, rule_id is not None or actor.startswith("auto:"))
