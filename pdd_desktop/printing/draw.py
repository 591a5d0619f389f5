"""Canvas helpers shared by the documents: fitted text in a box, fake bold, page setup."""

from __future__ import annotations

from reportlab import rl_config
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from pdd_desktop.printing.textfit import FittedText, fit_text, text_width

# Compressed streams go out as binary: ASCII85 on top of deflate only makes files 25 % larger and
# costs a second per 1,000 labels in ReportLab's pure-Python encoder. Process-wide by design; this
# app has no use for 7-bit-clean PDFs.
rl_config.useA85 = 0

#: Stroke width of the fake bold (text render mode 2) as a share of the font size.
BOLD_STROKE = 0.035


def new_canvas(
    buf, width_pt: float, height_pt: float, title: str, font_name: str, *, compress: bool = True
) -> Canvas:
    """A canvas for one document written to ``buf``, with ``font_name`` as its only font."""
    c = Canvas(
        buf,
        pagesize=(width_pt, height_pt),
        pageCompression=1 if compress else 0,
        initialFontName=font_name,
        initialFontSize=10,
    )
    c.setTitle(title)
    c.setCreator("PDD Desktop")
    c.setAuthor("PDD Desktop")
    return c


def draw_fitted(
    c: Canvas,
    fitted: FittedText,
    font_name: str,
    x: float,
    y_top: float,
    width: float,
    height: float,
    *,
    align: str = "left",
    valign: str = "top",
    bold: bool = False,
) -> None:
    """Draw fitted lines in the box whose top-left is (x, y_top) in points (y grows upwards)."""
    if not fitted.lines:
        return
    size = fitted.size
    if valign == "middle":
        top = y_top - (height - fitted.height) / 2
    elif valign == "bottom":
        top = y_top - (height - fitted.height)
    else:
        top = y_top
    baseline = top - fitted.ascent
    t = c.beginText()
    t.setFont(font_name, size, fitted.leading)
    if bold:
        c.setLineWidth(size * BOLD_STROKE)
        t.setTextRenderMode(2)
    for line in fitted.lines:
        if align == "left":
            lx = x
        else:
            lw = text_width(line, font_name, size)
            lx = x + (width - lw) / 2 if align == "center" else x + width - lw
        t.setTextOrigin(lx, baseline)
        t.textOut(line)
        baseline -= fitted.leading
    if bold:
        t.setTextRenderMode(0)
    c.drawText(t)


def text_in_box(
    c: Canvas,
    text: str,
    font_name: str,
    x: float,
    y_top: float,
    width: float,
    height: float,
    size: float,
    min_size: float | None = None,
    *,
    align: str = "left",
    valign: str = "top",
    bold: bool = False,
    leading: float = 1.2,
    max_lines: int = 0,
    tail: str = "",
) -> FittedText:
    """Fit ``text`` into the box (points, top-left origin) and draw it; returns the fit."""
    fitted = fit_text(
        text,
        font_name,
        width,
        height,
        size,
        size if min_size is None else min_size,
        leading=leading,
        max_lines=max_lines,
        tail=tail,
    )
    draw_fitted(c, fitted, font_name, x, y_top, width, height, align=align, valign=valign, bold=bold)
    return fitted


__all__ = ["draw_fitted", "mm", "new_canvas", "text_in_box"]
