"""Invoices / receipts (订单开票), A4 portrait: parties, lines, total in figures and in 大写."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm

from pdd_desktop.printing.amounts import chinese_capital, yuan
from pdd_desktop.printing.draw import new_canvas, text_in_box
from pdd_desktop.printing.fonts import FontChoice, default_font
from pdd_desktop.printing.model import Invoice, InvoiceParty
from pdd_desktop.printing.output import CancelFn, Output, ProgressFn, Ticker, atomic_output
from pdd_desktop.printing.table import Column, draw_table, table_width

COLUMNS = (
    Column("序号", 12, "right", 9, 6.5),
    Column("项目名称", 66, "left", 9.5, 6.5, 2),
    Column("规格型号", 38, "left", 9, 6.5, 2),
    Column("数量", 18, "right", 9.5, 6.5),
    Column("单价（元）", 26, "right", 9.5, 6.5),
    Column("金额（元）", 26, "right", 9.5, 6.5),
)
MARGIN = 14 * mm
ROW_H = 8 * mm
HEAD_ROW_H = 7 * mm
HEADER_H = 82 * mm  # title, numbers, the two party boxes
BOTTOM_H = 46 * mm  # totals, 大写, remark, issuer on the last page


class InvoiceError(ValueError):
    """An invoice whose lines do not add up to its total."""


def check_invoice(inv: Invoice) -> None:
    """Raise :class:`InvoiceError` when the line amounts do not sum to ``total_fen``."""
    total = sum(line.amount_fen for line in inv.lines)
    if total != inv.total_fen:
        raise InvoiceError(f"发票明细合计 {yuan(total)} 元与总金额 {yuan(inv.total_fen)} 元不一致")


def _rows(last: bool) -> int:
    usable = A4[1] - 2 * MARGIN - HEADER_H - HEAD_ROW_H - (BOTTOM_H if last else 0)
    return max(1, int(usable // ROW_H))


def _pages_for(n: int) -> int:
    if n <= _rows(True):
        return 1
    return 1 + -(-(n - _rows(True)) // _rows(False))


def _party(c, title: str, party: InvoiceParty, font: str, x: float, y: float, w: float, h: float) -> None:
    c.setLineWidth(0.6)
    c.rect(x, y - h, w, h)
    c.setFillGray(0.9)
    c.rect(x, y - h, 9 * mm, h, stroke=1, fill=1)
    c.setFillGray(0)
    text_in_box(c, "\n".join(title), font, x + 1 * mm, y - 2 * mm, 7 * mm, h - 4 * mm, 11, 8,
                align="center", valign="middle", bold=True, leading=1.3)  # fmt: skip
    rows = (
        ("名　　称", party.title),
        ("纳税人识别号", party.tax_no),
        ("地址、电话", party.address_phone),
        ("开户行及账号", party.bank_account),
    )
    ry = y - 2 * mm
    row_h = (h - 4 * mm) / len(rows)
    for label, value in rows:
        text_in_box(
            c, label + "：", font, x + 11 * mm, ry, 24 * mm, row_h, 8.5, 6.5, valign="middle", max_lines=1
        )
        text_in_box(
            c,
            value,
            font,
            x + 35 * mm,
            ry,
            w - 37 * mm,
            row_h,
            9.5,
            6.5,
            valign="middle",
            max_lines=2,
            leading=1.1,
        )
        ry -= row_h


def render_invoices(
    invoices: Sequence[Invoice],
    out: Output,
    *,
    font: FontChoice | None = None,
    progress: ProgressFn | None = None,
    should_cancel: CancelFn | None = None,
    compress: bool = True,
) -> int:
    """Render each invoice on its own A4 page(s) into ``out``.

    Returns:
        The number of pages.

    Raises:
        InvoiceError: when an invoice's lines do not add up to its total (nothing is written).
        Cancelled: when ``should_cancel`` returned True; ``out`` is left untouched.
    """
    if not invoices:
        raise ValueError("没有要打印的发票")
    for inv in invoices:
        check_invoice(inv)
    font_name = (font or default_font()).name
    ticker = Ticker(len(invoices), progress, should_cancel)
    page_w, page_h = A4
    tw = table_width(COLUMNS)
    x0 = (page_w - tw) / 2
    pages = 0
    with atomic_output(out) as buf:
        c = new_canvas(buf, page_w, page_h, "发票", font_name, compress=compress)
        for n, inv in enumerate(invoices):
            ticker.check()
            n_pages = _pages_for(len(inv.lines))
            lines = list(inv.lines)
            start = 0
            for page in range(n_pages):
                last = page == n_pages - 1
                count = len(lines) - start if last else _rows(False)
                chunk = lines[start : start + count]
                top = page_h - MARGIN
                text_in_box(c, inv.title, font_name, x0, top, tw, 12 * mm, 22, 14, align="center", bold=True)
                c.setLineWidth(0.8)
                c.line(x0 + tw * 0.35, top - 13 * mm, x0 + tw * 0.65, top - 13 * mm)
                c.line(x0 + tw * 0.35, top - 13.8 * mm, x0 + tw * 0.65, top - 13.8 * mm)
                meta = [
                    f"发票号码：{inv.invoice_no}" if inv.invoice_no else "",
                    f"开票日期：{inv.invoice_date}" if inv.invoice_date else "",
                    f"订单号：{inv.order_sn}" if inv.order_sn else "",
                    f"第 {page + 1}/{n_pages} 页" if n_pages > 1 else "",
                ]
                text_in_box(c, "\n".join(m for m in meta if m), font_name, x0 + tw * 0.6, top - 16 * mm,
                            tw * 0.4, 18 * mm, 9, 6.5, align="right", leading=1.3)  # fmt: skip
                py = top - 36 * mm
                _party(c, "购买方", inv.buyer, font_name, x0, py, tw, 22 * mm)
                _party(c, "销售方", inv.seller, font_name, x0, py - 23 * mm, tw, 22 * mm)
                rows = [
                    (
                        str(start + i + 1),
                        line.name,
                        line.spec,
                        str(line.quantity),
                        yuan(line.unit_price_fen),
                        yuan(line.amount_fen),
                    )
                    for i, line in enumerate(chunk)
                ]
                start += count
                total = (
                    ("", "合计", "", str(sum(li.quantity for li in lines)), "", f"¥{yuan(inv.total_fen)}")
                    if last
                    else None
                )
                y = draw_table(
                    c, COLUMNS, font_name, x0, page_h - MARGIN - HEADER_H, rows,
                    head_h=HEAD_ROW_H, row_h=ROW_H, total=total,
                )  # fmt: skip
                if last:
                    _draw_total(c, inv, font_name, x0, y, tw)
                c.showPage()
                pages += 1
            ticker.done(n + 1)
        ticker.check()
        c.save()
    return pages


def _draw_total(c, inv: Invoice, font: str, x0: float, y: float, tw: float) -> None:
    h = 10 * mm
    c.setLineWidth(0.6)
    c.rect(x0, y - h, tw, h)
    text_in_box(c, "价税合计（大写）", font, x0 + 2 * mm, y, 34 * mm, h, 9.5, 7, valign="middle", max_lines=1)
    text_in_box(c, chinese_capital(inv.total_fen), font, x0 + 36 * mm, y, tw * 0.55, h, 11, 7,
                valign="middle", bold=True, max_lines=1)  # fmt: skip
    text_in_box(c, f"（小写）¥{yuan(inv.total_fen)}", font, x0 + tw * 0.6, y, tw * 0.4 - 2 * mm, h, 11, 7,
                align="right", valign="middle", bold=True, max_lines=1)  # fmt: skip
    y -= h + 3 * mm
    notes = [f"备注：{inv.remark}" if inv.remark else "", *inv.notes]
    text = "\n".join(n for n in notes if n)
    if text:
        text_in_box(c, text, font, x0, y, tw, 18 * mm, 9, 6.5, leading=1.3)
    if inv.issuer:
        text_in_box(c, f"开票人：{inv.issuer}", font, x0, MARGIN + 6 * mm, tw, 6 * mm, 9.5, 7, align="right")
