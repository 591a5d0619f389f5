"""The figures issue 16 added last, against an independent computation over the raw order rows.

Gross margin, price bands, the late-shipping share, time to second order, the spend
distribution, cohorts of a range ending mid-month, and the orders behind each (click-through).
The oracle reads ``order`` / ``order_item`` with plain sqlite3 (``tests/helpers/sales_oracle``).
"""

from __future__ import annotations

import itertools
import sqlite3
from collections import Counter, defaultdict
from datetime import date, timedelta

import pytest

from pdd_desktop.data.db import database, write_transaction
from pdd_desktop.services import analytics as an
from pdd_desktop.services import shipping as ship_svc
from tests.conftest import DEMO_NOW
from tests.helpers.sales_oracle import Sale, load_sales

TODAY = date(2026, 11, 23)
EPOCH = date(1970, 1, 1)


def _d(day: int) -> date:
    return EPOCH + timedelta(days=day)


def _in(s: Sale, r: an.DayRange) -> bool:
    return r.first <= _d(s.day) <= r.last


def _sku_sums(sales: list[Sale], r: an.DayRange) -> dict[int, list[int]]:
    """sku → [goods, units, gmv] of the range (GMV split by goods value, as the oracle does)."""
    out: dict[int, list[int]] = {}
    for s in sales:
        if _in(s, r):
            for (g, k), (units, gmv) in s.split().items():
                acc = out.setdefault(k, [g, 0, 0])
                acc[1] += units
                acc[2] += gmv
    return out


def test_gross_margin_uses_the_entered_cost_and_says_when_one_is_missing(demo_shop):
    conn = sqlite3.connect(demo_shop.db_file)
    skus = [k for (k,) in conn.execute("SELECT sku_id FROM sku ORDER BY sku_id")]
    # Every other SKU gets a cost; the rest have none (NULL).
    with conn:
        conn.execute("UPDATE sku SET cost_price_fen = NULL")
        for i, k in enumerate(skus):
            if i % 2 == 0:
                conn.execute("UPDATE sku SET cost_price_fen = ? WHERE sku_id = ?", (500 + 37 * i, k))
        conn.execute("DELETE FROM cost_price_history")  # no history: each SKU's current cost applies
    costs = dict(conn.execute("SELECT sku_id, cost_price_fen FROM sku"))
    conn.close()
    r = an.DayRange.preset("30d", DEMO_NOW)
    hot = an.hot_items(first=r.first, last=r.last, now=DEMO_NOW)
    sums = _sku_sums(load_sales(demo_shop.db_file), r)
    want_sku = {k: (None if costs.get(k) is None else v[2] - costs[k] * v[1]) for k, v in sums.items()}
    assert {f.sku_id: f.margin_fen for f in hot.skus} == want_sku
    want_goods: dict[int, int | None] = {}
    for k, (g, _units, _gmv) in sums.items():
        m = want_sku[k]
        want_goods[g] = None if m is None or want_goods.get(g, 0) is None else want_goods.get(g, 0) + m
    assert {f.goods_id: f.margin_fen for f in hot.goods} == want_goods
    assert any(m is None for m in want_goods.values()) and any(m is not None for m in want_goods.values())
    some = next(f for f in hot.goods if f.margin_fen is not None)
    assert some.margin_rate == pytest.approx(some.margin_fen / some.gmv_fen)


def test_price_bands_and_their_orders(demo_shop):
    r = an.DayRange.preset("30d", DEMO_NOW)
    hot = an.hot_items(first=r.first, last=r.last, now=DEMO_NOW)
    sales = load_sales(demo_shop.db_file)
    sums = _sku_sums(sales, r)
    edges = [y * 100 for y in an.PRICE_BANDS_YUAN] + [None]
    want = []
    for low, high in itertools.pairwise(edges):
        members = [
            k for k, (_g, u, g) in sums.items() if u and g / u >= low and (high is None or g / u < high)
        ]
        want.append((len(members), sum(sums[k][1] for k in members), sum(sums[k][2] for k in members)))
    assert [(b.count, b.units, b.gmv_fen) for b in hot.price_bands] == want
    assert sum(b.gmv_fen for b in hot.price_bands) == sum(v[2] for v in sums.values())
    assert sum(1 for b in hot.price_bands if b.count) >= 2
    band = max(hot.price_bands, key=lambda b: b.count)
    members = set(an.price_band_skus(hot, band))
    got = an.figure_orders(first=r.first, last=r.last, sku_ids=sorted(members))
    assert set(got) == {s.id for s in sales if _in(s, r) and any(line[1] in members for line in s.lines)}


def _late_oracle(sales: list[Sale], r: an.DayRange, now: int) -> dict[int, tuple[int, int, set[int]]]:
    out: dict[int, list] = defaultdict(lambda: [set(), set()])
    for s in sales:
        if not _in(s, r) or s.deadline_at is None:
            continue
        if s.shipped_at is not None:
            late = s.shipped_at > s.deadline_at
        elif s.status == 1:
            late = s.deadline_at < now
        else:
            continue  # cancelled or refunded before shipping: nothing owed
        for g in {line[0] for line in s.lines}:
            out[g][0].add(s.id)
            if late:
                out[g][1].add(s.id)
    return {g: (len(due), len(late), late) for g, (due, late) in out.items()}


def test_late_shipping_share_per_goods_and_its_orders(demo_shop):
    r = an.DayRange.preset("30d", DEMO_NOW)
    sales = load_sales(demo_shop.db_file)
    # Ship a few waiting orders now, some after their deadline: the share follows at once.
    waiting = [s.id for s in sales if s.status == 1 and s.deadline_at is not None and _in(s, r)][:6]
    assert waiting
    ship_svc.ship_without_logistics(order_ids=waiting)
    sales = load_sales(demo_shop.db_file)
    hot = an.hot_items(first=r.first, last=r.last, now=DEMO_NOW)
    want = _late_oracle(sales, r, DEMO_NOW)
    got = {f.goods_id: (f.ship_due, f.ship_late) for f in hot.goods if f.ship_due}
    assert got == {g: (due, late) for g, (due, late, _ids) in want.items() if due}
    assert any(f.ship_late for f in hot.goods) and any(f.late_rate and f.late_rate < 1 for f in hot.goods)
    g = max(want, key=lambda k: want[k][1])
    assert set(an.late_orders(goods_id=g, first=r.first, last=r.last, now=DEMO_NOW)) == want[g][2]


def _buyer_history(sales: list[Sale]) -> dict[str, list[Sale]]:
    out: dict[str, list[Sale]] = defaultdict(list)
    for s in sales:
        if s.buyer:
            out[s.buyer].append(s)
    for v in out.values():
        v.sort(key=lambda s: (s.day, s.id))
    return out


def test_time_to_second_order_and_its_orders(demo_shop):
    r = an.DayRange.preset("90d", DEMO_NOW)
    cu = an.customers(first=r.first, last=r.last, now=DEMO_NOW)
    sales = load_sales(demo_shop.db_file)
    history = _buyer_history(sales)
    gaps = {}
    for b, orders in history.items():
        if r.first_day <= orders[0].day <= r.last_day:
            gaps[b] = orders[1].day - orders[0].day if len(orders) > 1 else None
    known = sorted(g for g in gaps.values() if g is not None)
    so = cu.second_order
    assert (so.new_buyers, so.repeaters) == (len(gaps), len(known))
    assert so.median_days == known[len(known) // 2]
    want = [
        sum(1 for g in known if g >= low and (high is None or g < high))
        for low, high, _l in an.GAP_BANDS_DAYS
    ]
    assert [n for _l, _lo, _hi, n in so.bands] == want
    assert sum(want) == so.repeaters > 0
    label, low, high, _n = next(b for b in so.bands if b[3])
    members = {b for b, g in gaps.items() if g is not None and g >= low and (high is None or g < high)}
    got = an.figure_orders(first=r.first, last=r.last, buyers=an.gap_terms(cu, low, high))
    assert set(got) == {s.id for s in sales if _in(s, r) and s.buyer in members}, label


def test_spend_distribution_and_rfm_click_through(demo_shop):
    r = an.DayRange.preset("30d", DEMO_NOW)
    cu = an.customers(first=r.first, last=r.last, now=DEMO_NOW)
    sales = load_sales(demo_shop.db_file)
    spend: Counter = Counter()
    orders: Counter = Counter()
    last: dict[str, int] = {}
    for s in sales:
        if s.buyer:
            spend[s.buyer] += s.pay_fen
            orders[s.buyer] += 1
            last[s.buyer] = max(last.get(s.buyer, s.day), s.day)
    edges = [y * 100 for y in an.SPEND_BANDS_YUAN] + [None]
    want = []
    for low, high in itertools.pairwise(edges):
        members = [b for b, v in spend.items() if v >= low and (high is None or v < high)]
        want.append((len(members), sum(spend[b] for b in members)))
    assert [(b.count, b.gmv_fen) for b in cu.spend_bands] == want
    assert sum(b.count for b in cu.spend_bands) == len(spend)
    band = max(cu.spend_bands, key=lambda b: b.count)
    members = {
        b for b, v in spend.items() if v >= band.low_fen and (band.high_fen is None or v < band.high_fen)
    }
    got = an.figure_orders(first=r.first, last=r.last, buyers=an.spend_terms(band))
    assert set(got) == {s.id for s in sales if _in(s, r) and s.buyer in members}
    # RFM groups: the orders of the range of exactly the group's buyers.
    line = sorted(spend.values())[len(spend) // 2]
    today_day = (TODAY - EPOCH).days
    checked = 0
    for seg in cu.rfm:
        if not seg.buyers:
            continue
        members = {
            b
            for b in spend
            if (last[b] > today_day - 30, orders[b] >= 2, spend[b] >= line)
            == (seg.recent, seg.frequent, seg.big)
        }
        assert len(members) == seg.buyers, seg.name
        got = an.figure_orders(first=r.first, last=r.last, buyers=an.segment_terms(cu, seg))
        assert set(got) == {s.id for s in sales if _in(s, r) and s.buyer in members}, seg.name
        checked += bool(got)
    assert checked >= 2


def test_cohorts_of_a_range_ending_mid_month_count_only_up_to_its_end(demo_shop):
    r = an.DayRange(date(2026, 9, 20), date(2026, 11, 12))
    cu = an.customers(first=r.first, last=r.last, now=DEMO_NOW)
    history = _buyer_history(load_sales(demo_shop.db_file))
    start = (r.first.replace(day=1) - EPOCH).days
    months: dict[str, dict[int, set[str]]] = defaultdict(lambda: defaultdict(set))
    for b, orders in history.items():
        d0 = orders[0].day
        if not start <= d0 <= r.last_day:
            continue
        c = _d(d0).strftime("%Y-%m")
        for s in orders:
            if s.day <= r.last_day:
                y, m = _d(s.day).year, _d(s.day).month
                k = (y * 12 + m) - (_d(d0).year * 12 + _d(d0).month)
                months[c][k].add(b)
    got = {c.month: (c.size, c.active) for c in cu.cohorts}
    last_k = lambda c: (r.last.year * 12 + r.last.month) - (int(c[:4]) * 12 + int(c[5:]))  # noqa: E731
    want = {c: (len(m[0]), tuple(len(m.get(k, ())) for k in range(last_k(c) + 1))) for c, m in months.items()}
    assert got == want
    assert got["2026-11"][0] > 0  # the mid-month cohort itself is counted up to the 12th only


def test_orders_without_a_buyer_are_no_buyer_of_their_goods(demo_shop):
    """Orders without a buyer key (file and API orders) add no buyer to the goods they hold."""
    r = an.DayRange.preset("30d", DEMO_NOW)
    before = {f.goods_id: f.buyers for f in an.hot_items(first=r.first, last=r.last, now=DEMO_NOW).goods}
    from pdd_desktop.data import aggregates

    with write_transaction():
        ids = [
            i
            for (i,) in database.execute_sql(
                'SELECT id FROM "order" WHERE paid_at >= ? AND paid_at IS NOT NULL ORDER BY id LIMIT 40',
                (r.start_ts,),
            )
        ]
        database.execute_sql(
            f"UPDATE \"order\" SET buyer_key = '' WHERE id IN ({','.join('?' * len(ids))})", ids
        )
        aggregates.refresh_orders(database.connection(), ids)
    sales = [s for s in load_sales(demo_shop.db_file) if _in(s, r)]
    want: dict[int, set[str]] = defaultdict(set)
    for s in sales:
        for g, *_rest in s.lines:
            want[g].update({s.buyer} - {""})  # known buyers only; a goods sold may have none
    after = {f.goods_id: f.buyers for f in an.hot_items(first=r.first, last=r.last, now=DEMO_NOW).goods}
    assert after == {g: len(b) for g, b in want.items()}
    assert after != before
    assert 0 in after.values()  # a goods bought only without buyer identity has no buyer


def test_margin_costs_are_the_ones_in_force_at_the_range_end(demo_shop):
    from pdd_desktop.common.timefmt import local_date_start
    from pdd_desktop.services import cost_history

    database.execute_sql("DELETE FROM cost_price_history")
    (sku,) = database.execute_sql("SELECT sku_id FROM sku ORDER BY sku_id LIMIT 1").fetchone()
    last = date(2026, 11, 20)
    end = local_date_start(last + timedelta(days=1))
    with write_transaction():
        cost_history.record_change(sku, 700, source="edit", at=end - 86400)  # inside the range
        cost_history.record_change(sku, 900, source="edit", at=end)  # the next day: not yet
    assert an.unit_costs([sku], first=last - timedelta(days=6), last=last) == {sku: 700}
    assert an.unit_costs([sku], first=last, last=last + timedelta(days=1)) == {sku: 900}
