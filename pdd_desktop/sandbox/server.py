"""The sandbox gateway: a real HTTP server on 127.0.0.1 speaking the open platform's protocol.

``POST /api/router`` takes form-urlencoded, multipart or JSON bodies (query-string parameters
are merged in, the body wins) and answers JSON as the platform does (HTTP 200, also for
``error_response``). Fault switches (:mod:`pdd_desktop.sandbox.faults`) act around the router:
latency, HTTP 5xx, rate limits (52101/70031 with an optional ``Retry-After``), truncated bodies,
and "apply then time out" on writes.

Malformed requests (a ``Content-Length`` that is not a plain ASCII number, a chunked body, a
body that does not parse, JSON nested past what a parser may follow) answer HTTP 400 with the
platform's ``error_response`` shape and close the connection; a connection idle (or stalled
mid-request) for :data:`IDLE_TIMEOUT_S` is closed.

Control endpoints for subprocess tests (loopback clients only, and only when the ``Host``
header names this server on 127.0.0.1/localhost and no foreign ``Origin`` or cross-site fetch
metadata comes with the request: a web page the merchant opens cannot read the secret through
DNS rebinding or drive the faults):

- ``GET /sandbox/faults`` → the switches; ``POST /sandbox/faults`` with a JSON object sets
  some (``{"reset": true}`` turns all off first);
- ``GET /sandbox/effects?api_type=…&order_sn=…`` → ``{"count": n}``;
- ``POST /sandbox/advance`` with ``{"to": ts}`` (default: platform now) runs the simulation;
- ``POST /sandbox/expire_tokens``; ``POST /sandbox/commit_late`` with ``{"behind_s": 120}``;
- ``GET /sandbox/info`` → gateway URL, credentials, platform time.
"""

from __future__ import annotations

import email.parser
import email.policy
import hmac
import json
import logging
import re
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from pdd_desktop.domain.images import DEMO_IMAGE_PREFIX, demo_goods_id
from pdd_desktop.platform.sign import param_text
from pdd_desktop.sandbox.api import WRITE_TYPES, Router, dumps, error_body
from pdd_desktop.sandbox.images import goods_png
from pdd_desktop.sandbox.sim import SimRunner
from pdd_desktop.sandbox.state import ApiError, SandboxShop

__all__ = ["LOOPBACK", "SandboxServer"]

LOOPBACK = "127.0.0.1"
#: Largest request body accepted (52004 请求body太大 above it).
MAX_BODY = 4 * 1024 * 1024
#: Seconds a connection may stay idle, or stall inside a request, before it is closed (the app's
#: client drops idle pooled connections after 5 s, httpx's default keep-alive expiry).
IDLE_TIMEOUT_S = 30.0
#: A Content-Length value: ASCII digits only (``int()`` would take "+5", " 5" or "٥").
_LENGTH = re.compile(r"[0-9]{1,18}")

log = logging.getLogger(__name__)


class BadRequest(Exception):
    """A request the server cannot read (answered 400 in the platform's error shape)."""


def parse_body(content_type: str, body: bytes) -> dict[str, str]:
    """Parameters of a router POST body: form-urlencoded, multipart/form-data or a JSON object."""
    ctype = (content_type or "").split(";")[0].strip().lower()
    if ctype == "application/json":
        data = json.loads(body.decode("utf-8") or "{}")
        if not isinstance(data, dict):
            raise ValueError("JSON body must be an object")
        return {str(k): param_text(v) for k, v in data.items() if v is not None}
    if ctype == "multipart/form-data":
        raw = b"Content-Type: " + content_type.encode("latin-1") + b"\r\n\r\n" + body
        msg = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(raw)
        out: dict[str, str] = {}
        for part in msg.iter_parts():
            name = part.get_param("name", header="content-disposition")
            if name:
                payload = part.get_payload(decode=True) or b""
                out[str(name)] = payload.decode(part.get_content_charset() or "utf-8")
        return out
    return dict(urllib.parse.parse_qsl(body.decode("utf-8"), keep_blank_values=True))


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out in two writes: no 40 ms delayed-ACK stall
    server: _HTTPServer

    def log_message(self, format: str, *args: object) -> None:  # quiet
        return

    def date_time_string(self, timestamp: float | None = None) -> str:
        """The ``Date`` header in *platform* time (clock-offset fault included), like the gateway's.

        A client whose clock is off reads its offset from it.
        """
        return super().date_time_string(self.server.shop.platform_now() if timestamp is None else timestamp)

    # ------------------------------------------------------------------ plumbing

    def _send(
        self,
        status: int,
        body: bytes,
        *,
        headers: dict[str, str] | None = None,
        ctype: str = "application/json;charset=UTF-8",
    ) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def setup(self) -> None:
        """Every connection gets the server's socket timeout before its streams are made."""
        self.timeout = self.server.idle_timeout_s
        super().setup()

    def _read_body(self) -> bytes:
        """The request body, after checking its framing.

        Raises:
            BadRequest: a Content-Length that is not one plain non-negative number, or chunked
                transfer encoding (the platform's clients send a length).
            ApiError: 52004 for a body longer than :data:`MAX_BODY`.
        """
        if self.headers.get("Transfer-Encoding") is not None:
            raise BadRequest("不支持分块传输（Transfer-Encoding），请带 Content-Length 发送")
        values = {v.strip() for v in self.headers.get_all("Content-Length") or ()}
        if not values:
            return b""
        if len(values) > 1:
            raise BadRequest("Content-Length 出现了多个不同的值")
        text = values.pop()
        if not _LENGTH.fullmatch(text):
            raise BadRequest(f"Content-Length 不是非负整数：{text[:20]!r}")
        length = int(text)
        if length > MAX_BODY:
            raise ApiError(52004, "请求body 太大", "请求body 太大")
        return self.rfile.read(length) if length else b""

    def _bad_request(self, reason: str) -> None:
        """HTTP 400 in the platform's error shape; the connection closes (its framing is unknown)."""
        self.close_connection = True
        err = ApiError(10000, "参数错误", reason)
        body = dumps(error_body(err, self.server.shop.platform_now()))
        self._send(400, body, headers={"Connection": "close"})

    def _loopback(self) -> bool:
        if self.client_address[0] != LOOPBACK:
            self._send(403, b'{"error":"forbidden"}')
            return False
        return self._same_origin()

    def _same_origin(self) -> bool:
        """A control request must name this server and come from no other web origin.

        The ``Host`` check defeats DNS rebinding (a page on another name resolving to
        127.0.0.1); ``Origin`` and ``Sec-Fetch-Site`` refuse a browser sending for another site.
        """
        port = self.server.server_address[1]
        allowed = {f"{LOOPBACK}:{port}", f"localhost:{port}"}
        host = (self.headers.get("Host") or "").strip().lower()
        origin = self.headers.get("Origin")
        site = (self.headers.get("Sec-Fetch-Site") or "none").strip().lower()
        if (
            host not in allowed
            or (origin is not None and origin.strip().lower() not in {f"http://{h}" for h in allowed})
            or site not in ("none", "same-origin")
        ):
            self.close_connection = True
            self._send(403, b'{"error":"forbidden: foreign host or origin"}')
            return False
        return True

    # ------------------------------------------------------------------ verbs

    def do_GET(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        if url.path.startswith(DEMO_IMAGE_PREFIX):
            self._goods_image(url.path)
            return
        if url.path.startswith("/bills/"):
            self._bill(url)
            return
        if not url.path.startswith("/sandbox/") or not self._loopback():
            if url.path.startswith("/sandbox/"):
                return
            self._send(404, b'{"error":"not found"}')
            return
        self._control(url, {})

    def _goods_image(self, path: str) -> None:
        """A goods' main image (the stable demo image URLs map here, see ``domain.images``)."""
        goods_id = demo_goods_id(path)
        name = None if goods_id is None else self.server.shop.goods_name(goods_id)
        if goods_id is None or name is None:
            self._send(404, b'{"error":"not found"}')
            return
        body = goods_png(goods_id, name)
        self._send(200, body, ctype="image/png", headers={"Cache-Control": "max-age=31536000"})

    def _bill(self, url: urllib.parse.SplitResult) -> None:
        """A day's bill ZIP at the URL ``pdd.finance.balance.daily.bill.url.get`` answered."""
        bills = self.server.shop.bills
        m = re.fullmatch(r"/bills/(\d{4}-\d{2}-\d{2})\.zip", url.path)
        sig = dict(urllib.parse.parse_qsl(url.query)).get("sig", "")
        if m is None or not hmac.compare_digest(sig, bills.signature(m.group(1))):
            self._send(404, b'{"error":"not found"}')
            return
        self._send(200, bills.day_zip(m.group(1)), ctype="application/zip")

    def do_POST(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        try:
            body = self._read_body()
        except BadRequest as exc:
            self._bad_request(str(exc))
            return
        except ApiError as err:
            self.close_connection = True  # the body was not read
            self._send(200, dumps(error_body(err, self.server.shop.platform_now())))
            return
        if url.path == "/api/router":
            self._router(url, body)
        elif url.path.startswith("/sandbox/"):
            if self._loopback():
                try:
                    data = json.loads(body.decode("utf-8") or "{}")
                except (ValueError, RecursionError):
                    self._send(400, b'{"error":"bad json"}')
                    return
                self._control(url, data if isinstance(data, dict) else {})
        else:
            self._send(404, b'{"error":"not found"}')

    def _router(self, url: urllib.parse.SplitResult, body: bytes) -> None:
        srv = self.server
        faults = srv.shop.faults
        latency = faults.latency_s
        if latency > 0:
            time.sleep(latency)
        status = faults.take_http_error()
        if status is not None:
            self._send(
                status, f"<html><body>{status} Service Unavailable</body></html>".encode(), ctype="text/html"
            )
            return
        limited = faults.take_rate_limit()
        if limited is not None:
            code, retry_after = limited
            msg = "当前接口被限流，请稍后重试" if code == 52101 else "调用过于频繁，请调整调用频率"
            headers = {"Retry-After": str(int(retry_after))} if retry_after is not None else None
            self._send(
                200, dumps(error_body(ApiError(code, msg, msg), srv.shop.platform_now())), headers=headers
            )
            return
        try:
            params = dict(urllib.parse.parse_qsl(url.query, keep_blank_values=True))
            params.update(parse_body(self.headers.get("Content-Type", ""), body))
        except RecursionError:
            self._bad_request("请求体的 JSON 嵌套层数过多")
            return
        except (ValueError, UnicodeDecodeError):
            err = ApiError(10000, "参数错误", "请求体无法解析")
            self._send(200, dumps(error_body(err, srv.shop.platform_now())))
            return
        try:
            answer = srv.router.handle(params)
        except Exception:  # a request the router did not foresee: still an answer, never a dead handler
            log.exception("sandbox router failed on %s", params.get("type"))
            err = ApiError(50000, "系统内部错误", "系统内部错误")
            self._send(500, dumps(error_body(err, srv.shop.platform_now())))
            return
        payload = dumps(answer)
        if params.get("type") in WRITE_TYPES and "error_response" not in answer:
            wait = faults.take_apply_then_timeout()
            if wait > 0:
                time.sleep(wait)
        if faults.take_truncate():
            payload = payload[: max(1, len(payload) // 2)]
        self._send(200, payload)

    def _control(self, url: urllib.parse.SplitResult, data: dict) -> None:
        shop = self.server.shop
        path = url.path
        try:
            if path == "/sandbox/faults":
                if data:
                    if data.pop("reset", False):
                        shop.faults.reset()
                    shop.faults.set(**data)
                out: object = shop.faults.snapshot()
            elif path == "/sandbox/effects":
                query = dict(urllib.parse.parse_qsl(url.query))
                api_type = query.pop("api_type", None)
                out = {"count": shop.effects(api_type, **query)}
            elif path == "/sandbox/advance":
                to = int(data.get("to") or shop.platform_now())
                out = {"arrived": shop.sim.advance(to), "sim_at": shop.sim.sim_at}
            elif path == "/sandbox/expire_tokens":
                shop.expire_access_tokens()
                out = {"ok": True}
            elif path == "/sandbox/commit_late":
                out = {
                    "order_sn": shop.commit_late(
                        data.get("order_sn"), behind_s=int(data.get("behind_s", 120))
                    )
                }
            elif path == "/sandbox/info":
                c = shop.credentials
                out = {
                    "gateway_url": self.server.gateway_url,
                    "client_id": c.client_id,
                    "client_secret": c.client_secret,
                    "access_token": c.access_token,
                    "refresh_token": c.refresh_token,
                    "platform_now": shop.platform_now(),
                    "sim_at": shop.sim.sim_at,
                }
            else:
                self._send(404, b'{"error":"not found"}')
                return
        except (KeyError, TypeError, ValueError) as exc:
            self._send(400, json.dumps({"error": str(exc)}, ensure_ascii=False).encode())
            return
        self._send(200, json.dumps(out, ensure_ascii=False).encode())


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], shop: SandboxShop, idle_timeout_s: float) -> None:
        self.shop = shop
        self.router = Router(shop)
        self.gateway_url = ""
        self.idle_timeout_s = idle_timeout_s
        super().__init__(address, _Handler)


class SandboxServer:
    """The sandbox platform on ``http://127.0.0.1:<port>/api/router``, with the simulation running.

    ``idle_timeout_s`` closes a connection that sends nothing for that long (idle keep-alive, or
    a request stalled mid-body). ``latency_ms`` sets the ``latency_s`` fault switch: every
    router call waits that long before it is answered (a real gateway's round trip; the sleep
    holds no lock, so calls in flight overlap as they would on the network).

    Example::

        with SandboxServer(shop, latency_ms=50) as server:
            url = server.gateway_url
    """

    def __init__(
        self,
        shop: SandboxShop,
        host: str = LOOPBACK,
        port: int = 0,
        *,
        run_sim: bool = True,
        sim_interval_s: float = 1.0,
        latency_ms: float | None = None,
        idle_timeout_s: float = IDLE_TIMEOUT_S,
    ) -> None:
        if idle_timeout_s <= 0:
            raise ValueError("idle_timeout_s must be positive")
        if host != LOOPBACK:
            raise ValueError(f"the sandbox binds to {LOOPBACK} only, not {host!r}")
        if latency_ms is not None:
            if latency_ms < 0:
                raise ValueError("latency_ms must not be negative")
            # a real gateway's round trip, added to every router call (the ``latency_s`` fault)
            shop.faults.set(latency_s=latency_ms / 1000)
        self.shop = shop
        self.host = host
        self.port = port
        self.run_sim = run_sim
        self.idle_timeout_s = idle_timeout_s
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._runner = SimRunner(shop.sim, sim_interval_s)

    @property
    def gateway_url(self) -> str:
        return self._httpd.gateway_url if self._httpd else ""

    @property
    def faults(self):
        return self.shop.faults

    def start(self) -> str:
        """Catch the simulation up, bind, serve in a daemon thread; returns the gateway URL."""
        if self._httpd is not None:
            return self.gateway_url
        if self.run_sim:
            self.shop.sim.catch_up()
        httpd = _HTTPServer((self.host, self.port), self.shop, self.idle_timeout_s)
        self.port = httpd.server_address[1]
        httpd.gateway_url = f"http://{LOOPBACK}:{self.port}/api/router"
        httpd.router.base_url = f"http://{LOOPBACK}:{self.port}"
        self._httpd = httpd
        self._thread = threading.Thread(
            target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, name="sandbox-http", daemon=True
        )
        self._thread.start()
        if self.run_sim:
            self._runner.start()
        return httpd.gateway_url

    def stop(self) -> None:
        """Stop serving and the simulation thread (the shop stays open)."""
        self._runner.stop()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None

    def __enter__(self) -> SandboxServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
