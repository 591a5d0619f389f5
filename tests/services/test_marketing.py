"""营销 services: coupons and 限时限量购 (create / edit / end, all or nothing) and campaign results.

Campaign results are checked against an independent computation over the order rows, read with
plain sqlite3 from the shop file (``tests.helpers.db.raw_rows``).
"""

from __future__ import annotations

import json

import pytest

from pdd_desktop.domain.errors import NotAllowed, ValidationError
from pdd_desktop.services import marketing as svc
from tests.conftest import DEMO_NOW
from tests.helpers.db import db_state, q, raw_rows

DAY = 86400
TABLES = ("coupon", "limited_discount", "limited_discount_sku", "outbox", "audit_log")


def snapshot() -> tuple:
    return db_state(TABLES, "SELECT * FROM coupon ORDER BY id", "SELECT * FROM limited_discount ORDER BY id")


def _orders(db) -> dict[int, dict]:
    orders = {
        r[0]: {"paid": r[1], "seller": r[2], "goods_amount": r[3], "lines": []}
        for r in raw_rows(db, 'SELECT id, paid_at, seller_discount_fen, goods_amount_fen FROM "order"')
    }
    for oid, goods, sku, qty, price in raw_rows(
        db, "SELECT order_id, goods_id, sku_id, quantity, unit_price_fen FROM order_item"
    ):
        orders[oid]["lines"].append((goods, sku, qty, price))
    return orders


def _costs(db) -> dict[int, int | None]:
    return dict(raw_rows(db, "SELECT sku_id, cost_price_fen FROM sku"))


def _expected_coupon(db, *, discount, min_order, start, end, goods_id=None):
    """The coupon's figures computed in Python from the raw rows."""
    orders, costs = _orders(db), _costs(db)
    ids, lines, disc = [], [], 0
    for oid, o in sorted(orders.items()):
        if o["paid"] is None or not start <= o["paid"] < end:
            continue
        if o["seller"] != discount or o["goods_amount"] < min_order:
            continue
        if goods_id is not None and not any(ln[0] == goods_id for ln in o["lines"]):
            continue
        ids.append(oid)
        disc += o["seller"]
        lines.extend(ln for ln in o["lines"] if goods_id is None or ln[0] == goods_id)
    gmv = sum(q * p for _g, _s, q, p in lines) - disc
    cost = sum(q * costs[s] for _g, s, q, _p in lines if costs.get(s) is not None)
    missing = sum(q for _g, s, q, _p in lines if costs.get(s) is None)
    return ids, gmv, sum(q for _g, _s, q, _p in lines), disc, cost, missing, {g for g, _s, _q, _p in lines}


def _expected_previous(db, goods, start, end):
    length = end - start
    orders = _orders(db)
    ids, units, gmv = set(), 0, 0
    for oid, o in orders.items():
        if o["paid"] is None or not start - length <= o["paid"] < start:
            continue
        for g, _s, qty, price in o["lines"]:
            if g in goods:
                ids.add(oid)
                units += qty
                gmv += qty * price
    return svc.PeriodFigures(len(ids), units, gmv)


def test_shop_coupon_plan_results_equal_an_independent_computation(demo_shop):
    db = demo_shop.db_file
    start, end = DEMO_NOW - 60 * DAY, DEMO_NOW + 10 * DAY
    svc.create_coupon(
        kind="shop",
        name="满20减3",
        discount_fen=300,
        min_order_fen=2000,
        quantity=5000,
        start_at=start,
        end_at=end,
    )
    (row,) = svc.list_coupons()
    assert row.is_plan and row.state_label == "需在平台设置" and row.rule_text == "满20减3"
    assert q("SELECT COUNT(*) FROM outbox") == [(0,)]  # a plan never goes to the platform
    (res,) = svc.campaign_results(now=DEMO_NOW)
    ids, gmv, units, disc, cost, missing, goods = _expected_coupon(
        db, discount=300, min_order=2000, start=start, end=DEMO_NOW
    )
    assert len(ids) > 10  # the demo's orders do use it
    assert list(res.order_ids) == ids
    assert (res.orders, res.gmv_fen, res.units, res.discount_fen) == (len(ids), gmv, units, disc)
    assert (res.cost_fen, res.units_without_cost) == (cost, missing)
    assert res.margin_fen == gmv - cost
    assert res.end_at == DEMO_NOW  # counted up to now
    assert res.previous == _expected_previous(db, goods, start, DEMO_NOW)


def test_goods_coupon_counts_only_orders_with_the_goods_and_its_lines(demo_shop):
    db = demo_shop.db_file
    goods_id = raw_rows(
        db,
        'SELECT i.goods_id FROM order_item i JOIN "order" o ON o.id = i.order_id '
        "WHERE o.seller_discount_fen = 500 "
        "GROUP BY i.goods_id ORDER BY COUNT(*) DESC LIMIT 1",
    )[0][0]
    start = DEMO_NOW - 90 * DAY
    svc.create_coupon(
        kind="goods",
        name="商品立减5元",
        goods_id=goods_id,
        discount_fen=500,
        quantity=100,
        start_at=start,
        end_at=DEMO_NOW + DAY,
    )
    # not on the platform yet: no results until the sync created it
    assert svc.campaign_results(now=DEMO_NOW) == []
    q("UPDATE coupon SET status = 1, batch_id = '1'")
    (res,) = svc.campaign_results(now=DEMO_NOW)
    ids, gmv, units, disc, cost, _missing, _goods = _expected_coupon(
        db, discount=500, min_order=0, start=start, end=DEMO_NOW, goods_id=goods_id
    )
    assert ids and list(res.order_ids) == ids
    assert (res.gmv_fen, res.units, res.discount_fen, res.cost_fen) == (gmv, units, disc, cost)
    assert res.previous == _expected_previous(db, {goods_id}, start, DEMO_NOW)


def _goods_with_skus(db):
    goods_id = raw_rows(
        db,
        'SELECT i.goods_id FROM order_item i JOIN "order" o ON o.id = i.order_id WHERE o.paid_at >= ? '
        "AND i.goods_id IN (SELECT goods_id FROM sku GROUP BY goods_id HAVING COUNT(*) >= 2) "
        "GROUP BY i.goods_id ORDER BY COUNT(*) DESC, i.goods_id LIMIT 1",
        (DEMO_NOW - 20 * DAY,),
    )[0][0]
    skus = raw_rows(
        db,
        "SELECT sku_id, group_price_fen, cost_price_fen FROM sku WHERE goods_id = ? ORDER BY sku_id",
        (goods_id,),
    )
    return goods_id, skus


def test_discount_results_match_lines_at_the_activity_price_and_warn_below_cost(demo_shop):
    db = demo_shop.db_file
    goods_id, skus = _goods_with_skus(db)
    (s1, g1, _c1), (s2, g2, _c2) = skus[:2]
    q("UPDATE sku SET cost_price_fen = ? WHERE sku_id = ?", g1 - 100, s1)  # the activity price is below it
    start = DEMO_NOW - 20 * DAY
    svc.create_discount(
        name="双12限时折扣",
        activity_type=12,
        goods_id=goods_id,
        start_at=start,
        end_at=DEMO_NOW + DAY,
        sku_prices={s1: g1 - 200},
        discount_permille=800,
    )
    (d,) = svc.list_discounts()
    prices = {s.sku_id: s.activity_price_fen for s in d.skus}
    assert prices[s1] == g1 - 200 and prices[s2] == (g2 * 800 + 500) // 1000
    assert d.below_cost and d.state_label == "待上传"
    # orders bought at the activity price during the activity (as the platform would record them)
    lines = raw_rows(
        db,
        'SELECT i.id, i.sku_id FROM order_item i JOIN "order" o ON o.id = i.order_id '
        "WHERE i.goods_id = ? AND o.paid_at >= ? AND o.paid_at < ? ORDER BY i.id",
        (goods_id, start, DEMO_NOW),
    )
    assert len(lines) >= 2
    for line_id, sku_id in lines[::2]:
        q("UPDATE order_item SET unit_price_fen = ? WHERE id = ?", prices[sku_id], line_id)
    q("UPDATE limited_discount SET status = 2, detail_id = '1'")
    (res,) = svc.campaign_results(now=DEMO_NOW)
    costs = _costs(db)
    matched = [
        (oid, s, qty, p)
        for oid, o in _orders(db).items()
        if o["paid"] is not None and start <= o["paid"] < DEMO_NOW
        for g, s, qty, p in o["lines"]
        if g == goods_id and prices.get(s) == p
    ]
    assert sorted({m[0] for m in matched}) == list(res.order_ids)
    assert res.gmv_fen == sum(qty * p for _o, _s, qty, p in matched)
    assert res.units == sum(m[2] for m in matched)
    group = {s: g for s, g, _c in skus}
    assert res.discount_fen == sum(qty * (group[s] - p) for _o, s, qty, p in matched)
    known = [(s, qty) for _o, s, qty, _p in matched if costs[s] is not None]
    assert res.cost_fen == sum(costs[s] * qty for s, qty in known)
    assert len(res.below_cost) == 1 and "低于成本" in res.below_cost[0]


def test_bad_input_changes_nothing(demo_shop):
    before = snapshot()
    goods_id, skus = _goods_with_skus(demo_shop.db_file)
    bad = [
        dict(kind="shop", name="", discount_fen=300, min_order_fen=2000, quantity=10),
        dict(kind="shop", name="券", discount_fen=3000, min_order_fen=2000, quantity=10),
        dict(kind="shop", name="券", discount_fen=300, min_order_fen=2000, quantity=0),
        dict(kind="goods", name="券", discount_fen=300, quantity=10),
        dict(kind="goods", name="券", goods_id=1, discount_fen=300, quantity=10),
    ]
    for kw in bad:
        with pytest.raises(ValidationError):
            svc.create_coupon(start_at=DEMO_NOW, end_at=DEMO_NOW + DAY, **kw)
    with pytest.raises(ValidationError, match="有效期"):
        svc.create_coupon(
            kind="shop",
            name="券",
            discount_fen=300,
            quantity=5,
            start_at=DEMO_NOW - 2 * DAY,
            end_at=DEMO_NOW - DAY,
        )
    with pytest.raises(ValidationError, match="活动价应低于拼单价"):
        svc.create_discount(
            name="折扣",
            activity_type=12,
            goods_id=goods_id,
            start_at=DEMO_NOW,
            end_at=DEMO_NOW + DAY,
            sku_prices={skus[0][0]: skus[0][1]},
        )
    with pytest.raises(ValidationError, match="活动库存"):
        svc.create_discount(
            name="限量",
            activity_type=3,
            goods_id=goods_id,
            start_at=DEMO_NOW,
            end_at=DEMO_NOW + DAY,
            discount_permille=500,
        )
    assert snapshot() == before


def test_goods_coupon_is_queued_editable_until_sent_and_ending_an_unsent_one_drops_it(demo_shop):
    goods_id, _skus = _goods_with_skus(demo_shop.db_file)
    svc.create_coupon(
        kind="goods",
        name="立减3元",
        goods_id=goods_id,
        discount_fen=300,
        quantity=50,
        start_at=DEMO_NOW,
        end_at=DEMO_NOW + 7 * DAY,
    )
    (c,) = svc.list_coupons()
    assert c.pending and c.state_label == "待上传" and not c.is_plan
    ((op_type, payload),) = q("SELECT op_type, payload_json FROM outbox")
    assert op_type == "create_goods_coupon" and json.loads(payload)["discount"] == 300
    svc.edit_coupon(
        coupon_id=c.id,
        name="立减4元",
        discount_fen=400,
        quantity=60,
        start_at=DEMO_NOW,
        end_at=DEMO_NOW + 7 * DAY,
    )
    ((payload,),) = q("SELECT payload_json FROM outbox")
    assert json.loads(payload)["discount"] == 400 and json.loads(payload)["init_quantity"] == 60
    svc.end_coupon(coupon_id=c.id)
    assert q("SELECT state FROM outbox") == [("cancelled",)]
    assert svc.list_coupons()[0].ended
    with pytest.raises(NotAllowed, match="已经结束"):
        svc.end_coupon(coupon_id=c.id)


def test_a_coupon_on_the_platform_cannot_be_edited_and_ends_through_the_outbox(demo_shop):
    goods_id, _skus = _goods_with_skus(demo_shop.db_file)
    svc.create_coupon(
        kind="goods",
        name="立减3元",
        goods_id=goods_id,
        discount_fen=300,
        quantity=50,
        start_at=DEMO_NOW,
        end_at=DEMO_NOW + 7 * DAY,
    )
    q("UPDATE outbox SET state = 'succeeded'")
    q("UPDATE coupon SET batch_id = '777', status = 1, pending_ops = 0")
    cid = svc.list_coupons()[0].id
    before = snapshot()
    with pytest.raises(NotAllowed, match="平台不提供修改接口"):
        svc.edit_coupon(
            coupon_id=cid, name="x", discount_fen=100, quantity=1, start_at=DEMO_NOW, end_at=DEMO_NOW + DAY
        )
    assert snapshot() == before
    svc.end_coupon(coupon_id=cid)
    ((op_type, payload),) = q("SELECT op_type, payload_json FROM outbox WHERE state = 'pending'")
    assert op_type == "close_coupon"
    assert json.loads(payload) == {"local_ref": q("SELECT local_ref FROM coupon")[0][0], "batch_id": "777"}
