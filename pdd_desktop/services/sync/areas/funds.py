"""资金: the platform's daily bills (货款日账单), one ``pdd.finance.balance.daily.bill.url.get`` per day.

The 财务API group has exactly this one API (pdd-open-api.md §7, from the doc index and the NODE
SDK; request ``bill_date`` ``yyyy-MM-dd`` as in ``dawn-frost/pdd-sdk``
``PddFinanceBalanceDailyBillUrlGetRequest.php``; answer ``download_url``, the 商家货款日账单 file).
Its format is undocumented: the file is read as the 对账中心 bill (ZIP or CSV, header checked,
control totals checked) through the same import as a downloaded bill
(``services/bill_import.py``), so a day fetched here and the same day in a month's file never
count twice.

Pull: one page per day, from the day after the last day a bill was fetched for (the first sync:
the last :data:`FIRST_DAYS` days) up to yesterday (a day's bill exists once the day is over),
at most :data:`MAX_DAYS_PER_RUN` per run, oldest first. A file that does not add up stops the
stream with the reason; the days before it are kept.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from pdd_desktop.common.changes import Changes
from pdd_desktop.data.db import database
from pdd_desktop.platform.apis import ApiSpec
from pdd_desktop.platform.downloads import download
from pdd_desktop.platform.records import Page, RecordError
from pdd_desktop.services import bill_import
from pdd_desktop.services.staging import new_staging_dir
from pdd_desktop.services.sync.plugin import ApplyCounts, Area, PullContext, PullStream

API = "pdd.finance.balance.daily.bill.url.get"
APIS = (ApiSpec(API, "finance_balance_daily_bill_url_get_response", read_only=True),)
#: Days the first sync of a shop reads back (对账中心 keeps 12 months; older days: the files).
FIRST_DAYS = 30
#: Days fetched per sync run (one request and one download each).
MAX_DAYS_PER_RUN = 31
_BJ = timedelta(hours=8)


@dataclass(frozen=True)
class BillDay:
    """One day's bill file as downloaded."""

    day: str  #: yyyy-MM-dd
    data: bytes


def days_to_fetch(now: int) -> list[str]:
    """The finished days whose bill was not fetched yet, oldest first (at most a run's worth)."""
    today = (datetime.fromtimestamp(now, UTC) + _BJ).date()
    row = database.execute_sql("SELECT MAX(end_at) FROM bill_period WHERE source = 'api'").fetchone()
    first = today - timedelta(days=FIRST_DAYS)
    if row and row[0] is not None:
        last = (datetime.fromtimestamp(int(row[0]), UTC) + _BJ).date()
        first = max(first, last + timedelta(days=1))
    days = []
    d = first
    while d < today and len(days) < MAX_DAYS_PER_RUN:
        days.append(d.isoformat())
        d += timedelta(days=1)
    return days


def _fetch(ctx: PullContext, page: int) -> Page[BillDay]:
    days = ctx.state.get("days")
    if days is None:
        days = ctx.state["days"] = days_to_fetch(ctx.client.platform_now())
    if not days:
        return Page((), 0, False, page, 1)
    day = days[page - 1]
    body = ctx.client.call(API, {"bill_date": day})
    url = body.get("download_url")
    if not isinstance(url, str) or not url:
        raise RecordError("download_url", url, "应为下载地址")
    return Page((BillDay(day, download(url)),), len(days), page < len(days), page, 1)


def apply_day(record: BillDay) -> ApplyCounts:
    """Check and apply one day's file (its own transaction); a file that does not add up raises.

    Raises:
        RecordError: the file is not a bill, or its lines do not add up (the reason named).
    """
    from pdd_desktop.domain.errors import DomainError
    from pdd_desktop.services import imports
    from pdd_desktop.services.imports.apply import _record_batch

    folder = new_staging_dir()
    try:
        path = os.path.join(folder, f"货款日账单-{record.day}.zip")
        with open(path, "wb") as fh:
            fh.write(record.data)
        try:
            check = imports.check_import_file(path)
        except DomainError as exc:
            raise RecordError(f"账单 {record.day}", "", str(exc)) from exc
        if check.kind != bill_import.KIND:
            imports.discard_check(check)
            raise RecordError(f"账单 {record.day}", "", "下载的文件不是账单")
        if check.errors:
            imports.discard_check(check)
            first = check.errors[0]
            raise RecordError(f"账单 {record.day}", first.raw_value, f"第 {first.row_no} 行：{first.message}")
        if check.already_imported:
            imports.discard_check(check)
            return ApplyCounts(same=check.rows_total)
        try:
            result = bill_import.apply(
                check, task=None, record=_record_batch, result_type=imports.ImportResult, source="api"
            )
        finally:
            imports.discard_check(check)
        return ApplyCounts(upserted=result.new, same=result.unchanged)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _apply(ctx: PullContext, records: Sequence[BillDay]) -> None:
    for record in records:
        ctx.tally.add(apply_day(record))


STREAM = PullStream("bills", "账单", Changes(funds=True), fetch=_fetch, apply=_apply)

AREA = Area("funds", streams=(STREAM,), apis=APIS)
