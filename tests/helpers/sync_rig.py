"""The sync tests' rig: a sandbox platform and a local shop from one demo template.

The ``rig`` and ``sandbox_demo_shop`` fixtures (``tests/services/conftest.py``) build on it.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs

import httpx

from pdd_desktop.common.paths import shop_paths
from pdd_desktop.data.db import close_database
from pdd_desktop.platform.client import PlatformClient, StaticTokenSource
from pdd_desktop.sandbox.server import SandboxServer
from pdd_desktop.sandbox.state import SandboxShop
from pdd_desktop.services import shop as shop_service
from pdd_desktop.services.sync import API_TABLE, SyncEngine
from tests.helpers.db import raw_rows
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
        self,
        *,
        timeout_s: float = 1.5,
        max_retries: int = 1,
        refreshing: bool = False,
        clock: Callable[[], float] = time.time,
        transport: httpx.BaseTransport | None = None,
        rate_limits: bool = True,
    ) -> PlatformClient:
        """A client of the sandbox (``rate_limits=False``: no client-side pacing, for tests that
        read many windows and are not about pacing; the limiter has tests of its own).
        """
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
            apis=API_TABLE,
            transport=transport,
            clock=clock,
            timeout_s=timeout_s,
            max_retries=max_retries,
            backoff_base_s=0.01,
            backoff_cap_s=0.05,
            rng=random.Random(7),
            rate_limits=rate_limits,
        )
        if refreshing:
            tokens.client = c
        # The sandbox's HTTP Date header is the real clock, not its platform clock, so the
        # client's 20004 → Date-header calibration cannot find a platform clock that is more
        # than 10 min off (reported). Start from the known offset, as a saved one would.
        c.offset_s = round(self.shop.platform_now() - clock())
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


def hwm(db: Path, stream: str) -> int | None:
    rows = raw_rows(db, "SELECT hwm_server_ts FROM sync_stream WHERE stream = ?", (stream,))
    return rows[0][0] if rows else None


def assert_oracle(
    rig: Rig,
    *,
    since: int | None = None,
    actions: Iterable[tuple[str, str]] | None = None,
    ops: bool = True,
) -> None:
    """Nothing lost, nothing duplicated over the synced horizon (sync.md oracle a–e).

    (d) with ``ops`` (after a quiesce): see :func:`assert_ops_applied_once`; ``actions`` is the
    test's journal of local actions as ``(op_type, entity_remote_id)``.
    """
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
            raw_rows(
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
    for sn, ts in raw_rows(rig.db, 'SELECT order_sn, platform_updated_at FROM "order"'):
        assert sn in remote_all
        assert ts is None or ts <= remote_all[sn]
    ((n, distinct),) = raw_rows(rig.db, 'SELECT COUNT(*), COUNT(DISTINCT order_sn) FROM "order"')
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
            raw_rows(
                rig.db,
                f"SELECT id, platform_updated_at, refund_amount_fen FROM after_sale WHERE id IN "
                f"({','.join('?' * len(chunk))})",
                tuple(chunk),
            )
        )
    assert local_cases == remote_cases
    assert sum(r[2] for r in local_cases) == sum(r[2] for r in remote_cases)
    assert_integrity(rig.db)
    if ops:
        assert_ops_applied_once(rig, actions=actions)


def assert_integrity(db: Path) -> None:
    """(e): ``PRAGMA integrity_check`` is ok and ``foreign_key_check`` is empty."""
    assert raw_rows(db, "PRAGMA integrity_check") == [("ok",)]
    assert raw_rows(db, "PRAGMA foreign_key_check") == []


#: Outbox states that need nothing more from the worker (a quiesced queue has only these).
DONE_STATES = ("succeeded", "failed_permanent", "cancelled")


def effect_key(op_type: str, entity: str, payload: dict) -> tuple[str, tuple[tuple[str, str], ...]]:
    """The sandbox effect an op produces: (api type, params it must match in the effect log)."""
    p = payload
    if op_type in ("ship_order", "modify_shipment"):
        match = {"order_sn": p.get("order_sn") or entity, "tracking_number": p.get("tracking_number") or ""}
        return "pdd.logistics.online.send", tuple(sorted(match.items()))
    if op_type == "extra_logistics":
        numbers = ",".join(str(t["tracking_number"]) for t in p.get("extra_track_list") or [])
        return "pdd.order.upload.extra.logistics", (("entity", entity), ("numbers", numbers))
    if op_type == "set_memo":
        return "pdd.order.note.update", (("note", p.get("note") or ""), ("order_sn", entity))
    if op_type == "set_stock":
        return "pdd.goods.quantity.update", (("quantity", str(p["quantity"])), ("sku_id", str(p["sku_id"])))
    if op_type == "set_price":
        return "pdd.goods.sku.price.update", (("entity", str(p["goods_id"])),)
    if op_type == "set_onsale":
        return "pdd.goods.sale.status.set", (("entity", str(p["goods_id"])),)
    if op_type == "refund_agree":
        return "pdd.refund.agree", (("entity", str(p["after_sales_id"])),)
    if op_type == "return_goods_agree":
        return "pdd.refund.returngoods.agree", (("entity", str(p["after_sales_id"])),)
    if op_type == "exchange_ship":
        return "pdd.refund.exchange.shipping", (("entity", str(p["after_sales_id"])),)
    if op_type == "waybill_cancel":
        return "pdd.waybill.cancel", (("entity", entity),)
    raise AssertionError(f"no effect mapping for {op_type}")


def _effects(rig: Rig, key: tuple[str, tuple[tuple[str, str], ...]]) -> int:
    api, match = key
    plain = {k: v for k, v in match if k != "numbers"}
    if api != "pdd.order.upload.extra.logistics":
        return rig.shop.effects(api, **plain)
    numbers = dict(match)["numbers"]
    count = 0
    for (text,) in rig.shop.query(
        "SELECT params_json FROM sandbox_effect WHERE api_type = ? AND entity = ?", (api, plain["entity"])
    ):
        tracks = json.loads(json.loads(text).get("extra_track_list") or "[]")
        count += ",".join(str(t["tracking_number"]) for t in tracks) == numbers
    return count


def assert_ops_applied_once(rig: Rig, *, actions: Iterable[tuple[str, str]] | None = None) -> None:
    """(d): every outbox op is done; the platform applied each succeeded op exactly once, and
    failed / cancelled ops never (an op that succeeded because the platform already had the value,
    ``result.already``, added nothing). ``actions``: each journal entry has exactly one outbox row.
    """
    rows = raw_rows(
        rig.db, "SELECT op_id, op_type, entity_remote_id, payload_json, state, result_json FROM outbox"
    )
    open_ops = [(r[0], r[1], r[2], r[4]) for r in rows if r[4] not in DONE_STATES]
    assert not open_ops, open_ops
    if actions is not None:
        assert Counter((r[1], r[2]) for r in rows) == Counter(actions)
    expected: Counter = Counter()
    for _op_id, op_type, entity, payload, state, result in rows:
        key = effect_key(op_type, entity, json.loads(payload))
        already = bool(json.loads(result or "{}").get("already"))
        expected[key] += 1 if state == "succeeded" and not already else 0
    for key, want in expected.items():
        assert _effects(rig, key) == want, (key, want, _effects(rig, key))
    # what the local rows still count as waiting agrees with the outbox
    assert raw_rows(rig.db, 'SELECT COALESCE(SUM(pending_ops), 0) FROM "order" WHERE pending_ops > 0') == [
        (
            raw_rows(
                rig.db,
                "SELECT COUNT(*) FROM outbox WHERE entity_type = 'order' AND state IN "
                "('pending', 'in_flight', 'unknown', 'failed_permanent', 'conflict')",
            )[0][0],
        )
    ]


def open_ops(db: Path) -> int:
    """Outbox ops the worker still has to send or reconcile."""
    sql = "SELECT COUNT(*) FROM outbox WHERE state IN ('pending', 'in_flight', 'unknown')"
    return raw_rows(db, sql)[0][0]


def quiesce(rig: Rig, engine: SyncEngine | None = None, *, runs: int = 6):
    """Faults off (the clock offset stays), then sync until idle (outcome ok, no op left to send).

    Returns the last report.

    Without ``engine`` a fresh one (a restart) whose wall clock is an hour ahead, so no stored
    back-off deadline holds the queue.
    """
    offset = rig.shop.faults.clock_offset_s  # the platform clock never runs backwards
    rig.shop.faults.reset()
    rig.shop.faults.set(clock_offset_s=offset)
    if engine is None:
        engine = rig.engine(wall=lambda: time.time() + 3600)
    report = None
    for _ in range(runs):
        report = engine.run_once()
        if report.outcome == "ok" and open_ops(rig.db) == 0:
            return report
    raise AssertionError(f"not quiet after {runs} runs: {report}")


# ---------------------------------------------------------------------------------- transport tap


def api_of(request: httpx.Request) -> str:
    """The router ``type`` of a signed form POST."""
    form = parse_qs(request.content.decode("ascii"))
    return (form.get("type") or [""])[0]


class Tap(httpx.BaseTransport):
    """A real HTTP transport with a callback after each answer arrived (its body not yet read).

    ``on_response(api, request, response)`` may return a replacement response.
    """

    def __init__(self, on_response: Callable[[str, httpx.Request, httpx.Response], httpx.Response | None]):
        self._inner = httpx.HTTPTransport()
        self.on_response = on_response

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self._inner.handle_request(request)
        return self.on_response(api_of(request), request, response) or response

    def close(self) -> None:
        self._inner.close()


# ---------------------------------------------------------------------------------- child sync

#: A sync in a child process (to be killed at any point): ``runs`` runs of an engine on the rig's
#: shop and platform; ``cursor`` None = no history came with the shop (a first sync backfills).
_SYNC_CHILD = r"""
import json, random, sys
from pdd_desktop.data.db import open_database
from pdd_desktop.platform.client import StaticTokenSource
from pdd_desktop.services.sync import SyncEngine, platform_client
a = json.loads(sys.argv[1])
open_database(a["db"])
c = platform_client(a["url"], a["client_id"], a["secret"], tokens=StaticTokenSource(a["token"]),
                   timeout_s=2, max_retries=2, backoff_base_s=0.01, backoff_cap_s=0.05)
c.offset_s = a["offset"]
e = SyncEngine(c, initial_cursor_ts=a["cursor"], rng=random.Random(1))
for _ in range(a["runs"]):
    r = e.run_once()
    print(r.outcome, r.message, flush=True)
"""


def spawn_sync_child(rig: Rig, *, runs: int = 1, cursor: int | None = NOW0) -> subprocess.Popen:
    """Start ``runs`` sync runs of the rig's shop in a child process (stdout: one line per run)."""
    creds = rig.shop.credentials
    args = {
        "db": str(rig.db),
        "url": rig.url,
        "client_id": creds.client_id,
        "secret": creds.client_secret,
        "token": creds.access_token,
        "offset": round(rig.shop.platform_now() - time.time()),
        "cursor": cursor,
        "runs": runs,
    }
    return subprocess.Popen(
        [sys.executable, "-c", _SYNC_CHILD, json.dumps(args)],
        env=dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[2])),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
