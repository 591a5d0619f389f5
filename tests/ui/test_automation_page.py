"""设置 → 自动化: a rule is switched on only from its preview; run now, the action log, holds."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt

from pdd_desktop.data.db import database
from pdd_desktop.services import holds
from tests.helpers.db import q
from tests.helpers.pages import page_fixture

page = page_fixture("settings")


def click(qtbot, button) -> None:
    assert button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def table_texts(table) -> list[list[str]]:
    return [
        [table.item(r, c).text() if table.item(r, c) else "" for c in range(table.columnCount())]
        for r in range(table.rowCount())
    ]


def to_ship_orders(n: int) -> list[tuple[int, str]]:
    rows = q('SELECT id, order_sn FROM "order" WHERE status = 1 AND pending_ops = 0 ORDER BY id LIMIT ?', n)
    assert len(rows) == n
    return rows


def test_switching_a_rule_on_through_its_preview(qtbot, window, page):
    ((oid, sn),) = to_ship_orders(1)
    database.execute_sql('UPDATE "order" SET buyer_memo = ? WHERE id = ?', ("麻烦加急发货", oid))
    ctl = page.automation
    rows = table_texts(page.view.automation.rule_table)
    assert [r[0] for r in rows] == [
        "自动同意仅退款",
        "标记可合并发货",
        "定时打印面单",
        "按买家留言备注",
        "风险订单暂停发货",
    ]
    assert {r[1] for r in rows} == {"未启用"}
    ctl.select_kind("memo_keyword")
    v = page.view.automation
    assert not v.disable_button.isEnabled() and not v.run_button.isEnabled()
    click(qtbot, v.enable_button)
    dlg = ctl.rule_dialog
    assert dlg is not None and dlg.isVisible()
    assert not dlg.ok_button.isEnabled()  # no preview yet
    dlg.keywords_edit.setText("加急")
    dlg.keywords_edit.textEdited.emit("加急")  # as typing does
    click(qtbot, dlg.preview_button)
    assert dlg.preview_label.text().startswith("现在会处理 1 单")
    assert table_texts(dlg.preview_table) == [[sn, "买家留言含「加急」"]]
    assert dlg.ok_button.isEnabled()
    # the previewed orders open in 发货中心
    click(qtbot, dlg.open_orders_button)
    assert window.current_key() == "orders"
    orders_page = window.page("orders")
    assert orders_page.view.ids_chip.text() == "✕ 自动化规则「按买家留言备注」将处理的订单（1 单）"
    assert list(orders_page.model.ids) == [oid]
    window.show_page("settings")
    assert dlg.isVisible()  # still there to switch the rule on
    # an edit needs a new preview before OK
    dlg.memo_edit.setText(dlg.memo_edit.text() + "！")
    dlg.memo_edit.textEdited.emit(dlg.memo_edit.text())  # as typing does
    assert not dlg.ok_button.isEnabled() and "重新预览" in dlg.preview_label.text()
    click(qtbot, dlg.preview_button)
    click(qtbot, dlg.ok_button)
    assert not dlg.isVisible()
    ((enabled, params),) = q("SELECT enabled, params_json FROM automation_rule WHERE kind = 'memo_keyword'")
    assert enabled == 1 and json.loads(params)["keywords"] == ["加急"]
    assert json.loads(params)["memo"].endswith("！")
    row = table_texts(v.rule_table)[3]
    assert row[1] == "已启用" and "加急" in row[2]

    # run now: the order gets the memo through the outbox, the log says so
    ctl.select_kind("memo_keyword")
    click(qtbot, v.run_button)
    assert "已处理 1 单" in v.status_label.text()
    assert q("SELECT op_type FROM outbox WHERE entity_remote_id = ?", sn) == [("set_memo",)]
    assert q("SELECT COUNT(*) FROM outbox WHERE entity_remote_id != ?", sn) == [(0,)]
    assert q('SELECT actor FROM audit_log WHERE action = "set_memo" AND order_id = ?', oid) == [
        ("auto:memo",)
    ]
    click(qtbot, v.log_button)
    log = table_texts(ctl.log_dialog.table)
    assert log[0][1:5] == ["按买家留言备注", sn, "备注/插旗", "已执行"]
    ctl.log_dialog.close()

    # switched off again
    click(qtbot, v.disable_button)
    assert q("SELECT enabled FROM automation_rule WHERE kind = 'memo_keyword'") == [(0,)]
    assert table_texts(v.rule_table)[3][1] == "未启用"


def test_held_orders_are_released_from_the_list(qtbot, window, page):
    ((a, sn_a), (b, sn_b)) = to_ship_orders(2)
    holds.hold_order(order_id=a, reason="人工暂停")
    holds.hold_order(order_id=b, reason="收货地址含「学校」")
    v = page.view.automation
    click(qtbot, v.holds_button)
    dlg = page.automation.holds_dialog
    assert sorted(r[0] for r in table_texts(dlg.table)) == sorted([sn_a, sn_b])
    assert not dlg.release_button.isEnabled()
    row = [r[0] for r in table_texts(dlg.table)].index(sn_a)
    dlg.table.selectRow(row)
    click(qtbot, dlg.release_button)
    assert [r[0] for r in table_texts(dlg.table)] == [sn_b]
    assert holds.held_reasons([a, b]) == {b: "收货地址含「学校」"}


def test_rules_run_after_each_sync_and_their_ops_are_sent_at_once(qtbot, page_ctx):
    from pdd_desktop.common.changes import Changes
    from pdd_desktop.jobs.automation import AutomationScheduler
    from pdd_desktop.services.automation import RuleOutcome, RunReport

    reports = [
        RunReport((RuleOutcome("memo_keyword", done=2),), Changes(orders=True)),
        RunReport((RuleOutcome("memo_keyword"),), Changes()),
    ]
    calls: list[int] = []

    def run():
        calls.append(1)
        return reports[len(calls) - 1]

    events = page_ctx.events
    seen: list = []
    syncs: list = []
    events.changes_applied.connect(lambda c, who: seen.append((c, who)))
    events.sync_requested.connect(lambda: syncs.append(1))
    scheduler = AutomationScheduler(page_ctx.runner, events, run, interval_ms=60_000)
    scheduler.after_sync(object())
    assert len(calls) == 1
    assert seen == [(Changes(orders=True), scheduler)] and syncs == [1]
    scheduler.after_sync(object())  # nothing done: nothing broadcast, no sync asked
    assert len(calls) == 2 and len(seen) == 1 and syncs == [1]
