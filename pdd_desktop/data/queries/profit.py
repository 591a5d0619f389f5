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

_SKU_DDL = (
    "CREATE TEMP TABLE profit_sku (sku_id INTEGER PRIMARY KEY, varies INTEGER, cost INTEGER, weight INTEGER)"
)
#: One row per order number; ``rid`` numbers the rows as they were read (appended, not sorted).
_ORDER_DDL = (
    "CREATE TEMP TABLE profit_order (rid INTEGER PRIMARY KEY, oid INTEGER, sn TEXT, at INTEGER, "
    "day INTEGER, paid INTEGER, settled INTEGER, inc INTEGER, ref INTEGER, fee INTEGER, comp INTEGER, "
    "other INTEGER)"
)
#: Per ``profit_order`` row: its items, cost and shipping.
_PRICED_DDL = (
    "CREATE TEMP TABLE profit_priced (rid INTEGER PRIMARY KEY, items INTEGER, cost INTEGER, ship INTEGER, "
    "goods_id INTEGER, goods_name TEXT)"
)
#: An item's cost at its order's payment (``i`` the item, ``k`` its ``profit_sku`` row, ``p``
#: its ``profit_order`` row): the SKU's one cost, else looked up in its history.
_ITEM_COST = f"(CASE WHEN k.varies THEN {cost_at_sql('i.sku_id', 'p.paid')} ELSE k.cost END)"
#: The newest live parcel's courier of order ``p`` (0: none), as services.profit has always read it.
_COURIER = (
    "COALESCE((SELECT COALESCE(c.courier_id, 0) FROM package_order pc JOIN package c ON c.id = pc.package_id "
    "WHERE pc.order_id = p.oid AND c.voided_at IS NULL ORDER BY c.shipped_at DESC, c.id DESC LIMIT 1), 0)"
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
    """Price the orders with lines in ``[start, end)`` into the scratch tables (one row per number).

    The lines come from the per-order rollup (``bill_order``) for the numbers whose lines all
    lie in the range, and from ``bill_entry`` for ``across`` (:func:`across_order_sns`).

    ``temp.profit_order``: order id (NULL: a number the shop does not have), order_sn, the
    order's time (its first settlement in the range, else its first line; an unknown number:
    its first line), its Beijing day number, paid_at, settled (1: a known order with a
    settlement in the range), income, refund, fee, compensation, other fen.
    ``temp.profit_priced`` (same ``rid``): the number of items, cost (the items' cost at
    payment; 0 when not settled, NULL when an item has no cost or there are no items), shipping
    (0 when not settled, NULL when no band applies), and the goods id and name of a one-item
    order.

    The SKUs' costs go first into ``temp.profit_sku``: one cost per SKU whose history holds one
    price (or that has no history: its current cost), so only the SKUs whose cost changed are
    looked up at each order's payment.
    """
    drop()
    for ddl in (_SKU_DDL, _ORDER_DDL, _PRICED_DDL):
        database.execute_sql(ddl)
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
    at = "CASE WHEN o.id IS NULL THEN l.fl ELSE COALESCE(l.fs, l.fl) END"
    database.execute_sql(
        "INSERT INTO temp.profit_order (rid, oid, sn, at, day, paid, settled, inc, ref, fee, comp, other) "
        f"SELECT NULL, o.id, l.sn, {at}, ({at} + 28800) / 86400, COALESCE(o.paid_at, 0), "
        "(o.id IS NOT NULL AND l.fs IS NOT NULL), l.inc, l.ref, l.fee, l.comp, l.other "
        f"FROM ({lines}) AS l LEFT JOIN \"order\" o ON o.order_sn = l.sn WHERE l.sn != ''",
        params,
    )
    # Grouped in rid order (no sort); one min() so goods_name is that of MIN(i.goods_id)'s row.
    ship = shipping_sql(bands, _COURIER, "COALESCE(SUM(i.quantity * COALESCE(k.weight, 0)), 0)")
    database.execute_sql(
        "INSERT INTO temp.profit_priced (rid, items, cost, ship, goods_id, goods_name) "
        "SELECT p.rid, COUNT(i.id), CASE WHEN NOT p.settled THEN 0 "
        f"WHEN COUNT(i.id) > 0 AND COUNT({_ITEM_COST}) = COUNT(i.id) "
        f"THEN SUM({_ITEM_COST} * i.quantity) END, CASE WHEN p.settled THEN {ship} ELSE 0 END, "
        "CASE WHEN COUNT(i.id) = 1 THEN MIN(i.goods_id) END, i.goods_name FROM temp.profit_order p "
        "LEFT JOIN order_item i ON i.order_id = p.oid LEFT JOIN temp.profit_sku k ON k.sku_id = i.sku_id "
        "GROUP BY p.rid"
    )


def order_rows() -> list[tuple]:
    """The priced orders in the order they were read (unknown numbers left out).

    Rows: (order id, order_sn, at, income, refund, fee, compensation, other, settled (0/1),
    cost or None, shipping or None).
    """
    return database.execute_sql(
        "SELECT p.oid, p.sn, p.at, p.inc, p.ref, p.fee, p.comp, p.other, p.settled, x.cost, x.ship "
        "FROM temp.profit_order p JOIN temp.profit_priced x ON x.rid = p.rid WHERE p.oid IS NOT NULL "
        "ORDER BY p.rid"
    ).fetchall()


#: Per group: income, refund, fee, compensation, other, settled orders, known cost, orders
#: without cost, known shipping, orders without shipping (only settled orders count cost and
#: shipping; an unknown number is never settled).
_SUMS = (
    "SUM(p.inc), SUM(p.ref), SUM(p.fee), SUM(p.comp), SUM(p.other), SUM(p.settled), "
    "TOTAL(CASE WHEN p.settled THEN x.cost END), SUM(p.settled AND x.cost IS NULL), "
    "TOTAL(CASE WHEN p.settled THEN x.ship END), SUM(p.settled AND x.ship IS NULL)"
)


def day_goods_sums() -> list[tuple]:
    """Per Beijing day number and one-item goods, the priced rows' sums.

    Rows: (day, goods id (None: the orders with no or several items, and unknown numbers),
    the group's first order number, its goods name, *the sums of ``_SUMS``). A one-item
    order's money, cost and shipping are its goods'.
    """
    rows = database.execute_sql(
        f"SELECT p.day, x.goods_id, MIN(p.sn), x.goods_name, {_SUMS} FROM temp.profit_order p "
        "JOIN temp.profit_priced x ON x.rid = p.rid GROUP BY p.day, x.goods_id"
    ).fetchall()
    return [(*r[:4], *(int(v) for v in r[4:])) for r in rows]


def loose_sums() -> tuple[int, int, int, int, int]:
    """Income, refund, fee, compensation, other of the numbers the shop does not have."""
    r = database.execute_sql(
        "SELECT TOTAL(inc), TOTAL(ref), TOTAL(fee), TOTAL(comp), TOTAL(other) FROM temp.profit_order "
        "WHERE oid IS NULL"
    ).fetchone()
    return tuple(int(v) for v in r)  # type: ignore[return-value]


def many_item_rows() -> list[tuple]:
    """The items of the orders with more than one item, order by order (as read), item by item.

    Rows: (order id, order_sn, settled, income, refund, fee, compensation, other, shipping or
    None, goods id, goods name, quantity, line amount fen, the item's cost at payment or None).
    """
    return database.execute_sql(
        "SELECT p.oid, p.sn, p.settled, p.inc, p.ref, p.fee, p.comp, p.other, x.ship, i.goods_id, "
        f"i.goods_name, i.quantity, i.quantity * i.unit_price_fen, {_ITEM_COST} FROM temp.profit_priced x "
        "JOIN temp.profit_order p ON p.rid = x.rid JOIN order_item i ON i.order_id = p.oid "
        "LEFT JOIN temp.profit_sku k ON k.sku_id = i.sku_id WHERE x.items > 1 ORDER BY x.rid, i.id"
    ).fetchall()


def drop() -> None:
    """Remove the scratch tables (if there)."""
    for table in ("profit_priced", "profit_order", "profit_sku"):
        database.execute_sql(f"DROP TABLE IF EXISTS temp.{table}")
