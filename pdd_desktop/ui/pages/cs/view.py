"""客服 layout: the reply-rate tab (targets, per-agent figures, lost hours) and the quick replies.

Layout only; the controller (:mod:`.page`) fills it.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from pdd_desktop.ui.dialogs.quick_reply import QuickReplyPanel
from pdd_desktop.ui.i18n import QT_TR_NOOP, tr
from pdd_desktop.ui.widgets.page_frame import page_frame

#: The figures table's columns (the 8–23 h window and the whole day side by side).
FIGURE_COLUMNS = (
    QT_TR_NOOP("客服"),
    QT_TR_NOOP("当日 3分钟\n(8-23点)"),
    QT_TR_NOOP("当日 3分钟\n(全天)"),
    QT_TR_NOOP("当日 30秒\n(8-23点)"),
    QT_TR_NOOP("当日 30秒\n(全天)"),
    QT_TR_NOOP("近30天 3分钟\n(8-23点)"),
    QT_TR_NOOP("近30天 3分钟\n(全天)"),
    QT_TR_NOOP("近30天 30秒\n(8-23点)"),
    QT_TR_NOOP("近30天 30秒\n(全天)"),
    QT_TR_NOOP("近30天平均\n人工响应时长"),
    QT_TR_NOOP("近30天\n询单转化率"),
)
HOUR_COLUMNS = (
    QT_TR_NOOP("时段"),
    QT_TR_NOOP("需要人工回复"),
    QT_TR_NOOP("3分钟未回复"),
    QT_TR_NOOP("30秒未应答"),
    QT_TR_NOOP("3分钟回复率"),
)


def _table(columns: tuple[str, ...]) -> QTableWidget:
    table = QTableWidget(0, len(columns))
    table.setHorizontalHeaderLabels([tr(c) for c in columns])
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.setAlternatingRowColors(True)
    return table


class CsPageView(QWidget):
    """The 客服 page's widgets.

    Public children: ``tabs`` (回复率, 快捷回复), ``stack``; reply rates: ``import_button``,
    ``source_label``, ``r3_target``, ``r30_target``, ``save_targets_button``, ``period_label``,
    ``figures``, ``hours_label``, ``hours``, ``empty_label``; quick replies: ``order_edit``,
    ``order_button``, ``new_button``, ``edit_button``, ``delete_button``, ``panel``.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.import_button = QPushButton(tr("导入客服数据…"))
        self.import_button.setToolTip(tr("导入商家后台导出的店铺客服数据或客服绩效（CSV 或 Excel）"))
        frame = page_frame(self, tr("客服"), header_right=(self.import_button,))
        layout, self.count_label, self.tabs = frame.layout, frame.count_label, frame.tabs
        self.tabs.addTab(tr("回复率"))
        self.tabs.addTab(tr("快捷回复"))
        self.stack = QStackedWidget()
        layout.addWidget(self.stack, 1)

        rates = QWidget()
        rl = QVBoxLayout(rates)
        rl.setContentsMargins(0, 0, 0, 0)
        self.source_label = QLabel("")
        self.source_label.setObjectName("Muted")
        self.source_label.setWordWrap(True)
        rl.addWidget(self.source_label)
        targets = QHBoxLayout()
        self.r3_target = QLineEdit()
        self.r30_target = QLineEdit()
        for edit in (self.r3_target, self.r30_target):
            edit.setMaximumWidth(70)
        self.save_targets_button = QPushButton(tr("保存目标"))
        targets.addWidget(QLabel(tr("目标：3分钟人工回复率")))
        targets.addWidget(self.r3_target)
        targets.addWidget(QLabel("%"))
        targets.addSpacing(16)
        targets.addWidget(QLabel(tr("30秒应答率")))
        targets.addWidget(self.r30_target)
        targets.addWidget(QLabel("%"))
        targets.addWidget(self.save_targets_button)
        targets.addStretch(1)
        rl.addLayout(targets)
        self.period_label = QLabel("")
        self.period_label.setObjectName("Muted")
        rl.addWidget(self.period_label)
        self.figures = _table(FIGURE_COLUMNS)
        rl.addWidget(self.figures, 3)
        self.empty_label = QLabel("")
        self.empty_label.setObjectName("Muted")
        self.empty_label.setWordWrap(True)
        rl.addWidget(self.empty_label)
        self.hours_label = QLabel(tr("漏回最多的时段（近30天）"))
        self.hours_label.setObjectName("SectionTitle")
        rl.addWidget(self.hours_label)
        self.hours = _table(HOUR_COLUMNS)
        rl.addWidget(self.hours, 2)
        self.stack.addWidget(rates)

        replies = QWidget()
        ql = QVBoxLayout(replies)
        ql.setContentsMargins(0, 0, 0, 0)
        tools = QHBoxLayout()
        self.order_edit = QLineEdit()
        self.order_edit.setPlaceholderText(tr("订单号，用来填写变量"))
        self.order_edit.setMinimumWidth(240)
        self.order_button = QPushButton(tr("按订单填写"))
        self.new_button = QPushButton(tr("新建"))
        self.edit_button = QPushButton(tr("编辑"))
        self.delete_button = QPushButton(tr("删除"))
        tools.addWidget(self.order_edit)
        tools.addWidget(self.order_button)
        tools.addStretch(1)
        for b in (self.new_button, self.edit_button, self.delete_button):
            tools.addWidget(b)
        ql.addLayout(tools)
        self.panel = QuickReplyPanel()
        ql.addWidget(self.panel, 1)
        self.stack.addWidget(replies)
