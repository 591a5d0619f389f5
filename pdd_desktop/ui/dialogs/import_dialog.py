"""导入订单文件: every kind of file in ``services/imports/kinds.py``, checked first, applied all or nothing.

Drop a file on the dialog (or on the main window) or pick one. The check runs on the database
lane with progress and cancel and writes nothing; the dialog then shows the report, how each
column was understood, the first orders and every bad row. 导入 applies a clean file; a file
with bad rows is only applied when the user explicitly chooses to import the good rows (the bad
ones are recorded as rejected). 导入记录 lists earlier imports.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from pdd_desktop.common.task import Cancelled
from pdd_desktop.common.timefmt import format_ts
from pdd_desktop.domain.export_columns import field_label
from pdd_desktop.domain.funds import label as category_label
from pdd_desktop.domain.money import format_yuan
from pdd_desktop.services import imports
from pdd_desktop.services.imports import kinds as import_kinds
from pdd_desktop.ui.dialogs.error import user_message
from pdd_desktop.ui.i18n import QT_TR_NOOP, tr
from pdd_desktop.ui.ops import ReadOp, WriteOp
from pdd_desktop.ui.widgets.tables import fill_table, report_table

#: File types the import understands.
SUFFIXES = (".csv", ".xlsx", ".xlsm", ".zip")
_ACTIONS = {"new": QT_TR_NOOP("新增"), "updated": QT_TR_NOOP("更新"), "unchanged": QT_TR_NOOP("无变化")}
_COLUMN_STATUS = {
    "used": QT_TR_NOOP("导入"), "unused": QT_TR_NOOP("不保存"), "unknown": QT_TR_NOOP("未识别（忽略）"),
    "duplicate": QT_TR_NOOP("重复的列"),
}  # fmt: skip
_BATCH_STATES = {
    "applied": QT_TR_NOOP("已导入"), "rejected": QT_TR_NOOP("已拒绝"), "cancelled": QT_TR_NOOP("已取消"),
    "checked": QT_TR_NOOP("已检查"),
}  # fmt: skip
PREVIEW_HEADERS = (
    QT_TR_NOOP("行号"), QT_TR_NOOP("订单号"), QT_TR_NOOP("状态"), QT_TR_NOOP("实付"), QT_TR_NOOP("商品行"),
    QT_TR_NOOP("商品"), QT_TR_NOOP("导入后"),
)  # fmt: skip
#: The preview of an ad report (推广商品): one row per day × plan × goods.
AD_PREVIEW_HEADERS = (
    QT_TR_NOOP("行号"), QT_TR_NOOP("推广名称"), QT_TR_NOOP("日期"), QT_TR_NOOP("花费"),
    QT_TR_NOOP("成交笔数"), QT_TR_NOOP("商品"), QT_TR_NOOP("导入后"),
)  # fmt: skip
#: The preview of a bill (货款账单): its lines.
BILL_PREVIEW_HEADERS = (
    QT_TR_NOOP("行号"), QT_TR_NOOP("订单号"), QT_TR_NOOP("类别"), QT_TR_NOOP("金额"), QT_TR_NOOP("发生时间"),
    QT_TR_NOOP("业务描述"), QT_TR_NOOP("导入后"),
)  # fmt: skip
_BILL_ACTIONS = {"new": QT_TR_NOOP("新增"), "unchanged": QT_TR_NOOP("已导入过")}
#: The preview of a 客服 export: one row per day (shop) or per agent and day.
CS_PREVIEW_HEADERS = (
    QT_TR_NOOP("行号"), QT_TR_NOOP("日期"), QT_TR_NOOP("客服"), QT_TR_NOOP("咨询人数"),
    QT_TR_NOOP("需要人工回复"), QT_TR_NOOP("3分钟人工回复率"), QT_TR_NOOP("导入后"),
)  # fmt: skip
_KINDS = {
    "orders": QT_TR_NOOP("订单"),
    "goods": QT_TR_NOOP("商品"),
    "ads": QT_TR_NOOP("推广报表"),
    "bills": QT_TR_NOOP("账单"),
    "registrations": QT_TR_NOOP("活动报名"),
    "cs_shop": QT_TR_NOOP("店铺客服数据"),
    "cs_agent": QT_TR_NOOP("客服绩效"),
}
COLUMNS_HEADERS = (QT_TR_NOOP("文件中的列"), QT_TR_NOOP("对应"), QT_TR_NOOP("处理"))
ERRORS_HEADERS = (QT_TR_NOOP("行号"), QT_TR_NOOP("列"), QT_TR_NOOP("内容"), QT_TR_NOOP("原因"))
HISTORY_HEADERS = (
    QT_TR_NOOP("时间"), QT_TR_NOOP("文件"), QT_TR_NOOP("类型"), QT_TR_NOOP("新增"), QT_TR_NOOP("更新"),
    QT_TR_NOOP("无变化"), QT_TR_NOOP("拒绝"), QT_TR_NOOP("状态"),
)  # fmt: skip


def _previews(
    money: Callable[[int | None], str],
) -> dict[str, tuple[tuple[str, ...], Callable[[Any], tuple]]]:
    """Per file kind: the preview's headers and how one previewed row is shown."""
    return {
        "orders": (PREVIEW_HEADERS, lambda p: (
            p.row_no, p.order_sn, p.status_label, money(p.pay_amount_fen), p.items, p.goods,
            _lookup(_ACTIONS, p.action))),
        "goods": (PREVIEW_HEADERS, lambda p: (
            p.row_no, p.outer_id or p.sku_id, p.goods_name, money(p.group_price_fen), p.stock, p.spec,
            _lookup(_ACTIONS, p.action))),
        "ads": (AD_PREVIEW_HEADERS, lambda p: (
            p.row_no, p.plan_name, p.day, money(p.spend_fen), p.orders, p.goods_name,
            _lookup(_ACTIONS, p.action))),
        "registrations": (PREVIEW_HEADERS, lambda p: (  # 营销 → 报名记录: activity, state, SKU prices
            p.row_no, p.activity_id, p.state, "", p.skus, f"{p.activity_name} · {p.goods_name}",
            _lookup(_ACTIONS, p.action))),
        "bills": (BILL_PREVIEW_HEADERS, lambda p: (
            p.row_no, p.order_sn, tr(category_label(p.category)), money(p.amount_fen),
            format_ts(p.occurred_at), p.description, _lookup(_BILL_ACTIONS, p.action))),
        "cs_shop": (CS_PREVIEW_HEADERS, _cs_preview),
        "cs_agent": (CS_PREVIEW_HEADERS, _cs_preview),
    }  # fmt: skip


def _cs_preview(p: Any) -> tuple:
    """A previewed 客服 row (``services.imports.cs.PreviewCsRow``)."""
    count = "—"
    return (
        p.row_no, p.day, p.agent or tr("全店"), count if p.consult_users is None else p.consult_users,
        count if p.need_human is None else p.need_human, p.r3, _lookup(_ACTIONS, p.action),
    )  # fmt: skip


def _lookup(table: dict[str, str], key: str) -> str:
    """The shown name of ``key`` in a ``QT_TR_NOOP`` table; an unknown key shows as it is."""
    return tr(table[key]) if key in table else key


def batch_state_text(state: str, rejected: int) -> str:
    """An import's state for the history: a file applied without its bad rows says so."""
    if state == "applied" and rejected:
        return tr("部分导入（{rejected:,} 行未导入）").format(rejected=rejected)
    return _lookup(_BATCH_STATES, state)


def importable(path: str) -> bool:
    """Whether a dropped path looks like a file the import understands."""
    return Path(path).suffix.lower() in SUFFIXES


class ImportDialog(QDialog):
    """Check → report → apply, for one file at a time; plus the import history.

    Public children: ``choose_button``, ``summary_label``, ``tabs``, ``preview_table``,
    ``columns_table``, ``errors_table``, ``history_table``, ``import_button``,
    ``partial_button``; ``check`` (the current ImportCheck) and ``result`` (the last
    ImportResult). ``choose_file`` and ``confirm_partial`` can be replaced in tests.
    """

    #: Data changed (Changes), for the pages to refresh.
    changes_applied = Signal(object)
    #: A check finished and its report is shown.
    checked = Signal()

    def __init__(self, runner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("导入订单文件"))
        self.resize(960, 620)
        self.setAcceptDrops(True)
        self._runner = runner
        self.check: imports.ImportCheck | None = None
        self.result: imports.ImportResult | None = None

        # The kinds come from the import registry (services/imports/kinds.py), so a new kind
        # of file shows here without editing this sentence.
        accepted = import_kinds.join_labels(
            [tr(label) for label in import_kinds.labels()], sep=tr("、"), last=tr("或")
        )
        self.drop_label = QLabel(
            tr("把拼多多商家后台导出的{kinds}（.csv / .xlsx / .zip）拖到这里，或者").format(kinds=accepted)
        )
        self.choose_button = QPushButton(tr("选择文件…"))
        top = QHBoxLayout()
        top.addWidget(self.drop_label, 1)
        top.addWidget(self.choose_button)
        self.summary_label = QLabel(tr("还没有选择文件。导入前会先检查每一行，检查不会改动任何数据。"))
        self.summary_label.setWordWrap(True)
        self.summary_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.tabs = QTabWidget()
        self.preview_table = report_table([tr(h) for h in PREVIEW_HEADERS])
        self.columns_table = report_table([tr(h) for h in COLUMNS_HEADERS])
        self.errors_table = report_table([tr(h) for h in ERRORS_HEADERS])
        self.history_table = report_table([tr(h) for h in HISTORY_HEADERS])
        self.tabs.addTab(self.preview_table, tr("预览"))
        self.tabs.addTab(self.columns_table, tr("列对应"))
        self.tabs.addTab(self.errors_table, tr("错误"))
        self.tabs.addTab(self.history_table, tr("导入记录"))

        self.import_button = QPushButton(tr("导入"))
        self.import_button.setDefault(True)
        self.partial_button = QPushButton(tr("只导入正确的行…"))
        self.partial_button.setToolTip(tr("有错误的行不导入，并记录为已拒绝；其他行照常导入"))
        close = QPushButton(tr("关闭"))
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(self.partial_button)
        bottom.addWidget(self.import_button)
        bottom.addWidget(close)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(bottom)

        self.choose_button.clicked.connect(self._on_choose)
        self.import_button.clicked.connect(lambda: self.apply(accept_partial=False))
        self.partial_button.clicked.connect(self._on_partial)
        close.clicked.connect(self.reject)
        self._update_buttons()
        self.load_history()

    # --- choosing a file ---
    def choose_file(self) -> str:
        """Ask for a file (tests replace this)."""
        path, _f = QFileDialog.getOpenFileName(
            self, tr("选择订单导出文件"), "", tr("表格或账单文件 (*.csv *.xlsx *.xlsm *.zip);;所有文件 (*)")
        )
        return path

    def _on_choose(self) -> None:
        path = self.choose_file()
        if path:
            self.check_file(path)

    def dragEnterEvent(self, event) -> None:
        urls = event.mimeData().urls() if event.mimeData().hasUrls() else []
        if urls and importable(urls[0].toLocalFile()):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        path = event.mimeData().urls()[0].toLocalFile()
        if importable(path):
            event.acceptProposedAction()
            self.check_file(path)

    # --- checking ---
    def check_file(self, path: str) -> None:
        """Check ``path`` (nothing is written) and show the report."""
        self._discard()
        for table in (self.preview_table, self.columns_table, self.errors_table):
            table.setRowCount(0)  # never the last file's report under this file's name
        self.tabs.setTabText(2, tr("错误"))
        self.summary_label.setText(tr("正在检查 {file_name} …").format(file_name=Path(path).name))
        self._update_buttons()

        def failed(exc: BaseException) -> None:
            message = tr("已取消检查") if isinstance(exc, Cancelled) else user_message(exc)
            shown = tr("{file_name}：{message}").format(file_name=Path(path).name, message=message)
            self.summary_label.setText(shown)

        check = lambda t: imports.check_import_file(path, task=t)  # noqa: E731
        op = ReadOp(self, check, with_task=True, runner=self._runner)
        op.progress(tr("正在检查文件")).success(self._show_check).failure(failed).run()

    def _show_check(self, check: imports.ImportCheck) -> None:
        self.check = check
        self.summary_label.setText(check.summary)

        def money(fen: int | None) -> str:
            return "" if fen is None else format_yuan(fen)

        headers, row = _previews(money)[check.kind]
        self.preview_table.setHorizontalHeaderLabels([tr(h) for h in headers])
        rows = [row(p) for p in check.preview]
        fill_table(self.preview_table, rows)
        fill_table(
            self.columns_table,
            [
                (c.header, field_label(c.field) if c.field else "", _lookup(_COLUMN_STATUS, c.status))
                for c in check.columns
            ],
        )
        fill_table(self.errors_table, [(e.row_no, e.column, e.raw_value, e.message) for e in check.errors])
        errors_tab = tr("错误 {bad_rows}").format(bad_rows=check.bad_rows) if check.errors else tr("错误")
        self.tabs.setTabText(2, errors_tab)
        self.tabs.setCurrentIndex(2 if check.errors else 0)
        self._update_buttons()
        self.checked.emit()

    def _update_buttons(self) -> None:
        check = self.check
        clean = check is not None and not check.errors and not check.already_imported and check.rows_ok > 0
        self.import_button.setEnabled(clean)
        # A bill is the shop's money: never imported in part (services/bill_import.py).
        whole_only = check is not None and check.kind == "bills"
        partial = (
            check is not None and bool(check.errors) and check.rows_ok > 0 and not check.already_imported
        ) and not whole_only
        self.partial_button.setEnabled(partial)
        self.partial_button.setVisible(check is not None and bool(check.errors) and not whole_only)
        if check is not None and check.errors:
            self.partial_button.setText(tr("只导入正确的 {rows_ok:,} 行…").format(rows_ok=check.rows_ok))

    # --- applying ---
    def confirm_partial(self, check: imports.ImportCheck) -> bool:
        """Ask before importing only the good rows (tests replace this)."""
        answer = QMessageBox.question(
            self,
            tr("只导入正确的行"),
            tr(
                "{bad_rows:,} 行有错误，这些行不会导入（记为已拒绝）；其余 {rows_ok:,} 行将导入。\n"
                "确定只导入正确的行吗？"
            ).format(bad_rows=check.bad_rows, rows_ok=check.rows_ok),
        )
        return answer == QMessageBox.StandardButton.Yes

    def _on_partial(self) -> None:
        if self.check is not None and self.confirm_partial(self.check):
            self.apply(accept_partial=True)

    def apply(self, *, accept_partial: bool) -> None:
        """Import the checked file (all or nothing) with progress and cancel."""
        check = self.check
        if check is None:
            return
        self.import_button.setEnabled(False)
        self.partial_button.setEnabled(False)

        def done(result: imports.ImportResult) -> None:
            self.result = result
            self.check = None
            self.summary_label.setText(result.message)
            self._update_buttons()

        def failed(exc: BaseException) -> None:
            message = tr("已取消导入，数据没有改动") if isinstance(exc, Cancelled) else user_message(exc)
            self.summary_label.setText(message)
            self._update_buttons()

        op = WriteOp(
            self,
            lambda t: imports.apply_import(check, accept_partial=accept_partial, task=t),
            with_task=True,
            runner=self._runner,
            publish=self.changes_applied.emit,
        )
        op.progress(tr("正在导入")).before_broadcast(done).success(lambda _r: self.load_history())
        op.failure(failed).run()

    # --- history ---
    def load_history(self) -> None:
        """Earlier imports, newest first (database lane)."""
        ReadOp(self, lambda: imports.list_imports(100), runner=self._runner).success(self._on_history).run()

    def _on_history(self, batches) -> None:
        fill_table(
            self.history_table,
            [
                (format_ts(b.applied_at or b.created_at, "%m-%d %H:%M"), b.file_name,
                 _lookup(_KINDS, b.kind), b.rows_new, b.rows_updated,
                 b.rows_unchanged, b.rows_rejected, batch_state_text(b.state, b.rows_rejected))
                for b in batches
            ],
        )  # fmt: skip

    # --- closing ---
    def _discard(self) -> None:
        if self.check is not None:
            imports.discard_check(self.check)
            self.check = None

    def done(self, result: int) -> None:
        self._discard()
        super().done(result)
