"""电子面单 tab of 发货中心: the e-waybill branch accounts per courier, balances, the default per courier.

Platform accounts come from sync (``pdd.waybill.search``); local pools (the merchant's own
numbers) are listed too with their source. Reads and the default choice run on the database
lane through :mod:`pdd_desktop.ui.ops`. Public children for tests: ``table``, ``default_button``,
``void_edit``, ``void_button``, ``empty_label``, ``status_label``.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from pdd_desktop.common.timefmt import format_ts
from pdd_desktop.services import waybills as svc
from pdd_desktop.ui.dialogs.error import user_message
from pdd_desktop.ui.i18n import QT_TR_NOOP, tr
from pdd_desktop.ui.ops import LatestQuery, WriteOp

COLUMNS = (
    QT_TR_NOOP("快递公司"),
    QT_TR_NOOP("网点"),
    QT_TR_NOOP("来源"),
    QT_TR_NOOP("剩余单量"),
    QT_TR_NOOP("已用"),
    QT_TR_NOOP("已取消"),
    QT_TR_NOOP("发货地址"),
    QT_TR_NOOP("默认"),
    QT_TR_NOOP("同步时间"),
)
EMPTY_TEXT = QT_TR_NOOP(
    "还没有电子面单账号。请先在拼多多商家后台开通电子面单，同步后这里会显示各网点的余额。"
)


class WaybillAccountsView(QWidget):
    """The accounts table, 设为默认 for the selected account, and 作废面单 by number."""

    #: The table was filled.
    shown = Signal()

    def __init__(self, runner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.accounts: list[svc.WaybillAccountView] = []
        self._query = LatestQuery(self, runner=runner)
        self._build()
        self.default_button.clicked.connect(self._on_default)
        self.void_button.clicked.connect(self._on_void)
        self.table.itemSelectionChanged.connect(self._update_buttons)

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(10)
        title = QLabel(tr("电子面单账号"))
        title.setStyleSheet("font-size: 15px; font-weight: 600;")
        hint = QLabel(
            tr("打印面单时，平台电子面单账号会向拼多多取号（需要联网）；每家快递公司可设一个默认网点。")
        )
        hint.setWordWrap(True)
        layout.addWidget(title)
        layout.addWidget(hint)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels([tr(c) for c in COLUMNS])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(6, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table, 1)
        self.empty_label = QLabel(tr(EMPTY_TEXT))
        self.empty_label.setWordWrap(True)
        self.empty_label.hide()
        layout.addWidget(self.empty_label)
        row = QHBoxLayout()
        self.default_button = QPushButton(tr("设为该快递默认网点"))
        self.default_button.setEnabled(False)
        row.addWidget(self.default_button)
        row.addStretch(1)
        row.addWidget(QLabel(tr("作废面单（揽收前）：")))
        self.void_edit = QLineEdit()
        self.void_edit.setPlaceholderText(tr("输入或扫描面单号"))
        self.void_edit.setMinimumWidth(220)
        row.addWidget(self.void_edit)
        self.void_button = QPushButton(tr("作废"))
        row.addWidget(self.void_button)
        layout.addLayout(row)
        self.status_label = QLabel("")
        layout.addWidget(self.status_label)

    # --- data ---------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the accounts on the database lane."""
        self._query.run(svc.list_accounts, self._fill, self._failed)

    def _failed(self, exc: BaseException) -> None:
        self.status_label.setText(tr("读取电子面单账号失败：{reason}").format(reason=user_message(exc)))

    def _fill(self, accounts: list[svc.WaybillAccountView]) -> None:
        self.accounts = accounts
        self.table.setRowCount(len(accounts))
        for r, a in enumerate(accounts):
            used = a.allocated_quantity if a.source == svc.SOURCE_PLATFORM else None
            cells = (
                a.courier_name,
                a.branch_name or a.branch_code or "—",
                a.source_label,
                f"{a.quantity:,}",
                "—" if used is None else f"{used:,}",
                "—" if a.source != svc.SOURCE_PLATFORM else f"{a.cancel_quantity:,}",
                a.ship_address or "—",
                tr("默认") if a.is_default else "",
                format_ts(a.synced_at, "%m-%d %H:%M") if a.synced_at else "—",
            )
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c in (3, 4, 5):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if c == 3 and a.source == svc.SOURCE_PLATFORM and a.quantity < 50:
                    item.setForeground(Qt.GlobalColor.red)
                    item.setToolTip(tr("余额不多了，请及时在快递网点充值"))
                self.table.setItem(r, c, item)
        self.table.setVisible(bool(accounts))
        self.empty_label.setVisible(not accounts)
        self._update_buttons()
        self.shown.emit()

    def _selected(self) -> svc.WaybillAccountView | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return self.accounts[rows[0].row()] if rows else None

    def _update_buttons(self) -> None:
        a = self._selected()
        self.default_button.setEnabled(a is not None and not a.is_default)

    def _on_default(self) -> None:
        a = self._selected()
        if a is None:
            return
        WriteOp(self, lambda: svc.set_default_account(account_id=a.id), runner=self.runner).success(
            lambda _c: self._done(
                tr("已将 {branch} 设为{courier}的默认网点").format(
                    branch=a.branch_name or a.courier_name, courier=a.courier_name
                )
            )
        ).run()

    def _on_void(self) -> None:
        number = self.void_edit.text().strip()
        if not number:
            self.status_label.setText(tr("请输入要作废的面单号"))
            return
        WriteOp(self, lambda: svc.void_number(tracking_number=number), runner=self.runner).success(
            lambda _c: self._done(
                tr("面单 {number} 已作废；平台电子面单会在下次同步时取消并退回余额").format(number=number)
            )
        ).failure(lambda exc: self.status_label.setText(user_message(exc))).run()

    def _done(self, text: str) -> None:
        self.status_label.setText(text)
        self.void_edit.clear()
        self.refresh()
