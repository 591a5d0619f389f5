"""One sync per shop: the app's sync worker refuses a run while another sync holds the lock."""

from __future__ import annotations

from multiprocessing import Pipe
from types import SimpleNamespace

import pytest

from pdd_desktop.common.instance_lock import AlreadyLocked, SyncRunning, sync_lock
from pdd_desktop.common.paths import shop_paths
from pdd_desktop.sync_process import Worker


class _Engine:
    def __init__(self) -> None:
        self.runs = 0

    def run_once(self, *, task):
        self.runs += 1
        return "report"


def _worker(tmp_path):
    paths = shop_paths(tmp_path / "data", "店").ensure()
    backend = SimpleNamespace(paths=paths, close=lambda: None)
    cmd_child, _cmd_parent = Pipe(duplex=False)
    evt_parent, evt_child = Pipe(duplex=False)
    worker = Worker(backend, cmd_child, evt_child)
    worker._engine = _Engine()
    return worker, evt_parent, paths


def _answer(conn):
    while True:
        message = conn.recv()
        if message[0] != "progress":
            return message


def test_the_worker_runs_only_when_no_other_sync_holds_the_shop(tmp_path):
    worker, events, paths = _worker(tmp_path)
    with sync_lock(paths.shop_dir):
        worker._run(1)
        kind, text = _answer(events)
    assert kind == "error" and "正在进行另一个同步" in text
    assert worker._engine.runs == 0
    worker._run(2)
    assert _answer(events) == ("done", "report") and worker._engine.runs == 1
    with sync_lock(paths.shop_dir):  # the worker let go after its run
        pass


def test_the_sync_lock_is_separate_from_the_window_lock(tmp_path):
    paths = shop_paths(tmp_path / "data", "店").ensure()
    from pdd_desktop.common.instance_lock import InstanceLock

    with InstanceLock(paths.lock_file), sync_lock(paths.shop_dir):  # an open window may sync
        with pytest.raises(SyncRunning) as info:
            sync_lock(paths.shop_dir).acquire()
    assert isinstance(info.value, AlreadyLocked) and "另一个同步" in str(info.value)
