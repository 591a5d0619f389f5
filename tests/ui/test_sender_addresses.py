"""设置 → 发货地址: add, edit, make default and delete through the page; labels print the default."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from pdd_desktop.domain.errors import NotAllowed
from pdd_desktop.services import addresses
from pdd_desktop.services import printing as printing_svc
from tests.helpers.db import q
from tests.printing.helpers import needs_poppler, text


def _senders(db) -> list[tuple]:
    return q(
        "SELECT contact_name, phone, province, city, district, detail, is_default FROM address "
        "WHERE is_sender = 1 ORDER BY id"
    )


def _fill(
    dlg,
    *,
    contact="李发货",
    phone="13912345678",
    region=("浙江省", "金华市", "义乌市"),
    detail="福田街道 88 号仓",
):
    dlg.contact_edit.setText(contact)
    dlg.phone_edit.setText(phone)
    for edit, value in zip((dlg.province_edit, dlg.city_edit, dlg.district_edit), region, strict=True):
        edit.setText(value)
    dlg.detail_edit.setText(detail)


def _select(page, contact: str) -> None:
    table = page.view.sender_table
    for r in range(table.rowCount()):
        if table.item(r, 0).text() == contact:
            table.selectRow(r)
            return
    raise AssertionError(f"{contact} not listed")


def _label_text(tmp_path, name="label.pdf") -> str:
    order = q('SELECT id FROM "order" WHERE status = 1 ORDER BY id LIMIT 1')[0][0]
    doc = printing_svc.render_documents(doc_type="label", order_ids=[order], out=tmp_path / name)
    return text(doc.path).replace("\n", "").replace(" ", "")


@needs_poppler
def test_sender_address_crud_and_the_label(qtbot, window, demo_shop, tmp_path):
    window.show_page("settings")
    page = window.page("settings")
    v = page.view
    before = _senders(demo_shop.db_file)
    assert len(before) == 1 and v.sender_table.rowCount() == 1
    demo_phone = before[0][1]
    assert v.sender_table.item(0, 1).text() != demo_phone and "*" in v.sender_table.item(0, 1).text()
    assert v.sender_table.item(0, 3).text() == "默认"
    assert not v.sender_missing_label.isVisible()

    # Add: a bad phone is explained in the dialog and nothing is saved.
    qtbot.mouseClick(v.sender_add_button, Qt.MouseButton.LeftButton)
    dlg = page.address_dialog
    _fill(dlg, phone="1391234")
    dlg.default_check.setChecked(True)
    qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    assert dlg.isVisible() and "联系电话" in dlg.error_label.text() and "1391234" in dlg.error_label.text()
    assert _senders(demo_shop.db_file) == before
    dlg.phone_edit.setText("139 1234 5678")
    qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dlg.isVisible())
    after = _senders(demo_shop.db_file)
    assert after[-1] == ("李发货", "13912345678", "浙江省", "金华市", "义乌市", "福田街道 88 号仓", 1)
    assert [row[6] for row in after] == [0, 1]  # the new one is the only default
    qtbot.waitUntil(lambda: v.sender_table.rowCount() == 2)
    assert v.sender_table.item(0, 0).text() == "李发货" and v.sender_table.item(0, 1).text() == "139****5678"
    assert "李发货" in _label_text(tmp_path) and "13912345678" in _label_text(tmp_path, "b.pdf")

    # Edit: the dialog shows the full phone; a too-short address is refused.
    _select(page, "李发货")
    qtbot.mouseClick(v.sender_edit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.address_dialog is not dlg and page.address_dialog.isVisible())
    edit = page.address_dialog
    assert edit.phone_edit.text() == "13912345678"
    edit.detail_edit.setText("1号")
    qtbot.mouseClick(edit.ok_button, Qt.MouseButton.LeftButton)
    assert "详细地址" in edit.error_label.text() and edit.isVisible()
    edit.contact_edit.setText("王仓管")
    edit.detail_edit.setText("福田街道 99 号二楼仓库")
    qtbot.mouseClick(edit.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not edit.isVisible())
    assert _senders(demo_shop.db_file)[-1][0] == "王仓管"

    # Make the demo's address the default again: the label follows.
    _select(page, before[0][0])
    qtbot.mouseClick(v.sender_default_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: v.sender_table.item(0, 0).text() == before[0][0])
    assert [row[6] for row in _senders(demo_shop.db_file)] == [1, 0]
    label = _label_text(tmp_path, "c.pdf")
    assert before[0][0] in label and "王仓管" not in label

    # Delete both: the other becomes default, then none is left and 设置 says so.
    page.confirm_delete_sender = lambda _text: True
    _select(page, before[0][0])
    qtbot.mouseClick(v.sender_delete_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: v.sender_table.rowCount() == 1)
    assert [row[6] for row in _senders(demo_shop.db_file)] == [1]
    _select(page, "王仓管")
    qtbot.mouseClick(v.sender_delete_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: v.sender_table.rowCount() == 0)
    assert _senders(demo_shop.db_file) == []
    assert v.sender_missing_label.isVisible() and "发货地址" in v.sender_missing_label.text()
    shop_name = q("SELECT name FROM shop")[0][0]
    label = _label_text(tmp_path, "d.pdf")
    assert shop_name.replace(" ", "") in label and "王仓管" not in label and before[0][0] not in label
    v.grab().save(str(tmp_path / "settings.png"))


def test_synced_return_addresses_cannot_be_edited_here(demo_shop):
    q("UPDATE address SET remote_id = 77, is_sender = 1 WHERE is_return = 1")
    rid = q("SELECT id FROM address WHERE remote_id = 77")[0][0]
    form = addresses.AddressForm("张三", "13800001111", "浙江省", "金华市", "义乌市", "宾王路 1 号")
    with pytest.raises(NotAllowed, match="拼多多商家后台"):
        addresses.save_sender_address(address_id=rid, form=form)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("contact_name", "  ", "联系人：不能为空"),
        ("phone", "12345678901", "不是有效的手机号"),
        ("province", "浙", "省份：至少 2 个字"),
        ("detail", "x" * 121, "详细地址：不能超过 120 个字"),
    ],
)
def test_validation_messages_and_nothing_saved(demo_shop, field, value, message):
    before = q("SELECT * FROM address ORDER BY id")
    good = dict(
        contact_name="张三",
        phone="0579-85551234",
        province="浙江省",
        city="金华市",
        district="义乌市",
        detail="宾王路 1 号",
    )
    good[field] = value
    with pytest.raises(Exception, match=message):
        addresses.save_sender_address(address_id=None, form=addresses.AddressForm(**good))
    assert q("SELECT * FROM address ORDER BY id") == before
