"""A table model for big lists: ids eager, rows fetched in blocks, columns prebuilt.

The model holds the ordered ids of the current query (a million ints is ~8 MB) and a cache of
display-ready rows keyed by id. Painting never waits for the database: ``data()`` for an
uncached row shows a placeholder and asks the *row loader* for the block of ids around it
(~200 ids, one query on the read lane); when the rows arrive the cells repaint. A refreshed
row keeps showing its old values until the new ones arrive. The first screen of a query comes
with its rows (``set_ids(ids, rows)``), so a new result never flashes placeholders. Without a
row loader (and for programmatic reads through :meth:`row_at`) blocks are fetched in place.
No proxy model sits on top: sorting and filtering re-run SQL and replace the id list.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QColor

from pdd_desktop.ui.i18n import tr

BLOCK = 200

Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class ColumnSpec:
    """One column: how to turn a row into text, and optional colour / alignment / tooltip."""

    key: str
    header: str
    text: Callable[[Any], str]
    width: int = 100
    align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
    color: Callable[[Any], QColor | None] | None = None
    tooltip: Callable[[Any], str] | None = None
    hidden_by_default: bool = False


class RowCacheTableModel(QAbstractTableModel):
    """Rows for ``ids`` come from ``fetch_rows(ids) -> list[row]``; each row has an ``id``."""

    def __init__(
        self, columns: Sequence[ColumnSpec], fetch_rows: Callable[[Sequence[int]], list[Any]], parent=None
    ):
        super().__init__(parent)
        self.columns = list(columns)
        self._fetch_rows = fetch_rows
        self._load_rows: Callable[[list[int], Callable[[list[Any]], None]], None] | None = None
        self._ids: list[int] = []
        self._rows: dict[int, Any] = {}
        self._stale: dict[int, Any] = {}  #: rows shown until their refetch arrives
        self._pending: set[int] = set()  #: ids asked of the row loader, not arrived yet
        self._requesting = False
        self._epoch = 0  #: bumped when cached rows become invalid; older loads are dropped
        self._placeholder = "…"

    def set_row_loader(self, load_rows: Callable[[list[int], Callable[[list[Any]], None]], None]) -> None:
        """Fetch row blocks asynchronously from now on.

        ``load_rows(ids, done)`` must call ``done(rows)`` later on the UI thread, or at once.
        """
        self._load_rows = load_rows

    # --- Qt model interface ---
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return tr(self.columns[section].header)
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return str(section + 1)
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        if role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ForegroundRole,
            Qt.ItemDataRole.TextAlignmentRole,
            Qt.ItemDataRole.ToolTipRole,
        ):
            return None
        column = self.columns[index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(column.align)
        row = self._row_for_paint(index.row())
        if row is None:
            return self._placeholder if role == Qt.ItemDataRole.DisplayRole else None
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(row)
        if role == Qt.ItemDataRole.ForegroundRole:
            return column.color(row) if column.color else None
        return column.tooltip(row) if column.tooltip else None

    def multiData(self, index: Index, span) -> None:
        """Every role of one cell in one call (Qt 6's item views ask this way when painting).

        One entry into Python per cell instead of one per role (~7) matters when a worker thread
        is busy: each entry has to win the interpreter lock back. Roles without a value are left
        cleared with ``clearData`` (the view reuses the span from cell to cell; setting None
        instead trips a reference-count bug in PySide6 6.12).
        """
        if not index.isValid():
            return
        column = self.columns[index.column()]
        row = None
        fetched = False
        for item in span:
            role = item.role()
            if role == Qt.ItemDataRole.TextAlignmentRole:
                item.setData(int(column.align))
                continue
            if role not in (
                Qt.ItemDataRole.DisplayRole,
                Qt.ItemDataRole.ForegroundRole,
                Qt.ItemDataRole.ToolTipRole,
            ):
                item.clearData()
                continue
            if not fetched:
                row, fetched = self._row_for_paint(index.row()), True
            if row is None:
                value = self._placeholder if role == Qt.ItemDataRole.DisplayRole else None
            elif role == Qt.ItemDataRole.DisplayRole:
                value = column.text(row)
            elif role == Qt.ItemDataRole.ForegroundRole:
                value = column.color(row) if column.color else None
            else:
                value = column.tooltip(row) if column.tooltip else None
            if value is None:
                item.clearData()
            else:
                item.setData(value)

    # --- ids and rows ---
    @property
    def ids(self) -> list[int]:
        """The ordered ids shown."""
        return self._ids

    def set_ids(self, ids: list[int], rows: Iterable[Any] = ()) -> None:
        """Show a new result, with the rows of its first screen when known.

        Cached rows are dropped, since a refresh usually means data changed; rows still on their
        way from the loader are ignored when they arrive.
        """
        self.beginResetModel()
        self._ids = list(ids)
        self._rows = {row.id: row for row in rows}
        self._stale.clear()
        self._forget_pending()
        self.endResetModel()

    def _forget_pending(self) -> None:
        self._pending.clear()
        self._epoch += 1

    def extend_ids(self, ids: list[int]) -> None:
        """Replace the list by a longer one that starts with the current ids (background load)."""
        n = len(self._ids)
        if ids[:n] != self._ids:
            self.set_ids(ids)
            return
        if len(ids) > n:
            self.beginInsertRows(QModelIndex(), n, len(ids) - 1)
            self._ids = list(ids)
            self.endInsertRows()

    def mark_stale(self, ids: Iterable[int] | None = None) -> None:
        """Forget cached rows (all, or some ids) so the next paint fetches fresh ones."""
        self._forget_pending()  # loads under way may carry the old values
        if ids is None:
            self._stale.update(self._rows)
            self._rows.clear()
        else:
            for i in ids:
                row = self._rows.pop(i, None)
                if row is not None:
                    self._stale[i] = row
        if self._ids:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._ids) - 1, len(self.columns) - 1))

    def row_at(self, position: int) -> Any | None:
        """The current row at ``position``, fetched in place (with its block) when not cached."""
        if not 0 <= position < len(self._ids):
            return None
        row_id = self._ids[position]
        row = self._rows.get(row_id)
        if row is None:
            self._store(self._fetch_rows(self._block_ids(position)))
            row = self._rows.get(row_id)
        return row

    def _block_ids(self, position: int) -> list[int]:
        """Uncached ids of the block around ``position``.

        A quarter of the block lies before the row and the rest after; near the end, all before.
        """
        start = max(0, min(position - BLOCK // 4, len(self._ids) - BLOCK))
        return [i for i in self._ids[start : start + BLOCK] if i not in self._rows]

    def _store(self, rows: Iterable[Any]) -> None:
        for row in rows:
            self._rows[row.id] = row
            self._stale.pop(row.id, None)

    def _row_for_paint(self, position: int) -> Any | None:
        """The row to paint at ``position``: cached, else stale or None while its block loads."""
        if self._load_rows is None:
            return self.row_at(position)
        if not 0 <= position < len(self._ids):
            return None
        row_id = self._ids[position]
        row = self._rows.get(row_id)
        if row is not None:
            return row
        if row_id not in self._pending:
            block = [i for i in self._block_ids(position) if i not in self._pending]
            self._pending.update(block)
            self._requesting = True
            try:
                epoch = self._epoch
                self._load_rows(block, lambda rows: self._on_rows_loaded(epoch, block, rows))
            finally:
                self._requesting = False
        return self._rows.get(row_id) or self._stale.get(row_id)

    def _on_rows_loaded(self, epoch: int, asked: list[int], rows: list[Any]) -> None:
        if epoch != self._epoch:
            return  # new ids or stale rows meanwhile: these may be old values; repaint asks again
        self._pending.difference_update(asked)
        self._store(rows)
        if self._requesting or not self._ids:
            return  # delivered inline, inside data(): the caller reads the cache next
        # Repaint only what is on screen: the view ignores changes outside its viewport.
        self.dataChanged.emit(self.index(0, 0), self.index(len(self._ids) - 1, len(self.columns) - 1))

    def position_of(self, row_id: int) -> int | None:
        """Row number of an id (linear scan; used for selection restore of a few ids)."""
        try:
            return self._ids.index(row_id)
        except ValueError:
            return None

    def cached_rows(self) -> int:
        """How many rows are cached (tests, memory checks)."""
        return len(self._rows)

    def pending_rows(self) -> int:
        """How many rows are being loaded (tests, benchmarks)."""
        return len(self._pending)


def selected_ids(model: RowCacheTableModel, selection: QItemSelectionModel) -> list[int]:
    """Ids of the selected rows, in table order."""
    rows = sorted({i.row() for i in selection.selectedRows()})
    return [model.ids[r] for r in rows if r < len(model.ids)]


def select_ids(model: RowCacheTableModel, selection: QItemSelectionModel, ids: Iterable[int]) -> int:
    """Select rows by id after a refresh (calibre's PreserveViewState idea); returns how many were found."""
    wanted = set(ids)
    if not wanted:
        return 0
    chosen = QItemSelection()
    found = 0
    for position, row_id in enumerate(model.ids):
        if row_id in wanted:
            chosen.select(model.index(position, 0), model.index(position, model.columnCount() - 1))
            found += 1
            if found == len(wanted):
                break
    selection.select(chosen, QItemSelectionModel.SelectionFlag.ClearAndSelect)
    return found
