"""Bill files (货款账单) as the platform writes them, built from plain tuples for the tests.

Written independently of ``tabular/bill_files.py``: the preamble, the header (full-width or
ASCII parentheses), GB18030 or UTF-8, the summary lines, optionally zipped.
"""

from __future__ import annotations

import io
import random
import zipfile
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

BJ = timezone(timedelta(hours=8))

CODES = (
    "0010002|交易收入-订单收入",
    "0010005|交易收入-优惠券结算",
    "0020002|交易退款-订单退款",
    "0030002|技术服务费-基础技术服务费",
    "0040004|售后费用-延迟发货",
    "0040003|售后费用-运费补偿",
    "0060001|营销费用-多多进宝",
    "0070004|转账-广告账户",
    "0070001|转账-店铺保证金",
    "0080001|提现-提现申请",
    "0140028|其他支出-合作费追回",
    "0090001|",
)


@dataclass(frozen=True)
class Line:
    """One data line: yuan texts as they appear in the file."""

    order_sn: str
    at: str  #: "yyyy-MM-dd HH:mm:ss" Beijing
    income: str  #: "12.50" or "0.00"
    expense: str  #: "-0.30" or "0.00"
    account_type: str
    remark: str
    description: str


def fen(text: str) -> int:
    """Yuan text → fen, independently of the app (string arithmetic)."""
    neg = text.startswith("-")
    whole, _, frac = text.lstrip("+-").partition(".")
    v = int(whole) * 100 + int((frac + "00")[:2])
    return -v if neg else v


def yuan(f: int) -> str:
    sign = "-" if f < 0 else ""
    return f"{sign}{abs(f) // 100}.{abs(f) % 100:02d}"


def random_lines(rng: random.Random, n: int, day: str = "2026-06-01", days: int = 1) -> list[Line]:
    """Real-looking lines: order income, fees, refunds, compensations, transfers, withdrawals."""
    start = datetime.fromisoformat(day).replace(tzinfo=BJ)
    out: list[Line] = []
    for _ in range(n):
        at = start + timedelta(seconds=rng.randrange(days * 86_400))
        desc = rng.choice(CODES)
        sn = f"{at:%y%m%d}-{rng.randrange(10**14, 10**15)}"
        amount = rng.randrange(1, 50_000)
        kind = desc.split("|")[0]
        if kind.startswith(("001",)) or (kind.startswith("003") and rng.random() < 0.2):
            income, expense = yuan(amount), "0.00"
        else:
            income, expense = "0.00", yuan(-amount)
        if kind.startswith(("007", "008")):
            sn = ""
        acct = {"001": "交易收入", "002": "交易退款", "003": "技术服务费", "006": "多多进宝"}.get(
            kind[:3], "其他"
        )
        remark = "基础技术服务费返还" if kind.startswith("003") and income != "0.00" else ""
        out.append(Line(sn, at.strftime("%Y-%m-%d %H:%M:%S"), income, expense, acct, remark, desc))
    return out


def totals(lines: list[Line]) -> tuple[int, int, int, int]:
    """(income lines, income fen, expense lines, expense fen), counted as the summary lines count."""
    inc_n = sum(1 for ln in lines if fen(ln.expense) == 0)
    exp_n = len(lines) - inc_n
    return inc_n, sum(fen(ln.income) for ln in lines), exp_n, sum(fen(ln.expense) for ln in lines)


def csv_text(
    lines: list[Line],
    *,
    start: str = "2026-06-01",
    end: str | None = None,
    ascii_parens: bool = False,
    summary: tuple[int, int, int, int] | None = None,
    with_summary: bool = True,
    extra_column: bool = False,
) -> str:
    """The CSV's text: preamble, header, lines, summary lines."""
    end = end or start
    o, c = ("(", ")") if ascii_parens else ("（", "）")
    header = [
        "商户订单号",
        "发生时间",
        f"收入金额{o}+元{c}",
        f"支出金额{o}-元{c}",
        "账务类型",
        "备注",
        "业务描述",
    ]
    if extra_column:
        header.append("费项")
    rows = [
        "拼多多店铺账务明细查询",
        "",
        f"起始时间：{start} 00:00:00  终止时间：{end} 23:59:59",
        "----------交易记录明细列表---------",
        ",".join(header),
    ]
    for ln in lines:
        cells = [ln.order_sn, ln.at, ln.income, ln.expense, ln.account_type, ln.remark, ln.description]
        if extra_column:
            cells.append("")
        rows.append(",".join(_q(c) for c in cells))
    if with_summary:
        inc_n, inc, exp_n, exp = summary or totals(lines)
        rows.append(f"#收入合计：{inc_n}笔，{yuan(inc)}元")
        rows.append(f"#支出合计：{exp_n}笔，{yuan(exp)}元")
        rows.append("#导出时间：2026-07-01 10:00:00")
    return "\r\n".join(rows) + "\r\n"


def _q(cell: str) -> str:
    return f'"{cell}"' if "," in cell or '"' in cell else cell


def write(path: Path, text: str, *, encoding: str = "gb18030", zipped: bool = False) -> Path:
    """Write the CSV text (or a ZIP holding it as ``pdd-mall-bill-detail….csv``)."""
    data = text.encode(encoding)
    if not zipped:
        path.write_bytes(data)
        return path
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("pdd-mall-bill-detail-2026-06-01.csv", data)
    path.write_bytes(buf.getvalue())
    return path


#: The tables a bill import writes, emptied between hypothesis examples sharing one shop.
LEDGER_TABLES = (
    "bill_day", "bill_order", "bill_order_items", "bill_order_dirty_sku", "bill_entry", "bill_period",
    "import_row_error", "import_batch",
)  # fmt: skip


def empty_ledger() -> None:
    """Remove every bill line, rollup row and import record (hypothesis reuses the shop)."""
    from pdd_desktop.data.db import database, write_transaction

    with write_transaction():
        for table in LEDGER_TABLES:
            database.execute_sql(f"DELETE FROM {table}")


def import_overlapping(tmp_path: Path, files: list[list[Line]], rng: random.Random):
    """Import each file through the normal path, yielding after each one.

    Half the time a file repeats up to 3 lines of earlier files (overlapping periods), and 30 %
    of files carry one line twice (the same charge twice is real). Files span 2026-06-01 … 06-06.
    """
    from pdd_desktop.services import imports

    earlier: list[Line] = []
    for n, lines in enumerate(files):
        lines = list(lines)
        if earlier and rng.random() < 0.5:
            lines += rng.sample(earlier, min(len(earlier), 3))
        if rng.random() < 0.3:
            lines.append(lines[0])
        lines.sort(key=lambda ln: ln.at)
        path = write(tmp_path / f"f{n}.csv", csv_text(lines, start="2026-06-01", end="2026-06-06"))
        check = imports.check_import_file(path)
        assert not check.errors, check.errors[:3]
        imports.apply_import(check)
        earlier += lines
        yield
