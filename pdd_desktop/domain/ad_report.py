"""The platform's ad report (推广中心 → 商品推广 → 推广商品 export): columns, rows, ROI arithmetic.

Facts (../shared/docs/merchant-data.md §2): the export (CSV or XLSX, 工具 → 报表下载) has an
optional title line (``名称：…``), the header, one row per 日期 × 推广 × 商品, a ``总计`` row at the
bottom (the file's own sum: never a plan, or spend doubles), and note lines starting ``注``.
Hourly exports label rows ``HH:00-HH:00`` instead of a date. Money is yuan with two decimals.
ROI (投入产出比 / 实际投产比) = 交易额 ÷ 花费 [C, checked on sample rows].

Spend: ``总花费(元)`` (everything the plan cost that day: 成交花费 plus 询单/收藏/关注花费) when the
file has it, else ``花费(元)`` (明星店铺 layout), else ``成交花费(元)``. The spend is what the
merchant pays, so it is what ROI and break-even compare.

全店托管 (merchant-data.md §2.1: "总计 > sum of rows: the difference is 全店托管 spend with no goods
row" [C-3p LG]): the shop-managed campaign spends money that no goods row carries. The 总计 row is
one row for the whole file, so that spend is known only for the file's date range, not per day;
it is kept as one file-level row (:data:`SHOP_MANAGED_GOODS_ID`, :data:`SHOP_MANAGED_PLAN`) dated
the file's last day, its range in the row's ``bid`` cell (:func:`shop_managed_range_text`), never
split over days (that would invent fen) and never attributed to a goods.

ROI and margins are exact :class:`fractions.Fraction` values; they are rounded only to be shown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from pdd_desktop.domain import export_columns as ec

#: (key, header names, kind). Kind: "day", "id", "text", "money", "int".
_DEFS: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("day", ("日期",), "day"),
    ("goods_id", ("商品ID", "商品id"), "id"),
    ("goods_name", ("商品名称",), "text"),
    ("scene", ("推广场景",), "text"),
    ("plan_name", ("推广名称", "计划名称", "推广计划"), "text"),
    ("bid", ("出价方式",), "text"),
    ("deal_spend_fen", ("成交花费(元)",), "money"),
    ("gmv_fen", ("交易额(元)",), "money"),
    ("total_spend_fen", ("总花费(元)", "花费(元)"), "money"),
    ("net_gmv_fen", ("净交易额(元)",), "money"),
    ("orders", ("成交笔数",), "int"),
    ("impressions", ("曝光量",), "int"),
    ("clicks", ("点击量",), "int"),
)

#: The importer's columns, as :class:`export_columns.Column` (kinds are this module's).
COLUMNS: tuple[ec.Column, ...] = tuple(ec.Column(k, h, kind) for k, h, kind in _DEFS)
#: The user's names of the fields (the import dialog's 对应 column).
FIELD_LABELS: dict[str, str] = {
    "day": "日期", "goods_id": "商品ID", "goods_name": "商品名称", "scene": "推广场景",
    "plan_name": "推广名称", "bid": "出价方式", "deal_spend_fen": "成交花费", "gmv_fen": "交易额",
    "total_spend_fen": "总花费", "net_gmv_fen": "净交易额", "orders": "成交笔数",
    "impressions": "曝光量", "clicks": "点击量",
}  # fmt: skip
#: A file without these is not an ad report by goods.
REQUIRED: tuple[str, ...] = ("day", "goods_id", "plan_name", "gmv_fen", "orders")
#: Columns that add up to the 总计 row (the control total).
SUMMED: tuple[str, ...] = ("deal_spend_fen", "total_spend_fen", "gmv_fen", "net_gmv_fen", "orders")
#: Rows whose first cell is one of these are the file's total, not a plan.
TOTAL_LABELS = frozenset(("总计", "合计"))
#: The 推广商品 export's other columns: read, not stored (not "unknown").
UNUSED_HEADERS: frozenset[str] = frozenset(
    (
        "是否已删除", "分组", "实际投产比", "净实际投产比", "净成交笔数", "每笔净成交花费(元)",
        "净交易额占比",
        "净成交笔数占比", "每笔净成交金额(元)", "结算交易额(元)", "结算投产比", "结算成交笔数", "退款豁免率",
        "退单豁免率", "每笔结算成交花费(元)", "交易额结算率", "订单结算率", "每笔结算成交金额(元)",
        "每笔成交花费(元)", "每笔成交金额(元)", "直接交易额(元)", "间接交易额(元)", "直接成交笔数",
        "间接成交笔数",
        "询单花费(元)", "询单量", "平均询单成本(元)", "收藏花费(元)", "收藏量", "平均收藏成本(元)",
        "关注花费(元)",
        "关注量", "平均关注成本(元)", "投入产出比", "千次曝光花费(元)",
    )
)  # fmt: skip
#: The full 推广商品 header, in the export's order (the demo report writes it).
EXPORT_HEADER: tuple[str, ...] = (
    "日期", "商品ID", "商品名称", "推广场景", "推广名称", "出价方式", "分组", "是否已删除", "成交花费(元)",
    "交易额(元)", "实际投产比", "总花费(元)", "净交易额(元)", "净实际投产比", "净成交笔数",
    "每笔净成交花费(元)", "成交笔数", "每笔成交花费(元)", "每笔成交金额(元)", "曝光量", "点击量",
)  # fmt: skip

#: The file-level 全店托管 row: goods id 0 (no platform goods has it), plan and scene 全店托管.
SHOP_MANAGED_GOODS_ID = 0
SHOP_MANAGED_PLAN = "全店托管"
#: Spend columns whose 总计 may exceed the rows' sum (the excess is 全店托管 spend).
SHOP_MANAGED_SPEND: tuple[str, ...] = ("deal_spend_fen", "total_spend_fen")

_DAY_RE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?: 00:00(?::00)?)?$", re.ASCII)
_COMPACT_DAY_RE = re.compile(r"^(\d{4})(\d{2})(\d{2})$", re.ASCII)
_HOUR_RE = re.compile(r"^\d{1,2}:\d{2}\s*[-~]\s*\d{1,2}:\d{2}$")


def is_ad_report(headers: list[str]) -> bool:
    """True when a header row is the 推广商品 export's (日期, 推广名称, 交易额 and a spend column)."""
    names = {ec.normalize_header(h) for h in headers}
    index = ec.header_index(COLUMNS)
    keys = {index[n].key for n in names if n in index}
    spend = bool(keys & {"deal_spend_fen", "total_spend_fen"})
    return spend and {"day", "plan_name", "gmv_fen"} <= keys


def is_total_row(cells: list[str]) -> bool:
    """The file's 总计 row: its first non-empty cell is 总计 / 合计."""
    first = next((c for c in cells if c), "")
    return ec.normalize_header(first) in TOTAL_LABELS


def is_note_row(cells: list[str]) -> bool:
    """A note line under the table (``注：…``)."""
    first = next((c for c in cells if c), "")
    return first.startswith("注") and not first[1:2].isdigit()


def parse_day(text: str) -> date:
    """A report day (``2026-11-20``, ``2026/11/20``, ``20261120``, Excel's date cell) → date.

    Raises:
        export_columns.CellError: an hour label (hourly export) or anything that is not a date.
    """
    text = text.strip()
    if _HOUR_RE.match(text):
        raise ec.CellError("这是按小时的报表：请在推广后台按天导出（报表下载 → 分日）")
    m = _DAY_RE.match(text) or _COMPACT_DAY_RE.match(text)
    if not m:
        raise ec.CellError("日期格式不对（应为 2026-11-20）")
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        raise ec.CellError("没有这一天") from None


def shop_managed_range_text(first: date, last: date) -> str:
    """The 全店托管 row's range as stored in its ``bid`` cell: ``2026-11-01~2026-11-07``."""
    return f"{first:%Y-%m-%d}~{last:%Y-%m-%d}"


def parse_shop_managed_range(text: str, last: date) -> tuple[date, date]:
    """The range of a stored 全店托管 row; ``last`` (its day) when the cell is not a range."""
    first_text, _sep, last_text = text.partition("~")
    try:
        return date.fromisoformat(first_text), date.fromisoformat(last_text)
    except ValueError:
        return last, last


def parse_metric(kind: str, text: str) -> int:
    """A money (fen) or count cell; empty and ``-`` (the backend's "none") are 0."""
    if text in ("", "-", "--"):
        return 0
    if kind == "money":
        return ec.parse_money(text)
    return ec.parse_int(text)


# --------------------------------------------------------------------------------------------
# ROI arithmetic (exact)
# --------------------------------------------------------------------------------------------


def roi(gmv_fen: int, spend_fen: int) -> Fraction | None:
    """交易额 ÷ 花费 exactly; None when nothing was spent."""
    return None if spend_fen <= 0 else Fraction(gmv_fen, spend_fen)


def cost_per_order(spend_fen: int, orders: int) -> Fraction | None:
    """花费 ÷ 成交笔数 in fen, exactly; None without orders."""
    return None if orders <= 0 else Fraction(spend_fen, orders)


def round_half_up(value: Fraction, places: int = 2) -> str:
    """A non-negative fraction as text with ``places`` decimals, rounded half up (3.845 → 3.85)."""
    scale = 10**places
    n = (value * scale * 2 + 1) // 2  # floor(x + 1/2)
    whole, frac = divmod(int(n), scale)
    return f"{whole}.{frac:0{places}d}" if places else str(whole)


def format_roi(value: Fraction | None) -> str:
    """ROI for the screen and reports: two decimals, ``—`` when there is none."""
    return "—" if value is None else round_half_up(value)


def fen_fraction_text(value: Fraction | None) -> str:
    """A fen amount held as a fraction (cost per order) as yuan text with two decimals."""
    if value is None:
        return "—"
    fen = (value * 2 + 1) // 2
    return f"{int(fen) // 100}.{int(fen) % 100:02d}"


@dataclass(frozen=True)
class Margin:
    """A goods' gross margin from its price and cost.

    ``rate`` = (price − cost) ÷ price over the SKUs whose cost is known; None when no SKU has a
    cost (未填成本). ``break_even`` = 1 ÷ rate: the ROI at which ad spend eats the whole margin;
    None with a rate ≤ 0 (sold at or below cost: no ROI breaks even).
    """

    price_fen: int
    cost_fen: int
    skus_with_cost: int
    skus: int

    @property
    def known(self) -> bool:
        """Whether any SKU has a cost price."""
        return self.skus_with_cost > 0 and self.price_fen > 0

    @property
    def rate(self) -> Fraction | None:
        """Gross margin rate, exactly."""
        if not self.known:
            return None
        return Fraction(self.price_fen - self.cost_fen, self.price_fen)

    @property
    def break_even(self) -> Fraction | None:
        """Break-even ROI = 1 ÷ gross margin rate; None when unknown or the margin is ≤ 0."""
        rate = self.rate
        if rate is None or rate <= 0:
            return None
        return 1 / rate

    @property
    def loss_making(self) -> bool:
        """Known cost at or above the price: every ad order loses money."""
        rate = self.rate
        return rate is not None and rate <= 0


def under_break_even(roi_value: Fraction | None, margin: Margin) -> bool:
    """Whether a day's ROI (None: nothing spent) loses money after the goods' margin."""
    if roi_value is None or not margin.known:
        return False
    if margin.loss_making:
        return True
    be = margin.break_even
    assert be is not None
    return roi_value < be
