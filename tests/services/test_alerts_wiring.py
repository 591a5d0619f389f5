"""The modules wired into the alerts centre: 推广 ROI under 保本 and 客服 reply rates under target
(one alert per plan / agent, counted against an independent count, resolving by themselves),
long keys, and an automation rule that switched itself off (raised, notified once, cleared).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from fractions import Fraction

import pytest

from pdd_desktop.common import clock
from pdd_desktop.domain.alerts import MAX_KEY, TARGET_ADS, TARGET_AUTOMATION, TARGET_CS, Severity
from pdd_desktop.services import ads, alerts, cs
from pdd_desktop.services import automation as auto
from pdd_desktop.services.alerts import ads_roi, cs_reply
from pdd_desktop.services.alerts.base import Rule, bounded_key
from pdd_desktop.services.automation import RuleKind
from pdd_desktop.services.cs_import import import_cs_export
from tests.helpers.db import q
from tests.services.test_ads import NOW, ROWS, _import, _shop, _write
from tests.services.test_automation import more_to_ship
from tests.services.test_cs_import import AGENTS, agent_rows, write

RULES = (ads_roi.RULE, cs_reply.RULE)

# SKU prices and costs of tests.services.test_ads._shop (fen): goods → [(拼单价, 成本 or None)].
SKUS = {9001: [(4990, 2500), (5990, 2990), (6990, None)], 9002: [(990, 700)]}


def _open(prefix: str) -> dict[str, alerts.AlertRow]:
    return {a.key: a for a in alerts.open_alerts(include_snoozed=True) if a.key.startswith(prefix)}


def _ads_oracle(rows, days: int) -> set[tuple[int, str]]:
    """(goods, plan or '') judged in Python from the report rows: each of the last ``days`` days
    spent (总花费) under 保本 ROI = Σ拼单价 ÷ Σ(拼单价 − 成本) over the SKUs with a cost.
    """
    end = date.fromisoformat(max(r[0] for r in rows))
    last = [str(end - timedelta(days=i)) for i in range(days)]  # calendar days up to the newest
    plan: dict[tuple[int, str], dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    goods: dict[int, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for day, gid, name, _deal, gmv, spend, _orders in rows:
        for acc in (plan[(gid, name)][day], goods[gid][day]):
            acc[0] += spend
            acc[1] += gmv
    out = set()

    def under(gid: int, per_day) -> bool:
        priced = [(p, c) for p, c in SKUS[gid] if c is not None]
        be = Fraction(sum(p for p, _ in priced), sum(p - c for p, c in priced))
        return all(
            d in per_day and per_day[d][0] and Fraction(per_day[d][1], per_day[d][0]) < be for d in last
        )

    out |= {(gid, name) for (gid, name), per_day in plan.items() if under(gid, per_day)}
    # A goods only when some plan of it that spent in those days is not reported itself.
    for gid, per_day in goods.items():
        spent = {(g, n) for (g, n), pd in plan.items() if g == gid and any(pd[d][0] for d in last if d in pd)}
        if under(gid, per_day) and not spent <= out:
            out.add((gid, ""))
    return out


def test_ads_roi_alert_per_plan_counts_the_oracle_and_resolves_by_itself(empty_shop, tmp_path):
    _shop()
    _import(_write(tmp_path / "r.xlsx"))
    expected = _ads_oracle(ROWS, 3)
    assert expected  # the data has a plan under 保本
    evaluation = alerts.evaluate(NOW, rules=RULES)
    assert evaluation.failed_rules == () and evaluation.changes.alerts
    found = _open(ads_roi.PREFIX)
    assert len(found) == len(expected)
    assert {(a.target_ids[0], "plan" in a.key) for a in found.values()} == {
        (gid, bool(name)) for gid, name in expected
    }
    for a in found.values():
        assert (a.target, a.severity, a.count, a.source) == (TARGET_ADS, Severity.MEDIUM, 1, "rule")
        assert "保本 ROI" in a.why and a.title.startswith("推广低于保本")
    # The same streak on a later evaluation is the same alert, updated in place.
    alerts.evaluate(NOW + 3600, rules=RULES)
    again = _open(ads_roi.PREFIX)
    assert set(again) == set(found)
    assert all(again[k].first_seen_at == found[k].first_seen_at for k in found)
    # A fourth day with 9002 back above 保本 breaks every streak: the alerts resolve by themselves.
    better = [*ROWS, ("2026-12-01", 9002, "袜子-稳定成本", 500, 5000, 500, 3)]
    _import(_write(tmp_path / "r2.xlsx", better))
    clock.set_clock(lambda: NOW + 86400)
    assert _ads_oracle(better, 3) == set()
    alerts.evaluate(NOW + 86400, rules=RULES)
    assert _open(ads_roi.PREFIX) == {}
    assert all(alerts.get_alert(k).resolved_at == NOW + 86400 for k in found)


def test_ads_alerts_resolve_when_the_merchant_asks_for_more_days(empty_shop, tmp_path):
    _shop()
    _import(_write(tmp_path / "r.csv"))
    alerts.evaluate(NOW, rules=RULES)
    assert len(_open(ads_roi.PREFIX)) == len(_ads_oracle(ROWS, 3))
    ads.set_alert_days(4)
    assert _ads_oracle(ROWS, 4) == set()
    alerts.evaluate(NOW + 60, rules=RULES)
    assert _open(ads_roi.PREFIX) == {}


def _cs_oracle(r3_target: Fraction, r30_target: Fraction) -> set[str]:
    """Keys judged from the test export's own columns: 3 分钟回复率 = (需人工 − 3分钟未回复) ÷ 需人工."""
    out = set()
    for name, _c, _i, _o, _s, need, _recv, unrep, r30, *_rest in AGENTS:
        if Fraction(need - unrep, need) < r3_target:
            out.add(f"{cs_reply.PREFIX}r3:{name}")
        if Fraction(r30.rstrip("%")) / 100 < r30_target:
            out.add(f"{cs_reply.PREFIX}r30:{name}")
    return out


def test_cs_reply_rate_alert_per_agent_counts_the_oracle_and_resolves_by_itself(empty_shop, tmp_path):
    import_cs_export(write(tmp_path / "a.xlsx", agent_rows()))
    now = 1796083200 + 86400 + 2 * 3600  # 2026-12-02 18:00 Beijing: 12-01's figures count
    clock.set_clock(lambda: now)
    expected = _cs_oracle(Fraction(80, 100), Fraction(60, 100))
    assert expected
    alerts.evaluate(now, rules=RULES)
    found = _open(cs_reply.PREFIX)
    assert set(found) == expected
    for a in found.values():
        assert (a.target, a.severity, a.count) == (TARGET_CS, Severity.MEDIUM, 1)
        assert "低于目标" in a.title and "客服" in a.why
    # Lower targets: the cause is gone, the alerts resolve on the next evaluation.
    cs.set_targets(r3="70", r30="40")
    assert _cs_oracle(Fraction(70, 100), Fraction(40, 100)) == set()
    alerts.evaluate(now + 60, rules=RULES)
    assert _open(cs_reply.PREFIX) == {}
    # Back to the stricter targets: the same causes open again (a new opening).
    cs.set_targets(r3="80", r30="60")
    alerts.evaluate(now + 120, rules=RULES)
    assert set(_open(cs_reply.PREFIX)) == expected
    assert all(a.first_seen_at == now + 120 for a in _open(cs_reply.PREFIX).values())


def _finding(key: str) -> alerts.Finding:
    return alerts.Finding(key, key.split(":")[0], Severity.LOW, "测试提醒", "", 1)


def test_prefix_rules_resolve_only_their_own_keys(empty_shop):
    alerts.raise_alert("one:x", "x", Severity.LOW, "由代码提出")  # stored as app:one:x
    found = Rule("one", (), lambda ctx: [_finding("one:stale")], key_prefix="one:")
    keep = Rule("two", (), lambda ctx: [_finding("two:keep")], key_prefix="two:")
    alerts.evaluate(100, rules=(found, keep))
    assert {a.key for a in alerts.open_alerts(100)} == {"one:stale", "two:keep", "app:one:x"}
    nothing = Rule("one", (), lambda ctx: [], key_prefix="one:")
    alerts.evaluate(200, rules=(nothing,))  # "one" finds nothing now; "two" did not run
    assert {a.key for a in alerts.open_alerts(200)} == {"two:keep", "app:one:x"}
    bad = Rule("bad", ("a",), lambda ctx: [_finding("b:1")], key_prefix="a")
    with pytest.raises(ValueError, match="not one of its keys"):
        alerts.evaluate(300, rules=(bad,))


def test_bounded_key_keeps_long_causes_apart():
    a = bounded_key("cs_reply:", "r3", "客" * 200)
    b = bounded_key("cs_reply:", "r3", "客" * 199 + "服")
    assert len(a) == len(b) == MAX_KEY and a != b and a.startswith("cs_reply:r3:客")
    assert bounded_key("x:", "short") == "x:short"


def test_a_rule_that_switched_itself_off_is_an_urgent_alert_until_switched_on(sandbox_demo_shop, tmp_path):
    more_to_ship(1)
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    params = {"times": ["09:00"], "batch_max": 10, "folder": str(blocker / "sub")}
    auto.enable_rule(kind=RuleKind.PRINT, params=params)
    key = f"app:{auto.alert_key(RuleKind.PRINT)}"
    auto.run_rules(force_print=True)
    assert alerts.get_alert(key) is None  # one failure: still on, no alert
    second = auto.run_rules(force_print=True)
    assert second.outcomes[0].switched_off and second.changes.alerts and second.changes.messages
    alert = alerts.get_alert(key)
    assert alert is not None and alert.resolved_at is None
    assert (alert.severity, alert.target, alert.source) == (Severity.HIGH, TARGET_AUTOMATION, "code")
    assert "「定时打印面单」连续失败 2 次，已自动停用" in alert.title and "设置 → 自动化" in alert.why
    about_it = "SELECT COUNT(*) FROM message WHERE title LIKE '%「定时打印面单」连续失败%'"
    assert q(about_it) == [(1,)]
    # The centre notifies it once, without a second 系统提醒 for the same opening.
    evaluation = alerts.evaluate(clock.now())
    assert key in [r.key for r in evaluation.notify]
    assert q(about_it) == [(1,)]
    assert key not in [r.key for r in alerts.evaluate(clock.now() + 60).notify]
    assert alerts.get_alert(key).resolved_at is None  # no rule resolves it
    # Switched on again: the alert is cleared with it.
    changes = auto.enable_rule(kind=RuleKind.PRINT, params={**params, "folder": str(tmp_path / "ok")})
    assert changes.alerts and changes.settings
    assert alerts.get_alert(key).resolved_at is not None
    assert key not in {a.key for a in alerts.open_alerts(include_snoozed=True)}
