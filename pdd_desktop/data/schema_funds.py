"""Schema step: 资金 — the shop's bill lines (货款账单) and the periods the bills cover. Frozen once released.

- ``bill_entry``: one line of a bill file or of a day's bill from the open platform, signed
  ``amount_fen`` (income positive, expenses negative), the 业务描述 as written plus its code and
  the category it was classified into at import (``domain/funds.py``; unknown codes are
  ``unclassified``, never dropped). ``batch_id`` is the import (``import_batch``) that first
  brought the line.
- **What identifies a line.** Bills have no line id, and identical-looking lines are real (the
  same order charged twice the same way, merchant-data.md §1.2). A line is identified by
  ``content_key`` (a 64-bit hash of its time, 商户订单号, 收入, 支出, 账务类型, 备注, 业务描述) and
  ``ordinal`` (1 for the first line of a file with that content, 2 for the second …), unique
  together. Identical lines share their 发生时间 to the second, and every bill covers whole
  days, so any file that holds one of them holds all of them in the same count: the same day
  in a one-day file, a month's file or an overlapping period's file yields the same
  (key, ordinal) pairs, and ``INSERT OR IGNORE`` counts each line once. A 64-bit collision
  between two different lines (≈ 3·10⁻⁸ for a million lines) would drop one of them.
- ``bill_period``: the time range each applied file says it covers (its preamble; the day for
  the platform's daily bill) and its control totals, so reconciliation knows which days'
  settlements are known.
"""

#: DDL, in order.
STATEMENTS: tuple[str, ...] = (
    'CREATE TABLE "bill_entry" ("id" INTEGER NOT NULL PRIMARY KEY, "content_key" INTEGER NOT NULL, '
    '"ordinal" INTEGER NOT NULL, "batch_id" INTEGER NOT NULL, "occurred_at" INTEGER NOT NULL, '
    '"order_sn" VARCHAR(255) NOT NULL, "amount_fen" INTEGER NOT NULL, "account_type" VARCHAR(255) NOT NULL, '
    '"remark" TEXT NOT NULL, "description" VARCHAR(255) NOT NULL, "code" VARCHAR(16) NOT NULL, '
    '"category" VARCHAR(16) NOT NULL, '
    'FOREIGN KEY ("batch_id") REFERENCES "import_batch" ("id"))',
    'CREATE UNIQUE INDEX "bill_entry_content_key_ordinal" ON "bill_entry" ("content_key", "ordinal")',
    'CREATE INDEX "bill_entry_occurred_at" ON "bill_entry" ("occurred_at")',
    'CREATE INDEX "bill_entry_order_sn_category" ON "bill_entry" ("order_sn", "category")',
    'CREATE INDEX "bill_entry_batch_id" ON "bill_entry" ("batch_id")',
    'CREATE TABLE "bill_period" ("batch_id" INTEGER NOT NULL PRIMARY KEY, "start_at" INTEGER NOT NULL, '
    '"end_at" INTEGER NOT NULL, "source" VARCHAR(8) NOT NULL, "income_rows" INTEGER NOT NULL, '
    '"income_fen" INTEGER NOT NULL, "expense_rows" INTEGER NOT NULL, "expense_fen" INTEGER NOT NULL, '
    'FOREIGN KEY ("batch_id") REFERENCES "import_batch" ("id"))',
    'CREATE INDEX "bill_period_start_at_end_at" ON "bill_period" ("start_at", "end_at")',
)
