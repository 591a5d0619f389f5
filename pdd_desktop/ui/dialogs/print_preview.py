"""打印预览: the rendered PDF on screen, then to a printer (or a PDF file) page by page.

The document was rendered by ``services.printing`` (vector PDF, the template's page size). This
dialog shows it with QtPdf and prints it through Qt's print support: each page is rasterised at
the printer's resolution (capped, see :data:`MAX_DPI`) and drawn on a page of exactly the
document's size, shifted by the printer's x/y offset in mm (label printers rarely feed at 0, 0).
Printing runs one page per event-loop turn with a progress dialog and Cancel, so 300 labels
never freeze the window. "另存为 PDF" copies the vector file itself.

The printer is remembered per document type and the offsets per printer (QSettings: these belong
to the machine, not the shop).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from PySide6.QtCore import QMarginsF, QPointF, QRectF, QSettings, QSize, QSizeF, Qt, QTimer, Signal
from PySide6.QtGui import QPageLayout, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDoubleSpinBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QProgressDialog,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from pdd_desktop.ui.i18n import QT_TR_NOOP, tr

#: Pages are rasterised at the printer's resolution but never finer than this (a 76×130 mm
#: label at 300 dpi is ~900×1540 px; thermal printers print 203 or 300 dpi).
MAX_DPI = 300
#: The combo entry that prints through Qt's PDF printer into a file the user picks.
PDF_PRINTER = "__pdf__"
PDF_PRINTER_TEXT = QT_TR_NOOP("打印到 PDF 文件…")
#: Zoom steps of 放大 / 缩小 (1.0 = the page at its real size on screen).
ZOOM_STEPS = (0.25, 0.33, 0.5, 0.67, 0.75, 1.0, 1.25, 1.5, 2.0, 3.0, 4.0)


def printer_key(doc_type: str) -> str:
    """QSettings key of the printer remembered for a document type."""
    return f"printing/printer/{doc_type}"


def offset_key(printer: str) -> str:
    """QSettings key of a printer's x/y offset in mm."""
    return f"printing/offset/{printer}"


class PrintPreviewDialog(QDialog):
    """Preview, then print or save; emits :attr:`printed` once the whole document went out.

    Public children: ``view``, ``printer_combo``, ``offset_x``, ``offset_y``, ``print_button``,
    ``save_button``, ``close_button``, ``info_label``, ``status_label``; ``document``; the
    viewer's bar: ``prev_button``, ``next_button``, ``page_label``, ``zoom_out_button``,
    ``zoom_in_button``, ``fit_width_button``, ``fit_page_button``, ``zoom_label``.
    """

    #: Everything was sent: the printer description for the print job ("name" or "PDF:<path>").
    printed = Signal(str)

    def __init__(
        self,
        pdf_path: Path,
        *,
        doc_type: str,
        title: str,
        page_size_mm: tuple[float, float],
        info: str,
        settings: QSettings,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("打印预览 — {title}").format(title=title))
        self.resize(760, 820)
        self.pdf_path = Path(pdf_path)
        self.doc_type = doc_type
        self.page_size_mm = page_size_mm
        self._settings = settings
        self._progress: QProgressDialog | None = None
        self._job: _PrintRun | None = None

        self.document = QPdfDocument(self)
        self.document.load(str(self.pdf_path))
        self.view = QPdfView(self)
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)

        self.info_label = QLabel(info)
        self.info_label.setWordWrap(True)
        self.prev_button = QPushButton(tr("上一页"))
        self.next_button = QPushButton(tr("下一页"))
        self.page_label = QLabel("")
        self.zoom_out_button = QPushButton(tr("缩小"))
        self.zoom_in_button = QPushButton(tr("放大"))
        self.fit_width_button = QPushButton(tr("适合宽度"))
        self.fit_page_button = QPushButton(tr("整页"))
        for button in (self.fit_width_button, self.fit_page_button):
            button.setCheckable(True)
        self.zoom_label = QLabel("")
        self.zoom_label.setObjectName("Muted")
        self.zoom_label.setMinimumWidth(48)
        self.printer_combo = QComboBox()
        for name in QPrinterInfo.availablePrinterNames():
            self.printer_combo.addItem(name, name)
        self.printer_combo.addItem(tr(PDF_PRINTER_TEXT), PDF_PRINTER)
        remembered = settings.value(printer_key(doc_type))
        default = QPrinterInfo.defaultPrinterName()
        index = self.printer_combo.findData(remembered if remembered else default)
        self.printer_combo.setCurrentIndex(max(0, index))
        self.offset_x = _mm_spin(tr("左右偏移（正数向右）"))
        self.offset_y = _mm_spin(tr("上下偏移（正数向下）"))
        self.print_button = QPushButton(tr("打印"))
        self.print_button.setDefault(True)
        self.save_button = QPushButton(tr("另存为 PDF…"))
        self.close_button = QPushButton(tr("关闭"))
        self.status_label = QLabel("")
        self.status_label.setObjectName("Muted")

        controls = QHBoxLayout()
        controls.addWidget(QLabel(tr("打印机")))
        controls.addWidget(self.printer_combo, 1)
        controls.addWidget(QLabel(tr("偏移 X")))
        controls.addWidget(self.offset_x)
        controls.addWidget(QLabel("Y"))
        controls.addWidget(self.offset_y)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status_label, 1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.close_button)
        viewer_bar = QHBoxLayout()
        viewer_bar.addWidget(self.prev_button)
        viewer_bar.addWidget(self.page_label)
        viewer_bar.addWidget(self.next_button)
        viewer_bar.addStretch(1)
        viewer_bar.addWidget(self.zoom_out_button)
        viewer_bar.addWidget(self.zoom_label)
        viewer_bar.addWidget(self.zoom_in_button)
        viewer_bar.addWidget(self.fit_width_button)
        viewer_bar.addWidget(self.fit_page_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.info_label)
        layout.addLayout(viewer_bar)
        layout.addWidget(self.view, 1)
        layout.addLayout(controls)
        layout.addLayout(buttons)

        self._load_offsets()
        self.printer_combo.currentIndexChanged.connect(lambda _i: self._load_offsets())
        self.offset_x.valueChanged.connect(lambda _v: self._save_offsets())
        self.offset_y.valueChanged.connect(lambda _v: self._save_offsets())
        self.print_button.clicked.connect(self.start_print)
        self.save_button.clicked.connect(self.save_pdf)
        self.close_button.clicked.connect(self.reject)
        self.prev_button.clicked.connect(lambda: self.go_to_page(self.current_page() - 1))
        self.next_button.clicked.connect(lambda: self.go_to_page(self.current_page() + 1))
        self.zoom_in_button.clicked.connect(lambda: self.zoom_step(+1))
        self.zoom_out_button.clicked.connect(lambda: self.zoom_step(-1))
        self.fit_width_button.clicked.connect(lambda: self.set_fit(QPdfView.ZoomMode.FitToWidth))
        self.fit_page_button.clicked.connect(lambda: self.set_fit(QPdfView.ZoomMode.FitInView))
        self.view.pageNavigator().currentPageChanged.connect(lambda _p: self._update_viewer_bar())
        self.view.zoomModeChanged.connect(lambda _m: self._update_viewer_bar())
        self.view.zoomFactorChanged.connect(lambda _f: self._update_viewer_bar())
        self._update_viewer_bar()

    # --- viewing ---
    def current_page(self) -> int:
        """The page shown (0-based)."""
        return self.view.pageNavigator().currentPage()

    def go_to_page(self, page: int) -> None:
        """Show page ``page`` (0-based; clamped to the document)."""
        count = self.document.pageCount()
        if count == 0:
            return
        page = max(0, min(count - 1, page))
        navigator = self.view.pageNavigator()
        navigator.jump(page, QPointF(), navigator.currentZoom())
        self._update_viewer_bar()

    def zoom_factor(self) -> float:
        """The zoom shown now: the fitted one in a fit mode, else the chosen step."""
        if self.view.zoomMode() == QPdfView.ZoomMode.Custom:
            return self.view.zoomFactor()
        return self._fitted_factor()

    def _fitted_factor(self) -> float:
        """The factor a fit mode shows the current page at (page points → screen pixels)."""
        size = self.document.pagePointSize(max(0, self.current_page()))
        viewport = self.view.viewport().size()
        if size.width() <= 0 or size.height() <= 0:
            return 1.0
        margins = self.view.documentMargins()
        width = max(1.0, viewport.width() - margins.left() - margins.right())
        height = max(1.0, viewport.height() - margins.top() - margins.bottom())
        # QPdfView draws 1 pt as (the screen's logical dpi / 72) pixels at zoom 1.
        screen = self.view.screen()
        scale = (screen.logicalDotsPerInch() if screen is not None else 96.0) / 72.0
        by_width = width / (size.width() * scale)
        if self.view.zoomMode() == QPdfView.ZoomMode.FitToWidth:
            return by_width
        return min(by_width, height / (size.height() * scale))

    def zoom_step(self, direction: int) -> None:
        """放大 (+1) / 缩小 (−1): the next zoom step from what is shown now."""
        current = self.zoom_factor()
        if direction > 0:
            target = next((z for z in ZOOM_STEPS if z > current + 1e-3), ZOOM_STEPS[-1])
        else:
            target = next((z for z in reversed(ZOOM_STEPS) if z < current - 1e-3), ZOOM_STEPS[0])
        self.view.setZoomMode(QPdfView.ZoomMode.Custom)
        self.view.setZoomFactor(target)
        self._update_viewer_bar()

    def set_fit(self, mode: QPdfView.ZoomMode) -> None:
        """适合宽度 (``FitToWidth``) or 整页 (``FitInView``)."""
        self.view.setZoomMode(mode)
        self._update_viewer_bar()

    def _update_viewer_bar(self) -> None:
        count = self.document.pageCount()
        page = self.current_page()
        self.page_label.setText(
            tr("第 {page} / {count} 页").format(page=page + 1, count=count) if count else ""
        )
        self.prev_button.setEnabled(count > 0 and page > 0)
        self.next_button.setEnabled(count > 0 and page < count - 1)
        mode = self.view.zoomMode()
        self.fit_width_button.setChecked(mode == QPdfView.ZoomMode.FitToWidth)
        self.fit_page_button.setChecked(mode == QPdfView.ZoomMode.FitInView)
        factor = self.zoom_factor()
        # A fit mode is shown by its checked button; a percentage only for a chosen zoom.
        self.zoom_label.setText(f"{round(factor * 100)}%" if mode == QPdfView.ZoomMode.Custom else "")
        self.zoom_in_button.setEnabled(factor < ZOOM_STEPS[-1] - 1e-3)
        self.zoom_out_button.setEnabled(factor > ZOOM_STEPS[0] + 1e-3)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        # A fitted zoom changes with the window; the viewer is laid out after this event.
        QTimer.singleShot(0, self._update_viewer_bar)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        QTimer.singleShot(0, self._update_viewer_bar)

    # --- settings ---
    def _printer(self) -> str:
        return self.printer_combo.currentData() or PDF_PRINTER

    def _load_offsets(self) -> None:
        value = self._settings.value(offset_key(self._printer()), "0,0")
        try:
            x, y = (float(part) for part in str(value).split(","))
        except ValueError:
            x, y = 0.0, 0.0
        for spin, v in ((self.offset_x, x), (self.offset_y, y)):
            spin.blockSignals(True)
            spin.setValue(v)
            spin.blockSignals(False)

    def _save_offsets(self) -> None:
        value = f"{self.offset_x.value()},{self.offset_y.value()}"
        self._settings.setValue(offset_key(self._printer()), value)

    # --- output ---
    def choose_pdf_path(self, title: str) -> str:
        """Ask where a PDF goes (tests replace this)."""
        path, _f = QFileDialog.getSaveFileName(self, title, self.pdf_path.name, tr("PDF 文件 (*.pdf)"))
        if path and not path.lower().endswith(".pdf"):
            path += ".pdf"
        return path

    def save_pdf(self) -> None:
        """Copy the rendered (vector) PDF where the user wants it; that counts as a print."""
        path = self.choose_pdf_path(tr("另存为 PDF"))
        if not path:
            return
        try:
            shutil.copyfile(self.pdf_path, path)
        except OSError as exc:
            self.status_label.setText(tr("保存失败：{error}").format(error=exc.strerror or exc))
            return
        self.status_label.setText(tr("已保存到 {name}").format(name=Path(path).name))
        self.printed.emit(f"PDF:{Path(path).resolve()}")

    def make_printer(self) -> tuple[QPrinter, str] | None:
        """The QPrinter for the chosen entry and its description, or None when the user backs out."""
        choice = self._printer()
        if choice == PDF_PRINTER:
            path = self.choose_pdf_path(tr("打印到 PDF 文件"))
            if not path:
                return None
            printer = QPrinter(QPrinter.PrinterMode.HighResolution)
            printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
            printer.setOutputFileName(path)
            printer.setResolution(MAX_DPI)
            description = f"PDF:{Path(path).resolve()}"
        else:
            printer = QPrinter(QPrinterInfo.printerInfo(choice), QPrinter.PrinterMode.HighResolution)
            description = choice
        width, height = self.page_size_mm
        size = QPageSize(
            QSizeF(width, height), QPageSize.Unit.Millimeter, "", QPageSize.SizeMatchPolicy.ExactMatch
        )
        portrait, mm = QPageLayout.Orientation.Portrait, QPageLayout.Unit.Millimeter
        printer.setPageLayout(QPageLayout(size, portrait, QMarginsF(0, 0, 0, 0), mm))
        printer.setFullPage(True)
        printer.setDocName(self.pdf_path.stem)
        return printer, description

    def start_print(self) -> None:
        """Print every page, one per event-loop turn, with progress and Cancel."""
        if self._job is not None:
            return
        made = self.make_printer()
        if made is None:
            return
        printer, description = made
        self._settings.setValue(printer_key(self.doc_type), self._printer())
        run = _PrintRun(self.document, printer, (self.offset_x.value(), self.offset_y.value()), self)
        if not run.begin():
            self.status_label.setText(tr("打印机无法开始打印，请检查打印机是否连接、是否缺纸"))
            return
        self._job = run
        self.print_button.setEnabled(False)
        self.save_button.setEnabled(False)
        total = self.document.pageCount()
        self._progress = QProgressDialog(tr("正在打印…"), tr("取消"), 0, total, self)
        self._progress.setWindowTitle(tr("打印"))
        self._progress.setWindowModality(Qt.WindowModality.WindowModal)
        self._progress.setMinimumDuration(800)
        self._progress.canceled.connect(run.cancel)
        run.page_done.connect(self._progress.setValue)
        run.finished.connect(lambda ok, sent: self._on_print_finished(ok, sent, description))
        run.start()

    def _on_print_finished(self, ok: bool, sent: int, description: str) -> None:
        self._job = None
        if self._progress is not None:
            self._progress.reset()
            self._progress.deleteLater()
            self._progress = None
        self.print_button.setEnabled(True)
        self.save_button.setEnabled(True)
        if ok:
            self.status_label.setText(tr("已发送 {sent} 页到打印机").format(sent=sent))
            self.printed.emit(description)
        else:
            self.status_label.setText(tr("打印已取消（已发送 {sent} 页，没有记为已打印）").format(sent=sent))

    def reject(self) -> None:
        if self._job is not None:
            self._job.cancel()
            return
        super().reject()


class _PrintRun(QWidget):
    """Paints one page per timer tick into an open QPainter on the printer."""

    page_done = Signal(int)
    finished = Signal(bool, int)

    def __init__(
        self, document: QPdfDocument, printer: QPrinter, offset_mm: tuple[float, float], parent
    ) -> None:
        super().__init__(parent)
        self.hide()
        self._document = document
        self._printer = printer
        self._offset_mm = offset_mm
        self._painter = QPainter()
        self._page = 0
        self._cancelled = False
        self._timer = QTimer(self)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._step)

    def begin(self) -> bool:
        return self._painter.begin(self._printer)

    def start(self) -> None:
        self._timer.start()

    def cancel(self) -> None:
        self._cancelled = True

    def _step(self) -> None:
        total = self._document.pageCount()
        if self._cancelled or self._page >= total:
            self._timer.stop()
            if self._cancelled:
                self._printer.abort()
            self._painter.end()
            self.finished.emit(not self._cancelled, self._page)
            return
        if self._page:
            self._printer.newPage()
        dpi = min(self._printer.resolution(), MAX_DPI)
        points = self._document.pagePointSize(self._page)
        image = self._document.render(
            self._page, QSize(round(points.width() / 72 * dpi), round(points.height() / 72 * dpi))
        )
        scale = self._printer.resolution() / 25.4  # device pixels per mm
        x_mm, y_mm = self._offset_mm
        target = QRectF(
            x_mm * scale, y_mm * scale, points.width() / 72 * self._printer.resolution(),
            points.height() / 72 * self._printer.resolution(),
        )  # fmt: skip
        self._painter.drawImage(target, image)
        self._page += 1
        self.page_done.emit(self._page)


def _mm_spin(tip: str) -> QDoubleSpinBox:
    spin = QDoubleSpinBox()
    spin.setRange(-20.0, 20.0)
    spin.setSingleStep(0.5)
    spin.setDecimals(1)
    spin.setSuffix(" mm")
    spin.setToolTip(tip)
    return spin
