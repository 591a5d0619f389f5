"""售后 layout: status tabs, search, the case table and the detail panel. Layout only."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from pdd_desktop.ui.i18n import QT_TR_NOOP, tr
from pdd_desktop.ui.widgets.page_frame import page_frame, search_edit

#: (key, header, width) of the case table, in order.
COLUMNS: tuple[tuple[str, str, int], ...] = (
    ("id", QT_TR_NOOP("售后单号"), 96),
    ("order_sn", QT_TR_NOOP("订单号"), 176),
    ("type", QT_TR_NOOP("类型"), 64),
    ("status", QT_TR_NOOP("状态"), 170),
    ("countdown", QT_TR_NOOP("剩余处理时间"), 92),
    ("refund", QT_TR_NOOP("退款金额"), 76),
    ("goods", QT_TR_NOOP("商品"), 200),
    ("reason", QT_TR_NOOP("原因"), 100),
    ("created", QT_TR_NOOP("申请时间"), 120),
)
#: What the list says while the shop has no after-sales case at all.
EMPTY_TEXT = QT_TR_NOOP(
    "还没有售后单。买家的退款、退货申请由同步从拼多多取得：在 设置 → 同步方式 选择"
    "“拼多多开放平台 API”并填写应用信息后，每次同步都会带来新的售后单；导入的订单表只带来订单的售后状态。"
)
COLUMN_INDEX = {key: i for i, (key, _header, _width) in enumerate(COLUMNS)}


class AfterSalesPageView(QWidget):
    """The 售后 page's widgets.

    Public children: ``tabs``, ``search_edit``, ``ids_chip``, ``count_label``, ``table``, ``detail``,
    ``refund_button``, ``return_button``, ``received_button``, ``reject_button``, ``exchange_button``,
    ``intercept_button``, ``ledger_button``,
    ``message_label``, ``empty_label``, ``splitter``.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.search_edit = search_edit(tr("订单号或售后单号（完整或任意片段）"))
        self.ledger_button = QPushButton(tr("退款统计"))
        self.ledger_button.setToolTip(tr("按日、商品、原因统计退款金额，以及各商品的退款率"))
        frame = page_frame(self, tr("售后"), header_right=(self.ledger_button, self.search_edit))
        layout, self.count_label, self.tabs = frame.layout, frame.count_label, frame.tabs
        #: Shown while the list is limited to an alert's cases; a click clears it.
        self.ids_chip = QPushButton("")
        self.ids_chip.setToolTip(tr("只显示这些售后单；点击取消这个条件"))
        self.ids_chip.setVisible(False)
        frame.tab_row.addWidget(self.ids_chip)

        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels([tr(header) for _key, header, _width in COLUMNS])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setSortingEnabled(True)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(26)
        head = self.table.horizontalHeader()
        head.setHighlightSections(False)
        head.setStretchLastSection(True)
        for i, (_key, _header, width) in enumerate(COLUMNS):
            head.resizeSection(i, width)

        detail_box = QWidget()
        detail_layout = QVBoxLayout(detail_box)
        detail_layout.setContentsMargins(8, 0, 0, 0)
        self.refund_button = QPushButton(tr("同意退款"))
        self.return_button = QPushButton(tr("同意退货"))
        self.received_button = QPushButton(tr("确认收货并退款"))
        self.reject_button = QPushButton(tr("拒绝…"))
        self.exchange_button = QPushButton(tr("换货/补寄发货"))
        self.intercept_button = QPushButton(tr("拦截发货"))
        for button in (
            self.refund_button,
            self.return_button,
            self.received_button,
            self.reject_button,
            self.exchange_button,
            self.intercept_button,
        ):
            button.setEnabled(False)
            button.setToolTip(tr("先在左侧选择一个售后单"))
        buttons = QHBoxLayout()
        buttons.addWidget(self.refund_button, 1)
        buttons.addWidget(self.return_button, 1)
        buttons.addWidget(self.intercept_button, 1)
        more = QHBoxLayout()
        more.addWidget(self.received_button, 1)
        more.addWidget(self.exchange_button, 1)
        more.addWidget(self.reject_button, 1)
        self.message_label = QLabel("")
        self.message_label.setWordWrap(True)
        self.message_label.setVisible(False)
        self.message_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail = QTextBrowser()
        self.detail.setOpenLinks(False)
        self.detail.setPlaceholderText(tr("选择一个售后单查看详情"))
        detail_layout.addLayout(buttons)
        detail_layout.addLayout(more)
        detail_layout.addWidget(self.message_label)
        detail_layout.addWidget(self.detail, 1)

        #: Shown while the shop has no after-sales case at all: where cases come from.
        self.empty_label = QLabel(tr(EMPTY_TEXT))
        self.empty_label.setObjectName("Muted")
        self.empty_label.setWordWrap(True)
        self.empty_label.setVisible(False)
        layout.addWidget(self.empty_label)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(detail_box)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([900, 380])
        layout.addWidget(self.splitter, 1)
