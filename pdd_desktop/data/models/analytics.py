"""Sales aggregates for the 数据 dashboards (schema v6; definitions in ``data/aggregates.py``).

Written only by :mod:`pdd_desktop.data.aggregates` (raw SQL); the models exist so the schema
check covers them and queries can name them.
"""

from __future__ import annotations

from peewee import BigIntegerField, BooleanField, CharField, CompositeKey, IntegerField

from pdd_desktop.data.models.base import BaseModel, MoneyField


class AggOrder(BaseModel):
    """What one paid order contributes to the sums (so a change can take it out again)."""

    order_id = IntegerField(primary_key=True)
    day = IntegerField(index=True)  #: Beijing day number of paid_at
    hour = IntegerField()
    buyer_key = CharField()
    province = CharField()
    pay_fen = MoneyField(default=None)
    units = IntegerField()
    refunded = BooleanField()

    class Meta:
        table_name = "agg_order"


class AggLine(BaseModel):
    """A paid order's (goods, SKU) line with its share of the order's 实付."""

    order_id = IntegerField()
    goods_id = BigIntegerField()
    sku_id = BigIntegerField()
    day = IntegerField()
    buyer_key = CharField()
    units = IntegerField()
    gmv_fen = MoneyField(default=None)
    refunded = BooleanField()

    class Meta:
        table_name = "agg_line"
        primary_key = CompositeKey("order_id", "goods_id", "sku_id")
        without_rowid = True
        indexes = ((("day", "goods_id", "buyer_key"), False), (("buyer_key", "day"), False))


class AggDay(BaseModel):
    """Paid orders per Beijing day."""

    day = IntegerField(primary_key=True)
    orders = IntegerField()
    units = IntegerField()
    gmv_fen = MoneyField(default=None)
    refunded_orders = IntegerField()

    class Meta:
        table_name = "agg_day"


class AggHour(BaseModel):
    """Paid orders per day and Beijing hour (the heat map)."""

    day = IntegerField()
    hour = IntegerField()
    orders = IntegerField()
    gmv_fen = MoneyField(default=None)

    class Meta:
        table_name = "agg_hour"
        primary_key = CompositeKey("day", "hour")
        without_rowid = True


class AggProvinceDay(BaseModel):
    """Paid orders per day and receiver province."""

    day = IntegerField()
    province = CharField()
    orders = IntegerField()
    gmv_fen = MoneyField(default=None)

    class Meta:
        table_name = "agg_province_day"
        primary_key = CompositeKey("day", "province")
        without_rowid = True


class AggBuyerDay(BaseModel):
    """Paid orders per day and buyer."""

    day = IntegerField()
    buyer_key = CharField()
    orders = IntegerField()
    gmv_fen = MoneyField(default=None)
    prev_day = IntegerField(default=-1)  #: the buyer's previous paid day; -1 none (schema step dash)
    next_day = IntegerField(default=99999999)  #: the buyer's next paid day; 99999999 none

    class Meta:
        table_name = "agg_buyer_day"
        primary_key = CompositeKey("day", "buyer_key")
        without_rowid = True
        indexes = ((("buyer_key", "day"), False), (("day", "prev_day", "next_day", "orders"), False))


class AggGoodsDay(BaseModel):
    """Paid orders per day and goods."""

    day = IntegerField()
    goods_id = BigIntegerField()
    orders = IntegerField()
    units = IntegerField()
    gmv_fen = MoneyField(default=None)
    refunded_orders = IntegerField()

    class Meta:
        table_name = "agg_goods_day"
        primary_key = CompositeKey("day", "goods_id")
        without_rowid = True
        indexes = ((("goods_id", "day"), False),)


class AggSkuDay(BaseModel):
    """Paid orders per day and SKU."""

    day = IntegerField()
    goods_id = BigIntegerField()
    sku_id = BigIntegerField()
    orders = IntegerField()
    units = IntegerField()
    gmv_fen = MoneyField(default=None)
    refunded_orders = IntegerField()

    class Meta:
        table_name = "agg_sku_day"
        primary_key = CompositeKey("day", "goods_id", "sku_id")
        without_rowid = True
        indexes = (
            (("sku_id", "day"), False),
            (("goods_id", "sku_id", "day", "orders", "units", "gmv_fen", "refunded_orders"), False),
        )


class AggBuyer(BaseModel):
    """Per buyer, all time: first and last paid day, orders, spend, active days."""

    buyer_key = CharField(primary_key=True)
    first_day = IntegerField(index=True)
    last_day = IntegerField()
    orders = IntegerField()
    gmv_fen = MoneyField(default=None)
    days = IntegerField()
    second_day = IntegerField(null=True)  #: day of the second paid order; None: one so far

    class Meta:
        table_name = "agg_buyer"
        without_rowid = True
        indexes = ((("first_day", "second_day"), False), (("last_day", "orders", "gmv_fen"), False))


class AggSpend(BaseModel):
    """Known buyers per exact all-time spend and frequent (two or more paid orders)."""

    gmv_fen = MoneyField(default=None)
    frequent = BooleanField()
    buyers = IntegerField()

    class Meta:
        table_name = "agg_spend"
        primary_key = CompositeKey("gmv_fen", "frequent")
        without_rowid = True


class AggCohort(BaseModel):
    """Known buyers per month of their first paid order and month they bought in ('YYYY-MM')."""

    cohort = CharField()
    month = CharField()
    buyers = IntegerField()

    class Meta:
        table_name = "agg_cohort"
        primary_key = CompositeKey("cohort", "month")
        without_rowid = True


class AggGoodsVisit(BaseModel):
    """Known buyers' paid days of a goods, counted by (day, the buyer's previous such day)."""

    day = IntegerField()
    goods_id = BigIntegerField()
    prev_day = IntegerField()
    buyers = IntegerField()

    class Meta:
        table_name = "agg_goods_visit"
        primary_key = CompositeKey("day", "goods_id", "prev_day")
        without_rowid = True


class AggSkuVisit(BaseModel):
    """Known buyers' paid days of an SKU, counted by (day, the buyer's previous such day)."""

    day = IntegerField()
    sku_id = BigIntegerField()
    prev_day = IntegerField()
    buyers = IntegerField()

    class Meta:
        table_name = "agg_sku_visit"
        primary_key = CompositeKey("day", "sku_id", "prev_day")
        without_rowid = True


class AggShipLine(BaseModel):
    """A shipped paid order with a ship deadline, per goods: late = shipped after the deadline."""

    order_id = IntegerField()
    goods_id = BigIntegerField()
    day = IntegerField()
    late = BooleanField()

    class Meta:
        table_name = "agg_ship_line"
        primary_key = CompositeKey("order_id", "goods_id")
        without_rowid = True


class AggShipGoodsDay(BaseModel):
    """Per paid day and goods: shipped orders with a deadline, and of them shipped late."""

    day = IntegerField()
    goods_id = BigIntegerField()
    shipped = IntegerField()
    late = IntegerField()

    class Meta:
        table_name = "agg_ship_goods_day"
        primary_key = CompositeKey("day", "goods_id")
        without_rowid = True
