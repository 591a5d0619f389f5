"""售后 page: 确认收货并退款 and 拒绝 through the real buttons and dialogs on the demo shop."""

from __future__ import annotations

from pdd_desktop.data.db import database
from pdd_desktop.services import after_sales as svc
from pdd_desktop.ui.pages.after_sales.dialogs import ConfirmReceivedDialog, RejectDialog
from pdd_desktop.ui.pages.after_sales.page import AfterSalesPage
from tests.helpers.db import q
from tests.helpers.pages import page_fixture
from tests.ui.test_after_sales_page import cell, click_row, click_tab, counts_of_tables

page = page_fixture("after_sales", lambda p: isinstance(p, AfterSalesPage), size=(1280, 800))


def sent_back_case(quantity: int) -> tuple[int, int]:
    """A demo 退货退款 case moved to 27 (the buyer sent the goods back) on a real SKU: (case, sku)."""
    ((cid, sku),) = q(
        "SELECT a.id, i.sku_id FROM after_sale a JOIN order_item i ON i.order_id = a.order_id "
        "JOIN sku s ON s.sku_id = i.sku_id WHERE a.type = 2 AND a.status = 3 ORDER BY a.id LIMIT 1"
    )
    database.execute_sql(
        "UPDATE after_sale SET status = 27, sku_id = ?, quantity = ?, return_tracking_number = 'YT9988', "
        "return_shipping_name = '圆通快递' WHERE id = ?",
        (sku, quantity, cid),
    )
    return cid, sku


def refresh(page: AfterSalesPage, qtbot) -> None:
    with qtbot.waitSignal(page.results_shown, timeout=5000):
        page.refresh()


def test_confirm_received_restocks_and_refunds(qtbot, page, demo_shop):
    cid, sku = sent_back_case(quantity=3)
    ((stock,),) = q("SELECT stock FROM sku WHERE sku_id = ?", sku)
    click_tab(page, "all")
    refresh(page, qtbot)
    click_row(page, cid)
    v = page.view
    assert v.received_button.isEnabled() and not v.return_button.isEnabled()
    v.received_button.click()
    dlg = page.current_dialog
    assert isinstance(dlg, ConfirmReceivedDialog) and dlg.isVisible()
    assert dlg.counts() == (3, 0)
    dlg.damaged_spin.setValue(1)  # the counts always add up to the parcel
    assert dlg.counts() == (2, 1)
    dlg.note_edit.setText("一件外壳碎裂")
    dlg.ok_button.click()
    assert not dlg.isVisible()
    assert q("SELECT status FROM after_sale WHERE id = ?", cid) == [(4,)]
    assert q("SELECT stock FROM sku WHERE sku_id = ?", sku) == [(stock + 2,)]
    assert q("SELECT kind, delta FROM stock_movement WHERE after_sale_id = ? ORDER BY id", cid) == [
        ("return", 2),
        ("loss", 0),
    ]
    ops = q(
        "SELECT op_type FROM outbox WHERE state = 'pending' AND entity_remote_id IN (?, ?) ORDER BY id",
        str(cid),
        str(sku),
    )
    assert ops == [("set_stock",), ("refund_agree",)]
    assert v.message_label.text() == "已确认收货：库存已更新，同意退款等待同步上传"
    text = v.detail.toPlainText()
    assert "确认收到退货并同意退款" in text and "完好 2 件入库，损坏 1 件报损" in text
    assert not v.received_button.isEnabled()


def test_confirm_received_refused_when_the_case_moved(page, demo_shop):
    cid, sku = sent_back_case(quantity=1)
    click_tab(page, "all")
    click_row(page, cid)
    page.view.received_button.click()
    dlg = page.current_dialog
    database.execute_sql("UPDATE after_sale SET status = 10 WHERE id = ?", (cid,))  # a sync meanwhile
    before = counts_of_tables()
    ((stock,),) = q("SELECT stock FROM sku WHERE sku_id = ?", sku)
    dlg.ok_button.click()
    assert counts_of_tables() == before
    assert q("SELECT stock FROM sku WHERE sku_id = ?", sku) == [(stock,)]
    assert dlg.isVisible() and "不能确认收到退货并同意退款" in dlg.error_label.text()
    dlg.cancel_button.click()


def test_reject_guides_to_the_backend_and_tracks_the_case(qtbot, page, demo_shop):
    ((cid,),) = q("SELECT id FROM after_sale WHERE type = 2 AND status = 3 ORDER BY id LIMIT 1")
    click_tab(page, "all")
    click_row(page, cid)
    v = page.view
    assert v.reject_button.isEnabled()
    outbox_before = q("SELECT COUNT(*) FROM outbox")
    v.reject_button.click()
    dlg = page.current_dialog
    assert isinstance(dlg, RejectDialog)
    guide = dlg.guide_label.text()
    assert "没有「拒绝售后」的接口" in guide and svc.MERCHANT_BACKEND_URL in guide and str(cid) in guide
    assert not dlg.ok_button.isEnabled()  # a reason is required
    dlg.reason_combo.setCurrentIndex(2)
    assert dlg.ok_button.isEnabled()
    dlg.evidence_edit.setPlainText("开箱视频已上传到后台")
    dlg.ok_button.click()
    assert not dlg.isVisible()
    assert q("SELECT COUNT(*) FROM outbox") == outbox_before
    ((action, note),) = q(
        "SELECT action, note FROM after_sale_event WHERE after_sale_id = ? AND actor = 'seller'", cid
    )
    assert action == svc.REJECT_ACTION and "买家提供的凭证不足" in note and "开箱视频" in note
    assert v.message_label.text() == "已记录拒绝，等待平台处理；同步后显示平台状态"
    row = page.row_of_case(cid)
    assert cell(page, row, "status") == "退货退款，待商家处理（已在后台拒绝，待平台处理）"
    assert "待平台处理" in v.detail.toPlainText()
    assert not v.reject_button.isEnabled() and "正在等平台处理" in v.reject_button.toolTip()
    v.grab().save("/tmp/as/reject_tracked.png")
    # the platform's answer arrives with a sync: the tracking ends
    database.execute_sql("UPDATE after_sale SET status = 6 WHERE id = ?", (cid,))
    refresh(page, qtbot)
    row = page.row_of_case(cid)
    assert cell(page, row, "status") == "驳回退款，待买家处理"


def test_ship_exchange_with_the_ship_dialogs_checks(qtbot, page, demo_shop):
    from pdd_desktop.domain.catalogue import COURIERS, tracking_number
    from pdd_desktop.ui.pages.after_sales.dialogs import ExchangeShipDialog

    ((cid, oid),) = q("SELECT id, order_id FROM after_sale WHERE type = 2 AND status = 3 ORDER BY id LIMIT 1")
    database.execute_sql("UPDATE after_sale SET type = 4, status = 32 WHERE id = ?", (cid,))
    click_tab(page, "all")
    refresh(page, qtbot)
    click_row(page, cid)
    v = page.view
    assert v.exchange_button.isEnabled() and not v.received_button.isEnabled()
    with qtbot.waitSignal(v.exchange_button.clicked, timeout=1000):
        v.exchange_button.click()
    qtbot.waitUntil(lambda: isinstance(page.current_dialog, ExchangeShipDialog), timeout=5000)
    dlg = page.current_dialog
    courier = COURIERS[0]
    dlg.form.select_courier(courier.id)
    dlg.form.number_edit.setText("12")
    assert not dlg.ok_button.isEnabled() and dlg.form.message_label.text()
    number = tracking_number(courier, 838383, 5)
    dlg.form.number_edit.setText(number)
    assert dlg.ok_button.isEnabled()
    dlg.grab().save("/tmp/as/exchange_dialog.png")
    dlg.ok_button.click()
    assert not dlg.isVisible()
    assert q("SELECT status FROM after_sale WHERE id = ?", cid) == [(18,)]
    assert q(
        "SELECT p.kind, p.tracking_number FROM package p JOIN package_order l ON l.package_id = p.id "
        "WHERE l.order_id = ? AND p.kind = 'resend'",
        oid,
    ) == [("resend", number)]
    assert q("SELECT op_type FROM outbox WHERE entity_remote_id = ?", str(cid)) == [("exchange_ship",)]
    assert v.message_label.text() == "已发货，等待同步上传到平台"
    assert "换货/补寄发货" in v.detail.toPlainText() and not v.exchange_button.isEnabled()


def test_intercept_a_printed_order(qtbot, page, demo_shop):
    from pdd_desktop.ui.pages.after_sales.dialogs import InterceptDialog

    ((cid, oid),) = q("SELECT id, order_id FROM after_sale WHERE type = 1 AND status = 2 ORDER BY id LIMIT 1")
    # its order is 待发货 with the label printed (the demo's waiting requests are on shipped orders)
    database.execute_sql('UPDATE "order" SET status = 1, shipped_at = NULL WHERE id = ?', (oid,))
    ((number,),) = q("SELECT tracking_number FROM waybill_number WHERE state = 'free' ORDER BY id LIMIT 1")
    database.execute_sql('UPDATE "order" SET print_count = 1 WHERE id = ?', (oid,))
    database.execute_sql(
        "UPDATE waybill_number SET state = 'allocated', order_id = ? WHERE tracking_number = ?", (oid, number)
    )
    click_tab(page, "all")
    refresh(page, qtbot)
    click_row(page, cid)
    v = page.view
    assert v.intercept_button.isEnabled()
    v.intercept_button.click()
    dlg = page.current_dialog
    assert isinstance(dlg, InterceptDialog)
    dlg.ok_button.click()
    assert not dlg.isVisible()
    assert q("SELECT state FROM waybill_number WHERE tracking_number = ?", number) == [("cancelled",)]
    assert v.message_label.text() == "已拦截：面单已作废，请把已打包的商品放回货架"
    assert "拦截发货" in v.detail.toPlainText() and number in v.detail.toPlainText()
    assert not v.intercept_button.isEnabled() and "已拦截" in v.intercept_button.toolTip()
    page.window().resize(1280, 800)
    page.window().grab().save("/tmp/as/after_sales_1280.png")


def test_refund_ledger_dialog_shows_the_services_figures(qtbot, page, demo_shop):
    from pdd_desktop.domain.money import format_yuan
    from pdd_desktop.ui.pages.after_sales.ledger import RefundLedgerDialog

    page.view.ledger_button.click()
    dlg = page.ledger_dialog
    assert isinstance(dlg, RefundLedgerDialog) and dlg.isVisible()
    qtbot.waitUntil(lambda: "退款成功" in dlg.summary_label.text(), timeout=5000)
    want = svc.refund_ledger_days(30)
    assert want.cases > 0  # the demo shop has refunds in its last 30 days
    assert format_yuan(want.refunded_fen) in dlg.summary_label.text()
    assert dlg.day_table.rowCount() == len(want.by_day)
    assert dlg.goods_table.item(0, 0).text() == want.by_goods[0].label
    assert dlg.reason_table.item(0, 2).text() == format_yuan(want.by_reason[0].refunded_fen)
    top = want.rates[0]
    assert dlg.rate_table.item(0, 3).text() == f"{top.rate_permille // 10}.{top.rate_permille % 10}%"
    dlg.resize(720, 520)
    dlg.tabs.setCurrentIndex(3)
    dlg.grab().save("/tmp/as/ledger.png")
    # another period re-reads
    week = svc.refund_ledger_days(7)
    dlg.period_combo.setCurrentIndex(0)
    qtbot.waitUntil(lambda: dlg.day_table.rowCount() == len(week.by_day), timeout=5000)
    qtbot.waitUntil(lambda: format_yuan(week.refunded_fen) in dlg.summary_label.text(), timeout=5000)
    dlg.close()
