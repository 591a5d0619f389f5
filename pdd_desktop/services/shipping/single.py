"""Shipping one order, orders without logistics, and merged orders in one parcel."""

from __future__ import annotations

from collections.abc import Sequence

from pdd_desktop.common import clock
from pdd_desktop.common.changes import Changes
from pdd_desktop.data.db import database, write_transaction
from pdd_desktop.domain import shipping as rules
from pdd_desktop.domain.errors import NotAllowed, ValidationError
from pdd_desktop.domain.orders import OrderStatus
from pdd_desktop.domain.privacy import masked_street
from pdd_desktop.services.holds import held_reasons
from pdd_desktop.services.shipping.model import KIND_NO_LOGISTICS, SHIP_CHANGES, MergeGroup
from pdd_desktop.services.shipping.reading import (
    _ORDER_COLS,
    _courier,
    _ensure_numbers_free,
    _guard_or_raise,
    _load_orders,
    _one_order,
    _Ord,
)
from pdd_desktop.services.shipping.writer import _Plan, _write_shipments


def ship_order(
    *, order_id: int, courier_id: int, tracking_number: str, override_reason: str | None = None
) -> Changes:
    """Ship one order with a courier and a tracking number (首次发货).

    Args:
        order_id: local order id.
        courier_id: the platform's logistics company id.
        tracking_number: as typed or scanned; normalised and checked against the courier's format.
        override_reason: required to ship an order with an open refund request or a refund; recorded.

    Returns:
        What changed.

    Raises:
        ValidationError: bad courier or tracking number, or the number is on another live package.
        NotAllowed: the order may not ship (with the reason).
    """
    courier = _courier(courier_id)
    number = rules.check_tracking_number(courier.pattern, tracking_number, courier.name)
    now = clock.now()
    with write_transaction():
        order = _one_order(order_id)
        override = _guard_or_raise(order, override_reason)
        _ensure_numbers_free([number], [order.id])
        _write_shipments([_Plan((order,), courier, number, override=override)], now)
    return SHIP_CHANGES


def ship_without_logistics(*, order_ids: Sequence[int], override_reason: str | None = None) -> Changes:
    """无物流发货: ship orders that need no parcel; one courier-less package per order.

    All orders ship or none: one that may not ship raises and nothing is written.

    Args:
        order_ids: local order ids.
        override_reason: required for orders with a refund request or refund; recorded.

    Raises:
        NotAllowed: an order is missing or may not ship (named in the message).
    """
    ids = list(dict.fromkeys(order_ids))
    if not ids:
        raise ValidationError("订单", "请选择要发货的订单")
    now = clock.now()
    with write_transaction():
        orders = _load_orders(ids)
        plans = []
        for oid in ids:
            order = orders.get(oid)
            if order is None:
                raise NotAllowed(f"订单不存在（编号 {oid}）")
            override = _guard_or_raise(order, override_reason)
            plans.append(
                _Plan((order,), None, "", KIND_NO_LOGISTICS, override=override, source="no_logistics")
            )
        _write_shipments(plans, now)
    return SHIP_CHANGES


def merge_suggestions() -> list[MergeGroup]:
    """Groups of two or more 待发货 orders of one buyer to the very same receiver, none blocked.

    Computed each time (nothing is stored), so splitting a group before shipping needs no action.
    Sorted by the earliest ship deadline in each group.
    """
    rows = database.execute_sql(
        f"SELECT {_ORDER_COLS}, ship_deadline_at, buyer_nickname, receiver_name_mask, address_mask "
        'FROM "order" WHERE status = ? ORDER BY ship_deadline_at, id',
        (int(OrderStatus.TO_SHIP),),
    ).fetchall()
    groups: dict[rules.MergeKey, list[tuple]] = {}
    held = held_reasons([r[0] for r in rows])
    for row in rows:
        key = _Ord(*row[:14], held=held.get(row[0], "")).merge_key()
        if key is not None:
            groups.setdefault(key, []).append(row)
    out = []
    for members in groups.values():
        if len(members) < 2:
            continue
        deadlines = [m[14] for m in members if m[14] is not None]
        out.append(
            MergeGroup(
                order_ids=tuple(m[0] for m in members),
                order_sns=tuple(m[1] for m in members),
                buyer_nickname=members[0][15],
                receiver_name_mask=members[0][16],
                address_mask=masked_street(members[0][17]),
                earliest_deadline_at=min(deadlines) if deadlines else None,
            )
        )
    out.sort(key=lambda g: (g.earliest_deadline_at is None, g.earliest_deadline_at or 0, g.order_ids))
    return out


def ship_merged(*, order_ids: Sequence[int], courier_id: int, tracking_number: str) -> Changes:
    """合并发货: several orders of one buyer to one receiver in one parcel with one number.

    Each order still gets its own outbox op, stock movements and audit row.

    Raises:
        NotAllowed: fewer than two orders, a missing order, or orders that are not mergeable.
        ValidationError: bad courier or tracking number.
    """
    ids = list(dict.fromkeys(order_ids))
    courier = _courier(courier_id)
    number = rules.check_tracking_number(courier.pattern, tracking_number, courier.name)
    now = clock.now()
    with write_transaction():
        orders = _load_orders(ids)
        missing = [oid for oid in ids if oid not in orders]
        if missing:
            raise NotAllowed(f"订单不存在（编号 {', '.join(map(str, missing))}）")
        members = tuple(orders[oid] for oid in ids)
        refusal = rules.merge_refusal([o.merge_key() for o in members])
        if refusal:
            raise NotAllowed(refusal)
        _ensure_numbers_free([number], ids)
        _write_shipments([_Plan(members, courier, number, source="merged")], now)
    return SHIP_CHANGES
