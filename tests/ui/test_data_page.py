"""数据 page: figures on screen against the raw order rows, range changes, hover read-outs,
click-through to 发货中心 with exactly the orders behind a bar, exports, empty and wrong ranges.
"""

from __future__ import annotations

import csv
from datetime import date, timedelta

from openpyxl import load_workbook
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtWidgets import QApplication

from pdd_desktop.domain.money import format_yuan
from tests.helpers.pages import page_fixture
from tests.helpers.sales_oracle import load_sales

TODAY = date(2026, 11, 23)
EPOCH = date(1970, 1, 1)

page = page_fixture("data", lambda p: p.overview is not None, size=(1280, 800))


def _sales_between(db, first: date, last: date):
    return [s for s in load_sales(db) if first <= EPOCH + timedelta(days=s.day) <= last]


def _scene_point(chart, index: int) -> QPointF:
    """The scene position of category ``index`` (the middle of its bar)."""
    vb = chart.plot.vb
    (x0, x1), (y0, y1) = vb.viewRange()
    if chart.horizontal:
        return vb.mapViewToScene(QPointF((x0 + x1) / 50, index))
    return vb.mapViewToScene(QPointF(index, (y0 + y1) / 50 + y0))


def _mouse(qtbot, chart, index: int, *, click: bool) -> None:
    widget = chart.widget
    pos = widget.mapFromScene(_scene_point(chart, index))
    qtbot.mouseMove(widget.viewport(), pos + QPoint(3, 3))  # a move Qt cannot skip as "no change"
    qtbot.mouseMove(widget.viewport(), pos)
    QApplication.processEvents()
    if click:
        qtbot.mouseClick(widget.viewport(), Qt.MouseButton.LeftButton, pos=pos)
        QApplication.processEvents()


def test_overview_shows_the_raw_figures_and_follows_the_range(qtbot, page, demo_shop):
    v = page.view
    assert v.range_combo.currentData() == "30d"
    sales = _sales_between(demo_shop.db_file, TODAY - timedelta(days=29), TODAY)
    assert v.kpis["orders"].value_label.text() == f"{len(sales):,}"
    assert v.kpis["gmv"].value_label.text() == format_yuan(sum(s.pay_fen for s in sales))
    assert v.kpis["buyers"].value_label.text() == f"{len({s.buyer for s in sales if s.buyer}):,}"
    assert v.gmv_chart.state == "ready" and len(v.gmv_chart.categories) == 30
    assert sum(v.orders_chart.series["订单数"]) == len(sales)
    with qtbot.waitSignal(page.view_shown):
        v.range_combo.setCurrentIndex(v.range_combo.findData("7d"))
    week = _sales_between(demo_shop.db_file, TODAY - timedelta(days=6), TODAY)
    assert v.kpis["orders"].value_label.text() == f"{len(week):,}"
    assert len(v.gmv_chart.categories) == 7
    assert v.gmv_chart.series["成交金额（元）"] == [
        sum(s.pay_fen for s in week if EPOCH + timedelta(days=s.day) == TODAY - timedelta(days=6 - i)) / 100
        for i in range(7)
    ]
    with qtbot.waitSignal(page.view_shown):
        v.grain_combo.setCurrentIndex(v.grain_combo.findData("week"))
    assert len(v.gmv_chart.categories) == 2  # 11-17 … 11-23 spans two Monday-based weeks
    assert "近7天" in v.range_combo.currentText()


def test_hover_shows_the_day_and_click_opens_exactly_its_orders(qtbot, window, page, demo_shop):
    chart = page.view.gmv_chart
    index = 27
    day = TODAY - timedelta(days=29 - index)
    _mouse(qtbot, chart, index, click=False)
    assert f"{day:%Y-%m-%d}" in chart.readout.text()
    _mouse(qtbot, chart, index, click=True)
    assert window.current_key() == "orders"
    orders = window.page("orders")
    qtbot.waitUntil(lambda: orders.model.ids is not None and orders.current_filter().paid_from is not None)
    want = {s.id for s in _sales_between(demo_shop.db_file, day, day)}
    assert want and set(orders.model.ids) == want


def test_goods_ranking_equals_raw_rows_and_click_opens_its_orders(qtbot, window, page, demo_shop):
    v = page.view
    with qtbot.waitSignal(page.view_shown):
        v.tabs.setCurrentIndex(1)
    sales = _sales_between(demo_shop.db_file, TODAY - timedelta(days=29), TODAY)
    gmv: dict[int, int] = {}
    for s in sales:
        for (g, _k), (_u, fen) in s.split().items():
            gmv[g] = gmv.get(g, 0) + fen
    ranked = sorted(gmv.items(), key=lambda kv: -kv[1])
    assert v.rank_table.rowCount() == len(gmv)
    assert v.rank_table.item(0, 3).text() == format_yuan(ranked[0][1])
    assert v.rank_chart.series[next(iter(v.rank_chart.series))][:3] == [fen / 100 for _g, fen in ranked[:3]]
    assert v.trend_chart.state == "ready" and len(v.trend_chart.categories) == 30
    cover = page.hot.stock_cover
    assert v.cover_table.rowCount() == len(cover) and v.slow_table.rowCount() == len(page.hot.slow_movers)
    for row, c in enumerate(cover):
        assert v.cover_table.item(row, 5).text() == ("已售罄" if c.stock <= 0 else f"{c.stock_out:%Y-%m-%d}")
    # Units instead of GMV re-ranks without a new query.
    v.metric_combo.setCurrentIndex(v.metric_combo.findData("units"))
    units = next(iter(v.rank_chart.series.values()))
    assert units == sorted(units, reverse=True)
    v.metric_combo.setCurrentIndex(v.metric_combo.findData("gmv"))
    goods_id = page._rank_items[1].goods_id
    _mouse(qtbot, v.rank_chart, 1, click=True)
    assert window.current_key() == "orders"
    orders = window.page("orders")
    qtbot.waitUntil(lambda: orders.current_filter().goods == str(goods_id))
    want = {s.id for s in sales if any(line[0] == goods_id for line in s.lines)}
    qtbot.waitUntil(lambda: set(orders.model.ids or []) == want)


def test_customers_tab_and_heat_map_readout(qtbot, page, demo_shop):
    v = page.view
    with qtbot.waitSignal(page.view_shown):
        v.tabs.setCurrentIndex(2)
    sales = [s for s in _sales_between(demo_shop.db_file, TODAY - timedelta(days=29), TODAY) if s.buyer]
    assert v.customer_kpis["buyers"].value_label.text() == f"{len({s.buyer for s in sales}):,}"
    assert len(v.buyers_chart.categories) == 30
    assert sum(v.buyers_chart.series["新买家"]) + sum(v.buyers_chart.series["老买家"]) == len(
        {(s.day, s.buyer) for s in sales}
    )
    heat = page.customers.heat
    w, h = max(((w, h) for w in range(7) for h in range(24)), key=lambda wh: heat[wh[0]][wh[1]])
    # The scene position of the cell (mouse delivery itself is covered by the GMV chart's test).
    v.heat_chart._on_mouse_moved(v.heat_chart.plot.vb.mapViewToScene(QPointF(h + 0.5, w + 0.5)))
    assert f"订单 {heat[w][h]:,}" in v.heat_chart.readout.text()
    assert v.cohort_table.rowCount() == len(page.customers.cohorts) >= 1


def test_province_and_heat_cells_open_exactly_their_orders(qtbot, window, page, demo_shop):
    v = page.view
    with qtbot.waitSignal(page.view_shown):
        v.tabs.setCurrentIndex(2)
    sales = _sales_between(demo_shop.db_file, TODAY - timedelta(days=29), TODAY)
    province = page.customers.provinces[1][0]
    v.province_chart.clicked.emit(1)
    assert window.current_key() == "orders"
    orders = window.page("orders")
    want = {s.id for s in sales if s.province == province}
    qtbot.waitUntil(lambda: set(orders.model.ids or []) == want)
    chip = orders.view.ids_chip
    assert chip.isVisible() and province in chip.text() and f"{len(want):,} 单" in chip.text()
    assert orders.current_filter().order_ids_label.startswith("数据：")
    chip.click()  # back to every order paid in the range
    qtbot.waitUntil(lambda: len(orders.model.ids or []) == len(sales))
    assert not chip.isVisible()
    window.show_page("data")
    v.heat_chart.clicked.emit(2 * 24 + 21)  # 周三 21 点
    want = {s.id for s in sales if (EPOCH + timedelta(days=s.day)).weekday() == 2 and s.hour == 21}
    qtbot.waitUntil(lambda: set(window.page("orders").model.ids or []) == want)
    assert "周三 21 点" in window.page("orders").view.ids_chip.text()


def test_exports_write_the_png_and_the_data(qtbot, page, tmp_path, monkeypatch):
    chart = page.view.gmv_chart
    png = tmp_path / "chart.png"
    monkeypatch.setattr(page, "ask_save_path", lambda *_a: str(png))
    chart.png_button.click()
    qtbot.waitUntil(png.exists)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    for name in ("data.xlsx", "data.csv"):
        out = tmp_path / name
        monkeypatch.setattr(page, "ask_save_path", lambda *_a, o=out: str(o))
        chart.data_button.click()
        qtbot.waitUntil(out.exists)
        if name.endswith(".csv"):
            with open(out, encoding="utf-8-sig", newline="") as fh:
                rows = list(csv.reader(fh))
        else:
            rows = [[str(c) for c in r] for r in load_workbook(out).active.iter_rows(values_only=True)]
        assert rows[0][:2] == ["日期", "订单数"]
        assert len(rows) == 1 + 30 + 1 and rows[-1][0] == "合计"
        assert rows[-1][1] == page.view.kpis["orders"].value_label.text().replace(",", "")


def test_empty_range_and_wrong_custom_range(qtbot, page):
    v = page.view
    with qtbot.waitSignal(page.view_shown):
        page.set_range("custom", date(2020, 1, 1), date(2020, 1, 31))
    assert v.from_edit.isVisible() and v.to_edit.isVisible()
    assert v.gmv_chart.state == "empty" and "没有支付订单" in v.gmv_chart.state_label.text()
    assert not v.gmv_chart.png_button.isEnabled()
    assert v.kpis["orders"].value_label.text() == "0"
    before = page.overview
    page.set_range("custom", date(2020, 2, 1), date(2020, 1, 1))
    assert "早于" in v.range_label.text()
    assert page.overview is before  # nothing was queried


def test_range_switch_does_not_block_and_drops_stale_answers(qtbot, page):
    """Each switch runs one query; only the last range's answer is drawn."""
    v = page.view
    for key in ("today", "90d", "month"):
        v.range_combo.setCurrentIndex(v.range_combo.findData(key))
    qtbot.waitUntil(lambda: page.overview is not None and page.overview.range.first == TODAY.replace(day=1))
    assert len(v.gmv_chart.categories) == TODAY.day
