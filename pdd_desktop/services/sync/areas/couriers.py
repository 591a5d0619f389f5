"""Couriers: the platform's logistics companies (pulled whole, no cursor)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from pdd_desktop.common.changes import Changes
from pdd_desktop.data.db import database, write_transaction
from pdd_desktop.platform.apis import ApiSpec
from pdd_desktop.platform.records import CourierRecord, Page
from pdd_desktop.services.sync.plugin import ApplyCounts, Area, PullContext, PullStream, rows_in

APIS = (
    # Sent with the token (harmless if unneeded [I]); the sandbox answers without one.
    ApiSpec(
        "pdd.logistics.companies.get", "logistics_companies_get_response", read_only=True, needs_token=False
    ),
)


def ensure_couriers(ids: Iterable[int]) -> None:
    """Placeholder courier rows for ids the platform used but the courier list has not given yet."""
    wanted = sorted({int(i) for i in ids if i})
    if not wanted:
        return
    known = {r[0] for r in rows_in("SELECT id FROM courier WHERE id IN ({marks})", wanted)}
    missing = [i for i in wanted if i not in known]
    if missing:
        database.connection().executemany(
            "INSERT INTO courier (id, name, code, available, tracking_pattern, sort_order) "
            "VALUES (?, ?, '', 1, '', 100)",
            [(i, f"快递公司 {i}") for i in missing],
        )


def apply_couriers(records: Sequence[CourierRecord]) -> ApplyCounts:
    """Upsert the logistics companies (name, code, availability; local pattern and order kept)."""
    counts = ApplyCounts()
    have = {
        r[0]: (r[1], r[2], bool(r[3]))
        for r in database.execute_sql("SELECT id, name, code, available FROM courier").fetchall()
    }
    conn = database.connection()
    for c in records:
        now_value = (c.logistics_company, c.code, c.available)
        old = have.get(c.id)
        if old == now_value:
            counts.same += 1
            continue
        if old is None:
            conn.execute(
                "INSERT INTO courier (id, name, code, available, tracking_pattern, sort_order) "
                "VALUES (?, ?, ?, ?, '', 100)",
                (c.id, c.logistics_company, c.code, 1 if c.available else 0),
            )
        else:
            conn.execute(
                "UPDATE courier SET name = ?, code = ?, available = ? WHERE id = ?",
                (c.logistics_company, c.code, 1 if c.available else 0, c.id),
            )
        counts.upserted += 1
    return counts


def _fetch(ctx: PullContext, page: int) -> Page[CourierRecord]:
    return Page(tuple(ctx.client.logistics_companies()), None, False)


def _apply(ctx: PullContext, records: Sequence[CourierRecord]) -> None:
    with write_transaction():
        ctx.tally.add(apply_couriers(records))


STREAM = PullStream("couriers", "快递公司", Changes(shipments=True), fetch=_fetch, apply=_apply)

AREA = Area("couriers", streams=(STREAM,), apis=APIS)
