"""PySide6 6.12 on Python 3.11 loses a reference to None per void call; the app survives it."""

from __future__ import annotations

import sys

from PySide6.QtCore import QModelRoleData, QObject

from pdd_desktop.common import none_pin


def test_none_survives_a_working_day_of_qt_calls(qtbot, window):
    """Far more void calls than None had references before the pin (about 30,000 here): without
    it this test aborts the interpreter."""
    obj = QObject()
    data = QModelRoleData(0)
    for i in range(60_000):
        obj.setObjectName("x")
        data.setData(i)
        data.clearData()
    window.show_page("orders")
    page = window.page("orders")
    for _ in range(50):
        page.view.table.viewport().repaint()
    if sys.version_info < (3, 12):
        assert none_pin._pinned
        assert sys.getrefcount(None) > none_pin.PIN // 2
    assert none_pin.pin_none() is False  # once per process
