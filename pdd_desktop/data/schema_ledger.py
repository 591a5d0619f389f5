"""Schema step: 资金 ledger rollup — the bill lines summed per Beijing day and category. Frozen once released.

The 账单 tab's first view (balance, totals by category, by day, the line count) grouped every
line of the range at each look: 1.35 s for a year of a 1,000,000-line bill (``bench funds``:
``ledger_year_ms``), over the 500 ms target.

- ``bill_day``: per Beijing day number (``(occurred_at + 28800) / 86400``; China has no DST)
  and category, the line count, the income (sum of the positive amounts) and the expense (sum
  of the negative ones, negative). A year is a few thousand rows; the balance is the sum of
  the days before the range's end.
- Maintained set-based in the transaction of every bill apply (``data/ledger_rollup.py``: the
  lines the apply added, grouped per day and category, added to the rows), like ``bill_order``,
  and rebuildable from ``bill_entry`` alone; a test checks it equals the recomputation after
  random imports, and the ledger reads equal the same reads straight from the lines.
"""

#: DDL, in order.
STATEMENTS: tuple[str, ...] = (
    'CREATE TABLE "bill_day" ("day" INTEGER NOT NULL, "category" VARCHAR(255) NOT NULL, '
    '"lines" INTEGER NOT NULL, "income_fen" INTEGER NOT NULL, "expense_fen" INTEGER NOT NULL, '
    'PRIMARY KEY ("day", "category")) WITHOUT ROWID',
)

#: Run after :data:`STATEMENTS`: the rows of the lines already stored (one grouped pass).
BACKFILL: tuple[str, ...] = (
    'INSERT INTO "bill_day" SELECT (occurred_at + 28800) / 86400, category, COUNT(*), '
    "SUM(MAX(amount_fen, 0)), SUM(MIN(amount_fen, 0)) FROM bill_entry "
    "GROUP BY (occurred_at + 28800) / 86400, category",
)
