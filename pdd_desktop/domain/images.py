"""Goods image URLs: the demo sandbox's stable image scheme.

The demo sandbox listens on a free port chosen each session. Image URLs that named that port
would change every session, so every goods would differ from its stored copy on the next sync
and the thumbnail cache (keyed by URL) would never hit. The sandbox therefore answers image URLs
on a fixed host that can never exist (``.invalid`` is reserved by RFC 2606), and serves the bytes
under the same path on its own server; only the app's image fetcher, in demo mode, maps that host
to the running sandbox (:func:`demo_image_path`). Real shops' URLs are the platform's own https
addresses and are fetched as they are.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

#: The demo sandbox's image host: stable across sessions, never resolvable on a real network.
DEMO_IMAGE_HOST = "img.sandbox.pdd-desktop.invalid"
#: Path prefix under which the sandbox serves its goods images.
DEMO_IMAGE_PREFIX = "/images/goods/"

_DEMO_PATH = re.compile(r"^/images/goods/(\d{1,20})\.png$")


def demo_image_url(goods_id: int) -> str:
    """The stable URL of a demo goods' main image."""
    return f"https://{DEMO_IMAGE_HOST}{DEMO_IMAGE_PREFIX}{int(goods_id)}.png"


def is_demo_image_url(url: str) -> bool:
    """Whether ``url`` is on the demo sandbox's image host."""
    try:
        return (urlsplit(url).hostname or "").lower() == DEMO_IMAGE_HOST
    except ValueError:
        return False


def demo_image_path(url: str) -> str | None:
    """The path to ask the running sandbox for ``url``, or None when it is no demo image URL."""
    if not is_demo_image_url(url):
        return None
    path = urlsplit(url).path
    return path if _DEMO_PATH.match(path) else None


def demo_goods_id(path: str) -> int | None:
    """The goods id in a sandbox image path (``/images/goods/<id>.png``), or None."""
    match = _DEMO_PATH.match(path)
    return int(match.group(1)) if match else None
