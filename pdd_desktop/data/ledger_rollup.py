"""The ledger rollup (``bill_day``, ``data/schema_ledger.py``): kept and rebuilt.

Every bill line is counted in the row of its Beijing day and category. Lines are only ever
added (``services.bill_import.apply``, one transaction): :func:`add_batch` groups the lines a
batch added and adds them to the rows, in the caller's transaction; into an empty ledger
:func:`rebuild` groups them all at once. :func:`rebuild` computes the table from
``bill_entry`` alone (also the repair).
"""

from __future__ import annotations

import sqlite3

#: A line's Beijing day number.
DAY = "((b.occurred_at + 28800) / 86400)"
_SUMS = "COUNT(*), SUM(MAX(b.amount_fen, 0)), SUM(MIN(b.amount_fen, 0))"
COLUMNS = ("day", "category", "lines", "income_fen", "expense_fen")


def grouped_sql(table: str) -> str:
    """SELECT of rollup rows (all columns) grouping the lines of ``table`` per day and category.

    ``table`` (trusted text) has ``bill_entry``'s line columns: ``bill_entry`` itself, or the
    staging table of a checked bill (``services.bill_import``).
    """
    return f"SELECT {DAY} AS d, b.category, {_SUMS} FROM {table} b GROUP BY d, b.category"


def recomputed_sql() -> str:
    """SELECT of the rollup rows computed from ``bill_entry`` (ordered by day and category)."""
    return (
        f"SELECT {DAY} AS d, b.category, {_SUMS} FROM bill_entry b GROUP BY d, b.category "
        "ORDER BY d, b.category"
    )


def add_batch(conn: sqlite3.Connection, batch_id: int) -> None:
    """Add the lines that import ``batch_id`` wrote to the rollup (inside the caller's transaction).

    A line belongs to the batch that first brought it (``INSERT OR IGNORE``), so the lines of
    ``batch_id`` are exactly the new ones.
    """
    conn.execute(
        f"INSERT INTO bill_day ({', '.join(COLUMNS)}) SELECT {DAY} AS d, b.category, {_SUMS} "
        "FROM bill_entry b WHERE b.batch_id = ? GROUP BY d, b.category "
        "ON CONFLICT (day, category) DO UPDATE SET lines = lines + excluded.lines, "
        "income_fen = income_fen + excluded.income_fen, expense_fen = expense_fen + excluded.expense_fen",
        (batch_id,),
    )


def rebuild(conn: sqlite3.Connection, source: str | None = None) -> None:
    """Compute the whole table again (inside the caller's transaction).

    From ``bill_entry`` alone, or from ``source`` (trusted text): a table of rows already
    grouped by :func:`grouped_sql` from exactly the lines the ledger holds (a big bill into an
    empty ledger, grouped while it was checked).
    """
    conn.execute("DELETE FROM bill_day")
    rows = grouped_sql("bill_entry") if source is None else f"SELECT * FROM {source}"
    conn.execute(f"INSERT INTO bill_day ({', '.join(COLUMNS)}) {rows}")
