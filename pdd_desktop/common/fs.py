"""Owner-only files and folders, and what a failed write means in the merchant's words."""

from __future__ import annotations

import contextlib
import errno
import os
import sqlite3
from pathlib import Path

#: Modes of the shop's files (database, backups, log) and of its folders on POSIX.
PRIVATE_FILE_MODE = 0o600
PRIVATE_DIR_MODE = 0o700

#: ``sqlite3.Error.sqlite_errorcode`` values (primary codes, the low byte) that name the disk.
_SQLITE_READONLY = 8
_SQLITE_FULL = 13
_SQLITE_CANTOPEN = 14

_NO_SPACE = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}
_READ_ONLY = {errno.EROFS, errno.EACCES, errno.EPERM}


def make_private(path: Path | str) -> None:
    """Restrict ``path`` to its owner (0600 for a file, 0700 for a folder); a no-op off POSIX.

    A file system that refuses the change (a read-only folder, FAT) is left as it is: the
    write that follows reports the real problem.
    """
    if os.name != "posix":
        return
    p = Path(path)
    with contextlib.suppress(OSError):
        os.chmod(p, PRIVATE_DIR_MODE if p.is_dir() else PRIVATE_FILE_MODE)


def private_mkdir(path: Path | str) -> Path:
    """Create ``path`` (and its parents) if missing and make it owner-only; returns it."""
    p = Path(path)
    p.mkdir(parents=True, exist_ok=True)
    make_private(p)
    return p


def create_private_file(path: Path | str) -> None:
    """Create an empty file readable by its owner only (so nothing ever sees it world-readable)."""
    fd = os.open(str(path), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE_MODE)
    os.close(fd)
    make_private(path)  # an existing file keeps its old mode through O_CREAT


def is_disk_full(exc: BaseException) -> bool:
    """Whether ``exc`` says the disk (or the user's quota) is full."""
    if isinstance(exc, OSError):
        return exc.errno in _NO_SPACE
    if isinstance(exc, sqlite3.Error):
        code = getattr(exc, "sqlite_errorcode", None)
        return (code is not None and code & 0xFF == _SQLITE_FULL) or "disk is full" in str(exc)
    return False


def is_read_only(exc: BaseException) -> bool:
    """Whether ``exc`` says the folder or file cannot be written (read-only, no permission)."""
    if isinstance(exc, OSError):
        return exc.errno in _READ_ONLY
    if isinstance(exc, sqlite3.Error):
        code = getattr(exc, "sqlite_errorcode", None)
        if code is not None and code & 0xFF in (_SQLITE_READONLY, _SQLITE_CANTOPEN):
            return True
        text = str(exc)
        return "readonly database" in text or "unable to open database file" in text
    return False


def write_problem(exc: BaseException, folder: Path | str | None = None) -> str | None:
    """One Chinese sentence for a failed write, naming the folder; None when it is not a disk problem.

    ``folder`` is where the write went; without it the folder of the exception's file name.
    """
    if folder is None and isinstance(exc, OSError) and exc.filename:
        folder = Path(os.fsdecode(exc.filename)).parent
    where = f"（{folder}）" if folder else ""
    if is_disk_full(exc):
        return f"磁盘空间不足，无法写入文件夹{where}：请清理磁盘空间后再试，数据未改动。"
    if is_read_only(exc):
        return f"文件夹只读或没有写入权限{where}：请检查文件夹权限，或换一个文件夹后再试，数据未改动。"
    return None
