"""Shipping rules (发货中心): who may ship, tracking-number checks, which orders may share a parcel.

Pure functions over plain values; the services layer reads the rows and applies the results.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from pdd_desktop.domain.errors import ValidationError
from pdd_desktop.domain.orders import OrderStatus, RefundStatus

#: ``after_sales_status`` codes of a case that asks for a refund and is still open:
#: 2 买家申请退款，待商家处理 · 3 退货退款，待商家处理 · 4 商家同意退款，退款中 ·
#: 5 平台同意退款，退款中 · 7 已同意退货退款，待用户发货 · 8 平台处理中 · 31 已同意拒收退款，待用户拒收.
REFUND_OPEN_CODES: frozenset[int] = frozenset((2, 3, 4, 5, 7, 8, 31))
#: ``after_sales_status`` 10 退款成功.
REFUND_DONE_CODE = 10

#: Longest tracking number accepted (the longest real formats are about 20 characters).
MAX_TRACKING_LENGTH = 40
_TRACKING_CHARS = re.compile(r"[0-9A-Z-]+")

#: Package kinds of ``pdd.order.upload.extra.logistics`` → its ``extra_track_type``.
EXTRA_TRACK_TYPES: dict[str, int] = {"extra": 1, "resend": 2, "gift": 3}
EXTRA_KIND_LABELS: dict[str, str] = {"extra": "分包", "resend": "补发", "gift": "赠品"}


@dataclass(frozen=True)
class ShipGuard:
    """Whether an order may ship now.

    Attributes:
        reason: Chinese reason when shipping is blocked; None when it is allowed.
        overridable: True when an explicit override with a written reason may ship anyway.
    """

    reason: str | None
    overridable: bool = False

    @property
    def allowed(self) -> bool:
        """True when the order may ship without an override."""
        return self.reason is None


ALLOWED = ShipGuard(None, False)


def ship_block_reason(status: int, refund_status: int, after_sales_status: int) -> ShipGuard:
    """Decide whether an order may ship.

    Args:
        status: the order's :class:`OrderStatus` value.
        refund_status: the order-level :class:`RefundStatus` value (1..4).
        after_sales_status: the latest after-sales case's platform code (0 = none).

    Returns:
        :data:`ALLOWED`, or a guard with the reason and whether an override may ship anyway.
        UNPAID and CANCELLED never ship; SHIPPED/SIGNED must use 修改发货; an open refund request
        or a refunded order ships only with an override and a reason.
    """
    try:
        state = OrderStatus(status)
    except ValueError:
        return ShipGuard(f"订单状态未知（{status}），不能发货")
    if state == OrderStatus.UNPAID:
        return ShipGuard("订单待支付，不能发货")
    if state == OrderStatus.CANCELLED:
        return ShipGuard("订单已取消，不能发货")
    if state in (OrderStatus.SHIPPED, OrderStatus.SIGNED):
        return ShipGuard("订单已发货，如需更改请使用“修改发货”")
    if refund_status == RefundStatus.REFUNDED or after_sales_status == REFUND_DONE_CODE:
        return ShipGuard("订单已退款成功，发货前请与买家确认", overridable=True)
    if refund_status == RefundStatus.REFUNDING:
        return ShipGuard("订单退款中，发货前请先处理售后", overridable=True)
    if refund_status == RefundStatus.IN_PROGRESS or after_sales_status in REFUND_OPEN_CODES:
        return ShipGuard("买家申请了退款（售后处理中），发货前请先处理售后", overridable=True)
    return ALLOWED


@lru_cache(maxsize=64)
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def normalise_tracking_number(number: str) -> str:
    """Full-width to ASCII, every kind of space removed, upper case."""
    text = unicodedata.normalize("NFKC", number or "")
    return "".join(text.split()).upper()


def check_tracking_number(pattern: str, number: str, courier_name: str = "") -> str:
    """Validate a tracking number against a courier's format.

    Args:
        pattern: the courier's regular expression ("" accepts any well-formed number).
        number: what the user typed or scanned.
        courier_name: shown in the message when the format does not match.

    Returns:
        The normalised number (spaces removed, upper case).

    Raises:
        ValidationError: on field 快递单号, saying why (empty, bad characters, too long, format).
    """
    value = normalise_tracking_number(number)
    if not value:
        raise ValidationError("快递单号", "不能为空")
    if len(value) > MAX_TRACKING_LENGTH:
        raise ValidationError("快递单号", f"太长（{len(value)} 位，最多 {MAX_TRACKING_LENGTH} 位）")
    if not _TRACKING_CHARS.fullmatch(value):
        bad = "".join(sorted({ch for ch in value if not _TRACKING_CHARS.fullmatch(ch)}))
        raise ValidationError("快递单号", f"含有不允许的字符“{bad}”（只能是字母、数字和短横线）")
    if pattern and not _compiled(pattern).fullmatch(value):
        who = f"{courier_name}的" if courier_name else "该快递公司的"
        raise ValidationError("快递单号", f"{value} 不符合{who}单号格式")
    return value


MergeKey = tuple[str, str, str, str, str, str, str, str]


def merge_key(
    *,
    status: int,
    refund_status: int,
    after_sales_status: int,
    buyer_key: str,
    receiver_name: str,
    receiver_phone: str,
    province: str,
    city: str,
    district: str,
    town: str,
    address_detail: str,
) -> MergeKey | None:
    """The key under which orders may ship as one parcel (合并发货), or None when this order may not.

    Orders merge when they have the same buyer and the very same receiver (name, phone and every
    address part), are all 待发货 and none is blocked by an after-sales case.
    """
    if not ship_block_reason(status, refund_status, after_sales_status).allowed:
        return None
    if not buyer_key:
        return None
    parts = (buyer_key, receiver_name, receiver_phone, province, city, district, town, address_detail)
    key = tuple(p.strip() for p in parts)
    if not key[1] or not key[2]:  # without a receiver there is nothing to compare
        return None
    return key  # type: ignore[return-value]


def merge_refusal(keys: list[MergeKey | None]) -> str | None:
    """Why these orders cannot ship as one parcel, or None when they can.

    Args:
        keys: :func:`merge_key` of each order.
    """
    if len(keys) < 2:
        return "合并发货至少需要两个订单"
    if any(k is None for k in keys):
        return "有订单不是待发货状态或有售后，不能合并发货"
    first = keys[0]
    if any(k[0] != first[0] for k in keys):  # type: ignore[index]
        return "订单不属于同一买家，不能合并发货"
    if any(k != first for k in keys):
        return "收货人或收货地址不完全相同，不能合并发货"
    return None
