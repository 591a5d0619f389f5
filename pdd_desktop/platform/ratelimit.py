"""Client-side rate limits per API (pdd-open-api.md §9), so the gateway never has to refuse us.

The platform counts calls per shop over a period (e.g. ``pdd.order.list.get`` 10000 per 60 s);
going over answers 52101 / 70031. :class:`RateLimiter` keeps the times of the last ``calls``
calls and lets a call through only when fewer than ``calls`` fell in the last ``per_s``
seconds, whatever the alignment of the platform's own period (a token bucket of the same rate
would allow up to twice the limit in one period). Thread-safe: the sync worker's fetch threads
share one client.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable

__all__ = ["RateLimiter"]


class RateLimiter:
    """At most ``calls`` acquisitions in any ``per_s`` seconds (sliding window)."""

    def __init__(
        self,
        calls: int,
        per_s: float,
        *,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if calls < 1 or per_s <= 0:
            raise ValueError("a rate limit needs calls >= 1 and a positive period")
        self.calls = int(calls)
        self.per_s = float(per_s)
        self._monotonic = monotonic
        self._sleep = sleep
        self._lock = threading.Lock()
        self._times: deque[float] = deque()
        #: Seconds spent waiting so far (diagnostics, benchmarks).
        self.waited_s = 0.0

    def __repr__(self) -> str:
        return f"RateLimiter({self.calls}/{self.per_s:g}s)"

    def delay(self) -> float:
        """Take a slot now if one is free (returns 0), else the seconds until one frees up."""
        with self._lock:
            now = self._monotonic()
            times = self._times
            while times and times[0] <= now - self.per_s:
                times.popleft()
            if len(times) < self.calls:
                times.append(now)
                return 0.0
            return max(times[0] + self.per_s - now, 1e-3)

    def acquire(self) -> float:
        """Block until a call may go out; returns the seconds waited."""
        waited = 0.0
        while True:
            wait = self.delay()
            if wait <= 0:
                if waited:
                    with self._lock:
                        self.waited_s += waited
                return waited
            self._sleep(wait)
            waited += wait
