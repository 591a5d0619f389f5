"""The base of the app's edit dialogs: OK emits ``submitted`` and the caller does the write.

The dialog is shown with ``open()``; the page runs the write on a lane, then calls ``accept()``
on success or ``show_error()`` with the reason (the dialog stays open). While the write runs,
``set_busy(True)`` blocks OK and closing. Tests fill the public children and click ``ok_button``.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from pdd_desktop.ui.i18n import tr


def error_label() -> QLabel:
    """A red, wrapping message line, hidden until it has something to say."""
    label = QLabel("")
    label.setObjectName("Danger")
    label.setWordWrap(True)
    label.setVisible(False)
    return label


class FormDialog(QDialog):
    """A dialog whose OK emits ``submitted`` instead of closing; the caller accepts on success.

    Public children: ``ok_button``, ``cancel_button``, ``error_label``.
    """

    #: The user confirmed valid input.
    submitted = Signal()

    def __init__(
        self, title: str, ok_text: str, parent: QWidget | None = None, cancel_text: str = tr("取消")
    ):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(420)
        self.body = QVBoxLayout(self)
        self.error_label = error_label()
        self.buttons = QDialogButtonBox()
        self.ok_button = self.buttons.addButton(ok_text, QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok_button.setDefault(True)
        self.cancel_button = self.buttons.addButton(cancel_text, QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.rejected.connect(self.reject)
        self.ok_button.clicked.connect(self._on_ok)
        self._busy = False

    def finish_layout(self) -> None:
        """Add the error line and the buttons below the body; subclasses call this last."""
        self.body.addWidget(self.error_label)
        self.body.addWidget(self.buttons)
        self.update_ok()

    def can_submit(self) -> bool:
        """Whether the input is complete and valid; subclasses refine this."""
        return True

    def update_ok(self) -> None:
        """Enable OK when the input is valid and no write is running."""
        self.ok_button.setEnabled(not self._busy and self.can_submit())

    def set_busy(self, busy: bool) -> None:
        """Disable OK and closing while the write runs (its result comes back to this dialog)."""
        self._busy = busy
        self.cancel_button.setEnabled(not busy)
        self.update_ok()

    def reject(self) -> None:
        if not self._busy:
            super().reject()

    def show_error(self, message: str) -> None:
        """Show why the write did not happen; the dialog stays open."""
        self.error_label.setText(message)
        self.error_label.setVisible(bool(message))

    def _on_ok(self) -> None:
        if self._busy or not self.can_submit():
            return
        self.show_error("")
        self.submitted.emit()

    def keyPressEvent(self, event) -> None:
        # Enter in a line edit must not close the dialog behind the controller's back.
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._on_ok()
            return
        super().keyPressEvent(event)
