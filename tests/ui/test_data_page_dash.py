"""数据 page, the figures added last: margin column, price bands, late shipping, time to second order,
spend bands, and click-through from them and from an RFM group to exactly their orders.
"""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta

from pdd_desktop.domain.money import format_yuan
from tests.conftest import DEMO_NOW
from tests.helpers.pages import page_fixture
from tests.helpers.sales_oracle import load_sales

TODAY = date(2026, 11, 23)
EPOCH = date(1970, 1, 1)
FIRST = TODAY - timedelta(days=29)

page = page_fixture("data", lambda p: p.overview is not None, size=(1280, 900))


def _in_range(s) -> bool:
    return FIRST <= EPOCH + timedelta(days=s.day) <= TODAY


def _open_tab(qtbot, page, index: int) -> None:
    with qtbot.waitSignal(page.view_shown, timeout=10000):
        page.view.tabs.setCurrentIndex(index)


def test_price_bands_late_share_and_margin_on_screen(qtbot, window, page, demo_shop):
    v = page.view
    _open_tab(qtbot, page, 1)
    sales = [s for s in load_sales(demo_shop.db_file) if _in_range(s)]
    sums: dict[int, list[int]] = {}
    for s in sales:
        for (_g, k), (units, gmv) in s.split().items():
            acc = sums.setdefault(k, [0, 0])
            acc[0] += units
            acc[1] += gmv
    bands = page.hot.price_bands
    want = [
        sum(
            u
            for u, g in sums.values()
            if u and g >= b.low_fen * u and (b.high_fen is None or g < b.high_fen * u)
        )
        for b in bands
    ]
    assert v.price_chart.series["件数"] == want and sum(want) == sum(u for u, _g in sums.values())
    assert v.price_chart.categories[0] == "0–10 元"
    # Gross margin from the cost prices entered on the SKUs; 未填成本 where one is missing.
    conn = sqlite3.connect(demo_shop.db_file)
    costs = dict(conn.execute("SELECT sku_id, cost_price_fen FROM sku"))
    conn.close()
    margin: dict[int, int | None] = {}
    for s in sales:
        for (g, k), (units, gmv) in s.split().items():
            have = margin.get(g, 0)
            margin[g] = None if have is None or costs.get(k) is None else have + gmv - costs[k] * units
    col = [v.rank_table.horizontalHeaderItem(c).text() for c in range(v.rank_table.columnCount())].index(
        "毛利（按您录入的成本价）"
    )
    shown = {f.goods_id: v.rank_table.item(r, col).text() for r, f in enumerate(page._rank_items)}
    assert shown == {g: "未填成本" if m is None else format_yuan(m) for g, m in margin.items()}
    assert set(shown.values()) != {"未填成本"}
    # Late shipping: the chart's first bar is the goods with the most late orders.
    assert v.late_chart.state == "ready"
    top = page._late_items()[0]
    assert v.late_chart.series["超时发货占比 %"][0] == top.ship_late * 100 / top.ship_due
    # A click on a price band opens exactly the orders holding one of its SKUs.
    index = max(range(len(bands)), key=lambda i: want[i])
    skus = {k for k, (u, g) in sums.items() if u and g >= bands[index].low_fen * u
            and (bands[index].high_fen is None or g < bands[index].high_fen * u)}  # fmt: skip
    v.price_chart.clicked.emit(index)
    orders = window.page("orders")
    expect = {s.id for s in sales if any(line[1] in skus for line in s.lines)}
    qtbot.waitUntil(lambda: window.current_key() == "orders" and set(orders.model.ids or []) == expect)
    assert "价格带" in orders.view.ids_chip.text()
    # And a late bar opens that goods' late orders.
    window.show_page("data")
    v.late_chart.clicked.emit(0)
    late = {
        s.id
        for s in sales
        if s.deadline_at is not None
        and any(line[0] == top.goods_id for line in s.lines)
        and (
            (s.shipped_at is not None and s.shipped_at > s.deadline_at)
            or (s.shipped_at is None and s.status == 1 and s.deadline_at < DEMO_NOW)
        )
    }
    assert late
    qtbot.waitUntil(lambda: window.current_key() == "orders" and set(orders.model.ids or []) == late)


def test_margin_uses_entered_costs_and_says_when_one_is_missing(qtbot, page, demo_shop):
    conn = sqlite3.connect(demo_shop.db_file)
    with conn:
        conn.execute("UPDATE sku SET cost_price_fen = 100")
        goods = conn.execute(
            'SELECT i.goods_id FROM order_item i JOIN "order" o ON o.id = i.order_id WHERE o.paid_at >= ? '
            "GROUP BY 1 ORDER BY COUNT(*) DESC LIMIT 1",
            (DEMO_NOW - 20 * 86400,),
        ).fetchone()[0]
        conn.execute("UPDATE sku SET cost_price_fen = NULL WHERE goods_id = ?", (goods,))
        conn.execute("DELETE FROM cost_price_history")  # no history: each SKU's current cost applies
    conn.close()
    _open_tab(qtbot, page, 1)
    v = page.view
    v.metric_combo.setCurrentIndex(v.metric_combo.findData("margin"))
    margins = next(iter(v.rank_chart.series.values()))
    assert margins == sorted(margins, reverse=True)
    top = page._rank_items[0]
    assert margins[0] == (top.gmv_fen - 100 * top.units) / 100
    col = [v.rank_table.horizontalHeaderItem(c).text() for c in range(v.rank_table.columnCount())].index(
        "毛利（按您录入的成本价）"
    )
    shown = {f.goods_id: v.rank_table.item(r, col).text() for r, f in enumerate(page._rank_items)}
    assert shown[goods] == "未填成本"
    assert page._rank_items[-1].goods_id == goods  # without a margin it ranks last
    assert sum(t == "未填成本" for t in shown.values()) == 1


def test_second_order_spend_and_rfm_click_through(qtbot, window, page, demo_shop):
    v = page.view
    _open_tab(qtbot, page, 2)
    sales = [s for s in load_sales(demo_shop.db_file) if s.buyer]
    history: dict[str, list] = {}
    for s in sales:
        history.setdefault(s.buyer, []).append(s)
    first_day, last_day = (FIRST - EPOCH).days, (TODAY - EPOCH).days
    gaps = {}
    for b, hs in history.items():
        hs.sort(key=lambda s: (s.day, s.id))
        if first_day <= hs[0].day <= last_day:
            gaps[b] = hs[1].day - hs[0].day if len(hs) > 1 else None
    bands = page.customers.second_order.bands
    assert v.gap_chart.series["买家数"] == [
        sum(1 for g in gaps.values() if g is not None and g >= lo and (hi is None or g < hi))
        for _l, lo, hi, _n in bands
    ]
    spend = {b: sum(s.pay_fen for s in hs) for b, hs in history.items()}
    sb = page.customers.spend_bands
    assert v.spend_chart.series["买家数"] == [
        sum(1 for x in spend.values() if x >= b.low_fen and (b.high_fen is None or x < b.high_fen))
        for b in sb
    ]
    assert "间隔中位数" in v.gap_chart.readout.text()
    in_range = [s for s in sales if _in_range(s)]
    orders = window.page("orders")
    # The largest spend band: the orders of the range of exactly its buyers.
    i = max(range(len(sb)), key=lambda k: sb[k].count)
    members = {
        b for b, x in spend.items() if x >= sb[i].low_fen and (sb[i].high_fen is None or x < sb[i].high_fen)
    }
    v.spend_chart.clicked.emit(i)
    expect = {s.id for s in in_range if s.buyer in members}
    qtbot.waitUntil(lambda: window.current_key() == "orders" and set(orders.model.ids or []) == expect)
    # An RFM group (重要价值客户: recent, frequent, big).
    window.show_page("data")
    line = page.customers.rfm_spend_line_fen
    seg = next(g for g in page.customers.rfm if g.recent and g.frequent and g.big)
    members = {
        b for b, hs in history.items() if hs[-1].day > last_day - 30 and len(hs) >= 2 and spend[b] >= line
    }
    assert len(members) == seg.buyers > 0
    v.rfm_chart.clicked.emit(page.customers.rfm.index(seg))
    expect = {s.id for s in in_range if s.buyer in members}
    qtbot.waitUntil(lambda: window.current_key() == "orders" and set(orders.model.ids or []) == expect)
    assert "重要价值客户" in orders.view.ids_chip.text()
    # A time-to-second-order band.
    window.show_page("data")
    k = next(k for k, (_l, _lo, _hi, n) in enumerate(bands) if n)
    _label, lo, hi, _n = bands[k]
    members = {b for b, g in gaps.items() if g is not None and g >= lo and (hi is None or g < hi)}
    v.gap_chart.clicked.emit(k)
    expect = {s.id for s in in_range if s.buyer in members}
    qtbot.waitUntil(lambda: window.current_key() == "orders" and set(orders.model.ids or []) == expect)


def test_screenshots_of_each_dashboard(qtbot, page, tmp_path):
    """Chinese labels render on every tab (the PNGs are kept for a look)."""
    for index, name in enumerate(("overview", "hot", "customers")):
        if index:
            _open_tab(qtbot, page, index)
        stack = page.view.stack.currentWidget()
        body = stack.widget()
        body.resize(1280, body.sizeHint().height())
        image = body.grab()
        assert not image.isNull() and image.height() > 600
        image.save(str(tmp_path / f"data_{name}.png"))
