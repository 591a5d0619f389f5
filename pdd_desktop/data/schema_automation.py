"""Schema step: automation rules (自动化). Frozen once released: never edit.

- ``automation_rule``: one row per rule kind the merchant has touched (switched on, tuned): its
  parameters as JSON, whether it is on, consecutive failures (two switch it off), the last run
  and, for the timed print batches, the scheduled moment of the last batch.
- ``automation_action``: the action log: every order or case a rule acted on (or was refused
  on), with the outcome and a Chinese detail line.
- ``order_hold``: local holds (暂停发货) that shipping and printing respect until released; the
  platform has no such state, so nothing of it is uploaded.

Only new tables: older files gain them empty.
"""

#: DDL, in order.
STATEMENTS: tuple[str, ...] = (
    'CREATE TABLE "automation_rule" ("id" INTEGER NOT NULL PRIMARY KEY, "kind" VARCHAR(32) NOT NULL, '
    '"enabled" INTEGER NOT NULL, "params_json" TEXT NOT NULL, "fail_count" INTEGER NOT NULL, '
    '"last_error" TEXT NOT NULL, "last_run_at" INTEGER, "last_batch_at" INTEGER, "enabled_at" INTEGER, '
    '"updated_at" INTEGER NOT NULL)',
    'CREATE UNIQUE INDEX "automation_rule_kind" ON "automation_rule" ("kind")',
    'CREATE TABLE "automation_action" ("id" INTEGER NOT NULL PRIMARY KEY, "rule_id" INTEGER NOT NULL, '
    '"at" INTEGER NOT NULL, "order_id" INTEGER, "entity_id" VARCHAR(255) NOT NULL, '
    '"action" VARCHAR(32) NOT NULL, "outcome" VARCHAR(16) NOT NULL, "detail" TEXT NOT NULL, '
    'FOREIGN KEY ("rule_id") REFERENCES "automation_rule" ("id") ON DELETE CASCADE)',
    'CREATE INDEX "automation_action_rule_id_at" ON "automation_action" ("rule_id", "at")',
    'CREATE INDEX "automation_action_at" ON "automation_action" ("at")',
    'CREATE INDEX "automation_action_order_id" ON "automation_action" ("order_id")',
    'CREATE TABLE "order_hold" ("id" INTEGER NOT NULL PRIMARY KEY, "order_id" INTEGER NOT NULL, '
    '"reason" TEXT NOT NULL, "rule_id" INTEGER, "created_at" INTEGER NOT NULL, "released_at" INTEGER, '
    '"released_by" VARCHAR(16) NOT NULL, '
    'FOREIGN KEY ("order_id") REFERENCES "order" ("id") ON DELETE CASCADE, '
    'FOREIGN KEY ("rule_id") REFERENCES "automation_rule" ("id") ON DELETE SET NULL)',
    'CREATE INDEX "order_hold_order_id_released_at" ON "order_hold" ("order_id", "released_at")',
)
