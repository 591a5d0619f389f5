"""Opening, backing up and restoring a shop."""

import sqlite3

import pytest

from pdd_desktop.data import migrations
from pdd_desktop.data.db import close_database, database
from pdd_desktop.services import shop as shop_service


def test_open_shop_creates_and_describes(empty_shop):
    info = shop_service.describe_shop(empty_shop)
    assert info.schema_version == migrations.latest_version()
    assert info.name == "未命名店铺" and not info.is_demo
    assert shop_service.shop_exists(empty_shop)


def test_backup_and_restore_round_trip(empty_shop):
    database.execute_sql(
        "INSERT INTO shop (name, description, merchant_type, logo_url, is_demo, created_at) "
        "VALUES ('备份前', '', 1, '', 0, 0)"
    )
    backup = shop_service.create_backup(empty_shop)
    assert sqlite3.connect(backup).execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    database.execute_sql("UPDATE shop SET name = '备份后'")
    close_database()
    shop_service.restore_backup(empty_shop, backup)
    info = shop_service.open_shop(empty_shop)
    assert info.name == "备份前"
    # The state before the restore was kept too.
    assert any(p.name.startswith("before-restore") for p in shop_service.backups(empty_shop))


def test_restore_refuses_a_file_that_is_not_a_shop(empty_shop, tmp_path):
    junk = tmp_path / "junk.db"
    sqlite3.connect(junk).close()
    close_database()
    with pytest.raises(ValueError, match="不是拼多多商家桌面助手的数据文件"):
        shop_service.restore_backup(empty_shop, junk)


def test_quick_check_reports_ok_and_finds_damage(empty_shop, tmp_path):
    assert shop_service.quick_check(empty_shop) == "ok"
    close_database()
    # Scribble over a page in the middle of the file: the check must notice.
    data = bytearray(empty_shop.db_file.read_bytes())
    page = 4096
    for table_page in range(3, min(20, len(data) // page)):
        data[table_page * page + 8 : table_page * page + 200] = b"\xff" * 192
    empty_shop.db_file.write_bytes(bytes(data))
    for suffix in ("-wal", "-shm"):
        empty_shop.db_file.with_name(empty_shop.db_file.name + suffix).unlink(missing_ok=True)
    result = shop_service.quick_check(empty_shop)
    assert result != "ok"
