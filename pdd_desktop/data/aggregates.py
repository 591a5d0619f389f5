"""Per-day sales aggregates (schema v6), kept in the same transaction as every order write.

Definitions (the dashboards and ``pdd-desktop report`` read only these tables):

- An order counts once it is paid (``paid_at`` set), on the Beijing calendar day of
  ``paid_at``: the orders, 实付 (``pay_amount_fen``) and buyers the home page's figures count.
- ``day`` is the number of days since 1970-01-01 in UTC+8 (China has no daylight saving), so
  ``(paid_at + 28800) // 86400``; ``hour`` is the Beijing hour of ``paid_at``.
- A line's GMV is the order's 实付 split over its (goods, SKU) lines by goods value
  (quantity × unit price; by units when every price is 0), with cumulative rounding so the
  lines of an order add up to its 实付 to the fen.
- ``refunded`` is the order-level 退款成功 (``refund_status`` 4); refund rates are refunded
  orders ÷ orders of the same paid days.

Writers call :func:`refresh_orders` with the ids of the orders they inserted or changed,
inside their write transaction (sync upserts, imports, after-sales outcomes). It compares
each order's contribution with the one stored in ``agg_order`` / ``agg_line``, takes the old
one out of the sums and puts the new one in, only for orders whose contribution changed.
Shipping, printing, memos and flags change nothing counted here, so their writers need not
call it. :func:`rebuild` recomputes everything from the raw rows (``pdd-desktop aggregates
--rebuild``; the demo builder after its bulk insert).

Works on a plain ``sqlite3.Connection`` (the app's Peewee connection is one), so the
migration step, the demo builder and services share it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from datetime import date, timedelta

BEIJING_OFFSET_S = 8 * 3600
DAY_S = 86400
_EPOCH = date(1970, 1, 1)

#: Rolled-up tables: name, key columns, (column, expression over the facts) measures, source.
_ORDER_ROLLUPS: tuple[tuple[str, tuple[str, ...], tuple[tuple[str, str], ...]], ...] = (
    (
        "agg_day",
        ("day",),
        (("orders", "COUNT(*)"), ("units", "SUM(units)"), ("gmv_fen", "SUM(pay_fen)"),
         ("refunded_orders", "SUM(refunded)")),
    ),
    ("agg_hour", ("day", "hour"), (("orders", "COUNT(*)"), ("gmv_fen", "SUM(pay_fen)"))),
    ("agg_province_day", ("day", "province"), (("orders", "COUNT(*)"), ("gmv_fen", "SUM(pay_fen)"))),
    ("agg_buyer_day", ("day", "buyer_key"), (("orders", "COUNT(*)"), ("gmv_fen", "SUM(pay_fen)"))),
)  # fmt: skip
_LINE_ROLLUPS: tuple[tuple[str, tuple[str, ...], tuple[tuple[str, str], ...]], ...] = (
    (
        "agg_goods_day",
        ("day", "goods_id"),
        (("orders", "COUNT(DISTINCT order_id)"), ("units", "SUM(units)"), ("gmv_fen", "SUM(gmv_fen)"),
         ("refunded_orders", "COUNT(DISTINCT CASE WHEN refunded THEN order_id END)")),
    ),
    (
        "agg_sku_day",
        ("day", "goods_id", "sku_id"),
        (("orders", "COUNT(*)"), ("units", "SUM(units)"), ("gmv_fen", "SUM(gmv_fen)"),
         ("refunded_orders", "SUM(refunded)")),
    ),
)  # fmt: skip

#: Every aggregate table (cleared by a rebuild).
TABLES = (
    "agg_order",
    "agg_line",
    "agg_day",
    "agg_hour",
    "agg_province_day",
    "agg_buyer_day",
    "agg_goods_day",
    "agg_sku_day",
    "agg_buyer",
    "agg_spend",
    "agg_cohort",
    "agg_goods_visit",
    "agg_sku_visit",
    "agg_ship_line",
    "agg_ship_goods_day",
)

#: ``agg_buyer_day.prev_day`` / ``next_day`` when the buyer has no earlier / later paid day.
NO_DAY_BEFORE = -1
NO_DAY_AFTER = 99999999

_MONTH = "strftime('%Y-%m', {} * 86400, 'unixepoch')"

#: Per-buyer contributions, computed for the buyers in ``temp._dash_b`` (known buyers a write
#: touched) before and after the write: (rollup table, key columns, the temp table of signed
#: counts, SELECT of key columns and count). Adding ``after - before`` keeps each rollup exact.
_BUYER_ROLLUPS: tuple[tuple[str, tuple[str, ...], str], ...] = (
    (
        "agg_spend",
        ("gmv_fen", "frequent"),
        "SELECT gmv_fen, orders >= 2, {s} * COUNT(*) FROM agg_buyer WHERE buyer_key IN "
        "(SELECT buyer_key FROM temp._dash_b) GROUP BY 1, 2",
    ),
    (
        "agg_cohort",
        ("cohort", "month"),
        f"SELECT {_MONTH.format('b.first_day')}, {_MONTH.format('d.day')}, "
        "{s} * COUNT(DISTINCT d.buyer_key) "
        "FROM temp._dash_b t CROSS JOIN agg_buyer b ON b.buyer_key = t.buyer_key "
        "CROSS JOIN agg_buyer_day d INDEXED BY agg_buyer_day_buyer_key_day ON d.buyer_key = t.buyer_key "
        "GROUP BY 1, 2",
    ),
    (
        "agg_goods_visit",
        ("day", "goods_id", "prev_day"),
        "SELECT day, goods_id, p, {s} * COUNT(*) FROM (SELECT day, goods_id, "
        "lag(day, 1, -1) OVER (PARTITION BY goods_id, buyer_key ORDER BY day) AS p FROM "
        "(SELECT DISTINCT l.goods_id, l.buyer_key, l.day FROM temp._dash_b t CROSS JOIN agg_line l "
        "INDEXED BY agg_line_buyer_key_day ON l.buyer_key = t.buyer_key)) GROUP BY 1, 2, 3",
    ),
    (
        "agg_sku_visit",
        ("day", "sku_id", "prev_day"),
        "SELECT day, sku_id, p, {s} * COUNT(*) FROM (SELECT day, sku_id, "
        "lag(day, 1, -1) OVER (PARTITION BY sku_id, buyer_key ORDER BY day) AS p FROM "
        "(SELECT DISTINCT l.sku_id, l.buyer_key, l.day FROM temp._dash_b t CROSS JOIN agg_line l "
        "INDEXED BY agg_line_buyer_key_day ON l.buyer_key = t.buyer_key)) GROUP BY 1, 2, 3",
    ),
)

_ORDER_COLS = "order_id, day, hour, buyer_key, province, pay_fen, units, refunded"
_LINE_COLS = "order_id, goods_id, sku_id, day, buyer_key, units, gmv_fen, refunded"


def day_of(ts: int) -> int:
    """The Beijing calendar day number of epoch seconds ``ts``."""
    return (ts + BEIJING_OFFSET_S) // DAY_S


def day_to_date(day: int) -> date:
    """Day number → calendar date."""
    return _EPOCH + timedelta(days=day)


def date_to_day(d: date) -> int:
    """Calendar date → day number."""
    return (d - _EPOCH).days


def _order_facts_sql(ids_table: str | None) -> str:
    # The id list drives through ``o.id IN (…)`` (a rowid search per id). A join from the id
    # table instead made SQLite build a Bloom filter over every order first: a full scan of the
    # order table per call (0.5 s per sync page or ship batch on a 1M-order shop).
    only = f"o.id IN (SELECT order_id FROM {ids_table}) AND " if ids_table else ""
    return (
        "SELECT o.id, (o.paid_at + 28800) / 86400, ((o.paid_at + 28800) % 86400) / 3600, o.buyer_key, "
        "o.province, o.pay_amount_fen, "
        "COALESCE((SELECT SUM(i.quantity) FROM order_item i WHERE i.order_id = o.id), 0), "
        f'o.refund_status = 4 FROM "order" o WHERE {only}o.paid_at IS NOT NULL'
    )


def _line_facts_sql(order_facts: str) -> str:
    """Lines of the orders in table ``order_facts`` with the order's 实付 split over them."""
    return (
        "WITH l AS (SELECT i.order_id, i.goods_id, i.sku_id, SUM(i.quantity) AS units, "
        f"SUM(i.quantity * i.unit_price_fen) AS w FROM {order_facts} f "
        "CROSS JOIN order_item i ON i.order_id = f.order_id "
        "GROUP BY i.order_id, i.goods_id, i.sku_id), c AS (SELECT l.*, "
        "SUM(w) OVER (PARTITION BY order_id ORDER BY goods_id, sku_id) AS cw, "
        "SUM(w) OVER (PARTITION BY order_id) AS tw, "
        "SUM(units) OVER (PARTITION BY order_id ORDER BY goods_id, sku_id) AS cu, "
        "SUM(units) OVER (PARTITION BY order_id) AS tu FROM l) "
        "SELECT c.order_id, c.goods_id, c.sku_id, f.day, f.buyer_key, c.units, "
        "CASE WHEN c.tw > 0 THEN f.pay_fen * c.cw / c.tw - f.pay_fen * (c.cw - c.w) / c.tw "
        "WHEN c.tu > 0 THEN f.pay_fen * c.cu / c.tu - f.pay_fen * (c.cu - c.units) / c.tu ELSE 0 END, "
        f"f.refunded FROM c JOIN {order_facts} f ON f.order_id = c.order_id"
    )


def _rollup_sql(table: str, keys: tuple[str, ...], measures: tuple[tuple[str, str], ...], source: str,
                sign: int) -> str:  # fmt: skip
    key_list = ", ".join(keys)
    cols = ", ".join(m for m, _ in measures)
    exprs = ", ".join(f"{sign} * {e}" for _, e in measures)
    sets = ", ".join(f"{m} = {m} + excluded.{m}" for m, _ in measures)
    return (
        f"INSERT INTO {table} ({key_list}, {cols}) SELECT {key_list}, {exprs} FROM {source} WHERE true "
        f"GROUP BY {key_list} ON CONFLICT ({key_list}) DO UPDATE SET {sets}"
    )


def _temp_tables(conn: sqlite3.Connection) -> None:
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS _agg_ids (order_id INTEGER PRIMARY KEY)")
    conn.execute(
        "CREATE TEMP TABLE IF NOT EXISTS _agg_new_o (order_id INTEGER PRIMARY KEY, day, hour, buyer_key, "
        "province, pay_fen, units, refunded)"
    )
    conn.execute(
        "CREATE TEMP TABLE IF NOT EXISTS _agg_new_l (order_id, goods_id, sku_id, day, buyer_key, units, "
        "gmv_fen, refunded)"
    )
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS _agg_chg (order_id INTEGER PRIMARY KEY)")
    conn.execute(
        "CREATE TEMP TABLE IF NOT EXISTS _agg_old_o (order_id INTEGER PRIMARY KEY, day, hour, buyer_key, "
        "province, pay_fen, units, refunded)"
    )
    conn.execute(
        "CREATE TEMP TABLE IF NOT EXISTS _agg_old_l (order_id, goods_id, sku_id, day, buyer_key, units, "
        "gmv_fen, refunded)"
    )
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS _dash_b (buyer_key PRIMARY KEY) WITHOUT ROWID")
    for table, keys, _select in _BUYER_ROLLUPS:
        conn.execute(f"CREATE TEMP TABLE IF NOT EXISTS _dash_{table} ({', '.join(keys)}, n)")
    temps = ("_agg_ids", "_agg_new_o", "_agg_new_l", "_agg_chg", "_agg_old_o", "_agg_old_l", "_dash_b")
    for t in (*temps, *(f"_dash_{table}" for table, _k, _s in _BUYER_ROLLUPS)):
        conn.execute(f"DELETE FROM temp.{t}")


def _buyer_contributions(conn: sqlite3.Connection, sign: int) -> None:
    """Add ``sign`` × the touched known buyers' current contributions to the temp delta tables."""
    for table, keys, select in _BUYER_ROLLUPS:
        cols = ", ".join(keys)
        conn.execute(f"INSERT INTO temp._dash_{table} ({cols}, n) {select.format(s=sign)}")


def _apply_buyer_deltas(conn: sqlite3.Connection) -> None:
    for table, keys, _select in _BUYER_ROLLUPS:
        cols = ", ".join(keys)
        conn.execute(
            f"INSERT INTO {table} ({cols}, buyers) SELECT {cols}, SUM(n) FROM temp._dash_{table} WHERE true "
            f"GROUP BY {cols} ON CONFLICT ({cols}) DO UPDATE SET buyers = buyers + excluded.buyers"
        )
        conn.execute(
            f"DELETE FROM {table} WHERE buyers = 0 AND ({cols}) IN (SELECT {cols} FROM temp._dash_{table})"
        )


def _refresh_buyer_days(conn: sqlite3.Connection, touched: str) -> None:
    """Recompute ``prev_day`` / ``next_day`` of the days of the buyers in subquery ``touched``."""
    conn.execute(
        "UPDATE agg_buyer_day SET prev_day = w.p, next_day = w.n FROM (SELECT day, buyer_key, "
        f"lag(day, 1, {NO_DAY_BEFORE}) OVER w AS p, lead(day, 1, {NO_DAY_AFTER}) OVER w AS n "
        "FROM agg_buyer_day INDEXED BY agg_buyer_day_buyer_key_day "
        f"WHERE buyer_key IN ({touched}) WINDOW w AS (PARTITION BY buyer_key ORDER BY day)) AS w "
        "WHERE agg_buyer_day.day = w.day AND agg_buyer_day.buyer_key = w.buyer_key "
        "AND (agg_buyer_day.prev_day != w.p OR agg_buyer_day.next_day != w.n)"
    )


#: agg_buyer's columns from its days (after their prev/next days are right): second_day from
#: the first day's row: that day when it had two orders, else the buyer's next day (None).
_BUYER_COLS = "buyer_key, first_day, last_day, orders, gmv_fen, days, second_day"
_BUYER_SELECT = (
    "SELECT buyer_key, MIN(day), MAX(day), SUM(orders), SUM(gmv_fen), COUNT(*), "
    f"MAX(CASE WHEN prev_day = {NO_DAY_BEFORE} THEN (CASE WHEN orders >= 2 THEN day "
    f"WHEN next_day != {NO_DAY_AFTER} THEN next_day END) END) FROM agg_buyer_day"
)


def refresh_orders(conn: sqlite3.Connection, order_ids: Iterable[int]) -> int:
    """Bring the aggregates up to date for ``order_ids`` (inserted, changed or deleted orders).

    Call it inside the write transaction that changed them. Returns how many orders'
    contributions changed.
    """
    ids = [(int(i),) for i in set(order_ids)]
    if not ids:
        return 0
    _temp_tables(conn)
    conn.executemany("INSERT INTO temp._agg_ids VALUES (?)", ids)
    conn.execute(f"INSERT INTO temp._agg_new_o {_order_facts_sql('temp._agg_ids')}")
    conn.execute(f"INSERT INTO temp._agg_new_l {_line_facts_sql('temp._agg_new_o')}")
    # Orders whose contribution differs from the stored one (either direction, either level).
    old_o = f"SELECT {_ORDER_COLS} FROM agg_order WHERE order_id IN (SELECT order_id FROM temp._agg_ids)"
    old_l = f"SELECT {_LINE_COLS} FROM agg_line WHERE order_id IN (SELECT order_id FROM temp._agg_ids)"
    new_o = f"SELECT {_ORDER_COLS} FROM temp._agg_new_o"
    new_l = f"SELECT {_LINE_COLS} FROM temp._agg_new_l"
    conn.execute(
        "INSERT INTO temp._agg_chg SELECT order_id FROM ("
        f"SELECT order_id FROM ({new_o} EXCEPT {old_o}) UNION SELECT order_id FROM ({old_o} EXCEPT {new_o}) "
        f"UNION SELECT order_id FROM ({new_l} EXCEPT {old_l}) "
        f"UNION SELECT order_id FROM ({old_l} EXCEPT {new_l}))"
    )
    changed = conn.execute("SELECT COUNT(*) FROM temp._agg_chg").fetchone()[0]
    if not changed:
        _refresh_shipping(conn)
        return 0
    chg = "order_id IN (SELECT order_id FROM temp._agg_chg)"
    conn.execute(f"INSERT INTO temp._agg_old_o SELECT {_ORDER_COLS} FROM agg_order WHERE {chg}")
    conn.execute(f"INSERT INTO temp._agg_old_l SELECT {_LINE_COLS} FROM agg_line WHERE {chg}")
    conn.execute(f"DELETE FROM temp._agg_new_o WHERE NOT {chg}")
    conn.execute(f"DELETE FROM temp._agg_new_l WHERE NOT {chg}")
    touched = "SELECT buyer_key FROM temp._agg_old_o UNION SELECT buyer_key FROM temp._agg_new_o"
    conn.execute(f"INSERT INTO temp._dash_b SELECT buyer_key FROM ({touched}) WHERE buyer_key != ''")
    _buyer_contributions(conn, -1)
    for rollups, old, new in (
        (_ORDER_ROLLUPS, "temp._agg_old_o", "temp._agg_new_o"),
        (_LINE_ROLLUPS, "temp._agg_old_l", "temp._agg_new_l"),
    ):
        for table, keys, measures in rollups:
            conn.execute(_rollup_sql(table, keys, measures, old, -1))
            conn.execute(_rollup_sql(table, keys, measures, new, 1))
            key_list = ", ".join(keys)
            conn.execute(
                f"DELETE FROM {table} WHERE orders = 0 AND ({key_list}) IN (SELECT {key_list} FROM {old})"
            )
    # Buyers: recomputed from their days (first/last day cannot be subtracted).
    _refresh_buyer_days(conn, touched)
    conn.execute(f"DELETE FROM agg_buyer WHERE buyer_key IN ({touched})")
    conn.execute(
        f"INSERT INTO agg_buyer ({_BUYER_COLS}) {_BUYER_SELECT} WHERE buyer_key IN ({touched}) "
        "GROUP BY buyer_key"
    )
    conn.execute(f"DELETE FROM agg_order WHERE {chg}")
    conn.execute(f"DELETE FROM agg_line WHERE {chg}")
    conn.execute(f"INSERT INTO agg_order ({_ORDER_COLS}) SELECT {_ORDER_COLS} FROM temp._agg_new_o")
    conn.execute(f"INSERT INTO agg_line ({_LINE_COLS}) SELECT {_LINE_COLS} FROM temp._agg_new_l")
    _buyer_contributions(conn, 1)
    _apply_buyer_deltas(conn)
    _refresh_shipping(conn)
    return int(changed)


#: A shipped paid order with a deadline, per goods: (order_id, goods_id, paid day, shipped late).
_SHIP_FACTS = (
    "SELECT DISTINCT o.id, i.goods_id, (o.paid_at + 28800) / 86400, o.shipped_at > o.ship_deadline_at "
    'FROM "order" o CROSS JOIN order_item i ON i.order_id = o.id '
    "WHERE {only}o.paid_at IS NOT NULL AND o.ship_deadline_at IS NOT NULL AND o.shipped_at IS NOT NULL"
)


def _refresh_shipping(conn: sqlite3.Connection) -> None:
    """Bring ``agg_ship_line`` / ``agg_ship_goods_day`` up to date for the orders in ``temp._agg_ids``."""
    for t in ("_ship_new", "_ship_old"):
        conn.execute(
            f"CREATE TEMP TABLE IF NOT EXISTS {t} (order_id, goods_id, day, late, "
            "PRIMARY KEY (order_id, goods_id))"
        )
    conn.execute("DELETE FROM temp._ship_new")
    conn.execute("DELETE FROM temp._ship_old")
    only = "o.id IN (SELECT order_id FROM temp._agg_ids) AND "
    conn.execute(f"INSERT INTO temp._ship_new {_SHIP_FACTS.format(only=only)}")
    conn.execute(
        "INSERT INTO temp._ship_old SELECT order_id, goods_id, day, late FROM agg_ship_line "
        "WHERE order_id IN (SELECT order_id FROM temp._agg_ids)"
    )
    # Keep only the differences (the stored facts of these orders are _ship_old).
    same = "o.order_id = {t}.order_id AND o.goods_id = {t}.goods_id AND o.day = {t}.day AND o.late = {t}.late"
    conn.execute(
        "DELETE FROM temp._ship_old WHERE EXISTS (SELECT 1 FROM temp._ship_new o "
        f"WHERE {same.format(t='_ship_old')})"
    )
    conn.execute(
        "DELETE FROM temp._ship_new WHERE EXISTS (SELECT 1 FROM agg_ship_line o "
        f"WHERE {same.format(t='_ship_new')})"
    )
    for source, sign in (("temp._ship_old", -1), ("temp._ship_new", 1)):
        conn.execute(
            "INSERT INTO agg_ship_goods_day (day, goods_id, shipped, late) SELECT day, goods_id, "
            f"{sign} * COUNT(*), {sign} * SUM(late) FROM {source} WHERE true GROUP BY day, goods_id "
            "ON CONFLICT (day, goods_id) "
            "DO UPDATE SET shipped = shipped + excluded.shipped, late = late + excluded.late"
        )
    conn.execute(
        "DELETE FROM agg_ship_goods_day WHERE shipped = 0 AND (day, goods_id) IN "
        "(SELECT day, goods_id FROM temp._ship_old)"
    )
    conn.execute(
        "DELETE FROM agg_ship_line WHERE (order_id, goods_id) IN "
        "(SELECT order_id, goods_id FROM temp._ship_old)"
    )
    conn.execute("INSERT INTO agg_ship_line SELECT order_id, goods_id, day, late FROM temp._ship_new")


def refresh_shipping(conn: sqlite3.Connection, order_ids: Iterable[int]) -> None:
    """Bring the late-shipping facts up to date for ``order_ids`` (shipped or un-shipped orders).

    Shipping writers call it inside their transaction; :func:`refresh_orders` does it too.
    """
    ids = [(int(i),) for i in set(order_ids)]
    if not ids:
        return
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS _agg_ids (order_id INTEGER PRIMARY KEY)")
    conn.execute("DELETE FROM temp._agg_ids")
    conn.executemany("INSERT INTO temp._agg_ids VALUES (?)", ids)
    _refresh_shipping(conn)


def rebuild(conn: sqlite3.Connection) -> int:
    """Recompute every aggregate from the raw order rows (in the caller's transaction).

    The aggregate tables' secondary indexes are dropped during the bulk inserts and created
    again from their stored definitions (building an index once from the finished table is
    several times faster than keeping it up to date row by row).

    Returns the number of paid orders counted.
    """
    marks = ",".join("?" * len(TABLES))
    indexes = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
        f"AND tbl_name IN ({marks})",
        TABLES,
    ).fetchall()
    for name, _sql in indexes:
        conn.execute(f'DROP INDEX "{name}"')
    for table in TABLES:
        conn.execute(f"DELETE FROM {table}")
    conn.execute(f"INSERT INTO agg_order ({_ORDER_COLS}) {_order_facts_sql(None)}")
    conn.execute(f"INSERT INTO agg_line ({_LINE_COLS}) {_line_facts_sql('agg_order')}")
    for rollups, source in ((_ORDER_ROLLUPS, "agg_order"), (_LINE_ROLLUPS, "agg_line")):
        for table, keys, measures in rollups:
            if table == "agg_buyer_day":
                continue  # below, with each buyer's previous and next day
            key_list = ", ".join(keys)
            cols = ", ".join(m for m, _ in measures)
            exprs = ", ".join(e for _, e in measures)
            conn.execute(
                f"INSERT INTO {table} ({key_list}, {cols}) SELECT {key_list}, {exprs} FROM {source} "
                f"GROUP BY {key_list}"
            )
    conn.execute(
        "INSERT INTO agg_buyer_day (day, buyer_key, orders, gmv_fen, prev_day, next_day) "
        f"SELECT day, buyer_key, n, g, lag(day, 1, {NO_DAY_BEFORE}) OVER w, "
        f"lead(day, 1, {NO_DAY_AFTER}) OVER w FROM (SELECT day, buyer_key, COUNT(*) AS n, "
        "SUM(pay_fen) AS g FROM agg_order GROUP BY day, buyer_key) "
        "WINDOW w AS (PARTITION BY buyer_key ORDER BY day)"
    )
    conn.execute(f"INSERT INTO agg_buyer ({_BUYER_COLS}) {_BUYER_SELECT} GROUP BY buyer_key")
    for _name, sql in indexes:
        conn.execute(sql)
    # Per-buyer rollups by the upkeep's own SQL over every known buyer (one index probe per buyer
    # beats sorting every order line three times over).
    _temp_tables(conn)
    conn.execute("INSERT INTO temp._dash_b SELECT buyer_key FROM agg_buyer WHERE buyer_key != ''")
    _buyer_contributions(conn, 1)
    _apply_buyer_deltas(conn)
    _temp_tables(conn)  # empties the temp tables again
    conn.execute(f"INSERT INTO agg_ship_line {_SHIP_FACTS.format(only='')}")
    conn.execute(
        "INSERT INTO agg_ship_goods_day SELECT day, goods_id, COUNT(*), SUM(late) FROM agg_ship_line "
        "GROUP BY day, goods_id"
    )
    return int(conn.execute("SELECT COUNT(*) FROM agg_order").fetchone()[0])
