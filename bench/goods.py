"""商品 with 2,000 goods × 12 SKUs and cached thumbnails: ``goods_page_open_ms`` (target < 100 ms).

A small demo shop (1,000 orders) gets goods added with plain sqlite3 up to 2,000 goods, the
added ones with 12 SKUs each (the demo's own keep theirs), every goods with its stable demo image
URL; each image is put into the shop's thumbnail cache first (``thumbs/``), as after a first
visit. A real main window (1280×800) then opens 商品; the figure is the median over ``--repeat``
opens of: click → the list query, the table filled, the visible rows' thumbnails read from disk
and decoded, and the table painted with them. Jobs run inline (``ImmediateRunner``), so the
figure holds the database, disk and decoding work and the painting together.
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

GOODS = 2_000
SKUS_PER_GOODS = 12


def fill(db: Path) -> list[tuple[int, str]]:
    """Add goods (12 SKUs each) up to :data:`GOODS`; returns every goods' (id, name)."""
    from pdd_desktop.domain.images import demo_image_url

    now = int(time.time())
    conn = sqlite3.connect(db)
    with conn:
        (have,) = conn.execute("SELECT COUNT(*) FROM goods").fetchone()
        goods, skus = [], []
        for k in range(GOODS - have):
            gid = 900_000_000_000 + k
            goods.append(
                (gid, f"压测商品{k} 加厚保暖家居服套装", "", f"BG-{k}", "服饰", demo_image_url(gid), 1, 48,
                 9900, now - k * 3600, now, None)
            )  # fmt: skip
            for j in range(SKUS_PER_GOODS):
                skus.append(
                    (1_900_000_000_000 + k * 100 + j, gid, f"颜色{j % 4}；尺码{j // 4}", f"BG-{k}-{j}",
                     2990 + j * 100, 3990 + j * 100, 1200, 50 + j, 0, 5, 300, 1, now)
                )  # fmt: skip
        conn.executemany(
            "INSERT INTO goods (goods_id, name, short_name, outer_goods_id, category, image_url, is_onsale, "
            "promise_hours, market_price_fen, created_at, platform_updated_at, remote_hash) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            goods,
        )
        conn.executemany(
            "INSERT INTO sku (sku_id, goods_id, spec, outer_id, single_price_fen, group_price_fen, "
            "cost_price_fen, stock, reserve_quantity, low_stock_threshold, weight_g, is_onsale, "
            "platform_updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            skus,
        )
        rows = conn.execute("SELECT goods_id, name FROM goods").fetchall()
    conn.close()
    return rows


def run(figure: Callable[[str, float, str], None], repeat: int) -> None:
    """Build the shop and its thumbnail cache, open 商品 ``repeat`` times, print the figures."""
    from PySide6.QtWidgets import QApplication

    from bench.page_open import demo_shop, main_window, open_page
    from pdd_desktop.data.db import close_database
    from pdd_desktop.domain.images import demo_image_url
    from pdd_desktop.sandbox.images import goods_png
    from pdd_desktop.services import shop as shop_service
    from pdd_desktop.services.thumbnails import ThumbnailCache

    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory(prefix="bench-goods-") as tmp:
        paths = demo_shop(tmp, 1000)
        goods = fill(paths.db_file)
        cache = ThumbnailCache(paths.shop_dir / "thumbs", lambda _url: None)
        for gid, name in goods:  # as after a first visit: every image on disk
            url = demo_image_url(gid)
            cache._store(url, goods_png(gid, name))
        shop_service.open_shop(paths)
        times, shown = [], 0
        for i in range(repeat):
            with main_window(app, tmp, paths, i) as win:
                page, _start, ms = open_page(app, win, "goods")
                times.append(ms)
                assert page.model.rowCount() == GOODS, page.model.rowCount()
                visible = page.visible_rows()
                shown = sum(page.thumbs.has(page.model.rows[r].image_url) for r in visible)
                assert visible and shown == len(visible), (shown, len(visible))
                assert cache.downloads == 0 and page.thumbs.cache.downloads == 0
        figure("goods_page_open_first_ms", times[0], "ms")
        figure("goods_page_open_ms", statistics.median(times), "ms")
        figure("goods_page_thumbnails_on_first_screen", shown, "images")
        close_database()


def register(
    benchmark: Callable[[Callable[[argparse.Namespace], None]], object],
    figure: Callable[[str, float, str], None],
) -> None:
    """Add the ``goods_page_open`` benchmark to ``python -m bench``."""

    def goods_page_open(args: argparse.Namespace) -> None:
        """商品 with 2,000 goods × 12 SKUs and cached thumbnails opened in a window (< 100 ms)."""
        run(figure, args.repeat)

    benchmark(goods_page_open)
