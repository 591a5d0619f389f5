"""The sync engine (sync.md): pull the platform's changes, push the outbox, surface conflicts.

Construct one :class:`SyncEngine` per shop and platform client, and call :meth:`SyncEngine.run_once`
on the db lane (it does HTTP and short write transactions; never one across a network call).

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
``initial_backfill_s``.

**Push**: :mod:`pdd_desktop.services.sync_push`.

Sync log entries (:func:`sync_log`) are :class:`SyncLogRow`, one per pull stream, push or sweep.
"""

from __future__ import annotations

import json
import logging
import random
import sqlite3
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import peewee

from pdd_desktop.common import clock
from pdd_desktop.common.changes import Changes
from pdd_desktop.common.redact import redact_text
from pdd_desktop.common.task import Cancelled, TaskContext
from pdd_desktop.common.timefmt import format_ts
from pdd_desktop.data.db import database, write_transaction
from pdd_desktop.domain import sync_rules as rules
from pdd_desktop.platform.client import PlatformClient
from pdd_desktop.platform.errors import (
    AuthExpired,
    AuthRejected,
    PlatformError,
    RateLimited,
    SignatureRejected,
    TransportError,
)
from pdd_desktop.platform.records import OrderRecord, RecordError, RefundRecord
from pdd_desktop.services import sync_pull as apply
from pdd_desktop.services.sync_push import PushCounts, Pusher, StopPush

log = logging.getLogger(__name__)

STREAMS = ("couriers", "goods", "orders", "after_sales")
WINDOWED_STREAMS = ("orders", "after_sales")
PAGE_SIZE = 100
#: Tries per window when the count check finds rows moved inside it.
WINDOW_ATTEMPTS = 3
#: Goods detail reads per run (the rest follow on the next run).
MAX_GOODS_DETAILS = 200
#: Orders read one by one per page for after-sales whose order is not local yet.
MAX_ORDER_FETCH_PER_PAGE = 100
#: After-sales details (expire time, buyer remark) read per run for cases waiting for the merchant.
MAX_CASE_DETAILS = 100
#: Sync log rows kept.
KEEP_RUNS = 2000
#: Pause before applying each page (outside any transaction), so the UI thread gets the GIL.
PAGE_PAUSE_S = 0.002
#: A calibrated offset that moved more than this between two reads: the local clock jumped.
CLOCK_JUMP_S = 60

STREAM_LABELS = rules.STREAM_LABELS


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


def _db_cause(exc: BaseException) -> BaseException:
    """The database error behind ``exc``.

    On SQLITE_FULL (and some I/O errors) SQLite rolls the transaction back by itself; the
    ROLLBACK that the transaction block then issues fails with "no transaction is active" and
    would hide the cause (the data is rolled back either way).
    """
    while (
        isinstance(exc, peewee.OperationalError | sqlite3.OperationalError)
        and "no transaction is active" in str(exc)
        and exc.__context__ is not None
    ):
        exc = exc.__context__
    return exc


def _classify(exc: BaseException) -> tuple[str, str]:
    """(outcome, Chinese message) of an error during a sync."""
    exc = _db_cause(exc)
    if isinstance(exc, peewee.DatabaseError | sqlite3.DatabaseError):
        text = redact_text(str(exc))
        if "full" in text:
            return "error", f"本机磁盘已满，未写入（{text}）"
        if "readonly" in text or "read-only" in text:
            return "error", f"本机数据库不可写，未写入（{text}）"
        return "error", f"本机数据库出错，未写入（{text}）"
    if isinstance(exc, StopPush | _StreamFailed):
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


def _count_changes(stream: str, upserted: int) -> Changes:
    if not upserted:
        return Changes()
    return {
        "orders": Changes(orders=True, shipments=True),
        "after_sales": Changes(after_sales=True, orders=True),
        "goods": Changes(goods=True),
        "couriers": Changes(shipments=True),
    }.get(stream, Changes())


# --------------------------------------------------------------------------------------------
# Stream state
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Stream:
    stream: str
    hwm: int | None
    overlap_s: int
    settle_lag_s: int
    max_window_s: int


def _stream(stream: str) -> _Stream:
    row = database.execute_sql(
        "SELECT hwm_server_ts, overlap_s, settle_lag_s, max_window_s FROM sync_stream WHERE stream = ?",
        (stream,),
    ).fetchone()
    if row is None:
        with write_transaction():
            database.execute_sql(
                "INSERT OR IGNORE INTO sync_stream (stream, hwm_server_ts, "
                "overlap_s, settle_lag_s, max_window_s, "
                "last_error, consecutive_failures, needs_full_resync) "
                "VALUES (?, NULL, 900, 180, 1800, '', 0, 0)",
                (stream,),
            )
        return _Stream(stream, None, 900, 180, 1800)
    return _Stream(stream, row[0], row[1], row[2], min(row[3], 1800))


def _stream_ok(stream: str, hwm: int | None, platform_now: int, *, sweep: bool = False) -> None:
    with write_transaction():
        database.execute_sql(
            "UPDATE sync_stream SET hwm_server_ts = "
            "MAX(COALESCE(hwm_server_ts, ?), ?), cur_window_start = NULL, "
            "cur_window_end = NULL, last_ok_at_server = ?, last_error = '', consecutive_failures = 0"
            + (", last_sweep_server_ts = ?" if sweep else "")
            + " WHERE stream = ?",
            (hwm, hwm, platform_now, *((platform_now,) if sweep else ()), stream)
            if hwm is not None
            else (0, 0, platform_now, *((platform_now,) if sweep else ()), stream),
        )


def _log_write_failed(what: str, exc: Exception) -> None:
    log.warning("sync bookkeeping (%s) not written: %s", what, _db_cause(exc))


def _stream_failed(stream: str, message: str) -> None:
    try:
        _stream_failed_write(stream, message)
    except (peewee.DatabaseError, sqlite3.DatabaseError) as exc:  # disk full, read-only: keep going
        _log_write_failed("stream error", exc)


def _stream_failed_write(stream: str, message: str) -> None:
    with write_transaction():
        database.execute_sql(
            "UPDATE sync_stream SET last_error = ?, consecutive_failures = consecutive_failures + 1 "
            "WHERE stream = ?",
            (message[:500], stream),
        )


def _start_run(kind: str, stream: str) -> int | None:
    """A ``running`` sync_run row; None when the database takes no writes (the run goes on)."""
    try:
        return _start_run_write(kind, stream)
    except (peewee.DatabaseError, sqlite3.DatabaseError) as exc:
        _log_write_failed("run start", exc)
        return None


def _start_run_write(kind: str, stream: str) -> int:
    with write_transaction():
        cur = database.execute_sql(
            "INSERT INTO sync_run (kind, stream, started_at, pages, "
            "upserted, skipped_stale, errors, outcome, detail) "
            "VALUES (?, ?, ?, 0, 0, 0, 0, 'running', '')",
            (kind, stream, clock.now()),
        )
        return cur.lastrowid


def _finish_run(
    run_id: int | None, *, pages: int, upserted: int, skipped: int, errors: int, outcome: str, detail: str
) -> None:
    if run_id is None:
        return
    try:
        _finish_run_write(
            run_id,
            pages=pages,
            upserted=upserted,
            skipped=skipped,
            errors=errors,
            outcome=outcome,
            detail=detail,
        )
    except (peewee.DatabaseError, sqlite3.DatabaseError) as exc:
        _log_write_failed("run end", exc)


def _finish_run_write(
    run_id: int, *, pages: int, upserted: int, skipped: int, errors: int, outcome: str, detail: str
) -> None:
    with write_transaction():
        database.execute_sql(
            "UPDATE sync_run SET finished_at = ?, pages = ?, upserted = ?, skipped_stale = ?, errors = ?, "
            "outcome = ?, detail = ? WHERE id = ?",
            (clock.now(), pages, upserted, skipped, errors, outcome, redact_text(detail)[:1000], run_id),
        )
        database.execute_sql(
            "DELETE FROM sync_run WHERE id <= (SELECT MAX(id) FROM sync_run) - ?", (KEEP_RUNS,)
        )


def demo_origin_ts() -> int | None:
    """The ``now`` a demo shop was generated at (its history ends there), or None for other shops."""
    row = database.execute_sql("SELECT value_json FROM setting WHERE key = 'demo_origin'").fetchone()
    if row is None:
        return None
    try:
        return int(json.loads(row[0])["now"])
    except (ValueError, KeyError, TypeError):
        return None


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
    ) -> None:
        self.client = client
        self.initial_backfill_s = initial_backfill_s
        self.initial_cursor_ts = initial_cursor_ts
        self.monotonic = monotonic
        self.rng = rng or random.Random()
        self.source = source
        self.pusher = Pusher(client, monotonic=monotonic, wall=wall, rng=self.rng)
        self._calibrated = False
        self._changes = Changes()
        self._case_details_left = MAX_CASE_DETAILS

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

    def run_once(self, *, task: TaskContext | None = None, streams: Sequence[str] = STREAMS) -> SyncReport:
        """Calibrate, push the outbox, pull ``streams``. Network and auth problems are in ``outcome``.

        Raises:
            Cancelled: ``task`` was cancelled (the work done so far stays committed).
        """
        return self._run(task=task, streams=streams, sweep_days=None)

    def sweep(self, *, days: int = 3, task: TaskContext | None = None) -> SyncReport:
        """Re-pull orders and after-sales of the last ``days`` days (late writes older than the overlap)."""
        return self._run(task=task, streams=WINDOWED_STREAMS, sweep_days=days, push=False)

    def _run(
        self, *, task: TaskContext | None, streams: Sequence[str], sweep_days: int | None, push: bool = True
    ) -> SyncReport:
        self._changes = Changes(sync=True)
        self._case_details_left = MAX_CASE_DETAILS
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
        _mark_interrupted_runs()
        try:
            self._calibrate()
        except Cancelled:
            raise
        except Exception as exc:
            outcome, message = _classify(exc)
            return self._report(outcome, message, (), None)
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
        run_id = _start_run("push", "")
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
            _finish_run(
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
            self._changes = self._changes | Changes(
                orders=True, shipments=True, sync=True, goods=counts.goods, after_sales=counts.after_sales
            )
        _finish_run(
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
        counts.goods |= got.goods
        counts.after_sales |= got.after_sales

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
        if stream not in STREAMS:
            raise ValueError(f"unknown stream {stream!r}")
        kind = "sweep" if sweep_days is not None else "pull"
        run_id = _start_run(kind, stream)
        acc = _Acc()
        try:
            if stream == "couriers":
                self._pull_couriers(acc)
            elif stream == "goods":
                self._pull_goods(acc, task)
            else:
                self._pull_windows(stream, acc, task, sweep_days)
        except Cancelled:
            _finish_run(
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
            message = f"{STREAM_LABELS[stream]}：{message}"
            _stream_failed(stream, message)
            _finish_run(
                run_id,
                pages=acc.pages,
                upserted=acc.upserted,
                skipped=acc.skipped,
                errors=1,
                outcome="failed" if outcome == "error" else outcome,
                detail=message,
            )
            self._changes = self._changes | _count_changes(stream, acc.upserted)
            return StreamReport(stream, acc.windows, acc.pages, acc.upserted, acc.skipped, message), outcome
        _finish_run(
            run_id,
            pages=acc.pages,
            upserted=acc.upserted,
            skipped=acc.skipped,
            errors=0,
            outcome="ok",
            detail=f"{acc.windows} 个时间窗，{acc.pages} 页，更新 {acc.upserted}，跳过旧版本 {acc.skipped}",
        )
        self._changes = self._changes | _count_changes(stream, acc.upserted)
        return StreamReport(stream, acc.windows, acc.pages, acc.upserted, acc.skipped), "ok"

    def _pull_couriers(self, acc: _Acc) -> None:
        records = self.client.logistics_companies()
        acc.pages += 1
        with write_transaction():
            acc.add(apply.apply_couriers(records))
        _stream_ok("couriers", self.client.platform_now(), self.client.platform_now())

    def _pull_goods(self, acc: _Acc, task: TaskContext | None) -> None:
        budget = MAX_GOODS_DETAILS
        deferred = False
        page = 1
        while True:
            if task is not None:
                task.raise_if_cancelled()
                task.report(page - 1, 0, f"同步商品（第 {page} 页）")
            got = self.client.goods_list(page, PAGE_SIZE)
            acc.pages += 1
            need = apply.goods_needing_detail(got.items)
            if len(need) > budget:
                need, deferred = need[:budget], True
            budget -= len(need)
            details = [self.client.goods_detail(gid) for gid in need]
            if details:
                with write_transaction():
                    acc.add(apply.apply_goods(details, self.client.platform_now()))
            if not got.items or not got.has_next:
                break
            page += 1
        now = self.client.platform_now()
        _stream_ok("goods", None if deferred else now, now)

    def _initial_start(self, platform_now: int) -> int:
        if self.initial_cursor_ts is not None:
            return int(self.initial_cursor_ts)
        return platform_now - self.initial_backfill_s

    def _pull_windows(self, stream: str, acc: _Acc, task: TaskContext | None, sweep_days: int | None) -> None:
        state = _stream(stream)
        now = self.client.platform_now()
        target = rules.pull_target(now, state.settle_lag_s)
        if sweep_days is not None:
            start = now - sweep_days * 86400
        else:
            start = rules.pull_start(state.hwm, self._initial_start(now), state.overlap_s)
        plan = list(rules.windows(start, target, state.max_window_s))
        label = STREAM_LABELS[stream]
        for i, (w_start, w_end) in enumerate(plan):
            if task is not None:
                task.raise_if_cancelled()
                task.report(i, len(plan), f"同步{label}（{format_ts(w_start, '%m-%d %H:%M')}）")
            with write_transaction():
                database.execute_sql(
                    "UPDATE sync_stream SET cur_window_start = ?, cur_window_end = ? WHERE stream = ?",
                    (w_start, w_end, stream),
                )
            self._pull_window(stream, w_start, w_end, acc, task, i, len(plan))
            acc.windows += 1
            with write_transaction():
                database.execute_sql(
                    "UPDATE sync_stream SET hwm_server_ts = MAX(COALESCE(hwm_server_ts, ?), ?), "
                    "cur_window_start = NULL, cur_window_end = NULL WHERE stream = ?",
                    (w_end, w_end, stream),
                )
        _stream_ok(stream, plan[-1][1] if plan else None, now, sweep=sweep_days is not None)

    def _fetch(self, stream: str, start: int, end: int, page: int, with_total: bool):
        if stream == "orders":
            return self.client.order_increment(
                start, end, page, PAGE_SIZE, use_has_next=None if with_total else True
            )
        return self.client.refund_increment(start, end, page, PAGE_SIZE)

    def _pull_window(
        self, stream: str, start: int, end: int, acc: _Acc, task: TaskContext | None, done: int, total_w: int
    ) -> None:
        label = STREAM_LABELS[stream]
        for _attempt in range(WINDOW_ATTEMPTS):
            first = self._fetch(stream, start, end, 1, True)
            acc.pages += 1
            total = first.total_count
            seen: set = set()
            if total is None:  # no count: walk forward by has_next (dedupe by id)
                page, got = 1, first
                while True:
                    self._apply_page(stream, got.items, acc)
                    seen |= {_key(r) for r in got.items}
                    if not got.has_next or not got.items:
                        break
                    page += 1
                    got = self._fetch(stream, start, end, page, False)
                    acc.pages += 1
                return
            pages = rules.page_count(total, PAGE_SIZE)
            if pages <= 1:
                self._apply_page(stream, first.items, acc)
                seen |= {_key(r) for r in first.items}
            else:
                for p in range(pages, 0, -1):
                    if task is not None:
                        task.raise_if_cancelled()
                        task.report(done, total_w, f"同步{label}（第 {p} 页）")
                    got = self._fetch(stream, start, end, p, False)
                    acc.pages += 1
                    self._apply_page(stream, got.items, acc)
                    seen |= {_key(r) for r in got.items}
            if len(seen) >= total:
                return
            log.info("%s window %d-%d: %d of %d rows seen, re-reading", stream, start, end, len(seen), total)
        raise _StreamFailed(
            "error",
            f"时间窗 {format_ts(start)}–{format_ts(end)} 分页不稳定（平台在分页期间变化），下次同步重试",
        )

    def _apply_page(self, stream: str, items: Sequence, acc: _Acc) -> None:
        # Hand the interpreter lock to the UI thread between pages: parsing and applying a page
        # is pure Python, and a UI thread waiting for the lock is a frozen window.
        time.sleep(PAGE_PAUSE_S)
        if not items:
            return
        if stream == "orders":
            with write_transaction():
                acc.add(apply.apply_orders(items, source=self.source))
            return
        # after-sales: fetch what the page needs first (no transaction across the network)
        cases: Sequence[RefundRecord] = items
        missing = apply.missing_order_sns(r.order_sn for r in cases)[:MAX_ORDER_FETCH_PER_PAGE]
        orders: list[OrderRecord] = []
        for sn in missing:
            try:
                orders.append(self.client.order_detail(sn))
            except RecordError:
                raise
            except PlatformError as exc:
                if (
                    not isinstance(exc, TransportError | RateLimited)
                    and not exc.retryable
                    and not isinstance(exc, AuthExpired | AuthRejected | SignatureRejected)
                ):
                    log.warning("order %s of an after-sales case is not readable: %s", sn, exc)
                    continue
                raise
        details: dict[int, RefundRecord] = {}
        waiting = [r for r in cases if r.status in rules.REFUND_WAITING_CODES]
        for r in waiting[: max(0, self._case_details_left)]:
            self._case_details_left -= 1
            try:
                details[r.id] = self.client.refund_detail(r.id, r.order_sn)
            except RecordError:
                continue
            except PlatformError as exc:
                if exc.retryable or isinstance(exc, AuthExpired | AuthRejected | SignatureRejected):
                    raise
                continue
        with write_transaction():
            if orders:
                apply.ensure_couriers([o.logistics_id for o in orders if o.logistics_id])
                acc.add(apply.apply_orders(orders, source=self.source), count=False)
            acc.add(apply.apply_cases(cases, details))


def _key(record) -> object:
    return (
        getattr(record, "order_sn", None) if isinstance(record, OrderRecord) else getattr(record, "id", None)
    )


@dataclass
class _Acc:
    windows: int = 0
    pages: int = 0
    upserted: int = 0
    skipped: int = 0

    def add(self, counts: apply.ApplyCounts, *, count: bool = True) -> None:
        if count:
            self.upserted += counts.upserted
            self.skipped += counts.skipped_stale


def _mark_interrupted_runs() -> None:
    with write_transaction():
        database.execute_sql(
            "UPDATE sync_run SET outcome = 'aborted', detail = '程序中断', finished_at = started_at "
            "WHERE outcome = 'running'"
        )


# --------------------------------------------------------------------------------------------
# Status, outbox panel, conflicts, log (read-only unless said otherwise)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SyncSummary:
    """The status bar's view of sync."""

    pending: int  #: ops waiting to upload (pending / in_flight / unknown)
    needs_attention: int  #: failed_permanent + pending ops with ≥ 8 attempts
    conflicts: int  #: unresolved conflicts
    last_ok_platform_ts: int | None  #: orders (else any stream) last pulled OK, platform time
    last_error: str
    auth_needed: bool
    running: bool


def sync_summary() -> SyncSummary:
    """Counts and the latest state from the sync tables (a few indexed reads)."""
    pending, attention = database.execute_sql(
        "SELECT COALESCE(SUM(state IN ('pending', 'in_flight', 'unknown')), 0), "
        "COALESCE(SUM(state = 'failed_permanent' OR (state IN ('pending', 'unknown') AND attempts >= ?)), 0) "
        "FROM outbox WHERE state IN ('pending', 'in_flight', 'unknown', 'failed_permanent')",
        (rules.ATTENTION_ATTEMPTS,),
    ).fetchone()
    conflicts = database.execute_sql(
        "SELECT COUNT(*) FROM sync_conflict WHERE resolved_at IS NULL"
    ).fetchone()[0]
    row = database.execute_sql("SELECT last_ok_at_server FROM sync_stream WHERE stream = 'orders'").fetchone()
    last_ok = row[0] if row else None
    if last_ok is None:
        last_ok = database.execute_sql("SELECT MAX(last_ok_at_server) FROM sync_stream").fetchone()[0]
    latest = database.execute_sql(
        "SELECT r.outcome, r.detail FROM sync_run r JOIN (SELECT kind, stream, MAX(id) AS id FROM sync_run "
        "WHERE outcome != 'running' AND outcome != 'aborted' GROUP BY kind, stream) m ON m.id = r.id "
        "ORDER BY r.id DESC"
    ).fetchall()
    errors = [d for o, d in latest if o not in ("ok", "cancelled")]
    auth = any(o == "auth_needed" for o, _ in latest)
    running = (
        database.execute_sql(
            "SELECT COUNT(*) FROM sync_run WHERE outcome = 'running' AND started_at >= ?",
            (clock.now() - 1800,),
        ).fetchone()[0]
        > 0
    )
    return SyncSummary(
        int(pending), int(attention), int(conflicts), last_ok, errors[0] if errors else "", auth, running
    )


@dataclass(frozen=True)
class OutboxRow:
    """One outbox op for the outbox panel."""

    id: int
    op_id: str
    op_type: str
    op_label: str
    entity_remote_id: str
    state: str
    state_label: str
    attempts: int
    last_error: str
    created_at: int
    next_attempt_at: float | None  #: wall-clock epoch seconds of the next try (None: as soon as possible)
    entity_label: str = ""  #: what the user calls the entity: the order number, a goods name and spec


def list_outbox(*, states: Sequence[str] | None = None, limit: int = 500) -> list[OutboxRow]:
    """Ops newest first; by default the ones not yet done (pending … conflict)."""
    wanted = tuple(states) if states else rules.OPEN_STATES
    marks = ",".join("?" * len(wanted))
    rows = database.execute_sql(
        "SELECT id, op_id, op_type, entity_remote_id, state, "
        "attempts, last_error, created_at, next_attempt_at, entity_type "
        f"FROM outbox WHERE state IN ({marks}) ORDER BY id DESC LIMIT ?",
        (*wanted, limit),
    ).fetchall()
    labels = entity_labels((r[9], r[3]) for r in rows)
    out = []
    for rid, op_id, op_type, entity, state, attempts, err, created, nxt, kind in rows:
        label = rules.state_label(state)
        if state in (rules.PENDING, rules.UNKNOWN) and attempts >= rules.ATTENTION_ATTEMPTS:
            label += "（多次失败）"
        out.append(
            OutboxRow(
                rid,
                op_id,
                op_type,
                rules.op_label(op_type),
                entity,
                state,
                label,
                attempts,
                err,
                created,
                nxt,
                labels.get((kind, entity), entity),
            )
        )
    return out


def entity_labels(pairs) -> dict[tuple[str, str], str]:
    """What the outbox and conflict lists call each (entity type, remote id).

    An order's number, a SKU's goods name and spec, a goods name, 售后 and the case id; the
    remote id itself for anything else (the callers default to it).
    """
    wanted: dict[str, set[str]] = {}
    for kind, remote_id in pairs:
        wanted.setdefault(kind, set()).add(str(remote_id))
    out: dict[tuple[str, str], str] = {}
    for remote_id in wanted.get("after_sale", ()):
        out[("after_sale", remote_id)] = f"售后 {remote_id}"
    skus = sorted(int(x) for x in wanted.get("sku", ()) if x.isdigit())
    for i in range(0, len(skus), 500):
        chunk = skus[i : i + 500]
        for sku_id, name, spec in database.execute_sql(
            "SELECT s.sku_id, g.name, s.spec FROM sku s JOIN goods g ON g.goods_id = s.goods_id "
            f"WHERE s.sku_id IN ({','.join('?' * len(chunk))})",
            chunk,
        ).fetchall():
            out[("sku", str(sku_id))] = f"{name}（{spec}）" if spec else name
    goods = sorted(int(x) for x in wanted.get("goods", ()) if x.isdigit())
    for i in range(0, len(goods), 500):
        chunk = goods[i : i + 500]
        for goods_id, name in database.execute_sql(
            f"SELECT goods_id, name FROM goods WHERE goods_id IN ({','.join('?' * len(chunk))})", chunk
        ).fetchall():
            out[("goods", str(goods_id))] = name
    return out


_SYNC_CHANGES = Changes(orders=True, shipments=True, sync=True)


def _op_row(op_id: str) -> tuple:
    row = database.execute_sql(
        "SELECT id, op_type, entity_type, entity_remote_id, state, payload_json, result_json FROM outbox "
        "WHERE op_id = ?",
        (op_id,),
    ).fetchone()
    if row is None:
        from pdd_desktop.domain.errors import NotAllowed

        raise NotAllowed("找不到该上传记录")
    return row


def retry_op(*, op_id: str) -> Changes:
    """Send a failed (or waiting) op again as soon as possible.

    Raises:
        NotAllowed: the op does not exist or is not failed_permanent / pending.
    """
    from pdd_desktop.domain.errors import NotAllowed

    with write_transaction():
        _id, _t, _e, _sn, state, _p, _r = _op_row(op_id)
        if state not in (rules.FAILED, rules.PENDING):
            raise NotAllowed(f"该记录当前为「{rules.state_label(state)}」，不能重试")
        database.execute_sql(
            "UPDATE outbox SET state = 'pending', next_attempt_at = NULL, attempts = 0 WHERE op_id = ?",
            (op_id,),
        )
    return _SYNC_CHANGES


def discard_op(*, op_id: str) -> Changes:
    """Give up an op that the platform has not acknowledged: it becomes cancelled (kept, audited).

    The local change stays as it is (a shipment discarded here is not undone locally: the user
    decides with 取消发货 / 修改发货 in the order page).

    Raises:
        NotAllowed: the op does not exist, already succeeded, or is being sent right now.
    """
    from pdd_desktop.domain.errors import NotAllowed

    now = clock.now()
    with write_transaction():
        _id, op_type, entity_type, sn, state, payload, _r = _op_row(op_id)
        if state in (rules.SUCCEEDED, rules.CANCELLED):
            raise NotAllowed("该记录已完成，不能放弃")
        if state == rules.IN_FLIGHT:
            raise NotAllowed("该记录正在上传，请稍后再试")
        database.execute_sql(
            "UPDATE outbox SET state = 'cancelled', completed_at = "
            "?, last_error = '用户放弃' WHERE op_id = ?",
            (now, op_id),
        )
        database.execute_sql(
            "UPDATE sync_conflict SET resolution = 'keep_remote', resolved_at = ? WHERE op_id = ? "
            "AND resolved_at IS NULL",
            (now, op_id),
        )
        order_id = None
        if entity_type == "order":
            database.execute_sql(
                'UPDATE "order" SET pending_ops = MAX(0, pending_ops - 1) WHERE order_sn = ?', (sn,)
            )
            _refresh_conflict_flag(sn)
            row = database.execute_sql('SELECT id FROM "order" WHERE order_sn = ?', (sn,)).fetchone()
            order_id = row[0] if row else None
        database.execute_sql(
            "INSERT INTO audit_log (at, actor, action, entity_type, entity_id, detail_json, order_id) "
            "VALUES (?, 'user', 'discard_op', ?, ?, ?, ?)",
            (
                now,
                entity_type[:16],
                sn,
                json.dumps(
                    {"op_id": op_id, "op_type": op_type, "state": state, "payload": json.loads(payload)},
                    ensure_ascii=False,
                ),
                order_id,
            ),
        )
    return _SYNC_CHANGES


def _refresh_conflict_flag(order_sn: str) -> None:
    database.execute_sql(
        'UPDATE "order" SET has_conflict = EXISTS (SELECT 1 FROM '
        "sync_conflict c WHERE c.entity_type = 'order' "
        "AND c.entity_remote_id = ? AND c.resolved_at IS NULL) WHERE order_sn = ?",
        (order_sn, order_sn),
    )


@dataclass(frozen=True)
class ConflictRow:
    """A field where the user's change and the platform disagree."""

    id: int
    entity_type: str
    entity_remote_id: str
    field: str
    field_label: str
    base_value: str | None
    local_value: str | None
    remote_value: str | None
    detected_at: int
    entity_label: str = ""  #: the order number, or a goods name and spec


FIELD_LABELS = {"seller_memo": "商家备注/旗帜", "stock": "库存", "price": "价格"}


def list_conflicts(*, include_resolved: bool = False) -> list[ConflictRow]:
    """Conflicts, newest first (unresolved only unless asked)."""
    where = "" if include_resolved else "WHERE resolved_at IS NULL"
    rows = database.execute_sql(
        "SELECT id, entity_type, entity_remote_id, field, base_value, local_value, remote_value, detected_at "
        f"FROM sync_conflict {where} ORDER BY id DESC"
    ).fetchall()
    labels = entity_labels((r[1], r[2]) for r in rows)
    return [
        ConflictRow(
            r[0], r[1], r[2], r[3], FIELD_LABELS.get(r[3], r[3]), *r[4:], labels.get((r[1], r[2]), r[2])
        )
        for r in rows
    ]


def resolve_conflict(*, conflict_id: int, resolution: str) -> Changes:
    """Resolve a conflict explicitly.

    ``keep_local``: send ours again with the platform's value as the new base.
    ``keep_remote``: take the platform's value locally and cancel ours.

    Raises:
        NotAllowed: unknown or resolved conflict, or an unknown resolution.
    """
    from pdd_desktop.domain.errors import NotAllowed

    if resolution not in ("keep_local", "keep_remote"):
        raise NotAllowed(f"未知的处理方式：{resolution}")
    now = clock.now()
    with write_transaction():
        row = database.execute_sql(
            "SELECT entity_type, entity_remote_id, field, op_id, resolved_at FROM sync_conflict WHERE id = ?",
            (conflict_id,),
        ).fetchone()
        if row is None or row[4] is not None:
            raise NotAllowed("该冲突不存在或已处理")
        entity_type, sn, field, op_id, _resolved = row
        op = _op_row(op_id) if op_id else None
        remote = {}
        if op is not None:
            try:
                remote = json.loads(op[6] or "{}").get("remote") or {}
            except ValueError:
                remote = {}
        if resolution == "keep_local":
            if op is not None and op[4] == rules.CONFLICT:
                if field == "seller_memo":
                    base = {"note": remote.get("note", ""), "tag": remote.get("tag")}
                elif field == "stock":
                    base = {"quantity": remote.get("value")}
                else:
                    value = remote.get("value") or [None, None]
                    base = {"group_price_fen": value[0], "single_price_fen": value[1]}
                database.execute_sql(
                    "UPDATE outbox SET state = 'pending', base_json = ?, "
                    "attempts = 0, next_attempt_at = NULL, "
                    "last_error = '保留本地：按平台当前值重新上传' WHERE op_id = ?",
                    (json.dumps(base, ensure_ascii=False), op_id),
                )
        else:
            if field == "seller_memo" and entity_type == "order":
                tag = remote.get("tag")
                database.execute_sql(
                    'UPDATE "order" SET seller_memo = ?, flag = ?, flag_name = ?, local_updated_at = ? '
                    "WHERE order_sn = ?",
                    (remote.get("note", ""), tag, remote.get("tag_name", "") if tag else "", now, sn),
                )
            if entity_type == "sku" and field in ("stock", "price") and "value" in remote:
                _take_remote_sku_value(int(sn), field, remote["value"], now)
            if op is not None and op[4] not in (rules.SUCCEEDED, rules.CANCELLED):
                database.execute_sql(
                    "UPDATE outbox SET state = 'cancelled', completed_at = ?, last_error = '保留平台的值' "
                    "WHERE op_id = ?",
                    (now, op_id),
                )
                if entity_type == "order":
                    database.execute_sql(
                        'UPDATE "order" SET pending_ops = MAX(0, pending_ops - 1) WHERE order_sn = ?', (sn,)
                    )
        database.execute_sql(
            "UPDATE sync_conflict SET resolution = ?, resolved_at = ? WHERE id = ?",
            (resolution, now, conflict_id),
        )
        if entity_type == "order":
            _refresh_conflict_flag(sn)
        database.execute_sql(
            "INSERT INTO audit_log (at, actor, action, entity_type, entity_id, detail_json, order_id) "
            "VALUES (?, 'user', 'resolve_conflict', ?, ?, ?, NULL)",
            (
                now,
                entity_type[:16],
                sn,
                json.dumps({"field": field, "resolution": resolution}, ensure_ascii=False),
            ),
        )
    return _SYNC_CHANGES | Changes(goods=entity_type == "sku")


def _take_remote_sku_value(sku_id: int, field: str, value, now: int) -> None:
    """keep_remote on a SKU: the platform's stock (logged as a movement) or prices, locally."""
    if field == "stock":
        row = database.execute_sql("SELECT stock FROM sku WHERE sku_id = ?", (sku_id,)).fetchone()
        if row is None or value is None or int(value) == row[0]:
            return
        database.execute_sql("UPDATE sku SET stock = ? WHERE sku_id = ?", (int(value), sku_id))
        database.execute_sql(
            "INSERT INTO stock_movement (sku_id, at, delta, stock_after, kind, note) "
            "VALUES (?, ?, ?, ?, 'sync', '冲突处理：保留平台库存')",
            (sku_id, now, int(value) - row[0], int(value)),
        )
        return
    group, single = [*value, None, None][:2] if isinstance(value, list | tuple) else (None, None)
    database.execute_sql(
        "UPDATE sku SET group_price_fen = COALESCE(?, group_price_fen), "
        "single_price_fen = COALESCE(?, single_price_fen) WHERE sku_id = ?",
        (group, single, sku_id),
    )


@dataclass(frozen=True)
class SyncLogRow:
    """One sync_run row for the sync log view.

    ``kind`` pull / push / sweep; ``stream`` couriers / goods / orders / after_sales ("" for push);
    ``outcome`` running / ok / failed / offline / auth_needed / rate_limited / cancelled / aborted;
    for a push, ``pages`` counts sends and ``upserted`` successes.
    """

    id: int
    kind: str
    stream: str
    stream_label: str
    started_at: int
    finished_at: int | None
    pages: int
    upserted: int
    skipped_stale: int
    errors: int
    outcome: str
    detail: str


def sync_log(limit: int = 100) -> list[SyncLogRow]:
    """The latest sync runs, newest first."""
    rows = database.execute_sql(
        "SELECT id, kind, stream, started_at, finished_at, pages, "
        "upserted, skipped_stale, errors, outcome, detail "
        "FROM sync_run ORDER BY id DESC LIMIT ?",
        (limit,),
    ).fetchall()
    return [
        SyncLogRow(r[0], r[1], r[2], STREAM_LABELS.get(r[2], "上传" if r[1] == "push" else r[2]), *r[3:])
        for r in rows
    ]
