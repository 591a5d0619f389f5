"""暂停发货 / 解除暂停 in 发货中心: local holds on the selected 待发货 orders.

A hold is the shop's own (the platform has none, see :mod:`pdd_desktop.services.holds`): while it
is open every ship path and printing refuse the order. Both actions are in the toolbar's 更多 menu
and in the table's context menu; each write is one transaction with its audit rows on the db lane.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QComboBox, QDialog, QLabel, QMenu, QToolBar, QToolButton, QWidget

from pdd_desktop.domain.orders import OrderStatus
from pdd_desktop.services import holds
from pdd_desktop.ui.dialogs.error import ErrorDialog, user_message
from pdd_desktop.ui.dialogs.form import FormDialog
from pdd_desktop.ui.i18n import QT_TR_NOOP, tr
from pdd_desktop.ui.ops import WriteOp
from pdd_desktop.ui.pages.orders.selection import OrderSelection, OrdersHost

#: Reasons offered in the 暂停发货 dialog (the merchant may type any other).
COMMON_REASONS = (
    QT_TR_NOOP("核实收货地址"),
    QT_TR_NOOP("买家要求暂缓发货"),
    QT_TR_NOOP("等待补货"),
    QT_TR_NOOP("疑似风险订单"),
)


class HoldDialog(FormDialog):
    """暂停发货: the reason for holding ``count`` orders.

    Public children: ``reason_combo`` (editable: a common reason or any text), ``ok_button``.
    """

    def __init__(self, count: int, parent: QWidget | None = None) -> None:
        super().__init__(tr("暂停发货"), tr("暂停发货"), parent)
        # Short lines without word wrap: the label keeps its height when an error line appears.
        label = QLabel(
            tr(
                "暂停 {count:,} 个待发货订单的发货。\n"
                "暂停期间这些订单不能打单、发货，解除暂停后恢复。\n"
                "只在本机记录，不会通知平台。"
            ).format(count=count)
        )
        self.body.addWidget(label)
        self.reason_combo = QComboBox()
        self.reason_combo.setEditable(True)
        self.reason_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        for reason in COMMON_REASONS:
            self.reason_combo.addItem(tr(reason))
        self.reason_combo.setCurrentIndex(-1)
        self.reason_combo.lineEdit().setPlaceholderText(
            tr("暂停原因（必填，最多 {limit} 字）").format(limit=holds.REASON_MAX)
        )
        self.reason_combo.lineEdit().setMaxLength(holds.REASON_MAX)
        self.reason_combo.editTextChanged.connect(lambda _t: self.update_ok())
        self.body.addWidget(self.reason_combo)
        self.finish_layout()

    def can_submit(self) -> bool:
        return bool(self.reason())

    def reason(self) -> str:
        """The reason as chosen or typed (trimmed)."""
        return self.reason_combo.currentText().strip()


class HoldActions(QObject):
    """暂停发货… and 解除暂停 for the selection.

    Public: ``hold_action``, ``release_action``, ``more_button`` (the toolbar's 更多 menu),
    ``menu_actions`` (for the context menu), ``current_dialog`` (the last dialog, for tests).
    """

    def __init__(self, page: OrdersHost) -> None:
        super().__init__(page)
        self.page = page
        self.current_dialog: QDialog | None = None
        self.hold_action = QAction(tr("暂停发货…"), self)
        self.hold_action.triggered.connect(lambda _c=False: self.hold_selected())
        self.release_action = QAction(tr("解除暂停"), self)
        self.release_action.triggered.connect(lambda _c=False: self.release_selected())
        self._tips = {
            self.hold_action: tr("暂停选中的待发货订单：解除前不能打单、发货"),
            self.release_action: tr("解除选中订单的暂停发货，恢复打单和发货"),
        }
        menu = QMenu(page)
        menu.addAction(self.hold_action)
        menu.addAction(self.release_action)
        menu.setToolTipsVisible(True)
        self.menu_actions = (self.hold_action, self.release_action)
        self.more_button = QToolButton()
        self.more_button.setText(tr("更多"))
        self.more_button.setToolTip(tr("暂停发货、解除暂停"))
        self.more_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.more_button.setMenu(menu)
        page.selection_changed.connect(lambda _selection: self.update_state())
        self.update_state()

    def install(self, toolbar: QToolBar) -> None:
        """Put the 更多 menu at the end of the toolbar."""
        toolbar.addSeparator()
        toolbar.addWidget(self.more_button)

    # --- enabling ---
    def reasons(self, sel: OrderSelection) -> tuple[str | None, str | None]:
        """Why 暂停发货 and 解除暂停 are disabled for ``sel`` (None: enabled).

        Above the row check limit the rows are not read: the service checks every order.
        """
        if sel.count == 0:
            return tr("请先选择待发货订单"), tr("请先选择已暂停发货的订单")
        rows = sel.rows
        if rows is None:
            return None, None
        not_to_ship = next((r for r in rows if r.status != OrderStatus.TO_SHIP), None)
        held = next((r for r in rows if r.held), None)
        free = next((r for r in rows if not r.held), None)
        hold = (
            tr("只有待发货订单可以暂停发货（{order_sn} 是{status}）").format(
                order_sn=not_to_ship.order_sn, status=not_to_ship.status_label
            )
            if not_to_ship is not None
            else tr("订单 {order_sn} 已经暂停发货").format(order_sn=held.order_sn)
            if held is not None
            else None
        )
        release = (
            tr("订单 {order_sn} 没有暂停发货").format(order_sn=free.order_sn) if free is not None else None
        )
        return hold, release

    def update_state(self) -> None:
        """Enable the actions from the selection; a disabled one says why in its tooltip."""
        for action, reason in zip(self.menu_actions, self.reasons(self.page.selection), strict=True):
            action.setEnabled(reason is None)
            action.setToolTip(reason if reason is not None else self._tips[action])

    # --- the flows ---
    def hold_selected(self) -> None:
        """暂停发货…: ask for the reason, then hold every selected order (all or none)."""
        ids = self.page.selection.ids
        if not ids or self.reasons(self.page.selection)[0] is not None:
            return
        dlg = HoldDialog(len(ids), self.page)

        def submitted() -> None:
            reason = dlg.reason()
            self._write(
                lambda: holds.hold_orders(order_ids=ids, reason=reason),
                ids,
                tr("已暂停 {count:,} 个订单的发货：{reason}").format(count=len(ids), reason=reason),
                dlg,
            )

        dlg.submitted.connect(submitted)
        self.current_dialog = dlg
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.open()

    def release_selected(self) -> None:
        """解除暂停: release the open holds of every selected order (all or none)."""
        ids = self.page.selection.ids
        if not ids or self.reasons(self.page.selection)[1] is not None:
            return
        self._write(
            lambda: holds.release_holds(order_ids=ids),
            ids,
            tr("已解除 {count:,} 个订单的暂停发货").format(count=len(ids)),
            None,
        )

    def _write(self, fn, ids: list[int], done_text: str, dialog: FormDialog | None) -> None:
        page = self.page
        op = WriteOp(self, fn, initiator=page)
        if dialog is not None:
            op.in_dialog(dialog)
        op.before_broadcast(lambda _c: page.model.mark_stale())
        op.success(lambda _c: self._done(ids, done_text))
        op.failure(lambda exc: self._failed(exc, dialog)).run()

    def _done(self, ids: list[int], text: str) -> None:
        page = self.page
        page.show_message(text)
        if not page.isVisible():
            page.refresh()
        page.reload_detail(ids)

    def _failed(self, exc: BaseException, dialog: FormDialog | None) -> None:
        self.page.show_message(user_message(exc))
        if dialog is None:
            self.current_dialog = ErrorDialog(exc, self.page)
            self.current_dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            self.current_dialog.open()
