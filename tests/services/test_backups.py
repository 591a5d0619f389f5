"""Issue 13: the daily automatic backup (when due, checked, pruned), its settings, the list."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3

import pytest

from pdd_desktop.common import clock
from pdd_desktop.common.timefmt import parse_local
from pdd_desktop.data.backup import backup_entries, backup_kind, list_backups, timestamped_name
from pdd_desktop.data.db import close_database
from pdd_desktop.domain.errors import ValidationError
from pdd_desktop.services import backups
from pdd_desktop.services import settings as settings_service
from pdd_desktop.services import shop as shop_service
from tests.helpers.db import raw_rows


def _at(text: str) -> int:
    return parse_local(text)


def test_due_once_per_day_after_the_set_time_or_at_the_next_start():
    due = backups.auto_backup_due
    # Never backed up: due at once.
    assert due(now=_at("2026-11-23 08:00:00"), last_auto_at=None, time_of_day="12:00")
    # Backed up yesterday at 12:00; this morning before 12:00 it is not due yet...
    assert not due(
        now=_at("2026-11-23 11:59:00"), last_auto_at=_at("2026-11-22 12:00:05"), time_of_day="12:00"
    )
    # ...at 12:00 it is.
    assert due(now=_at("2026-11-23 12:00:00"), last_auto_at=_at("2026-11-22 12:00:05"), time_of_day="12:00")
    # Done today after the set time: not again today.
    assert not due(
        now=_at("2026-11-23 23:00:00"), last_auto_at=_at("2026-11-23 12:00:05"), time_of_day="12:00"
    )
    # The computer was off at 12:00 for three days: the next start backs up (once).
    assert due(now=_at("2026-11-26 09:00:00"), last_auto_at=_at("2026-11-23 12:00:05"), time_of_day="12:00")
    assert not due(
        now=_at("2026-11-26 09:30:00"), last_auto_at=_at("2026-11-26 09:00:01"), time_of_day="12:00"
    )
    # A slot after midnight (Beijing) counts from the right day.
    assert due(now=_at("2026-11-23 00:30:00"), last_auto_at=_at("2026-11-22 00:10:00"), time_of_day="00:15")


def test_automatic_backup_is_checked_and_only_automatic_ones_are_pruned(demo_shop):
    paths = demo_shop
    settings_service.update_settings(auto_backup_keep=2, auto_backup_time="12:00")
    # Backups of every other kind, older than all the automatic ones: never pruned.
    keep = []
    for prefix in ("shop", "before-restore", "before-v4"):
        keep.append(
            shop_service.create_backup(
                paths, paths.backup_dir / timestamped_name(prefix, _at("2026-01-01 10:00:00"))
            )
        )
    made = []
    for day in ("2026-11-20", "2026-11-21", "2026-11-22", "2026-11-23"):
        now = _at(f"{day} 12:30:00")
        result = backups.run_auto_backup_if_due(paths, now=now)
        assert result is not None and result.path.name == timestamped_name("auto", now)
        made.append(result.path)
        # Not twice the same day.
        assert backups.run_auto_backup_if_due(paths, now=now + 3600) is None
    autos = sorted(p.name for p in paths.backup_dir.glob("auto-*.db"))
    assert autos == sorted(p.name for p in made[-2:])
    for p in keep:
        assert p.exists()
    orders = raw_rows(paths.db_file, 'SELECT COUNT(*) FROM "order"')
    assert raw_rows(made[-1], 'SELECT COUNT(*) FROM "order"') == orders
    assert raw_rows(made[-1], "PRAGMA integrity_check") == [("ok",)]
    kinds = {e.path.name: e.kind for e in backups.overview(paths).entries}
    assert kinds[made[-1].name] == "自动" and kinds[keep[0].name] == "手动"
    assert kinds[keep[1].name] == "恢复前" and kinds[keep[2].name] == "升级前"
    assert backup_kind("甲店-删除前-20261123-120000.db") == "删除前"
    # Newest first, with the time from the name (Beijing), not the file's.
    entries = backups.overview(paths).entries
    assert entries[0].path == made[-1] and entries[0].created_at == _at("2026-11-23 12:30:00")


def test_automatic_backups_go_to_the_chosen_folder_and_can_be_switched_off(demo_shop, tmp_path):
    folder = tmp_path / "U盘备份"
    settings_service.update_settings(auto_backup_folder=str(folder))
    now = _at("2026-11-23 13:00:00")
    result = backups.run_auto_backup_if_due(demo_shop, now=now)
    assert result is not None and result.path.parent == folder
    view = backups.overview(demo_shop)
    assert view.auto_folder == folder and view.last_auto_at == now
    assert [e.path for e in view.entries] == [result.path]
    settings_service.update_settings(auto_backup_enabled=False)
    assert backups.run_auto_backup_if_due(demo_shop, now=now + 2 * 86400) is None


@pytest.mark.parametrize(
    ("values", "words"),
    [
        ({"auto_backup_time": "25:00"}, "自动备份时间"),
        ({"auto_backup_time": "中午"}, "自动备份时间"),
        ({"auto_backup_keep": 0}, "自动备份保留份数"),
        ({"auto_backup_folder": "相对/路径"}, "自动备份文件夹"),
    ],
)
def test_bad_backup_settings_are_named_and_nothing_is_saved(empty_shop, values, words):
    with pytest.raises(ValidationError, match=words):
        settings_service.update_settings(**{"auto_backup_enabled": True, **values})
    assert raw_rows(empty_shop.db_file, "SELECT key FROM setting WHERE key LIKE 'auto_backup%'") == []


def test_time_is_normalised(empty_shop):
    settings_service.update_settings(auto_backup_time="8：05")
    assert settings_service.load_settings().auto_backup_time == "08:05"
    rows = dict(raw_rows(empty_shop.db_file, "SELECT key, value_json FROM setting"))
    assert json.loads(rows["auto_backup_time"]) == "08:05"


def test_newest_good_backup_skips_a_damaged_one(demo_shop):
    clock.set_clock(lambda: _at("2026-11-22 10:00:00"))
    older = shop_service.create_backup(demo_shop)
    clock.set_clock(lambda: _at("2026-11-23 10:00:00"))
    newer = shop_service.create_backup(demo_shop)
    with open(newer, "r+b") as f:
        f.seek(newer.stat().st_size // 2 // 4096 * 4096)
        f.write(b"\xff" * 65536)
    close_database()
    assert backups.newest_good_backup(demo_shop) == older
    result = backups.restore_newest_good(demo_shop)
    assert result.source == older and result.before is not None


def test_restore_with_no_good_backup_says_so_and_changes_nothing(empty_shop):
    close_database()
    before = empty_shop.db_file.read_bytes()
    with pytest.raises(Exception, match="没有可用的备份"):
        backups.restore_newest_good(empty_shop)
    assert empty_shop.db_file.read_bytes() == before


def test_a_backup_copy_that_fails_is_not_pruning_anything(demo_shop, monkeypatch):
    from pdd_desktop.data import backup as backup_module

    settings_service.update_settings(auto_backup_keep=1)
    first = backups.run_auto_backup_if_due(demo_shop, now=_at("2026-11-22 12:30:00"))
    assert first is not None

    def broken(src, tmp):
        shutil.copyfile(src, tmp)
        return "*** in database main ***\nPage 7: btreeInitPage() returns error code 11"

    monkeypatch.setattr(backup_module, "_copy_and_check", broken)
    with pytest.raises(backup_module.DamagedDatabase):
        backups.run_auto_backup_if_due(demo_shop, now=_at("2026-11-23 12:30:00"))
    assert [p.name for p in demo_shop.backup_dir.iterdir()] == [first.path.name]
    assert sqlite3.connect(first.path).execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_backups_taken_in_the_same_second_list_in_a_fixed_order(tmp_path):
    """Names resolve seconds only: the order never depends on file times (the restore-window flake)."""
    folder = tmp_path / "backups"
    folder.mkdir()
    names = [
        "shop-20261123-205210.db",  # the backup the merchant restores
        "before-restore-20261123-205210.db",  # taken by that restore, in the same second
        "auto-20261123-205210.db",
        "before-v9-20261123-205210.db",
        "shop-20261123-205210-2.db",  # a second manual backup in that second
        "shop-20261123-205209.db",  # a second earlier
    ]
    for offset, name in enumerate(names):
        path = folder / name
        path.write_bytes(b"x")
        # File times in the opposite order of the expected list (and later for older files).
        os.utime(path, (1_800_000_000 - offset, 1_800_000_000 - offset))
    expected = [
        "before-restore-20261123-205210.db",
        "before-v9-20261123-205210.db",
        "shop-20261123-205210-2.db",
        "shop-20261123-205210.db",
        "auto-20261123-205210.db",
        "shop-20261123-205209.db",
    ]
    assert [e.path.name for e in backup_entries(folder)] == expected
    assert [p.name for p in list_backups(folder)] == expected
    assert [e.kind for e in backup_entries(folder)][:2] == ["恢复前", "升级前"]
