"""发货中心 in a real window on a big shop: first screens, scrolling, UI stalls, memory, batch ship.

Runs in its own process (``python -m bench.orders_ui --db PATH``) so the memory figure is the
app's alone. Figures:

- ``orders_page_open_ms``: click 发货中心 → first screen of 待发货 shown;
- ``orders_tab_switch_ms``: click the 全部 tab → first screen shown (median of the status tabs);
- ``orders_filter_ms``: type a buyer-nickname prefix + Enter → first screen shown;
- ``orders_search_fragment_ms``: type five digits of an order number + Enter → first screen;
- ``orders_scroll_end_ms``: jump to the last row of 全部 until its real values are painted (the
  rows load on the read lane; placeholders show meanwhile);
- ``orders_page_build_ms``: building the page's widgets, once per session (the first click on
  发货中心 pays it; it is not part of the stall figure);
- ``orders_ui_max_stall_ms``: the longest gap of a 5 ms event-loop timer during all of the above
  (from opening the page on);
- ``orders_rss_mb``: the process's peak resident memory;
- ``batch_ship_10k_s`` (separate benchmark): 10,000 orders shipped from a waybill pool on a copy of
  the shop (the copy is deleted afterwards).
"""

from __future__ import annotations

import argparse
import os
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path


class StallMeter:
    """Records the longest gap between ticks of a fast timer on the UI thread."""

    def __init__(self) -> None:
        from PySide6.QtCore import QTimer

        self.max_gap_ms = 0.0
        self._last = time.perf_counter()
        self._timer = QTimer()
        self._timer.setInterval(5)
        self._timer.timeout.connect(self._tick)
        self._timer.start()

    def _tick(self) -> None:
        now = time.perf_counter()
        self.max_gap_ms = max(self.max_gap_ms, (now - self._last) * 1000 - 5)
        self._last = now

    def reset(self) -> None:
        """Start measuring now: earlier gaps (building the window and the page) do not count."""
        self._last = time.perf_counter()
        self.max_gap_ms = 0.0


def _wait(app, signal_holder, timeout_s: float = 30.0) -> float:
    """Process events until ``signal_holder['done']``; returns elapsed ms."""
    start = time.perf_counter()
    while not signal_holder.get("done"):
        app.processEvents()
        if time.perf_counter() - start > timeout_s:
            raise SystemExit("timed out waiting for the order list")
        time.sleep(0.0005)
    return (time.perf_counter() - start) * 1000


def run_ui(db: Path, figure: Callable[[str, float, str], None]) -> None:
    """Drive the orders page on the shop at ``db``."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QSettings, Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from pdd_desktop.common.paths import ShopPaths
    from pdd_desktop.jobs.events import AppEvents
    from pdd_desktop.jobs.runner import JobRunner, tune_interpreter
    from pdd_desktop.services import shop as shop_service
    from pdd_desktop.ui import theme
    from pdd_desktop.ui.main_window import MainWindow
    from pdd_desktop.ui.pages.base import PageContext

    tune_interpreter()  # as the app does at start
    app = QApplication.instance() or QApplication([])
    theme.apply_theme(app)
    paths = ShopPaths(db.parent.parent.parent, db.parent.name)
    info = shop_service.open_shop(paths)
    runner = JobRunner()
    ctx = PageContext(runner, AppEvents(), paths, info)
    settings = QSettings(str(Path(tempfile.mkdtemp()) / "ui.ini"), QSettings.Format.IniFormat)
    window = MainWindow(ctx, settings)
    window.resize(1400, 900)
    window.show()
    app.processEvents()
    meter = StallMeter()

    state: dict[str, bool] = {}
    start = time.perf_counter()
    page = window.page("orders")  # built now, so opening measures the query, not the import
    figure("orders_page_build_ms", (time.perf_counter() - start) * 1000, "ms")
    page.results_shown.connect(lambda: state.__setitem__("done", True))
    for _ in range(20):
        app.processEvents()
    meter.reset()
    state.clear()
    window.show_page("orders")
    figure("orders_page_open_ms", _wait(app, state), "ms")

    tabs = page.view.tabs
    switch_times = []
    for key in ("all", "shipped", "signed", "cancelled", "to_ship", "all"):
        state.clear()
        index = next(i for i in range(tabs.count()) if tabs.tabData(i) == key)
        QTest.mouseClick(tabs, Qt.MouseButton.LeftButton, pos=tabs.tabRect(index).center())
        switch_times.append(_wait(app, state))
    figure("orders_tab_switch_ms", statistics.median(switch_times), "ms")
    figure("orders_tab_switch_max_ms", max(switch_times), "ms")

    conn = sqlite3.connect(db)
    nickname, order_sn = conn.execute(
        'SELECT buyer_nickname, order_sn FROM "order" WHERE id = 4242'
    ).fetchone()
    conn.close()
    state.clear()
    page.view.buyer_edit.setText(nickname[:2])
    QTest.keyClick(page.view.buyer_edit, Qt.Key.Key_Return)
    figure("orders_filter_ms", _wait(app, state), "ms")
    page.view.buyer_edit.clear()
    page.refresh()
    state.clear()
    _wait(app, state)

    state.clear()
    QTest.keyClicks(page.view.order_sn_edit, order_sn[-8:-3])
    QTest.keyClick(page.view.order_sn_edit, Qt.Key.Key_Return)
    figure("orders_search_fragment_ms", _wait(app, state), "ms")
    page.view.order_sn_edit.clear()
    page.refresh()
    state.clear()
    _wait(app, state)

    # Let the full id list of 全部 arrive, then jump to the end and paint.
    deadline = time.perf_counter() + 30
    while len(page.model.ids) < page.total and time.perf_counter() < deadline:
        app.processEvents()
        time.sleep(0.001)
    start = time.perf_counter()
    page.view.table.scrollToBottom()
    app.processEvents()  # paints placeholders and asks the read lane for the last block
    while page.model.pending_rows():
        app.processEvents()
        time.sleep(0.0005)
    last = page.model.index(len(page.model.ids) - 1, 1)
    if page.model.data(last) in (None, "…"):
        raise SystemExit("the last row was not loaded")
    page.view.table.viewport().repaint()
    figure("orders_scroll_end_ms", (time.perf_counter() - start) * 1000, "ms")
    for _ in range(20):  # page through the middle like a scrolling user
        page.view.table.verticalScrollBar().setValue(page.view.table.verticalScrollBar().value() - 2000)
        app.processEvents()
    figure("orders_ui_max_stall_ms", meter.max_gap_ms, "ms")
    figure("orders_rss_mb", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "MB")
    window.close()
    runner.shutdown()
    shop_service.close_shop()


def run_batch_ship(db: Path, figure: Callable[[str, float, str], None], n: int = 10_000) -> None:
    """Ship ``n`` orders from a waybill pool on a throwaway copy of the shop."""
    from pdd_desktop.common.task import TaskContext
    from pdd_desktop.data.db import close_database, database, open_database
    from pdd_desktop.services import shipping

    with tempfile.TemporaryDirectory(dir=db.parent) as tmp:
        copy = Path(tmp) / "shop.db"
        src = sqlite3.connect(db)
        dst = sqlite3.connect(copy)
        src.backup(dst)
        src.close()
        # Turn the newest shipped orders back into orders waiting to ship, and give them a pool.
        ids = [
            r[0]
            for r in dst.execute('SELECT id FROM "order" WHERE status = 2 ORDER BY id DESC LIMIT ?', (n,))
        ]
        if len(ids) < n:
            ids += [
                r[0]
                for r in dst.execute(
                    'SELECT id FROM "order" WHERE status = 3 ORDER BY id DESC LIMIT ?', (n - len(ids),)
                )
            ]
        marks = ",".join("?" * len(ids))
        with dst:
            dst.execute(
                f'UPDATE "order" SET status = 1, shipped_at = NULL, signed_at = NULL, refund_status = 1, '
                f"after_sales_status = 0 WHERE id IN ({marks})",
                ids,
            )
            courier = dst.execute("SELECT id FROM courier WHERE code = 'ZTO'").fetchone()[0]
            account = dst.execute(
                "INSERT INTO waybill_account (courier_id, branch_code, branch_name, quantity, is_default, "
                "created_at) VALUES (?, 'BENCH', '压测网点', ?, 0, 0)",
                (courier, len(ids)),
            ).lastrowid
            dst.executemany(
                "INSERT INTO waybill_number (account_id, tracking_number, state) VALUES (?, ?, 'free')",
                [(account, f"75{9_000_000_000 + i:010d}") for i in range(len(ids))],
            )
        dst.close()
        open_database(copy)
        start = time.perf_counter()
        result = shipping.ship_batch_from_pool(order_ids=ids, account_id=account, task=TaskContext())
        elapsed = time.perf_counter() - start
        shipped = database.execute_sql(
            f'SELECT COUNT(*) FROM "order" WHERE status = 2 AND id IN ({marks})', ids
        )
        count = shipped.fetchone()[0]
        close_database()
        if result.shipped_count != len(ids) or count != len(ids):
            raise SystemExit(f"batch ship shipped {result.shipped_count} of {len(ids)}")
        figure("batch_ship_10k_s", elapsed, "s")


def register(benchmark, figure, bench_shop) -> None:
    """Add ``orders_ui`` (subprocess) and ``batch_ship`` to ``python -m bench``."""

    def orders_ui(args: argparse.Namespace) -> None:
        """The order page in a real (offscreen) window, in its own process."""
        db = bench_shop(args).db_file
        proc = subprocess.run(
            [sys.executable, "-m", "bench.orders_ui", "--db", str(db)],
            capture_output=True,
            text=True,
            timeout=600,
            env=dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen")),
        )
        sys.stdout.write(proc.stdout)
        if proc.returncode != 0:
            raise SystemExit(f"orders_ui failed:\n{proc.stderr[-3000:]}")

    def batch_ship(args: argparse.Namespace) -> None:
        """10,000 orders shipped from a waybill pool (target under 10 s)."""
        run_batch_ship(bench_shop(args).db_file, figure)

    benchmark(orders_ui)
    benchmark(batch_ship)


def main(argv: list[str] | None = None) -> int:
    """Standalone: the UI figures for one shop file."""
    parser = argparse.ArgumentParser(prog="python -m bench.orders_ui", description=__doc__)
    parser.add_argument("--db", type=Path, required=True, help="shop.db inside <data>/shops/<shop>/")
    args = parser.parse_args(argv)
    from bench.figures import figure

    run_ui(args.db, figure)
    sys.stdout.flush()
    # Skip interpreter teardown: PySide6 can crash while finalising Qt objects at exit, which
    # would turn a finished run into a failure. Everything worth keeping is printed already.
    os._exit(0)


if __name__ == "__main__":
    raise SystemExit(main())
