"""Shipping constants and the records its use cases return (couriers, accounts, results, file rows)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pdd_desktop.common.changes import Changes

#: Orders per write transaction in a batch.
CHUNK = 500
#: Host parameters per ``IN (...)`` list (SQLite allows 32766; small lists plan just as well).
_IN_SIZE = 900
PROGRESS_LABEL = "批量发货"
NO_NUMBERS_LEFT = "面单号不足"

#: What a shipment changes: orders, packages, stock and the outbox (待上传).
SHIP_CHANGES = Changes(orders=True, shipments=True, goods=True, sync=True)
#: Extra parcels and modified shipments leave stock alone.
PACKAGE_CHANGES = Changes(orders=True, shipments=True, sync=True)

#: Outbox states of an op the platform has not acknowledged (the export's rows).
UNACKNOWLEDGED_STATES = ("pending", "in_flight", "unknown", "failed_permanent")
_SHIP_OP_TYPES = ("ship_order", "modify_shipment", "extra_logistics")

ExtraKind = Literal["extra", "resend", "gift"]
KIND_NO_LOGISTICS = "none"  #: Package.KIND_NO_LOGISTICS


# --------------------------------------------------------------------------------------------
# Results
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CourierInfo:
    """A courier the user can pick."""

    id: int  #: the platform's logistics company id (logistics_id)
    name: str
    code: str
    pattern: str  #: tracking-number regex ("" = any)
    available: bool


@dataclass(frozen=True)
class WaybillAccountInfo:
    """An e-waybill account (电子面单) with its remaining free numbers."""

    id: int
    courier_id: int
    courier_name: str
    courier_code: str
    branch_code: str
    branch_name: str
    is_default: bool
    free_numbers: int


@dataclass(frozen=True)
class ShippedOrder:
    """One order that shipped in a batch."""

    order_id: int
    order_sn: str
    courier_id: int | None
    tracking_number: str
    package_id: int


@dataclass(frozen=True)
class SkippedOrder:
    """One order (or input row) that did not ship, and why."""

    order_id: int | None
    order_sn: str
    reason: str
    row_no: int | None = None  #: input row (1-based) for typed batches and files


@dataclass(frozen=True)
class BatchShipResult:
    """Outcome of a batch: shipped, skipped with reasons, not reached after a cancel."""

    shipped: tuple[ShippedOrder, ...]
    skipped: tuple[SkippedOrder, ...]
    not_reached: tuple[int, ...]
    cancelled: bool
    changes: Changes

    @property
    def shipped_count(self) -> int:
        """Orders shipped."""
        return len(self.shipped)

    @property
    def skipped_count(self) -> int:
        """Orders or rows not shipped, with a reason."""
        return len(self.skipped)

    @property
    def not_reached_count(self) -> int:
        """Orders the batch never got to because it was cancelled."""
        return len(self.not_reached)


@dataclass(frozen=True)
class MergeGroup:
    """Orders of one buyer to one receiver that may ship as one parcel (合并发货)."""

    order_ids: tuple[int, ...]
    order_sns: tuple[str, ...]
    buyer_nickname: str
    receiver_name_mask: str
    address_mask: str
    earliest_deadline_at: int | None


@dataclass(frozen=True)
class BulkShipRow:
    """A good row of a bulk-ship file."""

    row_no: int  #: as Excel shows it (header = 1)
    order_id: int
    order_sn: str
    courier_id: int
    courier_name: str
    tracking_number: str


@dataclass(frozen=True)
class BulkRowError:
    """One problem in one cell of a bulk-ship file."""

    row_no: int
    column: str
    raw_value: str
    message: str


@dataclass(frozen=True)
class BulkShipCheck:
    """The checked content of a bulk-ship file: rows that may ship and every error."""

    file_name: str
    sha256: str
    rows_total: int  #: non-empty data rows
    good: tuple[BulkShipRow, ...]
    errors: tuple[BulkRowError, ...]
    #: Rows with an error over the whole file (``errors`` keeps the first 1,000 and a
    #: "还有 N 处错误未列出" line); -1: count them in ``errors``.
    bad_row_count: int = -1

    @property
    def bad_rows(self) -> int:
        """Rows with at least one error."""
        if self.bad_row_count >= 0:
            return self.bad_row_count
        return len({e.row_no for e in self.errors})
