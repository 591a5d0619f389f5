"""资金: bill lines and the periods the applied bills cover (``data/schema_funds.py``)."""

from __future__ import annotations

from peewee import CharField, ForeignKeyField, IntegerField, TextField

from pdd_desktop.data.models.base import BaseModel, MoneyField, TimeField
from pdd_desktop.data.models.sync_state import ImportBatch


class BillEntry(BaseModel):
    """One line of a bill; identified by (``content_key``, ``ordinal``), see the schema step."""

    id = IntegerField(primary_key=True)
    content_key = IntegerField()
    ordinal = IntegerField()
    batch = ForeignKeyField(ImportBatch, column_name="batch_id", index=True)
    occurred_at = TimeField(null=False)
    order_sn = CharField()  #: "" for a line without an order
    amount_fen = MoneyField(default=None)  #: signed: income positive, expense negative
    account_type = CharField()
    remark = TextField()
    description = CharField()  #: 业务描述 as written
    code = CharField(max_length=16)  #: its seven-digit code, "" when none
    category = CharField(max_length=16)  #: domain.funds category key

    class Meta:
        # Covering indexes for 对账 and 利润 (schema_funds_speed).
        indexes = (
            (("content_key", "ordinal"), True),
            (("order_sn", "code", "category", "amount_fen", "description"), False),
            (("occurred_at", "order_sn", "code", "category", "amount_fen", "description"), False),
        )


class BillPeriod(BaseModel):
    """The range an applied bill covers, with its control totals."""

    batch = ForeignKeyField(ImportBatch, column_name="batch_id", primary_key=True)
    start_at = TimeField(null=False)
    end_at = TimeField(null=False)
    source = CharField(max_length=8)  #: "file" / "api"
    income_rows = IntegerField()
    income_fen = MoneyField(default=None)
    expense_rows = IntegerField()
    expense_fen = MoneyField(default=None)

    class Meta:
        indexes = ((("start_at", "end_at"), False),)
