"""客服 (customer service): reply-rate figures per day and agent, per hour, and the quick replies."""

from __future__ import annotations

from peewee import AutoField, CharField, CompositeKey, IntegerField, TextField

from pdd_desktop.data.models.base import BaseModel


class CsMetricDay(BaseModel):
    """One day of one agent ('' = the whole shop); rates as exact fractions (see ``schema_cs``)."""

    day = IntegerField()
    agent = CharField()
    consult_users = IntegerField(null=True)
    inquiry_users = IntegerField(null=True)
    order_users = IntegerField(null=True)
    need_human = IntegerField(null=True)
    received = IntegerField(null=True)
    unreplied_3m = IntegerField(null=True)
    r3_num = IntegerField(null=True)
    r3_den = IntegerField(null=True)
    r30_num = IntegerField(null=True)
    r30_den = IntegerField(null=True)
    r3_all_num = IntegerField(null=True)
    r3_all_den = IntegerField(null=True)
    r30_all_num = IntegerField(null=True)
    r30_all_den = IntegerField(null=True)
    avg_response_ms = IntegerField(null=True)
    sales_fen = IntegerField(null=True)
    low_rated_orders = IntegerField(null=True)
    dispute_refunds = IntegerField(null=True)
    source = CharField()
    imported_at = IntegerField()

    class Meta:
        primary_key = CompositeKey("day", "agent")
        without_rowid = True
        indexes = ((("agent", "day"), False),)


class CsHour(BaseModel):
    """The shop's consultations needing a human reply in one hour of one day, and those lost."""

    day = IntegerField()
    hour = IntegerField()
    need_human = IntegerField()
    unreplied_3m = IntegerField()
    unanswered_30s = IntegerField()
    source = CharField()

    class Meta:
        primary_key = CompositeKey("day", "hour")
        without_rowid = True


class QuickReply(BaseModel):
    """A quick reply: its group, optional shortcut (unique), title and text with ``{变量}``."""

    id = AutoField()
    group_name = CharField()
    shortcut = CharField(null=True, unique=True)
    title = CharField()
    body = TextField()
    position = IntegerField(default=0)
    created_at = IntegerField()
    updated_at = IntegerField()

    class Meta:
        indexes = ((("group_name", "position"), False),)
