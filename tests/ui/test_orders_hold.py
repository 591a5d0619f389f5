"""发货中心 暂停发货 / 解除暂停: the context menu and 更多 menu, the marker, the 已暂停 view, ship refusal."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor

from pdd_desktop.services import holds, shipping
from pdd_desktop.services.orders import OrderFilter
from pdd_desktop.ui.pages.orders.columns import DANGER, ORDER_COLUMNS
from pdd_desktop.ui.pages.orders.hold_actions import HoldDialog
from pdd_desktop.ui.table.row_cache_model import select_ids
from tests.helpers.db import one, q
from tests.helpers.pages import page_fixture

STATUS_COL = [c.key for c in ORDER_COLUMNS].index("status")

page = page_fixture("orders")


def to_ship_ids(n: int) -> list[int]:
    rows = q('SELECT id FROM "order" WHERE status = 1 AND refund_status = 1 ORDER BY id LIMIT ?', n)
    assert len(rows) == n
    return [r[0] for r in rows]


def sn(order_id: int) -> str:
    return one('SELECT order_sn FROM "order" WHERE id = ?', order_id)[0]


def open_holds() -> list[tuple]:
    return q("SELECT order_id, reason, rule_id FROM order_hold WHERE released_at IS NULL ORDER BY order_id")


def show(page, ids: list[int], view: str = "to_ship") -> None:
    """List ``view`` narrowed to ``ids`` and select them."""
    page.model.mark_stale()
    page.set_filter(OrderFilter(view=view, order_ids=tuple(ids), order_ids_label="测试订单"))
    assert select_ids(page.model, page.view.table.selectionModel(), ids) == len(ids)
    assert sorted(page.selected_order_ids()) == sorted(ids)


def status_cell(page, order_id: int, role=Qt.ItemDataRole.DisplayRole):
    return page.model.index(page.model.position_of(order_id), STATUS_COL).data(role)


def context_action(page, text: str):
    """Open the table's context menu and return its action named ``text``."""
    page._on_table_menu(QPoint(5, 5))
    menu = page.table_menu
    assert menu is not None
    action = next(a for a in menu.actions() if a.text() == text)
    menu.close()
    return action


def tab_text(page, key: str) -> str:
    tabs = page.view.tabs
    return next(tabs.tabText(i) for i in range(tabs.count()) if tabs.tabData(i) == key)


def test_hold_from_the_context_menu_marks_filters_and_blocks_shipping(qtbot, page):
    ids = to_ship_ids(3)
    held, free = ids[:2], ids[2]
    show(page, held)
    assert status_cell(page, held[0]) == "待发货"
    action = context_action(page, "暂停发货…")
    assert action.isEnabled()
    action.trigger()
    dlg = page.hold_actions.current_dialog
    assert isinstance(dlg, HoldDialog) and dlg.isVisible()
    assert not dlg.ok_button.isEnabled()  # a reason is required
    dlg.reason_combo.setEditText("  买家电话停机，核实地址  ")
    qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    assert not dlg.isVisible()
    assert open_holds() == [(oid, "买家电话停机，核实地址", None) for oid in held]
    assert q("SELECT order_id, actor FROM audit_log WHERE action = 'hold' ORDER BY order_id") == [
        (oid, "user") for oid in held
    ]
    assert "已暂停 2 个订单的发货" in page.actions.message_label.text()

    # The marker: 已暂停 in the danger colour, the reason and who placed it as the tooltip.
    assert status_cell(page, held[0]) == "已暂停"
    assert QColor(status_cell(page, held[0], Qt.ItemDataRole.ForegroundRole)) == DANGER
    tip = status_cell(page, held[0], Qt.ItemDataRole.ToolTipRole)
    assert "买家电话停机，核实地址" in tip and "手动" in tip

    # The 已暂停 view lists exactly the held orders; its tab counts them.
    page.set_filter(OrderFilter(view="held"))
    assert sorted(page.model.ids) == held
    assert tab_text(page, "held") == "已暂停 2"
    assert page.view.count_label.text() == "共 2 单"

    # Shipping refuses a held order with the hold's reason; the other one still ships.
    show(page, held[:1], view="held")
    ship = page.actions.ship_action
    assert not ship.isEnabled()
    assert "订单已暂停发货（买家电话停机，核实地址）" in ship.toolTip()
    assert "订单已暂停发货" in page.actions.status_label.text()
    assert not page.actions.batch_action.isEnabled()
    assert not page.actions.force_ship_action.isEnabled()
    page.actions.ship_selected()
    assert page.actions.current_dialog is None  # no ship dialog for a held order
    assert "订单已暂停发货" in (shipping.ship_guard(held[0]).reason or "")
    show(page, [free])
    assert page.actions.ship_action.isEnabled()

    # The detail pane says it is held, why, and by whom.
    show(page, held[:1], view="held")
    with qtbot.waitSignal(page.detail_shown, timeout=5000):
        page.view.table.setCurrentIndex(page.model.index(0, 0))
    html = page.view.detail.toPlainText()
    assert "已暂停发货：买家电话停机，核实地址" in html and "由商家暂停于" in html
    assert "暂停发货" in html.split("操作日志", 1)[1]


def test_release_from_the_more_menu_brings_the_orders_back(qtbot, page):
    ids = to_ship_ids(2)
    holds.hold_orders(order_ids=ids, reason="等待补货")
    show(page, ids, view="held")
    with qtbot.waitSignal(page.detail_shown, timeout=5000):
        page.view.table.setCurrentIndex(page.model.index(0, 0))
    assert "已暂停发货：等待补货" in page.view.detail.toPlainText()
    assert select_ids(page.model, page.view.table.selectionModel(), ids) == 2
    menu = page.hold_actions.more_button.menu()
    release = next(a for a in menu.actions() if a.text() == "解除暂停")
    hold = next(a for a in menu.actions() if a.text() == "暂停发货…")
    assert release.isEnabled() and not hold.isEnabled()
    assert "已经暂停发货" in hold.toolTip()
    release.trigger()
    assert open_holds() == []
    assert sorted(r[0] for r in q("SELECT order_id FROM audit_log WHERE action = 'release_hold'")) == ids
    assert "已解除 2 个订单的暂停发货" in page.actions.message_label.text()
    assert page.model.ids == []  # the 已暂停 view is empty now
    assert tab_text(page, "held") == "已暂停 0"
    assert "已暂停发货" not in page.view.detail.toPlainText()
    show(page, ids)
    assert [status_cell(page, oid) for oid in ids] == ["待发货", "待发货"]
    show(page, ids[:1])
    assert page.actions.ship_action.isEnabled()


def test_the_actions_say_why_they_are_disabled(qtbot, page):
    (free,) = to_ship_ids(1)
    shipped = one('SELECT id FROM "order" WHERE status = 2 ORDER BY id LIMIT 1')[0]
    show(page, [free, shipped], view="all")
    hold, release = page.hold_actions.menu_actions
    assert not hold.isEnabled()
    assert hold.toolTip() == f"只有待发货订单可以暂停发货（{sn(shipped)} 是已发货）"
    assert not release.isEnabled() and sn(free) in release.toolTip()
    page.view.table.clearSelection()
    assert not hold.isEnabled() and hold.toolTip() == "请先选择待发货订单"


def test_a_hold_refused_by_the_service_changes_nothing_and_says_why(qtbot, page):
    ids = to_ship_ids(2)
    show(page, ids)
    context_action(page, "暂停发货…").trigger()
    dlg = page.hold_actions.current_dialog
    dlg.reason_combo.setCurrentIndex(0)  # a common reason
    assert dlg.reason() == "核实收货地址" and dlg.ok_button.isEnabled()
    holds.hold_orders(order_ids=ids[1:], reason="规则先暂停了")  # meanwhile, elsewhere
    before = open_holds()
    qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    assert dlg.isVisible()
    assert f"{sn(ids[1])} 已经暂停发货，没有暂停任何订单" in dlg.error_label.text()
    assert open_holds() == before


def test_hold_screenshot(qtbot, page, tmp_path):
    ids = to_ship_ids(3)
    holds.hold_orders(order_ids=ids[:2], reason="核实收货地址")
    page.window().resize(1280, 800)
    page.model.mark_stale()
    page.set_filter(OrderFilter(view="to_ship"))
    select_ids(page.model, page.view.table.selectionModel(), ids[:1])
    with qtbot.waitSignal(page.detail_shown, timeout=5000):
        page.view.table.setCurrentIndex(page.model.index(page.model.position_of(ids[0]), 0))
    qtbot.wait(50)  # the status line's layout follows the new text
    path = tmp_path / "orders_hold.png"
    assert page.window().grab().save(str(path))
    assert path.stat().st_size > 10_000
