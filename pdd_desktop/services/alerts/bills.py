"""Rule: 账单对不上 — orders the bills settled twice, with another amount, or never, in the last 90 days.

Reads :func:`pdd_desktop.services.reconcile.reconcile` over the orders signed in the last
:data:`WINDOW_DAYS` Beijing days, today included (:func:`window`; the settlement moment and the
setting ``settlement_days`` are explained there). Whole days, so that the button can open
资金 → 对账 on exactly the days judged (:func:`window_days`, a date range there) with the list
对不上的订单 chosen, or the list 无对应订单的账单 when only such charges were found: charges
naming an order the shop does not have are counted in the text and listed there,
except those of orders placed before the shop's first order record: a shop that imported or
synced only its recent orders is not missing them (the bill covers 90 days, the records may
start later; a shop with no orders yet has nothing to hold them against), so they are only
mentioned. Order numbers begin with the day the order was
placed, ``YYMMDD-`` (``domain.export_columns.parse_sn``).

Cost: a reconciliation of 90 days of orders is far dearer than the other rules (about a second
on a million-order shop), while its answer changes only when bills arrive, the settlement
setting changes, or days pass (an order turns 未结算 days after it was signed). So the rule
answers at once with nothing when no bill covers the window (nothing can be judged), and
otherwise reuses its last findings until the bills, the setting or the hour change
(:func:`_fingerprint`); a sync that only changes orders does not redo it within the hour.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta

from pdd_desktop.common.timefmt import local_date_start, to_local
from pdd_desktop.data.queries import alerts as q
from pdd_desktop.domain.alerts import TARGET_FUNDS_RECONCILE, Severity
from pdd_desktop.domain.money import format_yuan
from pdd_desktop.services import reconcile as rc
from pdd_desktop.services.alerts.base import Finding, Rule, RuleContext

WINDOW_DAYS = 90
KEY = "bill_mismatch"
_SN_DAY = re.compile(r"^(\d{6})-\d+$")


def _before_records(order_sn: str, first_day: str | None) -> bool:
    """The order was placed before the day the shop's order records begin (or there are none)."""
    if first_day is None:
        return True
    m = _SN_DAY.match(order_sn)
    return m is not None and m.group(1) < first_day


def window_days(now: int) -> tuple[date, date]:
    """The first and last Beijing day judged at ``now`` (the last is ``now``'s day)."""
    last = to_local(now).date()
    return last - timedelta(days=WINDOW_DAYS - 1), last


def window(now: int) -> tuple[int, int]:
    """``[start, end)`` in UTC seconds of :func:`window_days` (as 资金 → 对账 bounds a date range)."""
    first, last = window_days(now)
    return local_date_start(first), local_date_start(last + timedelta(days=1))


#: The last answer per shop file: (fingerprint, findings).
_LAST: dict[str, tuple[tuple, tuple[Finding, ...]]] = {}


def _fingerprint(ctx: RuleContext, start: int, end: int) -> tuple | None:
    """What the answer depends on besides the orders; None when no bill covers the window."""
    bills = q.bills_fingerprint(start, end)
    if bills is None:
        return None
    return (bills, ctx.settings.settlement_days, ctx.now // 3600)


def evaluate(ctx: RuleContext) -> Iterator[Finding]:
    """账单对不上 (the last answer reused while nothing it depends on changed; see the module)."""
    start, end = window(ctx.now)
    key = _fingerprint(ctx, start, end)
    if key is None:
        return
    shop = q.database_file()
    last = _LAST.get(shop)
    if last is not None and last[0] == key:
        yield from last[1]
        return
    found = tuple(_judge(ctx, start, end))
    _LAST[shop] = (key, found)
    yield from found


def _judge(ctx: RuleContext, start: int, end: int) -> Iterator[Finding]:
    r = rc.reconcile(
        start=start,
        end=end,
        now=ctx.now,
        settlement_days=ctx.settings.settlement_days,
    )
    bad = (*r.missing, *r.doubled, *r.wrong_amount)
    first = q.first_order_sn()
    first_day = m.group(1) if first and (m := _SN_DAY.match(first)) else None
    orphans = [o for o in r.orphans if not _before_records(o.order_sn, first_day)]
    earlier = len(r.orphans) - len(orphans)
    if not bad and not orphans:
        return
    parts = []
    for label, n in (
        ("未结算", len(r.missing)),
        ("重复结算", len(r.doubled)),
        ("金额不符", len(r.wrong_amount)),
    ):
        if n:
            parts.append(f"{label} {n:,} 单")
    if orphans:
        parts.append(f"无对应订单的账单 {len(orphans):,} 笔")
    at_stake = sum(o.expected_fen for o in r.missing) + sum(
        abs(o.difference_fen) for o in bad if o.settlements
    )
    stake = f"（涉及 {format_yuan(at_stake)}）" if at_stake else ""
    before = (
        f"另有 {earlier:,} 笔账单的订单早于本店已有的订单记录（可能还没导入或同步），未计入。"
        if earlier
        else ""
    )
    yield Finding(
        key=KEY,
        kind=KEY,
        severity=Severity.MEDIUM,
        title=f"账单对不上：{len(bad) + len(orphans):,} 处",
        why=(
            f"近 {WINDOW_DAYS} 天确认收货的订单与账单核对：{'，'.join(parts)}{stake}。"
            f"{before}确认收货 {r.settlement_days} 天后仍未结算算作未结算；"
            "点“查看对账”在 资金 → 对账 查看明细，必要时联系平台客服核实。"
        ),
        count=len(bad) + len(orphans),
        target=TARGET_FUNDS_RECONCILE,
        target_ids=tuple(o.order_id for o in bad),
        amount_fen=at_stake,
    )


RULE = Rule("bills", (KEY,), evaluate)
