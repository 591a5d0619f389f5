"""资金 ledger rollup: the bill lines summed per Beijing day and category (``data/schema_ledger.py``)."""

from __future__ import annotations

from peewee import CharField, CompositeKey, IntegerField

from pdd_desktop.data.models.base import BaseModel, MoneyField


class BillDay(BaseModel):
    """The sums of one category's bill lines on one Beijing day (kept by ``data/ledger_rollup.py``)."""

    day = IntegerField()  #: Beijing day number: ``(occurred_at + 28800) // 86400``
    category = CharField()
    lines = IntegerField()
    income_fen = MoneyField(default=None)  #: sum of the positive amounts
    expense_fen = MoneyField(default=None)  #: sum of the negative amounts (negative)

    class Meta:
        table_name = "bill_day"
        without_rowid = True
        primary_key = CompositeKey("day", "category")
