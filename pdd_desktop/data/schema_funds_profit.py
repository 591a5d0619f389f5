"""Schema step: 资金 profit — the merchant's shipping price table. Frozen once released.

- ``shipping_rate``: what the merchant pays a courier per parcel, by weight band: the band
  reaches up to ``up_to_g`` grams (0: no upper limit), costs ``first_fen`` for the first
  ``first_weight_g`` grams and ``step_fen`` for every further ``step_g`` grams begun.
  ``courier_id`` 0 is the default row, used for a courier without rows of its own (and for an
  order whose courier is unknown). The table starts empty: a price the merchant never entered
  is not invented; profit then says 未填运费.
"""

#: DDL, in order.
STATEMENTS: tuple[str, ...] = (
    'CREATE TABLE "shipping_rate" ("id" INTEGER NOT NULL PRIMARY KEY, "courier_id" INTEGER NOT NULL, '
    '"up_to_g" INTEGER NOT NULL, "first_weight_g" INTEGER NOT NULL, "first_fen" INTEGER NOT NULL, '
    '"step_g" INTEGER NOT NULL, "step_fen" INTEGER NOT NULL, "updated_at" INTEGER NOT NULL)',
    'CREATE UNIQUE INDEX "shipping_rate_courier_id_up_to_g" ON "shipping_rate" ("courier_id", "up_to_g")',
)
