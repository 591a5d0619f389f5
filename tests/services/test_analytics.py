"""数据 figures against an independent computation over the raw order rows of a demo shop.

The oracle (``tests/helpers/sales_oracle.py``) reads ``order`` / ``order_item`` with plain
sqlite3 and does its own arithmetic; nothing here reads the aggregate tables.
"""

from __future__ import annotations

import sqlite3
from collections import Counter, defaultdict
from datetime import date, timedelta

import pytest

from pdd_desktop.domain.errors import ValidationError
from pdd_desktop.services import analytics as an
from pdd_desktop.services import home
from tests.conftest import DEMO_NOW
from tests.helpers.sales_oracle import BEIJING, load_sales

TODAY = date(2026, 11, 23)  # DEMO_NOW is 20:00 Beijing on the 23rd
EPOCH = date(1970, 1, 1)


def _d(day: int) -> date:
    return EPOCH + timedelta(days=day)


def _in(s, r: an.DayRange) -> bool:
    return r.first <= _d(s.day) <= r.last


def _refunds(db, r: an.DayRange) -> list[tuple[int, int]]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(
            "SELECT closed_at, refund_amount_fen FROM after_sale WHERE status = 10 AND closed_at IS NOT NULL"
        ).fetchall()
    finally:
        conn.close()


@pytest.mark.parametrize("preset", ["today", "7d", "30d", "90d", "month"])
@pytest.mark.parametrize("grain", ["day", "week", "month"])
def test_overview_equals_raw_rows(demo_shop, preset, grain):
    r = an.DayRange.preset(preset, DEMO_NOW)
    ov = an.overview(first=r.first, last=r.last, grain=grain)
    sales = load_sales(demo_shop.db_file)
    cases = _refunds(demo_shop.db_file, r)

    def figures(first: date, last: date) -> tuple:
        mine = [s for s in sales if first <= _d(s.day) <= last]
        refunds = [fen for at, fen in cases if first <= _d((at + BEIJING) // 86400) <= last]
        return (
            len(mine),
            sum(s.units for s in mine),
            sum(s.pay_fen for s in mine),
            len({s.buyer for s in mine if s.buyer}),  # known buyers only
            len(refunds),
            sum(refunds),
        )

    for row in ov.rows:
        got = (row.orders, row.units, row.gmv_fen, row.buyers, row.refunds, row.refund_fen)
        assert got == figures(row.first, row.last), row.label
    assert ov.rows[0].first == r.first and ov.rows[-1].last == r.last
    assert all(a.last + timedelta(days=1) == b.first for a, b in zip(ov.rows, ov.rows[1:], strict=False))
    t = ov.total
    assert (t.orders, t.units, t.gmv_fen, t.buyers, t.refunds, t.refund_fen) == figures(r.first, r.last)
    p = r.previous()
    po = ov.previous
    assert (po.orders, po.units, po.gmv_fen, po.buyers, po.refunds, po.refund_fen) == figures(p.first, p.last)
    assert t.orders > 0


def test_overview_agrees_with_the_home_page(demo_shop):
    snap = home.home_snapshot(DEMO_NOW)
    for preset_first, figures in (
        (an.DayRange(TODAY, TODAY), snap.today),
        (an.DayRange(TODAY - timedelta(days=1), TODAY - timedelta(days=1)), snap.yesterday),
        (an.DayRange.preset("7d", DEMO_NOW), snap.last_7_days),
    ):
        ov = an.overview(first=preset_first.first, last=preset_first.last).total
        assert (ov.orders, ov.gmv_fen, ov.buyers, ov.refunds, ov.refund_fen, ov.avg_order_fen) == (
            figures.orders,
            figures.gmv_fen,
            figures.buyers,
            figures.refunds,
            figures.refund_fen,
            figures.avg_order_fen,
        )
        assert figures.orders > 0


def _goods_oracle(sales, r: an.DayRange, *, sku: bool):
    out: dict = defaultdict(lambda: [set(), 0, 0, set(), set()])
    for s in sales:
        if not _in(s, r):
            continue
        for (g, k), (units, gmv) in s.split().items():
            acc = out[(g, k) if sku else g]
            acc[0].add(s.id)
            acc[1] += units
            acc[2] += gmv
            acc[3].add(s.buyer)
            if s.refunded:
                acc[4].add(s.id)
    return {key: (len(a[0]), a[1], a[2], len(a[3]), len(a[4])) for key, a in out.items()}


def test_hot_items_equal_raw_rows(demo_shop):
    r = an.DayRange.preset("90d", DEMO_NOW)
    hot = an.hot_items(first=r.first, last=r.last, now=DEMO_NOW)
    sales = load_sales(demo_shop.db_file)
    want = _goods_oracle(sales, r, sku=False)
    prev = _goods_oracle(sales, r.previous(), sku=False)
    got = {f.goods_id: (f.orders, f.units, f.gmv_fen, f.buyers, f.refunded_orders) for f in hot.goods}
    assert got == want
    for f in hot.goods:
        p = prev.get(f.goods_id, (0, 0, 0, 0, 0))
        assert (f.prev_orders, f.prev_units, f.prev_gmv_fen) == p[:3]
        assert f.refund_rate == (want[f.goods_id][4] / want[f.goods_id][0])
    assert [f.gmv_fen for f in hot.goods] == sorted((f.gmv_fen for f in hot.goods), reverse=True)
    assert any(f.refunded_orders for f in hot.goods)
    want_sku = _goods_oracle(sales, r, sku=True)
    got_sku = {
        (f.goods_id, f.sku_id): (f.orders, f.units, f.gmv_fen, f.buyers, f.refunded_orders) for f in hot.skus
    }
    assert got_sku == want_sku
    # ABC: ordered by GMV, A covers the first 80 %, B up to 95 %.
    total = sum(v[2] for v in want.values())
    before = 0
    for f in hot.goods:
        cls = "A" if before < 0.8 * total else "B" if before < 0.95 * total else "C"
        assert f.abc == cls
        before += f.gmv_fen
    assert {f.abc for f in hot.goods} == {"A", "B", "C"}


def test_slow_movers_and_stock_cover_equal_raw_rows(demo_shop):
    r = an.DayRange.preset("30d", DEMO_NOW)
    hot = an.hot_items(first=r.first, last=r.last, slow_days=20, rate_days=14, now=DEMO_NOW)
    sales = load_sales(demo_shop.db_file)
    conn = sqlite3.connect(demo_shop.db_file)
    stock = {s: (g, n) for s, g, n in conn.execute("SELECT sku_id, goods_id, stock FROM sku")}
    conn.close()
    last_sale: dict[int, int] = {}
    recent: Counter = Counter()
    today_day = (TODAY - EPOCH).days
    for s in sales:
        for (_g, k), (units, _gmv) in s.split().items():
            last_sale[k] = max(last_sale.get(k, -1), s.day)
            if today_day - 14 < s.day <= today_day:
                recent[k] += units
    want_slow = {
        k: (n, _d(last_sale[k]) if k in last_sale else None)
        for k, (_g, n) in stock.items()
        if n > 0 and (k not in last_sale or last_sale[k] <= today_day - 20)
    }
    assert {m.sku_id: (m.stock, m.last_sale) for m in hot.slow_movers} == want_slow
    assert want_slow
    want_cover = {k: n * 14 / recent[k] for k, (_g, n) in stock.items() if recent[k] > 0}
    got_cover = {c.sku_id: c.cover_days for c in hot.stock_cover}
    assert got_cover == pytest.approx(want_cover)
    for c in hot.stock_cover:
        assert c.stock_out == TODAY + timedelta(days=int(want_cover[c.sku_id]))
    assert [c.cover_days for c in hot.stock_cover] == sorted(c.cover_days for c in hot.stock_cover)


def test_goods_trend_with_seven_day_average(demo_shop):
    r = an.DayRange.preset("30d", DEMO_NOW)
    hot = an.hot_items(first=r.first, last=r.last, now=DEMO_NOW)
    goods_id = hot.goods[0].goods_id
    points = an.goods_trend(goods_id=goods_id, first=r.first, last=r.last)
    sales = load_sales(demo_shop.db_file)
    per_day: Counter = Counter()
    units_day: Counter = Counter()
    for s in sales:
        for (g, _k), (units, gmv) in s.split().items():
            if g == goods_id:
                per_day[s.day] += gmv
                units_day[s.day] += units
    assert len(points) == 30 and points[0].day == r.first
    for p in points:
        day = (p.day - EPOCH).days
        assert (p.gmv_fen, p.units) == (per_day[day], units_day[day])
        window = sum(per_day[d] for d in range(day - 6, day + 1))
        assert p.avg7_gmv_fen == (window * 2 + 7) // 14
        assert p.avg7_units == pytest.approx(sum(units_day[d] for d in range(day - 6, day + 1)) / 7)


def test_customers_equal_raw_rows(demo_shop):
    r = an.DayRange.preset("90d", DEMO_NOW)
    cu = an.customers(first=r.first, last=r.last, now=DEMO_NOW)
    sales = [s for s in load_sales(demo_shop.db_file) if s.buyer]
    first_day: dict[str, int] = {}
    for s in sales:
        first_day[s.buyer] = min(first_day.get(s.buyer, s.day), s.day)
    for bd in cu.days:
        day = (bd.day - EPOCH).days
        buyers = {s.buyer for s in sales if s.day == day}
        assert (bd.buyers, bd.new) == (len(buyers), sum(first_day[b] == day for b in buyers))
    in_range = Counter(s.buyer for s in sales if _in(s, r))
    assert (cu.buyers, cu.repeat_buyers) == (len(in_range), sum(n >= 2 for n in in_range.values()))
    assert 0 < cu.repeat_rate < 1
    # RFM over all history as of today.
    spend: Counter = Counter()
    orders: Counter = Counter()
    last: dict[str, int] = {}
    for s in sales:
        spend[s.buyer] += s.pay_fen
        orders[s.buyer] += 1
        last[s.buyer] = max(last.get(s.buyer, s.day), s.day)
    values = sorted(spend.values())
    line = values[len(values) // 2]
    assert cu.rfm_spend_line_fen == line
    today_day = (TODAY - EPOCH).days
    groups: dict = defaultdict(lambda: [0, 0])
    for b in spend:
        key = (last[b] > today_day - 30, orders[b] >= 2, spend[b] >= line)
        groups[key][0] += 1
        groups[key][1] += spend[b]
    assert {(g.recent, g.frequent, g.big): (g.buyers, g.gmv_fen) for g in cu.rfm if g.buyers} == {
        k: tuple(v) for k, v in groups.items()
    }
    assert len({g.name for g in cu.rfm}) == 8
    # Provinces and the hour × weekday heat map (all paid orders, known buyer or not).
    everyone = [s for s in load_sales(demo_shop.db_file) if _in(s, r)]
    prov: dict = defaultdict(lambda: [0, 0])
    heat = [[0] * 24 for _ in range(7)]
    for s in everyone:
        prov[s.province][0] += 1
        prov[s.province][1] += s.pay_fen
        heat[_d(s.day).weekday()][s.hour] += 1
    assert {p: (o, g) for p, o, g in cu.provinces} == {p: tuple(v) for p, v in prov.items()}
    assert [o for _p, o, _g in cu.provinces] == sorted((o for _p, o, _g in cu.provinces), reverse=True)
    assert [list(row) for row in cu.heat] == heat
    # Monthly cohorts from the range's first month.
    start = (r.first.replace(day=1) - EPOCH).days
    months = defaultdict(set)
    for s in sales:
        months[(s.buyer, _d(s.day).strftime("%Y-%m"))].add(s.id)
    cohort_of = {b: _d(d).strftime("%Y-%m") for b, d in first_day.items() if start <= d <= r.last_day}
    for c in cu.cohorts:
        members = [b for b, m in cohort_of.items() if m == c.month]
        assert c.size == len(members)
        y, m = map(int, c.month.split("-"))
        for k, active in enumerate(c.active):
            mm = (y * 12 + m - 1) + k
            key = f"{mm // 12:04d}-{mm % 12 + 1:02d}"
            assert active == sum(1 for b in members if (b, key) in months), (c.month, k)
    assert len(cu.cohorts) >= 3 and cu.cohorts[0].retention(1) > 0


def test_figure_orders_are_exactly_the_orders_behind_the_figure(demo_shop):
    r = an.DayRange.preset("30d", DEMO_NOW)
    sales = [s for s in load_sales(demo_shop.db_file) if _in(s, r)]
    hot = an.hot_items(first=r.first, last=r.last, now=DEMO_NOW)
    g = hot.goods[0].goods_id
    assert set(an.figure_orders(first=r.first, last=r.last, goods_id=g)) == {
        s.id for s in sales if any(line[0] == g for line in s.lines)
    }
    day = r.last - timedelta(days=3)
    assert set(an.figure_orders(first=day, last=day)) == {s.id for s in sales if _d(s.day) == day}
    assert set(an.figure_orders(first=r.first, last=r.last, weekday=2, hour=20)) == {
        s.id for s in sales if _d(s.day).weekday() == 2 and s.hour == 20
    }
    prov = sales[0].province
    assert set(an.figure_orders(first=r.first, last=r.last, province=prov)) == {
        s.id for s in sales if s.province == prov
    }


@pytest.mark.parametrize(
    ("first", "last", "message"),
    [
        ("2026-11-30", "2026-11-01", "早于"),
        ("2026/11/01", None, "不是有效日期"),
        ("2020-01-01", "2026-11-01", "最多"),
    ],
)
def test_bad_ranges_are_refused_in_chinese(first, last, message):
    with pytest.raises(ValidationError, match=message):
        an.DayRange.parse(first, last, DEMO_NOW)


def test_empty_shop_has_empty_figures(empty_shop):
    r = an.DayRange.preset("30d")
    ov = an.overview(first=r.first, last=r.last)
    assert len(ov.rows) == 30 and ov.total.orders == 0 and ov.total.avg_order_fen == 0
    hot = an.hot_items(first=r.first, last=r.last)
    assert hot.goods == () and hot.stock_cover == ()
    cu = an.customers(first=r.first, last=r.last)
    assert cu.buyers == 0 and cu.repeat_rate == 0 and cu.cohorts == ()


def test_order_filter_by_ids_lists_exactly_those_orders(demo_shop):
    """The click-through term: exactly the given orders, ANDed with the tab and the other terms."""
    from pdd_desktop.services import orders as order_service

    r = an.DayRange.preset("30d", DEMO_NOW)
    prov = load_sales(demo_shop.db_file)[0].province
    ids = an.figure_orders(first=r.first, last=r.last, province=prov)
    assert ids
    f = order_service.OrderFilter(view="all", order_ids=tuple(ids), order_ids_label="广东省")
    for sort in ("urgency", "created_desc", "amount_desc"):
        assert sorted(order_service.search_ids(f, sort=sort)) == sorted(ids)
        assert order_service.search_ids(f, sort=sort, limit=5) == order_service.search_ids(f, sort=sort)[:5]
    assert order_service.count_orders(f) == len(ids)
    conn = sqlite3.connect(demo_shop.db_file)
    to_ship = {i for (i,) in conn.execute('SELECT id FROM "order" WHERE status = 1')}
    conn.close()
    assert set(order_service.search_ids(order_service.OrderFilter(view="to_ship", order_ids=tuple(ids)))) == (
        set(ids) & to_ship
    )
    with pytest.raises(ValidationError, match="整数"):
        order_service.search_ids(order_service.OrderFilter(order_ids=("1; DROP",)))
    # Saving the filter keeps everything but the moment's order list.
    order_service.save_filter(name="广东", f=f)
    saved = dict(order_service.saved_filters())["广东"]
    assert saved.order_ids == () and saved.order_ids_label == "" and saved.view == "all"
