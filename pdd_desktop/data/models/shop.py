"""The shop itself and its sender / return addresses."""

from __future__ import annotations

from peewee import AutoField, BooleanField, CharField, IntegerField, TextField

from pdd_desktop.data.models.base import BaseModel, TimeField


class Shop(BaseModel):
    """The one shop this database belongs to (``pdd.mall.info.get``)."""

    id = AutoField()
    mall_id = IntegerField(null=True, unique=True)  #: platform mall id; NULL for a file-only shop
    name = CharField()
    description = TextField(default="")
    merchant_type = IntegerField(default=1)  #: 1 个人, 2 企业, 3 旗舰店, 4 专卖店, 5 专营店, 6 普通店
    logo_url = TextField(default="")
    is_demo = BooleanField(default=False)  #: built by ``pdd-desktop demo``; the UI says so
    created_at = TimeField(null=False)


class Address(BaseModel):
    """A sender (发件) or return (退货) address of the shop."""

    id = AutoField()
    remote_id = IntegerField(null=True)  #: refund_address_list id when it came from the platform
    contact_name = CharField()
    phone = CharField()
    province = CharField()
    city = CharField()
    district = CharField()
    detail = TextField()
    is_sender = BooleanField(default=True)
    is_return = BooleanField(default=False)
    is_default = BooleanField(default=False)
