"""Today's order export has no 支付时间: its 订单成交时间 stands in, so a real shop's figures are not ¥0.

The shop is a plain (non-demo) one fed only by files. The figures are compared with counts made
here over the file's own rows (the CSV read back with the csv module), never with the app's code.
"""

from __future__ import annotations

import csv
import sqlite3
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

import pytest

from pdd_desktop.common import clock
from pdd_desktop.data import aggregates
from pdd_desktop.data.db import database
from pdd_desktop.services import analytics, home, imports, reports
from tests.conftest import DEMO_NOW
from tests.fixtures.exports import make_exports as mx
from tests.helpers.sales_oracle import expected_tables, load_sales, stored_tables

TODAY = date(2026, 11, 23)  #: DEMO_NOW's Beijing day
EPOCH = date(1970, 1, 1)
#: Orders of the demo template put in the files: the last 40 days (all statuses) and more.
WHERE = f"created_at >= {DEMO_NOW - 40 * 86400}"
NOTE = "文件中没有“支付时间”列"


def _file_sales(path, time_header: str) -> dict[date, list[int]]:
    """Beijing day → [paid orders, 实付 in fen], counted over the file's rows by ``time_header``.

    An order counts when its 订单状态 is not 待支付 and the time cell is filled; the rows of one
    order (one per item) count once.
    """
    with open(path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    seen: set[str] = set()
    out: dict[date, list[int]] = defaultdict(lambda: [0, 0])
    for r in rows:
        if r["订单号"] in seen:
            continue
        seen.add(r["订单号"])
        if r["订单状态"] in ("待支付", "待付款") or not r[time_header]:
            continue
        acc = out[date.fromisoformat(r[time_header][:10])]
        acc[0] += 1
        acc[1] += int(Decimal(r["用户实付金额(元)"]) * 100)
    return dict(out)


def _window(sales: dict[date, list[int]], first: date, last: date) -> tuple[int, int]:
    picked = [v for d, v in sales.items() if first <= d <= last]
    return sum(v[0] for v in picked), sum(v[1] for v in picked)


def _assert_figures_equal_the_file(sales: dict[date, list[int]]) -> None:
    snap = home.home_snapshot(DEMO_NOW)
    assert (snap.today.orders, snap.today.gmv_fen) == _window(sales, TODAY, TODAY)
    week = _window(sales, TODAY - timedelta(days=6), TODAY)
    assert (snap.last_7_days.orders, snap.last_7_days.gmv_fen) == week
    assert week[0] > 20  # the file really has a week of sales
    first = TODAY - timedelta(days=30)
    ov = analytics.overview(first=first, last=TODAY)
    assert {r.first: (r.orders, r.gmv_fen) for r in ov.rows if r.orders} == {
        d: tuple(v) for d, v in sales.items() if first <= d <= TODAY
    }
    agg_day = {
        EPOCH + timedelta(days=d): (n, g)
        for d, n, g in database.execute_sql("SELECT day, orders, gmv_fen FROM agg_day").fetchall()
    }
    assert agg_day == {d: tuple(v) for d, v in sales.items()}


def _assert_aggregates_equal_a_recomputation(db_file) -> None:
    have = stored_tables(db_file)
    want = expected_tables(load_sales(db_file))
    for table in want:
        assert have[table] == want[table], table
    conn = sqlite3.connect(db_file, isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
        aggregates.rebuild(conn)
        conn.execute("COMMIT")
    finally:
        conn.close()
    assert stored_tables(db_file) == have


@pytest.fixture
def plain_shop(empty_shop):
    clock.set_clock(lambda: DEMO_NOW)
    return empty_shop


@pytest.fixture
def orders(demo_template):
    return mx.order_rows(demo_template, WHERE, limit=1000)


def test_new_layout_export_counts_by_deal_time_then_old_layout_brings_true_pay_time(
    plain_shop, orders, tmp_path
):
    by_sn = {o["order_sn"]: o for o, _items in orders}
    assert {o["status"] for o in by_sn.values()} >= {1, 2, 3, 4}
    new_file = mx.write(tmp_path / "new.csv", mx.table(orders, "new"))
    check = imports.check_import_file(new_file)
    assert check.generation == "new" and check.errors == ()
    derived = sum(1 for o in by_sn.values() if o["status"] != 0 and o["confirmed_at"] is not None)
    assert derived > 100
    assert check.summary.count(NOTE) == 1
    assert f"{derived} 个已付款订单按“订单成交时间”计入销售额" in check.summary
    result = imports.apply_import(check)
    assert result.new == len(orders)
    assert result.message.count(NOTE) == 1

    # Every order with a 成交时间 is paid at it; the cancelled ones without stay unpaid.
    stored = dict(database.execute_sql('SELECT order_sn, paid_at FROM "order"').fetchall())
    for sn, o in by_sn.items():
        assert stored[sn] == (o["confirmed_at"] if o["status"] != 0 else None), sn
    new_sales = _file_sales(new_file, "订单成交时间")
    _assert_figures_equal_the_file(new_sales)
    _assert_aggregates_equal_a_recomputation(plain_shop.db_file)

    # The older layout carries the true 支付时间: it replaces the stand-in through the update path.
    old_file = mx.write(tmp_path / "old.csv", mx.table(orders, "old"))
    check = imports.check_import_file(old_file)
    assert NOTE not in check.summary and "支付时间”为空" not in check.summary
    moved = [sn for sn, o in by_sn.items() if o["paid_at"] is not None and o["paid_at"] != stored[sn]]
    assert len(moved) > 100
    assert check.updated >= len(moved)
    imports.apply_import(check)
    stored = dict(database.execute_sql('SELECT order_sn, paid_at FROM "order"').fetchall())
    assert stored == {sn: o["paid_at"] for sn, o in by_sn.items()}
    old_sales = _file_sales(old_file, "支付时间")
    assert old_sales != new_sales  # the days really moved for some orders
    _assert_figures_equal_the_file(old_sales)
    _assert_aggregates_equal_a_recomputation(plain_shop.db_file)

    # A later new-layout file never puts the stand-in back over the true time.
    again = mx.write(tmp_path / "again.csv", mx.table(orders, "new"))
    again.write_bytes(again.read_bytes() + b"\r\n")  # another file (sha256), same orders
    check = imports.check_import_file(again)
    imports.apply_import(check)
    assert dict(database.execute_sql('SELECT order_sn, paid_at FROM "order"').fetchall()) == stored


def test_empty_pay_time_cells_of_an_old_layout_file_use_the_deal_time(plain_shop, orders, tmp_path):
    picked = [(o, items) for o, items in orders if o["status"] == 3][:10]
    blank = {o["order_sn"]: {"paid_at": None} for o, _items in picked}
    path = mx.write(tmp_path / "old.csv", mx.table(picked, "old", overrides=blank))
    check = imports.check_import_file(path)
    assert check.summary.count("10 个已付款订单的“支付时间”为空") == 1
    imports.apply_import(check)
    stored = dict(database.execute_sql('SELECT order_sn, paid_at FROM "order"').fetchall())
    assert stored == {o["order_sn"]: o["confirmed_at"] for o, _items in picked}


def test_unpaid_rows_stay_unpaid(plain_shop, orders, tmp_path):
    picked = [(o, items) for o, items in orders if o["status"] == 1][:5]
    unpaid = {o["order_sn"]: {"status": 0} for o, _items in picked}
    path = mx.write(tmp_path / "new.csv", mx.table(picked, "new", overrides=unpaid))
    check = imports.check_import_file(path)
    assert NOTE not in check.summary
    imports.apply_import(check)
    assert database.execute_sql('SELECT COUNT(*) FROM "order" WHERE paid_at IS NOT NULL').fetchone() == (0,)
    assert home.home_snapshot(DEMO_NOW).last_7_days.orders == 0


@pytest.mark.parametrize("name", ["customers", "second-order", "spend-bands"])
def test_per_buyer_reports_say_the_orders_have_no_buyer(plain_shop, orders, tmp_path, name):
    path = mx.write(tmp_path / "new.csv", mx.table(orders, "new"))
    imports.apply_import(imports.check_import_file(path))
    first, last = f"{TODAY - timedelta(days=30)}", f"{TODAY}"
    table, _count = reports.write_report(name, first, last, tmp_path / f"{name}.csv")
    assert "没有买家身份" in table.note and "买家数都是 0" in table.note
    with open(tmp_path / f"{name}.csv", encoding="utf-8-sig", newline="") as fh:
        assert len(list(csv.reader(fh))) > 1  # the file is written as before


def test_per_buyer_reports_of_a_shop_with_buyers_carry_no_note(demo_shop, tmp_path):
    table, _count = reports.write_report("customers", "2026-11-01", "2026-11-23", tmp_path / "c.csv")
    assert table.note == ""
    assert reports.buyer_note(0, 5) == ""
    assert "3 个订单没有买家身份" in reports.buyer_note(3, 5)


def test_a_sync_replaces_the_stand_in_with_the_platforms_pay_time(plain_shop, orders, tmp_path):
    from dataclasses import replace

    from pdd_desktop.data.db import write_transaction
    from pdd_desktop.platform.records import OrderItemRecord
    from pdd_desktop.services.sync.areas.orders import apply_orders
    from tests.services.test_aggregates import _record

    path = mx.write(tmp_path / "new.csv", mx.table(orders, "new"))
    imports.apply_import(imports.check_import_file(path))
    picked = [o for o, _items in orders if o["status"] == 1 and o["paid_at"] < o["confirmed_at"]][:8]
    assert len(picked) == 8
    records = [
        replace(
            _record(
                o["order_sn"],
                updated_at=DEMO_NOW,
                paid_at=o["paid_at"],  # the API's pay_time
                pay_fen=o["pay_amount_fen"],
                refund=1,
                province=o["province"],
                items=(OrderItemRecord(1, 2, "测试商品", "", 1, o["pay_amount_fen"]),),
            ),
            confirmed_at=o["confirmed_at"],
        )
        for o in picked
    ]
    with write_transaction():
        apply_orders(records)
    for o in picked:
        got = database.execute_sql('SELECT paid_at FROM "order" WHERE order_sn = ?', (o["order_sn"],))
        assert got.fetchone() == (o["paid_at"],)
    _assert_aggregates_equal_a_recomputation(plain_shop.db_file)
