"""暂停发货 placed by hand in 发货中心: all-or-nothing holds, the row marker, the 已暂停 view, the detail."""

from __future__ import annotations

import json

import pytest

from pdd_desktop.data.db import database
from pdd_desktop.domain.errors import NotAllowed, ValidationError
from pdd_desktop.services import holds, shipping
from pdd_desktop.services import orders as svc
from pdd_desktop.services.orders import OrderFilter
from tests.conftest import DEMO_NOW
from tests.helpers.db import raw_rows


def _ids(db, status: int, n: int) -> list[int]:
    return [
        oid
        for (oid,) in raw_rows(db, 'SELECT id FROM "order" WHERE status = ? ORDER BY id LIMIT ?', (status, n))
    ]


def _open_holds(db) -> list[tuple]:
    return raw_rows(
        db, "SELECT order_id, reason, rule_id FROM order_hold WHERE released_at IS NULL ORDER BY order_id"
    )


def test_hold_orders_holds_every_selected_order_with_an_audit_row(demo_shop):
    db = demo_shop.db_file
    ids = _ids(db, 1, 3)
    changes = holds.hold_orders(order_ids=ids, reason="  买家要求改地址  ")
    assert changes.orders
    assert _open_holds(db) == [(oid, "买家要求改地址", None) for oid in ids]
    audit = raw_rows(
        db, "SELECT order_id, actor, action, detail_json, at FROM audit_log WHERE action = 'hold'"
    )
    assert sorted(a[0] for a in audit) == ids
    assert {(a[1], a[2], a[4]) for a in audit} == {("user", "hold", DEMO_NOW)}
    assert all(json.loads(a[3]) == {"reason": "买家要求改地址"} for a in audit)


@pytest.mark.parametrize(
    ("bad", "message"),
    [("shipped", "只有待发货订单可以暂停发货"), ("held", "已经暂停发货"), ("gone", "订单不存在")],
)
def test_one_bad_order_holds_none_and_names_it(demo_shop, bad, message):
    db = demo_shop.db_file
    ids = _ids(db, 1, 3)
    extra = {"shipped": _ids(db, 2, 1), "held": ids[:1], "gone": [999_999_999]}[bad]
    if bad == "held":
        holds.hold_orders(order_ids=extra, reason="先停")
    before = _open_holds(db)
    audit_before = raw_rows(db, "SELECT COUNT(*) FROM audit_log")
    with pytest.raises(NotAllowed, match=message) as info:
        holds.hold_orders(order_ids=[*ids[1:], *extra], reason="核实地址")
    if bad != "gone":
        sn = raw_rows(db, 'SELECT order_sn FROM "order" WHERE id = ?', (extra[0],))[0][0]
        assert sn in str(info.value)
    assert _open_holds(db) == before
    assert raw_rows(db, "SELECT COUNT(*) FROM audit_log") == audit_before


@pytest.mark.parametrize(("reason", "message"), [("   ", "不能为空"), ("长" * 201, "不能超过 200 个字")])
def test_a_bad_reason_is_refused(demo_shop, reason, message):
    with pytest.raises(ValidationError, match=message):
        holds.hold_orders(order_ids=_ids(demo_shop.db_file, 1, 1), reason=reason)
    with pytest.raises(ValidationError, match="请选择"):
        holds.hold_orders(order_ids=[], reason="核实")
    assert _open_holds(demo_shop.db_file) == []


def test_rows_view_and_count_follow_the_hold_until_it_is_released(demo_shop):
    db = demo_shop.db_file
    ids = _ids(db, 1, 4)
    holds.hold_orders(order_ids=ids[:3], reason="核实地址")
    rows = {r.id: r for r in svc.rows_for_ids(ids)}
    assert [rows[i].held for i in ids] == [True, True, True, False]
    assert rows[ids[0]].hold_reason == "核实地址" and not rows[ids[0]].hold_by_rule
    f = OrderFilter(view="held")
    assert sorted(svc.search_ids(f)) == ids[:3]
    assert svc.view_counts(OrderFilter())["held"] == 3 == svc.count_orders(f)
    # Under another filter the counts are one pass over the matches: the same answer.
    sn = raw_rows(db, 'SELECT order_sn FROM "order" WHERE id = ?', (ids[0],))[0][0]
    assert svc.view_counts(OrderFilter(order_sn=sn))["held"] == 1
    # Shipping refuses a held order with the hold's reason.
    assert "订单已暂停发货（核实地址）" in (shipping.ship_guard(ids[0]).reason or "")
    holds.release_holds(order_ids=ids[:1])
    assert sorted(svc.search_ids(f)) == ids[1:3]
    assert not svc.rows_for_ids(ids[:1])[0].held
    assert shipping.ship_guard(ids[0]).allowed
    # A held order that left 待发货 (cancelled on the platform) is no longer listed as held.
    database.execute_sql('UPDATE "order" SET status = 4 WHERE id = ?', (ids[1],))
    assert svc.search_ids(f) == [ids[2]]
    assert svc.view_counts(OrderFilter())["held"] == 1
    assert not svc.rows_for_ids(ids[1:2])[0].held


def test_the_detail_says_who_placed_the_hold(demo_shop):
    db = demo_shop.db_file
    mine, rules = _ids(db, 1, 2)
    holds.hold_orders(order_ids=[mine], reason="买家电话打不通")
    database.execute_sql(
        "INSERT INTO automation_rule (kind, enabled, params_json, fail_count, last_error, updated_at) "
        "VALUES ('hold_risky', 1, '{}', 0, '', ?)",
        (DEMO_NOW,),
    )
    rule_id = raw_rows(db, "SELECT id FROM automation_rule WHERE kind = 'hold_risky'")[0][0]
    holds.hold_order(order_id=rules, reason="收货地址含「驿站」", rule_id=rule_id, actor="auto:hold")
    d = svc.order_detail(mine)
    assert d.hold is not None and (d.hold.reason, d.hold.by, d.hold.by_rule) == (
        "买家电话打不通",
        "商家",
        False,
    )
    assert d.hold.held_at == DEMO_NOW
    assert [(a.actor, a.action) for a in d.audit] == [("用户", "暂停发货")]
    d = svc.order_detail(rules)
    assert d.hold is not None and d.hold.by == "自动化规则「风险订单暂停发货」" and d.hold.by_rule
    assert d.row.hold_by_rule
    assert [(a.actor, a.action) for a in d.audit] == [("自动化规则「风险订单暂停发货」", "暂停发货")]
    holds.release_holds(order_ids=[mine])
    d = svc.order_detail(mine)
    assert d.hold is None
    assert [a.action for a in d.audit] == ["暂停发货", "解除暂停"]
