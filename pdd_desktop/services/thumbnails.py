"""Goods main-image thumbnails: downloaded once, kept on disk under the shop folder.

No Qt here: the cache hands out the image's bytes; the goods page decodes them in a worker.

- The file name is a hash of the URL *as the platform gives it* (the demo's stable URL, not the
  sandbox's address of the session), so a cached URL is never downloaded again.
- Only ``image/*`` answers of at most :data:`MAX_BYTES` are kept; anything else is a failure.
- A failure (HTTP error, not an image, too large, offline) is remembered for
  :data:`RETRY_AFTER_S`, so scrolling back and forth never hammers the network; it only ever
  means "no thumbnail", never an error shown to the merchant.
- Demo URLs (``domain.images.DEMO_IMAGE_HOST``) resolve to the running sandbox through
  :func:`fetch_url`; before the sandbox runs they are simply not fetched yet (no failure).
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from pdd_desktop.domain.images import demo_image_path, is_demo_image_url

log = logging.getLogger(__name__)

#: Largest image accepted (bytes); the platform's main images are far smaller.
MAX_BYTES = 2 * 1024 * 1024
#: How long a failed URL is left alone.
RETRY_AFTER_S = 600.0
#: Content types kept (the platform serves JPEG, PNG and WebP).
IMAGE_TYPES = ("image/jpeg", "image/png", "image/webp", "image/gif")
TIMEOUT = httpx.Timeout(10.0, connect=5.0)
_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF8", b"RIFF")


def fetch_url(url: str, sandbox_gateway: str | None) -> str | None:
    """Where to download ``url`` from, or None when it cannot be fetched now.

    Args:
        url: the image URL as the platform (or the demo sandbox) answered it.
        sandbox_gateway: the running demo sandbox's gateway URL in demo mode, else None.

    Returns:
        An http(s) URL: a demo image URL mapped onto the sandbox's own server (demo mode only),
        the URL itself for any other http(s) URL; None for a demo URL without a running
        sandbox and for anything that is not http(s).
    """
    if is_demo_image_url(url):
        path = demo_image_path(url)
        if path is None or not sandbox_gateway:
            return None
        gateway = urlsplit(sandbox_gateway)
        return f"{gateway.scheme}://{gateway.netloc}{path}"
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    return url


class ThumbnailCache:
    """The shop's image cache (thread-safe; call :meth:`get` from worker threads only).

    Args:
        folder: where images are stored (``<shop>/thumbs``), made on the first write.
        resolve: maps an image URL to the URL to download, or None when not fetchable now
            (see :func:`fetch_url`).
        client: the httpx client to download with (tests pass one); one is made when None.
        clock: seconds, for the failure memory (tests pass a fake one).
    """

    def __init__(
        self,
        folder: Path,
        resolve: Callable[[str], str | None],
        *,
        client: httpx.Client | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.folder = Path(folder)
        self._resolve = resolve
        self._client = client
        self._clock = clock
        self._lock = threading.Lock()
        self._failed_until: dict[str, float] = {}
        self.downloads = 0  #: requests sent (tests and the benchmark read it)

    def path_for(self, url: str) -> Path:
        """The cache file of ``url`` (whether or not it exists)."""
        name = hashlib.sha256(url.encode("utf-8")).hexdigest()[:40]
        return self.folder / name[:2] / name

    def cached(self, url: str) -> bytes | None:
        """The stored bytes of ``url``, or None (disk only, never the network)."""
        if not url:
            return None
        try:
            return self.path_for(url).read_bytes()
        except OSError:
            return None

    def failed_recently(self, url: str) -> bool:
        """Whether ``url`` failed less than :data:`RETRY_AFTER_S` ago."""
        with self._lock:
            until = self._failed_until.get(url)
            if until is None:
                return False
            if self._clock() >= until:
                del self._failed_until[url]
                return False
            return True

    def get(self, url: str) -> bytes | None:
        """The image of ``url``: from disk, else downloaded once and stored; None if unavailable."""
        data = self.cached(url)
        if data is not None or not url or self.failed_recently(url):
            return data
        target = self._resolve(url)
        if target is None:
            return None
        try:
            data = self._download(target)
        except (httpx.HTTPError, OSError, ValueError) as exc:
            log.info("thumbnail not fetched (%s): %s", type(exc).__name__, exc)
            with self._lock:
                self._failed_until[url] = self._clock() + RETRY_AFTER_S
            return None
        self._store(url, data)
        return data

    def _download(self, target: str) -> bytes:
        client = self._client or _shared_client()
        with self._lock:
            self.downloads += 1
        with client.stream("GET", target, timeout=TIMEOUT, follow_redirects=True) as answer:
            if answer.status_code != 200:
                raise ValueError(f"HTTP {answer.status_code}")
            ctype = answer.headers.get("content-type", "").split(";")[0].strip().lower()
            if ctype not in IMAGE_TYPES:
                raise ValueError(f"not an image: {ctype or 'no content type'}")
            declared = answer.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > MAX_BYTES:
                raise ValueError(f"too large: {declared} bytes")
            chunks, size = [], 0
            for chunk in answer.iter_bytes():
                size += len(chunk)
                if size > MAX_BYTES:
                    raise ValueError("too large")
                chunks.append(chunk)
        data = b"".join(chunks)
        if not data.startswith(_MAGIC):
            raise ValueError("the bytes are no image")
        return data

    def _store(self, url: str, data: bytes) -> None:
        path = self.path_for(url)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".part-")
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            os.replace(tmp, path)
        except OSError as exc:  # a full or read-only disk: shown this session, fetched again later
            log.warning("thumbnail not stored: %s", exc)


_client_lock = threading.Lock()
_client: httpx.Client | None = None


def _shared_client() -> httpx.Client:
    """One pooled client for every shop's downloads (keep-alive to the image host)."""
    global _client
    with _client_lock:
        if _client is None:
            _client = httpx.Client(timeout=TIMEOUT, headers={"User-Agent": "pdd-desktop"})
        return _client
