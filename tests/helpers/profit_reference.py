"""利润 as it was computed before SQLite summed it: one Python pass over every order's lines, items
and parcel, kept here as the oracle that ``services.profit.profit`` must equal to the fen.

A copy of the project's own earlier ``services/profit.py:profit`` (commit a2dcf0a), reading the
same queries (``data/queries/reconcile.py``) and the cost history rule (``cost_picker``).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from pdd_desktop.data.queries import reconcile as q
from pdd_desktop.services import ads, cost_history
from pdd_desktop.services.profit import (
    Money,
    PeriodProfit,
    ProfitReport,
    ShippingBand,
    _bj_date,
    _split,
    shipping_bands,
    shipping_price,
)
from pdd_desktop.services.reconcile import check_range


class _Prices:
    def __init__(self, bands: tuple[ShippingBand, ...]) -> None:
        self.bands = bands
        self.cache: dict[tuple[int, int], int | None] = {}

    def price(self, courier_id: int, weight_g: int) -> int | None:
        key = (courier_id, weight_g)
        if key not in self.cache:
            self.cache[key] = shipping_price(self.bands, courier_id, weight_g)
        return self.cache[key]


def reference_profit(*, start: int, end: int) -> ProfitReport:
    """The report as the per-order Python pass computed it (the figures to equal)."""
    check_range(start, end)
    lines = [r for r in q.lines_by_order_with_orders(start, end) if r[0]]
    ids = [int(r[8]) for r in lines if r[8] is not None]
    settled_ids = [int(r[8]) for r in lines if r[8] is not None and r[1] is not None]
    items: dict[int, list[tuple]] = defaultdict(list)
    item_rows = q.items_json(ids)
    pick = cost_history.cost_picker({r[3] for r in item_rows})
    paid = {int(r[8]): int(r[9] or 0) for r in lines if r[8] is not None and r[1] is not None}
    for r in item_rows:
        at = paid.get(r[0])
        items[r[0]].append((*r[:7], None if at is None else pick(r[3], at, r[7])))
    couriers = {int(o): int(c) for o, c in q.couriers_json(settled_ids)}
    prices = _Prices(shipping_bands())

    order_rows: list[tuple] = []
    loose = [0, 0, 0, 0, 0]
    goods: dict[int, list] = {}
    # day number (Beijing) → income, refund, fee, compensation, other, orders, cost, mc, ship, ms
    by_day: dict[int, list[int]] = {}
    no_items: list[tuple] = []
    for sn, first_settle, inc, ref, fee, comp, other, first_line, oid, _paid in lines:
        if oid is None:
            values = (inc, ref, fee, comp, other)
            loose = [x + y for x, y in zip(loose, values, strict=True)]
            d = by_day.setdefault((int(first_line) + 28800) // 86400, [0] * 10)
            for k in range(5):
                d[k] += values[k]
            continue
        settled = first_settle is not None
        its = items.get(oid, no_items)
        cost: int | None = 0
        ship: int | None = 0
        if settled:
            cost = 0 if its else None
            weight = 0
            for r in its:
                weight += r[4] * r[6]
                if cost is not None:
                    cost = None if r[7] is None else cost + r[7] * r[4]
            ship = prices.price(couriers.get(oid, 0), weight)
        at = int(first_settle or first_line)
        order_rows.append((oid, sn, at, inc, ref, fee, comp, other, settled, cost, ship))
        dn = (at + 28800) // 86400
        d = by_day.get(dn)
        if d is None:
            d = by_day[dn] = [0] * 10
        d[0] += inc
        d[1] += ref
        d[2] += fee
        d[3] += comp
        d[4] += other
        if settled:
            d[5] += 1
            if cost is None:
                d[7] += 1
            else:
                d[6] += cost
            if ship is None:
                d[9] += 1
            else:
                d[8] += ship
        if not its:
            continue
        if len(its) == 1:  # the whole order's money is its one item's (no split)
            r = its[0]
            g = goods.get(r[1])
            if g is None:
                g = goods[r[1]] = [r[2], 0, 0, 0, 0, 0, set(), 0, set(), 0, set()]
            g[1] += inc
            g[2] += ref
            g[3] += fee
            g[4] += comp
            g[5] += other
            if settled:
                g[6].add(oid)
                if r[7] is None:
                    g[8].add(oid)
                else:
                    g[7] += r[7] * r[4]
                if ship is None:
                    g[10].add(oid)
                else:
                    g[9] += ship
            continue
        all_values = (inc, ref, fee, comp, other, ship or 0)
        weights = [max(0, r[5]) for r in its]
        zeros = [0] * len(its)
        shares = [_split(v, weights) if v else zeros for v in all_values]
        for k, r in enumerate(its):
            g = goods.get(r[1])
            if g is None:
                g = goods[r[1]] = [r[2], 0, 0, 0, 0, 0, set(), 0, set(), 0, set()]
            for m in range(5):
                g[1 + m] += shares[m][k]
            if settled:
                g[6].add(oid)
                if r[7] is None:
                    g[8].add(oid)
                else:
                    g[7] += r[7] * r[4]
                if ship is None:
                    g[10].add(oid)
                else:
                    g[9] += shares[5][k]

    first_day, last_day = _bj_date(start), _bj_date(end - 1)
    ad_days = {d.day: d.spend_fen for d in ads.spend_by_day(first=first_day, last=last_day)}
    ad_goods = ads.spend_by_goods(first=first_day, last=last_day)
    days: dict[date, list[int]] = {}
    for dn, v in by_day.items():
        days[date(1970, 1, 1) + timedelta(days=int(dn))] = v
    for dn, *m in q.loose_lines_by_day(start, end):
        v = days.setdefault(date(1970, 1, 1) + timedelta(days=int(dn)), [0] * 10)
        for k in range(5):
            v[k] += m[k]
    for d in ad_days:
        days.setdefault(d, [0] * 10)
    day_rows = tuple(
        PeriodProfit(d, d.isoformat(), Money(*v[:5]), v[5], v[6], v[7], v[8], v[9], ad_days.get(d, 0))
        for d, v in sorted(days.items(), reverse=True)
    )
    goods_rows = tuple(
        sorted(
            (
                PeriodProfit(gid, g[0], Money(*g[1:6]), len(g[6]), g[7], len(g[8]), g[9], len(g[10]),
                             ad_goods.get(gid, 0))
                for gid, g in goods.items()
            ),
            key=lambda p: -p.money.net_fen,
        )
    )  # fmt: skip
    total = PeriodProfit(
        first_day, "合计",
        sum((p.money for p in day_rows), Money()),
        sum(p.orders for p in day_rows), sum(p.cost_fen for p in day_rows),
        sum(p.missing_cost for p in day_rows),
        sum(p.shipping_fen for p in day_rows), sum(p.missing_shipping for p in day_rows),
        sum(ad_days.values()),
    )  # fmt: skip
    return ProfitReport.of_rows(start, end, order_rows, day_rows, goods_rows, total, Money(*loose))
