"""SQL one-liners for tests.

``q`` / ``one`` / ``table_counts`` / ``db_state`` read through the app's bound database (the
connection a service just wrote with); ``raw_rows`` / ``dump_tables`` open the file with plain
sqlite3, independent of the app's code (the tests' oracle).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from pathlib import Path

from pdd_desktop.data.db import database


def q(sql: str, *args) -> list[tuple]:
    """All rows of ``sql`` on the bound shop database."""
    return database.execute_sql(sql, args).fetchall()


def one(sql: str, *args) -> tuple | None:
    """The first row of ``sql`` on the bound shop database (None when there is none)."""
    return database.execute_sql(sql, args).fetchone()


def table_counts(tables: Iterable[str]) -> dict[str, int]:
    """Row count per table (names may be quoted, e.g. ``'"order"'``)."""
    return {t: one(f"SELECT COUNT(*) FROM {t}")[0] for t in tables}


def db_state(tables: Iterable[str], *queries: str) -> tuple:
    """Row counts of ``tables`` plus the rows of each query: equal before and after = nothing changed."""
    return (table_counts(tables), *(q(sql) for sql in queries))


def raw_rows(db: Path | str, sql: str, params: tuple = ()) -> list[tuple]:
    """Rows read with plain sqlite3 from the file ``db``."""
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def dump_tables(db: Path | str, tables: Iterable[str]) -> dict[str, list[tuple]]:
    """Every row of each table in file order of its first column (the oracle's snapshot)."""
    return {t: raw_rows(db, f'SELECT * FROM "{t}" ORDER BY 1') for t in tables}


def upgraded_fixture(tmp_path: Path, version: int, *queries: str) -> tuple[list, list]:
    """The stored fixture ``db_v<version>`` copied and migrated to the latest version.

    Returns (each query's rows before, each query's rows after): how a step's back-fill is
    checked against what the file held.
    """
    from pdd_desktop.data import migrations
    from tests.fixtures.make_fixtures import HERE

    db = tmp_path / f"from_v{version}.db"
    db.write_bytes((HERE / f"db_v{version}.sqlite").read_bytes())
    before = [raw_rows(db, sql) for sql in queries[:1]]
    migrations.migrate(db)
    after = [raw_rows(db, sql) for sql in queries[1:]]
    return before, after
