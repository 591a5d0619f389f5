"""Progress for user-started work: busy cursor first, a dialog with Cancel only if it lasts.

The worker records its latest progress in a TaskContext; this presenter reads it every 100 ms
(so a fast loop cannot flood the event loop) and shows a modal dialog after 600 ms.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication, QProgressDialog, QWidget

from pdd_desktop.common.task import TaskContext

POLL_MS = 100
DIALOG_AFTER_MS = 600


class ProgressPresenter(QObject):
    """Watches one task; call :meth:`finish` from the job's callback."""

    def __init__(self, task: TaskContext, parent: QWidget, title: str) -> None:
        super().__init__(parent)
        self._task = task
        self._parent = parent
        self._title = title
        self._dialog: QProgressDialog | None = None
        self._elapsed = 0
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self._poll)
        QApplication.setOverrideCursor(Qt.CursorShape.BusyCursor)
        self._timer.start()

    @property
    def dialog(self) -> QProgressDialog | None:
        """The dialog once shown (tests press its Cancel)."""
        return self._dialog

    def _poll(self) -> None:
        self._elapsed += POLL_MS
        snap = self._task.snapshot()
        if self._dialog is None and self._elapsed >= DIALOG_AFTER_MS:
            dlg = QProgressDialog(self._title, "取消", 0, 0, self._parent)
            dlg.setWindowTitle(self._title)
            dlg.setWindowModality(Qt.WindowModality.WindowModal)
            dlg.setMinimumDuration(0)
            dlg.setAutoClose(False)
            dlg.setAutoReset(False)
            dlg.canceled.connect(self._task.cancel)
            dlg.show()
            self._dialog = dlg
        if self._dialog is not None:
            if snap.total > 0:
                self._dialog.setMaximum(snap.total)
                self._dialog.setValue(min(snap.done, snap.total))
            elif self._dialog.maximum() != 0:
                self._dialog.setRange(0, 0)  # a step without a count: a busy bar, not a stale one
            if snap.label:
                text = f"{snap.label}（{snap.done:,}/{snap.total:,}）" if snap.total else snap.label
                if snap.cancel_requested:
                    text += " — 正在取消…"
                self._dialog.setLabelText(text)

    def finish(self) -> None:
        """Close the dialog and restore the cursor (idempotent)."""
        if self._timer.isActive():
            self._timer.stop()
            QApplication.restoreOverrideCursor()
        if self._dialog is not None:
            self._dialog.close()
            self._dialog.deleteLater()
            self._dialog = None
