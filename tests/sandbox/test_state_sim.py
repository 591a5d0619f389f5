"""The sandbox shop's truth: same history as the local demo shop, and a deterministic simulation."""

from __future__ import annotations

import argparse
import sqlite3
import threading

import httpx
import pytest

from pdd_desktop.sandbox import cli as sandbox_cli
from pdd_desktop.sandbox.state import SandboxShop
from pdd_desktop.services.demo_shop import build_demo_shop
from tests.sandbox import NOW0, ORDERS, SEED, demo_template

HOUR = 3600
_ORDER_SET = 'SELECT order_sn, status, pay_amount_fen FROM "order"'
_TIMELINE = (
    "SELECT order_sn, status, confirm_status, refund_status, after_sales_status, pay_amount_fen, "
    "platform_updated_at, "
    'paid_at, group_formed_at, shipped_at, signed_at FROM "order" ORDER BY id'
)


def _open(tmp_path, tmp_path_factory, name: str, speed: float = 1.0) -> SandboxShop:
    return SandboxShop.open(
        tmp_path / name,
        orders=ORDERS,
        seed=SEED,
        now0=NOW0,
        speed=speed,
        template=demo_template(tmp_path_factory),
    )


def test_initial_orders_equal_the_local_demo_shop(tmp_path):
    local = tmp_path / "local.db"
    build_demo_shop(local, orders=ORDERS, seed=SEED, now=NOW0)
    shop = SandboxShop.open(tmp_path / "sb", orders=ORDERS, seed=SEED, now0=NOW0)  # built, not copied
    try:
        conn = sqlite3.connect(local)
        expected = set(conn.execute(_ORDER_SET).fetchall())
        conn.close()
        assert len(expected) == ORDERS
        assert set(shop.query(_ORDER_SET)) == expected
    finally:
        shop.close()
    reopened = SandboxShop.open(tmp_path / "sb", orders=ORDERS, seed=SEED, now0=NOW0)
    try:  # same parameters: the state is kept, not rebuilt
        assert reopened.meta("sim_at") == str(NOW0)
    finally:
        reopened.close()


def test_advance_adds_orders_and_is_deterministic(tmp_path, tmp_path_factory):
    a = _open(tmp_path, tmp_path_factory, "a", speed=200)
    b = _open(tmp_path, tmp_path_factory, "b", speed=200)
    c = _open(tmp_path, tmp_path_factory, "c", speed=200)
    try:
        before = a.query('SELECT COUNT(*), MAX(platform_updated_at) FROM "order"')[0]
        for shop in (a, b):
            shop.sim.advance(NOW0 + HOUR)
            shop.sim.advance(NOW0 + 3 * HOUR)
        c.sim.advance(NOW0 + 3 * HOUR)  # the same span in one call
        after = a.query('SELECT COUNT(*), MAX(platform_updated_at) FROM "order"')[0]
        assert after[0] > before[0] + 20
        assert before[1] < after[1] <= NOW0 + 3 * HOUR
        assert a.query(_TIMELINE) == b.query(_TIMELINE) == c.query(_TIMELINE)
        new = a.query('SELECT status, COUNT(*) FROM "order" WHERE id > ? GROUP BY status', (ORDERS,))
        assert dict(new).get(1, 0) > 0  # paid and grouped: 待发货
        stamps = a.query('SELECT MIN(platform_updated_at) FROM "order" WHERE id > ?', (ORDERS,))[0][0]
        assert stamps > NOW0
    finally:
        for shop in (a, b, c):
            shop.close()


def test_shipped_parcels_get_scanned_and_signed(tmp_path, tmp_path_factory):
    shop = _open(tmp_path, tmp_path_factory, "s", speed=10)
    try:
        sn = shop.query('SELECT order_sn FROM "order" WHERE status = 1 AND refund_status = 1 LIMIT 1')[0][0]
        shop.clock = lambda: NOW0 + 60
        shop.sim.advance(NOW0 + 60)
        shop.ship(
            order_sn=sn,
            logistics_id=85,
            tracking_number="YT1234567890123",
            redelivery_type=None,
            api_type="pdd.logistics.online.send",
            params={"order_sn": sn},
        )
        assert shop.query('SELECT status FROM "order" WHERE order_sn = ?', (sn,))[0][0] == 2
        shop.sim.advance(NOW0 + 14 * 86400 // 10 + HOUR)
        status, signed, updated = shop.query(
            'SELECT status, signed_at, platform_updated_at FROM "order" WHERE order_sn = ?', (sn,)
        )[0]
        assert status == 3 and signed and updated == signed
        kinds = [
            r[0]
            for r in shop.query(
                "SELECT e.kind FROM tracking_event e JOIN package p ON p.id = e.package_id "
                "WHERE p.tracking_number = ? ORDER BY e.at",
                ("YT1234567890123",),
            )
        ]
        assert kinds == ["pickup", "transit", "delivering", "signed"]
    finally:
        shop.close()


def test_late_commit_stamps_in_the_past(tmp_path, tmp_path_factory):
    shop = _open(tmp_path, tmp_path_factory, "l")
    try:
        now = shop.platform_now()
        sn = shop.commit_late(behind_s=120)
        updated = shop.query('SELECT platform_updated_at FROM "order" WHERE order_sn = ?', (sn,))[0][0]
        assert now - 125 <= updated <= now - 115
    finally:
        shop.close()


def test_cli_runs_the_server_and_prints_credentials(tmp_path, capsys):
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command")
    handler = sandbox_cli.register(sub)
    args = parser.parse_args(
        ["sandbox", "--orders", "200", "--seed", "3", "--speed", "5", "--data-dir", str(tmp_path / "d")]
    )
    stop = threading.Event()
    codes: list[int] = []
    thread = threading.Thread(target=lambda: codes.append(handler(args, stop=stop)))
    thread.start()
    try:
        for _ in range(200):
            out = capsys.readouterr().out if not codes else ""
            if "网关地址" in out:
                break
            stop.wait(0.05)
        url = next(line.split("：", 1)[1] for line in out.splitlines() if line.startswith("网关地址"))
        assert url.startswith("http://127.0.0.1:")
        assert "client_secret" in out and "access_token" in out
        info = httpx.get(url.replace("/api/router", "/sandbox/info")).json()
        assert info["client_id"] == "sandbox-3"
    finally:
        stop.set()
        thread.join(10)
    assert codes == [0]


def test_cli_refuses_other_hosts(capsys):
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command")
    handler = sandbox_cli.register(sub)
    args = parser.parse_args(["sandbox", "--host", "0.0.0.0"])
    assert handler(args) == 2


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.2"])
def test_server_refuses_non_loopback(tmp_path, tmp_path_factory, host):
    from pdd_desktop.sandbox.server import SandboxServer

    shop = _open(tmp_path, tmp_path_factory, "h")
    try:
        with pytest.raises(ValueError):
            SandboxServer(shop, host=host)
    finally:
        shop.close()
