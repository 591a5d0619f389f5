"""售后 confirmation dialogs: 同意退款 and 同意退货.

Built without running (as the 发货中心 dialogs): the page connects ``submitted`` (the user
confirmed), does the write, then calls ``accept()`` or ``show_error()``. Tests fill the public
children and click ``ok_button``.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from pdd_desktop.domain.money import format_yuan
from pdd_desktop.services.after_sales import NOTE_MAX, CaseDetail, ReturnAddress
from pdd_desktop.ui.dialogs.form import FormDialog
from pdd_desktop.ui.i18n import tr


class _DecisionDialog(FormDialog):
    """Common parts: a summary, a form, an optional note, the hint, then the error line and buttons."""

    def __init__(self, title: str, ok_text: str, summary: str, parent: QWidget | None = None) -> None:
        super().__init__(title, ok_text, parent)
        self.setMinimumWidth(580)
        self.summary_label = QLabel(summary)
        self.summary_label.setWordWrap(True)
        self.body.addWidget(self.summary_label)
        self.form = QFormLayout()
        self.body.addLayout(self.form)
        self.note_edit = QLineEdit()
        self.note_edit.setMaxLength(NOTE_MAX)
        self.note_edit.setPlaceholderText(
            tr("可不填；最多 {limit} 字，随操作上传到平台").format(limit=NOTE_MAX)
        )
        self.hint_label = QLabel(tr("确认后先在本机生效，下次同步时上传到拼多多。"))
        self.hint_label.setObjectName("Muted")
        self.hint_label.setWordWrap(True)

    def _finish_layout(self) -> None:
        self.form.addRow(tr("处理说明"), self.note_edit)
        self.body.addWidget(self.hint_label)
        self.finish_layout()

    def note(self) -> str:
        """The note as typed (the service trims and checks it)."""
        return self.note_edit.text()

    def set_busy(self, busy: bool) -> None:
        """Disable the inputs and closing while the write runs (its answer comes back here)."""
        super().set_busy(busy)
        self.note_edit.setEnabled(not busy)


def _summary(detail: CaseDetail) -> str:
    r = detail.row
    return tr("售后单 {id}（{type_label}）\n订单 {order_sn}\n商品：{goods}\n原因：{reason}").format(
        id=r.id, type_label=r.type_label, order_sn=r.order_sn, goods=r.goods, reason=r.reason or "—"
    )


class AgreeRefundDialog(_DecisionDialog):
    """同意退款: shows the amount against the order's paid amount; an optional note."""

    def __init__(self, detail: CaseDetail, parent: QWidget | None = None) -> None:
        super().__init__(tr("同意退款"), tr("同意退款"), _summary(detail), parent)
        r = detail.row
        self.amount_label = QLabel(format_yuan(r.refund_amount_fen))
        self.amount_label.setObjectName("BigNumber")
        self.form.addRow(tr("退款金额"), self.amount_label)
        self.form.addRow(tr("订单实付"), QLabel(format_yuan(detail.pay_amount_fen)))
        self._finish_layout()
        self.hint_label.setText(
            tr(
                "同意后平台将退款 {amount} 给买家，无法撤回。确认后先在本机生效，下次同步时上传到拼多多。"
            ).format(amount=format_yuan(r.refund_amount_fen))
        )


class AgreeReturnDialog(_DecisionDialog):
    """同意退货: choose one of the shop's return addresses; an optional note."""

    def __init__(
        self, detail: CaseDetail, addresses: Sequence[ReturnAddress], parent: QWidget | None = None
    ) -> None:
        super().__init__(tr("同意退货"), tr("同意退货"), _summary(detail), parent)
        self.form.addRow(tr("退款金额"), QLabel(format_yuan(detail.row.refund_amount_fen)))
        self.address_combo = QComboBox()
        self.address_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        for address in addresses:
            label = tr("［默认］{text}").format(text=address.text) if address.is_default else address.text
            self.address_combo.addItem(label, address.id)
        self.form.addRow(tr("退货地址"), self.address_combo)
        self._finish_layout()
        self.hint_label.setText(
            tr("买家将按此地址寄回商品；收到退货后再同意退款。确认后下次同步时上传到拼多多。")
        )

    def address_id(self) -> int | None:
        """The chosen return address's id (for ``agree_return``)."""
        return self.address_combo.currentData()
