"""Spreadsheet files the shop owner opens in Excel: CSV (UTF-8 with BOM) or XLSX, written safely.

One writer serves every export (the bulk-ship upload file, the order list, later the platform's
own export layout): rows are streamed, never held whole; XLSX cells are text so order and
tracking numbers never turn into numbers in scientific notation; the file is written beside its
target and renamed into place, so a failure or a cancel never leaves half a file under the
user's name.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Literal

from pdd_desktop.common.fs import write_problem
from pdd_desktop.domain.errors import DomainError, ValidationError

Format = Literal["csv", "xlsx"]


def format_for(path: Path | str) -> Format:
    """The format a file name asks for (``.csv`` → CSV, anything else → XLSX)."""
    return "csv" if Path(path).suffix.lower() == ".csv" else "xlsx"


def write_table(
    path: Path | str,
    header: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    fmt: Format | None = None,
    sheet: str = "Sheet1",
    on_row: Callable[[int], None] | None = None,
) -> int:
    """Write ``header`` and ``rows`` to ``path``; returns the rows written (header excluded).

    ``on_row(n)`` is called after every 1,000 rows (progress; it may raise to cancel, and then
    no file is left behind). ``None`` cells are written empty; everything else as text.
    """
    fmt = fmt or format_for(path)
    if fmt not in ("csv", "xlsx"):
        raise ValidationError("文件格式", f"应为 csv 或 xlsx，收到 {fmt!r}")
    path = Path(path)
    tmp = path.with_name(path.name + ".part")
    count = 0

    def texts(row: Sequence[object]) -> list[str]:
        return ["" if v is None else str(v) for v in row]

    try:
        if fmt == "csv":
            with open(tmp, "w", encoding="utf-8-sig", newline="") as fh:
                writer = csv.writer(fh)
                writer.writerow(header)
                for row in rows:
                    writer.writerow(texts(row))
                    count += 1
                    if on_row is not None and count % 1000 == 0:
                        on_row(count)
        else:
            from openpyxl import Workbook
            from openpyxl.cell import WriteOnlyCell

            wb = Workbook(write_only=True)
            ws = wb.create_sheet(sheet)

            def cells(values: Sequence[object]) -> list[WriteOnlyCell]:
                out = []
                for value in texts(values):
                    cell = WriteOnlyCell(ws, value=value)
                    cell.number_format = "@"
                    out.append(cell)
                return out

            ws.append(cells(header))
            for row in rows:
                ws.append(cells(row))
                count += 1
                if on_row is not None and count % 1000 == 0:
                    on_row(count)
            with open(tmp, "wb") as fh:
                wb.save(fh)
        os.replace(tmp, path)
    except OSError as exc:
        problem = write_problem(exc, path.parent)
        if problem:  # a read-only folder or a full disk: the merchant's words, not OSError's
            raise DomainError(f"文件没有保存：{problem}") from exc
        raise
    finally:
        tmp.unlink(missing_ok=True)
    return count
