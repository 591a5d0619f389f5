"""售后 decisions: 同意退款 / 同意退货 with their outbox ops, pushed to the sandbox once."""

from __future__ import annotations

import json
import random

import pytest

from pdd_desktop.data.db import database
from pdd_desktop.domain.errors import NotAllowed, ValidationError
from pdd_desktop.services import after_sales as svc
from pdd_desktop.services import sync
from tests.helpers.db import db_state, q, raw_rows
from tests.helpers.sync_rig import assert_ops_applied_once
from tests.sandbox import NOW0

REFUND_API = "pdd.refund.agree"
RETURN_API = "pdd.refund.returngoods.agree"
RETURN_ADDRESS = 2  #: the demo shop's return address (no platform id: its local id)
TABLES = ("after_sale", "after_sale_event", '"order"', "outbox", "audit_log")


def snapshot() -> tuple:
    return db_state(
        TABLES,
        "SELECT id, status, expire_at FROM after_sale ORDER BY id",
        'SELECT id, refund_status, after_sales_status FROM "order" ORDER BY id',
    )


@pytest.fixture
def shop(sandbox_demo_shop):
    return sandbox_demo_shop


def local_case(case_type: int, status: int) -> tuple[int, int, str]:
    """A new local case on an order without after-sales: (case id, order id, order_sn)."""
    ((oid, sn),) = q(
        'SELECT id, order_sn FROM "order" WHERE refund_status = 1 AND status = 3 ORDER BY id LIMIT 1'
    )
    cid = q("SELECT MAX(id) FROM after_sale")[0][0] + 101
    database.execute_sql(
        "INSERT INTO after_sale (id, order_id, type, status, reason, buyer_remark, refund_amount_fen, "
        "quantity, return_tracking_number, return_shipping_name, created_at, expire_at) "
        "VALUES (?, ?, ?, ?, '不想要了', '', 990, 1, '', '', ?, ?)",
        (cid, oid, case_type, status, NOW0 - 60, NOW0 + 86400),
    )
    database.execute_sql(
        'UPDATE "order" SET refund_status = 2, after_sales_status = ? WHERE id = ?', (status, oid)
    )
    return cid, oid, sn


# ---------------------------------------------------------------------------------- local


def test_agree_refund_moves_the_case_and_queues_one_op(shop):
    cid, oid, sn = local_case(1, 2)
    changes = svc.agree_refund(after_sale_id=cid, note=" 已核实 ")
    assert changes.after_sales and changes.orders
    assert q("SELECT status, expire_at FROM after_sale WHERE id = ?", cid) == [(4, None)]
    assert q('SELECT refund_status, after_sales_status FROM "order" WHERE id = ?', oid) == [(3, 4)]
    assert q(
        "SELECT actor, action, status_after, note FROM after_sale_event WHERE after_sale_id = ?", cid
    ) == [("seller", "同意退款", 4, "已核实")]
    ((op_type, entity, remote_id, state, payload, base),) = q(
        "SELECT op_type, entity_type, entity_remote_id, state, payload_json, base_json FROM outbox"
    )
    assert (op_type, entity, remote_id, state) == ("refund_agree", "after_sale", str(cid), "pending")
    assert json.loads(payload) == {"after_sales_id": cid, "order_sn": sn, "operate_desc": "已核实"}
    assert json.loads(base) == {"status": 2}
    ((action, order_id, detail),) = q(
        "SELECT action, order_id, detail_json FROM audit_log WHERE entity_id = ?", str(cid)
    )
    assert (action, order_id) == ("refund_agree", oid)
    assert json.loads(detail)["to"] == "商家同意退款，退款中"
    # a second decision is refused: the case already waits for the money
    before = snapshot()
    with pytest.raises(NotAllowed, match="已同意退款"):
        svc.agree_refund(after_sale_id=cid)
    assert snapshot() == before


def test_agree_return_moves_the_case_and_queues_one_op(shop):
    cid, oid, sn = local_case(2, 3)
    assert svc.agree_return(after_sale_id=cid, return_address_id=RETURN_ADDRESS).after_sales
    assert q("SELECT status FROM after_sale WHERE id = ?", cid) == [(7,)]
    assert q('SELECT refund_status, after_sales_status FROM "order" WHERE id = ?', oid) == [(2, 7)]
    ((op_type, payload, base),) = q("SELECT op_type, payload_json, base_json FROM outbox")
    assert op_type == "return_goods_agree"
    assert json.loads(payload) == {
        "after_sales_id": cid,
        "order_sn": sn,
        "operate_desc": "",
        "return_address_id": RETURN_ADDRESS,
    }
    assert json.loads(base) == {"status": 3}
    assert q("SELECT action FROM audit_log WHERE entity_id = ?", str(cid)) == [("return_goods_agree",)]


@pytest.mark.parametrize(
    ("case_type", "status", "call", "text"),
    [
        (2, 3, "refund", "退货退款，待商家处理」，不能同意退款：退货退款需先同意退货"),
        (2, 7, "refund", "待用户发货」，不能同意退款：正在等买家寄回商品"),
        (1, 10, "refund", "「退款成功」，不能同意退款"),
        (1, 11, "refund", "「买家撤销」，不能同意退款"),
        (1, 2, "return", "仅退款，订单"),
        (1, 2, "return", "这是仅退款申请"),
        (2, 27, "return", "买家已寄回商品，请用「同意退款」"),
        (2, 10, "return", "「退款成功」，不能同意退货"),
    ],
)
def test_decisions_refused_by_status_write_nothing(shop, case_type, status, call, text):
    cid, _oid, _sn = local_case(case_type, status)
    before = snapshot()
    with pytest.raises(NotAllowed) as err:
        if call == "refund":
            svc.agree_refund(after_sale_id=cid)
        else:
            svc.agree_return(after_sale_id=cid, return_address_id=RETURN_ADDRESS)
    assert text in str(err.value) and str(cid) in str(err.value)
    assert snapshot() == before


def test_bad_input_writes_nothing(shop):
    cid, _oid, _sn = local_case(2, 3)
    before = snapshot()
    with pytest.raises(ValidationError, match="处理说明"):
        svc.agree_refund(after_sale_id=cid, note="长" * 201)
    for address in (0, True, "2", 1, 999):  # 1 is the sender address, not a return address
        with pytest.raises(ValidationError, match="退货地址"):
            svc.agree_return(after_sale_id=cid, return_address_id=address)
    with pytest.raises(NotAllowed, match="售后单不存在"):
        svc.agree_refund(after_sale_id=1)
    assert snapshot() == before


def test_open_decision_blocks_another(shop):
    cid, _oid, _sn = local_case(2, 27)
    svc.agree_refund(after_sale_id=cid)
    # the pull brought the case back to 27 (say) while the op still waits: no second refund op
    database.execute_sql("UPDATE after_sale SET status = 27 WHERE id = ?", (cid,))
    before = snapshot()
    with pytest.raises(NotAllowed, match="尚未上传完成"):
        svc.agree_refund(after_sale_id=cid)
    assert snapshot() == before


# ---------------------------------------------------------------------------------- against the sandbox


def remote_case(rig, cid):
    return rig.shop.query("SELECT status FROM after_sale WHERE id = ?", (cid,))[0][0]


def case_and_order(db_or_rig, cid, *, remote=False):
    sql = (
        'SELECT a.status, o.refund_status, o.after_sales_status FROM after_sale a JOIN "order" o '
        "ON o.id = a.order_id WHERE a.id = ?"
    )
    return db_or_rig.shop.query(sql, (cid,))[0] if remote else raw_rows(db_or_rig.db, sql, (cid,))[0]


def open_remote_case(rig, case_type: int, status: int) -> tuple[int, str]:
    """A buyer opens a case on the platform (10 minutes ago, so the next pull sees it)."""
    order_status = 1 if status == 2 else 3
    remote = {
        r[0]
        for r in rig.shop.query(
            'SELECT order_sn FROM "order" WHERE status = ? AND refund_status = 1', (order_status,)
        )
    }
    sn = next(
        sn
        for (sn,) in raw_rows(
            rig.db,
            'SELECT order_sn FROM "order" WHERE status = ? AND refund_status = 1 ORDER BY id DESC',
            (order_status,),
        )
        if sn in remote
    )
    with rig.shop.tx() as c:
        ((oid, pay),) = c.execute(
            'SELECT id, pay_amount_fen FROM "order" WHERE order_sn = ?', (sn,)
        ).fetchall()
        t = rig.shop.platform_now() - 600
        cid = rig.shop.sim._open_case(c, t, oid, case_type, status, pay, "不想要了", random.Random(1))
    return cid, sn


def later(rig, engine, seconds: int = 300) -> None:
    """Platform time moves on (past the pull's settle lag); the client follows the platform clock."""
    rig.shop.faults.set(clock_offset_s=rig.shop.faults.clock_offset_s + seconds)
    engine.client.offset_s += seconds


def states(rig, cid):
    return [
        r[0]
        for r in raw_rows(
            rig.db, "SELECT state FROM outbox WHERE entity_remote_id = ? ORDER BY id", (str(cid),)
        )
    ]


def test_refund_decision_reaches_the_platform_once(rig):
    cid, _sn = open_remote_case(rig, 1, 2)
    engine = rig.engine()
    assert engine.run_once().outcome == "ok"
    assert raw_rows(rig.db, "SELECT status FROM after_sale WHERE id = ?", (cid,)) == [(2,)]
    svc.agree_refund(after_sale_id=cid, note="同意")
    report = engine.push()
    assert (report.sent, report.succeeded) == (1, 1), report
    assert rig.shop.effects(REFUND_API, entity=cid) == 1
    assert remote_case(rig, cid) == 4
    assert engine.push().sent == 0
    # the money goes back on the platform; a pull brings the platform's state here
    with rig.shop.tx() as c:
        rig.shop.set_case_status(c, cid, 10, rig.shop.platform_now(), actor="system", action="退款成功")
    later(rig, engine)
    assert engine.run_once().outcome == "ok"
    assert case_and_order(rig, cid) == case_and_order(rig, cid, remote=True) == (10, 4, 10)
    assert rig.shop.effects(REFUND_API, entity=cid) == 1
    assert_ops_applied_once(rig, actions=[("refund_agree", str(cid))])


def test_return_then_refund_after_the_goods_came_back(rig):
    cid, _sn = open_remote_case(rig, 2, 3)
    engine = rig.engine()
    assert engine.run_once().outcome == "ok"
    svc.agree_return(after_sale_id=cid, return_address_id=RETURN_ADDRESS, note="请寄回")
    assert engine.push().succeeded == 1
    assert rig.shop.effects(RETURN_API, entity=cid) == 1
    assert remote_case(rig, cid) == 7
    with rig.shop.tx() as c:  # the buyer sends the goods back
        rig.shop.set_case_status(c, cid, 27, rig.shop.platform_now(), actor="buyer", action="填写退货物流")
    later(rig, engine)
    assert engine.run_once().outcome == "ok"
    assert case_and_order(rig, cid) == case_and_order(rig, cid, remote=True)
    assert case_and_order(rig, cid)[0] == 27
    svc.agree_refund(after_sale_id=cid)
    assert engine.push().succeeded == 1
    later(rig, engine)
    assert engine.run_once().outcome == "ok"
    assert case_and_order(rig, cid) == case_and_order(rig, cid, remote=True) == (4, 3, 4)
    assert rig.shop.effects(RETURN_API, entity=cid) == 1
    assert rig.shop.effects(REFUND_API, entity=cid) == 1
    assert states(rig, cid) == ["succeeded", "succeeded"]
    assert_ops_applied_once(rig, actions=[("return_goods_agree", str(cid)), ("refund_agree", str(cid))])


@pytest.mark.parametrize("kind", ["refund", "return"])
def test_apply_then_timeout_reconciles_without_resending(rig, kind):
    cid, _sn = open_remote_case(rig, 1 if kind == "refund" else 2, 2 if kind == "refund" else 3)
    engine = rig.engine(rig.client(timeout_s=0.3, max_retries=0))
    assert engine.run_once().outcome == "ok"
    if kind == "refund":
        svc.agree_refund(after_sale_id=cid)
        api = REFUND_API
    else:
        svc.agree_return(after_sale_id=cid, return_address_id=RETURN_ADDRESS)
        api = RETURN_API
    rig.shop.faults.set(apply_then_timeout_s=0.8, apply_then_timeout_next=1)
    first = engine.push()
    assert first.sent == 1 and first.succeeded == 0
    assert states(rig, cid) == ["unknown"]
    assert rig.shop.effects(api, entity=cid) == 1
    second = engine.push()
    assert second.sent == 0 and second.succeeded == 1
    assert states(rig, cid) == ["succeeded"]
    assert rig.shop.effects(api, entity=cid) == 1
    assert engine.push().sent == 0


def test_buyer_cancelled_meanwhile_fails_and_the_pull_shows_it(rig):
    cid, _sn = open_remote_case(rig, 1, 2)
    engine = rig.engine()
    assert engine.run_once().outcome == "ok"
    svc.agree_refund(after_sale_id=cid)
    with rig.shop.tx() as c:
        rig.shop.set_case_status(c, cid, 11, rig.shop.platform_now(), actor="buyer", action="撤销申请")
    report = engine.push()
    assert report.failed == 1
    assert states(rig, cid) == ["failed_permanent"]
    assert rig.shop.effects(REFUND_API, entity=cid) == 0
    later(rig, engine)
    engine.run_once()
    assert case_and_order(rig, cid) == case_and_order(rig, cid, remote=True)
    assert case_and_order(rig, cid)[0] == 11
    assert sync.sync_summary().needs_attention == 1


def test_a_refused_decision_shows_the_platform_case_again(rig):
    from pdd_desktop.platform.errors import BusinessError

    cid, _sn = open_remote_case(rig, 1, 2)
    engine = rig.engine()
    assert engine.run_once().outcome == "ok"
    svc.agree_refund(after_sale_id=cid)
    assert case_and_order(rig, cid)[0] == 4  # shown at once

    def refuse(*_a, **_k):
        raise BusinessError("退款金额与订单不符", code=50001)

    engine.client.refund_agree = refuse
    report = engine.push()
    assert report.failed == 1 and states(rig, cid) == ["failed_permanent"]
    # The platform did not take it and the case did not change there: the local case is the
    # platform's again, without waiting for the platform to change it.
    assert case_and_order(rig, cid) == case_and_order(rig, cid, remote=True)
    assert case_and_order(rig, cid)[0] == 2
    assert rig.shop.effects(REFUND_API, entity=cid) == 0
