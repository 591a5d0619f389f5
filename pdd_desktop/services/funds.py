"""资金 reads: the ledger of the imported and synced bills (balance, by category, by day, the lines).

There is no balance API (pdd-open-api.md §7), so the balance shown is the net of every bill line
the shop holds up to the end of the range: exact when every day since the shop's first bill is
covered, which ``covered_days`` lets the page say.

:func:`missing_cost_skus` names the SKUs behind 利润's 未填成本 orders, for 商品 to open.
"""

from __future__ import annotations

from dataclasses import dataclass

from pdd_desktop.data.queries import funds as q
from pdd_desktop.domain import funds as fd
from pdd_desktop.domain.errors import ValidationError
from pdd_desktop.services import cost_history

#: Lines a list shows at most (the count says how many there are in all).
ROW_LIMIT = 2000
_MAX_RANGE_S = 400 * 86400


@dataclass(frozen=True)
class CategoryTotal:
    """One category's figures in a range."""

    category: str
    label: str
    lines: int
    income_fen: int
    expense_fen: int
    in_profit: bool

    @property
    def net_fen(self) -> int:
        """Income plus expenses (expenses are negative)."""
        return self.income_fen + self.expense_fen


@dataclass(frozen=True)
class DayTotal:
    """One Beijing day's figures."""

    day_start: int  #: UTC epoch of the Beijing midnight
    lines: int
    income_fen: int
    expense_fen: int

    @property
    def net_fen(self) -> int:
        """Income plus expenses."""
        return self.income_fen + self.expense_fen


@dataclass(frozen=True)
class LedgerOverview:
    """The 资金 page's figures for a range."""

    start: int
    end: int
    balance_fen: int  #: net of every bill line before ``end``
    categories: tuple[CategoryTotal, ...]  #: every category, in the page's order (zeros included)
    days: tuple[DayTotal, ...]  #: newest first, only days with lines
    days_in_range: int
    covered_days: int  #: days of the range some bill covers

    @property
    def income_fen(self) -> int:
        """All money in (every category)."""
        return sum(c.income_fen for c in self.categories)

    @property
    def expense_fen(self) -> int:
        """All money out (negative)."""
        return sum(c.expense_fen for c in self.categories)

    @property
    def operating_fen(self) -> int:
        """The net of the categories counted in profit (transfers, withdrawals, 未分类 left out)."""
        return sum(c.net_fen for c in self.categories if c.in_profit)


@dataclass(frozen=True)
class LedgerRow:
    """One bill line."""

    id: int
    occurred_at: int
    order_sn: str
    amount_fen: int
    category: str
    description: str
    account_type: str
    remark: str

    @property
    def category_label(self) -> str:
        """The category's Chinese name."""
        return fd.label(self.category)


def _check_range(start: int, end: int) -> None:
    if end <= start:
        raise ValidationError("日期", "结束日期应晚于开始日期")
    if end - start > _MAX_RANGE_S:
        raise ValidationError("日期", "一次最多查看 400 天")


def _check_category(category: str | None) -> None:
    if category and category not in fd.BY_KEY:
        raise ValidationError("类别", f"没有这个类别：{category}")


def ledger_overview(*, start: int, end: int, category: str | None = None) -> LedgerOverview:
    """Balance, every category's totals and the days (of ``category``, or all) in ``[start, end)``.

    Raises:
        ValidationError: an empty or too long range, or an unknown category.
    """
    _check_range(start, end)
    _check_category(category)
    found = {c: (n, inc, exp) for c, n, inc, exp in q.by_category(start, end)}
    categories = tuple(
        CategoryTotal(c.key, c.label, *found.get(c.key, (0, 0, 0)), c.in_profit) for c in fd.CATEGORIES
    )
    days = tuple(
        DayTotal(d * 86400 - 28800, n, inc, exp) for d, n, inc, exp in q.by_day(start, end, category)
    )
    return LedgerOverview(
        start=start,
        end=end,
        balance_fen=q.balance(end),
        categories=categories,
        days=days,
        days_in_range=(end - start + 86399) // 86400,
        covered_days=q.covered_days(start, end),
    )


def ledger_rows(
    *, start: int, end: int, category: str | None = None, order_sn: str | None = None, limit: int = ROW_LIMIT
) -> tuple[list[LedgerRow], int]:
    """The lines behind a figure (newest first, at most ``limit``) and their total count.

    Raises:
        ValidationError: an empty or too long range, or an unknown category.
    """
    _check_range(start, end)
    _check_category(category)
    found, total = q.rows(
        start, end, category=category, order_sn=(order_sn or "").strip() or None, limit=limit
    )
    return [LedgerRow(*r) for r in found], total


@dataclass(frozen=True)
class MissingCostSkus:
    """The SKUs without a cost price in a set of orders (利润's 去填成本)."""

    sku_ids: tuple[int, ...]  #: in 商品, cost unknown at the order's payment; ascending
    not_in_goods: int  #: SKUs of those orders that 商品 does not hold (no cost can be entered)


def missing_cost_skus(order_ids: tuple[int, ...] | list[int]) -> MissingCostSkus:
    """The SKUs of ``order_ids`` whose cost price is unknown at their order's payment.

    The same rule as 利润 (``services/profit.py``): an item is priced at the cost in force at its
    order's ``paid_at`` (``services.cost_history.cost_prices_at``), so a SKU listed here is one
    that makes some of these orders 未填成本. SKUs the shop's 商品 does not hold (an order for
    goods since deleted) are counted apart: 商品 cannot show them.
    """
    ids = sorted({int(i) for i in order_ids})
    if not ids:
        return MissingCostSkus((), 0)
    items = q.order_item_skus(ids)
    costs = cost_history.cost_prices_at((s, t) for s, t, _known in items)
    missing = {s for s, t, known in items if known and costs[(s, t)] is None}
    absent = {s for s, _t, known in items if not known}
    return MissingCostSkus(tuple(sorted(missing)), len(absent))
