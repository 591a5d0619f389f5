"""订单开票 dialog: record the buyer's invoice request, issue the PDF, mark it uploaded.

Open it for one order::

    dlg = InvoiceDialog(ctx.runner, order_id, order_sn, parent=self)
    dlg.changes_applied.connect(lambda changes: ctx.events.changes_applied.emit(changes, dlg))
    dlg.open()

Every read and write runs on the runner's db lane; the dialog only shows frozen results.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from pdd_desktop.common.timefmt import format_ts
from pdd_desktop.domain.errors import ValidationError
from pdd_desktop.domain.money import MoneyError, format_yuan, format_yuan_plain, yuan_to_fen
from pdd_desktop.jobs.runner import JobRunner
from pdd_desktop.services import invoices
from pdd_desktop.services.invoices import InvoiceRequestInfo, OrderInvoiceFacts
from pdd_desktop.ui.dialogs.error import user_message
from pdd_desktop.ui.i18n import tr
from pdd_desktop.ui.ops import ReadOp, WriteOp

_ERROR_STYLE = "color: #c62828;"
_OK_STYLE = "color: #2e7d32;"


class InvoiceDialog(QDialog):
    """The invoice request of one order, and the buttons that move it on.

    Public children (for tests and styling): ``personal_radio``, ``company_radio``, ``title_edit``,
    ``tax_no_edit``, ``email_edit``, ``amount_edit``, ``status_label``, ``invoice_no_label``,
    ``pdf_label``, ``message_label``, ``save_button``, ``issue_button``, ``uploaded_button``,
    ``open_button``, ``close_button``.
    """

    #: Emitted with the service's ``Changes`` after each successful write.
    changes_applied = Signal(object)

    def __init__(
        self,
        runner: JobRunner,
        order_id: int,
        order_sn: str,
        parent: QWidget | None = None,
        *,
        out_dir: Path | None = None,
    ) -> None:
        super().__init__(parent)
        self.runner = runner
        self.order_id = order_id
        self.order_sn = order_sn
        self.out_dir = out_dir
        self.facts: OrderInvoiceFacts | None = None
        self.request: InvoiceRequestInfo | None = None
        self._dirty = False
        self._busy = False
        self._filling = False  # True while the form shows stored values (not an edit)
        self.setWindowTitle(tr("订单开票 · {order_sn}").format(order_sn=order_sn))
        self.setMinimumWidth(520)
        self._build()
        self._wire()
        self._apply_state()
        self.reload()

    # ------------------------------------------------------------------ layout

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.order_label = QLabel(self.order_sn)
        self.order_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.paid_label = QLabel("")
        form.addRow(tr("订单号"), self.order_label)
        form.addRow(tr("买家实付"), self.paid_label)

        kind = QHBoxLayout()
        self.personal_radio = QRadioButton(tr("个人"))
        self.company_radio = QRadioButton(tr("企业"))
        self.personal_radio.setChecked(True)
        self.kind_group = QButtonGroup(self)
        self.kind_group.addButton(self.personal_radio)
        self.kind_group.addButton(self.company_radio)
        kind.addWidget(self.personal_radio)
        kind.addWidget(self.company_radio)
        kind.addStretch(1)
        form.addRow(tr("抬头类型"), kind)
        self.title_edit = QLineEdit()
        self.title_edit.setPlaceholderText(tr("个人姓名或单位全称"))
        self.tax_no_edit = QLineEdit()
        self.tax_no_edit.setPlaceholderText(tr("15、18 或 20 位纳税人识别号"))
        self.tax_no_edit.setMaxLength(24)
        self.email_edit = QLineEdit()
        self.email_edit.setPlaceholderText(tr("接收电子发票的邮箱（可不填）"))
        self.amount_edit = QLineEdit()
        self.amount_edit.setPlaceholderText(tr("默认买家实付"))
        self.amount_edit.setMaximumWidth(140)
        form.addRow(tr("发票抬头"), self.title_edit)
        form.addRow(tr("税号"), self.tax_no_edit)
        form.addRow(tr("邮箱"), self.email_edit)
        form.addRow(tr("开票金额（元）"), self.amount_edit)

        self.status_label = QLabel(tr("未申请"))
        self.status_label.setObjectName("InvoiceStatus")
        self.invoice_no_label = QLabel("—")
        self.invoice_no_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow(tr("开票状态"), self.status_label)
        form.addRow(tr("发票号码"), self.invoice_no_label)
        pdf_row = QHBoxLayout()
        self.pdf_label = QLabel("—")
        self.pdf_label.setWordWrap(True)
        self.pdf_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.open_button = QPushButton(tr("打开"))
        pdf_row.addWidget(self.pdf_label, 1)
        pdf_row.addWidget(self.open_button)
        form.addRow(tr("发票文件"), pdf_row)
        layout.addLayout(form)

        self.message_label = QLabel("")
        self.message_label.setWordWrap(True)
        # Room for two wrapped lines up front: a top-level dialog does not grow for a wrapped label.
        self.message_label.setMinimumHeight(2 * self.message_label.fontMetrics().lineSpacing() + 4)
        self.message_label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.message_label)

        buttons = QHBoxLayout()
        self.save_button = QPushButton(tr("保存申请"))
        self.issue_button = QPushButton(tr("开具发票"))
        self.uploaded_button = QPushButton(tr("标记已上传"))
        self.uploaded_button.setToolTip(tr("在拼多多商家后台上传发票后点这里"))
        self.close_button = QPushButton(tr("关闭"))
        for b in (self.save_button, self.issue_button, self.uploaded_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        layout.addLayout(buttons)

    def _wire(self) -> None:
        self.company_radio.toggled.connect(self._on_kind_changed)
        for edit in (self.title_edit, self.tax_no_edit, self.email_edit, self.amount_edit):
            edit.textChanged.connect(self._on_edited)
        self.save_button.clicked.connect(self.save)
        self.issue_button.clicked.connect(self.issue)
        self.uploaded_button.clicked.connect(self.mark_uploaded)
        self.open_button.clicked.connect(self.open_pdf)
        self.close_button.clicked.connect(self.reject)

    # ------------------------------------------------------------------ state

    def _editable(self) -> bool:
        ok = self.facts is not None and self.facts.invoiceable
        return ok and (self.request is None or self.request.status == "requested") and not self._busy

    def _apply_state(self) -> None:
        editable = self._editable()
        self.personal_radio.setEnabled(editable)
        self.company_radio.setEnabled(editable)
        # Read-only rather than disabled: an issued request stays legible and copyable.
        for edit in (self.title_edit, self.tax_no_edit, self.email_edit, self.amount_edit):
            edit.setReadOnly(not editable)
        self.tax_no_edit.setEnabled(self.company_radio.isChecked())
        req = self.request
        status = req.status if req else None
        self.save_button.setEnabled(editable)
        self.issue_button.setEnabled(editable and status == "requested" and not self._dirty)
        self.issue_button.setToolTip(tr("请先保存申请") if self._dirty else tr("生成 PDF 发票并标记为已开票"))
        self.uploaded_button.setEnabled(status == "issued" and not self._busy)
        has_pdf = bool(req and req.pdf_path and Path(req.pdf_path).exists())
        self.open_button.setEnabled(has_pdf)
        self.status_label.setText(req.status_label if req else tr("未申请"))
        self.invoice_no_label.setText((req.invoice_no or "—") if req else "—")
        self.pdf_label.setToolTip(req.pdf_path if req else "")
        if req and req.pdf_path:
            self.pdf_label.setText(Path(req.pdf_path).name)
        elif req and req.status != "requested":
            self.pdf_label.setText(tr("（本机没有该发票的 PDF）"))
        else:
            self.pdf_label.setText("—")

    def _show(self, text: str, *, error: bool) -> None:
        self.message_label.setStyleSheet(_ERROR_STYLE if error else _OK_STYLE)
        self.message_label.setText(text)

    def _fill(self, req: InvoiceRequestInfo | None) -> None:
        self._filling = True
        try:
            self._fill_fields(req)
        finally:
            self._filling = False

    def _fill_fields(self, req: InvoiceRequestInfo | None) -> None:
        facts = self.facts
        if req is None:
            self.personal_radio.setChecked(True)
            self.title_edit.clear()
            self.tax_no_edit.clear()
            self.email_edit.clear()
            self.amount_edit.setText(format_yuan_plain(facts.pay_amount_fen) if facts else "")
            return
        (self.company_radio if req.buyer_type == "company" else self.personal_radio).setChecked(True)
        self.title_edit.setText(req.title)
        self.tax_no_edit.setText(req.tax_no)
        self.email_edit.setText(req.email)
        self.amount_edit.setText(format_yuan_plain(req.amount_fen))

    # ------------------------------------------------------------------ events

    def _on_kind_changed(self, _checked: bool) -> None:
        self._on_edited()

    def _on_edited(self, *_args) -> None:
        if not self._filling:
            self._dirty = True
        self._apply_state()

    def reload(self) -> None:
        """Read the order's facts and its request again (db lane)."""
        oid = self.order_id
        ReadOp(self, lambda: (invoices.order_facts(oid), invoices.request_for_order(oid))).success(
            self._on_loaded
        ).failure(self._on_failed).run()

    def _on_loaded(self, result: tuple[OrderInvoiceFacts, InvoiceRequestInfo | None]) -> None:
        self.facts, self.request = result
        self._dirty = False
        self.paid_label.setText(format_yuan(self.facts.pay_amount_fen))
        self._fill(self.request)
        if not self.facts.invoiceable and self.request is None:
            self._show(self.facts.reason, error=True)
        self._apply_state()

    def _on_failed(self, exc: BaseException) -> None:
        self._busy = False
        self._apply_state()
        self._show(user_message(exc), error=True)
        field = getattr(exc, "field", None) if isinstance(exc, ValidationError) else None
        widget = {
            "发票抬头": self.title_edit,
            "税号": self.tax_no_edit,
            "邮箱": self.email_edit,
            "开票金额": self.amount_edit,
        }.get(field or "")
        if widget is not None and widget.isEnabled() and not widget.isReadOnly():
            widget.setFocus()
            widget.selectAll()

    def _write(self, fn, *, with_task: bool = False) -> WriteOp:
        """A write on the db lane whose Changes go out through :attr:`changes_applied`."""
        op = WriteOp(self, fn, with_task=with_task, publish=self.changes_applied.emit)
        return op.failure(self._on_failed)

    def _begin(self, text: str) -> None:
        self._busy = True
        self._apply_state()
        self._show(text, error=False)

    def save(self) -> None:
        """保存申请: validate the amount here, everything else in the service."""
        text = self.amount_edit.text().strip()
        try:
            amount = yuan_to_fen(text) if text else None
        except MoneyError as exc:
            self._on_failed(ValidationError(tr("开票金额"), str(exc)))
            return
        company = self.company_radio.isChecked()
        values = dict(
            order_id=self.order_id,
            buyer_type="company" if company else "personal",
            title=self.title_edit.text(),
            tax_no=self.tax_no_edit.text() if company else "",
            email=self.email_edit.text(),
            amount_fen=amount,
        )
        self._begin(tr("正在保存…"))
        oid = self.order_id
        op = self._write(lambda: (invoices.save_request(**values), invoices.request_for_order(oid)))
        op.before_broadcast(self._on_saved).run()

    def _on_saved(self, result) -> None:
        _changes, self.request = result
        self._busy = False
        self._dirty = False
        self._fill(self.request)
        self._apply_state()
        self._show(tr("开票申请已保存，可以开具发票了"), error=False)

    def issue(self) -> None:
        """开具发票: number it, render the PDF and mark it issued (db lane)."""
        if self.request is None:
            return
        rid = self.request.id
        out_dir = self.out_dir
        self._begin(tr("正在开具发票…"))
        issue = lambda task: invoices.issue_invoice(request_id=rid, out_dir=out_dir, task=task)  # noqa: E731
        self._write(issue, with_task=True).before_broadcast(self._on_issued).run()

    def _on_issued(self, result) -> None:
        self.request, _changes = result
        self._busy = False
        self._apply_state()
        self._show(
            tr("已开具发票 {invoice_no}（{time}）。在拼多多商家后台上传后，请点“标记已上传”。").format(
                invoice_no=self.request.invoice_no, time=format_ts(self.request.issued_at)
            ),
            error=False,
        )

    def mark_uploaded(self) -> None:
        """标记已上传: the PDF was uploaded in the platform backend."""
        if self.request is None:
            return
        rid = self.request.id
        self._begin(tr("正在保存…"))
        op = self._write(lambda: (invoices.mark_uploaded(request_id=rid), invoices.get_request(rid)))
        op.before_broadcast(self._on_uploaded).run()

    def _on_uploaded(self, result) -> None:
        _changes, self.request = result
        self._busy = False
        self._apply_state()
        self._show(tr("已标记为已上传"), error=False)

    def open_pdf(self) -> None:
        """Open the issued PDF with the system viewer."""
        if self.request and self.request.pdf_path:
            QDesktopServices.openUrl(QUrl.fromLocalFile(self.request.pdf_path))
