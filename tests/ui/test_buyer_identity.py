"""支付买家 / 买家数 when orders carry no buyer identity (QA finding).

Orders from files and from the platform's order APIs have ``buyer_key`` ''. Such an order is no
buyer: a period whose paid orders all lack one shows "—" with a tooltip on 工作台 and 经营概况
(not 1, not 0), a period where some lack one shows the known count and says how many orders
were left out, and the overview report writes the known count with a note. Expected values are
counted here over the raw order rows with sqlite3, never with the app's code.
"""

from __future__ import annotations

import csv
import sqlite3
from datetime import date, timedelta

import pytest

from pdd_desktop.common import clock
from pdd_desktop.common.timefmt import local_date_start
from pdd_desktop.data import aggregates
from pdd_desktop.data.db import database, write_transaction
from pdd_desktop.jobs.events import AppEvents
from pdd_desktop.jobs.runner import ImmediateRunner
from pdd_desktop.services import analytics as an
from pdd_desktop.services import home, imports, reports
from pdd_desktop.services import shop as shop_service
from pdd_desktop.ui.pages.base import PageContext
from tests.conftest import DEMO_NOW
from tests.fixtures.exports import make_exports as mx

TODAY = date(2026, 11, 23)  #: DEMO_NOW's Beijing day
ALL_UNKNOWN = "订单文件和平台接口都不提供买家标识，无法统计买家数"
#: Orders of the demo template put in the file: the last 12 days, every status.
WHERE = f"created_at >= {DEMO_NOW - 12 * 86400}"


def _paid(db, first: date, last: date) -> list[tuple[int, str]]:
    """(order id, buyer_key) of the orders paid on Beijing days ``first`` … ``last``."""
    conn = sqlite3.connect(db)
    try:
        return conn.execute(
            'SELECT id, buyer_key FROM "order" WHERE paid_at >= ? AND paid_at < ?',
            (local_date_start(first), local_date_start(last + timedelta(days=1))),
        ).fetchall()
    finally:
        conn.close()


@pytest.fixture
def file_shop(empty_shop, demo_template, tmp_path):
    """A plain shop fed only by an order export file (no buyer identity on any order)."""
    clock.set_clock(lambda: DEMO_NOW)
    orders = mx.order_rows(demo_template, WHERE, limit=5000)
    path = mx.write(tmp_path / "orders.csv", mx.table(orders, "old"))
    imports.apply_import(imports.check_import_file(path))
    return empty_shop


@pytest.fixture
def mixed_shop(demo_shop):
    """The demo shop with 5 of today's paid orders and 7 of the earlier ones without buyer identity."""
    today = [i for i, _b in _paid(demo_shop.db_file, TODAY, TODAY)]
    earlier = [i for i, _b in _paid(demo_shop.db_file, TODAY - timedelta(days=29), TODAY - timedelta(days=1))]
    ids = today[:5] + earlier[:7]
    assert len(today) > 5 and len(earlier) > 7
    with write_transaction():
        marks = ",".join("?" * len(ids))
        database.execute_sql(f"UPDATE \"order\" SET buyer_key = '' WHERE id IN ({marks})", ids)
        aggregates.refresh_orders(database.connection(), ids)
    return demo_shop


@pytest.fixture
def shop(request):
    return request.getfixturevalue(request.param)


@pytest.fixture
def page_ctx(shop, qapp):
    return PageContext(ImmediateRunner(), AppEvents(), shop, shop_service.describe_shop(shop))


def _home(window):
    window.show_page("home")
    page = window.page("home")
    assert page.snapshot is not None
    return page


def _data(window):
    window.resize(1280, 800)
    window.show_page("data")
    page = window.page("data")
    assert page.overview is not None
    return page


@pytest.mark.parametrize("shop", ["file_shop"], indirect=True)
def test_a_file_fed_shop_shows_no_buyer_count_on_home_and_overview(window, shop, tmp_path):
    today = _paid(shop.db_file, TODAY, TODAY)
    week = _paid(shop.db_file, TODAY - timedelta(days=6), TODAY)
    assert len(today) >= 2 and all(b == "" for _i, b in week)  # several orders, none with a buyer

    page = _home(window)
    v = page.view
    for period, paid in (("today", today), ("last_7_days", week)):
        assert v.figure_labels[("orders", period)].text() == f"{len(paid):,}"
        label = v.figure_labels[("buyers", period)]
        assert label.text() == "—"  # not 1 (every order as one buyer), not 0
        assert label.toolTip() == ALL_UNKNOWN
    snap = page.snapshot
    assert (snap.today.buyers, snap.today.unknown_buyer_orders) == (0, len(today))

    data = _data(window)
    card = data.view.kpis["buyers"]
    thirty = _paid(shop.db_file, TODAY - timedelta(days=29), TODAY)
    assert data.view.kpis["orders"].value_label.text() == f"{len(thirty):,}"
    assert card.value_label.text() == "—"
    assert card.value_label.toolTip() == ALL_UNKNOWN
    assert "买家数" not in data.view.orders_chart.series  # no line of zeros
    assert "订单数" in data.view.orders_chart.series
    data.view.grab().save(str(tmp_path / "overview.png"))

    # 工作台 and 经营概况 agree exactly: today as a one-day range.
    ov = an.overview(first=TODAY, last=TODAY).total
    assert (ov.buyers, ov.unknown_buyer_orders) == (snap.today.buyers, snap.today.unknown_buyer_orders)

    # The overview report writes the known count (0) and says why.
    out = tmp_path / "overview.csv"
    table, _n = reports.write_report("overview", f"{TODAY - timedelta(days=29)}", f"{TODAY}", out)
    assert f"这些订单（{len(thirty)} 个）都没有买家身份" in table.note
    with open(out, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[-1][0] == "合计" and rows[-1][1] == str(len(thirty)) and rows[-1][4] == "0"
    assert all(r[4] == "0" for r in rows[1:-1])


@pytest.mark.parametrize("shop", ["mixed_shop"], indirect=True)
def test_a_mixed_shop_shows_the_known_buyers_and_the_orders_left_out(window, shop, tmp_path):
    today = _paid(shop.db_file, TODAY, TODAY)
    known_today = {b for _i, b in today if b}
    assert len(known_today) > 0 and sum(1 for _i, b in today if not b) == 5

    v = _home(window).view
    label = v.figure_labels[("buyers", "today")]
    assert label.text() == f"{len(known_today):,}"
    assert label.toolTip() == "另有 5 单没有买家标识，未计入"

    first = TODAY - timedelta(days=29)
    thirty = _paid(shop.db_file, first, TODAY)
    known = {b for _i, b in thirty if b}
    data = _data(window)
    card = data.view.kpis["buyers"]
    assert card.value_label.text() == f"{len(known):,}"
    assert card.value_label.toolTip() == "另有 12 单没有买家标识，未计入"
    assert sum(data.view.orders_chart.series["订单数"]) == len(thirty)
    assert "买家数" in data.view.orders_chart.series

    # 工作台's 今日 equals 经营概况 of today, buyers and orders left out alike.
    snap = home.home_snapshot(DEMO_NOW)
    ov = an.overview(first=TODAY, last=TODAY).total
    assert (ov.buyers, ov.unknown_buyer_orders) == (snap.today.buyers, snap.today.unknown_buyer_orders)
    assert (ov.buyers, ov.unknown_buyer_orders) == (len(known_today), 5)

    table, _n = reports.write_report("overview", f"{first}", f"{TODAY}", tmp_path / "o.csv")
    assert table.rows[-1][4] == len(known)
    assert "有 12 个订单没有买家身份" in table.note


@pytest.mark.parametrize("shop", ["demo_shop"], indirect=True)
def test_demo_figures_are_unchanged(window, shop):
    """Every demo order names its buyer: counts as before, no tooltip, no report note."""
    thirty = _paid(shop.db_file, TODAY - timedelta(days=29), TODAY)
    assert all(b for _i, b in thirty)
    today = _paid(shop.db_file, TODAY, TODAY)
    label = _home(window).view.figure_labels[("buyers", "today")]
    assert label.text() == f"{len({b for _i, b in today}):,}" and label.toolTip() == ""
    card = _data(window).view.kpis["buyers"]
    assert card.value_label.text() == f"{len({b for _i, b in thirty}):,}"
    assert card.value_label.toolTip() == ""
    ov = an.overview(first=TODAY - timedelta(days=29), last=TODAY)
    assert reports.overview_table(ov).note == ""
    assert all(r.unknown_buyer_orders == 0 for r in (*ov.rows, ov.total))


@pytest.mark.parametrize("grain", ["day", "week", "month"])
def test_mixed_shop_overview_buckets_count_known_buyers(mixed_shop, grain):
    """Every bucket (and the totals) against the raw rows: known buyers, orders left out."""
    first = TODAY - timedelta(days=89)
    ov = an.overview(first=first, last=TODAY, grain=grain)
    left_out = 0
    for row in (*ov.rows, ov.total):
        paid = _paid(mixed_shop.db_file, row.first, row.last)
        unknown = sum(1 for _i, b in paid if not b)
        assert (row.buyers, row.unknown_buyer_orders) == (len({b for _i, b in paid if b}), unknown), row.label
        left_out += unknown if row is not ov.total else 0
    assert left_out == ov.total.unknown_buyer_orders == 12


def _hot(qtbot, window):
    page = _data(window)
    with qtbot.waitSignal(page.view_shown, timeout=10000):
        page.view.tabs.setCurrentIndex(1)  # 商品分析: shown once its table is filled
    assert page.hot is not None
    return page


def _goods_paid(db, first: date, last: date) -> dict[int, set[int]]:
    """goods id → the ids of its orders paid on Beijing days ``first`` … ``last`` (plain sqlite3)."""
    conn = sqlite3.connect(db)
    try:
        rows = conn.execute(
            'SELECT i.goods_id, o.id FROM order_item i JOIN "order" o ON o.id = i.order_id '
            "WHERE o.paid_at >= ? AND o.paid_at < ?",
            (local_date_start(first), local_date_start(last + timedelta(days=1))),
        ).fetchall()
    finally:
        conn.close()
    out: dict[int, set[int]] = {}
    for g, oid in rows:
        out.setdefault(g, set()).add(oid)
    return out


@pytest.mark.parametrize("shop", ["file_shop"], indirect=True)
def test_a_file_fed_shop_shows_no_buyer_count_in_goods_analysis(qtbot, window, shop, tmp_path):
    page = _hot(qtbot, window)
    v = page.view
    first, last = TODAY - timedelta(days=29), TODAY
    sold = _goods_paid(shop.db_file, first, last)
    assert len(sold) >= 2
    headers = [v.rank_table.horizontalHeaderItem(c).text() for c in range(v.rank_table.columnCount())]
    col, orders_col = headers.index("买家数"), headers.index("订单数")
    assert v.rank_table.rowCount() == len(page._rank_items) == len(sold)
    for row, f in enumerate(page._rank_items):
        assert v.rank_table.item(row, orders_col).text() == str(len(sold[f.goods_id]))
        cell = v.rank_table.item(row, col)
        assert cell.text() == "—"  # people bought it; the files do not say who: not 0
        assert cell.toolTip() == ALL_UNKNOWN
    # Ranked by 买家数 there is nothing to draw: a message, not bars of zeros.
    v.metric_combo.setCurrentIndex(v.metric_combo.findData("buyers"))
    assert v.rank_chart.series == {} and "买家标识" in v.rank_chart.state_label.text()

    # The page's export and `pdd-desktop report hot-items` write "—" and say why.
    table = reports.hot_items_table(page.hot)
    b = table.header.index("买家数")
    assert {r[b] for r in table.rows} == {"—"} and len(table.rows) == len(sold)
    assert f"有 {len(sold)} 个商品的订单都没有买家身份" in table.note
    out = tmp_path / "hot.csv"
    written, n = reports.write_report("hot-items", first.isoformat(), last.isoformat(), out)
    with out.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    b = rows[0].index("买家数")
    assert n == len(sold) and {r[b] for r in rows[1 : 1 + n]} == {"—"}
    assert "没有买家身份" in written.note


@pytest.mark.parametrize("shop", ["demo_shop"], indirect=True)
def test_the_demo_shop_still_shows_buyer_numbers_in_goods_analysis(qtbot, window, shop):
    page = _hot(qtbot, window)
    v = page.view
    headers = [v.rank_table.horizontalHeaderItem(c).text() for c in range(v.rank_table.columnCount())]
    col = headers.index("买家数")
    conn = sqlite3.connect(shop.db_file)
    first, last = TODAY - timedelta(days=29), TODAY
    try:  # distinct buyers per goods over the raw rows
        buyers = dict(
            conn.execute(
                'SELECT i.goods_id, COUNT(DISTINCT o.buyer_key) FROM order_item i JOIN "order" o '
                "ON o.id = i.order_id WHERE o.paid_at >= ? AND o.paid_at < ? AND o.buyer_key != '' "
                "GROUP BY i.goods_id",
                (local_date_start(first), local_date_start(last + timedelta(days=1))),
            ).fetchall()
        )
    finally:
        conn.close()
    assert buyers and v.rank_table.rowCount() == len(page._rank_items) > 0
    for row, f in enumerate(page._rank_items):
        cell = v.rank_table.item(row, col)
        assert cell.text() == str(buyers[f.goods_id]) and cell.toolTip() == ""
    assert reports.hot_items_table(page.hot).note == ""
