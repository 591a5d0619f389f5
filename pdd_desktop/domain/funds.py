"""资金: the categories of the shop's bill lines (货款账单 / 店铺账务明细) and what counts as profit.

Facts from ``shared/docs/merchant-data.md`` §1.3 (parsers of real bill files, sources PC, LG, MAP,
RC there): the 业务描述 cell is ``NNNNNNN|大类-小类`` (``0010002|交易收入-订单收入``); the first
three digits name the 大类 (``001`` 交易收入, ``002`` 交易退款, ``003`` 技术服务费, ``004`` 售后费用,
``006`` 营销费用, ``007`` 转账, ``008`` 提现, ``014`` 其他支出). Some lines carry only the text
(``技术服务费-百亿补贴技术服务费``, ``其他收入-申诉补回``). A line is classified by its code's
prefix first, then by the 大类 of its text; anything else is 未分类 (kept and shown, never dropped).

Tech-service fees are returned on the *same* code as income (备注 ``基础技术服务费返还``), so a
positive 技术服务费 line is its own category, 技术服务费返还.

Transfers (保证金, 广告账户) and withdrawals move the shop's money elsewhere; they are not profit
or loss, and stay visible (mixed into profit they turned a +14k month into −85k, LG).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

INCOME = "income"
REFUND = "refund"
TECH_FEE = "tech_fee"
TECH_FEE_RETURN = "tech_fee_return"
COMPENSATION = "compensation"
MARKETING = "marketing"
TRANSFER = "transfer"
WITHDRAWAL = "withdrawal"
OTHER = "other"
UNCLASSIFIED = "unclassified"


@dataclass(frozen=True)
class Category:
    """One kind of bill line."""

    key: str
    label: str  #: Chinese, as the 资金 page shows it
    in_profit: bool  #: counted in the shop's profit (transfers and withdrawals are not)


#: In the order the 资金 page lists them.
CATEGORIES: tuple[Category, ...] = (
    Category(INCOME, "交易收入", True),
    Category(REFUND, "交易退款", True),
    Category(TECH_FEE, "技术服务费", True),
    Category(TECH_FEE_RETURN, "技术服务费返还", True),
    Category(COMPENSATION, "售后赔付", True),
    Category(MARKETING, "营销费用", True),
    Category(OTHER, "其他收支", True),
    Category(TRANSFER, "转账（保证金/广告账户）", False),
    Category(WITHDRAWAL, "提现", False),
    Category(UNCLASSIFIED, "未分类", False),
)
BY_KEY = {c.key: c for c in CATEGORIES}

#: Code prefix (大类) → category (merchant-data.md §1.3 "Prefixes"; 005 运费险 has no known text).
_PREFIX = {
    "001": INCOME,
    "002": REFUND,
    "003": TECH_FEE,
    "004": COMPENSATION,
    "006": MARKETING,
    "007": TRANSFER,
    "008": WITHDRAWAL,
    "014": OTHER,
}
#: 大类 text (before ``-``) → category, for lines without a code.
_GROUP = {
    "交易收入": INCOME,
    "交易退款": REFUND,
    "技术服务费": TECH_FEE,
    "售后费用": COMPENSATION,
    "营销费用": MARKETING,
    "转账": TRANSFER,
    "提现": WITHDRAWAL,
    "其他支出": OTHER,
    "其他收入": OTHER,
}
_CODE_RE = re.compile(r"^(\d{7})\s*[|｜]\s*(.*)$")


def split_description(text: str) -> tuple[str, str]:
    """(seven-digit code or "", the text after it) of a 业务描述 cell."""
    m = _CODE_RE.match(text.strip())
    if m:
        return m.group(1), m.group(2).strip()
    return "", text.strip()


def classify(description: str, amount_fen: int) -> tuple[str, str]:
    """(code, category key) of a bill line from its 业务描述 and signed amount."""
    code, name = split_description(description)
    if code[:3] in _PREFIX:
        category = _PREFIX[code[:3]]
    else:
        category = _GROUP.get(re.split(r"[-－]", name, maxsplit=1)[0].strip(), UNCLASSIFIED)
    if category == TECH_FEE and amount_fen > 0:
        category = TECH_FEE_RETURN
    return code, category


def label(category: str) -> str:
    """The Chinese name of a category key (未分类 for an unknown key)."""
    c = BY_KEY.get(category)
    return c.label if c else BY_KEY[UNCLASSIFIED].label


#: Categories counted in profit.
PROFIT_CATEGORIES = tuple(c.key for c in CATEGORIES if c.in_profit)
