"""商品 page: 入库, 盘点导入 and the movement log's filters, through the widgets."""

from __future__ import annotations

import json

from PySide6.QtCore import QDate, Qt

from pdd_desktop.common import clock
from pdd_desktop.common.timefmt import to_local
from tests.helpers.db import one, q
from tests.helpers.pages import page_fixture
from tests.services.test_import_goods import write_sheet
from tests.ui.test_goods_local_page import multi_goods
from tests.ui.test_goods_page import click_goods, click_sku, sku_cell

page = page_fixture("goods", lambda p: p.model.rows)


def test_inbound_through_the_dialog(qtbot, page):
    gid, _n = multi_goods(page)
    click_goods(qtbot, page, gid)
    sku = page.detail.skus[0]
    click_sku(qtbot, page, sku.sku_id)
    q("UPDATE sku SET cost_price_fen = 1000 WHERE sku_id = ?", sku.sku_id)
    page.refresh()
    qtbot.waitUntil(lambda: page.detail is not None and page.detail.skus[0].cost_price_fen == 1000)
    stock = page.detail.skus[0].stock
    qtbot.mouseClick(page.view.inbound_button, Qt.MouseButton.LeftButton)
    dlg = page.inbound_dialog
    dlg.quantity_spin.setValue(stock)  # as many again
    dlg.cost_edit.setText("12.x")
    dlg.cost_edit.setText("12.")
    assert not dlg.ok_button.isEnabled() and "两位小数" in dlg.rule_label.text()
    dlg.cost_edit.setText("12.00")
    dlg.note_edit.setText("供应商A")
    qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    assert not dlg.isVisible()
    # as many units at 12.00 as on hand at 10.00: the average is 11.00
    assert one("SELECT stock, cost_price_fen FROM sku WHERE sku_id = ?", sku.sku_id) == (2 * stock, 1100)
    assert sku_cell(page, sku.sku_id, "成本价") == "¥11.00"
    assert page.view.movement_table.item(0, 1).text() == "入库"
    assert page.view.movement_table.item(0, 2).text() == f"+{stock:,}"
    ((payload,),) = q(
        "SELECT payload_json FROM outbox WHERE op_type = 'set_stock' AND entity_remote_id = ?",
        str(sku.sku_id),
    )
    assert json.loads(payload)["quantity"] == 2 * stock


def test_stocktake_import_shows_differences_and_applies(qtbot, page, tmp_path, monkeypatch):
    gid, _n = multi_goods(page)
    a, b, c = q("SELECT sku_id, stock FROM sku WHERE goods_id = ? ORDER BY sku_id LIMIT 3", gid)
    path = write_sheet(
        tmp_path / "盘点.csv",
        [["样式ID", "盘点数量"], [str(a[0]), str(a[1] + 4)], [str(b[0]), str(b[1])], [str(c[0]), "0"]],
    )
    monkeypatch.setattr(page, "choose_stocktake_path", lambda: str(path))
    qtbot.mouseClick(page.view.stocktake_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.stocktake_dialog is not None)
    dlg = page.stocktake_dialog
    assert dlg.table.rowCount() == (2 if c[1] else 1)
    assert dlg.table.item(0, 5).text() == "+4"
    assert "盘盈 4 件" in dlg.summary_label.text()
    dlg.reason_edit.setText("月底盘点")
    qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    assert not dlg.isVisible()
    assert one("SELECT stock FROM sku WHERE sku_id = ?", a[0])[0] == a[1] + 4
    assert one("SELECT stock FROM sku WHERE sku_id = ?", c[0])[0] == 0
    assert q("SELECT sku_id, delta FROM stock_movement WHERE kind = 'stocktake' ORDER BY sku_id") == [
        (s, d) for s, d in ((a[0], 4), (c[0], -c[1])) if d
    ]
    assert "盘点已应用" in page.view.message_label.text()


def test_stocktake_with_bad_rows_lists_them_and_cannot_apply(qtbot, page, tmp_path, monkeypatch):
    path = write_sheet(tmp_path / "盘点.csv", [["样式ID", "盘点数量"], ["1", "3"], ["2", "abc"]])
    monkeypatch.setattr(page, "choose_stocktake_path", lambda: str(path))
    before = q("SELECT sku_id, stock FROM sku ORDER BY sku_id")
    qtbot.mouseClick(page.view.stocktake_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.stocktake_dialog is not None)
    dlg = page.stocktake_dialog
    assert not dlg.ok_button.isEnabled()
    assert dlg.table.rowCount() == 2 and dlg.table.item(1, 3).text() == "应为整数"
    assert "2 行有问题" in dlg.summary_label.text()
    assert q("SELECT sku_id, stock FROM sku ORDER BY sku_id") == before


def test_movement_log_filters_by_kind_and_date(qtbot, page):
    gid, _n = multi_goods(page)
    click_goods(qtbot, page, gid)
    sku = page.detail.skus[0]
    now = clock.now()
    q("DELETE FROM stock_movement WHERE sku_id = ?", sku.sku_id)
    for at, kind, delta in (
        (now - 40 * 86400, "import", 5),
        (now - 86400, "sale", -1),
        (now - 3600, "adjust", 2),
    ):
        q(
            "INSERT INTO stock_movement (sku_id, at, delta, stock_after, kind, note) "
            "VALUES (?, ?, ?, 0, ?, '')",
            sku.sku_id,
            at,
            delta,
            kind,
        )
    click_sku(qtbot, page, page.detail.skus[1].sku_id)
    click_sku(qtbot, page, sku.sku_id)
    table = page.view.movement_table
    assert [table.item(r, 1).text() for r in range(table.rowCount())] == ["调整", "销售", "导入"]
    combo = page.view.movement_kind_combo
    combo.setCurrentIndex(combo.findData("sale"))
    assert [table.item(r, 1).text() for r in range(table.rowCount())] == ["销售"]
    combo.setCurrentIndex(0)
    page.view.movement_date_check.setChecked(True)  # the last 30 days by default
    assert [table.item(r, 1).text() for r in range(table.rowCount())] == ["调整", "销售"]
    yesterday = to_local(now - 86400).date()
    page.view.movement_from_edit.setDate(QDate(yesterday.year, yesterday.month, yesterday.day))
    page.view.movement_to_edit.setDate(QDate(yesterday.year, yesterday.month, yesterday.day))
    assert [table.item(r, 1).text() for r in range(table.rowCount())] == ["销售"]
    page.view.movement_to_edit.setDate(QDate(yesterday.year, yesterday.month, yesterday.day).addDays(-1))
    assert table.rowCount() == 0 and "结束日期" in page.view.movement_label.text()


def test_movement_log_shows_a_resend_parcel_with_its_label(qtbot, page):
    from pdd_desktop.domain.catalogue import COURIERS, tracking_number
    from pdd_desktop.services import after_sales

    gid, _n = multi_goods(page)
    click_goods(qtbot, page, gid)
    sku = page.detail.skus[0]
    stock = sku.stock
    assert stock >= 1
    ((oid,),) = q('SELECT id FROM "order" WHERE status = 3 AND refund_status = 1 ORDER BY id LIMIT 1')
    cid = one("SELECT MAX(id) FROM after_sale")[0] + 97
    q(
        "INSERT INTO after_sale (id, order_id, type, status, reason, buyer_remark, refund_amount_fen, "
        "goods_id, sku_id, quantity, return_tracking_number, return_shipping_name, created_at) "
        "VALUES (?, ?, 4, 32, '少发', '', 0, ?, ?, 1, '', '', ?)",
        cid,
        oid,
        gid,
        sku.sku_id,
        clock.now() - 600,
    )
    courier = COURIERS[0]
    after_sales.ship_exchange(
        after_sale_id=cid, courier_id=courier.id, tracking_number=tracking_number(courier, 838383, 7)
    )
    page.refresh()
    qtbot.waitUntil(lambda: page.detail is not None and page.detail.skus[0].stock == stock - 1)
    click_sku(qtbot, page, page.detail.skus[1].sku_id)
    click_sku(qtbot, page, sku.sku_id)
    table = page.view.movement_table
    assert (table.item(0, 1).text(), table.item(0, 2).text()) == ("换货/补寄发出", "-1")
    combo = page.view.movement_kind_combo
    assert combo.itemText(combo.findData("resend")) == "换货/补寄发出"
    combo.setCurrentIndex(combo.findData("resend"))
    assert [table.item(r, 1).text() for r in range(table.rowCount())] == ["换货/补寄发出"]
    page.grab().save("/tmp/resend_movements.png")
