"""Quick replies: pick one, fill it from the order, check it, copy it — one keystroke.

:class:`QuickReplyPanel` is the library list (groups, shortcuts, a filter that also takes a
shortcut such as ``/wl``), the filled text (editable) with the safety check's findings
highlighted, and 复制. Enter in the filter or the list copies the selected reply. Copying is
refused while a variable has no value or the check finds something: the merchant edits first.
The 客服 page embeds the panel; 发货中心 and 售后 open :class:`QuickReplyDialog` for the selected
order (context menu or Ctrl+Shift+R).
"""

from __future__ import annotations

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QColor, QKeySequence, QShortcut, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QApplication,
    QDateEdit,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTextEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from pdd_desktop.common import clock, timefmt
from pdd_desktop.services import cs
from pdd_desktop.ui.i18n import QT_TR_NOOP, tr
from pdd_desktop.ui.ops import ReadOp
from pdd_desktop.ui.theme import TOKENS

#: The shortcut that opens the quick replies from 发货中心 and 售后.
OPEN_SHORTCUT = "Ctrl+Shift+R"
_ID = Qt.ItemDataRole.UserRole
_HIGHLIGHT = QColor("#ffd6d6")
NO_ORDER_TEXT = QT_TR_NOOP("未选择订单：变量不会被填写")


class QuickReplyPanel(QWidget):
    """The library, the filled reply and 复制.

    Public children: ``filter_edit``, ``tree`` (group items with reply items; a reply item's
    ``UserRole`` is its id), ``date_edit`` (新发货日期), ``text_edit``, ``findings_label``,
    ``copy_button``, ``status_label``. ``copied`` carries the text put on the clipboard.
    """

    copied = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._replies: dict[int, cs.QuickReplyRow] = {}
        self._values: dict[str, str] = {}
        self._order_sn = ""

        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText(tr("输入快捷短语（如 /wl）或关键字，回车复制"))
        self.filter_edit.setClearButtonEnabled(True)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels([tr("快捷回复"), tr("短语")])
        self.tree.setColumnWidth(0, 180)
        self.tree.setMinimumWidth(240)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.filter_edit)
        left_layout.addWidget(self.tree, 1)

        self.order_label = QLabel(tr(NO_ORDER_TEXT))
        self.order_label.setObjectName("Muted")
        self.date_edit = QDateEdit()
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("yyyy-MM-dd")
        # The shop's today in Beijing (the demo's clock in a demo shop); a new ship date in the
        # past would promise the buyer nothing.
        today = timefmt.to_local(clock.now()).date()
        self.date_edit.setMinimumDate(QDate(today.year, today.month, today.day))
        self.date_edit.setDate(QDate(today.year, today.month, today.day).addDays(2))
        date_row = QHBoxLayout()
        self.date_label = QLabel(tr("新发货日期"))
        date_row.addWidget(self.date_label)
        date_row.addWidget(self.date_edit)
        date_row.addStretch(1)
        self.text_edit = QPlainTextEdit()
        self.text_edit.setPlaceholderText(tr("选择一条快捷回复"))
        self.findings_label = QLabel("")
        self.findings_label.setWordWrap(True)
        self.findings_label.setStyleSheet(f"color: {TOKENS['danger']};")
        self.copy_button = QPushButton(tr("复制（回车）"))
        self.copy_button.setDefault(True)
        self.status_label = QLabel("")
        self.status_label.setObjectName("Muted")
        buttons = QHBoxLayout()
        buttons.addWidget(self.status_label, 1)
        buttons.addWidget(self.copy_button)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(8, 0, 0, 0)
        right_layout.addWidget(self.order_label)
        right_layout.addLayout(date_row)
        right_layout.addWidget(self.text_edit, 1)
        right_layout.addWidget(self.findings_label)
        right_layout.addLayout(buttons)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)

        self.filter_edit.textChanged.connect(self._apply_filter)
        self.filter_edit.returnPressed.connect(self.copy_selected)
        self.tree.currentItemChanged.connect(lambda *_: self._fill_selected())
        self.tree.itemActivated.connect(lambda *_: self.copy_selected())
        self.date_edit.dateChanged.connect(lambda *_: self._fill_selected())
        self.text_edit.textChanged.connect(self._recheck)
        self.copy_button.clicked.connect(self.copy_current)
        self._set_date_visible(False)

    # --- data ---------------------------------------------------------------------------

    def load(self, replies: tuple[cs.QuickReplyRow, ...]) -> None:
        """Show the library (keeps the selection by id)."""
        keep = self.selected_id()
        self._replies = {r.id: r for r in replies}
        self.tree.clear()
        groups: dict[str, QTreeWidgetItem] = {}
        for r in replies:
            group = groups.get(r.group)
            if group is None:
                group = QTreeWidgetItem([r.group, ""])
                group.setFlags(Qt.ItemFlag.ItemIsEnabled)
                groups[r.group] = group
                self.tree.addTopLevelItem(group)
            item = QTreeWidgetItem([r.title, r.shortcut])
            item.setData(0, _ID, r.id)
            item.setToolTip(0, r.body)
            group.addChild(item)
        self.tree.expandAll()
        self._apply_filter(self.filter_edit.text())
        if keep is not None:
            self.select_reply(keep)

    def set_order(self, order_sn: str, values: dict[str, str]) -> None:
        """Fill variables from this order from now on."""
        self._order_sn, self._values = order_sn, dict(values)
        self.order_label.setObjectName("Muted")
        self.order_label.setText(
            tr("订单 {sn}：变量按这张订单填写").format(sn=order_sn) if order_sn else tr(NO_ORDER_TEXT)
        )
        self._restyle(self.order_label)
        self._fill_selected()

    def set_order_error(self, message: str) -> None:
        """The order could not be used: no order's values, and why (in red above the text)."""
        self._order_sn, self._values = "", {}
        self.order_label.setObjectName("Danger")
        self.order_label.setText(message)
        self._restyle(self.order_label)
        self._fill_selected()

    @staticmethod
    def _restyle(widget: QWidget) -> None:
        widget.style().unpolish(widget)
        widget.style().polish(widget)

    def selected_id(self) -> int | None:
        """The selected reply's id."""
        item = self.tree.currentItem()
        return None if item is None else item.data(0, _ID)

    def select_reply(self, reply_id: int) -> None:
        """Select the reply with this id."""
        for item in self._reply_items():
            if item.data(0, _ID) == reply_id:
                self.tree.setCurrentItem(item)
                return

    def _reply_items(self) -> list[QTreeWidgetItem]:
        out = []
        for g in range(self.tree.topLevelItemCount()):
            group = self.tree.topLevelItem(g)
            out.extend(group.child(i) for i in range(group.childCount()))
        return out

    # --- filter, fill, check ---------------------------------------------------------------

    def _apply_filter(self, text: str) -> None:
        needle = text.strip().lower()
        exact = None
        first_visible = None
        for item in self._reply_items():
            reply = self._replies[item.data(0, _ID)]
            hit = (
                not needle
                or needle == reply.shortcut
                or needle in reply.title.lower()
                or needle in reply.body
            )
            if needle.startswith("/") and reply.shortcut.startswith(needle):
                hit = True
            item.setHidden(not hit)
            if hit and first_visible is None:
                first_visible = item
            if needle and needle == reply.shortcut:
                exact = item
        for g in range(self.tree.topLevelItemCount()):
            group = self.tree.topLevelItem(g)
            group.setHidden(all(group.child(i).isHidden() for i in range(group.childCount())))
        target = exact or first_visible
        current = self.tree.currentItem()
        if target is not None and (current is None or current.isHidden() or exact is not None):
            self.tree.setCurrentItem(target)

    def _set_date_visible(self, visible: bool) -> None:
        self.date_label.setVisible(visible)
        self.date_edit.setVisible(visible)

    def _fill_selected(self) -> None:
        reply = self._replies.get(self.selected_id() or -1)
        if reply is None:
            return
        needs_date = cs.NEW_DATE_VAR in cs.variables_in(reply.body)
        self._set_date_visible(needs_date)
        values = dict(self._values)
        if needs_date:
            values[cs.NEW_DATE_VAR] = self.date_edit.date().toString(tr("M月d日"))
        filled = cs.fill(reply.body, values)
        self.text_edit.setPlainText(filled.text)
        self.status_label.setText("")

    def _recheck(self) -> None:
        self._show_check(cs.check_text(self.text_edit.toPlainText()))

    def _show_check(self, result: cs.FilledReply) -> None:
        selections = []
        for f in result.findings:
            sel = QTextEdit.ExtraSelection()
            fmt = QTextCharFormat()
            fmt.setBackground(_HIGHLIGHT)
            fmt.setForeground(QColor(TOKENS["danger"]))
            fmt.setToolTip(tr(f.rule.label))
            sel.format = fmt
            cursor = QTextCursor(self.text_edit.document())
            cursor.setPosition(_qt_pos(result.text, f.start))
            cursor.setPosition(_qt_pos(result.text, f.end), QTextCursor.MoveMode.KeepAnchor)
            sel.cursor = cursor
            selections.append(sel)
        self.text_edit.setExtraSelections(selections)
        lines = [
            tr("「{text}」{rule}：{why}").format(text=f.text, rule=tr(f.rule.label), why=tr(f.rule.why))
            for f in result.findings
        ]
        if result.missing:
            lines.append(tr("还有变量没有值：{names}").format(names=cs.variable_list(result.missing)))
            lines.extend(self._missing_hints(result.missing))
        self.findings_label.setText("\n".join(lines))
        self.findings_label.setVisible(bool(lines))
        self._last = result

    def _missing_hints(self, missing: tuple[str, ...]) -> list[str]:
        """What to do about the missing values: pick an order first, or why this order has none."""
        if not self._order_sn and any(v in cs.VARIABLES and v != cs.NEW_DATE_VAR for v in missing):
            return [tr("请先输入订单号并点「按订单填写」，或直接修改文字。")]
        return list(dict.fromkeys(tr(cs.MISSING_HINTS[v]) for v in missing if v in cs.MISSING_HINTS))

    # --- copy ----------------------------------------------------------------------------

    def copy_selected(self) -> None:
        """Enter in the filter or the list: copy the selected reply as filled."""
        if self.selected_id() is not None:
            self.copy_current()

    def copy_current(self) -> bool:
        """Check the text as it is now and put it on the clipboard when it is safe."""
        result = cs.check_text(self.text_edit.toPlainText())
        self._show_check(result)
        if not result.text.strip():
            self.status_label.setText(tr("没有可复制的内容"))
            return False
        if not result.ready:
            self.status_label.setText(tr("未复制：请先修改标红的内容"))
            return False
        QApplication.clipboard().setText(result.text)
        self.status_label.setText(tr("已复制，可粘贴到拼多多商家工作台的聊天窗口"))
        self.copied.emit(result.text)
        return True


def _qt_pos(text: str, index: int) -> int:
    """A Python string index as a Qt text position (characters outside the BMP count twice)."""
    return sum(2 if ord(ch) > 0xFFFF else 1 for ch in text[:index])


class QuickReplyDialog(QDialog):
    """The quick replies for one order (from 发货中心 or 售后); closes after a copy.

    Public children: ``panel`` (:class:`QuickReplyPanel`), ``error_label``.
    """

    def __init__(self, order_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("快捷回复"))
        self.resize(760, 440)
        self.panel = QuickReplyPanel(self)
        self.error_label = QLabel("")
        self.error_label.setObjectName("Danger")
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        layout = QVBoxLayout(self)
        layout.addWidget(self.panel, 1)
        layout.addWidget(self.error_label)
        self.panel.copied.connect(lambda _text: self.accept())
        QShortcut(QKeySequence("Ctrl+Return"), self, self.panel.copy_current)
        self.panel.filter_edit.setFocus()
        ReadOp(self, lambda: (cs.quick_replies(), cs.order_variables(order_id))).success(
            self._loaded
        ).failure(self._failed).run()

    def _loaded(self, result) -> None:
        replies, values = result
        self.panel.load(replies)
        self.panel.set_order(values.get(cs.ORDER_SN_VAR, ""), values)

    def _failed(self, exc: BaseException) -> None:
        self.error_label.setText(str(exc))
        self.error_label.show()

    def keyPressEvent(self, event) -> None:
        # Enter copies (through the filter or the list); it must not close the dialog unchecked.
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not self.panel.text_edit.hasFocus():
            self.panel.copy_selected()
            return
        super().keyPressEvent(event)
