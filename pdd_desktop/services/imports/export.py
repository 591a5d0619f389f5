"""Exporting orders in the platform's own export layout."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pdd_desktop.common.task import TaskContext
from pdd_desktop.common.timefmt import format_ts
from pdd_desktop.data.db import database
from pdd_desktop.domain import export_columns as ec
from pdd_desktop.domain.money import format_yuan_plain
from pdd_desktop.domain.privacy import masked_street
from pdd_desktop.services.imports.helpers import _report
from pdd_desktop.tabular.table_files import format_for, write_table

EXPORT_CHUNK = 500
EXPORT_PROGRESS = "正在导出订单"
#: The export writes the older full layout (it has the receiver columns) plus 订单创建时间.
EXPORT_HEADER: tuple[str, ...] = (*ec.OLD_ORDER_HEADER, "订单创建时间")

_EXPORT_SQL = (
    "SELECT o.id, o.order_sn, o.status, o.refund_status, o.goods_amount_fen, o.seller_discount_fen, "
    "o.platform_discount_fen, o.postage_fen, o.pay_amount_fen, o.merchant_receive_fen, {receiver}, "
    "o.receiver_name_mask, o.receiver_phone_mask, o.address_mask, o.risk_control_status, o.province, o.city, "
    "o.district, o.town, o.paid_at, o.group_formed_at, o.confirmed_at, o.ship_deadline_at, o.shipped_at, "
    "o.signed_at, o.is_lucky, o.seller_memo, o.buyer_memo, o.created_at, "
    "(SELECT p.tracking_number || char(31) || COALESCE(c.name, '') FROM package_order po "
    " JOIN package p ON p.id = po.package_id LEFT JOIN courier c ON c.id = p.courier_id "
    " WHERE po.order_id = o.id AND p.voided_at IS NULL AND p.kind = 'normal' ORDER BY p.id LIMIT 1) "
    'FROM "order" o WHERE o.id IN ({marks})'
)


@dataclass(frozen=True)
class PlatformExportResult:
    """What :func:`export_platform_orders` wrote."""

    path: str
    orders: int
    rows: int
    full_receiver: bool


def _money(fen: int | None) -> str:
    return "" if fen is None else format_yuan_plain(int(fen))


def export_platform_orders(
    path: Path | str,
    f: Any = None,
    *,
    full_receiver: bool = False,
    reason: str = "",
    task: TaskContext | None = None,
) -> PlatformExportResult:
    """Write orders in the platform's own order-export layout (one row per item), CSV or XLSX.

    ``f`` is an ``orders.OrderFilter`` (None = every order). Receiver name, phone and street are
    masked unless ``full_receiver``; an unmasked export is audited first (as
    ``orders.export_orders``). Importing the file back into the same shop changes nothing.
    """
    from pdd_desktop.services import orders as orders_service

    if f is None:
        ids = [r[0] for r in database.execute_sql('SELECT id FROM "order" ORDER BY id').fetchall()]
    else:
        ids = orders_service.search_ids(f, sort="urgency")
    total = len(ids)
    if full_receiver:
        orders_service.audit_receiver_export(orders=total, path=str(path), reason=reason, layout="platform")
    receiver = "o.receiver_name, o.receiver_phone, o.address_detail" if full_receiver else "'', '', ''"
    col = {h: i for i, h in enumerate(EXPORT_HEADER)}
    width = len(EXPORT_HEADER)

    def rows() -> Iterator[list[object]]:
        for start in range(0, total, EXPORT_CHUNK):
            _report(task, start, total, EXPORT_PROGRESS)
            block = ids[start : start + EXPORT_CHUNK]
            marks = ",".join("?" * len(block))
            orders = {
                r[0]: r
                for r in database.execute_sql(_EXPORT_SQL.format(receiver=receiver, marks=marks), block)
            }
            items: dict[int, list[tuple]] = {}
            for r in database.execute_sql(
                "SELECT order_id, goods_name, quantity, goods_id, spec, sku_id, outer_id, outer_goods_id "
                f"FROM order_item WHERE order_id IN ({marks}) ORDER BY order_id, id",
                block,
            ):
                items.setdefault(r[0], []).append(r[1:])
            for oid in block:
                o = orders.get(oid)
                if o is None:
                    continue
                (_id, sn, status, refund, goods, seller_d, platform_d, postage, pay, receive, name, phone,
                 detail, name_mask, phone_mask, detail_mask, risk, province, city, district, town, paid,
                 formed, confirmed, deadline, shipped, signed, lucky, seller_memo, buyer_memo, created,
                 parcel) = o  # fmt: skip
                number, courier = ([*parcel.split("\x1f", 1), ""])[:2] if parcel else ("", "")
                base = [""] * width
                for header, value in (
                    ("订单号", sn),
                    ("订单状态", ec.order_status_text(status, refund)),
                    ("商品总价(元)", _money(goods)),
                    ("店铺优惠折扣(元)", _money(seller_d)),
                    ("平台优惠折扣(元)", _money(platform_d)),
                    ("邮费(元)", _money(postage)),
                    ("用户实付金额(元)", _money(pay)),
                    ("商家实收金额(元)", _money(receive)),
                    ("收货人", name if full_receiver else name_mask),
                    ("手机", phone if full_receiver else phone_mask),
                    ("详细地址", detail if full_receiver else masked_street(detail_mask, detail)),
                    ("是否审核中", "是" if risk else "否"),
                    ("省", province),
                    ("市", city),
                    ("区", district),
                    ("街道", town),
                    ("支付时间", format_ts(paid)),
                    ("拼单成功时间", format_ts(formed)),
                    ("订单确认时间", format_ts(confirmed)),
                    ("承诺发货时间", format_ts(deadline)),
                    ("发货时间", format_ts(shipped)),
                    ("确认收货时间", format_ts(signed)),
                    ("快递单号", number),
                    ("快递公司", courier),
                    ("是否抽奖或0元试用", "是" if lucky else "否"),
                    ("商家备注", seller_memo),
                    ("售后状态", ec.after_sales_text(refund)),
                    ("买家留言", buyer_memo),
                    ("订单创建时间", format_ts(created)),
                ):
                    base[col[header]] = value
                for goods_name, quantity, goods_id, spec, sku_id, outer_id, outer_goods_id in items.get(
                    oid, []
                ):
                    row = list(base)
                    row[col["商品"]] = goods_name
                    row[col["商品数量(件)"]] = quantity
                    row[col["商品id"]] = goods_id
                    row[col["商品规格"]] = spec
                    row[col["样式ID"]] = sku_id
                    row[col["商家编码-SKU维度"]] = outer_id
                    row[col["商家编码-商品维度"]] = outer_goods_id
                    yield row

    written = write_table(path, EXPORT_HEADER, rows(), fmt=format_for(path), sheet="订单")
    if task is not None:
        task.report(total, total, EXPORT_PROGRESS)
    return PlatformExportResult(str(path), total, written, full_receiver)
