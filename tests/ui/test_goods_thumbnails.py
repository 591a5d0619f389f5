"""商品 list thumbnails: only visible rows are asked for, real images replace the placeholder."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import httpx
import pytest
from PySide6.QtCore import Qt

from pdd_desktop.data.db import database
from pdd_desktop.domain.images import demo_goods_id
from pdd_desktop.sandbox.images import goods_png
from pdd_desktop.services.thumbnails import ThumbnailCache, fetch_url
from pdd_desktop.ui.pages.goods.page import GOODS_COLUMNS
from tests.helpers.pages import page_fixture

THUMB = next(i for i, c in enumerate(GOODS_COLUMNS) if c.key == "thumb")

page = page_fixture("goods", lambda p: p.model.rows, size=(1280, 800))


class _Sandboxish(BaseHTTPRequestHandler):
    """Serves goods images as the sandbox does; anything else is a 404."""

    hits: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        type(self).hits.append(self.path)
        goods_id = demo_goods_id(self.path)
        if goods_id is None:
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        body = goods_png(goods_id, "货")
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def images():
    _Sandboxish.hits = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Sandboxish)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def _decoration(page, row: int):
    return page.model.index(row, THUMB).data(Qt.ItemDataRole.DecorationRole)


def test_visible_rows_get_thumbnails_and_a_broken_url_keeps_the_placeholder(qtbot, page, images, tmp_path):
    rows = page.model.rows
    assert len(rows) > 30
    broken_id = rows[1].goods_id
    database.execute_sql(
        "UPDATE goods SET image_url = ? WHERE goods_id = ?", (f"{images}/broken.png", broken_id)
    )
    page.thumbs.set_cache(
        ThumbnailCache(
            tmp_path / "thumbs", lambda url: fetch_url(url, f"{images}/api/router"), client=httpx.Client()
        )
    )
    with qtbot.waitSignal(page.results_shown):
        page.refresh()
    visible = page.visible_rows()
    assert 5 < len(visible) < len(page.model.rows)
    qtbot.waitUntil(lambda: not page.thumbs._in_flight and page._thumb_timer.isActive() is False)
    page.request_visible_thumbnails()  # inline runner: the jobs ran
    placeholder = page.thumbs.placeholder.toImage()
    broken_row = page.model.position_of(broken_id)
    assert broken_row in visible
    for row in visible:
        image = _decoration(page, row).toImage()
        if row == broken_row:
            assert image == placeholder
        else:
            assert image != placeholder and not image.isNull(), row
    asked = {p for p in _Sandboxish.hits}
    assert "/broken.png" in asked
    # only the visible rows were asked for, each once; rows below the screen were not
    expected = {f"/images/goods/{page.model.rows[r].goods_id}.png" for r in visible if r != broken_row}
    assert asked - {"/broken.png"} == expected
    assert len(_Sandboxish.hits) == len(expected) + 1
    below = max(visible) + 5
    assert _decoration(page, below).toImage() == placeholder
    # the broken URL is remembered: asking again sends nothing
    page.request_visible_thumbnails()
    assert len(_Sandboxish.hits) == len(expected) + 1
    # scrolling down loads the newly visible rows
    page.view.table.scrollToBottom()
    qtbot.waitUntil(lambda: page.thumbs.has(page.model.rows[-1].image_url))
    assert _decoration(page, len(page.model.rows) - 1).toImage() != placeholder
    page.grab().save(str(tmp_path / "goods.png"))


def test_demo_urls_without_a_running_sandbox_show_placeholders(qtbot, page):
    """The test window has no sandbox: demo image URLs are not fetchable yet, nothing fails."""
    page.request_visible_thumbnails()
    placeholder = page.thumbs.placeholder.toImage()
    assert page.model.rows[0].image_url.startswith("https://img.sandbox.pdd-desktop.invalid/")
    assert _decoration(page, 0).toImage() == placeholder
    assert page.thumbs.cache.downloads == 0
