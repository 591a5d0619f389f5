"""The sync tables of sync.md: stream cursors, the outbox, conflicts, runs, imports and print jobs."""

from __future__ import annotations

from peewee import (
    AutoField,
    BooleanField,
    CharField,
    CompositeKey,
    FloatField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from pdd_desktop.data.models.base import BaseModel, TimeField


class SyncStream(BaseModel):
    """One pull cursor per stream, in platform time."""

    stream = CharField(primary_key=True)  #: orders / after_sales / goods / couriers / messages
    hwm_server_ts = IntegerField(null=True)  #: end of the last fully applied window (platform epoch s)
    overlap_s = IntegerField(default=900)
    settle_lag_s = IntegerField(default=180)
    max_window_s = IntegerField(default=1800)
    cur_window_start = IntegerField(null=True)
    cur_window_end = IntegerField(null=True)
    last_ok_at_server = IntegerField(null=True)
    last_error = TextField(default="")
    consecutive_failures = IntegerField(default=0)
    backoff_until_local = FloatField(null=True)  # not money: a local monotonic-ish timer
    needs_full_resync = BooleanField(default=False)
    last_sweep_server_ts = IntegerField(null=True)


class Outbox(BaseModel):
    """A local action the platform must learn about, written with the local change."""

    STATES = ("pending", "in_flight", "unknown", "succeeded", "failed_permanent", "conflict", "cancelled")

    id = AutoField()  #: local FIFO order
    op_id = CharField(unique=True)  #: uuid4
    op_type = CharField()  #: ship_order, modify_shipment, set_memo, set_stock, set_price, ...
    entity_type = CharField()
    entity_remote_id = CharField()
    payload_json = TextField()  #: absolute target values, never "+1"
    base_json = TextField(default="{}")  #: the remote values the user saw
    state = CharField(default="pending", max_length=16)
    attempts = IntegerField(default=0)
    next_attempt_at = FloatField(null=True)  # not money: a scheduling timestamp
    last_http_status = IntegerField(null=True)
    last_error = TextField(default="")
    created_at = TimeField(null=False)
    sent_at = TimeField()
    completed_at = TimeField()
    result_json = TextField(default="")

    class Meta:
        indexes = (
            (("state", "next_attempt_at"), False),
            (("entity_type", "entity_remote_id", "id"), False),
        )


class SyncConflict(BaseModel):
    """A field where local and remote disagree; the user decides."""

    id = AutoField()
    entity_type = CharField()
    entity_remote_id = CharField()
    field = CharField()
    base_value = TextField(null=True)
    local_value = TextField(null=True)
    remote_value = TextField(null=True)
    op_id = CharField(null=True)
    detected_at = TimeField(null=False)
    resolution = CharField(null=True)  #: keep_local / keep_remote / edited
    resolved_at = TimeField()

    class Meta:
        indexes = ((("resolved_at",), False),)


class SyncRun(BaseModel):
    """One pull, push or sweep run, for diagnostics and the "last synced" display."""

    id = AutoField()
    kind = CharField(max_length=8)  #: pull / push / sweep
    stream = CharField(default="")
    started_at = TimeField(null=False)
    finished_at = TimeField()
    pages = IntegerField(default=0)
    upserted = IntegerField(default=0)
    skipped_stale = IntegerField(default=0)
    errors = IntegerField(default=0)
    outcome = CharField(default="running", max_length=16)  #: running / ok / failed / cancelled
    detail = TextField(default="")

    class Meta:
        indexes = ((("started_at",), False),)


class ImportBatch(BaseModel):
    """One imported file; the sha256 makes a second import of the same file a no-op."""

    id = AutoField()
    kind = CharField(max_length=16)  #: orders / goods / bulk_ship / bills
    file_name = TextField()
    sha256 = CharField(index=True)
    rows_total = IntegerField(default=0)
    rows_new = IntegerField(default=0)
    rows_updated = IntegerField(default=0)
    rows_unchanged = IntegerField(default=0)
    rows_rejected = IntegerField(default=0)
    state = CharField(default="checked", max_length=12)  #: checked / applied / rejected / cancelled
    created_at = TimeField(null=False)
    applied_at = TimeField()


class ImportRowError(BaseModel):
    """A bad row of an import: row number, column, raw value and why."""

    id = AutoField()
    batch = ForeignKeyField(ImportBatch, backref="row_errors", column_name="batch_id", on_delete="CASCADE")
    row_no = IntegerField()
    column = CharField(default="")
    raw_value = TextField(default="")
    message = TextField()


class PrintJob(BaseModel):
    """One print (or save-as-PDF) of a batch of documents."""

    id = AutoField()
    doc_type = CharField(max_length=12)  #: label / picking / packing / invoice
    template = CharField(default="")
    printer = CharField(default="")  #: printer name, or "PDF:<path>"
    pages = IntegerField(default=0)
    order_count = IntegerField(default=0)
    created_at = TimeField(null=False)


class PrintJobOrder(BaseModel):
    """Which orders (and tracking numbers) a print job printed: the reprint guard reads this."""

    job = ForeignKeyField(PrintJob, backref="order_links", column_name="job_id", on_delete="CASCADE")
    order_id = IntegerField()
    tracking_number = CharField(default="")

    class Meta:
        primary_key = CompositeKey("job", "order_id")
        indexes = ((("order_id",), False),)
