"""商品 layout: tabs with counts, search, the goods table, the selected goods' SKUs and stock log.

Layout only; the controller (:mod:`.page`) fills it.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from pdd_desktop.ui.i18n import QT_TR_NOOP, tr
from pdd_desktop.ui.widgets.page_frame import page_frame, search_edit
from pdd_desktop.ui.widgets.tables import report_table

#: Columns of the SKU table.
#: Goods thumbnails (the list's 主图 column) and the row height that holds them.
THUMB_ICON = 32
THUMB_ROW_HEIGHT = 38

#: What the list says while the shop has no goods at all.
EMPTY_TEXT = QT_TR_NOOP(
    "还没有商品。点“导入商品表…”导入拼多多商家后台 商品管理 导出的商品/库存表；"
    "接入拼多多开放平台的店铺同步后会自动带来全部商品。新商品需要在拼多多商家后台发布。"
)
SKU_HEADERS = (
    QT_TR_NOOP("规格"),
    QT_TR_NOOP("商家编码"),
    QT_TR_NOOP("拼单价"),
    QT_TR_NOOP("单买价"),
    QT_TR_NOOP("成本价"),
    QT_TR_NOOP("库存"),
    QT_TR_NOOP("未发货占用"),
    QT_TR_NOOP("可用"),
    QT_TR_NOOP("预警值"),
    QT_TR_NOOP("重量(g)"),
    QT_TR_NOOP("待上传"),
)
#: Columns of the stock movement log.
MOVEMENT_HEADERS = (
    QT_TR_NOOP("时间"),
    QT_TR_NOOP("类型"),
    QT_TR_NOOP("变动"),
    QT_TR_NOOP("变动后库存"),
    QT_TR_NOOP("订单号 / 备注"),
)


class GoodsPageView(QWidget):
    """The goods page's widgets.

    Public children: ``tabs``, ``search_edit``, ``ids_chip``, ``import_button``, ``export_button``,
    ``count_sheet_button``, ``count_label``, ``table`` (goods, several rows selectable), ``goods_label``,
    ``stock_button``, ``price_button``,
    ``sku_local_button``, ``goods_local_button``, ``shelf_button``,
    ``message_label``, ``sku_table``, ``movement_label``, ``movement_table``, ``inbound_button``,
    ``stocktake_button``, ``movement_kind_combo``, ``movement_date_check``, ``movement_from_edit``,
    ``movement_to_edit``, ``listing_button``, ``empty_label``.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.import_button = QPushButton(tr("导入商品表…"))
        self.import_button.setToolTip(tr("导入拼多多后台导出的商品/库存表（CSV 或 XLSX）"))
        self.export_button = QPushButton(tr("导出商品…"))
        self.export_button.setToolTip(
            tr("把全部商品和库存导出为表格（与导入商品表的格式相同，可修改后再导入）")
        )
        self.stocktake_button = QPushButton(tr("盘点导入…"))
        self.stocktake_button.setToolTip(
            tr("导入盘点表（样式ID 或 商家编码 + 盘点数量），把库存改为盘点数量并记录差异")
        )
        self.count_sheet_button = QPushButton(tr("导出盘点表…"))
        self.count_sheet_button.setToolTip(
            tr("导出全部规格的盘点表（含账面库存），填写“盘点数量”后用“盘点导入”导回")
        )
        self.listing_button = QPushButton(tr("发布新商品…"))
        self.listing_button.setToolTip(tr("新商品需要在拼多多商家后台发布"))
        frame = page_frame(
            self,
            tr("商品"),
            header_right=(
                self.listing_button,
                self.count_sheet_button,
                self.stocktake_button,
                self.export_button,
                self.import_button,
            ),
        )
        layout, self.count_label, self.tabs = frame.layout, frame.count_label, frame.tabs
        self.search_edit = search_edit(tr("商品名称 / 商品ID / 商家编码"))
        frame.tab_row.addWidget(self.search_edit)
        #: Shown while the list is limited to an alert's SKUs; a click clears it.
        self.ids_chip = QPushButton("")
        self.ids_chip.setToolTip(tr("只显示这些规格所在的商品；点击取消这个条件"))
        self.ids_chip.setVisible(False)
        frame.tab_row.addWidget(self.ids_chip)

        self.table = QTableView()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setSortingEnabled(True)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(THUMB_ROW_HEIGHT)
        self.table.setIconSize(QSize(THUMB_ICON, THUMB_ICON))
        self.table.horizontalHeader().setHighlightSections(False)
        self.table.horizontalHeader().setStretchLastSection(True)

        detail = QWidget()
        detail_layout = QVBoxLayout(detail)
        detail_layout.setContentsMargins(0, 6, 0, 0)
        detail_layout.setSpacing(6)
        actions = QHBoxLayout()
        self.goods_label = QLabel(tr("选择一个商品查看规格和库存"))
        self.goods_label.setObjectName("SectionTitle")
        self.goods_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.stock_button = QPushButton(tr("改库存"))
        self.price_button = QPushButton(tr("改价格"))
        self.shelf_button = QPushButton(tr("下架"))
        self.inbound_button = QPushButton(tr("入库…"))
        self.sku_local_button = QPushButton(tr("成本/预警…"))
        self.goods_local_button = QPushButton(tr("商品设置…"))
        for button, tip in (
            (self.inbound_button, tr("所选规格采购入库：增加库存并按进货单价更新成本价")),
            (self.sku_local_button, tr("修改所选规格（可多选）的成本价、库存预警值和商家编码；只保存在本机")),
            (self.goods_local_button, tr("修改所选商品（可多选）的承诺发货时间和商家编码；只保存在本机")),
            (self.stock_button, tr("修改所选规格的库存；下次同步时上传到拼多多")),
            (self.price_button, tr("修改所选规格的拼单价和单买价；下次同步时上传到拼多多")),
            (self.shelf_button, tr("上架或下架所选商品；下次同步时上传到拼多多")),
        ):
            button.setEnabled(False)
            button.setToolTip(tip)
        self.message_label = QLabel("")
        self.message_label.setWordWrap(True)
        actions.addWidget(self.goods_label, 1)
        actions.addWidget(self.stock_button)
        actions.addWidget(self.inbound_button)
        actions.addWidget(self.price_button)
        actions.addWidget(self.sku_local_button)
        actions.addWidget(self.goods_local_button)
        actions.addWidget(self.shelf_button)
        detail_layout.addLayout(actions)
        detail_layout.addWidget(self.message_label)

        self.sku_table = report_table([tr(h) for h in SKU_HEADERS])
        self.sku_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.sku_table.verticalHeader().setDefaultSectionSize(26)
        self.sku_table.setWordWrap(False)
        self.sku_table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        movements = QWidget()
        movement_layout = QVBoxLayout(movements)
        movement_layout.setContentsMargins(8, 0, 0, 0)
        movement_layout.setSpacing(4)
        self.movement_label = QLabel(tr("库存流水"))
        self.movement_label.setObjectName("Muted")
        self.movement_table = report_table([tr(h) for h in MOVEMENT_HEADERS])
        self.movement_table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.movement_table.verticalHeader().setDefaultSectionSize(24)
        self.movement_table.setWordWrap(False)
        movement_layout.addWidget(self.movement_label)
        filters = QHBoxLayout()
        filters.setSpacing(4)
        self.movement_kind_combo = QComboBox()
        self.movement_date_check = QCheckBox(tr("日期"))
        self.movement_from_edit = QDateEdit()
        self.movement_to_edit = QDateEdit()
        for edit in (self.movement_from_edit, self.movement_to_edit):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setEnabled(False)
        filters.addWidget(self.movement_kind_combo)
        filters.addWidget(self.movement_date_check)
        filters.addWidget(self.movement_from_edit)
        filters.addWidget(QLabel(tr("至")))
        filters.addWidget(self.movement_to_edit)
        filters.addStretch(1)
        movement_layout.addLayout(filters)
        movement_layout.addWidget(self.movement_table, 1)

        lower = QSplitter(Qt.Orientation.Horizontal)
        lower.addWidget(self.sku_table)
        lower.addWidget(movements)
        lower.setStretchFactor(0, 3)
        lower.setStretchFactor(1, 2)
        lower.setSizes([880, 400])
        detail_layout.addWidget(lower, 1)

        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(detail)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([380, 360])
        #: Shown while the shop has no goods at all: how goods get here.
        self.empty_label = QLabel(tr(EMPTY_TEXT))
        self.empty_label.setObjectName("Muted")
        self.empty_label.setWordWrap(True)
        self.empty_label.setVisible(False)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.splitter, 1)
