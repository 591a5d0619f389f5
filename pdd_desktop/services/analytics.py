"""数据: 经营概况, 商品分析 and 客户分析 as frozen figures, read from the v6 aggregates.

Definitions (shared with ``pdd-desktop report`` and the README):

- A sale is a paid order on the Beijing day of its payment (``paid_at``), the orders the home
  page's 今日/昨日/近 7 天 count; GMV is 实付 (``pay_amount_fen``) in fen, split over an
  order's goods by goods value for the goods figures (``data/aggregates.py``).
- Buyers are distinct known ``buyer_key`` values; an order without one (order files and the
  open platform's answers carry none) is no buyer, on 工作台 and in 经营概况 and 客户分析 alike;
  ``OverviewRow.unknown_buyer_orders`` says how many orders that leaves out.
- Refunds in 经营概况 are after-sales cases closed 退款成功 on that day (工作台's definition);
  a goods' refund rate is its orders paid in the range that ended 退款成功 ÷ its orders.
- Gross margin (毛利) is GMV − the cost price the merchant entered for each SKU × units, read
  through :func:`unit_costs` only; a goods with any sold SKU without a cost shows none.
- Price bands put each SKU in the band of its average paid price in the range (GMV ÷ units).
- The late-shipping share (超时发货占比) of a goods: of its orders paid in the range that carry a
  ship deadline (承诺发货时间: 48 h after the group forms, 24 h under 极速发货, product.md) and
  were shipped or still wait to be shipped, those shipped after the deadline or still waiting
  past it now. Orders cancelled or refunded before shipping owe nothing and are left out.
- Time to second order (复购间隔) and the spend distribution are about known buyers: the first
  over buyers whose first paid order is in the range (second order at any time up to today),
  the second over all-time spend (累计消费) as RFM's M.
- Every query reads the aggregates through an index: no figure scans the orders.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from pdd_desktop.common import clock
from pdd_desktop.common.timefmt import local_date_start, to_local
from pdd_desktop.data import aggregates as agg
from pdd_desktop.data.queries import analytics as q
from pdd_desktop.domain.errors import ValidationError
from pdd_desktop.domain.orders import OrderStatus
from pdd_desktop.services import cost_history

REFUND_SUCCESS = 10  #: after_sales_status 退款成功 (as services/home.py)
GRAINS = ("day", "week", "month")
#: The longest range a dashboard accepts (a day-by-day chart of more is unreadable).
MAX_RANGE_DAYS = 366 * 3
WEEKDAYS = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")


# --------------------------------------------------------------------------------------------
# Ranges
# --------------------------------------------------------------------------------------------


def today(now: int | None = None) -> date:
    """Today's Beijing date."""
    return to_local(clock.now() if now is None else now).date()


@dataclass(frozen=True)
class DayRange:
    """Beijing calendar days ``first`` … ``last``, both included."""

    first: date
    last: date

    def __post_init__(self) -> None:
        if self.last < self.first:
            raise ValidationError(
                "日期范围", f"结束日期 {self.last:%Y-%m-%d} 早于开始日期 {self.first:%Y-%m-%d}"
            )
        if (self.last - self.first).days + 1 > MAX_RANGE_DAYS:
            raise ValidationError("日期范围", f"最多 {MAX_RANGE_DAYS} 天")

    @property
    def days(self) -> int:
        """Number of days in the range."""
        return (self.last - self.first).days + 1

    @property
    def first_day(self) -> int:
        """Day number of ``first``."""
        return agg.date_to_day(self.first)

    @property
    def last_day(self) -> int:
        """Day number of ``last``."""
        return agg.date_to_day(self.last)

    @property
    def start_ts(self) -> int:
        """00:00 Beijing of ``first``, epoch seconds."""
        return local_date_start(self.first)

    @property
    def end_ts(self) -> int:
        """00:00 Beijing of the day after ``last`` (exclusive end)."""
        return local_date_start(self.last + timedelta(days=1))

    def previous(self) -> DayRange:
        """The range of the same length just before this one (for comparisons)."""
        return DayRange(self.first - timedelta(days=self.days), self.first - timedelta(days=1))

    @classmethod
    def preset(cls, name: str, now: int | None = None) -> DayRange:
        """``today``, ``7d``, ``30d``, ``90d`` (ending today) or ``month`` (this calendar month)."""
        t = today(now)
        if name == "today":
            return cls(t, t)
        if name == "month":
            return cls(t.replace(day=1), t)
        days = {"7d": 7, "30d": 30, "90d": 90}.get(name)
        if days is None:
            raise ValidationError("日期范围", f"不认识“{name}”")
        return cls(t - timedelta(days=days - 1), t)

    @classmethod
    def parse(cls, first: str | None, last: str | None, now: int | None = None) -> DayRange:
        """From ``YYYY-MM-DD`` texts; a missing end is today, a missing start 29 days before the end."""
        end = _parse_date(last, "结束日期") if last else today(now)
        start = _parse_date(first, "开始日期") if first else end - timedelta(days=29)
        return cls(start, end)


def _parse_date(text: str, what: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ValidationError(what, f"“{text}”不是有效日期，请写成 2026-11-23 这样的格式") from None


def _avg(total: int, n: int) -> int:
    """Return total ÷ n in whole fen, rounded half up (as the home page); 0 without n."""
    return (total * 2 + n) // (2 * n) if n else 0


# --------------------------------------------------------------------------------------------
# 经营概况
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OverviewRow:
    """One day, week or month (or the whole range) of paid orders."""

    label: str  #: 2026-11-23 / 2026-11-16 起 / 2026-11 / 合计
    first: date  #: the bucket's first day inside the range
    last: date  #: its last day inside the range
    orders: int
    units: int
    gmv_fen: int
    buyers: int  #: distinct known buyers
    refunds: int  #: after-sales cases closed 退款成功
    refund_fen: int
    unknown_buyer_orders: int = 0  #: paid orders without buyer identity (not in ``buyers``)

    @property
    def avg_order_fen(self) -> int:
        """Average order value (客单价) in fen."""
        return _avg(self.gmv_fen, self.orders)


@dataclass(frozen=True)
class Overview:
    """经营概况 of a range: buckets in order (empty ones included) and the totals."""

    range: DayRange
    grain: str
    rows: tuple[OverviewRow, ...]
    total: OverviewRow
    previous: OverviewRow  #: the same figures for the range just before


def _bucket_key(day: int, grain: str) -> int | str:
    if grain == "day":
        return day
    if grain == "week":
        return day - ((day + 3) % 7)
    return agg.day_to_date(day).strftime("%Y-%m")


def _totals(r: DayRange, label: str) -> OverviewRow:
    sales = q.sales_by_bucket(r.first_day, r.last_day, "month")
    refunds = q.refunds_by_day(r.start_ts, r.end_ts, REFUND_SUCCESS)
    return OverviewRow(
        label,
        r.first,
        r.last,
        sum(int(s[1]) for s in sales),
        sum(int(s[2]) for s in sales),
        sum(int(s[3]) for s in sales),
        q.buyers_in_range(r.first_day, r.last_day),
        sum(int(x[1]) for x in refunds),
        sum(int(x[2]) for x in refunds),
        q.unknown_buyer_orders(r.first_day, r.last_day),
    )


def overview(*, first: date, last: date, grain: str = "day") -> Overview:
    """经营概况: orders, GMV, buyers, average order value and refunds per day, week or month.

    Raises:
        ValidationError: an unknown grain or a bad range.
    """
    if grain not in GRAINS:
        raise ValidationError("汇总方式", f"不认识“{grain}”")
    r = DayRange(first, last)
    sales = {b: s for b, *s in q.sales_by_bucket(r.first_day, r.last_day, grain)}
    buyers = dict(q.buyers_by_bucket(r.first_day, r.last_day, grain))
    refunds: dict[int | str, list[int]] = {}
    for day, n, fen in q.refunds_by_day(r.start_ts, r.end_ts, REFUND_SUCCESS):
        acc = refunds.setdefault(_bucket_key(int(day), grain), [0, 0])
        acc[0] += int(n)
        acc[1] += int(fen)
    unknown: dict[int | str, int] = {}
    for day, n in q.unknown_orders_by_day(r.first_day, r.last_day):
        key = _bucket_key(int(day), grain)
        unknown[key] = unknown.get(key, 0) + int(n)
    spans: dict[int | str, list[int]] = {}
    for day in range(r.first_day, r.last_day + 1):
        span = spans.setdefault(_bucket_key(day, grain), [day, day])
        span[1] = day
    rows = []
    for key, (d0, d1) in spans.items():
        s = sales.get(key, (0, 0, 0))
        f = refunds.get(key, (0, 0))
        if grain == "day":
            label = f"{agg.day_to_date(d0):%Y-%m-%d}"
        elif grain == "week":
            label = f"{agg.day_to_date(int(key)):%Y-%m-%d} 起"
        else:
            label = str(key)
        rows.append(
            OverviewRow(
                label, agg.day_to_date(d0), agg.day_to_date(d1), int(s[0]), int(s[1]), int(s[2]),
                int(buyers.get(key, 0)), f[0], f[1], unknown.get(key, 0),
            )
        )  # fmt: skip
    return Overview(r, grain, tuple(rows), _totals(r, "合计"), _totals(r.previous(), "上一周期"))


# --------------------------------------------------------------------------------------------
# 商品分析
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemFigure:
    """One goods (``sku_id`` None) or SKU in a range, with the previous range beside it."""

    goods_id: int
    sku_id: int | None
    name: str
    spec: str
    orders: int
    units: int
    gmv_fen: int
    buyers: int
    refunded_orders: int
    prev_orders: int
    prev_units: int
    prev_gmv_fen: int
    abc: str  #: A / B / C by GMV (goods only; SKUs take their goods' class)
    cost_fen: int | None = None  #: cost price × units; None when a sold SKU has no cost price
    ship_due: int = 0  #: orders with a ship deadline, shipped or waiting (goods only)
    ship_late: int = 0  #: of them shipped after the deadline or waiting past it now

    @property
    def margin_fen(self) -> int | None:
        """Gross margin (毛利): GMV − cost; None without a cost price."""
        return None if self.cost_fen is None else self.gmv_fen - self.cost_fen

    @property
    def margin_rate(self) -> float | None:
        """Gross margin ÷ GMV; None without a cost price or GMV."""
        m = self.margin_fen
        return None if m is None or not self.gmv_fen else m / self.gmv_fen

    @property
    def late_rate(self) -> float | None:
        """超时发货占比: late ÷ due; None when no order had a deadline."""
        return self.ship_late / self.ship_due if self.ship_due else None

    @property
    def buyers_known(self) -> bool:
        """False when orders were paid but none names its buyer: 买家数 is unknown, not 0.

        ``buyers`` counts known buyers only (an order from a file or the open API has no buyer
        identity), so an item sold only in such orders has 0 known buyers though people bought it.
        """
        return self.buyers > 0 or self.orders == 0

    @property
    def refund_rate(self) -> float:
        """Refunded orders ÷ orders (0 without orders)."""
        return self.refunded_orders / self.orders if self.orders else 0.0

    @property
    def gmv_change(self) -> float | None:
        """GMV change against the previous range as a fraction; None when that had none."""
        return (self.gmv_fen - self.prev_gmv_fen) / self.prev_gmv_fen if self.prev_gmv_fen else None


@dataclass(frozen=True)
class SlowMover:
    """An SKU with stock that has not sold for ``idle_days`` (None: never sold)."""

    goods_id: int
    sku_id: int
    name: str
    spec: str
    stock: int
    last_sale: date | None
    idle_days: int | None


@dataclass(frozen=True)
class StockCover:
    """How long an SKU's stock lasts at its recent sales rate."""

    goods_id: int
    sku_id: int
    name: str
    spec: str
    stock: int
    units_recent: int  #: units sold in the last ``rate_days`` days
    rate_days: int
    cover_days: float  #: stock ÷ (units_recent ÷ rate_days)
    stock_out: date  #: today + whole cover days


#: Price bands (yuan): lower bound included, upper excluded; the last has no upper bound.
PRICE_BANDS_YUAN = (0, 10, 20, 50, 100, 200, 500)


@dataclass(frozen=True)
class Band:
    """One band of a distribution: ``[low_fen, high_fen)`` (``high_fen`` None: no upper bound)."""

    label: str
    low_fen: int
    high_fen: int | None
    count: int  #: SKUs (price bands) or buyers (spend bands)
    units: int = 0
    gmv_fen: int = 0


def _band_label(low: int, high: int | None, unit: str = "元") -> str:
    return f"{low} {unit}以上" if high is None else f"{low}–{high} {unit}"


def _bands(edges_yuan: tuple[int, ...]) -> list[tuple[str, int, int | None]]:
    out: list[tuple[str, int, int | None]] = []
    for i, low in enumerate(edges_yuan):
        high = edges_yuan[i + 1] if i + 1 < len(edges_yuan) else None
        out.append((_band_label(low, high), low * 100, None if high is None else high * 100))
    return out


def unit_costs(sku_ids: Iterable[int], *, first: date, last: date) -> dict[int, int]:
    """sku_id → the cost price per unit (fen) for sales in ``first`` … ``last``; absent: none entered.

    The one place the dashboards read cost prices: 商品's cost price history
    (``services/cost_history.py``), the cost in force at the end of the range's last day. A
    cost changed inside the range counts for the whole range (资金's profit, per order, takes
    the cost in force when each order was paid).
    """
    del first  # the cost at the range's end stands for the range
    at = local_date_start(last + timedelta(days=1)) - 1
    found = cost_history.cost_prices_at((s, at) for s in set(sku_ids))
    return {s: c for (s, _at), c in found.items() if c is not None}


@dataclass(frozen=True)
class HotItems:
    """商品分析 of a range."""

    range: DayRange
    goods: tuple[ItemFigure, ...]  #: by GMV, largest first
    skus: tuple[ItemFigure, ...]  #: by GMV, largest first
    slow_movers: tuple[SlowMover, ...]  #: longest idle first (never sold first)
    stock_cover: tuple[StockCover, ...]  #: shortest cover first
    today: date
    slow_days: int
    rate_days: int
    price_bands: tuple[Band, ...] = ()  #: SKUs, units and GMV by average paid price


def abc_classes(gmv_by_key: dict, a_share: int = 80, b_share: int = 95) -> dict:
    """A / B / C by GMV: largest first, A while the GMV before it is under 80 % of the total, B under 95 %."""
    total = sum(gmv_by_key.values())
    out = {}
    before = 0
    for key, gmv in sorted(gmv_by_key.items(), key=lambda kv: (-kv[1], kv[0])):
        out[key] = "A" if before * 100 < a_share * total else "B" if before * 100 < b_share * total else "C"
        before += gmv
    return out


def _names(goods_ids: list[int]) -> dict[int, str]:
    names = q.goods_names()
    missing = [g for g in goods_ids if g not in names]
    names.update(q.sold_goods_names(missing))
    return names


def hot_items(
    *, first: date, last: date, slow_days: int = 30, rate_days: int = 30, now: int | None = None
) -> HotItems:
    """商品分析: goods and SKUs ranked by GMV with the previous range, ABC, slow movers and stock cover.

    Raises:
        ValidationError: a bad range, or ``slow_days`` / ``rate_days`` not between 1 and 365.
    """
    for value, what in ((slow_days, "滞销天数"), (rate_days, "销量统计天数")):
        if not 1 <= value <= 365:
            raise ValidationError(what, "应在 1 到 365 之间")
    r = DayRange(first, last)
    p = r.previous()
    t = today(now)
    goods = {int(g[0]): g for g in q.goods_figures(r.first_day, r.last_day)}
    prev_goods = {int(g[0]): g for g in q.goods_figures(p.first_day, p.last_day, with_buyers=False)}
    skus = {int(s[1]): s for s in q.sku_figures(r.first_day, r.last_day)}
    prev_skus = {int(s[1]): s for s in q.sku_figures(p.first_day, p.last_day, with_buyers=False)}
    specs = q.sku_specs()
    names = _names(
        sorted({*goods, *(int(s[0]) for s in skus.values()), *(g for g, _s, _n in specs.values())})
    )
    classes = abc_classes({g: int(row[3]) for g, row in goods.items()})
    costs = unit_costs(skus, first=r.first, last=r.last)
    sku_cost = {s: costs[s] * int(row[3]) if s in costs else None for s, row in skus.items()}
    goods_cost: dict[int, int | None] = {}
    for s, row in skus.items():
        g = int(row[0])
        have, c = goods_cost.get(g, 0), sku_cost[s]
        goods_cost[g] = None if have is None or c is None else have + c
    ship: dict[int, list[int]] = {}
    for g, shipped, late in q.shipped_late_by_goods(r.first_day, r.last_day):
        ship[int(g)] = [int(shipped), int(late)]
    for g, waiting, overdue in q.waiting_by_goods(
        r.start_ts, r.end_ts, clock.now() if now is None else now, int(OrderStatus.TO_SHIP)
    ):
        acc = ship.setdefault(int(g), [0, 0])
        acc[0] += int(waiting)
        acc[1] += int(overdue)

    def goods_fig(g: int, row: tuple) -> ItemFigure:
        prev = prev_goods.get(g, (g, 0, 0, 0, 0, 0))
        return ItemFigure(
            g, None, names.get(g, f"商品 {g}"), "", int(row[1]), int(row[2]), int(row[3]), int(row[5]),
            int(row[4]), int(prev[1]), int(prev[2]), int(prev[3]), classes[g], goods_cost.get(g),
            *ship.get(g, (0, 0)),
        )  # fmt: skip

    def sku_fig(s: int, row: tuple) -> ItemFigure:
        g = int(row[0])
        prev = prev_skus.get(s, (g, s, 0, 0, 0, 0, 0))
        spec = specs.get(s, (g, "", 0))[1]
        return ItemFigure(
            g, s, names.get(g, f"商品 {g}"), spec, int(row[2]), int(row[3]), int(row[4]), int(row[6]),
            int(row[5]), int(prev[2]), int(prev[3]), int(prev[4]), classes.get(g, "C"), sku_cost[s],
        )  # fmt: skip

    order = lambda f: (-f.gmv_fen, -f.units, f.goods_id, f.sku_id or 0)  # noqa: E731
    goods_list = tuple(sorted((goods_fig(g, row) for g, row in goods.items()), key=order))
    sku_list = tuple(sorted((sku_fig(s, row) for s, row in skus.items()), key=order))

    today_day = agg.date_to_day(t)
    last_sale = q.sku_last_sale_day()
    recent = q.sku_units_since(today_day - rate_days + 1, today_day)
    slow: list[SlowMover] = []
    cover: list[StockCover] = []
    for sku_id, (g, spec, stock) in specs.items():
        name = names.get(g, f"商品 {g}")
        ls = last_sale.get(sku_id)
        if stock > 0 and (ls is None or ls <= today_day - slow_days):
            slow.append(
                SlowMover(g, sku_id, name, spec, stock, agg.day_to_date(ls) if ls is not None else None,
                          today_day - ls if ls is not None else None)
            )  # fmt: skip
        units = recent.get(sku_id, 0)
        if units > 0:
            days = max(stock, 0) * rate_days / units
            cover.append(
                StockCover(
                    g, sku_id, name, spec, stock, units, rate_days, days, t + timedelta(days=int(days))
                )
            )
    slow.sort(key=lambda m: (m.idle_days is not None, -(m.idle_days or 0), -m.stock, m.sku_id))
    cover.sort(key=lambda c: (c.cover_days, -c.units_recent, c.sku_id))
    bands = []
    for label, low, high in _bands(PRICE_BANDS_YUAN):
        members = [
            f
            for f in sku_list
            if f.units and f.gmv_fen >= low * f.units and (high is None or f.gmv_fen < high * f.units)
        ]
        bands.append(
            Band(
                label, low, high, len(members), sum(f.units for f in members), sum(f.gmv_fen for f in members)
            )
        )
    return HotItems(r, goods_list, sku_list, tuple(slow), tuple(cover), t, slow_days, rate_days, tuple(bands))


def price_band_skus(hot: HotItems, band: Band) -> list[int]:
    """The SKUs of ``hot`` whose average paid price falls in ``band``."""
    return [
        f.sku_id
        for f in hot.skus
        if f.sku_id is not None and f.units and f.gmv_fen >= band.low_fen * f.units
        and (band.high_fen is None or f.gmv_fen < band.high_fen * f.units)
    ]  # fmt: skip


@dataclass(frozen=True)
class TrendPoint:
    """One day of one goods, with the trailing 7-day averages (the day and the 6 before it)."""

    day: date
    orders: int
    units: int
    gmv_fen: int
    avg7_units: float
    avg7_gmv_fen: int


def goods_trend(*, goods_id: int, first: date, last: date) -> tuple[TrendPoint, ...]:
    """Per-day sales of one goods over the range (days without sales are zero)."""
    r = DayRange(first, last)
    rows = {
        int(d): (int(o), int(u), int(g))
        for d, o, u, g in q.goods_daily(goods_id, r.first_day - 6, r.last_day)
    }
    out = []
    for day in range(r.first_day, r.last_day + 1):
        o, u, g = rows.get(day, (0, 0, 0))
        window = [rows.get(d, (0, 0, 0)) for d in range(day - 6, day + 1)]
        out.append(
            TrendPoint(
                agg.day_to_date(day),
                o,
                u,
                g,
                sum(w[1] for w in window) / 7,
                _avg(sum(w[2] for w in window), 7),
            )
        )
    return tuple(out)


# --------------------------------------------------------------------------------------------
# 客户分析
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BuyerDay:
    """Known buyers of one day: first-time (new) and returning."""

    day: date
    buyers: int
    new: int

    @property
    def returning(self) -> int:
        """Buyers who had bought before that day."""
        return self.buyers - self.new


@dataclass(frozen=True)
class RfmSegment:
    """An RFM group: recent (bought in the last 30 days), frequent (≥ 2 orders), big (spend ≥ median)."""

    name: str
    recent: bool
    frequent: bool
    big: bool
    buyers: int
    gmv_fen: int


#: Names of the eight RFM groups, by (recent, frequent, big).
RFM_NAMES = {
    (True, True, True): "重要价值客户",
    (True, False, True): "重要发展客户",
    (False, True, True): "重要保持客户",
    (False, False, True): "重要挽留客户",
    (True, True, False): "一般价值客户",
    (True, False, False): "一般发展客户",
    (False, True, False): "一般保持客户",
    (False, False, False): "一般挽留客户",
}
RFM_RECENT_DAYS = 30


@dataclass(frozen=True)
class Cohort:
    """Buyers whose first order was in ``month``, and how many of them bought in each later month."""

    month: str  #: YYYY-MM
    size: int
    active: tuple[int, ...]  #: active[k] = buyers of the cohort who bought k months later (active[0] = size)

    def retention(self, k: int) -> float:
        """Share of the cohort buying ``k`` months after its first month."""
        return self.active[k] / self.size if self.size and k < len(self.active) else 0.0


#: Time to second order buckets (days): lower bound included, upper excluded.
GAP_BANDS_DAYS = (
    (0, 1, "当天"),
    (1, 8, "1–7 天"),
    (8, 31, "8–30 天"),
    (31, 91, "31–90 天"),
    (91, None, "90 天以上"),
)
#: Spend bands (yuan, all-time spend per known buyer).
SPEND_BANDS_YUAN = (0, 50, 100, 200, 500, 1000)


@dataclass(frozen=True)
class SecondOrder:
    """复购间隔: known buyers whose first paid order is in the range, and when they ordered again."""

    new_buyers: int
    repeaters: int  #: of them with a second paid order (up to today)
    median_days: int | None  #: median days from first to second order (None: no repeater)
    bands: tuple[tuple[str, int, int | None, int], ...]  #: (label, from days, below days, buyers)

    @property
    def rate(self) -> float:
        """Share of the new buyers who ordered a second time."""
        return self.repeaters / self.new_buyers if self.new_buyers else 0.0


@dataclass(frozen=True)
class Customers:
    """客户分析 of a range (RFM over all history up to today)."""

    range: DayRange
    days: tuple[BuyerDay, ...]
    buyers: int  #: known buyers in the range
    repeat_buyers: int  #: of them with two or more orders in the range
    rfm: tuple[RfmSegment, ...]
    rfm_spend_line_fen: int
    provinces: tuple[tuple[str, int, int], ...]  #: (province, orders, gmv_fen), most orders first
    heat: tuple[tuple[int, ...], ...]  #: heat[weekday 0=周一][hour] = orders
    cohorts: tuple[Cohort, ...]
    second_order: SecondOrder = SecondOrder(0, 0, None, ())
    spend_bands: tuple[Band, ...] = ()  #: known buyers by all-time spend
    rfm_recent_from: date | None = None  #: first day counting as recent (for click-through)

    @property
    def repeat_rate(self) -> float:
        """复购率: buyers with two or more orders in the range ÷ buyers in the range."""
        return self.repeat_buyers / self.buyers if self.buyers else 0.0


def unknown_buyer_orders(r: DayRange | None = None) -> int:
    """Paid orders of the range (None: all history) that carry no buyer identity.

    Neither the platform's order export nor the order APIs name the buyer (pdd-open-api.md
    §3.5, §8.1), so a real shop's orders are all like this; the per-buyer reports say so.
    """
    if r is None:
        return q.unknown_buyer_orders(0, agg.date_to_day(today()))
    return q.unknown_buyer_orders(r.first_day, r.last_day)


def _month_index(month: str) -> int:
    y, m = month.split("-")
    return int(y) * 12 + int(m) - 1


def customers(*, first: date, last: date, now: int | None = None) -> Customers:
    """客户分析: new vs returning per day, repeat rate, RFM, provinces, hour × weekday, cohorts."""
    r = DayRange(first, last)
    per_day = {int(d): (int(n), int(new)) for d, n, new in q.buyers_per_day(r.first_day, r.last_day)}
    days = tuple(
        BuyerDay(agg.day_to_date(d), *per_day.get(d, (0, 0))) for d in range(r.first_day, r.last_day + 1)
    )
    buyers, repeat = q.buyer_orders_in_range(r.first_day, r.last_day)
    today_day = agg.date_to_day(today(now))
    line = q.buyer_spend_median()
    groups = {
        (bool(a), bool(b), bool(c)): (int(n), int(g)) for a, b, c, n, g in q.rfm_groups(
            today_day - RFM_RECENT_DAYS + 1, today_day, line)
    }  # fmt: skip
    rfm = tuple(RfmSegment(name, *key, *groups.get(key, (0, 0))) for key, name in RFM_NAMES.items())
    heat = [[0] * 24 for _ in range(7)]
    for w, h, n in q.hour_weekday(r.first_day, r.last_day):
        heat[int(w)][int(h)] = int(n)
    month_start = agg.date_to_day(r.first.replace(day=1))
    matrix: dict[str, dict[int, int]] = {}
    for c, a, n in q.cohorts(month_start, r.last_day):
        matrix.setdefault(c, {})[_month_index(a) - _month_index(c)] = int(n)
    last_month = _month_index(f"{r.last:%Y-%m}")
    cohorts = tuple(
        Cohort(c, m.get(0, 0), tuple(m.get(k, 0) for k in range(last_month - _month_index(c) + 1)))
        for c, m in sorted(matrix.items())
    )
    return Customers(
        r, days, buyers, repeat, rfm, line,
        tuple((str(p), int(o), int(g)) for p, o, g in q.provinces(r.first_day, r.last_day)),
        tuple(tuple(row) for row in heat), cohorts, _second_order(r), _spend_bands(),
        agg.day_to_date(today_day - RFM_RECENT_DAYS + 1),
    )  # fmt: skip


def _second_order(r: DayRange) -> SecondOrder:
    gaps = [(None if g is None else int(g), int(n)) for g, n in q.second_order_gaps(r.first_day, r.last_day)]
    known = sorted((g, n) for g, n in gaps if g is not None)
    repeaters = sum(n for _g, n in known)
    median = None
    upto = 0
    for g, n in known:
        upto += n
        if upto > repeaters // 2:
            median = g
            break
    bands = tuple(
        (label, low, high, sum(n for g, n in known if g >= low and (high is None or g < high)))
        for low, high, label in GAP_BANDS_DAYS
    )
    return SecondOrder(sum(n for _g, n in gaps), repeaters, median, bands)


def _spend_bands() -> tuple[Band, ...]:
    counts = [(int(g), int(n)) for g, n in q.spend_counts()]
    return tuple(
        Band(label, low, high, sum(n for g, n in counts if g >= low and (high is None or g < high)), 0,
             sum(g * n for g, n in counts if g >= low and (high is None or g < high)))
        for label, low, high in _bands(SPEND_BANDS_YUAN)
    )  # fmt: skip


def segment_terms(c: Customers, seg: RfmSegment) -> list[tuple[str, object]]:
    """The buyer conditions of an RFM group, for :func:`figure_orders` ``buyers=``."""
    recent = agg.date_to_day(c.rfm_recent_from or c.range.last)
    return [
        ("last_from" if seg.recent else "last_before", recent),
        ("frequent" if seg.frequent else "single", None),
        ("spend_min" if seg.big else "spend_below", c.rfm_spend_line_fen),
        ("first_to", agg.date_to_day(c.rfm_recent_from + timedelta(days=RFM_RECENT_DAYS - 1))
         if c.rfm_recent_from else c.range.last_day),
    ]  # fmt: skip


def spend_terms(band: Band) -> list[tuple[str, object]]:
    """The buyer conditions of a spend band."""
    terms: list[tuple[str, object]] = [("spend_min", band.low_fen)]
    if band.high_fen is not None:
        terms.append(("spend_below", band.high_fen))
    return terms


def gap_terms(c: Customers, low: int, high: int | None) -> list[tuple[str, object]]:
    """The buyer conditions of a time-to-second-order band (buyers first buying in the range)."""
    terms: list[tuple[str, object]] = [
        ("first_from", c.range.first_day), ("first_to", c.range.last_day), ("gap_min", low),
    ]  # fmt: skip
    if high is not None:
        terms.append(("gap_below", high))
    return terms


def figure_orders(*, first: date, last: date, **filters) -> list[int]:
    """Ids of the paid orders behind one chart figure (newest first), for 发货中心.

    ``filters``: ``goods_id``, ``sku_id``, ``province``, ``hour``, ``weekday`` (0 = 周一),
    ``buyer_new`` (True: the buyer's first order day; False: a returning buyer's order),
    ``sku_ids`` (a price band's SKUs), ``buyers`` (an RFM group, spend or second-order band:
    :func:`segment_terms`, :func:`spend_terms`, :func:`gap_terms`).
    """
    r = DayRange(first, last)
    return q.paid_order_ids(r.first_day, r.last_day, **filters)


def late_orders(*, goods_id: int, first: date, last: date, now: int | None = None) -> list[int]:
    """The orders behind a goods' late-shipping share: shipped late, or waiting past the deadline."""
    r = DayRange(first, last)
    return q.late_order_ids(
        goods_id, r.first_day, r.last_day, r.start_ts, r.end_ts, clock.now() if now is None else now,
        int(OrderStatus.TO_SHIP),
    )  # fmt: skip
