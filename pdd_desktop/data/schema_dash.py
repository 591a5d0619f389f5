"""Schema step: per-buyer and per-visit rollups for the 数据 dashboards (issue 16). Frozen: never edit.

The v6 aggregates answered every customer figure by grouping all buyers (1–3 s on a
1,000,000-order shop). This step adds what lets those figures read small tables or one
covering index range, each kept up to date by ``data/aggregates.py``:

- ``agg_buyer_day.prev_day`` / ``next_day``: the buyer's previous and next paid day (-1 /
  99999999 when there is none). Distinct buyers in ``[F, L]`` are then the rows of the range
  with ``prev_day < F``, and a buyer bought twice in the range when that row has two orders or
  ``next_day <= L``: one scan of the covering index ``agg_buyer_day_visit``, no grouping.
- ``agg_buyer.second_day``: the day of the buyer's second paid order (NULL: one order so far),
  with the covering index ``(first_day, second_day)`` for 复购间隔 (time to second order), and
  ``(last_day, orders, gmv_fen)`` for the recent half of RFM.
- ``agg_spend``: known buyers per exact all-time spend and frequent (two or more orders): the
  median spend of RFM, RFM's spend split and the spend distribution (about 13,000 rows).
- ``agg_cohort``: known buyers per (month of the first order, month they bought in).
- ``agg_goods_visit`` / ``agg_sku_visit``: a known buyer's paid days of one goods (SKU), as
  (day, previous such day) counts, so distinct buyers per goods in a range are a sum.
- ``agg_line_buyer_key_day``: a buyer's lines (the visits of the buyers a write touched; the
  unknown buyer's lines of a range). ``agg_sku_day_sums``: SKU sums of a range in SKU order
  from the index alone (no sort of the range's rows).
- ``agg_ship_line`` / ``agg_ship_goods_day``: paid orders with a ship deadline that have
  shipped, per goods and paid day, and how many of them after the deadline (the late-shipping
  share; orders still waiting are read from the few 待发货 orders at read time).

The back-fill fills them from the v6 tables and the orders already in the file.
"""

#: The sentinel "no earlier day" / "no later day" of ``prev_day`` / ``next_day``.
NO_DAY_BEFORE = -1
NO_DAY_AFTER = 99999999

#: DDL, in order.
STATEMENTS: tuple[str, ...] = (
    f'ALTER TABLE "agg_buyer_day" ADD COLUMN "prev_day" INTEGER NOT NULL DEFAULT {NO_DAY_BEFORE}',
    f'ALTER TABLE "agg_buyer_day" ADD COLUMN "next_day" INTEGER NOT NULL DEFAULT {NO_DAY_AFTER}',
    'ALTER TABLE "agg_buyer" ADD COLUMN "second_day" INTEGER',
    'CREATE TABLE "agg_spend" ("gmv_fen" INTEGER NOT NULL, "frequent" INTEGER NOT NULL, '
    '"buyers" INTEGER NOT NULL, PRIMARY KEY ("gmv_fen", "frequent")) WITHOUT ROWID',
    'CREATE TABLE "agg_cohort" ("cohort" VARCHAR(255) NOT NULL, "month" VARCHAR(255) NOT NULL, '
    '"buyers" INTEGER NOT NULL, PRIMARY KEY ("cohort", "month")) WITHOUT ROWID',
    'CREATE TABLE "agg_goods_visit" ("day" INTEGER NOT NULL, "goods_id" INTEGER NOT NULL, '
    '"prev_day" INTEGER NOT NULL, "buyers" INTEGER NOT NULL, PRIMARY KEY ("day", "goods_id", "prev_day")) '
    "WITHOUT ROWID",
    'CREATE TABLE "agg_sku_visit" ("day" INTEGER NOT NULL, "sku_id" INTEGER NOT NULL, '
    '"prev_day" INTEGER NOT NULL, "buyers" INTEGER NOT NULL, PRIMARY KEY ("day", "sku_id", "prev_day")) '
    "WITHOUT ROWID",
    'CREATE TABLE "agg_ship_line" ("order_id" INTEGER NOT NULL, "goods_id" INTEGER NOT NULL, '
    '"day" INTEGER NOT NULL, "late" INTEGER NOT NULL, PRIMARY KEY ("order_id", "goods_id")) WITHOUT ROWID',
    'CREATE TABLE "agg_ship_goods_day" ("day" INTEGER NOT NULL, "goods_id" INTEGER NOT NULL, '
    '"shipped" INTEGER NOT NULL, "late" INTEGER NOT NULL, PRIMARY KEY ("day", "goods_id")) WITHOUT ROWID',
)

_WINDOW = "WINDOW w AS (PARTITION BY buyer_key ORDER BY day)"

#: Back-fill from the v6 aggregates and the orders, then the indexes (built once, after).
BACKFILL: tuple[str, ...] = (
    "UPDATE agg_buyer_day SET prev_day = w.p, next_day = w.n FROM (SELECT day, buyer_key, "
    f"lag(day, 1, {NO_DAY_BEFORE}) OVER w AS p, lead(day, 1, {NO_DAY_AFTER}) OVER w AS n "
    f"FROM agg_buyer_day {_WINDOW}) AS w "
    "WHERE agg_buyer_day.day = w.day AND agg_buyer_day.buyer_key = w.buyer_key "
    f"AND (w.p != {NO_DAY_BEFORE} OR w.n != {NO_DAY_AFTER})",
    "UPDATE agg_buyer SET second_day = (SELECT CASE WHEN d.orders >= 2 THEN d.day "
    f"WHEN d.next_day != {NO_DAY_AFTER} THEN d.next_day END FROM agg_buyer_day d "
    "WHERE d.day = agg_buyer.first_day AND d.buyer_key = agg_buyer.buyer_key)",
    "INSERT INTO agg_spend SELECT gmv_fen, orders >= 2, COUNT(*) FROM agg_buyer WHERE buyer_key != '' "
    "GROUP BY 1, 2",
    "INSERT INTO agg_cohort SELECT strftime('%Y-%m', b.first_day * 86400, 'unixepoch'), "
    "strftime('%Y-%m', d.day * 86400, 'unixepoch'), COUNT(DISTINCT d.buyer_key) "
    "FROM agg_buyer b JOIN agg_buyer_day d ON d.buyer_key = b.buyer_key WHERE b.buyer_key != '' "
    "GROUP BY 1, 2",
    "INSERT INTO agg_goods_visit SELECT day, goods_id, p, COUNT(*) FROM (SELECT day, goods_id, "
    f"lag(day, 1, {NO_DAY_BEFORE}) OVER (PARTITION BY goods_id, buyer_key ORDER BY day) AS p FROM "
    "(SELECT DISTINCT goods_id, buyer_key, day FROM agg_line WHERE buyer_key != '')) GROUP BY 1, 2, 3",
    "INSERT INTO agg_sku_visit SELECT day, sku_id, p, COUNT(*) FROM (SELECT day, sku_id, "
    f"lag(day, 1, {NO_DAY_BEFORE}) OVER (PARTITION BY sku_id, buyer_key ORDER BY day) AS p FROM "
    "(SELECT DISTINCT sku_id, buyer_key, day FROM agg_line WHERE buyer_key != '')) GROUP BY 1, 2, 3",
    "INSERT INTO agg_ship_line SELECT DISTINCT o.id, i.goods_id, (o.paid_at + 28800) / 86400, "
    'o.shipped_at > o.ship_deadline_at FROM "order" o JOIN order_item i ON i.order_id = o.id '
    "WHERE o.paid_at IS NOT NULL AND o.ship_deadline_at IS NOT NULL AND o.shipped_at IS NOT NULL",
    "INSERT INTO agg_ship_goods_day SELECT day, goods_id, COUNT(*), SUM(late) FROM agg_ship_line "
    "GROUP BY day, goods_id",
    'CREATE INDEX "agg_buyer_day_visit" ON "agg_buyer_day" ("day", "prev_day", "next_day", "orders")',
    'CREATE INDEX "agg_buyer_first_day_second_day" ON "agg_buyer" ("first_day", "second_day")',
    'CREATE INDEX "agg_buyer_last_day_orders_gmv_fen" ON "agg_buyer" ("last_day", "orders", "gmv_fen")',
    'CREATE INDEX "agg_line_buyer_key_day" ON "agg_line" ("buyer_key", "day")',
    'CREATE INDEX "agg_sku_day_sums" ON "agg_sku_day" ("goods_id", "sku_id", "day", "orders", "units", '
    '"gmv_fen", "refunded_orders")',
)
