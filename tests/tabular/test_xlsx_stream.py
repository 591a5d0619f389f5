"""The streaming XLSX reader gives what openpyxl's read-only mode gave ``iter_rows``."""

from __future__ import annotations

import datetime as dt
import itertools
import logging
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.styles.numbers import is_date_format as openpyxl_is_date_format
from openpyxl.utils.datetime import MAC_EPOCH, WINDOWS_EPOCH, from_excel

from pdd_desktop.domain.errors import ValidationError
from pdd_desktop.tabular import import_files, xlsx_stream
from pdd_desktop.tabular.import_files import cell_text, find_header, inspect_file, iter_rows

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
STRICT = "http://purl.oclc.org/ooxml/spreadsheetml/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
STRICT_REL = "http://purl.oclc.org/ooxml/officeDocument/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"

# openpyxl warns about serials outside the dates it can make (both readers give "#VALUE!")
pytestmark = pytest.mark.filterwarnings("ignore:Cell .* is marked as a date:UserWarning")


# --------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------


def openpyxl_raw(path: Path) -> list[tuple[int, list]]:
    wb = load_workbook(path, read_only=True, data_only=True)
    try:
        rows = wb.worksheets[0].iter_rows(values_only=True)
        return [(n, list(row)) for n, row in enumerate(rows, start=1)]
    finally:
        wb.close()


def openpyxl_text(path: Path) -> list[tuple[int, list[str]]]:
    return [(n, [cell_text(c) for c in row]) for n, row in openpyxl_raw(path)]


def fast(path: Path, convert=cell_text) -> list[tuple[int, list]]:
    """The fast reader alone (no fallback)."""
    with xlsx_stream.open_first_sheet(path, convert) as reader:
        return list(reader.rows())


def assert_same(path: Path, *, raw: bool = True) -> list[tuple[int, list[str]]]:
    expected = openpyxl_text(path)
    assert fast(path) == expected
    assert list(iter_rows(inspect_file(path))) == expected
    if raw:
        assert fast(path, None) == openpyxl_raw(path)
    return expected


def sheet_xml(rows: str, *, ns: str = MAIN, dimension: str | None = None, prefix: str = "") -> str:
    p = f"{prefix}:" if prefix else ""
    xmlns = f'xmlns:{prefix}="{ns}"' if prefix else f'xmlns="{ns}"'
    dim = f'<{p}dimension ref="{dimension}"/>' if dimension else ""
    if prefix:
        rows = rows.replace("<", f"<{p}").replace(f"<{p}/", f"</{p}")
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<{p}worksheet {xmlns}>{dim}'
        f'<{p}sheetData>{rows}</{p}sheetData><{p}pageMargins left="0.7" right="0.7" top="0.75" '
        f'bottom="0.75" header="0.3" footer="0.3"/></{p}worksheet>'
    )


def styles_xml(formats: list[int | str], ns: str = MAIN) -> str:
    """cellXfs: xf 0 is General, xf i (from 1) has formats[i - 1] (a built-in id or a code)."""
    custom = {}
    ids = [0]
    for f in formats:
        if isinstance(f, str):
            custom.setdefault(f, 164 + len(custom))
            ids.append(custom[f])
        else:
            ids.append(f)
    numfmts = "".join(
        f'<numFmt numFmtId="{i}" formatCode="{code.replace(chr(34), "&quot;")}"/>'
        for code, i in custom.items()
    )
    xfs = "".join(f'<xf numFmtId="{i}" fontId="0" fillId="0" borderId="0" xfId="0"/>' for i in ids)
    return (
        f'<styleSheet xmlns="{ns}"><numFmts count="{len(custom)}">{numfmts}</numFmts>'
        '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
        '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        f'<cellXfs count="{len(ids)}">{xfs}</cellXfs>'
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
        "</styleSheet>"
    )


def sst_xml(items: list[str], ns: str = MAIN) -> str:
    """``items`` are the inner XML of each <si>."""
    body = "".join(f"<si>{i}</si>" for i in items)
    return f'<sst xmlns="{ns}" count="{len(items)}" uniqueCount="{len(items)}">{body}</sst>'


def package(
    path: Path,
    sheet: str,
    *,
    sst: str | None = None,
    styles: str | None = None,
    strict: bool = False,
    date1904: bool = False,
    absolute: bool = False,
    chartsheet_first: bool = False,
) -> Path:
    """A minimal workbook written by hand: what openpyxl cannot write."""
    ns, rel = (STRICT, STRICT_REL) if strict else (MAIN, REL)
    styles = styles if styles is not None else styles_xml([], ns)
    target = "/xl/worksheets/sheet1.xml" if absolute else "worksheets/sheet1.xml"
    rels = [("rId1", "worksheet", target), ("rId2", "styles", "styles.xml")]
    sheets = '<sheet name="Data" sheetId="1" r:id="rId1"/>'
    overrides = [
        ("/xl/workbook.xml", f"{CT}.sheet.main+xml"),
        ("/xl/worksheets/sheet1.xml", f"{CT}.worksheet+xml"),
        ("/xl/styles.xml", f"{CT}.styles+xml"),
    ]
    files = {"xl/worksheets/sheet1.xml": sheet, "xl/styles.xml": styles}
    if sst is not None:
        rels.append(("rId3", "sharedStrings", "sharedStrings.xml"))
        overrides.append(("/xl/sharedStrings.xml", f"{CT}.sharedStrings+xml"))
        files["xl/sharedStrings.xml"] = sst
    if chartsheet_first:
        rels.append(("rId9", "chartsheet", "chartsheets/sheet1.xml"))
        sheets = '<sheet name="Chart" sheetId="2" r:id="rId9"/>' + sheets
        overrides.append(("/xl/chartsheets/sheet1.xml", f"{CT}.chartsheet+xml"))
        files["xl/chartsheets/sheet1.xml"] = (
            f'<chartsheet xmlns="{ns}" xmlns:r="{rel}"><sheetPr/><sheetViews><sheetView '
            'workbookViewId="0"/></sheetViews></chartsheet>'
        )
    rel_base = STRICT_REL if strict else REL
    files["xl/_rels/workbook.xml.rels"] = (
        f'<Relationships xmlns="{PKG}">'
        + "".join(f'<Relationship Id="{i}" Type="{rel_base}/{t}" Target="{g}"/>' for i, t, g in rels)
        + "</Relationships>"
    )
    pr = '<workbookPr date1904="1"/>' if date1904 else "<workbookPr/>"
    files["xl/workbook.xml"] = (
        f'<workbook xmlns="{ns}" xmlns:r="{rel}">{pr}<sheets>{sheets}</sheets></workbook>'
    )
    files["_rels/.rels"] = (
        f'<Relationships xmlns="{PKG}"><Relationship Id="rId1" '
        f'Type="{rel_base}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    )
    files["[Content_Types].xml"] = (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        + "".join(f'<Override PartName="{n}" ContentType="{c}"/>' for n, c in overrides)
        + "</Types>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in files.items():
            zf.writestr(name, text)
    return path


# --------------------------------------------------------------------------------------------
# Workbooks written by openpyxl
# --------------------------------------------------------------------------------------------


def test_openpyxl_workbook_of_every_kind_of_cell(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["订单号", "商品", None, "金额", "是否", "时间"])
    ws.append(['  ="0012"', "'留言", None, 12.5, True, dt.datetime(2025, 11, 23, 8, 9, 10)])
    ws["A4"] = 123  # row 3 skipped
    ws["C4"] = -7.0
    ws["F4"] = dt.date(2024, 2, 29)
    ws["B5"] = CellRichText(["普通 ", TextBlock(InlineFont(b=True), "粗体")])
    ws["A6"] = "=SUM(1,2)"  # no cached value: None
    formats = {
        "A7": "yyyy-mm-dd hh:mm:ss",
        "B7": "yyyy/m/d",
        "C7": 'yyyy"年"m"月"d"日"',
        "D7": "h:mm",
        "E7": "[h]:mm:ss",
        "F7": "mm:ss.0",
        "G7": "0.00",
        "H7": "#,##0.00_);[Red](#,##0.00)",
        "I7": "[$-F800]dddd, mmmm dd, yyyy",
        "J7": "mm-dd-yy",
    }
    for ref, code in formats.items():
        ws[ref] = 45619.5208
        ws[ref].number_format = code
    ws["A8"] = dt.time(23, 59, 58)
    ws["B8"] = dt.timedelta(hours=30, minutes=1)
    ws["C8"] = dt.datetime(1900, 1, 1, 12)
    ws["D8"] = 0.5
    ws["D8"].number_format = "h:mm:ss"
    ws["E8"] = 1e20
    ws["F8"] = 1.0000001
    path = tmp_path / "kinds.xlsx"
    wb.save(path)
    rows = assert_same(path)
    assert rows[1] == (2, ["0012", "留言", "", "12.5", "是", "2025-11-23 08:09:10", "", "", "", ""])
    assert rows[3][1][:4] == ["123", "", "-7", ""]
    assert rows[4][1][1] == "普通 粗体"
    assert rows[6][1][:4] == ["2024-11-23 12:29:57"] * 4  # a date format on a number: a datetime
    assert rows[6][1][6] == "45619.5208"


def test_write_only_workbook_like_the_bench(tmp_path):
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("订单")
    ws.append(["订单号", "商品", "备注"])
    for i in range(300):
        ws.append([f"2511{i:08d}", "" if i % 7 else None, f" 备注 {i} " if i % 3 else ""])
    path = tmp_path / "bench-like.xlsx"
    wb.save(path)
    rows = assert_same(path)
    assert len(rows) == 301
    assert rows[1] == (2, ["251100000000", "", ""])


def test_iter_rows_and_find_header_end_to_end(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws["A1"] = "订单导出 2025-11-23"
    ws.append(["订单号", "订单状态", "商品数量(件)"])
    ws.append(["251123-0001", "已发货", 2])
    path = tmp_path / "header.xlsx"
    wb.save(path)
    rows = iter_rows(inspect_file(path))
    assert find_header(rows) == (2, ["订单号", "订单状态", "商品数量(件)"])
    assert list(rows) == [(3, ["251123-0001", "已发货", "2"])]


# --------------------------------------------------------------------------------------------
# Workbooks written by hand
# --------------------------------------------------------------------------------------------


def test_shared_strings_and_cell_types(tmp_path):
    sst = sst_xml(
        [
            "<t>订单号</t>",
            '<t xml:space="preserve">  两端空格  </t>',
            "<r><t>富</t></r><r><rPr><b/></rPr><t>文本</t></r>",
            '<r><t>漢字</t></r><rPh sb="0" eb="2"><t>かんじ</t></rPh><phoneticPr fontId="1"/>',
            "<t/>",
            "<t>line1\nline2</t>",
            "<t>a_x005F_x000D_b_x000D_c</t>",
            "<t>&lt;&amp;&gt;</t>",
        ]
    )
    rows = (
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c>'
        '<c r="D1" t="s"><v>3</v></c><c r="E1" t="s"><v>4</v></c><c r="F1" t="s"><v>5</v></c>'
        '<c r="G1" t="s"><v>6</v></c><c r="H1" t="s"><v>7</v></c></row>'
        '<row r="2"><c r="A2"><v>12345678901234567890</v></c><c r="B2" t="n"><v>1.5</v></c>'
        '<c r="C2"><v>1.0</v></c><c r="D2"><v>1E3</v></c><c r="E2"><v>-0</v></c><c r="F2"><v>007</v></c>'
        '<c r="G2"><v>2.5e-3</v></c><c r="H2"><v></v></c></row>'
        '<row r="3"><c r="A3" t="b"><v>1</v></c><c r="B3" t="b"><v>0</v></c><c r="C3" t="e"><v>#N/A</v></c>'
        '<c r="D3" t="str"><f>A1&amp;"x"</f><v>订单号x</v></c><c r="E3"><f>1+1</f><v>2</v></c>'
        '<c r="F3" t="str"><f>""</f><v></v></c><c r="G3" t="d"><v>2025-11-23T08:09:10</v></c>'
        '<c r="H3" t="d"><v>2025-11-23</v></c><c r="I3" t="d"><v>08:09:10.5</v></c></row>'
        '<row r="4"><c r="A4" s="1"/><c r="C4" t="s"><v>0</v></c></row>'
    )
    path = package(tmp_path / "sst.xlsx", sheet_xml(rows), sst=sst, styles=styles_xml(["@"]))
    got = assert_same(path)
    assert got[0][1] == [
        "订单号",
        "两端空格",
        "富文本",
        "漢字",
        "",
        "line1\nline2",
        "a_x000D_b_x000D_c",
        "<&>",
    ]
    assert got[1][1] == ["12345678901234567890", "1.5", "1", "1000", "0", "7", "0.0025", ""]
    assert got[2][1] == [
        "是", "否", "#N/A", "订单号x", "2", "", "2025-11-23 08:09:10", "2025-11-23 00:00:00", "08:09:10"
    ]  # fmt: skip
    assert got[3] == (4, ["", "", "订单号"])
    assert fast(path, None)[1][1][0] == 12345678901234567890


def test_inline_strings_plain_rich_and_phonetic(tmp_path):
    rows = (
        '<row r="1"><c r="A1" t="inlineStr"><is><t>plain</t></is></c>'
        '<c r="B1" t="inlineStr"><is><r><t xml:space="preserve">a </t></r><r><rPr><i/></rPr><t>b</t></r>'
        "</is></c>"
        '<c r="C1" t="inlineStr"><is><t>漢字</t><rPh sb="0" eb="2"><t>かんじ</t></rPh></is></c>'
        '<c r="D1" t="inlineStr"><is><t>x</t><r><t>y</t></r></is></c>'
        '<c r="E1" t="inlineStr"><is/></c><c r="F1" t="inlineStr"/><c r="G1" t="inlineStr"><is><t/></is></c>'
        '<c r="H1" t="inlineStr"><v>ignored</v></c><c r="I1" t="inlineStr"><is><t>after</t></is></c></row>'
    )
    path = package(tmp_path / "inline.xlsx", sheet_xml(rows))
    got = assert_same(path)
    assert got == [(1, ["plain", "a b", "漢字", "xy", "", "", "", "", "after"])]


def test_pretty_printed_sheet(tmp_path):
    rows = """
      <row r="1">
        <c r="A1" t="inlineStr">
          <is>
            <t>  x  </t>
          </is>
        </c>
        <c r="B1" t="inlineStr">
          <is>
            <r>
              <t>a</t>
            </r>
            <r>
              <t>b</t>
            </r>
          </is>
        </c>
        <c r="C1">
          <v>12</v>
        </c>
        <c r="D1" t="str">
          <f>"s"</f>
          <v>s</v>
        </c>
      </row>
    """
    path = package(tmp_path / "pretty.xlsx", sheet_xml(rows))
    assert assert_same(path, raw=False) == [(1, ["x", "ab", "12", "s"])]


def test_rows_and_cells_without_references(tmp_path):
    rows = (
        "<row><c><v>1</v></c><c><v>2</v></c></row>"
        '<row r="4"><c r="B4"><v>3</v></c><c><v>4</v></c><c r="E4"><v>5</v></c><c><v>6</v></c></row>'
        "<row><c><v>7</v></c></row>"
        '<row r="6"/>'
        '<row r="7"><c r="C7"><v>8</v></c><c r="A7"><v>9</v></c></row>'
    )
    path = package(tmp_path / "no-refs.xlsx", sheet_xml(rows))
    got = assert_keeps_what_openpyxl_reads(path)
    assert got == [
        (1, ["1", "2"]),
        (2, []),
        (3, []),
        (4, ["", "3", "4", "", "5", "6"]),
        (5, ["7"]),
        (6, []),
        (7, ["9", "", "8"]),  # openpyxl cuts the row after its last cell (A7) and loses C7
    ]


def _cells(rows) -> dict[tuple[int, int], str]:
    return {(n, c): v for n, row in rows for c, v in enumerate(row, start=1) if v != ""}


def assert_keeps_what_openpyxl_reads(path: Path) -> list[tuple[int, list[str]]]:
    """A dimension smaller than the data: openpyxl cuts the rows and cells outside it; the fast
    reader reads the same rows the same way (padded to the dimension) and keeps the rest."""
    got, expected = fast(path), openpyxl_text(path)
    by_row = dict(got)
    for n, row in expected:
        assert by_row.get(n, [])[: len(row)] + [""] * (len(row) - len(by_row.get(n, []))) == row
    assert _cells(expected).items() <= _cells(got).items()
    assert list(iter_rows(inspect_file(path))) == got
    return got


ROWS_FOR_DIMENSION = (
    '<row r="1"><c r="A1"><v>1</v></c><c r="C1"><v>3</v></c></row>'
    '<row r="3"><c r="B3"><v>5</v></c></row>'
    '<row r="5"><c r="D5"><v>7</v></c></row>'
)


@pytest.mark.parametrize("dimension", ["A1:E9", "A1:D5", "a1:d5", "$A$1:$E$6"])
def test_dimension_pads_like_openpyxl(tmp_path, dimension):
    path = package(tmp_path / "dim.xlsx", sheet_xml(ROWS_FOR_DIMENSION, dimension=dimension))
    assert_same(path)


@pytest.mark.parametrize("dimension", ["A1:C3", "A1:B2", "A1", "$A$1:$D$2", "B2:C3", "a1:c3"])
def test_a_dimension_smaller_than_the_data_loses_nothing(tmp_path, dimension):
    """openpyxl would drop rows and cells outside a wrong ``<dimension>``; an order lost that way
    would be silent, so the fast reader reads every cell there is."""
    path = package(tmp_path / "dim.xlsx", sheet_xml(ROWS_FOR_DIMENSION, dimension=dimension))
    got = assert_keeps_what_openpyxl_reads(path)
    assert _cells(got) == {(1, 1): "1", (1, 3): "3", (3, 2): "5", (5, 4): "7"}


def test_strict_namespace_reads_like_transitional(tmp_path):
    sst = "<t>订单号</t>", "<r><t>a</t></r><r><t>b</t></r>"
    rows = (
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>'
        '<c r="C1" s="1"><v>45619.75</v></c><c r="D1" t="inlineStr"><is><t>i</t></is></c></row>'
        '<row r="3"><c r="B3"><v>2</v></c></row>'
    )
    transitional = package(
        tmp_path / "t.xlsx", sheet_xml(rows), sst=sst_xml(list(sst)), styles=styles_xml([22])
    )
    strict = package(
        tmp_path / "s.xlsx",
        sheet_xml(rows, ns=STRICT),
        sst=sst_xml(list(sst), STRICT),
        styles=styles_xml([22], STRICT),
        strict=True,
    )
    expected = assert_same(transitional)
    assert fast(strict) == expected
    assert list(iter_rows(inspect_file(strict))) == expected
    assert expected[0][1] == ["订单号", "ab", "2024-11-23 18:00:00", "i"]


def test_1904_dates_and_the_1900_leap_bug(tmp_path):
    rows = (
        '<row r="1"><c r="A1" s="1"><v>0</v></c><c r="B1" s="1"><v>1</v></c><c r="C1" s="1"><v>59</v></c>'
        '<c r="D1" s="1"><v>60</v></c><c r="E1" s="1"><v>61</v></c><c r="F1" s="1"><v>45619.999999</v></c>'
        '<c r="G1" s="1"><v>0.25</v></c><c r="H1" s="2"><v>1.5</v></c><c r="I1" s="1"><v>-1</v></c>'
        '<c r="J1" s="1"><v>99999999</v></c></row>'
    )
    styles = styles_xml(["yyyy-mm-dd hh:mm:ss", "[h]:mm"])
    for date1904 in (False, True):
        path = package(tmp_path / f"d{date1904}.xlsx", sheet_xml(rows), styles=styles, date1904=date1904)
        got = assert_same(path)
        assert got[0][1][9] == "#VALUE!"
    assert got[0][1][1] == "1904-01-02 00:00:00"


def test_absolute_target_prefixed_namespace_and_chartsheet_first(tmp_path):
    rows = '<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c><c r="B1"><v>2</v></c></row>'
    path = package(
        tmp_path / "odd.xlsx",
        sheet_xml(rows, prefix="x", dimension="A1:B1"),
        absolute=True,
        chartsheet_first=True,
    )
    assert fast(path) == [(1, ["x", "2"])]
    assert list(iter_rows(inspect_file(path))) == [(1, ["x", "2"])]


def test_missing_styles_and_shared_strings_parts(tmp_path):
    path = package(tmp_path / "bare.xlsx", sheet_xml('<row r="2"><c r="B2"><v>45000</v></c></row>'))
    with zipfile.ZipFile(path) as zf:
        parts = {n: zf.read(n) for n in zf.namelist() if n != "xl/styles.xml"}
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    assert fast(path) == [(1, []), (2, ["", "45000"])]


# --------------------------------------------------------------------------------------------
# Falling back to openpyxl, damaged files
# --------------------------------------------------------------------------------------------


def test_falls_back_to_openpyxl_in_the_middle_of_the_sheet(tmp_path, monkeypatch, caplog):
    # more than one chunk of XML before the cell the fast reader does not understand
    bad = 6000
    rows = "".join(f'<row r="{i}"><c r="A{i}"><v>{i}</v></c></row>' for i in range(1, bad))
    rows += f'<row r="{bad}"><c r="A{bad}" t="d"><v>PT1H30M</v></c></row>'  # an ISO duration
    rows += f'<row r="{bad + 1}"><c r="A{bad + 1}"><v>5</v></c></row>'
    path = package(tmp_path / "duration.xlsx", sheet_xml(rows))
    with pytest.raises(xlsx_stream.UnsupportedWorkbook):
        fast(path)
    skipped = []
    real = import_files._openpyxl_rows

    def spy(p, skip=0):
        skipped.append(skip)
        return real(p, skip)

    monkeypatch.setattr(import_files, "_openpyxl_rows", spy)
    with caplog.at_level(logging.INFO, logger="pdd_desktop.tabular.import_files"):
        got = list(iter_rows(inspect_file(path)))
    assert got == openpyxl_text(path)
    assert got[bad - 1] == (bad, ["1:30:00"])
    # the fast reader's rows were kept; openpyxl went on after them
    assert len(skipped) == 1 and 0 < skipped[0] < bad
    assert f"after row {skipped[0]}" in caplog.text


def test_falls_back_to_openpyxl_before_the_first_row(tmp_path, monkeypatch):
    path = package(
        tmp_path / "cols.xlsx", sheet_xml('<row r="1"><c r="A1"><v>1</v></c></row>', dimension="A:C")
    )
    with pytest.raises(xlsx_stream.UnsupportedWorkbook):
        xlsx_stream.open_first_sheet(path).rows().__next__()
    assert list(iter_rows(inspect_file(path))) == openpyxl_text(path)


@pytest.mark.parametrize(
    "row2",
    [
        '<c r="A2"><v>2</v></c><extLst/><c r="B2"><v>3</v></c>',  # an element that is no cell
        '<c r="A2"><v>2</v></c><c r="B2"><v>3</v><f>1+2</f></c>',  # <f> after <v>
    ],
)
def test_odd_row_content_falls_back(tmp_path, row2):
    rows = f'<row r="1"><c r="A1"><v>1</v></c></row><row r="2">{row2}</row>'
    path = package(tmp_path / "odd-row.xlsx", sheet_xml(rows))
    with pytest.raises(xlsx_stream.UnsupportedWorkbook):
        fast(path)
    assert list(iter_rows(inspect_file(path))) == openpyxl_text(path) == [(1, ["1"]), (2, ["2", "3"])]


@pytest.mark.parametrize(
    "sheet",
    [
        f'<worksheet xmlns="{MAIN}" xmlns:x="{MAIN}"><sheetData><x:row r="1"><x:c r="A1"><x:v>1</x:v>'
        '</x:c></x:row><row r="2"><c r="A2"><v>2</v></c></row></sheetData></worksheet>',
        f'<worksheet xmlns="{MAIN}"><sheetData xmlns:y="{MAIN}"><y:row r="1"><y:c r="A1"><y:v>1</y:v>'
        "</y:c></y:row></sheetData></worksheet>",
        f'<worksheet xmlns="{MAIN}"><y:sheetData xmlns:y="{MAIN}"><y:row r="1"><y:c r="A1"><y:v>1</y:v>'
        "</y:c></y:row></y:sheetData></worksheet>",
    ],
)
def test_unusual_namespace_prefixes_fall_back(tmp_path, sheet):
    path = package(tmp_path / "prefixes.xlsx", sheet)
    with pytest.raises(xlsx_stream.UnsupportedWorkbook):
        fast(path)
    expected = openpyxl_text(path)
    assert expected[0] == (1, ["1"])
    assert list(iter_rows(inspect_file(path))) == expected


@pytest.mark.parametrize(
    "damage",
    [
        "truncated zip",
        "bad sheet xml",
        "bad number",
        "bad shared string index",
        "bad workbook xml",
        "corrupt deflate",
    ],
)
def test_damaged_files_are_validation_errors(tmp_path, damage):
    rows = '<row r="1"><c r="A1"><v>1</v></c></row>' * 1
    sheet = sheet_xml(rows)
    if damage == "bad sheet xml":
        sheet = sheet.replace("</sheetData>", "</sheetDat>")
    elif damage == "bad number":
        sheet = sheet.replace("<v>1</v>", "<v>abc</v>")
    elif damage == "bad shared string index":
        sheet = sheet.replace('<c r="A1">', '<c r="A1" t="s">').replace("<v>1</v>", "<v>5</v>")
    path = package(tmp_path / "bad.xlsx", sheet, sst=sst_xml(["<t>x</t>"]))
    if damage == "truncated zip":
        data = path.read_bytes()
        path.write_bytes(data[: len(data) // 2])
    elif damage == "bad workbook xml":
        with zipfile.ZipFile(path) as zf:
            parts = {n: zf.read(n) for n in zf.namelist()}
        parts["xl/workbook.xml"] = parts["xl/workbook.xml"][:-5]
        with zipfile.ZipFile(path, "w") as zf:
            for name, data in parts.items():
                zf.writestr(name, data)
    elif damage == "corrupt deflate":  # the workbook part's compressed bytes, CRC left as is
        data = bytearray(path.read_bytes())
        with zipfile.ZipFile(path) as zf:
            info = zf.getinfo("xl/workbook.xml")
        start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
        for i in range(start, start + info.compress_size):
            data[i] ^= 0x5A
        path.write_bytes(bytes(data))
    with pytest.raises(ValidationError, match="无法读取 Excel 文件"):
        list(iter_rows(inspect_file(path)))


# --------------------------------------------------------------------------------------------
# Pieces, against openpyxl's own
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "code",
    [
        "General", "0", "0.00", "@", "yyyy-mm-dd hh:mm:ss", "yyyy/m/d", "h:mm", "[h]:mm:ss", "mm:ss.0",
        '"年"0', '0"天"', "[Red]0.00", "[$-804]yyyy年m月d日", "[$¥-804]#,##0.00", "0_);[Red](0)",
        '#,##0.00_);[Red](#,##0.00);"-"', "\\d0", "_d0", "[DBNum1]General", "[mm]:ss", "[S]", "d;@",
        "0;yyyy", "",
    ],
)  # fmt: skip
def test_date_format_classification_matches_openpyxl(code):
    assert xlsx_stream.is_date_format(code) == openpyxl_is_date_format(code)


@given(st.floats(min_value=-700_000, max_value=3_000_000, allow_nan=False) | st.integers(-1000, 3_000_000))
@settings(max_examples=300)
def test_serials_convert_like_openpyxl(value):
    for date1904, epoch in ((False, WINDOWS_EPOCH), (True, MAC_EPOCH)):
        try:
            expected = from_excel(value, epoch)
        except (OverflowError, ValueError):
            expected = "#VALUE!"
        assert xlsx_stream.from_serial(value, date1904) == expected
    try:
        expected = from_excel(value, WINDOWS_EPOCH, timedelta=True)
    except (OverflowError, ValueError):
        expected = "#VALUE!"
    assert xlsx_stream.from_serial_elapsed(value) == expected


_TEXT = st.text(st.sampled_from("ab 中文\n'=\"_x0D#"), max_size=6)
_CELL = st.one_of(
    st.none(),
    _TEXT,
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.booleans(),
    st.datetimes(dt.datetime(1900, 3, 1), dt.datetime(2100, 1, 1)).map(lambda d: d.replace(microsecond=0)),
    st.times().map(lambda t: t.replace(microsecond=0)),
)
_FORMATS = st.sampled_from(
    ["General", "0.00", "yyyy-mm-dd", "yyyy/m/d h:mm", "h:mm:ss", "[h]:mm:ss", '"x"0', "mm-dd-yy"]
)


@given(
    grid=st.lists(st.lists(st.tuples(_CELL, _FORMATS), max_size=6), max_size=6),
    write_only=st.booleans(),
)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_random_grids_match_openpyxl(tmp_path, grid, write_only):
    wb = Workbook(write_only=write_only)
    ws = wb.create_sheet("s") if write_only else wb.active
    for r, cells in enumerate(grid, start=1):
        if write_only:
            ws.append([value for value, _fmt in cells])
            continue
        for c, (value, fmt) in enumerate(cells, start=1):
            if value is None:
                continue
            cell = ws.cell(row=r, column=c, value=value)
            if not isinstance(value, str):
                cell.number_format = fmt
    path = tmp_path / "grid.xlsx"
    wb.save(path)
    assert fast(path) == openpyxl_text(path)
    assert fast(path, None) == openpyxl_raw(path)


def _letters(col: int) -> str:
    out = ""
    while col:
        col, rem = divmod(col - 1, 26)
        out = chr(65 + rem) + out
    return out


_XML_CELL = st.tuples(st.none() | st.integers(1, 30), st.none() | st.integers(-5, 10**6))
_XML_ROW = st.tuples(st.none() | st.integers(1, 12), st.lists(_XML_CELL, max_size=5))


@given(
    rows=st.lists(_XML_ROW, max_size=8),
    dimension=st.none() | st.tuples(st.integers(1, 30), st.integers(1, 12)),
)
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_random_sheet_structures_match_openpyxl(tmp_path, rows, dimension):
    """Rows and cells with and without references, in and out of order, any dimension."""
    xml = []
    for row_ref, cells in rows:
        r = f' r="{row_ref}"' if row_ref else ""
        body = ""
        for col, value in cells:
            ref = f' r="{_letters(col)}{row_ref or 1}"' if col else ""
            body += f"<c{ref}>" + ("" if value is None else f"<v>{value}</v>") + "</c>"
        xml.append(f"<row{r}>{body}</row>")
    dim = None if dimension is None else f"A1:{_letters(dimension[0])}{dimension[1]}"
    path = package(tmp_path / "structure.xlsx", sheet_xml("".join(xml), dimension=dim))
    numbers, n = [], 0
    for row_ref, _ in rows:
        n = n + 1 if row_ref is None else row_ref
        numbers.append(n)
    if any(b <= a for a, b in itertools.pairwise(numbers)):
        with pytest.raises(xlsx_stream.DamagedWorkbook, match="行顺序错乱"):
            fast(path)
        return
    # Where openpyxl reads a cell, the fast reader reads it the same; where openpyxl cuts data
    # (past a small dimension, cells out of order), the fast reader keeps it; it invents nothing.
    got = assert_keeps_what_openpyxl_reads(path)
    values = sum(1 for _r, cells in rows for _c, v in cells if v is not None)
    assert len(_cells(got)) <= values


def test_a_row_out_of_order_is_reported_not_dropped(tmp_path):
    rows = '<row r="1"><c r="A1"><v>1</v></c></row><row r="3"><c r="A3"><v>3</v></c></row>'
    rows += '<row r="2"><c r="A2"><v>2</v></c></row>'
    path = package(tmp_path / "order.xlsx", sheet_xml(rows))
    with pytest.raises(ValidationError, match="第 2 行排在第 3 行之后"):
        list(iter_rows(inspect_file(path)))
