"""All models, in dependency order (the order tables are created in)."""

from pdd_desktop.data.models.ads import AdReportRow
from pdd_desktop.data.models.after_sale import AfterSale, AfterSaleEvent
from pdd_desktop.data.models.alerts import Alert
from pdd_desktop.data.models.analytics import (
    AggBuyer,
    AggBuyerDay,
    AggCohort,
    AggDay,
    AggGoodsDay,
    AggGoodsVisit,
    AggHour,
    AggLine,
    AggOrder,
    AggProvinceDay,
    AggShipGoodsDay,
    AggShipLine,
    AggSkuDay,
    AggSkuVisit,
    AggSpend,
)
from pdd_desktop.data.models.automation import AutomationAction, AutomationRule, OrderHold
from pdd_desktop.data.models.base import BaseModel
from pdd_desktop.data.models.cs import CsHour, CsMetricDay, QuickReply
from pdd_desktop.data.models.funds import BillEntry, BillPeriod
from pdd_desktop.data.models.funds_profit import ShippingRate
from pdd_desktop.data.models.funds_rollup import BillOrder, BillOrderDirtySku, BillOrderItems
from pdd_desktop.data.models.goods import Goods, Sku, StockMovement
from pdd_desktop.data.models.goods_cost import CostPriceHistory
from pdd_desktop.data.models.invoice import InvoiceRequest
from pdd_desktop.data.models.ledger import BillDay
from pdd_desktop.data.models.marketing import (
    ActivityRegistration,
    ActivityRegistrationSku,
    Coupon,
    LimitedDiscount,
    LimitedDiscountSku,
)
from pdd_desktop.data.models.message import Message
from pdd_desktop.data.models.order import Order, OrderItem
from pdd_desktop.data.models.shipment import (
    Courier,
    Package,
    PackageOrder,
    TrackingEvent,
    WaybillAccount,
    WaybillNumber,
    WaybillRequest,
    WaybillTemplate,
)
from pdd_desktop.data.models.shop import Address, Shop
from pdd_desktop.data.models.sync_state import (
    ImportBatch,
    ImportRowError,
    Outbox,
    PrintJob,
    PrintJobOrder,
    SyncConflict,
    SyncRun,
    SyncStream,
)
from pdd_desktop.data.models.system import AuditLog, Setting

ALL_MODELS: tuple[type[BaseModel], ...] = (
    Shop,
    Address,
    Goods,
    Sku,
    StockMovement,
    CostPriceHistory,
    Order,
    OrderItem,
    Courier,
    WaybillAccount,
    WaybillNumber,
    WaybillRequest,
    WaybillTemplate,
    Package,
    PackageOrder,
    TrackingEvent,
    AfterSale,
    AfterSaleEvent,
    Message,
    Setting,
    AuditLog,
    SyncStream,
    Outbox,
    SyncConflict,
    SyncRun,
    ImportBatch,
    ImportRowError,
    PrintJob,
    PrintJobOrder,
    InvoiceRequest,
    AggOrder,
    AggLine,
    AggDay,
    AggHour,
    AggProvinceDay,
    AggBuyerDay,
    AggGoodsDay,
    AggSkuDay,
    AggBuyer,
    AdReportRow,
    AutomationRule,
    AutomationAction,
    OrderHold,
    BillEntry,
    BillPeriod,
    BillOrder,
    BillOrderItems,
    BillOrderDirtySku,
    CsMetricDay,
    CsHour,
    QuickReply,
    Alert,
    Coupon,
    LimitedDiscount,
    LimitedDiscountSku,
    ActivityRegistration,
    ActivityRegistrationSku,
    ShippingRate,
    AggSpend,
    AggCohort,
    AggGoodsVisit,
    AggSkuVisit,
    AggShipLine,
    AggShipGoodsDay,
    BillDay,
)

__all__ = [m.__name__ for m in ALL_MODELS] + ["ALL_MODELS"]
