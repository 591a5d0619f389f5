"""The shipping price table editor: rows per courier (and the default row), weight bands.

The merchant types grams and yuan; OK parses every row (a bad cell names its row and column
and nothing is saved) and the page saves the whole table with
:func:`pdd_desktop.services.profit.save_shipping_bands` (all or nothing, its message shown
here on refusal).
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
)

from pdd_desktop.domain.errors import DomainError
from pdd_desktop.domain.money import MoneyError, format_yuan_plain, yuan_to_fen
from pdd_desktop.services.profit import ShippingBand
from pdd_desktop.ui.dialogs.form import FormDialog
from pdd_desktop.ui.i18n import QT_TR_NOOP, tr

HEADERS = (
    QT_TR_NOOP("快递公司"),
    QT_TR_NOOP("重量上限（克，0 为不限）"),
    QT_TR_NOOP("首重（克）"),
    QT_TR_NOOP("首重价格（元）"),
    QT_TR_NOOP("续重单位（克）"),
    QT_TR_NOOP("续重价格（元）"),
)
#: Columns holding yuan (the others hold whole grams).
YUAN_COLUMNS = (3, 5)


class BadCell(DomainError):
    """A cell the dialog cannot read."""


class ShippingRatesDialog(FormDialog):
    """Edit the price table.

    Public children: ``table`` (one row per band; column 0 a courier combo), ``add_button``,
    ``remove_button``, plus the form's ``ok_button`` / ``error_label``. :meth:`bands` reads
    the rows (raises :class:`BadCell`).
    """

    def __init__(self, bands, couriers: dict[int, str], parent=None) -> None:
        super().__init__(tr("运费价格表"), tr("保存"), parent)
        self.setMinimumWidth(760)
        self.couriers = couriers
        note = QLabel(
            tr(
                "按快递公司和重量段填写每单运费：首重价格含首重以内的重量，超出的部分每满一个续重单位"
                "（不足按一个算）加一次续重价格。“默认（所有快递）”用于没有单独填写的快递公司。"
                "商品没填重量时按首重价格计。"
            )
        )
        note.setWordWrap(True)
        note.setObjectName("Muted")
        self.body.addWidget(note)
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setHorizontalHeaderLabels([tr(h) for h in HEADERS])
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setMinimumHeight(260)
        self.body.addWidget(self.table, 1)
        buttons = QHBoxLayout()
        self.add_button = QPushButton(tr("添加一行"))
        self.remove_button = QPushButton(tr("删除选中行"))
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        self.body.addLayout(buttons)
        self.add_button.clicked.connect(lambda: self.add_row())
        self.remove_button.clicked.connect(self._remove_selected)
        for b in bands:
            self.add_row(b)
        if not bands:
            self.add_row()
        self.table.resizeColumnsToContents()
        self.finish_layout()

    def add_row(self, band: ShippingBand | None = None) -> int:
        """Append a row (a band's values, or a default row of ¥3.00 first kilogram)."""
        b = band or ShippingBand(0, 0, 1000, 300, 1000, 100)
        row = self.table.rowCount()
        self.table.insertRow(row)
        combo = QComboBox()
        combo.addItem(tr("默认（所有快递）"), 0)
        for cid, name in self.couriers.items():
            combo.addItem(name, int(cid))
        if combo.findData(b.courier_id) < 0:
            combo.addItem(tr("快递 {id}").format(id=b.courier_id), b.courier_id)
        combo.setCurrentIndex(combo.findData(b.courier_id))
        self.table.setCellWidget(row, 0, combo)
        values = (b.up_to_g, b.first_weight_g, b.first_fen, b.step_g, b.step_fen)
        for col, value in enumerate(values, 1):
            text = format_yuan_plain(value) if col in YUAN_COLUMNS else str(value)
            self.table.setItem(row, col, QTableWidgetItem(text))
        return row

    def _remove_selected(self) -> None:
        rows = sorted({i.row() for i in self.table.selectedIndexes()}, reverse=True)
        if not rows and self.table.currentRow() >= 0:
            rows = [self.table.currentRow()]
        for r in rows:
            self.table.removeRow(r)

    def bands(self) -> list[ShippingBand]:
        """The rows as bands.

        Raises:
            BadCell: an empty or unreadable cell, naming its row and column.
        """
        out = []
        for row in range(self.table.rowCount()):
            values = [int(self.table.cellWidget(row, 0).currentData())]
            for col in range(1, len(HEADERS)):
                item = self.table.item(row, col)
                text = (item.text() if item else "").strip()
                where = tr("第 {row} 行“{column}”").format(row=row + 1, column=tr(HEADERS[col]))
                if not text:
                    raise BadCell(tr("{where}没有填写").format(where=where))
                if col in YUAN_COLUMNS:
                    try:
                        values.append(yuan_to_fen(text))
                    except (MoneyError, DomainError):
                        message = tr("{where}应为金额（元，最多两位小数），收到“{text}”")
                        raise BadCell(message.format(where=where, text=text)) from None
                else:
                    if not text.isdigit() or not text.isascii():
                        raise BadCell(tr("{where}应为整数克数，收到“{text}”").format(where=where, text=text))
                    values.append(int(text))
            out.append(ShippingBand(*values))
        return out
