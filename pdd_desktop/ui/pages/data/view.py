"""数据 layout: the range picker, three tabs of KPI cards, charts and tables. Layout only.

Public children: ``tabs`` (经营概况 / 商品分析 / 客户分析), ``stack``, ``range_combo``,
``from_edit`` / ``to_edit`` (custom range), ``range_label``, ``updated_label``;
经营概况: ``kpis[key]`` (:class:`KpiCard`), ``grain_combo``, ``gmv_chart``, ``orders_chart``;
商品分析: ``metric_combo``, ``level_combo``, ``rank_chart``, ``rank_table``, ``trend_chart``,
``price_chart``, ``late_chart``, ``stock_tabs``, ``slow_table``, ``cover_table``; 客户分析:
``customer_kpis[key]``, ``buyers_chart``, ``rfm_chart``, ``province_chart``, ``heat_chart``,
``gap_chart``, ``spend_chart``, ``cohort_table``.
"""

from __future__ import annotations

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from pdd_desktop.ui.i18n import QT_TR_NOOP, tr
from pdd_desktop.ui.pages.data.charts import ChartPanel
from pdd_desktop.ui.widgets.page_frame import page_frame
from pdd_desktop.ui.widgets.tables import report_table

#: (key, label) of the range picker; ``custom`` shows the two date fields.
RANGES: tuple[tuple[str, str], ...] = (
    ("today", QT_TR_NOOP("今天")),
    ("7d", QT_TR_NOOP("近7天")),
    ("30d", QT_TR_NOOP("近30天")),
    ("90d", QT_TR_NOOP("近90天")),
    ("month", QT_TR_NOOP("本月")),
    ("custom", QT_TR_NOOP("自定义")),
)
DEFAULT_RANGE = "30d"
TABS: tuple[tuple[str, str], ...] = (
    ("overview", QT_TR_NOOP("经营概况")),
    ("hot", QT_TR_NOOP("商品分析")),
    ("customers", QT_TR_NOOP("客户分析")),
)
GRAINS: tuple[tuple[str, str], ...] = (
    ("day", QT_TR_NOOP("按天")),
    ("week", QT_TR_NOOP("按周")),
    ("month", QT_TR_NOOP("按月")),
)
#: 经营概况 cards: (key, caption).
KPIS: tuple[tuple[str, str], ...] = (
    ("gmv", QT_TR_NOOP("成交金额")),
    ("orders", QT_TR_NOOP("支付订单")),
    ("buyers", QT_TR_NOOP("支付买家")),
    ("aov", QT_TR_NOOP("客单价")),
    ("refunds", QT_TR_NOOP("退款成功")),
)
CUSTOMER_KPIS: tuple[tuple[str, str], ...] = (
    ("buyers", QT_TR_NOOP("买家数")),
    ("new", QT_TR_NOOP("新买家")),
    ("returning", QT_TR_NOOP("老买家")),
    ("repeat", QT_TR_NOOP("复购率")),
)
#: 商品分析 ranking metrics: (key, label).
METRICS: tuple[tuple[str, str], ...] = (
    ("gmv", QT_TR_NOOP("成交金额")),
    ("units", QT_TR_NOOP("件数")),
    ("orders", QT_TR_NOOP("订单数")),
    ("buyers", QT_TR_NOOP("买家数")),
    ("refund_rate", QT_TR_NOOP("退款率")),
    ("margin", QT_TR_NOOP("毛利")),
)
LEVELS: tuple[tuple[str, str], ...] = (("goods", QT_TR_NOOP("按商品")), ("sku", QT_TR_NOOP("按规格")))
RANK_HEADERS = (
    QT_TR_NOOP("排名"), QT_TR_NOOP("商品"), QT_TR_NOOP("规格"), QT_TR_NOOP("成交金额"), QT_TR_NOOP("件数"),
    QT_TR_NOOP("订单数"), QT_TR_NOOP("买家数"), QT_TR_NOOP("退款率"), QT_TR_NOOP("成交金额环比"),
    QT_TR_NOOP("ABC分类"), QT_TR_NOOP("毛利（按您录入的成本价）"), QT_TR_NOOP("毛利率"),
    QT_TR_NOOP("超时发货占比"),
)  # fmt: skip
# The 买家数 column of the 商品分析 table.
RANK_BUYERS = RANK_HEADERS.index(QT_TR_NOOP("买家数"))
SLOW_HEADERS = (
    QT_TR_NOOP("商品"),
    QT_TR_NOOP("规格"),
    QT_TR_NOOP("库存"),
    QT_TR_NOOP("最后成交"),
    QT_TR_NOOP("未成交天数"),
)
COVER_HEADERS = (
    QT_TR_NOOP("商品"), QT_TR_NOOP("规格"), QT_TR_NOOP("库存"), QT_TR_NOOP("近期销量"),
    QT_TR_NOOP("可售天数"), QT_TR_NOOP("预计售罄"),
)  # fmt: skip
RANK_SHOWN = 15  #: bars in the ranking chart (the table lists all)


class KpiCard(QFrame):
    """A figure with its caption and the change against the previous period."""

    def __init__(self, caption: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Card")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.setSpacing(2)
        self.caption_label = QLabel(caption)
        self.caption_label.setObjectName("Muted")
        self.value_label = QLabel("—")
        self.value_label.setObjectName("SectionTitle")
        self.change_label = QLabel(" ")
        self.change_label.setObjectName("Muted")
        for w in (self.caption_label, self.value_label, self.change_label):
            layout.addWidget(w)


def _combo(items: tuple[tuple[str, str], ...]) -> QComboBox:
    combo = QComboBox()
    for key, label in items:
        combo.addItem(tr(label), key)
    return combo


def _scroll(body: QWidget) -> QScrollArea:
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    body.setObjectName("Page")
    area.setWidget(body)
    return area


class DataPageView(QWidget):
    """The 数据 module's widgets (see the module docstring for the public children)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.range_combo = _combo(RANGES)
        self.range_combo.setCurrentIndex(self.range_combo.findData(DEFAULT_RANGE))
        self.from_edit = QDateEdit()
        self.to_edit = QDateEdit()
        for edit in (self.from_edit, self.to_edit):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setDate(QDate.currentDate())
            edit.setVisible(False)
        self.range_label = QLabel("")
        self.range_label.setObjectName("Muted")
        self.updated_label = QLabel("")
        self.updated_label.setObjectName("Muted")
        picker = (QLabel(tr("日期范围")), self.range_combo, self.from_edit, self.to_edit, self.range_label)
        frame = page_frame(self, tr("数据"), header_right=picker)
        frame.count_label.setText(tr("按支付时间（北京时间）统计"))
        self.tabs = frame.tabs
        for _key, label in TABS:
            self.tabs.addTab(tr(label))
        frame.tab_row.addWidget(self.updated_label)
        self.stack = QStackedWidget()
        frame.layout.addWidget(self.stack, 1)
        self.stack.addWidget(_scroll(self._overview_tab()))
        self.stack.addWidget(_scroll(self._hot_tab()))
        self.stack.addWidget(_scroll(self._customers_tab()))

    def _overview_tab(self) -> QWidget:
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        self.kpis: dict[str, KpiCard] = {}
        for key, caption in KPIS:
            self.kpis[key] = KpiCard(tr(caption))
            row.addWidget(self.kpis[key], 1)
        layout.addLayout(row)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(tr("汇总方式")))
        self.grain_combo = _combo(GRAINS)
        bar.addWidget(self.grain_combo)
        hint = QLabel(tr("点击柱子或点查看这些订单"))
        hint.setObjectName("Muted")
        bar.addWidget(hint)
        bar.addStretch(1)
        layout.addLayout(bar)
        self.gmv_chart = ChartPanel(tr("成交金额"), left=tr("成交金额（元）"))
        self.orders_chart = ChartPanel(tr("订单与买家"), left=tr("数量"))
        for chart in (self.gmv_chart, self.orders_chart):
            chart.setMinimumHeight(260)
            layout.addWidget(chart)
        return body

    def _hot_tab(self) -> QWidget:
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(0, 0, 0, 0)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(tr("排行")))
        self.metric_combo = _combo(METRICS)
        self.level_combo = _combo(LEVELS)
        bar.addWidget(self.metric_combo)
        bar.addWidget(self.level_combo)
        hint = QLabel(tr("点击柱子查看这些订单；在表格中选一个商品看它的每日走势"))
        hint.setObjectName("Muted")
        bar.addWidget(hint)
        bar.addStretch(1)
        layout.addLayout(bar)
        top = QGridLayout()
        self.rank_chart = ChartPanel(tr("商品排行（前 {n} 名）").format(n=RANK_SHOWN), horizontal=True)
        self.rank_chart.setMinimumHeight(380)
        self.rank_table = report_table([tr(h) for h in RANK_HEADERS])
        self.rank_table.setMinimumHeight(380)
        top.addWidget(self.rank_chart, 0, 0)
        top.addWidget(self.rank_table, 0, 1)
        top.setColumnStretch(0, 1)
        top.setColumnStretch(1, 1)
        layout.addLayout(top)
        self.trend_chart = ChartPanel(tr("每日走势"), left=tr("成交金额（元）"))
        self.trend_chart.setMinimumHeight(240)
        layout.addWidget(self.trend_chart)
        pair = QGridLayout()
        self.price_chart = ChartPanel(
            tr("价格带（按成交均价）"), left=tr("件数"), bottom=tr("成交均价（元）")
        )
        self.late_chart = ChartPanel(tr("超时发货占比（按商品）"), horizontal=True, bottom=tr("%"))
        for k, chart in enumerate((self.price_chart, self.late_chart)):
            chart.setMinimumHeight(300)
            pair.addWidget(chart, 0, k)
            pair.setColumnStretch(k, 1)
        layout.addLayout(pair)
        self.stock_tabs = QTabWidget()
        self.slow_table = report_table([tr(h) for h in SLOW_HEADERS])
        self.cover_table = report_table([tr(h) for h in COVER_HEADERS])
        for table in (self.rank_table, self.slow_table, self.cover_table):
            # Column widths from the first rows only: measuring a thousand SKUs stalls the UI.
            table.horizontalHeader().setResizeContentsPrecision(60)
        self.stock_tabs.addTab(self.cover_table, tr("库存可售天数"))
        self.stock_tabs.addTab(self.slow_table, tr("滞销商品"))
        self.stock_tabs.setMinimumHeight(240)
        layout.addWidget(self.stock_tabs)
        return body

    def _customers_tab(self) -> QWidget:
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        self.customer_kpis: dict[str, KpiCard] = {}
        for key, caption in CUSTOMER_KPIS:
            self.customer_kpis[key] = KpiCard(tr(caption))
            row.addWidget(self.customer_kpis[key], 1)
        layout.addLayout(row)
        self.buyers_chart = ChartPanel(tr("新老买家（每天）"), left=tr("买家数"))
        self.buyers_chart.setMinimumHeight(240)
        layout.addWidget(self.buyers_chart)
        grid = QGridLayout()
        self.rfm_chart = ChartPanel(tr("RFM 客户分群（截至今天的全部历史）"), horizontal=True)
        self.province_chart = ChartPanel(tr("省份分布（订单数）"), horizontal=True)
        self.heat_chart = ChartPanel(tr("下单时段（星期 × 小时，订单数）"))
        self.heat_chart.plot.getAxis("left").setWidth(40)
        self.cohort_table = report_table([tr("首单月份"), tr("人数")])
        for chart in (self.rfm_chart, self.province_chart, self.heat_chart):
            chart.setMinimumHeight(300)
        grid.addWidget(self.rfm_chart, 0, 0)
        grid.addWidget(self.province_chart, 0, 1)
        grid.addWidget(self.heat_chart, 1, 0)
        cohort_box = QFrame()
        cohort_box.setObjectName("Card")
        box = QVBoxLayout(cohort_box)
        title = QLabel(tr("月度留存（首单月份的买家在之后各月再次购买的比例）"))
        title.setObjectName("SectionTitle")
        title.setWordWrap(True)
        box.addWidget(title)
        box.addWidget(self.cohort_table)
        grid.addWidget(cohort_box, 1, 1)
        self.gap_chart = ChartPanel(tr("复购间隔（首单在所选日期内的买家）"), left=tr("买家数"))
        self.spend_chart = ChartPanel(
            tr("消费金额分布（买家累计消费）"), left=tr("买家数"), bottom=tr("累计消费（元）")
        )
        for chart in (self.gap_chart, self.spend_chart):
            chart.setMinimumHeight(280)
        grid.addWidget(self.gap_chart, 2, 0)
        grid.addWidget(self.spend_chart, 2, 1)
        layout.addLayout(grid)
        return body
