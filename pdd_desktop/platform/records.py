"""Validated records parsed from the platform's JSON (pdd-open-api.md §3-§7).

The client parses answers with ``parse_float=Decimal`` (and NaN/Infinity as Decimal), so
amounts arrive exact; every ``parse_*`` here checks types, converts money to integer fen and
times to UTC epoch seconds, and raises :class:`RecordError` naming the field on anything it
cannot take. The sync engine rejects the whole page when one record fails: nothing half-read
is ever written.

Field names follow the local columns (``data/models``) where one exists, with the platform's
key in the comment, so the sync service's mapping is one line per field. Status codes stay
the platform's own numbers.

Formats accepted (the doc is inconsistent across APIs, §9):

- money in **yuan** (orders, the after-sales list): JSON numbers or numeric strings (``4.5``,
  ``"8.00"``); converted to fen exactly, a value with a non-zero third decimal is rejected
  (trailing zeros such as ``"8.000"`` are exact and accepted); NaN, infinities, exponents
  beyond the range and negative values (except ``order_change_amount``) are rejected;
- money in **fen** (goods detail prices, the after-sales detail [I]): integers only;
- times: ``"yyyy-MM-dd HH:mm:ss"`` in Beijing time, epoch seconds and epoch milliseconds
  (numbers or digit strings; values above 10^11 are taken as ms). ``""``, ``null`` and ``0``
  mean "not set".
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any, Generic, TypeVar

from pdd_desktop.common.redact import redact_text
from pdd_desktop.common.timefmt import PLATFORM_FORMAT, SHANGHAI
from pdd_desktop.domain.privacy import mask_address, mask_name, mask_phone

T = TypeVar("T")

#: The largest amount accepted, in fen (10^13 yuan): far above any order, far below int64.
MAX_FEN = 10**15
_MAX_YUAN = Decimal(MAX_FEN) / 100  # exact
#: More significant digits than this is not an amount (and would make int() slow or fail).
_MAX_DIGITS = 40
#: Epoch values above this are milliseconds (10^11 s is the year 5138).
_MS_THRESHOLD = 10**11
#: Times beyond 2100-01-01 are malformed rather than far future.
_MAX_EPOCH_S = 4_102_444_800

_DECIMAL_TEXT = re.compile(r"^[+-]?\d{1,30}(?:\.\d{1,30})?$")
_INT_TEXT = re.compile(r"^[+-]?\d{1,30}$")
_DATETIME_TEXT = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$")


class RecordError(ValueError):
    """A platform record that does not validate; ``field`` names the offending key."""

    def __init__(self, field: str, value: object, reason: str) -> None:
        self.field = field
        self.value = value
        self.reason = reason
        shown = redact_text(repr(value))
        if len(shown) > 60:
            shown = shown[:57] + "..."
        super().__init__(f"平台数据字段 {field} 无效（{reason}）：{shown}")


# --------------------------------------------------------------------------- field readers


def _missing(value: object) -> bool:
    return value is None or value == ""


def _get(obj: Mapping[str, Any], key: str, path: str) -> Any:
    if not isinstance(obj, Mapping):
        raise RecordError(path or key, obj, "不是对象")
    return obj.get(key)


def _name(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def money_yuan_to_fen(value: object, name: str, *, allow_negative: bool = False) -> int:
    """An amount in yuan (Decimal, int or numeric string) → fen, exactly; else RecordError."""
    if isinstance(value, bool) or isinstance(value, float):
        raise RecordError(name, value, "金额不能是浮点数或布尔值")
    if isinstance(value, str):
        text = value.strip()
        if not _DECIMAL_TEXT.match(text):
            raise RecordError(name, value, "不是金额")
        value = Decimal(text)
    if isinstance(value, int):
        value = Decimal(value)
    if not isinstance(value, Decimal):
        raise RecordError(name, value, "不是金额")
    if not value.is_finite():
        raise RecordError(name, value, "金额无效")
    if abs(value) > _MAX_YUAN:  # exact: Decimal comparisons never round
        raise RecordError(name, value, "金额超出范围")
    sign, digits, exponent = value.as_tuple()
    if len(digits) > _MAX_DIGITS:
        raise RecordError(name, value, "数字位数过多")
    assert isinstance(exponent, int)  # finite
    shift = exponent + 2  # fen = digits × 10^(exponent + 2)
    number = int("".join(map(str, digits)) or "0")
    if shift >= 0:
        fen = number * 10**shift
    else:
        fen, rest = divmod(number, 10**-shift)
        if rest:
            raise RecordError(name, value, "金额最多两位小数")
    if sign:
        fen = -fen
    if fen < 0 and not allow_negative:
        raise RecordError(name, value, "金额不能为负")
    return fen


def money_fen(value: object, name: str) -> int:
    """An amount already in fen (goods prices): a non-negative integer."""
    fen = to_int(value, name)
    if fen < 0:
        raise RecordError(name, value, "金额不能为负")
    if fen > MAX_FEN:
        raise RecordError(name, value, "金额超出范围")
    return fen


def to_int(value: object, name: str) -> int:
    """An integer given as a JSON integer, an integral Decimal or a digit string."""
    if isinstance(value, bool):
        raise RecordError(name, value, "应为整数")
    if isinstance(value, int):
        return value
    if isinstance(value, str) and _INT_TEXT.match(value.strip()):
        return int(value.strip())
    if isinstance(value, Decimal) and value.is_finite() and value == value.to_integral_value():
        if abs(value) > MAX_FEN * 1000:
            raise RecordError(name, value, "数值超出范围")
        return int(value)
    raise RecordError(name, value, "应为整数")


def to_epoch(value: object, name: str) -> int | None:
    """A platform time (Beijing datetime text, epoch s or ms) → UTC epoch seconds; unset → None."""
    if _missing(value):
        return None
    if isinstance(value, str) and _DATETIME_TEXT.match(value.strip()):
        try:
            dt = datetime.strptime(value.strip(), PLATFORM_FORMAT).replace(tzinfo=SHANGHAI)
        except ValueError:
            raise RecordError(name, value, "时间无效") from None
        return int(dt.timestamp())
    try:
        number = to_int(value, name)
    except RecordError:
        raise RecordError(name, value, "不是时间") from None
    if number == 0:
        return None
    if number < 0:
        raise RecordError(name, value, "时间不能为负")
    if number > _MS_THRESHOLD:
        number //= 1000
    if number > _MAX_EPOCH_S:
        raise RecordError(name, value, "时间超出范围")
    return number


def to_str(value: object, name: str) -> str:
    """Text; ``null`` → ``""``; numbers are accepted as their text (ids typed STRING or LONG)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, int | Decimal) and not isinstance(value, bool):
        return str(value)
    raise RecordError(name, value, "应为文本")


def to_bool(value: object, name: str) -> bool:
    """A flag sent as ``true``/``false``, ``1``/``0`` or their strings."""
    if isinstance(value, bool):
        return value
    if value in (0, 1) and not isinstance(value, Decimal):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in ("0", "1", "true", "false"):
        return value.strip().lower() in ("1", "true")
    raise RecordError(name, value, "应为是/否")


class _Reader:
    """Reads the fields of one JSON object, naming errors with their path."""

    def __init__(self, obj: object, path: str = "") -> None:
        if not isinstance(obj, Mapping):
            raise RecordError(path or "(record)", obj, "不是对象")
        self.obj = obj
        self.path = path

    def name(self, key: str) -> str:
        return _name(self.path, key)

    def raw(self, key: str) -> Any:
        return self.obj.get(key)

    def _required(self, key: str) -> Any:
        value = self.obj.get(key)
        if _missing(value):
            raise RecordError(self.name(key), value, "缺少必填字段")
        return value

    def str(self, key: str, *alts: str, required: bool = False) -> str:
        for k in (key, *alts):
            if not _missing(self.obj.get(k)):
                return to_str(self.obj[k], self.name(k))
        if required:
            self._required(key)
        return ""

    def int(self, key: str, *alts: str, default: int | None = 0, required: bool = False) -> int:
        for k in (key, *alts):
            if not _missing(self.obj.get(k)):
                return to_int(self.obj[k], self.name(k))
        if required or default is None:
            self._required(key)
        assert default is not None
        return default

    def opt_int(self, key: str, *alts: str) -> int | None:
        for k in (key, *alts):
            if not _missing(self.obj.get(k)):
                return to_int(self.obj[k], self.name(k))
        return None

    def bool(self, key: str, *alts: str, default: bool = False) -> bool:
        for k in (key, *alts):
            if not _missing(self.obj.get(k)):
                return to_bool(self.obj[k], self.name(k))
        return default

    def yuan(self, key: str, *, required: bool = False, allow_negative: bool = False) -> int:
        value = self.obj.get(key)
        if _missing(value):
            if required:
                self._required(key)
            return 0
        return money_yuan_to_fen(value, self.name(key), allow_negative=allow_negative)

    def fen(self, key: str, *, required: bool = False) -> int | None:
        value = self.obj.get(key)
        if _missing(value):
            if required:
                self._required(key)
            return None
        return money_fen(value, self.name(key))

    def time(self, key: str, *alts: str, required: bool = False) -> int | None:
        for k in (key, *alts):
            if not _missing(self.obj.get(k)):
                ts = to_epoch(self.obj[k], self.name(k))
                if ts is not None or not required:
                    return ts
        if required:
            raise RecordError(self.name(key), self.obj.get(key), "缺少必填时间")
        return None

    def list(self, key: str) -> Sequence[Any]:
        value = self.obj.get(key)
        if value is None:
            return ()
        if not isinstance(value, list):
            raise RecordError(self.name(key), value, "应为列表")
        return value


# --------------------------------------------------------------------------- page


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a list API: its records and the platform's paging hints."""

    items: tuple[T, ...]
    #: ``total_count`` as the platform reported it (None when asked with ``use_has_next``).
    total_count: int | None
    #: ``has_next`` as reported, or derived from ``total_count`` when the API has none.
    has_next: bool | None
    page: int = 1
    page_size: int = 100


def _page_meta(body: Mapping[str, Any], page: int, page_size: int) -> tuple[int | None, bool | None]:
    r = _Reader(body)
    total = r.opt_int("total_count")
    has_next = r.bool("has_next") if not _missing(body.get("has_next")) else None
    if has_next is None and total is not None:
        has_next = page * page_size < total
    return total, has_next


def parse_page(body: Mapping[str, Any], list_key: str, parse_item, *, page: int, page_size: int) -> Page[Any]:
    """A list answer: ``list_key`` items through ``parse_item``, with total_count/has_next."""
    total, has_next = _page_meta(body, page, page_size)
    raw_items = _Reader(body).list(list_key)
    items = tuple(parse_item(item, f"{list_key}[{i}]") for i, item in enumerate(raw_items))
    # The platform itself saying "more" over an empty page is malformed (sync.md test 7); a
    # has_next derived from a stale total_count is left to the engine's count check.
    if has_next and not items and not _missing(body.get("has_next")):
        raise RecordError("has_next", body.get("has_next"), "有下一页却是空页")
    return Page(items=items, total_count=total, has_next=has_next, page=page, page_size=page_size)


# --------------------------------------------------------------------------- orders


@dataclass(frozen=True)
class OrderItemRecord:
    """One ``item_list`` line (a trade snapshot) → ``OrderItem``."""

    goods_id: int
    sku_id: int
    goods_name: str
    spec: str  #: goods_spec ("规格值1,规格值2")
    quantity: int  #: goods_count
    unit_price_fen: int  #: goods_price (yuan, per unit)
    outer_id: str = ""  #: SKU 商家编码
    outer_goods_id: str = ""  #: goods 商家编码
    image_url: str = ""  #: goods_img


@dataclass(frozen=True)
class DeliveryRecord:
    """An additional parcel: ``extra_delivery_list`` / ``resend_delivery_list`` / ``gift_delivery_list``."""

    kind: str  #: "extra" / "resend" / "gift" (the local Package.kind values)
    logistics_id: int | None
    tracking_number: str


@dataclass(frozen=True)
class OrderRecord:
    """An order object (§3.5) from the increment, list or detail API → ``Order``."""

    order_sn: str
    # --- platform status codes, as given ---
    order_status: int  #: 1 待发货, 2 已发货待签收, 3 已签收 (0 异常 in pdd.order.status.get)
    refund_status: int  #: 1 无售后或售后关闭, 2 售后处理中, 3 退款中, 4 退款成功
    confirm_status: int  #: 0 未成交, 1 已成交, 2 已取消
    group_status: int  #: 0 拼团中, 1 已成团, 2 团失败
    after_sales_status: int  #: §5.1 codes; 0 none
    trade_type: int  #: 0 普通, 1 定金
    is_lucky_flag: int  #: 1 非抽奖, 2 抽奖; 0 when absent (local ``is_lucky`` = value == 2)
    risk_control_status: int  #: 0 正常, 1 审核中
    is_pre_sale: bool
    # --- money, fen (platform keys in yuan) ---
    goods_amount_fen: int  #: goods_amount
    pay_amount_fen: int  #: pay_amount
    postage_fen: int  #: postage
    discount_amount_fen: int  #: discount_amount (= platform + seller + capital_free)
    platform_discount_fen: int  #: platform_discount
    seller_discount_fen: int  #: seller_discount
    capital_free_discount_fen: int  #: capital_free_discount
    change_amount_fen: int  #: order_change_amount (改价; may be negative)
    pay_reduction_fen: int  #: duo_duo_pay_reduction (多多支付立减)
    # --- times, UTC epoch seconds ---
    updated_at: int  #: updated_at: the upsert version (local ``platform_updated_at``)
    created_at: int | None  #: created_time
    paid_at: int | None  #: pay_time
    confirmed_at: int | None  #: confirm_time (成交)
    ship_deadline_at: int | None  #: last_ship_time (承诺发货时间)
    shipped_at: int | None  #: shipping_time
    signed_at: int | None  #: receive_time (确认收货)
    # --- notes ---
    buyer_memo: str  #: buyer_memo (买家留言)
    seller_memo: str  #: remark (商家备注)
    flag: int | None  #: remark_tag 1..5; None when unset
    flag_name: str  #: remark_tag_name
    # --- shipping ---
    logistics_id: int | None
    tracking_number: str
    deliveries: tuple[DeliveryRecord, ...]
    items: tuple[OrderItemRecord, ...]
    # --- receiver: region in plain text, personal fields masked; ciphertext opaque ---
    province: str
    city: str
    town: str  #: the platform's ``town`` (区/县 level)
    #: The masked twins: as sent, or computed here from the plain text when the answer has
    #: none (older answers).
    receiver_name_mask: str = field(default="", repr=False)
    receiver_phone_mask: str = field(default="", repr=False)
    receiver_address_mask: str = field(default="", repr=False)
    address_mask: str = field(default="", repr=False)
    #: receiver_name / receiver_phone / receiver_address / address when they are ciphertext
    #: (while 待发货, decrypted only inside 多多云); "" when absent or plain text.
    receiver_name_enc: str = field(default="", repr=False)
    receiver_phone_enc: str = field(default="", repr=False)
    receiver_address_enc: str = field(default="", repr=False)
    address_enc: str = field(default="", repr=False)
    #: The receiver in plain text when the answer carries it (answers before the encryption
    #: change, or fields already decrypted); "" otherwise. ``receiver_address`` is the detail
    #: without 省市区 (from ``receiver_address``, else ``address`` minus the region prefix).
    receiver_name: str = field(default="", repr=False)
    receiver_phone: str = field(default="", repr=False)
    receiver_address: str = field(default="", repr=False)
    #: The answer's object as parsed (Decimals inside), for the audit copy and the content hash.
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False, hash=False)

    @property
    def item_count(self) -> int:
        """商品数量(件): total units over the items."""
        return sum(i.quantity for i in self.items)


def _parse_order_item(obj: object, path: str) -> OrderItemRecord:
    r = _Reader(obj, path)
    quantity = r.int("goods_count", required=True)
    if quantity <= 0:
        raise RecordError(r.name("goods_count"), quantity, "数量必须大于 0")
    return OrderItemRecord(
        goods_id=r.int("goods_id", required=True),
        sku_id=r.int("sku_id", required=True),
        goods_name=r.str("goods_name"),
        spec=r.str("goods_spec"),
        quantity=quantity,
        unit_price_fen=r.yuan("goods_price", required=True),
        outer_id=r.str("outer_id"),
        outer_goods_id=r.str("outer_goods_id"),
        image_url=r.str("goods_img"),
    )


def _parse_deliveries(r: _Reader) -> tuple[DeliveryRecord, ...]:
    out: list[DeliveryRecord] = []
    for key, kind in (
        ("extra_delivery_list", "extra"),
        ("resend_delivery_list", "resend"),
        ("gift_delivery_list", "gift"),
    ):
        for i, entry in enumerate(r.list(key)):
            d = _Reader(entry, f"{r.name(key)}[{i}]")
            out.append(
                DeliveryRecord(
                    kind=kind,
                    logistics_id=d.opt_int("logistics_id", "shipping_id"),
                    tracking_number=d.str("tracking_number"),
                )
            )
    return tuple(out)


def parse_order(obj: object, path: str = "") -> OrderRecord:
    """One order object (§3.5) → :class:`OrderRecord`; RecordError on anything invalid."""
    r = _Reader(obj, path)
    items = tuple(
        _parse_order_item(item, f"{r.name('item_list')}[{i}]") for i, item in enumerate(r.list("item_list"))
    )
    flag = r.opt_int("remark_tag") or None
    if flag is not None and not 1 <= flag <= 5:
        raise RecordError(r.name("remark_tag"), flag, "旗标应为 1–5")
    updated_at = r.time("updated_at", required=True)
    assert updated_at is not None
    return OrderRecord(
        order_sn=r.str("order_sn", required=True),
        order_status=r.int("order_status", required=True),
        refund_status=r.int("refund_status", required=True),
        confirm_status=r.int("confirm_status", default=1),
        group_status=r.int("group_status", default=1),
        after_sales_status=r.int("after_sales_status", default=0),
        trade_type=r.int("trade_type", default=0),
        is_lucky_flag=r.int("is_lucky_flag", default=0),
        risk_control_status=r.int("risk_control_status", default=0),
        is_pre_sale=r.bool("is_pre_sale"),
        goods_amount_fen=r.yuan("goods_amount", required=True),
        pay_amount_fen=r.yuan("pay_amount", required=True),
        postage_fen=r.yuan("postage"),
        discount_amount_fen=r.yuan("discount_amount"),
        platform_discount_fen=r.yuan("platform_discount"),
        seller_discount_fen=r.yuan("seller_discount"),
        capital_free_discount_fen=r.yuan("capital_free_discount"),
        change_amount_fen=r.yuan("order_change_amount", allow_negative=True),
        pay_reduction_fen=r.yuan("duo_duo_pay_reduction"),
        updated_at=updated_at,
        created_at=r.time("created_time"),
        paid_at=r.time("pay_time"),
        confirmed_at=r.time("confirm_time"),
        ship_deadline_at=r.time("last_ship_time"),
        shipped_at=r.time("shipping_time"),
        signed_at=r.time("receive_time"),
        buyer_memo=r.str("buyer_memo"),
        seller_memo=r.str("remark"),
        flag=flag,
        flag_name=r.str("remark_tag_name"),
        logistics_id=r.opt_int("logistics_id") or None,
        tracking_number=r.str("tracking_number"),
        deliveries=_parse_deliveries(r),
        items=items,
        province=r.str("province"),
        city=r.str("city"),
        town=r.str("town"),
        **_receiver_fields(r),
        raw=r.obj,
    )


def looks_encrypted(value: str) -> bool:
    """True for a value in the platform's ciphertext form: ``~…~``, ``$…$`` or ``#…#``.

    The platform wraps each encrypted field in one delimiter character (``$`` for phone numbers,
    whose ciphertext is searchable, ``~`` for names and addresses) [I: the delimiters as the
    platform's 数据加密 samples show them; the sandbox sends ``~…~``]. Anything else in a
    receiver field is plain text: an answer from before the encryption change (§3.5) or a value
    already decrypted.
    """
    v = value.strip()
    return len(v) >= 4 and v[0] in "~$#" and v[-1] == v[0]


def _strip_region(full: str, *region: str) -> str:
    """``address`` minus the leading 省 / 市 / 区 it repeats: the detail part."""
    rest = full.strip()
    for part in region:
        if part and rest.startswith(part):
            rest = rest[len(part) :]
    return rest.strip()


def _receiver_fields(r: _Reader) -> dict[str, str]:
    """The receiver of an order answer, whichever format it came in.

    Ciphertext stays opaque (``*_enc``); plain text is kept (``receiver_name`` …) and a plain
    value with stars in it is a mask, not the full value; masked twins the answer did not send
    are computed from the plain text.
    """
    out: dict[str, str] = {}
    plain: dict[str, str] = {}
    for key in ("receiver_name", "receiver_phone", "receiver_address", "address"):
        value = r.str(key).strip()
        if looks_encrypted(value):
            out[f"{key}_enc"] = value
        elif value:
            plain[key] = value
    province, city, town = r.str("province"), r.str("city"), r.str("town")
    detail = plain.get("receiver_address") or _strip_region(plain.get("address", ""), province, city, town)
    name, phone = plain.get("receiver_name", ""), plain.get("receiver_phone", "")
    masks = {
        "receiver_name_mask": r.str("receiver_name_mask"),
        "receiver_phone_mask": r.str("receiver_phone_mask"),
        "receiver_address_mask": r.str("receiver_address_mask"),
        "address_mask": r.str("address_mask"),
    }
    # an older answer may carry a masked value in the plain field (138****1234): a mask only
    if "*" in name:
        masks["receiver_name_mask"] = masks["receiver_name_mask"] or name
        name = ""
    if "*" in phone:
        masks["receiver_phone_mask"] = masks["receiver_phone_mask"] or phone
        phone = ""
    if "*" in detail:
        masks["receiver_address_mask"] = masks["receiver_address_mask"] or detail
        detail = ""
    masks["receiver_name_mask"] = masks["receiver_name_mask"] or mask_name(name)
    masks["receiver_phone_mask"] = masks["receiver_phone_mask"] or (mask_phone(phone) if phone else "")
    masks["receiver_address_mask"] = masks["receiver_address_mask"] or mask_address(detail)
    if not masks["address_mask"] and masks["receiver_address_mask"]:
        masks["address_mask"] = f"{province}{city}{town}{masks['receiver_address_mask']}"
    out.update(masks)
    out.update(receiver_name=name, receiver_phone=phone, receiver_address=detail)
    return out


@dataclass(frozen=True)
class OrderStatusRecord:
    """One ``order_status_list`` entry of pdd.order.status.get (note the camel-case ``orderSn``)."""

    order_sn: str
    order_status: int  #: 0 异常, 1 待发货, 2 已发货待签收, 3 已签收
    refund_status: int


def parse_order_status(obj: object, path: str = "") -> OrderStatusRecord:
    """One pdd.order.status.get entry; ``orderSn`` and ``order_sn`` are both accepted."""
    r = _Reader(obj, path)
    return OrderStatusRecord(
        order_sn=r.str("orderSn", "order_sn", required=True),
        order_status=r.int("order_status", required=True),
        refund_status=r.int("refund_status", required=True),
    )


# --------------------------------------------------------------------------- after-sales


@dataclass(frozen=True)
class RefundRecord:
    """An after-sales case (售后单) from the increment list or the detail API → ``AfterSale``."""

    id: int  #: id (after_sales_id)
    order_sn: str
    type: int  #: after_sales_type (the list and detail enums disagree, §5.1: kept as sent)
    status: int  #: after_sales_status (domain.after_sales.STATUS_TABLE)
    reason: str  #: after_sale_reason (list) / after_sales_reason (detail)
    refund_amount_fen: int
    order_amount_fen: int
    discount_amount_fen: int
    goods_price_fen: int
    quantity: int  #: goods_number
    goods_id: int | None
    sku_id: int | None
    goods_name: str
    outer_id: str
    outer_goods_id: str
    image_url: str  #: good_image
    return_tracking_number: str  #: tracking_number (list) / express_no (detail)
    return_shipping_name: str  #: shipping_name
    buyer_remark: str  #: remark (detail only)
    created_at: int | None  #: created_time (list) / recreated_at (detail)
    confirmed_at: int | None  #: confirm_time (成团时间)
    expire_at: int | None  #: expire_time (detail, while 待商家处理)
    updated_at: int  #: updated_time: the upsert version
    refund_operator_role: int
    speed_refund_flag: int
    dispute_refund_status: int
    user_shipping_status: int
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False, hash=False)


def parse_refund(obj: object, path: str = "", *, money_in: str = "yuan") -> RefundRecord:
    """One after-sales object (list item or the flat detail answer).

    ``money_in`` is ``"yuan"`` for the increment list (``"8.00"``) and ``"fen"`` for the
    detail answer, whose amounts the doc types INTEGER (§5.2 [I]).
    """
    r = _Reader(obj, path)

    def money(key: str, required: bool = False) -> int:
        if money_in == "fen":
            return r.fen(key, required=required) or 0
        return r.yuan(key, required=required)

    updated_at = r.time("updated_time", required=True)
    assert updated_at is not None
    return RefundRecord(
        id=r.int("id", "after_sales_id", required=True),
        order_sn=r.str("order_sn", required=True),
        type=r.int("after_sales_type", required=True),
        status=r.int("after_sales_status", required=True),
        reason=r.str("after_sale_reason", "after_sales_reason"),
        refund_amount_fen=money("refund_amount", required=True),
        order_amount_fen=money("order_amount"),
        discount_amount_fen=money("discount_amount"),
        goods_price_fen=money("goods_price"),
        quantity=r.int("goods_number", default=1),
        goods_id=r.opt_int("goods_id"),
        sku_id=r.opt_int("sku_id"),
        goods_name=r.str("goods_name"),
        outer_id=r.str("outer_id"),
        outer_goods_id=r.str("outer_goods_id"),
        image_url=r.str("good_image"),
        return_tracking_number=r.str("tracking_number", "express_no"),
        return_shipping_name=r.str("shipping_name"),
        buyer_remark=r.str("remark"),
        created_at=r.time("created_time", "recreated_at"),
        confirmed_at=r.time("confirm_time"),
        expire_at=r.time("expire_time"),
        updated_at=updated_at,
        refund_operator_role=r.int("refund_operator_role", default=0),
        speed_refund_flag=r.int("speed_refund_flag", default=0),
        dispute_refund_status=r.int("dispute_refund_status", default=0),
        user_shipping_status=r.int("user_shipping_status", default=0),
        raw=r.obj,
    )


# --------------------------------------------------------------------------- goods


@dataclass(frozen=True)
class SkuRecord:
    """A SKU of a goods → ``Sku``. Prices only come from the detail API (fen)."""

    sku_id: int
    spec: str  #: list: ``spec``; detail: ``spec[]`` joined as "颜色:黑色,尺码:XL"
    outer_id: str  #: list: outer_id; detail: out_sku_sn (商家编码-规格维度)
    quantity: int  #: list: sku_quantity; detail: quantity → local ``stock``
    reserve_quantity: int
    #: list: is_sku_onsale; detail: is_onsale; None when the answer has neither
    is_onsale: bool | None
    single_price_fen: int | None = None  #: detail ``price`` (单买价, 分)
    group_price_fen: int | None = None  #: detail ``multi_price`` (拼团价, 分)
    weight_g: int = 0  #: detail ``weight``
    limit_quantity: int | None = None


@dataclass(frozen=True)
class GoodsRecord:
    """A goods from pdd.goods.list.get or pdd.goods.detail.get → ``Goods`` + ``Sku`` rows."""

    goods_id: int
    name: str  #: goods_name
    image_url: str
    #: list: is_onsale; detail: status 1 上架 or 3 售罄; None when the answer has neither (the
    #: sync then decides from the list and the SKUs: ``services.sync.areas.goods``)
    is_onsale: bool | None
    quantity: int  #: goods_quantity (list) or the SKU sum (detail)
    skus: tuple[SkuRecord, ...]
    outer_goods_id: str = ""
    created_at: int | None = None  #: created_at (list, epoch s)
    status: int | None = None  #: detail: 1 上架, 2 下架, 3 售罄, 4 已删除
    market_price_fen: int | None = None  #: detail market_price (分)
    thumb_url: str = ""
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False, hash=False)


def _join_spec(specs: Sequence[Any], path: str) -> str:
    parts = []
    for i, s in enumerate(specs):
        sr = _Reader(s, f"{path}[{i}]")
        parent, value = sr.str("parent_name"), sr.str("spec_name")
        parts.append(f"{parent}:{value}" if parent else value)
    return ",".join(parts)


def _parse_sku(obj: object, path: str) -> SkuRecord:
    r = _Reader(obj, path)
    spec_value = r.raw("spec")
    if isinstance(spec_value, list):
        spec = _join_spec(spec_value, r.name("spec"))
    else:
        spec = r.str("spec")
    quantity = r.int("sku_quantity", "quantity", default=0)
    return SkuRecord(
        sku_id=r.int("sku_id", required=True),
        spec=spec,
        outer_id=r.str("outer_id", "out_sku_sn"),
        quantity=quantity,
        reserve_quantity=r.int("reserve_quantity", default=0),
        is_onsale=(
            None
            if _missing(r.raw("is_sku_onsale")) and _missing(r.raw("is_onsale"))
            else r.bool("is_sku_onsale", "is_onsale")
        ),
        single_price_fen=r.fen("price"),
        group_price_fen=r.fen("multi_price"),
        weight_g=r.int("weight", default=0),
        limit_quantity=r.opt_int("limit_quantity"),
    )


def parse_goods(obj: object, path: str = "") -> GoodsRecord:
    """A goods item of the list answer or the detail answer (the shapes differ, §6)."""
    r = _Reader(obj, path)
    skus = tuple(_parse_sku(s, f"{r.name('sku_list')}[{i}]") for i, s in enumerate(r.list("sku_list")))
    status = r.opt_int("status")
    is_onsale: bool | None = None
    if not _missing(r.raw("is_onsale")):
        is_onsale = r.bool("is_onsale")
    elif status is not None:
        is_onsale = status in (1, 3)  # 3 售罄 is still on the shelf (the list says is_onsale=1)
    quantity = r.opt_int("goods_quantity")
    return GoodsRecord(
        goods_id=r.int("goods_id", required=True),
        name=r.str("goods_name", required=True),
        image_url=r.str("image_url"),
        is_onsale=is_onsale,
        quantity=quantity if quantity is not None else sum(s.quantity for s in skus),
        skus=skus,
        outer_goods_id=r.str("outer_goods_id"),
        created_at=r.time("created_at"),
        status=status,
        market_price_fen=r.fen("market_price"),
        thumb_url=r.str("thumb_url"),
        raw=r.obj,
    )


# --------------------------------------------------------------------------- logistics, shop, auth


@dataclass(frozen=True)
class CourierRecord:
    """A logistics company (pdd.logistics.companies.get) → ``Courier``."""

    id: int
    logistics_company: str  #: → Courier.name
    code: str
    available: bool = True


def parse_courier(obj: object, path: str = "") -> CourierRecord:
    """One ``logistics_companies`` entry."""
    r = _Reader(obj, path)
    return CourierRecord(
        id=r.int("id", required=True),
        logistics_company=r.str("logistics_company", required=True),
        code=r.str("code"),
        available=r.bool("available", default=True),
    )


@dataclass(frozen=True)
class MallRecord:
    """The shop (pdd.mall.info.get)."""

    mall_id: int
    mall_name: str
    mall_desc: str = ""
    logo: str = ""
    merchant_type: int = 0  #: 1 个人, 2 企业, 3 旗舰店, 4 专卖店, 5 专营店, 6 普通店
    mall_character: int = 0  #: 0 厂商, 1 分销商, 2 都不是, 3 都是


def parse_mall(obj: object, path: str = "") -> MallRecord:
    """The ``mall_info_get_response`` object."""
    r = _Reader(obj, path)
    return MallRecord(
        mall_id=r.int("mall_id", required=True),
        mall_name=r.str("mall_name"),
        mall_desc=r.str("mall_desc"),
        logo=r.str("logo"),
        merchant_type=r.int("merchant_type", default=0),
        mall_character=r.int("mall_character", default=0),
    )


#: ``trace_list[].action`` of pdd.logistics.ordertrace.get → ``TrackingEvent.kind``. The codes
#: are the doc metadata's (NODE ``wuLiu/PddLogisticsOrdertraceGet.ts``): GOT 揽件, SEND 派件,
#: SIGN 签收, ARRIVAL 到件, DEPARTURE 发件, FAIL 问题件, REJECTION 拒签, STAY_IN_WAREHOUSE 留仓,
#: SIGN_ON_BEHALF 代收点代签, OTHER 其他, RETURN 退件, IN_CABINET / OUT_CABINET 入柜 / 出柜
#: (the doc writes ``IN_ CABINET`` with a space; both spellings are read).
TRACE_ACTION_KINDS: dict[str, str] = {
    "GOT": "pickup",
    "ARRIVAL": "transit",
    "DEPARTURE": "transit",
    "OTHER": "transit",
    "SEND": "delivering",
    "IN_CABINET": "delivering",
    "OUT_CABINET": "delivering",
    "SIGN": "signed",
    "SIGN_ON_BEHALF": "signed",
    "FAIL": "exception",
    "REJECTION": "exception",
    "STAY_IN_WAREHOUSE": "exception",
    "RETURN": "exception",
}


@dataclass(frozen=True)
class TraceEventRecord:
    """One ``trace_list`` entry of pdd.logistics.ordertrace.get (a courier scan)."""

    at: int  #: status_time (else time), UTC epoch seconds
    action: str  #: the platform's node code, e.g. GOT
    kind: str  #: :data:`TRACE_ACTION_KINDS` of ``action`` (unknown codes: transit)
    location: str  #: node_description
    description: str  #: status_desc (else desc): the courier's words


def parse_trace_event(obj: object, path: str = "") -> TraceEventRecord:
    """One ``trace_list`` entry; a missing time or an unreadable one rejects the answer."""
    r = _Reader(obj, path)
    action = r.str("action").replace(" ", "").upper()
    at = r.time("status_time", "time", required=True)
    assert at is not None
    return TraceEventRecord(
        at=at,
        action=action,
        kind=TRACE_ACTION_KINDS.get(action, "transit"),
        location=r.str("node_description"),
        description=r.str("status_desc", "desc"),
    )


def parse_trace(body: Mapping[str, Any]) -> tuple[TraceEventRecord, ...]:
    """The unwrapped answer of pdd.logistics.ordertrace.get: its events, oldest first."""
    items = body.get("trace_list")
    if items is None:
        return ()
    if not isinstance(items, list):
        raise RecordError("trace_list", items, "应为列表")
    events = [parse_trace_event(e, f"trace_list[{i}]") for i, e in enumerate(items)]
    return tuple(sorted(events, key=lambda e: e.at))


@dataclass(frozen=True)
class ReturnAddressRecord:
    """One ``refund_address_list`` entry of pdd.refund.address.list.get (§5.3)."""

    id: int
    contact_name: str  #: refund_name
    phone: str  #: refund_phone (else refund_tel)
    province: str
    city: str
    district: str
    detail: str  #: refund_address
    is_default: bool


def parse_return_address(obj: object, path: str = "") -> ReturnAddressRecord:
    """One ``refund_address_list`` entry."""
    r = _Reader(obj, path)
    return ReturnAddressRecord(
        id=r.int("id", required=True),
        contact_name=r.str("refund_name"),
        phone=r.str("refund_phone", "refund_tel"),
        province=r.str("province_name"),
        city=r.str("city_name"),
        district=r.str("district_name"),
        detail=r.str("refund_address", required=True),
        is_default=r.bool("is_default"),
    )


@dataclass(frozen=True)
class WaybillRecord:
    """One ``modules`` entry of pdd.waybill.get: an issued e-waybill number, or why none.

    ``object_id``, ``waybill_code``, ``parent_waybill_code`` and ``print_data`` are the
    documented fields (pdd-open-api.md §4.3; ``SchafferJ/open-pdd``
    ``src/http/model/waybill/pdd_waybill_get.rs``). [I] An object that got no number comes back
    with ``error_code`` / ``error_msg`` and no code; the route codes come beside ``print_data``
    as ``routing_info{sort_code, hub}`` (the sandbox does both; see ``sandbox/waybills.py``).
    """

    object_id: str
    waybill_code: str
    parent_waybill_code: str = ""
    #: Opaque, handed to the print component as is (it carries the encrypted receiver).
    print_data: str = field(default="", repr=False)
    sort_code: str = ""  #: 三段码
    hub: str = ""  #: 集包地
    error_code: str = ""
    error_msg: str = ""

    @property
    def issued(self) -> bool:
        """A number was issued for the object."""
        return bool(self.waybill_code)


def parse_waybill(obj: object, path: str = "") -> WaybillRecord:
    """One pdd.waybill.get module."""
    r = _Reader(obj, path)
    routing = r.raw("routing_info")
    route = _Reader(routing, r.name("routing_info")) if isinstance(routing, Mapping) else None
    code = r.str("waybill_code")
    error_code = r.str("error_code")
    if not code and not error_code:
        r.str("waybill_code", required=True)  # neither a number nor a reason: a bad module
    return WaybillRecord(
        object_id=r.str("object_id", required=True),
        waybill_code=code,
        parent_waybill_code=r.str("parent_waybill_code"),
        print_data=r.str("print_data"),
        sort_code=route.str("sort_code") if route else "",
        hub=route.str("hub") if route else "",
        error_code=error_code,
        error_msg=r.str("error_msg"),
    )


@dataclass(frozen=True)
class WaybillBranchRecord:
    """One branch account of pdd.waybill.search (§4.3): balance and ship-from address."""

    wp_code: str
    branch_code: str
    branch_name: str
    quantity: int  #: 余额
    allocated_quantity: int
    cancel_quantity: int
    recycled_quantity: int
    ship_address: str  #: the first ``shipp_address_cols`` entry as one line


def parse_waybill_search(body: Mapping[str, Any]) -> list[WaybillBranchRecord]:
    """Every branch account of a pdd.waybill.search answer."""
    out: list[WaybillBranchRecord] = []
    top = _Reader(body, "")
    for i, sub in enumerate(top.list("waybill_apply_subscription_cols")):
        s = _Reader(sub, f"waybill_apply_subscription_cols[{i}]")
        wp_code = s.str("wp_code", required=True)
        for j, acc in enumerate(s.list("branch_account_cols")):
            a = _Reader(acc, s.name(f"branch_account_cols[{j}]"))
            addresses = a.list("shipp_address_cols")
            line = ""
            if addresses:
                ad = _Reader(addresses[0], a.name("shipp_address_cols[0]"))
                line = "".join(ad.str(k) for k in ("province", "city", "district", "detail"))
            out.append(
                WaybillBranchRecord(
                    wp_code=wp_code,
                    branch_code=a.str("branch_code"),
                    branch_name=a.str("branch_name"),
                    quantity=a.int("quantity"),
                    allocated_quantity=a.int("allocated_quantity"),
                    cancel_quantity=a.int("cancel_quantity"),
                    recycled_quantity=a.int("recycled_quantity"),
                    ship_address=line,
                )
            )
    return out


@dataclass(frozen=True)
class StdTemplateRecord:
    """One standard template of pdd.cloudprint.stdtemplates.get (§4.3)."""

    wp_code: str
    template_id: int
    name: str
    url: str
    waybill_type: int


def parse_std_templates(body: Mapping[str, Any]) -> list[StdTemplateRecord]:
    """Every standard template of a pdd.cloudprint.stdtemplates.get answer."""
    result = body.get("result")
    top = _Reader(result if result is not None else {}, "result")
    out: list[StdTemplateRecord] = []
    for i, data in enumerate(top.list("datas")):
        d = _Reader(data, f"result.datas[{i}]")
        wp_code = d.str("wp_code", required=True)
        for j, t in enumerate(d.list("standard_templates")):
            r = _Reader(t, d.name(f"standard_templates[{j}]"))
            out.append(
                StdTemplateRecord(
                    wp_code=wp_code,
                    template_id=r.int("standard_template_id"),
                    name=r.str("standard_template_name"),
                    url=r.str("standard_template_url", required=True),
                    waybill_type=r.int("standard_waybill_type"),
                )
            )
    return out


@dataclass(frozen=True)
class TokenRecord:
    """The answer of pdd.pop.auth.token.create / .refresh (§1.5). Never logged."""

    access_token: str = field(repr=False)
    refresh_token: str = field(repr=False)
    expires_at: int | None  #: epoch s
    refresh_token_expires_at: int | None
    owner_id: str = ""  #: the shop (mall) id
    owner_name: str = ""
    scope: tuple[str, ...] = ()


def parse_token(obj: object, path: str = "", *, now: int | None = None) -> TokenRecord:
    """A token answer; ``expires_at`` from the answer, else ``now + expires_in``."""
    r = _Reader(obj, path)

    def expiry(at_key: str, in_key: str) -> int | None:
        at = r.time(at_key)
        if at is None and now is not None and r.opt_int(in_key) is not None:
            at = now + r.int(in_key)
        return at

    scope = r.raw("scope")
    return TokenRecord(
        access_token=r.str("access_token", required=True),
        refresh_token=r.str("refresh_token"),
        expires_at=expiry("expires_at", "expires_in"),
        refresh_token_expires_at=expiry("refresh_token_expires_at", "refresh_token_expires_in"),
        owner_id=r.str("owner_id"),
        owner_name=r.str("owner_name"),
        scope=tuple(str(s) for s in scope) if isinstance(scope, list) else (),
    )


@dataclass(frozen=True)
class WriteResult:
    """A write the platform acknowledged; ``raw`` is the unwrapped answer."""

    api: str
    raw: Mapping[str, Any] = field(repr=False)
    #: goods_commit_id of a price update, when given.
    commit_id: str = ""
