"""The platform's own files (pdd-open-api.md §8): order-export and goods-sheet columns, status texts.

Pure rules, no I/O: which header names mean which field across both generations of the order
export (older full export c. 2019-20, recent 2024-26 export), how a cell turns into a value
(money in yuan → fen exactly, Beijing time → UTC epoch seconds, 订单状态 / 售后状态 texts with
their full-width commas → local states), and the "newer information" rule an import applies to an
order that already exists (:func:`status_rank`, :func:`refund_rank`; see ``services/imports/``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from pdd_desktop.common.timefmt import SHANGHAI
from pdd_desktop.domain.money import MoneyError, yuan_to_fen
from pdd_desktop.domain.orders import OrderStatus, RefundStatus

# --------------------------------------------------------------------------------------------
# Columns
# --------------------------------------------------------------------------------------------

#: Value kinds of a column (how a cell is parsed).
TEXT, MONEY, TIME, INT, ID, STATUS, AFTER_SALES, BOOL, SN = (
    "text",
    "money",
    "time",
    "int",
    "id",
    "status",
    "after_sales",
    "bool",
    "sn",
)


@dataclass(frozen=True)
class Column:
    """One field of a platform file: its key, header names (first = the one we write), kind, scope."""

    key: str  #: the local column name (or a pseudo-field such as ``courier``)
    headers: tuple[str, ...]
    kind: str
    scope: str = "order"  #: "order" (repeated on every item row of an order) or "item"

    @property
    def header(self) -> str:
        """The header written by exports."""
        return self.headers[0]


ORDER_COLUMNS: tuple[Column, ...] = (
    Column("order_sn", ("订单号", "订单编号"), SN),
    Column("status", ("订单状态",), STATUS),
    Column("goods_name", ("商品", "商品名称"), TEXT, "item"),
    Column("goods_amount_fen", ("商品总价(元)",), MONEY),
    Column("seller_discount_fen", ("店铺优惠折扣(元)",), MONEY),
    Column("platform_discount_fen", ("平台优惠折扣(元)",), MONEY),
    Column("postage_fen", ("邮费(元)",), MONEY),
    Column("pay_reduction_fen", ("多多支付立减金额(元)",), MONEY),
    Column("pay_amount_fen", ("用户实付金额(元)",), MONEY),
    Column("merchant_receive_fen", ("商家实收金额(元)",), MONEY),
    Column("quantity", ("商品数量(件)", "商品数量"), INT, "item"),
    Column("receiver_name", ("收货人", "收货人姓名"), TEXT),
    Column("receiver_phone", ("手机", "收货人手机号", "收货人电话"), TEXT),
    Column("risk_control_status", ("是否审核中", "是否异常"), BOOL),
    Column("province", ("省",), TEXT),
    Column("city", ("市",), TEXT),
    Column("district", ("区",), TEXT),
    Column("town", ("街道",), TEXT),
    Column("address_detail", ("详细地址",), TEXT),
    Column("paid_at", ("支付时间",), TIME),
    Column("group_formed_at", ("拼单成功时间",), TIME),
    Column("confirmed_at", ("订单确认时间", "订单成交时间"), TIME),
    Column("ship_deadline_at", ("承诺发货时间",), TIME),
    Column("shipped_at", ("发货时间",), TIME),
    Column("signed_at", ("确认收货时间",), TIME),
    Column("created_at", ("订单创建时间",), TIME),
    Column("goods_id", ("商品id", "商品ID"), ID, "item"),
    Column("spec", ("商品规格",), TEXT, "item"),
    Column("sku_id", ("样式ID", "样式id", "规格ID"), ID, "item"),
    Column("outer_id", ("商家编码-SKU维度", "商家编码-规格维度"), TEXT, "item"),
    Column("outer_goods_id", ("商家编码-商品维度",), TEXT, "item"),
    Column("tracking_number", ("快递单号", "运单号"), TEXT),
    Column("courier", ("快递公司", "物流公司"), TEXT),
    Column("seller_memo", ("商家备注",), TEXT),
    Column("refund_status", ("售后状态",), AFTER_SALES),
    Column("buyer_memo", ("买家留言",), TEXT),
    Column("is_lucky", ("是否抽奖或0元试用",), BOOL),
)

#: What each field becomes in the app, for the import window's column mapping (the user sees
#: these, not the field keys).
FIELD_LABELS: dict[str, str] = {
    "order_sn": "订单号",
    "status": "订单状态",
    "goods_name": "商品名称",
    "goods_amount_fen": "商品总价",
    "seller_discount_fen": "店铺优惠",
    "platform_discount_fen": "平台优惠",
    "postage_fen": "邮费",
    "pay_reduction_fen": "支付立减",
    "pay_amount_fen": "实付金额",
    "merchant_receive_fen": "商家实收",
    "quantity": "商品数量",
    "receiver_name": "收货人",
    "receiver_phone": "收货人手机",
    "risk_control_status": "审核中",
    "province": "省",
    "city": "市",
    "district": "区",
    "town": "街道",
    "address_detail": "详细地址",
    "paid_at": "支付时间",
    "group_formed_at": "成团时间",
    "confirmed_at": "成交时间",
    "ship_deadline_at": "承诺发货时间",
    "shipped_at": "发货时间",
    "signed_at": "签收时间",
    "created_at": "下单时间",
    "goods_id": "商品ID",
    "spec": "规格",
    "sku_id": "SKU ID",
    "outer_id": "商家编码（规格）",
    "outer_goods_id": "商家编码（商品）",
    "tracking_number": "快递单号",
    "courier": "快递公司",
    "seller_memo": "商家备注",
    "refund_status": "售后状态",
    "buyer_memo": "买家留言",
    "is_lucky": "抽奖/0元试用",
    "group_price_fen": "拼单价",
    "single_price_fen": "单买价",
    "cost_price_fen": "成本价",
    "stock": "库存",
}


def field_label(key: str) -> str:
    """The Chinese name of a field for the user ("" for an ignored column)."""
    from pdd_desktop.domain.ad_report import FIELD_LABELS as AD_LABELS  # the ad report's fields

    return FIELD_LABELS.get(key) or AD_LABELS.get(key, key)


#: An order export without these columns is rejected (both generations have them).
ORDER_REQUIRED: tuple[str, ...] = ("order_sn", "status", "goods_name", "quantity", "pay_amount_fen")

#: Platform columns the app reads but does not store (not reported as unknown).
ORDER_UNUSED_HEADERS: frozenset[str] = frozenset(
    (
        "上门安装费(元)",
        "送货入户费(元)",
        "送货入户并安装费(元)",
        "身份证姓名",
        "身份证号码",
        "用户购买手机号",
        "海淘清关订单号",
        "支付ID",
        "支付方式",
        "是否顺丰加价",
        "关联货品编码",
        "货品名称",
        "货品类型",
        "子货品",
        "仓库名称",
        "仓库所在地址",
        "是否门店自提",
        "门店名称",
        "门店自定义编码",
        "旅行类信息",
        "消费者资料",
        "是否直播间订单",
        "是否分期",
        "分期期数",
        "手续费承担方",
        "分期方式",
        "平台技术服务费(元)",
        "退款金额(元)",
    )
)

#: The older full export in column order (c. 2019-20; the 2020 variant with 详细地址 after 区).
OLD_ORDER_HEADER: tuple[str, ...] = (
    "商品", "订单号", "订单状态", "商品总价(元)", "店铺优惠折扣(元)", "平台优惠折扣(元)", "邮费(元)",
    "上门安装费(元)", "送货入户费(元)", "送货入户并安装费(元)", "用户实付金额(元)", "商家实收金额(元)",
    "商品数量(件)", "身份证姓名", "身份证号码", "收货人", "手机", "是否审核中", "省", "市", "区", "详细地址",
    "街道", "支付时间", "拼单成功时间", "订单确认时间", "承诺发货时间", "发货时间", "确认收货时间",
    "商品id", "商品规格", "用户购买手机号", "样式ID", "商家编码-SKU维度", "商家编码-商品维度",
    "快递单号", "快递公司", "海淘清关订单号", "支付ID", "支付方式", "是否抽奖或0元试用", "是否顺丰加价",
    "商家备注", "售后状态", "买家留言", "关联货品编码", "货品名称", "货品类型", "子货品", "仓库名称",
    "仓库所在地址", "是否门店自提", "门店名称", "门店自定义编码", "旅行类信息", "消费者资料",
)  # fmt: skip

#: The recent export (2024-26; merchants may choose columns, this is the default set).
NEW_ORDER_HEADER: tuple[str, ...] = (
    "商品", "订单号", "订单状态", "商品总价(元)", "邮费(元)", "店铺优惠折扣(元)", "平台优惠折扣(元)",
    "多多支付立减金额(元)", "用户实付金额(元)", "商家实收金额(元)", "商品数量(件)", "发货时间",
    "确认收货时间", "商品id", "商品规格", "样式ID", "商家编码-规格维度", "商家编码-商品维度", "商家备注",
    "售后状态", "快递单号", "快递公司", "订单成交时间", "是否分期", "分期期数", "手续费承担方", "分期方式",
)  # fmt: skip

#: Headers only one generation uses (for the report: which generation a file is).
_OLD_ONLY = frozenset(("商家编码-SKU维度", "订单确认时间", "拼单成功时间", "收货人", "支付时间"))
_NEW_ONLY = frozenset(("商家编码-规格维度", "订单成交时间", "多多支付立减金额(元)", "是否分期"))


GOODS_COLUMNS: tuple[Column, ...] = (
    Column("goods_id", ("商品id", "商品ID", "商品编号"), ID),
    Column("goods_name", ("商品名称", "商品标题", "商品"), TEXT),
    Column("outer_goods_id", ("商家编码-商品维度", "商品编码", "商品商家编码"), TEXT),
    Column("sku_id", ("样式ID", "样式id", "规格ID", "SKU ID", "skuID", "sku_id"), ID),
    Column("spec", ("商品规格", "规格", "规格名称"), TEXT),
    Column("outer_id", ("商家编码-规格维度", "商家编码-SKU维度", "规格编码", "SKU编码"), TEXT),
    Column("group_price_fen", ("拼单价(元)", "拼团价(元)", "拼单价"), MONEY),
    Column("single_price_fen", ("单买价(元)", "单独购买价(元)", "单买价"), MONEY),
    Column("cost_price_fen", ("成本价(元)", "成本价"), MONEY),
    Column("stock", ("库存", "库存数量", "可售库存"), INT),
    # The shop's own values (not in the platform's sheets): written by the app's goods export.
    Column("low_stock_threshold", ("库存预警值", "预警值"), INT),
    Column("promise_hours", ("承诺发货时长(小时)", "承诺发货小时数"), INT),
)
#: A goods sheet names a SKU by one of these …
GOODS_KEYS: tuple[str, ...] = ("sku_id", "outer_id")
#: … and carries at least one of these.
GOODS_VALUES: tuple[str, ...] = (
    "stock",
    "group_price_fen",
    "single_price_fen",
    "cost_price_fen",
    "low_stock_threshold",
    "promise_hours",
)
#: What the goods sheet export writes.
GOODS_HEADER: tuple[str, ...] = tuple(c.header for c in GOODS_COLUMNS)


def header_index(columns: tuple[Column, ...]) -> dict[str, Column]:
    """Every header name (and alias) → its column."""
    out: dict[str, Column] = {}
    for col in columns:
        for name in col.headers:
            out[normalize_header(name)] = col
    return out


def normalize_header(text: str) -> str:
    """Header text as compared: no spaces, half-width brackets (``商品总价（元）`` = ``商品总价(元)``)."""
    return re.sub(r"\s+", "", text).replace("（", "(").replace("）", ")")


def detect_kind(headers: list[str]) -> str | None:
    """``"orders"`` / ``"goods"`` from a header row, or None when it is neither."""
    names = {normalize_header(h) for h in headers}
    if "订单号" in names or "订单编号" in names:
        return "orders"
    goods = header_index(GOODS_COLUMNS)
    keys = {goods[n].key for n in names if n in goods}
    if keys & set(GOODS_KEYS) and keys & set(GOODS_VALUES):
        return "goods"
    return None


def generation(headers: list[str]) -> str:
    """``"old"``, ``"new"``, ``"mixed"`` or ``""`` (cannot tell) for an order-export header row."""
    names = {normalize_header(h) for h in headers}
    old, new = bool(names & _OLD_ONLY), bool(names & _NEW_ONLY)
    return "mixed" if old and new else "old" if old else "new" if new else ""


# --------------------------------------------------------------------------------------------
# Cells
# --------------------------------------------------------------------------------------------


class CellError(ValueError):
    """A cell that cannot be read; ``str()`` is the reason in Chinese."""


_SN_RE = re.compile(r"^\d{6}-\d{6,20}$", re.ASCII)
_ID_RE = re.compile(r"^\d{1,19}$", re.ASCII)
_INT_RE = re.compile(r"^[+-]?\d{1,9}$", re.ASCII)
_SCI_RE = re.compile(r"^\d+(\.\d+)?[eE][+-]?\d+$", re.ASCII)
_TIME_RE = re.compile(r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?$", re.ASCII)
_DAY_CACHE: dict[tuple[int, int, int], int] = {}
_TRUE = frozenset(("是", "1", "true", "TRUE", "True", "Y", "y"))
_FALSE = frozenset(("否", "0", "false", "FALSE", "False", "N", "n", ""))
MAX_MONEY_FEN = 10**11  #: ¥1,000,000,000: anything larger is a typo or a number in the wrong column
#: Largest platform id: ids are stored as SQLite integers (signed 64-bit); a 19-digit number above
#: this cannot be stored and is no real goods/SKU id.
MAX_ID = 2**63 - 1
#: Most pieces on one order line: the app's sanity cap (a typo such as 999999999 is refused with
#: its row instead of wrecking stock counts); not a published platform limit.
MAX_QUANTITY = 99_999
#: Years a time in a platform file may have (the platform did not exist before 2015).
MIN_YEAR, MAX_YEAR = 2000, 2100
#: Characters refused in text cells: C0/C1 controls other than tab and line breaks (NUL …), and
#: the Unicode bidi controls (U+202A-U+202E embeddings/overrides such as the right-to-left
#: override U+202E, U+2066-U+2069 isolates, U+200E/U+200F/U+061C marks) that make a name or an
#: address show other than it reads (Unicode TR #36 "Unicode Security Considerations" §2.1).
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def parse_money(text: str) -> int:
    """Yuan with at most two decimals → fen, exactly; negative or non-numbers rejected."""
    if not text.isascii():
        raise CellError("金额格式不对（应为元，最多两位小数，如 12.50）")
    try:
        fen = yuan_to_fen(text)
    except MoneyError:
        raise CellError("金额格式不对（应为元，最多两位小数，如 12.50）") from None
    if fen < 0:
        raise CellError("金额不能为负数")
    if fen > MAX_MONEY_FEN:
        raise CellError("金额过大")
    return fen


def parse_time(text: str) -> int:
    """``yyyy-MM-dd HH:mm:ss`` Beijing time (also ``/`` and without seconds) → UTC epoch seconds."""
    m = _TIME_RE.match(text)
    if not m:
        raise CellError("时间格式不对（应为 yyyy-MM-dd HH:mm:ss，北京时间）")
    y, mo, d, h, mi, s = (int(g) if g else 0 for g in m.groups())
    if h > 23 or mi > 59 or s > 59:
        raise CellError("时间不存在")
    if y < MIN_YEAR or y > MAX_YEAR:
        raise CellError(f"日期超出范围（应在 {MIN_YEAR} 年到 {MAX_YEAR} 年之间）")
    day = _DAY_CACHE.get((y, mo, d))
    if day is None:
        try:
            day = int(datetime(y, mo, d, tzinfo=SHANGHAI).timestamp())
        except ValueError:
            raise CellError("日期不存在") from None
        _DAY_CACHE[(y, mo, d)] = day
    return day + h * 3600 + mi * 60 + s


def parse_int(text: str) -> int:
    """A whole non-negative number (a quantity, a stock level)."""
    if not _INT_RE.match(text):
        raise CellError("应为整数")
    value = int(text)
    if value < 0:
        raise CellError("不能为负数")
    return value


def parse_id(text: str) -> int:
    """A platform id: digits only."""
    if _SCI_RE.match(text):
        raise CellError("编号被 Excel 变成了科学计数法，请把该列设为“文本”")
    if not _ID_RE.match(text):
        raise CellError("应为数字编号")
    value = int(text)
    if value > MAX_ID:
        raise CellError(f"编号超出范围（最大 {MAX_ID}）")
    return value


def check_text(text: str) -> str:
    """A text cell as it is, unless it holds control or bidi characters (then :class:`CellError`)."""
    m = _CONTROL_RE.search(text)
    if m is not None:
        ch = m.group()
        name = "NUL" if ch == "\x00" else f"U+{ord(ch):04X}"
        raise CellError(f"含有不可见的控制字符（{name}，第 {m.start() + 1} 个字符），请删除后再导入")
    return text


#: Longest raw value a report shows (a 1 MB cell is cut, not copied into every error).
SHOWN_CHARS = 200


def shown_value(text: str) -> str:
    """A cell value made safe to show in a report: control characters spelled out, long text cut.

    ``<U+202E>`` instead of the right-to-left override, so that ``好评\u202egpj.exe`` does not
    show as ``好评exe.jpg``; ``<NUL>`` for a NUL.
    """
    if len(text) > SHOWN_CHARS:
        text = text[:SHOWN_CHARS] + "…"
    if _CONTROL_RE.search(text) is None:
        return text
    return _CONTROL_RE.sub(lambda m: "<NUL>" if m.group() == "\x00" else f"<U+{ord(m.group()):04X}>", text)


def check_quantity(value: int) -> int:
    """A quantity of one order line: 1 to :data:`MAX_QUANTITY`."""
    if value < 1:
        raise CellError("商品数量应至少为 1")
    if value > MAX_QUANTITY:
        raise CellError(f"商品数量过大（一行最多 {MAX_QUANTITY} 件）")
    return value


def check_not_future(ts: int, now: int) -> int:
    """A time that has happened (支付时间, 发货时间 …): at the latest tomorrow, Beijing time.

    ``now`` is the current UTC epoch; a time after the end of tomorrow is refused.
    """
    today = datetime.fromtimestamp(now, tz=SHANGHAI).replace(hour=0, minute=0, second=0, microsecond=0)
    limit = int(today.timestamp()) + 2 * 86400
    if ts >= limit:
        raise CellError("时间在未来（晚于明天），请检查日期")
    return ts


def parse_sn(text: str) -> str:
    """An order number ``YYMMDD-`` + digits."""
    if not text:
        raise CellError("订单号为空")
    if _SCI_RE.match(text):
        raise CellError("订单号被 Excel 变成了科学计数法，请把该列设为“文本”")
    if not _SN_RE.match(text):
        raise CellError("订单号格式不对（应为 6 位日期-数字，如 251123-123456789012345）")
    return text


def parse_bool(text: str) -> int:
    """是/否 (also 1/0) → 1/0."""
    if text in _TRUE:
        return 1
    if text in _FALSE:
        return 0
    raise CellError("应为 是 或 否")


# --------------------------------------------------------------------------------------------
# Status texts
# --------------------------------------------------------------------------------------------

_REFUNDED = int(RefundStatus.REFUNDED)

#: 订单状态 text → (local status, refund status the text implies or None).
ORDER_STATUS_TEXTS: dict[str, tuple[OrderStatus, int | None]] = {
    "待支付": (OrderStatus.UNPAID, None),
    "待付款": (OrderStatus.UNPAID, None),
    "待发货": (OrderStatus.TO_SHIP, None),
    "已发货，待签收": (OrderStatus.SHIPPED, None),
    "已发货，待收货": (OrderStatus.SHIPPED, None),
    "已签收": (OrderStatus.SIGNED, None),
    "已收货": (OrderStatus.SIGNED, None),
    "已完成": (OrderStatus.SIGNED, None),
    "已取消": (OrderStatus.CANCELLED, None),
    "订单已取消": (OrderStatus.CANCELLED, None),
    "交易关闭": (OrderStatus.CANCELLED, None),
    "未发货，退款成功": (OrderStatus.CANCELLED, _REFUNDED),
    "已发货，退款成功": (OrderStatus.SHIPPED, _REFUNDED),
}

#: 售后状态 text → the order's refund_status.
AFTER_SALES_TEXTS: dict[str, int] = {
    "无售后或售后取消": int(RefundStatus.NONE),
    "无售后": int(RefundStatus.NONE),
    "售后取消": int(RefundStatus.NONE),
    "售后处理中": int(RefundStatus.IN_PROGRESS),
    "退款中": int(RefundStatus.REFUNDING),
    "退款成功": _REFUNDED,
}


def _norm_status(text: str) -> str:
    return re.sub(r"\s+", "", text).replace(",", "，")


def parse_order_status(text: str) -> tuple[OrderStatus, int | None]:
    """An 订单状态 text (full- or half-width comma) → (status, implied refund status)."""
    found = ORDER_STATUS_TEXTS.get(_norm_status(text))
    if found is None:
        raise CellError("不认识的订单状态")
    return found


def parse_after_sales(text: str) -> int:
    """A 售后状态 text → refund_status."""
    found = AFTER_SALES_TEXTS.get(_norm_status(text))
    if found is None:
        raise CellError("不认识的售后状态")
    return found


def order_status_text(status: int, refund_status: int) -> str:
    """The 订单状态 text the platform shows for a local status (what exports write)."""
    refunded = refund_status == _REFUNDED
    if status == OrderStatus.UNPAID:
        return "待支付"
    if status == OrderStatus.TO_SHIP:
        return "待发货"
    if status in (OrderStatus.SHIPPED, OrderStatus.SIGNED):
        if refunded:
            return "已发货，退款成功"
        return "已发货，待签收" if status == OrderStatus.SHIPPED else "已签收"
    return "未发货，退款成功" if refunded else "已取消"


def after_sales_text(refund_status: int) -> str:
    """The 售后状态 text of a refund_status."""
    return {2: "售后处理中", 3: "退款中", 4: "退款成功"}.get(int(refund_status), "无售后或售后取消")


# --------------------------------------------------------------------------------------------
# "Newer information"
# --------------------------------------------------------------------------------------------

_STATUS_RANK = {
    OrderStatus.UNPAID: 0,
    OrderStatus.TO_SHIP: 1,
    OrderStatus.SHIPPED: 2,
    OrderStatus.SIGNED: 3,
    OrderStatus.CANCELLED: 3,
}
_REFUND_RANK = {1: 0, 2: 1, 3: 2, 4: 3}


def status_rank(status: int) -> int:
    """How far an order has come: 待支付 0 < 待发货 1 < 已发货 2 < 已签收 = 已取消 3 (both final)."""
    return _STATUS_RANK.get(OrderStatus(status), 1)


def refund_rank(refund_status: int) -> int:
    """How far an after-sales has come: 无 0 < 处理中 1 < 退款中 2 < 退款成功 3."""
    return _REFUND_RANK.get(int(refund_status), 0)


def newer_status(local: int, incoming: int) -> bool:
    """The file's status replaces the local one only when it is further along."""
    return status_rank(incoming) > status_rank(local)


def newer_refund(local_status: int, local_refund: int, incoming_status: int, incoming_refund: int) -> bool:
    """The file's refund state wins when its order status moved on, or the after-sales did."""
    if status_rank(incoming_status) > status_rank(local_status):
        return incoming_refund != local_refund
    if status_rank(incoming_status) < status_rank(local_status):
        return False
    return refund_rank(incoming_refund) > refund_rank(local_refund)


def derived_confirm_group(status: int) -> tuple[int, int] | None:
    """(confirm_status, group_status) implied by a status reached from a file, or None to keep."""
    if status == OrderStatus.UNPAID:
        return (0, 0)
    if status in (OrderStatus.TO_SHIP, OrderStatus.SHIPPED, OrderStatus.SIGNED):
        return (1, 1)
    return None


def is_masked(text: str) -> bool:
    """A receiver value the platform (or our export) masked: it must never replace a full one."""
    return "*" in text
