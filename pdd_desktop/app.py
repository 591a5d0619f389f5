"""Composition root of the GUI: paths, logging, single instance, database, runner, window."""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from PySide6.QtCore import QEventLoop, QObject, QSettings, QTimer
from PySide6.QtNetwork import QLocalServer, QLocalSocket
from PySide6.QtWidgets import QApplication, QMessageBox

from pdd_desktop import __version__
from pdd_desktop.common import clock
from pdd_desktop.common.instance_lock import AlreadyLocked, InstanceLock
from pdd_desktop.common.logsetup import setup_logging
from pdd_desktop.common.paths import ShopPaths, shop_paths
from pdd_desktop.common.task import Cancelled, TaskContext
from pdd_desktop.domain.errors import DomainError
from pdd_desktop.jobs.alerts import AlertsWatcher
from pdd_desktop.jobs.events import AppEvents
from pdd_desktop.jobs.folder_watch import FolderWatcher
from pdd_desktop.jobs.progress import ProgressPresenter
from pdd_desktop.jobs.runner import IO, SYNC, JobRunner, tune_interpreter
from pdd_desktop.jobs.sync import SyncController
from pdd_desktop.services import credentials as credentials_service
from pdd_desktop.services import demo_shop, home, shops
from pdd_desktop.services import shop as shop_service
from pdd_desktop.services.print_route import PlatformAccess
from pdd_desktop.services.settings import load_settings
from pdd_desktop.sync_process import SyncProcess
from pdd_desktop.ui import print_settings, theme
from pdd_desktop.ui.alert_notices import ALERTS_NOTICE, AlertNotices
from pdd_desktop.ui.dialogs.error import ErrorDialog, user_message
from pdd_desktop.ui.dialogs.welcome import ConnectShopDialog, ShopNameDialog, WelcomeDialog
from pdd_desktop.ui.i18n import tr
from pdd_desktop.ui.main_window import MainWindow
from pdd_desktop.ui.notify import Notifier
from pdd_desktop.ui.pages.base import PageContext
from pdd_desktop.ui.translations import install_qt_translations

log = logging.getLogger(__name__)

#: Orders in the demo shop built on a first start (the CLI builds any size).
FIRST_RUN_DEMO_ORDERS = 30_000
FIRST_RUN_DEMO_SEED = 7
#: Set by the start-up benchmark: print the time of the first painted home page, then quit.
BENCH_ENV = "PDD_DESKTOP_BENCH_STARTUP"
#: The daily automatic backup: first look this long after start (the first paint comes first),
#: then every few minutes (a cheap settings read and a folder listing; the copy when due).
AUTO_BACKUP_FIRST_CHECK_MS = 20_000
AUTO_BACKUP_CHECK_MS = 5 * 60_000


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


@contextlib.contextmanager
def _keep_running(qt_app: QApplication) -> Iterator[None]:
    """Closing the last window inside the block does not quit (a shop switch closes one first)."""
    before = qt_app.quitOnLastWindowClosed()
    qt_app.setQuitOnLastWindowClosed(False)
    try:
        yield
    finally:
        qt_app.setQuitOnLastWindowClosed(before)


class FirstStart(QObject):
    """A data folder without shops: ask how to begin, then make the shop; cancel = back to the choice.

    ``run()`` returns ``(paths, open_import)`` for the shop to open, or None when the merchant
    closed the choice window and confirmed quitting. Public while it runs (tests drive them):
    ``welcome``, ``name_dialog``, ``connect_dialog``, ``presenter``.
    """

    def __init__(self, app: Application) -> None:
        super().__init__()
        self.app = app
        self.welcome = WelcomeDialog()
        self.name_dialog: ShopNameDialog | None = None
        self.connect_dialog: ConnectShopDialog | None = None
        self.presenter: ProgressPresenter | None = None
        self._loop = QEventLoop()
        self._outcome: tuple[ShopPaths, bool] | None = None
        self.welcome.chosen.connect(self._on_choice)
        self.welcome.quit_confirmed.connect(self._loop.quit)

    @property
    def data_dir(self) -> Path:
        """The data folder the new shop goes in."""
        return self.app.paths.data_dir

    def run(self) -> tuple[ShopPaths, bool] | None:
        """Show the choice and wait (the UI stays live) until a shop is ready or the merchant quits."""
        self.welcome.show()
        self._loop.exec()
        self.welcome.hide()
        self.welcome.deleteLater()
        return self._outcome

    def _done(self, paths: ShopPaths, open_import: bool) -> None:
        self._outcome = (paths, open_import)
        self._loop.quit()

    def _back_to_choice(self) -> None:
        self.welcome.setEnabled(True)
        self.welcome.show()
        self.welcome.raise_()

    def _on_choice(self, key: str) -> None:
        self.welcome.setEnabled(False)
        if key == "demo":
            self._build_demo()
        elif key == "file":
            self._ask_name()
        else:
            self._ask_connection()

    # --- 用演示店铺熟悉功能 ---
    def _build_demo(self) -> None:
        paths = self.app.paths  # the demo shop's folder (a first start holds it)
        task = TaskContext(tr("生成演示店铺"))
        self.presenter = ProgressPresenter(task, self.welcome, tr("正在生成演示店铺"))

        def failed(exc: BaseException) -> None:
            self.presenter.finish()
            if not isinstance(exc, Cancelled):
                ErrorDialog(exc, self.welcome, title=tr("演示店铺没有生成")).exec()
            self._back_to_choice()

        def built(_summary: object) -> None:
            self.presenter.finish()
            self._done(paths, False)

        self.app.runner.submit(
            lambda t: demo_shop.build_demo_shop(
                paths.db_file, orders=FIRST_RUN_DEMO_ORDERS, seed=FIRST_RUN_DEMO_SEED, now=clock.now(), task=t
            ),
            task=task,
            on_success=built,
            on_failure=failed,
        )

    # --- 用订单导出文件开始 ---
    def _ask_name(self) -> None:
        dlg = self.name_dialog = ShopNameDialog(self.welcome, title=tr("新建店铺（用订单导出文件）"))
        dlg.rejected.connect(self._back_to_choice)

        def create() -> None:
            dlg.set_busy(True)
            self.app.runner.submit(
                lambda _t: shops.create_shop(self.data_dir, dlg.name()),
                lane=IO,
                on_success=lambda paths: (dlg.set_busy(False), dlg.hide(), self._done(paths, True)),
                on_failure=lambda exc: (dlg.set_busy(False), dlg.show_error(user_message(exc))),
            )

        dlg.submitted.connect(create)
        dlg.open()

    # --- 连接拼多多开放平台 ---
    def _ask_connection(self) -> None:
        dlg = self.connect_dialog = ConnectShopDialog(self.welcome)
        dlg.rejected.connect(self._back_to_choice)
        dlg.submitted.connect(lambda: self._connect(dlg))
        dlg.open()

    def _connect(self, dlg: ConnectShopDialog) -> None:
        name, typed = dlg.name(), dlg.typed()
        data_dir = self.data_dir
        made: list[ShopPaths] = []
        dlg.set_busy(True)
        dlg.status_label.setText(tr("正在连接开放平台并同步……"))
        task = TaskContext(tr("首次同步"))
        self.presenter = ProgressPresenter(task, dlg, tr("正在首次同步"))

        def job(t: TaskContext) -> ShopPaths:
            paths = shops.create_shop(data_dir, name)
            made.append(paths)
            credentials_service.save_typed(paths.shop, typed, sync_mode="api")
            backend = SyncProcess(paths, log_dir=paths.log_dir)
            try:
                engine = backend.engine()
                if engine is None:
                    raise DomainError(tr("没有可用的同步方式，请检查凭据"))
                report = engine.run_once(task=t)
            finally:
                backend.close()
            if report.outcome != "ok":
                raise DomainError(tr("首次同步没有完成：{message}").format(message=report.message))
            return paths

        def undo() -> None:
            if made:  # the shop made for this attempt goes again, with its credentials
                shops.discard_new_shop(data_dir, made[0].shop)

        def failed(exc: BaseException) -> None:
            self.presenter.finish()
            dlg.set_busy(False)
            dlg.status_label.setText("")
            undo()
            if isinstance(exc, Cancelled):
                dlg.reject()  # cancelled: back to the choice
                return
            log.warning("first sync failed: %s", exc)
            dlg.show_error(user_message(exc))

        def synced(paths: ShopPaths) -> None:
            self.presenter.finish()
            dlg.set_busy(False)
            dlg.hide()
            self._done(paths, False)

        self.app.runner.submit(job, lane=SYNC, task=task, on_success=synced, on_failure=failed)


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
        #: Evaluates the alert rules after changes and every minute (工作台's 预警提醒).
        self.alerts_watcher: AlertsWatcher | None = None
        #: The window's desktop notifications (imports, urgent alerts); one tray icon.
        self.notifier: Notifier | None = None
        #: The first-start flow while it runs (tests drive its windows).
        self.first_start: FirstStart | None = None
        #: Runs the automation rules after each sync and on a timer (db lane).
        self.automation_scheduler = None
        #: Checks every few minutes whether the daily automatic backup is due (io lane).
        self.auto_backup_timer: QTimer | None = None
        #: The "数据文件可能已损坏" question while it is open (tests answer it).
        self.damaged_box: QMessageBox | None = None
        #: The outcome of the last restore from the window (tests read it).
        self.last_restore: shop_service.RestoreResult | None = None
        #: The error shown when a restore failed (tests read it).
        self.restore_error: ErrorDialog | None = None

    def start(self) -> int:
        """Take the shop, open (or first build) its database, show the window; returns an exit code."""
        try:
            self.lock.acquire()
        except AlreadyLocked as exc:
            if _ask_running_instance_to_raise(self.paths):
                if sys.stderr is not None:  # a windowed build has no console
                    print(tr("拼多多商家桌面助手已在运行，已切换到已打开的窗口。"), file=sys.stderr)
                return 0
            QMessageBox.warning(None, tr("拼多多商家桌面助手已在运行"), str(exc))
            return 3
        self._listen_for_second_launch()
        open_import = False
        if not shop_service.shop_exists(self.paths):
            self.first_start = FirstStart(self)
            outcome = self.first_start.run()
            self.first_start = None
            if outcome is None:
                return 1
            paths, open_import = outcome
            if paths != self.paths and not self._move_to(paths):
                return 3
        return self._open_session(open_import=open_import)

    def _move_to(self, paths: ShopPaths) -> bool:
        """Hold ``paths`` instead of the current shop (no session open); False when it is taken."""
        lock = InstanceLock(paths.lock_file)
        try:
            lock.acquire()
        except AlreadyLocked as exc:
            QMessageBox.warning(self.window, tr("店铺正在使用"), str(exc))
            return False
        self._hold(paths, lock)
        return True

    def _open_session(self, *, open_import: bool = False) -> int:
        """Open the held shop and show its window; -1 = keep running, else an exit code."""
        try:
            info = shop_service.open_shop(self.paths)
        except shop_service.ShopDamaged as exc:
            log.error("shop damaged at open: %s", exc.problem)
            # Offer the restore before giving up (blocking: no window is open yet).
            choice = self.ask_restore_damaged(exc.problem, None, modal=True)
            if choice is not None and self._restore(choice):
                return self._open_session(open_import=open_import)
            return 2
        except Exception as exc:
            log.exception("cannot open shop")
            ErrorDialog(exc, title=tr("无法打开店铺数据")).exec()
            return 2
        try:
            shops.remember_last_shop(self.paths.data_dir, self.paths.shop)
        except OSError:
            log.warning("cannot remember the last shop", exc_info=True)
        ctx = PageContext(self.runner, self.events, self.paths, info, platform=self._platform_access(info))
        self.window = MainWindow(ctx, QSettings())
        self.window.shop_switch_requested.connect(self.switch_shop)
        self.window.shop_rename_requested.connect(self.rename_current_shop)
        self.runner.unhandled_error.connect(self._show_error)
        self.events.changes_applied.connect(lambda *_: self._refresh_order_count())
        # After the click that asked has returned: the restore closes the window it came from.
        self.events.restore_requested.connect(
            lambda path: QTimer.singleShot(0, lambda: self.restore_backup(path))
        )
        self.events.sync_status_changed.emit(
            tr("未连接平台") if not info.is_demo else tr("演示数据 · 未连接平台")
        )
        self._refresh_order_count()
        self.window.show()
        self._start_sync()
        self._start_folder_watch()
        self._start_alerts()
        self._start_auto_backup()
        self.runner.submit(warm_up_imports, lane=IO)
        check = lambda _t: shop_service.quick_check(self.paths)  # noqa: E731
        self.runner.submit(check, lane=IO, on_success=self._on_checked)
        if os.environ.get(BENCH_ENV):
            self._report_startup_when_home_painted()
        if open_import:
            self.window.open_import_dialog()
        return -1  # keep running

    def _platform_access(self, info) -> PlatformAccess:
        """The print path's platform: the demo sandbox the sync worker runs, else the shop's own."""

        def endpoint():
            backend = self.sync_backend
            return backend.sandbox_endpoint if backend is not None else None

        return PlatformAccess(
            self.paths.shop,
            endpoint=endpoint,
            component_url=lambda: print_settings.component_url(QSettings()),
            custom_template_url=lambda: print_settings.custom_template_url(QSettings()),
            is_demo=info.is_demo,
        )

    def _close_session(self) -> None:
        """Stop sync and the watcher, finish running jobs, close the window and the database."""
        if self.automation_scheduler is not None:
            self.automation_scheduler.stop()
            self.automation_scheduler = None
        if self.sync_controller is not None:
            self.sync_controller.stop()
            self.sync_controller = None
        if self.sync_backend is not None:
            self.sync_backend.close()
            self.sync_backend = None
        self.folder_watcher = None
        if self.alerts_watcher is not None:
            self.alerts_watcher.stop()
            self.alerts_watcher = None
        self.notifier = None
        if self.auto_backup_timer is not None:
            self.auto_backup_timer.stop()
            self.auto_backup_timer = None
        self.runner.shutdown(wait=True)
        window, self.window = self.window, None
        if window is not None:
            window.close()
            window.deleteLater()
        shop_service.close_shop()
        # Fresh lanes and event hub: worker threads bind their connection to the next shop.
        self.runner = JobRunner()
        self.events = AppEvents()

    def switch_shop(self, folder: str) -> bool:
        """Open the shop in ``folder`` in this window's place; False when it stays on the current one."""
        target = shop_paths(self.paths.data_dir, folder)
        if target == self.paths:
            return True
        lock = InstanceLock(target.lock_file)
        try:  # refuse before closing anything: another window or a command holds it
            lock.acquire()
        except AlreadyLocked as exc:
            QMessageBox.warning(self.window, tr("店铺正在使用"), str(exc))
            return False
        log.info("switching shop %s -> %s", self.paths.shop, folder)
        previous = self.paths
        with _keep_running(self.qt_app):
            self._close_session()
            self._hold(target, lock)
            if self._open_session() == -1:
                return True
            # The other shop cannot be opened (the error was shown): back to the one before.
            self._hold(previous, InstanceLock(previous.lock_file).acquire())
            self._open_session()
            return False

    def rename_current_shop(self, name: str) -> bool:
        """Rename the open shop: its session closes, the folder follows the name, it reopens."""
        current = self.paths
        with _keep_running(self.qt_app):
            self._close_session()
            self.lock.release()
            try:
                renamed = shops.rename_shop(current.data_dir, current.shop, name)
            except Exception as exc:
                renamed = None
                ErrorDialog(exc, title=tr("店铺没有改名")).exec()
            target = renamed or current
            self._hold(target, InstanceLock(target.lock_file).acquire())
            self._open_session()
        return renamed is not None

    def _hold(self, paths: ShopPaths, lock: InstanceLock) -> None:
        """Make ``paths`` (whose ``lock`` is held) the app's shop, releasing the previous one."""
        if self.lock is not lock and self.lock.held:
            self.lock.release()
        if self.server is not None:
            self.server.close()
            self.server = None
        self.lock = lock
        self.paths = paths
        self._listen_for_second_launch()

    def _on_checked(self, result: str) -> None:
        if result == "ok":
            return
        log.error("quick_check failed: %s", result)
        self.ask_restore_damaged(result, self.window, modal=False)

    # --- backups and restore ---
    def ask_restore_damaged(self, problem: str, parent, *, modal: bool) -> str | None:
        """Ask "数据文件可能已损坏", offering the newest good backup, or one the merchant picks.

        ``modal`` (no window yet, at start) waits for the answer and returns "" for the newest
        good backup, a file path for a chosen one, or None; otherwise the question stays open
        beside the window (``damaged_box``) and its buttons start the restore.
        """
        box = QMessageBox(parent)
        box.setIcon(QMessageBox.Icon.Critical)
        box.setWindowTitle(tr("数据文件可能已损坏"))
        box.setText(tr("检查店铺数据时发现问题，继续使用可能丢失数据。建议从最近的完好备份恢复。"))
        box.setInformativeText(
            tr(
                "恢复时，损坏的数据文件会改名保留在店铺文件夹中（不会删除），然后用备份替换；"
                "备份之后的改动需要重新同步或重新导入。"
            )
        )
        box.setDetailedText(problem)
        newest = box.addButton(tr("从最近的备份恢复"), QMessageBox.ButtonRole.AcceptRole)
        choose = box.addButton(tr("选择备份文件…"), QMessageBox.ButtonRole.ActionRole)
        later = box.addButton(tr("以后再说") if not modal else tr("退出"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(newest)

        def answer(button) -> str | None:
            if button is newest:
                return ""
            if button is choose:
                return self.choose_backup_file() or None
            return None

        if modal:
            box.exec()
            return answer(box.clickedButton()) if box.clickedButton() is not later else None
        self.damaged_box = box

        def clicked(button) -> None:
            self.damaged_box = None
            choice = answer(button)
            if choice is not None:
                QTimer.singleShot(0, lambda: self.restore_backup(choice))

        box.buttonClicked.connect(clicked)
        box.open()
        return None

    def choose_backup_file(self) -> str:
        """Ask for a backup file (tests replace this)."""
        from PySide6.QtWidgets import QFileDialog

        path, _f = QFileDialog.getOpenFileName(
            self.window, tr("选择备份文件"), str(self.paths.backup_dir), tr("店铺备份 (*.db);;所有文件 (*)")
        )
        return path

    def restore_backup(self, source: str) -> bool:
        """Close the shop (sync worker, lanes, window, connections), restore ``source``, reopen.

        ``source`` "" restores the newest backup that passes its check. The shop's instance
        lock stays held throughout, so no other window or command opens the shop halfway.
        Returns whether the data was replaced; either way the shop is open again afterwards.
        """
        log.info("restoring %s from %s", self.paths.shop, source or "the newest good backup")
        with _keep_running(self.qt_app):
            was_open = self.window is not None
            if was_open:
                self._close_session()
            restored = self._restore(source)
            if was_open and self._open_session() == -1 and self.window is not None:
                if restored and self.last_restore is not None:
                    self.window.show_page("settings")
                    self.window.statusBar().showMessage(self._restored_text(self.last_restore), 0)
        return restored

    @staticmethod
    def _restored_text(result: shop_service.RestoreResult) -> str:
        text = tr("已从备份恢复：{name}").format(name=result.source.name)
        if result.set_aside is not None:
            text += tr("；损坏的数据文件已改名保留为 {name}").format(name=result.set_aside.name)
        elif result.before is not None:
            text += tr("；恢复前的数据已另存为 {name}").format(name=result.before.name)
        return text

    def _restore(self, source: str) -> bool:
        """Run the restore on the io lane with the shop closed, the UI live; False when it failed."""
        from pdd_desktop.services import backups

        paths = self.paths
        task = TaskContext(tr("从备份恢复"))
        presenter = ProgressPresenter(task, self.window, tr("正在从备份恢复"))
        loop = QEventLoop()
        outcome: list[object] = []

        def job(_t: TaskContext):
            if source:
                return shop_service.restore_backup(paths, Path(source))
            return backups.restore_newest_good(paths)

        def done(result: object) -> None:
            outcome.append(result)
            loop.quit()

        self.runner.submit(job, lane=IO, task=task, on_success=done, on_failure=done)
        if not outcome:
            loop.exec()
        presenter.finish()
        result = outcome[0]
        if isinstance(result, BaseException):
            log.error("restore failed: %s", result)
            self.restore_error = ErrorDialog(result, None, title=tr("没有恢复，数据未改动"))
            self.restore_error.open()
            return False
        self.last_restore = result  # type: ignore[assignment]
        return True

    def _start_auto_backup(self) -> None:
        """The daily automatic backup: checked now and every 5 minutes, written on the io lane."""
        from pdd_desktop.services import backups

        paths, window = self.paths, self.window
        timer = self.auto_backup_timer = QTimer(window)
        timer.setInterval(AUTO_BACKUP_CHECK_MS)

        def done(result) -> None:
            if result is not None and self.window is window:
                window.statusBar().showMessage(tr("已自动备份：{name}").format(name=result.path.name), 8000)

        def failed(exc: BaseException) -> None:
            log.error("automatic backup failed: %s", exc)
            if self.window is window:
                window.statusBar().showMessage(
                    tr("自动备份没有完成：{reason}").format(reason=user_message(exc)), 0
                )

        def check() -> None:
            self.runner.submit(
                lambda _t: backups.run_auto_backup_if_due(paths),
                lane=IO,
                on_success=done,
                on_failure=failed,
                owner=window,
            )

        timer.timeout.connect(check)
        if not os.environ.get(BENCH_ENV):
            timer.start()
            QTimer.singleShot(AUTO_BACKUP_FIRST_CHECK_MS, timer, check)

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
        self._start_automation(controller)
        if not os.environ.get(BENCH_ENV):
            controller.start()

    def _start_automation(self, sync_controller: SyncController) -> None:
        """The automation rules: after every sync run and every 5 minutes, on the db lane."""
        from pdd_desktop.jobs.automation import AutomationScheduler
        from pdd_desktop.services import automation

        scheduler = self.automation_scheduler = AutomationScheduler(
            self.runner, self.events, lambda: automation.run_rules(), parent=self.window
        )
        sync_controller.finished.connect(scheduler.after_sync)
        if not os.environ.get(BENCH_ENV):
            scheduler.start()

    def _start_folder_watch(self) -> None:
        assert self.window is not None

        is_demo = self.window.ctx.shop.is_demo

        def check(path: str):
            from pdd_desktop.services import imports

            if is_demo:  # a demo shop's data stays simulated
                raise DomainError(tr("演示店铺不能导入真实的订单文件，请先新建真实店铺（店铺 → 新建店铺）"))
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
        notifier = self._window_notifier()
        window = self.window

        def on_notice(title: str, text: str, problem: bool, path: str) -> None:
            notifier.notify(title, text, problem, context=path if problem else None)

        def on_click(path: object) -> None:
            # A file with problems opens checked (its errors listed); an import, the history.
            if path == ALERTS_NOTICE:
                return  # an alert's notice: _start_alerts shows 工作台
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

    def _window_notifier(self) -> Notifier:
        """The open window's notifier (one tray icon for every kind of notice)."""
        assert self.window is not None
        if self.notifier is None:
            self.notifier = Notifier(self.window)
        return self.notifier

    def _start_alerts(self) -> None:
        """Evaluate the alert rules now, after every change and every minute; notify urgent ones once."""
        assert self.window is not None
        window = self.window
        watcher = AlertsWatcher(self.runner, self.events, parent=window)
        AlertNotices(watcher, self._window_notifier(), window)
        self.alerts_watcher = watcher
        if not os.environ.get(BENCH_ENV):
            watcher.start()

    def shutdown(self) -> None:
        """Finish running writes, close the database, release the shop."""
        if self.alerts_watcher is not None:
            self.alerts_watcher.stop()
        if self.auto_backup_timer is not None:
            self.auto_backup_timer.stop()
        if self.sync_controller is not None:
            self.sync_controller.stop()
        if self.sync_backend is not None:
            # Before the lanes: the worker stops between pages (or is ended after a grace
            # period, which every sync step survives), and the sync lane's wait ends with it.
            self.sync_backend.close()
        self.runner.shutdown(wait=True)
        shop_service.close_shop()
        self.lock.release()
        if self.server is not None:
            self.server.close()
            self.server = None


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


def run_gui(data_dir: Path | None = None, shop: str | None = None, argv: list[str] | None = None) -> int:
    """Start the desktop app under ``data_dir``; returns the exit code.

    ``shop`` (a name or folder) picks the shop; without it the shop opened last in this data
    folder opens, and a data folder without shops starts with the first-start choice.
    """
    try:
        resolved = shops.resolve_shop(data_dir, shop)
    except shops.ShopNotFound as exc:
        if sys.stderr is not None:
            print(tr("{error}；用 pdd-desktop shop list 查看已有店铺").format(error=exc), file=sys.stderr)
        return 2
    paths = (resolved or shops.demo_folder(data_dir)).ensure()
    setup_logging(paths.log_dir)
    log.info("PDD Desktop %s starting on %s", __version__, paths.shop_dir)
    tune_interpreter()  # a UI thread waiting for the interpreter lock is a stalled window
    qt_app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    qt_app.setApplicationName("PDD Desktop")
    qt_app.setOrganizationName("PDDDesktop")
    qt_app.setApplicationDisplayName(tr("拼多多商家桌面助手"))
    qt_app.setApplicationVersion(__version__)
    install_qt_translations(qt_app)  # 是/否/取消 and file dialogs in Chinese
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
