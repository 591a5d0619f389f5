"""商品 page driven through its widgets (inline jobs), checked against the database."""

from __future__ import annotations

import json

from PySide6.QtCore import QPoint, Qt

from pdd_desktop.data.db import database
from pdd_desktop.ui.pages.goods.page import GOODS_COLUMNS, SAVED_MESSAGE
from pdd_desktop.ui.pages.goods.view import SKU_HEADERS
from tests.helpers.db import one
from tests.helpers.pages import page_fixture
from tests.services.test_goods_list import expected_goods, held_by_sku

COL = {c.key: i for i, c in enumerate(GOODS_COLUMNS)}
SKU_COL = {h: i for i, h in enumerate(SKU_HEADERS)}


def yuan(fen: int) -> str:
    return f"¥{fen // 100:,}.{fen % 100:02d}"


page = page_fixture("goods", lambda p: p.model.rows)  # the list loaded when the page was shown


def click_tab(qtbot, page, key: str) -> None:
    tabs = page.view.tabs
    index = next(i for i in range(tabs.count()) if tabs.tabData(i) == key)
    qtbot.mouseClick(tabs, Qt.MouseButton.LeftButton, pos=tabs.tabRect(index).center())
    assert page.current_view() == key


def tab_text(page, key: str) -> str:
    tabs = page.view.tabs
    return next(tabs.tabText(i) for i in range(tabs.count()) if tabs.tabData(i) == key)


def click_goods(qtbot, page, goods_id: int) -> None:
    row = page.model.position_of(goods_id)
    assert row is not None
    table = page.view.table
    table.scrollTo(page.model.index(row, 0))
    rect = table.visualRect(page.model.index(row, COL["name"]))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert page.detail is not None and page.detail.goods_id == goods_id


def click_sku(qtbot, page, sku_id: int) -> None:
    row = next(i for i, s in enumerate(page.detail.skus) if s.sku_id == sku_id)
    table = page.view.sku_table
    rect = table.visualItemRect(table.item(row, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert page.selected_sku().sku_id == sku_id


def sku_cell(page, sku_id: int, header: str) -> str:
    row = next(i for i, s in enumerate(page.detail.skus) if s.sku_id == sku_id)
    return page.view.sku_table.item(row, SKU_COL[header]).text()


def held_sku(demo_shop) -> tuple[int, int, int]:
    """(goods_id, sku_id, held) of a SKU with units in unshipped orders, of an on-shelf goods."""
    held = held_by_sku(demo_shop.db_file)
    for sku_id, qty in sorted(held.items()):
        gid = one("SELECT s.goods_id FROM sku s JOIN goods g USING (goods_id) WHERE s.sku_id = ?", sku_id)
        if gid is not None:
            return gid[0], sku_id, qty
    raise AssertionError("no held SKU")


def test_tabs_show_the_database_counts_and_filter(qtbot, page, demo_shop):
    expected = expected_goods(demo_shop.db_file)
    low = {gid for gid, g in expected.items() if any(avail <= th for _, _, avail, th, _ in g["skus"])}
    counts = {
        "all": len(expected),
        "onsale": sum(1 for g in expected.values() if g["onsale"]),
        "offsale": sum(1 for g in expected.values() if not g["onsale"]),
        "low_stock": len(low),
        "pending": 0,
    }
    for key, label in (("all", "全部"), ("onsale", "在售"), ("offsale", "已下架"), ("low_stock", "库存不足")):
        assert tab_text(page, key) == f"{label} {counts[key]:,}"
    click_tab(qtbot, page, "low_stock")
    assert {r.goods_id for r in page.model.rows} == low
    assert page.model.rowCount() == counts["low_stock"]
    click_tab(qtbot, page, "offsale")
    assert page.model.rowCount() == counts["offsale"]
    assert {page.model.index(r, COL["status"]).data() for r in range(page.model.rowCount())} == {"已下架"}
    click_tab(qtbot, page, "pending")
    assert page.model.rowCount() == 0


def test_search_narrows_the_list_and_the_counts(qtbot, page, demo_shop):
    gid, code = one("SELECT goods_id, outer_goods_id FROM goods ORDER BY goods_id LIMIT 1")
    page.view.search_edit.setText(code)
    qtbot.keyClick(page.view.search_edit, Qt.Key.Key_Return)
    assert gid in {r.goods_id for r in page.model.rows}
    assert tab_text(page, "all") == f"全部 {page.model.rowCount()}"
    assert page.model.rowCount() < len(expected_goods(demo_shop.db_file))


def test_sorting_by_a_header_click(qtbot, page):
    header = page.view.table.horizontalHeader()
    x = header.sectionViewportPosition(COL["available"]) + 5
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    values = [r.available_stock for r in page.model.rows]
    assert values == sorted(values) or values == sorted(values, reverse=True)
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    again = [r.available_stock for r in page.model.rows]
    assert again == sorted(values, reverse=values == sorted(values))


def test_sku_table_shows_prices_and_available_stock(qtbot, page, demo_shop):
    gid, sku_id, held = held_sku(demo_shop)
    click_goods(qtbot, page, gid)
    spec, outer, group, single, stock, threshold, weight = one(
        "SELECT spec, outer_id, group_price_fen, single_price_fen, stock, low_stock_threshold, weight_g "
        "FROM sku WHERE sku_id = ?",
        sku_id,
    )
    direct = one(
        'SELECT SUM(oi.quantity) FROM order_item oi JOIN "order" o ON o.id = oi.order_id '
        "WHERE oi.sku_id = ? AND o.status = 1 AND o.refund_status != 4",
        sku_id,
    )[0]
    assert direct == held > 0
    assert sku_cell(page, sku_id, "规格") == spec
    assert sku_cell(page, sku_id, "商家编码") == outer
    assert sku_cell(page, sku_id, "拼单价") == yuan(group)
    assert sku_cell(page, sku_id, "单买价") == yuan(single)
    assert sku_cell(page, sku_id, "库存") == f"{stock:,}"
    assert sku_cell(page, sku_id, "未发货占用") == f"{held:,}"
    assert sku_cell(page, sku_id, "可用") == f"{stock - held:,}"
    assert sku_cell(page, sku_id, "预警值") == f"{threshold:,}"
    assert sku_cell(page, sku_id, "重量(g)") == f"{weight:,}"
    assert sku_cell(page, sku_id, "待上传") == ""
    # The goods row sums its SKUs the same way.
    row = page.model.rows[page.model.position_of(gid)]
    skus = expected_goods(demo_shop.db_file)[gid]["skus"]
    assert row.available_stock == sum(s[2] for s in skus)
    # The stock log of the selected SKU: newest first, as many as stored (≤ 100).
    click_sku(qtbot, page, sku_id)
    n = one("SELECT COUNT(*) FROM stock_movement WHERE sku_id = ?", sku_id)[0]
    assert page.view.movement_table.rowCount() == min(n, 100) > 0
    latest = one(
        "SELECT delta, stock_after FROM stock_movement WHERE sku_id = ? ORDER BY at DESC, id DESC", sku_id
    )
    assert page.view.movement_table.item(0, 2).text() == f"{latest[0]:+,}"
    assert page.view.movement_table.item(0, 3).text() == f"{latest[1]:,}"


def test_change_stock_through_the_dialog(qtbot, page, demo_shop):
    gid, sku_id, held = held_sku(demo_shop)
    click_goods(qtbot, page, gid)
    click_sku(qtbot, page, sku_id)
    stock = one("SELECT stock FROM sku WHERE sku_id = ?", sku_id)[0]
    movements = one("SELECT COUNT(*) FROM stock_movement WHERE sku_id = ?", sku_id)[0]
    qtbot.mouseClick(page.view.stock_button, Qt.MouseButton.LeftButton)
    dlg = page.stock_dialog
    assert dlg.isVisible() and dlg.current_label.text() == f"{stock:,}"
    assert dlg.quantity_spin.minimum() == 0 and dlg.quantity_spin.maximum() == 9_999_999
    dlg.quantity_spin.setValue(stock + 25)
    qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    assert not dlg.isVisible()
    assert one("SELECT stock FROM sku WHERE sku_id = ?", sku_id)[0] == stock + 25
    assert one("SELECT COUNT(*) FROM stock_movement WHERE sku_id = ?", sku_id)[0] == movements + 1
    delta, after, kind = one(
        "SELECT delta, stock_after, kind FROM stock_movement WHERE sku_id = ? ORDER BY id DESC", sku_id
    )
    assert (delta, after, kind) == (25, stock + 25, "adjust")
    op_payload, op_base, state = one(
        "SELECT payload_json, base_json, state FROM outbox "
        "WHERE op_type = 'set_stock' AND entity_remote_id = ?",
        str(sku_id),
    )
    assert json.loads(op_payload)["quantity"] == stock + 25
    assert json.loads(op_base) == {"quantity": stock}
    assert state == "pending"
    assert (
        one("SELECT COUNT(*) FROM audit_log WHERE action = 'set_stock' AND entity_id = ?", str(sku_id))[0]
        == 1
    )
    # The page shows the result: message, new values, the 待上传 marks, the movement on top.
    assert page.view.message_label.text().startswith(SAVED_MESSAGE)
    assert sku_cell(page, sku_id, "库存") == f"{stock + 25:,}"
    assert sku_cell(page, sku_id, "可用") == f"{stock + 25 - held:,}"
    assert sku_cell(page, sku_id, "待上传") == "待上传：库存"
    assert page.model.index(page.model.position_of(gid), COL["status"]).data().endswith("待上传")
    assert tab_text(page, "pending") == "待上传 1"
    assert page.view.movement_table.item(0, 1).text() == "调整"
    assert page.view.movement_table.item(0, 2).text() == "+25"


def test_price_rule_is_refused_and_nothing_changes(qtbot, page, demo_shop):
    gid, sku_id, _ = held_sku(demo_shop)
    click_goods(qtbot, page, gid)
    click_sku(qtbot, page, sku_id)
    before = one("SELECT group_price_fen, single_price_fen FROM sku WHERE sku_id = ?", sku_id)
    qtbot.mouseClick(page.view.price_button, Qt.MouseButton.LeftButton)
    dlg = page.price_dialog
    assert dlg.group_edit.text() == f"{before[0] // 100}.{before[0] % 100:02d}"
    assert "拼单价" in dlg.rule_label.text() and "低于单买价" in dlg.rule_label.text()
    dlg.group_edit.setText("30.00")
    dlg.single_edit.setText("30.00")
    assert "不低于单买价" in dlg.rule_label.text()
    qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    assert dlg.isVisible()
    assert "拼团价低于单买价" in dlg.error_label.text()
    assert one("SELECT group_price_fen, single_price_fen FROM sku WHERE sku_id = ?", sku_id) == before
    assert one("SELECT COUNT(*) FROM outbox WHERE op_type = 'set_price'")[0] == 0
    # More than two decimals cannot be typed; a complete valid price saves exactly, in fen.
    dlg.group_edit.clear()
    qtbot.keyClicks(dlg.group_edit, "12.345")
    assert dlg.group_edit.text() == "12.34"
    dlg.group_edit.setText("12.3")  # not two decimals yet: OK waits
    assert not dlg.ok_button.isEnabled()
    dlg.group_edit.setText("19.99")
    dlg.single_edit.setText("29.90")
    qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    assert not dlg.isVisible()
    assert one("SELECT group_price_fen, single_price_fen FROM sku WHERE sku_id = ?", sku_id) == (1999, 2990)
    base = json.loads(one("SELECT base_json FROM outbox WHERE op_type = 'set_price'")[0])
    assert base == {"group_price_fen": before[0], "single_price_fen": before[1]}
    assert sku_cell(page, sku_id, "拼单价") == "¥19.99"
    assert sku_cell(page, sku_id, "待上传") == "待上传：价格"


def test_take_off_shelf_with_confirmation(qtbot, page, demo_shop, monkeypatch):
    gid, name = one("SELECT goods_id, name FROM goods WHERE is_onsale = 1 ORDER BY goods_id LIMIT 1")
    click_goods(qtbot, page, gid)
    assert page.view.shelf_button.text() == "下架"
    asked = []
    monkeypatch.setattr(page, "confirm_onsale", lambda n, to: asked.append((n, to)) or False)
    qtbot.mouseClick(page.view.shelf_button, Qt.MouseButton.LeftButton)
    assert asked == [(name, False)]
    assert one("SELECT is_onsale FROM goods WHERE goods_id = ?", gid)[0] == 1
    monkeypatch.setattr(page, "confirm_onsale", lambda n, to: True)
    qtbot.mouseClick(page.view.shelf_button, Qt.MouseButton.LeftButton)
    assert one("SELECT is_onsale FROM goods WHERE goods_id = ?", gid)[0] == 0
    payload = json.loads(one("SELECT payload_json FROM outbox WHERE op_type = 'set_onsale'")[0])
    assert payload == {"goods_id": gid, "is_onsale": False}
    assert page.view.shelf_button.text() == "上架"
    assert page.model.index(page.model.position_of(gid), COL["status"]).data() == "已下架 · 待上传"
    assert page.view.message_label.text().startswith(SAVED_MESSAGE)


def test_stale_stock_is_refused_with_the_service_message(qtbot, page, demo_shop):
    gid, sku_id, _ = held_sku(demo_shop)
    click_goods(qtbot, page, gid)
    click_sku(qtbot, page, sku_id)
    seen = page.selected_sku().stock
    database.execute_sql("UPDATE sku SET stock = ? WHERE sku_id = ?", (seen + 3, sku_id))  # a sync, say
    qtbot.mouseClick(page.view.stock_button, Qt.MouseButton.LeftButton)
    dlg = page.stock_dialog
    dlg.quantity_spin.setValue(1)
    qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    assert dlg.isVisible()
    assert f"库存已从 {seen} 变为 {seen + 3}" in dlg.error_label.text()
    assert one("SELECT stock FROM sku WHERE sku_id = ?", sku_id)[0] == seen + 3
    assert one("SELECT COUNT(*) FROM outbox")[0] == 0
    # The page reloaded: the latest stock is what the table shows now.
    assert sku_cell(page, sku_id, "库存") == f"{seen + 3:,}"


def test_import_button_asks_the_shell(qtbot, page):
    asked = []
    page.ctx.events.import_requested.disconnect()
    page.ctx.events.import_requested.connect(asked.append)
    qtbot.mouseClick(page.view.import_button, Qt.MouseButton.LeftButton)
    assert asked == [""]
