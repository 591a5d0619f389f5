"""Sync benchmarks (issue 5 "Performance"): initial pull, apply vs raw, no-op run, UI stalls.

The initial pull of a 100,000-order sandbox, the apply step against raw sqlite3, an incremental
run with nothing new, and UI stalls during a catch-up.

Figures (one run builds everything in a temporary folder and deletes it afterwards):

- ``sync_sandbox_build_s``: building the sandbox platform's shop (``SandboxShop.open`` →
  ``build_demo_shop``), not part of any sync figure;
- ``sync_initial_orders_per_s``: an empty local shop (migrated schema, no orders) pulls the
  sandbox's whole order history (cursor from the first order's ``updated_at``, 30-minute windows)
  over loopback HTTP with the app's :class:`SyncEngine`; orders written / wall seconds of the
  order stream. The sandbox runs in-process on 127.0.0.1 as in the app's demo mode (its HTTP
  thread shares the GIL with the engine). ``--days`` measures on the last N days only and
  prints the extrapolation to the whole year separately (``sync_initial_full_est_s``);
- ``sync_initial_total_s`` and ``sync_initial_<stream>_s``: the first ``run_once`` per stream;
- ``sync_apply_ms`` / ``sync_raw_apply_ms`` / ``sync_apply_vs_raw_ratio``: the pulled
  ``OrderRecord`` s of up to 20,000 orders, regrouped in pages of 100, written (a) by
  ``services.sync.areas.orders.apply_orders`` (one write transaction per page, as the engine
  does) into a fresh empty shop and (b) by raw sqlite3 ``executemany`` of exactly the rows (a) wrote (orders,
  items, parcels) into an identical empty schema, one transaction per page, same pragmas
  (target: ratio within 3);
- ``sync_noop_s``: a second ``run_once`` (all streams, push included) with nothing new on the
  platform (target under 1 s);
- ``sync_ui_max_stall_ms``: in a subprocess, an offscreen main window on the synced shop with
  发货中心 open while a ``SyncController`` run on the sync lane catches up a few thousand new
  orders (the sandbox simulation advanced by ``--catchup-hours`` at a high speed beforehand);
  the bench switches tabs and scrolls meanwhile; the longest gap of a 5 ms UI timer during the
  run (target under 50 ms). As in the app, the engine runs in a worker process
  (``pdd_desktop.sync_process.SyncProcess``) which, as in demo mode, also serves the sandbox;
  ``sync_ui_max_stall_remote_ms`` is the same run with the sandbox in a third process (the
  shape of API mode, where the platform is elsewhere).

The first sync of a shop with a year of history (``python -m bench sync_backfill``, or
``python -m bench.sync --backfill-only``): an empty local shop and the engine as API mode builds
it (no history came with the shop, so the orders backfill through ``pdd.order.list.get``), every
request delayed by ``--latency-ms`` (default 50 ms, a real gateway's round trip) in the sandbox:

- ``sync_backfill_100k_50ms_s``: the whole first ``run_once`` (couriers, goods, the orders
  backfill of the 3 months the platform serves plus the increment catch-up, after-sales) (target
  under 180 s); ``sync_backfill_requests``: the router calls it made (``sync_backfill_orders``:
  orders local afterwards, of the sandbox's year);
- ``sync_first_day_usable_s``: from the start until today's and yesterday's orders (成交 since
  Beijing midnight yesterday) are all local, checked against the sandbox (target under 15 s).

The year-long increment pull above (``sync_initial_*``) measures the engine, not the platform:
its client has the per-API rate limits off (``rate_limits=False``), which would otherwise make
the year's after-sales windows alone take half an hour, as they would on the real platform.

``bench/__main__.py`` registers it after ``bench_shop``::

    from bench import sync as _sync_bench
    _sync_bench.register(benchmark, figure, bench_shop)

Standalone: ``python -m bench.sync [--orders 100000] [--days N] [--no-ui]``. The sync benchmark
builds its own sandbox of ``--orders`` (default 100,000 regardless of ``python -m bench --orders``,
the issue's size); it does not use the cached bench shop.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

#: The issue's size of the sandbox for the sync figures.
SYNC_ORDERS = 100_000
SEED = 7
#: The demo data's end (fixed, so every run builds the same shop): 2026-11-23 12:00 UTC.
NOW0 = 1_795_435_200
#: The platform clock starts this long after the demo's end (settle lag 180 s covers it all).
AHEAD_S = 600
#: Orders whose parsed records feed the apply-vs-raw comparison.
APPLY_SAMPLE = 20_000
APPLY_PAGE = 100
OUT = Path(__file__).parent / "out"

Figure = Callable[[str, float, str], None]


# --------------------------------------------------------------------------------------------
# Set-up
# --------------------------------------------------------------------------------------------


class Rig:
    """A sandbox platform (in-process HTTP on 127.0.0.1) and an empty local shop."""

    def __init__(
        self, work: Path, orders: int, figure: Figure, *, speed: float = 1.0, latency_ms: float = 0.0
    ) -> None:
        from pdd_desktop.sandbox.server import SandboxServer
        from pdd_desktop.sandbox.state import SandboxShop

        self.work = work
        self.orders = orders
        t0 = time.time()
        start = time.perf_counter()
        self.shop = SandboxShop.open(
            work / "sandbox",
            orders=orders,
            seed=SEED,
            now0=NOW0,
            clock=lambda: NOW0 + AHEAD_S + (time.time() - t0),
            speed=speed,
        )
        figure("sync_sandbox_build_s", time.perf_counter() - start, "s")
        # No simulation: the platform's data stays the demo history while the clock runs.
        self.server = SandboxServer(self.shop, run_sim=False, latency_ms=latency_ms)
        self.url = self.server.start()

    def client(self, *, rate_limits: bool = False, transport=None):
        from pdd_desktop.platform.client import StaticTokenSource
        from pdd_desktop.services.sync import platform_client

        creds = self.shop.credentials
        c = platform_client(
            self.url,
            creds.client_id,
            creds.client_secret,
            tokens=StaticTokenSource(creds.access_token),
            rng=random.Random(7),
            rate_limits=rate_limits,
            transport=transport,
        )
        # The platform clock is far from the real one: start from the known offset (as a saved
        # one would), as tests/services/test_sync_harness.py does.
        c.offset_s = round(self.shop.platform_now() - time.time())
        return c

    def close(self) -> None:
        self.server.stop()
        self.shop.close()


def empty_shop(data_dir: Path, name: str):
    """A migrated shop with no orders, bound as the app's database; returns its ShopPaths."""
    from pdd_desktop.common.paths import shop_paths
    from pdd_desktop.services import shop as shop_service

    paths = shop_paths(data_dir, name).ensure()
    shop_service.open_shop(paths)
    return paths


class RecordingClient:
    """Wraps a PlatformClient: keeps the first ``limit`` order records the order pull parsed."""

    def __init__(self, client, limit: int) -> None:
        self._client = client
        self.limit = limit
        self.records: dict[str, object] = {}

    def __getattr__(self, name: str):
        return getattr(self._client, name)

    def order_increment(self, *args, **kwargs):
        page = self._client.order_increment(*args, **kwargs)
        for rec in page.items:
            if len(self.records) >= self.limit:
                break
            self.records[rec.order_sn] = rec  # a re-read page keeps the newest version
        return page


# --------------------------------------------------------------------------------------------
# 1 + 3: initial pull and a no-op run
# --------------------------------------------------------------------------------------------


def run_initial(rig: Rig, data_dir: Path, figure: Figure, *, days: float | None) -> tuple[object, list]:
    """Pull everything into an empty shop; returns (shop paths, the recorded order records)."""
    from pdd_desktop.data.db import database
    from pdd_desktop.services.sync import STREAMS, SyncEngine

    first_ts, last_ts, total = rig.shop.query(
        'SELECT MIN(platform_updated_at), MAX(platform_updated_at), COUNT(*) FROM "order"'
    )[0]
    cursor = first_ts if days is None else int(rig.shop.platform_now() - days * 86400)
    in_range = rig.shop.query('SELECT COUNT(*) FROM "order" WHERE platform_updated_at >= ?', (cursor,))[0][0]
    span_days = (last_ts - cursor) / 86400
    print(
        f"  sandbox: {total:,} orders, updated_at over {(last_ts - first_ts) / 86400:.0f} days; "
        f"pulling {in_range:,} orders from {span_days:.1f} days "
        f"(~{int(span_days * 48) + 1:,} windows of 30 min)",
        flush=True,
    )
    paths = empty_shop(data_dir, "initial")
    recorder = RecordingClient(rig.client(), APPLY_SAMPLE)
    engine = SyncEngine(recorder, initial_cursor_ts=cursor, rng=random.Random(3), source="demo")
    engine._calibrate()
    times: dict[str, float] = {}
    reports = {}
    start_all = time.perf_counter()
    for stream in STREAMS:  # run_once's order, timed per stream
        start = time.perf_counter()
        reports[stream] = engine.pull(stream)
        times[stream] = time.perf_counter() - start
    total_s = time.perf_counter() - start_all
    for stream, rep in reports.items():
        print(
            f"  {stream}: {rep.windows:,} windows, {rep.pages:,} pages, {rep.upserted:,} written, "
            f"{times[stream]:.1f} s{'  ERROR ' + rep.error if rep.error else ''}",
            flush=True,
        )
        figure(f"sync_initial_{stream}_s", times[stream], "s")
    figure("sync_initial_total_s", total_s, "s")
    written = database.execute_sql('SELECT COUNT(*) FROM "order"').fetchone()[0]
    if written < in_range:
        raise SystemExit(f"the initial pull wrote {written:,} of {in_range:,} orders")
    rate = written / times["orders"]
    figure("sync_initial_orders_per_s", rate, "orders/s")
    if days is not None:
        print(
            f"  measured on the last {days:g} days ({written:,} orders); the whole history "
            f"({total:,} orders, {(last_ts - first_ts) / 86400:.0f} days) extrapolated by windows and "
            f"orders:",
            flush=True,
        )
        per_window = times["orders"] / max(1, reports["orders"].windows)
        # Most of the cost is per window (1 request + 3 small transactions) plus per order.
        figure("sync_initial_full_est_s", per_window * ((last_ts - first_ts) / 1800 + 1), "s")

    # 3: nothing new on the platform (simulation not advanced): one more run_once.
    start = time.perf_counter()
    report = engine.run_once()
    noop = time.perf_counter() - start
    if report.outcome != "ok":
        raise SystemExit(f"the no-op run failed: {report.outcome} {report.message}")
    print(
        "  no-op run: "
        + ", ".join(f"{s.stream} {s.windows}w/{s.pages}p/{s.upserted}" for s in report.streams),
        flush=True,
    )
    figure("sync_noop_s", noop, "s")
    engine.client.close()
    return paths, list(recorder.records.values())


# --------------------------------------------------------------------------------------------
# 5: a year's first sync through the list-API backfill, at a real gateway's latency
# --------------------------------------------------------------------------------------------


class CountingTransport:
    """An httpx transport that counts the requests it sends (thread-safe)."""

    def __init__(self) -> None:
        import threading

        import httpx

        self._inner = httpx.HTTPTransport()
        self._lock = threading.Lock()
        self.requests = 0

    def handle_request(self, request):
        with self._lock:
            self.requests += 1
        return self._inner.handle_request(request)

    def close(self) -> None:
        self._inner.close()


def _first_day_start(platform_now: int) -> int:
    """Beijing midnight of yesterday, as epoch seconds."""
    from datetime import datetime, timedelta, timezone

    bj = timezone(timedelta(hours=8))
    today = datetime.fromtimestamp(platform_now, bj).replace(hour=0, minute=0, second=0, microsecond=0)
    return int((today - timedelta(days=1)).timestamp())


def run_backfill(work: Path, orders: int, figure: Figure, *, latency_ms: float = 50.0) -> None:
    """The first sync of an empty shop against a year of history, every request delayed."""
    from pdd_desktop.common.task import TaskContext
    from pdd_desktop.data.db import database
    from pdd_desktop.services import shop as shop_service
    from pdd_desktop.services.sync import SyncEngine

    rig = Rig(work, orders, figure, latency_ms=latency_ms)
    try:
        empty_shop(work / "data", "backfill")
        counter = CountingTransport()
        client = rig.client(rate_limits=True, transport=counter)
        engine = SyncEngine(client, rng=random.Random(3))  # as API mode builds it
        engine._calibrate()
        started_at = client.platform_now()
        marks: dict[str, float] = {}
        total = rig.shop.query('SELECT COUNT(*) FROM "order"')[0][0]

        # today's and yesterday's orders (成交 since Beijing midnight yesterday, up to the start)
        day0 = _first_day_start(started_at)
        want = {
            r[0]
            for r in rig.shop.query(
                'SELECT order_sn FROM "order" WHERE confirmed_at BETWEEN ? AND ?', (day0, started_at)
            )
        }
        missing_then: list[int] = []
        counter.requests = 0
        start = time.perf_counter()

        class Watch(TaskContext):
            def report(self, done, total_=None, label=None):
                super().report(done, total_, label)
                if label and label.startswith("首次同步订单") and done >= 2 and "first_day" not in marks:
                    marks["first_day"] = time.perf_counter() - start  # days 0 and 1 are applied
                    have = {
                        r[0]
                        for r in database.execute_sql(
                            'SELECT order_sn FROM "order" WHERE confirmed_at >= ?', (day0,)
                        )
                    }
                    missing_then.append(len(want - have))

        report = engine.run_once(task=Watch())
        elapsed = time.perf_counter() - start
        if report.outcome != "ok":
            raise SystemExit(f"the first sync failed: {report.outcome} {report.message}")
        if missing_then != [0]:
            raise SystemExit(f"today's and yesterday's orders were not all local at the mark: {missing_then}")
        local = database.execute_sql('SELECT COUNT(*) FROM "order"').fetchone()[0]
        horizon = rig.shop.query(
            'SELECT COUNT(*) FROM "order" WHERE confirmed_at >= ?', (started_at - 90 * 86400,)
        )[0][0]
        by = {s.stream: s for s in report.streams}
        for name, s in by.items():
            print(
                f"  {name}: {s.windows:,} windows, {s.pages:,} requests, {s.upserted:,} written", flush=True
            )
        print(
            f"  {local:,} of the sandbox's {total:,} orders are local ({horizon:,} confirmed within the "
            f"3 months the platform serves; the year's older part is the stated limit); "
            f"{len(want):,} orders of today and yesterday",
            flush=True,
        )
        waited = sum(lim.waited_s for lim in client.limiters.values())
        if waited:
            print(f"  the rate limiters held requests back for {waited:.1f} s in all", flush=True)
        figure("sync_first_day_usable_s", marks.get("first_day", elapsed), "s")
        figure(f"sync_backfill_{_size(orders)}_{latency_ms:g}ms_s", elapsed, "s")
        figure("sync_backfill_requests", counter.requests, "requests")
        figure("sync_backfill_orders", local, "orders")
        client.close()
    finally:
        shop_service.close_shop()
        rig.close()


def _size(orders: int) -> str:
    return f"{orders // 1000}k" if orders % 1000 == 0 else str(orders)


# --------------------------------------------------------------------------------------------
# 2: apply vs raw executemany
# --------------------------------------------------------------------------------------------

#: Tables the order apply writes, in foreign-key order.
_APPLY_TABLES = ("order", "order_item", "package", "package_order")


def run_apply_vs_raw(records: list, data_dir: Path, figure: Figure, *, profile: bool = False) -> None:
    """Time ``apply_orders`` on pages of the recorded records against raw ``executemany``."""
    from pdd_desktop.data.db import PRAGMAS, close_database, open_database, write_transaction
    from pdd_desktop.services import shop as shop_service
    from pdd_desktop.services.sync.areas import orders as sync_pull

    pages = [records[i : i + APPLY_PAGE] for i in range(0, len(records), APPLY_PAGE)]
    paths = empty_shop(data_dir, "apply")
    shop_service.close_shop()
    raw_db = paths.db_file.with_name("raw.db")
    src = sqlite3.connect(paths.db_file)
    dst = sqlite3.connect(raw_db)
    src.backup(dst)  # the identical empty schema (triggers and indexes included)
    src.close()
    dst.close()

    # (a) the engine's apply step, as _apply_page calls it: one write transaction per page.
    open_database(paths.db_file)
    profiler = None
    if profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    start = time.perf_counter()
    written = 0
    for page in pages:
        with write_transaction():
            written += sync_pull.apply_orders(page, source="demo").upserted
    engine_s = time.perf_counter() - start
    if profiler is not None:
        import pstats

        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
    close_database()

    # (b) exactly the rows (a) wrote, by raw executemany, one transaction per page.
    conn = sqlite3.connect(paths.db_file)
    rows: dict[str, list[tuple]] = {}
    cols: dict[str, list[str]] = {}
    for table in _APPLY_TABLES:
        cur = conn.execute(f'SELECT * FROM "{table}" ORDER BY rowid')
        cols[table] = [d[0] for d in cur.description]
        rows[table] = cur.fetchall()
    conn.close()
    by_order: dict[str, dict[int, list[tuple]]] = {t: {} for t in _APPLY_TABLES}
    order_ids = [r[0] for r in rows["order"]]
    for table, key in (("order_item", "order_id"), ("package_order", "order_id")):
        k = cols[table].index(key)
        for r in rows[table]:
            by_order[table].setdefault(r[k], []).append(r)
    pkg_rows = {r[0]: r for r in rows["package"]}
    order_rows = {r[0]: r for r in rows["order"]}
    raw_pages = []
    for i in range(0, len(order_ids), APPLY_PAGE):
        ids = order_ids[i : i + APPLY_PAGE]
        links = [link for oid in ids for link in by_order["package_order"].get(oid, [])]
        raw_pages.append(
            (
                [order_rows[oid] for oid in ids],
                [it for oid in ids for it in by_order["order_item"].get(oid, [])],
                [pkg_rows[link[cols["package_order"].index("package_id")]] for link in links],
                links,
            )
        )
    conn = sqlite3.connect(raw_db, isolation_level=None)
    for key, value in PRAGMAS.items():
        conn.execute(f"PRAGMA {key} = {value}")
    # Couriers (placeholders the apply created) are not part of the timed rows.
    src = sqlite3.connect(paths.db_file)
    couriers = src.execute("SELECT * FROM courier").fetchall()
    src.close()
    conn.execute("BEGIN")
    conn.executemany(f"INSERT OR IGNORE INTO courier VALUES ({','.join('?' * len(couriers[0]))})", couriers)
    conn.execute("COMMIT")
    sqls = {
        t: f'INSERT INTO "{t}" ({", ".join(cols[t])}) VALUES ({",".join("?" * len(cols[t]))})'
        for t in _APPLY_TABLES
    }
    start = time.perf_counter()
    for page_rows in raw_pages:
        conn.execute("BEGIN IMMEDIATE")
        for table, table_rows in zip(_APPLY_TABLES, page_rows, strict=True):
            if table_rows:
                conn.executemany(sqls[table], table_rows)
        conn.execute("COMMIT")
    raw_s = time.perf_counter() - start
    n_raw = conn.execute('SELECT COUNT(*) FROM "order"').fetchone()[0]
    conn.close()
    if n_raw != written or written != len(records):
        raise SystemExit(f"apply wrote {written:,}, raw {n_raw:,} of {len(records):,} records")
    print(
        f"  {len(records):,} orders in {len(pages)} pages of {APPLY_PAGE}: "
        f"{len(rows['order_item']):,} items, {len(rows['package']):,} parcels",
        flush=True,
    )
    figure("sync_apply_ms", engine_s * 1000, "ms")
    figure("sync_raw_apply_ms", raw_s * 1000, "ms")
    figure("sync_apply_vs_raw_ratio", engine_s / raw_s, "x")


# --------------------------------------------------------------------------------------------
# 4: UI stalls during a catch-up (subprocess)
# --------------------------------------------------------------------------------------------


def open_platform(sandbox_dir: Path, orders: int, hours: float, speed: float):
    """Reopen the synced sandbox ``hours`` later, the simulation run up to then at ``speed``.

    Returns ``(sandbox, server)`` (server not started; no simulation thread).
    """
    from pdd_desktop.sandbox.server import SandboxServer
    from pdd_desktop.sandbox.state import SandboxShop

    target = NOW0 + AHEAD_S + int(hours * 3600)
    t0 = time.time()
    sandbox = SandboxShop.open(
        sandbox_dir,
        orders=orders,
        seed=SEED,
        now0=NOW0,
        clock=lambda: target + (time.time() - t0),
        speed=speed,
    )
    before = sandbox.query('SELECT COUNT(*) FROM "order"')[0][0]
    start = time.perf_counter()
    sandbox.sim.advance(target)
    arrived = sandbox.query('SELECT COUNT(*) FROM "order"')[0][0] - before
    changed = sandbox.query(
        'SELECT COUNT(*) FROM "order" WHERE platform_updated_at > ?', (NOW0 + AHEAD_S - 1200,)
    )[0][0]
    print(
        f"  sandbox advanced {hours:g} h at ×{speed:g} in {time.perf_counter() - start:.1f} s: "
        f"{arrived:,} new orders, {changed:,} orders to pull",
        flush=True,
    )
    return sandbox, SandboxServer(sandbox, run_sim=False)


def serve_child(sandbox_dir: Path, orders: int, hours: float, speed: float) -> None:
    """Serve the sandbox from this process until stdin closes (``--server-process``).

    It stands for a platform on another machine, so it runs below normal priority, as the app's
    sync worker does: it must not take this machine's CPU from the window being measured.
    """
    from pdd_desktop.sync_process import lower_priority

    lower_priority()
    sandbox, server = open_platform(sandbox_dir, orders, hours, speed)
    url = server.start()
    c = sandbox.credentials
    info = {
        "url": url,
        "creds": [c.client_id, c.client_secret, c.access_token],
        "platform_now": sandbox.platform_now(),
    }
    print(json.dumps(info), flush=True)
    sys.stdin.read()
    server.stop()
    sandbox.close()


class BenchBackend:
    """What the bench's sync worker process builds its engine from (picklable, like SyncBackend).

    Without ``url`` the worker opens the sandbox itself, as demo mode does; with ``url`` it
    syncs with a sandbox served by another process (API mode's shape).
    """

    mode = "demo"

    def __init__(
        self, sandbox_dir: Path, orders: int, hours: float, speed: float, remote=None, paths=None
    ) -> None:
        self.args = (sandbox_dir, orders, hours, speed)
        self.paths = paths  #: the shop's ShopPaths (the worker holds the shop's sync lock, as the app's)
        self.remote = remote  #: (url, [client_id, secret, token], platform_now) or None
        self._platform = None

    def build_engine(self):
        from pdd_desktop.platform.client import StaticTokenSource
        from pdd_desktop.services.sync import SyncEngine, platform_client

        if self.remote is None:
            sandbox, server = open_platform(*self.args)
            url = server.start()
            self._platform = (sandbox, server)
            c = sandbox.credentials
            creds, plat_now = [c.client_id, c.client_secret, c.access_token], sandbox.platform_now()
        else:
            url, creds, plat_now = self.remote
        client = platform_client(url, creds[0], creds[1], tokens=StaticTokenSource(creds[2]))
        client.offset_s = round(plat_now - time.time())
        return SyncEngine(client, initial_cursor_ts=NOW0, rng=random.Random(3), source="demo")

    def mode_label(self) -> str:
        return "bench"

    def close(self) -> None:
        if self._platform is not None:
            sandbox, server = self._platform
            server.stop()
            sandbox.close()
            self._platform = None


def run_ui_child(
    sandbox_dir: Path,
    db: Path,
    orders: int,
    hours: float,
    speed: float,
    figure: Figure,
    *,
    idle_sync: bool = False,
    no_actions: bool = False,
    server_process: bool = False,
) -> None:
    """In this process: reopen the sandbox, let new orders arrive, sync with the window open.

    ``server_process``: the sandbox runs in a separate process (API mode's shape) instead of a
    thread of this one (demo mode). Diagnostics: ``idle_sync`` drives the page for 10 s without
    a sync; ``no_actions`` syncs without touching the page.
    """
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QSettings, Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from bench.orders_ui import StallMeter

    class GapLog(StallMeter):
        """StallMeter that also keeps the gaps over 20 ms with what the bench was doing."""

        action = ""

        def reset(self) -> None:
            super().reset()
            self.gaps: list[tuple[float, float, str]] = []
            self._cpu = time.thread_time()

        def _tick(self) -> None:
            now = time.perf_counter()
            cpu = time.thread_time()
            gap = (now - self._last) * 1000 - 5
            if gap > 20:
                # UI-thread CPU in the gap: near the gap = the UI thread was busy itself; small =
                # it waited (for the GIL, or a lock).
                self.gaps.append(
                    (now, gap, f"{self.action}, UI thread CPU {(cpu - self._cpu) * 1000:.0f} ms")
                )
            self._cpu = cpu
            super()._tick()

    from pdd_desktop.common.paths import ShopPaths
    from pdd_desktop.jobs.events import AppEvents
    from pdd_desktop.jobs.runner import JobRunner
    from pdd_desktop.jobs.sync import SyncController
    from pdd_desktop.services import shop as shop_service
    from pdd_desktop.services.sync import sync_summary
    from pdd_desktop.sync_process import SyncProcess
    from pdd_desktop.ui import theme
    from pdd_desktop.ui.main_window import MainWindow
    from pdd_desktop.ui.pages.base import PageContext

    stop_platform = None
    remote = None
    if server_process:
        # The platform in its own process (the shape of API mode: no sandbox in the worker).
        serve = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "bench.sync",
                "--serve-child",
                "--sandbox-dir",
                str(sandbox_dir),
                "--orders",
                str(orders),
                "--catchup-hours",
                str(hours),
                "--speed",
                str(speed),
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert serve.stdout is not None
        while True:
            line = serve.stdout.readline()
            if not line:
                raise SystemExit("the sandbox process ended early")
            if line.startswith("{"):
                break
            print(line, end="", flush=True)
        info_json = json.loads(line)
        remote = (info_json["url"], info_json["creds"], info_json["platform_now"])
        stop_platform = serve.stdin.close  # type: ignore[union-attr]

    app = QApplication.instance() or QApplication([])
    theme.apply_theme(app)
    paths = ShopPaths(db.parent.parent.parent, db.parent.name)
    info = shop_service.open_shop(paths)
    runner = JobRunner()
    events = AppEvents()
    ctx = PageContext(runner, events, paths, info)
    settings = QSettings(str(Path(tempfile.mkdtemp()) / "ui.ini"), QSettings.Format.IniFormat)
    window = MainWindow(ctx, settings)
    window.resize(1400, 900)
    window.show()
    app.processEvents()
    # As the app does: the engine in a worker process (which, in demo shape, also serves the
    # sandbox). Built before the meter starts; the catch-up run is what is measured.
    paths_ = ShopPaths(db.parent.parent.parent, db.parent.name)
    worker = SyncProcess(paths_, backend=BenchBackend(sandbox_dir, orders, hours, speed, remote, paths_))
    engine = worker.engine()
    controller = SyncController(
        runner,
        events,
        lambda: engine,
        sync_summary,
        interval_minutes=lambda: 60,
        mode_label=lambda: "bench",
        parent=window,
    )
    window.set_sync_controller(controller)
    page = window.page("orders")
    state: dict[str, bool] = {}
    page.results_shown.connect(lambda: state.__setitem__("done", True))
    window.show_page("orders")
    deadline = time.perf_counter() + 60
    while not state.get("done") and time.perf_counter() < deadline:
        app.processEvents()
        time.sleep(0.001)
    for _ in range(20):
        app.processEvents()

    reports: list = []
    controller.finished.connect(reports.append)
    meter = GapLog()
    meter.reset()
    start = time.perf_counter()
    if not idle_sync:
        controller.sync_now()
    tabs = page.view.tabs
    keys = ("all", "to_ship", "shipped", "all")
    step = 0
    bar = page.view.table.verticalScrollBar()
    while not reports:
        now = time.perf_counter() - start
        if now > 900:
            raise SystemExit("the sync run did not finish in 15 min")
        if idle_sync and now > 10:
            break
        # Like a user: switch a tab every ~0.5 s, scroll in between.
        if not no_actions and step % 50 == 0:
            key = keys[(step // 50) % len(keys)]
            index = next(i for i in range(tabs.count()) if tabs.tabData(i) == key)
            meter.action = f"tab {key}"
            QTest.mouseClick(tabs, Qt.MouseButton.LeftButton, pos=tabs.tabRect(index).center())
        elif not no_actions and step % 5 == 0:
            meter.action = "scroll"
            bar.setValue((bar.value() + 997) % max(1, bar.maximum()))
        step += 1
        meter.action = "events"
        app.processEvents()
        meter.action = "sleep"
        time.sleep(0.01)
    sync_s = time.perf_counter() - start
    # The pages refresh on the run's changes: keep measuring until that is done too.
    settle = time.perf_counter()
    while time.perf_counter() - settle < 2.0:
        app.processEvents()
        time.sleep(0.005)
    for at, gap, action in sorted(meter.gaps, key=lambda g: -g[1])[:3]:
        print(f"  gap {gap:.0f} ms at {at - start:.2f} s ({action})", flush=True)
    if not reports:
        figure("sync_ui_max_stall_ms", meter.max_gap_ms, "ms")
        return
    report = reports[0]
    print(
        f"  catch-up run: {report.outcome}, "
        + ", ".join(f"{s.stream} {s.windows}w/{s.pages}p/{s.upserted}" for s in report.streams)
        + f" in {sync_s:.1f} s while switching tabs {step // 50 + 1} times",
        flush=True,
    )
    suffix = "_remote" if server_process else ""
    figure(f"sync_ui_catchup{suffix}_s", sync_s, "s")
    figure(f"sync_ui_max_stall{suffix}_ms", meter.max_gap_ms, "ms")
    window.close()
    runner.shutdown()
    worker.close()
    if stop_platform is not None:
        stop_platform()
    shop_service.close_shop()


def run_ui(work: Path, db: Path, orders: int, hours: float, speed: float) -> None:
    """The UI figures in their own process: sandbox in-process (demo mode), then remote."""
    # The same starting point for both runs (each one advances the sandbox and syncs the shop).
    remote = work / "remote"
    shutil.copytree(work / "sandbox", remote / "sandbox")
    shutil.copytree(db.parent, remote / "data" / "shops" / db.parent.name)
    _ui_child(work / "sandbox", db, orders, hours, speed, [])
    _ui_child(
        remote / "sandbox",
        remote / "data" / "shops" / db.parent.name / db.name,
        orders,
        hours,
        speed,
        ["--server-process"],
    )


def _ui_child(sandbox: Path, db: Path, orders: int, hours: float, speed: float, extra: list[str]) -> None:
    print(f"  UI run, sandbox {'in its own process' if extra else 'in-process (demo mode)'}:", flush=True)
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.sync",
            "--ui-child",
            *extra,
            "--sandbox-dir",
            str(sandbox),
            "--db",
            str(db),
            "--orders",
            str(orders),
            "--catchup-hours",
            str(hours),
            "--speed",
            str(speed),
        ],
        capture_output=True,
        text=True,
        timeout=1200,
        env=dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen")),
    )
    sys.stdout.write(proc.stdout)
    sys.stdout.flush()
    if proc.returncode != 0:
        OUT.mkdir(parents=True, exist_ok=True)
        (OUT / "sync-ui-stderr.txt").write_text(proc.stderr, encoding="utf-8")
        raise SystemExit(
            f"sync UI run failed (exit {proc.returncode}; stderr in {OUT / 'sync-ui-stderr.txt'}):\n"
            f"{proc.stderr[:1500]}\n…\n{proc.stderr[-1500:]}"
        )


# --------------------------------------------------------------------------------------------
# Driver
# --------------------------------------------------------------------------------------------


def run_all(
    figure: Figure,
    *,
    orders: int = SYNC_ORDERS,
    days: float | None = None,
    ui: bool = True,
    hours: float = 6.0,
    speed: float = 40.0,
    profile: bool = False,
    keep: bool = False,
) -> None:
    """Every sync figure in one run (see the module docstring)."""
    from pdd_desktop.services import shop as shop_service

    OUT.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="sync-", dir=OUT))
    try:
        rig = Rig(work, orders, figure)
        try:
            paths, records = run_initial(rig, work / "data", figure, days=days)
        finally:
            shop_service.close_shop()
            rig.close()
        run_apply_vs_raw(records, work / "data", figure, profile=profile)
        del records
        if ui:
            run_ui(work, paths.db_file, orders, hours, speed)
    finally:
        if keep:
            print(f"  kept {work}", flush=True)
        else:
            shutil.rmtree(work, ignore_errors=True)


def run_backfill_only(figure: Figure, *, orders: int = SYNC_ORDERS, latency_ms: float = 50.0) -> None:
    """Only the first-sync figures (``sync_backfill_*``, ``sync_first_day_usable_s``)."""
    OUT.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="sync-backfill-", dir=OUT))
    try:
        run_backfill(work, orders, figure, latency_ms=latency_ms)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def register(benchmark, figure, bench_shop) -> None:
    """Add ``sync`` and ``sync_backfill`` to ``python -m bench`` (own 100,000-order sandboxes)."""

    def sync(args: argparse.Namespace) -> None:
        """Initial sync of 100,000 orders, apply vs raw, no-op run, UI stalls during a catch-up."""
        run_all(figure)

    def sync_backfill(args: argparse.Namespace) -> None:
        """A year's first sync through the list-API backfill with 50 ms added to every request."""
        run_backfill_only(figure)

    benchmark(sync)
    benchmark(sync_backfill)


def main(argv: list[str] | None = None) -> int:
    """Standalone run (and the UI child process)."""
    parser = argparse.ArgumentParser(prog="python -m bench.sync", description=__doc__)
    parser.add_argument("--orders", type=int, default=SYNC_ORDERS, help="orders in the sandbox")
    parser.add_argument("--days", type=float, default=None, help="pull only the last N days (subset)")
    parser.add_argument("--no-ui", action="store_true", help="skip the UI stall figure")
    parser.add_argument(
        "--catchup-hours", type=float, default=6.0, help="platform time the UI run catches up"
    )
    parser.add_argument("--speed", type=float, default=40.0, help="simulation speed of the catch-up")
    parser.add_argument("--profile", action="store_true", help="cProfile the apply step")
    parser.add_argument("--keep", action="store_true", help="keep the work folder under bench/out")
    parser.add_argument("--backfill-only", action="store_true", help="only the first-sync figures")
    parser.add_argument("--latency-ms", type=float, default=50.0, help="added to every request (backfill)")
    parser.add_argument("--ui-child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--serve-child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--server-process", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--idle-sync", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--no-actions", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--switch-interval", type=float, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--sandbox-dir", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    from bench.figures import figure
    from pdd_desktop.jobs.runner import tune_interpreter

    tune_interpreter()  # as the app does at start
    if args.switch_interval:
        sys.setswitchinterval(args.switch_interval)
    if args.serve_child:
        serve_child(args.sandbox_dir, args.orders, args.catchup_hours, args.speed)
        return 0
    if args.ui_child:
        run_ui_child(
            args.sandbox_dir,
            args.db,
            args.orders,
            args.catchup_hours,
            args.speed,
            figure,
            idle_sync=args.idle_sync,
            no_actions=args.no_actions,
            server_process=args.server_process,
        )
        sys.stdout.flush()
        os._exit(0)  # as bench.orders_ui: skip Qt teardown at exit
    if args.backfill_only:
        run_backfill_only(figure, orders=args.orders, latency_ms=args.latency_ms)
        return 0
    run_all(
        figure,
        orders=args.orders,
        days=args.days,
        ui=not args.no_ui,
        hours=args.catchup_hours,
        speed=args.speed,
        profile=args.profile,
        keep=args.keep,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
