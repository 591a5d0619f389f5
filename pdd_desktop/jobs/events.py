"""App-wide signals: what changed, and the sync state."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal


class AppEvents(QObject):
    """Fan-out hub; pages connect here instead of to each other."""

    #: (Changes, initiator object or None) after a write op committed.
    changes_applied = Signal(object, object)
    #: A short text for the status bar's sync chip.
    sync_status_changed = Signal(str)
    #: Someone asked to sync now (a button outside the shell; the shell's F5 calls it directly).
    sync_requested = Signal()
    #: Someone asked to import a file ("" = let the user pick one).
    import_requested = Signal(str)
    #: Someone asked to restore the shop from this backup file (the app closes the shop,
    #: restores it and opens it again; 设置 → 数据与备份).
    restore_requested = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        #: The sync chip's latest text: the one source of the connection state for every view
        #: (a page built later shows the same state as the status bar).
        self.sync_status = ""
        self.sync_status_changed.connect(self._remember_sync_status)

    def _remember_sync_status(self, text: str) -> None:
        self.sync_status = text
