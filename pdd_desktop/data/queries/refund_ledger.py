"""Reads behind the refund ledger: refunded amounts by day, goods and reason; refund rate per goods.

A refund counts when its case reached 退款成功 (10) and on the day it closed (``closed_at``, the
platform's time of the change). Days are Asia/Shanghai calendar days: UTC+8 all year (no
daylight saving), so the day number is ``(ts + 8 h) // 1 day``.
"""

from __future__ import annotations

from pdd_desktop.data.db import database

SHANGHAI_OFFSET_S = 8 * 3600
DAY_S = 86400
REFUND_SUCCESS = 10

#: The case's goods name: the catalogue's short name, its name, else the order line's name.
_GOODS_NAME = (
    "COALESCE(NULLIF(g.short_name, ''), NULLIF(g.name, ''), "
    "(SELECT i.goods_name FROM order_item i WHERE i.order_id = a.order_id "
    "AND (i.goods_id = a.goods_id OR a.goods_id IS NULL) ORDER BY i.id LIMIT 1), '')"
)


def refunds_by_day(start: int, end: int) -> list[tuple[int, int, int]]:
    """(Shanghai day number, cases, refunded fen) of cases refunded in [start, end), by day."""
    return database.execute_sql(
        f"SELECT (closed_at + {SHANGHAI_OFFSET_S}) / {DAY_S} AS day, COUNT(*), SUM(refund_amount_fen) "
        "FROM after_sale WHERE status = ? AND closed_at >= ? AND closed_at < ? GROUP BY day ORDER BY day",
        (REFUND_SUCCESS, start, end),
    ).fetchall()


def refunds_by_reason(start: int, end: int) -> list[tuple[str, int, int]]:
    """(reason, cases, refunded fen) of cases refunded in [start, end), largest amount first."""
    return database.execute_sql(
        "SELECT reason, COUNT(*), SUM(refund_amount_fen) AS fen FROM after_sale "
        "WHERE status = ? AND closed_at >= ? AND closed_at < ? GROUP BY reason ORDER BY fen DESC, reason",
        (REFUND_SUCCESS, start, end),
    ).fetchall()


def refunds_by_goods(start: int, end: int) -> list[tuple[int | None, str, int, int]]:
    """(goods id, name, cases, refunded fen) of cases refunded in [start, end), largest amount first."""
    return database.execute_sql(
        f"SELECT a.goods_id, {_GOODS_NAME}, COUNT(*), SUM(a.refund_amount_fen) AS fen FROM after_sale a "
        "LEFT JOIN goods g ON g.goods_id = a.goods_id "
        "WHERE a.status = ? AND a.closed_at >= ? AND a.closed_at < ? GROUP BY a.goods_id "
        "ORDER BY fen DESC, a.goods_id",
        (REFUND_SUCCESS, start, end),
    ).fetchall()


def refund_rates(start: int, end: int) -> list[tuple[int, str, int, int]]:
    """(goods id, name, paid orders, of them refunded) per goods, for orders paid in [start, end).

    An order counts once per goods it contains; it is refunded for that goods when one of its
    cases on that goods (or on the whole order, no goods id) reached 退款成功, whenever.
    """
    return database.execute_sql(
        'WITH paid AS (SELECT DISTINCT i.goods_id, o.id AS order_id FROM "order" o '
        "JOIN order_item i ON i.order_id = o.id WHERE o.paid_at >= ? AND o.paid_at < ? "
        "AND i.goods_id IS NOT NULL) "
        "SELECT p.goods_id, COALESCE(NULLIF(g.short_name, ''), NULLIF(g.name, ''), "
        "(SELECT i.goods_name FROM order_item i WHERE i.goods_id = p.goods_id ORDER BY i.id LIMIT 1), ''), "
        "COUNT(*), SUM(EXISTS (SELECT 1 FROM after_sale a WHERE a.order_id = p.order_id AND a.status = ? "
        "AND (a.goods_id = p.goods_id OR a.goods_id IS NULL))) "
        "FROM paid p LEFT JOIN goods g ON g.goods_id = p.goods_id GROUP BY p.goods_id",
        (start, end, REFUND_SUCCESS),
    ).fetchall()
