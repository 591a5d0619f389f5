"""A readable error dialog with the details one click away (and easy to copy)."""

from __future__ import annotations

import traceback

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from pdd_desktop.common.fs import write_problem
from pdd_desktop.common.redact import redact_text
from pdd_desktop.domain.errors import DomainError
from pdd_desktop.ui.i18n import tr


def user_message(exc: BaseException) -> str:
    """The first line the user reads: domain errors speak for themselves."""
    if isinstance(exc, DomainError):
        return str(exc)
    problem = write_problem(exc)  # a read-only folder or a full disk, named in Chinese
    if problem:
        return tr("操作没有完成：{problem}").format(problem=problem)
    return tr("操作没有完成：{problem}").format(problem=redact_text(str(exc)) or type(exc).__name__)


class ErrorDialog(QDialog):
    """Message on top; a details box (traceback, redacted) with a copy button below."""

    def __init__(self, exc: BaseException, parent: QWidget | None = None, title: str | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("出错了") if title is None else title)  # callers pass a shown (tr'd) title
        self.setMinimumWidth(480)
        layout = QVBoxLayout(self)
        self.message_label = QLabel(user_message(exc))
        self.message_label.setWordWrap(True)
        layout.addWidget(self.message_label)
        details = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
        self.details = QPlainTextEdit(redact_text(details))
        self.details.setReadOnly(True)
        self.details.setVisible(False)
        self.details.setMinimumHeight(180)
        layout.addWidget(self.details)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        self.toggle_button = QPushButton(tr("详细信息"))
        self.copy_button = QPushButton(tr("复制详细信息"))
        buttons.addButton(self.toggle_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.accepted.connect(self.accept)
        self.toggle_button.clicked.connect(lambda: self.details.setVisible(not self.details.isVisible()))
        self.copy_button.clicked.connect(self._copy)
        layout.addWidget(buttons)

    def _copy(self) -> None:
        QGuiApplication.clipboard().setText(f"{self.message_label.text()}\n\n{self.details.toPlainText()}")
