"""Issues 13/14 in the window: 设置 → 数据与备份 restores a backup and the shop reopens on it; a
damaged shop is offered the newest good backup; the daily automatic backup runs on its own."""

from __future__ import annotations

import shutil
import sqlite3

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from pdd_desktop import app as app_module
from pdd_desktop.common.paths import shop_paths
from pdd_desktop.services import shop as shop_service
from pdd_desktop.services import shops
from tests.helpers.db import dump_tables, raw_rows
from tests.test_cli_backup import damage_mid_file, zero_header

TABLES = ("shop", "order", "order_item", "package", "setting")


@pytest.fixture(autouse=True)
def _quiet_background(monkeypatch):
    """No sync worker (the shop has sync off), no automatic backup unless a test asks."""
    monkeypatch.setattr(app_module.Application, "_start_sync", lambda self: None)
    monkeypatch.setattr(app_module, "AUTO_BACKUP_FIRST_CHECK_MS", 600_000)


@pytest.fixture
def shop(tmp_path, demo_template):
    """甲店 with the demo's 3,000 orders; a good backup of it; then 1,000 orders gone."""
    data = tmp_path / "data"
    paths = shop_paths(data, "甲店").ensure()
    shutil.copyfile(demo_template, paths.db_file)
    with sqlite3.connect(paths.db_file) as conn:
        conn.execute("UPDATE shop SET is_demo = 0, name = '甲店'")
    conn.close()
    good = shop_service.create_backup(paths)
    conn = sqlite3.connect(paths.db_file, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute('DELETE FROM order_item WHERE order_id IN (SELECT id FROM "order" ORDER BY id LIMIT 1000)')
    conn.execute('DELETE FROM "order" WHERE id IN (SELECT id FROM "order" ORDER BY id LIMIT 1000)')
    conn.close()
    return paths, good


def _start(paths, qapp):
    application = app_module.Application(qapp, shops.resolve_shop(paths.data_dir, "甲店"))
    assert application.start() == -1
    return application


def test_restore_from_settings_reopens_the_shop_on_the_backup(shop, qapp, qtbot):
    paths, good = shop
    expected = dump_tables(good, TABLES)
    changed = dump_tables(paths.db_file, TABLES)
    running = _start(paths, qapp)
    try:
        old_window = running.window
        qtbot.waitUntil(lambda: old_window.orders_label.text() == "订单 2,000", timeout=10_000)
        old_window.show_page("settings")
        page = old_window.page("settings")
        table = page.view.backup_table
        qtbot.waitUntil(lambda: table.rowCount() == 1, timeout=10_000)
        assert table.item(0, 1).text() == "手动" and table.item(0, 3).text() == good.name
        assert not page.view.backups.restore_button.isEnabled()  # nothing selected yet
        asked = []
        page.backups.confirm_restore = lambda entry: asked.append(entry) or True
        qtbot.mouseClick(
            table.viewport(), Qt.MouseButton.LeftButton, pos=table.visualItemRect(table.item(0, 0)).center()
        )
        assert page.view.backups.restore_button.isEnabled()
        qtbot.mouseClick(page.view.backups.restore_button, Qt.MouseButton.LeftButton)

        qtbot.waitUntil(
            lambda: running.last_restore is not None and running.window is not None, timeout=20_000
        )
        assert [e.path for e in asked] == [good]
        window = running.window
        assert window is not old_window and window.isVisible() and running.paths.shop == "甲店"
        assert running.lock.held
        qtbot.waitUntil(lambda: window.orders_label.text() == "订单 3,000", timeout=10_000)
        assert "甲店" in window.windowTitle() and window.current_key() == "settings"
        assert "已从备份恢复" in window.statusBar().currentMessage()
        # The database now equals the backup; the data before the restore was kept.
        assert dump_tables(paths.db_file, TABLES) == expected
        (before,) = paths.backup_dir.glob("before-restore-*.db")
        assert dump_tables(before, TABLES) == changed
        # The reopened page lists both, newest first.
        new_table = window.page("settings").view.backup_table
        qtbot.waitUntil(lambda: new_table.rowCount() == 2, timeout=10_000)
        assert new_table.item(0, 1).text() == "恢复前" and new_table.item(1, 3).text() == good.name
    finally:
        running.shutdown()


def test_a_damaged_shop_is_offered_the_newest_good_backup(shop, qapp, qtbot):
    paths, good = shop
    expected = dump_tables(good, TABLES)
    damage_mid_file(paths.db_file)
    running = _start(paths, qapp)
    try:
        # The background check finds the damage and asks; the first button restores.
        qtbot.waitUntil(lambda: running.damaged_box is not None, timeout=20_000)
        box = running.damaged_box
        assert box.windowTitle() == "数据文件可能已损坏"
        newest = next(b for b in box.buttons() if b.text() == "从最近的备份恢复")
        qtbot.mouseClick(newest, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(
            lambda: running.last_restore is not None and running.window is not None, timeout=20_000
        )
        result = running.last_restore
        assert result.source == good and result.before is None and result.set_aside is not None
        assert result.set_aside.exists() and dump_tables(paths.db_file, TABLES) == expected
        assert "改名保留" in running.window.statusBar().currentMessage()
        qtbot.waitUntil(lambda: running.window.orders_label.text() == "订单 3,000", timeout=10_000)
        assert raw_rows(paths.db_file, "PRAGMA integrity_check") == [("ok",)]
    finally:
        running.shutdown()


def test_a_shop_that_is_no_database_any_more_restores_at_start(shop, qapp, qtbot, monkeypatch):
    paths, good = shop
    zero_header(paths.db_file)
    asked = []

    def answer(self, problem, parent, *, modal):
        asked.append((problem, modal))
        return ""  # 从最近的备份恢复

    monkeypatch.setattr(app_module.Application, "ask_restore_damaged", answer)
    running = _start(paths, qapp)
    try:
        assert asked and asked[0][1] is True and "不是数据库文件" in asked[0][0]
        assert running.last_restore is not None and running.last_restore.source == good
        assert dump_tables(paths.db_file, TABLES) == dump_tables(good, TABLES)
        qtbot.waitUntil(lambda: running.window.orders_label.text() == "订单 3,000", timeout=10_000)
    finally:
        running.shutdown()


def test_refusing_the_restore_at_start_changes_nothing(shop, qapp, monkeypatch):
    paths, _good = shop
    zero_header(paths.db_file)
    before = paths.db_file.read_bytes()
    monkeypatch.setattr(app_module.Application, "ask_restore_damaged", lambda *a, **k: None)
    application = app_module.Application(qapp, shops.resolve_shop(paths.data_dir, "甲店"))
    try:
        assert application.start() == 2
    finally:
        application.lock.release()
    assert paths.db_file.read_bytes() == before
    assert not list(paths.shop_dir.glob("shop.db.damaged-*"))


def test_the_daily_backup_runs_from_the_app(shop, qapp, qtbot, monkeypatch):
    paths, _good = shop
    monkeypatch.setattr(app_module, "AUTO_BACKUP_FIRST_CHECK_MS", 0)
    running = _start(paths, qapp)
    try:
        qtbot.waitUntil(lambda: bool(list(paths.backup_dir.glob("auto-*.db"))), timeout=20_000)
        (auto,) = paths.backup_dir.glob("auto-*.db")
        qtbot.waitUntil(lambda: "已自动备份" in running.window.statusBar().currentMessage(), timeout=10_000)
        assert raw_rows(auto, 'SELECT COUNT(*) FROM "order"') == [(2000,)]
    finally:
        running.shutdown()


def test_damaged_box_can_be_put_off(shop, qapp, qtbot):
    paths, _good = shop
    running = _start(paths, qapp)
    try:
        before = dump_tables(paths.db_file, ("order",))
        running._on_checked("*** in database main ***\nPage 42: btreeInitPage() returns error code 11")
        box = running.damaged_box
        assert isinstance(box, QMessageBox) and "Page 42" in box.detailedText()
        later = next(b for b in box.buttons() if b.text() == "以后再说")
        qtbot.mouseClick(later, Qt.MouseButton.LeftButton)
        assert running.damaged_box is None and running.last_restore is None
        assert dump_tables(paths.db_file, ("order",)) == before
    finally:
        running.shutdown()
