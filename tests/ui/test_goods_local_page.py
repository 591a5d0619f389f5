"""商品 page: 成本/预警 and 商品设置 through their dialogs, single and bulk by selection."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QLabel

from tests.helpers.db import one, q
from tests.helpers.pages import page_fixture
from tests.ui.test_goods_page import click_goods, click_sku, sku_cell

page = page_fixture("goods", lambda p: p.model.rows)


def multi_goods(page) -> tuple[int, int]:
    """(goods_id, sku_count) of a listed goods with at least three SKUs."""
    for row in page.model.rows:
        if row.sku_count >= 3:
            return row.goods_id, row.sku_count
    raise AssertionError("no goods with 3 SKUs")


def test_single_sku_cost_threshold_and_code(qtbot, page):
    gid, _n = multi_goods(page)
    click_goods(qtbot, page, gid)
    sku = page.detail.skus[0]
    click_sku(qtbot, page, sku.sku_id)
    assert page.view.sku_local_button.isEnabled()
    qtbot.mouseClick(page.view.sku_local_button, Qt.MouseButton.LeftButton)
    dlg = page.sku_local_dialog
    assert dlg.isVisible() and dlg.code_edit is not None
    dlg.cost_edit.setText("12.5x")  # the validator refuses the letter
    dlg.cost_edit.setText("")
    qtbot.keyClicks(dlg.cost_edit, "12.5")
    dlg.threshold_spin.setValue(sku.stock + 3)
    dlg.code_edit.setText("MY-CODE-1")
    qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    assert not dlg.isVisible()
    assert one(
        "SELECT cost_price_fen, low_stock_threshold, outer_id FROM sku WHERE sku_id = ?", sku.sku_id
    ) == (
        1250,
        sku.stock + 3,
        "MY-CODE-1",
    )
    # local edits queue nothing for the platform
    assert (
        one(
            "SELECT COUNT(*) FROM outbox WHERE entity_remote_id = ? "
            "AND op_type NOT IN ('set_stock', 'set_price')",
            str(sku.sku_id),
        )[0]
        == 0
    )
    assert sku_cell(page, sku.sku_id, "成本价") == "¥12.50"
    assert sku_cell(page, sku.sku_id, "商家编码") == "MY-CODE-1"
    assert sku_cell(page, sku.sku_id, "预警值") == f"{sku.stock + 3:,}"
    # available ≤ threshold now: the row is marked low
    assert page.detail.skus[0].is_low
    assert "本机" in page.view.message_label.text()


def test_bad_cost_keeps_ok_disabled_and_taken_code_is_refused_in_the_dialog(qtbot, page):
    gid, _n = multi_goods(page)
    click_goods(qtbot, page, gid)
    first, second = page.detail.skus[0], page.detail.skus[1]
    q("UPDATE sku SET outer_id = 'TAKEN-1' WHERE sku_id = ?", second.sku_id)
    click_sku(qtbot, page, first.sku_id)
    before = one(
        "SELECT cost_price_fen, low_stock_threshold, outer_id FROM sku WHERE sku_id = ?", first.sku_id
    )
    qtbot.mouseClick(page.view.sku_local_button, Qt.MouseButton.LeftButton)
    dlg = page.sku_local_dialog
    dlg.cost_edit.setText("12.")
    assert not dlg.ok_button.isEnabled() and "两位小数" in dlg.rule_label.text()
    dlg.cost_edit.setText("3")
    dlg.code_edit.setText("TAKEN-1")
    qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    assert dlg.isVisible() and "已被规格ID" in dlg.error_label.text()
    assert (
        one("SELECT cost_price_fen, low_stock_threshold, outer_id FROM sku WHERE sku_id = ?", first.sku_id)
        == before
    )


def test_bulk_threshold_for_selected_skus(qtbot, page):
    gid, n = multi_goods(page)
    click_goods(qtbot, page, gid)
    table = page.view.sku_table
    click_sku(qtbot, page, page.detail.skus[0].sku_id)
    rect = table.visualItemRect(table.item(2, 0))
    qtbot.mouseClick(
        table.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ControlModifier, rect.center()
    )
    chosen = [page.detail.skus[0].sku_id, page.detail.skus[2].sku_id]
    assert [s.sku_id for s in page.selected_skus()] == chosen
    costs = {r[0]: r[1] for r in q("SELECT sku_id, cost_price_fen FROM sku WHERE goods_id = ?", gid)}
    qtbot.mouseClick(page.view.sku_local_button, Qt.MouseButton.LeftButton)
    dlg = page.sku_local_dialog
    assert dlg.code_edit is None and not dlg.ok_button.isEnabled()  # nothing ticked yet
    dlg.threshold_check.setChecked(True)
    dlg.threshold_spin.setValue(33)
    qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    assert not dlg.isVisible()
    got = dict(q("SELECT sku_id, low_stock_threshold FROM sku WHERE goods_id = ?", gid))
    assert {k: v for k, v in got.items() if k in chosen} == dict.fromkeys(chosen, 33)
    assert len(got) == n and all(v != 33 for k, v in got.items() if k not in chosen)
    # the unticked cost price is left as it was
    assert {r[0]: r[1] for r in q("SELECT sku_id, cost_price_fen FROM sku WHERE goods_id = ?", gid)} == costs
    assert one("SELECT COUNT(*) FROM audit_log WHERE action = 'set_sku_local'")[0] == 2


def test_bulk_promise_hours_for_selected_goods(qtbot, page):
    ids = [r.goods_id for r in page.model.rows[:3]]
    click_goods(qtbot, page, ids[0])
    selection = page.view.table.selectionModel()
    for gid in ids[1:]:
        selection.select(
            page.model.index(page.model.position_of(gid), 0),
            QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
        )
    assert page.selected_goods_ids() == ids
    qtbot.mouseClick(page.view.goods_local_button, Qt.MouseButton.LeftButton)
    dlg = page.goods_local_dialog
    assert dlg.code_edit is None
    dlg.hours_check.setChecked(True)
    dlg.hours_spin.setValue(24)
    qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    assert not dlg.isVisible()
    marks = ",".join("?" * len(ids))
    assert q(f"SELECT DISTINCT promise_hours FROM goods WHERE goods_id IN ({marks})", *ids) == [(24,)]


def test_single_goods_code_and_hours(qtbot, page):
    gid = page.model.rows[0].goods_id
    click_goods(qtbot, page, gid)
    qtbot.mouseClick(page.view.goods_local_button, Qt.MouseButton.LeftButton)
    dlg = page.goods_local_dialog
    assert dlg.code_edit is not None and dlg.hours_check.isChecked()
    dlg.hours_spin.setValue(72)
    dlg.code_edit.setText("G-CODE")
    qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    assert one("SELECT promise_hours, outer_goods_id FROM goods WHERE goods_id = ?", gid) == (72, "G-CODE")


def test_export_button_writes_the_goods_sheet(qtbot, page, tmp_path, monkeypatch):
    target = tmp_path / "商品库存.csv"
    monkeypatch.setattr(page, "choose_export_path", lambda: str(target))
    qtbot.mouseClick(page.view.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(target.exists)
    lines = target.read_text(encoding="utf-8-sig").splitlines()
    assert len(lines) == 1 + one("SELECT COUNT(*) FROM sku")[0]
    assert lines[0].startswith("商品id,商品名称")
    assert "已导出" in page.view.message_label.text()


def test_new_listing_points_to_the_merchant_backend(qtbot, page, monkeypatch):
    from pdd_desktop.ui.pages.goods import page as page_module

    opened: list[str] = []
    monkeypatch.setattr(page_module.QDesktopServices, "openUrl", lambda url: opened.append(url.toString()))
    monkeypatch.setattr(page, "ask_open_backend", lambda: False)
    qtbot.mouseClick(page.view.listing_button, Qt.MouseButton.LeftButton)
    assert opened == []
    monkeypatch.setattr(page, "ask_open_backend", lambda: True)
    qtbot.mouseClick(page.view.listing_button, Qt.MouseButton.LeftButton)
    assert opened == ["https://mms.pinduoduo.com"]
    assert "商家后台发布" in page_module.LISTING_TEXT


def test_cost_history_is_written_and_shown_in_the_sku_dialog(qtbot, page):
    gid, _n = multi_goods(page)
    click_goods(qtbot, page, gid)
    sku = page.detail.skus[0]
    initial = q(
        "SELECT cost_price_fen, source FROM cost_price_history WHERE sku_id = ? ORDER BY id", sku.sku_id
    )
    for text in ("12.50", "13"):
        click_sku(qtbot, page, sku.sku_id)
        qtbot.mouseClick(page.view.sku_local_button, Qt.MouseButton.LeftButton)
        dlg = page.sku_local_dialog
        dlg.cost_edit.setText(text)
        qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda d=dlg: not d.isVisible())
    rows = q("SELECT cost_price_fen, source FROM cost_price_history WHERE sku_id = ? ORDER BY id", sku.sku_id)
    assert rows == [*initial, (1250, "edit"), (1300, "edit")]
    click_sku(qtbot, page, sku.sku_id)
    qtbot.mouseClick(page.view.sku_local_button, Qt.MouseButton.LeftButton)
    dlg = page.sku_local_dialog
    table = dlg.history_table
    qtbot.waitUntil(lambda: table.rowCount() == len(rows) and table.item(0, 1) is not None)
    assert [table.item(r, 1).text() for r in range(2)] == ["¥13.00", "¥12.50"]
    assert table.item(0, 2).text() == "手动修改"
    dlg.grab().save("/tmp/as18_cost_history.png")
    dlg.close()


def test_cost_and_threshold_for_every_sku_of_selected_goods(qtbot, page):
    ids = [r.goods_id for r in page.model.rows[:3]]
    click_goods(qtbot, page, ids[0])
    selection = page.view.table.selectionModel()
    for gid in ids[1:]:
        selection.select(
            page.model.index(page.model.position_of(gid), 0),
            QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
        )
    assert page.selected_goods_ids() == ids and page.view.sku_local_button.isEnabled()
    marks = ",".join("?" * len(ids))
    others = q(
        f"SELECT sku_id, cost_price_fen, low_stock_threshold FROM sku WHERE goods_id NOT IN ({marks})", *ids
    )
    count = one(f"SELECT COUNT(*) FROM sku WHERE goods_id IN ({marks})", *ids)[0]
    qtbot.mouseClick(page.view.sku_local_button, Qt.MouseButton.LeftButton)
    dlg = page.sku_local_dialog
    assert dlg.code_edit is None and dlg.history_table is None
    assert any(f"共 {count:,} 个规格" in label.text() for label in dlg.findChildren(QLabel))
    dlg.cost_check.setChecked(True)
    dlg.cost_edit.setText("8.8")
    dlg.threshold_check.setChecked(True)
    dlg.threshold_spin.setValue(21)
    qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dlg.isVisible())
    assert q(
        f"SELECT DISTINCT cost_price_fen, low_stock_threshold FROM sku WHERE goods_id IN ({marks})", *ids
    ) == [(880, 21)]
    assert (
        q(
            f"SELECT sku_id, cost_price_fen, low_stock_threshold FROM sku WHERE goods_id NOT IN ({marks})",
            *ids,
        )
        == others
    )
    changed_cost = one(
        "SELECT COUNT(*) FROM cost_price_history WHERE source = 'edit' AND cost_price_fen = 880 "
        f"AND sku_id IN (SELECT sku_id FROM sku WHERE goods_id IN ({marks}))",
        *ids,
    )[0]
    assert 0 < changed_cost <= count
