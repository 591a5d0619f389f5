"""资金 → 利润: a month's (or a range's) P&L and the profit by day, goods and order.

Reads :func:`pdd_desktop.services.profit.profit` (``LatestQuery``). Orders without a cost
price or without a shipping price are counted, never priced at zero; a button opens them in
发货中心, another (去填成本) opens 商品 on the SKUs without a cost in those orders
(:func:`pdd_desktop.services.funds.missing_cost_skus`, through ``skus_requested``, the way an
alert's SKUs are opened). The shipping price table is edited in :class:`.rates_dialog.ShippingRatesDialog`
and saved whole with :func:`pdd_desktop.services.profit.save_shipping_bands`.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QPushButton, QTabWidget, QVBoxLayout, QWidget

from pdd_desktop.common.task import Cancelled
from pdd_desktop.common.timefmt import format_ts
from pdd_desktop.domain.money import format_yuan
from pdd_desktop.services import funds
from pdd_desktop.services import profit as pf
from pdd_desktop.services.orders import OrderFilter
from pdd_desktop.ui.dialogs.error import user_message
from pdd_desktop.ui.i18n import QT_TR_NOOP, tr
from pdd_desktop.ui.ops import LatestQuery, ReadOp, WriteOp
from pdd_desktop.ui.pages.funds.range_picker import RangePicker
from pdd_desktop.ui.pages.funds.rates_dialog import BadCell, ShippingRatesDialog
from pdd_desktop.ui.widgets.tables import fill_table, report_table

#: The order table shows at most this many orders (those with the lowest profit first): the
#: ones the report already holds, so filling the table reads nothing on the UI thread.
MAX_ORDER_ROWS = pf.FIRST_ORDERS
#: The P&L lines: key → shown name.
PNL = (
    ("income", QT_TR_NOOP("结算收入")),
    ("refund", QT_TR_NOOP("退款")),
    ("fee", QT_TR_NOOP("技术服务费")),
    ("compensation", QT_TR_NOOP("售后赔付")),
    ("other", QT_TR_NOOP("其他收支")),
    ("cost", QT_TR_NOOP("商品成本")),
    ("shipping", QT_TR_NOOP("运费")),
    ("ads", QT_TR_NOOP("推广花费")),
    ("profit", QT_TR_NOOP("利润")),
)
MONEY_HEADERS = (
    QT_TR_NOOP("结算订单"), QT_TR_NOOP("结算收入"), QT_TR_NOOP("退款"), QT_TR_NOOP("技术服务费"),
    QT_TR_NOOP("售后赔付"), QT_TR_NOOP("其他收支"), QT_TR_NOOP("商品成本"), QT_TR_NOOP("运费"),
    QT_TR_NOOP("推广花费"), QT_TR_NOOP("利润"),
)  # fmt: skip
ORDER_HEADERS = (
    QT_TR_NOOP("订单号"), QT_TR_NOOP("结算时间"), QT_TR_NOOP("结算收入"), QT_TR_NOOP("退款"),
    QT_TR_NOOP("技术服务费"), QT_TR_NOOP("售后赔付"), QT_TR_NOOP("其他收支"), QT_TR_NOOP("商品成本"),
    QT_TR_NOOP("运费"), QT_TR_NOOP("利润"),
)  # fmt: skip


def pnl_values(p: pf.PeriodProfit) -> dict[str, int]:
    """The P&L lines of a period in fen (costs negative, as they count)."""
    m = p.money
    return {
        "income": m.income_fen, "refund": m.refund_fen, "fee": m.fee_fen, "compensation": m.compensation_fen,
        "other": m.other_fen, "cost": -p.cost_fen, "shipping": -p.shipping_fen, "ads": -p.ad_fen,
        "profit": p.profit_fen,
    }  # fmt: skip


def _period_cells(p: pf.PeriodProfit) -> tuple[object, ...]:
    m = p.money
    cost = format_yuan(-p.cost_fen) + (
        tr("（{n} 单未填）").format(n=p.missing_cost) if p.missing_cost else ""
    )
    ship = format_yuan(-p.shipping_fen) + (
        tr("（{n} 单未填）").format(n=p.missing_shipping) if p.missing_shipping else ""
    )
    return (p.orders, format_yuan(m.income_fen), format_yuan(m.refund_fen), format_yuan(m.fee_fen),
            format_yuan(m.compensation_fen), format_yuan(m.other_fen), cost, ship, format_yuan(-p.ad_fen),
            format_yuan(p.profit_fen) + ("" if p.complete else tr("（不全）")))  # fmt: skip


def _order_cells(o: pf.OrderProfit) -> tuple[object, ...]:
    m = o.money
    if not o.settled:
        cost = ship = tr("本期未结算")
    else:
        cost = tr("未填成本") if o.cost_fen is None else format_yuan(-o.cost_fen)
        ship = tr("未填运费") if o.shipping_fen is None else format_yuan(-o.shipping_fen)
    profit = o.profit_fen
    return (o.order_sn, format_ts(o.at), format_yuan(m.income_fen), format_yuan(m.refund_fen),
            format_yuan(m.fee_fen), format_yuan(m.compensation_fen), format_yuan(m.other_fen), cost, ship,
            "—" if profit is None else format_yuan(profit))  # fmt: skip


def missing_cost_orders(r: pf.ProfitReport) -> tuple[int, ...]:
    """Ids of the orders settled in the range without a cost price."""
    return r.missing_cost_ids()


def missing_shipping_orders(r: pf.ProfitReport) -> tuple[int, ...]:
    """Ids of the orders settled in the range without a shipping price."""
    return r.missing_shipping_ids()


class ProfitTab(QWidget):
    """The 利润 tab (layout and controller).

    Public children: ``picker``, ``pnl_labels`` (key → value label), ``missing_label``,
    ``missing_cost_button``, ``fill_cost_button``, ``missing_shipping_button``, ``rates_button``,
    ``export_button``, ``tables`` (``days_table``, ``goods_table``, ``orders_table``),
    ``orders_note``. ``orders_requested(OrderFilter)`` opens orders in 发货中心;
    ``skus_requested(sku ids, label)`` opens those SKUs in 商品; ``export_requested()`` asks the
    page to export the 利润 report of :meth:`dates`.
    """

    orders_requested = Signal(object)
    skus_requested = Signal(object, str)
    export_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        self.picker = RangePicker()
        self.rates_button = QPushButton(tr("运费价格表…"))
        self.export_button = QPushButton(tr("导出利润表…"))
        top.addWidget(self.picker)
        top.addStretch(1)
        top.addWidget(self.rates_button)
        top.addWidget(self.export_button)
        layout.addLayout(top)

        grid = QGridLayout()
        grid.setHorizontalSpacing(24)
        self.pnl_labels: dict[str, QLabel] = {}
        for i, (key, text) in enumerate(PNL):
            name = QLabel(tr(text))
            value = QLabel("")
            value.setTextFormat(Qt.TextFormat.PlainText)
            value.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if key == "profit":
                name.setObjectName("Figures")
                value.setObjectName("Figures")
            self.pnl_labels[key] = value
            grid.addWidget(name, i % 3, (i // 3) * 2)
            grid.addWidget(value, i % 3, (i // 3) * 2 + 1)
        grid.setColumnStretch(6, 1)
        layout.addLayout(grid)

        missing = QHBoxLayout()
        self.missing_label = QLabel("")
        self.missing_label.setWordWrap(True)
        self.missing_cost_button = QPushButton(tr("查看未填成本的订单"))
        self.fill_cost_button = QPushButton(tr("去填成本"))
        self.fill_cost_button.setToolTip(tr("在 商品 里列出这些订单中没填成本价的规格"))
        self.fill_cost_button.setVisible(False)
        self.missing_shipping_button = QPushButton(tr("查看未填运费的订单"))
        missing.addWidget(self.missing_label, 1)
        missing.addWidget(self.missing_cost_button)
        missing.addWidget(self.fill_cost_button)
        missing.addWidget(self.missing_shipping_button)
        layout.addLayout(missing)
        note = QLabel(
            tr(
                "按账单记账日期统计（收付实现）：订单在本期首次结算时计入商品成本和运费；"
                "推广花费来自推广报表。商品成本在 商品 里按规格填写，运费在“运费价格表”里填写；"
                "没填的订单不按 0 计，利润显示为不全。"
            )
        )
        note.setObjectName("Muted")
        note.setWordWrap(True)
        layout.addWidget(note)

        self.days_table = report_table([tr("日期"), *(tr(h) for h in MONEY_HEADERS)])
        self.goods_table = report_table([tr("商品"), *(tr(h) for h in MONEY_HEADERS)])
        orders_box = QWidget()
        ob = QVBoxLayout(orders_box)
        ob.setContentsMargins(0, 0, 0, 0)
        self.orders_note = QLabel("")
        self.orders_note.setObjectName("Muted")
        self.orders_table = report_table([tr(h) for h in ORDER_HEADERS])
        ob.addWidget(self.orders_note)
        ob.addWidget(self.orders_table, 1)
        self.tables = QTabWidget()
        self.tables.addTab(self.days_table, tr("按天"))
        self.tables.addTab(self.goods_table, tr("按商品"))
        self.tables.addTab(orders_box, tr("按订单"))
        layout.addWidget(self.tables, 1)

        self.report: pf.ProfitReport | None = None
        self.rates_dialog: ShippingRatesDialog | None = None
        self._query = LatestQuery(self)
        self.picker.changed.connect(self.refresh)
        self.missing_cost_button.clicked.connect(
            lambda: self._open(missing_cost_orders, tr("利润：未填成本的订单"))
        )
        self.fill_cost_button.clicked.connect(self.open_missing_cost_skus)
        self.missing_shipping_button.clicked.connect(
            lambda: self._open(missing_shipping_orders, tr("利润：未填运费的订单"))
        )
        self.orders_table.cellDoubleClicked.connect(self._open_one)
        self.rates_button.clicked.connect(self.edit_rates)
        self.export_button.clicked.connect(self.export_requested.emit)

    def dates(self):
        """The chosen first and last day."""
        return self.picker.dates()

    def refresh(self) -> None:
        """Compute the profit of the chosen range."""
        start, end = self.picker.bounds()
        self._query.run(
            lambda task: pf.profit(start=start, end=end, task=task), self._on_report, self._on_error,
            progress=tr("正在计算利润"),
        )  # fmt: skip

    def _on_error(self, error: BaseException) -> None:
        self.report = None
        if isinstance(error, Cancelled):
            self.missing_label.setText(tr("已取消计算利润；重新选择日期即可再算。"))
        else:
            self.missing_label.setText(user_message(error))
        for label in self.pnl_labels.values():
            label.setText("")
        for t in (self.days_table, self.goods_table, self.orders_table):
            fill_table(t, [])
        self.missing_cost_button.setEnabled(False)
        self.fill_cost_button.setVisible(False)
        self.missing_shipping_button.setEnabled(False)

    def _on_report(self, r: pf.ProfitReport) -> None:
        self.report = r
        for key, fen in pnl_values(r.total).items():
            self.pnl_labels[key].setText(format_yuan(fen))
        t = r.total
        if t.complete:
            text = tr("本期 {n:,} 单结算，成本和运费都已填写。").format(n=t.orders)
        else:
            text = tr("本期 {n:,} 单结算：未填成本 {mc:,} 单，未填运费 {ms:,} 单，利润不全。").format(
                n=t.orders, mc=t.missing_cost, ms=t.missing_shipping
            )
        self.missing_label.setText(text)
        self.missing_cost_button.setEnabled(bool(t.missing_cost))
        self.fill_cost_button.setVisible(bool(t.missing_cost))
        self.missing_shipping_button.setEnabled(bool(t.missing_shipping))
        for table, periods in ((self.days_table, r.days), (self.goods_table, r.goods)):
            fill_table(table, [(p.name, *_period_cells(p)) for p in periods], keys=[p.key for p in periods])
        shown = r.lowest(MAX_ORDER_ROWS)
        fill_table(self.orders_table, [_order_cells(o) for o in shown], keys=[o.order_id for o in shown])
        if r.order_count > len(shown):
            self.orders_note.setText(
                tr("共 {n:,} 单，显示利润最低（含价格未填）的 {shown:,} 单；双击一行查看订单。").format(
                    n=r.order_count, shown=len(shown)
                )
            )
        else:
            self.orders_note.setText(tr("共 {n:,} 单；双击一行查看订单。").format(n=r.order_count))

    def _open(self, pick, label: str) -> None:
        # The report reads every order's row only when first asked for: off the UI thread.
        report = self.report
        if report is not None:
            ReadOp(self, lambda: pick(report)).success(lambda ids: self._emit_orders(ids, label)).run()

    def _emit_orders(self, ids: tuple[int, ...], label: str) -> None:
        if ids:
            self.orders_requested.emit(OrderFilter(view="all", order_ids=ids, order_ids_label=label))

    def open_missing_cost_skus(self) -> None:
        """Read the SKUs without a cost in the 未填成本 orders, then open them in 商品."""
        report = self.report
        if report is not None:
            ReadOp(self, lambda: funds.missing_cost_skus(missing_cost_orders(report))).success(
                self._on_missing_cost_skus
            ).run()

    def _on_missing_cost_skus(self, found: funds.MissingCostSkus) -> None:
        if found.sku_ids:
            self.skus_requested.emit(found.sku_ids, tr("利润：未填成本的规格"))
        elif found.not_in_goods:
            self.missing_label.setText(
                tr("这些订单的 {n:,} 个规格已不在商品里，无法填写成本价；利润对这些订单不全。").format(
                    n=found.not_in_goods
                )
            )
        else:
            self.missing_label.setText(tr("这些订单没有商品明细，无法按规格填写成本价。"))

    def _open_one(self, row: int, _column: int) -> None:
        item = self.orders_table.item(row, 0)
        if item is not None:
            oid = int(item.data(Qt.ItemDataRole.UserRole))
            label = tr("订单 {sn}").format(sn=item.text())
            self.orders_requested.emit(OrderFilter(view="all", order_ids=(oid,), order_ids_label=label))

    # --- the shipping price table ---
    def edit_rates(self) -> None:
        """Read the price table and the couriers, then open the editor."""
        ReadOp(self, lambda: (pf.shipping_bands(), pf.courier_names())).success(self._open_rates).run()

    def _open_rates(self, answer) -> None:
        bands, couriers = answer
        dlg = ShippingRatesDialog(bands, couriers, self)
        self.rates_dialog = dlg
        dlg.submitted.connect(lambda: self._save_rates(dlg))
        dlg.finished.connect(lambda _r: setattr(self, "rates_dialog", None))
        dlg.open()

    def _save_rates(self, dlg: ShippingRatesDialog) -> None:
        try:
            bands = dlg.bands()
        except BadCell as e:
            dlg.show_error(str(e))
            return
        WriteOp(self, lambda: pf.save_shipping_bands(bands)).in_dialog(dlg).run()
