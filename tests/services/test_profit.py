"""资金 利润: the demo shop's month bill (the sandbox's ledger code over its orders), imported through
the normal path; every figure checked against an independent computation, to the fen.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from pdd_desktop.common.timefmt import local_date_start, to_local
from pdd_desktop.data.db import database
from pdd_desktop.domain.errors import ValidationError
from pdd_desktop.sandbox import bills as sb
from pdd_desktop.services import ads, imports
from pdd_desktop.services import profit as pf
from tests.conftest import DEMO_NOW
from tests.helpers.db import one, q

PROFIT_CATS = ("income", "refund", "tech_fee", "tech_fee_return", "compensation", "marketing", "other")


class LocalLedger:
    """The sandbox's ledger code reading the local shop's orders (same columns)."""

    def query(self, sql, params=()):
        return database.execute_sql(sql, params).fetchall()


def month_range() -> tuple[int, int]:
    last = to_local(DEMO_NOW).date() - timedelta(days=1)
    first = last - timedelta(days=29)
    return local_date_start(first), local_date_start(last + timedelta(days=1))


def import_month(tmp_path) -> tuple[int, int]:
    start, end = month_range()
    ledger = sb.BillService(LocalLedger())
    lines = ledger.lines(start, end)
    assert sum(1 for ln in lines if ln.description == sb.INCOME) >= 20
    first, last = to_local(start).date().isoformat(), to_local(end - 1).date().isoformat()
    path = tmp_path / "month.csv"
    path.write_bytes(sb.bill_csv(lines, first, last))
    check = imports.check_import_file(path)
    assert not check.errors, check.errors[:3]
    imports.apply_import(check)
    return start, end


BANDS = [
    pf.ShippingBand(0, 0, 1000, 300, 1000, 100),  # default: ¥3 first kg, ¥1 per further kg
    pf.ShippingBand(115, 3000, 1000, 250, 500, 60),  # 中通 up to 3 kg
    pf.ShippingBand(115, 0, 1000, 400, 1000, 200),  # 中通 above 3 kg
]


def oracle_price(courier: int, weight: int) -> int | None:
    """The price table read by hand."""
    if courier == 115:
        if weight <= 3000:
            return 250 + 60 * -(-max(0, weight - 1000) // 500)
        return 400 + 200 * -(-max(0, weight - 1000) // 1000)
    return 300 + 100 * -(-max(0, weight - 1000) // 1000)


def _forget_cost_history() -> None:
    # A SKU without history rows costs its current ``sku.cost_price_fen`` (services/cost_history.py).
    database.execute_sql("DELETE FROM cost_price_history")


def test_month_profit_matches_an_independent_computation(demo_shop, tmp_path):
    # Costs for every SKU but one goods' SKUs (those orders show 未填成本).
    goods = [g for (g,) in q("SELECT goods_id FROM goods ORDER BY goods_id")]
    database.execute_sql("UPDATE sku SET cost_price_fen = single_price_fen * 55 / 100")
    database.execute_sql("UPDATE sku SET cost_price_fen = NULL WHERE goods_id = ?", (goods[0],))
    _forget_cost_history()  # costs set straight in the table: each SKU's current cost applies
    pf.save_shipping_bands(BANDS)
    start, end = import_month(tmp_path)
    r = pf.profit(start=start, end=end)

    money = one(
        f"SELECT SUM(amount_fen) FROM bill_entry WHERE occurred_at >= ? AND occurred_at < ? "
        f"AND category IN ({','.join('?' * len(PROFIT_CATS))})",
        start, end, *PROFIT_CATS,
    )[0]  # fmt: skip
    assert r.total.money.net_fen == money
    settled = q(
        'SELECT DISTINCT o.id FROM bill_entry b JOIN "order" o ON o.order_sn = b.order_sn '
        "WHERE b.code = '0010002' AND b.occurred_at >= ? AND b.occurred_at < ?",
        start, end,
    )  # fmt: skip
    cost = ship = missing_cost = 0
    for (oid,) in settled:
        items = q(
            "SELECT i.quantity, s.cost_price_fen, s.weight_g FROM order_item i "
            "JOIN sku s ON s.sku_id = i.sku_id WHERE i.order_id = ?",
            oid,
        )
        if any(c is None for _, c, _ in items):
            missing_cost += 1
        else:
            cost += sum(n * c for n, c, _ in items)
        courier = one(
            "SELECT p.courier_id FROM package_order po JOIN package p ON p.id = po.package_id "
            "WHERE po.order_id = ? AND p.voided_at IS NULL ORDER BY p.shipped_at DESC",
            oid,
        )
        ship += oracle_price(courier[0] if courier and courier[0] else 0, sum(n * w for n, _, w in items))
    assert r.total.orders == len(settled) > 0
    assert missing_cost > 0 and r.total.missing_cost == missing_cost
    assert r.total.cost_fen == cost
    assert r.total.shipping_fen == ship and r.total.missing_shipping == 0
    first, last = to_local(start).date(), to_local(end - 1).date()
    ad = sum(d.spend_fen for d in ads.spend_by_day(first=first, last=last))
    assert r.total.ad_fen == ad
    assert r.total.profit_fen == money - cost - ship - ad
    # Days and goods add up to the total; orders without a cost have no profit.
    assert sum(d.money.net_fen for d in r.days) == money
    assert sum(d.cost_fen for d in r.days) == cost and sum(d.ad_fen for d in r.days) == ad
    assert sum(g.cost_fen for g in r.goods) == cost
    assert sum(g.shipping_fen for g in r.goods) == ship
    assert sum(g.money.net_fen for g in r.goods) == sum(o.money.net_fen for o in r.orders)
    assert any(not o.settled and o.money.refund_fen for o in r.orders)  # a refund of an earlier month
    no_cost = [o for o in r.orders if o.settled and o.cost_fen is None]
    assert len(no_cost) == missing_cost and all(o.profit_fen is None for o in no_cost)
    ok = next(o for o in r.orders if o.profit_fen is not None)
    assert ok.profit_fen == ok.money.net_fen - ok.cost_fen - ok.shipping_fen


def test_without_a_price_table_shipping_is_missing_not_zero(demo_shop, tmp_path):
    start, end = import_month(tmp_path)
    r = pf.profit(start=start, end=end)
    assert r.total.orders > 0 and r.total.missing_shipping == r.total.orders and r.total.shipping_fen == 0
    assert not r.total.complete


def test_cost_of_reads_the_sku_cost_in_one_place(demo_shop):
    sku, cost = one("SELECT sku_id, single_price_fen FROM sku LIMIT 1")
    database.execute_sql("UPDATE sku SET cost_price_fen = ? WHERE sku_id = ?", (cost // 2, sku))
    _forget_cost_history()
    assert pf.cost_of(sku, DEMO_NOW) == cost // 2
    assert pf.cost_of_many([(sku, 1), (999, 1)]) == {(sku, 1): cost // 2, (999, 1): None}


def test_price_bands_pick_the_courier_then_the_default():
    assert pf.shipping_price(BANDS, 115, 2600) == 250 + 4 * 60
    assert pf.shipping_price(BANDS, 115, 4100) == 400 + 4 * 200
    assert pf.shipping_price(BANDS, 999, 0) == 300  # unknown weight: the first-weight price
    assert pf.shipping_price(BANDS[1:2], 115, 3500) is None  # heavier than every band
    assert pf.shipping_price([], 115, 100) is None


@pytest.mark.parametrize(
    ("band", "message"),
    [
        (pf.ShippingBand(0, 0, 1000, -1, 1000, 100), "首重价格"),
        (pf.ShippingBand(0, 0, 1000, 300, 0, 100), "续重单位不能为 0"),
        (pf.ShippingBand(0, 500, 1000, 300, 1000, 100), "重量上限不能小于首重"),
    ],
)
def test_a_bad_band_saves_nothing(empty_shop, band, message):
    pf.save_shipping_bands(BANDS)
    with pytest.raises(ValidationError, match=message):
        pf.save_shipping_bands([BANDS[0], band])
    assert pf.shipping_bands() == tuple(
        sorted(BANDS, key=lambda b: (b.courier_id, b.up_to_g == 0, b.up_to_g))
    )
    with pytest.raises(ValidationError, match="重复"):
        pf.save_shipping_bands([BANDS[0], BANDS[0]])


def test_ledger_reconciliation_and_profit_reports(demo_shop, tmp_path):
    import csv

    from pdd_desktop.services import reconcile as rc
    from pdd_desktop.services import reports

    pf.save_shipping_bands(BANDS[:1])
    database.execute_sql(
        "UPDATE sku SET cost_price_fen = NULL WHERE goods_id = (SELECT MIN(goods_id) FROM goods)"
    )
    _forget_cost_history()
    start, end = import_month(tmp_path)
    first, last = to_local(start).date().isoformat(), to_local(end - 1).date().isoformat()

    def read(name):
        out = tmp_path / f"{name}.csv"
        reports.write_report(name, first, last, out)
        with open(out, encoding="utf-8-sig", newline="") as fh:
            return list(csv.reader(fh))

    money = one(
        f"SELECT SUM(amount_fen) FROM bill_entry WHERE category IN ({','.join('?' * len(PROFIT_CATS))})",
        *PROFIT_CATS,
    )[0]
    ledger = read("ledger")
    assert ledger[0][-1] == "经营收支(元)" and ledger[-1][0] == "合计"
    assert ledger[-1][-1] == f"{money / 100:.2f}"
    assert int(ledger[-1][1]) == one("SELECT COUNT(*) FROM bill_entry")[0]
    recon = read("reconciliation")
    r = rc.reconcile(start=start, end=end)
    assert len(recon) == 1 + len(r.orders) + len(r.orphans)
    assert {row[3] for row in recon[1:]} <= set(rc.STATUS_LABELS.values()) | {"无对应订单"}
    profit = read("profit")
    total = pf.profit(start=start, end=end).total
    assert profit[-1][0] == "合计" and profit[-1][10] == f"{total.profit_fen / 100:.2f}"
    assert "未填成本" in profit[-1][7]  # a goods without cost price: said, not zero


def test_profit_takes_the_cost_in_force_when_the_order_was_paid(demo_shop):
    from pdd_desktop.data.db import write_transaction
    from pdd_desktop.services import cost_history

    _forget_cost_history()
    sku, price = one("SELECT sku_id, single_price_fen FROM sku LIMIT 1")
    with write_transaction():
        cost_history.record_change(sku, price // 2, source="edit", at=DEMO_NOW - 10 * 86400)
        cost_history.record_change(sku, price // 3, source="edit", at=DEMO_NOW - 86400)
    got = pf.cost_of_many([(sku, DEMO_NOW - 20 * 86400), (sku, DEMO_NOW - 5 * 86400), (sku, DEMO_NOW)])
    # Before the first change: the first known cost; then each change from its moment on.
    assert got == {
        (sku, DEMO_NOW - 20 * 86400): price // 2,
        (sku, DEMO_NOW - 5 * 86400): price // 2,
        (sku, DEMO_NOW): price // 3,
    }
