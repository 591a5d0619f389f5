"""打印预览: the rendered PDF on screen, then to a printer (or a PDF file) page by page.

The document was rendered by ``services.printing`` (vector PDF, the template's page size). This
dialog shows it with QtPdf and prints it through Qt's print support: each page is rasterised at
the printer's resolution (capped, see :data:`MAX_DPI`) and drawn on a page of exactly the
document's size, shifted by the printer's x/y offset in mm (label printers rarely feed at 0, 0).
Printing runs one page per event-loop turn with a progress dialog and Cancel, so 300 labels
never freeze the window. "另存为 PDF" copies the vector file itself.

The printer is remembered per document type and the offsets per printer (QSettings: these belong
to the machine, not the shop).

Labels of platform e-waybills (``cloud_numbers``) are printed by PDD's print component: once the
caller found it (:meth:`PrintPreviewDialog.set_component_printers`), its printers are listed
first in the same combo, and choosing one emits :attr:`~PrintPreviewDialog.component_print_requested`
(the caller runs the session in a worker and reports back with :meth:`show_result`). A system
printer then prints only the other pages. When the component is absent
(:meth:`~PrintPreviewDialog.set_component_missing`), the system printer prints every page of the
PDF: the PDF holds platform labels only where the receiver is readable in clear.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from PySide6.QtCore import QMarginsF, QPointF, QRectF, QSettings, QSize, QSizeF, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QPageLayout, QPageSize, QPainter
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
    QPlainTextEdit,
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
#: Combo data of a print component printer: this prefix + the printer's name.
COMPONENT_PREFIX = "component:"
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
    #: The pages sent are in :attr:`last_pages`.
    printed = Signal(str)
    #: The user asked to print the platform labels on this print component printer.
    component_print_requested = Signal(str)

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
        page_numbers: tuple[str, ...] = (),
        cloud_numbers: tuple[str, ...] = (),
    ) -> None:
        super().__init__(parent)
        #: The label number on each PDF page; the platform labels' numbers (print component).
        self.page_numbers = tuple(page_numbers)
        self.cloud_numbers = frozenset(cloud_numbers)
        #: None: not known yet; True: found (its printers listed); False: absent.
        self.component_available: bool | None = None if cloud_numbers else False
        #: The PDF pages the last system print (or save) sent, 0-based.
        self.last_pages: list[int] = []
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
        self.component_label = QLabel("")
        self.component_label.setWordWrap(True)
        self.component_label.setVisible(bool(cloud_numbers))
        if cloud_numbers:
            self.component_label.setText(tr("正在查找拼多多打印组件…"))
        #: What the demo sandbox's fake print component printed (its PDFs), after a session.
        self.printed_files: list[Path] = []
        self.printed_files_button = QPushButton(tr("查看模拟打印机打出的面单"))
        self.printed_files_button.setToolTip(tr("演示沙箱的模拟打印组件把打出的面单保存成 PDF，点此打开"))
        self.printed_files_button.setVisible(False)
        self.printed_files_button.clicked.connect(self.open_printed_files)
        self.result_view = QPlainTextEdit()
        self.result_view.setReadOnly(True)
        self.result_view.setMaximumHeight(110)
        self.result_view.setVisible(False)

        controls = QHBoxLayout()
        controls.addWidget(QLabel(tr("打印机")))
        controls.addWidget(self.printer_combo, 1)
        controls.addWidget(QLabel(tr("偏移 X")))
        controls.addWidget(self.offset_x)
        controls.addWidget(QLabel("Y"))
        controls.addWidget(self.offset_y)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status_label, 1)
        buttons.addWidget(self.printed_files_button)
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
        layout.addWidget(self.component_label)
        layout.addWidget(self.result_view)
        layout.addLayout(viewer_bar)
        layout.addWidget(self.view, 1)
        layout.addLayout(controls)
        layout.addLayout(buttons)

        self.no_preview_label = QLabel(
            tr("这些面单的收件人信息已加密，只有拼多多打印组件能打印，无法在这里预览。")
        )
        self.no_preview_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.no_preview_label.setWordWrap(True)
        layout.insertWidget(layout.indexOf(self.view), self.no_preview_label, 1)
        if self.document.pageCount() == 0 and cloud_numbers:
            # Only component labels: nothing to preview, save or offset.
            self.view.setVisible(False)
            for w in (self.prev_button, self.next_button, self.zoom_out_button, self.zoom_in_button):
                w.setVisible(False)
            for w in (self.fit_width_button, self.fit_page_button, self.save_button):
                w.setVisible(False)
            self.offset_x.setEnabled(False)
            self.offset_y.setEnabled(False)
        else:
            self.no_preview_label.setVisible(False)
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
        self.last_pages = list(range(self.document.pageCount()))
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

    # --- the print component ---
    def set_component_printers(self, printers: list[tuple[str, bool, bool]]) -> None:
        """The component was found: list its printers (name, online, default) first and pick one."""
        self.component_available = True
        remembered = self._settings.value(printer_key(self.doc_type))
        self.printer_combo.blockSignals(True)
        for n, (name, online, _default) in enumerate(printers):
            text = tr("拼多多打印组件 · {name}").format(name=name)
            if not online:
                text += tr("（离线）")
            self.printer_combo.insertItem(n, text, COMPONENT_PREFIX + name)
        wanted = self.printer_combo.findData(remembered) if remembered else -1
        if wanted < 0 or not str(remembered).startswith(COMPONENT_PREFIX):
            default = next((i for i, p in enumerate(printers) if p[2]), 0)
            wanted = default if printers else self.printer_combo.currentIndex()
        self.printer_combo.setCurrentIndex(max(0, wanted))
        self.printer_combo.blockSignals(False)
        self._load_offsets()
        count = len(self.cloud_numbers)
        text = tr("平台电子面单 {count} 张由拼多多打印组件打印：请选择打印组件里的打印机。").format(
            count=count
        )
        local = len(self._system_pages())
        if local:
            text += tr("另外 {count} 张本地单号面单请选择系统打印机打印。").format(count=local)
        self.component_label.setText(text)

    def set_component_missing(self, message: str) -> None:
        """The component is absent or failed: say so; system printers print what is in the PDF."""
        self.component_available = False
        missing = len(self.cloud_numbers - set(self.page_numbers))
        text = message
        if missing:
            text += tr(
                "\n{count} 张平台电子面单的收件人信息已加密，只能由拼多多打印组件打印，这次不会打印。"
            ).format(count=missing)
        if self.document.pageCount():
            text += tr("\n可用系统打印机打印预览中的 {count} 张面单（收件人信息完整）。").format(
                count=self.document.pageCount()
            )
        self.component_label.setText(text)

    def show_result(self, summary: str, lines: list[str]) -> None:
        """The outcome of a print through the component: a summary and the labels not printed."""
        self.status_label.setText(summary)
        self.result_view.setPlainText("\n".join(lines))
        self.result_view.setVisible(bool(lines))

    def add_result_lines(self, lines: list[str]) -> None:
        """Add lines to the result list (orders that got no label, and why)."""
        if not lines:
            return
        old = self.result_view.toPlainText()
        self.result_view.setPlainText("\n".join(([old] if old else []) + lines))
        self.result_view.setVisible(True)

    def set_printed_files(self, files: list[Path]) -> None:
        """The demo's fake component printed these PDFs: offer to open them."""
        self.printed_files = list(files)
        self.printed_files_button.setVisible(bool(files))

    def open_printed_files(self) -> None:
        """Open what the simulated printer printed (the newest PDFs) in the system's PDF viewer."""
        for path in self.printed_files[-3:]:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    def _system_pages(self) -> list[int]:
        """The PDF pages a system printer prints: all, or only the non-platform ones with the component."""
        count = self.document.pageCount()
        if not self.cloud_numbers or not self.component_available or not self.page_numbers:
            return list(range(count))
        return [
            i
            for i in range(min(count, len(self.page_numbers)))
            if self.page_numbers[i] not in self.cloud_numbers
        ]

    def start_print(self) -> None:
        """Print every page, one per event-loop turn, with progress and Cancel."""
        if self._job is not None:
            return
        choice = self._printer()
        if choice.startswith(COMPONENT_PREFIX):
            self._settings.setValue(printer_key(self.doc_type), choice)
            self.component_print_requested.emit(choice[len(COMPONENT_PREFIX) :])
            return
        pages = self._system_pages()
        if not pages:
            self.status_label.setText(
                tr("没有要用系统打印机打印的面单：平台电子面单请选择拼多多打印组件的打印机")
            )
            return
        made = self.make_printer()
        if made is None:
            return
        printer, description = made
        self._settings.setValue(printer_key(self.doc_type), self._printer())
        run = _PrintRun(self.document, printer, (self.offset_x.value(), self.offset_y.value()), self, pages)
        if not run.begin():
            self.status_label.setText(tr("打印机无法开始打印，请检查打印机是否连接、是否缺纸"))
            return
        self._job = run
        self.print_button.setEnabled(False)
        self.save_button.setEnabled(False)
        self.last_pages = pages
        total = len(pages)
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
        self,
        document: QPdfDocument,
        printer: QPrinter,
        offset_mm: tuple[float, float],
        parent,
        pages: list[int] | None = None,
    ) -> None:
        super().__init__(parent)
        self.hide()
        self._pages = list(range(document.pageCount())) if pages is None else list(pages)
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
        total = len(self._pages)
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
        index = self._pages[self._page]
        points = self._document.pagePointSize(index)
        image = self._document.render(
            index, QSize(round(points.width() / 72 * dpi), round(points.height() / 72 * dpi))
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
