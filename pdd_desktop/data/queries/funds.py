"""资金 SQL: the ledger of bill lines by category and by Beijing day, and the lines behind a figure.

Every query takes a half-open range of UTC seconds ``[start, end)`` on ``bill_entry.occurred_at``
(its index leads); a Beijing day number is ``(occurred_at + 28800) / 86400``. Also the SKUs of
a set of orders, for 利润's 去填成本.
"""

from __future__ import annotations

import json

from pdd_desktop.data.db import database

_DAY = "((occurred_at + 28800) / 86400)"
ROW_COLS = "id, occurred_at, order_sn, amount_fen, category, description, account_type, remark"


def balance(end: int) -> int:
    """The net of every bill line before ``end``."""
    row = database.execute_sql(
        "SELECT COALESCE(SUM(amount_fen), 0) FROM bill_entry WHERE occurred_at < ?", (end,)
    ).fetchone()
    return int(row[0])


def by_category(start: int, end: int) -> list[tuple[str, int, int, int]]:
    """(category, lines, income fen, expense fen) in the range."""
    return database.execute_sql(
        "SELECT category, COUNT(*), COALESCE(SUM(MAX(amount_fen, 0)), 0), "
        "COALESCE(SUM(MIN(amount_fen, 0)), 0) FROM bill_entry "
        "WHERE occurred_at >= ? AND occurred_at < ? GROUP BY category",
        (start, end),
    ).fetchall()


def by_day(start: int, end: int, category: str | None) -> list[tuple[int, int, int, int]]:
    """(Beijing day number, lines, income fen, expense fen) in the range, newest day first."""
    extra, params = ("AND category = ?", (start, end, category)) if category else ("", (start, end))
    return database.execute_sql(
        f"SELECT {_DAY} AS d, COUNT(*), COALESCE(SUM(MAX(amount_fen, 0)), 0), "
        f"COALESCE(SUM(MIN(amount_fen, 0)), 0) FROM bill_entry WHERE occurred_at >= ? AND occurred_at < ? "
        f"{extra} GROUP BY d ORDER BY d DESC",
        params,
    ).fetchall()


def rows(
    start: int, end: int, *, category: str | None, order_sn: str | None, limit: int
) -> tuple[list[tuple], int]:
    """The lines (``ROW_COLS``) in the range, newest first, and how many there are in all."""
    where = "occurred_at >= ? AND occurred_at < ?"
    params: list[object] = [start, end]
    if category:
        where += " AND category = ?"
        params.append(category)
    if order_sn:
        where += " AND order_sn = ?"
        params.append(order_sn)
    total = int(database.execute_sql(f"SELECT COUNT(*) FROM bill_entry WHERE {where}", params).fetchone()[0])
    found = database.execute_sql(
        f"SELECT {ROW_COLS} FROM bill_entry WHERE {where} ORDER BY occurred_at DESC, id DESC LIMIT ?",
        [*params, limit],
    ).fetchall()
    return found, total


def covered_days(start: int, end: int) -> int:
    """How many Beijing days of the range some applied bill covers."""
    spans = database.execute_sql(
        "SELECT MAX(start_at, ?), MIN(end_at, ?) FROM bill_period WHERE end_at >= ? AND start_at < ?",
        (start, end - 1, start, end),
    ).fetchall()
    days: set[int] = set()
    for a, b in spans:
        d = (int(a) + 28800) // 86400
        last = (int(b) + 28800) // 86400
        while d <= last:
            days.add(d)
            d += 1
    return len(days)


def order_item_skus(order_ids: list[int]) -> list[tuple[int, int, bool]]:
    """(SKU id, the order's ``paid_at`` or 0, the SKU is in 商品) of every item of ``order_ids``.

    Distinct pairs; the time is the one 利润 prices an item's cost at (``data/queries/profit.py``).
    """
    return [
        (int(s), int(t), bool(k))
        for s, t, k in database.execute_sql(
            "SELECT DISTINCT i.sku_id, COALESCE(o.paid_at, 0), "
            "EXISTS (SELECT 1 FROM sku s WHERE s.sku_id = i.sku_id) "
            'FROM order_item i JOIN "order" o ON o.id = i.order_id '
            "WHERE i.order_id IN (SELECT value FROM json_each(?))",
            (json.dumps([int(i) for i in order_ids]),),
        ).fetchall()
    ]
