"""工作台's 预警提醒: the panel lists the open alerts, each button opens exactly its orders, SKUs
or cases, 稍后提醒 hides a row, and an urgent alert is a desktop notification once.
"""

from __future__ import annotations

from pdd_desktop.common.changes import Changes
from pdd_desktop.domain.alerts import Severity
from pdd_desktop.jobs.alerts import AlertsWatcher
from pdd_desktop.services import alerts
from pdd_desktop.ui.alert_notices import AlertNotices
from pdd_desktop.ui.notify import Notifier
from tests.conftest import DEMO_NOW
from tests.helpers.db import raw_rows
from tests.ui.test_notify import FakeTray


def _watch(window, **kw) -> AlertsWatcher:
    watcher = AlertsWatcher(window.ctx.runner, window.ctx.events, settle_ms=0, parent=window, **kw)
    watcher.start()  # ImmediateRunner: the first evaluation is done on return
    return watcher


def _row(home, key: str):
    return next(r for r in home.view.alerts_panel.rows if r.alert.key == key)


def test_panel_lists_every_open_alert_and_each_button_opens_exactly_its_list(qtbot, window, demo_shop):
    window.show_page("home")
    home = window.page("home")
    _watch(window)
    expected = alerts.open_alerts(DEMO_NOW)
    panel = home.view.alerts_panel
    qtbot.waitUntil(lambda: len(panel.rows) == len(expected))
    assert [r.alert.key for r in panel.rows] == [a.key for a in expected]
    severities = [r.alert.severity for r in panel.rows]
    assert severities == sorted(severities, reverse=True) and severities[0] == Severity.HIGH
    near = _row(home, "ship_near")
    assert near.title_label.full_text == near.alert.title and near.severity_label.text() == "紧急"
    assert not panel.empty_label.isVisible()

    near.open_button.click()  # 发货中心 with exactly these orders
    orders = window.page("orders")
    assert window.current_key() == "orders"
    qtbot.waitUntil(lambda: set(orders.model.ids or []) == set(near.alert.target_ids))
    assert orders.view.ids_chip.isVisible() and near.alert.title in orders.view.ids_chip.text()

    window.show_page("home")
    out = _row(home, "stock_out")
    out.open_button.click()  # 商品: the goods of exactly these SKUs
    goods = window.page("goods")
    marks = ",".join("?" * len(out.alert.target_ids))
    want = {
        r[0]
        for r in raw_rows(
            demo_shop.db_file, f"SELECT goods_id FROM sku WHERE sku_id IN ({marks})", out.alert.target_ids
        )
    }
    qtbot.waitUntil(lambda: {r.goods_id for r in goods.model.rows} == want)
    chip = goods.view.ids_chip
    assert chip.isVisible() and f"{len(out.alert.target_ids)} 个规格" in chip.text()
    goods.view.ids_chip.click()
    qtbot.waitUntil(lambda: len(goods.model.rows) > len(want))

    window.show_page("home")
    cases = _row(home, "after_sale_deadline")
    cases.open_button.click()  # 售后: exactly these cases
    page = window.page("after_sales")
    qtbot.waitUntil(
        lambda: {page.case_id_at(r) for r in range(page.view.table.rowCount())} == set(cases.alert.target_ids)
    )
    assert page.view.table.rowCount() == len(cases.alert.target_ids)


def test_snooze_hides_a_row_until_shown_again(qtbot, window):
    window.show_page("home")
    home = window.page("home")
    _watch(window)
    panel = home.view.alerts_panel
    qtbot.waitUntil(lambda: len(panel.rows) > 1)
    before = len(panel.rows)
    _row(home, "stock_low").snooze_actions["today"].trigger()
    qtbot.waitUntil(lambda: len(panel.rows) == before - 1)
    assert "stock_low" not in {r.alert.key for r in panel.rows}
    assert panel.snoozed_label.isVisible() and "1 条" in panel.snoozed_label.text()
    assert alerts.get_alert("stock_low").snoozed_until == DEMO_NOW + 4 * 3600  # Beijing midnight
    panel.unsnooze_button.click()
    qtbot.waitUntil(lambda: len(panel.rows) == before)
    assert not panel.snoozed_label.isVisible()


def test_urgent_alerts_are_a_desktop_notification_once_not_per_evaluation(qtbot, window):
    trays: list[FakeTray] = []
    notifier = Notifier(
        window, tray_available=lambda: True, tray_factory=lambda p: trays.append(FakeTray(p)) or trays[-1]
    )
    evaluations = []
    watcher = AlertsWatcher(window.ctx.runner, window.ctx.events, settle_ms=0, parent=window)
    watcher.evaluated.connect(evaluations.append)
    notices = AlertNotices(watcher, notifier, window)
    watcher.start()
    high = [a for a in alerts.open_alerts(DEMO_NOW) if a.severity == Severity.HIGH]
    (tray,) = trays
    assert len(tray.messages) == 1 and len(notices.shown) == 1
    title, text = notices.shown[0]
    assert high[0].title in title and f"另有 {len(high) - 1} 条" in text

    # A sync (or any change) and the timer evaluate again: nothing new, no second notice.
    window.ctx.events.changes_applied.emit(Changes(orders=True, sync=True), None)
    qtbot.waitUntil(lambda: len(evaluations) == 2)
    watcher.evaluate_now()
    assert len(evaluations) == 3 and len(tray.messages) == 1
    # A message of 站内信 does not re-run the rules; the alerts' own broadcast neither.
    window.ctx.events.changes_applied.emit(Changes(messages=True), None)
    qtbot.wait(20)
    assert len(evaluations) == 3

    # A new urgent cause opens: one more notice, for it alone; a click shows 工作台.
    alerts.raise_alert("rule-off", "automation", Severity.HIGH, "自动规则已停用", "连续两次失败")
    watcher.evaluate_now()
    assert len(tray.messages) == 2 and notices.shown[-1] == ("紧急提醒：自动规则已停用", "连续两次失败")
    window.show_page("orders")
    tray.messageClicked.emit()
    assert window.current_key() == "home"
