"""推广 page: the demo shop's report arrives through the import, figures against the stored rows,
red marks, the N-day setting, range changes, a real shop's empty state; screenshots looked at.
"""

from __future__ import annotations

from fractions import Fraction

from PySide6.QtCore import Qt

from pdd_desktop.data.db import database
from pdd_desktop.domain import ad_report as adr
from pdd_desktop.jobs.events import AppEvents
from pdd_desktop.jobs.runner import ImmediateRunner
from pdd_desktop.services import ads
from pdd_desktop.services import shop as shop_service
from pdd_desktop.ui.pages.ads.page import AdsPage
from pdd_desktop.ui.pages.base import PageContext
from pdd_desktop.ui.theme import TOKENS
from tests.helpers.pages import page_fixture

page = page_fixture("ads", lambda p: p.current is not None, size=(1280, 800))


def _col(table, title: str) -> int:
    return next(c for c in range(table.columnCount()) if table.horizontalHeaderItem(c).text() == title)


def test_demo_shop_shows_its_imported_report_with_exact_roi_and_red_marks(page, tmp_path):
    v = page.view
    assert database.execute_sql("SELECT kind, state FROM import_batch").fetchall() == [("ads", "applied")]
    assert v.stack.isVisible() and not v.empty_label.isVisible()
    data = page.current
    # Each plan row on screen against the stored rows of the range, ROI to the fraction.
    first, last = (adr_day(d) for d in (data.first, data.last))
    table = v.plan_table
    assert table.rowCount() == len(data.plans) > 0
    roi_col, spend_col = _col(table, "ROI"), _col(table, "花费")
    for r, p in enumerate(data.plans):
        spend, gmv = database.execute_sql(
            "SELECT SUM(spend_fen), SUM(gmv_fen) FROM ad_report_row WHERE scene = ? AND plan_name = ? "
            "AND goods_id = ? AND day BETWEEN ? AND ?",
            (p.scene, p.plan_name, p.goods_id, first, last),
        ).fetchone()
        assert p.figures.roi == Fraction(gmv, spend)
        assert table.item(r, roi_col).text() == adr.round_half_up(Fraction(gmv, spend))
        assert table.item(r, spend_col).text().replace(",", "") == f"¥{spend // 100}.{spend % 100:02d}"
    # The demo has plans under 保本 ROI: red on screen, and the alert line says how many.
    marked = [r for r, p in enumerate(data.plans) if p.marked]
    assert marked and v.alert_label.isVisible()
    assert table.item(marked[0], 0).foreground().color().name() == TOKENS["danger"]
    assert f"{data.marked_plans} 个推广计划" in v.alert_label.text()
    page.grab().save(str(tmp_path / "ads_plans.png"))
    page.grab().save("/tmp/ads_plans.png")
    v.tabs.setCurrentIndex(1)
    assert v.stack.currentWidget() is v.goods_table and v.goods_table.rowCount() == len(data.goods)
    page.grab().save("/tmp/ads_goods.png")
    v.tabs.setCurrentIndex(2)
    assert v.day_table.rowCount() == len(data.days)


def adr_day(d):
    from pdd_desktop.data import aggregates as agg

    return agg.date_to_day(d)


def test_n_days_setting_and_range_change_reload(page, qtbot):
    v = page.view
    before = page.current.marked_plans
    v.days_spin.setValue(30)  # thirty days in a row under 保本: nothing in the demo is that bad
    assert ads.alert_days() == 30
    assert page.current.alert_days == 30 and page.current.marked_plans <= before
    assert not v.alert_label.isVisible() or page.current.marked_plans
    v.range_combo.setCurrentIndex(0)  # 近 7 天
    assert (page.current.last - page.current.first).days == 6
    assert v.day_table.rowCount() <= 7


def test_import_button_opens_the_import_window(page, qtbot):
    with qtbot.waitSignal(page.ctx.events.import_requested, timeout=1000):
        qtbot.mouseClick(page.view.import_button, Qt.MouseButton.LeftButton)


def test_a_real_shop_without_reports_says_how_to_get_one(qtbot, empty_shop, qapp):
    ctx = PageContext(ImmediateRunner(), AppEvents(), empty_shop, shop_service.describe_shop(empty_shop))
    p = AdsPage(ctx)
    qtbot.addWidget(p)
    p.resize(1100, 600)
    p.show()
    qtbot.waitUntil(lambda: p.current is not None)
    assert p.view.empty_label.isVisible() and not p.view.demo_button.isVisible()
    assert "报表下载" in p.view.empty_label.text()
    assert database.execute_sql("SELECT COUNT(*) FROM import_batch").fetchone()[0] == 0  # nothing invented
    p.grab().save("/tmp/ads_empty.png")


def test_import_window_previews_an_ad_report_and_imports_it(qtbot, empty_shop, tmp_path):
    from pdd_desktop.common import clock
    from pdd_desktop.ui.dialogs.import_dialog import ImportDialog
    from tests.services.test_ads import NOW, ROWS, _write

    clock.set_clock(lambda: NOW)
    path = _write(tmp_path / "推广商品.xlsx")
    dlg = ImportDialog(ImmediateRunner())
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.check_file(str(path))
    qtbot.waitUntil(lambda: dlg.check is not None)
    assert dlg.check.kind == "ads" and "推广数据行" in dlg.summary_label.text()
    headers = [
        dlg.preview_table.horizontalHeaderItem(c).text() for c in range(dlg.preview_table.columnCount())
    ]
    assert headers[1:4] == ["推广名称", "日期", "花费"]
    assert dlg.preview_table.rowCount() == len(ROWS)
    assert dlg.preview_table.item(0, 1).text() == ROWS[0][2]
    dlg.grab().save("/tmp/ads_import.png")


def test_shop_managed_spend_is_its_own_line_on_the_page(qtbot, empty_shop, tmp_path):
    from pdd_desktop.services import imports
    from tests.services.test_ads import ROWS, _shop
    from tests.services.test_ads_shop_managed import _file

    _shop()
    imports.apply_import(imports.check_import_file(_file(tmp_path / "r.xlsx", spend=5003)))
    ctx = PageContext(ImmediateRunner(), AppEvents(), empty_shop, shop_service.describe_shop(empty_shop))
    p = AdsPage(ctx)
    qtbot.addWidget(p)
    p.resize(1280, 700)
    p.show()
    qtbot.waitUntil(lambda: p.current is not None)
    v = p.view
    spend = sum(r[5] for r in ROWS) + 5003
    assert f"花费 ¥{spend // 100}.{spend % 100:02d}" in v.summary_label.text().replace(",", "")
    assert v.managed_label.isVisible()
    assert "全店托管（无商品明细）花费 ¥50.03" in v.managed_label.text()
    assert "2026-11-28 至 2026-11-30" in v.managed_label.text()
    last = v.plan_table.rowCount() - 1
    assert v.plan_table.rowCount() == len(p.current.plans) + 1
    assert v.plan_table.item(last, 0).text() == "全店托管（无商品明细）"
    assert v.plan_table.item(last, 3).text() == "¥50.03"
    p.grab().save("/tmp/ads_shop_managed.png")
    v.tabs.setCurrentIndex(2)
    # Three report days, then the 全店托管 line after its last day; day rows keep their own spend.
    texts = [v.day_table.item(r, 0).text() for r in range(v.day_table.rowCount())]
    assert texts == [
        "2026-11-28", "2026-11-29", "2026-11-30", "2026-11-28 至 2026-11-30 全店托管（无商品明细）",
    ]  # fmt: skip
    assert v.day_table.item(2, 1).text() == "¥47.94" and v.day_table.item(3, 1).text() == "¥50.03"
    p.grab().save("/tmp/ads_shop_managed_days.png")


def test_import_window_names_every_kind_from_the_registry(qtbot, monkeypatch):
    from pdd_desktop.services.imports import kinds
    from pdd_desktop.ui.dialogs.import_dialog import ImportDialog

    dlg = ImportDialog(ImmediateRunner())
    qtbot.addWidget(dlg)
    assert (
        "订单文件、商品库存表、推广报表、活动报名记录、账单、店铺客服数据或客服绩效" in dlg.drop_label.text()
    )
    # A kind added to the registry is listed without editing the window.
    extra = kinds.ImportKind("extra", "测试表", "测试表（含 测试列）", lambda h: False)
    monkeypatch.setattr(kinds, "KINDS", (*kinds.KINDS, extra))
    dlg2 = ImportDialog(ImmediateRunner())
    qtbot.addWidget(dlg2)
    assert (
        "订单文件、商品库存表、推广报表、活动报名记录、账单、店铺客服数据、客服绩效或测试表"
        in dlg2.drop_label.text()
    )
