"""站内信: the demo sandbox's notices, pulled into the shop's inbox. **A sandbox-only stream.**

The open platform has no API for merchant notices: pdd-open-api.md §7 finds none in the doc
index (the one related API, ``pdd.mall.notification.type.show.check``, "判断是否对商家展示某个通知",
only answers whether a notice type is shown), so an API shop cannot receive its 站内信 here and
the page says so. The sandbox serves them under ``sandbox.message.list.get`` (:data:`API`),
a name that is plainly not the platform's; this stream calls it only when the engine syncs a
demo shop (``ctx.source == "demo"``) and, for any other shop, ends at once without a request.

Pull: notices published from a day before the newest one stored (overlap for late writes) up to
the platform's now, oldest first, 100 a page; a notice is inserted once (by ``remote_id``) and
never overwritten, so the merchant's read and pin state stays.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pdd_desktop.common.changes import Changes
from pdd_desktop.data.db import write_transaction
from pdd_desktop.data.queries import messages as q
from pdd_desktop.domain.messages import PLATFORM_CATEGORIES, MessageCategory
from pdd_desktop.platform.apis import ApiSpec
from pdd_desktop.platform.records import Page, RecordError
from pdd_desktop.services.sync.plugin import ApplyCounts, Area, PullContext, PullStream

#: The sandbox-only list API and its answer's wrapper.
API = "sandbox.message.list.get"
APIS = (ApiSpec(API, "sandbox_message_list_get_response", read_only=True),)
#: Re-read this much before the newest stored notice (a notice written late is not missed).
OVERLAP_S = 86400
#: How far back the first pull of a shop without notices reaches.
FIRST_PULL_S = 7 * 86400
PAGE_SIZE = 100
_MAX_TITLE = 200
_MAX_BODY = 20000


@dataclass(frozen=True)
class MessageRecord:
    """One notice as the sandbox sends it."""

    msg_id: str
    category: MessageCategory
    title: str
    content: str
    send_time: int
    is_important: bool


def parse_message(raw: object, where: str) -> MessageRecord:
    """One ``message_list`` entry; a bad field raises :class:`RecordError` naming it."""
    if not isinstance(raw, Mapping):
        raise RecordError(where, raw, "应为对象")

    def text(key: str, limit: int) -> str:
        value = raw.get(key)
        if not isinstance(value, str) or len(value) > limit:
            raise RecordError(f"{where}.{key}", value, f"应为不超过 {limit} 字的文本")
        return value

    def integer(key: str) -> int:
        value = raw.get(key)
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise RecordError(f"{where}.{key}", value, "应为非负整数")
        return value

    msg_id = text("msg_id", 64)
    if not msg_id:
        raise RecordError(f"{where}.msg_id", msg_id, "不能为空")
    kind = integer("type")
    if kind not in {int(c) for c in PLATFORM_CATEGORIES}:
        raise RecordError(f"{where}.type", kind, "不是站内信分类")
    title = text("title", _MAX_TITLE)
    if not title.strip():
        raise RecordError(f"{where}.title", title, "不能为空")
    return MessageRecord(
        msg_id=msg_id,
        category=MessageCategory(kind),
        title=title,
        content=text("content", _MAX_BODY),
        send_time=integer("send_time"),
        is_important=bool(integer("is_important")),
    )


def parse_page(body: Mapping[str, Any], page: int) -> Page[MessageRecord]:
    """One answer of :data:`API`."""
    items = body.get("message_list") or []
    if not isinstance(items, list):
        raise RecordError("message_list", items, "应为列表")
    total = body.get("total_count")
    if not isinstance(total, int) or isinstance(total, bool) or total < 0:
        raise RecordError("total_count", total, "应为非负整数")
    records = tuple(parse_message(m, f"message_list[{i}]") for i, m in enumerate(items))
    return Page(records, total, page * PAGE_SIZE < total, page, PAGE_SIZE)


def apply_messages(records: Sequence[MessageRecord]) -> ApplyCounts:
    """Insert the notices not stored yet (inside the caller's transaction)."""
    counts = ApplyCounts()
    known = q.existing_remote_ids([r.msg_id for r in records])
    for r in records:
        if r.msg_id in known:
            counts.same += 1
            continue
        q.insert(
            remote_id=r.msg_id,
            category=int(r.category),
            title=r.title,
            body=r.content,
            created_at=r.send_time,
            is_important=r.is_important,
        )
        known.add(r.msg_id)
        counts.upserted += 1
    return counts


def _fetch(ctx: PullContext, page: int) -> Page[MessageRecord]:
    if ctx.source != "demo":
        return Page((), 0, False)  # the open platform has no 站内信 API: nothing to ask
    window = ctx.state.get("window")
    if window is None:
        end = ctx.client.platform_now()
        newest = q.newest_remote_created_at(int(MessageCategory.APP_ALERT))
        start = end - FIRST_PULL_S if newest is None else min(newest, end) - OVERLAP_S
        window = ctx.state["window"] = (max(0, start), end)
    body = ctx.client.call(
        API, {"start_time": window[0], "end_time": window[1], "page": page, "page_size": PAGE_SIZE}
    )
    return parse_page(body, page)


def _apply(ctx: PullContext, records: Sequence[MessageRecord]) -> None:
    if not records:
        return
    with write_transaction():
        ctx.tally.add(apply_messages(records))


STREAM = PullStream("messages", "站内信", Changes(messages=True), fetch=_fetch, apply=_apply)

AREA = Area("messages", streams=(STREAM,), apis=APIS)
