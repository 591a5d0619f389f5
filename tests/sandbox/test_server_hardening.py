"""The sandbox gateway under malformed or hostile HTTP: every request gets an answer, idle
connections are closed, and the control endpoints (which hand out the secret) answer only
requests addressed to this server from no other web origin."""

from __future__ import annotations

import json
import socket
import time

import httpx
import pytest

from pdd_desktop.sandbox.server import SandboxServer
from pdd_desktop.sandbox.state import SandboxShop
from tests.sandbox import NOW0, ORDERS, SEED, Caller, demo_template, error_code


@pytest.fixture
def shop(tmp_path, tmp_path_factory):
    s = SandboxShop.open(
        tmp_path / "sb", orders=ORDERS, seed=SEED, now0=NOW0, template=demo_template(tmp_path_factory)
    )
    yield s
    s.close()


@pytest.fixture
def server(shop):
    srv = SandboxServer(shop, run_sim=False, idle_timeout_s=1.0)
    srv.start()
    yield srv
    srv.stop()


def _raw(server: SandboxServer, request: bytes, *, timeout: float = 5.0) -> tuple[int, dict]:
    """Send raw bytes, read one answer: (HTTP status, parsed JSON body)."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=timeout) as sock:
        sock.sendall(request)
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = sock.recv(65536)
            assert chunk, f"connection closed without an answer: {data!r}"
            data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        fields = (h.partition(":") for h in lines[1:])
        length = next(int(v) for k, _, v in fields if k.lower() == "content-length")
        while len(body) < length:
            chunk = sock.recv(65536)
            assert chunk
            body += chunk
    return status, json.loads(body[:length])


def _post(length_header: str, body: bytes = b"") -> bytes:
    return (
        b"POST /api/router HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"Content-Type: application/x-www-form-urlencoded\r\n"
        + f"Content-Length: {length_header}\r\n\r\n".encode()
        + body
    )


@pytest.mark.parametrize("length", ["-1", "abc", "²", "1e3", "+5", "5 5"])
def test_a_malformed_content_length_is_answered_400_in_the_platform_shape(server, length):
    status, body = _raw(server, _post(length, b"x" * 5))
    assert status == 400
    assert body["error_response"]["error_code"] == 10000
    assert "Content-Length" in body["error_response"]["sub_msg"]


def test_minus_one_does_not_skip_the_body_limit(server):
    # "-1" used to make the server read to the end of the stream, past MAX_BODY
    status, _body = _raw(server, _post("-1", b"type=x&" * 100))
    assert status == 400


def test_chunked_bodies_are_refused_not_left_in_the_stream(server):
    request = (
        b"POST /api/router HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n"
        b"5\r\ntype=\r\n0\r\n\r\n"
    )
    status, body = _raw(server, request)
    assert status == 400 and body["error_response"]["error_code"] == 10000


def test_json_nested_100k_deep_gets_an_answer(server):
    deep = b"[" * 100_000 + b"]" * 100_000
    body = b'{"type": ' + deep + b"}"
    request = (
        b"POST /api/router HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        + f"Content-Length: {len(body)}\r\n\r\n".encode()
        + body
    )
    status, answer = _raw(server, request)
    assert status == 400
    assert "嵌套" in answer["error_response"]["sub_msg"]


def test_a_deeply_nested_business_json_parameter_is_a_parameter_error(server, shop):
    api = Caller(server.gateway_url, shop)
    try:
        answer = api.call(
            "pdd.order.upload.extra.logistics",
            order_sn="x",
            extra_track_type=1,
            extra_track_list="[" * 100_000 + "]" * 100_000,
        )
        assert error_code(answer) == 21001
    finally:
        api.close()


@pytest.mark.parametrize("stamp", ["²", "١٢٣", "12³", "-5", " 12"])
def test_a_timestamp_of_non_ascii_digits_is_a_common_parameter_error(server, shop, stamp):
    api = Caller(server.gateway_url, shop)
    try:
        params = api.params("pdd.time.get")
        params["timestamp"] = stamp
        answer = httpx.post(server.gateway_url, data=params, timeout=5).json()
        assert answer["error_response"]["error_code"] == 10001
        assert "timestamp" in answer["error_response"]["error_msg"]
    finally:
        api.close()


def test_a_non_ascii_integer_parameter_is_refused(server, shop):
    api = Caller(server.gateway_url, shop)
    try:
        assert error_code(api.call("pdd.goods.detail.get", goods_id="²")) == 21001
        assert error_code(api.call("pdd.goods.detail.get", goods_id="١٢")) == 21001
    finally:
        api.close()


def test_idle_and_stalled_connections_are_closed(server):
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        started = time.monotonic()
        assert sock.recv(1) == b""  # the server hung up on the idle connection
        assert time.monotonic() - started < 5
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock.sendall(_post("100", b"type=pdd"))  # promises 100 bytes, sends 8
        started = time.monotonic()
        while sock.recv(65536):
            pass
        assert time.monotonic() - started < 5
    # the server still answers afterwards
    assert httpx.get(f"http://127.0.0.1:{server.port}/sandbox/faults").status_code == 200


def test_control_endpoints_answer_only_their_own_host_and_origin(server, shop):
    base = f"http://127.0.0.1:{server.port}"
    secret = shop.credentials.client_secret
    ok = httpx.get(f"{base}/sandbox/info")
    assert ok.status_code == 200 and ok.json()["client_secret"] == secret
    assert httpx.get(f"http://localhost:{server.port}/sandbox/info").status_code == 200
    same_origin = {"Origin": base, "Sec-Fetch-Site": "same-origin"}
    assert httpx.get(f"{base}/sandbox/info", headers=same_origin).status_code == 200
    refused = [
        {"Host": "evil.example"},  # DNS rebinding: another name resolving to 127.0.0.1
        {"Host": f"evil.example:{server.port}"},
        {"Host": "127.0.0.1"},  # no port: not this server's address
        {"Origin": "http://evil.example"},
        {"Origin": "null"},
        {"Origin": f"http://127.0.0.1:{server.port + 1}"},
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site"},
    ]
    for headers in refused:
        got = httpx.get(f"{base}/sandbox/info", headers=headers)
        assert got.status_code == 403, headers
        assert secret not in got.text
        posted = httpx.post(f"{base}/sandbox/faults", json={"error_next": 5}, headers=headers)
        assert posted.status_code == 403, headers
    assert shop.faults.snapshot()["error_next"] == 0  # no refused request changed a switch
