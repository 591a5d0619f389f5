"""Small helpers of the order import: progress, ``IN (...)`` reads, earlier imports, cell parsing."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pdd_desktop.data.db import database
from pdd_desktop.domain import export_columns as ec
from pdd_desktop.services.import_kind import report_progress
from pdd_desktop.services.imports.model import _IN

_report = report_progress  # the order import's name for it


def _rows_in(sql: str, values: Sequence[Any]) -> list[tuple]:
    out: list[tuple] = []
    for i in range(0, len(values), _IN):
        part = list(values[i : i + _IN])
        out.extend(database.execute_sql(sql.format(marks=",".join("?" * len(part))), part).fetchall())
    return out


def _previous_import(sha256: str) -> int | None:
    row = database.execute_sql(
        "SELECT COALESCE(applied_at, created_at) FROM import_batch WHERE sha256 = ? AND state = 'applied' "
        "ORDER BY id DESC LIMIT 1",
        (sha256,),
    ).fetchone()
    return None if row is None else int(row[0] or 0)


def _parse_cell(col: ec.Column, text: str) -> Any:
    """A cell's value (None when empty), raising :class:`ec.CellError`."""
    kind = col.kind
    if kind == ec.TEXT:
        return ec.check_text(text)
    if not text:
        if kind == ec.SN:
            raise ec.CellError("订单号为空")
        if kind == ec.STATUS:
            raise ec.CellError("订单状态为空")
        return None
    if kind == ec.MONEY:
        return ec.parse_money(text)
    if kind == ec.TIME:
        return ec.parse_time(text)
    if kind == ec.INT:
        return ec.parse_int(text)
    if kind == ec.ID:
        return ec.parse_id(text)
    if kind == ec.SN:
        return ec.parse_sn(text)
    if kind == ec.STATUS:
        return ec.parse_order_status(text)
    if kind == ec.AFTER_SALES:
        return ec.parse_after_sales(text)
    if kind == ec.BOOL:
        return ec.parse_bool(text)
    raise AssertionError(kind)
