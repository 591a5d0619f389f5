"""The per-order bill rollup (``bill_order``, ``data/schema_funds_rollup.py``): kept and rebuilt.

Every bill line naming an order is counted in its order number's row. The rows change only
where lines are written, and lines are only ever added (``services.bill_import.apply``, one
transaction): :func:`add_batch` groups the lines a batch added per order number and adds them
to the rows, in the caller's transaction. :func:`rebuild` computes the table from
``bill_entry`` alone (the schema step's back-fill, and a repair).
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


def recomputed_sql() -> str:
    """SELECT of the rollup rows computed from ``bill_entry`` (ordered by order number)."""
    return f"SELECT b.order_sn, {_SUMS} FROM bill_entry b WHERE b.order_sn != '' GROUP BY b.order_sn"


def add_batch(conn: sqlite3.Connection, batch_id: int, *, ledger_was_empty: bool = False) -> None:
    """Add the lines that import ``batch_id`` wrote to the rollup (inside the caller's transaction).

    A line belongs to the batch that first brought it (``INSERT OR IGNORE``), so the lines of
    ``batch_id`` are exactly the new ones. When the ledger held nothing before
    (``ledger_was_empty``), the table is built from scratch instead (one grouped pass in the
    order-number index, no sort).
    """
    if ledger_was_empty:
        rebuild(conn)
        return
    conn.execute(
        f"INSERT INTO bill_order ({', '.join(COLUMNS)}) SELECT b.order_sn, {_SUMS} FROM bill_entry b "
        "WHERE b.batch_id = ? AND b.order_sn != '' GROUP BY b.order_sn "
        f"ON CONFLICT (order_sn) DO UPDATE SET {_ADDED}, "
        "first_at = MIN(first_at, excluded.first_at), last_at = MAX(last_at, excluded.last_at), "
        "first_settle_at = MIN(COALESCE(first_settle_at, excluded.first_settle_at), "
        "COALESCE(excluded.first_settle_at, first_settle_at))",
        (batch_id,),
    )


def rebuild(conn: sqlite3.Connection) -> None:
    """Compute the whole table again from ``bill_entry`` (inside the caller's transaction)."""
    conn.execute("DELETE FROM bill_order")
    conn.execute(f"INSERT INTO bill_order ({', '.join(COLUMNS)}) {recomputed_sql()}")
