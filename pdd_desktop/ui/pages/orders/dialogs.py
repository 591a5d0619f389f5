"""发货中心 dialogs: ship, batch, scan, merge, extra parcel, modify, cancel, bulk-file report, results.

Each dialog is built without running: the caller connects ``submitted`` (emitted when the
user confirms valid input), does the write, then calls ``accept()`` or ``show_error()``. So
dialogs are shown with ``open()`` and tests fill the public child widgets and click
``ok_button``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from pdd_desktop.common.timefmt import format_ts
from pdd_desktop.domain.errors import ValidationError
from pdd_desktop.domain.orders import Flag
from pdd_desktop.domain.shipping import EXTRA_KIND_LABELS, ShipGuard, check_tracking_number
from pdd_desktop.services.orders import MEMO_MAX
from pdd_desktop.services.shipping import (
    BatchShipResult,
    BulkShipCheck,
    CourierInfo,
    MergeGroup,
    PackageInfo,
    WaybillAccountInfo,
)
from pdd_desktop.ui.dialogs.form import FormDialog
from pdd_desktop.ui.i18n import tr


def _table(headers: Sequence[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(list(headers))
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def _fill(table: QTableWidget, rows: Sequence[Sequence[object]]) -> None:
    table.setRowCount(len(rows))
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            table.setItem(r, c, QTableWidgetItem(str(value)))


class CourierNumberForm(QWidget):
    """A courier combo and a tracking-number edit checked live against the courier's format.

    Public children: ``courier_combo``, ``number_edit``, ``message_label``.
    """

    #: The number became valid (True) or invalid (False).
    validity_changed = Signal(bool)

    def __init__(self, couriers: Sequence[CourierInfo], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.courier_combo = QComboBox()
        for courier in couriers:
            self.courier_combo.addItem(courier.name, courier)
        self.number_edit = QLineEdit()
        self.number_edit.setPlaceholderText(tr("输入或扫描快递单号"))
        self.number_edit.setClearButtonEnabled(True)
        self.message_label = QLabel("")
        self.message_label.setObjectName("Danger")
        self.message_label.setWordWrap(True)
        layout = QFormLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addRow(tr("快递公司"), self.courier_combo)
        layout.addRow(tr("快递单号"), self.number_edit)
        layout.addRow("", self.message_label)
        self._valid = False
        self.courier_combo.currentIndexChanged.connect(lambda _i: self._check())
        self.number_edit.textChanged.connect(lambda _t: self._check())

    def courier(self) -> CourierInfo | None:
        """The chosen courier."""
        return self.courier_combo.currentData()

    def select_courier(self, courier_id: int | None) -> None:
        """Choose a courier by id (no change when it is not listed)."""
        for i in range(self.courier_combo.count()):
            if self.courier_combo.itemData(i).id == courier_id:
                self.courier_combo.setCurrentIndex(i)
                return

    def number(self) -> str | None:
        """The normalised number when it is valid for the chosen courier, else None."""
        courier = self.courier()
        if courier is None:
            return None
        try:
            return check_tracking_number(courier.pattern, self.number_edit.text(), courier.name)
        except ValidationError:
            return None

    def is_valid(self) -> bool:
        """Whether a courier is chosen and the number fits its format."""
        return self._valid

    def _check(self) -> None:
        courier = self.courier()
        text = self.number_edit.text()
        message = ""
        valid = False
        if courier is None:
            message = tr("请选择快递公司")
        elif text.strip():
            try:
                check_tracking_number(courier.pattern, text, courier.name)
                valid = True
            except ValidationError as exc:
                message = str(exc)
        self.message_label.setText(message)
        if valid != self._valid:
            self._valid = valid
            self.validity_changed.emit(valid)
        else:
            self._valid = valid


class ShipDialog(FormDialog):
    """发货: one order, a courier and a number; an override reason when the order is blocked.

    Public children: ``order_label``, ``form`` (:class:`CourierNumberForm`), ``guard_label``,
    ``override_edit`` (visible only for a blocked but overridable order), ``ok_button``.
    """

    def __init__(
        self,
        order_sn: str,
        couriers: Sequence[CourierInfo],
        guard: ShipGuard,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(tr("发货"), tr("发货"), parent)
        self.override_needed = not guard.allowed and guard.overridable
        self.order_label = QLabel(tr("订单号：{order_sn}").format(order_sn=order_sn))
        self.body.addWidget(self.order_label)
        self.form = CourierNumberForm(couriers)
        self.body.addWidget(self.form)
        self.guard_label = QLabel(tr("注意：{reason}").format(reason=guard.reason) if guard.reason else "")
        self.guard_label.setObjectName("Danger")
        self.guard_label.setWordWrap(True)
        self.guard_label.setVisible(bool(guard.reason))
        self.body.addWidget(self.guard_label)
        self.override_edit = QLineEdit()
        self.override_edit.setPlaceholderText(tr("强制发货原因（必填，记入操作日志）"))
        self.override_edit.setVisible(self.override_needed)
        self.body.addWidget(self.override_edit)
        if self.override_needed:
            self.ok_button.setText(tr("强制发货"))
        self.form.validity_changed.connect(lambda _v: self.update_ok())
        self.override_edit.textChanged.connect(lambda _t: self.update_ok())
        self.finish_layout()
        self.form.number_edit.setFocus()

    def can_submit(self) -> bool:
        if self.override_needed and not self.override_edit.text().strip():
            return False
        return self.form.is_valid()

    def values(self) -> dict:
        """Keyword arguments for ``ship_order`` (without the order id)."""
        courier = self.form.courier()
        return {
            "courier_id": courier.id if courier else 0,
            "tracking_number": self.form.number() or self.form.number_edit.text(),
            "override_reason": self.override_edit.text().strip() if self.override_needed else None,
        }


class PoolBatchDialog(FormDialog):
    """批量发货（电子面单）: choose the e-waybill account whose free numbers the orders get.

    Public children: ``account_combo``, ``info_label``, ``ok_button``.
    """

    def __init__(
        self, accounts: Sequence[WaybillAccountInfo], order_count: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(
            tr("批量发货（电子面单）"), tr("发货 {order_count:,} 单").format(order_count=order_count), parent
        )
        self.order_count = order_count
        self.account_combo = QComboBox()
        for a in accounts:
            default = tr("（默认）") if a.is_default else ""
            branch = a.branch_name or a.branch_code
            text = tr("{courier_name} · {branch}{default} — 可用 {free_numbers:,} 个").format(
                courier_name=a.courier_name, branch=branch, default=default, free_numbers=a.free_numbers
            )
            self.account_combo.addItem(text, a)
        self.info_label = QLabel("")
        self.info_label.setWordWrap(True)
        form = QFormLayout()
        form.addRow(tr("面单账号"), self.account_combo)
        self.body.addLayout(form)
        self.body.addWidget(self.info_label)
        self.account_combo.currentIndexChanged.connect(lambda _i: self._describe())
        self._describe()
        self.finish_layout()

    def account(self) -> WaybillAccountInfo | None:
        """The chosen account."""
        return self.account_combo.currentData()

    def _describe(self) -> None:
        a = self.account()
        if a is None:
            self.info_label.setText(tr("没有电子面单账号"))
        else:
            text = tr(
                "将为选中的 {order_count:,} 个订单依次分配{courier_name}面单号；"
                "不能发货的订单会跳过并说明原因。"
            ).format(order_count=self.order_count, courier_name=a.courier_name)
            if a.free_numbers < self.order_count:
                text += tr("\n面单号只剩 {free_numbers:,} 个，超出的订单不会发货。").format(
                    free_numbers=a.free_numbers
                )
            self.info_label.setText(text)
        self.update_ok()

    def can_submit(self) -> bool:
        return self.account() is not None


class BatchResultDialog(QDialog):
    """The outcome of a batch: counts on top, then every order shipped or skipped with its reason.

    Public children: ``summary_label``, ``table`` (订单号, 结果, 快递单号/原因), ``close_button``.
    """

    def __init__(
        self,
        result: BatchShipResult,
        sn_by_id: Mapping[int, str] | None = None,
        parent: QWidget | None = None,
        title: str = tr("发货结果"),
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumSize(560, 360)
        sns = dict(sn_by_id or {})
        layout = QVBoxLayout(self)
        text = tr("已发货 {shipped_count:,} 单，未发货 {skipped_count:,} 单").format(
            shipped_count=result.shipped_count, skipped_count=result.skipped_count
        )
        if result.cancelled:
            text += tr("；已取消，还有 {not_reached_count:,} 单没有处理").format(
                not_reached_count=result.not_reached_count
            )
        self.summary_label = QLabel(text)
        layout.addWidget(self.summary_label)
        self.table = _table((tr("订单号"), tr("结果"), tr("快递单号 / 原因")))
        rows: list[tuple[str, str, str]] = []
        for s in result.skipped:
            name = s.order_sn or sns.get(s.order_id or -1, "")
            if s.row_no is not None:
                name = tr("第 {row_no} 行 {name}").format(row_no=s.row_no, name=name).strip()
            rows.append((name, tr("未发货"), s.reason))
        rows.extend((s.order_sn, tr("已发货"), s.tracking_number or tr("无物流")) for s in result.shipped)
        rows.extend((sns.get(oid, str(oid)), tr("未处理"), tr("已取消")) for oid in result.not_reached)
        _fill(self.table, rows)
        layout.addWidget(self.table, 1)
        buttons = QDialogButtonBox()
        self.close_button = buttons.addButton(tr("关闭"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)


class NoLogisticsDialog(FormDialog):
    """无物流发货: confirm that the chosen orders ship without a parcel or number.

    Public children: ``message_label``, ``ok_button``.
    """

    def __init__(self, order_count: int, parent: QWidget | None = None) -> None:
        super().__init__(tr("无物流发货"), tr("无物流发货"), parent)
        self.message_label = QLabel(
            tr(
                "{order_count:,} 个订单将标记为已发货（无物流），不填写快递单号。\n"
                "只用于虚拟商品、自提或同城送货的订单。"
            ).format(order_count=order_count)
        )
        self.message_label.setWordWrap(True)
        self.body.addWidget(self.message_label)
        self.finish_layout()


class ScanShipDialog(FormDialog):
    """扫描发货: walk the orders one by one; the scanner types each number and Enter.

    The courier is chosen once, before the first scan. Public children: ``courier_combo``,
    ``progress_label``, ``order_label``, ``number_edit``, ``message_label``, ``table``
    (订单号, 快递单号), ``skip_button``, ``ok_button``.
    """

    def __init__(
        self,
        orders: Sequence[tuple[int, str, str]],
        couriers: Sequence[CourierInfo],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(tr("扫描发货"), tr("发货"), parent)
        self.setMinimumWidth(520)
        self.orders = list(orders)  # (order id, order number, goods summary)
        self.position = 0
        self.scanned: list[tuple[int, str, str]] = []  # (order id, order number, number)
        self.courier_combo = QComboBox()
        for courier in couriers:
            self.courier_combo.addItem(courier.name, courier)
        self.progress_label = QLabel("")
        self.order_label = QLabel("")
        self.order_label.setWordWrap(True)
        self.number_edit = QLineEdit()
        self.number_edit.setPlaceholderText(tr("扫描快递单号（扫码枪会自动回车）"))
        self.message_label = QLabel("")
        self.message_label.setObjectName("Danger")
        self.message_label.setWordWrap(True)
        self.skip_button = QPushButton(tr("跳过此单"))
        form = QFormLayout()
        form.addRow(tr("快递公司"), self.courier_combo)
        form.addRow("", self.progress_label)
        form.addRow(tr("当前订单"), self.order_label)
        form.addRow(tr("快递单号"), self.number_edit)
        form.addRow("", self.message_label)
        self.body.addLayout(form)
        self.body.addWidget(self.skip_button)
        self.table = _table((tr("订单号"), tr("快递单号")))
        self.body.addWidget(self.table, 1)
        self.number_edit.returnPressed.connect(self.scan)
        self.skip_button.clicked.connect(self.skip)
        self._show_current()
        self.finish_layout()
        self.number_edit.setFocus()

    def courier(self) -> CourierInfo | None:
        """The courier of every scanned number."""
        return self.courier_combo.currentData()

    def current_order(self) -> tuple[int, str, str] | None:
        """The order waiting for its number, or None when every order was handled."""
        return self.orders[self.position] if self.position < len(self.orders) else None

    def scan(self) -> bool:
        """Take the typed number for the current order; returns whether it was accepted."""
        order = self.current_order()
        courier = self.courier()
        if order is None or courier is None:
            return False
        try:
            number = check_tracking_number(courier.pattern, self.number_edit.text(), courier.name)
        except ValidationError as exc:
            self._reject_scan(str(exc))
            return False
        used = next((sn for _oid, sn, n in self.scanned if n == number), None)
        if used:
            self._reject_scan(tr("快递单号 {number} 已用于订单 {used}").format(number=number, used=used))
            return False
        self.scanned.append((order[0], order[1], number))
        self.courier_combo.setEnabled(False)  # one courier for the whole run
        self.table.insertRow(self.table.rowCount())
        self.table.setItem(self.table.rowCount() - 1, 0, QTableWidgetItem(order[1]))
        self.table.setItem(self.table.rowCount() - 1, 1, QTableWidgetItem(number))
        self.message_label.setText("")
        self._advance()
        return True

    def skip(self) -> None:
        """Leave the current order unshipped and go to the next."""
        if self.current_order() is not None:
            self._advance()

    def assignments(self) -> list[tuple[int, int, str]]:
        """``(order id, courier id, number)`` rows for ``ship_batch_with_numbers``."""
        courier = self.courier()
        return [(oid, courier.id, number) for oid, _sn, number in self.scanned] if courier else []

    def can_submit(self) -> bool:
        return bool(self.scanned)

    def keyPressEvent(self, event) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            return  # Enter belongs to the scanner, never to the OK button
        super().keyPressEvent(event)

    def _reject_scan(self, message: str) -> None:
        self.message_label.setText(message)
        self.number_edit.selectAll()

    def _advance(self) -> None:
        self.position += 1
        self.number_edit.clear()
        self._show_current()
        self.update_ok()

    def _show_current(self) -> None:
        order = self.current_order()
        total = len(self.orders)
        self.ok_button.setText(tr("发货 {count} 单").format(count=len(self.scanned)))
        if order is None:
            self.progress_label.setText(
                tr("已扫描 {count}/{total} 单，全部订单已处理").format(count=len(self.scanned), total=total)
            )
            self.order_label.setText("")
            self.number_edit.setEnabled(False)
            self.skip_button.setEnabled(False)
            return
        self.progress_label.setText(
            tr("第 {number}/{total} 单").format(number=self.position + 1, total=total)
        )
        self.order_label.setText(f"{order[1]}  {order[2]}")


class MergeDialog(FormDialog):
    """合并发货: choose one group of orders (same buyer and receiver) and ship it with one number.

    Public children: ``groups_table`` (买家, 收件人, 地址, 订单数, 最早承诺发货, 订单号), ``form``,
    ``ok_button``.
    """

    def __init__(
        self, groups: Sequence[MergeGroup], couriers: Sequence[CourierInfo], parent: QWidget | None = None
    ) -> None:
        super().__init__(tr("合并发货"), tr("合并发货"), parent)
        self.setMinimumWidth(640)
        self.groups = list(groups)
        self.body.addWidget(
            QLabel(tr("同一买家、收件人和地址完全相同的待发货订单，可以用一个快递单号一起发货："))
        )
        self.groups_table = _table(
            (tr("买家"), tr("收件人"), tr("地址"), tr("订单数"), tr("最早承诺发货"), tr("订单号"))
        )
        self.groups_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        _fill(
            self.groups_table,
            [
                (
                    g.buyer_nickname,
                    g.receiver_name_mask,
                    g.address_mask,
                    len(g.order_ids),
                    format_ts(g.earliest_deadline_at) if g.earliest_deadline_at else "",
                    tr("、").join(g.order_sns),
                )
                for g in self.groups
            ],
        )
        self.body.addWidget(self.groups_table, 1)
        self.form = CourierNumberForm(couriers)
        self.body.addWidget(self.form)
        self.groups_table.itemSelectionChanged.connect(self.update_ok)
        self.form.validity_changed.connect(lambda _v: self.update_ok())
        if self.groups:
            self.groups_table.selectRow(0)
        self.finish_layout()

    def selected_group(self) -> MergeGroup | None:
        """The group to ship."""
        rows = self.groups_table.selectionModel().selectedRows()
        return self.groups[rows[0].row()] if rows else None

    def can_submit(self) -> bool:
        return self.selected_group() is not None and self.form.is_valid()


class ExtraPackageDialog(FormDialog):
    """补充包裹: add a 分包, 补发 or 赠品 parcel to a shipped order.

    Public children: ``kind_combo`` (data: extra / resend / gift), ``form``, ``ok_button``.
    """

    def __init__(self, order_sn: str, couriers: Sequence[CourierInfo], parent: QWidget | None = None) -> None:
        super().__init__(tr("补充包裹"), tr("添加包裹"), parent)
        self.body.addWidget(QLabel(tr("订单号：{order_sn}").format(order_sn=order_sn)))
        self.kind_combo = QComboBox()
        for key, label in EXTRA_KIND_LABELS.items():
            self.kind_combo.addItem(label, key)
        kind_row = QFormLayout()
        kind_row.addRow(tr("包裹类型"), self.kind_combo)
        self.body.addLayout(kind_row)
        self.form = CourierNumberForm(couriers)
        self.body.addWidget(self.form)
        self.form.validity_changed.connect(lambda _v: self.update_ok())
        self.finish_layout()

    def can_submit(self) -> bool:
        return self.form.is_valid()

    def values(self) -> dict:
        """Keyword arguments for ``add_extra_package`` (without the order id)."""
        courier = self.form.courier()
        return {
            "courier_id": courier.id if courier else 0,
            "tracking_number": self.form.number() or "",
            "kind": self.kind_combo.currentData(),
        }


class ModifyShipmentDialog(FormDialog):
    """修改发货: replace a parcel's courier and number, with a reason.

    Public children: ``package_combo``, ``form``, ``reason_edit``, ``ok_button``.
    """

    def __init__(
        self,
        order_sn: str,
        packages: Sequence[PackageInfo],
        couriers: Sequence[CourierInfo],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(tr("修改发货"), tr("修改发货"), parent)
        self.body.addWidget(QLabel(tr("订单号：{order_sn}").format(order_sn=order_sn)))
        self.package_combo = QComboBox()
        for p in packages:
            if p.kind in ("normal", "none"):
                self.package_combo.addItem(f"{p.courier_name} {p.tracking_number}".strip(), p)
        top = QFormLayout()
        top.addRow(tr("原包裹"), self.package_combo)
        self.body.addLayout(top)
        self.form = CourierNumberForm(couriers)
        self.body.addWidget(self.form)
        self.reason_edit = QLineEdit()
        self.reason_edit.setPlaceholderText(tr("例如：单号填错、换了快递公司"))
        bottom = QFormLayout()
        bottom.addRow(tr("修改原因"), self.reason_edit)
        self.body.addLayout(bottom)
        package = self.package()
        if package is not None:
            self.form.select_courier(package.courier_id)
        self.form.validity_changed.connect(lambda _v: self.update_ok())
        self.reason_edit.textChanged.connect(lambda _t: self.update_ok())
        self.finish_layout()

    def package(self) -> PackageInfo | None:
        """The parcel being replaced."""
        return self.package_combo.currentData()

    def can_submit(self) -> bool:
        return self.package() is not None and self.form.is_valid() and bool(self.reason_edit.text().strip())

    def values(self) -> dict:
        """Keyword arguments for ``modify_shipment`` (without the order id)."""
        package = self.package()
        courier = self.form.courier()
        return {
            "package_id": package.id if package else 0,
            "courier_id": courier.id if courier else 0,
            "tracking_number": self.form.number() or "",
            "reason": self.reason_edit.text().strip(),
        }


class CancelShipmentDialog(FormDialog):
    """取消发货: put a shipment that has not reached the platform back to 待发货, with a reason.

    Public children: ``reason_edit``, ``ok_button``.
    """

    def __init__(self, order_sn: str, parent: QWidget | None = None) -> None:
        super().__init__(tr("取消发货"), tr("取消发货"), parent, cancel_text=tr("返回"))
        label = QLabel(
            tr(
                "订单 {order_sn} 将回到待发货，包裹作废，库存退回。\n合并发货的包裹会连同其他订单一起取消。"
            ).format(order_sn=order_sn)
        )
        label.setWordWrap(True)
        self.body.addWidget(label)
        self.reason_edit = QLineEdit()
        self.reason_edit.setPlaceholderText(tr("取消原因（必填）"))
        self.body.addWidget(self.reason_edit)
        self.reason_edit.textChanged.connect(lambda _t: self.update_ok())
        self.finish_layout()

    def can_submit(self) -> bool:
        return bool(self.reason_edit.text().strip())

    def reason(self) -> str:
        """The reason as typed (trimmed)."""
        return self.reason_edit.text().strip()


class BulkCheckDialog(FormDialog):
    """The checked bulk-ship file: summary, a table of the bad rows, and 「发货 N 个正确行」.

    Nothing is applied unless ``ok_button`` (the apply button) is clicked. Public children:
    ``summary_label``, ``errors_table`` (行, 列, 内容, 原因), ``ok_button``.
    """

    def __init__(self, check: BulkShipCheck, parent: QWidget | None = None) -> None:
        good = len(check.good)
        super().__init__(
            tr("检查发货文件"), tr("发货 {good:,} 个正确行").format(good=good), parent, cancel_text=tr("关闭")
        )
        self.setMinimumSize(620, 400)
        self.check = check
        self.summary_label = QLabel(
            tr("{file_name}：共 {rows_total:,} 行，正确 {good:,} 行，有问题 {bad_rows:,} 行").format(
                file_name=check.file_name, rows_total=check.rows_total, good=good, bad_rows=check.bad_rows
            )
        )
        self.body.addWidget(self.summary_label)
        self.errors_table = _table((tr("行"), tr("列"), tr("内容"), tr("原因")))
        _fill(self.errors_table, [(e.row_no, e.column, e.raw_value, e.message) for e in check.errors])
        self.errors_table.setVisible(bool(check.errors))
        self.body.addWidget(self.errors_table, 1)
        if check.errors:
            self.body.addWidget(QLabel(tr("有问题的行不会发货；可以改好文件后重新导入。")))
        self.finish_layout()

    def can_submit(self) -> bool:
        return bool(self.check.good)


class ExportOrdersDialog(FormDialog):
    """导出订单: the filtered list to CSV or Excel; receivers masked unless the user asks.

    Public children: ``path_edit``, ``browse_button``, ``layout_combo``, ``full_check``,
    ``reason_edit``.
    """

    def __init__(self, count: int, suggested_path: str, parent: QWidget | None = None) -> None:
        super().__init__(tr("导出订单列表"), tr("导出"), parent)
        intro = QLabel(tr("导出当前筛选出的 {count:,} 个订单（顺序与列表相同）。").format(count=count))
        intro.setWordWrap(True)
        self.body.addWidget(intro)
        row = QHBoxLayout()
        self.path_edit = QLineEdit(suggested_path)
        self.path_edit.setPlaceholderText(tr("保存位置（.xlsx 或 .csv）"))
        self.browse_button = QPushButton(tr("选择…"))
        row.addWidget(self.path_edit, 1)
        row.addWidget(self.browse_button)
        self.body.addLayout(row)
        self.layout_combo = QComboBox()
        self.layout_combo.addItem(tr("订单列表（每个订单一行）"), "list")
        self.layout_combo.addItem(tr("拼多多后台导出格式（每个商品一行，可再导入）"), "platform")
        self.body.addWidget(self.layout_combo)
        self.full_check = QCheckBox(tr("包含完整的收件人姓名、手机号和详细地址"))
        self.full_check.setToolTip(tr("默认导出打码后的信息（如 138****1234）；导出完整信息会记入操作日志"))
        self.body.addWidget(self.full_check)
        self.reason_edit = QLineEdit()
        self.reason_edit.setPlaceholderText(tr("导出完整信息的原因（必填，记入操作日志）"))
        self.reason_edit.setVisible(False)
        self.body.addWidget(self.reason_edit)
        self.full_check.toggled.connect(self._on_full_toggled)
        self.reason_edit.textChanged.connect(lambda _t: self.update_ok())
        self.path_edit.textChanged.connect(lambda _t: self.update_ok())
        self.browse_button.clicked.connect(self._browse)
        self.finish_layout()

    def _on_full_toggled(self, checked: bool) -> None:
        self.reason_edit.setVisible(checked)
        self.update_ok()

    def _browse(self) -> None:
        path, chosen = QFileDialog.getSaveFileName(
            self, tr("导出订单列表"), self.path_edit.text(), tr("Excel 文件 (*.xlsx);;CSV 文件 (*.csv)")
        )
        if path:
            if not Path(path).suffix:
                path += ".csv" if "csv" in chosen.lower() else ".xlsx"
            self.path_edit.setText(path)

    def can_submit(self) -> bool:
        path = self.path_edit.text().strip()
        if not path or Path(path).suffix.lower() not in (".xlsx", ".csv"):
            return False
        return not self.full_check.isChecked() or bool(self.reason_edit.text().strip())

    def choice(self) -> tuple[str, bool, str]:
        """(path, full receiver, reason)."""
        return self.path_edit.text().strip(), self.full_check.isChecked(), self.reason_edit.text().strip()

    def file_layout(self) -> str:
        """Either "list" (one row per order, this app's columns) or "platform" (the platform's export)."""
        return self.layout_combo.currentData()


#: The platform's five flag colours, in its order.
FLAG_CHOICES = tuple((int(f), f.label) for f in Flag)


class MemoDialog(FormDialog):
    """商家备注 and flag of one order (sent to the platform by the next sync).

    Public children: ``flag_combo``, ``memo_edit``, ``count_label``.
    """

    def __init__(self, order_sn: str, memo: str, flag: int | None, parent: QWidget | None = None) -> None:
        super().__init__(tr("修改备注"), tr("保存"), parent)
        self.body.addWidget(QLabel(tr("订单号：{order_sn}").format(order_sn=order_sn)))
        form = QFormLayout()
        self.flag_combo = QComboBox()
        self.flag_combo.addItem(tr("无旗帜"), None)
        for value, name in FLAG_CHOICES:
            self.flag_combo.addItem(name, value)
        self.flag_combo.setCurrentIndex(max(0, self.flag_combo.findData(flag)))
        self.memo_edit = QPlainTextEdit(memo)
        self.memo_edit.setPlaceholderText(tr("只有自己能看到的备注，例如：先发顺丰、少一件已联系买家"))
        self.memo_edit.setMinimumHeight(90)
        self.count_label = QLabel("")
        form.addRow(tr("旗帜"), self.flag_combo)
        form.addRow(tr("商家备注"), self.memo_edit)
        form.addRow("", self.count_label)
        self.body.addLayout(form)
        self.memo_edit.textChanged.connect(self.update_ok)
        self.finish_layout()

    def can_submit(self) -> bool:
        n = len(self.memo_edit.toPlainText().strip())
        self.count_label.setText(f"{n}/{MEMO_MAX}")
        return n <= MEMO_MAX

    def choice(self) -> tuple[str, int | None]:
        """(memo, flag)."""
        return self.memo_edit.toPlainText().strip(), self.flag_combo.currentData()
