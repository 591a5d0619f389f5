"""站内信: the inbox's reads (counts, list, one message) and writes (read, pin, system alerts).

Reads return frozen dataclasses; every write is one ``write_transaction()`` returning
``Changes(messages=True)`` so the home counter 未读消息 follows. Reading and pinning are local:
the open platform has no 站内信 API (pdd-open-api.md §7: no such API in the doc index; the only
related one, ``pdd.mall.notification.type.show.check``, answers whether a notice type is shown),
so nothing goes to the outbox and no audit row is written for what is only the merchant's own
reading state.

Where the messages come from (:func:`inbox_source`): the demo sandbox serves its notices through
a sandbox-only stream (``services/sync/areas/messages.py``); a shop on the real open platform
gets none from it and the page says so; the app's own alerts arrive through
:func:`add_system_alert` in the category 系统提醒.

**A 系统提醒 leads to its alert.** No column is added for it: the message's ``remote_id``
already names the cause, ``app:alert:<alert key>:<first seen>`` when the alerts centre put it
in (``services.alerts.centre._take_notifications``), ``app:<key>:<first seen>`` when code did
through :func:`add_system_alert` with ``key="<key>:<first seen>"`` for the alert it raised as
``<key>`` (stored ``app:<key>``, e.g. automation's ``automation-off:<rule>``).
:func:`alert_key_of` reads the key back and :func:`message_detail` looks the alert up, so the
reading pane can open what the alert opens, or say it was dealt with once it resolved.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pdd_desktop.common import clock
from pdd_desktop.common.changes import Changes
from pdd_desktop.data.db import write_transaction
from pdd_desktop.data.queries import logistics as logistics_queries
from pdd_desktop.data.queries import messages as q
from pdd_desktop.domain.errors import NotAllowed, ValidationError
from pdd_desktop.domain.messages import MessageCategory
from pdd_desktop.services.alerts.centre import AlertRow, get_alert

MESSAGE_CHANGES = Changes(messages=True)
#: Rows that come with the first answer of a list query (the first screen and some).
FIRST_ROWS = 200
#: Longest title and body of a system alert (a sentence, not a report).
MAX_TITLE = 120
MAX_BODY = 4000
#: The remote id prefix of the app's own alerts (never a platform id).
LOCAL_PREFIX = "app:"
#: The remote id prefix of a 系统提醒 the alerts centre put in (``app:alert:<key>:<first seen>``).
ALERT_PREFIX = "app:alert:"


@dataclass(frozen=True)
class MessageRow:
    """One list row (without the body)."""

    id: int
    category: MessageCategory
    title: str
    created_at: int
    read_at: int | None
    is_important: bool
    is_pinned: bool
    is_local: bool  #: the app's own alert (系统提醒), not a platform notice

    @property
    def unread(self) -> bool:
        """Not read yet."""
        return self.read_at is None


@dataclass(frozen=True)
class MessageDetail:
    """One message with its text."""

    row: MessageRow
    body: str
    #: The alert this 系统提醒 came from (open or resolved), None when it names none.
    alert: AlertRow | None = None


@dataclass(frozen=True)
class CategoryCount:
    """Messages and unread messages of one category."""

    category: MessageCategory
    total: int
    unread: int


@dataclass(frozen=True)
class InboxCounts:
    """Every category's counts (all eight, zero included), the total and the unread rule notices."""

    categories: tuple[CategoryCount, ...]
    total: int
    unread: int
    #: The newest unread 规则更新 notices (shown in the banner until read).
    unread_rules: tuple[MessageRow, ...]


@dataclass(frozen=True)
class MessageList:
    """A list query's answer: every matching id in order, with the rows of the first screen."""

    ids: tuple[int, ...]
    first_rows: tuple[MessageRow, ...]


@dataclass(frozen=True)
class InboxSource:
    """Where this shop's platform notices come from.

    Attributes:
        kind: ``demo`` (the sandbox serves them), ``api`` (the open platform has no 站内信 API),
            ``files`` (a shop fed by order files) or ``off`` (sync switched off).
    """

    kind: str


def _row(r: tuple) -> MessageRow:
    mid, category, title, created_at, read_at, important, pinned, remote_id = r[:8]
    try:
        cat = MessageCategory(int(category))
    except ValueError:
        cat = MessageCategory.PLATFORM_NEWS
    return MessageRow(
        id=int(mid),
        category=cat,
        title=str(title),
        created_at=int(created_at),
        read_at=None if read_at is None else int(read_at),
        is_important=bool(important),
        is_pinned=bool(pinned),
        is_local=bool(remote_id) and str(remote_id).startswith(LOCAL_PREFIX),
    )


# ------------------------------------------------------------------ reads


def inbox_counts() -> InboxCounts:
    """Counts per category (the platform's seven and 系统提醒) and the unread 规则更新 notices."""
    got = q.category_counts()
    cats = tuple(CategoryCount(c, *got.get(int(c), (0, 0))) for c in MessageCategory)
    rules = tuple(_row(r) for r in q.unread_of_category(int(MessageCategory.RULES), 3))
    return InboxCounts(
        categories=cats,
        total=sum(c.total for c in cats),
        unread=sum(c.unread for c in cats),
        unread_rules=rules,
    )


def message_list(
    *,
    category: MessageCategory | None = None,
    search: str = "",
    unread_only: bool = False,
    keep_ids: Sequence[int] = (),
) -> MessageList:
    """Matching ids, pinned first then newest first, with the first :data:`FIRST_ROWS` rows.

    ``search`` matches every word (blank-separated) in the title or the text. With
    ``unread_only``, ``keep_ids`` stay listed even when read (the ones being read just now, so
    opening a message does not pull it from under the merchant's eyes).
    """
    ids = q.search_ids(
        None if category is None else int(category), search.strip(), unread_only, list(keep_ids)
    )
    first = {r.id: r for r in rows_for_ids(ids[:FIRST_ROWS])}
    return MessageList(tuple(ids), tuple(first[i] for i in ids[:FIRST_ROWS] if i in first))


def rows_for_ids(ids: Sequence[int]) -> list[MessageRow]:
    """List rows of ``ids`` (any order; missing ids are left out)."""
    return [_row(r) for r in q.rows_for_ids(ids)]


def message_detail(message_id: int) -> MessageDetail:
    """One message with its text.

    Raises:
        NotAllowed: no such message (deleted meanwhile).
    """
    r = q.body_of(message_id)
    if r is None:
        raise NotAllowed("这条站内信已不存在")
    key = alert_key_of(r[7])
    return MessageDetail(_row(r), str(r[8] or ""), None if key is None else get_alert(key))


def alert_key_of(remote_id: str | None) -> str | None:
    """The key of the alert a 系统提醒 came from, read from its remote id (module docstring).

    None for a platform notice or a 系统提醒 whose key does not end in ``:<first seen>``.
    """
    if not remote_id or not remote_id.startswith(LOCAL_PREFIX):
        return None
    cause, _sep, seen = remote_id.rpartition(":")
    if not seen.isdigit() or cause in ("app", "app:alert"):
        return None
    if cause.startswith(ALERT_PREFIX):
        return cause[len(ALERT_PREFIX) :]
    return cause  # ``app:<key>`` is how the centre stores an alert raised by code as ``<key>``


def inbox_source(*, is_demo: bool) -> InboxSource:
    """Where this shop's platform notices come from (see :class:`InboxSource`)."""
    from pdd_desktop.services.settings import load_settings

    mode = load_settings().sync_mode
    if is_demo:
        return InboxSource("demo")
    if mode == "off":
        return InboxSource("off")
    if mode == "api" or logistics_queries.shop_has_platform():
        return InboxSource("api")
    return InboxSource("files")


# ------------------------------------------------------------------ writes


def _check_ids(ids: Sequence[int]) -> list[int]:
    clean = [int(i) for i in ids if isinstance(i, int) and not isinstance(i, bool)]
    if not clean or len(clean) != len(ids):
        raise ValidationError("站内信", "请先选择要标记的消息")
    return clean


def mark_read(*, ids: Sequence[int], read: bool = True) -> Changes:
    """Mark messages read (now) or unread again, in one transaction."""
    clean = _check_ids(ids)
    with write_transaction():
        changed = q.set_read(clean, clock.now() if read else None)
    return MESSAGE_CHANGES if changed else Changes()


def mark_all_read(*, category: MessageCategory | None = None) -> Changes:
    """Mark every unread message (of one category, or all) read, in one transaction."""
    with write_transaction():
        changed = q.set_all_read(None if category is None else int(category), clock.now())
    return MESSAGE_CHANGES if changed else Changes()


def set_pinned(*, message_id: int, pinned: bool) -> Changes:
    """Pin a message to the top of its lists, or unpin it.

    Raises:
        NotAllowed: no such message.
    """
    with write_transaction():
        if q.body_of(message_id) is None:
            raise NotAllowed("这条站内信已不存在")
        changed = q.set_pinned(message_id, pinned)
    return MESSAGE_CHANGES if changed else Changes()


def add_system_alert(*, title: str, body: str = "", key: str = "", important: bool = False) -> Changes:
    """Put one of the app's own alerts into 站内信 (category 系统提醒), unread.

    ``key`` names the cause (e.g. ``outbox-failed:<op id>``): a second alert with the same key
    is not added, so a caller that runs again for the same cause never fills the inbox. For an
    alert raised with ``services.alerts.raise_alert(<k>, …)`` pass ``key="<k>:<first seen>"``:
    the reading pane then opens what that alert opens (:func:`alert_key_of`).

    Raises:
        ValidationError: an empty or too long title, or a too long text.
    """
    title = " ".join(title.split())
    if not title:
        raise ValidationError("系统提醒标题", "不能为空")
    if len(title) > MAX_TITLE:
        raise ValidationError("系统提醒标题", f"不能超过 {MAX_TITLE} 个字")
    if len(body) > MAX_BODY:
        raise ValidationError("系统提醒内容", f"不能超过 {MAX_BODY} 个字")
    remote_id = f"{LOCAL_PREFIX}{key}" if key else None
    with write_transaction():
        if remote_id is not None and q.existing_remote_ids([remote_id]):
            return Changes()
        q.insert(
            remote_id=remote_id,
            category=int(MessageCategory.APP_ALERT),
            title=title,
            body=body,
            created_at=clock.now(),
            is_important=important,
        )
    return MESSAGE_CHANGES
