"""The alerts centre: every rule's count against an independent count, dedupe, self-resolve,
snooze, notify once, alerts raised by code, and the sandbox scenarios for outbox and sync.
"""

from __future__ import annotations

import pytest

from pdd_desktop.common import clock
from pdd_desktop.domain.after_sales import WAITING_ME_CODES
from pdd_desktop.domain.alerts import (
    SOURCE_CODE,
    TARGET_CASES,
    TARGET_ORDERS,
    TARGET_SKUS,
    TARGET_SYNC,
    Severity,
)
from pdd_desktop.domain.errors import NotAllowed, ValidationError
from pdd_desktop.services import alerts, goods, settings, shipping
from pdd_desktop.services.alerts.base import Finding, Rule
from tests.conftest import DEMO_NOW
from tests.helpers.db import one, q, raw_rows

HOUR = 3600


def _by_key(now: int = DEMO_NOW) -> dict[str, alerts.AlertRow]:
    return {a.key: a for a in alerts.open_alerts(now, include_snoozed=True)}


def _parcels_oracle(db, now: int, no_pickup_s: int = 24 * HOUR, stalled_s: int = 48 * HOUR) -> dict:
    """Problem parcels judged in Python from the raw rows (the rules' SQL is not used)."""
    rows = raw_rows(
        db,
        "SELECT p.id, po.order_id, p.shipped_at, p.first_scan_at, p.last_event_at, p.is_exception, "
        "p.trace_fetched_at FROM package p JOIN package_order po ON po.package_id = p.id "
        "WHERE p.voided_at IS NULL AND p.signed_at IS NULL AND p.kind != 'none'",
    )
    out: dict[str, tuple[set, set]] = {k: (set(), set()) for k in ("no_pickup", "stalled", "exception")}
    for pid, oid, shipped, first_scan, last_event, exception, fetched in rows:
        if fetched is None:
            continue
        as_of = min(fetched, now)
        no_pickup = first_scan is None and shipped <= now - no_pickup_s and shipped + no_pickup_s <= as_of
        activity = max(last_event if last_event is not None else shipped, shipped)
        stalled = shipped <= now - stalled_s and activity + stalled_s <= as_of and not no_pickup
        for kind, hit in (("no_pickup", no_pickup), ("stalled", stalled), ("exception", bool(exception))):
            if hit:
                out[kind][0].add(pid)
                out[kind][1].add(oid)
    return out


def test_every_demo_rule_counts_what_an_independent_count_finds(demo_shop):
    settings.update_settings(fast_ship_enabled=True, late_compensation_fen=500)
    evaluation = alerts.evaluate(DEMO_NOW)
    assert evaluation.failed_rules == ()
    found = _by_key()
    db = demo_shop.db_file
    now = DEMO_NOW

    near = {
        r[0]
        for r in raw_rows(
            db,
            'SELECT id FROM "order" WHERE status = 1 AND ship_deadline_at >= ? AND ship_deadline_at < ?',
            (now, now + 6 * HOUR),
        )
    }
    overdue = {
        r[0] for r in raw_rows(db, 'SELECT id FROM "order" WHERE status = 1 AND ship_deadline_at < ?', (now,))
    }
    out = {
        r[0]
        for r in raw_rows(
            db,
            "SELECT s.sku_id FROM sku s, goods g WHERE g.goods_id = s.goods_id AND s.is_onsale "
            "AND g.is_onsale "
            "AND s.stock <= 0",
        )
    }
    low = {
        r[0]
        for r in raw_rows(
            db,
            "SELECT s.sku_id FROM sku s, goods g WHERE g.goods_id = s.goods_id AND s.is_onsale "
            "AND g.is_onsale "
            "AND s.stock > 0 AND s.stock <= s.low_stock_threshold",
        )
    }
    marks = ",".join("?" * len(WAITING_ME_CODES))
    cases = {
        r[0]
        for r in raw_rows(
            db,
            f"SELECT id FROM after_sale WHERE status IN ({marks}) AND expire_at < ?",
            (*WAITING_ME_CODES, now + 12 * HOUR),
        )
    }
    parcels = _parcels_oracle(db, now)

    expected = {
        "ship_near": (near, near, TARGET_ORDERS),
        "ship_overdue": (overdue, overdue, TARGET_ORDERS),
        "stock_out": (out, out, TARGET_SKUS),
        "stock_low": (low, low, TARGET_SKUS),
        "after_sale_deadline": (cases, cases, TARGET_CASES),
        **{f"parcel_{k}": (p, o, TARGET_ORDERS) for k, (p, o) in parcels.items()},
    }
    # The demo shop has every one of these causes: the test would prove nothing otherwise.
    assert all(counted for counted, _ids, _t in expected.values()), {
        k: len(v[0]) for k, v in expected.items()
    }
    for key, (counted, ids, target) in expected.items():
        alert = found[key]
        assert alert.count == len(counted), key
        assert set(alert.target_ids) == ids and len(alert.target_ids) == len(ids), key
        assert alert.target == target
    assert set(found) == set(expected)  # nothing else: no outbox op failed, never synced
    # 极速发货: the money at risk is the count × the shop's compensation per late order.
    assert found["ship_near"].amount_fen == len(near) * 500
    assert found["ship_overdue"].amount_fen == len(overdue) * 500
    assert "¥5.00" in found["ship_near"].why or "5.00" in found["ship_near"].why


def test_without_fast_shipping_there_is_no_money_at_risk(demo_shop):
    alerts.evaluate(DEMO_NOW)
    assert _by_key()["ship_near"].amount_fen == 0 and "赔付" not in _by_key()["ship_near"].why


def test_one_alert_per_cause_updated_in_place_and_notified_once(demo_shop):
    first = alerts.evaluate(DEMO_NOW)
    high = {k for k, a in _by_key().items() if a.severity == Severity.HIGH}
    assert {r.key for r in first.notify} == high and first.changes.alerts and first.changes.messages
    system = q("SELECT title FROM message WHERE remote_id LIKE 'app:alert:%'")
    assert len(system) == len(high)
    rows_before = q("SELECT key, first_seen_at, notified_at FROM alert ORDER BY key")

    later = alerts.evaluate(DEMO_NOW + 60)
    assert later.notify == () and not later.changes.any()
    assert q("SELECT key, first_seen_at, notified_at FROM alert ORDER BY key") == rows_before
    assert one("SELECT COUNT(*) FROM alert")[0] == len(rows_before)
    assert one("SELECT MIN(last_seen_at) FROM alert")[0] == DEMO_NOW + 60
    assert len(q("SELECT 1 FROM message WHERE remote_id LIKE 'app:alert:%'")) == len(high)


def test_a_cause_that_is_gone_resolves_and_a_new_one_reopens_and_notifies_again(demo_shop):
    alerts.evaluate(DEMO_NOW)
    out = _by_key()["stock_out"]
    for sku_id in out.target_ids:  # the merchant restocks every SKU (a local action, with its outbox op)
        goods.set_sku_stock(sku_id=sku_id, quantity=100, seen=0)
    ev = alerts.evaluate(DEMO_NOW + 60)
    assert "stock_out" not in _by_key() and ev.changes.alerts
    assert one("SELECT resolved_at FROM alert WHERE key = 'stock_out'")[0] == DEMO_NOW + 60
    assert alerts.get_alert("stock_out").resolved_at == DEMO_NOW + 60

    goods.set_sku_stock(sku_id=out.target_ids[0], quantity=0, seen=100)
    ev = alerts.evaluate(DEMO_NOW + 120)
    again = _by_key()["stock_out"]
    assert (again.count, again.target_ids, again.first_seen_at) == (1, (out.target_ids[0],), DEMO_NOW + 120)
    assert [r.key for r in ev.notify] == ["stock_out"]
    assert alerts.evaluate(DEMO_NOW + 180).notify == ()


def test_snooze_hides_until_the_chosen_time(demo_shop):
    alerts.evaluate(DEMO_NOW)
    alerts.snooze(key="stock_low", choice="1h", now=DEMO_NOW)
    assert "stock_low" not in {a.key for a in alerts.open_alerts(DEMO_NOW + HOUR - 1)}
    assert "stock_low" in {a.key for a in alerts.open_alerts(DEMO_NOW + HOUR)}
    alerts.evaluate(DEMO_NOW + 60)  # an update keeps the snooze
    assert _by_key()["stock_low"].snoozed_until == DEMO_NOW + HOUR
    # 今天: until the next Beijing midnight (DEMO_NOW is 20:00 Beijing).
    alerts.snooze(key="stock_low", choice="today", now=DEMO_NOW)
    assert _by_key()["stock_low"].snoozed_until == DEMO_NOW + 4 * HOUR
    alerts.snooze(key="stock_low", choice="3d", now=DEMO_NOW)
    assert _by_key()["stock_low"].snoozed_until == DEMO_NOW + 72 * HOUR
    alerts.unsnooze(key="stock_low")
    assert _by_key()["stock_low"].snoozed_until is None
    before = q("SELECT * FROM alert ORDER BY key")
    with pytest.raises(ValidationError, match="稍后提醒"):
        alerts.snooze(key="stock_low", choice="2h", now=DEMO_NOW)
    with pytest.raises(NotAllowed):
        alerts.snooze(key="no_such_alert", choice="1h", now=DEMO_NOW)
    assert q("SELECT * FROM alert ORDER BY key") == before


def test_a_snoozed_new_high_alert_is_notified_when_the_snooze_ends(empty_shop):
    clock.set_clock(lambda: DEMO_NOW)
    alerts.raise_alert("x", "test", Severity.HIGH, "测试提醒", now=DEMO_NOW)
    alerts.snooze(key="app:x", choice="1h", now=DEMO_NOW)
    assert alerts.evaluate(DEMO_NOW + 60).notify == ()
    assert [r.key for r in alerts.evaluate(DEMO_NOW + HOUR).notify] == ["app:x"]


def test_alerts_raised_by_code_stay_until_cleared(empty_shop):
    clock.set_clock(lambda: DEMO_NOW)
    changes = alerts.raise_alert(
        "automation:3",
        "automation",
        Severity.MEDIUM,
        "自动规则「仅退款自动同意」已停用",
        "连续两次执行失败",
        count=2,
        target=TARGET_ORDERS,
        target_ids=[7, 8],
    )
    assert changes.alerts
    alerts.evaluate(DEMO_NOW + 60)  # no rule owns it: it stays open
    (alert,) = alerts.open_alerts()
    assert (alert.key, alert.source, alert.count, alert.target_ids) == (
        "app:automation:3",
        SOURCE_CODE,
        2,
        (7, 8),
    )
    alerts.raise_alert("automation:3", "automation", Severity.MEDIUM, "自动规则已停用", count=3)
    assert [(a.title, a.count) for a in alerts.open_alerts()] == [("自动规则已停用", 3)]
    assert alerts.clear_alert("automation:3").alerts
    assert alerts.open_alerts() == [] and not alerts.clear_alert("automation:3").any()
    before = q("SELECT * FROM alert")
    for bad in (
        dict(key="", title="t"),
        dict(key="k", title=""),
        dict(key="k", title="长" * 81),
        dict(key="k", title="t", severity=7),
        dict(key="k", title="t", target="shops"),
        dict(key="k", title="t", count=-1),
        dict(key="k", title="t", target_ids=["1"]),
    ):
        kw = {"kind": "x", "severity": Severity.LOW, **bad}
        with pytest.raises(ValidationError):
            alerts.raise_alert(kw.pop("key"), kw.pop("kind"), kw.pop("severity"), kw.pop("title"), **kw)
    assert q("SELECT * FROM alert") == before


def test_a_failing_rule_leaves_its_alerts_and_the_others_run(empty_shop):
    clock.set_clock(lambda: DEMO_NOW)
    found = [Finding("a", "a", Severity.LOW, "甲", "", 1)]
    rule_a = Rule("a", ("a",), lambda ctx: iter(found))
    alerts.evaluate(DEMO_NOW, rules=[rule_a])

    def broken(ctx):
        raise RuntimeError("boom")

    ev = alerts.evaluate(DEMO_NOW + 60, rules=[Rule("a", ("a",), broken)])
    assert ev.failed_rules == ("a",) and [a.key for a in alerts.open_alerts()] == ["a"]
    alerts.evaluate(DEMO_NOW + 120, rules=[Rule("a", ("a",), lambda ctx: iter(()))])
    assert alerts.open_alerts() == []


def test_failed_outbox_op_and_stopped_sync_on_the_sandbox(rig):
    rows = raw_rows(
        rig.db, 'SELECT id FROM "order" WHERE status = 1 AND refund_status = 1 ORDER BY id DESC LIMIT 2'
    )
    shipping.ship_without_logistics(order_ids=[r[0] for r in rows])  # the platform has no API for it
    engine = rig.engine()
    report = engine.run_once()
    failed = raw_rows(rig.db, "SELECT id FROM outbox WHERE state = 'failed_permanent'")
    assert len(failed) == 2
    now = clock.now()
    alerts.evaluate(now)
    outbox = _by_key(now)["outbox_failed"]
    assert (outbox.count, set(outbox.target_ids), outbox.target) == (2, {r[0] for r in failed}, TARGET_SYNC)
    assert "无物流" in outbox.why
    assert "sync_stopped" not in _by_key(now) and report.outcome == "ok"

    rig.shop.expire_access_tokens()  # the merchant's authorisation ran out: every run fails
    assert engine.run_once().outcome == "auth_needed"
    alerts.evaluate(now + 60)
    assert "sync_stopped" not in _by_key(now + 60)  # failing for a minute only
    later = now + 31 * 60
    alerts.evaluate(later)
    stopped = _by_key(later)["sync_stopped"]
    failed_runs = raw_rows(
        rig.db,
        "SELECT COUNT(*) FROM sync_run WHERE outcome NOT IN ('ok', 'running', 'offline', 'cancelled') "
        "AND started_at >= (SELECT MAX(finished_at) FROM sync_run WHERE outcome = 'ok')",
    )[0][0]
    assert stopped.count == failed_runs >= 1 and stopped.severity == Severity.HIGH
    assert "授权" in stopped.why
    assert rig.engine(rig.client(refreshing=True)).run_once().outcome == "ok"  # authorised again
    alerts.evaluate(later + 60)
    assert "sync_stopped" not in _by_key(later + 60)
