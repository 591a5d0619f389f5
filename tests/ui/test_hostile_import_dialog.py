"""The import window with hostile files (issue 14): what the merchant reads is safe and current."""

from __future__ import annotations

from tests.fixtures.exports import make_exports as mx
from tests.ui.test_import_dialog import page_ctx as page_ctx  # the fixture


def test_spoofing_characters_are_spelled_out_and_a_refused_file_clears_the_report(
    qtbot, window, demo_shop, tmp_path
):
    orders = mx.order_rows(demo_shop.db_file, "status = 1", limit=3)
    renamed = [({**o, "order_sn": "99" + o["order_sn"][2:]}, items) for o, items in orders]
    rows = mx.table(renamed, "old")
    h = rows[0]
    rows[1][h.index("买家留言")] = "好评\u202egpj.exe"
    rows[2][h.index("收货人")] = "张\x00三"
    path = mx.write(tmp_path / "hostile.csv", rows)
    window.open_import_dialog(str(path))
    dlg = window.import_dialog
    table = dlg.errors_table
    shown = {table.item(r, 0).text(): table.item(r, 2).text() for r in range(table.rowCount())}
    assert shown == {"2": "好评<U+202E>gpj.exe", "3": "张<NUL>三"}
    assert "U+202E" in table.item(0, 3).text()
    dlg.grab().save(str(tmp_path / "errors.png"))
    header_only = tmp_path / "header.csv"
    header_only.write_text(",".join(h) + "\n", encoding="utf-8")
    dlg.check_file(str(header_only))
    assert "文件里没有数据行" in dlg.summary_label.text()
    assert table.rowCount() == 0 and dlg.preview_table.rowCount() == 0
    assert dlg.tabs.tabText(2) == "错误" and not dlg.import_button.isEnabled()
