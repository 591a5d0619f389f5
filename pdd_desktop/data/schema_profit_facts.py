"""Schema step: 利润 facts — each billed order's cost of goods and parcel, priced once. Frozen once released.

- ``bill_order`` (the per-order bill rollup) gets what 利润 needs of the order beyond its
  money, so the report reads one index range and looks nothing up per order:
  ``order_id`` (NULL: a number the shop does not have), ``item_count``, ``cost_fen`` (the items'
  cost at payment, NULL when an item has no cost price or there are no items), ``weight_g``
  (the items' weight), ``courier_id`` (the newest live parcel's courier, 0: none),
  ``goods_id`` (a one-item order's goods) and ``day``: the Beijing day number the order counts
  on when all its lines fall in a range (its first settlement, else its first line; a number
  the shop does not have: its first line). **``day`` NULL means the facts are out of date**:
  new rows start so, and marking a row sets it NULL.
- ``bill_order_items``: an order of several items, its items (id, goods, quantity, amount and
  cost at payment, as JSON) for the split per goods; kept apart so the rollup rows stay
  narrow (对账 reads them by order number).
- The shipping price is not stored: it is the price table applied to ``courier_id`` and
  ``weight_g`` at each read, so editing the table changes nothing stored.
- ``bill_order_profit_cover``, partial on the priced rows (day, goods, then the lines' times,
  money and facts), gives 利润 a range's orders grouped by day and goods without a sort; a
  bill import adds nothing to it (its rows are not priced yet): it grows when a range is first
  looked at. ``bill_order_last_at_cover`` (对账's, same name and leading columns) gets ``day``
  appended, so a range's rows out of date are found there without another index.
- Triggers mark rows out of date in the transaction of every write that changes a fact, so no
  writer has to remember it: an order added, removed, renumbered or paid; its items; its parcel
  links, a parcel's courier, void or ship time; and the orders of a SKU whose cost or weight
  changes, that is added or removed, or that gets a cost history row (it can be back-dated).
  A SKU-wide change is only noted (``bill_order_dirty_sku``, one row per SKU): a cost sheet
  that changes every SKU's cost would otherwise look up every billed order in the writing
  transaction (11 s on the 1M-order shop with one billed month); the next pricing marks
  those SKUs' orders in one set-based statement.
  A row is only marked when the shop has a bill line for the order: the write paths of orders
  without bills pay one primary-key probe. The bill import marks the rows whose lines it adds
  to (``data/bill_rollup.py``: their day can move).
- The pricing and the reads are in ``data/queries/profit.py``.
"""

_MARK = "UPDATE bill_order SET day = NULL WHERE day IS NOT NULL AND order_sn"


def _order(row: str) -> str:
    """Mark the bill row of the order ``row.order_id`` (``row``: NEW or OLD)."""
    return f'{_MARK} = (SELECT o.order_sn FROM "order" o WHERE o.id = {row}.order_id)'


def _sku(row: str) -> str:
    """Note SKU ``row.sku_id`` as changed: its orders' rows are marked when 利润 next prices."""
    return f"INSERT OR IGNORE INTO bill_order_dirty_sku (sku_id) VALUES ({row}.sku_id)"


#: SKU notes are kept only when the shop holds bills (new bill rows start out of date anyway).
_HAS_BILLS = "WHEN EXISTS (SELECT 1 FROM bill_order)"

#: ``bill_order_profit_cover``: 利润 reads a range's orders from this index alone, by day and
#: goods (its GROUP BY needs no sort), with what it sums and prices.
COVER = (
    "day", "goods_id", "first_at", "last_at", "first_settle_at", "income_fen", "refund_fen", "fee_fen",
    "compensation_fen", "other_fen", "order_id", "item_count", "cost_fen", "weight_g", "courier_id",
)  # fmt: skip

#: DDL, in order.
STATEMENTS: tuple[str, ...] = (
    'ALTER TABLE "bill_order" ADD COLUMN "order_id" INTEGER',
    'ALTER TABLE "bill_order" ADD COLUMN "item_count" INTEGER NOT NULL DEFAULT 0',
    'ALTER TABLE "bill_order" ADD COLUMN "cost_fen" INTEGER',
    'ALTER TABLE "bill_order" ADD COLUMN "weight_g" INTEGER NOT NULL DEFAULT 0',
    'ALTER TABLE "bill_order" ADD COLUMN "courier_id" INTEGER NOT NULL DEFAULT 0',
    'ALTER TABLE "bill_order" ADD COLUMN "goods_id" INTEGER',
    'ALTER TABLE "bill_order" ADD COLUMN "day" INTEGER',
    'CREATE INDEX "bill_order_profit_cover" ON "bill_order" (' + ", ".join(f'"{c}"' for c in COVER) + ") "
    'WHERE "day" IS NOT NULL',
    'DROP INDEX "bill_order_last_at_cover"',
    'CREATE INDEX "bill_order_last_at_cover" ON "bill_order" ("last_at", "first_at", "first_settle_at", '
    '"income_fen", "refund_fen", "fee_fen", "compensation_fen", "other_fen", "day")',
    'CREATE TABLE "bill_order_dirty_sku" ("sku_id" INTEGER NOT NULL PRIMARY KEY)',
    'CREATE TABLE "bill_order_items" ("order_sn" VARCHAR(255) NOT NULL PRIMARY KEY, '
    '"items_json" TEXT NOT NULL) WITHOUT ROWID',
    # One order.
    f'CREATE TRIGGER bill_order_facts_order_ins AFTER INSERT ON "order" BEGIN {_MARK} = NEW.order_sn; END',
    'CREATE TRIGGER bill_order_facts_order_upd AFTER UPDATE OF id, order_sn, paid_at ON "order" '
    "WHEN OLD.id IS NOT NEW.id OR OLD.order_sn IS NOT NEW.order_sn OR OLD.paid_at IS NOT NEW.paid_at "
    f"BEGIN {_MARK} = OLD.order_sn; {_MARK} = NEW.order_sn; END",
    f'CREATE TRIGGER bill_order_facts_order_del AFTER DELETE ON "order" BEGIN {_MARK} = OLD.order_sn; END',
    f"CREATE TRIGGER bill_order_facts_item_ins AFTER INSERT ON order_item BEGIN {_order('NEW')}; END",
    "CREATE TRIGGER bill_order_facts_item_upd AFTER UPDATE OF id, order_id, goods_id, sku_id, goods_name, "
    f"quantity, unit_price_fen ON order_item BEGIN {_order('OLD')}; {_order('NEW')}; END",
    f"CREATE TRIGGER bill_order_facts_item_del AFTER DELETE ON order_item BEGIN {_order('OLD')}; END",
    f"CREATE TRIGGER bill_order_facts_link_ins AFTER INSERT ON package_order BEGIN {_order('NEW')}; END",
    "CREATE TRIGGER bill_order_facts_link_upd AFTER UPDATE ON package_order "
    f"BEGIN {_order('OLD')}; {_order('NEW')}; END",
    f"CREATE TRIGGER bill_order_facts_link_del AFTER DELETE ON package_order BEGIN {_order('OLD')}; END",
    "CREATE TRIGGER bill_order_facts_package_upd AFTER UPDATE OF id, courier_id, voided_at, shipped_at "
    "ON package WHEN OLD.id IS NOT NEW.id OR OLD.courier_id IS NOT NEW.courier_id "
    "OR OLD.voided_at IS NOT NEW.voided_at OR OLD.shipped_at IS NOT NEW.shipped_at "
    f'BEGIN {_MARK} IN (SELECT o.order_sn FROM package_order pc JOIN "order" o ON o.id = pc.order_id '
    "WHERE pc.package_id IN (OLD.id, NEW.id)); END",
    "CREATE TRIGGER bill_order_facts_package_del BEFORE DELETE ON package "
    f'BEGIN {_MARK} IN (SELECT o.order_sn FROM package_order pc JOIN "order" o ON o.id = pc.order_id '
    "WHERE pc.package_id = OLD.id); END",
    # The orders of one SKU: noted, expanded into row marks set-based when 利润 next prices.
    f"CREATE TRIGGER bill_order_facts_sku_ins AFTER INSERT ON sku {_HAS_BILLS} BEGIN {_sku('NEW')}; END",
    f"CREATE TRIGGER bill_order_facts_sku_del AFTER DELETE ON sku {_HAS_BILLS} BEGIN {_sku('OLD')}; END",
    "CREATE TRIGGER bill_order_facts_sku_upd AFTER UPDATE OF sku_id, cost_price_fen, weight_g ON sku "
    "WHEN (OLD.sku_id IS NOT NEW.sku_id OR OLD.cost_price_fen IS NOT NEW.cost_price_fen "
    "OR OLD.weight_g IS NOT NEW.weight_g) AND EXISTS (SELECT 1 FROM bill_order) "
    f"BEGIN {_sku('OLD')}; {_sku('NEW')}; END",
    f"CREATE TRIGGER bill_order_facts_cost_ins AFTER INSERT ON cost_price_history {_HAS_BILLS} "
    f"BEGIN {_sku('NEW')}; END",
    f"CREATE TRIGGER bill_order_facts_cost_upd AFTER UPDATE ON cost_price_history {_HAS_BILLS} "
    f"BEGIN {_sku('OLD')}; {_sku('NEW')}; END",
    f"CREATE TRIGGER bill_order_facts_cost_del AFTER DELETE ON cost_price_history {_HAS_BILLS} "
    f"BEGIN {_sku('OLD')}; END",
)

#: Run when the file has statistics (``sqlite_stat1``).
ANALYZE: tuple[str, ...] = ('ANALYZE "bill_order"',)
