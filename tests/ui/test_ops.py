"""ui/ops: write ops (busy dialog, errors, Changes broadcast), read ops, latest-only queries, cancel."""

from __future__ import annotations

import threading
from types import SimpleNamespace

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QProgressDialog, QPushButton, QWidget

from pdd_desktop.common.changes import Changes
from pdd_desktop.common.task import Cancelled, TaskContext
from pdd_desktop.domain.errors import ValidationError
from pdd_desktop.jobs.events import AppEvents
from pdd_desktop.jobs.runner import IO, ImmediateRunner, JobRunner
from pdd_desktop.ui.dialogs.form import FormDialog
from pdd_desktop.ui.ops import LatestQuery, ReadOp, WriteOp, changes_of


class Owner(QWidget):
    """A page stand-in: ops find ``ctx.runner`` and ``ctx.events`` on it."""

    def __init__(self, runner) -> None:
        super().__init__()
        self.ctx = SimpleNamespace(runner=runner, events=AppEvents())
        self.broadcasts: list[tuple[Changes, object]] = []
        self.ctx.events.changes_applied.connect(lambda c, who: self.broadcasts.append((c, who)))


class DeferredRunner(ImmediateRunner):
    """Keeps submitted jobs; the test runs the work and delivers the answers when it likes."""

    def __init__(self) -> None:
        super().__init__()
        self.jobs: list[dict] = []

    def submit(self, fn, *, lane="db", task=None, on_success=None, on_failure=None, owner=None):
        task = task or TaskContext()
        self.jobs.append(dict(fn=fn, task=task, ok=on_success, failed=on_failure, done=False))
        return task

    def execute(self, i: int) -> None:
        job = self.jobs[i]
        try:
            job["result"], job["error"] = job["fn"](job["task"]), None
        except Exception as exc:  # delivered later, like the real runner
            job["result"], job["error"] = None, exc

    def deliver(self, i: int) -> None:
        job = self.jobs[i]
        if job["error"] is None:
            job["ok"] and job["ok"](job["result"])
        elif job["failed"] is not None:
            job["failed"](job["error"])
        else:
            self.unhandled_error.emit(job["error"])


@pytest.fixture
def owner(qtbot):
    widget = Owner(ImmediateRunner())
    qtbot.addWidget(widget)
    return widget


@pytest.fixture
def dialog(qtbot, owner):
    dlg = FormDialog("测试", "保存", owner)
    dlg.finish_layout()
    dlg.open()
    return dlg


def test_write_op_keeps_the_dialog_busy_then_closes_it_and_broadcasts(owner, dialog):
    seen = {}
    order: list[str] = []

    def write() -> Changes:
        seen["busy"] = not dialog.ok_button.isEnabled() and not dialog.cancel_button.isEnabled()
        seen["cursor"] = QApplication.overrideCursor() is not None
        dialog.reject()  # closing is blocked while the write runs
        seen["still_open"] = dialog.isVisible()
        return Changes(goods=True)

    op = WriteOp(owner, write).in_dialog(dialog)
    op.before_broadcast(lambda c: order.append(f"before:{bool(owner.broadcasts)}"))
    op.success(lambda c: order.append(f"success:{bool(owner.broadcasts)}")).run()
    assert seen == {"busy": True, "cursor": True, "still_open": True}
    assert dialog.result() == QDialog.DialogCode.Accepted and not dialog.isVisible()
    assert owner.broadcasts == [(Changes(goods=True), owner)]
    assert order == ["before:False", "success:True"]
    assert QApplication.overrideCursor() is None and dialog.ok_button.isEnabled()


def test_write_op_error_stays_in_the_dialog_and_nothing_is_broadcast(owner, dialog):
    failures = []

    def write() -> Changes:
        raise ValidationError("库存", "不能小于 0")

    WriteOp(owner, write).in_dialog(dialog).failure(failures.append).run()
    assert dialog.isVisible() and dialog.error_label.text() == "库存：不能小于 0"
    assert dialog.ok_button.isEnabled() and dialog.cancel_button.isEnabled()
    assert [str(e) for e in failures] == ["库存：不能小于 0"] and owner.broadcasts == []
    assert QApplication.overrideCursor() is None


def test_write_op_without_a_handler_goes_to_the_apps_error_dialog(qtbot, owner):
    with qtbot.waitSignal(owner.ctx.runner.unhandled_error, timeout=1000) as blocker:
        WriteOp(owner, lambda: 1 / 0).run()
    assert isinstance(blocker.args[0], ZeroDivisionError)


def test_write_op_broadcast_names_the_initiator_and_skips_empty_changes(owner):
    other = object()
    WriteOp(owner, lambda: ("info", Changes(orders=True)), initiator=other).run()
    WriteOp(owner, lambda: Changes()).run()
    assert owner.broadcasts == [(Changes(orders=True), other)]
    published = []
    WriteOp(owner, lambda: Changes(sync=True), publish=published.append).run()
    assert published == [Changes(sync=True)] and len(owner.broadcasts) == 1


def test_changes_of_finds_them_in_results():
    c = Changes(shipments=True)
    assert changes_of(c) is c
    assert changes_of(SimpleNamespace(changes=c)) is c
    assert changes_of((1, c)) is c and changes_of((c, 1)) is c
    assert changes_of(42) is None


def test_read_op_runs_on_its_lane_and_answers_on_the_ui_thread(qtbot):
    runner = JobRunner()
    owner = Owner(runner)
    qtbot.addWidget(owner)
    main = threading.get_ident()
    seen = {}
    ReadOp(owner, lambda: threading.current_thread().name, lane=IO).success(
        lambda name: seen.update(name=name, thread=threading.get_ident())
    ).run()
    qtbot.waitUntil(lambda: "name" in seen, timeout=5000)
    assert seen["name"].startswith("io") and seen["thread"] == main
    runner.shutdown()


def test_latest_query_drops_a_superseded_answer(qtbot):
    runner = DeferredRunner()
    owner = Owner(runner)
    qtbot.addWidget(owner)
    query = LatestQuery(owner)
    answers, errors, calls = [], [], []

    def work(name):
        def fn():
            calls.append(name)
            if name == "bad":
                raise ValueError(name)
            return name

        return fn

    query.run(work("old"), answers.append, errors.append)
    runner.execute(0)  # the old query ran already...
    query.run(work("skipped"), answers.append, errors.append)
    query.run(work("bad"), answers.append, errors.append)
    query.run(work("new"), answers.append, errors.append)
    for i in range(1, 4):
        runner.execute(i)
    for i in range(4):
        runner.deliver(i)
    assert answers == ["new"] and errors == []  # ...but only the newest answers
    assert calls == ["old", "new"]  # superseded runs never started their work

    query.follow(work("next step"), answers.append)
    runner.execute(4)
    runner.deliver(4)
    assert answers == ["new", "next step"]


def test_latest_query_reports_the_current_error(owner):
    errors = []
    LatestQuery(owner).run(lambda: 1 / 0, lambda _r: None, errors.append)
    assert len(errors) == 1 and isinstance(errors[0], ZeroDivisionError)


def test_latest_query_without_a_handler_reports_only_the_current_error(qtbot):
    runner = DeferredRunner()
    owner = Owner(runner)
    qtbot.addWidget(owner)
    shown = []
    runner.unhandled_error.connect(shown.append)
    query = LatestQuery(owner)

    def boom(text):
        def fn():
            raise ValueError(text)

        return fn

    query.run(boom("old"), lambda _r: None)
    runner.execute(0)
    query.run(boom("new"), lambda _r: None)
    runner.execute(1)
    runner.deliver(0)
    runner.deliver(1)
    assert [str(e) for e in shown] == ["new"]  # the superseded run's error is dropped too


def test_long_write_shows_progress_and_can_be_cancelled(qtbot):
    runner = JobRunner()
    owner = Owner(runner)
    qtbot.addWidget(owner)
    owner.show()
    dialog = FormDialog("测试", "保存", owner)
    dialog.finish_layout()
    dialog.open()
    failed = []

    def slow(task: TaskContext) -> Changes:
        for _ in range(1000):  # up to 10 s
            task.report(1, 3, "正在保存")
            task.raise_if_cancelled()
            threading.Event().wait(0.01)
        return Changes(goods=True)

    WriteOp(owner, slow, with_task=True).in_dialog(dialog).progress("保存").failure(failed.append).run()
    assert not dialog.ok_button.isEnabled()

    def progress_dialog():
        found = [d for d in owner.findChildren(QProgressDialog) if d.isVisible()]
        return found[0] if found else None

    qtbot.waitUntil(lambda: progress_dialog() is not None, timeout=5000)
    (cancel,) = progress_dialog().findChildren(QPushButton)
    assert cancel.text() == "取消"
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(failed), timeout=5000)
    assert isinstance(failed[0], Cancelled) and owner.broadcasts == []
    assert dialog.isVisible() and dialog.ok_button.isEnabled() and progress_dialog() is None
    assert QApplication.overrideCursor() is None
    runner.shutdown()
