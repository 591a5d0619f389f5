"""Downloading a file the platform points to (the bill ZIP of ``pdd.finance.balance.daily.bill.url.get``).

Plain HTTP(S) GET, no signing: the URL the API answered is the credential (on the platform a
signed, short-lived CDN link; in the sandbox ``http://127.0.0.1:<port>/bills/…?sig=…``). Size
capped, redirects followed, failures as :class:`~pdd_desktop.platform.errors.TransportError`.
"""

from __future__ import annotations

import httpx

from pdd_desktop.platform.errors import TransportError

#: A 31-day bill of a busy shop is a few MB zipped; anything this large is not a bill.
MAX_BYTES = 512 << 20
TIMEOUT_S = 60.0


def download(url: str, *, max_bytes: int = MAX_BYTES, timeout_s: float = TIMEOUT_S) -> bytes:
    """The body at ``url``.

    Raises:
        TransportError: not http(s), a network failure, an HTTP error or a body over ``max_bytes``.
    """
    if not url.startswith(("https://", "http://")):
        raise TransportError("下载地址无效", sent=False)
    try:
        with httpx.stream("GET", url, timeout=timeout_s, follow_redirects=True) as response:
            if response.status_code != 200:
                raise TransportError(f"下载失败（HTTP {response.status_code}）", sent=True)
            parts: list[bytes] = []
            size = 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > max_bytes:
                    raise TransportError("下载的文件过大", sent=True)
                parts.append(chunk)
            return b"".join(parts)
    except httpx.HTTPError as exc:
        raise TransportError(f"下载失败：{type(exc).__name__}", sent=True) from exc
