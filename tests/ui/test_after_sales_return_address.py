"""同意退货 with a return address added and edited on this computer; the case shows it afterwards."""

from __future__ import annotations

import json

from pdd_desktop.data.db import database
from pdd_desktop.ui.pages.after_sales.detail import NEGOTIATION_SOURCE_TEXT
from pdd_desktop.ui.pages.after_sales.dialogs import SYNCED_ADDRESS_TEXT, AgreeReturnDialog
from pdd_desktop.ui.pages.after_sales.page import AfterSalesPage
from tests.helpers.db import q
from tests.helpers.pages import page_fixture
from tests.ui.test_after_sales_page import click_row, waiting_case

page = page_fixture("after_sales", lambda p: isinstance(p, AfterSalesPage), size=(1400, 860))


def fill(dlg, contact: str, detail: str) -> None:
    dlg.contact_edit.setText(contact)
    dlg.phone_edit.setText("13700001111")
    dlg.province_edit.setText("浙江省")
    dlg.city_edit.setText("金华市")
    dlg.district_edit.setText("义乌市")
    dlg.detail_edit.setText(detail)


def test_add_edit_and_agree_with_a_local_return_address(qtbot, page, demo_shop):
    cid = waiting_case(2, 3)
    click_row(page, cid)
    page.view.return_button.click()
    dlg = page.current_dialog
    assert isinstance(dlg, AgreeReturnDialog) and dlg.address_combo.count() == 1
    assert dlg.edit_address_button.isEnabled()  # the demo's return address is local
    dlg.add_address_button.click()
    form = page.address_dialog
    assert form is not None and not form.default_check.isVisible()
    fill(form, "赵仓库", "稠州北路 8 号")
    form.ok_button.click()
    qtbot.waitUntil(lambda: dlg.address_combo.count() == 2)
    assert "赵仓库" in dlg.address_combo.currentText() and "本机" in dlg.address_combo.currentText()
    # edit the new one: the list shows the change and keeps it chosen
    dlg.edit_address_button.click()
    qtbot.waitUntil(lambda: page.address_dialog is not form and page.address_dialog is not None)
    form = page.address_dialog
    qtbot.waitUntil(lambda: form.contact_edit.text() == "赵仓库")
    form.detail_edit.setText("稠州北路 10 号")
    form.ok_button.click()
    qtbot.waitUntil(lambda: "10 号" in dlg.address_combo.currentText())
    chosen = dlg.address_id()
    dlg.ok_button.click()
    qtbot.waitUntil(lambda: q("SELECT status FROM after_sale WHERE id = ?", cid) == [(7,)])
    ((payload,),) = q("SELECT payload_json FROM outbox WHERE entity_remote_id = ?", str(cid))
    assert json.loads(payload)["return_address_id"] == chosen
    text = page.view.detail.toPlainText()
    assert "退货地址" in text and "赵仓库 13700001111 浙江省金华市义乌市 稠州北路 10 号" in text
    assert NEGOTIATION_SOURCE_TEXT[:12] in text
    page.grab().save("/tmp/as18_case_address.png")


def test_a_synced_address_cannot_be_edited_here(qtbot, page, demo_shop):
    database.execute_sql("UPDATE address SET remote_id = 880001 WHERE is_return = 1")
    cid = waiting_case(2, 3)
    click_row(page, cid)
    page.view.return_button.click()
    dlg = page.current_dialog
    assert isinstance(dlg, AgreeReturnDialog)
    assert not dlg.edit_address_button.isEnabled()
    assert dlg.address_note.text() == SYNCED_ADDRESS_TEXT
    assert dlg.add_address_button.isEnabled()
    dlg.grab().save("/tmp/as18_agree_return.png")
    dlg.cancel_button.click()


def test_without_any_return_address_one_is_added_and_the_return_agreed(qtbot, page, demo_shop):
    database.execute_sql("UPDATE address SET is_return = 0")
    cid = waiting_case(2, 3)
    click_row(page, cid)
    page.current_dialog = None
    page.view.return_button.click()
    assert page.current_dialog is None  # nothing to agree with yet
    form = page.address_dialog
    assert form is not None and form.isVisible()
    fill(form, "钱退货", "宾王路 1 号")
    form.ok_button.click()
    qtbot.waitUntil(lambda: isinstance(page.current_dialog, AgreeReturnDialog))
    dlg = page.current_dialog
    assert dlg.address_combo.count() == 1 and "钱退货" in dlg.address_combo.currentText()
    dlg.ok_button.click()
    assert q("SELECT status, return_address FROM after_sale WHERE id = ?", cid) == [
        (7, "钱退货 13700001111 浙江省金华市义乌市 宾王路 1 号")
    ]
