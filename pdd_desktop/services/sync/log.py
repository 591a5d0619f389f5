"""The sync log: one row per pull stream, push or sweep run (``sync_run``)."""

from __future__ import annotations

from dataclasses import dataclass

from pdd_desktop.data.db import database
from pdd_desktop.services.sync.plugin import Registry
from pdd_desktop.services.sync.registry import DEFAULT


@dataclass(frozen=True)
class SyncLogRow:
    """One sync_run row for the sync log view.

    ``kind`` pull / push / sweep / check (an area's preflight); ``stream`` a registered stream
    ("" for push);
    ``outcome`` running / ok / failed / offline / auth_needed / rate_limited / cancelled / aborted;
    for a push, ``pages`` counts sends and ``upserted`` successes.
    """

    id: int
    kind: str
    stream: str
    stream_label: str
    started_at: int
    finished_at: int | None
    pages: int
    upserted: int
    skipped_stale: int
    errors: int
    outcome: str
    detail: str


def sync_log(limit: int = 100, *, registry: Registry | None = None) -> list[SyncLogRow]:
    """The latest sync runs, newest first (stream labels from ``registry``, default the app's)."""
    labels = (registry or DEFAULT).stream_labels
    rows = database.execute_sql(
        "SELECT id, kind, stream, started_at, finished_at, pages, "
        "upserted, skipped_stale, errors, outcome, detail "
        "FROM sync_run ORDER BY id DESC LIMIT ?",
        (limit,),
    ).fetchall()
    return [
        SyncLogRow(r[0], r[1], r[2], labels.get(r[2], "上传" if r[1] == "push" else r[2]), *r[3:])
        for r in rows
    ]
