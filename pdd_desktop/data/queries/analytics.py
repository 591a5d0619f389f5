"""SQL behind the 数据 dashboards and ``pdd-desktop report``: reads of the aggregates.

Days are Beijing day numbers (``data/aggregates.py``); every range is ``[first_day,
last_day]`` inclusive. Refunds in the overview are read from ``after_sale`` itself (cases
退款成功, on the Beijing day they closed: the home page's definition) through its
``(status, closed_at)`` index.

Distinct buyers never group the buyers of a range (schema step dash): a buyer is counted at
its first paid day inside the range, the row of ``agg_buyer_day`` whose ``prev_day`` lies before
the range's (or bucket's) first day, read from the covering index ``agg_buyer_day_visit``;
per goods / SKU the same from the (day, previous day) counts of ``agg_goods_visit`` /
``agg_sku_visit``. Only known buyers count: an order without buyer identity (key '': the
platform's files and APIs carry none) is no buyer. Key '' has one buyer-day row per day with such
orders (:func:`unknown_orders_by_day`), so it is counted exactly once in a range that has one:
the known buyers are that count minus one, read by an index seek (a ``buyer_key != ''`` filter
on the covering-index scan cost about 30 % more on the 1M-order shop).
"""

from __future__ import annotations

from pdd_desktop.data.aggregates import NO_DAY_BEFORE
from pdd_desktop.data.db import database

#: A bucket key per grain: the day itself, the Monday-based week's first day, or 'YYYY-MM'.
BUCKETS = {
    "day": "day",
    "week": "day - ((day + 3) % 7)",
    "month": "strftime('%Y-%m', day * 86400, 'unixepoch')",
}
_VISIT = "agg_buyer_day INDEXED BY agg_buyer_day_visit"
#: The orders without buyer identity: key '' has one buyer-day row per day it has orders.
_UNKNOWN = "agg_buyer_day INDEXED BY agg_buyer_day_buyer_key_day"


def _rows(sql: str, params: tuple | list = ()) -> list[tuple]:
    return database.execute_sql(sql, tuple(params)).fetchall()


def sales_by_bucket(first: int, last: int, grain: str) -> list[tuple]:
    """Rows ``(bucket, orders, units, gmv_fen)`` of paid orders, in bucket order."""
    b = BUCKETS[grain]
    return _rows(
        f"SELECT {b} AS b, SUM(orders), SUM(units), SUM(gmv_fen) FROM agg_day WHERE day BETWEEN ? AND ? "
        "GROUP BY b ORDER BY b",
        (first, last),
    )


def buyers_by_bucket(first: int, last: int, grain: str) -> list[tuple]:
    """Rows ``(bucket, distinct known buyers)`` (orders without buyer identity are no buyer, as on 工作台).

    Days: the rows of each day. Weeks and months: one count per bucket over its days (each buyer
    at its first day in the bucket), so no per-row bucket arithmetic.
    """
    b = BUCKETS[grain]
    if grain == "day":
        unknown = {int(d) for d, _n in unknown_orders_by_day(first, last)}
        rows = _rows(
            f"SELECT day, COUNT(*) FROM {_VISIT} WHERE day BETWEEN ? AND ? GROUP BY day ORDER BY day",
            (first, last),
        )
        return [(d, n - (int(d) in unknown)) for d, n in rows if n - (int(d) in unknown)]
    spans: dict[object, list[int]] = {}
    for day, key in _rows(
        "WITH RECURSIVE d(day) AS (SELECT ? UNION ALL SELECT day + 1 FROM d WHERE day < ?) "
        f"SELECT day, {b} FROM d",
        (first, last),
    ):
        spans.setdefault(key, [day, day])[1] = day
    out = []
    for key, (d0, d1) in spans.items():
        n = buyers_in_range(d0, d1)
        if n:
            out.append((key, int(n)))
    return out


def buyers_in_range(first: int, last: int) -> int:
    """Distinct known buyers with a paid order in the range (each at its first day in the range)."""
    row = database.execute_sql(
        f"SELECT (SELECT COUNT(*) FROM {_VISIT} WHERE day BETWEEN ? AND ? AND prev_day < ?) - "
        f"EXISTS (SELECT 1 FROM {_UNKNOWN} WHERE buyer_key = '' AND day BETWEEN ? AND ?)",
        (first, last, first, first, last),
    ).fetchone()
    return int(row[0] or 0)


def refunds_by_day(start_ts: int, end_ts: int, success_code: int) -> list[tuple]:
    """Rows ``(day, cases, refund_fen)`` of cases that closed 退款成功 in ``[start_ts, end_ts)``."""
    return _rows(
        "SELECT (closed_at + 28800) / 86400 AS d, COUNT(*), SUM(refund_amount_fen) FROM after_sale "
        "WHERE status = ? AND closed_at >= ? AND closed_at < ? GROUP BY d ORDER BY d",
        (success_code, start_ts, end_ts),
    )


def goods_figures(first: int, last: int, *, with_buyers: bool = True) -> list[tuple]:
    """Rows ``(goods_id, orders, units, gmv_fen, refunded_orders, buyers)`` of goods sold in the range.

    Distinct buyers need a pass over the range's order lines; ``with_buyers=False`` skips it (0).
    """
    sums = (
        "SELECT goods_id, SUM(orders) AS o, SUM(units) AS u, SUM(gmv_fen) AS g, SUM(refunded_orders) AS r "
        "FROM agg_goods_day WHERE day BETWEEN ? AND ? GROUP BY goods_id"
    )
    if not with_buyers:
        return _rows(f"SELECT goods_id, o, u, g, r, 0 FROM ({sums})", (first, last))
    buyers = _visit_buyers("agg_goods_visit", "goods_id", first, last)
    return [
        (*row, buyers.get(int(row[0]), 0))
        for row in _rows(f"SELECT goods_id, o, u, g, r FROM ({sums})", (first, last))
    ]


def _visit_buyers(table: str, key: str, first: int, last: int) -> dict[int, int]:
    """Distinct known buyers per goods (SKU) in the range: their first visits in it.

    Orders without buyer identity are no buyer here either (the visit tables hold known buyers only).
    """
    return {
        int(k): int(n)
        for k, n in _rows(
            f"SELECT {key}, SUM(buyers) FROM {table} WHERE day BETWEEN ? AND ? AND prev_day < ? "
            f"GROUP BY {key}",
            (first, last, first),
        )
    }


def sku_figures(first: int, last: int, *, with_buyers: bool = True) -> list[tuple]:
    """Rows ``(goods_id, sku_id, orders, units, gmv_fen, refunded_orders, buyers)`` of SKUs sold."""
    sums = (
        "SELECT goods_id, sku_id, SUM(orders) AS o, SUM(units) AS u, SUM(gmv_fen) AS g, "
        "SUM(refunded_orders) AS r FROM agg_sku_day INDEXED BY agg_sku_day_sums WHERE day BETWEEN ? AND ? "
        "GROUP BY goods_id, sku_id"
    )
    if not with_buyers:
        return _rows(f"SELECT goods_id, sku_id, o, u, g, r, 0 FROM ({sums})", (first, last))
    buyers = _visit_buyers("agg_sku_visit", "sku_id", first, last)
    return [
        (*row, buyers.get(int(row[1]), 0))
        for row in _rows(f"SELECT goods_id, sku_id, o, u, g, r FROM ({sums})", (first, last))
    ]


def goods_names() -> dict[int, str]:
    """goods_id → name for the goods the shop knows."""
    return {int(g): n for g, n in _rows("SELECT goods_id, name FROM goods")}


def sold_goods_names(goods_ids: list[int]) -> dict[int, str]:
    """goods_id → the name on its latest order line (goods no longer listed)."""
    if not goods_ids:
        return {}
    marks = ",".join("?" * len(goods_ids))
    return {
        int(g): n
        for g, n in _rows(
            f"SELECT goods_id, goods_name FROM order_item WHERE id IN (SELECT MAX(id) FROM order_item "
            f"WHERE goods_id IN ({marks}) GROUP BY goods_id)",
            goods_ids,
        )
    }


def sku_specs() -> dict[int, tuple[int, str, int]]:
    """sku_id → (goods_id, spec, stock)."""
    return {
        int(s): (int(g), spec, int(stock))
        for s, g, spec, stock in _rows("SELECT sku_id, goods_id, spec, stock FROM sku")
    }


def goods_daily(goods_id: int, first: int, last: int) -> list[tuple]:
    """Rows ``(day, orders, units, gmv_fen)`` of one goods, days with sales only."""
    return _rows(
        "SELECT day, orders, units, gmv_fen FROM agg_goods_day WHERE goods_id = ? AND day BETWEEN ? AND ? "
        "ORDER BY day",
        (goods_id, first, last),
    )


def sku_units_since(first: int, last: int) -> dict[int, int]:
    """sku_id → units sold in the range (the sales rate behind stock cover)."""
    return {
        int(s): int(u)
        for s, u in _rows(
            "SELECT sku_id, SUM(units) FROM agg_sku_day WHERE day BETWEEN ? AND ? GROUP BY sku_id",
            (first, last),
        )
    }


def sku_last_sale_day() -> dict[int, int]:
    """sku_id → the last day it sold (SKUs in the shop's list only)."""
    return {
        int(s): int(d)
        for s, d in _rows(
            "SELECT s.sku_id, (SELECT MAX(day) FROM agg_sku_day a WHERE a.sku_id = s.sku_id) FROM sku s "
            "WHERE EXISTS (SELECT 1 FROM agg_sku_day a WHERE a.sku_id = s.sku_id)"
        )
    }


def buyers_per_day(first: int, last: int) -> list[tuple]:
    """Rows ``(day, known buyers, new buyers)``: new = the buyer's first paid order is that day."""
    return _rows(
        f"SELECT day, COUNT(*), SUM(prev_day = {NO_DAY_BEFORE}) FROM {_VISIT} WHERE day BETWEEN ? AND ? "
        "AND buyer_key != '' GROUP BY day ORDER BY day",
        (first, last),
    )


def buyer_orders_in_range(first: int, last: int) -> tuple[int, int]:
    """(known buyers in the range, of whom bought at least twice in it)."""
    row = database.execute_sql(
        f"SELECT COUNT(*), SUM(orders >= 2 OR next_day <= ?) FROM {_VISIT} WHERE day BETWEEN ? AND ? "
        "AND prev_day < ? AND buyer_key != ''",
        (last, first, last, first),
    ).fetchone()
    return int(row[0] or 0), int(row[1] or 0)


def unknown_buyer_orders(first: int, last: int) -> int:
    """Paid orders in ``[first, last]`` without a buyer identity (key ''), by the buyer-day index."""
    row = database.execute_sql(
        "SELECT COALESCE(SUM(orders), 0) FROM agg_buyer_day INDEXED BY agg_buyer_day_buyer_key_day "
        "WHERE buyer_key = '' AND day BETWEEN ? AND ?",
        (first, last),
    ).fetchone()
    return int(row[0])


def unknown_orders_by_day(first: int, last: int) -> list[tuple]:
    """Rows ``(day, orders)`` of paid orders without a buyer identity, days with such orders only."""
    return _rows(
        f"SELECT day, orders FROM {_UNKNOWN} WHERE buyer_key = '' AND day BETWEEN ? AND ? ORDER BY day",
        (first, last),
    )


def buyer_spend_median() -> int:
    """The median all-time spend of known buyers (the M line of RFM), in fen."""
    n = database.execute_sql("SELECT SUM(buyers) FROM agg_spend").fetchone()[0]
    if not n:
        return 0
    row = database.execute_sql(
        "SELECT gmv_fen FROM (SELECT gmv_fen, SUM(n) OVER (ORDER BY gmv_fen) AS upto FROM "
        "(SELECT gmv_fen, SUM(buyers) AS n FROM agg_spend GROUP BY gmv_fen)) WHERE upto > ? "
        "ORDER BY gmv_fen LIMIT 1",
        (n // 2,),
    ).fetchone()
    return int(row[0])


def spend_counts() -> list[tuple]:
    """Rows ``(all-time spend in fen, known buyers)``, by spend."""
    return _rows("SELECT gmv_fen, SUM(buyers) FROM agg_spend GROUP BY gmv_fen ORDER BY gmv_fen")


def second_order_gaps(first: int, last: int) -> list[tuple]:
    """Rows ``(days to the second order or None, buyers)``: known buyers whose first order is in the range."""
    return _rows(
        "SELECT second_day - first_day AS gap, COUNT(*) FROM agg_buyer "
        "INDEXED BY agg_buyer_first_day_second_day WHERE first_day BETWEEN ? AND ? AND buyer_key != '' "
        "GROUP BY gap ORDER BY gap",
        (first, last),
    )


def rfm_groups(recent_from: int, as_of: int, spend_line: int) -> list[tuple]:
    """Rows ``(recent, frequent, big, buyers, gmv_fen)`` over known buyers with a first order by ``as_of``.

    recent: last order on or after ``recent_from``; frequent: two or more orders; big: spend at
    or above ``spend_line``.
    """
    # All known buyers from agg_spend, the recent ones from the (last_day, orders, gmv) index;
    # the rest is the difference. Buyers first buying after ``as_of`` (none, unless the clock
    # went back) are taken out again.
    groups: dict[tuple[int, int, int], list[int]] = {}
    for f, big, n, g in _rows(
        "SELECT frequent, gmv_fen >= ?, SUM(buyers), SUM(buyers * gmv_fen) FROM agg_spend GROUP BY 1, 2",
        (spend_line,),
    ):
        groups[(0, int(f), int(big))] = [int(n), int(g)]
    for sign, sql, params in (
        (
            1,
            "SELECT 1, orders >= 2, gmv_fen >= ?, COUNT(*), SUM(gmv_fen) FROM agg_buyer INDEXED BY "
            "agg_buyer_last_day_orders_gmv_fen WHERE last_day >= ? AND buyer_key != '' GROUP BY 2, 3",
            (spend_line, recent_from),
        ),
        (
            -1,
            "SELECT last_day >= ?, orders >= 2, gmv_fen >= ?, COUNT(*), SUM(gmv_fen) FROM agg_buyer "
            "INDEXED BY agg_buyer_first_day_second_day WHERE first_day > ? AND buyer_key != '' "
            "GROUP BY 1, 2, 3",
            (recent_from, spend_line, as_of),
        ),
    ):
        for r, f, big, n, g in _rows(sql, params):
            key = (int(r), int(f), int(big))
            if sign == 1:
                rest = groups.setdefault((0, int(f), int(big)), [0, 0])
                rest[0] -= int(n)
                rest[1] -= int(g)
            acc = groups.setdefault(key, [0, 0])
            acc[0] += sign * int(n)
            acc[1] += sign * int(g)
    return [(*k, n, g) for k, (n, g) in sorted(groups.items()) if n]


def provinces(first: int, last: int) -> list[tuple]:
    """Rows ``(province, orders, gmv_fen)``, most orders first."""
    return _rows(
        "SELECT province, SUM(orders) AS n, SUM(gmv_fen) FROM agg_province_day WHERE day BETWEEN ? AND ? "
        "GROUP BY province ORDER BY n DESC, province",
        (first, last),
    )


def hour_weekday(first: int, last: int) -> list[tuple]:
    """Rows ``(weekday 0=Monday, hour, orders)``."""
    return _rows(
        "SELECT (day + 3) % 7 AS w, hour, SUM(orders) FROM agg_hour WHERE day BETWEEN ? AND ? "
        "GROUP BY w, hour",
        (first, last),
    )


def cohorts(first: int, last: int) -> list[tuple]:
    """Rows ``(cohort 'YYYY-MM', active 'YYYY-MM', buyers)``.

    Known buyers whose first order is in the range, by the month of their first order and each
    month they bought in (up to ``last``).
    """
    month = "strftime('%Y-%m', ? * 86400, 'unixepoch')"
    rows = _rows(
        f"SELECT cohort, month, buyers FROM agg_cohort WHERE cohort >= {month} AND month <= {month}",
        (first, last),
    )
    # The last month from the rollup counts its whole month; when days after ``last`` have sales,
    # that month's column is counted again up to ``last`` from its buyer days.
    month_start = database.execute_sql(
        "SELECT CAST(strftime('%s', ? * 86400, 'unixepoch', 'start of month') AS INTEGER) / 86400", (last,)
    ).fetchone()[0]
    later = database.execute_sql(
        "SELECT EXISTS (SELECT 1 FROM agg_day WHERE day > ? AND day < ? + 31)", (last, month_start)
    ).fetchone()[0]
    if not later:
        return rows
    last_month = database.execute_sql(f"SELECT {month}", (last,)).fetchone()[0]
    exact = _rows(
        "SELECT strftime('%Y-%m', b.first_day * 86400, 'unixepoch'), ?, COUNT(*) "
        f"FROM {_VISIT} CROSS JOIN agg_buyer b ON b.buyer_key = agg_buyer_day.buyer_key "
        "WHERE agg_buyer_day.day BETWEEN ? AND ? AND agg_buyer_day.prev_day < ? "
        "AND agg_buyer_day.buyer_key != '' AND b.first_day BETWEEN ? AND ? GROUP BY 1",
        (last_month, month_start, last, month_start, first, last),
    )
    return [r for r in rows if r[1] != last_month] + exact


def shipped_late_by_goods(first: int, last: int) -> list[tuple]:
    """Rows ``(goods_id, shipped orders with a deadline, of them shipped after it)`` paid in the range."""
    return _rows(
        "SELECT goods_id, SUM(shipped), SUM(late) FROM agg_ship_goods_day WHERE day BETWEEN ? AND ? "
        "GROUP BY goods_id",
        (first, last),
    )


def waiting_by_goods(start_ts: int, end_ts: int, now: int, to_ship: int) -> list[tuple]:
    """Rows ``(goods_id, orders waiting to ship with a deadline, of them past it at now)``.

    Paid in ``[start_ts, end_ts)``; read from the few orders in status 待发货 (``to_ship``).
    """
    return _rows(
        "SELECT i.goods_id, COUNT(DISTINCT o.id), "
        "COUNT(DISTINCT CASE WHEN o.ship_deadline_at < ? THEN o.id END) "
        'FROM "order" o INDEXED BY order_status_ship_deadline_at '
        "CROSS JOIN order_item i ON i.order_id = o.id "
        "WHERE o.status = ? AND o.ship_deadline_at IS NOT NULL AND o.shipped_at IS NULL "
        "AND o.paid_at >= ? AND o.paid_at < ? "
        "GROUP BY i.goods_id",
        (now, to_ship, start_ts, end_ts),
    )


def late_order_ids(goods_id: int, first: int, last: int, start_ts: int, end_ts: int, now: int,
                   to_ship: int) -> list[int]:  # fmt: skip
    """Ids of one goods' orders paid in the range that shipped late or wait past their deadline."""
    return [
        int(r[0])
        for r in _rows(
            "SELECT order_id FROM agg_ship_line WHERE goods_id = ? AND day BETWEEN ? AND ? AND late "
            'UNION SELECT o.id FROM "order" o INDEXED BY order_status_ship_deadline_at '
            "WHERE o.status = ? AND o.ship_deadline_at < ? AND o.shipped_at IS NULL AND o.paid_at >= ? "
            "AND o.paid_at < ? "
            "AND EXISTS (SELECT 1 FROM order_item i WHERE i.order_id = o.id AND i.goods_id = ?) "
            "ORDER BY 1 DESC",
            (goods_id, first, last, to_ship, now, start_ts, end_ts, goods_id),
        )
    ]


#: Conditions on a buyer (``agg_buyer b``) for :func:`paid_order_ids` ``buyers=``: name → SQL with
#: one parameter, or none (value ignored).
BUYER_TERMS = {
    "last_from": "b.last_day >= ?",
    "last_before": "b.last_day < ?",
    "frequent": "b.orders >= 2",
    "single": "b.orders < 2",
    "spend_min": "b.gmv_fen >= ?",
    "spend_below": "b.gmv_fen < ?",
    "first_from": "b.first_day >= ?",
    "first_to": "b.first_day <= ?",
    "gap_min": "b.second_day - b.first_day >= ?",
    "gap_below": "b.second_day - b.first_day < ?",
    "no_second": "b.second_day IS NULL",
}


def paid_order_ids(first: int, last: int, *, goods_id: int | None = None, sku_id: int | None = None,
                   province: str | None = None, hour: int | None = None, weekday: int | None = None,
                   buyer_new: bool | None = None, sku_ids: list[int] | None = None,
                   buyers: list[tuple[str, object]] | None = None) -> list[int]:  # fmt: skip
    """Ids of the paid orders behind one figure (a chart's click-through), newest first.

    ``sku_ids``: orders with a line of any of these SKUs. ``buyers``: orders of the known buyers
    meeting every ``(name, value)`` of :data:`BUYER_TERMS`.
    """
    params: list[object] = [first, last]
    if goods_id is not None or sku_id is not None:
        sql = (
            "SELECT DISTINCT l.order_id FROM agg_line l JOIN agg_order o ON o.order_id = l.order_id "
            "WHERE l.day BETWEEN ? AND ?"
        )
        if goods_id is not None:
            sql += " AND l.goods_id = ?"
            params.append(goods_id)
        if sku_id is not None:
            sql += " AND l.sku_id = ?"
            params.append(sku_id)
    elif sku_ids is not None:
        marks = ",".join("?" * len(sku_ids)) or "NULL"
        sql = (
            "SELECT DISTINCT l.order_id FROM agg_line l JOIN agg_order o ON o.order_id = l.order_id "
            f"WHERE l.day BETWEEN ? AND ? AND l.sku_id IN ({marks})"
        )
        params.extend(sku_ids)
    else:
        sql = "SELECT o.order_id FROM agg_order o WHERE o.day BETWEEN ? AND ?"
    if buyers is not None:
        sql += " AND o.buyer_key != '' AND EXISTS (SELECT 1 FROM agg_buyer b WHERE b.buyer_key = o.buyer_key"
        for name, value in buyers:
            sql += f" AND {BUYER_TERMS[name]}"
            if "?" in BUYER_TERMS[name]:
                params.append(value)
        sql += ")"
    if province is not None:
        sql += " AND o.province = ?"
        params.append(province)
    if hour is not None:
        sql += " AND o.hour = ?"
        params.append(hour)
    if weekday is not None:
        sql += " AND (o.day + 3) % 7 = ?"
        params.append(weekday)
    if buyer_new is not None:
        sql += (
            " AND o.buyer_key != '' AND "
            + ("" if buyer_new else "NOT ")
            + "EXISTS (SELECT 1 FROM agg_buyer b WHERE b.buyer_key = o.buyer_key AND b.first_day = o.day)"
        )
    return [int(r[0]) for r in _rows(sql + " ORDER BY 1 DESC", params)]
