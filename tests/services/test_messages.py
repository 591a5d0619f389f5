"""站内信 services: counts, list order and search, read/pin writes, system alerts, the sandbox stream."""

from __future__ import annotations

import pytest

from pdd_desktop.common import clock
from pdd_desktop.data.db import database
from pdd_desktop.domain.errors import ValidationError
from pdd_desktop.domain.messages import MessageCategory
from pdd_desktop.services import home
from pdd_desktop.services import messages as msg
from pdd_desktop.services.sync.areas import messages as area
from tests.helpers.db import one, q, raw_rows
from tests.helpers.sync_rig import make_rig
from tests.sandbox import NOW0


@pytest.fixture
def shop(sandbox_demo_shop):
    return sandbox_demo_shop


def _unread() -> int:
    return one("SELECT COUNT(*) FROM message WHERE read_at IS NULL")[0]


def test_counts_per_category_match_sql(shop):
    counts = msg.inbox_counts()
    assert [c.category for c in counts.categories] == list(MessageCategory)
    for c in counts.categories:
        n, u = one(
            "SELECT COUNT(*), COALESCE(SUM(read_at IS NULL), 0) FROM message WHERE category = ?",
            int(c.category),
        )
        assert (c.total, c.unread) == (n, u)
    assert counts.total == 150 and counts.unread == _unread() == home.home_snapshot().unread_messages
    rules = q(
        "SELECT id FROM message WHERE category = 4 AND read_at IS NULL "
        "ORDER BY created_at DESC, id DESC LIMIT 3"
    )
    assert [r.id for r in counts.unread_rules] == [r[0] for r in rules]


def test_list_is_pinned_first_then_newest(shop):
    listed = msg.message_list()
    expected = [r[0] for r in q("SELECT id FROM message ORDER BY is_pinned DESC, created_at DESC, id DESC")]
    assert list(listed.ids) == expected
    assert [r.id for r in listed.first_rows] == expected[: msg.FIRST_ROWS]
    assert listed.first_rows[0].is_pinned
    cat = msg.message_list(category=MessageCategory.MARKETING)
    assert set(cat.ids) == {r[0] for r in q("SELECT id FROM message WHERE category = 5")}
    unread = msg.message_list(unread_only=True)
    assert len(unread.ids) == _unread()


def test_search_matches_every_word_in_title_or_text(shop):
    (title,) = one("SELECT title FROM message WHERE category = 3 LIMIT 1")
    word = title[2:6]
    got = msg.message_list(search=word)
    want = {
        r[0] for r in q("SELECT id FROM message WHERE title LIKE ? OR body LIKE ?", f"%{word}%", f"%{word}%")
    }
    assert set(got.ids) == want and want
    assert msg.message_list(search=f"{word} 不会出现的词").ids == ()
    assert msg.message_list(search="100%").ids == tuple(
        r[0] for r in q("SELECT id FROM message WHERE instr(title, '100%') OR instr(body, '100%')")
    )


def test_mark_read_unread_and_all(shop):
    before = _unread()
    target = one("SELECT id FROM message WHERE read_at IS NULL LIMIT 1")[0]
    changes = msg.mark_read(ids=[target])
    assert changes.messages and _unread() == before - 1
    assert one("SELECT read_at FROM message WHERE id = ?", target)[0] == clock.now()
    assert not msg.mark_read(ids=[target]).messages  # already read: nothing changed
    assert msg.mark_read(ids=[target], read=False).messages and _unread() == before
    cat_unread = one("SELECT COUNT(*) FROM message WHERE category = 5 AND read_at IS NULL")[0]
    assert cat_unread
    msg.mark_all_read(category=MessageCategory.MARKETING)
    assert one("SELECT COUNT(*) FROM message WHERE category = 5 AND read_at IS NULL")[0] == 0
    assert _unread() == before - cat_unread
    msg.mark_all_read()
    assert _unread() == 0


def test_pin_and_bad_input(shop):
    target = one("SELECT id FROM message WHERE is_pinned = 0 ORDER BY created_at LIMIT 1")[0]
    assert msg.set_pinned(message_id=target, pinned=True).messages
    assert msg.message_list().ids[0] in {r[0] for r in q("SELECT id FROM message WHERE is_pinned = 1")}
    assert target in msg.message_list().ids[:3]
    assert msg.set_pinned(message_id=target, pinned=False).messages
    state = q("SELECT id, read_at, is_pinned FROM message ORDER BY id")
    with pytest.raises(ValidationError, match="请先选择要标记的消息"):
        msg.mark_read(ids=[])
    with pytest.raises(ValidationError):
        msg.mark_read(ids=[1, "2"])  # type: ignore[list-item]
    with pytest.raises(Exception, match="已不存在"):
        msg.set_pinned(message_id=999_999, pinned=True)
    assert q("SELECT id, read_at, is_pinned FROM message ORDER BY id") == state


def test_system_alert_lands_in_its_category_once_per_key(shop):
    before = _unread()
    changes = msg.add_system_alert(title="同步已停止", body="连续 3 次同步失败。", key="sync-stopped")
    assert changes.messages and _unread() == before + 1
    assert not msg.add_system_alert(title="同步已停止", key="sync-stopped").messages
    row = one(
        "SELECT category, title, body, read_at, remote_id FROM message WHERE remote_id = 'app:sync-stopped'"
    )
    assert row == (
        int(MessageCategory.APP_ALERT),
        "同步已停止",
        "连续 3 次同步失败。",
        None,
        "app:sync-stopped",
    )
    listed = msg.message_list(category=MessageCategory.APP_ALERT)
    assert len(listed.ids) == 1 and listed.first_rows[0].is_local
    counts = {c.category: c.unread for c in msg.inbox_counts().categories}
    assert counts[MessageCategory.APP_ALERT] == 1
    with pytest.raises(ValidationError, match="标题：不能为空"):
        msg.add_system_alert(title="  ")
    with pytest.raises(ValidationError, match="标题：不能超过"):
        msg.add_system_alert(title="长" * 121)
    assert _unread() == before + 1


def test_inbox_source_follows_the_shop(shop):
    assert msg.inbox_source(is_demo=True).kind == "demo"
    assert msg.inbox_source(is_demo=False).kind == "api"  # it carries a mall id
    database.execute_sql("UPDATE shop SET mall_id = NULL")
    assert msg.inbox_source(is_demo=False).kind == "files"


# ------------------------------------------------------------------ the sandbox stream


def test_sandbox_notices_arrive_through_a_demo_sync(tmp_path, tmp_path_factory):
    rig = make_rig(tmp_path, tmp_path_factory)
    try:
        before = {r[0] for r in q("SELECT remote_id FROM message")}
        report = rig.engine(source="demo").run_once(streams=["messages"])
        assert report.outcome == "ok"
        # The oracle: the sandbox's own table, read with plain sqlite3.
        remote = raw_rows(rig.shop.db_path, "SELECT remote_id, title, created_at FROM message")
        new = {r for r in remote if r[0] not in before}
        assert new, "the sandbox published notices after the demo's end"
        assert all(r[2] > NOW0 for r in new)
        local = set(q("SELECT remote_id, title, created_at FROM message WHERE remote_id LIKE 'sb-msg-%'"))
        assert local == new
        assert one("SELECT COUNT(*) FROM message WHERE remote_id LIKE 'sb-msg-%' AND read_at IS NULL")[
            0
        ] == len(new)
        # Read state is the merchant's: a second sync inserts nothing and keeps it.
        msg.mark_all_read()
        again = rig.engine(source="demo").run_once(streams=["messages"])
        assert again.outcome == "ok" and _unread() == 0
        assert one("SELECT COUNT(*) FROM message")[0] == 150 + len(new)
    finally:
        rig.close()


def test_an_api_shop_never_asks_for_notices(tmp_path, tmp_path_factory):
    rig = make_rig(tmp_path, tmp_path_factory, local="empty")
    try:
        client = rig.client()
        asked = []
        original = client.call
        client.call = lambda api, params, **kw: (asked.append(api), original(api, params, **kw))[1]
        report = rig.engine(client, source="api").run_once(streams=["messages"])
        assert report.outcome == "ok"
        assert area.API not in asked
        assert one("SELECT COUNT(*) FROM message")[0] == 0
    finally:
        rig.close()


def test_a_bad_notice_rejects_its_page():
    good = {"msg_id": "a", "type": 4, "title": "规则", "content": "", "send_time": 5, "is_important": 0}
    page = area.parse_page({"total_count": 1, "message_list": [good]}, 1)
    assert page.items[0].category == MessageCategory.RULES and not page.has_next
    for field, value in (("type", 8), ("title", " "), ("send_time", -1), ("msg_id", "")):
        with pytest.raises(Exception, match=field):
            area.parse_page({"total_count": 1, "message_list": [{**good, field: value}]}, 1)
