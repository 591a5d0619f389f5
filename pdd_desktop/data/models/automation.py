"""Automation rules (自动化): the merchant's rules, what they did, and local shipping holds."""

from __future__ import annotations

from peewee import AutoField, BooleanField, CharField, ForeignKeyField, IntegerField, TextField

from pdd_desktop.data.models.base import BaseModel, TimeField
from pdd_desktop.data.models.order import Order


class AutomationRule(BaseModel):
    """One rule per kind (``domain.automation.RuleKind``); a missing row is a rule never switched on."""

    id = AutoField()
    kind = CharField(max_length=32, unique=True)
    enabled = BooleanField(default=False)
    params_json = TextField(default="{}")
    fail_count = IntegerField(default=0)  #: consecutive failed runs; two switch the rule off
    last_error = TextField(default="")
    last_run_at = TimeField()
    last_batch_at = TimeField()  #: auto-print: the scheduled moment of the last batch
    enabled_at = TimeField()
    updated_at = TimeField(null=False)


class AutomationAction(BaseModel):
    """What a rule did (or was refused) to one order or case; the action log."""

    id = AutoField()
    rule = ForeignKeyField(AutomationRule, column_name="rule_id", on_delete="CASCADE", index=False)
    at = TimeField(null=False)
    order_id = IntegerField(null=True)
    entity_id = CharField(default="")  #: the order number, or the after-sales case id
    action = CharField(max_length=32)
    outcome = CharField(max_length=16)  #: done / refused / failed
    detail = TextField(default="")

    class Meta:
        indexes = ((("rule", "at"), False), (("at",), False), (("order_id",), False))


class OrderHold(BaseModel):
    """A local hold (暂停发货): shipping and printing refuse the order until it is released."""

    id = AutoField()
    order = ForeignKeyField(Order, column_name="order_id", on_delete="CASCADE", index=False)
    reason = TextField()
    rule = ForeignKeyField(
        AutomationRule, column_name="rule_id", null=True, on_delete="SET NULL", index=False
    )
    created_at = TimeField(null=False)
    released_at = TimeField()
    released_by = CharField(default="", max_length=16)

    class Meta:
        indexes = ((("order", "released_at"), False),)
