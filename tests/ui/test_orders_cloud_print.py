"""发货中心 → 打印面单 for a real shop synced from the sandbox: platform numbers, the print component.

A real (non-demo) shop made by ``services.shops`` syncs from the sandbox platform; its 待发货
receivers are encrypted, so its labels can only be printed by the (fake) print component. The
sandbox's tables and the fake component's printed documents are the oracles.
"""

from __future__ import annotations

import shutil
import subprocess

import pytest
from PySide6.QtCore import QSettings, Qt

from pdd_desktop.common.paths import shop_paths
from pdd_desktop.domain.orders import OrderStatus
from pdd_desktop.jobs.events import AppEvents
from pdd_desktop.jobs.runner import ImmediateRunner
from pdd_desktop.platform.print_component import INSTALL_HINT
from pdd_desktop.sandbox.print_component import PRINTERS
from pdd_desktop.services import shipping, shops, waybills
from pdd_desktop.services import shop as shop_service
from pdd_desktop.services.orders import OrderFilter
from pdd_desktop.services.print_route import SANDBOX_CUSTOM_TEMPLATE, ComponentTarget, PlatformAccess
from pdd_desktop.ui.dialogs.print_preview import COMPONENT_PREFIX, PrintPreviewDialog
from pdd_desktop.ui.main_window import MainWindow
from pdd_desktop.ui.pages.base import PageContext
from pdd_desktop.ui.table.row_cache_model import select_ids
from tests.helpers.cloud_print import fake_component
from tests.helpers.db import q
from tests.helpers.sync_rig import make_rig
from tests.sandbox import NOW0

BACKFILL_S = 6 * 86400


class _RigAccess(PlatformAccess):
    """The rig's sandbox client (its clock offset set) and the test's fake component."""

    def __init__(self, rig, fake, out) -> None:
        super().__init__("real")
        self.rig, self.fake, self.out = rig, fake, out
        self.clients = 0

    def client(self):
        self.clients += 1
        return self.rig.client(rate_limits=False)

    def component(self) -> ComponentTarget:
        return ComponentTarget(
            self.fake.url,
            simulated=True,
            printed_dir=str(self.out),
            custom_template_url=SANDBOX_CUSTOM_TEMPLATE,
        )


@pytest.fixture
def real(tmp_path, tmp_path_factory):
    """The sandbox platform and a new real shop synced from it (not a demo copy)."""
    rig = make_rig(tmp_path, tmp_path_factory, local="empty")
    paths = shops.create_shop(rig.data_dir, "测试真实小店")
    shop_service.open_shop(shop_paths(rig.data_dir, paths.shop))
    rig.db = paths.db_file
    rig.paths = shop_paths(rig.data_dir, paths.shop)
    report = rig.engine(rig.client(rate_limits=False), initial_cursor_ts=NOW0 - BACKFILL_S).run_once()
    assert report.outcome == "ok", report
    yield rig
    rig.close()


@pytest.fixture
def setup(real, qtbot, tmp_path, qapp):
    """(rig, fake component, orders page) of the real shop's window."""
    out = tmp_path / "printed"
    with fake_component(out, secret=real.shop.credentials.client_secret) as fake:
        access = _RigAccess(real, fake, out)
        ctx = PageContext(
            ImmediateRunner(),
            AppEvents(),
            real.paths,
            shop_service.describe_shop(real.paths),
            platform=access,
        )
        win = MainWindow(ctx, QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
        qtbot.addWidget(win)
        win.show()
        qtbot.waitExposed(win)
        win.show_page("orders")
        yield real, fake, win.page("orders")
        win.close()


def _select_to_ship(page, n: int) -> list[int]:
    page.set_filter(OrderFilter(view="to_ship"))
    ids = [
        i
        for (i,) in q(
            'SELECT id FROM "order" o WHERE status = ? AND refund_status = 1 AND after_sales_status = 0 '
            "AND NOT EXISTS (SELECT 1 FROM package_order po WHERE po.order_id = o.id) ORDER BY id LIMIT ?",
            int(OrderStatus.TO_SHIP),
            n,
        )
    ]
    assert len(ids) == n
    assert select_ids(page.model, page.view.table.selectionModel(), ids) == n
    return ids


def _dialog(page) -> PrintPreviewDialog:
    dlg = page.print_actions.current_dialog
    assert isinstance(dlg, PrintPreviewDialog)
    return dlg


def _print_on_component(qtbot, dlg: PrintPreviewDialog, printer: str = PRINTERS[0]) -> None:
    index = dlg.printer_combo.findData(COMPONENT_PREFIX + printer)
    assert index >= 0, [dlg.printer_combo.itemText(i) for i in range(dlg.printer_combo.count())]
    dlg.printer_combo.setCurrentIndex(index)
    qtbot.mouseClick(dlg.print_button, Qt.MouseButton.LeftButton)


def _numbers(ids: list[int]) -> dict[int, str]:
    marks = ",".join("?" * len(ids))
    rows = q(
        f"SELECT order_id, tracking_number FROM waybill_number WHERE source = 'platform' "
        f"AND state = 'allocated' AND order_id IN ({marks})",
        *ids,
    )
    return dict(rows)


def test_labels_print_through_the_component_and_ship_with_the_issued_numbers(qtbot, setup, tmp_path):
    rig, fake, page = setup
    ids = _select_to_ship(page, 4)
    page.print_actions.label_action.trigger()
    dlg = _dialog(page)
    # Encrypted receivers: nothing for the preview, every label for the component.
    assert dlg.document.pageCount() == 0
    assert "平台电子面单 4 张，通过拼多多打印组件打印" in dlg.info_label.text()
    assert dlg.component_available is True
    assert "平台电子面单 4 张由拼多多打印组件打印" in dlg.component_label.text()
    names = [dlg.printer_combo.itemText(i) for i in range(dlg.printer_combo.count())]
    assert names[:2] == [f"拼多多打印组件 · {p}" for p in PRINTERS]
    numbers = _numbers(ids)
    assert sorted(numbers) == sorted(ids)
    assert {r[0] for r in rig.shop.waybills.issued()} == set(numbers.values())

    _print_on_component(qtbot, dlg)
    result = page.print_actions.last_session
    assert result is not None and len(result.printed) == 4, result.summary()
    assert sorted(d.waybill_code for d in fake.printed) == sorted(numbers.values())
    assert "已打印 4 张" in dlg.status_label.text()
    jobs = q("SELECT id, printer, pages, order_count FROM print_job")
    assert [j[1:] for j in jobs] == [(f"拼多多打印组件：{PRINTERS[0]}", 4, 4)]
    assert dict(q("SELECT order_id, tracking_number FROM print_job_order")) == numbers
    marks = ",".join(map(str, ids))
    assert {c for (c,) in q(f'SELECT print_count FROM "order" WHERE id IN ({marks})')} == {1}
    # The fake printed the 三段码 it issued, and the custom area (order number).
    assert dlg.printed_files and all(p.exists() for p in dlg.printed_files)
    assert dlg.printed_files_button.isVisible()
    dlg.grab().save(str(tmp_path / "dialog.png"))
    if shutil.which("pdftotext"):
        text = "".join(
            subprocess.run(["pdftotext", "-enc", "UTF-8", str(p), "-"], capture_output=True, text=True).stdout
            for p in dlg.printed_files
        )
        for oid, number in numbers.items():
            (sort_code,) = q("SELECT sort_code FROM waybill_number WHERE tracking_number = ?", number)[0]
            (order_sn,) = q('SELECT order_sn FROM "order" WHERE id = ?', oid)[0]
            assert number in text and sort_code.split()[0] in text and order_sn in text

    # Reprinting asks first (the reprint guard covers component labels too).
    page.print_actions.current_dialog.close()
    page.print_actions.label_action.trigger()
    box = page.print_actions.current_dialog
    assert not isinstance(box, PrintPreviewDialog) and "有 4 个已经打印过快递面单" in box.text()
    box.close()

    # Shipping uses the issued numbers.
    ((account_id,),) = q(
        "SELECT DISTINCT account_id FROM waybill_number WHERE tracking_number IN (?, ?, ?, ?)",
        *numbers.values(),
    )
    assert waybills.is_platform_account(account_id)
    shipped = shipping.ship_batch_from_pool(order_ids=ids, account_id=account_id)
    assert {s.order_id: s.tracking_number for s in shipped.shipped} == numbers
    for number in numbers.values():
        assert q("SELECT COUNT(*) FROM package WHERE tracking_number = ? AND voided_at IS NULL", number) == [
            (1,)
        ]
    assert rig.shop.effects("pdd.waybill.get") >= 1


def test_a_task_failing_half_way_records_only_the_printed_labels(qtbot, setup):
    _rig, fake, page = setup
    ids = _select_to_ship(page, 5)
    fake.faults.fail_after = 3  # 缺纸 after three labels
    page.print_actions.label_action.trigger()
    dlg = _dialog(page)
    _print_on_component(qtbot, dlg)
    result = page.print_actions.last_session
    printed = set(result.printed_order_ids)
    assert len(printed) == 3
    assert set(r[0] for r in q("SELECT order_id FROM print_job_order")) == printed
    assert q("SELECT pages, order_count FROM print_job") == [(3, 3)]
    lines = dlg.result_view.toPlainText().splitlines()
    assert len(lines) == 2 and all("打印失败" in line and "打印机缺纸" in line for line in lines)
    assert dlg.result_view.isVisible()
    unprinted = [i for i in ids if i not in printed]
    marks = ",".join(map(str, unprinted))
    assert {c for (c,) in q(f'SELECT print_count FROM "order" WHERE id IN ({marks})')} == {0}


def test_component_absent_says_how_to_install_and_records_nothing(qtbot, setup):
    _rig, fake, page = setup
    fake.set_running(False)
    _select_to_ship(page, 2)
    page.print_actions.label_action.trigger()
    dlg = _dialog(page)
    assert dlg.component_available is False
    text = dlg.component_label.text()
    assert INSTALL_HINT in text and "2 张平台电子面单的收件人信息已加密" in text
    # No empty-receiver label is offered: the preview is empty and a system print prints nothing.
    assert dlg.document.pageCount() == 0
    assert not any(
        str(dlg.printer_combo.itemData(i)).startswith(COMPONENT_PREFIX)
        for i in range(dlg.printer_combo.count())
    )
    qtbot.mouseClick(dlg.print_button, Qt.MouseButton.LeftButton)
    assert "没有要用系统打印机打印的面单" in dlg.status_label.text()
    assert q("SELECT COUNT(*) FROM print_job") == [(0,)]
    assert not fake.printed


def test_printer_offline_prints_nothing_and_says_so(qtbot, setup):
    _rig, fake, page = setup
    fake.faults.offline = {PRINTERS[0]}
    _select_to_ship(page, 2)
    page.print_actions.label_action.trigger()
    dlg = _dialog(page)
    offline = dlg.printer_combo.itemText(dlg.printer_combo.findData(COMPONENT_PREFIX + PRINTERS[0]))
    assert offline.endswith("（离线）")
    _print_on_component(qtbot, dlg)
    assert "离线" in dlg.status_label.text()
    assert q("SELECT COUNT(*) FROM print_job") == [(0,)]
    assert not fake.printed and fake.tasks_received == 0


def test_orders_without_a_number_are_listed_with_the_reason_and_not_printed(qtbot, setup):
    rig, fake, page = setup
    # The account labels use: the first default one (as printing picks it).
    ((wp_code,),) = q("SELECT wp_code FROM waybill_account WHERE is_default = 1 ORDER BY id LIMIT 1")
    rig.shop.waybills.set_balance(wp_code, 2)
    ids = _select_to_ship(page, 4)
    page.print_actions.label_action.trigger()
    dlg = _dialog(page)
    lines = dlg.result_view.toPlainText().splitlines()
    assert len(lines) == 2 and all("电子面单余额不足" in line for line in lines)
    _print_on_component(qtbot, dlg)
    assert len(fake.printed) == 2
    printed = {r[0] for r in q("SELECT order_id FROM print_job_order")}
    assert printed == set(ids[:2]) == set(_numbers(ids))
