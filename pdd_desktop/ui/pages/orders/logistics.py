"""物流概况 tab of 发货中心: ship times, late shipping and parcel risks per courier and per day.

Everything is read by :mod:`pdd_desktop.services.logistics` on the database lane; this widget
only lays out and paints the frozen result. Public children for tests: ``period_combo``,
``cards[key]``, ``courier_table``, ``chart``, ``problem_table``, ``problem_title``,
``empty_label``, ``updated_label``, ``tracking_label`` (why there are no tracking alarms, or
how many parcels are 未查询).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from pdd_desktop.common import clock
from pdd_desktop.common.timefmt import format_ts, local_day_start
from pdd_desktop.services import logistics as svc
from pdd_desktop.ui.i18n import QT_TR_NOOP, tr
from pdd_desktop.ui.ops import LatestQuery
from pdd_desktop.ui.theme import TOKENS
from pdd_desktop.ui.widgets.charts import pg
from pdd_desktop.ui.widgets.counter import CounterButton

#: (days, label); 近30天 is the default.
PERIODS: tuple[tuple[int, str], ...] = (
    (7, QT_TR_NOOP("近7天")),
    (30, QT_TR_NOOP("近30天")),
    (90, QT_TR_NOOP("近90天")),
)
DEFAULT_PERIOD_INDEX = 1
EMPTY_TEXT = QT_TR_NOOP("该时间段内没有发货记录")
PROBLEM_LIMIT = 500

#: KPI cards: (key, caption, tooltip, alert-when-non-zero).
CARDS: tuple[tuple[str, str, str, bool], ...] = (
    ("avg_ship", QT_TR_NOOP("平均发货时长"), QT_TR_NOOP("从拼单成功到订单首个包裹发货的平均时长"), False),
    ("late_share", QT_TR_NOOP("延迟发货率"), QT_TR_NOOP("首个包裹晚于承诺发货时间发出的订单占比"), False),
    (
        "no_pickup",
        QT_TR_NOOP("揽收超时（24h未揽收）"),
        QT_TR_NOOP("发货后超时仍无揽收记录的包裹，平台可能判为虚假发货。点击查看"),
        True,
    ),
    (
        "stalled",
        QT_TR_NOOP("物流停滞（48h无更新）"),
        QT_TR_NOOP("未签收且长时间没有新物流轨迹的包裹。点击查看"),
        True,
    ),
    (
        "exception",
        QT_TR_NOOP("快递异常"),
        QT_TR_NOOP("快递员在轨迹中报告拒收、退回、问题件或滞留的包裹。点击查看"),
        True,
    ),
)
PROBLEM_CARDS = ("no_pickup", "stalled", "exception")
PROBLEM_NAMES = {
    "no_pickup": QT_TR_NOOP("揽收超时"),
    "stalled": QT_TR_NOOP("物流停滞"),
    "exception": QT_TR_NOOP("快递异常"),
}
PROBLEM_HINT = QT_TR_NOOP("问题包裹：点击“揽收超时”“物流停滞”“快递异常”卡片或快递公司的对应列查看")

COURIER_COLUMNS = (
    QT_TR_NOOP("快递公司"),
    QT_TR_NOOP("包裹数"),
    QT_TR_NOOP("平均发货时长"),
    QT_TR_NOOP("延迟率"),
    QT_TR_NOOP("24h未揽收"),
    QT_TR_NOOP("48h无更新"),
    QT_TR_NOOP("快递异常"),
)
#: Courier-table column → problem kind listed when a cell of it is clicked.
PROBLEM_COLUMNS = {4: "no_pickup", 5: "stalled", 6: "exception"}
PROBLEM_COLUMNS_HEAD = (
    QT_TR_NOOP("订单号"),
    QT_TR_NOOP("快递公司"),
    QT_TR_NOOP("运单号"),
    QT_TR_NOOP("发货时间"),
    QT_TR_NOOP("最后轨迹"),
    QT_TR_NOOP("收件人"),
    QT_TR_NOOP("电话"),
    QT_TR_NOOP("地区"),
)


def format_hours_minutes(seconds: int | None) -> str:
    """``93600`` → ``26小时0分``; ``—`` without a value."""
    if seconds is None:
        return "—"
    sign = "-" if seconds < 0 else ""
    minutes = abs(seconds) // 60
    return tr("{sign}{hours}小时{minutes}分").format(sign=sign, hours=minutes // 60, minutes=minutes % 60)


def format_share(share: float | None) -> str:
    """``0.0301`` → ``3.0%``; ``—`` without orders."""
    return "—" if share is None else f"{share * 100:.1f}%"


def _item(text: str, *, right: bool = True, data: object = None) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
    if right:
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    if data is not None:
        item.setData(Qt.ItemDataRole.UserRole, data)
    return item


def _table(headers: tuple[str, ...]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(list(headers))
    table.verticalHeader().setVisible(False)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.verticalHeader().setDefaultSectionSize(26)
    return table


class DayChart(pg.GraphicsLayoutWidget):
    """Parcels per day (bars, top) and the late share per day (line, bottom), sharing the x axis."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setBackground(TOKENS["card"])
        pen = pg.mkPen(TOKENS["muted"])
        self.parcels_plot = self.addPlot(row=0, col=0)
        self.late_plot = self.addPlot(row=1, col=0)
        self.late_plot.setXLink(self.parcels_plot)
        self.ci.layout.setRowStretchFactor(0, 3)
        self.ci.layout.setRowStretchFactor(1, 2)
        for plot, label in ((self.parcels_plot, tr("包裹数")), (self.late_plot, tr("延迟率 %"))):
            plot.setMenuEnabled(False)
            plot.setMouseEnabled(x=False, y=False)
            plot.hideButtons()
            plot.showGrid(y=True, alpha=0.15)
            plot.setLabel("left", label, color=TOKENS["muted"])
            for axis in ("left", "bottom"):
                plot.getAxis(axis).setPen(pen)
                plot.getAxis(axis).setTextPen(pen)
            plot.getAxis("left").setWidth(56)
        self.parcels_plot.getAxis("bottom").setStyle(showValues=False)
        self.late_plot.setLabel("bottom", tr("发货日期"), color=TOKENS["muted"])
        #: What is drawn, for tests: (parcels per day, late share % per day or None).
        self.parcels: list[int] = []
        self.late_percent: list[float | None] = []

    def set_days(self, days: tuple[svc.DayRow, ...]) -> None:
        """Redraw for ``days`` (ascending)."""
        self.parcels_plot.clear()
        self.late_plot.clear()
        self.parcels = [d.figures.parcels + d.figures.no_logistics for d in days]
        self.late_percent = [
            None if d.figures.late_share is None else d.figures.late_share * 100 for d in days
        ]
        if not days:
            return
        xs = list(range(len(days)))
        self.parcels_plot.addItem(
            pg.BarGraphItem(x=xs, height=self.parcels, width=0.7, brush=TOKENS["accent"], pen=None)
        )
        points = [(x, y) for x, y in zip(xs, self.late_percent, strict=True) if y is not None]
        if points:
            px, py = zip(*points, strict=True)
            self.late_plot.plot(
                list(px),
                list(py),
                pen=pg.mkPen(TOKENS["warning"], width=2),
                symbol="o",
                symbolSize=5,
                symbolBrush=TOKENS["warning"],
                symbolPen=None,
            )
        step = max(1, -(-len(days) // 6))
        ticks = [(i, format_ts(d.day_start, "%m-%d")) for i, d in enumerate(days) if i % step == 0]
        for plot in (self.parcels_plot, self.late_plot):
            plot.getAxis("bottom").setTicks([ticks])
            plot.setXRange(-0.6, len(days) - 0.4, padding=0)
        self.parcels_plot.setYRange(0, max(self.parcels) * 1.1 or 1, padding=0)
        top = max((y for y in self.late_percent if y is not None), default=0)
        self.late_plot.setYRange(0, max(5.0, top * 1.15), padding=0)


class LogisticsOverviewView(QWidget):
    """物流概况: period selector, four KPI cards, courier table, day chart, problem-parcel list."""

    #: A result (overview) was displayed.
    shown = Signal()
    #: A problem-parcel list was displayed.
    problems_shown = Signal()

    def __init__(self, runner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.overview: svc.LogisticsOverview | None = None
        self.problems: list[svc.ProblemParcel] = []
        self.problem_filter: tuple[str, int | None] | None = None
        self._overview_query = LatestQuery(self, runner=runner)
        self._problem_query = LatestQuery(self, runner=runner)
        self._problems_after_refresh: str | None = None
        self._build()
        self.period_combo.currentIndexChanged.connect(lambda _i: self.refresh())
        for key in PROBLEM_CARDS:
            self.cards[key].clicked.connect(lambda _c=False, k=key: self.show_problems(k, None))
        self.courier_table.cellClicked.connect(self._on_courier_cell)

    # --- layout ---------------------------------------------------------------------------------

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(10)

        header = QHBoxLayout()
        title = QLabel(tr("物流概况"))
        title.setObjectName("SectionTitle")
        self.period_combo = QComboBox()
        for days, label in PERIODS:
            self.period_combo.addItem(tr(label), days)
        self.period_combo.setCurrentIndex(DEFAULT_PERIOD_INDEX)
        self.period_combo.setToolTip(tr("按包裹发货时间统计"))
        self.updated_label = QLabel("")
        self.updated_label.setObjectName("Muted")
        header.addWidget(title)
        header.addSpacing(12)
        header.addWidget(QLabel(tr("统计周期")))
        header.addWidget(self.period_combo)
        header.addStretch(1)
        header.addWidget(self.updated_label)
        layout.addLayout(header)

        cards = QHBoxLayout()
        cards.setSpacing(10)
        self.cards: dict[str, CounterButton] = {}
        for key, caption, hint, alert in CARDS:
            card = CounterButton(key, tr(caption), tr(hint), alert=alert)
            if key not in PROBLEM_CARDS:
                card.setCursor(Qt.CursorShape.ArrowCursor)
                card.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            self.cards[key] = card
            cards.addWidget(card, 1)
        layout.addLayout(cards)

        self.tracking_label = QLabel("")
        self.tracking_label.setObjectName("Muted")
        self.tracking_label.setWordWrap(True)
        self.tracking_label.setVisible(False)
        layout.addWidget(self.tracking_label)

        self.empty_label = QLabel(tr(EMPTY_TEXT))
        self.empty_label.setObjectName("Muted")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setMinimumHeight(120)
        self.empty_label.setVisible(False)
        layout.addWidget(self.empty_label)

        self.content = QSplitter(Qt.Orientation.Vertical)
        self.content.setChildrenCollapsible(False)
        top = QSplitter(Qt.Orientation.Horizontal)
        top.setChildrenCollapsible(False)
        self.courier_table = _table(tuple(tr(h) for h in COURIER_COLUMNS))
        head = self.courier_table.horizontalHeader()
        head.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        head.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.courier_table.setMinimumWidth(470)
        self.courier_table.setToolTip(tr("点击“24h未揽收”“48h无更新”或“快递异常”列查看该快递的问题包裹"))
        top.addWidget(self.courier_table)
        chart_card = QFrame()
        chart_card.setObjectName("Card")
        chart_layout = QVBoxLayout(chart_card)
        chart_layout.setContentsMargins(6, 6, 6, 6)
        self.chart = DayChart()
        self.chart.setMinimumHeight(180)
        chart_layout.addWidget(self.chart)
        top.addWidget(chart_card)
        top.setStretchFactor(0, 1)
        top.setStretchFactor(1, 1)
        top.setSizes([500, 460])
        self.content.addWidget(top)

        problems = QWidget()
        problems_layout = QVBoxLayout(problems)
        problems_layout.setContentsMargins(0, 4, 0, 0)
        problems_layout.setSpacing(4)
        self.problem_title = QLabel(tr(PROBLEM_HINT))
        self.problem_title.setObjectName("Muted")
        problems_layout.addWidget(self.problem_title)
        self.problem_table = _table(tuple(tr(h) for h in PROBLEM_COLUMNS_HEAD))
        self.problem_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        phead = self.problem_table.horizontalHeader()
        phead.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        phead.setStretchLastSection(True)
        problems_layout.addWidget(self.problem_table)
        self.content.addWidget(problems)
        self.content.setStretchFactor(0, 1)
        self.content.setStretchFactor(1, 1)
        self.content.setSizes([300, 240])
        layout.addWidget(self.content, 1)

    # --- loading --------------------------------------------------------------------------------

    def period(self, now: int) -> tuple[int, int]:
        """[start, end) of the selected period: whole Beijing days up to and including today."""
        days = int(self.period_combo.currentData())
        return local_day_start(now, days - 1), now + 1

    def refresh(self) -> None:
        """Recompute on the database lane; answers to superseded requests are dropped."""
        now = clock.now()
        start, end = self.period(now)
        self.updated_label.setText(tr("正在统计…"))
        self._overview_query.run(
            lambda: svc.logistics_overview(start=start, end=end, now=now), self._on_overview, self._on_failure
        )

    def _on_failure(self, exc: BaseException) -> None:
        self.updated_label.setText(tr("统计失败：{error}").format(error=exc))

    def _on_overview(self, ov: svc.LogisticsOverview) -> None:
        self.overview = ov
        self._fill_cards(ov)
        empty = ov.is_empty
        self.empty_label.setVisible(empty)
        self.content.setVisible(not empty)
        self._fill_couriers(ov)
        self.chart.set_days(() if empty else ov.by_day)
        if self._problems_after_refresh is not None:
            self.problem_filter = (self._problems_after_refresh, None)
            self._problems_after_refresh = None
        if self.problem_filter is not None and not empty:
            self.show_problems(*self.problem_filter)
        else:
            self._clear_problems()
        self.updated_label.setText(
            tr("{time} 至 {time2}，更新于 {updated}").format(
                time=format_ts(ov.start, "%m-%d"),
                time2=format_ts(ov.end - 1, "%m-%d"),
                updated=format_ts(ov.now, "%H:%M:%S"),
            )
        )
        self.shown.emit()

    def _tracked(self) -> bool:
        return self.overview is None or self.overview.tracking.tracked

    def _fill_tracking(self, ov: svc.LogisticsOverview) -> None:
        """One line: why nothing is tracked, or how many parcels were never queried (未查询)."""
        label = self.tracking_label
        if not ov.tracking.tracked:
            label.setText(
                tr("{reason}，揽收超时、物流停滞和快递异常不作统计。").format(reason=ov.tracking.reason)
            )
        elif ov.totals.unqueried:
            label.setText(
                tr("{unqueried:,} 个在途包裹尚未查询物流轨迹（同步时自动查询），未计入异常。").format(
                    unqueried=ov.totals.unqueried
                )
            )
        else:
            label.setText("")
        label.setVisible(bool(label.text()))

    def _fill_cards(self, ov: svc.LogisticsOverview) -> None:
        t = ov.totals
        self.cards["no_pickup"].caption_label.setText(
            tr("揽收超时（{no_pickup_hours}h未揽收）").format(no_pickup_hours=ov.no_pickup_hours)
        )
        self.cards["stalled"].caption_label.setText(
            tr("物流停滞（{stalled_hours}h无更新）").format(stalled_hours=ov.stalled_hours)
        )
        self._fill_tracking(ov)
        if ov.is_empty:
            for card in self.cards.values():
                card.set_value(0)
                card.value_label.setText("—")
            return
        for key in PROBLEM_CARDS:
            self.cards[key].set_value(getattr(t, key) if ov.tracking.tracked else 0)
            if not ov.tracking.tracked:
                self.cards[key].value_label.setText("—")
            self.cards[key].setEnabled(ov.tracking.tracked)
        for key, text in (
            ("avg_ship", format_hours_minutes(t.avg_ship_seconds)),
            ("late_share", format_share(t.late_share)),
        ):
            self.cards[key].set_value(0)
            self.cards[key].value_label.setText(text)
        self.cards["late_share"].setToolTip(
            tr("首个包裹晚于承诺发货时间发出的订单占比：{late_orders:,} / {deadline_orders:,} 单").format(
                late_orders=t.late_orders, deadline_orders=t.deadline_orders
            )
        )

    def _fill_couriers(self, ov: svc.LogisticsOverview) -> None:
        table = self.courier_table
        table.setRowCount(0)
        table.setRowCount(len(ov.by_courier))
        head = table.horizontalHeaderItem
        head(4).setText(tr("{no_pickup_hours}h未揽收").format(no_pickup_hours=ov.no_pickup_hours))
        head(5).setText(tr("{stalled_hours}h无更新").format(stalled_hours=ov.stalled_hours))
        tracked = ov.tracking.tracked
        for r, row in enumerate(ov.by_courier):
            f = row.figures
            parcels = (
                f"{f.parcels:,}"
                if row.courier_id is not None
                else tr("{no_logistics:,}（无物流）").format(no_logistics=f.no_logistics)
            )
            cells = (
                _item(row.courier_name, right=False, data=row.courier_id),
                _item(parcels),
                _item(format_hours_minutes(f.avg_ship_seconds)),
                _item(format_share(f.late_share)),
                _item(f"{f.no_pickup:,}" if row.courier_id is not None and tracked else "—"),
                _item(f"{f.stalled:,}" if row.courier_id is not None and tracked else "—"),
                _item(f"{f.exception:,}" if row.courier_id is not None and tracked else "—"),
            )
            for c, item in enumerate(cells):
                table.setItem(r, c, item)
            for c, key in PROBLEM_COLUMNS.items():
                if tracked and getattr(f, key):
                    cells[c].setForeground(QBrush(QColor(TOKENS["danger"])))
                    cells[c].setToolTip(tr("点击查看这些包裹"))

    # --- problem parcels ------------------------------------------------------------------------

    def _on_courier_cell(self, row: int, column: int) -> None:
        kind = PROBLEM_COLUMNS.get(column)
        item = self.courier_table.item(row, 0)
        if kind is None or item is None or not self._tracked():
            return
        courier_id = item.data(Qt.ItemDataRole.UserRole)
        if courier_id is not None:
            self.show_problems(kind, int(courier_id))

    def show_problems_when_shown(self, kind: str) -> None:
        """List ``kind`` parcels of all couriers as soon as the next overview arrives."""
        self._problems_after_refresh = kind

    def show_problems(self, kind: str, courier_id: int | None) -> None:
        """List the parcels behind a KPI card (all couriers) or a courier's cell."""
        ov = self.overview
        if ov is None or not ov.tracking.tracked:
            return
        self.problem_filter = (kind, courier_id)
        name = tr(PROBLEM_NAMES[kind])
        courier = next((r.courier_name for r in ov.by_courier if r.courier_id == courier_id), "")
        self.problem_title.setText(tr("{courier}{name}包裹：加载中…").format(courier=courier, name=name))
        start, end, now = ov.start, ov.end, ov.now
        self._problem_query.run(
            lambda: svc.problem_parcels(kind, courier_id, PROBLEM_LIMIT, start=start, end=end, now=now),
            lambda rows: self._on_problems(f"{courier}{name}", rows),
        )

    def _on_problems(self, title: str, rows: list[svc.ProblemParcel]) -> None:
        self.problems = rows
        more = (
            tr("（显示最早的 {limit} 个）").format(limit=PROBLEM_LIMIT) if len(rows) >= PROBLEM_LIMIT else ""
        )
        self.problem_title.setText(
            tr("{title}包裹：{count:,} 个{more}").format(title=title, count=len(rows), more=more)
            if rows
            else tr("{title}：没有问题包裹").format(title=title)
        )
        table = self.problem_table
        table.setRowCount(0)
        table.setRowCount(len(rows))
        for r, p in enumerate(rows):
            order_sn = p.order_sn + (
                tr(" 等{count}单").format(count=len(p.order_sns)) if len(p.order_sns) > 1 else ""
            )
            cells = (
                order_sn,
                p.courier_name,
                p.tracking_number,
                format_ts(p.shipped_at, "%m-%d %H:%M"),
                format_ts(p.last_event_at, "%m-%d %H:%M") if p.last_event_at else tr("无轨迹"),
                p.receiver_name_mask,
                p.receiver_phone_mask,
                p.region,
            )
            for c, text in enumerate(cells):
                item = _item(text, right=False, data=p.package_id if c == 0 else None)
                if c == 0 and len(p.order_sns) > 1:
                    item.setToolTip("\n".join(p.order_sns))
                table.setItem(r, c, item)
        self.problems_shown.emit()

    def _clear_problems(self) -> None:
        self.problem_filter = None
        self.problems = []
        self.problem_table.setRowCount(0)
        self.problem_title.setText(tr(PROBLEM_HINT) if self._tracked() else "")
