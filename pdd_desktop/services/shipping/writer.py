"""The one writer every shipping path uses: packages, stock, outbox and audit rows in plain SQL."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from pdd_desktop.data import aggregates
from pdd_desktop.data.db import database
from pdd_desktop.domain.orders import OrderStatus
from pdd_desktop.services.shipping.model import CourierInfo, ShippedOrder
from pdd_desktop.services.shipping.reading import _Ord, _select_in


@dataclass(frozen=True)
class _Plan:
    """One package to write: the orders in it, courier and number (none for 无物流发货)."""

    orders: tuple[_Ord, ...]
    courier: CourierInfo | None
    tracking_number: str
    kind: str = "normal"
    override: tuple[str, str] | None = None  #: (block reason, the user's override reason)
    source: str = "single"  #: single / pool / typed / file / merged / no_logistics


def _next_id(table: str) -> int:
    return database.execute_sql(f'SELECT COALESCE(MAX(id), 0) + 1 FROM "{table}"').fetchone()[0]


def _insert_packages(conn: Any, plans: Sequence[_Plan], now: int) -> list[int]:
    first = _next_id("package")
    ids = list(range(first, first + len(plans)))
    conn.executemany(
        "INSERT INTO package (id, courier_id, tracking_number, kind, shipped_at, is_exception, void_reason, "
        "sort_code, hub) VALUES (?, ?, ?, ?, ?, 0, '', '', '')",
        [
            (pid, p.courier.id if p.courier else None, p.tracking_number, p.kind, now)
            for pid, p in zip(ids, plans, strict=True)
        ],
    )
    conn.executemany(
        "INSERT INTO package_order (package_id, order_id) VALUES (?, ?)",
        [(pid, o.id) for pid, p in zip(ids, plans, strict=True) for o in p.orders],
    )
    return ids


def _outbox_row(op_type: str, order_sn: str, payload: dict, base: dict, now: int) -> tuple:
    return (
        str(uuid.uuid4()),
        op_type,
        "order",
        order_sn,
        json.dumps(payload, ensure_ascii=False, separators=(",", ":")),
        json.dumps(base, ensure_ascii=False, separators=(",", ":")),
        now,
    )


def _insert_outbox(conn: Any, rows: list[tuple]) -> None:
    conn.executemany(
        "INSERT INTO outbox (op_id, op_type, entity_type, entity_remote_id, payload_json, base_json, state, "
        "attempts, last_error, created_at, result_json) VALUES (?, ?, ?, ?, ?, ?, 'pending', 0, '', ?, '')",
        rows,
    )


def _insert_audit(conn: Any, rows: list[tuple]) -> None:
    """Rows of (at, actor, action, order_sn, detail dict, order_id)."""
    conn.executemany(
        "INSERT INTO audit_log (at, actor, action, entity_type, entity_id, detail_json, order_id) "
        "VALUES (?, ?, ?, 'order', ?, ?, ?)",
        [
            (at, actor, action, sn, json.dumps(detail, ensure_ascii=False), oid)
            for at, actor, action, sn, detail, oid in rows
        ],
    )


def _bump_orders(conn: Any, order_ids: Iterable[int], now: int, *, ops: int = 1) -> None:
    conn.executemany(
        'UPDATE "order" SET pending_ops = pending_ops + ?, local_updated_at = ? WHERE id = ?',
        [(ops, now, oid) for oid in order_ids],
    )


def _mark_numbers_used(conn: Any, rows: Iterable[tuple[str, int]], now: int) -> None:
    """Pool numbers (if any) of these (tracking number, order id) pairs become used."""
    rows = [(number, oid) for number, oid in rows if number]
    conn.executemany(
        "UPDATE waybill_number SET state = 'used', order_id = ?, allocated_at = COALESCE(allocated_at, ?) "
        "WHERE tracking_number = ? AND state != 'cancelled'",
        [(oid, now, number) for number, oid in rows],
    )
    # A platform number carries its route codes (三段码, 集包地) onto the parcel.
    conn.executemany(
        "UPDATE package SET sort_code = w.sort_code, hub = w.hub FROM waybill_number w "
        "WHERE w.tracking_number = ? AND package.tracking_number = w.tracking_number AND w.sort_code != '' "
        "AND package.voided_at IS NULL AND package.sort_code = ''",
        [(number,) for number, _oid in rows],
    )


def _deduct_stock(conn: Any, orders: Sequence[_Ord], now: int) -> None:
    """A sale movement per order item whose SKU exists locally; SKU stock set to the running total."""
    if not orders:
        return
    items = _select_in(
        "SELECT order_id, sku_id, quantity FROM order_item WHERE order_id IN ({marks}) ORDER BY order_id, id",
        [o.id for o in orders],
    )
    if not items:
        return
    stock = dict(
        _select_in("SELECT sku_id, stock FROM sku WHERE sku_id IN ({marks})", sorted({i[1] for i in items}))
    )
    by_order: dict[int, list[tuple[int, int]]] = {}
    for order_id, sku_id, qty in items:
        by_order.setdefault(order_id, []).append((sku_id, qty))
    movements = []
    for o in orders:
        for sku_id, qty in by_order.get(o.id, ()):
            if sku_id not in stock or not qty:
                continue  # SKU deleted or never imported: nothing to count against
            stock[sku_id] -= qty
            movements.append((sku_id, now, -qty, stock[sku_id], "sale", o.id, o.order_sn))
    _write_movements(conn, movements, stock)


def _write_movements(conn: Any, movements: list[tuple], stock: dict[int, int]) -> None:
    if not movements:
        return
    conn.executemany(
        "INSERT INTO stock_movement (sku_id, at, delta, stock_after, kind, order_id, note) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        movements,
    )
    touched = {m[0] for m in movements}
    conn.executemany("UPDATE sku SET stock = ? WHERE sku_id = ?", [(stock[s], s) for s in sorted(touched)])


def _write_shipments(plans: Sequence[_Plan], now: int, *, actor: str = "user") -> list[ShippedOrder]:
    """Write packages, links, order states, stock, outbox and audit for ``plans`` (already validated).

    Must run inside a write transaction.
    """
    if not plans:
        return []
    conn = database.connection()
    package_ids = _insert_packages(conn, plans, now)
    orders = [o for p in plans for o in p.orders]
    conn.executemany(
        'UPDATE "order" SET status = ?, shipped_at = ?, local_updated_at = ?, pending_ops = pending_ops + 1 '
        "WHERE id = ?",
        [(int(OrderStatus.SHIPPED), now, now, o.id) for o in orders],
    )
    _deduct_stock(conn, orders, now)
    aggregates.refresh_shipping(conn, [o.id for o in orders])  # the late-shipping share (数据)
    outbox, audit, shipped, numbers = [], [], [], []
    for pid, plan in zip(package_ids, plans, strict=True):
        courier = plan.courier
        merged = [o.order_sn for o in plan.orders] if len(plan.orders) > 1 else None
        for o in plan.orders:
            if courier is None:
                payload = {
                    "order_sn": o.order_sn,
                    "logistics_id": None,
                    "tracking_number": "",
                    "no_logistics": True,
                    "redelivery_type": 1,
                }
            else:
                payload = {
                    "order_sn": o.order_sn,
                    "logistics_id": courier.id,
                    "tracking_number": plan.tracking_number,
                    "redelivery_type": 1,
                }
            base = {"status": o.status, "refund_status": o.refund_status}
            outbox.append(_outbox_row("ship_order", o.order_sn, payload, base, now))
            detail: dict[str, Any] = {
                "courier": courier.name if courier else "无物流",
                "courier_id": courier.id if courier else None,
                "tracking_number": plan.tracking_number,
                "package_id": pid,
                "kind": plan.kind,
                "source": plan.source,
            }
            if merged:
                detail["merged_orders"] = merged
            if plan.override:
                detail["blocked_reason"], detail["override_reason"] = plan.override
            audit.append((now, actor, "ship", o.order_sn, detail, o.id))
            shipped.append(
                ShippedOrder(o.id, o.order_sn, courier.id if courier else None, plan.tracking_number, pid)
            )
        if plan.tracking_number:
            numbers.append((plan.tracking_number, plan.orders[0].id))
    _insert_outbox(conn, outbox)
    _insert_audit(conn, audit)
    _mark_numbers_used(conn, numbers, now)
    return shipped
