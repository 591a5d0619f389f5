"""A month picker with a custom range: the last twelve Beijing months, or two dates.

Used by 资金's 对账 and 利润 tabs. ``changed`` fires when the choice changes; :meth:`dates`
gives the first and last Beijing day (both included), :meth:`bounds` the UTC ``[start, end)``.
"""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import QComboBox, QDateEdit, QHBoxLayout, QLabel, QWidget

from pdd_desktop.common import clock
from pdd_desktop.common.timefmt import local_date_start, to_local
from pdd_desktop.ui.i18n import tr

MONTHS = 12
CUSTOM = "custom"


def month_last(first: date) -> date:
    """The last day of ``first``'s month."""
    return (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


class RangePicker(QWidget):
    """A month combo (本月 first, then the eleven before) and 自定义 with two date fields.

    Public children: ``month_combo``, ``first_edit``, ``last_edit``.
    """

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.month_combo = QComboBox()
        today = to_local(clock.now()).date()
        first = today.replace(day=1)
        for i in range(MONTHS):
            text = tr("本月（{month}）") if i == 0 else "{month}"
            self.month_combo.addItem(text.format(month=f"{first:%Y-%m}"), first)
            first = (first - timedelta(days=1)).replace(day=1)
        self.month_combo.addItem(tr("自定义日期"), CUSTOM)
        self.first_edit = QDateEdit()
        self.last_edit = QDateEdit()
        for edit in (self.first_edit, self.last_edit):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.first_edit.setDate(QDate(today.year, today.month, 1))
        self.last_edit.setDate(QDate(today.year, today.month, today.day))
        self.to_label = QLabel(tr("至"))
        layout.addWidget(QLabel(tr("月份")))
        layout.addWidget(self.month_combo)
        layout.addWidget(self.first_edit)
        layout.addWidget(self.to_label)
        layout.addWidget(self.last_edit)
        self._show_custom(False)
        self.month_combo.currentIndexChanged.connect(self._on_month)
        self.first_edit.dateChanged.connect(lambda _d: self.changed.emit())
        self.last_edit.dateChanged.connect(lambda _d: self.changed.emit())

    def _show_custom(self, on: bool) -> None:
        for w in (self.first_edit, self.to_label, self.last_edit):
            w.setVisible(on)

    def _on_month(self, _index: int) -> None:
        self._show_custom(self.month_combo.currentData() == CUSTOM)
        self.changed.emit()

    def set_month(self, first: date) -> None:
        """Choose the month starting on ``first`` (one of the listed months)."""
        self.month_combo.setCurrentIndex(self.month_combo.findData(first))

    def set_custom(self, first: date, last: date) -> None:
        """Choose the days ``first`` … ``last``."""
        self.first_edit.blockSignals(True)
        self.first_edit.setDate(QDate(first.year, first.month, first.day))
        self.first_edit.blockSignals(False)
        self.last_edit.setDate(QDate(last.year, last.month, last.day))
        self.month_combo.setCurrentIndex(self.month_combo.findData(CUSTOM))

    def dates(self) -> tuple[date, date]:
        """The first and last Beijing day of the choice (both included)."""
        data = self.month_combo.currentData()
        if data == CUSTOM:
            return self.first_edit.date().toPython(), self.last_edit.date().toPython()
        return data, month_last(data)

    def bounds(self) -> tuple[int, int]:
        """``[start, end)`` in UTC seconds (an empty range when the dates are reversed)."""
        first, last = self.dates()
        return local_date_start(first), local_date_start(last + timedelta(days=1))
