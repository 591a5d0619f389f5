"""Hostile spreadsheet files (issue 14): refused with one Chinese line, fast, no traceback.

The bombs are built here, small on disk: a deflate block of repeated text is compressed once
and written many times (after a sync flush a block that only refers back to the same text
decodes the same wherever it sits), so a "3 GB" sheet is a few megabytes and takes no time.
"""

from __future__ import annotations

import os
import re
import struct
import threading
import time
import zlib
from pathlib import Path

import pytest

from pdd_desktop.domain.errors import ValidationError
from pdd_desktop.tabular import import_files, xlsx_stream
from pdd_desktop.tabular.import_files import ErrorCollector, RowError, inspect_file, iter_rows
from tests.tabular.test_xlsx_stream import CT, MAIN, PKG, REL, package, sheet_xml, styles_xml

#: English phrases of libraries that must never reach the merchant.
_LEAKS = re.compile(
    r"There is no item|not a zip|field limit|amplification|Errno|Error|Traceback|xl/|\.xml|"
    r"codec|decode|expected|line contains",
    re.IGNORECASE,
)


def refused(path: Path, match: str, seconds: float = 2.0) -> str:
    """Read ``path`` to the end, expecting a Chinese ValidationError matching ``match``."""
    start = time.monotonic()
    with pytest.raises(ValidationError) as info:
        for _row in iter_rows(inspect_file(path)):
            pass
    elapsed = time.monotonic() - start
    message = str(info.value)
    assert re.search(match, message), message
    assert not _LEAKS.search(message), message
    assert re.search(r"[\u4e00-\u9fff]", message), message
    assert elapsed < seconds, f"{elapsed:.2f} s"
    return message


# --------------------------------------------------------------------------------------------
# A zip written by hand (so that a part can be a repeated deflate block)
# --------------------------------------------------------------------------------------------


class Member:
    """One part: its raw deflate stream, unpacked size and CRC (as the directory declares)."""

    def __init__(self, name: str, deflated: bytes | list, size: int, crc: int) -> None:
        self.name, self.deflated, self.size, self.crc = name, deflated, size, crc

    @classmethod
    def of(cls, name: str, text: str | bytes) -> Member:
        data = text.encode() if isinstance(text, str) else text
        c = zlib.compressobj(6, zlib.DEFLATED, -15)
        return cls(name, c.compress(data) + c.flush(), len(data), zlib.crc32(data))

    @classmethod
    def repeated(cls, name: str, head: bytes, unit: bytes, times: int, tail: bytes) -> Member:
        """``head + unit * times + tail`` (``unit`` ≥ 32 KB), compressed once, written ``times``."""
        assert len(unit) >= 1 << 15 and times >= 2
        c = zlib.compressobj(9, zlib.DEFLATED, -15)
        first = c.compress(head + unit) + c.flush(zlib.Z_SYNC_FLUSH)
        again = c.compress(unit) + c.flush(zlib.Z_SYNC_FLUSH)
        last = c.compress(tail) + c.flush()
        size = len(head) + len(unit) * times + len(tail)
        crc = 0  # of a bomb: would take seconds to compute, and nothing reads that far
        if size < 64 << 20:  # a part that is read to its end: the real CRC
            crc = zlib.crc32(head)
            for _ in range(times):
                crc = zlib.crc32(unit, crc)
            crc = zlib.crc32(tail, crc)
        return cls(name, [first, *([again] * (times - 1)), last], size, crc)


def write_zip(path: Path, members: list[Member]) -> Path:
    central = []
    with open(path, "wb") as fh:
        for m in members:
            chunks = m.deflated if isinstance(m.deflated, list) else [m.deflated]
            csize = sum(len(c) for c in chunks)
            offset = fh.tell()
            name = m.name.encode()
            fh.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, m.crc, csize, m.size,
                                 len(name), 0) + name)  # fmt: skip
            for c in chunks:
                fh.write(c)
            central.append(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0x21, m.crc,
                                       csize, m.size, len(name), 0, 0, 0, 0, 0, offset) + name)  # fmt: skip
        start = fh.tell()
        for c in central:
            fh.write(c)
        size = fh.tell() - start
        fh.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(central), len(central), size, start, 0))
    return path


def workbook_members(sheet: Member | str, **extra: Member | str) -> list[Member]:
    """The parts of a one-sheet workbook; ``extra`` adds or replaces parts by name."""
    parts: dict[str, Member | str] = {
        "[Content_Types].xml": (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{CT}.sheet.main+xml"/>'
            f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{CT}.worksheet+xml"/></Types>'
        ),
        "_rels/.rels": (
            f'<Relationships xmlns="{PKG}"><Relationship Id="rId1" Type="{REL}/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets><sheet name="S" sheetId="1" r:id="rId1"/>'
            "</sheets></workbook>"
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<Relationships xmlns="{PKG}">'
            f'<Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{REL}/styles" Target="styles.xml"/>'
            f'<Relationship Id="rId3" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>'
            "</Relationships>"
        ),
        "xl/styles.xml": styles_xml([]),
        "xl/worksheets/sheet1.xml": sheet,
    }
    parts.update(extra)
    return [p if isinstance(p, Member) else Member.of(n, p) for n, p in parts.items()]


HEAD = f'<worksheet xmlns="{MAIN}"><sheetData>'.encode()
TAIL = b"</sheetData></worksheet>"


# --------------------------------------------------------------------------------------------
# XLSX that exhausts memory
# --------------------------------------------------------------------------------------------


def test_huge_dimension_and_last_row_read_lazily(tmp_path):
    """A 3 KB sheet with A1:XFD1048576 and row 1048576: a neutral result, fast, no padding."""
    rows = (
        '<row r="1"><c r="A1" t="inlineStr"><is><t>订单号</t></is></c>'
        '<c r="B1" t="inlineStr"><is><t>备注</t></is></c></row>'
        '<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    )
    path = package(tmp_path / "dim.xlsx", sheet_xml(rows, dimension="A1:XFD1048576"))
    assert path.stat().st_size < 3000
    start = time.monotonic()
    n_rows = 0
    last = None
    widest = 0
    for n, cells in iter_rows(inspect_file(path)):
        n_rows += 1
        widest = max(widest, len(cells))
        last = (n, cells)
    assert time.monotonic() - start < 2
    assert n_rows == 1_048_576 and last == (1_048_576, ["x"]) and widest == 2


@pytest.mark.parametrize("row", ["2000000000", "1048577"])
def test_row_beyond_excel_is_refused(tmp_path, row):
    rows = f'<row r="1"><c r="A1"><v>1</v></c></row><row r="{row}"><c r="A{row}"><v>2</v></c></row>'
    path = package(tmp_path / "rows.xlsx", sheet_xml(rows))
    refused(path, f"第 {row} 行超出 Excel 的最大行数")


def test_dimension_beyond_excel_is_refused(tmp_path):
    path = package(tmp_path / "dim.xlsx", sheet_xml('<row r="1"><c r="A1"><v>1</v></c></row>',
                                                    dimension="A1:B2000000000"))  # fmt: skip
    refused(path, "超出 Excel 的最大行数")


def test_column_beyond_xfd_is_refused(tmp_path):
    path = package(tmp_path / "col.xlsx", sheet_xml('<row r="1"><c r="ZZZ1"><v>1</v></c></row>'))
    refused(path, "超出 Excel 的最大列数")


def test_whitespace_bomb_sheet_is_refused_before_unpacking(tmp_path):
    unit = b" " * (1 << 20)
    sheet = Member.repeated("xl/worksheets/sheet1.xml", HEAD, unit, 3 * 1024, TAIL)  # 3 GB
    path = write_zip(tmp_path / "bomb.xlsx", workbook_members(sheet))
    assert path.stat().st_size < 8 << 20
    refused(path, "工作表解压后有 3.0 GB，超过上限")


def test_million_row_bomb_is_refused_by_its_ratio(tmp_path):
    one = b"<row><c><v>1</v></c></row>"
    unit = one * 4096  # 110 KB
    sheet = Member.repeated("xl/worksheets/sheet1.xml", HEAD, unit, 24_000_000 // 4096, TAIL)  # 24M rows
    path = write_zip(tmp_path / "rows.xlsx", workbook_members(sheet))
    assert path.stat().st_size < 8 << 20
    refused(path, "压缩比异常")


@pytest.mark.parametrize("part", ["xl/styles.xml", "xl/sharedStrings.xml"])
def test_huge_styles_or_shared_strings_are_refused(tmp_path, part):
    root = b"styleSheet" if "styles" in part else b"sst"
    head = b"<" + root + f' xmlns="{MAIN}">'.encode()
    big = Member.repeated(part, head, b" " * (1 << 20), 1200, b"</" + root + b">")  # 1.2 GB
    sheet = sheet_xml('<row r="1"><c r="A1"><v>1</v></c></row>')
    path = write_zip(tmp_path / "big.xlsx", workbook_members(sheet, **{part: big}))
    label = "格式表" if "styles" in part else "文本表"
    refused(path, f"{label}解压后有 1.2 GB，超过上限")


def test_a_part_that_lies_about_its_size_is_damaged_not_unpacked(tmp_path):
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    bomb = c.compress(HEAD + b" " * (50 << 20) + TAIL) + c.flush()
    sheet = Member("xl/worksheets/sheet1.xml", bomb, 1000, 0)  # declares 1,000 bytes
    path = write_zip(tmp_path / "liar.xlsx", workbook_members(sheet))
    refused(path, "无法解压|已损坏")


def test_20_mb_cells_are_refused_inline_and_shared(tmp_path):
    def inline(mb: int) -> Member:
        return Member.repeated(
            "xl/worksheets/sheet1.xml",
            HEAD + b'<row r="1"><c r="A1" t="inlineStr"><is><t>',
            b"x" * (1 << 20),
            mb,
            b"</t></is></c></row>" + TAIL,
        )

    # 20 MB of one letter compresses a thousandfold: the ratio stops it before the cell limit
    refused(write_zip(tmp_path / "cell20.xlsx", workbook_members(inline(20))), "压缩比异常")
    path = write_zip(tmp_path / "cell.xlsx", workbook_members(inline(2)))
    refused(path, "第 1 行第 1 列的单元格超过 1 MB")
    shared = Member.repeated(
        "xl/sharedStrings.xml",
        f'<sst xmlns="{MAIN}"><si><t>'.encode(),
        b"y" * (1 << 20),
        2,
        b"</t></si></sst>",
    )
    sheet = sheet_xml('<row r="1"><c r="A1" t="s"><v>0</v></c></row>')
    path = write_zip(tmp_path / "sst.xlsx", workbook_members(sheet, **{"xl/sharedStrings.xml": shared}))
    refused(path, "文本表第 1 项超过 1 MB")
    plain = Member.repeated(
        "xl/worksheets/sheet1.xml", HEAD + b'<row r="1"><c r="A1" t="str"><v>', b"z" * (1 << 20), 2,
        b"</v></c></row>" + TAIL,
    )  # fmt: skip
    refused(write_zip(tmp_path / "v.xlsx", workbook_members(plain)), "第 1 行第 1 列的单元格超过 1 MB")


LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">'
    '<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>'
)


@pytest.mark.parametrize("part", ["xl/worksheets/sheet1.xml", "xl/styles.xml", "docProps/app.xml"])
def test_a_dtd_anywhere_is_refused_and_openpyxl_never_sees_it(tmp_path, monkeypatch, part):
    import openpyxl

    def no_openpyxl(*_a, **_k):
        raise AssertionError("openpyxl must not read a refused file")

    monkeypatch.setattr(openpyxl, "load_workbook", no_openpyxl)
    sheet = sheet_xml('<row r="1"><c r="A1" t="inlineStr"><is><t>&lol4;</t></is></c></row>')
    docs = {
        "xl/worksheets/sheet1.xml": LAUGHS + sheet.split("?>", 1)[1],
        "xl/styles.xml": LAUGHS + styles_xml([]),
        "docProps/app.xml": LAUGHS + "<Properties>&lol4;</Properties>",
    }
    members = workbook_members(sheet if part != "xl/worksheets/sheet1.xml" else docs[part])
    members = [m for m in members if m.name != part] + [Member.of(part, docs[part])]
    refused(write_zip(tmp_path / "laughs.xlsx", members), "DTD/实体声明")


def _fallback_sheet(rows: str, dimension: str = "") -> str:
    """A sheet the fast reader hands to openpyxl (two prefixes bound to the main namespace)."""
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return f'<worksheet xmlns="{MAIN}" xmlns:x="{MAIN}">{dim}<sheetData>{rows}</sheetData></worksheet>'


def test_openpyxl_fallback_keeps_the_row_limit(tmp_path):
    rows = '<row r="1"><c r="A1"><v>1</v></c></row><row r="1048577"><c r="A1048577"><v>2</v></c></row>'
    path = package(tmp_path / "fallback.xlsx", _fallback_sheet(rows))
    with pytest.raises(xlsx_stream.UnsupportedWorkbook):
        with xlsx_stream.open_first_sheet(path) as reader:
            list(reader.rows())
    refused(path, "超出 Excel 的最大行数", seconds=5)


def test_openpyxl_fallback_does_not_pad_to_a_huge_dimension(tmp_path):
    rows = (
        '<row r="1"><c r="A1"><v>1</v></c><c r="B1"><v>2</v></c></row><row r="9"><c r="A9"><v>3</v></c></row>'
    )
    path = package(tmp_path / "fallback.xlsx", _fallback_sheet(rows, "A1:XFD1048576"))
    start = time.monotonic()
    got = list(iter_rows(inspect_file(path)))
    assert time.monotonic() - start < 2
    assert got[0] == (1, ["1", "2"]) and got[-1] == (9, ["3"]) and len(got) == 9


# --------------------------------------------------------------------------------------------
# English internals mapped to Chinese
# --------------------------------------------------------------------------------------------


def test_not_a_zip_and_missing_parts(tmp_path):
    (tmp_path / "fake.xlsx").write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    refused(tmp_path / "fake.xlsx", "不是有效的 .xlsx 文件")
    import zipfile

    with zipfile.ZipFile(tmp_path / "bare.xlsx", "w") as zf:
        zf.writestr("hello.txt", "hi")
    refused(tmp_path / "bare.xlsx", "文件不完整")


def test_csv_field_over_the_limit_names_the_line_of_the_open_quote(tmp_path):
    path = tmp_path / "long.csv"
    path.write_text('订单号,商品\n1,a\n2,"' + "x" * ((1 << 20) + 10) + '"\n3,b\n', encoding="utf-8")
    refused(path, "第 3 行有超过 1 MB 的单元格")


def test_csv_unclosed_quote_is_reported_with_its_line(tmp_path):
    path = tmp_path / "quote.csv"
    path.write_text('订单号,商品\n1,a\n2,"保温杯\n3,b\n4,c\n', encoding="utf-8")
    refused(path, "第 3 行的引号没有闭合")
    ok = tmp_path / "multiline.csv"  # a quoted line break is fine
    ok.write_text('订单号,商品\n1,"保温\n杯"\n2,"他说""好"""\n', encoding="utf-8")
    assert [c for _n, c in iter_rows(inspect_file(ok))][1:] == [["1", "保温\n杯"], ["2", '他说"好"']]


def test_encoding_error_names_the_line(tmp_path):
    path = tmp_path / "enc.csv"
    path.write_bytes("订单号,商品\n1,保温杯\n2,水杯\n".encode("gbk") + b"3,\xff\xff\n")
    refused(path, "第 4 行有既不是 UTF-8 也不是 GBK")
    path.write_bytes("订单号,商品\n1,保温杯\n".encode() + b"2,\xff\n3,b\n")
    refused(path, "第 3 行")


def _assert_not_blocking(path: Path, match: str) -> None:
    box: dict = {}

    def run() -> None:
        try:
            inspect_file(path)
        except ValidationError as exc:
            box["error"] = str(exc)

    t = threading.Thread(target=run, daemon=True)
    t.start()
    t.join(2)
    assert not t.is_alive(), "opening the file blocked"
    assert re.search(match, box.get("error", "")), box


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_fifo_device_and_folder_are_refused_without_opening(tmp_path):
    fifo = tmp_path / "orders.csv"
    os.mkfifo(fifo)
    _assert_not_blocking(fifo, "不是普通文件")
    _assert_not_blocking(Path(os.devnull), "不是普通文件")
    (tmp_path / "folder.xlsx").mkdir()
    _assert_not_blocking(tmp_path / "folder.xlsx", "是一个文件夹")
    _assert_not_blocking(tmp_path / "missing.csv", "文件不存在")


def test_error_collector_keeps_the_first_and_counts_the_rest():
    c = ErrorCollector(limit=3)
    c.extend(RowError(n, "订单号", "", "订单号为空") for n in range(2, 12))
    c.extend([RowError(5, "商品", "", "两处")])
    errors = c.finish()
    assert [e.row_no for e in errors] == [2, 3, 4, 5]
    assert errors[-1].message == "还有 8 处错误未列出（从第 5 行起）" and c.bad_rows == 10
    few = ErrorCollector(limit=3)
    few.extend([RowError(2, "订单号", "", "订单号为空")])
    assert few.finish() == (RowError(2, "订单号", "", "订单号为空"),) and few.bad_rows == 1


def test_limits_are_excel_and_csv_alike():
    assert xlsx_stream.MAX_ROWS == 1_048_576 and xlsx_stream.MAX_COLUMNS == 16_384
    assert import_files.CSV_FIELD_LIMIT == xlsx_stream.MAX_CELL_CHARS == 1 << 20
