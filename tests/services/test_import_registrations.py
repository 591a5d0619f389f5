"""活动报名记录 import: kind from the header, per-row report, all or nothing, prices in fen."""

from __future__ import annotations

import pytest

from pdd_desktop.domain.errors import NotAllowed
from pdd_desktop.services import imports
from pdd_desktop.services import marketing as svc
from tests.helpers.db import db_state, q
from tests.services.test_import_goods import shop, write_sheet  # noqa: F401  (goods 801/802, SKUs 9001-9005)

HEADER = [
    "活动ID",
    "活动名称",
    "活动类型",
    "商品ID",
    "商品名称",
    "报名状态",
    "报名时间",
    "活动开始时间",
    "活动结束时间",
    "驳回/取消原因",
    "活动库存",
    "已售数量",
    "样式ID",
    "SKU活动价(元)",
    "最低拼团价(元)",
]
TABLES = ("activity_registration", "activity_registration_sku", "import_batch", "import_row_error")


def row(
    activity="A100",
    goods="801",
    sku="9001",
    price="9.90",
    state="报名成功",
    start="2026-11-01 00:00:00",
    end="2026-11-30 23:59:59",
    name="9块9特卖",
):
    return [
        activity,
        name,
        "9块9特卖",
        goods,
        "加厚睡衣",
        state,
        "2026-10-20 10:00:00",
        start,
        end,
        "",
        "100",
        "3",
        sku,
        price,
        "12.90",
    ]


def snapshot():
    return db_state(
        TABLES,
        "SELECT * FROM activity_registration ORDER BY id",
        "SELECT * FROM activity_registration_sku ORDER BY registration_id, sku_id",
    )


def test_a_registration_export_is_recognised_and_imported_with_sku_prices(shop, tmp_path):  # noqa: F811
    path = write_sheet(
        tmp_path / "报名记录.csv",
        [
            HEADER,
            row(),
            row(sku="9002", price="10.50"),
            row(activity="A200", goods="802", sku="9004", price="1.00", state="审核中", name="限时秒杀"),
        ],
    )
    check = imports.check_import_file(path)
    assert check.kind == "registrations" and check.errors == ()
    assert (check.new, check.rows_total) == (2, 3)
    assert "报名记录" in check.summary
    result = imports.apply_import(check)
    assert result.changes.marketing and (result.new, result.updated) == (2, 0)
    regs = {r.activity_id: r for r in svc.list_registrations()}
    a = regs["A100"]
    assert (a.goods_id, a.state, a.min_price_fen, a.max_price_fen) == (801, "报名成功", 990, 1050)
    assert {(s.sku_id, s.activity_price_fen) for s in a.skus} == {(9001, 990), (9002, 1050)}
    assert regs["A200"].state == "审核中"
    # a newer export: the state moved on, one price changed
    path2 = write_sheet(
        tmp_path / "报名记录2.csv", [HEADER, row(state="活动下线"), row(sku="9002", price="10.00")]
    )
    check2 = imports.check_import_file(path2)
    assert (check2.new, check2.updated) == (0, 1)
    imports.apply_import(check2)
    a = {r.activity_id: r for r in svc.list_registrations()}["A100"]
    assert a.state == "活动下线" and {s.activity_price_fen for s in a.skus} == {990, 1000}


def test_bad_rows_change_nothing_and_sink_their_whole_registration(shop, tmp_path):  # noqa: F811
    before = snapshot()
    path = write_sheet(
        tmp_path / "bad.csv",
        [
            HEADER,
            row(),  # good, but its registration has a bad row below
            row(sku="9002", price="abc"),  # bad price
            row(activity="A300", goods="802", sku="9001"),  # SKU of another goods
            row(activity="", goods="801"),  # no activity id
            row(activity="A400", start="2026-12-01 00:00:00", end="2026-11-01 00:00:00"),  # end before start
            row(activity="A500", goods="802", sku="9004", price="1.00"),  # good
        ],
    )
    check = imports.check_import_file(path)
    by_row = {}
    for e in check.errors:
        by_row.setdefault(e.row_no, []).append(e.message)
    assert sorted(by_row) == [2, 3, 4, 5, 6]
    assert any("其他行有错误" in m for m in by_row[2])
    assert any("金额格式不对" in m for m in by_row[3])
    assert any("属于另一个商品" in m for m in by_row[4])
    assert any("活动ID不能为空" in m for m in by_row[5])
    assert any("结束时间应晚于开始时间" in m for m in by_row[6])
    assert check.new == 1 and check.rows_ok == 1
    with pytest.raises(NotAllowed, match="行错误"):
        imports.apply_import(check)
    assert snapshot() == before
    result = imports.apply_import(imports.check_import_file(path), accept_partial=True)
    assert result.new == 1 and result.rows_rejected == 5
    assert [r.activity_id for r in svc.list_registrations()] == ["A500"]
    assert q("SELECT COUNT(*) FROM import_row_error") == [(6,)]  # every rejected row, with its reason


def test_registration_prices_below_cost_are_flagged(shop, tmp_path):  # noqa: F811
    q("UPDATE sku SET cost_price_fen = 1000 WHERE sku_id = 9001")
    path = write_sheet(tmp_path / "r.csv", [HEADER, row(price="9.90")])
    imports.apply_import(imports.check_import_file(path))
    (reg,) = svc.list_registrations()
    assert reg.below_cost
    (res,) = svc.campaign_results(now=1_795_435_200)
    assert res.kind == "activity" and "低于成本" in res.below_cost[0]
