"""Invoice requests (订单开票): one per order, requested → issued → uploaded. Schema v3."""

from __future__ import annotations

from peewee import AutoField, CharField, Check, ForeignKeyField, TextField

from pdd_desktop.data.models.base import BaseModel, MoneyField, TimeField
from pdd_desktop.data.models.order import Order


class InvoiceRequest(BaseModel):
    """The buyer's invoice request for one order and, once issued, the local invoice PDF."""

    STATUSES = ("requested", "issued", "uploaded")
    BUYER_TYPES = ("personal", "company")

    id = AutoField()
    order = ForeignKeyField(
        Order, unique=True, backref="invoice_requests", on_delete="CASCADE", column_name="order_id"
    )
    buyer_type = CharField(
        max_length=8, default="personal", constraints=[Check("buyer_type IN ('personal', 'company')")]
    )  #: personal (个人) / company (企业)
    title = CharField()  #: 抬头
    tax_no = CharField(default="", max_length=20)  #: 税号; required for company buyers
    email = CharField(default="")
    phone = CharField(default="")
    #: invoiced amount, ≤ the order's pay_amount_fen
    amount_fen = MoneyField(constraints=[Check("amount_fen > 0")])
    status = CharField(
        max_length=10,
        default="requested",
        constraints=[Check("status IN ('requested', 'issued', 'uploaded')")],
    )  #: requested / issued / uploaded
    invoice_no = CharField(null=True, unique=True)  #: local number, e.g. PDD202611230001
    pdf_path = TextField(default="")  #: the issued PDF ("" until issued, or when not kept)
    requested_at = TimeField(null=False)
    issued_at = TimeField()
    uploaded_at = TimeField()
    note = TextField(default="")

    class Meta:
        table_name = "invoice_request"
        indexes = ((("status", "requested_at"), False),)  # the list by status, oldest first
