"""利润 summed in SQLite equals the per-order Python pass it replaced, to the fen.

The demo shop's month bill with what makes pricing hard: SKUs whose cost changed (and was
cleared) during the month, SKUs with no history, weights, a courier whose bands stop at a
weight, orders with several items, a range that cuts orders' lines (settled in it, refunded
after), and a bill number whose order the shop does not have.
"""

from __future__ import annotations

import pytest

from pdd_desktop.data.db import database, write_transaction
from pdd_desktop.services import cost_history
from pdd_desktop.services import profit as pf
from tests.helpers.db import one, q
from tests.helpers.profit_reference import reference_profit
from tests.services.test_profit import BANDS, import_month

DAY = 86_400


def _goods(r: pf.ProfitReport) -> list[pf.PeriodProfit]:
    return sorted(r.goods, key=lambda g: g.key)


def _orders(r: pf.ProfitReport) -> list[pf.OrderProfit]:
    return sorted(r.orders, key=lambda o: o.order_sn)


@pytest.fixture
def hard_month(demo_shop, tmp_path):
    start, end = import_month(tmp_path)
    database.execute_sql("UPDATE sku SET weight_g = (sku_id % 7) * 450")
    database.execute_sql("DELETE FROM cost_price_history WHERE sku_id % 3 = 0")  # their current cost
    database.execute_sql("UPDATE sku SET cost_price_fen = NULL WHERE sku_id % 6 = 0")  # and no cost
    skus = [s for (s,) in q("SELECT DISTINCT i.sku_id FROM order_item i ORDER BY i.sku_id")]
    varying = [s for s in skus if s % 3 == 1][:6]
    mid = (start + end) // 2
    with write_transaction():
        for n, sku in enumerate(varying):
            cost_history.record_change(sku, 1000 + n, source="edit", at=start + 3 * DAY)
            cost_history.record_change(sku, 2000 + n, source="edit", at=mid)
            if n == 0:
                cost_history.record_change(sku, None, source="edit", at=mid + 5 * DAY)  # cleared
    other = one("SELECT id FROM courier WHERE id NOT IN (0, 115) ORDER BY id LIMIT 1")
    bands = [*BANDS]
    if other:
        bands.append(pf.ShippingBand(other[0], 1500, 1000, 500, 250, 30))  # heavier: no price
    pf.save_shipping_bands(bands)
    # A number in the bill whose order the shop no longer has (its lines are loose money).
    sn = one(
        'SELECT b.order_sn FROM bill_entry b JOIN "order" o ON o.order_sn = b.order_sn '
        "WHERE b.occurred_at >= ? AND b.occurred_at < ? ORDER BY b.order_sn LIMIT 1",
        start, end,
    )[0]  # fmt: skip
    database.execute_sql('UPDATE "order" SET order_sn = ? WHERE order_sn = ?', (sn + "-gone", sn))
    return start, end


def _assert_same(start: int, end: int) -> pf.ProfitReport:
    got, want = pf.profit(start=start, end=end), reference_profit(start=start, end=end)
    assert got.total == want.total
    assert got.days == want.days
    assert _goods(got) == _goods(want)
    assert got.loose == want.loose
    assert _orders(got) == _orders(want)
    assert got.order_count == want.order_count
    assert set(got.missing_cost_ids()) == set(want.missing_cost_ids())
    assert set(got.missing_shipping_ids()) == set(want.missing_shipping_ids())
    return got


def test_a_month_equals_the_per_order_pass(hard_month):
    start, end = hard_month
    r = _assert_same(start, end)
    t = r.total
    assert t.orders > 0 and t.missing_cost > 0 and t.cost_fen > 0 and t.shipping_fen > 0
    assert r.loose.net_fen != 0  # the number without an order
    many = {
        oid for (oid,) in q("SELECT order_id FROM order_item GROUP BY order_id HAVING COUNT(*) > 1")
    }
    assert any(o.order_id in many and o.settled for o in r.orders)


def test_a_range_that_cuts_orders_equals_the_per_order_pass(hard_month):
    start, end = hard_month
    r = _assert_same(start + 9 * DAY, end - 9 * DAY)
    assert any(not o.settled for o in r.orders) and r.total.orders > 0


def test_the_scratch_tables_are_gone_after_a_report(hard_month):
    start, end = hard_month
    pf.profit(start=start, end=end)
    left = q("SELECT name FROM sqlite_temp_master WHERE name LIKE 'profit_%'")
    assert left == []
