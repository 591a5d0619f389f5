from PySide6.QtGui import QGuiApplication

from pdd_desktop.domain.errors import NotAllowed
from pdd_desktop.ui.dialogs.error import ErrorDialog


def test_error_dialog_redacts_and_copies(qtbot):
    try:
        raise RuntimeError("寄给 13912345678 失败")
    except RuntimeError as exc:
        dlg = ErrorDialog(exc)
    qtbot.addWidget(dlg)
    assert "13912345678" not in dlg.message_label.text() and "139****5678" in dlg.message_label.text()
    assert "13912345678" not in dlg.details.toPlainText() and "Traceback" in dlg.details.toPlainText()
    assert not dlg.details.isVisible()
    dlg.copy_button.click()
    assert "139****5678" in QGuiApplication.clipboard().text()


def test_domain_errors_are_shown_as_they_are(qtbot):
    dlg = ErrorDialog(NotAllowed("该订单退款中，不能发货"))
    qtbot.addWidget(dlg)
    assert dlg.message_label.text() == "该订单退款中，不能发货"
