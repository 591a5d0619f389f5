"""Rule: 账单对不上 — orders the bills settled twice, with another amount, or never, in the last 90 days.

Reads :func:`pdd_desktop.services.reconcile.reconcile` over the orders signed in the last
:data:`WINDOW_DAYS` days (the settlement moment and the setting ``settlement_days`` are
explained there). The button opens exactly those orders in 发货中心; charges naming an order
the shop does not have are counted in the text (they have no order to open, 资金 → 对账 lists them).
"""

from __future__ import annotations

from collections.abc import Iterator

from pdd_desktop.domain.alerts import TARGET_NONE, TARGET_ORDERS, Severity
from pdd_desktop.domain.money import format_yuan
from pdd_desktop.services import reconcile as rc
from pdd_desktop.services.alerts.base import Finding, Rule, RuleContext

WINDOW_DAYS = 90
KEY = "bill_mismatch"


def evaluate(ctx: RuleContext) -> Iterator[Finding]:
    """账单对不上."""
    r = rc.reconcile(
        start=ctx.now - WINDOW_DAYS * rc.DAY,
        end=ctx.now,
        now=ctx.now,
        settlement_days=ctx.settings.settlement_days,
    )
    bad = (*r.missing, *r.doubled, *r.wrong_amount)
    if not bad and not r.orphans:
        return
    parts = []
    for label, n in (
        ("未结算", len(r.missing)),
        ("重复结算", len(r.doubled)),
        ("金额不符", len(r.wrong_amount)),
    ):
        if n:
            parts.append(f"{label} {n:,} 单")
    if r.orphans:
        parts.append(f"无对应订单的账单 {len(r.orphans):,} 笔")
    at_stake = sum(o.expected_fen for o in r.missing) + sum(
        abs(o.difference_fen) for o in bad if o.settlements
    )
    yield Finding(
        key=KEY,
        kind=KEY,
        severity=Severity.MEDIUM,
        title=f"账单对不上：{len(bad) + len(r.orphans):,} 处",
        why=(
            f"近 {WINDOW_DAYS} 天确认收货的订单与账单核对：{'，'.join(parts)}"
            f"（涉及 {format_yuan(at_stake)}）。确认收货 {r.settlement_days} 天后仍未结算算作未结算；"
            "可在 资金 → 对账 查看明细，必要时联系平台客服核实。"
        ),
        count=len(bad) + len(r.orphans),
        target=TARGET_ORDERS if bad else TARGET_NONE,
        target_ids=tuple(o.order_id for o in bad),
        amount_fen=at_stake,
    )


RULE = Rule("bills", (KEY,), evaluate)
