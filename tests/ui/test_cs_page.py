"""客服 page: figures against targets, a template filled from an order and copied, the safety check."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from pdd_desktop.data.db import write_transaction
from pdd_desktop.sandbox.cs import simulate_day
from pdd_desktop.services import cs
from pdd_desktop.services.cs_import import csv_rows, day_number, import_cs_export, store_hours, store_rows
from tests.helpers.db import one
from tests.helpers.pages import page_fixture
from tests.services.test_cs import _shipped_order_with_trace
from tests.services.test_cs_import import agent_rows, write

page = page_fixture("cs", size=(1280, 800))


def test_fill_from_an_order_and_copy_with_one_key(qtbot, page, tmp_path):
    QApplication.clipboard().clear()
    _id, sn, number, _courier = _shipped_order_with_trace()
    page.view.tabs.setCurrentIndex(1)
    page.view.order_edit.setText(sn)
    page.view.order_button.click()
    panel = page.view.panel
    assert sn in panel.order_label.text()
    panel.filter_edit.setFocus()
    QTest.keyClicks(panel.filter_edit, "/wl")
    QTest.keyClick(panel.filter_edit, Qt.Key.Key_Return)
    copied = QApplication.clipboard().text()
    assert sn in copied and number in copied and "{" not in copied
    assert "已复制" in panel.status_label.text()
    assert "最新物流：" in copied and not copied.endswith("最新物流：")
    page.grab().save(str(tmp_path / "cs_replies.png"))


def test_forbidden_text_is_highlighted_and_not_copied(qtbot, page):
    QApplication.clipboard().setText("before")
    page.view.tabs.setCurrentIndex(1)
    panel = page.view.panel
    panel.filter_edit.setText("/qh")
    panel.text_edit.setPlainText("亲，加我 ｖ 信 139 1234 5678，好评返现")
    assert not panel.copy_current()
    assert QApplication.clipboard().text() == "before"
    assert len(panel.text_edit.extraSelections()) == 3
    text = panel.findings_label.text()
    assert "微信号或其变体" in text and "手机号或电话号码" in text and "好评返现" in text
    assert "未复制" in panel.status_label.text()


def test_late_shipment_template_takes_the_new_date(qtbot, page):
    page.view.tabs.setCurrentIndex(1)
    panel = page.view.panel
    panel.filter_edit.setText("/yc")
    assert panel.date_edit.isVisibleTo(panel)
    panel.date_edit.setDate(panel.date_edit.date().fromString("2026-12-09", "yyyy-MM-dd"))
    assert "12月9日 前为您发出" in panel.text_edit.toPlainText()


def test_figures_show_agents_against_targets(qtbot, page, tmp_path):
    import_cs_export(write(tmp_path / "a.xlsx", agent_rows()))
    page.refresh()
    table = page.view.figures
    names = [table.item(r, 0).text() for r in range(table.rowCount())]
    assert names == ["小林", "小美", "阿强"]
    row = names.index("阿强")
    assert table.item(row, 1).text() == "75.00%"
    red = table.item(row, 1).foreground().color().name()
    assert red != table.item(names.index("小林"), 1).foreground().color().name()
    assert page.view.r3_target.text() == "80"
    page.grab().save(str(tmp_path / "cs_rates.png"))


def test_a_reply_with_an_empty_variable_is_not_copied(qtbot, page):
    QApplication.clipboard().setText("before")
    _id, sn, _n = one(
        'SELECT o.id, o.order_sn, 0 FROM "order" o WHERE NOT EXISTS '
        "(SELECT 1 FROM package_order po WHERE po.order_id = o.id) ORDER BY o.id LIMIT 1"
    )
    page.view.tabs.setCurrentIndex(1)
    page.view.order_edit.setText(sn)
    page.view.order_button.click()
    panel = page.view.panel
    panel.filter_edit.setText("/wl")
    QTest.keyClick(panel.filter_edit, Qt.Key.Key_Return)
    assert QApplication.clipboard().text() == "before"
    assert "{快递单号}" in panel.findings_label.text()
    # ...and says why and what to do.
    assert "这张订单还没有发货" in panel.findings_label.text()


def test_without_an_order_the_refusal_says_to_pick_one(qtbot, page):
    page.view.tabs.setCurrentIndex(1)
    panel = page.view.panel
    panel.filter_edit.setText("/wl")
    assert not panel.copy_current()
    assert "请先输入订单号并点「按订单填写」" in panel.findings_label.text()


def test_quick_reply_from_orders_page(qtbot, window):
    window.show_page("orders")
    orders_page = window.page("orders")
    qtbot.waitUntil(lambda: orders_page.model.rowCount() > 0)
    orders_page.view.table.selectRow(0)
    order_id = orders_page.selection.ids[0]
    sn = one('SELECT order_sn FROM "order" WHERE id = ?', order_id)[0]
    QApplication.clipboard().clear()
    dlg = orders_page.open_quick_reply()
    assert dlg is not None and sn in dlg.panel.order_label.text()
    dlg.panel.filter_edit.setText("/fh")
    QTest.keyClick(dlg.panel.filter_edit, Qt.Key.Key_Return)
    assert sn in QApplication.clipboard().text()
    assert cs.check_text(QApplication.clipboard().text()).ready
    assert not dlg.isVisible()  # closes after the copy


def test_quick_reply_from_after_sales_page(qtbot, window):
    window.show_page("after_sales")
    as_page = window.page("after_sales")
    qtbot.waitUntil(lambda: as_page.view.table.rowCount() > 0)
    as_page.view.table.selectRow(0)
    qtbot.waitUntil(lambda: as_page.detail is not None)
    dlg = as_page.open_quick_reply()
    assert as_page.detail.row.order_sn in dlg.panel.order_label.text()
    dlg.panel.filter_edit.setText("/tk")
    QTest.keyClick(dlg.panel.filter_edit, Qt.Key.Key_Return)
    copied = QApplication.clipboard().text()
    assert as_page.detail.row.order_sn in copied and "暂无售后" not in copied


def test_an_unknown_order_number_drops_the_previous_orders_values(qtbot, page):
    _id, sn, number, _courier = _shipped_order_with_trace()
    page.view.tabs.setCurrentIndex(1)
    panel = page.view.panel
    page.view.order_edit.setText(sn)
    page.view.order_button.click()
    panel.filter_edit.setText("/wl")
    assert number in panel.text_edit.toPlainText()
    page.view.order_edit.setText("999-000")
    page.view.order_button.click()
    # The merchant sees why, and the text no longer carries the other order's number.
    assert "找不到订单 999-000" in panel.order_label.text()
    assert sn not in panel.text_edit.toPlainText() and number not in panel.text_edit.toPlainText()
    QApplication.clipboard().setText("before")
    QTest.keyClick(panel.filter_edit, Qt.Key.Key_Return)
    assert QApplication.clipboard().text() == "before"
    page.view.order_edit.setText("")
    page.view.order_button.click()
    assert panel.order_label.text() == "未选择订单：变量不会被填写"


def _simulated_month(last: date) -> None:
    """Thirty days of the demo sandbox's exports and hours, stored as a sync stores them."""
    with write_transaction():
        for k in range(30):
            d = last - timedelta(days=k)
            sim = simulate_day(11, d)
            store_rows(csv_rows(sim.shop_csv), source="test")
            store_rows(csv_rows(sim.agent_csv), source="test")
            store_hours(day_number(d), list(sim.hours), source="test")


def test_lost_hours_rank_the_assessed_hours_and_sum_up_the_night(qtbot, page):
    _simulated_month(date(2026, 11, 22))
    page.refresh()
    table = page.view.hours
    labels = [table.item(r, 0).text() for r in range(table.rowCount())]
    assert len(labels) == 9 and labels[-1] == "23:00–次日08:00（不计入考核）"
    hours = [int(text[:2]) for text in labels[:-1]]
    assert all(8 <= h < 23 for h in hours)
    ov = cs.overview()
    window = [h for h in ov.hours if 8 <= h.hour < 23]
    assert hours == [h.hour for h in window[:8]]
    night = [h for h in ov.hours if not 8 <= h.hour < 23]
    assert table.item(8, 2).text() == str(sum(h.unreplied_3m for h in night))
    # The night's rate is shown but never judged against the (8-23点) target.
    assert table.item(8, 4).foreground().style() == Qt.BrushStyle.NoBrush
    assert "考核时段 8–23 点" in page.view.hours_label.text()
    assert "天有数据" not in page.view.period_label.text()


def test_no_figures_yet_shows_no_empty_hours_table(qtbot, page):
    assert page.view.empty_label.isVisible()
    # The demo shop gets its figures from the simulated platform: it says so, not "import a file".
    assert "下次同步" in page.view.empty_label.text()
    assert not page.view.hours.isVisible() and not page.view.hours_label.isVisible()


def test_a_window_with_few_days_says_so(qtbot, page, tmp_path):
    import_cs_export(write(tmp_path / "a.xlsx", agent_rows()))
    page.refresh()
    assert "（其中 1 天有数据）" in page.view.period_label.text()
    header = page.view.figures.horizontalHeaderItem(9).text()
    assert header.startswith("近30天")


def test_the_new_ship_date_starts_from_the_shops_today_and_not_before(qtbot, page):
    page.view.tabs.setCurrentIndex(1)
    panel = page.view.panel
    panel.filter_edit.setText("/yc")
    # The demo shop's clock: 2026-11-23 20:00 in Beijing.
    assert panel.date_edit.minimumDate().toString("yyyy-MM-dd") == "2026-11-23"
    assert panel.date_edit.date().toString("yyyy-MM-dd") == "2026-11-25"
    panel.date_edit.setDate(panel.date_edit.date().fromString("2026-11-01", "yyyy-MM-dd"))
    assert "11月1日" not in panel.text_edit.toPlainText()


def test_new_figures_or_targets_reevaluate_the_alerts_at_once(qtbot, window, tmp_path):
    from pdd_desktop.common.changes import Changes
    from pdd_desktop.jobs.alerts import AlertsWatcher
    from pdd_desktop.services import alerts
    from tests.conftest import DEMO_NOW

    watcher = AlertsWatcher(window.ctx.runner, window.ctx.events, settle_ms=0, parent=window)
    watcher.start()
    # A reply rate under target as soon as the export is imported (not a minute later).
    _simulated_month(date(2026, 11, 22))
    with qtbot.waitSignal(watcher.evaluated, timeout=2000):
        window.ctx.events.changes_applied.emit(Changes(cs=True), None)
    assert any(a.key.startswith("cs_reply:") for a in alerts.open_alerts(DEMO_NOW))
    watcher.stop()


def test_a_real_shop_fed_by_files(qtbot, empty_shop, qsettings, tmp_path):
    from pdd_desktop.jobs.events import AppEvents
    from pdd_desktop.jobs.runner import ImmediateRunner
    from pdd_desktop.services import shop as shop_service
    from pdd_desktop.ui.main_window import MainWindow
    from pdd_desktop.ui.pages.base import PageContext
    from tests.services.test_cs_import import shop_rows

    ctx = PageContext(ImmediateRunner(), AppEvents(), empty_shop, shop_service.describe_shop(empty_shop))
    win = MainWindow(ctx, qsettings)
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    win.show_page("cs")
    p = win.page("cs")
    assert "没有提供客服数据接口" in p.view.source_label.text()
    assert "导入商家后台导出的客服数据文件" in p.view.empty_label.text() and not p.view.hours.isVisible()
    import_cs_export(write(tmp_path / "客服绩效.csv", agent_rows()))
    import_cs_export(write(tmp_path / "客服数据.xlsx", shop_rows()))
    p.refresh()
    table = p.view.figures
    names = [table.item(r, 0).text() for r in range(table.rowCount())]
    assert names == ["全店", "小林", "小美", "阿强"]
    # 全店 over the three days of the shop export: 3-minute rates weighted by 需要人工回复的咨询人数.
    assert table.item(0, 5).text() == "83.33%" and table.item(0, 10).text() == "31.41%"
    assert "（其中 3 天有数据）" in p.view.period_label.text()
    assert p.view.hours_label.text() == "漏回最多的时段：导入的文件没有分时数据"
    win.grab().save(str(tmp_path / "cs_real.png"))
