"""售后 confirmation dialogs: 同意退款, 同意退货, 确认收货并退款 and 拒绝 (recorded, done on the platform).

Built without running (as the 发货中心 dialogs): the page connects ``submitted`` (the user
confirmed), does the write, then calls ``accept()`` or ``show_error()``. Tests fill the public
children and click ``ok_button``.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from pdd_desktop.domain.money import format_yuan
from pdd_desktop.services.after_sales import (
    EVIDENCE_MAX,
    MERCHANT_BACKEND_URL,
    NOTE_MAX,
    REASON_MAX,
    REJECT_REASONS,
    CaseDetail,
    ReturnAddress,
)
from pdd_desktop.services.shipping import CourierInfo
from pdd_desktop.ui.dialogs.form import FormDialog
from pdd_desktop.ui.i18n import QT_TR_NOOP, tr
from pdd_desktop.ui.pages.orders.dialogs import CourierNumberForm


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


#: Under a synced return address in 同意退货 (the platform keeps it; edited in its backend).
SYNCED_ADDRESS_TEXT = QT_TR_NOOP(
    "这是从拼多多同步的退货地址，买家看到的是商家后台里的内容；请在拼多多商家后台修改，下次同步后自动更新。"
)
#: Under a return address kept on this computer.
LOCAL_ADDRESS_TEXT = QT_TR_NOOP(
    "这是本机保存的退货地址，可以在这里修改。已接入拼多多同步的店铺请优先选择从拼多多同步的地址。"
)


class AgreeReturnDialog(_DecisionDialog):
    """同意退货: choose one of the shop's return addresses (add or edit local ones); an optional note.

    Signals ``add_address_requested()`` and ``edit_address_requested(local_id)``: the page
    opens the address form, saves, and calls :meth:`set_addresses` with the new list.
    """

    add_address_requested = Signal()
    edit_address_requested = Signal(int)

    def __init__(
        self, detail: CaseDetail, addresses: Sequence[ReturnAddress], parent: QWidget | None = None
    ) -> None:
        super().__init__(tr("同意退货"), tr("同意退货"), _summary(detail), parent)
        self.form.addRow(tr("退款金额"), QLabel(format_yuan(detail.row.refund_amount_fen)))
        self.address_combo = QComboBox()
        self.address_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.form.addRow(tr("退货地址"), self.address_combo)
        buttons = QHBoxLayout()
        self.add_address_button = QPushButton(tr("新增退货地址…"))
        self.edit_address_button = QPushButton(tr("修改此地址…"))
        buttons.addWidget(self.add_address_button)
        buttons.addWidget(self.edit_address_button)
        buttons.addStretch(1)
        self.form.addRow("", buttons)
        self.address_note = QLabel("")
        self.address_note.setObjectName("Muted")
        self.address_note.setWordWrap(True)
        self.form.addRow("", self.address_note)
        self._addresses: list[ReturnAddress] = []
        self.address_combo.currentIndexChanged.connect(lambda _i: self._address_changed())
        self.add_address_button.clicked.connect(self.add_address_requested)
        self.edit_address_button.clicked.connect(self._edit_clicked)
        self.set_addresses(addresses)
        self._finish_layout()
        self.hint_label.setText(
            tr("买家将按此地址寄回商品；收到退货后再同意退款。确认后下次同步时上传到拼多多。")
        )

    def set_addresses(self, addresses: Sequence[ReturnAddress], select_local_id: int | None = None) -> None:
        """Fill the address list (again, after one was added or changed); keep or pick a choice."""
        keep = self.selected_address()
        wanted = select_local_id if select_local_id is not None else (keep.local_id if keep else None)
        self._addresses = list(addresses)
        self.address_combo.blockSignals(True)
        self.address_combo.clear()
        for address in self._addresses:
            text = address.text if address.is_synced else tr("{text}（本机）").format(text=address.text)
            label = tr("［默认］{text}").format(text=text) if address.is_default else text
            self.address_combo.addItem(label, address.id)
        for index, address in enumerate(self._addresses):
            if address.local_id == wanted:
                self.address_combo.setCurrentIndex(index)
        self.address_combo.blockSignals(False)
        self._address_changed()

    def addresses(self) -> list[ReturnAddress]:
        """The addresses in the list, in order."""
        return list(self._addresses)

    def selected_address(self) -> ReturnAddress | None:
        """The address chosen in the list."""
        index = self.address_combo.currentIndex()
        return self._addresses[index] if 0 <= index < len(self._addresses) else None

    def _address_changed(self) -> None:
        address = self.selected_address()
        synced = address is not None and address.is_synced
        self.edit_address_button.setEnabled(address is not None and not synced)
        self.edit_address_button.setToolTip(tr(SYNCED_ADDRESS_TEXT) if synced else "")
        self.address_note.setText(tr(SYNCED_ADDRESS_TEXT) if synced else tr(LOCAL_ADDRESS_TEXT))
        self.update_ok()

    def _edit_clicked(self) -> None:
        address = self.selected_address()
        if address is not None and not address.is_synced:
            self.edit_address_requested.emit(address.local_id)

    def address_id(self) -> int | None:
        """The chosen return address's id (for ``agree_return``)."""
        return self.address_combo.currentData()

    def can_submit(self) -> bool:
        return self.address_combo.count() > 0

    def set_busy(self, busy: bool) -> None:
        """Also lock the address choice while the write runs."""
        super().set_busy(busy)
        for widget in (self.address_combo, self.add_address_button):
            widget.setEnabled(not busy)
        if busy:
            self.edit_address_button.setEnabled(False)
        else:
            self._address_changed()


class ConfirmReceivedDialog(_DecisionDialog):
    """确认收货并退款: how many returned units are good (back to stock) and how many damaged (loss)."""

    def __init__(self, detail: CaseDetail, parent: QWidget | None = None) -> None:
        super().__init__(tr("确认收到退货"), tr("确认收货并退款"), _summary(detail), parent)
        r = detail.row
        self.quantity = max(1, detail.quantity)
        if detail.return_shipment:
            self.form.addRow(tr("退货物流"), QLabel(detail.return_shipment))
        self.form.addRow(tr("退货数量"), QLabel(tr("{count} 件").format(count=self.quantity)))
        self.good_spin = QSpinBox()
        self.damaged_spin = QSpinBox()
        for spin in (self.good_spin, self.damaged_spin):
            spin.setRange(0, self.quantity)
            spin.setSuffix(tr(" 件"))
        self.good_spin.setValue(self.quantity)
        self.good_spin.valueChanged.connect(self._good_changed)
        self.damaged_spin.valueChanged.connect(self._damaged_changed)
        self.form.addRow(tr("完好，放回库存"), self.good_spin)
        self.form.addRow(tr("损坏，记为报损"), self.damaged_spin)
        self.form.addRow(tr("退款金额"), QLabel(format_yuan(r.refund_amount_fen)))
        self._finish_layout()
        self.hint_label.setText(
            tr(
                "完好的件数加回库存（并同步到平台库存），损坏的件数记入库存流水的报损；"
                "同时同意退款 {amount}，无法撤回。确认后下次同步时上传到拼多多。"
            ).format(amount=format_yuan(r.refund_amount_fen))
        )

    def _good_changed(self, value: int) -> None:
        if value + self.damaged_spin.value() != self.quantity:
            self.damaged_spin.blockSignals(True)
            self.damaged_spin.setValue(self.quantity - value)
            self.damaged_spin.blockSignals(False)

    def _damaged_changed(self, value: int) -> None:
        if value + self.good_spin.value() != self.quantity:
            self.good_spin.blockSignals(True)
            self.good_spin.setValue(self.quantity - value)
            self.good_spin.blockSignals(False)

    def counts(self) -> tuple[int, int]:
        """(good, damaged) as chosen."""
        return self.good_spin.value(), self.damaged_spin.value()

    def set_busy(self, busy: bool) -> None:
        """Also lock the counts while the write runs."""
        super().set_busy(busy)
        self.good_spin.setEnabled(not busy)
        self.damaged_spin.setEnabled(not busy)


class RejectDialog(FormDialog):
    """拒绝: the platform has no API for it; explain where to do it and record reason and evidence."""

    def __init__(self, detail: CaseDetail, parent: QWidget | None = None) -> None:
        super().__init__(tr("拒绝售后申请"), tr("已在商家后台拒绝，记录"), parent)
        self.setMinimumWidth(600)
        r = detail.row
        summary = QLabel(_summary(detail))
        summary.setWordWrap(True)
        self.body.addWidget(summary)
        self.guide_label = QLabel(
            tr(
                "拼多多开放平台没有「拒绝售后」的接口，本软件无法替您拒绝。请按以下步骤在商家后台操作：\n"
                "1. 登录拼多多商家后台 {url}\n"
                "2. 进入「售后」→「售后工作台」，搜索售后单号 {id}\n"
                "3. 点击「拒绝」，填写拒绝原因并上传凭证图片\n"
                "完成后在下面记下原因和凭证说明：本机会把此单标为「待平台处理」，"
                "同步到平台状态变化后自动更新。"
            ).format(url=MERCHANT_BACKEND_URL, id=r.id)
        )
        self.guide_label.setWordWrap(True)
        self.guide_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.body.addWidget(self.guide_label)
        form = QFormLayout()
        self.reason_combo = QComboBox()
        self.reason_combo.setEditable(True)
        self.reason_combo.addItems([tr(reason) for reason in REJECT_REASONS])
        self.reason_combo.setCurrentIndex(-1)
        self.reason_combo.lineEdit().setMaxLength(REASON_MAX)
        self.reason_combo.lineEdit().setPlaceholderText(tr("选择或填写拒绝原因（必填）"))
        self.reason_combo.currentTextChanged.connect(lambda _t: self.update_ok())
        self.evidence_edit = QPlainTextEdit()
        self.evidence_edit.setPlaceholderText(
            tr("凭证说明，如：发货前称重照片、开箱视频已上传（可不填，最多 {limit} 字）").format(
                limit=EVIDENCE_MAX
            )
        )
        self.evidence_edit.setFixedHeight(80)
        form.addRow(tr("拒绝原因"), self.reason_combo)
        form.addRow(tr("凭证说明"), self.evidence_edit)
        self.body.addLayout(form)
        self.finish_layout()

    def can_submit(self) -> bool:
        """A reason is required."""
        return bool(self.reason_combo.currentText().strip())

    def reason(self) -> str:
        """The reason as chosen or typed."""
        return self.reason_combo.currentText()

    def evidence(self) -> str:
        """The evidence notes as typed."""
        return self.evidence_edit.toPlainText()

    def set_busy(self, busy: bool) -> None:
        """Lock the inputs while the write runs."""
        super().set_busy(busy)
        self.reason_combo.setEnabled(not busy)
        self.evidence_edit.setEnabled(not busy)


class ExchangeShipDialog(FormDialog):
    """换货/补寄发货: courier and number checked live as in 发货中心's ship dialogs.

    Public children: ``form`` (``courier_combo``, ``number_edit``), ``ok_button``.
    """

    def __init__(
        self, detail: CaseDetail, couriers: Sequence[CourierInfo], parent: QWidget | None = None
    ) -> None:
        super().__init__(tr("换货/补寄发货"), tr("发货"), parent)
        self.setMinimumWidth(560)
        summary = QLabel(_summary(detail))
        summary.setWordWrap(True)
        self.body.addWidget(summary)
        self.body.addWidget(QLabel(tr("收件人：{receiver}").format(receiver=detail.receiver_masked or "—")))
        self.form = CourierNumberForm(couriers)
        self.form.validity_changed.connect(lambda _v: self.update_ok())
        self.body.addWidget(self.form)
        hint = QLabel(
            tr(
                "包裹记在本订单的「补发」包裹里，发出的商品从库存扣减（库存流水记为换货/补寄发出，"
                "并同步到平台库存）；确认后下次同步时把快递公司和单号上传到拼多多的这个售后单。"
            )
        )
        hint.setObjectName("Muted")
        hint.setWordWrap(True)
        self.body.addWidget(hint)
        self.finish_layout()

    def can_submit(self) -> bool:
        """A courier and a number that fits it."""
        return self.form.is_valid()

    def values(self) -> tuple[int, str]:
        """(courier id, number as typed) for ``ship_exchange``."""
        courier = self.form.courier()
        return (courier.id if courier else 0), self.form.number_edit.text()


class InterceptDialog(FormDialog):
    """拦截发货: confirm voiding the labels of an order printed but not shipped."""

    def __init__(self, detail: CaseDetail, parent: QWidget | None = None) -> None:
        super().__init__(tr("拦截发货"), tr("作废面单，拦截"), parent)
        self.setMinimumWidth(520)
        summary = QLabel(_summary(detail))
        summary.setWordWrap(True)
        self.body.addWidget(summary)
        hint = QLabel(
            tr(
                "买家申请了退款，而这个订单的面单已经打印、还没有发货。拦截后：本订单预留的电子面单号全部作废"
                "（平台面单号在下次同步时取消），请把已打包的商品拆包放回货架。未发货的订单本来就没有扣减库存，"
                "所以库存数不变。退款仍需另外处理。"
            )
        )
        hint.setWordWrap(True)
        self.body.addWidget(hint)
        self.finish_layout()
