"""Amounts on paper: yuan from integer fen, and the Chinese capital form (大写) for invoices."""

from __future__ import annotations

from pdd_desktop.domain.money import format_yuan

_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_SMALL_UNITS = ("", "拾", "佰", "仟")
_GROUP_UNITS = ("", "万", "亿", "万亿")
#: 10^16 fen would need a 亿亿 group; no shop invoice comes near it.
MAX_CAPITAL_FEN = 10**16 * 100 - 1


def yuan(fen: int, *, symbol: bool = False) -> str:
    """``123456`` → ``1,234.56`` (``¥1,234.56`` with ``symbol``); exact integer arithmetic."""
    if isinstance(fen, bool) or not isinstance(fen, int):
        raise TypeError(f"金额必须是整数分：{fen!r}")
    return format_yuan(fen, symbol=symbol)


def _group_text(group: int) -> str:
    """0 < group < 10000 → capitals with inner zeros collapsed (``1010`` → 壹仟零壹拾)."""
    digits = f"{group:04d}"
    out: list[str] = []
    pending_zero = False
    for pos, ch in enumerate(digits):
        d = int(ch)
        unit = _SMALL_UNITS[3 - pos]
        if d == 0:
            pending_zero = bool(out)
            continue
        if pending_zero:
            out.append("零")
            pending_zero = False
        out.append(_DIGITS[d] + unit)
    return "".join(out)


def _integer_text(n: int) -> str:
    groups: list[int] = []
    while n:
        n, g = divmod(n, 10000)
        groups.append(g)
    out: list[str] = []
    need_zero = False  # zeros between the last group written and the next one
    for i in range(len(groups) - 1, -1, -1):
        g = groups[i]
        if g == 0:
            need_zero = bool(out)
            continue
        if out and (need_zero or g < 1000):
            out.append("零")
        out.append(_group_text(g) + _GROUP_UNITS[i])
        need_zero = g % 10 == 0  # trailing zeros of this group count as a gap
    return "".join(out)


def chinese_capital(fen: int) -> str:
    """Amount in Chinese capital numerals, as written on invoices and cheques.

    ``12345`` → 壹佰贰拾叁元肆角伍分, ``1000`` → 拾元 written 壹拾元整, ``5`` → 伍分,
    ``0`` → 零元整, ``10000000101`` → 壹亿零壹元零壹分; negative amounts get 负.

    Raises:
        TypeError: when ``fen`` is not an int.
        ValueError: beyond 万亿 groups (10^16 yuan).
    """
    if isinstance(fen, bool) or not isinstance(fen, int):
        raise TypeError(f"金额必须是整数分：{fen!r}")
    if abs(fen) > MAX_CAPITAL_FEN:
        raise ValueError(f"金额过大，无法写成大写：{fen}")
    if fen < 0:
        return "负" + chinese_capital(-fen)
    whole, cents = divmod(fen, 100)
    jiao, fen_digit = divmod(cents, 10)
    if fen == 0:
        return "零元整"
    out = _integer_text(whole) + "元" if whole else ""
    if jiao:
        out += _DIGITS[jiao] + "角"
    elif fen_digit and whole:
        out += "零"
    if fen_digit:
        out += _DIGITS[fen_digit] + "分"
    else:
        out += "整"
    return out
