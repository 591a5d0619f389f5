"""发货中心 read side: every view, filter and sort checked against a recount from raw rows."""

from __future__ import annotations

import json
import math
import random
import shutil
from pathlib import Path

import pytest

from pdd_desktop.common.changes import Changes
from pdd_desktop.data import migrations
from pdd_desktop.data.db import database, open_database
from pdd_desktop.data.models import AuditLog, Order
from pdd_desktop.domain.errors import NotAllowed, ValidationError
from pdd_desktop.services import holds
from pdd_desktop.services import orders as svc
from pdd_desktop.services.orders import OrderFilter
from tests.conftest import DEMO_NOW
from tests.helpers.db import raw_rows as _raw

H = 3600
NEAR_H = 6
COLS = (
    "id, order_sn, status, refund_status, created_at, paid_at, ship_deadline_at, pay_amount_fen, "
    "print_count, pending_ops, buyer_nickname, receiver_name, receiver_phone, flag, buyer_memo, seller_memo"
)


@pytest.fixture
def shop(demo_shop):
    """The demo shop plus its orders, items and goods as plain dicts (read with sqlite3, not the app).

    Every seventh 待发货 order (from the fourth) is on hold (暂停发货) and one of those released
    again, so the 已暂停 view takes part in every cross-check below.
    """
    db = demo_shop.db_file
    to_ship = [oid for (oid,) in _raw(db, 'SELECT id FROM "order" WHERE status = 1 ORDER BY id')]
    holds.hold_orders(order_ids=to_ship[3::7], reason="地址待核实")
    holds.release_holds(order_ids=to_ship[3:4])
    open_holds = {oid for (oid,) in _raw(db, "SELECT order_id FROM order_hold WHERE released_at IS NULL")}
    names = [c.strip() for c in COLS.split(",")]
    orders = [dict(zip(names, r, strict=True)) for r in _raw(db, f'SELECT {COLS} FROM "order"')]
    for o in orders:
        o["held"] = o["id"] in open_holds
    items: dict[int, list[tuple]] = {}
    for oid, goods_id, sku_id, outer_id in _raw(
        db, "SELECT order_id, goods_id, sku_id, outer_id FROM order_item"
    ):
        items.setdefault(oid, []).append((goods_id, sku_id, outer_id))
    goods = {gid: (name, short, outer) for gid, name, short, outer in _raw(
        db, "SELECT goods_id, name, short_name, outer_goods_id FROM goods"
    )}  # fmt: skip
    return {"db": db, "orders": orders, "by_id": {o["id"]: o for o in orders}, "items": items, "goods": goods}


# ---------------------------------------------------------------------------- independent rules

VIEW_RULES = {
    "unpaid": lambda o, now: o["status"] == 0,
    "to_ship": lambda o, now: o["status"] == 1,
    "shipped": lambda o, now: o["status"] == 2,
    "signed": lambda o, now: o["status"] == 3,
    "cancelled": lambda o, now: o["status"] == 4,
    "all": lambda o, now: True,
    "near_deadline": lambda o, now: (
        o["status"] == 1
        and o["ship_deadline_at"] is not None
        and now <= o["ship_deadline_at"] < now + NEAR_H * H
    ),
    "overdue": lambda o, now: (
        o["status"] == 1 and o["ship_deadline_at"] is not None and o["ship_deadline_at"] < now
    ),
    "after_sales": lambda o, now: o["refund_status"] != 1,
    "unprinted": lambda o, now: o["status"] == 1 and o["print_count"] == 0,
    "pending_upload": lambda o, now: o["pending_ops"] > 0,
    "held": lambda o, now: o["status"] == 1 and o["held"],
}


def goods_match(shop, oid, text):
    for goods_id, sku_id, outer_id in shop["items"].get(oid, ()):
        name, short, outer_goods = shop["goods"].get(goods_id, ("", "", ""))
        if text.lower() in name.lower() or text.lower() in short.lower():
            return True
        if outer_id.startswith(text) or outer_goods.startswith(text):
            return True
        if text.isdigit() and int(text) in (goods_id, sku_id):
            return True
    return False


def matches(shop, o, f: OrderFilter, now=DEMO_NOW):
    """The filter's documented meaning, in plain Python."""
    if not VIEW_RULES[f.view](o, now):
        return False
    if f.order_sn and f.order_sn.lower() not in o["order_sn"].lower():
        return False
    if f.buyer and not o["buyer_nickname"].startswith(f.buyer):
        return False
    if f.receiver and f.receiver not in (o["receiver_name"], o["receiver_phone"]):
        return False
    for col, low, high in (("created_at", f.created_from, f.created_to), ("paid_at", f.paid_from, f.paid_to)):
        value = o[col]
        if low is not None and (value is None or value < low):
            return False
        if high is not None and (value is None or value >= high):
            return False
    if f.goods and not goods_match(shop, o["id"], f.goods):
        return False
    if f.flag is not None and (o["flag"] or 0) != f.flag:
        return False
    if f.memo and f.memo not in o["buyer_memo"] and f.memo not in o["seller_memo"]:
        return False
    if f.printed is not None and (o["print_count"] > 0) != f.printed:
        return False
    return True


def expected_ids(shop, f, sort, now=DEMO_NOW):
    """Matching ids in the documented sort order."""
    found = [o for o in shop["orders"] if matches(shop, o, f, now)]

    def desc_nulls_last(col):
        return lambda o: (o[col] is None, -(o[col] or 0), -o["id"])

    keys = {
        "created_desc": desc_nulls_last("created_at"),
        "created_asc": lambda o: (o["created_at"] is not None, o["created_at"] or 0, o["id"]),
        "paid_desc": desc_nulls_last("paid_at"),
        "amount_desc": lambda o: (-o["pay_amount_fen"], -o["id"]),
        "amount_asc": lambda o: (o["pay_amount_fen"], o["id"]),
    }
    if sort == "urgency":
        urgent = [o for o in found if o["status"] == 1]
        urgent.sort(key=lambda o: (o["ship_deadline_at"] is not None, o["ship_deadline_at"] or 0, o["id"]))
        rest = sorted((o for o in found if o["status"] != 1), key=keys["created_desc"])
        return [o["id"] for o in urgent + rest]
    return [o["id"] for o in sorted(found, key=keys[sort])]


# ---------------------------------------------------------------------------- views, counts, sorts


def test_every_view_matches_an_independent_count(shop):
    counts = svc.view_counts(OrderFilter())
    assert list(counts) == [key for key, _ in svc.VIEWS]
    for view, _label in svc.VIEWS:
        f = OrderFilter(view=view)
        want = expected_ids(shop, f, "urgency")
        assert svc.search_ids(f) == want, view
        assert counts[view] == len(want) == svc.count_orders(f), view
    # The demo shop must exercise the views, or this proves little.
    for view in (
        "to_ship",
        "shipped",
        "signed",
        "cancelled",
        "near_deadline",
        "overdue",
        "after_sales",
        "unprinted",
        "held",
    ):
        assert counts[view] > 0, view


@pytest.mark.parametrize("sort", [key for key, _ in svc.SORTS])
def test_every_sort_order(shop, sort):
    for view in ("all", "to_ship", "signed", "after_sales", "overdue"):
        f = OrderFilter(view=view)
        want = expected_ids(shop, f, sort)
        assert svc.search_ids(f, sort=sort) == want, (view, sort)
        assert svc.search_ids(f, sort=sort, limit=50) == want[:50], (view, sort)
    assert svc.search_ids(OrderFilter(), sort=sort, limit=0) == []


def test_urgency_puts_unshipped_orders_first_by_deadline(shop):
    ids = svc.search_ids(OrderFilter(), limit=5000)
    statuses = [shop["by_id"][i]["status"] for i in ids]
    n_to_ship = statuses.count(1)
    assert statuses[:n_to_ship] == [1] * n_to_ship and 1 not in statuses[n_to_ship:]
    deadlines = [shop["by_id"][i]["ship_deadline_at"] for i in ids[:n_to_ship]]
    assert deadlines == sorted(deadlines)


def test_pending_upload_view_and_moving_clock(shop):
    # Mark some orders as waiting for upload; the view and its count follow.
    picked = [o["id"] for o in shop["orders"][::97]]
    Order.update(pending_ops=2).where(Order.id.in_(picked)).execute()
    for o in shop["orders"]:
        if o["id"] in picked:
            o["pending_ops"] = 2
    f = OrderFilter(view="pending_upload")
    assert svc.search_ids(f) == expected_ids(shop, f, "urgency")
    assert svc.view_counts(OrderFilter())["pending_upload"] == len(picked)
    # Ten days later everything to ship is overdue.
    later = DEMO_NOW + 10 * 86400
    to_ship = svc.view_counts(OrderFilter(), now=later)["to_ship"]
    assert svc.view_counts(OrderFilter(), now=later)["overdue"] == to_ship
    assert svc.search_ids(OrderFilter(view="overdue"), now=later, sort="created_desc") == expected_ids(
        shop, OrderFilter(view="overdue"), "created_desc", now=later
    )


# ---------------------------------------------------------------------------- filters


def sample_filters(shop):
    """One filter per field (several for the many-sided ones), with values taken from the data."""
    rng = random.Random(5)
    orders = shop["orders"]
    o = rng.choice([x for x in orders if x["paid_at"]])
    sn = o["order_sn"]
    memo_order = next(x for x in orders if x["buyer_memo"])
    seller_order = next(x for x in orders if x["seller_memo"])
    goods_id, (name, short, outer_goods) = next(iter(sorted(shop["goods"].items())))
    _goods, sku_id, outer_id = shop["items"][o["id"]][0]
    mid = sorted(x["created_at"] for x in orders)[len(orders) // 2]
    return [
        OrderFilter(order_sn=sn),  # full number
        OrderFilter(order_sn=sn[-5:]),  # 5-character fragment (FTS)
        OrderFilter(order_sn=sn[3:10]),  # fragment with the dash
        OrderFilter(order_sn=sn[-2:]),  # short fragment: LIKE
        OrderFilter(order_sn="7"),
        OrderFilter(buyer=o["buyer_nickname"]),
        OrderFilter(buyer=o["buyer_nickname"][:1]),
        OrderFilter(receiver=o["receiver_name"]),
        OrderFilter(receiver=o["receiver_phone"]),
        OrderFilter(created_from=mid),
        OrderFilter(created_to=mid),
        OrderFilter(created_from=mid - 86400, created_to=mid + 86400),
        OrderFilter(paid_from=o["paid_at"] - 3 * 86400, paid_to=o["paid_at"]),
        OrderFilter(goods=short[:2]),
        OrderFilter(goods=name[2:6]),
        OrderFilter(goods=str(goods_id)),
        OrderFilter(goods=str(sku_id)),
        OrderFilter(goods=outer_id),
        OrderFilter(goods=outer_id[:4]),
        OrderFilter(goods=outer_goods),
        *[OrderFilter(flag=k) for k in range(6)],
        OrderFilter(memo=memo_order["buyer_memo"][:3]),
        OrderFilter(memo=seller_order["seller_memo"][1:4]),
        OrderFilter(printed=True),
        OrderFilter(printed=False),
    ]


def test_every_filter_alone(shop):
    for f in sample_filters(shop):
        want = expected_ids(shop, f, "urgency")
        assert want, f  # each sample finds something
        assert svc.search_ids(f) == want, f
        assert svc.count_orders(f) == len(want), f


def test_filters_combined_with_views_and_each_other(shop):
    singles = sample_filters(shop)
    rng = random.Random(9)
    views = [key for key, _ in svc.VIEWS]
    for _ in range(40):
        merged: dict = {}
        for f in rng.sample(singles, 2):
            merged.update({k: v for k, v in vars(f).items() if v not in ("", None) and k != "view"})
        f = OrderFilter(view=rng.choice(views), **merged)
        sort = rng.choice([key for key, _ in svc.SORTS])
        assert svc.search_ids(f, sort=sort) == expected_ids(shop, f, sort), f
    combo = OrderFilter(view="signed", flag=0, printed=True, created_from=DEMO_NOW - 90 * 86400)
    assert svc.search_ids(combo, sort="amount_desc") == expected_ids(shop, combo, "amount_desc")


def test_view_counts_under_a_filter(shop):
    extra = [
        OrderFilter(flag=2),
        OrderFilter(flag=0),  # counted as all minus the flagged ones
        OrderFilter(printed=True),  # all minus the unprinted ones
        OrderFilter(printed=False, view="signed"),
        OrderFilter(flag=0, memo="尽快"),
    ]
    for f in [*sample_filters(shop)[:12:3], *extra]:
        counts = svc.view_counts(f)
        for view, _ in svc.VIEWS:
            g = OrderFilter(**{**vars(f), "view": view})
            assert counts[view] == len(expected_ids(shop, g, "created_desc")), (f, view)


@pytest.mark.parametrize(
    ("f", "sort", "field"),
    [
        (OrderFilter(flag=7), "urgency", "旗帜"),
        (OrderFilter(flag=-1), "urgency", "旗帜"),
        (OrderFilter(view="nope"), "urgency", "视图"),
        (OrderFilter(), "random", "排序"),
        (OrderFilter(order_sn="12%3"), "urgency", "订单号"),
        (OrderFilter(created_from=20, created_to=10), "urgency", "下单时间"),
        (OrderFilter(paid_from=10, paid_to=10), "urgency", "支付时间"),
    ],
)
def test_invalid_input_is_refused_in_chinese(shop, f, sort, field):
    with pytest.raises(ValidationError, match=field):
        svc.search_ids(f, sort=sort)


# ---------------------------------------------------------------------------- rows and detail


def test_rows_keep_the_order_and_skip_missing_ids(shop):
    ids = svc.search_ids(OrderFilter(view="shipped"), limit=200)
    picked = [*ids[::-1][:150], 999_999_999, *ids[:3]]
    rows = svc.rows_for_ids(picked)
    assert [r.id for r in rows] == [i for i in picked if i != 999_999_999]
    assert svc.rows_for_ids([]) == []


def test_row_formatting(shop):
    db = shop["db"]
    # An order with several lines, one with an after-sales case, one with two live packages.
    multi = _raw(db, "SELECT order_id FROM order_item GROUP BY order_id HAVING COUNT(*) >= 3 LIMIT 1")[0][0]
    refunded = next(o["id"] for o in shop["orders"] if o["refund_status"] == 4)
    in_progress = next(o["id"] for o in shop["orders"] if o["refund_status"] == 2)
    shipped = next(o["id"] for o in shop["orders"] if o["status"] == 2)
    rows = {r.id: r for r in svc.rows_for_ids([multi, refunded, in_progress, shipped])}

    assert rows[refunded].after_sales_badge == "已退款"
    assert rows[in_progress].after_sales_badge == "售后中"
    assert rows[shipped].after_sales_badge in ("无售后", "售后中", "退款中", "已退款")
    assert rows[shipped].status_label == "已发货"

    name, phone, prov, city, dist, units = _raw(
        db,
        'SELECT receiver_name_mask, receiver_phone_mask, province, city, district, item_count FROM "order" '
        "WHERE id = ?",
        (multi,),
    )[0]
    row = rows[multi]
    assert (row.receiver_name_mask, row.receiver_phone_mask) == (name, phone)
    assert "****" in row.receiver_phone_mask
    assert row.region == f"{prov} {city} {dist}"
    lines = _raw(
        db,
        "SELECT COALESCE(NULLIF(g.short_name, ''), i.goods_name), i.spec, i.quantity FROM order_item i "
        "LEFT JOIN goods g ON g.goods_id = i.goods_id WHERE i.order_id = ? ORDER BY i.id",
        (multi,),
    )
    first_two = "；".join(f"{n} {s}×{q}" if s else f"{n}×{q}" for n, s, q in lines[:2])
    assert row.items_summary == f"{first_two} 等{units}件"
    assert row.item_count == units

    packages = _raw(
        db,
        "SELECT c.name, p.tracking_number FROM package_order po JOIN package p ON p.id = po.package_id "
        "JOIN courier c ON c.id = p.courier_id WHERE po.order_id = ? AND p.voided_at IS NULL "
        "ORDER BY p.shipped_at, p.id",
        (shipped,),
    )
    assert rows[shipped].tracking_numbers == "、".join(f"{c} {n}" for c, n in packages)
    assert rows[shipped].tracking_numbers.split(" ")[0].endswith(("快递", "速递", "物流", "EMS", "邮政"))


def test_order_detail_content(shop):
    db = shop["db"]
    oid = _raw(
        db,
        "SELECT a.order_id FROM after_sale a JOIN package_order po ON po.order_id = a.order_id "
        "JOIN tracking_event e ON e.package_id = po.package_id LIMIT 1",
    )[0][0]
    d = svc.order_detail(oid)
    o = shop["by_id"][oid]
    assert d.row.id == oid and d.row.order_sn == o["order_sn"]
    items = _raw(
        db, "SELECT sku_id, quantity, unit_price_fen FROM order_item WHERE order_id = ? ORDER BY id", (oid,)
    )
    assert [(i.sku_id, i.quantity, i.unit_price_fen) for i in d.items] == items
    amounts = _raw(
        db,
        "SELECT goods_amount_fen, postage_fen, platform_discount_fen, seller_discount_fen, "
        "change_amount_fen, pay_reduction_fen, pay_amount_fen, merchant_receive_fen "
        'FROM "order" WHERE id = ?',
        (oid,),
    )[0]
    a = d.amounts
    assert (
        a.goods, a.postage, a.platform_discount, a.seller_discount, a.change, a.pay_reduction, a.pay,
        a.merchant_receive,
    ) == amounts  # fmt: skip
    assert sum(i.subtotal_fen for i in d.items) == a.goods
    labels = [label for label, _ in d.timeline]
    assert {"下单", "支付"} <= set(labels)
    assert [ts for _, ts in d.timeline] == sorted(ts for _, ts in d.timeline)
    assert o["receiver_phone"] not in d.receiver_masked and o["receiver_name"] not in d.receiver_masked
    with_events = [p for p in d.packages if p.events]
    assert with_events and all(p.number and p.courier for p in d.packages)
    assert with_events[0].events[0][1] in ("揽收", "运输中", "派件中", "已签收", "异常")
    assert {p.kind_label for p in d.packages} <= {"普通", "分包", "补发", "赠品", "无物流"}
    cases = _raw(
        db, "SELECT id, refund_amount_fen FROM after_sale WHERE order_id = ? ORDER BY created_at, id", (oid,)
    )
    assert [(c.id, c.refund_amount_fen) for c in d.after_sales] == cases
    assert d.after_sales[0].type_label in ("仅退款", "退货退款", "换货", "补寄", "维修")
    assert d.after_sales[0].events and d.after_sales[0].events[0][1] in ("买家", "商家", "平台", "系统")
    assert d.audit == ()
    with pytest.raises(NotAllowed):
        svc.order_detail(999_999_999)


def test_reveal_receiver_is_audited_and_returns_the_real_data(shop):
    o = next(x for x in shop["orders"] if x["status"] == 1)
    info, changes = svc.reveal_receiver(order_id=o["id"], reason="联系买家改地址")
    assert (info.name, info.phone) == (o["receiver_name"], o["receiver_phone"])
    assert info.province and info.detail
    assert isinstance(changes, Changes)
    log = AuditLog.get(AuditLog.action == "reveal_receiver")
    assert (log.order_id, log.entity_type, log.entity_id, log.at) == (
        o["id"],
        "order",
        str(o["id"]),
        DEMO_NOW,
    )
    assert o["receiver_phone"] not in log.detail_json
    assert json.loads(log.detail_json) == {"reason": "联系买家改地址"}
    audit = svc.order_detail(o["id"]).audit
    assert len(audit) == 1 and audit[0].action == "查看收件人信息" and "联系买家改地址" in audit[0].detail
    with pytest.raises(NotAllowed):
        svc.reveal_receiver(order_id=999_999_999)


def test_saved_filters_round_trip(shop):
    assert svc.saved_filters() == []
    a = OrderFilter(view="to_ship", flag=1, printed=False, created_from=DEMO_NOW - 86400)
    b = OrderFilter(view="after_sales", memo="尽快", goods="SY-")
    assert svc.save_filter(name="红旗未打印", f=a) == Changes(settings=True)
    svc.save_filter(name="售后备注", f=b)
    assert svc.saved_filters() == [("红旗未打印", a), ("售后备注", b)]
    c = OrderFilter(view="overdue")
    svc.save_filter(name="红旗未打印", f=c)  # same name replaces
    assert svc.saved_filters() == [("售后备注", b), ("红旗未打印", c)]
    assert svc.delete_saved_filter(name="售后备注") == Changes(settings=True)
    assert svc.delete_saved_filter(name="没有这个") == Changes()
    assert svc.saved_filters() == [("红旗未打印", c)]
    with pytest.raises(ValidationError, match="筛选名称"):
        svc.save_filter(name="  ", f=a)
    with pytest.raises(ValidationError, match="旗帜"):
        svc.save_filter(name="坏的", f=OrderFilter(flag=9))
    stored = database.execute_sql("SELECT value_json FROM setting WHERE key = ?", (svc.SAVED_FILTERS_KEY,))
    assert json.loads(stored.fetchone()[0])[0]["filter"]["view"] == "overdue"


# ---------------------------------------------------------------------------- order-number search index


def test_fragment_search_follows_insert_update_and_delete(empty_shop):
    def found(fragment):
        return svc.search_ids(OrderFilter(order_sn=fragment), sort="created_desc")

    a = Order.create(order_sn="261123-000000000012345", status=1, created_at=100, ship_deadline_at=500)
    b = Order.create(order_sn="261123-000000000099999", status=2, created_at=200)
    assert found("12345") == [a.id]
    assert found("0000000") == [b.id, a.id]
    assert found("45") == [a.id]  # short fragment: LIKE
    Order.update(order_sn="261124-777770000000001").where(Order.id == a.id).execute()
    assert found("12345") == []
    assert found("77777") == [a.id]
    a = Order.get_by_id(a.id)
    a.seller_memo = "备注"  # a full save() that rewrites order_sn unchanged keeps the index right
    a.save()
    assert found("77777") == [a.id]
    b.delete_instance()
    assert found("99999") == [] and found("0000000") == [a.id]
    # Raises when the index and the order table disagree.
    database.execute_sql("INSERT INTO order_sn_fts(order_sn_fts) VALUES ('integrity-check')")


def test_stored_v1_database_is_searchable_after_the_upgrade(tmp_path):
    db = tmp_path / "shop.db"
    shutil.copyfile(Path(__file__).parents[1] / "fixtures" / "db_v1.sqlite", db)
    migrations.migrate(db)
    open_database(db)
    assert svc.search_ids(OrderFilter(order_sn="00000001"), now=DEMO_NOW) == [1]
    assert svc.search_ids(OrderFilter(order_sn="261123"), now=DEMO_NOW) == [1]


@pytest.mark.parametrize("forced", ["walk", "narrow"])
def test_the_plan_never_changes_the_result(shop, monkeypatch, forced):
    """Plans only move unary pluses around: forcing either one gives the same ids and counts."""
    from pdd_desktop.data.queries import orders as q

    every_kind = frozenset(
        ("order_sn", "buyer", "receiver", "goods", "flag", "memo", "created", "paid", "printed")
    )
    plan = q._Plan(False, True, frozenset()) if forced == "walk" else q._Plan(True, False, every_kind)
    monkeypatch.setattr(q, "_plan", lambda view, c, sort_column, limit=None: plan)
    rng = random.Random(3)
    for f in sample_filters(shop)[::2]:
        f = OrderFilter(**{**vars(f), "view": rng.choice([key for key, _ in svc.VIEWS])})
        for sort in ("urgency", "amount_asc"):
            assert svc.search_ids(f, sort=sort) == expected_ids(shop, f, sort), (f, sort)
        assert svc.count_orders(f) == len(expected_ids(shop, f, "created_desc")), f


def test_a_broad_filter_walks_the_sort_index_for_the_first_screen(shop):
    """A filter matching many orders is checked per row on the sorted walk; the rows are the same."""
    from pdd_desktop.data.queries import orders as q

    (prefix, n), *_ = database.execute_sql(
        'SELECT substr(buyer_nickname, 1, 2) AS p, COUNT(*) FROM "order" GROUP BY p ORDER BY 2 DESC LIMIT 1'
    ).fetchall()
    c = q.Criteria(buyer_prefix=prefix)
    limit = 3  # the 3,000-order shop's most common prefix matches ~140: broad for a 3-row screen
    assert n > math.isqrt(limit * 3000)
    assert q._broad_kinds(c, frozenset({"buyer"}), limit) == {"buyer"}
    assert not q._plan("all", c, "created_at", limit).narrow
    assert q._plan("all", c, "created_at", None).narrow  # all ids: the filter's index leads
    assert q._plan("all", c, "created_at", 200).narrow  # 200 of 3,000: reading ~140 rows is cheaper
    rare = q.Criteria(buyer_prefix="不存在的昵称")
    assert q._broad_kinds(rare, frozenset({"buyer"}), limit) == frozenset()
    for view in ("all", "to_ship", "signed"):
        for sort in ("urgency", "created_desc", "amount_desc"):
            f = OrderFilter(view=view, buyer=prefix)
            every = svc.search_ids(f, sort=sort, now=DEMO_NOW)
            assert every == expected_ids(shop, f, sort)
            assert svc.search_ids(f, sort=sort, now=DEMO_NOW, limit=limit) == every[:limit], (view, sort)
