"""Opening a shop's database: migrate (after a backup), bind, and describe it."""

from __future__ import annotations

import logging
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from pdd_desktop.common.paths import ShopPaths
from pdd_desktop.data import migrations
from pdd_desktop.data.backup import backup_file, list_backups, timestamped_name
from pdd_desktop.data.db import close_database, database, open_database
from pdd_desktop.services.staging import sweep_staging

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ShopInfo:
    """What the shell shows about the open shop."""

    name: str
    is_demo: bool
    db_file: Path
    schema_version: int


def shop_exists(paths: ShopPaths) -> bool:
    """Whether the shop's database file exists and has a schema."""
    return paths.db_file.exists() and migrations.read_version(paths.db_file) >= 1


def open_shop(paths: ShopPaths) -> ShopInfo:
    """Migrate (backing up first when there is data) and bind the database for this process.

    Raises:
        migrations.SchemaTooNew: the file is from a newer app version.
        migrations.MigrationError: an upgrade failed; the file is unchanged.
    """
    paths.ensure()
    result = migrations.migrate(paths.db_file, paths.backup_dir)
    if result.upgraded:
        log.info(
            "schema upgraded %s -> %s (backup %s)", result.from_version, result.to_version, result.backup
        )
    open_database(paths.db_file)
    sweep_staging(paths.shop_dir)  # staging files of a killed import (receivers, phones)
    return describe_shop(paths)


def describe_shop(paths: ShopPaths) -> ShopInfo:
    """Name and kind of the bound shop."""
    row = database.execute_sql("SELECT name, is_demo FROM shop ORDER BY id LIMIT 1").fetchone()
    version = database.execute_sql("PRAGMA user_version").fetchone()[0]
    if row is None:
        return ShopInfo("未命名店铺", False, paths.db_file, version)
    return ShopInfo(row[0], bool(row[1]), paths.db_file, version)


def quick_check(paths: ShopPaths) -> str:
    """``PRAGMA quick_check`` on a private read-only connection; "ok" when the file is sound.

    Uses its own connection so it can run on the I/O lane without holding up the database
    lane (it reads the whole file: seconds on a million orders).
    """
    conn = sqlite3.connect(f"file:{paths.db_file}?mode=ro", uri=True, timeout=10)
    try:
        rows = conn.execute("PRAGMA quick_check(5)").fetchall()
    except sqlite3.DatabaseError as exc:  # damage bad enough that the check cannot even run
        return str(exc)
    finally:
        conn.close()
    return "\n".join(r[0] for r in rows)


def close_shop() -> None:
    """Release this thread's connection."""
    close_database()


def create_backup(paths: ShopPaths, dest: Path | None = None) -> Path:
    """A consistent, checked copy of the shop's database (default: its backups folder)."""
    dest = dest or paths.backup_dir / timestamped_name("shop")
    return backup_file(paths.db_file, dest)


def backups(paths: ShopPaths) -> list[Path]:
    """The shop's backups, newest first."""
    return list_backups(paths.backup_dir) if paths.backup_dir.exists() else []


def restore_backup(paths: ShopPaths, source: Path) -> Path:
    """Replace the shop's database with ``source`` after checking it.

    The caller holds the shop's instance lock and no connection to the database. The current
    file is backed up first, so a restore can itself be undone.
    """
    version = migrations.read_version(source)
    if version < 1:
        raise ValueError(f"不是 PDD Desktop 的数据文件：{source}")
    if version > migrations.latest_version():
        raise migrations.SchemaTooNew(f"备份文件来自更新版本的 PDD Desktop（版本 {version}）：{source}")
    staged = paths.db_file.with_name("shop.db.restoring")
    backup_file(source, staged)  # checked copy of the source beside the live file
    if paths.db_file.exists():
        create_backup(paths, paths.backup_dir / timestamped_name("before-restore"))
    for suffix in ("-wal", "-shm"):
        Path(str(paths.db_file) + suffix).unlink(missing_ok=True)
    os.replace(staged, paths.db_file)
    return paths.db_file
