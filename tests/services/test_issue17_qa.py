"""A merchant's first use of the alerts centre (issue 17): the defects found, each pinned."""

from __future__ import annotations

from datetime import datetime, timedelta

from pdd_desktop.common.timefmt import SHANGHAI
from pdd_desktop.services import imports
from pdd_desktop.services import reconcile as rc
from pdd_desktop.services import settings as settings_service
from pdd_desktop.services.alerts import bills as bill_rule
from pdd_desktop.services.alerts.base import RuleContext
from pdd_desktop.services.logistics import TrackingState
from tests.conftest import DEMO_NOW
from tests.helpers import bills as hb
from tests.helpers.db import one


def _ctx() -> RuleContext:
    return RuleContext(
        now=DEMO_NOW, settings=settings_service.load_settings(), tracking=TrackingState(True, "")
    )


def _import_bill(tmp_path, lines: list[hb.Line], day: str) -> None:
    path = hb.write(tmp_path / "bill.csv", hb.csv_text(lines, start=day))
    imports.apply_import(imports.check_import_file(path))


def _line(sn: str, at: datetime, income_fen: int) -> hb.Line:
    return hb.Line(sn, at.strftime("%Y-%m-%d %H:%M:%S"), hb.yuan(income_fen), "0.00", "交易收入", "",
                   "0010002|交易收入-订单收入")  # fmt: skip


def test_bill_lines_of_orders_older_than_the_shop_s_records_are_no_mismatch(tmp_path, demo_shop):
    """Defect: a real shop that synced or imported only its recent orders got 账单对不上 for every
    bill line of an older order (101 on a sandbox shop synced 6 days back), "涉及 ¥0.00"."""
    (first_sn,) = one('SELECT MIN(order_sn) FROM "order"')
    first_day = datetime.strptime(first_sn[:6], "%y%m%d").replace(tzinfo=SHANGHAI)
    day = datetime.fromtimestamp(DEMO_NOW, SHANGHAI) - timedelta(days=2)
    day = day.replace(hour=10, minute=0, second=0, microsecond=0)
    older = f"{first_day - timedelta(days=3):%y%m%d}-100000000000001"  # placed before the records
    unknown = f"{day:%y%m%d}-100000000000002"  # placed while the shop has records: a real orphan
    assert one('SELECT COUNT(*) FROM "order" WHERE order_sn IN (?, ?)', older, unknown) == (0,)
    _import_bill(tmp_path, [_line(older, day, 1990), _line(older, day, 500), _line(unknown, day, 2990)],
                 f"{day:%Y-%m-%d}")  # fmt: skip
    r = rc.reconcile(start=DEMO_NOW - 90 * rc.DAY, end=DEMO_NOW, now=DEMO_NOW)
    assert len(r.orphans) == 3  # 资金 → 对账 still lists every line
    bad = len(r.missing) + len(r.doubled) + len(r.wrong_amount)
    (f,) = list(bill_rule.evaluate(_ctx()))
    assert f.count == bad + 1 and f.title == f"账单对不上：{bad + 1:,} 处"
    assert "无对应订单的账单 1 笔" in f.why
    assert "另有 2 笔账单的订单早于本店已有的订单记录（可能还没导入或同步），未计入。" in f.why
    assert ("涉及 ¥0.00" not in f.why) and (("涉及 ¥" in f.why) == bool(f.amount_fen))


def test_only_older_orders_bill_lines_raise_no_alert(tmp_path, empty_shop):
    """A shop that imported its bill before any order: nothing to hold the lines against."""
    day = datetime.fromtimestamp(DEMO_NOW, SHANGHAI) - timedelta(days=2)
    from pdd_desktop.common import clock

    clock.set_clock(lambda: DEMO_NOW)
    _import_bill(tmp_path, [_line(f"{day:%y%m%d}-100000000000003", day, 1990)], f"{day:%Y-%m-%d}")
    assert len(rc.reconcile(start=DEMO_NOW - 90 * rc.DAY, end=DEMO_NOW, now=DEMO_NOW).orphans) == 1
    assert list(bill_rule.evaluate(_ctx())) == []


def test_a_snoozed_alert_shows_again_when_new_orders_join_it(demo_shop):
    """Defect: 稍后提醒 3 天 on "3 单即将超时" hid every order that came near its deadline in the
    next 3 days (the alert key stays open while any order is near); now only what was seen stays
    hidden, and an alert that shrinks stays snoozed."""
    from pdd_desktop.data.db import database
    from pdd_desktop.services import alerts

    def near():
        return {a.key: a for a in alerts.open_alerts(DEMO_NOW, include_snoozed=True)}["ship_near"]

    alerts.evaluate(DEMO_NOW, notify=False)
    seen = near()
    assert seen.count >= 2
    alerts.snooze(key="ship_near", choice="3d", now=DEMO_NOW)
    assert alerts.evaluate(DEMO_NOW + 60, notify=False).changes.alerts is False  # nothing new
    assert near().snoozed_until == DEMO_NOW + 3 * 86_400
    assert "ship_near" not in {a.key for a in alerts.open_alerts(DEMO_NOW + 60)}
    # one of them moves away (fewer): still snoozed
    database.execute_sql(
        'UPDATE "order" SET ship_deadline_at = ? WHERE id = ?', (DEMO_NOW + 40 * 3600, seen.target_ids[0])
    )
    alerts.evaluate(DEMO_NOW + 120, notify=False)
    assert near().count == seen.count - 1 and near().snoozed_until == DEMO_NOW + 3 * 86_400
    # another order comes near: shown again
    (other,) = one(
        'SELECT id FROM "order" WHERE status = 1 AND ship_deadline_at > ? '
        "ORDER BY ship_deadline_at DESC LIMIT 1",
        DEMO_NOW + 12 * 3600,
    )
    database.execute_sql('UPDATE "order" SET ship_deadline_at = ? WHERE id = ?', (DEMO_NOW + 3600, other))
    assert alerts.evaluate(DEMO_NOW + 180, notify=False).changes.alerts is True
    now_near = near()
    assert now_near.snoozed_until is None and other in now_near.target_ids
    assert "ship_near" in {a.key for a in alerts.open_alerts(DEMO_NOW + 180)}


def test_bill_rule_answers_nothing_at_once_without_bills_and_reuses_its_answer(empty_shop, monkeypatch):
    # No bill covers the window: nothing can be judged, and no reconciliation is run.
    from pdd_desktop.services import reconcile
    from pdd_desktop.services.alerts import bills as bills_rule
    from pdd_desktop.services.alerts.base import RuleContext
    from pdd_desktop.services.logistics import tracking_state
    from pdd_desktop.services.settings import load_settings

    calls = []
    real = reconcile.reconcile
    monkeypatch.setattr(reconcile, "reconcile", lambda **kw: calls.append(kw) or real(**kw))
    ctx = RuleContext(now=1_796_000_000, settings=load_settings(), tracking=tracking_state())
    assert list(bills_rule.evaluate(ctx)) == [] and calls == []


def test_bill_rule_reuses_its_answer_until_the_bills_change(tmp_path, demo_shop, monkeypatch):
    day = datetime.fromtimestamp(DEMO_NOW, SHANGHAI) - timedelta(days=2)
    day = day.replace(hour=10, minute=0, second=0, microsecond=0)
    unknown = f"{day:%y%m%d}-100000000000002"
    _import_bill(tmp_path, [_line(unknown, day, 2990)], f"{day:%Y-%m-%d}")
    calls = []
    real = rc.reconcile
    monkeypatch.setattr(rc, "reconcile", lambda **kw: calls.append(kw) or real(**kw))
    first = list(bill_rule.evaluate(_ctx()))
    assert first and len(calls) == 1
    assert list(bill_rule.evaluate(_ctx())) == first and len(calls) == 1  # same bills, same hour
    other = f"{day:%y%m%d}-100000000000003"
    (tmp_path / "2").mkdir()
    _import_bill(tmp_path / "2", [_line(other, day + timedelta(hours=1), 1990)], f"{day:%Y-%m-%d}")
    again = list(bill_rule.evaluate(_ctx()))
    assert len(calls) == 2 and again[0].count == first[0].count + 1  # a new bill: judged again
