"""Importing bill files (货款账单): check every line, then apply the whole file or nothing.

A bill goes through the same door as an order export (``services/imports``: the import window,
the watched folder, ``pdd-desktop import FILE``); its kind is told from the header
(``tabular/bill_files.py``). Unlike an order export a bill is never applied in part: it is the
shop's money, and a file whose lines do not add up to its own 收入合计 / 支出合计 (or with one bad
amount, time or order number) is refused whole, with the line and the reason.

Check (writes nothing): every line parsed and classified (``domain/funds.py``), the lines staged
in a temporary SQLite file beside the shop (a 12-month bill has a million lines), numbered
within the file per identical content (``ordinal``: see ``data/schema_funds.py`` for what
identifies a line), and compared with the lines the shop already has: lines of an overlapping
period that were imported before count as 已导入过 and are not added again.

Apply: one ``BEGIN IMMEDIATE`` transaction with the ``import_batch`` row, the new lines
(``INSERT OR IGNORE`` on the line identity), their per-order sums added to ``bill_order``
(``data/bill_rollup.py``), their per-day and category sums to ``bill_day``
(``data/ledger_rollup.py``) and the file's ``bill_period``.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pdd_desktop.common import clock
from pdd_desktop.common.changes import Changes
from pdd_desktop.common.task import Cancelled, TaskContext
from pdd_desktop.common.timefmt import format_ts
from pdd_desktop.data import bill_rollup, ledger_rollup
from pdd_desktop.data.db import database, write_transaction
from pdd_desktop.domain import export_columns as ec
from pdd_desktop.domain import funds
from pdd_desktop.domain.errors import NotAllowed
from pdd_desktop.domain.money import format_yuan
from pdd_desktop.services.import_kind import applied_file, cancelled_file, checked_file
from pdd_desktop.services.staging import new_staging_dir
from pdd_desktop.tabular import bill_files
from pdd_desktop.tabular.import_files import ColumnMapping, ErrorCollector, RowError, extra_cells_error

KIND = "bills"
FUNDS_CHANGES = Changes(funds=True)
PREVIEW_ROWS = 50
#: Lines staged and written per statement.
CHUNK = 5000
_IN = 400
_STAGE_COLS = (
    "row_no", "content_key", "ordinal", "occurred_at", "order_sn", "amount_fen", "account_type", "remark",
    "description", "code", "category",
)  # fmt: skip
#: Staged lines copied per statement in the apply step (between progress reports / cancel checks).
APPLY_CHUNK = 100_000
_ENTRY_FROM_STAGING = (
    "INSERT OR IGNORE INTO bill_entry (content_key, ordinal, batch_id, occurred_at, order_sn, amount_fen, "
    "account_type, remark, description, code, category) SELECT content_key, ordinal, ?, occurred_at, "
    "order_sn, amount_fen, account_type, remark, description, code, category FROM staged.rows "
    "WHERE rowid BETWEEN ? AND ? ORDER BY rowid"
)
#: bill_entry's indexes that a big import drops and builds again (the line identity stays: the
#: ``INSERT OR IGNORE`` needs it). Building an index once over sorted keys is several times
#: cheaper than a million random inserts into it.
#: The line identity (data/schema_funds.py).
_IDENTITY_INDEX = "bill_entry_content_key_ordinal"
#: Below this many lines an import never rebuilds indexes.
REBUILD_MIN_LINES = 50_000
_SECONDARY_INDEXES = ("bill_entry_occurred_at_cover", "bill_entry_order_sn_cover", "bill_entry_batch_id")


def _drop_secondary_indexes(db: sqlite3.Connection, incoming: int) -> list[str]:
    """Drop bill_entry's indexes for a big import; returns the statements that build them again.

    When ``incoming`` lines outnumber the stored ones (and are at least
    :data:`REBUILD_MIN_LINES`) the secondary indexes go; into an empty ledger the line identity
    goes too (the staged lines are unique by construction: one ordinal per identical content, so
    nothing can be ignored, and ``CREATE UNIQUE INDEX`` would refuse a duplicate anyway). The
    statements are the indexes' own DDL as stored, run in the same transaction after the
    insert, so the schema is unchanged. A small import into a big ledger keeps every index
    (rebuilding would cost more than the inserts).
    """
    if incoming < REBUILD_MIN_LINES:
        return []
    stored = db.execute("SELECT MAX(id) FROM bill_entry").fetchone()[0] or 0
    if incoming <= stored:
        return []
    names = (*_SECONDARY_INDEXES, _IDENTITY_INDEX) if stored == 0 else _SECONDARY_INDEXES
    marks = ",".join("?" * len(names))
    rows = db.execute(
        f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'bill_entry' "
        f"AND name IN ({marks})",
        names,
    ).fetchall()
    for name, _sql in rows:
        db.execute(f'DROP INDEX "{name}"')
    return [sql for _name, sql in rows]


@dataclass(frozen=True)
class PreviewBill:
    """One line of the file as the import will see it (the dialog's preview)."""

    row_no: int
    order_sn: str
    category: str  #: domain.funds key
    amount_fen: int
    occurred_at: int
    description: str
    action: str  #: "new" / "unchanged" (already in the shop)


@dataclass(frozen=True)
class BillTotals:
    """The file's lines summed as the control totals count them."""

    income_rows: int
    income_fen: int
    expense_rows: int
    expense_fen: int


def _open_staging(staging: str) -> sqlite3.Connection:
    conn = sqlite3.connect(os.path.join(staging, "bill.db"), isolation_level=None)
    conn.execute("PRAGMA journal_mode = OFF")
    conn.execute("PRAGMA synchronous = OFF")
    return conn


def check(
    path: Path | str,
    previous: Callable[[str], int | None],
    *,
    task: TaskContext | None,
    result_type: type,
    source: bill_files.BillSource | None = None,
) -> Any:
    """Check a bill file (module docstring); returns an ``imports.ImportCheck`` of kind ``bills``.

    Raises:
        ValidationError: not a bill, unreadable, or required columns missing.
        Cancelled: the task was cancelled.
    """
    src = source or bill_files.open_bill(path)
    lines = bill_files.iter_lines(src)
    head = bill_files.read_head(lines)
    staging = new_staging_dir()
    try:
        return _check(src, head, lines, previous(src.sha256), staging, task, result_type)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _check(
    src: bill_files.BillSource,
    head: bill_files.BillHead,
    lines: Any,
    previous: int | None,
    staging: str,
    task: TaskContext | None,
    result_type: type,
) -> Any:
    conn = _open_staging(staging)
    try:
        conn.execute(f"CREATE TABLE rows ({', '.join(_STAGE_COLS)})")
        conn.execute("CREATE TABLE meta (k TEXT PRIMARY KEY, v)")
        # One transaction for the whole staging: in autocommit every staged line would be its
        # own commit (a quarter of the check's time on a 1,000,000-line bill).
        conn.execute("BEGIN")
        errors = ErrorCollector()
        controls: list[bill_files.ControlTotal] = []
        width = len(head.header)
        sums = [0, 0, 0, 0]  # income rows, income fen, expense rows, expense fen
        first_at: int | None = None
        last_at: int | None = None
        total = 0
        buffer: list[tuple] = []
        insert = f"INSERT INTO rows VALUES ({', '.join('?' * len(_STAGE_COLS))})"
        for n, cells in lines:
            if not any(cells):
                continue
            if bill_files.is_summary_line(cells):
                try:
                    control = bill_files.parse_control(n, cells)
                except ec.CellError as exc:
                    errors.extend([RowError(n, "", " ".join(c for c in cells if c), str(exc))])
                    continue
                if control is not None:
                    controls.append(control)
                continue
            total += 1
            row, row_errors = bill_files.parse_row(n, cells, head)
            extra = extra_cells_error(n, cells, width)
            if extra is not None:
                row_errors.append(extra)
            if row_errors or row is None:
                errors.extend(row_errors)
                continue
            amount = row.amount_fen
            code, category = funds.classify(row.description, amount)
            if row.is_expense:
                sums[2] += 1
                sums[3] += row.expense_fen
            else:
                sums[0] += 1
            sums[1] += row.income_fen
            first_at = row.occurred_at if first_at is None else min(first_at, row.occurred_at)
            last_at = row.occurred_at if last_at is None else max(last_at, row.occurred_at)
            buffer.append(
                (n, bill_files.content_key(row), 0, row.occurred_at, row.order_sn, amount, row.account_type,
                 row.remark, row.description, code, category)
            )  # fmt: skip
            if len(buffer) >= CHUNK:
                conn.executemany(insert, buffer)
                buffer.clear()
                if task is not None:
                    task.report(total, 0, "正在检查文件")
                    task.raise_if_cancelled()
        if buffer:
            conn.executemany(insert, buffer)
        totals = BillTotals(*sums)
        warnings = _check_controls(controls, totals, errors)
        if total == 0:  # a day without money moving: a valid bill, it marks the day as known
            warnings.append("账单里没有明细行（这段时间没有收支）。")
        # Identical lines are numbered in file order (the line identity, data/schema_funds.py).
        conn.execute("CREATE INDEX rows_key ON rows (content_key, row_no)")
        conn.execute(
            "UPDATE rows SET ordinal = r.n FROM (SELECT rowid AS id, ROW_NUMBER() OVER "
            "(PARTITION BY content_key ORDER BY row_no) AS n FROM rows) AS r WHERE rows.rowid = r.id"
        )
        period = head.period or (_day_start(first_at or 0), _day_start(last_at or 0) + 86_399)
        meta = {
            "period_start": period[0], "period_end": period[1], "income_rows": totals.income_rows,
            "income_fen": totals.income_fen, "expense_rows": totals.expense_rows,
            "expense_fen": totals.expense_fen,
        }  # fmt: skip
        conn.executemany("INSERT INTO meta VALUES (?, ?)", list(meta.items()))
        if not database.execute_sql("SELECT 1 FROM bill_entry LIMIT 1").fetchone():
            # Into an empty ledger every staged line is new: their per-order and per-day sums
            # are grouped here, so the apply only loads them (data/bill_rollup.py,
            # data/ledger_rollup.py).
            conn.execute(f"CREATE TABLE sums AS {bill_rollup.grouped_sql('rows')}")
            conn.execute(f"CREATE TABLE day_sums AS {ledger_rollup.grouped_sql('rows')}")
        conn.execute("COMMIT")
        unchanged = _existing_count(conn, task)
        first = conn.execute(
            f"SELECT {', '.join(_STAGE_COLS)} FROM rows ORDER BY row_no LIMIT {PREVIEW_ROWS}"
        )
        first = first.fetchall()
        known = _known(first) if unchanged else set()
        preview = tuple(
            PreviewBill(r[0], r[4], r[10], r[5], r[3], r[8], "unchanged" if (r[1], r[2]) in known else "new")
            for r in first
        )
        new = int(conn.execute("SELECT COUNT(*) FROM rows").fetchone()[0]) - unchanged
    finally:
        conn.close()
    mapping = tuple(
        ColumnMapping(
            i, raw, _canonical(raw), "used" if _canonical(raw) else ("unknown" if raw else "unused")
        )
        for i, raw in enumerate(head.header)
        if raw
    )
    warnings.insert(0, _period_line(period, totals))
    counts = {"new": new, "updated": 0, "unchanged": unchanged}
    return checked_file(
        result_type, src, previous, kind=KIND, rows_total=total, counts=counts, mapping=mapping,
        unknown_columns=head.unknown, errors=errors, preview=preview, warnings=warnings, staging=staging,
    )  # fmt: skip


def _canonical(raw: str) -> str:
    for _key, header, _required in bill_files.COLUMNS:
        if ec.normalize_header(header) == ec.normalize_header(raw):
            return header
    return ""


def _day_start(ts: int) -> int:
    """The Beijing midnight at or before ``ts`` (no daylight saving in UTC+8)."""
    offset = 8 * 3600
    return (ts + offset) // 86_400 * 86_400 - offset


def _period_line(period: tuple[int, int], t: BillTotals) -> str:
    return (
        f"账单期间 {format_ts(period[0], '%Y-%m-%d')} 至 {format_ts(period[1], '%Y-%m-%d')}；"
        f"收入 {t.income_rows} 笔 {format_yuan(t.income_fen)}，"
        f"支出 {t.expense_rows} 笔 {format_yuan(t.expense_fen)}。"
    )


def _check_controls(
    controls: list[bill_files.ControlTotal], t: BillTotals, errors: ErrorCollector
) -> list[str]:
    """Compare the summary lines with the lines; a mismatch is an error of the summary line."""
    if errors.total:
        return []  # bad lines are not summed: the totals cannot be compared (the file is refused anyway)
    seen: dict[str, bill_files.ControlTotal] = {}
    problems: list[RowError] = []
    for c in controls:
        label = "收入合计" if c.kind == "income" else "支出合计"
        if c.kind in seen:
            problems.append(
                RowError(c.row_no, "", label, f"{label} 出现了两次（第 {seen[c.kind].row_no} 行已有）")
            )
            continue
        seen[c.kind] = c
        rows, fen = (t.income_rows, t.income_fen) if c.kind == "income" else (t.expense_rows, t.expense_fen)
        if c.count != rows or abs(c.amount_fen) != abs(fen):
            problems.append(
                RowError(
                    c.row_no, "", f"{c.count} 笔 {format_yuan(c.amount_fen)}",
                    f"{label}与明细不符：文件写 {c.count} 笔 {format_yuan(c.amount_fen)}，"
                    f"明细加起来是 {rows} 笔 {format_yuan(fen)}（文件可能不完整或被改动过，请重新下载）",
                )
            )  # fmt: skip
    errors.extend(problems)
    missing = [label for kind, label in (("income", "收入合计"), ("expense", "支出合计")) if kind not in seen]
    if missing:
        return [f"文件没有{'、'.join(missing)}行：无法用合计核对明细是否完整。"]
    return ["收入合计、支出合计与明细相符。"]


def _existing_count(conn: sqlite3.Connection, task: TaskContext | None) -> int:
    """How many staged lines the shop already has (same content_key and ordinal)."""
    if not database.execute_sql("SELECT 1 FROM bill_entry LIMIT 1").fetchone():
        return 0
    cur = conn.execute("SELECT content_key, ordinal FROM rows ORDER BY content_key")
    count = 0
    while part := cur.fetchmany(_IN):
        count += len(_known(part))
        if task is not None:
            task.raise_if_cancelled()
    return count


def _known(rows: list[tuple]) -> set[tuple[int, int]]:
    """The (content_key, ordinal) pairs of ``rows`` (``row[1:3]`` or ``row[0:2]``) already stored."""
    pairs = {(int(r[1]), int(r[2])) if len(r) > 2 else (int(r[0]), int(r[1])) for r in rows}
    found: set[tuple[int, int]] = set()
    keys = sorted({k for k, _o in pairs})
    for i in range(0, len(keys), _IN):
        part = keys[i : i + _IN]
        for a, b in database.execute_sql(
            f"SELECT content_key, ordinal FROM bill_entry WHERE content_key IN ({','.join('?' * len(part))})",
            part,
        ).fetchall():
            if (int(a), int(b)) in pairs:
                found.add((int(a), int(b)))
    return found


def apply(
    check: Any,
    *,
    task: TaskContext | None,
    record: Callable[..., int],
    result_type: type,
    source: str = "file",
) -> Any:
    """Write a clean checked bill in one transaction: the batch, the new lines, the period.

    Raises:
        NotAllowed: the file has errors (a bill is never applied in part) or the check expired.
    """
    if check.errors:
        raise NotAllowed(f"账单文件有 {check.bad_rows} 处错误，整个文件都没有导入：请重新下载账单后再导入。")
    db_file = os.path.join(check.staging, "bill.db")
    if not check.staging or not os.path.exists(db_file):
        raise NotAllowed("检查结果已过期，请重新检查文件")
    conn = _open_staging(check.staging)
    try:
        meta = dict(conn.execute("SELECT k, v FROM meta").fetchall())
        last_rowid = int(conn.execute("SELECT COALESCE(MAX(rowid), 0) FROM rows").fetchone()[0])
    finally:
        conn.close()
    now = clock.now()
    db = database.connection()
    # The staged lines go in set-based (INSERT … SELECT from the attached staging file) instead of
    # through Python; ATTACH is not allowed inside a transaction, hence before it.
    db.execute("ATTACH DATABASE ? AS staged", (db_file,))
    try:
        total = check.rows_total
        with write_transaction():
            batch_id = record(check, 0, 0, 0, now)
            before = db.total_changes
            was_empty = db.execute("SELECT 1 FROM bill_entry LIMIT 1").fetchone() is None
            rebuilt = _drop_secondary_indexes(db, last_rowid)
            done = 0
            for lo in range(1, last_rowid + 1, APPLY_CHUNK):
                hi = min(last_rowid, lo + APPLY_CHUNK - 1)
                db.execute(_ENTRY_FROM_STAGING, (batch_id, lo, hi))
                done = hi
                if task is not None:
                    task.report(min(done, total), total, "正在导入")
                    task.raise_if_cancelled()
            for sql in rebuilt:
                db.execute(sql)
            new = db.total_changes - before
            if new:  # the per-order and per-day sums, same transaction
                if was_empty and new == last_rowid:
                    staged = db.execute(
                        "SELECT 1 FROM staged.sqlite_master WHERE type = 'table' AND name = 'sums'"
                    ).fetchone()
                    bill_rollup.rebuild(db, "staged.sums" if staged else None)
                    ledger_rollup.rebuild(db, "staged.day_sums" if staged else None)
                else:
                    bill_rollup.add_batch(db, batch_id)
                    ledger_rollup.add_batch(db, batch_id)
            unchanged = last_rowid - new
            db.execute(
                "UPDATE import_batch SET rows_new = ?, rows_unchanged = ? WHERE id = ?",
                (new, unchanged, batch_id),
            )
            db.execute(
                "INSERT INTO bill_period (batch_id, start_at, end_at, source, income_rows, income_fen, "
                "expense_rows, expense_fen) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (batch_id, meta["period_start"], meta["period_end"], source, meta["income_rows"],
                 meta["income_fen"], meta["expense_rows"], meta["expense_fen"]),
            )  # fmt: skip
    except Cancelled:
        return cancelled_file(result_type, KIND, check.file_name)
    finally:
        db.execute("DETACH DATABASE staged")
    message = (
        f"已导入账单 {check.file_name}：新的账单行 {new} 行"
        + (f"，{unchanged} 行以前已导入过（重叠的日期不重复计入）" if unchanged else "")
        + "。"
    )
    counts = {"new": new, "updated": 0, "unchanged": unchanged}
    return applied_file(
        result_type, KIND, check.file_name, batch_id, counts, changes=FUNDS_CHANGES, message=message
    )
