"""商品 dialogs for stock: 入库 (an inbound receipt of one SKU) and 盘点 (a checked count sheet).

OK emits ``submitted``; the page runs the write (see :mod:`.dialogs`).
"""

from __future__ import annotations

from PySide6.QtCore import QRegularExpression
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QSpinBox, QWidget

from pdd_desktop.domain.money import format_yuan
from pdd_desktop.services.goods import MAX_STOCK
from pdd_desktop.services.goods_local import MAX_COST_FEN
from pdd_desktop.services.stock import MAX_REASON_CHARS, StocktakeCheck
from pdd_desktop.ui.dialogs.form import FormDialog
from pdd_desktop.ui.i18n import tr
from pdd_desktop.ui.pages.goods.local_dialogs import parse_cost
from pdd_desktop.ui.widgets.tables import fill_table, report_table

_TYPING = QRegularExpression(r"\d{0,7}(\.\d{0,2})?")
#: Rows of a count sheet the dialog lists (differences or problems); the rest are counted.
SHOWN_LINES = 500


def _muted(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("Muted")
    label.setWordWrap(True)
    return label


class InboundDialog(FormDialog):
    """入库: quantity received, unit cost (optional) and a note.

    Public children: ``quantity_spin``, ``cost_edit``, ``note_edit``, ``rule_label``.
    """

    def __init__(
        self, sku_text: str, stock: int, cost_fen: int | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(tr("入库"), tr("入库"), parent)
        self.setMinimumWidth(460)
        title = QLabel(sku_text)
        title.setWordWrap(True)
        self.body.addWidget(title)
        form = QFormLayout()
        self.quantity_spin = QSpinBox()
        self.quantity_spin.setRange(1, MAX_STOCK)
        self.quantity_spin.setGroupSeparatorShown(True)
        self.quantity_spin.setMaximumWidth(160)
        self.cost_edit = QLineEdit("")
        self.cost_edit.setValidator(QRegularExpressionValidator(_TYPING, self.cost_edit))
        self.cost_edit.setPlaceholderText(tr("不填则成本价不变"))
        self.cost_edit.setMaximumWidth(160)
        self.note_edit = QLineEdit("")
        self.note_edit.setMaxLength(MAX_REASON_CHARS)
        self.note_edit.setPlaceholderText(tr("例如供应商、采购单号"))
        form.addRow(tr("当前库存"), QLabel(f"{stock:,}"))
        form.addRow(tr("当前成本价"), QLabel(tr("未填写") if cost_fen is None else format_yuan(cost_fen)))
        form.addRow(tr("入库数量"), self.quantity_spin)
        form.addRow(tr("进货单价（元）"), self.cost_edit)
        form.addRow(tr("备注"), self.note_edit)
        self.body.addLayout(form)
        self.body.addWidget(
            _muted(
                tr(
                    "库存增加入库数量，下次同步时上传到拼多多。填写进货单价时，成本价按移动平均更新："
                    "（现成本 × 现有库存 + 进货单价 × 入库数量）÷ 入库后库存。"
                )
            )
        )
        self.rule_label = QLabel("")
        self.rule_label.setObjectName("Danger")
        self.rule_label.setWordWrap(True)
        self.body.addWidget(self.rule_label)
        self.cost_edit.textChanged.connect(lambda _t: self.update_ok())
        self.finish_layout()

    def unit_cost(self) -> int | None:
        """The unit cost in fen, None when left empty."""
        return parse_cost(self.cost_edit.text())[1]

    def can_submit(self) -> bool:
        valid, fen = parse_cost(self.cost_edit.text())
        rule = ""
        if not valid:
            rule = tr("进货单价请填写金额，最多两位小数，例如 12.50。")
        elif fen is not None and fen > MAX_COST_FEN:
            rule = tr("进货单价不能超过 {amount}。").format(amount=format_yuan(MAX_COST_FEN))
        self.rule_label.setText(rule)
        return not rule


class StocktakeDialog(FormDialog):
    """盘点: the checked sheet's differences (or its problems) and the reason; OK applies.

    Public children: ``summary_label``, ``table``, ``reason_edit``.
    """

    def __init__(self, check: StocktakeCheck, parent: QWidget | None = None) -> None:
        super().__init__(tr("盘点"), tr("应用盘点"), parent)
        self.setMinimumSize(720, 480)
        self.check = check
        differing = check.differing
        added = sum(line.delta for line in differing if line.delta > 0)
        removed = -sum(line.delta for line in differing if line.delta < 0)
        if check.errors:
            summary = tr(
                "{file_name}：{bad_rows:,} 行有问题，请改正后重新导入（没有修改任何库存）。"
                "其余 {good:,} 行正确。"
            ).format(file_name=check.file_name, bad_rows=check.bad_rows, good=len(check.lines))
        elif differing:
            summary = tr(
                "{file_name}：{lines:,} 个规格，{changed:,} 个有差异"
                "（盘盈 {added:,} 件，盘亏 {removed:,} 件），{same:,} 个无差异。"
                "应用后库存改为盘点数量，并在下次同步时上传到拼多多。"
            ).format(
                file_name=check.file_name,
                lines=len(check.lines),
                changed=len(differing),
                added=added,
                removed=removed,
                same=len(check.lines) - len(differing),
            )
        else:
            summary = tr("{file_name}：{lines:,} 个规格的盘点数量与库存一致，无需调整。").format(
                file_name=check.file_name, lines=len(check.lines)
            )
        self.summary_label = QLabel(summary)
        self.summary_label.setWordWrap(True)
        self.summary_label.setObjectName("Danger" if check.errors else "")
        self.body.addWidget(self.summary_label)
        if check.errors:
            self.table = report_table([tr("行"), tr("列"), tr("内容"), tr("问题")])
            rows = [(str(e.row_no), e.column, e.raw_value, e.message) for e in check.errors[:SHOWN_LINES]]
        else:
            self.table = report_table(
                [tr("商品"), tr("规格"), tr("商家编码"), tr("库存"), tr("盘点数量"), tr("差异")]
            )
            rows = [
                (
                    line.goods_name,
                    line.spec,
                    line.outer_id,
                    f"{line.stock:,}",
                    f"{line.counted:,}",
                    f"{line.delta:+,}",
                )
                for line in differing[:SHOWN_LINES]
            ]
        fill_table(self.table, rows)
        self.body.addWidget(self.table, 1)
        form = QFormLayout()
        self.reason_edit = QLineEdit("")
        self.reason_edit.setMaxLength(MAX_REASON_CHARS)
        self.reason_edit.setPlaceholderText(tr("例如 月底盘点、破损清点"))
        form.addRow(tr("盘点原因"), self.reason_edit)
        self.body.addLayout(form)
        self.finish_layout()

    def can_submit(self) -> bool:
        return not self.check.errors and bool(self.check.differing)
