"""Hostile text in every export (issue 14): never a formula in CSV or XLSX, and a clean round trip."""

from __future__ import annotations

import csv
import zipfile

from openpyxl import load_workbook

from pdd_desktop.data.db import database
from pdd_desktop.services import imports
from pdd_desktop.services import orders as orders_svc
from pdd_desktop.services import shipping as ship_svc
from pdd_desktop.services.orders import OrderFilter
from pdd_desktop.tabular.table_files import guard_csv_text, write_table
from tests.conftest import DEMO_NOW
from tests.helpers.db import dump_tables
from tests.services.test_shipping import ZTO, make_order, sn, zto
from tests.services.test_shipping import shop as shop  # the fixture

MEMO = '=HYPERLINK("http://evil.example/x","点我领券")'
RECEIVER = "+86 张三"
GOODS = "@SUM(1+1) 保温杯"
SELLER_MEMO = "-2+3 加急"
MASK = "=***"
TABLES = ("order", "order_item", "package", "package_order", "sku", "goods")


def _read_csv(path) -> list[list[str]]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))


def _assert_csv_guarded(rows: list[list[str]]) -> None:
    for row in rows:
        for cell in row:
            if cell[:1] in ("=", "+", "@", "\t", "\r"):
                raise AssertionError(f"unguarded formula cell {cell!r}")
            if cell[:1] == "-":
                float(cell)  # only plain negative numbers may start with "-"


def _assert_xlsx_has_no_formula(path) -> None:
    with zipfile.ZipFile(path) as zf:
        sheets = [n for n in zf.namelist() if n.startswith("xl/worksheets/sheet")]
        for name in sheets:
            xml = zf.read(name)
            assert b"<f>" not in xml and b"<f " not in xml
    ws = load_workbook(path).worksheets[0]  # a damaged file (e.g. "=***" as a formula) raises here
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)


def _poison_demo_order(db_file) -> tuple[int, str]:
    oid, order_sn = database.execute_sql(
        "SELECT id, order_sn FROM \"order\" WHERE status = 1 AND receiver_name != '' ORDER BY id LIMIT 1"
    ).fetchone()
    database.execute_sql(
        'UPDATE "order" SET buyer_memo = ?, receiver_name = ?, receiver_name_mask = ?, seller_memo = ? '
        "WHERE id = ?",
        (MEMO, RECEIVER, MASK, SELLER_MEMO, oid),
    )
    database.execute_sql("UPDATE order_item SET goods_name = ? WHERE order_id = ?", (GOODS, oid))
    return oid, order_sn


def test_guard_rule():
    assert guard_csv_text("=1+1") == "'=1+1"
    assert guard_csv_text("+86 138") == "'+86 138"
    assert guard_csv_text("@x") == "'@x"
    assert guard_csv_text("-x") == "'-x"
    assert guard_csv_text("\tx") == "'\tx"
    assert guard_csv_text("\rx") == "'\rx"
    assert guard_csv_text("'x") == "''x"
    assert guard_csv_text("-12.50") == "-12.50"  # a number stays a number
    assert guard_csv_text("张=三") == "张=三"
    assert guard_csv_text("") == ""


def test_write_table_numbers_stay_numbers_and_text_never_a_formula(tmp_path):
    rows = [[MEMO, 3, -5, "-12.50", MASK, "a\x00b"]]
    write_table(tmp_path / "t.csv", ["h1", "h2", "h3", "h4", "h5", "h6"], rows)
    got = _read_csv(tmp_path / "t.csv")[1]
    assert got == ["'" + MEMO, "3", "-5", "-12.50", "'" + MASK, "a\x00b"]
    write_table(tmp_path / "t.xlsx", ["h1", "h2", "h3", "h4", "h5", "h6"], rows)
    _assert_xlsx_has_no_formula(tmp_path / "t.xlsx")
    ws = load_workbook(tmp_path / "t.xlsx").worksheets[0]
    row = next(ws.iter_rows(min_row=2))
    assert [c.value for c in row] == [MEMO, "3", "-5", "-12.50", MASK, "ab"]
    assert [c.quotePrefix for c in row] == [True, False, False, False, True, False]


def test_order_list_export_csv_and_xlsx(demo_shop, tmp_path):
    _oid, order_sn = _poison_demo_order(demo_shop.db_file)
    f = OrderFilter(view="to_ship")
    for full in (False, True):
        out = tmp_path / f"list-{full}.csv"
        orders_svc.export_orders(f, str(out), full_receiver=full, reason="测试", now=DEMO_NOW)
        rows = _read_csv(out)
        _assert_csv_guarded(rows)
        col = {h: i for i, h in enumerate(rows[0])}
        (row,) = [r for r in rows if r[col["订单号"]] == order_sn]
        assert row[col["买家留言"]] == "'" + MEMO
        assert row[col["收件人"]] == "'" + (RECEIVER if full else MASK)
        assert row[col["商家备注"]] == "'" + SELLER_MEMO
        xlsx = tmp_path / f"list-{full}.xlsx"
        orders_svc.export_orders(f, str(xlsx), full_receiver=full, reason="测试", now=DEMO_NOW)
        _assert_xlsx_has_no_formula(xlsx)
        ws = load_workbook(xlsx).worksheets[0]
        values = [[c.value for c in r] for r in ws.iter_rows()]
        (xrow,) = [r for r in values if r[col["订单号"]] == order_sn]
        assert xrow[col["买家留言"]] == MEMO and xrow[col["收件人"]] == (RECEIVER if full else MASK)


def test_platform_layout_export_guards_and_round_trips(demo_shop, tmp_path):
    oid, order_sn = _poison_demo_order(demo_shop.db_file)
    for name, full in (("p.csv", True), ("p.xlsx", True), ("m.csv", False), ("m.xlsx", False)):
        path = tmp_path / name
        imports.export_platform_orders(path, full_receiver=full, reason="测试")
        if name.endswith(".csv"):
            rows = _read_csv(path)
            _assert_csv_guarded(rows)
            col = {h: i for i, h in enumerate(rows[0])}
            (row,) = [r for r in rows if r[col["订单号"]] == order_sn]
            assert row[col["买家留言"]] == "'" + MEMO and row[col["商品"]] == "'" + GOODS
        else:
            _assert_xlsx_has_no_formula(path)
        before = dump_tables(demo_shop.db_file, TABLES)
        check = imports.check_import_file(path)
        assert check.errors == () and check.new == 0 and check.updated == 0, (name, check.preview[:2])
        imports.apply_import(check)
        assert dump_tables(demo_shop.db_file, TABLES) == before
    got = database.execute_sql(
        'SELECT buyer_memo, receiver_name, seller_memo FROM "order" WHERE id = ?', (oid,)
    ).fetchone()
    assert got == (MEMO, RECEIVER, SELLER_MEMO)


def test_bulk_ship_export_guards_courier_names(shop, tmp_path):
    a = make_order()
    number = zto()
    ship_svc.ship_order(order_id=a, courier_id=ZTO, tracking_number=number)
    database.execute_sql("UPDATE courier SET name = ? WHERE id = ?", ("=cmd|' /C calc'!A0", ZTO))
    assert ship_svc.export_bulk_ship_file(tmp_path / "up.csv", fmt="csv") == 1
    rows = _read_csv(tmp_path / "up.csv")
    _assert_csv_guarded(rows)
    assert rows[1] == [sn(a), "'=cmd|' /C calc'!A0", number]
    assert ship_svc.export_bulk_ship_file(tmp_path / "up.xlsx", fmt="xlsx") == 1
    _assert_xlsx_has_no_formula(tmp_path / "up.xlsx")
