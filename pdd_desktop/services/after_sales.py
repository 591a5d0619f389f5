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
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache

from pdd_desktop.common import clock
from pdd_desktop.common.changes import Changes
from pdd_desktop.common.timefmt import local_day_start
from pdd_desktop.data import aggregates
from pdd_desktop.data.db import database, write_transaction
from pdd_desktop.data.models import AfterSaleEvent, AuditLog, Outbox
from pdd_desktop.data.queries import after_sales as q
from pdd_desktop.data.queries import refund_ledger as lq
from pdd_desktop.domain import sync_rules as rules
from pdd_desktop.domain.after_sales import AfterSaleGroup, AfterSaleType, status_group, status_label
from pdd_desktop.domain.errors import NotAllowed, ValidationError
from pdd_desktop.domain.orders import OrderStatus, goods_line_text
from pdd_desktop.domain.privacy import masked_receiver

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


@lru_cache(maxsize=64)
def _type_label(code: int) -> str:
    # cached: a list of a thousand cases asked the enum each time (an unknown code raises and
    # catches, ~20 µs a row)
    try:
        return AfterSaleType(code).label
    except ValueError:
        return f"类型 {code}"


def _load_case(after_sale_id: int) -> tuple[int, int, int, str]:
    """(type, status, order id, order number) of a case, inside the caller's transaction.

    Raises:
        NotAllowed: no such case.
    """
    row = database.execute_sql(
        'SELECT a.type, a.status, a.order_id, o.order_sn FROM after_sale a JOIN "order" o '
        "ON o.id = a.order_id WHERE a.id = ?",
        (after_sale_id,),
    ).fetchone()
    if row is None:
        raise NotAllowed(f"售后单不存在或已被删除（售后编号 {after_sale_id}）")
    return int(row[0]), int(row[1]), int(row[2]), str(row[3])


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
    inside: Callable[[int, int], dict[str, object]] | None = None,
    step_note: str | None = None,
    actor: str = "user",
) -> Changes:
    now = clock.now()
    with write_transaction():
        case_type, status, order_id, order_sn = _load_case(after_sale_id)
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
        audit_extra: dict[str, object] = {}
        if inside is not None:
            # work of the decision that belongs in its transaction (a return's restock), run
            # after the checks; it raises to refuse, and then nothing is written
            audit_extra = inside(order_id, now)
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
            note=note if step_note is None else step_note,
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
            actor=actor[:16],
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
                    **audit_extra,
                },
                ensure_ascii=False,
            ),
        )
    return AFTER_SALES_CHANGES


def agree_refund(*, after_sale_id: int, note: str = "", actor: str = "user") -> Changes:
    """同意退款 on a 仅退款 request waiting for the merchant, or on a return sent back.

    One transaction: the case moves to 4 (商家同意退款，退款中) with a seller step, its order's
    refund fields follow, an outbox op ``refund_agree`` (payload ``after_sales_id, order_sn,
    operate_desc``; base the status seen) and an audit row (``actor``: ``user``, or the
    automation rule that decided).

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
        actor=actor,
    )


def agree_return(*, after_sale_id: int, return_address_id: int, note: str = "") -> Changes:
    """同意退货 on a 退货退款 request waiting for the merchant.

    ``return_address_id`` is the platform's id of a return address (``refund_address_list``):
    a local return address with that ``remote_id`` (or, for an address that never came from the
    platform, that local id). One transaction: the case moves to 7 (已同意退货退款，待用户发货)
    with a seller step, its order's refund fields follow, the address is copied onto the case
    (``after_sale.return_address``, shown in its detail), an outbox op ``return_goods_agree``
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

    def keep_address(_order_id: int, _now: int) -> dict[str, object]:
        # Read inside the decision's transaction: the address cannot change between the check
        # and the case's copy of it (shown in the case; the platform keeps its own by id).
        found = database.execute_sql(
            "SELECT contact_name, phone, province, city, district, detail FROM address "
            "WHERE is_return = 1 AND COALESCE(remote_id, id) = ? ORDER BY remote_id IS NULL LIMIT 1",
            (return_address_id,),
        ).fetchone()
        if found is None:
            raise ValidationError(
                "退货地址", f"找不到编号为 {return_address_id} 的退货地址，请先同步或添加退货地址"
            )
        text = _address_text(*found)
        database.execute_sql("UPDATE after_sale SET return_address = ? WHERE id = ?", (text, after_sale_id))
        return {"return_address": text}

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
        inside=keep_address,
    )


#: The most units one return confirms (a typo guard; a case's own quantity is the real bound).
MAX_RETURN_UNITS = 9999


def _check_units(label: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(label, f"应为整数件数，收到 {value!r}")
    if not 0 <= value <= MAX_RETURN_UNITS:
        raise ValidationError(label, f"应在 0 到 {MAX_RETURN_UNITS} 件之间，收到 {value}")
    return value


def confirm_return_received(
    *, after_sale_id: int, good_quantity: int, damaged_quantity: int, note: str = ""
) -> Changes:
    """确认收到退货并退款: book the returned parcel, then agree to the refund.

    For a 退货退款 case whose buyer sent the goods back (27). ``good_quantity`` +
    ``damaged_quantity`` must equal the case's quantity. One transaction: good units back to
    stock (a ``return`` movement and a ``set_stock`` op for the platform), damaged units as a
    ``loss`` movement with delta 0 (see :func:`pdd_desktop.services.goods.receive_returned_units`),
    then the ``refund_agree`` op of :func:`agree_refund` (``pdd.refund.agree`` is the platform's
    "confirm receipt and refund" for a case in 27), the seller step and the audit row.

    Raises:
        ValidationError: counts not whole numbers, not adding up to the case's quantity, or a
            note too long.
        NotAllowed: unknown case, not a return sent back, its SKU not in the local catalogue,
            or a decision on it still being uploaded.
    """
    note = _check_note(note)
    good = _check_units("完好件数", good_quantity)
    damaged = _check_units("损坏件数", damaged_quantity)

    def book(order_id: int, now: int) -> dict[str, object]:
        from pdd_desktop.services.goods import receive_returned_units

        row = database.execute_sql(
            "SELECT quantity, sku_id FROM after_sale WHERE id = ?", (after_sale_id,)
        ).fetchone()
        quantity, sku_id = int(row[0]), row[1]
        if good + damaged != quantity:
            raise ValidationError(
                "收货件数",
                f"完好 {good} 件 + 损坏 {damaged} 件 = {good + damaged} 件，应等于退货数量 {quantity} 件",
            )
        if sku_id is None:
            raise NotAllowed(f"售后单 {after_sale_id} 没有商品规格，无法入库；请先同步售后单")
        return {
            "received": receive_returned_units(
                sku_id=int(sku_id),
                good=good,
                damaged=damaged,
                order_id=order_id,
                after_sale_id=after_sale_id,
                note=note,
                now=now,
            )
        }

    step_note = f"完好 {good} 件入库，损坏 {damaged} 件报损" + (f"；{note}" if note else "")
    changes = _decide(
        after_sale_id=after_sale_id,
        op_type="refund_agree",
        allowed=(RETURN_SENT_BACK,),
        allowed_type=int(AfterSaleType.RETURN_REFUND),
        target=REFUNDING,
        why=_RECEIVED_WHY,
        general_why="只有买家已寄回商品的退货退款可以确认收货",
        action_label="确认收到退货并同意退款",
        note=note,
        extra_payload={},
        inside=book,
        step_note=step_note,
    )
    return changes | Changes(goods=True)


_RECEIVED_WHY = {
    RETURN_REQUESTED: "请先同意退货，买家寄回商品后再确认收货",
    RETURN_AGREED: "买家还没有寄回商品（没有退货物流）",
    REFUNDING: "已同意退款，无需重复操作",
    REFUND_SUCCESS: "已退款成功，无需操作",
}

#: 换货补寄待商家处理 / 补寄待商家发货: the merchant sends the parcel (pdd.refund.exchange.shipping).
EXCHANGE_WAITING = (14, 32)
EXCHANGE_SENT = 18  #: 换货补寄待用户确认完成
_EXCHANGE_WHY = {
    EXCHANGE_SENT: "已发出换货/补寄包裹，等买家确认收货",
    15: "正在等买家处理",
    16: "换货补寄已完成，无需操作",
}


def ship_exchange(*, after_sale_id: int, courier_id: int, tracking_number: str) -> Changes:
    """换货/补寄发货: send the parcel of a 换货 or 补寄 case waiting for the merchant (14 / 32).

    Courier and number are checked as in the ship dialogs (format, free number). One
    transaction: a package of kind ``resend`` on the case's order, the case's units off the
    shelf (a ``resend`` stock movement and a ``set_stock`` op for the platform, see
    :func:`pdd_desktop.services.goods.send_resend_units`), the case moves to 18
    (换货补寄待用户确认完成) with a seller step, an outbox op ``exchange_ship`` (payload
    ``after_sales_id, order_sn, shipping_id, shipping_name, tracking_number`` for
    ``pdd.refund.exchange.shipping``, pdd-open-api.md §5.3) and an audit row.

    A case whose SKU is not in the local catalogue is refused rather than shipped without a
    movement, as 确认收货 refuses its restock: the parcel is a real unit off the shelf, and
    after the goods sync (which brings the SKU and its platform stock) the same click books it
    exactly; shipping now would leave both stocks one parcel too high with nothing to show why.

    Raises:
        ValidationError: unknown or disabled courier, bad or already used number.
        NotAllowed: unknown case, not a 换货/补寄 case waiting for the parcel, a case without a
            SKU or whose SKU is not in the local catalogue, or too little stock here.
    """
    from pdd_desktop.services.goods import send_resend_units
    from pdd_desktop.services.shipping.packages import check_parcel_number, record_resend_parcel

    shipping_id, shipping_name, number = check_parcel_number(courier_id, tracking_number)

    def parcel(order_id: int, now: int) -> dict[str, object]:
        quantity, sku_id = database.execute_sql(
            "SELECT quantity, sku_id FROM after_sale WHERE id = ?", (after_sale_id,)
        ).fetchone()
        if sku_id is None:
            raise NotAllowed(f"售后单 {after_sale_id} 没有商品规格，无法扣减库存；请先同步售后单")
        if int(quantity) < 1:
            raise NotAllowed(f"售后单 {after_sale_id} 的件数为 {quantity}，无法发出；请先同步售后单")
        pid = record_resend_parcel(order_id=order_id, courier_id=shipping_id, tracking_number=number, now=now)
        sent = send_resend_units(
            sku_id=int(sku_id),
            quantity=int(quantity),
            order_id=order_id,
            after_sale_id=after_sale_id,
            now=now,
        )
        return {"package_id": pid, "sent": sent}

    return _decide(
        after_sale_id=after_sale_id,
        op_type="exchange_ship",
        allowed=EXCHANGE_WAITING,
        allowed_type=None,
        target=EXCHANGE_SENT,
        why=_EXCHANGE_WHY,
        general_why="只有待商家发货的换货、补寄售后单可以发货",
        action_label="换货/补寄发货",
        note="",
        extra_payload={
            "shipping_id": shipping_id,
            "shipping_name": shipping_name,
            "tracking_number": number,
        },
        inside=parcel,
        step_note=f"{shipping_name} {number}",
    ) | Changes(orders=True, goods=True)


def _exchange_block(row: CaseRow) -> str | None:
    if row.status in EXCHANGE_WAITING and row.type in (
        int(AfterSaleType.EXCHANGE),
        int(AfterSaleType.RESEND),
    ):
        return None
    reason = _EXCHANGE_WHY.get(row.status, "只有待商家发货的换货、补寄售后单可以发货")
    return f"当前为「{row.status_label}」：{reason}"


#: Case statuses on which an unshipped order's parcel is stopped: the refund is asked for,
#: agreed or done (仅退款 before shipping).
INTERCEPT_STATUSES = frozenset((REFUND_REQUESTED, REFUNDING, 5, REFUND_SUCCESS))
INTERCEPT_ACTION = "拦截发货"


def _intercept_state(after_sale_id: int) -> tuple[tuple, list[str], bool]:
    """(case row, the order's reserved label numbers, already intercepted)."""
    row = database.execute_sql(
        "SELECT a.type, a.status, a.order_id, o.order_sn, o.status, o.print_count "
        'FROM after_sale a JOIN "order" o ON o.id = a.order_id WHERE a.id = ?',
        (after_sale_id,),
    ).fetchone()
    if row is None:
        raise NotAllowed(f"售后单不存在或已被删除（售后编号 {after_sale_id}）")
    numbers = [
        r[0]
        for r in database.execute_sql(
            "SELECT tracking_number FROM waybill_number WHERE order_id = ? AND state = 'allocated' "
            "ORDER BY id",
            (row[2],),
        ).fetchall()
    ]
    done = database.execute_sql(
        "SELECT 1 FROM after_sale_event WHERE after_sale_id = ? AND actor = 'seller' AND action = ?",
        (after_sale_id, INTERCEPT_ACTION),
    ).fetchone()
    return row, numbers, done is not None


def _intercept_why(row: tuple, numbers: list[str], done: bool) -> str | None:
    _type, status, _oid, order_sn, order_status, print_count = row
    if done:
        return "已拦截，无需重复操作"
    if status not in INTERCEPT_STATUSES:
        return f"当前为「{status_label(status)}」：只有买家申请退款（或已退款）的订单需要拦截"
    if order_status != int(OrderStatus.TO_SHIP):
        return (
            f"订单 {order_sn} 当前为「{_order_status_label(order_status)}」："
            "只有已打单、尚未发货的订单可以拦截（已发出的包裹请联系快递拦截，或等买家退货）"
        )
    if not print_count and not numbers:
        return f"订单 {order_sn} 还没有打印面单，不用拦截：不发货即可"
    return None


def intercept_order(*, after_sale_id: int) -> Changes:
    """拦截发货: a refund arrived for an order whose label is printed but which has not shipped.

    One transaction: every e-waybill number still reserved for the order is voided through
    :func:`pdd_desktop.services.waybills.void_number` (a platform number gets its
    ``waybill_cancel`` op; a pool number is just cancelled), a seller step records it, and an
    audit row. Stock: the app takes stock off only when an order ships (``sale`` movements), and
    a refunded unshipped order no longer holds stock, so the packed goods are available again
    without a movement (the step says to put them back on the shelf).

    Raises:
        NotAllowed: unknown case, a status without refund, an order already shipped or never
            printed, or intercepted already.
    """
    from pdd_desktop.services.waybills import void_number

    now = clock.now()
    with write_transaction():
        row, numbers, done = _intercept_state(after_sale_id)
        why = _intercept_why(row, numbers, done)
        if why is not None:
            raise NotAllowed(f"售后单 {after_sale_id} 不能拦截：{why}")
        _type, status, order_id, order_sn, _order_status, _printed = row
        for number in numbers:
            void_number(tracking_number=number, reason="售后拦截：买家退款")
        voided = "、".join(numbers) if numbers else "无（面单号未保存在本机）"
        AfterSaleEvent.create(
            after_sale=after_sale_id,
            at=now,
            actor="seller",
            action=INTERCEPT_ACTION,
            status_after=status,
            note=f"已作废面单：{voided}；已打包的商品请放回货架（未发货订单不扣库存）",
        )
        AuditLog.create(
            at=now,
            actor="user",
            action="intercept_order",
            entity_type="after_sale",
            entity_id=str(after_sale_id),
            order_id=order_id,
            detail_json=json.dumps({"order_sn": order_sn, "voided": numbers}, ensure_ascii=False),
        )
    return Changes(after_sales=True, orders=True, shipments=True)


# ------------------------------------------------------------------------------------------
# 拒绝: the platform has no API for it (pdd-open-api.md §5.3: none of the 13 售后 APIs rejects);
# the merchant rejects in the merchant backend, the app keeps the reason and evidence notes as
# a seller step and follows the case until the platform's status changes.
# ------------------------------------------------------------------------------------------

#: The action of the local step recording a rejection done in the merchant backend.
REJECT_ACTION = "已在商家后台拒绝"
#: Where the merchant rejects (the merchant backend's 售后 list; the app has no API for it).
MERCHANT_BACKEND_URL = "https://mms.pinduoduo.com"
#: Statuses the merchant can reject in the backend: the requests waiting for the merchant and
#: a return that came back (the merchant may refuse it after inspection).
REJECTABLE = frozenset((REFUND_REQUESTED, RETURN_REQUESTED, RETURN_SENT_BACK, 14, 21, 32))
#: Reasons offered (the merchant may type another).
REJECT_REASONS = (
    "商品已发出，买家未退回商品",
    "退回商品影响二次销售",
    "买家提供的凭证不足",
    "与买家协商一致，不退款",
    "退回商品与发出商品不符",
)
REASON_MAX = 100
EVIDENCE_MAX = 500


def record_platform_reject(*, after_sale_id: int, reason: str, evidence: str = "") -> Changes:
    """Record that the merchant rejects a case in the merchant backend (no API call exists).

    One transaction: a seller step :data:`REJECT_ACTION` whose ``status_after`` is the status
    the case has now (the platform has not changed it) and whose note holds the reason and
    evidence notes, and an audit row. No outbox op. The case shows 待平台处理 while its status
    is still that one; the next pull that brings another status ends the tracking.

    Raises:
        ValidationError: an empty or too long reason, or evidence notes too long.
        NotAllowed: unknown case, or a status the merchant cannot reject.
    """
    if not isinstance(reason, str) or not reason.strip():
        raise ValidationError("拒绝原因", "请填写拒绝原因")
    reason = reason.strip()
    if len(reason) > REASON_MAX:
        raise ValidationError("拒绝原因", f"不能超过 {REASON_MAX} 个字（现在 {len(reason)} 个）")
    if not isinstance(evidence, str):
        raise ValidationError("凭证说明", "应为文字")
    evidence = evidence.strip()
    if len(evidence) > EVIDENCE_MAX:
        raise ValidationError("凭证说明", f"不能超过 {EVIDENCE_MAX} 个字（现在 {len(evidence)} 个）")
    now = clock.now()
    with write_transaction():
        case_type, status, order_id, order_sn = _load_case(after_sale_id)
        if status not in REJECTABLE:
            raise NotAllowed(
                f"售后单 {after_sale_id}（{_type_label(case_type)}，订单 {order_sn}）当前为"
                f"「{status_label(status)}」，不需要也不能拒绝"
            )
        note = f"原因：{reason}" + (f"\n凭证：{evidence}" if evidence else "")
        AfterSaleEvent.create(
            after_sale=after_sale_id,
            at=now,
            actor="seller",
            action=REJECT_ACTION,
            status_after=status,
            note=note,
        )
        AuditLog.create(
            at=now,
            actor="user",
            action="after_sale_reject_recorded",
            entity_type="after_sale",
            entity_id=str(after_sale_id),
            order_id=order_id,
            detail_json=json.dumps(
                {
                    "order_sn": order_sn,
                    "status": status_label(status),
                    "reason": reason,
                    "evidence": evidence,
                },
                ensure_ascii=False,
            ),
        )
    return Changes(after_sales=True)


# ------------------------------------------------------------------------------------------
# Reads for the 售后 page: frozen rows, never Peewee objects.
# ------------------------------------------------------------------------------------------

#: The page's tabs as (key, label): one per user-facing group (domain.after_sales), then 全部.
ALL_TAB = "all"
#: Tabs of finished cases, which grow without end (a big shop has 100,000 and more): they list
#: the newest cases only; the tabs that need the merchant's work always list every case.
CAPPED_TABS = (AfterSaleGroup.DONE.name.lower(), AfterSaleGroup.CLOSED.name.lower(), ALL_TAB)
#: How many cases a capped tab lists (the table stays quick to fill and to sort).
LIST_LIMIT = 2_000
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
    #: rejected in the merchant backend (recorded here) and the platform still shows the same status
    reject_pending: bool = False


@dataclass(frozen=True)
class CaseList:
    """The list for one tab and search, with every tab's count and refund sum under that search."""

    tab: str
    search: str
    rows: tuple[CaseRow, ...]
    counts: dict[str, int]  #: tab key → cases
    refund_fen: dict[str, int]  #: tab key → sum of refund_amount_fen
    total: int = -1  #: cases of the tab under the search (more than ``rows`` when capped)

    @property
    def capped(self) -> bool:
        """Whether only the newest :data:`LIST_LIMIT` of the tab's cases are listed."""
        return self.total > len(self.rows)


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
    quantity: int = 1  #: units the case is about (a return's parcel holds these)
    received_block: str | None = None  #: why 确认收货并退款 is not possible now; None when it is
    reject_block: str | None = None  #: why recording a rejection is not possible now; None when it is
    exchange_block: str | None = None  #: why 换货/补寄发货 is not possible now; None when it is
    intercept_block: str | None = None  #: why 拦截发货 is not possible now; None when it is
    return_address: str = ""  #: the return address chosen at 同意退货 (one line), "" when none


@dataclass(frozen=True)
class ReturnAddress:
    """A return address of the shop; ``id`` is what :func:`agree_return` takes."""

    id: int
    text: str
    is_default: bool
    local_id: int = 0  #: the ``address`` row (``services.addresses`` edits a local one by it)
    is_synced: bool = False  #: from the platform's list: edited in the merchant backend only


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
    case_id, order_id, order_sn, typ, status, refund, name, spec, qty, reason, created, expire, op_state = (
        raw[:13]
    )
    reject_pending = bool(raw[13]) if len(raw) > 13 else False
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
        reject_pending=reject_pending,
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


def list_cases(*, tab: str = ALL_TAB, search: str = "", case_ids: tuple[int, ...] = ()) -> CaseList:
    """The cases of a tab whose order number or case id contains ``search``, newest first.

    ``case_ids`` (an alert's button): only these cases, in the tab and search given.
    The tabs of finished cases (:data:`CAPPED_TABS`) list the newest :data:`LIST_LIMIT`;
    ``total`` says how many match (the search finds any of them).

    Raises:
        ValidationError: an unknown tab key.
    """
    tab = _check_tab(tab)
    search = search.strip()
    by_status, counts, sums = _tab_figures(search)
    codes = None if tab == ALL_TAB else [code for code in by_status if tab_of(code) == tab]
    limit = None if case_ids or tab not in CAPPED_TABS else LIST_LIMIT
    raw = q.list_rows(codes, search, rules.OPEN_STATES, REJECT_ACTION, limit)
    rows = tuple(_case_row(r) for r in raw)
    if case_ids:
        wanted = set(case_ids)
        rows = tuple(r for r in rows if r.id in wanted)
    return CaseList(tab, search, rows, counts, sums, len(rows) if case_ids else counts.get(tab, 0))


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
            q.reject_pending(after_sale_id, REJECT_ACTION),
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
        receiver_masked=masked_receiver(rec),
        steps=steps,
        items=items,
        ops=ops,
        refund_block=refund_block,
        return_block=return_block,
        quantity=int(rec["quantity"] or 1),
        received_block=_received_block(row, money_ops[0][0] if money_ops else None),
        reject_block=_reject_block(row),
        exchange_block=_exchange_block(row),
        intercept_block=_intercept_why(*_intercept_state(after_sale_id)),
        return_address=str(rec.get("return_address") or ""),
    )


def _received_block(row: CaseRow, open_op_type: str | None) -> str | None:
    if row.type != int(AfterSaleType.RETURN_REFUND) or row.status != RETURN_SENT_BACK:
        reason = _RECEIVED_WHY.get(row.status, "只有买家已寄回商品的退货退款可以确认收货")
        return f"当前为「{row.status_label}」：{reason}"
    if open_op_type is not None:
        return f"已有一条「{op_label(open_op_type)}」尚未上传完成，请等上传结束或在同步页处理后再操作"
    return None


def _reject_block(row: CaseRow) -> str | None:
    if row.status not in REJECTABLE:
        return f"当前为「{row.status_label}」，不需要也不能拒绝"
    if row.reject_pending:
        return "已记录在商家后台拒绝，正在等平台处理；平台状态变化后会自动更新"
    return None


def return_addresses() -> list[ReturnAddress]:
    """The shop's return addresses for 同意退货, the default first (the shop's own, not masked)."""
    out = []
    for (
        platform_id,
        contact,
        phone,
        province,
        city,
        district,
        detail,
        is_default,
        local_id,
        synced,
    ) in q.return_addresses():
        out.append(
            ReturnAddress(
                id=int(platform_id),
                text=_address_text(contact, phone, province, city, district, detail),
                is_default=bool(is_default),
                local_id=int(local_id),
                is_synced=bool(synced),
            )
        )
    return out


def _address_text(contact: str, phone: str, province: str, city: str, district: str, detail: str) -> str:
    """One line: contact, phone, region and street (the shop's own address: not masked)."""
    region = f"{province}{city}{district}"
    return " ".join(p for p in (contact, phone, region, detail) if p)


# ------------------------------------------------------------------------------------------
# The refund ledger (数据 reads it too): refunded money per day / goods / reason, refund rate.
# ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LedgerLine:
    """One line of the refund ledger (money in fen)."""

    label: str  #: the day (YYYY-MM-DD, Asia/Shanghai), the goods name or the reason
    cases: int
    refunded_fen: int
    goods_id: int | None = None


@dataclass(frozen=True)
class GoodsRefundRate:
    """Refund rate of one goods: of its orders paid in the period, how many were refunded."""

    goods_id: int
    name: str
    paid_orders: int
    refunded_orders: int

    @property
    def rate_permille(self) -> int:
        """Refunded orders per thousand paid, rounded half up (integers only)."""
        if self.paid_orders <= 0:
            return 0
        return (self.refunded_orders * 2000 + self.paid_orders) // (2 * self.paid_orders)


@dataclass(frozen=True)
class RefundLedger:
    """Refunds that succeeded in [start, end) and the refund rate of the orders paid then."""

    start: int
    end: int
    cases: int
    refunded_fen: int
    by_day: tuple[LedgerLine, ...]  #: oldest first
    by_goods: tuple[LedgerLine, ...]  #: largest amount first
    by_reason: tuple[LedgerLine, ...]  #: largest amount first
    rates: tuple[GoodsRefundRate, ...]  #: highest rate first, then most orders


def refund_ledger(*, start: int, end: int) -> RefundLedger:
    """The refund ledger of [start, end) (UTC epoch seconds).

    A refund counts on the day its case reached 退款成功; the refund rate per goods is over the
    orders paid in the period (a refund of such an order counts whenever it happened).

    Raises:
        ValidationError: start or end not whole seconds, or end not after start.
    """
    for value in (start, end):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValidationError("统计时间", f"应为时间戳（秒），收到 {value!r}")
    if end <= start:
        raise ValidationError("统计时间", "结束时间应晚于开始时间")

    def day_text(day: int) -> str:
        return datetime.fromtimestamp(day * lq.DAY_S, UTC).strftime("%Y-%m-%d")

    by_day = tuple(LedgerLine(day_text(d), n, int(fen or 0)) for d, n, fen in lq.refunds_by_day(start, end))
    by_goods = tuple(
        LedgerLine(name or (f"商品 {gid}" if gid else "未知商品"), n, int(fen or 0), gid)
        for gid, name, n, fen in lq.refunds_by_goods(start, end)
    )
    by_reason = tuple(
        LedgerLine(reason or "未填写原因", n, int(fen or 0))
        for reason, n, fen in lq.refunds_by_reason(start, end)
    )
    rates = sorted(
        (
            GoodsRefundRate(int(gid), name or f"商品 {gid}", int(paid), int(refunded or 0))
            for gid, name, paid, refunded in lq.refund_rates(start, end)
        ),
        key=lambda r: (-r.rate_permille, -r.paid_orders, r.goods_id),
    )
    return RefundLedger(
        start=start,
        end=end,
        cases=sum(line.cases for line in by_day),
        refunded_fen=sum(line.refunded_fen for line in by_day),
        by_day=by_day,
        by_goods=by_goods,
        by_reason=by_reason,
        rates=tuple(rates),
    )


def refund_ledger_days(days: int = 30) -> RefundLedger:
    """The refund ledger of the last ``days`` Shanghai calendar days, today included.

    Raises:
        ValidationError: days not between 1 and 366.
    """
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= 366:
        raise ValidationError("统计天数", f"应在 1 到 366 天之间，收到 {days!r}")
    now = clock.now()
    return refund_ledger(start=local_day_start(now, days - 1), end=local_day_start(now) + 86400)
