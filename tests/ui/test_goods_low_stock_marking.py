"""商品: a low variant is marked on its own row, not on the goods' total available stock."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from pdd_desktop.ui.pages.goods.page import GOODS_COLUMNS
from pdd_desktop.ui.pages.goods.view import SKU_HEADERS
from pdd_desktop.ui.theme import TOKENS
from tests.helpers.pages import page_fixture

COL = {c.key: i for i, c in enumerate(GOODS_COLUMNS)}
SKU_COL = {h: i for i, h in enumerate(SKU_HEADERS)}
page = page_fixture("goods", lambda p: p.model.rows, size=(1280, 800))


def test_low_variant_marks_the_variant_not_the_total(qtbot, page):
    model = page.model
    mixed = [r for r in model.rows if 0 < r.low_sku_count < r.sku_count]
    assert mixed, "the demo shop has goods with one low variant among others"
    goods = mixed[0]
    row = model.position_of(goods.goods_id)
    available = model.index(row, COL["available"])
    assert available.data(Qt.ItemDataRole.ForegroundRole) is None  # the total is not an error
    skus = model.index(row, COL["skus"])
    assert skus.data() == f"{goods.sku_count}（{goods.low_sku_count} 个库存低）"
    assert skus.data(Qt.ItemDataRole.ForegroundRole).color() == QColor(TOKENS["warning"])
    # Goods without a low variant show just the count, uncoloured.
    fine = next(r for r in model.rows if r.low_sku_count == 0)
    fine_row = model.position_of(fine.goods_id)
    assert model.index(fine_row, COL["skus"]).data() == str(fine.sku_count)
    assert model.index(fine_row, COL["skus"]).data(Qt.ItemDataRole.ForegroundRole) is None

    table = page.view.table
    table.scrollTo(available)
    rect = table.visualRect(model.index(row, COL["name"]))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert page.detail is not None and page.detail.goods_id == goods.goods_id
    danger = QColor(TOKENS["danger"])
    sku_table = page.view.sku_table
    low_rows = [i for i, s in enumerate(page.detail.skus) if s.is_low]
    assert len(low_rows) == goods.low_sku_count
    for i, sku in enumerate(page.detail.skus):
        for header in ("规格", "可用"):
            brush = sku_table.item(i, SKU_COL[header]).foreground()
            assert (brush.color() == danger) == sku.is_low, (sku.spec, header)
