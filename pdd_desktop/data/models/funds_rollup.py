"""资金 rollup: each order number's bill lines summed (``data/schema_funds_rollup.py``)."""

from __future__ import annotations

from peewee import CharField, IntegerField, TextField

from pdd_desktop.data.models.base import BaseModel, MoneyField, TimeField


class BillOrder(BaseModel):
    """The sums of the bill lines naming one order number (kept by ``data/bill_rollup.py``)."""

    order_sn = CharField(primary_key=True)
    lines = IntegerField()
    settlements = IntegerField()  #: order-income lines
    settled_fen = MoneyField(default=None)
    income_fen = MoneyField(default=None)
    refund_fen = MoneyField(default=None)
    fee_fen = MoneyField(default=None)
    compensation_fen = MoneyField(default=None)
    other_fen = MoneyField(default=None)
    first_at = TimeField(null=False)
    last_at = TimeField(null=False)
    first_settle_at = TimeField(null=True)  #: None: never settled
    # 利润 facts (``data/schema_profit_facts.py``), priced by ``data/queries/profit.py``.
    order_id = IntegerField(null=True)  #: None: a number the shop does not have
    item_count = IntegerField(default=0)
    cost_fen = IntegerField(null=True)  #: fen, the items' cost at payment; None: a cost missing or no items
    weight_g = IntegerField(default=0)
    courier_id = IntegerField(default=0)  #: the newest live parcel's courier; 0: none
    goods_id = IntegerField(null=True)  #: a one-item order's goods
    #: The Beijing day number it counts on (its lines all in a range); None: the facts are out of date.
    day = IntegerField(null=True)

    class Meta:
        table_name = "bill_order"
        without_rowid = True
        indexes = (
            (("last_at", "first_at", "first_settle_at", "income_fen", "refund_fen", "fee_fen",
              "compensation_fen", "other_fen", "day"), False),
            (("day", "goods_id", "first_at", "last_at", "first_settle_at", "income_fen", "refund_fen",
              "fee_fen", "compensation_fen", "other_fen", "order_id", "item_count", "cost_fen", "weight_g",
              "courier_id"), False),
        )  # fmt: skip


class BillOrderItems(BaseModel):
    """An order of several items: its items for 利润's split per goods (``data/schema_profit_facts.py``)."""

    order_sn = CharField(primary_key=True)
    items_json = TextField()  #: [[item id, goods id, quantity, amount fen, cost per unit or null], …]

    class Meta:
        table_name = "bill_order_items"
        without_rowid = True


class BillOrderDirtySku(BaseModel):
    """A SKU whose cost or weight changed: its orders' 利润 facts are marked at the next pricing."""

    sku_id = IntegerField(primary_key=True)

    class Meta:
        table_name = "bill_order_dirty_sku"
