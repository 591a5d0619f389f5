"""资金 利润: profit per order, goods and day, and a month's P&L, from the bills the shop holds.

**Cash basis.** Money is what the bills say in the range: settled income, refunds, tech-service
fees (net of their returns), after-sales compensations, and marketing/other lines, as booked on
the lines' dates (transfers to the deposit or ad account, withdrawals and 未分类 are not profit:
``domain/funds.py``). An order's lines in the range count on the day of its first settlement
there (else of its first line). Cost of goods and shipping are counted for the orders settled
in the range, once. Ad spend comes from 推广's reports (:func:`services.ads.spend_by_day` per
day, :func:`services.ads.spend_by_goods` per goods); it is not spread over orders, so an
order's profit has none.

**Missing prices are not zeros.** An order with an item whose SKU has no cost price has no
profit (未填成本) and is counted; the same for shipping when no price band applies (未填运费).
The totals add up what is known and say how many orders lack a price.

**Cost of goods** is the cost price in force at the order's payment, by the rule of
``services/cost_history.py``, in SQL (``data/queries/profit.py``: one cost per SKU whose
history holds one price, the history looked up at payment for the others).

**Shipping** is the merchant's price table (``shipping_rate``): per courier (id 0 = the default
row, for any courier without rows and for unknown couriers) and weight band: ``first_fen`` for
the first ``first_weight_g`` grams, ``step_fen`` per further ``step_g`` grams begun. The order's
weight is the sum of its items' ``sku.weight_g`` × quantity; when that is unknown (0) the band's
first-weight price is the flat per-order price. Each order is priced as its own parcel.
"""

from __future__ import annotations

import heapq
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property

from pdd_desktop.common import clock
from pdd_desktop.common.changes import Changes
from pdd_desktop.common.task import TaskContext
from pdd_desktop.common.timefmt import to_local
from pdd_desktop.data.db import read_snapshot, write_transaction
from pdd_desktop.data.models import AuditLog
from pdd_desktop.data.queries import profit as pq
from pdd_desktop.data.queries import reconcile as q
from pdd_desktop.domain.errors import ValidationError
from pdd_desktop.services import ads, cost_history
from pdd_desktop.services.reconcile import check_range

MAX_BANDS = 200
MAX_FEN = 100_000_00
MAX_G = 1_000_000


# ------------------------------------------------------------------------------ cost of goods


def cost_of_many(pairs: Iterable[tuple[int, int]]) -> dict[tuple[int, int], int | None]:
    """Cost price (fen per unit) of each (sku id, moment); None when not filled in or unknown SKU.

    From 商品's cost price history (``services/cost_history.py``): the cost in force at the
    moment (the order's payment), so a later change of cost does not rewrite past profit.
    """
    return cost_history.cost_prices_at(pairs)


def cost_of(sku_id: int, at: int) -> int | None:
    """Cost price (fen per unit) of a SKU at a moment; None when not filled in."""
    return cost_of_many([(sku_id, at)])[(sku_id, at)]


# ------------------------------------------------------------------------------ shipping


@dataclass(frozen=True)
class ShippingBand:
    """One row of the price table."""

    courier_id: int  #: 0: the default for any courier
    up_to_g: int  #: 0: no upper limit
    first_weight_g: int
    first_fen: int
    step_g: int
    step_fen: int

    def price(self, weight_g: int) -> int:
        """The price of a parcel of ``weight_g`` grams (0: unknown, the first-weight price)."""
        extra = max(0, weight_g - self.first_weight_g)
        steps = -(-extra // self.step_g) if self.step_g else 0
        return self.first_fen + steps * self.step_fen


def shipping_bands() -> tuple[ShippingBand, ...]:
    """The price table, by courier and band."""
    return tuple(ShippingBand(*r[1:]) for r in q.shipping_rates())


def courier_names() -> dict[int, str]:
    """Courier id → name, for the price table's courier column."""
    return q.courier_names()


def _check_band(i: int, b: ShippingBand) -> None:
    where = f"第 {i} 行"
    for value, name, high in (
        (b.courier_id, "快递公司", 10**9),
        (b.up_to_g, "重量上限（克）", MAX_G),
        (b.first_weight_g, "首重（克）", MAX_G),
        (b.first_fen, "首重价格", MAX_FEN),
        (b.step_g, "续重单位（克）", MAX_G),
        (b.step_fen, "续重价格", MAX_FEN),
    ):
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= high:
            raise ValidationError(where, f"{name}应为 0 到 {high} 之间的整数，收到 {value!r}")
    if b.step_fen and not b.step_g:
        raise ValidationError(where, "有续重价格时续重单位不能为 0")
    if b.up_to_g and b.up_to_g < b.first_weight_g:
        raise ValidationError(where, "重量上限不能小于首重")


def save_shipping_bands(bands: Iterable[ShippingBand]) -> Changes:
    """Replace the price table (all or nothing), with an audit entry.

    Raises:
        ValidationError: a bad value, a repeated band, or too many rows; nothing is saved then.
    """
    bands = list(bands)
    if len(bands) > MAX_BANDS:
        raise ValidationError("运费表", f"最多 {MAX_BANDS} 行")
    seen: set[tuple[int, int]] = set()
    for i, b in enumerate(bands, 1):
        _check_band(i, b)
        if (b.courier_id, b.up_to_g) in seen:
            raise ValidationError(f"第 {i} 行", "同一快递公司的重量上限重复")
        seen.add((b.courier_id, b.up_to_g))
    now = clock.now()
    with write_transaction():
        q.replace_shipping_rates(
            [(b.courier_id, b.up_to_g, b.first_weight_g, b.first_fen, b.step_g, b.step_fen) for b in bands],
            now,
        )
        AuditLog.create(
            at=now, actor="user", action="save_shipping_rates", entity_type="shipping_rate",
            entity_id="", detail_json=f'{{"rows": {len(bands)}}}',
        )  # fmt: skip
    return Changes(funds=True)


def shipping_price(bands: Iterable[ShippingBand], courier_id: int, weight_g: int) -> int | None:
    """A parcel's price from the table (the courier's bands, else the default's); None: no band applies."""
    bands = list(bands)
    for cid in (courier_id, 0) if courier_id else (0,):
        own = sorted((b for b in bands if b.courier_id == cid), key=lambda b: (b.up_to_g == 0, b.up_to_g))
        if not own:
            continue
        for b in own:
            if b.up_to_g == 0 or weight_g <= b.up_to_g:
                return b.price(weight_g)
        return None  # heavier than every band of the courier
    return None


# ------------------------------------------------------------------------------ profit


@dataclass(frozen=True)
class Money:
    """Bill money of a set of lines (expenses negative)."""

    income_fen: int = 0
    refund_fen: int = 0
    fee_fen: int = 0
    compensation_fen: int = 0
    other_fen: int = 0

    @property
    def net_fen(self) -> int:
        """All of it."""
        return self.income_fen + self.refund_fen + self.fee_fen + self.compensation_fen + self.other_fen

    def __add__(self, o: Money) -> Money:
        return Money(
            self.income_fen + o.income_fen, self.refund_fen + o.refund_fen, self.fee_fen + o.fee_fen,
            self.compensation_fen + o.compensation_fen, self.other_fen + o.other_fen,
        )  # fmt: skip


@dataclass(frozen=True)
class OrderProfit:
    """One order's profit in the range."""

    order_id: int
    order_sn: str
    at: int  #: its first settlement in the range (else its first line)
    money: Money
    settled: bool  #: settled in the range: cost and shipping are counted
    cost_fen: int | None  #: None: 未填成本 (0 when not settled in the range)
    shipping_fen: int | None  #: None: 未填运费

    @property
    def profit_fen(self) -> int | None:
        """Money − cost − shipping; None when a price is missing."""
        if self.cost_fen is None or self.shipping_fen is None:
            return None
        return self.money.net_fen - self.cost_fen - self.shipping_fen


@dataclass(frozen=True)
class PeriodProfit:
    """The figures of a day, a goods or the month."""

    key: object  #: the day (date), the goods id, or the month's first day
    name: str
    money: Money
    orders: int  #: orders settled
    cost_fen: int  #: known costs
    missing_cost: int  #: orders settled without a cost price
    shipping_fen: int
    missing_shipping: int
    ad_fen: int

    @property
    def profit_fen(self) -> int:
        """Money − known costs − known shipping − ad spend (see ``complete``)."""
        return self.money.net_fen - self.cost_fen - self.shipping_fen - self.ad_fen

    @property
    def complete(self) -> bool:
        """Every settled order had its cost and shipping price."""
        return not self.missing_cost and not self.missing_shipping


#: How many of the lowest-profit orders a report reads with its figures (the tab's first page).
FIRST_ORDERS = 2000


@dataclass(frozen=True)
class ProfitReport:
    """Profit of ``[start, end)``: the orders, the days, the goods and the total.

    An order's row is a plain tuple (order id, order_sn, at, income, refund, fee, compensation,
    other, settled (1 or 0), cost or None, shipping or None) that becomes an
    :class:`OrderProfit` only when asked for. The report holds the :data:`FIRST_ORDERS` rows of
    lowest profit (``first_rows``, what the tab shows); every order's row (``orders``, the
    exports, the 未填 lists; by order number) is read when first asked for, through
    ``load_rows``. Goods are by money, most first (then by goods id).
    """

    start: int
    end: int
    order_count: int  #: how many orders have lines in the range
    first_rows: tuple[tuple, ...] = field(repr=False, compare=False)  #: lowest profit first
    load_rows: Callable[[], Sequence[tuple]] = field(repr=False, compare=False)
    days: tuple[PeriodProfit, ...]
    goods: tuple[PeriodProfit, ...]
    total: PeriodProfit
    loose: Money  #: lines without an order (or naming an order the shop does not have)

    @classmethod
    def of_rows(
        cls, start: int, end: int, rows: Sequence[tuple], days: tuple[PeriodProfit, ...],
        goods: tuple[PeriodProfit, ...], total: PeriodProfit, loose: Money,
    ) -> ProfitReport:  # fmt: skip
        """A report over order rows already in memory."""
        rows = tuple(rows)
        first = tuple(heapq.nsmallest(FIRST_ORDERS, rows, key=_lowest_key))
        return cls(start, end, len(rows), first, lambda: rows, days, goods, total, loose)

    @cached_property
    def order_rows(self) -> tuple[tuple, ...]:
        """Every order's row (read once, when first asked for)."""
        return tuple(self.load_rows())

    @cached_property
    def orders(self) -> tuple[OrderProfit, ...]:
        """Every order with lines in the range."""
        return tuple(_order(r) for r in self.order_rows)

    def lowest(self, n: int) -> tuple[OrderProfit, ...]:
        """The ``n`` orders of lowest profit, those with a missing price first (then by number)."""
        if n <= len(self.first_rows) or len(self.first_rows) == self.order_count:
            rows = self.first_rows[:n]
        else:
            rows = heapq.nsmallest(n, self.order_rows, key=_lowest_key)
        return tuple(_order(r) for r in rows)

    def missing_cost_ids(self) -> tuple[int, ...]:
        """The orders settled in the range without a cost price (未填成本)."""
        return tuple(r[0] for r in self.order_rows if r[8] and r[9] is None)

    def missing_shipping_ids(self) -> tuple[int, ...]:
        """The orders settled in the range without a shipping price (未填运费)."""
        return tuple(r[0] for r in self.order_rows if r[8] and r[10] is None)


def _order(r: tuple) -> OrderProfit:
    return OrderProfit(r[0], r[1], r[2], Money(*r[3:8]), bool(r[8]), r[9], r[10])


def _lowest_key(r: tuple) -> tuple[bool, int, str]:
    """Missing a price first, then by profit, then by order number (as ``Range.lowest`` sorts)."""
    if r[9] is None or r[10] is None:
        return (False, 0, r[1])
    return (True, r[3] + r[4] + r[5] + r[6] + r[7] - r[9] - r[10], r[1])


def _split(total: int, weights: list[int]) -> list[int]:
    """``total`` in integer parts proportional to ``weights`` (largest remainder; sums exactly)."""
    s = sum(weights)
    if not weights:
        return []
    if s <= 0:
        return [total] + [0] * (len(weights) - 1)
    parts = [total * w // s for w in weights]
    rest = total - sum(parts)
    if not rest:
        return parts
    order = sorted(range(len(weights)), key=lambda i: -((total * weights[i]) % s))
    for i in order[: abs(rest)]:
        parts[i] += 1 if rest > 0 else -1
    return parts


def _bj_date(ts: int) -> date:
    return to_local(ts).date()


#: The end of time for :func:`price_facts` (every row).
_ALWAYS = 2**62


def price_facts(start: int = 0, end: int = _ALWAYS) -> int:
    """Price the billed orders with lines in ``[start, end)`` whose facts are out of date; how many.

    Triggers mark them (``data/schema_profit_facts.py``): a new bill's orders, and any write
    to an order, its items or parcels, a SKU's cost or weight. :func:`profit` runs this for its
    range before reading, so a report never reads a stale fact; a big bill's orders are priced
    month by month as they are first looked at. One write transaction, only when needed.
    """
    if not pq.has_dirty(start, end):
        return 0
    with write_transaction():
        return pq.price_dirty(start, end)


def profit(*, start: int, end: int, task: TaskContext | None = None) -> ProfitReport:
    """Profit per order, day and goods, and the total, of ``[start, end)``.

    SQLite prices and sums (``data/queries/profit.py``): each billed order's cost at payment,
    weight, courier and goods are stored on its rollup row (:func:`price_facts` brings them up
    to date first); one grouped read over the range's rows gives the days and the one-item
    orders' goods, with the shipping price applied there; Python splits only the orders with
    several items among their goods. The lowest-profit orders are read sorted; every order's
    row is read only when asked for (``ProfitReport.orders``).

    ``task`` hears the steps (pricing can take seconds right after a big bill import or a cost
    sheet) and may cancel between them.

    Raises:
        ValidationError: an empty or too long range.
        Cancelled: ``task`` was cancelled.
    """
    check_range(start, end)
    for attempt in range(_TRIES):
        if task is not None:
            task.report(0, 0, "正在核算成本和运费")
        price_facts(start, end)
        if task is not None:
            task.raise_if_cancelled()
            task.report(0, 0, "正在汇总利润")
        with read_snapshot():
            if attempt < _TRIES - 1 and pq.has_dirty(start, end):
                continue  # a write marked rows after they were priced: price them, read again
            bands = [r[1:] for r in q.shipping_rates()]
            rng = pq.Range(start, end, pq.across_order_sns(start, end), bands)
            day_goods = rng.day_goods_sums()
            first = rng.lowest(FIRST_ORDERS)
            many = rng.many_item_orders()
        break

    # goods id → [income, refund, fee, compensation, other, orders, cost, missing cost, shipping,
    # missing shipping, the first order number (its item names the goods)]
    goods: dict[int, list] = {}
    # day number (Beijing) → income, refund, fee, compensation, other, orders, cost, mc, ship, ms
    by_day: dict[int, list[int]] = {}
    loose = [0] * 5
    known = 0
    for dn, gid, first_sn, *v in day_goods:
        d = by_day.setdefault(dn, [0] * 10)
        for m in range(10):
            d[m] += v[m]
        known += v[10]
        for m in range(5):
            loose[m] += v[11 + m]
        if gid is None:
            continue
        g = goods.get(gid)
        if g is None:
            g = goods[gid] = [0] * 10 + [first_sn]
        elif first_sn < g[10]:
            g[10] = first_sn
        for m in range(10):
            g[m] += v[m]
    for _oid, sn, settled, inc, ref, fee, comp, other, ship, items_json in many:
        its = sorted(json.loads(items_json))  # by item id
        weights = [max(0, it[3]) for it in its]
        zeros = [0] * len(its)
        shares = [_split(v, weights) if v else zeros for v in (inc, ref, fee, comp, other, ship or 0)]
        counted: dict[int, list[bool]] = {}  # goods id → [missing cost, missing shipping] in this order
        for n, (_iid, gid, quantity, _amount, unit_cost) in enumerate(its):
            g = goods.get(gid)
            if g is None:
                g = goods[gid] = [0] * 10 + [sn]
            elif sn < g[10]:
                g[10] = sn
            for m in range(5):
                g[m] += shares[m][n]
            if settled:
                missing = counted.setdefault(gid, [False, False])
                if unit_cost is None:
                    missing[0] = True
                else:
                    g[6] += unit_cost * quantity
                if ship is None:
                    missing[1] = True
                else:
                    g[8] += shares[5][n]
        for gid, (no_cost, no_ship) in counted.items():  # an order counts once per goods
            g = goods[gid]
            g[5] += 1
            g[7] += no_cost
            g[9] += no_ship
    names = pq.goods_names({gid: g[10] for gid, g in goods.items()})

    first_day, last_day = _bj_date(start), _bj_date(end - 1)
    ad_days = {d.day: d.spend_fen for d in ads.spend_by_day(first=first_day, last=last_day)}
    ad_goods = ads.spend_by_goods(first=first_day, last=last_day)
    days: dict[date, list[int]] = {}
    for dn, v in by_day.items():
        days[date(1970, 1, 1) + timedelta(days=int(dn))] = v
    for dn, *m in q.loose_lines_by_day(start, end):
        v = days.setdefault(date(1970, 1, 1) + timedelta(days=int(dn)), [0] * 10)
        for k in range(5):
            v[k] += m[k]
    for d in ad_days:
        days.setdefault(d, [0] * 10)
    day_rows = tuple(
        PeriodProfit(d, d.isoformat(), Money(*v[:5]), v[5], v[6], v[7], v[8], v[9], ad_days.get(d, 0))
        for d, v in sorted(days.items(), reverse=True)
    )
    goods_rows = tuple(
        sorted(
            (
                PeriodProfit(
                    gid, names.get(gid, ""), Money(*g[:5]), g[5], g[6], g[7], g[8], g[9], ad_goods.get(gid, 0)
                )
                for gid, g in goods.items()
            ),
            key=lambda p: (-p.money.net_fen, p.key),
        )
    )  # fmt: skip
    total = PeriodProfit(
        first_day, "合计",
        sum((p.money for p in day_rows), Money()),
        sum(p.orders for p in day_rows), sum(p.cost_fen for p in day_rows),
        sum(p.missing_cost for p in day_rows),
        sum(p.shipping_fen for p in day_rows), sum(p.missing_shipping for p in day_rows),
        sum(ad_days.values()),
    )  # fmt: skip
    return ProfitReport(
        start, end, known, tuple(first), lambda: _every_order(start, end, bands), day_rows, goods_rows, total,
        Money(*loose),
    )  # fmt: skip


#: Reads of a range before :func:`profit` reads once more without checking for rows marked meanwhile.
_TRIES = 3


def _every_order(start: int, end: int, bands: list) -> list[tuple]:
    """Every order's row of the range (``ProfitReport.order_rows``), its facts priced first."""
    price_facts(start, end)
    with read_snapshot():
        return pq.Range(start, end, pq.across_order_sns(start, end), bands).orders()
