"""The kinds of file the import window accepts: one entry per kind, in the order they are tried.

Everything that names the accepted kinds (the import window's top line, the CLI's help, the
"无法识别" message) reads :data:`KINDS`, so a new kind (账单, 客服数据, 报名记录 …) is one entry here
plus its checker in ``check.py:_CHECKERS``, with no sentence to edit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from pdd_desktop.domain import ad_report
from pdd_desktop.domain import export_columns as ec
from pdd_desktop.services.import_registrations import is_registration_header
from pdd_desktop.services.imports import cs
from pdd_desktop.tabular import bill_files


@dataclass(frozen=True)
class ImportKind:
    """A kind of platform file the file route reads.

    Attributes:
        key: ``ImportCheck.kind`` (``"orders"``, ``"goods"``, ``"ads"``).
        label: the merchant's name of the file (订单文件); the import window lists these.
        header_hint: what its header has, for the "无法识别" message.
        detect: whether a header row is this kind's.
    """

    key: str
    label: str
    header_hint: str
    detect: Callable[[list[str]], bool]


#: Tried in order: the ad report first (its header has no 订单号 but could share goods columns).
KINDS: tuple[ImportKind, ...] = (
    ImportKind(
        "ads", "推广报表", "推广商品报表（含 日期、推广名称、交易额(元)、花费）", ad_report.is_ad_report
    ),
    ImportKind(
        "registrations",
        "活动报名记录",
        "活动报名记录（含 活动ID 与 报名时间或状态）",
        is_registration_header,
    ),
    ImportKind("bills", "账单", "账单（含 商户订单号、业务描述）", bill_files.is_bill_header),
    # 客服 exports of the merchant backend (merchant-data.md §3.1): no 订单号, so before orders.
    ImportKind(
        cs.KIND_SHOP, "店铺客服数据", "店铺客服数据（含 日期、咨询人数、3分钟人工回复率）", cs.detect_shop
    ),
    ImportKind(
        cs.KIND_AGENT, "客服绩效", "客服绩效（含 客服账号、咨询人数、3分钟人工回复率）", cs.detect_agent
    ),
    ImportKind(
        "orders", "订单文件", "拼多多订单导出（含 订单号、订单状态）", lambda h: ec.detect_kind(h) == "orders"
    ),
    ImportKind(
        "goods",
        "商品库存表",
        "商品库存表（含 样式ID/商家编码 与 库存/价格）",
        lambda h: ec.detect_kind(h) == "goods",
    ),
)


def detect(header: list[str]) -> str | None:
    """The key of the first kind whose header this is, or None."""
    return next((k.key for k in KINDS if k.detect(header)), None)


def _reading_order() -> list[ImportKind]:
    """The kinds as the merchant reads them: orders, the goods sheet, then the rest as registered."""
    first = {"orders": 0, "goods": 1}
    return sorted(KINDS, key=lambda k: first.get(k.key, 2))


def labels() -> tuple[str, ...]:
    """The kinds' names in reading order."""
    return tuple(k.label for k in _reading_order())


def join_labels(names: tuple[str, ...] | list[str], sep: str = "、", last: str = "或") -> str:
    """``订单文件、商品库存表或推广报表``: the names joined as a Chinese list."""
    names = list(names)
    # The separators may come translated from the UI; the default is Chinese.
    if len(names) <= 1:
        return "".join(names)
    return sep.join(names[:-1]) + last + names[-1]


def accepted_text() -> str:
    """Every accepted kind as one Chinese phrase (the CLI's help)."""
    return join_labels(labels())


def unknown_kind_message(header: list[str]) -> str:
    """The refusal of a file whose header is no kind's, naming what each kind's header has."""
    shown = "、".join(h for h in header if h)[:200]
    hints = join_labels([k.header_hint for k in _reading_order()])
    return f"无法识别：表头应为{hints}。文件的表头：{shown}"
