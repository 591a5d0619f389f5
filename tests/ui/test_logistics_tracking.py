"""物流概况 and 物流异常 by tracking state: 未查询 parcels, courier exceptions, file-route shops."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from pdd_desktop.jobs.runner import ImmediateRunner
from pdd_desktop.services import home
from pdd_desktop.services import logistics as svc
from pdd_desktop.services.settings import update_settings
from pdd_desktop.ui.pages.orders.logistics import LogisticsOverviewView
from pdd_desktop.ui.theme import apply_theme
from tests.services import test_logistics as hand_built
from tests.services.test_logistics import DAY, HOUR, NOW, _order, _package


@pytest.fixture
def shop(empty_shop):
    """An empty shop with the couriers, its clock at NOW (as the hand-built logistics cases)."""
    return hand_built.shop.__wrapped__(empty_shop)


def _view(qtbot, qapp) -> LogisticsOverviewView:
    apply_theme(qapp)
    w = LogisticsOverviewView(ImmediateRunner())
    qtbot.addWidget(w)
    w.resize(1100, 700)
    w.show()
    with qtbot.waitSignal(w.shown):
        w.refresh()
    return w


def _parcels():
    """One parcel per situation, all shipped three days ago and unsigned."""
    formed = NOW - 4 * DAY
    shipped = NOW - 3 * DAY
    never = _package([_order(formed)], shipped, trace_fetched_at=None)  # 未查询
    lost = _package([_order(formed)], shipped)  # fetched at NOW: no scan in 72 h
    early = _package([_order(formed)], shipped, trace_fetched_at=shipped + HOUR)  # fetched too early to tell
    refused = _package(
        [_order(formed)], shipped, first_scan_at=shipped + HOUR, last_event_at=NOW - HOUR, is_exception=1
    )
    moving = _package([_order(formed)], shipped, first_scan_at=shipped + HOUR, last_event_at=NOW - HOUR)
    return never, lost, early, refused, moving


def test_unqueried_parcels_are_not_counted(shop, qtbot, qapp):
    update_settings(sync_mode="api")
    _never, lost, _early, refused, _moving = _parcels()
    ov = svc.logistics_overview(start=NOW - 7 * DAY, end=NOW + 1)
    assert ov.tracking.tracked
    t = ov.totals
    assert (t.parcels, t.unqueried, t.no_pickup, t.stalled, t.exception) == (5, 1, 1, 1, 1)
    assert [p.package_id for p in svc.problem_parcels("exception")] == [refused.id]
    assert [p.package_id for p in svc.problem_parcels("no_pickup")] == [lost.id]
    snap = home.home_snapshot(NOW)
    assert snap.logistics_problems == 2 and snap.unqueried_parcels == 1

    w = _view(qtbot, qapp)
    assert w.tracking_label.isVisible() and "1 个在途包裹尚未查询物流轨迹" in w.tracking_label.text()
    assert w.cards["exception"].value_text == "1"
    with qtbot.waitSignal(w.problems_shown):
        qtbot.mouseClick(w.cards["exception"], Qt.MouseButton.LeftButton)
    assert w.problem_table.rowCount() == 1 and "快递异常" in w.problem_title.text()
    assert w.courier_table.item(0, 6).text() == "1"
    w.grab().save("/tmp/logistics_tracked.png")


def test_file_route_shop_shows_why_and_no_alarms(shop, qtbot, qapp):
    _parcels()
    state = svc.tracking_state()
    assert not state.tracked and state.reason == svc.UNTRACKED_REASON
    snap = home.home_snapshot(NOW)
    assert not snap.logistics_tracking.tracked

    w = _view(qtbot, qapp)
    assert w.tracking_label.isVisible()
    assert w.tracking_label.text().startswith("未连接拼多多开放平台，无法查询物流轨迹")
    for key in ("no_pickup", "stalled", "exception"):
        assert w.cards[key].value_text == "—" and not w.cards[key].isEnabled()
        assert w.cards[key].property("alert") != "true"
    assert [w.courier_table.item(0, c).text() for c in (4, 5, 6)] == ["—", "—", "—"]
    w.courier_table.cellClicked.emit(0, 5)
    assert w.problem_table.rowCount() == 0
    w.grab().save("/tmp/logistics_file_route.png")


@pytest.mark.parametrize("mode", ["off"])
def test_sync_off_says_so(shop, mode):
    update_settings(sync_mode=mode)
    assert svc.tracking_state() == svc.TrackingState(False, "同步已关闭，无法查询物流轨迹")


def test_home_counter_of_a_file_route_shop_is_not_a_problem_count(qtbot, window, demo_shop):
    from tests.helpers.db import q

    q("UPDATE shop SET mall_id = NULL")
    q("DELETE FROM setting WHERE key = 'demo_origin'")
    window.show_page("home")
    page = window.page("home")
    with qtbot.waitSignal(page.snapshot_shown, timeout=5000):
        page.refresh()
    button = page.view.counters["logistics_problems"]
    assert button.value_text == "—" and button.toolTip() == svc.UNTRACKED_REASON
    assert button.property("alert") != "true"


def test_order_detail_says_when_the_trace_was_fetched(shop):
    from pdd_desktop.common.timefmt import format_ts
    from pdd_desktop.services import orders as orders_svc
    from pdd_desktop.ui.pages.orders.detail import render_detail

    never = _order(NOW - 4 * DAY)
    _package([never], NOW - 3 * DAY, trace_fetched_at=None)
    fetched = _order(NOW - 4 * DAY)
    _package([fetched], NOW - 3 * DAY, trace_fetched_at=NOW - HOUR)
    assert "物流轨迹未查询" in render_detail(orders_svc.order_detail(never.id))
    html = render_detail(orders_svc.order_detail(fetched.id))
    assert f"轨迹更新于 {format_ts(NOW - HOUR, '%m-%d %H:%M')}" in html and "未查询" not in html
