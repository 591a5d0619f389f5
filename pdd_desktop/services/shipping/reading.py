"""Reading helpers of the shipping use cases: orders, couriers and tracking numbers in bulk, plain SQL."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

from pdd_desktop.data.db import database
from pdd_desktop.domain import shipping as rules
from pdd_desktop.domain.errors import NotAllowed, ValidationError
from pdd_desktop.domain.orders import OrderStatus
from pdd_desktop.services.holds import held_reasons, hold_block_text
from pdd_desktop.services.shipping.model import _IN_SIZE, CourierInfo, WaybillAccountInfo

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
    held: str = ""  #: the reason of an open local hold (暂停发货), "" when none

    def guard(self) -> rules.ShipGuard:
        if self.held and self.status == OrderStatus.TO_SHIP:
            return rules.ShipGuard(hold_block_text(self.held))
        return rules.ship_block_reason(self.status, self.refund_status, self.after_sales_status)

    def merge_key(self) -> rules.MergeKey | None:
        if self.held:
            return None
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


def _with_holds(rows: list[tuple]) -> list[_Ord]:
    held = held_reasons([r[0] for r in rows])
    return [_Ord(*r, held=held.get(r[0], "")) for r in rows]


def _load_orders(ids: Sequence[int]) -> dict[int, _Ord]:
    rows = _select_in(f'SELECT {_ORDER_COLS} FROM "order" WHERE id IN ({{marks}})', ids)
    return {o.id: o for o in _with_holds(rows)}


def _load_orders_by_sn(sns: Sequence[str]) -> dict[str, _Ord]:
    rows = _select_in(f'SELECT {_ORDER_COLS} FROM "order" WHERE order_sn IN ({{marks}})', sns)
    return {o.order_sn: o for o in _with_holds(rows)}


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
    """Tracking number → order number, for numbers on a live (not voided) package.

    Cancelled e-waybill numbers are in it too, owned by :data:`CANCELLED_OWNER`.
    """
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
    owners = {number: sn for number, pid, sn in rows if pid not in excluded}
    # A cancelled e-waybill number (voided, its balance given back) may never ship any order.
    for (number,) in _select_in(
        "SELECT tracking_number FROM waybill_number WHERE "
        "state = 'cancelled' AND tracking_number IN ({marks})",
        list(dict.fromkeys(numbers)),
    ):
        owners.setdefault(number, CANCELLED_OWNER)
    return owners


#: The owner :func:`_live_number_owners` gives a cancelled e-waybill number.
CANCELLED_OWNER = "\x00cancelled"


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
    if owner_sn == CANCELLED_OWNER:
        return f"{number} 是已作废的电子面单，不能再用于发货"
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
