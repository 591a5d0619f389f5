"""JobRunner: work runs off the UI thread, results come back on it, dead owners get nothing."""

from __future__ import annotations

import threading

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton, QWidget

from pdd_desktop.common.task import Cancelled, TaskContext
from pdd_desktop.jobs.progress import ProgressPresenter
from pdd_desktop.jobs.runner import IO, JobRunner


def test_result_is_delivered_on_the_ui_thread(qtbot):
    runner = JobRunner()
    main = threading.get_ident()
    seen = {}

    def work(task):
        seen["worker"] = threading.get_ident()
        return 42

    runner.submit(work, on_success=lambda r: seen.update(result=r, callback=threading.get_ident()))
    qtbot.waitUntil(lambda: "result" in seen, timeout=5000)
    assert seen["result"] == 42 and seen["callback"] == main and seen["worker"] != main
    runner.shutdown()


def test_db_lane_runs_jobs_in_order_one_at_a_time(qtbot):
    runner = JobRunner()
    order, active, peak = [], [0], [0]
    lock = threading.Lock()

    def work(i):
        def run(_task):
            with lock:
                active[0] += 1
                peak[0] = max(peak[0], active[0])
            order.append(i)
            with lock:
                active[0] -= 1

        return run

    for i in range(20):
        runner.submit(work(i))
    qtbot.waitUntil(lambda: len(order) == 20, timeout=5000)
    assert order == list(range(20)) and peak[0] == 1
    runner.shutdown()


def test_failure_goes_to_on_failure_or_unhandled_error(qtbot):
    runner = JobRunner()
    got = {}
    runner.submit(lambda t: 1 / 0, lane=IO, on_failure=lambda e: got.setdefault("handled", e))
    with qtbot.waitSignal(runner.unhandled_error, timeout=5000) as blocker:
        runner.submit(lambda t: {}["missing"])
    assert isinstance(got["handled"], ZeroDivisionError)
    assert isinstance(blocker.args[0], KeyError)
    runner.shutdown()


def test_callback_skipped_when_owner_was_deleted(qtbot):
    runner = JobRunner()
    owner = QWidget()
    gate = threading.Event()
    called = []
    runner.submit(lambda t: gate.wait(5), on_success=called.append, owner=owner)
    owner.deleteLater()
    qtbot.wait(50)
    gate.set()
    qtbot.waitUntil(lambda: runner._active == 0, timeout=5000)
    assert called == []
    runner.shutdown()


def test_progress_dialog_appears_for_long_work_and_cancel_stops_it(qtbot):
    runner = JobRunner()
    parent = QWidget()
    qtbot.addWidget(parent)
    task = TaskContext()
    outcome = {}

    def long_work(t: TaskContext):
        for i in range(1000):
            t.report(i, 1000, "处理中")
            t.raise_if_cancelled()
            threading.Event().wait(0.01)
        return "finished"

    presenter = ProgressPresenter(task, parent, "测试任务")
    runner.submit(
        long_work, task=task, on_success=outcome.setdefault, on_failure=lambda e: outcome.update(err=e)
    )
    qtbot.waitUntil(lambda: presenter.dialog is not None, timeout=3000)
    qtbot.waitUntil(lambda: presenter.dialog.value() > 0, timeout=3000)
    assert "处理中" in presenter.dialog.labelText()
    cancel = presenter.dialog.findChild(QPushButton)
    assert cancel.text() == "取消"
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "err" in outcome, timeout=3000)
    assert isinstance(outcome["err"], Cancelled)
    presenter.finish()
    assert presenter.dialog is None
    runner.shutdown()


def test_work_asked_for_after_shutdown_is_dropped_quietly(qtbot):
    """A timer firing while the app closes must not raise (it did: "cannot schedule new futures")."""
    runner = JobRunner()
    runner.shutdown()
    ran, answered = [], []
    task = runner.submit(lambda t: ran.append(1), on_success=answered.append, on_failure=answered.append)
    qtbot.wait(50)
    assert task.cancel_requested and ran == [] and answered == []
