"""Rule: after-sales cases waiting for the merchant that the platform decides by itself soon.

``after_sale.expire_at`` is the platform's deadline (``expire_time`` of the refund APIs,
pdd-open-api.md §5); past it the platform decides for the buyer. "Soon" is the setting
``after_sale_warn_hours`` (default 12 h), the same as 工作台's 售后即将超时.
"""

from __future__ import annotations

from collections.abc import Iterator

from pdd_desktop.data.queries import alerts as q
from pdd_desktop.domain.after_sales import WAITING_ME_CODES
from pdd_desktop.domain.alerts import TARGET_CASES, Severity
from pdd_desktop.services.alerts.base import Finding, Rule, RuleContext

HOUR = 3600


def evaluate(ctx: RuleContext) -> Iterator[Finding]:
    """售后即将超时."""
    hours = ctx.settings.after_sale_warn_hours
    rows = q.cases_expiring_before(WAITING_ME_CODES, ctx.now + hours * HOUR)
    if rows:
        yield Finding(
            key="after_sale_deadline",
            kind="after_sale_deadline",
            severity=Severity.HIGH,
            title=f"{len(rows):,} 个售后单即将超时",
            why=f"不到 {hours} 小时后平台将自动处理（通常按买家的申请退款），请先处理。",
            count=len(rows),
            target=TARGET_CASES,
            target_ids=tuple(i for i, _ in rows),
        )


RULE = Rule("after_sales", ("after_sale_deadline",), evaluate)
