"""发货中心 list: driven like a user, checked against the database."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QGuiApplication

from tests.conftest import DEMO_NOW
from tests.helpers.db import raw_rows as _db_rows
from tests.helpers.pages import page_fixture

page = page_fixture("orders", lambda p: p.model.ids is not None)


def _shown_sns(page):
    return [page.model.row_at(i).order_sn for i in range(page.model.rowCount())]


def test_opens_on_to_ship_sorted_by_urgency(page, demo_shop):
    expected = [
        sn
        for sn, _ in sorted(
            _db_rows(demo_shop.db_file, 'SELECT order_sn, ship_deadline_at FROM "order" WHERE status = 1'),
            key=lambda r: r[1],
        )
    ]
    assert page.view.tabs.tabText(page.view.tabs.currentIndex()).startswith("待发货")
    assert _shown_sns(page) == expected
    assert page.view.count_label.text() == f"共 {len(expected):,} 单"


def test_home_counter_opens_the_matching_list(qtbot, window, demo_shop):
    home = window.page("home")
    qtbot.mouseClick(home.view.counters["overdue"], Qt.MouseButton.LeftButton)
    assert window.current_key() == "orders"
    page = window.page("orders")
    overdue = _db_rows(
        demo_shop.db_file,
        'SELECT order_sn FROM "order" WHERE status = 1 AND ship_deadline_at < ?',
        (DEMO_NOW,),
    )
    assert sorted(_shown_sns(page)) == sorted(r[0] for r in overdue) and overdue
    assert page.view.tabs.tabData(page.view.tabs.currentIndex()) == "overdue"
    assert home.view.counters["overdue"].value_text == str(len(overdue))
    # Overdue rows show a red countdown.
    column = [c.key for c in page.model.columns].index("countdown")
    assert page.model.index(0, column).data().startswith("已超时")


def test_logistics_counter_opens_the_overview_with_its_parcels(qtbot, window, demo_shop):
    home = window.page("home")
    page = window.page("orders")
    assert page.sections.currentWidget() is page.view
    qtbot.mouseClick(home.view.counters["logistics_problems"], Qt.MouseButton.LeftButton)
    assert window.current_key() == "orders"
    assert page.sections.currentWidget() is page.logistics
    assert page.logistics.overview is not None and page.logistics.problem_filter == ("no_pickup", None)
    assert page.logistics.problem_table.rowCount() == min(page.logistics.overview.totals.no_pickup, 500)
    # Another counter brings the order list back.
    window.show_page("home")
    qtbot.mouseClick(home.view.counters["overdue"], Qt.MouseButton.LeftButton)
    assert page.sections.currentWidget() is page.view


def test_logistics_section_loads_when_opened_and_again_after_changes(qtbot, page):
    calls = []
    page.logistics.refresh = lambda: calls.append(1)
    page.refresh()
    assert calls == []  # hidden: not computed
    page.sections.setCurrentWidget(page.logistics)
    assert calls == [1]
    page.sections.setCurrentWidget(page.view)
    page.sections.setCurrentWidget(page.logistics)
    assert calls == [1]  # nothing changed meanwhile
    from pdd_desktop.common.changes import Changes

    page.ctx.events.changes_applied.emit(Changes(shipments=True), None)
    assert calls == [1, 1]


def test_tab_counts_and_switching(qtbot, page, demo_shop):
    tabs = page.view.tabs
    all_index = next(i for i in range(tabs.count()) if tabs.tabData(i) == "all")
    total = _db_rows(demo_shop.db_file, 'SELECT COUNT(*) FROM "order"')[0][0]
    assert tabs.tabText(all_index) == f"全部 {total:,}"
    tabs.setCurrentIndex(all_index)
    assert page.total == total
    # The whole id list arrives (first screen, then the rest in the background job).
    assert len(page.model.ids) == total


def test_order_number_fragment_and_combined_filters(qtbot, page, demo_shop):
    sn = _db_rows(demo_shop.db_file, 'SELECT order_sn FROM "order" WHERE status = 1 LIMIT 1')[0][0]
    fragment = sn[-6:-1]
    qtbot.keyClicks(page.view.order_sn_edit, fragment)
    qtbot.keyClick(page.view.order_sn_edit, Qt.Key.Key_Return)
    expected = _db_rows(
        demo_shop.db_file,
        'SELECT order_sn FROM "order" WHERE status = 1 AND instr(order_sn, ?) > 0',
        (fragment,),
    )
    assert sorted(_shown_sns(page)) == sorted(r[0] for r in expected)
    assert sn in _shown_sns(page)
    # Typing also updates the count on its own after the pause.
    page.view.order_sn_edit.clear()
    qtbot.keyClicks(page.view.order_sn_edit, "NO-SUCH")
    qtbot.waitUntil(lambda: page.view.count_label.text() == "共 0 单", timeout=3000)


def test_sort_by_amount(qtbot, window, page, demo_shop):
    tabs = page.view.tabs
    tabs.setCurrentIndex(next(i for i in range(tabs.count()) if tabs.tabData(i) == "shipped"))
    page.view.sort_combo.setCurrentIndex(page.view.sort_combo.findData("amount_desc"))
    amounts = [page.model.row_at(i).pay_amount_fen for i in range(page.model.rowCount())]
    assert amounts == sorted(amounts, reverse=True) and len(amounts) > 5


def test_selection_detail_reveal_and_copy(qtbot, page, demo_shop):
    table = page.view.table
    with qtbot.waitSignal(page.detail_shown):
        table.selectRow(0)
    row = page.model.row_at(0)
    html = page.view.detail.toPlainText()
    assert row.order_sn in html and "商品" in html and "金额" in html
    phone = _db_rows(demo_shop.db_file, 'SELECT receiver_phone FROM "order" WHERE id = ?', (row.id,))[0][0]
    assert phone not in html and row.receiver_phone_mask
    qtbot.mouseClick(page.view.reveal_button, Qt.MouseButton.LeftButton)
    assert phone in page.view.detail.toPlainText()
    audit = _db_rows(
        demo_shop.db_file, "SELECT action, order_id FROM audit_log WHERE action = 'reveal_receiver'"
    )
    assert audit == [("reveal_receiver", row.id)]
    # Multi-select and copy order numbers.
    sel = table.selectionModel()
    sel.select(
        page.model.index(1, 0),
        QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
    )
    text = page.copy_order_numbers()
    assert text.splitlines() == [page.model.row_at(0).order_sn, page.model.row_at(1).order_sn]
    assert QGuiApplication.clipboard().text() == text


def test_selection_is_kept_by_id_across_refresh(page):
    table = page.view.table
    table.selectRow(2)
    chosen = page.selected_order_ids()
    page.refresh()
    assert page.selected_order_ids() == chosen


def test_column_chooser_hides_and_remembers(qtbot, window, page):
    column = [c.key for c in page.model.columns].index("buyer")
    page.set_column_visible(column, False)
    assert page.view.table.isColumnHidden(column)
    from pdd_desktop.ui.pages.orders.page import OrdersPage

    again = OrdersPage(page.ctx)
    qtbot.addWidget(again)
    assert again.view.table.isColumnHidden(column)
    page.set_column_visible(column, True)


def test_saved_filter_round_trip(qtbot, page):
    page.view.memo_edit.insert("尽快")  # QTest cannot type non-ASCII keys
    page.view.flag_combo.setCurrentIndex(page.view.flag_combo.findData(1))
    page.save_current_filter("加急红旗")
    page.reset_filters()
    assert page.view.memo_edit.text() == "" and page.view.flag_combo.currentData() is None
    combo = page.view.saved_combo
    index = combo.findText("加急红旗")
    assert index > 0
    combo.setCurrentIndex(index)
    combo.activated.emit(index)
    f = page.current_filter()
    assert (f.memo, f.flag) == ("尽快", 1)


def test_edit_seller_memo_and_flag_from_the_detail_pane(qtbot, page, demo_shop):
    from pdd_desktop.ui.pages.orders.dialogs import MemoDialog

    page.view.table.setCurrentIndex(page.model.index(0, 0))
    order_id = page.model.ids[0]
    assert page.view.memo_button.isEnabled()
    qtbot.mouseClick(page.view.memo_button, Qt.MouseButton.LeftButton)
    dlg = page.memo_dialog
    assert isinstance(dlg, MemoDialog) and dlg.isVisible()
    dlg.flag_combo.setCurrentIndex(dlg.flag_combo.findData(2))
    dlg.memo_edit.setPlainText("少一件，已联系买家")
    qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    sql = 'SELECT seller_memo, flag, pending_ops FROM "order" WHERE id = ?'
    rows = _db_rows(demo_shop.db_file, sql, (order_id,))
    assert rows[0][:2] == ("少一件，已联系买家", 2) and rows[0][2] >= 1
    ops = _db_rows(demo_shop.db_file, "SELECT op_type, state FROM outbox WHERE op_type = 'set_memo'")
    assert ops == [("set_memo", "pending")]
    # The row and the detail pane show the new memo at once.
    column = [c.key for c in page.model.columns].index("seller_memo")
    assert page.model.index(0, column).data() == "少一件，已联系买家"
    assert "少一件，已联系买家" in page.view.detail.toPlainText()
    # Too long: OK is disabled and nothing is written.
    qtbot.mouseClick(page.view.memo_button, Qt.MouseButton.LeftButton)
    page.memo_dialog.memo_edit.setPlainText("长" * 301)
    assert not page.memo_dialog.ok_button.isEnabled()
