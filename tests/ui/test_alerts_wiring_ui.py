"""Alert buttons of the wired modules: 查看自动化 opens 设置 → 自动化 on the rule, 查看推广 the
goods' plans in 推广, 查看客服数据 the 客服 page.
"""

from __future__ import annotations

from pdd_desktop.services import alerts
from pdd_desktop.services import automation as auto
from pdd_desktop.services.automation import RuleKind
from tests.ui.test_alerts_ui import _row, _watch


def test_automation_alert_opens_the_rule_in_settings(qtbot, window):
    auto.raise_alert(kind=RuleKind.MEMO, error="网络中断")
    window.show_page("home")
    home = window.page("home")
    _watch(window)
    key = f"app:{auto.alert_key(RuleKind.MEMO)}"
    qtbot.waitUntil(lambda: key in {r.alert.key for r in home.view.alerts_panel.rows})
    row = _row(home, key)
    assert row.severity_label.text() == "紧急" and row.open_button.text() == "查看自动化"
    row.open_button.click()
    assert window.current_key() == "settings"
    controller = window.page("settings").automation
    qtbot.waitUntil(lambda: controller.selected() is not None)
    assert controller.selected().kind == RuleKind.MEMO


def test_ads_and_cs_alerts_open_their_pages(qtbot, window):
    alerts.raise_alert("ads-test", "ads_roi", 2, "推广低于保本：测试计划", target="ads", target_ids=[1])
    alerts.raise_alert("cs-test", "cs_reply", 2, "店铺近 30 天3分钟人工回复率低于目标", target="cs")
    window.show_page("home")
    home = window.page("home")
    _watch(window)
    panel = home.view.alerts_panel
    qtbot.waitUntil(lambda: {"app:ads-test", "app:cs-test"} <= {r.alert.key for r in panel.rows})
    ads_row = _row(home, "app:ads-test")
    assert ads_row.open_button.text() == "查看推广"
    ads_row.open_button.click()
    assert window.current_key() == "ads"
    assert window.page("ads").view.tabs.currentIndex() == 0  # 推广计划
    window.show_page("home")
    cs_row = _row(home, "app:cs-test")
    assert cs_row.open_button.text() == "查看客服数据"
    cs_row.open_button.click()
    assert window.current_key() == "cs"


def test_cs_page_import_goes_through_the_import_window(qtbot, window, tmp_path):
    from tests.services.test_cs_import import agent_rows, write

    path = write(tmp_path / "agents.csv", agent_rows())
    window.show_page("cs")
    with qtbot.waitSignal(window.ctx.events.import_requested, timeout=1000) as sig:
        window.page("cs").import_file(str(path))
    assert sig.args == [str(path)]
