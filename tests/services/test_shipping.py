import csv
import itertools
import json
import time
import uuid

import pytest
from openpyxl import Workbook, load_workbook

from pdd_desktop.common import clock
from pdd_desktop.common.changes import Changes
from pdd_desktop.common.task import TaskContext
from pdd_desktop.data.db import database
from pdd_desktop.data.models import Courier, Goods, Order, OrderItem, Sku, WaybillAccount, WaybillNumber
from pdd_desktop.domain import catalogue as cat
from pdd_desktop.domain.errors import NotAllowed, ValidationError
from pdd_desktop.domain.orders import OrderStatus, RefundStatus
from pdd_desktop.domain.shipping import ship_block_reason
from pdd_desktop.services import shipping as svc
from tests.helpers.db import db_state, one, q, table_counts

NOW = 1_795_435_200
ZTO, YTO, YUNDA = 115, 85, 121
RECEIVER = {
    "receiver_name": "张三",
    "receiver_phone": "13800000000",
    "province": "浙江省",
    "city": "杭州市",
    "district": "西湖区",
    "town": "",
    "address_detail": "文三路1号",
}
_sn = itertools.count(1)
_number = itertools.count(1)


def zto() -> str:
    return f"73{next(_number):012d}"


def yto() -> str:
    return f"YT{next(_number):013d}"


@pytest.fixture
def shop(empty_shop):
    clock.set_clock(lambda: NOW)
    for c in cat.COURIERS:
        Courier.create(id=c.id, name=c.name, code=c.code, tracking_pattern=c.pattern, sort_order=c.sort_order)
    goods = Goods.create(goods_id=1, name="保温杯")
    Sku.create(sku_id=11, goods=goods, stock=100)
    Sku.create(sku_id=12, goods=goods, stock=50)
    return empty_shop


def make_order(
    *, status=1, refund_status=1, after_sales_status=0, buyer="b1", items=((11, 2),), **receiver
) -> int:
    order = Order.create(
        order_sn=f"261123-{next(_sn):015d}",
        status=status,
        refund_status=refund_status,
        after_sales_status=after_sales_status,
        buyer_key=buyer,
        buyer_nickname=f"买家{buyer}",
        paid_at=NOW - 3600,
        ship_deadline_at=NOW + 86400,
        **{**RECEIVER, **receiver},
    )
    for sku_id, qty in items:
        OrderItem.create(
            order=order, goods_id=1, sku_id=sku_id, goods_name="保温杯", quantity=qty, unit_price_fen=990
        )
    return order.id


def make_pool(courier_id=ZTO, size=5) -> tuple[int, list[str]]:
    account = WaybillAccount.create(courier=courier_id, branch_name="义乌网点", created_at=NOW)
    numbers = [zto() if courier_id == ZTO else yto() for _ in range(size)]
    for n in numbers:
        WaybillNumber.create(account=account, tracking_number=n)
    return account.id, numbers


def sn(order_id) -> str:
    return one('SELECT order_sn FROM "order" WHERE id = ?', order_id)[0]


def status(order_id) -> int:
    return one('SELECT status FROM "order" WHERE id = ?', order_id)[0]


def stock(sku_id=11) -> int:
    return one("SELECT stock FROM sku WHERE sku_id = ?", sku_id)[0]


TABLES = ("package", "package_order", "outbox", "audit_log", "stock_movement", "import_batch")


def counts() -> dict[str, int]:
    return table_counts(TABLES)


def snapshot():
    """Everything a shipment may change, to prove nothing changed."""
    return db_state(
        TABLES,
        'SELECT id, status, shipped_at, pending_ops FROM "order" ORDER BY id',
        "SELECT sku_id, stock FROM sku ORDER BY sku_id",
        "SELECT id, state, order_id FROM waybill_number ORDER BY id",
    )


def outbox_of(order_id):
    return q(
        "SELECT op_id, op_type, payload_json, base_json, state, created_at FROM outbox "
        "WHERE entity_type = 'order' AND entity_remote_id = ? ORDER BY id",
        sn(order_id),
    )


def audit_of(order_id):
    return [
        (action, json.loads(detail))
        for action, detail in q(
            "SELECT action, detail_json FROM audit_log WHERE order_id = ? ORDER BY id", order_id
        )
    ]


def live_packages(order_id):
    return q(
        "SELECT p.id, p.courier_id, p.tracking_number, p.kind FROM package p "
        "JOIN package_order po ON po.package_id = p.id "
        "WHERE po.order_id = ? AND p.voided_at IS NULL ORDER BY p.id",
        order_id,
    )


# --------------------------------------------------------------------------------------------
# Lists
# --------------------------------------------------------------------------------------------


def test_couriers_and_accounts(shop):
    couriers = svc.list_couriers()
    assert [c.name for c in couriers[:3]] == ["中通快递", "圆通快递", "韵达快递"]
    assert couriers[0].pattern == cat.COURIERS[0].pattern
    account_id, _ = make_pool(size=4)
    (account,) = svc.list_waybill_accounts()
    assert (account.id, account.courier_name, account.free_numbers) == (account_id, "中通快递", 4)


# --------------------------------------------------------------------------------------------
# Single order
# --------------------------------------------------------------------------------------------


def test_ship_order_writes_every_row(shop):
    oid = make_order(items=((11, 2), (12, 1)))
    changes = svc.ship_order(order_id=oid, courier_id=ZTO, tracking_number=" 7300 0000 0000 99 ")
    assert changes == Changes(orders=True, shipments=True, goods=True, sync=True)
    assert one('SELECT status, shipped_at, local_updated_at, pending_ops FROM "order" WHERE id = ?', oid) == (
        2,
        NOW,
        NOW,
        1,
    )
    (pkg,) = live_packages(oid)
    assert pkg[1:] == (ZTO, "73000000000099", "normal")
    assert one("SELECT shipped_at, voided_at FROM package WHERE id = ?", pkg[0]) == (NOW, None)
    assert (stock(11), stock(12)) == (98, 49)
    assert q("SELECT sku_id, at, delta, stock_after, kind, order_id FROM stock_movement ORDER BY id") == [
        (11, NOW, -2, 98, "sale", oid),
        (12, NOW, -1, 49, "sale", oid),
    ]
    ((op_id, op_type, payload, base, state, created),) = outbox_of(oid)
    assert uuid.UUID(op_id).version == 4
    assert (op_type, state, created) == ("ship_order", "pending", NOW)
    assert json.loads(payload) == {
        "order_sn": sn(oid),
        "logistics_id": ZTO,
        "tracking_number": "73000000000099",
        "redelivery_type": 1,
    }
    assert json.loads(base) == {"status": 1, "refund_status": 1}
    ((action, detail),) = audit_of(oid)
    assert action == "ship"
    assert detail["courier"] == "中通快递" and detail["tracking_number"] == "73000000000099"
    assert "override_reason" not in detail


def test_typed_pool_number_is_marked_used(shop):
    _, numbers = make_pool(size=2)
    oid = make_order()
    svc.ship_order(order_id=oid, courier_id=ZTO, tracking_number=numbers[1])
    assert q("SELECT tracking_number, state, order_id FROM waybill_number ORDER BY id") == [
        (numbers[0], "free", None),
        (numbers[1], "used", oid),
    ]
    assert svc.list_waybill_accounts()[0].free_numbers == 1


def test_sku_missing_locally_is_skipped(shop):
    oid = make_order(items=((11, 1), (999, 3)))
    svc.ship_order(order_id=oid, courier_id=ZTO, tracking_number=zto())
    assert q("SELECT sku_id, delta FROM stock_movement") == [(11, -1)]
    assert status(oid) == 2


def _expected_guard(order_status, refund):
    if order_status == OrderStatus.TO_SHIP:
        return "ok" if refund == RefundStatus.NONE else "override"
    return "never"


@pytest.mark.parametrize("refund", list(RefundStatus))
@pytest.mark.parametrize("order_status", list(OrderStatus))
def test_ship_order_guard(shop, order_status, refund):
    oid = make_order(status=order_status, refund_status=refund)
    before = snapshot()
    expected = _expected_guard(order_status, refund)
    if expected == "ok":
        svc.ship_order(order_id=oid, courier_id=ZTO, tracking_number=zto())
        assert status(oid) == 2
        return
    with pytest.raises(NotAllowed) as info:
        svc.ship_order(order_id=oid, courier_id=ZTO, tracking_number=zto())
    assert sn(oid) in str(info.value)
    assert snapshot() == before
    if expected == "override":
        assert "强制发货" in str(info.value)
        with pytest.raises(NotAllowed):
            svc.ship_order(order_id=oid, courier_id=ZTO, tracking_number=zto(), override_reason="   ")
        assert snapshot() == before
        svc.ship_order(
            order_id=oid, courier_id=ZTO, tracking_number=zto(), override_reason="买家电话确认仍要"
        )
        assert status(oid) == 2
        ((_, detail),) = audit_of(oid)
        assert detail["override_reason"] == "买家电话确认仍要" and detail["blocked_reason"]
    else:  # no override can ship these
        with pytest.raises(NotAllowed):
            svc.ship_order(order_id=oid, courier_id=ZTO, tracking_number=zto(), override_reason="就要发")
        assert snapshot() == before


def test_waiting_refund_code_blocks(shop):
    oid = make_order(after_sales_status=2)
    with pytest.raises(NotAllowed, match="售后"):
        svc.ship_order(order_id=oid, courier_id=ZTO, tracking_number=zto())


def test_bad_input_changes_nothing(shop):
    oid = make_order()
    other = make_order()
    svc.ship_order(order_id=other, courier_id=ZTO, tracking_number="73000000000001")
    before = snapshot()
    with pytest.raises(ValidationError, match="不符合中通快递的单号格式"):
        svc.ship_order(order_id=oid, courier_id=ZTO, tracking_number="YT0000000000001")
    with pytest.raises(ValidationError, match=f"已被订单 {sn(other)} 使用"):
        svc.ship_order(order_id=oid, courier_id=ZTO, tracking_number="7300 0000 0000 01")
    with pytest.raises(ValidationError, match="快递公司"):
        svc.ship_order(order_id=oid, courier_id=4242, tracking_number=zto())
    with pytest.raises(NotAllowed, match="订单不存在"):
        svc.ship_order(order_id=987654, courier_id=ZTO, tracking_number=zto())
    assert snapshot() == before


# --------------------------------------------------------------------------------------------
# Batch from the pool
# --------------------------------------------------------------------------------------------


class RecordingTask(TaskContext):
    def __init__(self, cancel_after_first_chunk=False):
        super().__init__()
        self.reports = []
        self.cancel_after_first_chunk = cancel_after_first_chunk

    def report(self, done, total=None, label=None):
        super().report(done, total, label)
        self.reports.append((done, total, label))
        if self.cancel_after_first_chunk and done > 0:
            self.cancel()


def test_batch_from_pool(shop):
    account_id, numbers = make_pool(size=10)
    good = [make_order() for _ in range(3)]
    refunding = make_order(refund_status=3)
    cancelled = make_order(status=4)
    task = RecordingTask()
    result = svc.ship_batch_from_pool(
        order_ids=[good[0], refunding, good[1], cancelled, good[2], good[0]], account_id=account_id, task=task
    )
    assert [s.order_id for s in result.shipped] == good
    assert [s.tracking_number for s in result.shipped] == numbers[:3]  # oldest free first
    assert {s.order_id: s.reason for s in result.skipped} == {
        refunding: "订单退款中，发货前请先处理售后",
        cancelled: "订单已取消，不能发货",
    }
    assert (result.not_reached, result.cancelled) == ((), False)
    assert task.reports[-1] == (5, 5, "批量发货")
    assert q("SELECT state, order_id, allocated_at FROM waybill_number ORDER BY id")[:4] == [
        ("used", good[0], NOW),
        ("used", good[1], NOW),
        ("used", good[2], NOW),
        ("free", None, None),
    ]
    for oid, number in zip(good, numbers, strict=False):
        assert status(oid) == 2
        assert live_packages(oid)[0][2] == number
        ((_, _, payload, *_),) = outbox_of(oid)
        assert json.loads(payload)["tracking_number"] == number
    assert (status(refunding), status(cancelled)) == (1, 4)
    assert counts()["outbox"] == 3 and stock() == 94


def test_batch_guard_over_every_status_and_refund_status(shop):
    account_id, _ = make_pool(size=40)
    combos = [(st, rf) for st in OrderStatus for rf in RefundStatus]
    ids = [make_order(status=st, refund_status=rf) for st, rf in combos]
    result = svc.ship_batch_from_pool(order_ids=ids, account_id=account_id)
    shipped = {s.order_id for s in result.shipped}
    skipped = {s.order_id: s.reason for s in result.skipped}
    for oid, (st, rf) in zip(ids, combos, strict=True):
        guard = ship_block_reason(st, rf, 0)
        if guard.allowed:
            assert oid in shipped and status(oid) == 2
        else:  # batches never override
            assert skipped[oid] == guard.reason and status(oid) == st
    assert len(shipped) == 1 and counts()["outbox"] == 1


def test_pool_exhaustion_across_chunks(shop, monkeypatch):
    monkeypatch.setattr(svc.model, "CHUNK", 2)
    account_id, _ = make_pool(size=3)
    orders = [make_order() for _ in range(5)]
    result = svc.ship_batch_from_pool(order_ids=orders, account_id=account_id)
    assert [s.order_id for s in result.shipped] == orders[:3]
    assert [(s.order_id, s.reason) for s in result.skipped] == [(o, "面单号不足") for o in orders[3:]]
    assert [status(o) for o in orders] == [2, 2, 2, 1, 1]
    assert q("SELECT DISTINCT state FROM waybill_number") == [("used",)]


def test_cancel_mid_batch_keeps_finished_chunks(shop, monkeypatch):
    monkeypatch.setattr(svc.model, "CHUNK", 3)
    account_id, _ = make_pool(size=20)
    orders = [make_order() for _ in range(8)]
    result = svc.ship_batch_from_pool(
        order_ids=orders, account_id=account_id, task=RecordingTask(cancel_after_first_chunk=True)
    )
    assert result.cancelled
    assert (result.shipped_count, result.skipped_count, result.not_reached_count) == (3, 0, 5)
    assert result.not_reached == tuple(orders[3:])
    assert [status(o) for o in orders] == [2] * 3 + [1] * 5
    assert svc.list_waybill_accounts()[0].free_numbers == 17
    assert counts()["outbox"] == 3


def test_pool_numbers_are_never_reused_after_cancel(shop):
    account_id, numbers = make_pool(size=3)
    oid = make_order()
    svc.ship_batch_from_pool(order_ids=[oid], account_id=account_id)
    svc.cancel_shipment(order_id=oid, reason="拿错了货")
    result = svc.ship_batch_from_pool(order_ids=[oid], account_id=account_id)
    assert result.shipped[0].tracking_number == numbers[1]
    assert q("SELECT state FROM waybill_number ORDER BY id") == [("used",), ("used",), ("free",)]


def test_pool_skips_free_numbers_already_on_a_package(shop):
    account_id, numbers = make_pool(size=3)
    first = make_order()
    # Typed by hand on another account's courier flow before the pool got to it:
    svc.ship_order(order_id=first, courier_id=ZTO, tracking_number=numbers[0])
    result = svc.ship_batch_from_pool(order_ids=[make_order()], account_id=account_id)
    assert result.shipped[0].tracking_number == numbers[1]


def test_unknown_account(shop):
    with pytest.raises(ValidationError, match="面单账号"):
        svc.ship_batch_from_pool(order_ids=[make_order()], account_id=99)


# --------------------------------------------------------------------------------------------
# Typed / scanned numbers
# --------------------------------------------------------------------------------------------


def test_batch_with_typed_numbers(shop):
    a, b, c, d, e, f, g = (make_order() for _ in range(7))
    blocked = make_order(refund_status=2)
    used_elsewhere = zto()
    svc.ship_order(order_id=g, courier_id=ZTO, tracking_number=used_elsewhere)
    n1, n2 = zto(), yto()
    task = RecordingTask()
    result = svc.ship_batch_with_numbers(
        assignments=[
            (a, ZTO, n1),  # 1 ok
            (b, YTO, n2.lower()),  # 2 ok (normalised)
            (c, ZTO, "12345"),  # 3 bad format
            (d, ZTO, n1),  # 4 repeats row 1's number
            (a, ZTO, zto()),  # 5 repeats row 1's order
            (e, 4242, zto()),  # 6 unknown courier
            (blocked, ZTO, zto()),  # 7 refund in progress
            (f, ZTO, used_elsewhere),  # 8 number on a live package
            (99999, ZTO, zto()),  # 9 no such order
        ],
        task=task,
    )
    assert [(s.order_id, s.tracking_number) for s in result.shipped] == [(a, n1), (b, n2)]
    reasons = {s.row_no: s.reason for s in result.skipped}
    assert sorted(reasons) == [3, 4, 5, 6, 7, 8, 9]
    assert "不符合中通快递的单号格式" in reasons[3]
    assert "与第 1 行重复" in reasons[4] and "订单与第 1 行重复" in reasons[5]
    assert "快递公司" in reasons[6] and "售后" in reasons[7]
    assert f"已被订单 {sn(g)} 使用" in reasons[8] and "订单不存在" in reasons[9]
    assert [status(o) for o in (a, b, c, d, e, f, blocked)] == [2, 2, 1, 1, 1, 1, 1]
    assert task.reports[-1] == (9, 9, "批量发货")


# --------------------------------------------------------------------------------------------
# Without logistics, merged
# --------------------------------------------------------------------------------------------


def test_ship_without_logistics(shop):
    a, b = make_order(), make_order(items=((12, 5),))
    svc.ship_without_logistics(order_ids=[a, b])
    for oid in (a, b):
        (pkg,) = live_packages(oid)
        assert pkg[1:] == (None, "", "none")
        ((_, op_type, payload, *_),) = outbox_of(oid)
        assert op_type == "ship_order"
        assert json.loads(payload) == {
            "order_sn": sn(oid),
            "logistics_id": None,
            "tracking_number": "",
            "no_logistics": True,
            "redelivery_type": 1,
        }
        assert status(oid) == 2
    assert (stock(11), stock(12)) == (98, 45)
    assert audit_of(a)[0][1]["courier"] == "无物流"


def test_ship_without_logistics_is_all_or_nothing(shop):
    a, refunded = make_order(), make_order(refund_status=4)
    before = snapshot()
    with pytest.raises(NotAllowed, match="退款成功"):
        svc.ship_without_logistics(order_ids=[a, refunded])
    assert snapshot() == before
    svc.ship_without_logistics(order_ids=[a, refunded], override_reason="虚拟商品，已与买家确认")
    assert (status(a), status(refunded)) == (2, 2)
    assert audit_of(refunded)[0][1]["override_reason"] == "虚拟商品，已与买家确认"


def test_merge_suggestions_and_ship_merged(shop):
    a1, a2, a3 = make_order(), make_order(items=((12, 1),)), make_order()
    make_order(address_detail="文三路2号")  # same buyer, another address
    make_order(refund_status=2)  # same receiver but a refund request
    make_order(status=2)  # already shipped
    b1, b2 = make_order(buyer="b2", receiver_name="李四"), make_order(buyer="b2", receiver_name="李四")
    make_order(buyer="b3", receiver_name="李四")  # same receiver, other buyer: alone
    groups = svc.merge_suggestions()
    assert sorted(g.order_ids for g in groups) == [(a1, a2, a3), (b1, b2)]
    assert groups[0].buyer_nickname.startswith("买家")

    number = zto()
    changes = svc.ship_merged(order_ids=[a1, a2], courier_id=ZTO, tracking_number=number)
    assert changes.orders and changes.goods
    (pkg,) = live_packages(a1)
    assert live_packages(a2) == [pkg] and pkg[2] == number
    assert q("SELECT order_id FROM package_order WHERE package_id = ? ORDER BY order_id", pkg[0]) == [
        (a1,),
        (a2,),
    ]
    for oid in (a1, a2):
        ((_, _, payload, *_),) = outbox_of(oid)
        assert json.loads(payload)["tracking_number"] == number
        assert audit_of(oid)[0][1]["merged_orders"] == [sn(a1), sn(a2)]
    assert (stock(11), stock(12)) == (98, 49)
    # a3 is alone now: no suggestion for it any more
    assert [g.order_ids for g in svc.merge_suggestions()] == [(b1, b2)]


@pytest.mark.parametrize(
    ("other", "message"),
    [
        ({"address_detail": "文三路2号"}, "收货人或收货地址"),
        ({"receiver_phone": "13900000000"}, "收货人或收货地址"),
        ({"buyer": "b9"}, "同一买家"),
        ({"refund_status": 3}, "售后"),
        ({"status": 2}, "不是待发货"),
    ],
)
def test_ship_merged_refuses_unmergeable_orders(shop, other, message):
    a, b = make_order(), make_order(**other)
    before = snapshot()
    with pytest.raises(NotAllowed, match=message):
        svc.ship_merged(order_ids=[a, b], courier_id=ZTO, tracking_number=zto())
    with pytest.raises(NotAllowed, match="至少需要两个"):
        svc.ship_merged(order_ids=[a], courier_id=ZTO, tracking_number=zto())
    assert snapshot() == before


# --------------------------------------------------------------------------------------------
# Extra parcels, modify, cancel
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("kind", "track_type"), [("extra", 1), ("resend", 2), ("gift", 3)])
def test_add_extra_package(shop, kind, track_type):
    oid = make_order()
    with pytest.raises(NotAllowed, match="还没有发货"):
        svc.add_extra_package(order_id=oid, courier_id=YTO, tracking_number=yto(), kind=kind)
    svc.ship_order(order_id=oid, courier_id=ZTO, tracking_number=zto())
    number = yto()
    changes = svc.add_extra_package(order_id=oid, courier_id=YTO, tracking_number=number, kind=kind)
    assert not changes.goods and changes.shipments
    assert [p[1:] for p in live_packages(oid)][1] == (YTO, number, kind)
    op = outbox_of(oid)[1]
    assert op[1] == "extra_logistics" and op[4] == "pending"
    assert json.loads(op[2]) == {
        "order_sn": sn(oid),
        "extra_track_list": [{"shipping_id": YTO, "tracking_number": number}],
        "extra_track_type": track_type,
    }
    assert one('SELECT pending_ops FROM "order" WHERE id = ?', oid)[0] == 2
    assert stock() == 98  # no second deduction
    assert audit_of(oid)[1] == (
        "add_package",
        {"kind": kind, "courier": "圆通快递", "courier_id": YTO, "tracking_number": number,
         "package_id": live_packages(oid)[1][0]},
    )  # fmt: skip


def test_extra_package_bad_kind(shop):
    with pytest.raises(ValidationError, match="包裹类型"):
        svc.add_extra_package(order_id=make_order(), courier_id=YTO, tracking_number=yto(), kind="big")


def test_modify_shipment_keeps_history(shop):
    oid = make_order()
    old_number = zto()
    svc.ship_order(order_id=oid, courier_id=ZTO, tracking_number=old_number)
    ((old_pid, *_),) = live_packages(oid)
    new_number = yto()
    clock.set_clock(lambda: NOW + 60)
    changes = svc.modify_shipment(
        order_id=oid, package_id=old_pid, courier_id=YTO, tracking_number=new_number, reason="换了快递"
    )
    assert not changes.goods
    assert one("SELECT voided_at, void_reason, tracking_number FROM package WHERE id = ?", old_pid) == (
        NOW + 60,
        "换了快递",
        old_number,
    )
    (new,) = live_packages(oid)
    assert new[1:] == (YTO, new_number, "normal")
    assert q("SELECT COUNT(*) FROM package_order WHERE order_id = ?", oid) == [(2,)]
    op = outbox_of(oid)[1]
    assert op[1] == "modify_shipment"
    assert json.loads(op[2]) == {
        "order_sn": sn(oid),
        "logistics_id": YTO,
        "tracking_number": new_number,
        "redelivery_type": 2,
    }
    assert json.loads(op[3]) == {"status": 2, "logistics_id": ZTO, "tracking_number": old_number}
    action, detail = audit_of(oid)[1]
    assert action == "modify_shipment" and detail["reason"] == "换了快递"
    assert detail["old"]["tracking_number"] == old_number and detail["new"]["tracking_number"] == new_number
    assert stock() == 98 and counts()["stock_movement"] == 1
    assert status(oid) == 2 and one('SELECT pending_ops FROM "order" WHERE id = ?', oid)[0] == 2
    # The voided package cannot be modified again, and its number is free for another order.
    with pytest.raises(NotAllowed, match="已作废"):
        svc.modify_shipment(
            order_id=oid, package_id=old_pid, courier_id=ZTO, tracking_number=zto(), reason="x"
        )
    other = make_order()
    svc.ship_order(order_id=other, courier_id=ZTO, tracking_number=old_number)


def test_modify_shipment_refusals(shop):
    oid = make_order()
    number = zto()
    svc.ship_order(order_id=oid, courier_id=ZTO, tracking_number=number)
    ((pid, *_),) = live_packages(oid)
    other = make_order()
    shipped_other = make_order()
    svc.ship_order(order_id=shipped_other, courier_id=ZTO, tracking_number=zto())
    before = snapshot()
    with pytest.raises(ValidationError, match="修改原因"):
        svc.modify_shipment(order_id=oid, package_id=pid, courier_id=ZTO, tracking_number=zto(), reason=" ")
    with pytest.raises(ValidationError, match="与原发货信息相同"):
        svc.modify_shipment(order_id=oid, package_id=pid, courier_id=ZTO, tracking_number=number, reason="x")
    with pytest.raises(NotAllowed, match="不属于订单"):
        svc.modify_shipment(
            order_id=shipped_other, package_id=pid, courier_id=ZTO, tracking_number=zto(), reason="x"
        )
    with pytest.raises(NotAllowed, match="不能修改发货"):  # other is 待发货
        svc.modify_shipment(order_id=other, package_id=pid, courier_id=ZTO, tracking_number=zto(), reason="x")
    database.execute_sql('UPDATE "order" SET status = 3 WHERE id = ?', (oid,))
    with pytest.raises(NotAllowed, match="不能修改发货"):
        svc.modify_shipment(order_id=oid, package_id=pid, courier_id=ZTO, tracking_number=zto(), reason="x")
    database.execute_sql('UPDATE "order" SET status = 2 WHERE id = ?', (oid,))
    assert snapshot() == before
    # Only the courier was wrong: the same number with another courier is a modification.
    svc.modify_shipment(
        order_id=oid, package_id=pid, courier_id=180, tracking_number=number, reason="快递公司选错"
    )
    assert [p[1:3] for p in live_packages(oid)] == [(180, number)]


def test_modify_merged_parcel_updates_every_order(shop):
    a, b = make_order(), make_order()
    svc.ship_merged(order_ids=[a, b], courier_id=ZTO, tracking_number=zto())
    ((pid, *_),) = live_packages(a)
    number = zto()
    svc.modify_shipment(order_id=a, package_id=pid, courier_id=ZTO, tracking_number=number, reason="贴错面单")
    assert live_packages(a) == live_packages(b) and live_packages(a)[0][2] == number
    for oid in (a, b):
        assert [op[1] for op in outbox_of(oid)] == ["ship_order", "modify_shipment"]


def test_cancel_shipment_before_sync(shop):
    account_id, numbers = make_pool(size=2)
    oid = make_order(items=((11, 2), (12, 1)))
    svc.ship_batch_from_pool(order_ids=[oid], account_id=account_id)
    svc.add_extra_package(order_id=oid, courier_id=YTO, tracking_number=yto(), kind="gift")
    clock.set_clock(lambda: NOW + 120)
    with pytest.raises(ValidationError, match="取消原因"):
        svc.cancel_shipment(order_id=oid, reason="")
    changes = svc.cancel_shipment(order_id=oid, reason="发错订单")
    assert changes.goods and changes.orders
    assert one('SELECT status, shipped_at, pending_ops, local_updated_at FROM "order" WHERE id = ?', oid) == (
        1,
        None,
        0,
        NOW + 120,
    )
    assert live_packages(oid) == []
    assert q("SELECT void_reason FROM package ORDER BY id") == [("发错订单",), ("发错订单",)]
    assert [op[4] for op in outbox_of(oid)] == ["cancelled", "cancelled"]
    assert (stock(11), stock(12)) == (100, 50)
    assert q(
        "SELECT sku_id, delta, stock_after, kind FROM stock_movement WHERE kind = 'cancel' ORDER BY id"
    ) == [
        (11, 2, 100, "cancel"),
        (12, 1, 50, "cancel"),
    ]
    action, detail = audit_of(oid)[-1]
    assert action == "cancel_shipment" and detail["reason"] == "发错订单" and len(detail["packages"]) == 2
    assert q("SELECT state, order_id FROM waybill_number WHERE tracking_number = ?", numbers[0]) == [
        ("used", oid)
    ]
    # Ship, cancel, ship again: stock is taken once per live shipment only.
    svc.ship_order(order_id=oid, courier_id=ZTO, tracking_number=zto())
    assert stock(11) == 98
    svc.cancel_shipment(order_id=oid, reason="again")
    assert stock(11) == 100


@pytest.mark.parametrize("state", ["in_flight", "unknown", "succeeded", "failed_permanent", "conflict"])
def test_cancel_after_sending_is_refused(shop, state):
    oid = make_order()
    svc.ship_order(order_id=oid, courier_id=ZTO, tracking_number=zto())
    database.execute_sql("UPDATE outbox SET state = ?", (state,))
    before = snapshot()
    with pytest.raises(NotAllowed, match="已同步到平台，只能修改发货"):
        svc.cancel_shipment(order_id=oid, reason="x")
    assert snapshot() == before


def test_cancel_platform_shipped_or_unshipped_order_is_refused(shop):
    shipped_remotely = make_order(status=2)
    with pytest.raises(NotAllowed, match="已同步到平台"):
        svc.cancel_shipment(order_id=shipped_remotely, reason="x")
    with pytest.raises(NotAllowed, match="不能取消发货"):
        svc.cancel_shipment(order_id=make_order(), reason="x")


def test_cancel_merged_parcel_cancels_all_its_orders(shop):
    a, b = make_order(), make_order()
    svc.ship_merged(order_ids=[a, b], courier_id=ZTO, tracking_number=zto())
    svc.cancel_shipment(order_id=b, reason="买家要分开发")
    assert (status(a), status(b)) == (1, 1)
    assert stock() == 100
    assert [g.order_ids for g in svc.merge_suggestions()] == [(a, b)]


# --------------------------------------------------------------------------------------------
# Bulk-ship file
# --------------------------------------------------------------------------------------------


def write_csv(path, rows, encoding):
    with open(path, "w", encoding=encoding, newline="") as fh:
        csv.writer(fh).writerows(rows)
    return path


def write_xlsx(path, rows):
    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def test_good_csv_utf8_bom_any_column_order(shop, tmp_path):
    a, b = make_order(), make_order()
    na, nb = zto(), yto()
    path = write_csv(
        tmp_path / "ship.csv",
        [
            ["快递单号", "备注", "订单号", "快递公司"],
            [na, "x", sn(a), "中通快递"],
            ["", "", "", ""],
            [nb, "", sn(b), "YTO"],
        ],
        "utf-8-sig",
    )
    check = svc.check_bulk_ship_file(path)
    assert check.errors == () and check.rows_total == 2
    assert [(r.row_no, r.order_id, r.courier_id, r.tracking_number) for r in check.good] == [
        (2, a, ZTO, na),
        (4, b, YTO, nb),
    ]
    task = RecordingTask()
    result = svc.apply_bulk_ship(check, task=task)
    assert result.shipped_count == 2 and result.skipped == ()
    assert [live_packages(o)[0][2] for o in (a, b)] == [na, nb]
    assert q("SELECT actor, action FROM audit_log") == [("import", "ship"), ("import", "ship")]
    assert q("SELECT kind, file_name, rows_total, rows_new, rows_rejected, state FROM import_batch") == [
        ("bulk_ship", "ship.csv", 2, 2, 0, "applied")
    ]
    assert task.reports[-1] == (2, 2, "批量发货")
    with pytest.raises(NotAllowed, match="已发货"):  # applying the same check twice ships nothing twice
        svc.apply_bulk_ship(check)
    assert counts()["package"] == 2


def test_gbk_csv(shop, tmp_path):
    a = make_order()
    number = zto()
    path = write_csv(
        tmp_path / "gbk.csv", [["订单号", "快递公司", "快递单号"], [sn(a), "中通快递", number]], "gbk"
    )
    check = svc.check_bulk_ship_file(path)
    assert check.errors == () and check.good[0].tracking_number == number


def test_xlsx_with_numbers_as_numbers(shop, tmp_path):
    a, b = make_order(), make_order()
    number = zto()
    path = write_xlsx(
        tmp_path / "ship.xlsx",
        [
            ["订单号", "快递公司", "快递单号", "其他"],
            [sn(a), "中通快递", int(number), 1.5],
            [sn(b), " 中通快递 ", f"'{zto()}"],
        ],
    )
    check = svc.check_bulk_ship_file(path)
    assert check.errors == ()
    assert check.good[0].tracking_number == number
    assert svc.apply_bulk_ship(check).shipped_count == 2


def test_title_row_above_header_is_tolerated(shop, tmp_path):
    a = make_order()
    path = write_xlsx(
        tmp_path / "title.xlsx",
        [["拼多多批量发货"], [], ["订单号", "快递公司", "快递单号"], [sn(a), "中通快递", zto()]],
    )
    check = svc.check_bulk_ship_file(path)
    assert check.errors == () and [r.row_no for r in check.good] == [4]


def test_bad_file_reports_every_error_and_changes_nothing(shop, tmp_path):
    ok = make_order()
    shipped = make_order()
    svc.ship_order(order_id=shipped, courier_id=ZTO, tracking_number="73999999999999")
    cancelled, unpaid = make_order(status=4), make_order(status=0)
    refunding, refunded = make_order(refund_status=3), make_order(refund_status=4)
    fresh = [make_order() for _ in range(6)]
    dup = zto()
    rows = [
        ["订单号", "快递公司", "快递单号"],
        [sn(ok), "中通快递", zto()],  # 2 good
        ["261123-000000000099999", "中通快递", zto()],  # 3 unknown order
        [sn(fresh[0]), "火星快递", zto()],  # 4 unknown courier
        [sn(fresh[1]), "中通快递", "YT0000000000001"],  # 5 bad format
        [sn(fresh[2]), "中通快递", dup],  # 6 first use of dup
        [sn(fresh[3]), "中通快递", dup],  # 7 duplicate number in file
        [sn(fresh[4]), "中通快递", "73999999999999"],  # 8 number on a live package
        [sn(shipped), "中通快递", zto()],  # 9 already shipped
        [sn(cancelled), "中通快递", zto()],  # 10 cancelled
        [sn(unpaid), "中通快递", zto()],  # 11 unpaid
        [sn(refunding), "中通快递", zto()],  # 12 refunding
        [sn(refunded), "中通快递", zto()],  # 13 refunded
        ["", "中通快递", zto()],  # 14 empty order
        [sn(fresh[5]), "中通快递", "7.31234E+13"],  # 15 Excel scientific notation
        [sn(ok), "中通快递", zto()],  # 16 order repeated
        [sn(fresh[5]), "", ""],  # 17 order repeated, courier and number empty
    ]
    path = write_csv(tmp_path / "bad.csv", rows, "utf-8-sig")
    before = snapshot()
    check = svc.check_bulk_ship_file(path)
    assert snapshot() == before
    assert [r.row_no for r in check.good] == [2, 6]
    got = {(e.row_no, e.column): (e.raw_value, e.message) for e in check.errors}
    expected = {
        (3, "订单号"): "找不到该订单",
        (4, "快递公司"): "找不到该快递公司",
        (5, "快递单号"): "不符合中通快递的单号格式",
        (7, "快递单号"): "与第 6 行重复",
        (8, "快递单号"): f"已被订单 {sn(shipped)} 使用",
        (9, "订单号"): "已发货",
        (10, "订单号"): "已取消",
        (11, "订单号"): "待支付",
        (12, "订单号"): "退款中",
        (13, "订单号"): "退款成功",
        (14, "订单号"): "订单号为空",
        (15, "快递单号"): "科学计数法",
        (16, "订单号"): "与第 2 行重复",
        (17, "订单号"): "与第 15 行重复",
        (17, "快递公司"): "快递公司为空",
        (17, "快递单号"): "不能为空",
    }
    assert set(got) == set(expected)
    for key, fragment in expected.items():
        assert fragment in got[key][1], (key, got[key])
    assert got[(3, "订单号")][0] == "261123-000000000099999"
    assert got[(15, "快递单号")][0] == "7.31234E+13"
    assert check.bad_rows == 14 and check.rows_total == 16

    result = svc.apply_bulk_ship(check)
    assert sorted(s.order_id for s in result.shipped) == [ok, fresh[2]]
    assert sorted({s.row_no for s in result.skipped}) == [n for n in range(3, 18) if n != 6]
    assert [status(o) for o in fresh] == [1, 1, 2, 1, 1, 1]
    assert q("SELECT rows_total, rows_new, rows_rejected FROM import_batch") == [(16, 2, 14)]
    assert one("SELECT COUNT(*) FROM import_row_error")[0] == len(check.errors)


def test_apply_rechecks_inside_the_transaction(shop, tmp_path):
    a, b = make_order(), make_order()
    path = write_csv(
        tmp_path / "ship.csv",
        [["订单号", "快递公司", "快递单号"], [sn(a), "中通快递", zto()], [sn(b), "中通快递", zto()]],
        "utf-8-sig",
    )
    check = svc.check_bulk_ship_file(path)
    database.execute_sql('UPDATE "order" SET refund_status = 2 WHERE id = ?', (b,))  # buyer asks for a refund
    before = snapshot()
    with pytest.raises(NotAllowed, match="第 3 行"):
        svc.apply_bulk_ship(check)
    assert snapshot() == before


def test_apply_cancelled_rolls_back_everything(shop, tmp_path, monkeypatch):
    monkeypatch.setattr(svc.model, "CHUNK", 1)
    orders = [make_order() for _ in range(3)]
    path = write_csv(
        tmp_path / "ship.csv",
        [["订单号", "快递公司", "快递单号"], *[[sn(o), "中通快递", zto()] for o in orders]],
        "utf-8-sig",
    )
    check = svc.check_bulk_ship_file(path)
    before = snapshot()
    result = svc.apply_bulk_ship(check, task=RecordingTask(cancel_after_first_chunk=True))
    assert result.cancelled and result.shipped == () and result.not_reached == tuple(orders)
    assert snapshot() == before


@pytest.mark.parametrize(
    ("header", "missing"),
    [(["订单号", "快递公司"], "快递单号"), (["单号", "公司", "备注"], "订单号、快递公司、快递单号")],
)
def test_missing_columns_is_a_file_error(shop, tmp_path, header, missing):
    path = write_csv(tmp_path / "h.csv", [header, ["1", "2", "3"]], "utf-8")
    with pytest.raises(ValidationError, match=f"缺少必需的列：{missing}"):
        svc.check_bulk_ship_file(path)


def test_unreadable_files(shop, tmp_path):
    (tmp_path / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(ValidationError, match="xls"):
        svc.check_bulk_ship_file(tmp_path / "old.xls")
    (tmp_path / "empty.csv").write_bytes(b"")
    with pytest.raises(ValidationError, match="空"):
        svc.check_bulk_ship_file(tmp_path / "empty.csv")
    with pytest.raises(ValidationError, match="无法打开"):
        svc.check_bulk_ship_file(tmp_path / "nope.csv")


def test_export_unacknowledged_shipments(shop, tmp_path):
    a, b, c, d, e = (make_order() for _ in range(5))
    na, nb, nb2, nc = zto(), zto(), yto(), zto()
    svc.ship_order(order_id=a, courier_id=ZTO, tracking_number=na)
    svc.ship_order(order_id=b, courier_id=ZTO, tracking_number=nb)
    ((pid, *_),) = live_packages(b)
    svc.modify_shipment(order_id=b, package_id=pid, courier_id=YTO, tracking_number=nb2, reason="换快递")
    svc.ship_order(order_id=c, courier_id=ZTO, tracking_number=nc)
    svc.add_extra_package(order_id=c, courier_id=YTO, tracking_number=yto(), kind="extra")
    svc.ship_order(order_id=d, courier_id=ZTO, tracking_number=zto())
    database.execute_sql(
        "UPDATE outbox SET state = 'succeeded' WHERE entity_remote_id = ?", (sn(d),)
    )  # acknowledged: not exported
    database.execute_sql("UPDATE outbox SET state = 'unknown' WHERE entity_remote_id = ?", (sn(c),))
    svc.ship_without_logistics(order_ids=[e])  # no number: nothing to upload
    expected = [(sn(a), "中通快递", na), (sn(b), "圆通快递", nb2), (sn(c), "中通快递", nc)]

    assert svc.export_bulk_ship_file(tmp_path / "up.csv", fmt="csv") == 3
    raw = (tmp_path / "up.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert rows[0] == ["订单号", "快递公司", "快递单号"]
    assert sorted(map(tuple, rows[1:])) == sorted(expected)

    assert svc.export_bulk_ship_file(tmp_path / "up.xlsx", fmt="xlsx") == 3
    ws = load_workbook(tmp_path / "up.xlsx").active
    cells = list(ws.iter_rows())
    assert [c.value for c in cells[0]] == ["订单号", "快递公司", "快递单号"]
    assert sorted(tuple(c.value for c in row) for row in cells[1:]) == sorted(expected)
    assert all(c.data_type == "s" for row in cells for c in row)
    assert not list(tmp_path.glob("*.part"))

    # The export reads back as a clean bulk-ship file (all orders are shipped already, so all rows error).
    check = svc.check_bulk_ship_file(tmp_path / "up.xlsx")
    assert check.rows_total == 3 and {e.column for e in check.errors} >= {"订单号"}


# --------------------------------------------------------------------------------------------
# Timing
# --------------------------------------------------------------------------------------------


def test_timing_demo_shop_to_ship_orders(demo_shop):
    ids = [r[0] for r in q('SELECT id FROM "order" WHERE status = 1')]
    account = svc.list_waybill_accounts()[0]
    start = time.perf_counter()
    result = svc.ship_batch_from_pool(order_ids=ids, account_id=account.id)
    elapsed = time.perf_counter() - start
    print(
        f"\nbatch-ship demo shop: {result.shipped_count} shipped, {result.skipped_count} skipped "
        f"in {elapsed:.3f} s"
    )
    assert result.shipped_count + result.skipped_count == len(ids)
    assert one('SELECT COUNT(*) FROM "order" WHERE status = 1')[0] == len(ids) - result.shipped_count


_ORDER_COLUMNS = """
    id order_sn status confirm_status group_status refund_status after_sales_status trade_type is_lucky
    risk_control_status is_pre_sale buyer_key buyer_nickname buyer_memo seller_memo flag_name
    goods_amount_fen postage_fen platform_discount_fen seller_discount_fen change_amount_fen
    pay_reduction_fen pay_amount_fen merchant_receive_fen item_count receiver_name receiver_phone province
    city district town address_detail receiver_name_mask receiver_phone_mask address_mask print_count
    pending_ops has_conflict source
""".split()


@pytest.mark.slow
def test_ten_thousand_orders_from_the_pool(shop):
    n = 10_000
    conn = database.connection()
    with database.atomic():
        conn.executemany(
            f'INSERT INTO "order" ({", ".join(_ORDER_COLUMNS)}) '
            "VALUES (?, ?, 1, 1, 1, 1, 0, 0, 0, 0, 0, ?, '', '', '', '', 990, 0, 0, 0, 0, 0, 990, 990, 1, "
            "'张三', '13800000000', '浙江省', '杭州市', '西湖区', '', '文三路', '', '', '', 0, 0, 0, 'demo')",
            [(100_000 + i, f"261123-{900_000_000_000_000 + i}", f"b{i}") for i in range(n)],
        )
        conn.executemany(
            "INSERT INTO order_item (order_id, goods_id, sku_id, goods_name, spec, outer_id, outer_goods_id, "
            "quantity, unit_price_fen) VALUES (?, 1, ?, '保温杯', '', '', '', 1, 990)",
            [(100_000 + i, 11 + i % 2) for i in range(n)],
        )
        account = WaybillAccount.create(courier=ZTO, created_at=NOW)
        conn.executemany(
            "INSERT INTO waybill_number (account_id, tracking_number, state) VALUES (?, ?, 'free')",
            [(account.id, f"78{i:012d}") for i in range(n)],
        )
    ids = [100_000 + i for i in range(n)]
    task = RecordingTask()
    start = time.perf_counter()
    result = svc.ship_batch_from_pool(order_ids=ids, account_id=account.id, task=task)
    elapsed = time.perf_counter() - start
    print(f"\nship_batch_from_pool: {n} orders in {elapsed:.2f} s ({len(task.reports) - 1} chunks)")
    assert result.shipped_count == n and result.skipped == ()
    assert one('SELECT COUNT(*) FROM "order" WHERE status = 2')[0] == n
    assert one("SELECT COUNT(*), COUNT(DISTINCT tracking_number) FROM package")[0] == n
    assert one("SELECT COUNT(*) FROM outbox WHERE state = 'pending'")[0] == n
    assert one("SELECT COUNT(*) FROM waybill_number WHERE state = 'used' AND order_id IS NOT NULL")[0] == n
    assert (stock(11), stock(12)) == (100 - n // 2, 50 - n // 2)
    assert elapsed < 30  # a guard against a quadratic slip; the target is well under 10 s
