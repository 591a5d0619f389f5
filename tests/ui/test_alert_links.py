"""Every alert and 系统提醒 leads somewhere (issue 17 QA): 账单对不上 opens 资金 → 对账 on the days
it judged with its mismatched orders listed, and a 系统提醒 in 站内信 opens what its alert opens
(or says 已处理 once the alert resolved)."""

from __future__ import annotations

from pdd_desktop.services import alerts
from pdd_desktop.services import reconcile as rc
from pdd_desktop.services.alerts import bills as bill_rule
from pdd_desktop.ui.pages.funds.reconcile_tab import MISMATCH, ORPHANS
from tests.conftest import DEMO_NOW
from tests.ui.test_alerts_ui import _row, _watch
from tests.ui.test_funds_tabs import ORPHAN_SN, LocalLedger, page, planted  # noqa: F401

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
