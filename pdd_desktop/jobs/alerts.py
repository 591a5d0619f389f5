"""When the alert rules run: after every change the app reacts to, and on a timer.

Every write in the app ends in ``AppEvents.changes_applied`` (a page's action, an import, the
folder watch, a finished sync, a restore), so the watcher listens there, waits a moment for
the burst to settle (a sync applies many pages) and evaluates every rule on the db lane; the
timer catches what moves with the clock alone (a deadline coming near, a sync that stopped).
One evaluation at a time: a change arriving meanwhile asks for one more afterwards.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal

from pdd_desktop.common.changes import Changes
from pdd_desktop.jobs.events import AppEvents
from pdd_desktop.jobs.runner import DB
from pdd_desktop.services import alerts

log = logging.getLogger(__name__)

#: Every minute: deadlines come near by the clock alone.
INTERVAL_MS = 60_000
#: After a change, wait this long for more (a sync's pages, a batch ship) before evaluating.
SETTLE_MS = 1_500
#: Changes that can make or end a cause (messages and the alerts' own changes cannot).
TRIGGERS = ("orders", "shipments", "after_sales", "goods", "funds", "marketing", "cs", "settings", "sync")


class AlertsWatcher(QObject):
    """Runs :func:`services.alerts.evaluate` off the UI thread and reports what it found.

    ``evaluate`` replaces the service in tests; ``runner`` is a ``JobRunner`` (or the tests'
    ``ImmediateRunner``).
    """

    #: High-severity alerts that just opened (a tuple of ``AlertRow``): notify once.
    notify_requested = Signal(object)
    #: An evaluation finished (the ``Evaluation``).
    evaluated = Signal(object)

    def __init__(
        self,
        runner,
        events: AppEvents,
        *,
        evaluate: Callable[[], alerts.Evaluation] | None = None,
        interval_ms: int = INTERVAL_MS,
        settle_ms: int = SETTLE_MS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self._events = events
        self._evaluate = evaluate or (lambda: alerts.evaluate())
        self._running = False
        self._again = False
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(settle_ms)
        self._settle.timeout.connect(self.evaluate_now)
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.evaluate_now)
        events.changes_applied.connect(self._on_changes)

    def start(self) -> None:
        """Evaluate now and then on the timer."""
        self._timer.start()
        self.evaluate_now()

    def stop(self) -> None:
        """No more evaluations (the app is closing)."""
        self._timer.stop()
        self._settle.stop()

    def _on_changes(self, changes: Changes, initiator: object) -> None:
        if initiator is self or not any(getattr(changes, flag, False) for flag in TRIGGERS):
            return
        if self._timer.isActive():
            self._settle.start()

    def evaluate_now(self) -> None:
        """Evaluate on the db lane (or once more right after the evaluation running now)."""
        self._settle.stop()
        if self._running:
            self._again = True
            return
        self._running = True
        self._runner.submit(
            lambda _task: self._evaluate(),
            lane=DB,
            on_success=self._done,
            on_failure=self._failed,
            owner=self,
        )

    def _done(self, evaluation: alerts.Evaluation) -> None:
        self._running = False
        if evaluation.changes.any():
            self._events.changes_applied.emit(evaluation.changes, self)
        if evaluation.notify:
            self.notify_requested.emit(evaluation.notify)
        self.evaluated.emit(evaluation)
        self._continue()

    def _failed(self, exc: BaseException) -> None:
        self._running = False
        log.error("alert evaluation failed", exc_info=exc)
        self._continue()

    def _continue(self) -> None:
        if self._again:
            self._again = False
            self._settle.start()
