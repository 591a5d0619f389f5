"""Consistent copies of a live database: SQLite's online backup, checked, then renamed into place."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from pdd_desktop.common import clock
from pdd_desktop.common.timefmt import format_ts


class BackupError(Exception):
    """The copy failed its integrity check or could not be written."""


def backup_file(src: Path | str, dest: Path | str) -> Path:
    """Copy ``src`` to ``dest`` with the online backup API (safe while others write).

    The copy is written to a temporary file beside ``dest``, checked with
    ``PRAGMA integrity_check`` and only then renamed over ``dest``, so a failed backup
    never leaves a half file under the final name. Never copies the live file bytes.
    """
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(dest.name + ".part")
    tmp.unlink(missing_ok=True)
    src_conn = sqlite3.connect(str(src), timeout=10)
    try:
        dst_conn = sqlite3.connect(str(tmp))
        try:
            src_conn.backup(dst_conn, pages=4096)
            # The copy is a standalone file: no WAL sidecar to lose when it is moved.
            dst_conn.execute("PRAGMA journal_mode=DELETE")
            result = dst_conn.execute("PRAGMA integrity_check").fetchone()[0]
        finally:
            dst_conn.close()
    finally:
        src_conn.close()
    if result != "ok":
        tmp.unlink(missing_ok=True)
        raise BackupError(f"备份文件校验失败：{result}")
    os.replace(tmp, dest)
    return dest


def timestamped_name(prefix: str, ts: int | None = None) -> str:
    """``shop-20261123-2052.db`` in Beijing time, the way the user reads it."""
    return f"{prefix}-{format_ts(ts if ts is not None else clock.now(), '%Y%m%d-%H%M%S')}.db"


def list_backups(backup_dir: Path) -> list[Path]:
    """Backups in a folder, newest first."""
    return sorted(backup_dir.glob("*.db"), key=lambda p: p.stat().st_mtime, reverse=True)
