"""Connection rules of sync.md: pragmas on every thread's connection, IMMEDIATE writes."""

from __future__ import annotations

import sqlite3
import threading

import pytest

from pdd_desktop.data.db import database, write_transaction
from pdd_desktop.data.models import Setting


def _pragmas():
    return (
        database.execute_sql("PRAGMA journal_mode").fetchone()[0],
        database.execute_sql("PRAGMA synchronous").fetchone()[0],
        database.execute_sql("PRAGMA foreign_keys").fetchone()[0],
    )


def test_every_thread_gets_its_own_connection_with_the_pragmas(empty_shop):
    main_conn = database.connection()
    seen = {}

    def worker():
        seen["conn"] = database.connection()
        seen["pragmas"] = _pragmas()
        database.close()

    t = threading.Thread(target=worker)
    t.start()
    t.join()
    assert seen["conn"] is not main_conn
    assert _pragmas() == ("wal", 2, 1) == seen["pragmas"]


def test_write_transaction_takes_the_write_lock_up_front(empty_shop):
    other = sqlite3.connect(empty_shop.db_file, timeout=0.05, isolation_level=None)
    with write_transaction():
        Setting.insert(key="k", value_json="1", updated_at=0).execute()
        # Another writer cannot start while ours is open (BEGIN IMMEDIATE held the lock)...
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")
        # ...but readers still read the last committed state (WAL).
        assert other.execute("SELECT COUNT(*) FROM setting").fetchone()[0] == 0
    assert other.execute("SELECT COUNT(*) FROM setting").fetchone()[0] == 1
    other.close()


def test_foreign_keys_are_enforced(empty_shop):
    with pytest.raises(Exception, match="FOREIGN KEY"):
        database.execute_sql(
            "INSERT INTO order_item (order_id, goods_id, sku_id, goods_name, spec, outer_id, "
            "outer_goods_id, quantity, unit_price_fen) VALUES (999, 1, 1, 'x', '', '', '', 1, 0)"
        )


def test_a_full_disk_raises_the_real_error_and_writes_nothing(empty_shop):
    """SQLite rolls back by itself on SQLITE_FULL; the caller sees "full", not a rollback error."""
    import peewee
    import pytest

    from pdd_desktop.data.db import database, write_transaction

    database.execute_sql("CREATE TABLE filler (v TEXT)")
    pages = database.execute_sql("PRAGMA page_count").fetchone()[0]
    database.execute_sql(f"PRAGMA max_page_count = {pages + 2}")
    with pytest.raises(peewee.OperationalError, match="full"):
        with write_transaction():
            database.execute_sql("INSERT INTO filler VALUES (?)", ("x" * 100_000,))
            database.execute_sql("INSERT INTO filler VALUES (?)", ("y" * 100_000,))
    database.execute_sql("PRAGMA max_page_count = 1073741823")
    assert database.execute_sql("SELECT COUNT(*) FROM filler").fetchone()[0] == 0
    with write_transaction():
        database.execute_sql("INSERT INTO filler VALUES ('ok')")
    assert database.execute_sql("SELECT COUNT(*) FROM filler").fetchone()[0] == 1
