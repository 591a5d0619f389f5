"""Goods-and-stock sheets (商品/库存表): exact prices in fen, stock movements, all or nothing per file.

The shop is an empty migrated one with a few goods and SKUs written with plain SQL, so every
expected value is known; the files are written byte by byte (BOM, CRLF/LF mixes, quoting).
"""

from __future__ import annotations

import codecs
import csv
import io
import shutil

import pytest

from pdd_desktop.common import clock
from pdd_desktop.data.db import database
from pdd_desktop.domain.errors import NotAllowed
from pdd_desktop.services import imports
from tests.conftest import DEMO_NOW
from tests.helpers.db import dump_tables, raw_rows

HEADER = [
    "商品id",
    "商品名称",
    "商家编码-商品维度",
    "样式ID",
    "商品规格",
    "商家编码-规格维度",
    "拼单价(元)",
    "单买价(元)",
    "成本价(元)",
    "库存",
]
#: (sku_id, goods_id, spec, outer_id, single, group, cost, stock)
SKUS = [
    (9001, 801, "白色 M", "TS-W-M", 2990, 1990, 900, 10),
    (9002, 801, "白色 L", "TS-W-L", 2990, 1990, 900, 0),
    (9003, 801, "黑色 M", "TS-B-M", 2990, 1990, 900, 7),
    (9004, 802, "500g", "NUT-500", 5900, 4990, None, 120),
    (9005, 802, "1kg", "NUT-1000", 9900, 8800, 5000, 3),
]
GOODS = [(801, "纯棉短袖T恤", "TS-01"), (802, "每日坚果", "NUT")]
TABLES = ("goods", "sku", "stock_movement", "outbox", "import_batch", "import_row_error")


def snapshot(db) -> dict:
    return dump_tables(db, TABLES)


@pytest.fixture
def shop(empty_shop):
    clock.set_clock(lambda: DEMO_NOW)
    for goods_id, name, code in GOODS:
        database.execute_sql(
            "INSERT INTO goods (goods_id, name, short_name, outer_goods_id, category, image_url, is_onsale, "
            "promise_hours, market_price_fen, created_at) VALUES (?, ?, '', ?, '', '', 1, 48, 0, ?)",
            (goods_id, name, code, DEMO_NOW),
        )
    for sku in SKUS:
        database.execute_sql(
            "INSERT INTO sku (sku_id, goods_id, spec, outer_id, single_price_fen, group_price_fen, "
            "cost_price_fen, stock, reserve_quantity, low_stock_threshold, weight_g, is_onsale) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, 5, 0, 1)",
            sku,
        )
    return empty_shop


def write_sheet(path, rows, *, encoding="utf-8", bom=False, newlines=("\r\n",), quote_all=True):
    """Write ``rows`` as CSV bytes, cycling through ``newlines`` line by line."""
    out = []
    for n, r in enumerate(rows):
        buf = io.StringIO()
        csv.writer(
            buf, quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL, lineterminator=""
        ).writerow(r)
        out.append(buf.getvalue() + newlines[n % len(newlines)])
    data = "".join(out).encode(encoding)
    path.write_bytes((codecs.BOM_UTF8 if bom else b"") + data)
    return path


def sku_row(sku_id="", outer_id="", group="", single="", cost="", stock="", goods_id="", name="", spec=""):
    return [goods_id, name, "", str(sku_id), spec, outer_id, group, single, cost, stock]


def sku_values(db, sku_id):
    return raw_rows(
        db,
        "SELECT group_price_fen, single_price_fen, cost_price_fen, stock FROM sku WHERE sku_id = ?",
        (sku_id,),
    )[0]


GOOD_ROWS = [
    HEADER,
    sku_row(9001, group="19.90", single="29.9", cost="8.05", stock="25"),  # stock +15, cost changes
    sku_row(outer_id="TS-W-L", group="0.10", stock="4"),  # matched by seller code only
    sku_row(9003, group="19.90", single="29.90", cost="9", stock="7"),  # same as the shop: unchanged
    sku_row(9004, group="49.99", single="59", stock="100"),  # stock -20
    sku_row(9006, goods_id="802", name="每日坚果", spec="2kg", group="158.00", single="168", stock="6"),
]


def test_good_sheet_updates_prices_exactly_and_logs_stock(shop, tmp_path):
    db = shop.db_file
    path = write_sheet(tmp_path / "库存.csv", GOOD_ROWS, bom=True, newlines=("\r\n", "\n"))
    check = imports.check_import_file(path)
    assert check.kind == "goods" and check.encoding == "utf-8-sig"
    assert check.errors == ()
    assert (check.rows_total, check.rows_ok) == (5, 5)
    assert (check.new, check.updated, check.unchanged) == (1, 3, 1)
    result = imports.apply_import(check)
    assert (result.new, result.updated, result.unchanged, result.rows_rejected) == (1, 3, 1, 0)
    assert result.changes.goods
    assert sku_values(db, 9001) == (1990, 2990, 805, 25)
    assert sku_values(db, 9002) == (10, 2990, 900, 4)
    assert sku_values(db, 9003) == (1990, 2990, 900, 7)
    assert sku_values(db, 9004) == (4999, 5900, None, 100)
    assert sku_values(db, 9005) == (8800, 9900, 5000, 3)  # not in the file: untouched
    assert sku_values(db, 9006) == (15800, 16800, None, 6)
    assert raw_rows(db, "SELECT goods_id, spec FROM sku WHERE sku_id = 9006") == [(802, "2kg")]
    moves = raw_rows(
        db, "SELECT sku_id, at, delta, stock_after, kind, note FROM stock_movement ORDER BY sku_id"
    )
    assert moves == [
        (9001, DEMO_NOW, 15, 25, "import", "导入 库存.csv"),
        (9002, DEMO_NOW, 4, 4, "import", "导入 库存.csv"),
        (9004, DEMO_NOW, -20, 100, "import", "导入 库存.csv"),
        (9006, DEMO_NOW, 6, 6, "import", "导入 库存.csv"),
    ]
    assert raw_rows(db, "SELECT COUNT(*) FROM outbox") == [(0,)]
    (batch,) = imports.list_imports()
    assert (batch.kind, batch.state, batch.rows_total, batch.rows_rejected) == ("goods", "applied", 5, 0)
    assert (
        batch.rows_new + batch.rows_updated + batch.rows_unchanged + batch.rows_rejected == batch.rows_total
    )


def test_gb18030_sheet_with_lf_only(shop, tmp_path):
    path = write_sheet(tmp_path / "gbk.csv", GOOD_ROWS[:2], encoding="gb18030", newlines=("\n",))
    check = imports.check_import_file(path)
    assert check.encoding == "gb18030" and check.errors == ()
    imports.apply_import(check)
    assert sku_values(shop.db_file, 9001) == (1990, 2990, 805, 25)


# (row as written, expected (column, reason fragment) of its first error)
BAD = {
    "comma_decimal": (sku_row(9001, group="12,5", stock="3"), ("拼单价(元)", "金额格式不对")),
    "three_decimals": (sku_row(9002, single="1.234"), ("单买价(元)", "最多两位小数")),
    "negative_stock": (sku_row(9003, stock="-3"), ("库存", "不能为负数")),
    "not_a_number": (sku_row(9005, stock="很多"), ("库存", "整数")),
    "unknown_sku": (sku_row(77777, stock="1"), ("样式ID", "找不到该规格")),
    "unknown_code": (sku_row(outer_id="NOPE-1", stock="1"), ("商家编码-规格维度", "找不到")),
    "duplicate_sku": (sku_row(9004, stock="50"), ("样式ID", "同一规格")),
    "extra_column": ([*sku_row(9005, stock="2"), "多出来"], ("第 11 列", "多出的单元格")),
}


def bad_file_rows(kinds):
    """A good first row for 9004 (so a second 9004 row is the duplicate), then the bad rows."""
    rows = [HEADER, sku_row(9004, stock="99"), sku_row(outer_id="TS-W-L", stock="8")]
    for kind in kinds:
        rows.append(BAD[kind][0])
    return rows


@pytest.mark.parametrize("kind", sorted(BAD))
def test_one_bad_row_blocks_the_whole_file(shop, tmp_path, kind):
    db = shop.db_file
    path = write_sheet(tmp_path / "bad.csv", bad_file_rows([kind]), bom=True, newlines=("\r\n", "\n"))
    snap = snapshot(db)
    check = imports.check_import_file(path)
    column, reason = BAD[kind][1]
    assert [(e.row_no, e.column) for e in check.errors][:1] == [(4, column)], check.errors
    assert reason in check.errors[0].message
    assert check.bad_rows == 1 and check.rows_ok + check.bad_rows == check.rows_total == 3
    with pytest.raises(NotAllowed):
        imports.apply_import(check)
    assert snapshot(db) == snap


def test_every_bad_row_reported_and_recorded(shop, tmp_path):
    db = shop.db_file
    kinds = sorted(BAD)
    path = write_sheet(tmp_path / "bad.csv", bad_file_rows(kinds), bom=True, newlines=("\r\n", "\n", "\r\n"))
    snap = snapshot(db)
    check = imports.check_import_file(path)
    bad_rows = list(range(4, 4 + len(kinds)))
    assert sorted({e.row_no for e in check.errors}) == bad_rows
    assert all(e.message for e in check.errors)
    assert check.rows_total == 2 + len(kinds)
    assert check.rows_ok + check.bad_rows == check.rows_total and check.bad_rows == len(kinds)
    with pytest.raises(NotAllowed):
        imports.apply_import(check)
    assert snapshot(db) == snap
    assert raw_rows(db, "SELECT COUNT(*) FROM outbox") == [(0,)]

    # The user knowingly applies the good rows: the bad ones are recorded, row by row.
    result = imports.apply_import(check, accept_partial=True)
    assert result.rows_rejected == len(kinds) and result.updated == 2
    recorded = imports.import_errors(result.batch_id)
    assert sorted({e.row_no for e in recorded}) == bad_rows
    assert {(e.row_no, e.column, e.raw_value, e.message) for e in recorded} == {
        (e.row_no, e.column, e.raw_value, e.message) for e in check.errors
    }
    (batch,) = imports.list_imports()
    assert batch.rows_rejected == len(kinds)
    assert (
        batch.rows_new + batch.rows_updated + batch.rows_unchanged + batch.rows_rejected == batch.rows_total
    )
    assert sku_values(db, 9004)[3] == 99 and sku_values(db, 9002)[3] == 8
    assert raw_rows(db, "SELECT COUNT(*) FROM outbox") == [(0,)]


def test_unquoted_comma_decimal_shifts_the_row(shop, tmp_path):
    """``12,5`` written without quotes splits into two cells: the row is rejected, not misread."""
    db = shop.db_file
    path = tmp_path / "shifted.csv"
    lines = [",".join(HEADER), "801,纯棉短袖T恤,,9001,白色 M,TS-W-M,12,5,29.90,,10"]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("utf-8"))
    snap = snapshot(db)
    check = imports.check_import_file(path)
    assert {e.row_no for e in check.errors} == {2}
    assert any("多出的单元格" in e.message for e in check.errors)
    with pytest.raises(NotAllowed):
        imports.apply_import(check)
    assert snapshot(db) == snap


def test_fixed_file_imports_exactly_once(shop, tmp_path):
    db = shop.db_file
    bad = write_sheet(tmp_path / "stock.csv", [HEADER, sku_row(9001, stock="-1"), sku_row(9002, stock="5")])
    check = imports.check_import_file(bad)
    assert check.bad_rows == 1
    with pytest.raises(NotAllowed):
        imports.apply_import(check)
    assert sku_values(db, 9002)[3] == 0

    fixed = write_sheet(tmp_path / "stock.csv", [HEADER, sku_row(9001, stock="11"), sku_row(9002, stock="5")])
    result = imports.apply_import(imports.check_import_file(fixed))
    assert result.updated == 2 and not result.already_imported
    snap = snapshot(db)

    again = imports.check_import_file(fixed)
    assert again.already_imported and "导入过" in again.summary
    result = imports.apply_import(again)
    assert result.already_imported and result.batch_id is None and not result.changes.any()
    # Same bytes under another name: still the same file (sha256).
    renamed = shutil.copyfile(fixed, tmp_path / "stock (1).csv")
    result = imports.apply_import(imports.check_import_file(renamed))
    assert result.already_imported
    assert snapshot(db) == snap
    assert raw_rows(db, "SELECT COUNT(*) FROM stock_movement") == [(2,)]
    assert raw_rows(db, "SELECT COUNT(*) FROM import_batch WHERE state = 'applied'") == [(1,)]


def test_pending_local_stock_change_is_kept(shop, tmp_path):
    database.execute_sql(
        "INSERT INTO outbox (op_id, op_type, entity_type, entity_remote_id, payload_json, base_json, state, "
        "attempts, last_error, created_at, result_json) VALUES ('op-1', 'set_stock', 'sku', '9001', "
        "'{\"sku_id\": 9001, \"stock\": 40}', '{}', 'pending', 0, '', ?, '{}')",
        (DEMO_NOW,),
    )
    path = write_sheet(tmp_path / "s.csv", [HEADER, sku_row(9001, group="18.80", stock="25")])
    check = imports.check_import_file(path)
    assert check.warnings
    imports.apply_import(check)
    assert sku_values(shop.db_file, 9001) == (1880, 2990, 900, 10)
    assert raw_rows(shop.db_file, "SELECT COUNT(*) FROM stock_movement") == [(0,)]
