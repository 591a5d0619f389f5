"""推广 layout: range, the N-day setting, import, the totals line, the alert line and three tables.

Layout only; the controller (:mod:`.page`) fills it.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QStackedWidget,
    QWidget,
)

from pdd_desktop.ui.i18n import QT_TR_NOOP, tr
from pdd_desktop.ui.theme import TOKENS
from pdd_desktop.ui.widgets.page_frame import page_frame
from pdd_desktop.ui.widgets.tables import report_table

#: The range choices: (days, label).
RANGES = ((7, QT_TR_NOOP("近 7 天")), (30, QT_TR_NOOP("近 30 天")), (90, QT_TR_NOOP("近 90 天")))
TABS = (QT_TR_NOOP("按推广计划"), QT_TR_NOOP("按商品"), QT_TR_NOOP("按天"))
PLAN_HEADERS = (
    QT_TR_NOOP("推广名称"), QT_TR_NOOP("推广场景"), QT_TR_NOOP("商品"), QT_TR_NOOP("花费"),
    QT_TR_NOOP("交易额"), QT_TR_NOOP("成交笔数"), QT_TR_NOOP("每笔成交花费"), QT_TR_NOOP("ROI"),
    QT_TR_NOOP("保本 ROI"), QT_TR_NOOP("状态"),
)  # fmt: skip
GOODS_HEADERS = (
    QT_TR_NOOP("商品"), QT_TR_NOOP("花费"), QT_TR_NOOP("交易额"), QT_TR_NOOP("成交笔数"),
    QT_TR_NOOP("每笔成交花费"), QT_TR_NOOP("ROI"), QT_TR_NOOP("毛利率"), QT_TR_NOOP("保本 ROI"),
    QT_TR_NOOP("状态"),
)  # fmt: skip
DAY_HEADERS = (
    QT_TR_NOOP("日期"), QT_TR_NOOP("花费"), QT_TR_NOOP("交易额"), QT_TR_NOOP("成交笔数"),
    QT_TR_NOOP("每笔成交花费"), QT_TR_NOOP("ROI"),
)  # fmt: skip


class AdsPageView(QWidget):
    """The 推广 page's widgets.

    Public children: ``count_label``, ``range_combo``, ``days_spin``, ``import_button``,
    ``demo_button``, ``source_label``, ``summary_label``, ``managed_label``, ``alert_label``,
    ``tabs``, ``stack``, ``plan_table``, ``goods_table``, ``day_table``, ``empty_label``.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.range_combo = QComboBox()
        for days, label in RANGES:
            self.range_combo.addItem(tr(label), days)
        self.range_combo.setCurrentIndex(1)
        self.days_spin = QSpinBox()
        self.days_spin.setRange(1, 30)
        self.days_spin.setSuffix(tr(" 天"))
        self.days_spin.setToolTip(tr("ROI 连续这么多天低于保本 ROI 时标红并提醒"))
        self.import_button = QPushButton(tr("导入推广报表…"))
        self.import_button.setToolTip(
            tr("推广中心 → 商品推广 → 报表下载，导出「推广商品」报表（CSV 或 Excel）")
        )
        self.demo_button = QPushButton(tr("生成演示报表"))
        self.demo_button.setToolTip(tr("用演示店铺最近 30 天的订单生成一份推广报表并导入"))
        self.demo_button.hide()
        days_label = QLabel(tr("连续低于保本"))
        frame = page_frame(
            self,
            tr("推广"),
            header_right=(self.range_combo, days_label, self.days_spin, self.demo_button, self.import_button),
        )
        layout, self.count_label, self.tabs = frame.layout, frame.count_label, frame.tabs
        for label in TABS:
            self.tabs.addTab(tr(label))

        self.source_label = QLabel(
            tr(
                "推广数据来自推广后台导出的「推广商品」报表，导入时用报表的「总计」行核对。"
                "ROI = 交易额 ÷ 花费；保本 ROI = 1 ÷ 毛利率（毛利率按商品的拼单价和成本价计算）。"
            )
        )
        self.source_label.setObjectName("Muted")
        self.source_label.setWordWrap(True)
        layout.addWidget(self.source_label)
        row = QHBoxLayout()
        self.summary_label = QLabel("")
        row.addWidget(self.summary_label, 1)
        layout.addLayout(row)
        self.managed_label = QLabel("")
        self.managed_label.setWordWrap(True)
        self.managed_label.hide()
        layout.addWidget(self.managed_label)
        self.alert_label = QLabel("")
        self.alert_label.setWordWrap(True)
        self.alert_label.setStyleSheet(f"color: {TOKENS['danger']}; font-weight: bold;")
        self.alert_label.hide()
        layout.addWidget(self.alert_label)

        self.plan_table = report_table([tr(h) for h in PLAN_HEADERS])
        self.goods_table = report_table([tr(h) for h in GOODS_HEADERS])
        self.day_table = report_table([tr(h) for h in DAY_HEADERS])
        self.stack = QStackedWidget()
        for table in (self.plan_table, self.goods_table, self.day_table):
            self.stack.addWidget(table)
        layout.addWidget(self.stack, 1)
        self.empty_label = QLabel(
            tr(
                "还没有推广数据。请在推广中心 → 商品推广 → 工具 → 报表下载，按天导出「推广商品」报表"
                "（CSV 或 Excel），再点「导入推广报表…」。"
            )
        )
        self.empty_label.setObjectName("Muted")
        self.empty_label.setWordWrap(True)
        self.empty_label.hide()
        layout.addWidget(self.empty_label)
