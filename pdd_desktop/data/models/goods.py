"""Goods (商品), their SKUs and the stock movement log."""

from __future__ import annotations

from peewee import (
    AutoField,
    BigIntegerField,
    BooleanField,
    CharField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from pdd_desktop.data.models.base import BaseModel, MoneyField, TimeField


class Goods(BaseModel):
    """One listing; the platform's ``goods_id`` is the key."""

    goods_id = BigIntegerField(primary_key=True)
    name = CharField()
    short_name = CharField(default="")  #: printed on labels and picking lists
    outer_goods_id = CharField(default="", index=True)  #: 商家编码-商品维度
    category = CharField(default="")
    image_url = TextField(default="")
    is_onsale = BooleanField(default=True)  #: 上架 / 下架
    promise_hours = IntegerField(default=48)  #: 承诺发货时间 after group formation
    market_price_fen = MoneyField()
    created_at = TimeField()
    platform_updated_at = TimeField()
    remote_hash = CharField(null=True)


class Sku(BaseModel):
    """One spec combination of a goods, with its own price and stock."""

    sku_id = BigIntegerField(primary_key=True)
    goods = ForeignKeyField(Goods, backref="skus", on_delete="CASCADE", column_name="goods_id")
    spec = CharField(default="")  #: "颜色:黑色,尺码:XL" as the platform joins them
    outer_id = CharField(default="", index=True)  #: 商家编码-规格维度 (seller code)
    single_price_fen = MoneyField()  #: 单买价
    group_price_fen = MoneyField()  #: 拼单价
    cost_price_fen = IntegerField(null=True)  #: the merchant's cost, for profit; NULL = unknown
    stock = IntegerField(default=0)
    reserve_quantity = IntegerField(default=0)  #: held by the platform for unpaid orders
    low_stock_threshold = IntegerField(default=5)
    weight_g = IntegerField(default=0)
    is_onsale = BooleanField(default=True)
    platform_updated_at = TimeField()

    class Meta:
        indexes = ((("stock", "low_stock_threshold"), False),)


class StockMovement(BaseModel):
    """Every change of a SKU's stock, with why; the stock column is the running total."""

    KIND_SALE = "sale"  #: shipped (stock leaves the shelf)
    KIND_RETURN = "return"  #: good units back from an after-sales return
    KIND_ADJUST = "adjust"  #: manual correction or stocktake
    KIND_IMPORT = "import"  #: from a goods/stock file
    KIND_SYNC = "sync"  #: the platform reported a different stock
    KIND_CANCEL = "cancel"  #: a shipment was cancelled before leaving
    #: damaged units of an after-sales return: delta 0 (they never reach the shelf), count in the note
    KIND_LOSS = "loss"
    #: a 换货/补寄 parcel of an after-sales case went out (the order's own sale was counted already)
    KIND_RESEND = "resend"

    id = AutoField()
    sku = ForeignKeyField(Sku, backref="movements", on_delete="CASCADE", column_name="sku_id")
    at = TimeField(null=False)
    delta = IntegerField()
    stock_after = IntegerField()
    kind = CharField(max_length=16)
    order_id = IntegerField(null=True, index=True)  #: local order id when the movement came from one
    after_sale_id = BigIntegerField(null=True)
    note = TextField(default="")

    class Meta:
        indexes = ((("sku", "at"), False),)
