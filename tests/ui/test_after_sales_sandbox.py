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
from pdd_desktop.jobs.events import AppEvents
from pdd_desktop.jobs.runner import ImmediateRunner
from pdd_desktop.services import shop as shop_service
from pdd_desktop.ui.main_window import MainWindow
from pdd_desktop.ui.pages.after_sales.dialogs import AgreeReturnDialog, ConfirmReceivedDialog
from pdd_desktop.ui.pages.base import PageContext
from tests.helpers.db import raw_rows
from tests.helpers.sync_rig import assert_ops_applied_once, make_rig
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


def test_return_outcome_driven_through_the_page_to_the_platforms_end_state(qtbot, rig, tmp_path):
    cid, _sn = open_remote_case(rig, 2, 3)
    engine = rig.engine()
    assert engine.run_once().outcome == "ok"
    sp = shop_paths(rig.data_dir, "sync")  # the rig's local shop (already open)
    ctx = PageContext(ImmediateRunner(), AppEvents(), sp, shop_service.describe_shop(sp))
    win = MainWindow(ctx, QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(win)
    win.resize(1400, 860)
    win.show()
    win.show_page("after_sales")
    page = win.page("after_sales")
    page.show_tab("all")

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
    later(rig, engine)
    assert engine.run_once().outcome == "ok"
    page.refresh()
    click_row(page, cid)
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
    later(rig, engine)
    assert engine.run_once().outcome == "ok"
    assert case_and_order(rig, cid) == case_and_order(rig, cid, remote=True)
    assert case_and_order(rig, cid)[0] == 10
    page.refresh()
    click_row(page, cid)
    assert page.detail.row.status == 10 and "退款成功" in page.view.detail.toPlainText()
    ((refund,),) = raw_rows(rig.db, "SELECT refund_amount_fen FROM after_sale WHERE id = ?", (cid,))
    assert rig.shop.query("SELECT refund_amount_fen FROM after_sale WHERE id = ?", (cid,)) == [(refund,)]
    assert engine.push().sent == 0
    assert rig.shop.effects(RETURN_API, entity=cid) == 1
    assert rig.shop.effects(REFUND_API, entity=cid) == 1
    assert_ops_applied_once(
        rig, actions=[("return_goods_agree", str(cid)), ("refund_agree", str(cid)), ("set_stock", str(sku))]
    )
    win.close()
