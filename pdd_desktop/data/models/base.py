"""Base model and field conventions.

Conventions for every table:
- money is ``IntegerField`` in fen (分), column names end in ``_fen``; no FloatField/DecimalField
  for money anywhere (a test scans the models for that);
- times are ``IntegerField`` UTC epoch seconds, column names end in ``_at``;
- platform ids keep the platform's value (goods_id, sku_id, after_sales_id, logistics id) as
  primary key where the platform owns the entity;
- ``platform_updated_at`` is the version used by sync's upsert-only-when-newer rule.
"""

from __future__ import annotations

from peewee import IntegerField, Model

from pdd_desktop.data.db import database


class BaseModel(Model):
    """All models share the deferred shop database."""

    class Meta:
        database = database
        legacy_table_names = False


def MoneyField(**kwargs) -> IntegerField:
    """Integer fen (分)."""
    kwargs.setdefault("default", 0)
    return IntegerField(**kwargs)


def TimeField(**kwargs) -> IntegerField:
    """UTC epoch seconds; NULL when the event has not happened."""
    kwargs.setdefault("null", True)
    return IntegerField(**kwargs)
