"""Rule: unshipped orders about to miss, or past, their promised ship time (承诺发货时间).

The money at risk: a shop in 极速发货 owes the buyer a compensation (default 3 yuan, the setting
``late_compensation_fen``) per order shipped late (product.md "Ship deadline"; the platform's
bill books it as ``0040004|售后费用-延迟发货``, merchant-data.md §bills). Near orders *would*
owe it if they miss the deadline, overdue ones owe it when they ship.
"""

from __future__ import annotations

from collections.abc import Iterator

from pdd_desktop.common.timefmt import format_ts
from pdd_desktop.data.queries import alerts as q
from pdd_desktop.domain.alerts import TARGET_ORDERS, Severity
from pdd_desktop.domain.money import format_yuan
from pdd_desktop.services.alerts.base import MAX_TARGET_IDS, Finding, Rule, RuleContext

HOUR = 3600


def _money(ctx: RuleContext, count: int) -> tuple[int, str]:
    s = ctx.settings
    if not s.fast_ship_enabled:
        return 0, ""
    amount = count * s.late_compensation_fen
    per_order = format_yuan(s.late_compensation_fen)
    return amount, f"极速发货每单超时赔付 {per_order}，合计 {format_yuan(amount)}。"


def evaluate(ctx: RuleContext) -> Iterator[Finding]:
    """即将超时 (deadline within ``near_deadline_hours``) and 已超时 (deadline passed)."""
    hours = ctx.settings.near_deadline_hours
    near = q.to_ship_deadline_between(ctx.now, ctx.now + hours * HOUR)
    if near:
        amount, money = _money(ctx, len(near))
        first = format_ts(near[0][1], "%m-%d %H:%M")
        yield Finding(
            key="ship_near",
            kind="ship_near",
            severity=Severity.HIGH,
            title=f"{len(near):,} 单即将超时未发货",
            why=(
                f"距承诺发货时间不足 {hours} 小时，最早的一单须在 {first} 前发货。"
                f"超时发货会被平台处罚。{money}"
            ),
            count=len(near),
            target=TARGET_ORDERS,
            target_ids=tuple(i for i, _ in near[:MAX_TARGET_IDS]),
            amount_fen=amount,
        )
    overdue = q.to_ship_deadline_between(None, ctx.now)
    if overdue:
        amount, money = _money(ctx, len(overdue))
        yield Finding(
            key="ship_overdue",
            kind="ship_overdue",
            severity=Severity.HIGH,
            title=f"{len(overdue):,} 单已超过承诺发货时间",
            why=f"这些订单已过承诺发货时间仍未发货，请尽快发货或联系买家。{money}",
            count=len(overdue),
            target=TARGET_ORDERS,
            target_ids=tuple(i for i, _ in overdue[:MAX_TARGET_IDS]),
            amount_fen=amount,
        )


RULE = Rule("ship_deadline", ("ship_near", "ship_overdue"), evaluate)
