"""资金 rollup: each order number's bill lines summed (``data/schema_funds_rollup.py``)."""

from __future__ import annotations

from peewee import CharField, IntegerField

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

    class Meta:
        table_name = "bill_order"
        without_rowid = True
        indexes = (
            (("last_at", "first_at", "first_settle_at", "income_fen", "refund_fen", "fee_fen",
              "compensation_fen", "other_fen"), False),
        )  # fmt: skip
