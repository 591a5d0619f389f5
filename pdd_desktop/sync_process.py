"""Where sync runs: the engine's builder, and a worker process that runs it away from the UI.

``SyncBackend`` builds a ``services.sync.SyncEngine`` for the current settings (demo: the
sandbox platform on an ephemeral 127.0.0.1 port; api: the open platform with the keychain's
credentials; off: nothing). ``SyncProcess`` runs that backend in a child process and looks
like an engine to ``jobs.sync.SyncController``: ``run_once(task=...)`` sends "run" and relays
the child's progress and report.

Why a process (docs/ARCHITECTURE.md "Sync in a worker process"): sync is CPU-bound Python
(JSON, time parsing, hashing, and in demo mode the sandbox answering it). In a thread of the
GUI process it holds the interpreter lock often enough that the window's paint code waits
for it, and the UI stalls past 50 ms. The child has its own interpreter; the UI process only
waits on a pipe. SQLite in WAL mode with a busy timeout serialises the two processes' writes
exactly as it did two threads' connections.

No Qt here: the child never loads it.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import sqlite3
import sys
import threading
import time
from collections.abc import Callable
from multiprocessing.connection import Connection

from pdd_desktop.common.instance_lock import SyncRunning, sync_lock
from pdd_desktop.common.paths import ShopPaths
from pdd_desktop.common.task import Cancelled, TaskContext
from pdd_desktop.domain.errors import DomainError, ValidationError
from pdd_desktop.services import demo_shop
from pdd_desktop.services.print_route import SandboxEndpoint, sandbox_client
from pdd_desktop.services.settings import load_settings

log = logging.getLogger(__name__)

#: How often the child sends the run's progress while it changes.
PROGRESS_EVERY_S = 0.25
#: How long the parent waits for the child to build its engine (imports, sandbox start).
BUILD_TIMEOUT_S = 120.0
#: How long ``close()`` waits for the child to stop before terminating it.
STOP_TIMEOUT_S = 10.0

MODE_LABELS = {"demo": "演示沙箱（本机模拟平台）", "api": "拼多多开放平台", "off": "不同步"}


class PinnedClock:
    """A platform clock stopped at ``at`` (tests); picklable, so it can go to the worker."""

    def __init__(self, at: float) -> None:
        self.at = at

    def __call__(self) -> float:
        return self.at


class SyncBackend:
    """What sync talks to, built when first needed (sync.md "Modes").

    - demo: the sandbox platform started in this process on an ephemeral 127.0.0.1 port, built
      from the demo shop's recorded origin (same generator and seed), so its history is this
      shop's;
    - api: the open platform with the credentials in the OS keychain;
    - off: no engine.
    """

    def __init__(self, paths: ShopPaths, *, sandbox_clock: Callable[[], float] | None = None) -> None:
        self.paths = paths
        self._sandbox_clock = sandbox_clock  # tests pin the simulated platform's time
        self.server = None  #: the sandbox.server.SandboxServer in demo mode
        self.sandbox = None  #: its sandbox.state.SandboxShop
        self.component = None  #: its sandbox.print_component.FakePrintComponent
        #: Where the window reaches the sandbox and its fake component (demo mode), else None.
        self.endpoint: SandboxEndpoint | None = None
        self.mode = "off"

    def resolve_mode(self) -> str:
        """The mode the settings ask for ("auto" decided for this shop)."""
        from pdd_desktop.platform import credentials  # keyring, loaded on the sync lane

        mode = load_settings().sync_mode
        if mode == "auto":
            if demo_shop.demo_origin() is not None:
                return "demo"
            return "api" if credentials.load_credentials(self.paths.shop) is not None else "off"
        return mode

    def build_engine(self):
        """A ``services.sync.SyncEngine`` for the current settings (None when sync is off).

        The network stack, the sandbox and the engine load here, not at start-up.
        """
        from pdd_desktop.sandbox.server import SandboxServer
        from pdd_desktop.sandbox.state import SandboxShop
        from pdd_desktop.services.sync import SyncEngine, open_shop_client

        self.close()
        self.mode = self.resolve_mode()
        if self.mode == "off":
            return None
        if self.mode == "demo":
            origin = demo_shop.demo_origin()
            if origin is None:
                raise ValidationError(
                    "同步方式", "演示沙箱只能用于演示店铺；真实店铺请选择开放平台 API 或不同步"
                )
            extra = {"clock": self._sandbox_clock} if self._sandbox_clock is not None else {}
            self.sandbox = SandboxShop.open(
                self.paths.shop_dir / "sandbox",
                orders=origin.orders,
                seed=origin.seed,
                now0=origin.now,
                **extra,
            )
            self.server = SandboxServer(self.sandbox)
            url = self.server.start()
            creds = self.sandbox.credentials
            component_url = self._start_print_component(creds.client_secret)
            self.endpoint = SandboxEndpoint(
                url,
                creds.client_id,
                creds.client_secret,
                creds.access_token,
                creds.refresh_token,
                component_url=component_url,
                printed_dir=str(self._printed_dir()),
            )
            return SyncEngine(sandbox_client(self.endpoint), initial_cursor_ts=origin.now, source="demo")
        client = open_shop_client(self.paths.shop)
        return SyncEngine(client)

    def mode_label(self) -> str:
        """A short description for the status chip's tooltip."""
        return MODE_LABELS.get(self.mode, "")

    def _printed_dir(self):
        return self.paths.shop_dir / "sandbox" / "printed"

    def _start_print_component(self, secret: str) -> str:
        """The sandbox's fake print component: port 5000 like the real one, else a free port.

        A real 拼多多打印组件 on this computer keeps port 5000; the demo then prints to the fake
        on another port (the window learns it from :attr:`endpoint`). "" when it cannot start.
        """
        from pdd_desktop.sandbox.print_component import DEFAULT_PORT, FakePrintComponent

        for port in (DEFAULT_PORT, 0):
            component = FakePrintComponent(secret, self._printed_dir(), port=port)
            try:
                url = component.start()
            except OSError as exc:
                log.info("fake print component not on port %s: %s", port, exc)
                continue
            self.component = component
            return url
        return ""

    def close(self) -> None:
        """Stop the sandbox server and its fake print component (if any)."""
        self.endpoint = None
        if self.component is not None:
            self.component.stop()
            self.component = None
        if self.server is not None:
            self.server.stop()
            self.server = None
        if self.sandbox is not None:
            self.sandbox.close()
            self.sandbox = None


class SyncWorkerError(RuntimeError):
    """The worker process failed a build or a run, or ended unexpectedly; the text says why."""


class _WorkerGone(SyncWorkerError):
    """The worker process is not there any more."""


class SyncProcess:
    """A ``SyncBackend`` in a child process, driven from the sync lane.

    ``engine()`` is the ``SyncController``'s factory: it starts the child when needed, has it
    build (or rebuild) its engine, and returns this object (or None when sync is off).
    ``run_once(task=...)`` runs one sync in the child; cancelling ``task`` cancels it there
    between pages. A child that died is started again by the next ``engine()``.
    """

    def __init__(self, paths: ShopPaths, *, backend=None, log_dir=None) -> None:
        self.paths = paths
        #: What the child builds engines with: a ``SyncBackend`` (or anything with its
        #: ``build_engine`` / ``mode`` / ``mode_label`` / ``close``), pickled to the child.
        self._backend = backend if backend is not None else SyncBackend(paths)
        self._log_dir = log_dir
        self._proc: multiprocessing.process.BaseProcess | None = None
        self._cmd: Connection | None = None  # parent -> child
        self._evt: Connection | None = None  # child -> parent
        self._lock = threading.Lock()  # one conversation at a time (sync lane vs close())
        self.mode = "off"
        self._label = ""
        self._runs = 0  # numbers the runs, so a late cancel cannot hit the next one
        #: The demo sandbox's endpoint from the child's last "built" answer (read without the
        #: lock: the window's print path asks while a sync run may hold it).
        self.sandbox_endpoint: SandboxEndpoint | None = None

    # --- the controller's side ---
    def engine(self) -> SyncProcess | None:
        """Build the child's engine for the current settings; None when sync is off."""
        with self._lock:
            for attempt in (1, 2):
                self._ensure_child()
                try:
                    self._send(("build",))
                    kind, *rest = self._receive(None, timeout=BUILD_TIMEOUT_S)
                    break
                except _WorkerGone:
                    if attempt == 2:
                        raise
                    # It ended between two runs (killed, crashed): start a new one once.
            if kind != "built":
                raise SyncWorkerError(f"同步进程回复异常：{kind}")
            self.mode, self._label, *extra = rest
            self.sandbox_endpoint = extra[0] if extra else None
            return self if self.mode != "off" else None

    def run_once(self, *, task: TaskContext | None = None):
        """One sync run in the child; its ``SyncReport``.

        Raises:
            Cancelled: ``task`` was cancelled (what the run committed so far stays).
            SyncWorkerError: the run failed in the child, or the child ended.
        """
        with self._lock:
            self._ensure_child()
            self._runs += 1
            self._send(("run", self._runs))
            kind, *rest = self._receive(task, timeout=None, run=self._runs)
            if kind != "done":
                raise SyncWorkerError(f"同步进程回复异常：{kind}")
            return rest[0]

    def mode_label(self) -> str:
        """A short description for the status chip's tooltip."""
        return self._label or MODE_LABELS.get(self.mode, "")

    @property
    def pid(self) -> int | None:
        """The child's process id while it runs (tests)."""
        proc = self._proc
        return proc.pid if proc is not None and proc.is_alive() else None

    def close(self) -> None:
        """Stop the child: ask it to stop (it cancels a run between pages), then terminate."""
        proc, cmd = self._proc, self._cmd
        if proc is None:
            return
        try:
            if cmd is not None:
                cmd.send(("stop",))
        except (OSError, ValueError):
            pass
        proc.join(STOP_TIMEOUT_S)
        if proc.is_alive():
            log.warning("sync worker did not stop in %s s; terminating it", STOP_TIMEOUT_S)
            proc.terminate()
            proc.join(5)
        with self._lock:
            self._drop_child()

    # --- plumbing ---
    def _ensure_child(self) -> None:
        if self._proc is not None and self._proc.is_alive():
            return
        self._drop_child()
        ctx = multiprocessing.get_context("spawn")  # the same on Linux, Windows and macOS
        cmd_recv, cmd_send = ctx.Pipe(duplex=False)
        evt_recv, evt_send = ctx.Pipe(duplex=False)
        proc = ctx.Process(
            target=worker_main,
            args=(self.paths, self._backend, self._log_dir, cmd_recv, evt_send),
            name="pdd-sync",
            daemon=True,
        )
        proc.start()
        cmd_recv.close()
        evt_send.close()
        self._proc, self._cmd, self._evt = proc, cmd_send, evt_recv
        log.info("sync worker started (pid %s)", proc.pid)

    def _drop_child(self) -> None:
        for conn in (self._cmd, self._evt):
            if conn is not None:
                conn.close()
        self._proc = self._cmd = self._evt = None
        self.sandbox_endpoint = None

    def _send(self, message: tuple) -> None:
        assert self._cmd is not None
        try:
            self._cmd.send(message)
        except (OSError, ValueError) as exc:
            self._drop_child()
            raise _WorkerGone("同步进程已退出，下次同步会重新启动") from exc

    def _receive(self, task: TaskContext | None, *, timeout: float | None, run: int = 0) -> tuple:
        """Relay progress until the answer; map the child's errors to exceptions here."""
        assert self._evt is not None and self._proc is not None
        deadline = None if timeout is None else time.monotonic() + timeout
        cancel_sent = False
        while True:
            if task is not None and task.cancel_requested and not cancel_sent:
                self._send(("cancel", run))
                cancel_sent = True
            try:
                ready = self._evt.poll(0.1)
                message = self._evt.recv() if ready else None
            except (EOFError, OSError) as exc:
                code = self._proc.exitcode
                self._drop_child()
                raise _WorkerGone(f"同步进程意外退出（{code}），下次同步会重新启动") from exc
            if message is None:
                if deadline is not None and time.monotonic() > deadline:
                    self._proc.terminate()
                    self._drop_child()
                    raise SyncWorkerError("同步进程没有响应，已停止；下次同步会重新启动")
                continue
            kind = message[0]
            if kind == "progress":
                if task is not None:
                    task.report(*message[1:])
                continue
            if kind == "cancelled":
                raise Cancelled()
            if kind == "error":
                raise SyncWorkerError(message[1])
            return message


# --------------------------------------------------------------------------------------------
# The child
# --------------------------------------------------------------------------------------------


def worker_main(paths: ShopPaths, backend, log_dir, cmd: Connection, evt: Connection) -> None:
    """The worker process: bind the shop's database, then build and run on request."""
    from pdd_desktop.common.logsetup import setup_logging
    from pdd_desktop.data.db import close_database, open_database

    if log_dir is not None:
        setup_logging(log_dir, filename="sync.log")
    lower_priority()
    open_database(paths.db_file)
    Worker(backend, cmd, evt).serve()
    close_database()


def lower_priority() -> None:
    """Run this process below normal priority.

    When the window and sync both want a core (two cores are common on a shop's PC), the window
    gets it first; sync only takes a little longer.
    """
    try:
        if sys.platform == "win32":
            import ctypes

            below_normal = 0x00004000  # BELOW_NORMAL_PRIORITY_CLASS
            kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
            kernel32.SetPriorityClass(kernel32.GetCurrentProcess(), below_normal)
        else:
            os.nice(10)
    except (OSError, AttributeError) as exc:  # not allowed, or no such call: run as we are
        log.info("sync worker priority unchanged: %s", exc)


class Worker:
    """The child's loop: commands come on ``cmd`` (read by a thread), answers go on ``evt``."""

    def __init__(self, backend, cmd: Connection, evt: Connection) -> None:
        self.backend = backend
        self._cmd = cmd
        self._evt = evt
        self._send_lock = threading.Lock()
        self._inbox: list[tuple] = []
        self._wake = threading.Condition()
        self._engine = None
        # The running task and its number; a cancel for a run not started yet waits in _cancel_for.
        self._task_lock = threading.Lock()
        self._task: TaskContext | None = None
        self._task_run = 0
        self._cancel_for = 0

    def serve(self) -> None:
        threading.Thread(target=self._read_commands, name="sync-commands", daemon=True).start()
        try:
            while True:
                with self._wake:
                    while not self._inbox:
                        self._wake.wait()
                    command = self._inbox.pop(0)
                if command[0] == "stop":
                    return
                if command[0] == "build":
                    self._build()
                elif command[0] == "run":
                    self._run(command[1])
        finally:
            self.backend.close()

    def _read_commands(self) -> None:
        while True:
            try:
                command = self._cmd.recv()
            except (EOFError, OSError):  # the app is gone: stop
                command = ("stop",)
            if command[0] in ("cancel", "stop"):
                self._cancel(command[1] if command[0] == "cancel" else None)
            if command[0] != "cancel":
                with self._wake:
                    self._inbox.append(command)
                    self._wake.notify()
            if command[0] == "stop":
                return

    def _send(self, message: tuple) -> None:
        with self._send_lock:
            try:
                self._evt.send(message)
            except (OSError, ValueError):  # the app is gone; the command reader stops us
                pass

    def _build(self) -> None:
        try:
            self._engine = self.backend.build_engine()
        except Exception as exc:
            log.warning("sync engine not built: %s", exc, exc_info=exc)
            self._engine = None
            self._send(("error", str(exc) or type(exc).__name__))
            return
        mode = self.backend.mode if self._engine is not None else "off"
        endpoint = getattr(self.backend, "endpoint", None) if self._engine is not None else None
        self._send(("built", mode, self.backend.mode_label(), endpoint))

    def _cancel(self, run: int | None) -> None:
        """Cancel run ``run`` (None: whatever runs), now or as soon as it starts."""
        with self._task_lock:
            if self._task is not None and run in (None, self._task_run):
                self._task.cancel()
            elif run is not None:
                self._cancel_for = run

    def _run(self, run: int) -> None:
        if self._engine is None:
            self._send(("error", "同步尚未准备好，请稍后重试"))
            return
        lock = sync_lock(self.backend.paths.shop_dir)
        try:
            lock.acquire()
        except SyncRunning as exc:  # a `pdd-desktop sync` of this shop is running
            self._send(("error", str(exc)))
            return
        try:
            self._run_locked(run)
        finally:
            lock.release()

    def _run_locked(self, run: int) -> None:
        task = TaskContext("同步")
        with self._task_lock:
            if self._cancel_for == run:
                task.cancel()
            self._task, self._task_run = task, run
        stop = threading.Event()
        ticker = threading.Thread(target=self._tick, args=(task, stop), name="sync-progress", daemon=True)
        ticker.start()
        try:
            answer: tuple = ("done", self._engine.run_once(task=task))
        except Cancelled:
            answer = ("cancelled",)
        except Exception as exc:
            log.exception("sync run failed in the worker")
            answer = ("error", str(exc) or type(exc).__name__)
        finally:
            with self._task_lock:
                self._task = None
            stop.set()
            ticker.join()
        self._send(answer)  # after the last progress message, so it ends the conversation

    def _tick(self, task: TaskContext, stop: threading.Event) -> None:
        last = None
        while True:
            snap = task.snapshot()
            state = (snap.done, snap.total, snap.label)
            if state != last:
                self._send(("progress", *state))
                last = state
            if stop.wait(PROGRESS_EVERY_S):
                return


# --------------------------------------------------------------------------------------------
# `pdd-desktop sync`: one run (or a schedule) headless
# --------------------------------------------------------------------------------------------

#: Credentials for scripts and CI; all three or none.
ENV_CREDENTIALS = ("PDD_CLIENT_ID", "PDD_CLIENT_SECRET", "PDD_ACCESS_TOKEN")


def engine_for_cli(paths: ShopPaths, gateway: str | None):
    """(engine or None, where it syncs, backend to close or None) for ``pdd-desktop sync``.

    The environment's credentials win (API mode); else ``--gateway`` with the keychain's
    credentials; else the shop's sync settings, exactly as the app (demo, API or off).

    Raises:
        ValidationError: only some of the environment variables are set, or the keychain has
            no credentials for ``--gateway``.
    """
    from pdd_desktop.platform import credentials
    from pdd_desktop.platform.client import DEFAULT_GATEWAY, StaticTokenSource
    from pdd_desktop.services.sync import SyncEngine, platform_client

    env = {name: os.environ.get(name, "").strip() for name in ENV_CREDENTIALS}
    if any(env.values()):
        missing = [name for name, value in env.items() if not value]
        if missing:
            raise ValidationError(
                "环境变量", f"{'、'.join(ENV_CREDENTIALS)} 需同时设置，缺少 {'、'.join(missing)}"
            )
        url = gateway or DEFAULT_GATEWAY
        client = platform_client(
            url,
            env["PDD_CLIENT_ID"],
            env["PDD_CLIENT_SECRET"],
            tokens=StaticTokenSource(env["PDD_ACCESS_TOKEN"]),
        )
        return SyncEngine(client), f"开放平台 API（环境变量中的凭据，{url}）", None
    if gateway:
        creds = credentials.load_credentials(paths.shop)
        if creds is None:
            raise ValidationError(
                "凭据", "钥匙串中没有本店铺的凭据：请在 设置 → 同步 中填写，或设置环境变量 PDD_CLIENT_ID 等"
            )
        source = credentials.KeyringTokenSource(paths.shop)
        client = platform_client(gateway, creds.client_id, creds.client_secret, tokens=source)
        source.client = client
        return SyncEngine(client), f"开放平台 API（{gateway}）", None
    backend = SyncBackend(paths)
    engine = backend.build_engine()
    return engine, backend.mode_label(), backend


def report_lines(report) -> list[str]:
    """A ``SyncReport`` as the lines ``pdd-desktop sync`` prints (Chinese)."""
    from pdd_desktop.services.sync import STREAM_LABELS

    lines = [report.message]
    for s in report.streams:
        label = STREAM_LABELS.get(s.stream, s.stream)
        line = f"  {label}：{s.windows:,} 个时间窗，{s.pages:,} 页，写入 {s.upserted:,} 条"
        if s.skipped_stale:
            line += f"，跳过较旧的 {s.skipped_stale:,} 条"
        if s.error:
            line += f"（{s.error}）"
        lines.append(line)
    p = report.push
    if p is not None:
        lines.append(
            f"  上传：发送 {p.sent}，成功 {p.succeeded}，失败 {p.failed}，冲突 {p.conflicts}，"
            f"仍待上传 {p.waiting}" + (f"（{p.error}）" if p.error else "")
        )
    if report.clock_skew_s is not None and abs(report.clock_skew_s) > 300:
        lines.append(f"  注意：本机时间与平台相差 {abs(report.clock_skew_s) // 60} 分钟")
    return lines


def _sync_shop(args) -> ShopPaths | None:
    """The shop ``sync`` works on (see ``cli.common.resolve_paths``); None after printing why not.

    ``--once`` on a data folder without any shop creates the real shop (named by ``--shop`` or
    "我的店铺") and says so: a merchant's first sync from the command line.
    """
    from pdd_desktop.common.paths import DEFAULT_REAL_SHOP_NAME
    from pdd_desktop.services import shops

    data_dir = getattr(args, "data_dir", None)
    requested = getattr(args, "shop", None)
    try:
        if args.once and not shops.list_shops(data_dir):
            paths = shops.create_shop(data_dir, requested or DEFAULT_REAL_SHOP_NAME)
            name = shops.find_shop(data_dir, paths.shop).name
            print(f"数据文件夹中还没有店铺，已新建店铺“{name}”：{paths.shop_dir}", flush=True)
            return paths
        paths = shops.resolve_shop(data_dir, requested)
    except DomainError as exc:
        print(f"无法同步：{exc}", file=sys.stderr)
        return None
    if paths is None:
        print(
            "数据文件夹中还没有店铺：可用 pdd-desktop demo 生成演示店铺，"
            "或 pdd-desktop sync --once 新建店铺并同步",
            file=sys.stderr,
        )
        return None
    return paths.ensure()


#: Said when another operation (an import, a long write in the app) holds the shop's database.
BUSY_MESSAGE = "店铺数据正被其他操作使用（例如正在导入订单），本次没有同步；请稍后再试"


def shop_busy(wait_s: float = 1.0) -> bool:
    """True when another connection holds the open shop's write lock for longer than ``wait_s``.

    A sync would otherwise wait the full busy timeout (10 s) at its first write and then fail;
    this asks for the write lock once, briefly, and gives it back at once.
    """
    from pdd_desktop.data.db import database

    conn = database.connection()
    (previous,) = conn.execute("PRAGMA busy_timeout").fetchone()
    conn.execute(f"PRAGMA busy_timeout = {int(wait_s * 1000)}")
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            return True
        raise
    else:
        conn.execute("ROLLBACK")
        return False
    finally:
        conn.execute(f"PRAGMA busy_timeout = {int(previous)}")


def _cmd_sync(args) -> int:
    from pdd_desktop.common.logsetup import setup_logging
    from pdd_desktop.common.task import NullTask
    from pdd_desktop.platform.credentials import KeychainUnavailable
    from pdd_desktop.platform.errors import PlatformError
    from pdd_desktop.services import shop as shop_service

    paths = _sync_shop(args)
    if paths is None:
        return 2
    setup_logging(paths.log_dir)
    try:
        shop_service.open_shop(paths, check=True)  # never sync into a damaged file
    except shop_service.ShopDamaged as exc:
        print(str(exc), file=sys.stderr)
        return 2
    except Exception as exc:
        print(f"无法打开店铺数据 {paths.db_file}：{exc}", file=sys.stderr)
        return 2
    backend = None
    try:
        try:
            engine, where, backend = engine_for_cli(paths, args.gateway)
        except (DomainError, PlatformError, KeychainUnavailable) as exc:
            print(f"无法同步：{exc}", file=sys.stderr)
            return 2
        if engine is None:
            print(
                "同步已关闭（设置 → 同步）；可用环境变量 PDD_CLIENT_ID 等或 --gateway 指定平台。",
                file=sys.stderr,
            )
            return 2
        print(f"同步到：{where}", flush=True)
        while True:
            try:
                with sync_lock(paths.shop_dir):
                    if shop_busy():
                        print(BUSY_MESSAGE, file=sys.stderr, flush=True)
                        report = None
                    else:
                        report = engine.run_once(task=NullTask())
            except SyncRunning as exc:
                print(str(exc), file=sys.stderr, flush=True)
                report = None
            if report is not None:
                print("\n".join(report_lines(report)), flush=True)
            if args.once:
                if report is None:
                    return 3
                return 0 if report.outcome == "ok" else 1
            time.sleep(max(1, args.interval) * 60)
    except KeyboardInterrupt:
        return 130
    finally:
        if backend is not None:
            backend.close()
        shop_service.close_shop()


def register(sub):
    """Add ``sync`` to the ``pdd-desktop`` command line."""
    p = sub.add_parser(
        "sync",
        help="与平台同步一次（或每 N 分钟）",
        description="在命令行同步：拉取订单、售后、商品和快递公司，上传待上传的操作。凭据：环境变量 "
        "（PDD_CLIENT_ID、PDD_CLIENT_SECRET、PDD_ACCESS_TOKEN），或系统钥匙串；都没有时按店铺的同步设置"
        "（演示店铺与它的演示沙箱同步）。",
    )
    p.add_argument("--once", action="store_true", help="同步一次后退出（退出码 0 = 成功）")
    p.add_argument("--gateway", default=None, help="平台网关地址（默认为拼多多开放平台）")
    p.add_argument("--interval", type=int, default=5, help="不带 --once 时每隔几分钟同步一次（默认 5）")
    return _cmd_sync
