"""The one seam for "now", so deadline rules and tests can move time.

Everything stored is UTC epoch seconds; :mod:`pdd_desktop.common.timefmt` turns them into
Asia/Shanghai wall time for display.
"""

from __future__ import annotations

import time
from collections.abc import Callable

_now: Callable[[], float] = time.time


def now() -> int:
    """Current UTC time as integer epoch seconds."""
    return int(_now())


def set_clock(fn: Callable[[], float] | None) -> None:
    """Replace the clock (tests, benchmarks); ``None`` restores the system clock."""
    global _now
    _now = fn if fn is not None else time.time
