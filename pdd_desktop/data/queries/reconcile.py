"""资金 reconciliation and profit SQL: orders against their bill lines, charges with no order, costs.

Order-income lines (the settlement of an order) are ``0010002|交易收入-订单收入`` lines, or
uncoded lines whose text is ``交易收入-订单收入`` (merchant-data.md §1.3). Orders are found by
``signed_at`` within a range (``order_signed_at_receive_sn_pay``).
"""

from __future__ import annotations

import json

from pdd_desktop.data.db import database

#: SQL truth of "this line settles an order".
SETTLE = "(b.code = '0010002' OR (b.code = '' AND b.description LIKE '%交易收入-订单收入%'))"
_FEES = "('tech_fee', 'tech_fee_return')"
#: income, refund, fee, compensation, other sums of ``b``'s lines.
_MONEY = (
    "COALESCE(SUM(CASE WHEN b.category = 'income' THEN b.amount_fen ELSE 0 END), 0), "
    "COALESCE(SUM(CASE WHEN b.category = 'refund' THEN b.amount_fen ELSE 0 END), 0), "
    f"COALESCE(SUM(CASE WHEN b.category IN {_FEES} THEN b.amount_fen ELSE 0 END), 0), "
    "COALESCE(SUM(CASE WHEN b.category = 'compensation' THEN b.amount_fen ELSE 0 END), 0), "
    "COALESCE(SUM(CASE WHEN b.category IN ('marketing', 'other') THEN b.amount_fen ELSE 0 END), 0)"
)


def signed_orders(start: int, end: int) -> list[tuple]:
    """Orders signed in ``[start, end)`` with the sums of all their bill lines.

    The orders come from the covering index ``order_signed_at_receive_sn_pay``, their sums from
    the per-order rollup ``bill_order`` (``data/schema_funds_rollup.py``): one lookup per order
    instead of reading and grouping its lines.

    Rows: (order id, order_sn, paid fen, merchant receive fen, signed_at, settlements,
    settled fen, income fen, refund fen, fee fen, compensation fen, other fen).
    """
    return database.execute_sql(
        "SELECT o.id, o.order_sn, o.pay_amount_fen, o.merchant_receive_fen, o.signed_at, "
        "COALESCE(r.settlements, 0), COALESCE(r.settled_fen, 0), COALESCE(r.income_fen, 0), "
        "COALESCE(r.refund_fen, 0), COALESCE(r.fee_fen, 0), COALESCE(r.compensation_fen, 0), "
        'COALESCE(r.other_fen, 0) FROM "order" o LEFT JOIN bill_order r ON r.order_sn = o.order_sn '
        "WHERE o.signed_at >= ? AND o.signed_at < ? AND o.merchant_receive_fen > 0 "
        "ORDER BY o.signed_at, o.id",
        (start, end),
    ).fetchall()


def orphan_lines(start: int, end: int) -> list[tuple]:
    """Lines in the range naming an order number the shop does not have.

    Each order number is checked once, from the rollup (``bill_order``: the numbers with lines
    in the range, as in :func:`lines_by_order_with_orders`), not each line; only the lines of
    the numbers without an order are read.

    Rows: (line id, occurred_at, order_sn, amount fen, category, description).
    """
    return database.execute_sql(
        "SELECT b.id, b.occurred_at, b.order_sn, b.amount_fen, b.category, b.description "
        "FROM bill_entry b INDEXED BY bill_entry_order_sn_cover WHERE b.order_sn IN ("
        "SELECT r.order_sn FROM bill_order r INDEXED BY bill_order_last_at_cover "
        "WHERE r.last_at >= ? AND r.first_at < ? "
        'AND NOT EXISTS (SELECT 1 FROM "order" o WHERE o.order_sn = r.order_sn)) '
        "AND b.occurred_at >= ? AND b.occurred_at < ? ORDER BY b.occurred_at, b.id",
        (start, end, start, end),
    ).fetchall()


def bill_spans(start: int, end: int) -> list[tuple[int, int]]:
    """(start_at, end_at) of the applied bills that touch ``[start, end)``."""
    return database.execute_sql(
        "SELECT start_at, end_at FROM bill_period WHERE end_at >= ? AND start_at < ?", (start, end)
    ).fetchall()


def lines_by_order_with_orders(start: int, end: int) -> list[tuple]:
    """Per order number, the sums of its lines in ``[start, end)``, joined to the shop's order.

    Read from the per-order rollup (``bill_order``, ``data/schema_funds_rollup.py``): an order
    whose lines all lie in the range (last line in it, first line not before ``start``) is one
    entry of ``bill_order_last_at_cover``, its sums being those of the range. Only the orders
    with lines on both sides of a range bound (first line before ``end``, last line at or after
    ``start``, not all inside) have their lines in the range summed from ``bill_entry``.

    Rows, by order number: (order_sn, first settlement time in the range or None, income,
    refund, fee, compensation, other fen, first line time in the range, order id or None,
    paid_at or None); an unknown number has no order id. Lines without an order number are
    not here (:func:`loose_lines_by_day`).
    """
    order = 'LEFT JOIN "order" o ON o.order_sn = l.sn'
    inside = database.execute_sql(
        "SELECT l.*, o.id, o.paid_at FROM (SELECT r.order_sn AS sn, r.first_settle_at, r.income_fen, "
        "r.refund_fen, r.fee_fen, r.compensation_fen, r.other_fen, r.first_at "
        "FROM bill_order r INDEXED BY bill_order_last_at_cover "
        f"WHERE r.last_at >= ? AND r.last_at < ? AND r.first_at >= ?) AS l {order}",
        (start, end, start),
    ).fetchall()
    across = [
        sn
        for (sn,) in database.execute_sql(
            "SELECT order_sn FROM bill_order INDEXED BY bill_order_last_at_cover "
            "WHERE last_at >= ? AND first_at < ? AND NOT (last_at < ? AND first_at >= ?)",
            (start, end, end, start),
        ).fetchall()
    ]
    if across:
        inside += database.execute_sql(
            f"SELECT l.*, o.id, o.paid_at FROM (SELECT b.order_sn AS sn, "
            f"MIN(CASE WHEN {SETTLE} THEN b.occurred_at END), {_MONEY}, MIN(b.occurred_at) "
            "FROM json_each(?) AS j JOIN bill_entry b ON b.order_sn = j.value "
            f"WHERE b.occurred_at >= ? AND b.occurred_at < ? GROUP BY b.order_sn) AS l {order}",
            (json.dumps(across), start, end),
        ).fetchall()
    inside.sort(key=lambda r: r[0])
    return inside


def items_json(order_ids: list[int]) -> list[tuple]:
    """The orders' items in ``order_item`` order, with the SKU's weight and current cost.

    Rows: (order id, goods id, goods name, sku id, quantity, line amount fen, sku weight g, the
    SKU's current cost price fen or None). The cost at payment is picked by the caller from the
    cost history (``services.cost_history.cost_picker``). Ids go in as one JSON array, not
    500-id chunks.
    """
    return database.execute_sql(
        "SELECT i.order_id, i.goods_id, i.goods_name, i.sku_id, i.quantity, i.quantity * i.unit_price_fen, "
        "COALESCE(s.weight_g, 0), s.cost_price_fen "
        "FROM json_each(?) AS j JOIN order_item i ON i.order_id = j.value "
        "LEFT JOIN sku s ON s.sku_id = i.sku_id ORDER BY i.order_id, i.id",
        (json.dumps(order_ids),),
    ).fetchall()


def couriers_json(order_ids: list[int]) -> list[tuple[int, int]]:
    """(order id, courier id) of the orders' live parcels, oldest first (the newest one wins).

    The ids go in as one JSON array, not 500-id chunks.
    """
    return database.execute_sql(
        "SELECT po.order_id, COALESCE(p.courier_id, 0) FROM json_each(?) AS j "
        "JOIN package_order po ON po.order_id = j.value JOIN package p ON p.id = po.package_id "
        "WHERE p.voided_at IS NULL ORDER BY p.shipped_at",
        (json.dumps(order_ids),),
    ).fetchall()


def shipping_rates() -> list[tuple]:
    """Every band: (id, courier id, up_to_g, first_weight_g, first_fen, step_g, step_fen)."""
    return database.execute_sql(
        "SELECT id, courier_id, up_to_g, first_weight_g, first_fen, step_g, step_fen FROM shipping_rate "
        "ORDER BY courier_id, up_to_g = 0, up_to_g"
    ).fetchall()


def courier_names() -> dict[int, str]:
    """Courier id → name."""
    return dict(database.execute_sql("SELECT id, name FROM courier ORDER BY sort_order, id").fetchall())


def loose_lines_by_day(start: int, end: int) -> list[tuple]:
    """Lines without an order in ``[start, end)`` by Beijing day number: (day, *money sums)."""
    return database.execute_sql(
        f"SELECT (b.occurred_at + 28800) / 86400 AS d, {_MONEY} FROM bill_entry b "
        "WHERE b.occurred_at >= ? AND b.occurred_at < ? AND b.order_sn = '' GROUP BY d ORDER BY d",
        (start, end),
    ).fetchall()


def replace_shipping_rates(rows: list[tuple[int, int, int, int, int, int]], now: int) -> None:
    """Replace the whole price table (inside the caller's transaction).

    Rows: (courier id, up_to_g, first_weight_g, first_fen, step_g, step_fen).
    """
    database.execute_sql("DELETE FROM shipping_rate")
    for r in rows:
        database.execute_sql(
            "INSERT INTO shipping_rate (courier_id, up_to_g, first_weight_g, first_fen, step_g, step_fen, "
            "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (*r, now),
        )
