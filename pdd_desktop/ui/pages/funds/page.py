"""资金 controller: 账单 (balance and ledger by category and day, the lines), 对账 and 利润.

Reads go through :mod:`pdd_desktop.services.funds` on the database lane (``LatestQuery``: a newer
filter drops an older answer). Clicking a category or a day lists the bill lines behind that
figure; the order box lists an order's lines. Bills come in through the import window (the same
door as order files) and the sync's daily bills; ``Changes(funds=True)`` reloads the page.
The 对账 and 利润 tabs (:mod:`.reconcile_tab`, :mod:`.profit_tab`) load when shown; their
order buttons reach 发货中心 through ``orders_requested``. Each tab exports its report
(``ledger`` / ``reconciliation`` / ``profit`` of :mod:`pdd_desktop.services.reports`, the same
tables as ``pdd-desktop report``) as CSV or XLSX.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QFileDialog, QVBoxLayout

from pdd_desktop.common import clock
from pdd_desktop.common.timefmt import format_ts, local_date_start, to_local
from pdd_desktop.domain import funds as fd
from pdd_desktop.domain.money import format_yuan
from pdd_desktop.services import analytics, funds, reports
from pdd_desktop.ui.i18n import QT_TR_NOOP, tr
from pdd_desktop.ui.ops import LatestQuery, ReadOp
from pdd_desktop.ui.pages.base import Page, PageContext
from pdd_desktop.ui.pages.funds.profit_tab import ProfitTab
from pdd_desktop.ui.pages.funds.reconcile_tab import MISMATCH, ORPHANS, ReconcileTab
from pdd_desktop.ui.pages.funds.view import FundsPageView
from pdd_desktop.ui.widgets.tables import fill_table

DEBOUNCE_MS = 300
#: The range choices: key → shown text.
RANGES = (
    ("30d", QT_TR_NOOP("近 30 天")),
    ("this_month", QT_TR_NOOP("本月")),
    ("last_month", QT_TR_NOOP("上月")),
    ("90d", QT_TR_NOOP("近 90 天")),
    ("365d", QT_TR_NOOP("近 12 个月")),
)
#: Category names on screen (domain.funds keys).
CATEGORY_NAMES = {
    fd.INCOME: QT_TR_NOOP("交易收入"),
    fd.REFUND: QT_TR_NOOP("交易退款"),
    fd.TECH_FEE: QT_TR_NOOP("技术服务费"),
    fd.TECH_FEE_RETURN: QT_TR_NOOP("技术服务费返还"),
    fd.COMPENSATION: QT_TR_NOOP("售后赔付"),
    fd.MARKETING: QT_TR_NOOP("营销费用"),
    fd.OTHER: QT_TR_NOOP("其他收支"),
    fd.TRANSFER: QT_TR_NOOP("转账（保证金/广告账户）"),
    fd.WITHDRAWAL: QT_TR_NOOP("提现"),
    fd.UNCLASSIFIED: QT_TR_NOOP("未分类"),
}


def category_name(key: str) -> str:
    """A category's name on screen."""
    return tr(CATEGORY_NAMES.get(key, CATEGORY_NAMES[fd.UNCLASSIFIED]))


def range_bounds(key: str, now: int) -> tuple[int, int]:
    """``[start, end)`` in UTC seconds of a range choice, on Beijing days (today included)."""
    today = to_local(now).date()
    tomorrow = local_date_start(today + timedelta(days=1))
    if key == "this_month":
        return local_date_start(today.replace(day=1)), tomorrow
    if key == "last_month":
        first = today.replace(day=1)
        prev = (first - timedelta(days=1)).replace(day=1)
        return local_date_start(prev), local_date_start(first)
    days = {"30d": 30, "90d": 90, "365d": 365}[key]
    return local_date_start(today - timedelta(days=days - 1)), tomorrow


class FundsPage(Page):
    """资金: the figures of the shop's bills."""

    key = "funds"
    title = QT_TR_NOOP("资金")
    icon_name = "funds"
    relevant = ("funds",)
    #: Open 发货中心 with this :class:`~pdd_desktop.services.orders.OrderFilter`.
    orders_requested = Signal(object)
    # Open 商品 on these SKU ids, with a label (利润's 去填成本), as an alert's SKUs are opened.
    skus_requested = Signal(object, str)
    #: The reports behind the tabs' export buttons: (report key, file name stem).
    EXPORTS = (
        ("ledger", QT_TR_NOOP("资金账目")),
        ("reconciliation", QT_TR_NOOP("对账")),
        ("profit", QT_TR_NOOP("利润")),
    )

    def __init__(self, ctx: PageContext, parent=None) -> None:
        super().__init__(ctx, parent)
        self.view = FundsPageView()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        v = self.view
        for key, text in RANGES:
            v.range_combo.addItem(tr(text), key)
        v.category_combo.addItem(tr("全部类别"), "")
        for c in fd.CATEGORIES:
            v.category_combo.addItem(category_name(c.key), c.key)
        self.overview: funds.LedgerOverview | None = None
        #: What the lines list shows: (start, end, category, order number).
        self.rows_filter: tuple[int, int, str | None, str | None] | None = None
        self._overview_query = LatestQuery(self)
        self._rows_query = LatestQuery(self)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._debounce.timeout.connect(self._show_all_rows)
        v.range_combo.currentIndexChanged.connect(lambda _i: self.refresh())
        v.category_combo.currentIndexChanged.connect(lambda _i: self.refresh())
        v.order_edit.textChanged.connect(lambda _t: self._debounce.start())
        v.categories_table.cellClicked.connect(self._on_category)
        v.days_table.cellClicked.connect(self._on_day)
        v.import_button.clicked.connect(lambda: ctx.events.import_requested.emit(""))
        self.reconcile_tab = ReconcileTab()
        self.profit_tab = ProfitTab()
        v.stack.addWidget(self.reconcile_tab)
        v.stack.addWidget(self.profit_tab)
        for tab in (self.reconcile_tab, self.profit_tab):
            tab.orders_requested.connect(self.orders_requested.emit)
        self.profit_tab.skus_requested.connect(self.skus_requested.emit)
        v.export_button.clicked.connect(lambda: self.export(0))
        self.reconcile_tab.export_requested.connect(lambda: self.export(1))
        self.profit_tab.export_requested.connect(lambda: self.export(2))
        v.tabs.currentChanged.connect(lambda _i: self.refresh())
        #: The last export: (path, rows written), for the status line and tests.
        self.exported: tuple[str, int] | None = None

    def show_reconcile(self, first, last, *, mismatched: bool = True) -> None:
        """The 对账 tab on the days ``first`` … ``last`` (dates) (the alert 账单对不上).

        It shows the list 对不上的订单, or 无对应订单的账单 when not ``mismatched`` (the alert
        found only charges naming orders the shop does not have).
        """
        tabs = self.view.tabs
        tabs.blockSignals(True)
        tabs.setCurrentIndex(1)
        tabs.blockSignals(False)
        self.view.stack.setCurrentIndex(1)
        self.view.count_label.setText("")
        self.reconcile_tab.show_range(first, last, MISMATCH if mismatched else ORPHANS)

    # --- reading ---
    def bounds(self) -> tuple[int, int]:
        """The chosen range."""
        return range_bounds(self.view.range_combo.currentData(), clock.now())

    def category(self) -> str | None:
        """The chosen category filter (None: all)."""
        return self.view.category_combo.currentData() or None

    def refresh(self) -> None:
        """Reload the shown tab (账单: the figures and the lines for the current filters)."""
        index = self.view.tabs.currentIndex()
        if index:
            self.view.count_label.setText("")  # 账单's line count; 对账 and 利润 show their own figures
        if index == 1:
            self.reconcile_tab.refresh()
            return
        if index == 2:
            self.profit_tab.refresh()
            return
        start, end = self.bounds()
        category = self.category()
        self._overview_query.run(
            lambda: funds.ledger_overview(start=start, end=end, category=category), self._on_overview
        )
        self._show_all_rows()

    def _on_overview(self, o: funds.LedgerOverview) -> None:
        self.overview = o
        v = self.view
        has_lines = any(c.lines for c in o.categories) or o.balance_fen != 0
        v.empty_label.setVisible(not has_lines and o.covered_days == 0)
        v.count_label.setText(tr("{lines:,} 笔").format(lines=sum(c.lines for c in o.categories)))
        v.figures_label.setText(
            tr("账单余额 {balance}　·　收入 {income}　·　支出 {expense}　·　经营收支 {operating}").format(
                balance=format_yuan(o.balance_fen),
                income=format_yuan(o.income_fen),
                expense=format_yuan(o.expense_fen),
                operating=format_yuan(o.operating_fen),
            )
        )
        v.coverage_label.setText(
            tr(
                "所选 {days} 天中有 {covered} 天有账单。账单余额是已导入账单的累计收支；"
                "经营收支不含转账和提现（也不含未分类）。"
            ).format(days=o.days_in_range, covered=o.covered_days)
        )
        fill_table(
            v.categories_table,
            [
                (category_name(c.category), c.lines, format_yuan(c.income_fen), format_yuan(c.expense_fen),
                 format_yuan(c.net_fen))
                for c in o.categories
            ],
            keys=[c.category for c in o.categories],
        )  # fmt: skip
        fill_table(
            v.days_table,
            [
                (format_ts(d.day_start, "%Y-%m-%d"), d.lines, format_yuan(d.income_fen),
                 format_yuan(d.expense_fen), format_yuan(d.net_fen))
                for d in o.days
            ],
            keys=[d.day_start for d in o.days],
        )  # fmt: skip

    # --- the lines behind a figure ---
    def _show_all_rows(self) -> None:
        start, end = self.bounds()
        order = self.view.order_edit.text().strip() or None
        self.show_rows(start, end, self.category(), order)

    def _on_category(self, row: int, _column: int) -> None:
        key = self.view.categories_table.item(row, 0).data(Qt.ItemDataRole.UserRole)
        start, end = self.bounds()
        self.show_rows(start, end, key, None)

    def _on_day(self, row: int, _column: int) -> None:
        day = int(self.view.days_table.item(row, 0).data(Qt.ItemDataRole.UserRole))
        self.show_rows(day, day + 86400, self.category(), None)

    def show_rows(self, start: int, end: int, category: str | None, order_sn: str | None) -> None:
        """List the bill lines of a range (and category / order)."""
        self.rows_filter = (start, end, category, order_sn)
        self._rows_query.run(
            lambda: funds.ledger_rows(start=start, end=end, category=category, order_sn=order_sn),
            lambda result: self._on_rows(start, end, category, order_sn, result),
        )

    def _on_rows(self, start, end, category, order_sn, result) -> None:
        rows, total = result
        last = to_local(end - 1).date()
        first = to_local(start).date()
        when = (
            first.isoformat()
            if first == last
            else tr("{first} ～ {last}").format(first=first.isoformat(), last=last.isoformat())
        )
        what = category_name(category) if category else tr("全部类别")
        title = tr("{when} · {what} · 共 {total:,} 笔").format(when=when, what=what, total=total)
        if order_sn:
            title = tr("订单 {order_sn} · ").format(order_sn=order_sn) + title
        if total > len(rows):
            title += tr("（显示最新的 {shown:,} 笔）").format(shown=len(rows))
        self.view.rows_title.setText(title)
        fill_table(
            self.view.rows_table,
            [
                (format_ts(r.occurred_at), r.order_sn, category_name(r.category), format_yuan(r.amount_fen),
                 r.description, r.account_type, r.remark)
                for r in rows
            ],
            keys=[r.id for r in rows],
        )  # fmt: skip

    # --- export ---
    def show_tab(self, index: int) -> None:
        """Show tab ``index`` (0 账单, 1 对账, 2 利润)."""
        self.view.tabs.setCurrentIndex(index)

    def export_dates(self, index: int):
        """The first and last Beijing day the tab ``index`` shows."""
        if index == 1:
            return self.reconcile_tab.dates()
        if index == 2:
            return self.profit_tab.dates()
        start, end = self.bounds()
        return to_local(start).date(), to_local(end - 1).date()

    def ask_save_path(self, title: str, name: str, filters: str) -> str:
        """The file to save to (a dialog; tests replace it)."""
        path, chosen = QFileDialog.getSaveFileName(self, title, name, filters)
        if path and not path.lower().endswith((".csv", ".xlsx")):
            path += ".csv" if "csv" in chosen.lower() else ".xlsx"
        return path

    def export(self, index: int) -> None:
        """Export the report behind tab ``index`` for its range (built on the db lane, written on io)."""
        key, stem = self.EXPORTS[index]
        first, last = self.export_dates(index)
        name = f"{tr(stem)}_{first:%Y%m%d}-{last:%Y%m%d}.xlsx"
        path = self.ask_save_path(tr("导出"), name, tr("Excel 文件 (*.xlsx);;CSV 文件 (*.csv)"))
        if not path:
            return

        def build():
            reports.check_out(path)
            return reports.REPORTS[key].build(analytics.DayRange(first, last))

        def write(table) -> None:
            ReadOp(self, lambda: reports.write_table_file(path, table), lane="io").success(
                lambda n: self._exported(path, n)
            ).run()

        ReadOp(self, build).success(write).run()

    def _exported(self, path: str, rows: int) -> None:
        self.exported = (path, rows)
        text = tr("已导出 {rows:,} 行：{name}").format(rows=rows, name=Path(path).name)
        self.view.count_label.setText(text)
