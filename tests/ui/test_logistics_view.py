import pytest
from PySide6.QtCore import Qt

from pdd_desktop.common.timefmt import local_day_start
from pdd_desktop.jobs.runner import ImmediateRunner
from pdd_desktop.services import logistics as svc
from pdd_desktop.ui.pages.orders.logistics import (
    EMPTY_TEXT,
    LogisticsOverviewView,
    format_hours_minutes,
    format_share,
)
from pdd_desktop.ui.theme import apply_theme
from tests.conftest import DEMO_NOW


@pytest.fixture
def view(qtbot, demo_shop, qapp):
    apply_theme(qapp)
    w = LogisticsOverviewView(ImmediateRunner())
    qtbot.addWidget(w)
    w.resize(1000, 700)
    w.show()
    with qtbot.waitSignal(w.shown):
        w.refresh()
    return w


def _expected(days: int) -> svc.LogisticsOverview:
    return svc.logistics_overview(start=local_day_start(DEMO_NOW, days - 1), end=DEMO_NOW + 1, now=DEMO_NOW)


def test_formatting():
    assert format_hours_minutes(26 * 3600 + 5 * 60 + 59) == "26小时5分"
    assert format_hours_minutes(None) == "—"
    assert format_share(0.0301) == "3.0%"
    assert format_share(None) == "—"


def test_cards_and_courier_table_show_the_service_figures(view):
    ov = _expected(30)
    assert view.period_combo.currentText() == "近30天"
    assert view.overview == ov
    t = ov.totals
    assert view.cards["avg_ship"].value_text == format_hours_minutes(t.avg_ship_seconds)
    assert view.cards["late_share"].value_text == format_share(t.late_share)
    assert view.cards["no_pickup"].value_text == f"{t.no_pickup:,}"
    assert view.cards["stalled"].value_text == f"{t.stalled:,}"
    table = view.courier_table
    assert table.rowCount() == len(ov.by_courier)
    for r, row in enumerate(ov.by_courier):
        f = row.figures
        assert [table.item(r, c).text() for c in range(6)] == [
            row.courier_name,
            f"{f.parcels:,}",
            format_hours_minutes(f.avg_ship_seconds),
            format_share(f.late_share),
            f"{f.no_pickup:,}",
            f"{f.stalled:,}",
        ]
    assert view.chart.parcels == [d.figures.parcels for d in ov.by_day]
    assert not view.empty_label.isVisible()


def test_changing_the_period_requeries(view, qtbot):
    with qtbot.waitSignal(view.shown):
        view.period_combo.setCurrentIndex(0)
    ov = _expected(7)
    assert view.overview == ov
    assert len(view.chart.parcels) == 7
    assert view.cards["stalled"].value_text == f"{ov.totals.stalled:,}"
    with qtbot.waitSignal(view.shown):
        view.period_combo.setCurrentIndex(2)
    assert view.overview == _expected(90)
    assert len(view.chart.parcels) == 90


def test_clicking_a_kpi_lists_problem_parcels(view, qtbot):
    ov = view.overview
    assert ov.totals.stalled > 0
    with qtbot.waitSignal(view.problems_shown):
        qtbot.mouseClick(view.cards["stalled"], Qt.MouseButton.LeftButton)
    expected = svc.problem_parcels("stalled", start=ov.start, end=ov.end, now=ov.now)
    assert view.problem_table.rowCount() == len(expected) == min(ov.totals.stalled, 500)
    assert view.problem_table.item(0, 2).text() == expected[0].tracking_number
    assert view.problem_table.item(0, 6).text() == expected[0].receiver_phone_mask
    assert "*" in view.problem_table.item(0, 6).text()
    assert "物流停滞" in view.problem_title.text()
    view.grab().save("/tmp/logistics.png")


def test_clicking_a_courier_cell_lists_its_parcels(view, qtbot):
    ov = view.overview
    r = next(i for i, row in enumerate(ov.by_courier) if row.figures.stalled)
    row = ov.by_courier[r]
    with qtbot.waitSignal(view.problems_shown):
        view.courier_table.cellClicked.emit(r, 5)
    assert view.problem_table.rowCount() == row.figures.stalled
    assert {view.problem_table.item(i, 1).text() for i in range(view.problem_table.rowCount())} == {
        row.courier_name
    }
    assert row.courier_name in view.problem_title.text()
    # A click on a column without a list does nothing.
    view.courier_table.cellClicked.emit(r, 1)
    assert view.problem_table.rowCount() == row.figures.stalled


def test_empty_period(qtbot, empty_shop, qapp):
    w = LogisticsOverviewView(ImmediateRunner())
    qtbot.addWidget(w)
    w.show()
    with qtbot.waitSignal(w.shown):
        w.refresh()
    assert w.empty_label.isVisible() and w.empty_label.text() == EMPTY_TEXT
    assert not w.content.isVisible()
    assert all(card.value_text == "—" for card in w.cards.values())
