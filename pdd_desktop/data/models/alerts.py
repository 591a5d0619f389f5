"""The alerts centre's state: one row per cause (``data/schema_alerts.py``)."""

from __future__ import annotations

from peewee import CharField, IntegerField, TextField

from pdd_desktop.data.models.base import BaseModel, MoneyField, TimeField


class Alert(BaseModel):
    """One alert; ``key`` names its cause (``ship_near``, ``stock_out``, ``app:<key>``…)."""

    key = CharField(primary_key=True)
    kind = CharField(max_length=32)
    source = CharField(max_length=8)  #: domain.alerts.SOURCE_RULE / SOURCE_CODE
    severity = IntegerField()  #: domain.alerts.Severity
    title = CharField()
    why = TextField()
    count = IntegerField()
    amount_fen = MoneyField()  #: money at risk (极速发货 compensation), 0 when none
    target = CharField(max_length=16)  #: domain.alerts.TARGETS
    target_ids = TextField()  #: JSON array of the ids the button opens
    first_seen_at = TimeField(null=False)
    last_seen_at = TimeField(null=False)
    resolved_at = TimeField()
    snoozed_until = TimeField()
    notified_at = TimeField()

    class Meta:
        indexes = ((("resolved_at",), False),)
