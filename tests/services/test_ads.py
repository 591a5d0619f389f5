"""推广: ad reports in both formats (总计 as control total), exact ROI, marks, alerts, demo report."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from fractions import Fraction

import pytest

from pdd_desktop.common import clock
from pdd_desktop.data.db import database
from pdd_desktop.domain import ad_report as adr
from pdd_desktop.domain.errors import NotAllowed, ValidationError
from pdd_desktop.services import ads, ads_demo, imports
from pdd_desktop.tabular.table_files import write_table

NOW = 1796083200 + 10 * 3600  # 2026-12-01 18:00 Beijing (10:00 UTC)
HEADER = (
    "日期", "商品ID", "商品名称", "推广场景", "推广名称", "出价方式", "成交花费(元)",
    "交易额(元)", "实际投产比",
    "总花费(元)", "净交易额(元)", "成交笔数", "每笔成交花费(元)", "曝光量", "点击量",
)  # fmt: skip
# (day, goods, plan, deal spend fen, gmv fen, total spend fen, orders): odd amounts on purpose.
ROWS = [
    ("2026-11-28", 9001, "睡衣-稳定成本", 1733, 6617, 1801, 3),
    ("2026-11-28", 9002, "袜子-稳定成本", 999, 1990, 1003, 1),
    ("2026-11-29", 9001, "睡衣-稳定成本", 2471, 9981, 2473, 5),
    ("2026-11-29", 9001, "睡衣-搜索", 377, 0, 377, 0),
    ("2026-11-29", 9002, "袜子-稳定成本", 1211, 2987, 1297, 2),
    ("2026-11-30", 9001, "睡衣-稳定成本", 3001, 7777, 3333, 4),
    ("2026-11-30", 9002, "袜子-稳定成本", 1459, 2001, 1461, 1),
]
NAMES = {9001: "加厚珊瑚绒睡衣", 9002: "纯棉船袜"}


def _yuan(fen: int) -> str:
    return f"{fen // 100}.{fen % 100:02d}"


def _cells(r):
    day, gid, plan, deal, gmv, spend, orders = r
    return [
        day, str(gid), NAMES[gid], "稳定成本推广", plan, "目标投产比：3.95", _yuan(deal), _yuan(gmv),
        "-" if not deal else adr.round_half_up(Fraction(gmv, deal)), _yuan(spend), _yuan(gmv), orders,
        "-" if not orders else _yuan(deal // orders), orders * 400, orders * 12,
    ]  # fmt: skip


def _total(rows, *, spend_delta=0):
    return [
        "总计", "", "", "", "", "", _yuan(sum(r[3] for r in rows)), _yuan(sum(r[4] for r in rows)), "",
        _yuan(sum(r[5] for r in rows) + spend_delta), _yuan(sum(r[4] for r in rows)), sum(r[6] for r in rows),
        "", "", "",
    ]  # fmt: skip


def _write(path, rows=ROWS, *, total=True, spend_delta=0, extra=()):
    body = [list(HEADER), *[_cells(r) for r in rows], *extra]
    if total:
        body.append(_total(rows, spend_delta=spend_delta))
    body.append(["注：数据有延迟"])
    write_table(path, ("名称：推广商品报表",), body)
    return path


def _shop():
    clock.set_clock(lambda: NOW)
    db = database.connection()
    db.execute(
        "INSERT INTO goods (goods_id, name, short_name, outer_goods_id, category, image_url, is_onsale, "
        "promise_hours, market_price_fen, created_at) VALUES "
        "(9001, '加厚珊瑚绒睡衣', '', '', '', '', 1, 48, 0, 0), "
        "(9002, '纯棉船袜', '', '', '', '', 1, 48, 0, 0), (9003, '无成本商品', '', '', '', '', 1, 48, 0, 0)"
    )
    # 9001: two SKUs with cost (4990/2500, 5990/2990) and one without; 9002: 990/700; 9003: no cost.
    db.execute(
        "INSERT INTO sku (sku_id, goods_id, spec, outer_id, single_price_fen, group_price_fen, "
        "cost_price_fen, "
        "stock, reserve_quantity, low_stock_threshold, weight_g, is_onsale) VALUES "
        "(1, 9001, 'M', '', 0, 4990, 2500, 1, 0, 0, 0, 1), (2, 9001, 'L', '', 0, 5990, 2990, 1, 0, 0, 0, 1), "
        "(3, 9001, 'XL', '', 0, 6990, NULL, 1, 0, 0, 0, 1), (4, 9002, '', '', 0, 990, 700, 1, 0, 0, 0, 1), "
        "(5, 9003, '', '', 0, 1990, NULL, 1, 0, 0, 0, 1)"
    )


def _import(path, **kw):
    return imports.apply_import(imports.check_import_file(path), **kw)


def _counts():
    return (
        database.execute_sql("SELECT COUNT(*) FROM ad_report_row").fetchone()[0],
        database.execute_sql("SELECT COUNT(*) FROM import_batch").fetchone()[0],
    )


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_report_with_total_row_gives_exact_roi_per_plan_goods_and_day(empty_shop, tmp_path, suffix):
    _shop()
    check = imports.check_import_file(_write(tmp_path / f"推广商品{suffix}"))
    assert check.kind == "ads" and check.rows_total == len(ROWS) and not check.errors
    assert check.new == len(ROWS)
    result = imports.apply_import(check)
    assert result.changes.marketing and result.changes.funds
    assert _counts() == (len(ROWS), 1)  # the 总计 row is not a plan

    # Independent computation from the rows as written (spend = 总花费).
    plan, goods, day = (
        defaultdict(lambda: [0, 0, 0]),
        defaultdict(lambda: [0, 0, 0]),
        defaultdict(lambda: [0, 0, 0]),
    )
    for d, gid, name, _deal, gmv, spend, orders in ROWS:
        for acc in (plan[(name, gid)], goods[gid], day[date.fromisoformat(d)]):
            acc[0] += spend
            acc[1] += gmv
            acc[2] += orders
    view = ads.ads_view(first=date(2026, 11, 1), last=date(2026, 11, 30))
    assert view.total.spend_fen == sum(r[5] for r in ROWS)  # not doubled by 总计
    assert {(p.plan_name, p.goods_id) for p in view.plans} == set(plan)
    for p in view.plans:
        s, g, o = plan[(p.plan_name, p.goods_id)]
        assert (p.figures.spend_fen, p.figures.gmv_fen, p.figures.orders) == (s, g, o)
        assert p.figures.roi == Fraction(g, s)
        assert p.figures.cost_per_order == (Fraction(s, o) if o else None)
    for gr in view.goods:
        s, g, o = goods[gr.goods_id]
        assert gr.figures.roi == Fraction(g, s)
        assert gr.goods_name == NAMES[gr.goods_id]
    assert [dr.day for dr in view.days] == sorted(day)
    for dr in view.days:
        s, g, _o = day[dr.day]
        assert dr.figures.roi == Fraction(g, s)
    # 保本 ROI = 1 ÷ gross margin over the SKUs with a cost: (4990+5990) ÷ ((4990−2500)+(5990−2990)).
    by_goods = {gr.goods_id: gr for gr in view.goods}
    assert by_goods[9001].margin.break_even == Fraction(4990 + 5990, (4990 - 2500) + (5990 - 2990))
    assert by_goods[9002].margin.break_even == Fraction(990, 290)
    # Shown to two decimals, half up: 6617/1801 = 3.6740… → 3.67; 2001/1461 = 1.3696… → 1.37.
    assert adr.format_roi(Fraction(6617, 1801)) == "3.67"
    assert adr.format_roi(Fraction(2001, 1461)) == "1.37"
    assert adr.round_half_up(Fraction(3845, 1000)) == "3.85"


def test_rows_that_do_not_add_up_to_total_are_refused_and_nothing_changes(empty_shop, tmp_path):
    _shop()
    # 总计 spend *below* the rows' sum (above it is 全店托管 spend: see the tests further down).
    with pytest.raises(ValidationError) as exc:
        imports.check_import_file(_write(tmp_path / "r.xlsx", spend_delta=-1))
    text = str(exc.value)
    assert "总花费" in text and "总计" in text and "相差 ¥0.01" in text
    assert _counts() == (0, 0)


def test_file_without_total_row_or_hourly_is_refused(empty_shop, tmp_path):
    _shop()
    with pytest.raises(ValidationError, match="没有“总计”行"):
        imports.check_import_file(_write(tmp_path / "a.csv", total=False))
    hourly = [("08:00-09:00", 9001, "睡衣-稳定成本", 100, 300, 100, 1)]
    check = imports.check_import_file(_write(tmp_path / "b.csv", hourly))
    assert check.errors and "按小时" in check.errors[0].message
    assert _counts() == (0, 0)


def test_a_bad_row_refuses_the_whole_report_even_when_partial_is_allowed(empty_shop, tmp_path):
    _shop()
    rows = [*ROWS, ("2026-11-30", 9001, "睡衣-稳定成本", 1, 1, 1, 1)]  # same day, plan and goods twice
    check = imports.check_import_file(_write(tmp_path / "dup.xlsx", rows))
    assert check.bad_rows == 1 and "同一天、同一推广、同一商品" in check.errors[0].message
    with pytest.raises(NotAllowed, match="整份导入"):
        imports.apply_import(check, accept_partial=True)
    future = [("2026-12-02", 9001, "睡衣-稳定成本", 1, 1, 1, 1)]
    assert "今天之后" in imports.check_import_file(_write(tmp_path / "f.csv", future)).errors[0].message
    assert _counts() == (0, 0)


def test_same_file_twice_changes_nothing_and_a_later_export_updates_its_rows(empty_shop, tmp_path):
    _shop()
    path = _write(tmp_path / "r.xlsx")
    _import(path)
    before = database.execute_sql("SELECT * FROM ad_report_row ORDER BY id").fetchall()
    again = _import(path)
    assert again.already_imported and not again.changes.any()
    assert database.execute_sql("SELECT * FROM ad_report_row ORDER BY id").fetchall() == before
    # The backend re-exported 11-30 after more sales: that row changes, the others stay.
    grown = [*ROWS[:-1], ("2026-11-30", 9002, "袜子-稳定成本", 1459, 4001, 1461, 2)]
    check = imports.check_import_file(_write(tmp_path / "r2.csv", grown))
    assert (check.new, check.updated, check.unchanged) == (0, 1, len(ROWS) - 1)
    imports.apply_import(check)
    assert _counts() == (len(ROWS), 2)
    view = ads.ads_view(first=date(2026, 11, 30), last=date(2026, 11, 30))
    assert {g.goods_id: g.figures.gmv_fen for g in view.goods}[9002] == 4001


def test_under_break_even_for_n_days_marks_and_alerts(empty_shop, tmp_path):
    _shop()
    # 9002 (保本 990/290 ≈ 3.41) runs at ROI < 3.41 on 11-28, 11-29 and 11-30; 9001 (≈ 1.99) above.
    _import(_write(tmp_path / "r.xlsx"))
    assert ads.alert_days() == 3
    alerts = ads.roi_alerts(NOW)
    # 9002's only plan is reported; the goods alert would repeat it, so there is none.
    assert {(a.kind, a.goods_id, a.plan_name) for a in alerts} == {("plan", 9002, "袜子-稳定成本")}
    a = next(a for a in alerts if a.kind == "plan")
    assert a.figures.spend_fen == 1003 + 1297 + 1461 and a.figures.gmv_fen == 1990 + 2987 + 2001
    assert (a.first_day, a.last_day, a.days) == (date(2026, 11, 28), date(2026, 11, 30), 3)
    assert "保本 ROI 3.41" in a.body and a.key.endswith("20261130")
    view = ads.ads_view(first=date(2026, 11, 1), last=date(2026, 11, 30))
    assert [p.plan_name for p in view.plans if p.marked] == ["袜子-稳定成本"]
    assert view.marked_goods == 1
    # Four days in a row are not there: nothing is marked.
    assert ads.set_alert_days(4).marketing
    assert (
        ads.roi_alerts(NOW) == ()
        and ads.ads_view(first=date(2026, 11, 1), last=date(2026, 11, 30)).marked_plans == 0
    )
    with pytest.raises(ValidationError):
        ads.set_alert_days(0)
    assert ads.alert_days() == 4


def test_a_goods_alert_only_when_some_of_its_plans_are_not_reported(empty_shop, tmp_path):
    _shop()
    # A second 9002 plan ran on 11-29 only (ROI 3.00 < 3.41 but one day): not reported itself,
    # while 9002's plans together stayed under 保本 on each of the three days.
    rows = [*ROWS, ("2026-11-29", 9002, "袜子-搜索", 100, 300, 100, 1)]
    _import(_write(tmp_path / "r.xlsx", rows))
    alerts = ads.roi_alerts(NOW)
    assert {(a.kind, a.goods_id, a.plan_name) for a in alerts} == {
        ("plan", 9002, "袜子-稳定成本"), ("goods", 9002, ""),
    }  # fmt: skip
    g = next(a for a in alerts if a.kind == "goods")
    assert g.figures.spend_fen == 1003 + 1297 + 100 + 1461 and g.figures.gmv_fen == 1990 + 2987 + 300 + 2001


def test_goods_without_cost_is_never_judged(empty_shop, tmp_path):
    _shop()
    NAMES[9003] = "无成本商品"
    rows = [(d, 9003, "无成本-稳定", 500, 100, 500, 1) for d in ("2026-11-28", "2026-11-29", "2026-11-30")]
    _import(_write(tmp_path / "r.csv", rows))
    view = ads.ads_view(first=date(2026, 11, 28), last=date(2026, 11, 30))
    assert not view.goods[0].margin.known and view.goods[0].margin.break_even is None
    assert ads.roi_alerts(NOW) == ()


def test_spend_by_day_and_goods_for_funds(empty_shop, tmp_path):
    _shop()
    _import(_write(tmp_path / "r.xlsx"))
    days = ads.spend_by_day(first=date(2026, 11, 29), last=date(2026, 11, 30))
    assert [(d.day, d.spend_fen) for d in days] == [
        (date(2026, 11, 29), 2473 + 377 + 1297), (date(2026, 11, 30), 3333 + 1461),
    ]  # fmt: skip
    assert ads.spend_by_goods(first=date(2026, 11, 28), last=date(2026, 11, 30)) == {
        9001: 1801 + 2473 + 377 + 3333, 9002: 1003 + 1297 + 1461,
    }  # fmt: skip


def test_demo_report_comes_through_the_import_and_matches_the_orders(demo_shop):
    result = ads_demo.ensure_demo_report()
    assert result is not None and result.new > 0
    assert database.execute_sql("SELECT kind FROM import_batch").fetchall() == [("ads",)]
    rows = database.execute_sql(
        "SELECT r.day, r.goods_id, r.orders, r.gmv_fen, a.orders, a.gmv_fen FROM ad_report_row r "
        "LEFT JOIN agg_goods_day a ON a.day = r.day AND a.goods_id = r.goods_id"
    ).fetchall()
    assert len(rows) == result.new
    # Never more ad orders or 交易额 than the goods sold that day (none on a day it sold nothing).
    assert all(o <= (ao or 0) and g <= (ag or 0) for _d, _g, o, g, ao, ag in rows)
    assert any(o for _d, _g, o, *_rest in rows)
    assert ads_demo.ensure_demo_report() is None  # once
    assert ads.roi_alerts(clock.now())  # the demo has a plan under its 保本 ROI


def test_demo_report_only_for_the_demo_shop(empty_shop):
    with pytest.raises(NotAllowed, match="只有演示店铺"):
        ads_demo.import_demo_report()
    assert ads_demo.ensure_demo_report() is None


def test_ads_roi_report_lists_each_plan_with_its_exact_roi(empty_shop, tmp_path):
    from pdd_desktop.services import reports

    _shop()
    _import(_write(tmp_path / "r.xlsx"))
    table, count = reports.write_report("ads-roi", "2026-11-01", "2026-11-30", tmp_path / "out.csv")
    assert count == 4  # three plan × goods rows and 合计
    rows = {r[1]: r for r in table.rows}
    sock = rows["袜子-稳定成本"]
    assert sock[4] == "37.61" and sock[5] == "69.78" and sock[6] == 4
    assert sock[8] == adr.round_half_up(Fraction(6978, 3761)) == "1.86"
    assert sock[10] == "3.41" and sock[11] == "是"
    assert (
        table.rows[-1][0] == "合计"
        and table.rows[-1][4] == f"{sum(r[5] for r in ROWS) // 100}.{sum(r[5] for r in ROWS) % 100:02d}"
    )
