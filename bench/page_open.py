"""What the page-open benchmarks share (售后, 商品, 站内信): a small demo shop in a temporary folder,
a real main window (1280×800) per open, and the timed click on a side-nav page.

Jobs run inline (``ImmediateRunner``), so a figure holds the database work and the painting together.
"""  # noqa: D205

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any


def demo_shop(tmp: str, orders: int) -> Any:
    """A demo shop of ``orders`` orders (seed 3) in ``tmp``; returns its ``ShopPaths``."""
    from pdd_desktop.common.paths import shop_paths
    from pdd_desktop.services.demo_shop import build_demo_shop

    paths = shop_paths(Path(tmp) / "data", "demo").ensure()
    build_demo_shop(paths.db_file, orders=orders, seed=3, now=int(time.time()))
    return paths


@contextmanager
def main_window(app: Any, tmp: str, paths: Any, i: int) -> Iterator[Any]:
    """A fresh main window on the open shop (its own settings file ``ui-<i>.ini``), shown, then closed."""
    from PySide6.QtCore import QSettings

    from pdd_desktop.jobs.events import AppEvents
    from pdd_desktop.jobs.runner import ImmediateRunner
    from pdd_desktop.services import shop as shop_service
    from pdd_desktop.ui.main_window import MainWindow
    from pdd_desktop.ui.pages.base import PageContext

    settings = QSettings(str(Path(tmp) / f"ui-{i}.ini"), QSettings.Format.IniFormat)
    ctx = PageContext(ImmediateRunner(), AppEvents(), paths, shop_service.describe_shop(paths))
    win = MainWindow(ctx, settings)
    win.resize(1280, 800)
    win.show()
    app.processEvents()
    try:
        yield win
    finally:
        win.close()
        win.deleteLater()
        app.processEvents()


def open_page(app: Any, win: Any, key: str, *, settle: bool = True) -> tuple[Any, float, float]:
    """Click the page ``key`` and paint its table; returns (page, start, ms to the first screen).

    ``settle``: also handle the events the paint left queued before the clock stops.
    """
    start = time.perf_counter()
    win.show_page(key)
    page = win.page(key)
    page.view.table.viewport().repaint()
    if settle:
        app.processEvents()
    return page, start, (time.perf_counter() - start) * 1000
