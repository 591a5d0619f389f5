"""订单开票 dialog and the 开票信息 settings group, on a copy of the demo shop with inline jobs."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QDesktopServices

from pdd_desktop.domain.orders import OrderStatus
from pdd_desktop.services.settings import update_settings
from pdd_desktop.ui.pages.orders.invoice_dialog import InvoiceDialog
from tests.helpers.db import raw_rows

SELLER = dict(
    invoice_seller_title="义乌小满日用品有限公司",
    invoice_seller_tax_no="91330782MA2E8K7Q3L",
    invoice_seller_address_phone="浙江省义乌市稠城街道宾王路158号 0579-85551234",
    invoice_seller_bank_account="义乌农商银行稠城支行 2010 0001 2345 678",
    invoice_issuer="王店长",
)


def _free_order(db, status: OrderStatus = OrderStatus.SIGNED) -> tuple[int, str, int]:
    return raw_rows(
        db,
        'SELECT id, order_sn, pay_amount_fen FROM "order" WHERE status = ? AND paid_at IS NOT NULL '
        "AND id NOT IN (SELECT order_id FROM invoice_request) AND id IN "
        "(SELECT order_id FROM order_item GROUP BY order_id HAVING COUNT(*) >= 2) ORDER BY id LIMIT 1",
        (int(status),),
    )[0]


def _click(qtbot, button) -> None:
    assert button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _request_row(db, order_id):
    rows = raw_rows(
        db,
        "SELECT buyer_type, title, tax_no, email, amount_fen, status, invoice_no, pdf_path "
        "FROM invoice_request WHERE order_id = ?",
        (order_id,),
    )
    return rows[0] if rows else None


@pytest.fixture
def opened(monkeypatch):
    urls = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: urls.append(url) or True)
    return urls


def test_record_save_issue_and_upload(qtbot, page_ctx, demo_shop, tmp_path, opened):
    db = demo_shop.db_file
    oid, sn, pay = _free_order(db)
    changes = []
    dlg = InvoiceDialog(page_ctx.runner, oid, sn, out_dir=tmp_path / "inv")
    dlg.changes_applied.connect(changes.append)
    qtbot.addWidget(dlg)
    dlg.show()
    assert dlg.status_label.text() == "未申请" and dlg.invoice_no_label.text() == "—"
    assert dlg.amount_edit.text() == f"{pay // 100}.{pay % 100:02d}"
    assert dlg.personal_radio.isChecked() and not dlg.tax_no_edit.isEnabled()
    assert not dlg.issue_button.isEnabled() and not dlg.uploaded_button.isEnabled()
    assert not dlg.open_button.isEnabled()

    # Company without a tax number: refused, the field is named.
    dlg.company_radio.click()
    assert dlg.tax_no_edit.isEnabled()
    dlg.title_edit.setText("杭州某某科技有限公司")  # QTest types Latin-1 only
    _click(qtbot, dlg.save_button)
    assert dlg.message_label.text().startswith("税号") and _request_row(db, oid) is None
    qtbot.keyClicks(dlg.tax_no_edit, "91330106ma2h0abc1")  # 17 characters
    _click(qtbot, dlg.save_button)
    assert "税号" in dlg.message_label.text() and "17" in dlg.message_label.text()
    assert dlg.tax_no_edit.hasSelectedText()  # the bad field is selected for retyping
    dlg.tax_no_edit.end(False)
    qtbot.keyClicks(dlg.tax_no_edit, "x")
    # Bad amounts are explained inline before anything reaches the service.
    dlg.amount_edit.setText("12.345")
    _click(qtbot, dlg.save_button)
    assert dlg.message_label.text().startswith("开票金额") and "两位小数" in dlg.message_label.text()
    dlg.amount_edit.setText(f"{pay // 100 + 1}.00")
    _click(qtbot, dlg.save_button)
    assert dlg.message_label.text().startswith("开票金额") and "超过" in dlg.message_label.text()
    assert _request_row(db, oid) is None

    amount = pay - 123
    dlg.amount_edit.setText(f"{amount // 100}.{amount % 100:02d}")
    qtbot.keyClicks(dlg.email_edit, "fp@example.com")
    assert not dlg.issue_button.isEnabled()  # unsaved edits: save first
    _click(qtbot, dlg.save_button)
    assert _request_row(db, oid) == (
        "company", "杭州某某科技有限公司", "91330106MA2H0ABC1X", "fp@example.com", amount, "requested",
        None, "",
    )  # fmt: skip
    assert dlg.status_label.text() == "待开票" and dlg.tax_no_edit.text() == "91330106MA2H0ABC1X"
    assert changes and changes[-1].orders

    # No seller details yet: the message says which setting is missing.
    _click(qtbot, dlg.issue_button)
    assert "销售方名称" in dlg.message_label.text() and dlg.status_label.text() == "待开票"
    update_settings(**SELLER)
    _click(qtbot, dlg.issue_button)
    row = _request_row(db, oid)
    assert row[5] == "issued" and row[6].startswith("PDD20261123")
    assert dlg.status_label.text() == "已开票" and dlg.invoice_no_label.text() == row[6]
    assert dlg.pdf_label.toolTip() == row[7] == str(tmp_path / "inv" / f"{row[6]}.pdf")
    assert dlg.pdf_label.text() == f"{row[6]}.pdf"
    assert (tmp_path / "inv" / f"{row[6]}.pdf").exists()
    assert not dlg.save_button.isEnabled() and dlg.title_edit.isReadOnly()
    assert not dlg.issue_button.isEnabled() and dlg.uploaded_button.isEnabled()
    _click(qtbot, dlg.open_button)
    assert [u.toLocalFile() for u in opened] == [row[7]]
    dlg.grab().save("/tmp/invoice_dialog.png")

    _click(qtbot, dlg.uploaded_button)
    assert _request_row(db, oid)[5] == "uploaded"
    assert dlg.status_label.text() == "已上传" and not dlg.uploaded_button.isEnabled()
    actions = raw_rows(db, "SELECT action FROM audit_log WHERE order_id = ? ORDER BY id", (oid,))
    assert [a for (a,) in actions] == ["invoice_request", "invoice_issue", "invoice_uploaded"]
    assert len(changes) == 3

    # Reopened later, the dialog shows the finished request.
    again = InvoiceDialog(page_ctx.runner, oid, sn)
    qtbot.addWidget(again)
    assert again.status_label.text() == "已上传" and again.company_radio.isChecked()
    assert again.open_button.isEnabled() and not again.save_button.isEnabled()


def test_personal_request_issues_into_the_shop_folder(qtbot, page_ctx, demo_shop):
    update_settings(**SELLER)
    oid, sn, pay = _free_order(demo_shop.db_file, OrderStatus.TO_SHIP)
    dlg = InvoiceDialog(page_ctx.runner, oid, sn)
    qtbot.addWidget(dlg)
    dlg.title_edit.setText("张三")
    _click(qtbot, dlg.save_button)
    _click(qtbot, dlg.issue_button)
    row = _request_row(demo_shop.db_file, oid)
    assert row[:2] == ("personal", "张三") and row[4] == pay and row[5] == "issued"
    assert row[7].startswith(str(demo_shop.shop_dir / "invoices"))


def test_cancelled_order_cannot_be_invoiced(qtbot, page_ctx, demo_shop):
    oid, sn, _pay = _free_order(demo_shop.db_file, OrderStatus.CANCELLED)
    dlg = InvoiceDialog(page_ctx.runner, oid, sn)
    qtbot.addWidget(dlg)
    assert "已取消" in dlg.message_label.text()
    assert not dlg.save_button.isEnabled() and dlg.title_edit.isReadOnly()


def test_demo_request_issued_elsewhere_can_be_marked_uploaded(qtbot, page_ctx, demo_shop):
    oid, sn, no = raw_rows(
        demo_shop.db_file,
        "SELECT r.order_id, o.order_sn, r.invoice_no FROM invoice_request r "
        "JOIN \"order\" o ON o.id = r.order_id WHERE r.status = 'issued' ORDER BY r.id LIMIT 1",
    )[0]
    dlg = InvoiceDialog(page_ctx.runner, oid, sn)
    qtbot.addWidget(dlg)
    assert dlg.status_label.text() == "已开票" and dlg.invoice_no_label.text() == no
    assert "没有该发票的 PDF" in dlg.pdf_label.text() and not dlg.open_button.isEnabled()
    _click(qtbot, dlg.uploaded_button)
    assert _request_row(demo_shop.db_file, oid)[5] == "uploaded"


def test_settings_page_saves_the_seller_invoice_details(qtbot, window, demo_shop):
    window.show_page("settings")
    v = window.page("settings").view
    assert v.invoice_seller_title.text() == "" and v.invoice_status_label.text() == ""
    v.invoice_seller_title.setText(SELLER["invoice_seller_title"])
    qtbot.keyClicks(v.invoice_seller_tax_no, "9133078")
    _click(qtbot, v.invoice_save_button)
    assert v.invoice_status_label.text().startswith("销售方纳税人识别号")
    assert raw_rows(demo_shop.db_file, "SELECT COUNT(*) FROM setting WHERE key != 'demo_origin'") == [(0,)]
    v.invoice_seller_tax_no.setText(SELLER["invoice_seller_tax_no"].lower())
    v.invoice_issuer.setText("王店长")
    _click(qtbot, v.invoice_save_button)
    assert v.invoice_status_label.text() == "已保存"
    assert v.invoice_seller_tax_no.text() == SELLER["invoice_seller_tax_no"]
    rows = dict(raw_rows(demo_shop.db_file, "SELECT key, value_json FROM setting"))
    assert json.loads(rows["invoice_seller_title"]) == SELLER["invoice_seller_title"]
    assert json.loads(rows["invoice_seller_tax_no"]) == SELLER["invoice_seller_tax_no"]
    assert json.loads(rows["invoice_issuer"]) == "王店长"
    assert v.status_label.text() == ""  # the rules group is untouched
