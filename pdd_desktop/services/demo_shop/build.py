"""Building a demo shop into a new database file (all or nothing), and reading its origin."""

from __future__ import annotations

import gc
import json
import os
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from pdd_desktop.common.fs import make_private
from pdd_desktop.common.task import TaskContext
from pdd_desktop.data.db import database
from pdd_desktop.data.migrations import migrate
from pdd_desktop.services.demo_shop.builder import _Builder


@dataclass(frozen=True)
class DemoSummary:
    """What :func:`build_demo_shop` wrote."""

    orders: int
    order_items: int
    buyers: int
    goods: int
    skus: int
    packages: int
    tracking_events: int
    after_sales: int
    after_sale_events: int
    stock_movements: int
    messages: int
    waybill_numbers: int
    db_bytes: int
    elapsed_s: float
    invoice_requests: int = 0


def build_demo_shop(
    db_path: Path, *, orders: int, seed: int, now: int, task: TaskContext | None = None
) -> DemoSummary:
    """Generate a demo shop with ``orders`` orders over the year ending at ``now`` into ``db_path``.

    The file is built beside ``db_path`` and only replaces it when complete; on any error or
    cancellation the partial file is deleted and ``db_path`` is left as it was.

    Args:
        db_path: The shop database to (re)create.
        orders: Number of orders (≥ 1).
        seed: Seed of the one random generator.
        now: UTC epoch seconds the shop's data ends at.
        task: Optional progress and cancel handle; progress labels are Chinese.

    Returns:
        Counts of what was written, the file size and the elapsed wall time.

    Raises:
        Cancelled: ``task`` was cancelled; nothing was changed.
        ValueError: ``orders`` is not positive.
    """
    if orders < 1:
        raise ValueError("orders must be at least 1")
    started = time.perf_counter()
    db_path = Path(db_path)
    tmp = db_path.with_name(db_path.name + ".building")
    _remove_db_files(tmp)
    conn: sqlite3.Connection | None = None
    # Millions of short-lived tuples: cyclic GC passes would cost seconds and find nothing.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        migrate(tmp)
        conn = sqlite3.connect(str(tmp), isolation_level=None)
        builder = _Builder(conn, orders=orders, seed=seed, now=now, task=task or TaskContext())
        counts = builder.run()
        # Where the data came from: the sandbox platform rebuilds the same history from it.
        origin = json.dumps({"orders": orders, "seed": seed, "now": now}, sort_keys=True)
        conn.execute(
            "INSERT OR REPLACE INTO setting (key, value_json, updated_at) VALUES (?, ?, ?)",
            (DEMO_ORIGIN_KEY, origin, now),
        )
        conn.execute("PRAGMA journal_mode=WAL")
        conn.close()
        conn = None
        for suffix in ("-wal", "-shm"):
            _remove(Path(str(db_path) + suffix))
        os.replace(tmp, db_path)
        make_private(db_path)  # the shop's data is the owner's only
    except BaseException:
        if conn is not None:
            conn.close()
        _remove_db_files(tmp)
        raise
    finally:
        if gc_was_enabled:
            gc.enable()
    return DemoSummary(
        **counts, db_bytes=db_path.stat().st_size, elapsed_s=round(time.perf_counter() - started, 3)
    )


#: The setting holding ``{"orders", "seed", "now"}`` of a generated demo shop.
DEMO_ORIGIN_KEY = "demo_origin"


@dataclass(frozen=True)
class DemoOrigin:
    """How a demo shop was generated: the same values rebuild the same history."""

    orders: int
    seed: int
    now: int


def demo_origin(conn: sqlite3.Connection | None = None) -> DemoOrigin | None:
    """The origin stored in the open shop (or in ``conn``); None for a real shop."""
    sql = "SELECT value_json FROM setting WHERE key = ?"
    if conn is not None:
        row = conn.execute(sql, (DEMO_ORIGIN_KEY,)).fetchone()
    else:
        row = database.execute_sql(sql, (DEMO_ORIGIN_KEY,)).fetchone()
    if row is None:
        return None
    data = json.loads(row[0])
    return DemoOrigin(int(data["orders"]), int(data["seed"]), int(data["now"]))


def _remove(path: Path) -> None:
    try:
        path.unlink()
    except FileNotFoundError:
        pass


def _remove_db_files(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        _remove(Path(str(path) + suffix))
