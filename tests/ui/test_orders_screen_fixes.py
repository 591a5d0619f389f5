"""发货中心 at the default 1280×800 window: messages, columns, detail pane, dates, saved filters."""

from __future__ import annotations

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QMessageBox

from pdd_desktop.common.timefmt import local_date_start
from pdd_desktop.services import orders
from pdd_desktop.services.orders import OrderFilter
from pdd_desktop.ui.pages.orders.columns import ORDER_COLUMNS
from pdd_desktop.ui.pages.orders.dialogs import ShipDialog
from pdd_desktop.ui.table.row_cache_model import select_ids
from tests.conftest import DEMO_NOW
from tests.helpers.db import one, q
from tests.helpers.db import raw_rows as _db_rows
from tests.helpers.pages import page_fixture

page = page_fixture("orders", lambda p: p.model.ids is not None, size=(1280, 800))
COLUMN = {c.key: i for i, c in enumerate(ORDER_COLUMNS)}


def _to_ship_id() -> int:
    return q('SELECT id FROM "order" WHERE status = 1 AND refund_status = 1 ORDER BY id LIMIT 1')[0][0]


def _sn(order_id: int) -> str:
    return one('SELECT order_sn FROM "order" WHERE id = ?', order_id)[0]


def _select(page, order_id: int) -> None:
    assert select_ids(page.model, page.view.table.selectionModel(), [order_id]) == 1
    page.view.table.setCurrentIndex(page.model.index(page.model.position_of(order_id), 0))


def test_every_toolbar_action_and_the_message_line_are_visible_at_1280(qtbot, page):
    toolbar = page.view.toolbar
    for action in toolbar.actions():
        if action.isSeparator():
            continue
        widget = toolbar.widgetForAction(action)
        assert widget is not None and widget.isVisible(), f"{action.text()} is in the toolbar's overflow"
        assert widget.geometry().right() <= toolbar.contentsRect().right()
    # The texts live under the toolbar, not in it.
    assert page.view.toolbar.isAncestorOf(page.actions.message_label) is False
    assert page.view.toolbar.isAncestorOf(page.actions.status_label) is False
    blocked = q('SELECT id FROM "order" WHERE status = 1 AND refund_status = 3 LIMIT 1')
    oid = blocked[0][0] if blocked else _to_ship_id()
    if not blocked:
        from pdd_desktop.data.db import database

        database.execute_sql('UPDATE "order" SET refund_status = 3 WHERE id = ?', (oid,))
    page.set_filter(OrderFilter(view="all", order_sn=_sn(oid)))
    _select(page, oid)
    status = page.actions.status_label
    assert status.isVisible() and "退款中" in status.text() and _sn(oid) in status.text()


def test_a_ship_is_confirmed_on_the_visible_message_line_and_the_detail_follows(qtbot, page):
    oid = _to_ship_id()
    page.set_filter(OrderFilter(view="to_ship"))
    _select(page, oid)
    qtbot.waitUntil(lambda: page._detail_id == oid and _sn(oid) in page.view.detail.toPlainText())
    page.actions.ship_action.trigger()
    dlg = page.actions.current_dialog
    assert isinstance(dlg, ShipDialog)
    dlg.form.select_courier(115)
    qtbot.keyClicks(dlg.form.number_edit, "73991234567890")
    qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    message = page.actions.message_label
    assert message.text() == f"订单 {_sn(oid)} 已发货"
    assert message.isVisible() and message.visibleRegion().boundingRect().width() > 0
    # The shipped order left 待发货: the detail pane no longer shows it.
    assert page.model.position_of(oid) is None
    assert page._detail_id != oid and _sn(oid) not in page.view.detail.toPlainText()


def test_detail_pane_is_cleared_when_a_tab_switch_drops_its_order(qtbot, page):
    oid = _to_ship_id()
    _select(page, oid)
    qtbot.waitUntil(lambda: _sn(oid) in page.view.detail.toPlainText())
    assert page.view.reveal_button.isEnabled()
    page.view.tabs.setCurrentIndex(page._view_index("signed"))
    assert page.model.position_of(oid) is None
    assert page.view.detail.toPlainText() == ""
    assert not page.view.reveal_button.isEnabled() and not page.view.memo_button.isEnabled()
    # An order still in the new list stays.
    page.view.tabs.setCurrentIndex(page._view_index("all"))
    _select(page, oid)
    qtbot.waitUntil(lambda: _sn(oid) in page.view.detail.toPlainText())
    page.set_filter(OrderFilter(view="all", order_sn=_sn(oid)))
    assert _sn(oid) in page.view.detail.toPlainText()


def test_default_columns_fit_without_sideways_scrolling(page):
    table = page.view.table
    shown = [c.key for i, c in enumerate(ORDER_COLUMNS) if not table.isColumnHidden(i)]
    for key in ("order_sn", "status", "countdown", "items", "amount", "region", "tracking"):
        assert key in shown
    header = table.horizontalHeader()
    assert header.length() <= table.viewport().width()
    assert not table.horizontalScrollBar().isVisible()
    assert header.sectionViewportPosition(COLUMN["tracking"]) + header.sectionSize(COLUMN["tracking"]) <= (
        table.viewport().width()
    )
    # The full order number is readable in its column.
    sn = page.model.row_at(0).order_sn
    assert table.fontMetrics().horizontalAdvance(sn) + 8 <= header.sectionSize(COLUMN["order_sn"])


def test_the_users_column_choice_wins_over_the_defaults(qtbot, window, page):
    page.set_column_visible(COLUMN["buyer"], True)
    page.set_column_visible(COLUMN["tracking"], False)
    from pdd_desktop.ui.pages.orders.page import OrdersPage

    again = OrdersPage(page.ctx)
    qtbot.addWidget(again)
    assert not again.view.table.isColumnHidden(COLUMN["buyer"])
    assert again.view.table.isColumnHidden(COLUMN["tracking"])


def test_after_sales_cell_only_when_there_is_one(page):
    page.set_filter(OrderFilter(view="all"))
    col = COLUMN["after_sales"]
    texts = {page.model.row_at(i).refund_status: page.model.index(i, col).data() for i in range(300)}
    assert texts[1] == ""
    assert any(text for status, text in texts.items() if status != 1)
    assert all("无售后" != page.model.index(i, col).data() for i in range(300))


def test_addresses_keep_the_region_and_mask_the_street_to_a_fixed_width(qtbot, page):
    oid = _to_ship_id()
    province, city, district, detail = one(
        'SELECT province, city, district, address_detail FROM "order" WHERE id = ?', oid
    )
    _select(page, oid)
    qtbot.waitUntil(lambda: _sn(oid) in page.view.detail.toPlainText())
    text = page.view.detail.toPlainText()
    assert f"{province} {city} {district}" in text
    assert "****" in text and "*****" not in text
    assert detail not in text


def test_custom_date_range_is_inclusive_beijing_days(qtbot, page):
    v = page.view
    page.view.tabs.setCurrentIndex(page._view_index("all"))
    v.created_combo.setCurrentIndex(v.created_combo.findData("custom"))
    assert v.range_box.isVisible() and v.range_label.text() == "下单日期"
    day = QDate(2026, 11, 20)
    v.range_from_edit.setDate(day.addDays(-1))
    v.range_to_edit.setDate(day)
    page.refresh()
    start = local_date_start(day.addDays(-1).toPython())
    end = local_date_start(day.addDays(1).toPython())
    expected = _db_rows(
        page.ctx.shop.db_file,
        'SELECT COUNT(*) FROM "order" WHERE created_at >= ? AND created_at < ?',
        (start, end),
    )[0][0]
    assert expected and end - start == 2 * 86400 and start < DEMO_NOW
    assert page.current_filter().created_from == start and page.current_filter().created_to == end
    assert len(page.model.ids) == expected
    assert page.view.count_label.text() == f"共 {expected:,} 单"
    # A backwards range says why and leaves the list as it was.
    before = list(page.model.ids)
    v.range_from_edit.setDate(day.addDays(3))
    page.refresh()
    assert page.actions.message_label.text() == "自定义日期：开始日期不能晚于结束日期，请重新选择"
    assert page.model.ids == before
    v.range_from_edit.setDate(day)
    page.refresh()
    assert page.actions.message_label.text() == ""
    # 支付 自定义 takes the date edits over; 下单 goes back to 不限.
    v.paid_combo.setCurrentIndex(v.paid_combo.findData("custom"))
    assert v.created_combo.currentIndex() == 0 and v.range_label.text() == "支付日期"
    v.paid_combo.setCurrentIndex(0)
    assert not v.range_box.isVisible()


def test_delete_saved_filter_names_it_and_asks_first(qtbot, page):
    v = page.view
    page.save_current_filter("加急红旗")
    page.save_current_filter("待打印")
    assert v.saved_combo.currentText() == "待打印" and v.delete_filter_button.isEnabled()
    v.saved_combo.setCurrentIndex(v.saved_combo.findText("加急红旗"))
    assert v.delete_filter_button.text() == "删除此常用筛选"
    assert v.delete_filter_button.isEnabled() and "加急红旗" in v.delete_filter_button.toolTip()
    qtbot.mouseClick(v.delete_filter_button, Qt.MouseButton.LeftButton)
    box = page.confirm_dialog
    assert box is not None and box.isVisible() and "加急红旗" in box.text()
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.Cancel), Qt.MouseButton.LeftButton)
    assert [name for name, _f in orders.saved_filters()] == ["加急红旗", "待打印"]
    qtbot.mouseClick(v.delete_filter_button, Qt.MouseButton.LeftButton)
    box = page.confirm_dialog
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.Yes), Qt.MouseButton.LeftButton)
    assert [name for name, _f in orders.saved_filters()] == ["待打印"]
    assert v.saved_combo.findText("加急红旗") == -1
    assert v.saved_combo.currentData() is None and not v.delete_filter_button.isEnabled()
