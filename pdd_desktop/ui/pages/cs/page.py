"""客服 controller: reply rates against the merchant's targets, imports, and the quick replies.

Reads and writes go through :mod:`pdd_desktop.ui.ops` to :mod:`pdd_desktop.services.cs` and
:mod:`pdd_desktop.services.cs_import`; a write's ``Changes(cs=True)`` reloads the page.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QFileDialog, QMessageBox, QTableWidgetItem, QVBoxLayout

from pdd_desktop.domain import cs_metrics as m
from pdd_desktop.services import cs, cs_import
from pdd_desktop.ui.dialogs.error import user_message
from pdd_desktop.ui.i18n import QT_TR_NOOP, tr
from pdd_desktop.ui.ops import ReadOp, WriteOp
from pdd_desktop.ui.pages.base import Page, PageContext
from pdd_desktop.ui.pages.cs.edit_dialog import QuickReplyEditDialog
from pdd_desktop.ui.pages.cs.view import CsPageView
from pdd_desktop.ui.theme import TOKENS

SOURCE_TEXT = QT_TR_NOOP(
    "拼多多开放平台没有提供客服数据接口：请在拼多多商家后台导出「客服数据」（店铺）和「客服绩效」"
    "（按客服），再点「导入客服数据」。文件中的平均、总计行会用来核对明细。"
)
DEMO_SOURCE_TEXT = QT_TR_NOOP(
    "演示店铺：客服数据来自模拟平台（按小时模拟的咨询和三位客服），每次同步导入到昨天为止的数据；"
    "也可以点「导入客服数据」试试导入文件。"
)
EMPTY_TEXT = QT_TR_NOOP("还没有客服数据。导入商家后台导出的客服数据文件后，这里按客服显示回复率。")
DEMO_EMPTY_TEXT = QT_TR_NOOP(
    "还没有客服数据：演示店铺下次同步时会从模拟平台导入近30天的客服数据，也可以点「导入客服数据」导入文件。"
)
_BELOW = QColor(TOKENS["danger"])


def _percent_text(rate) -> str:
    text = m.rate_text(rate, 2)
    return text[:-1].rstrip("0").rstrip(".")


class CsPage(Page):
    """The 客服 module."""

    key = "cs"
    title = QT_TR_NOOP("客服")
    icon_name = "cs"
    relevant = ("cs", "orders", "shipments", "after_sales")

    def __init__(self, ctx: PageContext, parent=None) -> None:
        super().__init__(ctx, parent)
        self.view = CsPageView(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        self.overview: cs.CsOverview | None = None
        self.replies: tuple[cs.QuickReplyRow, ...] = ()
        v = self.view
        v.source_label.setText(tr(DEMO_SOURCE_TEXT) if ctx.shop.is_demo else tr(SOURCE_TEXT))
        v.tabs.currentChanged.connect(v.stack.setCurrentIndex)
        v.import_button.clicked.connect(self._choose_import)
        v.save_targets_button.clicked.connect(self._save_targets)
        v.order_button.clicked.connect(self._load_order)
        v.order_edit.returnPressed.connect(self._load_order)
        v.new_button.clicked.connect(lambda: self._edit(None))
        v.edit_button.clicked.connect(self._edit_selected)
        v.delete_button.clicked.connect(self._delete_selected)
        v.panel.tree.currentItemChanged.connect(lambda *_: self._update_buttons())
        self._update_buttons()

    # --- loading -------------------------------------------------------------------------

    def refresh(self) -> None:
        """Reload figures, targets and the library."""
        ReadOp(self, lambda: (cs.overview(), cs.quick_replies())).success(self._loaded).run()

    def _loaded(self, result) -> None:
        self.overview, self.replies = result
        self.view.panel.load(self.replies)
        self._show_overview(self.overview)
        self._update_buttons()

    def _show_overview(self, ov: cs.CsOverview) -> None:
        v = self.view
        v.r3_target.setText(_percent_text(ov.targets.r3))
        v.r30_target.setText(_percent_text(ov.targets.r30))
        v.figures.setRowCount(0)
        v.hours.setRowCount(0)
        if ov.latest_day is None:
            v.period_label.setText("")
            v.count_label.setText("")
            v.hours_label.hide()
            v.hours.hide()
            v.empty_label.setText(tr(DEMO_EMPTY_TEXT) if self.ctx.shop.is_demo else tr(EMPTY_TEXT))
            v.empty_label.show()
            return
        v.empty_label.hide()
        latest = cs_import.day_date(ov.latest_day)
        first = cs_import.day_date(ov.latest_day - ov.rolling_days + 1)
        period = tr("当日：{day}　近30天：{first} 至 {day}").format(
            day=latest.isoformat(), first=first.isoformat()
        )
        with_data = max((f.days for f in ov.rolling), default=0)
        if with_data < ov.rolling_days:
            # A window with a few imported days must not read as a full 30-day figure.
            period += tr("（其中 {n} 天有数据）").format(n=with_data)
        v.period_label.setText(period)
        rolling = {f.agent: f for f in ov.rolling}
        daily = {f.agent: f for f in ov.daily}
        agents = sorted(rolling, key=lambda a: (a != cs.SHOP, a))
        v.count_label.setText(tr("{n} 位客服").format(n=sum(1 for a in agents if a)))
        for agent in agents:
            d, r = daily.get(agent), rolling[agent]
            row = v.figures.rowCount()
            v.figures.insertRow(row)
            cells = [
                (r.who if agent else tr("全店"), None),
                (d.r3 if d else None, ov.targets.r3),
                (d.r3_all if d else None, None),
                (d.r30 if d else None, ov.targets.r30),
                (d.r30_all if d else None, None),
                (r.r3, ov.targets.r3),
                (r.r3_all, None),
                (r.r30, ov.targets.r30),
                (r.r30_all, None),
            ]
            for col, (value, target) in enumerate(cells):
                text = value if col == 0 else m.rate_text(value)
                item = QTableWidgetItem(text)
                if col:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if target is not None and value is not None and value < target:
                    item.setForeground(_BELOW)
                    item.setToolTip(tr("低于目标 {t}").format(t=m.rate_text(target)))
                v.figures.setItem(row, col, item)
            v.figures.setItem(row, 9, QTableWidgetItem(m.duration_text(r.avg_response_ms)))
            v.figures.setItem(row, 10, QTableWidgetItem(m.rate_text(r.conversion)))
        v.hours_label.show()
        v.hours.setVisible(bool(ov.hours))
        if not ov.hours:
            v.hours_label.setText(tr("漏回最多的时段：导入的文件没有分时数据"))
            return
        v.hours_label.setText(tr("漏回最多的时段（近30天，考核时段 8–23 点）"))
        # The (8-23点) rates count only 08:00–23:00: those hours are ranked; the night hours are
        # one row at the end, never red against a target that does not apply to them.
        window = [h for h in ov.hours if h.hour in m.WINDOW_HOURS]
        night = [h for h in ov.hours if h.hour not in m.WINDOW_HOURS]
        for h in window[:8]:
            self._hour_row(tr("{a:02d}:00–{b:02d}:00").format(a=h.hour, b=h.hour + 1), h, ov.targets.r3)
        if night:
            total = cs.HourLoss(
                -1,
                sum(h.need_human for h in night),
                sum(h.unreplied_3m for h in night),
                sum(h.unanswered_30s for h in night),
            )
            self._hour_row(tr("23:00–次日08:00（不计入考核）"), total, None)

    def _hour_row(self, label: str, h: cs.HourLoss, target) -> None:
        table = self.view.hours
        row = table.rowCount()
        table.insertRow(row)
        values = (label, str(h.need_human), str(h.unreplied_3m), str(h.unanswered_30s), m.rate_text(h.r3))
        for col, text in enumerate(values):
            item = QTableWidgetItem(text)
            if col:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if col == 4 and target is not None and h.r3 is not None and h.r3 < target:
                item.setForeground(_BELOW)
            table.setItem(row, col, item)

    # --- reply rates ---------------------------------------------------------------------

    def _choose_import(self) -> None:
        path, _f = QFileDialog.getOpenFileName(
            self, tr("选择客服数据文件"), "", tr("表格文件 (*.csv *.xlsx)")
        )
        if path:
            self.import_file(path)

    def import_file(self, path: str) -> None:
        """Check ``path`` in the import window (the same route as every other file): preview,
        the control totals it checked, then 导入 — all of the file or nothing.
        """  # noqa: D205
        self.ctx.events.import_requested.emit(path)

    def _save_targets(self) -> None:
        r3, r30 = self.view.r3_target.text(), self.view.r30_target.text()
        WriteOp(self, lambda: cs.set_targets(r3=r3, r30=r30)).run()

    # --- quick replies -------------------------------------------------------------------

    def _load_order(self) -> None:
        sn = self.view.order_edit.text().strip()
        # Whatever happens, the previous order's values go first: a reply must never carry
        # another order's number or tracking because a lookup failed.
        self.view.panel.set_order("", {})
        if not sn:
            return
        ReadOp(self, lambda: cs.order_variables(cs.find_order(sn))).success(
            lambda values: self.view.panel.set_order(values[cs.ORDER_SN_VAR], values)
        ).failure(lambda exc: self.view.panel.set_order_error(user_message(exc))).run()

    def _selected(self) -> cs.QuickReplyRow | None:
        rid = self.view.panel.selected_id()
        return next((r for r in self.replies if r.id == rid), None)

    def _update_buttons(self) -> None:
        has = self._selected() is not None
        self.view.edit_button.setEnabled(has)
        self.view.delete_button.setEnabled(has)

    def _edit_selected(self) -> None:
        reply = self._selected()
        if reply is not None:
            self._edit(reply)

    def _edit(self, reply: cs.QuickReplyRow | None) -> QuickReplyEditDialog:
        groups = list(dict.fromkeys(r.group for r in self.replies))
        dlg = QuickReplyEditDialog(groups, reply, self)

        def save() -> None:
            values = dict(
                reply_id=reply.id if reply else None,
                group=dlg.group_combo.currentText(),
                shortcut=dlg.shortcut_edit.text(),
                title=dlg.title_edit.text(),
                body=dlg.body_edit.toPlainText(),
            )
            WriteOp(self, lambda: cs.save_quick_reply(**values)).in_dialog(dlg).run()

        dlg.submitted.connect(save)
        dlg.open()
        return dlg

    def _delete_selected(self) -> None:
        reply = self._selected()
        if reply is None:
            return
        answer = QMessageBox.question(self, tr("删除快捷回复"), tr("删除「{t}」？").format(t=reply.title))
        if answer == QMessageBox.StandardButton.Yes:
            WriteOp(self, lambda: cs.delete_quick_reply(reply_id=reply.id)).run()
