"""Shared harness of the sync tests: a sandbox platform and a local shop from one demo template.

(No tests here; the name only keeps it inside the files the sync work owns.)
"""

from __future__ import annotations

import random
import shutil
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from pdd_desktop.common.paths import shop_paths
from pdd_desktop.data.db import close_database
from pdd_desktop.platform.client import PlatformClient, StaticTokenSource
from pdd_desktop.sandbox.server import SandboxServer
from pdd_desktop.sandbox.state import SandboxShop
from pdd_desktop.services import shop as shop_service
from pdd_desktop.services.sync import SyncEngine
from tests.sandbox import NOW0, ORDERS, SEED, demo_template

#: The platform clock starts this long after the demo's end (new orders arrive in between).
AHEAD_S = 3600


class RefreshingTokens:
    """A token source that refreshes through the sandbox's pdd.pop.auth.token.refresh."""

    def __init__(self, token: str, refresh_token: str) -> None:
        self.token = token
        self.refresh_token = refresh_token
        self.client: PlatformClient | None = None
        self.refreshed = 0

    def access_token(self) -> str:
        return self.token

    def refresh(self) -> str:
        assert self.client is not None
        rec = self.client.auth_token_refresh(self.refresh_token)
        self.token = rec.access_token
        self.refreshed += 1
        return self.token


@dataclass
class Rig:
    shop: SandboxShop
    server: SandboxServer
    db: Path
    data_dir: Path
    start_wall: float

    @property
    def url(self) -> str:
        return self.server.gateway_url

    def client(
        self, *, timeout_s: float = 1.5, max_retries: int = 1, refreshing: bool = False
    ) -> PlatformClient:
        creds = self.shop.credentials
        tokens = (
            RefreshingTokens(creds.access_token, creds.refresh_token)
            if refreshing
            else StaticTokenSource(creds.access_token)
        )
        c = PlatformClient(
            self.url,
            creds.client_id,
            creds.client_secret,
            tokens=tokens,
            timeout_s=timeout_s,
            max_retries=max_retries,
            backoff_base_s=0.01,
            backoff_cap_s=0.05,
            rng=random.Random(7),
        )
        if refreshing:
            tokens.client = c
        # The sandbox's HTTP Date header is the real clock, not its platform clock, so the
        # client's 20004 → Date-header calibration cannot find a platform clock that is more
        # than 10 min off (reported). Start from the known offset, as a saved one would.
        c.offset_s = round(self.shop.platform_now() - time.time())
        return c

    def engine(self, client: PlatformClient | None = None, **kw) -> SyncEngine:
        kw.setdefault("initial_cursor_ts", NOW0)
        kw.setdefault("rng", random.Random(3))
        return SyncEngine(client or self.client(), **kw)

    def close(self) -> None:
        self.server.stop()
        self.shop.close()
        close_database()


def make_rig(
    tmp_path: Path,
    tmp_path_factory,
    *,
    local: str = "demo",
    orders: int = ORDERS,
    seed: int = SEED,
    speed: float = 20.0,
) -> Rig:
    """Sandbox (platform clock = NOW0 + AHEAD_S + elapsed real time) and a bound local shop.

    ``local="demo"``: the local shop is a copy of the same demo template (identical history);
    ``local="empty"``: a migrated empty shop.
    """
    template = demo_template(tmp_path_factory, orders=orders, seed=seed, now0=NOW0)
    t0 = time.time()

    def platform_clock() -> float:
        return NOW0 + AHEAD_S + (time.time() - t0)

    shop = SandboxShop.open(
        tmp_path / "sb",
        orders=orders,
        seed=seed,
        now0=NOW0,
        template=template,
        clock=platform_clock,
        speed=speed,
    )
    shop.sim.advance(shop.platform_now())
    server = SandboxServer(shop, run_sim=False)
    server.start()
    paths = shop_paths(tmp_path / "data", "sync").ensure()
    if local == "demo":
        shutil.copyfile(template, paths.db_file)
    shop_service.open_shop(paths)
    return Rig(shop, server, paths.db_file, tmp_path / "data", t0)


# ---------------------------------------------------------------------------------- oracle


def local_rows(db: Path, sql: str, params: tuple = ()) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def hwm(db: Path, stream: str) -> int | None:
    rows = local_rows(db, "SELECT hwm_server_ts FROM sync_stream WHERE stream = ?", (stream,))
    return rows[0][0] if rows else None


def assert_oracle(rig: Rig, *, since: int | None = None) -> None:
    """Nothing lost, nothing duplicated over the synced horizon (sync.md oracle a, b, c, e)."""
    h_orders = hwm(rig.db, "orders")
    h_cases = hwm(rig.db, "after_sales")
    assert h_orders is not None and h_cases is not None
    lo = since if since is not None else 0
    remote = set(
        rig.shop.query(
            'SELECT order_sn, platform_updated_at, pay_amount_fen FROM "order" '
            "WHERE platform_updated_at BETWEEN ? AND ?",
            (lo, h_orders),
        )
    )
    sns = sorted(r[0] for r in remote)
    local: set[tuple] = set()
    for i in range(0, len(sns), 500):
        chunk = sns[i : i + 500]
        local |= set(
            local_rows(
                rig.db,
                f'SELECT order_sn, platform_updated_at, pay_amount_fen FROM "order" WHERE order_sn IN '
                f"({','.join('?' * len(chunk))})",
                tuple(chunk),
            )
        )
    assert local == remote, (sorted(remote - local)[:5], sorted(local - remote)[:5])
    assert sum(r[2] for r in local) == sum(r[2] for r in remote)
    # every local order that the platform has is at most as new as the platform's
    remote_all = dict(rig.shop.query('SELECT order_sn, platform_updated_at FROM "order"'))
    for sn, ts in local_rows(rig.db, 'SELECT order_sn, platform_updated_at FROM "order"'):
        assert sn in remote_all
        assert ts is None or ts <= remote_all[sn]
    ((n, distinct),) = local_rows(rig.db, 'SELECT COUNT(*), COUNT(DISTINCT order_sn) FROM "order"')
    assert n == distinct
    remote_cases = set(
        rig.shop.query(
            "SELECT id, platform_updated_at, refund_amount_fen FROM after_sale "
            "WHERE platform_updated_at BETWEEN ? AND ?",
            (lo, h_cases),
        )
    )
    ids = sorted(r[0] for r in remote_cases)
    local_cases: set[tuple] = set()
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        local_cases |= set(
            local_rows(
                rig.db,
                f"SELECT id, platform_updated_at, refund_amount_fen FROM after_sale WHERE id IN "
                f"({','.join('?' * len(chunk))})",
                tuple(chunk),
            )
        )
    assert local_cases == remote_cases
    assert sum(r[2] for r in local_cases) == sum(r[2] for r in remote_cases)
    assert local_rows(rig.db, "PRAGMA integrity_check") == [("ok",)]
    assert local_rows(rig.db, "PRAGMA foreign_key_check") == []
