"""售后 with many cases: the first screen comes first (most urgent), the rest right after; finished
tabs list the newest LIST_LIMIT with the total said."""

from __future__ import annotations

import pytest

from pdd_desktop.data.db import database
from pdd_desktop.services import after_sales as svc
from pdd_desktop.ui.pages.after_sales.page import DEFER_ROWS, FIRST_ROWS, AfterSalesPage, countdown_key
from tests.conftest import DEMO_NOW
from tests.helpers.db import q
from tests.helpers.pages import page_fixture

page = page_fixture("after_sales", lambda p: isinstance(p, AfterSalesPage), size=(1280, 800))


def copy_cases(status: int, n: int, *, deadline: bool) -> None:
    """``n`` more cases in ``status``, each on a copy of an order (deadlines spread over two days)."""
    ((oid,),) = q("SELECT MIN(order_id) FROM after_sale")
    order_cols = [
        r[1] for r in database.execute_sql('PRAGMA table_info("order")') if r[1] not in ("id", "order_sn")
    ]
    oc = ", ".join(f'"{c}"' for c in order_cols)
    next_order = q('SELECT MAX(id) FROM "order"')[0][0] + 1
    next_case = q("SELECT MAX(id) FROM after_sale")[0][0] + 1
    for k in range(n):
        database.execute_sql(
            f'INSERT INTO "order" (id, order_sn, {oc}) SELECT ?, ?, {oc} FROM "order" WHERE id = ?',
            (next_order + k, f"991231-{next_order + k:015d}", oid),
        )
        expire = DEMO_NOW + 600 + (k * 7919) % 172_800 if deadline else None
        database.execute_sql(
            "INSERT INTO after_sale (id, order_id, type, status, reason, buyer_remark, refund_amount_fen, "
            "quantity, return_tracking_number, return_shipping_name, created_at, expire_at, closed_at) "
            "VALUES (?, ?, 1, ?, '不想要了', '', 100, 1, '', '', ?, ?, ?)",
            (next_case + k, next_order + k, status, DEMO_NOW - 86_400 - k, expire,
             None if deadline else DEMO_NOW - k),
        )  # fmt: skip


def ids_shown(page) -> list[int | None]:
    return [page.case_id_at(r) for r in range(page.view.table.rowCount())]


def test_a_long_waiting_list_shows_the_most_urgent_screen_first(qtbot, page):
    copy_cases(2, DEFER_ROWS + 50, deadline=True)
    page.refresh()
    rows = sorted(page.cases.rows, key=countdown_key)
    assert len(rows) > DEFER_ROWS
    shown = ids_shown(page)
    assert shown[:FIRST_ROWS] == [r.id for r in rows[:FIRST_ROWS]]
    assert shown[FIRST_ROWS:] == [None] * (len(rows) - FIRST_ROWS)  # not yet: after the first paint
    qtbot.waitUntil(lambda: None not in ids_shown(page))
    assert ids_shown(page) == [r.id for r in rows]
    assert page.view.table.isSortingEnabled()
    # a refresh before the rest arrived drops the older rest
    page.refresh()
    page.refresh()
    qtbot.waitUntil(lambda: None not in ids_shown(page))
    assert ids_shown(page) == [r.id for r in rows]


@pytest.fixture
def small_limit(monkeypatch):
    monkeypatch.setattr(svc, "LIST_LIMIT", 30)


def test_finished_tabs_list_the_newest_and_say_the_total(qtbot, page, small_limit):
    copy_cases(10, 40, deadline=False)
    done = svc.list_cases(tab="done")
    assert done.capped and len(done.rows) == 30 and done.total == done.counts["done"] > 30
    newest = q("SELECT id FROM after_sale WHERE status = 10 ORDER BY created_at DESC, id DESC LIMIT 30")
    assert [r.id for r in done.rows] == [i for (i,) in newest]
    assert not svc.list_cases(tab="waiting_me").capped
    page.show_tab("done")
    text = page.view.count_label.text()
    assert text == f"最近 30 单 / 共 {done.total:,} 单"
    assert "更早的请按订单号或售后单号搜索" in page.view.count_label.toolTip()
    page.window().grab().save("/tmp/as18_capped.png")
    # the search still finds an older case
    (old,) = q("SELECT id FROM after_sale WHERE status = 10 ORDER BY created_at, id LIMIT 1")[0]
    found = svc.list_cases(tab="done", search=str(old))
    assert [r.id for r in found.rows] == [old] and not found.capped
