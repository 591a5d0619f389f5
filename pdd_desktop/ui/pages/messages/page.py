"""站内信 controller: categories with unread counts, the list, search, read/unread, pin, reading.

Every read and write goes through :mod:`pdd_desktop.ui.ops` to
:mod:`pdd_desktop.services.messages`; a write's ``Changes(messages=True)`` reaches every page,
so 工作台's 未读消息 follows and this page reloads (``relevant``; also when an alert changes, so
a 系统提醒's button follows its alert). A 系统提醒 that came from an alert has a button in the
reading pane that opens what the alert's own button opens (``alert_open_requested``, handled
by the main window like 工作台's 预警提醒), or says 已处理 once the alert resolved. The list is a
:class:`RowCacheTableModel`: the ordered ids of the query plus row blocks fetched on the read
lane while painting, so 50,000 notices open as fast as 150. Opening a message marks it read.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QHeaderView, QListWidgetItem, QVBoxLayout

from pdd_desktop.common.timefmt import format_ts
from pdd_desktop.domain.alerts import TARGET_NONE
from pdd_desktop.domain.messages import MessageCategory
from pdd_desktop.jobs.runner import READ
from pdd_desktop.services import alerts, messages
from pdd_desktop.ui.i18n import QT_TR_NOOP, tr
from pdd_desktop.ui.ops import LatestQuery, ReadOp, WriteOp
from pdd_desktop.ui.pages.base import Page, PageContext
from pdd_desktop.ui.pages.home.alerts_panel import OPEN_LABELS
from pdd_desktop.ui.pages.messages.view import MessagesPageView
from pdd_desktop.ui.table.row_cache_model import ColumnSpec, RowCacheTableModel, select_ids, selected_ids
from pdd_desktop.ui.theme import TOKENS

#: Typing pauses this long before the search runs.
DEBOUNCE_MS = 250
#: The categories' names on screen (the platform's seven, then the app's own alerts).
CATEGORY_NAMES: dict[MessageCategory, str] = {
    MessageCategory.IMPORTANT: QT_TR_NOOP("重要通知"),
    MessageCategory.PLATFORM_NEWS: QT_TR_NOOP("平台动态"),
    MessageCategory.CASHBACK: QT_TR_NOOP("返现通知"),
    MessageCategory.RULES: QT_TR_NOOP("规则更新"),
    MessageCategory.MARKETING: QT_TR_NOOP("营销推广"),
    MessageCategory.SHOP: QT_TR_NOOP("店铺动态"),
    MessageCategory.GROWTH: QT_TR_NOOP("商家成长"),
    MessageCategory.APP_ALERT: QT_TR_NOOP("系统提醒"),
}
#: Where this shop's platform notices come from, per ``services.messages.InboxSource.kind``.
SOURCE_TEXTS = {
    "demo": QT_TR_NOOP("演示店铺：站内信来自模拟平台，同步时会收到新的站内信。"),
    "api": QT_TR_NOOP(
        "拼多多开放平台没有提供站内信接口，平台的站内信无法同步到这里，请在拼多多商家后台查看。"
        "这里显示本助手的系统提醒和以前保存的站内信。"
    ),
    "files": QT_TR_NOOP(
        "本店未连接拼多多开放平台，平台的站内信请在拼多多商家后台查看；这里显示本助手的系统提醒。"
    ),
    "off": QT_TR_NOOP("同步已关闭。平台的站内信请在拼多多商家后台查看；这里显示本助手的系统提醒。"),
}
#: The category list's row for every category.
ALL = -1

_UNREAD = QColor(TOKENS["accent"])
_MUTED = QColor(TOKENS["muted"])
_WARNING = QColor(TOKENS["warning"])


def category_name(category: MessageCategory) -> str:
    """A category's name on screen."""
    return tr(CATEGORY_NAMES[category])


def _title_color(row: messages.MessageRow) -> QColor | None:
    if row.category == MessageCategory.RULES and row.unread:
        return _WARNING
    return None if row.unread else _MUTED


MESSAGE_COLUMNS: tuple[ColumnSpec, ...] = (
    ColumnSpec(
        "state",
        QT_TR_NOOP("状态"),
        lambda r: tr("未读") if r.unread else tr("已读"),
        56,
        color=lambda r: _UNREAD if r.unread else _MUTED,
    ),
    ColumnSpec("pinned", QT_TR_NOOP("置顶"), lambda r: tr("置顶") if r.is_pinned else "", 44),
    ColumnSpec("category", QT_TR_NOOP("分类"), lambda r: category_name(r.category), 76),
    ColumnSpec(
        "title", QT_TR_NOOP("标题"), lambda r: r.title, 300, color=_title_color, tooltip=lambda r: r.title
    ),
    ColumnSpec("time", QT_TR_NOOP("时间"), lambda r: format_ts(r.created_at, "%Y-%m-%d %H:%M"), 130),
)


#: Column position by key.
COLUMN_INDEX = {c.key: i for i, c in enumerate(MESSAGE_COLUMNS)}


class MessagesPage(Page):
    """站内信: the platform's notices (demo: from the sandbox) and the app's own alerts."""

    key = "messages"
    title = QT_TR_NOOP("站内信")
    icon_name = "messages"
    relevant = ("messages", "settings", "alerts")
    #: Open what an alert (a ``services.alerts.AlertRow``) is about: the 系统提醒's button.
    alert_open_requested = Signal(object)

    def __init__(self, ctx: PageContext, parent=None) -> None:
        super().__init__(ctx, parent)
        self.view = MessagesPageView(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        self.model = RowCacheTableModel(MESSAGE_COLUMNS, messages.rows_for_ids, self)
        self.model.set_row_loader(self._load_rows)
        self.view.table.setModel(self.model)
        header = self.view.table.horizontalHeader()
        for i, column in enumerate(MESSAGE_COLUMNS):
            header.resizeSection(i, column.width)
        header.setSectionResizeMode(COLUMN_INDEX["title"], QHeaderView.ResizeMode.Stretch)
        self.counts: messages.InboxCounts | None = None
        self.source: messages.InboxSource | None = None
        #: The message in the reading pane.
        self.detail: messages.MessageDetail | None = None
        #: Ids to select when the next list arrives (the banner's rule notice).
        self._select_after_load: list[int] = []
        self._filter: tuple[MessageCategory | None, bool] | None = None
        self._seen: set[int] = set()
        self._query = LatestQuery(self)
        self._detail_query = LatestQuery(self)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._fill_categories()
        self._connect()

    # --- setup ---
    def _fill_categories(self) -> None:
        item = QListWidgetItem(tr("全部"))
        item.setData(Qt.ItemDataRole.UserRole, ALL)
        self.view.categories.addItem(item)
        for category in MessageCategory:
            item = QListWidgetItem(category_name(category))
            item.setData(Qt.ItemDataRole.UserRole, int(category))
            self.view.categories.addItem(item)
        self.view.categories.setCurrentRow(0)

    def _connect(self) -> None:
        v = self.view
        v.categories.currentRowChanged.connect(lambda _row: self.refresh())
        v.search_edit.textChanged.connect(lambda _text: self._debounce.start())
        v.search_edit.returnPressed.connect(self.refresh)
        self._debounce.timeout.connect(self.refresh)
        v.unread_only.toggled.connect(lambda _on: self.refresh())
        v.table.selectionModel().selectionChanged.connect(lambda *_: self._on_selection())
        v.read_button.clicked.connect(lambda: self.mark_selected(read=True))
        v.unread_button.clicked.connect(lambda: self.mark_selected(read=False))
        v.category_read_button.clicked.connect(self.mark_category_read)
        v.all_read_button.clicked.connect(self.mark_all_read)
        v.pin_button.clicked.connect(self.toggle_pin)
        v.toggle_read_button.clicked.connect(self.toggle_read)
        v.rules_button.clicked.connect(self.open_rules)
        v.alert_button.clicked.connect(self.open_message_alert)

    # --- state ---
    def current_category(self) -> MessageCategory | None:
        """The category shown (None: all)."""
        item = self.view.categories.currentItem()
        value = ALL if item is None else int(item.data(Qt.ItemDataRole.UserRole))
        return None if value == ALL else MessageCategory(value)

    def set_category(self, category: MessageCategory | None) -> None:
        """Show one category (None: all); the list reloads."""
        wanted = ALL if category is None else int(category)
        for i in range(self.view.categories.count()):
            if self.view.categories.item(i).data(Qt.ItemDataRole.UserRole) == wanted:
                self.view.categories.setCurrentRow(i)
                return

    def apply_quick_filter(self, home_key: str) -> None:
        """工作台's 未读消息 was clicked: every category, unread only."""
        if home_key == "unread_messages":
            self.view.search_edit.clear()
            self.view.unread_only.setChecked(True)
            self.set_category(None)
            self.refresh()

    # --- loading ---
    def _load_rows(self, ids: list[int], done) -> None:
        ReadOp(self, lambda: messages.rows_for_ids(ids), lane=READ).success(done).run()

    def refresh(self) -> None:
        """Reload counts and the list (keeping the selection by id)."""
        self._debounce.stop()
        category = self.current_category()
        search = self.view.search_edit.text()
        unread_only = self.view.unread_only.isChecked()
        is_demo = self.ctx.shop.is_demo
        # Read just now under 只看未读: stays listed until the filter or the category changes.
        if (category, unread_only) != self._filter:
            self._filter = (category, unread_only)
            self._seen = set()
        keep = sorted(self._seen | set(self.selected_ids()) | set(self._select_after_load))

        def load():
            # Read every time: the sync setting (off / files / API) can change while the page is open.
            source = messages.inbox_source(is_demo=is_demo)
            return (
                messages.inbox_counts(),
                messages.message_list(
                    category=category, search=search, unread_only=unread_only, keep_ids=keep
                ),
                source,
            )

        self._query.run(load, self._on_loaded)

    def _on_loaded(self, result) -> None:
        counts, listed, source = result
        self.source = source
        self.view.source_label.setText(tr(SOURCE_TEXTS[source.kind]))
        keep = self._select_after_load or selected_ids(self.model, self.view.table.selectionModel())
        self._select_after_load = []
        self.counts = counts
        self._show_counts(counts)
        self.model.set_ids(list(listed.ids), listed.first_rows)
        if keep:
            select_ids(self.model, self.view.table.selectionModel(), keep)
            position = self.model.position_of(keep[0])
            if position is not None:
                self.view.table.scrollTo(self.model.index(position, 0))
        self._show_empty(len(listed.ids))
        if self.detail is not None:  # the pane keeps its message, with its new state
            message_id = self.detail.row.id
            self._detail_query.run(lambda: messages.message_detail(message_id), self._on_reloaded)
        self._update_buttons()

    def _on_reloaded(self, detail: messages.MessageDetail) -> None:
        if self.detail is not None and self.detail.row.id == detail.row.id:
            self._show_detail(detail)

    def _show_counts(self, counts: messages.InboxCounts) -> None:
        v = self.view
        v.count_label.setText(
            tr("共 {total:,} 条 · 未读 {unread:,} 条").format(total=counts.total, unread=counts.unread)
        )
        by_cat = {c.category: c for c in counts.categories}
        for i in range(v.categories.count()):
            item = v.categories.item(i)
            value = item.data(Qt.ItemDataRole.UserRole)
            if value == ALL:
                name, unread = tr("全部"), counts.unread
            else:
                cat = MessageCategory(value)
                name, unread = category_name(cat), by_cat[cat].unread
            item.setText(tr("{name}（{unread}）").format(name=name, unread=unread) if unread else name)
        v.all_read_button.setEnabled(counts.unread > 0)
        rules = counts.unread_rules
        v.rules_banner.setVisible(bool(rules))
        if rules:
            rule_unread = by_cat[MessageCategory.RULES].unread
            v.rules_label.setText(
                tr("有 {count} 条规则更新未读：{title}").format(count=rule_unread, title=rules[0].title)
            )

    def _show_empty(self, shown: int) -> None:
        v = self.view
        if shown:
            v.empty_label.hide()
            return
        if v.search_edit.text().strip():
            text = tr("没有符合搜索条件的站内信")
        elif v.unread_only.isChecked():
            text = tr("没有未读的站内信")
        else:
            text = tr("这个分类还没有站内信")
        v.empty_label.setText(text)
        v.empty_label.show()

    # --- selection and reading ---
    def selected_ids(self) -> list[int]:
        """Ids of the selected messages, in list order."""
        return selected_ids(self.model, self.view.table.selectionModel())

    def _on_selection(self) -> None:
        ids = self.selected_ids()
        self._update_buttons()
        if len(ids) != 1:
            return
        if self.detail is not None and self.detail.row.id == ids[0]:
            return
        self.open_message(ids[0])

    def open_message(self, message_id: int) -> None:
        """Show one message in the reading pane; an unread one is marked read."""
        self._detail_query.run(lambda: messages.message_detail(message_id), self._on_detail)

    def _on_detail(self, detail: messages.MessageDetail) -> None:
        self._seen.add(detail.row.id)
        self._show_detail(detail)
        if detail.row.unread:
            WriteOp(self, lambda: messages.mark_read(ids=[detail.row.id])).run()

    def _show_detail(self, detail: messages.MessageDetail | None) -> None:
        v = self.view
        self.detail = detail
        if detail is None:
            v.title_label.setText(tr("选择一条站内信阅读"))
            v.meta_label.setText("")
            v.body.setPlainText("")
        else:
            row = detail.row
            v.title_label.setText(row.title)
            source = tr("本助手") if row.is_local else tr("拼多多平台")
            v.meta_label.setText(
                tr("{category} · {time} · 来自{source}").format(
                    category=category_name(row.category),
                    time=format_ts(row.created_at, "%Y-%m-%d %H:%M"),
                    source=source,
                )
            )
            v.body.setPlainText(detail.body)
        self._show_alert_button(None if detail is None else detail.alert)
        self._update_buttons()

    def _show_alert_button(self, alert: alerts.AlertRow | None) -> None:
        button = self.view.alert_button
        if alert is None or alert.target == TARGET_NONE or alert.target not in OPEN_LABELS:
            button.hide()
            return
        if alert.resolved_at is not None:
            button.setText(tr("已处理"))
            button.setToolTip(
                tr("这条提醒在 {time} 已经消除，没有需要查看的了").format(
                    time=format_ts(alert.resolved_at, "%Y-%m-%d %H:%M")
                )
            )
            button.setEnabled(False)
        else:
            button.setText(tr(OPEN_LABELS[alert.target]))
            button.setToolTip(tr("打开这条提醒涉及的内容"))
            button.setEnabled(True)
        button.show()

    def open_message_alert(self) -> None:
        """The reading pane's alert button: open what the alert opens, read fresh.

        An alert resolved since the message was shown turns the button into 已处理 instead.
        """
        detail = self.detail
        if detail is None or detail.alert is None:
            return
        key, message_id = detail.alert.key, detail.row.id

        def opened(alert: alerts.AlertRow | None) -> None:
            if self.detail is None or self.detail.row.id != message_id:
                return  # the merchant moved on meanwhile
            if alert is None or alert.resolved_at is not None:
                self._show_alert_button(alert)
                return
            self.alert_open_requested.emit(alert)

        ReadOp(self, lambda: alerts.get_alert(key)).success(opened).run()

    def _update_buttons(self) -> None:
        v = self.view
        ids = self.selected_ids()
        v.read_button.setEnabled(bool(ids))
        v.unread_button.setEnabled(bool(ids))
        counts = self.counts
        category = self.current_category()
        if counts is not None:
            unread = (
                counts.unread
                if category is None
                else next(c.unread for c in counts.categories if c.category == category)
            )
            v.category_read_button.setEnabled(unread > 0)
        current = self._current_row()
        v.pin_button.setEnabled(current is not None)
        v.toggle_read_button.setEnabled(current is not None)
        if current is not None:
            v.pin_button.setText(tr("取消置顶") if current.is_pinned else tr("置顶"))
            v.toggle_read_button.setText(tr("标为已读") if current.unread else tr("标为未读"))

    def _current_row(self) -> messages.MessageRow | None:
        return None if self.detail is None else self.detail.row

    # --- actions ---
    def mark_selected(self, *, read: bool) -> None:
        """标为已读 / 标为未读 for the selected messages."""
        ids = self.selected_ids()
        if ids:
            WriteOp(self, lambda: messages.mark_read(ids=ids, read=read)).run()

    def mark_category_read(self) -> None:
        """本类全部已读: every unread message of the category shown (all when 全部)."""
        category = self.current_category()
        WriteOp(self, lambda: messages.mark_all_read(category=category)).run()

    def mark_all_read(self) -> None:
        """全部标为已读: every category."""
        WriteOp(self, lambda: messages.mark_all_read()).run()

    def toggle_pin(self) -> None:
        """Pin the message in the reading pane, or unpin it."""
        row = self._current_row()
        if row is not None:
            message_id, pinned = row.id, not row.is_pinned
            WriteOp(self, lambda: messages.set_pinned(message_id=message_id, pinned=pinned)).run()

    def toggle_read(self) -> None:
        """The reading pane's 标为未读 / 标为已读."""
        row = self._current_row()
        if row is not None:
            message_id, read = row.id, row.unread
            WriteOp(self, lambda: messages.mark_read(ids=[message_id], read=read)).run()

    def open_rules(self) -> None:
        """The banner's button: 规则更新 with the newest unread rule notice selected and opened."""
        counts = self.counts
        if counts is not None and counts.unread_rules:
            self._select_after_load = [counts.unread_rules[0].id]
        self.view.search_edit.clear()
        self.view.unread_only.setChecked(False)
        if self.current_category() == MessageCategory.RULES:
            self.refresh()
        else:
            self.set_category(MessageCategory.RULES)
