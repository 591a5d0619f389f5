"""数据 page as a new merchant meets it: a real shop fed only by order files (no buyer identity)
still sees where and when its orders were paid, and the band charts' axis labels fit at 1280×800.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtGui import QColor, QFontMetrics, QImage

from pdd_desktop.common import clock
from pdd_desktop.common.timefmt import local_date_start
from pdd_desktop.domain.money import format_yuan
from pdd_desktop.jobs.events import AppEvents
from pdd_desktop.jobs.runner import ImmediateRunner
from pdd_desktop.services import imports
from pdd_desktop.services import shop as shop_service
from pdd_desktop.ui.pages.base import PageContext
from tests.conftest import DEMO_NOW
from tests.fixtures.exports import make_exports as mx
from tests.helpers.db import raw_rows
from tests.helpers.pages import page_fixture

TODAY = date(2026, 11, 23)
FIRST = TODAY - timedelta(days=29)

page = page_fixture("data", lambda p: p.overview is not None, size=(1280, 800))


def _open_tab(qtbot, page, index: int) -> None:
    with qtbot.waitSignal(page.view_shown, timeout=10000):
        page.view.tabs.setCurrentIndex(index)


@pytest.fixture
def file_shop(request, tmp_path, demo_template):
    """A real (non-demo) shop holding only what a platform order export brings (no buyer keys)."""
    shop = request.getfixturevalue("empty_shop")
    clock.set_clock(lambda: DEMO_NOW)
    orders = mx.order_rows(demo_template, "paid_at > ?", (DEMO_NOW - 40 * 86400,), limit=2000)
    path = mx.write(tmp_path / "orders.csv", mx.table(orders, "old"), "gb18030")
    result = imports.apply_import(imports.check_import_file(path))
    assert result.new == len(orders) > 100
    return shop


@pytest.fixture
def page_ctx(file_shop, qapp):
    return PageContext(ImmediateRunner(), AppEvents(), file_shop, shop_service.describe_shop(file_shop))


def _raw(db, sql: str) -> list[tuple]:
    lo, hi = local_date_start(FIRST), local_date_start(TODAY + timedelta(days=1))
    return raw_rows(db, sql.replace("PAID", f"paid_at >= {lo} AND paid_at < {hi}"))


def test_a_file_fed_shop_sees_provinces_and_hours_not_no_sales(qtbot, window, page, file_shop):
    v = page.view
    ((orders, gmv),) = _raw(file_shop.db_file, 'SELECT COUNT(*), SUM(pay_amount_fen) FROM "order" WHERE PAID')
    assert orders > 100 and v.kpis["orders"].value_label.text() == f"{orders:,}"
    assert v.kpis["gmv"].value_label.text() == format_yuan(gmv)
    assert raw_rows(file_shop.db_file, "SELECT COUNT(*) FROM \"order\" WHERE buyer_key != ''") == [(0,)]
    _open_tab(qtbot, page, 2)
    by_province = dict(
        _raw(file_shop.db_file, 'SELECT province, COUNT(*) FROM "order" WHERE PAID GROUP BY 1')
    )
    assert v.province_chart.state == "ready"
    shown = dict(zip(v.province_chart.categories, v.province_chart.series["订单数"], strict=True))
    top = sorted(by_province.items(), key=lambda kv: (-kv[1], kv[0]))[:15]
    assert shown == {p or "未知": n for p, n in top}
    assert v.heat_chart.state == "ready" and sum(v.heat_chart.series["heat"]) == orders
    for chart in (v.buyers_chart, v.rfm_chart, v.gap_chart, v.spend_chart):
        assert chart.state == "empty"
        assert "没有买家标识" in chart.state_label.text() and "没有支付订单" not in chart.state_label.text()
    assert v.customer_kpis["buyers"].value_label.text() == "—"
    assert v.customer_kpis["repeat"].value_label.text() == "—"
    assert v.customer_kpis["repeat"].change_label.text() == "订单没有买家标识"
    # A province bar still opens exactly its orders.
    province = page.customers.provinces[0][0]
    with qtbot.waitSignal(page.orders_requested) as sent:
        v.province_chart.clicked.emit(0)
    want = {
        i
        for (i,) in _raw(
            file_shop.db_file, f"SELECT id FROM \"order\" WHERE PAID AND province = '{province}'"
        )
    }
    assert set(sent.args[0].order_ids) == want


def _assert_ticks_fit(chart) -> None:
    axis = chart.plot.getAxis("bottom")
    font = axis.style.get("tickFont") or chart.widget.font()
    metrics = QFontMetrics(font)
    texts = [text for _x, text in axis._tickLevels[0]]
    assert len(texts) == len(chart.categories)
    slot = chart.plot.vb.width() / len(chart.categories)
    for text in texts:
        assert metrics.horizontalAdvance(text) + 4 <= slot, (text, slot)


def test_band_charts_axis_labels_fit_at_1280(qtbot, window, page, demo_shop):
    v = page.view
    _open_tab(qtbot, page, 1)
    assert v.price_chart.categories[-1] == "500 元以上"  # read-outs and files keep the unit
    _assert_ticks_fit(v.price_chart)
    assert v.price_chart.plot.getAxis("bottom").labelText == "成交均价（元）"
    _open_tab(qtbot, page, 2)
    _assert_ticks_fit(v.spend_chart)
    assert v.spend_chart.plot.getAxis("bottom").labelText == "累计消费（元）"


def _dark_pixels_on_top(path, share: float = 0.1, start: int = 0) -> int:
    image = QImage(str(path))
    rows = int(image.height() * share)
    return sum(
        1
        for y in range(start, rows)
        for x in range(0, image.width(), 2)
        if max(QColor(image.pixel(x, y)).getRgb()[:3]) < 80
    )


def test_a_chart_picture_says_what_and_which_dates(qtbot, page, demo_shop, tmp_path, monkeypatch):
    chart = page.view.gmv_chart
    png = tmp_path / "chart.png"
    monkeypatch.setattr(page, "ask_save_path", lambda *_a: str(png))
    chart.png_button.click()
    qtbot.waitUntil(png.exists)
    assert _dark_pixels_on_top(png) > 50  # the caption (成交金额  2026-10-25 ~ 2026-11-23) in text colour
    assert _dark_pixels_on_top(png, share=0.01) == 0  # … whole, not cut at the picture's top edge
    assert not chart.plot.titleLabel.isVisible()  # only in the picture, not on screen
