"""自动化 dialogs: a rule's settings with its preview, the action log, the held orders.

The rule dialog switches a rule on (or saves its settings) only after a preview of exactly the
settings shown: any edit clears the preview and OK waits for the next one.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from pdd_desktop.common.timefmt import format_ts
from pdd_desktop.domain import automation as rules
from pdd_desktop.domain.automation import RuleKind
from pdd_desktop.domain.errors import ValidationError
from pdd_desktop.domain.money import MoneyError, format_yuan_plain, yuan_to_fen
from pdd_desktop.domain.orders import Flag
from pdd_desktop.services.automation import PREVIEW_LIMIT
from pdd_desktop.ui.dialogs.form import FormDialog
from pdd_desktop.ui.i18n import QT_TR_NOOP, tr

#: Columns of the preview's order table.
PREVIEW_COLUMNS = (QT_TR_NOOP("订单号"), QT_TR_NOOP("原因"))
#: Columns of the action log.
LOG_COLUMNS = (
    QT_TR_NOOP("时间"),
    QT_TR_NOOP("规则"),
    QT_TR_NOOP("订单/售后单"),
    QT_TR_NOOP("动作"),
    QT_TR_NOOP("结果"),
    QT_TR_NOOP("说明"),
)
#: Columns of the held orders.
HOLD_COLUMNS = (QT_TR_NOOP("订单号"), QT_TR_NOOP("原因"), QT_TR_NOOP("暂停时间"), QT_TR_NOOP("来源"))
#: Flag colours (1..5); the memo rule's first choice is no flag.
FLAG_NAMES = (
    QT_TR_NOOP("红旗"),
    QT_TR_NOOP("黄旗"),
    QT_TR_NOOP("绿旗"),
    QT_TR_NOOP("蓝旗"),
    QT_TR_NOOP("紫旗"),
)


def _table(columns: tuple[str, ...]) -> QTableWidget:
    table = QTableWidget(0, len(columns))
    table.setHorizontalHeaderLabels([tr(c) for c in columns])
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().setVisible(False)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(True)
    return table


def _fill(table: QTableWidget, rows: list[tuple[str, ...]]) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.setItem(r, c, QTableWidgetItem(text))


def _words_text(words: list[str]) -> str:
    return ", ".join(words)


class RuleDialog(FormDialog):
    """One rule's settings, 预览 and OK (启用规则 / 保存).

    ``preview_requested(params)`` asks the controller for a preview; it answers with
    :meth:`show_preview` or :meth:`show_error`. ``orders_requested(order ids)`` opens them in
    发货中心. Public for tests: the editors, ``preview_button``, ``preview_table``,
    ``preview_label``, ``open_orders_button``, ``previewed_params``.
    """

    preview_requested = Signal(object)
    orders_requested = Signal(object)

    def __init__(
        self, kind: RuleKind, params: dict[str, Any], *, enabling: bool, parent: QWidget | None = None
    ):
        info = rules.INFO[kind]
        title = tr("启用自动化规则：{name}") if enabling else tr("自动化规则设置：{name}")
        super().__init__(
            title.format(name=tr(info.title)), tr("启用规则") if enabling else tr("保存"), parent
        )
        self.setMinimumWidth(640)
        self.kind = kind
        #: The settings the shown preview was made for (None: no preview yet, or edited since).
        self.previewed_params: dict[str, Any] | None = None
        self._preview_ids: tuple[int, ...] = ()
        summary = QLabel(tr(info.summary))
        summary.setWordWrap(True)
        self.body.addWidget(summary)
        form = QFormLayout()
        self.body.addLayout(form)
        self._build_editors(form, params)
        row = QHBoxLayout()
        self.preview_button = QPushButton(tr("预览"))
        self.preview_button.clicked.connect(self._on_preview)
        self.open_orders_button = QPushButton(tr("在发货中心查看这些订单"))
        self.open_orders_button.setEnabled(False)
        self.open_orders_button.clicked.connect(lambda: self.orders_requested.emit(self._preview_ids))
        row.addWidget(self.preview_button)
        row.addWidget(self.open_orders_button)
        row.addStretch(1)
        self.body.addLayout(row)
        self.preview_label = QLabel(tr("先点「预览」，看看规则现在会处理哪些订单。"))
        self.preview_label.setWordWrap(True)
        self.body.addWidget(self.preview_label)
        self.preview_table = _table(PREVIEW_COLUMNS)
        self.preview_table.setMinimumHeight(180)
        self.body.addWidget(self.preview_table)
        self.finish_layout()

    # --- editors ---
    def _flag_combo(self, value: int | None, *, optional: bool) -> QComboBox:
        combo = QComboBox()
        if optional:
            combo.addItem(tr("不插旗"), None)
        for flag, name in zip(Flag, FLAG_NAMES, strict=True):
            combo.addItem(tr(name), int(flag))
        combo.setCurrentIndex(max(0, combo.findData(value)))
        combo.currentIndexChanged.connect(self._edited)
        return combo

    def _line(self, text: str, placeholder: str = "") -> QLineEdit:
        edit = QLineEdit(text)
        edit.setPlaceholderText(placeholder)
        edit.textEdited.connect(self._edited)
        return edit

    def _spin(self, low: int, high: int, value: int, suffix: str) -> QSpinBox:
        spin = QSpinBox()
        spin.setRange(low, high)
        spin.setValue(value)
        spin.setSuffix(suffix)
        spin.valueChanged.connect(self._edited)
        return spin

    def _build_editors(self, form: QFormLayout, p: dict[str, Any]) -> None:
        words_hint = tr("多个词用逗号或空格分开")
        if self.kind == RuleKind.REFUND:
            self.max_yuan_edit = self._line(format_yuan_plain(p["max_fen"]))
            form.addRow(tr("退款金额不超过（元）"), self.max_yuan_edit)
            self.daily_cap_spin = self._spin(1, rules.MAX_DAILY_CAP, p["daily_cap"], tr(" 单"))
            form.addRow(tr("每天最多自动同意"), self.daily_cap_spin)
        elif self.kind == RuleKind.MERGE:
            self.flag_combo = self._flag_combo(p["flag"], optional=False)
            form.addRow(tr("插旗"), self.flag_combo)
            self.memo_edit = self._line(p["memo"])
            form.addRow(tr("备注文字"), self.memo_edit)
        elif self.kind == RuleKind.PRINT:
            self.times_edit = self._line(", ".join(p["times"]), tr("如 09:00，15:30"))
            form.addRow(tr("每天打印时间"), self.times_edit)
            self.batch_spin = self._spin(1, rules.MAX_BATCH, p["batch_max"], tr(" 单"))
            form.addRow(tr("每批最多"), self.batch_spin)
            folder_row = QHBoxLayout()
            self.folder_edit = self._line(p["folder"], tr("不填：店铺数据旁的「自动打印」文件夹"))
            choose = QPushButton(tr("选择…"))
            choose.clicked.connect(self._choose_folder)
            folder_row.addWidget(self.folder_edit, 1)
            folder_row.addWidget(choose)
            form.addRow(tr("面单 PDF 保存到"), folder_row)
            note = QLabel(tr("只生成面单 PDF 并记为已打印，不会发货；可以用打印机的文件夹打印功能自动打出。"))
            note.setWordWrap(True)
            form.addRow("", note)
        elif self.kind == RuleKind.MEMO:
            self.keywords_edit = self._line(_words_text(p["keywords"]), words_hint)
            form.addRow(tr("买家留言含"), self.keywords_edit)
            self.memo_edit = self._line(p["memo"])
            form.addRow(tr("写入商家备注"), self.memo_edit)
            self.flag_combo = self._flag_combo(p["flag"], optional=True)
            form.addRow(tr("插旗"), self.flag_combo)
        else:
            self.address_words_edit = self._line(_words_text(p["address_words"]), words_hint)
            form.addRow(tr("收货地址含"), self.address_words_edit)
            self.memo_words_edit = self._line(_words_text(p["memo_words"]), words_hint)
            form.addRow(tr("或买家留言含"), self.memo_words_edit)

    def choose_folder(self) -> str:
        """Ask for the PDF folder (tests replace this)."""
        return QFileDialog.getExistingDirectory(
            self, tr("选择面单 PDF 保存的文件夹"), self.folder_edit.text()
        )

    def _choose_folder(self) -> None:
        folder = self.choose_folder()
        if folder:
            self.folder_edit.setText(folder)
            self._edited()

    def params(self) -> dict[str, Any]:
        """The settings as typed (checked by the service).

        Raises:
            ValidationError: an amount that is not a number of yuan.
        """
        if self.kind == RuleKind.REFUND:
            try:
                max_fen = yuan_to_fen(self.max_yuan_edit.text().strip())
            except MoneyError as exc:
                raise ValidationError(tr("退款金额上限"), str(exc)) from None
            return {"max_fen": max_fen, "daily_cap": self.daily_cap_spin.value()}
        if self.kind == RuleKind.MERGE:
            return {"flag": self.flag_combo.currentData(), "memo": self.memo_edit.text()}
        if self.kind == RuleKind.PRINT:
            return {
                "times": rules.split_words(self.times_edit.text()),
                "batch_max": self.batch_spin.value(),
                "folder": self.folder_edit.text(),
            }
        if self.kind == RuleKind.MEMO:
            return {
                "keywords": rules.split_words(self.keywords_edit.text()),
                "flag": self.flag_combo.currentData(),
                "memo": self.memo_edit.text(),
            }
        return {
            "address_words": rules.split_words(self.address_words_edit.text()),
            "memo_words": rules.split_words(self.memo_words_edit.text()),
        }

    # --- preview ---
    def _edited(self, *_args) -> None:
        self.previewed_params = None
        self._preview_ids = ()
        self.open_orders_button.setEnabled(False)
        self.preview_label.setText(tr("设置已修改，请重新预览。"))
        self.update_ok()

    def _on_preview(self) -> None:
        try:
            params = self.params()
        except ValidationError as exc:
            self.show_error(str(exc))
            return
        self.show_error("")
        self.preview_button.setEnabled(False)
        self.preview_requested.emit(params)

    def preview_failed(self, message: str) -> None:
        """The preview was refused (a bad setting): say why."""
        self.preview_button.setEnabled(True)
        self.show_error(message)

    def show_preview(self, params: dict[str, Any], preview) -> None:
        """Show what the rule would do now with ``params`` (a ``services.automation.Preview``)."""
        self.preview_button.setEnabled(True)
        self.show_error("")
        self.previewed_params = params
        acting = preview.targets[: preview.acting]
        self._preview_ids = tuple(t.order_id for t in acting)
        # True counts (Preview.matched / allowed / skipped_count); the lists stop at PREVIEW_LIMIT.
        text = tr("现在会处理 {count:,} 单").format(count=preview.allowed)
        if preview.matched > preview.allowed:
            text += tr("（共 {total:,} 单符合，上限只允许 {count:,} 单）").format(
                total=preview.matched, count=preview.allowed
            )
        if preview.allowed > preview.acting:
            text += tr("，每次运行处理 {count:,} 单，其余的在之后的运行中处理").format(count=preview.acting)
        if preview.skipped_count:
            text += tr("；{count:,} 单符合但有同步冲突或待上传的改动，不会处理").format(
                count=preview.skipped_count
            )
        if preview.note:
            text = tr("{text}。{note}").format(text=text, note=preview.note)
        if preview.allowed > len(acting) or preview.skipped_count > len(preview.skipped):
            text = tr("{text}。下面的列表只显示前 {n:,} 单").format(text=text, n=PREVIEW_LIMIT)
        self.preview_label.setText(text)
        rows = [(t.order_sn, t.what) for t in acting]
        rows += [(t.order_sn, tr("不处理：{why}").format(why=t.what)) for t in preview.skipped]
        _fill(self.preview_table, rows)
        self.open_orders_button.setEnabled(bool(self._preview_ids))
        self.update_ok()

    def can_submit(self) -> bool:
        """OK only for the settings of the preview on screen."""
        return self.previewed_params is not None


class ActionLogDialog(QDialog):
    """The action log (newest first): which rule did what to which order, and the outcome."""

    def __init__(self, rows, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("自动化执行记录"))
        self.resize(860, 480)
        layout = QVBoxLayout(self)
        self.table = _table(LOG_COLUMNS)
        _fill(
            self.table,
            [
                (
                    format_ts(r.at, "%Y-%m-%d %H:%M"),
                    tr(r.rule_title),
                    r.entity_id,
                    tr(r.action),
                    tr(r.outcome),
                    r.detail,
                )
                for r in rows
            ],
        )
        layout.addWidget(self.table)
        empty = QLabel(tr("规则还没有执行过任何操作。"))
        empty.setVisible(not rows)
        layout.addWidget(empty)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


class HeldOrdersDialog(QDialog):
    """Orders on hold (暂停发货): release the selected ones, or open them in 发货中心.

    ``release_requested(order ids)`` and ``orders_requested(order ids)`` go to the controller.
    """

    release_requested = Signal(object)
    orders_requested = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("暂停发货的订单"))
        self.resize(760, 420)
        self.held: list = []
        layout = QVBoxLayout(self)
        intro = QLabel(tr("这些订单暂停发货：解除前不能打印面单、不能发货。解除后规则不会再暂停同一订单。"))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.table = _table(HOLD_COLUMNS)
        self.table.itemSelectionChanged.connect(self._update)
        layout.addWidget(self.table)
        self.error_label = QLabel("")
        self.error_label.setObjectName("Danger")
        self.error_label.setWordWrap(True)
        layout.addWidget(self.error_label)
        row = QHBoxLayout()
        self.release_button = QPushButton(tr("解除暂停"))
        self.release_button.clicked.connect(lambda: self.release_requested.emit(self.selected_ids()))
        self.open_orders_button = QPushButton(tr("在发货中心查看"))
        self.open_orders_button.clicked.connect(
            lambda: self.orders_requested.emit(tuple(h.order_id for h in self.held))
        )
        close = QPushButton(tr("关闭"))
        close.clicked.connect(self.reject)
        row.addWidget(self.release_button)
        row.addWidget(self.open_orders_button)
        row.addStretch(1)
        row.addWidget(close)
        layout.addLayout(row)
        self._update()

    def show_held(self, held) -> None:
        """Fill the list (``services.holds.HeldOrder`` rows)."""
        self.held = list(held)
        _fill(
            self.table,
            [
                (
                    h.order_sn,
                    h.reason,
                    format_ts(h.held_at, "%Y-%m-%d %H:%M"),
                    tr("规则") if h.by_rule else tr("手动"),
                )
                for h in self.held
            ],
        )
        self._update()

    def selected_ids(self) -> tuple[int, ...]:
        """The selected orders' ids."""
        rows = sorted({i.row() for i in self.table.selectedIndexes()})
        return tuple(self.held[r].order_id for r in rows if r < len(self.held))

    def _update(self) -> None:
        self.release_button.setEnabled(bool(self.selected_ids()))
        self.open_orders_button.setEnabled(bool(self.held))
