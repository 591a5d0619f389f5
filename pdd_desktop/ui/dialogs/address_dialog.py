"""Add or edit a sender (发货) or return (退货) address: contact, phone, region, street, default flag.

The values are checked by ``services.addresses`` when saved; a refusal shows in the dialog,
which stays open. Public children: the editors below, ``default_check`` and FormDialog's.
"""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QFormLayout, QHBoxLayout, QLineEdit, QWidget

from pdd_desktop.services.addresses import AddressForm
from pdd_desktop.ui.dialogs.form import FormDialog
from pdd_desktop.ui.i18n import tr


class AddressDialog(FormDialog):
    """The address form (sender, or with ``with_default=False`` a return address); ``form()`` reads it."""

    def __init__(
        self,
        title: str,
        value: AddressForm | None = None,
        parent: QWidget | None = None,
        *,
        with_default: bool = True,
    ) -> None:
        super().__init__(title, tr("保存"), parent)
        value = value or AddressForm()
        form = QFormLayout()
        self.contact_edit = QLineEdit(value.contact_name)
        self.contact_edit.setPlaceholderText(tr("发件人姓名"))
        self.phone_edit = QLineEdit(value.phone)
        self.phone_edit.setPlaceholderText(tr("手机号或固定电话，如 13812345678 / 0579-85551234"))
        self.province_edit = QLineEdit(value.province)
        self.province_edit.setPlaceholderText(tr("省"))
        self.city_edit = QLineEdit(value.city)
        self.city_edit.setPlaceholderText(tr("市"))
        self.district_edit = QLineEdit(value.district)
        self.district_edit.setPlaceholderText(tr("区/县"))
        region = QHBoxLayout()
        for edit in (self.province_edit, self.city_edit, self.district_edit):
            region.addWidget(edit)
        self.detail_edit = QLineEdit(value.detail)
        self.detail_edit.setPlaceholderText(tr("街道、门牌号、仓库"))
        self.default_check = QCheckBox(tr("设为默认发货地址（打印在面单上）"))
        self.default_check.setChecked(value.is_default)
        form.addRow(tr("联系人"), self.contact_edit)
        form.addRow(tr("联系电话"), self.phone_edit)
        form.addRow(tr("所在地区"), region)
        form.addRow(tr("详细地址"), self.detail_edit)
        if with_default:
            form.addRow("", self.default_check)
        else:  # a return address: the default flag is not edited here
            self.default_check.setVisible(False)
        self.body.addLayout(form)
        self.setMinimumWidth(520)
        self.finish_layout()

    def form(self) -> AddressForm:
        """What the user typed."""
        return AddressForm(
            contact_name=self.contact_edit.text(),
            phone=self.phone_edit.text(),
            province=self.province_edit.text(),
            city=self.city_edit.text(),
            district=self.district_edit.text(),
            detail=self.detail_edit.text(),
            is_default=self.default_check.isChecked(),
        )
