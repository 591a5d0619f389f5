"""Activity registrations (报名记录) from the platform's export, through the import machinery.

Called by :mod:`pdd_desktop.services.imports` (kind ``registrations``, detected from the header:
活动ID together with 报名时间 or 报名状态/状态).

Layout: the 报名记录 page (``mms.pinduoduo.com/act/register_record``) names 活动ID/名称, 活动类型, 商品,
状态, 报名时间, 报名起止, 驳回/取消原因, 商品库存, 已售数量, 活动时间段 (start/end, 活动库存,
min/max SKU 活动价)
and SKU 活动价, 最低拼团价 (merchant-data.md §6, [C RPA]). The export's exact header is not
documented; the file is read as one row per SKU (样式ID + SKU活动价(元)) or per goods (without
them), with the column names below and their aliases [I]. Rows of the same 活动ID × 商品ID form
one registration; SKU prices are in yuan (fen exactly); times Beijing ``yyyy-MM-dd HH:mm:ss``.

All or nothing per registration: a bad row rejects every row of its registration (reported
per row), the file's other registrations are applied when the merchant accepts the good rows;
the whole file is one transaction. A registration already stored is replaced (state, times,
prices), so a newer export brings the platform's newer state.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from pdd_desktop.common import clock
from pdd_desktop.common.changes import Changes
from pdd_desktop.common.task import Cancelled, TaskContext
from pdd_desktop.data.db import database, write_transaction
from pdd_desktop.domain import export_columns as ec
from pdd_desktop.domain.errors import ValidationError
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

KIND = "registrations"
CHANGES = Changes(marketing=True)

COLUMNS: tuple[ec.Column, ...] = (
    ec.Column("activity_id", ("活动ID", "活动id", "活动编号"), ec.TEXT),
    ec.Column("activity_name", ("活动名称",), ec.TEXT),
    ec.Column("activity_type", ("活动类型",), ec.TEXT),
    ec.Column("goods_id", ("商品ID", "商品id", "商品编号"), ec.ID),
    ec.Column("goods_name", ("商品名称", "商品"), ec.TEXT),
    ec.Column("state", ("报名状态", "状态"), ec.TEXT),
    ec.Column("registered_at", ("报名时间",), ec.TIME),
    ec.Column("start_at", ("活动开始时间", "开始时间"), ec.TIME),
    ec.Column("end_at", ("活动结束时间", "结束时间"), ec.TIME),
    ec.Column("reason", ("驳回/取消原因", "驳回原因", "取消原因"), ec.TEXT),
    ec.Column("goods_stock", ("商品库存",), ec.INT),
    ec.Column("sold_quantity", ("已售数量",), ec.INT),
    ec.Column("activity_stock", ("活动库存",), ec.INT),
    ec.Column("sku_id", ("样式ID", "样式id", "SKU ID", "skuID", "规格ID"), ec.ID),
    ec.Column("activity_price_fen", ("SKU活动价(元)", "SKU 活动价(元)", "活动价(元)", "SKU活动价"), ec.MONEY),
    ec.Column("lowest_group_price_fen", ("最低拼团价(元)", "最低拼团价"), ec.MONEY),
)
_COLS = {c.key: c for c in COLUMNS}
REQUIRED = ("activity_id", "goods_id", "state")
_GOODS_LEVEL = (
    "activity_name",
    "activity_type",
    "goods_name",
    "state",
    "registered_at",
    "start_at",
    "end_at",
    "reason",
    "goods_stock",
    "sold_quantity",
    "activity_stock",
    "lowest_group_price_fen",
)


def is_registration_header(header: list[str]) -> bool:
    """The header of a 报名记录 export."""
    names = {ec.normalize_header(h) for h in header}
    return bool(names & {"活动ID", "活动id"}) and bool(names & {"报名时间", "报名状态", "状态"})


@dataclass(frozen=True)
class PreviewRegistration:
    """One good registration of the file."""

    row_no: int
    activity_id: str
    activity_name: str
    goods_id: int
    goods_name: str
    state: str
    skus: int
    action: str


def _parse(col: ec.Column, text: str) -> Any:
    if col.kind == ec.TEXT:
        return ec.check_text(text).strip()
    if not text:
        return None
    if col.kind == ec.MONEY:
        return ec.parse_money(text)
    if col.kind == ec.INT:
        return ec.parse_int(text)
    if col.kind == ec.TIME:
        return ec.parse_time(text)
    return ec.parse_id(text)


@dataclass
class _Group:
    first_row: int
    rows: list[int]
    values: dict[str, Any]
    skus: dict[int, int]
    bad: bool = False


def _existing() -> dict[tuple[str, int], tuple]:
    return {
        (r[0], int(r[1])): r[2:]
        for r in database.execute_sql(
            "SELECT activity_id, goods_id, id, state, start_at, end_at, min_price_fen, max_price_fen "
            "FROM activity_registration"
        ).fetchall()
    }


def _action(key: tuple[str, int], g: _Group, existing: dict[tuple[str, int], tuple]) -> str:
    have = existing.get(key)
    if have is None:
        return "new"
    prices = list(g.skus.values())
    now = (
        g.values.get("state"),
        g.values.get("start_at"),
        g.values.get("end_at"),
        min(prices) if prices else None,
        max(prices) if prices else None,
    )
    return "unchanged" if tuple(have[1:]) == now else "updated"


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
    """Check a 报名记录 export (see the module docstring); returns an ``imports.ImportCheck``."""
    mapping, found = map_columns(header, COLUMNS)
    missing = [_COLS[k].header for k in REQUIRED if k not in found]
    if missing:
        raise ValidationError("表头", f"缺少必需的列：{'、'.join(missing)}")
    if ("sku_id" in found) != ("activity_price_fen" in found):
        raise ValidationError("表头", "样式ID 与 SKU活动价(元) 两列需同时存在")
    sku_goods = dict(database.execute_sql("SELECT sku_id, goods_id FROM sku").fetchall())
    groups: dict[tuple[str, int], _Group] = {}
    row_errors: dict[int, list[RowError]] = {}
    row_group: dict[int, tuple[str, int]] = {}
    total = 0
    for row_no, cells in rows:
        if not any(c.strip() for c in cells):
            continue
        total += 1
        errs: list[RowError] = []
        values: dict[str, Any] = {}
        for key, idx in found.items():
            text = cells[idx].strip() if idx < len(cells) else ""
            try:
                values[key] = _parse(_COLS[key], text)
            except ec.CellError as exc:
                errs.append(RowError(row_no, header[idx], text, str(exc)))

        def err(key: str, message: str, row_no: int = row_no, cells: list = cells, out: list = errs) -> None:
            idx = found.get(key)
            out.append(
                RowError(
                    row_no,
                    header[idx] if idx is not None else "",
                    cells[idx] if idx is not None and idx < len(cells) else "",
                    message,
                )
            )

        extra = extra_cells_error(row_no, cells, len(header))
        if extra is not None:
            errs.append(extra)
        for key, label in (("activity_id", "活动ID"), ("goods_id", "商品ID"), ("state", "报名状态")):
            if key not in {e.column for e in errs} and values.get(key) in (None, ""):
                err(key, f"{label}不能为空")
        if values.get("activity_id") and len(values["activity_id"]) > 64:
            err("activity_id", "活动ID过长")
        start, end = values.get("start_at"), values.get("end_at")
        if start is not None and end is not None and end <= start:
            err("end_at", "活动结束时间应晚于开始时间")
        sku_id, price = values.get("sku_id"), values.get("activity_price_fen")
        if "sku_id" in found and (sku_id is None) != (price is None):
            err("activity_price_fen" if sku_id is not None else "sku_id", "样式ID 与 SKU活动价 需同时填写")
        if price is not None and price <= 0:
            err("activity_price_fen", "活动价应大于 0")
        goods_id = values.get("goods_id")
        if sku_id is not None and goods_id is not None and sku_goods.get(sku_id, goods_id) != goods_id:
            err("sku_id", f"该样式ID属于另一个商品（{sku_goods[sku_id]}）")
        key = (values.get("activity_id") or "", goods_id or 0)
        if not errs:
            g = groups.get(key)
            if g is None:
                g = groups[key] = _Group(row_no, [], {k: values.get(k) for k in _GOODS_LEVEL}, {})
            if sku_id is not None:
                if sku_id in g.skus:
                    err("sku_id", "同一报名记录里样式ID重复")
                else:
                    g.skus[sku_id] = price
            if not errs:
                g.rows.append(row_no)
        if errs:
            row_errors[row_no] = errs
            if key in groups:
                groups[key].bad = True
            else:
                row_group[row_no] = key
        else:
            row_group[row_no] = key
        if total % 1000 == 0:
            report_progress(task, total, 0, PROGRESS_CHECK)
    if total == 0:
        raise ValidationError("文件", "文件里没有数据行（只有表头）")
    # a bad row sinks its whole registration (all or nothing per registration)
    for row_no, key in row_group.items():
        if row_no in row_errors and key in groups:
            groups[key].bad = True
    errors = ErrorCollector()
    for row_no in sorted(set(row_errors) | {r for g in groups.values() if g.bad for r in g.rows}):
        if row_no in row_errors:
            errors.extend(row_errors[row_no])
        else:
            key = row_group[row_no]
            errors.extend(
                [RowError(row_no, "", "", f"同一报名记录（活动 {key[0]}，商品 {key[1]}）的其他行有错误")]
            )
    good = {k: g for k, g in groups.items() if not g.bad}
    existing = _existing()
    counts = dict.fromkeys(ACTIONS, 0)
    preview = []
    for key, g in good.items():
        action = _action(key, g, existing)
        counts[action] += 1
        if len(preview) < 50:
            preview.append(
                PreviewRegistration(
                    g.first_row,
                    key[0],
                    g.values.get("activity_name") or "",
                    key[1],
                    g.values.get("goods_name") or "",
                    g.values.get("state") or "",
                    len(g.skus),
                    action,
                )
            )
    rows_of = {a: sum(len(g.rows) for k, g in good.items() if _action(k, g, existing) == a) for a in counts}
    return checked_file(
        result_type, info, previous, kind=KIND, rows_total=total, counts=counts, row_counts=rows_of,
        mapping=mapping, errors=errors, preview=preview,
        records=tuple((k, g.values, tuple(sorted(g.skus.items()))) for k, g in good.items()),
    )  # fmt: skip


def apply(check: Any, *, task: TaskContext | None, record: Callable[..., int], result_type: type) -> Any:
    """Write the good registrations of a checked file in one transaction."""
    now = clock.now()
    counts = dict.fromkeys(ACTIONS, 0)
    try:
        with write_transaction():
            existing = _existing()
            conn = database.connection()
            batch_id = record(check, 0, 0, 0, now)
            for n, (key, values, skus) in enumerate(check.records, start=1):
                g = _Group(0, [], dict(values), dict(skus))
                action = _action(key, g, existing)
                counts[action] += 1
                prices = [p for _s, p in skus]
                cols = (
                    values.get("activity_name") or "",
                    values.get("activity_type") or "",
                    values.get("goods_name") or "",
                    values.get("state") or "",
                    values.get("registered_at"),
                    values.get("start_at"),
                    values.get("end_at"),
                    values.get("reason") or "",
                    values.get("goods_stock"),
                    values.get("sold_quantity"),
                    values.get("activity_stock"),
                    min(prices) if prices else None,
                    max(prices) if prices else None,
                    values.get("lowest_group_price_fen"),
                    batch_id,
                    now,
                )
                have = existing.get(key)
                if have is None:
                    cur = conn.execute(
                        "INSERT INTO activity_registration (activity_name, activity_type, goods_name, state, "
                        "registered_at, start_at, end_at, reason, goods_stock, sold_quantity, "
                        "activity_stock, "
                        "min_price_fen, max_price_fen, lowest_group_price_fen, import_batch_id, updated_at, "
                        "activity_id, goods_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                        "?)",
                        (*cols, key[0], key[1]),
                    )
                    rid = cur.lastrowid
                else:
                    rid = have[0]
                    conn.execute(
                        "UPDATE activity_registration SET activity_name = ?, activity_type = ?, goods_name "
                        "= ?, "
                        "state = ?, registered_at = ?, start_at = ?, end_at = ?, reason = ?, goods_stock = "
                        "?, "
                        "sold_quantity = ?, activity_stock = ?, min_price_fen = ?, max_price_fen = ?, "
                        "lowest_group_price_fen = ?, import_batch_id = ?, updated_at = ? WHERE id = ?",
                        (*cols, rid),
                    )
                    conn.execute("DELETE FROM activity_registration_sku WHERE registration_id = ?", (rid,))
                conn.executemany(
                    "INSERT INTO activity_registration_sku (registration_id, sku_id, activity_price_fen) "
                    "VALUES (?, ?, ?)",
                    [(rid, s, p) for s, p in skus],
                )
                if n % 500 == 0:
                    report_progress(task, n, len(check.records), PROGRESS_APPLY)
            conn.execute(
                "UPDATE import_batch SET rows_new = ?, rows_updated = ?, rows_unchanged = ? WHERE id = ?",
                (check.rows_new, check.rows_updated, check.rows_unchanged, batch_id),
            )
    except Cancelled:
        return cancelled_file(result_type, KIND, check.file_name)
    message = (
        f"已导入 {check.file_name}：新报名记录 {counts['new']} 条，更新 {counts['updated']} 条，"
        f"无变化 {counts['unchanged']} 条，拒绝 {check.bad_rows} 行。"
    )
    return applied_file(
        result_type, KIND, check.file_name, batch_id, counts, changes=CHANGES, message=message,
        rejected=check.bad_rows,
    )  # fmt: skip
