"""The order detail pane as rich text: items, amounts, timeline, parcels, after-sales, audit."""

from __future__ import annotations

from html import escape

from pdd_desktop.common.timefmt import format_ts
from pdd_desktop.domain.money import format_yuan
from pdd_desktop.domain.orders import Flag, RefundStatus
from pdd_desktop.ui.i18n import tr

_STYLE = (
    "<style>h3{margin:10px 0 4px 0;font-size:13px;} td{padding:1px 6px 1px 0;} "
    ".muted{color:#6b7280;} .danger{color:#d92d20;} .right{text-align:right;}</style>"
)


def _table(rows: list[tuple[str, ...]], right_cols: tuple[int, ...] = ()) -> str:
    out = ["<table>"]
    for row in rows:
        cells = "".join(
            f"<td{' class=right' if i in right_cols else ''}>{escape(str(c))}</td>" for i, c in enumerate(row)
        )
        out.append(f"<tr>{cells}</tr>")
    out.append("</table>")
    return "".join(out)


def render_detail(d) -> str:
    """HTML for an ``OrderDetail``; receiver data stays masked."""
    r = d.row
    parts = [_STYLE, tr("<h3>订单 {order_sn}</h3>").format(order_sn=escape(r.order_sn))]
    parts.append(f"<p>{escape(r.status_label)}")
    if r.refund_status != RefundStatus.NONE:
        parts.append(f" · {escape(r.after_sales_badge)}")
    if r.flag:
        parts.append(f" · {escape(Flag(r.flag).label)}")
    parts.append("</p>")
    if d.hold is not None:
        parts.append(
            tr(
                "<p class=danger>已暂停发货：{reason}<br>由{by}暂停于 {time}，解除暂停前不能打单、发货</p>"
            ).format(
                reason=escape(d.hold.reason),
                by=escape(d.hold.by),
                time=format_ts(d.hold.held_at, "%m-%d %H:%M"),
            )
        )
    parts.append(tr("<p>收件：{receiver_masked}</p>").format(receiver_masked=escape(d.receiver_masked)))
    if r.buyer_memo:
        parts.append(tr("<p>买家留言：{buyer_memo}</p>").format(buyer_memo=escape(r.buyer_memo)))
    if r.seller_memo:
        parts.append(tr("<p>商家备注：{seller_memo}</p>").format(seller_memo=escape(r.seller_memo)))

    parts.append(tr("<h3>商品</h3>"))
    parts.append(
        _table(
            [
                (
                    i.short_name or i.goods_name,
                    i.spec,
                    i.outer_id,
                    f"×{i.quantity}",
                    format_yuan(i.unit_price_fen),
                )
                for i in d.items
            ],
            right_cols=(3, 4),
        )
    )
    a = d.amounts
    parts.append(tr("<h3>金额</h3>"))
    parts.append(
        _table(
            [
                (tr("商品总价"), format_yuan(a.goods)),
                (tr("邮费"), format_yuan(a.postage)),
                (tr("平台优惠"), format_yuan(-a.platform_discount)),
                (tr("店铺优惠"), format_yuan(-a.seller_discount)),
                (tr("改价"), format_yuan(a.change)),
                (tr("多多支付立减"), format_yuan(-a.pay_reduction)),
                (tr("用户实付"), format_yuan(a.pay)),
                (tr("商家实收"), format_yuan(a.merchant_receive)),
            ],
            right_cols=(1,),
        )
    )
    parts.append(tr("<h3>时间</h3>"))
    parts.append(_table([(label, format_ts(ts)) for label, ts in d.timeline]))
    if d.packages:
        parts.append(tr("<h3>包裹与物流</h3>"))
        for p in d.packages:
            state = (
                tr("（已作废：{void_reason}）").format(void_reason=escape(p.void_reason)) if p.voided else ""
            )
            if not p.voided and p.kind_label != "无物流":
                state += (
                    tr(" · 轨迹更新于 {time}").format(time=format_ts(p.trace_fetched_at, "%m-%d %H:%M"))
                    if p.trace_fetched_at
                    else tr(" · 物流轨迹未查询")
                )
            parts.append(
                tr("<p>{kind_label} {courier} {number} · {time} 发货{state}</p>").format(
                    kind_label=escape(p.kind_label),
                    courier=escape(p.courier),
                    number=escape(p.number),
                    time=format_ts(p.shipped_at, "%m-%d %H:%M"),
                    state=state,
                )
            )
            if p.events:
                parts.append(
                    _table(
                        [(format_ts(at, "%m-%d %H:%M"), kind, loc, desc) for at, kind, loc, desc in p.events]
                    )
                )
    if d.label_numbers:
        parts.append(tr("<h3>电子面单</h3>"))
        rows = [(number, source, state, route or "—") for number, source, state, route in d.label_numbers]
        parts.append(_table(rows))
    if d.after_sales:
        parts.append(tr("<h3>售后</h3>"))
        for s in d.after_sales:
            expire = (
                tr(" · 平台处理截止 {time}").format(time=format_ts(s.expire_at, "%m-%d %H:%M"))
                if s.expire_at
                else ""
            )
            parts.append(
                f"<p>{escape(s.type_label)} · {escape(s.status_label)} · {format_yuan(s.refund_amount_fen)}"
                f" · {escape(s.reason)}{expire}</p>"
            )
            if s.events:
                parts.append(_table([(format_ts(at, "%m-%d %H:%M"), a, b, c) for at, a, b, c in s.events]))
    if d.audit:
        parts.append(tr("<h3>操作日志</h3>"))
        parts.append(_table([(format_ts(x.at, "%m-%d %H:%M"), x.actor, x.action, x.detail) for x in d.audit]))
    return "".join(parts)


def render_receiver(info) -> str:
    """The unmasked receiver, shown on request (the reveal is in the audit log)."""
    address = " ".join(p for p in (info.province, info.city, info.district, info.town, info.detail) if p)
    return tr("{style}<p class=danger>完整收件信息（已记录查看）：{name} {phone} {address}</p>").format(
        style=_STYLE, name=escape(info.name), phone=escape(info.phone), address=escape(address)
    )
