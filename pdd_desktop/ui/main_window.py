"""The shell: side navigation, the module stack, the status bar."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings, QSize, Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from pdd_desktop.ui import theme
from pdd_desktop.ui.i18n import QT_TR_NOOP, tr
from pdd_desktop.ui.ops import ReadOp
from pdd_desktop.ui.pages import PAGES
from pdd_desktop.ui.pages.base import Page, PageContext

#: The banner over a demo shop's pages.
DEMO_BANNER = QT_TR_NOOP("演示店铺：数据为模拟数据")
#: Why a demo shop takes no order files, and what to do instead.
DEMO_IMPORT_REFUSAL = QT_TR_NOOP(
    "演示店铺只有模拟数据，不能导入真实的订单文件，以免真假数据混在一起。\n\n"
    "要导入自己的订单，请先新建一个真实店铺（店铺 → 新建店铺），再在新店铺中导入。"
)


def window_title(name: str, is_demo: bool) -> str:
    """``拼多多商家桌面助手 — <shop>`` (marked when the shop is the demo)."""
    return tr("拼多多商家桌面助手 — {name}").format(name=name) + (
        tr("（演示店铺 · 模拟数据）") if is_demo else ""
    )


NAV_WIDTH = 132
#: The module whose list a home counter opens (发货中心 for the rest); a counter whose module is
#: not in the navigation is a plain figure.
COUNTER_TARGETS = {
    "unread_messages": "messages",
    "low_stock": "goods",
    "after_sales_waiting": "after_sales",
    "after_sales_near_deadline": "after_sales",
}


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
    #: Open the shop in this folder instead (the app closes this one first).
    shop_switch_requested = Signal(str)
    #: Rename the open shop to this name (the app closes and reopens it).
    shop_rename_requested = Signal(str)

    def __init__(self, ctx: PageContext, settings: QSettings | None = None) -> None:
        super().__init__()
        self.ctx = ctx
        self._settings = settings or QSettings()
        self.shop_name = ctx.shop.name
        self.setWindowTitle(window_title(ctx.shop.name, ctx.shop.is_demo))
        self.setMinimumSize(960, 600)

        central = QWidget()
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        #: Shown over every page of a demo shop, never hidden there.
        self.demo_banner = QFrame()
        self.demo_banner.setObjectName("DemoBanner")
        self.demo_banner.setStyleSheet(
            "#DemoBanner { background: #fff4d6; border-bottom: 1px solid #f0c36d; }"
        )
        banner_row = QHBoxLayout(self.demo_banner)
        banner_row.setContentsMargins(12, 4, 12, 4)
        self.demo_banner_label = QLabel(tr(DEMO_BANNER) + tr("，操作不会影响任何真实店铺。"))
        self.demo_banner_label.setStyleSheet("color: #8a5a00; font-weight: bold;")
        self.demo_create_button = QPushButton(tr("新建真实店铺…"))
        self.demo_create_button.clicked.connect(self.create_shop)
        banner_row.addWidget(self.demo_banner_label, 1)
        banner_row.addWidget(self.demo_create_button)
        self.demo_banner.setVisible(ctx.shop.is_demo)
        column.addWidget(self.demo_banner)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        column.addLayout(row, 1)
        self.nav = SideNav()
        self.stack = QStackedWidget()
        row.addWidget(self.nav)
        row.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self._build_shop_menu()
        self._build_help_menu()

        self._page_classes = list(PAGES)
        self._pages: dict[str, Page] = {}
        self._slots: list[QWidget] = []
        for i, cls in enumerate(self._page_classes):
            item = QListWidgetItem(theme.icon(cls.icon_name), tr(cls.title))
            item.setData(Qt.ItemDataRole.UserRole, cls.key)
            item.setToolTip(
                tr("{title}（Ctrl+{number}）").format(title=tr(cls.title), number=i + 1)
                if i < 9
                else tr(cls.title)
            )
            item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            self.nav.addItem(item)
            slot = QWidget()  # replaced by the real page on first visit
            self._slots.append(slot)
            self.stack.addWidget(slot)
            if i < 9:
                shortcut = QShortcut(QKeySequence(f"Ctrl+{i + 1}"), self)
                shortcut.activated.connect(lambda idx=i: self.nav.setCurrentRow(idx))

        self.orders_label = QLabel("")
        #: The sync chip: state text; a click opens the 同步 window.
        self.sync_label = QToolButton()
        self.sync_label.setObjectName("SyncChip")
        self.sync_label.setAutoRaise(True)
        self.sync_label.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.sync_label.clicked.connect(self.open_sync_dialog)
        #: The open shop's name; a click opens the switcher.
        self.shop_button = QToolButton()
        self.shop_button.setObjectName("ShopChip")
        self.shop_button.setAutoRaise(True)
        self.shop_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.shop_button.setToolTip(tr("点击切换或管理店铺"))
        self.shop_button.clicked.connect(self.open_shops_dialog)
        self._show_shop_name()
        self.shops_dialog = None
        status = self.statusBar()
        # The shop's name, never its file: the folders are in 关于/诊断.
        status.addWidget(self.shop_button)
        status.addPermanentWidget(self.orders_label)
        status.addPermanentWidget(self.sync_label)
        ctx.events.sync_status_changed.connect(self.sync_label.setText)
        self.sync_label.setText(ctx.events.sync_status)
        self.sync_controller = None
        self.sync_dialog = None
        sync_key = QShortcut(QKeySequence(Qt.Key.Key_F5), self)
        sync_key.activated.connect(self.sync_now)
        ctx.events.sync_requested.connect(self.sync_now)
        ctx.events.import_requested.connect(self.open_import_dialog)
        ctx.events.changes_applied.connect(self._on_changes_for_title)
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
        requested = getattr(page, "orders_requested", None)  # 数据: the orders behind a figure
        if requested is not None:
            requested.connect(self.open_orders)
        skus = getattr(page, "skus_requested", None)  # 资金 → 利润: the SKUs without a cost
        if skus is not None:
            skus.connect(self.open_skus)
        alert_open = getattr(page, "alert_open_requested", None)  # 工作台's 预警提醒
        if alert_open is not None:
            alert_open.connect(self.open_alert)
        activated = getattr(page, "counter_activated", None)
        if activated is not None:
            activated.connect(self.open_filtered_orders)
        openable = getattr(page, "set_openable_counters", None)
        if openable is not None:
            keys = self.page_keys()
            openable(lambda counter: COUNTER_TARGETS.get(counter, "orders") in keys)

    def open_filtered_orders(self, filter_key: str) -> None:
        """Open the list a home counter stands for, filtered, when its module is in the navigation."""
        target = COUNTER_TARGETS.get(filter_key, "orders")
        if target not in self.page_keys():
            return  # the counter is a plain figure until its module exists
        self.show_page(target)
        opener = getattr(self.page(target), "apply_quick_filter", None)
        if opener is not None:
            opener(filter_key)

    def open_skus(self, sku_ids, label: str) -> None:
        """Open 商品 listing only the goods of ``sku_ids``, under a chip named ``label``.

        For an alert's SKUs (缺货, 库存不足) and 资金 → 利润's 去填成本; nothing when 商品 is not
        in the navigation.
        """
        if "goods" not in self.page_keys():
            return
        self.show_page("goods")
        self.page("goods").show_skus(tuple(sku_ids), label)

    def open_orders(self, order_filter) -> None:
        """Open 发货中心 filtered by ``order_filter`` (a services.orders.OrderFilter)."""
        if "orders" not in self.page_keys():
            return
        self.show_page("orders")
        self.page("orders").show_filtered(order_filter)

    def open_alert(self, alert) -> None:
        """Open exactly what an alert (a services.alerts.AlertRow) is about.

        Orders in 发货中心 (as 数据's click-through), SKUs in 商品, cases in 售后, the outbox and
        sync log in the 同步 window, the goods' plans in 推广, 客服, the rule in 设置 → 自动化,
        资金 → 对账 on the days the bill alert judged (its last evaluation) with its mismatched
        orders listed, or the charges with no order when it found only those; a module not in
        the navigation opens nothing.
        """
        from pdd_desktop.domain.alerts import (
            TARGET_ADS,
            TARGET_AUTOMATION,
            TARGET_CASES,
            TARGET_CS,
            TARGET_FUNDS_RECONCILE,
            TARGET_ORDERS,
            TARGET_SKUS,
            TARGET_SYNC,
        )
        from pdd_desktop.services.alerts import bills
        from pdd_desktop.services.orders import OrderFilter

        ids = tuple(alert.target_ids)
        if alert.target == TARGET_ORDERS:
            self.open_orders(OrderFilter(order_ids=ids, order_ids_label=alert.title))
        elif alert.target == TARGET_SKUS:
            self.open_skus(ids, alert.title)
        elif alert.target == TARGET_CASES:
            if "after_sales" in self.page_keys():
                self.show_page("after_sales")
                self.page("after_sales").show_cases(ids, alert.title)
        elif alert.target == TARGET_SYNC:
            self.open_sync_dialog()
        elif alert.target == TARGET_FUNDS_RECONCILE:
            if "funds" in self.page_keys():
                self.show_page("funds")
                first, last = bills.window_days(alert.last_seen_at)
                self.page("funds").show_reconcile(first, last, mismatched=bool(ids))
        elif alert.target in (TARGET_ADS, TARGET_CS, TARGET_AUTOMATION):
            key = {TARGET_ADS: "ads", TARGET_CS: "cs", TARGET_AUTOMATION: "settings"}[alert.target]
            if key not in self.page_keys():
                return
            self.show_page(key)
            page = self.page(key)
            if alert.target == TARGET_ADS:
                page.show_goods(ids, alert.title)
            elif alert.target == TARGET_AUTOMATION:
                page.show_automation(alert.key.rsplit(":", 1)[-1])  # app:automation-off:<rule>

    # --- sync ---
    def set_sync_controller(self, controller) -> None:
        """Attach the sync schedule (``jobs.sync.SyncController``): F5, the chip, its tooltip."""
        self.sync_controller = controller
        controller.state_changed.connect(self._on_sync_state)
        self._on_sync_state(controller.state)

    def _on_sync_state(self, state) -> None:
        if self.ctx.events.sync_status != state.text:  # the chip and the pages follow the event
            self.ctx.events.sync_status_changed.emit(state.text)
        self.sync_label.setToolTip(
            tr("{tooltip}\n点击查看待上传、冲突和同步记录").format(tooltip=state.tooltip).strip()
        )
        self.sync_label.setProperty("tone", state.tone)
        self.sync_label.style().unpolish(self.sync_label)
        self.sync_label.style().polish(self.sync_label)

    def sync_now(self) -> None:
        """F5: sync now (when sync is set up)."""
        if self.sync_controller is not None:
            self.sync_controller.sync_now()
        else:
            self.statusBar().showMessage(tr("同步未启用：在 设置 → 同步 中选择同步方式"), 4000)

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

    # --- shops ---
    def _build_shop_menu(self) -> None:
        menu = self.menuBar().addMenu(tr("店铺(&S)"))
        self.switch_shop_action = menu.addAction(tr("切换店铺…"), self.open_shops_dialog)
        self.create_shop_action = menu.addAction(tr("新建店铺…"), self.create_shop)
        self.rename_shop_action = menu.addAction(tr("给当前店铺改名…"), self.rename_shop)
        menu.addSeparator()
        self.manage_shops_action = menu.addAction(tr("管理店铺（删除等）…"), self.open_shops_dialog)

    def _build_help_menu(self) -> None:
        menu = self.menuBar().addMenu(tr("帮助(&H)"))
        self.about_action = menu.addAction(tr("关于 / 诊断…"), self.open_about_dialog)
        #: The open 关于/诊断 dialog (tests drive it).
        self.about_dialog = None

    def open_about_dialog(self) -> None:
        """关于/诊断: version, folders, library versions, the diagnostics package."""
        from pdd_desktop.ui.dialogs.about_dialog import open_about_dialog

        open_about_dialog(self, self.ctx.paths, self.ctx.runner)

    def _show_shop_name(self) -> None:
        mark = tr("（演示）") if self.ctx.shop.is_demo else ""
        self.shop_button.setText(tr("店铺：{shop_name}{mark} ▾").format(shop_name=self.shop_name, mark=mark))

    def open_shops_dialog(self) -> None:
        """The shop switcher (the shop's name in the status bar, 店铺 → 切换店铺)."""
        from pdd_desktop.ui.dialogs.shops_dialog import ShopsDialog

        dlg = ShopsDialog(self.ctx.runner, self.ctx.paths.data_dir, self.ctx.paths.shop, self)
        dlg.open_requested.connect(self.shop_switch_requested)
        dlg.rename_current_requested.connect(self.shop_rename_requested)
        dlg.finished.connect(lambda _r: setattr(self, "shops_dialog", None))
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.shops_dialog = dlg
        dlg.open()

    def create_shop(self) -> None:
        """新建店铺: a name, then the new (empty, real) shop opens."""
        self.open_shops_dialog()
        assert self.shops_dialog is not None
        self.shops_dialog.ask_create()

    def rename_shop(self) -> None:
        """给当前店铺改名."""
        from pdd_desktop.ui.dialogs.welcome import ShopNameDialog

        dlg = ShopNameDialog(self, title=tr("给当前店铺改名"), name=self.shop_name)
        dlg.submitted.connect(lambda: (dlg.accept(), self.shop_rename_requested.emit(dlg.name())))
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.rename_dialog = dlg
        dlg.open()

    def _on_changes_for_title(self, changes, _initiator) -> None:
        # The shop's name may come from the platform (pdd.mall.info.get) during sync.
        if getattr(changes, "shop", False) or changes.sync or changes.settings:
            self.refresh_shop_name()

    def refresh_shop_name(self) -> None:
        """Read the shop's name again and show it in the title and the status bar."""
        from pdd_desktop.services import shop as shop_service

        paths = self.ctx.paths
        ReadOp(self, lambda: shop_service.describe_shop(paths)).success(self._on_shop_described).run()

    def _on_shop_described(self, info) -> None:
        self.shop_name = info.name
        self.setWindowTitle(window_title(info.name, self.ctx.shop.is_demo))
        self._show_shop_name()

    # --- import ---
    def refuse_demo_import(self) -> None:
        """A demo shop takes no real order files: say why and offer to create a real shop."""
        box = QMessageBox(
            QMessageBox.Icon.Information, tr("演示店铺不能导入订单文件"), tr(DEMO_IMPORT_REFUSAL), parent=self
        )
        create = box.addButton(tr("新建真实店铺…"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(tr("取消"), QMessageBox.ButtonRole.RejectRole)
        self.demo_refusal_box = box
        box.finished.connect(lambda _r: self.create_shop() if box.clickedButton() is create else None)
        box.open()

    def open_import_dialog(self, path: str = "") -> None:
        """导入订单文件, checking ``path`` at once when given (never into a demo shop)."""
        if self.ctx.shop.is_demo:
            self.refuse_demo_import()
            return
        self._show_import_dialog(path)

    def _show_import_dialog(self, path: str = "") -> None:
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
        self._show_import_dialog()  # the history is readable in any shop
        dlg = self.import_dialog
        if dlg is not None:
            dlg.tabs.setCurrentWidget(dlg.history_table)

    def dragEnterEvent(self, event) -> None:
        urls = event.mimeData().urls() if event.mimeData().hasUrls() else []
        from pdd_desktop.ui.dialogs.import_dialog import importable

        if urls and importable(urls[0].toLocalFile()):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        path = event.mimeData().urls()[0].toLocalFile()
        event.acceptProposedAction()
        self.open_import_dialog(path)

    # --- status bar ---
    def set_order_count(self, count: int) -> None:
        """Show the shop's order count."""
        self.orders_label.setText(tr("订单 {count:,}").format(count=count))

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
