"""发货中心 use cases: single, batch, file, no-logistics and merged shipments; extra, modified, cancelled.

Also the platform's bulk-ship upload file.

Every change is one ``write_transaction()`` holding the order rows, the package(s), the stock
movements, one outbox row per order (sync.md: absolute payload, the values the user saw in
``base_json``) and one audit row per order. Batches commit in chunks of :data:`CHUNK` orders, so
an order is shipped wholly or not at all and a cancel keeps the chunks already done.

Writes use plain SQL through the bound connection (``executemany``): ten thousand orders ship in
about a second instead of the minute that per-row ORM saves would take.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, NamedTuple

from pdd_desktop.common import clock
from pdd_desktop.common.changes import Changes
from pdd_desktop.common.task import Cancelled, TaskContext
from pdd_desktop.data.db import database, write_transaction
from pdd_desktop.domain import shipping as rules
from pdd_desktop.domain.errors import DomainError, NotAllowed, ValidationError
from pdd_desktop.domain.orders import OrderStatus
from pdd_desktop.tabular import import_files
from pdd_desktop.tabular.table_files import write_table

#: Orders per write transaction in a batch.
CHUNK = 500
#: Host parameters per ``IN (...)`` list (SQLite allows 32766; small lists plan just as well).
_IN_SIZE = 900
PROGRESS_LABEL = "批量发货"
NO_NUMBERS_LEFT = "面单号不足"

#: What a shipment changes: orders, packages, stock and the outbox (待上传).
SHIP_CHANGES = Changes(orders=True, shipments=True, goods=True, sync=True)
#: Extra parcels and modified shipments leave stock alone.
PACKAGE_CHANGES = Changes(orders=True, shipments=True, sync=True)

#: Outbox states of an op the platform has not acknowledged (the export's rows).
UNACKNOWLEDGED_STATES = ("pending", "in_flight", "unknown", "failed_permanent")
_SHIP_OP_TYPES = ("ship_order", "modify_shipment", "extra_logistics")

ExtraKind = Literal["extra", "resend", "gift"]
KIND_NO_LOGISTICS = "none"  #: Package.KIND_NO_LOGISTICS


# --------------------------------------------------------------------------------------------
# Results
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CourierInfo:
    """A courier the user can pick."""

    id: int  #: the platform's logistics company id (logistics_id)
    name: str
    code: str
    pattern: str  #: tracking-number regex ("" = any)
    available: bool


@dataclass(frozen=True)
class WaybillAccountInfo:
    """An e-waybill account (电子面单) with its remaining free numbers."""

    id: int
    courier_id: int
    courier_name: str
    courier_code: str
    branch_code: str
    branch_name: str
    is_default: bool
    free_numbers: int


@dataclass(frozen=True)
class ShippedOrder:
    """One order that shipped in a batch."""

    order_id: int
    order_sn: str
    courier_id: int | None
    tracking_number: str
    package_id: int


@dataclass(frozen=True)
class SkippedOrder:
    """One order (or input row) that did not ship, and why."""

    order_id: int | None
    order_sn: str
    reason: str
    row_no: int | None = None  #: input row (1-based) for typed batches and files


@dataclass(frozen=True)
class BatchShipResult:
    """Outcome of a batch: shipped, skipped with reasons, not reached after a cancel."""

    shipped: tuple[ShippedOrder, ...]
    skipped: tuple[SkippedOrder, ...]
    not_reached: tuple[int, ...]
    cancelled: bool
    changes: Changes

    @property
    def shipped_count(self) -> int:
        """Orders shipped."""
        return len(self.shipped)

    @property
    def skipped_count(self) -> int:
        """Orders or rows not shipped, with a reason."""
        return len(self.skipped)

    @property
    def not_reached_count(self) -> int:
        """Orders the batch never got to because it was cancelled."""
        return len(self.not_reached)


@dataclass(frozen=True)
class MergeGroup:
    """Orders of one buyer to one receiver that may ship as one parcel (合并发货)."""

    order_ids: tuple[int, ...]
    order_sns: tuple[str, ...]
    buyer_nickname: str
    receiver_name_mask: str
    address_mask: str
    earliest_deadline_at: int | None


@dataclass(frozen=True)
class BulkShipRow:
    """A good row of a bulk-ship file."""

    row_no: int  #: as Excel shows it (header = 1)
    order_id: int
    order_sn: str
    courier_id: int
    courier_name: str
    tracking_number: str


@dataclass(frozen=True)
class BulkRowError:
    """One problem in one cell of a bulk-ship file."""

    row_no: int
    column: str
    raw_value: str
    message: str


@dataclass(frozen=True)
class BulkShipCheck:
    """The checked content of a bulk-ship file: rows that may ship and every error."""

    file_name: str
    sha256: str
    rows_total: int  #: non-empty data rows
    good: tuple[BulkShipRow, ...]
    errors: tuple[BulkRowError, ...]

    @property
    def bad_rows(self) -> int:
        """Rows with at least one error."""
        return len({e.row_no for e in self.errors})


# --------------------------------------------------------------------------------------------
# Reading helpers
# --------------------------------------------------------------------------------------------

_ORDER_COLS = (
    "id, order_sn, status, refund_status, after_sales_status, buyer_key, receiver_name, receiver_phone, "
    "province, city, district, town, address_detail, pending_ops"
)


class _Ord(NamedTuple):
    id: int
    order_sn: str
    status: int
    refund_status: int
    after_sales_status: int
    buyer_key: str
    receiver_name: str
    receiver_phone: str
    province: str
    city: str
    district: str
    town: str
    address_detail: str
    pending_ops: int

    def guard(self) -> rules.ShipGuard:
        return rules.ship_block_reason(self.status, self.refund_status, self.after_sales_status)

    def merge_key(self) -> rules.MergeKey | None:
        return rules.merge_key(
            status=self.status,
            refund_status=self.refund_status,
            after_sales_status=self.after_sales_status,
            buyer_key=self.buyer_key,
            receiver_name=self.receiver_name,
            receiver_phone=self.receiver_phone,
            province=self.province,
            city=self.city,
            district=self.district,
            town=self.town,
            address_detail=self.address_detail,
        )


def _chunks(values: Sequence[Any], size: int) -> Iterable[Sequence[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _select_in(sql: str, values: Sequence[Any], prefix: Sequence[Any] = ()) -> list[tuple]:
    """Run ``sql`` whose ``{in}`` is an ``IN`` list over ``values``, in pieces."""
    out: list[tuple] = []
    for part in _chunks(list(values), _IN_SIZE):
        marks = ",".join("?" * len(part))
        out.extend(database.execute_sql(sql.format(marks=marks), (*prefix, *part)).fetchall())
    return out


def _load_orders(ids: Sequence[int]) -> dict[int, _Ord]:
    rows = _select_in(f'SELECT {_ORDER_COLS} FROM "order" WHERE id IN ({{marks}})', ids)
    return {r[0]: _Ord(*r) for r in rows}


def _load_orders_by_sn(sns: Sequence[str]) -> dict[str, _Ord]:
    rows = _select_in(f'SELECT {_ORDER_COLS} FROM "order" WHERE order_sn IN ({{marks}})', sns)
    return {r[1]: _Ord(*r) for r in rows}


def _one_order(order_id: int) -> _Ord:
    order = _load_orders([order_id]).get(order_id)
    if order is None:
        raise NotAllowed(f"订单不存在（编号 {order_id}）")
    return order


def _couriers() -> dict[int, CourierInfo]:
    rows = database.execute_sql(
        "SELECT id, name, code, tracking_pattern, available FROM courier ORDER BY sort_order, id"
    ).fetchall()
    return {r[0]: CourierInfo(r[0], r[1], r[2], r[3], bool(r[4])) for r in rows}


def _courier(courier_id: int) -> CourierInfo:
    courier = _couriers().get(courier_id)
    if courier is None:
        raise ValidationError("快递公司", f"不存在（编号 {courier_id}）")
    if not courier.available:
        raise ValidationError("快递公司", f"{courier.name}已停用，请选择其他快递公司")
    return courier


def _live_number_owners(numbers: Sequence[str], exclude_packages: Sequence[int] = ()) -> dict[str, str]:
    """Tracking number → order number, for numbers on a live (not voided) package."""
    if not numbers:
        return {}
    rows = _select_in(
        "SELECT p.tracking_number, p.id, COALESCE(MIN(o.order_sn), '') FROM package p "
        'LEFT JOIN package_order po ON po.package_id = p.id LEFT JOIN "order" o ON o.id = po.order_id '
        # "+voided_at": look numbers up by the tracking-number index; the planner otherwise
        # walks the (voided_at, …) index over every live parcel (11 s per 10k on 1M orders).
        "WHERE +p.voided_at IS NULL AND p.tracking_number IN ({marks}) GROUP BY p.id",
        list(dict.fromkeys(numbers)),
    )
    excluded = set(exclude_packages)
    return {number: sn for number, pid, sn in rows if pid not in excluded}


def _reservations(numbers: Sequence[str]) -> dict[str, tuple[int, str]]:
    """Tracking number → (order id, order number) for pool numbers reserved (``allocated``) to an order.

    A label printed before shipping reserves its number for that order: only that order may ship
    with it, so a scanned or typed number can never end up on a different parcel.
    """
    if not numbers:
        return {}
    rows = _select_in(
        "SELECT w.tracking_number, w.order_id, COALESCE(o.order_sn, '') FROM waybill_number w "
        'LEFT JOIN "order" o ON o.id = w.order_id '
        "WHERE w.state = 'allocated' AND w.order_id IS NOT NULL AND w.tracking_number IN ({marks})",
        list(dict.fromkeys(numbers)),
    )
    return {number: (order_id, sn) for number, order_id, sn in rows}


def _number_owners(
    numbers: Sequence[str], order_ids: Iterable[int], exclude_packages: Sequence[int] = ()
) -> dict[str, str]:
    """Numbers ``order_ids`` may not use: on a live package, or reserved for another order."""
    owners = _live_number_owners(numbers, exclude_packages)
    mine = set(order_ids)
    for number, (order_id, sn) in _reservations(numbers).items():
        if order_id not in mine:
            owners.setdefault(number, sn)
    return owners


def _used_number_message(number: str, owner_sn: str) -> str:
    return f"{number} 已被订单 {owner_sn} 使用" if owner_sn else f"{number} 已被其他包裹使用"


def _ensure_numbers_free(
    numbers: Sequence[str], order_ids: Iterable[int], exclude_packages: Sequence[int] = ()
) -> None:
    owners = _number_owners(numbers, order_ids, exclude_packages)
    for number in numbers:
        if number in owners:
            raise ValidationError("快递单号", _used_number_message(number, owners[number]))


def _guard_or_raise(order: _Ord, override_reason: str | None) -> tuple[str, str] | None:
    """Raise NotAllowed when the order may not ship; returns (block reason, override reason) if overridden."""
    guard = order.guard()
    if guard.allowed:
        return None
    if not guard.overridable:
        raise NotAllowed(f"订单 {order.order_sn}：{guard.reason}")
    reason = (override_reason or "").strip()
    if not reason:
        raise NotAllowed(f"订单 {order.order_sn}：{guard.reason}。如确需发货，请填写原因后强制发货")
    return guard.reason or "", reason


def ship_guard(order_id: int) -> rules.ShipGuard:
    """Whether the order may ship now, from its stored state and after-sales code.

    Raises:
        NotAllowed: the order does not exist.
    """
    return _one_order(order_id).guard()


def list_couriers(*, include_unavailable: bool = False) -> list[CourierInfo]:
    """Couriers in display order (common ones first)."""
    return [c for c in _couriers().values() if include_unavailable or c.available]


def list_waybill_accounts() -> list[WaybillAccountInfo]:
    """E-waybill accounts, the default first, each with its count of free numbers."""
    rows = database.execute_sql(
        "SELECT a.id, a.courier_id, c.name, c.code, a.branch_code, a.branch_name, a.is_default, "
        "(SELECT COUNT(*) FROM waybill_number n WHERE n.account_id = a.id AND n.state = 'free') "
        "FROM waybill_account a JOIN courier c ON c.id = a.courier_id ORDER BY a.is_default DESC, a.id"
    ).fetchall()
    return [WaybillAccountInfo(r[0], r[1], r[2], r[3], r[4], r[5], bool(r[6]), r[7]) for r in rows]


# --------------------------------------------------------------------------------------------
# The one writer every shipping path uses
# --------------------------------------------------------------------------------------------


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
    conn.executemany(
        "UPDATE waybill_number SET state = 'used', order_id = ?, allocated_at = COALESCE(allocated_at, ?) "
        "WHERE tracking_number = ?",
        [(oid, now, number) for number, oid in rows if number],
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


# --------------------------------------------------------------------------------------------
# Single order, no logistics, merged
# --------------------------------------------------------------------------------------------


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
    for row in rows:
        key = _Ord(*row[:14]).merge_key()
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
                address_mask=members[0][17],
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


# --------------------------------------------------------------------------------------------
# Batches
# --------------------------------------------------------------------------------------------


def _allocate(account_id: int, count: int, now: int, *, state: str = "used") -> list[str]:
    """Take up to ``count`` free numbers of the account, oldest first, and set them to ``state``.

    ``used`` for a shipment (the caller's ``_mark_numbers_used`` sets the order ids), ``allocated``
    for a label printed before shipping (services.printing sets the order ids). A free number that
    is already on a live package (typed by hand earlier) is marked used and passed over, so the
    pool never hands out a number twice.
    """
    taken: list[str] = []
    conn = database.connection()
    while len(taken) < count:
        rows = database.execute_sql(
            "SELECT id, tracking_number FROM waybill_number WHERE account_id = ? AND state = 'free' "
            "ORDER BY id LIMIT ?",
            (account_id, count - len(taken)),
        ).fetchall()
        if not rows:
            break
        live = _live_number_owners([r[1] for r in rows])
        if live:
            conn.executemany(
                "UPDATE waybill_number SET state = 'used', allocated_at = COALESCE(allocated_at, ?) "
                "WHERE id = ?",
                [(now, r[0]) for r in rows if r[1] in live],
            )
        # Claim the rest at once; the caller sets their order ids.
        good = [r for r in rows if r[1] not in live]
        conn.executemany(
            "UPDATE waybill_number SET state = ?, allocated_at = ? WHERE id = ?",
            [(state, now, r[0]) for r in good],
        )
        taken.extend(r[1] for r in good)
    return taken


def _reserved_numbers(account_id: int, orders: Sequence[_Ord]) -> dict[int, str]:
    """Order id → the account's number already ``allocated`` to it (a label printed before shipping).

    Such a number belongs to its order: shipping from the pool uses it instead of a free one, so
    the parcel carries the number on the printed label. A reserved number that meanwhile went on
    a live package by hand is marked used and not returned.
    """
    if not orders:
        return {}
    rows = _select_in(
        "SELECT order_id, tracking_number FROM waybill_number WHERE account_id = ? AND state = 'allocated' "
        "AND order_id IN ({marks}) ORDER BY id",
        [o.id for o in orders],
        prefix=(account_id,),
    )
    live = _live_number_owners([r[1] for r in rows])
    if live:
        database.connection().executemany(
            "UPDATE waybill_number SET state = 'used' WHERE tracking_number = ?", [(n,) for n in live]
        )
    reserved: dict[int, str] = {}
    for order_id, number in rows:
        if number not in live:
            reserved.setdefault(order_id, number)
    return reserved


def _account_courier(account_id: int) -> CourierInfo:
    row = database.execute_sql(
        "SELECT courier_id FROM waybill_account WHERE id = ?", (account_id,)
    ).fetchone()
    if row is None:
        raise ValidationError("面单账号", f"不存在（编号 {account_id}）")
    return _courier(row[0])


def _report(task: TaskContext | None, done: int, total: int) -> None:
    if task is not None:
        task.report(done, total, PROGRESS_LABEL)


def _cancel_requested(task: TaskContext | None) -> bool:
    if task is None:
        return False
    try:
        task.raise_if_cancelled()
    except Cancelled:
        return True
    return False


def ship_batch_from_pool(
    *, order_ids: Sequence[int], account_id: int, task: TaskContext | None = None
) -> BatchShipResult:
    """Ship orders with numbers from an e-waybill account's pool, one number per order.

    Orders are processed in the given order, :data:`CHUNK` per transaction. A blocked order is
    skipped with its reason (no override in batches); once the pool runs dry the rest are skipped
    with "面单号不足". A cancel between chunks keeps the chunks already committed.

    Args:
        order_ids: local order ids (duplicates ignored).
        account_id: the waybill account whose numbers are used: the one already allocated to
            the order when its label was printed from this account, else a free one, oldest first.
        task: progress ("批量发货") and cancel.

    Raises:
        ValidationError: unknown account or unavailable courier.
    """
    courier = _account_courier(account_id)
    ids = list(dict.fromkeys(order_ids))
    total = len(ids)
    shipped: list[ShippedOrder] = []
    skipped: list[SkippedOrder] = []
    not_reached: tuple[int, ...] = ()
    cancelled = False
    exhausted = False
    _report(task, 0, total)
    for start in range(0, total, CHUNK):
        if _cancel_requested(task):
            cancelled, not_reached = True, tuple(ids[start:])
            break
        chunk = ids[start : start + CHUNK]
        now = clock.now()
        with write_transaction():
            orders = _load_orders(chunk)
            ready: list[_Ord] = []
            for oid in chunk:
                order = orders.get(oid)
                if order is None:
                    skipped.append(SkippedOrder(oid, "", "订单不存在"))
                    continue
                guard = order.guard()
                if not guard.allowed:
                    skipped.append(SkippedOrder(oid, order.order_sn, guard.reason or ""))
                else:
                    ready.append(order)
            # A number printed on a label for the order (allocated to it) first, else a free one.
            reserved = _reserved_numbers(account_id, ready)
            need = sum(1 for o in ready if o.id not in reserved)
            fresh = iter([] if exhausted or not need else _allocate(account_id, need, now))
            plans = []
            for o in ready:
                number = reserved.get(o.id) or next(fresh, None)
                if number is None:
                    exhausted = True
                    skipped.append(SkippedOrder(o.id, o.order_sn, NO_NUMBERS_LEFT))
                else:
                    plans.append(_Plan((o,), courier, number, source="pool"))
            shipped.extend(_write_shipments(plans, now))
        _report(task, start + len(chunk), total)
    return BatchShipResult(
        tuple(shipped), tuple(skipped), not_reached, cancelled, SHIP_CHANGES if shipped else Changes()
    )


def ship_batch_with_numbers(
    *, assignments: Sequence[tuple[int, int, str]], task: TaskContext | None = None
) -> BatchShipResult:
    """Ship orders with typed or scanned numbers: ``(order_id, courier_id, tracking_number)`` rows.

    Each row ships wholly or not at all; a bad row (unknown courier, bad or repeated number,
    repeated order, order that may not ship) is skipped with its row number and reason.
    """
    couriers = _couriers()
    total = len(assignments)
    skipped: list[SkippedOrder] = []
    valid: list[tuple[int, int, CourierInfo, str]] = []
    seen_numbers: dict[str, int] = {}
    seen_orders: dict[int, int] = {}
    for idx, (order_id, courier_id, raw_number) in enumerate(assignments, start=1):
        courier = couriers.get(courier_id)
        try:
            if courier is None or not courier.available:
                raise ValidationError("快递公司", f"不存在或已停用（编号 {courier_id}）")
            number = rules.check_tracking_number(courier.pattern, raw_number, courier.name)
        except DomainError as exc:
            skipped.append(SkippedOrder(order_id, "", str(exc), idx))
            continue
        if number in seen_numbers:
            skipped.append(
                SkippedOrder(order_id, "", f"快递单号：{number} 与第 {seen_numbers[number]} 行重复", idx)
            )
            continue
        if order_id in seen_orders:
            skipped.append(SkippedOrder(order_id, "", f"订单与第 {seen_orders[order_id]} 行重复", idx))
            continue
        seen_numbers[number] = idx
        seen_orders[order_id] = idx
        valid.append((idx, order_id, courier, number))
    shipped: list[ShippedOrder] = []
    not_reached: tuple[int, ...] = ()
    cancelled = False
    _report(task, 0, total)
    done = total - len(valid)
    for start in range(0, len(valid), CHUNK):
        if _cancel_requested(task):
            cancelled, not_reached = True, tuple(v[1] for v in valid[start:])
            break
        chunk = valid[start : start + CHUNK]
        now = clock.now()
        with write_transaction():
            orders = _load_orders([v[1] for v in chunk])
            owners = _live_number_owners([v[3] for v in chunk])
            reserved = _reservations([v[3] for v in chunk])
            plans = []
            for idx, order_id, courier, number in chunk:
                if number not in owners and number in reserved and reserved[number][0] != order_id:
                    owners[number] = reserved[number][1]
                order = orders.get(order_id)
                if order is None:
                    skipped.append(SkippedOrder(order_id, "", "订单不存在", idx))
                    continue
                guard = order.guard()
                if not guard.allowed:
                    skipped.append(SkippedOrder(order_id, order.order_sn, guard.reason or "", idx))
                elif number in owners:
                    message = "快递单号：" + _used_number_message(number, owners[number])
                    skipped.append(SkippedOrder(order_id, order.order_sn, message, idx))
                else:
                    plans.append(_Plan((order,), courier, number, source="typed"))
            shipped.extend(_write_shipments(plans, now))
        done += len(chunk)
        _report(task, done, total)
    skipped.sort(key=lambda s: s.row_no or 0)
    return BatchShipResult(
        tuple(shipped), tuple(skipped), not_reached, cancelled, SHIP_CHANGES if shipped else Changes()
    )


# --------------------------------------------------------------------------------------------
# Extra parcels, modify, cancel
# --------------------------------------------------------------------------------------------


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


# --------------------------------------------------------------------------------------------
# Bulk-ship file (批量发货): check, apply, export
# --------------------------------------------------------------------------------------------

COL_ORDER = "订单号"
COL_COURIER = "快递公司"
COL_NUMBER = "快递单号"
REQUIRED_COLUMNS = (COL_ORDER, COL_COURIER, COL_NUMBER)
#: Other header texts merchants use for the same columns.
_HEADER_ALIASES = {
    "订单编号": COL_ORDER,
    "物流公司": COL_COURIER,
    "运单号": COL_NUMBER,
    "物流单号": COL_NUMBER,
}
_SCIENTIFIC = re.compile(r"^\d+(\.\d+)?[eE]\+?\d+$")
#: Non-empty rows searched for the header row.
_HEADER_SEARCH_ROWS = 5


def _header_map(rows: Iterator[tuple[int, list[str]]]) -> dict[str, int]:
    """Column name → cell index, read from the header row; ``rows`` is left just after it.

    The header is the first row naming any required column, among the first few non-empty rows
    (a title line above the header is tolerated).
    """
    seen = 0
    for _n, texts in rows:
        if not any(texts):
            continue
        columns: dict[str, int] = {}
        for idx, text in enumerate(texts):
            name = _HEADER_ALIASES.get(text, text)
            if name in REQUIRED_COLUMNS and name not in columns:
                columns[name] = idx
        seen += 1
        if not columns and seen < _HEADER_SEARCH_ROWS:
            continue
        missing = [c for c in REQUIRED_COLUMNS if c not in columns]
        if missing:
            raise ValidationError(
                "表头", f"缺少必需的列：{'、'.join(missing)}（需要 订单号、快递公司、快递单号）"
            )
        return columns
    if seen:
        raise ValidationError(
            "表头", f"缺少必需的列：{'、'.join(REQUIRED_COLUMNS)}（需要 订单号、快递公司、快递单号）"
        )
    raise ValidationError("文件", "文件是空的")


def check_bulk_ship_file(path: Path | str) -> BulkShipCheck:
    """Read and check every row of a bulk-ship file (CSV or XLSX: 订单号, 快递公司, 快递单号).

    Nothing is written. Each problem names the row (header = row 1), the column, the raw value
    and the reason; rows without problems are returned as good rows.

    Raises:
        ValidationError: the file cannot be read, is empty, or lacks a required column.
    """
    info = import_files.inspect_file(path)
    records: list[tuple[int, str, str, str]] = []
    with closing(import_files.iter_rows(info)) as rows:
        columns = _header_map(rows)
        for row_no, cells in rows:

            def cell(name: str, cells: list[str] = cells) -> str:
                idx = columns[name]
                return cells[idx] if idx < len(cells) else ""

            values = (cell(COL_ORDER), cell(COL_COURIER), cell(COL_NUMBER))
            if any(values):
                records.append((row_no, *values))

    couriers = _couriers()
    by_name = {c.name: c for c in couriers.values()}
    by_code = {c.code.upper(): c for c in couriers.values()}
    orders = _load_orders_by_sn([r[1] for r in records if r[1]])
    candidates = []
    for r in records:
        courier = by_name.get(r[2]) or by_code.get(r[2].upper())
        try:
            candidates.append(rules.check_tracking_number(courier.pattern if courier else "", r[3]))
        except ValidationError:
            continue
    owners = _live_number_owners(candidates)
    reserved = _reservations(candidates)

    good: list[BulkShipRow] = []
    errors: list[BulkRowError] = []
    first_order_row: dict[str, int] = {}
    first_number_row: dict[str, int] = {}
    for row_no, raw_sn, raw_courier, raw_number in records:
        row_errors: list[BulkRowError] = []

        def err(
            column: str, raw: str, message: str, row_no: int = row_no, row_errors: list = row_errors
        ) -> None:
            row_errors.append(BulkRowError(row_no, column, raw, message))

        order = orders.get(raw_sn)
        if not raw_sn:
            err(COL_ORDER, raw_sn, "订单号为空")
        elif raw_sn in first_order_row:
            err(COL_ORDER, raw_sn, f"订单号与第 {first_order_row[raw_sn]} 行重复")
        elif order is None:
            err(COL_ORDER, raw_sn, "找不到该订单（请先导入或同步订单）")
        else:
            guard = order.guard()
            if not guard.allowed:
                err(COL_ORDER, raw_sn, guard.reason or "")
        if raw_sn:
            first_order_row.setdefault(raw_sn, row_no)

        courier = (by_name.get(raw_courier) or by_code.get(raw_courier.upper())) if raw_courier else None
        if not raw_courier:
            err(COL_COURIER, raw_courier, "快递公司为空")
        elif courier is None:
            err(COL_COURIER, raw_courier, "找不到该快递公司，请填写平台上的名称（如 中通快递）")
        elif not courier.available:
            err(COL_COURIER, raw_courier, f"{courier.name}已停用")

        number = ""
        if _SCIENTIFIC.match(raw_number):
            err(COL_NUMBER, raw_number, "单号被 Excel 变成了科学计数法，请把该列设为“文本”后重新填写")
        else:
            try:
                number = rules.check_tracking_number(
                    courier.pattern if courier else "", raw_number, courier.name if courier else ""
                )
            except ValidationError as exc:
                err(COL_NUMBER, raw_number, str(exc).split("：", 1)[-1])
        if number:
            if number in first_number_row:
                err(COL_NUMBER, raw_number, f"快递单号与第 {first_number_row[number]} 行重复")
            elif number in owners:
                err(COL_NUMBER, raw_number, _used_number_message(number, owners[number]))
            elif number in reserved and (order is None or reserved[number][0] != order.id):
                err(COL_NUMBER, raw_number, f"{number} 是订单 {reserved[number][1]} 已打印面单的单号")
            first_number_row.setdefault(number, row_no)

        if row_errors:
            errors.extend(row_errors)
        else:
            assert order is not None and courier is not None
            good.append(BulkShipRow(row_no, order.id, order.order_sn, courier.id, courier.name, number))
    return BulkShipCheck(info.path.name, info.sha256, len(records), tuple(good), tuple(errors))


def apply_bulk_ship(check: BulkShipCheck, *, task: TaskContext | None = None) -> BatchShipResult:
    """Ship the good rows of a checked file, all in ONE transaction.

    Everything is checked again inside the transaction; if anything changed since the check
    (an order shipped or got a refund request, a number was used), nothing ships. The file and
    its rejected rows are recorded as an import batch. A cancel rolls everything back.

    Raises:
        NotAllowed: the data changed since the check (the message lists the rows).
    """
    rows = check.good
    rejected = tuple(SkippedOrder(None, "", f"{e.column}：{e.message}", e.row_no) for e in check.errors)
    total = len(rows)
    if not rows:
        return BatchShipResult((), rejected, (), False, Changes())
    now = clock.now()
    _report(task, 0, total)
    try:
        with write_transaction():
            orders = _load_orders([r.order_id for r in rows])
            couriers = _couriers()
            owners = _live_number_owners([r.tracking_number for r in rows])
            reserved = _reservations([r.tracking_number for r in rows])
            problems = []
            plans = []
            for r in rows:
                order = orders.get(r.order_id)
                held = reserved.get(r.tracking_number)
                if r.tracking_number not in owners and held is not None and held[0] != r.order_id:
                    owners[r.tracking_number] = held[1]
                courier = couriers.get(r.courier_id)
                reason = None
                if order is None or order.order_sn != r.order_sn:
                    reason = "订单已不存在"
                elif not order.guard().allowed:
                    reason = order.guard().reason
                elif courier is None or not courier.available:
                    reason = "快递公司已不可用"
                elif r.tracking_number in owners:
                    reason = "快递单号" + _used_number_message(r.tracking_number, owners[r.tracking_number])
                if reason:
                    problems.append(f"第 {r.row_no} 行（{r.order_sn}）：{reason}")
                else:
                    assert order is not None
                    plans.append(_Plan((order,), courier, r.tracking_number, source="file"))
            if problems:
                more = f"\n……共 {len(problems)} 行" if len(problems) > 10 else ""
                raise NotAllowed(
                    "检查文件后数据有变化，没有发货任何订单，请重新检查文件：\n"
                    + "\n".join(problems[:10])
                    + more
                )
            shipped: list[ShippedOrder] = []
            for start in range(0, total, CHUNK):
                if task is not None:
                    task.raise_if_cancelled()
                shipped.extend(_write_shipments(plans[start : start + CHUNK], now, actor="import"))
                _report(task, min(total, start + CHUNK), total)
            _record_import(check, len(shipped), now)
    except Cancelled:
        return BatchShipResult((), rejected, tuple(r.order_id for r in rows), True, Changes())
    return BatchShipResult(tuple(shipped), rejected, (), False, SHIP_CHANGES)


def _record_import(check: BulkShipCheck, shipped: int, now: int) -> None:
    conn = database.connection()
    cur = conn.execute(
        "INSERT INTO import_batch (kind, file_name, sha256, rows_total, rows_new, rows_updated, "
        "rows_unchanged, rows_rejected, state, created_at, applied_at) "
        "VALUES ('bulk_ship', ?, ?, ?, ?, 0, 0, ?, 'applied', ?, ?)",
        (check.file_name, check.sha256, check.rows_total, shipped, check.bad_rows, now, now),
    )
    batch_id = cur.lastrowid
    conn.executemany(
        'INSERT INTO import_row_error (batch_id, row_no, "column", raw_value, message) '
        "VALUES (?, ?, ?, ?, ?)",
        [(batch_id, e.row_no, e.column, e.raw_value, e.message) for e in check.errors],
    )


def _export_rows() -> list[tuple[str, str, str]]:
    marks = ",".join("?" * len(UNACKNOWLEDGED_STATES))
    return database.execute_sql(
        'SELECT o.order_sn, c.name, p.tracking_number FROM "order" o '
        "JOIN package_order po ON po.order_id = o.id JOIN package p ON p.id = po.package_id "
        "JOIN courier c ON c.id = p.courier_id "
        # Driven from the few unacknowledged outbox ops (state index), never a scan of all
        # shipped orders: the EXISTS form took 2 s on a million orders.
        "WHERE o.order_sn IN (SELECT ob.entity_remote_id FROM outbox ob WHERE +ob.entity_type = 'order' "
        f"AND ob.op_type IN ('ship_order', 'modify_shipment') AND ob.state IN ({marks})) "
        "AND +o.status IN (?, ?) AND p.voided_at IS NULL AND p.kind = 'normal' AND p.tracking_number != '' "
        "ORDER BY o.shipped_at, o.order_sn, p.id",
        (*UNACKNOWLEDGED_STATES, int(OrderStatus.SHIPPED), int(OrderStatus.SIGNED)),
    ).fetchall()


def export_bulk_ship_file(path: Path | str, *, fmt: Literal["csv", "xlsx"]) -> int:
    """Write the platform's bulk-ship upload file for shipments it has not acknowledged yet.

    One row (订单号, 快递公司, 快递单号) per live main package of each order whose ship/modify op is
    pending, in flight, unknown or failed. CSV is UTF-8 with BOM (Excel opens it right); XLSX
    cells are text, so order and tracking numbers never turn into numbers. The file is written
    beside the target and renamed into place.

    Returns:
        Rows written (without the header).
    """
    if fmt not in ("csv", "xlsx"):
        raise ValidationError("文件格式", f"应为 csv 或 xlsx，收到 {fmt!r}")
    rows = _export_rows()
    write_table(path, REQUIRED_COLUMNS, rows, fmt=fmt, sheet="批量发货")
    return len(rows)
