"""商品 controller: the goods list, the selected goods' SKUs and stock log, stock/price/shelf edits.

Every read and write runs on the job runner's database lane; the widgets only get frozen rows
from :mod:`pdd_desktop.services.goods`. A write's ``Changes`` go out through
``events.changes_applied``, which also makes this page reload (``relevant`` has ``goods``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QDate,
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    QStandardPaths,
    Qt,
    QTimer,
    QUrl,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QDesktopServices, QPixmap
from PySide6.QtWidgets import QFileDialog, QMessageBox, QTableWidgetItem, QVBoxLayout

from pdd_desktop.common import clock
from pdd_desktop.common.timefmt import format_ts, local_date_start, to_local
from pdd_desktop.domain.money import format_yuan
from pdd_desktop.services import cost_history, goods, goods_export, goods_local, stock
from pdd_desktop.services.thumbnails import ThumbnailCache, fetch_url
from pdd_desktop.ui.dialogs.error import user_message
from pdd_desktop.ui.dialogs.form import FormDialog
from pdd_desktop.ui.i18n import QT_TR_NOOP, tr
from pdd_desktop.ui.ops import LatestQuery, ReadOp, WriteOp
from pdd_desktop.ui.pages.base import Page, PageContext
from pdd_desktop.ui.pages.goods.dialogs import PriceDialog, StockDialog
from pdd_desktop.ui.pages.goods.local_dialogs import GoodsLocalDialog, SkuLocalDialog
from pdd_desktop.ui.pages.goods.stock_dialogs import InboundDialog, StocktakeDialog
from pdd_desktop.ui.pages.goods.thumbs import ThumbnailLoader
from pdd_desktop.ui.pages.goods.view import GoodsPageView
from pdd_desktop.ui.theme import TOKENS

#: Typing pauses this long before the search runs.
DEBOUNCE_MS = 250
#: Thumbnails are asked for once scrolling pauses this long (a fling asks for nothing on the way).
THUMB_DELAY_MS = 40
#: Stock movements shown for the selected SKU.
MOVEMENT_LIMIT = 100
#: Why 发布新商品 is not done here. The open platform has a goods-add API (``pdd.goods.add``, listed
#: in the SDK index of SchafferJ/open-pdd ``src/http/model/goods/mod.rs``; not in pdd-open-api.md
#: §6), but a listing needs the category's properties, a freight template and images uploaded
#: through further APIs first: the app does not create listings rather than half-create them.
LISTING_TEXT = QT_TR_NOOP(
    "新商品请在拼多多商家后台发布（商品管理 → 发布新商品）：发布商品需要选择类目、填写类目属性、"
    "设置运费模板并上传图片，本软件不能代为发布。\n\n"
    "发布后，已接入拼多多同步的店铺会在下次同步时把新商品带到这里；"
    "用表格管理的店铺可以用“导入商品表”添加。"
)
#: The merchant backend, where listings are made.
MERCHANT_BACKEND_URL = "https://mms.pinduoduo.com"
#: The status line after a successful edit.
SAVED_MESSAGE = QT_TR_NOOP("已修改，等待同步上传")

_DANGER = QColor(TOKENS["danger"])
_WARNING = QColor(TOKENS["warning"])
_MUTED = QColor(TOKENS["muted"])
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_Index = QModelIndex | QPersistentModelIndex


def price_range(low: int | None, high: int | None) -> str:
    """``¥19.90`` or ``¥19.90 ~ ¥29.90``; ``—`` for a goods without SKUs."""
    if low is None or high is None:
        return "—"
    return format_yuan(low) if low == high else f"{format_yuan(low)} ~ {format_yuan(high)}"


def status_text(row: goods.GoodsRow) -> str:
    """在售 / 已下架, with 待上传 when a local edit waits for upload."""
    text = tr("在售") if row.is_onsale else tr("已下架")
    return tr("{text} · 待上传").format(text=text) if row.pending else text


@dataclass(frozen=True)
class GoodsColumn:
    """A goods-table column: header, width, display text, sort key, alignment."""

    key: str
    header: str
    width: int
    text: Callable[[goods.GoodsRow], str]
    sort_key: Callable[[goods.GoodsRow], Any]
    right: bool = False


def sku_count_text(row: goods.GoodsRow) -> str:
    """``9``, or ``9（2 个库存低）`` when some variants are at or below their warning level."""
    if row.low_sku_count:
        return tr("{sku_count}（{low_sku_count} 个库存低）").format(
            sku_count=row.sku_count, low_sku_count=row.low_sku_count
        )
    return str(row.sku_count)


GOODS_COLUMNS: tuple[GoodsColumn, ...] = (
    GoodsColumn("thumb", QT_TR_NOOP("主图"), 52, lambda _r: "", lambda r: not r.image_url),
    GoodsColumn("name", QT_TR_NOOP("商品名称"), 260, lambda r: r.name, lambda r: r.name),
    GoodsColumn("goods_id", QT_TR_NOOP("商品ID"), 120, lambda r: str(r.goods_id), lambda r: r.goods_id),
    GoodsColumn("outer", QT_TR_NOOP("商家编码"), 100, lambda r: r.outer_goods_id, lambda r: r.outer_goods_id),
    GoodsColumn(
        "skus", QT_TR_NOOP("规格数"), 100, sku_count_text, lambda r: (r.low_sku_count, r.sku_count), True
    ),
    GoodsColumn(
        "stock", QT_TR_NOOP("总库存"), 80, lambda r: f"{r.total_stock:,}", lambda r: r.total_stock, True
    ),
    GoodsColumn(
        "available",
        QT_TR_NOOP("可用库存"),
        80,
        lambda r: f"{r.available_stock:,}",
        lambda r: r.available_stock,
        True,
    ),
    GoodsColumn(
        "price",
        QT_TR_NOOP("拼单价"),
        150,
        lambda r: price_range(r.min_group_fen, r.max_group_fen),
        lambda r: (r.min_group_fen or 0, r.max_group_fen or 0),
        True,
    ),
    GoodsColumn("status", QT_TR_NOOP("状态"), 110, status_text, lambda r: (not r.is_onsale, not r.pending)),
)


THUMB_COLUMN = next(i for i, c in enumerate(GOODS_COLUMNS) if c.key == "thumb")


class GoodsTableModel(QAbstractTableModel):
    """The goods list; sorting reorders the rows in memory (a shop has at most a few thousand)."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.rows: list[goods.GoodsRow] = []
        self._sort: tuple[int, Qt.SortOrder] | None = None
        #: The thumbnail of an image URL (a lookup, never a load); None: no thumbnail column art.
        self.thumbnail: Callable[[str], QPixmap] | None = None

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(GOODS_COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return tr(GOODS_COLUMNS[section].header)
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        column = GOODS_COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(row)
        if role == Qt.ItemDataRole.DecorationRole and column.key == "thumb" and self.thumbnail is not None:
            return self.thumbnail(row.image_url)
        if role == Qt.ItemDataRole.TextAlignmentRole and column.right:
            return _RIGHT
        if role == Qt.ItemDataRole.ForegroundRole:
            # A low variant is marked where variants are counted (and red in its own row of the
            # variant table), never on the goods' total, which is not itself low.
            if column.key == "skus" and row.low_sku_count:
                return QBrush(_WARNING)
            if column.key == "status":
                if row.pending:
                    return QBrush(_WARNING)
                if not row.is_onsale:
                    return QBrush(_MUTED)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column.key == "available":
                held = row.total_stock - row.available_stock
                tip = tr("总库存 {total_stock:,} − 未发货订单占用 {held:,}").format(
                    total_stock=row.total_stock, held=held
                )
                return tip
            if column.key == "skus" and row.low_sku_count:
                return tr("{low_sku_count} 个规格的可用库存不高于预警值；选中商品后在规格表中标红").format(
                    low_sku_count=row.low_sku_count
                )
            if column.key in ("name", "thumb"):
                return row.name
            if column.key == "status" and row.pending:
                return tr("本机修改尚未同步到拼多多")
        return None

    def set_rows(self, rows: tuple[goods.GoodsRow, ...]) -> None:
        """Replace the rows, keeping the current sort."""
        self.beginResetModel()
        self.rows = list(rows)
        self._apply_sort()
        self.endResetModel()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._sort = (column, order)
        self.layoutAboutToBeChanged.emit()
        old = list(self.rows)
        self._apply_sort()
        persistent = self.persistentIndexList()
        new_pos = {r.goods_id: i for i, r in enumerate(self.rows)}
        self.changePersistentIndexList(
            persistent,
            [self.index(new_pos[old[p.row()].goods_id], p.column()) for p in persistent],
        )
        self.layoutChanged.emit()

    def _apply_sort(self) -> None:
        if self._sort is None:
            return
        column, order = self._sort
        if not 0 <= column < len(GOODS_COLUMNS):
            return
        key = GOODS_COLUMNS[column].sort_key
        self.rows.sort(key=key, reverse=order == Qt.SortOrder.DescendingOrder)

    def thumbnails_changed(self, first: int, last: int) -> None:
        """Repaint the thumbnail cells of rows ``first``..``last``."""
        if self.rows and 0 <= first <= last < len(self.rows):
            top, bottom = self.index(first, THUMB_COLUMN), self.index(last, THUMB_COLUMN)
            self.dataChanged.emit(top, bottom, [Qt.ItemDataRole.DecorationRole])

    def position_of(self, goods_id: int) -> int | None:
        """Row of a goods, or None when it is not listed."""
        for i, row in enumerate(self.rows):
            if row.goods_id == goods_id:
                return i
        return None


def _item(text: str, *, right: bool = False, color: QColor | None = None, tip: str = "") -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    if right:
        item.setTextAlignment(_RIGHT)
    if color is not None:
        item.setForeground(QBrush(color))
    if tip:
        item.setToolTip(tip)
    return item


class GoodsPage(Page):
    """商品: filter tabs with counts, search, goods and SKU tables, stock log, stock/price/shelf edits."""

    key = "goods"
    title = QT_TR_NOOP("商品")
    icon_name = "goods"
    relevant = ("goods", "orders", "shipments", "sync")

    #: A list answer was shown (tests and benchmarks wait on it).
    results_shown = Signal()
    #: The SKU table shows a goods (its id).
    detail_shown = Signal(object)

    def __init__(self, ctx: PageContext, parent=None) -> None:
        super().__init__(ctx, parent)
        self.view = GoodsPageView(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        self.model = GoodsTableModel(self)
        self.view.table.setModel(self.model)
        self.counts: dict[str, int] = {}
        self.detail: goods.GoodsDetail | None = None
        self.movements: tuple[goods.MovementRow, ...] = ()
        self.stock_dialog: StockDialog | None = None
        self.price_dialog: PriceDialog | None = None
        self.sku_local_dialog: SkuLocalDialog | None = None
        self.goods_local_dialog: GoodsLocalDialog | None = None
        self.inbound_dialog: InboundDialog | None = None
        self.stocktake_dialog: StocktakeDialog | None = None
        self._goods_id: int | None = None
        self._sku_id: int | None = None
        self._list_query = LatestQuery(self)
        self._sku_ids: tuple[int, ...] = ()  #: an alert's SKUs: only their goods are listed
        self._ids_label = ""
        self.view.ids_chip.clicked.connect(self.clear_sku_ids)
        self._detail_query = LatestQuery(self)
        self._movement_query = LatestQuery(self)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        platform = ctx.platform
        self.thumbs = ThumbnailLoader(
            self,
            ThumbnailCache(
                ctx.paths.shop_dir / "thumbs",
                platform.image_fetch_url if platform is not None else lambda url: fetch_url(url, None),
            ),
        )
        self.model.thumbnail = self.thumbs.pixmap
        self._thumb_timer = QTimer(self)
        self._thumb_timer.setSingleShot(True)
        self._thumb_timer.setInterval(THUMB_DELAY_MS)
        self._setup_widgets()
        self._connect_signals()

    # --- setup ---
    def _setup_widgets(self) -> None:
        v = self.view
        for key, label in goods.GOODS_VIEWS:
            index = v.tabs.addTab(label)
            v.tabs.setTabData(index, key)
        header = v.table.horizontalHeader()
        for i, column in enumerate(GOODS_COLUMNS):
            header.resizeSection(i, column.width)
        header.setSortIndicatorShown(True)
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        sku_widths = (150, 140, 72, 72, 72, 62, 74, 62, 52, 60, 100)
        for i, width in enumerate(sku_widths):
            v.sku_table.horizontalHeader().resizeSection(i, width)
        for i, width in enumerate((118, 40, 56, 72)):
            v.movement_table.horizontalHeader().resizeSection(i, width)
        v.movement_kind_combo.addItem(tr("全部类型"), None)
        for key, label in goods.MOVEMENT_KIND_LABELS.items():
            v.movement_kind_combo.addItem(tr(label), key)
        today = to_local(clock.now()).date()
        v.movement_to_edit.setDate(QDate(today.year, today.month, today.day))
        v.movement_from_edit.setDate(QDate(today.year, today.month, today.day).addDays(-30))

    def _connect_signals(self) -> None:
        v = self.view
        v.tabs.currentChanged.connect(lambda _i: self.refresh())
        v.search_edit.textChanged.connect(lambda _t: self._debounce.start())
        v.search_edit.returnPressed.connect(self.refresh)
        self._debounce.timeout.connect(self.refresh)
        v.table.selectionModel().currentRowChanged.connect(self._on_goods_row_changed)
        self._thumb_timer.timeout.connect(self.request_visible_thumbnails)
        v.table.verticalScrollBar().valueChanged.connect(lambda _v: self._thumb_timer.start())
        v.table.viewport().installEventFilter(self)
        self.thumbs.loaded.connect(self._thumbnails_loaded)
        v.sku_table.currentCellChanged.connect(lambda row, _c, _pr, _pc: self._on_sku_row_changed(row))
        v.sku_table.cellDoubleClicked.connect(lambda _r, _c: self.edit_stock())
        v.stock_button.clicked.connect(self.edit_stock)
        v.price_button.clicked.connect(self.edit_price)
        v.shelf_button.clicked.connect(self.toggle_onsale)
        v.sku_local_button.clicked.connect(self.edit_sku_local)
        v.goods_local_button.clicked.connect(self.edit_goods_local)
        v.table.selectionModel().selectionChanged.connect(lambda _s, _d: self._update_buttons())
        v.sku_table.itemSelectionChanged.connect(self._update_buttons)
        v.import_button.clicked.connect(lambda: self.ctx.events.import_requested.emit(""))
        v.export_button.clicked.connect(self.export_goods)
        v.stocktake_button.clicked.connect(self.import_stocktake)
        v.count_sheet_button.clicked.connect(self.export_count_sheet)
        v.listing_button.clicked.connect(self.explain_listing)
        v.inbound_button.clicked.connect(self.receive_inbound)
        v.movement_kind_combo.currentIndexChanged.connect(lambda _i: self._reload_movements())
        v.movement_date_check.toggled.connect(self._on_date_filter_toggled)
        v.movement_from_edit.dateChanged.connect(lambda _d: self._reload_movements())
        v.movement_to_edit.dateChanged.connect(lambda _d: self._reload_movements())

    # --- the list ---
    def current_view(self) -> str:
        """Key of the chosen tab."""
        tabs = self.view.tabs
        return tabs.tabData(tabs.currentIndex()) or "all"

    def apply_quick_filter(self, home_key: str) -> None:
        """A home counter was clicked: 库存不足 opens the low-stock tab."""
        if home_key == "low_stock":
            self._set_sku_ids((), "")
            self.view.search_edit.clear()
            self.set_view("low_stock")

    def show_skus(self, sku_ids: tuple[int, ...], label: str) -> None:
        """List only the goods of ``sku_ids`` (an alert's button), on the 全部 tab, no search."""
        self._set_sku_ids(tuple(sku_ids), label)
        self.view.search_edit.blockSignals(True)
        self.view.search_edit.clear()
        self.view.search_edit.blockSignals(False)
        if self.current_view() != "all":
            self.set_view("all")  # reloads the list
        else:
            self.refresh()

    def clear_sku_ids(self) -> None:
        """The chip was clicked: list every goods again."""
        self._set_sku_ids((), "")
        self.refresh()

    def _set_sku_ids(self, ids: tuple[int, ...], label: str) -> None:
        self._sku_ids, self._ids_label = ids, label
        chip = self.view.ids_chip
        chip.setText(tr("✕ {label}（{count:,} 个规格）").format(label=label, count=len(ids)))
        chip.setVisible(bool(ids))

    def set_view(self, key: str) -> None:
        """Switch to the tab ``key`` (which reloads the list)."""
        for i in range(self.view.tabs.count()):
            if self.view.tabs.tabData(i) == key:
                self.view.tabs.setCurrentIndex(i)
                return

    def refresh(self) -> None:
        """Reload the list (and then the selected goods) on the database lane."""
        self._debounce.stop()
        view, search = self.current_view(), self.view.search_edit.text().strip()
        sku_ids = self._sku_ids
        self.view.count_label.setText(tr("正在查询…"))
        self._list_query.run(
            lambda: goods.goods_list(view=view, search=search, sku_ids=sku_ids),
            self._on_list,
            self._on_list_failed,
        )

    def _on_list(self, result: goods.GoodsList) -> None:
        self.counts = dict(result.counts)
        labels = dict(goods.GOODS_VIEWS)
        tabs = self.view.tabs
        for i in range(tabs.count()):
            key = tabs.tabData(i)
            tabs.setTabText(i, f"{labels[key]} {self.counts.get(key, 0):,}")
        self.model.set_rows(result.rows)
        filtered = bool(self._sku_ids or self.view.search_edit.text().strip())
        self.view.empty_label.setVisible(self.counts.get("all", 0) == 0 and not filtered)
        self.view.count_label.setText(tr("共 {count:,} 个商品").format(count=len(result.rows)))
        self.request_visible_thumbnails()  # the first screen's, at once (cached ones are quick)
        self._thumb_timer.start()  # and again once the table has its final geometry
        keep = self._goods_id
        position = None if keep is None else self.model.position_of(keep)
        if position is None:
            self._show_goods(None)
        else:
            self._select_row(position)
            self._load_detail(keep)
        self.results_shown.emit()

    # --- thumbnails ---
    def visible_rows(self) -> range:
        """The rows the goods table shows now (empty when it shows none)."""
        table = self.view.table
        count = self.model.rowCount()
        if count == 0:
            return range(0)
        top = table.rowAt(0)
        if top < 0:
            return range(0)
        bottom = table.rowAt(table.viewport().height() - 1)
        return range(top, (count - 1 if bottom < 0 else bottom) + 1)

    def request_visible_thumbnails(self) -> int:
        """Ask for the thumbnails of the visible rows (only those); returns how many were asked."""
        rows = self.model.rows
        return self.thumbs.request(rows[i].image_url for i in self.visible_rows())

    def _thumbnails_loaded(self, urls: set[str]) -> None:
        visible = self.visible_rows()
        hit = [i for i in visible if self.model.rows[i].image_url in urls]
        if hit:
            self.model.thumbnails_changed(hit[0], hit[-1])

    def eventFilter(self, watched, event) -> bool:
        """The table's viewport was resized: other rows may now be visible."""
        if event.type() == QEvent.Type.Resize and watched is self.view.table.viewport():
            self._thumb_timer.start()
        return super().eventFilter(watched, event)

    def _on_list_failed(self, exc: BaseException) -> None:
        self.view.count_label.setText(user_message(exc))

    def _select_row(self, row: int) -> None:
        table = self.view.table
        selection = table.selectionModel()
        selection.blockSignals(True)
        try:
            index = self.model.index(row, 0)
            selection.setCurrentIndex(
                index,
                selection.SelectionFlag.ClearAndSelect | selection.SelectionFlag.Rows,
            )
        finally:
            selection.blockSignals(False)
        table.scrollTo(self.model.index(row, 0))

    def select_goods(self, goods_id: int) -> bool:
        """Select a listed goods (as a click does); False when it is not in the current list."""
        position = self.model.position_of(goods_id)
        if position is None:
            return False
        self.view.table.selectionModel().setCurrentIndex(
            self.model.index(position, 0),
            self.view.table.selectionModel().SelectionFlag.ClearAndSelect
            | self.view.table.selectionModel().SelectionFlag.Rows,
        )
        return True

    def _on_goods_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid() or current.row() >= len(self.model.rows):
            self._show_goods(None)
            return
        goods_id = self.model.rows[current.row()].goods_id
        if goods_id != self._goods_id:
            self._sku_id = None
            self.view.message_label.setText("")
        self._goods_id = goods_id
        self._load_detail(goods_id)

    # --- the selected goods ---
    def _load_detail(self, goods_id: int) -> None:
        self._detail_query.run(
            lambda: goods.goods_detail(goods_id=goods_id), lambda detail: self._on_detail(goods_id, detail)
        )

    def _on_detail(self, goods_id: int, detail: goods.GoodsDetail | None) -> None:
        if goods_id != self._goods_id:
            return
        self._show_goods(detail)
        if detail is not None:
            self.detail_shown.emit(detail.goods_id)

    def _show_goods(self, detail: goods.GoodsDetail | None) -> None:
        v = self.view
        self.detail = detail
        if detail is None:
            self._goods_id = None
            self._sku_id = None
            v.goods_label.setText(tr("选择一个商品查看规格和库存"))
            v.shelf_button.setEnabled(False)
            v.shelf_button.setText(tr("下架"))
            v.sku_table.setRowCount(0)
            self._show_movements(None, ())
            self._update_buttons()
            return
        state = tr("在售") if detail.is_onsale else tr("已下架")
        if detail.onsale_pending:
            state += tr("（待上传）")
        v.goods_label.setText(tr("{name}　{state}").format(name=detail.name, state=state))
        v.goods_label.setToolTip(
            tr("商品ID {goods_id}　商家编码 {outer_id}").format(
                goods_id=detail.goods_id, outer_id=detail.outer_goods_id or "—"
            )
        )
        v.shelf_button.setText(tr("下架") if detail.is_onsale else tr("上架"))
        v.shelf_button.setEnabled(True)
        self._fill_skus(detail.skus)

    def _fill_skus(self, skus: tuple[goods.SkuRow, ...]) -> None:
        table = self.view.sku_table
        table.blockSignals(True)
        try:
            table.setRowCount(0)
            table.setRowCount(len(skus))
            for r, sku in enumerate(skus):
                low = _DANGER if sku.is_low else None
                pending = tr("、").join(sku.pending_fields)
                cells = (
                    _item(
                        sku.spec or tr("（默认规格）"),
                        color=low,
                        tip=tr("规格ID {sku_id}").format(sku_id=sku.sku_id)
                        + (tr("；可用库存不高于预警值") if sku.is_low else ""),
                    ),
                    _item(sku.outer_id),
                    _item(format_yuan(sku.group_price_fen), right=True),
                    _item(format_yuan(sku.single_price_fen), right=True),
                    _item(
                        "—" if sku.cost_price_fen is None else format_yuan(sku.cost_price_fen),
                        right=True,
                        tip=tr("成本价未填写") if sku.cost_price_fen is None else "",
                    ),
                    _item(f"{sku.stock:,}", right=True),
                    _item(f"{sku.held:,}", right=True, tip=tr("待发货、未退款订单中的件数")),
                    _item(
                        f"{sku.available:,}",
                        right=True,
                        color=low,
                        tip=tr("可用库存不高于预警值") if sku.is_low else "",
                    ),
                    _item(f"{sku.low_stock_threshold:,}", right=True),
                    _item(f"{sku.weight_g:,}", right=True),
                    _item(
                        tr("待上传：{pending}").format(pending=pending) if pending else "",
                        color=_WARNING if pending else None,
                        tip=tr("本机修改尚未同步到拼多多") if pending else "",
                    ),
                )
                for c, item in enumerate(cells):
                    table.setItem(r, c, item)
            row = next((i for i, s in enumerate(skus) if s.sku_id == self._sku_id), 0 if skus else -1)
            if row >= 0:
                table.selectRow(row)
                table.setCurrentCell(row, 0)
        finally:
            table.blockSignals(False)
        self._on_sku_row_changed(table.currentRow())

    def selected_sku(self) -> goods.SkuRow | None:
        """The SKU selected in the SKU table (as last loaded)."""
        detail = self.detail
        row = self.view.sku_table.currentRow()
        if detail is None or not 0 <= row < len(detail.skus):
            return None
        return detail.skus[row]

    def select_sku(self, sku_id: int) -> bool:
        """Select a SKU of the shown goods (as a click does)."""
        if self.detail is None:
            return False
        for i, sku in enumerate(self.detail.skus):
            if sku.sku_id == sku_id:
                self.view.sku_table.setCurrentCell(i, 0)
                self.view.sku_table.selectRow(i)
                return True
        return False

    def _on_sku_row_changed(self, row: int) -> None:
        detail = self.detail
        sku = detail.skus[row] if detail is not None and 0 <= row < len(detail.skus) else None
        self._update_buttons()
        if sku is None:
            self._sku_id = None
            self._show_movements(None, ())
            return
        self._sku_id = sku.sku_id
        self._load_movements(sku)

    def movement_filter(self) -> dict[str, Any]:
        """The log's filters as ``goods.stock_movements`` takes them (Shanghai days, end exclusive)."""
        v = self.view
        out: dict[str, Any] = {"kind": v.movement_kind_combo.currentData()}
        if v.movement_date_check.isChecked():
            first, last = v.movement_from_edit.date(), v.movement_to_edit.date()
            out["start"] = local_date_start(date(first.year(), first.month(), first.day()))
            out["end"] = local_date_start(date(last.year(), last.month(), last.day()) + timedelta(days=1))
        return out

    def _on_date_filter_toggled(self, on: bool) -> None:
        self.view.movement_from_edit.setEnabled(on)
        self.view.movement_to_edit.setEnabled(on)
        self._reload_movements()

    def _reload_movements(self) -> None:
        sku = self.selected_sku()
        if sku is not None:
            self._load_movements(sku)

    def _load_movements(self, sku: goods.SkuRow) -> None:
        sku_id, filters = sku.sku_id, self.movement_filter()
        self._movement_query.run(
            lambda: goods.stock_movements(sku_id=sku_id, limit=MOVEMENT_LIMIT, **filters),
            lambda rows: self._on_movements(sku, rows),
            self._on_movements_failed,
        )

    def _on_movements_failed(self, exc: BaseException) -> None:
        self._show_movements(None, ())
        self.view.movement_label.setText(user_message(exc))

    def _on_movements(self, sku: goods.SkuRow, rows: tuple[goods.MovementRow, ...]) -> None:
        if sku.sku_id == self._sku_id:
            self._show_movements(sku, rows)

    def _show_movements(self, sku: goods.SkuRow | None, rows: tuple[goods.MovementRow, ...]) -> None:
        v = self.view
        self.movements = rows
        if sku is None:
            v.movement_label.setText(tr("库存流水"))
        else:
            latest = (
                tr("（最近 {limit} 条）").format(limit=MOVEMENT_LIMIT) if len(rows) >= MOVEMENT_LIMIT else ""
            )
            v.movement_label.setText(
                tr("库存流水：{spec}{latest}").format(spec=sku.spec or tr("默认规格"), latest=latest)
            )
        table = v.movement_table
        table.setRowCount(0)
        table.setRowCount(len(rows))
        for r, m in enumerate(rows):
            if m.order_sn:
                source = tr("订单 {order_sn}").format(order_sn=m.order_sn)
            elif m.after_sale_id is not None:
                source = tr("售后单 {after_sale_id}").format(after_sale_id=m.after_sale_id)
            else:
                source = ""
            detail = tr("　").join(t for t in (source, m.note) if t)
            cells = (
                _item(format_ts(m.at, "%Y-%m-%d %H:%M")),
                _item(m.kind_label),
                _item(f"{m.delta:+,}", right=True, color=_DANGER if m.delta < 0 else None),
                _item(f"{m.stock_after:,}", right=True),
                _item(detail, tip=detail),
            )
            for c, item in enumerate(cells):
                table.setItem(r, c, item)

    def _update_buttons(self) -> None:
        has_sku = self.selected_sku() is not None
        self.view.stock_button.setEnabled(has_sku)
        self.view.inbound_button.setEnabled(has_sku)
        self.view.price_button.setEnabled(has_sku)
        self.view.sku_local_button.setEnabled(
            bool(self.selected_skus()) or len(self.selected_goods_ids()) > 1
        )
        self.view.goods_local_button.setEnabled(bool(self.selected_goods_ids()))

    def selected_skus(self) -> list[goods.SkuRow]:
        """Every SKU selected in the SKU table (several with Ctrl/Shift), in table order."""
        detail = self.detail
        if detail is None:
            return []
        rows = sorted({i.row() for i in self.view.sku_table.selectionModel().selectedRows()})
        return [detail.skus[r] for r in rows if 0 <= r < len(detail.skus)]

    def selected_goods_ids(self) -> list[int]:
        """Ids of every goods selected in the goods table, in table order."""
        rows = sorted({i.row() for i in self.view.table.selectionModel().selectedRows()})
        return [self.model.rows[r].goods_id for r in rows if 0 <= r < len(self.model.rows)]

    # --- edits ---
    def _sku_text(self, sku: goods.SkuRow) -> str:
        name = self.detail.name if self.detail is not None else ""
        spec = sku.spec or tr("默认规格")
        code = tr("，商家编码 {outer_id}").format(outer_id=sku.outer_id) if sku.outer_id else ""
        return tr("{name}\n规格：{spec}{code}").format(name=name, spec=spec, code=code)

    def _edit(self, write: Callable[[], Any], message: str, dialog: FormDialog | None = None) -> None:
        """Run an edit on the db lane: show ``message``, tell every page, reload what shows here.

        A dialog stays open and busy while the write runs and closes on success; a refusal is
        shown in it (when given) and on the page, which then reloads the latest values.
        """
        op = WriteOp(self, write)
        if dialog is not None:
            op.in_dialog(dialog)
        op.before_broadcast(lambda _c: self._show_saved(message)).success(self._reload_detail)
        op.failure(lambda exc: self._failed(user_message(exc))).run()

    def _show_saved(self, message: str) -> None:
        self.view.message_label.setObjectName("")
        self.view.message_label.setStyleSheet("")
        self.view.message_label.setText(message)
        self._restyle(self.view.message_label)

    def _reload_detail(self, changes) -> None:
        # The page reloads through its own `relevant` flags after a goods change.
        if not changes.goods and self._goods_id is not None:
            self._load_detail(self._goods_id)

    @staticmethod
    def _restyle(widget) -> None:
        widget.style().unpolish(widget)
        widget.style().polish(widget)

    def _failed(self, message: str) -> None:
        """After a refusal: reload what the page shows, so the latest values are visible."""
        label = self.view.message_label
        label.setObjectName("Danger")
        label.setText(message)
        self._restyle(label)
        self.refresh()

    def edit_stock(self) -> None:
        """改库存 of the selected SKU."""
        sku = self.selected_sku()
        if sku is None:
            return
        dlg = StockDialog(self._sku_text(sku), sku.stock, sku.held, self)
        self.stock_dialog = dlg

        def submitted() -> None:
            quantity, seen = dlg.quantity(), dlg.seen
            self._edit(
                lambda: goods.set_sku_stock(sku_id=sku.sku_id, quantity=quantity, seen=seen),
                tr("{saved}（库存 {seen:,} → {quantity:,}）").format(
                    saved=tr(SAVED_MESSAGE), seen=seen, quantity=quantity
                ),
                dlg,
            )

        dlg.submitted.connect(submitted)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.open()

    def edit_price(self) -> None:
        """改价格 of the selected SKU."""
        sku = self.selected_sku()
        if sku is None:
            return
        dlg = PriceDialog(self._sku_text(sku), sku.group_price_fen, sku.single_price_fen, self)
        self.price_dialog = dlg

        def submitted() -> None:
            group, single = dlg.prices()
            if group is None or single is None:
                return
            seen_group, seen_single = dlg.seen_group_fen, dlg.seen_single_fen
            self._edit(
                lambda: goods.set_sku_price(
                    sku_id=sku.sku_id,
                    group_price_fen=group,
                    single_price_fen=single,
                    seen_group_fen=seen_group,
                    seen_single_fen=seen_single,
                ),
                tr("{saved}（拼单价 {group_price}，单买价 {single_price}）").format(
                    saved=tr(SAVED_MESSAGE), group_price=format_yuan(group), single_price=format_yuan(single)
                ),
                dlg,
            )

        dlg.submitted.connect(submitted)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.open()

    def edit_sku_local(self) -> None:
        """成本/预警 of the selected SKUs (one or many); 商家编码 when one is selected.

        With several goods selected in the goods table, it acts on every SKU of those goods.
        """
        goods_ids = self.selected_goods_ids()
        if len(goods_ids) > 1:
            self._edit_goods_skus_local(goods_ids)
            return
        skus = self.selected_skus()
        if not skus or self.detail is None:
            return
        single = skus[0] if len(skus) == 1 else None
        heading = (
            self._sku_text(single)
            if single is not None
            else tr("{name}\n已选 {count:,} 个规格").format(name=self.detail.name, count=len(skus))
        )
        dlg = SkuLocalDialog(
            heading,
            len(skus),
            single.cost_price_fen if single is not None else None,
            single.low_stock_threshold if single is not None else skus[0].low_stock_threshold,
            single.outer_id if single is not None else None,
            self,
        )
        self.sku_local_dialog = dlg
        ids = [s.sku_id for s in skus]
        if single is not None:
            sku_id = single.sku_id
            ReadOp(dlg, lambda: cost_history.cost_history(sku_id)).success(dlg.show_history).run()

        def submitted() -> None:
            values = dlg.values()
            self._edit(
                lambda: goods_local.set_sku_local(sku_ids=ids, **values),
                tr("已保存 {count:,} 个规格的修改（只保存在本机）").format(count=len(ids)),
                dlg,
            )

        dlg.submitted.connect(submitted)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.open()

    def _edit_goods_skus_local(self, goods_ids: list[int]) -> None:
        chosen = set(goods_ids)
        sku_count = sum(r.sku_count for r in self.model.rows if r.goods_id in chosen)
        heading = tr("已选 {goods:,} 个商品，共 {count:,} 个规格").format(
            goods=len(goods_ids), count=sku_count
        )
        dlg = SkuLocalDialog(heading, max(sku_count, 2), None, 5, None, self)
        self.sku_local_dialog = dlg

        def submitted() -> None:
            values = dlg.values()
            self._edit(
                lambda: goods_local.set_goods_skus_local(goods_ids=goods_ids, **values),
                tr("已保存 {goods:,} 个商品全部规格的修改（只保存在本机）").format(goods=len(goods_ids)),
                dlg,
            )

        dlg.submitted.connect(submitted)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.open()

    def edit_goods_local(self) -> None:
        """商品设置 of the selected goods (one or many): promise hours; 商家编码 for one."""
        ids = self.selected_goods_ids()
        if not ids:
            return
        detail = self.detail if len(ids) == 1 and self.detail is not None else None
        if detail is not None and detail.goods_id != ids[0]:
            detail = None
        if len(ids) == 1 and detail is None:
            return  # the detail of the selected goods is still loading
        heading = detail.name if detail is not None else tr("已选 {count:,} 个商品").format(count=len(ids))
        dlg = GoodsLocalDialog(
            heading,
            len(ids),
            detail.promise_hours if detail is not None else 48,
            detail.outer_goods_id if detail is not None else None,
            self,
        )
        self.goods_local_dialog = dlg

        def submitted() -> None:
            values = dlg.values()
            self._edit(
                lambda: goods_local.set_goods_local(goods_ids=ids, **values),
                tr("已保存 {count:,} 个商品的设置（只保存在本机）").format(count=len(ids)),
                dlg,
            )

        dlg.submitted.connect(submitted)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.open()

    def receive_inbound(self) -> None:
        """入库 of the selected SKU."""
        sku = self.selected_sku()
        if sku is None:
            return
        dlg = InboundDialog(self._sku_text(sku), sku.stock, sku.cost_price_fen, self)
        self.inbound_dialog = dlg

        def submitted() -> None:
            quantity, unit, note = dlg.quantity_spin.value(), dlg.unit_cost(), dlg.note_edit.text()
            self._edit(
                lambda: stock.receive_inbound(
                    sku_id=sku.sku_id, quantity=quantity, unit_cost_fen=unit, note=note
                ),
                tr("已入库 {quantity:,} 件，等待同步上传").format(quantity=quantity),
                dlg,
            )

        dlg.submitted.connect(submitted)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.open()

    def choose_stocktake_path(self) -> str:
        """Ask for the count sheet (tests replace this)."""
        path, _filter = QFileDialog.getOpenFileName(
            self, tr("导入盘点表"), "", tr("表格文件 (*.xlsx *.csv);;所有文件 (*)")
        )
        return path

    def choose_count_sheet_path(self) -> str:
        """Ask where the count sheet template goes (tests replace this); the suffix picks CSV or XLSX."""
        documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        stamp = format_ts(clock.now(), "%Y%m%d")
        suggested = str(Path(documents) / tr("盘点表-{stamp}.xlsx").format(stamp=stamp))
        path, chosen = QFileDialog.getSaveFileName(
            self, tr("导出盘点表"), suggested, tr("Excel 文件 (*.xlsx);;CSV 文件 (*.csv)")
        )
        if path and not Path(path).suffix:
            path += ".csv" if "csv" in chosen.lower() else ".xlsx"
        return path

    def export_count_sheet(self) -> None:
        """导出盘点表: every SKU with its book stock and an empty 盘点数量 (db lane, progress)."""
        if self.counts.get("all", 0) == 0:
            self._failed(tr("店铺还没有商品，无法生成盘点表；请先导入商品表或同步"))
            return
        path = self.choose_count_sheet_path()
        if not path:
            return

        def written(rows: int) -> None:
            self._show_saved(
                tr("已导出 {rows:,} 个规格的盘点表到 {name}；填写“盘点数量”后用“盘点导入”导回").format(
                    rows=rows, name=Path(path).name
                )
            )

        op = ReadOp(self, lambda task: stock.export_count_sheet(path, task=task), with_task=True)
        op.progress(tr("正在导出盘点表"))
        op.success(written).failure(lambda exc: self._failed(user_message(exc))).run()

    def import_stocktake(self) -> None:
        """盘点导入: check the sheet (db lane), show the differences, apply when confirmed."""
        path = self.choose_stocktake_path()
        if not path:
            return
        op = ReadOp(self, lambda task: stock.check_stocktake(path, task=task), with_task=True)
        op.progress(tr("正在检查盘点表"))
        op.success(self._show_stocktake).failure(lambda exc: self._failed(user_message(exc))).run()

    def _show_stocktake(self, check: stock.StocktakeCheck) -> None:
        dlg = StocktakeDialog(check, self)
        self.stocktake_dialog = dlg

        def submitted() -> None:
            reason = dlg.reason_edit.text()
            op = WriteOp(self, lambda: stock.apply_stocktake(check, reason=reason).changes).in_dialog(dlg)
            changed = len(check.differing)
            op.before_broadcast(
                lambda _c: self._show_saved(
                    tr("盘点已应用：{changed:,} 个规格的库存已调整，等待同步上传").format(changed=changed)
                )
            )
            op.run()

        dlg.submitted.connect(submitted)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.open()

    def ask_open_backend(self) -> bool:
        """Explain where listings are made and offer the merchant backend (tests replace this)."""
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Information)
        box.setWindowTitle(tr("发布新商品"))
        box.setText(tr(LISTING_TEXT))
        open_button = box.addButton(tr("打开拼多多商家后台"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(tr("关闭"), QMessageBox.ButtonRole.RejectRole)
        box.exec()
        return box.clickedButton() is open_button

    def explain_listing(self) -> None:
        """发布新商品: listings are made in the merchant backend; open it when asked."""
        if self.ask_open_backend():
            QDesktopServices.openUrl(QUrl(MERCHANT_BACKEND_URL))

    def choose_export_path(self) -> str:
        """Ask where the goods sheet goes (tests replace this); the suffix picks CSV or XLSX."""
        documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        stamp = format_ts(clock.now(), "%Y%m%d-%H%M")
        suggested = str(Path(documents) / tr("商品库存-{stamp}.xlsx").format(stamp=stamp))
        path, chosen = QFileDialog.getSaveFileName(
            self, tr("导出商品"), suggested, tr("Excel 文件 (*.xlsx);;CSV 文件 (*.csv)")
        )
        if path and not Path(path).suffix:
            path += ".csv" if "csv" in chosen.lower() else ".xlsx"
        return path

    def export_goods(self) -> None:
        """导出商品: every SKU in the goods sheet layout (db lane, progress with 取消)."""
        if self.counts.get("all", 0) == 0:  # nothing to write: say so before asking for a file
            self._failed(tr("店铺还没有商品，没有可导出的内容；请先导入商品表或同步"))
            return
        path = self.choose_export_path()
        if not path:
            return

        def written(result: goods_export.GoodsExportResult) -> None:
            self._show_saved(
                tr("已导出 {rows:,} 个规格到 {name}；修改后可用“导入商品表”导回").format(
                    rows=result.rows, name=Path(result.path).name
                )
            )

        op = ReadOp(self, lambda task: goods_export.export_goods(path, task=task), with_task=True)
        op.progress(tr("正在导出商品"))
        op.success(written).failure(lambda exc: self._failed(user_message(exc))).run()

    def confirm_onsale(self, name: str, to_onsale: bool) -> bool:
        """Ask before 上架 / 下架 (tests replace this)."""
        action = tr("上架") if to_onsale else tr("下架")
        effect = tr("买家将可以购买此商品") if to_onsale else tr("买家将无法再购买此商品")
        answer = QMessageBox.question(
            self,
            tr("确认{action}").format(action=action),
            tr("确定{action}「{name}」吗？\n{effect}；下次同步时上传到拼多多。").format(
                action=action, name=name, effect=effect
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def toggle_onsale(self) -> None:
        """上架 / 下架 the shown goods after a confirmation."""
        detail = self.detail
        if detail is None:
            return
        to_onsale = not detail.is_onsale
        if not self.confirm_onsale(detail.name, to_onsale):
            return
        action = tr("上架") if to_onsale else tr("下架")
        self._edit(
            lambda: goods.set_goods_onsale(goods_id=detail.goods_id, is_onsale=to_onsale),
            tr("{saved}（{action}）").format(saved=tr(SAVED_MESSAGE), action=action),
        )
