"""售后 with 100,000 cases: ``after_sales_page_open_ms`` (target < 100 ms to the first screen).

A demo shop (20,000 orders) is built, then every one of its cases is copied, each copy on a copy
of its order (and the order's lines), until the shop holds :data:`CASES` cases. The copies keep
their case's status, type, amounts and deadline, so the mix of statuses is the demo's (as in the
1M-order demo shop: about one case in a hundred waits for the merchant; most are closed). A
real main window (1280×800) then opens 售后; the figure is the median over ``--repeat`` opens
of: click → the counts and the first tab's (待处理, most urgent first) list read, the first
screen's rows put in the table and painted (checked to be the most urgent cases).
``after_sales_first_tab_complete_ms`` adds the rest of the tab's rows (filled in chunks after
the first paint). Jobs run inline (``ImmediateRunner``), so the database work and the painting are
both in the figures. ``after_sales_all_tab_ms`` is the 全部 tab on the same shop
(its newest ``LIST_LIMIT`` cases; the count line gives the total).
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

CASES = 100_000
ORDERS = 20_000


def fill(db: Path, cases: int = CASES) -> int:
    """Copy the shop's cases (each on a copy of its order) up to ``cases``; returns the count."""
    conn = sqlite3.connect(db)
    with conn:
        order_cols = [
            r[1] for r in conn.execute('PRAGMA table_info("order")') if r[1] not in ("id", "order_sn")
        ]
        item_cols = [
            r[1] for r in conn.execute("PRAGMA table_info(order_item)") if r[1] not in ("id", "order_id")
        ]
        case_cols = [
            r[1] for r in conn.execute("PRAGMA table_info(after_sale)") if r[1] not in ("id", "order_id")
        ]
        originals = conn.execute("SELECT id, order_id FROM after_sale ORDER BY id").fetchall()
        (have,) = conn.execute("SELECT COUNT(*) FROM after_sale").fetchone()
        next_order = conn.execute('SELECT MAX(id) FROM "order"').fetchone()[0] + 1
        next_case = conn.execute("SELECT MAX(id) FROM after_sale").fetchone()[0] + 1
        oc, ic, cc = ", ".join(f'"{c}"' for c in order_cols), ", ".join(item_cols), ", ".join(case_cols)
        k = 0
        while have < cases:
            case_id, order_id = originals[k % len(originals)]
            k += 1
            conn.execute(
                f'INSERT INTO "order" (id, order_sn, {oc}) SELECT ?, ?, {oc} FROM "order" WHERE id = ?',
                (next_order, f"990101-{next_order:015d}", order_id),
            )
            conn.execute(
                f"INSERT INTO order_item (order_id, {ic}) SELECT ?, {ic} FROM order_item WHERE order_id = ?",
                (next_order, order_id),
            )
            conn.execute(
                f"INSERT INTO after_sale (id, order_id, {cc}) SELECT ?, ?, {cc} FROM after_sale WHERE id = ?",
                (next_case, next_order, case_id),
            )
            next_order += 1
            next_case += 1
            have += 1
        conn.execute("ANALYZE")
    conn.close()
    return have


def run(figure: Callable[[str, float, str], None], repeat: int) -> None:
    """Build the shop, open 售后 ``repeat`` times, print the figures."""
    from PySide6.QtWidgets import QApplication

    from bench.page_open import demo_shop, main_window, open_page
    from pdd_desktop.data.db import close_database
    from pdd_desktop.services import shop as shop_service
    from pdd_desktop.services.after_sales import LIST_LIMIT
    from pdd_desktop.ui.pages.after_sales.page import countdown_key

    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory(prefix="bench-after-sales-") as tmp:
        paths = demo_shop(tmp, ORDERS)
        total = fill(paths.db_file)
        shop_service.open_shop(paths)
        times, complete, all_times, rows = [], [], [], 0
        for i in range(repeat):
            with main_window(app, tmp, paths, i) as win:
                page, start, ms = open_page(app, win, "after_sales", settle=False)
                times.append(ms)  # the first screen is painted
                table = page.view.table
                first = [page.case_id_at(r) for r in range(40)]
                while table.item(table.rowCount() - 1, 0) is None:  # the rest, in chunks
                    app.processEvents()
                complete.append((time.perf_counter() - start) * 1000)
                rows = table.rowCount()
                assert rows > 0 and page.cases.counts.get("all") == total, (rows, page.cases.counts)
                assert all(table.item(r, 0) is not None for r in range(rows))
                urgent = sorted(page.cases.rows, key=countdown_key)
                assert first == [row.id for row in urgent[:40]], "the first screen is not the most urgent"
                assert [page.case_id_at(r) for r in range(rows)] == [row.id for row in urgent]
                start = time.perf_counter()
                page.show_tab("all")
                page.view.table.viewport().repaint()
                while table.item(table.rowCount() - 1, 0) is None:
                    app.processEvents()
                all_times.append((time.perf_counter() - start) * 1000)
                assert page.view.table.rowCount() == min(total, LIST_LIMIT), page.view.table.rowCount()
        figure("after_sales_cases", total, "cases")
        figure("after_sales_first_tab_rows", rows, "rows")
        figure("after_sales_page_open_first_ms", times[0], "ms")
        figure("after_sales_page_open_ms", statistics.median(times), "ms")
        figure("after_sales_first_tab_complete_ms", statistics.median(complete), "ms")
        figure("after_sales_all_tab_ms", statistics.median(all_times), "ms")
        close_database()


def register(
    benchmark: Callable[[Callable[[argparse.Namespace], None]], object],
    figure: Callable[[str, float, str], None],
) -> None:
    """Add the ``after_sales_page_open`` benchmark to ``python -m bench``."""

    def after_sales_page_open(args: argparse.Namespace) -> None:
        """售后 with 100,000 cases opened in a window (< 100 ms to the first screen)."""
        run(figure, args.repeat)

    benchmark(after_sales_page_open)
