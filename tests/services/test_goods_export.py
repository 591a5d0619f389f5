"""导出商品/库存: the goods sheet layout, and export → import changes nothing (CSV and XLSX)."""

from __future__ import annotations

import csv

import pytest

from pdd_desktop.domain import export_columns as ec
from pdd_desktop.domain.errors import NotAllowed
from pdd_desktop.services import goods_export, goods_local, imports
from tests.helpers.db import dump_tables, q
from tests.services.test_import_goods import HEADER, shop, write_sheet  # noqa: F401

TABLES = ("goods", "sku", "stock_movement", "outbox", "audit_log")


def test_export_writes_the_sheet_layout_with_local_values(shop, tmp_path):  # noqa: F811
    goods_local.set_sku_local(sku_ids=[9001], low_stock_threshold=8)
    goods_local.set_goods_local(goods_ids=[802], promise_hours=24)
    q("UPDATE goods SET name = '=HYPERLINK(1)' WHERE goods_id = 801")
    result = goods_export.export_goods(tmp_path / "商品.csv")
    assert result.rows == 5
    with open(tmp_path / "商品.csv", encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    assert tuple(rows[0]) == ec.GOODS_HEADER
    assert rows[1] == [
        "801", "'=HYPERLINK(1)", "TS-01", "9001", "白色 M", "TS-W-M",
        "19.90", "29.90", "9.00", "10", "8", "48",
    ]  # fmt: skip
    assert rows[4] == [
        "802",
        "每日坚果",
        "NUT",
        "9004",
        "500g",
        "NUT-500",
        "49.90",
        "59.00",
        "",
        "120",
        "5",
        "24",
    ]
    assert ec.detect_kind(rows[0]) == "goods"


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_round_trip_changes_nothing(demo_shop, tmp_path, suffix):
    # the demo shop: hundreds of goods, real specs, costs, pending ops; some local values changed
    some = [r[0] for r in q("SELECT sku_id FROM sku ORDER BY sku_id LIMIT 3")]
    goods_local.set_sku_local(sku_ids=some, low_stock_threshold=11, cost_price_fen=None)
    before = dump_tables(demo_shop.db_file, TABLES)
    path = tmp_path / f"商品.{suffix}"
    result = goods_export.export_goods(path)
    assert result.rows == q("SELECT COUNT(*) FROM sku")[0][0] > 100
    check = imports.check_import_file(path)
    assert check.kind == "goods" and check.errors == ()
    assert (check.new, check.updated, check.unchanged) == (0, 0, result.rows)
    applied = imports.apply_import(check)
    assert (applied.new, applied.updated, applied.unchanged) == (0, 0, result.rows)
    assert not applied.changes.goods
    assert dump_tables(demo_shop.db_file, TABLES) == before


def test_sheet_sets_threshold_cost_codes_and_promise_hours(shop, tmp_path):  # noqa: F811
    header = [*HEADER, "库存预警值", "承诺发货时长(小时)"]
    path = write_sheet(
        tmp_path / "本地值.csv",
        [
            header,
            ["801", "", "TS-01B", "9001", "", "TS-W-M9", "", "", "7.25", "", "3", "24"],
            ["", "", "", "9004", "", "", "", "", "", "", "0", ""],
        ],
    )
    check = imports.check_import_file(path)
    assert check.errors == ()
    imports.apply_import(check)
    assert q("SELECT cost_price_fen, low_stock_threshold, outer_id, stock FROM sku WHERE sku_id = 9001") == [
        (725, 3, "TS-W-M9", 10)
    ]
    assert q("SELECT low_stock_threshold FROM sku WHERE sku_id = 9004") == [(0,)]
    assert q("SELECT outer_goods_id, promise_hours FROM goods WHERE goods_id = 801") == [("TS-01B", 24)]


def test_bad_local_values_reject_the_file_with_a_row_report(shop, tmp_path):  # noqa: F811
    header = [*HEADER, "库存预警值", "承诺发货时长(小时)"]
    path = write_sheet(
        tmp_path / "坏值.csv",
        [
            header,
            ["", "", "", "9001", "", "", "", "", "", "", "3", "0"],
            ["", "", "", "9002", "", "", "", "", "", "", "-1", ""],
            ["", "", "", "9003", "", "", "", "", "2000000", "", "", ""],
            ["", "", "", "9004", "", "", "", "", "", "", "4", "24"],
        ],
    )
    before = dump_tables(shop.db_file, ("goods", "sku"))
    check = imports.check_import_file(path)
    reasons = {(e.row_no, e.column): e.message for e in check.errors}
    assert "1 到 360" in reasons[(2, "承诺发货时长(小时)")]
    assert "负数" in reasons[(3, "库存预警值")]
    assert "成本价过大" in reasons[(4, "成本价(元)")]
    assert check.bad_row_count == 3
    with pytest.raises(NotAllowed):  # all or nothing, as the order import
        imports.apply_import(check)
    assert dump_tables(shop.db_file, ("goods", "sku")) == before
