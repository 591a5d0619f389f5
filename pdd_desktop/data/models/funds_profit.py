"""资金 profit: the shipping price table (``data/schema_funds_profit.py``)."""

from __future__ import annotations

from peewee import IntegerField

from pdd_desktop.data.models.base import BaseModel, MoneyField, TimeField


class ShippingRate(BaseModel):
    """One weight band of a courier's price (``courier_id`` 0: the default for any courier)."""

    id = IntegerField(primary_key=True)
    courier_id = IntegerField()
    up_to_g = IntegerField()  #: the band's upper limit in grams; 0 = no limit
    first_weight_g = IntegerField()
    first_fen = MoneyField(default=None)
    step_g = IntegerField()
    step_fen = MoneyField(default=None)
    updated_at = TimeField(null=False)

    class Meta:
        indexes = ((("courier_id", "up_to_g"), True),)
