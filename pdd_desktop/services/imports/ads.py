"""Ad reports (推广商品 export, ``domain/ad_report.py``) through the file route: check, then apply.

Called by :mod:`pdd_desktop.services.imports` (which detects the kind from the header and owns
the result types). Rules:

- **All or nothing.** Every row is checked; a file with any bad row is not applied, not even
  its good rows (the 总计 row checks the file as a whole, so part of a file cannot be checked).
- **The 总计 row is the control total**, never a plan: each summed column of the data rows
  (花费, 成交花费, 交易额, 净交易额, 成交笔数) must equal it to the fen, else the file is refused
  with the column, both amounts and the difference. A file without a 总计 row is refused too
  (a cut-off file looks complete otherwise). Note lines (``注…``) are skipped.
- **全店托管** (merchant-data.md §2.1: "总计 > sum of rows: the difference is 全店托管 spend with
  no goods row" [C-3p LG]): only the spend columns (总花费/花费, 成交花费) may be *above* the rows'
  sum. The source speaks of spend only, so 交易额, 净交易额 and 成交笔数 must still match exactly:
  that keeps a cut-off file refused (its missing rows lack 交易额/笔数 too) and keeps 全店托管 from
  being credited with goods sales. 总计 below the rows' sum is refused as before. The excess is
  stored as one file-level row (goods 0, plan 全店托管, ``domain/ad_report.py``) dated the file's
  last data day with the range of its data days: the 总计 row covers the whole file, so the
  spend is not known per day and is not spread (no invented fen). A stored 全店托管 row whose
  range lies inside the new file's is replaced by the new file's; one that only partly overlaps
  cannot be split, so such a file is refused with both ranges and how to export one that covers
  both. A file whose 总计 has no excess leaves stored 全店托管 rows alone.
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
from pdd_desktop.services.import_kind import (
    ACTIONS,
    PROGRESS_APPLY,
    PROGRESS_CHECK,
    applied_file,
    cancelled_file,
    checked_file,
    report_progress,
)
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
                if values[key] == adr.SHOP_MANAGED_GOODS_ID:
                    raise ec.CellError("商品ID 不能为 0")
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
        if rows_total % 1000 == 0:
            report_progress(task, rows_total, 0, PROGRESS_CHECK)
    if rows_total == 0:
        raise ValidationError("文件", "推广报表里没有数据行")
    if total_row is None:
        raise ValidationError(
            "总计",
            "文件里没有“总计”行：请导入推广后台导出的原始报表（用总计行核对各行的合计，文件不完整时不导入）",
        )
    collected = errors.finish()
    warnings: list[str] = []
    if not collected:
        excess = _check_totals(sums, total_row[1], total_row[0])
        if excess:
            managed = _shop_managed_row(excess, found, [v["day"] for _r, v in records])
            _superseded_shop_managed(managed)  # refuses a partial overlap
            records.append((total_row[0], managed))
            warnings.append(_shop_managed_note(managed, total_row[0]))
    existing = _existing([_key(v) for _r, v in records])
    counts = dict.fromkeys(ACTIONS, 0)
    preview: list[PreviewAdRow] = []
    for row_no, values in records:
        action = _action(values, existing)
        if values["goods_id"] == adr.SHOP_MANAGED_GOODS_ID:
            continue  # not a row of the file: counts add up to rows_total; told in warnings
        counts[action] += 1
        if len(preview) < 50:
            preview.append(
                PreviewAdRow(
                    row_no, f"{agg.day_to_date(values['day']):%Y-%m-%d}", values["plan_name"],
                    values["goods_name"],
                    values["spend_fen"], values["gmv_fen"], values["orders"], action,
                )
            )  # fmt: skip
    if collected:
        warnings.append("推广报表须整份导入：请修改有错误的行后重新检查。")
    return checked_file(
        result_type, info, previous, kind="ads", rows_total=rows_total, counts=counts, mapping=mapping,
        errors=errors, preview=preview, warnings=warnings, records=tuple(records),
    )  # fmt: skip


def _check_totals(sums: dict[str, int], control: dict[str, int | None], row_no: int) -> dict[str, int]:
    """The 总计 row against the rows' sums; returns the spend columns' excess (全店托管), if any.

    Raises:
        ValidationError: a column that does not match (spend: 总计 below the rows' sum).
    """
    excess: dict[str, int] = {}
    for key in adr.SUMMED:
        want = control.get(key)
        if want is None or sums[key] == want:
            continue
        if key in adr.SHOP_MANAGED_SPEND and want > sums[key]:
            excess[key] = want - sums[key]
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
    return excess


def _shop_managed_row(excess: dict[str, int], found: dict[str, int], days: list[int]) -> dict[str, Any]:
    """The file-level 全店托管 row: the 总计 row's excess spend over the file's data days."""
    first, last = min(days), max(days)
    deal = excess.get("deal_spend_fen", 0)
    return {
        "day": last,
        "scene": adr.SHOP_MANAGED_PLAN,
        "plan_name": adr.SHOP_MANAGED_PLAN,
        "goods_id": adr.SHOP_MANAGED_GOODS_ID,
        "goods_name": "",
        "bid": adr.shop_managed_range_text(agg.day_to_date(first), agg.day_to_date(last)),
        "spend_fen": excess.get("total_spend_fen", 0) if "total_spend_fen" in found else deal,
        "deal_spend_fen": deal,
        "gmv_fen": 0,
        "net_gmv_fen": 0 if "net_gmv_fen" in found else None,
        "orders": 0,
        "impressions": None,
        "clicks": None,
    }


def _range_of(values: dict[str, Any]) -> tuple[int, int]:
    first, last = adr.parse_shop_managed_range(values["bid"], agg.day_to_date(values["day"]))
    return agg.date_to_day(first), agg.date_to_day(last)


def _superseded_shop_managed(managed: dict[str, Any]) -> list[int]:
    """Ids of stored 全店托管 rows inside the new row's range (to replace).

    Raises:
        ValidationError: a stored 全店托管 row only partly overlaps the new range (cannot be split).
    """
    first, last = _range_of(managed)
    out: list[int] = []
    for row_id, day, bid in database.execute_sql(
        "SELECT id, day, bid FROM ad_report_row WHERE goods_id = ? AND plan_name = ? AND scene = ?",
        (adr.SHOP_MANAGED_GOODS_ID, adr.SHOP_MANAGED_PLAN, adr.SHOP_MANAGED_PLAN),
    ).fetchall():
        f, lst = _range_of({"bid": bid, "day": day})
        if lst < first or f > last:
            continue
        if first <= f and lst <= last:
            out.append(int(row_id))
            continue
        new_f, new_l = agg.day_to_date(first), agg.day_to_date(last)
        old_f, old_l = agg.day_to_date(f), agg.day_to_date(lst)
        raise ValidationError(
            "全店托管",
            f"本文件的全店托管花费覆盖 {new_f:%Y-%m-%d} 至 {new_l:%Y-%m-%d}，已导入的全店托管花费覆盖 "
            f"{old_f:%Y-%m-%d} 至 {old_l:%Y-%m-%d}，两段只部分重叠：报表的总计行只有整段的合计，"
            "无法拆到每一天，没有导入任何数据。请在推广后台导出从 "
            f"{min(new_f, old_f):%Y-%m-%d} 到 {max(new_l, old_l):%Y-%m-%d} 的报表再导入。",
        )
    return out


def _shop_managed_note(managed: dict[str, Any], row_no: int) -> str:
    first, last = adr.parse_shop_managed_range(managed["bid"], agg.day_to_date(managed["day"]))
    span = f"{first:%Y-%m-%d}" if first == last else f"{first:%Y-%m-%d} 至 {last:%Y-%m-%d}"
    return (
        f"第 {row_no} 行“总计”的花费比各行合计多 {format_yuan(managed['spend_fen'])}：这是全店托管的花费"
        f"（没有商品明细），将记为 {span} 的“全店托管（无商品明细）”，计入推广花费，不算到任何商品。"
    )


def _ids_of_key(key: Key) -> set[int]:
    rows = database.execute_sql(
        "SELECT id FROM ad_report_row WHERE day = ? AND scene = ? AND plan_name = ? AND goods_id = ?", key
    ).fetchall()
    return {int(r[0]) for r in rows}


def apply(check: Any, *, task: TaskContext | None, record: Callable[..., int], result_type: type) -> Any:
    """Write every row of a checked ad report in one transaction (re-planned inside it)."""
    now = clock.now()
    counts = dict.fromkeys(ACTIONS, 0)
    records: tuple[tuple[int, dict[str, Any]], ...] = check.records
    managed_fen = 0
    try:
        with write_transaction():
            existing = _existing([_key(v) for _r, v in records])
            db = database.connection()
            writes: list[tuple] = []
            for _row_no, values in records:
                action = _action(values, existing)
                if values["goods_id"] == adr.SHOP_MANAGED_GOODS_ID:
                    # Re-checked inside the write transaction: replace the rows it covers.
                    stale = [
                        i for i in _superseded_shop_managed(values)
                        if i not in _ids_of_key(_key(values))
                    ]  # fmt: skip
                    db.executemany("DELETE FROM ad_report_row WHERE id = ?", [(i,) for i in stale])
                    if action != "unchanged" or stale:
                        managed_fen = values["spend_fen"]
                    if action != "unchanged":
                        writes.append((*_key(values), *_stored(values)))
                    continue
                counts[action] += 1
                if action != "unchanged":
                    writes.append((*_key(values), *_stored(values)))
            report_progress(task, 0, len(records), PROGRESS_APPLY)
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
        return cancelled_file(result_type, "ads", check.file_name)
    message = (
        f"已导入推广报表 {check.file_name}：新增 {counts['new']} 行，更新 {counts['updated']} 行，"
        f"无变化 {counts['unchanged']} 行。"
    )
    if managed_fen:
        message += f"全店托管（无商品明细）花费 {format_yuan(managed_fen)}。"
    changed = counts["new"] + counts["updated"] > 0 or managed_fen > 0
    return applied_file(
        result_type, "ads", check.file_name, batch_id, counts, changes=ADS_CHANGES, message=message,
        changed=changed,
    )  # fmt: skip
