"""Schema version 6: per-day sales aggregates for the 数据 dashboards. Frozen: never edit.

Every figure is about *paid* orders (``paid_at`` set), the set the home page's 今日/近 7 天
figures count, on the Beijing calendar day of ``paid_at`` (day number = days since
1970-01-01 in UTC+8, which has no daylight saving).

- ``agg_order``: what each paid order contributes (day, hour, buyer, province, 实付 in fen,
  units, refunded = order-level 退款成功). ``agg_line``: its lines per (goods, SKU), with the
  order's 实付 split over the lines by goods value (cumulative rounding, so the lines add up
  to the order exactly). These two are the bookkeeping that lets an order be taken out of the
  sums again when it changes.
- Rolled up: ``agg_day`` (per day), ``agg_hour`` (day × hour), ``agg_province_day``,
  ``agg_buyer_day``, ``agg_goods_day``, ``agg_sku_day`` and ``agg_buyer`` (per buyer, all
  time: first/last day, orders, spend).

The back-fill builds them from the existing orders in set-based SQL (the same definitions as
``data/aggregates.py``, which keeps them up to date afterwards).
"""

#: DDL, in order.
STATEMENTS: tuple[str, ...] = (
    'CREATE TABLE "agg_order" ("order_id" INTEGER NOT NULL PRIMARY KEY, "day" INTEGER NOT NULL, '
    '"hour" INTEGER NOT NULL, "buyer_key" VARCHAR(255) NOT NULL, "province" VARCHAR(255) NOT NULL, '
    '"pay_fen" INTEGER NOT NULL, "units" INTEGER NOT NULL, "refunded" INTEGER NOT NULL)',
    'CREATE INDEX "agg_order_day" ON "agg_order" ("day")',
    'CREATE TABLE "agg_line" ("order_id" INTEGER NOT NULL, "goods_id" INTEGER NOT NULL, '
    '"sku_id" INTEGER NOT NULL, "day" INTEGER NOT NULL, "buyer_key" VARCHAR(255) NOT NULL, '
    '"units" INTEGER NOT NULL, "gmv_fen" INTEGER NOT NULL, "refunded" INTEGER NOT NULL, '
    'PRIMARY KEY ("order_id", "goods_id", "sku_id")) WITHOUT ROWID',
    'CREATE INDEX "agg_line_day_goods_id_buyer_key" ON "agg_line" ("day", "goods_id", "buyer_key")',
    'CREATE TABLE "agg_day" ("day" INTEGER NOT NULL PRIMARY KEY, "orders" INTEGER NOT NULL, '
    '"units" INTEGER NOT NULL, "gmv_fen" INTEGER NOT NULL, "refunded_orders" INTEGER NOT NULL)',
    'CREATE TABLE "agg_hour" ("day" INTEGER NOT NULL, "hour" INTEGER NOT NULL, "orders" INTEGER NOT NULL, '
    '"gmv_fen" INTEGER NOT NULL, PRIMARY KEY ("day", "hour")) WITHOUT ROWID',
    'CREATE TABLE "agg_province_day" ("day" INTEGER NOT NULL, "province" VARCHAR(255) NOT NULL, '
    '"orders" INTEGER NOT NULL, "gmv_fen" INTEGER NOT NULL, PRIMARY KEY ("day", "province")) WITHOUT ROWID',
    'CREATE TABLE "agg_buyer_day" ("day" INTEGER NOT NULL, "buyer_key" VARCHAR(255) NOT NULL, '
    '"orders" INTEGER NOT NULL, "gmv_fen" INTEGER NOT NULL, PRIMARY KEY ("day", "buyer_key")) WITHOUT ROWID',
    'CREATE INDEX "agg_buyer_day_buyer_key_day" ON "agg_buyer_day" ("buyer_key", "day")',
    'CREATE TABLE "agg_goods_day" ("day" INTEGER NOT NULL, "goods_id" INTEGER NOT NULL, '
    '"orders" INTEGER NOT NULL, "units" INTEGER NOT NULL, "gmv_fen" INTEGER NOT NULL, '
    '"refunded_orders" INTEGER NOT NULL, PRIMARY KEY ("day", "goods_id")) WITHOUT ROWID',
    'CREATE INDEX "agg_goods_day_goods_id_day" ON "agg_goods_day" ("goods_id", "day")',
    'CREATE TABLE "agg_sku_day" ("day" INTEGER NOT NULL, "goods_id" INTEGER NOT NULL, '
    '"sku_id" INTEGER NOT NULL, "orders" INTEGER NOT NULL, "units" INTEGER NOT NULL, '
    '"gmv_fen" INTEGER NOT NULL, "refunded_orders" INTEGER NOT NULL, '
    'PRIMARY KEY ("day", "goods_id", "sku_id")) WITHOUT ROWID',
    'CREATE INDEX "agg_sku_day_sku_id_day" ON "agg_sku_day" ("sku_id", "day")',
    'CREATE TABLE "agg_buyer" ("buyer_key" VARCHAR(255) NOT NULL PRIMARY KEY, "first_day" INTEGER NOT NULL, '
    '"last_day" INTEGER NOT NULL, "orders" INTEGER NOT NULL, "gmv_fen" INTEGER NOT NULL, '
    '"days" INTEGER NOT NULL) WITHOUT ROWID',
    'CREATE INDEX "agg_buyer_first_day" ON "agg_buyer" ("first_day")',
)

_ORDER_FACTS = (
    "SELECT o.id, (o.paid_at + 28800) / 86400, ((o.paid_at + 28800) % 86400) / 3600, o.buyer_key, "
    "o.province, o.pay_amount_fen, COALESCE((SELECT SUM(i.quantity) FROM order_item i WHERE i.order_id = o.id), 0), "
    'o.refund_status = 4 FROM "order" o WHERE o.paid_at IS NOT NULL'
)

#: Back-fill from the orders already in the file.
BACKFILL: tuple[str, ...] = (
    f"INSERT INTO agg_order {_ORDER_FACTS}",
    "INSERT INTO agg_line WITH l AS (SELECT i.order_id, i.goods_id, i.sku_id, SUM(i.quantity) AS units, "
    "SUM(i.quantity * i.unit_price_fen) AS w FROM order_item i JOIN agg_order f ON f.order_id = i.order_id "
    "GROUP BY i.order_id, i.goods_id, i.sku_id), c AS (SELECT l.*, "
    "SUM(w) OVER (PARTITION BY order_id ORDER BY goods_id, sku_id) AS cw, SUM(w) OVER (PARTITION BY order_id) AS tw, "
    "SUM(units) OVER (PARTITION BY order_id ORDER BY goods_id, sku_id) AS cu, "
    "SUM(units) OVER (PARTITION BY order_id) AS tu FROM l) "
    "SELECT c.order_id, c.goods_id, c.sku_id, f.day, f.buyer_key, c.units, "
    "CASE WHEN c.tw > 0 THEN f.pay_fen * c.cw / c.tw - f.pay_fen * (c.cw - c.w) / c.tw "
    "WHEN c.tu > 0 THEN f.pay_fen * c.cu / c.tu - f.pay_fen * (c.cu - c.units) / c.tu ELSE 0 END, f.refunded "
    "FROM c JOIN agg_order f ON f.order_id = c.order_id",
    "INSERT INTO agg_day SELECT day, COUNT(*), SUM(units), SUM(pay_fen), SUM(refunded) FROM agg_order GROUP BY day",
    "INSERT INTO agg_hour SELECT day, hour, COUNT(*), SUM(pay_fen) FROM agg_order GROUP BY day, hour",
    "INSERT INTO agg_province_day SELECT day, province, COUNT(*), SUM(pay_fen) FROM agg_order GROUP BY day, province",
    "INSERT INTO agg_buyer_day SELECT day, buyer_key, COUNT(*), SUM(pay_fen) FROM agg_order GROUP BY day, buyer_key",
    "INSERT INTO agg_goods_day SELECT day, goods_id, COUNT(DISTINCT order_id), SUM(units), SUM(gmv_fen), "
    "COUNT(DISTINCT CASE WHEN refunded THEN order_id END) FROM agg_line GROUP BY day, goods_id",
    "INSERT INTO agg_sku_day SELECT day, goods_id, sku_id, COUNT(*), SUM(units), SUM(gmv_fen), SUM(refunded) "
    "FROM agg_line GROUP BY day, goods_id, sku_id",
    "INSERT INTO agg_buyer SELECT buyer_key, MIN(day), MAX(day), SUM(orders), SUM(gmv_fen), COUNT(*) "
    "FROM agg_buyer_day GROUP BY buyer_key",
)
