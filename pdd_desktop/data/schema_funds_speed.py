"""Schema step: 资金 speed — covering indexes for reconciliation and profit. Frozen once released.

Measured on the 1,000,000-order demo shop with a month's bill (244,318 lines, 118,263 orders
signed in the month):

- ``order_signed_at_receive_sn_pay``: 对账 finds the orders signed in a range from this index
  alone (it holds every column the reconciliation reads of an order) instead of walking the
  ``paid_at`` index over four months and reading each order's row (2.3 s → 0.8 s for the
  statement).
- ``bill_entry_order_sn_cover`` replaces ``bill_entry_order_sn_category``: an order's lines are
  summed per category and settlement from the index alone (``order_sn`` stays its prefix).
- ``bill_entry_occurred_at_cover`` replaces ``bill_entry_occurred_at``: 利润 and the ledger group
  a range's lines per order from the index alone (``occurred_at`` stays its prefix).

A big bill import drops and rebuilds the two bill_entry indexes once (``services.bill_import``).
"""

#: DDL, in order.
STATEMENTS: tuple[str, ...] = (
    'CREATE INDEX "order_signed_at_receive_sn_pay" ON "order" '
    '("signed_at", "merchant_receive_fen", "order_sn", "pay_amount_fen")',
    'DROP INDEX "bill_entry_order_sn_category"',
    'CREATE INDEX "bill_entry_order_sn_cover" ON "bill_entry" '
    '("order_sn", "code", "category", "amount_fen", "description")',
    'DROP INDEX "bill_entry_occurred_at"',
    'CREATE INDEX "bill_entry_occurred_at_cover" ON "bill_entry" '
    '("occurred_at", "order_sn", "code", "category", "amount_fen", "description")',
)

#: Run when the file has statistics (``sqlite_stat1``), after :data:`STATEMENTS`.
ANALYZE: tuple[str, ...] = ('ANALYZE "order_signed_at_receive_sn_pay"', 'ANALYZE "bill_entry"')
