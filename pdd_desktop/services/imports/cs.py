"""客服 exports through the import registry: the shop export (店铺客服数据, one row per day) and the
per-agent export (客服绩效, one row per 客服账号), detected from the header.

The rows are read and checked by ``services.cs_import`` (every printed rate against its counts,
the 总计/平均 rows as control totals); any error refuses the whole file, as the 客服 page always
did. Applying replaces the (day, agent) rows of the file in one transaction with its import batch.
"""  # noqa: D205

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from pdd_desktop.common import clock
from pdd_desktop.common.task import Cancelled, TaskContext
from pdd_desktop.data.db import write_transaction
from pdd_desktop.data.queries import cs as q
from pdd_desktop.domain import cs_metrics as m
from pdd_desktop.services import cs_import
from pdd_desktop.services.import_kind import (
    ACTIONS,
    PROGRESS_APPLY,
    PROGRESS_CHECK,
    applied_file,
    cancelled_file,
    checked_file,
    report_progress,
)
from pdd_desktop.tabular.import_files import FileInfo, iter_rows

KIND_SHOP = "cs_shop"
KIND_AGENT = "cs_agent"
KINDS = (KIND_SHOP, KIND_AGENT)
CS_CHANGES = cs_import.CS_CHANGES
#: The first rows of a file shown before it is applied.
PREVIEW_ROWS = 50
#: What a stored row is compared on (not where or when it came from).
_COMPARED = (
    "consult_users", "inquiry_users", "order_users", "need_human", "received", "unreplied_3m",
    "low_rated_orders", "dispute_refunds", "r3_num", "r3_den", "r30_num", "r30_den", "r3_all_num",
    "r3_all_den", "r30_all_num", "r30_all_den", "avg_response_ms", "sales_fen",
)  # fmt: skip


def detect_shop(header: list[str]) -> bool:
    """The shop export's header (咨询人数, a reply rate, no 客服账号)."""
    return cs_import.header_variant(header) == "shop"


def detect_agent(header: list[str]) -> bool:
    """The per-agent export's header (客服账号, 咨询人数, a reply rate)."""
    return cs_import.header_variant(header) == "agent"


@dataclass(frozen=True)
class PreviewCsRow:
    """One row of a 客服 export as the import sees it."""

    row_no: int
    day: str
    agent: str  #: '' = the shop
    consult_users: int | None
    need_human: int | None
    r3: str  #: 3分钟人工回复率 (8–23 点), as stored ("—" when the file has none)
    action: str


def _plan(records: list[dict[str, Any]]) -> list[str]:
    stored = q.stored_days([(r["day"], r["agent"]) for r in records], _COMPARED)
    out = []
    for r in records:
        old = stored.get((r["day"], r["agent"]))
        out.append(
            "new" if old is None else "unchanged" if old == tuple(r[c] for c in _COMPARED) else "updated"
        )
    return out


def check(
    info: FileInfo,
    header_no: int,
    header: list[str],
    rows: Iterator[tuple[int, list[str]]],
    previous: int | None,
    *,
    task: TaskContext | None,
    result_type: type,
) -> Any:
    """Check a 客服 export whole (see the module docstring); returns an ``imports.ImportCheck``.

    Raises:
        ValidationError: anything wrong in the file (row and column named); nothing is written.
    """
    rows.close()  # the 客服 reader reads the title lines above the header too (统计时间)
    if task is not None:
        task.report(0, 0, PROGRESS_CHECK)
    result, records = cs_import.prepare_rows(iter_rows(info), source=info.path.name, now=clock.now())
    actions = _plan(records)
    preview = tuple(
        PreviewCsRow(
            result.row_nos[i],
            f"{cs_import.day_date(int(r['day'])):%Y-%m-%d}",
            str(r["agent"]),
            r["consult_users"],  # type: ignore[arg-type]
            r["need_human"],  # type: ignore[arg-type]
            _rate(r["r3_num"], r["r3_den"]),
            actions[i],
        )
        for i, r in enumerate(records[:PREVIEW_ROWS])
    )
    return checked_file(
        result_type,
        info,
        previous,
        kind=KIND_AGENT if result.variant == "agent" else KIND_SHOP,
        rows_total=len(records),
        counts={a: actions.count(a) for a in ACTIONS},
        preview=preview,
        warnings=result.checks,
        records=tuple(records),
    )


def _rate(num: object, den: object) -> str:
    if num is None or not den:
        return "—"
    return m.rate_text(Fraction(int(num), int(den)))  # type: ignore[call-overload]


def apply(check: Any, *, task: TaskContext | None, record: Callable[..., int], result_type: type) -> Any:
    """Store every row of a checked 客服 export in one transaction, with its import batch."""
    now = clock.now()
    records = [{**r, "imported_at": now} for r in check.records]
    try:
        with write_transaction():
            actions = _plan(records)  # re-planned inside the transaction
            report_progress(task, 0, len(records), PROGRESS_APPLY)
            counts = {a: actions.count(a) for a in ACTIONS}
            batch_id = record(check, counts["new"], counts["updated"], counts["unchanged"], now)
            q.upsert_days([r for r, a in zip(records, actions, strict=True) if a != "unchanged"])
    except Cancelled:
        return cancelled_file(result_type, check.kind, check.file_name)
    what = "客服绩效（按客服）" if check.kind == KIND_AGENT else "店铺客服数据"
    message = (
        f"已导入{what} {check.file_name}：新增 {counts['new']} 行，更新 {counts['updated']} 行，"
        f"无变化 {counts['unchanged']} 行。"
    )
    return applied_file(
        result_type, check.kind, check.file_name, batch_id, counts, changes=CS_CHANGES, message=message
    )
