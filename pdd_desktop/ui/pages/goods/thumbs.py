"""Goods thumbnails for the goods list: asked for the visible rows only, decoded off the UI thread.

The page tells :class:`ThumbnailLoader` which image URLs its visible rows show; the loader asks
the shop's :class:`~pdd_desktop.services.thumbnails.ThumbnailCache` on the io lane (disk, else
one download), decodes and scales the bytes to a ``QImage`` there, and turns it into a
``QPixmap`` on the UI thread. Painting only looks the pixmap up in a dict; until it is ready, and
for goods without an image or whose image failed, a neutral placeholder shows.
"""

from __future__ import annotations

import time
from collections.abc import Iterable

from PySide6.QtCore import QObject, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QPainterPath, QPen, QPixmap

from pdd_desktop.services.thumbnails import ThumbnailCache
from pdd_desktop.ui.ops import ReadOp

#: Thumbnail edge in pixels (the goods table's icon size).
SIZE = 32
#: URLs asked in one io-lane job (the io lane has a few workers: several jobs run at once).
CHUNK = 6
#: A URL that gave nothing (offline, demo sandbox not running yet) is asked again after this.
RETRY_S = 30.0
#: Decoded thumbnails kept (a 32×32 pixmap is ~4 kB: a big shop's list fits).
MAX_PIXMAPS = 5000


def decode(data: bytes | None, size: int = SIZE) -> QImage | None:
    """The image in ``data`` scaled into a ``size`` square, or None (runs in a worker)."""
    if not data:
        return None
    image = QImage.fromData(data)
    if image.isNull():
        return None
    return image.scaled(
        size, size, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
    )


def placeholder(size: int = SIZE) -> QPixmap:
    """A neutral rounded square with a faint frame (no image yet, or none)."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    path = QPainterPath()
    path.addRoundedRect(QRectF(1.5, 1.5, size - 3, size - 3), 4, 4)
    painter.fillPath(path, QColor("#eef0f3"))
    painter.setPen(QPen(QColor("#d5d9e0"), 1))
    painter.drawPath(path)
    # a small "picture" mark: a hill and a sun, in the frame's colour
    painter.setBrush(QColor("#d5d9e0"))
    painter.setPen(Qt.PenStyle.NoPen)
    s = size / 40  # the mark is drawn on a 40-unit grid
    painter.drawEllipse(QRectF(24 * s, 10 * s, 6 * s, 6 * s))
    hill = QPainterPath()
    hill.moveTo(8 * s, 30 * s)
    hill.lineTo(17 * s, 18 * s)
    hill.lineTo(24 * s, 26 * s)
    hill.lineTo(27 * s, 23 * s)
    hill.lineTo(32 * s, 30 * s)
    hill.closeSubpath()
    painter.drawPath(hill)
    painter.end()
    return pixmap


def _load(cache: ThumbnailCache, urls: list[str]) -> dict[str, QImage | None]:
    return {url: decode(cache.get(url)) for url in urls}


class ThumbnailLoader(QObject):
    """Pixmaps by image URL, loaded on request; ``loaded`` names the URLs that just arrived.

    Args:
        owner: the page (its runner runs the jobs; its deletion drops late answers).
        cache: the shop's thumbnail cache.
    """

    loaded = Signal(object)  #: set of URLs whose pixmap (or final absence) is now known

    def __init__(self, owner: QObject, cache: ThumbnailCache) -> None:
        super().__init__(owner)
        self.owner = owner
        self.cache = cache
        self.placeholder = placeholder()
        self._pixmaps: dict[str, QPixmap] = {}
        self._missing: dict[str, float] = {}
        self._in_flight: set[str] = set()

    def set_cache(self, cache: ThumbnailCache) -> None:
        """Load from ``cache`` from now on; what was missing is asked again."""
        self.cache = cache
        self._missing.clear()

    def pixmap(self, url: str) -> QPixmap:
        """The thumbnail of ``url`` when loaded, else the placeholder (a dict lookup only)."""
        return self._pixmaps.get(url, self.placeholder) if url else self.placeholder

    def has(self, url: str) -> bool:
        """Whether the real thumbnail of ``url`` is loaded."""
        return url in self._pixmaps

    def request(self, urls: Iterable[str]) -> int:
        """Load the URLs not loaded, not loading and not recently missing; returns how many."""
        now = time.monotonic()
        wanted = []
        for url in dict.fromkeys(urls):
            if not url or url in self._pixmaps or url in self._in_flight:
                continue
            if now - self._missing.get(url, -RETRY_S) < RETRY_S:
                continue
            wanted.append(url)
        for start in range(0, len(wanted), CHUNK):
            chunk = wanted[start : start + CHUNK]
            self._in_flight.update(chunk)
            ReadOp(self.owner, lambda c=chunk, k=self.cache: _load(k, c), lane="io").success(
                self._arrived
            ).failure(lambda _exc, c=chunk: self._give_up(c)).run()
        return len(wanted)

    def _arrived(self, images: dict[str, QImage | None]) -> None:
        now = time.monotonic()
        for url, image in images.items():
            self._in_flight.discard(url)
            if image is None:
                self._missing[url] = now
            else:
                if len(self._pixmaps) >= MAX_PIXMAPS:
                    self._pixmaps.pop(next(iter(self._pixmaps)))
                self._pixmaps[url] = QPixmap.fromImage(image)
        self.loaded.emit(set(images))

    def _give_up(self, urls: list[str]) -> None:
        now = time.monotonic()
        for url in urls:
            self._in_flight.discard(url)
            self._missing[url] = now
