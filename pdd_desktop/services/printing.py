"""打单: e-waybill labels, picking lists and packing slips from the shop's orders, and their print jobs.

The flow is render, then print, then record:

1. :func:`render_documents` reads the orders, decides what goes on paper and renders a PDF
   (atomically, through :mod:`pdd_desktop.printing`) with progress and cancel.
2. The caller prints it (system printer through Qt, or keeps the PDF).
3. :func:`record_print_job` writes the print job in one transaction: only then do orders count
   as printed (``print_count``, 已打印) and does the reprint guard (:func:`prior_prints`) know.

Tracking numbers on labels: an order that shipped prints its live parcel's number; otherwise the
number already ``allocated`` to the order in ``waybill_number``; otherwise a free number of the
chosen (or default) e-waybill account is allocated to it, in one write transaction *before*
rendering. An allocation is a reservation: the number belongs to that order from then on, even
if the render is cancelled or the label never printed, and shipping the order from that
account's pool uses it (:func:`pdd_desktop.services.shipping.ship_batch_from_pool`). It is never
handed to another order, not even after the order is cancelled.

Who gets a document: unpaid and cancelled orders never; refunded orders and orders with a refund
request or refund in progress never either (the ship guard of :mod:`pdd_desktop.domain.shipping`,
here without override). An order whose parcel has shipped may be reprinted.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from reportlab.lib.pagesizes import A4, A5

from pdd_desktop.common import clock
from pdd_desktop.common.changes import Changes
from pdd_desktop.common.task import TaskContext
from pdd_desktop.common.timefmt import format_ts
from pdd_desktop.data.db import database, write_transaction
from pdd_desktop.domain import shipping as rules
from pdd_desktop.domain.errors import DomainError, NotAllowed, ValidationError
from pdd_desktop.domain.orders import OrderStatus
from pdd_desktop.domain.privacy import mask_name, mask_phone
from pdd_desktop.platform.print_component import SenderAddress
from pdd_desktop.printing import (
    FontChoice,
    LabelData,
    LabelItem,
    PackingItem,
    PackingSlip,
    PickingList,
    TemplateError,
    aggregate,
    default_font,
    find_font,
    load_template,
    render_labels,
    render_packing_slips,
    render_picking_list,
)
from pdd_desktop.printing.template import DEFAULT_TEMPLATE
from pdd_desktop.services import holds, shipping, waybills
from pdd_desktop.services.cloud_print import PrintableWaybill
from pdd_desktop.services.shipping import batches as shipping_batches

if TYPE_CHECKING:
    from pdd_desktop.platform.client import PlatformClient

DOC_TYPES = ("label", "picking", "packing")  # invoices are done elsewhere
DOC_LABELS = {"label": "快递面单", "picking": "拣货单", "packing": "发货单"}

NO_NUMBERS_LEFT = shipping.NO_NUMBERS_LEFT  #: "面单号不足"
NO_ACCOUNT = "没有可用的电子面单账号"
NO_LOGISTICS = "无物流发货，没有快递面单"
NO_PACKAGE = "找不到已发货的包裹，不能打印快递面单"
NO_PLATFORM_NUMBER = "还没有向平台取到电子面单号（需要联网）"
#: Host parameters per ``IN (...)`` list.
_IN_SIZE = 900
_PT_PER_MM = 72 / 25.4
_MERGED_SUFFIX = "等{n}单"


# --------------------------------------------------------------------------------------------
# Results
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PriorPrint:
    """An order printed before (reprint guard): how many times and when last (UTC epoch s)."""

    order_id: int
    order_sn: str
    times: int
    last_printed_at: int


@dataclass(frozen=True)
class SkippedForPrint:
    """An order left out of a document, and why (Chinese, shown as it is)."""

    order_id: int
    order_sn: str
    reason: str


@dataclass(frozen=True)
class RenderedDocument:
    """A rendered PDF and what is in it; ``pages == 0`` means nothing was printable (no file written)."""

    doc_type: str
    path: Path
    pages: int
    template: str
    order_ids: tuple[int, ...]  #: orders in the document, in document order
    tracking_numbers: tuple[tuple[int, str], ...]  #: (order id, number) on labels; () otherwise
    skipped: tuple[SkippedForPrint, ...]
    font_warning: str | None
    page_size_mm: tuple[float, float]
    #: Labels: the number printed on each page of the PDF, in page order.
    page_numbers: tuple[str, ...] = ()
    #: Labels of platform numbers for the print component (every one, also those in the PDF).
    cloud: tuple[PrintableWaybill, ...] = ()

    @property
    def cloud_only(self) -> tuple[PrintableWaybill, ...]:
        """Component labels that are not in the PDF (their receiver is not readable here)."""
        in_pdf = set(self.page_numbers)
        return tuple(w for w in self.cloud if w.waybill_code not in in_pdf)


# --------------------------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------------------------

_ORDER_COLS = (
    "id, order_sn, status, refund_status, after_sales_status, receiver_name, receiver_phone, province, "
    "city, district, town, address_detail, buyer_memo, seller_memo, pay_amount_fen"
)


class _Ord(NamedTuple):
    id: int
    order_sn: str
    status: int
    refund_status: int
    after_sales_status: int
    receiver_name: str
    receiver_phone: str
    province: str
    city: str
    district: str
    town: str
    address_detail: str
    buyer_memo: str
    seller_memo: str
    pay_amount_fen: int

    @property
    def address(self) -> str:
        return "".join((self.province, self.city, self.district, self.town, self.address_detail))


class _Item(NamedTuple):
    order_id: int
    goods_name: str
    short_name: str
    spec: str
    quantity: int
    unit_price_fen: int
    seller_code: str


class _Pkg(NamedTuple):
    id: int
    courier_name: str
    tracking_number: str
    kind: str
    sort_code: str
    hub: str


class _Account(NamedTuple):
    id: int
    courier_name: str
    courier_available: bool
    sender_address_id: int | None
    is_default: bool
    free: int  #: free pool numbers, or a platform account's balance
    source: str = "local"

    @property
    def platform(self) -> bool:
        return self.source == waybills.SOURCE_PLATFORM


class _Sender(NamedTuple):
    name: str
    phone: str
    address: str


def _select_in(sql: str, values: Sequence[Any], prefix: Sequence[Any] = ()) -> list[tuple]:
    """Run ``sql`` whose ``{marks}`` is an ``IN`` list over ``values``, in pieces."""
    out: list[tuple] = []
    values = list(values)
    for start in range(0, len(values), _IN_SIZE):
        part = values[start : start + _IN_SIZE]
        marks = ",".join("?" * len(part))
        out.extend(database.execute_sql(sql.format(marks=marks), (*prefix, *part)).fetchall())
    return out


def _unique_ids(order_ids: Sequence[int]) -> list[int]:
    ids = list(dict.fromkeys(int(i) for i in order_ids))
    if not ids:
        raise ValidationError("订单", "请选择要打印的订单")
    return ids


def _check_doc_type(doc_type: str) -> None:
    if doc_type not in DOC_TYPES:
        raise ValidationError("单据类型", f"应为 {' / '.join(DOC_TYPES)} 之一，收到 {doc_type!r}")


def _load_orders(ids: Sequence[int]) -> dict[int, _Ord]:
    rows = _select_in(f'SELECT {_ORDER_COLS} FROM "order" WHERE id IN ({{marks}})', ids)
    return {r[0]: _Ord(*r) for r in rows}


def _load_items(ids: Sequence[int]) -> dict[int, list[_Item]]:
    rows = _select_in(
        "SELECT oi.order_id, oi.goods_name, COALESCE(NULLIF(g.short_name, ''), oi.goods_name), oi.spec, "
        "oi.quantity, oi.unit_price_fen, COALESCE(NULLIF(oi.outer_id, ''), oi.outer_goods_id, '') "
        "FROM order_item oi LEFT JOIN goods g ON g.goods_id = oi.goods_id "
        "WHERE oi.order_id IN ({marks}) ORDER BY oi.order_id, oi.id",
        ids,
    )
    out: dict[int, list[_Item]] = {}
    for r in rows:
        out.setdefault(r[0], []).append(_Item(*r))
    return out


def _block_reason(order: _Ord, doc_type: str) -> str | None:
    """Why ``order`` gets no document of ``doc_type``, or None.

    Unpaid and cancelled orders never; a refund (done, running or asked for) never, whatever the
    order state (the ship guard's refund rules, without override); shipped orders may reprint.
    """
    what = DOC_LABELS[doc_type]
    if order.status == OrderStatus.UNPAID:
        return f"订单待支付，不能打印{what}"
    if order.status == OrderStatus.CANCELLED:
        return f"订单已取消，不能打印{what}"
    if order.status not in (OrderStatus.TO_SHIP, OrderStatus.SHIPPED, OrderStatus.SIGNED):
        return f"订单状态未知（{order.status}），不能打印{what}"
    guard = rules.ship_block_reason(int(OrderStatus.TO_SHIP), order.refund_status, order.after_sales_status)
    if guard.allowed:
        return None
    # "订单退款中，发货前请先处理售后" → "订单退款中，不能打印快递面单"
    return f"{(guard.reason or '').split('，', 1)[0]}，不能打印{what}"


def _eligible(ids: Sequence[int], doc_type: str) -> tuple[list[_Ord], list[SkippedForPrint], dict[int, _Ord]]:
    """The orders that may get the document (in ``ids`` order), the skipped ones, all loaded."""
    orders = _load_orders(ids)
    # 暂停发货 (services/holds.py): a held 待发货 order gets no document until it is released
    held = holds.held_reasons([o.id for o in orders.values() if o.status == OrderStatus.TO_SHIP])
    ok: list[_Ord] = []
    skipped: list[SkippedForPrint] = []
    for oid in ids:
        order = orders.get(oid)
        if order is None:
            skipped.append(SkippedForPrint(oid, "", "订单不存在"))
            continue
        reason = holds.hold_block_text(held[oid]) if oid in held else _block_reason(order, doc_type)
        if reason:
            skipped.append(SkippedForPrint(oid, order.order_sn, reason))
        else:
            ok.append(order)
    return ok, skipped, orders


def _status_label(status: int) -> str:
    try:
        return OrderStatus(status).label
    except ValueError:
        return f"状态 {status}"


def _shop_name() -> str:
    row = database.execute_sql("SELECT name FROM shop ORDER BY id LIMIT 1").fetchone()
    return row[0] if row else ""


def _report(task: TaskContext | None, done: int, total: int, label: str) -> None:
    if task is not None:
        task.report(done, total, label)


def _progress(task: TaskContext | None, label: str) -> Callable[[int, int], None] | None:
    if task is None:
        return None
    return lambda done, total: task.report(done, total, label)


def _font(font_path: str | None) -> FontChoice:
    return find_font(font_path) if font_path else default_font()


def _mm(size_pt: tuple[float, float]) -> tuple[float, float]:
    return (round(size_pt[0] / _PT_PER_MM, 1), round(size_pt[1] / _PT_PER_MM, 1))


# --------------------------------------------------------------------------------------------
# Labels: which number, which courier, which sender
# --------------------------------------------------------------------------------------------


@dataclass
class _LabelPlan:
    """One label: the orders on it (a merged parcel has several), its number and courier."""

    orders: list[_Ord]
    number: str
    courier_name: str
    account_id: int | None  #: the pool account of the number, for the sender block
    sort_code: str = ""
    hub: str = ""


@dataclass
class _Labels:
    plans: list[_LabelPlan]
    skipped: list[SkippedForPrint]
    needs_allocation: bool


def _accounts() -> list[_Account]:
    rows = database.execute_sql(
        "SELECT a.id, c.name, c.available, a.sender_address_id, a.is_default, "
        "CASE WHEN a.source = 'platform' THEN a.quantity ELSE "
        "(SELECT COUNT(*) FROM waybill_number n WHERE "
        "n.account_id = a.id AND n.state = 'free') END, a.source "
        "FROM waybill_account a JOIN courier c ON c.id = a.courier_id ORDER BY a.is_default DESC, a.id"
    ).fetchall()
    return [_Account(r[0], r[1], bool(r[2]), r[3], bool(r[4]), r[5], r[6]) for r in rows]


def _pick_account(accounts: list[_Account], account_id: int | None) -> _Account | None:
    """The chosen account (checked), else the default one, else the first with free numbers."""
    if account_id is not None:
        for a in accounts:
            if a.id == account_id:
                if not a.courier_available:
                    raise ValidationError("面单账号", f"{a.courier_name}已停用，请选择其他面单账号")
                return a
        raise ValidationError("面单账号", f"不存在（编号 {account_id}）")
    usable = [a for a in accounts if a.courier_available]
    for a in usable:
        if a.is_default:
            return a
    with_numbers = [a for a in usable if a.free > 0]
    return (with_numbers or usable or [None])[0]


def _live_main_packages(ids: Sequence[int]) -> tuple[dict[int, _Pkg], dict[int, list[int]]]:
    """Order id → its first live parcel with a number (kind normal); package id → its order ids."""
    rows = _select_in(
        "SELECT po.order_id, p.id, COALESCE(c.name, ''), p.tracking_number, p.kind, p.sort_code, p.hub "
        "FROM package_order po JOIN package p ON p.id = po.package_id "
        "LEFT JOIN courier c ON c.id = p.courier_id "
        "WHERE po.order_id IN ({marks}) AND p.voided_at IS NULL ORDER BY p.id",
        ids,
    )
    by_order: dict[int, _Pkg] = {}
    for order_id, *pkg in rows:
        p = _Pkg(*pkg)
        if p.kind == "normal" and p.tracking_number and order_id not in by_order:
            by_order[order_id] = p
    members: dict[int, list[int]] = {}
    if by_order:
        for pid, oid in _select_in(
            "SELECT package_id, order_id FROM package_order WHERE package_id IN ({marks}) ORDER BY order_id",
            sorted({p.id for p in by_order.values()}),
        ):
            members.setdefault(pid, []).append(oid)
    return by_order, members


def _has_no_logistics_package(ids: Sequence[int]) -> set[int]:
    rows = _select_in(
        "SELECT DISTINCT po.order_id FROM package_order po JOIN package p ON p.id = po.package_id "
        "WHERE po.order_id IN ({marks}) AND p.voided_at IS NULL AND p.kind = 'none'",
        ids,
    )
    return {r[0] for r in rows}


def _reservations(ids: Sequence[int], account_id: int | None) -> dict[int, tuple[str, int, str, str]]:
    """Order id → (number, account id, 三段码, 集包地) already allocated to it; the newest one when several.

    With ``account_id`` only that account's numbers count (printing with another courier gets a
    number of that courier; the old reservation stays with the order, unused by anyone else).
    """
    if account_id is None:
        sql = (
            "SELECT order_id, tracking_number, account_id, sort_code, hub FROM waybill_number "
            "WHERE account_id IN (SELECT id FROM waybill_account) AND state = 'allocated' "
            "AND order_id IN ({marks}) ORDER BY id DESC"
        )
        rows = _select_in(sql, ids)
    else:
        sql = (
            "SELECT order_id, tracking_number, account_id, sort_code, hub FROM waybill_number "
            "WHERE account_id = ? AND state = 'allocated' AND order_id IN ({marks}) ORDER BY id DESC"
        )
        rows = _select_in(sql, ids, prefix=(account_id,))
    out: dict[int, tuple[str, int, str, str]] = {}
    for order_id, number, acc, sort_code, hub in rows:
        out.setdefault(order_id, (number, acc, sort_code, hub))
    return out


def _number_accounts(numbers: Sequence[str]) -> dict[str, int]:
    rows = _select_in(
        "SELECT tracking_number, account_id FROM waybill_number WHERE tracking_number IN ({marks})",
        list(dict.fromkeys(numbers)),
    )
    return dict(rows)


def _plan_labels(
    ids: Sequence[int],
    account_id: int | None,
    now: int,
    *,
    allocate: bool,
    issue_failures: dict[int, str] | None = None,
) -> _Labels:
    """Decide every label; with ``allocate`` also reserve pool numbers (inside a write transaction).

    A platform account's numbers are never taken here: they were issued before
    (:func:`pdd_desktop.services.waybills.issue_numbers`) and are reservations by now; an order
    still without one is skipped with its ``issue_failures`` reason.
    """
    ok, skipped, loaded = _eligible(ids, "label")
    packages, members = _live_main_packages([o.id for o in ok])
    no_logistics = _has_no_logistics_package([o.id for o in ok if o.id not in packages])
    slots: list[tuple[str, Any]] = []  # ("pkg", package id) / ("order", order) in document order
    seen_packages: set[int] = set()
    need: list[_Ord] = []
    for o in ok:
        pkg = packages.get(o.id)
        if pkg is not None:
            if pkg.id not in seen_packages:
                seen_packages.add(pkg.id)
                slots.append(("pkg", pkg.id))
        elif o.status != OrderStatus.TO_SHIP:
            why = NO_LOGISTICS if o.id in no_logistics else NO_PACKAGE
            skipped.append(SkippedForPrint(o.id, o.order_sn, why))
        else:
            slots.append(("order", o))
            need.append(o)

    reserved = _reservations([o.id for o in need], account_id) if need else {}
    fresh_need = [o for o in need if o.id not in reserved]
    accounts = _accounts() if (need or account_id is not None) else []
    account = _pick_account(accounts, account_id) if accounts or account_id is not None else None
    courier_of = {a.id: a.courier_name for a in accounts}
    fresh: dict[int, str] = {}
    no_number: dict[int, str] = {}
    if fresh_need and account is not None and account.platform:
        failures = issue_failures or {}
        no_number = {o.id: failures.get(o.id, NO_PLATFORM_NUMBER) for o in fresh_need}
        fresh_need = []
    if fresh_need and not allocate:
        return _Labels([], skipped, needs_allocation=True)
    if fresh_need:
        if account is None:
            no_number = {o.id: NO_ACCOUNT for o in fresh_need}
        else:
            numbers = shipping_batches._allocate(account.id, len(fresh_need), now, state="allocated")
            database.connection().executemany(
                "UPDATE waybill_number SET order_id = ? WHERE tracking_number = ?",
                [(o.id, n) for o, n in zip(fresh_need, numbers, strict=False)],
            )
            fresh = {o.id: n for o, n in zip(fresh_need, numbers, strict=False)}
            no_number = {o.id: NO_NUMBERS_LEFT for o in fresh_need[len(numbers) :]}

    # Orders of merged parcels that were not selected: load them too (one label lists them all).
    extra_ids = [oid for pid in seen_packages for oid in members.get(pid, ()) if oid not in loaded]
    if extra_ids:
        loaded.update(_load_orders(extra_ids))
    pkg_by_id = {p.id: p for p in packages.values()}
    pool_accounts = _number_accounts([p.tracking_number for p in pkg_by_id.values()]) if pkg_by_id else {}

    plans: list[_LabelPlan] = []
    position = {o.id: n for n, o in enumerate(ok)}  # selected orders first, in selection order
    for kind, value in slots:
        if kind == "pkg":
            pkg = pkg_by_id[value]
            mids = members.get(value, [])
            first = sorted((oid for oid in mids if oid in position), key=position.__getitem__)
            ordered = first + [oid for oid in mids if oid not in first]
            plans.append(
                _LabelPlan(
                    [loaded[oid] for oid in ordered if oid in loaded],
                    pkg.tracking_number,
                    pkg.courier_name,
                    pool_accounts.get(pkg.tracking_number),
                    pkg.sort_code,
                    pkg.hub,
                )
            )
            continue
        o = value
        if o.id in reserved:
            number, acc, sort_code, hub = reserved[o.id]
            courier = courier_of.get(acc) or _courier_of_account(acc)
            plans.append(_LabelPlan([o], number, courier, acc, sort_code, hub))
        elif o.id in fresh:
            assert account is not None
            plans.append(_LabelPlan([o], fresh[o.id], account.courier_name, account.id))
        else:
            skipped.append(SkippedForPrint(o.id, o.order_sn, no_number.get(o.id, NO_NUMBERS_LEFT)))
    return _Labels(plans, skipped, needs_allocation=False)


def _issue_platform_numbers(
    ids: Sequence[int],
    account_id: int | None,
    client: PlatformClient | None,
    task: TaskContext | None,
    client_factory: Callable[[], PlatformClient] | None = None,
) -> dict[int, str]:
    """Numbers from the platform for the label orders that need one from a platform account.

    Returns order id → why it got none (the orders that did get one hold it as a reservation).
    """
    if client is None and client_factory is None:
        return {}
    accounts = _accounts()
    account = _pick_account(accounts, account_id) if accounts or account_id is not None else None
    if account is None or not account.platform:
        return {}
    ok, _skipped, _loaded = _eligible(ids, "label")
    waiting = [o.id for o in ok if o.status == OrderStatus.TO_SHIP]
    packages, _members = _live_main_packages(waiting)
    waiting = [oid for oid in waiting if oid not in packages]
    reserved = _reservations(waiting, account.id) if waiting else {}
    need = [oid for oid in waiting if oid not in reserved]
    if not need:
        return {}
    if client is None:
        assert client_factory is not None
        from pdd_desktop.platform.errors import PlatformError

        try:
            client = client_factory()
        except (DomainError, PlatformError, RuntimeError, OSError) as exc:  # no credentials, keychain
            reason = f"无法连接平台取号：{exc}"
            return dict.fromkeys(need, reason)
    result = waybills.issue_numbers(client=client, order_ids=need, account_id=account.id, task=task)
    return {f.order_id: f.reason for f in result.failures}


def _receiver_clear(plan: _LabelPlan) -> bool:
    """Whether every order of a label has its receiver readable here (name, phone, address)."""
    from pdd_desktop.platform.records import looks_encrypted

    for o in plan.orders:
        for value in (o.receiver_name, o.receiver_phone, o.address_detail):
            if not (value or "").strip() or looks_encrypted(value) or "*" in value:
                return False
    return True


def _cloud_labels(plans: Sequence[_LabelPlan]) -> dict[str, PrintableWaybill]:
    """Number → the print component's label, for the plans whose number carries print data."""
    by_number = {p.number: p for p in plans}
    if not by_number:
        return {}
    rows = _select_in(
        "SELECT tracking_number, print_data FROM waybill_number WHERE source = 'platform' "
        "AND print_data != '' AND state != 'cancelled' AND tracking_number IN ({marks})",
        list(by_number),
    )
    if not rows:
        return {}
    chosen = [by_number[number] for number, _ in rows]
    items = _load_items([o.id for p in chosen for o in p.orders])
    sender = _sender_address()
    out: dict[str, PrintableWaybill] = {}
    for number, print_data in rows:
        p = by_number[number]
        order_sn = p.orders[0].order_sn
        if len(p.orders) > 1:
            order_sn += _MERGED_SUFFIX.format(n=len(p.orders))
        custom = {
            "order_sn": order_sn,
            "items": [
                {"name": " ".join(x for x in (i.short_name, i.spec) if x), "count": int(i.quantity)}
                for o in p.orders
                for i in items.get(o.id, ())
            ],
            "memo": _memo([o.seller_memo for o in p.orders]),
        }
        out[number] = PrintableWaybill(tuple(o.id for o in p.orders), number, print_data, sender, custom)
    return out


def _sender_address() -> SenderAddress | None:
    """设置 → 发货地址's default sender for the component (None: the one inside print data)."""
    row = database.execute_sql(
        "SELECT contact_name, phone, province, city, district, detail FROM address WHERE is_sender = 1 "
        "ORDER BY is_default DESC, id LIMIT 1"
    ).fetchone()
    if row is None:
        return None
    name, phone, province, city, district, detail = row
    return SenderAddress(name, phone, province=province, city=city, district=district, detail=detail)


def cloud_part(doc: RenderedDocument, printed: Sequence[PrintableWaybill]) -> RenderedDocument:
    """The part of ``doc`` the print component printed: what :func:`record_print_job` records.

    Args:
        doc: the rendered labels.
        printed: the component labels reported printed (only those).
    """
    order_ids = tuple(i for w in printed for i in w.order_ids)
    numbers = tuple((i, w.waybill_code) for w in printed for i in w.order_ids)
    return replace(
        doc,
        pages=len(printed),
        order_ids=order_ids,
        tracking_numbers=numbers,
        page_numbers=tuple(w.waybill_code for w in printed),
        cloud=tuple(printed),
    )


def pdf_part(doc: RenderedDocument, pages: Sequence[int]) -> RenderedDocument:
    """The part of ``doc`` made of the PDF pages ``pages`` (0-based): what a partial print records."""
    wanted = [doc.page_numbers[p] for p in pages] if doc.page_numbers else []
    if not doc.page_numbers or len(wanted) == len(doc.page_numbers):
        return doc
    keep = set(wanted)
    numbers = tuple((i, n) for i, n in doc.tracking_numbers if n in keep)
    return replace(
        doc,
        pages=len(wanted),
        order_ids=tuple(dict.fromkeys(i for i, _ in numbers)),
        tracking_numbers=numbers,
        page_numbers=tuple(wanted),
    )


def _courier_of_account(account_id: int) -> str:
    row = database.execute_sql(
        "SELECT c.name FROM waybill_account a JOIN courier c ON c.id = a.courier_id WHERE a.id = ?",
        (account_id,),
    ).fetchone()
    return row[0] if row else ""


def default_sender() -> _Sender:
    """The sender block of every label: the default sender address (设置 → 发货地址).

    A shop without a sender address prints its name only. A waybill account's own sender
    address is not used: the merchant picks the one sender in 设置.
    """
    row = database.execute_sql(
        "SELECT contact_name, phone, province, city, district, detail FROM address WHERE is_sender = 1 "
        "ORDER BY is_default DESC, id LIMIT 1"
    ).fetchone()
    if row is None:
        return _Sender(_shop_name(), "", "")
    return _Sender(row[0], row[1], "".join(row[2:6]))


def _memo(texts: list[str]) -> str:
    return "；".join(dict.fromkeys(t.strip() for t in texts if t and t.strip()))


def _label_data(plans: list[_LabelPlan], printed_at: str) -> list[LabelData]:
    items = _load_items([o.id for p in plans for o in p.orders])
    sender = default_sender()
    out = []
    for p in plans:
        first = p.orders[0]
        order_sn = first.order_sn
        if len(p.orders) > 1:
            order_sn += _MERGED_SUFFIX.format(n=len(p.orders))
        out.append(
            LabelData(
                courier_name=p.courier_name,
                tracking_no=p.number,
                receiver_name=first.receiver_name,
                receiver_phone_masked=mask_phone(first.receiver_phone),
                receiver_address=first.address,
                sender_name=sender.name,
                sender_phone=sender.phone,
                sender_address=sender.address,
                order_sn=order_sn,
                printed_at=printed_at,
                sort_code=p.sort_code or None,
                hub=p.hub or None,
                items=tuple(
                    LabelItem(i.short_name, i.spec, i.quantity) for o in p.orders for i in items.get(o.id, ())
                ),
                buyer_memo=_memo([o.buyer_memo for o in p.orders]),
                seller_memo=_memo([o.seller_memo for o in p.orders]),
            )
        )
    return out


# --------------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------------


def default_template(doc_type: str) -> str:
    """The template a document type prints with by default: ``label_76x130`` for labels, else ""."""
    _check_doc_type(doc_type)
    return DEFAULT_TEMPLATE if doc_type == "label" else ""


def prior_prints(order_ids: Sequence[int], doc_type: str = "label") -> list[PriorPrint]:
    """Orders among ``order_ids`` printed before as ``doc_type``: how often and when last (reprint guard).

    From the recorded print jobs; for labels also from the order's own ``print_count`` /
    ``last_printed_at`` (what the list shows as 已打印×N, which also covers prints recorded before
    any print job, e.g. in the demo shop): the larger count and the later time win. In the order
    of ``order_ids``.
    """
    _check_doc_type(doc_type)
    ids = list(dict.fromkeys(int(i) for i in order_ids))
    if not ids:
        return []
    found: dict[int, list[int]] = {}
    for oid, times, last in _select_in(
        "SELECT pjo.order_id, COUNT(*), MAX(pj.created_at) FROM print_job_order pjo "
        "JOIN print_job pj ON pj.id = pjo.job_id WHERE pj.doc_type = ? AND pjo.order_id IN ({marks}) "
        "GROUP BY pjo.order_id",
        ids,
        prefix=(doc_type,),
    ):
        found[oid] = [times, last or 0]
    sns: dict[int, str] = {}
    for oid, sn, count, last in _select_in(
        'SELECT id, order_sn, print_count, last_printed_at FROM "order" WHERE id IN ({marks})', ids
    ):
        sns[oid] = sn
        if doc_type == "label" and count > 0:
            prev = found.setdefault(oid, [0, 0])
            prev[0] = max(prev[0], count)
            prev[1] = max(prev[1], last or 0)
    return [PriorPrint(oid, sns.get(oid, ""), *found[oid]) for oid in ids if oid in found]


#: Status names :func:`select_orders` understands → order-list view keys.
STATUS_VIEWS = {
    "待支付": "unpaid",
    "待发货": "to_ship",
    "已发货": "shipped",
    "已完成": "signed",
    "已取消": "cancelled",
}


def select_orders(
    *, status: str | None = None, order_sns: Sequence[str] = (), limit: int | None = None
) -> list[int]:
    """Order ids to print, for the command line: by status text or by order numbers.

    Args:
        status: 待支付 / 待发货 / 已发货 / 已完成 / 已取消: the orders of that tab, in the order
            list's urgency order (待发货 by ship deadline, earliest first; other tabs newest first).
        order_sns: order numbers, printed in this order; with ``status`` every one must be in it.
        limit: at most this many orders (the first ones).

    Raises:
        ValidationError: unknown status, unknown order numbers (all named), an order not in
            ``status``, a bad limit, or neither status nor order numbers.
    """
    from pdd_desktop.services import orders as order_service

    if limit is not None and (isinstance(limit, bool) or limit < 1):
        raise ValidationError("数量", f"应为正整数，收到 {limit!r}")
    wanted = None
    if status is not None:
        wanted = STATUS_VIEWS.get(status.strip())
        if wanted is None:
            raise ValidationError("订单状态", f"应为 {'、'.join(STATUS_VIEWS)} 之一，收到 {status!r}")
    sns = list(dict.fromkeys(sn.strip() for sn in order_sns if sn and sn.strip()))
    if not sns:
        if wanted is None:
            raise ValidationError("订单", "请指定订单状态或订单号")
        return order_service.search_ids(order_service.OrderFilter(view=wanted), sort="urgency", limit=limit)
    rows = {
        r[1]: (r[0], r[2])
        for r in _select_in('SELECT id, order_sn, status FROM "order" WHERE order_sn IN ({marks})', sns)
    }
    missing = [sn for sn in sns if sn not in rows]
    if missing:
        raise ValidationError("订单号", f"找不到 {len(missing)} 个订单：{'、'.join(missing[:20])}")
    if status is not None:
        label = status.strip()
        want = next(st for st in OrderStatus if st.label == label)
        other = [f"{sn}（{_status_label(rows[sn][1])}）" for sn in sns if rows[sn][1] != want]
        if other:
            raise ValidationError("订单", f"不是{label}状态：{'、'.join(other[:20])}")
    ids = [rows[sn][0] for sn in sns]
    return ids[:limit] if limit is not None else ids


def picking_summary(order_ids: Sequence[int]) -> tuple[int, int, int]:
    """(SKU lines, total quantity, orders) the picking list of ``order_ids`` will show.

    Orders that get no picking list (cancelled, refunds…) are left out, as in the document.
    """
    ids = _unique_ids(order_ids)
    ok, _skipped, _ = _eligible(ids, "picking")
    lines, n = aggregate(_picking_rows(ok))
    return len(lines), sum(line.quantity for line in lines), n


def _picking_rows(orders: list[_Ord]) -> list[tuple[str, str, str, str, int]]:
    items = _load_items([o.id for o in orders])
    return [
        (o.order_sn, i.seller_code, i.short_name, i.spec, i.quantity)
        for o in orders
        for i in items.get(o.id, ())
    ]


def render_documents(
    *,
    doc_type: str,
    order_ids: Sequence[int],
    out: Path,
    template: str | None = None,
    account_id: int | None = None,
    font_path: str | None = None,
    offset_mm: tuple[float, float] = (0.0, 0.0),
    task: TaskContext | None = None,
    client: PlatformClient | None = None,
    client_factory: Callable[[], PlatformClient] | None = None,
    clear_receivers_only: bool = False,
) -> RenderedDocument:
    """Render the documents of ``doc_type`` for ``order_ids`` into the PDF ``out``.

    Labels: one per order, or one per merged parcel listing all its orders (order number of the
    first + "等N单"); tracking numbers as the module docstring says, allocating pool numbers in
    one write transaction before rendering. Picking list: the SKU lines of all the orders, by
    seller code. Packing slips: one per order. Orders that get no document are in ``skipped``
    with the reason; when none is left, nothing is rendered and ``pages`` is 0.

    Rendering runs outside any transaction, reporting ``task.report(done, total, "正在生成…")``.
    Nothing is recorded here: call :func:`record_print_job` after printing.

    Args:
        doc_type: one of :data:`DOC_TYPES`.
        order_ids: local order ids, in print order (duplicates ignored).
        out: the PDF file, written atomically (nothing on failure or cancel).
        template: label template name or TOML path (default :func:`default_template`); ignored
            for other documents.
        account_id: the e-waybill account new label numbers come from (default: the default
            account, else the first with free numbers).
        font_path: a TrueType CJK font to use instead of the one found on the system.
        offset_mm: printer calibration (x right, y down), labels only.
        task: progress and cancel.
        client: the platform client for a platform account's numbers (``pdd.waybill.get``
            before rendering, network: call this in a worker); without one, orders that still
            need a platform number are skipped with :data:`NO_PLATFORM_NUMBER`.
        client_factory: makes that client only when some order needs a platform number (the
            window's print path: no connection for pool labels); when it fails, every such order
            is skipped with the reason.

        clear_receivers_only: keep platform labels (``cloud``) out of the PDF unless their
            receiver is readable in clear (demo, file route, plain receivers): the window's print
            path, where the print component prints the others.

    Labels of platform numbers (``print_data`` stored) are also returned in ``cloud`` for the
    print component. ``order_ids``/``tracking_numbers``/``page_numbers`` describe the PDF alone.

    Raises:
        Cancelled: the user cancelled; no file is written (numbers allocated before the render
            stay with their orders).
        ValidationError: unknown document type, empty selection, bad template or account.
    """
    _check_doc_type(doc_type)
    ids = _unique_ids(order_ids)
    out = Path(out)
    if task is not None:
        task.raise_if_cancelled()
    label = f"正在生成{DOC_LABELS[doc_type]}…"
    _report(task, 0, len(ids), label)
    font = _font(font_path)
    now = clock.now()
    printed_at = format_ts(now, "%Y-%m-%d %H:%M")
    progress = _progress(task, label)
    should_cancel = (lambda: task.cancel_requested) if task is not None else None

    def result(pages, template_name, order_seq, numbers, skipped, size) -> RenderedDocument:
        return RenderedDocument(
            doc_type=doc_type,
            path=out,
            pages=pages,
            template=template_name,
            order_ids=tuple(order_seq),
            tracking_numbers=tuple(numbers),
            skipped=tuple(skipped),
            font_warning=font.warning,
            page_size_mm=size,
        )

    if doc_type == "label":
        name = template or default_template("label")
        try:
            tmpl = load_template(name)
        except TemplateError as exc:
            raise ValidationError("面单模板", str(exc)) from exc
        size = (tmpl.width_mm, tmpl.height_mm)
        failures = _issue_platform_numbers(ids, account_id, client, task, client_factory)
        planned = _plan_labels(ids, account_id, now, allocate=False, issue_failures=failures)
        if planned.needs_allocation:
            with write_transaction():
                planned = _plan_labels(ids, account_id, now, allocate=True, issue_failures=failures)
        cloud = _cloud_labels(planned.plans)
        # The PDF (clear_receivers_only): every label ReportLab may print; a platform label only
        # when its receiver is readable here (never a label with an empty or encrypted receiver).
        plans = [
            p
            for p in planned.plans
            if not clear_receivers_only or p.number not in cloud or _receiver_clear(p)
        ]
        cloud_docs = tuple(cloud[p.number] for p in planned.plans if p.number in cloud)
        numbers = [(o.id, p.number) for p in plans for o in p.orders]
        if not plans:
            return replace(result(0, str(name), (), (), planned.skipped, size), cloud=cloud_docs)
        labels = _label_data(plans, printed_at)
        if task is not None:
            task.raise_if_cancelled()
        pages = render_labels(
            labels, tmpl, out, font=font, progress=progress, should_cancel=should_cancel, offset_mm=offset_mm
        )
        doc = result(pages, str(name), [n[0] for n in numbers], numbers, planned.skipped, size)
        return replace(doc, page_numbers=tuple(p.number for p in plans), cloud=cloud_docs)

    ok, skipped, _ = _eligible(ids, doc_type)
    if doc_type == "picking":
        size = _mm(A4)
        if not ok:
            return result(0, "", (), (), skipped, size)
        lines, n = aggregate(_picking_rows(ok))
        picking = PickingList(tuple(lines), n, printed_at, _shop_name())
        pages = render_picking_list(picking, out, font=font, progress=progress, should_cancel=should_cancel)
        return result(pages, "", [o.id for o in ok], (), skipped, size)

    size = _mm(A5)
    if not ok:
        return result(0, "", (), (), skipped, size)
    items = _load_items([o.id for o in ok])
    shop = _shop_name()
    slips = [
        PackingSlip(
            shop_name=shop,
            order_sn=o.order_sn,
            receiver_name_masked=mask_name(o.receiver_name),
            items=tuple(
                PackingItem(i.goods_name, i.spec, i.quantity, i.unit_price_fen) for i in items.get(o.id, ())
            ),
            printed_at=printed_at,
            buyer_memo=o.buyer_memo,
            seller_memo=o.seller_memo,
            paid_fen=o.pay_amount_fen,
        )
        for o in ok
    ]
    pages = render_packing_slips(slips, out, font=font, progress=progress, should_cancel=should_cancel)
    return result(pages, "", [o.id for o in ok], (), skipped, size)


def record_print_job(*, doc: RenderedDocument, printer: str, actor: str = "user") -> Changes:
    """Record that ``doc`` was printed on ``printer`` (system printer name, or ``"PDF:<path>"``).

    One write transaction: the print job, one row per order (with its label's tracking number),
    for labels ``print_count + 1`` and ``last_printed_at`` on each order (only labels make an
    order 已打印), and one audit entry per order (``actor``: ``user``, or the automation rule that
    printed; action ``print_<doc_type>``).

    Raises:
        NotAllowed: the document is empty (nothing was printed).
        ValidationError: no printer named, or an unknown document type.
    """
    _check_doc_type(doc.doc_type)
    printer = (printer or "").strip()
    if not printer:
        raise ValidationError("打印机", "不能为空")
    ids = list(dict.fromkeys(doc.order_ids))
    if doc.pages <= 0 or not ids:
        raise NotAllowed("没有打印任何内容")
    numbers = dict(doc.tracking_numbers)
    now = clock.now()
    action = f"print_{doc.doc_type}"
    with write_transaction():
        conn = database.connection()
        job_id = conn.execute(
            "INSERT INTO print_job (doc_type, template, printer, pages, order_count, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (doc.doc_type, doc.template, printer, doc.pages, len(ids), now),
        ).lastrowid
        conn.executemany(
            "INSERT INTO print_job_order (job_id, order_id, tracking_number) VALUES (?, ?, ?)",
            [(job_id, oid, numbers.get(oid, "")) for oid in ids],
        )
        if doc.doc_type == "label":
            conn.executemany(
                'UPDATE "order" SET print_count = print_count + 1, last_printed_at = ? WHERE id = ?',
                [(now, oid) for oid in ids],
            )
        sns = dict(_select_in('SELECT id, order_sn FROM "order" WHERE id IN ({marks})', ids))
        audit = []
        for oid in ids:
            detail: dict[str, Any] = {
                "job_id": job_id,
                "doc": DOC_LABELS[doc.doc_type],
                "printer": printer,
                "pages": doc.pages,
                "orders": len(ids),
            }
            if doc.template:
                detail["template"] = doc.template
            if oid in numbers:
                detail["tracking_number"] = numbers[oid]
            audit.append((now, action, sns.get(oid, str(oid)), _json(detail), oid))
        conn.executemany(
            "INSERT INTO audit_log (at, actor, action, entity_type, entity_id, detail_json, order_id) "
            "VALUES (?, ?, ?, 'order', ?, ?, ?)",
            [(at, actor[:16], *rest) for at, *rest in audit],
        )
    return Changes(orders=True)


def _json(value: dict[str, Any]) -> str:
    return json.dumps(value, ensure_ascii=False)


__all__ = [
    "DOC_LABELS",
    "DOC_TYPES",
    "PriorPrint",
    "RenderedDocument",
    "SkippedForPrint",
    "cloud_part",
    "default_template",
    "pdf_part",
    "picking_summary",
    "prior_prints",
    "record_print_job",
    "render_documents",
    "select_orders",
]
