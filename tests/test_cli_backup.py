"""Issue 14: restore works when the shop is damaged; damaged files, full disks and read-only
folders get one Chinese line (no traceback) and leave the data as it was; files are owner-only."""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
import sqlite3
import stat
from pathlib import Path

import pytest

from pdd_desktop.cli.main import main
from pdd_desktop.common.paths import shop_paths
from pdd_desktop.data import backup as backup_module
from tests.helpers.db import dump_tables

TABLES = ("shop", "order", "order_item", "package", "setting")


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def damage_mid_file(db: Path) -> None:
    """Overwrite 64 KB in the middle of the file (pages of the order tables)."""
    size = db.stat().st_size
    assert size > 256 * 1024
    with open(db, "r+b") as f:
        f.seek((size // 2) // 4096 * 4096)
        f.write(bytes((i * 37 + 11) % 251 for i in range(64 * 1024)))


def zero_header(db: Path) -> None:
    """Zero the first 100 bytes (the SQLite header)."""
    with open(db, "r+b") as f:
        f.write(b"\0" * 100)


@pytest.fixture
def shop(tmp_path, demo_template):
    """A real shop 甲店 with the demo's orders, and one good manual backup of it."""
    data = tmp_path / "data"
    paths = shop_paths(data, "甲店").ensure()
    shutil.copyfile(demo_template, paths.db_file)
    with sqlite3.connect(paths.db_file) as conn:
        conn.execute("UPDATE shop SET is_demo = 0, name = '甲店'")
    conn.close()
    return paths


def _run(paths, *args: str) -> int:
    return main(["--data-dir", str(paths.data_dir), "--shop", "甲店", *args])


def _good_backup(paths, capsys) -> Path:
    assert _run(paths, "backup") == 0
    capsys.readouterr()
    (good,) = paths.backup_dir.glob("shop-*.db")
    return good


@pytest.mark.parametrize("damage", [damage_mid_file, zero_header], ids=["64KB-mid-file", "zeroed-header"])
def test_restore_sets_a_damaged_file_aside_and_restores(shop, capsys, damage):
    good = _good_backup(shop, capsys)
    expected = dump_tables(good, TABLES)
    damage(shop.db_file)
    damaged_sha = _sha(shop.db_file)

    assert _run(shop, "backup", "--restore", str(good)) == 0
    out, err = capsys.readouterr()
    assert err == "" and "已从备份恢复" in out and "已损坏" in out and "改名保留" in out
    # The damaged file is kept, byte for byte, beside the shop; nothing half-done is left.
    (aside,) = [p for p in shop.shop_dir.glob("shop.db.damaged-*") if not p.name.endswith(("-wal", "-shm"))]
    assert _sha(aside) == damaged_sha and aside.name in out
    # Its -wal/-shm went with it (a WAL belongs to its own file only).
    assert not Path(f"{shop.db_file}-wal").exists() or Path(f"{aside}-wal").exists()
    assert not (shop.shop_dir / "shop.db.restoring").exists()
    assert not list(shop.shop_dir.rglob("*.part"))
    # It was not "backed up" (that copy would fail its check): no before-restore backup.
    assert not list(shop.backup_dir.glob("before-restore-*"))
    assert dump_tables(shop.db_file, TABLES) == expected
    assert sqlite3.connect(shop.db_file).execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    # The shop works again from the command line.
    assert _run(shop, "info") == 0
    assert "订单：3,000" in capsys.readouterr().out


def test_restore_of_a_sound_shop_backs_it_up_first(shop, capsys):
    good = _good_backup(shop, capsys)
    with sqlite3.connect(shop.db_file) as conn:
        conn.execute("UPDATE shop SET name = '改过'")
    conn.close()
    changed = dump_tables(shop.db_file, TABLES)
    assert _run(shop, "backup", "--restore", str(good)) == 0
    out = capsys.readouterr().out
    (before,) = shop.backup_dir.glob("before-restore-*.db")
    assert before.name in out and dump_tables(before, TABLES) == changed
    assert not list(shop.shop_dir.glob("shop.db.damaged-*"))


def test_a_damaged_backup_is_refused_and_the_shop_unchanged(shop, capsys):
    good = _good_backup(shop, capsys)
    bad = shop.backup_dir / "shop-bad.db"
    shutil.copyfile(good, bad)
    damage_mid_file(bad)
    before = _sha(shop.db_file)
    assert _run(shop, "backup", "--restore", str(bad)) == 2
    err = capsys.readouterr().err
    assert "备份文件已损坏" in err and "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert _sha(shop.db_file) == before
    assert not (shop.shop_dir / "shop.db.restoring").exists()
    assert not list(shop.shop_dir.rglob("*.part"))


@pytest.mark.parametrize("damage", [damage_mid_file, zero_header], ids=["64KB-mid-file", "zeroed-header"])
@pytest.mark.parametrize(
    "command",
    [
        ("info",),
        ("print", "picking", "--status", "待发货", "--out", "{out}"),
        ("import", "{file}"),
        ("backup",),
    ],
    ids=["info", "print", "import", "backup"],
)
def test_commands_refuse_a_damaged_shop_with_one_line(shop, capsys, tmp_path, damage, command):
    damage(shop.db_file)
    before = _sha(shop.db_file)
    orders_file = tmp_path / "orders.csv"
    orders_file.write_text("订单号\n", encoding="utf-8")
    args = [a.format(out=tmp_path / "x.pdf", file=orders_file) for a in command]
    assert _run(shop, *args) == 2
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err, err
    assert "已损坏" in lines[0] and "pdd-desktop backup --shop 甲店 --restore" in lines[0]
    assert _sha(shop.db_file) == before
    assert not list(shop.backup_dir.glob("*.db")) and not list(shop.shop_dir.rglob("*.part"))
    assert not (tmp_path / "x.pdf").exists()


def _fail_write(err_no: int):
    def copy(src, tmp):
        tmp.write_bytes(b"x" * 8192)  # half a copy, as a write that ran out of room leaves
        raise OSError(err_no, os.strerror(err_no), str(tmp))

    return copy


@pytest.mark.parametrize(
    ("err_no", "words"),
    [(errno.ENOSPC, "磁盘空间不足"), (errno.EROFS, "文件夹只读"), (errno.EACCES, "文件夹只读")],
)
def test_backup_on_a_full_disk_or_read_only_folder(shop, capsys, monkeypatch, err_no, words):
    before = _sha(shop.db_file)
    monkeypatch.setattr(backup_module, "_copy_and_check", _fail_write(err_no))
    assert _run(shop, "backup") == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert words in err and str(shop.backup_dir) in err
    assert not list(shop.backup_dir.iterdir())  # no .part, no backup
    assert _sha(shop.db_file) == before


def test_restore_on_a_full_disk_leaves_the_shop_and_nothing_else(shop, capsys, monkeypatch):
    good = _good_backup(shop, capsys)
    before = _sha(shop.db_file)
    monkeypatch.setattr(backup_module, "_copy_and_check", _fail_write(errno.ENOSPC))
    assert _run(shop, "backup", "--restore", str(good)) == 2
    err = capsys.readouterr().err
    assert "磁盘空间不足" in err and str(shop.shop_dir) in err and "Traceback" not in err
    assert _sha(shop.db_file) == before
    left = sorted(p.name for p in shop.shop_dir.iterdir() if p.is_file())
    assert [n for n in left if n not in ("app.lock", "shop.db-wal", "shop.db-shm")] == ["shop.db"]
    assert [p.name for p in shop.backup_dir.iterdir()] == [good.name]


def test_a_read_only_database_folder_is_named(shop, capsys, monkeypatch):
    """SQLite's own read-only error (a data folder copied from a CD, a locked-down share)."""
    from pdd_desktop.data import db

    def refuse(path):
        raise sqlite3.OperationalError("attempt to write a readonly database")

    monkeypatch.setattr(db, "open_database", refuse)
    monkeypatch.setattr("pdd_desktop.services.shop.open_database", refuse)
    assert _run(shop, "info") == 2
    err = capsys.readouterr().err
    assert "文件夹只读" in err and str(shop.shop_dir) in err and "Traceback" not in err


def test_export_to_a_full_disk_says_so_and_leaves_no_part(tmp_path, monkeypatch):
    from pdd_desktop.domain.errors import DomainError
    from pdd_desktop.tabular import table_files

    def full(*_a, **_k):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(tmp_path / "订单.csv.part"))

    monkeypatch.setattr(table_files.csv, "writer", full)
    with pytest.raises(DomainError) as info:
        table_files.write_table(tmp_path / "订单.csv", ["a"], [["1"]], fmt="csv")
    assert "磁盘空间不足" in str(info.value) and str(tmp_path) in str(info.value)
    assert "Errno" not in str(info.value)
    assert list(tmp_path.iterdir()) == []


def test_error_dialog_text_for_a_read_only_folder(tmp_path):
    from pdd_desktop.ui.dialogs.error import user_message

    exc = PermissionError(errno.EACCES, "Permission denied", str(tmp_path / "导出" / "a.pdf"))
    text = user_message(exc)
    assert "文件夹只读" in text and str(tmp_path / "导出") in text and "Permission" not in text


@pytest.mark.skipif(os.name != "posix", reason="POSIX modes")
def test_shop_files_backups_and_log_are_owner_only(tmp_path, capsys):
    data = tmp_path / "data"
    assert main(["--data-dir", str(data), "demo", "--orders", "200", "--quiet"]) == 0
    assert main(["--data-dir", str(data), "backup"]) == 0
    assert main(["--data-dir", str(data), "info"]) == 0
    assert main(["--data-dir", str(data), "shop", "create", "乙店"]) == 0
    paths = shop_paths(data)
    other = shop_paths(data, "乙店")

    def mode(p: Path) -> int:
        return stat.S_IMODE(p.stat().st_mode)

    for p in (paths.db_file, other.db_file, *paths.backup_dir.glob("*.db"), data / "logs" / "app.log"):
        assert mode(p) == 0o600, p
    for p in (paths.shop_dir, paths.backup_dir, other.shop_dir, other.backup_dir):
        assert mode(p) == 0o700, p
    assert list(paths.backup_dir.glob("*.db"))
