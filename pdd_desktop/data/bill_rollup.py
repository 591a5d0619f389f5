"""The per-order bill rollup (``bill_order``, ``data/schema_funds_rollup.py``): kept and rebuilt.

Every bill line naming an order is counted in its order number's row. The rows change only
where lines are written, and lines are only ever added (``services.bill_import.apply``, one
transaction): :func:`add_batch` groups the lines a batch added per order number and adds them
to the rows, in the caller's transaction; into an empty ledger the rows grouped from the
staged lines while the file was checked are loaded whole (:func:`rebuild` with a source).
:func:`rebuild` computes the table from ``bill_entry`` alone (the schema step's back-fill, a
repair).
"""

from __future__ import annotations

import sqlite3

from pdd_desktop.data.queries.reconcile import SETTLE

#: The rollup columns of ``b``'s lines grouped per order number (all but ``order_sn``).
_SUMS = (
    f"COUNT(*), SUM(CASE WHEN {SETTLE} THEN 1 ELSE 0 END), "
    f"SUM(CASE WHEN {SETTLE} THEN b.amount_fen ELSE 0 END), "
    "SUM(CASE WHEN b.category = 'income' THEN b.amount_fen ELSE 0 END), "
    "SUM(CASE WHEN b.category = 'refund' THEN b.amount_fen ELSE 0 END), "
    "SUM(CASE WHEN b.category IN ('tech_fee', 'tech_fee_return') THEN b.amount_fen ELSE 0 END), "
    "SUM(CASE WHEN b.category = 'compensation' THEN b.amount_fen ELSE 0 END), "
    "SUM(CASE WHEN b.category IN ('marketing', 'other') THEN b.amount_fen ELSE 0 END), "
    f"MIN(b.occurred_at), MAX(b.occurred_at), MIN(CASE WHEN {SETTLE} THEN b.occurred_at END)"
)
#: Every column, in table order.
COLUMNS = (
    "order_sn", "lines", "settlements", "settled_fen", "income_fen", "refund_fen", "fee_fen",
    "compensation_fen", "other_fen", "first_at", "last_at", "first_settle_at",
)  # fmt: skip
_ADDED = ", ".join(f"{c} = {c} + excluded.{c}" for c in COLUMNS[1:9])


def grouped_sql(table: str) -> str:
    """SELECT of rollup rows (all columns, by order number) grouping the lines of ``table``.

    ``table`` (trusted text) has ``bill_entry``'s line columns: ``bill_entry`` itself, or the
    staging table of a checked bill (``services.bill_import``).
    """
    return f"SELECT b.order_sn, {_SUMS} FROM {table} b WHERE b.order_sn != '' GROUP BY b.order_sn"


def recomputed_sql() -> str:
    """SELECT of the rollup rows computed from ``bill_entry`` (ordered by order number)."""
    return grouped_sql("bill_entry")


def add_batch(conn: sqlite3.Connection, batch_id: int) -> None:
    """Add the lines that import ``batch_id`` wrote to the rollup (inside the caller's transaction).

    A row that gains lines is marked for 利润 to price again (its day can move:
    ``data/schema_profit_facts.py``); a new row starts marked.

    A line belongs to the batch that first brought it (``INSERT OR IGNORE``), so the lines of
    ``batch_id`` are exactly the new ones.
    """
    conn.execute(
        f"INSERT INTO bill_order ({', '.join(COLUMNS)}) SELECT b.order_sn, {_SUMS} FROM bill_entry b "
        "WHERE b.batch_id = ? AND b.order_sn != '' GROUP BY b.order_sn "
        f"ON CONFLICT (order_sn) DO UPDATE SET {_ADDED}, "
        "first_at = MIN(first_at, excluded.first_at), last_at = MAX(last_at, excluded.last_at), "
        "first_settle_at = MIN(COALESCE(first_settle_at, excluded.first_settle_at), "
        "COALESCE(excluded.first_settle_at, first_settle_at)), day = NULL",
        (batch_id,),
    )


def rebuild(conn: sqlite3.Connection, source: str | None = None) -> None:
    """Compute the whole table again (inside the caller's transaction).

    From ``bill_entry`` alone, or from ``source`` (trusted text): a table of rows already
    grouped by :func:`grouped_sql` from exactly the lines the ledger holds (a big bill into an
    empty ledger, grouped while it was checked). The table's secondary index is dropped for the
    insert and built again from its stored DDL (one sort instead of half a million random
    inserts), so the schema is unchanged.
    """
    indexes = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'bill_order' "
        "AND sql IS NOT NULL"
    ).fetchall()
    for name, _sql in indexes:
        conn.execute(f'DROP INDEX "{name}"')
    conn.execute("DELETE FROM bill_order")
    conn.execute("DELETE FROM bill_order_items")  # 利润's many-item orders: priced again with the rows
    rows = recomputed_sql() if source is None else f"SELECT * FROM {source}"
    conn.execute(f"INSERT INTO bill_order ({', '.join(COLUMNS)}) {rows}")
    for _name, sql in indexes:
        conn.execute(sql)
