"""The shops of a data folder: list, create, rename, delete, and which one opens next.

One database per shop (``<data>/shops/<folder>/shop.db``, see :mod:`pdd_desktop.common.paths`).
A shop's name is its ``shop`` row; a real shop's folder is named after it, the demo shop keeps
``shops/demo``. These functions work on closed shops through their own short ``sqlite3``
connections and never touch the database the app has bound; a shop that a window or a command
holds (its instance lock) is refused for rename and delete.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from pdd_desktop.common import clock
from pdd_desktop.common.instance_lock import InstanceLock
from pdd_desktop.common.paths import (
    DEFAULT_SHOP,
    ShopPaths,
    default_data_dir,
    shop_folder_name,
    shop_paths,
    shops_root,
)
from pdd_desktop.data import migrations
from pdd_desktop.data.backup import backup_file, timestamped_name
from pdd_desktop.domain import catalogue
from pdd_desktop.domain.errors import DomainError, ValidationError

log = logging.getLogger(__name__)

#: Longest shop name (the platform's 店铺名称 is at most 30 characters).
MAX_NAME_CHARS = 30
#: Where the folder of the shop opened last is remembered, in the data folder.
LAST_SHOP_FILE = "last_shop.json"


class ShopNotFound(DomainError):
    """No shop of that name (or folder) in the data folder."""

    def __init__(self, name: str) -> None:
        super().__init__(f"没有名为“{name}”的店铺")


@dataclass(frozen=True)
class ShopEntry:
    """One shop of the data folder, as the switcher and ``shop list`` show it."""

    folder: str
    name: str
    is_demo: bool
    db_file: Path
    size_bytes: int


def _data_dir(data_dir: Path | str | None) -> Path:
    return Path(data_dir) if data_dir else default_data_dir()


def _read_row(db_file: Path) -> tuple[str, bool] | None:
    """(name, is_demo) of a shop file, ("", False) when it has no shop row or is damaged, None when empty.

    A damaged file is still listed (under its folder's name), so commands and the window can
    find the shop and offer to restore it instead of acting as if it were not there.
    """
    try:
        if migrations.read_version(db_file) < 1:
            return None
    except sqlite3.DatabaseError:  # "file is not a database": a zeroed or overwritten header
        log.warning("shop file %s is damaged", db_file)
        return ("", False)
    try:
        conn = sqlite3.connect(f"file:{db_file}?mode=ro", uri=True, timeout=10)
        try:
            row = conn.execute("SELECT name, is_demo FROM shop ORDER BY id LIMIT 1").fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        log.warning("cannot read shop row of %s", db_file, exc_info=True)
        return None
    return (str(row[0]), bool(row[1])) if row else ("", False)


def list_shops(data_dir: Path | str | None = None) -> list[ShopEntry]:
    """The shops in the data folder, sorted by name (the demo shop last)."""
    root = shops_root(data_dir)
    entries = []
    if not root.is_dir():
        return entries
    for folder in sorted(root.iterdir()):
        db_file = folder / "shop.db"
        if not folder.is_dir() or folder.name.startswith(".") or not db_file.is_file():
            continue
        row = _read_row(db_file)
        if row is None:
            continue
        name, is_demo = row
        entries.append(ShopEntry(folder.name, name or folder.name, is_demo, db_file, db_file.stat().st_size))
    return sorted(entries, key=lambda e: (e.is_demo, e.name))


def find_shop(data_dir: Path | str | None, name: str) -> ShopEntry | None:
    """The shop called ``name`` (its name, else its folder), or None."""
    shops = list_shops(data_dir)
    wanted = name.strip()
    for entry in shops:
        if entry.name == wanted:
            return entry
    for entry in shops:
        if entry.folder == wanted:
            return entry
    return None


def check_name(name: str) -> str:
    """The shop name without surrounding spaces.

    Raises:
        ValidationError: empty, too long, on several lines, or unusable as a folder name.
    """
    clean = " ".join(name.split())
    if not clean:
        raise ValidationError("店铺名称", "不能为空")
    if len(clean) > MAX_NAME_CHARS:
        raise ValidationError("店铺名称", f"最长 {MAX_NAME_CHARS} 个字")
    try:
        shop_folder_name(clean)
    except ValueError as exc:
        raise ValidationError("店铺名称", str(exc)) from None
    return clean


def _check_free(data_dir: Path | str | None, name: str, folder: str, *, besides: str | None = None) -> None:
    for entry in list_shops(data_dir):
        if entry.folder == besides:
            continue
        if entry.name == name:
            raise ValidationError("店铺名称", f"已有名为“{name}”的店铺")
        if entry.folder.lower() == folder.lower():
            raise ValidationError("店铺名称", f"与店铺“{entry.name}”的文件夹重名，请换一个名称")
    if (shops_root(data_dir) / folder).exists() and folder != besides:
        raise ValidationError("店铺名称", f"数据文件夹中已有同名文件夹“{folder}”，请换一个名称")


def _insert_shop_row(conn: sqlite3.Connection, name: str) -> None:
    """The shop row of a real shop, and the platform's courier list it starts with.

    The couriers (§4.1 snapshot) let a shop fed only by files ship and name couriers in its
    exports; a connected shop's sync refreshes them. No number formats: the catalogue's are
    approximations, and a real number must never be refused by a guess (a synced list has none
    either). Couriers already there are kept.
    """
    conn.execute(
        "INSERT INTO shop (name, description, merchant_type, logo_url, is_demo, created_at)"
        " VALUES (?, '', 1, '', 0, ?)",
        (name, clock.now()),
    )
    conn.executemany(
        "INSERT OR IGNORE INTO courier (id, name, code, available, tracking_pattern, sort_order) "
        "VALUES (?, ?, ?, 1, '', ?)",
        [(c.id, c.name, c.code, c.sort_order) for c in catalogue.COURIERS],
    )


def create_shop(data_dir: Path | str | None, name: str) -> ShopPaths:
    """A new, empty real shop called ``name``: its folder, migrated database and shop row.

    Built in a hidden folder and renamed into place, so a failure leaves nothing behind.

    Raises:
        ValidationError: the name is unusable or taken.
    """
    name = check_name(name)
    folder = shop_folder_name(name)
    _check_free(data_dir, name, folder)
    root = shops_root(data_dir)
    root.mkdir(parents=True, exist_ok=True)
    staging = root / f".creating-{os.getpid()}-{folder}"
    shutil.rmtree(staging, ignore_errors=True)
    try:
        staging.mkdir()
        db_file = staging / "shop.db"
        migrations.migrate(db_file)
        conn = sqlite3.connect(str(db_file), isolation_level=None, timeout=10)
        try:
            _insert_shop_row(conn, name)
        finally:
            conn.close()
        os.rename(staging, root / folder)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    log.info("shop created in folder %s", folder)
    return shop_paths(_data_dir(data_dir), folder).ensure()


def _require(data_dir: Path | str | None, name: str) -> ShopEntry:
    entry = find_shop(data_dir, name)
    if entry is None:
        raise ShopNotFound(name)
    return entry


def _set_name(db_file: Path, name: str) -> None:
    conn = sqlite3.connect(str(db_file), isolation_level=None, timeout=10)
    try:
        conn.execute("BEGIN IMMEDIATE")
        if conn.execute("SELECT id FROM shop ORDER BY id LIMIT 1").fetchone() is None:
            _insert_shop_row(conn, name)
        else:
            conn.execute("UPDATE shop SET name = ? WHERE id = (SELECT min(id) FROM shop)", (name,))
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    finally:
        conn.close()


def _move_credentials(old: str, new: str) -> None:
    """Keychain entries are keyed by folder: they follow the shop to its new folder."""
    from pdd_desktop.platform import credentials  # keyring: loaded on demand

    try:
        creds = credentials.load_credentials(old)
        if creds is not None:
            credentials.save_credentials(new, creds)
            credentials.clear_credentials(old)
    except credentials.KeychainUnavailable:
        log.warning("keychain unavailable: credentials of %s not moved", old)


def rename_shop(data_dir: Path | str | None, old: str, new: str) -> ShopPaths:
    """Give the shop ``old`` the name ``new``; a real shop's folder follows the name.

    Raises:
        ShopNotFound: no shop ``old``.
        ValidationError: the new name is unusable or taken.
        AlreadyLocked: a window or a command has the shop open.
    """
    entry = _require(data_dir, old)
    name = check_name(new)
    folder = entry.folder if entry.is_demo else shop_folder_name(name)
    _check_free(data_dir, name, folder, besides=entry.folder)
    data = _data_dir(data_dir)
    paths = shop_paths(data, entry.folder)
    with InstanceLock(paths.lock_file):
        _set_name(paths.db_file, name)
    if folder == entry.folder:
        return paths
    try:
        os.rename(paths.shop_dir, paths.shop_dir.with_name(folder))
    except OSError as exc:
        _set_name(paths.db_file, entry.name)
        raise DomainError(f"无法重命名店铺文件夹（{exc.strerror or exc}），店铺名称未改") from None
    _move_credentials(entry.folder, folder)
    if last_shop(data) == entry.folder:
        remember_last_shop(data, folder)
    return shop_paths(data, folder).ensure()


def delete_shop(data_dir: Path | str | None, name: str) -> Path:
    """Back the shop up into ``<data>/backups``, then remove its folder; returns the backup.

    Raises:
        ShopNotFound: no such shop.
        AlreadyLocked: a window or a command has the shop open (nothing is deleted).
    """
    entry = _require(data_dir, name)
    data = _data_dir(data_dir)
    paths = shop_paths(data, entry.folder)
    dest = data / "backups" / timestamped_name(f"{entry.folder}-删除前")
    dest.parent.mkdir(parents=True, exist_ok=True)
    with InstanceLock(paths.lock_file):
        backup = backup_file(paths.db_file, dest)
    shutil.rmtree(paths.shop_dir)
    if not entry.is_demo:
        from pdd_desktop.platform import credentials  # keyring: loaded on demand

        try:
            credentials.clear_credentials(entry.folder)
        except credentials.KeychainUnavailable:
            log.warning("keychain unavailable: credentials of %s left", entry.folder)
    if last_shop(data) == entry.folder:
        (data / LAST_SHOP_FILE).unlink(missing_ok=True)
    log.info("shop %s deleted, backup %s", entry.folder, backup)
    return backup


def discard_new_shop(data_dir: Path | str | None, folder: str) -> None:
    """Remove a shop made a moment ago whose setup was cancelled (no backup: it holds nothing yet)."""
    paths = shop_paths(_data_dir(data_dir), folder)
    shutil.rmtree(paths.shop_dir, ignore_errors=True)
    from pdd_desktop.platform import credentials  # keyring: loaded on demand

    try:
        credentials.clear_credentials(folder)
    except credentials.KeychainUnavailable:
        log.warning("keychain unavailable: credentials of %s left", folder)


def last_shop(data_dir: Path | str | None = None) -> str | None:
    """The folder of the shop opened last in this data folder, when remembered."""
    path = _data_dir(data_dir) / LAST_SHOP_FILE
    try:
        value = json.loads(path.read_text(encoding="utf-8")).get("shop")
    except (OSError, ValueError, AttributeError):
        return None
    return value if isinstance(value, str) and value else None


def remember_last_shop(data_dir: Path | str | None, folder: str) -> None:
    """Open ``folder`` next time no shop is asked for (written atomically)."""
    data = _data_dir(data_dir)
    data.mkdir(parents=True, exist_ok=True)
    tmp = data / f".{LAST_SHOP_FILE}.tmp"
    tmp.write_text(json.dumps({"shop": folder}, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, data / LAST_SHOP_FILE)


def resolve_shop(data_dir: Path | str | None, requested: str | None) -> ShopPaths | None:
    """The shop to open: ``requested`` (name or folder), else the last one, else the first.

    Returns None when the data folder has no shop yet (a first start).

    Raises:
        ShopNotFound: ``requested`` names no shop.
    """
    data = _data_dir(data_dir)
    if requested:
        entry = find_shop(data, requested)
        if entry is None:
            raise ShopNotFound(requested)
        return shop_paths(data, entry.folder)
    shops = list_shops(data)
    if not shops:
        return None
    last = last_shop(data)
    folders = [e.folder for e in shops]
    if last in folders:
        return shop_paths(data, last)
    real = [e for e in shops if not e.is_demo]
    return shop_paths(data, (real or shops)[0].folder)


def demo_folder(data_dir: Path | str | None = None) -> ShopPaths:
    """Where the demo shop lives (``shops/demo``)."""
    return shop_paths(_data_dir(data_dir), DEFAULT_SHOP)
