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
