"""Picking list (拣货单), A4 portrait: one row per SKU, sorted by seller code, with a tick box."""

from __future__ import annotations

from collections.abc import Iterable

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm

from pdd_desktop.printing.draw import new_canvas, text_in_box
from pdd_desktop.printing.fonts import FontChoice, default_font
from pdd_desktop.printing.model import PickingLine, PickingList
from pdd_desktop.printing.output import CancelFn, Output, ProgressFn, Ticker, atomic_output
from pdd_desktop.printing.table import Column, draw_table, table_width

COLUMNS = (
    Column("序号", 11, "right", 8.5, 6),
    Column("商家编码", 32, "left", 9, 6),
    Column("商品名称", 64, "left", 9, 6.5, 2),
    Column("规格", 38, "left", 9, 6.5, 2),
    Column("数量", 15, "right", 10, 7),
    Column("订单数", 14, "right", 9, 7),
    Column("已拣", 12, "center", 9, 7),
)
MARGIN = 12 * mm
HEADER_H = 24 * mm
FOOTER_H = 4 * mm
ROW_H = 7.5 * mm
HEAD_ROW_H = 7 * mm
BOX = 3.6 * mm


def sort_key(line: PickingLine) -> tuple:
    """Seller code first (lines without one last), then goods name and spec."""
    return (line.seller_code == "", line.seller_code, line.goods_name, line.spec)


def aggregate(rows: Iterable[tuple[str, str, str, str, int]]) -> tuple[list[PickingLine], int]:
    """Sum ``(order_sn, seller_code, goods_name, spec, quantity)`` rows into SKU lines.

    Returns:
        The SKU lines (sorted) and the number of distinct orders.
    """
    qty: dict[tuple[str, str, str], int] = {}
    orders_of: dict[tuple[str, str, str], set[str]] = {}
    all_orders: set[str] = set()
    for order_sn, code, name, spec, quantity in rows:
        key = (code, name, spec)
        qty[key] = qty.get(key, 0) + quantity
        orders_of.setdefault(key, set()).add(order_sn)
        all_orders.add(order_sn)
    lines = [PickingLine(k[0], k[1], k[2], q, len(orders_of[k])) for k, q in qty.items()]
    lines.sort(key=sort_key)
    return lines, len(all_orders)


def rows_per_page() -> int:
    """SKU rows on one A4 page."""
    usable = A4[1] - 2 * MARGIN - HEADER_H - FOOTER_H - HEAD_ROW_H
    return int(usable // ROW_H)


def page_count(n_lines: int) -> int:
    """Pages needed for ``n_lines`` SKU rows plus the totals row."""
    per = rows_per_page()
    return max(1, -(-(n_lines + 1) // per))


def render_picking_list(
    picking: PickingList,
    out: Output,
    *,
    font: FontChoice | None = None,
    progress: ProgressFn | None = None,
    should_cancel: CancelFn | None = None,
    compress: bool = True,
) -> int:
    """Render the picking list to ``out`` (path written atomically, or a binary stream).

    Lines are printed sorted by seller code; the table header repeats on every page and the last
    row totals SKUs, pieces and orders.

    Returns:
        The number of pages.

    Raises:
        Cancelled: when ``should_cancel`` returned True; ``out`` is left untouched.
    """
    font_name = (font or default_font()).name
    lines = sorted(picking.lines, key=sort_key)
    per = rows_per_page()
    pages = page_count(len(lines))
    ticker = Ticker(pages, progress, should_cancel)
    page_w, page_h = A4
    x0 = (page_w - table_width(COLUMNS)) / 2
    tw = table_width(COLUMNS)
    total_qty = sum(line.quantity for line in lines)
    summary = f"订单 {picking.order_count} 单　SKU {len(lines)} 种　商品 {total_qty} 件"
    with atomic_output(out) as buf:
        c = new_canvas(buf, page_w, page_h, picking.title, font_name, compress=compress)
        for page in range(pages):
            ticker.check()
            top = page_h - MARGIN
            text_in_box(c, picking.title, font_name, x0, top, tw, 10 * mm, 20, 14, align="center", bold=True)
            text_in_box(
                c, f"第 {page + 1}/{pages} 页", font_name, x0 + tw * 0.75, top, tw * 0.25, 10 * mm, 10, 7,
                align="right", valign="middle", max_lines=1,
            )  # fmt: skip
            info_y = top - 12 * mm
            left = f"{picking.shop_name}　{summary}" if picking.shop_name else summary
            text_in_box(c, left, font_name, x0, info_y, tw * 0.7, 5 * mm, 9.5, 7, max_lines=1)
            text_in_box(
                c, f"生成时间：{picking.created_at}", font_name, x0 + tw * 0.7, info_y, tw * 0.3, 5 * mm,
                9.5, 7, align="right", max_lines=1,
            )  # fmt: skip
            chunk = lines[page * per : (page + 1) * per]
            rows = [
                (str(page * per + i + 1), line.seller_code, line.goods_name, line.spec,
                 str(line.quantity), str(line.order_count), "")
                for i, line in enumerate(chunk)
            ]  # fmt: skip
            totals = (
                ("", "合计", f"SKU {len(lines)} 种", f"订单 {picking.order_count} 单", str(total_qty), "", "")
                if page == pages - 1
                else None
            )
            draw_table(
                c, COLUMNS, font_name, x0, top - HEADER_H, rows, head_h=HEAD_ROW_H, row_h=ROW_H,
                total=totals, total_gray=0.9, stripe_from=page * per + 1,
            )  # fmt: skip
            # tick boxes in the last column
            bx = x0 + tw - COLUMNS[-1].width_mm * mm / 2 - BOX / 2
            c.setLineWidth(0.7)
            by = page_h - MARGIN - HEADER_H - HEAD_ROW_H
            p = c.beginPath()
            for _ in chunk:
                p.rect(bx, by - ROW_H / 2 - BOX / 2, BOX, BOX)
                by -= ROW_H
            c.drawPath(p, stroke=1, fill=0)
            c.showPage()
            ticker.done(page + 1)
        ticker.check()
        c.save()
    return pages
