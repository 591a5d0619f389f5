"""What the demo shop looks like: time units, batch sizes, rhythms, after-sales outcomes."""

from __future__ import annotations

from datetime import timedelta, timezone

from pdd_desktop.domain.after_sales import WAITING_ME_CODES, AfterSaleType
from pdd_desktop.domain.orders import RefundStatus

HOUR = 3600
DAY = 86400
_BJ = 8 * HOUR  # Beijing is UTC+8 all year (no DST since 1991)
_BEIJING = timezone(timedelta(hours=8))

#: Orders generated (and inserted) per batch.
CHUNK = 50_000
#: Tracking events are stored for packages shipped this recently; older parcels keep only their times.
EVENT_WINDOW_S = 60 * DAY
#: Sale stock movements are logged for shipments this recent (older ones are summed in a stocktake row).
MOVEMENT_WINDOW_S = 30 * DAY
#: Free numbers in each e-waybill account's pool.
WAYBILL_POOL = 2_000

#: Orders per Beijing hour of day (relative): quiet 2–7 am, peaks late morning and 20–23 h.
_HOUR_WEIGHTS = (
    2.2, 1.2, 0.6, 0.35, 0.3, 0.35, 0.7, 1.6, 3.0, 4.4, 5.8, 6.4,
    5.6, 4.6, 4.4, 4.6, 4.5, 4.3, 4.6, 5.6, 7.0, 7.6, 7.2, 4.6,
)  # fmt: skip
#: Orders per weekday (Monday first).
_WEEKDAY_WEIGHTS = (0.95, 0.93, 0.95, 0.97, 1.02, 1.10, 1.08)
#: Sales peaks (month, day, multipliers for the days before, the day itself and the day after).
_PEAKS = (
    (6, 18, (1.25, 1.6, 3.0, 1.4)),
    (11, 11, (1.3, 1.8, 3.6, 1.5)),
    (12, 12, (1.2, 1.5, 2.6, 1.3)),
)
#: Orders per buyer: (share of buyers, orders). About 32 % of buyers come back.
_BUYER_ORDER_COUNTS = ((0.68, 1), (0.17, 2), (0.07, 3), (0.04, 4), (0.02, 5), (0.01, 7), (0.01, 11))

#: Order-level refund_status for each after-sales status code.
_REFUND_STATUS_OF: dict[int, int] = {
    code: int(RefundStatus.IN_PROGRESS) for code in (2, 3, 6, 7, 8, 14, 15, 18, 21, 22, 27, 31, 32, 33)
}
_REFUND_STATUS_OF.update(
    {4: int(RefundStatus.REFUNDING), 5: int(RefundStatus.REFUNDING), 10: int(RefundStatus.REFUNDED)}
)
_REFUND_STATUS_OF.update({code: int(RefundStatus.NONE) for code in (9, 11, 12, 13, 16, 17, 24, 25)})
_TERMINAL = frozenset((9, 10, 11, 12, 13, 16, 17, 24, 25))
_WAITING_ME = frozenset(WAITING_ME_CODES)
#: Notes the seller or system writes on some steps of an after-sales case.
_STEP_NOTES = {
    "拒绝退款": "商品已正常发出且无质量问题，请核实后再申请",
    "同意退货": "请寄回时附上订单号，不要到付",
    "无法维修，关闭": "该故障不在保修范围内",
    "拒绝换货": "该款已断码，建议申请退货退款",
}

#: After-sales types with their cumulative shares of cases.
_CASE_TYPES = (
    AfterSaleType.REFUND_ONLY,
    AfterSaleType.RETURN_REFUND,
    AfterSaleType.EXCHANGE,
    AfterSaleType.RESEND,
    AfterSaleType.REPAIR,
)
_CASE_TYPE_CUM = (0.60, 0.88, 0.94, 0.98)
#: Where a case stands by now, by its age: ``((age limit or None, ((cumulative share, status), …)), …)``;
#: the first bracket the age is under applies. Young cases wait for someone, old ones are closed.
_OutcomeTable = tuple[tuple[int | None, tuple[tuple[float, int], ...]], ...]
_OUTCOMES_BEFORE_SHIPPING: _OutcomeTable = (  # 仅退款 asked before the parcel left
    (2 * DAY, ((0.6, 2), (0.85, 4), (1.0, 10))),
    (3 * DAY, ((0.3, 4), (1.0, 10))),
    (None, ((0.85, 10), (1.0, 11))),
)
_OUTCOMES: dict[AfterSaleType, _OutcomeTable] = {
    AfterSaleType.REFUND_ONLY: (
        (2 * DAY, ((0.55, 2), (0.7, 4), (0.9, 10), (1.0, 11))),
        (5 * DAY, ((0.2, 4), (0.7, 10), (0.8, 8), (0.9, 6), (1.0, 11))),
        (None, ((0.72, 10), (0.9, 11), (0.94, 9), (1.0, 13))),
    ),
    AfterSaleType.RETURN_REFUND: (
        (2 * DAY, ((0.6, 3), (1.0, 7))),
        (6 * DAY, ((0.4, 7), (1.0, 27))),
        (12 * DAY, ((0.3, 27), (0.5, 4), (1.0, 10))),
        (None, ((0.75, 10), (0.87, 11), (0.95, 12), (1.0, 9))),
    ),
    AfterSaleType.EXCHANGE: (
        (2 * DAY, ((0.7, 14), (1.0, 15))),
        (12 * DAY, ((0.4, 15), (1.0, 18))),
        (None, ((0.85, 16), (0.9, 17), (1.0, 11))),
    ),
    AfterSaleType.RESEND: (
        (2 * DAY, ((0.8, 32), (1.0, 18))),
        (8 * DAY, ((1.0, 18),)),
        (None, ((0.9, 16), (1.0, 11))),
    ),
    AfterSaleType.REPAIR: (
        (2 * DAY, ((0.7, 21), (1.0, 22))),
        (20 * DAY, ((1.0, 22),)),
        (None, ((0.8, 25), (1.0, 24))),
    ),
}

_SHOP_DESCRIPTION = "演示店铺：数据由拼多多商家桌面助手生成，仅供体验"

#: Company invoice titles of the demo: <city><word><kind>.
_COMPANY_WORDS = ("鑫源", "恒达", "博远", "启明", "华晟", "优品", "云帆", "嘉禾", "锦程", "盛世")
_COMPANY_KINDS = ("科技有限公司", "商贸有限公司", "电子商务有限公司", "文化传媒有限公司", "贸易有限公司")
#: Characters of the last ten places of a 统一社会信用代码 (no I, O, S, V, Z).
_TAX_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"

# Parcel anomalies the logistics overview must show.
_A_NONE, _A_NO_PICKUP, _A_STALLED, _A_EXCEPTION = 0, 1, 2, 3
