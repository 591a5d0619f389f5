"""售后: the merchant's decisions on after-sales cases, queued for the platform.

Each decision follows :func:`pdd_desktop.services.orders.set_seller_memo`: one transaction with
the local change, an outbox op and an audit row. The case moves at once to the status the
platform reports after the decision (so the page shows it), its order's refund fields follow
(as the pull sets them from the latest case), and a seller step is added to its history. The
op names the case (``entity_type`` ``after_sale``); its base is the status the user saw.

Which case allows which decision follows the platform (``pdd.refund.agree`` /
``pdd.refund.returngoods.agree``, as the sandbox enforces them):

- 同意退款: a 仅退款 request waiting for the merchant (2), or a return the buyer has sent back
  (27, the merchant confirms and refunds). → 4 商家同意退款，退款中
- 同意退货: a 退货退款 request waiting for the merchant (3). → 7 已同意退货退款，待用户发货

The platform has no reject API (pdd-open-api.md §5.3): rejecting stays in the merchant backend.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass

from pdd_desktop.common import clock
from pdd_desktop.common.changes import Changes
from pdd_desktop.data import aggregates
from pdd_desktop.data.db import database, write_transaction
from pdd_desktop.data.models import AfterSaleEvent, AuditLog, Outbox
from pdd_desktop.data.queries import after_sales as q
from pdd_desktop.domain import sync_rules as rules
from pdd_desktop.domain.after_sales import AfterSaleGroup, AfterSaleType, status_group, status_label
from pdd_desktop.domain.errors import NotAllowed, ValidationError
from pdd_desktop.domain.orders import OrderStatus, goods_line_text
from pdd_desktop.domain.privacy import mask_name, mask_phone, masked_address

AFTER_SALES_CHANGES = Changes(after_sales=True, orders=True)
#: The platform does not document a limit for ``operate_desc``; the app keeps it short.
NOTE_MAX = 200

REFUND_REQUESTED = 2  #: 买家申请退款，待商家处理 (仅退款)
RETURN_REQUESTED = 3  #: 退货退款，待商家处理
REFUNDING = 4  #: 商家同意退款，退款中
RETURN_AGREED = 7  #: 已同意退货退款，待用户发货
RETURN_SENT_BACK = 27  #: the buyer sent the goods back; the merchant confirms and refunds
REFUND_SUCCESS = 10  #: 退款成功

#: Why a case cannot take a decision, by its status (the general reason otherwise).
_REFUND_WHY = {
    RETURN_REQUESTED: "退货退款需先同意退货，买家寄回商品后再同意退款",
    RETURN_AGREED: "正在等买家寄回商品，收到退货后才能同意退款",
    REFUNDING: "已同意退款，无需重复操作",
    5: "平台已同意退款，无需操作",
    10: "已退款成功，无需操作",
}
_RETURN_WHY = {
    REFUND_REQUESTED: "这是仅退款申请，请用「同意退款」",
    RETURN_AGREED: "已同意退货，无需重复操作",
    RETURN_SENT_BACK: "买家已寄回商品，请用「同意退款」",
}


def op_label(op_type: str) -> str:
    """Chinese label of an outbox op type.

    Imported on use: the sync registry loads every sync area, which the app's start does not need.
    """
    from pdd_desktop.services.sync.registry import op_label as label

    return label(op_type)


def _check_note(note: str) -> str:
    if not isinstance(note, str):
        raise ValidationError("处理说明", "应为文字")
    note = note.strip()
    if len(note) > NOTE_MAX:
        raise ValidationError("处理说明", f"不能超过 {NOTE_MAX} 个字（现在 {len(note)} 个）")
    return note


def _type_label(code: int) -> str:
    try:
        return AfterSaleType(code).label
    except ValueError:
        return f"类型 {code}"


def _decide(
    *,
    after_sale_id: int,
    op_type: str,
    allowed: tuple[int, ...],
    allowed_type: int | None,
    target: int,
    why: dict[int, str],
    general_why: str,
    action_label: str,
    note: str,
    extra_payload: dict[str, object],
) -> Changes:
    now = clock.now()
    with write_transaction():
        row = database.execute_sql(
            'SELECT a.type, a.status, a.order_id, o.order_sn FROM after_sale a JOIN "order" o '
            "ON o.id = a.order_id WHERE a.id = ?",
            (after_sale_id,),
        ).fetchone()
        if row is None:
            raise NotAllowed(f"售后单不存在或已被删除（售后编号 {after_sale_id}）")
        case_type, status, order_id, order_sn = row
        what = f"售后单 {after_sale_id}（{_type_label(case_type)}，订单 {order_sn}）"
        if status not in allowed or (allowed_type is not None and case_type != allowed_type):
            reason = why.get(status, general_why)
            raise NotAllowed(f"{what}当前为「{status_label(status)}」，不能{action_label}：{reason}")
        marks = ",".join("?" * len(rules.OPEN_STATES))
        open_op = database.execute_sql(
            f"SELECT op_type FROM outbox WHERE entity_type = 'after_sale' AND entity_remote_id = ? "
            f"AND op_type IN (?, ?) AND state IN ({marks}) LIMIT 1",
            (str(after_sale_id), *rules.MONEY_OP_TYPES, *rules.OPEN_STATES),
        ).fetchone()
        if open_op is not None:
            raise NotAllowed(
                f"{what}已有一条「{op_label(open_op[0])}」尚未上传完成，请等上传结束或在同步页处理后再操作"
            )
        payload = {"after_sales_id": after_sale_id, "order_sn": order_sn, "operate_desc": note}
        payload.update(extra_payload)
        Outbox.create(
            op_id=str(uuid.uuid4()),
            op_type=op_type,
            entity_type="after_sale",
            entity_remote_id=str(after_sale_id),
            payload_json=json.dumps(payload, ensure_ascii=False),
            base_json=json.dumps({"status": status}),
            created_at=now,
        )
        # The platform's own version (platform_updated_at, remote_hash) is left alone: the
        # next pull of the case after the decision is newer and replaces this status.
        database.execute_sql(
            "UPDATE after_sale SET status = ?, expire_at = NULL WHERE id = ?", (target, after_sale_id)
        )
        AfterSaleEvent.create(
            after_sale=after_sale_id,
            at=now,
            actor="seller",
            action=action_label,
            status_after=target,
            note=note,
        )
        latest = database.execute_sql(
            "SELECT id FROM after_sale WHERE order_id = ? ORDER BY created_at DESC, id DESC LIMIT 1",
            (order_id,),
        ).fetchone()
        if latest is not None and latest[0] == after_sale_id:
            database.execute_sql(
                'UPDATE "order" SET refund_status = ?, after_sales_status = ?, local_updated_at = ? '
                "WHERE id = ?",
                (rules.order_refund_status_of_case(target), target, now, order_id),
            )
            aggregates.refresh_orders(database.connection(), [order_id])
        AuditLog.create(
            at=now,
            actor="user",
            action=op_type,
            entity_type="after_sale",
            entity_id=str(after_sale_id),
            order_id=order_id,
            detail_json=json.dumps(
                {
                    "order_sn": order_sn,
                    "from": status_label(status),
                    "to": status_label(target),
                    "note": note,
                    **extra_payload,
                },
                ensure_ascii=False,
            ),
        )
    return AFTER_SALES_CHANGES


def agree_refund(*, after_sale_id: int, note: str = "") -> Changes:
    """同意退款 on a 仅退款 request waiting for the merchant, or on a return sent back.

    One transaction: the case moves to 4 (商家同意退款，退款中) with a seller step, its order's
    refund fields follow, an outbox op ``refund_agree`` (payload ``after_sales_id, order_sn,
    operate_desc``; base the status seen) and an audit row.

    Raises:
        ValidationError: the note is too long.
        NotAllowed: unknown case, a status that does not take this decision (the message names
            the case, its status and why), or a decision on it still being uploaded.
    """
    note = _check_note(note)
    return _decide(
        after_sale_id=after_sale_id,
        op_type="refund_agree",
        allowed=(REFUND_REQUESTED, RETURN_SENT_BACK),
        allowed_type=None,
        target=REFUNDING,
        why=_REFUND_WHY,
        general_why="只有待商家处理的仅退款申请、或买家已寄回商品的退货可以同意退款",
        action_label="同意退款",
        note=note,
        extra_payload={},
    )


def agree_return(*, after_sale_id: int, return_address_id: int, note: str = "") -> Changes:
    """同意退货 on a 退货退款 request waiting for the merchant.

    ``return_address_id`` is the platform's id of a return address (``refund_address_list``):
    a local return address with that ``remote_id`` (or, for an address that never came from the
    platform, that local id). One transaction: the case moves to 7 (已同意退货退款，待用户发货)
    with a seller step, its order's refund fields follow, an outbox op ``return_goods_agree``
    (payload ``after_sales_id, order_sn, return_address_id, operate_desc``; base the status
    seen) and an audit row.

    Raises:
        ValidationError: no such return address, or the note is too long.
        NotAllowed: unknown case, a status or type that does not take this decision, or a
            decision on it still being uploaded.
    """
    note = _check_note(note)
    if (
        isinstance(return_address_id, bool)
        or not isinstance(return_address_id, int)
        or return_address_id <= 0
    ):
        raise ValidationError("退货地址", f"应为地址编号，收到 {return_address_id!r}")
    found = database.execute_sql(
        "SELECT 1 FROM address WHERE is_return = 1 AND COALESCE(remote_id, id) = ?", (return_address_id,)
    ).fetchone()
    if found is None:
        raise ValidationError(
            "退货地址", f"找不到编号为 {return_address_id} 的退货地址，请先同步或添加退货地址"
        )
    return _decide(
        after_sale_id=after_sale_id,
        op_type="return_goods_agree",
        allowed=(RETURN_REQUESTED,),
        allowed_type=int(AfterSaleType.RETURN_REFUND),
        target=RETURN_AGREED,
        why=_RETURN_WHY,
        general_why="只有待商家处理的退货退款申请可以同意退货",
        action_label="同意退货",
        note=note,
        extra_payload={"return_address_id": return_address_id},
    )


# ------------------------------------------------------------------------------------------
# Reads for the 售后 page: frozen rows, never Peewee objects.
# ------------------------------------------------------------------------------------------

#: The page's tabs as (key, label): one per user-facing group (domain.after_sales), then 全部.
ALL_TAB = "all"
TABS: tuple[tuple[str, str], ...] = (
    *((group.name.lower(), group.label) for group in AfterSaleGroup),
    (ALL_TAB, "全部"),
)
_ACTOR_LABELS = {"buyer": "买家", "seller": "商家", "platform": "平台", "system": "系统"}


def tab_of(status: int) -> str:
    """The tab key of a platform status code (its group's; unknown codes go where the domain puts them)."""
    return status_group(status).name.lower()


def _check_tab(tab: str) -> str:
    if tab not in dict(TABS):
        raise ValidationError("售后分组", f"未知分组 {tab!r}")
    return tab


@dataclass(frozen=True)
class CaseRow:
    """One line of the case list."""

    id: int  #: 售后单号 (the platform's after_sales_id)
    order_id: int
    order_sn: str
    type: int
    type_label: str
    status: int
    status_label: str
    tab: str  #: the status group's tab key
    refund_amount_fen: int
    goods: str  #: "商品名（规格） × 2"
    reason: str
    created_at: int
    deadline_at: int | None  #: the platform decides after this; only while waiting for the merchant
    upload_state: str  #: "" or the state of a local decision not yet uploaded ("待上传", "上传中", …)


@dataclass(frozen=True)
class CaseList:
    """The list for one tab and search, with every tab's count and refund sum under that search."""

    tab: str
    search: str
    rows: tuple[CaseRow, ...]
    counts: dict[str, int]  #: tab key → cases
    refund_fen: dict[str, int]  #: tab key → sum of refund_amount_fen


@dataclass(frozen=True)
class CaseStep:
    """A step of the negotiation."""

    at: int
    actor: str  #: 买家 / 商家 / 平台 / 系统
    action: str
    status_label: str  #: the status after the step ("" when not recorded)
    note: str


@dataclass(frozen=True)
class CaseItem:
    """A line of the case's order; ``in_case`` marks the goods the case is about."""

    goods_name: str
    spec: str
    quantity: int
    unit_price_fen: int
    in_case: bool


@dataclass(frozen=True)
class CaseOp:
    """A local decision on the case in the outbox."""

    label: str  #: 同意退款 / 同意退货
    state_label: str  #: 待上传 / 上传中 / 已上传 / …
    created_at: int
    is_open: bool
    last_error: str


@dataclass(frozen=True)
class CaseDetail:
    """Everything the detail panel shows for one case (the receiver only masked)."""

    row: CaseRow
    buyer_remark: str
    buyer_memo: str  #: the order's 买家留言
    return_shipment: str  #: "中通 YT…" of the buyer's return parcel, "" when none
    closed_at: int | None
    order_created_at: int | None
    order_status_label: str
    pay_amount_fen: int  #: 用户实付 of the order
    other_refunded_fen: int  #: refunded by the order's other successful cases
    receiver_masked: str
    steps: tuple[CaseStep, ...]  #: oldest first
    items: tuple[CaseItem, ...]
    ops: tuple[CaseOp, ...]
    refund_block: str | None  #: why 同意退款 is not possible now; None when it is
    return_block: str | None  #: why 同意退货 is not possible now; None when it is


@dataclass(frozen=True)
class ReturnAddress:
    """A return address of the shop; ``id`` is what :func:`agree_return` takes."""

    id: int
    text: str
    is_default: bool


def decision_blocks(case_type: int, status: int, open_op_type: str | None) -> tuple[str | None, str | None]:
    """Why (同意退款, 同意退货) cannot be taken on a case now, each None when it can.

    The same rules :func:`agree_refund` / :func:`agree_return` enforce, for enabling buttons
    before the user tries; the services still decide.
    """
    label = status_label(status)
    if status in (REFUND_REQUESTED, RETURN_SENT_BACK):
        refund = None
    else:
        reason = _REFUND_WHY.get(status, "只有待商家处理的仅退款申请、或买家已寄回商品的退货可以同意退款")
        refund = f"当前为「{label}」：{reason}"
    if status == RETURN_REQUESTED and case_type == int(AfterSaleType.RETURN_REFUND):
        ret = None
    else:
        reason = _RETURN_WHY.get(status, "只有待商家处理的退货退款申请可以同意退货")
        ret = f"当前为「{label}」：{reason}"
    if open_op_type is not None:
        busy = f"已有一条「{op_label(open_op_type)}」尚未上传完成，请等上传结束或在同步页处理后再操作"
        refund = refund or busy
        ret = ret or busy
    return refund, ret


def _goods_text(name: str, spec: str, quantity: int) -> str:
    """The case's goods as 发货中心 names an order line (short name, spec, ×count)."""
    return goods_line_text(name, spec, quantity)


def _case_row(raw: tuple) -> CaseRow:
    case_id, order_id, order_sn, typ, status, refund, name, spec, qty, reason, created, expire, op_state = raw
    tab = tab_of(status)
    return CaseRow(
        id=case_id,
        order_id=order_id,
        order_sn=order_sn,
        type=typ,
        type_label=_type_label(typ),
        status=status,
        status_label=status_label(status),
        tab=tab,
        refund_amount_fen=refund,
        goods=_goods_text(name, spec, qty),
        reason=reason,
        created_at=created,
        deadline_at=expire if status_group(status) == AfterSaleGroup.WAITING_ME else None,
        upload_state=rules.state_label(op_state) if op_state else "",
    )


def _tab_figures(search: str) -> tuple[dict[int, tuple[int, int]], dict[str, int], dict[str, int]]:
    by_status = q.status_counts(search)
    counts = dict.fromkeys(dict(TABS), 0)
    sums = dict.fromkeys(dict(TABS), 0)
    for status, (n, fen) in by_status.items():
        for key in (tab_of(status), ALL_TAB):
            counts[key] += n
            sums[key] += fen
    return by_status, counts, sums


def tab_counts(*, search: str = "") -> dict[str, int]:
    """Tab key → number of cases whose order number or case id contains ``search``."""
    return _tab_figures(search.strip())[1]


def list_cases(*, tab: str = ALL_TAB, search: str = "") -> CaseList:
    """The cases of a tab whose order number or case id contains ``search``, newest first.

    Raises:
        ValidationError: an unknown tab key.
    """
    tab = _check_tab(tab)
    search = search.strip()
    by_status, counts, sums = _tab_figures(search)
    codes = None if tab == ALL_TAB else [code for code in by_status if tab_of(code) == tab]
    raw = q.list_rows(codes, search, rules.OPEN_STATES)
    return CaseList(tab, search, tuple(_case_row(r) for r in raw), counts, sums)


def _receiver_masked(rec: dict[str, object]) -> str:
    name = rec["receiver_name_mask"] or mask_name(str(rec["receiver_name"] or ""))
    phone = rec["receiver_phone_mask"] or mask_phone(str(rec["receiver_phone"] or ""))
    address = masked_address(
        str(rec["province"] or ""),
        str(rec["city"] or ""),
        str(rec["district"] or ""),
        str(rec["town"] or ""),
        str(rec["address_mask"] or ""),
        str(rec["address_detail"] or ""),
    )
    return " ".join(str(p) for p in (name, phone, address) if p)


def _order_status_label(code: int) -> str:
    try:
        return OrderStatus(code).label
    except ValueError:
        return f"状态 {code}"


def case_detail(after_sale_id: int) -> CaseDetail:
    """The detail panel of one case.

    Raises:
        NotAllowed: the case does not exist (any more).
    """
    rec = q.case_record(after_sale_id)
    if rec is None:
        raise NotAllowed(f"售后单不存在或已被删除（售后编号 {after_sale_id}）")
    ops_raw = q.case_ops(after_sale_id)
    open_ops = [op for op in ops_raw if op[1] in rules.OPEN_STATES]
    items_raw = q.order_items(int(rec["order_id"]))
    name, spec_of_case = "", ""
    for goods_id, sku_id, goods_name, spec, _qty, _price in items_raw:
        if sku_id == rec["sku_id"] or (not name and goods_id == rec["goods_id"]):
            name, spec_of_case = goods_name, spec
    if not name and items_raw:
        name, spec_of_case = items_raw[0][2], items_raw[0][3]
    row = _case_row(
        (
            rec["id"],
            rec["order_id"],
            rec["order_sn"],
            rec["type"],
            rec["status"],
            rec["refund_amount_fen"],
            name,
            spec_of_case,
            rec["quantity"],
            rec["reason"],
            rec["created_at"],
            rec["expire_at"],
            open_ops[0][1] if open_ops else None,
        )
    )
    money_ops = [op for op in open_ops if op[0] in rules.MONEY_OP_TYPES]
    refund_block, return_block = decision_blocks(row.type, row.status, money_ops[0][0] if money_ops else None)
    items = tuple(
        CaseItem(
            goods_name=goods_name,
            spec=spec,
            quantity=qty,
            unit_price_fen=price,
            in_case=sku_id == rec["sku_id"] if rec["sku_id"] is not None else goods_id == rec["goods_id"],
        )
        for goods_id, sku_id, goods_name, spec, qty, price in items_raw
    )
    steps = tuple(
        CaseStep(
            at=at,
            actor=_ACTOR_LABELS.get(actor, actor),
            action=action,
            status_label=status_label(after) if after is not None else "",
            note=note,
        )
        for at, actor, action, after, note in q.case_events(after_sale_id)
    )
    ops = tuple(
        CaseOp(
            label=op_label(op_type),
            state_label=rules.state_label(state),
            created_at=created,
            is_open=state in rules.OPEN_STATES,
            last_error=error or "",
        )
        for op_type, state, created, error in ops_raw
    )
    shipment = " ".join(p for p in (rec["return_shipping_name"], rec["return_tracking_number"]) if p)
    return CaseDetail(
        row=row,
        buyer_remark=str(rec["buyer_remark"] or ""),
        buyer_memo=str(rec["buyer_memo"] or ""),
        return_shipment=shipment,
        closed_at=rec["closed_at"],
        order_created_at=rec["order_created_at"],
        order_status_label=_order_status_label(int(rec["order_status"])),
        pay_amount_fen=int(rec["pay_amount_fen"]),
        other_refunded_fen=q.other_refunds(int(rec["order_id"]), after_sale_id, REFUND_SUCCESS),
        receiver_masked=_receiver_masked(rec),
        steps=steps,
        items=items,
        ops=ops,
        refund_block=refund_block,
        return_block=return_block,
    )


def return_addresses() -> list[ReturnAddress]:
    """The shop's return addresses for 同意退货, the default first (the shop's own, not masked)."""
    out = []
    for platform_id, contact, phone, province, city, district, detail, is_default in q.return_addresses():
        text = " ".join(p for p in (contact, phone, province, city, district, detail) if p)
        out.append(ReturnAddress(id=int(platform_id), text=text, is_default=bool(is_default)))
    return out
