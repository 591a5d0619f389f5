"""A real (API) shop synced from the sandbox: traces, return addresses and the shop profile.

The oracle for 物流异常 reads the sandbox's own database with plain sqlite3.
"""

from __future__ import annotations

import sqlite3
from collections import Counter

import pytest

from pdd_desktop.common import clock
from pdd_desktop.services import after_sales, home, sync
from pdd_desktop.services import logistics as logistics_svc
from pdd_desktop.services.settings import load_settings
from pdd_desktop.services.sync.areas import tracking
from tests.helpers.db import raw_rows
from tests.helpers.sync_rig import make_rig
from tests.sandbox import NOW0

HOUR = 3600
TRACE = "pdd.logistics.ordertrace.get"
#: The local shop pulls this much history (enough parcels in transit and a few gone wrong).
BACKFILL_S = 6 * 86400


@pytest.fixture
def api_rig(tmp_path, tmp_path_factory):
    """The sandbox platform and an empty local shop (a real shop connected by API)."""
    r = make_rig(tmp_path, tmp_path_factory, local="empty")
    yield r
    r.close()


def _counting(client) -> Counter:
    """Count the client's requests by API type."""
    calls: Counter = Counter()
    original = client.call

    def call(api_type, params, **kw):
        calls[api_type] += 1
        return original(api_type, params, **kw)

    client.call = call
    return calls


def _run(rig, client, **kw):
    report = rig.engine(client, initial_cursor_ts=NOW0 - BACKFILL_S, **kw).run_once()
    assert report.outcome == "ok", report
    return report


def _sandbox_events(rig) -> dict[str, list[tuple[int, str]]]:
    """Tracking number → [(at, kind)] from the sandbox database itself."""
    conn = sqlite3.connect(rig.shop.db_path)
    try:
        rows = conn.execute(
            "SELECT p.tracking_number, e.at, e.kind FROM tracking_event e "
            "JOIN package p ON p.id = e.package_id WHERE p.voided_at IS NULL ORDER BY e.at"
        ).fetchall()
    finally:
        conn.close()
    out: dict[str, list[tuple[int, str]]] = {}
    for number, at, kind in rows:
        out.setdefault(number, []).append((at, kind))
    return out


def _sandbox_times(rig) -> dict[str, tuple]:
    """Tracking number → (first scan, last event, signed) of the sandbox's parcels (old demo
    parcels carry these times without event rows).
    """
    conn = sqlite3.connect(rig.shop.db_path)
    try:
        rows = conn.execute(
            "SELECT tracking_number, first_scan_at, last_event_at, signed_at FROM package "
            "WHERE voided_at IS NULL"
        ).fetchall()
    finally:
        conn.close()
    return {r[0]: r[1:] for r in rows}


def _oracle_problems(rig, now: int) -> int:
    """物流异常 recomputed from the sandbox's traces, judged as of each local parcel's fetch."""
    s = load_settings()
    events = _sandbox_events(rig)
    times = _sandbox_times(rig)
    count = 0
    for number, shipped, fetched, kind in raw_rows(
        rig.db,
        "SELECT tracking_number, shipped_at, trace_fetched_at, kind FROM package WHERE voided_at IS NULL",
    ):
        if kind == "none" or fetched is None:
            continue
        known = [(at, k) for at, k in events.get(number, []) if at <= fetched]
        first, last_event, signed = times.get(number, (None, None, None))
        scans = [t for t in (first, last_event) if t is not None and t <= fetched]
        if any(k == "signed" for _, k in known) or (signed is not None and signed <= fetched):
            continue
        as_of = min(fetched, now)
        last = max([shipped, *(at for at, _ in known), *scans])
        no_pickup = not known and not scans and shipped + s.no_pickup_hours * HOUR <= as_of
        stalled = last + s.stalled_hours * HOUR <= as_of
        exception = any(k == "exception" for _, k in known)
        count += no_pickup or stalled or exception
    return count


def test_api_shop_pulls_profile_addresses_and_traces(api_rig, monkeypatch):
    monkeypatch.setattr(tracking, "MAX_TRACES_PER_RUN", 1000)
    client = api_rig.client(rate_limits=False)  # six days of after-sales windows, not pacing
    calls = _counting(client)
    assert raw_rows(api_rig.db, "SELECT COUNT(*) FROM shop") == [(0,)]
    _run(api_rig, client)

    # The shop profile: the platform's name and mall id.
    creds = api_rig.shop.credentials
    assert raw_rows(api_rig.db, "SELECT mall_id, name FROM shop") == [(creds.mall_id, creds.mall_name)]
    # Return addresses with the platform's ids.
    platform = api_rig.shop.return_addresses()
    local = raw_rows(
        api_rig.db,
        "SELECT remote_id, contact_name, detail, is_default FROM address WHERE is_return = 1 "
        "ORDER BY remote_id",
    )
    assert platform and local == sorted(
        (a["id"], a["refund_name"], a["refund_address"], a["is_default"]) for a in platform
    )
    # Every live parcel in transit was asked once (the budget is large here) and signed ones not at all.
    packages = raw_rows(
        api_rig.db, "SELECT COUNT(*) FROM package WHERE voided_at IS NULL AND kind != 'none'"
    )[0][0]
    assert packages > 10, "six days of orders should have shipped parcels"
    fetched = raw_rows(api_rig.db, "SELECT COUNT(*) FROM package WHERE trace_fetched_at IS NOT NULL")[0][0]
    assert calls[TRACE] == fetched > 0
    # Events landed and match the platform's traces.
    events = _sandbox_events(api_rig)
    for number, at, kind in raw_rows(
        api_rig.db,
        "SELECT p.tracking_number, e.at, e.kind FROM tracking_event e JOIN package p ON p.id = e.package_id",
    ):
        assert (at, kind) in events[number]
    assert raw_rows(api_rig.db, "SELECT COUNT(*) FROM tracking_event")[0][0] > 0

    # 物流异常 equals the count recomputed from the sandbox's own traces.
    now = clock.now()
    snap = home.home_snapshot(now)
    assert snap.logistics_tracking.tracked
    assert snap.logistics_problems == _oracle_problems(api_rig, now)
    assert snap.logistics_problems > 0, "the sandbox's demo history has lost, stalled and refused parcels"

    # A second run re-asks nothing (the interval has not passed) and writes no event twice.
    before = raw_rows(
        api_rig.db,
        "SELECT COUNT(*), COUNT(DISTINCT package_id || '|' || at || '|' || kind) FROM tracking_event",
    )[0]
    assert before[0] == before[1]
    calls.clear()
    _run(api_rig, client)
    assert calls[TRACE] == 0
    assert raw_rows(api_rig.db, "SELECT COUNT(*) FROM tracking_event")[0][0] == before[0]


def test_trace_budget_and_interval_are_respected(api_rig, monkeypatch):
    monkeypatch.setattr(tracking, "MAX_TRACES_PER_RUN", 7)
    monkeypatch.setattr(tracking, "TRACES_PER_PAGE", 3)
    client = api_rig.client(rate_limits=False)  # six days of after-sales windows, not pacing
    calls = _counting(client)
    _run(api_rig, client)
    assert calls[TRACE] == 7
    first = {r[0] for r in raw_rows(api_rig.db, "SELECT id FROM package WHERE trace_fetched_at IS NOT NULL")}
    assert len(first) == 7
    # Newest first: nothing unfetched was shipped after a fetched one.
    newest_unfetched = raw_rows(
        api_rig.db,
        "SELECT MAX(shipped_at) FROM package p JOIN courier c ON c.id = p.courier_id WHERE trace_fetched_at "
        "IS NULL AND signed_at IS NULL AND voided_at IS NULL AND kind != 'none' AND c.code != ''",
    )[0][0]
    oldest_fetched = raw_rows(
        api_rig.db, "SELECT MIN(shipped_at) FROM package WHERE trace_fetched_at IS NOT NULL"
    )[0][0]
    assert newest_unfetched is None or newest_unfetched <= oldest_fetched
    # 未查询 parcels are not counted: the count only covers the 7 fetched ones.
    now = clock.now()
    snap = home.home_snapshot(now)
    assert snap.unqueried_parcels > 0
    assert snap.logistics_problems == _oracle_problems(api_rig, now)
    ov = logistics_svc.logistics_overview(start=NOW0 - 30 * 86400, end=now + 1, now=now)
    assert ov.totals.unqueried == snap.unqueried_parcels
    assert ov.totals.no_pickup + ov.totals.stalled + ov.totals.exception >= snap.logistics_problems

    # The next run asks the next 7, never the same parcel again within the interval.
    calls.clear()
    _run(api_rig, client)
    assert calls[TRACE] == 7
    second = {r[0] for r in raw_rows(api_rig.db, "SELECT id FROM package WHERE trace_fetched_at IS NOT NULL")}
    assert first < second and len(second) == 14


def test_signed_parcels_are_never_asked_again(api_rig, monkeypatch):
    monkeypatch.setattr(tracking, "MAX_TRACES_PER_RUN", 1000)
    client = api_rig.client(rate_limits=False)  # six days of after-sales windows, not pacing
    _run(api_rig, client)
    # The re-query interval passes for every parcel fetched.
    conn = sqlite3.connect(api_rig.db)
    with conn:
        conn.execute(
            "UPDATE package SET trace_fetched_at = trace_fetched_at - ? WHERE trace_fetched_at IS NOT NULL",
            (tracking.REQUERY_INTERVAL_S + 60,),
        )
    conn.close()
    signed = raw_rows(api_rig.db, "SELECT COUNT(*) FROM package WHERE signed_at IS NOT NULL")[0][0]
    due = raw_rows(
        api_rig.db,
        "SELECT COUNT(*) FROM package p JOIN courier c ON c.id = p.courier_id WHERE signed_at IS NULL "
        "AND voided_at IS NULL AND kind != 'none' AND c.code != '' AND tracking_number != ''",
    )[0][0]
    calls = _counting(client)
    _run(api_rig, client)
    assert signed > 0
    assert calls[TRACE] == due


def test_agree_return_works_after_the_address_sync(api_rig):
    # On the platform, a buyer asks to return goods (退货退款，待商家处理) ten minutes ago.
    sb = api_rig.shop
    with sb.tx() as c:
        (case_id,) = c.execute("SELECT id FROM after_sale WHERE type = 2 ORDER BY id DESC LIMIT 1").fetchone()
        c.execute(
            "UPDATE after_sale SET status = 3, closed_at = NULL, platform_updated_at = ? WHERE id = ?",
            (sb.platform_now() - 600, case_id),
        )
    client = api_rig.client(rate_limits=False)  # six days of after-sales windows, not pacing
    _run(api_rig, client)
    case = raw_rows(api_rig.db, "SELECT id FROM after_sale WHERE status = 3 AND type = 2")
    assert case == [(case_id,)]
    addresses = after_sales.return_addresses()
    assert addresses and addresses[0].is_default
    platform_ids = {a["id"] for a in api_rig.shop.return_addresses()}
    assert {a.id for a in addresses} == platform_ids
    after_sales.agree_return(after_sale_id=case[0][0], return_address_id=addresses[0].id)
    calls = _counting(client)
    api_rig.engine(client, initial_cursor_ts=NOW0 - BACKFILL_S).run_once()
    assert calls["pdd.refund.returngoods.agree"] == 1
    assert api_rig.shop.effects("pdd.refund.returngoods.agree", entity=str(case[0][0])) == 1


def test_demo_shop_logistics_problems_stay_right_after_a_sync(rig, monkeypatch):
    """A demo shop: its generated traces count as fetched at the demo's now; the sync re-asks
    them after the interval and the count still equals the sandbox-trace oracle."""
    now = clock.now()
    before = home.home_snapshot(now).logistics_problems
    assert before == _oracle_problems(rig, now) > 0
    client = rig.client()
    calls = _counting(client)
    report = rig.engine(client).run_once()
    assert report.outcome == "ok", report
    assert calls[TRACE] == 0  # fetched at the demo's now, less than the interval ago
    # Later: the interval has passed, every parcel in transit is asked once, nothing doubles.
    monkeypatch.setattr(tracking, "MAX_TRACES_PER_RUN", 1000)
    monkeypatch.setattr(tracking, "REQUERY_INTERVAL_S", 0)
    conn = sqlite3.connect(rig.db)
    with conn:
        conn.execute(
            "UPDATE package SET trace_fetched_at = trace_fetched_at - 60 WHERE trace_fetched_at IS NOT NULL"
        )
    conn.close()
    events_before = raw_rows(rig.db, "SELECT COUNT(*) FROM tracking_event")[0][0]
    calls.clear()
    report = rig.engine(client).run_once()
    assert report.outcome == "ok", report
    assert calls[TRACE] > 0
    dupes = raw_rows(
        rig.db,
        "SELECT COUNT(*) - COUNT(DISTINCT package_id || '|' || at || '|' || kind || '|' || description) "
        "FROM tracking_event",
    )[0][0]
    assert dupes == 0 and raw_rows(rig.db, "SELECT COUNT(*) FROM tracking_event")[0][0] >= events_before
    now = clock.now()
    assert home.home_snapshot(now).logistics_problems == _oracle_problems(rig, now)


def test_profile_of_another_mall_is_refused(api_rig):
    from pdd_desktop.data.db import write_transaction
    from pdd_desktop.domain.errors import NotAllowed
    from pdd_desktop.platform.records import MallRecord
    from pdd_desktop.services.sync.areas import profile

    with write_transaction():
        profile.apply_mall(MallRecord(mall_id=111, mall_name="小王的店", merchant_type=0))
    assert raw_rows(api_rig.db, "SELECT mall_id, name, merchant_type FROM shop") == [(111, "小王的店", 1)]
    with write_transaction():
        assert (
            profile.apply_mall(MallRecord(mall_id=111, mall_name="小王的新店名", merchant_type=2)).upserted
            == 1
        )
    with pytest.raises(NotAllowed, match="检查开放平台凭据"), write_transaction():
        profile.apply_mall(MallRecord(mall_id=222, mall_name="别人的店"))
    assert raw_rows(api_rig.db, "SELECT mall_id, name, merchant_type FROM shop") == [(111, "小王的新店名", 2)]


def test_return_addresses_adopt_remove_and_keep_senders(sandbox_demo_shop):
    from pdd_desktop.data.db import write_transaction
    from pdd_desktop.platform.records import ReturnAddressRecord
    from pdd_desktop.services.sync.areas import profile

    own = raw_rows(
        sandbox_demo_shop.db_file,
        "SELECT id, contact_name, phone, province, city, district, detail FROM address WHERE is_return = 1",
    )
    assert len(own) == 1
    local_id, *content = own[0]
    same = ReturnAddressRecord(local_id + 40, *content, is_default=True)
    new = ReturnAddressRecord(
        900, "售后小李", "13700001111", "浙江省", "金华市", "义乌市", "江东街道 5 号", False
    )
    with write_transaction():
        profile.apply_return_addresses([same, new])
    rows = raw_rows(
        sandbox_demo_shop.db_file,
        "SELECT id, remote_id, is_default FROM address WHERE is_return = 1 ORDER BY id",
    )
    assert rows[0] == (local_id, local_id + 40, 1)  # the demo's own address adopted, not doubled
    assert rows[1][1:] == (900, 0) and len(rows) == 2
    senders = raw_rows(sandbox_demo_shop.db_file, "SELECT id FROM address WHERE is_sender = 1")
    with write_transaction():
        profile.apply_return_addresses([new])  # the platform dropped the first one
    assert raw_rows(sandbox_demo_shop.db_file, "SELECT remote_id FROM address WHERE is_return = 1") == [
        (900,)
    ]
    assert raw_rows(sandbox_demo_shop.db_file, "SELECT id FROM address WHERE is_sender = 1") == senders


def test_credentials_of_another_shop_refuse_the_whole_run(rig):
    """Nothing is pushed to (or pulled from) a shop the local data does not belong to."""
    from pdd_desktop.data.db import database, write_transaction
    from pdd_desktop.services import orders as order_service

    with write_transaction():
        database.execute_sql("UPDATE shop SET mall_id = 999999999")
    oid, sn = raw_rows(
        rig.db, 'SELECT id, order_sn FROM "order" WHERE status = 1 AND refund_status = 1 ORDER BY id LIMIT 1'
    )[0]
    order_service.set_seller_memo(order_id=oid, memo="不该到别的店", flag=1)
    runs_before = raw_rows(rig.db, "SELECT COUNT(*) FROM sync_run WHERE kind != 'check'")[0][0]

    report = rig.engine().run_once()

    assert report.outcome == "auth_needed"
    assert "另一个店铺" in report.message and report.streams == ()
    assert raw_rows(rig.db, "SELECT state FROM outbox WHERE entity_remote_id = ?", (sn,)) == [("pending",)]
    assert rig.shop.query('SELECT seller_memo FROM "order" WHERE order_sn = ?', (sn,))[0][0] != "不该到别的店"
    assert raw_rows(rig.db, "SELECT COUNT(*) FROM sync_run WHERE kind != 'check'")[0][0] == runs_before
    assert sync.sync_summary().auth_needed  # the status bar asks to check the credentials
    assert "另一个店铺" in sync.sync_summary().last_error
