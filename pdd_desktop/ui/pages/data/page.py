"""数据 controller: reads each tab's figures off the UI thread, draws them, opens the orders behind a
bar or point in 发货中心, and exports charts (PNG) and their data (CSV/XLSX).
"""  # noqa: D205

from __future__ import annotations

import time
from datetime import date, timedelta

from PySide6.QtCore import QDate, QTimer, Signal
from PySide6.QtWidgets import QFileDialog, QHeaderView, QTableWidgetItem, QVBoxLayout

from pdd_desktop.common.timefmt import format_ts, local_date_start
from pdd_desktop.domain.errors import DomainError
from pdd_desktop.domain.money import format_yuan
from pdd_desktop.services import analytics as an
from pdd_desktop.services import reports
from pdd_desktop.services.orders import OrderFilter
from pdd_desktop.ui.figures import NO_BUYER, buyer_figure
from pdd_desktop.ui.i18n import QT_TR_NOOP, tr
from pdd_desktop.ui.ops import LatestQuery, ReadOp
from pdd_desktop.ui.pages.base import Page, PageContext
from pdd_desktop.ui.pages.data.charts import ChartPanel, short
from pdd_desktop.ui.pages.data.view import RANK_BUYERS, RANK_SHOWN, TABS, DataPageView
from pdd_desktop.ui.widgets.tables import fill_table

WEEKDAY_NAMES = (
    QT_TR_NOOP("周一"),
    QT_TR_NOOP("周二"),
    QT_TR_NOOP("周三"),
    QT_TR_NOOP("周四"),
    QT_TR_NOOP("周五"),
    QT_TR_NOOP("周六"),
    QT_TR_NOOP("周日"),
)
NO_SALES = QT_TR_NOOP("所选日期内没有支付订单")
NO_COST = QT_TR_NOOP("未填成本")
NO_BUYERS = QT_TR_NOOP("订单没有买家标识（订单文件和平台接口都不提供），无法按买家统计")
FILL_STEP = 150  #: table rows filled per event-loop turn
LATE_SHOWN = 15  #: goods in the late-shipping chart (most late orders first)


def _customer_charts(v: DataPageView) -> tuple[ChartPanel, ...]:
    """The 客户分析 charts (all loading / empty together)."""
    return (v.buyers_chart, v.rfm_chart, v.province_chart, v.heat_chart, v.gap_chart, v.spend_chart)


def _yuan(fen: int) -> float:
    return fen / 100


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:+.1f}%"


def _change(now: int, before: int) -> str:
    if not before:
        return tr("上一周期无数据")
    return tr("较上一周期 {change}").format(change=_pct((now - before) / before))


class DataPage(Page):
    """经营概况 / 商品分析 / 客户分析 with a shared range picker."""

    key = "data"
    title = QT_TR_NOOP("数据")
    icon_name = "data"
    relevant = ("orders", "after_sales", "goods", "sync")

    #: Open 发货中心 with this :class:`~pdd_desktop.services.orders.OrderFilter`.
    orders_requested = Signal(object)
    #: A tab's figures were drawn completely: its key (overview / hot / customers).
    view_shown = Signal(str)

    def __init__(self, ctx: PageContext, parent=None) -> None:
        super().__init__(ctx, parent)
        self.view = DataPageView(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        self.range: an.DayRange | None = None
        self.overview: an.Overview | None = None
        self.hot: an.HotItems | None = None
        self.customers: an.Customers | None = None
        self.trend: tuple[an.TrendPoint, ...] = ()
        self.trend_goods: tuple[int, str] | None = None
        self._rank_items: list[an.ItemFigure] = []
        self._stale = {key for key, _label in TABS}
        self._queries = {key: LatestQuery(self) for key, _label in TABS}
        self._trend_query = LatestQuery(self)
        self._fill_generation: dict[int, int] = {}
        self._hot_pending: set[str] = set()
        self._after_hot = None  #: fills the stock table not on show, once 商品分析 is complete
        self._started: dict[str, float] = {}
        #: Milliseconds from the request to the complete view, per tab (benchmarks).
        self.last_view_ms: dict[str, float] = {}
        self._connect()

    # --- wiring ---
    def _connect(self) -> None:
        v = self.view
        v.tabs.currentChanged.connect(self._on_tab)
        v.range_combo.currentIndexChanged.connect(self._on_range_choice)
        v.from_edit.dateChanged.connect(lambda _d: self._on_range_changed())
        v.to_edit.dateChanged.connect(lambda _d: self._on_range_changed())
        v.grain_combo.currentIndexChanged.connect(lambda _i: self._reload("overview"))
        v.metric_combo.currentIndexChanged.connect(lambda _i: self._draw_rank())
        v.level_combo.currentIndexChanged.connect(lambda _i: self._draw_rank())
        v.rank_table.itemSelectionChanged.connect(self._on_rank_selected)
        for chart in (v.gmv_chart, v.orders_chart):
            chart.clickable = True
            chart.clicked.connect(self._on_bucket_clicked)
        v.rank_chart.clickable = True
        v.rank_chart.clicked.connect(self._on_rank_clicked)
        v.trend_chart.clickable = True
        v.trend_chart.clicked.connect(self._on_trend_clicked)
        v.buyers_chart.clickable = True
        v.buyers_chart.clicked.connect(self._on_buyer_day_clicked)
        v.province_chart.clickable = True
        v.province_chart.clicked.connect(self._on_province_clicked)
        v.heat_chart.clickable = True
        v.heat_chart.clicked.connect(self._on_heat_clicked)
        for chart, slot in (
            (v.rfm_chart, self._on_rfm_clicked),
            (v.gap_chart, self._on_gap_clicked),
            (v.spend_chart, self._on_spend_clicked),
            (v.price_chart, self._on_price_clicked),
            (v.late_chart, self._on_late_clicked),
        ):
            chart.clickable = True
            chart.clicked.connect(slot)
        tables = {
            v.gmv_chart: lambda: reports.overview_table(self.overview),
            v.orders_chart: lambda: reports.overview_table(self.overview),
            v.rank_chart: lambda: reports.hot_items_table(self.hot, by_sku=self._level() == "sku"),
            v.trend_chart: lambda: reports.trend_table(self.trend),
            v.buyers_chart: lambda: reports.customers_table(self.customers),
            v.rfm_chart: lambda: reports.rfm_table(self.customers),
            v.province_chart: lambda: reports.provinces_table(self.customers),
            v.heat_chart: lambda: reports.heat_table(self.customers),
            v.gap_chart: lambda: reports.second_order_table(self.customers),
            v.spend_chart: lambda: reports.spend_bands_table(self.customers),
            v.price_chart: lambda: reports.price_bands_table(self.hot),
            v.late_chart: lambda: reports.late_shipping_table(self.hot),
        }
        for chart, table in tables.items():
            chart.png_requested.connect(lambda c=chart: self.export_png(c))
            chart.data_requested.connect(lambda c=chart, t=table: self.export_data(c, t()))

    def current_tab(self) -> str:
        """Key of the tab shown."""
        return TABS[self.view.tabs.currentIndex()][0]

    def _level(self) -> str:
        return self.view.level_combo.currentData()

    # --- range ---
    def current_range(self) -> an.DayRange | None:
        """The chosen range, or None (with the reason shown) when the custom dates are wrong."""
        v = self.view
        choice = v.range_combo.currentData()
        try:
            if choice != "custom":
                return an.DayRange.preset(choice)
            first = v.from_edit.date().toPython()
            last = v.to_edit.date().toPython()
            return an.DayRange(first, last)
        except DomainError as exc:
            v.range_label.setText(str(exc))
            return None

    def set_range(self, choice: str, first: date | None = None, last: date | None = None) -> None:
        """Pick a range (``today`` / ``7d`` / ``30d`` / ``90d`` / ``month`` / ``custom`` with its dates)."""
        v = self.view
        if choice != "custom" or first is None or last is None:
            v.range_combo.setCurrentIndex(v.range_combo.findData(choice))
            return
        v.range_combo.blockSignals(True)
        v.range_combo.setCurrentIndex(v.range_combo.findData("custom"))
        v.range_combo.blockSignals(False)
        for edit, d in ((v.from_edit, first), (v.to_edit, last)):
            edit.blockSignals(True)
            edit.setDate(QDate(d.year, d.month, d.day))
            edit.blockSignals(False)
            edit.setVisible(True)
        self._on_range_changed()

    def _on_range_choice(self, _index: int) -> None:
        v = self.view
        custom = v.range_combo.currentData() == "custom"
        if custom and self.range is not None:
            for edit, d in ((v.from_edit, self.range.first), (v.to_edit, self.range.last)):
                edit.blockSignals(True)
                edit.setDate(QDate(d.year, d.month, d.day))
                edit.blockSignals(False)
        v.from_edit.setVisible(custom)
        v.to_edit.setVisible(custom)
        self._on_range_changed()

    def _on_range_changed(self) -> None:
        self._stale = {key for key, _label in TABS}
        self.refresh()

    # --- loading ---
    def refresh(self) -> None:
        """Reload the visible tab (the others when they are shown)."""
        self._refresh_needed = False  # showing the page next needs no second load
        self._stale = {key for key, _label in TABS}
        self._load(self.current_tab())

    def _on_changes_applied(self, changes, initiator: object) -> None:
        if any(getattr(changes, flag) for flag in self.relevant):
            self._stale = {key for key, _label in TABS}
        super()._on_changes_applied(changes, initiator)

    def _on_tab(self, index: int) -> None:
        self.view.stack.setCurrentIndex(index)
        if self.current_tab() in self._stale:
            self._load(self.current_tab())

    def _reload(self, tab: str) -> None:
        self._stale.add(tab)
        if self.current_tab() == tab:
            self._load(tab)

    def _load(self, tab: str) -> None:
        r = self.current_range()
        if r is None:
            return
        self.range = r
        v = self.view
        v.range_label.setText(
            tr("{first} ~ {last}（共 {days} 天）").format(
                first=f"{r.first:%Y-%m-%d}", last=f"{r.last:%Y-%m-%d}", days=r.days
            )
        )
        v.updated_label.setText(tr("正在更新…"))
        self._stale.discard(tab)
        self._started[tab] = time.perf_counter()
        if tab == "overview":
            for chart in (v.gmv_chart, v.orders_chart):
                chart.set_loading()
            grain = v.grain_combo.currentData()
            self._queries[tab].run(
                lambda: an.overview(first=r.first, last=r.last, grain=grain),
                self._show_overview,
                self._failed,
            )
        elif tab == "hot":
            for chart in (v.rank_chart, v.trend_chart, v.price_chart, v.late_chart):
                chart.set_loading()
            self._queries[tab].run(lambda: _hot_with_trend(r), self._show_hot, self._failed)
        else:
            for chart in _customer_charts(v):
                chart.set_loading()
            self._queries[tab].run(
                lambda: an.customers(first=r.first, last=r.last), self._show_customers, self._failed
            )

    def _failed(self, exc: BaseException) -> None:
        self.view.updated_label.setText(tr("读取失败：{reason}").format(reason=str(exc)))

    def _shown(self, tab: str) -> None:
        started = self._started.pop(tab, None)
        if started is not None:
            self.last_view_ms[tab] = (time.perf_counter() - started) * 1000
        self.view.updated_label.setText(
            tr("更新于 {time}").format(time=format_ts(int(time.time()), "%H:%M:%S"))
        )
        self.view_shown.emit(tab)

    # --- 经营概况 ---
    def _show_overview(self, ov: an.Overview) -> None:
        self.overview = ov
        v = self.view
        t, p = ov.total, ov.previous
        buyers_text, buyers_tip = buyer_figure(t.buyers, t.orders, t.unknown_buyer_orders)
        cards = {
            "gmv": (format_yuan(t.gmv_fen), t.gmv_fen, p.gmv_fen),
            "orders": (f"{t.orders:,}", t.orders, p.orders),
            "buyers": (buyers_text, t.buyers, p.buyers),
            "aov": (format_yuan(t.avg_order_fen), t.avg_order_fen, p.avg_order_fen),
            "refunds": (
                tr("{n:,} 笔 / {amount}").format(n=t.refunds, amount=format_yuan(t.refund_fen)),
                t.refund_fen,
                p.refund_fen,
            ),
        }
        for key, (text, now, before) in cards.items():
            v.kpis[key].value_label.setText(text)
            v.kpis[key].change_label.setText(_change(now, before))
        # Known buyers only (工作台's rule): "—" when no order of the range names its buyer.
        v.kpis["buyers"].value_label.setToolTip(buyers_tip)
        v.kpis["buyers"].change_label.setToolTip(buyers_tip)
        if buyers_text == NO_BUYER:
            v.kpis["buyers"].change_label.setText(tr("没有买家标识"))
        if t.orders == 0:
            for chart in (v.gmv_chart, v.orders_chart):
                chart.set_empty(tr(NO_SALES))
        else:
            labels = [_bucket_label(row, ov.grain) for row in ov.rows]
            readouts = [
                tr(
                    "{label}：成交 {gmv}，订单 {orders:,}，买家 {buyers}，客单价 {aov}，退款 {refunds:,} 笔"
                ).format(
                    label=row.label,
                    gmv=format_yuan(row.gmv_fen),
                    orders=row.orders,
                    buyers=buyer_figure(row.buyers, row.orders, row.unknown_buyer_orders)[0],
                    aov=format_yuan(row.avg_order_fen),
                    refunds=row.refunds,
                )
                for row in ov.rows
            ]
            hint = tr("鼠标移到柱子上看数值，点击查看这些订单")
            lines = [(tr("订单数"), [r.orders for r in ov.rows])]
            if buyers_text != NO_BUYER:  # no line of zeros when no order names its buyer
                lines.append((tr("买家数"), [r.buyers for r in ov.rows]))
            v.gmv_chart.set_bars(
                labels,
                [(tr("成交金额（元）"), [_yuan(r.gmv_fen) for r in ov.rows])],
                readouts=readouts,
                hint=hint,
            )
            v.orders_chart.set_bars(
                labels,
                [],
                readouts=readouts,
                hint=hint,
                lines=lines,
            )
        self._shown("overview")

    def _on_bucket_clicked(self, index: int) -> None:
        if self.overview is None:
            return
        row = self.overview.rows[index]
        self.open_orders(row.first, row.last)

    def open_orders(self, first: date, last: date, goods: str = "") -> None:
        """Ask the shell for 发货中心 with the orders paid on ``first`` … ``last`` (and ``goods``)."""
        self.orders_requested.emit(
            OrderFilter(
                view="all",
                paid_from=local_date_start(first),
                paid_to=local_date_start(last + timedelta(days=1)),
                goods=goods,
            )
        )

    # --- 商品分析 ---
    def _show_hot(self, answer: tuple[an.HotItems, tuple[an.TrendPoint, ...]]) -> None:
        hot, trend = answer
        self.hot = hot
        v = self.view
        # Complete when the ranking, the trend and the stock table on show are drawn; the other
        # stock table fills afterwards (its rows are counted at once).
        self._hot_pending = {"rank", "stock", "trend"}
        self._draw_rank()
        fills = []
        fills.append(lambda done: self._fill_in_steps(
            v.cover_table,
            [
                (
                    c.name,
                    c.spec,
                    c.stock,
                    c.units_recent,
                    f"{c.cover_days:.1f}",
                    tr("已售罄") if c.stock <= 0 else f"{c.stock_out:%Y-%m-%d}",
                )
                for c in hot.stock_cover
            ],
            done,
        ))  # fmt: skip
        fills.append(lambda done: self._fill_in_steps(
            v.slow_table,
            [
                (
                    m.name,
                    m.spec,
                    m.stock,
                    f"{m.last_sale:%Y-%m-%d}" if m.last_sale else tr("从未成交"),
                    "—" if m.idle_days is None else m.idle_days,
                )
                for m in hot.slow_movers
            ],
            done,
        ))  # fmt: skip
        shown, hidden = (fills[1], fills[0]) if v.stock_tabs.currentIndex() == 1 else fills
        v.cover_table.setRowCount(len(hot.stock_cover))
        v.slow_table.setRowCount(len(hot.slow_movers))
        self._after_hot = lambda: hidden(lambda: None)
        shown(lambda: self._hot_part_done("stock"))
        v.stock_tabs.setTabText(0, tr("库存可售天数（按近 {days} 天销量）").format(days=hot.rate_days))
        v.stock_tabs.setTabText(
            1,
            tr("滞销商品（{days} 天以上未成交，{n} 个）").format(days=hot.slow_days, n=len(hot.slow_movers)),
        )
        self._draw_price_bands(hot)
        self._draw_late(hot)
        if hot.goods:
            self.trend_goods = (hot.goods[0].goods_id, hot.goods[0].name)
            self._show_trend(trend)
        else:
            v.trend_chart.set_empty(tr(NO_SALES))
            self._hot_part_done("trend")

    def _draw_price_bands(self, hot: an.HotItems) -> None:
        v = self.view
        if not any(b.count for b in hot.price_bands):
            v.price_chart.set_empty(tr(NO_SALES))
            return
        total = sum(b.gmv_fen for b in hot.price_bands) or 1
        v.price_chart.set_bars(
            [b.label for b in hot.price_bands],
            [(tr("件数"), [b.units for b in hot.price_bands])],
            ticks=[_yuan_band_tick(b) for b in hot.price_bands],
            readouts=[
                tr("{band}：{skus:,} 个规格，{units:,} 件，成交金额 {gmv}（占 {share:.1f}%）").format(
                    band=b.label, skus=b.count, units=b.units, gmv=format_yuan(b.gmv_fen),
                    share=b.gmv_fen * 100 / total,
                )
                for b in hot.price_bands
            ],
            hint=tr("每个规格按所选日期内的成交均价（成交金额 ÷ 件数）归档；点击柱子查看这些订单"),
        )  # fmt: skip

    def _late_items(self) -> list[an.ItemFigure]:
        if self.hot is None:
            return []
        items = [f for f in self.hot.goods if f.ship_due]
        items.sort(key=lambda f: (-f.ship_late, -(f.late_rate or 0), f.goods_id))
        return items[:LATE_SHOWN]

    def _draw_late(self, hot: an.HotItems) -> None:
        v = self.view
        items = self._late_items()
        if not items:
            v.late_chart.set_empty(tr("所选日期内没有带承诺发货时间的订单"))
            return
        v.late_chart.set_bars(
            [short(f.name, 12) for f in items],
            [(tr("超时发货占比 %"), [(f.late_rate or 0) * 100 for f in items])],
            readouts=[
                tr("{name}：{late:,} / {due:,} 单超时（{rate:.1f}%）").format(
                    name=f.name, late=f.ship_late, due=f.ship_due, rate=(f.late_rate or 0) * 100
                )
                for f in items
            ],
            hint=tr("晚于承诺发货时间发货，或已过承诺发货时间仍未发货；点击查看这些订单"),
        )

    def _hot_part_done(self, part: str) -> None:
        """商品分析 is complete when its ranking, trend and both stock tables are drawn."""
        pending = getattr(self, "_hot_pending", set())
        if part in pending:
            pending.discard(part)
            if not pending:
                self._shown("hot")
                after, self._after_hot = self._after_hot, None
                if after is not None:
                    after()

    def _fill_in_steps(self, table, rows: list, done) -> None:
        """Fill ``table`` a few hundred rows per event-loop turn (a thousand SKUs stall the UI).

        A newer fill of the same table stops an older one.
        """
        generation = self._fill_generation.get(id(table), 0) + 1
        self._fill_generation[id(table)] = generation
        header = table.horizontalHeader()
        # Column widths once at the end: with ResizeToContents every setItem re-measures its column.
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        table.setRowCount(0)
        table.setRowCount(len(rows))

        def step(start: int) -> None:
            if self._fill_generation.get(id(table)) != generation:
                return
            end = min(start + FILL_STEP, len(rows))
            table.setUpdatesEnabled(False)
            for r in range(start, end):
                for c, value in enumerate(rows[r]):
                    table.setItem(r, c, QTableWidgetItem("" if value is None else str(value)))
            table.setUpdatesEnabled(True)
            if end < len(rows):
                QTimer.singleShot(0, lambda: step(end))
                return
            table.resizeColumnsToContents()
            done()

        step(0)

    @staticmethod
    def _buyers_text(f: an.ItemFigure) -> tuple[str, str]:
        """(text, tooltip) of an item's 买家数: "—" when none of its orders names its buyer."""
        return buyer_figure(f.buyers, f.orders, 0 if f.buyers_known else f.orders)

    def _tip_unknown_buyers(self, items: list[an.ItemFigure]) -> None:
        """Give the "—" cells of 买家数 the tooltip 工作台 and 经营概况 give theirs."""
        table = self.view.rank_table
        column = RANK_BUYERS
        for row, f in enumerate(items[: table.rowCount()]):
            item = table.item(row, column)
            if item is not None and not f.buyers_known:
                item.setToolTip(self._buyers_text(f)[1])

    def _ranked(self) -> list[an.ItemFigure]:
        if self.hot is None:
            return []
        items = list(self.hot.skus if self._level() == "sku" else self.hot.goods)
        metric = self.view.metric_combo.currentData()
        value = {
            "gmv": lambda f: f.gmv_fen,
            "units": lambda f: f.units,
            "orders": lambda f: f.orders,
            "buyers": lambda f: f.buyers if f.buyers_known else -1,  # unknown after every count
            "refund_rate": lambda f: f.refund_rate,
            "margin": lambda f: f.margin_fen if f.margin_fen is not None else -(10**15),
        }[metric]
        items.sort(key=lambda f: (-value(f), -f.gmv_fen, f.goods_id, f.sku_id or 0))
        return items

    def _draw_rank(self) -> None:
        v = self.view
        items = self._ranked()
        self._rank_items = items
        self._fill_in_steps(
            v.rank_table,
            [
                (
                    i,
                    f.name,
                    f.spec,
                    format_yuan(f.gmv_fen),
                    f.units,
                    f.orders,
                    f.buyers if f.buyers_known else NO_BUYER,
                    f"{f.refund_rate * 100:.1f}%",
                    _pct(f.gmv_change),
                    f.abc,
                    tr(NO_COST) if f.margin_fen is None else format_yuan(f.margin_fen),
                    "—" if f.margin_rate is None else f"{f.margin_rate * 100:.1f}%",
                    "—" if f.late_rate is None else f"{f.late_rate * 100:.1f}%",
                )
                for i, f in enumerate(items, 1)
            ],
            lambda: (self._tip_unknown_buyers(items), self._hot_part_done("rank")),
        )
        if not items:
            v.rank_chart.set_empty(tr(NO_SALES))
            return
        metric = v.metric_combo.currentData()
        top = items[:RANK_SHOWN]
        if metric == "buyers" and not any(f.buyers_known for f in top):
            v.rank_chart.set_empty(tr(NO_BUYERS))  # no bars of zeros when no order names its buyer
            return
        values = {
            "gmv": [_yuan(f.gmv_fen) for f in top],
            "units": [f.units for f in top],
            "orders": [f.orders for f in top],
            "buyers": [f.buyers for f in top],
            "refund_rate": [f.refund_rate * 100 for f in top],
            "margin": [_yuan(f.margin_fen or 0) for f in top],
        }[metric]
        name = v.metric_combo.currentText() + (
            tr("（元）") if metric in ("gmv", "margin") else "%" if metric == "refund_rate" else ""
        )
        labels = [short(f.name if not f.spec else f"{f.spec}", 12) for f in top]
        readouts = [
            tr(
                "{name} {spec}：{gmv}，{units:,} 件，{orders:,} 单，买家 {buyers}，退款率 {rate}，环比 {change}"  # noqa: E501
            ).format(
                name=f.name,
                spec=f.spec,
                gmv=format_yuan(f.gmv_fen),
                units=f.units,
                orders=f.orders,
                buyers=self._buyers_text(f)[0],
                rate=f"{f.refund_rate * 100:.1f}%",
                change=_pct(f.gmv_change),
            )
            for f in top
        ]
        v.rank_chart.title_label.setText(
            (tr("商品排行（前 {n} 名）") if self._level() == "goods" else tr("规格排行（前 {n} 名）")).format(
                n=len(top)
            )
        )
        v.rank_chart.set_bars(labels, [(name, values)], readouts=readouts, hint=tr("点击柱子查看这些订单"))

    def _on_rank_clicked(self, index: int) -> None:
        if self.range is None or index >= len(self._rank_items):
            return
        f = self._rank_items[index]
        self.open_orders(
            self.range.first, self.range.last, str(f.sku_id if f.sku_id is not None else f.goods_id)
        )

    def _on_rank_selected(self) -> None:
        rows = self.view.rank_table.selectionModel().selectedRows()
        if rows and rows[0].row() < len(self._rank_items):
            f = self._rank_items[rows[0].row()]
            self._load_trend(f.goods_id, f.name)

    def _load_trend(self, goods_id: int, name: str) -> None:
        r = self.range
        if r is None:
            return
        self.trend_goods = (goods_id, name)
        self.view.trend_chart.set_loading()
        self._trend_query.run(
            lambda: an.goods_trend(goods_id=goods_id, first=r.first, last=r.last),
            self._show_trend,
            self._failed,
        )

    def _show_trend(self, points: tuple[an.TrendPoint, ...]) -> None:
        self.trend = points
        v = self.view
        name = self.trend_goods[1] if self.trend_goods else ""
        v.trend_chart.title_label.setText(tr("每日走势：{name}").format(name=name))
        labels = [f"{p.day:%m-%d}" for p in points]
        readouts = [
            tr("{day}：成交金额 {gmv}，件数 {units:,}，订单 {orders:,}；7日平均成交金额 {avg}").format(
                day=f"{p.day:%Y-%m-%d}",
                gmv=format_yuan(p.gmv_fen),
                units=p.units,
                orders=p.orders,
                avg=format_yuan(p.avg7_gmv_fen),
            )
            for p in points
        ]
        v.trend_chart.set_bars(
            labels,
            [(tr("成交金额（元）"), [_yuan(p.gmv_fen) for p in points])],
            readouts=readouts,
            lines=[(tr("7日平均（元）"), [_yuan(p.avg7_gmv_fen) for p in points])],
            hint=tr("点击柱子查看这一天这个商品的订单"),
        )
        self._hot_part_done("trend")

    def _on_trend_clicked(self, index: int) -> None:
        if self.trend_goods is None or index >= len(self.trend):
            return
        day = self.trend[index].day
        self.open_orders(day, day, str(self.trend_goods[0]))

    # --- 客户分析 ---
    def _show_customers(self, cu: an.Customers) -> None:
        self.customers = cu
        v = self.view
        new = sum(d.new for d in cu.days)
        k = v.customer_kpis
        k["buyers"].value_label.setText(f"{cu.buyers:,}")
        k["new"].value_label.setText(f"{new:,}")
        k["returning"].value_label.setText(f"{cu.buyers - new:,}")
        k["repeat"].value_label.setText(f"{cu.repeat_rate * 100:.1f}%")
        k["buyers"].change_label.setText(tr("不含没有买家标识的订单"))
        k["new"].change_label.setText(tr("首次购买在所选日期内"))
        k["returning"].change_label.setText(tr("之前买过的买家"))
        k["repeat"].change_label.setText(tr("{n:,} 人在所选日期内购买 2 次及以上").format(n=cu.repeat_buyers))
        if not any(n for _p, n, _g in cu.provinces):
            for chart in _customer_charts(v):
                chart.set_empty(tr(NO_SALES))
            fill_table(v.cohort_table, [])
            self._shown("customers")
            return
        self._draw_provinces_and_hours(cu)
        if cu.buyers == 0:
            # Paid orders, none with a buyer identity (order files and the platform's answers carry
            # none): where and when they were paid still shows; the per-buyer figures cannot.
            for value in ("buyers", "new", "returning", "repeat"):
                k[value].value_label.setText("—")
            k["repeat"].change_label.setText(tr("订单没有买家标识"))
            for chart in (v.buyers_chart, v.rfm_chart, v.gap_chart, v.spend_chart):
                chart.set_empty(tr(NO_BUYERS))
            fill_table(v.cohort_table, [])
            self._shown("customers")
            return
        labels = [f"{d.day:%m-%d}" for d in cu.days]
        readouts = [
            tr(
                "{day}：买家 {buyers:,}，新买家 {new:,}，老买家 {returning:,}（点击查看当天的支付订单）"
            ).format(day=f"{d.day:%Y-%m-%d}", buyers=d.buyers, new=d.new, returning=d.returning)
            for d in cu.days
        ]
        v.buyers_chart.set_bars(
            labels,
            [(tr("新买家"), [d.new for d in cu.days]), (tr("老买家"), [d.returning for d in cu.days])],
            readouts=readouts,
            stacked=True,
            hint=tr("鼠标移到柱子上看数值，点击查看这些订单"),
        )
        rfm_readouts = [
            tr("{name}：{buyers:,} 人，消费 {gmv}").format(
                name=g.name, buyers=g.buyers, gmv=format_yuan(g.gmv_fen)
            )
            for g in cu.rfm
        ]
        v.rfm_chart.set_bars(
            [g.name for g in cu.rfm],
            [(tr("买家数"), [g.buyers for g in cu.rfm])],
            readouts=rfm_readouts,
            hint=tr(
                "近30天购买 · 购买2次及以上 · 消费不低于中位数 {line}；点击查看该分群在所选日期内的订单"
            ).format(line=format_yuan(cu.rfm_spend_line_fen)),
        )
        so = cu.second_order
        v.gap_chart.set_bars(
            [label for label, _lo, _hi, _n in so.bands],
            [(tr("买家数"), [n for _l, _lo, _hi, n in so.bands])],
            readouts=[
                tr("{band}：{n:,} 人第二次购买（首单买家 {new:,} 人）").format(
                    band=label, n=n, new=so.new_buyers
                )
                for label, _lo, _hi, n in so.bands
            ],
            hint=(
                tr("首单买家 {new:,} 人，{rep:,} 人再次购买（{rate:.1f}%），间隔中位数 {median} 天").format(
                    new=so.new_buyers, rep=so.repeaters, rate=so.rate * 100, median=so.median_days
                )
                if so.median_days is not None
                else tr("首单在所选日期内的买家还没有人再次购买")
            ),
        )
        v.spend_chart.set_bars(
            [b.label for b in cu.spend_bands],
            [(tr("买家数"), [b.count for b in cu.spend_bands])],
            ticks=[_yuan_band_tick(b) for b in cu.spend_bands],
            readouts=[
                tr("累计消费 {band}：{n:,} 人，共 {gmv}（点击查看他们在所选日期内的订单）").format(
                    band=b.label, n=b.count, gmv=format_yuan(b.gmv_fen)
                )
                for b in cu.spend_bands
            ],
            hint=tr("按每位买家的全部历史累计消费分档；点击查看这些买家在所选日期内的订单"),
        )
        self._fill_cohorts(cu)
        self._shown("customers")

    def _draw_provinces_and_hours(self, cu: an.Customers) -> None:
        """The province bars and the hour × weekday map (every paid order, known buyer or not)."""
        v = self.view
        provinces = cu.provinces[:15]
        v.province_chart.set_bars(
            [p or tr("未知") for p, _n, _g in provinces],
            [(tr("订单数"), [n for _p, n, _g in provinces])],
            readouts=[
                tr("{province}：订单 {orders:,}，成交金额 {gmv}").format(
                    province=p or tr("未知"), orders=n, gmv=format_yuan(g)
                )
                for p, n, g in provinces
            ],
            hint=tr("鼠标移到柱子上看数值，点击查看这些订单"),
        )
        days = [tr(d) for d in WEEKDAY_NAMES]
        v.heat_chart.set_heat(
            days,
            [str(h) for h in range(24)],
            cu.heat,
            readouts=[
                tr("{day} {hour}:00–{hour}:59：订单 {orders:,}").format(
                    day=days[w], hour=h, orders=cu.heat[w][h]
                )
                for w in range(7)
                for h in range(24)
            ],
            hint=tr("鼠标移到格子上看数值；颜色越深订单越多"),
        )

    def _fill_cohorts(self, cu: an.Customers) -> None:
        table = self.view.cohort_table
        width = max((len(c.active) for c in cu.cohorts), default=1)
        headers = [tr("首单月份"), tr("人数"), *(tr("第{k}个月").format(k=k) for k in range(1, width))]
        table.setColumnCount(len(headers))
        table.setHorizontalHeaderLabels(headers)
        fill_table(
            table,
            [
                (
                    c.month,
                    c.size,
                    *(f"{c.retention(k) * 100:.1f}%" if k < len(c.active) else "" for k in range(1, width)),
                )
                for c in cu.cohorts
            ],
        )

    def _on_buyer_day_clicked(self, index: int) -> None:
        if self.customers is None:
            return
        day = self.customers.days[index].day
        self.open_orders(day, day)

    def _on_province_clicked(self, index: int) -> None:
        if self.customers is None or self.range is None or index >= len(self.customers.provinces):
            return
        province = self.customers.provinces[index][0]
        label = tr("数据：{province}的订单").format(province=province or tr("未知省份"))
        self.open_figure_orders(label, province=province)

    def _on_heat_clicked(self, index: int) -> None:
        weekday, hour = divmod(index, 24)
        label = tr("数据：{day} {hour} 点下单的订单").format(day=tr(WEEKDAY_NAMES[weekday]), hour=hour)
        self.open_figure_orders(label, weekday=weekday, hour=hour)

    def _on_rfm_clicked(self, index: int) -> None:
        cu = self.customers
        if cu is None or index >= len(cu.rfm):
            return
        seg = cu.rfm[index]
        label = tr("数据：{name}在所选日期内的订单").format(name=seg.name)
        self.open_figure_orders(label, buyers=an.segment_terms(cu, seg))

    def _on_gap_clicked(self, index: int) -> None:
        cu = self.customers
        if cu is None or index >= len(cu.second_order.bands):
            return
        band, low, high, _n = cu.second_order.bands[index]
        label = tr("数据：复购间隔{band}的买家的订单").format(band=band)
        self.open_figure_orders(label, buyers=an.gap_terms(cu, low, high))

    def _on_spend_clicked(self, index: int) -> None:
        cu = self.customers
        if cu is None or index >= len(cu.spend_bands):
            return
        band = cu.spend_bands[index]
        label = tr("数据：累计消费{band}的买家的订单").format(band=band.label)
        self.open_figure_orders(label, buyers=an.spend_terms(band))

    def _on_price_clicked(self, index: int) -> None:
        hot = self.hot
        if hot is None or index >= len(hot.price_bands):
            return
        band = hot.price_bands[index]
        label = tr("数据：价格带{band}的订单").format(band=band.label)
        self.open_figure_orders(label, sku_ids=an.price_band_skus(hot, band))

    def _on_late_clicked(self, index: int) -> None:
        items = self._late_items()
        r = self.range
        if r is None or index >= len(items):
            return
        f = items[index]
        label = tr("数据：{name}超时发货的订单").format(name=short(f.name, 16))
        self._open_ids(label, lambda: an.late_orders(goods_id=f.goods_id, first=r.first, last=r.last))

    def open_figure_orders(self, label: str, **filters) -> None:
        """Open 发货中心 with exactly the paid orders of the range behind a figure (read on the db lane)."""
        r = self.range
        if r is None:
            return
        self._open_ids(label, lambda: an.figure_orders(first=r.first, last=r.last, **filters))

    def _open_ids(self, label: str, read) -> None:
        r = self.range
        if r is None:
            return
        ReadOp(self, read).success(
            lambda ids: self.orders_requested.emit(
                OrderFilter(
                    view="all",
                    paid_from=local_date_start(r.first),
                    paid_to=local_date_start(r.last + timedelta(days=1)),
                    order_ids=tuple(ids),
                    order_ids_label=label,
                )
            )
        ).run()

    # --- export ---
    def ask_save_path(self, title: str, name: str, filters: str) -> str:
        """The file to save to (a dialog; tests replace it)."""
        path, _chosen = QFileDialog.getSaveFileName(self, title, name, filters)
        return path

    def _file_stem(self, chart: ChartPanel) -> str:
        r = self.range
        span = f"{r.first:%Y%m%d}-{r.last:%Y%m%d}" if r else ""
        return f"{chart.title_label.text()}_{span}".replace("/", "_").replace(chr(0xFF1A), "_")

    def export_png(self, chart: ChartPanel) -> None:
        """Save the chart as a PNG picture (rendered here, written on the io lane)."""
        path = self.ask_save_path(tr("导出图片"), f"{self._file_stem(chart)}.png", tr("PNG 图片 (*.png)"))
        if not path:
            return
        if not path.lower().endswith(".png"):
            path += ".png"
        r = self.range
        span = f"{r.first:%Y-%m-%d} ~ {r.last:%Y-%m-%d}" if r else ""
        image = chart.render_png(f"{chart.title_label.text()}  {span}".strip())
        ReadOp(self, lambda: _save_image(image, path), lane="io").success(
            lambda _r: self.view.updated_label.setText(tr("图片已保存：{path}").format(path=path))
        ).run()

    def export_data(self, chart: ChartPanel, table: reports.Table) -> None:
        """Save the chart's data as CSV or XLSX on the io lane."""
        path = self.ask_save_path(
            tr("导出数据"), f"{self._file_stem(chart)}.xlsx", tr("Excel 文件 (*.xlsx);;CSV 文件 (*.csv)")
        )
        if not path:
            return
        ReadOp(self, lambda: reports.write_table_file(path, table), lane="io").success(
            lambda n: self.view.updated_label.setText(
                tr("数据已保存：{path}（{n} 行）").format(path=path, n=n)
            )
        ).run()


def _hot_with_trend(r: an.DayRange) -> tuple[an.HotItems, tuple[an.TrendPoint, ...]]:
    """商品分析 and the daily trend of its top goods in one db-lane job (one round trip)."""
    hot = an.hot_items(first=r.first, last=r.last)
    if not hot.goods:
        return hot, ()
    return hot, an.goods_trend(goods_id=hot.goods[0].goods_id, first=r.first, last=r.last)


def _bucket_label(row: an.OverviewRow, grain: str) -> str:
    if grain == "day":
        return f"{row.first:%m-%d}"
    if grain == "week":
        return f"{row.first:%m-%d}"
    return row.label


def _yuan_band_tick(band: an.Band) -> str:
    """A band's axis label without the unit (the axis title says 元): "100–200 元" does not fit
    seven bars in half the window's width, "100–200" does.
    """  # noqa: D205
    low = band.low_fen // 100
    if band.high_fen is None:
        return tr("{low}以上").format(low=low)
    return f"{low}–{band.high_fen // 100}"


def _save_image(image, path: str) -> None:
    """Write a QImage (io lane); a failure becomes one Chinese line."""
    if not image.save(path, "PNG"):
        raise DomainError(tr("图片没有保存：无法写入 {path}").format(path=path))
