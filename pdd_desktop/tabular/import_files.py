"""Reading spreadsheet files the platform (or Excel) wrote: CSV in any of its encodings, XLSX, streamed.

- Encoding is detected, never asked: a UTF-8 BOM, else strict UTF-8, else GB18030 (a superset of
  GBK, what Excel on a Chinese Windows saves). The whole file is decoded once while its sha256 is
  taken, so a bad byte late in the file is found before any row is used.
- CSV rows stream through :mod:`csv` (CRLF, LF and CR mixes, quoted newlines); XLSX through
  :mod:`~pdd_desktop.tabular.xlsx_stream` (expat, several times faster than openpyxl, the same
  rows), with openpyxl's read-only mode for what it does not understand. ``.xls`` is refused
  with a clear message.
- Cells come back as text: numbers without ``.0``, dates as ``yyyy-MM-dd HH:mm:ss``, Excel's
  text guards (``="…"``, a leading ``'`` or tab) removed. The leading ``'`` is also the guard
  our own exports put before text that would start a formula (``table_files``), so an exported
  file reads back as it was.
- Hostile files (issue 14) get one Chinese line and no traceback: only regular files are opened
  (a FIFO or a device would block forever), an undecodable byte names its line, an unclosed
  quote names the line it opens on, XLSX limits are :mod:`~pdd_desktop.tabular.xlsx_stream`'s
  (openpyxl, the fallback, only ever sees a file that passed them, and stops at the same row and
  column limits); no English text of a library reaches the user (it goes to the log).
"""

from __future__ import annotations

import codecs
import csv
import dataclasses
import hashlib
import logging
import os
import re
import stat
from collections.abc import Iterable, Iterator
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
#: CSV fields may be long (addresses, memos), but not absurdly so (the XLSX reader's cell limit).
CSV_FIELD_LIMIT = xlsx_stream.MAX_CELL_CHARS
csv.field_size_limit(CSV_FIELD_LIMIT)
#: Errors a report keeps (a broken 200,000-row file would otherwise make a list as long).
MAX_REPORTED_ERRORS = 1000


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
    _require_regular_file(path)
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
        raise ValidationError("文件", f"无法打开 {path.name}：{_os_problem(exc)}") from exc
    if size == 0:
        raise ValidationError("文件", "文件是空的")
    encoding = ""
    if fmt == "xlsx":
        if not first.startswith(b"PK"):
            raise ValidationError("文件", "不是有效的 .xlsx 文件（可能是改了扩展名的其他文件）")
    elif utf8_ok:
        encoding = "utf-8-sig" if first.startswith(codecs.BOM_UTF8) else "utf-8"
    else:
        bad_line = _first_undecodable_line(path, "gb18030")
        if bad_line is not None:
            utf8_line = _first_undecodable_line(path, "utf-8")
            line = max(bad_line, utf8_line or 0)  # the line where neither reading works any more
            raise ValidationError(
                "文件",
                f"无法识别文件编码：第 {line} 行有既不是 UTF-8 也不是 GBK/GB18030 的字符"
                "（支持 UTF-8、带 BOM 的 UTF-8 和 GBK/GB18030，请在 Excel 中另存为“CSV UTF-8”后再导入）",
            )
        encoding = "gb18030"
    return FileInfo(path, fmt, encoding, digest.hexdigest(), size)


def _require_regular_file(path: Path) -> None:
    """Refuse what is not a regular file before opening it (a FIFO would block the open forever)."""
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        raise ValidationError("文件", f"无法打开 {path.name}：{_os_problem(exc)}") from exc
    if stat.S_ISDIR(mode):
        raise ValidationError("文件", f"{path.name} 是一个文件夹，请选择要导入的 .csv 或 .xlsx 文件")
    if not stat.S_ISREG(mode):
        raise ValidationError(
            "文件", f"{path.name} 不是普通文件（是管道或设备），请选择要导入的 .csv 或 .xlsx 文件"
        )


def _os_problem(exc: OSError) -> str:
    """An OS error in Chinese (its own text is the system's, often English)."""
    code = exc.errno
    if isinstance(exc, FileNotFoundError):
        return "文件不存在（可能已被移动或删除）"
    if isinstance(exc, PermissionError):
        return "没有读取权限（文件可能正被其他程序占用）"
    if isinstance(exc, IsADirectoryError):
        return "这是一个文件夹"
    return f"系统错误（代码 {code}）" if code else "系统错误"


def _first_undecodable_line(path: Path, encoding: str) -> int | None:
    """The line (from 1) of the first byte ``encoding`` cannot decode, or None when all decode."""
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    lines = 1
    pending = b""  # bytes the decoder holds back at a chunk's end (a character cut in two)
    with open(path, "rb") as fh:
        while True:
            chunk = fh.read(_CHUNK)
            final = not chunk
            try:
                decoder.decode(chunk, final=final)
            except UnicodeDecodeError as exc:
                data = pending + chunk
                return lines + data.count(b"\n", 0, max(0, exc.start))
            state = decoder.getstate()[0]
            lines += (pending + chunk)[: len(pending + chunk) - len(state)].count(b"\n")
            pending = state
            if final:
                return None


class _LineTap:
    """The lines a csv reader takes from a file; those of the row being read are kept."""

    def __init__(self, fh) -> None:
        self._fh = fh
        self.row_lines: list[str] = []

    def __iter__(self) -> Iterator[str]:
        keep = self.row_lines.append
        for line in self._fh:
            keep(line)
            yield line


def _unclosed_quote(lines: list[str], delimiter: str) -> bool:
    """Whether a CSV record spanning several lines does so because of a broken quote.

    A quote that is never closed takes the rest of the file into one cell (the csv reader,
    non-strict, says nothing); one closed by the next quote of a later line leaves text after
    its closing quote. Both fail csv's strict rules; a quoted line break that belongs there
    (an address on two lines) passes them.
    """
    try:
        for _row in csv.reader(lines, delimiter=delimiter, strict=True):
            pass
    except csv.Error:
        return True
    return False


def iter_rows(info: FileInfo) -> Iterator[tuple[int, list[str]]]:
    """(row number as Excel shows it, cell texts) of the CSV or the first sheet, streamed.

    Raises:
        ValidationError: a damaged or hostile file (one Chinese line naming the row).
    """
    if info.fmt == "xlsx":
        yield from _xlsx_rows(info.path)
        return
    with open(info.path, encoding=info.encoding, newline="") as fh:
        head = fh.read(4096)
        fh.seek(0)
        first_line = head.split("\n", 1)[0]
        delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
        tap = _LineTap(fh)
        reader = csv.reader(tap, delimiter=delimiter)
        start = 1  # the line the record being read starts on
        try:
            for n, row in enumerate(reader, start=1):
                if reader.line_num > start and _unclosed_quote(tap.row_lines, delimiter):
                    raise ValidationError(
                        "文件",
                        f"第 {start} 行的引号没有闭合（第 {start} 到 {reader.line_num} 行被读成了一行），"
                        "请检查该行的英文双引号",
                    )
                yield n, [cell_text(c) for c in row]
                start = reader.line_num + 1
                tap.row_lines.clear()
        except csv.Error as exc:
            log.info("CSV error at line %d: %s", reader.line_num, exc)
            if "field larger than field limit" in str(exc):
                raise ValidationError(
                    "文件",
                    f"第 {start} 行有超过 {CSV_FIELD_LIMIT >> 20} MB 的单元格"
                    f"（多半是第 {start} 行的引号没有闭合，后面的行都被当成了一个单元格）",
                ) from None
            raise ValidationError(
                "文件", f"CSV 格式错误（第 {reader.line_num} 行附近），请在 Excel 中另存后再导入"
            ) from None


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
    except Exception as exc:  # MemoryError, a zipfile oddity: never a traceback for the merchant
        log.warning("XLSX unreadable (%s: %s): %s", type(exc).__name__, exc, path.name)
        raise ValidationError("文件", "无法读取 Excel 文件（文件已损坏或过大）") from exc
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
                    except Exception as exc:  # MemoryError …: one Chinese line, the rest to the log
                        log.warning("XLSX unreadable after row %d (%s: %s)", done, type(exc).__name__, exc)
                        raise ValidationError("文件", "无法读取 Excel 文件（文件已损坏或过大）") from exc
                    yield n, cells
                    done = n
            finally:
                rows.close()
    yield from _openpyxl_rows(path, skip=done)


def _openpyxl_rows(path: Path, skip: int = 0) -> Iterator[tuple[int, list[str]]]:
    """The first sheet through openpyxl's read-only mode, from row ``skip + 1``.

    Only a file that passed :func:`xlsx_stream.check_package` gets here (sizes, ratio, no DTD);
    the row, column and cell limits are the fast reader's too, and a ``<dimension>`` too wide to
    pad by is dropped (openpyxl would pad every row to it). openpyxl's own (English) errors go to
    the log; the merchant reads one Chinese line.
    """
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise ValidationError("文件", _openpyxl_problem(exc, path)) from exc
    try:
        try:
            ws = wb.worksheets[0]
            width, height = ws.max_column, ws.max_row
            if (width or 0) > xlsx_stream.PAD_MAX_COLUMNS or (height or 0) > xlsx_stream.MAX_ROWS:
                ws.reset_dimensions()
            for n, row in enumerate(ws.iter_rows(values_only=True), start=1):
                if n > xlsx_stream.MAX_ROWS:
                    raise ValidationError(
                        "文件", f"无法读取 Excel 文件：第 {n} 行超出 Excel 的最大行数 {xlsx_stream.MAX_ROWS}"
                    )
                if len(row) > xlsx_stream.MAX_COLUMNS:
                    raise ValidationError("文件", f"无法读取 Excel 文件：第 {n} 行的列数超出 Excel 的上限")
                if n > skip:
                    cells = [cell_text(c) for c in row]
                    for i, text in enumerate(cells):
                        if len(text) > xlsx_stream.MAX_CELL_CHARS:
                            raise ValidationError(
                                "文件",
                                f"无法读取 Excel 文件：第 {n} 行第 {i + 1} 列的单元格超过 "
                                f"{xlsx_stream.MAX_CELL_CHARS >> 20} MB（单元格内容过长）",
                            )
                    yield n, cells
        except ValidationError:
            raise
        except Exception as exc:
            raise ValidationError("文件", _openpyxl_problem(exc, path)) from exc
    finally:
        wb.close()


def _openpyxl_problem(exc: Exception, path: Path) -> str:
    """Openpyxl's error as one Chinese line; its own text goes to the log only.

    (Such as "There is no item named '[Content_Types].xml' in the archive".)
    """
    log.info("openpyxl could not read %s: %s: %s", path.name, type(exc).__name__, exc)
    if isinstance(exc, KeyError):
        return (
            "无法读取 Excel 文件：文件不完整（缺少 Excel 文件必需的部分），"
            "请在 Excel 中打开后另存为 .xlsx 再导入"
        )
    if isinstance(exc, MemoryError):
        return "无法读取 Excel 文件：文件过大，内存不足"
    return "无法读取 Excel 文件：文件已损坏，或不是 Excel 保存的 .xlsx 文件，请在 Excel 中另存后再导入"


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


class ErrorCollector:
    """A file's row errors: all rows counted, the first :data:`MAX_REPORTED_ERRORS` kept.

    ``finish()`` returns the kept errors in row order, plus one line "还有 N 处错误未列出" when
    some were left out (memory and the report stay bounded on a file where every row is bad);
    ``bad_rows`` is the number of distinct rows with an error, kept or not. Raw values are kept
    as :func:`~pdd_desktop.domain.export_columns.shown_value` shows them (control and bidi
    characters spelled out, at most 200 characters).
    """

    def __init__(self, limit: int = MAX_REPORTED_ERRORS) -> None:
        self.limit = limit
        self._kept: list = []
        self._rows: set[int] = set()
        self._first_dropped: int | None = None
        self.total = 0

    def extend(self, errors: Iterable) -> None:
        """Add errors (any objects with ``row_no``, ``column``, ``raw_value``, ``message``)."""
        for e in errors:
            self.total += 1
            self._rows.add(e.row_no)
            shown = ec.shown_value(e.raw_value)
            self._kept.append(e if shown == e.raw_value else dataclasses.replace(e, raw_value=shown))
        if len(self._kept) > 2 * self.limit:  # rows arrive in order: the first ones are the kept
            self._drop()

    def _drop(self) -> None:
        self._kept.sort(key=lambda e: e.row_no)
        if len(self._kept) > self.limit:
            first = self._kept[self.limit].row_no
            if self._first_dropped is None or first < self._first_dropped:
                self._first_dropped = first
            del self._kept[self.limit :]

    @property
    def bad_rows(self) -> int:
        """Distinct rows with at least one error."""
        return len(self._rows)

    def finish(self) -> tuple:
        """The kept errors in row order, and the "还有 N 处错误未列出" line when needed.

        That line carries the row of the first error left out.
        """
        self._drop()
        kept = list(self._kept)
        more = self.total - len(kept)
        if more > 0 and self._first_dropped is not None:
            row = self._first_dropped
            kept.append(type(kept[-1])(row, "", "", f"还有 {more} 处错误未列出（从第 {row} 行起）"))
        return tuple(kept)


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
