"""利润 SQL: a range's orders priced (cost at payment, shipping by band) and summed in SQLite.

:func:`priced_orders` prices every order with lines in the range in one statement into two
connection-private scratch tables (``temp.profit_sku``, ``temp.profit_order``); the readers
below sum them per day and goods, and list the orders; :func:`drop` removes them. The scratch
tables live only for one computation on one connection (SQLite's ``temp`` schema is private to
its connection): nothing is kept between computations, so nothing needs invalidating.

The rules are those of ``services/profit.py`` (money, settlement, the order's day) and of
``services/cost_history.py`` (the cost in force at payment), in SQL.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from pdd_desktop.data.db import database
from pdd_desktop.data.queries.cost_history import cost_at_sql
from pdd_desktop.data.queries.reconcile import _MONEY, SETTLE

#: (courier id, up_to_g, first_weight_g, first_fen, step_g, step_fen) of one price band.
Band = tuple[int, int, int, int, int, int]

_SKU_DDL = "CREATE TEMP TABLE profit_sku (sku_id INTEGER PRIMARY KEY, varies INTEGER, cost INTEGER, weight INTEGER)"
_ORDER_DDL = (
    "CREATE TEMP TABLE profit_order (sn TEXT, oid INTEGER, at INTEGER, day INTEGER, inc INTEGER, "
    "ref INTEGER, fee INTEGER, comp INTEGER, other INTEGER, settled INTEGER, cost INTEGER, ship INTEGER, "
    "items INTEGER, goods_id INTEGER, goods_name TEXT)"
)


def _band_price(b: Band, weight: str) -> str:
    """SQL of one band's price for a parcel of ``weight`` grams (``ShippingBand.price``)."""
    _cid, _up, first_g, first_fen, step_g, step_fen = (int(x) for x in b)
    if not step_g:
        return str(first_fen)
    return f"({first_fen} + ((max(0, {weight} - {first_g}) + {step_g - 1}) / {step_g}) * {step_fen})"


def _courier_case(bands: Sequence[Band], weight: str) -> str:
    """SQL of one courier's price: its first band that holds the weight (0 = no limit), else NULL."""
    own = sorted(bands, key=lambda b: (b[1] == 0, b[1]))
    whens = " ".join(
        f"WHEN {'1' if b[1] == 0 else f'{weight} <= {int(b[1])}'} THEN {_band_price(b, weight)}" for b in own
    )
    return f"(CASE {whens} ELSE NULL END)"


def shipping_sql(bands: Sequence[Band], courier: str, weight: str) -> str:
    """A scalar SQL expression: the parcel's price by the table (``services.profit.shipping_price``).

    The courier's own bands, else the default's (courier 0); NULL when no band applies. The
    bands are integers checked when saved (``services.profit.save_shipping_bands``); they are
    written into the text as numbers.

    Args:
        bands: the whole price table.
        courier: SQL naming the courier id (0: none).
        weight: SQL naming the weight in grams (0: unknown).

    Returns:
        The expression.
    """
    by_courier: dict[int, list[Band]] = {}
    for b in bands:
        by_courier.setdefault(int(b[0]), []).append(b)
    default = _courier_case(by_courier[0], weight) if 0 in by_courier else "NULL"
    whens = " ".join(
        f"WHEN {cid} THEN {_courier_case(own, weight)}" for cid, own in sorted(by_courier.items()) if cid
    )
    return f"(CASE {courier} {whens} ELSE {default} END)" if whens else default


def across_order_sns(start: int, end: int) -> list[str]:
    """The order numbers with lines in ``[start, end)`` and lines outside it (summed from the lines)."""
    return [
        sn
        for (sn,) in database.execute_sql(
            "SELECT order_sn FROM bill_order INDEXED BY bill_order_last_at_cover "
            "WHERE last_at >= ? AND first_at < ? AND NOT (last_at < ? AND first_at >= ?)",
            (start, end, end, start),
        ).fetchall()
    ]


def priced_orders(start: int, end: int, across: Sequence[str], bands: Sequence[Band]) -> None:
    """Price the orders with lines in ``[start, end)`` into ``temp.profit_order`` (one row per number).

    The lines come from the per-order rollup (``bill_order``) for the numbers whose lines all
    lie in the range, and from ``bill_entry`` for ``across`` (:func:`across_order_sns`).

    Columns: order_sn, order id (NULL: a number the shop does not have), the order's time (its
    first settlement in the range, else its first line; an unknown number: its first line),
    its Beijing day number, income, refund, fee, compensation, other fen, settled (1: the
    order has a settlement in the range), cost (the items' cost at payment; 0 when not
    settled, NULL when an item has no cost or there are no items), shipping (0 when not
    settled, NULL when no band applies), the number of items, and the goods id and name of a
    one-item order.

    The SKUs' costs go first into ``temp.profit_sku``: one cost per SKU whose history holds one
    price (or that has no history: its current cost), so only the SKUs whose cost changed are
    looked up at each order's payment.
    """
    drop()
    database.execute_sql(_SKU_DDL)
    database.execute_sql(_ORDER_DDL)
    database.execute_sql(
        "INSERT INTO temp.profit_sku (sku_id, varies, cost, weight) "
        "SELECT h.sku_id, COUNT(DISTINCT IFNULL(h.cost_price_fen, 'none')) > 1, MAX(h.cost_price_fen), "
        "COALESCE((SELECT s.weight_g FROM sku s WHERE s.sku_id = h.sku_id), 0) "
        "FROM cost_price_history h GROUP BY h.sku_id"
    )
    database.execute_sql(
        "INSERT INTO temp.profit_sku (sku_id, varies, cost, weight) "
        "SELECT s.sku_id, 0, s.cost_price_fen, COALESCE(s.weight_g, 0) FROM sku s "
        "WHERE NOT EXISTS (SELECT 1 FROM cost_price_history h WHERE h.sku_id = s.sku_id)"
    )
    lines = (
        "SELECT r.order_sn AS sn, r.first_settle_at AS fs, r.income_fen AS inc, r.refund_fen AS ref, "
        "r.fee_fen AS fee, r.compensation_fen AS comp, r.other_fen AS other, r.first_at AS fl "
        "FROM bill_order r INDEXED BY bill_order_last_at_cover "
        "WHERE r.last_at >= ? AND r.last_at < ? AND r.first_at >= ?"
    )
    params: list = [start, end, start]
    if across:
        lines += (
            f" UNION ALL SELECT b.order_sn, MIN(CASE WHEN {SETTLE} THEN b.occurred_at END), {_MONEY}, "
            "MIN(b.occurred_at) FROM json_each(?) AS j JOIN bill_entry b ON b.order_sn = j.value "
            "WHERE b.occurred_at >= ? AND b.occurred_at < ? GROUP BY b.order_sn"
        )
        params += [json.dumps(list(across)), start, end]
    item_cost = f"(CASE WHEN k.varies THEN {cost_at_sql('i.sku_id', 'COALESCE(o.paid_at, 0)')} ELSE k.cost END)"
    # The newest live parcel's courier (0: none), as services.profit has always read it.
    courier = (
        "COALESCE((SELECT COALESCE(p.courier_id, 0) FROM package_order po JOIN package p ON p.id = po.package_id "
        "WHERE po.order_id = x.oid AND p.voided_at IS NULL ORDER BY p.shipped_at DESC, p.id DESC LIMIT 1), 0)"
    )
    ship = shipping_sql(bands, courier, "x.weight")
    # One min() in the grouped select: goods_name is taken from the row of MIN(i.goods_id).
    database.execute_sql(
        "INSERT INTO temp.profit_order SELECT x.sn, x.oid, x.at, (x.at + 28800) / 86400, x.inc, x.ref, x.fee, "
        "x.comp, x.other, x.settled, CASE WHEN x.settled THEN x.cost ELSE 0 END, "
        f"CASE WHEN x.settled THEN {ship} ELSE 0 END, x.items, "
        "CASE WHEN x.items = 1 THEN x.goods_id END, CASE WHEN x.items = 1 THEN x.goods_name END FROM ("
        "SELECT l.sn AS sn, o.id AS oid, CASE WHEN o.id IS NULL THEN l.fl ELSE COALESCE(l.fs, l.fl) END AS at, "
        "l.inc AS inc, l.ref AS ref, l.fee AS fee, l.comp AS comp, l.other AS other, "
        "(o.id IS NOT NULL AND l.fs IS NOT NULL) AS settled, "
        "CASE WHEN l.fs IS NULL OR o.id IS NULL THEN 0 "
        f"WHEN COUNT(i.id) > 0 AND COUNT({item_cost}) = COUNT(i.id) THEN SUM({item_cost} * i.quantity) END AS cost, "
        "COALESCE(SUM(i.quantity * COALESCE(k.weight, 0)), 0) AS weight, COUNT(i.id) AS items, "
        "MIN(i.goods_id) AS goods_id, i.goods_name AS goods_name "
        f"FROM ({lines}) AS l LEFT JOIN \"order\" o ON o.order_sn = l.sn "
        "LEFT JOIN order_item i ON i.order_id = o.id LEFT JOIN temp.profit_sku k ON k.sku_id = i.sku_id "
        "WHERE l.sn != '' GROUP BY l.sn) AS x",
        params,
    )


def order_rows() -> list[tuple]:
    """The priced orders by order number (unknown numbers left out).

    Rows: (order id, order_sn, at, income, refund, fee, compensation, other, settled (0/1),
    cost or None, shipping or None).
    """
    return database.execute_sql(
        "SELECT oid, sn, at, inc, ref, fee, comp, other, settled, cost, ship FROM temp.profit_order "
        "WHERE oid IS NOT NULL ORDER BY sn"
    ).fetchall()


#: Per group: income, refund, fee, compensation, other, settled orders, known cost, orders
#: without cost, known shipping, orders without shipping (only settled orders count cost and
#: shipping; an unknown number is never settled).
_SUMS = (
    "SUM(inc), SUM(ref), SUM(fee), SUM(comp), SUM(other), SUM(settled), "
    "TOTAL(CASE WHEN settled THEN cost END), SUM(settled AND cost IS NULL), "
    "TOTAL(CASE WHEN settled THEN ship END), SUM(settled AND ship IS NULL)"
)


def day_sums() -> list[tuple]:
    """Per Beijing day number of the priced rows (unknown numbers' money included): (day, *sums)."""
    rows = database.execute_sql(f"SELECT day, {_SUMS} FROM temp.profit_order GROUP BY day").fetchall()
    return [(r[0], *(int(v) for v in r[1:])) for r in rows]


def loose_sums() -> tuple[int, int, int, int, int]:
    """Income, refund, fee, compensation, other of the numbers the shop does not have."""
    r = database.execute_sql(
        "SELECT TOTAL(inc), TOTAL(ref), TOTAL(fee), TOTAL(comp), TOTAL(other) FROM temp.profit_order "
        "WHERE oid IS NULL"
    ).fetchone()
    return tuple(int(v) for v in r)  # type: ignore[return-value]


def one_item_goods_sums() -> list[tuple]:
    """Per goods, the one-item orders' figures (the order's money, cost and shipping are the goods').

    Rows: (goods id, the first such order's number, its goods name, *sums).
    """
    rows = database.execute_sql(
        f"SELECT goods_id, MIN(sn), goods_name, {_SUMS} FROM temp.profit_order WHERE items = 1 GROUP BY goods_id"
    ).fetchall()
    return [(r[0], r[1], r[2], *(int(v) for v in r[3:])) for r in rows]


def many_item_rows() -> list[tuple]:
    """The items of the orders with more than one item, by order number and item.

    Rows: (order id, order_sn, settled, income, refund, fee, compensation, other, shipping or
    None, goods id, goods name, quantity, line amount fen, the item's cost at payment or None).
    """
    item_cost = f"(CASE WHEN k.varies THEN {cost_at_sql('i.sku_id', 'COALESCE(o.paid_at, 0)')} ELSE k.cost END)"
    return database.execute_sql(
        "SELECT p.oid, p.sn, p.settled, p.inc, p.ref, p.fee, p.comp, p.other, p.ship, i.goods_id, i.goods_name, "
        f"i.quantity, i.quantity * i.unit_price_fen, {item_cost} FROM temp.profit_order p "
        'JOIN "order" o ON o.id = p.oid JOIN order_item i ON i.order_id = p.oid '
        "LEFT JOIN temp.profit_sku k ON k.sku_id = i.sku_id WHERE p.items > 1 ORDER BY p.sn, i.id"
    ).fetchall()


def drop() -> None:
    """Remove the scratch tables (if there)."""
    database.execute_sql("DROP TABLE IF EXISTS temp.profit_order")
    database.execute_sql("DROP TABLE IF EXISTS temp.profit_sku")
