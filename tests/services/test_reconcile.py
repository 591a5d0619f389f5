"""资金 对账: the sandbox's ledger with planted mistakes, synced; exactly the plants are found."""

from __future__ import annotations

import pytest

from pdd_desktop.domain.errors import ValidationError
from pdd_desktop.sandbox import bills as sb
from pdd_desktop.services import reconcile as rc
from pdd_desktop.services import settings as settings_service
from pdd_desktop.services.alerts import bills as bill_rule
from pdd_desktop.services.alerts.base import RuleContext
from pdd_desktop.services.alerts.registry import RULES
from pdd_desktop.services.logistics import TrackingState
from pdd_desktop.services.sync.areas import funds as area
from tests.helpers.db import one
from tests.helpers.sync_rig import make_rig

ORPHAN_SN = "261101-999999999999901"


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("recon")
    rig = make_rig(tmp, tmp_path_factory)
    now = int(rig.shop.platform_now())
    days = area.days_to_fetch(now)
    start, end = sb.day_start(days[0]), sb.day_start(days[-1]) + 86_400
    signed = rig.shop.query(
        'SELECT order_sn, merchant_receive_fen FROM "order" WHERE signed_at >= ? AND signed_at < ? '
        "AND merchant_receive_fen > 0 ORDER BY signed_at",
        (start, end - 5 * 86_400),
    )
    assert len(signed) >= 6, "the demo shop signs orders every day"
    missing, double, amount = signed[0][0], signed[2][0], signed[4][0]
    rig.shop.bills.plant(missing, sb.MISSING)
    rig.shop.bills.plant(double, sb.DOUBLE)
    rig.shop.bills.plant(amount, sb.AMOUNT, -123)
    rig.shop.bills.plant_orphan(start + 3 * 86_400 + 3600, ORPHAN_SN, -500)
    report = rig.engine(source="demo").run_once(streams=["orders", "bills"])
    assert report.outcome == "ok", report
    lines = rig.shop.bills.lines(start, end)
    yield {
        "rig": rig, "start": start, "end": end, "now": now, "lines": lines,
        "missing": missing, "double": double, "amount": amount, "receive": dict(signed),
    }  # fmt: skip
    rig.close()


def test_exactly_the_planted_mismatches_are_found(planted):
    p = planted
    r = rc.reconcile(start=p["start"], end=p["end"], now=p["now"], settlement_days=1)
    assert [o.order_sn for o in r.missing] == [p["missing"]]
    assert [o.order_sn for o in r.doubled] == [p["double"]]
    assert [o.order_sn for o in r.wrong_amount] == [p["amount"]]
    assert [(o.order_sn, o.amount_fen) for o in r.orphans] == [(ORPHAN_SN, -500)]
    (d,) = r.doubled
    assert d.settlements == 2 and d.settled_fen == 2 * p["receive"][p["double"]]
    (a,) = r.wrong_amount
    assert a.difference_fen == -123 and a.expected_fen == p["receive"][p["amount"]]
    # Every other order signed in the range and due is settled with its exact amount.
    statuses = {o.status for o in r.orders}
    assert statuses <= {rc.OK, rc.MISSING, rc.DOUBLE, rc.AMOUNT, rc.PENDING, rc.UNCOVERED}
    assert r.count(rc.OK) >= 3
    for o in r.orders:
        if o.status == rc.OK:
            assert o.settled_fen == o.expected_fen == p["receive"].get(o.order_sn, o.expected_fen)


def test_each_order_s_money_is_its_ledger_lines_to_the_fen(planted):
    p = planted
    r = rc.reconcile(start=p["start"], end=p["end"], now=p["now"], settlement_days=1)
    by_sn: dict[str, dict[str, int]] = {}
    for ln in p["lines"]:  # the oracle: the sandbox's own ledger, summed by description
        if not ln.order_sn:
            continue
        kind = {sb.INCOME: "income", sb.REFUND: "refund", sb.TECH_FEE: "fee", sb.LATE: "comp"}[ln.description]
        d = by_sn.setdefault(ln.order_sn, {"income": 0, "refund": 0, "fee": 0, "comp": 0})
        d[kind] += ln.amount_fen
    checked = 0
    for o in r.orders:
        if o.order_sn not in by_sn:
            continue
        d = by_sn[o.order_sn]
        assert (o.income_fen, o.refund_fen, o.fee_fen, o.compensation_fen) == (
            d["income"],
            d["refund"],
            d["fee"],
            d["comp"],
        ), o.order_sn
        checked += 1
    assert checked >= 5


def test_not_due_and_not_covered_are_not_called_missing(planted):
    p = planted
    # With 60 days to settle nothing is due yet: no order is 未结算.
    r = rc.reconcile(start=p["start"], end=p["end"], now=p["now"], settlement_days=60)
    assert r.missing == () and r.count(rc.PENDING) >= 1
    # Without bills for the days, an unsettled order cannot be judged.
    late = rc.reconcile(start=p["start"] - 200 * 86_400, end=p["start"], now=p["now"], settlement_days=1)
    assert late.missing == ()


def test_bad_range_is_refused():
    with pytest.raises(ValidationError, match="结束日期"):
        rc.reconcile(start=100, end=100)
    with pytest.raises(ValidationError, match="400"):
        rc.reconcile(start=0, end=500 * 86_400)


def test_the_alert_rule_opens_exactly_the_mismatched_orders(planted):
    p = planted
    assert bill_rule.RULE in RULES
    settings_service.update_settings(settlement_days=1)
    ctx = RuleContext(
        now=p["now"], settings=settings_service.load_settings(), tracking=TrackingState(True, "")
    )
    (f,) = list(bill_rule.evaluate(ctx))
    ids = {
        one('SELECT id FROM "order" WHERE order_sn = ?', sn)[0]
        for sn in (p["missing"], p["double"], p["amount"])
    }
    assert set(f.target_ids) == ids and f.target == "funds_reconcile"
    assert f.count == 4 and "账单对不上" in f.title
    assert "未结算 1 单" in f.why and "重复结算 1 单" in f.why and "金额不符 1 单" in f.why
    assert f.amount_fen == p["receive"][p["missing"]] + p["receive"][p["double"]] + 123


def test_settlement_days_setting_is_checked():
    with pytest.raises(ValidationError, match="确认收货后应结算天数"):
        settings_service.update_settings(settlement_days=0)
