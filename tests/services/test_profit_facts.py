"""利润 facts stored on the bill rollup (``data/schema_profit_facts.py``) stay equal to a recomputation.

The triggers must mark every row whose facts a write changes, whatever module writes and even
through raw SQL: random writes to orders (payment, number, removed, added after their bill),
items, parcels and their links, SKU cost and weight, cost history (back-dated too) and new bill
lines; after each batch the marked rows are priced and every stored fact must equal the facts
computed from scratch, and the report must equal the per-order Python pass.
"""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pdd_desktop.common.timefmt import to_local
from pdd_desktop.data.db import database, write_transaction
from pdd_desktop.data.queries import profit as pq
from pdd_desktop.services import cost_history
from pdd_desktop.services import profit as pf
from tests.helpers.db import one, q
from tests.helpers.profit_reference import reference_profit
from tests.services.test_profit import BANDS, import_month

DAY = 86_400


def _stored() -> list[tuple]:
    return [r[:-1] for r in pq.stored_facts()]


def _dirty() -> int:
    return one("SELECT COUNT(*) FROM bill_order WHERE day IS NULL")[0]


def _assert_exact() -> None:
    pf.price_facts()
    assert _dirty() == 0
    assert _stored() == pq.recomputed_facts()


@pytest.fixture
def billed(demo_shop, tmp_path):
    start, end = import_month(tmp_path)
    pf.save_shipping_bands(BANDS)
    return start, end


def test_the_read_prices_its_ranges_orders_and_a_second_read_writes_nothing(billed):
    start, end = billed
    assert _dirty() == one("SELECT COUNT(*) FROM bill_order")[0] > 20  # the import only marks
    outside = one("SELECT COUNT(*) FROM bill_order WHERE last_at < ? OR first_at >= ?", start, end)[0]
    pf.profit(start=start + 10 * DAY, end=end)
    assert 0 < _dirty() < one("SELECT COUNT(*) FROM bill_order")[0]  # only the range's rows were priced
    pf.profit(start=start, end=end)
    assert _dirty() == outside
    pf.price_facts()
    facts = _stored()
    assert len(facts) == one("SELECT COUNT(*) FROM bill_order")[0] > 20
    known = [f for f in facts if f[1] is not None]
    assert known and all(f[2] >= 1 for f in known)  # every known order has items
    assert any(f[2] > 1 and f[8] for f in known)  # a many-item order keeps its items
    assert all((f[2] > 1) == (f[8] is not None) for f in known)
    assert _stored() == pq.recomputed_facts()
    before = database.connection().total_changes
    pf.profit(start=billed[0], end=billed[1])
    assert database.connection().total_changes == before  # nothing out of date: a read only reads


def test_a_price_table_edit_marks_nothing_and_reprices_at_the_read(billed):
    start, end = billed
    before = pf.profit(start=start, end=end)
    pf.save_shipping_bands([pf.ShippingBand(0, 0, 1000, 999, 1000, 100)])
    assert _dirty() == 0
    after = pf.profit(start=start, end=end)
    assert after.total.shipping_fen != before.total.shipping_fen
    want = reference_profit(start=start, end=end)
    assert after.total == want.total and after.days == want.days


def test_one_cost_edit_marks_only_that_skus_orders(billed):
    pf.price_facts()
    sku, n = one(
        'SELECT i.sku_id, COUNT(DISTINCT o.id) FROM order_item i JOIN "order" o ON o.id = i.order_id '
        "JOIN bill_order r ON r.order_sn = o.order_sn GROUP BY i.sku_id ORDER BY 2 DESC LIMIT 1"
    )
    with write_transaction():
        database.execute_sql(
            "UPDATE sku SET cost_price_fen = COALESCE(cost_price_fen, 0) + 1 WHERE sku_id = ?", (sku,)
        )
    assert _dirty() == 0 and q("SELECT sku_id FROM bill_order_dirty_sku") == [(sku,)]  # noted only
    with write_transaction():
        assert pq.mark_noted_skus() == n > 0
    assert _dirty() == n and not q("SELECT 1 FROM bill_order_dirty_sku")
    _assert_exact()


def _writes(rng: random.Random, start: int, end: int) -> list[str]:
    """Some random writes touching the facts' inputs, as raw SQL (the triggers see every path)."""
    billed = [r[0] for r in q('SELECT o.id FROM "order" o JOIN bill_order r ON r.order_sn = o.order_sn')]
    skus = [r[0] for r in q("SELECT DISTINCT sku_id FROM order_item")]
    packages = [r[0] for r in q("SELECT id FROM package")]
    couriers = [None, *(r[0] for r in q("SELECT id FROM courier ORDER BY id LIMIT 4"))]
    done = []
    for _ in range(rng.randint(1, 6)):
        kind = rng.choice(
            ("paid", "sku_cost", "sku_weight", "history", "item_qty", "item_del", "void", "courier", "link",
             "renumber", "remove", "sku_del")
        )  # fmt: skip
        oid, sku = rng.choice(billed), rng.choice(skus)
        if kind == "paid":
            database.execute_sql(
                'UPDATE "order" SET paid_at = paid_at - ? WHERE id = ?', (rng.randint(1, 40) * DAY, oid)
            )
        elif kind == "sku_cost":
            database.execute_sql(
                "UPDATE sku SET cost_price_fen = ? WHERE sku_id = ?", (rng.choice((None, 100, 2500)), sku)
            )
        elif kind == "sku_weight":
            database.execute_sql(
                "UPDATE sku SET weight_g = ? WHERE sku_id = ?", (rng.choice((0, 300, 2600, 9000)), sku)
            )
        elif kind == "history":
            at = rng.randint(start - 30 * DAY, end)  # back-dated as well
            with write_transaction():
                cost_history.record_change(sku, rng.choice((None, 50, 1800)), source="edit", at=at)
        elif kind == "item_qty":
            database.execute_sql("UPDATE order_item SET quantity = quantity + 1 WHERE order_id = ?", (oid,))
        elif kind == "item_del":
            database.execute_sql(
                "DELETE FROM order_item WHERE id = (SELECT MAX(id) FROM order_item WHERE order_id = ?)",
                (oid,),
            )
        elif kind == "void" and packages:
            database.execute_sql("UPDATE package SET voided_at = ? WHERE id = ?", (end, rng.choice(packages)))
        elif kind == "courier" and packages:
            database.execute_sql(
                "UPDATE package SET courier_id = ? WHERE id = ?",
                (rng.choice(couriers), rng.choice(packages)),
            )
        elif kind == "link" and packages:
            database.execute_sql(
                "INSERT OR IGNORE INTO package_order (package_id, order_id) VALUES (?, ?)",
                (rng.choice(packages), oid),
            )
        elif kind == "renumber":
            database.execute_sql("UPDATE \"order\" SET order_sn = order_sn || 'x' WHERE id = ?", (oid,))
        elif kind == "remove":
            # The order goes (its items and links with it); its bill lines become loose money.
            database.execute_sql("DELETE FROM order_item WHERE order_id = ?", (oid,))
            database.execute_sql("DELETE FROM package_order WHERE order_id = ?", (oid,))
            database.execute_sql('DELETE FROM "order" WHERE id = ?', (oid,))
        elif kind == "sku_del":
            database.execute_sql("DELETE FROM sku WHERE sku_id = ?", (sku,))
        done.append(kind)
    return done


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**32 - 1))
def test_random_writes_keep_every_fact_exact(billed, seed):
    start, end = billed
    rng = random.Random(seed)  # the writes pile up from example to example: a shop that lives on
    for _ in range(3):
        _writes(rng, start, end)
        _assert_exact()
    got, want = pf.profit(start=start, end=end), reference_profit(start=start, end=end)
    assert got.total == want.total and got.days == want.days and got.loose == want.loose
    assert sorted(got.goods, key=lambda g: g.key) == sorted(want.goods, key=lambda g: g.key)
    assert sorted(got.orders, key=lambda o: o.order_sn) == sorted(want.orders, key=lambda o: o.order_sn)
    assert got.lowest(50) == want.lowest(50)


def test_an_order_arriving_after_its_bill_is_priced(billed):
    start, end = billed
    sn = one(
        'SELECT o.order_sn FROM "order" o JOIN bill_order r ON r.order_sn = o.order_sn '
        "JOIN order_item i ON i.order_id = o.id WHERE r.first_settle_at IS NOT NULL ORDER BY o.id LIMIT 1"
    )[0]
    database.execute_sql('UPDATE "order" SET order_sn = ? WHERE order_sn = ?', (sn + "-later", sn))
    _assert_exact()
    assert one("SELECT order_id FROM bill_order WHERE order_sn = ?", sn)[0] is None  # loose money now
    loose = pf.profit(start=start, end=end).loose
    database.execute_sql('UPDATE "order" SET order_sn = ? WHERE order_sn = ?', (sn, sn + "-later"))
    assert _dirty() == 1
    _assert_exact()
    assert one("SELECT order_id FROM bill_order WHERE order_sn = ?", sn)[0] is not None
    assert pf.profit(start=start, end=end).loose.net_fen != loose.net_fen


def test_the_repair_prices_everything_again(billed):
    database.execute_sql("UPDATE bill_order SET cost_fen = -1, day = 0")  # damaged, unmarked
    database.execute_sql("UPDATE bill_order SET day = NULL")  # every row out of date: priced again
    _assert_exact()


def test_a_later_bill_moving_an_orders_settlement_marks_it(billed, tmp_path):
    from pdd_desktop.services import imports
    from tests.helpers import bills as bh

    pf.price_facts()
    sn, settled_at = one(
        "SELECT order_sn, first_settle_at FROM bill_order WHERE order_id IS NOT NULL "
        "AND first_settle_at IS NOT NULL ORDER BY order_sn LIMIT 1"
    )
    day = one("SELECT day FROM bill_order WHERE order_sn = ?", sn)[0]
    earlier = to_local(settled_at - 2 * DAY).strftime("%Y-%m-%d %H:%M:%S")
    line = bh.Line(sn, earlier, "1.00", "0.00", "交易账户", "", "0010002|交易收入-订单收入")
    path = bh.write(tmp_path / "extra.csv", bh.csv_text([line], start=earlier[:10]))
    check = imports.check_import_file(path)
    assert not check.errors, check.errors[:3]
    imports.apply_import(check)
    pf.price_facts()
    assert one("SELECT day FROM bill_order WHERE order_sn = ?", sn)[0] == day - 2
    _assert_exact()


def test_the_step_leaves_every_row_to_price_and_adds_its_triggers(tmp_path):
    from pdd_desktop.data import schema_profit_facts
    from tests.helpers.db import upgraded_fixture

    [[(rows,)]], [[(unpriced,)], [(triggers,)]] = upgraded_fixture(
        tmp_path, 17, "SELECT COUNT(*) FROM bill_order",
        "SELECT COUNT(*) FROM bill_order WHERE day IS NULL",
        "SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'bill_order_facts_%'",
    )  # fmt: skip
    assert rows == unpriced > 0
    assert triggers == sum(s.startswith("CREATE TRIGGER") for s in schema_profit_facts.STATEMENTS) >= 17


def test_a_row_marked_between_pricing_and_reading_is_priced_again(billed, monkeypatch):
    """The sync process may write between the pricing and the read: the report still adds up."""
    start, end = billed
    real, priced = pq.price_dirty, []

    def price_then_another_write(s: int, e: int) -> int:
        n = real(s, e)
        if not priced:  # right after the first pricing, a billed order's payment changes
            database.execute_sql(
                'UPDATE "order" SET paid_at = paid_at - 86400 WHERE id = (SELECT order_id FROM bill_order '
                "WHERE order_id IS NOT NULL AND item_count = 1 ORDER BY order_sn LIMIT 1)"
            )
        priced.append(n)
        return n

    monkeypatch.setattr(pq, "price_dirty", price_then_another_write)
    got = pf.profit(start=start, end=end)
    assert priced[1:] == [1]  # priced again: that one order
    want = reference_profit(start=start, end=end)
    assert got.total == want.total and got.days == want.days and got.order_count == want.order_count


def test_the_computation_reports_its_steps_and_stops_when_cancelled(billed):
    from pdd_desktop.common.task import Cancelled, TaskContext

    start, end = billed
    task = TaskContext()
    labels = []
    real = task.report
    task.report = lambda done, total=None, label=None: (labels.append(label), real(done, total, label))
    pf.profit(start=start, end=end, task=task)
    assert labels[:2] == ["正在核算成本和运费", "正在汇总利润"]
    task = TaskContext()
    task.cancel()
    with pytest.raises(Cancelled):
        pf.profit(start=start, end=end, task=task)
