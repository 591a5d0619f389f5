"""工作台: every counter and figure checked against numbers computed independently here."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import Qt

from tests.conftest import DEMO_NOW
from tests.helpers.db import raw_rows as _rows

BJ = ZoneInfo("Asia/Shanghai")
H = 3600


def expected_counters(db, now, near_h=6, warn_h=12, no_pickup_h=24, stalled_h=48):
    """Recount in Python from plain rows, without the app's SQL."""
    orders = _rows(db, 'SELECT status, ship_deadline_at, pending_ops FROM "order"')
    to_ship = [d for s, d, _ in orders if s == 1]
    cases = _rows(db, "SELECT status, expire_at FROM after_sale")
    waiting = [e for s, e in cases if s in (2, 3, 14, 21, 32, 33)]
    skus = _rows(
        db,
        "SELECT s.stock, s.low_stock_threshold, s.is_onsale, g.is_onsale FROM sku s, goods g "
        "WHERE s.goods_id = g.goods_id",
    )
    packages = _rows(
        db,
        "SELECT voided_at, signed_at, kind, is_exception, first_scan_at, shipped_at, last_event_at "
        "FROM package",
    )

    def problem(p):
        voided, signed, kind, exc, first_scan, shipped, last_event = p
        if voided is not None or signed is not None or kind == "none":
            return False
        stalled = (last_event if last_event is not None else shipped) < now - stalled_h * H
        no_pickup = first_scan is None and shipped < now - no_pickup_h * H
        return bool(exc) or stalled or no_pickup

    return {
        "to_ship": len(to_ship),
        "near_deadline": sum(1 for d in to_ship if now <= d < now + near_h * H),
        "overdue": sum(1 for d in to_ship if d < now),
        "after_sales_waiting": len(waiting),
        "after_sales_near_deadline": sum(1 for e in waiting if e is not None and e < now + warn_h * H),
        "low_stock": sum(1 for st, th, on, gon in skus if on and gon and st <= th),
        "logistics_problems": sum(1 for p in packages if problem(p)),
        "unread_messages": _rows(db, "SELECT COUNT(*) FROM message WHERE read_at IS NULL")[0][0],
        "pending_upload": sum(1 for *_, p in orders if p > 0),
    }


def expected_period(db, start, end):
    paid = [
        r for r in _rows(db, 'SELECT paid_at, pay_amount_fen, buyer_key FROM "order"') if r[0] is not None
    ]
    inside = [r for r in paid if start <= r[0] < end]
    refunds = [
        amt
        for closed, st, amt in _rows(db, "SELECT closed_at, status, refund_amount_fen FROM after_sale")
        if closed is not None and st == 10 and start <= closed < end
    ]
    gmv = sum(r[1] for r in inside)
    return len(inside), gmv, len({r[2] for r in inside if r[2]}), len(refunds), sum(refunds)  # known buyers


def yuan(fen):
    return f"¥{fen // 100:,}.{fen % 100:02d}"


@pytest.fixture
def home_page(window):
    return window.page("home")


def test_every_counter_matches_an_independent_count(home_page, demo_shop):
    expected = expected_counters(demo_shop.db_file, DEMO_NOW)
    shown = {key: int(btn.value_text.replace(",", "")) for key, btn in home_page.view.counters.items()}
    assert shown == expected
    # The demo shop must exercise the counters, or this test proves little.
    for key in ("to_ship", "near_deadline", "overdue", "after_sales_waiting", "low_stock", "unread_messages"):
        assert expected[key] > 0, key


def test_period_figures_match_an_independent_sum(home_page, demo_shop):
    now_bj = datetime.fromtimestamp(DEMO_NOW, BJ)
    midnight = now_bj.replace(hour=0, minute=0, second=0, microsecond=0)
    periods = {
        "today": (midnight, now_bj + timedelta(seconds=1)),
        "yesterday": (midnight - timedelta(days=1), midnight),
        "last_7_days": (midnight - timedelta(days=6), now_bj + timedelta(seconds=1)),
    }
    labels = home_page.view.figure_labels
    for period, (start, end) in periods.items():
        orders, gmv, buyers, refunds, refund_fen = expected_period(
            demo_shop.db_file, int(start.timestamp()), int(end.timestamp())
        )
        assert labels[("orders", period)].text() == f"{orders:,}"
        assert labels[("gmv", period)].text() == yuan(gmv)
        assert labels[("buyers", period)].text() == f"{buyers:,}"
        aov = (gmv * 2 + orders) // (2 * orders) if orders else 0
        assert labels[("aov", period)].text() == yuan(aov)
        assert labels[("refunds", period)].text() == f"{refunds:,} 笔 / {yuan(refund_fen)}"
    assert labels[("orders", "last_7_days")].text() != "0"


def test_counter_click_asks_to_open_the_filtered_list(qtbot, home_page):
    with qtbot.waitSignal(home_page.counter_activated) as blocker:
        qtbot.mouseClick(home_page.view.counters["overdue"], Qt.MouseButton.LeftButton)
    assert blocker.args == ["overdue"]


def test_home_shows_demo_shop_and_sync_state(home_page, window):
    assert "演示店铺" in home_page.view.shop_label.text()
    # Spec change (issue 14): home no longer claims 未连接拼多多平台 on its own; the connection
    # state is the status bar's, and the line below it names the last finished sync.
    assert "还没有完成过同步" in home_page.view.sync_label.text()
    assert "未连接" not in home_page.view.sync_label.text()
    assert home_page.view.updated_label.text().startswith("更新于")


def test_home_and_status_bar_show_one_sync_state(qtbot, window, home_page, page_ctx):
    page_ctx.events.sync_status_changed.emit("同步中：正在连接平台…")
    assert window.sync_label.text() == "同步中：正在连接平台…"
    assert home_page.view.sync_status_label.text() == "同步状态：同步中：正在连接平台…"
    assert home_page.view.sync_status_label.isVisible()
    page_ctx.events.sync_status_changed.emit("已同步 · 平台时间 20:00")
    assert home_page.view.sync_status_label.text() == "同步状态：已同步 · 平台时间 20:00"
    assert window.sync_label.text() == "已同步 · 平台时间 20:00"


def test_a_page_built_later_shows_the_current_sync_state(qtbot, window, page_ctx):
    page_ctx.events.sync_status_changed.emit("同步中：订单")
    window.show_page("settings")
    window.show_page("home")
    assert window.page("home").view.sync_status_label.text() == "同步状态：同步中：订单"


def test_unread_messages_opens_the_inbox_on_the_unread(qtbot, window, home_page, page_ctx):
    # Spec change (issue 17): 站内信 exists, so 未读消息 is a button again, like the others.
    assert "messages" in window.page_keys()
    counter = home_page.view.counters["unread_messages"]
    unread = _rows(page_ctx.shop.db_file, "SELECT COUNT(*) FROM message WHERE read_at IS NULL")[0][0]
    assert counter.clickable and counter.value_text == str(unread)
    assert counter.cursor().shape() == Qt.CursorShape.PointingHandCursor
    qtbot.mouseClick(counter, Qt.MouseButton.LeftButton)
    assert window.current_key() == "messages"
    inbox = window.page("messages")
    assert inbox.view.unread_only.isChecked() and inbox.current_category() is None
    assert inbox.model.rowCount() == unread
    overdue = home_page.view.counters["overdue"]
    assert overdue.clickable and overdue.cursor().shape() == Qt.CursorShape.PointingHandCursor


def test_figures_span_the_card(qtbot, window, home_page):
    window.resize(1280, 800)
    qtbot.wait(10)
    card = home_page.view.figure_labels[("orders", "today")].parentWidget()
    last = home_page.view.figure_labels[("orders", "last_7_days")]
    right_edge = last.mapTo(card, last.rect().topRight()).x()
    assert right_edge > card.width() * 0.9
    first = home_page.view.figure_labels[("orders", "today")]
    assert first.mapTo(card, first.rect().topRight()).x() > card.width() * 0.3


def test_after_sales_and_low_stock_counters_open_their_modules(qtbot, window, home_page):
    waiting = home_page.view.counters["after_sales_waiting"].value_text
    qtbot.mouseClick(home_page.view.counters["after_sales_waiting"], Qt.MouseButton.LeftButton)
    assert window.current_key() == "after_sales"
    cases = window.page("after_sales")
    assert cases.current_tab() == "waiting_me"
    assert cases.view.tabs.tabText(cases.view.tabs.currentIndex()).endswith(waiting)
    window.show_page("home")
    qtbot.mouseClick(home_page.view.counters["low_stock"], Qt.MouseButton.LeftButton)
    assert window.current_key() == "goods" and window.page("goods").current_view() == "low_stock"
