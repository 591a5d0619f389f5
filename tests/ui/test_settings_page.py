"""设置: rule edits are validated, saved in one go, and move the home counters."""

from __future__ import annotations

import json
import sqlite3

from PySide6.QtCore import Qt

from tests.conftest import DEMO_NOW
from tests.ui.test_home_page import expected_counters


def _settings_rows(db):
    conn = sqlite3.connect(db)
    try:
        return dict(conn.execute("SELECT key, value_json FROM setting WHERE key != 'demo_origin'").fetchall())
    finally:
        conn.close()


def test_saving_rules_updates_the_database_and_the_home_page(qtbot, window, demo_shop):
    window.show_page("settings")
    page = window.page("settings")
    v = page.view
    assert v.near_deadline_hours.value() == 6 and v.late_compensation.text() == "3.00"
    v.near_deadline_hours.setValue(12)
    v.fast_ship_enabled.setChecked(True)
    v.late_compensation.clear()
    qtbot.keyClicks(v.late_compensation, "5.50")
    qtbot.mouseClick(v.save_button, Qt.MouseButton.LeftButton)
    assert v.status_label.text() == "已保存"
    rows = _settings_rows(demo_shop.db_file)
    assert json.loads(rows["near_deadline_hours"]) == 12
    assert json.loads(rows["fast_ship_enabled"]) is True
    assert json.loads(rows["late_compensation_fen"]) == 550

    window.show_page("home")
    home = window.page("home")
    expected = expected_counters(demo_shop.db_file, DEMO_NOW, near_h=12)
    assert home.view.counters["near_deadline"].value_text == f"{expected['near_deadline']:,}"
    at_risk = expected["near_deadline"] + expected["overdue"]
    assert home.view.exposure_label.isVisible()
    fen = at_risk * 550
    assert f"{at_risk:,} 单" in home.view.exposure_label.text()
    assert f"¥{fen // 100:,}.{fen % 100:02d}" in home.view.exposure_label.text()


def test_bad_compensation_is_explained_and_nothing_is_saved(qtbot, window, demo_shop):
    window.show_page("settings")
    v = window.page("settings").view
    v.near_deadline_hours.setValue(9)
    v.late_compensation.setText("3.333")
    qtbot.mouseClick(v.save_button, Qt.MouseButton.LeftButton)
    assert "超时赔付" in v.status_label.text() and "两位小数" in v.status_label.text()
    assert _settings_rows(demo_shop.db_file) == {}


def test_backup_button_makes_a_checked_copy(qtbot, window, demo_shop):
    window.show_page("settings")
    v = window.page("settings").view
    qtbot.mouseClick(v.backup_button, Qt.MouseButton.LeftButton)
    backups = list(demo_shop.backup_dir.glob("shop-*.db"))
    assert len(backups) == 1
    table = v.backup_table  # 备份时间 · 类型 · 大小 · 文件名
    assert table.rowCount() == 1 and table.item(0, 3).text() == backups[0].name
    assert table.item(0, 1).text() == "手动"
    conn = sqlite3.connect(backups[0])
    assert conn.execute('SELECT COUNT(*) FROM "order"').fetchone()[0] == 3000
    conn.close()


def test_label_size_and_font_are_chosen_per_machine(qtbot, window, tmp_path):
    from PySide6.QtCore import QSettings

    from pdd_desktop.ui.print_settings import font_path, label_template

    window.show_page("settings")
    page = window.page("settings")
    combo = page.view.label_template_combo
    assert combo.currentData() == "label_76x130"
    combo.setCurrentIndex(combo.findData("label_100x150"))
    assert label_template(QSettings()) == "label_100x150"
    qtbot.waitUntil(lambda: "检查" not in page.view.font_label.text())
    assert "已嵌入" in page.view.font_label.text()
    bogus = tmp_path / "not-a-font.ttf"
    bogus.write_bytes(b"not a font")
    page.choose_font_file = lambda: str(bogus)
    qtbot.mouseClick(page.view.font_choose_button, Qt.MouseButton.LeftButton)
    assert font_path(QSettings()) == str(bogus)
    qtbot.waitUntil(lambda: "检查" not in page.view.font_label.text())
    assert "not-a-font.ttf" in page.view.font_label.text() and "⚠" in page.view.font_label.text()
    qtbot.mouseClick(page.view.font_reset_button, Qt.MouseButton.LeftButton)
    assert font_path(QSettings()) is None


def _wheel(widget, delta_y: int = -120):
    from PySide6.QtCore import QPoint, QPointF
    from PySide6.QtGui import QWheelEvent
    from PySide6.QtWidgets import QApplication

    centre = QPointF(widget.rect().center())
    event = QWheelEvent(
        centre,
        QPointF(widget.mapToGlobal(centre.toPoint())),
        QPoint(0, 0),
        QPoint(0, delta_y),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(widget, event)


def test_wheel_over_closed_editors_scrolls_the_page_instead(qtbot, window):
    window.resize(1280, 800)
    window.show_page("settings")
    page = window.page("settings")
    v = page.view
    combo, spin = v.sync_mode_combo, v.near_deadline_hours
    combo.setCurrentIndex(0)
    window.setFocus()
    bar = v.scroll.verticalScrollBar()
    assert bar.maximum() > 0  # the page is taller than the window
    bar.setValue(0)
    _wheel(combo)
    _wheel(spin)
    assert combo.currentIndex() == 0 and spin.value() == 6
    assert bar.value() > 0  # the wheel scrolled the page
    # An editor the merchant clicked into takes the wheel.
    spin.setFocus()
    qtbot.waitUntil(spin.hasFocus)
    _wheel(spin, 120)
    assert spin.value() == 7


def test_settings_speaks_the_merchants_words_at_sensible_widths(qtbot, window):
    from PySide6.QtWidgets import QLabel, QLineEdit

    window.resize(1280, 800)
    window.show_page("settings")
    v = window.page("settings").view
    texts = " ".join(w.text() for w in v.findChildren(QLabel))
    for word in ("应用 ID", "应用密钥", "授权令牌", "刷新令牌"):
        assert word in texts
    for key in ("client_id", "client_secret", "access_token", "refresh_token", "app_key"):
        assert key not in texts
        assert all(key not in e.placeholderText() for e in v.findChildren(QLineEdit))
    for edit in (v.api_gateway_edit, v.api_client_secret_edit, v.invoice_seller_title):
        assert 300 <= edit.width() <= 520
