"""Bills (货款账单) through the import window and the watched folder: same door as orders."""

from __future__ import annotations

import random
import sqlite3
import zipfile

import pytest
from PySide6.QtCore import QSettings, Qt

from pdd_desktop.jobs.events import AppEvents
from pdd_desktop.jobs.folder_watch import FolderWatcher
from pdd_desktop.jobs.runner import ImmediateRunner
from pdd_desktop.services import imports
from pdd_desktop.services import shop as shop_service
from pdd_desktop.ui.pages.base import PageContext
from tests.helpers import bills as bh
from tests.helpers.db import q


@pytest.fixture
def page_ctx(demo_shop, qapp):
    """A real shop (files are never imported into a demo shop)."""
    with sqlite3.connect(demo_shop.db_file) as conn:
        conn.execute("UPDATE shop SET is_demo = 0")
    return PageContext(ImmediateRunner(), AppEvents(), demo_shop, shop_service.describe_shop(demo_shop))


def test_a_bill_zip_checks_previews_and_imports_whole(qtbot, window, tmp_path):
    lines = bh.random_lines(random.Random(4), 40)
    path = bh.write(tmp_path / "账单.zip", bh.csv_text(lines), zipped=True)
    window.open_import_dialog(str(path))
    dlg = window.import_dialog
    assert dlg.check is not None and dlg.check.kind == "bills" and not dlg.check.errors
    headers = [
        dlg.preview_table.horizontalHeaderItem(i).text() for i in range(dlg.preview_table.columnCount())
    ]
    assert headers == ["行号", "订单号", "类别", "金额", "发生时间", "业务描述", "导入后"]
    assert dlg.preview_table.rowCount() == 40 and dlg.preview_table.item(0, 6).text() == "新增"
    assert dlg.preview_table.item(0, 2).text() in {"交易收入", "交易退款", "技术服务费", "技术服务费返还",
                                                    "售后赔付", "营销费用", "其他收支", "未分类",
                                                    "转账（保证金/广告账户）", "提现"}  # fmt: skip
    assert "新的账单行 40 行" in dlg.summary_label.text()
    assert dlg.import_button.isEnabled() and not dlg.partial_button.isVisible()
    qtbot.mouseClick(dlg.import_button, Qt.MouseButton.LeftButton)
    assert dlg.result is not None and dlg.result.new == 40
    assert q("SELECT COUNT(*), SUM(amount_fen) FROM bill_entry") == [
        (40, sum(bh.fen(ln.income) + bh.fen(ln.expense) for ln in lines))
    ]
    assert dlg.history_table.item(0, 2).text() == "账单"


def test_a_bill_with_a_bad_line_offers_no_partial_import(qtbot, window, tmp_path):
    lines = bh.random_lines(random.Random(5), 10)
    summary = bh.totals(lines)
    path = bh.write(
        tmp_path / "坏账单.csv", bh.csv_text(lines, summary=(summary[0], summary[1] + 100, *summary[2:]))
    )
    window.open_import_dialog(str(path))
    dlg = window.import_dialog
    assert dlg.check.errors and "收入合计与明细不符" in dlg.errors_table.item(0, 3).text()
    assert not dlg.import_button.isEnabled() and not dlg.partial_button.isVisible()
    assert q("SELECT COUNT(*) FROM bill_entry") == [(0,)]


def test_the_watched_folder_imports_bill_zips_and_skips_other_zips(qtbot, empty_shop, tmp_path):
    folder = tmp_path / "下载"
    folder.mkdir()
    settings = QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    watcher = FolderWatcher(
        ImmediateRunner(), AppEvents(), settings,
        check=imports.check_import_file, apply=imports.apply_import, discard=imports.discard_check,
    )  # fmt: skip
    notices: list[str] = []
    watcher.notice.connect(notices.append)
    watcher.set_folder(str(folder))
    with zipfile.ZipFile(folder / "照片.zip", "w") as zf:
        zf.writestr("a.jpg", b"x")
    bh.write(folder / "bill.zip", bh.csv_text(bh.random_lines(random.Random(6), 12)), zipped=True)
    watcher.scan()
    watcher.scan()
    assert q("SELECT COUNT(*) FROM bill_entry") == [(12,)]
    assert notices == ["已自动导入 bill.zip：已导入账单 bill.zip：新的账单行 12 行。"]
