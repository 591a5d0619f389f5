"""售后 and 商品 on a real shop that starts empty: what to do is said, nothing pointless is written."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from pdd_desktop.domain.errors import NotAllowed
from pdd_desktop.jobs.events import AppEvents
from pdd_desktop.jobs.runner import ImmediateRunner
from pdd_desktop.services import goods_export
from pdd_desktop.services import shop as shop_service
from pdd_desktop.ui.main_window import MainWindow
from pdd_desktop.ui.pages.base import PageContext


@pytest.fixture
def empty_window(qtbot, empty_shop, qapp, qsettings):
    ctx = PageContext(ImmediateRunner(), AppEvents(), empty_shop, shop_service.describe_shop(empty_shop))
    win = MainWindow(ctx, qsettings)
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    qtbot.waitExposed(win)
    return win


def test_empty_after_sales_says_where_cases_come_from(qtbot, empty_window):
    empty_window.show_page("after_sales")
    page = empty_window.page("after_sales")
    label = page.view.empty_label
    assert label.isVisible()
    assert "还没有售后单" in label.text() and "同步" in label.text()
    page.view.search_edit.setText("123")  # a search that finds nothing is not an empty shop
    qtbot.waitUntil(lambda: not label.isVisible(), timeout=3000)


def test_demo_after_sales_has_no_empty_text(window):
    window.show_page("after_sales")
    assert not window.page("after_sales").view.empty_label.isVisible()


def test_empty_goods_says_how_to_get_goods(qtbot, empty_window):
    empty_window.show_page("goods")
    page = empty_window.page("goods")
    label = page.view.empty_label
    assert label.isVisible()
    assert "还没有商品" in label.text() and "导入商品表" in label.text()
    page.view.search_edit.setText("没有这个商品")
    qtbot.waitUntil(lambda: not label.isVisible(), timeout=3000)


def test_demo_goods_has_no_empty_text(window):
    window.show_page("goods")
    assert not window.page("goods").view.empty_label.isVisible()


def test_export_without_goods_says_so_and_writes_no_file(qtbot, empty_window, tmp_path, monkeypatch):
    empty_window.show_page("goods")
    page = empty_window.page("goods")
    asked = []
    monkeypatch.setattr(page, "choose_export_path", lambda: asked.append(1) or str(tmp_path / "x.csv"))
    qtbot.mouseClick(page.view.export_button, Qt.MouseButton.LeftButton)
    assert not asked and not (tmp_path / "x.csv").exists()
    assert page.view.message_label.text() == "店铺还没有商品，没有可导出的内容；请先导入商品表或同步"


def test_export_service_refuses_an_empty_shop(empty_shop, tmp_path):
    with pytest.raises(NotAllowed, match="还没有商品"):
        goods_export.export_goods(tmp_path / "x.csv")
    assert not (tmp_path / "x.csv").exists()


def test_count_sheet_template_round_trip_applies_exact_differences(qtbot, window, tmp_path, monkeypatch):
    """导出盘点表 → fill two counts, delete the other rows → 盘点导入 shows and applies exactly those."""
    import csv

    from tests.helpers.db import one, q
    from tests.services.test_import_goods import write_sheet

    window.show_page("goods")
    page = window.page("goods")
    path = tmp_path / "盘点.csv"
    monkeypatch.setattr(page, "choose_count_sheet_path", lambda: str(path))
    qtbot.mouseClick(page.view.count_sheet_button, Qt.MouseButton.LeftButton)
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == ["样式ID", "商家编码-规格维度", "商品名称", "商品规格", "账面库存", "盘点数量"]
    assert len(rows) - 1 == one("SELECT COUNT(*) FROM sku")[0]
    assert "盘点表" in page.view.message_label.text()
    by_id = {int(r[0]): r for r in rows[1:]}
    (a, stock_a), (b, stock_b) = q("SELECT sku_id, stock FROM sku WHERE stock > 3 ORDER BY sku_id LIMIT 2")
    assert int(by_id[a][4]) == stock_a and by_id[a][5] == ""
    filled = [rows[0], [*by_id[a][:5], str(stock_a - 3)], [*by_id[b][:5], str(stock_b)]]
    write_sheet(path, filled)
    monkeypatch.setattr(page, "choose_stocktake_path", lambda: str(path))
    qtbot.mouseClick(page.view.stocktake_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.stocktake_dialog is not None)
    dlg = page.stocktake_dialog
    assert dlg.table.rowCount() == 1
    qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    assert one("SELECT stock FROM sku WHERE sku_id = ?", a)[0] == stock_a - 3
    assert one("SELECT stock FROM sku WHERE sku_id = ?", b)[0] == stock_b
    assert q("SELECT sku_id, delta FROM stock_movement WHERE kind = 'stocktake'") == [(a, -3)]


def test_count_sheet_without_goods_says_so(qtbot, empty_window, tmp_path, monkeypatch):
    empty_window.show_page("goods")
    page = empty_window.page("goods")
    monkeypatch.setattr(page, "choose_count_sheet_path", lambda: str(tmp_path / "c.csv"))
    qtbot.mouseClick(page.view.count_sheet_button, Qt.MouseButton.LeftButton)
    assert not (tmp_path / "c.csv").exists()
    assert "无法生成盘点表" in page.view.message_label.text()
