"""打印预览: print through Qt's PDF printer and check pages, page size and remembered settings."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from PySide6.QtCore import Qt

from pdd_desktop.printing import LabelData, LabelItem, load_template, render_labels
from pdd_desktop.ui.dialogs.print_preview import (
    PDF_PRINTER,
    PrintPreviewDialog,
    offset_key,
    printer_key,
)

pytestmark = pytest.mark.skipif(shutil.which("pdfinfo") is None, reason="poppler-utils missing")


def _label(i: int) -> LabelData:
    return LabelData(
        courier_name="中通快递", tracking_no=f"7893591657{i:04d}", receiver_name="张三",
        receiver_phone_masked="138****1234", receiver_address="浙江省杭州市西湖区文三路123号",
        sender_name="小店", sender_phone="021-5555****", sender_address="上海市闵行区",
        order_sn=f"261123-00000000000{i:04d}", printed_at="2026-11-23 16:00",
        items=(LabelItem("工装裤", "墨绿,2XL", 2),),
    )  # fmt: skip


@pytest.fixture
def labels_pdf(tmp_path):
    path = tmp_path / "labels.pdf"
    render_labels([_label(i) for i in range(3)], load_template("label_76x130"), path)
    return path


def _pdfinfo(path) -> tuple[int, float, float]:
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", out).group(1))
    w, h = (float(v) for v in re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", out).groups())
    return pages, w / 72 * 25.4, h / 72 * 25.4


def _dialog(qtbot, labels_pdf, qsettings):
    dlg = PrintPreviewDialog(
        labels_pdf, doc_type="label", title="快递面单", page_size_mm=(76.0, 130.0), info="3 张面单",
        settings=qsettings,
    )  # fmt: skip
    qtbot.addWidget(dlg)
    dlg.show()
    return dlg


def test_print_to_a_pdf_printer_sends_every_page_at_the_label_size(qtbot, labels_pdf, qsettings, tmp_path):
    dlg = _dialog(qtbot, labels_pdf, qsettings)
    assert dlg.document.pageCount() == 3
    dlg.printer_combo.setCurrentIndex(dlg.printer_combo.findData(PDF_PRINTER))
    out = tmp_path / "printed.pdf"
    dlg.choose_pdf_path = lambda _title: str(out)
    dlg.offset_x.setValue(1.5)
    with qtbot.waitSignal(dlg.printed, timeout=10_000) as blocker:
        qtbot.mouseClick(dlg.print_button, Qt.MouseButton.LeftButton)
    assert blocker.args == [f"PDF:{out.resolve()}"]
    pages, w, h = _pdfinfo(out)
    # Qt's PDF printer writes page sizes in whole points (1 pt = 0.35 mm); the rendered label
    # itself is exact to 0.1 mm (tests/printing).
    assert pages == 3 and abs(w - 76) < 0.36 and abs(h - 130) < 0.36
    # Printer and offsets are remembered (per document type / per printer).
    assert qsettings.value(printer_key("label")) == PDF_PRINTER
    assert qsettings.value(offset_key(PDF_PRINTER)) == "1.5,0.0"
    assert "已发送 3 页" in dlg.status_label.text()


def test_cancel_stops_printing_and_reports_nothing_printed(qtbot, labels_pdf, qsettings, tmp_path):
    dlg = _dialog(qtbot, labels_pdf, qsettings)
    dlg.printer_combo.setCurrentIndex(dlg.printer_combo.findData(PDF_PRINTER))
    dlg.choose_pdf_path = lambda _title: str(tmp_path / "x.pdf")
    emitted = []
    dlg.printed.connect(emitted.append)
    dlg.start_print()
    dlg._job.cancel()
    qtbot.waitUntil(lambda: dlg._job is None, timeout=10_000)
    assert emitted == [] and "打印已取消" in dlg.status_label.text()


def test_save_as_pdf_copies_the_vector_file(qtbot, labels_pdf, qsettings, tmp_path):
    dlg = _dialog(qtbot, labels_pdf, qsettings)
    target = tmp_path / "saved.pdf"
    dlg.choose_pdf_path = lambda _title: str(target)
    with qtbot.waitSignal(dlg.printed) as blocker:
        qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)
    assert target.read_bytes() == labels_pdf.read_bytes()
    assert blocker.args == [f"PDF:{target.resolve()}"]


def test_page_navigation_and_zoom(qtbot, labels_pdf, qsettings):
    from PySide6.QtPdfWidgets import QPdfView

    dlg = _dialog(qtbot, labels_pdf, qsettings)
    dlg.resize(760, 820)
    qtbot.waitExposed(dlg)
    assert dlg.page_label.text() == "第 1 / 3 页"
    assert not dlg.prev_button.isEnabled() and dlg.next_button.isEnabled()
    assert dlg.fit_width_button.isChecked() and not dlg.fit_page_button.isChecked()
    top = dlg.view.verticalScrollBar().value()
    qtbot.mouseClick(dlg.next_button, Qt.MouseButton.LeftButton)
    assert dlg.current_page() == 1 and dlg.page_label.text() == "第 2 / 3 页"
    assert dlg.view.verticalScrollBar().value() > top  # the view moved to page 2
    qtbot.mouseClick(dlg.next_button, Qt.MouseButton.LeftButton)
    assert dlg.page_label.text() == "第 3 / 3 页" and not dlg.next_button.isEnabled()
    qtbot.mouseClick(dlg.prev_button, Qt.MouseButton.LeftButton)
    assert dlg.page_label.text() == "第 2 / 3 页" and dlg.prev_button.isEnabled()

    qtbot.mouseClick(dlg.fit_page_button, Qt.MouseButton.LeftButton)
    assert dlg.view.zoomMode() == QPdfView.ZoomMode.FitInView
    assert dlg.fit_page_button.isChecked() and not dlg.fit_width_button.isChecked()
    whole_page = dlg.zoom_factor()
    qtbot.mouseClick(dlg.zoom_in_button, Qt.MouseButton.LeftButton)
    assert dlg.view.zoomMode() == QPdfView.ZoomMode.Custom
    assert (
        dlg.view.zoomFactor() > whole_page
        and dlg.zoom_label.text() == f"{round(dlg.view.zoomFactor() * 100)}%"
    )
    bigger = dlg.view.zoomFactor()
    qtbot.mouseClick(dlg.zoom_out_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dlg.zoom_out_button, Qt.MouseButton.LeftButton)
    assert dlg.view.zoomFactor() < bigger
    for _ in range(12):
        if dlg.zoom_out_button.isEnabled():
            qtbot.mouseClick(dlg.zoom_out_button, Qt.MouseButton.LeftButton)
    assert dlg.view.zoomFactor() == 0.25 and not dlg.zoom_out_button.isEnabled()
    qtbot.mouseClick(dlg.fit_width_button, Qt.MouseButton.LeftButton)
    assert dlg.view.zoomMode() == QPdfView.ZoomMode.FitToWidth and dlg.zoom_label.text() == ""
    assert (
        dlg.zoom_factor() > whole_page
    )  # a tall label: the width fits at a larger scale than the whole page
