"""营销 edit dialogs: a coupon batch and a 限时限量购 (the service checks the values when saved)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal, InvalidOperation

from PySide6.QtCore import QDateTime, QTimeZone
from PySide6.QtWidgets import QComboBox, QDateTimeEdit, QFormLayout, QLineEdit, QSpinBox, QWidget

from pdd_desktop.domain.money import MoneyError, format_yuan_plain, yuan_to_fen
from pdd_desktop.ui.dialogs.form import FormDialog
from pdd_desktop.ui.i18n import tr

_SHANGHAI = QTimeZone(b"Asia/Shanghai")


def _datetime_edit(ts: int) -> QDateTimeEdit:
    edit = QDateTimeEdit(QDateTime.fromSecsSinceEpoch(int(ts), _SHANGHAI))
    edit.setTimeZone(_SHANGHAI)
    edit.setDisplayFormat("yyyy-MM-dd HH:mm")
    edit.setCalendarPopup(True)
    return edit


def _goods_combo(goods: Sequence[tuple[int, str]], selected: int | None) -> QComboBox:
    combo = QComboBox()
    combo.setMinimumWidth(320)
    for goods_id, name in goods:
        combo.addItem(tr("{name}（{goods_id}）").format(name=name, goods_id=goods_id), goods_id)
    if selected is not None:
        i = combo.findData(selected)
        if i >= 0:
            combo.setCurrentIndex(i)
    return combo


class InputError(ValueError):
    """A field the dialog cannot read; ``str()`` is the reason in Chinese."""


def _fen(edit: QLineEdit, label: str, *, required: bool = True) -> int:
    text = edit.text().strip()
    if not text:
        if required:
            raise InputError(tr("{label}：请填写金额").format(label=label))
        return 0
    try:
        return yuan_to_fen(text)
    except MoneyError:
        raise InputError(tr("{label}：金额格式不对（元，最多两位小数）").format(label=label)) from None


class CouponDialog(FormDialog):
    """New or edit coupon. Public children: the editors below and FormDialog's."""

    def __init__(
        self, title: str, goods: Sequence[tuple[int, str]], now: int, row=None, parent: QWidget | None = None
    ) -> None:
        super().__init__(title, tr("保存"), parent)
        form = QFormLayout()
        self.kind_combo = QComboBox()
        self.kind_combo.addItem(tr("商品券（无门槛，同步到平台）"), "goods")
        self.kind_combo.addItem(tr("店铺满减券（需在平台设置）"), "shop")
        self.name_edit = QLineEdit(row.name if row else "")
        self.name_edit.setPlaceholderText(tr("如：新品立减5元"))
        self.goods_combo = _goods_combo(goods, row.goods_id if row else None)
        self.discount_edit = QLineEdit(format_yuan_plain(row.discount_fen) if row else "")
        self.discount_edit.setPlaceholderText(tr("元"))
        self.threshold_edit = QLineEdit(
            format_yuan_plain(row.min_order_fen) if row and row.min_order_fen else ""
        )
        self.threshold_edit.setPlaceholderText(tr("满多少元可用，不填为无门槛"))
        self.quantity_spin = QSpinBox()
        self.quantity_spin.setRange(1, 10_000_000)
        self.quantity_spin.setValue(row.init_quantity if row else 1000)
        self.limit_spin = QSpinBox()
        self.limit_spin.setRange(1, 100)
        self.limit_spin.setValue(max(1, row.user_limit) if row else 1)
        self.start_edit = _datetime_edit(row.start_at if row else now)
        self.end_edit = _datetime_edit(row.end_at if row else now + 7 * 86400)
        form.addRow(tr("券类型"), self.kind_combo)
        form.addRow(tr("名称"), self.name_edit)
        form.addRow(tr("商品"), self.goods_combo)
        form.addRow(tr("优惠金额"), self.discount_edit)
        form.addRow(tr("使用门槛"), self.threshold_edit)
        form.addRow(tr("发行数量"), self.quantity_spin)
        form.addRow(tr("每人限领"), self.limit_spin)
        form.addRow(tr("开始时间"), self.start_edit)
        form.addRow(tr("结束时间"), self.end_edit)
        if row is not None:
            self.kind_combo.setCurrentIndex(self.kind_combo.findData(row.kind))
            self.kind_combo.setEnabled(False)
        self.kind_combo.currentIndexChanged.connect(self._kind_changed)
        self.body.addLayout(form)
        self._kind_changed()
        self.finish_layout()

    def _kind_changed(self) -> None:
        goods = self.kind_combo.currentData() == "goods"
        self.goods_combo.setEnabled(goods)
        self.threshold_edit.setEnabled(not goods)

    def values(self) -> dict:
        """The typed values as the service takes them; raises :class:`InputError`."""
        kind = self.kind_combo.currentData()
        values = {
            "name": self.name_edit.text(),
            "discount_fen": _fen(self.discount_edit, tr("优惠金额")),
            "min_order_fen": 0
            if kind == "goods"
            else _fen(self.threshold_edit, tr("使用门槛"), required=False),
            "quantity": self.quantity_spin.value(),
            "user_limit": self.limit_spin.value(),
            "start_at": self.start_edit.dateTime().toSecsSinceEpoch(),
            "end_at": self.end_edit.dateTime().toSecsSinceEpoch(),
        }
        if kind == "goods":
            values["goods_id"] = self.goods_combo.currentData()
        return {"kind": kind, **values}


class DiscountDialog(FormDialog):
    """New or edit 限时限量购 (by a discount on every SKU). Public children: the editors below."""

    def __init__(
        self, title: str, goods: Sequence[tuple[int, str]], now: int, row=None, parent: QWidget | None = None
    ) -> None:
        super().__init__(title, tr("保存"), parent)
        form = QFormLayout()
        self.type_combo = QComboBox()
        self.type_combo.addItem(tr("限时折扣"), 12)
        self.type_combo.addItem(tr("限量折扣"), 3)
        self.name_edit = QLineEdit(row.name if row else "")
        self.name_edit.setPlaceholderText(tr("如：周末限时折扣"))
        self.goods_combo = _goods_combo(goods, row.goods_id if row else None)
        permille = row.discount_permille if row and row.discount_permille else 850
        self.discount_edit = QLineEdit(f"{Decimal(permille) / 100:g}")
        self.discount_edit.setPlaceholderText(tr("折，如 8.5"))
        self.quantity_spin = QSpinBox()
        self.quantity_spin.setRange(0, 10_000_000)
        self.quantity_spin.setValue(row.quantity if row else 0)
        self.limit_spin = QSpinBox()
        self.limit_spin.setRange(0, 1000)
        self.limit_spin.setSpecialValueText(tr("不限购"))
        self.limit_spin.setValue(row.user_limit if row else 0)
        self.start_edit = _datetime_edit(row.start_at if row else now)
        self.end_edit = _datetime_edit(row.end_at if row else now + 3 * 86400)
        form.addRow(tr("活动类型"), self.type_combo)
        form.addRow(tr("名称"), self.name_edit)
        form.addRow(tr("商品"), self.goods_combo)
        form.addRow(tr("折扣（折）"), self.discount_edit)
        form.addRow(tr("活动库存"), self.quantity_spin)
        form.addRow(tr("每人限购"), self.limit_spin)
        form.addRow(tr("开始时间"), self.start_edit)
        form.addRow(tr("结束时间"), self.end_edit)
        if row is not None:
            self.type_combo.setCurrentIndex(self.type_combo.findData(row.activity_type))
            self.type_combo.setEnabled(False)
            self.goods_combo.setEnabled(False)
        self.body.addLayout(form)
        self.finish_layout()

    def values(self) -> dict:
        """The typed values as the service takes them; raises :class:`InputError`."""
        try:
            zhe = Decimal(self.discount_edit.text().strip())
        except InvalidOperation:
            raise InputError(tr("折扣：请填写 0.1 到 9.9 之间的折数，如 8.5")) from None
        permille = zhe * 100
        if permille != permille.to_integral_value():
            raise InputError(tr("折扣：最多两位小数"))
        return {
            "name": self.name_edit.text(),
            "activity_type": self.type_combo.currentData(),
            "goods_id": self.goods_combo.currentData(),
            "discount_permille": int(permille),
            "quantity": self.quantity_spin.value(),
            "user_limit": self.limit_spin.value(),
            "start_at": self.start_edit.dateTime().toSecsSinceEpoch(),
            "end_at": self.end_edit.dateTime().toSecsSinceEpoch(),
        }
