"""Buyer personal data: masking for lists, exports and logs (138****1234)."""

from __future__ import annotations

import re
from collections.abc import Mapping

from pdd_desktop.common.redact import redact_text

__all__ = [
    "STREET_MASK",
    "mask_address",
    "mask_name",
    "mask_phone",
    "masked_address",
    "masked_receiver",
    "masked_street",
    "redact_text",
]

#: The masked part of a street address, always this wide (never a wall of stars that tells the
#: length of the hidden text).
STREET_MASK = "****"
#: Characters of the street address kept readable before :data:`STREET_MASK`.
STREET_KEEP = 3


def mask_phone(phone: str) -> str:
    """``13812341234`` → ``138****1234``; other formats keep only the last four digits."""
    digits = re.sub(r"\D", "", phone or "")
    if len(digits) >= 11 and digits[-11] == "1":
        d = digits[-11:]
        return f"{d[:3]}****{d[-4:]}"
    if len(digits) >= 4:
        return "*" * (len(digits) - 4) + digits[-4:]
    return "*" * len(digits)


def mask_name(name: str) -> str:
    """``张三丰`` → ``张**``: the first character stays, the rest become stars."""
    name = (name or "").strip()
    if len(name) <= 1:
        return name
    return name[0] + "*" * (len(name) - 1)


def mask_address(detail: str) -> str:
    """Keep the first few characters of the street address, then a fixed mask (``人民路****``).

    A short address keeps a third of its characters at most (``1号`` → ``****``).
    """
    detail = (detail or "").strip()
    if not detail:
        return ""
    keep = min(STREET_KEEP, len(detail) // 3)
    return detail[:keep] + STREET_MASK


def masked_street(mask: str, detail: str = "") -> str:
    """The street part as lists, logs and exports show it.

    ``mask`` is a stored mask (ours, or the platform's ``receiver_address_mask``, whose stars
    may be any number and may come back after a readable bit); it is cut at its first star and
    ends in :data:`STREET_MASK`. Without a stored mask the street is masked from ``detail``.
    """
    mask = (mask or "").strip()
    if not mask:
        return mask_address(detail)
    star = mask.find("*")
    if star < 0:  # not masked at all: never show it as it is
        return mask_address(mask)
    return mask[:star] + STREET_MASK


def masked_address(
    province: str, city: str, district: str, town: str, street_mask: str, detail: str = ""
) -> str:
    """``广东省 深圳市 南山区 粤海街道 科技园****``: the region readable, the street masked.

    Args:
        province: Province (shown as is).
        city: City (shown as is).
        district: District (shown as is).
        town: Town or street office (shown as is; may be empty).
        street_mask: The stored mask of the street address (see :func:`masked_street`).
        detail: The full street address, used only when no mask is stored.
    """
    parts = (province, city, district, town, masked_street(street_mask, detail))
    return " ".join(str(p).strip() for p in parts if p and str(p).strip())


def masked_receiver(rec: Mapping[str, object]) -> str:
    """``张** 138****1234 广东省 深圳市 南山区 科技园****``: an order row's receiver, masked.

    ``rec`` holds the order's receiver columns (``receiver_name``/``_mask``,
    ``receiver_phone``/``_mask``, ``province``, ``city``, ``district``, ``town``,
    ``address_mask``, ``address_detail``); a stored mask wins, otherwise the clear value is
    masked here.
    """

    def text(key: str) -> str:
        return str(rec[key] or "")

    name = text("receiver_name_mask") or mask_name(text("receiver_name"))
    phone = text("receiver_phone_mask") or mask_phone(text("receiver_phone"))
    address = masked_address(
        text("province"), text("city"), text("district"), text("town"), text("address_mask"),
        text("address_detail"),
    )  # fmt: skip
    return " ".join(p for p in (name, phone, address) if p)
