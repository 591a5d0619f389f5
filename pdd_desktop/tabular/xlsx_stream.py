"""A fast, streaming reader of the first worksheet of an XLSX workbook (standard library only).

openpyxl's read-only mode builds a dict per cell and an ElementTree element per XML node; on a
200,000-row order export it was most of the import's time. This reader feeds the worksheet's zip
member to :mod:`xml.parsers.expat` in chunks and turns cells into values in a few callbacks:

- no end-tag handler at all for ordinary cells (a cell is finished when the next ``<c>`` or
  ``<row>`` starts), the character data handler is ``list.append`` itself; end tags are only
  listened to inside rich inline strings (``<is><r>``), where runs and phonetic runs need them;
- attributes as expat's flat list, no namespace processing in the sheet (element names are
  matched with the prefix the root binds to the main namespace; anything else under another
  prefix makes the reader give up rather than skip it);
- shared strings are read once (streamed too) and converted once, not once per use.

Memory stays flat: one chunk of XML and its rows at a time, plus the shared strings.

What comes out is meant to be exactly what ``iter_rows`` got from openpyxl
(``load_workbook(read_only=True, data_only=True).worksheets[0].iter_rows(values_only=True)``,
numbered from 1): the same cached formula results, the same numbers (``int`` unless the text has
a ``.`` or an exponent, so long digit strings stay exact), the same dates for date-formatted
numbers (``datetime``, ``time`` below one day, ``timedelta`` for ``[h]:mm``-style formats, 1900
and 1904 systems), the same ``t="d"`` ISO values, the same rows: missing rows come back empty,
rows are padded to the sheet's ``<dimension>`` width (or, without one, to the row's last cell),
a row numbered at or below one already read is an error (openpyxl drops it). Other known
differences, all of them files openpyxl cannot read at all or cells ``cell_text`` strips anyway:

- strict OOXML (``http://purl.oclc.org/ooxml/...`` namespaces) is read; openpyxl finds no sheet;
- a damaged cell value (``<v>abc</v>`` in a number cell, a shared string index out of range,
  an invalid ISO date) is a :class:`DamagedWorkbook`, where openpyxl raised ``ValueError`` or
  ``IndexError`` from the middle of the loop;
- in a pretty-printed sheet, the whitespace after ``</v>`` (or an inline string's ``</t>``) up to
  the next cell ends up at the end of a text value (numbers parse the same; ``cell_text``,
  which ``iter_rows`` applies, strips it);
- the styles part is found through the workbook's relationships (openpyxl always reads
  ``xl/styles.xml``), the shared strings too (openpyxl uses ``[Content_Types].xml``);
- a plain ``<t>`` followed by rich text runs in a pretty-printed ``<is>`` keeps the whitespace
  after its ``</t>`` (a combination no writer seems to produce).

One deliberate difference: openpyxl cuts the rows and cells outside a ``<dimension>`` smaller
than the data, and a row's cells after the last one in document order; this reader keeps every
cell (a silently lost order line is worse than a wider row). Quirks of openpyxl kept on purpose,
so that a file reads the same either way: built-in number formats 27-36 and
50-81 (Chinese/Japanese locale dates) are not dates; ``x005F_`` is removed from shared strings
while the other ``_xHHHH_`` escapes are kept.

Anything else it does not understand raises :class:`UnsupportedWorkbook`, before the first row
or in the middle of the sheet: the caller then reads the file with openpyxl (skipping the rows
it already has, which are the same).

Hostile files (issue 14) are refused with :class:`RefusedWorkbook` (a :class:`DamagedWorkbook`,
so there is no fallback to openpyxl, which has none of these limits), before any row where the
zip's directory tells: :func:`check_package` limits the number of parts, each part's unpacked
size (the directory's sizes bind: :mod:`zipfile` never unpacks more than the size a part declares
and checks its CRC) and the compression ratio of large parts (zip bombs: gigabytes of
whitespace, millions of identical rows), and refuses a DTD in any XML part (entity expansion,
"billion laughs"). While reading: rows above Excel's 1,048,576, columns beyond XFD (16,384) and
cells over :data:`MAX_CELL_CHARS` are refused; a ``<dimension>`` wider than
:data:`PAD_MAX_COLUMNS` pads nothing, and empty rows are handed out lazily, so a 3 KB sheet with
``<dimension ref="A1:XFD1048576"/>`` and one row numbered 1048576 costs a loop, not gigabytes.
All messages are Chinese and name no internal part.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator
from datetime import date, datetime, time, timedelta
from pathlib import Path
from xml.etree import ElementTree
from xml.parsers import expat

__all__ = ["DamagedWorkbook", "SheetReader", "UnsupportedWorkbook", "open_first_sheet"]

#: SpreadsheetML main namespaces: transitional (what nearly every writer uses) and strict OOXML.
MAIN_NS = (
    "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "http://purl.oclc.org/ooxml/spreadsheetml/main",
)
#: Namespaces of the ``r:id`` attribute (transitional, strict).
REL_ATTR_NS = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "http://purl.oclc.org/ooxml/officeDocument/relationships",
)
#: Package relationships (``*.rels``), the same in both flavours.
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"

_CHUNK = 1 << 17
_SEP = "}"  # expat's namespace separator: names arrive as "uri}local"
_WINDOWS_EPOCH = datetime(1899, 12, 30)
_MAC_EPOCH = datetime(1904, 1, 1)
_DIGITS = "0123456789"
_CELL_REF_RE = re.compile(r"\$?([A-Za-z]{1,3})\$?\d+")
_DIMENSION_RE = re.compile(r"\$?([A-Za-z]{1,3})\$?(\d+)(?::\$?([A-Za-z]{1,3})\$?(\d+))?")
_ISO_DATE_RE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_ISO_DATETIME_RE = re.compile(r"(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,3})?)?Z?")
_ISO_TIME_RE = re.compile(r"T?(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,3})?)?Z?")
# Number format codes: quoted literals and bracketed sections (colours, locales, conditions) say
# nothing about dates, except the elapsed-time markers [h], [hh], [m], [mm], [s], [ss].
_FORMAT_NOISE_RE = re.compile(r'"[^"]*"|\[(?!hh?\]|mm?\]|ss?\])[^\]]*\]')
_FORMAT_DATE_PART_RE = re.compile(r"(?<![_\\])[dmhysDMHYS]")
_FORMAT_ELAPSED_RE = re.compile(r"\[(?:hh?|mm?|ss?)\]", re.IGNORECASE)
#: Built-in number formats that show dates or times (the others, and unknown ids, show numbers).
_BUILTIN_DATE_FORMATS = frozenset((*range(14, 23), 45, 46, 47))
_BUILTIN_ELAPSED_FORMATS = frozenset((46,))
#: Built-in format codes, for a custom numFmt that merely repeats one (it then counts as that id).
_BUILTIN_CODES = {
    "General": 0, "0": 1, "0.00": 2, "#,##0": 3, "#,##0.00": 4, "0%": 9, "0.00%": 10,
    "0.00E+00": 11, "# ?/?": 12, "# ??/??": 13, "mm-dd-yy": 14, "d-mmm-yy": 15, "d-mmm": 16,
    "mmm-yy": 17, "h:mm AM/PM": 18, "h:mm:ss AM/PM": 19, "h:mm": 20, "h:mm:ss": 21,
    "m/d/yy h:mm": 22, "mm:ss": 45, "[h]:mm:ss": 46, "mmss.0": 47, "##0.0E+0": 48, "@": 49,
}  # fmt: skip

#: Excel's own limits (rows, columns).
MAX_ROWS = 1_048_576
MAX_COLUMNS = 16_384
#: Longest cell text (characters), as the CSV reader's field limit.
MAX_CELL_CHARS = 1 << 20
#: A <dimension> at most this wide pads rows (as openpyxl does); a wider one is not trusted.
PAD_MAX_COLUMNS = 1024
#: Package limits: parts, unpacked bytes of a worksheet (or any part not read whole) / of the
#: shared strings (held in memory) / of the parts read whole by ElementTree (workbook, styles,
#: relationships), of all parts together, and the compression ratio allowed for parts above
#: RATIO_FROM bytes (Excel's XML compresses 5-20x, 14x for a 200,000-row openpyxl export with
#: mostly empty cells; a bomb thousands of times). A 200,000-row, 56-column export is ~400 MB.
MAX_PARTS = 10_000
MAX_SHEET_BYTES = 1 << 30
MAX_STRINGS_BYTES = 256 << 20
MAX_OTHER_BYTES = 64 << 20
MAX_TOTAL_BYTES = 2 << 30
MAX_RATIO = 250
RATIO_FROM = 16 << 20
#: Parts read whole (ElementTree, here or in openpyxl): their names start so (or end in .rels).
_READ_WHOLE = ("workbook", "styles", "[content_types]", "theme", "core", "app", "custom")

_NUMBER, _DATE, _ELAPSED = 0, 1, 2
#: The open cell has an <is> whose text is collected in the character buffer.
_OPEN = object()


class UnsupportedWorkbook(Exception):
    """Something this reader does not understand: read the file with openpyxl instead."""


class DamagedWorkbook(Exception):
    """The zip, an XML part or a cell value is broken (the message says what, in Chinese)."""


class RefusedWorkbook(DamagedWorkbook):
    """A file beyond the reader's limits or with a DTD: refused, never handed to openpyxl."""


def part_label(name: str) -> str:
    """What a package part is, in the merchant's words (no internal paths on screen)."""
    base = posixpath.basename(name).lower()
    if "worksheets/" in name or base.startswith("sheet"):
        return "工作表"
    if base.startswith("sharedstrings"):
        return "文本表"
    if base.startswith("styles"):
        return "格式表"
    if base.endswith(".rels") or base == "[content_types].xml":
        return "文件目录"
    if base.startswith("workbook"):
        return "工作簿"
    return "文件的一部分"


def _size_text(n: int) -> str:
    return f"{n / (1 << 30):.1f} GB" if n >= 1 << 30 else f"{max(1, n >> 20)} MB"


def check_package(zf: zipfile.ZipFile) -> None:
    """Refuse a package beyond the limits (see the module docstring) before anything is unpacked.

    Raises:
        RefusedWorkbook: too many parts, a part or the whole too large unpacked, a part
            compressed beyond :data:`MAX_RATIO`, or a DTD in an XML part.
    """
    infos = zf.infolist()
    if len(infos) > MAX_PARTS:
        raise RefusedWorkbook(f"文件包含 {len(infos)} 个部分，超过上限 {MAX_PARTS}，不像是 Excel 保存的文件")
    total = 0
    for info in infos:
        name = info.filename
        size = info.file_size
        total += size
        label = part_label(name)
        base = posixpath.basename(name).lower()
        if base.startswith("sharedstrings"):
            limit = MAX_STRINGS_BYTES
        elif base.startswith(_READ_WHOLE) or base.endswith(".rels"):
            limit = MAX_OTHER_BYTES  # read whole (ElementTree), by this reader or by openpyxl
        else:
            limit = MAX_SHEET_BYTES  # sheets (streamed), pictures, pivot caches …
        if size > limit:
            raise RefusedWorkbook(
                f"{label}解压后有 {_size_text(size)}，超过上限 {_size_text(limit)}（可能是恶意构造的文件）"
            )
        if size > RATIO_FROM and size > MAX_RATIO * max(info.compress_size, 1):
            raise RefusedWorkbook(
                f"{label}的压缩比异常（{size // max(info.compress_size, 1)} 倍，上限 {MAX_RATIO} 倍），"
                "可能是“压缩炸弹”，已拒绝读取"
            )
    if total > MAX_TOTAL_BYTES:
        raise RefusedWorkbook(f"文件解压后共 {_size_text(total)}，超过上限 {_size_text(MAX_TOTAL_BYTES)}")
    for info in infos:
        lower = info.filename.lower()
        if lower.endswith((".xml", ".rels", ".vml")) and not info.is_dir():
            _refuse_dtd(zf, info.filename)


class _Prolog(Exception):
    """The root element started: the prolog (where a DTD would be) is over."""


def _refuse_dtd(zf: zipfile.ZipFile, name: str) -> None:
    """Read part ``name`` up to its root element; a DTD (entity declarations) is refused."""
    parser = expat.ParserCreate()

    def dtd(*_args: object) -> None:
        raise RefusedWorkbook(f"{part_label(name)}含有 DTD/实体声明（可用于“实体膨胀”攻击），已拒绝读取")

    def root(*_args: object) -> None:
        raise _Prolog

    parser.StartDoctypeDeclHandler = dtd
    parser.EntityDeclHandler = dtd
    parser.StartElementHandler = root
    try:
        with zf.open(name) as fh:
            while chunk := fh.read(1 << 16):
                parser.Parse(chunk, False)
    except _Prolog:
        return
    except expat.ExpatError:
        return  # not well-formed: the part's reader reports it (as damaged)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError) as exc:
        raise DamagedWorkbook(f"{part_label(name)}无法解压（文件不完整或已损坏）") from exc


# --------------------------------------------------------------------------------------------
# Values
# --------------------------------------------------------------------------------------------


def is_date_format(code: str | None) -> bool:
    """Whether a number format code shows a number as a date or a time (first section only)."""
    if not code:
        return False
    first = _FORMAT_NOISE_RE.sub("", code.split(";", 1)[0])
    return _FORMAT_DATE_PART_RE.search(first) is not None


def is_elapsed_format(code: str | None) -> bool:
    """Whether a format code shows elapsed time (``[h]:mm:ss``): such numbers become timedeltas."""
    return bool(code) and _FORMAT_ELAPSED_RE.search(code.split(";", 1)[0]) is not None


def from_serial(value: float, date1904: bool = False) -> datetime | time | str:
    """An Excel date serial as ``datetime`` (``time`` when below one day), rounded to the ms.

    The 1900 system counts the phantom 1900-02-29, so serials below 60 are shifted by a day.
    A serial outside ``datetime``'s range comes back as Excel's ``#VALUE!``.
    """
    whole, fraction = divmod(value, 1)
    # (fraction * 86400) * 1000, in this order: the same float rounding as openpyxl
    rest = timedelta(milliseconds=round(fraction * 86400 * 1000))
    try:
        if 0 <= value < 1 and rest.days == 0:
            minutes, seconds = divmod(rest.seconds, 60)
            return time(minutes // 60, minutes % 60, seconds, rest.microseconds)
        if date1904:
            return _MAC_EPOCH + timedelta(days=whole) + rest
        if 0 < value < 60:
            whole += 1
        return _WINDOWS_EPOCH + timedelta(days=whole) + rest
    except (OverflowError, ValueError):
        return "#VALUE!"


def from_serial_elapsed(value: float) -> timedelta | str:
    """A number shown with an elapsed-time format (``[h]:mm:ss``), rounded to the millisecond."""
    try:
        span = timedelta(days=value)
        if span.microseconds:
            span = timedelta(seconds=span.total_seconds() // 1, microseconds=round(span.microseconds, -3))
    except (OverflowError, ValueError):
        return "#VALUE!"
    return span


def _iso_fraction(text: str | None) -> int:
    return int(float(text) * 1_000_000) if text else 0


def from_iso(text: str) -> date | datetime | time:
    """A ``t="d"`` cell: ``yyyy-mm-dd``, ``yyyy-mm-ddThh:mm[:ss[.fff]][Z]`` or ``hh:mm[:ss[.fff]]``.

    Raises:
        UnsupportedWorkbook: another ISO 8601 form (durations, offsets, ...).
        ValueError: a form understood with an impossible value (month 13).
    """
    m = _ISO_DATE_RE.fullmatch(text)
    if m:
        return date(int(m[1]), int(m[2]), int(m[3]))
    m = _ISO_DATETIME_RE.fullmatch(text)
    if m:
        return datetime(
            int(m[1]), int(m[2]), int(m[3]), int(m[4]), int(m[5]), int(m[6] or 0), _iso_fraction(m[7])
        )
    m = _ISO_TIME_RE.fullmatch(text)
    if m:
        return time(int(m[1]), int(m[2]), int(m[3] or 0), _iso_fraction(m[4]))
    raise UnsupportedWorkbook(f"ISO date {text!r}")


def column_index(letters: str) -> int:
    """``A`` → 1, ``AB`` → 28, ``XFD`` → 16384.

    Raises:
        UnsupportedWorkbook: not one to three letters.
    """
    if not (1 <= len(letters) <= 3 and letters.isascii() and letters.isalpha()):
        raise UnsupportedWorkbook(f"cell reference {letters!r}")
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    if n > MAX_COLUMNS:
        raise RefusedWorkbook(f"列 {letters.upper()} 超出 Excel 的最大列数（XFD，第 {MAX_COLUMNS} 列）")
    return n


# --------------------------------------------------------------------------------------------
# The package: workbook, relationships, styles, shared strings
# --------------------------------------------------------------------------------------------


def _split(tag: str) -> tuple[str, str]:
    """ElementTree's ``{uri}local`` as (uri, local)."""
    if tag[:1] == "{":
        uri, _, local = tag[1:].partition("}")
        return uri, local
    return "", tag


def _xml(zf: zipfile.ZipFile, name: str) -> ElementTree.Element:
    try:
        data = zf.read(name)
    except KeyError:
        raise UnsupportedWorkbook(f"missing part {name}") from None
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError) as exc:
        raise DamagedWorkbook(f"{part_label(name)}无法解压（文件不完整或已损坏）") from exc
    if b"<!DOCTYPE" in data[:4096] or b"<!ENTITY" in data[:4096]:  # check_package refused it already
        raise RefusedWorkbook(f"{part_label(name)}含有 DTD/实体声明，已拒绝读取")
    try:
        return ElementTree.fromstring(data)
    except ElementTree.ParseError as exc:
        raise DamagedWorkbook(f"{part_label(name)}的内容已损坏（第 {exc.position[0]} 行附近）") from exc


def _relationships(zf: zipfile.ZipFile, source: str, names: set[str]) -> list[tuple[str, str, str]]:
    """(id, type, absolute part name) of the internal relationships of part ``source``."""
    folder, name = posixpath.split(source)
    rels_name = posixpath.join(folder, "_rels", name + ".rels")
    if rels_name not in names:
        return []
    root = _xml(zf, rels_name)
    out = []
    for el in root:
        if el.tag != f"{{{PKG_REL_NS}}}Relationship" or el.get("TargetMode") == "External":
            continue
        target = el.get("Target", "")
        if target.startswith("/"):
            target = target[1:]
        else:
            target = posixpath.normpath(posixpath.join(folder, target))
        out.append((el.get("Id", ""), el.get("Type", ""), target))
    return out


def _of_type(rels: list[tuple[str, str, str]], kind: str) -> str | None:
    for _id, rel_type, target in rels:
        if rel_type.endswith("/" + kind):
            return target
    return None


def _styles(zf: zipfile.ZipFile, name: str | None, ns: str, names: set[str]) -> tuple[set[int], set[int]]:
    """Indexes of the cell formats (``cellXfs``) that show dates, and those showing elapsed time."""
    if name is None or name not in names:
        return set(), set()
    root = _xml(zf, name)
    custom: dict[int, str] = {}
    numfmts = root.find(f"{{{ns}}}numFmts")
    if numfmts is not None:
        for el in numfmts.iter(f"{{{ns}}}numFmt"):
            try:
                custom[int(el.get("numFmtId", ""))] = el.get("formatCode", "")
            except ValueError:
                raise UnsupportedWorkbook("numFmtId") from None
    dates: set[int] = set()
    elapsed: set[int] = set()
    xfs = root.find(f"{{{ns}}}cellXfs")
    if xfs is None:
        return dates, elapsed
    for idx, xf in enumerate(xfs.iter(f"{{{ns}}}xf")):
        try:
            fmt_id = int(xf.get("numFmtId", "0"))
        except ValueError:
            raise UnsupportedWorkbook("numFmtId") from None
        code = custom.get(fmt_id)
        if code is not None and code in _BUILTIN_CODES:
            code, fmt_id = None, _BUILTIN_CODES[code]
        if code is None:
            if fmt_id in _BUILTIN_DATE_FORMATS:
                dates.add(idx)
            if fmt_id in _BUILTIN_ELAPSED_FORMATS:
                elapsed.add(idx)
        else:
            if is_date_format(code):
                dates.add(idx)
            if is_elapsed_format(code):
                elapsed.add(idx)
    return dates, elapsed


def _shared_strings(
    zf: zipfile.ZipFile, name: str | None, ns: str, convert: Callable, names: set[str]
) -> list:
    """The shared string table, each string converted once (streamed: the part may be large).

    A string is its plain ``<t>`` followed by the ``<t>`` of each rich text run ``<r>``; phonetic
    runs (``<rPh>``) are left out. Like openpyxl, ``x005F_`` is removed (Excel's escape of a
    literal ``_xHHHH_``) and the other ``_xHHHH_`` escapes are kept as they are.
    """
    if name is None or name not in names:
        return []
    si_tag, t_tag, r_tag = f"{ns}{_SEP}si", f"{ns}{_SEP}t", f"{ns}{_SEP}r"
    strings: list = []
    stack: list[str] = []
    buf: list[str] = []
    parts: list[str | None] = [None]  # [plain, run 1, run 2, ...]

    def start(tag: str, _attrs: dict) -> None:
        stack.append(tag)
        if tag == t_tag:
            buf.clear()
        elif tag == si_tag:
            parts[:] = [None]
        elif tag == r_tag and len(stack) > 1 and stack[-2] == si_tag:
            parts.append(None)

    def end(tag: str) -> None:
        stack.pop()
        if tag == t_tag and stack:
            parent = stack[-1]
            text = "".join(buf) or None
            if parent == si_tag:
                parts[0] = text
            elif parent == r_tag and len(stack) > 1 and stack[-2] == si_tag:
                parts[-1] = text
        elif tag == si_tag:
            text = "".join(p for p in parts if p is not None)
            if len(text) > MAX_CELL_CHARS:
                raise RefusedWorkbook(
                    f"文本表第 {len(strings) + 1} 项超过 {MAX_CELL_CHARS >> 20} MB（单元格内容过长）"
                )
            strings.append(convert(text.replace("x005F_", "")))

    parser = _parser()
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = buf.append
    _feed(zf, name, parser, lambda: None)
    return strings


def _parser(namespaces: bool = True) -> expat.XMLParserType:
    parser = expat.ParserCreate(namespace_separator=_SEP) if namespaces else expat.ParserCreate()
    parser.buffer_text = True
    parser.buffer_size = 1 << 16

    def no_dtd(*_args: object) -> None:
        raise RefusedWorkbook("文件含有 DTD/实体声明，已拒绝读取")

    parser.StartDoctypeDeclHandler = no_dtd
    parser.EntityDeclHandler = no_dtd
    return parser


def _feed(zf: zipfile.ZipFile, name: str, parser: expat.XMLParserType, after_chunk: Callable) -> None:
    """Feed part ``name`` to ``parser`` in chunks, calling ``after_chunk()`` after each one."""
    try:
        with zf.open(name) as fh:
            while chunk := fh.read(_CHUNK):
                parser.Parse(chunk, False)
                after_chunk()
            parser.Parse(b"", True)
    except expat.ExpatError as exc:
        raise DamagedWorkbook(f"{part_label(name)}的内容已损坏（第 {exc.lineno} 行附近）") from exc
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError) as exc:
        raise DamagedWorkbook(f"{part_label(name)}无法解压（文件不完整或已损坏）") from exc


# --------------------------------------------------------------------------------------------
# The sheet
# --------------------------------------------------------------------------------------------


class _EndOfSheet(Exception):
    """Raised inside the parser when the rows after the sheet's dimension are reached."""


class _Gap:
    """Empty rows up to (not including) ``end``, each ``width`` cells: handed out lazily."""

    __slots__ = ("end", "width")

    def __init__(self, end: int, width: int) -> None:
        self.end = end
        self.width = width


class SheetReader:
    """The first worksheet of an opened workbook; :meth:`rows` streams it (once)."""

    def __init__(
        self,
        zf: zipfile.ZipFile,
        sheet: str,
        ns: str,
        sst: list,
        dates: set[int],
        elapsed: set[int],
        date1904: bool,
        convert: Callable,
    ) -> None:
        self._zf = zf
        self.sheet = sheet
        self.ns = ns
        self._sst = sst
        self._dates = dates
        self._elapsed = elapsed
        self._date1904 = date1904
        self._convert = convert
        #: The sheet's <dimension> once read: {"max_col": …, "max_row": …} (for the fallback).
        self.dimension: dict[str, int] = {}

    def close(self) -> None:
        self._zf.close()

    def __enter__(self) -> SheetReader:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def rows(self) -> Iterator[tuple[int, list]]:
        """(row number from 1, values) of each row, as openpyxl read-only ``iter_rows`` gives them.

        Raises:
            DamagedWorkbook: broken zip, XML or cell value.
            UnsupportedWorkbook: something not understood (the rows before it were right).
        """
        out: list[tuple[int, list | _Gap]] = []
        gaps: list[bool] = []  # non-empty once a _Gap went into out
        parser, finish, where = _sheet_parser(
            self.ns,
            self._sst,
            self._dates,
            self._elapsed,
            self._date1904,
            self._convert,
            out,
            gaps,
            self.dimension,
        )
        name = self.sheet
        empty = self._convert(None)
        try:
            with self._zf.open(name) as fh:
                try:
                    while chunk := fh.read(_CHUNK):
                        parser.Parse(chunk, False)
                        if out:
                            if gaps:
                                yield from _expand(out, empty)
                            else:
                                yield from out
                            out.clear()
                    parser.Parse(b"", True)
                except _EndOfSheet:
                    finish(True)
                else:
                    finish(False)
        except expat.ExpatError as exc:
            raise DamagedWorkbook(f"工作表的内容已损坏（{where()}附近）") from exc
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError) as exc:
            raise DamagedWorkbook("工作表无法解压（文件不完整或已损坏）") from exc
        except (ValueError, IndexError) as exc:
            raise DamagedWorkbook(f"{where()}的值无效（{_value_problem(exc)}）") from exc
        yield from _expand(out, empty)


def _expand(out: list, empty: object) -> Iterator[tuple[int, list]]:
    """The rows of ``out`` with each :class:`_Gap` turned into its empty rows, one at a time."""
    for n, row in out:
        if row.__class__ is _Gap:
            for k in range(n, row.end):
                yield k, [empty] * row.width
        else:
            yield n, row


def _value_problem(exc: Exception) -> str:
    """A cell value error in Chinese (the exception's own text is Python's, in English)."""
    if isinstance(exc, IndexError):
        return "引用的文本不存在"
    return "不是有效的数字或日期"


def _sheet_parser(
    ns: str,
    sst: list,
    dates: set[int],
    elapsed: set[int],
    date1904: bool,
    convert: Callable,
    out: list,
    gaps: list[bool] | None = None,
    dimension: dict[str, int] | None = None,
) -> tuple[expat.XMLParserType, Callable[[bool], None], Callable[[], str]]:
    """An expat parser of a worksheet that appends finished rows to ``out``.

    Also returns ``finish(early)``, to call once the part is parsed (``early``: stopped by
    :class:`_EndOfSheet`), and ``where()``, the open cell for error messages.

    Empty rows before a row (or up to the dimension's last row) go into ``out`` as one
    :class:`_Gap` (and ``gaps`` gets an entry), never one list per row. ``dimension`` receives
    the sheet's <dimension> (``max_col``, ``max_row``) when there is one.

    Three start-tag handlers take turns: ``head`` up to the first row, ``body`` for the rows
    (the hot one), ``tail`` after them. There is no end-tag handler except inside rich inline
    strings; character data goes straight into ``buf`` (``list.append``).
    """
    # Element names as written (the parser does no namespace processing, which is faster): set by
    # root() from the prefix the root element binds to the main namespace, usually none.
    C = V = ROW = IS = F = T = R = RPH = SHEET_DATA = DIMENSION = ""
    empty = convert(None)
    buf: list[str] = []
    clear = buf.clear
    join = "".join
    columns: dict[str, int] = {}  # "AB" -> 28, filled as references are met
    kinds: dict[str, int] = {}  # the s attribute -> _NUMBER / _DATE / _ELAPSED

    in_data = False  # <sheetData> has started
    max_col: int | None = None  # from <dimension>
    max_row: int | None = None
    counter = 1  # number of the next row handed out
    row_no = 0  # number of the open row
    vals: list = []  # values of the open row
    row_open = False
    last_col = 0  # column of the open row's last cell (openpyxl's column counter)
    cell = False  # a cell is open
    c_col = 0
    c_type: str | None = None
    c_style: str | None = None
    has_v = False
    inline: object = None  # the open cell's <is>: None, _OPEN (text in buf) or its converted text
    depth = 0  # inside a rich <is>: 1 for <is> itself
    level2 = ""  # inside a rich <is>: the open child of <is>
    plain: str | None = None
    runs: list[str | None] = []

    def kind_of(style: str) -> int:
        try:
            idx = int(style)
        except ValueError:
            if style:
                raise
            idx = -1
        kind = _NUMBER
        if idx in dates:
            kind = _ELAPSED if idx in elapsed else _DATE
        kinds[style] = kind
        return kind

    def typed(text: str) -> object:
        """The value of the open cell from its <v> text (not a shared or an inline string)."""
        t = c_type
        if t is None or t == "n":
            number = float(text) if ("." in text or "E" in text or "e" in text) else int(text)
            if dates and c_style is not None:
                kind = kinds.get(c_style)
                if kind is None:
                    kind = kind_of(c_style)
                if kind == _DATE:
                    return convert(from_serial(number, date1904))
                if kind == _ELAPSED:
                    return convert(from_serial_elapsed(number))
            return convert(number)
        if t == "b":
            return convert(bool(int(text)))
        if t == "d":
            return convert(from_iso(text))
        return convert(text)  # "str", "e" and types openpyxl does not know either: the text

    def put() -> None:
        """Store the open cell's value in the open row."""
        nonlocal cell
        cell = False
        if c_type == "inlineStr":
            if inline is _OPEN and sum(map(len, buf)) > MAX_CELL_CHARS:
                raise RefusedWorkbook(f"{where()}超过 {MAX_CELL_CHARS >> 20} MB（单元格内容过长）")
            value = empty if inline is None else convert(join(buf)) if inline is _OPEN else inline
        elif not has_v:
            value = empty
        else:
            text = join(buf)
            if len(text) > MAX_CELL_CHARS:
                raise RefusedWorkbook(f"{where()}超过 {MAX_CELL_CHARS >> 20} MB（单元格内容过长）")
            if not text:
                value = empty
            elif c_type == "s":
                value = sst[int(text)]
            else:
                value = typed(text)
        n = len(vals)
        if c_col > n:
            if c_col > n + 1:
                vals.extend([empty] * (c_col - 1 - n))
            vals.append(value)
        else:
            vals[c_col - 1] = value

    def end_row() -> None:
        """Hand out the open row (and the empty rows before it), openpyxl's way."""
        nonlocal counter, vals, row_open
        row, vals, row_open = vals, [], False
        if counter < row_no:
            out.append((counter, _Gap(row_no, 0 if max_col is None else max_col)))
            if gaps is not None:
                gaps.append(True)
            counter = row_no
        if counter > row_no:  # openpyxl drops such a row without a word: say so instead
            raise DamagedWorkbook(
                f"第 {row_no} 行排在第 {counter - 1} 行之后（行顺序错乱），请在 Excel 中另存后再导入"
            )
        if counter == row_no:
            width = last_col if max_col is None else max_col
            n = len(row)
            if n < width:
                row.extend([empty] * (width - n))
            out.append((counter, row))
            counter += 1

    def open_row(attrs: list) -> None:
        nonlocal row_no, row_open, last_col
        if cell:
            put()
        if row_open:
            end_row()
        ref = _attr(attrs, "r")
        row_no = row_no + 1 if ref is None else row_number(ref)
        if row_no > MAX_ROWS:
            raise RefusedWorkbook(f"第 {row_no} 行超出 Excel 的最大行数 {MAX_ROWS}")
        row_open = True
        last_col = 0
        clear()

    def head(name: str, attrs: list) -> None:
        """Up to the first row: the root, the dimension, <sheetData>."""
        nonlocal in_data, max_col, max_row
        if name == ROW and in_data:
            parser.StartElementHandler = body
            open_row(attrs)
        elif in_data:  # <sheetData/> without rows
            tail(name, attrs)
        elif name == SHEET_DATA:
            in_data = True
        elif name == DIMENSION:
            ref = _attr(attrs, "ref") or ""
            m = _DIMENSION_RE.fullmatch(ref)
            if m is None:
                raise UnsupportedWorkbook(f"dimension {ref!r}")
            max_col = column_index(m[3] or m[1])
            max_row = int(m[4] or m[2])
            if max_row > MAX_ROWS:
                raise RefusedWorkbook(f"表格范围到第 {max_row} 行，超出 Excel 的最大行数 {MAX_ROWS}")
            if dimension is not None:
                dimension.update(max_col=max_col, max_row=max_row)
            if max_col > PAD_MAX_COLUMNS:
                # A range that wide is not the data's (A1:XFD1048576): pad nothing, trust the cells
                max_col = max_row = None
        elif name.rpartition(":")[2] in ("c", "row", "sheetData", "dimension"):
            raise UnsupportedWorkbook(f"{name} out of place")  # or under another prefix

    def body(name: str, attrs: list) -> None:
        """In the rows: this runs for every element of every cell."""
        nonlocal cell, c_col, c_type, c_style, has_v, inline, last_col
        if name == C:
            if cell:  # finish the previous cell
                put()
            # the usual attribute orders first: r t (openpyxl), r s t (Excel), r s, r
            n = len(attrs)
            if n == 4 and attrs[0] == "r" and attrs[2] == "t":
                ref, c_type, c_style = attrs[1], attrs[3], None
            elif n == 6 and attrs[0] == "r" and attrs[2] == "s" and attrs[4] == "t":
                ref, c_style, c_type = attrs[1], attrs[3], attrs[5]
            elif n == 4 and attrs[0] == "r" and attrs[2] == "s":
                ref, c_style, c_type = attrs[1], attrs[3], None
            elif n == 2 and attrs[0] == "r":
                ref, c_type, c_style = attrs[1], None, None
            else:
                ref, c_type, c_style = _attr(attrs, "r"), _attr(attrs, "t"), _attr(attrs, "s")
            if ref:
                col = columns.get(ref.rstrip(_DIGITS))
                c_col = col if col is not None else new_column(ref)
            else:
                c_col = last_col + 1
            last_col = c_col
            has_v = False
            inline = None
            cell = True
        elif name == V:
            has_v = True
            clear()
        elif name == T:  # in <is>: a plain string, or the plain part before rich text runs
            clear()
        elif name == IS:
            inline = _OPEN
            clear()
        elif name == ROW:
            open_row(attrs)
        elif name == R or name == RPH:
            rich_inline(name)
        elif name == F:  # its text is dropped when the <v> starts, which comes after it...
            if has_v:
                raise UnsupportedWorkbook("<f> after <v>")  # ...always, in practice
        else:
            # Not part of a row: the rows are over (<sheetData> has ended). The last row is only
            # handed out at the end of the part: should a cell or a row come after all, this
            # element was inside a row, and the caller falls back to openpyxl from the row before.
            if cell:
                put()
            parser.StartElementHandler = tail

    def tail(name: str, _attrs: list) -> None:
        if name.rpartition(":")[2] in ("c", "row"):  # prefixed too: never skip a cell unread
            raise UnsupportedWorkbook(f"{name} after the rows")

    def new_column(ref: str) -> int:
        m = _CELL_REF_RE.fullmatch(ref)
        if m is None:
            raise UnsupportedWorkbook(f"cell reference {ref!r}")
        col = columns[ref.rstrip(_DIGITS)] = column_index(m[1])
        return col

    def row_number(ref: str) -> int:
        try:
            number = int(ref)
        except ValueError:
            real = float(ref)
            if not real.is_integer():
                raise UnsupportedWorkbook(f"row number {ref!r}") from None
            number = int(real)
        if number > MAX_ROWS:
            raise RefusedWorkbook(f"第 {number} 行超出 Excel 的最大行数 {MAX_ROWS}")
        return number

    def rich_inline(name: str) -> None:
        """A rich text run or a phonetic run in <is>: from here on, follow end tags too."""
        nonlocal depth, level2, plain
        if inline is not _OPEN:
            raise UnsupportedWorkbook(f"{name} outside an inline string")
        text = join(buf)
        plain = text if text.strip() else None  # whitespace only: no plain <t> before the runs
        depth = 2
        level2 = name
        runs.clear()
        if name == R:
            runs.append(None)
        parser.StartElementHandler = inline_start
        parser.EndElementHandler = inline_end

    def inline_start(name: str, _attrs: list) -> None:
        nonlocal depth, level2
        depth += 1
        if depth == 2:
            level2 = name
            if name == R:
                runs.append(None)
        if name == T:
            clear()

    def inline_end(name: str) -> None:
        nonlocal depth, plain, inline
        depth -= 1
        if name == T:
            if depth == 1:
                plain = join(buf) or None
            elif depth == 2 and level2 == R:
                runs[-1] = join(buf) or None
        elif depth == 0:  # </is>
            inline = convert(join(s for s in (plain, *runs) if s is not None))
            parser.StartElementHandler = body
            parser.EndElementHandler = None

    def finish(early: bool) -> None:
        nonlocal counter
        if not early:
            if cell:
                put()
            try:
                if row_open:
                    end_row()
                return
            except _EndOfSheet:
                pass
        # openpyxl stops at the first row after the dimension's last, then pads up to it
        if max_row is not None and counter <= max_row:
            out.append((counter, _Gap(max_row + 1, max_col or 0)))
            if gaps is not None:
                gaps.append(True)
            counter = max_row + 1

    def where() -> str:
        return f"第 {row_no} 行第 {c_col} 列的单元格"

    def root(name: str, attrs: list) -> None:
        nonlocal C, V, ROW, IS, F, T, R, RPH, SHEET_DATA, DIMENSION
        prefix, _, local = name.rpartition(":")
        bound = [attrs[i] for i in range(0, len(attrs), 2) if attrs[i + 1] == ns]
        if local != "worksheet" or bound != [f"xmlns:{prefix}" if prefix else "xmlns"]:
            raise UnsupportedWorkbook(f"worksheet root {name!r}")
        p = prefix + ":" if prefix else ""
        C, V, ROW, IS, F = p + "c", p + "v", p + "row", p + "is", p + "f"
        T, R, RPH = p + "t", p + "r", p + "rPh"
        SHEET_DATA, DIMENSION = p + "sheetData", p + "dimension"
        parser.StartElementHandler = head

    parser = _parser(namespaces=False)
    parser.ordered_attributes = True
    parser.StartElementHandler = root
    parser.CharacterDataHandler = buf.append
    return parser, finish, where


def _attr(attrs: list, key: str) -> str | None:
    """An attribute from expat's ordered list [name, value, name, value, ...]."""
    for i in range(0, len(attrs), 2):
        if attrs[i] == key:
            return attrs[i + 1]
    return None


def open_first_sheet(path: Path | str, convert: Callable | None = None) -> SheetReader:
    """Open the workbook at ``path``: its first worksheet, shared strings, date styles.

    ``convert`` is applied to every value (``None`` for an empty cell) before it is handed out,
    once per shared string.

    Raises:
        DamagedWorkbook: not a zip, or a broken part.
        UnsupportedWorkbook: a workbook this reader does not understand.
    """
    if convert is None:
        convert = _same
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as exc:
        raise DamagedWorkbook("不是有效的 .xlsx 文件（文件不完整，或是改了扩展名的其他文件）") from exc
    try:
        check_package(zf)
        names = set(zf.namelist())
        workbook = _of_type(_relationships(zf, "", names), "officeDocument")
        if workbook is None or workbook not in names:
            raise UnsupportedWorkbook("no workbook part")
        root = _xml(zf, workbook)
        ns, local = _split(root.tag)
        if ns not in MAIN_NS or local != "workbook":
            raise UnsupportedWorkbook(f"workbook root {root.tag!r}")
        rels = _relationships(zf, workbook, names)
        by_id = {rid: (rel_type, target) for rid, rel_type, target in rels}
        pr = root.find(f"{{{ns}}}workbookPr")
        date1904 = pr is not None and pr.get("date1904") not in (None, "", "false", "f", "0")
        sheet = None
        for el in root.iterfind(f"{{{ns}}}sheets/{{{ns}}}sheet"):
            rid = el.get(f"{{{REL_ATTR_NS[0]}}}id") or el.get(f"{{{REL_ATTR_NS[1]}}}id")
            if not rid:
                continue  # openpyxl skips such a sheet too
            if rid not in by_id:
                raise UnsupportedWorkbook(f"sheet relationship {rid!r}")
            rel_type, target = by_id[rid]
            if target not in names or rel_type.endswith("/chartsheet"):
                continue
            if not rel_type.endswith("/worksheet"):
                raise UnsupportedWorkbook(f"sheet type {rel_type!r}")
            sheet = target
            break
        if sheet is None:
            raise UnsupportedWorkbook("no worksheet")
        dates, elapsed = _styles(zf, _of_type(rels, "styles") or "xl/styles.xml", ns, names)
        sst = _shared_strings(zf, _of_type(rels, "sharedStrings"), ns, convert, names)
        return SheetReader(zf, sheet, ns, sst, dates, elapsed, date1904, convert)
    except BaseException:
        zf.close()
        raise


def _same(value: object) -> object:
    return value
