"""Schema versioning: fresh files, stored files of every earlier version, failures, newer files."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from peewee import DecimalField, FloatField

from pdd_desktop.data import migrations
from pdd_desktop.data.db import database, open_database
from pdd_desktop.data.models import ALL_MODELS

FIXTURES = Path(__file__).parents[1] / "fixtures"
STORED = sorted(FIXTURES.glob("db_v*.sqlite"))


def _schema(path: Path) -> dict[str, str]:
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type IN ('table','index') AND name NOT LIKE 'sqlite_%'"
        ).fetchall()
    finally:
        conn.close()
    return dict(rows)


def test_fresh_file_reaches_latest_version(tmp_path):
    db = tmp_path / "shop.db"
    result = migrations.migrate(db, tmp_path / "backups")
    assert (result.from_version, result.to_version) == (0, migrations.latest_version())
    assert result.backup is None  # nothing to back up in a new file
    assert migrations.read_version(db) == migrations.latest_version()
    again = migrations.migrate(db, tmp_path / "backups")
    assert not again.upgraded


def test_there_is_a_stored_database_for_every_released_version():
    versions = {int(p.stem.removeprefix("db_v")) for p in STORED}
    assert versions == set(range(1, migrations.latest_version() + 1))


@pytest.mark.parametrize("stored", STORED, ids=[p.name for p in STORED])
def test_stored_database_upgrades_with_data_kept(tmp_path, stored):
    db = tmp_path / "shop.db"
    shutil.copyfile(stored, db)
    before = sqlite3.connect(db).execute('SELECT order_sn, pay_amount_fen FROM "order"').fetchall()
    result = migrations.migrate(db, tmp_path / "backups")
    assert migrations.read_version(db) == migrations.latest_version()
    if result.upgraded:
        assert result.backup is not None and result.backup.exists()
        assert migrations.read_version(result.backup) == result.from_version
    conn = sqlite3.connect(db)
    assert conn.execute('SELECT order_sn, pay_amount_fen FROM "order"').fetchall() == before
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    conn.close()
    # The upgraded file has exactly the schema of a fresh one.
    fresh = tmp_path / "fresh.db"
    migrations.migrate(fresh)
    assert _schema(db) == _schema(fresh)


def test_failed_step_leaves_the_file_intact_and_a_backup(tmp_path):
    db = tmp_path / "shop.db"
    shutil.copyfile(STORED[-1], db)
    original = _schema(db)
    version = migrations.read_version(db)

    def step_that_breaks(conn: sqlite3.Connection) -> None:
        conn.execute('ALTER TABLE "order" ADD COLUMN half_done INTEGER')
        conn.execute("CREATE TABLE half_table (id INTEGER)")
        raise RuntimeError("disk on fire")

    steps = [*migrations.STEPS, step_that_breaks]
    with pytest.raises(migrations.MigrationError, match="原文件未改动"):
        migrations.migrate(db, tmp_path / "backups", steps=steps)
    assert migrations.read_version(db) == version
    assert _schema(db) == original
    backups = list((tmp_path / "backups").glob("*.db"))
    assert len(backups) == 1 and migrations.read_version(backups[0]) == version


def test_a_file_from_a_newer_app_is_refused(tmp_path):
    db = tmp_path / "shop.db"
    migrations.migrate(db)
    conn = sqlite3.connect(db)
    conn.execute(f"PRAGMA user_version = {migrations.latest_version() + 1}")
    conn.close()
    with pytest.raises(migrations.SchemaTooNew, match="请升级"):
        migrations.migrate(db)


def test_models_match_the_migrated_schema(tmp_path):
    """The Peewee models and the frozen migration steps describe the same tables."""
    db = tmp_path / "shop.db"
    migrations.migrate(db)
    open_database(db)
    for model in ALL_MODELS:
        table = model._meta.table_name
        columns = {row[1]: row for row in database.execute_sql(f'PRAGMA table_info("{table}")').fetchall()}
        fields = {f.column_name: f for f in model._meta.sorted_fields}
        assert set(columns) == set(fields), table
        for name, field in fields.items():
            not_null = bool(columns[name][3])
            assert not_null == (not field.null), f"{table}.{name} nullability"
        wanted = {idx for idx in model._meta.fields_to_index()}
        assert len(wanted) <= len(database.get_indexes(table)), table


def test_money_is_never_stored_as_float_or_decimal():
    """sync.md: on SQLite a DecimalField is REAL; money must be integer fen."""
    for model in ALL_MODELS:
        for field in model._meta.sorted_fields:
            if field.name.endswith("_fen") or "price" in field.name or "amount" in field.name:
                assert not isinstance(field, FloatField | DecimalField), f"{model.__name__}.{field.name}"
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE t (v DECIMAL(10,2))")
    db.executemany("INSERT INTO t VALUES (?)", [("0.1",)] * 10)
    assert db.execute("SELECT typeof(v), SUM(v) FROM t").fetchone() == ("real", 0.9999999999999999)


def test_v2_file_gains_an_empty_invoice_request_table_with_its_rules(tmp_path):
    """Version 3 adds 订单开票 without touching the orders of a version-2 file."""
    db = tmp_path / "shop.db"
    shutil.copyfile(FIXTURES / "db_v2.sqlite", db)
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT name FROM sqlite_master WHERE name = 'invoice_request'").fetchone() is None
    orders_before = conn.execute('SELECT * FROM "order"').fetchall()
    items_before = conn.execute("SELECT * FROM order_item").fetchall()
    conn.close()
    result = migrations.migrate(db, tmp_path / "backups")
    assert (result.from_version, result.to_version) == (2, migrations.latest_version())
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA foreign_keys = ON")
    assert conn.execute('SELECT * FROM "order"').fetchall() == orders_before
    assert conn.execute("SELECT * FROM order_item").fetchall() == items_before
    assert conn.execute("SELECT COUNT(*) FROM invoice_request").fetchone()[0] == 0
    indexes = {r[1] for r in conn.execute('PRAGMA index_list("invoice_request")')}
    assert {"invoice_request_order_id", "invoice_request_status_requested_at"} <= indexes
    insert = (
        "INSERT INTO invoice_request (order_id, buyer_type, title, tax_no, email, phone, amount_fen, status, "
        "pdf_path, requested_at, note) VALUES (?, ?, '个人', '', '', '', ?, ?, '', 1795430000, '')"
    )
    conn.execute(insert, (1, "personal", 4690, "requested"))
    with pytest.raises(sqlite3.IntegrityError):  # one request per order
        conn.execute(insert, (1, "personal", 100, "requested"))
    for bad in ((1, "person", 100, "requested"), (1, "personal", 0, "requested"), (1, "personal", 1, "done")):
        conn.execute("DELETE FROM invoice_request")
        with pytest.raises(sqlite3.IntegrityError):
            conn.execute(insert, bad)
    with pytest.raises(sqlite3.IntegrityError):  # the order must exist
        conn.execute(insert, (999, "personal", 100, "requested"))
    conn.close()


def test_stored_v3_request_survives_later_upgrades(tmp_path):
    db = tmp_path / "shop.db"
    shutil.copyfile(FIXTURES / "db_v3.sqlite", db)
    migrations.migrate(db, tmp_path / "backups")
    conn = sqlite3.connect(db)
    rows = conn.execute("SELECT order_id, title, tax_no, amount_fen, status FROM invoice_request")
    assert rows.fetchall() == [(1, "杭州某某科技有限公司", "91330100MA2XXXXX0Q", 4690, "requested")]
    conn.close()


def test_v4_back_fills_trace_fetched_at_only_where_a_trace_is_known(tmp_path):
    """Parcels with events count as fetched (demo: at the demo's now); others stay 未查询 (NULL)."""

    def v3_file(name: str, *, demo: bool) -> Path:
        db = tmp_path / name
        migrations.migrate(db, steps=migrations.STEPS[:3])
        conn = sqlite3.connect(db)
        with conn:
            conn.execute("INSERT INTO courier VALUES (115, '中通快递', 'ZTO', 1, '', 1)")
            rows = [  # id, shipped, first scan, last event, kind
                (1, 1000, 2000, 5000, "normal"),
                (2, 1000, None, None, "normal"),
                (3, 1000, None, None, "none"),
            ]
            for pid, shipped, first, last, kind in rows:
                conn.execute(
                    "INSERT INTO package (id, courier_id, tracking_number, kind, shipped_at, first_scan_at, "
                    "last_event_at, is_exception, void_reason, sort_code, hub) "
                    "VALUES (?, 115, ?, ?, ?, ?, ?, 0, '', '', '')",
                    (pid, f"75000000000{pid}", kind, shipped, first, last),
                )
            if demo:
                origin = '{"orders": 10, "seed": 1, "now": 9000}'
                conn.execute("INSERT INTO setting VALUES ('demo_origin', ?, 1)", (origin,))
        conn.close()
        return db

    real = v3_file("real.db", demo=False)
    migrations.migrate(real)
    got = sqlite3.connect(real).execute("SELECT id, trace_fetched_at FROM package ORDER BY id").fetchall()
    assert got == [(1, 5000), (2, None), (3, None)]

    demo = v3_file("demo.db", demo=True)
    migrations.migrate(demo)
    got = sqlite3.connect(demo).execute("SELECT id, trace_fetched_at FROM package ORDER BY id").fetchall()
    assert got == [(1, 9000), (2, 9000), (3, None)]


def test_v5_marks_existing_pools_local_and_adds_request_and_template_tables(tmp_path):
    db = tmp_path / "shop.db"
    shutil.copyfile(FIXTURES / "db_v4.sqlite", db)
    conn = sqlite3.connect(db)
    conn.execute(
        "INSERT INTO waybill_account (id, courier_id, branch_code, branch_name, sender_address_id, quantity, "
        "is_default, created_at) VALUES (7, 115, 'B1', '网点', NULL, 5, 1, 1795400000)"
    )
    conn.execute("INSERT INTO waybill_number VALUES (1, 7, '751000000009', 'allocated', 1795400000, 1)")
    conn.commit()
    conn.close()
    migrations.migrate(db, tmp_path / "backups")
    conn = sqlite3.connect(db)
    assert conn.execute(
        "SELECT source, wp_code, ship_address, synced_at FROM waybill_account"
    ).fetchall() == [("local", "", "", None)]
    assert conn.execute(
        "SELECT source, sort_code, hub, print_data, cancel_state, object_id FROM waybill_number"
    ).fetchall() == [("local", "", "", "", "", None)]
    assert conn.execute("SELECT COUNT(*) FROM waybill_request").fetchone() == (0,)
    assert conn.execute("SELECT COUNT(*) FROM waybill_template").fetchone() == (0,)
    conn.execute(
        "INSERT INTO waybill_request (object_id, account_id, order_id, state, error, requested_at) "
        "VALUES ('o1', 7, 1, 'pending', '', 1)"
    )
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute(
            "INSERT INTO waybill_request (object_id, account_id, order_id, state, error, requested_at) "
            "VALUES ('o1', 7, 1, 'pending', '', 1)"
        )
    conn.close()
