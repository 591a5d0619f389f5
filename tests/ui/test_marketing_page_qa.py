"""营销 page as a merchant reads it (QA round): a plan's coupon row and the like-for-like 变化."""

from __future__ import annotations

from pdd_desktop.services import marketing as svc
from tests.conftest import DEMO_NOW
from tests.helpers.pages import page_fixture

page = page_fixture("marketing", lambda p: p.data is not None, size=(1280, 800))
DAY = 86400


def _col(table, title: str) -> int:
    return next(c for c in range(table.columnCount()) if table.horizontalHeaderItem(c).text() == title)


def test_shop_coupon_plan_row_and_its_results(qtbot, page):
    svc.create_coupon(
        kind="shop", name="满49减5", discount_fen=500, min_order_fen=4900, quantity=900,
        start_at=DEMO_NOW - 40 * DAY, end_at=DEMO_NOW + 30 * DAY,
    )  # fmt: skip
    page.refresh()
    v = page.view
    qtbot.waitUntil(lambda: v.coupon_table.rowCount() == 1)
    t = v.coupon_table
    # A shop coupon is for the whole shop; a plan's 已用 is not known here (not a false 0).
    assert t.item(0, _col(t, "商品")).text() == "全店商品"
    assert t.item(0, _col(t, "已用/发行")).text() == "— / 900"
    (res,) = page.data.results
    r = v.result_table
    assert r.item(0, _col(r, "本期商品成交额")).text().replace(",", "") == (
        f"¥{res.period.gmv_fen // 100}.{res.period.gmv_fen % 100:02d}"
    )
    change = (res.period.gmv_fen - res.previous.gmv_fen) / res.previous.gmv_fen
    assert r.item(0, _col(r, "变化")).text() == f"{change * 100:+.1f}%"
    v.tabs.setCurrentIndex(3)
    page.grab().save("/tmp/marketing_results_qa.png")
