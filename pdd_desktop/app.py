"""Composition root of the GUI: paths, logging, single instance, database, runner, window."""

from __future__ import annotations

import hashlib
import logging
import os
import sys
import time
from pathlib import Path

from PySide6.QtCore import QEventLoop, QSettings, QTimer
from PySide6.QtNetwork import QLocalServer, QLocalSocket
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from pdd_desktop import __version__
from pdd_desktop.common import clock
from pdd_desktop.common.instance_lock import AlreadyLocked, InstanceLock
from pdd_desktop.common.logsetup import setup_logging
from pdd_desktop.common.paths import DEFAULT_SHOP, ShopPaths, shop_paths
from pdd_desktop.common.task import TaskContext
from pdd_desktop.jobs.events import AppEvents
from pdd_desktop.jobs.folder_watch import FolderWatcher
from pdd_desktop.jobs.progress import ProgressPresenter
from pdd_desktop.jobs.runner import IO, JobRunner, tune_interpreter
from pdd_desktop.jobs.sync import SyncController
from pdd_desktop.services import demo_shop, home
from pdd_desktop.services import shop as shop_service
from pdd_desktop.services.settings import load_settings
from pdd_desktop.sync_process import SyncProcess
from pdd_desktop.ui import theme
from pdd_desktop.ui.dialogs.error import ErrorDialog
from pdd_desktop.ui.main_window import MainWindow
from pdd_desktop.ui.notify import Notifier
from pdd_desktop.ui.pages.base import PageContext

log = logging.getLogger(__name__)

#: Orders in the demo shop built on a first start (the CLI builds any size).
FIRST_RUN_DEMO_ORDERS = 30_000
FIRST_RUN_DEMO_SEED = 7
#: Set by the start-up benchmark: print the time of the first painted home page, then quit.
BENCH_ENV = "PDD_DESKTOP_BENCH_STARTUP"


def _server_name(paths: ShopPaths) -> str:
    digest = hashlib.sha1(str(paths.shop_dir.resolve()).encode()).hexdigest()[:16]
    return f"pdd-desktop-{digest}"


def _ask_running_instance_to_raise(paths: ShopPaths) -> bool:
    """Tell the window that holds this shop to come forward; True when it answered."""
    socket = QLocalSocket()
    socket.connectToServer(_server_name(paths))
    if not socket.waitForConnected(1000):
        return False
    socket.write(b"raise\n")
    socket.flush()  # writes now; the server raises its window on the connection itself
    socket.disconnectFromServer()
    return True


def _sync_summary():
    from pdd_desktop.services.sync import sync_summary

    return sync_summary()


#: Modules the first visit of a page would import; loaded on a worker after the first paint.
WARM_UP_MODULES = (
    "pdd_desktop.ui.pages.orders.logistics",
    "pdd_desktop.ui.pages.orders.print_actions",
    "pdd_desktop.ui.dialogs.sync_dialog",
    "pdd_desktop.printing.fonts",
)


def warm_up_imports(_task=None) -> None:
    """Import the heavy modules (pyqtgraph, ReportLab, httpx) off the UI thread."""
    import importlib

    for name in WARM_UP_MODULES:
        importlib.import_module(name)


class Application:
    """Owns the long-lived objects of one GUI session."""

    def __init__(self, qt_app: QApplication, paths: ShopPaths) -> None:
        self.qt_app = qt_app
        self.paths = paths
        self.lock = InstanceLock(paths.lock_file)
        self.runner = JobRunner()
        self.events = AppEvents()
        self.window: MainWindow | None = None
        self.server: QLocalServer | None = None
        self.sync_backend: SyncProcess | None = None
        self.sync_controller: SyncController | None = None
        self.folder_watcher: FolderWatcher | None = None

    def start(self) -> int:
        """Take the shop, open (or first build) its database, show the window; returns an exit code."""
        try:
            self.lock.acquire()
        except AlreadyLocked as exc:
            if _ask_running_instance_to_raise(self.paths):
                if sys.stderr is not None:  # a windowed build has no console
                    print("PDD Desktop 已在运行，已切换到已打开的窗口。", file=sys.stderr)
                return 0
            QMessageBox.warning(None, "PDD Desktop 已在运行", str(exc))
            return 3
        self._listen_for_second_launch()
        if not shop_service.shop_exists(self.paths):
            if not self._build_first_demo_shop():
                return 1
        try:
            info = shop_service.open_shop(self.paths)
        except Exception as exc:
            log.exception("cannot open shop")
            ErrorDialog(exc, title="无法打开店铺数据").exec()
            return 2
        ctx = PageContext(self.runner, self.events, self.paths, info)
        self.window = MainWindow(ctx, QSettings())
        self.runner.unhandled_error.connect(self._show_error)
        self.events.changes_applied.connect(lambda *_: self._refresh_order_count())
        self.events.sync_status_changed.emit("未连接平台" if not info.is_demo else "演示数据 · 未连接平台")
        self._refresh_order_count()
        self.window.show()
        self._start_sync()
        self._start_folder_watch()
        self.runner.submit(warm_up_imports, lane=IO)
        check = lambda _t: shop_service.quick_check(self.paths)  # noqa: E731
        self.runner.submit(check, lane=IO, on_success=self._on_checked)
        if os.environ.get(BENCH_ENV):
            self._report_startup_when_home_painted()
        return -1  # keep running

    def _build_first_demo_shop(self) -> bool:
        """First start on this machine: build the demo shop with a progress dialog."""
        answer = QMessageBox.question(
            None,
            "欢迎使用拼多多商家桌面助手",
            "这台电脑上还没有店铺数据。\n\n现在生成一个演示店铺（约 3 万个订单，全部为模拟数据），"
            "用来熟悉各项功能吗？\n以后可以在设置中连接真实店铺。",
        )
        if answer != QMessageBox.StandardButton.Yes:
            return False
        anchor = QWidget()
        task = TaskContext("生成演示店铺")
        presenter = ProgressPresenter(task, anchor, "正在生成演示店铺")
        outcome: dict[str, object] = {}
        loop = QEventLoop()
        self.runner.submit(
            lambda t: demo_shop.build_demo_shop(
                self.paths.db_file,
                orders=FIRST_RUN_DEMO_ORDERS,
                seed=FIRST_RUN_DEMO_SEED,
                now=clock.now(),
                task=t,
            ),
            task=task,
            on_success=lambda r: (outcome.setdefault("ok", r), loop.quit()),
            on_failure=lambda e: (outcome.setdefault("error", e), loop.quit()),
        )
        if not outcome:
            loop.exec()  # the UI stays live; the build runs on the database lane
        presenter.finish()
        if "error" in outcome:
            ErrorDialog(outcome["error"], title="演示店铺没有生成").exec()  # type: ignore[arg-type]
            return False
        return True

    def _on_checked(self, result: str) -> None:
        if result == "ok":
            return
        log.error("quick_check failed: %s", result)
        QMessageBox.critical(
            self.window,
            "数据文件可能已损坏",
            f"检查店铺数据时发现问题：\n{result}\n\n请先停止操作，在“设置 → 数据与备份”中备份当前数据，"
            f"然后用命令 pdd-desktop backup --restore 从最近的备份恢复（备份在 {self.paths.backup_dir}）。",
        )

    def _listen_for_second_launch(self) -> None:
        server = QLocalServer()
        name = _server_name(self.paths)
        QLocalServer.removeServer(name)  # a crashed run may leave the socket file behind
        if server.listen(name):
            server.newConnection.connect(self._on_second_launch)
            self.server = server

    def _on_second_launch(self) -> None:
        assert self.server is not None
        conn = self.server.nextPendingConnection()
        if conn is not None:
            conn.disconnected.connect(conn.deleteLater)
        if self.window is not None:
            self.window.showNormal()
            self.window.raise_()
            self.window.activateWindow()

    def _refresh_order_count(self) -> None:
        if self.window is not None:
            self.runner.submit(
                lambda _t: home.order_count(), on_success=self.window.set_order_count, owner=self.window
            )

    def _show_error(self, exc: BaseException) -> None:
        ErrorDialog(exc, self.window).exec()

    def _report_startup_when_home_painted(self) -> None:
        assert self.window is not None
        page = self.window.page("home")

        def done(_snap: object) -> None:
            # Let the event loop paint the filled page before taking the time.
            def stamp() -> None:
                page.repaint()
                print(f"home_painted_at={time.time():.6f}", flush=True)
                self.qt_app.quit()

            QTimer.singleShot(0, stamp)

        page.snapshot_shown.connect(done)  # type: ignore[attr-defined]

    def _start_sync(self) -> None:
        assert self.window is not None
        # The engine runs in a worker process (see sync_process): the window never waits for it.
        backend = self.sync_backend = SyncProcess(self.paths, log_dir=self.paths.log_dir)
        controller = SyncController(
            self.runner,
            self.events,
            backend.engine,
            _sync_summary,
            interval_minutes=lambda: load_settings().sync_interval_minutes,
            mode_label=backend.mode_label,
            parent=self.window,
        )
        self.sync_controller = controller
        self.window.set_sync_controller(controller)

        def on_changes(changes, _initiator) -> None:
            if changes.settings:  # the mode or the credentials may have changed
                controller.reset_engine()

        self.events.changes_applied.connect(on_changes)
        if not os.environ.get(BENCH_ENV):
            controller.start()

    def _start_folder_watch(self) -> None:
        assert self.window is not None

        def check(path: str):
            from pdd_desktop.services import imports

            return imports.check_import_file(path)

        def apply(check_result):
            from pdd_desktop.services import imports

            return imports.apply_import(check_result)

        def discard(check_result) -> None:
            from pdd_desktop.services import imports

            imports.discard_check(check_result)

        watcher = FolderWatcher(
            self.runner,
            self.events,
            QSettings(),
            check=check,
            apply=apply,
            discard=discard,
            parent=self.window,
        )
        notifier = Notifier(self.window)
        window = self.window

        def on_notice(title: str, text: str, problem: bool, path: str) -> None:
            notifier.notify(title, text, problem, context=path if problem else None)

        def on_click(path: object) -> None:
            # A file with problems opens checked (its errors listed); an import, the history.
            if path:
                window.open_import_dialog(str(path))
            else:
                window.open_import_history()

        watcher.notify.connect(on_notice)
        notifier.clicked.connect(on_click)
        self.events.changes_applied.connect(
            lambda changes, who: watcher.reload() if changes.settings and who is not watcher else None
        )
        self.folder_watcher = watcher

    def shutdown(self) -> None:
        """Finish running writes, close the database, release the shop."""
        if self.sync_controller is not None:
            self.sync_controller.stop()
        if self.sync_backend is not None:
            # Before the lanes: the worker stops between pages (or is ended after a grace
            # period, which every sync step survives), and the sync lane's wait ends with it.
            self.sync_backend.close()
        self.runner.shutdown(wait=True)
        shop_service.close_shop()
        self.lock.release()


def _install_excepthook(app: Application) -> None:
    def hook(exc_type, exc, tb) -> None:
        log.error("uncaught exception", exc_info=(exc_type, exc, tb))
        if issubclass(exc_type, KeyboardInterrupt):
            app.qt_app.quit()
            return
        try:
            ErrorDialog(exc, app.window).exec()
        except Exception:  # never let the hook itself crash the app
            log.exception("error dialog failed")

    sys.excepthook = hook


def run_gui(data_dir: Path | None = None, shop: str = DEFAULT_SHOP, argv: list[str] | None = None) -> int:
    """Start the desktop app on ``shop`` under ``data_dir``; returns the exit code."""
    paths = shop_paths(data_dir, shop).ensure()
    setup_logging(paths.log_dir)
    log.info("PDD Desktop %s starting on %s", __version__, paths.shop_dir)
    tune_interpreter()  # a UI thread waiting for the interpreter lock is a stalled window
    qt_app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    qt_app.setApplicationName("PDD Desktop")
    qt_app.setOrganizationName("PDDDesktop")
    qt_app.setApplicationDisplayName("拼多多商家桌面助手")
    qt_app.setApplicationVersion(__version__)
    theme.apply_theme(qt_app)
    app = Application(qt_app, paths)
    _install_excepthook(app)
    code = app.start()
    if code >= 0:
        if app.lock.held:
            app.shutdown()
        return code
    try:
        return qt_app.exec()
    finally:
        app.shutdown()
