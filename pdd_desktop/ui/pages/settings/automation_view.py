"""设置 → 自动化 layout: the rule list and its buttons. Layout only."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from pdd_desktop.ui.i18n import QT_TR_NOOP, tr

#: Columns of the rule table.
RULE_COLUMNS = (
    QT_TR_NOOP("规则"),
    QT_TR_NOOP("状态"),
    QT_TR_NOOP("设置"),
    QT_TR_NOOP("今天执行"),
    QT_TR_NOOP("上次运行"),
)


class AutomationView(QGroupBox):
    """Public children are the table, the buttons and the labels named below."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(tr("自动化"), parent)
        layout = QVBoxLayout(self)
        intro = QLabel(
            tr(
                "规则在每次同步后和每 5 分钟自动运行，和手动操作一样上传平台并记入操作记录；"
                "有同步冲突或还有改动在等待上传的订单不会被处理。启用前会先预览将处理的订单。"
            )
        )
        intro.setWordWrap(True)
        intro.setObjectName("Muted")
        layout.addWidget(intro)
        self.rule_table = QTableWidget(0, len(RULE_COLUMNS))
        self.rule_table.setHorizontalHeaderLabels([tr(c) for c in RULE_COLUMNS])
        self.rule_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.rule_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.rule_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.rule_table.verticalHeader().setVisible(False)
        header = self.rule_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.rule_table.setMinimumHeight(200)
        layout.addWidget(self.rule_table)
        self.problem_label = QLabel("")
        self.problem_label.setObjectName("Danger")
        self.problem_label.setWordWrap(True)
        self.problem_label.setVisible(False)
        layout.addWidget(self.problem_label)
        buttons = QHBoxLayout()
        self.enable_button = QPushButton(tr("预览并启用…"))
        self.edit_button = QPushButton(tr("修改设置…"))
        self.disable_button = QPushButton(tr("停用"))
        self.disable_button.setToolTip(tr("停用这条规则：不再自动运行，设置和执行记录都保留，可随时重新启用"))
        self.run_button = QPushButton(tr("立即运行"))
        self.run_button.setToolTip(tr("马上按当前设置运行一次（定时打印也会马上打印一批）"))
        self.log_button = QPushButton(tr("执行记录…"))
        self.holds_button = QPushButton(tr("暂停发货的订单…"))
        for b in (self.enable_button, self.edit_button, self.disable_button, self.run_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.log_button)
        buttons.addWidget(self.holds_button)
        layout.addLayout(buttons)
        self.status_label = QLabel("")
        self.status_label.setWordWrap(True)
        layout.addWidget(self.status_label)
