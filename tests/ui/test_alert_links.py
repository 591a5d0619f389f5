"""Every alert and 系统提醒 leads somewhere (issue 17 QA): 账单对不上 opens 资金 → 对账 on the days
it judged with its mismatched orders listed, and a 系统提醒 in 站内信 opens what its alert opens
(or says 已处理 once the alert resolved)."""

from __future__ import annotations

from pdd_desktop.domain.alerts import Severity
from pdd_desktop.domain.messages import MessageCategory
from pdd_desktop.services import alerts
from pdd_desktop.services import automation as auto
from pdd_desktop.services import messages as msg
from pdd_desktop.services import reconcile as rc
from pdd_desktop.services.alerts import bills as bill_rule
from pdd_desktop.services.automation import RuleKind
from pdd_desktop.ui.pages.funds.reconcile_tab import MISMATCH, ORPHANS
from tests.conftest import DEMO_NOW
from tests.helpers.db import one
from tests.helpers.pages import page_fixture
from tests.ui import test_funds_tabs as funds_tabs
from tests.ui.test_alerts_ui import _row, _watch
from tests.ui.test_funds_tabs import ORPHAN_SN
from tests.ui.test_messages_page import click_category, click_row

page = funds_tabs.page  # the fixtures of 资金 → 对账's tests: thirty days of bills, mistakes planted
planted = funds_tabs.planted

SHOTS = "/tmp/links"


def _shown_sns(table) -> set[str]:
    return {table.item(i, 0).text() for i in range(table.rowCount())}


def test_bill_alert_opens_reconcile_on_the_judged_days_with_the_mismatch_list(qtbot, window, planted):
    p = planted
    window.show_page("home")
    home = window.page("home")
    _watch(window)
    qtbot.waitUntil(lambda: bill_rule.KEY in {r.alert.key for r in home.view.alerts_panel.rows})
    row = _row(home, bill_rule.KEY)
    alert = row.alert
    assert alert.target == "funds_reconcile" and row.open_button.text() == "查看对账"
    # An independent count over the same 90 Beijing days.
    first, last = bill_rule.window_days(DEMO_NOW)
    assert (last - first).days == bill_rule.WINDOW_DAYS - 1
    r = rc.reconcile(start=bill_rule.window(DEMO_NOW)[0], end=bill_rule.window(DEMO_NOW)[1], now=DEMO_NOW)
    bad = {o.order_id for o in r.orders if o.status in (rc.MISSING, rc.DOUBLE, rc.AMOUNT)}
    assert set(alert.target_ids) == bad and {p["signed"][0], p["signed"][1], p["signed"][3]} <= {
        o.order_sn for o in r.orders if o.order_id in bad
    }

    row.open_button.click()
    funds = window.page("funds")
    assert window.current_key() == "funds"
    assert funds.view.tabs.currentIndex() == 1 and funds.view.stack.currentWidget() is funds.reconcile_tab
    tab = funds.reconcile_tab
    qtbot.waitUntil(lambda: tab.result is not None and tab.dates() == (first, last))
    assert (tab.result.start, tab.result.end) == bill_rule.window(DEMO_NOW)
    assert tab.list_combo.currentData() == MISMATCH
    assert tab.list_combo.currentText() == f"对不上的订单（{len(bad)}）"
    assert {o.order_id for o in tab.listed()} == bad
    assert _shown_sns(tab.orders_table) == {o.order_sn for o in r.orders if o.order_id in bad}
    # The charges with no order are one list away, and the hint says so.
    assert f"另有 {len(r.orphans)} 笔无对应订单的账单" in tab.list_label.text()
    qtbot.wait(50)  # let the layout follow the new texts before the screenshot
    funds.grab().save(f"{SHOTS}/reconcile-from-alert.png")
    tab.list_combo.setCurrentIndex(tab.list_combo.findData(ORPHANS))
    assert ORPHAN_SN in {tab.orphans_table.item(i, 1).text() for i in range(tab.orphans_table.rowCount())}
    # 在发货中心查看这些订单 still opens exactly the listed orders.
    tab.list_combo.setCurrentIndex(tab.list_combo.findData(MISMATCH))
    with qtbot.waitSignal(funds.orders_requested) as got:
        tab.open_button.click()
    assert set(got.args[0].order_ids) == bad


def test_bill_alert_with_only_orphan_charges_opens_the_orphan_list(qtbot, window, planted):
    # The rule's target when it found no mismatched order, only charges naming unknown orders.
    alerts.raise_alert("bill-orphans", "bill_mismatch", 2, "账单对不上：1 处", target="funds_reconcile",
                       now=DEMO_NOW)  # fmt: skip
    alert = alerts.get_alert("app:bill-orphans")
    window.open_alert(alert)
    tab = window.page("funds").reconcile_tab
    assert window.current_key() == "funds"
    qtbot.waitUntil(lambda: tab.result is not None and tab.list_combo.currentData() == ORPHANS)
    assert tab.dates() == bill_rule.window_days(DEMO_NOW)
    assert tab.tables.currentWidget() is tab.orphans_table
    assert ORPHAN_SN in {tab.orphans_table.item(i, 1).text() for i in range(tab.orphans_table.rowCount())}


# --- 站内信: a 系统提醒 opens what its alert opens -------------------------------------------------

msg_page = page_fixture("messages", lambda p: p.model.rowCount() > 0, size=(1280, 800))


def _message_id(pattern: str) -> int:
    (mid,) = one("SELECT id FROM message WHERE remote_id LIKE ? ORDER BY id DESC", pattern)
    return mid


def _read(qtbot, window, page, message_id: int) -> None:
    window.show_page("messages")
    page.refresh()
    click_category(qtbot, page, MessageCategory.APP_ALERT)
    position = page.model.position_of(message_id)
    assert position is not None
    click_row(qtbot, page, position)
    qtbot.waitUntil(lambda: page.detail is not None and page.detail.row.id == message_id)


def test_an_urgent_alert_s_message_opens_exactly_its_orders(qtbot, window, msg_page):
    evaluation = alerts.evaluate(DEMO_NOW)
    window.ctx.events.changes_applied.emit(evaluation.changes, None)
    near = alerts.get_alert("ship_near")
    assert near is not None and near.severity == Severity.HIGH and near.target_ids
    mid = _message_id("app:alert:ship_near:%")
    assert msg.alert_key_of(one("SELECT remote_id FROM message WHERE id = ?", mid)[0]) == "ship_near"
    _read(qtbot, window, msg_page, mid)
    button = msg_page.view.alert_button
    assert button.isVisible() and button.isEnabled() and button.text() == "查看订单"
    msg_page.grab().save(f"{SHOTS}/message-alert-button.png")
    button.click()
    assert window.current_key() == "orders"
    orders = window.page("orders")
    qtbot.waitUntil(lambda: set(orders.model.ids or []) == set(near.target_ids))
    assert near.title in orders.view.ids_chip.text()


def test_a_resolved_alert_s_message_says_done_instead_of_opening(qtbot, window, msg_page):
    alerts.raise_alert("outbox-test", "outbox", 3, "上传失败：订单发货", target="sync", now=DEMO_NOW)
    alert = alerts.get_alert("app:outbox-test")
    msg.add_system_alert(title="上传失败：订单发货", key=f"outbox-test:{alert.first_seen_at}", important=True)
    mid = _message_id("app:outbox-test:%")
    _read(qtbot, window, msg_page, mid)
    button = msg_page.view.alert_button
    assert button.isVisible() and button.isEnabled() and button.text() == "打开同步窗口"
    # Resolved while the message is on screen: the click reads it fresh and says so.
    alerts.clear_alert("outbox-test", now=DEMO_NOW + 60)
    button.click()
    assert window.current_key() == "messages"
    assert button.text() == "已处理" and not button.isEnabled()
    assert "已经消除" in button.toolTip()
    # And reading it again later shows 已处理 straight away (the page follows alert changes).
    _read(qtbot, window, msg_page, mid)
    assert button.text() == "已处理" and not button.isEnabled()
    msg_page.grab().save(f"{SHOTS}/message-alert-done.png")


def test_an_automation_message_opens_the_rule_and_a_notice_has_no_button(qtbot, window, msg_page):
    auto.raise_alert(kind=RuleKind.MEMO, error="网络中断", now=DEMO_NOW)
    mid = _message_id("app:automation-off:%")
    _read(qtbot, window, msg_page, mid)
    button = msg_page.view.alert_button
    assert button.isVisible() and button.text() == "查看自动化"
    button.click()
    assert window.current_key() == "settings"
    controller = window.page("settings").automation
    qtbot.waitUntil(lambda: controller.selected() is not None)
    assert controller.selected().kind == RuleKind.MEMO
    # A platform notice leads nowhere: no button.
    (notice,) = one("SELECT id FROM message WHERE remote_id NOT LIKE 'app:%' ORDER BY id LIMIT 1")
    window.show_page("messages")
    msg_page.open_message(notice)
    qtbot.waitUntil(lambda: msg_page.detail is not None and msg_page.detail.row.id == notice)
    assert msg_page.detail.alert is None and not button.isVisible()
