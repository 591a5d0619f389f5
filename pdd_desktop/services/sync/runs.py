"""Sync state in the shop database: stream cursors, backfill progress, the sync log's runs.

The engine (:mod:`.engine`) reads and advances these; every write is its own short
transaction, so a run killed at any point leaves them consistent (sync.md).
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass

import peewee

from pdd_desktop.common import clock
from pdd_desktop.common.redact import redact_text
from pdd_desktop.data.db import database, write_transaction

log = logging.getLogger(__name__)

#: Sync log rows kept.
KEEP_RUNS = 2000


def db_cause(exc: BaseException) -> BaseException:
    """The database error behind ``exc``.

    On SQLITE_FULL (and some I/O errors) SQLite rolls the transaction back by itself; the
    ROLLBACK that the transaction block then issues fails with "no transaction is active" and
    would hide the cause (the data is rolled back either way).
    """
    while (
        isinstance(exc, peewee.OperationalError | sqlite3.OperationalError)
        and "no transaction is active" in str(exc)
        and exc.__context__ is not None
    ):
        exc = exc.__context__
    return exc


# --------------------------------------------------------------------------------------------
# Stream state
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StreamState:
    """A stream's cursor (``sync_stream``): high-water mark and window settings."""

    stream: str
    hwm: int | None
    overlap_s: int
    settle_lag_s: int
    max_window_s: int


def stream_state(stream: str) -> StreamState:
    """The stream's cursor, created with the defaults (sync.md) the first time."""
    row = database.execute_sql(
        "SELECT hwm_server_ts, overlap_s, settle_lag_s, max_window_s FROM sync_stream WHERE stream = ?",
        (stream,),
    ).fetchone()
    if row is None:
        with write_transaction():
            database.execute_sql(
                "INSERT OR IGNORE INTO sync_stream (stream, hwm_server_ts, "
                "overlap_s, settle_lag_s, max_window_s, "
                "last_error, consecutive_failures, needs_full_resync) "
                "VALUES (?, NULL, 900, 180, 1800, '', 0, 0)",
                (stream,),
            )
        return StreamState(stream, None, 900, 180, 1800)
    return StreamState(stream, row[0], row[1], row[2], min(row[3], 1800))


def stream_ok(stream: str, hwm: int | None, platform_now: int, *, sweep: bool = False) -> None:
    """A pull of ``stream`` ended well: raise its high-water mark to ``hwm``, clear its error."""
    with write_transaction():
        database.execute_sql(
            "UPDATE sync_stream SET hwm_server_ts = "
            "MAX(COALESCE(hwm_server_ts, ?), ?), cur_window_start = NULL, "
            "cur_window_end = NULL, last_ok_at_server = ?, last_error = '', consecutive_failures = 0"
            + (", last_sweep_server_ts = ?" if sweep else "")
            + " WHERE stream = ?",
            (hwm, hwm, platform_now, *((platform_now,) if sweep else ()), stream)
            if hwm is not None
            else (0, 0, platform_now, *((platform_now,) if sweep else ()), stream),
        )


# --------------------------------------------------------------------------------------------
# Backfill progress (a ``setting`` row per stream, so no schema change)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BackfillProgress:
    """A backfill under way: started at platform time ``anchor``; windows from ``next_end``
    down to ``floor`` (platform epoch seconds) are still to be read.
    """  # noqa: D205

    anchor: int
    floor: int
    next_end: int

    @property
    def done(self) -> bool:
        """Every window is local."""
        return self.next_end <= self.floor


def backfill_key(stream: str) -> str:
    """The ``setting`` key of a stream's backfill progress."""
    return f"sync_backfill.{stream}"


def load_backfill(stream: str) -> BackfillProgress | None:
    """The stream's unfinished backfill, or None."""
    row = database.execute_sql(
        "SELECT value_json FROM setting WHERE key = ?", (backfill_key(stream),)
    ).fetchone()
    if row is None:
        return None
    try:
        v = json.loads(row[0])
        return BackfillProgress(int(v["anchor"]), int(v["floor"]), int(v["next_end"]))
    except (ValueError, KeyError, TypeError):
        log.warning("unreadable backfill progress of %s: starting again", stream)
        return None


def save_backfill(stream: str, progress: BackfillProgress) -> None:
    """Record how far the stream's backfill got (after each applied window)."""
    value = json.dumps({"anchor": progress.anchor, "floor": progress.floor, "next_end": progress.next_end})
    with write_transaction():
        database.execute_sql(
            "INSERT INTO setting (key, value_json, updated_at) VALUES (?, ?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value_json = excluded.value_json, "
            "updated_at = excluded.updated_at",
            (backfill_key(stream), value, clock.now()),
        )


def backfill_windows(end: int, floor: int, window_s: int) -> Iterator[tuple[int, int]]:
    """``(start, end)`` windows of at most ``window_s`` from ``end`` back to ``floor``, newest first."""
    while end > floor:
        start = max(floor, end - window_s)
        yield start, end
        end = start


# --------------------------------------------------------------------------------------------
# Runs (the sync log)
# --------------------------------------------------------------------------------------------


def _log_write_failed(what: str, exc: Exception) -> None:
    log.warning("sync bookkeeping (%s) not written: %s", what, db_cause(exc))


def stream_failed(stream: str, message: str) -> None:
    """Record a failed pull of ``stream`` (best effort: a full disk must not hide the cause)."""
    try:
        _stream_failed_write(stream, message)
    except (peewee.DatabaseError, sqlite3.DatabaseError) as exc:  # disk full, read-only: keep going
        _log_write_failed("stream error", exc)


def _stream_failed_write(stream: str, message: str) -> None:
    with write_transaction():
        database.execute_sql(
            "UPDATE sync_stream SET last_error = ?, consecutive_failures = consecutive_failures + 1 "
            "WHERE stream = ?",
            (message[:500], stream),
        )


def start_run(kind: str, stream: str) -> int | None:
    """A ``running`` sync_run row; None when the database takes no writes (the run goes on)."""
    try:
        return _start_run_write(kind, stream)
    except (peewee.DatabaseError, sqlite3.DatabaseError) as exc:
        _log_write_failed("run start", exc)
        return None


def _start_run_write(kind: str, stream: str) -> int:
    with write_transaction():
        cur = database.execute_sql(
            "INSERT INTO sync_run (kind, stream, started_at, pages, "
            "upserted, skipped_stale, errors, outcome, detail) "
            "VALUES (?, ?, ?, 0, 0, 0, 0, 'running', '')",
            (kind, stream, clock.now()),
        )
        return cur.lastrowid


def finish_run(
    run_id: int | None, *, pages: int, upserted: int, skipped: int, errors: int, outcome: str, detail: str
) -> None:
    """Close a sync log row with its counts and outcome (best effort) and keep the last runs."""
    if run_id is None:
        return
    try:
        _finish_run_write(
            run_id,
            pages=pages,
            upserted=upserted,
            skipped=skipped,
            errors=errors,
            outcome=outcome,
            detail=detail,
        )
    except (peewee.DatabaseError, sqlite3.DatabaseError) as exc:
        _log_write_failed("run end", exc)


def _finish_run_write(
    run_id: int, *, pages: int, upserted: int, skipped: int, errors: int, outcome: str, detail: str
) -> None:
    with write_transaction():
        database.execute_sql(
            "UPDATE sync_run SET finished_at = ?, pages = ?, upserted = ?, skipped_stale = ?, errors = ?, "
            "outcome = ?, detail = ? WHERE id = ?",
            (clock.now(), pages, upserted, skipped, errors, outcome, redact_text(detail)[:1000], run_id),
        )
        database.execute_sql(
            "DELETE FROM sync_run WHERE id <= (SELECT MAX(id) FROM sync_run) - ?", (KEEP_RUNS,)
        )


def demo_origin_ts() -> int | None:
    """The ``now`` a demo shop was generated at (its history ends there), or None for other shops."""
    row = database.execute_sql("SELECT value_json FROM setting WHERE key = 'demo_origin'").fetchone()
    if row is None:
        return None
    try:
        return int(json.loads(row[0])["now"])
    except (ValueError, KeyError, TypeError):
        return None


def mark_interrupted_runs() -> None:
    """Runs still ``running`` when a new one starts were cut off (the process died): ``aborted``."""
    with write_transaction():
        database.execute_sql(
            "UPDATE sync_run SET outcome = 'aborted', detail = '程序中断', finished_at = started_at "
            "WHERE outcome = 'running'"
        )
