"""One writer per shop folder: an OS file lock that dies with the process.

The lock is advisory and held on an open file handle, so a crash (even ``kill -9``) frees it;
no stale lock files to clean up. The GUI and every writing CLI command take it.

A second lock per shop, :func:`sync_lock` (``sync.lock``), is held while a sync runs: by
``pdd-desktop sync`` and by the app's sync worker, so two syncs never run on one shop at once
(the app's window itself does not hold it, so a command-line sync may run beside an idle window).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


class AlreadyLocked(Exception):
    """Another process holds the shop; its pid when known."""

    def __init__(self, path: Path, pid: int | None) -> None:
        self.path = path
        self.pid = pid
        who = f"（进程 {pid}）" if pid else ""
        super().__init__(f"该店铺数据已被另一个拼多多商家桌面助手窗口或命令占用{who}：{path.parent}")


class SyncRunning(AlreadyLocked):
    """Another sync of this shop is running (the app's or a ``pdd-desktop sync``)."""

    def __init__(self, path: Path, pid: int | None) -> None:
        super().__init__(path, pid)
        who = f"（进程 {pid}）" if pid else ""
        self.args = (f"本店铺正在进行另一个同步{who}，请等它结束后再试",)

    def __str__(self) -> str:
        return str(self.args[0])


class InstanceLock:
    """Exclusive, non-blocking lock on ``path``; use as a context manager or acquire/release."""

    #: What :meth:`acquire` raises when another process holds the lock.
    refused: type[AlreadyLocked] = AlreadyLocked

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._fh = None

    def acquire(self) -> InstanceLock:
        """Take the lock or raise :class:`AlreadyLocked` at once."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fh = open(self.path, "a+b")
        try:
            if sys.platform == "win32":
                import msvcrt

                fh.seek(0)
                msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)
            else:
                import fcntl

                fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            fh.close()
            raise self.refused(self.path, _read_pid(self.path)) from None
        # Record our pid for the message another process shows; the lock itself is the flock.
        fh.seek(0)
        fh.truncate()
        fh.write(str(os.getpid()).encode())
        fh.flush()
        self._fh = fh
        return self

    def release(self) -> None:
        """Drop the lock (closing the handle releases it)."""
        if self._fh is not None:
            self._fh.close()
            self._fh = None

    @property
    def held(self) -> bool:
        return self._fh is not None

    def __enter__(self) -> InstanceLock:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()


class _SyncLock(InstanceLock):
    refused = SyncRunning


def sync_lock(shop_dir: Path) -> InstanceLock:
    """The lock held while a sync of the shop in ``shop_dir`` runs (raises :class:`SyncRunning`)."""
    return _SyncLock(Path(shop_dir) / "sync.lock")


def _read_pid(path: Path) -> int | None:
    try:
        text = path.read_text().strip()
        return int(text) if text else None
    except (OSError, ValueError):
        return None
