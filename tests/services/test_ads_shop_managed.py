"""推广: 总计 above the rows' spend is 全店托管 spend (merchant-data.md §2.1), kept exact to the fen.

Accepted and stored as one file-level row (no goods, dated the file's last day, its range kept);
counted in total spend and 资金's spend per day, never in a goods' spend; every other mismatch is
still refused. Also: the import kinds come from the registry.
"""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import pytest

from pdd_desktop.data.db import database
from pdd_desktop.domain import ad_report as adr
from pdd_desktop.domain.errors import ValidationError
from pdd_desktop.services import ads, imports
from pdd_desktop.services.imports import kinds
from pdd_desktop.tabular.table_files import write_table
from tests.services.test_ads import HEADER, ROWS, _cells, _counts, _import, _shop, _yuan

SPEND = sum(r[5] for r in ROWS)
DEAL = sum(r[3] for r in ROWS)
GMV = sum(r[4] for r in ROWS)
ORDERS = sum(r[6] for r in ROWS)


def _file(path, rows=ROWS, *, deal=0, spend=0, gmv=0, orders=0):
    """An export whose 总计 row differs from the rows' sums by the given amounts (fen / orders)."""
    s_deal, s_gmv = sum(r[3] for r in rows), sum(r[4] for r in rows)
    s_spend, s_orders = sum(r[5] for r in rows), sum(r[6] for r in rows)
    total = [
        "总计", "", "", "", "", "", _yuan(s_deal + deal), _yuan(s_gmv + gmv), "", _yuan(s_spend + spend),
        _yuan(s_gmv + gmv), s_orders + orders, "", "", "",
    ]  # fmt: skip
    body = [list(HEADER), *[_cells(r) for r in rows], total, ["注：数据有延迟"]]
    write_table(path, ("名称：推广商品报表",), body)
    return path


def _managed_rows():
    return database.execute_sql(
        "SELECT day, scene, plan_name, goods_id, goods_name, bid, spend_fen, deal_spend_fen, gmv_fen, orders "
        "FROM ad_report_row WHERE goods_id = 0 ORDER BY day"
    ).fetchall()


def _day(text: str) -> int:
    from pdd_desktop.data import aggregates as agg

    return agg.date_to_day(date.fromisoformat(text))


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_total_above_the_rows_spend_is_stored_as_shop_managed_spend(empty_shop, tmp_path, suffix):
    _shop()
    check = imports.check_import_file(_file(tmp_path / f"r{suffix}", deal=3001, spend=5003))
    assert not check.errors and check.rows_total == len(ROWS)
    assert (check.new, check.updated, check.unchanged) == (len(ROWS), 0, 0)  # the file's rows only
    note = next(w for w in check.warnings if "全店托管" in w)
    assert "¥50.03" in note and "2026-11-28 至 2026-11-30" in note
    result = imports.apply_import(check)
    assert result.changes.marketing and result.changes.funds and "¥50.03" in result.message
    assert _counts() == (len(ROWS) + 1, 1)
    assert _managed_rows() == [
        (_day("2026-11-30"), "全店托管", "全店托管", 0, "", "2026-11-28~2026-11-30", 5003, 3001, 0, 0)
    ]

    view = ads.ads_view(first=date(2026, 11, 1), last=date(2026, 11, 30))
    assert view.shop_managed == (ads.ShopManagedRow(date(2026, 11, 28), date(2026, 11, 30), 5003, 3001),)
    # Total = the 总计 row: every goods row plus 全店托管; 交易额 and orders only from the goods rows.
    assert (view.total.spend_fen, view.total.gmv_fen, view.total.orders) == (SPEND + 5003, GMV, ORDERS)
    assert view.total.roi == Fraction(GMV, SPEND + 5003)
    # Never a goods' or plan's spend, never in a day row (that would be the whole range on one day).
    assert 0 not in {p.goods_id for p in view.plans} | {g.goods_id for g in view.goods}
    assert sum(p.figures.spend_fen for p in view.plans) == SPEND
    assert sum(d.figures.spend_fen for d in view.days) == SPEND
    assert ads.spend_by_goods(first=date(2026, 11, 1), last=date(2026, 11, 30)) == {
        9001: 1801 + 2473 + 377 + 3333, 9002: 1003 + 1297 + 1461,
    }  # fmt: skip
    # 资金: counted on the file's last day, exact.
    days = {d.day: d.spend_fen for d in ads.spend_by_day(first=date(2026, 11, 28), last=date(2026, 11, 30))}
    assert days == {
        date(2026, 11, 28): 1801 + 1003,
        date(2026, 11, 29): 2473 + 377 + 1297,
        date(2026, 11, 30): 3333 + 1461 + 5003,
    }
    assert sum(days.values()) == SPEND + 5003
    # A range that ends before the file's last day does not include it.
    assert ads.ads_view(first=date(2026, 11, 28), last=date(2026, 11, 29)).shop_managed == ()
    # No alert or streak for it.
    assert all(a.goods_id != 0 for a in ads.roi_alerts(1796083200 + 10 * 3600))


def test_ads_roi_report_has_the_shop_managed_line_and_its_total_adds_up(empty_shop, tmp_path):
    from pdd_desktop.services import reports

    _shop()
    _import(_file(tmp_path / "r.xlsx", spend=5003))
    table, count = reports.write_report("ads-roi", "2026-11-01", "2026-11-30", tmp_path / "out.csv")
    assert count == 5  # three plan × goods rows, 全店托管, 合计
    managed = table.rows[-2]
    assert managed[0] == "全店托管" and "无商品明细" in managed[1] and managed[4] == "50.03"
    assert table.rows[-1][0] == "合计" and table.rows[-1][4] == _yuan(SPEND + 5003)
    assert sum(int(r[4].replace(".", "")) for r in table.rows[:-1]) == SPEND + 5003


@pytest.mark.parametrize(
    ("delta", "label", "amounts"),
    [
        ({"spend": -7}, "总花费", ("¥0.07",)),  # 总计 below the rows
        ({"deal": -1, "spend": 9}, "成交花费", ("¥0.01",)),
        ({"spend": 500, "gmv": 100}, "交易额", ("¥1.00",)),  # spend excess, but 交易额 differs too
        ({"spend": 500, "orders": 1}, "成交笔数", ("1 笔",)),
    ],
)
def test_other_mismatches_are_still_refused_with_column_amounts_and_difference(
    empty_shop, tmp_path, delta, label, amounts
):
    _shop()
    with pytest.raises(ValidationError) as exc:
        imports.check_import_file(_file(tmp_path / "r.csv", **delta))
    text = str(exc.value)
    assert f"各行的{label}合计" in text and "总计" in text
    assert all(f"相差 {a}" in text for a in amounts)
    assert _counts() == (0, 0) and _managed_rows() == []


def test_single_day_file_and_re_exports_of_the_same_or_a_wider_range(empty_shop, tmp_path):
    _shop()
    day30 = [r for r in ROWS if r[0] == "2026-11-30"]
    _import(_file(tmp_path / "d30.csv", day30, spend=1234))
    assert [r[5:7] for r in _managed_rows()] == [("2026-11-30~2026-11-30", 1234)]
    # The same day exported again with more 全店托管 spend: the row is replaced, not added.
    check = imports.check_import_file(_file(tmp_path / "d30b.csv", day30, spend=2000))
    assert (check.new, check.updated, check.unchanged) == (0, 0, len(day30))
    imports.apply_import(check)
    assert [r[5:7] for r in _managed_rows()] == [("2026-11-30~2026-11-30", 2000)]
    # A three-day file covers 11-30: its 全店托管 replaces the single-day one (no double count).
    _import(_file(tmp_path / "all.csv", spend=4321))
    assert [r[5:7] for r in _managed_rows()] == [("2026-11-28~2026-11-30", 4321)]
    view = ads.ads_view(first=date(2026, 11, 1), last=date(2026, 11, 30))
    assert view.total.spend_fen == SPEND + 4321
    # A file without excess leaves the stored 全店托管 alone.
    _import(_file(tmp_path / "plain.csv", day30))
    assert [r[5:7] for r in _managed_rows()] == [("2026-11-28~2026-11-30", 4321)]


def test_partly_overlapping_ranges_cannot_be_split_and_are_refused(empty_shop, tmp_path):
    _shop()
    first_two = [r for r in ROWS if r[0] != "2026-11-30"]
    last_two = [r for r in ROWS if r[0] != "2026-11-28"]
    _import(_file(tmp_path / "a.csv", first_two, spend=1000))
    before = database.execute_sql("SELECT * FROM ad_report_row ORDER BY id").fetchall()
    with pytest.raises(ValidationError) as exc:
        imports.check_import_file(_file(tmp_path / "b.csv", last_two, spend=700))
    text = str(exc.value)
    assert "2026-11-29 至 2026-11-30" in text and "2026-11-28 至 2026-11-29" in text
    assert "2026-11-28 到 2026-11-30" in text  # the export that covers both
    assert database.execute_sql("SELECT * FROM ad_report_row ORDER BY id").fetchall() == before
    # Inside the stored range (one day of it) is a partial overlap too.
    with pytest.raises(ValidationError, match="部分重叠"):
        imports.check_import_file(_file(tmp_path / "c.csv", [ROWS[0]], spend=5))
    # Days that do not touch the stored range are fine.
    _import(_file(tmp_path / "d.csv", [r for r in ROWS if r[0] == "2026-11-30"], spend=300))
    assert [r[5:7] for r in _managed_rows()] == [
        ("2026-11-28~2026-11-29", 1000), ("2026-11-30~2026-11-30", 300),
    ]  # fmt: skip


def test_a_goods_row_with_goods_id_zero_is_a_bad_row(empty_shop, tmp_path):
    _shop()
    rows = [_cells(ROWS[0])]
    rows[0][1] = "0"
    total = ["总计", "", "", "", "", "", *rows[0][6:8], "", rows[0][9], rows[0][10], rows[0][11], "", "", ""]
    path = tmp_path / "z.csv"
    write_table(path, (), [list(HEADER), *rows, total])
    check = imports.check_import_file(path)
    assert check.errors and "不能为 0" in check.errors[0].message


def test_import_kinds_come_from_the_registry(empty_shop, tmp_path):
    assert kinds.labels() == (
        "订单文件",
        "商品库存表",
        "推广报表",
        "活动报名记录",
        "账单",
        "店铺客服数据",
        "客服绩效",
    )
    assert (
        kinds.accepted_text() == "订单文件、商品库存表、推广报表、活动报名记录、账单、店铺客服数据或客服绩效"
    )
    assert {k.key for k in kinds.KINDS} == {
        "orders",
        "goods",
        "ads",
        "registrations",
        "bills",
        "cs_shop",
        "cs_agent",
    }
    path = tmp_path / "x.csv"
    write_table(path, (), [["完全", "无关"], ["1", "2"]])
    with pytest.raises(ValidationError) as exc:
        imports.check_import_file(path)
    text = str(exc.value)
    assert all(k.header_hint in text for k in kinds.KINDS) and "完全、无关" in text
    # The registry decides the kind: an ad report header is the ads kind.
    assert kinds.detect(list(HEADER)) == "ads" and kinds.detect(["订单号", "订单状态"]) == "orders"
    assert adr.SHOP_MANAGED_PLAN == "全店托管"
