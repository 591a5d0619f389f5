"""设置 → 自动化 (issue 17 QA): a preview larger than its list says the true count and that the list
shows the first 2,000; the button that switches a rule off reads 停用, not 关闭."""

from __future__ import annotations

from pdd_desktop.data.db import database
from pdd_desktop.services import automation as auto
from pdd_desktop.services.automation import PREVIEW_LIMIT, RuleKind
from tests.helpers.db import one
from tests.helpers.pages import page_fixture
from tests.ui.test_automation_page import click, table_texts

page = page_fixture("settings")
SHOTS = "/tmp/links"
PARAMS = {"keywords": ["加急"], "flag": None, "memo": "加急"}


def _many_to_ship() -> int:
    """Every signed order back to 待发货 with 加急 in its buyer memo; the count a rule may act on."""
    database.execute_sql(
        "UPDATE \"order\" SET status = 1, buyer_memo = '麻烦加急', seller_memo = '' WHERE status IN (1, 3)"
    )
    (n,) = one(
        "SELECT COUNT(*) FROM \"order\" WHERE status = 1 AND buyer_memo LIKE '%加急%' "
        "AND pending_ops = 0 AND has_conflict = 0"
    )
    assert n > PREVIEW_LIMIT
    return n


def test_preview_counts_every_match_beyond_the_list(demo_shop):
    n = _many_to_ship()
    p = auto.preview(kind=RuleKind.MEMO, params=PARAMS)
    assert p.matched == p.allowed == n  # no cap on this rule: all of them
    assert len(p.targets) == p.acting == PREVIEW_LIMIT  # the list and one run stop at 2,000
    assert p.skipped_count == len(p.skipped) == 0


def test_preview_dialog_says_the_true_count_and_that_the_list_is_cut(qtbot, window, page):
    n = _many_to_ship()
    ctl = page.automation
    v = page.view.automation
    ctl.refresh()
    qtbot.waitUntil(lambda: bool(ctl.rules))
    ctl.select_kind("memo_keyword")
    click(qtbot, v.enable_button)
    dlg = ctl.rule_dialog
    dlg.keywords_edit.setText("加急")
    dlg.keywords_edit.textEdited.emit("加急")
    click(qtbot, dlg.preview_button)
    text = dlg.preview_label.text()
    assert text.startswith(f"现在会处理 {n:,} 单，每次运行处理 {PREVIEW_LIMIT:,} 单")
    assert f"现在会处理 {PREVIEW_LIMIT} 单" not in text and f"现在会处理 {PREVIEW_LIMIT:,} 单" not in text
    assert f"下面的列表只显示前 {PREVIEW_LIMIT:,} 单" in text
    assert dlg.preview_table.rowCount() == PREVIEW_LIMIT
    dlg.grab().save(f"{SHOTS}/preview-cap.png")
    dlg.close()


def test_small_preview_has_no_list_note(qtbot, window, page):
    (oid,) = one('SELECT id FROM "order" WHERE status = 1 AND pending_ops = 0 ORDER BY id LIMIT 1')
    database.execute_sql('UPDATE "order" SET buyer_memo = ? WHERE id = ?', ("麻烦加急发货", oid))
    p = auto.preview(kind=RuleKind.MEMO, params=PARAMS)
    assert (p.matched, p.allowed, p.acting, len(p.targets)) == (1, 1, 1, 1)


def test_switching_a_rule_off_reads_停用_and_on_reads_启用(qtbot, window, page):
    ctl = page.automation
    v = page.view.automation
    ctl.refresh()
    qtbot.waitUntil(lambda: bool(ctl.rules))
    assert v.disable_button.text() == "停用" and v.enable_button.text() == "预览并启用…"
    assert "关闭" not in v.disable_button.toolTip()
    auto.enable_rule(kind=RuleKind.MEMO, params=PARAMS)
    ctl.refresh()
    ctl.select_kind("memo_keyword")
    assert table_texts(v.rule_table)[3][1] == "已启用"
    click(qtbot, v.disable_button)
    assert v.status_label.text() == "「按买家留言备注」已停用"
    assert table_texts(v.rule_table)[3][1] == "未启用"
    ctl.select_kind("memo_keyword")
    click(qtbot, v.enable_button)
    dlg = ctl.rule_dialog
    assert dlg.windowTitle() == "启用自动化规则：按买家留言备注" and dlg.ok_button.text() == "启用规则"
    page.grab().save(f"{SHOTS}/automation-buttons.png")
    dlg.close()
