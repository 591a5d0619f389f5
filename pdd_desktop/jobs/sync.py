"""The sync schedule: every N minutes and on F5, on its own lane, never modal.

The engine (``services.sync.SyncEngine``) is built by a factory the composition root provides
(demo mode starts the sandbox platform in-process; API mode reads the keychain), on the sync
lane, the first time it is needed. Each run's progress is polled from its TaskContext for the
status bar; when a run changed local data, ``AppEvents.changes_applied`` tells the pages.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject, QTimer, Signal

from pdd_desktop.common.changes import Changes
from pdd_desktop.common.task import Cancelled, TaskContext
from pdd_desktop.common.timefmt import format_ts
from pdd_desktop.jobs.events import AppEvents
from pdd_desktop.jobs.runner import DB, SYNC

log = logging.getLogger(__name__)

#: How often the status chip re-reads the outbox counts and the running task's progress.
POLL_MS = 500
#: Skew between this computer and the platform worth a warning (sync.md: Anki refuses at 300 s).
SKEW_WARN_S = 300


@dataclass(frozen=True)
class SyncState:
    """What the status bar shows about sync."""

    text: str
    tone: str  #: "ok" / "busy" / "warn" / "error" / "off"
    tooltip: str = ""


class SyncController(QObject):
    """Schedules sync runs and turns their reports into a status-bar state.

    ``engine_factory()`` runs on the sync lane and returns the engine, or None when sync is off
    (it may raise: the message is shown and the next run tries again). ``summary()`` reads the
    outbox counts (``services.sync.sync_summary``); ``mode_label()`` names where sync goes.
    """

    state_changed = Signal(object)  #: SyncState
    #: A run finished (its SyncReport), for the sync dialog's log.
    finished = Signal(object)

    def __init__(
        self,
        runner,
        events: AppEvents,
        engine_factory: Callable[[], object | None],
        summary: Callable[[], object],
        *,
        interval_minutes: Callable[[], int],
        mode_label: Callable[[], str],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self._events = events
        self._factory = engine_factory
        self._summary = summary
        self._interval_minutes = interval_minutes
        self._mode_label = mode_label
        self._engine: object | None = None
        self._task: TaskContext | None = None
        self._last_report = None
        self._last_error = ""
        self._again = False
        self.state = SyncState("同步未开始", "off")
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.sync_now)
        self._poll = QTimer(self)
        self._poll.setInterval(POLL_MS)
        self._poll.timeout.connect(self._on_poll)
        # A local edit may add work for the outbox: keep the "N 个待上传" count current.
        events.changes_applied.connect(lambda _c, who: None if who is self else self._refresh_summary())

    @property
    def running(self) -> bool:
        """Whether a run is under way."""
        return self._task is not None

    @property
    def last_report(self):
        """The report of the last finished run (None before the first)."""
        return self._last_report

    def start(self, *, delay_ms: int = 1500) -> None:
        """Begin the schedule: a first run shortly after start-up, then every N minutes."""
        self._timer.start(delay_ms)

    def stop(self) -> None:
        """Stop the schedule and ask a running sync to stop between pages."""
        self._timer.stop()
        self._poll.stop()
        if self._task is not None:
            self._task.cancel()

    def sync_now(self) -> None:
        """Run now (F5); if a run is under way, run once more when it ends."""
        if self._task is not None:
            self._again = True
            return
        self._timer.stop()
        task = TaskContext("同步")
        self._task = task
        self._set_state(SyncState("正在同步…", "busy"))
        self._poll.start()
        self._runner.submit(
            self._run, lane=SYNC, task=task, on_success=self._on_done, on_failure=self._on_failed
        )

    def _run(self, task: TaskContext):
        if self._engine is None:
            task.report(0, 0, "正在连接平台…")
            self._engine = self._factory()
        if self._engine is None:
            return None
        return self._engine.run_once(task=task)

    def _on_done(self, report) -> None:
        self._finish()
        self._last_report = report
        self._last_error = ""
        if report is None:
            self._set_state(SyncState("同步已关闭", "off", "在 设置 → 同步 中选择同步方式"))
            return
        changes = getattr(report, "changes", None)
        if isinstance(changes, Changes) and any(vars(changes).values()):
            self._events.changes_applied.emit(changes, self)
        self.finished.emit(report)
        self._refresh_summary()
        self._schedule_next()

    def _on_failed(self, exc: BaseException) -> None:
        self._finish()
        if isinstance(exc, Cancelled):
            self._set_state(SyncState("同步已取消", "off"))
            return
        log.warning("sync failed: %s", exc, exc_info=exc)
        self._engine = None  # built again next time (settings or credentials may have changed)
        self._last_error = user_text(exc)
        self._set_state(SyncState("同步失败", "error", self._last_error))
        self._refresh_summary()
        self._schedule_next()

    def _finish(self) -> None:
        self._task = None
        self._poll.stop()

    def _schedule_next(self) -> None:
        if self._again:
            self._again = False
            self._timer.start(0)
            return
        minutes = max(1, int(self._interval_minutes()))
        self._timer.start(minutes * 60_000)

    def reset_engine(self) -> None:
        """Forget the engine (sync settings changed); the next run builds it again."""
        self._engine = None

    # --- status ---
    def _on_poll(self) -> None:
        task = self._task
        if task is None:
            return
        snap = task.snapshot()
        label = snap.label or "正在同步…"
        self._set_state(SyncState(f"同步中：{label}", "busy"))

    def _refresh_summary(self) -> None:
        self._runner.submit(
            lambda _t: self._summary(), lane=DB, on_success=self._on_summary, on_failure=lambda _e: None
        )

    def _on_summary(self, summary) -> None:
        if self._task is not None:
            return
        self._set_state(describe(self._last_report, summary, self._last_error, self._mode_label()))

    def _set_state(self, state: SyncState) -> None:
        self.state = state
        self.state_changed.emit(state)
        self._events.sync_status_changed.emit(state.text)


def user_text(exc: BaseException) -> str:
    """A failure as one line for the chip's tooltip (domain errors carry their own wording)."""
    return str(exc) or type(exc).__name__


def describe(report, summary, error: str, mode_label: str) -> SyncState:
    """The status chip for the last report and the outbox counts (pure: tested without Qt timers)."""
    extras = []
    if summary is not None and summary.pending:
        extras.append(f"{summary.pending:,} 个待上传")
    attention = (summary.needs_attention + summary.conflicts) if summary is not None else 0
    if attention:
        extras.append(f"{attention:,} 个需要处理")
    tail = "".join(f" · {e}" for e in extras)
    tip = mode_label
    if error:
        return SyncState(f"同步失败{tail}", "error", f"{mode_label}\n{error}")
    if report is None:
        return SyncState(f"尚未同步{tail}", "off", tip)
    skew = getattr(report, "clock_skew_s", None)
    if skew is not None and abs(skew) > SKEW_WARN_S:
        tip += f"\n本机时间与平台相差 {abs(skew) // 60} 分钟，请校准电脑时间"
        tail += " · ⚠ 本机时间不准"
    outcome = report.outcome
    if outcome == "ok":
        when = format_ts(report.platform_now, "%H:%M") if report.platform_now else time.strftime("%H:%M")
        tone = "warn" if attention or (skew is not None and abs(skew) > SKEW_WARN_S) else "ok"
        return SyncState(f"已同步 · 平台时间 {when}{tail}", tone, f"{tip}\n{report.message}".strip())
    if outcome == "offline":
        return SyncState(f"离线{tail}", "warn", f"{tip}\n{report.message}")
    if outcome == "auth_needed":
        return SyncState(f"需要重新授权{tail}", "error", f"{tip}\n{report.message}")
    if outcome == "rate_limited":
        return SyncState(f"平台限流，稍后重试{tail}", "warn", f"{tip}\n{report.message}")
    if outcome == "cancelled":
        return SyncState(f"同步已取消{tail}", "off", tip)
    return SyncState(f"同步出错{tail}", "error", f"{tip}\n{report.message}")
