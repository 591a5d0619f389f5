"""客服: the demo sandbox's daily exports, imported like a file. **A sandbox-only stream.**

The open platform has no API for customer-service figures (pdd-open-api.md: none in the doc
index; buyer chat is not exposed, §7), so a shop on the real platform imports the merchant
backend's exports on the 客服 page. The demo sandbox simulates consultations and serves each day's
two exports as CSV text under ``sandbox.cs.export.get`` (:data:`API`, plainly not a platform
name, ``sandbox/cs.py``); this stream calls it only for a demo shop (``ctx.source == "demo"``)
and puts the files through the same checks and writes as an imported file
(:func:`pdd_desktop.services.cs_import.store_rows`), plus the day's hours.

Pull: one page per Beijing day, from the day after the newest stored one (at most
:data:`FIRST_DAYS` back) to yesterday in platform time; today's figures are not final yet.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from pdd_desktop.common.changes import Changes
from pdd_desktop.data.db import write_transaction
from pdd_desktop.data.queries import cs as q
from pdd_desktop.platform.apis import ApiSpec
from pdd_desktop.platform.records import Page, RecordError
from pdd_desktop.services import cs_import
from pdd_desktop.services.sync.plugin import ApplyCounts, Area, PullContext, PullStream

API = "sandbox.cs.export.get"
APIS = (ApiSpec(API, "sandbox_cs_export_get_response", read_only=True),)
#: How many days the first pull of a shop without figures reaches back (the 30-day window).
FIRST_DAYS = 30
_MAX_TEXT = 200_000


@dataclass(frozen=True)
class CsExportDay:
    """One day's exports as the sandbox serves them."""

    day: int  #: Beijing day number
    shop_csv: str
    agent_csv: str
    hours: tuple[tuple[int, int, int, int], ...]


def parse_day(body: Mapping[str, Any]) -> CsExportDay:
    """One answer of :data:`API`; a bad field raises :class:`RecordError` naming it."""
    try:
        day = cs_import.day_number(date.fromisoformat(str(body.get("day"))))
    except ValueError as exc:
        raise RecordError("day", body.get("day"), "应为日期 YYYY-MM-DD") from exc
    texts = {}
    for key in ("shop_csv", "agent_csv"):
        value = body.get(key)
        if not isinstance(value, str) or len(value) > _MAX_TEXT:
            raise RecordError(key, value, "应为 CSV 文本")
        texts[key] = value
    hours = body.get("hours")
    if not isinstance(hours, list):
        raise RecordError("hours", hours, "应为列表")
    parsed = []
    for i, h in enumerate(hours):
        if not (
            isinstance(h, list)
            and len(h) == 4
            and all(isinstance(v, int) and not isinstance(v, bool) for v in h)
        ):
            raise RecordError(f"hours[{i}]", h, "应为 4 个整数")
        parsed.append((h[0], h[1], h[2], h[3]))
    return CsExportDay(day, texts["shop_csv"], texts["agent_csv"], tuple(parsed))


def _days(ctx: PullContext) -> list[int]:
    days = ctx.state.get("days")
    if days is None:
        yesterday = (ctx.client.platform_now() + 8 * 3600) // 86400 - 1
        newest = q.latest_day()
        first = yesterday - FIRST_DAYS + 1 if newest is None else max(newest + 1, yesterday - FIRST_DAYS + 1)
        days = ctx.state["days"] = list(range(first, yesterday + 1))
    return days


def _fetch(ctx: PullContext, page: int) -> Page[CsExportDay]:
    if ctx.source != "demo":
        return Page((), 0, False)  # no platform API for these figures: nothing to ask
    days = _days(ctx)
    if not days:
        return Page((), 0, False)
    day = cs_import.day_date(days[page - 1]).isoformat()
    body = ctx.client.call(API, {"day": day})
    return Page((parse_day(body),), len(days), page < len(days), page, 1)


def _apply(ctx: PullContext, records: Sequence[CsExportDay]) -> None:
    for r in records:
        with write_transaction():
            shop = cs_import.store_rows(cs_import.csv_rows(r.shop_csv), source="演示平台")
            agents = cs_import.store_rows(cs_import.csv_rows(r.agent_csv), source="演示平台")
            cs_import.store_hours(r.day, list(r.hours), source="演示平台")
        ctx.tally.add(ApplyCounts(upserted=shop.rows + agents.rows))


STREAM = PullStream("cs", "客服数据", Changes(cs=True), fetch=_fetch, apply=_apply)

AREA = Area("cs", streams=(STREAM,), apis=APIS)
