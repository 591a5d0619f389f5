"""Settings and the audit log."""

from __future__ import annotations

from peewee import AutoField, CharField, IntegerField, TextField

from pdd_desktop.data.models.base import BaseModel, TimeField


class Setting(BaseModel):
    """A shop setting as JSON text; defaults live in services.settings, not here."""

    key = CharField(primary_key=True)
    value_json = TextField()
    updated_at = TimeField()


class AuditLog(BaseModel):
    """Who did what to which entity; written in the same transaction as the change."""

    id = AutoField()
    at = TimeField(null=False)
    actor = CharField(default="user", max_length=16)  #: user / sync / import / system
    action = CharField()  #: e.g. ship, modify_shipment, reveal_receiver, set_memo
    entity_type = CharField(max_length=16)
    entity_id = CharField()
    detail_json = TextField(default="{}")
    order_id = IntegerField(null=True)

    class Meta:
        indexes = ((("entity_type", "entity_id"), False), (("order_id",), False), (("at",), False))
