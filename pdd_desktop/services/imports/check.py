"""Checking an order file: read, merge rows per order, stage them, plan against the shop."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import weakref
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from pdd_desktop.common import clock
from pdd_desktop.common.task import TaskContext
from pdd_desktop.common.timefmt import format_ts
from pdd_desktop.domain import export_columns as ec
from pdd_desktop.domain.errors import ValidationError
from pdd_desktop.domain.money import format_yuan_plain
from pdd_desktop.domain.orders import OrderStatus
from pdd_desktop.services import bill_import, import_goods, import_registrations
from pdd_desktop.services.imports import ads, cs, kinds
from pdd_desktop.services.imports.helpers import _parse_cell, _previous_import, _report
from pdd_desktop.services.imports.model import (
    _COLS,
    _ITEM_KEYS,
    _STAGE_KEYS,
    CHUNK,
    PREVIEW_ORDERS,
    PROGRESS_CHECK,
    ImportCheck,
    PreviewOrder,
)
from pdd_desktop.services.imports.plan import _Merged, _plan, _PlanState
from pdd_desktop.services.staging import new_staging_dir
from pdd_desktop.tabular import bill_files
from pdd_desktop.tabular.import_files import (
    ColumnMapping,
    ErrorCollector,
    FileInfo,
    RowError,
    extra_cells_error,
    find_header,
    inspect_file,
    iter_rows,
    map_columns,
)

#: Times of things that have happened: a file cannot have them after tomorrow (2099 is a typo).
#: 承诺发货时间 (ship_deadline_at) is a promise and may lie ahead.
_PAST_TIMES = frozenset(
    ("paid_at", "group_formed_at", "confirmed_at", "shipped_at", "signed_at", "created_at")
)


def check_import_file(path: Path | str, *, task: TaskContext | None = None) -> ImportCheck:
    """Read and check every row of an order export or goods sheet; nothing is written.

    Raises:
        ValidationError: unreadable file, unknown kind, or required columns missing (named).
        Cancelled: the task was cancelled.
    """
    if bill_files.looks_like_bill_zip(path):  # the bill ZIP as downloaded from 对账中心
        return bill_import.check(path, _previous_import, task=task, result_type=ImportCheck)
    info = inspect_file(path)
    rows = iter_rows(info)
    header_no, header = find_header(rows)
    kind = kinds.detect(header)
    if kind is None:
        raise ValidationError("文件类型", kinds.unknown_kind_message(header))
    previous = _previous_import(info.sha256)
    return _CHECKERS[kind](info, header_no, header, rows, previous, task)


def _check_bills(info, header_no, header, rows, previous, task) -> ImportCheck:
    # The CSV inside a bill ZIP (its preamble skipped): the bill reader reads the file itself.
    rows.close()
    source = bill_files.BillSource(info.path, info.sha256, info.size, info.encoding, "")
    return bill_import.check(info.path, _previous_import, task=task, result_type=ImportCheck, source=source)


def _check_ads(info, header_no, header, rows, previous, task) -> ImportCheck:
    return ads.check(info, header_no, header, rows, previous, task=task, result_type=ImportCheck)


def _check_cs(info, header_no, header, rows, previous, task) -> ImportCheck:
    return cs.check(info, header_no, header, rows, previous, task=task, result_type=ImportCheck)


def _check_goods(info, header_no, header, rows, previous, task) -> ImportCheck:
    return import_goods.check(info, header_no, header, rows, previous, task=task, result_type=ImportCheck)


def _check_registrations(info, header_no, header, rows, previous, task) -> ImportCheck:
    return import_registrations.check(
        info, header_no, header, rows, previous, task=task, result_type=ImportCheck
    )


def _check_orders(
    info: FileInfo,
    header_no: int,
    header: list[str],
    rows: Iterator[tuple[int, list[str]]],
    previous: int | None,
    task: TaskContext | None,
) -> ImportCheck:
    mapping, found = map_columns(header, ec.ORDER_COLUMNS, ec.ORDER_UNUSED_HEADERS)
    missing = [_COLS[k].header for k in ec.ORDER_REQUIRED if k not in found]
    if missing:
        raise ValidationError("表头", f"缺少必需的列：{'、'.join(missing)}")
    staging = new_staging_dir()  # beside the shop, owner-only (services/staging.py)
    try:
        return _stage_and_plan(info, header_no, header, rows, previous, task, mapping, found, staging)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _open_staging(staging: str) -> sqlite3.Connection:
    conn = sqlite3.connect(os.path.join(staging, "rows.db"), isolation_level=None)
    conn.execute("PRAGMA journal_mode = OFF")
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("PRAGMA temp_store = MEMORY")
    return conn


def _stage_and_plan(
    info: FileInfo,
    header_no: int,
    header: list[str],
    rows: Iterator[tuple[int, list[str]]],
    previous: int | None,
    task: TaskContext | None,
    mapping: tuple[ColumnMapping, ...],
    found: dict[str, int],
    staging: str,
) -> ImportCheck:
    present = tuple(k for k in _STAGE_KEYS if k in found or (k == "status_refund" and "status" in found))
    width = len(header)
    conn = _open_staging(staging)
    try:
        conn.execute(
            "CREATE TABLE meta (k TEXT PRIMARY KEY, v TEXT)",
        )
        conn.execute("CREATE TABLE row (row_no INTEGER, " + ", ".join(f'"{k}"' for k in present) + ")")
        conn.execute("CREATE TABLE bad (order_sn TEXT PRIMARY KEY)")
        conn.execute(
            "INSERT INTO meta VALUES ('present', ?), ('sha256', ?)", (json.dumps(present), info.sha256)
        )
        insert = f"INSERT INTO row VALUES ({','.join('?' * (len(present) + 1))})"
        cols = [(k, _COLS[k], found[k]) for k in present if k != "status_refund"]
        now = clock.now()
        past = [(k, i) for k, _c, i in cols if k in _PAST_TIMES]
        errors = ErrorCollector()
        bad_sns: set[str] = set()
        batch: list[tuple] = []
        total = 0
        conn.execute("BEGIN")
        for row_no, cells in rows:
            if not any(cells):
                continue
            total += 1
            row_errors: list[RowError] = []
            values: dict[str, Any] = {}
            for key, col, idx in cols:
                text = cells[idx] if idx < len(cells) else ""
                try:
                    values[key] = _parse_cell(col, text)
                except ec.CellError as exc:
                    row_errors.append(RowError(row_no, header[idx], text, str(exc)))
            for key, idx in past:
                if values.get(key) is not None:
                    try:
                        ec.check_not_future(values[key], now)
                    except ec.CellError as exc:
                        row_errors.append(RowError(row_no, header[idx], cells[idx], str(exc)))
            extra = extra_cells_error(row_no, cells, width)
            if extra is not None:
                row_errors.append(extra)
            if "quantity" in values and not row_errors:
                try:
                    ec.check_quantity(values["quantity"] or 0)
                except ec.CellError as exc:
                    idx = found["quantity"]
                    row_errors.append(
                        RowError(row_no, header[idx], cells[idx] if idx < len(cells) else "", str(exc))
                    )
            if row_errors:
                errors.extend(row_errors)
                sn = values.get("order_sn")
                if sn:
                    bad_sns.add(sn)
                continue
            status, status_refund = values["status"]
            values["status"] = int(status)
            values["status_refund"] = status_refund
            batch.append((row_no, *(values[k] for k in present)))
            if len(batch) >= 5000:
                conn.executemany(insert, batch)
                batch.clear()
            if total % 2000 == 0:
                _report(task, total, 0, PROGRESS_CHECK)
        if batch:
            conn.executemany(insert, batch)
        conn.executemany("INSERT OR IGNORE INTO bad VALUES (?)", [(sn,) for sn in bad_sns])
        conn.execute("CREATE INDEX row_sn ON row (order_sn, row_no)")
        conn.execute("COMMIT")

        # Merge the rows of each order, check that they agree, compare with the shop.
        plan_state = _PlanState(present, clock.now())
        counts = {"new": 0, "updated": 0, "unchanged": 0}
        row_counts = {"new": 0, "updated": 0, "unchanged": 0}
        preview: list[PreviewOrder] = []
        group_errors: list[RowError] = []
        done = 0
        for chunk in _merged_chunks(conn, present, header, found, group_errors):
            for action in _plan(chunk, plan_state):
                counts[action.kind] += 1
                row_counts[action.kind] += len(action.order.rows)
                if len(preview) < PREVIEW_ORDERS:
                    preview.append(action.preview())
            done += len(chunk)
            _report(task, done, 0, PROGRESS_CHECK)
        conn.execute("BEGIN")
        conn.executemany(
            "INSERT OR IGNORE INTO bad VALUES (?)",
            [(e.raw_value,) for e in group_errors if e.column == "订单号"],
        )
        conn.execute("COMMIT")
    finally:
        conn.close()
    if total == 0:
        raise ValidationError("文件", "文件里没有数据行（只有表头）")
    errors.extend(group_errors)
    all_errors = errors.finish()
    unknown = tuple(m.header for m in mapping if m.status == "unknown")
    unused = tuple(m.header for m in mapping if m.status == "unused")
    warnings = list(plan_state.warnings())
    check = ImportCheck(
        path=str(info.path),
        file_name=info.path.name,
        sha256=info.sha256,
        kind="orders",
        generation=ec.generation(header),
        encoding=info.encoding,
        columns=mapping,
        unknown_columns=unknown,
        unused_columns=unused,
        rows_total=total,
        errors=all_errors,
        bad_row_count=errors.bad_rows,
        new=counts["new"],
        updated=counts["updated"],
        unchanged=counts["unchanged"],
        rows_new=row_counts["new"],
        rows_updated=row_counts["updated"],
        rows_unchanged=row_counts["unchanged"],
        preview=tuple(preview),
        warnings=tuple(warnings),
        already_imported=previous is not None,
        imported_at=previous,
        staging=staging,
    )
    weakref.finalize(check, shutil.rmtree, staging, True)
    return check


def _merged_chunks(
    conn: sqlite3.Connection,
    present: tuple[str, ...],
    header: list[str],
    found: dict[str, int],
    group_errors: list[RowError] | None,
) -> Iterator[list[_Merged]]:
    """Orders of the staging file in chunks of :data:`CHUNK`; orders with any bad row are skipped.

    Rows of one order must agree on every order-level column; when they do not, every row of
    the order is reported (``group_errors``) and the order is skipped.
    """
    order_keys = [k for k in present if k not in _ITEM_KEYS and k != "order_sn"]
    item_keys = [k for k in present if k in _ITEM_KEYS]
    pos = {k: i + 1 for i, k in enumerate(present)}
    o_pos = [(k, pos[k]) for k in order_keys]
    i_pos = [(k, pos[k]) for k in item_keys]
    sn_pos = pos["order_sn"]
    bad = {r[0] for r in conn.execute("SELECT order_sn FROM bad")}
    chunk: list[_Merged] = []

    def flush_group(group: list[tuple]) -> _Merged | None:
        sn = group[0][sn_pos]
        if sn in bad:
            if group_errors is not None:
                for r in group:
                    group_errors.append(RowError(r[0], "订单号", sn, "同一订单的其他行有错误，整单未导入"))
            return None
        first = group[0]
        for r in group[1:]:
            for k, p in o_pos:
                if r[p] != first[p]:
                    if group_errors is not None:
                        col = _COLS.get(k) or _COLS["status"]
                        header_text = header[found[col.key]]
                        group_errors.append(
                            RowError(
                                r[0],
                                header_text,
                                _display(k, r[p]),
                                f"与第 {first[0]} 行（同一订单）的{header_text}不一致："
                                f"{_display(k, first[p])}",
                            )
                        )
                        for other in group:
                            if other[0] != r[0]:
                                group_errors.append(
                                    RowError(other[0], "订单号", sn, "同一订单的各行不一致，整单未导入")
                                )
                    return None
        o = {k: first[p] for k, p in o_pos}
        items = [{k: r[p] for k, p in i_pos} for r in group]
        return _Merged(sn, [r[0] for r in group], o, items)

    group: list[tuple] = []
    for r in conn.execute("SELECT * FROM row ORDER BY order_sn, row_no"):
        if group and r[sn_pos] != group[0][sn_pos]:
            merged = flush_group(group)
            if merged is not None:
                chunk.append(merged)
                if len(chunk) >= CHUNK:
                    yield chunk
                    chunk = []
            group = []
        group.append(r)
    if group:
        merged = flush_group(group)
        if merged is not None:
            chunk.append(merged)
    if chunk:
        yield chunk


def _display(key: str, value: Any) -> str:
    if value is None:
        return ""
    if key.endswith("_fen"):
        return format_yuan_plain(int(value))
    if key.endswith("_at"):
        return format_ts(int(value))
    if key == "status":
        return OrderStatus(value).label
    return str(value)


#: Each kind's checker (``kinds.KINDS`` names the kinds): (info, header_no, header, rows, previous, task).
_CHECKERS: dict[str, Callable[..., ImportCheck]] = {
    "ads": _check_ads,
    "bills": _check_bills,
    "registrations": _check_registrations,
    cs.KIND_SHOP: _check_cs,
    cs.KIND_AGENT: _check_cs,
    "goods": _check_goods,
    "orders": _check_orders,
}
