"""打单 from 发货中心: labels through the preview to a PDF printer, the print job, the reprint guard."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from pdd_desktop.services.orders import OrderFilter
from pdd_desktop.ui.dialogs.print_preview import PDF_PRINTER, PrintPreviewDialog
from pdd_desktop.ui.table.row_cache_model import select_ids
from tests.helpers.db import q
from tests.helpers.pages import page_fixture

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils missing")


page = page_fixture("orders")


def _select_to_ship(page, n: int) -> list[int]:
    page.set_filter(OrderFilter(view="to_ship"))
    sql = 'SELECT id FROM "order" WHERE status = 1 AND refund_status = 1 ORDER BY id LIMIT ?'
    ids = [i for (i,) in q(sql, n)]
    assert select_ids(page.model, page.view.table.selectionModel(), ids) == n
    return ids


def _print_preview_to_pdf(qtbot, page, out) -> PrintPreviewDialog:
    dlg = page.print_actions.current_dialog
    assert isinstance(dlg, PrintPreviewDialog)
    dlg.printer_combo.setCurrentIndex(dlg.printer_combo.findData(PDF_PRINTER))
    dlg.choose_pdf_path = lambda _title: str(out)
    with qtbot.waitSignal(dlg.printed, timeout=20_000):
        qtbot.mouseClick(dlg.print_button, Qt.MouseButton.LeftButton)
    return dlg


def test_labels_print_through_the_preview_and_are_recorded(qtbot, page, tmp_path):
    ids = _select_to_ship(page, 3)
    assert page.print_actions.label_action.isEnabled()
    page.print_actions.label_action.trigger()
    dlg = page.print_actions.current_dialog
    assert isinstance(dlg, PrintPreviewDialog) and dlg.document.pageCount() == 3
    assert "3 个订单" in dlg.info_label.text()
    out = tmp_path / "labels.pdf"
    _print_preview_to_pdf(qtbot, page, out)
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True).stdout
    pages = re.search(r"Pages:\s+(\d+)", info)
    assert int(pages.group(1)) == 3
    jobs = q("SELECT id, doc_type, printer, pages, order_count FROM print_job")
    assert len(jobs) == 1 and jobs[0][1:] == ("label", f"PDF:{out.resolve()}", 3, 3)
    printed = q("SELECT order_id, tracking_number FROM print_job_order WHERE job_id = ?", jobs[0][0])
    assert sorted(o for o, _n in printed) == sorted(ids) and all(n for _o, n in printed)
    # The numbers printed are reserved for those orders in the waybill pool.
    for order_id, number in printed:
        assert q("SELECT state, order_id FROM waybill_number WHERE tracking_number = ?", number) == [
            ("allocated", order_id)
        ]
    marks = ",".join(map(str, ids))
    assert {c for (c,) in q(f'SELECT print_count FROM "order" WHERE id IN ({marks})')} == {1}
    # The list shows it: the 未打印 count dropped by three.
    unprinted = q('SELECT COUNT(*) FROM "order" WHERE status = 1 AND print_count = 0')[0][0]
    assert page.view_counts["unprinted"] == unprinted


def test_reprint_asks_first_and_can_print_only_the_new_ones(qtbot, page, tmp_path):
    ids = _select_to_ship(page, 2)
    page.print_actions.label_action.trigger()
    _print_preview_to_pdf(qtbot, page, tmp_path / "first.pdf")
    page.print_actions.current_dialog.close()
    ids3 = _select_to_ship(page, 3)
    assert ids3[:2] == ids
    page.print_actions.label_action.trigger()
    box = page.print_actions.current_dialog
    assert isinstance(box, QMessageBox)
    assert "有 2 个已经打印过快递面单" in box.text()
    assert "已打印 1 次" in box.informativeText()
    fresh = next(b for b in box.buttons() if b.text().startswith("只打印未打印的"))
    qtbot.mouseClick(fresh, Qt.MouseButton.LeftButton)
    dlg = page.print_actions.current_dialog
    assert isinstance(dlg, PrintPreviewDialog) and dlg.document.pageCount() == 1
    _print_preview_to_pdf(qtbot, page, tmp_path / "second.pdf")
    counts = dict(q(f'SELECT id, print_count FROM "order" WHERE id IN ({",".join(map(str, ids3))})'))
    assert counts == {ids3[0]: 1, ids3[1]: 1, ids3[2]: 1}
    # Cancelling the question prints nothing.
    page.print_actions.current_dialog.close()
    page.print_actions.label_action.trigger()
    box = page.print_actions.current_dialog
    cancel = next(b for b in box.buttons() if b.text() == "取消")
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    assert q("SELECT COUNT(*) FROM print_job")[0][0] == 2


def test_closing_the_preview_without_printing_records_nothing(qtbot, page):
    _select_to_ship(page, 2)
    page.print_actions.picking_action.trigger()
    dlg = page.print_actions.current_dialog
    assert isinstance(dlg, PrintPreviewDialog)
    dlg.close()
    assert q("SELECT COUNT(*) FROM print_job")[0][0] == 0


def test_print_button_is_disabled_without_a_selection(page):
    page.view.table.clearSelection()
    assert not page.print_actions.button.isEnabled()
    assert not page.print_actions.label_action.isEnabled()


def test_invoice_opens_for_one_selected_order_and_saving_refreshes_the_list(qtbot, page):
    from pdd_desktop.ui.pages.orders.invoice_dialog import InvoiceDialog

    ids = _select_to_ship(page, 2)
    assert not page.print_actions.invoice_action.isEnabled()  # two selected
    select_ids(page.model, page.view.table.selectionModel(), ids[:1])
    assert page.print_actions.invoice_action.isEnabled()
    page.print_actions.invoice_action.trigger()
    dlg = page.print_actions.current_dialog
    assert isinstance(dlg, InvoiceDialog)
    dlg.personal_radio.setChecked(True)
    dlg.title_edit.setText("张三")
    refreshed = []
    page.ctx.events.changes_applied.connect(lambda changes, _who: refreshed.append(changes))
    qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)
    assert q("SELECT order_id, title, status FROM invoice_request WHERE order_id = ?", ids[0]) == [
        (ids[0], "张三", "requested")
    ]
    assert refreshed


def test_the_label_size_chosen_in_settings_is_printed(qtbot, page):
    from PySide6.QtCore import QSettings

    from pdd_desktop.ui.print_settings import LABEL_TEMPLATE_KEY

    page.print_actions.settings = QSettings()
    page.print_actions.settings.setValue(LABEL_TEMPLATE_KEY, "label_100x150")
    _select_to_ship(page, 1)
    page.print_actions.label_action.trigger()
    dlg = page.print_actions.current_dialog
    assert isinstance(dlg, PrintPreviewDialog)
    w, h = dlg.page_size_mm
    assert abs(w - 100) < 0.1 and abs(h - 150) < 0.1
