"""Order states and the ship-deadline rule, in the platform's own terms."""

from __future__ import annotations

from enum import IntEnum

HOUR = 3600


class OrderStatus(IntEnum):
    """Order state as the app shows it; 1–3 equal the platform's ``order_status`` codes."""

    UNPAID = 0  #: 待支付 (seen only in file imports)
    TO_SHIP = 1  #: 待发货: paid and group formed, not shipped
    SHIPPED = 2  #: 已发货，待签收
    SIGNED = 3  #: 已签收 / 已完成
    CANCELLED = 4  #: 已取消: cancelled, group failed, or refunded before shipping

    @property
    def label(self) -> str:
        return _STATUS_LABELS[self]


_STATUS_LABELS = {
    OrderStatus.UNPAID: "待支付",
    OrderStatus.TO_SHIP: "待发货",
    OrderStatus.SHIPPED: "已发货",
    OrderStatus.SIGNED: "已完成",
    OrderStatus.CANCELLED: "已取消",
}


class GroupStatus(IntEnum):
    """The platform's ``group_status``."""

    FORMING = 0  #: 拼团中
    FORMED = 1  #: 已成团
    FAILED = 2  #: 未成团

    @property
    def label(self) -> str:
        return ("拼团中", "已成团", "未成团")[self]


class RefundStatus(IntEnum):
    """The platform's order-level ``refund_status`` (after-sales state on the order)."""

    NONE = 1  #: 无售后或售后关闭
    IN_PROGRESS = 2  #: 售后处理中
    REFUNDING = 3  #: 退款中
    REFUNDED = 4  #: 退款成功

    @property
    def label(self) -> str:
        return {1: "无售后", 2: "售后中", 3: "退款中", 4: "已退款"}[int(self)]


class Flag(IntEnum):
    """Seller memo flag: the platform's five colours (``remark_tag``)."""

    RED = 1  #: 红
    YELLOW = 2  #: 黄
    GREEN = 3  #: 绿
    BLUE = 4  #: 蓝
    PURPLE = 5  #: 紫

    @property
    def label(self) -> str:
        return "红黄绿蓝紫"[self - 1] + "旗"


DEFAULT_PROMISE_HOURS = 48
FAST_SHIP_PROMISE_HOURS = 24


def promise_hours(goods_promise_hours: int | None, *, fast_ship: bool) -> int:
    """Hours from group formation to the ship deadline.

    A goods' own promise applies; 极速发货 caps it at 24 h for the whole shop.
    """
    hours = goods_promise_hours or DEFAULT_PROMISE_HOURS
    return min(hours, FAST_SHIP_PROMISE_HOURS) if fast_ship else hours


def ship_deadline(group_formed_at: int, hours: int) -> int:
    """Ship deadline in epoch seconds: group formed + promise hours."""
    return group_formed_at + hours * HOUR


def can_ship(status: OrderStatus) -> bool:
    """Only paid orders whose group formed and that have not shipped can ship."""
    return status == OrderStatus.TO_SHIP


def goods_line_text(name: str, spec: str, quantity: int) -> str:
    """One order line as every list shows it: ``魔芋爽 酸辣味,20包×1``.

    The name is the catalogue's short name when the shop has one (the caller picks it), then
    the SKU's spec, then the count. 发货中心, 售后 and the order export use this one format.
    """
    name = (name or "").strip()
    spec = (spec or "").strip()
    label = f"{name} {spec}" if name and spec else name or spec
    return f"{label}×{quantity}"
