"""工作台: the to-do counters and today / 7-day figures, as one frozen snapshot."""

from __future__ import annotations

from dataclasses import dataclass

from pdd_desktop.common import clock
from pdd_desktop.common.timefmt import local_day_start
from pdd_desktop.data.queries import home as q
from pdd_desktop.domain.after_sales import WAITING_ME_CODES
from pdd_desktop.services.logistics import TRACKED, TrackingState, tracking_state
from pdd_desktop.services.settings import ShopSettings, load_settings

HOUR = 3600
DAY = 86400
REFUND_SUCCESS = 10  #: after_sales_status 退款成功


@dataclass(frozen=True)
class PeriodFigures:
    """Figures of one period: paid orders, GMV, buyers, average order value, refunds."""

    orders: int
    gmv_fen: int
    buyers: int  #: distinct known buyers (orders without buyer identity are no buyer)
    refunds: int
    refund_fen: int
    #: Paid orders without buyer identity (file and API orders carry none): not in ``buyers``.
    unknown_buyer_orders: int = 0

    @property
    def avg_order_fen(self) -> int:
        """Average order value in fen, rounded half up; 0 without orders."""
        return (self.gmv_fen * 2 + self.orders) // (2 * self.orders) if self.orders else 0


@dataclass(frozen=True)
class HomeSnapshot:
    """Everything the home page shows, computed at ``now``."""

    now: int
    to_ship: int  #: 待发货
    near_deadline: int  #: 即将超时 (< near_deadline_hours to the deadline)
    overdue: int  #: 已超时
    after_sales_waiting: int  #: 待处理售后
    after_sales_near_deadline: int  #: 售后即将超时
    low_stock: int  #: 库存不足
    logistics_problems: int  #: 物流异常 (parcels with a fetched trace showing a problem)
    unread_messages: int  #: 未读消息
    pending_upload: int  #: 待上传
    today: PeriodFigures
    yesterday: PeriodFigures
    last_7_days: PeriodFigures
    fast_ship_enabled: bool
    late_exposure_fen: int  #: compensation at risk under 极速发货 (overdue + near) × rate
    last_sync: tuple[str, int | None, str] | None
    settings: ShopSettings
    #: Whether parcels are tracked at all (a file-route shop's are not: no 物流异常 then).
    logistics_tracking: TrackingState = TRACKED
    unqueried_parcels: int = 0  #: unsigned parcels whose trace was never fetched (未查询)


def _period(start: int, end: int) -> PeriodFigures:
    orders, gmv, buyers, unknown = q.paid_figures(start, end)
    refunds, refund_fen = q.refund_figures(start, end, REFUND_SUCCESS)
    return PeriodFigures(orders, gmv, buyers, refunds, refund_fen, unknown)


def home_snapshot(now: int | None = None) -> HomeSnapshot:
    """Compute the home page; runs a dozen indexed queries (read-only, any thread)."""
    now = clock.now() if now is None else now
    s = load_settings()
    near = q.count_deadline_between(now, now + s.near_deadline_hours * HOUR)
    overdue = q.count_deadline_between(None, now)
    today_start = local_day_start(now)
    return HomeSnapshot(
        now=now,
        to_ship=q.count_to_ship(),
        near_deadline=near,
        overdue=overdue,
        after_sales_waiting=q.count_after_sales(WAITING_ME_CODES),
        after_sales_near_deadline=q.count_after_sales(WAITING_ME_CODES, now + s.after_sale_warn_hours * HOUR),
        low_stock=q.count_low_stock(),
        logistics_problems=q.count_logistics_problems(now, s.no_pickup_hours * HOUR, s.stalled_hours * HOUR),
        unread_messages=q.count_unread_messages(),
        pending_upload=q.count_pending_upload(),
        today=_period(today_start, now + 1),
        yesterday=_period(local_day_start(now, 1), today_start),
        last_7_days=_period(local_day_start(now, 6), now + 1),
        fast_ship_enabled=s.fast_ship_enabled,
        late_exposure_fen=(near + overdue) * s.late_compensation_fen if s.fast_ship_enabled else 0,
        last_sync=q.last_sync_run(),
        settings=s,
        logistics_tracking=tracking_state(),
        unqueried_parcels=q.count_unqueried_parcels(),
    )


def order_count() -> int:
    """All orders in the shop (status bar)."""
    return q.count_orders()
