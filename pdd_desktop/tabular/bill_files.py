"""Reading the platform's bill file (货款账单 / 店铺账务明细): the ZIP as downloaded, or the CSV inside.

File facts (``shared/docs/merchant-data.md`` §1.1–1.2, from parsers of real files):

- 对账中心 → 账单 exports a **ZIP holding one CSV** (``pdd-mall-bill-detail*.csv``); the open
  platform's ``pdd.finance.balance.daily.bill.url.get`` gives a download URL of the day's file
  (format undocumented: assumed the same, the header is checked).
- The CSV is **GB18030**; a copy saved again by Excel or another tool may be UTF-8 (with or
  without BOM): both are read.
- A preamble of four lines (title, blank, ``起始时间：… 终止时间：…``, ``----交易记录明细列表----``)
  then the header: **商户订单号, 发生时间, 收入金额（+元）, 支出金额（-元）, 账务类型, 备注, 业务描述**
  (parentheses full-width or ASCII; unknown trailing columns are tolerated). The header is the
  first of the first 15 rows whose cells include 商户订单号 and 业务描述.
- Income is positive in 收入, expenses are **negative** in 支出; 商户订单号 is empty for lines
  that belong to no order (withdrawals, transfers).
- After the data, summary lines (the platform starts them with ``#``) give 收入合计 and 支出合计,
  each as a count of lines (zero-amount lines included) and an amount: the control totals. Their
  exact wording is not known, so a summary line is any line after the header whose first
  non-empty cell starts with ``#`` or contains ``合计``; ``收入合计`` / ``支出合计`` in it, then
  the first whole number (the count, ``笔`` optional) and the next number (yuan). A line with
  a non-zero 支出 counts as an expense line, every other line (zero-amount ones too) as income.

Nothing here knows the database: rows come out as :class:`BillRow`, problems as
:class:`~pdd_desktop.tabular.import_files.RowError` (row numbers are lines of the CSV, as a text
editor or Excel shows them).
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pdd_desktop.domain import export_columns as ec
from pdd_desktop.domain.errors import ValidationError
from pdd_desktop.domain.money import MoneyError, yuan_to_fen
from pdd_desktop.tabular.import_files import (
    FileInfo,
    RowError,
    _require_regular_file,
    cell_text,
    inspect_file,
    iter_rows,
)

#: Rows searched for the header (the preamble is four lines).
HEADER_SEARCH_ROWS = 15
#: A bill CSV larger than this inside a ZIP is refused (a 12-month, 1,000,000-line bill is ~150 MB).
MAX_MEMBER_BYTES = 2 << 30
_CHUNK = 1 << 20

#: (key, header as the platform writes it, required).
COLUMNS: tuple[tuple[str, str, bool], ...] = (
    ("order_sn", "商户订单号", True),
    ("occurred_at", "发生时间", True),
    ("income", "收入金额（+元）", True),
    ("expense", "支出金额（-元）", True),
    ("account_type", "账务类型", False),
    ("remark", "备注", False),
    ("description", "业务描述", True),
)
_BY_HEADER = {ec.normalize_header(h): k for k, h, _r in COLUMNS}
_HEADER_OF = {k: h for k, h, _r in COLUMNS}
_PERIOD_RE = re.compile(
    r"起始时间\s*[:：]\s*(\d{4}-\d{1,2}-\d{1,2}(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?)\s*"
    r"终止时间\s*[:：]\s*(\d{4}-\d{1,2}-\d{1,2}(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?)"
)
_NUMBER_RE = re.compile(r"[+-]?\d[\d,]*(?:\.\d+)?")
_MONEY_RE = re.compile(r"^([+-]?)(\d{1,12})(?:\.(\d{1,2}))?$", re.ASCII)
_SN_RE = re.compile(r"^\d{6}-\d{6,20}$", re.ASCII)


@dataclass(frozen=True)
class BillSource:
    """A bill file as found: where its CSV is and how it is encoded."""

    path: Path
    sha256: str  #: of the file as given (the ZIP, or the CSV)
    size: int
    encoding: str  #: "utf-8" / "utf-8-sig" / "gb18030"
    member: str  #: the CSV's name inside the ZIP; "" for a plain CSV


@dataclass(frozen=True)
class BillRow:
    """One data line of a bill."""

    row_no: int
    order_sn: str  #: "" for a line without an order
    occurred_at: int  #: UTC epoch seconds (the file is Beijing time)
    income_fen: int  #: ≥ 0
    expense_fen: int  #: ≤ 0
    account_type: str
    remark: str
    description: str

    @property
    def amount_fen(self) -> int:
        """The signed amount (income positive, expense negative)."""
        return self.income_fen + self.expense_fen

    @property
    def is_expense(self) -> bool:
        """Counted with 支出合计 (a non-zero 支出 cell)."""
        return self.expense_fen != 0

    @property
    def is_order_line(self) -> bool:
        """商户订单号 holds a platform order number."""
        return bool(_SN_RE.match(self.order_sn))


@dataclass(frozen=True)
class ControlTotal:
    """A summary line: 收入合计 or 支出合计, a count of lines and an amount."""

    row_no: int
    kind: str  #: "income" / "expense"
    count: int
    amount_fen: int  #: as written (expenses may be written with or without their minus sign)


@dataclass
class BillHead:
    """What the lines before the data say."""

    header_row: int
    header: list[str]
    columns: dict[str, int]  #: key → position
    unknown: tuple[str, ...]  #: header cells that are no bill column (ignored)
    period: tuple[int, int] | None  #: 起始时间, 终止时间 (UTC epoch seconds) when the preamble has them


def is_bill_header(cells: list[str]) -> bool:
    """Whether a row is a bill file's header (商户订单号 and 业务描述 among its cells)."""
    names = {ec.normalize_header(c) for c in cells}
    return "商户订单号" in names and "业务描述" in names


def looks_like_zip(path: Path | str) -> bool:
    """Whether the file is a ZIP (by its first bytes; an .xlsx is a ZIP too: check the suffix first)."""
    try:
        with open(path, "rb") as fh:
            return fh.read(4) == b"PK\x03\x04"
    except OSError:
        return False


def open_bill(path: Path | str) -> BillSource:
    """Find the bill's CSV (in a ZIP or not), hash the file and detect the CSV's encoding.

    Raises:
        ValidationError: not a readable ZIP/CSV, a ZIP without exactly one CSV, or bytes that
            are neither UTF-8 nor GB18030.
    """
    path = Path(path)
    if not looks_like_bill_zip(path):
        info = inspect_file(path)
        return BillSource(path, info.sha256, info.size, info.encoding, "")
    _require_regular_file(path)  # the same checks as a CSV (a FIFO would block the open)
    digest = hashlib.sha256()
    size = 0
    try:
        with open(path, "rb") as fh:
            while chunk := fh.read(_CHUNK):
                size += len(chunk)
                digest.update(chunk)
    except OSError as exc:
        raise ValidationError("文件", f"无法打开 {path.name}：{exc.strerror or '系统错误'}") from exc
    member = _bill_member(path)
    encoding = _member_encoding(path, member)
    return BillSource(path, digest.hexdigest(), size, encoding, member)


def _bill_member(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as zf:
            members = [
                i
                for i in zf.infolist()
                if not i.is_dir()
                and not i.filename.startswith("__MACOSX/")
                and i.filename.lower().endswith(".csv")
            ]
            if len(members) != 1:
                raise ValidationError(
                    "文件",
                    f"{path.name} 里应正好有一个账单 CSV 文件（找到 {len(members)} 个），"
                    "请从拼多多商家后台 对账中心 → 账单 重新下载",
                )
            info = members[0]
            if info.file_size > MAX_MEMBER_BYTES:
                raise ValidationError("文件", f"{path.name} 里的账单文件过大（超过 2 GB）")
            if info.flag_bits & 0x1:
                raise ValidationError("文件", f"{path.name} 有密码保护，请解压后导入里面的 CSV 文件")
            return info.filename
    except zipfile.BadZipFile as exc:
        raise ValidationError("文件", f"{path.name} 不是有效的 ZIP 压缩包（文件可能不完整）") from exc


def _member_encoding(path: Path, member: str) -> str:
    """utf-8(-sig) when the member decodes as UTF-8, else gb18030 when that decodes."""
    for encoding in ("utf-8", "gb18030"):
        decoder = codecs.getincrementaldecoder(encoding)("strict")
        first = b""
        try:
            with zipfile.ZipFile(path) as zf, zf.open(member) as fh:
                while chunk := fh.read(_CHUNK):
                    if not first:
                        first = chunk[:3]
                    decoder.decode(chunk)
                decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        except (zipfile.BadZipFile, OSError, EOFError) as exc:
            raise ValidationError("文件", f"{path.name} 已损坏，无法解压（{type(exc).__name__}）") from exc
        if encoding == "utf-8" and first.startswith(codecs.BOM_UTF8):
            return "utf-8-sig"
        return encoding
    raise ValidationError(
        "文件", f"{path.name} 里的账单文件编码无法识别（应为 GB18030 或 UTF-8），请重新下载"
    )


def iter_lines(src: BillSource) -> Iterator[tuple[int, list[str]]]:
    """(line number, cell texts) of the bill's CSV, streamed.

    Raises:
        ValidationError: a damaged file (one Chinese line naming the row).
    """
    if not src.member:
        yield from iter_rows(FileInfo(src.path, "csv", src.encoding, src.sha256, src.size))
        return
    try:
        with zipfile.ZipFile(src.path) as zf, zf.open(src.member) as raw:
            text = io.TextIOWrapper(raw, encoding=src.encoding, newline="")
            reader = csv.reader(text)
            try:
                for row in reader:
                    yield reader.line_num, [cell_text(c) for c in row]
            except csv.Error as exc:
                raise ValidationError("文件", f"CSV 格式错误（第 {reader.line_num} 行附近）") from exc
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise ValidationError("文件", f"{src.path.name} 已损坏，无法解压") from exc


def read_head(lines: Iterator[tuple[int, list[str]]]) -> BillHead:
    """Read the preamble and the header from ``lines`` (which then continue with the data).

    Raises:
        ValidationError: no bill header in the first rows, or a required column missing.
    """
    period: tuple[int, int] | None = None
    for n, cells in lines:
        if n > HEADER_SEARCH_ROWS:
            break
        if is_bill_header(cells):
            columns: dict[str, int] = {}
            unknown: list[str] = []
            for i, raw in enumerate(cells):
                key = _BY_HEADER.get(ec.normalize_header(raw))
                if key is None:
                    if raw:
                        unknown.append(raw)
                elif key not in columns:
                    columns[key] = i
            missing = [h for k, h, required in COLUMNS if required and k not in columns]
            if missing:
                raise ValidationError("表头", f"账单缺少必需的列：{'、'.join(missing)}")
            return BillHead(n, cells, columns, tuple(unknown), period)
        joined = " ".join(c for c in cells if c)
        m = _PERIOD_RE.search(joined)
        if m:
            try:
                period = (_parse_period_time(m.group(1), False), _parse_period_time(m.group(2), True))
            except ec.CellError as exc:
                raise ValidationError("起止时间", f"第 {n} 行的起止时间不对：{exc}") from None
    raise ValidationError("文件类型", "不是拼多多账单文件：前 15 行里没有含 商户订单号、业务描述 的表头")


def _parse_period_time(text: str, end: bool) -> int:
    text = " ".join(text.split())
    if " " not in text:
        text += " 23:59:59" if end else " 00:00:00"
    return ec.parse_time(text)


def parse_money_cell(text: str, *, negative: bool) -> int:
    """A 收入 (``negative=False``) or 支出 (``negative=True``) cell → signed fen (empty = 0).

    Raises:
        ec.CellError: not a yuan amount, or the wrong sign for its column.
    """
    if not text:
        return 0
    m = _MONEY_RE.match(text)
    if not m:
        raise ec.CellError("金额格式不对（应为元，最多两位小数，如 -27.50）")
    # The pattern is exact yuan (at most 12 digits, 2 decimals): fen straight from its parts.
    sign, whole, frac = m.groups()
    fen = int(whole) * 100 + (int(frac) * (10 if len(frac) == 1 else 1) if frac else 0)
    if sign == "-":
        fen = -fen
    if abs(fen) > ec.MAX_MONEY_FEN:
        raise ec.CellError("金额过大")
    if negative and fen > 0:
        raise ec.CellError("支出金额应写成负数（如 -27.50）")
    if not negative and fen < 0:
        raise ec.CellError("收入金额不能是负数")
    return fen


def parse_control(row_no: int, cells: list[str]) -> ControlTotal | None:
    """A 收入合计 / 支出合计 line, or None for another summary or note line.

    Raises:
        ec.CellError: a 合计 line whose count or amount cannot be read.
    """
    text = " ".join(c for c in cells if c)
    for label, kind in (("收入合计", "income"), ("支出合计", "expense")):
        at = text.find(label)
        if at < 0:
            continue
        numbers = _NUMBER_RE.findall(text[at + len(label) :])
        if len(numbers) < 2:
            raise ec.CellError(f"{label} 行应有笔数和金额")
        count_text, amount_text = numbers[0].replace(",", ""), numbers[1].replace(",", "")
        if not count_text.lstrip("+").isdigit():
            raise ec.CellError(f"{label} 的笔数应为整数")
        try:
            amount = yuan_to_fen(amount_text.lstrip("+"))
        except MoneyError:
            raise ec.CellError(f"{label} 的金额格式不对") from None
        return ControlTotal(row_no, kind, int(count_text.lstrip("+")), amount)
    return None


def is_summary_line(cells: list[str]) -> bool:
    """A line after the header that is no data line (``#…`` or a 合计 line)."""
    first = next((c for c in cells if c), "")
    return first.startswith("#") or "合计" in first


def parse_row(row_no: int, cells: list[str], head: BillHead) -> tuple[BillRow | None, list[RowError]]:
    """One data line → (row, []) or (None, its errors); every cell is checked."""
    errors: list[RowError] = []
    cols = head.columns
    width = len(cells)

    def cell(key: str) -> str:
        i = cols.get(key)
        return cells[i] if i is not None and i < width else ""

    def bad(key: str, message: str) -> None:
        errors.append(RowError(row_no, _HEADER_OF[key], cell(key), message))

    values: dict[str, object] = {}
    for key in ("order_sn", "account_type", "remark", "description"):
        try:
            values[key] = ec.check_text(cell(key))
        except ec.CellError as exc:
            bad(key, str(exc))
    if not errors and not values["description"]:
        bad("description", "业务描述为空")
    sn = cell("order_sn")
    if sn and not _SN_RE.match(sn) and not errors:
        # Non-order references are kept as written (reconciliation lists them); a cell that is
        # almost an order number is a typo: refuse it.
        if re.match(r"^\d{6}-", sn):
            bad("order_sn", "订单号格式不对（应为 6 位日期-数字，如 260531-662941284701219）")
    time_text = cell("occurred_at")
    try:
        if not time_text:
            raise ec.CellError("发生时间为空")
        occurred = ec.parse_time(time_text)
        if head.period is not None and not head.period[0] <= occurred <= head.period[1]:
            raise ec.CellError("发生时间不在账单的起止时间内")
        values["occurred_at"] = occurred
    except ec.CellError as exc:
        bad("occurred_at", str(exc))
    for key, negative in (("income", False), ("expense", True)):
        try:
            values[key] = parse_money_cell(cell(key), negative=negative)
        except ec.CellError as exc:
            bad(key, str(exc))
    if errors:
        return None, errors
    return (
        BillRow(
            row_no,
            str(values["order_sn"]),
            int(values["occurred_at"]),  # type: ignore[arg-type]
            int(values["income"]),  # type: ignore[arg-type]
            int(values["expense"]),  # type: ignore[arg-type]
            str(values["account_type"]),
            str(values["remark"]),
            str(values["description"]),
        ),
        [],
    )


def content_key(row: BillRow) -> int:
    """A signed 64-bit key of what a line says (time, order, amounts, type, remark, description).

    Identical-looking lines are real (the same order charged twice the same way): the import
    numbers them within the file (``ordinal``) and identifies a line by (key, ordinal).
    """
    text = "\x1f".join(
        (
            str(row.occurred_at),
            row.order_sn,
            str(row.income_fen),
            str(row.expense_fen),
            row.account_type,
            row.remark,
            row.description,
        )
    )
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "big", signed=True)


def looks_like_bill_zip(path: Path | str) -> bool:
    """A ``.zip`` file, or a ZIP under another name that is not a workbook (.xlsx/.xlsm are ZIPs)."""
    suffix = Path(path).suffix.lower()
    if suffix == ".zip":
        return True
    return suffix not in (".xlsx", ".xlsm") and looks_like_zip(path)


def zip_holds_csv(path: Path | str) -> bool:
    """Whether a ZIP holds exactly one CSV (a bill may): the watched folder skips other ZIPs silently."""
    try:
        with zipfile.ZipFile(path) as zf:
            names = [n for n in zf.namelist() if n.lower().endswith(".csv") and not n.startswith("__MACOSX/")]
    except (zipfile.BadZipFile, OSError):
        return False
    return len(names) == 1
