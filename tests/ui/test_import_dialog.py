"""导入订单文件 from the window: check, report, apply all or nothing, the history."""

from __future__ import annotations

import sqlite3

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent

from pdd_desktop.jobs.events import AppEvents
from pdd_desktop.jobs.runner import ImmediateRunner
from pdd_desktop.services import shop as shop_service
from pdd_desktop.ui.dialogs.import_dialog import ImportDialog
from pdd_desktop.ui.pages.base import PageContext
from tests.fixtures.exports import make_exports as mx
from tests.helpers.db import q


@pytest.fixture
def page_ctx(demo_shop, qapp):
    """A real shop holding the demo's orders: order files are never imported into a demo shop."""
    with sqlite3.connect(demo_shop.db_file) as conn:
        conn.execute("UPDATE shop SET is_demo = 0")
    return PageContext(ImmediateRunner(), AppEvents(), demo_shop, shop_service.describe_shop(demo_shop))


def _export(tmp_path, demo_shop, *, bad: bool = False, name: str = "orders.csv"):
    orders = mx.order_rows(demo_shop.db_file, "status = 1", limit=6)
    renamed = [({**o, "order_sn": "99" + o["order_sn"][2:]}, items) for o, items in orders]
    rows = mx.table(renamed, "old")
    if bad:
        rows[3][rows[0].index("订单状态")] = "火星上"
    return mx.write(tmp_path / name, rows, "gb18030"), [o["order_sn"] for o, _i in renamed]


def test_pick_check_and_import_a_clean_export(qtbot, window, demo_shop, tmp_path):
    path, sns = _export(tmp_path, demo_shop)
    window.show_page("orders")
    page = window.page("orders")
    page.actions.import_orders_action.trigger()
    dlg = window.import_dialog
    assert isinstance(dlg, ImportDialog) and dlg.isVisible() and not dlg.import_button.isEnabled()
    dlg.choose_file = lambda: str(path)
    qtbot.mouseClick(dlg.choose_button, Qt.MouseButton.LeftButton)
    assert dlg.check is not None and not dlg.check.errors
    assert "新订单 6 个" in dlg.summary_label.text()
    assert dlg.preview_table.rowCount() == 6 and dlg.preview_table.item(0, 6).text() == "新增"
    assert dlg.columns_table.rowCount() >= 10
    mapping = {
        dlg.columns_table.item(r, 0).text(): dlg.columns_table.item(r, 1).text()
        for r in range(dlg.columns_table.rowCount())
    }
    # The user reads what each column becomes in Chinese, never a field key.
    assert mapping["用户实付金额(元)"] == "实付金额" and mapping["订单号"] == "订单号"
    assert not any(v.isascii() and v for v in mapping.values() if v != "SKU ID"), mapping
    assert q(f'SELECT COUNT(*) FROM "order" WHERE order_sn IN ({",".join("?" * 6)})', *sns) == [(0,)]
    qtbot.mouseClick(dlg.import_button, Qt.MouseButton.LeftButton)
    assert dlg.result is not None and dlg.result.new == 6
    assert q(f'SELECT COUNT(*) FROM "order" WHERE order_sn IN ({",".join("?" * 6)})', *sns) == [(6,)]
    assert dlg.history_table.rowCount() == 1 and dlg.history_table.item(0, 3).text() == "6"
    assert dlg.history_table.item(0, 7).text() == "已导入"
    # The same file again: nothing to do, and the button says so by staying disabled.
    dlg.check_file(str(path))
    assert dlg.check.already_imported and not dlg.import_button.isEnabled()
    assert "导入过" in dlg.summary_label.text()


def test_a_file_with_a_bad_row_imports_nothing_unless_the_good_rows_are_chosen(
    qtbot, window, demo_shop, tmp_path
):
    path, _sns = _export(tmp_path, demo_shop, bad=True)
    window.open_import_dialog(str(path))
    dlg = window.import_dialog
    assert dlg.check.errors and dlg.tabs.currentIndex() == 2
    assert dlg.errors_table.item(0, 0).text() == "4" and dlg.errors_table.item(0, 2).text() == "火星上"
    assert not dlg.import_button.isEnabled() and dlg.partial_button.isEnabled()
    before = q('SELECT COUNT(*) FROM "order"')
    dlg.confirm_partial = lambda check: False
    qtbot.mouseClick(dlg.partial_button, Qt.MouseButton.LeftButton)
    assert q('SELECT COUNT(*) FROM "order"') == before
    dlg.confirm_partial = lambda check: True
    qtbot.mouseClick(dlg.partial_button, Qt.MouseButton.LeftButton)
    assert dlg.result is not None and dlg.result.rows_rejected == 1
    assert q('SELECT COUNT(*) FROM "order"')[0][0] == before[0][0] + 5
    assert q("SELECT COUNT(*) FROM import_row_error") == [(1,)]
    assert dlg.history_table.item(0, 7).text() == "部分导入（1 行未导入）"


def test_dropping_a_file_on_the_window_opens_the_import(qtbot, window, demo_shop, tmp_path):
    path, _sns = _export(tmp_path, demo_shop, name="拖进来.csv")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    event = QDropEvent(
        QPointF(50, 50),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    window.dropEvent(event)  # what Qt calls on a drop (offscreen has no drag-and-drop session)
    dlg = window.import_dialog
    assert dlg is not None and dlg.check is not None and dlg.check.file_name == "拖进来.csv"
