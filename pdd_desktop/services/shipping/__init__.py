"""发货中心 use cases: single, batch, file, no-logistics and merged shipments; extra, modified, cancelled.

Also the platform's bulk-ship upload file.

Every change is one ``write_transaction()`` holding the order rows, the package(s), the stock
movements, one outbox row per order (sync.md: absolute payload, the values the user saw in
``base_json``) and one audit row per order. Batches commit in chunks of
:data:`~pdd_desktop.services.shipping.model.CHUNK` orders, so
an order is shipped wholly or not at all and a cancel keeps the chunks already done.

Writes use plain SQL through the bound connection (``executemany``): ten thousand orders ship in
about a second instead of the minute that per-row ORM saves would take.
"""

from pdd_desktop.services.shipping.batches import ship_batch_from_pool, ship_batch_with_numbers
from pdd_desktop.services.shipping.bulk_file import (
    apply_bulk_ship,
    check_bulk_ship_file,
    export_bulk_ship_file,
)
from pdd_desktop.services.shipping.model import (
    NO_NUMBERS_LEFT,
    BatchShipResult,
    BulkRowError,
    BulkShipCheck,
    BulkShipRow,
    CourierInfo,
    ExtraKind,
    MergeGroup,
    ShippedOrder,
    SkippedOrder,
    WaybillAccountInfo,
)
from pdd_desktop.services.shipping.packages import (
    SYNCED_MESSAGE,
    PackageInfo,
    add_extra_package,
    cancel_shipment,
    live_packages,
    modify_shipment,
)
from pdd_desktop.services.shipping.reading import list_couriers, list_waybill_accounts, ship_guard
from pdd_desktop.services.shipping.single import (
    merge_suggestions,
    ship_merged,
    ship_order,
    ship_without_logistics,
)

__all__ = [
    "NO_NUMBERS_LEFT",
    "SYNCED_MESSAGE",
    "BatchShipResult",
    "BulkRowError",
    "BulkShipCheck",
    "BulkShipRow",
    "CourierInfo",
    "ExtraKind",
    "MergeGroup",
    "PackageInfo",
    "ShippedOrder",
    "SkippedOrder",
    "WaybillAccountInfo",
    "add_extra_package",
    "apply_bulk_ship",
    "cancel_shipment",
    "check_bulk_ship_file",
    "export_bulk_ship_file",
    "list_couriers",
    "list_waybill_accounts",
    "live_packages",
    "merge_suggestions",
    "modify_shipment",
    "ship_batch_from_pool",
    "ship_batch_with_numbers",
    "ship_guard",
    "ship_merged",
    "ship_order",
    "ship_without_logistics",
]
