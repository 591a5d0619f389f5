"""资金 → 对账: the orders signed in a month (or a range) against their bill lines.

The counts per status, the lists (未结算, 重复结算, 金额不符, 无对应订单, and all orders) with
each order's money, the 结算天数 setting, and a button that opens exactly the listed orders in
发货中心. Reads run through :func:`pdd_desktop.services.reconcile.reconcile` (``LatestQuery``);
the setting is saved with ``WriteOp`` (``services.settings.update_settings``).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from pdd_desktop.common.timefmt import format_ts
from pdd_desktop.domain.money import format_yuan
from pdd_desktop.services import reconcile as rc
from pdd_desktop.services import settings as settings_service
from pdd_desktop.services.orders import OrderFilter
from pdd_desktop.ui.dialogs.error import user_message
from pdd_desktop.ui.i18n import QT_TR_NOOP, tr
from pdd_desktop.ui.ops import LatestQuery, WriteOp
from pdd_desktop.ui.pages.funds.range_picker import RangePicker
from pdd_desktop.ui.widgets.tables import fill_table, report_table

ORPHANS = "orphans"
ALL = "all"
#: 未结算, 重复结算 and 金额不符 together: the orders of the alert 账单对不上.
MISMATCH = "mismatch"
MISMATCH_STATUSES = (rc.MISSING, rc.DOUBLE, rc.AMOUNT)
#: The lists: key → shown name (statuses of services.reconcile, the charges with no order, all).
LISTS = (
    (rc.MISSING, QT_TR_NOOP("未结算")),
    (rc.DOUBLE, QT_TR_NOOP("重复结算")),
    (rc.AMOUNT, QT_TR_NOOP("金额不符")),
    (MISMATCH, QT_TR_NOOP("对不上的订单")),
    (ORPHANS, QT_TR_NOOP("无对应订单的账单")),
    (rc.PENDING, QT_TR_NOOP("未到结算时间")),
    (rc.UNCOVERED, QT_TR_NOOP("账单未覆盖")),
    (ALL, QT_TR_NOOP("全部订单")),
)
STATUS_NAMES = {
    rc.OK: QT_TR_NOOP("已结算"),
    rc.MISSING: QT_TR_NOOP("未结算"),
    rc.DOUBLE: QT_TR_NOOP("重复结算"),
    rc.AMOUNT: QT_TR_NOOP("金额不符"),
    rc.PENDING: QT_TR_NOOP("未到结算时间"),
    rc.UNCOVERED: QT_TR_NOOP("账单未覆盖"),
}
ORDER_HEADERS = (
    QT_TR_NOOP("订单号"), QT_TR_NOOP("确认收货"), QT_TR_NOOP("应结算"), QT_TR_NOOP("状态"),
    QT_TR_NOOP("用户实付"), QT_TR_NOOP("应结算金额"), QT_TR_NOOP("已结算"), QT_TR_NOOP("结算笔数"),
    QT_TR_NOOP("差额"), QT_TR_NOOP("退款"), QT_TR_NOOP("技术服务费"), QT_TR_NOOP("售后赔付"),
    QT_TR_NOOP("其他"),
)  # fmt: skip
ORPHAN_HEADERS = (
    QT_TR_NOOP("发生时间"), QT_TR_NOOP("订单号"), QT_TR_NOOP("金额"), QT_TR_NOOP("业务描述"),
)  # fmt: skip


def status_name(status: str) -> str:
    """A status on screen."""
    return tr(STATUS_NAMES[status])


class ReconcileTab(QWidget):
    """The 对账 tab (layout and controller).

    Public children: ``picker``, ``counts_label``, ``note_label``, ``list_combo``,
    ``orders_table``, ``orphans_table``, ``open_button``, ``days_spin``, ``days_button``,
    ``export_button``. :meth:`show_range` opens given days on a given list (the alert
    账单对不上). ``orders_requested(OrderFilter)`` opens orders in 发货中心;
    ``export_requested()`` asks the page to export the 对账 report of :meth:`dates`.
    """

    orders_requested = Signal(object)
    export_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        self.picker = RangePicker()
        self.days_spin = QSpinBox()
        self.days_spin.setRange(1, 30)
        self.days_spin.setSuffix(tr(" 天"))
        self.days_spin.setToolTip(tr("确认收货后多少天内应在账单里看到这笔订单的货款"))
        self.days_button = QPushButton(tr("保存"))
        self.days_button.setEnabled(False)
        self.export_button = QPushButton(tr("导出对账表…"))
        top.addWidget(self.picker)
        top.addSpacing(16)
        top.addWidget(QLabel(tr("结算天数")))
        top.addWidget(self.days_spin)
        top.addWidget(self.days_button)
        top.addStretch(1)
        top.addWidget(self.export_button)
        layout.addLayout(top)

        self.counts_label = QLabel("")
        self.counts_label.setObjectName("Figures")
        self.counts_label.setTextFormat(Qt.TextFormat.PlainText)
        self.note_label = QLabel(
            tr(
                "按确认收货时间统计订单。确认收货后超过结算天数、且这段时间的账单都已导入，仍没有"
                "“交易收入-订单收入”的订单算作未结算；账单没导全的日子无法判断，列为账单未覆盖。"
            )
        )
        self.note_label.setObjectName("Muted")
        self.note_label.setWordWrap(True)
        layout.addWidget(self.counts_label)
        layout.addWidget(self.note_label)

        row = QHBoxLayout()
        self.list_combo = QComboBox()
        self.list_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.open_button = QPushButton(tr("在发货中心查看这些订单"))
        self.open_button.setEnabled(False)
        self.list_label = QLabel("")
        self.list_label.setObjectName("Muted")
        row.addWidget(QLabel(tr("列表")))
        row.addWidget(self.list_combo)
        row.addWidget(self.list_label)
        row.addStretch(1)
        row.addWidget(self.open_button)
        layout.addLayout(row)
        self.orders_table = report_table([tr(h) for h in ORDER_HEADERS])
        self.orphans_table = report_table([tr(h) for h in ORPHAN_HEADERS])
        self.tables = QStackedWidget()
        self.tables.addWidget(self.orders_table)
        self.tables.addWidget(self.orphans_table)
        layout.addWidget(self.tables, 1)

        self.result: rc.Reconciliation | None = None
        #: The list to choose when the next answer arrives (an alert opened the tab).
        self._wanted_list: str | None = None
        self._saved_days: int | None = None
        self._query = LatestQuery(self)
        self.picker.changed.connect(self.refresh)
        self.list_combo.currentIndexChanged.connect(lambda _i: self._show_list())
        self.open_button.clicked.connect(self.open_listed)
        self.orders_table.cellDoubleClicked.connect(self._open_one)
        self.days_spin.valueChanged.connect(
            lambda n: self.days_button.setEnabled(self._saved_days is not None and n != self._saved_days)
        )
        self.days_button.clicked.connect(self.save_days)
        self.export_button.clicked.connect(self.export_requested.emit)

    def dates(self):
        """The chosen first and last day."""
        return self.picker.dates()

    def show_range(self, first, last, list_key: str) -> None:
        """Reconcile the days ``first`` … ``last`` and show the list ``list_key`` (e.g. :data:`MISMATCH`)."""
        self._wanted_list = list_key
        self.picker.blockSignals(True)
        self.picker.set_custom(first, last)
        self.picker.blockSignals(False)
        self.refresh()

    def refresh(self) -> None:
        """Reconcile the chosen range (and read the 结算天数 setting)."""
        start, end = self.picker.bounds()
        self._query.run(
            lambda: (rc.reconcile(start=start, end=end), settings_service.load_settings().settlement_days),
            self._on_result,
            self._on_error,
        )

    def _on_error(self, error: BaseException) -> None:
        self.result = None
        self.counts_label.setText(user_message(error))
        fill_table(self.orders_table, [])
        fill_table(self.orphans_table, [])
        self.open_button.setEnabled(False)

    def _on_result(self, answer) -> None:
        r, days = answer
        self.result = r
        self._saved_days = days
        self.days_spin.blockSignals(True)
        self.days_spin.setValue(days)
        self.days_spin.blockSignals(False)
        self.days_button.setEnabled(False)
        parts = [f"{status_name(s)} {r.count(s):,}" for s in (rc.OK, rc.MISSING, rc.DOUBLE, rc.AMOUNT)]
        parts.append(tr("无对应订单 {n:,}").format(n=len(r.orphans)))
        parts += [f"{status_name(s)} {r.count(s):,}" for s in (rc.PENDING, rc.UNCOVERED)]
        self.counts_label.setText(tr("{n:,} 单：").format(n=r.order_count) + "  ·  ".join(parts))
        key = self._wanted_list or self.list_combo.currentData()
        self._wanted_list = None
        self.list_combo.blockSignals(True)
        self.list_combo.clear()
        for k, text in LISTS:
            n = len(r.orphans) if k == ORPHANS else self._count_of(k)
            self.list_combo.addItem(tr("{name}（{n:,}）").format(name=tr(text), n=n), k)
        self.list_combo.setCurrentIndex(max(0, self.list_combo.findData(key)))
        self.list_combo.blockSignals(False)
        self._show_list()

    def _orders_of(self, key: str) -> tuple[rc.OrderRecon, ...]:
        r = self.result
        if r is None or key == ORPHANS:
            return ()
        if key == ALL:
            return r.orders
        if key == MISMATCH:
            return tuple(o for s in MISMATCH_STATUSES for o in r.with_status(s))
        return r.with_status(key)

    def _count_of(self, key: str) -> int:
        """How many orders the list ``key`` holds, without building them."""
        r = self.result
        if r is None:
            return 0
        if key == ALL:
            return r.order_count
        if key == MISMATCH:
            return sum(r.count(s) for s in MISMATCH_STATUSES)
        return r.count(key)

    def listed(self) -> tuple[rc.OrderRecon, ...]:
        """The orders of the chosen list (none for the charges with no order)."""
        return self._orders_of(self.list_combo.currentData())

    def _show_list(self) -> None:
        r = self.result
        if r is None:
            return
        key = self.list_combo.currentData()
        if key == ORPHANS:
            self.tables.setCurrentWidget(self.orphans_table)
            fill_table(
                self.orphans_table,
                [(format_ts(c.occurred_at), c.order_sn, format_yuan(c.amount_fen), c.description)
                 for c in r.orphans],
                keys=[c.line_id for c in r.orphans],
            )  # fmt: skip
            self.list_label.setText(tr("这些账单行写着店铺里没有的订单号"))
            self.open_button.setEnabled(False)
            return
        self.tables.setCurrentWidget(self.orders_table)
        rows = self.listed()
        fill_table(
            self.orders_table,
            [
                (o.order_sn, format_ts(o.signed_at), format_ts(o.due_at), status_name(o.status),
                 format_yuan(o.paid_fen), format_yuan(o.expected_fen), format_yuan(o.settled_fen),
                 o.settlements, format_yuan(o.difference_fen), format_yuan(o.refund_fen),
                 format_yuan(o.fee_fen), format_yuan(o.compensation_fen), format_yuan(o.other_fen))
                for o in rows
            ],
            keys=[o.order_id for o in rows],
        )  # fmt: skip
        hints = [tr("双击一行在发货中心查看这笔订单")] if rows else []
        if key == MISMATCH and r.orphans:
            hints.append(
                tr("另有 {n:,} 笔无对应订单的账单：在“列表”中选“无对应订单的账单”查看").format(
                    n=len(r.orphans)
                )
            )
        self.list_label.setText(tr("；").join(hints))
        self.open_button.setEnabled(bool(rows))

    def _list_label(self) -> str:
        return tr(dict(LISTS)[self.list_combo.currentData()])

    def open_listed(self) -> None:
        """Open exactly the listed orders in 发货中心."""
        rows = self.listed()
        if not rows:
            return
        first, last = self.dates()
        label = tr("对账 {first} ～ {last}：{list}").format(
            first=first.isoformat(), last=last.isoformat(), list=self._list_label()
        )
        self.orders_requested.emit(
            OrderFilter(view="all", order_ids=tuple(o.order_id for o in rows), order_ids_label=label)
        )

    def _open_one(self, row: int, _column: int) -> None:
        item = self.orders_table.item(row, 0)
        if item is None:
            return
        oid = int(item.data(Qt.ItemDataRole.UserRole))
        self.orders_requested.emit(
            OrderFilter(view="all", order_ids=(oid,), order_ids_label=tr("订单 {sn}").format(sn=item.text()))
        )

    def save_days(self) -> None:
        """Save 结算天数 and reconcile again."""
        n = self.days_spin.value()
        WriteOp(self, lambda: settings_service.update_settings(settlement_days=n)).success(
            lambda _c: self.refresh()
        ).run()
