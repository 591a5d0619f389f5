"""发货中心 order list: ids for a filter and sort, tab counts, display rows, detail, reveal, saved filters.

The table follows "ids eager, rows lazy": :func:`search_ids` returns the sorted ids (the first
screen with ``limit=200``, the whole list in the background), :func:`rows_for_ids` turns a
block of ~200 of them into display-ready :class:`OrderRow` values. Everything returned is a
frozen dataclass or a tuple, never a Peewee instance. Reads run on any thread; the writes
(:func:`reveal_receiver`, saved filters) are short ``write_transaction`` blocks.
"""

from __future__ import annotations

import json
import os
import re
import uuid
from collections.abc import Sequence
from dataclasses import asdict, dataclass, fields

from pdd_desktop.common import clock
from pdd_desktop.common.changes import Changes
from pdd_desktop.common.task import TaskContext
from pdd_desktop.common.timefmt import format_ts
from pdd_desktop.data.db import database, write_transaction
from pdd_desktop.data.models import AuditLog, Outbox, Setting
from pdd_desktop.data.queries import orders as q
from pdd_desktop.domain.after_sales import AfterSaleType, status_label
from pdd_desktop.domain.errors import NotAllowed, ValidationError
from pdd_desktop.domain.money import format_yuan_plain
from pdd_desktop.domain.orders import Flag, OrderStatus, RefundStatus, goods_line_text
from pdd_desktop.domain.privacy import masked_receiver
from pdd_desktop.services.settings import load_settings
from pdd_desktop.tabular.table_files import format_for, write_table

HOUR = 3600

#: (key, label) of the status tabs then the quick views, in the order the page shows them.
VIEWS: tuple[tuple[str, str], ...] = (
    ("unpaid", "待支付"),
    ("to_ship", "待发货"),
    ("shipped", "已发货"),
    ("signed", "已完成"),
    ("cancelled", "已取消"),
    ("all", "全部"),
    ("near_deadline", "即将超时"),
    ("overdue", "已超时"),
    ("after_sales", "有售后"),
    ("unprinted", "未打印"),
    ("pending_upload", "待上传"),
    ("held", "已暂停"),
)
#: (key, label) of the sort orders; ``urgency`` is the default.
SORTS: tuple[tuple[str, str], ...] = (
    ("urgency", "按发货紧急程度"),
    ("created_desc", "下单时间↓"),
    ("created_asc", "下单时间↑"),
    ("paid_desc", "支付时间↓"),
    ("amount_desc", "实付金额↓"),
    ("amount_asc", "实付金额↑"),
)
_VIEW_KEYS = frozenset(key for key, _ in VIEWS)
_SORT_KEYS = frozenset(key for key, _ in SORTS)

#: Setting key of the saved filters (a JSON list of ``{"name", "filter"}``).
SAVED_FILTERS_KEY = "orders.saved_filters"
MAX_SAVED_FILTERS = 50
MAX_FILTER_NAME = 30
#: Item lines named in a row's summary before "等N件".
SUMMARY_LINES = q.SUMMARY_ITEMS
_SN_RE = re.compile(r"^[0-9A-Za-z\-]+$")


@dataclass(frozen=True)
class OrderFilter:
    """What the filter bar holds; every set field narrows the list (AND).

    Attributes:
        view: A key of :data:`VIEWS` (status tab or quick view).
        order_sn: The full order number or any fragment of it (digits, letters, ``-``).
        buyer: Buyer nickname prefix; the full nickname matches too.
        receiver: Receiver name or phone number, exact.
        created_from: Orders created at or after (UTC epoch s).
        created_to: Orders created before (UTC epoch s).
        paid_from: Orders paid at or after (UTC epoch s).
        paid_to: Orders paid before (UTC epoch s).
        goods: A fragment of the goods name or short name (from the goods list), a goods or SKU
            id (digits, exact), or a seller code prefix (SKU ``outer_id`` or goods
            ``outer_goods_id``).
        flag: 1..5 for that flag colour, 0 for orders without a flag.
        memo: A fragment of the buyer memo or the seller memo.
        printed: True for printed at least once, False for never printed.
        order_ids: Exactly these orders (数据's click-through: the orders behind a figure);
            empty = no such term. Never saved with a filter.
        order_ids_label: What ``order_ids`` are, in the merchant's words (the filter bar shows it).
    """

    view: str = "all"
    order_sn: str = ""
    buyer: str = ""
    receiver: str = ""
    created_from: int | None = None
    created_to: int | None = None
    paid_from: int | None = None
    paid_to: int | None = None
    goods: str = ""
    flag: int | None = None
    memo: str = ""
    printed: bool | None = None
    order_ids: tuple[int, ...] = ()
    order_ids_label: str = ""


@dataclass(frozen=True)
class OrderRow:
    """Everything one row of the order table shows; text fields are display-ready."""

    id: int
    order_sn: str
    status: int
    status_label: str  #: 待发货 …
    refund_status: int
    after_sales_badge: str  #: 无售后 / 售后中 / 退款中 / 已退款
    buyer_nickname: str
    receiver_name_mask: str
    receiver_phone_mask: str
    region: str  #: "省 市 区"
    items_summary: str  #: "短名 规格×2；短名 规格×1 等5件"
    item_count: int  #: units in the order
    pay_amount_fen: int
    created_at: int | None
    paid_at: int | None
    ship_deadline_at: int | None
    shipped_at: int | None
    flag: int | None
    seller_memo: str
    buyer_memo: str
    print_count: int
    pending_ops: int
    tracking_numbers: str  #: "中通快递 7312…、圆通速递 YT…" (live packages only)
    #: The reason of an open 暂停发货 hold ("" when none; services/holds.py).
    hold_reason: str = ""
    #: The hold was placed by an automation rule (else by the merchant).
    hold_by_rule: bool = False

    @property
    def held(self) -> bool:
        """A 待发货 order on hold: shipping and printing refuse it until it is released."""
        return bool(self.hold_reason) and self.status == OrderStatus.TO_SHIP


@dataclass(frozen=True)
class ItemLine:
    """One line of an order."""

    goods_id: int
    sku_id: int
    goods_name: str
    short_name: str
    spec: str
    outer_id: str
    quantity: int
    unit_price_fen: int

    @property
    def subtotal_fen(self) -> int:
        """Unit price × quantity."""
        return self.unit_price_fen * self.quantity


@dataclass(frozen=True)
class Amounts:
    """The order's money, all in fen."""

    goods: int  #: 商品总价
    postage: int  #: 邮费
    platform_discount: int  #: 平台优惠
    seller_discount: int  #: 店铺优惠
    change: int  #: 改价
    pay_reduction: int  #: 多多支付立减
    pay: int  #: 用户实付
    merchant_receive: int  #: 商家实收


@dataclass(frozen=True)
class PackageLine:
    """A parcel of the order with its tracking events (``(at, kind label, location, description)``)."""

    courier: str
    number: str
    kind_label: str
    shipped_at: int
    voided: bool
    void_reason: str
    events: tuple[tuple[int, str, str, str], ...]
    #: When the courier trace was last fetched (None: 未查询; always None for 无物流发货).
    trace_fetched_at: int | None = None


@dataclass(frozen=True)
class AfterSaleLine:
    """An after-sales case with its negotiation steps (``(at, actor label, action, note)``)."""

    id: int
    type_label: str
    status_label: str
    reason: str
    refund_amount_fen: int
    created_at: int
    expire_at: int | None
    events: tuple[tuple[int, str, str, str], ...]


@dataclass(frozen=True)
class AuditLine:
    """One audit entry about the order."""

    at: int
    actor: str  #: 用户 / 同步 / 导入 / 系统
    action: str  #: Chinese label of the action
    detail: str


@dataclass(frozen=True)
class HoldLine:
    """The order's open 暂停发货 hold in its detail panel."""

    reason: str
    held_at: int
    by: str  #: who placed it: 商家 / 自动化规则「风险订单暂停发货」
    by_rule: bool


@dataclass(frozen=True)
class OrderDetail:
    """The detail panel of one order."""

    row: OrderRow
    items: tuple[ItemLine, ...]
    amounts: Amounts
    timeline: tuple[tuple[str, int], ...]  #: (label, ts) of what happened, by time
    receiver_masked: str  #: "张* 139****5678 广东省 深圳市 南山区 科技园*****"
    packages: tuple[PackageLine, ...]
    after_sales: tuple[AfterSaleLine, ...]
    audit: tuple[AuditLine, ...]
    #: E-waybill numbers reserved or used for the order: (number, 平台电子面单 / 本地单号, state
    #: text, 三段码 and 集包地), newest first.
    label_numbers: tuple[tuple[str, str, str, str], ...] = ()
    #: The open 暂停发货 hold, None when the order has none.
    hold: HoldLine | None = None


#: ``waybill_number.state`` (and a platform cancel's progress) in the detail panel.
_NUMBER_STATES = {"allocated": "已打单未发货", "used": "已发货", "free": "未使用"}
_CANCEL_STATES = {
    "pending": "已作废，等待平台取消",
    "done": "已作废，平台已取消",
    "failed": "已作废，平台取消失败",
}


def _label_numbers(order_id: int) -> tuple[tuple[str, str, str, str], ...]:
    from pdd_desktop.services import waybills

    out = []
    for n in waybills.order_numbers(order_id):
        state = _CANCEL_STATES.get(n.cancel_state) if n.state == "cancelled" else None
        state = state or ("已作废" if n.state == "cancelled" else _NUMBER_STATES.get(n.state, n.state))
        route = " ".join(x for x in (n.sort_code, n.hub) if x)
        out.append((n.tracking_number, n.source_label, state, route))
    return tuple(out)


@dataclass(frozen=True)
class ReceiverInfo:
    """The unmasked receiver of an order (shown only after an audited reveal)."""

    name: str
    phone: str
    province: str
    city: str
    district: str
    town: str
    detail: str


# ---------------------------------------------------------------------------- filter checking


def _check_range(name: str, low: int | None, high: int | None) -> None:
    for value in (low, high):
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            raise ValidationError(name, f"应为时间戳整数，收到 {value!r}")
    if low is not None and high is not None and low >= high:
        raise ValidationError(name, "开始时间应早于结束时间")


def _criteria(f: OrderFilter) -> q.Criteria:
    """Validate ``f`` and turn it into query criteria (view excluded).

    Raises:
        ValidationError: with a Chinese message naming the field.
    """
    if not isinstance(f, OrderFilter):
        raise ValidationError("筛选条件", "类型不对")
    order_sn = (f.order_sn or "").strip()
    if order_sn and not _SN_RE.match(order_sn):
        raise ValidationError("订单号", "只能包含数字、字母和短横线")
    if f.flag is not None and (isinstance(f.flag, bool) or f.flag not in range(6)):
        raise ValidationError("旗帜", f"应为 0（无旗帜）或 1 到 5，收到 {f.flag!r}")
    if f.printed is not None and not isinstance(f.printed, bool):
        raise ValidationError("打印状态", "应为已打印或未打印")
    _check_range("下单时间", f.created_from, f.created_to)
    _check_range("支付时间", f.paid_from, f.paid_to)
    if any(isinstance(i, bool) or not isinstance(i, int) for i in f.order_ids):
        raise ValidationError("订单", "订单编号应为整数")
    return q.Criteria(
        order_sn=order_sn,
        buyer_prefix=(f.buyer or "").strip(),
        receiver=(f.receiver or "").strip(),
        created_from=f.created_from,
        created_to=f.created_to,
        paid_from=f.paid_from,
        paid_to=f.paid_to,
        goods=(f.goods or "").strip(),
        flag=f.flag,
        memo=(f.memo or "").strip(),
        printed=f.printed,
        order_ids=tuple(f.order_ids),
    )


def _check_view(view: str) -> str:
    if view not in _VIEW_KEYS:
        raise ValidationError("视图", f"没有这个视图：{view!r}")
    return view


def _now_and_near(now: int | None) -> tuple[int, int]:
    return (clock.now() if now is None else now), load_settings().near_deadline_hours * HOUR


# ---------------------------------------------------------------------------- list


def search_ids(
    f: OrderFilter, *, sort: str = "urgency", now: int | None = None, limit: int | None = None
) -> list[int]:
    """Ids of the orders matching ``f``, in ``sort`` order.

    ``urgency`` lists 待发货 orders by ship deadline (earliest first; none known first), then
    all other orders newest first. Ties break on id in the sort's direction.

    Args:
        f: The filter (its ``view`` picks the tab or quick view).
        sort: A key of :data:`SORTS`.
        now: Time for the deadline views (default: the clock).
        limit: At most this many ids (the first screen); None for all.

    Raises:
        ValidationError: unknown view or sort, or a bad filter value.
    """
    criteria = _criteria(f)
    view = _check_view(f.view)
    if sort not in _SORT_KEYS:
        raise ValidationError("排序", f"没有这种排序：{sort!r}")
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 0):
        raise ValidationError("条数", f"应为非负整数，收到 {limit!r}")
    now, near_s = _now_and_near(now)
    if limit == 0:
        return []
    return q.search_ids(view, criteria, sort=sort, now=now, near_s=near_s, limit=limit)


def count_orders(f: OrderFilter, *, now: int | None = None) -> int:
    """Number of orders :func:`search_ids` would return for ``f``."""
    criteria = _criteria(f)
    view = _check_view(f.view)
    now, near_s = _now_and_near(now)
    return q.count(view, criteria, now=now, near_s=near_s)


def view_counts(f: OrderFilter, *, now: int | None = None) -> dict[str, int]:
    """The badge of every view (key of :data:`VIEWS` → count) under the other filters of ``f``.

    ``f.view`` is ignored.
    """
    criteria = _criteria(f)
    now, near_s = _now_and_near(now)
    counts = q.view_counts(criteria, now=now, near_s=near_s)
    return {key: counts[key] for key, _ in VIEWS}


# ---------------------------------------------------------------------------- rows


def _status_label(status: int) -> str:
    try:
        return OrderStatus(status).label
    except ValueError:
        return f"未知状态 {status}"


def _badge(refund_status: int) -> str:
    try:
        return RefundStatus(refund_status).label
    except ValueError:
        return RefundStatus.NONE.label


def _items_summary(lines: list[list[str]], line_count: int, units: int) -> str:
    parts = []
    for name, spec, quantity in lines[:SUMMARY_LINES]:
        parts.append(goods_line_text(name, spec, quantity))
    text = "；".join(parts)
    if line_count > SUMMARY_LINES:
        text += f" 等{units}件"
    return text


def _row(raw: tuple) -> OrderRow:
    (oid, order_sn, status, refund_status, buyer, name_mask, phone_mask, province, city, district,
     item_count, pay, created, paid, deadline, shipped, flag, seller_memo, buyer_memo, print_count,
     pending, items, item_lines, tracking, hold_reason, hold_by_rule) = raw  # fmt: skip
    packages = q.split_records(tracking)
    return OrderRow(
        id=oid,
        order_sn=order_sn,
        status=status,
        status_label=_status_label(status),
        refund_status=refund_status,
        after_sales_badge=_badge(refund_status),
        buyer_nickname=buyer,
        receiver_name_mask=name_mask,
        receiver_phone_mask=phone_mask,
        region=" ".join(part for part in (province, city, district) if part),
        items_summary=_items_summary(q.split_records(items), item_lines, item_count),
        item_count=item_count,
        pay_amount_fen=pay,
        created_at=created,
        paid_at=paid,
        ship_deadline_at=deadline,
        shipped_at=shipped,
        flag=flag,
        seller_memo=seller_memo,
        buyer_memo=buyer_memo,
        print_count=print_count,
        pending_ops=pending,
        tracking_numbers="、".join(" ".join(p for p in pkg if p) for pkg in packages),
        hold_reason=hold_reason or "",
        hold_by_rule=bool(hold_by_rule),
    )


def rows_for_ids(ids: Sequence[int]) -> list[OrderRow]:
    """Display rows for ``ids`` in the same order; ids that no longer exist are skipped.

    One query per call for a block of up to 900 ids (the table asks for ~200 at a time).
    """
    raw = q.rows(ids)
    return [_row(raw[i]) for i in ids if i in raw]


# ---------------------------------------------------------------------------- detail

_KIND_LABELS = {"normal": "普通", "extra": "分包", "resend": "补发", "gift": "赠品", "none": "无物流"}
_EVENT_LABELS = {
    "pickup": "揽收",
    "transit": "运输中",
    "delivering": "派件中",
    "signed": "已签收",
    "exception": "异常",
}
_ACTOR_LABELS = {
    "buyer": "买家",
    "seller": "商家",
    "platform": "平台",
    "system": "系统",
    "user": "用户",
    "sync": "同步",
    "import": "导入",
}
_AUDIT_ACTIONS = {
    "reveal_receiver": "查看收件人信息",
    "ship": "发货",
    "modify_shipment": "修改发货",
    "cancel_shipment": "取消发货",
    "set_memo": "修改备注",
    "set_flag": "修改旗帜",
    "print": "打印",
    "merge": "合并发货",
    "split": "拆分合并",
    "hold": "暂停发货",
    "release_hold": "解除暂停",
}
_AUDIT_KEYS = {"reason": "原因", "note": "备注", "flag": "旗帜", "courier": "快递", "tracking_number": "单号"}
_TIMELINE = (
    ("created_at", "下单"),
    ("paid_at", "支付"),
    ("group_formed_at", "成团"),
    ("ship_deadline_at", "承诺发货"),
    ("shipped_at", "发货"),
    ("signed_at", "签收"),
    ("cancelled_at", "取消"),
    ("last_printed_at", "打印"),
)


def _audit_detail(text: str) -> str:
    try:
        data = json.loads(text or "{}")
    except ValueError:
        return text
    if not isinstance(data, dict):
        return str(data)
    return "；".join(f"{_AUDIT_KEYS.get(k, k)}：{v}" for k, v in data.items() if v not in ("", None))


def _actor_label(actor: str) -> str:
    """用户 / 同步 / … for an audit actor; an automation rule (``auto:<rule>``) by its name."""
    if actor.startswith("auto:"):
        from pdd_desktop.domain.automation import INFO
        from pdd_desktop.services.automation import ACTORS  # lazy: automation imports this module

        kind = next((k for k, a in ACTORS.items() if a == actor), None)
        return f"自动化规则「{INFO[kind].title}」" if kind is not None else "自动化规则"
    return _ACTOR_LABELS.get(actor, actor)


def _hold_line(order_id: int) -> HoldLine | None:
    from pdd_desktop.services import holds

    hold = holds.open_hold(order_id)
    if hold is None:
        return None
    by = _actor_label(hold.actor) if hold.by_rule else "商家"
    return HoldLine(hold.reason, hold.held_at, by, hold.by_rule)


def _type_label(code: int) -> str:
    try:
        return AfterSaleType(code).label
    except ValueError:
        return f"类型 {code}"


def order_detail(order_id: int) -> OrderDetail:
    """Everything the detail panel shows for one order (a handful of indexed queries).

    Raises:
        NotAllowed: the order does not exist (any more).
    """
    rec = q.order_record(order_id)
    raw = q.rows([order_id]).get(order_id)
    if rec is None or raw is None:
        raise NotAllowed(f"订单不存在或已被删除（id {order_id}）")
    items = tuple(ItemLine(*line) for line in q.order_items(order_id))
    packages_raw = q.order_packages(order_id)
    events: dict[int, list[tuple[int, str, str, str]]] = {}
    for package_id, at, kind, location, description in q.tracking_events([p[0] for p in packages_raw]):
        events.setdefault(package_id, []).append((at, _EVENT_LABELS.get(kind, kind), location, description))
    packages = tuple(
        PackageLine(
            courier=courier,
            number=number,
            kind_label=_KIND_LABELS.get(kind, kind),
            shipped_at=shipped,
            voided=voided is not None,
            void_reason=reason,
            events=tuple(events.get(pid, ())),
            trace_fetched_at=fetched,
        )
        for pid, courier, number, kind, shipped, voided, reason, fetched in packages_raw
    )
    cases_raw = q.order_after_sales(order_id)
    case_events: dict[int, list[tuple[int, str, str, str]]] = {}
    for case_id, at, actor, action, note in q.after_sale_events([c[0] for c in cases_raw]):
        case_events.setdefault(case_id, []).append((at, _ACTOR_LABELS.get(actor, actor), action, note))
    after_sales = tuple(
        AfterSaleLine(
            id=cid,
            type_label=_type_label(typ),
            status_label=status_label(code),
            reason=reason,
            refund_amount_fen=refund,
            created_at=created,
            expire_at=expire,
            events=tuple(case_events.get(cid, ())),
        )
        for cid, typ, code, reason, refund, created, expire in cases_raw
    )
    audit = tuple(
        AuditLine(at, _actor_label(actor), _AUDIT_ACTIONS.get(action, action), _audit_detail(detail))
        for at, actor, action, detail in q.order_audit(order_id)
    )
    timeline = tuple(
        sorted(((label, rec[col]) for col, label in _TIMELINE if rec[col] is not None), key=lambda e: e[1])
    )
    receiver_masked = masked_receiver(rec)
    return OrderDetail(
        row=_row(raw),
        items=items,
        amounts=Amounts(
            goods=rec["goods_amount_fen"],
            postage=rec["postage_fen"],
            platform_discount=rec["platform_discount_fen"],
            seller_discount=rec["seller_discount_fen"],
            change=rec["change_amount_fen"],
            pay_reduction=rec["pay_reduction_fen"],
            pay=rec["pay_amount_fen"],
            merchant_receive=rec["merchant_receive_fen"],
        ),
        timeline=timeline,
        receiver_masked=receiver_masked,
        packages=packages,
        after_sales=after_sales,
        audit=audit,
        label_numbers=_label_numbers(order_id),
        hold=_hold_line(order_id),
    )


def reveal_receiver(*, order_id: int, reason: str = "") -> tuple[ReceiverInfo, Changes]:
    """The unmasked receiver of an order; the reveal is written to the audit log first.

    The audit row (action ``reveal_receiver``) records who, when and why, never the data.
    Nothing a list shows changes, so the returned :class:`Changes` is empty; the caller
    re-reads :func:`order_detail` to show the new audit line.

    Raises:
        NotAllowed: the order does not exist.
        ValidationError: the reason is longer than 200 characters.
    """
    reason = (reason or "").strip()
    if len(reason) > 200:
        raise ValidationError("查看原因", "不能超过 200 个字")
    with write_transaction():
        row = database.execute_sql(
            "SELECT receiver_name, receiver_phone, province, city, district, town, address_detail "
            'FROM "order" WHERE id = ?',
            (order_id,),
        ).fetchone()
        if row is None:
            raise NotAllowed(f"订单不存在或已被删除（id {order_id}）")
        AuditLog.create(
            at=clock.now(),
            actor="user",
            action="reveal_receiver",
            entity_type="order",
            entity_id=str(order_id),
            order_id=order_id,
            detail_json=json.dumps({"reason": reason}, ensure_ascii=False),
        )
    return ReceiverInfo(*row), Changes()


# ---------------------------------------------------------------------------- saved filters

_FILTER_FIELDS = {f.name for f in fields(OrderFilter)}


def _load_saved() -> list[dict]:
    row = database.execute_sql(
        "SELECT value_json FROM setting WHERE key = ?", (SAVED_FILTERS_KEY,)
    ).fetchone()
    if row is None:
        return []
    try:
        data = json.loads(row[0])
    except ValueError:
        return []
    return (
        [d for d in data if isinstance(d, dict) and isinstance(d.get("name"), str)]
        if isinstance(data, list)
        else []
    )


def _store_saved(entries: list[dict], action: str, name: str) -> None:
    now = clock.now()
    Setting.insert(
        key=SAVED_FILTERS_KEY, value_json=json.dumps(entries, ensure_ascii=False), updated_at=now
    ).on_conflict_replace().execute()
    AuditLog.create(
        at=now,
        actor="user",
        action=action,
        entity_type="setting",
        entity_id=SAVED_FILTERS_KEY,
        detail_json=json.dumps({"name": name}, ensure_ascii=False),
    )


def saved_filters() -> list[tuple[str, OrderFilter]]:
    """The saved filters as (name, filter), in the order they were saved.

    Entries that no longer fit :class:`OrderFilter` (fields dropped in a later version) keep
    their known fields.
    """
    out = []
    for entry in _load_saved():
        raw = entry.get("filter") or {}
        known = {k: v for k, v in raw.items() if k in _FILTER_FIELDS} if isinstance(raw, dict) else {}
        out.append((entry["name"], OrderFilter(**known)))
    return out


def save_filter(*, name: str, f: OrderFilter) -> Changes:
    """Save ``f`` under ``name`` (replacing a filter of the same name).

    Raises:
        ValidationError: empty or too long name, too many filters, or a bad filter.
    """
    name = (name or "").strip()
    if not name:
        raise ValidationError("筛选名称", "不能为空")
    if len(name) > MAX_FILTER_NAME:
        raise ValidationError("筛选名称", f"不能超过 {MAX_FILTER_NAME} 个字")
    _criteria(f)
    _check_view(f.view)
    with write_transaction():
        entries = [e for e in _load_saved() if e["name"] != name]
        if len(entries) >= MAX_SAVED_FILTERS:
            raise ValidationError("常用筛选", f"最多保存 {MAX_SAVED_FILTERS} 个")
        # A click-through's order list is a moment's answer, not a reusable filter.
        kept = {k: v for k, v in asdict(f).items() if k not in ("order_ids", "order_ids_label")}
        entries.append({"name": name, "filter": kept})
        _store_saved(entries, "save_filter", name)
    return Changes(settings=True)


def delete_saved_filter(*, name: str) -> Changes:
    """Delete the saved filter ``name`` (nothing happens when there is none)."""
    with write_transaction():
        entries = _load_saved()
        kept = [e for e in entries if e["name"] != name]
        if len(kept) == len(entries):
            return Changes()
        _store_saved(kept, "delete_saved_filter", name)
    return Changes(settings=True)


# ---------------------------------------------------------------------------- export of the list

#: Columns of :func:`export_orders`, in file order.
EXPORT_HEADER: tuple[str, ...] = (
    "订单号", "订单状态", "售后状态", "下单时间", "支付时间", "承诺发货时间", "发货时间", "买家昵称",
    "收件人", "手机号", "省", "市", "区", "街道", "详细地址", "商品", "件数", "商品总价(元)", "邮费(元)",
    "店铺优惠(元)", "平台优惠(元)", "用户实付(元)", "商家实收(元)", "快递单号", "买家留言", "商家备注",
    "旗帜", "打印次数",
)  # fmt: skip
#: Orders read per step of an export (one rows query and one details query each).
EXPORT_CHUNK = 500
EXPORT_PROGRESS = "正在导出订单"


@dataclass(frozen=True)
class ExportResult:
    """What :func:`export_orders` wrote."""

    path: str
    rows: int
    full_receiver: bool


def _flag_text(flag: int | None) -> str:
    try:
        return Flag(flag).label if flag else ""
    except ValueError:
        return ""


def _export_row(row: OrderRow, details: tuple, full_receiver: bool) -> list[object]:
    (goods, postage, seller_discount, platform_discount, receive, name, phone, name_mask, phone_mask,
     province, city, district, town, detail, detail_mask, items) = details  # fmt: skip
    item_text = "；".join(
        goods_line_text(goods_name, spec, quantity) for goods_name, spec, quantity in q.split_records(items)
    )
    return [
        row.order_sn, row.status_label, row.after_sales_badge, format_ts(row.created_at),
        format_ts(row.paid_at), format_ts(row.ship_deadline_at), format_ts(row.shipped_at),
        row.buyer_nickname, name if full_receiver else name_mask, phone if full_receiver else phone_mask,
        province, city, district, town, detail if full_receiver else detail_mask, item_text, row.item_count,
        *(format_yuan_plain(fen) for fen in (goods, postage, seller_discount, platform_discount,
                                             row.pay_amount_fen, receive)),
        row.tracking_numbers, row.buyer_memo, row.seller_memo, _flag_text(row.flag), row.print_count,
    ]  # fmt: skip


def audit_receiver_export(*, orders: int, path: str, reason: str, layout: str = "") -> None:
    """Write the audit row of an export with unmasked receivers, before any row is read.

    The row holds the count, the file name and the reason; never the data.
    """
    detail: dict[str, object] = {"orders": orders, "file": os.path.basename(str(path)), "reason": reason}
    if layout:
        detail["layout"] = layout
    with write_transaction():
        AuditLog.create(
            at=clock.now(),
            actor="user",
            action="export_receivers",
            entity_type="order_list",
            entity_id="",
            detail_json=json.dumps(detail, ensure_ascii=False),
        )


def export_orders(
    f: OrderFilter,
    path: str,
    *,
    sort: str = "urgency",
    full_receiver: bool = False,
    reason: str = "",
    task: TaskContext | None = None,
    now: int | None = None,
) -> ExportResult:
    """Write the orders matching ``f`` (in ``sort`` order) to a CSV or XLSX file.

    Receiver name, phone and street are masked unless ``full_receiver``; an unmasked export is
    written to the audit log (how many orders, the file name and the reason; never the data)
    before any row is read. Rows are streamed in blocks of :data:`EXPORT_CHUNK`; a cancel leaves
    no file. Money is yuan with two decimals from integer fen; times are Beijing time.
    """
    reason = (reason or "").strip()
    if len(reason) > 200:
        raise ValidationError("导出原因", "不能超过 200 个字")
    fmt = format_for(path)
    ids = search_ids(f, sort=sort, now=now)
    total = len(ids)
    if task is not None:
        task.report(0, total, EXPORT_PROGRESS)
    if full_receiver:
        audit_receiver_export(orders=total, path=path, reason=reason)

    def rows():
        for start in range(0, total, EXPORT_CHUNK):
            if task is not None:
                task.raise_if_cancelled()
                task.report(start, total, EXPORT_PROGRESS)
            block = ids[start : start + EXPORT_CHUNK]
            details = q.export_details(block, full_receiver=full_receiver)
            for row in rows_for_ids(block):
                if row.id in details:
                    yield _export_row(row, details[row.id], full_receiver)

    written = write_table(path, EXPORT_HEADER, rows(), fmt=fmt, sheet="订单")
    if task is not None:
        task.report(total, total, EXPORT_PROGRESS)
    return ExportResult(path=str(path), rows=written, full_receiver=full_receiver)


# ---------------------------------------------------------------------------- seller memo and flag

#: The platform's limit for ``pdd.order.note.update`` notes is not documented; the web backend
#: stops at 300 characters, so the app does too.
MEMO_MAX = 300
ORDER_CHANGES = Changes(orders=True)


def set_seller_memo(*, order_id: int, memo: str, flag: int | None, actor: str = "user") -> Changes:
    """Change an order's 商家备注 and flag here and queue the change for the platform.

    One transaction: the order, an outbox op ``set_memo`` (the whole note and flag, absolute,
    with the values the user saw as base), and an audit row. An older ``set_memo`` op of the same
    order that was never sent is cancelled: only the latest note matters (sync.md coalescing).

    Raises:
        ValidationError: memo too long or an unknown flag.
        NotAllowed: the order does not exist.
    """
    memo = (memo or "").strip()
    if len(memo) > MEMO_MAX:
        raise ValidationError("商家备注", f"不能超过 {MEMO_MAX} 个字（现在 {len(memo)} 个）")
    if flag is not None:
        try:
            flag_name = Flag(flag).label
        except ValueError:
            raise ValidationError("旗帜", f"应为 1–5 的颜色，收到 {flag!r}") from None
    else:
        flag_name = ""
    now = clock.now()
    with write_transaction():
        row = database.execute_sql(
            'SELECT order_sn, seller_memo, flag FROM "order" WHERE id = ?', (order_id,)
        ).fetchone()
        if row is None:
            raise NotAllowed(f"订单不存在或已被删除（id {order_id}）")
        order_sn, old_memo, old_flag = row
        if old_memo == memo and old_flag == flag:
            return Changes()
        unsent = "entity_type = 'order' AND entity_remote_id = ? AND op_type = 'set_memo' "
        unsent += "AND state = 'pending' AND attempts = 0"
        # The platform still has what the oldest unsent op saw: that stays the base (no false conflict).
        first = database.execute_sql(
            f"SELECT base_json FROM outbox WHERE {unsent} ORDER BY id LIMIT 1", (order_sn,)
        ).fetchone()
        base = json.loads(first[0]) if first else {"note": old_memo, "tag": old_flag}
        superseded = database.execute_sql(
            "UPDATE outbox SET state = 'cancelled', completed_at = ?, last_error = '被更新的备注取代' "
            f"WHERE {unsent}",
            (now, order_sn),
        ).rowcount
        payload = {"note": memo, "tag": flag, "tag_name": flag_name}
        Outbox.create(
            op_id=str(uuid.uuid4()),
            op_type="set_memo",
            entity_type="order",
            entity_remote_id=order_sn,
            payload_json=json.dumps(payload, ensure_ascii=False),
            base_json=json.dumps(base, ensure_ascii=False),
            created_at=now,
        )
        database.execute_sql(
            'UPDATE "order" SET seller_memo = ?, flag = ?, flag_name = ?, local_updated_at = ?, '
            "pending_ops = MAX(0, pending_ops + 1 - ?) WHERE id = ?",
            (memo, flag, flag_name, now, superseded, order_id),
        )
        AuditLog.create(
            at=now,
            actor=actor[:16],
            action="set_memo",
            entity_type="order",
            entity_id=str(order_id),
            order_id=order_id,
            detail_json=json.dumps({"note": memo, "flag": flag_name or "无"}, ensure_ascii=False),
        )
    return ORDER_CHANGES
