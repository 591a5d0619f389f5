"""In-site messages (站内信): platform notices and the app's own alerts."""

from __future__ import annotations

from peewee import AutoField, BooleanField, CharField, IntegerField, TextField

from pdd_desktop.data.models.base import BaseModel, TimeField


class Message(BaseModel):
    """One notice; ``category`` is a domain.messages.MessageCategory."""

    id = AutoField()
    remote_id = CharField(null=True, unique=True)
    category = IntegerField()
    title = CharField()
    body = TextField(default="")
    created_at = TimeField(null=False)
    read_at = TimeField()
    is_important = BooleanField(default=False)
    is_pinned = BooleanField(default=False)

    class Meta:
        indexes = ((("read_at", "category"), False), (("created_at",), False))
