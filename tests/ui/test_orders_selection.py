"""发货中心's selection object: spans, count, ids, rows, single; copying reads rows by position."""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, QItemSelectionModel
from PySide6.QtGui import QGuiApplication

from pdd_desktop.services.orders import OrderFilter
from pdd_desktop.ui.pages.orders.selection import CHECK_LIMIT, OrderSelection, merged_spans
from tests.helpers.pages import page_fixture

page = page_fixture("orders")


def _select(page, *rows: int) -> None:
    chosen = QItemSelection()
    last = page.model.columnCount() - 1
    for r in rows:
        chosen.select(page.model.index(r, 0), page.model.index(r, last))
    page.view.table.selectionModel().select(chosen, QItemSelectionModel.SelectionFlag.ClearAndSelect)


def test_spans_are_merged_sorted_and_clamped():
    assert merged_spans([(5, 6), (0, 1), (2, 3), (9, 20)], 12) == ((0, 3), (5, 6), (9, 11))
    assert merged_spans([(4, 8), (5, 6)], 100) == ((4, 8),)
    assert merged_spans([(30, 40)], 10) == ()


def test_selection_is_rebuilt_on_each_change(page):
    seen = []
    page.selection_changed.connect(seen.append)
    _select(page, 1, 2, 5)
    sel = page.selection
    assert seen and seen[-1] is sel
    assert sel.count == 3 and sel.spans == ((1, 2), (5, 5)) and sel.positions == [1, 2, 5]
    assert sel.ids == [page.model.ids[p] for p in (1, 2, 5)] == page.selected_order_ids()
    assert [r.id for r in sel.rows] == sel.ids and sel.single is None
    _select(page, 4)
    assert page.selection.single.id == page.model.ids[4] and page.selection.count == 1
    page.view.table.clearSelection()
    assert page.selection.count == 0 and page.selection.ids == [] and page.selection.rows == []


def test_rows_are_not_fetched_above_the_check_limit(page):
    page.set_filter(OrderFilter(view="all"))
    assert len(page.model.ids) > CHECK_LIMIT
    page.view.table.selectAll()
    sel = page.selection
    assert sel.count == len(page.model.ids) and sel.rows is None and sel.single is None


def test_copy_reads_the_selected_rows_by_position(page, monkeypatch):
    _select(page, 2, 3)
    expected = [page.model.row_at(2).order_sn, page.model.row_at(3).order_sn]
    # An id the model cannot place (its list moved on) used to copy row 0 instead.
    monkeypatch.setattr(page.model, "position_of", lambda _id: None)
    text = page.copy_order_numbers()
    assert text.splitlines() == expected
    assert page.model.row_at(0).order_sn not in text.splitlines()
    assert QGuiApplication.clipboard().text() == text


def test_actions_follow_the_selection_object(page):
    _select(page, 0)
    status = page.actions.status_label.text()
    assert status == "已选 1 单" or status.startswith(f"{page.selection.single.order_sn}：")
    assert page.print_actions.invoice_action.isEnabled()
    _select(page, 0, 1)
    assert page.actions.status_label.text() == "已选 2 单"
    assert not page.actions.ship_action.isEnabled() and not page.print_actions.invoice_action.isEnabled()
    assert page.print_actions.label_action.isEnabled()
    reasons = {rule.action: rule.reason for rule in page.actions.rules(page.selection)}
    assert reasons[page.actions.ship_action] == "发货一次只能选一个订单；多个订单请用批量发货或扫描发货"
    assert reasons[page.actions.merge_action] is None


def test_an_empty_selection(page):
    sel = OrderSelection.empty(page.model)
    assert sel.count == 0 and sel.ids == [] and sel.single is None
