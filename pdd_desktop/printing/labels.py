"""E-waybill labels (电子面单), one per page, laid out by a :class:`LabelTemplate`."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from pdd_desktop.printing.barcodes import draw_code128, draw_qr
from pdd_desktop.printing.draw import draw_fitted, new_canvas, text_in_box
from pdd_desktop.printing.fonts import FontChoice, default_font
from pdd_desktop.printing.model import LabelData, LabelItem
from pdd_desktop.printing.output import CancelFn, Output, ProgressFn, Ticker, atomic_output
from pdd_desktop.printing.template import LabelTemplate, TextBox, load_template
from pdd_desktop.printing.textfit import FittedText, fit_text

ITEM_SEPARATOR = "；"


def item_text(item: LabelItem) -> str:
    """``T恤 白色/L×2``: short name, spec and quantity of one item."""
    spec = f" {item.spec}" if item.spec else ""
    return f"{item.short_name}{spec}×{item.quantity}"


def _fit_box(text: str, box: TextBox, font: str, leading: float, tail: str = "") -> FittedText:
    return fit_text(
        text,
        font,
        box.w * mm,
        box.h * mm,
        box.size,
        box.min_size,
        leading=leading,
        max_lines=box.max_lines,
        tail=tail,
    )


def fit_items(items: Sequence[LabelItem], box: TextBox, font: str, leading: float) -> FittedText:
    """The item summary that fits ``box``: every item, or the first few and "等N件" (N = total pieces)."""
    texts = [item_text(i) for i in items]
    prefix = box.prefix
    full = _fit_box(prefix + ITEM_SEPARATOR.join(texts), box, font, leading)
    if not full.truncated or len(texts) <= 1:
        return full
    tail = f" 等{sum(i.quantity for i in items)}件"
    lo, hi, best = 1, len(texts) - 1, None
    while lo <= hi:  # most items that fit with the tail
        k = (lo + hi) // 2
        f = _fit_box(prefix + ITEM_SEPARATOR.join(texts[:k]) + tail, box, font, leading)
        if f.truncated:
            hi = k - 1
        else:
            best, lo = f, k + 1
    return best or _fit_box(prefix + texts[0], box, font, leading, tail=tail)


def _field_texts(label: LabelData) -> dict[str, str]:
    return {
        "courier": label.courier_name,
        "service": label.service_name,
        "sort_code": label.sort_code or "",
        "hub": label.hub or "",
        "receiver_name": f"{label.receiver_name}  {label.receiver_phone_masked}".strip(),
        "receiver_address": label.receiver_address,
        "sender_name": f"{label.sender_name}  {label.sender_phone}".strip(),
        "sender_address": label.sender_address,
        "buyer_memo": label.buyer_memo.strip(),
        "seller_memo": label.seller_memo.strip(),
        "order_sn": label.order_sn,
        "printed_at": label.printed_at,
    }


class _LabelPainter:
    """Draws labels of one template; everything that is the same on each label is computed once."""

    def __init__(self, template: LabelTemplate, font: str) -> None:
        self.t = template
        self.font = font
        self.h = template.height_mm * mm

    def top(self, y_mm: float) -> float:
        return self.h - y_mm * mm

    def frame(self, c: Canvas) -> None:
        t = self.t
        c.setStrokeGray(0)
        for r in t.rules:
            c.setLineWidth(r.width_pt)
            c.setDash(2, 1.5) if r.dashed else c.setDash()
            c.line(r.x1 * mm, self.top(r.y1), r.x2 * mm, self.top(r.y2))
        c.setDash()
        if t.border:
            c.setLineWidth(0.8)
            c.rect(0.4, 0.4, t.width_mm * mm - 0.8, self.h - 0.8)
        for s in t.statics:
            b = s.box
            x, y, w, h = b.x * mm, self.top(b.y), b.w * mm, b.h * mm
            if s.style == "inverse":
                c.setFillGray(0)
                c.roundRect(x, y - h, w, h, min(w, h) * 0.18, stroke=0, fill=1)
                c.setFillGray(1)
                c.setStrokeGray(1)
            elif s.style == "box":
                c.setLineWidth(0.8)
                c.roundRect(x, y - h, w, h, min(w, h) * 0.18, stroke=1, fill=0)
            pad = 0.6 * mm if s.style != "plain" else 0.0
            text_in_box(
                c, s.text, self.font, x + pad, y - pad, w - 2 * pad, h - 2 * pad, b.size, b.min_size,
                align=b.align, valign=b.valign, bold=b.bold, leading=self.t.leading, max_lines=b.max_lines,
            )  # fmt: skip
            c.setFillGray(0)
            c.setStrokeGray(0)

    def text(self, c: Canvas, key: str, value: str) -> None:
        box = self.t.fields.get(key)
        if box is None or not value:
            return
        fitted = _fit_box(box.prefix + value, box, self.font, self.t.leading)
        self._draw(c, fitted, box)

    def _draw(self, c: Canvas, fitted: FittedText, box: TextBox) -> None:
        draw_fitted(
            c, fitted, self.font, box.x * mm, self.top(box.y), box.w * mm, box.h * mm,
            align=box.align, valign=box.valign, bold=box.bold,
        )  # fmt: skip

    def barcode(self, c: Canvas, key: str, value: str) -> None:
        b = self.t.barcodes.get(key)
        if b is None or not value:
            return
        draw_code128(c, value, b.x * mm, self.top(b.y + b.h), b.w * mm, b.h * mm, dpi=self.t.dpi)
        if b.text_size:
            text_in_box(
                c, value, self.font, b.x * mm, self.top(b.y + b.h), b.w * mm, b.text_h * mm,
                b.text_size, min(b.text_size, 5.0), align="center", valign="middle", max_lines=1,
            )  # fmt: skip

    def draw(self, c: Canvas, label: LabelData) -> None:
        self.frame(c)
        for key, value in _field_texts(label).items():
            self.text(c, key, value)
        items_box = self.t.fields.get("items")
        if items_box is not None and label.items:
            self._draw(c, fit_items(label.items, items_box, self.font, self.t.leading), items_box)
        self.barcode(c, "main", label.tracking_no)
        self.barcode(c, "small", label.tracking_no)
        q = self.t.qr
        if q is not None and label.tracking_no:
            draw_qr(c, label.tracking_no, q.x * mm, self.top(q.y), q.size * mm)


def render_labels(
    labels: Sequence[LabelData],
    template: LabelTemplate | None,
    out: Output,
    *,
    font: FontChoice | None = None,
    progress: ProgressFn | None = None,
    should_cancel: CancelFn | None = None,
    offset_mm: tuple[float, float] = (0.0, 0.0),
    compress: bool = True,
) -> int:
    """Render one label per page into ``out`` (a path, written atomically, or a binary stream).

    Args:
        labels: the labels, in print order.
        template: the layout; ``None`` loads the default 76×130 mm template.
        out: where the PDF goes; nothing is written when rendering fails or is cancelled.
        font: the CJK font (default: :func:`~pdd_desktop.printing.fonts.default_font`).
        progress: called as ``progress(done, total)`` after each label.
        should_cancel: polled before each label; returning True stops the render.
        offset_mm: printer calibration (x right, y down) added to every position.
        compress: deflate the page streams (smaller files, a little slower).

    Returns:
        The number of pages written.

    Raises:
        Cancelled: when ``should_cancel`` returned True; ``out`` is left untouched.
    """
    if not labels:
        raise ValueError("没有要打印的面单")
    template = template or load_template()
    font_name = (font or default_font()).name
    painter = _LabelPainter(template, font_name)
    ticker = Ticker(len(labels), progress, should_cancel)
    w, h = template.width_mm * mm, template.height_mm * mm
    with atomic_output(out) as buf:
        c = new_canvas(buf, w, h, "电子面单", font_name, compress=compress)
        for i, label in enumerate(labels):
            ticker.check()
            if offset_mm != (0.0, 0.0):
                c.translate(offset_mm[0] * mm, -offset_mm[1] * mm)
            painter.draw(c, label)
            c.showPage()
            ticker.done(i + 1)
        ticker.check()
        c.save()
    return len(labels)
