import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pdd_desktop.domain import export_columns as ec
from pdd_desktop.domain.errors import NotAllowed, ValidationError
from pdd_desktop.services import imports
from tests.fixtures.exports import make_exports as mx
from tests.helpers.db import dump_tables, raw_rows

TABLES = (
    "order",
    "order_item",
    "package",
    "package_order",
    "import_batch",
    "import_row_error",
    "sku",
    "goods",
)


def snapshot(db) -> dict:
    return dump_tables(db, TABLES)


ENCODINGS = [("utf-8", ".csv"), ("utf-8-sig", ".csv"), ("gb18030", ".csv"), ("utf-8", ".xlsx")]


@pytest.mark.parametrize("generation", ["old", "new"])
@pytest.mark.parametrize(("encoding", "suffix"), ENCODINGS)
def _demo_orders(demo_shop, where="1", limit=400):
    return mx.order_rows(demo_shop.db_file, where, limit=limit)


@pytest.mark.parametrize("generation", ["old", "new"])
@pytest.mark.parametrize(("encoding", "suffix"), ENCODINGS)
def test_new_orders_exact_money_and_merged_items(demo_shop, tmp_path, generation, encoding, suffix):
    orders = _demo_orders(
        demo_shop, "id IN (SELECT order_id FROM order_item GROUP BY order_id HAVING COUNT(*) > 1)", 30
    )
    orders += _demo_orders(
        demo_shop,
        "status = 1 AND id NOT IN (SELECT order_id FROM order_item GROUP BY order_id HAVING COUNT(*) > 1)",
        30,
    )
    assert any(len(items) > 1 for _o, items in orders)
    renamed = []
    for o, items in orders:  # new numbers: the orders are new to the shop
        renamed.append(({**o, "order_sn": "99" + o["order_sn"][2:]}, items))
    path = mx.write(tmp_path / f"e{suffix}", mx.table(renamed, generation), encoding)
    check = imports.check_import_file(path)
    assert check.errors == ()
    assert check.generation == generation
    assert check.new == len(renamed) and check.rows_total == sum(len(i) for _o, i in renamed)
    result = imports.apply_import(check)
    assert result.new == len(renamed)
    for o, items in renamed:
        got = raw_rows(
            demo_shop.db_file,
            "SELECT id, status, pay_amount_fen, goods_amount_fen, postage_fen, platform_discount_fen, "
            'seller_discount_fen, item_count, shipped_at, receiver_name_mask FROM "order" WHERE order_sn = ?',
            (o["order_sn"],),
        )[0]
        status = ec.parse_order_status(ec.order_status_text(o["status"], o["refund_status"]))[0]
        assert got[1:8] == (
            status,
            o["pay_amount_fen"],
            o["goods_amount_fen"],
            o["postage_fen"],
            o["platform_discount_fen"],
            o["seller_discount_fen"],
            o["item_count"],
        )
        lines = raw_rows(
            demo_shop.db_file,
            "SELECT sku_id, quantity FROM order_item WHERE order_id = ? ORDER BY id",
            (got[0],),
        )
        assert lines == [(i["sku_id"], i["quantity"]) for i in items]
        if generation == "old":
            assert got[9] == o["receiver_name_mask"]


def test_status_update_on_later_file_without_duplicates(demo_shop, tmp_path):
    orders = _demo_orders(demo_shop, "status = 1 AND refund_status = 1", 20)
    sns = [o["order_sn"] for o, _ in orders]
    first = mx.write(tmp_path / "a.csv", mx.table(orders))
    before = raw_rows(demo_shop.db_file, 'SELECT COUNT(*) FROM "order"')
    assert imports.check_import_file(first).unchanged == len(orders)
    later = {sn: {"status": 2, "shipped_at": 1_795_400_000} for sn in sns}
    second = mx.write(tmp_path / "b.csv", mx.table(orders, overrides=later))
    check = imports.check_import_file(second)
    assert check.updated == len(orders)
    result = imports.apply_import(check)
    assert result.updated == len(orders)
    assert raw_rows(demo_shop.db_file, 'SELECT COUNT(*) FROM "order"') == before
    rows = raw_rows(
        demo_shop.db_file,
        f'SELECT status, shipped_at FROM "order" WHERE order_sn IN ({",".join("?" * len(sns))})',
        tuple(sns),
    )
    assert set(rows) == {(2, 1_795_400_000)}
    # The older file now changes nothing: 待发货 never moves an order back.
    check = imports.check_import_file(first)
    assert check.unchanged == len(orders) and check.updated == 0


def test_same_file_twice_is_a_noop(demo_shop, tmp_path):
    orders = _demo_orders(demo_shop, "status = 1", 10)
    path = mx.write(
        tmp_path / "a.csv",
        mx.table(orders, overrides={o["order_sn"]: {"seller_memo": "导入备注"} for o, _ in orders}),
    )
    imports.apply_import(imports.check_import_file(path))
    snap = snapshot(demo_shop.db_file)
    check = imports.check_import_file(path)
    assert check.already_imported and "导入过" in check.summary
    result = imports.apply_import(check)
    assert result.already_imported and not result.changes.any()
    assert snapshot(demo_shop.db_file) == snap
    history = imports.list_imports()
    assert len(history) == 1 and history[0].rows_updated == sum(len(i) for _o, i in orders)


def test_pending_memo_and_local_shipment_kept(demo_shop, tmp_path):
    from pdd_desktop.services.orders import set_seller_memo

    ((o, items),) = _demo_orders(demo_shop, "status = 1 AND refund_status = 1", 1)
    set_seller_memo(order_id=o["id"], memo="本地备注", flag=None)
    path = mx.write(
        tmp_path / "a.csv", mx.table([(o, items)], overrides={o["order_sn"]: {"seller_memo": "平台备注"}})
    )
    imports.apply_import(imports.check_import_file(path))
    assert raw_rows(demo_shop.db_file, 'SELECT seller_memo FROM "order" WHERE id = ?', (o["id"],)) == [
        ("本地备注",)
    ]


def test_round_trip_export_then_import_is_noop(demo_shop, tmp_path):
    for name, full in (("masked.csv", False), ("full.xlsx", True)):
        path = tmp_path / name
        imports.export_platform_orders(path, full_receiver=full)
        snap = snapshot(demo_shop.db_file)
        check = imports.check_import_file(path)
        assert check.errors == () and check.new == 0 and check.updated == 0, check.preview[:3]
        imports.apply_import(check)
        after = snapshot(demo_shop.db_file)
        assert {t: v for t, v in after.items() if t != "import_batch"} == {
            t: v for t, v in snap.items() if t != "import_batch"
        }


def test_bad_file_report_and_database_unchanged(demo_shop, tmp_path):
    orders = _demo_orders(demo_shop, "status = 1", 5)
    rows = mx.table(orders)
    h = rows[0]
    rows[1][h.index("用户实付金额(元)")] = "12,5"
    rows[2][h.index("支付时间")] = "2026-13-01 10:00:00"
    rows[3][h.index("订单状态")] = "神秘状态"
    rows[4][h.index("订单号")] = ""
    rows[0] = [*h, "奇怪的列"]
    path = mx.write(tmp_path / "bad.csv", rows)
    snap = snapshot(demo_shop.db_file)
    check = imports.check_import_file(path)
    assert check.unknown_columns == ("奇怪的列",)
    assert {(e.row_no, e.column) for e in check.errors} == {
        (2, "用户实付金额(元)"),
        (3, "支付时间"),
        (4, "订单状态"),
        (5, "订单号"),
    }
    assert all(e.message for e in check.errors)
    with pytest.raises(NotAllowed):
        imports.apply_import(check)
    assert snapshot(demo_shop.db_file) == snap
    result = imports.apply_import(check, accept_partial=True)
    assert result.rows_rejected == 4
    errors = imports.import_errors(result.batch_id)
    assert [e.row_no for e in errors] == [2, 3, 4, 5]


def test_missing_required_columns_named(empty_shop, tmp_path):
    path = mx.write(tmp_path / "x.csv", [["订单号", "商品"], ["251123-123456789012345", "袜子"]])
    with pytest.raises(ValidationError, match="订单状态"):
        imports.check_import_file(path)
    with pytest.raises(ValidationError, match="xls"):
        (tmp_path / "old.xls").write_bytes(b"x")
        imports.check_import_file(tmp_path / "old.xls")


_BAD_VALUES = {
    "用户实付金额(元)": ["12,5", "1.234", "abc", "1e400", "-3.00"],
    "支付时间": ["2026-02-30 10:00:00", "昨天", "2026-11-23T25:00"],
    "订单状态": ["发货了", "?"],
    "订单号": ["", "123", "1.8E+20"],
    "商品数量(件)": ["0", "1.5", "-2"],
}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    bad=st.lists(
        st.tuples(st.sampled_from(sorted(_BAD_VALUES)), st.integers(0, 100)), min_size=1, max_size=6
    ),
    newline=st.sampled_from(["\r\n", "\n"]),
    extra_column=st.booleans(),
)
def test_malformed_rows_rejected_nothing_written(demo_shop, tmp_path_factory, bad, newline, extra_column):
    orders = _demo_orders(
        demo_shop,
        "status = 1 AND id IN (SELECT order_id FROM order_item GROUP BY order_id HAVING COUNT(*) = 1)",
        8,
    )
    rows = mx.table(orders)
    h = rows[0]
    expected = set()
    for n, (col, pick) in enumerate(bad):
        r = 1 + n % (len(rows) - 1)
        rows[r][h.index(col)] = _BAD_VALUES[col][pick % len(_BAD_VALUES[col])]
        expected.add(r + 1)
    if extra_column:
        rows[1].append("多出来")
        expected.add(2)
    d = tmp_path_factory.mktemp("hyp")
    path = d / "bad.csv"
    data = "".join(",".join(f'"{c}"' for c in r) + (newline if i % 2 else "\r\n") for i, r in enumerate(rows))
    path.write_bytes(data.encode("utf-8"))
    snap = snapshot(demo_shop.db_file)
    check = imports.check_import_file(path)
    assert {e.row_no for e in check.errors} == expected
    assert all(e.message for e in check.errors)
    assert check.rows_ok + check.bad_rows == check.rows_total
    with pytest.raises(NotAllowed):
        imports.apply_import(check)
    assert snapshot(demo_shop.db_file) == snap


KILL_SCRIPT = textwrap.dedent(
    """
    import os, sys, time
    from pdd_desktop.common.paths import shop_paths
    from pdd_desktop.common.task import TaskContext
    from pdd_desktop.services import shop, imports

    class Slow(TaskContext):
        def report(self, done, total=None, label=None):
            super().report(done, total, label)
            if label == imports.PROGRESS_APPLY and done >= 1000:
                print("MID", flush=True)
                time.sleep(60)

    paths = shop_paths(sys.argv[1], "demo")
    shop.open_shop(paths)
    check = imports.check_import_file(sys.argv[2])
    imports.apply_import(check, task=Slow())
    print("DONE", flush=True)
    """
)


def test_kill_9_mid_apply_leaves_database_as_before(demo_shop, tmp_path):
    orders = mx.order_rows(demo_shop.db_file, limit=3000)
    renamed = [({**o, "order_sn": "99" + o["order_sn"][2:]}, i) for o, i in orders]
    path = mx.write(tmp_path / "big.csv", mx.table(renamed))
    from pdd_desktop.data.db import close_database

    close_database()
    snap = snapshot(demo_shop.db_file)
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[2]))
    proc = subprocess.Popen(
        [sys.executable, "-c", KILL_SCRIPT, str(demo_shop.data_dir), str(path)],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    line = proc.stdout.readline()
    assert line.strip() == "MID"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    time.sleep(0.1)
    assert raw_rows(demo_shop.db_file, "PRAGMA integrity_check") == [("ok",)]
    assert snapshot(demo_shop.db_file) == snap
