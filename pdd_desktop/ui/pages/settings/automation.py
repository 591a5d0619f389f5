"""设置 → 自动化 controller: the rule list, switching a rule on from its preview, settings, log, holds."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QTableWidgetItem, QWidget

from pdd_desktop.common.timefmt import format_ts
from pdd_desktop.services import automation as automation_service
from pdd_desktop.services import holds as holds_service
from pdd_desktop.services.orders import OrderFilter
from pdd_desktop.ui.dialogs.automation_dialogs import ActionLogDialog, HeldOrdersDialog, RuleDialog
from pdd_desktop.ui.dialogs.error import user_message
from pdd_desktop.ui.i18n import tr
from pdd_desktop.ui.ops import ReadOp, WriteOp
from pdd_desktop.ui.pages.base import PageContext
from pdd_desktop.ui.pages.settings.automation_view import AutomationView


class AutomationController(QObject):
    """Drives an :class:`AutomationView`; ``host`` is the page the ops belong to.

    ``open_orders(OrderFilter)`` shows orders in 发货中心 (the page's ``orders_requested``).
    Public for tests: ``rules`` (the rows shown), ``rule_dialog``, ``log_dialog``, ``holds_dialog``.
    """

    def __init__(self, ctx: PageContext, view: AutomationView, host: QWidget, open_orders) -> None:
        super().__init__(host)
        self.ctx = ctx
        self.view = view
        self.host = host
        self._open_orders = open_orders
        self.rules: list[automation_service.RuleRow] = []
        self.rule_dialog: RuleDialog | None = None
        self.log_dialog: ActionLogDialog | None = None
        self.holds_dialog: HeldOrdersDialog | None = None
        #: A rule to select once the list is read (an alert about it was opened).
        self.pending_kind = ""
        v = view
        v.rule_table.itemSelectionChanged.connect(self._update_buttons)
        v.rule_table.cellDoubleClicked.connect(lambda _r, _c: self.open_rule_dialog())
        v.enable_button.clicked.connect(self.open_rule_dialog)
        v.edit_button.clicked.connect(self.open_rule_dialog)
        v.disable_button.clicked.connect(self.disable_selected)
        v.run_button.clicked.connect(self.run_selected)
        v.log_button.clicked.connect(self.open_log)
        v.holds_button.clicked.connect(self.open_holds)
        # a run of the rules changes orders (not settings): keep 今天执行 and 上次运行 current
        ctx.events.changes_applied.connect(self._on_changes)
        self._update_buttons()

    def _on_changes(self, changes, _initiator) -> None:
        if (changes.orders or changes.after_sales) and self.view.isVisible():
            self.refresh()

    # --- the list ---
    def refresh(self) -> None:
        """Read the rules."""
        ReadOp(self.host, automation_service.list_rules).success(self._show).run()

    def _show(self, rows: list[automation_service.RuleRow]) -> None:
        selected = self.selected()
        self.rules = rows
        table = self.view.rule_table
        table.setRowCount(len(rows))
        problems = []
        for r, rule in enumerate(rows):
            state = tr("已启用") if rule.enabled else tr("未启用")
            last = format_ts(rule.last_run_at, "%m-%d %H:%M") if rule.last_run_at else tr("—")
            if rule.last_error:
                last += tr("（失败 {n} 次）").format(n=rule.fail_count)
                problems.append(
                    tr("「{rule}」上次失败：{error}").format(rule=tr(rule.title), error=rule.last_error)
                )
            cells = (tr(rule.title), state, rule.description, str(rule.done_today), last)
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c == 0:
                    item.setToolTip(tr(rule.summary))
                table.setItem(r, c, item)
            if selected is not None and rule.kind == selected.kind:
                table.selectRow(r)
        if self.pending_kind:
            self.select_kind(self.pending_kind)
            self.pending_kind = ""
        self.view.problem_label.setText("\n".join(problems))
        self.view.problem_label.setVisible(bool(problems))
        self._update_buttons()

    def selected(self) -> automation_service.RuleRow | None:
        """The selected rule."""
        rows = {i.row() for i in self.view.rule_table.selectedIndexes()}
        if len(rows) != 1:
            return None
        row = rows.pop()
        return self.rules[row] if row < len(self.rules) else None

    def select_kind(self, kind: str) -> None:
        """Select the rule of ``kind`` (tests, and after a change)."""
        for r, rule in enumerate(self.rules):
            if rule.kind == kind:
                self.view.rule_table.selectRow(r)

    def _update_buttons(self) -> None:
        rule = self.selected()
        v = self.view
        v.enable_button.setEnabled(rule is not None and not rule.enabled)
        v.edit_button.setEnabled(rule is not None)
        v.disable_button.setEnabled(rule is not None and rule.enabled)
        v.run_button.setEnabled(rule is not None and rule.enabled)

    # --- switching on, settings ---
    def open_rule_dialog(self) -> None:
        """启用 (a rule that is off) or 修改设置 (one that is on): settings, preview, then OK."""
        rule = self.selected()
        if rule is None:
            return
        enabling = not rule.enabled
        dlg = self.rule_dialog = RuleDialog(rule.kind, rule.params, enabling=enabling, parent=self.host)
        kind = rule.kind

        def preview(params) -> None:
            ReadOp(dlg, lambda: automation_service.preview(kind=kind, params=params)).success(
                lambda p: dlg.show_preview(params, p)
            ).failure(lambda exc: dlg.preview_failed(user_message(exc))).run()

        def submit() -> None:
            params = dlg.previewed_params
            if params is None:
                return
            if enabling:
                write = lambda: automation_service.enable_rule(kind=kind, params=params)  # noqa: E731
            else:
                write = lambda: automation_service.save_params(kind=kind, params=params)  # noqa: E731
            WriteOp(self.host, write).in_dialog(dlg).success(lambda _c: self._done(tr("已保存"))).run()

        dlg.preview_requested.connect(preview)
        dlg.orders_requested.connect(
            lambda ids: self._show_orders(
                ids, tr("自动化规则「{rule}」将处理的订单").format(rule=tr(rule.title))
            )
        )
        dlg.submitted.connect(submit)
        # not modal: the merchant may look at the previewed orders in 发货中心 and come back
        dlg.setWindowModality(Qt.WindowModality.NonModal)
        dlg.show()

    def _done(self, text: str) -> None:
        self.view.status_label.setText(text)
        self.refresh()

    def disable_selected(self) -> None:
        """Switch the selected rule off."""
        rule = self.selected()
        if rule is None or not rule.enabled:
            return
        kind = rule.kind
        WriteOp(self.host, lambda: automation_service.disable_rule(kind=kind)).success(
            lambda _c: self._done(tr("「{rule}」已停用").format(rule=tr(rule.title)))
        ).run()

    def run_selected(self) -> None:
        """Run the selected rule now (a timed print batch prints now)."""
        rule = self.selected()
        if rule is None or not rule.enabled:
            return
        kind = rule.kind

        def ran(report: automation_service.RunReport) -> None:
            outcome = report.outcomes[0] if report.outcomes else None
            if outcome is None:
                text = tr("「{rule}」没有运行").format(rule=tr(rule.title))
            elif outcome.error:
                text = tr("「{rule}」运行失败：{error}").format(rule=tr(rule.title), error=outcome.error)
            else:
                text = tr("「{rule}」已处理 {done} 单，{refused} 单未处理").format(
                    rule=tr(rule.title), done=outcome.done, refused=outcome.refused
                )
            self._done(text)

        WriteOp(self.host, lambda: automation_service.run_rules(kinds=[kind], force_print=True)).success(
            ran
        ).run()

    # --- log, holds ---
    def open_log(self) -> None:
        """The action log, newest first."""

        def show(rows) -> None:
            self.log_dialog = ActionLogDialog(rows, self.host)
            self.log_dialog.open()

        ReadOp(self.host, automation_service.action_log).success(show).run()

    def open_holds(self) -> None:
        """The orders on hold, with 解除暂停."""
        dlg = self.holds_dialog = HeldOrdersDialog(self.host)

        def load() -> None:
            ReadOp(dlg, holds_service.held_orders).success(dlg.show_held).run()

        def release(ids) -> None:
            WriteOp(self.host, lambda: holds_service.release_holds(order_ids=list(ids))).success(
                lambda _c: load()
            ).failure(lambda exc: dlg.error_label.setText(user_message(exc))).run()

        dlg.release_requested.connect(release)
        dlg.orders_requested.connect(lambda ids: self._show_orders(ids, tr("暂停发货的订单")))
        load()
        dlg.open()

    def _show_orders(self, ids, label: str) -> None:
        if not ids:
            return
        self._open_orders(OrderFilter(order_ids=tuple(ids), order_ids_label=label))
