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

from pdd_desktop.common import clock
from pdd_desktop.common.changes import Changes
from pdd_desktop.data.db import database, write_transaction
from pdd_desktop.data.models import AfterSaleEvent, AuditLog, Outbox
from pdd_desktop.domain import sync_rules as rules
from pdd_desktop.domain.after_sales import AfterSaleType, status_label
from pdd_desktop.domain.errors import NotAllowed, ValidationError

AFTER_SALES_CHANGES = Changes(after_sales=True, orders=True)
#: The platform does not document a limit for ``operate_desc``; the app keeps it short.
NOTE_MAX = 200

REFUND_REQUESTED = 2  #: 买家申请退款，待商家处理 (仅退款)
RETURN_REQUESTED = 3  #: 退货退款，待商家处理
REFUNDING = 4  #: 商家同意退款，退款中
RETURN_AGREED = 7  #: 已同意退货退款，待用户发货
RETURN_SENT_BACK = 27  #: the buyer sent the goods back; the merchant confirms and refunds

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
                f"{what}已有一条「{rules.op_label(open_op[0])}」尚未上传完成，请等上传结束或在同步页处理后再操作"
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
