"""成本价历史: every path that changes a cost writes a row; the cost at a time follows one rule."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from pdd_desktop.common import clock
from pdd_desktop.data import migrations
from pdd_desktop.data.db import database
from pdd_desktop.data.queries.cost_history import cost_at_sql
from pdd_desktop.domain.errors import NotAllowed
from pdd_desktop.services import cost_history as svc
from pdd_desktop.services import goods_local, imports, stock
from tests.conftest import DEMO_NOW
from tests.helpers.db import q
from tests.services.test_import_goods import HEADER, shop, write_sheet  # noqa: F401

FIXTURES = Path(__file__).parents[1] / "fixtures"


def rows(sku_id: int) -> list[tuple]:
    return q(
        "SELECT changed_at, cost_price_fen, source, note FROM cost_price_history "
        "WHERE sku_id = ? ORDER BY id",
        sku_id,
    )


def at(t: int) -> None:
    clock.set_clock(lambda: t)


def sql_cost(sku_id: int, when: int):
    return q(f"SELECT {cost_at_sql(str(int(sku_id)), str(int(when)))}")[0][0]


def test_bulk_edit_writes_one_row_per_changed_cost(shop):  # noqa: F811
    at(DEMO_NOW + 100)
    goods_local.set_sku_local(sku_ids=[9001, 9002, 9004], cost_price_fen=900)  # 9001/9002 have 900
    assert rows(9001) == [] and rows(9002) == []
    assert rows(9004) == [(DEMO_NOW + 100, 900, "edit", "")]
    at(DEMO_NOW + 200)
    goods_local.set_sku_local(sku_ids=[9004], cost_price_fen=None)
    assert rows(9004)[-1] == (DEMO_NOW + 200, None, "edit", "")
    goods_local.set_sku_local(sku_ids=[9004], low_stock_threshold=9)  # no cost change: no row
    assert len(rows(9004)) == 2


def test_a_refused_bulk_edit_writes_no_history(shop):  # noqa: F811
    with pytest.raises(NotAllowed):
        goods_local.set_sku_local(sku_ids=[9004, 123456], cost_price_fen=700)
    assert q("SELECT COUNT(*) FROM cost_price_history") == [(0,)]


def test_cost_at_a_time_before_between_after_and_cleared(shop):  # noqa: F811
    t0 = DEMO_NOW
    for step, cost in ((0, 1000), (100, 1200), (200, None), (300, 1500)):
        at(t0 + step)
        goods_local.set_sku_local(sku_ids=[9004], cost_price_fen=cost)
    at(t0 + 300)
    goods_local.set_sku_local(sku_ids=[9004], cost_price_fen=1600)  # same second: the later wins
    expected = {
        t0 - 86400: 1000,  # before the first row: the first cost
        t0: 1000,
        t0 + 99: 1000,
        t0 + 100: 1200,
        t0 + 250: None,  # cleared: unknown from then on
        t0 + 300: 1600,
        t0 + 10**6: 1600,
    }
    for when, cost in expected.items():
        assert svc.cost_price_at(9004, when) == cost, when
        assert sql_cost(9004, when) == cost, when
    pairs = [(9004, w) for w in expected] + [(9005, t0), (9005, t0), (424242, t0)]
    batch = svc.cost_prices_at(pairs)
    assert {w: batch[(9004, w)] for w in expected} == expected
    # No history: the current cost (9005 has 5000); an unknown SKU: None.
    assert batch[(9005, t0)] == 5000 and sql_cost(9005, t0) == 5000
    assert batch[(424242, t0)] is None and sql_cost(424242, t0) is None
    shown = svc.cost_history(9004)
    assert [(c.cost_price_fen, c.source_label) for c in shown[:2]] == [(1600, "手动修改"), (1500, "手动修改")]


def test_inbound_records_the_moving_average(shop):  # noqa: F811
    at(DEMO_NOW + 50)
    stock.receive_inbound(sku_id=9001, quantity=30, unit_cost_fen=1000, note="供应商A")
    # 10 on hand at 9.00 + 30 at 10.00 → 9.75
    assert rows(9001) == [(DEMO_NOW + 50, 975, "inbound", "入库 30 件，单价 10.00 元")]
    stock.receive_inbound(sku_id=9001, quantity=5, unit_cost_fen=None)  # no unit cost: cost stays
    stock.receive_inbound(sku_id=9001, quantity=5, unit_cost_fen=975)  # same average: no change
    assert len(rows(9001)) == 1
    assert svc.cost_price_at(9001, DEMO_NOW) == 975  # before the first row: that row's cost


def test_sheet_import_records_changed_and_new_costs(shop, tmp_path):  # noqa: F811
    at(DEMO_NOW + 70)
    path = write_sheet(
        tmp_path / "成本.csv",
        [
            HEADER,
            ["801", "纯棉短袖T恤", "TS-01", "9001", "白色 M", "TS-W-M", "19.90", "29.90", "8.05", "10"],
            ["801", "纯棉短袖T恤", "TS-01", "9003", "黑色 M", "TS-B-M", "19.90", "29.90", "9", "7"],
            ["802", "每日坚果", "NUT", "9007", "3kg", "NUT-3000", "200", "220", "150.5", "2"],
        ],
    )
    check = imports.check_import_file(path)
    assert check.errors == ()
    imports.apply_import(check)
    assert rows(9001) == [(DEMO_NOW + 70, 805, "import", "导入 成本.csv")]
    assert rows(9003) == []  # same cost: unchanged
    assert rows(9007) == [(DEMO_NOW + 70, 15050, "import", "导入 成本.csv")]


def test_upgrade_back_fills_the_current_cost(tmp_path):
    db = tmp_path / "shop.db"
    shutil.copyfile(FIXTURES / "db_v6.sqlite", db)
    at(1_796_000_000)
    try:
        migrations.migrate(db, tmp_path / "backups")
    finally:
        clock.set_clock(None)
    conn = sqlite3.connect(db)
    assert conn.execute(
        "SELECT sku_id, changed_at, cost_price_fen, source FROM cost_price_history"
    ).fetchall() == [(90011, 1_796_000_000, 2500, "initial")]
    assert conn.execute("SELECT return_address FROM after_sale").fetchall() == []
    conn.close()


def test_demo_shop_starts_with_each_known_cost(sandbox_demo_shop):
    known = q("SELECT sku_id, cost_price_fen FROM sku WHERE cost_price_fen IS NOT NULL ORDER BY sku_id")
    assert known
    assert (
        q("SELECT sku_id, cost_price_fen FROM cost_price_history WHERE source = 'initial' ORDER BY sku_id")
        == known
    )
    assert database.execute_sql("SELECT COUNT(*) FROM cost_price_history").fetchone()[0] == len(known)


def test_upgrade_of_a_file_with_statistics_analyzes_the_new_indexes(tmp_path):
    db = tmp_path / "shop.db"
    shutil.copyfile(FIXTURES / "db_v6.sqlite", db)
    conn = sqlite3.connect(db)
    conn.execute(
        "INSERT INTO after_sale (id, order_id, type, status, reason, buyer_remark, refund_amount_fen, "
        "quantity, return_tracking_number, return_shipping_name, created_at) "
        "VALUES (5001, 1, 1, 10, '不想要了', '', 990, 1, '', '', 1795440000)"
    )
    conn.execute("ANALYZE")
    conn.commit()
    conn.close()
    migrations.migrate(db, tmp_path / "backups")
    conn = sqlite3.connect(db)
    analyzed = {r[0] for r in conn.execute("SELECT idx FROM sqlite_stat1")}
    conn.close()
    assert {"after_sale_status_refund_amount_fen", "cost_price_history_sku_id_changed_at"} <= analyzed
