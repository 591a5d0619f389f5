"""Sync in its worker process: build, run, progress, cancel, a killed worker, an offline ship."""

from __future__ import annotations

import os
import signal
import sqlite3
import threading
import time

import pytest

from pdd_desktop.common.task import Cancelled, TaskContext
from pdd_desktop.data.db import database
from pdd_desktop.services import shipping
from pdd_desktop.services.settings import update_settings
from pdd_desktop.sync_process import PinnedClock, SyncBackend, SyncProcess, SyncWorkerError
from tests.conftest import DEMO_NOW
from tests.helpers.db import q

#: A minute past the demo's trace re-query time (its parcels were traced at DEMO_NOW, due again
#: 2 h later): pinned exactly on that boundary, a one-second calibration rounding decided
#: whether the first or the second run traced them.
SANDBOX_NOW = DEMO_NOW + 2 * 3600 + 60


@pytest.fixture
def worker(demo_shop):
    backend = SyncBackend(demo_shop, sandbox_clock=PinnedClock(SANDBOX_NOW))
    process = SyncProcess(demo_shop, backend=backend)
    yield process
    process.close()


def sandbox_effects(paths, api_type: str, entity: str) -> int:
    """Effects the sandbox applied for ``entity``, read from its file (the worker has stopped)."""
    conn = sqlite3.connect(paths.shop_dir / "sandbox" / "sandbox.db")
    try:
        return conn.execute(
            "SELECT COUNT(*) FROM sandbox_effect WHERE api_type = ? AND entity = ?", (api_type, entity)
        ).fetchone()[0]
    finally:
        conn.close()


def test_the_worker_builds_syncs_and_reports_progress(worker):
    before = q('SELECT COUNT(*) FROM "order"')[0][0]
    assert worker.engine() is worker and worker.mode == "demo"
    assert worker.mode_label() == "演示沙箱（本机模拟平台）"
    pid = worker.pid
    assert pid is not None and pid != os.getpid()
    task = TaskContext("同步")
    seen: list[str] = []
    real_report = task.report
    task.report = lambda *a, **k: (seen.append(a[2] if len(a) > 2 else ""), real_report(*a, **k))[1]
    report = worker.run_once(task=task)
    assert report.outcome == "ok", report
    # The worker wrote to the shop's file; this process reads the new orders from it.
    assert q('SELECT COUNT(*) FROM "order"')[0][0] > before
    assert report.changes.orders and any(s.stream == "orders" and s.upserted for s in report.streams)
    assert seen, "no progress came back from the worker"
    # A second run reuses the same worker and finds nothing new.
    again = worker.run_once(task=TaskContext())
    assert again.outcome == "ok" and worker.pid == pid
    assert sum(s.upserted for s in again.streams) == 0, [
        (s.stream, s.upserted, s.error) for s in again.streams if s.upserted
    ]


def test_an_offline_ship_reaches_the_sandbox_once_through_the_worker(worker, demo_shop):
    (oid, sn), *_ = q('SELECT id, order_sn FROM "order" WHERE status = 1 AND refund_status = 1 LIMIT 1')
    courier = q("SELECT id FROM courier WHERE code = 'ZTO'")[0][0]
    shipping.ship_order(order_id=oid, courier_id=courier, tracking_number="78900000000002")
    worker.engine()
    report = worker.run_once(task=TaskContext())
    assert report.push is not None and report.push.succeeded == 1
    assert worker.run_once(task=TaskContext()).push.sent == 0
    assert q("SELECT state FROM outbox WHERE entity_remote_id = ?", sn) == [("succeeded",)]
    worker.close()
    assert sandbox_effects(demo_shop, "pdd.logistics.online.send", sn) == 1


def test_cancel_stops_the_run_in_the_worker(worker):
    worker.engine()
    task = TaskContext()
    task.cancel()  # before the worker even starts: the cancel must still reach this run
    with pytest.raises(Cancelled):
        worker.run_once(task=task)
    # The next run is not hit by the old cancel.
    assert worker.run_once(task=TaskContext()).outcome == "ok"


def test_a_killed_worker_is_reported_and_replaced(worker):
    worker.engine()
    pid = worker.pid
    outcome: dict[str, object] = {}
    started = threading.Event()
    task = TaskContext()
    real_report = task.report
    task.report = lambda *a, **k: (started.set(), real_report(*a, **k))[1]

    def run() -> None:
        try:
            outcome["report"] = worker.run_once(task=task)
        except Exception as exc:
            outcome["error"] = exc

    thread = threading.Thread(target=run)
    thread.start()
    assert started.wait(30)
    os.kill(pid, signal.SIGKILL)  # mid-run: the worker's first progress message has come
    thread.join(30)
    assert not thread.is_alive()
    assert isinstance(outcome.get("error"), SyncWorkerError), outcome
    assert "同步进程意外退出" in str(outcome["error"])
    # The next sync starts a new worker, which carries on from what was committed.
    assert worker.engine() is worker and worker.pid not in (None, pid)
    assert worker.run_once(task=TaskContext()).outcome == "ok"
    assert q("PRAGMA integrity_check") == [("ok",)]
    assert q('SELECT order_sn FROM "order" GROUP BY order_sn HAVING COUNT(*) > 1') == []


def test_sync_off_builds_no_engine_and_a_build_error_comes_back_as_text(worker, demo_shop):
    update_settings(sync_mode="off")
    assert worker.engine() is None and worker.mode == "off"
    database.execute_sql("DELETE FROM setting WHERE key = 'demo_origin'")
    update_settings(sync_mode="demo")
    with pytest.raises(SyncWorkerError, match="演示沙箱只能用于演示店铺"):
        worker.engine()


def test_closing_mid_run_stops_the_worker_promptly(worker):
    worker.engine()
    started = threading.Event()
    task = TaskContext()
    real_report = task.report
    task.report = lambda *a, **k: (started.set(), real_report(*a, **k))[1]
    outcome: dict[str, object] = {}

    def run() -> None:
        try:
            outcome["report"] = worker.run_once(task=task)
        except Exception as exc:
            outcome["error"] = exc

    thread = threading.Thread(target=run)
    thread.start()
    assert started.wait(30)
    t0 = time.monotonic()
    worker.close()  # as the app does on exit: the run stops between pages, then the worker
    thread.join(15)
    assert not thread.is_alive() and time.monotonic() - t0 < 10
    assert worker.pid is None
    # Whatever the run had reached is committed whole (or the run had just finished).
    if "error" in outcome:
        assert isinstance(outcome["error"], Cancelled | SyncWorkerError), outcome
    assert q("PRAGMA integrity_check") == [("ok",)]


@pytest.mark.skipif(not hasattr(os, "getpriority"), reason="POSIX priority")
def test_the_worker_runs_below_normal_priority(worker):
    worker.engine()
    assert os.getpriority(os.PRIO_PROCESS, worker.pid) > os.getpriority(os.PRIO_PROCESS, 0)


def test_the_demo_worker_tells_the_window_where_its_sandbox_and_fake_component_listen(worker, demo_shop):
    from pdd_desktop.sandbox.print_component import PRINTERS
    from pdd_desktop.services.cloud_print import detect_component
    from pdd_desktop.services.print_route import PlatformAccess

    assert worker.sandbox_endpoint is None
    assert worker.engine() is worker
    endpoint = worker.sandbox_endpoint
    assert endpoint is not None and endpoint.gateway.startswith("http://127.0.0.1:")
    assert "secret" not in repr(endpoint).lower() and endpoint.client_secret not in repr(endpoint)
    access = PlatformAccess(demo_shop.shop, endpoint=lambda: worker.sandbox_endpoint, is_demo=True)
    target = access.component()
    assert target.simulated and target.url == endpoint.component_url
    assert target.printed_dir == str(demo_shop.shop_dir / "sandbox" / "printed")
    # The window process reaches both: the fake's printers, the sandbox's clock.
    assert [p.name for p in detect_component(target.url)] == list(PRINTERS)
    assert access.client().server_time() == SANDBOX_NOW
    worker.close()
    assert worker.sandbox_endpoint is None
    # Without a running sandbox a demo shop says so instead of trying the keychain.
    with pytest.raises(Exception, match="演示沙箱还没有启动"):
        access.client()
