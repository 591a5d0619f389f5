"""Ad reports (推广商品 export, ``domain/ad_report.py``) through the file route: check, then apply.

Called by :mod:`pdd_desktop.services.imports` (which detects the kind from the header and owns
the result types). Rules:

- **All or nothing.** Every row is checked; a file with any bad row is not applied, not even
  its good rows (the 总计 row checks the file as a whole, so part of a file cannot be checked).
- **The 总计 row is the control total**, never a plan: each summed column of the data rows
  (花费, 成交花费, 交易额, 净交易额, 成交笔数) must equal it to the fen, else the file is refused
  with the column, both amounts and the difference. A file without a 总计 row is refused too
  (a cut-off file looks complete otherwise). Note lines (``注…``) are skipped.
- One row per 日期 × 推广场景 × 推广名称 × 商品; the same key twice in a file is a bad row.
  A later file's row for a key replaces the stored one (``updated``), an equal one is
  ``unchanged``; the same file twice (sha256) changes nothing.
- Days after today (Beijing) are refused; hourly exports are refused with how to export by day.

No platform API feeds these rows. The open platform does have a 推广 API group (``pdd.ad.*``,
e.g. ``pdd.ad.history.plan.report.get``: per plan, 搜索广告 only, 30 days, money in 厘; seen in
the SDK ``lywzx/pdd-node-sdk`` ``src/pddApi/tuiGuang/``), but it reports plans, not the 推广商品
rows by goods, and whether an app of our type is granted that group is not documented in our
sources (pdd-open-api.md §7 lists none). Until that is confirmed the report comes from the
backend's export; the demo shop writes one from its own orders (``services/ads_demo.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from pdd_desktop.common import clock
from pdd_desktop.common.changes import Changes
from pdd_desktop.common.task import Cancelled, TaskContext
from pdd_desktop.data import aggregates as agg
from pdd_desktop.data.db import database, write_transaction
from pdd_desktop.domain import ad_report as adr
from pdd_desktop.domain import export_columns as ec
from pdd_desktop.domain.errors import ValidationError
from pdd_desktop.domain.money import format_yuan
from pdd_desktop.tabular.import_files import (
    ErrorCollector,
    FileInfo,
    RowError,
    extra_cells_error,
    map_columns,
)

ADS_CHANGES = Changes(marketing=True, funds=True)
_COLS = {c.key: c for c in adr.COLUMNS}
#: Stored values of a row (besides its key), in the table's column order.
_VALUES = (
    "goods_name", "bid", "spend_fen", "deal_spend_fen", "gmv_fen", "net_gmv_fen", "orders", "impressions",
    "clicks",
)  # fmt: skip
_SUM_LABELS = {
    "deal_spend_fen": "成交花费", "total_spend_fen": "总花费", "gmv_fen": "交易额", "net_gmv_fen": "净交易额",
    "orders": "成交笔数",
}  # fmt: skip


@dataclass(frozen=True)
class PreviewAdRow:
    """One good row of an ad report as the import sees it."""

    row_no: int
    day: str
    plan_name: str
    goods_name: str
    spend_fen: int
    gmv_fen: int
    orders: int
    action: str


Key = tuple[int, str, str, int]


def _key(v: dict[str, Any]) -> Key:
    return (v["day"], v["scene"], v["plan_name"], v["goods_id"])


def _stored(values: dict[str, Any]) -> tuple:
    return tuple(values[k] for k in _VALUES)


def _existing(keys: list[Key]) -> dict[Key, tuple]:
    if not keys:
        return {}
    days = sorted({k[0] for k in keys})
    rows = database.execute_sql(
        f"SELECT day, scene, plan_name, goods_id, {', '.join(_VALUES)} FROM ad_report_row "
        "WHERE day BETWEEN ? AND ?",
        (days[0], days[-1]),
    ).fetchall()
    return {tuple(r[:4]): tuple(r[4:]) for r in rows}  # type: ignore[misc]


def _action(values: dict[str, Any], existing: dict[Key, tuple]) -> str:
    have = existing.get(_key(values))
    if have is None:
        return "new"
    return "unchanged" if have == _stored(values) else "updated"


def _parse_row(
    row_no: int, cells: list[str], header: list[str], found: dict[str, int], today: int
) -> tuple[dict[str, Any], list[RowError]]:
    values: dict[str, Any] = {}
    errors: list[RowError] = []
    for key, idx in found.items():
        text = cells[idx] if idx < len(cells) else ""
        kind = _COLS[key].kind
        try:
            if kind == "day":
                d = adr.parse_day(text)
                values[key] = agg.date_to_day(d)
                if values[key] > today:
                    raise ec.CellError("日期在今天之后")
            elif kind == "id":
                values[key] = ec.parse_id(text)
            elif kind == "text":
                values[key] = ec.check_text(text)
            else:
                values[key] = adr.parse_metric(kind, text)
        except ec.CellError as exc:
            errors.append(RowError(row_no, header[idx], text, str(exc)))
    if not errors and not values.get("plan_name"):
        idx = found["plan_name"]
        errors.append(RowError(row_no, header[idx], "", "推广名称为空"))
    return values, errors


def _finish(values: dict[str, Any], found: dict[str, int]) -> dict[str, Any]:
    """The stored values of a parsed row: spend chosen, absent optional columns as NULL/empty."""
    out = dict(values)
    out.setdefault("scene", "")
    out.setdefault("goods_name", "")
    out.setdefault("bid", "")
    out["deal_spend_fen"] = values.get("deal_spend_fen", 0)
    out["spend_fen"] = values["total_spend_fen"] if "total_spend_fen" in found else out["deal_spend_fen"]
    for key in ("net_gmv_fen", "impressions", "clicks"):
        out[key] = values.get(key) if key in found else None
    out.pop("total_spend_fen", None)
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
    """Check an ad report (see the module docstring); returns an ``imports.ImportCheck``.

    Raises:
        ValidationError: required columns missing, no data rows, no 总计 row, or rows that do not
            add up to the 总计 row (named column, amounts, difference).
    """
    mapping, found = map_columns(header, adr.COLUMNS, adr.UNUSED_HEADERS)
    missing = [_COLS[k].header for k in adr.REQUIRED if k not in found]
    if "deal_spend_fen" not in found and "total_spend_fen" not in found:
        missing.append("总花费(元) 或 成交花费(元)")
    if missing:
        raise ValidationError("表头", f"推广报表缺少必需的列：{'、'.join(missing)}")
    today = agg.day_of(clock.now())
    errors = ErrorCollector()
    records: list[tuple[int, dict[str, Any]]] = []
    seen: dict[Key, int] = {}
    sums = dict.fromkeys(adr.SUMMED, 0)
    total_row: tuple[int, dict[str, int | None]] | None = None
    rows_total = 0
    for row_no, cells in rows:
        if not any(cells) or adr.is_note_row(cells):
            continue
        if adr.is_total_row(cells):
            row_errors: list[RowError] = []
            if total_row is not None:
                row_errors.append(
                    RowError(row_no, "", "总计", f"文件里有两个总计行（另一个在第 {total_row[0]} 行）")
                )
            control: dict[str, int | None] = {}
            for key in adr.SUMMED:
                if key not in found:
                    continue
                idx = found[key]
                text = cells[idx] if idx < len(cells) else ""
                try:
                    control[key] = None if text == "" else adr.parse_metric(_COLS[key].kind, text)
                except ec.CellError as exc:
                    row_errors.append(RowError(row_no, header[idx], text, f"总计行：{exc}"))
            errors.extend(row_errors)
            if not row_errors:
                total_row = (row_no, control)
            continue
        rows_total += 1
        if total_row is not None:
            errors.extend([RowError(row_no, "", "", "总计行之后还有数据行：请使用推广后台导出的原始文件")])
            continue
        values, row_errors = _parse_row(row_no, cells, header, found, today)
        extra = extra_cells_error(row_no, cells, len(header))
        if extra is not None:
            row_errors.append(extra)
        if not row_errors:
            key = _key({"scene": "", **values})
            if key in seen:
                idx = found["plan_name"]
                row_errors.append(
                    RowError(
                        row_no,
                        header[idx],
                        values["plan_name"],
                        f"与第 {seen[key]} 行是同一天、同一推广、同一商品",
                    )
                )
            else:
                seen[key] = row_no
        if row_errors:
            errors.extend(row_errors)
            continue
        for k in adr.SUMMED:
            sums[k] += values.get(k, 0)
        records.append((row_no, _finish(values, found)))
        if task is not None and rows_total % 1000 == 0:
            task.report(rows_total, 0, "正在检查文件")
            task.raise_if_cancelled()
    if rows_total == 0:
        raise ValidationError("文件", "推广报表里没有数据行")
    if total_row is None:
        raise ValidationError(
            "总计",
            "文件里没有“总计”行：请导入推广后台导出的原始报表（用总计行核对各行的合计，文件不完整时不导入）",
        )
    collected = errors.finish()
    if not collected:
        _check_totals(sums, total_row[1], total_row[0])
    existing = _existing([_key(v) for _r, v in records])
    counts = {"new": 0, "updated": 0, "unchanged": 0}
    preview: list[PreviewAdRow] = []
    for row_no, values in records:
        action = _action(values, existing)
        counts[action] += 1
        if len(preview) < 50:
            preview.append(
                PreviewAdRow(
                    row_no, f"{agg.day_to_date(values['day']):%Y-%m-%d}", values["plan_name"],
                    values["goods_name"],
                    values["spend_fen"], values["gmv_fen"], values["orders"], action,
                )
            )  # fmt: skip
    warnings = ("推广报表须整份导入：请修改有错误的行后重新检查。",) if collected else ()
    return result_type(
        path=str(info.path),
        file_name=info.path.name,
        sha256=info.sha256,
        kind="ads",
        generation="",
        encoding=info.encoding,
        columns=mapping,
        unknown_columns=tuple(m.header for m in mapping if m.status == "unknown"),
        unused_columns=tuple(m.header for m in mapping if m.status == "unused"),
        rows_total=rows_total,
        errors=collected,
        bad_row_count=errors.bad_rows,
        new=counts["new"],
        updated=counts["updated"],
        unchanged=counts["unchanged"],
        rows_new=counts["new"],
        rows_updated=counts["updated"],
        rows_unchanged=counts["unchanged"],
        preview=tuple(preview),
        warnings=warnings,
        already_imported=previous is not None,
        imported_at=previous,
        records=tuple(records),
    )


def _check_totals(sums: dict[str, int], control: dict[str, int | None], row_no: int) -> None:
    for key in adr.SUMMED:
        want = control.get(key)
        if want is None or sums[key] == want:
            continue
        label = _SUM_LABELS[key]
        if key == "orders":
            got, shown, diff = f"{sums[key]:,} 笔", f"{want:,} 笔", f"{abs(sums[key] - want):,} 笔"
        else:
            got, shown, diff = format_yuan(sums[key]), format_yuan(want), format_yuan(abs(sums[key] - want))
        raise ValidationError(
            "总计",
            f"各行的{label}合计 {got}，与第 {row_no} 行“总计”的 {shown} 不符（相差 {diff}）："
            "文件可能不完整或被改动过，没有导入任何数据。请从推广后台重新导出。",
        )


def apply(check: Any, *, task: TaskContext | None, record: Callable[..., int], result_type: type) -> Any:
    """Write every row of a checked ad report in one transaction (re-planned inside it)."""
    now = clock.now()
    counts = {"new": 0, "updated": 0, "unchanged": 0}
    records: tuple[tuple[int, dict[str, Any]], ...] = check.records
    try:
        with write_transaction():
            existing = _existing([_key(v) for _r, v in records])
            db = database.connection()
            writes: list[tuple] = []
            for _row_no, values in records:
                action = _action(values, existing)
                counts[action] += 1
                if action != "unchanged":
                    writes.append((*_key(values), *_stored(values)))
            if task is not None:
                task.report(0, len(records), "正在导入")
                task.raise_if_cancelled()
            batch_id = record(check, counts["new"], counts["updated"], counts["unchanged"], now)
            cols = ("day", "scene", "plan_name", "goods_id", *_VALUES)
            db.executemany(
                f"INSERT INTO ad_report_row ({', '.join(cols)}, batch_id, imported_at) "
                f"VALUES ({', '.join('?' * len(cols))}, {batch_id}, {now}) "
                "ON CONFLICT (day, scene, plan_name, goods_id) DO UPDATE SET "
                + ", ".join(f"{c} = excluded.{c}" for c in (*_VALUES, "batch_id", "imported_at")),
                writes,
            )
    except Cancelled:
        return result_type(
            None, "ads", check.file_name, 0, 0, 0, 0, False, True, Changes(), "已取消，数据未改动。"
        )
    changed = counts["new"] + counts["updated"] > 0
    message = (
        f"已导入推广报表 {check.file_name}：新增 {counts['new']} 行，更新 {counts['updated']} 行，"
        f"无变化 {counts['unchanged']} 行。"
    )
    return result_type(
        batch_id, "ads", check.file_name, counts["new"], counts["updated"], counts["unchanged"],
        0, False, False, ADS_CHANGES if changed else Changes(), message,
    )  # fmt: skip
