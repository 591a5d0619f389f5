"""Schema step: cost price history per SKU; the return address of a case. Frozen once released.

- ``cost_price_history``: one row per change of a SKU's cost price (``sku.cost_price_fen``),
  written in the same transaction as the change by every path that sets a cost (the edit and
  bulk-edit dialogs, the goods sheet import, inbound receipts at a moving average, the demo
  shop). ``cost_price_fen`` NULL means the merchant cleared the cost (unknown from then on);
  ``source`` says which path wrote it (``initial``, ``edit``, ``import``, ``inbound``). No
  foreign key to ``sku``: the history of a SKU the platform deleted still prices its old orders.
- ``after_sale.return_address``: the return address (one line: contact, phone, region, street)
  the merchant chose when agreeing a return (同意退货), shown in the case. '' = none chosen.
- ``after_sale_status_refund_amount_fen``: the 售后 page's counts and refund sums per status
  come from this index alone, not from every case's row.

Back-fill: every SKU with a known cost gets an ``initial`` row at the time of the upgrade with
its current cost (``services.cost_history`` treats the earliest row as valid before it, so
orders from before the upgrade are priced with that cost).
"""

#: DDL, in order.
STATEMENTS: tuple[str, ...] = (
    'CREATE TABLE "cost_price_history" ("id" INTEGER NOT NULL PRIMARY KEY, "sku_id" INTEGER NOT NULL, '
    '"changed_at" INTEGER NOT NULL, "cost_price_fen" INTEGER, "source" VARCHAR(16) NOT NULL, '
    "\"note\" TEXT NOT NULL DEFAULT '')",
    'CREATE INDEX "cost_price_history_sku_id_changed_at" ON "cost_price_history" ("sku_id", "changed_at")',
    'ALTER TABLE "after_sale" ADD COLUMN "return_address" TEXT NOT NULL DEFAULT \'\'',
    # 售后's tab counts and refund sums read only this index (100,000 cases: 124 → 12 ms).
    'CREATE INDEX "after_sale_status_refund_amount_fen" ON "after_sale" ("status", "refund_amount_fen")',
)

#: Run after :data:`STATEMENTS`; ``?`` is the upgrade time (UTC epoch seconds).
BACKFILL: tuple[str, ...] = (
    'INSERT INTO "cost_price_history" ("sku_id", "changed_at", "cost_price_fen", "source", "note") '
    "SELECT sku_id, ?, cost_price_fen, 'initial', '升级时的成本价' FROM sku "
    "WHERE cost_price_fen IS NOT NULL ORDER BY sku_id",
)

#: Run when the file has statistics (``sqlite_stat1``), after :data:`BACKFILL`.
ANALYZE: tuple[str, ...] = ('ANALYZE "after_sale_status_refund_amount_fen"', 'ANALYZE "cost_price_history"')
