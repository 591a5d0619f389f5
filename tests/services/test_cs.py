"""客服 services: quick replies filled from an order, their checks, targets and the alerts."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import pytest

from pdd_desktop.common import clock
from pdd_desktop.domain.errors import ValidationError
from pdd_desktop.domain.reply_safety import check_reply
from pdd_desktop.services import cs
from pdd_desktop.services.cs_import import day_number, import_cs_export
from tests.helpers.db import one, q
from tests.services.test_cs_import import agent_rows, write


def _shipped_order_with_trace() -> tuple[int, str, str, str]:
    return one(
        "SELECT o.id, o.order_sn, p.tracking_number, c.name FROM \"order\" o "
        "JOIN package_order po ON po.order_id = o.id JOIN package p ON p.id = po.package_id "
        "JOIN courier c ON c.id = p.courier_id "
        "WHERE p.voided_at IS NULL AND EXISTS (SELECT 1 FROM tracking_event e WHERE e.package_id = p.id) "
        "AND (SELECT COUNT(*) FROM package_order x WHERE x.order_id = o.id) = 1 ORDER BY o.id LIMIT 1"
    )


def test_seeded_templates_are_safe_and_use_known_variables(empty_shop):
    replies = cs.quick_replies()
    titles = {r.title for r in replies}
    assert {"延迟发货致歉", "缺货说明", "修改地址", "退货说明"} <= titles
    for r in replies:
        assert check_reply(r.body) == (), r.title
        assert set(cs.variables_in(r.body)) <= set(cs.VARIABLES), r.title
        assert r.shortcut.startswith("/")


def test_fill_from_an_order(demo_shop):
    order_id, order_sn, number, courier = _shipped_order_with_trace()
    values = cs.order_variables(order_id)
    (wl,) = [r for r in cs.quick_replies() if r.shortcut == "/wl"]
    filled = cs.fill(wl.body, values)
    assert filled.ready, (filled.missing, filled.findings)
    assert order_sn in filled.text and number in filled.text and courier in filled.text
    latest = one(
        "SELECT e.description FROM tracking_event e JOIN package p ON p.id = e.package_id "
        "WHERE p.tracking_number = ? ORDER BY e.at DESC LIMIT 1",
        number,
    )[0]
    assert latest in filled.text


def test_late_shipment_needs_the_new_date(demo_shop):
    order_id = one("SELECT id FROM \"order\" WHERE status = 1 ORDER BY id LIMIT 1")[0]
    (yc,) = [r for r in cs.quick_replies() if r.shortcut == "/yc"]
    values = cs.order_variables(order_id)
    filled = cs.fill(yc.body, values)
    assert filled.missing == ("新发货日期",) and not filled.ready
    filled = cs.fill(yc.body, {**values, "新发货日期": "12月9日"})
    assert filled.ready and "12月9日 前为您发出" in filled.text


def test_return_address_leaves_the_phone_out(demo_shop):
    order_id = one('SELECT id FROM "order" ORDER BY id LIMIT 1')[0]
    values = cs.order_variables(order_id)
    assert values["退货地址"]
    assert check_reply(values["退货地址"]) == ()


def test_save_refuses_forbidden_text_and_unknown_variables(empty_shop):
    before = q("SELECT * FROM quick_reply")
    with pytest.raises(ValidationError, match="微信号或其变体"):
        cs.save_quick_reply(reply_id=None, group="我的", shortcut="/x1", title="加我", body="有事加 V 信")
    with pytest.raises(ValidationError, match=r"\{买家姓名\}"):
        cs.save_quick_reply(reply_id=None, group="我的", shortcut="/x1", title="问候", body="{买家姓名} 您好")
    with pytest.raises(ValidationError, match="已被另一条快捷回复使用"):
        cs.save_quick_reply(reply_id=None, group="我的", shortcut="/fh", title="问候", body="您好")
    assert q("SELECT * FROM quick_reply") == before
    cs.save_quick_reply(reply_id=None, group="我的", shortcut="/HI", title="问候", body="亲，在的")
    (row,) = [r for r in cs.quick_replies() if r.group == "我的"]
    assert (row.shortcut, row.body) == ("/hi", "亲，在的")
    cs.delete_quick_reply(reply_id=row.id)
    assert not [r for r in cs.quick_replies() if r.group == "我的"]


def test_targets_and_alerts(empty_shop, tmp_path):
    import_cs_export(write(tmp_path / "a.xlsx", agent_rows()))
    day = day_number(date(2026, 12, 1))
    now = (day + 1) * 86400 - 8 * 3600 + 10 * 3600  # the next Beijing day, 10:00
    clock.set_clock(lambda: now)
    alerts = {a.key: a for a in cs.reply_rate_alerts(now)}
    # 阿强 27/36 = 75 % < 80 %; 30-second rates 41.67 % (阿强) < 60 %; 小美 63.33 % and 小林 71.43 % pass.
    assert set(alerts) == {"cs:r3:阿强", "cs:r30:阿强"}
    assert alerts["cs:r3:阿强"].value == Fraction(3, 4)
    assert "75.00%" in alerts["cs:r3:阿强"].title and "80.00%" in alerts["cs:r3:阿强"].title
    with pytest.raises(ValidationError, match="1%–100%"):
        cs.set_targets(r3="120", r30="60")
    cs.set_targets(r3="70", r30="40")
    assert cs.targets() == cs.Targets(Fraction(7, 10), Fraction(2, 5))
    assert cs.reply_rate_alerts(now) == ()
    # Figures of the day the alerts run on do not count yet; a month later nothing is left in the window.
    assert cs.reply_rate_alerts(now + 40 * 86400) == ()


def test_a_phone_number_in_the_latest_trace_is_masked_so_the_reply_can_be_copied(demo_shop):
    order_id, _sn, number, _courier = _shipped_order_with_trace()
    package_id, at = one(
        "SELECT p.id, MAX(e.at) FROM package p JOIN tracking_event e ON e.package_id = p.id "
        "WHERE p.tracking_number = ?",
        number,
    )
    q(
        "UPDATE tracking_event SET description = ? WHERE package_id = ? AND at = ?",
        "【杭州市】派件员 王五 电话：１３８ １２３４ ５６７８ 正在为您派件，站点电话 0571-88886666",
        package_id,
        at,
    )
    values = cs.order_variables(order_id)
    assert "138****5678" in values["最新物流"] and "********6666" in values["最新物流"]
    assert "正在为您派件" in values["最新物流"]
    (wl,) = [r for r in cs.quick_replies() if r.shortcut == "/wl"]
    assert cs.fill(wl.body, values).ready


def test_a_response_time_just_under_a_minute_reads_as_a_minute():
    from pdd_desktop.domain.cs_metrics import duration_text

    assert duration_text(59_949) == "59.9 秒"
    assert duration_text(59_960) == "1 分 0 秒"
    assert duration_text(83_000) == "1 分 23 秒"


def test_templates_filled_from_demo_orders_never_trip_the_check(demo_shop):
    # Order and tracking numbers, courier and goods names are the shop's own words: filling a
    # template with them must not look like an off-platform contact (1688 inside a number, 京东配送).
    replies = cs.quick_replies()
    tripped = []
    for (order_id,) in q('SELECT id FROM "order" WHERE id % 3 = 0 ORDER BY id'):
        values = {**cs.order_variables(order_id), cs.NEW_DATE_VAR: "12月9日"}
        for r in replies:
            tripped += [(order_id, r.shortcut, f.text) for f in cs.fill(r.body, values).findings]
    assert tripped == []
