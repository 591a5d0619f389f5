"""What a syncing area plugs into the engine: pull streams, push ops and the APIs they call.

An :class:`Area` (one file under ``services/sync/areas``) declares

- :class:`PullStream` s: name, Chinese label, the :class:`Changes` flags it sets when it
  writes, windowed (a cursor in platform time, paged backwards like orders) or not (read whole
  like couriers and goods), a ``fetch`` and an ``apply``;
- :class:`PushOp` s: the outbox ``op_type``, Chinese label, :class:`Changes` flags, ``send`` and
  ``reconcile`` (is the op's effect visible on the platform?);
- the platform APIs it calls (:class:`~pdd_desktop.platform.apis.ApiSpec`).

A :class:`Registry` is an ordered set of areas; ``services.sync.registry`` holds the app's. The
engine, the pusher, the client's API table, the sandbox and the labels all read it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from operator import attrgetter
from typing import TYPE_CHECKING, Any

from pdd_desktop.common.changes import Changes
from pdd_desktop.common.task import TaskContext
from pdd_desktop.data.db import database
from pdd_desktop.platform.apis import CORE_APIS, ApiSpec, ApiTable

if TYPE_CHECKING:
    from pdd_desktop.platform.client import PlatformClient
    from pdd_desktop.platform.records import WriteResult
    from pdd_desktop.services.sync.push import Pusher

# --------------------------------------------------------------------------------------------
# Pull
# --------------------------------------------------------------------------------------------


@dataclass
class ApplyCounts:
    """What one page did locally."""

    upserted: int = 0
    skipped_stale: int = 0
    same: int = 0
    new_packages: int = 0


@dataclass
class PullTally:
    """One stream's pull so far: windows and pages read, rows written, stale rows skipped."""

    windows: int = 0
    pages: int = 0
    upserted: int = 0
    skipped: int = 0

    def add(self, counts: ApplyCounts, *, count: bool = True) -> None:
        """Count a page's result (``count=False``: rows written on the side, e.g. missing orders)."""
        if count:
            self.upserted += counts.upserted
            self.skipped += counts.skipped_stale


@dataclass
class PullContext:
    """What a stream's ``fetch`` and ``apply`` get for one pull of that stream.

    Attributes:
        client: the platform client.
        source: ``api`` or ``demo`` (written to new orders).
        task: progress and cancel flag (None: not cancellable).
        page_size: rows per page to ask for.
        tally: counts of this pull (``apply`` adds its :class:`ApplyCounts`).
        state: scratch values of this pull (e.g. a detail budget).
        run_state: scratch values of this stream kept for the whole sync run.
        deferred: set by ``apply`` when work was left for the next run; a non-windowed
            stream then keeps its cursor.
        workers: requests an ``apply`` may have in flight at once for its extra reads
            (``services.sync.fetch.ordered_fetch``; 1: one at a time).
    """

    client: PlatformClient
    source: str
    task: TaskContext | None
    page_size: int
    tally: PullTally = field(default_factory=PullTally)
    state: dict[str, Any] = field(default_factory=dict)
    run_state: dict[str, Any] = field(default_factory=dict)
    deferred: bool = False
    workers: int = 1


#: ``fetch`` of a windowed stream: (ctx, start, end, page, with_total) → ``Page``.
WindowFetch = Callable[[PullContext, int, int, int, bool], Any]
#: ``fetch`` of a non-windowed stream: (ctx, page) → ``Page`` (``has_next`` false ends it).
PageFetch = Callable[[PullContext, int], Any]


@dataclass(frozen=True)
class Backfill:
    """How a windowed stream fills a shop's history on its first sync (or after a long break).

    The increment API walks 30-minute windows of *update* time; a list API with longer windows
    (orders: ``pdd.order.list.get``, 24 h of 成交时间) reads the same history in far fewer
    requests. The engine reads ``window_s`` windows from now backwards (newest first) down to
    ``horizon_s`` ago, then catches up with the increment API from where the backfill started.

    Attributes:
        fetch: :data:`WindowFetch` of the list API (network only, thread-safe).
        window_s: the longest window the list API takes.
        horizon_s: how far back the list API serves (and the increment API: a cursor older
            than this is restarted with a backfill).
    """

    fetch: Callable[..., Any]
    window_s: int
    horizon_s: int


@dataclass(frozen=True)
class PullStream:
    """One pull stream.

    Attributes:
        name: the ``sync_stream`` / ``sync_run`` key, e.g. ``orders``.
        label: Chinese name for status texts and the sync log, e.g. ``订单``.
        changes: flags set when the pull wrote anything.
        fetch: :data:`WindowFetch` when ``windowed`` else :data:`PageFetch`; network only.
        apply: (ctx, records) → None: writes a page in its own short write transaction(s) (any
            extra reads happen before, never inside one) and adds to ``ctx.tally``.
        windowed: cursor in platform time, windows paged backwards with a count check;
            otherwise pages 1, 2, … until ``has_next`` is false, and the cursor is "now".
        key: a record's identity for the count check (windowed streams).
        backfill: a windowed stream's first fill through a list API with longer windows
            (:class:`Backfill`), or None: the first sync walks the increment windows.
    """

    name: str
    label: str
    changes: Changes
    fetch: Callable[..., Any]
    apply: Callable[[PullContext, Sequence[Any]], None]
    windowed: bool = False
    key: Callable[[Any], object] = attrgetter("id")
    backfill: Backfill | None = None


def rows_in(sql: str, values: Sequence, prefix: Sequence = (), *, chunk: int = 500) -> list[tuple]:
    """``sql`` with ``{marks}`` run over ``values`` in chunks of ``chunk`` placeholders."""
    out: list[tuple] = []
    for i in range(0, len(values), chunk):
        part = list(values[i : i + chunk])
        marks = ",".join("?" * len(part))
        out.extend(database.execute_sql(sql.format(marks=marks), [*prefix, *part]).fetchall())
    return out


def dumps(obj: object) -> str:
    """Compact JSON text."""
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"), default=str)


# --------------------------------------------------------------------------------------------
# Push
# --------------------------------------------------------------------------------------------

#: Reconcile verdicts: the op's effect is there / not there / the remote value moved away from
#: the op's base (a conflict row was written) / read failed, try later / the entity is gone /
#: the remote has a different effect (e.g. shipped with another number).
PRESENT, ABSENT, CONFLICT, WAIT, GONE, OTHER = "present", "absent", "conflict", "wait", "gone", "other"


@dataclass
class OutboxOp:
    """One outbox row as the pusher and the ops see it."""

    id: int
    op_id: str
    op_type: str
    entity_type: str
    entity_remote_id: str
    payload: dict[str, Any]
    base: dict[str, Any]
    state: str
    attempts: int
    next_attempt_at: float | None
    result: dict[str, Any]

    @classmethod
    def from_row(cls, r: tuple) -> OutboxOp:
        """From ``id, op_id, op_type, entity_type, entity_remote_id, payload_json, base_json,
        state, attempts, next_attempt_at, result_json``.
        """  # noqa: D205

        def load(text: str) -> dict[str, Any]:
            try:
                value = json.loads(text or "{}")
            except ValueError:
                return {}
            return value if isinstance(value, dict) else {}

        return cls(r[0], r[1], r[2], r[3], r[4], load(r[5]), load(r[6]), r[7], r[8], r[9], load(r[10]))


def _never(op: OutboxOp) -> bool:
    return False


def _nothing(op: OutboxOp) -> str:
    return ""


@dataclass(frozen=True)
class PushOp:
    """One outbox op type.

    Attributes:
        op_type: the ``outbox.op_type``.
        label: Chinese name (outbox panel, messages), e.g. ``发货``.
        changes: flags set when an op of this type was handled.
        send: (client, op) → ``WriteResult``; raises the client's errors.
        reconcile: (pusher, op, conflicts) → a verdict (:data:`PRESENT` …); reads only, and
            with ``conflicts`` may record a conflict through ``pusher.conflict``.
        read_first: (op) → True when the remote state is read before every send
            (compare-and-set), not only after an unknown outcome.
        refuse: (op) → a message when the op can never be sent (it fails), else "".
        other_message: the failure text for the :data:`OTHER` verdict.
        gone_message: the failure text for the :data:`GONE` verdict.
        on_failed: (pusher, op) → None, called after the op failed for good (best effort).
    """

    op_type: str
    label: str
    changes: Changes
    send: Callable[[PlatformClient, OutboxOp], WriteResult]
    reconcile: Callable[[Pusher, OutboxOp, bool], str]
    read_first: Callable[[OutboxOp], bool] = _never
    refuse: Callable[[OutboxOp], str] = _nothing
    other_message: str = ""
    gone_message: str = ""
    on_failed: Callable[[Pusher, OutboxOp], None] | None = None


# --------------------------------------------------------------------------------------------
# Areas and the registry
# --------------------------------------------------------------------------------------------


class RunRefused(Exception):
    """A preflight check refused the whole run (nothing is pushed or pulled).

    Attributes:
        outcome: the run's outcome, e.g. ``auth_needed``.
        message: what the merchant reads, in Chinese.
    """

    def __init__(self, outcome: str, message: str) -> None:
        super().__init__(message)
        self.outcome = outcome
        self.message = message


@dataclass(frozen=True)
class Area:
    """One syncing module: its streams, ops and the APIs they (and its other code) call.

    ``preflight(client)`` runs before anything is pushed or pulled in a run; it raises
    :class:`RunRefused` when the run must not touch this shop (e.g. the credentials open
    another shop).
    """

    name: str
    streams: tuple[PullStream, ...] = ()
    ops: tuple[PushOp, ...] = ()
    apis: tuple[ApiSpec, ...] = ()
    preflight: Callable[[PlatformClient], None] | None = None


class Registry:
    """An ordered set of areas; streams are pulled in area order.

    Raises:
        ValueError: two streams or ops share a name, or an API is declared twice differently.
    """

    def __init__(self, areas: Iterable[Area]) -> None:
        self.areas: tuple[Area, ...] = tuple(areas)
        self.streams: dict[str, PullStream] = {}
        self.ops: dict[str, PushOp] = {}
        for area in self.areas:
            for s in area.streams:
                if s.name in self.streams:
                    raise ValueError(f"stream {s.name} registered twice")
                self.streams[s.name] = s
            for o in area.ops:
                if o.op_type in self.ops:
                    raise ValueError(f"op {o.op_type} registered twice")
                self.ops[o.op_type] = o
        self.apis = ApiTable([*CORE_APIS, *(a for area in self.areas for a in area.apis)])
        #: (stream the check is logged under, check) per area with a preflight.
        self.preflights: tuple[tuple[str, Callable[[PlatformClient], None]], ...] = tuple(
            (area.streams[0].name if area.streams else area.name, area.preflight)
            for area in self.areas
            if area.preflight is not None
        )
        self.stream_names: tuple[str, ...] = tuple(self.streams)
        self.windowed_names: tuple[str, ...] = tuple(n for n, s in self.streams.items() if s.windowed)
        self.stream_labels: dict[str, str] = {n: s.label for n, s in self.streams.items()}
        self.op_labels: dict[str, str] = {t: o.label for t, o in self.ops.items()}

    def __repr__(self) -> str:
        return f"Registry({', '.join(a.name for a in self.areas)})"

    def with_areas(self, *areas: Area) -> Registry:
        """A new registry: these areas plus ``areas`` at the end (this one is unchanged)."""
        return Registry((*self.areas, *areas))

    def op_label(self, op_type: str) -> str:
        """Chinese label of an op type (the type itself when unknown)."""
        return self.op_labels.get(op_type, op_type)
