"""发货中心 layout: view tabs, filter bar, the order table and the detail pane. Layout only."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTextBrowser,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from pdd_desktop.ui.i18n import QT_TR_NOOP, tr
from pdd_desktop.ui.widgets.page_frame import page_frame

#: Time range presets of the filter bar: (key, label, days back; None = no limit).
TIME_PRESETS: tuple[tuple[str, str, int | None], ...] = (
    ("any", QT_TR_NOOP("不限"), None),
    ("today", QT_TR_NOOP("今天"), 0),
    ("3d", QT_TR_NOOP("近3天"), 2),
    ("7d", QT_TR_NOOP("近7天"), 6),
    ("30d", QT_TR_NOOP("近30天"), 29),
    ("90d", QT_TR_NOOP("近90天"), 89),
)

#: Combo data of the "自定义…" item: the range comes from the two date edits.
CUSTOM_RANGE = "custom"


def _line(placeholder: str, width: int) -> QLineEdit:
    edit = QLineEdit()
    edit.setPlaceholderText(placeholder)
    edit.setClearButtonEnabled(True)
    edit.setMinimumWidth(width)
    return edit


class OrdersPageView(QWidget):
    """The order workbench's widgets.

    Public children: ``tabs``, the filter editors, ``toolbar``, ``table``, ``detail``, ``memo_button``,
    ``reveal_button``, ``count_label``.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.exposure_label = QLabel("")
        self.exposure_label.setObjectName("Danger")
        self.exposure_label.setVisible(False)
        frame = page_frame(self, tr("发货中心"), header_right=(self.exposure_label,))
        layout, self.count_label, self.tabs = frame.layout, frame.count_label, frame.tabs

        filters = QGridLayout()
        filters.setHorizontalSpacing(8)
        filters.setVerticalSpacing(6)
        self.order_sn_edit = _line(tr("订单号（完整或任意片段）"), 190)
        self.buyer_edit = _line(tr("买家昵称"), 110)
        self.receiver_edit = _line(tr("收件人姓名或手机号（精确）"), 170)
        self.goods_edit = _line(tr("商品名 / 商品ID / 规格ID / 商家编码"), 200)
        self.memo_edit = _line(tr("留言或备注内容"), 120)
        self.flag_combo = QComboBox()
        self.flag_combo.addItem(tr("旗帜：全部"), None)
        self.flag_combo.addItem(tr("无旗帜"), 0)
        for value, name in enumerate(tr("红黄绿蓝紫"), start=1):
            self.flag_combo.addItem(tr("{name}旗").format(name=name), value)
        self.printed_combo = QComboBox()
        self.printed_combo.addItem(tr("打印：全部"), None)
        self.printed_combo.addItem(tr("已打印"), True)
        self.printed_combo.addItem(tr("未打印"), False)
        self.created_combo = QComboBox()
        self.paid_combo = QComboBox()
        for key, label, _days in TIME_PRESETS:
            self.created_combo.addItem(tr("下单：{label}").format(label=tr(label)), key)
            self.paid_combo.addItem(tr("支付：{label}").format(label=tr(label)), key)
        self.created_combo.addItem(tr("下单：自定义…"), CUSTOM_RANGE)
        self.paid_combo.addItem(tr("支付：自定义…"), CUSTOM_RANGE)
        self.sort_combo = QComboBox()
        self.saved_combo = QComboBox()
        self.saved_combo.setMinimumWidth(120)
        # A custom range of Beijing days (both inclusive), shown when "自定义…" is chosen.
        self.range_label = QLabel("")
        self.range_from_edit = QDateEdit()
        self.range_to_edit = QDateEdit()
        for edit in (self.range_from_edit, self.range_to_edit):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.range_box = QWidget()
        range_layout = QHBoxLayout(self.range_box)
        range_layout.setContentsMargins(0, 0, 0, 0)
        range_layout.addWidget(self.range_label)
        range_layout.addWidget(self.range_from_edit)
        range_layout.addWidget(QLabel(tr("至")))
        range_layout.addWidget(self.range_to_edit)
        self.range_box.setVisible(False)
        self.save_filter_button = QPushButton(tr("保存筛选"))
        self.delete_filter_button = QPushButton(tr("删除此常用筛选"))
        self.delete_filter_button.setEnabled(False)
        self.delete_filter_button.setToolTip(tr("删除上面选中的常用筛选（订单不受影响）"))
        self.reset_button = QPushButton(tr("重置"))
        #: Shown while the list is limited to given orders (数据's click-through); a click clears it.
        self.ids_chip = QPushButton("")
        self.ids_chip.setToolTip(tr("只显示这些订单；点击取消这个条件"))
        self.ids_chip.setVisible(False)
        filters.addWidget(self.order_sn_edit, 0, 0)
        filters.addWidget(self.buyer_edit, 0, 1)
        filters.addWidget(self.receiver_edit, 0, 2)
        filters.addWidget(self.goods_edit, 0, 3)
        filters.addWidget(self.memo_edit, 0, 4)
        filters.addWidget(self.reset_button, 0, 5)
        row2 = QHBoxLayout()
        for w in (self.flag_combo, self.printed_combo, self.created_combo, self.paid_combo, self.range_box):
            row2.addWidget(w)
        row2.addWidget(self.ids_chip)
        row2.addWidget(self.sort_combo)
        row2.addStretch(1)
        row2.addWidget(QLabel(tr("常用筛选")))
        row2.addWidget(self.saved_combo)
        row2.addWidget(self.save_filter_button)
        row2.addWidget(self.delete_filter_button)
        filters.addLayout(row2, 1, 0, 1, 6)
        layout.addLayout(filters)

        self.toolbar = QToolBar()  # shipping actions (ShippingActions fills it)
        layout.addWidget(self.toolbar)
        # Always visible under the toolbar (never inside it, where an overflow could hide it):
        # the selection or why it cannot ship, and the outcome of the last action.
        self.status_line = QHBoxLayout()
        self.status_line.setContentsMargins(4, 0, 4, 0)
        layout.addLayout(self.status_line)

        self.table = QTableView()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setSortingEnabled(False)  # sorting re-runs SQL (sort combo)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(26)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.horizontalHeader().setHighlightSections(False)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)

        detail_box = QWidget()
        detail_layout = QVBoxLayout(detail_box)
        detail_layout.setContentsMargins(8, 0, 0, 0)
        self.detail = QTextBrowser()
        self.detail.setOpenLinks(False)
        self.detail.setPlaceholderText(tr("选择一个订单查看详情"))
        self.reveal_button = QPushButton(tr("查看完整收件信息"))
        self.reveal_button.setEnabled(False)
        self.reveal_button.setToolTip(tr("显示未打码的姓名、电话和地址；每次查看都会记入操作日志"))
        self.memo_button = QPushButton(tr("修改备注/旗帜"))
        self.memo_button.setEnabled(False)
        self.memo_button.setToolTip(tr("商家备注和旗帜只有自己能看到；下次同步时更新到平台"))
        buttons = QHBoxLayout()
        buttons.addWidget(self.reveal_button, 1)
        buttons.addWidget(self.memo_button, 1)
        detail_layout.addLayout(buttons)
        detail_layout.addWidget(self.detail, 1)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(detail_box)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([900, 260])
        layout.addWidget(self.splitter, 1)
