"""Ad reports (推广): the rows of the platform's 推广商品 export (schema step ``schema_ads``).

Written only by the ad-report import (``services/imports/ads.py``, raw SQL in the import's
transaction); the model exists so the schema check covers it and queries can name it.
"""

from __future__ import annotations

from peewee import BigIntegerField, CharField, IntegerField, TextField

from pdd_desktop.data.models.base import BaseModel, MoneyField, TimeField


class AdReportRow(BaseModel):
    """One 日期 × 推广场景 × 推广名称 × 商品 row of an imported ad report."""

    day = IntegerField()  #: Beijing day number (data/aggregates.py)
    scene = CharField()
    plan_name = CharField()
    goods_id = BigIntegerField()
    goods_name = TextField()
    bid = CharField()
    spend_fen = MoneyField(default=None)
    deal_spend_fen = MoneyField(default=None)
    gmv_fen = MoneyField(default=None)
    net_gmv_fen = IntegerField(null=True)
    orders = IntegerField()
    impressions = IntegerField(null=True)
    clicks = IntegerField(null=True)
    batch_id = IntegerField(null=True)
    imported_at = TimeField(null=False)

    class Meta:
        table_name = "ad_report_row"
        indexes = (
            (("day", "scene", "plan_name", "goods_id"), True),
            (("goods_id", "day"), False),
        )
