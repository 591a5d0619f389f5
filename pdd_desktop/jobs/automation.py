"""When the automation rules run: after every sync run and on a timer, on the db lane.

The rules themselves are ``services.automation.run_rules`` (passed in as ``run``, so this module
needs no database). A run that took actions broadcasts its ``Changes``; when it queued work for
the platform it asks for a sync, so the ops go out at once instead of at the next interval.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal

from pdd_desktop.jobs.events import AppEvents
from pdd_desktop.jobs.runner import DB

log = logging.getLogger(__name__)

#: How often the rules run without a sync (the timed print batches are checked as often).
INTERVAL_MS = 5 * 60 * 1000


class AutomationScheduler(QObject):
    """Runs ``run()`` (returns a ``RunReport``-like object with ``changes`` and ``outcomes``).

    One run at a time: a request while one runs is remembered and runs once after it.
    """

    #: A run finished (its report).
    ran = Signal(object)

    def __init__(
        self,
        runner,
        events: AppEvents,
        run: Callable[[], object],
        *,
        interval_ms: int = INTERVAL_MS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self._events = events
        self._run = run
        self._busy = False
        self._again = False
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.run_now)

    def start(self) -> None:
        """Run on the timer from now on."""
        self._timer.start()

    def stop(self) -> None:
        """No more runs (a running one finishes)."""
        self._timer.stop()
        self._again = False

    def after_sync(self, _report: object = None) -> None:
        """A sync run finished: run the rules over what it brought."""
        self.run_now()

    def run_now(self) -> None:
        """Run the rules now (or once more after the run under way)."""
        if self._busy:
            self._again = True
            return
        self._busy = True
        self._runner.submit(
            lambda _t: self._run(), lane=DB, on_success=self._done, on_failure=self._failed, owner=self
        )

    def _done(self, report: object) -> None:
        self._finish()
        changes = getattr(report, "changes", None)
        if changes is not None and changes.any():
            self._events.changes_applied.emit(changes, self)
            if changes.orders or changes.after_sales:
                self._events.sync_requested.emit()  # the ops a rule queued go out now
        self.ran.emit(report)

    def _failed(self, exc: BaseException) -> None:
        log.error("automation run failed: %s", exc, exc_info=exc)
        self._finish()

    def _finish(self) -> None:
        self._busy = False
        if self._again:
            self._again = False
            QTimer.singleShot(0, self.run_now)
