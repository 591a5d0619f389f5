"""Push: the outbox worker against the sandbox: exactly once, reconcile, back-off, conflicts."""

from __future__ import annotations

import itertools
import random

import pytest

from pdd_desktop.domain.catalogue import COURIERS, tracking_number
from pdd_desktop.services import orders as order_service
from pdd_desktop.services import shipping, sync
from tests.helpers.db import raw_rows

SHIP = "pdd.logistics.online.send"
ZTO = next(c for c in COURIERS if c.id == 115)
_serial = itertools.count(9_000_000 + random.Random().randrange(1000) * 1000)


def new_number() -> str:
    return tracking_number(ZTO, next(_serial), salt=12345)


def to_ship(rig, n=1):
    """Orders that are 待发货 without after-sales on both sides."""
    remote = {
        r[0]
        for r in rig.shop.query(
            'SELECT order_sn FROM "order" WHERE status = 1 AND refund_status = 1 AND risk_control_status = 0'
        )
    }
    rows = raw_rows(
        rig.db, 'SELECT id, order_sn FROM "order" WHERE status = 1 AND refund_status = 1 ORDER BY id DESC'
    )
    out = [(oid, sn) for oid, sn in rows if sn in remote][:n]
    assert len(out) == n
    return out


def op_states(rig, sn):
    return [
        r[0]
        for r in raw_rows(rig.db, "SELECT state FROM outbox WHERE entity_remote_id = ? ORDER BY id", (sn,))
    ]


def pending_ops(rig, sn):
    return raw_rows(rig.db, 'SELECT pending_ops FROM "order" WHERE order_sn = ?', (sn,))[0][0]


def test_ship_push_applies_once(rig):
    ((oid, sn),) = to_ship(rig)
    number = new_number()
    shipping.ship_order(order_id=oid, courier_id=115, tracking_number=number)
    assert sync.sync_summary().pending == 1
    engine = rig.engine()
    report = engine.run_once()
    assert report.outcome == "ok", report.message
    assert report.push.succeeded == 1
    assert rig.shop.effects(SHIP, order_sn=sn) == 1
    assert op_states(rig, sn) == ["succeeded"]
    assert pending_ops(rig, sn) == 0
    assert engine.run_once().push.sent == 0
    assert rig.shop.effects(SHIP, order_sn=sn) == 1
    # the pull kept one live package with that number
    assert raw_rows(
        rig.db,
        'SELECT COUNT(*) FROM package p JOIN package_order po ON po.package_id = p.id JOIN "order" o '
        "ON o.id = po.order_id WHERE o.order_sn = ? AND p.voided_at IS NULL",
        (sn,),
    ) == [(1,)]


def test_modify_extra_memo_and_no_logistics(rig):
    (oid, sn), (oid2, sn2) = to_ship(rig, 2)
    shipping.ship_order(order_id=oid, courier_id=115, tracking_number=new_number())
    engine = rig.engine()
    assert engine.run_once().push.succeeded == 1
    pkg = shipping.live_packages(oid)[0]
    number2 = new_number()
    shipping.modify_shipment(
        order_id=oid, package_id=pkg.id, courier_id=115, tracking_number=number2, reason="换单"
    )
    shipping.add_extra_package(order_id=oid, courier_id=115, tracking_number=new_number(), kind="extra")
    order_service.set_seller_memo(order_id=oid, memo="送小礼物", flag=2)
    shipping.ship_without_logistics(order_ids=[oid2])
    report = engine.run_once()
    assert report.outcome == "ok", report.message
    assert op_states(rig, sn) == ["succeeded"] * 4
    assert pending_ops(rig, sn) == 0
    assert rig.shop.effects(SHIP, order_sn=sn, tracking_number=number2) == 1
    assert rig.shop.effects("pdd.order.upload.extra.logistics", order_sn=sn) == 1
    assert rig.shop.effects("pdd.order.note.update", order_sn=sn) == 1
    assert rig.shop.query('SELECT seller_memo, flag FROM "order" WHERE order_sn = ?', (sn,)) == [
        ("送小礼物", 2)
    ]
    # no platform API for 无物流发货: needs attention with a clear message, never sent
    assert op_states(rig, sn2) == ["failed_permanent"]
    assert "无物流" in sync.list_outbox()[0].last_error
    assert sync.sync_summary().needs_attention == 1
    assert rig.shop.effects(SHIP, order_sn=sn2) == 0
    sync.discard_op(op_id=sync.list_outbox()[0].op_id)
    assert pending_ops(rig, sn2) == 0
    assert sync.sync_summary().needs_attention == 0
    assert engine.run_once().push.sent == 0


def test_apply_then_timeout_reconciles_without_resending(rig):
    ((oid, sn),) = to_ship(rig)
    shipping.ship_order(order_id=oid, courier_id=115, tracking_number=new_number())
    engine = rig.engine(rig.client(timeout_s=0.3, max_retries=0))
    rig.shop.faults.set(apply_then_timeout_s=0.8, apply_then_timeout_next=1)
    first = engine.push()
    assert first.sent == 1 and first.succeeded == 0
    assert op_states(rig, sn) == ["unknown"]
    assert rig.shop.effects(SHIP, order_sn=sn) == 1
    second = engine.push()
    assert second.sent == 0 and second.succeeded == 1
    assert op_states(rig, sn) == ["succeeded"]
    assert rig.shop.effects(SHIP, order_sn=sn) == 1
    assert pending_ops(rig, sn) == 0


def test_connection_refused_backs_off_then_succeeds(rig):
    ((oid, sn),) = to_ship(rig)
    shipping.ship_order(order_id=oid, courier_id=115, tracking_number=new_number())
    now = [1000.0]
    port_url = rig.url
    client = rig.client(timeout_s=0.3, max_retries=0)  # offset known (as if calibrated before)
    rig.server.stop()
    engine = rig.engine(client, monotonic=lambda: now[0])
    engine._calibrated = True
    caps = []
    for _ in range(12):
        report = engine.push()
        assert report.error and report.succeeded == 0
        now[0] += 10_000  # past any back-off
        caps.append(engine.pusher._due.get(sync.list_outbox()[0].op_id, 0) - now[0] + 10_000)
    attempts = raw_rows(rig.db, "SELECT attempts, state FROM outbox")[0]
    assert attempts == (12, "pending")
    assert max(caps) <= 600.0
    assert sync.sync_summary().needs_attention == 1  # ≥ 8 attempts: flagged, kept
    assert sync.sync_summary().pending == 1
    rig.server.port = int(port_url.rsplit(":", 1)[1].split("/")[0])
    rig.server.start()
    report = engine.push()
    assert report.succeeded == 1, report
    assert rig.shop.effects(SHIP, order_sn=sn) == 1


def test_5xx_on_send_is_unknown_then_reconciled(rig):
    ((oid, sn),) = to_ship(rig)
    shipping.ship_order(order_id=oid, courier_id=115, tracking_number=new_number())
    engine = rig.engine(rig.client(max_retries=0))
    engine.pull("couriers")
    rig.shop.faults.set(error_next=1)
    engine.push()
    assert op_states(rig, sn) == ["unknown"]
    assert rig.shop.effects(SHIP, order_sn=sn) == 0
    engine.push()  # reconcile: not applied → sent again
    assert op_states(rig, sn) == ["succeeded"]
    assert rig.shop.effects(SHIP, order_sn=sn) == 1


def test_rate_limited_push_waits_and_is_not_a_failure(rig):
    ((oid, sn),) = to_ship(rig)
    shipping.ship_order(order_id=oid, courier_id=115, tracking_number=new_number())
    now = [0.0]
    engine = rig.engine(rig.client(max_retries=0), monotonic=lambda: now[0])
    engine.pull("couriers")
    rig.shop.faults.set(rate_limit_next=1, retry_after_s=7)
    report = engine.push()
    assert report.error
    assert raw_rows(rig.db, "SELECT state, attempts FROM outbox") == [("pending", 0)]
    now[0] = 6.0
    assert engine.push().sent == 0  # queue paused
    now[0] = 7.5
    assert engine.push().succeeded == 1
    assert rig.shop.effects(SHIP, order_sn=sn) == 1


def test_business_error_is_failed_permanent_with_the_message(rig):
    ((oid, sn),) = to_ship(rig)
    shipping.ship_order(order_id=oid, courier_id=115, tracking_number=new_number())
    with rig.shop.tx() as c:  # the buyer opened a refund on the platform meanwhile
        c.execute('UPDATE "order" SET refund_status = 2 WHERE order_sn = ?', (sn,))
    engine = rig.engine()
    report = engine.push()
    assert report.failed == 1
    row = sync.list_outbox()[0]
    assert row.state == "failed_permanent" and "售后" in row.last_error
    assert pending_ops(rig, sn) == 1
    assert sync.sync_summary().needs_attention == 1


def test_already_shipped_with_same_number_is_success(rig):
    ((oid, sn),) = to_ship(rig)
    number = new_number()
    shipping.ship_order(order_id=oid, courier_id=115, tracking_number=number)
    engine = rig.engine()
    engine.client.ship(sn, 115, number)  # done elsewhere (e.g. the merchant backend) first
    report = engine.push()
    assert report.succeeded == 1
    assert rig.shop.effects(SHIP, order_sn=sn) == 1


@pytest.mark.parametrize("resolution", ["keep_local", "keep_remote"])
def test_memo_conflict_and_resolution(rig, resolution):
    ((oid, sn),) = to_ship(rig)
    order_service.set_seller_memo(order_id=oid, memo="本地备注", flag=1)
    engine = rig.engine()
    engine.client.update_note(sn, "平台上改的", 3)  # changed on the platform meanwhile
    report = engine.push()
    assert report.conflicts == 1
    assert op_states(rig, sn) == ["conflict"]
    assert raw_rows(rig.db, 'SELECT has_conflict, seller_memo FROM "order" WHERE order_sn = ?', (sn,)) == [
        (1, "本地备注")
    ]
    engine.run_once()  # a pull keeps the local memo while the op is open
    assert raw_rows(rig.db, 'SELECT seller_memo FROM "order" WHERE order_sn = ?', (sn,)) == [("本地备注",)]
    (c,) = sync.list_conflicts()
    assert c.entity_remote_id == sn and "平台上改的" in c.remote_value and "本地备注" in c.local_value
    sync.resolve_conflict(conflict_id=c.id, resolution=resolution)
    assert sync.list_conflicts() == []
    engine.run_once()
    remote = rig.shop.query('SELECT seller_memo, flag FROM "order" WHERE order_sn = ?', (sn,))[0]
    local = raw_rows(
        rig.db, 'SELECT seller_memo, flag, has_conflict, pending_ops FROM "order" WHERE order_sn = ?', (sn,)
    )[0]
    if resolution == "keep_local":
        assert remote == ("本地备注", 1)
        assert op_states(rig, sn) == ["succeeded"]
    else:
        assert remote == ("平台上改的", 3)
        assert op_states(rig, sn) == ["cancelled"]
    assert local == (*remote, 0, 0)
    assert rig.shop.effects("pdd.order.note.update", order_sn=sn) == (2 if resolution == "keep_local" else 1)


def test_per_entity_fifo_and_retry(rig):
    ((oid, sn),) = to_ship(rig)
    shipping.ship_order(order_id=oid, courier_id=115, tracking_number=new_number())
    order_service.set_seller_memo(order_id=oid, memo="稍后", flag=None)
    with rig.shop.tx() as c:
        c.execute('UPDATE "order" SET refund_status = 2 WHERE order_sn = ?', (sn,))
    engine = rig.engine()
    engine.push()
    assert op_states(rig, sn) == ["failed_permanent", "pending"]  # the memo waits behind the ship
    with rig.shop.tx() as c:
        c.execute('UPDATE "order" SET refund_status = 1 WHERE order_sn = ?', (sn,))
    sync.retry_op(op_id=sync.list_outbox(states=["failed_permanent"])[0].op_id)
    engine.push()
    assert op_states(rig, sn) == ["succeeded", "succeeded"]
    assert pending_ops(rig, sn) == 0
