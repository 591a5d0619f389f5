"""The thumbnail cache: download once, remember failures, resolve demo URLs to the sandbox."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import httpx
import pytest

from pdd_desktop.domain.images import demo_image_url
from pdd_desktop.sandbox.images import goods_png
from pdd_desktop.sandbox.server import SandboxServer
from pdd_desktop.services import thumbnails
from pdd_desktop.services.print_route import PlatformAccess, SandboxEndpoint
from pdd_desktop.services.thumbnails import ThumbnailCache, fetch_url

PNG = goods_png(1, "测")


class _Images(BaseHTTPRequestHandler):
    """Answers by path: a PNG, HTML, a 404, and a body larger than the cap."""

    hits: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        type(self).hits.append(self.path)
        if self.path == "/ok.png":
            self._answer(200, "image/png", PNG)
        elif self.path == "/page.html":
            self._answer(200, "text/html", b"<html></html>")
        elif self.path == "/huge.png":
            self._answer(200, "image/png", b"\x89PNG\r\n\x1a\n" + b"0" * (thumbnails.MAX_BYTES + 10))
        elif self.path == "/fake.png":
            self._answer(200, "image/png", b"not an image at all")
        else:
            self._answer(404, "text/plain", b"missing")

    def _answer(self, status: int, ctype: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def image_server():
    _Images.hits = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Images)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _cache(tmp_path, clock=None) -> ThumbnailCache:
    return ThumbnailCache(
        tmp_path / "thumbs",
        lambda url: fetch_url(url, None),
        client=httpx.Client(),
        clock=clock or FakeClock(),
    )


def test_miss_downloads_once_then_hits_disk(tmp_path, image_server):
    cache = _cache(tmp_path)
    url = f"{image_server}/ok.png"
    assert cache.cached(url) is None
    assert cache.get(url) == PNG
    assert cache.path_for(url).read_bytes() == PNG
    assert str(cache.path_for(url)).startswith(str(tmp_path / "thumbs"))
    # a second get, and a new cache over the same folder (next session), never ask again
    assert cache.get(url) == PNG
    assert _cache(tmp_path).get(url) == PNG
    assert _Images.hits == ["/ok.png"]
    assert cache.downloads == 1


@pytest.mark.parametrize("path", ["/page.html", "/missing.png", "/huge.png", "/fake.png"])
def test_failures_are_remembered_and_retried_later(tmp_path, image_server, path):
    clock = FakeClock()
    cache = _cache(tmp_path, clock)
    url = f"{image_server}{path}"
    assert cache.get(url) is None
    assert cache.get(url) is None  # remembered: no second request
    assert _Images.hits == [path]
    assert not cache.path_for(url).exists()
    clock.now += thumbnails.RETRY_AFTER_S + 1
    assert cache.get(url) is None
    assert _Images.hits == [path, path]


def test_offline_is_quietly_nothing(tmp_path):
    import socket

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    cache = _cache(tmp_path)
    url = f"http://127.0.0.1:{port}/x.png"
    assert cache.get(url) is None
    assert cache.failed_recently(url)
    assert cache.get("") is None
    assert cache.get("ftp://example.invalid/x.png") is None


def test_demo_urls_resolve_to_the_sandbox_in_demo_mode_only():
    url = demo_image_url(612345)
    assert url == "https://img.sandbox.pdd-desktop.invalid/images/goods/612345.png"
    assert (
        fetch_url(url, "http://127.0.0.1:4321/api/router") == "http://127.0.0.1:4321/images/goods/612345.png"
    )
    assert fetch_url(url, None) is None  # the sandbox does not run (yet)
    sandbox = "http://127.0.0.1:1/api/router"
    assert fetch_url("https://img.sandbox.pdd-desktop.invalid/etc/passwd", sandbox) is None
    real = "https://img.pddpic.com/gaudit-image/2026-01-01/abc.jpeg"
    assert fetch_url(real, "http://127.0.0.1:4321/api/router") == real
    endpoint = SandboxEndpoint("http://127.0.0.1:4321/api/router", "id", "secret", "a", "r")
    demo = PlatformAccess("demo", endpoint=lambda: endpoint, is_demo=True)
    shop = PlatformAccess("店", endpoint=lambda: endpoint, is_demo=False)
    assert demo.image_fetch_url(url) == "http://127.0.0.1:4321/images/goods/612345.png"
    assert shop.image_fetch_url(url) is None
    assert shop.image_fetch_url(real) == real


def test_sandbox_serves_each_goods_image(tmp_path, rig):
    (goods_id, name), *_ = rig.shop.query("SELECT goods_id, name FROM goods ORDER BY goods_id LIMIT 2")
    cache = ThumbnailCache(tmp_path / "thumbs", lambda url: fetch_url(url, rig.url), client=httpx.Client())
    data = cache.get(demo_image_url(goods_id))
    assert data is not None and data.startswith(b"\x89PNG")
    assert data == goods_png(goods_id, name)  # deterministic
    assert goods_png(goods_id, name) != goods_png(goods_id + 1, name)
    assert cache.get(demo_image_url(1)) is None  # no such goods: 404, remembered
    assert httpx.get(rig.url.replace("/api/router", "/images/goods/1.txt")).status_code == 404


def test_sandbox_answers_stable_image_urls_across_sessions(rig):
    """A second session's sandbox listens elsewhere, yet no goods differs and nothing is re-read."""
    from tests.helpers.db import raw_rows

    engine = rig.engine(rig.client(rate_limits=False))
    for _ in range(3):  # the detail budget per run may defer some goods to the next run
        assert engine.run_once().outcome == "ok"
    platform_ids = {g for (g,) in rig.shop.query("SELECT goods_id FROM goods")}
    urls = dict(raw_rows(rig.db, "SELECT goods_id, image_url FROM goods"))
    assert len(platform_ids) > 10
    assert {g: u for g, u in urls.items() if g in platform_ids and u != demo_image_url(g)} == {}
    old_port = rig.server.port
    rig.server.stop()
    rig.server = SandboxServer(rig.shop, run_sim=False)
    rig.server.start()
    assert rig.server.port != old_port
    engine = rig.engine(rig.client(rate_limits=False))
    read: list[int] = []
    real_detail = engine.client.goods_detail
    engine.client.goods_detail = lambda g: (read.append(g), real_detail(g))[1]
    assert engine.run_once().outcome == "ok"
    assert read == []
    assert dict(raw_rows(rig.db, "SELECT goods_id, image_url FROM goods")) == urls
