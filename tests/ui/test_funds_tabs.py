"""资金 → 对账 / 利润: counts equal the services', the buttons open exactly those orders, the
shipping price table saves whole or refuses, and each tab exports its report's table."""

from __future__ import annotations

import csv
from datetime import timedelta

import pytest

from pdd_desktop.common.timefmt import local_date_start, to_local
from pdd_desktop.data.db import database
from pdd_desktop.sandbox import bills as sb
from pdd_desktop.services import funds_reports as fr
from pdd_desktop.services import imports
from pdd_desktop.services import profit as pf
from pdd_desktop.services import reconcile as rc
from pdd_desktop.services import settings as settings_service
from tests.conftest import DEMO_NOW
from tests.helpers.db import q
from tests.helpers.pages import page_fixture

page = page_fixture("funds")
ORPHAN_SN = "261101-999999999999902"


class LocalLedger:
    """The sandbox's ledger code reading the local shop's orders (same columns)."""

    def query(self, sql, params=()):
        return database.execute_sql(sql, params).fetchall()


@pytest.fixture
def planted(page, tmp_path):
    """Thirty days of bills from the shop's own orders, one of each mistake planted, imported."""
    last = to_local(DEMO_NOW).date() - timedelta(days=1)
    first = last - timedelta(days=29)
    start, end = local_date_start(first), local_date_start(last + timedelta(days=1))
    signed = [sn for (sn,) in q(
        'SELECT order_sn FROM "order" WHERE signed_at >= ? AND signed_at < ? AND merchant_receive_fen > 0 '
        "ORDER BY signed_at", start, end - 10 * 86_400,
    )]  # fmt: skip
    ledger = sb.BillService(LocalLedger())
    ledger.plant(signed[0], sb.MISSING)
    ledger.plant(signed[1], sb.MISSING)
    ledger.plant(signed[3], sb.DOUBLE)
    ledger.plant(signed[5], sb.AMOUNT, -77)
    ledger.plant_orphan(start + 2 * 86_400 + 600, ORPHAN_SN, -300)
    path = tmp_path / "month.csv"
    path.write_bytes(sb.bill_csv(ledger.lines(start, end), first.isoformat(), last.isoformat()))
    check = imports.check_import_file(path)
    assert not check.errors, check.errors[:3]
    imports.apply_import(check)
    return {"first": first, "last": last, "start": start, "end": end, "signed": signed}


def _id_of(sn: str) -> int:
    return q('SELECT id FROM "order" WHERE order_sn = ?', sn)[0][0]


def test_reconcile_tab_counts_lists_and_open_button(qtbot, window, page, planted, tmp_path):
    p = planted
    page.show_tab(1)
    tab = page.reconcile_tab
    tab.picker.set_custom(p["first"], p["last"])
    r = rc.reconcile(start=p["start"], end=p["end"])
    assert tab.result is not None and tab.result.orders == r.orders
    text = tab.counts_label.text()
    assert f"未结算 {r.count(rc.MISSING)}" in text and f"无对应订单 {len(r.orphans)}" in text
    assert f"已结算 {r.count(rc.OK):,}" in text and f"{len(r.orders):,} 单" in text
    # The planted mistakes, exactly.
    assert {o.order_sn for o in r.missing} == {p["signed"][0], p["signed"][1]}
    assert [o.order_sn for o in r.doubled] == [p["signed"][3]]
    assert [(o.order_sn, o.difference_fen) for o in r.wrong_amount] == [(p["signed"][5], -77)]
    # The 未结算 list with the per-order columns, and its button opens exactly those orders.
    tab.list_combo.setCurrentIndex(tab.list_combo.findData(rc.MISSING))
    assert tab.list_combo.currentText() == "未结算（2）"
    t = tab.orders_table
    assert {t.item(i, 0).text() for i in range(t.rowCount())} == {p["signed"][0], p["signed"][1]}
    with qtbot.waitSignal(page.orders_requested) as got:
        tab.open_button.click()
    f = got.args[0]
    assert f.view == "all" and set(f.order_ids) == {_id_of(p["signed"][0]), _id_of(p["signed"][1])}
    assert "未结算" in f.order_ids_label
    assert window.stack.currentWidget() is window.page("orders")  # main_window opened 发货中心
    window.show_page("funds")
    # 金额不符: settled, expected and difference shown to the fen.
    tab.list_combo.setCurrentIndex(tab.list_combo.findData(rc.AMOUNT))
    (a,) = r.wrong_amount
    headers = [t.horizontalHeaderItem(c).text() for c in range(t.columnCount())]
    cell = {h: t.item(0, c).text() for c, h in enumerate(headers)}
    assert cell["订单号"] == a.order_sn and cell["差额"] == "¥-0.77"
    assert cell["已结算"] == f"¥{a.settled_fen // 100:,}.{a.settled_fen % 100:02d}"
    with qtbot.waitSignal(page.orders_requested) as got:
        tab.open_button.click()
    assert got.args[0].order_ids == (a.order_id,)
    window.show_page("funds")
    # Charges with no order: their own table, no order button.
    tab.list_combo.setCurrentIndex(tab.list_combo.findData("orphans"))
    assert tab.tables.currentWidget() is tab.orphans_table and not tab.open_button.isEnabled()
    assert (
        tab.orphans_table.item(0, 1).text() == ORPHAN_SN and tab.orphans_table.item(0, 2).text() == "¥-3.00"
    )
    page.grab().save(str(tmp_path / "reconcile.png"))


def test_settlement_days_field_saves_the_setting_and_reconciles_again(qtbot, window, page, planted):
    page.show_tab(1)
    tab = page.reconcile_tab
    tab.picker.set_custom(planted["first"], planted["last"])
    assert tab.days_spin.value() == settings_service.load_settings().settlement_days == 3
    assert not tab.days_button.isEnabled()
    tab.days_spin.setValue(30)
    assert tab.days_button.isEnabled()
    tab.days_button.click()
    assert settings_service.load_settings().settlement_days == 30
    assert tab.result.settlement_days == 30 and not tab.days_button.isEnabled()
    r = rc.reconcile(start=planted["start"], end=planted["end"])
    assert tab.result.orders == r.orders
    assert all(o.due_at == o.signed_at + 30 * 86_400 for o in r.orders)
    before = rc.reconcile(start=planted["start"], end=planted["end"], settlement_days=3)
    assert len(before.missing) == 2 and not r.missing  # not yet due / not covered after 30 days


def test_profit_tab_pnl_missing_prices_and_open_buttons(qtbot, window, page, planted, tmp_path):
    goods = [g for (g,) in q("SELECT goods_id FROM goods ORDER BY goods_id")]
    database.execute_sql("UPDATE sku SET cost_price_fen = single_price_fen * 55 / 100")
    database.execute_sql("UPDATE sku SET cost_price_fen = NULL WHERE goods_id = ?", (goods[0],))
    database.execute_sql("DELETE FROM cost_price_history")  # no history: each SKU's current cost applies
    page.show_tab(2)
    tab = page.profit_tab
    tab.picker.set_custom(planted["first"], planted["last"])
    r = pf.profit(start=planted["start"], end=planted["end"])
    t = r.total
    assert tab.report.total == t
    assert t.missing_cost > 0 and t.missing_shipping == t.orders > 0  # no price table yet

    def shown(fen):
        return f"¥{'-' if fen < 0 else ''}{abs(fen) // 100:,}.{abs(fen) % 100:02d}"

    assert tab.pnl_labels["income"].text() == shown(t.money.income_fen)
    assert tab.pnl_labels["cost"].text() == shown(-t.cost_fen)
    assert tab.pnl_labels["profit"].text() == shown(t.profit_fen)
    assert f"未填成本 {t.missing_cost:,} 单" in tab.missing_label.text()
    assert tab.days_table.rowCount() == len(r.days) and tab.goods_table.rowCount() == len(r.goods)
    assert tab.orders_table.rowCount() == min(len(r.orders), 2000)
    with qtbot.waitSignal(page.orders_requested) as got:
        tab.missing_cost_button.click()
    want = {o.order_id for o in r.orders if o.settled and o.cost_fen is None}
    assert set(got.args[0].order_ids) == want and len(want) == t.missing_cost
    window.show_page("funds")
    # The price table: a bad cell refuses in the dialog, a service refusal too; a good table saves.
    tab.rates_button.click()
    dlg = tab.rates_dialog
    assert dlg is not None and dlg.table.rowCount() == 1
    dlg.table.item(0, 3).setText("3.005")
    dlg.ok_button.click()
    assert "第 1 行" in dlg.error_label.text() and "最多两位小数" in dlg.error_label.text()
    assert pf.shipping_bands() == ()
    dlg.table.item(0, 3).setText("3.00")
    row = dlg.add_row()
    dlg.table.item(row, 1).setText("0")  # the default courier's open-ended band, twice
    dlg.ok_button.click()
    assert "重量上限重复" in dlg.error_label.text() and dlg.isVisible()
    assert pf.shipping_bands() == ()
    combo = dlg.table.cellWidget(row, 0)
    combo.setCurrentIndex(1)
    courier = combo.currentData()
    dlg.table.item(row, 1).setText("3000")
    dlg.table.item(row, 4).setText("5.50")  # grams, not yuan
    dlg.ok_button.click()
    assert "第 2 行“续重单位（克）”应为整数克数" in dlg.error_label.text() and dlg.isVisible()
    dlg.table.item(row, 4).setText("1000")
    dlg.table.item(row, 3).setText("5.50")
    dlg.grab().save(str(tmp_path / "rates.png"))
    dlg.ok_button.click()
    assert not dlg.isVisible()
    assert pf.shipping_bands() == (
        pf.ShippingBand(0, 0, 1000, 300, 1000, 100),
        pf.ShippingBand(courier, 3000, 1000, 550, 1000, 100),
    )
    # Saved: the tab reloads (Changes(funds=True)); only parcels of that courier over 3 kg lack a price.
    after = pf.profit(start=planted["start"], end=planted["end"]).total
    assert tab.report.total == after and after.missing_shipping < t.missing_shipping
    assert (after.missing_shipping > 0) == tab.missing_shipping_button.isEnabled()
    page.grab().save(str(tmp_path / "profit.png"))


@pytest.mark.parametrize("index", [0, 1, 2])
def test_each_tab_exports_its_report_table(qtbot, page, planted, tmp_path, index):
    page.show_tab(index)
    if index == 0:
        page.view.range_combo.setCurrentIndex(page.view.range_combo.findData("365d"))
    else:
        (page.reconcile_tab if index == 1 else page.profit_tab).picker.set_custom(
            planted["first"], planted["last"]
        )
    first, last = page.export_dates(index)
    out = tmp_path / f"out{index}.csv"
    page.ask_save_path = lambda *_a: str(out)
    page.export(index)
    build = (fr.ledger_rows, fr.reconciliation_rows, fr.profit_rows)[index]
    header, rows = build(first, last)
    with out.open(encoding="utf-8-sig", newline="") as fh:
        got = list(csv.reader(fh))
    assert got[0] == list(header)
    assert got[1:] == [[str(c) for c in row] for row in rows]
    assert page.exported == (str(out), len(rows)) and len(rows) > 1


def test_a_cancelled_profit_computation_says_so(qtbot, window, page, monkeypatch):
    """Right after a big bill import the first 利润 view prices the month, with 取消 (the dialog
    itself: tests/ui/test_jobs.py); a cancelled run leaves the tab empty and says why."""
    seen = []

    def cancelled(*, start, end, task=None):
        seen.append(task)
        task.report(0, 0, "正在核算成本和运费")
        task.cancel()
        task.raise_if_cancelled()
        raise AssertionError("not cancelled")

    monkeypatch.setattr(pf, "profit", cancelled)
    page.show_tab(2)
    tab = page.profit_tab
    tab.refresh()
    qtbot.waitUntil(lambda: "已取消计算利润" in tab.missing_label.text(), timeout=3000)
    assert seen and seen[-1] is not None  # the tab's query hands the computation its task
    assert tab.report is None and tab.orders_table.rowCount() == 0
