"""The shell: side navigation, the module stack, the status bar."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, QSize, Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QStackedWidget,
    QToolButton,
    QWidget,
)

from pdd_desktop.ui import theme
from pdd_desktop.ui.pages import PAGES
from pdd_desktop.ui.pages.base import Page, PageContext

NAV_WIDTH = 132


class SideNav(QListWidget):
    """One row per module: icon over Chinese label."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("SideNav")
        self.setFixedWidth(NAV_WIDTH)
        self.setIconSize(QSize(22, 22))
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)


class MainWindow(QMainWindow):
    """Builds the pages listed in ``PAGES`` (lazily, on first visit) and routes between them."""

    #: The visible page changed: its key.
    page_changed = Signal(str)

    def __init__(self, ctx: PageContext, settings: QSettings | None = None) -> None:
        super().__init__()
        self.ctx = ctx
        self._settings = settings or QSettings()
        self.setWindowTitle(f"拼多多商家桌面助手 — {ctx.shop.name}")
        self.setMinimumSize(960, 600)

        central = QWidget()
        row = QHBoxLayout(central)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        self.nav = SideNav()
        self.stack = QStackedWidget()
        row.addWidget(self.nav)
        row.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self._page_classes = list(PAGES)
        self._pages: dict[str, Page] = {}
        self._slots: list[QWidget] = []
        for i, cls in enumerate(self._page_classes):
            item = QListWidgetItem(theme.icon(cls.icon_name), cls.title)
            item.setData(Qt.ItemDataRole.UserRole, cls.key)
            item.setToolTip(f"{cls.title}（Ctrl+{i + 1}）" if i < 9 else cls.title)
            item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            self.nav.addItem(item)
            slot = QWidget()  # replaced by the real page on first visit
            self._slots.append(slot)
            self.stack.addWidget(slot)
            if i < 9:
                shortcut = QShortcut(QKeySequence(f"Ctrl+{i + 1}"), self)
                shortcut.activated.connect(lambda idx=i: self.nav.setCurrentRow(idx))

        self.data_label = QLabel(str(ctx.paths.db_file))
        self.orders_label = QLabel("")
        #: The sync chip: state text; a click opens the 同步 window.
        self.sync_label = QToolButton()
        self.sync_label.setObjectName("SyncChip")
        self.sync_label.setAutoRaise(True)
        self.sync_label.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.sync_label.clicked.connect(self.open_sync_dialog)
        status = self.statusBar()
        status.addWidget(self.data_label, 1)
        status.addPermanentWidget(self.orders_label)
        status.addPermanentWidget(self.sync_label)
        ctx.events.sync_status_changed.connect(self.sync_label.setText)
        self.sync_controller = None
        self.sync_dialog = None
        sync_key = QShortcut(QKeySequence(Qt.Key.Key_F5), self)
        sync_key.activated.connect(self.sync_now)
        ctx.events.sync_requested.connect(self.sync_now)
        ctx.events.import_requested.connect(self.open_import_dialog)
        self.import_dialog = None
        self.setAcceptDrops(True)  # drop a platform export anywhere on the window to import it

        self.nav.currentRowChanged.connect(self._on_nav_row_changed)
        self._restore_state()

    # --- navigation ---
    def page_keys(self) -> list[str]:
        """Keys of the modules in the navigation, in order."""
        return [cls.key for cls in self._page_classes]

    def current_key(self) -> str:
        """Key of the visible module."""
        return self._page_classes[self.stack.currentIndex()].key

    def page(self, key: str) -> Page:
        """The page for ``key``, built on first use."""
        index = self.page_keys().index(key)
        if key not in self._pages:
            page = self._page_classes[index](self.ctx)
            self._pages[key] = page
            old = self._slots[index]
            self.stack.insertWidget(index, page)
            self.stack.removeWidget(old)
            old.deleteLater()
            self._slots[index] = page
            self._wire_page(page)
        return self._pages[key]

    def show_page(self, key: str) -> None:
        """Switch to the module ``key``."""
        self.nav.setCurrentRow(self.page_keys().index(key))

    def _on_nav_row_changed(self, row: int) -> None:
        if row < 0:
            return
        key = self._page_classes[row].key
        page = self.page(key)
        self.stack.setCurrentWidget(page)
        self._settings.setValue("main/last_page", key)
        self.page_changed.emit(key)

    def _wire_page(self, page: Page) -> None:
        activated = getattr(page, "counter_activated", None)
        if activated is not None:
            activated.connect(self.open_filtered_orders)

    def open_filtered_orders(self, filter_key: str) -> None:
        """Open the order list with a home counter's filter once 发货中心 is in the navigation."""
        target = {
            "unread_messages": "messages",
            "low_stock": "goods",
            "after_sales_waiting": "after_sales",
            "after_sales_near_deadline": "after_sales",
        }.get(filter_key, "orders")
        if target in self.page_keys():
            self.show_page(target)
            opener = getattr(self.page(target), "apply_quick_filter", None)
            if opener is not None:
                opener(filter_key)
        else:
            self.statusBar().showMessage(f"“{filter_key}”对应的列表所在模块尚未启用", 4000)

    # --- sync ---
    def set_sync_controller(self, controller) -> None:
        """Attach the sync schedule (``jobs.sync.SyncController``): F5, the chip, its tooltip."""
        self.sync_controller = controller
        controller.state_changed.connect(self._on_sync_state)
        self._on_sync_state(controller.state)

    def _on_sync_state(self, state) -> None:
        self.sync_label.setText(state.text)
        self.sync_label.setToolTip(f"{state.tooltip}\n点击查看待上传、冲突和同步记录".strip())
        self.sync_label.setProperty("tone", state.tone)
        self.sync_label.style().unpolish(self.sync_label)
        self.sync_label.style().polish(self.sync_label)

    def sync_now(self) -> None:
        """F5: sync now (when sync is set up)."""
        if self.sync_controller is not None:
            self.sync_controller.sync_now()
        else:
            self.statusBar().showMessage("同步未启用：在 设置 → 同步 中选择同步方式", 4000)

    def open_sync_dialog(self) -> None:
        """The 同步 window: outbox, conflicts, log."""
        from pdd_desktop.ui.dialogs.sync_dialog import SyncDialog  # the sync service loads on demand

        dlg = SyncDialog(self.ctx.runner, self)
        dlg.changes_applied.connect(lambda changes: self.ctx.events.changes_applied.emit(changes, dlg))
        dlg.sync_requested.connect(self.sync_now)
        if self.sync_controller is not None:
            self.sync_controller.finished.connect(lambda _r: dlg.reload())
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.sync_dialog = dlg
        dlg.open()

    # --- import ---
    def open_import_dialog(self, path: str = "") -> None:
        """导入订单文件, checking ``path`` at once when given."""
        from pdd_desktop.ui.dialogs.import_dialog import ImportDialog

        dlg = self.import_dialog
        if dlg is None:
            dlg = ImportDialog(self.ctx.runner, self)
            dlg.changes_applied.connect(lambda changes: self.ctx.events.changes_applied.emit(changes, dlg))
            dlg.finished.connect(lambda _r: setattr(self, "import_dialog", None))
            dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            self.import_dialog = dlg
        dlg.open()
        dlg.raise_()
        if path:
            dlg.check_file(path)

    def open_import_history(self) -> None:
        """导入订单文件 on its 导入记录 tab (what the watched folder imported)."""
        self.open_import_dialog()
        dlg = self.import_dialog
        if dlg is not None:
            dlg.tabs.setCurrentWidget(dlg.history_table)

    def dragEnterEvent(self, event) -> None:
        urls = event.mimeData().urls() if event.mimeData().hasUrls() else []
        if urls and Path(urls[0].toLocalFile()).suffix.lower() in (".csv", ".xlsx", ".xlsm"):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        path = event.mimeData().urls()[0].toLocalFile()
        event.acceptProposedAction()
        self.open_import_dialog(path)

    # --- status bar ---
    def set_order_count(self, count: int) -> None:
        """Show the shop's order count."""
        self.orders_label.setText(f"订单 {count:,}")

    # --- state ---
    def _restore_state(self) -> None:
        geometry = self._settings.value("main/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 800)
        last = self._settings.value("main/last_page", "home")
        keys = self.page_keys()
        self.nav.setCurrentRow(keys.index(last) if last in keys else 0)

    def closeEvent(self, event: QCloseEvent) -> None:
        self._settings.setValue("main/geometry", self.saveGeometry())
        self._settings.sync()
        super().closeEvent(event)
