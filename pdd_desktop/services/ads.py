"""推广 (issue 20): ROI of imported ad reports per plan, goods and day, judged by each goods' margin.

The figures come only from ad reports imported through the file route (``services/imports/ads.py``,
which explains why there is no sync). Definitions (merchant-data.md §2.2):

- ROI = 交易额 ÷ 花费, an exact :class:`~fractions.Fraction` (shown with two decimals, compared
  as fractions); 每笔成交花费 = 花费 ÷ 成交笔数.
- Gross margin rate of a goods = (拼单价 − 成本价) ÷ 拼单价 summed over its SKUs that have a cost
  price (:func:`goods_margins`, the one place that reads costs); 保本 ROI = 1 ÷ margin rate.
  Without any cost: 未填成本, never judged.
- A plan × goods (or a goods over all its plans) is marked when on each of the last N report days
  (N = :func:`alert_days`, editable) it spent money at an ROI under its 保本 ROI. The days end at
  the newest report day that is not after today.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction

from pdd_desktop.common import clock
from pdd_desktop.common.changes import Changes
from pdd_desktop.data import aggregates as agg
from pdd_desktop.data.db import database, write_transaction
from pdd_desktop.data.models import AuditLog, Setting
from pdd_desktop.data.queries import ads as q
from pdd_desktop.domain import ad_report as adr
from pdd_desktop.domain.ad_report import Margin
from pdd_desktop.domain.errors import ValidationError
from pdd_desktop.domain.money import format_yuan

ALERT_DAYS_KEY = "ads_alert_days"
DEFAULT_ALERT_DAYS = 3
MIN_ALERT_DAYS, MAX_ALERT_DAYS = 1, 30


# --------------------------------------------------------------------------------------------
# Margins (the one function that reads cost prices)
# --------------------------------------------------------------------------------------------


def goods_margins(goods_ids: list[int] | tuple[int, ...] | set[int]) -> dict[int, Margin]:
    """Each goods' gross margin from its SKUs' 拼单价 and ``sku.cost_price_fen``.

    Only SKUs with a cost price and a price count; a goods without such a SKU (or unknown to the
    catalogue) gets a :class:`Margin` that is not ``known`` (未填成本).
    """
    price: dict[int, int] = defaultdict(int)
    cost: dict[int, int] = defaultdict(int)
    with_cost: dict[int, int] = defaultdict(int)
    skus: dict[int, int] = defaultdict(int)
    for gid, group_price, cost_price in q.sku_prices_and_costs(goods_ids):
        skus[gid] += 1
        if cost_price is not None and group_price and group_price > 0:
            price[gid] += group_price
            cost[gid] += cost_price
            with_cost[gid] += 1
    return {g: Margin(price[g], cost[g], with_cost[g], skus[g]) for g in goods_ids}


# --------------------------------------------------------------------------------------------
# Records
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figures:
    """Spend, 交易额 and orders of some rows, with the derived ratios."""

    spend_fen: int
    gmv_fen: int
    orders: int

    @property
    def roi(self) -> Fraction | None:
        """交易额 ÷ 花费 (None without spend)."""
        return adr.roi(self.gmv_fen, self.spend_fen)

    @property
    def cost_per_order(self) -> Fraction | None:
        """花费 ÷ 成交笔数 in fen (None without orders)."""
        return adr.cost_per_order(self.spend_fen, self.orders)


@dataclass(frozen=True)
class PlanRow:
    """One plan × goods of the range."""

    scene: str
    plan_name: str
    goods_id: int
    goods_name: str
    figures: Figures
    margin: Margin
    marked: bool  #: under 保本 ROI on each of the last N report days


@dataclass(frozen=True)
class GoodsRow:
    """One goods over all its plans in the range."""

    goods_id: int
    goods_name: str
    figures: Figures
    margin: Margin
    marked: bool


@dataclass(frozen=True)
class DayRow:
    """One report day (all plans and goods)."""

    day: date
    figures: Figures


@dataclass(frozen=True)
class ShopManagedRow:
    """全店托管 spend of one imported file: no goods row, known only for the file's whole range.

    Dated (and counted for 资金) on ``last``, the file's last report day; never split over days.
    """

    first: date
    last: date
    spend_fen: int
    deal_spend_fen: int


@dataclass(frozen=True)
class AdsView:
    """The 推广 page for a range of Beijing days."""

    first: date
    last: date
    total: Figures
    plans: tuple[PlanRow, ...]
    goods: tuple[GoodsRow, ...]
    days: tuple[DayRow, ...]  #: goods rows only; 全店托管 is in ``shop_managed``
    shop_managed: tuple[ShopManagedRow, ...]  #: dated in the range; counted in ``total``
    alert_days: int
    latest_day: date | None  #: newest report day stored (any range)
    marked_plans: int
    marked_goods: int


@dataclass(frozen=True)
class RoiAlert:
    """A plan × goods (``kind="plan"``) or goods (``kind="goods"``) under 保本 ROI for N days.

    ``key`` names the finding and its last day (one alert per finding and day for the alerts
    centre); ``title``/``body`` are the merchant's text.
    """

    kind: str
    scene: str
    plan_name: str
    goods_id: int
    goods_name: str
    first_day: date
    last_day: date
    days: int
    figures: Figures  #: summed over the N days
    break_even: Fraction | None  #: None: sold at or below cost
    key: str
    title: str
    body: str


@dataclass(frozen=True)
class DaySpend:
    """Ad spend (and what it brought) on one Beijing day, for 资金's profit."""

    day: date
    spend_fen: int
    gmv_fen: int
    orders: int


# --------------------------------------------------------------------------------------------
# Settings
# --------------------------------------------------------------------------------------------


def alert_days() -> int:
    """N: how many report days in a row under 保本 ROI mark a plan or goods (default 3)."""
    row = database.execute_sql("SELECT value_json FROM setting WHERE key = ?", (ALERT_DAYS_KEY,)).fetchone()
    if row is None:
        return DEFAULT_ALERT_DAYS
    try:
        value = int(json.loads(row[0]))
    except (TypeError, ValueError):
        return DEFAULT_ALERT_DAYS
    return min(max(value, MIN_ALERT_DAYS), MAX_ALERT_DAYS)


def set_alert_days(days: int) -> Changes:
    """Save N (1–30) with an audit entry.

    Raises:
        ValidationError: N out of range; nothing saved.
    """
    if isinstance(days, bool) or not isinstance(days, int) or not MIN_ALERT_DAYS <= days <= MAX_ALERT_DAYS:
        raise ValidationError(
            "连续天数", f"应为 {MIN_ALERT_DAYS} 到 {MAX_ALERT_DAYS} 之间的整数，收到 {days!r}"
        )
    now = clock.now()
    with write_transaction():
        Setting.insert(
            key=ALERT_DAYS_KEY, value_json=json.dumps(days), updated_at=now
        ).on_conflict_replace().execute()
        AuditLog.create(
            at=now, actor="user", action="set_ads_alert_days", entity_type="setting",
            entity_id=ALERT_DAYS_KEY,
            detail_json=json.dumps({"days": days}),
        )  # fmt: skip
    return Changes(marketing=True, settings=True)


# --------------------------------------------------------------------------------------------
# Reads
# --------------------------------------------------------------------------------------------


def _end_day(now: int) -> int | None:
    latest = q.latest_day()
    if latest is None:
        return None
    return min(latest, agg.day_of(now))


def _streaks(n: int, end: int) -> tuple[set[tuple[str, str, int]], set[int], dict, dict]:
    """Plan × goods and goods under 保本 ROI on each of the days end-n+1 … end, with their sums."""
    first = end - n + 1
    per_plan: dict[tuple[str, str, int], dict[int, tuple[int, int, int]]] = defaultdict(dict)
    per_goods: dict[int, dict[int, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0, 0]))
    for scene, plan, gid, day, spend, gmv, orders in q.daily_plan_goods(first, end):
        per_plan[(scene, plan, gid)][day] = (spend, gmv, orders)
        acc = per_goods[gid][day]
        acc[0] += spend
        acc[1] += gmv
        acc[2] += orders
    margins = goods_margins({k[2] for k in per_plan})

    def under(days: dict[int, tuple[int, int, int]] | dict[int, list[int]], margin: Margin) -> bool:
        for d in range(first, end + 1):
            v = days.get(d)
            if v is None or v[0] <= 0 or not adr.under_break_even(adr.roi(v[1], v[0]), margin):
                return False
        return True

    plans = {k for k, days in per_plan.items() if under(days, margins[k[2]])}
    goods = {g for g, days in per_goods.items() if under(days, margins[g])}
    return plans, goods, per_plan, per_goods


def ads_view(*, first: date, last: date, now: int | None = None) -> AdsView:
    """ROI per plan × goods, goods and day for Beijing days ``first`` … ``last``, with the marks."""
    if last < first:
        raise ValidationError("日期范围", f"结束日期 {last:%Y-%m-%d} 早于开始日期 {first:%Y-%m-%d}")
    now = clock.now() if now is None else now
    f, lst = agg.date_to_day(first), agg.date_to_day(last)
    n = alert_days()
    end = _end_day(now)
    marked_plans, marked_goods = (set(), set()) if end is None else _streaks(n, end)[:2]
    plan_rows = q.by_plan_goods(f, lst)
    goods_rows = q.by_goods(f, lst)
    margins = goods_margins({r[0] for r in goods_rows})
    plans = tuple(
        PlanRow(scene, plan, gid, name, Figures(s, g, o), margins[gid], (scene, plan, gid) in marked_plans)
        for scene, plan, gid, name, s, g, o in plan_rows
    )
    goods = tuple(
        GoodsRow(gid, name, Figures(s, g, o), margins[gid], gid in marked_goods)
        for gid, name, s, g, o in goods_rows
    )
    days = tuple(DayRow(agg.day_to_date(d), Figures(s, g, o)) for d, s, g, o in q.by_day(f, lst))
    managed = tuple(
        ShopManagedRow(*adr.parse_shop_managed_range(text, agg.day_to_date(d)), spend, deal)
        for d, text, spend, deal in q.shop_managed(f, lst)
    )
    total = Figures(
        sum(d.figures.spend_fen for d in days) + sum(m.spend_fen for m in managed),
        sum(d.figures.gmv_fen for d in days),
        sum(d.figures.orders for d in days),
    )
    latest = q.latest_day()
    return AdsView(
        first, last, total, plans, goods, days, managed, n,
        None if latest is None else agg.day_to_date(latest),
        sum(p.marked for p in plans), sum(g.marked for g in goods),
    )  # fmt: skip


def roi_alerts(now: int) -> tuple[RoiAlert, ...]:
    """Plans × goods and goods whose ROI stayed under their 保本 ROI for the last N report days.

    A goods is reported only when some of its plans are not reported themselves (its plans
    together lose money though not each of them on every day); otherwise one cause would
    raise two alerts with the same figures.

    For the alerts centre: N is :func:`alert_days`; the days end at the newest report day not
    after ``now``'s Beijing day. Goods without a cost price are never reported.
    """
    end = _end_day(now)
    if end is None:
        return ()
    n = alert_days()
    plans, goods, per_plan, per_goods = _streaks(n, end)
    names = q.goods_names({k[2] for k in plans} | goods)
    margins = goods_margins({k[2] for k in plans} | goods)
    first_d, last_d = agg.day_to_date(end - n + 1), agg.day_to_date(end)
    out: list[RoiAlert] = []

    def make(kind: str, scene: str, plan: str, gid: int, days: dict) -> RoiAlert:
        fig = Figures(*(sum(v[i] for v in days.values() if v is not None) for i in range(3)))
        m = margins[gid]
        name = names.get(gid, str(gid))
        who = f"推广“{plan}”（{name}）" if kind == "plan" else f"商品“{name}”的全部推广"
        be = m.break_even
        limit = "商品售价不高于成本，推广每成交一单都亏" if be is None else f"保本 ROI {adr.format_roi(be)}"
        body = (
            f"{who}在 {first_d:%m-%d} 至 {last_d:%m-%d} 连续 {n} 天 ROI 低于{limit}："
            f"共花费 {format_yuan(fig.spend_fen)}，交易额 {format_yuan(fig.gmv_fen)}，"
            f"ROI {adr.format_roi(fig.roi)}。"
        )
        key = (
            f"ads-roi:{kind}:{gid}:{scene}:{plan}:{last_d:%Y%m%d}"
            if kind == "plan"
            else (f"ads-roi:goods:{gid}:{last_d:%Y%m%d}")
        )
        title = f"推广低于保本：{plan if kind == 'plan' else name}"
        return RoiAlert(kind, scene, plan, gid, name, first_d, last_d, n, fig, be, key, title, body)

    for scene, plan, gid in sorted(plans):
        out.append(
            make(
                "plan",
                scene,
                plan,
                gid,
                {d: per_plan[(scene, plan, gid)].get(d) for d in range(end - n + 1, end + 1)},
            )
        )
    for gid in sorted(goods):
        spending = {k for k, days in per_plan.items() if k[2] == gid and any(v[0] > 0 for v in days.values())}
        if spending <= plans:  # every plan of it is reported already: the goods alert would repeat them
            continue
        out.append(
            make("goods", "", "", gid, {d: tuple(per_goods[gid][d]) for d in range(end - n + 1, end + 1)})
        )
    return tuple(out)


def spend_by_day(*, first: date, last: date) -> tuple[DaySpend, ...]:
    """Ad spend per Beijing day ``first`` … ``last`` (days without reports are left out), for 资金.

    全店托管 spend (no goods row) counts on its file's last day (:class:`ShopManagedRow`).
    """
    f, lst = agg.date_to_day(first), agg.date_to_day(last)
    return tuple(DaySpend(agg.day_to_date(d), s, g, o) for d, s, g, o in q.by_day_all(f, lst))


def spend_by_goods(*, first: date, last: date) -> dict[int, int]:
    """Ad spend (fen) per goods over Beijing days ``first`` … ``last``, for 资金's profit per goods.

    全店托管 spend belongs to no goods and is left out (it is in :func:`spend_by_day`).
    """
    out: dict[int, int] = defaultdict(int)
    for gid, _day, spend in q.spend_by_goods_day(agg.date_to_day(first), agg.date_to_day(last)):
        out[int(gid)] += spend
    return dict(out)


def default_range(now: int | None = None, days: int = 30) -> tuple[date, date]:
    """The last ``days`` Beijing days ending at the newest report day (else today)."""
    now = clock.now() if now is None else now
    end = _end_day(now)
    last = agg.day_to_date(end if end is not None else agg.day_of(now))
    return last - timedelta(days=days - 1), last
