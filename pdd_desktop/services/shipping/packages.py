"""Extra parcels, modified and cancelled shipments, and the live packages of an order."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pdd_desktop.common import clock
from pdd_desktop.common.changes import Changes
from pdd_desktop.data import aggregates
from pdd_desktop.data.db import database, write_transaction
from pdd_desktop.domain import shipping as rules
from pdd_desktop.domain.errors import NotAllowed, ValidationError
from pdd_desktop.domain.orders import OrderStatus
from pdd_desktop.services.shipping.model import _SHIP_OP_TYPES, PACKAGE_CHANGES, SHIP_CHANGES, ExtraKind
from pdd_desktop.services.shipping.reading import (
    _courier,
    _ensure_numbers_free,
    _load_orders,
    _one_order,
    _Ord,
    _select_in,
)
from pdd_desktop.services.shipping.writer import (
    _bump_orders,
    _insert_audit,
    _insert_outbox,
    _insert_packages,
    _mark_numbers_used,
    _outbox_row,
    _Plan,
    _write_movements,
)


def add_extra_package(*, order_id: int, courier_id: int, tracking_number: str, kind: ExtraKind) -> Changes:
    """Add a parcel to a shipped order: 分包 (extra), 补发 (resend) or 赠品 (gift).

    Uploaded with ``pdd.order.upload.extra.logistics``; stock is not touched.

    Raises:
        ValidationError: unknown kind, bad courier or number, number already in use.
        NotAllowed: the order has not shipped.
    """
    if kind not in rules.EXTRA_TRACK_TYPES:
        raise ValidationError("包裹类型", f"应为分包、补发或赠品，收到 {kind!r}")
    courier = _courier(courier_id)
    number = rules.check_tracking_number(courier.pattern, tracking_number, courier.name)
    now = clock.now()
    with write_transaction():
        order = _one_order(order_id)
        if order.status not in (OrderStatus.SHIPPED, OrderStatus.SIGNED):
            raise NotAllowed(f"订单 {order.order_sn} 还没有发货，不能添加{rules.EXTRA_KIND_LABELS[kind]}包裹")
        _ensure_numbers_free([number], [order.id])
        conn = database.connection()
        (pid,) = _insert_packages(conn, [_Plan((order,), courier, number, kind=kind)], now)
        payload = {
            "order_sn": order.order_sn,
            "extra_track_list": [{"shipping_id": courier.id, "tracking_number": number}],
            "extra_track_type": rules.EXTRA_TRACK_TYPES[kind],
        }
        _insert_outbox(
            conn, [_outbox_row("extra_logistics", order.order_sn, payload, {"status": order.status}, now)]
        )
        _bump_orders(conn, [order.id], now)
        detail = {
            "kind": kind,
            "courier": courier.name,
            "courier_id": courier.id,
            "tracking_number": number,
            "package_id": pid,
        }
        _insert_audit(conn, [(now, "user", "add_package", order.order_sn, detail, order.id)])
        _mark_numbers_used(conn, [(number, order.id)], now)
    return PACKAGE_CHANGES


def check_parcel_number(courier_id: int, tracking_number: str) -> tuple[int, str, str]:
    """(courier id, courier name, normalised number) as the ship dialogs check them.

    Raises:
        ValidationError: unknown or disabled courier, or a number that does not fit its format.
    """
    courier = _courier(courier_id)
    return (
        courier.id,
        courier.name,
        rules.check_tracking_number(courier.pattern, tracking_number, courier.name),
    )


def record_resend_parcel(*, order_id: int, courier_id: int, tracking_number: str, now: int) -> int:
    """Store a 补寄/换货 parcel of an after-sales case as a package of kind ``resend``.

    Runs inside the caller's write transaction; the caller queues the platform op (the case's
    ``pdd.refund.exchange.shipping``, not the order's extra-logistics upload). The number must be
    free (the same guard as every shipment). Returns the package id.

    Raises:
        ValidationError: bad courier or number, or the number is on another live parcel.
    """
    courier = _courier(courier_id)
    number = rules.check_tracking_number(courier.pattern, tracking_number, courier.name)
    order = _one_order(order_id)
    _ensure_numbers_free([number], [order.id])
    conn = database.connection()
    (pid,) = _insert_packages(conn, [_Plan((order,), courier, number, kind="resend")], now)
    _mark_numbers_used(conn, [(number, order.id)], now)
    return pid


def _package_row(package_id: int) -> tuple | None:
    return database.execute_sql(
        "SELECT p.id, p.courier_id, p.tracking_number, p.kind, p.voided_at, COALESCE(c.name, '无物流') "
        "FROM package p LEFT JOIN courier c ON c.id = p.courier_id WHERE p.id = ?",
        (package_id,),
    ).fetchone()


def _package_order_ids(package_ids: Sequence[int]) -> list[int]:
    rows = _select_in(
        "SELECT DISTINCT order_id FROM package_order WHERE package_id IN ({marks}) ORDER BY order_id",
        package_ids,
    )
    return [r[0] for r in rows]


def modify_shipment(
    *, order_id: int, package_id: int, courier_id: int, tracking_number: str, reason: str
) -> Changes:
    """修改发货: replace a shipped order's parcel with a new courier / number.

    The old package is voided (kept with its number for history), the new one is linked to the
    same orders (all of a merged parcel), and each order gets a ``modify_shipment`` op with
    ``redelivery_type`` 2. Stock is not deducted again.

    Raises:
        ValidationError: missing reason, bad courier or number, number in use, nothing changed.
        NotAllowed: the order is not 已发货, or the package is voided, foreign or an extra parcel.
    """
    why = (reason or "").strip()
    if not why:
        raise ValidationError("修改原因", "不能为空")
    courier = _courier(courier_id)
    number = rules.check_tracking_number(courier.pattern, tracking_number, courier.name)
    now = clock.now()
    with write_transaction():
        order = _one_order(order_id)
        if order.status != OrderStatus.SHIPPED:
            raise NotAllowed(f"订单 {order.order_sn} 不是已发货（待签收）状态，不能修改发货")
        old = _package_row(package_id)
        linked = _package_order_ids([package_id]) if old else []
        if old is None or order.id not in linked:
            raise NotAllowed(f"包裹 {package_id} 不属于订单 {order.order_sn}")
        _pid, old_courier_id, old_number, old_kind, voided_at, old_courier_name = old
        if voided_at is not None:
            raise NotAllowed("该包裹已作废，不能再修改")
        if old_kind not in ("normal", "none"):
            raise NotAllowed("分包、补发或赠品包裹不能修改发货，请重新添加包裹")
        if old_courier_id == courier.id and old_number == number:
            raise ValidationError("快递单号", "与原发货信息相同，无需修改")
        orders = _load_orders(linked)
        members = [orders[oid] for oid in linked]
        not_shipped = [o.order_sn for o in members if o.status != OrderStatus.SHIPPED]
        if not_shipped:
            raise NotAllowed(f"同包裹的订单 {', '.join(not_shipped)} 不是已发货状态，不能修改发货")
        _ensure_numbers_free([number], linked, exclude_packages=[package_id])
        conn = database.connection()
        conn.execute("UPDATE package SET voided_at = ?, void_reason = ? WHERE id = ?", (now, why, package_id))
        (new_id,) = _insert_packages(conn, [_Plan(tuple(members), courier, number)], now)
        outbox, audit = [], []
        for o in members:
            payload = {
                "order_sn": o.order_sn,
                "logistics_id": courier.id,
                "tracking_number": number,
                "redelivery_type": 2,
            }
            base = {"status": o.status, "logistics_id": old_courier_id, "tracking_number": old_number}
            outbox.append(_outbox_row("modify_shipment", o.order_sn, payload, base, now))
            detail = {
                "reason": why,
                "old": {
                    "package_id": package_id,
                    "courier": old_courier_name,
                    "courier_id": old_courier_id,
                    "tracking_number": old_number,
                },
                "new": {
                    "package_id": new_id,
                    "courier": courier.name,
                    "courier_id": courier.id,
                    "tracking_number": number,
                },
            }
            audit.append((now, "user", "modify_shipment", o.order_sn, detail, o.id))
        _insert_outbox(conn, outbox)
        _bump_orders(conn, [o.id for o in members], now)
        _insert_audit(conn, audit)
        _mark_numbers_used(conn, [(number, members[0].id)], now)
    return PACKAGE_CHANGES


SYNCED_MESSAGE = "已同步到平台，只能修改发货"


def cancel_shipment(*, order_id: int, reason: str) -> Changes:
    """Undo a local shipment that has not been sent to the platform yet.

    The order returns to 待发货, its live packages are voided (kept for history), the units go
    back to stock (movement kind ``cancel``), and its pending shipping ops become ``cancelled``.
    A merged parcel is one unit: every order in it is cancelled together. Pool numbers stay
    ``used``: the pool never hands them out again.

    Raises:
        ValidationError: missing reason.
        NotAllowed: not 已发货, or a shipping op of the order (or its parcel) was already sent
            ("已同步到平台，只能修改发货").
    """
    why = (reason or "").strip()
    if not why:
        raise ValidationError("取消原因", "不能为空")
    now = clock.now()
    with write_transaction():
        order = _one_order(order_id)
        if order.status != OrderStatus.SHIPPED:
            raise NotAllowed(f"订单 {order.order_sn} 不是已发货（待签收）状态，不能取消发货")
        packages = _live_packages([order.id])
        group_ids = sorted({order.id, *_package_order_ids([p[0] for p in packages])})
        orders = _load_orders(group_ids)
        members = [orders[oid] for oid in group_ids]
        if any(o.status != OrderStatus.SHIPPED for o in members):
            raise NotAllowed("同包裹的其他订单不是已发货状态，不能取消发货")
        packages = _live_packages(group_ids)
        ops = _select_in(
            "SELECT id, entity_remote_id, op_type, state FROM outbox WHERE entity_type = 'order' "
            f"AND op_type IN ({','.join('?' * len(_SHIP_OP_TYPES))}) AND state != 'cancelled' "
            "AND entity_remote_id IN ({marks})",
            [o.order_sn for o in members],
            prefix=_SHIP_OP_TYPES,
        )
        for o in members:
            mine = [op for op in ops if op[1] == o.order_sn]
            if not any(op[2] == "ship_order" for op in mine) or any(op[3] != "pending" for op in mine):
                raise NotAllowed(f"订单 {o.order_sn} {SYNCED_MESSAGE}")
        conn = database.connection()
        conn.executemany(
            "UPDATE package SET voided_at = ?, void_reason = ? WHERE id = ?",
            [(now, why, p[0]) for p in packages],
        )
        conn.executemany(
            "UPDATE outbox SET state = 'cancelled', completed_at = ? WHERE id = ?",
            [(now, op[0]) for op in ops],
        )
        cancelled_per_order = {o.order_sn: sum(1 for op in ops if op[1] == o.order_sn) for o in members}
        conn.executemany(
            'UPDATE "order" SET status = ?, shipped_at = NULL, local_updated_at = ?, '
            "pending_ops = MAX(0, pending_ops - ?) WHERE id = ?",
            [(int(OrderStatus.TO_SHIP), now, cancelled_per_order[o.order_sn], o.id) for o in members],
        )
        _return_stock(conn, members, now)
        aggregates.refresh_shipping(conn, [o.id for o in members])  # the late-shipping share (数据)
        described = [{"package_id": p[0], "courier": p[2], "tracking_number": p[1]} for p in packages]
        merged = [o.order_sn for o in members] if len(members) > 1 else None
        audit = []
        for o in members:
            detail: dict[str, Any] = {"reason": why, "packages": described}
            if merged:
                detail["merged_orders"] = merged
            audit.append((now, "user", "cancel_shipment", o.order_sn, detail, o.id))
        _insert_audit(conn, audit)
    return SHIP_CHANGES


def _live_packages(order_ids: Sequence[int]) -> list[tuple[int, str, str]]:
    """(package id, tracking number, courier name) of the live packages of these orders."""
    return _select_in(
        "SELECT DISTINCT p.id, p.tracking_number, COALESCE(c.name, '无物流') FROM package p "
        "JOIN package_order po ON po.package_id = p.id LEFT JOIN courier c ON c.id = p.courier_id "
        "WHERE p.voided_at IS NULL AND po.order_id IN ({marks}) ORDER BY p.id",
        order_ids,
    )


@dataclass(frozen=True)
class PackageInfo:
    """A live parcel of an order, for choosing the one to modify (修改发货)."""

    id: int
    courier_id: int | None
    courier_name: str
    tracking_number: str
    kind: str  #: normal / none / extra / resend / gift


def live_packages(order_id: int) -> list[PackageInfo]:
    """The order's parcels that are not voided, oldest first."""
    rows = database.execute_sql(
        "SELECT p.id, p.courier_id, COALESCE(c.name, '无物流'), p.tracking_number, p.kind FROM package p "
        "JOIN package_order po ON po.package_id = p.id LEFT JOIN courier c ON c.id = p.courier_id "
        "WHERE p.voided_at IS NULL AND po.order_id = ? ORDER BY p.id",
        (order_id,),
    ).fetchall()
    return [PackageInfo(*r) for r in rows]


def _return_stock(conn: Any, orders: Sequence[_Ord], now: int) -> None:
    """Give back what the orders' sales took (net of earlier cancels), one ``cancel`` movement per SKU."""
    net = _select_in(
        "SELECT order_id, sku_id, SUM(delta) FROM stock_movement WHERE kind IN ('sale', 'cancel') "
        "AND order_id IN ({marks}) GROUP BY order_id, sku_id HAVING SUM(delta) != 0 "
        "ORDER BY order_id, sku_id",
        [o.id for o in orders],
    )
    if not net:
        return
    stock = dict(
        _select_in("SELECT sku_id, stock FROM sku WHERE sku_id IN ({marks})", sorted({r[1] for r in net}))
    )
    sns = {o.id: o.order_sn for o in orders}
    movements = []
    for order_id, sku_id, taken in net:
        if sku_id not in stock:
            continue
        stock[sku_id] -= taken
        movements.append((sku_id, now, -taken, stock[sku_id], "cancel", order_id, sns[order_id]))
    _write_movements(conn, movements, stock)
