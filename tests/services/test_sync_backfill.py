"""First sync of a shop with history: the list-API backfill, newest days first, then the catch-up.

Against the sandbox over HTTP; the platform's own orders are the oracle.
"""

from __future__ import annotations

import json
import random
import signal
import threading
import time
from urllib.parse import parse_qs

import httpx
import pytest

from pdd_desktop.common.task import Cancelled, TaskContext
from pdd_desktop.data.db import database
from pdd_desktop.platform.client import ORDER_HORIZON_S
from pdd_desktop.services import shipping
from pdd_desktop.services.sync.engine import FETCH_WORKERS, HORIZON_MARGIN_S, resumed_floor
from pdd_desktop.services.sync.runs import backfill_key, load_backfill
from tests.helpers.db import raw_rows
from tests.helpers.sync_rig import Tap, api_of, assert_oracle, hwm, make_rig, quiesce, spawn_sync_child
from tests.services.test_sync_push import SHIP, new_number, to_ship

LIST = "pdd.order.list.get"
INC = "pdd.order.number.list.increment.get"
DAY = 86400


class Calls:
    """Every router call the client made: (api, form) in the order the answers arrived."""

    def __init__(self) -> None:
        self.items: list[tuple[str, dict[str, str]]] = []
        self._lock = threading.Lock()

    def __call__(self, api, request, response):
        form = {k: v[0] for k, v in parse_qs(request.content.decode("ascii")).items()}
        with self._lock:
            self.items.append((api, form))

    def windows(self, api: str = LIST) -> list[tuple[int, int]]:
        """(start, end) of the first page of each window asked for."""
        key = "start_confirm_at" if api == LIST else "start_updated_at"
        end = "end_confirm_at" if api == LIST else "end_updated_at"
        return [(int(f[key]), int(f[end])) for a, f in self.items if a == api and f.get("page") == "1"]

    def count(self, api: str) -> int:
        return sum(1 for a, _f in self.items if a == api)


class SendLog(httpx.BaseTransport):
    """A real HTTP transport that records each request when it is *sent* (Calls: when answered)."""

    def __init__(self, calls: Calls) -> None:
        self._inner = httpx.HTTPTransport()
        self.calls = calls

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.calls(api_of(request), request, None)
        return self._inner.handle_request(request)

    def close(self) -> None:
        self._inner.close()


class StopAt(TaskContext):
    """Cancels when the backfill is about to apply window ``days`` (0-based), or runs ``hook``."""

    def __init__(self, days: int | None = None, hook=None) -> None:
        super().__init__()
        self.days = days
        self.hook = hook
        self.labels: list[tuple[int, str]] = []

    def report(self, done, total=None, label=None):
        super().report(done, total, label)
        if label and label.startswith("首次同步"):
            self.labels.append((done, label))
            if self.days is not None and done >= self.days:
                self.cancel()
            if self.hook is not None:
                self.hook(done)


def local_orders(db) -> dict[str, tuple]:
    return {
        r[0]: tuple(r[1:])
        for r in raw_rows(db, 'SELECT order_sn, platform_updated_at, pay_amount_fen FROM "order"')
    }


def remote_orders(rig, where: str = "1", args: tuple = ()) -> dict[str, tuple]:
    rows = rig.shop.query(
        f'SELECT order_sn, platform_updated_at, pay_amount_fen FROM "order" WHERE {where}', args
    )
    return {r[0]: tuple(r[1:]) for r in rows}


def assert_backfilled(rig, anchor: int, *, increment_s: int = DAY) -> None:
    """Everything the API serves is local, exactly as the platform has it.

    - every order confirmed within the list API's horizon of ``anchor`` (the backfill);
    - every order updated since ``anchor - increment_s`` (the increment pass, which also brings
      orders that never got a 成交时间: unpaid, or cancelled before 成团);
    - nothing else: the platform serves no older history (the stated limit).
    """
    floor = anchor - ORDER_HORIZON_S + HORIZON_MARGIN_S
    want = remote_orders(rig, "confirmed_at >= ?", (floor,))
    assert_oracle(rig, since=anchor - increment_s)
    want.update(remote_orders(rig, "platform_updated_at >= ?", (anchor - increment_s,)))
    have = local_orders(rig.db)
    assert have == want, (sorted(set(want) - set(have))[:5], sorted(set(have) - set(want))[:5])
    older = remote_orders(
        rig, "confirmed_at < ? AND platform_updated_at < ?", (floor - DAY, anchor - increment_s)
    )
    assert older and not set(older) & set(have)  # the year's older part exists, and is not claimed


@pytest.fixture
def empty_rig(tmp_path, tmp_path_factory):
    r = make_rig(tmp_path, tmp_path_factory, local="empty")
    yield r
    r.close()


def _engine(rig, calls: Calls, **kw):
    """An engine as API mode builds it (no history came with the shop).

    The increment pass after the backfill covers one day instead of three: three days of
    after-sales windows are more than its rate limit (100 per 10 s) lets through without a wait.
    """
    client = kw.pop("client", None) or rig.client(transport=Tap(calls))
    kw.setdefault("initial_backfill_s", DAY)
    return rig.engine(client, initial_cursor_ts=None, **kw)


def test_backfill_reads_the_newest_days_first_and_resumes_after_cancel(empty_rig):
    rig = empty_rig
    calls = Calls()
    engine = _engine(rig, calls, client=rig.client(transport=SendLog(calls)))
    with pytest.raises(Cancelled):
        engine.run_once(task=StopAt(days=2))
    progress = load_backfill("orders")
    assert progress is not None and hwm(rig.db, "orders") is None
    anchor = progress.anchor
    # exactly today's and yesterday's orders are local: the two newest windows, nothing older
    assert progress.next_end == anchor - 2 * DAY
    assert local_orders(rig.db) == remote_orders(
        rig, "confirmed_at BETWEEN ? AND ?", (anchor - 2 * DAY, anchor)
    )
    assert local_orders(rig.db)  # the demo has orders in its last two days
    # requests went out newest first: the first FETCH_WORKERS sent are the newest days (a
    # thread takes the next day only when its answer came), and nothing far ahead was asked for
    asked = calls.windows()
    newest = [(anchor - (k + 1) * DAY, anchor - k * DAY) for k in range(FETCH_WORKERS)]
    assert set(asked[:FETCH_WORKERS]) == set(newest)
    assert len(asked) <= 3 + 2 * FETCH_WORKERS
    # resume: the two done days are not read again; the rest arrive, then the catch-up
    calls.items.clear()
    report = engine.run_once()
    assert report.outcome == "ok", report.message
    resumed = calls.windows()
    assert max(s for s, _e in resumed) == anchor - 3 * DAY
    floor = anchor - ORDER_HORIZON_S + HORIZON_MARGIN_S
    expected = {(max(floor, anchor - (k + 1) * DAY), anchor - k * DAY) for k in range(2, 90)}
    assert set(resumed) == expected  # every day down to the 3-month horizon, once
    assert load_backfill("orders") is None
    assert hwm(rig.db, "orders") >= anchor - DAY
    assert_backfilled(rig, anchor)
    # a routine run afterwards: increments only, nothing new
    calls.items.clear()
    again = engine.run_once()
    assert again.outcome == "ok" and calls.count(LIST) == 0
    assert all(s.upserted == 0 for s in again.streams)


def test_a_resumed_backfill_keeps_the_floor_it_planned(empty_rig):
    """The resume's clock is later (here 7 s; in the flake 1 s): the oldest day stays the same."""
    rig = empty_rig
    calls = Calls()
    engine = _engine(rig, calls)
    with pytest.raises(Cancelled):
        engine.run_once(task=StopAt(days=1))
    progress = load_backfill("orders")
    assert progress is not None
    assert progress.floor == progress.anchor - ORDER_HORIZON_S + HORIZON_MARGIN_S
    rig.shop.faults.set(clock_offset_s=rig.shop.faults.clock_offset_s + 7)
    calls.items.clear()
    report = engine.run_once()
    assert report.outcome == "ok", report.message
    assert min(s for s, _e in calls.windows()) == progress.floor  # not floor + 7
    assert_backfilled(rig, progress.anchor)


def test_resumed_floor_moves_only_when_the_saved_one_nears_the_horizon():
    horizon, margin = ORDER_HORIZON_S, HORIZON_MARGIN_S
    start = 1_787_000_000
    saved = start - horizon + margin
    assert resumed_floor(saved, now=start + 1, horizon_s=horizon) == saved
    assert resumed_floor(saved, now=start + margin // 2, horizon_s=horizon) == saved
    # resumed long after: the planned floor is too close to the horizon, the margin is measured anew
    late = start + margin // 2 + 1
    assert resumed_floor(saved, now=late, horizon_s=horizon) == late - horizon + margin


def test_backfill_progress_is_reported_per_day(empty_rig):
    task = StopAt()
    report = _engine(empty_rig, Calls()).run_once(task=task)
    assert report.outcome == "ok", report.message
    dones = [d for d, _l in task.labels]
    assert dones == list(range(len(dones))) and len(dones) >= 89
    assert task.labels[0][1].startswith("首次同步订单：") and "（0/" in task.labels[0][1]
    by = {s.stream: s for s in report.streams}
    assert by["orders"].windows >= 90 and by["orders"].upserted > 0


def test_changes_during_the_backfill_are_caught_up(empty_rig):
    rig = empty_rig
    changed: dict[str, str] = {}

    def change_platform(done: int) -> None:
        if done != 3 or changed:
            return
        now = rig.shop.platform_now()
        # an order of the newest day (already read): the buyer changes it now
        (sn_new,) = rig.shop.query(
            'SELECT order_sn FROM "order" WHERE confirmed_at > ? ORDER BY confirmed_at DESC LIMIT 1',
            (now - DAY,),
        )[0]
        # one confirmed three weeks ago (its day is read later, with or without the change), and
        # one of yesterday (read already) changed by a late commit (stamped 2 minutes back)
        (sn_old,) = rig.shop.query(
            'SELECT order_sn FROM "order" WHERE confirmed_at < ? ORDER BY confirmed_at DESC LIMIT 1',
            (now - 20 * DAY,),
        )[0]
        (sn_late,) = rig.shop.query(
            'SELECT order_sn FROM "order" WHERE confirmed_at BETWEEN ? AND ? AND order_sn != ? LIMIT 1',
            (now - 2 * DAY, now - DAY, sn_new),
        )[0]
        with rig.shop.tx() as c:
            for sn in (sn_new, sn_old):
                c.execute(
                    'UPDATE "order" SET seller_memo = ?, platform_updated_at = ? WHERE order_sn = ?',
                    ("平台上改过", now, sn),
                )
        rig.shop.commit_late(sn_late, behind_s=120)
        changed.update(new=sn_new, old=sn_old, late=sn_late)

    calls = Calls()
    engine = _engine(rig, calls)
    report = engine.run_once(task=StopAt(hook=change_platform))
    assert report.outcome == "ok", report.message
    assert set(changed) == {"new", "old", "late"}
    # the changes are newer than this run's catch-up target (settle lag); the next run has them
    rig.shop.faults.set(clock_offset_s=600)
    engine.client.offset_s += 600
    report = engine.run_once()
    assert report.outcome == "ok", report.message
    remote = remote_orders(rig)
    local = local_orders(rig.db)
    for sn in changed.values():
        assert local[sn] == remote[sn], sn
    memo = dict(
        raw_rows(
            rig.db,
            'SELECT order_sn, seller_memo FROM "order" WHERE order_sn IN (?, ?)',
            (changed["new"], changed["old"]),
        )
    )
    assert set(memo.values()) == {"平台上改过"}
    anchor = max(e for _s, e in calls.windows())
    assert_backfilled(rig, anchor)


def test_a_cursor_older_than_the_horizon_is_restarted_with_a_backfill(rig):
    """A demo shop left alone for four months: the increment API no longer reaches its cursor."""
    assert rig.engine().run_once().outcome == "ok"
    now = rig.shop.platform_now()
    with database.atomic():
        database.execute_sql(
            "UPDATE sync_stream SET hwm_server_ts = ? WHERE stream = 'orders'", (now - 100 * DAY,)
        )
    calls = Calls()
    engine = rig.engine(rig.client(transport=Tap(calls)))
    report = engine.run_once()
    assert report.outcome == "ok", report.message
    assert len(calls.windows()) == 90  # the list, not 4,800 increment windows
    assert len(calls.windows(INC)) < 3 * 48 + 10
    assert hwm(rig.db, "orders") >= now - 3 * DAY - 1
    assert_oracle(rig, since=now - 3 * DAY)


def test_a_demo_shop_with_its_history_is_not_backfilled(rig):
    calls = Calls()
    report = rig.engine(rig.client(transport=Tap(calls))).run_once()
    assert report.outcome == "ok"
    assert calls.count(LIST) == 0


def test_token_expiry_mid_backfill_refreshes_once(empty_rig):
    rig = empty_rig
    client = rig.client(refreshing=True, transport=Tap(Calls()))

    def expire(done: int) -> None:
        if done == 5:
            rig.shop.expire_access_tokens()

    report = _engine(rig, Calls(), client=client).run_once(task=StopAt(hook=expire))
    assert report.outcome == "ok", report.message
    assert client._tokens.refreshed == 1
    assert load_backfill("orders") is None


def test_a_failing_window_keeps_the_days_before_it_and_the_next_run_finishes(empty_rig):
    rig = empty_rig
    calls = Calls()
    engine = _engine(rig, calls, client=rig.client(max_retries=0, transport=Tap(calls)))

    def break_platform(done: int) -> None:
        if done == 10:
            rig.shop.faults.set(error_next=50)

    report = engine.run_once(task=StopAt(hook=break_platform))
    assert report.outcome != "ok"
    progress = load_backfill("orders")
    assert progress is not None and hwm(rig.db, "orders") is None
    # the ten newest days stay applied; progress stops at a window boundary
    assert progress.next_end <= progress.anchor - 10 * DAY
    assert (progress.anchor - progress.next_end) % DAY == 0
    rig.shop.faults.reset()
    assert engine.run_once().outcome == "ok"
    assert_backfilled(rig, progress.anchor)


def _progress(db) -> dict | None:
    row = raw_rows(db, "SELECT value_json FROM setting WHERE key = ?", (backfill_key("orders"),))
    return json.loads(row[0][0]) if row else None


@pytest.mark.parametrize("seed", range(2))
def test_kill_during_backfill_resumes_where_it_stopped(empty_rig, seed):
    rig = empty_rig
    rng = random.Random(seed)
    rig.shop.faults.set(latency_s=0.02)
    anchors, ends = set(), []
    for _ in range(3):
        p = spawn_sync_child(rig, cursor=None)
        # kill when the backfill has done a random number more days (or a moment after that)
        more = rng.randint(3, 20)
        start_end = ends[-1] if ends else None
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and p.poll() is None:
            v = _progress(rig.db)
            if v is not None and (start_end or v["anchor"]) - v["next_end"] >= more * DAY:
                break
            time.sleep(0.01)
        time.sleep(rng.uniform(0, 0.05))
        p.send_signal(signal.SIGKILL)
        p.wait(timeout=10)
        v = _progress(rig.db)
        assert v is not None, "the backfill finished before the kill"
        anchors.add(v["anchor"])
        ends.append(v["next_end"])
        assert hwm(rig.db, "orders") is None
        # what the progress says is done is local, as the platform has it
        done = remote_orders(rig, "confirmed_at BETWEEN ? AND ?", (v["next_end"], v["anchor"]))
        have = local_orders(rig.db)
        assert done and all(have.get(sn) == ver for sn, ver in done.items())
    assert len(anchors) == 1  # resumed each time, never restarted
    assert ends == sorted(ends, reverse=True) and ends[0] > ends[-1]
    rig.shop.faults.set(latency_s=0.0)
    calls = Calls()
    report = _engine(rig, calls).run_once()
    assert report.outcome == "ok", report.message
    assert all(s < ends[-1] for s, _e in calls.windows())  # the done days are not read again
    assert load_backfill("orders") is None
    assert_backfilled(rig, anchors.pop())


def test_concurrent_catch_up_keeps_pushes_exactly_once(rig):
    """Twelve hours behind (24 windows, fetched ahead on threads) with faults and local ships."""
    shipped = []
    for oid, sn in to_ship(rig, 3):
        shipping.ship_order(order_id=oid, courier_id=115, tracking_number=new_number())
        shipped.append(sn)
    rig.shop.faults.set(clock_offset_s=12 * 3600)
    rig.shop.sim.advance(rig.shop.platform_now())
    rig.shop.faults.set(repeat_page_next=3, drift_next=3, error_next=2)
    calls = Calls()
    engine = rig.engine(rig.client(transport=Tap(calls)))
    engine.client.offset_s += 12 * 3600
    quiesce(rig, engine)
    assert len(calls.windows(INC)) > 24
    assert_oracle(rig)
    for sn in shipped:
        assert rig.shop.effects(SHIP, order_sn=sn) == 1, sn


def test_cancel_during_the_backfill_is_prompt_with_requests_in_flight(empty_rig):
    rig = empty_rig
    rig.shop.faults.set(latency_s=0.4)  # every request is slow; several are out at once
    cancelled_at: list[float] = []
    task = StopAt()

    def cancel_soon(done: int) -> None:
        if done == 1 and not cancelled_at:

            def cancel() -> None:
                cancelled_at.append(time.monotonic())
                task.cancel()

            threading.Timer(0.1, cancel).start()

    task.hook = cancel_soon
    engine = _engine(rig, Calls())
    with pytest.raises(Cancelled):
        engine.run_once(task=task, streams=("orders",))
    stopped = time.monotonic()
    assert cancelled_at and stopped - cancelled_at[0] < 0.3  # not after the requests in flight
    progress = load_backfill("orders")
    assert progress is not None and progress.next_end <= progress.anchor - DAY
