"""The status bar's view of sync: counts and the latest state from the sync tables (read-only)."""

from __future__ import annotations

from dataclasses import dataclass

from pdd_desktop.common import clock
from pdd_desktop.data.db import database
from pdd_desktop.domain import sync_rules as rules


@dataclass(frozen=True)
class SyncSummary:
    """The status bar's view of sync."""

    pending: int  #: ops waiting to upload (pending / in_flight / unknown)
    needs_attention: int  #: failed_permanent + pending ops with ≥ 8 attempts
    conflicts: int  #: unresolved conflicts
    last_ok_platform_ts: int | None  #: orders (else any stream) last pulled OK, platform time
    last_error: str
    auth_needed: bool
    running: bool


def sync_summary() -> SyncSummary:
    """Counts and the latest state from the sync tables (a few indexed reads)."""
    pending, attention = database.execute_sql(
        "SELECT COALESCE(SUM(state IN ('pending', 'in_flight', 'unknown')), 0), "
        "COALESCE(SUM(state = 'failed_permanent' OR (state IN ('pending', 'unknown') AND attempts >= ?)), 0) "
        "FROM outbox WHERE state IN ('pending', 'in_flight', 'unknown', 'failed_permanent')",
        (rules.ATTENTION_ATTEMPTS,),
    ).fetchone()
    conflicts = database.execute_sql(
        "SELECT COUNT(*) FROM sync_conflict WHERE resolved_at IS NULL"
    ).fetchone()[0]
    row = database.execute_sql("SELECT last_ok_at_server FROM sync_stream WHERE stream = 'orders'").fetchone()
    last_ok = row[0] if row else None
    if last_ok is None:
        last_ok = database.execute_sql("SELECT MAX(last_ok_at_server) FROM sync_stream").fetchone()[0]
    latest = database.execute_sql(
        "SELECT r.outcome, r.detail FROM sync_run r JOIN (SELECT kind, stream, MAX(id) AS id FROM sync_run "
        "WHERE outcome != 'running' AND outcome != 'aborted' GROUP BY kind, stream) m ON m.id = r.id "
        "ORDER BY r.id DESC"
    ).fetchall()
    errors = [d for o, d in latest if o not in ("ok", "cancelled")]
    auth = any(o == "auth_needed" for o, _ in latest)
    running = (
        database.execute_sql(
            "SELECT COUNT(*) FROM sync_run WHERE outcome = 'running' AND started_at >= ?",
            (clock.now() - 1800,),
        ).fetchone()[0]
        > 0
    )
    return SyncSummary(
        int(pending), int(attention), int(conflicts), last_ok, errors[0] if errors else "", auth, running
    )
