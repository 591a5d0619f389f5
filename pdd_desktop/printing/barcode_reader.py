"""Read Code128 barcodes back from a rendered page: the self-test's proof that a label scans.

The courier's scanner reads the label's Code128; ``pdd-desktop selftest`` renders the printed
PDF to pixels and reads it here, so a bundle on any OS checks its labels without an external
decoder (``zbarimg`` is a second opinion where it is installed). Pure Python over rows of
8-bit grey pixels: the caller renders (the self-test with QtPdf).
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import groupby

#: Bar/space widths in modules of each Code128 symbol value (ISO/IEC 15417 table 1); 106 = stop.
PATTERNS = (
    "212222 222122 222221 121223 121322 131222 122213 122312 132212 221213 221312 231212 112232 "
    "122132 122231 113222 123122 123221 223211 221132 221231 213212 223112 312131 311222 321122 "
    "321221 312212 322112 322211 212123 212321 232121 111323 131123 131321 112313 132113 132311 "
    "211313 231113 231311 112133 112331 132131 113123 113321 133121 313121 211331 231131 213113 "
    "213311 213131 311123 311321 331121 312113 312311 332111 314111 221411 431111 111224 111422 "
    "121124 121421 141122 141221 112214 112412 122114 122411 142112 142211 241211 221114 413111 "
    "241112 134111 111242 121142 121241 114212 124112 124211 411212 421112 421211 212141 214121 "
    "412121 111143 111341 131141 114113 114311 411113 411311 113141 114131 311141 411131 211412 "
    "211214 211232 2331112"
).split()
_VALUE = {pattern: value for value, pattern in enumerate(PATTERNS)}
START_A, START_B, START_C, STOP = 103, 104, 105, 106
CODE_C, CODE_B, CODE_A, SHIFT = 99, 100, 101, 98
_FNC = {96, 97, 102}  # FNC1..4: no text of their own

#: Pixels darker than this are bar.
THRESHOLD = 128
_BINARY = bytes(1 if level < THRESHOLD else 0 for level in range(256))


def _widths(runs: list[int], start: int, count: int, modules: int) -> str | None:
    """The runs ``start..start+count`` as module widths ("212222"), None if they do not fit."""
    chunk = runs[start : start + count]
    if len(chunk) < count:
        return None
    module = sum(chunk) / modules
    if module < 1.0:
        return None
    widths = [round(width / module) for width in chunk]
    if sum(widths) != modules or not all(1 <= w <= 4 for w in widths):
        return None
    return "".join(map(str, widths))


def _text(values: list[int]) -> str | None:
    """The text of the data values after a start code, or None if they break the rules."""
    code = {START_A: "A", START_B: "B", START_C: "C"}[values[0]]
    out: list[str] = []
    shift = False
    for value in values[1:]:
        current = ("B" if code == "A" else "A") if shift else code
        shift = False
        if value in _FNC:
            continue
        if current == "C" and value < 100:
            out.append(f"{value:02d}")
        elif value == CODE_C:
            code = "C"
        elif value == CODE_B and current != "B":
            code = "B"
        elif value == CODE_A and current != "A":
            code = "A"
        elif value == SHIFT and current != "C":
            shift = True
        elif current == "B" and value < 96:
            out.append(chr(value + 32))
        elif current == "A" and value < 96:
            out.append(chr(value + 32) if value < 64 else chr(value - 64))
        else:
            return None
    return "".join(out)


def read_row(runs: list[int], first_is_bar: bool) -> list[str]:
    """Every Code128 found in one row given as alternating run lengths."""
    found: list[str] = []
    i = 0 if first_is_bar else 1
    while i + 6 <= len(runs):
        start = _VALUE.get(_widths(runs, i, 6, 11) or "")
        if start not in (START_A, START_B, START_C):
            i += 2
            continue
        values = [start]
        j = i + 6
        while True:
            stop = _widths(runs, j, 7, 13)
            if stop == PATTERNS[STOP]:
                break
            value = _VALUE.get(_widths(runs, j, 6, 11) or "")
            if value is None or value >= START_A:
                values = []
                break
            values.append(value)
            j += 6
        if len(values) >= 2:
            data, check = values[:-1], values[-1]
            if (data[0] + sum(k * v for k, v in enumerate(data[1:], 1))) % 103 == check:
                text = _text(data)
                if text:
                    found.append(text)
                    i = j + 7
                    continue
        i += 2
    return found


def read_code128(rows: Iterable[bytes]) -> list[str]:
    """The distinct Code128 texts in rows of 8-bit grey pixels (0 black, 255 white), in order."""
    seen: dict[str, None] = {}
    for row in rows:
        bits = row.translate(_BINARY)
        runs = [(key, sum(1 for _ in group)) for key, group in groupby(bits)]
        if len(runs) < 10:
            continue
        for text in read_row([n for _k, n in runs], first_is_bar=runs[0][0] == 1):
            seen.setdefault(text, None)
    return list(seen)
