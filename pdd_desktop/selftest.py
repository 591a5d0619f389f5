"""``pdd-desktop selftest``: a headless check that this installation (or frozen bundle) works.

Everything runs on a small demo shop in a temporary folder, never on the merchant's data:

1. build the demo shop;
2. open every page of the main window offscreen and wait until each has shown its data;
3. render each document (面单, 拣货单, 发货单, 发票) through the app's services and check the PDF
   (it opens in QtPdf with pages; a label's barcode is read back by the app's own Code128 reader,
   and by ``zbarimg`` too where it is installed);
4. export the demo's orders in the platform's layout and import the file into a new real shop;
5. run one sync against the sandbox platform on 127.0.0.1, as demo mode does.

Each step prints one Chinese line (✓/✗, what, time); failures are logged in full and named on
the console in one line, never as a traceback.
"""

from __future__ import annotations

import contextlib
import logging
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pdd_desktop.common import clock
from pdd_desktop.common.paths import ShopPaths, shop_paths
from pdd_desktop.common.redact import redact_text
from pdd_desktop.common.task import TaskContext

log = logging.getLogger(__name__)

#: Orders of the demo shop the self-test builds (small: the whole test stays well under 30 s).
DEMO_ORDERS = 300
DEMO_SEED = 7
#: Longest wait for one page to show its data, and for the sandbox sync.
PAGE_TIMEOUT_S = 20.0
SYNC_TIMEOUT_S = 20.0
#: Orders each document is rendered for.
DOC_ORDERS = 5
#: The name of the real shop the import step creates.
IMPORT_SHOP = "自检导入店铺"
#: Pixels per inch of the label page rendered for the barcode check.
BARCODE_DPI = 300


class StepFailed(Exception):
    """A step found a problem; the text (Chinese) says what."""


@dataclass
class StepResult:
    """One line of the report."""

    key: str
    label: str
    ok: bool
    detail: str
    seconds: float

    def line(self) -> str:
        """The console line: ✓/✗, what, the outcome and the time."""
        mark = "✓" if self.ok else "✗"
        return f"{mark} {self.label}：{self.detail}（{self.seconds:.1f} 秒）"


@dataclass
class _Context:
    """What the steps share: the temporary folder, the demo shop, the window."""

    root: Path
    demo: ShopPaths | None = None
    qt_app: object = None
    window: object = None
    runner: object = None
    label_number: str = ""
    notes: list[str] = field(default_factory=list)
    #: Where to save a PNG of each page once it shows its data (None: no screenshots).
    screenshots: Path | None = None


def _error_text(exc: BaseException) -> str:
    """One Chinese line for an unexpected error (details go to the log)."""
    from pdd_desktop.domain.errors import DomainError

    if isinstance(exc, StepFailed | DomainError):
        return redact_text(str(exc))
    text = redact_text(str(exc)) or ""
    return f"{type(exc).__name__}：{text}" if text else type(exc).__name__


# ---------------------------------------------------------------------------------------------
# Steps
# ---------------------------------------------------------------------------------------------


def _step_demo(ctx: _Context) -> str:
    from pdd_desktop.services import demo_shop
    from pdd_desktop.services import shop as shop_service

    paths = shop_paths(ctx.root / "data", "demo").ensure()
    summary = demo_shop.build_demo_shop(paths.db_file, orders=DEMO_ORDERS, seed=DEMO_SEED, now=clock.now())
    shop_service.open_shop(paths)
    ctx.demo = paths
    return f"订单 {summary.orders} · 商品 {summary.goods} · 售后 {summary.after_sales}"


def _process_events_until(qt_app, done: Callable[[], bool], timeout_s: float) -> bool:
    """Run the event loop until ``done()`` (True) or the timeout (False)."""
    from PySide6.QtCore import QEventLoop

    deadline = time.monotonic() + timeout_s
    while not done():
        if time.monotonic() > deadline:
            return False
        qt_app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
    return True


#: Signals pages emit when their data is on screen.
_SHOWN_SIGNALS = ("results_shown", "snapshot_shown")
#: Labels that say "still loading" while a page waits for its data.
_LOADING_LABELS = ("count_label", "updated_label", "font_label")


def _still_loading(page) -> bool:
    view = getattr(page, "view", None)
    for name in _LOADING_LABELS:
        label = getattr(view, name, None)
        if label is not None and "正在" in label.text():
            return True
    return False


def _step_pages(ctx: _Context) -> str:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from pdd_desktop.jobs.events import AppEvents
    from pdd_desktop.jobs.runner import JobRunner
    from pdd_desktop.services import shop as shop_service
    from pdd_desktop.ui import theme
    from pdd_desktop.ui.main_window import MainWindow
    from pdd_desktop.ui.pages.base import PageContext
    from pdd_desktop.ui.translations import install_qt_translations

    assert ctx.demo is not None
    qt_app = ctx.qt_app = QApplication.instance() or QApplication(["pdd-desktop"])
    install_qt_translations(qt_app)
    theme.apply_theme(qt_app)
    # Pages keep machine settings (printers, columns) in QSettings(): into the temporary folder.
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(ctx.root / "qsettings"))
    runner = ctx.runner = JobRunner()
    busy = [0]
    errors: list[BaseException] = []
    runner.busy_changed.connect(lambda n: busy.__setitem__(0, n))
    runner.unhandled_error.connect(errors.append)
    info = shop_service.describe_shop(ctx.demo)
    window = ctx.window = MainWindow(
        PageContext(runner, AppEvents(), ctx.demo, info),
        QSettings(str(ctx.root / "qsettings" / "window.ini"), QSettings.Format.IniFormat),
    )
    shown: dict[str, bool] = {}
    for key in window.page_keys():
        page = window.page(key)
        for name in _SHOWN_SIGNALS:
            signal = getattr(page, name, None)
            if signal is not None:
                shown[key] = False
                signal.connect(lambda *_a, k=key: shown.__setitem__(k, True))
    window.resize(1280, 800)
    window.show()
    loaded = []
    for key in window.page_keys():
        window.show_page(key)
        page = window.page(key)

        def ready(key=key, page=page) -> bool:
            return bool(errors) or (shown.get(key, True) and busy[0] == 0 and not _still_loading(page))

        if not _process_events_until(qt_app, ready, PAGE_TIMEOUT_S):
            raise StepFailed(f"“{page.title}”页面 {PAGE_TIMEOUT_S:.0f} 秒内没有显示数据")
        if errors:
            raise StepFailed(f"“{page.title}”页面出错：{_error_text(errors[0])}")
        if not page.isVisible():
            raise StepFailed(f"“{page.title}”页面没有显示出来")
        if ctx.screenshots is not None:
            ctx.screenshots.mkdir(parents=True, exist_ok=True)
            if not window.grab().save(str(ctx.screenshots / f"{key}.png")):
                raise StepFailed(f"“{page.title}”页面的截图无法保存到所选文件夹")
        loaded.append(page.title)
    return f"{len(loaded)} 个页面已显示数据（{'、'.join(loaded)}）"


def _check_pdf(path: Path, expected_pages: int, what: str) -> int:
    """Open the PDF the way the print preview does (QtPdf); its page count, checked."""
    from PySide6.QtPdf import QPdfDocument

    if expected_pages <= 0:
        raise StepFailed(f"{what}没有生成任何页面")
    doc = QPdfDocument()
    try:
        if doc.load(str(path)) != QPdfDocument.Error.None_:
            raise StepFailed(f"{what}的 PDF 文件打不开")
        if doc.pageCount() != expected_pages:
            raise StepFailed(f"{what}的 PDF 有 {doc.pageCount()} 页，应为 {expected_pages} 页")
        return doc.pageCount()
    finally:
        doc.close()


def _render_first_page(pdf: Path, out_png: Path):
    """The PDF's first page as a white-backed QImage at ``BARCODE_DPI``, also saved as PNG."""
    from PySide6.QtCore import QSize
    from PySide6.QtGui import QColor, QImage, QPainter
    from PySide6.QtPdf import QPdfDocument

    doc = QPdfDocument()
    try:
        doc.load(str(pdf))
        size_pt = doc.pagePointSize(0)
        scale = BARCODE_DPI / 72
        image = doc.render(0, QSize(round(size_pt.width() * scale), round(size_pt.height() * scale)))
    finally:
        doc.close()
    if image.isNull():
        raise StepFailed("面单页面无法转成图片来识别条码")
    page = QImage(image.size(), QImage.Format.Format_RGB32)  # QtPdf leaves the paper transparent
    page.fill(QColor("white"))
    painter = QPainter(page)
    painter.drawImage(0, 0, image)
    painter.end()
    if not page.save(str(out_png)):
        raise StepFailed("面单页面无法转成图片来识别条码")
    return page


def _read_barcodes(page) -> list[str]:
    """The Code128 texts on the rendered page, read by the app's own reader (every OS)."""
    from PySide6.QtGui import QImage

    from pdd_desktop.printing.barcode_reader import read_code128

    grey = page.convertToFormat(QImage.Format.Format_Grayscale8)
    data = bytes(grey.constBits())
    stride, width = grey.bytesPerLine(), grey.width()
    rows = (data[y * stride : y * stride + width] for y in range(0, grey.height(), 3))
    return read_code128(rows)


def _zbar_barcodes(png: Path) -> list[str] | None:
    """What ``zbarimg`` reads on the page image (a second, independent reader); None without it."""
    zbar = shutil.which("zbarimg")
    if zbar is None:
        return None
    proc = subprocess.run([zbar, "--quiet", "--raw", str(png)], capture_output=True, text=True, timeout=30)
    return [line.strip() for line in proc.stdout.splitlines() if line.strip()]


def _orders_to_print() -> list[int]:
    from pdd_desktop.services import printing

    # Orders to ship first, then shipped ones (a label may be reprinted): several pages each.
    ids = printing.select_orders(status="待发货", limit=DOC_ORDERS)
    if len(ids) < DOC_ORDERS:
        ids += printing.select_orders(status="已发货", limit=DOC_ORDERS - len(ids))
    if not ids:
        raise StepFailed("演示店铺里没有待发货的订单可打印")
    return ids


def _render(ctx: _Context, doc_type: str):
    from pdd_desktop.services import printing

    what = printing.DOC_LABELS[doc_type]
    out = ctx.root / "docs" / f"{doc_type}.pdf"
    out.parent.mkdir(parents=True, exist_ok=True)
    doc = printing.render_documents(doc_type=doc_type, order_ids=_orders_to_print(), out=out)
    pages = _check_pdf(out, doc.pages, what)
    return doc, out, pages


def _step_label(ctx: _Context) -> str:
    doc, out, pages = _render(ctx, "label")
    if not doc.tracking_numbers:
        raise StepFailed("面单上没有快递单号")
    number = doc.tracking_numbers[0][1]
    png = ctx.root / "docs" / "label.png"
    codes = _read_barcodes(_render_first_page(out, png))
    if number not in codes:
        raise StepFailed(f"第一张面单的条码识别为 {'、'.join(codes) or '（无）'}，应为快递单号 {number}")
    second = _zbar_barcodes(png)
    if second is not None and number not in second:
        read = "、".join(second) or "（无）"
        raise StepFailed(f"外部识别工具把第一张面单的条码识别为 {read}，应为快递单号 {number}")
    return f"{pages} 页；条码识别为快递单号 {number}" + ("（外部识别工具复核一致）" if second else "")


def _step_picking(ctx: _Context) -> str:
    _doc, _out, pages = _render(ctx, "picking")
    return f"{pages} 页"


def _step_packing(ctx: _Context) -> str:
    _doc, _out, pages = _render(ctx, "packing")
    return f"{pages} 页"


def _step_invoice(ctx: _Context) -> str:
    from pdd_desktop.services import invoices
    from pdd_desktop.services.settings import load_settings, update_settings

    if not load_settings().invoice_seller_title:  # the temporary demo shop's 开票信息
        update_settings(invoice_seller_title="自检测试店铺", invoice_seller_tax_no="91310000MA1FL00000")
    order_id = _orders_to_print()[0]
    invoices.save_request(order_id=order_id, buyer_type="personal", title="自检买家")
    request = invoices.request_for_order(order_id)
    assert request is not None
    out_dir = ctx.root / "docs" / "invoices"
    issued, _changes = invoices.issue_invoice(request_id=request.id, out_dir=out_dir)
    pdfs = sorted(out_dir.glob("*.pdf"))
    if len(pdfs) != 1:
        raise StepFailed(f"开票后应有 1 个发票 PDF，实际 {len(pdfs)} 个")
    pages = _check_pdf(pdfs[0], _pdf_pages(pdfs[0]), "发票")
    return f"{pages} 页（{issued.status_label}）"


def _pdf_pages(path: Path) -> int:
    from PySide6.QtPdf import QPdfDocument

    doc = QPdfDocument()
    try:
        doc.load(str(path))
        return doc.pageCount()
    finally:
        doc.close()


def _step_import(ctx: _Context) -> str:
    from pdd_desktop.services import home, imports, shops
    from pdd_desktop.services import shop as shop_service

    assert ctx.demo is not None
    shop_service.open_shop(ctx.demo)
    export = imports.export_platform_orders(ctx.root / "orders_export.csv")
    shop_service.close_shop()
    paths = shops.create_shop(ctx.root / "data", IMPORT_SHOP)
    shop_service.open_shop(paths)
    check = imports.check_import_file(export.path)
    if check.errors:
        first = check.errors[0]
        imports.discard_check(check)
        raise StepFailed(
            f"导入检查发现 {check.bad_rows} 行错误，第一条：第 {first.row_no} 行 {first.message}"
        )
    result = imports.apply_import(check)
    count = home.order_count()
    shop_service.close_shop()
    shop_service.open_shop(ctx.demo)
    if result.new != export.orders or count != export.orders:
        raise StepFailed(f"导出 {export.orders} 个订单，导入后新店铺有 {count} 个（新增 {result.new}）")
    return f"导出 {export.orders} 个订单（{export.rows} 行），导入新店铺 {result.new} 个"


def _step_sync(ctx: _Context) -> str:
    from pdd_desktop.sync_process import SyncBackend

    assert ctx.demo is not None
    backend = SyncBackend(ctx.demo)
    task = TaskContext("自检同步")
    try:
        engine = backend.build_engine()
        if engine is None or backend.mode != "demo":
            raise StepFailed(f"演示店铺没有用沙箱同步（同步方式：{backend.mode}）")
        timer = threading.Timer(SYNC_TIMEOUT_S, task.cancel)  # stops between pages
        timer.start()
        try:
            report = engine.run_once(task=task)
        finally:
            timer.cancel()
    finally:
        backend.close()
    if report.outcome == "cancelled":
        raise StepFailed(f"沙箱同步 {SYNC_TIMEOUT_S:.0f} 秒内没有完成")
    if report.outcome != "ok":
        raise StepFailed(f"沙箱同步没有完成（{report.outcome}）：{report.message}")
    return report.message or "完成"


@dataclass(frozen=True)
class Step:
    """One check: its key, the Chinese name on the console, the work, what it needs first."""

    key: str
    label: str
    run: Callable[[_Context], str]
    needs: tuple[str, ...] = ()


STEPS: tuple[Step, ...] = (
    Step("demo", "生成演示店铺", _step_demo),
    Step("pages", "打开全部页面", _step_pages, ("demo",)),
    Step("label", "快递面单 PDF", _step_label, ("demo",)),
    Step("picking", "拣货单 PDF", _step_picking, ("demo",)),
    Step("packing", "发货单 PDF", _step_packing, ("demo",)),
    Step("invoice", "发票 PDF", _step_invoice, ("demo",)),
    Step("sync", "沙箱同步", _step_sync, ("demo",)),
    Step("import", "导出并导入订单文件", _step_import, ("demo",)),
)


# ---------------------------------------------------------------------------------------------
# Running
# ---------------------------------------------------------------------------------------------


@contextlib.contextmanager
def _temporary_root(base: Path | None) -> Iterator[Path]:
    """A fresh folder under ``base`` (default: the system's temporary folder), removed afterwards."""
    if base is not None:
        base.mkdir(parents=True, exist_ok=True)
    root = Path(tempfile.mkdtemp(prefix="pdd-desktop-selftest-", dir=base))
    try:
        yield root
    finally:
        shutil.rmtree(root, ignore_errors=True)


def _close(ctx: _Context) -> None:
    """Stop the runner, close the window and the database (nothing may hold the folder)."""
    from pdd_desktop.services import shop as shop_service

    if ctx.runner is not None:
        ctx.runner.shutdown(wait=True)
    if ctx.window is not None:
        ctx.window.close()
        ctx.window.deleteLater()
        if ctx.qt_app is not None:
            ctx.qt_app.processEvents()
    shop_service.close_shop()


def run_selftest(
    base: Path | None = None, *, emit: Callable[[str], None] = print, screenshots: Path | None = None
) -> list[StepResult]:
    """Run every step in a temporary folder under ``base``; ``emit`` gets each console line.

    ``screenshots``: a folder that gets ``<page>.png`` of each page as it shows its data.

    Returns:
        The result of every step, in order (a step whose prerequisite failed is a failure).
    """
    results: list[StepResult] = []
    with _temporary_root(base) as root:
        ctx = _Context(root, screenshots=screenshots)
        log.info("self-test in %s", root)
        try:
            for step in STEPS:
                started = time.monotonic()
                failed_needs = [r.label for r in results if r.key in step.needs and not r.ok]
                if failed_needs:
                    why = f"未运行（{'、'.join(failed_needs)}失败）"
                    result = StepResult(step.key, step.label, False, why, 0.0)
                else:
                    try:
                        detail = step.run(ctx)
                        ok = True
                    except Exception as exc:  # each step reports, the next one still runs
                        log.exception("self-test step %s failed", step.key)
                        detail, ok = _error_text(exc), False
                    result = StepResult(step.key, step.label, ok, detail, time.monotonic() - started)
                log.info("self-test %s: %s", step.key, result.line())
                results.append(result)
                emit(result.line())
        finally:
            try:
                _close(ctx)
            except Exception:  # cleaning up must not hide the report
                log.exception("self-test clean-up failed")
    return results
