"""Several requests in flight: fetch jobs on a few threads, results handed back in order.

The engine's pulls are network-bound: at a real gateway's 50–100 ms round trip, one request at a
time leaves the line idle most of the time. :func:`ordered_fetch` runs ``fetch(job)`` for up to
``ahead`` jobs at once on ``workers`` threads and yields ``(job, result)`` **in job order**, so the
caller applies results on its own thread (SQLite has one writer; every page is its own short
transaction, as before) and moves its cursor strictly in order: a window is applied only after
every window before it.

- A job that raised re-raises at its turn: the jobs before it are applied, none after it.
- ``task`` cancelled: :class:`Cancelled` at the next check (every 50 ms while waiting); queued jobs
  are dropped and the requests already out finish in the background, their answers discarded.
- ``workers <= 1``: each job runs inline when its turn comes (no thread, nothing fetched ahead).

Fetch functions must be thread-safe (``PlatformClient`` is; see its module docstring) and touch
no database.
"""

from __future__ import annotations

import concurrent.futures as cf
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

from pdd_desktop.common.task import TaskContext

__all__ = ["ordered_fetch"]

J = TypeVar("J")
R = TypeVar("R")

#: How often a waiting caller looks at the cancel flag.
POLL_S = 0.05


def ordered_fetch(
    fetch: Callable[[J], R],
    jobs: Iterable[J],
    *,
    workers: int,
    ahead: int | None = None,
    task: TaskContext | None = None,
) -> Iterator[tuple[J, R]]:
    """Yield ``(job, fetch(job))`` in job order, up to ``ahead`` jobs in flight on ``workers`` threads.

    Use it in a ``with contextlib.closing(...)`` block (or exhaust it): closing drops what is queued.

    Raises:
        Cancelled: ``task`` was cancelled.
        Exception: whatever the job at the head raised.
    """
    if workers <= 1:
        for job in jobs:
            if task is not None:
                task.raise_if_cancelled()
            yield job, fetch(job)
        return
    ahead = max(workers, ahead or 2 * workers)
    pool = cf.ThreadPoolExecutor(max_workers=workers, thread_name_prefix="sync-fetch")
    queue: deque[tuple[J, cf.Future[R]]] = deque()
    source = iter(jobs)
    try:
        for job in source:
            queue.append((job, pool.submit(fetch, job)))
            if len(queue) >= ahead:
                break
        while queue:
            job, future = queue[0]
            while True:
                if task is not None:
                    task.raise_if_cancelled()
                try:
                    result = future.result(timeout=POLL_S)
                    break
                except cf.TimeoutError:
                    continue
            queue.popleft()
            for nxt in source:
                queue.append((nxt, pool.submit(fetch, nxt)))
                break
            yield job, result
    finally:
        for _job, future in queue:
            future.cancel()
        pool.shutdown(wait=False, cancel_futures=True)
