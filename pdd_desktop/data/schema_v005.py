"""Schema version 5: platform e-waybill accounts, issued numbers, their requests and templates. Frozen: never edit.

- ``waybill_account`` gains what ``pdd.waybill.search`` answers (pdd-open-api.md §4.3): the
  courier's ``wp_code``, the branch's ``allocated_quantity`` / ``cancel_quantity`` /
  ``recycled_quantity`` (``quantity`` is already the balance), the branch's ship-from address as
  one line of text, a ``source`` (``platform``: synced, numbers issued by ``pdd.waybill.get``;
  ``local``: a pool filled on this computer, as before) and when sync last saw it.
- ``waybill_number`` gains the issue's details: ``source``, the request's ``object_id``, the
  parent code (子母件), the route codes (``sort_code`` 三段码, ``hub`` 集包地), the opaque
  ``print_data`` and the standard template it was issued for, when it was issued, and the
  platform cancel (``cancel_state``: '' none, ``pending`` queued in the outbox, ``done``,
  ``failed``; ``cancelled_at``).
- ``waybill_request``: one row per ``pdd.waybill.get`` request *before* it is sent (object id →
  order and account), so a number issued by the platform but never stored (kill -9 between
  the answer and the commit) is asked for again with the same object id and found, not issued
  a second time.
- ``waybill_template``: the couriers' standard templates (``pdd.cloudprint.stdtemplates.get``).

Existing rows are local pools: the defaults say so; nothing to back-fill.
"""

#: DDL, in order.
STATEMENTS: tuple[str, ...] = (
    'ALTER TABLE "waybill_account" ADD COLUMN "wp_code" VARCHAR(32) NOT NULL DEFAULT \'\'',
    'ALTER TABLE "waybill_account" ADD COLUMN "source" VARCHAR(8) NOT NULL DEFAULT \'local\'',
    'ALTER TABLE "waybill_account" ADD COLUMN "allocated_quantity" INTEGER NOT NULL DEFAULT 0',
    'ALTER TABLE "waybill_account" ADD COLUMN "cancel_quantity" INTEGER NOT NULL DEFAULT 0',
    'ALTER TABLE "waybill_account" ADD COLUMN "recycled_quantity" INTEGER NOT NULL DEFAULT 0',
    'ALTER TABLE "waybill_account" ADD COLUMN "ship_address" TEXT NOT NULL DEFAULT \'\'',
    'ALTER TABLE "waybill_account" ADD COLUMN "synced_at" INTEGER',
    'CREATE INDEX "waybill_account_source_wp_code_branch_code" ON "waybill_account" '
    '("source", "wp_code", "branch_code")',
    'ALTER TABLE "waybill_number" ADD COLUMN "source" VARCHAR(8) NOT NULL DEFAULT \'local\'',
    'ALTER TABLE "waybill_number" ADD COLUMN "object_id" VARCHAR(64)',
    'ALTER TABLE "waybill_number" ADD COLUMN "parent_code" VARCHAR(64) NOT NULL DEFAULT \'\'',
    'ALTER TABLE "waybill_number" ADD COLUMN "sort_code" VARCHAR(64) NOT NULL DEFAULT \'\'',
    'ALTER TABLE "waybill_number" ADD COLUMN "hub" VARCHAR(64) NOT NULL DEFAULT \'\'',
    'ALTER TABLE "waybill_number" ADD COLUMN "print_data" TEXT NOT NULL DEFAULT \'\'',
    'ALTER TABLE "waybill_number" ADD COLUMN "template_url" TEXT NOT NULL DEFAULT \'\'',
    'ALTER TABLE "waybill_number" ADD COLUMN "issued_at" INTEGER',
    'ALTER TABLE "waybill_number" ADD COLUMN "cancel_state" VARCHAR(10) NOT NULL DEFAULT \'\'',
    'ALTER TABLE "waybill_number" ADD COLUMN "cancelled_at" INTEGER',
    'CREATE INDEX "waybill_number_order_id" ON "waybill_number" ("order_id")',
    'CREATE TABLE "waybill_request" ("id" INTEGER NOT NULL PRIMARY KEY, "object_id" VARCHAR(64) NOT NULL, '
    '"account_id" INTEGER NOT NULL, "order_id" INTEGER NOT NULL, "state" VARCHAR(10) NOT NULL, '
    '"error" TEXT NOT NULL, "requested_at" INTEGER NOT NULL, "finished_at" INTEGER, '
    'FOREIGN KEY ("account_id") REFERENCES "waybill_account" ("id") ON DELETE CASCADE)',
    'CREATE UNIQUE INDEX "waybill_request_object_id" ON "waybill_request" ("object_id")',
    'CREATE INDEX "waybill_request_account_id" ON "waybill_request" ("account_id")',
    'CREATE INDEX "waybill_request_order_id_state" ON "waybill_request" ("order_id", "state")',
    'CREATE TABLE "waybill_template" ("id" INTEGER NOT NULL PRIMARY KEY, "wp_code" VARCHAR(32) NOT NULL, '
    '"template_id" INTEGER NOT NULL, "name" VARCHAR(255) NOT NULL, "url" TEXT NOT NULL, '
    '"waybill_type" INTEGER NOT NULL, "synced_at" INTEGER NOT NULL)',
    'CREATE UNIQUE INDEX "waybill_template_wp_code_url" ON "waybill_template" ("wp_code", "url")',
)
