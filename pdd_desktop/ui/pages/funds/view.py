"""资金 layout: the tabs 账单 / 对账 / 利润, and 账单's filters, figures, tables and lines.

账单 holds the range and filters, the figures, by category, by day, and the lines behind them.

Layout only; the controller (:mod:`.page`) fills it and puts the 对账 and 利润 tabs
(:mod:`.reconcile_tab`, :mod:`.profit_tab`) into ``stack``.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from pdd_desktop.ui.i18n import QT_TR_NOOP, tr
from pdd_desktop.ui.widgets.page_frame import page_frame, search_edit
from pdd_desktop.ui.widgets.tables import report_table

#: The tabs, in order (the stack's pages follow it).
TAB_NAMES = (QT_TR_NOOP("账单"), QT_TR_NOOP("对账"), QT_TR_NOOP("利润"))
CATEGORY_HEADERS = (
    QT_TR_NOOP("类别"),
    QT_TR_NOOP("笔数"),
    QT_TR_NOOP("收入"),
    QT_TR_NOOP("支出"),
    QT_TR_NOOP("净额"),
)
DAY_HEADERS = (
    QT_TR_NOOP("日期"),
    QT_TR_NOOP("笔数"),
    QT_TR_NOOP("收入"),
    QT_TR_NOOP("支出"),
    QT_TR_NOOP("净额"),
)
ROW_HEADERS = (
    QT_TR_NOOP("发生时间"), QT_TR_NOOP("订单号"), QT_TR_NOOP("类别"), QT_TR_NOOP("金额"),
    QT_TR_NOOP("业务描述"), QT_TR_NOOP("账务类型"), QT_TR_NOOP("备注"),
)  # fmt: skip


class FundsPageView(QWidget):
    """The 资金 page's widgets.

    Public children: ``count_label``, ``import_button``, ``range_combo``, ``category_combo``,
    ``order_edit``, ``figures_label``, ``coverage_label``, ``categories_table``, ``days_table``,
    ``rows_title``, ``rows_table``, ``empty_label``, ``export_button`` (the 账单 tab, ``ledger``),
    ``tabs`` (账单, 对账, 利润) and ``stack`` (one page per tab).
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.import_button = QPushButton(tr("导入账单…"))
        self.import_button.setToolTip(tr("导入从 对账中心 → 账单 下载的账单（.zip 或 .csv）"))
        frame = page_frame(self, tr("资金"), header_right=(self.import_button,))
        self.count_label = frame.count_label
        self.tabs = frame.tabs
        for text in TAB_NAMES:
            self.tabs.addTab(tr(text))
        self.stack = QStackedWidget()
        frame.layout.addWidget(self.stack, 1)
        self.ledger = QWidget()
        self.stack.addWidget(self.ledger)
        layout = QVBoxLayout(self.ledger)
        layout.setContentsMargins(0, 0, 0, 0)
        self.tabs.currentChanged.connect(self.stack.setCurrentIndex)

        filters = QHBoxLayout()
        self.range_combo = QComboBox()
        self.category_combo = QComboBox()
        self.order_edit = search_edit(tr("按订单号查找账单行"), 240)
        filters.addWidget(QLabel(tr("时间")))
        filters.addWidget(self.range_combo)
        filters.addSpacing(12)
        filters.addWidget(QLabel(tr("类别")))
        filters.addWidget(self.category_combo)
        filters.addSpacing(12)
        filters.addWidget(self.order_edit)
        filters.addStretch(1)
        self.export_button = QPushButton(tr("导出账目表…"))
        filters.addWidget(self.export_button)
        layout.addLayout(filters)

        self.figures_label = QLabel("")
        self.figures_label.setObjectName("Figures")
        self.figures_label.setStyleSheet("#Figures { font-size: 15px; }")
        self.figures_label.setTextFormat(Qt.TextFormat.PlainText)
        self.coverage_label = QLabel("")
        self.coverage_label.setObjectName("Muted")
        self.coverage_label.setWordWrap(True)
        layout.addWidget(self.figures_label)
        layout.addWidget(self.coverage_label)

        self.empty_label = QLabel(
            tr(
                "还没有账单。从拼多多商家后台 对账中心 → 账单 下载账单（.zip），点“导入账单…”导入；"
                "连接开放平台的店铺同步时会自动取每天的货款日账单。"
            )
        )
        self.empty_label.setWordWrap(True)
        self.empty_label.setObjectName("Muted")
        layout.addWidget(self.empty_label)

        self.categories_table = report_table([tr(h) for h in CATEGORY_HEADERS])
        self.days_table = report_table([tr(h) for h in DAY_HEADERS])
        top = QSplitter(Qt.Orientation.Horizontal)
        top.addWidget(self.categories_table)
        top.addWidget(self.days_table)
        top.setSizes([420, 520])

        bottom = QWidget()
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 0, 0, 0)
        self.rows_title = QLabel("")
        self.rows_table = report_table([tr(h) for h in ROW_HEADERS])
        bottom_layout.addWidget(self.rows_title)
        bottom_layout.addWidget(self.rows_table, 1)

        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(top)
        split.addWidget(bottom)
        split.setSizes([300, 320])
        layout.addWidget(split, 1)
