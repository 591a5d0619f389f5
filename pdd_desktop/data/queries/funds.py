"""资金 SQL: the ledger of bill lines by category and by Beijing day, and the lines behind a figure.

Every query takes a half-open range of UTC seconds ``[start, end)`` on ``bill_entry.occurred_at``
(its index leads); a Beijing day number is ``(occurred_at + 28800) / 86400``. The balance, the
totals and the counts read the range's whole days from the per-day and category rollup
(``bill_day``, ``data/ledger_rollup.py``) and only the parts of a day at the range's ends from
the lines. Also the SKUs of a set of orders, for 利润's 去填成本.
"""

from __future__ import annotations

import json

from pdd_desktop.data.db import database

_DAY = "((occurred_at + 28800) / 86400)"
ROW_COLS = "id, occurred_at, order_sn, amount_fen, category, description, account_type, remark"


def whole_days(start: int, end: int) -> tuple[int, int, list[tuple[int, int]]]:
    """The whole Beijing days inside ``[start, end)`` and what is left at its ends.

    Returns:
        ``(first, stop, edges)``: the day numbers ``first`` … ``stop - 1`` lie wholly in the
        range (read from the ``bill_day`` rollup); ``edges`` are the parts of the range outside
        them, as ``[a, b)`` second ranges (read from the lines: a range that does not start or
        end at a Beijing midnight).
    """
    first = -(-(start + 28800) // 86400)
    stop = (end + 28800) // 86400
    if first >= stop:
        return first, first, [(start, end)] if start < end else []
    edges = []
    if start < first * 86400 - 28800:
        edges.append((start, first * 86400 - 28800))
    if stop * 86400 - 28800 < end:
        edges.append((stop * 86400 - 28800, end))
    return first, stop, edges


def balance(end: int) -> int:
    """The net of every bill line before ``end``."""
    stop = (end + 28800) // 86400  # the days before stop end by ``end``; the rest of the lines after
    net = database.execute_sql(
        "SELECT COALESCE(SUM(income_fen + expense_fen), 0) FROM bill_day WHERE day < ?", (stop,)
    ).fetchone()[0]
    net += database.execute_sql(
        "SELECT COALESCE(SUM(amount_fen), 0) FROM bill_entry WHERE occurred_at >= ? AND occurred_at < ?",
        (stop * 86400 - 28800, end),
    ).fetchone()[0]
    return int(net)


def _add(into: dict, key, n: int, inc: int, exp: int) -> None:
    old = into.get(key, (0, 0, 0))
    into[key] = (old[0] + int(n), old[1] + int(inc), old[2] + int(exp))


def by_category(start: int, end: int) -> list[tuple[str, int, int, int]]:
    """(category, lines, income fen, expense fen) in the range."""
    first, stop, edges = whole_days(start, end)
    out: dict[str, tuple[int, int, int]] = {}
    for c, n, inc, exp in database.execute_sql(
        "SELECT category, SUM(lines), SUM(income_fen), SUM(expense_fen) FROM bill_day "
        "WHERE day >= ? AND day < ? GROUP BY category",
        (first, stop),
    ).fetchall():
        _add(out, c, n, inc, exp)
    for a, b in edges:
        for c, n, inc, exp in database.execute_sql(
            "SELECT category, COUNT(*), COALESCE(SUM(MAX(amount_fen, 0)), 0), "
            "COALESCE(SUM(MIN(amount_fen, 0)), 0) FROM bill_entry "
            "WHERE occurred_at >= ? AND occurred_at < ? GROUP BY category",
            (a, b),
        ).fetchall():
            _add(out, c, n, inc, exp)
    return [(c, *v) for c, v in out.items()]


def by_day(start: int, end: int, category: str | None) -> list[tuple[int, int, int, int]]:
    """(Beijing day number, lines, income fen, expense fen) in the range, newest day first."""
    first, stop, edges = whole_days(start, end)
    extra, more = ("AND category = ?", (category,)) if category else ("", ())
    out: dict[int, tuple[int, int, int]] = {}
    for d, n, inc, exp in database.execute_sql(
        "SELECT day, SUM(lines), SUM(income_fen), SUM(expense_fen) FROM bill_day "
        f"WHERE day >= ? AND day < ? {extra} GROUP BY day",
        (first, stop, *more),
    ).fetchall():
        _add(out, d, n, inc, exp)
    for a, b in edges:
        for d, n, inc, exp in database.execute_sql(
            f"SELECT {_DAY} AS d, COUNT(*), COALESCE(SUM(MAX(amount_fen, 0)), 0), "
            "COALESCE(SUM(MIN(amount_fen, 0)), 0) FROM bill_entry WHERE occurred_at >= ? AND occurred_at < ? "
            f"{extra} GROUP BY d",
            (a, b, *more),
        ).fetchall():
            _add(out, d, n, inc, exp)
    return [(d, *out[d]) for d in sorted(out, reverse=True)]


def _count(start: int, end: int, category: str | None) -> int:
    """How many lines (of ``category``, or all) the range holds: whole days from the rollup."""
    first, stop, edges = whole_days(start, end)
    extra, more = ("AND category = ?", (category,)) if category else ("", ())
    n = database.execute_sql(
        f"SELECT COALESCE(SUM(lines), 0) FROM bill_day WHERE day >= ? AND day < ? {extra}",
        (first, stop, *more),
    ).fetchone()[0]
    for a, b in edges:
        n += database.execute_sql(
            f"SELECT COUNT(*) FROM bill_entry WHERE occurred_at >= ? AND occurred_at < ? {extra}",
            (a, b, *more),
        ).fetchone()[0]
    return int(n)


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
        total = int(
            database.execute_sql(f"SELECT COUNT(*) FROM bill_entry WHERE {where}", params).fetchone()[0]
        )
    else:
        total = _count(start, end, category)
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
