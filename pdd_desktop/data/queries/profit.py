"""利润 SQL: each billed order priced once (facts on ``bill_order``), and a range summed in SQLite.

**Facts** (``data/schema_profit_facts.py``): what 利润 needs of an order beyond its bill money
is stored on its rollup row: the order id, the item count, the items' cost at payment, their
weight, the newest live parcel's courier, a one-item order's goods and a many-item order's
items. Triggers mark a row out of date (``day`` NULL) in the transaction of any write that
changes one of them; :func:`price_dirty` prices the marked rows set-based (the bill import runs
it after each file, the 利润 read before reading). The rules are those of
``services/cost_history.py`` (the cost in force at payment) and of ``services/profit.py``.

**Reads** scan the range's rows of the covering index ``bill_order_last_at_cover`` (the
orders whose lines all lie in the range) plus the few orders with lines on both sides of a
range bound (their lines summed from ``bill_entry``, their facts from the same rows), and
price the parcel there: the shipping price table is applied to the stored courier and weight
in the statement (:func:`shipping_sql`), so editing the table marks nothing. Nothing is read
per order but the many-item orders' items (stored as JSON on their rows).
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from pdd_desktop.data.db import database
from pdd_desktop.data.queries.cost_history import cost_at_sql
from pdd_desktop.data.queries.reconcile import _MONEY, SETTLE

#: (courier id, up_to_g, first_weight_g, first_fen, step_g, step_fen) of one price band.
Band = tuple[int, int, int, int, int, int]

# ------------------------------------------------------------------------------ facts

_SKU_DDL = (
    "CREATE TEMP TABLE profit_sku (sku_id INTEGER PRIMARY KEY, varies INTEGER, cost INTEGER, weight INTEGER)"
)
#: The facts of the marked rows, before they are written back.
_FACT_DDL = (
    "CREATE TEMP TABLE profit_fact (order_sn TEXT PRIMARY KEY, order_id INTEGER, item_count INTEGER, "
    "cost_fen INTEGER, weight_g INTEGER, courier_id INTEGER, goods_id INTEGER, day INTEGER, items_json TEXT) "
    "WITHOUT ROWID"
)
#: The fact columns of ``bill_order``, in :func:`_facts_sql`'s order (``items_json`` follows them,
#: kept in ``bill_order_items``).
FACT_COLUMNS = ("order_id", "item_count", "cost_fen", "weight_g", "courier_id", "goods_id", "day")
#: The Beijing day number of a time (UTC epoch seconds; Beijing has no daylight saving).
_BJ_DAY = "(({}) + 28800) / 86400"
#: An item's cost per unit at its order's payment (``i`` the item, ``k`` its ``profit_sku``
#: row, ``o`` its order): the SKU's one cost, else looked up in its history.
_ITEM_COST = f"(CASE WHEN k.varies THEN {cost_at_sql('i.sku_id', 'COALESCE(o.paid_at, 0)')} ELSE k.cost END)"
#: The newest live parcel's courier of order ``o`` (0: none).
_COURIER = (
    "COALESCE((SELECT COALESCE(c.courier_id, 0) FROM package_order pc JOIN package c ON c.id = pc.package_id "
    "WHERE pc.order_id = o.id AND c.voided_at IS NULL ORDER BY c.shipped_at DESC, c.id DESC LIMIT 1), 0)"
)


def _sku_costs() -> None:
    """Fill ``temp.profit_sku``: per SKU, whether its cost history varies, its one cost, its weight.

    One cost per SKU whose history holds one price (or that has no history: its current cost),
    so only the SKUs whose cost changed are looked up at each order's payment.
    """
    database.execute_sql("DROP TABLE IF EXISTS temp.profit_sku")
    database.execute_sql(_SKU_DDL)
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


def _facts_sql(where: str) -> str:
    """SELECT of (order_sn, *:data:`FACT_COLUMNS`, items_json) of the rollup rows ``r`` matching ``where``.

    Needs ``temp.profit_sku``. A number the shop does not have: no order id, no items.
    """
    n = "COUNT(i.id)"
    return (
        f"SELECT r.order_sn, o.id, {n}, CASE WHEN {n} > 0 AND COUNT({_ITEM_COST}) = {n} "
        f"THEN SUM({_ITEM_COST} * i.quantity) END, COALESCE(SUM(i.quantity * COALESCE(k.weight, 0)), 0), "
        f"CASE WHEN o.id IS NULL THEN 0 ELSE {_COURIER} END, CASE WHEN {n} = 1 THEN MIN(i.goods_id) END, "
        + _BJ_DAY.format(
            "CASE WHEN o.id IS NULL THEN r.first_at ELSE COALESCE(r.first_settle_at, r.first_at) END"
        )
        + f", CASE WHEN {n} > 1 THEN json_group_array(json_array(i.id, i.goods_id, i.quantity, "
        f"i.quantity * i.unit_price_fen, {_ITEM_COST})) END"
        + ' FROM bill_order r LEFT JOIN "order" o ON o.order_sn = r.order_sn '
        "LEFT JOIN order_item i ON i.order_id = o.id LEFT JOIN temp.profit_sku k ON k.sku_id = i.sku_id "
        f"WHERE {where} GROUP BY r.order_sn"
    )


#: The marked rows with lines in ``[?, ?)`` (from ``bill_order_last_at_cover``, which carries ``day``).
_DIRTY_IN = "r.day IS NULL AND r.last_at >= ? AND r.first_at < ?"


def has_dirty(start: int, end: int) -> bool:
    """Whether a rollup row with lines in ``[start, end)`` has facts out of date, or a SKU was noted."""
    sql = (
        "SELECT EXISTS (SELECT 1 FROM bill_order_dirty_sku) OR EXISTS (SELECT 1 FROM bill_order r "
        f"INDEXED BY bill_order_last_at_cover WHERE {_DIRTY_IN})"
    )
    return bool(database.execute_sql(sql, (start, end)).fetchone()[0])


def mark_noted_skus() -> int:
    """Mark the priced rows of the orders of every noted SKU, and forget the notes; how many rows.

    Inside the caller's write transaction. One statement for all noted SKUs: their items' order
    ids matched against the rows' stored order ids (a row's order id is exact while it is priced:
    renumbering or removing the order marks it).
    """
    if database.execute_sql("SELECT 1 FROM bill_order_dirty_sku LIMIT 1").fetchone() is None:
        return 0
    cur = database.execute_sql(
        "UPDATE bill_order SET day = NULL WHERE day IS NOT NULL AND order_id IN (SELECT i.order_id "
        "FROM bill_order_dirty_sku d JOIN order_item i ON i.sku_id = d.sku_id)"
    )
    database.execute_sql("DELETE FROM bill_order_dirty_sku")
    return int(cur.rowcount)


def price_dirty(start: int, end: int) -> int:
    """Price the marked rows with lines in ``[start, end)`` (inside the caller's write transaction).

    The facts are computed into a scratch table first, then written back: one UPDATE of the
    rollup rows, and the many-item orders' items replaced. Returns how many rows were priced.
    """
    if not has_dirty(start, end):
        return 0
    mark_noted_skus()
    _sku_costs()
    database.execute_sql("DROP TABLE IF EXISTS temp.profit_fact")
    database.execute_sql(_FACT_DDL)
    try:
        database.execute_sql(f"INSERT INTO temp.profit_fact {_facts_sql(_DIRTY_IN)}", (start, end))
        sets = ", ".join(f"{c} = f.{c}" for c in FACT_COLUMNS)
        cur = database.execute_sql(
            f"UPDATE bill_order SET {sets} FROM temp.profit_fact f "
            "WHERE bill_order.order_sn = f.order_sn"
        )
        database.execute_sql(
            "DELETE FROM bill_order_items WHERE order_sn IN (SELECT order_sn FROM temp.profit_fact)"
        )
        database.execute_sql(
            "INSERT INTO bill_order_items (order_sn, items_json) SELECT order_sn, items_json "
            "FROM temp.profit_fact WHERE items_json IS NOT NULL"
        )
        return int(cur.rowcount)
    finally:
        database.execute_sql("DROP TABLE IF EXISTS temp.profit_fact")
        database.execute_sql("DROP TABLE IF EXISTS temp.profit_sku")


def recomputed_facts() -> list[tuple]:
    """Every rollup row's facts as computed now (by order number), to check the stored ones."""
    _sku_costs()
    try:
        return database.execute_sql(f"SELECT * FROM ({_facts_sql('1')}) ORDER BY 1").fetchall()
    finally:
        database.execute_sql("DROP TABLE IF EXISTS temp.profit_sku")


def stored_facts() -> list[tuple]:
    """Every rollup row's stored facts (by order number) and whether they are out of date."""
    return database.execute_sql(
        f"SELECT r.order_sn, {', '.join(f'r.{c}' for c in FACT_COLUMNS)}, x.items_json, r.day IS NULL "
        "FROM bill_order r LEFT JOIN bill_order_items x ON x.order_sn = r.order_sn ORDER BY r.order_sn"
    ).fetchall()


# ------------------------------------------------------------------------------ shipping


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


class Range:
    """The SQL of one range's priced orders, and the reads of :mod:`services.profit` over it.

    One row per order number with lines in ``[start, end)``: ``sn``, ``oid`` (NULL: a number
    the shop does not have), ``at`` (its first settlement in the range, else its first line; an
    unknown number: its first line), ``day`` (Beijing day number of ``at``), ``settled`` (1: a
    known order with a settlement in the range), ``inc``/``ref``/``fee``/``comp``/``other``
    (the range's money), ``cost`` (0 when not settled, NULL when an item has no cost or there
    are no items), ``ship`` (0 when not settled, NULL when no band applies), ``items``, and a
    one-item order's ``gid``.

    ``inside``: the orders whose lines all lie in the range, from ``bill_order_profit_cover``
    alone (their day is the stored one); ``across`` (:func:`across_order_sns`): the orders with
    lines on both sides of a range bound, their range's lines summed from ``bill_entry``.
    """

    def __init__(self, start: int, end: int, across: Sequence[str], bands: Sequence[Band]) -> None:
        facts = (
            "r.order_id AS oid, r.item_count AS items, r.cost_fen AS fcost, r.weight_g AS w, "
            "r.courier_id AS c, r.goods_id AS gid"
        )
        at = "CASE WHEN l.oid IS NULL THEN l.fl ELSE COALESCE(l.fs, l.fl) END"
        settled = "(l.oid IS NOT NULL AND l.fs IS NOT NULL)"
        ship = shipping_sql(bands, "l.c", "l.w")
        priced = (
            f"SELECT l.sn, l.oid, {at} AS at, {{day}} AS day, {settled} AS settled, l.inc, l.ref, l.fee, "
            f"l.comp, l.other, CASE WHEN {settled} THEN l.fcost ELSE 0 END AS cost, "
            f"CASE WHEN {settled} THEN {ship} ELSE 0 END AS ship, l.items, l.gid "
            "FROM ({lines}) AS l"
        )
        self.inside = priced.format(
            day="l.day",
            lines="SELECT r.order_sn AS sn, r.first_settle_at AS fs, r.first_at AS fl, r.income_fen AS inc, "
            "r.refund_fen AS ref, r.fee_fen AS fee, r.compensation_fen AS comp, r.other_fen AS other, "
            f"r.day AS day, {facts} FROM bill_order r INDEXED BY bill_order_profit_cover "
            "WHERE r.day BETWEEN ? AND ? AND r.first_at >= ? AND r.last_at < ? AND r.order_sn != ''",
        )
        self.inside_params: list = [(start + 28800) // 86400, (end - 1 + 28800) // 86400, start, end]
        self.across = None
        self.across_params: list = []
        if across:
            self.across = priced.format(
                day=_BJ_DAY.format(at),
                lines="WITH a (sn, fs, fl, inc, ref, fee, comp, other, oid, items, fcost, w, c, gid) "
                "AS ("
                f"SELECT b.order_sn, MIN(CASE WHEN {SETTLE} THEN b.occurred_at END), MIN(b.occurred_at), "
                f"{_MONEY}, {facts} FROM json_each(?) AS j JOIN bill_entry b ON b.order_sn = j.value "
                "JOIN bill_order r ON r.order_sn = j.value WHERE b.occurred_at >= ? AND b.occurred_at < ? "
                "GROUP BY b.order_sn) SELECT * FROM a",
            )
            self.across_params = [json.dumps(list(across)), start, end]
        self.sql = self.inside if self.across is None else f"{self.inside} UNION ALL {self.across}"
        self.params = [*self.inside_params, *self.across_params]

    def _rows(self, select: str, tail: str = "", extra: Sequence = ()) -> list[tuple]:
        return database.execute_sql(
            f"SELECT {select} FROM ({self.sql}) AS p {tail}", [*self.params, *extra]
        ).fetchall()

    #: An order's row as :class:`services.profit.ProfitReport` keeps it.
    ORDER = "p.oid, p.sn, p.at, p.inc, p.ref, p.fee, p.comp, p.other, p.settled, p.cost, p.ship"
    #: Its profit when complete (else NULL).
    _PROFIT = "p.inc + p.ref + p.fee + p.comp + p.other - p.cost - p.ship"
    _COMPLETE = "p.cost IS NOT NULL AND p.ship IS NOT NULL"

    def day_goods_sums(self) -> list[tuple]:
        """Per Beijing day number and one-item goods, the sums (a day and goods can come twice).

        Rows: (day, goods id (None: the orders with no or several items, and unknown numbers),
        the group's first order number, income, refund, fee, compensation,
        other, settled orders, known cost, orders without cost, known shipping, orders without
        shipping, known orders, and the income, refund, fee, compensation, other of unknown
        numbers). Only settled orders count cost and shipping. The orders inside the range are
        grouped in the covering index's order (no sort); those across a bound apart.
        """
        money = ("inc", "ref", "fee", "comp", "other")
        loose = ", ".join(f"TOTAL(CASE WHEN p.oid IS NULL THEN p.{m} END)" for m in money)
        select = (
            "p.day, p.gid, MIN(p.sn), SUM(p.inc), SUM(p.ref), SUM(p.fee), SUM(p.comp), "
            "SUM(p.other), SUM(p.settled), TOTAL(CASE WHEN p.settled THEN p.cost END), "
            "SUM(p.settled AND p.cost IS NULL), TOTAL(CASE WHEN p.settled THEN p.ship END), "
            f"SUM(p.settled AND p.ship IS NULL), SUM(p.oid IS NOT NULL), {loose}"
        )
        rows = []
        for sql, params in ((self.inside, self.inside_params), (self.across, self.across_params)):
            if sql is not None:
                rows += database.execute_sql(
                    f"SELECT {select} FROM ({sql}) AS p GROUP BY p.day, p.gid", params
                ).fetchall()
        return [(*r[:3], *(int(v) for v in r[3:])) for r in rows]

    def lowest(self, n: int) -> list[tuple]:
        """The ``n`` known orders of lowest profit (those with a missing price first; then by number)."""
        return self._rows(
            self.ORDER,
            f"WHERE p.oid IS NOT NULL ORDER BY {self._COMPLETE}, "
            f"CASE WHEN {self._COMPLETE} THEN {self._PROFIT} ELSE 0 END, p.sn LIMIT ?",
            (n,),
        )

    def orders(self) -> list[tuple]:
        """Every known order's row, by order number."""
        return self._rows(self.ORDER, "WHERE p.oid IS NOT NULL ORDER BY p.sn")

    def many_item_orders(self) -> list[tuple]:
        """The orders with more than one item.

        Rows: (order id, order_sn, settled, income, refund, fee, compensation, other, shipping
        or None, the items' JSON: [[item id, goods id, quantity, amount fen, cost per unit at
        payment or None], …]).
        """
        return self._rows(
            "p.oid, p.sn, p.settled, p.inc, p.ref, p.fee, p.comp, p.other, p.ship, x.items_json",
            "JOIN bill_order_items x ON x.order_sn = p.sn WHERE p.items > 1 AND p.oid IS NOT NULL",
        )


def goods_names(firsts: dict[int, str]) -> dict[int, str]:
    """Goods id → the goods name its (first) item carries in the given order (goods id → order number)."""
    if not firsts:
        return {}
    rows = database.execute_sql(
        "SELECT j.key, MIN(i.id), i.goods_name FROM json_each(?) AS j "
        'JOIN "order" o ON o.order_sn = j.value '
        "JOIN order_item i ON i.order_id = o.id AND i.goods_id = CAST(j.key AS INTEGER) GROUP BY j.key",
        (json.dumps({str(g): sn for g, sn in firsts.items()}),),
    ).fetchall()
    return {int(g): name for g, _first, name in rows}
