"""工作台 layout: header, to-do counters, period figures, sync line. Layout only."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from pdd_desktop.ui.i18n import QT_TR_NOOP, tr
from pdd_desktop.ui.pages.home.alerts_panel import AlertsPanel
from pdd_desktop.ui.widgets.counter import CounterButton

#: (key, label, tooltip, alert-when-non-zero), in the order product.md lists them.
COUNTERS: tuple[tuple[str, str, str, bool], ...] = (
    ("to_ship", QT_TR_NOOP("待发货"), QT_TR_NOOP("已付款、已成团、尚未发货的订单"), False),
    (
        "near_deadline",
        QT_TR_NOOP("即将超时"),
        QT_TR_NOOP("距承诺发货时间不足设定小时数（默认 6 小时）的待发货订单"),
        True,
    ),
    ("overdue", QT_TR_NOOP("已超时"), QT_TR_NOOP("已过承诺发货时间仍未发货的订单"), True),
    ("after_sales_waiting", QT_TR_NOOP("待处理售后"), QT_TR_NOOP("等待商家处理的售后单"), True),
    (
        "after_sales_near_deadline",
        QT_TR_NOOP("售后即将超时"),
        QT_TR_NOOP("平台即将自动处理的待处理售后单（默认 12 小时内）"),
        True,
    ),
    ("low_stock", QT_TR_NOOP("库存不足"), QT_TR_NOOP("在售规格中库存不高于预警值的数量"), True),
    (
        "logistics_problems",
        QT_TR_NOOP("物流异常"),
        QT_TR_NOOP("发货后超时未揽收、长时间无轨迹或快递报异常的包裹"),
        True,
    ),
    ("unread_messages", QT_TR_NOOP("未读消息"), QT_TR_NOOP("未读站内信"), False),
    ("pending_upload", QT_TR_NOOP("待上传"), QT_TR_NOOP("本地已操作、尚未同步到平台的订单"), False),
)

#: (key, row label) of the figures table; columns are 今日 / 昨日 / 近7天.
FIGURES: tuple[tuple[str, str], ...] = (
    ("orders", QT_TR_NOOP("支付订单")),
    ("gmv", QT_TR_NOOP("成交金额")),
    ("buyers", QT_TR_NOOP("支付买家")),
    ("aov", QT_TR_NOOP("客单价")),
    ("refunds", QT_TR_NOOP("退款成功")),
)
PERIODS: tuple[tuple[str, str], ...] = (
    ("today", QT_TR_NOOP("今日")),
    ("yesterday", QT_TR_NOOP("昨日")),
    ("last_7_days", QT_TR_NOOP("近7天")),
)


class HomePageView(QWidget):
    """The home page's widgets.

    Public children: ``counters[key]``, ``figure_labels[(row, period)]``, ``exposure_label``,
    ``sync_status_label`` (the live sync state), ``sync_label`` (the last finished sync),
    ``shop_label``, ``updated_label``, ``alerts_panel`` (预警提醒).
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        outer.addWidget(scroll)
        body = QWidget()
        body.setObjectName("Page")
        scroll.setWidget(body)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(14)

        header = QHBoxLayout()
        title = QLabel(tr("工作台"))
        title.setObjectName("PageTitle")
        self.shop_label = QLabel("")
        self.shop_label.setObjectName("Muted")
        self.updated_label = QLabel("")
        self.updated_label.setObjectName("Muted")
        header.addWidget(title)
        header.addSpacing(12)
        header.addWidget(self.shop_label)
        header.addStretch(1)
        header.addWidget(self.updated_label)
        layout.addLayout(header)

        alerts_title = QLabel(tr("预警提醒"))
        alerts_title.setObjectName("SectionTitle")
        layout.addWidget(alerts_title)
        self.alerts_panel = AlertsPanel()
        layout.addWidget(self.alerts_panel)

        todo_title = QLabel(tr("待办事项"))
        todo_title.setObjectName("SectionTitle")
        layout.addWidget(todo_title)
        grid = QGridLayout()
        grid.setSpacing(10)
        self.counters: dict[str, CounterButton] = {}
        for i, (key, label, hint, alert) in enumerate(COUNTERS):
            button = CounterButton(key, tr(label), tr(hint), alert=alert)
            self.counters[key] = button
            grid.addWidget(button, i // 5, i % 5)
        layout.addLayout(grid)
        self.exposure_label = QLabel("")
        self.exposure_label.setObjectName("Danger")
        self.exposure_label.setVisible(False)
        layout.addWidget(self.exposure_label)

        fig_title = QLabel(tr("经营数据"))
        fig_title.setObjectName("SectionTitle")
        layout.addWidget(fig_title)
        card = QFrame()
        card.setObjectName("Card")
        fig_grid = QGridLayout(card)
        fig_grid.setContentsMargins(16, 12, 16, 12)
        fig_grid.setHorizontalSpacing(32)
        # Across the whole card: the row names, then three equal columns of figures.
        fig_grid.setColumnStretch(0, 2)
        self.figure_labels: dict[tuple[str, str], QLabel] = {}
        for col, (_, period_label) in enumerate(PERIODS, start=1):
            fig_grid.setColumnStretch(col, 3)
            head = QLabel(tr(period_label))
            head.setObjectName("Muted")
            fig_grid.addWidget(head, 0, col, alignment=Qt.AlignmentFlag.AlignRight)
        for row, (key, row_label) in enumerate(FIGURES, start=1):
            fig_grid.addWidget(QLabel(tr(row_label)), row, 0)
            for col, (period, _) in enumerate(PERIODS, start=1):
                value = QLabel("—")
                value.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.figure_labels[(key, period)] = value
                fig_grid.addWidget(value, row, col)
        layout.addWidget(card)

        sync_title = QLabel(tr("同步"))
        sync_title.setObjectName("SectionTitle")
        layout.addWidget(sync_title)
        #: The connection state, word for word the status bar's sync text (one source of truth).
        self.sync_status_label = QLabel("")
        self.sync_status_label.setWordWrap(True)
        self.sync_status_label.setVisible(False)
        layout.addWidget(self.sync_status_label)
        self.sync_label = QLabel("")
        self.sync_label.setObjectName("Muted")
        self.sync_label.setWordWrap(True)
        layout.addWidget(self.sync_label)
        layout.addStretch(1)
