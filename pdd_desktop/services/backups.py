"""The shop's backups as the merchant sees them: the list, 立即备份, the daily automatic backup.

Restoring is :func:`pdd_desktop.services.shop.restore_backup` (the caller closes the shop
first). Automatic backups go to the folder in the settings (default: the shop's ``backups``
folder) and only they are pruned; the backups taken before a restore, a migration or a
shop's deletion always stay in the shop's (or the data folder's) own ``backups`` folder.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from pdd_desktop.common import clock
from pdd_desktop.common.paths import ShopPaths
from pdd_desktop.common.timefmt import SHANGHAI
from pdd_desktop.data.backup import (
    AUTO_PREFIX,
    BackupEntry,
    BackupError,
    backup_entries,
    backup_file,
    check_database,
    prune_auto_backups,
    timestamped_name,
)
from pdd_desktop.services import shop as shop_service
from pdd_desktop.services.settings import ShopSettings, load_settings, time_of_day_minutes

log = logging.getLogger(__name__)

__all__ = ["AutoBackupResult", "BackupEntry", "BackupOverview"]


@dataclass(frozen=True)
class BackupOverview:
    """What 设置 → 数据与备份 shows."""

    entries: tuple[BackupEntry, ...]
    settings: ShopSettings
    #: Where automatic backups go (the setting, or the shop's backups folder).
    auto_folder: Path
    #: When the newest automatic backup was written (UTC seconds), None: never.
    last_auto_at: int | None


@dataclass(frozen=True)
class AutoBackupResult:
    """One automatic backup: the file and the old automatic backups it replaced."""

    path: Path
    pruned: tuple[Path, ...]


def auto_folder(paths: ShopPaths, settings: ShopSettings) -> Path:
    """Where automatic backups go."""
    return Path(settings.auto_backup_folder) if settings.auto_backup_folder else paths.backup_dir


def _folders(paths: ShopPaths, settings: ShopSettings) -> tuple[Path, ...]:
    folder = auto_folder(paths, settings)
    return (paths.backup_dir,) if folder == paths.backup_dir else (paths.backup_dir, folder)


def overview(paths: ShopPaths) -> BackupOverview:
    """The backups of the shop (its own folder and the automatic one), newest first."""
    settings = load_settings()
    folder = auto_folder(paths, settings)
    entries = tuple(backup_entries(*_folders(paths, settings)))
    return BackupOverview(entries, settings, folder, _last_auto_at(folder))


def _last_auto_at(folder: Path) -> int | None:
    autos = [e for e in backup_entries(folder) if e.kind == "自动"]
    return autos[0].created_at if autos else None


def last_scheduled_at(now: int, time_of_day: str) -> int:
    """The latest moment at or before ``now`` when the daily backup was due (Beijing time of day)."""
    local = datetime.fromtimestamp(now, SHANGHAI)
    minutes = time_of_day_minutes(time_of_day)
    slot = local.replace(hour=minutes // 60, minute=minutes % 60, second=0, microsecond=0)
    if slot > local:
        slot -= timedelta(days=1)
    return int(slot.timestamp())


def auto_backup_due(*, now: int, last_auto_at: int | None, time_of_day: str) -> bool:
    """Whether the daily backup is due: none since the last scheduled moment.

    A computer that was off at the set time therefore backs up at the next start (its last
    automatic backup is older than that day's slot), and only once per day.
    """
    return last_auto_at is None or last_auto_at < last_scheduled_at(now, time_of_day)


def run_auto_backup_if_due(paths: ShopPaths, *, now: int | None = None) -> AutoBackupResult | None:
    """The daily automatic backup when it is due (checked, then older automatic ones pruned).

    Runs on the I/O lane: a settings read on its own connection, the copy on private ones.

    Raises:
        DamagedDatabase / BackupError: the copy failed (nothing is pruned then).
    """
    settings = load_settings()
    if not settings.auto_backup_enabled:
        return None
    now = clock.now() if now is None else now
    folder = auto_folder(paths, settings)
    last = _last_auto_at(folder)
    if not auto_backup_due(now=now, last_auto_at=last, time_of_day=settings.auto_backup_time):
        return None
    return make_auto_backup(paths, settings=settings, now=now)


def make_auto_backup(paths: ShopPaths, *, settings: ShopSettings, now: int) -> AutoBackupResult:
    """Write one automatic backup now and prune the automatic ones beyond the setting's count."""
    folder = auto_folder(paths, settings)
    path = backup_file(paths.db_file, folder / timestamped_name(AUTO_PREFIX, now))
    pruned = tuple(prune_auto_backups(folder, settings.auto_backup_keep))
    log.info("automatic backup %s (pruned %d)", path.name, len(pruned))
    return AutoBackupResult(path, pruned)


def _auto_folder_raw(paths: ShopPaths) -> Path:
    """The automatic backups' folder read with plain sqlite3 (read-only), for a shop that is closed.

    Never through the app's connection: a restore runs with the shop closed, and a worker
    thread's connection opened now would keep reading the replaced file.
    """
    try:
        conn = sqlite3.connect(f"file:{paths.db_file.as_posix()}?mode=ro", uri=True, timeout=2)
        try:
            row = conn.execute("SELECT value_json FROM setting WHERE key = 'auto_backup_folder'").fetchone()
        finally:
            conn.close()
        folder = json.loads(row[0]) if row else ""
    except (sqlite3.Error, ValueError, TypeError):  # damaged, or no such setting yet
        folder = ""
    return Path(folder) if isinstance(folder, str) and folder else paths.backup_dir


def newest_good_backup(paths: ShopPaths) -> Path | None:
    """The newest backup of the shop that passes the integrity check (None: there is none).

    Looks in the shop's backups folder and the automatic backups' folder; works on a closed,
    even damaged, shop.
    """
    folder = _auto_folder_raw(paths)
    folders = (paths.backup_dir,) if folder == paths.backup_dir else (paths.backup_dir, folder)
    for entry in backup_entries(*folders):
        if check_database(entry.path, full=True) == "ok":
            return entry.path
        log.warning("backup %s failed its check, skipped", entry.path.name)
    return None


def restore_newest_good(paths: ShopPaths) -> shop_service.RestoreResult:
    """Restore the newest sound backup (for a damaged shop); the shop must be closed.

    Raises:
        BackupError: there is no usable backup.
    """
    source = newest_good_backup(paths)
    if source is None:
        raise BackupError("没有可用的备份：备份文件夹中没有通过校验的备份")
    return shop_service.restore_backup(paths, source)
