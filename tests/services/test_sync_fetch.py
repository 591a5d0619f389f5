"""ordered_fetch: several fetches in flight, results in job order, errors and cancel at the head."""

from __future__ import annotations

import contextlib
import random
import threading
import time

import pytest

from pdd_desktop.common.task import Cancelled, TaskContext
from pdd_desktop.services.sync.fetch import ordered_fetch


def test_results_come_back_in_job_order_with_several_in_flight():
    rng = random.Random(1)
    delays = [rng.uniform(0, 0.03) for _ in range(40)]
    running, peak = [0], [0]
    lock = threading.Lock()

    def fetch(i: int) -> int:
        with lock:
            running[0] += 1
            peak[0] = max(peak[0], running[0])
        time.sleep(delays[i])
        with lock:
            running[0] -= 1
        return i * i

    t = time.perf_counter()
    got = list(ordered_fetch(fetch, range(40), workers=4))
    elapsed = time.perf_counter() - t
    assert got == [(i, i * i) for i in range(40)]
    assert peak[0] == 4
    assert elapsed < sum(delays) * 0.6  # overlapped, not one after another


def test_one_worker_runs_inline_one_at_a_time():
    threads = set()

    def fetch(i: int) -> int:
        threads.add(threading.get_ident())
        return i

    assert [r for _j, r in ordered_fetch(fetch, range(5), workers=1)] == list(range(5))
    assert threads == {threading.get_ident()}


def test_an_error_surfaces_at_its_turn_after_the_results_before_it():
    def fetch(i: int) -> int:
        if i == 3:
            raise ValueError("第 3 个失败")
        time.sleep(0.01 if i < 3 else 0)
        return i

    seen = []
    with pytest.raises(ValueError, match="第 3 个失败"):
        for j, _r in ordered_fetch(fetch, range(10), workers=3):
            seen.append(j)
    assert seen == [0, 1, 2]


def test_cancel_is_seen_while_waiting_and_nothing_queued_runs_afterwards():
    task = TaskContext()
    started: list[int] = []

    def fetch(i: int) -> int:
        started.append(i)
        time.sleep(0.5)
        return i

    threading.Timer(0.1, task.cancel).start()
    t = time.perf_counter()
    with (
        pytest.raises(Cancelled),
        contextlib.closing(ordered_fetch(fetch, range(100), workers=2, task=task)) as it,
    ):
        for _ in it:
            pass
    assert time.perf_counter() - t < 0.3  # not after the half-second fetches in flight
    time.sleep(0.6)
    assert len(started) <= 2  # the queued jobs were dropped
