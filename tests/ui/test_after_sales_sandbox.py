"""售后 page on a shop bound to the sandbox: 同意退货 → buyer ships → 确认收货并退款 → refund done.

Clicks go through the page and its dialogs; the sync engine pushes and pulls between the steps;
the end state is checked on both sides (case, order, stock, movements, refund) and every op
applied once.
"""

from __future__ import annotations

import random

import pytest
from PySide6.QtCore import QSettings

from pdd_desktop.common.paths import shop_paths
from pdd_desktop.data.db import database
from pdd_desktop.domain.catalogue import COURIERS, tracking_number
from pdd_desktop.jobs.events import AppEvents
from pdd_desktop.jobs.runner import ImmediateRunner
from pdd_desktop.services import after_sales, shops, waybills
from pdd_desktop.services import shop as shop_service
from pdd_desktop.ui.main_window import MainWindow
from pdd_desktop.ui.pages.after_sales.dialogs import (
    AgreeRefundDialog,
    AgreeReturnDialog,
    ConfirmReceivedDialog,
    ExchangeShipDialog,
    InterceptDialog,
    RejectDialog,
)
from pdd_desktop.ui.pages.after_sales.page import AfterSalesPage
from pdd_desktop.ui.pages.base import PageContext
from tests.helpers.db import raw_rows
from tests.helpers.sync_rig import assert_ops_applied_once, make_rig
from tests.sandbox import NOW0
from tests.services.test_after_sales_ops import (
    REFUND_API,
    RETURN_API,
    case_and_order,
    later,
    open_remote_case,
    remote_case,
)
from tests.ui.test_after_sales_page import click_row


@pytest.fixture
def rig(tmp_path, tmp_path_factory):
    r = make_rig(tmp_path, tmp_path_factory)
    yield r
    r.close()


def open_page(qtbot, rig, tmp_path, shop: str = "sync") -> AfterSalesPage:
    """售后 in a main window over the rig's local shop (inline jobs), on the 全部 tab."""
    sp = shop_paths(rig.data_dir, shop)  # the rig's local shop (already open)
    ctx = PageContext(ImmediateRunner(), AppEvents(), sp, shop_service.describe_shop(sp))
    win = MainWindow(ctx, QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(win)
    win.resize(1400, 860)
    win.show()
    win.show_page("after_sales")
    page = win.page("after_sales")
    page.show_tab("all")
    return page


def pull_and_show(rig, engine, page, cid) -> None:
    """Platform time moves on, a sync run pulls, the page reloads and shows the case."""
    later(rig, engine)
    assert engine.run_once().outcome == "ok"
    page.refresh()
    click_row(page, cid)


def test_return_outcome_driven_through_the_page_to_the_platforms_end_state(qtbot, rig, tmp_path):
    cid, _sn = open_remote_case(rig, 2, 3)
    engine = rig.engine()
    assert engine.run_once().outcome == "ok"
    page = open_page(qtbot, rig, tmp_path)

    # 同意退货 with the shop's return address
    click_row(page, cid)
    page.view.return_button.click()
    dlg = page.current_dialog
    assert isinstance(dlg, AgreeReturnDialog) and dlg.address_combo.count() >= 1
    chosen = dlg.selected_address()
    dlg.ok_button.click()
    assert raw_rows(rig.db, "SELECT status, return_address FROM after_sale WHERE id = ?", (cid,)) == [
        (7, chosen.text)
    ]
    assert engine.push().succeeded == 1
    assert remote_case(rig, cid) == 7

    # the buyer ships the parcel back; the pull brings 27 and the return's tracking number
    with rig.shop.tx() as c:
        rig.shop.sim._ev_buyer_return(c, rig.shop.platform_now(), cid, None, random.Random(3))
    pull_and_show(rig, engine, page, cid)
    assert page.detail.row.status == 27 and page.view.received_button.isEnabled()
    ((sku, qty),) = raw_rows(rig.db, "SELECT sku_id, quantity FROM after_sale WHERE id = ?", (cid,))
    ((stock_before,),) = raw_rows(rig.db, "SELECT stock FROM sku WHERE sku_id = ?", (sku,))
    ((remote_before,),) = rig.shop.query("SELECT stock FROM sku WHERE sku_id = ?", (sku,))

    # 确认收货并退款: every unit good (back to stock)
    page.view.received_button.click()
    dlg = page.current_dialog
    assert isinstance(dlg, ConfirmReceivedDialog)
    assert dlg.counts() == (qty, 0)
    dlg.ok_button.click()
    assert raw_rows(rig.db, "SELECT stock FROM sku WHERE sku_id = ?", (sku,)) == [(stock_before + qty,)]
    assert raw_rows(
        rig.db, "SELECT delta, stock_after, kind FROM stock_movement WHERE after_sale_id = ?", (cid,)
    ) == [(qty, stock_before + qty, "return")]
    report = engine.push()
    assert report.succeeded == 2, report
    assert rig.shop.query("SELECT stock FROM sku WHERE sku_id = ?", (sku,)) == [(remote_before + qty,)]

    # the platform pays the money back and closes the case
    with rig.shop.tx() as c:
        rig.shop.sim._ev_refund_done(c, rig.shop.platform_now(), cid, None, None)
    pull_and_show(rig, engine, page, cid)
    assert case_and_order(rig, cid) == case_and_order(rig, cid, remote=True)
    assert case_and_order(rig, cid)[0] == 10
    assert page.detail.row.status == 10 and "退款成功" in page.view.detail.toPlainText()
    assert page.detail.return_address == chosen.text  # the pulls keep the address the case was agreed with
    ((refund,),) = raw_rows(rig.db, "SELECT refund_amount_fen FROM after_sale WHERE id = ?", (cid,))
    assert rig.shop.query("SELECT refund_amount_fen FROM after_sale WHERE id = ?", (cid,)) == [(refund,)]
    assert engine.push().sent == 0
    assert rig.shop.effects(RETURN_API, entity=cid) == 1
    assert rig.shop.effects(REFUND_API, entity=cid) == 1
    assert_ops_applied_once(
        rig, actions=[("return_goods_agree", str(cid)), ("refund_agree", str(cid)), ("set_stock", str(sku))]
    )


def test_refund_outcome_to_refund_success_and_the_ledger(qtbot, rig, tmp_path):
    cid, _sn = open_remote_case(rig, 1, 2)
    engine = rig.engine()
    assert engine.run_once().outcome == "ok"
    page = open_page(qtbot, rig, tmp_path)
    click_row(page, cid)
    page.view.refund_button.click()
    dlg = page.current_dialog
    assert isinstance(dlg, AgreeRefundDialog)
    dlg.note_edit.setText("已核实，同意退款")
    dlg.ok_button.click()
    assert case_and_order(rig, cid)[0] == 4
    assert engine.push().succeeded == 1
    assert remote_case(rig, cid) == 4
    t = rig.shop.platform_now()
    window = {"start": t - 2 * 86_400, "end": t + 2 * 86_400}
    before = after_sales.refund_ledger(**window)
    with rig.shop.tx() as c:  # the platform pays the money back
        rig.shop.set_case_status(c, cid, 10, rig.shop.platform_now(), actor="system", action="退款成功")
    pull_and_show(rig, engine, page, cid)
    assert case_and_order(rig, cid) == case_and_order(rig, cid, remote=True) == (10, 4, 10)
    assert page.detail.row.status == 10 and not page.view.refund_button.isEnabled()
    # the refunded money is in the ledger, once
    ((refund, closed),) = raw_rows(
        rig.db, "SELECT refund_amount_fen, closed_at FROM after_sale WHERE id = ?", (cid,)
    )
    assert closed is not None and window["start"] <= closed < window["end"]
    after = after_sales.refund_ledger(**window)
    assert (after.cases, after.refunded_fen) == (before.cases + 1, before.refunded_fen + refund)
    assert engine.push().sent == 0
    assert rig.shop.effects(REFUND_API, entity=cid) == 1
    assert_ops_applied_once(rig, actions=[("refund_agree", str(cid))])


def test_exchange_outcome_shipped_through_the_dialog_until_the_buyer_confirms(qtbot, rig, tmp_path):
    cid, _sn = open_remote_case(rig, 3, 14)
    engine = rig.engine()
    assert engine.run_once().outcome == "ok"
    page = open_page(qtbot, rig, tmp_path)
    click_row(page, cid)
    ((sku, qty),) = raw_rows(rig.db, "SELECT sku_id, quantity FROM after_sale WHERE id = ?", (cid,))
    ((stock_before,),) = raw_rows(rig.db, "SELECT stock FROM sku WHERE sku_id = ?", (sku,))
    ((remote_before,),) = rig.shop.query("SELECT stock FROM sku WHERE sku_id = ?", (sku,))
    assert page.view.exchange_button.isEnabled()
    page.view.exchange_button.click()
    qtbot.waitUntil(lambda: isinstance(page.current_dialog, ExchangeShipDialog), timeout=5000)
    dlg = page.current_dialog
    courier = COURIERS[0]
    number = tracking_number(courier, 727272, 7)
    dlg.form.select_courier(courier.id)
    dlg.form.number_edit.setText(number)
    dlg.ok_button.click()
    assert case_and_order(rig, cid)[0] == 18
    # the parcel's units left the shelf: stock and its movement, in the same click
    assert raw_rows(rig.db, "SELECT stock FROM sku WHERE sku_id = ?", (sku,)) == [(stock_before - qty,)]
    assert raw_rows(
        rig.db, "SELECT delta, stock_after, kind FROM stock_movement WHERE after_sale_id = ?", (cid,)
    ) == [(-qty, stock_before - qty, "resend")]
    report = engine.push()
    assert report.succeeded == 2, report  # the stock and the parcel
    assert remote_case(rig, cid) == 18
    assert rig.shop.query("SELECT stock FROM sku WHERE sku_id = ?", (sku,)) == [(remote_before - qty,)]
    ((kind, shipped),) = raw_rows(
        rig.db,
        "SELECT p.kind, p.tracking_number FROM package p JOIN package_order l ON l.package_id = p.id "
        "JOIN after_sale a ON a.order_id = l.order_id WHERE a.id = ? AND p.kind = 'resend'",
        (cid,),
    )
    assert (kind, shipped) == ("resend", number)
    with rig.shop.tx() as c:  # the buyer confirms the parcel
        rig.shop.sim._ev_exchange_done(c, rig.shop.platform_now(), cid, None, None)
    pull_and_show(rig, engine, page, cid)
    assert case_and_order(rig, cid) == case_and_order(rig, cid, remote=True)
    assert page.detail.row.status == 16
    assert engine.push().sent == 0
    assert rig.shop.effects("pdd.refund.exchange.shipping", entity=cid) == 1
    assert_ops_applied_once(rig, actions=[("exchange_ship", str(cid)), ("set_stock", str(sku))])
    # the pulls after it leave the booked stock alone (no second movement for the parcel)
    assert raw_rows(rig.db, "SELECT COUNT(*) FROM stock_movement WHERE after_sale_id = ?", (cid,)) == [(1,)]


def test_reject_recorded_here_and_tracked_until_the_platform_answers(qtbot, rig, tmp_path):
    cid, _sn = open_remote_case(rig, 2, 3)
    engine = rig.engine()
    assert engine.run_once().outcome == "ok"
    page = open_page(qtbot, rig, tmp_path)
    click_row(page, cid)
    ((outbox_before,),) = raw_rows(rig.db, "SELECT COUNT(*) FROM outbox")
    page.view.reject_button.click()
    dlg = page.current_dialog
    assert isinstance(dlg, RejectDialog)
    dlg.reason_combo.setCurrentIndex(2)
    dlg.evidence_edit.setPlainText("开箱视频已上传到后台")
    dlg.ok_button.click()
    assert raw_rows(rig.db, "SELECT COUNT(*) FROM outbox") == [(outbox_before,)]  # no reject API
    assert page.detail.row.reject_pending
    assert engine.push().sent == 0
    # the merchant rejected in the backend: the platform's answer comes with the next pull
    with rig.shop.tx() as c:
        rig.shop.set_case_status(c, cid, 6, rig.shop.platform_now(), actor="seller", action="驳回退款")
    pull_and_show(rig, engine, page, cid)
    assert case_and_order(rig, cid) == case_and_order(rig, cid, remote=True)
    assert page.detail.row.status == 6 and not page.detail.row.reject_pending
    assert "驳回退款，待买家处理" in page.view.detail.toPlainText()


@pytest.fixture
def real(tmp_path, tmp_path_factory):
    """A new real shop synced from the sandbox (its platform e-waybill accounts too)."""
    r = make_rig(tmp_path, tmp_path_factory, local="empty")
    paths = shops.create_shop(r.data_dir, "拦截测试小店")
    shop_service.open_shop(shop_paths(r.data_dir, paths.shop))
    r.db = paths.db_file
    report = r.engine(r.client(rate_limits=False), initial_cursor_ts=NOW0 - 6 * 86_400).run_once()
    assert report.outcome == "ok", report
    yield r, paths.shop
    r.close()


def test_intercept_a_printed_order_then_refund_on_the_sandbox(qtbot, real, tmp_path):
    rig, shop = real
    engine = rig.engine(rig.client(rate_limits=False), initial_cursor_ts=NOW0 - 6 * 86_400)
    ((oid, sn),) = raw_rows(
        rig.db,
        'SELECT id, order_sn FROM "order" o WHERE status = 1 AND refund_status = 1 '
        "AND after_sales_status = 0 "
        "AND NOT EXISTS (SELECT 1 FROM package_order po WHERE po.order_id = o.id) ORDER BY id LIMIT 1",
    )
    (zto,) = [a for a in waybills.list_accounts() if a.source == "platform" and a.wp_code == "ZTO"]
    number = waybills.issue_numbers(client=rig.client(), order_ids=[oid], account_id=zto.id).numbers[oid]
    balance = rig.shop.waybills.balance("ZTO")
    database.execute_sql('UPDATE "order" SET print_count = 1 WHERE id = ?', (oid,))  # the label is printed
    item_skus = [r[0] for r in raw_rows(rig.db, "SELECT sku_id FROM order_item WHERE order_id = ?", (oid,))]
    marks = ",".join("?" * len(item_skus))
    stock_sql = f"SELECT sku_id, stock FROM sku WHERE sku_id IN ({marks}) ORDER BY sku_id"
    stock_before = raw_rows(rig.db, stock_sql, tuple(item_skus))
    # the buyer asks for a refund before the parcel leaves
    with rig.shop.tx() as c:
        ((remote_oid, pay),) = c.execute(
            'SELECT id, pay_amount_fen FROM "order" WHERE order_sn = ?', (sn,)
        ).fetchall()
        t = rig.shop.platform_now() - 600
        cid = rig.shop.sim._open_case(c, t, remote_oid, 1, 2, pay, "不想要了", random.Random(5))
    later(rig, engine)
    assert engine.run_once().outcome == "ok"
    # the pull saw the refund request: the platform number is voided and its cancel queued
    assert raw_rows(
        rig.db, "SELECT state, cancel_state FROM waybill_number WHERE tracking_number = ?", (number,)
    ) == [("cancelled", "pending")]
    page = open_page(qtbot, rig, tmp_path, shop)
    click_row(page, cid)
    assert page.view.intercept_button.isEnabled(), page.view.intercept_button.toolTip()
    page.view.intercept_button.click()
    dlg = page.current_dialog
    assert isinstance(dlg, InterceptDialog)
    dlg.ok_button.click()
    assert not dlg.isVisible()
    assert "拦截发货" in page.view.detail.toPlainText() and not page.view.intercept_button.isEnabled()
    ((action,),) = raw_rows(
        rig.db, "SELECT action FROM after_sale_event WHERE after_sale_id = ? AND actor = 'seller'", (cid,)
    )
    assert action == after_sales.INTERCEPT_ACTION
    # then the refund itself
    click_row(page, cid)
    page.view.refund_button.click()
    dlg = page.current_dialog
    assert isinstance(dlg, AgreeRefundDialog)
    dlg.ok_button.click()
    report = engine.push()
    assert report.succeeded == 2, report  # the label cancel and the refund
    assert rig.shop.effects("pdd.waybill.cancel") == 1
    assert rig.shop.waybills.balance("ZTO") == balance + 1  # the number went back
    assert remote_case(rig, cid) == 4
    with rig.shop.tx() as c:
        rig.shop.set_case_status(c, cid, 10, rig.shop.platform_now(), actor="system", action="退款成功")
    pull_and_show(rig, engine, page, cid)
    assert case_and_order(rig, cid) == case_and_order(rig, cid, remote=True)
    assert page.detail.row.status == 10
    assert raw_rows(
        rig.db, "SELECT cancel_state FROM waybill_number WHERE tracking_number = ?", (number,)
    ) == [("done",)]
    # never shipped: no stock left the shelf for this order, none comes back
    assert raw_rows(
        rig.db, "SELECT COUNT(*) FROM stock_movement WHERE order_id = ? OR after_sale_id = ?", (oid, cid)
    ) == [(0,)]
    assert raw_rows(rig.db, 'SELECT status, shipped_at FROM "order" WHERE id = ?', (oid,))[0][1] is None
    # neither restocked (nothing left) nor missed: the SKUs' stock here is what it was, and no
    # stock op went to the platform for them
    assert stock_before and raw_rows(rig.db, stock_sql, tuple(item_skus)) == stock_before
    assert raw_rows(
        rig.db,
        f"SELECT COUNT(*) FROM outbox WHERE op_type = 'set_stock' AND entity_remote_id IN ({marks})",
        tuple(str(s) for s in item_skus),
    ) == [(0,)]
    assert engine.push().sent == 0
    assert rig.shop.effects(REFUND_API, entity=cid) == 1
    assert_ops_applied_once(rig, actions=[("refund_agree", str(cid)), ("waybill_cancel", number)])
