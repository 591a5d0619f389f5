"""Reading spreadsheet files the platform (or Excel) wrote: CSV in any of its encodings, XLSX, streamed.

- Encoding is detected, never asked: a UTF-8 BOM, else strict UTF-8, else GB18030 (a superset of
  GBK, what Excel on a Chinese Windows saves). The whole file is decoded once while its sha256 is
  taken, so a bad byte late in the file is found before any row is used.
- CSV rows stream through :mod:`csv` (CRLF, LF and CR mixes, quoted newlines); XLSX through
  :mod:`~pdd_desktop.tabular.xlsx_stream` (expat, several times faster than openpyxl, the same
  rows), with openpyxl's read-only mode for what it does not understand. ``.xls`` is refused
  with a clear message.
- Cells come back as text: numbers without ``.0``, dates as ``yyyy-MM-dd HH:mm:ss``, Excel's
  text guards (``="…"``, a leading ``'`` or tab) removed.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

from pdd_desktop.domain import export_columns as ec
from pdd_desktop.domain.errors import ValidationError
from pdd_desktop.tabular import xlsx_stream

log = logging.getLogger(__name__)

_EXCEL_FORMULA_TEXT = re.compile(r'^="(.*)"$')
#: First characters after strip() that need the full treatment in cell_text (BOM, ="…", ').
_GUARD_STARTS = frozenset("\ufeff='")
_CHUNK = 1 << 20
#: Non-empty rows searched for the header row (a title line above it is tolerated).
HEADER_SEARCH_ROWS = 5
#: CSV fields may be long (addresses, memos), but not absurdly so.
csv.field_size_limit(1 << 20)


@dataclass(frozen=True)
class FileInfo:
    """What the reader learned about a file before its rows."""

    path: Path
    fmt: str  #: "csv" / "xlsx"
    encoding: str  #: "utf-8", "utf-8-sig", "gb18030" or "" for XLSX
    sha256: str
    size: int


def cell_text(value: object) -> str:
    """A cell as text, as the user sees it in Excel."""
    if value.__class__ is str:  # fast path (every CSV cell): no BOM, no text guard to remove
        text = value.strip()
        if not text or text[0] not in _GUARD_STARTS:
            return text
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.strftime("%Y-%m-%d 00:00:00")
    if isinstance(value, time):
        return value.strftime("%H:%M:%S")
    text = str(value).strip().lstrip("\ufeff").strip()
    if text.startswith('="'):
        match = _EXCEL_FORMULA_TEXT.match(text)
        if match:
            text = match.group(1).strip()
    if text.startswith("'"):
        text = text[1:].strip()
    return text


def inspect_file(path: Path | str) -> FileInfo:
    """Hash the file and find its format and encoding (one streamed pass).

    Raises:
        ValidationError: unreadable, ``.xls``, or bytes that are neither UTF-8 nor GB18030.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".xls":
        raise ValidationError("文件", "不支持旧版 .xls 文件，请在 Excel 中另存为 .xlsx 或 .csv 后再导入")
    fmt = "xlsx" if suffix in (".xlsx", ".xlsm") else "csv"
    digest = hashlib.sha256()
    size = 0
    first = b""
    utf8_ok = fmt == "csv"
    utf8 = codecs.getincrementaldecoder("utf-8")("strict")
    try:
        with open(path, "rb") as fh:
            while chunk := fh.read(_CHUNK):
                if not size:
                    first = chunk[:4]
                size += len(chunk)
                digest.update(chunk)
                if utf8_ok:
                    try:
                        utf8.decode(chunk)
                    except UnicodeDecodeError:
                        utf8_ok = False
        if utf8_ok:
            utf8.decode(b"", final=True)
    except UnicodeDecodeError:
        utf8_ok = False
    except OSError as exc:
        raise ValidationError("文件", f"无法打开 {path.name}：{exc.strerror or exc}") from exc
    if size == 0:
        raise ValidationError("文件", "文件是空的")
    encoding = ""
    if fmt == "xlsx":
        if not first.startswith(b"PK"):
            raise ValidationError("文件", "不是有效的 .xlsx 文件（可能是改了扩展名的其他文件）")
    elif utf8_ok:
        encoding = "utf-8-sig" if first.startswith(codecs.BOM_UTF8) else "utf-8"
    else:
        gb = codecs.getincrementaldecoder("gb18030")("strict")
        try:
            with open(path, "rb") as fh:
                while chunk := fh.read(_CHUNK):
                    gb.decode(chunk)
            gb.decode(b"", final=True)
        except UnicodeDecodeError:
            raise ValidationError(
                "文件", "无法识别文件编码（支持 UTF-8、带 BOM 的 UTF-8 和 GBK/GB18030）"
            ) from None
        encoding = "gb18030"
    return FileInfo(path, fmt, encoding, digest.hexdigest(), size)


def iter_rows(info: FileInfo) -> Iterator[tuple[int, list[str]]]:
    """(row number as Excel shows it, cell texts) of the CSV or the first sheet, streamed."""
    if info.fmt == "xlsx":
        yield from _xlsx_rows(info.path)
        return
    with open(info.path, encoding=info.encoding, newline="") as fh:
        head = fh.read(4096)
        fh.seek(0)
        first_line = head.split("\n", 1)[0]
        delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
        reader = csv.reader(fh, delimiter=delimiter)
        try:
            for n, row in enumerate(reader, start=1):
                yield n, [cell_text(c) for c in row]
        except csv.Error as exc:
            raise ValidationError("文件", f"CSV 格式错误（第 {reader.line_num} 行附近）：{exc}") from exc


def _xlsx_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    """The first sheet through the fast reader; through openpyxl for what it does not understand.

    The fast reader may give up in the middle of the sheet: openpyxl then takes over after the
    last row already handed out (both number rows the same way).
    """
    done = 0
    try:
        reader = xlsx_stream.open_first_sheet(path, cell_text)
    except xlsx_stream.DamagedWorkbook as exc:
        raise ValidationError("文件", f"无法读取 Excel 文件：{exc}") from exc
    except xlsx_stream.UnsupportedWorkbook as exc:
        log.info("XLSX read by openpyxl (%s): %s", exc, path.name)
    else:
        with reader:
            rows = reader.rows()
            try:
                while True:
                    try:
                        n, cells = next(rows)
                    except StopIteration:
                        return
                    except xlsx_stream.DamagedWorkbook as exc:
                        raise ValidationError("文件", f"无法读取 Excel 文件：{exc}") from exc
                    except xlsx_stream.UnsupportedWorkbook as exc:
                        log.info("XLSX read by openpyxl after row %d (%s): %s", done, exc, path.name)
                        break
                    yield n, cells
                    done = n
            finally:
                rows.close()
    yield from _openpyxl_rows(path, skip=done)


def _openpyxl_rows(path: Path, skip: int = 0) -> Iterator[tuple[int, list[str]]]:
    """The first sheet through openpyxl's read-only mode, from row ``skip + 1``."""
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise ValidationError("文件", f"无法读取 Excel 文件：{exc}") from exc
    try:
        ws = wb.worksheets[0]
        for n, row in enumerate(ws.iter_rows(values_only=True), start=1):
            if n > skip:
                yield n, [cell_text(c) for c in row]
    finally:
        wb.close()


def find_header(rows: Iterator[tuple[int, list[str]]]) -> tuple[int, list[str]]:
    """The header row: the first non-empty row among the first few that looks like one.

    A row looks like a header when it has at least two non-empty cells and none of them is a
    number (a title line such as "订单导出 2025-11-23" above the header is skipped).
    """
    seen = 0
    first: tuple[int, list[str]] | None = None
    for n, cells in rows:
        texts = [c for c in cells if c]
        if not texts:
            continue
        seen += 1
        if first is None:
            first = (n, cells)
        if len(texts) >= 2:
            return n, cells
        if seen >= HEADER_SEARCH_ROWS:
            break
    if first is None:
        raise ValidationError("文件", "文件是空的")
    return first


def decode_sample(data: bytes) -> str:
    """Decode bytes as :func:`inspect_file` would (tests, previews)."""
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("gb18030")


@dataclass(frozen=True)
class RowError:
    """One problem in one cell (or row) of an imported file."""

    row_no: int  #: as Excel shows it (the header row counts)
    column: str  #: the header text, or "" for the whole row
    raw_value: str
    message: str


@dataclass(frozen=True)
class ColumnMapping:
    """How one header cell of the file was understood (the dialog's column-mapping preview)."""

    index: int  #: 0-based position in the file
    header: str  #: as written in the file
    field: str  #: the field it fills, "" when ignored
    status: str  #: "used" / "unused" (a platform column we do not store) / "unknown" / "duplicate"


def extra_cells_error(row_no: int, cells: list[str], width: int) -> RowError | None:
    """A row with non-empty cells beyond the header (a shifted row, e.g. an unquoted ``12,5``)."""
    extra = [(i, c) for i, c in enumerate(cells[width:], start=width) if c]
    if not extra:
        return None
    i, c = extra[0]
    return RowError(
        row_no, f"第 {i + 1} 列", c, "多出的单元格（表头没有这一列，可能是金额里有逗号使整行错位）"
    )


def map_columns(
    header: list[str], columns: tuple[ec.Column, ...], unused: frozenset[str] = frozenset()
) -> tuple[tuple[ColumnMapping, ...], dict[str, int]]:
    """How each header cell is understood, and the position of each known column (first wins).

    A known column seen twice is a "duplicate"; a platform column the app does not store is
    "unused"; anything else is "unknown" (reported, ignored).
    """
    index = ec.header_index(columns)
    unused_n = {ec.normalize_header(u) for u in unused}
    mapping: list[ColumnMapping] = []
    found: dict[str, int] = {}
    for i, raw in enumerate(header):
        name = ec.normalize_header(raw)
        if not name:
            continue
        col = index.get(name)
        if col is not None and col.key not in found:
            found[col.key] = i
            mapping.append(ColumnMapping(i, raw, col.key, "used"))
        elif col is not None:
            mapping.append(ColumnMapping(i, raw, "", "duplicate"))
        elif name in unused_n:
            mapping.append(ColumnMapping(i, raw, "", "unused"))
        else:
            mapping.append(ColumnMapping(i, raw, "", "unknown"))
    return tuple(mapping), found
