"""Alert vocabulary shared by the rules, the alert table and the screens.

An alert is one *cause* (e.g. "待发货订单即将超时"), identified by a key, with a severity, the
number of things concerned and what to open to see them (orders, SKUs, after-sales cases or the
sync window).
"""

from __future__ import annotations

from enum import IntEnum


class Severity(IntEnum):
    """How urgent an alert is; higher is more urgent (the panel lists the highest first)."""

    LOW = 1  #: worth a look today
    MEDIUM = 2  #: needs action soon
    HIGH = 3  #: costs money or a penalty soon: also a desktop notification, once

    @property
    def label(self) -> str:
        """Chinese name."""
        return {Severity.LOW: "提示", Severity.MEDIUM: "注意", Severity.HIGH: "紧急"}[self]


#: What an alert's button opens: the orders in 发货中心, SKUs in 商品, cases in 售后, the 同步
#: window (outbox and sync log), 推广 (ids: the goods concerned), 客服, 设置 → 自动化, 资金 → 对账
#: on the days the alert judged with its mismatch list (ids: the mismatched orders; the days
#: follow from the alert's ``last_seen_at``, ``services.alerts.bills.window_days``), or nothing.
TARGET_ORDERS = "orders"
TARGET_SKUS = "skus"
TARGET_CASES = "cases"
TARGET_SYNC = "sync"
TARGET_ADS = "ads"
TARGET_CS = "cs"
TARGET_AUTOMATION = "automation"
TARGET_FUNDS_RECONCILE = "funds_reconcile"
TARGET_NONE = ""
TARGETS = (
    TARGET_ORDERS,
    TARGET_SKUS,
    TARGET_CASES,
    TARGET_SYNC,
    TARGET_ADS,
    TARGET_CS,
    TARGET_AUTOMATION,
    TARGET_FUNDS_RECONCILE,
    TARGET_NONE,
)

#: Where an alert came from: a rule of the registry (resolved by itself when the rule no longer
#: finds the cause) or code that raised it (resolved only by ``clear_alert``).
SOURCE_RULE = "rule"
SOURCE_CODE = "code"

#: The longest key, title and explanation an alert may have.
MAX_KEY = 120
MAX_TITLE = 80
MAX_WHY = 1000
