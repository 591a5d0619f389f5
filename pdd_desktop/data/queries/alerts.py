"""SQL of the alerts centre: the alert table, and the sets each alert rule reads.

Every rule query is shaped for an index that already exists, so one evaluation of every rule
stays well under 200 ms on a million orders (``python -m bench alerts``):

- ship deadlines: ``order_status_ship_deadline_at`` (status = 待发货, a deadline range);
- stock: the SKU table (thousands of rows at most) joined to its goods by primary key;
- parcels: ``package_voided_at_signed_at_shipped_at`` (live, unsigned parcels only);
- after-sales: ``after_sale_status_expire_at`` (waiting statuses, an expiry range);
- outbox: ``outbox_state_next_attempt_at``; sync runs: ``sync_run_started_at``;
- open alerts: ``alert_resolved_at``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from pdd_desktop.data.db import database
from pdd_desktop.data.queries import logistics
from pdd_desktop.domain.orders import OrderStatus

#: Columns of an alert row, in the order :func:`open_alerts` returns them.
ALERT_COLUMNS = (
    "key, kind, source, severity, title, why, count, amount_fen, target, target_ids, first_seen_at, "
    "last_seen_at, resolved_at, snoozed_until, notified_at"
)


# --- the alert table ---
def open_alerts() -> list[tuple]:
    """Every open alert (``resolved_at IS NULL``), most severe first, then newest."""
    return database.execute_sql(
        f"SELECT {ALERT_COLUMNS} FROM alert WHERE resolved_at IS NULL "
        "ORDER BY severity DESC, first_seen_at DESC, key"
    ).fetchall()


def alert(key: str) -> tuple | None:
    """One alert row by key (open or resolved), or None."""
    return database.execute_sql(f"SELECT {ALERT_COLUMNS} FROM alert WHERE key = ?", (key,)).fetchone()


def upsert_seen(
    *,
    key: str,
    kind: str,
    source: str,
    severity: int,
    title: str,
    why: str,
    count: int,
    amount_fen: int,
    target: str,
    target_ids: Sequence[int],
    now: int,
) -> None:
    """Record that the cause ``key`` holds now.

    A new key, or one resolved before, (re)opens with ``first_seen_at = now`` and no
    notification yet; an open one is updated in place (first seen, snooze and notification kept).
    """
    ids = json.dumps(list(target_ids), separators=(",", ":"))
    database.execute_sql(
        "INSERT INTO alert (key, kind, source, severity, title, why, count, amount_fen, target, target_ids, "
        "first_seen_at, last_seen_at, resolved_at, snoozed_until, notified_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, NULL) "
        "ON CONFLICT (key) DO UPDATE SET kind = excluded.kind, source = excluded.source, "
        "severity = excluded.severity, title = excluded.title, why = excluded.why, count = excluded.count, "
        "amount_fen = excluded.amount_fen, target = excluded.target, target_ids = excluded.target_ids, "
        "last_seen_at = excluded.last_seen_at, "
        "first_seen_at = CASE WHEN alert.resolved_at IS NULL THEN alert.first_seen_at "
        "ELSE excluded.first_seen_at END, "
        "snoozed_until = CASE WHEN alert.resolved_at IS NULL THEN alert.snoozed_until END, "
        "notified_at = CASE WHEN alert.resolved_at IS NULL THEN alert.notified_at END, "
        "resolved_at = NULL",
        (key, kind, source, severity, title, why, count, amount_fen, target, ids, now, now),
    )


def resolve(keys: Sequence[str], now: int) -> int:
    """Mark the open alerts ``keys`` resolved; returns how many were open."""
    if not keys:
        return 0
    marks = ",".join("?" * len(keys))
    cur = database.execute_sql(
        f"UPDATE alert SET resolved_at = ? WHERE resolved_at IS NULL AND key IN ({marks})", (now, *keys)
    )
    return cur.rowcount


def open_keys(source: str) -> set[str]:
    """Keys of the open alerts from ``source``."""
    rows = database.execute_sql(
        "SELECT key FROM alert WHERE resolved_at IS NULL AND source = ?", (source,)
    ).fetchall()
    return {r[0] for r in rows}


def set_snoozed(key: str, until: int | None) -> int:
    """Snooze the open alert ``key`` until ``until`` (None: show again); rows changed."""
    return database.execute_sql(
        "UPDATE alert SET snoozed_until = ? WHERE key = ? AND resolved_at IS NULL", (until, key)
    ).rowcount


def snoozed(now: int) -> dict[str, tuple[int, set[int]]]:
    """Open alerts snoozed past ``now``: key → (count, target ids) as last seen."""
    rows = database.execute_sql(
        "SELECT key, count, target_ids FROM alert WHERE resolved_at IS NULL AND snoozed_until > ?", (now,)
    ).fetchall()
    return {str(k): (int(c), set(json.loads(ids or "[]"))) for k, c, ids in rows}


def clear_snoozes(now: int) -> int:
    """Show every open alert snoozed past ``now`` again; rows changed."""
    return database.execute_sql(
        "UPDATE alert SET snoozed_until = NULL WHERE resolved_at IS NULL AND snoozed_until > ?", (now,)
    ).rowcount


def to_notify(min_severity: int, now: int) -> list[tuple]:
    """Open, not snoozed alerts of at least ``min_severity`` whose opening was never notified."""
    return database.execute_sql(
        f"SELECT {ALERT_COLUMNS} FROM alert WHERE resolved_at IS NULL AND notified_at IS NULL "
        "AND severity >= ? AND (snoozed_until IS NULL OR snoozed_until <= ?) ORDER BY severity DESC, key",
        (min_severity, now),
    ).fetchall()


def mark_notified(keys: Sequence[str], now: int) -> None:
    """Record that the openings of ``keys`` were notified."""
    if keys:
        marks = ",".join("?" * len(keys))
        database.execute_sql(f"UPDATE alert SET notified_at = ? WHERE key IN ({marks})", (now, *keys))


# --- what the rules read ---
def _ids(sql: str, params: tuple | dict = ()) -> list[int]:
    return [int(r[0]) for r in database.execute_sql(sql, params).fetchall()]


def first_order_sn() -> str | None:
    """The shop's smallest order number (rides the ``order_sn`` index), None without orders.

    Order numbers begin with the Beijing day the order was placed (``YYMMDD-``), so this is
    the day the shop's order records begin.
    """
    row = database.execute_sql('SELECT MIN(order_sn) FROM "order"').fetchone()
    return str(row[0]) if row and row[0] else None


def to_ship_deadline_between(start: int | None, end: int) -> list[tuple[int, int]]:
    """(order id, ship deadline) of unshipped orders whose deadline is in [start, end), soonest first."""
    params: tuple = (int(OrderStatus.TO_SHIP),)
    cond = "ship_deadline_at < ?"
    if start is not None:
        cond = "ship_deadline_at >= ? AND ship_deadline_at < ?"
        params += (start,)
    rows = database.execute_sql(
        f'SELECT id, ship_deadline_at FROM "order" WHERE status = ? AND {cond} ORDER BY ship_deadline_at, id',
        (*params, end),
    ).fetchall()
    return [(int(r[0]), int(r[1])) for r in rows]


def onsale_skus_at_or_below(*, zero: bool) -> list[tuple[int, int, int, str, str]]:
    """On-shelf SKUs of on-shelf goods out of stock (``zero``) or low (0 < stock ≤ threshold).

    Rows: (sku id, stock, threshold, goods name, spec), lowest stock first.
    """
    cond = "sku.stock <= 0" if zero else "sku.stock > 0 AND sku.stock <= sku.low_stock_threshold"
    rows = database.execute_sql(
        "SELECT sku.sku_id, sku.stock, sku.low_stock_threshold, goods.name, sku.spec FROM sku "
        "JOIN goods ON goods.goods_id = sku.goods_id "
        f"WHERE sku.is_onsale = 1 AND goods.is_onsale = 1 AND {cond} ORDER BY sku.stock, sku.sku_id"
    ).fetchall()
    return [(int(a), int(b), int(c), str(d), str(e)) for a, b, c, d, e in rows]


def problem_parcels(kind: str, now: int, no_pickup_s: int, stalled_s: int) -> list[tuple[int, int]]:
    """(package id, order id) of live, unsigned courier parcels showing problem ``kind``.

    ``stalled`` leaves out the parcels that never had a pickup scan (they are ``no_pickup``).
    """
    cond = logistics.problem_condition(kind, "p")
    if kind == "stalled":
        cond += f" AND NOT ({logistics.problem_condition('no_pickup', 'p')})"
    rows = database.execute_sql(
        "SELECT p.id, po.order_id FROM package p JOIN package_order po ON po.package_id = p.id "
        f"WHERE p.voided_at IS NULL AND p.signed_at IS NULL AND p.kind != 'none' AND {cond} "
        "ORDER BY p.shipped_at, p.id",
        {"now": now, "no_pickup_s": no_pickup_s, "stalled_s": stalled_s},
    ).fetchall()
    return [(int(a), int(b)) for a, b in rows]


def cases_expiring_before(codes: Sequence[int], before: int) -> list[tuple[int, int]]:
    """(case id, expire_at) of after-sales cases in ``codes`` the platform decides before ``before``."""
    marks = ",".join("?" * len(codes))
    rows = database.execute_sql(
        f"SELECT id, expire_at FROM after_sale WHERE status IN ({marks}) AND expire_at IS NOT NULL "
        "AND expire_at < ? ORDER BY expire_at, id",
        (*codes, before),
    ).fetchall()
    return [(int(a), int(b)) for a, b in rows]


def failing_outbox_ops(failed: str, retrying: Sequence[str], attempts: int) -> list[tuple[int, str, str]]:
    """(id, op type, last error) of ops the platform refused (``failed``) or retried ``attempts``+ times."""
    marks = ",".join("?" * len(retrying))
    rows = database.execute_sql(
        f"SELECT id, op_type, last_error FROM outbox WHERE state = ? "
        f"OR (state IN ({marks}) AND attempts >= ?) ORDER BY id",
        (failed, *retrying, attempts),
    ).fetchall()
    return [(int(a), str(b), str(c or "")) for a, b, c in rows]


def sync_run_summary() -> tuple[int | None, tuple[str, int | None, str] | None, int]:
    """The sync log's state for the 同步中断 rule.

    Returns:
        (finished_at of the last successful run, (outcome, finished_at, detail) of the latest
        finished run, runs failed since the last success).
    """
    last_ok = database.execute_sql("SELECT MAX(finished_at) FROM sync_run WHERE outcome = 'ok'").fetchone()[0]
    latest = database.execute_sql(
        "SELECT outcome, finished_at, detail FROM sync_run WHERE outcome != 'running' "
        "ORDER BY started_at DESC, id DESC LIMIT 1"
    ).fetchone()
    failed = database.execute_sql(
        "SELECT COUNT(*) FROM sync_run WHERE outcome NOT IN ('ok', 'running', 'offline', 'cancelled') "
        "AND started_at >= ?",
        (last_ok or 0,),
    ).fetchone()[0]
    return (
        None if last_ok is None else int(last_ok),
        None if latest is None else (str(latest[0]), latest[1], str(latest[2] or "")),
        int(failed or 0),
    )


def bills_fingerprint(start: int, end: int) -> tuple | None:
    """(files, newest file, newest line) of the bill ledger when a bill covers part of ``[start, end)``.

    None when none does. Cheap on any ledger: bill_period has a row per file, and the newest line
    id rides bill_entry's primary key (lines are only ever added).
    """
    covered = database.execute_sql(
        "SELECT 1 FROM bill_period WHERE start_at < ? AND end_at >= ? LIMIT 1", (end, start)
    ).fetchone()
    if covered is None:
        return None
    files = database.execute_sql("SELECT COUNT(*), MAX(batch_id) FROM bill_period").fetchone()
    line = database.execute_sql("SELECT MAX(id) FROM bill_entry").fetchone()
    return int(files[0]), files[1], line[0]


def database_file() -> str:
    """The open shop's database file (keys per-shop caches)."""
    return str(database.database)
