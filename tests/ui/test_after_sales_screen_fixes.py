"""售后 list: most urgent first by default, goods named as in 发货中心."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from pdd_desktop.services import orders
from pdd_desktop.ui.pages.after_sales.view import COLUMN_INDEX
from tests.helpers.db import q
from tests.helpers.pages import page_fixture

page = page_fixture("after_sales", lambda p: p.cases is not None, size=(1280, 800))


def _case_ids(page) -> list[int]:
    return [page.case_id_at(r) for r in range(page.view.table.rowCount())]


def test_most_urgent_case_comes_first_and_other_sorts_still_work(qtbot, page):
    deadlines = dict(q("SELECT id, expire_at FROM after_sale"))
    waiting = _case_ids(page)
    assert len(waiting) >= 2
    expected = sorted(waiting, key=lambda cid: (deadlines[cid], cid))
    assert _case_ids(page) == expected
    assert page.view.table.horizontalHeader().sortIndicatorSection() == COLUMN_INDEX["countdown"]
    # 全部: cases with a deadline first (soonest first), then the others newest first.
    tabs = page.view.tabs
    tabs.setCurrentIndex(next(i for i in range(tabs.count()) if tabs.tabData(i) == "all"))
    ids = _case_ids(page)
    rows = {row.id: row for row in page.cases.rows}
    with_deadline = [cid for cid in ids if rows[cid].deadline_at is not None]
    assert ids[: len(with_deadline)] == sorted(with_deadline, key=lambda cid: (rows[cid].deadline_at, cid))
    rest = ids[len(with_deadline) :]
    assert rest == sorted(rest, key=lambda cid: (-rows[cid].created_at, -cid)) and rest
    # A click on 申请时间 sorts by it.
    header = page.view.table.horizontalHeader()
    x = header.sectionViewportPosition(COLUMN_INDEX["created"]) + 5
    QTest.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    by_created = _case_ids(page)
    times = [rows[cid].created_at for cid in by_created]
    assert times == sorted(times) or times == sorted(times, reverse=True)
    assert by_created != ids


def test_goods_are_named_like_the_order_list(page):
    tabs = page.view.tabs
    tabs.setCurrentIndex(next(i for i in range(tabs.count()) if tabs.tabData(i) == "all"))
    single_line = {
        oid
        for (oid,) in q(
            "SELECT a.order_id FROM after_sale a WHERE (SELECT COUNT(*) FROM order_item i "
            "WHERE i.order_id = a.order_id) = 1"
        )
    }
    checked = 0
    for case in page.cases.rows:
        if case.order_id not in single_line:
            continue
        (order_row,) = orders.rows_for_ids([case.order_id])
        quantity = q("SELECT quantity FROM after_sale WHERE id = ?", case.id)[0][0]
        name_and_spec = order_row.items_summary.rsplit("×", 1)[0]
        assert case.goods == f"{name_and_spec}×{quantity}"
        r = page.row_of_case(case.id)
        assert page.view.table.item(r, COLUMN_INDEX["goods"]).text() == case.goods
        checked += 1
    assert checked >= 10
