"""Applying a checked order file in one transaction, with its import batch and row errors."""

from __future__ import annotations

import json
import os
import shutil
from typing import Any

from pdd_desktop.common import clock
from pdd_desktop.common.changes import Changes
from pdd_desktop.common.task import Cancelled, TaskContext
from pdd_desktop.common.timefmt import format_ts
from pdd_desktop.data import aggregates
from pdd_desktop.data.db import database, write_transaction
from pdd_desktop.domain.errors import NotAllowed
from pdd_desktop.services import bill_import, import_goods, import_registrations
from pdd_desktop.services.imports import ads, cs
from pdd_desktop.services.imports.check import _merged_chunks, _open_staging
from pdd_desktop.services.imports.helpers import _previous_import, _report
from pdd_desktop.services.imports.model import (
    _ITEM_INSERT,
    _NEW_COLS,
    ORDER_CHANGES,
    PROGRESS_APPLY,
    ImportCheck,
    ImportResult,
)
from pdd_desktop.services.imports.plan import _Action, _plan, _PlanState


def discard_check(check: ImportCheck) -> None:
    """Remove the staging files of a check that will not be applied."""
    if check.staging:
        shutil.rmtree(check.staging, ignore_errors=True)


def apply_import(
    check: ImportCheck, *, accept_partial: bool = False, task: TaskContext | None = None
) -> ImportResult:
    """Apply a checked file: all of it in one write transaction, or nothing.

    A file with bad rows is refused unless ``accept_partial`` (the user knowingly applies the
    good rows; the bad ones are recorded as rejected). A file applied before (same sha256)
    changes nothing and says so. A cancel rolls everything back.

    Raises:
        NotAllowed: bad rows without ``accept_partial``, or the staging data is gone.
    """
    if check.kind == bill_import.KIND and check.errors:
        discard_check(check)
        raise NotAllowed(
            f"账单文件有 {check.bad_rows} 处错误，整个文件都没有导入（账单不能只导入一部分）："
            "请从 对账中心 → 账单 重新下载后再导入。"
        )
    if check.kind == "ads" and check.errors:
        raise NotAllowed(
            f"推广报表有 {check.bad_rows} 行错误：推广报表要整份导入（总计行核对全部的行），"
            "请修改文件后重新检查。"
        )
    if check.errors and not accept_partial:
        raise NotAllowed(
            f"文件有 {check.bad_rows} 行错误：请修改文件后重新检查，"
            "或选择“只导入正确的行”（错误的行将被记录为已拒绝）。"
        )
    previous = _previous_import(check.sha256)
    if previous is not None:
        discard_check(check)
        return ImportResult(
            None, check.kind, check.file_name, 0, 0, 0, 0, True, False, Changes(),
            f"此文件已于 {format_ts(previous)} 导入过，没有需要导入的内容。",
        )  # fmt: skip
    try:
        if check.kind == bill_import.KIND:
            return bill_import.apply(check, task=task, record=_record_batch, result_type=ImportResult)
        if check.kind in cs.KINDS:
            return cs.apply(check, task=task, record=_record_batch, result_type=ImportResult)
        if check.kind == "ads":
            return ads.apply(check, task=task, record=_record_batch, result_type=ImportResult)
        if check.kind == import_registrations.KIND:
            return import_registrations.apply(
                check, task=task, record=_record_batch, result_type=ImportResult
            )
        if check.kind == "goods":
            return import_goods.apply(check, task=task, record=_record_batch, result_type=ImportResult)
        return _apply_orders(check, task)
    finally:
        discard_check(check)


def _apply_orders(check: ImportCheck, task: TaskContext | None) -> ImportResult:
    db_file = os.path.join(check.staging, "rows.db")
    if not check.staging or not os.path.exists(db_file):
        raise NotAllowed("检查结果已过期，请重新检查文件")
    conn = _open_staging(check.staging)
    present = tuple(json.loads(conn.execute("SELECT v FROM meta WHERE k = 'present'").fetchone()[0]))
    header = [""] * len(present)  # group errors were reported by the check; not needed here
    found = {k: 0 for k in present}
    counts = {"new": 0, "updated": 0, "unchanged": 0}
    rows = {"new": 0, "updated": 0, "unchanged": 0}
    total = check.new + check.updated + check.unchanged
    now = clock.now()
    try:
        _report(task, 0, total, PROGRESS_APPLY)
        with write_transaction():
            if _previous_import(check.sha256) is not None:
                raise NotAllowed("此文件刚刚已被导入")
            st = _PlanState(present, now)
            db = database.connection()
            next_order = int(db.execute('SELECT COALESCE(MAX(id), 0) FROM "order"').fetchone()[0]) + 1
            next_package = int(db.execute("SELECT COALESCE(MAX(id), 0) FROM package").fetchone()[0]) + 1
            done = 0
            for chunk in _merged_chunks(conn, present, header, found, None):
                actions = _plan(chunk, st)
                next_order, next_package = _write(db, actions, next_order, next_package)
                for a in actions:
                    counts[a.kind] += 1
                    rows[a.kind] += len(a.order.rows)
                done += len(chunk)
                _report(task, done, total, PROGRESS_APPLY)
            batch_id = _record_batch(check, rows["new"], rows["updated"], rows["unchanged"], now)
    except Cancelled:
        return ImportResult(
            None, "orders", check.file_name, 0, 0, 0, 0, False, True, Changes(), "已取消，数据未改动。"
        )
    finally:
        conn.close()
    changed = counts["new"] + counts["updated"] > 0
    message = (
        f"已导入 {check.file_name}：新订单 {counts['new']} 个，更新 {counts['updated']} 个，"
        f"无变化 {counts['unchanged']} 个，拒绝 {check.bad_rows} 行。"
    )
    paid_note = st.paid_note()
    if paid_note:
        message += "\n" + paid_note
    return ImportResult(
        batch_id, "orders", check.file_name, counts["new"], counts["updated"], counts["unchanged"],
        check.bad_rows, False, False, ORDER_CHANGES if changed else Changes(sync=True), message,
    )  # fmt: skip


def _write(db: Any, actions: list[_Action], next_order: int, next_package: int) -> tuple[int, int]:
    new_rows: list[tuple] = []
    items: list[tuple] = []
    packages: list[tuple] = []
    links: list[tuple] = []
    updates: dict[tuple[str, ...], list[tuple]] = {}
    for a in actions:
        if a.kind == "new":
            oid = next_order
            next_order += 1
            a.changes["id"] = oid
            new_rows.append(tuple(a.changes[c] for c in _NEW_COLS))
        else:
            oid = a.order_id
            if a.changes:
                cols = tuple(sorted(a.changes))
                updates.setdefault(cols, []).append((*(a.changes[c] for c in cols), oid))
        if a.items:
            items.extend((oid, *t) for t in a.items)
        if a.package is not None:
            number, cid, shipped, signed = a.package
            packages.append((next_package, cid, number, shipped, signed))
            links.append((next_package, oid))
            next_package += 1
    if new_rows:
        db.executemany(
            f'INSERT INTO "order" ({", ".join(_NEW_COLS)}) VALUES ({",".join("?" * len(_NEW_COLS))})',
            new_rows,
        )
    for cols, params in updates.items():
        db.executemany('UPDATE "order" SET ' + ", ".join(f"{c} = ?" for c in cols) + " WHERE id = ?", params)
    if items:
        db.executemany(_ITEM_INSERT, items)
    # The dashboards' sums, in the same transaction (data/aggregates.py).
    aggregates.refresh_orders(
        db, [a.changes["id"] if a.kind == "new" else a.order_id for a in actions if a.kind != "unchanged"]
    )
    if packages:
        db.executemany(
            "INSERT INTO package (id, courier_id, tracking_number, "
            "kind, shipped_at, signed_at, is_exception, "
            "void_reason, sort_code, hub) VALUES (?, ?, ?, 'normal', ?, ?, 0, '', '', '')",
            packages,
        )
        db.executemany("INSERT INTO package_order (package_id, order_id) VALUES (?, ?)", links)
    return next_order, next_package


def _record_batch(check: ImportCheck, rows_new: int, rows_updated: int, rows_unchanged: int, now: int) -> int:
    db = database.connection()
    cur = db.execute(
        "INSERT INTO import_batch (kind, file_name, sha256, "
        "rows_total, rows_new, rows_updated, rows_unchanged, "
        "rows_rejected, state, created_at, applied_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'applied', ?, ?)",
        (
            check.kind,
            check.file_name,
            check.sha256,
            check.rows_total,
            rows_new,
            rows_updated,
            rows_unchanged,
            check.bad_rows,
            now,
            now,
        ),
    )
    batch_id = int(cur.lastrowid)
    db.executemany(
        "INSERT INTO import_row_error (batch_id, row_no, "
        '"column", raw_value, message) VALUES (?, ?, ?, ?, ?)',
        [(batch_id, e.row_no, e.column, e.raw_value, e.message) for e in check.errors],
    )
    return batch_id
