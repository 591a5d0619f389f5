"""自动导入文件夹: platform exports dropped into a chosen folder import by themselves.

The folder (often the browser's downloads) is watched with QFileSystemWatcher. A new ``.csv`` /
``.xlsx`` file, or a ``.zip`` holding one CSV (the bill ZIP of 对账中心; other ZIPs are skipped
without a notice), is imported once its size has stopped changing (a download in progress keeps
growing, and browsers write ``.crdownload`` / ``.part`` names first). Only clean files are
applied automatically: a file with bad rows is left for the user, with a notice. Files that
were in the folder when it was chosen are not imported; every file handled is remembered by
name, size and time (QSettings, this machine), and the import's own file hash makes a second
import of the same content a no-op anyway.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, QObject, QSettings, QTimer, Signal

from pdd_desktop.jobs.events import AppEvents
from pdd_desktop.jobs.runner import DB
from pdd_desktop.tabular import bill_files

log = logging.getLogger(__name__)

FOLDER_KEY = "import/watch_folder"
SEEN_KEY = "import/watch_seen"
SUFFIXES = (".csv", ".xlsx", ".xlsm", ".zip")
#: A file must keep the same size this long before it is read.
SETTLE_MS = 2000
#: Remembered file signatures (the oldest are forgotten first).
SEEN_LIMIT = 2000


def _signature(path: Path) -> str | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return f"{path.name}|{st.st_size}|{int(st.st_mtime)}"


def _candidates(folder: Path) -> list[Path]:
    try:
        return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in SUFFIXES)
    except OSError:
        return []


def _seen(settings: QSettings) -> set[str]:
    value = settings.value(SEEN_KEY)
    return set(value) if isinstance(value, list) else set()


def _save_seen(settings: QSettings, seen: set[str]) -> None:
    settings.setValue(SEEN_KEY, sorted(seen)[-SEEN_LIMIT:])


def choose_watch_folder(settings: QSettings, folder: str) -> None:
    """Store the watched folder ("" = none); the files already in it will not be imported."""
    settings.setValue(FOLDER_KEY, folder)
    if folder and Path(folder).is_dir():
        seen = _seen(settings)
        seen.update(s for s in (_signature(p) for p in _candidates(Path(folder))) if s)
        _save_seen(settings, seen)


class FolderWatcher(QObject):
    """Imports new export files from one folder; ``notice`` says what happened (status bar)."""

    #: A short Chinese message for the status bar.
    notice = Signal(str)
    #: The same notices for a desktop notification: (title, text, is_problem, file path).
    notify = Signal(str, str, bool, str)
    #: A file was handled: (path, ImportResult or None when not applied).
    handled = Signal(str, object)

    def __init__(
        self,
        runner,
        events: AppEvents,
        settings: QSettings,
        *,
        check: Callable[[str], object],
        apply: Callable[[object], object],
        discard: Callable[[object], None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self._events = events
        self._settings = settings
        self._check = check
        self._apply = apply
        self._discard = discard
        self._watcher = QFileSystemWatcher(self)
        self._watcher.directoryChanged.connect(lambda _d: self._timer.start())
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SETTLE_MS)
        self._timer.timeout.connect(self.scan)
        self._sizes: dict[str, int] = {}
        self._busy: set[str] = set()
        self.folder: Path | None = None
        self.reload()

    # --- the folder ---
    def reload(self) -> None:
        """Watch the folder the settings name (none: stop watching)."""
        for d in self._watcher.directories():
            self._watcher.removePath(d)
        value = self._settings.value(FOLDER_KEY)
        self.folder = Path(str(value)) if value else None
        if self.folder is not None and self.folder.is_dir():
            self._watcher.addPath(str(self.folder))
            self._timer.start()

    def set_folder(self, folder: str) -> None:
        """Choose the folder ("" = none); files already in it are left alone."""
        choose_watch_folder(self._settings, folder)
        self.reload()

    def _seen(self) -> set[str]:
        return _seen(self._settings)

    def _save_seen(self, seen: set[str]) -> None:
        _save_seen(self._settings, seen)

    @staticmethod
    def _candidates(folder: Path) -> list[Path]:
        return _candidates(folder)

    # --- scanning ---
    def scan(self) -> None:
        """Look for new, settled files and import them one by one."""
        if self.folder is None:
            return
        seen = self._seen()
        unsettled = False
        for path in self._candidates(self.folder):
            signature = _signature(path)
            if signature is None or signature in seen or str(path) in self._busy:
                continue
            size = path.stat().st_size
            if self._sizes.get(str(path)) != size or size == 0:
                self._sizes[str(path)] = size  # still being written: look again later
                unsettled = True
                continue
            self._busy.add(str(path))
            self._import(path, signature)
        if unsettled:
            self._timer.start()

    def _import(self, path: Path, signature: str) -> None:
        def work(_task):
            if path.suffix.lower() == ".zip" and not bill_files.zip_holds_csv(path):
                return None, None  # some other download: not ours, no notice
            check = self._check(str(path))
            if getattr(check, "already_imported", False) or getattr(check, "errors", ()):
                self._discard(check)
                return check, None
            return check, self._apply(check)

        def done(result) -> None:
            check, applied = result
            self._finish(path, signature)
            if check is None:
                return
            if applied is not None:
                self._tell(path, f"已自动导入 {path.name}", applied.message, problem=False)
                self._events.changes_applied.emit(applied.changes, self)
            elif getattr(check, "errors", ()):
                self._tell(
                    path,
                    f"{path.name} 有 {check.bad_rows} 行错误",
                    "没有自动导入：请用“导入平台订单”查看并处理",
                    problem=True,
                    sep="，",
                )
            self.handled.emit(str(path), applied)

        def failed(exc: BaseException) -> None:
            self._finish(path, signature)
            log.warning("auto import of %s failed: %s", path.name, exc)
            self._tell(path, f"{path.name} 没有自动导入", str(exc), problem=True)
            self.handled.emit(str(path), None)

        self._runner.submit(work, lane=DB, on_success=done, on_failure=failed, owner=self)

    def _tell(self, path: Path, title: str, text: str, *, problem: bool, sep: str = "：") -> None:
        self.notice.emit(f"{title}{sep}{text}")
        self.notify.emit(title, text, problem, str(path))

    def _finish(self, path: Path, signature: str) -> None:
        self._busy.discard(str(path))
        seen = self._seen()
        seen.add(signature)
        self._save_seen(seen)
