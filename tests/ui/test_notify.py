"""Desktop notifications: a tray message where the system has a tray, else a taskbar flash."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QSystemTrayIcon

from pdd_desktop.ui.notify import Notifier


class FakeTray(QObject):
    """Stands in for QSystemTrayIcon (offscreen Qt has no tray)."""

    messageClicked = Signal()
    activated = Signal(object)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.shown = False
        self.messages: list[tuple] = []

    def show(self) -> None:
        self.shown = True

    def supportsMessages(self) -> bool:
        return True

    def showMessage(self, title, text, icon, ms) -> None:
        self.messages.append((title, text, icon, ms))


def test_a_tray_shows_the_notice_and_a_click_brings_the_window_back(qtbot, window):
    trays: list[FakeTray] = []
    notifier = Notifier(
        window, tray_available=lambda: True, tray_factory=lambda p: trays.append(FakeTray(p)) or trays[-1]
    )
    clicks = []
    notifier.clicked.connect(clicks.append)
    notifier.notify("已自动导入 订单.csv", "新增 3 个订单", False)
    notifier.notify("坏的.csv 有 1 行错误", "没有自动导入", True, context="/tmp/坏的.csv")
    (tray,) = trays  # one tray icon, made on the first notice
    assert tray.shown
    assert [(m[0], m[2]) for m in tray.messages] == [
        ("已自动导入 订单.csv", QSystemTrayIcon.MessageIcon.Information),
        ("坏的.csv 有 1 行错误", QSystemTrayIcon.MessageIcon.Warning),
    ]
    assert window.statusBar().currentMessage() == "坏的.csv 有 1 行错误：没有自动导入"
    window.showMinimized()
    tray.messageClicked.emit()
    assert clicks == ["/tmp/坏的.csv"] and not window.isMinimized()


def test_without_a_tray_the_status_bar_still_says_it(qtbot, window):
    made = []
    notifier = Notifier(window, tray_available=lambda: False, tray_factory=made.append)
    notifier.notify("已自动导入 订单.csv", "新增 3 个订单")
    assert made == [] and window.statusBar().currentMessage() == "已自动导入 订单.csv：新增 3 个订单"


def test_a_notice_does_not_erase_what_the_window_just_said(qtbot, window):
    # The restore said 已从备份恢复 a moment before an urgent alert arrived: both stay readable.
    notifier = Notifier(window, tray_available=lambda: False)
    window.statusBar().showMessage("已从备份恢复：甲店")
    notifier.notify("紧急提醒", "3 个售后单即将超时")
    assert window.statusBar().currentMessage() == "已从备份恢复：甲店　·　紧急提醒：3 个售后单即将超时"
    # The notifier's own earlier notice is replaced, not stacked.
    notifier.notify("紧急提醒", "另有 1 条新的紧急提醒")
    assert window.statusBar().currentMessage() == "紧急提醒：另有 1 条新的紧急提醒"


def test_import_history_opens_on_its_tab(qtbot, window):
    window.open_import_history()
    dlg = window.import_dialog
    assert dlg.isVisible() and dlg.tabs.currentWidget() is dlg.history_table
