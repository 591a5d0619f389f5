"""Background work for the UI on four lanes (db, read, sync, io), results back on the UI thread.

The UI submits through :mod:`pdd_desktop.ui.ops` (write ops, read ops, latest-only queries),
never calling :meth:`JobRunner.submit` itself. Threading contract:
- ``db`` lane: a single worker thread runs every database job in submission order, so SQLite
  sees one writer and jobs never interleave (Anki's collection executor). Peewee gives that
  thread its own connection.
- ``read`` lane: one worker for short reads the UI waits for while painting (row blocks of a
  big table). WAL lets it read while the db lane writes, so a batch ship never freezes the
  table's rows; it never writes.
- ``sync`` lane: one worker that waits on the sync worker process (``sync_process``), which
  does the network calls and short write transactions; a slow platform never holds up the db
  lane, and the interpreter lock stays with the UI.
- ``io`` lane: a few workers for network and PDF rendering; no database access there.
- Callbacks (``on_success`` / ``on_failure``) run on the UI thread through a queued signal, and
  are skipped when their ``owner`` widget was deleted meanwhile.
- Work reports progress through a :class:`~pdd_desktop.common.task.TaskContext` it is given;
  it never touches Qt.
"""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, Qt, Signal, Slot

from pdd_desktop.common.task import Cancelled, TaskContext

log = logging.getLogger(__name__)

#: How often a busy worker thread hands the interpreter lock over (Python's default is 5 ms).
SWITCH_INTERVAL_S = 0.002


def tune_interpreter() -> None:
    """Let the UI thread get the interpreter lock sooner while workers are busy (call once at start)."""
    sys.setswitchinterval(SWITCH_INTERVAL_S)


DB = "db"
READ = "read"
SYNC = "sync"
IO = "io"


@dataclass
class Job:
    """One submitted unit of work and where its result goes."""

    fn: Callable[[TaskContext], Any]
    task: TaskContext
    on_success: Callable[[Any], None] | None
    on_failure: Callable[[BaseException], None] | None
    owner: QObject | None
    result: Any = None
    error: BaseException | None = None


class JobRunner(QObject):
    """Runs callables off the UI thread and delivers results back to it."""

    _job_done = Signal(object)
    #: Emitted on the UI thread when any job fails and has no ``on_failure`` of its own.
    unhandled_error = Signal(object)
    #: Number of jobs queued or running changed (status-bar busy indicator).
    busy_changed = Signal(int)

    def __init__(self, parent: QObject | None = None, *, io_workers: int = 3) -> None:
        super().__init__(parent)
        self._lanes = {
            DB: ThreadPoolExecutor(max_workers=1, thread_name_prefix="db"),
            READ: ThreadPoolExecutor(max_workers=1, thread_name_prefix="read"),
            SYNC: ThreadPoolExecutor(max_workers=1, thread_name_prefix="sync"),
            IO: ThreadPoolExecutor(max_workers=io_workers, thread_name_prefix="io"),
        }
        self._active = 0
        self._closed = False
        self._lock = threading.Lock()
        self._job_done.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    def submit(
        self,
        fn: Callable[[TaskContext], Any],
        *,
        lane: str = DB,
        task: TaskContext | None = None,
        on_success: Callable[[Any], None] | None = None,
        on_failure: Callable[[BaseException], None] | None = None,
        owner: QObject | None = None,
    ) -> TaskContext:
        """Queue ``fn(task)`` on ``lane``; returns the task so the caller can show progress or cancel."""
        task = task or TaskContext()
        job = Job(fn, task, on_success, on_failure, owner)
        with self._lock:
            if self._closed:
                # The app is closing: a timer or a late signal asking for work gets none (the
                # task says cancelled; no callback runs), instead of an error at exit.
                task.cancel()
                return task
            self._active += 1
            active = self._active
        self.busy_changed.emit(active)
        future: Future = self._lanes[lane].submit(self._run, job)
        future.add_done_callback(lambda _f: None)
        return task

    def _run(self, job: Job) -> None:
        try:
            job.result = job.fn(job.task)
        except BaseException as exc:  # delivered to the UI thread, never lost
            job.error = exc
        self._job_done.emit(job)

    @Slot(object)
    def _deliver(self, job: Job) -> None:
        with self._lock:
            self._active -= 1
            active = self._active
        self.busy_changed.emit(active)
        if job.owner is not None and not shiboken6.isValid(job.owner):
            return
        if job.error is None:
            if job.on_success is not None:
                job.on_success(job.result)
        elif job.on_failure is not None:
            job.on_failure(job.error)
        elif not isinstance(job.error, Cancelled):
            log.error("job failed", exc_info=job.error)
            self.unhandled_error.emit(job.error)

    def shutdown(self, wait: bool = True) -> None:
        """Stop accepting work; by default wait for running jobs (a write must finish)."""
        with self._lock:
            self._closed = True
        for lane in self._lanes.values():
            lane.shutdown(wait=wait, cancel_futures=True)


class ImmediateRunner(QObject):
    """Runs jobs inline on the calling thread: for tests that need no threads."""

    unhandled_error = Signal(object)
    busy_changed = Signal(int)

    def submit(
        self,
        fn: Callable[[TaskContext], Any],
        *,
        lane: str = DB,
        task: TaskContext | None = None,
        on_success: Callable[[Any], None] | None = None,
        on_failure: Callable[[BaseException], None] | None = None,
        owner: QObject | None = None,
    ) -> TaskContext:
        """Run ``fn(task)`` now and call the callback."""
        task = task or TaskContext()
        try:
            result = fn(task)
        except BaseException as exc:
            if on_failure is not None:
                on_failure(exc)
            elif not isinstance(exc, Cancelled):
                self.unhandled_error.emit(exc)
            return task
        if on_success is not None:
            on_success(result)
        return task

    def shutdown(self, wait: bool = True) -> None:
        """Nothing to stop."""
