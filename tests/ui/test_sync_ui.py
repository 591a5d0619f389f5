"""Sync from the window: F5 against the sandbox, the status chip, pending uploads, the 同步 window."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt

from pdd_desktop.data.db import database
from pdd_desktop.jobs.sync import SyncController, SyncState, describe
from pdd_desktop.services import shipping
from pdd_desktop.services.sync import sync_summary
from pdd_desktop.sync_process import SyncBackend
from tests.conftest import DEMO_NOW
from tests.helpers.db import q


@pytest.fixture
def synced_window(window, demo_shop):
    backend = SyncBackend(demo_shop, sandbox_clock=lambda: DEMO_NOW + 2 * 3600)
    controller = SyncController(
        window.ctx.runner,
        window.ctx.events,
        backend.build_engine,
        sync_summary,
        interval_minutes=lambda: 5,
        mode_label=backend.mode_label,
        parent=window,
    )
    window.set_sync_controller(controller)
    yield window, backend, controller
    controller.stop()
    backend.close()


def test_f5_syncs_with_the_demo_sandbox_and_the_chip_says_so(qtbot, synced_window):
    window, backend, controller = synced_window
    before = q('SELECT COUNT(*) FROM "order"')[0][0]
    qtbot.keyClick(window, Qt.Key.Key_F5)
    report = controller.last_report
    assert backend.mode == "demo" and report is not None and report.outcome == "ok", report
    # Two hours of the sandbox's life after the demo's end arrived: new orders, same history.
    assert q('SELECT COUNT(*) FROM "order"')[0][0] > before
    # The sandbox's clock is pinned at 14:00 UTC (22:00 Beijing); this computer's clock is not,
    # so the chip also warns about the skew (the real clock is hours away from the pinned one).
    text = window.sync_label.text()
    assert re.match(r"已同步 · 平台时间 (21:59|22:00)", text), text
    assert controller.state.tone in ("ok", "warn")


def test_a_local_shipment_waits_then_uploads_once(qtbot, synced_window):
    window, backend, controller = synced_window
    qtbot.keyClick(window, Qt.Key.Key_F5)
    (oid, sn), *_ = q('SELECT id, order_sn FROM "order" WHERE status = 1 AND refund_status = 1 LIMIT 1')
    courier = q("SELECT id FROM courier WHERE code = 'ZTO'")[0][0]
    changes = shipping.ship_order(order_id=oid, courier_id=courier, tracking_number="78900000000001")
    window.ctx.events.changes_applied.emit(changes, None)
    assert "1 个待上传" in window.sync_label.text()
    qtbot.keyClick(window, Qt.Key.Key_F5)
    assert controller.last_report.push.succeeded == 1
    assert backend.sandbox.effects("pdd.logistics.online.send", order_sn=sn) == 1
    assert q("SELECT state FROM outbox WHERE entity_remote_id = ?", sn) == [("succeeded",)]
    assert "待上传" not in window.sync_label.text()
    # The 同步 window shows no open uploads and the runs in its log.
    qtbot.mouseClick(window.sync_label, Qt.MouseButton.LeftButton)
    dlg = window.sync_dialog
    assert dlg.outbox_table.rowCount() == 0 and dlg.log_table.rowCount() >= 2


def test_sync_off_says_so(qtbot, window, demo_shop):
    from pdd_desktop.services.settings import update_settings

    update_settings(sync_mode="off")
    backend = SyncBackend(demo_shop)
    controller = SyncController(
        window.ctx.runner, window.ctx.events, backend.build_engine, sync_summary,
        interval_minutes=lambda: 5, mode_label=backend.mode_label, parent=window,
    )  # fmt: skip
    window.set_sync_controller(controller)
    controller.sync_now()
    assert window.sync_label.text() == "同步已关闭"
    controller.stop()


def test_status_texts():
    class Summary:
        pending, needs_attention, conflicts = 3, 1, 1

    class Report:
        outcome, message, platform_now, clock_skew_s = "offline", "连接不上平台", DEMO_NOW, None

    assert describe(Report, Summary, "", "演示沙箱") == SyncState(
        "离线 · 3 个待上传 · 2 个需要处理", "warn", "演示沙箱\n连接不上平台"
    )
    Report.outcome, Report.clock_skew_s = "ok", 900
    state = describe(Report, Summary, "", "演示沙箱")
    assert state.text.startswith("已同步") and "相差 15 分钟" in state.tooltip
    assert state.text.endswith("⚠ 本机时间不准") and state.tone == "warn"
    Report.outcome = "auth_needed"
    assert describe(Report, Summary, "", "x").text.startswith("需要重新授权")


def test_home_names_the_last_sync_in_chinese(qtbot, synced_window):
    window, _backend, _controller = synced_window
    qtbot.keyClick(window, Qt.Key.Key_F5)
    home = window.page("home")
    home.refresh()
    text = home.view.sync_label.text()
    assert text.startswith("最近同步：") and "成功" in text and "after_sales" not in text


def test_sync_window_retries_and_discards_an_upload(qtbot, window, demo_shop):
    from pdd_desktop.services.orders import set_seller_memo

    (oid, sn), *_ = q('SELECT id, order_sn FROM "order" WHERE status = 1 LIMIT 1')
    set_seller_memo(order_id=oid, memo="先发顺丰", flag=1)
    database.execute_sql(
        "UPDATE outbox SET state = 'failed_permanent', attempts = 3, last_error = '平台拒绝：备注过长' "
        "WHERE entity_remote_id = ?",
        (sn,),
    )
    window.open_sync_dialog()
    dlg = window.sync_dialog
    assert dlg.tabs.tabText(0) == "待上传 1"
    assert [dlg.outbox_table.item(0, c).text() for c in (1, 3, 5)] == [sn, "3", "平台拒绝：备注过长"]
    assert not dlg.retry_button.isEnabled()
    dlg.outbox_table.selectRow(0)
    qtbot.mouseClick(dlg.retry_button, Qt.MouseButton.LeftButton)
    assert q("SELECT state, attempts FROM outbox WHERE entity_remote_id = ?", sn) == [("pending", 0)]
    assert "已重新排队" in dlg.message_label.text()
    dlg.outbox_table.selectRow(0)
    asked = []
    dlg.confirm_discard = lambda label: asked.append(label) or False
    qtbot.mouseClick(dlg.discard_button, Qt.MouseButton.LeftButton)
    assert asked and q("SELECT state FROM outbox WHERE entity_remote_id = ?", sn) == [("pending",)]
    dlg.outbox_table.selectRow(0)
    dlg.confirm_discard = lambda label: True
    qtbot.mouseClick(dlg.discard_button, Qt.MouseButton.LeftButton)
    assert q("SELECT state FROM outbox WHERE entity_remote_id = ?", sn) == [("cancelled",)]
    assert q('SELECT pending_ops FROM "order" WHERE id = ?', oid) == [(0,)]
    assert dlg.outbox_table.rowCount() == 0 and dlg.tabs.tabText(0) == "待上传"
