"""Rule: 客服 reply rates under the merchant's targets — the shop's and each agent's 30-day
rolling 3分钟人工回复率 and 30秒应答率 (8–23 h, ending yesterday; ``services.cs.reply_rate_alerts``).

One alert per agent (or the shop) and rate; it resolves by itself when the rolling rate is back
at the target, the target is lowered, or the window holds no figures any more.
"""  # noqa: D205

from __future__ import annotations

from collections.abc import Iterator

from pdd_desktop.domain.alerts import MAX_TITLE, TARGET_CS, Severity
from pdd_desktop.services import cs
from pdd_desktop.services.alerts.base import Finding, Rule, RuleContext, bounded_key

PREFIX = "cs_reply:"


def finding_key(alert: cs.ReplyRateAlert) -> str:
    """The alert key of a finding: its rate and agent (``*`` = the shop)."""
    return bounded_key(PREFIX, alert.metric, alert.agent or "*")


def evaluate(ctx: RuleContext) -> Iterator[Finding]:
    """客服回复率低于目标, one finding per agent (or the shop) and rate."""
    for a in cs.reply_rate_alerts(ctx.now):
        yield Finding(
            key=finding_key(a),
            kind="cs_reply",
            severity=Severity.MEDIUM,
            title=a.title[:MAX_TITLE],
            why=a.body,
            count=1,
            target=TARGET_CS,
        )


RULE = Rule("cs_reply", (), evaluate, key_prefix=PREFIX)
