"""售后 controller: status tabs and search → the case list on the database lane.

The detail panel shows the selected case; 同意退款 / 同意退货 go through the services.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import QDialog, QMenu, QTableWidgetItem, QVBoxLayout, QWidget

from pdd_desktop.common import clock
from pdd_desktop.common.changes import Changes
from pdd_desktop.common.timefmt import format_ts
from pdd_desktop.domain.errors import NotAllowed
from pdd_desktop.domain.money import format_yuan
from pdd_desktop.services import addresses, after_sales, shipping
from pdd_desktop.services.after_sales import CaseDetail, CaseList, CaseRow
from pdd_desktop.ui.dialogs.address_dialog import AddressDialog
from pdd_desktop.ui.dialogs.error import user_message
from pdd_desktop.ui.dialogs.quick_reply import OPEN_SHORTCUT, QuickReplyDialog
from pdd_desktop.ui.i18n import QT_TR_NOOP, tr
from pdd_desktop.ui.ops import LatestQuery, ReadOp, WriteOp
from pdd_desktop.ui.pages.after_sales.detail import countdown, render_detail
from pdd_desktop.ui.pages.after_sales.dialogs import (
    AgreeRefundDialog,
    AgreeReturnDialog,
    ConfirmReceivedDialog,
    ExchangeShipDialog,
    InterceptDialog,
    RejectDialog,
)
from pdd_desktop.ui.pages.after_sales.ledger import RefundLedgerDialog
from pdd_desktop.ui.pages.after_sales.view import COLUMN_INDEX, AfterSalesPageView
from pdd_desktop.ui.pages.base import Page, PageContext
from pdd_desktop.ui.theme import TOKENS

#: Typing pauses this long before the search runs.
DEBOUNCE_MS = 250
#: The countdowns tick this often.
COUNTDOWN_MS = 30_000
#: 同意退货 without any return address.
NO_ADDRESS_TEXT = QT_TR_NOOP(
    "店铺还没有退货地址：请先同步店铺信息（拼多多商家后台的退货地址），或在打开的窗口中新增一个本机退货地址"
)


#: The tab shown first: what waits for the merchant.
FIRST_TAB = "waiting_me"


#: Lists longer than this, in the default order, show their first screen before the rest.
DEFER_ROWS = 200
#: The rows put in at once for the first screen (a tall window shows about 40).
FIRST_ROWS = 80
#: The rest follows in chunks of this many rows, the event loop running in between.
CHUNK_ROWS = 250

_BRUSHES: dict[str, QBrush] = {}


def countdown_key(row: CaseRow) -> tuple:
    """The countdown column's order: least time left first; cases without a deadline after, newest first."""
    return (0, row.deadline_at, row.id) if row.deadline_at is not None else (1, -row.created_at, -row.id)


def _brush(token: str) -> QBrush:
    """The brush of a theme colour, made once."""
    brush = _BRUSHES.get(token)
    if brush is None:
        brush = _BRUSHES[token] = QBrush(QColor(TOKENS[token]))
    return brush


class _Item(QTableWidgetItem):
    """A cell that sorts by its key (time, fen, deadline), not by its text."""

    def __init__(self, text: str, key: Any = None) -> None:
        super().__init__(text)
        self.sort_key = text if key is None else key

    def __lt__(self, other: QTableWidgetItem) -> bool:
        if isinstance(other, _Item):
            return self.sort_key < other.sort_key
        return super().__lt__(other)


class AfterSalesPage(Page):
    """The after-sales cases: tabs by status group with live counts, a search, the details.

    The decisions the platform takes from an app (同意退款, 同意退货) are buttons of the detail.
    """

    key = "after_sales"
    title = QT_TR_NOOP("售后")
    icon_name = "after_sales"
    relevant = ("after_sales", "orders", "sync")

    #: A list was shown (tests and benchmarks wait on it).
    results_shown = Signal()
    #: The detail panel shows a case (its id).
    detail_shown = Signal(object)

    def __init__(self, ctx: PageContext, parent=None) -> None:
        super().__init__(ctx, parent)
        self.view = AfterSalesPageView(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        #: The list shown now (None before the first answer).
        self.cases: CaseList | None = None
        #: The case in the detail panel and its data (None while loading).
        self.detail_id: int | None = None
        self.detail: CaseDetail | None = None
        #: The dialog opened last (tests reach it here).
        self.current_dialog: QDialog | None = None
        #: The return-address form opened from 同意退货 (tests fill it).
        self.address_dialog: AddressDialog | None = None
        self._rows: dict[int, CaseRow] = {}
        #: ``clock.now()`` when the table's countdowns were last written.
        self._table_now: int | None = None
        #: Counts table fills; a deferred rest of an older fill is dropped.
        self._fill_generation = 0
        self._list_query = LatestQuery(self)
        self._case_ids: tuple[int, ...] = ()  #: an alert's cases: only these are listed
        self.view.ids_chip.clicked.connect(self.clear_case_ids)
        self._filling = False
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._countdown = QTimer(self)
        self._countdown.setInterval(COUNTDOWN_MS)
        v = self.view
        for key, label in after_sales.TABS:
            v.tabs.setTabData(v.tabs.addTab(label), key)
        v.tabs.setCurrentIndex(self._tab_index(FIRST_TAB))
        # Most urgent first: the least time left before the platform decides by itself; cases
        # without a deadline follow, newest first. A header click still sorts by any column.
        v.table.horizontalHeader().setSortIndicator(COLUMN_INDEX["countdown"], Qt.SortOrder.AscendingOrder)
        v.tabs.currentChanged.connect(lambda _i: self.refresh())
        v.search_edit.textChanged.connect(lambda _t: self._debounce.start())
        v.search_edit.returnPressed.connect(self.refresh)
        v.table.itemSelectionChanged.connect(self._on_selection_changed)
        v.refund_button.clicked.connect(self.agree_refund)
        v.return_button.clicked.connect(self.agree_return)
        v.received_button.clicked.connect(self.confirm_received)
        v.reject_button.clicked.connect(self.record_reject)
        v.exchange_button.clicked.connect(self.ship_exchange)
        v.intercept_button.clicked.connect(self.intercept)
        v.ledger_button.clicked.connect(self.open_ledger)
        #: The 退款统计 dialog while open.
        self.ledger_dialog: RefundLedgerDialog | None = None
        self._ledger_query = LatestQuery(self)
        self._debounce.timeout.connect(self.refresh)
        self._countdown.timeout.connect(self._on_countdown_tick)
        self._countdown.start()
        # 快捷回复 for the case's order: the context menu or one keystroke on the list.
        v.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        v.table.customContextMenuRequested.connect(self._on_table_menu)
        QShortcut(QKeySequence(OPEN_SHORTCUT), v.table, self.open_quick_reply)

    def _on_table_menu(self, pos) -> None:
        menu = QMenu(self)
        action = menu.addAction(tr("快捷回复…"), self.open_quick_reply)
        action.setShortcut(QKeySequence(OPEN_SHORTCUT))
        action.setEnabled(self.detail is not None)
        menu.popup(self.view.table.viewport().mapToGlobal(pos))

    def open_quick_reply(self) -> QuickReplyDialog | None:
        """The quick replies filled from the selected case's order."""
        if self.detail is None:
            return None
        dlg = QuickReplyDialog(self.detail.row.order_id, self)
        dlg.open()
        return dlg

    # --- tabs ---
    def _tab_index(self, key: str) -> int:
        for i in range(self.view.tabs.count()):
            if self.view.tabs.tabData(i) == key:
                return i
        return 0

    def current_tab(self) -> str:
        """Key of the selected tab."""
        return self.view.tabs.tabData(self.view.tabs.currentIndex()) or after_sales.ALL_TAB

    def apply_quick_filter(self, home_key: str) -> None:
        """A home counter was clicked: 待处理售后 / 售后即将超时 open the cases waiting for me."""
        if home_key in ("after_sales_waiting", "after_sales_near_deadline"):
            self._set_case_ids((), "")
            self.view.search_edit.clear()
            self.show_tab("waiting_me")

    def show_cases(self, case_ids: tuple[int, ...], label: str) -> None:
        """List only the cases ``case_ids`` (an alert's button), on the 全部 tab, no search."""
        self._set_case_ids(tuple(case_ids), label)
        self.view.search_edit.blockSignals(True)
        self.view.search_edit.clear()
        self.view.search_edit.blockSignals(False)
        if self.current_tab() != after_sales.ALL_TAB:
            self.show_tab(after_sales.ALL_TAB)  # reloads the list
        else:
            self.refresh()

    def clear_case_ids(self) -> None:
        """The chip was clicked: list every case of the tab again."""
        self._set_case_ids((), "")
        self.refresh()

    def _set_case_ids(self, ids: tuple[int, ...], label: str) -> None:
        self._case_ids = ids
        chip = self.view.ids_chip
        chip.setText(tr("✕ {label}（{count:,} 单）").format(label=label, count=len(ids)))
        chip.setVisible(bool(ids))

    def show_tab(self, key: str) -> None:
        """Select a tab (the list follows)."""
        self.view.tabs.setCurrentIndex(self._tab_index(key))

    # --- the list ---
    def refresh(self) -> None:
        """Read the tab's cases and every tab's count on the database lane; older answers are dropped."""
        self._debounce.stop()
        self._refresh_needed = False
        tab, search, case_ids = self.current_tab(), self.view.search_edit.text().strip(), self._case_ids
        self.view.count_label.setText(tr("正在查询…"))
        self._list_query.run(
            lambda: after_sales.list_cases(tab=tab, search=search, case_ids=case_ids),
            self._on_list,
            self._on_list_failed,
        )
        if self.detail_id is not None:
            self._load_detail(self.detail_id)

    def _on_list_failed(self, exc: BaseException) -> None:
        self.view.count_label.setText(user_message(exc))

    def _on_list(self, result: CaseList) -> None:
        self.cases = result
        self._rows = {row.id: row for row in result.rows}
        tabs = self.view.tabs
        labels = dict(after_sales.TABS)
        for i in range(tabs.count()):
            key = tabs.tabData(i)
            tabs.setTabText(i, f"{labels[key]} {result.counts.get(key, 0):,}")
        self.view.empty_label.setVisible(result.counts.get("all", 0) == 0 and not result.search)
        shown = len(result.rows)
        amount = format_yuan(result.refund_fen.get(result.tab, 0))
        if result.capped:
            self.view.count_label.setText(
                tr("最近 {shown:,} 单 / 共 {total:,} 单").format(shown=shown, total=result.total)
            )
            self.view.count_label.setToolTip(
                tr(
                    "已完成、已关闭的售后单只列出最近的 {shown:,} 单，更早的请按订单号或售后单号搜索。"
                    "共 {total:,} 单，申请退款合计 {amount}"
                ).format(shown=shown, total=result.total, amount=amount)
            )
        else:
            self.view.count_label.setText(
                tr("共 {shown:,} 单 · 申请退款合计 {amount}").format(shown=shown, amount=amount)
            )
            self.view.count_label.setToolTip("")
        self._fill_table(result.rows)
        self.results_shown.emit()

    def _fill_table(self, rows: tuple[CaseRow, ...]) -> None:
        """Show ``rows``; a long list in the default (most urgent first) order comes in two steps.

        With more than :data:`DEFER_ROWS` cases sorted by the countdown, the rows are put in that
        order here, the first :data:`FIRST_ROWS` (the first screen) at once and the rest after
        the first paint in chunks of :data:`CHUNK_ROWS` (zero timers, so the window stays
        responsive), then Qt's sorting is switched back on (it keeps the order). Any other sort,
        or a short list, fills in one go.
        """
        table = self.view.table
        keep = self.detail_id
        self._fill_generation += 1
        self._filling = True
        table.setSortingEnabled(False)
        table.clearContents()
        table.setRowCount(len(rows))
        now = clock.now()
        self._table_now = now
        header = table.horizontalHeader()
        if len(rows) > DEFER_ROWS and header.sortIndicatorSection() == COLUMN_INDEX["countdown"]:
            descending = header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
            ordered = sorted(rows, key=countdown_key, reverse=descending)
            self._put_rows(ordered[:FIRST_ROWS], 0, now)
            generation = self._fill_generation
            self._queue_rest(generation, ordered, FIRST_ROWS, keep, now)
            return
        self._put_rows(rows, 0, now)
        self._end_fill(keep)

    def _queue_rest(
        self, generation: int, ordered: list[CaseRow], start: int, keep: int | None, now: int
    ) -> None:
        QTimer.singleShot(0, self, lambda: self._fill_more(generation, ordered, start, keep, now))

    def _fill_more(
        self, generation: int, ordered: list[CaseRow], start: int, keep: int | None, now: int
    ) -> None:
        """The next :data:`CHUNK_ROWS` rows of a deferred fill (events run between chunks)."""
        if generation != self._fill_generation:
            return  # a newer list replaced this one
        end = min(start + CHUNK_ROWS, len(ordered))
        self._put_rows(ordered[start:end], start, now)
        if end < len(ordered):
            self._queue_rest(generation, ordered, end, keep, now)
            return
        self._end_fill(keep)

    def _end_fill(self, keep: int | None) -> None:
        self.view.table.setSortingEnabled(True)
        self._filling = False
        if keep is not None:
            self._select_case(keep)

    def _put_rows(self, rows: Sequence[CaseRow], first: int, now: int) -> None:
        table = self.view.table
        for r, row in enumerate(rows, start=first):
            status = row.status_label + (
                tr("（{upload_state}）").format(upload_state=row.upload_state) if row.upload_state else ""
            )
            if row.reject_pending:
                status += tr("（已在后台拒绝，待平台处理）")
            cells = {
                "id": _Item(str(row.id), row.id),
                # text columns sort by their text: plain items (a Python subclass costs 3× to make)
                "order_sn": QTableWidgetItem(row.order_sn),
                "type": _Item(row.type_label, row.type),
                "status": _Item(status, row.status),
                "refund": _Item(format_yuan(row.refund_amount_fen), row.refund_amount_fen),
                "goods": QTableWidgetItem(row.goods),
                "reason": QTableWidgetItem(row.reason),
                "created": _Item(format_ts(row.created_at, "%Y-%m-%d %H:%M"), (row.created_at, row.id)),
                "countdown": _Item(""),
            }
            cells["id"].setData(Qt.ItemDataRole.UserRole, row.id)
            cells["refund"].setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            cells["goods"].setToolTip(row.goods)
            cells["reason"].setToolTip(row.reason)
            if row.upload_state:
                cells["status"].setForeground(_brush("warning"))
                cells["status"].setToolTip(tr("本机已处理，尚未上传到平台"))
            elif row.reject_pending:
                cells["status"].setForeground(_brush("warning"))
                cells["status"].setToolTip(tr("已记录在商家后台拒绝；同步到平台状态变化后自动更新"))
            self._set_countdown(cells["countdown"], row, now)
            for key, item in cells.items():
                table.setItem(r, COLUMN_INDEX[key], item)

    def _set_countdown(self, item: QTableWidgetItem, row: CaseRow, now: int) -> None:
        text, urgent = countdown(row.deadline_at, now)
        item.setText(text)
        if isinstance(item, _Item):
            item.sort_key = countdown_key(row)
        item.setForeground(_brush("danger" if urgent else "text"))
        if row.deadline_at is not None:
            item.setToolTip(tr("平台将于 {time} 自动处理").format(time=format_ts(row.deadline_at)))

    def _on_countdown_tick(self) -> None:
        if not self.isVisible():
            return
        now = clock.now()
        if self.detail is not None and self.detail.row.deadline_at is not None:
            bar = self.view.detail.verticalScrollBar()
            scroll = bar.value()
            self.view.detail.setHtml(render_detail(self.detail, now))
            bar.setValue(scroll)
        if now == self._table_now:
            return  # the table was filled this very second: its countdowns are current
        table = self.view.table
        column = COLUMN_INDEX["countdown"]
        for r in range(table.rowCount()):
            row = self._rows.get(self.case_id_at(r))
            item = table.item(r, column)
            if row is not None and item is not None and row.deadline_at is not None:
                self._set_countdown(item, row, now)
        self._table_now = now

    def case_id_at(self, table_row: int) -> int | None:
        """The case id shown in a table row (in the current sort order)."""
        item = self.view.table.item(table_row, COLUMN_INDEX["id"])
        return None if item is None else item.data(Qt.ItemDataRole.UserRole)

    def row_of_case(self, case_id: int) -> int | None:
        """The table row showing a case, or None when the list does not hold it."""
        for r in range(self.view.table.rowCount()):
            if self.case_id_at(r) == case_id:
                return r
        return None

    def _select_case(self, case_id: int) -> None:
        row = self.row_of_case(case_id)
        if row is None:
            return
        table = self.view.table
        table.blockSignals(True)
        table.selectRow(row)
        table.blockSignals(False)

    # --- the detail ---
    def select_case(self, case_id: int) -> None:
        """Select a case's row (when listed) and show its detail."""
        row = self.row_of_case(case_id)
        if row is not None:
            self.view.table.selectRow(row)
        else:
            self._show_case(case_id)

    def _on_selection_changed(self) -> None:
        if self._filling:
            return
        rows = self.view.table.selectionModel().selectedRows()
        if not rows:
            return
        case_id = self.case_id_at(rows[0].row())
        if case_id is not None and case_id != self.detail_id:
            self._show_case(case_id)

    def _show_case(self, case_id: int) -> None:
        self._set_message("")
        self.detail_id = case_id
        self.detail = None
        self._load_detail(case_id)

    def _load_detail(self, case_id: int) -> None:
        self._update_buttons()
        ReadOp(self, lambda: after_sales.case_detail(case_id)).success(
            lambda detail: self._on_detail(case_id, detail)
        ).failure(lambda exc: self._on_detail_failed(case_id, exc)).run()

    def _on_detail(self, case_id: int, detail: CaseDetail) -> None:
        if case_id != self.detail_id:
            return
        self.detail = detail
        bar = self.view.detail.verticalScrollBar()
        scroll = bar.value()
        self.view.detail.setHtml(render_detail(detail, clock.now()))
        bar.setValue(scroll)
        self._update_buttons()
        self.detail_shown.emit(case_id)

    def _on_detail_failed(self, case_id: int, exc: BaseException) -> None:
        if case_id == self.detail_id:
            self.detail = None
            self.view.detail.clear()
            self._set_message(user_message(exc), error=True)
            self._update_buttons()

    def _update_buttons(self) -> None:
        v = self.view
        d = self.detail
        if d is None:
            for button in (
                v.refund_button,
                v.return_button,
                v.received_button,
                v.reject_button,
                v.exchange_button,
                v.intercept_button,
            ):
                button.setEnabled(False)
                button.setToolTip(
                    tr("先在左侧选择一个售后单") if self.detail_id is None else tr("正在读取售后单…")
                )
            return
        amount = format_yuan(d.row.refund_amount_fen)
        v.refund_button.setEnabled(d.refund_block is None)
        v.refund_button.setToolTip(
            d.refund_block or tr("同意买家的退款申请，平台将退款 {amount}").format(amount=amount)
        )
        v.return_button.setEnabled(d.return_block is None)
        v.return_button.setToolTip(d.return_block or tr("同意买家退货，并告诉买家寄回的地址"))
        v.received_button.setEnabled(d.received_block is None)
        v.received_button.setToolTip(
            d.received_block or tr("收到买家寄回的商品：完好的放回库存，损坏的记为报损，然后退款")
        )
        v.exchange_button.setEnabled(d.exchange_block is None)
        v.exchange_button.setToolTip(d.exchange_block or tr("填写换货/补寄包裹的快递公司和单号"))
        v.intercept_button.setEnabled(d.intercept_block is None)
        v.intercept_button.setToolTip(
            d.intercept_block or tr("买家要退款而面单已打印：作废面单，已打包的商品放回货架")
        )
        v.reject_button.setEnabled(d.reject_block is None)
        v.reject_button.setToolTip(
            d.reject_block or tr("平台没有拒绝接口：查看在商家后台拒绝的步骤，并记下原因和凭证")
        )

    def _set_message(self, text: str, *, error: bool = False) -> None:
        label = self.view.message_label
        label.setText(text)
        label.setStyleSheet(f"color: {TOKENS['danger' if error else 'ok']}; font-weight: 600;")
        label.setVisible(bool(text))

    # --- decisions ---
    def agree_refund(self) -> None:
        """同意退款 on the case in the detail panel, after a confirmation dialog."""
        d = self.detail
        if d is None or d.refund_block is not None:
            return
        dlg = AgreeRefundDialog(d, self)
        case_id = d.row.id

        def submitted() -> None:
            note = dlg.note()  # read the widgets here, on the UI thread; the write runs on a lane
            self._decide(
                dlg,
                lambda: after_sales.agree_refund(after_sale_id=case_id, note=note),
                case_id,
                tr("已同意退款，等待同步上传"),
            )

        dlg.submitted.connect(submitted)
        self._open(dlg)

    def agree_return(self) -> None:
        """同意退货 on the case in the detail panel: read the return addresses, then ask."""
        d = self.detail
        if d is None or d.return_block is not None:
            return
        op = ReadOp(self, after_sales.return_addresses).success(lambda found: self._ask_return(d, found))
        op.failure(lambda exc: self._set_message(user_message(exc), error=True)).run()

    def _ask_return(self, d: CaseDetail, found: list) -> None:
        if self.detail_id != d.row.id:
            return
        if not found:
            # nothing to choose from: say so and offer a return address kept on this computer;
            # once saved, 同意退货 opens with it
            self._set_message(tr(NO_ADDRESS_TEXT), error=True)
            self._open_return_address(self, None, addresses.AddressForm(), lambda _c: self.agree_return())
            return
        dlg = AgreeReturnDialog(d, found, self)
        case_id = d.row.id

        def submitted() -> None:
            address_id, note = dlg.address_id() or 0, dlg.note()  # on the UI thread

            def write() -> Changes:
                return after_sales.agree_return(
                    after_sale_id=case_id, return_address_id=address_id, note=note
                )

            self._decide(dlg, write, case_id, tr("已同意退货，等待同步上传"))

        dlg.submitted.connect(submitted)
        dlg.add_address_requested.connect(lambda: self._edit_return_address(dlg, None))
        dlg.edit_address_requested.connect(lambda local_id: self._edit_return_address(dlg, local_id))
        self._open(dlg)

    def _edit_return_address(self, agree: AgreeReturnDialog, local_id: int | None) -> None:
        """Add (``local_id`` None) or edit a return address kept on this computer, from 同意退货."""
        before = {a.local_id for a in agree.addresses()}

        def reload(_changes: object) -> None:
            def refill(found: list) -> None:
                added = [a.local_id for a in found if a.local_id not in before]
                agree.set_addresses(found, added[-1] if added else local_id)

            ReadOp(agree, after_sales.return_addresses).success(refill).run()

        if local_id is None:
            self._open_return_address(agree, None, addresses.AddressForm(), reload)
            return
        ReadOp(agree, lambda: addresses.return_address_form(local_id)).success(
            lambda form: self._open_return_address(agree, local_id, form, reload)
        ).failure(lambda exc: agree.show_error(user_message(exc))).run()

    def _open_return_address(
        self,
        parent: QWidget,
        local_id: int | None,
        value: addresses.AddressForm,
        on_saved: Callable[[object], None],
    ) -> None:
        title = tr("新增退货地址") if local_id is None else tr("修改退货地址")
        dlg = AddressDialog(title, value, parent, with_default=False)
        self.address_dialog = dlg

        def save() -> None:
            form = dlg.form()
            op = WriteOp(self, lambda: addresses.save_return_address(address_id=local_id, form=form))
            op.in_dialog(dlg).success(on_saved).run()

        dlg.submitted.connect(save)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.open()

    def confirm_received(self) -> None:
        """确认收货并退款 on the case in the detail panel: good / damaged units, then the refund."""
        d = self.detail
        if d is None or d.received_block is not None:
            return
        dlg = ConfirmReceivedDialog(d, self)
        case_id = d.row.id

        def submitted() -> None:
            (good, damaged), note = dlg.counts(), dlg.note()  # on the UI thread

            def write() -> Changes:
                return after_sales.confirm_return_received(
                    after_sale_id=case_id, good_quantity=good, damaged_quantity=damaged, note=note
                )

            self._decide(dlg, write, case_id, tr("已确认收货：库存已更新，同意退款等待同步上传"))

        dlg.submitted.connect(submitted)
        self._open(dlg)

    def record_reject(self) -> None:
        """拒绝: guide to the merchant backend (no API) and record the reason and evidence here."""
        d = self.detail
        if d is None or d.reject_block is not None:
            return
        dlg = RejectDialog(d, self)
        case_id = d.row.id

        def submitted() -> None:
            reason, evidence = dlg.reason(), dlg.evidence()  # on the UI thread

            def write() -> Changes:
                return after_sales.record_platform_reject(
                    after_sale_id=case_id, reason=reason, evidence=evidence
                )

            self._decide(dlg, write, case_id, tr("已记录拒绝，等待平台处理；同步后显示平台状态"))

        dlg.submitted.connect(submitted)
        self._open(dlg)

    def ship_exchange(self) -> None:
        """换货/补寄发货 on the case in the detail panel: read the couriers, then ask."""
        d = self.detail
        if d is None or d.exchange_block is not None:
            return
        op = ReadOp(self, shipping.list_couriers).success(lambda found: self._ask_exchange(d, found))
        op.failure(lambda exc: self._set_message(user_message(exc), error=True)).run()

    def _ask_exchange(self, d: CaseDetail, couriers: list) -> None:
        if self.detail_id != d.row.id:
            return
        dlg = ExchangeShipDialog(d, couriers, self)
        case_id = d.row.id

        def submitted() -> None:
            courier_id, number = dlg.values()  # on the UI thread

            def write() -> Changes:
                return after_sales.ship_exchange(
                    after_sale_id=case_id, courier_id=courier_id, tracking_number=number
                )

            self._decide(dlg, write, case_id, tr("已发货，等待同步上传到平台"))

        dlg.submitted.connect(submitted)
        self._open(dlg)

    def intercept(self) -> None:
        """拦截发货 after a confirmation: void the order's labels (the refund itself stays to decide)."""
        d = self.detail
        if d is None or d.intercept_block is not None:
            return
        dlg = InterceptDialog(d, self)
        case_id = d.row.id
        dlg.submitted.connect(
            lambda: self._decide(
                dlg,
                lambda: after_sales.intercept_order(after_sale_id=case_id),
                case_id,
                tr("已拦截：面单已作废，请把已打包的商品放回货架"),
            )
        )
        self._open(dlg)

    def open_ledger(self) -> None:
        """退款统计: open (or raise) the ledger dialog and read the chosen period."""
        if self.ledger_dialog is None:
            dlg = RefundLedgerDialog(self)
            dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            dlg.destroyed.connect(lambda _o=None: setattr(self, "ledger_dialog", None))
            dlg.period_changed.connect(lambda _d: self._read_ledger())
            self.ledger_dialog = dlg
        self.ledger_dialog.show()
        self.ledger_dialog.raise_()
        self._read_ledger()

    def _read_ledger(self) -> None:
        dlg = self.ledger_dialog
        if dlg is None:
            return
        days = dlg.days()

        def shown(ledger) -> None:
            if self.ledger_dialog is not None:
                self.ledger_dialog.show_ledger(ledger)

        def failed(exc: BaseException) -> None:
            if self.ledger_dialog is not None:
                self.ledger_dialog.show_error(user_message(exc))

        self._ledger_query.run(lambda: after_sales.refund_ledger_days(days), shown, failed)

    def _open(self, dlg: QDialog) -> None:
        self.current_dialog = dlg
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.open()

    def _decide(self, dlg, write: Callable[[], Changes], case_id: int, done_text: str) -> None:
        """Run a decision on the database lane; on success close the dialog and show the new state."""

        def ok(changes: Changes) -> None:
            # The page refreshes itself on a relevant change while visible; otherwise do it here.
            if not (self.isVisible() and any(getattr(changes, f) for f in self.relevant)):
                self.refresh()
            self._set_message(done_text)

        def failed(exc: BaseException) -> None:
            if isinstance(exc, NotAllowed):
                self.refresh()  # the case moved on meanwhile (a sync, another decision): show it
            self._set_message(user_message(exc), error=True)

        op = WriteOp(self, write).in_dialog(dlg).before_broadcast(lambda _c: self._keep_case(case_id))
        op.success(ok).failure(failed).run()

    def _keep_case(self, case_id: int) -> None:
        """Show this case again once the list and the detail reload."""
        self.detail_id = case_id

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._on_countdown_tick()
