"""Fault switches of the sandbox platform, settable at runtime from tests or over HTTP.

Every switch is off by default. Counters (``*_next``) count down as calls consume them, so a
test can say "the next 3 calls are rate-limited" and then watch the client recover. The random
5xx decisions come from a generator seeded at construction, so a run is reproducible.

Switches (names are also the JSON keys of ``POST /sandbox/faults``):

- ``latency_s``: sleep before answering every router call.
- ``error_rate`` / ``error_status``: share of router calls answered with an HTTP 5xx (seeded RNG).
- ``error_next``: the next N router calls answer HTTP ``error_status`` whatever the rate.
- ``rate_limit_next`` / ``rate_limit_code`` / ``retry_after_s``: the next N router calls answer
  ``error_response`` 52101 (or 70031) with an optional ``Retry-After`` header.
- ``truncate_next``: the next N answers are cut in the middle of their JSON body.
- ``repeat_page_next``: the next N paged list answers repeat the rows of the previous paged
  answer of the same API (a page served twice).
- ``drift_next``: after each of the next N paged order-increment answers, one order of the same
  window that is not on the served page is updated (``updated_at`` moves to the window's end),
  so it jumps across the page boundary mid-paging.
- ``late_commit_s``: records the simulation creates or changes are stamped this many seconds in
  the past (a late-committed write); :meth:`SandboxShop.commit_late` does it for one order now.
- ``apply_then_timeout_s`` / ``apply_then_timeout_next``: the next N write calls are applied and
  committed, then the answer waits this long (past the client's timeout) before being sent.
- ``clock_offset_s``: the platform clock runs this many seconds ahead (negative: behind).
- ``plain_receivers``: order answers carry the receiver in plain text (``receiver_name``,
  ``receiver_phone``, ``receiver_address``, ``address``) and no ``*_mask`` twins, as answers did
  before the platform's encryption change (pdd-open-api.md §3.5: "In 2018 responses these
  fields were plain text") and as fields already decrypted arrive; a mode, not a counter.
"""

from __future__ import annotations

import random
import threading
from dataclasses import asdict, dataclass, fields

__all__ = ["FaultSettings", "Faults"]


@dataclass
class FaultSettings:
    """A snapshot of the switches (all off by default)."""

    latency_s: float = 0.0
    error_rate: float = 0.0
    error_status: int = 503
    error_next: int = 0
    rate_limit_next: int = 0
    rate_limit_code: int = 52101
    retry_after_s: float | None = None
    truncate_next: int = 0
    repeat_page_next: int = 0
    drift_next: int = 0
    late_commit_s: int = 0
    apply_then_timeout_s: float = 0.0
    apply_then_timeout_next: int = 0
    clock_offset_s: int = 0
    plain_receivers: bool = False


_NAMES = frozenset(f.name for f in fields(FaultSettings))


class Faults:
    """Thread-safe fault switches; read by the server and the shop on every call."""

    def __init__(self, seed: int = 0) -> None:
        self._lock = threading.Lock()
        self._s = FaultSettings()
        self._rng = random.Random(f"sandbox-faults:{seed}")

    # ------------------------------------------------------------------ setting

    def set(self, **switches: object) -> None:
        """Set switches by name, e.g. ``faults.set(rate_limit_next=3, retry_after_s=7)``.

        Raises:
            KeyError: an unknown switch name.
        """
        unknown = set(switches) - _NAMES
        if unknown:
            raise KeyError(f"unknown fault switch: {sorted(unknown)}")
        with self._lock:
            for name, value in switches.items():
                setattr(self._s, name, value)

    def reset(self) -> None:
        """Every switch off."""
        with self._lock:
            self._s = FaultSettings()

    def snapshot(self) -> dict[str, object]:
        """The current switches as a plain dict (the JSON of ``GET /sandbox/faults``)."""
        with self._lock:
            return asdict(self._s)

    # ------------------------------------------------------------------ reading (server, shop)

    @property
    def clock_offset_s(self) -> int:
        with self._lock:
            return int(self._s.clock_offset_s)

    @property
    def late_commit_s(self) -> int:
        with self._lock:
            return int(self._s.late_commit_s)

    @property
    def plain_receivers(self) -> bool:
        with self._lock:
            return bool(self._s.plain_receivers)

    @property
    def latency_s(self) -> float:
        with self._lock:
            return float(self._s.latency_s)

    def take_http_error(self) -> int | None:
        """The HTTP status to fail this call with, or None."""
        with self._lock:
            s = self._s
            if s.error_next > 0:
                s.error_next -= 1
                return int(s.error_status)
            if s.error_rate > 0 and self._rng.random() < s.error_rate:
                return int(s.error_status)
            return None

    def take_rate_limit(self) -> tuple[int, float | None] | None:
        """``(error_code, retry_after_s)`` when this call is rate-limited, else None."""
        with self._lock:
            s = self._s
            if s.rate_limit_next > 0:
                s.rate_limit_next -= 1
                return int(s.rate_limit_code), s.retry_after_s
            return None

    def _take(self, name: str) -> bool:
        with self._lock:
            left = getattr(self._s, name)
            if left > 0:
                setattr(self._s, name, left - 1)
                return True
            return False

    def take_truncate(self) -> bool:
        """True when this answer's body must be cut."""
        return self._take("truncate_next")

    def take_repeat_page(self) -> bool:
        """True when this paged answer repeats the previous page."""
        return self._take("repeat_page_next")

    def take_drift(self) -> bool:
        """True when a row of this window must move across pages after this answer."""
        return self._take("drift_next")

    def take_apply_then_timeout(self) -> float:
        """Seconds to wait after applying this write (0: answer at once)."""
        with self._lock:
            s = self._s
            if s.apply_then_timeout_next > 0 and s.apply_then_timeout_s > 0:
                s.apply_then_timeout_next -= 1
                return float(s.apply_then_timeout_s)
            return 0.0
