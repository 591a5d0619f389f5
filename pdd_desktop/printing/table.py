"""A plain ruled table on a canvas: fixed row height, every cell fitted to its box."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from pdd_desktop.printing.draw import text_in_box

CELL_PAD = 1.2 * mm


@dataclass(frozen=True)
class Column:
    """One table column: header text, width in mm, alignment, font size range, lines per cell."""

    title: str
    width_mm: float
    align: str = "left"
    size: float = 9.0
    min_size: float = 6.5
    max_lines: int = 1


def table_width(columns: Sequence[Column]) -> float:
    """Total width in points."""
    return sum(col.width_mm for col in columns) * mm


def draw_cells(
    c: Canvas,
    columns: Sequence[Column],
    values: Sequence[str],
    font: str,
    x: float,
    y_top: float,
    row_h: float,
    *,
    bold: bool = False,
    header: bool = False,
) -> None:
    """Draw one row of cell texts (no rules); header cells are centred."""
    cx = x
    for col, value in zip(columns, values, strict=True):
        w = col.width_mm * mm
        if value:
            text_in_box(
                c, value, font, cx + CELL_PAD, y_top - 0.6, w - 2 * CELL_PAD, row_h - 1.2,
                col.size, col.min_size, align="center" if header else col.align, valign="middle",
                bold=bold or header, leading=1.1, max_lines=1 if header else col.max_lines,
            )  # fmt: skip
        cx += w


def draw_grid(
    c: Canvas,
    columns: Sequence[Column],
    x: float,
    y_top: float,
    row_heights: Sequence[float],
    *,
    width: float = 0.5,
) -> None:
    """Rule the cells of rows of the given heights, starting at ``y_top``."""
    total_w = table_width(columns)
    total_h = sum(row_heights)
    c.setLineWidth(width)
    p = c.beginPath()
    y = y_top
    p.moveTo(x, y)
    p.lineTo(x + total_w, y)
    for h in row_heights:
        y -= h
        p.moveTo(x, y)
        p.lineTo(x + total_w, y)
    cx = x
    p.moveTo(cx, y_top)
    p.lineTo(cx, y_top - total_h)
    for col in columns:
        cx += col.width_mm * mm
        p.moveTo(cx, y_top)
        p.lineTo(cx, y_top - total_h)
    c.drawPath(p, stroke=1, fill=0)


def shade_row(c: Canvas, x: float, y_top: float, width: float, height: float, gray: float = 0.94) -> None:
    """Fill a row background (zebra stripes, header)."""
    c.setFillGray(gray)
    c.rect(x, y_top - height, width, height, stroke=0, fill=1)
    c.setFillGray(0)


def draw_table(
    c: Canvas,
    columns: Sequence[Column],
    font_name: str,
    x: float,
    y_top: float,
    rows: Sequence[Sequence[str]],
    *,
    head_h: float,
    row_h: float,
    total: Sequence[str] | None = None,
    total_gray: float = 0.93,
    stripe_from: int | None = None,
    grid: bool = True,
) -> float:
    """A header row, the body rows and an optional bold total row, then the grid.

    ``stripe_from`` shades every second body row (row numbers counted from that value, so a
    table continued on a later page keeps its stripes). Returns the y below the last row.
    """
    width = table_width(columns)
    y = y_top
    shade_row(c, x, y, width, head_h, 0.86)
    draw_cells(c, columns, [col.title for col in columns], font_name, x, y, head_h, header=True)
    heights = [head_h]
    y -= head_h
    for i, values in enumerate(rows):
        if stripe_from is not None and (stripe_from + i) % 2 == 0:
            shade_row(c, x, y, width, row_h)
        draw_cells(c, columns, values, font_name, x, y, row_h)
        heights.append(row_h)
        y -= row_h
    if total is not None:
        shade_row(c, x, y, width, row_h, total_gray)
        draw_cells(c, columns, total, font_name, x, y, row_h, bold=True)
        heights.append(row_h)
        y -= row_h
    if grid:
        draw_grid(c, columns, x, y_top, heights)
    return y
