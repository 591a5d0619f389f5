"""A merchant's first use of 站内信, 预警提醒 and 自动化 (issue 17): the defects found, each pinned."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from pdd_desktop.jobs.events import AppEvents
from pdd_desktop.jobs.runner import ImmediateRunner
from pdd_desktop.services import settings as settings_service
from pdd_desktop.services import shop as shop_service
from pdd_desktop.ui.main_window import MainWindow
from pdd_desktop.ui.pages.base import PageContext
from pdd_desktop.ui.pages.messages.page import SOURCE_TEXTS
from tests.helpers.db import db_state


@pytest.fixture
def file_window(qtbot, empty_shop, qsettings, qapp):
    """The main window on a real (not demo) shop that starts empty and is fed by files."""
    ctx = PageContext(ImmediateRunner(), AppEvents(), empty_shop, shop_service.describe_shop(empty_shop))
    win = MainWindow(ctx, qsettings)
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    qtbot.waitExposed(win)
    return win


def test_inbox_says_where_notices_come_from_after_the_sync_setting_changes(qtbot, file_window):
    """Defect: the 站内信 source line was read once, so turning sync off (or connecting the API)
    left the old explanation on screen."""
    file_window.show_page("messages")
    page = file_window.page("messages")
    label = page.view.source_label
    assert label.text() == SOURCE_TEXTS["files"]
    changes = settings_service.update_settings(sync_mode="off")
    file_window.ctx.events.changes_applied.emit(changes, None)
    qtbot.waitUntil(lambda: label.text() == SOURCE_TEXTS["off"])
    changes = settings_service.update_settings(sync_mode="api")
    file_window.ctx.events.changes_applied.emit(changes, None)
    qtbot.waitUntil(lambda: label.text() == SOURCE_TEXTS["api"])


def test_refund_limit_out_of_range_is_said_in_yuan(qtbot, window):
    """Defect: the merchant types 元 but a limit out of range was reported in 分 (1–10000000,
    现在 20000000)."""
    window.show_page("settings")
    page = window.page("settings")
    page.automation.select_kind("refund_auto")
    qtbot.mouseClick(page.view.automation.enable_button, Qt.MouseButton.LeftButton)
    dlg = page.automation.rule_dialog
    before = db_state(("automation_rule", "automation_action", "audit_log"))
    for typed, shown in (("200000", "¥200,000.00"), ("0", "¥0.00"), ("-5", "¥-5.00")):
        dlg.max_yuan_edit.setText(typed)
        dlg.max_yuan_edit.textEdited.emit(typed)
        qtbot.mouseClick(dlg.preview_button, Qt.MouseButton.LeftButton)
        error = dlg.error_label.text()
        assert error == f"退款金额上限：应在 ¥0.01–¥100,000.00 之间（现在 {shown}）", error
        assert "分" not in error
        assert not dlg.ok_button.isEnabled()
    assert db_state(("automation_rule", "automation_action", "audit_log")) == before
    dlg.close()
