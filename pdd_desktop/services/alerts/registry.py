"""The alert rules, in the order the panel lists equal severities. A new rule is one module
with a ``Rule`` and one line here (e.g. 资金's bill mismatches, 推广's ROI under break-even).
"""  # noqa: D205

from __future__ import annotations

from pdd_desktop.services.alerts import (
    ads_roi,
    after_sales,
    bills,
    cs_reply,
    parcels,
    ship_deadline,
    stock,
    sync_health,
)
from pdd_desktop.services.alerts.base import Rule

RULES: tuple[Rule, ...] = (
    ship_deadline.RULE,
    stock.RULE,
    parcels.RULE,
    after_sales.RULE,
    sync_health.OUTBOX_RULE,
    sync_health.SYNC_RULE,
    bills.RULE,
    ads_roi.RULE,
    cs_reply.RULE,
)
