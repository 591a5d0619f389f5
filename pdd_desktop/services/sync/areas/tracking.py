"""Parcel traces: ``pdd.logistics.ordertrace.get`` for the parcels in transit.

One request per parcel, so the stream is paced rather than complete: each run asks for at most
:data:`MAX_TRACES_PER_RUN` traces, never-fetched parcels first and then the newest, and a
parcel is asked again only :data:`REQUERY_INTERVAL_S` after its last fetch. Signed parcels are
never asked again, nor parcels shipped more than :data:`TRACK_DAYS` days ago, voided ones,
无物流发货 and parcels whose courier has no code. A rate-limit answer (52101 / 70031) ends the
run's traces where they are (the rest follow next run); a courier that does not know a number
(50001) counts as fetched with no scans, which is what the trace says.

Events are written once: a scan already stored (same time, kind and courier text) is skipped,
so the demo shop's generated events and the sandbox's identical ones never double. The parcel's
``first_scan_at`` / ``last_event_at`` / ``signed_at`` / ``is_exception`` follow from all its
stored events, and ``trace_fetched_at`` is the platform time of the answer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pdd_desktop.common.changes import Changes
from pdd_desktop.data.db import database, write_transaction
from pdd_desktop.platform.apis import ApiSpec
from pdd_desktop.platform.errors import BusinessError, RateLimited
from pdd_desktop.platform.records import Page, TraceEventRecord
from pdd_desktop.services.sync.plugin import ApplyCounts, Area, PullContext, PullStream, rows_in

APIS = (
    # Response key as PDD's doc metadata spells it ("resposne"), from the NODE SDK's generated
    # packages/pdd-origin-api/src/wuLiu/PddLogisticsOrdertraceGet.ts: answer
    # `logistics_ordertrace_get_resposne.trace_list[{status_time, status_desc, action,
    # node_description, time, desc}]`; request `company_code`, `mail_no`; limiter level 4
    # (per app) 4800 calls / 20 s.
    ApiSpec("pdd.logistics.ordertrace.get", "logistics_ordertrace_get_resposne", read_only=True),
)

#: Trace requests per sync run (the app's limit is 4800 / 20 s over all its shops).
MAX_TRACES_PER_RUN = 60
#: A parcel's trace is asked again only this long after the last answer.
REQUERY_INTERVAL_S = 2 * 3600
#: Parcels shipped longer ago than this are no longer followed.
TRACK_DAYS = 15
#: Parcels asked per page (one write transaction each).
TRACES_PER_PAGE = 20


@dataclass(frozen=True)
class ParcelTrace:
    """One parcel's answer: its events as the courier reports them, fetched at ``fetched_at``."""

    package_id: int
    fetched_at: int
    events: tuple[TraceEventRecord, ...]


def parcels_to_trace(now: int, limit: int) -> list[tuple[int, str, str]]:
    """(package id, courier code, tracking number) of parcels due for a trace, in asking order.

    Never-fetched parcels come first, then the newest; a parcel is due when it is live,
    unsigned, with a courier code and a number, shipped within :data:`TRACK_DAYS`, and not
    fetched within :data:`REQUERY_INTERVAL_S`.
    """
    if limit <= 0:
        return []
    rows = database.execute_sql(
        "SELECT p.id, c.code, p.tracking_number FROM package p JOIN courier c ON c.id = p.courier_id "
        "WHERE p.voided_at IS NULL AND p.signed_at IS NULL AND p.kind != 'none' "
        "AND p.tracking_number != '' AND c.code != '' AND p.shipped_at >= ? "
        "AND (p.trace_fetched_at IS NULL OR p.trace_fetched_at <= ?) "
        "ORDER BY p.trace_fetched_at IS NOT NULL, p.shipped_at DESC, p.id DESC LIMIT ?",
        (now - TRACK_DAYS * 86400, now - REQUERY_INTERVAL_S, limit),
    ).fetchall()
    return [(int(r[0]), str(r[1]), str(r[2])) for r in rows]


def apply_traces(traces: Sequence[ParcelTrace]) -> ApplyCounts:
    """Store new events (each once) and the parcels' scan times; inside the caller's transaction."""
    counts = ApplyCounts()
    if not traces:
        return counts
    ids = [t.package_id for t in traces]
    stored: dict[int, list[tuple[int, str, str]]] = {}
    for pid, at, kind, text in rows_in(
        "SELECT package_id, at, kind, description FROM tracking_event WHERE package_id IN ({marks})", ids
    ):
        stored.setdefault(int(pid), []).append((int(at), str(kind), str(text)))
    # Scan times known without event rows (older data) are kept: the trace only adds to them.
    live = {
        int(r[0]): (r[1], r[2])
        for r in rows_in("SELECT id, first_scan_at, last_event_at FROM package WHERE id IN ({marks})", ids)
    }
    conn = database.connection()
    for trace in traces:
        if trace.package_id not in live:
            continue
        events = stored.setdefault(trace.package_id, [])
        seen = set(events)
        new = []
        for e in trace.events:
            key = (e.at, e.kind, e.description)
            if key in seen:
                continue
            seen.add(key)
            new.append(e)
            events.append(key)
        if new:
            conn.executemany(
                "INSERT INTO tracking_event (package_id, at, kind, location, description) "
                "VALUES (?, ?, ?, ?, ?)",
                [(trace.package_id, e.at, e.kind, e.location, e.description) for e in new],
            )
            counts.upserted += 1
        else:
            counts.same += 1
        times = [at for at, _k, _t in events] + [t for t in live[trace.package_id] if t is not None]
        signed = min((at for at, k, _t in events if k == "signed"), default=None)
        exception = signed is None and any(k == "exception" for _a, k, _t in events)
        conn.execute(
            "UPDATE package SET first_scan_at = ?, last_event_at = ?, signed_at = COALESCE(signed_at, ?), "
            "is_exception = ?, trace_fetched_at = ? WHERE id = ?",
            (
                min(times, default=None),
                max(times, default=None),
                signed,
                1 if exception else 0,
                trace.fetched_at,
                trace.package_id,
            ),
        )
    return counts


def _fetch(ctx: PullContext, page: int) -> Page[ParcelTrace]:
    left = ctx.run_state.setdefault("traces_left", MAX_TRACES_PER_RUN)
    now = ctx.client.platform_now()
    due = parcels_to_trace(now, min(left, TRACES_PER_PAGE))
    out: list[ParcelTrace] = []
    for pid, code, number in due:
        if ctx.task is not None:
            ctx.task.raise_if_cancelled()
            ctx.task.report(MAX_TRACES_PER_RUN - left, MAX_TRACES_PER_RUN, "查询物流轨迹")
        left -= 1
        ctx.run_state["traces_left"] = left
        try:
            events = ctx.client.order_trace(code, number)
        except RateLimited:
            ctx.deferred = True
            return Page(tuple(out), None, False)
        except BusinessError:
            events = ()  # the courier does not know the number: no scans
        out.append(ParcelTrace(pid, ctx.client.platform_now(), events))
    more = left > 0 and len(due) == TRACES_PER_PAGE
    if left <= 0 and due:
        ctx.deferred = True
    return Page(tuple(out), None, more)


def _apply(ctx: PullContext, items: Sequence[ParcelTrace]) -> None:
    if not items:
        return
    with write_transaction():
        ctx.tally.add(apply_traces(items))


STREAM = PullStream("traces", "物流轨迹", Changes(shipments=True), fetch=_fetch, apply=_apply)

AREA = Area("tracking", streams=(STREAM,), apis=APIS)
