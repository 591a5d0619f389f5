"""同步 window: what waits to upload, what needs a decision, and the recent runs.

Opened from the status bar's sync chip. Everything is read on the database lane and every
button is one service call; nothing here talks to the network (the sync lane does).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QTableWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from pdd_desktop.common.timefmt import format_ts
from pdd_desktop.services import sync as sync_service
from pdd_desktop.ui.dialogs.error import user_message
from pdd_desktop.ui.i18n import QT_TR_NOOP, tr
from pdd_desktop.ui.ops import ReadOp, WriteOp
from pdd_desktop.ui.widgets.tables import fill_table, report_table

#: Outbox states the 待上传 tab lists (finished ones live in the log).
OPEN_STATES = ("pending", "in_flight", "unknown", "failed_permanent", "conflict")
#: Outbox states 立即上传 can move on (a failed or conflicting op waits for the merchant).
UPLOADABLE_STATES = ("pending", "unknown")

#: What each empty table would show (an empty table alone looks broken).
EMPTY_OUTBOX = QT_TR_NOOP(
    "没有待上传的修改。\n在本机发货、改备注、改库存或价格、处理售后后，"
    "还没传到拼多多的操作会列在这里，同步时自动上传。"
)
EMPTY_CONFLICTS = QT_TR_NOOP(
    "没有冲突。\n本地修改上传前，如果平台上的值已经变了，会列在这里请你决定保留哪一边。"
)
EMPTY_LOG = QT_TR_NOOP("还没有同步记录。\n每次同步（自动，或点“立即同步”）下载和上传了什么，会记在这里。")


def _with_empty_state(table: QTableWidget, text: str) -> tuple[QStackedWidget, QLabel]:
    """The table and, in its place while it has no rows, a grey line saying what would be there."""
    label = QLabel(text)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setWordWrap(True)
    label.setProperty("role", "hint")
    label.setStyleSheet("color: palette(mid); padding: 24px;")
    stack = QStackedWidget()
    stack.addWidget(table)
    stack.addWidget(label)
    return stack, label


def _show_rows(stack: QStackedWidget, table: QTableWidget) -> None:
    stack.setCurrentIndex(0 if table.rowCount() else 1)


class SyncDialog(QDialog):
    """待上传 / 冲突 / 同步记录, with retry, discard and conflict decisions.

    Public children: ``tabs``, ``outbox_table``, ``retry_button``, ``discard_button``,
    ``upload_button``, ``conflict_table``, ``keep_local_button``, ``keep_remote_button``,
    ``log_table``, ``sync_button``, ``message_label``, and the empty-state lines
    ``outbox_empty``, ``conflict_empty``, ``log_empty``; ``confirm_discard`` can be replaced in
    tests. 立即上传 asks for a sync run now (``sync_requested``, the same request path as
    立即同步: the run pushes the waiting uploads first) instead of waiting for the next cycle.
    """

    #: A decision changed local data (Changes), for the pages to refresh.
    changes_applied = Signal(object)
    #: The user asked to sync now.
    sync_requested = Signal()

    def __init__(self, runner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("同步"))
        self.resize(900, 520)
        self._runner = runner
        self.outbox: list[sync_service.OutboxRow] = []
        self.conflicts: list[sync_service.ConflictRow] = []

        self.tabs = QTabWidget()
        outbox_box = QWidget()
        outbox_layout = QVBoxLayout(outbox_box)
        self.outbox_table = report_table(
            (tr("操作"), tr("订单/商品"), tr("状态"), tr("尝试次数"), tr("创建时间"), tr("最近错误"))
        )
        self._outbox_stack, self.outbox_empty = _with_empty_state(self.outbox_table, tr(EMPTY_OUTBOX))
        self.upload_button = QPushButton(tr("立即上传"))
        self.upload_button.setToolTip(tr("现在就把等待中的修改上传到平台，不必等下一次自动同步"))
        self.retry_button = QPushButton(tr("重试"))
        self.discard_button = QPushButton(tr("放弃上传…"))
        self.discard_button.setToolTip(tr("本地的修改保留，但不再上传到平台（需要确认）"))
        row = QHBoxLayout()
        row.addWidget(self.upload_button)
        row.addWidget(self.retry_button)
        row.addWidget(self.discard_button)
        row.addStretch(1)
        outbox_layout.addWidget(self._outbox_stack, 1)
        outbox_layout.addLayout(row)
        self.tabs.addTab(outbox_box, tr("待上传"))

        conflict_box = QWidget()
        conflict_layout = QVBoxLayout(conflict_box)
        self._conflict_intro = QLabel(tr("本地修改上传前，平台上的值已经变了。请逐项决定保留哪一边："))
        conflict_layout.addWidget(self._conflict_intro)
        self.conflict_table = report_table(
            (tr("订单/商品"), tr("项目"), tr("修改前"), tr("本地"), tr("平台"), tr("发现时间"))
        )
        self._conflict_stack, self.conflict_empty = _with_empty_state(
            self.conflict_table, tr(EMPTY_CONFLICTS)
        )
        self.keep_local_button = QPushButton(tr("保留本地，上传到平台"))
        self.keep_remote_button = QPushButton(tr("采用平台的值"))
        row = QHBoxLayout()
        row.addWidget(self.keep_local_button)
        row.addWidget(self.keep_remote_button)
        row.addStretch(1)
        conflict_layout.addWidget(self._conflict_stack, 1)
        conflict_layout.addLayout(row)
        self.tabs.addTab(conflict_box, tr("冲突"))

        self.log_table = report_table((tr("时间"), tr("内容"), tr("结果"), tr("说明")))
        self._log_stack, self.log_empty = _with_empty_state(self.log_table, tr(EMPTY_LOG))
        self.tabs.addTab(self._log_stack, tr("同步记录"))

        self.message_label = QLabel("")
        self.message_label.setWordWrap(True)
        self.sync_button = QPushButton(tr("立即同步（F5）"))
        close = QPushButton(tr("关闭"))
        bottom = QHBoxLayout()
        bottom.addWidget(self.message_label, 1)
        bottom.addWidget(self.sync_button)
        bottom.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(bottom)

        close.clicked.connect(self.reject)
        self.sync_button.clicked.connect(self.sync_requested.emit)
        self.upload_button.clicked.connect(self._on_upload)
        self.retry_button.clicked.connect(self._on_retry)
        self.discard_button.clicked.connect(self._on_discard)
        self.keep_local_button.clicked.connect(lambda: self._on_resolve("keep_local"))
        self.keep_remote_button.clicked.connect(lambda: self._on_resolve("keep_remote"))
        for table in (self.outbox_table, self.conflict_table):
            table.itemSelectionChanged.connect(self._update_buttons)
        self._update_buttons()
        self.reload()

    # --- loading ---
    def reload(self) -> None:
        """Read the outbox, the open conflicts and the log (database lane)."""
        op = ReadOp(
            self,
            lambda: (
                sync_service.list_outbox(states=OPEN_STATES),
                sync_service.list_conflicts(),
                sync_service.sync_log(100),
            ),
            runner=self._runner,
        )
        op.success(self._on_loaded).failure(self._on_error).run()

    def _on_loaded(self, result) -> None:
        self.outbox, self.conflicts, runs = result
        fill_table(
            self.outbox_table,
            [
                (o.op_label, o.entity_label, o.state_label, o.attempts,
                 format_ts(o.created_at, "%m-%d %H:%M"), o.last_error)
                for o in self.outbox
            ],
            [o.op_id for o in self.outbox],
        )  # fmt: skip
        fill_table(
            self.conflict_table,
            [
                (c.entity_label, c.field_label, c.base_value, c.local_value, c.remote_value,
                 format_ts(c.detected_at, "%m-%d %H:%M"))
                for c in self.conflicts
            ],
            [c.id for c in self.conflicts],
        )  # fmt: skip
        fill_table(self.log_table, [_log_row(r) for r in runs], [r.id for r in runs])
        for stack, table in (
            (self._outbox_stack, self.outbox_table),
            (self._conflict_stack, self.conflict_table),
            (self._log_stack, self.log_table),
        ):
            _show_rows(stack, table)
        self._conflict_intro.setVisible(bool(self.conflicts))
        self.tabs.setTabText(
            0, tr("待上传 {count}").format(count=len(self.outbox)) if self.outbox else tr("待上传")
        )
        self.tabs.setTabText(
            1, tr("冲突 {count}").format(count=len(self.conflicts)) if self.conflicts else tr("冲突")
        )
        if self.conflicts:
            self.tabs.setCurrentIndex(1)
        self._update_buttons()

    def _on_error(self, exc: BaseException) -> None:
        self.message_label.setText(user_message(exc))

    def _update_buttons(self) -> None:
        waiting = sum(1 for o in self.outbox if o.state in UPLOADABLE_STATES)
        self.upload_button.setEnabled(waiting > 0)
        self.upload_button.setText(
            tr("立即上传（{waiting} 项）").format(waiting=waiting) if waiting else tr("立即上传")
        )
        op = self._selected(self.outbox_table)
        self.retry_button.setEnabled(op is not None)
        self.discard_button.setEnabled(op is not None)
        conflict = self._selected(self.conflict_table) is not None
        self.keep_local_button.setEnabled(conflict)
        self.keep_remote_button.setEnabled(conflict)

    @staticmethod
    def _selected(table: QTableWidget):
        rows = table.selectionModel().selectedRows() if table.selectionModel() else []
        if not rows:
            return None
        item = table.item(rows[0].row(), 0)
        return None if item is None else item.data(Qt.ItemDataRole.UserRole)

    # --- decisions ---
    def confirm_discard(self, label: str) -> bool:
        """Ask before discarding an upload (tests replace this)."""
        answer = QMessageBox.question(
            self,
            tr("放弃上传"),
            tr(
                "放弃上传“{label}”？\n本地的修改会保留，但平台上不会有这次修改；需要时请在平台后台手动处理。"
            ).format(label=label),
        )
        return answer == QMessageBox.StandardButton.Yes

    def _on_upload(self) -> None:
        self.message_label.setText(tr("正在上传等待中的修改……完成后这里会刷新"))
        self.sync_requested.emit()

    def _on_retry(self) -> None:
        op_id = self._selected(self.outbox_table)
        if op_id is not None:
            self._apply(lambda: sync_service.retry_op(op_id=op_id), tr("已重新排队，下次同步时上传"))

    def _on_discard(self) -> None:
        op_id = self._selected(self.outbox_table)
        if op_id is None:
            return
        label = next((f"{o.op_label} {o.entity_label}" for o in self.outbox if o.op_id == op_id), op_id)
        if self.confirm_discard(label):
            self._apply(lambda: sync_service.discard_op(op_id=op_id), tr("已放弃上传"))

    def _on_resolve(self, resolution: str) -> None:
        conflict_id = self._selected(self.conflict_table)
        if conflict_id is not None:
            done = (
                tr("已保留本地的值，下次同步时上传") if resolution == "keep_local" else tr("已采用平台的值")
            )
            self._apply(
                lambda: sync_service.resolve_conflict(conflict_id=conflict_id, resolution=resolution), done
            )

    def _apply(self, fn, done: str) -> None:
        op = WriteOp(self, fn, runner=self._runner, publish=self.changes_applied.emit)
        op.before_broadcast(lambda _c: self.message_label.setText(done)).success(lambda _c: self.reload())
        op.failure(self._on_error).run()


_OUTCOME_LABELS = {
    "ok": QT_TR_NOOP("成功"), "failed": QT_TR_NOOP("失败"), "running": QT_TR_NOOP("进行中"),
    "offline": QT_TR_NOOP("离线"), "auth_needed": QT_TR_NOOP("需要重新授权"),
    "rate_limited": QT_TR_NOOP("平台限流"), "cancelled": QT_TR_NOOP("已取消"), "aborted": QT_TR_NOOP("中断"),
}  # fmt: skip
#: How each kind of synced data is counted ("订单：更新 3 笔"); others count 条.
_UNITS = {
    "orders": QT_TR_NOOP("笔"),
    "after_sales": QT_TR_NOOP("笔"),
    "goods": QT_TR_NOOP("个"),
    "couriers": QT_TR_NOOP("家"),
    "traces": QT_TR_NOOP("个包裹"),
}


def _what(run: sync_service.SyncLogRow) -> str:
    """What the run was about, in the merchant's words."""
    if run.kind == "push":
        return tr("上传本地修改")
    if run.kind == "check":
        return (
            tr("核对店铺（{stream_label}）").format(stream_label=run.stream_label)
            if run.stream_label
            else tr("核对店铺")
        )
    return run.stream_label or tr("同步")


def log_text(run: sync_service.SyncLogRow) -> str:
    """The 说明 of a run: what changed, zero and internal counts (windows, pages, versions) left out.

    A run that did not succeed shows its own message (already the merchant's words).
    """
    if run.outcome != "ok":
        return run.detail or tr(_OUTCOME_LABELS.get(run.outcome, ""))
    if run.kind == "push":
        if run.pages == 0:
            return tr("没有需要上传的修改")
        parts = [tr("上传成功 {upserted} 项").format(upserted=run.upserted)] if run.upserted else []
        if run.errors:
            parts.append(tr("{errors} 项未成功，见“待上传”或“冲突”").format(errors=run.errors))
        return tr("，").join(parts) or tr("已发送，等待平台确认")
    if run.upserted:
        return tr("{what}：更新 {upserted:,} {unit}").format(
            what=_what(run), upserted=run.upserted, unit=tr(_UNITS.get(run.stream, QT_TR_NOOP("条")))
        )
    return tr("没有新变化")


def _log_row(run: sync_service.SyncLogRow) -> tuple[object, ...]:
    """One sync run as table cells."""
    return (
        format_ts(run.started_at, "%m-%d %H:%M"),
        _what(run),
        tr(_OUTCOME_LABELS.get(run.outcome, QT_TR_NOOP("其他"))),
        log_text(run),
    )
