"""营销 page driven through its widgets (inline jobs), checked against the database."""

from __future__ import annotations

from PySide6.QtCore import QDateTime, Qt

from pdd_desktop.services import marketing as svc
from tests.conftest import DEMO_NOW
from tests.helpers.db import q
from tests.helpers.pages import page_fixture

page = page_fixture("marketing", lambda p: p.data is not None, size=(1280, 800))
DAY = 86400


def _select(qtbot, table, row: int) -> None:
    rect = table.visualItemRect(table.item(row, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_page_is_in_the_side_nav_after_goods(window):
    keys = [p.key for p in window.pages()] if hasattr(window, "pages") else None
    from pdd_desktop.ui.pages import PAGES

    order = [p.key for p in PAGES]
    assert order.index("marketing") == order.index("goods") + 1
    assert keys is None or "marketing" in keys


def test_create_a_shop_coupon_plan_and_a_goods_coupon_through_the_dialog(qtbot, page, tmp_path):
    v = page.view
    assert v.coupon_table.rowCount() == 0 and "还没有优惠券" in v.empty_label.text()
    qtbot.mouseClick(v.new_coupon_button, Qt.MouseButton.LeftButton)
    dlg = page.dialog
    dlg.kind_combo.setCurrentIndex(dlg.kind_combo.findData("shop"))
    dlg.name_edit.setText("满20减3")
    dlg.discount_edit.setText("3")
    dlg.threshold_edit.setText("20")
    dlg.start_edit.setDateTime(QDateTime.fromSecsSinceEpoch(DEMO_NOW - 30 * DAY))
    dlg.end_edit.setDateTime(QDateTime.fromSecsSinceEpoch(DEMO_NOW + 30 * DAY))
    dlg.grab().save(str(tmp_path / "coupon_dialog.png"))
    qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    assert q("SELECT name, origin, discount_fen, min_order_fen FROM coupon") == [
        ("满20减3", "plan", 300, 2000)
    ]
    qtbot.waitUntil(lambda: v.coupon_table.rowCount() == 1)
    assert v.coupon_table.item(0, 7).text() == "需在平台设置"
    # its results: the demo orders with a 3 yuan shop discount in the last 30 days
    page.view.tabs.setCurrentIndex(3)
    assert v.result_table.rowCount() == 1
    (res,) = svc.campaign_results(now=DEMO_NOW)
    assert v.result_table.item(0, 3).text() == str(res.orders) and res.orders > 0

    # bad input: a clear message, nothing written
    page.view.tabs.setCurrentIndex(0)
    qtbot.mouseClick(v.new_coupon_button, Qt.MouseButton.LeftButton)
    dlg = page.dialog
    dlg.name_edit.setText("立减")
    dlg.discount_edit.setText("3.333")
    qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    assert "金额格式不对" in dlg.error_label.text() and dlg.isVisible()
    dlg.discount_edit.setText("5")
    qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dlg.isVisible())
    assert q("SELECT kind, discount_fen, origin, batch_id FROM coupon WHERE kind = 'goods'") == [
        ("goods", 500, "platform", None)
    ]
    assert q("SELECT op_type, state FROM outbox") == [("create_goods_coupon", "pending")]
    qtbot.waitUntil(lambda: v.coupon_table.rowCount() == 2)
    page.grab().save(str(tmp_path / "marketing_coupons.png"))


def test_end_a_coupon_and_create_a_discount_with_a_below_cost_warning(qtbot, page, tmp_path):
    v = page.view
    svc.create_coupon(
        kind="shop",
        name="满49减5",
        discount_fen=500,
        min_order_fen=4900,
        quantity=100,
        start_at=DEMO_NOW - DAY,
        end_at=DEMO_NOW + DAY,
    )
    page.refresh()
    qtbot.waitUntil(lambda: v.coupon_table.rowCount() == 1)
    _select(qtbot, v.coupon_table, 0)
    assert v.end_coupon_button.isEnabled() and v.edit_coupon_button.isEnabled()
    page.confirm_end = lambda name: True
    qtbot.mouseClick(v.end_coupon_button, Qt.MouseButton.LeftButton)
    assert q("SELECT ended_at IS NOT NULL FROM coupon") == [(1,)]
    qtbot.waitUntil(lambda: v.coupon_table.item(0, 7).text() == "已结束（计划）")

    v.tabs.setCurrentIndex(1)
    goods_id = page.data.goods[0][0]
    q("UPDATE sku SET cost_price_fen = group_price_fen WHERE goods_id = ?", goods_id)
    qtbot.mouseClick(v.new_discount_button, Qt.MouseButton.LeftButton)
    dlg = page.dialog
    dlg.name_edit.setText("周末限时折扣")
    dlg.goods_combo.setCurrentIndex(dlg.goods_combo.findData(goods_id))
    dlg.discount_edit.setText("8.5")
    dlg.start_edit.setDateTime(QDateTime.fromSecsSinceEpoch(DEMO_NOW))
    dlg.end_edit.setDateTime(QDateTime.fromSecsSinceEpoch(DEMO_NOW + 2 * DAY))
    qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: v.discount_table.rowCount() == 1)
    assert q("SELECT discount_permille, goods_id FROM limited_discount") == [(850, goods_id)]
    assert v.discount_table.item(0, 8).text() == "活动价低于成本"
    assert v.discount_table.item(0, 7).text() == "待上传"
    page.grab().save(str(tmp_path / "marketing_discounts.png"))
