"""Code128 and QR drawn straight onto a canvas as one filled path each.

ReportLab's widgets draw bar by bar through the generic graphics layer and pick the QR mask by
scoring all eight; for a thousand labels that dominates the time. Here the symbol is encoded once
with ReportLab's own encoders and painted as a single path in module units under a scaling
transform. The QR uses a fixed mask pattern (valid per ISO 18004; the scoring only tunes contrast
patterns and costs 5× the encoding).
"""

from __future__ import annotations

from reportlab.graphics.barcode.code128 import Code128
from reportlab.graphics.barcode.qrencoder import QRCode, QRErrorCorrectLevel
from reportlab.pdfgen.canvas import Canvas

#: Quiet zone either side of a Code128, in modules (the standard asks for 10).
QUIET_MODULES = 10
QR_QUIET_MODULES = 2
QR_MASK = 2


def code128_bars(value: str) -> tuple[list[tuple[int, int]], int]:
    """Bars of ``value`` as ``(start, width)`` in modules, plus the symbol width in modules."""
    code = Code128(value, quiet=0, humanReadable=0)
    code.validate()
    code.encode()
    code.decompose()
    bars: list[tuple[int, int]] = []
    left = 0
    for ch in code.decomposed:
        if "A" <= ch <= "Z":
            n = ord(ch) - 64
            bars.append((left, n))
            left += n
        elif "a" <= ch <= "z":
            left += ord(ch) - 96
    return bars, left


def module_width(available_pt: float, modules: int, dpi: int) -> float:
    """Widest module (pt) that fits, snapped down to whole printer dots when at least two dots."""
    raw = available_pt / modules
    dot = 72.0 / dpi
    dots = int(raw / dot + 1e-9)
    return dots * dot if dots >= 2 else raw


def draw_code128(
    c: Canvas, value: str, x: float, y: float, width: float, height: float, *, dpi: int = 203
) -> tuple[float, float]:
    """Draw ``value`` centred in the box (points, ``y`` = bottom); returns (left, width) of the bars."""
    bars, modules = code128_bars(value)
    mw = module_width(width, modules + 2 * QUIET_MODULES, dpi)
    symbol_w = modules * mw
    left = x + (width - symbol_w) / 2
    # Integers in module units under one transform: no float formatting per bar.
    ops = [f"q {mw:.5f} 0 0 {height:.4f} {left:.4f} {y:.4f} cm"]
    ops += [f"{start} 0 {n} 1 re" for start, n in bars]
    ops.append("f Q")
    c.addLiteral("\n".join(ops))
    return left, symbol_w


def qr_matrix(value: str) -> list[list[bool]]:
    """The QR modules of ``value`` (level M, smallest version, fixed mask)."""
    qr = QRCode(None, QRErrorCorrectLevel.M)
    qr.addData(value)
    qr.version = qr.calculate_version()
    qr.makeImpl(False, QR_MASK)
    return qr.modules


def draw_qr(c: Canvas, value: str, x: float, y_top: float, size: float) -> None:
    """Draw a QR of ``value`` in a ``size`` square (quiet zone included) with its top-left at (x, y_top)."""
    modules = qr_matrix(value)
    n = len(modules)
    unit = size / (n + 2 * QR_QUIET_MODULES)
    # Module coordinates (column right, row down, after the quiet zone), one rectangle per dark run.
    x0 = x + QR_QUIET_MODULES * unit
    y0 = y_top - QR_QUIET_MODULES * unit
    ops = [f"q {unit:.5f} 0 0 {-unit:.5f} {x0:.4f} {y0:.4f} cm"]
    for r, row in enumerate(modules):
        start = -1
        for col, dark in enumerate(row):
            if dark:
                if start < 0:
                    start = col
            elif start >= 0:
                ops.append(f"{start} {r} {col - start} 1 re")
                start = -1
        if start >= 0:
            ops.append(f"{start} {r} {n - start} 1 re")
    ops.append("f Q")
    c.addLiteral("\n".join(ops))
