"""站内信 with 50,000 messages: ``inbox_open_ms`` (target under 100 ms).

A small demo shop (1,000 orders; the inbox does not read orders) gets 50,000 notices written
with plain sqlite3 (seven platform categories, a tenth unread, a few pinned), then a real main
window opens 站内信. The figure is the median over ``--repeat`` opens of: click → counts per
category, the ordered id list of all 50,000 and the first screen's rows loaded, and the table
painted. Jobs run inline (``ImmediateRunner``), so the figure holds the database work and the
painting together: the UI thread itself waits less with the app's job lanes.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

MESSAGES = 50_000


def fill(db: Path, n: int = MESSAGES) -> None:
    """Replace the shop's notices by ``n`` generated ones over a year."""
    rng = random.Random(17)
    now = int(time.time())
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("DELETE FROM message")
        conn.executemany(
            "INSERT INTO message (remote_id, category, title, body, created_at, read_at, is_important, "
            "is_pinned) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                (
                    f"bench-{k}",
                    1 + k % 7,
                    f"站内信标题 {k} 店铺经营提醒",
                    "正文" * 40,
                    now - rng.randrange(365 * 86400),
                    None if rng.random() < 0.1 else now,
                    1 if k % 7 == 0 else 0,
                    1 if k % 5000 == 0 else 0,
                )
                for k in range(n)
            ),
        )
    conn.close()


def run(figure: Callable[[str, float, str], None], repeat: int) -> None:
    """Build the shop, open 站内信 ``repeat`` times in fresh windows, print ``inbox_open_ms``."""
    from PySide6.QtWidgets import QApplication

    from bench.page_open import demo_shop, main_window, open_page
    from pdd_desktop.data.db import close_database
    from pdd_desktop.services import shop as shop_service

    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory(prefix="bench-inbox-") as tmp:
        paths = demo_shop(tmp, 1000)
        fill(paths.db_file)
        shop_service.open_shop(paths)
        times = []
        for i in range(repeat):
            with main_window(app, tmp, paths, i) as win:
                page, _start, ms = open_page(app, win, "messages")
                times.append(ms)
                assert page.model.rowCount() == MESSAGES, page.model.rowCount()
        figure("inbox_open_first_ms", times[0], "ms")
        figure("inbox_open_ms", statistics.median(times), "ms")
        close_database()


def register(
    benchmark: Callable[[Callable[[argparse.Namespace], None]], object],
    figure: Callable[[str, float, str], None],
) -> None:
    """Add the ``inbox_open`` benchmark to ``python -m bench``."""

    def inbox_open(args: argparse.Namespace) -> None:
        """站内信 with 50,000 messages opened in a window (target under 100 ms)."""
        run(figure, args.repeat)

    benchmark(inbox_open)
