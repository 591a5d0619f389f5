"""发货中心 shipping actions, driven through the real toolbar and dialogs, checked in the database."""

from __future__ import annotations

import csv
import itertools
import json
import threading

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QProgressDialog, QPushButton

from pdd_desktop.data.db import database
from pdd_desktop.jobs.events import AppEvents
from pdd_desktop.jobs.runner import JobRunner
from pdd_desktop.services import shipping
from pdd_desktop.services import shop as shop_service
from pdd_desktop.services.orders import OrderFilter
from pdd_desktop.ui.main_window import MainWindow
from pdd_desktop.ui.pages.base import PageContext
from pdd_desktop.ui.pages.orders.columns import ORDER_COLUMNS
from pdd_desktop.ui.pages.orders.dialogs import (
    BatchResultDialog,
    BulkCheckDialog,
    CancelShipmentDialog,
    ExportOrdersDialog,
    ExtraPackageDialog,
    MergeDialog,
    ModifyShipmentDialog,
    NoLogisticsDialog,
    PoolBatchDialog,
    ScanShipDialog,
    ShipDialog,
)
from pdd_desktop.ui.table.row_cache_model import select_ids
from tests.helpers.db import db_state, one, q
from tests.helpers.pages import page_fixture

ZTO, YTO = 115, 85
STATUS_COL = [c.key for c in ORDER_COLUMNS].index("status")
TRACKING_COL = [c.key for c in ORDER_COLUMNS].index("tracking")
_numbers = itertools.count(1)


def zto() -> str:
    return f"7399{next(_numbers):010d}"


def yto() -> str:
    return f"YT9{next(_numbers):012d}"


def to_ship_ids(n: int) -> list[int]:
    rows = q('SELECT id FROM "order" WHERE status = 1 AND refund_status = 1 ORDER BY id LIMIT ?', n)
    assert len(rows) == n
    return [r[0] for r in rows]


def sn(order_id: int) -> str:
    return one('SELECT order_sn FROM "order" WHERE id = ?', order_id)[0]


def status(order_id: int) -> int:
    return one('SELECT status FROM "order" WHERE id = ?', order_id)[0]


def live_packages(order_id: int):
    return q(
        "SELECT p.id, p.courier_id, p.tracking_number, p.kind FROM package p "
        "JOIN package_order po ON po.package_id = p.id WHERE po.order_id = ? AND p.voided_at IS NULL "
        "ORDER BY p.id",
        order_id,
    )


def snapshot():
    return db_state(
        ("package", "package_order", "outbox", "audit_log", "stock_movement", "import_batch"),
        'SELECT id, status, pending_ops FROM "order" ORDER BY id',
        "SELECT id, state FROM waybill_number WHERE state != 'free' ORDER BY id",
    )


page = page_fixture("orders")


def show_orders(page, ids: list[int], view: str = "all") -> None:
    """List these orders (one: by its number) and select them.

    Rows cached before a test changed the database behind the page's back are dropped first.
    """
    page.model.mark_stale()
    if len(ids) == 1:
        page.set_filter(OrderFilter(view=view, order_sn=sn(ids[0])))
    else:
        page.set_filter(OrderFilter(view=view))
    found = select_ids(page.model, page.view.table.selectionModel(), ids)
    assert found == len(ids)
    assert sorted(page.selected_order_ids()) == sorted(ids)


def cell(page, order_id: int, column: int) -> str:
    return page.model.index(page.model.position_of(order_id), column).data()


def click(qtbot, button) -> None:
    assert button.isEnabled()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


# --------------------------------------------------------------------------------------------
# 发货
# --------------------------------------------------------------------------------------------


def test_ship_one_order(qtbot, page):
    (oid,) = to_ship_ids(1)
    show_orders(page, [oid])
    actions = page.actions
    assert actions.ship_action.isEnabled()
    assert cell(page, oid, STATUS_COL) == "待发货"
    actions.ship_action.trigger()
    dlg = actions.current_dialog
    assert isinstance(dlg, ShipDialog) and dlg.isVisible()
    assert not dlg.override_edit.isVisible()
    dlg.form.select_courier(ZTO)
    assert not dlg.ok_button.isEnabled()
    number = zto()
    qtbot.keyClicks(dlg.form.number_edit, number[:4] + " " + number[4:])  # spaces are dropped
    assert dlg.form.message_label.text() == ""
    click(qtbot, dlg.ok_button)

    assert not dlg.isVisible()
    assert cell(page, oid, STATUS_COL).startswith("已发货")
    assert number in cell(page, oid, TRACKING_COL)
    assert status(oid) == 2
    ((_pid, courier_id, tracking, kind),) = live_packages(oid)
    assert (courier_id, tracking, kind) == (ZTO, number, "normal")
    ((op_type, payload, state),) = q(
        "SELECT op_type, payload_json, state FROM outbox WHERE entity_remote_id = ?", sn(oid)
    )
    assert (op_type, state) == ("ship_order", "pending")
    assert json.loads(payload)["tracking_number"] == number
    assert sn(oid) in actions.message_label.text()
    # Now shipped: 发货 is off with the reason, 修改/取消 are on.
    assert not actions.ship_action.isEnabled() and "已发货" in actions.ship_action.toolTip()
    assert actions.modify_action.isEnabled() and actions.cancel_action.isEnabled()


def test_invalid_number_is_refused_and_nothing_changes(qtbot, page):
    (oid,) = to_ship_ids(1)
    used = one("SELECT tracking_number FROM package WHERE courier_id = ? AND voided_at IS NULL", ZTO)[0]
    show_orders(page, [oid])
    before = snapshot()
    page.actions.ship_action.trigger()
    dlg = page.actions.current_dialog
    dlg.form.select_courier(ZTO)
    qtbot.keyClicks(dlg.form.number_edit, "YT1234567890123")
    assert "不符合中通快递的单号格式" in dlg.form.message_label.text()
    assert not dlg.ok_button.isEnabled()
    QTest.keyClick(dlg.form.number_edit, Qt.Key.Key_Return)  # Enter does not get past the check
    assert dlg.isVisible() and snapshot() == before

    # Well-formed but already on another parcel: the service refuses, the dialog stays open.
    dlg.form.number_edit.setText(used)
    click(qtbot, dlg.ok_button)
    assert dlg.isVisible()
    assert "已被订单" in dlg.error_label.text() and dlg.error_label.isVisible()
    assert snapshot() == before
    assert status(oid) == 1 and cell(page, oid, STATUS_COL) == "待发货"


def test_blocked_order_shows_reason_and_ships_only_with_override(qtbot, page):
    (oid,) = to_ship_ids(1)
    database.execute_sql('UPDATE "order" SET refund_status = 3 WHERE id = ?', (oid,))
    show_orders(page, [oid])
    actions = page.actions
    reason = "订单退款中，发货前请先处理售后"
    assert not actions.ship_action.isEnabled()
    assert actions.ship_action.toolTip() == reason
    assert reason in actions.status_label.text()
    assert not actions.no_logistics_action.isEnabled() and reason in actions.no_logistics_action.toolTip()
    assert not actions.batch_action.isEnabled()
    actions.ship_action.trigger()  # a disabled action does nothing
    assert actions.current_dialog is None

    assert actions.force_ship_action.isEnabled()
    actions.force_ship_action.trigger()
    dlg = actions.current_dialog
    assert isinstance(dlg, ShipDialog) and dlg.override_edit.isVisible()
    dlg.form.select_courier(ZTO)
    number = zto()
    qtbot.keyClicks(dlg.form.number_edit, number)
    assert not dlg.ok_button.isEnabled()  # the reason is required
    dlg.override_edit.setText("买家电话确认仍要发货")  # QTest types Latin-1 only
    click(qtbot, dlg.ok_button)

    assert status(oid) == 2 and live_packages(oid)[0][2] == number
    ((detail,),) = q("SELECT detail_json FROM audit_log WHERE order_id = ? AND action = 'ship'", oid)
    detail = json.loads(detail)
    assert detail["override_reason"] == "买家电话确认仍要发货" and detail["blocked_reason"] == reason


def test_open_after_sales_case_asks_for_override_in_the_dialog(qtbot, page):
    (oid,) = to_ship_ids(1)
    database.execute_sql('UPDATE "order" SET after_sales_status = 2 WHERE id = ?', (oid,))  # refund asked
    show_orders(page, [oid])
    assert page.actions.ship_action.isEnabled()  # the row cannot tell; the dialog can
    page.actions.ship_action.trigger()
    dlg = page.actions.current_dialog
    assert dlg.override_edit.isVisible() and "售后" in dlg.guard_label.text()
    dlg.form.select_courier(ZTO)
    qtbot.keyClicks(dlg.form.number_edit, zto())
    assert not dlg.ok_button.isEnabled()
    dlg.override_edit.setText("已与买家确认")  # QTest types Latin-1 only
    click(qtbot, dlg.ok_button)
    assert status(oid) == 2


def test_guards_follow_the_selection(page):
    a, b = to_ship_ids(2)
    show_orders(page, [a, b])
    actions = page.actions
    assert not actions.ship_action.isEnabled() and "只能选一个" in actions.ship_action.toolTip()
    assert actions.batch_action.isEnabled() and actions.scan_action.isEnabled()
    assert actions.no_logistics_action.isEnabled()
    assert not actions.modify_action.isEnabled() and not actions.cancel_action.isEnabled()
    page.view.table.clearSelection()
    assert not actions.batch_action.isEnabled() and actions.ship_action.toolTip() == "请先选择一个待发货订单"
    assert actions.merge_action.isEnabled() and actions.import_action.isEnabled()
    assert actions.export_action.isEnabled()
    # A demo order shipped long ago (already on the platform) can be modified but not cancelled.
    (shipped,) = one('SELECT id FROM "order" WHERE status = 2 AND pending_ops = 0 ORDER BY id')
    show_orders(page, [shipped])
    assert actions.modify_action.isEnabled() and actions.extra_action.isEnabled()
    assert not actions.cancel_action.isEnabled()
    assert actions.cancel_action.toolTip() == "已同步到平台，只能修改发货"


def test_select_by_click_enables_ship(qtbot, page):
    page.set_filter(OrderFilter(view="to_ship"))
    table = page.view.table
    rect = table.visualRect(page.model.index(0, 0))
    QTest.mouseClick(
        table.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, rect.center()
    )
    assert page.selected_order_ids() == [page.model.ids[0]]
    assert page.actions.ship_action.isEnabled()


# --------------------------------------------------------------------------------------------
# 批量发货（电子面单）, 无物流发货
# --------------------------------------------------------------------------------------------


def test_batch_from_pool_ships_selected_and_reports_skipped(qtbot, page):
    ids = to_ship_ids(4)
    blocked = ids[3]
    database.execute_sql('UPDATE "order" SET refund_status = 2 WHERE id = ?', (blocked,))
    account = shipping.list_waybill_accounts()[0]
    free = q(
        "SELECT tracking_number FROM waybill_number WHERE account_id = ? AND state = 'free' "
        "ORDER BY id LIMIT 3",
        account.id,
    )
    show_orders(page, ids, view="to_ship")
    actions = page.actions
    assert actions.batch_action.isEnabled()
    actions.batch_action.trigger()
    dlg = actions.current_dialog
    assert isinstance(dlg, PoolBatchDialog)
    assert dlg.account().id == account.id and "可用 2,000 个" in dlg.account_combo.currentText()
    click(qtbot, dlg.ok_button)

    result = actions.current_dialog
    assert isinstance(result, BatchResultDialog)
    assert result.summary_label.text() == "已发货 3 单，未发货 1 单"
    rows = {
        result.table.item(r, 0).text(): (result.table.item(r, 1).text(), result.table.item(r, 2).text())
        for r in range(result.table.rowCount())
    }
    assert rows[sn(blocked)] == ("未发货", "买家申请了退款（售后处理中），发货前请先处理售后")
    assert [rows[sn(o)][0] for o in ids[:3]] == ["已发货"] * 3
    used = q(
        "SELECT tracking_number, order_id FROM waybill_number WHERE state = 'used' AND account_id = ? "
        "ORDER BY id",
        account.id,
    )
    assert used == [(n, o) for (n,), o in zip(free, ids[:3], strict=True)]
    assert [status(o) for o in ids] == [2, 2, 2, 1]
    # The to-ship list no longer holds them.
    assert set(ids[:3]).isdisjoint(page.model.ids) and blocked in page.model.ids


def test_ship_without_logistics(qtbot, page):
    ids = to_ship_ids(2)
    show_orders(page, ids)
    page.actions.no_logistics_action.trigger()
    dlg = page.actions.current_dialog
    assert isinstance(dlg, NoLogisticsDialog) and "2 个订单" in dlg.message_label.text()
    click(qtbot, dlg.ok_button)
    for oid in ids:
        assert status(oid) == 2
        ((_pid, courier_id, number, kind),) = live_packages(oid)
        assert (courier_id, number, kind) == (None, "", "none")
        assert cell(page, oid, STATUS_COL).startswith("已发货")


# --------------------------------------------------------------------------------------------
# 修改发货, 取消发货, 补充包裹
# --------------------------------------------------------------------------------------------


def _shipped_order() -> tuple[int, str]:
    (oid,) = to_ship_ids(1)
    number = zto()
    shipping.ship_order(order_id=oid, courier_id=ZTO, tracking_number=number)
    return oid, number


def test_modify_shipment(qtbot, page):
    oid, old = _shipped_order()
    show_orders(page, [oid])
    assert page.actions.modify_action.isEnabled()
    page.actions.modify_action.trigger()
    dlg = page.actions.current_dialog
    assert isinstance(dlg, ModifyShipmentDialog)
    assert old in dlg.package_combo.currentText() and dlg.form.courier().id == ZTO
    dlg.form.select_courier(YTO)
    new = yto()
    qtbot.keyClicks(dlg.form.number_edit, new)
    assert not dlg.ok_button.isEnabled()  # reason required
    dlg.reason_edit.setText("换了圆通")  # QTest types Latin-1 only
    click(qtbot, dlg.ok_button)

    ((_pid, courier_id, number, _kind),) = live_packages(oid)
    assert (courier_id, number) == (YTO, new)
    assert q("SELECT void_reason FROM package WHERE tracking_number = ?", old) == [("换了圆通",)]
    assert q("SELECT op_type FROM outbox WHERE entity_remote_id = ? ORDER BY id", sn(oid)) == [
        ("ship_order",),
        ("modify_shipment",),
    ]
    assert new in cell(page, oid, TRACKING_COL) and old not in cell(page, oid, TRACKING_COL)


def test_cancel_shipment(qtbot, page):
    oid, _number = _shipped_order()
    show_orders(page, [oid])
    assert page.actions.cancel_action.isEnabled()
    page.actions.cancel_action.trigger()
    dlg = page.actions.current_dialog
    assert isinstance(dlg, CancelShipmentDialog)
    assert not dlg.ok_button.isEnabled()
    dlg.reason_edit.setText("拿错了货")  # QTest types Latin-1 only
    click(qtbot, dlg.ok_button)
    assert status(oid) == 1 and live_packages(oid) == []
    assert q("SELECT state FROM outbox WHERE entity_remote_id = ?", sn(oid)) == [("cancelled",)]
    assert cell(page, oid, STATUS_COL) == "待发货"
    assert page.actions.ship_action.isEnabled()


def test_add_extra_package(qtbot, page):
    oid, _number = _shipped_order()
    show_orders(page, [oid])
    page.actions.extra_action.trigger()
    dlg = page.actions.current_dialog
    assert isinstance(dlg, ExtraPackageDialog)
    dlg.kind_combo.setCurrentIndex(dlg.kind_combo.findData("gift"))
    dlg.form.select_courier(YTO)
    extra = yto()
    qtbot.keyClicks(dlg.form.number_edit, extra)
    click(qtbot, dlg.ok_button)
    assert [p[2:] for p in live_packages(oid)][-1] == (extra, "gift")
    assert q("SELECT op_type FROM outbox WHERE entity_remote_id = ? ORDER BY id", sn(oid))[-1] == (
        "extra_logistics",
    )


# --------------------------------------------------------------------------------------------
# 导入发货文件, 导出上传文件
# --------------------------------------------------------------------------------------------


def test_import_file_reports_bad_rows_and_ships_only_good_ones(qtbot, page, tmp_path, monkeypatch):
    a, b, c = to_ship_ids(3)
    na, nc = zto(), zto()
    path = tmp_path / "发货.csv"
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh).writerows(
            [
                ["订单号", "快递公司", "快递单号"],
                [sn(a), "中通快递", na],
                [sn(b), "中通快递", "YT0000000000001"],
                [sn(c), "中通快递", nc],
            ]
        )
    monkeypatch.setattr(page.actions, "_choose_import_path", lambda: str(path))
    before = snapshot()
    page.actions.import_action.trigger()
    dlg = page.actions.current_dialog
    assert isinstance(dlg, BulkCheckDialog)
    assert snapshot() == before  # checking writes nothing
    table = dlg.errors_table
    assert table.rowCount() == 1
    row = [table.item(0, col).text() for col in range(4)]
    assert row[:3] == ["3", "快递单号", "YT0000000000001"] and "不符合中通快递的单号格式" in row[3]
    assert dlg.ok_button.text() == "发货 2 个正确行"
    click(qtbot, dlg.ok_button)

    assert [status(o) for o in (a, b, c)] == [2, 1, 2]
    assert [live_packages(o)[0][2] for o in (a, c)] == [na, nc]
    result = page.actions.current_dialog
    assert isinstance(result, BatchResultDialog)
    assert result.summary_label.text() == "已发货 2 单，未发货 1 单"
    assert q("SELECT kind, rows_new, rows_rejected FROM import_batch") == [("bulk_ship", 2, 1)]


def test_import_cancelled_report_applies_nothing(qtbot, page, tmp_path, monkeypatch):
    (a,) = to_ship_ids(1)
    path = tmp_path / "ship.csv"
    path.write_text(f"订单号,快递公司,快递单号\n{sn(a)},中通快递,{zto()}\n", encoding="utf-8")
    monkeypatch.setattr(page.actions, "_choose_import_path", lambda: str(path))
    before = snapshot()
    page.actions.import_action.trigger()
    dlg = page.actions.current_dialog
    assert dlg.errors_table.rowCount() == 0 and dlg.ok_button.text() == "发货 1 个正确行"
    click(qtbot, dlg.cancel_button)
    assert snapshot() == before


def test_import_unreadable_file_shows_error(page, tmp_path, monkeypatch):
    path = tmp_path / "bad.csv"
    path.write_text("单号,公司\n1,2\n", encoding="utf-8")
    monkeypatch.setattr(page.actions, "_choose_import_path", lambda: str(path))
    page.actions.import_action.trigger()
    assert "缺少必需的列" in page.actions.message_label.text()
    assert "缺少必需的列" in page.actions.current_dialog.message_label.text()


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_export_upload_file(page, tmp_path, monkeypatch, suffix):
    (a, na), (b, nb) = _shipped_order(), _shipped_order()
    target = tmp_path / f"上传.{suffix}"
    monkeypatch.setattr(page.actions, "_choose_export_path", lambda: str(target))
    page.actions.export_action.trigger()
    if suffix == "csv":
        rows = list(csv.reader(target.read_text(encoding="utf-8-sig").splitlines()))
    else:
        rows = [[c.value for c in r] for r in load_workbook(target).active.iter_rows()]
    assert rows[0] == ["订单号", "快递公司", "快递单号"]
    assert sorted(map(tuple, rows[1:])) == sorted([(sn(a), "中通快递", na), (sn(b), "中通快递", nb)])
    assert page.actions.message_label.text() == f"已导出 2 行到 {target.name}"
    assert page.actions.current_dialog.text() == f"已导出 2 行到 {target.name}"


def test_export_the_filtered_list_masked_then_in_full_with_a_reason(qtbot, page, tmp_path):
    page.set_filter(OrderFilter(view="to_ship"))
    expected = [sn(i) for i in page.model.ids]
    phones = {r[0] for r in q('SELECT receiver_phone FROM "order" WHERE status = 1')}
    page.actions.export_list_action.trigger()
    dlg = page.actions.current_dialog
    assert isinstance(dlg, ExportOrdersDialog) and dlg.isVisible()
    target = tmp_path / "待发货.csv"
    dlg.path_edit.setText(str(target))
    assert dlg.ok_button.isEnabled()
    qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    rows = list(csv.reader(target.read_text(encoding="utf-8-sig").splitlines()))
    assert [r[0] for r in rows[1:]] == expected  # same orders, same order as the list
    assert not phones & {r[rows[0].index("手机号")] for r in rows[1:]}
    assert "收件人信息已打码" in page.actions.message_label.text()

    page.actions.export_list_action.trigger()
    dlg = page.actions.current_dialog
    dlg.path_edit.setText(str(tmp_path / "full.xlsx"))
    dlg.full_check.setChecked(True)
    assert not dlg.ok_button.isEnabled()  # a reason is required
    dlg.reason_edit.setText("快递网点要核对地址")
    assert dlg.ok_button.isEnabled()
    qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    sheet = [[c.value for c in r] for r in load_workbook(tmp_path / "full.xlsx").active.iter_rows()]
    assert {r[sheet[0].index("手机号")] for r in sheet[1:]} == phones
    audit = one("SELECT detail_json FROM audit_log WHERE action = 'export_receivers'")[0]
    assert json.loads(audit)["reason"] == "快递网点要核对地址"


def test_export_path_must_be_csv_or_xlsx(page):
    page.actions.export_list_action.trigger()
    dlg = page.actions.current_dialog
    dlg.path_edit.setText("/tmp/orders.txt")
    assert not dlg.ok_button.isEnabled()


# --------------------------------------------------------------------------------------------
# 合并发货, 扫描发货
# --------------------------------------------------------------------------------------------


def test_merge_ship_one_group(qtbot, page):
    a, b = to_ship_ids(2)
    database.execute_sql(
        'UPDATE "order" SET (buyer_key, receiver_name, receiver_phone, province, city, district, town, '
        "address_detail) = (SELECT buyer_key, receiver_name, receiver_phone, province, city, district, town, "
        'address_detail FROM "order" WHERE id = ?) WHERE id = ?',
        (a, b),
    )
    show_orders(page, [a])
    page.actions.merge_action.trigger()
    dlg = page.actions.current_dialog
    assert isinstance(dlg, MergeDialog)
    assert dlg.groups_table.rowCount() == 1 and dlg.selected_group().order_ids == (a, b)
    assert sn(a) in dlg.groups_table.item(0, 5).text()
    dlg.form.select_courier(ZTO)
    number = zto()
    qtbot.keyClicks(dlg.form.number_edit, number)
    click(qtbot, dlg.ok_button)
    (pa,), (pb,) = live_packages(a), live_packages(b)
    assert pa == pb and pa[2] == number
    assert (status(a), status(b)) == (2, 2)


def test_merge_without_groups_says_so(page):
    page.view.table.clearSelection()
    page.actions.merge_action.trigger()
    assert "没有可以合并发货的订单" in page.actions.message_label.text()


def test_scan_ship_walks_the_selection(qtbot, page):
    ids = to_ship_ids(3)
    show_orders(page, ids, view="to_ship")
    page.actions.scan_action.trigger()
    dlg = page.actions.current_dialog
    assert isinstance(dlg, ScanShipDialog)
    order_of = {o[0]: o for o in dlg.orders}
    assert sorted(order_of) == sorted(ids)
    dlg.courier_combo.setCurrentIndex(dlg.courier_combo.findText("中通快递"))
    first, second, third = (o[0] for o in dlg.orders)
    assert dlg.progress_label.text() == "第 1/3 单"

    qtbot.keyClicks(dlg.number_edit, "12345")
    QTest.keyClick(dlg.number_edit, Qt.Key.Key_Return)  # a bad scan stays on the order
    assert "单号格式" in dlg.message_label.text() and dlg.current_order()[0] == first
    dlg.number_edit.clear()
    n1 = zto()
    qtbot.keyClicks(dlg.number_edit, n1)
    QTest.keyClick(dlg.number_edit, Qt.Key.Key_Return)
    assert dlg.current_order()[0] == second and not dlg.courier_combo.isEnabled()
    qtbot.keyClicks(dlg.number_edit, n1)  # the same parcel twice
    QTest.keyClick(dlg.number_edit, Qt.Key.Key_Return)
    assert "已用于订单" in dlg.message_label.text() and dlg.current_order()[0] == second
    click(qtbot, dlg.skip_button)
    dlg.number_edit.clear()
    n3 = zto()
    qtbot.keyClicks(dlg.number_edit, n3)
    QTest.keyClick(dlg.number_edit, Qt.Key.Key_Return)
    assert dlg.current_order() is None and dlg.table.rowCount() == 2
    assert dlg.ok_button.text() == "发货 2 单"
    assert dlg.isVisible()  # Enter from the scanner never submits
    click(qtbot, dlg.ok_button)

    assert (status(first), status(second), status(third)) == (2, 1, 2)
    assert live_packages(first)[0][2] == n1 and live_packages(third)[0][2] == n3
    result = page.actions.current_dialog
    assert isinstance(result, BatchResultDialog) and result.summary_label.text() == "已发货 2 单，未发货 0 单"


# --------------------------------------------------------------------------------------------
# Real threads: the write runs on the db lane; the progress dialog's 取消 stops the batch
# --------------------------------------------------------------------------------------------


@pytest.fixture
def threaded_window(qtbot, demo_shop, qsettings):

    runner = JobRunner()
    ctx = PageContext(runner, AppEvents(), demo_shop, shop_service.describe_shop(demo_shop))
    win = MainWindow(ctx, qsettings)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    yield win
    runner.shutdown()


def test_batch_on_the_db_lane_can_be_cancelled(qtbot, threaded_window, monkeypatch):
    ids = to_ship_ids(3)
    real = shipping.ship_batch_from_pool

    def waits_for_cancel(*, order_ids, account_id, task):
        for _ in range(500):  # up to 5 s
            if task.cancel_requested:
                break
            task.report(0, len(order_ids), "批量发货")
            threading.Event().wait(0.01)
        return real(order_ids=order_ids, account_id=account_id, task=task)

    monkeypatch.setattr(shipping, "ship_batch_from_pool", waits_for_cancel)
    win = threaded_window
    win.show_page("orders")
    page = win.page("orders")
    qtbot.waitUntil(lambda: set(ids) <= set(page.model.ids), timeout=5000)
    select_ids(page.model, page.view.table.selectionModel(), ids)
    before = snapshot()
    page.actions.batch_action.trigger()
    qtbot.waitUntil(lambda: isinstance(page.actions.current_dialog, PoolBatchDialog), timeout=5000)
    dlg = page.actions.current_dialog
    click(qtbot, dlg.ok_button)
    assert not dlg.ok_button.isEnabled() and not dlg.cancel_button.isEnabled()  # busy meanwhile

    def progress_dialog():
        found = [d for d in page.findChildren(QProgressDialog) if d.isVisible()]
        return found[0] if found else None

    qtbot.waitUntil(lambda: progress_dialog() is not None, timeout=5000)
    (cancel,) = progress_dialog().findChildren(QPushButton)
    assert cancel.text() == "取消"
    click(qtbot, cancel)
    qtbot.waitUntil(lambda: isinstance(page.actions.current_dialog, BatchResultDialog), timeout=5000)
    result = page.actions.current_dialog
    assert result.summary_label.text() == "已发货 0 单，未发货 0 单；已取消，还有 3 单没有处理"
    assert snapshot() == before


def test_ship_on_the_db_lane_updates_the_table(qtbot, threaded_window):
    (oid,) = to_ship_ids(1)
    win = threaded_window
    win.show_page("orders")
    page = win.page("orders")
    page.set_filter(OrderFilter(view="all", order_sn=sn(oid)))
    qtbot.waitUntil(lambda: page.model.ids == [oid], timeout=5000)
    select_ids(page.model, page.view.table.selectionModel(), [oid])
    page.actions.ship_action.trigger()
    qtbot.waitUntil(lambda: isinstance(page.actions.current_dialog, ShipDialog), timeout=5000)
    dlg = page.actions.current_dialog
    dlg.form.select_courier(ZTO)
    number = zto()
    qtbot.keyClicks(dlg.form.number_edit, number)
    with qtbot.waitSignal(page.results_shown, timeout=5000):
        click(qtbot, dlg.ok_button)
    assert cell(page, oid, STATUS_COL).startswith("已发货") and number in cell(page, oid, TRACKING_COL)
    assert status(oid) == 2 and page.selected_order_ids() == [oid]
    assert page.actions.modify_action.isEnabled()
    assert page.actions.message_label.text() == f"订单 {sn(oid)} 已发货"


def test_export_in_the_platform_layout_imports_back_as_nothing_new(qtbot, page, tmp_path):
    from pdd_desktop.services import imports

    page.set_filter(OrderFilter(view="to_ship"))
    page.actions.export_list_action.trigger()
    dlg = page.actions.current_dialog
    target = tmp_path / "平台格式.csv"
    dlg.path_edit.setText(str(target))
    dlg.layout_combo.setCurrentIndex(dlg.layout_combo.findData("platform"))
    qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    header = target.read_text(encoding="utf-8-sig").splitlines()[0]
    assert "订单号" in header and "订单状态" in header
    check = imports.check_import_file(target)
    assert not check.errors and check.new == 0 and check.updated == 0
    assert check.unchanged == len(page.model.ids)
    imports.discard_check(check)
