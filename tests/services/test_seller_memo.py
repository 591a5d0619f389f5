"""商家备注 and flag: local change, outbox op and audit in one transaction; older unsent ops coalesce."""

from __future__ import annotations

import json

import pytest

from pdd_desktop.data.db import database
from pdd_desktop.domain.errors import NotAllowed, ValidationError
from pdd_desktop.services import orders as svc
from tests.helpers.db import q


@pytest.fixture
def order(demo_shop):
    (oid, sn, pending), *_ = q(
        'SELECT id, order_sn, pending_ops FROM "order" WHERE status = 1 ORDER BY id LIMIT 1'
    )
    return oid, sn, pending


def memo_ops(sn):
    return q(
        "SELECT state, payload_json, base_json FROM outbox "
        "WHERE op_type = 'set_memo' AND entity_remote_id = ? ORDER BY id",
        sn,
    )


def test_memo_and_flag_change_the_order_and_queue_one_op(order):
    oid, sn, pending = order
    (old_memo, old_flag), *_ = q('SELECT seller_memo, flag FROM "order" WHERE id = ?', oid)
    changes = svc.set_seller_memo(order_id=oid, memo=" 先发顺丰 ", flag=1)
    assert changes.orders
    assert q('SELECT seller_memo, flag, flag_name, pending_ops FROM "order" WHERE id = ?', oid) == [
        ("先发顺丰", 1, "红旗", pending + 1)
    ]
    ((state, payload, base),) = memo_ops(sn)
    assert state == "pending"
    assert json.loads(payload) == {"note": "先发顺丰", "tag": 1, "tag_name": "红旗"}
    assert json.loads(base) == {"note": old_memo, "tag": old_flag}
    audit = q("SELECT action, detail_json FROM audit_log WHERE order_id = ? AND action = 'set_memo'", oid)
    assert len(audit) == 1 and json.loads(audit[0][1]) == {"note": "先发顺丰", "flag": "红旗"}


def test_a_newer_memo_replaces_an_unsent_one(order):
    oid, sn, pending = order
    svc.set_seller_memo(order_id=oid, memo="a", flag=None)
    svc.set_seller_memo(order_id=oid, memo="b", flag=3)
    states = [(s, json.loads(p)["note"]) for s, p, _b in memo_ops(sn)]
    assert states == [("cancelled", "a"), ("pending", "b")]
    # The base stays what the platform has (the value before "a"), not the unsent "a".
    assert json.loads(memo_ops(sn)[1][2]) == json.loads(memo_ops(sn)[0][2])
    assert q('SELECT pending_ops FROM "order" WHERE id = ?', oid)[0][0] == pending + 1
    # An op already tried is never cancelled behind the platform's back.
    database.execute_sql(
        "UPDATE outbox SET attempts = 1, state = 'unknown' WHERE op_type = 'set_memo' AND state = 'pending'"
    )
    svc.set_seller_memo(order_id=oid, memo="c", flag=None)
    assert [s for s, _p, _b in memo_ops(sn)] == ["cancelled", "unknown", "pending"]


def test_unchanged_memo_writes_nothing(order):
    oid, _sn, _pending = order
    svc.set_seller_memo(order_id=oid, memo="x", flag=2)
    before = q("SELECT COUNT(*) FROM outbox")[0][0], q("SELECT COUNT(*) FROM audit_log")[0][0]
    assert not svc.set_seller_memo(order_id=oid, memo="x", flag=2).orders
    assert (q("SELECT COUNT(*) FROM outbox")[0][0], q("SELECT COUNT(*) FROM audit_log")[0][0]) == before


def test_bad_input_changes_nothing(order):
    oid, sn, _pending = order
    before = q('SELECT seller_memo, flag FROM "order" WHERE id = ?', oid)
    with pytest.raises(ValidationError, match="商家备注"):
        svc.set_seller_memo(order_id=oid, memo="长" * 301, flag=None)
    with pytest.raises(ValidationError, match="旗帜"):
        svc.set_seller_memo(order_id=oid, memo="x", flag=9)
    with pytest.raises(NotAllowed):
        svc.set_seller_memo(order_id=10**9, memo="x", flag=None)
    assert q('SELECT seller_memo, flag FROM "order" WHERE id = ?', oid) == before and memo_ops(sn) == []
