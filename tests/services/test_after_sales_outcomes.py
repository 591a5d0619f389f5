"""售后 outcomes beyond agree: confirm a returned parcel (restock / loss, then refund) and a
rejection recorded locally (no platform API), each one transaction, pushed to the sandbox once."""

from __future__ import annotations

import json

import pytest

from pdd_desktop.data.db import database
from pdd_desktop.domain.errors import NotAllowed, ValidationError
from pdd_desktop.services import after_sales as svc
from pdd_desktop.services import goods as goods_svc
from tests.helpers.db import db_state, q, raw_rows
from tests.helpers.sync_rig import assert_ops_applied_once
from tests.sandbox import NOW0
from tests.services.test_after_sales_ops import (
    REFUND_API,
    RETURN_ADDRESS,
    RETURN_API,
    case_and_order,
    later,
    open_remote_case,
    remote_case,
)

TABLES = ("after_sale", "after_sale_event", '"order"', "outbox", "audit_log", "sku", "stock_movement")
STOCK_API = "pdd.goods.quantity.update"


def snapshot() -> tuple:
    return db_state(TABLES, "SELECT sku_id, stock FROM sku ORDER BY sku_id")


@pytest.fixture
def shop(sandbox_demo_shop):
    return sandbox_demo_shop


def returned_case(quantity: int = 2, status: int = 27, case_type: int = 2) -> tuple[int, int, int]:
    """A local 退货退款 case on a signed order's first line: (case id, order id, sku id)."""
    ((oid, sku_id, goods_id),) = q(
        'SELECT o.id, i.sku_id, i.goods_id FROM "order" o JOIN order_item i ON i.order_id = o.id '
        "JOIN sku s ON s.sku_id = i.sku_id WHERE o.refund_status = 1 AND o.status = 3 "
        "ORDER BY o.id, i.id LIMIT 1"
    )
    cid = q("SELECT MAX(id) FROM after_sale")[0][0] + 101
    database.execute_sql(
        "INSERT INTO after_sale (id, order_id, type, status, reason, buyer_remark, refund_amount_fen, "
        "goods_id, sku_id, quantity, return_tracking_number, return_shipping_name, created_at, expire_at) "
        "VALUES (?, ?, ?, ?, '质量问题', '', 1990, ?, ?, ?, 'YT0001', '圆通快递', ?, NULL)",
        (cid, oid, case_type, status, goods_id, sku_id, quantity, NOW0 - 600),
    )
    database.execute_sql(
        'UPDATE "order" SET refund_status = 2, after_sales_status = ? WHERE id = ?', (status, oid)
    )
    return cid, oid, sku_id


# ------------------------------------------------------------------ confirm the returned parcel


def test_confirm_received_restocks_good_units_logs_damaged_and_refunds(shop):
    cid, oid, sku = returned_case(quantity=3)
    ((stock,),) = q("SELECT stock FROM sku WHERE sku_id = ?", sku)
    changes = svc.confirm_return_received(
        after_sale_id=cid, good_quantity=2, damaged_quantity=1, note="外盒压坏一件"
    )
    assert changes.after_sales and changes.orders and changes.goods
    assert q("SELECT stock FROM sku WHERE sku_id = ?", sku) == [(stock + 2,)]
    moves = q(
        "SELECT kind, delta, stock_after, order_id, after_sale_id FROM stock_movement "
        "WHERE after_sale_id = ? ORDER BY id",
        cid,
    )
    assert moves == [("return", 2, stock + 2, oid, cid), ("loss", 0, stock + 2, oid, cid)]
    ((loss_note,),) = q("SELECT note FROM stock_movement WHERE kind = 'loss' AND after_sale_id = ?", cid)
    assert "损坏 1 件" in loss_note and "外盒压坏一件" in loss_note
    assert q("SELECT status FROM after_sale WHERE id = ?", cid) == [(4,)]
    assert q('SELECT refund_status, after_sales_status FROM "order" WHERE id = ?', oid) == [(3, 4)]
    ops = q("SELECT op_type, entity_type, entity_remote_id, payload_json, base_json FROM outbox ORDER BY id")
    assert [(o[0], o[1], o[2]) for o in ops] == [
        ("set_stock", "sku", str(sku)),
        ("refund_agree", "after_sale", str(cid)),
    ]
    assert json.loads(ops[0][3])["quantity"] == stock + 2 and json.loads(ops[0][4]) == {"quantity": stock}
    assert json.loads(ops[1][4]) == {"status": 27}
    ((action, note, after),) = q(
        "SELECT action, note, status_after FROM after_sale_event WHERE after_sale_id = ?", cid
    )
    assert (action, after) == ("确认收到退货并同意退款", 4)
    assert "完好 2 件入库" in note and "损坏 1 件报损" in note
    ((detail,),) = q("SELECT detail_json FROM audit_log WHERE entity_id = ?", str(cid))
    received = json.loads(detail)["received"]
    assert (received["good"], received["damaged"], received["stock_after"]) == (2, 1, stock + 2)
    # the goods page's movement log names both
    kinds = [m.kind_label for m in goods_svc.stock_movements(sku_id=sku, limit=5)]
    assert "报损" in kinds and "退货" in kinds


def test_all_damaged_keeps_the_stock(shop):
    cid, _oid, sku = returned_case(quantity=1)
    ((stock,),) = q("SELECT stock FROM sku WHERE sku_id = ?", sku)
    svc.confirm_return_received(after_sale_id=cid, good_quantity=0, damaged_quantity=1)
    assert q("SELECT stock FROM sku WHERE sku_id = ?", sku) == [(stock,)]
    assert q("SELECT kind, delta FROM stock_movement WHERE after_sale_id = ?", cid) == [("loss", 0)]
    assert q("SELECT op_type FROM outbox") == [("refund_agree",)]


@pytest.mark.parametrize(
    ("good", "damaged", "status", "error", "text"),
    [
        (1, 0, 27, ValidationError, "应等于退货数量 2 件"),
        (2, 1, 27, ValidationError, "应等于退货数量 2 件"),
        (-1, 3, 27, ValidationError, "完好件数"),
        (True, 1, 27, ValidationError, "完好件数"),
        (2, 0, 7, NotAllowed, "买家还没有寄回商品"),
        (2, 0, 3, NotAllowed, "请先同意退货"),
        (2, 0, 10, NotAllowed, "已退款成功"),
    ],
)
def test_confirm_received_refused_writes_nothing(shop, good, damaged, status, error, text):
    cid, _oid, _sku = returned_case(quantity=2, status=status)
    before = snapshot()
    with pytest.raises(error, match=text):
        svc.confirm_return_received(after_sale_id=cid, good_quantity=good, damaged_quantity=damaged)
    assert snapshot() == before


def test_confirm_received_on_an_unknown_sku_writes_nothing(shop):
    cid, _oid, _sku = returned_case(quantity=1)
    database.execute_sql("UPDATE after_sale SET sku_id = 123456789 WHERE id = ?", (cid,))
    before = snapshot()
    with pytest.raises(NotAllowed, match="规格不存在"):
        svc.confirm_return_received(after_sale_id=cid, good_quantity=1, damaged_quantity=0)
    assert snapshot() == before


def test_detail_enables_confirm_only_for_a_return_sent_back(shop):
    cid, _oid, _sku = returned_case(quantity=1)
    detail = svc.case_detail(cid)
    assert detail.received_block is None
    svc.confirm_return_received(after_sale_id=cid, good_quantity=1, damaged_quantity=0)
    assert "无需重复操作" in svc.case_detail(cid).received_block


# ------------------------------------------------------------------ reject (recorded, no API)


def test_reject_is_recorded_and_tracked_until_the_platform_moves(shop):
    cid, _oid, _sku = returned_case(quantity=1, status=3)
    outbox_before = q("SELECT COUNT(*) FROM outbox")
    changes = svc.record_platform_reject(
        after_sale_id=cid, reason=" 买家提供的凭证不足 ", evidence="发货前拍照视频已保存"
    )
    assert changes.after_sales
    assert q("SELECT COUNT(*) FROM outbox") == outbox_before  # nothing to upload: no API
    assert q("SELECT status FROM after_sale WHERE id = ?", cid) == [(3,)]
    ((actor, action, after, note),) = q(
        "SELECT actor, action, status_after, note FROM after_sale_event WHERE after_sale_id = ?", cid
    )
    assert (actor, action, after) == ("seller", svc.REJECT_ACTION, 3)
    assert note == "原因：买家提供的凭证不足\n凭证：发货前拍照视频已保存"
    assert q("SELECT action FROM audit_log WHERE entity_id = ?", str(cid)) == [
        ("after_sale_reject_recorded",)
    ]
    row = next(r for r in svc.list_cases(tab="all").rows if r.id == cid)
    assert row.reject_pending
    detail = svc.case_detail(cid)
    assert detail.row.reject_pending and "正在等平台处理" in detail.reject_block
    assert any(s.action == svc.REJECT_ACTION and "凭证不足" in s.note for s in detail.steps)
    # a pull brings the platform's answer (驳回退款，待买家处理): tracking ends
    database.execute_sql("UPDATE after_sale SET status = 6 WHERE id = ?", (cid,))
    row = next(r for r in svc.list_cases(tab="all").rows if r.id == cid)
    assert not row.reject_pending and row.status_label == "驳回退款，待买家处理"


@pytest.mark.parametrize(
    ("status", "reason", "evidence", "error", "text"),
    [
        (3, "  ", "", ValidationError, "请填写拒绝原因"),
        (3, "x" * 101, "", ValidationError, "不能超过 100 个字"),
        (3, "原因", "y" * 501, ValidationError, "不能超过 500 个字"),
        (10, "原因", "", NotAllowed, "不需要也不能拒绝"),
        (7, "原因", "", NotAllowed, "「已同意退货退款，待用户发货」"),
    ],
)
def test_reject_bad_input_writes_nothing(shop, status, reason, evidence, error, text):
    cid, _oid, _sku = returned_case(quantity=1, status=status)
    before = snapshot()
    with pytest.raises(error, match=text):
        svc.record_platform_reject(after_sale_id=cid, reason=reason, evidence=evidence)
    assert snapshot() == before


# ------------------------------------------------------------------ the sandbox plays it out


def test_return_received_and_refunded_on_the_platform_once(rig):
    cid, _sn = open_remote_case(rig, 2, 3)
    engine = rig.engine()
    assert engine.run_once().outcome == "ok"
    ((sku, qty),) = raw_rows(rig.db, "SELECT sku_id, quantity FROM after_sale WHERE id = ?", (cid,))
    svc.agree_return(after_sale_id=cid, return_address_id=RETURN_ADDRESS, note="请寄回")
    assert engine.push().succeeded == 1
    assert remote_case(rig, cid) == 7
    # the buyer ships the return (the sandbox's own event: a courier and number on the case)
    with rig.shop.tx() as c:
        rig.shop.sim._ev_buyer_return(c, rig.shop.platform_now(), cid, None, __import__("random").Random(3))
    later(rig, engine)
    assert engine.run_once().outcome == "ok"
    assert case_and_order(rig, cid)[0] == 27
    assert raw_rows(rig.db, "SELECT return_tracking_number <> '' FROM after_sale WHERE id = ?", (cid,)) == [
        (1,)
    ]
    ((local_before,),) = raw_rows(rig.db, "SELECT stock FROM sku WHERE sku_id = ?", (sku,))
    ((remote_before,),) = rig.shop.query("SELECT stock FROM sku WHERE sku_id = ?", (sku,))
    assert local_before == remote_before
    svc.confirm_return_received(after_sale_id=cid, good_quantity=qty, damaged_quantity=0)
    report = engine.push()
    assert report.succeeded == 2, report
    assert rig.shop.effects(REFUND_API, entity=cid) == 1
    assert rig.shop.query("SELECT stock FROM sku WHERE sku_id = ?", (sku,)) == [(remote_before + qty,)]
    # the platform pays the money back and closes the case; a pull brings it here
    with rig.shop.tx() as c:
        rig.shop.sim._ev_refund_done(c, rig.shop.platform_now(), cid, None, None)
    later(rig, engine)
    assert engine.run_once().outcome == "ok"
    assert case_and_order(rig, cid) == case_and_order(rig, cid, remote=True)
    assert case_and_order(rig, cid)[0] == 10
    assert raw_rows(rig.db, "SELECT stock FROM sku WHERE sku_id = ?", (sku,)) == [(local_before + qty,)]
    assert engine.push().sent == 0
    assert rig.shop.effects(RETURN_API, entity=cid) == 1
    assert rig.shop.effects(REFUND_API, entity=cid) == 1
    assert_ops_applied_once(
        rig,
        actions=[
            ("return_goods_agree", str(cid)),
            ("refund_agree", str(cid)),
            ("set_stock", str(sku)),
        ],
    )


# ------------------------------------------------------------------ 换货 / 补寄: the merchant's parcel


def _courier_and_number(serial: int) -> tuple[int, str]:
    from pdd_desktop.domain.catalogue import COURIERS, tracking_number

    courier = COURIERS[0]
    return courier.id, tracking_number(courier, serial, 7)


def test_ship_exchange_stores_a_resend_parcel_and_queues_one_op(shop):
    cid, oid, _sku = returned_case(quantity=1, status=32, case_type=4)
    courier_id, number = _courier_and_number(424242)
    changes = svc.ship_exchange(
        after_sale_id=cid, courier_id=courier_id, tracking_number=f" {number.lower()} "
    )
    assert changes.after_sales and changes.orders
    ((pid, kind, pnumber, pcourier),) = q(
        "SELECT p.id, p.kind, p.tracking_number, p.courier_id FROM package p "
        "JOIN package_order l ON l.package_id = p.id WHERE l.order_id = ? AND p.kind = 'resend'",
        oid,
    )
    assert (kind, pnumber, pcourier) == ("resend", number, courier_id)
    assert q("SELECT status FROM after_sale WHERE id = ?", cid) == [(18,)]
    ((op_type, payload, base),) = q(
        "SELECT op_type, payload_json, base_json FROM outbox WHERE entity_type = 'after_sale' "
        "AND entity_remote_id = ?",
        str(cid),
    )
    p = json.loads(payload)
    assert op_type == "exchange_ship" and json.loads(base) == {"status": 32}
    assert (p["shipping_id"], p["tracking_number"], p["after_sales_id"]) == (courier_id, number, cid)
    ((detail,),) = q("SELECT detail_json FROM audit_log WHERE entity_id = ?", str(cid))
    assert json.loads(detail)["package_id"] == pid
    assert svc.case_detail(cid).exchange_block is not None
    # the same number cannot go out twice, on any case or order
    other, _o, _s = returned_case(quantity=1, status=14, case_type=3)
    before = snapshot()
    with pytest.raises(ValidationError, match="快递单号"):
        svc.ship_exchange(after_sale_id=other, courier_id=courier_id, tracking_number=number)
    assert snapshot() == before


@pytest.mark.parametrize(
    ("status", "courier", "number", "error", "text"),
    [
        (32, None, "abc", ValidationError, "快递单号"),
        (32, 999999, "YT1234567890123", ValidationError, "快递公司"),
        (18, None, None, NotAllowed, "等买家确认收货"),
        (3, None, None, NotAllowed, "只有待商家发货的换货、补寄"),
    ],
)
def test_ship_exchange_refused_writes_nothing(shop, status, courier, number, error, text):
    cid, _oid, _sku = returned_case(quantity=1, status=status, case_type=4)
    good_courier, good_number = _courier_and_number(515151)
    before = snapshot()
    with pytest.raises(error, match=text):
        svc.ship_exchange(
            after_sale_id=cid,
            courier_id=courier if courier is not None else good_courier,
            tracking_number=number if number is not None else good_number,
        )
    assert snapshot() == before


def test_ship_exchange_takes_the_units_off_the_shelf_and_pushes_the_stock(shop):
    cid, oid, sku = returned_case(quantity=2, status=14, case_type=3)
    ((stock,),) = q("SELECT stock FROM sku WHERE sku_id = ?", sku)
    ((goods_id,),) = q("SELECT goods_id FROM sku WHERE sku_id = ?", sku)
    courier_id, number = _courier_and_number(434343)
    changes = svc.ship_exchange(after_sale_id=cid, courier_id=courier_id, tracking_number=number)
    assert changes.goods and changes.after_sales
    assert q("SELECT stock FROM sku WHERE sku_id = ?", sku) == [(stock - 2,)]
    assert q(
        "SELECT kind, delta, stock_after, order_id, after_sale_id, note FROM stock_movement "
        "WHERE after_sale_id = ?",
        cid,
    ) == [("resend", -2, stock - 2, oid, cid, f"售后 {cid} 换货/补寄发出 2 件")]
    ops = q("SELECT op_type, entity_type, entity_remote_id, payload_json, base_json FROM outbox ORDER BY id")
    assert [(o[0], o[1], o[2]) for o in ops] == [
        ("set_stock", "sku", str(sku)),
        ("exchange_ship", "after_sale", str(cid)),
    ]
    assert json.loads(ops[0][3]) == {"goods_id": goods_id, "sku_id": sku, "quantity": stock - 2}
    assert json.loads(ops[0][4]) == {"quantity": stock}
    ((detail,),) = q("SELECT detail_json FROM audit_log WHERE entity_id = ?", str(cid))
    sent = json.loads(detail)["sent"]
    assert (sent["sku_id"], sent["quantity"], sent["stock_before"], sent["stock_after"]) == (
        sku,
        2,
        stock,
        stock - 2,
    )
    # the goods page's movement log shows it with its label, and its filter finds it
    (first, *_rest) = goods_svc.stock_movements(sku_id=sku, limit=5)
    assert (first.kind, first.kind_label, first.delta, first.after_sale_id) == (
        "resend",
        "换货/补寄发出",
        -2,
        cid,
    )
    only = goods_svc.stock_movements(sku_id=sku, kind="resend")
    assert [m.after_sale_id for m in only] == [cid]
    assert goods_svc.MOVEMENT_KIND_LABELS["resend"] == "换货/补寄发出"


def test_ship_exchange_after_a_pending_stock_edit_keeps_the_platform_base(shop):
    cid, _oid, sku = returned_case(quantity=1, status=32, case_type=4)
    ((stock,),) = q("SELECT stock FROM sku WHERE sku_id = ?", sku)
    goods_svc.set_sku_stock(sku_id=sku, quantity=stock + 5, seen=stock)
    courier_id, number = _courier_and_number(454545)
    svc.ship_exchange(after_sale_id=cid, courier_id=courier_id, tracking_number=number)
    assert q("SELECT stock FROM sku WHERE sku_id = ?", sku) == [(stock + 4,)]
    rows = q(
        "SELECT state, payload_json, base_json FROM outbox WHERE op_type = 'set_stock' "
        "AND entity_remote_id = ? ORDER BY id",
        str(sku),
    )
    # the never-sent edit is replaced; the platform still has what the edit saw
    assert [r[0] for r in rows] == ["cancelled", "pending"]
    assert json.loads(rows[1][1])["quantity"] == stock + 4 and json.loads(rows[1][2]) == {"quantity": stock}


@pytest.mark.parametrize(
    ("change", "text"),
    [
        (
            "UPDATE after_sale SET sku_id = 123456789 WHERE id = :cid",
            "不在本机商品库.*请先在「商品」页同步商品",
        ),
        ("UPDATE after_sale SET sku_id = NULL WHERE id = :cid", "没有商品规格，无法扣减库存"),
        ("UPDATE sku SET stock = 1 WHERE sku_id = :sku", "本机库存只有 1 件，不够发出换货/补寄 2 件"),
    ],
)
def test_ship_exchange_refused_for_the_stock_writes_nothing(shop, change, text):
    cid, _oid, sku = returned_case(quantity=2, status=14, case_type=3)
    database.execute_sql(change.replace(":cid", str(cid)).replace(":sku", str(sku)))
    courier_id, number = _courier_and_number(464646)
    before = (
        *snapshot(),
        q("SELECT COUNT(*) FROM package"),
        q("SELECT * FROM waybill_number WHERE tracking_number = ?", number),
    )
    with pytest.raises(NotAllowed, match=text):
        svc.ship_exchange(after_sale_id=cid, courier_id=courier_id, tracking_number=number)
    after = (
        *snapshot(),
        q("SELECT COUNT(*) FROM package"),
        q("SELECT * FROM waybill_number WHERE tracking_number = ?", number),
    )
    assert after == before


def test_exchange_parcel_reaches_the_platform_once_and_the_buyer_confirms(rig):
    cid, _sn = open_remote_case(rig, 3, 14)
    engine = rig.engine()
    assert engine.run_once().outcome == "ok"
    assert raw_rows(rig.db, "SELECT status FROM after_sale WHERE id = ?", (cid,)) == [(14,)]
    ((sku, qty),) = raw_rows(rig.db, "SELECT sku_id, quantity FROM after_sale WHERE id = ?", (cid,))
    ((stock,),) = raw_rows(rig.db, "SELECT stock FROM sku WHERE sku_id = ?", (sku,))
    ((remote_stock,),) = rig.shop.query("SELECT stock FROM sku WHERE sku_id = ?", (sku,))
    courier_id, number = _courier_and_number(616161)
    svc.ship_exchange(after_sale_id=cid, courier_id=courier_id, tracking_number=number)
    assert raw_rows(rig.db, "SELECT stock FROM sku WHERE sku_id = ?", (sku,)) == [(stock - qty,)]
    report = engine.push()
    assert (report.sent, report.succeeded) == (2, 2), report  # the stock and the parcel
    assert rig.shop.effects("pdd.refund.exchange.shipping", entity=cid) == 1
    assert remote_case(rig, cid) == 18
    assert rig.shop.query("SELECT stock FROM sku WHERE sku_id = ?", (sku,)) == [(remote_stock - qty,)]
    assert engine.push().sent == 0
    with rig.shop.tx() as c:  # the buyer confirms the parcel (the sandbox's own event)
        rig.shop.sim._ev_exchange_done(c, rig.shop.platform_now(), cid, None, None)
    later(rig, engine)
    assert engine.run_once().outcome == "ok"
    assert case_and_order(rig, cid) == case_and_order(rig, cid, remote=True)
    assert case_and_order(rig, cid)[0] == 16
    assert rig.shop.effects("pdd.refund.exchange.shipping", entity=cid) == 1
    assert_ops_applied_once(rig, actions=[("exchange_ship", str(cid)), ("set_stock", str(sku))])
    assert raw_rows(
        rig.db, "SELECT kind, delta, stock_after FROM stock_movement WHERE after_sale_id = ?", (cid,)
    ) == [("resend", -qty, stock - qty)]


def test_exchange_apply_then_timeout_reconciles_without_resending(rig):
    cid, _sn = open_remote_case(rig, 4, 32)
    engine = rig.engine(rig.client(timeout_s=0.3, max_retries=0))
    assert engine.run_once().outcome == "ok"
    courier_id, number = _courier_and_number(717171)
    svc.ship_exchange(after_sale_id=cid, courier_id=courier_id, tracking_number=number)
    ((sku,),) = raw_rows(rig.db, "SELECT sku_id FROM after_sale WHERE id = ?", (cid,))
    # both writes (the stock, then the parcel) are applied and their answers lost
    rig.shop.faults.set(apply_then_timeout_s=0.8, apply_then_timeout_next=2)
    first = engine.push()
    assert first.sent == 2 and first.succeeded == 0
    second = engine.push()
    assert second.succeeded == 2
    assert rig.shop.effects("pdd.refund.exchange.shipping", entity=cid) == 1
    assert_ops_applied_once(rig, actions=[("exchange_ship", str(cid)), ("set_stock", str(sku))])


# ------------------------------------------------------------------ 拦截: printed, not shipped, refund asked


def printed_refund_case(*, platform_number: bool = True) -> tuple[int, int, list[str]]:
    """A 仅退款 request on a 待发货 order whose label is printed: (case, order, reserved numbers)."""
    ((oid,),) = q(
        'SELECT id FROM "order" WHERE status = 1 AND refund_status = 1 AND print_count = 0 '
        "ORDER BY id LIMIT 1"
    )
    cid = q("SELECT MAX(id) FROM after_sale")[0][0] + 211
    database.execute_sql(
        "INSERT INTO after_sale (id, order_id, type, status, reason, buyer_remark, refund_amount_fen, "
        "quantity, return_tracking_number, return_shipping_name, created_at, expire_at) "
        "VALUES (?, ?, 1, 2, '不想要了', '', 990, 1, '', '', ?, ?)",
        (cid, oid, NOW0 - 60, NOW0 + 86400),
    )
    database.execute_sql('UPDATE "order" SET print_count = 1, refund_status = 2 WHERE id = ?', (oid,))
    ids = [r[0] for r in q("SELECT id FROM waybill_number WHERE state = 'free' ORDER BY id LIMIT 2")]
    database.execute_sql(
        "UPDATE waybill_number SET state = 'allocated', order_id = ?, allocated_at = ? WHERE id IN (?, ?)",
        (oid, NOW0 - 3600, *ids),
    )
    if platform_number:
        database.execute_sql("UPDATE waybill_number SET source = 'platform' WHERE id = ?", (ids[0],))
    numbers = [
        r[0] for r in q("SELECT tracking_number FROM waybill_number WHERE id IN (?, ?) ORDER BY id", *ids)
    ]
    return cid, oid, numbers


def test_intercept_voids_the_labels_and_records_it(shop):
    cid, oid, numbers = printed_refund_case()
    assert svc.case_detail(cid).intercept_block is None
    ((stock_moves_before,),) = q("SELECT COUNT(*) FROM stock_movement")
    changes = svc.intercept_order(after_sale_id=cid)
    assert changes.after_sales and changes.shipments
    rows = q(
        "SELECT tracking_number, state, cancel_state FROM waybill_number WHERE order_id = ? ORDER BY id", oid
    )
    assert rows == [(numbers[0], "cancelled", "pending"), (numbers[1], "cancelled", "")]
    ((op_type, remote_id),) = q("SELECT op_type, entity_remote_id FROM outbox WHERE entity_type = 'waybill'")
    assert (op_type, remote_id) == ("waybill_cancel", numbers[0])  # the platform number is given back
    ((action, note),) = q("SELECT action, note FROM after_sale_event WHERE after_sale_id = ?", cid)
    assert action == svc.INTERCEPT_ACTION and numbers[0] in note and numbers[1] in note
    assert q("SELECT action FROM audit_log WHERE entity_id = ?", str(cid)) == [("intercept_order",)]
    # unshipped orders never took stock off: nothing to move back
    assert q("SELECT COUNT(*) FROM stock_movement") == [(stock_moves_before,)]
    assert q("SELECT status FROM after_sale WHERE id = ?", cid) == [(2,)]  # the refund is still to decide
    assert "已拦截" in svc.case_detail(cid).intercept_block
    before = snapshot()
    with pytest.raises(NotAllowed, match="已拦截"):
        svc.intercept_order(after_sale_id=cid)
    assert snapshot() == before


def test_intercept_then_refund_moves_no_stock(shop):
    cid, oid, _numbers = printed_refund_case()
    stock_sql = (
        "SELECT s.sku_id, s.stock FROM sku s JOIN order_item i ON i.sku_id = s.sku_id "
        "WHERE i.order_id = ? ORDER BY s.sku_id"
    )
    stock = q(stock_sql, oid)
    assert stock  # the order's goods are in the catalogue: a wrong movement would show
    svc.intercept_order(after_sale_id=cid)
    svc.agree_refund(after_sale_id=cid, note="已拦截")
    # never shipped: no sale to give back (no restock), nothing else to take off (no miss)
    assert q(stock_sql, oid) == stock
    assert q("SELECT COUNT(*) FROM stock_movement WHERE order_id = ? OR after_sale_id = ?", oid, cid) == [
        (0,)
    ]
    assert q("SELECT op_type FROM outbox WHERE op_type = 'set_stock'") == []
    assert q("SELECT op_type FROM outbox WHERE entity_type = 'after_sale'") == [("refund_agree",)]


@pytest.mark.parametrize(
    ("change", "text"),
    [
        ('UPDATE "order" SET status = 2 WHERE id = :oid', "只有已打单、尚未发货的订单可以拦截"),
        ("UPDATE after_sale SET status = 11 WHERE id = :cid", "只有买家申请退款"),
        (
            "UPDATE waybill_number SET state = 'free', order_id = NULL WHERE order_id = :oid; "
            'UPDATE "order" SET print_count = 0 WHERE id = :oid',
            "还没有打印面单",
        ),
    ],
)
def test_intercept_refused_writes_nothing(shop, change, text):
    cid, oid, _numbers = printed_refund_case()
    for sql in change.split("; "):
        database.execute_sql(sql.replace(":oid", str(oid)).replace(":cid", str(cid)))
    before = (*snapshot(), q("SELECT * FROM waybill_number WHERE order_id = ?", oid))
    with pytest.raises(NotAllowed, match=text):
        svc.intercept_order(after_sale_id=cid)
    assert (*snapshot(), q("SELECT * FROM waybill_number WHERE order_id = ?", oid)) == before
