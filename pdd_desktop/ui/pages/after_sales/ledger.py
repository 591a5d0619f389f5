"""退款统计: the refund ledger of the last days (by day, goods, reason) and the refund rate per goods.

A non-modal dialog of the 售后 page; the page reads the ledger on the database lane and calls
:meth:`RefundLedgerDialog.show_ledger`.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from pdd_desktop.common.timefmt import format_ts
from pdd_desktop.domain.money import format_yuan
from pdd_desktop.services.after_sales import LedgerLine, RefundLedger
from pdd_desktop.ui.i18n import QT_TR_NOOP, tr

#: The periods offered, in days.
PERIODS: tuple[tuple[int, str], ...] = (
    (7, QT_TR_NOOP("近 7 天")),
    (30, QT_TR_NOOP("近 30 天")),
    (90, QT_TR_NOOP("近 90 天")),
)


def _table(headers: Sequence[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(list(headers))
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.verticalHeader().setVisible(False)
    table.setAlternatingRowColors(True)
    head = table.horizontalHeader()
    head.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    for i in range(1, len(headers)):
        head.setSectionResizeMode(i, QHeaderView.ResizeMode.ResizeToContents)
    return table


def _fill(table: QTableWidget, rows: Sequence[Sequence[str]]) -> None:
    table.setRowCount(len(rows))
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            item = QTableWidgetItem(value)
            if c:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            table.setItem(r, c, item)


def _permille_text(permille: int) -> str:
    return f"{permille // 10}.{permille % 10}%"


class RefundLedgerDialog(QDialog):
    """The ledger's tables.

    Public children: ``period_combo``, ``summary_label``, ``tabs``, ``day_table``,
    ``goods_table``, ``reason_table``, ``rate_table``.
    """

    #: The user chose another period (days).
    period_changed = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("退款统计"))
        self.resize(720, 520)
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.period_combo = QComboBox()
        for days, label in PERIODS:
            self.period_combo.addItem(tr(label), days)
        self.period_combo.setCurrentIndex(1)
        self.summary_label = QLabel(tr("正在统计…"))
        self.summary_label.setWordWrap(True)
        top.addWidget(self.period_combo)
        top.addWidget(self.summary_label, 1)
        layout.addLayout(top)
        self.tabs = QTabWidget()
        self.day_table = _table([tr("日期"), tr("退款单数"), tr("退款金额")])
        self.goods_table = _table([tr("商品"), tr("退款单数"), tr("退款金额")])
        self.reason_table = _table([tr("售后原因"), tr("退款单数"), tr("退款金额")])
        self.rate_table = _table([tr("商品"), tr("支付订单"), tr("已退款订单"), tr("退款率")])
        self.tabs.addTab(self.day_table, tr("按日"))
        self.tabs.addTab(self.goods_table, tr("按商品"))
        self.tabs.addTab(self.reason_table, tr("按原因"))
        self.tabs.addTab(self.rate_table, tr("商品退款率"))
        layout.addWidget(self.tabs, 1)
        note = QLabel(
            tr(
                "退款按售后单「退款成功」的日期统计（北京时间）；退款率 = 期间内支付的订单中，"
                "该商品已退款成功的订单数 ÷ 支付订单数。"
            )
        )
        note.setObjectName("Muted")
        note.setWordWrap(True)
        layout.addWidget(note)
        self.period_combo.currentIndexChanged.connect(lambda _i: self.period_changed.emit(self.days()))

    def days(self) -> int:
        """The chosen period in days."""
        return int(self.period_combo.currentData())

    def show_ledger(self, ledger: RefundLedger) -> None:
        """Fill the tables from a ledger."""
        self.summary_label.setText(
            tr("{start} 至 {end}：退款成功 {cases:,} 单，共 {amount}").format(
                start=format_ts(ledger.start, "%Y-%m-%d"),
                end=format_ts(ledger.end - 1, "%Y-%m-%d"),
                cases=ledger.cases,
                amount=format_yuan(ledger.refunded_fen),
            )
        )

        def lines(rows: Sequence[LedgerLine]) -> list[list[str]]:
            return [[r.label, f"{r.cases:,}", format_yuan(r.refunded_fen)] for r in rows]

        _fill(self.day_table, lines(ledger.by_day))
        _fill(self.goods_table, lines(ledger.by_goods))
        _fill(self.reason_table, lines(ledger.by_reason))
        _fill(
            self.rate_table,
            [
                [r.name, f"{r.paid_orders:,}", f"{r.refunded_orders:,}", _permille_text(r.rate_permille)]
                for r in ledger.rates
            ],
        )

    def show_error(self, message: str) -> None:
        """Say why the ledger could not be read."""
        self.summary_label.setText(message)
