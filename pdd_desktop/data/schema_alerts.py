"""Schema step: the alerts centre's state table. Frozen once released: never edit.

``alert``: one row per cause key (a rule's finding or an alert raised by code), updated in place
on every evaluation: kind, severity (1–3), title, why, count, money at risk (fen), what the
button opens (``target`` + a JSON array of ids), first/last seen, and the merchant's and the
app's marks: ``resolved_at`` (the cause is gone; NULL while open), ``snoozed_until`` (hidden
until then), ``notified_at`` (the desktop notification for this opening was shown).
The open alerts are read through ``alert_resolved_at`` (``resolved_at IS NULL``).
"""

#: DDL, in order.
STATEMENTS: tuple[str, ...] = (
    'CREATE TABLE "alert" ("key" VARCHAR(255) NOT NULL PRIMARY KEY, "kind" VARCHAR(32) NOT NULL, '
    '"source" VARCHAR(8) NOT NULL, "severity" INTEGER NOT NULL, "title" VARCHAR(255) NOT NULL, '
    '"why" TEXT NOT NULL, "count" INTEGER NOT NULL, "amount_fen" INTEGER NOT NULL, '
    '"target" VARCHAR(16) NOT NULL, "target_ids" TEXT NOT NULL, "first_seen_at" INTEGER NOT NULL, '
    '"last_seen_at" INTEGER NOT NULL, "resolved_at" INTEGER, "snoozed_until" INTEGER, '
    '"notified_at" INTEGER)',
    'CREATE INDEX "alert_resolved_at" ON "alert" ("resolved_at")',
)
