"""发货中心 controller: filters → SQL on the database lane → ids into the row-cache model."""

from __future__ import annotations

from PySide6.QtCore import QDate, QModelIndex, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import QInputDialog, QMenu, QMessageBox, QTabWidget, QVBoxLayout

from pdd_desktop.common import clock
from pdd_desktop.common.timefmt import format_ts, local_date_start, local_day_start
from pdd_desktop.domain.money import format_yuan
from pdd_desktop.jobs.runner import READ
from pdd_desktop.services import orders
from pdd_desktop.services.settings import load_settings
from pdd_desktop.ui.dialogs.error import user_message
from pdd_desktop.ui.dialogs.quick_reply import OPEN_SHORTCUT, QuickReplyDialog
from pdd_desktop.ui.i18n import QT_TR_NOOP, tr
from pdd_desktop.ui.ops import LatestQuery, ReadOp, WriteOp
from pdd_desktop.ui.pages.base import Page, PageContext
from pdd_desktop.ui.pages.orders.actions import ShippingActions
from pdd_desktop.ui.pages.orders.columns import ORDER_COLUMNS
from pdd_desktop.ui.pages.orders.detail import render_detail, render_receiver
from pdd_desktop.ui.pages.orders.dialogs import MemoDialog
from pdd_desktop.ui.pages.orders.hold_actions import HoldActions
from pdd_desktop.ui.pages.orders.selection import OrderSelection
from pdd_desktop.ui.pages.orders.view import CUSTOM_RANGE, TIME_PRESETS, OrdersPageView
from pdd_desktop.ui.table.row_cache_model import RowCacheTableModel, select_ids, selected_ids

#: Ids of the first screen, fetched before the full id list.
FIRST_SCREEN = 200
#: Rows loaded with those ids, so a new result paints at once (a tall window shows ~45).
FIRST_ROWS = 80
#: Typing pauses this long before the query runs.
DEBOUNCE_MS = 250
#: The deadline countdowns tick this often.
COUNTDOWN_MS = 30_000

#: Home counter → the view of this page that lists those orders.
HOME_TO_VIEW = {
    "to_ship": "to_ship",
    "near_deadline": "near_deadline",
    "overdue": "overdue",
    "after_sales_waiting": "after_sales",
    "after_sales_near_deadline": "after_sales",
    "pending_upload": "pending_upload",
}


class OrdersPage(Page):
    """The order workbench's list: tabs with live counts, combined filters, details."""

    key = "orders"
    title = QT_TR_NOOP("发货中心")
    icon_name = "orders"
    relevant = ("orders", "shipments", "after_sales", "settings")

    #: A query finished and the table shows its first screen (benchmarks and tests wait on it).
    results_shown = Signal()
    #: The detail pane shows an order.
    detail_shown = Signal(int)
    #: The selection or the list under it changed (the new :class:`OrderSelection`).
    selection_changed = Signal(object)

    def __init__(self, ctx: PageContext, parent=None) -> None:
        super().__init__(ctx, parent)
        self._order_ids: tuple[int, ...] = ()  #: 数据's click-through: exactly these orders
        self._order_ids_label = ""
        # pyqtgraph and ReportLab load with the page, not with the app (start-up time); the app
        # imports them on a worker after the first paint (see app.warm_up_imports).
        from pdd_desktop.ui.pages.orders.logistics import LogisticsOverviewView
        from pdd_desktop.ui.pages.orders.print_actions import PrintActions
        from pdd_desktop.ui.pages.orders.waybill_accounts import WaybillAccountsView

        self.view = OrdersPageView(self)
        self.logistics = LogisticsOverviewView(ctx.runner, self)
        self._logistics_stale = True
        self.waybill_accounts = WaybillAccountsView(ctx.runner, self)
        self._waybills_stale = True
        #: 订单 (the workbench), 物流概况 and 电子面单, one module in the side navigation.
        self.sections = QTabWidget(self)
        self.sections.setDocumentMode(True)
        self.sections.addTab(self.view, tr("订单"))
        self.sections.addTab(self.logistics, tr("物流概况"))
        self.sections.addTab(self.waybill_accounts, tr("电子面单"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.sections)
        self.model = RowCacheTableModel(ORDER_COLUMNS, orders.rows_for_ids, self)
        self.model.set_row_loader(self._load_rows)
        self.view.table.setModel(self.model)
        self._selection = OrderSelection.empty(self.model)
        self.view_counts: dict[str, int] = {}
        self.total = 0
        self._query = LatestQuery(self)
        self._detail_id: int | None = None
        self._detail: orders.OrderDetail | None = None
        self.memo_dialog: MemoDialog | None = None
        #: The last confirmation asked (删除此常用筛选), for tests.
        self.confirm_dialog: QMessageBox | None = None
        #: The table's context menu shown last (tests trigger its actions).
        self.table_menu: QMenu | None = None
        self._range_error: str | None = None
        self._settings = QSettings()
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._countdown = QTimer(self)
        self._countdown.setInterval(COUNTDOWN_MS)
        self._setup_widgets()
        self._connect_signals()
        self.actions = ShippingActions(self)
        self.actions.install(self.view.toolbar, self.view.status_line)
        self.print_actions = PrintActions(self)
        self.print_actions.install(self.view.toolbar)
        self.hold_actions = HoldActions(self)
        self.hold_actions.install(self.view.toolbar)
        self._countdown.start()

    # --- setup ---
    def _setup_widgets(self) -> None:
        v = self.view
        for key, label in orders.VIEWS:
            index = v.tabs.addTab(label)
            v.tabs.setTabData(index, key)
        v.tabs.setCurrentIndex(self._view_index("to_ship"))
        for key, label in orders.SORTS:
            v.sort_combo.addItem(label, key)
        header = v.table.horizontalHeader()
        for i, column in enumerate(ORDER_COLUMNS):
            header.resizeSection(i, column.width)
        hidden = self._settings.value("orders/hidden_columns")
        hidden_keys = (
            set(hidden) if isinstance(hidden, list) else {c.key for c in ORDER_COLUMNS if c.hidden_by_default}
        )
        for i, column in enumerate(ORDER_COLUMNS):
            v.table.setColumnHidden(i, column.key in hidden_keys)

    def _connect_signals(self) -> None:
        v = self.view
        for edit in (v.order_sn_edit, v.buyer_edit, v.receiver_edit, v.goods_edit, v.memo_edit):
            edit.textChanged.connect(lambda _text: self._debounce.start())
            edit.returnPressed.connect(self.refresh)
        for combo in (v.flag_combo, v.printed_combo, v.sort_combo):
            combo.currentIndexChanged.connect(lambda _i: self.refresh())
        for combo in (v.created_combo, v.paid_combo):
            combo.currentIndexChanged.connect(lambda _i, c=combo: self._on_time_combo(c))
        for edit in (v.range_from_edit, v.range_to_edit):
            edit.dateChanged.connect(lambda _d: self._debounce.start())
        v.saved_combo.currentIndexChanged.connect(lambda _i: self._update_delete_button())
        v.tabs.currentChanged.connect(lambda _i: self.refresh())
        v.reset_button.clicked.connect(self.reset_filters)
        v.ids_chip.clicked.connect(self.clear_order_ids)
        v.save_filter_button.clicked.connect(self._on_save_filter_clicked)
        v.delete_filter_button.clicked.connect(self._on_delete_filter_clicked)
        v.saved_combo.activated.connect(self._on_saved_filter_chosen)
        v.reveal_button.clicked.connect(self._on_reveal_clicked)
        v.memo_button.clicked.connect(self.edit_memo)
        v.table.horizontalHeader().customContextMenuRequested.connect(self._on_header_menu)
        v.table.customContextMenuRequested.connect(self._on_table_menu)
        v.table.selectionModel().currentRowChanged.connect(self._on_current_row_changed)
        v.table.selectionModel().selectionChanged.connect(lambda *_a: self._update_selection())
        self.model.modelReset.connect(self._update_selection)
        self.results_shown.connect(self._update_selection)
        self._debounce.timeout.connect(self.refresh)
        self.sections.currentChanged.connect(lambda _i: self._refresh_logistics_if_shown())
        self._countdown.timeout.connect(self._on_countdown_tick)
        copy = QShortcut(QKeySequence(QKeySequence.StandardKey.Copy), v.table)
        copy.activated.connect(self.copy_order_numbers)
        QShortcut(QKeySequence(OPEN_SHORTCUT), v.table, self.open_quick_reply)

    def _view_index(self, key: str) -> int:
        for i in range(self.view.tabs.count()):
            if self.view.tabs.tabData(i) == key:
                return i
        return 0

    # --- the filter ---
    def current_filter(self) -> orders.OrderFilter:
        """The filter the widgets describe."""
        v = self.view
        now = clock.now()
        created_from, created_to = self._combo_range(v.created_combo, now)
        paid_from, paid_to = self._combo_range(v.paid_combo, now)
        return orders.OrderFilter(
            view=v.tabs.tabData(v.tabs.currentIndex()) or "all",
            order_sn=v.order_sn_edit.text().strip(),
            buyer=v.buyer_edit.text().strip(),
            receiver=v.receiver_edit.text().strip(),
            created_from=created_from,
            created_to=created_to,
            paid_from=paid_from,
            paid_to=paid_to,
            goods=v.goods_edit.text().strip(),
            flag=v.flag_combo.currentData(),
            memo=v.memo_edit.text().strip(),
            printed=v.printed_combo.currentData(),
            order_ids=self._order_ids,
            order_ids_label=self._order_ids_label,
        )

    def _show_ids_chip(self) -> None:
        chip = self.view.ids_chip
        chip.setText(
            tr("✕ {label}（{count:,} 单）").format(label=self._order_ids_label, count=len(self._order_ids))
        )
        chip.setVisible(bool(self._order_ids))

    def clear_order_ids(self) -> None:
        """Drop the given-orders term (the chip's click) and run the filter again."""
        self._order_ids, self._order_ids_label = (), ""
        self._show_ids_chip()
        self.refresh()

    def _combo_range(self, combo, now: int) -> tuple[int | None, int | None]:
        if combo.currentData() == CUSTOM_RANGE:
            return self.custom_range()
        return _preset_range(combo.currentData(), now)

    def custom_range(self) -> tuple[int, int]:
        """The date edits as ``[start of the first day, start of the day after the last)`` in Beijing time."""
        v = self.view
        start = local_date_start(v.range_from_edit.date().toPython())
        end = local_date_start(v.range_to_edit.date().addDays(1).toPython())
        return start, end

    def custom_range_error(self) -> str | None:
        """Why the custom date range cannot be used (None: it can, or none is chosen)."""
        v = self.view
        if CUSTOM_RANGE not in (v.created_combo.currentData(), v.paid_combo.currentData()):
            return None
        if v.range_from_edit.date() > v.range_to_edit.date():
            return tr("自定义日期：开始日期不能晚于结束日期，请重新选择")
        return None

    def _on_time_combo(self, combo) -> None:
        """自定义… shows the two date edits for that combo (one custom range at a time)."""
        v = self.view
        other = v.paid_combo if combo is v.created_combo else v.created_combo
        if combo.currentData() == CUSTOM_RANGE:
            if other.currentData() == CUSTOM_RANGE:
                other.blockSignals(True)
                other.setCurrentIndex(0)
                other.blockSignals(False)
            v.range_label.setText(tr("下单日期") if combo is v.created_combo else tr("支付日期"))
            if not v.range_box.isVisible():
                today = QDate.fromString(format_ts(clock.now(), "%Y-%m-%d"), "yyyy-MM-dd")
                for edit in (v.range_from_edit, v.range_to_edit):
                    edit.blockSignals(True)
                    edit.setDate(today)
                    edit.blockSignals(False)
            v.range_box.setVisible(True)
        elif other.currentData() != CUSTOM_RANGE:
            v.range_box.setVisible(False)
        self.refresh()

    def current_sort(self) -> str:
        """Key of the chosen sort order."""
        return self.view.sort_combo.currentData() or "urgency"

    def set_filter(self, f: orders.OrderFilter) -> None:
        """Put a filter into the widgets (saved filters, home counters) and run it once."""
        v = self.view
        widgets = (v.tabs, v.order_sn_edit, v.buyer_edit, v.receiver_edit, v.goods_edit, v.memo_edit)
        combos = (v.flag_combo, v.printed_combo, v.created_combo, v.paid_combo)
        for w in (*widgets, *combos):
            w.blockSignals(True)
        try:
            v.tabs.setCurrentIndex(self._view_index(f.view))
            v.order_sn_edit.setText(f.order_sn)
            v.buyer_edit.setText(f.buyer)
            v.receiver_edit.setText(f.receiver)
            v.goods_edit.setText(f.goods)
            v.memo_edit.setText(f.memo)
            v.flag_combo.setCurrentIndex(max(0, v.flag_combo.findData(f.flag)))
            v.printed_combo.setCurrentIndex(max(0, v.printed_combo.findData(f.printed)))
            _show_range(v.created_combo, tr("下单"), f.created_from, f.created_to)
            _show_range(v.paid_combo, tr("支付"), f.paid_from, f.paid_to)
            v.range_box.setVisible(False)
            self._order_ids, self._order_ids_label = tuple(f.order_ids), f.order_ids_label
            self._show_ids_chip()
        finally:
            for w in (*widgets, *combos):
                w.blockSignals(False)
        self.refresh()

    def reset_filters(self) -> None:
        """Clear every filter but keep the tab."""
        view = self.current_filter().view
        self.set_filter(orders.OrderFilter(view=view))

    def apply_quick_filter(self, home_key: str) -> None:
        """Open the list for a home counter (物流异常 opens 物流概况 with its problem parcels)."""
        if home_key == "logistics_problems":
            self.show_logistics(problems="no_pickup")
            return
        self.sections.setCurrentWidget(self.view)
        self.set_filter(orders.OrderFilter(view=HOME_TO_VIEW.get(home_key, "all")))

    def show_filtered(self, f: orders.OrderFilter) -> None:
        """Show the order list with filter ``f`` (数据's click-through)."""
        self.sections.setCurrentWidget(self.view)
        self.set_filter(f)

    def show_logistics(self, problems: str | None = None) -> None:
        """Switch to 物流概况; ``problems`` ("no_pickup" / "stalled") lists those parcels too."""
        if problems is not None:
            self.logistics.show_problems_when_shown(problems)
        self.sections.setCurrentWidget(self.logistics)
        self._refresh_logistics_if_shown()

    def _refresh_logistics_if_shown(self) -> None:
        if self._logistics_stale and self.sections.currentWidget() is self.logistics:
            self._logistics_stale = False
            self.logistics.refresh()
        if self._waybills_stale and self.sections.currentWidget() is self.waybill_accounts:
            self._waybills_stale = False
            self.waybill_accounts.refresh()

    def _on_changes_applied(self, changes, initiator: object) -> None:
        if any(getattr(changes, flag) for flag in self.relevant):
            self._logistics_stale = True
            self._waybills_stale = True
        super()._on_changes_applied(changes, initiator)

    # --- querying ---
    def refresh(self) -> None:
        """Run the filter in three db-lane steps: first screen, tab counts, then the full id list.

        Each step first checks that no newer query was started meanwhile and skips its work if
        one was, so quick tab clicks never queue behind a stale million-id fetch.
        """
        self._debounce.stop()
        self._refresh_needed = False
        self._refresh_logistics_if_shown()
        error = self.custom_range_error()
        if error is not None:  # the list stays as it was
            self.show_message(error)
            self._range_error = error
            return
        if self._range_error is not None and self.actions.message_label.text() == self._range_error:
            self.show_message("")
        self._range_error = None
        f = self.current_filter()
        sort = self.current_sort()
        self.view.count_label.setText(tr("正在查询…"))

        def first_screen():
            ids = orders.search_ids(f, sort=sort, limit=FIRST_SCREEN)
            return ids, orders.rows_for_ids(ids[:FIRST_ROWS])

        self._query.run(
            first_screen, lambda result: self._on_first_screen(f, sort, *result), self._on_query_failed
        )

    def _load_rows(self, ids: list[int], done) -> None:
        """Row blocks for painting, on the read lane (never behind a long db-lane job)."""
        ReadOp(self, lambda: orders.rows_for_ids(ids), lane=READ).success(done).run()

    def _on_first_screen(self, f: orders.OrderFilter, sort: str, ids: list[int], rows: list) -> None:
        keep = selected_ids(self.model, self.view.table.selectionModel())
        self.model.set_ids(ids, rows)
        if keep:
            select_ids(self.model, self.view.table.selectionModel(), keep)
        if len(ids) < FIRST_SCREEN:  # the whole list is here: the detail pane can be checked now
            self._follow_list_with_detail()
        self.results_shown.emit()
        self._query.follow(
            lambda: (orders.view_counts(f), load_settings()),
            lambda result: self._on_counts(f, sort, len(ids), keep, result),
            self._on_query_failed,
        )

    def _on_counts(self, f, sort: str, shown: int, keep: list[int], result) -> None:
        counts, settings = result
        self.view_counts = counts
        self.total = counts.get(f.view, shown)
        self._update_tab_labels()
        self.view.count_label.setText(tr("共 {total:,} 单").format(total=self.total))
        if settings.fast_ship_enabled:
            at_risk = counts.get("near_deadline", 0) + counts.get("overdue", 0)
            exposure = format_yuan(at_risk * settings.late_compensation_fen)
            self.view.exposure_label.setText(
                tr("极速发货：{at_risk:,} 单即将或已经超时，可能赔付 {exposure}").format(
                    at_risk=at_risk, exposure=exposure
                )
            )
        self.view.exposure_label.setVisible(settings.fast_ship_enabled)
        if self.total <= shown:
            self._follow_list_with_detail()
        else:
            self._query.follow(
                lambda: orders.search_ids(f, sort=sort),
                lambda ids: self._on_all_ids(ids, keep),
                self._on_query_failed,
            )

    def _on_all_ids(self, ids: list[int], keep: list[int]) -> None:
        self.model.extend_ids(ids)
        if keep and len(selected_ids(self.model, self.view.table.selectionModel())) < len(keep):
            select_ids(self.model, self.view.table.selectionModel(), keep)
        self._follow_list_with_detail()

    def _follow_list_with_detail(self) -> None:
        """An order that left the list (tab switch, filter, shipped) leaves the detail pane too.

        The pane moves to the current row when there is one, else it is cleared.
        """
        if self._detail_id is None or self.model.position_of(self._detail_id) is not None:
            return
        current = self.view.table.selectionModel().currentIndex()
        selected = self.view.table.selectionModel().isSelected(current) if current.isValid() else False
        if selected and current.row() < len(self.model.ids):
            self._load_detail(self.model.ids[current.row()])
        else:
            self.clear_detail()

    def clear_detail(self) -> None:
        """Empty the detail pane (no order chosen)."""
        self._detail_id = None
        self._detail = None
        self.view.detail.clear()
        self.view.reveal_button.setEnabled(False)
        self.view.memo_button.setEnabled(False)

    def _on_query_failed(self, exc: BaseException) -> None:
        self.view.count_label.setText(user_message(exc))

    def _update_tab_labels(self) -> None:
        tabs = self.view.tabs
        labels = dict(orders.VIEWS)
        for i in range(tabs.count()):
            key = tabs.tabData(i)
            count = self.view_counts.get(key)
            tabs.setTabText(i, labels[key] if count is None else f"{labels[key]} {count:,}")

    # --- selection and detail ---
    @property
    def selection(self) -> OrderSelection:
        """The selected orders, rebuilt on each selection or list change."""
        return self._selection

    def _update_selection(self) -> None:
        self._selection = OrderSelection.of(self.model, self.view.table.selectionModel())
        self.selection_changed.emit(self._selection)

    def selected_order_ids(self) -> list[int]:
        """Ids of the selected orders, in table order."""
        return self._selection.ids

    def show_message(self, text: str) -> None:
        """The outcome of the last action, beside the toolbar."""
        self.actions.message_label.setText(text)

    def _on_current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid() or current.row() >= len(self.model.ids):
            return
        self._load_detail(self.model.ids[current.row()])

    def reload_detail(self, order_ids) -> None:
        """Read the detail pane again when it shows one of ``order_ids`` (after a write on them)."""
        if self._detail_id is not None and self._detail_id in set(order_ids):
            self._load_detail(self._detail_id)

    def _load_detail(self, order_id: int) -> None:
        self._detail_id = order_id
        self._detail = None
        self.view.reveal_button.setEnabled(True)
        self.view.memo_button.setEnabled(False)
        ReadOp(self, lambda: orders.order_detail(order_id)).success(
            lambda detail: self._show_detail(order_id, detail)
        ).run()

    def _show_detail(self, order_id: int, detail) -> None:
        if order_id != self._detail_id:
            return
        self._detail = detail
        self.view.detail.setHtml(render_detail(detail))
        self.view.memo_button.setEnabled(True)
        self.detail_shown.emit(order_id)

    def edit_memo(self) -> None:
        """修改备注/旗帜 of the order in the detail pane."""
        detail = self._detail
        if detail is None:
            return
        row = detail.row
        dlg = MemoDialog(row.order_sn, row.seller_memo, row.flag, self)
        self.memo_dialog = dlg

        def submitted() -> None:
            memo, flag = dlg.choice()
            op = WriteOp(self, lambda: orders.set_seller_memo(order_id=row.id, memo=memo, flag=flag))
            op.in_dialog(dlg).before_broadcast(lambda _c: self.model.mark_stale([row.id]))
            op.success(lambda _c: self._load_detail(row.id) if self._detail_id == row.id else None).run()

        dlg.submitted.connect(submitted)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.open()

    def _on_reveal_clicked(self) -> None:
        order_id = self._detail_id
        if order_id is None:
            return
        WriteOp(self, lambda: orders.reveal_receiver(order_id=order_id)).before_broadcast(
            lambda result: self._on_revealed(order_id, result[0])
        ).run()

    def _on_revealed(self, order_id: int, info) -> None:
        if order_id == self._detail_id:
            html = self.view.detail.toHtml()
            self.view.detail.setHtml(render_receiver(info) + html)

    def copy_order_numbers(self) -> str:
        """Copy the selected order numbers, one per line; returns the text."""
        selection = self._selection
        rows = selection.rows_at(selection.positions[:5000])
        text = "\n".join(r.order_sn for r in rows)
        QGuiApplication.clipboard().setText(text)
        return text

    # --- menus ---
    def _on_header_menu(self, pos) -> None:
        menu = QMenu(self)
        table = self.view.table
        for i, column in enumerate(ORDER_COLUMNS):
            action = QAction(tr(column.header), menu)
            action.setCheckable(True)
            action.setChecked(not table.isColumnHidden(i))
            action.toggled.connect(lambda shown, col=i: self.set_column_visible(col, shown))
            menu.addAction(action)
        menu.popup(table.horizontalHeader().mapToGlobal(pos))

    def set_column_visible(self, column: int, shown: bool) -> None:
        """Column chooser: show or hide one column, remembered across sessions."""
        self.view.table.setColumnHidden(column, not shown)
        hidden = [c.key for i, c in enumerate(ORDER_COLUMNS) if self.view.table.isColumnHidden(i)]
        self._settings.setValue("orders/hidden_columns", hidden)

    def _on_table_menu(self, pos) -> None:
        menu = QMenu(self)
        menu.addAction(tr("复制订单号"), self.copy_order_numbers)
        menu.addAction(tr("全选"), self.view.table.selectAll)
        reply = menu.addAction(tr("快捷回复…"), self.open_quick_reply)
        reply.setShortcut(QKeySequence(OPEN_SHORTCUT))
        reply.setEnabled(len(self.selection.ids) == 1)
        menu.addSeparator()
        for action in self.print_actions.menu_actions:
            menu.addAction(action)
        menu.addSeparator()
        for action in self.hold_actions.menu_actions:
            menu.addAction(action)
        menu.setToolTipsVisible(True)
        self.table_menu = menu
        menu.popup(self.view.table.viewport().mapToGlobal(pos))

    def open_quick_reply(self) -> QuickReplyDialog | None:
        """The quick replies filled from the one selected order (客服's library)."""
        ids = self.selection.ids
        if len(ids) != 1:
            self.show_message(tr("选择一张订单后再用快捷回复"))
            return None
        dlg = QuickReplyDialog(ids[0], self)
        dlg.open()
        return dlg

    # --- saved filters ---
    def _reload_saved(self, select: str | None = None) -> None:
        """Read the saved filters (db lane) into the combo; then select ``select`` when given."""
        ReadOp(self, orders.saved_filters).success(lambda saved: self._show_saved(saved, select)).run()

    def _show_saved(self, saved: list[tuple[str, orders.OrderFilter]], select: str | None) -> None:
        combo = self.view.saved_combo
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(tr("（选择）"), None)
        for name, f in saved:
            combo.addItem(name, f)
        combo.blockSignals(False)
        if select is not None:
            combo.setCurrentIndex(combo.findText(select))
        self._update_delete_button()

    def _on_save_filter_clicked(self) -> None:
        name, ok = QInputDialog.getText(self, tr("保存筛选"), tr("名称："))
        if ok and name.strip():
            self.save_current_filter(name.strip())

    def save_current_filter(self, name: str) -> None:
        """Store the current filter under ``name`` (db lane)."""
        f = self.current_filter()
        WriteOp(self, lambda: orders.save_filter(name=name, f=f)).before_broadcast(
            lambda _c: self._reload_saved(select=name)
        ).run()

    def _update_delete_button(self) -> None:
        combo = self.view.saved_combo
        chosen = combo.currentData() is not None
        self.view.delete_filter_button.setEnabled(chosen)
        self.view.delete_filter_button.setToolTip(
            tr("删除常用筛选“{name}”（订单不受影响）").format(name=combo.currentText())
            if chosen
            else tr("先在左边选择一个常用筛选")
        )

    def _on_delete_filter_clicked(self) -> None:
        """删除此常用筛选: asks first, naming the saved filter; orders are not touched."""
        combo = self.view.saved_combo
        if combo.currentData() is None:
            return
        name = combo.currentText()
        box = QMessageBox(
            QMessageBox.Icon.Question,
            tr("删除常用筛选"),
            tr("删除常用筛选“{name}”？\n只删除这个保存的筛选条件，订单不受影响。").format(name=name),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            self,
        )
        box.button(QMessageBox.StandardButton.Yes).setText(tr("删除"))
        box.button(QMessageBox.StandardButton.Cancel).setText(tr("取消"))
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.confirm_dialog = box

        def answered(button) -> None:
            if box.standardButton(button) == QMessageBox.StandardButton.Yes:
                self.delete_saved_filter(name)

        box.buttonClicked.connect(answered)
        box.open()

    def delete_saved_filter(self, name: str) -> None:
        """Delete the saved filter ``name`` (db lane) and reload the list of saved filters."""
        WriteOp(self, lambda: orders.delete_saved_filter(name=name)).before_broadcast(
            lambda _c: self._reload_saved()
        ).run()

    def _on_saved_filter_chosen(self, index: int) -> None:
        f = self.view.saved_combo.itemData(index)
        if f is not None:
            self.set_filter(f)

    # --- misc ---
    def _on_countdown_tick(self) -> None:
        if self.isVisible() and self.model.ids:
            column = [c.key for c in ORDER_COLUMNS].index("countdown")
            top = self.view.table.rowAt(0)
            bottom = self.view.table.rowAt(self.view.table.viewport().height() - 1)
            bottom = bottom if bottom >= 0 else min(len(self.model.ids), top + 60) - 1
            if top >= 0:
                self.model.dataChanged.emit(self.model.index(top, column), self.model.index(bottom, column))

    def showEvent(self, event) -> None:
        if self.view.saved_combo.count() == 0:
            self._reload_saved()
        super().showEvent(event)


def _show_range(combo, label: str, start: int | None, end: int | None) -> None:
    """Select "不限", or an extra item holding a saved filter's absolute range."""
    for i in range(combo.count() - 1, len(TIME_PRESETS), -1):
        combo.removeItem(i)  # drop the range item of an earlier saved filter (keep 自定义…)
    if start is None and end is None:
        combo.setCurrentIndex(0)
        return
    text = tr("{start} 至 {end}").format(
        start=format_ts(start, "%m-%d") if start else "…", end=format_ts(end, "%m-%d") if end else tr("今")
    )
    combo.addItem(tr("{label}：{text}").format(label=label, text=text), ("abs", start, end))
    combo.setCurrentIndex(combo.count() - 1)


def _preset_range(key, now: int) -> tuple[int | None, int | None]:
    if isinstance(key, tuple) and key[0] == "abs":
        return key[1], key[2]
    for preset, _label, days in TIME_PRESETS:
        if preset == key and days is not None:
            return local_day_start(now, days), None
    return None, None
