"""The sandbox's pdd.order.list.get limits (24 h, 3 months) and its latency switch."""

from __future__ import annotations

import argparse
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from pdd_desktop.sandbox import cli as sandbox_cli
from pdd_desktop.sandbox.api import LIST_HORIZON_MSG, LIST_HORIZON_S
from pdd_desktop.sandbox.server import SandboxServer
from pdd_desktop.sandbox.state import SandboxShop
from tests.sandbox import NOW0, ORDERS, SEED, Caller, demo_template, error_code

LIST = "pdd.order.list.get"
DAY = 86400


@pytest.fixture
def shop(tmp_path, tmp_path_factory):
    # the platform clock one hour after the demo's end, so the demo's year is "history"
    t0 = time.time()
    s = SandboxShop.open(
        tmp_path / "sb",
        orders=ORDERS,
        seed=SEED,
        now0=NOW0,
        template=demo_template(tmp_path_factory),
        clock=lambda: NOW0 + 3600 + (time.time() - t0),
    )
    yield s
    s.close()


def _serve(shop, **kw):
    srv = SandboxServer(shop, run_sim=False, **kw)
    srv.start()
    return srv


def _list(api, start, end, **kw):
    return api.call(LIST, start_confirm_at=start, end_confirm_at=end, order_status=5, refund_status=5, **kw)


def test_order_list_serves_one_day_of_confirm_time_and_refuses_windows_past_three_months(shop):
    srv = _serve(shop)
    api = Caller(srv.gateway_url, shop)
    try:
        now = shop.platform_now()
        # the oldest window it takes starts just inside 90 days
        ok = _list(api, now - LIST_HORIZON_S + 60, now - LIST_HORIZON_S + 60 + DAY, page_size=100)
        assert error_code(ok) is None
        body = ok["order_list_get_response"]
        want = shop.query(
            'SELECT order_sn FROM "order" WHERE confirmed_at BETWEEN ? AND ?',
            (now - LIST_HORIZON_S + 60, now - LIST_HORIZON_S + 60 + DAY),
        )
        assert body["total_count"] == len(want)
        assert {o["order_sn"] for o in body["order_list"]} == {r[0] for r in want}
        # one second older: refused like the platform, with the reason
        old = _list(api, now - LIST_HORIZON_S - 60, now - LIST_HORIZON_S - 60 + DAY)
        assert old["error_response"]["error_code"] == 50001
        assert old["error_response"]["sub_msg"] == LIST_HORIZON_MSG
        # a year back (the demo's oldest orders): refused too, not an empty page
        assert error_code(_list(api, NOW0 - 300 * DAY, NOW0 - 299 * DAY)) == 50001
        # the 24-hour rule still holds inside the horizon
        long = _list(api, now - 2 * DAY - 1, now)
        assert long["error_response"]["sub_msg"] == "时间跨度不能超过24小时"
        # the newest day, newest first, paged with has_next
        page1 = _list(api, now - DAY, now, page_size=2)["order_list_get_response"]
        times = [o["confirm_time"] for o in page1["order_list"]]
        assert times == sorted(times, reverse=True)
    finally:
        api.close()
        srv.stop()


def test_latency_switch_delays_every_call_and_calls_overlap(shop):
    srv = _serve(shop, latency_ms=150)
    api = Caller(srv.gateway_url, shop)
    try:
        assert shop.faults.latency_s == pytest.approx(0.15)
        t = time.perf_counter()
        assert "time_get_response" in api.call("pdd.time.get", token=None)
        assert time.perf_counter() - t >= 0.15
        # four calls at once take about one round trip, not four (the sleep holds no lock)
        callers = [Caller(srv.gateway_url, shop) for _ in range(4)]
        t = time.perf_counter()
        with ThreadPoolExecutor(4) as pool:
            bodies = list(pool.map(lambda c: c.call("pdd.mall.info.get"), callers))
        elapsed = time.perf_counter() - t
        assert all("mall_info_get_response" in b for b in bodies)
        assert 0.15 <= elapsed < 0.45
        for c in callers:
            c.close()
    finally:
        api.close()
        srv.stop()
    with pytest.raises(ValueError):
        SandboxServer(shop, latency_ms=-1)


def test_cli_latency_option(tmp_path, tmp_path_factory, monkeypatch):
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers()
    handler = sandbox_cli.register(sub)
    args = parser.parse_args(["sandbox", "--latency-ms", "80", "--orders", "200"])
    assert args.latency_ms == 80.0
    for bad in ("-5", "abc", "100000"):
        with pytest.raises(SystemExit):
            parser.parse_args(["sandbox", "--latency-ms", bad])
    # the running sandbox adds it to every call
    args.sandbox_dir = tmp_path / "sbx"
    args.now0 = NOW0
    args.seed = SEED
    seen: dict[str, float] = {}
    real_start = SandboxServer.start

    def spy_start(self):
        url = real_start(self)
        seen["latency_s"] = self.shop.faults.latency_s
        stop.set()
        return url

    stop = threading.Event()
    monkeypatch.setattr(SandboxServer, "start", spy_start)
    assert handler(args, stop=stop) == 0
    assert seen["latency_s"] == pytest.approx(0.08)
