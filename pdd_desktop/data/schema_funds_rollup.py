"""Schema step: 资金 rollup — each order's bill lines summed once. Frozen once released.

- ``bill_order``: per order number named by bill lines (``bill_entry.order_sn`` other than ""),
  the sums 对账 and 利润 read instead of grouping the lines at every look: how many lines, how
  many order-income lines (``0010002|交易收入-订单收入``, or uncoded lines whose text is
  ``交易收入-订单收入``: ``data.queries.reconcile.SETTLE``) and their sum, the income, refund,
  fee (tech-service fees net of their returns), compensation and other (marketing and other)
  sums, and the first / last line's time and the first settlement's time (NULL: never settled).
- Maintained set-based in the transaction of every bill apply (``data/bill_rollup.py``: the
  lines the apply added, grouped per order number, added to the rows), and rebuildable from
  ``bill_entry`` alone; a test checks it equals the recomputation after random imports.
- ``bill_order_last_at_cover`` (last and first line time, first settlement, the money sums;
  the order number comes with it): 利润 reads the orders whose lines all fall in its range
  (last line in it, first line not before it) from this index alone, without their lines, and
  finds there the few orders with lines on both sides of a range bound.
"""

#: DDL, in order.
STATEMENTS: tuple[str, ...] = (
    'CREATE TABLE "bill_order" ("order_sn" VARCHAR(255) NOT NULL PRIMARY KEY, "lines" INTEGER NOT NULL, '
    '"settlements" INTEGER NOT NULL, "settled_fen" INTEGER NOT NULL, "income_fen" INTEGER NOT NULL, '
    '"refund_fen" INTEGER NOT NULL, "fee_fen" INTEGER NOT NULL, "compensation_fen" INTEGER NOT NULL, '
    '"other_fen" INTEGER NOT NULL, "first_at" INTEGER NOT NULL, "last_at" INTEGER NOT NULL, '
    '"first_settle_at" INTEGER) WITHOUT ROWID',
    'CREATE INDEX "bill_order_last_at_cover" ON "bill_order" ("last_at", "first_at", "first_settle_at", '
    '"income_fen", "refund_fen", "fee_fen", "compensation_fen", "other_fen")',
)

#: Run after :data:`STATEMENTS`: the rows of the lines already stored (one grouped pass).
BACKFILL: tuple[str, ...] = (
    'INSERT INTO "bill_order" SELECT b.order_sn, COUNT(*), '
    "SUM(CASE WHEN b.code = '0010002' OR (b.code = '' AND b.description LIKE '%交易收入-订单收入%') "
    "THEN 1 ELSE 0 END), "
    "SUM(CASE WHEN b.code = '0010002' OR (b.code = '' AND b.description LIKE '%交易收入-订单收入%') "
    "THEN b.amount_fen ELSE 0 END), "
    "SUM(CASE WHEN b.category = 'income' THEN b.amount_fen ELSE 0 END), "
    "SUM(CASE WHEN b.category = 'refund' THEN b.amount_fen ELSE 0 END), "
    "SUM(CASE WHEN b.category IN ('tech_fee', 'tech_fee_return') THEN b.amount_fen ELSE 0 END), "
    "SUM(CASE WHEN b.category = 'compensation' THEN b.amount_fen ELSE 0 END), "
    "SUM(CASE WHEN b.category IN ('marketing', 'other') THEN b.amount_fen ELSE 0 END), "
    "MIN(b.occurred_at), MAX(b.occurred_at), "
    "MIN(CASE WHEN b.code = '0010002' OR (b.code = '' AND b.description LIKE '%交易收入-订单收入%') "
    "THEN b.occurred_at END) "
    "FROM bill_entry b WHERE b.order_sn != '' GROUP BY b.order_sn",
)

#: Run when the file has statistics (``sqlite_stat1``).
ANALYZE: tuple[str, ...] = ('ANALYZE "bill_order"',)
