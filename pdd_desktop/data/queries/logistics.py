"""Aggregates behind 物流概况 (logistics overview) and its problem-parcel lists.

Everything is keyed on the packages shipped in a period ``[start, end)`` of ``package.shipped_at``:

- *Parcel figures* count live packages (``voided_at IS NULL``) that travel with a courier
  (``kind != 'none'``): parcels, no pickup scan ``no_pickup`` after shipping (the platform's
  fake-shipment risk), no tracking event for ``stalled``, a courier-reported problem
  (``is_exception``: 拒收, 退回, 问题件); all three only while not signed and only for parcels
  whose trace was fetched (``trace_fetched_at``), judged as of that fetch: the trace must
  *show* the problem (a trace read 2 h after shipping says nothing about a pickup at 24 h).
  Unsigned parcels never fetched are counted apart as ``unqueried`` (未查询).
  无物流发货 packages are counted apart (``no_logistics``): they never get a scan.
- *Order figures* count each order once, at its first live package (the earliest
  ``shipped_at``, ties broken by package id): group formed → shipped seconds, and late when
  that first shipment came after ``order.ship_deadline_at``. A merged package (合并发货)
  counts each of its orders; a split order (拆单, 补发) counts at its first package only, so an
  order whose first package left before ``start`` is not in the period. No-logistics
  shipments count here: the order was shipped.

Local days are Asia/Shanghai days computed in SQL as ``(shipped_at + 28800) / 86400``: China
has used a fixed UTC+8 without daylight saving since 1991, so the offset arithmetic equals the
time-zone conversion for every stored time; ``day * 86400 - 28800`` is that day's midnight in
UTC epoch seconds (:func:`day_start`).

Plan: the period scan is ``SEARCH package USING INDEX package_voided_at_signed_at_shipped_at
(voided_at=?)`` with ``shipped_at`` checked inside the index, so only packages in the period
are read from the table; problem lists add ``signed_at IS NULL`` and use the whole index
(``voided_at=? AND signed_at=? AND shipped_at<?``).
"""

from __future__ import annotations

from pdd_desktop.data.db import database

#: Asia/Shanghai is UTC+8 all year (no DST since 1991).
LOCAL_OFFSET_S = 8 * 3600
DAY_S = 86400

#: (courier_id, day, parcels, no_logistics, no_pickup, stalled, exception, unqueried,
#:  orders, timed_orders, ship_seconds, deadline_orders, late_orders)
FigureRow = tuple[int | None, int, int, int, int, int, int, int, int, int, int, int, int]

#: SQL conditions on a package (alias ``p.`` or none) with the parameters ``:now``,
#: ``:no_pickup_s`` and ``:stalled_s``: the problem is shown by the fetched trace, as of
#: ``min(trace_fetched_at, now)``. Callers add "live, unsigned, with a courier".
_ACTIVITY = "max(COALESCE({p}last_event_at, {p}shipped_at), {p}shipped_at)"
_AS_OF = "min({p}trace_fetched_at, :now)"
PROBLEM_SQL: dict[str, str] = {
    "no_pickup": (
        "{p}trace_fetched_at IS NOT NULL AND {p}first_scan_at IS NULL "
        "AND {p}shipped_at <= :now - :no_pickup_s "
        f"AND {{p}}shipped_at + :no_pickup_s <= {_AS_OF}"
    ),
    "stalled": (
        "{p}trace_fetched_at IS NOT NULL AND {p}shipped_at <= :now - :stalled_s "
        f"AND {_ACTIVITY} + :stalled_s <= {_AS_OF}"
    ),
    "exception": "{p}trace_fetched_at IS NOT NULL AND {p}is_exception = 1",
}


def problem_condition(kind: str, alias: str = "") -> str:
    """The SQL condition of problem ``kind`` (``no_pickup``, ``stalled``, ``exception``)."""
    p = f"{alias}." if alias else ""
    return PROBLEM_SQL[kind].format(p=p)


def any_problem_condition(alias: str = "") -> str:
    """A live, unsigned parcel with any problem (物流异常): the union of the three kinds."""
    return "(" + " OR ".join(f"({problem_condition(k, alias)})" for k in PROBLEM_SQL) + ")"

# `p` is materialized once: both halves read the same packages, and each table row is sought
# once. The order half skips the (covering) sibling check for orders with a single package.
_FIGURES_SQL = f"""
WITH p AS MATERIALIZED (
    SELECT id, courier_id, kind, shipped_at, first_scan_at, last_event_at, signed_at, is_exception,
           trace_fetched_at
    FROM package
    WHERE voided_at IS NULL AND shipped_at >= :start AND shipped_at < :end
)
SELECT courier_id, day,
       SUM(parcels), SUM(no_logistics), SUM(no_pickup), SUM(stalled), SUM(exception), SUM(unqueried),
       SUM(orders), SUM(timed), SUM(ship_seconds), SUM(deadline), SUM(late)
FROM (
    SELECT courier_id,
           (shipped_at + {LOCAL_OFFSET_S}) / {DAY_S} AS day,
           kind != 'none' AS parcels,
           kind = 'none' AS no_logistics,
           kind != 'none' AND signed_at IS NULL AND ({problem_condition("no_pickup")}) AS no_pickup,
           kind != 'none' AND signed_at IS NULL AND ({problem_condition("stalled")}) AS stalled,
           kind != 'none' AND signed_at IS NULL AND ({problem_condition("exception")}) AS exception,
           kind != 'none' AND signed_at IS NULL AND trace_fetched_at IS NULL AS unqueried,
           0 AS orders, 0 AS timed, 0 AS ship_seconds, 0 AS deadline, 0 AS late
    FROM p
    UNION ALL
    SELECT p.courier_id,
           (p.shipped_at + {LOCAL_OFFSET_S}) / {DAY_S},
           0, 0, 0, 0, 0, 0,
           1,
           o.group_formed_at IS NOT NULL,
           COALESCE(p.shipped_at - o.group_formed_at, 0),
           o.ship_deadline_at IS NOT NULL,
           COALESCE(p.shipped_at > o.ship_deadline_at, 0)
    FROM p
    JOIN package_order po ON po.package_id = p.id
    JOIN "order" o ON o.id = po.order_id
    WHERE (SELECT COUNT(*) FROM package_order n WHERE n.order_id = po.order_id) = 1
       OR NOT EXISTS (
            SELECT 1 FROM package_order po2 JOIN package q ON q.id = po2.package_id
            WHERE po2.order_id = po.order_id AND q.voided_at IS NULL
              AND (q.shipped_at < p.shipped_at OR (q.shipped_at = p.shipped_at AND q.id < p.id)))
)
GROUP BY courier_id, day
"""


def day_start(day: int) -> int:
    """UTC epoch seconds of the Beijing midnight that starts local day number ``day``."""
    return day * DAY_S - LOCAL_OFFSET_S


def local_day(ts: int) -> int:
    """The local day number of ``ts``, as the SQL above computes it."""
    return (ts + LOCAL_OFFSET_S) // DAY_S


def figures_by_courier_day(
    start: int, end: int, *, now: int, no_pickup_s: int, stalled_s: int
) -> list[FigureRow]:
    """Parcel and order figures per (courier, local day) for packages shipped in [start, end).

    A fetched parcel counts as no-pickup when its trace has no scan ``no_pickup_s`` after
    shipping, as stalled when its latest activity (last event, else shipping) was
    ``stalled_s`` old, both as of ``min(trace_fetched_at, now)``; as exception when the
    courier reported one. All only while not signed. ``courier_id`` is None for
    no-logistics shipments.
    """
    cursor = database.execute_sql(
        _FIGURES_SQL,
        {"start": start, "end": end, "now": now, "no_pickup_s": no_pickup_s, "stalled_s": stalled_s},
    )
    return [tuple(int(v) if v is not None else None for v in row) for row in cursor.fetchall()]


def shop_has_platform() -> bool:
    """The shop row carries a platform mall id (synced with the platform, or a demo shop)."""
    row = database.execute_sql("SELECT 1 FROM shop WHERE mall_id IS NOT NULL LIMIT 1").fetchone()
    return row is not None


def courier_names() -> dict[int, str]:
    """Courier id → name."""
    return {cid: name for cid, name in database.execute_sql("SELECT id, name FROM courier").fetchall()}


#: (package_id, courier_name, tracking_number, shipped_at, first_scan_at, last_event_at,
#:  order_sns joined by ",", receiver_name_mask, receiver_phone_mask, province, city)
ProblemRow = tuple[int, str, str, int, int | None, int | None, str, str, str, str, str]

_PROBLEM_ORDER = {
    "no_pickup": "p.shipped_at, p.id",
    "stalled": "max(COALESCE(p.last_event_at, p.shipped_at), p.shipped_at), p.id",
    "exception": "COALESCE(p.last_event_at, p.shipped_at), p.id",
}


def problem_parcels(
    kind: str,
    *,
    now: int,
    no_pickup_s: int,
    stalled_s: int,
    courier_id: int | None = None,
    start: int | None = None,
    end: int | None = None,
    limit: int = 500,
) -> list[ProblemRow]:
    """Live, unsigned parcels with a problem, oldest first; one row per parcel.

    ``kind`` is ``"no_pickup"``, ``"stalled"`` or ``"exception"`` (:func:`problem_condition`:
    judged on the fetched trace). ``start``/``end`` limit shipping to a period,
    ``courier_id`` to one courier. A merged parcel lists all its orders; the receiver is its
    first order's, masked (the ``*_mask`` columns only).
    """
    if kind not in PROBLEM_SQL:
        raise ValueError(f"unknown problem kind: {kind!r}")
    where = [
        "p.voided_at IS NULL",
        "p.signed_at IS NULL",
        "p.kind != 'none'",
        problem_condition(kind, "p"),
    ]
    params: dict[str, object] = {
        "now": now,
        "no_pickup_s": no_pickup_s,
        "stalled_s": stalled_s,
        "limit": limit,
    }
    if courier_id is not None:
        where.append("p.courier_id = :courier_id")
        params["courier_id"] = courier_id
    if start is not None:
        where.append("p.shipped_at >= :start")
        params["start"] = start
    if end is not None:
        where.append("p.shipped_at < :end")
        params["end"] = end
    # The inner query picks the parcels through the index; only those get their orders joined.
    # MIN(o.id) makes the bare receiver columns come from the parcel's first order (SQLite rule).
    sql = f"""
        SELECT p.id, COALESCE(c.name, ''), p.tracking_number, p.shipped_at, p.first_scan_at,
               p.last_event_at,
               (SELECT group_concat(order_sn, ',') FROM (
                    SELECT o2.order_sn FROM package_order l2 JOIN "order" o2 ON o2.id = l2.order_id
                    WHERE l2.package_id = p.id ORDER BY o2.id)),
               o.receiver_name_mask, o.receiver_phone_mask, o.province, o.city, MIN(o.id)
        FROM (SELECT * FROM package p WHERE {" AND ".join(where)}
              ORDER BY {_PROBLEM_ORDER[kind]} LIMIT :limit) AS p
        LEFT JOIN courier c ON c.id = p.courier_id
        LEFT JOIN package_order l ON l.package_id = p.id
        LEFT JOIN "order" o ON o.id = l.order_id
        GROUP BY p.id
        ORDER BY {_PROBLEM_ORDER[kind]}
    """
    rows = database.execute_sql(sql, params).fetchall()
    return [
        (
            row[0],
            row[1],
            row[2],
            row[3],
            row[4],
            row[5],
            row[6] or "",
            row[7] or "",
            row[8] or "",
            row[9] or "",
            row[10] or "",
        )
        for row in rows
    ]
