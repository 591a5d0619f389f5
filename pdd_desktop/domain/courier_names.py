"""Courier names as merchants type them in files: one alias table for every file reader.

A bulk-ship sheet or an order export may say 圆通, 圆通速递 or 圆通快递 for the courier the
platform lists as 圆通快递 (``pdd.logistics.companies.get``, pdd-open-api.md §4.1; the names of
the platform's list are in :data:`~pdd_desktop.domain.catalogue.COURIERS`). Names are compared by
:func:`courier_key`: spaces removed, Latin letters upper-cased, and each known alias replaced by
its group's key, so a name read from a file and the platform's own name meet on the same key
whichever of the variants either side uses. A name outside the table is compared as it is
(中通快运 stays 中通快运, never 中通快递).

The variants are the names and short names these couriers use for themselves (brand names on
their own sites and waybills) and the platform's older names; they are this app's table, not a
platform list.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import TypeVar

#: Group key → the names of one courier (the platform's own name first).
COURIER_ALIASES: dict[str, tuple[str, ...]] = {
    "ZTO": ("中通快递", "中通", "中通速递", "ZTO"),
    "YTO": ("圆通快递", "圆通", "圆通速递", "YTO"),
    "STO": ("申通快递", "申通", "申通速递", "STO"),
    "YUNDA": ("韵达快递", "韵达", "韵达速递", "YUNDA", "YD"),
    "JTSD": ("极兔速递", "极兔", "极兔快递", "J&T", "J&T极兔", "J&T极兔速递", "J&TEXPRESS", "JTSD"),
    "SF": ("顺丰快递", "顺丰", "顺丰速运", "顺丰速递", "SF", "SFEXPRESS"),
    "YZXB": ("邮政快递包裹", "邮政", "邮政快递", "邮政包裹", "中国邮政", "中国邮政快递包裹", "YZXB"),
    "EMS": ("邮政EMS", "EMS", "EMS快递", "中国邮政EMS", "邮政速递", "中国邮政速递物流", "EMS经济快递"),
    "JD": ("京东配送", "京东", "京东快递", "京东物流", "JD"),
}

_SPACES = re.compile(r"\s+")
_KEYS: dict[str, str] = {}
for _key, _names in COURIER_ALIASES.items():
    for _name in _names:
        _KEYS[_SPACES.sub("", _name).upper()] = _key

T = TypeVar("T")


def courier_key(name: str) -> str:
    """The key a courier name is compared by ("" for an empty name)."""
    text = _SPACES.sub("", name or "").upper()
    return _KEYS.get(text, text)


def courier_lookup(
    couriers: Sequence[T], name_of: Callable[[T], str], code_of: Callable[[T], str] | None = None
) -> dict[str, T]:
    """Key → courier for a list of couriers: by name, then (where the key is free) by code.

    ``name_of(c)`` / ``code_of(c)`` read a courier's name and code; the first courier of the list
    wins a key two of them share.
    """
    out: dict[str, T] = {}
    for c in couriers:
        out.setdefault(courier_key(name_of(c)), c)
    if code_of is not None:
        for c in couriers:
            code = code_of(c)
            if code:
                out.setdefault(courier_key(code), c)
    return out
