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
