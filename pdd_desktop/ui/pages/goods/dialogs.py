"""商品 dialogs: 改库存 and 改价格 of one SKU.

Like the order page's dialogs, OK does not close: it emits ``submitted`` with valid input, the
page runs the write and then calls ``accept()`` or ``show_error()``. Dialogs are shown with
``open()``; tests fill the public children and click ``ok_button``.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QRegularExpression, Qt
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from pdd_desktop.domain.money import MoneyError, format_yuan, format_yuan_plain, yuan_to_fen
from pdd_desktop.services.goods import MAX_PRICE_FEN, MAX_STOCK
from pdd_desktop.ui.dialogs.form import FormDialog
from pdd_desktop.ui.i18n import tr

#: What a price box accepts while typing: yuan with at most two decimals.
_TYPING = QRegularExpression(r"\d{0,7}(\.\d{0,2})?")
#: A complete price: exactly two decimals (a whole amount or one decimal is padded on leaving the box).
_COMPLETE = re.compile(r"^\d{1,7}\.\d{2}$")


class _EditDialog(FormDialog):
    """改库存 / 改价格: OK is 保存."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(title, tr("保存"), parent)
        self.setMinimumWidth(440)


class StockDialog(_EditDialog):
    """改库存: the stock shown when the dialog opened and the new absolute value.

    Public children: ``current_label``, ``quantity_spin``, ``available_label``.
    """

    def __init__(self, sku_text: str, stock: int, held: int, parent: QWidget | None = None) -> None:
        super().__init__(tr("改库存"), parent)
        self.seen = stock
        self.held = held
        title = QLabel(sku_text)
        title.setWordWrap(True)
        self.body.addWidget(title)
        form = QFormLayout()
        self.current_label = QLabel(f"{stock:,}")
        self.quantity_spin = QSpinBox()
        self.quantity_spin.setRange(0, MAX_STOCK)
        self.quantity_spin.setGroupSeparatorShown(True)
        self.quantity_spin.setValue(max(0, min(stock, MAX_STOCK)))
        self.quantity_spin.setMinimumWidth(160)
        self.available_label = QLabel("")
        self.available_label.setObjectName("Muted")
        form.addRow(tr("当前库存"), self.current_label)
        form.addRow(tr("新库存"), self.quantity_spin)
        form.addRow("", self.available_label)
        self.body.addLayout(form)
        hint = QLabel(tr("填写修改后的总库存（不是增减数量）。保存后下次同步时上传到拼多多。"))
        hint.setObjectName("Muted")
        hint.setWordWrap(True)
        self.body.addWidget(hint)
        self.quantity_spin.valueChanged.connect(lambda _v: self.update_ok())
        self.finish_layout()
        self.quantity_spin.selectAll()

    def can_submit(self) -> bool:
        value = self.quantity_spin.value()
        self.available_label.setText(
            tr("未发货订单占用 {held:,}，修改后可用 {available:,}").format(
                held=self.held, available=value - self.held
            )
        )
        return value != self.seen

    def quantity(self) -> int:
        """The new stock."""
        return self.quantity_spin.value()


def _price_edit(fen: int) -> QLineEdit:
    edit = QLineEdit(format_yuan_plain(fen))
    edit.setValidator(QRegularExpressionValidator(_TYPING, edit))
    edit.setMaximumWidth(160)
    edit.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return edit


def parse_price(text: str) -> int | None:
    """Fen of a price box's text (``"12.30"`` → 1230), or None unless it has exactly two decimals."""
    text = text.strip()
    if not _COMPLETE.match(text):
        return None
    try:
        return yuan_to_fen(text)
    except MoneyError:
        return None


class PriceDialog(_EditDialog):
    """改价格: 拼单价 and 单买价 in yuan with two decimals, and the rule between them.

    Public children: ``group_edit``, ``single_edit``, ``rule_label``, ``current_label``.
    """

    def __init__(self, sku_text: str, group_fen: int, single_fen: int, parent: QWidget | None = None) -> None:
        super().__init__(tr("改价格"), parent)
        self.seen_group_fen = group_fen
        self.seen_single_fen = single_fen
        title = QLabel(sku_text)
        title.setWordWrap(True)
        self.body.addWidget(title)
        self.current_label = QLabel(
            tr("当前：拼单价 {group_price}，单买价 {single_price}").format(
                group_price=format_yuan(group_fen), single_price=format_yuan(single_fen)
            )
        )
        self.current_label.setObjectName("Muted")
        self.body.addWidget(self.current_label)
        form = QFormLayout()
        self.group_edit = _price_edit(group_fen)
        self.single_edit = _price_edit(single_fen)
        form.addRow(tr("拼单价（元）"), self.group_edit)
        form.addRow(tr("单买价（元）"), self.single_edit)
        self.body.addLayout(form)
        self.rule_label = QLabel("")
        self.rule_label.setWordWrap(True)
        self.body.addWidget(self.rule_label)
        for edit in (self.group_edit, self.single_edit):
            edit.textChanged.connect(lambda _t: self.update_ok())
            edit.editingFinished.connect(lambda e=edit: self._pad(e))
        self.finish_layout()

    @staticmethod
    def _pad(edit: QLineEdit) -> None:
        """``12`` / ``12.3`` → ``12.30`` when the box is left (exact, through fen)."""
        text = edit.text().strip()
        if not text or _COMPLETE.match(text):
            return
        try:
            fen = yuan_to_fen(text)
        except MoneyError:
            return
        edit.setText(format_yuan_plain(fen))

    def prices(self) -> tuple[int | None, int | None]:
        """(拼单价, 单买价) in fen; None for a box that is not a complete two-decimal amount."""
        return parse_price(self.group_edit.text()), parse_price(self.single_edit.text())

    def can_submit(self) -> bool:
        group, single = self.prices()
        rule = tr("拼多多要求拼单价低于单买价。")
        bad = False
        if group is None or single is None:
            rule = tr("请填写金额，保留两位小数，例如 19.90。拼单价须低于单买价。")
            bad = True
        elif not (0 < group <= MAX_PRICE_FEN and 0 < single <= MAX_PRICE_FEN):
            rule = tr("价格应大于 0 且不超过 {amount}。").format(amount=format_yuan(MAX_PRICE_FEN))
            bad = True
        elif group >= single:
            rule = tr(
                "拼单价 {group_price} 不低于单买价 {single_price}：拼多多要求拼单价低于单买价。"
            ).format(group_price=format_yuan(group), single_price=format_yuan(single))
            bad = True
        self.rule_label.setText(rule)
        self.rule_label.setObjectName("Danger" if bad else "Muted")
        self.rule_label.style().unpolish(self.rule_label)
        self.rule_label.style().polish(self.rule_label)
        # Only incomplete input blocks OK; a broken rule goes to the service, which explains it.
        return (
            group is not None
            and single is not None
            and (group, single)
            != (
                self.seen_group_fen,
                self.seen_single_fen,
            )
        )
