"""Rule: 推广 under break-even — a plan × goods, or all of a goods' ads, whose ROI stayed under
its 保本 ROI for the last N report days (``services.ads.roi_alerts``; N is 推广's setting
``ads_alert_days``, default 3).

One alert per finding, keyed by the plan × goods (or the goods) without the day, so a streak
that goes on is one alert updated in place, and it resolves by itself when a report day brings
the ROI back over 保本, the goods' cost changes, or N is raised.
"""  # noqa: D205

from __future__ import annotations

from collections.abc import Iterator

from pdd_desktop.domain.alerts import MAX_TITLE, TARGET_ADS, Severity
from pdd_desktop.services import ads
from pdd_desktop.services.alerts.base import Finding, Rule, RuleContext, bounded_key

PREFIX = "ads_roi:"


def finding_key(alert: ads.RoiAlert) -> str:
    """The alert key of a finding: its plan × goods, or its goods (no day)."""
    if alert.kind == "plan":
        return bounded_key(PREFIX, "plan", str(alert.goods_id), alert.scene, alert.plan_name)
    return bounded_key(PREFIX, "goods", str(alert.goods_id))


def evaluate(ctx: RuleContext) -> Iterator[Finding]:
    """推广低于保本, one finding per plan × goods and per goods."""
    for a in ads.roi_alerts(ctx.now):
        yield Finding(
            key=finding_key(a),
            kind="ads_roi",
            severity=Severity.MEDIUM,
            title=a.title[:MAX_TITLE],
            why=a.body,
            count=1,
            target=TARGET_ADS,
            target_ids=(a.goods_id,),
        )


RULE = Rule("ads_roi", (), evaluate, key_prefix=PREFIX)
