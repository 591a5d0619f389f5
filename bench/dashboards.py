"""数据 dashboards in a real (offscreen) window on a big shop, and the aggregate rebuild.

Runs the window in its own process (``python -m bench.dashboards --db PATH``), queries on the
app's real job runner (off the UI thread), over the 90 days ending on the shop's last paid day:

- ``dash_overview_ms``: the range is set → 经营概况 completely drawn (KPI cards, both charts);
- ``dash_hot_items_ms``: the 商品分析 tab is clicked → ranking, its table, the price-band and late-shipping
  charts, the stock table on show and the top goods' trend drawn (the hidden stock table fills after);
- ``dash_customers_ms``: the 客户分析 tab is clicked → every chart and the cohort table drawn;
- ``dash_range_switch_ms``: another range picked (30 / 7 / 90 days, this month…) → the visible tab
  redrawn (median over the three tabs);
- ``dash_ui_max_stall_ms``: the longest gap of a 5 ms UI timer meanwhile;
- ``aggregate_rebuild_s`` (separate benchmark): every aggregate recomputed from the raw order
  rows in one transaction, on a copy of the shop (the migration's back-fill does the same work).

Targets (issue 16): the first complete views under 500 ms and a range switch under 200 ms on the
1,000,000-order demo shop.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path


def _wait_tab(app, state: dict, tab: str, timeout_s: float = 60.0) -> float:
    start = time.perf_counter()
    while tab not in state:
        app.processEvents()
        if time.perf_counter() - start > timeout_s:
            raise SystemExit(f"timed out waiting for the {tab} dashboard")
        time.sleep(0.0005)
    return (time.perf_counter() - start) * 1000


def run_ui(db: Path, figure: Callable[[str, float, str], None]) -> None:
    """Drive the 数据 page on the shop at ``db``."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from bench.orders_ui import StallMeter
    from pdd_desktop.common.paths import ShopPaths
    from pdd_desktop.data import aggregates
    from pdd_desktop.jobs.events import AppEvents
    from pdd_desktop.jobs.runner import JobRunner, tune_interpreter
    from pdd_desktop.services import shop as shop_service
    from pdd_desktop.ui import theme
    from pdd_desktop.ui.main_window import MainWindow
    from pdd_desktop.ui.pages.base import PageContext

    conn = sqlite3.connect(db)
    last_day = conn.execute("SELECT MAX(day) FROM agg_day").fetchone()[0]
    conn.close()
    last = aggregates.day_to_date(last_day)
    first = last - timedelta(days=89)

    tune_interpreter()
    app = QApplication.instance() or QApplication([])
    theme.apply_theme(app)
    paths = ShopPaths(db.parent.parent.parent, db.parent.name)
    info = shop_service.open_shop(paths)
    ctx = PageContext(JobRunner(), AppEvents(), paths, info)
    settings = QSettings(str(Path(tempfile.mkdtemp()) / "ui.ini"), QSettings.Format.IniFormat)
    window = MainWindow(ctx, settings)
    window.resize(1400, 900)
    window.show()
    app.processEvents()
    page = window.page("data")  # built now: the figures measure the queries and drawing
    state: dict[str, bool] = {}  #: tabs drawn since the last clear()
    page.view_shown.connect(lambda tab: state.__setitem__(tab, True))
    for _ in range(20):
        app.processEvents()
    meter = StallMeter()
    # The page is not shown yet, so nothing has been read: picking the range loads 经营概况.
    page.set_range("custom", first, last)
    figure("dash_overview_ms", _wait_tab(app, state, "overview"), "ms")
    window.show_page("data")
    for _ in range(5):
        app.processEvents()
    state.clear()
    page.view.tabs.setCurrentIndex(1)
    figure("dash_hot_items_ms", _wait_tab(app, state, "hot"), "ms")
    state.clear()
    page.view.tabs.setCurrentIndex(2)
    figure("dash_customers_ms", _wait_tab(app, state, "customers"), "ms")
    print(
        f"  90 days {first} … {last}: {page.overview.total.orders:,} orders, {len(page.hot.goods)} goods, "
        f"{page.customers.buyers:,} buyers",
        flush=True,
    )
    switches = []
    combo = page.view.range_combo
    for index, tab in enumerate(("overview", "hot", "customers")):
        stale = tab in page._stale
        state.clear()
        page.view.tabs.setCurrentIndex(index)
        if stale:
            _wait_tab(app, state, tab)
        for choice in ("30d", "7d", "month", "90d"):
            state.clear()
            combo.setCurrentIndex(combo.findData(choice))
            switches.append(_wait_tab(app, state, tab))
    figure("dash_range_switch_ms", statistics.median(switches), "ms")
    print(f"  range switches: max {max(switches):.0f} ms of {len(switches)}", flush=True)
    figure("dash_ui_max_stall_ms", meter.max_gap_ms, "ms")


def run_rebuild(db: Path, figure: Callable[[str, float, str], None]) -> None:
    """Time a full rebuild on a copy of ``db`` (deleted afterwards)."""
    from pdd_desktop.data import aggregates

    with tempfile.TemporaryDirectory(dir=db.parent.parent.parent) as tmp:
        copy = Path(tmp) / "shop.db"
        src = sqlite3.connect(db)
        dst = sqlite3.connect(copy)
        src.backup(dst)
        src.close()
        dst.close()
        conn = sqlite3.connect(copy, isolation_level=None)
        conn.execute("PRAGMA journal_mode=wal")
        conn.execute("PRAGMA cache_size=-32000")
        start = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        counted = aggregates.rebuild(conn)
        conn.execute("COMMIT")
        elapsed = time.perf_counter() - start
        conn.close()
    print(f"  {counted:,} paid orders", flush=True)
    figure("aggregate_rebuild_s", elapsed, "s")


def register(benchmark, figure, bench_shop) -> None:
    """Add ``dashboards`` (subprocess) and ``aggregate_rebuild`` to ``python -m bench``."""

    def dashboards(args: argparse.Namespace) -> None:
        """The 数据 page in a real (offscreen) window, in its own process."""
        db = bench_shop(args).db_file
        proc = subprocess.run(
            [sys.executable, "-m", "bench.dashboards", "--db", str(db)],
            capture_output=True,
            text=True,
            timeout=900,
            env=dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen")),
        )
        sys.stdout.write(proc.stdout)
        if proc.returncode != 0:
            raise SystemExit(f"dashboards failed:\n{proc.stderr[-3000:]}")

    def aggregate_rebuild(args: argparse.Namespace) -> None:
        """Every aggregate recomputed from the raw rows (one transaction, on a copy)."""
        run_rebuild(bench_shop(args).db_file, figure)

    benchmark(dashboards)
    benchmark(aggregate_rebuild)


def main(argv: list[str] | None = None) -> int:
    """Standalone: the dashboard figures for one shop file."""
    parser = argparse.ArgumentParser(prog="python -m bench.dashboards", description=__doc__)
    parser.add_argument("--db", type=Path, required=True, help="shop.db inside <data>/shops/<shop>/")
    args = parser.parse_args(argv)
    from bench.figures import figure

    run_ui(args.db, figure)
    sys.stdout.flush()
    os._exit(0)  # as bench.orders_ui: skip PySide6's teardown at exit


if __name__ == "__main__":
    raise SystemExit(main())
