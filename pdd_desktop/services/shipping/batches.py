"""Batch shipping: numbers from a waybill account's pool or typed in, one transaction per chunk.

The chunk size is :data:`pdd_desktop.services.shipping.model.CHUNK`, read at call time.
"""

from __future__ import annotations

from collections.abc import Sequence

from pdd_desktop.common import clock
from pdd_desktop.common.changes import Changes
from pdd_desktop.common.task import Cancelled, TaskContext
from pdd_desktop.data.db import database, write_transaction
from pdd_desktop.domain import shipping as rules
from pdd_desktop.domain.errors import DomainError, ValidationError
from pdd_desktop.services.shipping import model
from pdd_desktop.services.shipping.model import (
    NO_NUMBERS_LEFT,
    PROGRESS_LABEL,
    SHIP_CHANGES,
    BatchShipResult,
    CourierInfo,
    ShippedOrder,
    SkippedOrder,
)
from pdd_desktop.services.shipping.reading import (
    _courier,
    _couriers,
    _live_number_owners,
    _load_orders,
    _Ord,
    _reservations,
    _select_in,
    _used_number_message,
)
from pdd_desktop.services.shipping.writer import _Plan, _write_shipments


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

    Orders are processed in the given order, ``model.CHUNK`` per transaction. A blocked order is
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
    for start in range(0, total, model.CHUNK):
        if _cancel_requested(task):
            cancelled, not_reached = True, tuple(ids[start:])
            break
        chunk = ids[start : start + model.CHUNK]
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
    for start in range(0, len(valid), model.CHUNK):
        if _cancel_requested(task):
            cancelled, not_reached = True, tuple(v[1] for v in valid[start:])
            break
        chunk = valid[start : start + model.CHUNK]
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
