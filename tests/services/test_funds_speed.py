"""资金 speed paths (issue 19): the set-based bill apply with its index rebuild, the on-demand
per-order objects of 对账 and 利润, and the cost-at-payment SQL; each checked against the plain
reading of the same data.
"""

from __future__ import annotations

import random
import sqlite3

import pytest

from pdd_desktop.common.task import Cancelled
from pdd_desktop.data.db import database
from pdd_desktop.data.queries.cost_history import cost_at_sql
from pdd_desktop.services import bill_import, cost_history, imports
from pdd_desktop.services import profit as pf
from pdd_desktop.services import reconcile as rc
from tests.helpers import bills as bh
from tests.services.test_profit import BANDS, import_month


def _indexes(db_file) -> dict[str, str]:
    conn = sqlite3.connect(db_file)
    try:
        return dict(
            conn.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'bill_entry'"
            )
        )
    finally:
        conn.close()


def test_a_big_import_rebuilds_the_indexes_and_counts_each_line_once(empty_shop, tmp_path, monkeypatch):
    monkeypatch.setattr(bill_import, "REBUILD_MIN_LINES", 1)
    before = _indexes(empty_shop.db_file)
    assert "bill_entry_occurred_at_cover" in before and "bill_entry_order_sn_cover" in before
    rng = random.Random(19)
    june = bh.random_lines(rng, 300, "2026-06-01", days=30)
    check = imports.check_import_file(bh.write(tmp_path / "june.csv", bh.csv_text(june, end="2026-06-30")))
    result = imports.apply_import(check)
    assert result.new == len(june)
    assert _indexes(empty_shop.db_file) == before  # dropped and built again with the same DDL
    total = database.execute_sql("SELECT COUNT(*), SUM(amount_fen) FROM bill_entry").fetchone()
    assert total == (len(june), sum(bh.fen(ln.income) + bh.fen(ln.expense) for ln in june))
    # The indexes answer again: per order and per time, the same as a scan of the table.
    by_sn = database.execute_sql(
        "SELECT order_sn, SUM(amount_fen) FROM bill_entry INDEXED BY bill_entry_order_sn_cover "
        "WHERE order_sn != '' GROUP BY order_sn ORDER BY order_sn"
    ).fetchall()
    scan = database.execute_sql(
        "SELECT order_sn, SUM(amount_fen) FROM bill_entry NOT INDEXED WHERE order_sn != '' "
        "GROUP BY order_sn ORDER BY order_sn"
    ).fetchall()
    assert by_sn == scan and by_sn
    # A smaller file of the same month after it: nothing rebuilt, nothing counted twice.
    part = bh.write(tmp_path / "part.csv", bh.csv_text(june[:40], end="2026-06-30"))
    again = imports.check_import_file(part)
    assert imports.apply_import(again).new == 0
    assert database.execute_sql("SELECT COUNT(*) FROM bill_entry").fetchone()[0] == len(june)


def test_a_cancelled_big_apply_changes_nothing(empty_shop, tmp_path, monkeypatch):
    monkeypatch.setattr(bill_import, "REBUILD_MIN_LINES", 1)
    monkeypatch.setattr(bill_import, "APPLY_CHUNK", 50)
    before = _indexes(empty_shop.db_file)
    lines = bh.random_lines(random.Random(4), 200, "2026-06-01", days=30)
    check = imports.check_import_file(bh.write(tmp_path / "a.csv", bh.csv_text(lines, end="2026-06-30")))

    class CancelAtFirstCheck:
        reports = 0

        def report(self, *_args, **_kw) -> None:
            self.reports += 1

        def raise_if_cancelled(self) -> None:
            raise Cancelled()

    result = imports.apply_import(check, task=CancelAtFirstCheck())
    assert result.cancelled
    assert database.execute_sql("SELECT COUNT(*) FROM bill_entry").fetchone()[0] == 0
    assert database.execute_sql("SELECT COUNT(*) FROM bill_period").fetchone()[0] == 0
    assert _indexes(empty_shop.db_file) == before
    assert "staged" not in {r[1] for r in database.execute_sql("PRAGMA database_list").fetchall()}


def test_cost_at_payment_in_sql_equals_the_service(demo_shop):
    pairs = database.execute_sql(
        'SELECT i.sku_id, COALESCE(o.paid_at, 0) FROM order_item i JOIN "order" o ON o.id = i.order_id '
        "ORDER BY i.id LIMIT 300"
    ).fetchall()
    # Some history: a cost before, between and after the orders' payments, and a cleared one.
    sku = pairs[0][0]
    times = sorted(t for _s, t in pairs)
    cost_history.record_change(sku, 1000, source="edit", at=times[len(times) // 2])
    cost_history.record_change(sku, None, source="edit", at=times[-1])
    in_sql = database.execute_sql(
        f"SELECT i.sku_id, COALESCE(o.paid_at, 0), {cost_at_sql('i.sku_id', 'COALESCE(o.paid_at, 0)')} "
        'FROM order_item i JOIN "order" o ON o.id = i.order_id ORDER BY i.id LIMIT 300'
    ).fetchall()
    want = cost_history.cost_prices_at(pairs)
    assert {(s, t): c for s, t, c in in_sql} == want


@pytest.fixture
def month(demo_shop, tmp_path):
    database.execute_sql("UPDATE sku SET cost_price_fen = single_price_fen * 55 / 100")
    database.execute_sql("DELETE FROM cost_price_history")
    goods = database.execute_sql("SELECT goods_id FROM goods ORDER BY goods_id LIMIT 1").fetchone()[0]
    database.execute_sql("UPDATE sku SET cost_price_fen = NULL WHERE goods_id = ?", (goods,))
    pf.save_shipping_bands(BANDS[1:])  # 中通 only: other couriers' orders have no price
    return import_month(tmp_path)


def test_profit_first_page_and_ids_agree_with_every_order(month):
    start, end = month
    r = pf.profit(start=start, end=end)
    assert r.order_count == len(r.orders) > 0
    ordered = sorted(r.orders, key=lambda o: (o.profit_fen is not None, o.profit_fen or 0))
    for n in (1, 7, r.order_count, r.order_count + 5):
        assert r.lowest(n) == tuple(ordered[:n])
    assert r.missing_cost_ids() == tuple(o.order_id for o in r.orders if o.settled and o.cost_fen is None)
    assert r.missing_shipping_ids() == tuple(
        o.order_id for o in r.orders if o.settled and o.shipping_fen is None
    )
    assert r.missing_cost_ids() and r.missing_shipping_ids()
    assert len(r.missing_cost_ids()) == r.total.missing_cost
    assert len(r.missing_shipping_ids()) == r.total.missing_shipping
    # The total is the orders' and the loose lines' money, to the fen.
    assert r.total.money.net_fen == sum(o.money.net_fen for o in r.orders) + r.loose.net_fen


def test_reconcile_lists_built_on_demand_equal_the_full_list(month):
    start, end = month
    fresh = rc.reconcile(start=start, end=end, settlement_days=1)
    full = rc.reconcile(start=start, end=end, settlement_days=1)
    everything = full.orders  # built once: with_status then filters the built objects
    assert fresh.order_count == len(everything) > 0
    for status in rc.STATUS_LABELS:
        listed = fresh.with_status(status)  # built from the rows, without the whole list
        assert "orders" not in fresh.__dict__
        assert listed == tuple(o for o in everything if o.status == status) == full.with_status(status)
        assert fresh.count(status) == len(listed)
    assert fresh.problems == len(fresh.missing) + len(fresh.doubled) + len(fresh.wrong_amount) + len(
        fresh.orphans
    )
    assert fresh.orders == everything
