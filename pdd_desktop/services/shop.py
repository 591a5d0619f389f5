"""Opening a shop's database: migrate (after a backup), bind, and describe it."""

from __future__ import annotations

import logging
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from pdd_desktop.common import clock
from pdd_desktop.common.fs import make_private
from pdd_desktop.common.paths import ShopPaths
from pdd_desktop.common.timefmt import format_ts
from pdd_desktop.data import migrations
from pdd_desktop.data.backup import (
    BEFORE_RESTORE_PREFIX,
    MANUAL_PREFIX,
    BackupError,
    DamagedDatabase,
    backup_file,
    check_database,
    header_problem,
    list_backups,
    timestamped_name,
)
from pdd_desktop.data.db import close_database, database, open_database
from pdd_desktop.domain.errors import DomainError
from pdd_desktop.services.staging import sweep_staging

log = logging.getLogger(__name__)

#: Suffix of a damaged database set aside by a restore: ``shop.db.damaged-20261123-205210``.
DAMAGED_SUFFIX = ".damaged-"


class ShopDamaged(DomainError):
    """The shop's database file is damaged; the text names the restore command."""

    def __init__(self, paths: ShopPaths, problem: str) -> None:
        self.paths = paths
        self.problem = problem.splitlines()[0] if problem else "无法读取"
        super().__init__(
            f"店铺数据文件已损坏（{self.problem}）：{paths.db_file}。请从备份恢复："
            f"pdd-desktop backup --shop {paths.shop} --restore 备份文件"
            f"（备份列表：pdd-desktop backup --shop {paths.shop} --list），"
            f"或在程序窗口的“设置 → 数据与备份”中恢复；损坏的文件会另存，不会删除。"
        )


class NotAShopFile(DomainError, ValueError):
    """A file offered for restore is not a PDD Desktop database."""


@dataclass(frozen=True)
class RestoreResult:
    """What :func:`restore_backup` did with the data it replaced."""

    db_file: Path
    source: Path
    #: The checked backup of the data before the restore (None: there was none, or it was damaged).
    before: Path | None
    #: Where a damaged database was moved instead of being backed up (None: it was sound).
    set_aside: Path | None


@dataclass(frozen=True)
class ShopInfo:
    """What the shell shows about the open shop."""

    name: str
    is_demo: bool
    db_file: Path
    schema_version: int


def shop_exists(paths: ShopPaths) -> bool:
    """Whether the shop's database file exists and has a schema (or is a shop's damaged file).

    An empty file is no shop yet; a file that is not even a database any more still counts,
    so opening it says it is damaged instead of starting a new shop over it.
    """
    db = paths.db_file
    if not db.exists() or db.stat().st_size == 0:
        return False
    if header_problem(db) is not None:
        return True
    try:
        return migrations.read_version(db) >= 1
    except sqlite3.DatabaseError:
        return True


def check_shop(paths: ShopPaths, *, full: bool = True) -> None:
    """Refuse a damaged database file before anything reads or writes it.

    ``full`` reads every page (``PRAGMA quick_check``: the command line does, before it writes);
    without it only the header and the schema (the window, which checks fully in the background).

    Raises:
        ShopDamaged: naming the problem and the restore command.
    """
    result = check_database(paths.db_file, full=full)
    if result != "ok":
        log.error("shop %s damaged: %s", paths.shop, result)
        raise ShopDamaged(paths, result)


def open_shop(paths: ShopPaths, *, check: bool = False) -> ShopInfo:
    """Migrate (backing up first when there is data) and bind the database for this process.

    A file that is not a database (a zeroed header) is always refused; ``check`` also reads
    every page first (the command line's commands do before they write).

    Raises:
        ShopDamaged: the file is damaged; nothing was written.
        migrations.SchemaTooNew: the file is from a newer app version.
        migrations.MigrationError: an upgrade failed; the file is unchanged.
    """
    paths.ensure()
    if paths.db_file.exists() and paths.db_file.stat().st_size > 0:
        check_shop(paths, full=check)
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
    return check_database(paths.db_file, full=True)


def close_shop() -> None:
    """Release this thread's connection."""
    close_database()


def create_backup(paths: ShopPaths, dest: Path | None = None) -> Path:
    """A consistent, checked copy of the shop's database (default: its backups folder).

    Raises:
        DamagedDatabase: the shop's file is damaged (restore a backup instead).
        BackupError: the copy could not be written (the text names the folder).
    """
    dest = dest or paths.backup_dir / timestamped_name(MANUAL_PREFIX)
    return backup_file(paths.db_file, dest)


def backups(paths: ShopPaths) -> list[Path]:
    """The shop's backups, newest first."""
    return list_backups(paths.backup_dir) if paths.backup_dir.exists() else []


def set_aside_damaged(paths: ShopPaths) -> Path:
    """Rename the damaged database (with its -wal/-shm) to ``shop.db.damaged-<Beijing time>``.

    Nothing is deleted: the merchant (or support) can still look at it.
    """
    stamp = format_ts(clock.now(), "%Y%m%d-%H%M%S")
    target = paths.db_file.with_name(f"{paths.db_file.name}{DAMAGED_SUFFIX}{stamp}")
    n = 1
    while target.exists():
        n += 1
        target = paths.db_file.with_name(f"{paths.db_file.name}{DAMAGED_SUFFIX}{stamp}-{n}")
    for suffix in ("-wal", "-shm"):
        side = Path(f"{paths.db_file}{suffix}")
        if side.exists():
            os.replace(side, Path(f"{target}{suffix}"))
    os.replace(paths.db_file, target)
    log.warning("damaged database set aside as %s", target.name)
    return target


def restore_backup(paths: ShopPaths, source: Path) -> RestoreResult:
    """Replace the shop's database with ``source`` after checking it.

    The caller holds the shop's instance lock and no connection to the database. A sound
    current file is backed up first (``before-restore-…``), so a restore can itself be undone;
    a damaged one (it would fail that backup's check) is set aside under
    ``shop.db.damaged-…`` instead. Any failure before the final rename leaves the shop's
    file as it was and no ``shop.db.restoring`` behind.

    Raises:
        NotAShopFile: ``source`` is not a PDD Desktop database.
        migrations.SchemaTooNew: ``source`` comes from a newer app.
        BackupError: ``source`` is damaged, or a copy could not be written.
    """
    source = Path(source)
    if header_problem(source) is not None:
        raise NotAShopFile(f"不是拼多多商家桌面助手的数据文件（{header_problem(source)}）：{source}")
    try:
        version = migrations.read_version(source)
    except sqlite3.DatabaseError as exc:
        raise NotAShopFile(f"不是拼多多商家桌面助手的数据文件（{exc}）：{source}") from exc
    if version < 1:
        raise NotAShopFile(f"不是拼多多商家桌面助手的数据文件：{source}")
    if version > migrations.latest_version():
        raise migrations.SchemaTooNew(f"备份文件来自更新版本的拼多多商家桌面助手（版本 {version}）：{source}")
    staged = paths.db_file.with_name("shop.db.restoring")
    try:
        backup_file(source, staged)  # checked copy of the source beside the live file
    except DamagedDatabase as exc:
        raise BackupError(f"这个备份文件已损坏，不能用来恢复：{source.name}（{exc}）") from exc
    before = set_aside = None
    try:
        if paths.db_file.exists() and paths.db_file.stat().st_size > 0:
            if check_database(paths.db_file, full=True) == "ok":
                try:
                    before = create_backup(paths, paths.backup_dir / timestamped_name(BEFORE_RESTORE_PREFIX))
                except DamagedDatabase:  # damage the quick check missed: keep the file aside
                    set_aside = set_aside_damaged(paths)
            else:
                set_aside = set_aside_damaged(paths)
        for suffix in ("-wal", "-shm"):
            Path(str(paths.db_file) + suffix).unlink(missing_ok=True)
        os.replace(staged, paths.db_file)
    except BaseException:
        staged.unlink(missing_ok=True)
        if set_aside is not None and not paths.db_file.exists():  # put the shop's file back
            os.replace(set_aside, paths.db_file)
        raise
    make_private(paths.db_file)
    log.info("restored %s (before: %s, damaged set aside: %s)", source.name, before, set_aside)
    return RestoreResult(paths.db_file, source, before, set_aside)
