"""Importing the 客服 data exports (shop and per-agent, CSV/XLSX) into ``cs_metric_day``.

Where the figures come from: the open platform has no API for customer-service metrics (none in
pdd-open-api.md's doc index; buyer chat is not exposed either, §7), so a shop on the real
platform imports the merchant backend's exports. The demo sandbox simulates consultations and
writes the same two exports (``sandbox/cs.py``), which go through this same import.

The two variants (column names from merchant-data.md §3.1):

- **shop** (售前服务数据 + 售前销售数据): one row per day (日期), the shop as a whole;
- **agent** (客服绩效 / 团队数据): one row per 客服账号, with a 日期 column or a single day named in
  a title line above the header (统计时间：2026-12-01 ~ 2026-12-01).

Rows whose first key cell is 平均 or 总计 (also 合计/汇总) are not stored: they are control totals.
总计's counts must equal the sum of the rows and its rates the rates of the summed counts; 平均's
counts the mean of the rows (as printed). Every printed rate is checked against the exact rate
from the row's counts where the row has them. Any mismatch refuses the whole file with the row
and the column named; nothing is written.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from pathlib import Path

from pdd_desktop.common import clock
from pdd_desktop.common.changes import Changes
from pdd_desktop.data.db import write_transaction
from pdd_desktop.data.queries import cs as q
from pdd_desktop.domain import cs_metrics as m
from pdd_desktop.domain.errors import ValidationError
from pdd_desktop.domain.money import MoneyError, yuan_to_fen
from pdd_desktop.tabular import import_files

CS_CHANGES = Changes(cs=True)
#: Rows read while looking for the header (title lines come first in some exports).
HEADER_SEARCH = 8
SUMMARY_WORDS = {"平均": "avg", "平均值": "avg", "总计": "total", "合计": "total", "汇总": "total"}


def _norm_header(text: str) -> str:
    """Full-width parentheses and spaces folded: ``回复率（8-23点）`` reads as ``回复率(8-23点)``."""
    text = unicodedata.normalize("NFKC", text).strip()
    return re.sub(r"\s+", "", text).replace("—", "-").replace("~", "-")


#: Header (normalised) → field. Only the columns we store or check; others are ignored.
_COLUMNS: dict[str, str] = {
    "日期": "date",
    "统计日期": "date",
    "时间": "date",
    "客服账号": "agent",
    "客服": "agent",
    "客服名称": "agent",
    "咨询人数": "consult_users",
    "询单人数": "inquiry_users",
    "最终成团人数": "order_users",
    "询单转化率": "conversion",
    "客服销售额(元)": "sales",
    "客服销售额": "sales",
    "需要人工回复的咨询人数": "need_human",
    "人工接待人数": "received",
    "3分钟未回复人数": "unreplied_3m",
    "3分钟人工回复率(8-23点)": "r3",
    "30秒应答率(8-23点)": "r30",
    "3分钟人工回复率(全天)": "r3_all",
    "30秒应答率(全天)": "r30_all",
    "平均人工响应时长": "avg_response",
    "平均人工响应时长(秒)": "avg_response_s",
    "平均人工响应时长(分钟)": "avg_response_min",
    "平均响应时长": "avg_response",
    "平均响应时长(秒)": "avg_response_s",
    "平均响应时长(分钟)": "avg_response_min",
    "评分≤3订单数": "low_rated_orders",
    "纠纷退款数": "dispute_refunds",
}
_COUNTS = (
    "consult_users",
    "inquiry_users",
    "order_users",
    "need_human",
    "received",
    "unreplied_3m",
    "low_rated_orders",
    "dispute_refunds",
)
_RATES = ("r3", "r30", "r3_all", "r30_all")
_LABELS = {
    "consult_users": "咨询人数",
    "inquiry_users": "询单人数",
    "order_users": "最终成团人数",
    "need_human": "需要人工回复的咨询人数",
    "received": "人工接待人数",
    "unreplied_3m": "3分钟未回复人数",
    "low_rated_orders": "评分≤3订单数",
    "dispute_refunds": "纠纷退款数",
    "r3": "3分钟人工回复率(8-23点)",
    "r30": "30秒应答率(8-23点)",
    "r3_all": "3分钟人工回复率(全天)",
    "r30_all": "30秒应答率(全天)",
    "conversion": "询单转化率",
    "sales": "客服销售额",
    "avg_response": "平均人工响应时长",
}


@dataclass
class _Row:
    row_no: int
    day: int
    agent: str
    counts: dict[str, int | None] = field(default_factory=dict)
    rates: dict[str, Fraction | None] = field(default_factory=dict)
    printed: dict[str, m.Printed | None] = field(default_factory=dict)
    #: a 平均 row's counts as printed (they may have decimals)
    printed_counts: dict[str, m.Printed | None] = field(default_factory=dict)
    avg_response_ms: int | None = None
    sales_fen: int | None = None


@dataclass(frozen=True)
class CsImportResult:
    """What an import stored and checked."""

    variant: str  #: "shop" / "agent"
    rows: int  #: day × agent rows stored
    days: tuple[int, ...]  #: Beijing day numbers
    agents: tuple[str, ...]  #: agents of an agent export (empty for a shop export)
    checks: tuple[str, ...]  #: the control totals checked, in Chinese ("总计行：咨询人数 一致" …)
    row_nos: tuple[int, ...] = ()  #: the file's row number of each stored row, in order

    @property
    def variant_label(self) -> str:
        """客服绩效 (per agent) or 店铺客服数据."""
        return "客服绩效（按客服）" if self.variant == "agent" else "店铺客服数据"


def day_number(d: date) -> int:
    """Days since 1970-01-01 of a Beijing calendar date (the ``agg_*`` tables' day)."""
    return (d - date(1970, 1, 1)).days


def day_date(day: int) -> date:
    """The Beijing calendar date of a day number."""
    return date.fromordinal(date(1970, 1, 1).toordinal() + day)


_DATE = re.compile(r"(\d{4})[-/年.](\d{1,2})[-/月.](\d{1,2})")


def _parse_date(text: str, where: str) -> int:
    found = _DATE.findall(text)
    if not found:
        raise ValidationError(where, f"「{text}」不是日期（应为 2026-12-01 这样的日期）")
    try:
        dates = {date(int(y), int(mo), int(d)) for y, mo, d in found}
    except ValueError as exc:
        raise ValidationError(where, f"「{text}」不是有效日期") from exc
    if len(dates) != 1:
        raise ValidationError(where, f"「{text}」包含多天；请每天导出一个文件，或导出带「日期」列的文件")
    return day_number(dates.pop())


def _where(row_no: int, column: str = "") -> str:
    return f"第 {row_no} 行" + (f"「{column}」" if column else "")


def _read(path: Path) -> Iterator[tuple[int, list[str]]]:
    info = import_files.inspect_file(path)
    yield from import_files.iter_rows(info)


def parse_export(path: Path | str) -> tuple[str, list[_Row], list[_Row], list[_Row]]:
    """(variant, data rows, 总计 rows, 平均 rows) of an export file (see :func:`parse_rows`)."""
    return parse_rows(_read(Path(path)))


def csv_rows(text: str) -> Iterator[tuple[int, list[str]]]:
    """(row number, cells) of CSV text (an export served by the demo sandbox)."""
    yield from enumerate(csv.reader(io.StringIO(text)), start=1)


def parse_rows(rows: Iterator[tuple[int, list[str]]]) -> tuple[str, list[_Row], list[_Row], list[_Row]]:
    """(variant, data rows, 总计 rows, 平均 rows) of an export's rows, every row's rates checked.

    Raises:
        ValidationError: not a 客服 export, a bad cell, or a printed rate that disagrees with the
            row's counts (row and column named).
    """
    rows = iter(rows)
    titles: list[str] = []
    header: list[str] | None = None
    for _n, cells in rows:
        texts = [c.strip() for c in cells if c and c.strip()]
        if not texts:
            continue
        if any(_norm_header(c) == "咨询人数" for c in cells):
            header = cells
            break
        titles.append(" ".join(texts))
        if len(titles) >= HEADER_SEARCH:
            break
    if header is None:
        raise ValidationError("文件", "找不到「咨询人数」列：这不是拼多多客服数据或客服绩效的导出文件")
    fields: dict[int, str] = {}
    for i, text in enumerate(header):
        key = _COLUMNS.get(_norm_header(text))
        if key is None:
            continue
        if key in fields.values():
            raise ValidationError("文件", f"表头「{text}」出现了两次")
        fields[i] = key
    names = set(fields.values())
    variant = "agent" if "agent" in names else "shop"
    file_day: int | None = None
    if "date" not in names:
        title_dates = [t for t in titles if _DATE.search(t)]
        if variant == "shop" or not title_dates:
            raise ValidationError("文件", "文件没有「日期」列，表头上方也没有统计日期")
        file_day = _parse_date(title_dates[0], "统计日期")
    unit = "min" if "avg_response_min" in names else "s"
    data: list[_Row] = []
    totals: list[_Row] = []
    avgs: list[_Row] = []
    key_field = "agent" if variant == "agent" else "date"
    for n, cells in rows:
        if not any(c.strip() for c in cells):
            continue
        by_field = {f: (cells[i] if i < len(cells) else "") for i, f in fields.items()}
        key_text = by_field.get(key_field, "").strip()
        summary = SUMMARY_WORDS.get(key_text) or SUMMARY_WORDS.get(by_field.get("date", "").strip())
        if summary is None and key_text == "":
            raise ValidationError(_where(n, "客服账号" if variant == "agent" else "日期"), "不能为空")
        day = -1
        if summary is None:
            day = file_day if file_day is not None else _parse_date(by_field["date"], _where(n, "日期"))
        row = _Row(n, day, key_text if variant == "agent" and summary is None else "")
        _fill(row, by_field, unit, average=summary == "avg")
        (data if summary is None else totals if summary == "total" else avgs).append(row)
    if not data:
        raise ValidationError("文件", "文件里没有数据行")
    seen: set[tuple[int, str]] = set()
    for row in data:
        if (row.day, row.agent) in seen:
            who = f"客服「{row.agent}」" if row.agent else "店铺"
            raise ValidationError(_where(row.row_no), f"{who}在 {day_date(row.day)} 出现了两次")
        seen.add((row.day, row.agent))
    return variant, data, totals, avgs


def _fill(row: _Row, cells: dict[str, str], unit: str, *, average: bool = False) -> None:
    n = row.row_no
    for f in _COUNTS:
        if f in cells and average:
            row.printed_counts[f] = m.parse_number(cells[f], _where(n, _LABELS[f]))
        elif f in cells:
            row.counts[f] = m.parse_count(cells[f], _where(n, _LABELS[f]))
    for f in (*_RATES, "conversion"):
        if f in cells:
            row.printed[f] = m.parse_rate(cells[f], _where(n, _LABELS[f]))
    for f, u in (("avg_response", unit), ("avg_response_s", "s"), ("avg_response_min", "min")):
        if f in cells:
            row.avg_response_ms = m.parse_duration_ms(cells[f], _where(n, _LABELS["avg_response"]), u)
    if "sales" in cells and not m.is_blank(cells["sales"]):
        try:
            row.sales_fen = yuan_to_fen(cells["sales"].strip().replace(",", ""))
        except MoneyError as exc:
            raise ValidationError(_where(n, "客服销售额"), str(exc)) from exc
    if not average:
        _exact_rates(row)


def _exact_rates(row: _Row) -> None:
    """Rates from counts where the row has them (printed rates checked), else the printed ones."""
    need, unreplied = row.counts.get("need_human"), row.counts.get("unreplied_3m")
    for f in _RATES:
        row.rates[f] = row.printed.get(f).value if row.printed.get(f) else None
    if need is not None and unreplied is not None:
        if unreplied > need:
            raise ValidationError(
                _where(row.row_no, "3分钟未回复人数"), f"{unreplied} 大于需要人工回复的咨询人数 {need}"
            )
        exact = Fraction(need - unreplied, need) if need else None
        _check(row, "r3", exact)
        row.rates["r3"] = exact
    inquiry, ordered = row.counts.get("inquiry_users"), row.counts.get("order_users")
    if inquiry is not None and ordered is not None:
        if ordered > inquiry:
            raise ValidationError(_where(row.row_no, "最终成团人数"), f"{ordered} 大于询单人数 {inquiry}")
        _check(row, "conversion", Fraction(ordered, inquiry) if inquiry else None)


def _check(row: _Row, f: str, exact: Fraction | None) -> None:
    printed = row.printed.get(f)
    if printed is None or exact is None:
        return
    if not m.consistent(printed, exact, percent=True):
        raise ValidationError(
            _where(row.row_no, _LABELS[f]),
            f"文件写的是 {m.rate_text(printed.value, printed.decimals)}，按人数算应为 {m.rate_text(exact)}",
        )


def _control(data: list[_Row], totals: list[_Row], avgs: list[_Row]) -> list[str]:
    """Check the 总计 and 平均 rows against the data rows; the checks made, in Chinese."""
    checks: list[str] = []
    for total in totals:
        for f, value in total.counts.items():
            if value is None:
                continue
            got = sum(r.counts.get(f) or 0 for r in data)
            if got != value:
                raise ValidationError(
                    _where(total.row_no, _LABELS[f]),
                    f"总计为 {value}，明细各行合计为 {got}：文件不完整或被改过，未导入任何数据",
                )
            checks.append(f"总计行「{_LABELS[f]}」{value} 与明细合计一致")
        need = sum(r.counts.get("need_human") or 0 for r in data)
        unreplied = [r.counts.get("unreplied_3m") for r in data]
        if need and None not in unreplied:
            _check(total, "r3", Fraction(need - sum(unreplied), need))  # type: ignore[arg-type]
            if total.printed.get("r3"):
                checks.append("总计行「3分钟人工回复率(8-23点)」与明细人数一致")
        if total.sales_fen is not None and all(r.sales_fen is not None for r in data):
            got = sum(r.sales_fen or 0 for r in data)
            if got != total.sales_fen:
                raise ValidationError(
                    _where(total.row_no, "客服销售额"),
                    f"总计与明细合计相差 {abs(got - total.sales_fen) / 100:.2f} 元",
                )
            checks.append("总计行「客服销售额」与明细合计一致")
    for avg in avgs:
        for f, printed in avg.printed_counts.items():
            if printed is None:
                continue
            mean = Fraction(sum(r.counts.get(f) or 0 for r in data), len(data))
            if not m.consistent(printed, mean, percent=False):
                raise ValidationError(
                    _where(avg.row_no, _LABELS[f]),
                    f"平均为 {_plain(printed)}，明细各行平均为 {_plain(m.Printed(mean, 2))}："
                    "文件不完整或被改过，未导入任何数据",
                )
            checks.append(f"平均行「{_LABELS[f]}」与明细平均一致")
    return checks


def _plain(p: m.Printed) -> str:
    """A printed number back as text with its decimals (half up)."""
    scaled = p.value * 10**p.decimals
    n = (scaled.numerator * 2 + scaled.denominator) // (2 * scaled.denominator)
    whole, frac = divmod(n, 10**p.decimals)
    return f"{whole}.{frac:0{p.decimals}d}" if p.decimals else str(whole)


def import_cs_export(path: Path | str) -> tuple[CsImportResult, Changes]:
    """Check a 客服 export whole, then store its rows in one transaction (replacing the same days).

    Raises:
        ValidationError: anything wrong in the file (nothing is stored then).
    """
    path = Path(path)
    rows = _read(path)
    with write_transaction():
        result = store_rows(rows, source=path.name)
    return result, CS_CHANGES


def header_variant(header: list[str]) -> str | None:
    """``"agent"`` / ``"shop"`` when a header row is a 客服 export's (咨询人数 and a reply rate or
    the count it is computed from), else None. The import registry detects the kinds with it.
    """  # noqa: D205
    names = {_COLUMNS.get(_norm_header(c or "")) for c in header}
    if "consult_users" not in names or not names & {"r3", "r30", "need_human", "unreplied_3m"}:
        return None
    return "agent" if "agent" in names else "shop"


def prepare_rows(
    rows: Iterator[tuple[int, list[str]]], *, source: str, now: int
) -> tuple[CsImportResult, list[dict[str, object]]]:
    """Check an export's rows whole: what it holds and the ``cs_metric_day`` records to store.

    Raises:
        ValidationError: anything wrong in the rows.
    """
    variant, data, totals, avgs = parse_rows(rows)
    checks = _control(data, totals, avgs)
    records: list[dict[str, object]] = []
    for r in data:
        rec: dict[str, object] = {"day": r.day, "agent": r.agent, "source": source, "imported_at": now}
        for f in _COUNTS:
            rec[f] = r.counts.get(f)
        for f in _RATES:
            rec[f"{f}_num"], rec[f"{f}_den"] = m.stored(r.rates.get(f))
        rec["avg_response_ms"] = r.avg_response_ms
        rec["sales_fen"] = r.sales_fen
        records.append(rec)
    result = CsImportResult(
        variant=variant,
        rows=len(records),
        days=tuple(sorted({r.day for r in data})),
        agents=tuple(sorted({r.agent for r in data if r.agent})),
        checks=tuple(checks),
        row_nos=tuple(r.row_no for r in data),
    )
    return result, records


def store_rows(rows: Iterator[tuple[int, list[str]]], *, source: str) -> CsImportResult:
    """Check an export's rows whole and store them (inside the caller's write transaction).

    Raises:
        ValidationError: anything wrong in the rows (nothing is stored then).
    """
    result, records = prepare_rows(rows, source=source, now=clock.now())
    q.upsert_days(records)
    return result


def store_hours(day: int, hours: list[tuple[int, int, int, int]], *, source: str) -> int:
    """Store one day's hours ``(hour, need human, unreplied 3 min, unanswered 30 s)`` (caller's transaction).

    Raises:
        ValidationError: an hour outside 0–23 or counts that do not add up.
    """
    records = []
    for hour, need, unreplied, slow in hours:
        if not 0 <= hour <= 23 or min(need, unreplied, slow) < 0 or unreplied > need or slow > need:
            raise ValidationError("分时数据", f"{hour} 点的数字不合理")
        records.append(
            {
                "day": day,
                "hour": hour,
                "need_human": need,
                "unreplied_3m": unreplied,
                "unanswered_30s": slow,
                "source": source,
            }
        )
    q.upsert_hours(records)
    return len(records)
