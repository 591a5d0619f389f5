"""成本价历史: a SKU's cost price over time, the one place profit and margin code asks for costs.

Every path that changes ``sku.cost_price_fen`` calls :func:`record_change` in the same write
transaction (the edit and bulk-edit dialogs in ``services.goods_local``, the goods sheet
import in ``services.import_goods``, inbound receipts at a moving average in
``services.stock``, the demo shop). Upgraded shops start with one ``initial`` row per SKU with
a known cost (schema step ``schema_goods_cost``).

The cost **at** a time (:func:`cost_price_at`, :func:`cost_prices_at`, and in SQL
``data.queries.cost_history.cost_at_sql``):

- the newest row at or before the time (two rows in the same second: the later written);
- before a SKU's first row, that first row's cost (the merchant usually enters a cost after
  the first sales; it is the best known cost for them);
- a SKU without any row: its current ``sku.cost_price_fen`` (a SKU that never had a cost has
  None);
- None means unknown (never entered, or cleared from that time on): callers show 未知成本
  rather than count it as 0.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from pdd_desktop.data.models import CostPriceHistory
from pdd_desktop.data.queries import cost_history as q

SOURCE_LABELS = {
    CostPriceHistory.SOURCE_INITIAL: "初始成本",
    CostPriceHistory.SOURCE_EDIT: "手动修改",
    CostPriceHistory.SOURCE_IMPORT: "表格导入",
    CostPriceHistory.SOURCE_INBOUND: "入库均价",
}
#: How many changes the SKU dialog shows.
HISTORY_SHOWN = 50


@dataclass(frozen=True)
class CostChange:
    """One row of a SKU's cost history, as the edit dialog shows it."""

    changed_at: int  #: UTC epoch seconds
    cost_price_fen: int | None  #: None = cleared (unknown from then on)
    source: str  #: ``CostPriceHistory.SOURCE_*``
    note: str

    @property
    def source_label(self) -> str:
        """Where the change came from, in Chinese."""
        return SOURCE_LABELS.get(self.source, self.source)


def record_change(sku_id: int, cost_fen: int | None, *, source: str, at: int, note: str = "") -> None:
    """Write one history row; call inside the write transaction that changes the cost.

    Args:
        sku_id: the SKU whose ``cost_price_fen`` now is ``cost_fen``.
        cost_fen: the new cost in fen, None when cleared.
        source: one of ``CostPriceHistory.SOURCE_*``.
        at: when (UTC epoch seconds), the transaction's ``clock.now()``.
        note: a short note (the file name of an import, the receipt of an inbound).
    """
    if source not in SOURCE_LABELS:
        raise ValueError(f"unknown cost history source {source!r}")
    q.insert(int(sku_id), int(at), None if cost_fen is None else int(cost_fen), source, note[:200])


def cost_history(sku_id: int, limit: int = HISTORY_SHOWN) -> list[CostChange]:
    """A SKU's cost changes, newest first (at most ``limit``)."""
    return [CostChange(int(r[0]), r[1], r[2], r[3]) for r in q.sku_history(int(sku_id), int(limit))]


def _pick(rows: list[tuple[int, int, int | None]], times: list[int], at: int) -> int | None:
    k = bisect_right(times, at)
    return rows[k - 1][2] if k else rows[0][2]


def cost_picker(sku_ids: Iterable[int]) -> Callable[[int, int, int | None], int | None]:
    """A function ``(sku_id, at, current cost) -> cost price at ``at````, the history read once.

    For pricing many order lines (利润): the history of ``sku_ids`` is read in one pass, and
    each lookup is a bisection, by the same rule as :func:`cost_prices_at`; ``current`` is the
    SKU's current cost (``sku.cost_price_fen``, None for an unknown SKU), used when it has no
    history.
    """
    history = q.history_rows(list(sku_ids))
    times = {s: [r[0] for r in rows] for s, rows in history.items()}
    constant = {s: rows[0][2] for s, rows in history.items() if len({r[2] for r in rows}) == 1}

    def pick(sku_id: int, at: int, current: int | None) -> int | None:
        if sku_id in constant:
            return constant[sku_id]
        rows = history.get(sku_id)
        return _pick(rows, times[sku_id], at) if rows else current

    return pick


def cost_price_at(sku_id: int, at: int) -> int | None:
    """The cost price (fen) of a SKU at a time (UTC epoch seconds); None = unknown.

    The rule is in the module docstring. For many lookups use :func:`cost_prices_at` (one
    query per 500 SKUs instead of one per lookup).
    """
    return cost_prices_at([(sku_id, at)])[(int(sku_id), int(at))]


def cost_prices_at(pairs: Iterable[tuple[int, int]]) -> dict[tuple[int, int], int | None]:
    """The cost price (fen, None = unknown) for each ``(sku_id, at)`` pair.

    Args:
        pairs: ``(sku_id, at)`` with ``at`` in UTC epoch seconds; repeats are fine.

    Returns:
        ``{(sku_id, at): cost_fen}`` for every distinct pair (an unknown SKU gives None).
    """
    wanted = list(dict.fromkeys((int(s), int(t)) for s, t in pairs))
    skus = [s for s, _ in wanted]
    history = q.history_rows(skus)
    missing = [s for s in dict.fromkeys(skus) if s not in history]
    current = q.current_costs(missing) if missing else {}
    times = {s: [r[0] for r in rows] for s, rows in history.items()}
    out: dict[tuple[int, int], int | None] = {}
    for sku_id, at in wanted:
        rows = history.get(sku_id)
        out[(sku_id, at)] = _pick(rows, times[sku_id], at) if rows else current.get(sku_id)
    return out
