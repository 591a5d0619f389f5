"""Money as integer fen (分), parsed and formatted exactly; floats never touch an amount."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

_YUAN_RE = re.compile(r"^\s*([+-]?)(\d{1,12})(?:\.(\d{1,2}))?\s*$")


class MoneyError(ValueError):
    """A money value that is not an exact amount in yuan with at most two decimals."""


def yuan_to_fen(value: str | int | Decimal) -> int:
    """Parse an amount in yuan (``"12.30"``, ``Decimal("4.5")``, ``7``) into fen exactly.

    Raises:
        MoneyError: for floats, more than two decimals, exponents, or text that is not a number.
    """
    if isinstance(value, bool) or isinstance(value, float):
        raise MoneyError(f"金额不能是浮点数：{value!r}")
    if isinstance(value, int):
        return value * 100
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise MoneyError(f"金额无效：{value}")
        fen = value * 100
        if fen != fen.to_integral_value():
            raise MoneyError(f"金额最多两位小数：{value}")
        return int(fen)
    m = _YUAN_RE.match(value)
    if not m:
        raise MoneyError(f"金额格式不对（应为元，最多两位小数）：{value!r}")
    sign, whole, frac = m.groups()
    fen = int(whole) * 100 + int((frac or "").ljust(2, "0") or 0)
    return -fen if sign == "-" else fen


def fen_to_decimal(fen: int) -> Decimal:
    """Fen → yuan as an exact Decimal."""
    return (Decimal(fen) / 100).quantize(Decimal("0.01"))


def format_yuan(fen: int, *, symbol: bool = True) -> str:
    """``123456`` → ``¥1,234.56`` (or ``1,234.56`` without the symbol)."""
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(fen), 100)
    text = f"{sign}{whole:,}.{cents:02d}"
    return f"¥{text}" if symbol else text


def format_yuan_plain(fen: int) -> str:
    """``123456`` → ``1234.56``: the platform files' format (no grouping, no symbol)."""
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(fen), 100)
    return f"{sign}{whole}.{cents:02d}"


def parse_decimal_text(text: str) -> Decimal:
    """Strict Decimal parse used by importers before :func:`yuan_to_fen`."""
    try:
        return Decimal(text.strip())
    except InvalidOperation as exc:
        raise MoneyError(f"不是数字：{text!r}") from exc
