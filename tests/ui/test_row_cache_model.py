"""The big-table model: painting never fetches in place once a row loader is set."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt

from pdd_desktop.ui.table.row_cache_model import BLOCK, ColumnSpec, RowCacheTableModel


@dataclass(frozen=True)
class Row:
    id: int
    text: str


class Source:
    """Rows from a dict; counts synchronous fetches and keeps asynchronous requests waiting."""

    def __init__(self, n: int) -> None:
        self.values = {i: f"v{i}" for i in range(1, n + 1)}
        self.sync_fetches = 0
        self.requests: list[tuple[list[int], object]] = []

    def fetch(self, ids):
        self.sync_fetches += 1
        return [Row(i, self.values[i]) for i in ids]

    def load(self, ids, done):
        self.requests.append((list(ids), done))

    def deliver(self, k: int = 0) -> None:
        ids, done = self.requests.pop(k)
        done([Row(i, self.values[i]) for i in ids])


def make(n: int = 1000):
    src = Source(n)
    model = RowCacheTableModel([ColumnSpec("text", "值", lambda r: r.text)], src.fetch)
    model.set_row_loader(src.load)
    model.set_ids(list(range(1, n + 1)))
    return src, model


def shown(model, position: int):
    return model.data(model.index(position, 0), Qt.ItemDataRole.DisplayRole)


def test_painting_asks_the_loader_and_repaints_when_rows_arrive(qtbot):
    src, model = make()
    assert shown(model, 500) == "…"
    assert src.sync_fetches == 0 and len(src.requests) == 1
    asked = src.requests[0][0]
    assert len(asked) == BLOCK and 500 + 1 in asked  # ids are position + 1
    assert shown(model, 501) == "…" and len(src.requests) == 1  # same block: asked once
    with qtbot.waitSignal(model.dataChanged):
        src.deliver()
    assert shown(model, 500) == "v501" and model.pending_rows() == 0


def test_the_block_near_the_end_reaches_back(qtbot):
    src, model = make()
    shown(model, 999)
    assert src.requests[0][0] == list(range(1000 - BLOCK + 1, 1001))


def test_first_screen_rows_come_with_the_ids(qtbot):
    src, model = make()
    model.set_ids([3, 2, 1], [Row(3, "c"), Row(2, "b"), Row(1, "a")])
    assert [shown(model, i) for i in range(3)] == ["c", "b", "a"]
    assert not src.requests and not src.sync_fetches


def test_a_stale_row_keeps_its_old_value_until_the_new_one_arrives(qtbot):
    src, model = make()
    shown(model, 10)
    src.deliver()
    src.values[11] = "new"
    model.mark_stale([11])
    assert shown(model, 10) == "v11"  # old value, no placeholder flash
    assert len(src.requests) == 1
    src.deliver()
    assert shown(model, 10) == "new"


def test_loads_started_before_new_ids_or_stale_marks_are_dropped(qtbot):
    src, model = make()
    shown(model, 10)
    src.values[11] = "changed"
    model.mark_stale()  # the load under way may carry the old value
    src.deliver()
    assert model.cached_rows() == 0
    assert shown(model, 10) == "…"  # never cached before: nothing stale to show
    src.deliver()
    assert shown(model, 10) == "changed"
    shown(model, 700)
    model.set_ids([5])
    src.deliver()
    assert model.cached_rows() == 0 and shown(model, 0) == "…"


def test_an_inline_loader_serves_the_same_paint(qtbot):
    src = Source(10)
    model = RowCacheTableModel([ColumnSpec("text", "值", lambda r: r.text)], src.fetch)
    model.set_row_loader(lambda ids, done: done(src.fetch(ids)))
    model.set_ids(list(range(1, 11)))
    assert shown(model, 4) == "v5" and src.sync_fetches == 1


def test_row_at_reads_in_place_for_code_that_needs_the_row_now(qtbot):
    src, model = make()
    assert model.row_at(42).text == "v43"
    assert src.sync_fetches == 1 and not src.requests


def test_multidata_fills_each_cell_and_clears_what_a_cell_does_not_have(qtbot):
    """Views reuse one role buffer from cell to cell: a colour must not leak to the next cell."""
    from PySide6.QtCore import QModelRoleData, QModelRoleDataSpan
    from PySide6.QtGui import QColor

    red = QColor("red")
    src = Source(10)
    model = RowCacheTableModel(
        [
            ColumnSpec("text", "值", lambda r: r.text, color=lambda r: red),
            ColumnSpec("plain", "无色", lambda r: r.text.upper()),
        ],
        src.fetch,
    )
    model.set_ids(list(range(1, 11)))
    foreground = QModelRoleData(int(Qt.ItemDataRole.ForegroundRole))
    display = QModelRoleData(int(Qt.ItemDataRole.DisplayRole))
    model.multiData(model.index(0, 0), QModelRoleDataSpan(foreground))
    model.multiData(model.index(0, 0), QModelRoleDataSpan(display))
    assert foreground.data() == red and display.data() == "v1"
    model.multiData(model.index(0, 1), QModelRoleDataSpan(foreground))
    model.multiData(model.index(0, 1), QModelRoleDataSpan(display))
    assert foreground.data() is None and display.data() == "V1"
