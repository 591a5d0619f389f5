"""In-site message (站内信) categories."""

from __future__ import annotations

from enum import IntEnum


class MessageCategory(IntEnum):
    """The platform's seven notice categories, plus the app's own alerts."""

    IMPORTANT = 1  #: 重要通知
    PLATFORM_NEWS = 2  #: 平台动态
    CASHBACK = 3  #: 返现通知
    RULES = 4  #: 规则更新
    MARKETING = 5  #: 营销推广
    SHOP = 6  #: 店铺动态
    GROWTH = 7  #: 商家成长
    APP_ALERT = 8  #: 系统提醒 (the app's own alerts)

    @property
    def label(self) -> str:
        """The category's Chinese name."""
        return (
            "重要通知",
            "平台动态",
            "返现通知",
            "规则更新",
            "营销推广",
            "店铺动态",
            "商家成长",
            "系统提醒",
        )[self - 1]


#: The platform's categories, in the order of its 站内信 page (merchant-data.md §7).
PLATFORM_CATEGORIES: tuple[MessageCategory, ...] = tuple(
    c for c in MessageCategory if c != MessageCategory.APP_ALERT
)
