"""The sync engine (sync.md): pull the platform's changes, push the outbox, surface conflicts.

Construct one :class:`SyncEngine` per shop and platform client, and call :meth:`SyncEngine.run_once`
in the sync worker process (``sync_process``: the app's sync lane only waits on that process's
pipe; ``pdd-desktop sync --once`` and tests call it directly). It does HTTP and short write
transactions, never one across a network call.

The streams and ops come from a :class:`~.plugin.Registry` (default: the app's,
``services.sync.registry``): each stream's ``fetch`` and ``apply`` are driven here, generically.

**Pull** (per stream, cursor in platform time): windows of at most ``max_window_s`` from the
cursor minus the overlap (once per run) up to platform now minus the settle lag; each window is
paged backwards as the platform advises for ``updated_at DESC`` answers (page 1 without
``use_has_next`` gives ``total_count``; then pages N..1 with ``use_has_next``): a row updated
during paging leaves the window (its new ``updated_at`` is after the window's end), which moves
older rows towards page 1 (read twice, harmless) instead of past a page we have not read. The
count check (distinct ids seen vs ``total_count``) re-fetches the window when rows moved
inside it anyway; after :data:`WINDOW_ATTEMPTS` tries the stream stops with an error and its
cursor stays. A page is validated whole by the client (a :class:`RecordError` means nothing of
it is written), then applied in one write transaction; the cursor moves after a whole window.

First run without a cursor: from ``initial_cursor_ts`` when given (a demo shop whose history
came from the same generator as the sandbox: pass :func:`demo_origin_ts`), else platform now −
``initial_backfill_s``. A stream with a :class:`~.plugin.Backfill` (orders) first fills the
history through its list API instead, newest day first and resumable (:meth:`SyncEngine._backfill`;
docs/ARCHITECTURE.md "First sync"), then catches up with increments from where it started.

Windows are fetched on a few threads (:func:`~.fetch.ordered_fetch`: the backfill, and increment
plans longer than :data:`CONCURRENT_FROM_WINDOWS`) and applied here, in window order, one short
transaction per page; the cursor moves after each window as before.

A non-windowed stream (couriers, goods) reads pages 1, 2, … until ``has_next`` is false and
then sets its cursor to platform now (kept when its ``apply`` deferred work to the next run).

**Push**: :mod:`pdd_desktop.services.sync.push`.

Sync log entries (``services.sync.log``) are one ``sync_run`` row per pull stream, push or sweep.
"""

from __future__ import annotations

import contextlib
import logging
import random
import sqlite3
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import peewee

from pdd_desktop.common.changes import Changes
from pdd_desktop.common.redact import redact_text
from pdd_desktop.common.task import Cancelled, TaskContext
from pdd_desktop.common.timefmt import format_ts
from pdd_desktop.data.db import database, write_transaction
from pdd_desktop.domain import sync_rules as rules
from pdd_desktop.platform.errors import (
    AuthExpired,
    AuthRejected,
    PlatformError,
    RateLimited,
    SignatureRejected,
    TransportError,
)
from pdd_desktop.platform.records import Page, RecordError
from pdd_desktop.services.sync.fetch import ordered_fetch
from pdd_desktop.services.sync.plugin import PullContext, PullStream, Registry, RunRefused
from pdd_desktop.services.sync.push import PushCounts, Pusher, StopPush
from pdd_desktop.services.sync.registry import DEFAULT
from pdd_desktop.services.sync.runs import (
    BackfillProgress,
    backfill_key,
    backfill_windows,
    db_cause,
    finish_run,
    load_backfill,
    mark_interrupted_runs,
    save_backfill,
    start_run,
    stream_failed,
    stream_ok,
    stream_state,
)

if TYPE_CHECKING:
    from pdd_desktop.platform.client import PlatformClient

log = logging.getLogger(__name__)

#: The app's pull streams, in order, and the windowed ones (what a sweep re-reads).
STREAMS = DEFAULT.stream_names
WINDOWED_STREAMS = DEFAULT.windowed_names
PAGE_SIZE = 100
#: Tries per window when the count check finds rows moved inside it.
WINDOW_ATTEMPTS = 3
#: Pause before applying each page (outside any transaction), so the UI thread gets the GIL.
PAGE_PAUSE_S = 0.002
#: A calibrated offset that moved more than this between two reads: the local clock jumped.
CLOCK_JUMP_S = 60
#: Windows fetched at once (threads of the sync worker). Far below every per-shop limit at a
#: real gateway's round trip; the client's rate limiters keep the rest (pdd-open-api.md §9).
FETCH_WORKERS = 6
#: An increment plan longer than this is fetched ahead on :data:`FETCH_WORKERS` threads; a
#: routine run (a few windows) stays one request at a time.
CONCURRENT_FROM_WINDOWS = 8
#: The oldest backfill window starts this much inside the list API's horizon (clock differences
#: and the time the backfill itself takes).
HORIZON_MARGIN_S = 3600

STREAM_LABELS = DEFAULT.stream_labels


def resumed_floor(saved_floor: int, *, now: int, horizon_s: int) -> int:
    """Where a backfill's oldest window starts: the floor it planned, while that is still safe.

    A backfill plans its floor once, :data:`HORIZON_MARGIN_S` inside the list API's horizon at
    its start, and a resumed backfill keeps it: recomputing it from the resume's clock moved the
    oldest window by the seconds between the two reads (a run resumed a second later started it
    a second later), so the days read depended on timing. Only when the saved floor has used up
    half the margin (a backfill resumed long after it was interrupted) does it move to the
    margin measured from ``now``, so the oldest window is still inside the horizon when it is
    read at the end of the run.
    """
    if saved_floor >= now - horizon_s + HORIZON_MARGIN_S // 2:
        return saved_floor
    return now - horizon_s + HORIZON_MARGIN_S


# --------------------------------------------------------------------------------------------
# Public results
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StreamReport:
    """One stream's pull: windows and pages read, rows written, stale rows skipped."""

    stream: str
    windows: int
    pages: int
    upserted: int
    skipped_stale: int
    error: str = ""


@dataclass(frozen=True)
class PushReport:
    """One outbox pass. ``waiting``: ops still pending / unknown afterwards."""

    sent: int
    succeeded: int
    failed: int
    conflicts: int
    waiting: int
    error: str = ""


@dataclass(frozen=True)
class SyncReport:
    """One sync run."""

    outcome: str  #: "ok" | "offline" | "auth_needed" | "rate_limited" | "error" | "cancelled"
    message: str  #: Chinese, one line, for the status bar
    platform_now: int | None
    clock_skew_s: int | None
    streams: tuple[StreamReport, ...]
    push: PushReport | None
    changes: Changes


class _StreamFailed(Exception):
    def __init__(self, outcome: str, message: str) -> None:
        super().__init__(message)
        self.outcome = outcome
        self.message = message


def _classify(exc: BaseException) -> tuple[str, str]:
    """(outcome, Chinese message) of an error during a sync."""
    exc = db_cause(exc)
    if isinstance(exc, peewee.DatabaseError | sqlite3.DatabaseError):
        text = redact_text(str(exc))
        if "full" in text:
            return "error", f"本机磁盘已满，未写入（{text}）"
        if "readonly" in text or "read-only" in text:
            return "error", f"本机数据库不可写，未写入（{text}）"
        if "locked" in text or "busy" in text:  # another operation (an import) holds the write lock
            return "error", "店铺数据正被其他操作使用（例如正在导入订单），本次同步未完成；请稍后再试"
        return "error", f"本机数据库出错，未写入（{text}）"
    if isinstance(exc, StopPush | _StreamFailed | RunRefused):
        return exc.outcome, exc.message
    if isinstance(exc, AuthExpired | AuthRejected | SignatureRejected):
        return "auth_needed", f"需要重新授权店铺：{exc}"
    if isinstance(exc, RateLimited):
        return "rate_limited", f"平台限流，请稍后再同步：{exc}"
    if isinstance(exc, TransportError) and not exc.sent:
        return "offline", f"无法连接平台：{exc}"
    if isinstance(exc, PlatformError) and getattr(exc, "retryable", False):
        return "offline", f"平台暂时不可用：{exc}"
    if isinstance(exc, RecordError):
        return "error", f"平台数据无效，本页未写入：{exc}"
    return "error", redact_text(str(exc)) or type(exc).__name__


@dataclass
class _Fetched:
    """One window's pages as read (items per page) and the requests it took."""

    start: int
    end: int
    pages: list[Sequence]
    requests: int


# --------------------------------------------------------------------------------------------
# The engine
# --------------------------------------------------------------------------------------------


class SyncEngine:
    """Pull, push and sweep for the bound shop database through ``client``."""

    def __init__(
        self,
        client: PlatformClient,
        *,
        initial_backfill_s: int = 3 * 86400,
        monotonic: Callable[[], float] = time.monotonic,
        rng: random.Random | None = None,
        initial_cursor_ts: int | None = None,
        wall: Callable[[], float] = time.time,
        source: str = "api",
        registry: Registry | None = None,
        fetch_workers: int = FETCH_WORKERS,
    ) -> None:
        self.client = client
        #: Requests in flight at once during a backfill or a long catch-up (1: one at a time).
        self.fetch_workers = max(1, int(fetch_workers))
        #: The streams and ops this engine syncs (default: the app's).
        self.registry = registry or DEFAULT
        self.initial_backfill_s = initial_backfill_s
        self.initial_cursor_ts = initial_cursor_ts
        self.monotonic = monotonic
        self.rng = rng or random.Random()
        self.source = source
        self.pusher = Pusher(client, monotonic=monotonic, wall=wall, rng=self.rng, registry=self.registry)
        self._calibrated = False
        self._changes = Changes()
        #: Per stream, scratch values its plug-in keeps for the whole run (e.g. a read budget).
        self._run_state: dict[str, dict] = {}

    # ------------------------------------------------------------------ run

    def _calibrate(self) -> None:
        self.client.calibrate()
        self._calibrated = True

    def _clock_moved(self) -> bool:
        """After an auth refusal: re-read the platform time; True when the local clock jumped.

        The gateway refuses a timestamp more than 10 min off with the same code as a bad sign
        (20004); a local clock set back or forth mid-run is that, not a credentials problem, and
        the step is worth one more try with the new offset.
        """
        before = self.client.offset_s
        try:
            self._calibrate()
        except Exception:
            return False
        moved = abs(self.client.offset_s - before) > CLOCK_JUMP_S
        if moved:
            log.warning("本机时钟跳变 %d 秒，已按平台时间重新校准", self.client.offset_s - before)
        return moved

    def run_once(
        self, *, task: TaskContext | None = None, streams: Sequence[str] | None = None
    ) -> SyncReport:
        """Calibrate, push the outbox, pull ``streams`` (default: all, in registry order).

        Network and auth problems are in ``outcome``.

        Raises:
            Cancelled: ``task`` was cancelled (the work done so far stays committed).
        """
        chosen = self.registry.stream_names if streams is None else streams
        return self._run(task=task, streams=chosen, sweep_days=None)

    def sweep(self, *, days: int = 3, task: TaskContext | None = None) -> SyncReport:
        """Re-pull the windowed streams (orders, after-sales) of the last ``days`` days.

        For late writes older than the overlap.
        """
        return self._run(task=task, streams=self.registry.windowed_names, sweep_days=days, push=False)

    def _run(
        self, *, task: TaskContext | None, streams: Sequence[str], sweep_days: int | None, push: bool = True
    ) -> SyncReport:
        self._changes = Changes(sync=True)
        self._run_state = {}
        try:
            return self._run_steps(task=task, streams=streams, sweep_days=sweep_days, push=push)
        except Cancelled:
            raise
        except Exception as exc:  # the local database refused a write (disk full, read-only): report it
            log.exception("sync run failed")
            outcome, message = _classify(exc)
            return self._report(outcome, message, (), None)

    def _run_steps(
        self, *, task: TaskContext | None, streams: Sequence[str], sweep_days: int | None, push: bool
    ) -> SyncReport:
        mark_interrupted_runs()
        try:
            self._calibrate()
        except Cancelled:
            raise
        except Exception as exc:
            outcome, message = _classify(exc)
            return self._report(outcome, message, (), None)
        for stream, preflight in self.registry.preflights:
            refused = self._preflight(stream, preflight)
            if refused is not None:
                return self._report(*refused, (), None)
        push_report = None
        if push:
            push_report = self.push(task=task)
            if push_report.error and self._push_outcome in ("auth_needed", "offline"):
                return self._report(self._push_outcome, push_report.error, (), push_report)
        reports: list[StreamReport] = []
        outcome, message = "ok", ""
        for stream in streams:
            if task is not None:
                task.raise_if_cancelled()
            report, stream_outcome = self._pull_safe(stream, task=task, sweep_days=sweep_days)
            if stream_outcome == "auth_needed" and self._clock_moved():
                report, stream_outcome = self._pull_safe(stream, task=task, sweep_days=sweep_days)
            reports.append(report)
            if stream_outcome != "ok":
                if outcome == "ok" or stream_outcome in ("auth_needed", "offline"):
                    outcome, message = stream_outcome, report.error
                if stream_outcome in ("auth_needed", "offline", "rate_limited"):
                    break
        if outcome == "ok" and push_report is not None and push_report.error:
            outcome, message = self._push_outcome, push_report.error
        return self._report(outcome, message, tuple(reports), push_report)

    def _preflight(self, stream: str, check: Callable[[PlatformClient], None]) -> tuple[str, str] | None:
        """Run one area's check before anything moves, logged as a ``check`` run of ``stream``.

        Returns:
            None when the run may go on, else its (outcome, message).
        """
        run_id = start_run("check", stream)

        def end(outcome: str, detail: str) -> None:
            errors = 0 if outcome in ("ok", "cancelled") else 1
            finish_run(run_id, pages=0, upserted=0, skipped=0, errors=errors, outcome=outcome, detail=detail)

        try:
            check(self.client)
        except Cancelled:
            end("cancelled", "已取消")
            raise
        except Exception as exc:
            if not isinstance(exc, PlatformError | RecordError | RunRefused):
                log.exception("sync check %s failed", stream)
            outcome, message = _classify(exc)
            end("failed" if outcome == "error" else outcome, message)
            return outcome, message
        end("ok", "店铺核对无误")
        return None

    def _report(
        self, outcome: str, message: str, streams: tuple[StreamReport, ...], push: PushReport | None
    ) -> SyncReport:
        now = self.client.platform_now() if self._calibrated else None
        if outcome == "ok":
            upserted = sum(s.upserted for s in streams)
            parts = [f"已同步（平台时间 {format_ts(now, '%H:%M')}）" if now else "已同步"]
            if upserted:
                parts.append(f"更新 {upserted} 条")
            if push is not None and push.succeeded:
                parts.append(f"上传 {push.succeeded} 条")
            if push is not None and push.waiting:
                parts.append(f"{push.waiting} 条待上传")
            message = "，".join(parts)
        message = " ".join((message or "").split())[:200]
        return SyncReport(
            outcome=outcome,
            message=message,
            platform_now=now,
            clock_skew_s=self.client.clock_skew_s,
            streams=streams,
            push=push,
            changes=self._changes,
        )

    # ------------------------------------------------------------------ push

    _push_outcome = "ok"

    def push(self, *, task: TaskContext | None = None) -> PushReport:
        """Send the due outbox ops once each; problems are in ``PushReport.error``."""
        if not self._calibrated:
            try:
                self._calibrate()
            except Cancelled:
                raise
            except Exception as exc:
                self._push_outcome, message = _classify(exc)
                return PushReport(0, 0, 0, 0, self.pusher.waiting_count(), message)
        counts = PushCounts()
        run_id = start_run("push", "")
        error, self._push_outcome = "", "ok"
        try:
            try:
                self._run_pusher(counts, task)
            except StopPush as exc:
                if exc.outcome != "auth_needed" or not self._clock_moved():
                    raise
                self._run_pusher(counts, task)
        except StopPush as exc:
            error, self._push_outcome = exc.message, exc.outcome
        except Cancelled:
            finish_run(
                run_id,
                pages=0,
                upserted=counts.succeeded,
                skipped=0,
                errors=0,
                outcome="cancelled",
                detail="已取消",
            )
            raise
        except Exception as exc:  # a database or programming error: report it, never crash the app
            log.exception("push failed")
            self._push_outcome, error = _classify(exc)
        waiting = self.pusher.waiting_count()
        if counts.sent or counts.succeeded or counts.failed or counts.conflicts:
            self._changes = self._changes | Changes(orders=True, shipments=True, sync=True) | counts.changes
        finish_run(
            run_id,
            pages=counts.sent,
            upserted=counts.succeeded,
            skipped=0,
            errors=counts.failed + counts.conflicts + (1 if error else 0),
            outcome="ok" if not error else self._push_outcome,
            detail=error
            or f"发送 {counts.sent}，成功 {counts.succeeded}，失败 "
            f"{counts.failed}，冲突 {counts.conflicts}，等待 {waiting}",
        )
        return PushReport(counts.sent, counts.succeeded, counts.failed, counts.conflicts, waiting, error)

    def _run_pusher(self, counts: PushCounts, task: TaskContext | None) -> None:
        got = self.pusher.run(task)
        counts.sent += got.sent
        counts.succeeded += got.succeeded
        counts.failed += got.failed
        counts.conflicts += got.conflicts
        counts.changes = counts.changes | got.changes

    # ------------------------------------------------------------------ pull

    def pull(self, stream: str, *, task: TaskContext | None = None) -> StreamReport:
        """Pull one stream now (calibrating first if needed); errors are in ``StreamReport.error``."""
        if not self._calibrated:
            try:
                self._calibrate()
            except Cancelled:
                raise
            except Exception as exc:
                return StreamReport(stream, 0, 0, 0, 0, _classify(exc)[1])
        return self._pull_safe(stream, task=task, sweep_days=None)[0]

    def _pull_safe(
        self, stream: str, *, task: TaskContext | None, sweep_days: int | None
    ) -> tuple[StreamReport, str]:
        spec = self.registry.streams.get(stream)
        if spec is None:
            raise ValueError(f"unknown stream {stream!r}")
        kind = "sweep" if sweep_days is not None else "pull"
        run_id = start_run(kind, stream)
        ctx = PullContext(
            self.client,
            self.source,
            task,
            PAGE_SIZE,
            run_state=self._run_state.setdefault(stream, {}),
            workers=self.fetch_workers,
        )
        acc = ctx.tally
        try:
            if spec.windowed:
                self._pull_windows(spec, ctx, sweep_days)
            else:
                self._pull_pages(spec, ctx)
        except Cancelled:
            finish_run(
                run_id,
                pages=acc.pages,
                upserted=acc.upserted,
                skipped=acc.skipped,
                errors=0,
                outcome="cancelled",
                detail="已取消",
            )
            raise
        except Exception as exc:
            if not isinstance(exc, PlatformError | RecordError | _StreamFailed):
                log.exception("pull %s failed", stream)
            outcome, message = _classify(exc)
            message = f"{spec.label}：{message}"
            stream_failed(stream, message)
            finish_run(
                run_id,
                pages=acc.pages,
                upserted=acc.upserted,
                skipped=acc.skipped,
                errors=1,
                outcome="failed" if outcome == "error" else outcome,
                detail=message,
            )
            if acc.upserted:
                self._changes = self._changes | spec.changes
            return StreamReport(stream, acc.windows, acc.pages, acc.upserted, acc.skipped, message), outcome
        finish_run(
            run_id,
            pages=acc.pages,
            upserted=acc.upserted,
            skipped=acc.skipped,
            errors=0,
            outcome="ok",
            detail=f"{acc.windows} 个时间窗，{acc.pages} 页，更新 {acc.upserted}，跳过旧版本 {acc.skipped}",
        )
        if acc.upserted:
            self._changes = self._changes | spec.changes
        return StreamReport(stream, acc.windows, acc.pages, acc.upserted, acc.skipped), "ok"

    def _pull_pages(self, spec: PullStream, ctx: PullContext) -> None:
        """A non-windowed stream: pages 1, 2, … until ``has_next`` is false; cursor = now."""
        page = 1
        while True:
            got = spec.fetch(ctx, page)
            ctx.tally.pages += 1
            spec.apply(ctx, got.items)
            if not got.items or not got.has_next:
                break
            page += 1
        now = self.client.platform_now()
        stream_ok(spec.name, None if ctx.deferred else now, now)

    def _initial_start(self, platform_now: int) -> int:
        if self.initial_cursor_ts is not None:
            return int(self.initial_cursor_ts)
        return platform_now - self.initial_backfill_s

    def _pull_windows(self, spec: PullStream, ctx: PullContext, sweep_days: int | None) -> None:
        stream, task = spec.name, ctx.task
        if spec.backfill is not None and sweep_days is None:
            self._backfill(spec, ctx)
        state = stream_state(stream)
        now = self.client.platform_now()
        target = rules.pull_target(now, state.settle_lag_s)
        if sweep_days is not None:
            start = now - sweep_days * 86400
        else:
            start = rules.pull_start(state.hwm, self._initial_start(now), state.overlap_s)
        plan = list(rules.windows(start, target, state.max_window_s))
        label = spec.label
        # A routine run (a few windows) stays sequential; a long catch-up fetches ahead.
        workers = self.fetch_workers if len(plan) > CONCURRENT_FROM_WINDOWS else 1

        def fetch(window: tuple[int, int]) -> _Fetched:
            return self._fetch_window(spec.fetch, spec.key, ctx, *window, backwards=True)

        with contextlib.closing(ordered_fetch(fetch, plan, workers=workers, task=task)) as fetched:
            for i, ((w_start, w_end), got) in enumerate(fetched):
                if task is not None:
                    task.report(i, len(plan), f"同步{label}（{format_ts(w_start, '%m-%d %H:%M')}）")
                with write_transaction():
                    database.execute_sql(
                        "UPDATE sync_stream SET cur_window_start = ?, cur_window_end = ? WHERE stream = ?",
                        (w_start, w_end, stream),
                    )
                self._apply_fetched(spec, ctx, got)
                ctx.tally.windows += 1
                with write_transaction():
                    database.execute_sql(
                        "UPDATE sync_stream SET hwm_server_ts = MAX(COALESCE(hwm_server_ts, ?), ?), "
                        "cur_window_start = NULL, cur_window_end = NULL WHERE stream = ?",
                        (w_end, w_end, stream),
                    )
        stream_ok(stream, plan[-1][1] if plan else None, now, sweep=sweep_days is not None)

    # ------------------------------------------------------------------ backfill

    def _backfill(self, spec: PullStream, ctx: PullContext) -> None:
        """Fill the history through the stream's list API, newest window first (resumable).

        Runs when the stream has no cursor and no history came with the shop
        (``initial_cursor_ts`` None), or when its cursor is older than the API's horizon, or to
        finish a backfill a cancel, a failure or a kill interrupted (its progress is the
        ``setting`` row :func:`backfill_key`). When every window is applied, the cursor is set
        to where the backfill started minus the increment pass over the last
        ``initial_backfill_s`` (and at least the settle lag), so the increment pull that follows
        in the same run brings everything updated since (see docs/ARCHITECTURE.md "First sync").
        """
        bf = spec.backfill
        assert bf is not None
        stream, task = spec.name, ctx.task
        state = stream_state(stream)
        now = self.client.platform_now()
        oldest = now - bf.horizon_s + HORIZON_MARGIN_S  # the oldest start the list API still takes
        progress = load_backfill(stream)
        if progress is not None and progress.anchor < oldest:
            log.info("%s backfill from %s is past the horizon: restarted", stream, format_ts(progress.anchor))
            progress = None
        if progress is None:
            fresh = state.hwm is None and self.initial_cursor_ts is None
            if not (fresh or (state.hwm is not None and state.hwm < oldest)):
                return
            progress = BackfillProgress(anchor=now, floor=oldest, next_end=now)
            save_backfill(stream, progress)
        floor = resumed_floor(progress.floor, now=now, horizon_s=bf.horizon_s)
        plan = list(backfill_windows(progress.next_end, floor, bf.window_s))
        label = spec.label

        def fetch(window: tuple[int, int]) -> _Fetched:
            return self._fetch_window(bf.fetch, spec.key, ctx, *window, backwards=False)

        total_days = len(list(backfill_windows(progress.anchor, floor, bf.window_s)))
        done_before = total_days - len(plan)  # windows an earlier run applied
        with contextlib.closing(ordered_fetch(fetch, plan, workers=self.fetch_workers, task=task)) as fetched:
            for i, ((w_start, _w_end), got) in enumerate(fetched):
                if task is not None:
                    done, day = done_before + i, format_ts(w_start, "%m-%d")
                    task.report(done, total_days, f"首次同步{label}：{day}（{done}/{total_days} 天）")
                self._apply_fetched(spec, ctx, got)
                ctx.tally.windows += 1
                save_backfill(stream, BackfillProgress(progress.anchor, floor, w_start))
        # Every window is local: hand over to the increment pull, from where the backfill began.
        cursor = progress.anchor - max(state.settle_lag_s, self.initial_backfill_s)
        with write_transaction():
            database.execute_sql(
                "UPDATE sync_stream SET hwm_server_ts = ? WHERE stream = ?", (cursor, stream)
            )
            database.execute_sql("DELETE FROM setting WHERE key = ?", (backfill_key(stream),))
        log.info("%s backfill done: %d windows, cursor %s", stream, len(plan), format_ts(cursor))

    # ------------------------------------------------------------------ one window

    def _fetch_window(
        self,
        fetch: Callable[..., Page],
        key: Callable[[object], object],
        ctx: PullContext,
        start: int,
        end: int,
        *,
        backwards: bool,
    ) -> _Fetched:
        """Every page of one window (network only; runs on a fetch thread).

        ``backwards`` (the increment API, ``updated_at DESC``): page 1 with ``total_count``, then
        pages N..1: a row updated during paging leaves the window, which moves older rows
        towards page 1 (read twice), never past a page not yet read. Otherwise (the list by
        成交时间, which a row never leaves) page 1 with the count, then 2..N. The count check
        (distinct ids seen vs the count) re-reads the window up to :data:`WINDOW_ATTEMPTS` times.
        """
        task = ctx.task
        pages: list[Sequence] = []
        requests = 0
        for _attempt in range(WINDOW_ATTEMPTS):
            first = fetch(ctx, start, end, 1, True)
            requests += 1
            total = first.total_count
            read: list[Sequence] = [first.items]
            if total is None:  # no count: walk forward by has_next (dedupe by id)
                page, got = 1, first
                while got.has_next and got.items:
                    if task is not None:
                        task.raise_if_cancelled()
                    page += 1
                    got = fetch(ctx, start, end, page, False)
                    requests += 1
                    read.append(got.items)
                return _Fetched(start, end, [*pages, *read], requests)
            n = rules.page_count(total, ctx.page_size)
            if n > 1:
                if backwards:
                    read = []
                for p in range(n, 0, -1) if backwards else range(2, n + 1):
                    if task is not None:
                        task.raise_if_cancelled()
                    got = fetch(ctx, start, end, p, False)
                    requests += 1
                    read.append(got.items)
            pages.extend(read)
            seen = {key(r) for items in read for r in items}
            if len(seen) >= total:
                return _Fetched(start, end, pages, requests)
            log.info("window %d-%d: %d of %d rows seen, re-reading", start, end, len(seen), total)
        raise _StreamFailed(
            "error",
            f"时间窗 {format_ts(start)}–{format_ts(end)} 分页不稳定（平台在分页期间变化），下次同步重试",
        )

    def _apply_fetched(self, spec: PullStream, ctx: PullContext, got: _Fetched) -> None:
        """Apply a fetched window's pages on this thread, one short transaction per page."""
        ctx.tally.pages += got.requests
        for items in got.pages:
            if ctx.task is not None:
                ctx.task.raise_if_cancelled()
            self._apply_page(spec, ctx, items)

    @staticmethod
    def _apply_page(spec: PullStream, ctx: PullContext, items: Sequence) -> None:
        # Hand the interpreter lock to the UI thread between pages: parsing and applying a page
        # is pure Python, and a UI thread waiting for the lock is a frozen window.
        time.sleep(PAGE_PAUSE_S)
        if not items:
            return
        spec.apply(ctx, items)
