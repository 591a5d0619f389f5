"""商品 dialogs for what the merchant owns locally: 成本/预警 of SKUs, 商品设置 of goods.

Both act on the selection (one or many); a seller code is offered only for a single SKU / goods.
Like :mod:`.dialogs`, OK emits ``submitted`` and the page runs the write (``values()`` gives its
keyword arguments; a key that is absent leaves that field as it is).
"""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtCore import QRegularExpression
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from pdd_desktop.common.timefmt import format_ts
from pdd_desktop.domain.money import MoneyError, format_yuan, format_yuan_plain, yuan_to_fen
from pdd_desktop.services.cost_history import CostChange
from pdd_desktop.services.goods_local import (
    MAX_CODE_CHARS,
    MAX_COST_FEN,
    MAX_PROMISE_HOURS,
    MAX_THRESHOLD,
    MIN_PROMISE_HOURS,
)
from pdd_desktop.ui.dialogs.form import FormDialog
from pdd_desktop.ui.i18n import QT_TR_NOOP, tr

_TYPING = QRegularExpression(r"\d{0,7}(\.\d{0,2})?")
_AMOUNT = re.compile(r"^\d{1,7}(\.\d{1,2})?$")
#: A seller code lives on the platform too (no API to change it): said where it is edited.
CODE_NOTE = QT_TR_NOOP(
    "商家编码也保存在拼多多商家后台。已接入拼多多同步的店铺，商品在后台有变动时会以后台的编码为准，"
    "请在商家后台同样修改。"
)


def parse_cost(text: str) -> tuple[bool, int | None]:
    """(valid, fen) of a cost box: blank is valid and means 未知 (None)."""
    text = text.strip()
    if not text:
        return True, None
    if not _AMOUNT.match(text):
        return False, None
    try:
        return True, yuan_to_fen(text)
    except MoneyError:
        return False, None


def _code_edit(code: str) -> QLineEdit:
    edit = QLineEdit(code)
    edit.setMaxLength(MAX_CODE_CHARS)
    edit.setMinimumWidth(220)
    return edit


def _note(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("Muted")
    label.setWordWrap(True)
    return label


class SkuLocalDialog(FormDialog):
    """成本价 / 库存预警值 of the selected SKUs (ticked fields only), 商家编码 for a single SKU.

    Public children: ``cost_check``, ``cost_edit``, ``threshold_check``, ``threshold_spin``,
    ``code_edit`` and ``history_table`` (None for several SKUs), ``rule_label``.
    """

    def __init__(
        self,
        heading: str,
        count: int,
        cost_fen: int | None,
        threshold: int,
        code: str | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(tr("成本与预警"), tr("保存"), parent)
        self.setMinimumWidth(460)
        self.seen_code = code
        title = QLabel(heading)
        title.setWordWrap(True)
        self.body.addWidget(title)
        form = QFormLayout()
        self.cost_check = QCheckBox(tr("成本价（元）"))
        self.cost_edit = QLineEdit("" if cost_fen is None else format_yuan_plain(cost_fen))
        self.cost_edit.setValidator(QRegularExpressionValidator(_TYPING, self.cost_edit))
        self.cost_edit.setPlaceholderText(tr("留空表示未知"))
        self.cost_edit.setMaximumWidth(160)
        self.threshold_check = QCheckBox(tr("库存预警值"))
        self.threshold_spin = QSpinBox()
        self.threshold_spin.setRange(0, MAX_THRESHOLD)
        self.threshold_spin.setValue(max(0, min(threshold, MAX_THRESHOLD)))
        self.threshold_spin.setMaximumWidth(160)
        form.addRow(self.cost_check, self.cost_edit)
        form.addRow(self.threshold_check, self.threshold_spin)
        self.code_edit: QLineEdit | None = None
        if code is not None:
            self.code_edit = _code_edit(code)
            form.addRow(tr("商家编码"), self.code_edit)
        self.body.addLayout(form)
        if count > 1:
            self.cost_check.setChecked(False)
            self.threshold_check.setChecked(False)
            self.body.addWidget(
                _note(tr("将修改所选的 {count:,} 个规格；只修改勾选的项目。").format(count=count))
            )
        else:
            self.cost_check.setChecked(True)
            self.threshold_check.setChecked(True)
        self.body.addWidget(
            _note(tr("成本价用于计算利润，只保存在本机；可用库存不高于预警值时标为库存不足。"))
        )
        if self.code_edit is not None:
            self.body.addWidget(_note(tr(CODE_NOTE)))
        #: 成本价历史 of a single SKU (filled by :meth:`show_history`); None for several SKUs.
        self.history_table: QTableWidget | None = None
        if count == 1:
            self.body.addWidget(QLabel(tr("成本价历史")))
            table = QTableWidget(0, 3)
            table.setHorizontalHeaderLabels([tr("时间"), tr("成本价"), tr("来源")])
            table.verticalHeader().setVisible(False)
            table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
            table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
            table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
            table.setMinimumHeight(120)
            table.setMaximumHeight(180)
            self.history_table = table
            self.body.addWidget(table)
        self.rule_label = QLabel("")
        self.rule_label.setObjectName("Danger")
        self.rule_label.setWordWrap(True)
        self.body.addWidget(self.rule_label)
        for check in (self.cost_check, self.threshold_check):
            check.toggled.connect(lambda _on: self.update_ok())
        self.cost_edit.textChanged.connect(lambda _t: self.update_ok())
        self.threshold_spin.valueChanged.connect(lambda _v: self.update_ok())
        if self.code_edit is not None:
            self.code_edit.textChanged.connect(lambda _t: self.update_ok())
        self.finish_layout()

    def show_history(self, changes: list[CostChange]) -> None:
        """Fill the 成本价历史 table, newest first (an empty history says so)."""
        table = self.history_table
        if table is None:
            return
        if not changes:
            table.setRowCount(1)
            table.setSpan(0, 0, 1, 3)
            table.setItem(0, 0, QTableWidgetItem(tr("还没有成本价记录")))
            return
        table.setRowCount(len(changes))
        for row, change in enumerate(changes):
            cost = tr("未知") if change.cost_price_fen is None else format_yuan(change.cost_price_fen)
            source = (
                tr("{source}（{note}）").format(source=change.source_label, note=change.note)
                if change.note
                else change.source_label
            )
            for col, text in enumerate((format_ts(change.changed_at, "%Y-%m-%d %H:%M"), cost, source)):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                table.setItem(row, col, item)
        table.resizeColumnToContents(0)
        table.resizeColumnToContents(1)

    def values(self) -> dict[str, Any]:
        """Keyword arguments for ``goods_local.set_sku_local`` (without ``sku_ids``)."""
        out: dict[str, Any] = {}
        if self.cost_check.isChecked():
            out["cost_price_fen"] = parse_cost(self.cost_edit.text())[1]
        if self.threshold_check.isChecked():
            out["low_stock_threshold"] = self.threshold_spin.value()
        if self.code_edit is not None and self.code_edit.text().strip() != (self.seen_code or ""):
            out["outer_id"] = self.code_edit.text().strip()
        return out

    def can_submit(self) -> bool:
        rule = ""
        ok = True
        if self.cost_check.isChecked():
            valid, fen = parse_cost(self.cost_edit.text())
            if not valid:
                rule, ok = tr("成本价请填写金额，最多两位小数，例如 12.50；留空表示未知。"), False
            elif fen is not None and fen > MAX_COST_FEN:
                rule = tr("成本价不能超过 {amount}。").format(amount=format_yuan(MAX_COST_FEN))
                ok = False
        self.rule_label.setText(rule)
        return ok and bool(self.values())


class GoodsLocalDialog(FormDialog):
    """承诺发货时间 of the selected goods, 商家编码 for a single goods.

    Public children: ``hours_check``, ``hours_spin``, ``code_edit`` (None for several goods).
    """

    def __init__(
        self, heading: str, count: int, hours: int, code: str | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(tr("商品设置"), tr("保存"), parent)
        self.setMinimumWidth(460)
        self.seen_code = code
        title = QLabel(heading)
        title.setWordWrap(True)
        self.body.addWidget(title)
        form = QFormLayout()
        self.hours_check = QCheckBox(tr("承诺发货时间"))
        self.hours_spin = QSpinBox()
        self.hours_spin.setRange(MIN_PROMISE_HOURS, MAX_PROMISE_HOURS)
        self.hours_spin.setSuffix(tr(" 小时"))
        self.hours_spin.setValue(max(MIN_PROMISE_HOURS, min(hours, MAX_PROMISE_HOURS)))
        self.hours_spin.setMaximumWidth(160)
        self.hours_check.setChecked(count == 1)
        form.addRow(self.hours_check, self.hours_spin)
        self.code_edit: QLineEdit | None = None
        if code is not None:
            self.code_edit = _code_edit(code)
            form.addRow(tr("商家编码"), self.code_edit)
        self.body.addLayout(form)
        if count > 1:
            self.body.addWidget(
                _note(tr("将修改所选的 {count:,} 个商品；只修改勾选的项目。").format(count=count))
            )
        self.body.addWidget(
            _note(
                tr(
                    "承诺发货时间（拼团成功后多少小时内发货）保存在本机，供备货参考；"
                    "平台上的承诺时间请在商家后台修改。"
                )
            )
        )
        if self.code_edit is not None:
            self.body.addWidget(_note(tr(CODE_NOTE)))
        self.hours_check.toggled.connect(lambda _on: self.update_ok())
        self.hours_spin.valueChanged.connect(lambda _v: self.update_ok())
        if self.code_edit is not None:
            self.code_edit.textChanged.connect(lambda _t: self.update_ok())
        self.finish_layout()

    def values(self) -> dict[str, Any]:
        """Keyword arguments for ``goods_local.set_goods_local`` (without ``goods_ids``)."""
        out: dict[str, Any] = {}
        if self.hours_check.isChecked():
            out["promise_hours"] = self.hours_spin.value()
        if self.code_edit is not None and self.code_edit.text().strip() != (self.seen_code or ""):
            out["outer_goods_id"] = self.code_edit.text().strip()
        return out

    def can_submit(self) -> bool:
        return bool(self.values())
