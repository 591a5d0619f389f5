"""Spreadsheet files the shop owner opens in Excel: CSV (UTF-8 with BOM) or XLSX, written safely.

One writer serves every export (the bulk-ship upload file, the order list, later the platform's
own export layout): rows are streamed, never held whole; XLSX cells are text so order and
tracking numbers never turn into numbers in scientific notation; the file is written beside its
target and renamed into place, so a failure or a cancel never leaves half a file under the
user's name.

Cells are never formulas (CWE-1236, OWASP "CSV Injection"): a buyer memo ``=HYPERLINK(…)`` or a
masked ``=***`` must reach Excel as the text it is. In CSV a text cell starting with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return (and ``'`` itself, so the guard round-trips) gets a
leading ``'``, the guard spreadsheet programs document and OWASP advises; a plain number
(``-12.50``) is left alone, it cannot run anything. In XLSX every cell is written as an inline
string (``t="inlineStr"``), never as a formula, so no guard character is needed (openpyxl would
otherwise turn any text starting with ``=`` into a live formula); such a cell also gets Excel's
``quotePrefix`` style, so that editing it in Excel keeps it text. The importer
(:func:`~pdd_desktop.tabular.import_files.cell_text`) removes a leading ``'``, so an exported
file imports back unchanged.
"""

from __future__ import annotations

import csv
import os
import re
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Literal

from pdd_desktop.common.fs import write_problem
from pdd_desktop.domain.errors import DomainError, ValidationError

Format = Literal["csv", "xlsx"]

#: First characters that make a spreadsheet program read a CSV cell as a formula (plus ``'``,
#: the guard itself, so that a text really starting with it survives the round trip).
FORMULA_STARTS = frozenset("=+-@\t\r'")
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?")
#: Characters XML 1.0 cannot carry (openpyxl refuses them): removed from XLSX cells.
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def starts_formula(text: str) -> bool:
    """Whether a spreadsheet program could read ``text`` as a formula (a plain number cannot)."""
    return bool(text) and text[0] in FORMULA_STARTS and not _PLAIN_NUMBER.fullmatch(text)


def guard_csv_text(text: str) -> str:
    """``text`` made safe for a CSV cell: a leading ``'`` when it would start a formula."""
    return "'" + text if starts_formula(text) else text


def xlsx_text(text: str) -> str:
    """``text`` without the control characters an XLSX (XML) cell cannot hold."""
    return _XML_ILLEGAL.sub("", text)


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
    no file is left behind). ``None`` cells are written empty; everything else as text, never as a
    formula (see the module docstring).
    """
    fmt = fmt or format_for(path)
    if fmt not in ("csv", "xlsx"):
        raise ValidationError("文件格式", f"应为 csv 或 xlsx，收到 {fmt!r}")
    path = Path(path)
    tmp = path.with_name(path.name + ".part")
    count = 0

    def texts(row: Sequence[object]) -> list[str]:
        return ["" if v is None else str(v) for v in row]

    def csv_texts(row: Sequence[object]) -> list[str]:
        return ["" if v is None else guard_csv_text(v) if isinstance(v, str) else str(v) for v in row]

    try:
        if fmt == "csv":
            with open(tmp, "w", encoding="utf-8-sig", newline="") as fh:
                writer = csv.writer(fh)
                writer.writerow(csv_texts(header))
                for row in rows:
                    writer.writerow(csv_texts(row))
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
                    cell = WriteOnlyCell(ws, value=xlsx_text(value))
                    cell.data_type = "s"  # never "f": text starting with "=" stays text
                    cell.number_format = "@"
                    if starts_formula(value):
                        cell.quotePrefix = True  # stays text when the cell is edited in Excel
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
