"""资金 对账: each order's money in the bills against the order, and the lists of what does not match.

**When an order should be settled.** The platform pays an order's income into the shop's
balance after the buyer confirms receipt (确认收货, ``order.signed_at``); its exact timing is
not documented (merchant-data.md §1.5/§12, and the sandbox settles at the moment of signing,
``sandbox/bills.py``). An order is therefore expected to be settled by ``signed_at`` +
``settlement_days`` days (a shop setting, default 3: one day for the daily bill to be
published plus room for a weekend). An order without an order-income line by then is listed as
未结算 — but only when the bills the shop holds cover every day from its signing to that
moment, else nothing can be said (未覆盖).

**Lists.** 未结算 (never settled when it should have been), 重复结算 (two or more
``0010002|交易收入-订单收入`` lines), 金额不符 (one settlement whose amount differs from the
order's 商家实收, ``merchant_receive_fen``: what the buyer paid plus the platform's discount),
and 无对应订单 (bill lines of the range naming an order number the shop does not have).

Orders are those signed in the range; their bill lines are counted whenever they occurred.
Both are read from covering indexes (``data/schema_funds_speed.py``); the per-order objects
are built only for the lists looked at (:class:`Reconciliation`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property

from pdd_desktop.common import clock
from pdd_desktop.data.queries import reconcile as q
from pdd_desktop.domain.errors import ValidationError
from pdd_desktop.services.settings import load_settings

DAY = 86_400
_MAX_RANGE_S = 400 * DAY

OK = "ok"
MISSING = "missing"
DOUBLE = "double"
AMOUNT = "amount"
PENDING = "pending"  #: not settled, not due yet
UNCOVERED = "uncovered"  #: not settled, due, but the bills do not cover the days
#: Status → Chinese.
STATUS_LABELS = {
    OK: "已结算",
    MISSING: "未结算",
    DOUBLE: "重复结算",
    AMOUNT: "金额不符",
    PENDING: "未到结算时间",
    UNCOVERED: "账单未覆盖",
}


@dataclass(frozen=True)
class OrderRecon:
    """One order's money: what the buyer paid, what the bills say."""

    order_id: int
    order_sn: str
    signed_at: int
    due_at: int  #: when its settlement should be in the bills
    paid_fen: int  #: 用户实付
    expected_fen: int  #: 商家实收 (what the settlement should be)
    settlements: int  #: order-income lines
    settled_fen: int  #: their sum
    income_fen: int  #: every income line of the order (settlement and others)
    refund_fen: int  #: negative
    fee_fen: int  #: tech-service fees net of returns (negative)
    compensation_fen: int  #: negative
    other_fen: int  #: marketing and other lines naming the order
    status: str

    @property
    def net_fen(self) -> int:
        """All the order's bill lines."""
        return self.income_fen + self.refund_fen + self.fee_fen + self.compensation_fen + self.other_fen

    @property
    def difference_fen(self) -> int:
        """Settled minus expected (0 when matched or not settled)."""
        return self.settled_fen - self.expected_fen if self.settlements else 0

    @property
    def status_label(self) -> str:
        """The status in Chinese."""
        return STATUS_LABELS[self.status]


@dataclass(frozen=True)
class OrphanCharge:
    """A bill line naming an order number the shop does not have."""

    line_id: int
    occurred_at: int
    order_sn: str
    amount_fen: int
    category: str
    description: str


@dataclass(frozen=True)
class Reconciliation:
    """The reconciliation of the orders signed in ``[start, end)``.

    The orders are kept as the query's rows plus their status (``order_rows``, ``statuses``);
    :class:`OrderRecon` objects are built only for what is looked at (``orders`` for all of
    them, :meth:`with_status` for one list): the counts and the problem lists, which the first
    screen shows, need no object per settled order.
    """

    start: int
    end: int
    now: int
    settlement_days: int
    order_rows: tuple[tuple, ...] = field(repr=False, compare=False)
    statuses: tuple[str, ...] = field(repr=False, compare=False)
    orphans: tuple[OrphanCharge, ...]

    @cached_property
    def orders(self) -> tuple[OrderRecon, ...]:
        """Every order signed in the range."""
        return tuple(self._recon(r, s) for r, s in zip(self.order_rows, self.statuses, strict=True))

    @cached_property
    def _counts(self) -> Counter:
        return Counter(self.statuses)

    @property
    def order_count(self) -> int:
        """How many orders were signed in the range."""
        return len(self.statuses)

    def _recon(self, r: tuple, status: str) -> OrderRecon:
        oid, sn, paid, expected, signed, n, settled, income, refund, fee, comp, other = r
        due = int(signed) + self.settlement_days * DAY
        return OrderRecon(
            oid, sn, int(signed), due, paid, expected, n, settled, income, refund, fee, comp, other, status
        )

    def with_status(self, status: str) -> tuple[OrderRecon, ...]:
        """The orders of one status."""
        if "orders" in self.__dict__:
            return tuple(o for o in self.orders if o.status == status)
        return tuple(
            self._recon(r, s) for r, s in zip(self.order_rows, self.statuses, strict=True) if s == status
        )

    @property
    def missing(self) -> tuple[OrderRecon, ...]:
        """未结算."""
        return self.with_status(MISSING)

    @property
    def doubled(self) -> tuple[OrderRecon, ...]:
        """重复结算."""
        return self.with_status(DOUBLE)

    @property
    def wrong_amount(self) -> tuple[OrderRecon, ...]:
        """金额不符."""
        return self.with_status(AMOUNT)

    def count(self, status: str) -> int:
        """How many orders have ``status``."""
        return self._counts[status]

    @property
    def problems(self) -> int:
        """Orders not matching plus charges with no order."""
        return self.count(MISSING) + self.count(DOUBLE) + self.count(AMOUNT) + len(self.orphans)


def _covered_days(spans: list[tuple[int, int]]) -> set[int]:
    days: set[int] = set()
    for a, b in spans:
        d, last = (int(a) + 28800) // DAY, (int(b) + 28800) // DAY
        days.update(range(d, last + 1))
    return days


def _status(settlements: int, settled: int, expected: int, due: int, now: int, covered, signed: int) -> str:
    if settlements >= 2:
        return DOUBLE
    if settlements == 1:
        return OK if settled == expected else AMOUNT
    if due > now:
        return PENDING
    first, last = (signed + 28800) // DAY, (due + 28800) // DAY
    if all(d in covered for d in range(first, last + 1)):
        return MISSING
    return UNCOVERED


def check_range(start: int, end: int) -> None:
    """Refuse an empty or too long range.

    Raises:
        ValidationError: in Chinese.
    """
    if end <= start:
        raise ValidationError("日期", "结束日期应晚于开始日期")
    if end - start > _MAX_RANGE_S:
        raise ValidationError("日期", "一次最多查看 400 天")


def reconcile(
    *, start: int, end: int, now: int | None = None, settlement_days: int | None = None
) -> Reconciliation:
    """Reconcile the orders signed in ``[start, end)`` and list the charges there with no order.

    Raises:
        ValidationError: an empty or too long range.
    """
    check_range(start, end)
    now = clock.now() if now is None else now
    days = load_settings().settlement_days if settlement_days is None else settlement_days
    rows = q.signed_orders(start, end)
    covered = _covered_days(q.bill_spans(start, end + (days + 1) * DAY))
    span = days * DAY
    statuses = tuple(_status(r[5], r[6], r[3], int(r[4]) + span, now, covered, int(r[4])) for r in rows)
    orphans = tuple(OrphanCharge(*r) for r in q.orphan_lines(start, end))
    return Reconciliation(start, end, now, days, tuple(rows), statuses, orphans)
