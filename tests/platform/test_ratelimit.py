"""Client-side rate limits (pdd-open-api.md §9) and the client shared by fetch threads."""

from __future__ import annotations

import json
import threading
import time
from urllib.parse import parse_qsl

import httpx
import pytest

from pdd_desktop.platform.apis import ApiSpec, ApiTable
from pdd_desktop.platform.client import PlatformClient
from pdd_desktop.platform.ratelimit import RateLimiter
from pdd_desktop.services.sync.registry import API_TABLE

LIMITED = "pdd.test.limited.get"
NOW = 1_795_435_200.0


class FakeTime:
    """A monotonic clock that only moves when someone sleeps."""

    def __init__(self) -> None:
        self.t = 1000.0
        self.sleeps: list[float] = []

    def monotonic(self) -> float:
        return self.t

    def sleep(self, s: float) -> None:
        self.sleeps.append(s)
        self.t += s


def test_the_limiter_lets_calls_through_until_the_window_is_full_then_waits_for_the_oldest():
    ft = FakeTime()
    lim = RateLimiter(3, 10, monotonic=ft.monotonic, sleep=ft.sleep)
    assert [lim.acquire() for _ in range(3)] == [0.0, 0.0, 0.0]
    ft.t += 4  # 4 s later the window still holds three calls
    assert lim.acquire() == pytest.approx(6.0)  # until the first call is 10 s old
    assert ft.t == pytest.approx(1010.0)
    # the 2nd and 3rd calls (at 1000 s) leave the window at 1010 s too: the next one waits for
    # the one made at 1010 s to age out, never a fifth call in any 10 seconds
    ft.sleeps.clear()
    lim.acquire()
    lim.acquire()
    assert lim.acquire() == pytest.approx(10.0)
    assert lim.waited_s == pytest.approx(16.0)


def test_the_limiter_refuses_a_limit_that_lets_nothing_through():
    with pytest.raises(ValueError):
        RateLimiter(0, 10)
    with pytest.raises(ValueError):
        RateLimiter(5, 0)


def test_no_window_of_the_period_ever_holds_more_calls_than_the_limit_across_threads():
    lim = RateLimiter(5, 0.2)
    times: list[float] = []
    lock = threading.Lock()

    def worker() -> None:
        for _ in range(4):
            lim.acquire()
            with lock:
                times.append(time.monotonic())

    threads = [threading.Thread(target=worker) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    times.sort()
    assert len(times) == 24
    # any 6 consecutive calls span at least the period
    assert all(times[i + 5] - times[i] >= 0.2 - 0.01 for i in range(len(times) - 5))
    assert times[-1] - times[0] >= 0.8 - 0.05  # 24 calls at 5 per 0.2 s


def test_the_declared_limits_reach_the_client():
    limits = API_TABLE.rate_limits()
    # pdd-open-api.md §9, per shop
    assert limits["pdd.order.list.get"] == (10000, 60)
    assert limits["pdd.order.number.list.increment.get"] == (3000, 60)
    assert limits["pdd.refund.list.increment.get"] == (100, 10)
    assert limits["pdd.goods.list.get"] == (1000, 60)
    c = PlatformClient("http://gw.test/api/router", "cid", "s", tokens=None, apis=API_TABLE)
    assert repr(c.limiters["pdd.order.list.get"]) == "RateLimiter(10000/60s)"
    assert "pdd.logistics.online.send" not in c.limiters  # no per-shop limit documented
    off = PlatformClient(
        "http://gw.test/api/router", "cid", "s", tokens=None, apis=API_TABLE, rate_limits=False
    )
    assert off.limiters == {}


def _answer(request: httpx.Request) -> httpx.Response:
    form = dict(parse_qsl(request.content.decode("ascii")))
    if form["type"] == LIMITED:
        return httpx.Response(200, content=json.dumps({"limited_response": {"ok": True}}).encode())
    raise AssertionError(form["type"])


def _limited_client(ft: FakeTime, **kw) -> PlatformClient:
    table = ApiTable(
        [ApiSpec(LIMITED, "limited_response", read_only=True, needs_token=False, rate_limit=(2, 60))]
    )
    return PlatformClient(
        "http://gw.test/api/router",
        "cid",
        "s",
        tokens=None,
        apis=table,
        transport=httpx.MockTransport(_answer),
        clock=lambda: NOW,
        sleep=ft.sleep,
        monotonic=ft.monotonic,
        **kw,
    )


def test_a_call_over_the_declared_limit_waits_instead_of_being_refused():
    ft = FakeTime()
    c = _limited_client(ft)
    for _ in range(2):
        assert c.call(LIMITED, {}, auth=False) == {"ok": True}
    assert ft.sleeps == []
    assert c.call(LIMITED, {}, auth=False) == {"ok": True}
    assert ft.sleeps == [pytest.approx(60.0)]
    # switched off (benchmarks of the engine): no waiting
    ft2 = FakeTime()
    free = _limited_client(ft2, rate_limits=False)
    for _ in range(5):
        free.call(LIMITED, {}, auth=False)
    assert ft2.sleeps == []


class _Tokens:
    def __init__(self) -> None:
        self.token = "old"
        self.refreshes = 0
        self.lock = threading.Lock()

    def access_token(self) -> str:
        return self.token

    def refresh(self) -> str:
        with self.lock:
            self.refreshes += 1
        time.sleep(0.05)  # a refresh takes a round trip: others arrive meanwhile
        self.token = f"new{self.refreshes}"
        return self.token


def test_threads_that_all_get_10019_refresh_the_token_once():
    tokens = _Tokens()
    barrier = threading.Barrier(6)
    seen: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        form = dict(parse_qsl(request.content.decode("ascii")))
        seen.append(form["access_token"])
        if form["access_token"] == "old":
            body = {"error_response": {"error_code": 10019, "error_msg": "access_token已过期", "sub_msg": ""}}
        else:
            body = {"order_status_get_response": {"order_status_list": []}}
        return httpx.Response(200, content=json.dumps(body).encode())

    c = PlatformClient(
        "http://gw.test/api/router",
        "cid",
        "s",
        tokens=tokens,
        apis=API_TABLE,
        transport=httpx.MockTransport(answer),
        clock=lambda: NOW,
    )
    errors: list[BaseException] = []

    def worker() -> None:
        barrier.wait()
        try:
            assert c.order_status(["261123-000000000000001"]) == []
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert tokens.refreshes == 1
    assert seen.count("old") == 6 and seen.count("new1") == 6
