"""Automation rules: each rule's preview, its action through the same service and outbox as a
manual one (applied once on the sandbox), its cap, its refusal on conflicted/pending orders, and
a rule that fails twice switching itself off with an alert."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pdd_desktop.common import clock
from pdd_desktop.data.db import database
from pdd_desktop.domain.errors import NotAllowed, ValidationError
from pdd_desktop.services import automation as auto
from pdd_desktop.services import holds, printing, shipping
from pdd_desktop.services.automation import RuleKind
from tests.helpers.db import db_state, q, raw_rows
from tests.helpers.sync_rig import assert_ops_applied_once
from tests.sandbox import NOW0

TABLES = (
    "automation_rule",
    "automation_action",
    "order_hold",
    "outbox",
    "audit_log",
    "after_sale",
    "message",
)


@pytest.fixture
def shop(sandbox_demo_shop):
    return sandbox_demo_shop


def to_ship(n: int) -> list[tuple[int, str]]:
    """``n`` 待发货 orders without after-sales, oldest first."""
    rows = q(
        'SELECT id, order_sn FROM "order" WHERE status = 1 AND refund_status = 1 AND print_count = 0 '
        "ORDER BY id LIMIT ?",
        n,
    )
    assert len(rows) == n
    return rows


def more_to_ship(n: int) -> list[tuple[int, str]]:
    """Turn signed orders into fresh 待发货 ones (the demo has only a few), unprinted, no parcel."""
    rows = q(
        'SELECT id, order_sn FROM "order" o WHERE status = 3 AND refund_status = 1 AND NOT EXISTS '
        "(SELECT 1 FROM after_sale a WHERE a.order_id = o.id) ORDER BY id DESC LIMIT ?",
        n,
    )
    for oid, _sn in rows:
        database.execute_sql("DELETE FROM package_order WHERE order_id = ?", (oid,))
        database.execute_sql(
            "UPDATE \"order\" SET status = 1, print_count = 0, buyer_memo = '', seller_memo = '', "
            "flag = NULL WHERE id = ?",
            (oid,),
        )
    return rows


def add_case(order_id: int, amount_fen: int, *, status: int = 2, case_type: int = 1) -> int:
    cid = q("SELECT COALESCE(MAX(id), 0) FROM after_sale")[0][0] + 101
    database.execute_sql(
        "INSERT INTO after_sale (id, order_id, type, status, reason, buyer_remark, refund_amount_fen, "
        "quantity, return_tracking_number, return_shipping_name, created_at, expire_at) "
        "VALUES (?, ?, ?, ?, '不想要了', '', ?, 1, '', '', ?, ?)",
        (cid, order_id, case_type, status, amount_fen, NOW0 - 60, NOW0 + 86400),
    )
    database.execute_sql(
        'UPDATE "order" SET refund_status = 2, after_sales_status = ? WHERE id = ?', (status, order_id)
    )
    return cid


def make_pending(order_id: int) -> None:
    database.execute_sql('UPDATE "order" SET pending_ops = 1 WHERE id = ?', (order_id,))


def make_conflicted(order_id: int) -> None:
    database.execute_sql('UPDATE "order" SET has_conflict = 1 WHERE id = ?', (order_id,))


def log_rows(kind: RuleKind | None = None) -> list[tuple]:
    return [(r.entity_id, r.action, r.outcome) for r in reversed(auto.action_log(kind=kind))]


# ---------------------------------------------------------------------------------- the rule list


def test_rules_start_off_with_defaults_and_bad_settings_change_nothing(shop):
    rows = auto.list_rules()
    assert [r.kind for r in rows] == list(RuleKind)
    assert not any(r.enabled for r in rows)
    assert rows[0].description == "金额 ≤ ¥20.00，每天最多 20 单"
    before = db_state(TABLES)
    for kind, params, text in [
        (RuleKind.REFUND, {"max_fen": 0}, "退款金额上限"),
        (RuleKind.REFUND, {"daily_cap": "5"}, "每天最多自动同意：应为整数"),
        (RuleKind.PRINT, {"times": ["25:00"]}, "打印时间"),
        (RuleKind.PRINT, {"times": []}, "至少设一个时间"),
        (RuleKind.MEMO, {"keywords": []}, "关键词：至少填一个"),
        (RuleKind.MEMO, {"flag": None, "memo": ""}, "至少设一个"),
        (RuleKind.MEMO, {"flag": 6}, "旗帜"),
        (RuleKind.HOLD, {"address_words": [], "memo_words": ""}, "至少填一个"),
        (RuleKind.MERGE, {"memo": "长" * 51}, "不能超过 50 个字"),
    ]:
        with pytest.raises(ValidationError, match=text):
            auto.enable_rule(kind=kind, params=params)
        with pytest.raises(ValidationError, match=text):
            auto.save_params(kind=kind, params=params)
    with pytest.raises(NotAllowed, match="没有这种自动化规则"):
        auto.enable_rule(kind="ship_everything", params={})
    assert db_state(TABLES) == before


# ---------------------------------------------------------------------------------- 自动同意仅退款


def test_refund_rule_preview_cap_and_refusals(shop):
    (a, _), (b, _), (c, _), (d, _), (e, _) = more_to_ship(5)
    small, medium = add_case(a, 990), add_case(b, 1500)
    add_case(c, 5000)  # over the limit
    pending, conflicted = add_case(d, 500), add_case(e, 600)
    make_pending(d)
    make_conflicted(e)
    params = {"max_fen": 2000, "daily_cap": 1}
    p = auto.preview(kind=RuleKind.REFUND, params=params)
    assert [t.case_id for t in p.targets] == [small, medium]
    assert p.acting == 1 and p.order_ids == (a,)
    assert {t.case_id: t.what for t in p.skipped} == {
        pending: "有改动还在等待上传平台",
        conflicted: "有未解决的同步冲突",
    }
    assert "今天还可以 1 单" in p.note
    # a preview writes nothing; the rule is off until switched on
    before = db_state(TABLES)
    assert auto.run_rules().done == 0
    assert db_state(TABLES) == before

    auto.enable_rule(kind=RuleKind.REFUND, params=params)
    report = auto.run_rules()
    assert report.done == 1 and report.changes.after_sales
    assert q("SELECT id, status FROM after_sale WHERE id IN (?, ?) ORDER BY id", small, medium) == [
        (small, 4),
        (medium, 2),
    ]
    ((op, entity, payload),) = q("SELECT op_type, entity_remote_id, payload_json FROM outbox")
    assert (op, entity) == ("refund_agree", str(small))
    assert json.loads(payload)["operate_desc"] == "自动同意（未发货仅退款）"
    assert q("SELECT actor, action FROM audit_log WHERE entity_id = ?", str(small)) == [
        ("auto:refund", "refund_agree")
    ]
    assert log_rows() == [(str(small), "同意退款", "已执行")]
    # the cap: nothing more today
    assert auto.run_rules().done == 0
    assert len(q("SELECT 1 FROM outbox")) == 1
    # the next day the next case; the pending and conflicted ones never
    clock.set_clock(lambda: NOW0 + 86400)
    assert auto.run_rules().done == 1
    assert q("SELECT status FROM after_sale WHERE id = ?", medium) == [(4,)]
    clock.set_clock(lambda: NOW0 + 2 * 86400)
    assert auto.run_rules().done == 0
    assert q("SELECT id, status FROM after_sale WHERE id IN (?, ?) ORDER BY id", pending, conflicted) == [
        (pending, 2),
        (conflicted, 2),
    ]
    assert auto.list_rules()[0].last_run_at == NOW0 + 2 * 86400


def test_refund_rule_is_refused_when_the_order_gets_an_op_between_preview_and_action(shop, monkeypatch):
    ((a, _),) = more_to_ship(1)
    cid = add_case(a, 990)
    auto.enable_rule(kind=RuleKind.REFUND, params={"max_fen": 2000, "daily_cap": 5})
    real = auto.preview

    def racing_preview(**kwargs):
        p = real(**kwargs)
        make_pending(a)  # e.g. the sync worker queued something meanwhile
        return p

    monkeypatch.setattr(auto, "preview", racing_preview)
    report = auto.run_rules()
    assert report.done == 0 and report.outcomes[0].refused == 1
    assert q("SELECT status FROM after_sale WHERE id = ?", cid) == [(2,)]
    assert q("SELECT COUNT(*) FROM outbox") == [(0,)]
    assert log_rows() == [(str(cid), "同意退款", "未执行")]
    assert auto.action_log()[0].detail == "有改动还在等待上传平台"


# ---------------------------------------------------------------------------------- 按买家留言备注


def test_memo_rule_preview_action_and_refusals(shop):
    (a, sn_a), (b, _), (c, _), (d, _) = more_to_ship(4)
    for oid, memo in ((a, "请加急，谢谢"), (b, "不要放快递柜"), (c, "加急！！"), (d, "ＡＢＣ加急")):
        database.execute_sql('UPDATE "order" SET buyer_memo = ? WHERE id = ?', (memo, oid))
    database.execute_sql('UPDATE "order" SET seller_memo = ? WHERE id = ?', ("老客户", a))
    make_pending(c)
    make_conflicted(d)
    params = {"keywords": ["加急"], "flag": 1, "memo": "买家要求加急"}
    p = auto.preview(kind=RuleKind.MEMO, params=params)
    assert [(t.order_id, t.what) for t in p.targets] == [(a, "买家留言含「加急」")]
    assert {t.order_id for t in p.skipped} == {c, d}
    auto.enable_rule(kind=RuleKind.MEMO, params=params)
    assert auto.run_rules().done == 1
    assert q('SELECT seller_memo, flag FROM "order" WHERE id = ?', a) == [("老客户 买家要求加急", 1)]
    ((op, entity, payload, base),) = q(
        "SELECT op_type, entity_remote_id, payload_json, base_json FROM outbox"
    )
    assert (op, entity) == ("set_memo", sn_a)
    assert json.loads(payload) == {"note": "老客户 买家要求加急", "tag": 1, "tag_name": "红旗"}
    assert json.loads(base) == {"note": "老客户", "tag": None}
    assert q("SELECT actor FROM audit_log WHERE action = 'set_memo' AND order_id = ?", a) == [("auto:memo",)]
    assert q('SELECT seller_memo FROM "order" WHERE id IN (?, ?)', c, d) == [("",), ("",)]
    # the next run: the order now has an op waiting, and once sent it is already marked
    assert auto.run_rules().done == 0
    database.execute_sql('UPDATE "order" SET pending_ops = 0 WHERE id = ?', (a,))
    assert auto.preview(kind=RuleKind.MEMO).targets == ()
    assert log_rows() == [(sn_a, "备注/插旗", "已执行")]


# ---------------------------------------------------------------------------------- 风险订单暂停发货


def test_hold_rule_holds_shipping_and_printing_until_released(shop, tmp_path):
    (a, sn_a), (b, _), (c, _) = more_to_ship(3)
    database.execute_sql('UPDATE "order" SET address_detail = ? WHERE id = ?', ("城南中学 3 号楼", a))
    database.execute_sql('UPDATE "order" SET buyer_memo = ? WHERE id = ?', ("收不到就投诉", b))
    database.execute_sql('UPDATE "order" SET address_detail = ? WHERE id = ?', ("城北中学", c))
    make_conflicted(c)
    params = {"address_words": ["中学"], "memo_words": ["投诉"]}
    p = auto.preview(kind=RuleKind.HOLD, params=params)
    assert sorted((t.order_id, t.what) for t in p.targets) == sorted(
        [(a, "收货地址含「中学」"), (b, "买家留言含「投诉」")]
    )
    assert [t.order_id for t in p.skipped] == [c]
    auto.enable_rule(kind=RuleKind.HOLD, params=params)
    assert auto.run_rules().done == 2
    assert holds.held_reasons([a, b, c]) == {a: "收货地址含「中学」", b: "买家留言含「投诉」"}
    assert q("SELECT COUNT(*) FROM outbox") == [(0,)]  # local only
    assert q("SELECT actor FROM audit_log WHERE action = 'hold' ORDER BY order_id") == [("auto:hold",)] * 2
    # shipping and printing refuse a held order, with the reason
    guard = shipping.ship_guard(a)
    assert (
        not guard.allowed
        and not guard.overridable
        and "暂停发货（收货地址含「中学」）" in (guard.reason or "")
    )
    courier = shipping.list_couriers()[0]
    with pytest.raises(NotAllowed, match="暂停发货"):
        shipping.ship_order(order_id=a, courier_id=courier.id, tracking_number="75123456789012")
    with pytest.raises(NotAllowed, match="暂停发货"):
        shipping.ship_without_logistics(order_ids=[a], override_reason="强制")
    doc = printing.render_documents(doc_type="label", order_ids=[a], out=tmp_path / "x.pdf")
    assert doc.pages == 0 and "暂停发货" in doc.skipped[0].reason
    assert [h.order_id for h in holds.held_orders()] and {h.order_id for h in holds.held_orders()} == {a, b}
    # released: shipping may go ahead, and the rule never holds it again
    holds.release_holds(order_ids=[a])
    assert shipping.ship_guard(a).allowed
    assert auto.run_rules().done == 0
    assert holds.held_reasons([a]) == {}
    with pytest.raises(NotAllowed, match="没有暂停发货"):
        holds.release_holds(order_ids=[a, b])
    assert holds.held_reasons([b]) == {b: "买家留言含「投诉」"}  # all or nothing
    sn_b = q('SELECT order_sn FROM "order" WHERE id = ?', b)[0][0]
    assert sorted(log_rows()) == sorted([(sn_a, "暂停发货", "已执行"), (sn_b, "暂停发货", "已执行")])


# ---------------------------------------------------------------------------------- 标记可合并发货


def test_merge_rule_marks_same_buyer_same_address_orders(shop):
    (a, sn_a), (b, sn_b), (c, _), (d, _) = more_to_ship(4)
    receiver = q(
        "SELECT buyer_key, receiver_name, receiver_phone, province, city, district, town, address_detail "
        'FROM "order" WHERE id = ?',
        a,
    )[0]
    for oid in (b, c, d):
        database.execute_sql(
            'UPDATE "order" SET buyer_key = ?, receiver_name = ?, receiver_phone = ?, province = ?, '
            "city = ?, district = ?, town = ?, address_detail = ? WHERE id = ?",
            (*receiver, oid),
        )
    make_pending(c)
    make_conflicted(d)
    params = {"flag": 5, "memo": "合并发货"}
    p = auto.preview(kind=RuleKind.MERGE, params=params)
    assert sorted(t.order_id for t in p.targets) == sorted([a, b])
    assert all(t.what.startswith("同一买家同一地址共") for t in p.targets)
    assert sorted(t.order_id for t in p.skipped) == sorted([c, d])
    auto.enable_rule(kind=RuleKind.MERGE, params=params)
    assert auto.run_rules().done == 2
    assert q('SELECT seller_memo, flag FROM "order" WHERE id IN (?, ?)', a, b) == [("合并发货", 5)] * 2
    assert sorted(
        r[0] for r in q("SELECT entity_remote_id FROM outbox WHERE op_type = 'set_memo'")
    ) == sorted([sn_a, sn_b])
    assert q("SELECT COUNT(*) FROM package_order WHERE order_id IN (?, ?)", a, b) == [
        (0,)
    ]  # marked, not shipped
    assert auto.run_rules().done == 0


# ---------------------------------------------------------------------------------- 定时打印面单


def test_print_rule_prints_batches_at_set_times_and_ships_nothing(shop, tmp_path):
    orders_ = more_to_ship(3)
    ids = [oid for oid, _ in orders_]
    held = ids[2]
    holds.hold_order(order_id=held, reason="人工暂停")
    make_pending(to_ship(1)[0][0])
    folder = tmp_path / "prints"
    # NOW0 is 2026-11-23 … in Beijing; a time 1 minute after now and one 1 minute before
    from pdd_desktop.common.timefmt import format_ts

    later = format_ts(NOW0 + 60, "%H:%M")
    params = {"times": [later], "batch_max": 2, "folder": str(folder)}
    p = auto.preview(kind=RuleKind.PRINT, params=params)
    assert held not in [t.order_id for t in p.targets]
    assert p.acting == 2 and len(p.targets) >= 2
    assert "每批最多 2 单" in p.note
    packages = q("SELECT COUNT(*) FROM package")
    auto.enable_rule(kind=RuleKind.PRINT, params=params)
    assert auto.run_rules().done == 0  # not time yet
    assert not folder.exists()
    clock.set_clock(lambda: NOW0 + 120)
    report = auto.run_rules()
    assert report.done == 2 and report.changes.orders
    (pdf,) = folder.glob("*.pdf")
    assert pdf.read_bytes().startswith(b"%PDF")
    printed = [
        r[0]
        for r in q(
            'SELECT id FROM "order" WHERE print_count = 1 AND id IN (SELECT order_id FROM '
            "print_job_order) ORDER BY id"
        )
    ]
    assert sorted(printed) == sorted(p.order_ids)
    assert q("SELECT printer FROM print_job") == [(f"PDF:{pdf}",)]
    assert {r[0] for r in q("SELECT actor FROM audit_log WHERE action = 'print_label'")} == {"auto:print"}
    # printing ships nothing: no parcel, still 待发货, nothing for the platform
    assert q("SELECT COUNT(*) FROM package") == packages
    assert q(f'SELECT DISTINCT status FROM "order" WHERE id IN ({",".join(map(str, printed))})') == [(1,)]
    assert q("SELECT COUNT(*) FROM outbox") == [(0,)]
    # the same slot never prints twice; the held order never
    assert auto.run_rules().done == 0
    clock.set_clock(lambda: NOW0 + 120 + 86400)
    auto.run_rules()
    assert q('SELECT print_count FROM "order" WHERE id = ?', held) == [(0,)]


# ---------------------------------------------------------------------------------- failing twice


def test_a_rule_failing_twice_switches_itself_off_with_an_alert(shop, tmp_path):
    more_to_ship(1)
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    params = {"times": ["09:00"], "batch_max": 10, "folder": str(blocker / "sub")}
    auto.enable_rule(kind=RuleKind.PRINT, params=params)
    first = auto.run_rules(force_print=True)
    assert first.outcomes[0].error and not first.outcomes[0].switched_off
    (rule,) = [r for r in auto.list_rules() if r.kind == RuleKind.PRINT]
    assert rule.enabled and rule.fail_count == 1 and rule.last_error
    assert q("SELECT COUNT(*) FROM message WHERE remote_id LIKE 'app:automation-off:%'") == [(0,)]
    second = auto.run_rules(force_print=True)
    assert second.outcomes[0].switched_off and second.changes.messages
    (rule,) = [r for r in auto.list_rules() if r.kind == RuleKind.PRINT]
    assert not rule.enabled and rule.fail_count == 2
    ((title, body),) = q("SELECT title, body FROM message WHERE remote_id LIKE 'app:automation-off:%'")
    assert "「定时打印面单」连续失败 2 次，已自动停用" in title and "设置 → 自动化" in body
    assert log_rows(RuleKind.PRINT)[-1] == ("", "规则已自动停用", "失败")
    # off: no more runs, no more alerts; switched on again it starts counting afresh
    assert auto.run_rules(force_print=True).outcomes == ()
    auto.enable_rule(kind=RuleKind.PRINT, params={**params, "folder": str(tmp_path / "ok")})
    expected = auto.preview(kind=RuleKind.PRINT).acting
    assert expected >= 1
    assert auto.run_rules(force_print=True).done == expected
    assert q("SELECT COUNT(*) FROM print_job") == [(1,)]
    (rule,) = [r for r in auto.list_rules() if r.kind == RuleKind.PRINT]
    assert rule.enabled and rule.fail_count == 0 and rule.last_error == ""


def test_a_success_between_failures_resets_the_count(shop, tmp_path, monkeypatch):
    auto.enable_rule(kind=RuleKind.HOLD, params={"address_words": ["中学"], "memo_words": []})
    calls = {"n": 0}
    real = auto._hold_matches

    def flaky(params):
        calls["n"] += 1
        if calls["n"] % 2:
            raise OSError("磁盘忙")
        return real(params)

    monkeypatch.setitem(auto._MATCHERS, RuleKind.HOLD, flaky)
    for _ in range(3):  # fails, succeeds, fails: never two in a row
        auto.run_rules()
    (rule,) = [r for r in auto.list_rules() if r.kind == RuleKind.HOLD]
    assert rule.enabled and rule.fail_count == 1


# ---------------------------------------------------------------------------------- against the sandbox


def test_refund_and_memo_rules_reach_the_platform_once(rig):
    from tests.services.test_after_sales_ops import open_remote_case

    cid, _sn = open_remote_case(rig, 1, 2)
    engine = rig.engine()
    assert engine.run_once().outcome == "ok"
    ((pay,),) = raw_rows(rig.db, "SELECT refund_amount_fen FROM after_sale WHERE id = ?", (cid,))
    memo_sn = raw_rows(
        rig.db,
        'SELECT order_sn FROM "order" WHERE status = 1 AND refund_status = 1 AND pending_ops = 0 '
        "ORDER BY id LIMIT 1",
    )[0][0]
    database.execute_sql('UPDATE "order" SET buyer_memo = ? WHERE order_sn = ?', ("请加急", memo_sn))
    auto.enable_rule(kind=RuleKind.REFUND, params={"max_fen": pay, "daily_cap": 5})
    auto.enable_rule(kind=RuleKind.MEMO, params={"keywords": ["加急"], "flag": 2, "memo": "加急"})
    assert auto.run_rules().done == 2
    report = engine.push()
    assert (report.sent, report.succeeded) == (2, 2), report
    assert rig.shop.effects("pdd.refund.agree", entity=cid) == 1
    assert rig.shop.effects("pdd.order.note.update", order_sn=memo_sn) == 1
    assert rig.shop.query('SELECT seller_memo, flag FROM "order" WHERE order_sn = ?', (memo_sn,)) == [
        ("加急", 2)
    ]
    # the rules run again after the next sync: nothing more to do, nothing sent twice
    assert engine.run_once().outcome == "ok"
    assert auto.run_rules().done == 0
    assert engine.push().sent == 0
    assert_ops_applied_once(rig, actions=[("refund_agree", str(cid)), ("set_memo", memo_sn)])
    assert Path(rig.db).exists()
