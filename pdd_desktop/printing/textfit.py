"""Fit text into a box: wrap (by character for CJK, by word for Latin runs), shrink, then truncate.

Nothing a renderer draws through here leaves its box: the font size goes down from ``size`` to
``min_size`` until the wrapped lines fit, and at the minimum the last visible line ends in "…".
Character widths are cached per font, and whole fits are memoised, so a batch of labels that
repeat the same sender costs one fit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from reportlab.pdfbase import pdfmetrics

ELLIPSIS = "…"
#: Characters that must not start a line (避头): they stay with the character before.
_NO_LINE_START = frozenset("，。、；：？！）》」』”’,.;:?!)]}%…·")
#: Runs kept together when they fit on a line: Latin words, numbers, masked phones.
_TOKEN_RE = re.compile(r"\n|[ \t\u3000]+|[\x21-\x7e]+|.", re.S)
_SIZE_STEP = 0.5


class _Widths:
    """Character widths of one font at size 1 (points), cached."""

    def __init__(self, font_name: str) -> None:
        self.font_name = font_name
        self._w: dict[str, float] = {}
        ascent, descent = pdfmetrics.getAscentDescent(font_name, 1.0)
        self.ascent = ascent
        self.descent = -descent  # positive depth below the baseline

    def char(self, ch: str) -> float:
        w = self._w.get(ch)
        if w is None:
            w = pdfmetrics.stringWidth(ch, self.font_name, 1.0)
            self._w[ch] = w
        return w

    def text(self, s: str) -> float:
        get = self._w.get
        total = 0.0
        for ch in s:
            w = get(ch)
            if w is None:
                w = self.char(ch)
            total += w
        return total


_widths: dict[str, _Widths] = {}


def widths(font_name: str) -> _Widths:
    """The cached width table of ``font_name`` (registered with ReportLab)."""
    w = _widths.get(font_name)
    if w is None:
        w = _widths[font_name] = _Widths(font_name)
    return w


def text_width(text: str, font_name: str, size: float) -> float:
    """Width of ``text`` in points (cached per character)."""
    return widths(font_name).text(text) * size


@dataclass(frozen=True)
class FittedText:
    """Lines to draw at ``size`` with baseline distance ``leading``; ``truncated`` if "…" was used."""

    lines: tuple[str, ...]
    size: float
    leading: float
    ascent: float
    descent: float
    truncated: bool

    @property
    def height(self) -> float:
        """Height of the block from the top of the first line to the bottom of the last."""
        if not self.lines:
            return 0.0
        return (len(self.lines) - 1) * self.leading + self.ascent + self.descent


def _tokens(text: str) -> list[str]:
    return _TOKEN_RE.findall(text)


def wrap(text: str, font_name: str, max_width: float) -> list[str]:
    """Greedy wrap of ``text`` into lines no wider than ``max_width`` (in size-1 units).

    CJK breaks between any two characters, Latin runs only between words unless a run is wider
    than a line; closing punctuation never starts a line; newlines force a break.
    """
    w = widths(font_name)
    lines: list[str] = []
    cur: list[str] = []
    cur_w = 0.0
    for tok in _tokens(text):
        if tok == "\n":
            lines.append("".join(cur).rstrip())
            cur, cur_w = [], 0.0
            continue
        if tok.isspace():
            if cur:
                tw = w.text(" ")
                if cur_w + tw <= max_width:
                    cur.append(" ")
                    cur_w += tw
            continue
        tw = w.text(tok)
        if cur_w + tw <= max_width:
            cur.append(tok)
            cur_w += tw
            continue
        if tw > max_width:  # a run longer than a line: break it by character
            for ch in tok:
                cw = w.char(ch)
                if cur_w + cw > max_width and cur:
                    lines.append("".join(cur).rstrip())
                    cur, cur_w = [], 0.0
                cur.append(ch)
                cur_w += cw
            continue
        carry: list[str] = []
        if tok[0] in _NO_LINE_START and len(cur) > 1:
            carry = [cur.pop()]
        lines.append("".join(cur).rstrip())
        cur = [*carry, tok]
        cur_w = w.text("".join(cur))
    if cur:
        lines.append("".join(cur).rstrip())
    return lines


def _lines_fitting(height: float, size: float, leading: float, w: _Widths) -> int:
    glyph = (w.ascent + w.descent) * size
    if glyph > height + 1e-6:
        return 0
    return 1 + int((height - glyph) / (size * leading) + 1e-6)


def _truncate(line: str, font_name: str, max_width: float, tail: str) -> str:
    w = widths(font_name)
    mark = ELLIPSIS + tail
    budget = max_width - w.text(mark)
    out = line.rstrip()
    while out and w.text(out) > budget:
        out = out[:-1]
    return out.rstrip() + mark


@lru_cache(maxsize=8192)
def fit_text(
    text: str,
    font_name: str,
    width: float,
    height: float,
    size: float,
    min_size: float,
    *,
    leading: float = 1.2,
    max_lines: int = 0,
    tail: str = "",
) -> FittedText:
    """Fit ``text`` into a ``width`` × ``height`` box (points), shrinking from ``size`` to ``min_size``.

    Args:
        text: the text; newlines force a line break.
        font_name: a registered ReportLab font.
        width: box width in points.
        height: box height in points.
        size: preferred font size (pt).
        min_size: the smallest size tried; below it the text is truncated with "…".
        leading: baseline distance as a multiple of the font size.
        max_lines: at most this many lines (0: as many as the height allows).
        tail: text kept after the "…" when truncating (e.g. " 等5件").

    Returns:
        The lines and the size they fit at; empty lines when not even one line fits.
    """
    w = widths(font_name)
    text = text.strip()

    def attempt(s: float) -> tuple[list[str], int] | None:
        cap = _lines_fitting(height, s, leading, w)
        if max_lines:
            cap = min(cap, max_lines)
        if cap == 0:
            return None
        lines = wrap(text, font_name, width / s)
        return (lines, cap) if len(lines) <= cap else None

    def done(lines: list[str], s: float, truncated: bool) -> FittedText:
        return FittedText(tuple(lines), s, s * leading, w.ascent * s, w.descent * s, truncated)

    if not text:
        return done([], size, False)
    if min_size > size:
        min_size = size
    res = attempt(size)
    if res is not None:
        return done(res[0], size, False)
    # Sizes tried: size - k * step down to min_size; binary search (line count is monotone in size).
    steps = int((size - min_size) / _SIZE_STEP + 1e-6)
    sizes = [size - k * _SIZE_STEP for k in range(1, steps + 1)]
    if not sizes or sizes[-1] > min_size + 1e-6:
        sizes.append(min_size)
    lo, hi, best = 0, len(sizes) - 1, None
    while lo <= hi:
        mid = (lo + hi) // 2
        res = attempt(sizes[mid])
        if res is not None:
            best = (res[0], sizes[mid])
            hi = mid - 1
        else:
            lo = mid + 1
    if best is not None:
        return done(best[0], best[1], False)
    s = min_size
    cap = _lines_fitting(height, s, leading, w)
    if max_lines:
        cap = min(cap, max_lines)
    if cap == 0:
        return done([], s, True)
    lines = wrap(text, font_name, width / s)
    kept = lines[:cap]
    kept[-1] = _truncate(kept[-1], font_name, width / s, tail)
    return done(kept, s, True)
