"""The 售后 detail panel as rich text, and the deadline countdown shared with the table."""

from __future__ import annotations

from html import escape

from pdd_desktop.common.timefmt import format_duration, format_ts
from pdd_desktop.domain.money import format_yuan
from pdd_desktop.services.after_sales import CaseDetail
from pdd_desktop.ui.i18n import QT_TR_NOOP, tr

#: Where the 协商记录 come from. The open platform's 售后 group (pdd-open-api.md §5: the list,
#: detail, agree, return-agree, exchange-shipping, return-address, status-check and images APIs;
#: checked against the SDKs' API lists too) has no API for the negotiation messages between buyer,
#: merchant and platform: the steps shown are the status changes the sync saw and this computer's
#: own actions, and the full record stays in the merchant backend.
NEGOTIATION_SOURCE_TEXT = QT_TR_NOOP(
    "拼多多开放平台没有提供协商记录接口：这里是同步到的售后状态变化和本机的处理记录，"
    "买家留言、凭证等完整协商记录请在拼多多商家后台查看。"
)
#: A waiting case is shown red when the platform decides in less than this.
URGENT_S = 6 * 3600

_STYLE = (
    "<style>h3{margin:10px 0 4px 0;font-size:13px;} td{padding:1px 8px 1px 0;vertical-align:top;} "
    ".muted{color:#6b7280;} .danger{color:#d92d20;font-weight:600;} .right{text-align:right;}"
    ".badge{color:#dc6803;font-weight:600;} p.step{margin:2px 0 4px 0;}</style>"
)


def countdown(deadline_at: int | None, now: int) -> tuple[str, bool]:
    """(text, urgent) of the time left before the platform decides.

    "" without a deadline, "已超时" once past; urgent (red) under :data:`URGENT_S`.
    """
    if deadline_at is None:
        return "", False
    left = deadline_at - now
    if left <= 0:
        return tr("已超时"), True
    return format_duration(left), left < URGENT_S


def share_text(part_fen: int, whole_fen: int) -> str:
    """``part`` as a percentage of ``whole`` with one decimal, from integers only."""
    if whole_fen <= 0:
        return "—"
    tenths = (part_fen * 1000 + whole_fen // 2) // whole_fen
    return f"{tenths // 10}.{tenths % 10}%"


def _short(ts: int) -> str:
    """``11-22 14:51`` that never breaks between the date and the time."""
    return format_ts(ts, "%m-%d&nbsp;%H:%M")


def _rows(rows: list[tuple[str, str]], raw_html: tuple[int, ...] = ()) -> str:
    """A two-column table; the values of rows in ``raw_html`` are already HTML."""
    out = ["<table>"]
    for i, (label, value) in enumerate(rows):
        cell = value if i in raw_html else escape(value)
        out.append(f"<tr><td class=muted>{escape(label)}</td><td>{cell}</td></tr>")
    out.append("</table>")
    return "".join(out)


def render_detail(d: CaseDetail, now: int) -> str:
    """HTML for a :class:`CaseDetail`; the receiver stays masked."""
    r = d.row
    parts = [_STYLE, tr("<h3>售后单 {id}</h3>").format(id=r.id)]
    badge = f" · <span class=badge>{escape(r.upload_state)}</span>" if r.upload_state else ""
    if r.reject_pending:
        badge += tr(" · <span class=badge>已在后台拒绝，待平台处理</span>")
    parts.append(f"<p>{escape(r.type_label)} · {escape(r.status_label)}{badge}</p>")

    info: list[tuple[str, str]] = [
        (tr("订单号"), r.order_sn),
        (tr("订单状态"), d.order_status_label),
        (tr("申请时间"), format_ts(r.created_at)),
    ]
    raw: list[int] = []
    if r.deadline_at is not None:
        text, urgent = countdown(r.deadline_at, now)
        left = f"<span class=danger>{escape(text)}</span>" if urgent else escape(text)
        raw.append(len(info))
        info.append(
            (
                tr("处理截止"),
                tr("{deadline_at}（剩余 {left}）").format(
                    deadline_at=escape(format_ts(r.deadline_at)), left=left
                ),
            )
        )
    if d.closed_at:
        info.append((tr("结束时间"), format_ts(d.closed_at)))
    info.append((tr("售后原因"), r.reason or "—"))
    info.append((tr("买家说明"), d.buyer_remark or "—"))
    if d.return_address:
        info.append((tr("退货地址"), d.return_address))
    if d.return_shipment:
        info.append((tr("退货物流"), d.return_shipment))
    if d.buyer_memo:
        info.append((tr("买家留言"), d.buyer_memo))
    parts.append(_rows(info, tuple(raw)))

    parts.append(tr("<h3>金额</h3>"))
    money = [
        (tr("申请退款"), format_yuan(r.refund_amount_fen)),
        (tr("订单实付"), format_yuan(d.pay_amount_fen)),
        (tr("退款占实付"), share_text(r.refund_amount_fen, d.pay_amount_fen)),
    ]
    if d.other_refunded_fen:
        money.append((tr("本单其他售后已退"), format_yuan(d.other_refunded_fen)))
    over = r.refund_amount_fen + d.other_refunded_fen > d.pay_amount_fen
    parts.append(_rows(money))
    if over:
        parts.append(tr("<p class=danger>退款合计超过订单实付，请核对</p>"))

    parts.append(tr("<h3>订单商品</h3><table>"))
    for item in d.items:
        mark = tr("<span class=badge>售后</span>") if item.in_case else ""
        spec = tr("（{spec}）").format(spec=escape(item.spec)) if item.spec else ""
        parts.append(
            f"<tr><td>{mark}</td><td>{escape(item.goods_name)}{spec}</td>"
            f"<td class=right>×{item.quantity}</td>"
            f"<td class=right>{format_yuan(item.unit_price_fen)}</td></tr>"
        )
    parts.append("</table>")
    parts.append(tr("<h3>收件人</h3><p>{receiver}</p>").format(receiver=escape(d.receiver_masked) or "—"))

    parts.append(tr("<h3>协商记录</h3>"))
    parts.append(f"<p class=muted>{escape(tr(NEGOTIATION_SOURCE_TEXT))}</p>")
    for s in d.steps:
        after = f" <span class=muted>→ {escape(s.status_label)}</span>" if s.status_label else ""
        note = f"<br>{escape(s.note)}" if s.note else ""
        parts.append(
            f"<p class=step><span class=muted>{_short(s.at)}</span> <b>{escape(s.actor)}</b> "
            f"{escape(s.action)}{after}{note}</p>"
        )
    if not d.steps:
        parts.append(tr("<p class=muted>没有记录</p>"))

    if d.ops:
        parts.append(tr("<h3>本地操作（上传到平台）</h3>"))
        for op in d.ops:
            error = f"<br><span class=danger>{escape(op.last_error)}</span>" if op.last_error else ""
            state = escape(op.state_label)
            if op.is_open:
                state = f"<span class=badge>{state}</span>"
            parts.append(
                f"<p class=step><span class=muted>{_short(op.created_at)}</span> {escape(op.label)} · "
                f"{state}{error}</p>"
            )
    return "".join(parts)
