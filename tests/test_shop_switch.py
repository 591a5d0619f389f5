"""Shops from the window: the switcher, create, rename, delete (after a backup), the demo's marks."""

from __future__ import annotations

import shutil
import sqlite3

import pytest
from PySide6.QtCore import Qt

from pdd_desktop import app as app_module
from pdd_desktop.common.paths import shop_paths
from pdd_desktop.services import shops
from tests.helpers.db import raw_rows


@pytest.fixture(autouse=True)
def _no_background_sync(monkeypatch):
    """No sync worker: these shops have sync off, and switching is what is tested."""
    monkeypatch.setattr(app_module.Application, "_start_sync", lambda self: None)


@pytest.fixture
def data(tmp_path, demo_template):
    """A real shop 甲店 holding the demo's orders, an empty real shop 乙店, and the demo shop."""
    data = tmp_path / "data"
    a = shop_paths(data, "甲店").ensure()
    shutil.copyfile(demo_template, a.db_file)
    with sqlite3.connect(a.db_file) as conn:
        conn.execute("UPDATE shop SET is_demo = 0, name = '甲店'")
    shops.create_shop(data, "乙店")
    demo = shop_paths(data, "demo").ensure()
    shutil.copyfile(demo_template, demo.db_file)
    return data


@pytest.fixture
def running(data, qapp, qtbot):
    """The app on 甲店, as ``pdd-desktop --shop 甲店`` opens it."""
    paths = shops.resolve_shop(data, "甲店")
    application = app_module.Application(qapp, paths)
    assert application.start() == -1
    yield application
    application.shutdown()


def _open_switcher(app, qtbot, count: int = 3):
    qtbot.mouseClick(app.window.shop_button, Qt.MouseButton.LeftButton)
    dlg = app.window.shops_dialog
    qtbot.waitUntil(lambda: dlg.shop_list.count() == count, timeout=10_000)
    return dlg


def test_switch_from_the_status_bar_and_remember_it(running, data, qtbot, qapp):
    window = running.window
    assert "甲店" in window.windowTitle() and "甲店" in window.shop_button.text()
    qtbot.waitUntil(lambda: window.orders_label.text() not in ("", "订单 0"), timeout=10_000)
    dlg = _open_switcher(running, qtbot)
    texts = [dlg.shop_list.item(i).text() for i in range(dlg.shop_list.count())]
    assert texts[0].startswith("乙店") or texts[1].startswith("乙店")
    assert any("当前打开" in t and t.startswith("甲店") for t in texts)
    assert any("（演示）" in t for t in texts)
    # The open shop cannot be deleted from here.
    assert not dlg.delete_button.isEnabled() and not dlg.open_button.isEnabled()
    dlg.select("乙店")
    assert dlg.open_button.isEnabled()
    qtbot.mouseClick(dlg.open_button, Qt.MouseButton.LeftButton)
    new = running.window
    assert new is not window and new.isVisible() and running.paths.shop == "乙店"
    assert "乙店" in new.windowTitle() and not new.demo_banner.isVisible()
    qtbot.waitUntil(lambda: new.orders_label.text() == "订单 0", timeout=10_000)
    assert shops.last_shop(data) == "乙店"
    # The app did not quit when the old window closed, and 甲店 is free again.
    assert qapp.quitOnLastWindowClosed()
    assert not running.lock.path.parent.name == "甲店"
    # Without --shop, the next start opens the shop used last.
    assert shops.resolve_shop(data, None).shop == "乙店"


def test_create_rename_and_delete_from_the_window(running, data, qtbot, monkeypatch):
    a_before = raw_rows(shop_paths(data, "甲店").db_file, 'SELECT COUNT(*) FROM "order"')
    # 店铺 → 新建店铺: a name, then the new empty shop opens.
    running.window.create_shop_action.trigger()
    name_dialog = running.window.shops_dialog.name_dialog
    name_dialog.name_edit.setText("丙店")
    qtbot.mouseClick(name_dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: running.paths.shop == "丙店", timeout=10_000)
    assert "丙店" in running.window.windowTitle()
    # 给当前店铺改名: the folder follows the name; the window reopens on it.
    running.window.rename_shop_action.trigger()
    rename = running.window.rename_dialog
    rename.name_edit.setText("丙记杂货")
    qtbot.mouseClick(rename.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: running.paths.shop == "丙记杂货", timeout=10_000)
    assert "丙记杂货" in running.window.windowTitle() and "丙记杂货" in running.window.shop_button.text()
    assert not (data / "shops" / "丙店").exists()
    assert raw_rows(shop_paths(data, "丙记杂货").db_file, "SELECT name FROM shop") == [("丙记杂货",)]
    # Delete 甲店 (not open): the confirmation names it, a backup comes first, 乙店 is untouched.
    b_before = raw_rows(shop_paths(data, "乙店").db_file, "SELECT * FROM shop")
    dlg = _open_switcher(running, qtbot, count=4)
    asked = []
    monkeypatch.setattr(dlg, "confirm_delete", lambda entry: asked.append(entry.name) or True)
    dlg.select("甲店")
    qtbot.mouseClick(dlg.delete_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "已删除" in dlg.status_label.text(), timeout=10_000)
    assert asked == ["甲店"]
    (backup,) = (data / "backups").glob("甲店-*.db")
    assert raw_rows(backup, 'SELECT COUNT(*) FROM "order"') == a_before
    assert not (data / "shops" / "甲店").exists()
    assert raw_rows(shop_paths(data, "乙店").db_file, "SELECT * FROM shop") == b_before
    qtbot.waitUntil(lambda: dlg.shop_list.count() == 3, timeout=10_000)  # 乙店, 丙记杂货, demo


def test_a_shop_open_elsewhere_is_not_switched_to(running, data, qtbot, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from pdd_desktop.common.instance_lock import InstanceLock

    warned = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: warned.append(args[2]))
    window = running.window
    with InstanceLock(shop_paths(data, "乙店").lock_file):
        assert running.switch_shop("乙店") is False
    assert warned and "已被另一个" in warned[0]
    assert running.window is window and running.paths.shop == "甲店"


def test_the_demo_shop_is_marked_and_refuses_order_files(data, qapp, qtbot):
    application = app_module.Application(qapp, shops.resolve_shop(data, "demo"))
    try:
        assert application.start() == -1
        window = application.window
        assert "演示店铺" in window.windowTitle() and window.demo_banner.isVisible()
        window.grab().save("/tmp/demo_banner.png")
        window.open_import_dialog()
        box = window.demo_refusal_box
        assert box.isVisible() and "演示店铺只有模拟数据" in box.text()
        assert window.import_dialog is None
        # The box offers to create a real shop.
        create = next(b for b in box.buttons() if b.text().startswith("新建真实店铺"))
        qtbot.mouseClick(create, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(
            lambda: window.shops_dialog is not None and window.shops_dialog.name_dialog is not None
        )
        assert window.shops_dialog.name_dialog.isVisible()
    finally:
        application.shutdown()
