"""Buyer personal data: masking for lists, exports and logs (138****1234)."""

from __future__ import annotations

import re

from pdd_desktop.common.redact import redact_text

__all__ = ["mask_address", "mask_name", "mask_phone", "redact_text"]


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
    """Keep the first few characters of the street address, star the rest (``人民路**********``)."""
    detail = (detail or "").strip()
    keep = min(3, len(detail) // 3)
    return detail[:keep] + "*" * (len(detail) - keep)
