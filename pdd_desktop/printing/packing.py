"""Packing slips (发货单), one order per A5 portrait page (continued on more pages when long).

A5 rather than 100×150 mm: the slip goes into the parcel from the office printer that already
holds A4 paper (two A5 slips per A4 sheet cut in half, or A5 stock), while the thermal printer
stays loaded with waybill labels; A5 also leaves room for prices and memos in readable type.
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib.pagesizes import A5
from reportlab.lib.units import mm

from pdd_desktop.printing.amounts import yuan
from pdd_desktop.printing.barcodes import draw_code128
from pdd_desktop.printing.draw import new_canvas, text_in_box
from pdd_desktop.printing.fonts import FontChoice, default_font
from pdd_desktop.printing.model import PackingSlip
from pdd_desktop.printing.output import CancelFn, Output, ProgressFn, Ticker, atomic_output
from pdd_desktop.printing.table import Column, draw_table, table_width

COLUMNS = (
    Column("商品", 52, "left", 9, 6.5, 2),
    Column("规格", 30, "left", 8.5, 6.5, 2),
    Column("数量", 13, "right", 9.5, 7),
    Column("单价", 16, "right", 8.5, 6.5),
    Column("小计", 17, "right", 8.5, 6.5),
)
MARGIN = 10 * mm
ROW_H = 8 * mm
HEAD_ROW_H = 6.5 * mm
TOP_H = 42 * mm  # shop, title, order number, barcode
FIRST_ROWS_BOTTOM = 48 * mm  # room kept under the table on the last page: totals, memos, thanks


def _rows_on_page(last: bool) -> int:
    usable = A5[1] - MARGIN - TOP_H - HEAD_ROW_H - (FIRST_ROWS_BOTTOM if last else MARGIN)
    return max(1, int(usable // ROW_H))


def _pages_for(n_items: int) -> int:
    full, last = _rows_on_page(False), _rows_on_page(True)
    if n_items <= last:
        return 1
    return 1 + -(-(n_items - last) // full)


def render_packing_slips(
    slips: Sequence[PackingSlip],
    out: Output,
    *,
    font: FontChoice | None = None,
    progress: ProgressFn | None = None,
    should_cancel: CancelFn | None = None,
    compress: bool = True,
) -> int:
    """Render one packing slip per order (A5 portrait) into ``out``.

    Returns:
        The number of pages.

    Raises:
        Cancelled: when ``should_cancel`` returned True; ``out`` is left untouched.
    """
    if not slips:
        raise ValueError("没有要打印的发货单")
    font_name = (font or default_font()).name
    ticker = Ticker(len(slips), progress, should_cancel)
    page_w, page_h = A5
    tw = table_width(COLUMNS)
    x0 = (page_w - tw) / 2
    pages = 0
    with atomic_output(out) as buf:
        c = new_canvas(buf, page_w, page_h, "发货单", font_name, compress=compress)
        for n, slip in enumerate(slips):
            ticker.check()
            n_pages = _pages_for(len(slip.items))
            items = list(slip.items)
            start = 0
            for page in range(n_pages):
                last = page == n_pages - 1
                count = len(items) - start if last else _rows_on_page(False)
                chunk = items[start : start + count]
                start += count
                top = page_h - MARGIN
                text_in_box(
                    c, slip.shop_name, font_name, x0, top, tw, 8 * mm, 16, 10, align="center", bold=True
                )
                title = "发货单" if n_pages == 1 else f"发货单（第 {page + 1}/{n_pages} 页）"
                text_in_box(c, title, font_name, x0, top - 8.5 * mm, tw, 6 * mm, 12, 8, align="center")
                info_top = top - 17 * mm
                info = f"订单号：{slip.order_sn}\n收件人：{slip.receiver_name_masked}" + (
                    f"\n打印时间：{slip.printed_at}" if slip.printed_at else ""
                )
                text_in_box(c, info, font_name, x0, info_top, tw * 0.5, 20 * mm, 9, 6.5, leading=1.35)
                draw_code128(c, slip.order_sn, x0 + tw * 0.5, info_top - 14 * mm, tw * 0.5, 13 * mm, dpi=300)
                rows = [
                    (
                        item.name,
                        item.spec,
                        str(item.quantity),
                        yuan(item.price_fen),
                        yuan(item.price_fen * item.quantity),
                    )
                    for item in chunk
                ]
                y = draw_table(
                    c, COLUMNS, font_name, x0, page_h - MARGIN - TOP_H, rows, head_h=HEAD_ROW_H, row_h=ROW_H
                )
                if last:
                    _draw_bottom(c, slip, font_name, x0, y, tw)
                c.showPage()
                pages += 1
            ticker.done(n + 1)
        ticker.check()
        c.save()
    return pages


def _draw_bottom(c, slip: PackingSlip, font_name: str, x0: float, y: float, tw: float) -> None:
    qty = sum(i.quantity for i in slip.items)
    goods_fen = sum(i.quantity * i.price_fen for i in slip.items)
    totals = f"共 {qty} 件　商品金额 ¥{yuan(goods_fen)}"
    if slip.paid_fen is not None:
        totals += f"　实付 ¥{yuan(slip.paid_fen)}"
    text_in_box(
        c, totals, font_name, x0, y - 1.5 * mm, tw, 6 * mm, 10, 7, align="right", bold=True, max_lines=1
    )
    y -= 9 * mm
    for label, memo in (("买家留言", slip.buyer_memo), ("卖家备注", slip.seller_memo)):
        if memo.strip():
            text_in_box(c, f"{label}：{memo.strip()}", font_name, x0, y, tw, 12 * mm, 9, 6.5, leading=1.25)
            y -= 13 * mm
    c.setLineWidth(0.4)
    c.setDash(2, 2)
    c.line(x0, MARGIN + 7 * mm, x0 + tw, MARGIN + 7 * mm)
    c.setDash()
    text_in_box(
        c, slip.thanks, font_name, x0, MARGIN + 5.5 * mm, tw, 5 * mm, 9, 6.5, align="center", max_lines=1
    )
