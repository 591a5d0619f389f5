"""物流概况: ship times, late shipping and parcel risks per courier and per day, as frozen rows.

Definitions (the SQL and its plan are in :mod:`pdd_desktop.data.queries.logistics`):

- 平均发货时长: group formed → the order's first live package, averaged over orders whose
  first shipment lies in the period (each order once; 无物流发货 included).
- 延迟发货率: share of those orders whose first shipment came after ``ship_deadline_at``.
- 揽收超时: live, unsigned parcels with no pickup scan ``no_pickup_hours`` (setting, default
  24) after shipping — the platform treats them as possible fake shipments.
- 物流停滞: live, unsigned parcels whose latest tracking event (or shipping, without events)
  is ``stalled_hours`` (setting, default 48) old. A parcel never scanned for that long is
  both 揽收超时 and 物流停滞.
- 快递异常: live, unsigned parcels whose trace carries a courier-reported problem (拒收,
  退回, 问题件, 留仓).

All three count only parcels whose courier trace was fetched, as the trace showed them at
``min(trace_fetched_at, now)``; an unsigned parcel never fetched is 未查询 (``unqueried``).
A shop not connected to the platform (the file route) gets no traces at all:
:func:`tracking_state` says so and the UI shows no tracking alarms there.

Both thresholds are inclusive: a parcel shipped exactly 24 h before ``now`` without a scan
counts.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from pdd_desktop.common import clock
from pdd_desktop.data.queries import logistics as q
from pdd_desktop.services.settings import load_settings

HOUR = 3600
#: Days are filled in (zeros for days without shipping) only for periods up to this long.
MAX_FILLED_DAYS = 400

ProblemKind = Literal["no_pickup", "stalled", "exception"]
PROBLEM_KINDS: tuple[ProblemKind, ...] = ("no_pickup", "stalled", "exception")
NO_LOGISTICS_NAME = "无物流发货"
#: Why a shop has no tracking alarms (物流概况, 工作台).
UNTRACKED_REASON = "未连接拼多多开放平台，无法查询物流轨迹"


@dataclass(frozen=True)
class TrackingState:
    """Whether the shop's parcels are tracked: ``reason`` says why not (Chinese), else ""."""

    tracked: bool
    reason: str = ""


def tracking_state() -> TrackingState:
    """Traces come from the platform: a shop synced with it (it has a mall id), or set to sync
    with the open platform or the demo sandbox, is tracked; a file-route shop is not.
    """  # noqa: D205
    mode = load_settings().sync_mode
    if mode == "off":
        return TrackingState(False, "同步已关闭，无法查询物流轨迹")
    if mode in ("api", "demo") or q.shop_has_platform():
        return TrackingState(True)
    return TrackingState(False, UNTRACKED_REASON)


#: A tracked shop.
TRACKED = TrackingState(True)


@dataclass(frozen=True)
class LogisticsFigures:
    """Figures of one slice (the period, a courier or a day)."""

    parcels: int = 0  #: live parcels with a courier (无物流发货 excluded)
    no_logistics: int = 0  #: live 无物流发货 shipments
    no_pickup: int = 0  #: 揽收超时
    stalled: int = 0  #: 物流停滞
    exception: int = 0  #: 快递异常 (拒收, 退回, 问题件)
    unqueried: int = 0  #: unsigned parcels whose trace was never fetched (未查询)
    orders: int = 0  #: orders whose first shipment is in the slice
    timed_orders: int = 0  #: of those, with a group-formed time
    ship_seconds: int = 0  #: sum of group formed → shipped over ``timed_orders``
    deadline_orders: int = 0  #: of ``orders``, with a ship deadline
    late_orders: int = 0  #: of ``deadline_orders``, shipped after the deadline

    @property
    def avg_ship_seconds(self) -> int | None:
        """Average group formed → shipped, whole seconds rounded half up; None without orders."""
        n = self.timed_orders
        return (self.ship_seconds * 2 + n) // (2 * n) if n else None

    @property
    def late_share(self) -> float | None:
        """Late orders / orders with a deadline (0..1); None without such orders."""
        return self.late_orders / self.deadline_orders if self.deadline_orders else None

    def __add__(self, other: LogisticsFigures) -> LogisticsFigures:
        return LogisticsFigures(
            *(getattr(self, f) + getattr(other, f) for f in _FIGURE_FIELDS)  # type: ignore[arg-type]
        )


_FIGURE_FIELDS = tuple(LogisticsFigures.__dataclass_fields__)


def _sum(items: Iterable[LogisticsFigures]) -> LogisticsFigures:
    total = LogisticsFigures()
    for item in items:
        total = total + item
    return total


@dataclass(frozen=True)
class CourierRow:
    """Figures of one courier; ``courier_id`` None is 无物流发货."""

    courier_id: int | None
    courier_name: str
    figures: LogisticsFigures


@dataclass(frozen=True)
class DayRow:
    """Figures of one Beijing calendar day; ``day_start`` is its midnight (UTC epoch seconds)."""

    day_start: int
    figures: LogisticsFigures


@dataclass(frozen=True)
class LogisticsOverview:
    """物流概况 of packages shipped in [start, end), risks judged at ``now``."""

    start: int
    end: int
    now: int
    no_pickup_hours: int
    stalled_hours: int
    totals: LogisticsFigures
    tracking: TrackingState = field(default_factory=lambda: TRACKED)
    by_courier: tuple[CourierRow, ...] = field(default=())  #: parcels descending
    by_day: tuple[DayRow, ...] = field(default=())  #: ascending, days without shipping as zeros

    @property
    def is_empty(self) -> bool:
        """Nothing was shipped in the period."""
        return self.totals.parcels == 0 and self.totals.orders == 0 and self.totals.no_logistics == 0


def logistics_overview(*, start: int, end: int, now: int | None = None) -> LogisticsOverview:
    """Compute 物流概况 for packages shipped in [start, end) (read-only, any thread)."""
    now = clock.now() if now is None else now
    s = load_settings()
    rows = q.figures_by_courier_day(
        start, end, now=now, no_pickup_s=s.no_pickup_hours * HOUR, stalled_s=s.stalled_hours * HOUR
    )
    cells: list[tuple[int | None, int, LogisticsFigures]] = [
        (row[0], row[1], LogisticsFigures(*row[2:])) for row in rows
    ]
    per_courier: dict[int | None, list[LogisticsFigures]] = {}
    per_day: dict[int, list[LogisticsFigures]] = {}
    for courier_id, day, figures in cells:
        per_courier.setdefault(courier_id, []).append(figures)
        per_day.setdefault(day, []).append(figures)

    names = q.courier_names() if per_courier else {}
    by_courier = [
        CourierRow(
            cid,
            NO_LOGISTICS_NAME if cid is None else names.get(cid, f"快递 {cid}"),
            _sum(items),
        )
        for cid, items in per_courier.items()
    ]
    by_courier.sort(key=lambda r: (-r.figures.parcels, -r.figures.orders, r.courier_name))

    days = {day: _sum(items) for day, items in per_day.items()}
    if end > start:
        first, last = q.local_day(start), q.local_day(end - 1)
        if last - first < MAX_FILLED_DAYS:
            for day in range(first, last + 1):
                days.setdefault(day, LogisticsFigures())
    by_day = tuple(DayRow(q.day_start(day), days[day]) for day in sorted(days))

    return LogisticsOverview(
        start=start,
        end=end,
        now=now,
        no_pickup_hours=s.no_pickup_hours,
        stalled_hours=s.stalled_hours,
        totals=_sum(f for _, _, f in cells),
        by_courier=tuple(by_courier),
        by_day=by_day,
        tracking=tracking_state(),
    )


@dataclass(frozen=True)
class ProblemParcel:
    """A parcel to chase with the courier; receiver data masked."""

    package_id: int
    order_sns: tuple[str, ...]  #: a merged parcel carries several orders
    courier_name: str
    tracking_number: str
    shipped_at: int
    first_scan_at: int | None
    last_event_at: int | None
    receiver_name_mask: str
    receiver_phone_mask: str
    region: str  #: province and city

    @property
    def order_sn(self) -> str:
        """The first order's number."""
        return self.order_sns[0] if self.order_sns else ""


def problem_parcels(
    kind: ProblemKind,
    courier_id: int | None = None,
    limit: int = 500,
    *,
    start: int | None = None,
    end: int | None = None,
    now: int | None = None,
) -> list[ProblemParcel]:
    """Parcels counted as 揽收超时, 物流停滞 or 快递异常 (``kind``), oldest first.

    Pass the overview's ``start``/``end``/``now`` to list exactly the parcels it counted;
    without a period every live parcel qualifies. ``courier_id`` None means all couriers.
    """
    if kind not in PROBLEM_KINDS:
        raise ValueError(f"unknown problem kind: {kind!r}")
    now = clock.now() if now is None else now
    s = load_settings()
    rows = q.problem_parcels(
        kind,
        now=now,
        no_pickup_s=s.no_pickup_hours * HOUR,
        stalled_s=s.stalled_hours * HOUR,
        courier_id=courier_id,
        start=start,
        end=end,
        limit=limit,
    )
    return [
        ProblemParcel(
            package_id=r[0],
            order_sns=tuple(sn for sn in r[6].split(",") if sn),
            courier_name=r[1],
            tracking_number=r[2],
            shipped_at=r[3],
            first_scan_at=r[4],
            last_event_at=r[5],
            receiver_name_mask=r[7],
            receiver_phone_mask=r[8],
            region=f"{r[9]}{r[10]}",
        )
        for r in rows
    ]
