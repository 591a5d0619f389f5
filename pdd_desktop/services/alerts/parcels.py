"""Rule: parcels whose fetched courier trace shows a problem (物流异常), by kind.

The same definitions as 工作台's 物流异常 and 物流概况 (``data/queries/logistics.py``): judged as
of the trace's fetch, never on a parcel whose trace was not read (未查询), and not at all for a
shop whose parcels are not tracked (file route). 揽收超时 is the platform's fake-shipment
(虚假发货) risk, so it is urgent; a parcel without a pickup scan is not also counted as stalled.
"""

from __future__ import annotations

from collections.abc import Iterator

from pdd_desktop.data.queries import alerts as q
from pdd_desktop.domain.alerts import TARGET_ORDERS, Severity
from pdd_desktop.services.alerts.base import MAX_TARGET_IDS, Finding, Rule, RuleContext

HOUR = 3600


def evaluate(ctx: RuleContext) -> Iterator[Finding]:
    """揽收超时, 物流停滞 and 快递异常 parcels; the button opens their orders."""
    if not ctx.tracking.tracked:
        return
    s = ctx.settings
    kinds = (
        ("no_pickup", Severity.HIGH, "{n:,} 个包裹发货后超时未揽收",
         f"发货超过 {s.no_pickup_hours} 小时仍没有揽收记录，平台可能判定为虚假发货。"),
        ("stalled", Severity.MEDIUM, "{n:,} 个包裹物流停滞",
         f"已揽收，但超过 {s.stalled_hours} 小时没有新的物流记录。"),
        ("exception", Severity.MEDIUM, "{n:,} 个包裹快递报异常", "快递公司报告了拒收、退回、问题件或留仓。"),
    )  # fmt: skip
    for kind, severity, title, why in kinds:
        rows = q.problem_parcels(kind, ctx.now, s.no_pickup_hours * HOUR, s.stalled_hours * HOUR)
        if not rows:
            continue
        parcels = {p for p, _o in rows}
        orders = tuple(dict.fromkeys(o for _p, o in rows))
        yield Finding(
            key=f"parcel_{kind}",
            kind=f"parcel_{kind}",
            severity=severity,
            title=title.format(n=len(parcels)),
            why=f"{why}涉及 {len(orders):,} 个订单。",
            count=len(parcels),
            target=TARGET_ORDERS,
            target_ids=orders[:MAX_TARGET_IDS],
        )


RULE = Rule("parcels", ("parcel_no_pickup", "parcel_stalled", "parcel_exception"), evaluate)
