"""自动导入文件夹: new clean exports import by themselves; bad ones and old ones do not."""

from __future__ import annotations

import shutil

from PySide6.QtCore import QSettings

from pdd_desktop.jobs.events import AppEvents
from pdd_desktop.jobs.folder_watch import FolderWatcher
from pdd_desktop.jobs.runner import ImmediateRunner
from pdd_desktop.services import imports
from tests.fixtures.exports import make_exports as mx
from tests.helpers.db import q


def _export(path, demo_shop, prefix: str, *, bad: bool = False):
    orders = mx.order_rows(demo_shop.db_file, "status = 1", limit=3)
    rows = mx.table([({**o, "order_sn": prefix + o["order_sn"][2:]}, items) for o, items in orders], "new")
    if bad:
        rows[1][rows[0].index("订单状态")] = "火星上"
    return mx.write(path, rows, "utf-8-sig")


def test_new_clean_files_import_themselves_bad_and_old_ones_do_not(qtbot, demo_shop, tmp_path):
    folder = tmp_path / "下载"
    folder.mkdir()
    _export(folder / "old.csv", demo_shop, "97")  # there before the folder was chosen
    settings = QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    events = AppEvents()
    watcher = FolderWatcher(
        ImmediateRunner(), events, settings,
        check=imports.check_import_file, apply=imports.apply_import, discard=imports.discard_check,
    )  # fmt: skip
    notices, changed, popups = [], [], []
    watcher.notice.connect(notices.append)
    watcher.notify.connect(lambda *args: popups.append(args))
    events.changes_applied.connect(lambda changes, _who: changed.append(changes))
    watcher.set_folder(str(folder))
    watcher.scan()
    watcher.scan()
    assert notices == [] and q('SELECT COUNT(*) FROM "order" WHERE order_sn LIKE ?', "97%") == [(0,)]

    _export(folder / "新导出.csv", demo_shop, "98")
    watcher.scan()  # first sight: the size may still grow
    assert q('SELECT COUNT(*) FROM "order" WHERE order_sn LIKE ?', "98%") == [(0,)]
    watcher.scan()
    assert q('SELECT COUNT(*) FROM "order" WHERE order_sn LIKE ?', "98%") == [(3,)]
    assert notices[-1].startswith("已自动导入 新导出.csv") and changed
    title, _text, problem, path = popups[-1]
    assert title == "已自动导入 新导出.csv" and not problem and path.endswith("新导出.csv")

    _export(folder / "坏的.csv", demo_shop, "96", bad=True)
    watcher.scan()
    watcher.scan()
    assert q('SELECT COUNT(*) FROM "order" WHERE order_sn LIKE ?', "96%") == [(0,)]
    assert "坏的.csv 有 1 行错误" in notices[-1]
    title, text, problem, path = popups[-1]
    assert (title, problem) == ("坏的.csv 有 1 行错误", True) and "没有自动导入" in text

    # The same content under another name: the file hash says it was imported; nothing happens.
    shutil.copyfile(folder / "新导出.csv", folder / "新导出 (1).csv")
    before = len(notices)
    watcher.scan()
    watcher.scan()
    assert len(notices) == before and q("SELECT COUNT(*) FROM import_batch") == [(1,)]
    # Each file is handled once.
    watcher.scan()
    assert len(notices) == before


def test_settings_page_chooses_and_clears_the_folder(qtbot, window, tmp_path):
    from pdd_desktop.jobs.folder_watch import FOLDER_KEY

    window.show_page("settings")
    page = window.page("settings")
    page.choose_watch_directory = lambda: str(tmp_path)
    page.view.watch_choose_button.click()
    assert page.view.watch_folder_label.text() == str(tmp_path)
    assert QSettings().value(FOLDER_KEY) == str(tmp_path)
    page.view.watch_clear_button.click()
    assert page.view.watch_folder_label.text() == "未设置" and not QSettings().value(FOLDER_KEY)
