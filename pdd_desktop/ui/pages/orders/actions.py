"""发货中心 shipping actions: enabled from the selection, each write on the db lane.

A guard shows as a disabled action whose tooltip (and the status text beside the toolbar) says
why. Dialogs are shown with ``open()`` through :meth:`ShippingActions._run_dialog`, so nothing
blocks and tests reach the dialog as ``actions.current_dialog``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

from PySide6.QtCore import QObject, QStandardPaths, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QFileDialog, QHBoxLayout, QLabel, QMessageBox, QToolBar

from pdd_desktop.common import clock
from pdd_desktop.common.task import Cancelled, TaskContext
from pdd_desktop.common.timefmt import format_ts
from pdd_desktop.domain.orders import OrderStatus
from pdd_desktop.domain.shipping import ShipGuard, ship_block_reason
from pdd_desktop.services import orders as order_service
from pdd_desktop.services import shipping
from pdd_desktop.services.holds import hold_block_text
from pdd_desktop.services.orders import OrderRow
from pdd_desktop.ui.dialogs.error import ErrorDialog, user_message
from pdd_desktop.ui.i18n import tr
from pdd_desktop.ui.ops import ReadOp, WriteOp, changes_of
from pdd_desktop.ui.pages.orders.dialogs import (
    BatchResultDialog,
    BulkCheckDialog,
    CancelShipmentDialog,
    ExportOrdersDialog,
    ExtraPackageDialog,
    FormDialog,
    MergeDialog,
    ModifyShipmentDialog,
    NoLogisticsDialog,
    PoolBatchDialog,
    ScanShipDialog,
    ShipDialog,
)
from pdd_desktop.ui.pages.orders.selection import CHECK_LIMIT, OrderSelection, OrdersHost

__all__ = ["CHECK_LIMIT", "SCAN_LIMIT", "Rule", "ShippingActions", "guard_of"]

#: Orders one scan run walks at most.
SCAN_LIMIT = 500


def _job(fn: Callable[..., Any], *, with_task: bool = False, **kwargs: Any) -> Callable[[TaskContext], Any]:
    """A db-lane job calling ``fn(**kwargs)``; the arguments are read now, on the UI thread."""
    if with_task:
        return lambda task: fn(task=task, **kwargs)
    return lambda _task: fn(**kwargs)


class Rule(NamedTuple):
    """One row of the enable table: an action, why it is disabled (None = enabled), its tooltip."""

    action: QAction
    reason: str | None
    #: The tooltip when enabled (default: the action's own text).
    tip: str | None = None


def guard_of(row: OrderRow) -> ShipGuard:
    """The ship guard of a table row.

    The row has no after-sales code, so an order whose case is open but whose refund status is
    still 无售后 passes here; the 发货 dialog asks :func:`shipping.ship_guard` before it opens.
    A held order (暂停发货) is blocked with the hold's reason, never overridable.
    """
    if row.held:
        return ShipGuard(hold_block_text(row.hold_reason))
    return ship_block_reason(row.status, row.refund_status, 0)


class ShippingActions(QObject):
    """The toolbar actions of 发货中心 and the flows behind them.

    Public: one ``QAction`` per action (``ship_action``, ``force_ship_action``, ``batch_action``,
    ``scan_action``, ``no_logistics_action``, ``merge_action``, ``extra_action``,
    ``modify_action``, ``cancel_action``, ``import_action``, ``export_action``), ``status_label``
    (selection, block reason), ``message_label`` (outcome or error of the last action) and
    ``current_dialog`` (the dialog opened last).
    """

    def __init__(self, page: OrdersHost) -> None:
        super().__init__(page)
        self.page = page
        self.ctx = page.ctx
        self.current_dialog: QDialog | None = None
        self.status_label = QLabel("")  # the selection and, when blocked, why
        self.status_label.setObjectName("Muted")
        self.message_label = QLabel("")  # the outcome of the last action (or its error)
        self.message_label.setWordWrap(True)
        self.message_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._texts: dict[QAction, str] = {}
        self.ship_action = self._action(
            tr("发货"), tr("给选中的一个待发货订单填写快递单号"), self.ship_selected
        )
        self.force_ship_action = self._action(
            tr("强制发货…"), tr("订单有售后时，填写原因后仍然发货（记入操作日志）"), self.force_ship_selected
        )
        self.batch_action = self._action(
            tr("批量发货（电子面单）"), tr("用电子面单号批量发货选中的订单"), self.batch_ship_selected
        )
        self.scan_action = self._action(
            tr("扫描发货"), tr("逐个订单扫描快递单号后一起发货"), self.scan_ship_selected
        )
        self.no_logistics_action = self._action(
            tr("无物流发货"), tr("选中的订单不需要快递（虚拟商品、自提）"), self.ship_without_logistics
        )
        self.merge_action = self._action(
            tr("合并发货"), tr("同一买家同一地址的订单用一个单号发货"), self.merge_ship
        )
        self.extra_action = self._action(
            tr("补充包裹"), tr("给已发货订单添加分包、补发或赠品包裹"), self.add_package
        )
        self.modify_action = self._action(
            tr("修改发货"), tr("更换已发货订单的快递公司或单号"), self.modify_shipment
        )
        self.cancel_action = self._action(
            tr("取消发货"), tr("撤销还没有上传到平台的发货"), self.cancel_shipment
        )
        self.import_action = self._action(
            tr("导入发货文件"), tr("导入 订单号/快递公司/快递单号 表格（CSV 或 Excel）"), self.import_file
        )
        self.export_action = self._action(
            tr("导出上传文件"), tr("导出还没有被平台确认的发货，用于在后台批量上传"), self.export_file
        )
        self.import_orders_action = self._action(
            tr("导入平台订单…"),
            tr("导入拼多多后台导出的订单文件（CSV/Excel），更新本地订单；也可以把文件拖到窗口上"),
            lambda: self.ctx.events.import_requested.emit(""),
        )
        self.export_list_action = self._action(
            tr("导出订单"),
            tr("把当前筛选出的订单导出为 Excel 或 CSV（收件人信息默认打码）"),
            self.export_list,
        )
        page.selection_changed.connect(lambda _selection: self.update_state())
        self.update_state()

    # --- setup ---
    def _action(self, text: str, tip: str, slot: Callable[[], None]) -> QAction:
        action = QAction(text, self)
        action.setToolTip(tip)
        action.setStatusTip(tip)
        action.triggered.connect(lambda _checked=False: slot())
        self._texts[action] = tip
        return action

    def install(self, toolbar: QToolBar, status_line: QHBoxLayout) -> None:
        """Put the actions into the page's toolbar and the texts into its status line."""
        groups = (
            (self.ship_action, self.force_ship_action, self.batch_action, self.scan_action),
            (self.no_logistics_action, self.merge_action),
            (self.extra_action, self.modify_action, self.cancel_action),
            (self.import_orders_action, self.import_action, self.export_action, self.export_list_action),
        )
        for i, group in enumerate(groups):
            if i:
                toolbar.addSeparator()
            for action in group:
                toolbar.addAction(action)
        status_line.addWidget(self.status_label)
        status_line.addSpacing(16)
        status_line.addWidget(self.message_label, 1)

    # --- selection and guards ---
    def _set(self, action: QAction, reason: str | None, tip: str | None = None) -> None:
        action.setEnabled(reason is None)
        action.setToolTip(reason if reason is not None else tip or self._texts[action])

    def rules(self, sel: OrderSelection) -> list[Rule]:
        """Each action with the reason it is disabled for ``sel`` (None = enabled), in toolbar order."""
        count = sel.count
        rows = sel.rows
        single = rows[0] if rows is not None and count == 1 else None
        guard = guard_of(single) if single else None
        blocked = next((r for r in rows or () if not guard_of(r).allowed), None)
        shippable = rows is None or any(guard_of(r).allowed for r in rows)
        shipped_once = single is not None and single.status in (OrderStatus.SHIPPED, OrderStatus.SIGNED)
        one = tr("请选择一个订单") if count != 1 else None
        on_the_way = one
        if on_the_way is None and single is not None and single.status != OrderStatus.SHIPPED:
            on_the_way = tr("只有已发货（待签收）的订单可以修改或取消发货")
        batch = tr("请先选择待发货订单") if count == 0 else None
        if batch is None and not shippable:
            batch = tr("选中的订单都不能发货（见发货按钮提示）")
        force_ok = guard is not None and not guard.allowed and guard.overridable
        return [
            Rule(
                self.ship_action,
                tr("请先选择一个待发货订单") if count == 0
                else tr("发货一次只能选一个订单；多个订单请用批量发货或扫描发货") if count > 1
                else guard.reason if guard is not None and not guard.allowed
                else None,
            ),
            Rule(
                self.force_ship_action,
                None if force_ok else tr("只用于有售后、需要强制发货的单个待发货订单"),
                tr("{reason}；填写原因后仍可发货（记入操作日志）").format(reason=guard.reason)
                if force_ok and guard
                else None,
            ),
            Rule(self.batch_action, batch),
            Rule(
                self.scan_action,
                tr("扫描发货一次最多 {limit} 单").format(limit=SCAN_LIMIT)
                if batch is None and count > SCAN_LIMIT
                else batch,
            ),
            Rule(
                self.no_logistics_action,
                tr("请先选择待发货订单") if count == 0
                else tr("订单 {order_sn}：{reason}").format(
                    order_sn=blocked.order_sn, reason=guard_of(blocked).reason
                )
                if blocked is not None
                else None,
            ),
            Rule(self.merge_action, None),
            Rule(
                self.extra_action,
                tr("只有已发货的订单可以补充包裹") if one is None and single is not None and not shipped_once
                else one,
            ),
            Rule(self.modify_action, on_the_way),
            Rule(
                self.cancel_action,
                tr("已同步到平台，只能修改发货")
                if on_the_way is None and single is not None and single.pending_ops == 0
                else on_the_way,
            ),
            Rule(self.import_action, None),
            Rule(self.export_action, None),
            Rule(self.import_orders_action, None),
            Rule(self.export_list_action, None if self.page.model.ids else tr("当前列表没有订单")),
        ]  # fmt: skip

    def update_state(self) -> None:
        """Enable each action from the selection; a disabled one says why in its tooltip."""
        sel = self.page.selection
        for rule in self.rules(sel):
            self._set(rule.action, rule.reason, rule.tip)
        single = sel.single if sel.count == 1 else None
        guard = guard_of(single) if single is not None else None
        if guard is not None and not guard.allowed:
            self.status_label.setText(
                tr("{order_sn}：{reason}").format(order_sn=single.order_sn, reason=guard.reason)
            )
        else:
            self.status_label.setText(tr("已选 {count:,} 单").format(count=sel.count) if sel.count else "")

    # --- plumbing ---
    def _run_dialog(self, dlg: QDialog) -> None:
        """Show a dialog without blocking; tests find it as ``current_dialog``."""
        self.current_dialog = dlg
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.open()

    def _show_error(self, exc: BaseException) -> None:
        self.message_label.setText(user_message(exc))
        self._run_dialog(ErrorDialog(exc, self.page))

    def _message(self, title: str, text: str) -> None:
        self.message_label.setText(text)
        box = QMessageBox(QMessageBox.Icon.Information, title, text, QMessageBox.StandardButton.Ok, self.page)
        self._run_dialog(box)

    def _read(self, fn: Callable[[], Any], then: Callable[[Any], None]) -> None:
        """A small read on the db lane, then ``then(result)`` on the UI thread."""
        ReadOp(self, fn).success(then).failure(self._show_error).run()

    def _write(
        self,
        fn: Callable[[TaskContext], Any],
        *,
        dialog: FormDialog | None = None,
        progress: str | None = None,
        done: Callable[[Any], None] | None = None,
    ) -> None:
        """Run a write on the db lane; on success publish the changes and refresh the table.

        Args:
            fn: the service call; gets the task (progress and cancel).
            dialog: the form that asked for it: accepted on success, shows the error otherwise.
            progress: title of a progress dialog (with 取消) for long work.
            done: called with the result after the table was refreshed.
        """
        op = WriteOp(self, fn, with_task=True, initiator=self.page)
        if dialog is not None:
            op.in_dialog(dialog)
        if progress:
            op.progress(progress)
        op.before_broadcast(self._mark_stale).success(self._refresh_if_hidden)
        if done is not None:
            op.success(done)
        op.failure(lambda exc: self._write_failed(exc, dialog)).run()

    def _write_failed(self, exc: BaseException, dialog: FormDialog | None) -> None:
        self.message_label.setText(user_message(exc))
        if dialog is None:
            self._run_dialog(ErrorDialog(exc, self.page))

    def _mark_stale(self, result: Any) -> None:
        """Cached rows are stale after a write."""
        if changes_of(result) is not None:
            self.page.model.mark_stale()

    def _refresh_if_hidden(self, result: Any) -> None:
        """Show the new state here when the broadcast did not (the page refreshes itself when visible)."""
        changes = changes_of(result)
        page = self.page
        if changes is None or not changes.any():
            return
        if not (page.isVisible() and any(getattr(changes, f) for f in page.relevant)):
            page.refresh()

    # --- 发货 ---
    def ship_selected(self) -> None:
        """发货: one order with a courier and a number typed or scanned."""
        self._open_ship_dialog(force=False)

    def force_ship_selected(self) -> None:
        """强制发货: the 发货 dialog with an override reason for an order with an after-sales case."""
        self._open_ship_dialog(force=True)

    def _open_ship_dialog(self, *, force: bool) -> None:
        row = self.page.selection.single
        if row is None:
            return
        guard = guard_of(row)
        if not guard.allowed and not (force and guard.overridable):
            self.status_label.setText(guard.reason or "")
            return
        # The stored guard also knows the after-sales code, which the table row does not carry.
        self._read(
            lambda: (shipping.ship_guard(row.id), shipping.list_couriers()),
            lambda result: self._show_ship_dialog(row, *result),
        )

    def _show_ship_dialog(self, row: OrderRow, guard: ShipGuard, couriers: list) -> None:
        if not guard.allowed and not guard.overridable:
            self.message_label.setText(
                tr("订单 {order_sn}：{reason}").format(order_sn=row.order_sn, reason=guard.reason)
            )
            return
        dlg = ShipDialog(row.order_sn, couriers, guard, self.page)
        dlg.submitted.connect(
            lambda: self._write(
                _job(shipping.ship_order, order_id=row.id, **dlg.values()),
                dialog=dlg,
                done=lambda _r: self.message_label.setText(
                    tr("订单 {order_sn} 已发货").format(order_sn=row.order_sn)
                ),
            )
        )
        self._run_dialog(dlg)

    # --- 批量发货（电子面单） ---
    def batch_ship_selected(self) -> None:
        """批量发货: numbers from an e-waybill account's pool for every selected order."""
        ids = self.page.selection.ids
        if ids:
            self._read(
                shipping.list_waybill_accounts, lambda accounts: self._show_batch_dialog(ids, accounts)
            )

    def _show_batch_dialog(self, ids: list[int], accounts: list) -> None:
        if not accounts:
            self._message(tr("批量发货"), tr("还没有电子面单账号，请先在设置中添加并充值面单号"))
            return
        dlg = PoolBatchDialog(accounts, len(ids), self.page)

        def go() -> None:
            account = dlg.account()
            assert account is not None
            self._write(
                lambda task: shipping.ship_batch_from_pool(order_ids=ids, account_id=account.id, task=task),
                dialog=dlg,
                progress=tr("批量发货"),
                done=self._show_result,
            )

        dlg.submitted.connect(go)
        self._run_dialog(dlg)

    def _show_result(self, result: shipping.BatchShipResult, sn_by_id: dict[int, str] | None = None) -> None:
        text = tr("已发货 {shipped_count:,} 单，未发货 {skipped_count:,} 单").format(
            shipped_count=result.shipped_count, skipped_count=result.skipped_count
        )
        self.message_label.setText(text)
        self._run_dialog(BatchResultDialog(result, sn_by_id, self.page))

    # --- 扫描发货 ---
    def scan_ship_selected(self) -> None:
        """扫描发货: walk the selected shippable orders; each scan fills one order's number."""
        sel = self.page.selection
        if sel.count > SCAN_LIMIT:
            return
        rows = [r for r in sel.rows or () if guard_of(r).allowed]
        if rows:
            self._read(shipping.list_couriers, lambda couriers: self._show_scan_dialog(rows, couriers))

    def _show_scan_dialog(self, rows: list[OrderRow], couriers: list) -> None:
        orders = [(r.id, r.order_sn, r.items_summary) for r in rows]
        sns = {r.id: r.order_sn for r in rows}
        dlg = ScanShipDialog(orders, couriers, self.page)
        dlg.submitted.connect(
            lambda: self._write(
                _job(shipping.ship_batch_with_numbers, with_task=True, assignments=dlg.assignments()),
                dialog=dlg,
                progress=tr("扫描发货"),
                done=lambda result: self._show_result(result, sns),
            )
        )
        self._run_dialog(dlg)

    # --- 无物流发货 ---
    def ship_without_logistics(self) -> None:
        """无物流发货: the selected orders ship without a parcel (all or none)."""
        ids = self.page.selection.ids
        if not ids:
            return
        dlg = NoLogisticsDialog(len(ids), self.page)
        dlg.submitted.connect(
            lambda: self._write(
                lambda _t: shipping.ship_without_logistics(order_ids=ids),
                dialog=dlg,
                done=lambda _r: self.message_label.setText(
                    tr("{count:,} 个订单已无物流发货").format(count=len(ids))
                ),
            )
        )
        self._run_dialog(dlg)

    # --- 合并发货 ---
    def merge_ship(self) -> None:
        """合并发货: groups among the selection (or all groups), one group per parcel."""
        selected = set(self.page.selection.ids)
        self._read(
            lambda: (shipping.merge_suggestions(), shipping.list_couriers()),
            lambda result: self._show_merge_dialog(selected, *result),
        )

    def _show_merge_dialog(self, selected: set[int], groups: list, couriers: list) -> None:
        mine = [g for g in groups if selected.intersection(g.order_ids)]
        groups = mine or groups
        if not groups:
            self._message(
                tr("合并发货"), tr("没有可以合并发货的订单（需要同一买家、收件人和地址完全相同的待发货订单）")
            )
            return
        dlg = MergeDialog(groups, couriers, self.page)

        def go() -> None:
            group = dlg.selected_group()
            courier = dlg.form.courier()
            number = dlg.form.number()
            if group is None or courier is None or number is None:
                return
            self._write(
                lambda _t: shipping.ship_merged(
                    order_ids=group.order_ids, courier_id=courier.id, tracking_number=number
                ),
                dialog=dlg,
                done=lambda _r: self.message_label.setText(
                    tr("{count} 个订单已合并发货").format(count=len(group.order_ids))
                ),
            )

        dlg.submitted.connect(go)
        self._run_dialog(dlg)

    # --- 补充包裹 / 修改发货 / 取消发货 ---
    def add_package(self) -> None:
        """补充包裹: a 分包, 补发 or 赠品 parcel for the selected shipped order."""
        row = self.page.selection.single
        if row is None:
            return
        self._read(shipping.list_couriers, lambda couriers: self._show_extra_dialog(row, couriers))

    def _show_extra_dialog(self, row: OrderRow, couriers: list) -> None:
        dlg = ExtraPackageDialog(row.order_sn, couriers, self.page)
        dlg.submitted.connect(
            lambda: self._write(
                _job(shipping.add_extra_package, order_id=row.id, **dlg.values()),
                dialog=dlg,
                done=lambda _r: self.message_label.setText(
                    tr("订单 {order_sn} 已添加包裹").format(order_sn=row.order_sn)
                ),
            )
        )
        self._run_dialog(dlg)

    def modify_shipment(self) -> None:
        """修改发货: another courier or number for the selected order's parcel, with a reason."""
        row = self.page.selection.single
        if row is None:
            return
        self._read(
            lambda: (shipping.live_packages(row.id), shipping.list_couriers()),
            lambda result: self._show_modify_dialog(row, *result),
        )

    def _show_modify_dialog(self, row: OrderRow, packages: list, couriers: list) -> None:
        dlg = ModifyShipmentDialog(row.order_sn, packages, couriers, self.page)
        dlg.submitted.connect(
            lambda: self._write(
                _job(shipping.modify_shipment, order_id=row.id, **dlg.values()),
                dialog=dlg,
                done=lambda _r: self.message_label.setText(
                    tr("订单 {order_sn} 已修改发货").format(order_sn=row.order_sn)
                ),
            )
        )
        self._run_dialog(dlg)

    def cancel_shipment(self) -> None:
        """取消发货: back to 待发货 while the shipment has not been sent to the platform."""
        row = self.page.selection.single
        if row is None:
            return
        dlg = CancelShipmentDialog(row.order_sn, self.page)
        dlg.submitted.connect(
            lambda: self._write(
                _job(shipping.cancel_shipment, order_id=row.id, reason=dlg.reason()),
                dialog=dlg,
                done=lambda _r: self.message_label.setText(
                    tr("订单 {order_sn} 已取消发货").format(order_sn=row.order_sn)
                ),
            )
        )
        self._run_dialog(dlg)

    # --- 导入发货文件 / 导出上传文件 ---
    def _choose_import_path(self) -> str:
        """Ask for the bulk-ship file (tests replace this)."""
        path, _filter = QFileDialog.getOpenFileName(
            self.page, tr("导入发货文件"), "", tr("发货表格 (*.xlsx *.csv);;所有文件 (*)")
        )
        return path

    def _choose_export_path(self) -> str:
        """Ask where the upload file goes (tests replace this); the suffix picks CSV or XLSX."""
        path, chosen = QFileDialog.getSaveFileName(
            self.page, tr("导出上传文件"), tr("批量发货.xlsx"), tr("Excel 文件 (*.xlsx);;CSV 文件 (*.csv)")
        )
        if path and not Path(path).suffix:
            path += ".csv" if "csv" in chosen.lower() else ".xlsx"
        return path

    def import_file(self) -> None:
        """导入发货文件: check every row (db lane), show the report; ship only when asked."""
        path = self._choose_import_path()
        if not path:
            return
        op = ReadOp(self, lambda: shipping.check_bulk_ship_file(path)).progress(tr("正在检查发货文件"))
        op.success(self._show_check_dialog).failure(self._show_error).run()

    def _show_check_dialog(self, check: shipping.BulkShipCheck) -> None:
        self.message_label.setText(
            tr("{file_name}：正确 {count:,} 行，有问题 {bad_rows:,} 行").format(
                file_name=check.file_name, count=len(check.good), bad_rows=check.bad_rows
            )
        )
        dlg = BulkCheckDialog(check, self.page)
        dlg.submitted.connect(
            lambda: self._write(
                lambda task: shipping.apply_bulk_ship(check, task=task),
                dialog=dlg,
                progress=tr("批量发货"),
                done=self._show_result,
            )
        )
        self._run_dialog(dlg)

    def export_list(self) -> None:
        """导出订单: the filtered list, in its order, masked unless the user asks (audited)."""
        f, sort = self.page.current_filter(), self.page.current_sort()
        count = max(self.page.total, len(self.page.model.ids))
        stamp = format_ts(clock.now(), "%Y%m%d-%H%M")
        documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        suggested = str(Path(documents) / tr("订单-{stamp}.xlsx").format(stamp=stamp))
        dlg = ExportOrdersDialog(count, suggested, self.page)

        def submitted() -> None:
            path, full, reason = dlg.choice()
            platform_layout = dlg.file_layout() == "platform"
            dlg.accept()

            def written(result: order_service.ExportResult) -> None:
                masked = tr("完整收件人信息") if result.full_receiver else tr("收件人信息已打码")
                name = Path(result.path).name
                self._message(
                    tr("导出订单"),
                    tr("已导出 {rows:,} 个订单到 {name}（{masked}）").format(
                        rows=result.rows, name=name, masked=masked
                    ),
                )

            def failed(exc: BaseException) -> None:
                if not isinstance(exc, Cancelled):
                    self._show_error(exc)

            def export(t):
                if platform_layout:
                    from pdd_desktop.services import imports

                    done = imports.export_platform_orders(path, f, full_receiver=full, reason=reason, task=t)
                    return order_service.ExportResult(path=str(path), rows=done.orders, full_receiver=full)
                return order_service.export_orders(
                    f, path, sort=sort, full_receiver=full, reason=reason, task=t
                )

            op = ReadOp(self, export, with_task=True).progress(tr("正在导出订单"))
            op.success(written).failure(failed).run()

        dlg.submitted.connect(submitted)
        self._run_dialog(dlg)

    def export_file(self) -> None:
        """导出上传文件: shipments the platform has not confirmed, as CSV or XLSX."""
        path = self._choose_export_path()
        if not path:
            return
        fmt = "csv" if Path(path).suffix.lower() == ".csv" else "xlsx"

        def written(count: int) -> None:
            self._message(
                tr("导出上传文件"),
                tr("已导出 {count:,} 行到 {name}").format(count=count, name=Path(path).name),
            )

        op = ReadOp(self, lambda: shipping.export_bulk_ship_file(path, fmt=fmt)).progress(
            tr("正在导出上传文件")
        )
        op.success(written).failure(self._show_error).run()
