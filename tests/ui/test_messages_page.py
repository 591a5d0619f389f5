"""站内信 page driven through its widgets (inline jobs), checked against the database."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from pdd_desktop.data.db import database
from pdd_desktop.domain.messages import MessageCategory
from pdd_desktop.services import messages as msg
from pdd_desktop.ui.pages.messages.page import MESSAGE_COLUMNS, SOURCE_TEXTS
from tests.helpers.db import one, q
from tests.helpers.pages import page_fixture

COL = {c.key: i for i, c in enumerate(MESSAGE_COLUMNS)}

page = page_fixture("messages", lambda p: p.model.rowCount() > 0, size=(1280, 800))


def unread(category: int | None = None) -> int:
    if category is None:
        return one("SELECT COUNT(*) FROM message WHERE read_at IS NULL")[0]
    return one("SELECT COUNT(*) FROM message WHERE read_at IS NULL AND category = ?", category)[0]


def click_category(qtbot, page, category: MessageCategory | None) -> None:
    lst = page.view.categories
    wanted = -1 if category is None else int(category)
    row = next(i for i in range(lst.count()) if lst.item(i).data(Qt.ItemDataRole.UserRole) == wanted)
    rect = lst.visualItemRect(lst.item(row))
    qtbot.mouseClick(lst.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert page.current_category() == category


def category_text(page, category: MessageCategory | None) -> str:
    lst = page.view.categories
    wanted = -1 if category is None else int(category)
    return next(
        lst.item(i).text() for i in range(lst.count()) if lst.item(i).data(Qt.ItemDataRole.UserRole) == wanted
    )


def click_row(qtbot, page, position: int, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    table = page.view.table
    table.scrollTo(page.model.index(position, 0))
    rect = table.visualRect(page.model.index(position, COL["title"]))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, modifier, rect.center())


def home_counter(window) -> str:
    """工作台's 未读消息 (the home page refreshes when shown), then back to 站内信."""
    window.show_page("home")
    value = window.page("home").view.counters["unread_messages"].value_text
    window.show_page("messages")
    return value


def test_each_category_lists_its_messages_with_unread_counts(qtbot, window, page):
    assert page.model.rowCount() == 150
    assert page.view.count_label.text() == f"共 150 条 · 未读 {unread()} 条"
    for category in MessageCategory:
        click_category(qtbot, page, category)
        ids = [r[0] for r in q(
            "SELECT id FROM message WHERE category = ? ORDER BY is_pinned DESC, created_at DESC, id DESC",
            int(category),
        )]  # fmt: skip
        assert page.model.ids == ids
        n = unread(int(category))
        name = {MessageCategory.APP_ALERT: "系统提醒", MessageCategory.RULES: "规则更新"}.get(category)
        text = category_text(page, category)
        assert text == (f"{category.label}（{n}）" if n else category.label)
        if name:
            assert text.startswith(name)
        if ids:
            row = page.model.row_at(0)
            assert page.model.data(page.model.index(0, COL["category"])) == category.label
            assert page.model.data(page.model.index(0, COL["title"])) == row.title
        else:
            assert page.view.empty_label.isVisible()
    click_category(qtbot, page, None)
    assert page.model.rowCount() == 150


def test_reading_a_message_marks_it_read_and_home_follows(qtbot, window, page):
    before = unread()
    assert home_counter(window) == str(before)
    click_category(qtbot, page, MessageCategory.MARKETING)
    target = next(i for i, mid in enumerate(page.model.ids) if page.model.row_at(i).unread)
    message_id = page.model.ids[target]
    click_row(qtbot, page, target)
    title, body, read_at = one("SELECT title, body, read_at FROM message WHERE id = ?", message_id)
    assert page.view.title_label.text() == title and page.view.body.toPlainText() == body
    assert read_at is not None and unread() == before - 1
    assert page.view.count_label.text().endswith(f"未读 {before - 1} 条")
    assert page.model.data(page.model.index(page.model.position_of(message_id), COL["state"])) == "已读"
    assert home_counter(window) == str(before - 1)
    # 标为未读 in the reading pane puts it back.
    assert page.view.toggle_read_button.text() == "标为未读"
    qtbot.mouseClick(page.view.toggle_read_button, Qt.MouseButton.LeftButton)
    assert unread() == before and home_counter(window) == str(before)
    assert page.view.toggle_read_button.text() == "标为已读"


def test_search_narrows_the_list(qtbot, window, page):
    (title,) = one("SELECT title FROM message WHERE category = 3 ORDER BY id LIMIT 1")
    word = title[1:5]
    page.view.search_edit.setText(word)
    page.refresh()  # the debounce, without waiting
    want = {
        r[0] for r in q("SELECT id FROM message WHERE title LIKE ? OR body LIKE ?", f"%{word}%", f"%{word}%")
    }
    assert set(page.model.ids) == want and 0 < len(want) < 150
    page.view.search_edit.setText("完全不会出现的词语")
    page.refresh()
    assert page.model.rowCount() == 0 and page.view.empty_label.text() == "没有符合搜索条件的站内信"


def test_pin_moves_a_message_to_the_top(qtbot, window, page):
    last = page.model.rowCount() - 1
    message_id = page.model.ids[last]
    click_row(qtbot, page, last)
    assert page.view.pin_button.text() == "置顶"
    qtbot.mouseClick(page.view.pin_button, Qt.MouseButton.LeftButton)
    assert one("SELECT is_pinned FROM message WHERE id = ?", message_id)[0] == 1
    pinned = q("SELECT id FROM message WHERE is_pinned = 1")
    assert message_id in page.model.ids[: len(pinned)]
    assert page.model.data(page.model.index(page.model.position_of(message_id), COL["pinned"])) == "置顶"
    assert page.view.pin_button.text() == "取消置顶"
    qtbot.mouseClick(page.view.pin_button, Qt.MouseButton.LeftButton)
    assert one("SELECT is_pinned FROM message WHERE id = ?", message_id)[0] == 0
    assert page.model.ids[-1] == message_id


def test_mark_selected_and_mark_all_read(qtbot, window, page):
    page.view.unread_only.setChecked(True)
    assert page.model.rowCount() == unread()
    click_row(qtbot, page, 0)
    click_row(qtbot, page, 2, Qt.KeyboardModifier.ControlModifier)
    chosen = page.selected_ids()
    assert len(chosen) == 2
    qtbot.mouseClick(page.view.read_button, Qt.MouseButton.LeftButton)
    assert all(one("SELECT read_at FROM message WHERE id = ?", i)[0] is not None for i in chosen)
    # Per category: 本类全部已读.
    click_category(qtbot, page, MessageCategory.SHOP)
    others = unread() - unread(int(MessageCategory.SHOP))
    assert unread(int(MessageCategory.SHOP)) > 0
    qtbot.mouseClick(page.view.category_read_button, Qt.MouseButton.LeftButton)
    assert unread(int(MessageCategory.SHOP)) == 0 and unread() == others
    assert page.model.rowCount() == 0 and page.view.empty_label.text() == "没有未读的站内信"
    assert category_text(page, MessageCategory.SHOP) == "店铺动态"
    # Every category: 全部标为已读.
    qtbot.mouseClick(page.view.all_read_button, Qt.MouseButton.LeftButton)
    assert unread() == 0 and home_counter(window) == "0"
    assert page.view.count_label.text().endswith("未读 0 条")
    assert not page.view.all_read_button.isEnabled()


def test_unread_rule_notices_show_a_banner_until_read(qtbot, window, page):
    rules = unread(int(MessageCategory.RULES))
    if rules == 0:  # make one unread, so the banner has something to show
        database.execute_sql(
            "UPDATE message SET read_at = NULL WHERE id = (SELECT MAX(id) FROM message WHERE category = 4)"
        )
        page.refresh()
        rules = 1
    newest = one(
        "SELECT id, title FROM message WHERE category = 4 AND read_at IS NULL "
        "ORDER BY created_at DESC, id DESC"
    )
    assert page.view.rules_banner.isVisible()
    assert page.view.rules_label.text() == f"有 {rules} 条规则更新未读：{newest[1]}"
    qtbot.mouseClick(page.view.rules_button, Qt.MouseButton.LeftButton)
    assert page.current_category() == MessageCategory.RULES
    assert page.detail is not None and page.detail.row.id == newest[0]
    assert one("SELECT read_at FROM message WHERE id = ?", newest[0])[0] is not None
    qtbot.mouseClick(page.view.category_read_button, Qt.MouseButton.LeftButton)
    assert unread(int(MessageCategory.RULES)) == 0
    assert not page.view.rules_banner.isVisible()


def test_a_system_alert_and_a_synced_notice_appear(qtbot, window, page, page_ctx):
    before = unread()
    changes = msg.add_system_alert(title="上传失败：订单发货", body="平台拒绝了这次发货。", key="t1")
    page_ctx.events.changes_applied.emit(changes, None)
    assert category_text(page, MessageCategory.APP_ALERT) == "系统提醒（1）"
    assert home_counter(window) == str(before + 1)
    click_category(qtbot, page, MessageCategory.APP_ALERT)
    click_row(qtbot, page, 0)
    assert page.view.title_label.text() == "上传失败：订单发货"
    assert "来自本助手" in page.view.meta_label.text()


def test_a_demo_shop_says_where_its_notices_come_from(page):
    assert page.view.source_label.text() == SOURCE_TEXTS["demo"]


@pytest.mark.parametrize(("mall_id", "kind"), [(123, "api"), (None, "files")])
def test_a_real_shop_says_the_platform_has_no_notice_api(qtbot, page_ctx, qsettings, mall_id, kind):
    from dataclasses import replace

    from pdd_desktop.ui.main_window import MainWindow

    database.execute_sql("UPDATE shop SET mall_id = ?", (mall_id,))
    ctx = replace(page_ctx, shop=replace(page_ctx.shop, is_demo=False))
    win = MainWindow(ctx, settings=qsettings)
    qtbot.addWidget(win)
    win.show()
    win.show_page("messages")
    inbox = win.page("messages")
    assert inbox.view.source_label.text() == SOURCE_TEXTS[kind]
    assert "没有提供站内信接口" in inbox.view.source_label.text() or kind == "files"
    # What is stored still shows; the app's own alerts land in 系统提醒.
    assert inbox.model.rowCount() == 150
