"""营销 sync against the sandbox: coupons and 限时限量购 pulled; creates reach the platform once."""

from __future__ import annotations

from pdd_desktop.common import clock
from pdd_desktop.sandbox.marketing import SHOP_TIERS
from pdd_desktop.services import marketing as svc
from pdd_desktop.services.sync.areas.marketing import (
    COUPON_CLOSE,
    DISCOUNT_CANCEL,
    DISCOUNT_CREATE,
    GOODS_COUPON_CREATE,
)
from tests.helpers.db import raw_rows

DAY = 86400


def _goods(rig) -> tuple[int, list[tuple[int, int]]]:
    goods_id = raw_rows(
        rig.db, "SELECT goods_id FROM sku GROUP BY goods_id HAVING COUNT(*) >= 2 ORDER BY goods_id LIMIT 1"
    )[0][0]
    skus = raw_rows(
        rig.db, "SELECT sku_id, group_price_fen FROM sku WHERE goods_id = ? ORDER BY sku_id", (goods_id,)
    )
    return goods_id, skus


def test_shop_coupons_pulled_match_the_sandbox_orders(rig):
    engine = rig.engine()
    report = engine.run_once()
    assert report.outcome == "ok", report.message
    coupons = {c.name: c for c in svc.list_coupons()}
    assert set(coupons) == {name for _a, _t, name in SHOP_TIERS}
    for amount, threshold, name in SHOP_TIERS:
        c = coupons[name]
        assert (c.discount_fen, c.min_order_fen, c.kind, c.is_plan) == (amount, threshold, "shop", False)
        used = rig.shop.query(
            'SELECT COUNT(*) FROM "order" WHERE seller_discount_fen = ? AND goods_amount_fen >= ? '
            "AND paid_at >= ? AND paid_at < ?",
            (amount, threshold, c.start_at, rig.shop.platform_now()),
        )[0][0]
        assert c.used_quantity == used > 0
        assert c.init_quantity - c.remain_quantity == used


def test_a_coupon_created_offline_reaches_the_sandbox_once_and_is_linked(rig):
    goods_id, _skus = _goods(rig)
    now = clock.now()
    svc.create_coupon(
        kind="goods",
        name="新品立减5元",
        goods_id=goods_id,
        discount_fen=500,
        quantity=200,
        start_at=now,
        end_at=now + 7 * DAY,
    )
    # offline: the sandbox is down, the op waits
    port_url, tick = rig.url, [1000.0]
    client = rig.client(timeout_s=0.3, max_retries=0)
    rig.server.stop()
    engine = rig.engine(client, monotonic=lambda: tick[0])
    engine._calibrated = True
    assert engine.push().succeeded == 0
    assert rig.shop.effects(GOODS_COUPON_CREATE) == 0
    rig.server.port = int(port_url.rsplit(":", 1)[1].split("/")[0])
    rig.server.start()
    # the first answer is lost (applied, then a timeout): the reconcile finds it, no second create
    rig.shop.faults.set(apply_then_timeout_s=0.8, apply_then_timeout_next=1)
    tick[0] += 10_000
    first = engine.push()
    assert first.sent == 1 and first.succeeded == 0
    tick[0] += 10_000
    assert engine.push().succeeded == 1
    engine = rig.engine()
    report = engine.run_once()
    assert report.outcome == "ok", report.message
    assert rig.shop.effects(GOODS_COUPON_CREATE) == 1
    assert rig.shop.query("SELECT COUNT(*) FROM coupon WHERE kind = 'goods'") == [(1,)]
    (mine,) = [c for c in svc.list_coupons() if c.kind == "goods"]
    (batch,) = rig.shop.query("SELECT batch_id FROM coupon WHERE kind = 'goods'")[0]
    assert (mine.batch_id, mine.pending, mine.state_label) == (batch, False, "领取中")
    assert raw_rows(rig.db, "SELECT COUNT(*) FROM coupon WHERE kind = 'goods'") == [(1,)]
    # end it: the close reaches the platform once
    svc.end_coupon(coupon_id=mine.id)
    assert engine.run_once().outcome == "ok"
    engine.run_once()
    assert rig.shop.effects(COUPON_CLOSE) == 1
    assert rig.shop.query("SELECT status FROM coupon WHERE batch_id = ?", (batch,)) == [(3,)]
    assert next(c for c in svc.list_coupons() if c.kind == "goods").state_label == "已结束"


def test_a_limited_discount_is_created_pulled_back_and_cancelled_once(rig):
    goods_id, skus = _goods(rig)
    now = rig.shop.platform_now()
    svc.create_discount(
        name="周末限时折扣",
        activity_type=12,
        goods_id=goods_id,
        start_at=now - 60,
        end_at=clock.now() + 2 * DAY,
        discount_permille=850,
        user_limit=2,
    )
    engine = rig.engine()
    assert engine.run_once().outcome == "ok"
    assert rig.shop.effects(DISCOUNT_CREATE) == 1
    (d,) = svc.list_discounts()
    assert d.status == 2 and not d.pending and d.state_label == "进行中"
    assert {(s.sku_id, s.activity_price_fen) for s in d.skus} == {
        (s, (g * 850 + 500) // 1000) for s, g in skus
    }
    assert raw_rows(rig.db, "SELECT COUNT(*) FROM limited_discount") == [(1,)]
    svc.end_discount(discount_id=d.id)
    engine.run_once()
    engine.run_once()
    assert rig.shop.effects(DISCOUNT_CANCEL) == 1
    assert svc.list_discounts()[0].status == 4
