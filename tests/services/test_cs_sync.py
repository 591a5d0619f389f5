"""客服 in the demo: the sandbox's simulated exports arrive through a sync and the file import path."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal
from fractions import Fraction

from pdd_desktop.sandbox.cs import simulate_day
from pdd_desktop.services import cs
from pdd_desktop.services.cs_import import day_date
from pdd_desktop.services.sync.areas import cs as area
from tests.helpers.db import one, q
from tests.helpers.sync_rig import make_rig


def test_demo_sync_imports_thirty_days_with_exact_rates(tmp_path, tmp_path_factory):
    rig = make_rig(tmp_path, tmp_path_factory)
    try:
        report = rig.engine(source="demo").run_once(streams=["cs"])
        assert report.outcome == "ok"
        days = [d for (d,) in q("SELECT DISTINCT day FROM cs_metric_day ORDER BY day")]
        assert len(days) == area.FIRST_DAYS and days == list(range(days[0], days[0] + area.FIRST_DAYS))
        assert q("SELECT DISTINCT agent FROM cs_metric_day ORDER BY agent") == [
            ("",),
            ("小林",),
            ("小美",),
            ("阿强",),
        ]
        # Independent: the sandbox's export of that day, read with csv and Decimal.
        day = days[-1]
        sim = simulate_day(rig.shop.seed, day_date(day))
        rows = list(csv.reader(io.StringIO(sim.agent_csv)))
        for r in rows[3:-1]:
            row = dict(zip(rows[2], r, strict=True))
            need, unreplied = int(row["需要人工回复的咨询人数"]), int(row["3分钟未回复人数"])
            stored = one(
                "SELECT r3_num, r3_den, r30_num, r30_den FROM cs_metric_day WHERE day = ? AND agent = ?",
                day,
                row["客服账号"],
            )
            assert Fraction(stored[0], stored[1]) == Fraction(need - unreplied, need)
            assert (
                Fraction(stored[2], stored[3])
                == Fraction(Decimal(row["30秒应答率（8-23点）"].rstrip("%"))) / 100
            )
        assert one("SELECT COUNT(*) FROM cs_hour WHERE day = ?", day)[0] > 10
        again = rig.engine(source="demo").run_once(streams=["cs"])
        assert again.outcome == "ok"
        assert one("SELECT COUNT(*) FROM cs_metric_day")[0] == area.FIRST_DAYS * 4
        ov = cs.overview()
        assert ov.latest_day == day and len(ov.rolling) == 4 and ov.hours
        assert ov.hours[0].unreplied_3m >= ov.hours[-1].unreplied_3m
    finally:
        rig.close()


def test_simulated_exports_match_an_independent_reading():
    sim = simulate_day(11, date(2026, 11, 20))
    rows = list(csv.reader(io.StringIO(sim.agent_csv)))
    header = rows[2]
    body = [dict(zip(header, r, strict=True)) for r in rows[3:]]
    total = body[-1]
    agents = body[:-1]
    assert total["客服账号"] == "总计"
    for key in ("咨询人数", "需要人工回复的咨询人数", "3分钟未回复人数"):
        assert int(total[key]) == sum(int(a[key]) for a in agents)
    assert Decimal(total["客服销售额（元）"]) == sum(Decimal(a["客服销售额（元）"]) for a in agents)
    shop = dict(zip(*list(csv.reader(io.StringIO(sim.shop_csv))), strict=True))
    assert int(shop["咨询人数"]) == int(total["咨询人数"])
    assert shop["3分钟人工回复率(8-23点)"] == total["3分钟人工回复率（8-23点）"]
    # The hours hold every consultation needing a human reply, the night ones included.
    window = sum(h[1] for h in sim.hours if 8 <= h[0] < 23)
    assert window == int(shop["需要人工回复的咨询人数"])
    assert sum(h[2] for h in sim.hours if 8 <= h[0] < 23) == int(total["3分钟未回复人数"])
    assert day_date(0) == date(1970, 1, 1)


def test_an_api_shop_never_asks_for_cs_exports(tmp_path, tmp_path_factory):
    rig = make_rig(tmp_path, tmp_path_factory, local="empty")
    try:
        client = rig.client()
        asked = []
        original = client.call
        client.call = lambda api, params, **kw: (asked.append(api), original(api, params, **kw))[1]
        report = rig.engine(client, source="api").run_once(streams=["cs"])
        assert report.outcome == "ok"
        assert area.API not in asked
        assert one("SELECT COUNT(*) FROM cs_metric_day")[0] == 0
    finally:
        rig.close()
