"""Cost price history per SKU (the merchant's purchase cost over time, for profit)."""

from __future__ import annotations

from peewee import AutoField, BigIntegerField, CharField, IntegerField, TextField

from pdd_desktop.data.models.base import BaseModel, TimeField


class CostPriceHistory(BaseModel):
    """One change of a SKU's cost price (``services.cost_history`` reads it for profit).

    No foreign key to ``Sku``: the history of a deleted SKU still prices its old orders.
    """

    SOURCE_INITIAL = "initial"  #: the cost a SKU had when the history began (upgrade, new shop)
    SOURCE_EDIT = "edit"  #: the edit or bulk-edit dialog
    SOURCE_IMPORT = "import"  #: the goods sheet import
    SOURCE_INBOUND = "inbound"  #: an inbound receipt (moving average)

    id = AutoField()
    sku_id = BigIntegerField()
    changed_at = TimeField(null=False)
    cost_price_fen = IntegerField(null=True)  #: the cost from ``changed_at`` on; NULL = unknown
    source = CharField(max_length=16)
    note = TextField(default="")

    class Meta:
        table_name = "cost_price_history"
        indexes = ((("sku_id", "changed_at"), False),)
