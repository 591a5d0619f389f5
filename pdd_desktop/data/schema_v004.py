"""Schema version 4: when each parcel's courier trace was last fetched. Frozen: never edit.

- ``package.trace_fetched_at``: platform time of the last ``pdd.logistics.ordertrace.get``
  answer applied to the parcel (NULL: never fetched, shown as 未查询; 物流异常 then counts
  nothing for it). The trace sync picks parcels by it (re-query interval) and never again
  after signing.
- ``(voided_at, signed_at, trace_fetched_at)`` serves the trace sync's pick: live, unsigned
  parcels never fetched or fetched longest ago.

Back-fill: a parcel that already has tracking events (a demo shop's generated history, a trace
kept by an earlier version) counts as fetched when its data was made: the demo's ``now`` for
a demo shop, else its last event. Parcels without events stay NULL (未查询).
"""

#: DDL, in order.
STATEMENTS: tuple[str, ...] = (
    'ALTER TABLE "package" ADD COLUMN "trace_fetched_at" INTEGER',
    'CREATE INDEX "package_voided_at_signed_at_trace_fetched_at" ON "package" '
    '("voided_at", "signed_at", "trace_fetched_at")',
)

#: Back-fill, after :data:`STATEMENTS`.
BACKFILL: tuple[str, ...] = (
    # A demo shop: every parcel's trace is the generator's, complete up to the demo's now.
    """UPDATE package SET trace_fetched_at = max(shipped_at, COALESCE(last_event_at, 0),
           (SELECT CAST(json_extract(value_json, '$.now') AS INTEGER) FROM setting WHERE key = 'demo_origin'))
       WHERE kind != 'none' AND EXISTS (SELECT 1 FROM setting WHERE key = 'demo_origin')""",
    # Elsewhere: parcels with events were traced up to their last event.
    """UPDATE package SET trace_fetched_at = last_event_at
       WHERE trace_fetched_at IS NULL AND kind != 'none' AND last_event_at IS NOT NULL""",
)
