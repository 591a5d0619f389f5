"""SQL for the cost price history (``cost_price_history``); the rules are in ``services.cost_history``."""

from __future__ import annotations

from collections.abc import Sequence

from pdd_desktop.data.db import database


def cost_at_sql(sku_expr: str, at_expr: str) -> str:
    """A scalar SQL expression: the cost price (fen, NULL = unknown) of a SKU at a time.

    For aggregate queries that price many order lines in SQL (profit, margin). The rule is the
    one of ``services.cost_history.cost_price_at``: the newest history row at or before the
    time; before the first row, the first row's cost; a SKU without history, its current cost.

    Args:
        sku_expr: SQL naming the SKU id, e.g. ``"i.sku_id"`` (trusted text, not user input).
        at_expr: SQL naming the time in UTC epoch seconds, e.g. ``"o.paid_at"``.

    Returns:
        The expression, to put in a select list or an aggregate.
    """
    # SQLite (3.40) refuses an outer column in a subquery's ORDER BY ("no such column"), so the
    # time is only compared in WHERE clauses: newest row at or before, else the first row.
    history = f"FROM cost_price_history h WHERE h.sku_id = {sku_expr}"
    return (
        f"(CASE WHEN NOT EXISTS (SELECT 1 {history}) "
        f"THEN (SELECT s0.cost_price_fen FROM sku s0 WHERE s0.sku_id = {sku_expr}) "
        f"WHEN EXISTS (SELECT 1 {history} AND h.changed_at <= {at_expr}) "
        f"THEN (SELECT h.cost_price_fen {history} AND h.changed_at <= {at_expr} "
        "ORDER BY h.changed_at DESC, h.id DESC LIMIT 1) "
        f"ELSE (SELECT h.cost_price_fen {history} ORDER BY h.changed_at, h.id LIMIT 1) END)"
    )


def history_rows(sku_ids: Sequence[int]) -> dict[int, list[tuple[int, int, int | None]]]:
    """``{sku_id: [(changed_at, id, cost_fen), …]}`` oldest first, for the SKUs that have history."""
    out: dict[int, list[tuple[int, int, int | None]]] = {}
    ids = list(dict.fromkeys(int(i) for i in sku_ids))
    for start in range(0, len(ids), 500):
        block = ids[start : start + 500]
        marks = ",".join("?" * len(block))
        for sku_id, changed_at, row_id, cost in database.execute_sql(
            "SELECT sku_id, changed_at, id, cost_price_fen FROM cost_price_history "
            f"WHERE sku_id IN ({marks}) ORDER BY sku_id, changed_at, id",
            block,
        ).fetchall():
            out.setdefault(int(sku_id), []).append((int(changed_at), int(row_id), cost))
    return out


def current_costs(sku_ids: Sequence[int]) -> dict[int, int | None]:
    """``{sku_id: cost_price_fen}`` now, for the SKUs that exist."""
    out: dict[int, int | None] = {}
    ids = list(dict.fromkeys(int(i) for i in sku_ids))
    for start in range(0, len(ids), 500):
        block = ids[start : start + 500]
        marks = ",".join("?" * len(block))
        for sku_id, cost in database.execute_sql(
            f"SELECT sku_id, cost_price_fen FROM sku WHERE sku_id IN ({marks})", block
        ).fetchall():
            out[int(sku_id)] = cost
    return out


def sku_history(sku_id: int, limit: int) -> list[tuple]:
    """``(changed_at, cost_fen, source, note)`` of one SKU, newest first."""
    return database.execute_sql(
        "SELECT changed_at, cost_price_fen, source, note FROM cost_price_history WHERE sku_id = ? "
        "ORDER BY changed_at DESC, id DESC LIMIT ?",
        (sku_id, limit),
    ).fetchall()


def insert(sku_id: int, at: int, cost_fen: int | None, source: str, note: str) -> None:
    """One history row (inside the caller's write transaction)."""
    database.execute_sql(
        "INSERT INTO cost_price_history (sku_id, changed_at, cost_price_fen, source, note) "
        "VALUES (?, ?, ?, ?, ?)",
        (sku_id, at, cost_fen, source, note),
    )
