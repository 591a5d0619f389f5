"""After-sales cases (售后单) and their negotiation history."""

from __future__ import annotations

from peewee import AutoField, BigIntegerField, CharField, ForeignKeyField, IntegerField, TextField

from pdd_desktop.data.models.base import BaseModel, MoneyField, TimeField
from pdd_desktop.data.models.order import Order


class AfterSale(BaseModel):
    """One after-sales case; the platform's ``after_sales_id`` is the key."""

    id = BigIntegerField(primary_key=True)
    order = ForeignKeyField(Order, backref="after_sales", column_name="order_id", on_delete="CASCADE")
    type = IntegerField()  #: AfterSaleType
    status = IntegerField()  #: platform after_sales_status code (domain.after_sales.STATUS_TABLE)
    reason = CharField(default="")
    buyer_remark = TextField(default="")
    refund_amount_fen = MoneyField()
    goods_id = BigIntegerField(null=True)
    sku_id = BigIntegerField(null=True)
    quantity = IntegerField(default=1)
    return_tracking_number = CharField(default="")
    return_shipping_name = CharField(default="")
    created_at = TimeField(null=False)
    expire_at = TimeField()  #: the platform decides automatically after this (待商家处理 only)
    closed_at = TimeField()
    platform_updated_at = TimeField()
    remote_hash = CharField(null=True)
    #: the return address chosen when agreeing a return (同意退货), one line; '' = none
    return_address = TextField(default="")

    class Meta:
        indexes = (
            (("status", "expire_at"), False),  # 待处理售后, 售后即将超时
            (("status", "refund_amount_fen"), False),  # the 售后 tabs' counts and sums (covering)
            (("created_at",), False),
            (("status", "closed_at"), False),  # refunds today / 7 days: equality, then range
        )


class AfterSaleEvent(BaseModel):
    """A step in the negotiation: who did what, with which note."""

    id = AutoField()
    after_sale = ForeignKeyField(
        AfterSale, backref="events", column_name="after_sale_id", on_delete="CASCADE"
    )
    at = TimeField(null=False)
    actor = CharField(max_length=8)  #: buyer / seller / platform / system
    action = CharField()
    status_after = IntegerField(null=True)
    note = TextField(default="")
