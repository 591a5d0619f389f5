"""发货中心's selection, built once per change, and what the toolbar actions need of the page.

:class:`OrderSelection` is made from the table's selected row spans whenever the selection or the
list changes (:meth:`OrdersPage.selection`); the shipping and print actions read it instead of
re-deriving counts, ids and rows each. They depend on :class:`OrdersHost`, not on the page class.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property
from typing import Any, Protocol

from PySide6.QtCore import QItemSelectionModel

from pdd_desktop.services.orders import OrderFilter, OrderRow
from pdd_desktop.ui.pages.base import PageContext
from pdd_desktop.ui.pages.orders.view import OrdersPageView
from pdd_desktop.ui.table.row_cache_model import RowCacheTableModel

#: Above this many selected rows the rows are not fetched (guards are left to the services).
CHECK_LIMIT = 500


def merged_spans(ranges: Sequence[tuple[int, int]], row_count: int) -> tuple[tuple[int, int], ...]:
    """Selected (top, bottom) ranges merged into sorted, disjoint spans within ``row_count`` rows.

    Cheap even when a million rows are selected: one span per contiguous block.
    """
    last_row = row_count - 1
    spans: list[tuple[int, int]] = []
    for top, bottom in sorted(ranges):
        bottom = min(bottom, last_row)
        if top > bottom:
            continue
        if spans and top <= spans[-1][1] + 1:
            spans[-1] = (spans[-1][0], max(spans[-1][1], bottom))
        else:
            spans.append((top, bottom))
    return tuple(spans)


class OrderSelection:
    """The selected orders of the table at one moment: spans of row positions, and what follows.

    ``count`` and ``spans`` are exact and cheap; ``positions`` and ``ids`` are worked out on
    first use, ``rows`` and ``single`` on each use (the model caches rows). ``rows`` is None
    above :data:`CHECK_LIMIT` (not fetched); ``single`` is the row when exactly one order is
    selected (and its row is known).
    """

    def __init__(self, spans: tuple[tuple[int, int], ...], model: RowCacheTableModel) -> None:
        self.spans = spans
        self._model = model
        self._ids = model.ids
        #: How many orders are selected.
        self.count = sum(bottom - top + 1 for top, bottom in spans)

    @classmethod
    def of(cls, model: RowCacheTableModel, selection: QItemSelectionModel) -> OrderSelection:
        """The selection of ``selection`` over ``model``'s rows."""
        ranges = [(r.top(), r.bottom()) for r in selection.selection()]
        return cls(merged_spans(ranges, len(model.ids)), model)

    @classmethod
    def empty(cls, model: RowCacheTableModel) -> OrderSelection:
        """Nothing selected."""
        return cls((), model)

    @cached_property
    def positions(self) -> list[int]:
        """Row positions of the selected orders, in table order."""
        return [p for top, bottom in self.spans for p in range(top, bottom + 1)]

    @cached_property
    def ids(self) -> list[int]:
        """Ids of the selected orders, in table order."""
        return [self._ids[p] for p in self.positions]

    @property
    def rows(self) -> list[OrderRow] | None:
        """Display rows of the selected orders, read now (cached rows, else fetched in blocks).

        None above :data:`CHECK_LIMIT`. Not memoized: after a write the model refetches rows.
        """
        if self.count > CHECK_LIMIT:
            return None
        return self.rows_at(self.positions)

    @property
    def single(self) -> OrderRow | None:
        """The one selected order's row (read now), or None when not exactly one is selected."""
        if self.count != 1:
            return None
        return self._model.row_at(self.spans[0][0])

    def rows_at(self, positions: Sequence[int]) -> list[OrderRow]:
        """The rows at ``positions`` (by position, never by id lookup); unknown rows are left out."""
        return [r for r in (self._model.row_at(p) for p in positions) if r is not None]


class OrdersHost(Protocol):
    """What the toolbar actions (:mod:`.actions`, :mod:`.print_actions`) use of 发货中心's page.

    The page is also the actions' Qt parent and the parent of their dialogs (a ``QWidget``).
    """

    ctx: PageContext
    view: OrdersPageView
    model: RowCacheTableModel
    relevant: tuple[str, ...]
    #: Orders the current filter finds (all tabs' counts come later than the first screen).
    total: int
    #: ``Signal(OrderSelection)``: the selection (or the rows under it) changed.
    selection_changed: Any
    #: ``Signal()``: a query's first screen is shown.
    results_shown: Any

    @property
    def selection(self) -> OrderSelection:
        """The current selection."""
        ...

    def isVisible(self) -> bool:
        """Whether the page is shown."""
        ...

    def refresh(self) -> None:
        """Run the filter again."""
        ...

    def current_filter(self) -> OrderFilter:
        """The filter the widgets describe."""
        ...

    def current_sort(self) -> str:
        """Key of the chosen sort order."""
        ...

    def show_message(self, text: str) -> None:
        """Show the outcome of the last action beside the toolbar."""
        ...

    def reload_detail(self, order_ids: Sequence[int]) -> None:
        """Read the detail pane again when it shows one of ``order_ids``."""
        ...
