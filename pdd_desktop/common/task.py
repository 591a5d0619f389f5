"""Progress and cancellation for long work, shared by every layer without Qt.

A worker calls :meth:`TaskContext.report` as it goes and :meth:`TaskContext.raise_if_cancelled`
between units of work. The UI polls :meth:`TaskContext.snapshot` on a timer (about every 100 ms),
so a tight loop that reports a million times costs only a lock and three assignments each time.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass


class Cancelled(Exception):
    """Raised inside a worker when the user pressed Cancel; the work rolls back."""


@dataclass(frozen=True)
class Progress:
    """One reading of a task's progress."""

    done: int
    total: int
    label: str
    cancel_requested: bool

    @property
    def fraction(self) -> float | None:
        """Share done in 0..1, or None when the total is unknown."""
        if self.total <= 0:
            return None
        return min(1.0, self.done / self.total)


class TaskContext:
    """Latest progress of one task plus its cancel flag; safe across threads."""

    def __init__(self, label: str = "") -> None:
        self._lock = threading.Lock()
        self._done = 0
        self._total = 0
        self._label = label
        self._cancel = threading.Event()

    def report(self, done: int, total: int | None = None, label: str | None = None) -> None:
        """Record progress; cheap enough to call for every row."""
        with self._lock:
            self._done = done
            if total is not None:
                self._total = total
            if label is not None:
                self._label = label

    def cancel(self) -> None:
        """Ask the task to stop at its next check."""
        self._cancel.set()

    @property
    def cancel_requested(self) -> bool:
        """Whether cancel was asked for."""
        return self._cancel.is_set()

    def raise_if_cancelled(self) -> None:
        """Raise :class:`Cancelled` when the user asked to stop."""
        if self._cancel.is_set():
            raise Cancelled()

    def snapshot(self) -> Progress:
        """The latest progress, for the UI poller."""
        with self._lock:
            return Progress(self._done, self._total, self._label, self._cancel.is_set())


class NullTask(TaskContext):
    """A context for callers that do not watch progress (CLI, tests)."""
