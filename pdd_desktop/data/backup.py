"""Consistent copies of a live database: SQLite's online backup, checked, then renamed into place.

Backups are told apart by their file names (:data:`KINDS`): the daily automatic ones
(``auto-…``) are the only ones ever pruned; manual backups and the ones taken before a
restore, a migration or a shop's deletion stay until the merchant removes them.
"""

from __future__ import annotations

import os
import re
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from pdd_desktop.common import clock
from pdd_desktop.common.fs import create_private_file, make_private, private_mkdir, write_problem
from pdd_desktop.common.timefmt import SHANGHAI, format_ts
from pdd_desktop.domain.errors import DomainError

#: The 16 bytes every SQLite 3 database file starts with (sqlite.org/fileformat.html §1.3).
SQLITE_HEADER = b"SQLite format 3\x00"

#: File-name prefixes of the backups the app makes, and the kind the merchant reads.
AUTO_PREFIX = "auto"
MANUAL_PREFIX = "shop"
BEFORE_RESTORE_PREFIX = "before-restore"
#: (test on the name, kind), first match wins; anything else was made by hand.
KINDS: tuple[tuple[str, str], ...] = (
    (f"{AUTO_PREFIX}-", "自动"),
    (f"{BEFORE_RESTORE_PREFIX}-", "恢复前"),
    ("before-v", "升级前"),
    ("-删除前-", "删除前"),
)
MANUAL_KIND = "手动"


class BackupError(DomainError):
    """The copy failed its integrity check or could not be written (the text says why)."""


class DamagedDatabase(BackupError):
    """The file to copy is not a sound SQLite database."""


def backup_kind(path: Path | str) -> str:
    """自动, 手动, 恢复前, 升级前 or 删除前, from the backup's file name."""
    name = Path(path).name
    for marker, kind in KINDS:
        if name.startswith(marker) or (marker.startswith("-") and marker in name):
            return kind
    return MANUAL_KIND


def header_problem(path: Path | str) -> str | None:
    """Why ``path`` is not an SQLite database by its first bytes, or None when the header is right."""
    try:
        with open(path, "rb") as f:
            head = f.read(len(SQLITE_HEADER))
    except OSError as exc:
        return f"无法读取：{exc.strerror or exc}"
    if len(head) == 0:
        return "文件是空的"
    if head != SQLITE_HEADER:
        return "文件头已损坏，不是数据库文件"
    return None


def check_database(path: Path | str, *, full: bool = True) -> str:
    """Return "ok" when ``path`` is a sound database, else the problem in a line or a few.

    ``full`` runs ``PRAGMA quick_check`` (reads every page: seconds on a million orders);
    without it only the header and the schema are read. Read-only, on a private connection.
    """
    problem = header_problem(path)
    if problem:
        return problem
    conn = sqlite3.connect(f"file:{Path(path).as_posix()}?mode=ro", uri=True, timeout=10)
    try:
        if full:
            rows = conn.execute("PRAGMA quick_check(5)").fetchall()
            return "\n".join(r[0] for r in rows)
        conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
        return "ok"
    except sqlite3.DatabaseError as exc:  # damage bad enough that the check cannot even run
        return str(exc)
    finally:
        conn.close()


def backup_file(src: Path | str, dest: Path | str) -> Path:
    """Copy ``src`` to ``dest`` with the online backup API (safe while others write).

    The copy is written to a temporary ``.part`` file beside ``dest`` (owner-only), checked
    with ``PRAGMA integrity_check`` and only then renamed over ``dest``, so a failed backup
    never leaves a half file under the final name, nor the ``.part`` file. Never copies the
    live file bytes.

    Raises:
        DamagedDatabase: ``src`` is damaged (the copy is not kept).
        BackupError: the copy could not be written (read-only folder, full disk: the text
            names the folder) or failed its check.
    """
    dest = Path(dest)
    tmp = dest.with_name(dest.name + ".part")
    try:
        if not dest.parent.exists():
            private_mkdir(dest.parent)
        tmp.unlink(missing_ok=True)
        create_private_file(tmp)
        result = _copy_and_check(src, tmp)
        if result != "ok":
            raise DamagedDatabase(f"数据文件已损坏，备份没有通过校验：{result}")
        os.replace(tmp, dest)
    except BackupError:
        tmp.unlink(missing_ok=True)
        raise
    except (OSError, sqlite3.Error) as exc:
        _unlink_quietly(tmp)
        problem = write_problem(exc, dest.parent)
        if problem:
            raise BackupError(f"备份没有完成：{problem}") from exc
        if isinstance(exc, sqlite3.DatabaseError) and header_problem(src) is not None:
            raise DamagedDatabase(f"数据文件已损坏，无法备份：{header_problem(src)}") from exc
        if isinstance(exc, sqlite3.DatabaseError) and "malformed" in str(exc):
            raise DamagedDatabase(f"数据文件已损坏，无法备份：{exc}") from exc
        raise
    except BaseException:
        _unlink_quietly(tmp)
        raise
    make_private(dest)
    return dest


def _copy_and_check(src: Path | str, tmp: Path) -> str:
    src_conn = sqlite3.connect(str(src), timeout=10)
    try:
        dst_conn = sqlite3.connect(str(tmp))
        try:
            src_conn.backup(dst_conn, pages=4096)
            # The copy is a standalone file: no WAL sidecar to lose when it is moved.
            dst_conn.execute("PRAGMA journal_mode=DELETE")
            return dst_conn.execute("PRAGMA integrity_check").fetchone()[0]
        finally:
            dst_conn.close()
    finally:
        src_conn.close()


def _unlink_quietly(path: Path) -> None:
    try:
        path.unlink(missing_ok=True)
    except OSError:  # a read-only folder: nothing was written there either
        pass


def timestamped_name(prefix: str, ts: int | None = None) -> str:
    """``shop-20261123-205210.db`` in Beijing time, the way the user reads it."""
    return f"{prefix}-{format_ts(ts if ts is not None else clock.now(), '%Y%m%d-%H%M%S')}.db"


def list_backups(backup_dir: Path) -> list[Path]:
    """Backups in a folder, newest first (the order of :func:`backup_entries`)."""
    return [e.path for e in backup_entries(backup_dir)]


@dataclass(frozen=True)
class BackupEntry:
    """One backup file as the list shows it."""

    path: Path
    kind: str
    #: When it was taken (UTC epoch seconds): the time in an app-made backup's name, else the
    #: file's modification time.
    created_at: int
    size_bytes: int


_STAMP_RE = re.compile(r"-(\d{8}-\d{6})(?:-(\d+))?\.db$")

#: Which kind is listed first when two backups carry the same second in their names (names
#: only resolve seconds, and file times are not kept by copies): a backup taken as the first
#: step of an action on the live file (a restore, a deletion, a migration) comes after any
#: backup the merchant or the schedule made in that second, e.g. the very backup being restored.
_SAME_SECOND_NEWEST_FIRST = ("恢复前", "删除前", "升级前", MANUAL_KIND, "自动")


def _stamp_of(name: str) -> int | None:
    """When an app-made backup was taken, from the Beijing time in its name (see :func:`timestamped_name`)."""
    match = _STAMP_RE.search(name)
    if not match:
        return None
    try:
        local = datetime.strptime(match[1], "%Y%m%d-%H%M%S").replace(tzinfo=SHANGHAI)
    except ValueError:
        return None
    return int(local.timestamp())


def backup_entries(*folders: Path) -> list[BackupEntry]:
    """The backups in ``folders`` (missing ones skipped, each file once), newest first."""
    seen: set[Path] = set()
    entries = []
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in folder.glob("*.db"):
            key = path.resolve()
            if key in seen:
                continue
            seen.add(key)
            st = path.stat()
            created = _stamp_of(path.name)
            created = int(st.st_mtime) if created is None else created
            entries.append(BackupEntry(path, backup_kind(path), created, st.st_size))
    entries.sort(key=_newest_first)
    return entries


def _newest_first(entry: BackupEntry) -> tuple[int, int, int, str]:
    """Sort key: the time in the name (newest first), then the kind, then a same-second counter.

    Deterministic: never the file's modification time (sub-second, and changed by copies) for
    app-made backups, so two backups taken within one second always list in the same order.
    """
    match = _STAMP_RE.search(entry.path.name)
    counter = int(match[2]) if match and match[2] else 0
    return (-entry.created_at, _SAME_SECOND_NEWEST_FIRST.index(entry.kind), -counter, entry.path.name)


def prune_auto_backups(folder: Path, keep: int) -> list[Path]:
    """Delete the automatic backups in ``folder`` beyond the newest ``keep``; returns the deleted.

    Only ``auto-…`` files are ever touched: manual backups and those taken before a restore,
    a migration or a deletion are kept whatever their age.
    """
    autos = [e.path for e in backup_entries(folder) if e.kind == "自动"]
    removed = []
    for path in autos[max(keep, 1) :]:
        path.unlink(missing_ok=True)
        removed.append(path)
    return removed
