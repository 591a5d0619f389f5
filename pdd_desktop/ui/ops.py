"""The UI's one way to run work off its thread: write ops, read ops and latest-only queries.

Every page, dialog and toolbar reaches the services through this module; nothing else in
``pdd_desktop.ui`` calls ``runner.submit``. Three tools:

- :class:`ReadOp` — a job on any lane (``db``, ``read``, ``io``) whose answer comes back to the
  UI thread. No failure handler means the app's error dialog (``runner.unhandled_error``).
- :class:`WriteOp` — a service write on the db lane. While it runs a form dialog is kept busy
  (OK and closing blocked, busy cursor); ``progress(title)`` adds a progress dialog with 取消
  for long work. On success the dialog closes, the returned :class:`Changes` go to every page
  through ``AppEvents.changes_applied`` (with the initiator), then the success callbacks run.
  On failure the dialog shows the reason and stays open; without a dialog or a handler the
  app's error dialog shows it.
- :class:`LatestQuery` — a query that only the newest run may answer: each ``run`` supersedes
  the ones before (their answers and errors are dropped, and they are skipped when they have
  not started yet).

Usage::

    op = WriteOp(self, lambda: goods.set_sku_stock(sku_id=sku_id, quantity=n, seen=seen))
    op.in_dialog(dlg).success(lambda changes: self._saved(changes)).run()
    ReadOp(self, lambda: orders.order_detail(order_id)).success(self._show_detail).run()
    self._list = LatestQuery(self)  # in __init__
    self._list.run(lambda: goods.goods_list(view=view, search=search), self._on_list)

The op finds its runner and event hub on ``owner`` or its Qt parents (a page's ``ctx``, or a
``runner`` attribute); dialogs created with a bare runner pass ``runner=`` (and ``publish=`` for
their own ``changes_applied`` signal) instead. Callbacks are skipped when ``owner`` was deleted
meanwhile. The work function takes no arguments, or the :class:`TaskContext` with
``with_task=True`` (progress and cancel).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, Protocol, TypeVar

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QApplication, QWidget

from pdd_desktop.common.changes import Changes
from pdd_desktop.common.task import Cancelled, TaskContext
from pdd_desktop.jobs.progress import ProgressPresenter
from pdd_desktop.jobs.runner import DB
from pdd_desktop.ui.dialogs.error import user_message

T = TypeVar("T")
OpT = TypeVar("OpT", bound="ReadOp")


class Runner(Protocol):
    """What the ops need of a job runner (:class:`JobRunner` or :class:`ImmediateRunner`)."""

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
        """Queue ``fn(task)`` on ``lane``."""
        ...


class BusyDialog(Protocol):
    """What :meth:`WriteOp.in_dialog` needs of a dialog (:class:`~pdd_desktop.ui.dialogs.form.FormDialog`)."""

    def set_busy(self, busy: bool) -> None:
        """Block OK and closing while the write runs."""
        ...

    def show_error(self, message: str) -> None:
        """Say why the write did not happen; the dialog stays open."""
        ...

    def accept(self) -> None:
        """Close with success."""
        ...


def find_runner(owner: QObject | None) -> Runner:
    """The job runner of ``owner``: its own ``ctx.runner`` or ``runner``, else its Qt parents'."""
    obj = owner
    while obj is not None:
        ctx = getattr(obj, "ctx", None)
        if ctx is not None and hasattr(ctx, "runner"):
            return ctx.runner
        runner = getattr(obj, "runner", None)
        if runner is not None and hasattr(runner, "submit"):
            return runner
        obj = obj.parent()
    raise LookupError(f"no job runner reachable from {owner!r}; pass runner=")


def find_events(owner: QObject | None) -> Any | None:
    """The app's event hub (``ctx.events``) of ``owner`` or its Qt parents, or None."""
    obj = owner
    while obj is not None:
        ctx = getattr(obj, "ctx", None)
        if ctx is not None and hasattr(ctx, "events"):
            return ctx.events
        obj = obj.parent()
    return None


def changes_of(result: Any) -> Changes | None:
    """The :class:`Changes` a service returned: the result itself, its ``changes``, or a tuple's part."""
    if isinstance(result, Changes):
        return result
    changes = getattr(result, "changes", None)
    if isinstance(changes, Changes):
        return changes
    if isinstance(result, tuple):
        return next((part for part in result if isinstance(part, Changes)), None)
    return None


class ReadOp(Generic[T]):
    """A job on a lane whose answer comes back to the UI thread; nothing is broadcast.

    Args:
        owner: the page, dialog or controller asking; its deletion drops the callbacks.
        fn: the work, run on the lane: ``fn()``, or ``fn(task)`` with ``with_task=True``.
        lane: ``db`` (default), ``read`` or ``io`` (see :mod:`pdd_desktop.jobs.runner`).
        with_task: pass the :class:`TaskContext` to ``fn`` (progress, cancel).
        runner: the job runner when ``owner`` cannot reach one (see :func:`find_runner`).
    """

    def __init__(
        self,
        owner: QObject,
        fn: Callable[..., T],
        *,
        lane: str = DB,
        with_task: bool = False,
        runner: Runner | None = None,
    ) -> None:
        self.owner = owner
        self.fn = fn
        self.lane = lane
        self.with_task = with_task
        #: The task the work reports to; ``task.cancel()`` asks it to stop.
        self.task = TaskContext()
        self._runner = runner
        self._on_success: list[Callable[[T], None]] = []
        self._on_failure: list[Callable[[BaseException], None]] = []
        self._progress: str | None = None
        self._presenter: ProgressPresenter | None = None

    def success(self: OpT, callback: Callable[[Any], None]) -> OpT:
        """Call ``callback(result)`` on the UI thread when the work succeeded (in the order added)."""
        self._on_success.append(callback)
        return self

    def failure(self: OpT, callback: Callable[[BaseException], None]) -> OpT:
        """Call ``callback(exc)`` on the UI thread when the work raised (also for ``Cancelled``)."""
        self._on_failure.append(callback)
        return self

    def progress(self: OpT, title: str) -> OpT:
        """Busy cursor at once, then a progress dialog titled ``title`` with 取消 while it lasts."""
        self._progress = title
        return self

    def run(self) -> TaskContext:
        """Submit the work; returns its task (progress and cancel)."""
        runner = self._runner or find_runner(self.owner)
        if self._progress is not None:
            parent = self.owner if isinstance(self.owner, QWidget) else _widget_of(self.owner)
            self._presenter = ProgressPresenter(self.task, parent, self._progress)
        self._started()
        fn, with_task = self.fn, self.with_task
        handles_failure = bool(self._on_failure) or self._handles_failure()
        return runner.submit(
            (lambda task: fn(task)) if with_task else (lambda _task: fn()),
            lane=self.lane,
            task=self.task,
            on_success=self._succeeded,
            on_failure=self._failed if handles_failure else self._unhandled(runner),
            owner=self.owner,
        )

    # --- hooks for WriteOp ---
    def _started(self) -> None:
        """Just before the work is submitted."""

    def _handles_failure(self) -> bool:
        """Whether a failure is handled even without a failure callback."""
        return False

    def _finished(self) -> None:
        """The work ended (either way): close the progress dialog."""
        if self._presenter is not None:
            self._presenter.finish()
            self._presenter = None

    def _succeeded(self, result: T) -> None:
        self._finished()
        for callback in self._on_success:
            callback(result)

    def _failed(self, exc: BaseException) -> None:
        self._finished()
        for callback in self._on_failure:
            callback(exc)

    def _unhandled(self, runner: Runner) -> Callable[[BaseException], None] | None:
        """Without handlers the runner reports the error (the app's error dialog), as always."""
        if self._progress is None:
            return None

        def report(exc: BaseException) -> None:
            self._finished()
            if not isinstance(exc, Cancelled):
                runner.unhandled_error.emit(exc)  # type: ignore[attr-defined]

        return report


class WriteOp(ReadOp[T]):
    """A service write on the db lane: busy dialog, progress, error display, Changes broadcast.

    On success, in this order: the dialog leaves its busy state and closes, the
    :meth:`before_broadcast` callbacks run, the result's :class:`Changes` (see :func:`changes_of`)
    go out when any area changed, then the :meth:`success` callbacks run. On failure the dialog
    leaves its busy state and shows :func:`user_message` of the error, then the :meth:`failure`
    callbacks run; with neither, the app's error dialog shows it.

    Args:
        owner: the page or controller asking, also the broadcast's initiator unless ``initiator``.
        fn: the service call: ``fn()``, or ``fn(task)`` with ``with_task=True``.
        with_task: pass the :class:`TaskContext` to ``fn`` (progress, cancel).
        runner: the job runner when ``owner`` cannot reach one.
        publish: where the Changes go instead of ``AppEvents.changes_applied`` (a dialog's own signal).
        initiator: the object named as the broadcast's initiator (default ``owner``).
    """

    def __init__(
        self,
        owner: QObject,
        fn: Callable[..., T],
        *,
        with_task: bool = False,
        runner: Runner | None = None,
        publish: Callable[[Changes], None] | None = None,
        initiator: object = None,
    ) -> None:
        super().__init__(owner, fn, lane=DB, with_task=with_task, runner=runner)
        self._publish = publish
        self._initiator = owner if initiator is None else initiator
        self._dialog: BusyDialog | None = None
        self._before: list[Callable[[T], None]] = []
        self._cursor = False

    def in_dialog(self, dialog: BusyDialog) -> WriteOp[T]:
        """The form that asked for the write: busy while it runs, closed on success, error shown."""
        self._dialog = dialog
        return self

    def before_broadcast(self, callback: Callable[[Any], None]) -> WriteOp[T]:
        """Call ``callback(result)`` after the dialog closed but before the Changes go out."""
        self._before.append(callback)
        return self

    def broadcast(self, changes: Changes) -> None:
        """Tell every page what changed (``changes_applied``, with the initiator)."""
        if not changes.any():
            return
        if self._publish is not None:
            self._publish(changes)
            return
        events = find_events(self.owner)
        if events is not None:
            events.changes_applied.emit(changes, self._initiator)

    def _started(self) -> None:
        if self._dialog is not None:
            self._dialog.set_busy(True)
            if self._progress is None:  # the presenter sets its own busy cursor
                QApplication.setOverrideCursor(Qt.CursorShape.BusyCursor)
                self._cursor = True

    def _handles_failure(self) -> bool:
        return self._dialog is not None

    def _finished(self) -> None:
        super()._finished()
        if self._cursor:
            self._cursor = False
            QApplication.restoreOverrideCursor()
        if self._dialog is not None:
            self._dialog.set_busy(False)

    def _succeeded(self, result: T) -> None:
        self._finished()
        if self._dialog is not None:
            self._dialog.accept()
        for callback in self._before:
            callback(result)
        changes = changes_of(result)
        if changes is not None:
            self.broadcast(changes)
        for callback in self._on_success:
            callback(result)

    def _failed(self, exc: BaseException) -> None:
        self._finished()
        if self._dialog is not None:
            self._dialog.show_error(user_message(exc))
        for callback in self._on_failure:
            callback(exc)


class LatestQuery:
    """Runs a query so that only the newest run answers: older answers and errors are dropped.

    A run superseded before it starts is skipped on its lane. :meth:`follow` continues the
    current run with a next step (counts after the first screen) under the same run.

    Args:
        owner: the page or view asking; its deletion drops the callbacks.
        lane: the lane of its queries (``db`` by default).
        runner: the job runner when ``owner`` cannot reach one.
    """

    def __init__(self, owner: QObject, *, lane: str = DB, runner: Runner | None = None) -> None:
        self.owner = owner
        self.lane = lane
        self._runner = runner
        self._generation = 0

    @property
    def generation(self) -> int:
        """The number of the newest run."""
        return self._generation

    def is_current(self, generation: int) -> bool:
        """Whether ``generation`` is still the newest run."""
        return generation == self._generation

    def supersede(self) -> None:
        """Drop whatever is under way (its answer will be ignored)."""
        self._generation += 1

    def run(
        self,
        fn: Callable[..., T],
        on_done: Callable[[T], None],
        on_error: Callable[[BaseException], None] | None = None,
        *,
        progress: str | None = None,
    ) -> int:
        """Start a new run (superseding the older ones); returns its generation.

        Args:
            fn: the query, run on the lane; ``fn(task)`` when ``progress`` is given.
            on_done: gets the answer on the UI thread, unless a newer run started meanwhile.
            on_error: gets the error likewise; None leaves it to the app's error dialog.
            progress: a query that can take seconds: busy cursor at once, then a progress
                dialog with this title and 取消 (:meth:`ReadOp.progress`); ``fn`` reports to its
                task and a cancelled run answers :class:`Cancelled`.
        """
        self._generation += 1
        return self._submit(self._generation, fn, on_done, on_error, progress)

    def follow(
        self,
        fn: Callable[[], T],
        on_done: Callable[[T], None],
        on_error: Callable[[BaseException], None] | None = None,
    ) -> int:
        """A next step of the current run (call it from a callback of that run)."""
        return self._submit(self._generation, fn, on_done, on_error)

    def _submit(self, generation: int, fn, on_done, on_error, progress: str | None = None) -> int:
        runner = self._runner or find_runner(self.owner)

        def job(task: TaskContext):
            if generation != self._generation:
                return None
            if progress is None:
                return (fn(),)
            answer = fn(task)
            task.raise_if_cancelled()  # 取消 pressed while the last step ran: no answer
            return (answer,)

        def delivered(result) -> None:
            if result is not None and generation == self._generation:
                on_done(result[0])

        def failed(exc: BaseException) -> None:
            if generation != self._generation:
                return  # a superseded run's error is as stale as its answer
            if on_error is not None:
                on_error(exc)
            elif not isinstance(exc, Cancelled):
                runner.unhandled_error.emit(exc)  # type: ignore[attr-defined]

        op = ReadOp(self.owner, job, lane=self.lane, with_task=True, runner=runner)
        if progress is not None:
            op.progress(progress)
        op.success(delivered).failure(failed).run()
        return generation


def _widget_of(obj: QObject | None) -> QWidget | None:
    """The nearest widget among ``obj`` and its Qt parents (a progress dialog's parent)."""
    while obj is not None and not isinstance(obj, QWidget):
        obj = obj.parent()
    return obj
