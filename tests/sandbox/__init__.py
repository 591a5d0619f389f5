"""Helpers of the sandbox tests: a cached small demo build and a signed raw-httpx caller."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import httpx

from pdd_desktop.platform.sign import make_sign

ORDERS = 500
SEED = 5
#: The demo data's end (2026-11-23 12:00 UTC, as tests/conftest.py): fixed, so every run sees the
#: same shop. The platform clock stays real time; tests sign with ``shop.platform_now()``.
NOW0 = 1_795_435_200

_templates: dict[tuple[int, int, int], Path] = {}


def demo_template(tmp_path_factory, *, orders: int = ORDERS, seed: int = SEED, now0: int = NOW0) -> Path:
    """A demo shop file of these parameters, built once per test session."""
    from pdd_desktop.services.demo_shop import build_demo_shop

    key = (orders, seed, now0)
    if key not in _templates:
        path = tmp_path_factory.mktemp("sandbox-template") / "demo.db"
        build_demo_shop(path, orders=orders, seed=seed, now=now0)
        _templates[key] = path
    return _templates[key]


class Caller:
    """Signed router calls with raw httpx, as a client would make them."""

    def __init__(self, url: str, shop, *, token: str | None = None, timeout: float = 10.0) -> None:
        self.url = url
        self.shop = shop
        self.creds = shop.credentials
        self.token = token or self.creds.access_token
        self.client = httpx.Client(timeout=timeout)

    def params(
        self,
        api: str,
        *,
        timestamp: int | None = None,
        secret: str | None = None,
        token: str | None = "",
        **business: object,
    ) -> dict[str, str]:
        p = {
            "type": api,
            "client_id": self.creds.client_id,
            "timestamp": str(self.shop.platform_now() if timestamp is None else timestamp),
            "data_type": "JSON",
            "version": "V1",
        }
        tok = self.token if token == "" else token
        if tok is not None:
            p["access_token"] = tok
        for k, v in business.items():
            if isinstance(v, (dict, list)):
                p[k] = json.dumps(v, ensure_ascii=False, separators=(",", ":"))
            elif isinstance(v, bool):
                p[k] = "true" if v else "false"
            else:
                p[k] = str(v)
        p["sign"] = make_sign(p, secret or self.creds.client_secret)
        return p

    def raw(self, api: str, **kw) -> httpx.Response:
        timeout = kw.pop("http_timeout", None)
        return self.client.post(self.url, data=self.params(api, **kw), timeout=timeout or self.client.timeout)

    def call(self, api: str, **kw) -> dict:
        return json.loads(self.raw(api, **kw).text, parse_float=Decimal)

    def close(self) -> None:
        self.client.close()


def error_code(body: dict) -> int | None:
    err = body.get("error_response")
    return None if err is None else err["error_code"]
