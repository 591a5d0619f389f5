"""Reliability of sync (sync.md "Reliability tests"): local clock skew, disk full, kill -9 at each
push point, and the oracle after each fault that the pull/push tests only check in part.

Every test ends with :func:`assert_oracle` after a quiesce: local == platform over the synced
horizon, no duplicate ids, exact fen sums, every local action applied exactly once, integrity.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from pdd_desktop.data.db import database
from pdd_desktop.services import orders as order_service
from pdd_desktop.services import shipping, sync
from tests.helpers.sync_rig import (
    Tap,
    assert_integrity,
    assert_oracle,
    hwm,
    quiesce,
    raw_rows,
)
from tests.services.test_sync_push import SHIP, new_number, op_states, to_ship

ROOT = Path(__file__).resolve().parents[2]
NOTE = "pdd.order.note.update"


def _ship(rig, n: int = 1) -> list[tuple[str, str]]:
    """Ship ``n`` to-ship orders locally; the journal entries of those actions."""
    journal = []
    for oid, sn in to_ship(rig, n):
        shipping.ship_order(order_id=oid, courier_id=115, tracking_number=new_number())
        journal.append(("ship_order", sn))
    return journal


def _memo(rig, oid: int, sn: str, text: str) -> tuple[str, str]:
    order_service.set_seller_memo(order_id=oid, memo=text, flag=2)
    return ("set_memo", sn)


def _ship_and_memo(rig, n: int, text: str) -> tuple[list[tuple[str, str]], str]:
    """Ship ``n`` orders and change the first one's memo (queued behind its ship); the journal."""
    pairs = to_ship(rig, n)
    journal = []
    for oid, sn in pairs:
        shipping.ship_order(order_id=oid, courier_id=115, tracking_number=new_number())
        journal.append(("ship_order", sn))
    journal.append(_memo(rig, pairs[0][0], pairs[0][1], text))
    return journal, pairs[0][1]


def _later(rig, engine, seconds: int) -> None:
    """The shop lives ``seconds`` more of platform time (the client follows the platform clock)."""
    offset = rig.shop.faults.clock_offset_s + seconds
    rig.shop.faults.set(clock_offset_s=offset)
    rig.shop.sim.advance(rig.shop.platform_now())
    engine.client.offset_s += seconds


# --------------------------------------------------------------------------------------------
# 11. Local clock skew
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("skew_s", [3 * 3600, -86400], ids=["plus3h", "minus1d"])
def test_local_clock_skew(rig, skew_s):
    journal, _sn = _ship_and_memo(rig, 2, "时钟偏差")
    right = rig.shop.platform_now() - time.time()  # the offset saved while the clock was right
    skewed = lambda: time.time() + skew_s  # noqa: E731
    client = rig.client(clock=skewed)
    client.offset_s = round(right)
    engine = rig.engine(client, wall=skewed)
    before = hwm(rig.db, "orders") or 0
    report = engine.run_once()
    assert report.outcome == "ok", report.message
    # the offset was re-read from the platform (20004 → Date header → pdd.time.get)
    true_skew = rig.shop.platform_now() - skewed()
    assert report.clock_skew_s is not None and abs(report.clock_skew_s - true_skew) <= 2
    assert client.clock_skewed
    assert abs(report.platform_now - rig.shop.platform_now()) <= 2
    # windows come from platform time: up to platform now − settle lag, never local now
    h = hwm(rig.db, "orders")
    assert h > before
    assert report.platform_now - 180 - 5 <= h <= rig.shop.platform_now() - 180
    assert hwm(rig.db, "after_sales") <= rig.shop.platform_now() - 180
    assert report.push is not None and report.push.succeeded == 3
    assert_oracle(rig, actions=journal)
    assert engine.run_once().outcome == "ok"
    assert_oracle(rig, actions=journal)


def test_local_clock_jumps_back_mid_run(rig):
    journal = _ship(rig, 2)
    shift = [0.0]
    pages = [0]

    def on_response(api, request, response):
        if api == "pdd.order.number.list.increment.get":
            pages[0] += 1
            if pages[0] == 3:  # in the middle of the orders' windows the clock is set back a day
                shift[0] = -86400.0
        return None

    clock = lambda: time.time() + shift[0]  # noqa: E731
    client = rig.client(clock=clock, transport=Tap(on_response))
    engine = rig.engine(client, wall=clock)
    _later(rig, engine, 2 * 3600)
    before = hwm(rig.db, "orders") or 0
    first = engine.run_once()
    assert pages[0] >= 3 and shift[0] < 0
    # the gateway refused the day-old timestamps (20004): a clock jump, not a sign-in problem;
    # the engine re-read the platform time and carried on
    assert first.outcome == "ok", first.message
    assert not sync.sync_summary().auth_needed
    h = hwm(rig.db, "orders")
    assert h is not None and before <= h <= rig.shop.platform_now() - 180
    assert_integrity(rig.db)
    report = engine.run_once()  # recalibrates from the platform
    assert report.outcome == "ok", report.message
    assert abs(report.clock_skew_s - (rig.shop.platform_now() - clock())) <= 2
    assert hwm(rig.db, "orders") >= report.platform_now - 180 - 5
    assert_oracle(rig, actions=journal)


def test_backoff_timers_survive_wall_clock_jumps(rig):
    """Back-off runs on the monotonic clock in-process; a restart ignores deadlines a jump made absurd."""
    wall = [time.time()]
    mono = [1000.0]
    refuse = [False]

    def on_response(api, request, response):
        return None

    class Gate(Tap):
        def handle_request(self, request):
            if refuse[0]:
                raise httpx.ConnectError("connection refused")
            return super().handle_request(request)

    def engine_at(wall_fn, mono_fn):
        client = rig.client(max_retries=0, clock=wall_fn, transport=Gate(on_response))
        return rig.engine(client, wall=wall_fn, monotonic=mono_fn)

    engine = engine_at(lambda: wall[0], lambda: mono[0])
    assert engine.run_once().outcome == "ok"
    journal = _ship(rig, 3)
    refuse[0] = True
    report = engine.push()
    assert report.error and report.succeeded == 0
    (op_id, state, attempts, stored) = raw_rows(
        rig.db,
        "SELECT op_id, state, attempts, next_attempt_at FROM outbox WHERE state != 'succeeded' ORDER BY id",
    )[0]
    assert state == "pending" and attempts == 1 and stored is not None
    delay = engine.pusher._due[op_id] - mono[0]
    assert 0 <= delay <= 600
    # the wall clock jumps back a day: the in-process deadline is monotonic, not a day late
    wall[0] -= 86400
    refuse[0] = False
    state_of = "SELECT state FROM outbox WHERE op_id = ?"
    if delay > 0.001:
        engine.push()  # the ops the refused one held up go out; it still backs off
        assert raw_rows(rig.db, state_of, (op_id,)) == [("pending",)]
    mono[0] += delay + 0.001
    engine.push()
    assert raw_rows(rig.db, state_of, (op_id,)) == [("succeeded",)]
    assert raw_rows(rig.db, "SELECT COUNT(*) FROM outbox WHERE state = 'succeeded'") == [(3,)]
    # a restart after a jump: stored deadlines a day ahead (back) or hours behind (forward) hold nothing
    journal += _ship(rig, 2)
    refuse[0] = True
    assert engine.push().error
    stored = [r[0] for r in raw_rows(rig.db, "SELECT next_attempt_at FROM outbox WHERE state = 'pending'")]
    assert any(s is not None and s > wall[0] for s in stored)
    refuse[0] = False
    back = engine_at(lambda: wall[0] - 86400, time.monotonic)
    assert back.push().succeeded == 2
    journal += _ship(rig, 1)
    refuse[0] = True
    assert engine.push().error
    refuse[0] = False
    ahead = engine_at(lambda: wall[0] + 3 * 3600, time.monotonic)
    assert ahead.push().succeeded == 1
    quiesce(rig, ahead)
    assert_oracle(rig, actions=journal)


# --------------------------------------------------------------------------------------------
# 14. Disk full / unwritable database
# --------------------------------------------------------------------------------------------

ORDERS_API = "pdd.order.number.list.increment.get"


def _pragma(name: str, value: int | None = None) -> int:
    """Read or set a pragma on the engine's connection (this thread's)."""
    if value is not None:
        database.execute_sql(f"PRAGMA {name} = {int(value)}")
    return database.execute_sql(f"PRAGMA {name}").fetchone()[0]


def test_disk_full_mid_pull_writes_no_partial_page(rig):
    engine = rig.engine(rig.client(max_retries=0))
    assert engine.run_once().outcome == "ok"
    engine.client.close()
    pages: list[tuple[int, int, list[str]]] = []
    full = [False]

    def on_response(api, request, response):
        if api != ORDERS_API:
            return None
        form = _form(request)
        body = json.loads(response.read())
        sns = [o["order_sn"] for o in body["order_sn_increment_get_response"]["order_sn_list"]]
        pages.append((int(form["start_updated_at"]), int(form["end_updated_at"]), sns))
        if not full[0] and len(pages) >= 3 and sns:
            # the disk fills up now: not one more page fits (free pages are used first)
            _pragma("max_page_count", _pragma("page_count"))
            full[0] = True
        return None

    engine = rig.engine(rig.client(max_retries=0, transport=Tap(on_response)))
    _later(rig, engine, 3 * 3600)  # three more hours of orders to pull
    hwm_before = hwm(rig.db, "orders")
    before = dict(raw_rows(rig.db, 'SELECT order_sn, platform_updated_at FROM "order"'))
    original = _pragma("max_page_count")
    report = engine.run_once()  # never raises
    assert full[0]
    assert report.outcome == "error", report
    by = {s.stream: s for s in report.streams}
    assert "full" in by["orders"].error, by["orders"]
    # the page that failed left nothing behind: each of its orders is as it was before the run
    w_start, _w_end, failed = pages[-1]
    after = dict(raw_rows(rig.db, 'SELECT order_sn, platform_updated_at FROM "order"'))
    remote = dict(rig.shop.query('SELECT order_sn, platform_updated_at FROM "order"'))
    assert any(remote[sn] != before.get(sn) for sn in failed)  # it had something to write
    assert {sn: after.get(sn) for sn in failed} == {sn: before.get(sn) for sn in failed}
    # the cursor never passes the window that failed
    h = hwm(rig.db, "orders")
    assert hwm_before <= h <= w_start
    assert_oracle(rig, ops=False)  # what is below the cursor is complete
    # the error is on record (the sync log) once there is room again
    _pragma("max_page_count", original)
    log = [r for r in sync.sync_log(20) if r.stream == "orders"]
    assert log and log[0].outcome in ("failed", "error") and "full" in log[0].detail
    assert sync.sync_summary().last_error
    report = engine.run_once()
    assert report.outcome == "ok", report.message
    assert hwm(rig.db, "orders") >= report.platform_now - 180 - 5
    assert_oracle(rig)


@pytest.mark.parametrize("how", ["query_only", "max_page_count"])
def test_unwritable_db_before_push_result_commit(rig, how):
    journal = _ship(rig, 2)
    first_sn = journal[0][1]
    blocked = [False]
    original = _pragma("max_page_count")

    def on_response(api, request, response):
        if api == SHIP and not blocked[0]:
            blocked[0] = True  # the platform applied the ship; the result cannot be stored
            if how == "query_only":
                _pragma("query_only", 1)
            else:
                _pragma("max_page_count", _pragma("page_count"))
        return None

    engine = rig.engine(rig.client(transport=Tap(on_response)))
    report = engine.run_once()  # never raises
    assert blocked[0]
    assert rig.shop.effects(SHIP, order_sn=first_sn) == 1
    state, pending = raw_rows(
        rig.db,
        'SELECT o.state, r.pending_ops FROM outbox o JOIN "order" r ON r.order_sn = o.entity_remote_id '
        "WHERE o.entity_remote_id = ?",
        (first_sn,),
    )[0]
    # all or nothing: succeeded with the order's counter moved, or still in flight and untouched
    assert (state, pending) in (("succeeded", 0), ("in_flight", 1)), (state, pending)
    if how == "query_only":
        assert report.outcome == "error" and report.push is not None and report.push.error, report
        assert state == "in_flight"
    _pragma("query_only", 0)
    _pragma("max_page_count", original)
    quiesce(rig, engine)
    assert op_states(rig, first_sn) == ["succeeded"]
    assert_oracle(rig, actions=journal)


# --------------------------------------------------------------------------------------------
# 2. kill -9 during push at each point (sync.push's PDD_SYNC_CRASH_AT test hook)
# --------------------------------------------------------------------------------------------

CHILD = r"""
import json, random, sys
from urllib.parse import parse_qs
import httpx
from pdd_desktop.data.db import open_database
from pdd_desktop.platform.client import StaticTokenSource
from pdd_desktop.services.sync import SyncEngine, platform_client
from pdd_desktop.services.sync.push import crash_point

class Tap(httpx.HTTPTransport):
    def handle_request(self, request):
        response = super().handle_request(request)  # sent, answered; the body is not read yet
        if parse_qs(request.content.decode())["type"][0] == "pdd.logistics.online.send":
            crash_point("after_send")
        return response

a = json.loads(sys.argv[1])
open_database(a["db"])
c = platform_client(a["url"], a["client_id"], a["secret"], tokens=StaticTokenSource(a["token"]),
                   transport=Tap(), timeout_s=5, max_retries=0)
c.offset_s = a["offset"]
e = SyncEngine(c, initial_cursor_ts=a["cursor"], rng=random.Random(1))
r = e.run_once()
print(r.outcome, r.message, flush=True)
"""

PUSH_POINTS = ("before_in_flight_commit", "after_send", "before_result_commit")


def _run_child(rig, point: str) -> subprocess.CompletedProcess:
    from tests.sandbox import NOW0

    creds = rig.shop.credentials
    args = {
        "db": str(rig.db),
        "url": rig.url,
        "client_id": creds.client_id,
        "secret": creds.client_secret,
        "token": creds.access_token,
        "offset": round(rig.shop.platform_now() - time.time()),
        "cursor": NOW0,
    }
    env = dict(os.environ, PYTHONPATH=str(ROOT), PDD_SYNC_CRASH_AT=point)
    return subprocess.run(
        [sys.executable, "-c", CHILD, json.dumps(args)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("point", PUSH_POINTS)
def test_kill_at_each_push_point(rig, point):
    journal = _ship(rig, 3)
    sns = [sn for _t, sn in journal]
    child = _run_child(rig, point)
    assert child.returncode == -signal.SIGKILL, (child.returncode, child.stdout, child.stderr[-2000:])
    # what the kill left: the first op only, exactly as far as the point
    rows = raw_rows(rig.db, "SELECT entity_remote_id, state, attempts FROM outbox ORDER BY id")
    assert [r[0] for r in rows] == sns
    first = rows[0]
    if point == "before_in_flight_commit":
        assert first[1:] == ("pending", 0)  # the uncommitted in_flight mark is gone
        assert rig.shop.effects(SHIP, order_sn=sns[0]) == 0
    else:
        assert first[1:] == ("in_flight", 1)  # sent, outcome never stored
        assert rig.shop.effects(SHIP, order_sn=sns[0]) == 1
    assert [r[1:] for r in rows[1:]] == [("pending", 0)] * 2
    assert raw_rows(rig.db, 'SELECT pending_ops FROM "order" WHERE order_sn = ?', (sns[0],)) == [(1,)]
    assert_integrity(rig.db)
    # restart in-process: in_flight → unknown → reconciled by reading, never resent blindly
    quiesce(rig, rig.engine())
    for sn in sns:
        assert rig.shop.effects(SHIP, order_sn=sn) == 1, sn
    (result,) = raw_rows(rig.db, "SELECT result_json FROM outbox WHERE entity_remote_id = ?", (sns[0],))[0]
    assert ("reconciled" in result) == (point != "before_in_flight_commit"), result
    assert_oracle(rig, actions=journal)


# --------------------------------------------------------------------------------------------
# 3–10 with the whole oracle (test_sync_pull / test_sync_push check these in part)
# --------------------------------------------------------------------------------------------


def _form(request: httpx.Request) -> dict[str, str]:
    from urllib.parse import parse_qs

    return {k: v[0] for k, v in parse_qs(request.content.decode("ascii")).items()}


class Counting(Tap):
    """Counts router calls by API (and ship POSTs by order)."""

    def __init__(self, on_response=None):
        super().__init__(on_response or (lambda api, request, response: None))
        self.calls: dict[str, int] = {}
        self.ships: dict[str, int] = {}

    def handle_request(self, request):
        form = _form(request)
        api = form.get("type", "")
        self.calls[api] = self.calls.get(api, 0) + 1
        if api == SHIP:
            self.ships[form["order_sn"]] = self.ships.get(form["order_sn"], 0) + 1
        return super().handle_request(request)


def test_apply_then_timeout_oracle(rig):
    journal, sn = _ship_and_memo(rig, 2, "超时后核对")
    tap = Counting()
    engine = rig.engine(rig.client(timeout_s=0.3, max_retries=0, transport=tap))
    rig.shop.faults.set(apply_then_timeout_s=0.8, apply_then_timeout_next=3)
    first = engine.run_once()
    assert first.push is not None and first.push.succeeded == 0 and first.push.waiting == 3
    ships = "SELECT state FROM outbox WHERE op_type = 'ship_order' ORDER BY id"
    assert raw_rows(rig.db, ships) == [("unknown",), ("unknown",)]
    quiesce(rig, engine)
    for _t, s in journal[:2]:
        assert tap.ships[s] == 1  # one POST: the unknown outcome was settled by a read, not a resend
        assert rig.shop.effects(SHIP, order_sn=s) == 1
    assert rig.shop.effects(NOTE, order_sn=sn, note="超时后核对") == 1
    assert_oracle(rig, actions=journal)


def test_connection_refused_oracle(rig):
    mono = [0.0]
    assert rig.engine().run_once().outcome == "ok"
    journal = _ship(rig, 2)
    engine = rig.engine(rig.client(timeout_s=0.3, max_retries=0), monotonic=lambda: mono[0])
    rig.server.stop()  # (the engine has no open connection yet)
    assert engine.run_once().outcome == "offline"  # not even the platform time
    engine._calibrated = True  # the offset is known (saved): the push is tried and refused
    nexts = []
    for _ in range(5):
        report = engine.push()
        assert report.error and report.succeeded == 0, report
        row = raw_rows(rig.db, "SELECT state, attempts, next_attempt_at FROM outbox ORDER BY id")[0]
        assert row[0] == "pending"
        nexts.append(row)
        mono[0] += 1000  # past any back-off
    attempts = [r[1] for r in nexts]
    assert attempts == [1, 2, 3, 4, 5]
    assert all(r[2] is not None for r in nexts)
    assert sync.sync_summary().pending == 2  # "2 waiting to upload"
    assert rig.shop.effects(SHIP) == 0
    rig.server.start()
    quiesce(rig, engine)
    assert_oracle(rig, actions=journal)


def test_5xx_streaks_on_push_and_pull_oracle(rig):
    journal, _sn = _ship_and_memo(rig, 3, "五百错误")
    engine = rig.engine(rig.client(max_retries=0), monotonic=lambda: time.monotonic() + 10**6 * len(hwms))
    hwms: list[int | None] = []
    _later(rig, engine, 2 * 3600)
    rig.shop.faults.set(error_rate=0.25)
    for _ in range(6):
        engine.run_once()
        h = hwm(rig.db, "orders")
        hwms.append(h)
        if h is not None:
            assert h <= rig.shop.platform_now() - 180
            assert_oracle(rig, ops=False)  # the cursor never passes a window that failed
    assert [h for h in hwms if h is not None] == sorted(h for h in hwms if h is not None)
    quiesce(rig, engine)
    assert_oracle(rig, actions=journal)


def test_rate_limited_push_and_pull_oracle(rig):
    journal = _ship(rig, 2)
    mono = [0.0]
    engine = rig.engine(rig.client(max_retries=0), monotonic=lambda: mono[0])
    assert engine.run_once(streams=()).outcome == "ok"  # calibrated; both ships out
    journal += _ship(rig, 1)
    rig.shop.faults.set(rate_limit_next=1, retry_after_s=7)
    report = engine.push()
    assert "限流" in report.error
    assert raw_rows(rig.db, "SELECT state, attempts FROM outbox ORDER BY id DESC LIMIT 1") == [("pending", 0)]
    assert sync.sync_summary().needs_attention == 0  # not a failure
    mono[0] = 6.0
    assert engine.push().sent == 0  # the queue waits the platform's Retry-After
    mono[0] = 7.5
    assert engine.push().succeeded == 1
    rig.shop.faults.set(rate_limit_next=1, retry_after_s=7)
    assert "限流" in engine.pull("orders").error  # the pull's page answered 52101
    quiesce(rig, engine)
    assert_oracle(rig, actions=journal)


def test_stale_pages_never_overwrite_oracle(rig):
    engine = rig.engine()
    assert engine.run_once().outcome == "ok"
    local = dict(raw_rows(rig.db, 'SELECT order_sn, platform_updated_at FROM "order"'))
    staled: list[str] = []

    def on_response(api, request, response):
        if api != ORDERS_API:
            return None
        body = json.loads(response.read())
        for o in body["order_sn_increment_get_response"]["order_sn_list"]:
            if local.get(o["order_sn"]) is not None:  # an older version of a row we hold
                o["updated_at"] = "2020-01-01 00:00:00"
                o["buyer_memo"] = "旧版本"
                staled.append(o["order_sn"])
        return httpx.Response(
            response.status_code,
            headers={"Content-Type": "application/json"},
            content=json.dumps(body).encode(),
        )

    stale = rig.engine(rig.client(transport=Tap(on_response)))
    report = stale.run_once()  # the overlap re-reads rows we already hold, served stale
    assert report.outcome == "ok", report.message
    assert staled
    by = {s.stream: s for s in report.streams}
    assert by["orders"].skipped_stale >= 1 and by["orders"].upserted == 0
    assert raw_rows(rig.db, "SELECT COUNT(*) FROM \"order\" WHERE buyer_memo = '旧版本'") == [(0,)]
    assert_oracle(rig)


@pytest.mark.parametrize("resolution", ["keep_local", "keep_remote"])
def test_memo_conflict_oracle(rig, resolution):
    ((oid, sn),) = to_ship(rig)
    journal = [_memo(rig, oid, sn, "本地备注")]
    engine = rig.engine()
    engine.client.update_note(sn, "平台上改的", 3)  # changed on the platform meanwhile
    report = engine.run_once()
    assert report.push is not None and report.push.conflicts == 1
    assert rig.shop.effects(NOTE, order_sn=sn, note="本地备注") == 0  # never sent blind
    assert raw_rows(rig.db, 'SELECT seller_memo FROM "order" WHERE order_sn = ?', (sn,)) == [("本地备注",)]
    (c,) = sync.list_conflicts()
    sync.resolve_conflict(conflict_id=c.id, resolution=resolution)
    quiesce(rig, engine)
    want = ("本地备注", 2) if resolution == "keep_local" else ("平台上改的", 3)
    assert rig.shop.query('SELECT seller_memo, flag FROM "order" WHERE order_sn = ?', (sn,)) == [want]
    assert raw_rows(rig.db, 'SELECT seller_memo, flag FROM "order" WHERE order_sn = ?', (sn,)) == [want]
    assert_oracle(rig, actions=journal)
