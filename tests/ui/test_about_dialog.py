"""关于/诊断: versions and folders, reachable from 设置 and the menu; the diagnostics package."""

from __future__ import annotations

import zipfile

from PySide6.QtWidgets import QAbstractButton, QLabel

LIBRARY_NAMES = ("Python", "Qt", "PySide6", "ReportLab", "SQLite")


def _texts(widget) -> list[str]:
    return [w.text() for w in widget.findChildren(QLabel)] + [
        w.text() for w in widget.findChildren(QAbstractButton)
    ]


def test_about_dialog_from_the_menu_shows_version_folders_and_libraries(qtbot, window, demo_shop, page_ctx):
    window.about_action.trigger()
    dlg = window.about_dialog
    assert dlg is not None and dlg.isVisible()
    from pdd_desktop import __version__

    assert dlg.version_label.text() == __version__
    assert dlg.shop_label.text() == page_ctx.shop.name
    assert dlg.data_dir_label.text() == str(demo_shop.shop_dir)
    assert dlg.db_file_label.text() == str(demo_shop.db_file)
    assert dlg.log_dir_label.text() == str(demo_shop.log_dir)
    assert dlg.schema_label.text() == str(page_ctx.shop.schema_version)
    for name in LIBRARY_NAMES:
        assert dlg.version_labels[name].text()[0].isdigit(), name
    opened = []
    dlg.open_folder = opened.append  # no file manager in tests
    dlg.open_data_button.clicked.disconnect()
    dlg.open_data_button.clicked.connect(lambda: dlg.open_folder(demo_shop.shop_dir))
    dlg.open_data_button.click()
    assert opened == [demo_shop.shop_dir]


def test_about_dialog_from_settings_exports_the_package(qtbot, window, demo_shop, tmp_path):
    window.show_page("settings")
    page = window.page("settings")
    page.view.about_button.click()
    dlg = page.about_dialog
    assert dlg is not None and dlg.isVisible()
    demo_shop.log_dir.mkdir(parents=True, exist_ok=True)
    (demo_shop.log_dir / "app.log").write_text(
        "WARNING ship to 13912345678 failed, access_token=SECRET-AT-1\n", encoding="utf-8"
    )
    out = tmp_path / "诊断包"
    dlg.choose_zip_path = lambda: str(out)
    dlg.export_button.click()
    qtbot.waitUntil(lambda: dlg.package is not None)
    assert dlg.package.path == tmp_path / "诊断包.zip"
    assert "诊断包已保存" in dlg.status_label.text() and dlg.export_button.isEnabled()
    with zipfile.ZipFile(dlg.package.path) as zf:
        log = zf.read("logs/app.log").decode()
        assert "139****5678" in log and "13912345678" not in log and "SECRET-AT-1" not in log
        assert "summary.json" in zf.namelist()


def test_export_cancelled_at_the_save_dialog_writes_nothing(qtbot, window, tmp_path):
    window.open_about_dialog()
    dlg = window.about_dialog
    dlg.choose_zip_path = lambda: ""
    dlg.export_button.click()
    assert dlg.package is None and dlg.status_label.text() == ""


def test_library_names_and_schema_version_appear_only_in_about(qtbot, window):
    for key in window.page_keys():
        window.show_page(key)
        texts = " ".join(_texts(window.page(key)))
        for name in ("ReportLab", "PySide", "Peewee", "SQLite", "数据库版本", "shop.db"):
            assert name not in texts, (key, name)
    status = " ".join(_texts(window.statusBar()))
    assert "shop.db" not in status
