"""Qt's own dialogs speak Chinese: standard buttons of message boxes and button boxes."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox

from pdd_desktop.ui.dialogs.welcome import WelcomeDialog
from pdd_desktop.ui.translations import install_qt_translations


def test_message_box_standard_buttons_are_chinese(qapp, qtbot):
    assert install_qt_translations(qapp)
    assert install_qt_translations(qapp)  # a second call changes nothing
    box = QMessageBox(QMessageBox.Icon.Question, "标题", "正文")
    box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
    qtbot.addWidget(box)
    box.show()
    yes = box.button(QMessageBox.StandardButton.Yes).text().replace("&", "")
    no = box.button(QMessageBox.StandardButton.No).text().replace("&", "")
    assert "是" in yes and "Yes" not in yes
    assert "否" in no and "No" not in no


def test_button_box_standard_buttons_are_chinese(qapp, qtbot):
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    qtbot.addWidget(buttons)
    cancel = buttons.button(QDialogButtonBox.StandardButton.Cancel).text().replace("&", "")
    assert "取消" in cancel and "Cancel" not in cancel


def test_welcome_quit_confirmation_has_chinese_buttons(qapp, qtbot):
    welcome = WelcomeDialog()  # not given to qtbot: its close at teardown would ask again
    seen: list[str] = []

    def answer_no() -> None:
        box = qapp.activeModalWidget()
        assert isinstance(box, QMessageBox)
        seen.extend(b.text().replace("&", "") for b in box.buttons())
        box.button(QMessageBox.StandardButton.No).click()

    QTimer.singleShot(0, answer_no)
    try:
        assert welcome.confirm_quit() is False
    finally:
        welcome.deleteLater()
    assert any("是" in t for t in seen) and any("否" in t for t in seen), seen
    assert not any(t.startswith(("Yes", "No")) for t in seen), seen
