"""Couriers, e-waybill accounts with their number pools, packages and tracking events.

A package may carry several orders (合并发货) and an order may have several packages (拆单,
补发), hence the ``package_order`` link table. A package that was replaced by a modified
shipment stays, with ``voided_at`` set: tracking numbers are never lost.
"""

from __future__ import annotations

from peewee import AutoField, BooleanField, CharField, CompositeKey, ForeignKeyField, IntegerField, TextField

from pdd_desktop.data.models.base import BaseModel, TimeField
from pdd_desktop.data.models.order import Order
from pdd_desktop.data.models.shop import Address


class Courier(BaseModel):
    """A logistics company as the platform lists it (``pdd.logistics.companies.get``)."""

    id = IntegerField(primary_key=True)  #: the platform's logistics company id (e.g. 115 中通快递)
    name = CharField()  #: logistics_company
    code = CharField()  #: e.g. ZTO
    available = BooleanField(default=True)
    tracking_pattern = CharField(default="")  #: regex a tracking number must match ("" = any)
    sort_order = IntegerField(default=100)


#: Numbers issued by the platform (pdd.waybill.get) against a synced branch account.
SOURCE_PLATFORM = "platform"
#: Numbers from a pool filled on this computer (the demo generator, the merchant's own accounts).
SOURCE_LOCAL = "local"


class WaybillAccount(BaseModel):
    """An e-waybill subscription at one courier branch (网点): a platform account or a local pool."""

    id = AutoField()
    courier = ForeignKeyField(Courier, backref="accounts", column_name="courier_id")
    branch_code = CharField(default="")
    branch_name = CharField(default="")
    sender_address = ForeignKeyField(
        Address, null=True, column_name="sender_address_id", on_delete="SET NULL"
    )
    quantity = IntegerField(default=0)  #: remaining balance the platform reports
    is_default = BooleanField(default=False)  #: the default account of its courier
    created_at = TimeField(null=False)
    # Schema v5: what pdd.waybill.search answers (pdd-open-api.md §4.3).
    wp_code = CharField(default="", max_length=32)  #: the courier's code, e.g. ZTO
    source = CharField(default=SOURCE_LOCAL, max_length=8)
    allocated_quantity = IntegerField(default=0)
    cancel_quantity = IntegerField(default=0)
    recycled_quantity = IntegerField(default=0)
    ship_address = TextField(default="")  #: the branch's ship-from address, one line
    synced_at = TimeField()  #: when sync last saw it (platform accounts)

    class Meta:
        indexes = ((("source", "wp_code", "branch_code"), False),)


class WaybillNumber(BaseModel):
    """One number in an account's pool; allocated once and never reused, even after a cancel."""

    STATE_FREE = "free"
    STATE_ALLOCATED = "allocated"
    STATE_USED = "used"
    STATE_CANCELLED = "cancelled"

    id = AutoField()
    account = ForeignKeyField(
        WaybillAccount, backref="numbers", column_name="account_id", on_delete="CASCADE"
    )
    tracking_number = CharField(unique=True)
    state = CharField(default=STATE_FREE, max_length=10)
    allocated_at = TimeField()
    order_id = IntegerField(null=True, index=True)  #: the order it was allocated for
    # Schema v5: platform-issued numbers (pdd.waybill.get answers, pdd-open-api.md §4.3).
    source = CharField(default=SOURCE_LOCAL, max_length=8)
    object_id = CharField(null=True, max_length=64)  #: the request's object_id
    parent_code = CharField(default="", max_length=64)  #: parent_waybill_code (子母件)
    sort_code = CharField(default="", max_length=64)  #: 三段码
    hub = CharField(default="", max_length=64)  #: 集包地
    print_data = TextField(default="")  #: opaque, for the print component
    template_url = TextField(default="")
    issued_at = TimeField()
    cancel_state = CharField(default="", max_length=10)  #: '' / pending / done / failed
    cancelled_at = TimeField()

    class Meta:
        indexes = ((("account", "state"), False),)


class WaybillRequest(BaseModel):
    """A pdd.waybill.get request, written before it is sent (object id → order and account).

    ``pending`` until the answer is stored; a pending request is sent again with the same
    object id, which the platform answers with the number it already issued [I: the sandbox's
    pdd.waybill.get is idempotent per object_id, and the app assumes the platform's is too].
    """

    STATE_PENDING = "pending"
    STATE_DONE = "done"
    STATE_FAILED = "failed"

    id = AutoField()
    object_id = CharField(unique=True, max_length=64)
    account = ForeignKeyField(WaybillAccount, column_name="account_id", on_delete="CASCADE")
    order_id = IntegerField()
    state = CharField(default=STATE_PENDING, max_length=10)
    error = TextField(default="")
    requested_at = TimeField(null=False)
    finished_at = TimeField()

    class Meta:
        indexes = ((("order_id", "state"), False),)


class WaybillTemplate(BaseModel):
    """A courier's standard label template (pdd.cloudprint.stdtemplates.get)."""

    id = AutoField()
    wp_code = CharField(max_length=32)
    template_id = IntegerField()
    name = CharField()
    url = TextField()
    waybill_type = IntegerField()
    synced_at = TimeField(null=False)

    class Meta:
        indexes = ((("wp_code", "url"), True),)


class Package(BaseModel):
    """A parcel (包裹) with one tracking number, or a no-logistics shipment."""

    KIND_NORMAL = "normal"  #: the first shipment
    KIND_EXTRA = "extra"  #: 分包: an additional parcel of the same order
    KIND_RESEND = "resend"  #: 补发
    KIND_GIFT = "gift"  #: 赠品
    KIND_NO_LOGISTICS = "none"  #: 无物流发货

    id = AutoField()
    courier = ForeignKeyField(Courier, null=True, column_name="courier_id")
    tracking_number = CharField(default="", index=True)
    kind = CharField(default=KIND_NORMAL, max_length=8)
    shipped_at = TimeField(null=False)
    first_scan_at = TimeField()  #: first courier scan (揽收); none 24 h after shipping = risk
    last_event_at = TimeField()
    signed_at = TimeField()
    is_exception = BooleanField(default=False)  #: 物流异常 reported by the courier
    voided_at = TimeField()  #: replaced by a modified shipment or cancelled; kept for history
    void_reason = TextField(default="")
    sort_code = CharField(default="")  #: 三段码 when the waybill API gives it
    hub = CharField(default="")  #: 集包地
    #: Platform time the courier trace was last fetched (``pdd.logistics.ordertrace.get``);
    #: None: never (未查询), so 物流异常 does not judge the parcel.
    trace_fetched_at = TimeField()

    class Meta:
        indexes = (
            (("voided_at", "signed_at", "shipped_at"), False),
            (("voided_at", "signed_at", "trace_fetched_at"), False),
        )


class PackageOrder(BaseModel):
    """Which orders travel in which package."""

    package = ForeignKeyField(Package, backref="order_links", column_name="package_id", on_delete="CASCADE")
    order = ForeignKeyField(Order, backref="package_links", column_name="order_id", on_delete="CASCADE")

    class Meta:
        primary_key = CompositeKey("package", "order")  # the FK on order adds the reverse index


class TrackingEvent(BaseModel):
    """One courier scan of a package."""

    KIND_PICKUP = "pickup"  #: 揽收
    KIND_TRANSIT = "transit"  #: 运输中
    KIND_DELIVERING = "delivering"  #: 派件中
    KIND_SIGNED = "signed"  #: 已签收
    KIND_EXCEPTION = "exception"  #: 异常 (拒收, 滞留, 退回)

    id = AutoField()
    package = ForeignKeyField(Package, backref="events", column_name="package_id", on_delete="CASCADE")
    at = TimeField(null=False)
    kind = CharField(max_length=12)
    location = CharField(default="")
    description = TextField(default="")

    class Meta:
        indexes = ((("package", "at"), False),)
