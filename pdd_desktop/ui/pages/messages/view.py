"""站内信 layout: categories with unread counts, the rule-notice banner, the list and the reading pane.

Layout only; the controller (:mod:`.page`) fills it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from pdd_desktop.ui.i18n import tr
from pdd_desktop.ui.theme import TOKENS
from pdd_desktop.ui.widgets.page_frame import page_frame, search_edit


class MessagesPageView(QWidget):
    """The inbox's widgets.

    Public children: ``count_label``, ``all_read_button``, ``source_label``, ``rules_banner``
    (``rules_label``, ``rules_button``), ``categories`` (one row per category, ``全部`` first),
    ``search_edit``, ``unread_only``, ``read_button``, ``unread_button``, ``category_read_button``,
    ``table``, ``empty_label``, and the reading pane: ``title_label``, ``meta_label``, ``body``,
    ``pin_button``, ``toggle_read_button``.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.all_read_button = QPushButton(tr("全部标为已读"))
        self.all_read_button.setToolTip(tr("把所有分类的未读站内信都标为已读"))
        frame = page_frame(self, tr("站内信"), header_right=(self.all_read_button,))
        layout, self.count_label = frame.layout, frame.count_label
        frame.tabs.hide()  # categories are the list at the left

        self.source_label = QLabel("")
        self.source_label.setObjectName("Muted")
        self.source_label.setWordWrap(True)
        layout.addWidget(self.source_label)

        self.rules_banner = QFrame()
        self.rules_banner.setObjectName("RulesBanner")
        self.rules_banner.setStyleSheet(
            "#RulesBanner { background: #fff4e5; border-radius: 4px; "
            f"border: 1px solid {TOKENS['warning']}; }}"
        )
        banner = QHBoxLayout(self.rules_banner)
        banner.setContentsMargins(10, 6, 10, 6)
        self.rules_label = QLabel("")
        self.rules_label.setWordWrap(True)
        self.rules_label.setStyleSheet(f"color: {TOKENS['warning']}; font-weight: bold;")
        self.rules_button = QPushButton(tr("查看规则更新"))
        banner.addWidget(self.rules_label, 1)
        banner.addWidget(self.rules_button)
        self.rules_banner.hide()
        layout.addWidget(self.rules_banner)

        self.categories = QListWidget()
        self.categories.setMinimumWidth(150)
        self.categories.setMaximumWidth(200)
        self.categories.setSpacing(3)

        middle = QWidget()
        middle_layout = QVBoxLayout(middle)
        middle_layout.setContentsMargins(0, 0, 0, 0)
        middle_layout.setSpacing(6)
        tools = QHBoxLayout()
        self.search_edit = search_edit(tr("搜索标题或内容"), 220)
        self.unread_only = QCheckBox(tr("只看未读"))
        self.read_button = QPushButton(tr("标为已读"))
        self.unread_button = QPushButton(tr("标为未读"))
        self.category_read_button = QPushButton(tr("本类全部已读"))
        self.category_read_button.setToolTip(tr("把当前分类的未读站内信都标为已读"))
        for button in (self.read_button, self.unread_button):
            button.setEnabled(False)
        tools.addWidget(self.search_edit, 1)
        tools.addWidget(self.unread_only)
        tools.addWidget(self.read_button)
        tools.addWidget(self.unread_button)
        tools.addWidget(self.category_read_button)
        middle_layout.addLayout(tools)

        self.table = QTableView()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(26)
        self.table.horizontalHeader().setHighlightSections(False)
        self.table.horizontalHeader().setStretchLastSection(False)
        middle_layout.addWidget(self.table, 1)
        self.empty_label = QLabel("")
        self.empty_label.setObjectName("Muted")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.hide()
        middle_layout.addWidget(self.empty_label)

        reader = QWidget()
        reader_layout = QVBoxLayout(reader)
        reader_layout.setContentsMargins(8, 0, 0, 0)
        reader_layout.setSpacing(6)
        self.title_label = QLabel(tr("选择一条站内信阅读"))
        self.title_label.setObjectName("SectionTitle")
        self.title_label.setWordWrap(True)
        self.title_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.meta_label = QLabel("")
        self.meta_label.setObjectName("Muted")
        self.body = QPlainTextEdit()
        self.body.setReadOnly(True)
        actions = QHBoxLayout()
        self.pin_button = QPushButton(tr("置顶"))
        self.toggle_read_button = QPushButton(tr("标为未读"))
        for button in (self.pin_button, self.toggle_read_button):
            button.setEnabled(False)
        # A 系统提醒 from an alert: opens what the alert opens (已处理 once it resolved).
        self.alert_button = QPushButton("")
        self.alert_button.setObjectName("Primary")
        self.alert_button.hide()
        actions.addWidget(self.pin_button)
        actions.addWidget(self.toggle_read_button)
        actions.addStretch(1)
        actions.addWidget(self.alert_button)
        reader_layout.addWidget(self.title_label)
        reader_layout.addWidget(self.meta_label)
        reader_layout.addWidget(self.body, 1)
        reader_layout.addLayout(actions)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.categories)
        self.splitter.addWidget(middle)
        self.splitter.addWidget(reader)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setStretchFactor(2, 2)
        self.splitter.setSizes([160, 620, 420])
        layout.addWidget(self.splitter, 1)
