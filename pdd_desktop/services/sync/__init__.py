"""Sync with the platform (sync.md): the engine, the outbox worker and the panels' services.

Modules: ``plugin`` (what an area declares: streams, ops, APIs; the :class:`Registry`),
``registry`` (the app's areas, in order), ``areas/*`` (one per syncing area), ``engine``
(pull, push, sweep), ``fetch`` (windows fetched ahead on a few threads), ``runs`` (cursors,
backfill progress, the sync log's runs), ``push`` (the outbox worker), ``status``, ``outbox``,
``conflicts``, ``log``.
The public names of all of them are importable from here.
"""

from pdd_desktop.services.sync.conflicts import FIELD_LABELS, ConflictRow, list_conflicts, resolve_conflict
from pdd_desktop.services.sync.engine import (
    CLOCK_JUMP_S,
    PAGE_PAUSE_S,
    PAGE_SIZE,
    STREAM_LABELS,
    STREAMS,
    WINDOW_ATTEMPTS,
    WINDOWED_STREAMS,
    PushReport,
    StreamReport,
    SyncEngine,
    SyncReport,
)
from pdd_desktop.services.sync.log import SyncLogRow, sync_log
from pdd_desktop.services.sync.outbox import OutboxRow, discard_op, entity_labels, list_outbox, retry_op
from pdd_desktop.services.sync.plugin import Area, OutboxOp, PullContext, PullStream, PushOp, Registry
from pdd_desktop.services.sync.push import PushCounts, Pusher, StopPush, crash_point
from pdd_desktop.services.sync.registry import (
    API_TABLE,
    DEFAULT,
    OP_LABELS,
    op_label,
    open_shop_client,
    platform_client,
)
from pdd_desktop.services.sync.runs import KEEP_RUNS, demo_origin_ts
from pdd_desktop.services.sync.status import SyncSummary, sync_summary

__all__ = [
    "API_TABLE",
    "CLOCK_JUMP_S",
    "DEFAULT",
    "FIELD_LABELS",
    "KEEP_RUNS",
    "OP_LABELS",
    "PAGE_PAUSE_S",
    "PAGE_SIZE",
    "STREAMS",
    "STREAM_LABELS",
    "WINDOWED_STREAMS",
    "WINDOW_ATTEMPTS",
    "Area",
    "ConflictRow",
    "OutboxOp",
    "OutboxRow",
    "PullContext",
    "PullStream",
    "PushCounts",
    "PushOp",
    "PushReport",
    "Pusher",
    "Registry",
    "StopPush",
    "StreamReport",
    "SyncEngine",
    "SyncLogRow",
    "SyncReport",
    "SyncSummary",
    "crash_point",
    "demo_origin_ts",
    "discard_op",
    "entity_labels",
    "list_conflicts",
    "list_outbox",
    "op_label",
    "open_shop_client",
    "platform_client",
    "resolve_conflict",
    "retry_op",
    "sync_log",
    "sync_summary",
]
