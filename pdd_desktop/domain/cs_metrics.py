"""客服 metrics: exact rates, the export's printed numbers, targets (merchant-data.md §3).

Rates are :class:`fractions.Fraction`, never floats: from counts where the export gives them
(3分钟人工回复率 = (需要人工回复的咨询人数 − 3分钟未回复人数) ÷ 需要人工回复的咨询人数; 询单转化率 =
最终成团人数 ÷ 询单人数, both [I] in merchant-data.md §3.2), else the printed percentage read as
an exact decimal (``85.71%`` = 8571/10000). A printed rate is *consistent* with an exact one
when rounding (or cutting) the exact one to the printed decimals gives the printed digits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

from pdd_desktop.domain.errors import ValidationError

#: Defaults from merchant-data.md §3.3 ("Suggested defaults [I]: warn below 80% (3-minute) and
#: 60% (30-second)"); the merchant changes them on the 客服 page.
DEFAULT_TARGET_R3 = Fraction(80, 100)
DEFAULT_TARGET_R30 = Fraction(60, 100)
#: The assessment window of the (8-23点) columns (§3.2).
WINDOW_HOURS = range(8, 23)

_NUMBER = re.compile(r"^[+-]?(\d+)(?:\.(\d+))?$")


@dataclass(frozen=True)
class Printed:
    """A number as the export printed it: the exact value and its decimals (for consistency)."""

    value: Fraction
    decimals: int


def _clean(text: str) -> str:
    return text.strip().replace(",", "").replace("，", "").replace(" ", "")


def is_blank(text: str) -> bool:
    """Empty, or the dash an export prints when a figure does not apply."""
    return _clean(text) in ("", "-", "--", "—", "/", "N/A", "n/a")


def parse_number(text: str, field: str) -> Printed | None:
    """A printed decimal (``"1,234"``, ``"25.3"``) exactly; None for a blank cell.

    Raises:
        ValidationError: not a number.
    """
    if is_blank(text):
        return None
    m = _NUMBER.match(_clean(text))
    if not m:
        raise ValidationError(field, f"「{text}」不是数字")
    decimals = len(m.group(2) or "")
    return Printed(Fraction(_clean(text)), decimals)


def parse_count(text: str, field: str) -> int | None:
    """A count of people or orders (a whole number, 0 or more); None for a blank cell.

    Raises:
        ValidationError: not a whole number, or negative.
    """
    p = parse_number(text, field)
    if p is None:
        return None
    if p.value.denominator != 1 or p.value < 0:
        raise ValidationError(field, f"「{text}」应为不小于 0 的整数")
    return int(p.value)


def parse_rate(text: str, field: str) -> Printed | None:
    """``"85.71%"`` → 8571/10000 (decimals counted in percent); ``"0.8571"`` (no %) the same.

    Raises:
        ValidationError: not a rate between 0 and 100 %.
    """
    if is_blank(text):
        return None
    clean = _clean(text).replace("％", "%")
    if clean.endswith("%"):
        p = parse_number(clean[:-1], field)
        if p is None:
            return None
        value, decimals = p.value / 100, p.decimals
    else:
        p = parse_number(clean, field)
        if p is None:
            return None
        value, decimals = p.value, max(p.decimals - 2, 0)
    if not 0 <= value <= 1:
        raise ValidationError(field, f"「{text}」不在 0%–100% 之间")
    return Printed(value, decimals)


def parse_duration_ms(text: str, field: str, header_unit: str) -> int | None:
    """平均人工响应时长 in milliseconds: ``"25.3"`` in the header's unit, ``"1分20秒"``, ``"25秒"``.

    The unit comes from the cell (秒 / 分 / 分钟 / s), else from the header (``(秒)``/``(分钟)``),
    else seconds. merchant-data.md §3.2: "seconds or minutes depending on the export".

    Raises:
        ValidationError: not a duration.
    """
    if is_blank(text):
        return None
    clean = _clean(text).lower()
    m = re.fullmatch(r"(?:(\d+(?:\.\d+)?)(?:分钟|分|min|m))?(?:(\d+(?:\.\d+)?)(?:秒|s))?", clean)
    if m and (m.group(1) or m.group(2)):
        minutes = Fraction(m.group(1) or "0")
        seconds = Fraction(m.group(2) or "0")
    else:
        p = parse_number(clean, field)
        if p is None:
            return None
        minutes, seconds = (p.value, Fraction(0)) if header_unit == "min" else (Fraction(0), p.value)
    ms = (minutes * 60 + seconds) * 1000
    if ms < 0:
        raise ValidationError(field, f"「{text}」不能是负数")
    return round(ms)


def consistent(printed: Printed, exact: Fraction, *, percent: bool) -> bool:
    """True when ``exact`` shown with the printed decimals (rounded half up, or cut) is ``printed``.

    ``percent``: the decimals count in percent (a rate), else in the unit itself.
    """
    scale = 10**printed.decimals * (100 if percent else 1)
    shown = printed.value * scale
    if shown.denominator != 1:
        return False
    scaled = exact * scale
    half_up = (scaled.numerator * 2 + scaled.denominator) // (2 * scaled.denominator)
    cut = scaled.numerator // scaled.denominator
    return int(shown) in (half_up, cut)


def rate_text(rate: Fraction | None, decimals: int = 2) -> str:
    """``Fraction(6, 7)`` → ``"85.71%"`` (half up); None → ``"—"``."""
    if rate is None:
        return "—"
    scaled = rate * 100 * 10**decimals
    n = (scaled.numerator * 2 + scaled.denominator) // (2 * scaled.denominator)
    whole, frac = divmod(n, 10**decimals)
    return f"{whole}.{frac:0{decimals}d}%" if decimals else f"{whole}%"


def duration_text(ms: int | None) -> str:
    """``25300`` → ``"25.3 秒"``; ``83000`` → ``"1 分 23 秒"``."""
    if ms is None:
        return "—"
    tenths = (ms + 50) // 100
    if tenths < 600:  # 59.96 s rounds to a minute, not to "60.0 秒"
        return f"{tenths // 10}.{tenths % 10} 秒"
    seconds = (ms + 500) // 1000
    return f"{seconds // 60} 分 {seconds % 60} 秒"


def as_fraction(num: int | None, den: int | None) -> Fraction | None:
    """A stored ``*_num``/``*_den`` pair; None when missing or the denominator is 0."""
    if num is None or not den:
        return None
    return Fraction(num, den)


def stored(rate: Fraction | None) -> tuple[int | None, int | None]:
    """A rate as the ``(num, den)`` pair stored (``Fraction`` keeps it reduced)."""
    if rate is None:
        return None, None
    return rate.numerator, rate.denominator


def check_target(value: object, field: str) -> Fraction:
    """A target rate the merchant typed (``"80"``, ``"80%"``, ``"82.5"``) as a Fraction of 1.

    Raises:
        ValidationError: not a percentage between 1 and 100.
    """
    text = str(value).strip().rstrip("%").rstrip("％")
    p = parse_number(text, field)
    if p is None or p.decimals > 2:
        raise ValidationError(field, f"「{value}」应为百分数，最多两位小数，例如 80 或 82.5")
    rate = p.value / 100
    if not Fraction(1, 100) <= rate <= 1:
        raise ValidationError(field, f"「{value}」应在 1%–100% 之间")
    return rate
