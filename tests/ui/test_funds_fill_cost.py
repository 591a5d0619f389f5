"""资金 → 利润 → 去填成本: 商品 opens on exactly the SKUs without a cost in the 未填成本 orders.

A plain (non-demo) shop fed by files: a goods sheet (every SKU of the orders with a cost but
one), an order export of a few signed orders, and their bill built with the sandbox's ledger
code. Expected SKUs are read with plain SQL over the shop's rows, never with the app's code.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from pdd_desktop.common import clock
from pdd_desktop.common.timefmt import local_date_start, to_local
from pdd_desktop.data.db import database
from pdd_desktop.jobs.events import AppEvents
from pdd_desktop.jobs.runner import ImmediateRunner
from pdd_desktop.sandbox import bills as sb
from pdd_desktop.services import funds, goods_local, imports
from pdd_desktop.services import shop as shop_service
from pdd_desktop.ui.pages.base import PageContext
from tests.conftest import DEMO_NOW
from tests.fixtures.exports import make_exports as mx
from tests.helpers.db import q

LAST = to_local(DEMO_NOW).date() - timedelta(days=1)
FIRST = LAST - timedelta(days=29)
START, END = local_date_start(FIRST), local_date_start(LAST + timedelta(days=1))


class LocalLedger:
    """The sandbox's ledger code reading the local shop's orders (same columns)."""

    def query(self, sql, params=()):
        return database.execute_sql(sql, params).fetchall()


@pytest.fixture
def cost_shop(empty_shop, demo_template, tmp_path):
    """Eight signed orders from files, their SKUs in 商品 with a cost but one, their bill imported."""
    clock.set_clock(lambda: DEMO_NOW)
    orders = mx.order_rows(
        demo_template,
        "signed_at >= ? AND signed_at < ? AND merchant_receive_fen > 0 AND paid_at IS NOT NULL",
        (START, END - 10 * 86_400),
        limit=8,
    )
    assert len(orders) == 8
    skus: dict[int, dict] = {}
    for _o, items in orders:
        for i in items:
            skus.setdefault(i["sku_id"], i)
    no_cost = orders[0][1][0]["sku_id"]  # the first order's first SKU has no cost
    header = ["商品id", "商品名称", "样式ID", "商品规格", "单买价(元)", "成本价(元)", "库存"]
    sheet = [header]
    for sid, i in skus.items():
        cost = "" if sid == no_cost else "5.00"
        sheet.append([str(i["goods_id"]), i["goods_name"], str(sid), i["spec"], "39.90", cost, "10"])
    goods_file = mx.write(tmp_path / "商品.csv", sheet)
    check = imports.check_import_file(goods_file)
    assert not check.errors, check.errors[:3]
    imports.apply_import(check)
    order_file = mx.write(tmp_path / "orders.csv", mx.table(orders, "old"))
    check = imports.check_import_file(order_file)
    assert not check.errors, check.errors[:3]
    imports.apply_import(check)
    lines = sb.BillService(LocalLedger()).lines(START, END)
    bill = tmp_path / "bill.csv"
    bill.write_bytes(sb.bill_csv(lines, FIRST.isoformat(), LAST.isoformat()))
    check = imports.check_import_file(bill)
    assert not check.errors, check.errors[:3]
    imports.apply_import(check)
    return empty_shop, no_cost


@pytest.fixture
def page_ctx(cost_shop, qapp):
    shop, _no_cost = cost_shop
    return PageContext(ImmediateRunner(), AppEvents(), shop, shop_service.describe_shop(shop))


def _profit_tab(window):
    window.show_page("funds")
    page = window.page("funds")
    page.show_tab(2)
    tab = page.profit_tab
    tab.picker.set_custom(FIRST, LAST)
    assert tab.report is not None
    return tab


def _uncosted_skus_of_settled_orders() -> set[int]:
    """SKUs without a cost among the items of orders with an income line in the range (plain SQL)."""
    return {
        s
        for (s,) in q(
            'SELECT DISTINCT i.sku_id FROM order_item i JOIN "order" o ON o.id = i.order_id '
            "JOIN sku k ON k.sku_id = i.sku_id WHERE k.cost_price_fen IS NULL AND o.order_sn IN "
            "(SELECT order_sn FROM bill_entry WHERE code = '0010002' "
            "AND occurred_at >= ? AND occurred_at < ?)",
            START,
            END,
        )
    }


def test_fill_cost_opens_goods_on_exactly_the_uncosted_skus(qtbot, window, cost_shop):
    _shop, no_cost = cost_shop
    assert q("SELECT COUNT(*) FROM sku WHERE cost_price_fen IS NULL") == [(1,)]
    want = _uncosted_skus_of_settled_orders()
    assert want == {no_cost}  # the one SKU, and its order was settled in the range
    tab = _profit_tab(window)
    t = tab.report.total
    assert t.missing_cost >= 1 and t.orders > t.missing_cost  # the other orders have their cost
    assert tab.fill_cost_button.isVisible() and tab.fill_cost_button.text() == "去填成本"

    tab.fill_cost_button.click()
    goods_page = window.page("goods")
    qtbot.waitUntil(lambda: goods_page.isVisible() and goods_page.model.rowCount() > 0)
    assert goods_page._sku_ids == (no_cost,)
    goods_of = {g for (g,) in q("SELECT goods_id FROM sku WHERE sku_id = ?", no_cost)}
    assert {r.goods_id for r in goods_page.model.rows} == goods_of
    chip = goods_page.view.ids_chip
    assert chip.isVisible() and "未填成本" in chip.text() and "1 个规格" in chip.text()

    # The cost filled in (the edit of 商品): 利润 has no 未填成本 and no button any more.
    goods_local.set_sku_local(sku_ids=[no_cost], cost_price_fen=1234)
    tab = _profit_tab(window)
    tab.refresh()
    assert tab.report.total.missing_cost == 0
    assert not tab.fill_cost_button.isVisible()
    assert "未填成本 0 单" in tab.missing_label.text()  # 未填运费 remains: no price table here


def test_missing_cost_skus_leaves_out_skus_not_in_goods(cost_shop):
    _shop, no_cost = cost_shop
    ids = [oid for (oid,) in q('SELECT id FROM "order" ORDER BY id')]
    assert funds.missing_cost_skus(ids) == funds.MissingCostSkus((no_cost,), 0)
    assert funds.missing_cost_skus([]) == funds.MissingCostSkus((), 0)
    # Goods deleted from 商品 since: its SKU cannot be opened there, it is counted apart.
    database.execute_sql("DELETE FROM sku WHERE sku_id = ?", (no_cost,))
    assert funds.missing_cost_skus(ids) == funds.MissingCostSkus((), 1)
