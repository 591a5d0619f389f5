"""Record parsing: exact money, both time formats, field-named rejections (sync.md test 7, 13)."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pdd_desktop.common.timefmt import parse_local
from pdd_desktop.platform.records import (
    MAX_FEN,
    Page,
    RecordError,
    money_fen,
    money_yuan_to_fen,
    parse_courier,
    parse_goods,
    parse_order,
    parse_order_status,
    parse_page,
    parse_refund,
    parse_token,
    to_epoch,
)


def _load(text: str):
    return json.loads(text, parse_float=Decimal, parse_constant=Decimal)


def _order(**over) -> dict:
    order = {
        "order_sn": "180810-364770100011509",
        "order_status": 2,
        "refund_status": 1,
        "goods_amount": Decimal("9.90"),
        "pay_amount": Decimal("4.5"),
        "updated_at": "2018-08-10 19:43:33",
        "item_list": [
            {"goods_id": 1, "sku_id": 2, "goods_name": "g", "goods_count": 1, "goods_price": Decimal("9.9")}
        ],
    }
    order.update(over)
    return order


# --------------------------------------------------------------------------- money


@pytest.mark.parametrize(
    ("value", "fen"),
    [
        (Decimal("4.5"), 450),
        (Decimal("0.1"), 10),
        (Decimal("0"), 0),
        (0, 0),
        (12, 1200),
        ("8.00", 800),
        ("8.000", 800),  # trailing zeros are exact
        (Decimal("1E+2"), 10000),
        (Decimal("19.99"), 1999),
    ],
)
def test_yuan_to_fen_exact(value, fen):
    assert money_yuan_to_fen(value, "pay_amount") == fen


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        (Decimal("12.345"), "两位小数"),
        ("12.345", "两位小数"),
        (Decimal("0.001"), "两位小数"),
        (Decimal("NaN"), "无效"),
        (Decimal("Infinity"), "无效"),
        (Decimal("-Infinity"), "无效"),
        (Decimal("1E+400"), "范围"),
        (Decimal("-1"), "负"),
        ("-0.01", "负"),
        (4.5, "浮点"),
        (True, "浮点"),
        ("12,5", "不是金额"),
        ("1e3", "不是金额"),
        ("", "不是金额"),
        ([], "不是金额"),
    ],
)
def test_bad_money_is_rejected_with_the_field_name(value, reason):
    with pytest.raises(RecordError) as info:
        money_yuan_to_fen(value, "item_list[0].goods_price")
    assert info.value.field == "item_list[0].goods_price" and reason in info.value.reason
    assert "item_list[0].goods_price" in str(info.value)


def test_json_parsed_extremes_are_rejected():
    body = _load(
        '{"a": 1e400, "b": NaN, "c": 0.1, "d": -Infinity, "e": 1e999999, "f": 1.'
        + "0" * 5000
        + ', "g": 0.'
        + "0" * 5000
        + "1}"
    )
    for key in ("a", "b", "d", "e", "f", "g"):
        with pytest.raises(RecordError):
            money_yuan_to_fen(body[key], key)
    assert money_yuan_to_fen(body["c"], "c") == 10


def test_ten_times_point_one_is_exactly_one_yuan():
    items = [
        {"goods_id": 1, "sku_id": i, "goods_name": "g", "goods_count": 1, "goods_price": "0.1"}
        for i in range(10)
    ]
    order = parse_order(_load(json.dumps(_order(item_list=items, goods_amount="1.00"), default=str)))
    assert sum(i.unit_price_fen for i in order.items) == order.goods_amount_fen == 100


def test_negative_only_where_possible():
    order = parse_order(_order(order_change_amount=Decimal("-2.00")))
    assert order.change_amount_fen == -200
    with pytest.raises(RecordError) as info:
        parse_order(_order(pay_amount=Decimal("-1")))
    assert info.value.field == "pay_amount"


@given(
    sign=st.sampled_from(["", "-"]),
    whole=st.integers(min_value=0, max_value=10**13),
    frac=st.text(alphabet="0123456789", min_size=0, max_size=6),
)
def test_random_decimal_strings_are_exact_or_rejected(sign, whole, frac):
    text = f"{sign}{whole}" + (f".{frac}" if frac else "")
    exact = Decimal(text) * 100
    try:
        fen = money_yuan_to_fen(text, "x", allow_negative=True)
    except RecordError as exc:
        assert exc.field == "x"
        assert exact != exact.to_integral_value() or abs(exact) > MAX_FEN
    else:
        assert Decimal(fen) == exact  # exact, never rounded
        # the Decimal path (as parse_float gives it) agrees with the text path
        assert money_yuan_to_fen(Decimal(text), "x", allow_negative=True) == fen


@given(st.decimals(allow_nan=True, allow_infinity=True))
def test_random_decimals_are_exact_or_rejected(value):
    try:
        fen = money_yuan_to_fen(value, "x", allow_negative=True)
    except RecordError:
        if value.is_finite() and abs(value) <= Decimal(MAX_FEN) / 100:
            scaled = value.scaleb(2)
            assert scaled != scaled.to_integral_value() or len(value.as_tuple().digits) > 40
    else:
        assert value.is_finite() and Decimal(fen) == value.scaleb(2)


def test_fen_amounts_are_integers():
    assert money_fen(1990, "price") == 1990 and money_fen("1990", "price") == 1990
    for bad in (Decimal("19.9"), -1, "1.5", True):
        with pytest.raises(RecordError):
            money_fen(bad, "price")


# --------------------------------------------------------------------------- time


def test_both_time_formats():
    beijing = "2018-08-10 19:29:58"
    epoch = parse_local(beijing)
    assert epoch == 1533900598  # 11:29:58 UTC
    assert to_epoch(beijing, "t") == epoch
    assert to_epoch(epoch, "t") == epoch
    assert to_epoch(str(epoch), "t") == epoch
    assert to_epoch(epoch * 1000 + 659, "t") == epoch  # ms
    for unset in ("", None, 0, "0"):
        assert to_epoch(unset, "t") is None
    for bad in (
        "2018-13-45 25:00:00",
        "2018/08/10",
        "yesterday",
        -5,
        10**17,
        Decimal("1.5"),
        True,
        "9" * 5000,
    ):
        with pytest.raises(RecordError) as info:
            to_epoch(bad, "shipping_time")
        assert info.value.field == "shipping_time"


def test_refund_list_item_accepts_datetime_or_epoch_strings():
    base = {
        "id": 7381745730,
        "order_sn": "210707-339507978993455",
        "after_sales_type": 3,
        "after_sales_status": 10,
        "after_sale_reason": "质量问题",
        "refund_amount": "8.00",
        "goods_price": "8.00",
        "goods_number": "1",
        "tracking_number": "YT123",
    }
    a = parse_refund({**base, "updated_time": "2018-04-10 17:03:29", "created_time": "2018-04-10 17:00:00"})
    b = parse_refund({**base, "updated_time": "1523350999", "created_time": "1551612204"})
    assert a.updated_at == parse_local("2018-04-10 17:03:29") and b.updated_at == 1523350999
    assert a.refund_amount_fen == 800 and a.quantity == 1 and a.reason == "质量问题"
    assert a.return_tracking_number == "YT123"
    with pytest.raises(RecordError) as info:
        parse_refund({**base, "updated_time": "2018-04-10 17:03:29", "refund_amount": "8.005"})
    assert info.value.field == "refund_amount"


# --------------------------------------------------------------------------- orders


def test_order_fields_map_and_ciphertext_stays_opaque():
    order = parse_order(
        _order(
            remark="顺丰",
            remark_tag=2,
            remark_tag_name="黄旗",
            buyer_memo="周末送",
            logistics_id=115,
            tracking_number="ZT1",
            shipping_time="2018-08-10 19:43:33",
            receiver_phone="$AgAAAAEncrypted$",
            receiver_phone_mask="1387677****",
            extra_delivery_list=[{"logistics_id": 115, "tracking_number": "ZT2"}],
            gift_delivery_list=[{"logistics_id": 85, "tracking_number": "YT1"}],
        )
    )
    assert order.seller_memo == "顺丰" and order.flag == 2 and order.flag_name == "黄旗"
    assert order.buyer_memo == "周末送" and order.logistics_id == 115 and order.tracking_number == "ZT1"
    assert order.shipped_at == parse_local("2018-08-10 19:43:33")
    assert order.receiver_phone_enc == "$AgAAAAEncrypted$" and order.receiver_phone_mask == "1387677****"
    assert [(d.kind, d.tracking_number) for d in order.deliveries] == [("extra", "ZT2"), ("gift", "YT1")]
    assert "Encrypted" not in repr(order) and "1387677" not in repr(order)
    assert order.item_count == 1 and order.confirm_status == 1 and order.flag_name


@pytest.mark.parametrize(
    ("over", "field"),
    [
        ({"updated_at": None}, "updated_at"),
        ({"updated_at": ""}, "updated_at"),
        ({"order_sn": ""}, "order_sn"),
        ({"order_status": "two"}, "order_status"),
        ({"order_status": True}, "order_status"),
        ({"pay_amount": "4.555"}, "pay_amount"),
        ({"pay_amount": None}, "pay_amount"),
        ({"remark_tag": 9}, "remark_tag"),
        ({"item_list": "nope"}, "item_list"),
        (
            {"item_list": [{"goods_id": 1, "sku_id": 2, "goods_count": 0, "goods_price": 1}]},
            "item_list[0].goods_count",
        ),
        ({"order_sn": {"x": 1}}, "order_sn"),
    ],
)
def test_invalid_order_names_the_field(over, field):
    with pytest.raises(RecordError) as info:
        parse_order(_order(**over), "order_sn_list[3]")
    assert info.value.field == f"order_sn_list[3].{field}"


def test_page_with_has_next_but_no_items_is_rejected():
    with pytest.raises(RecordError):
        parse_page(
            {"has_next": True, "order_sn_list": []}, "order_sn_list", parse_order, page=1, page_size=100
        )
    page = parse_page(
        {"total_count": 250, "goods_list": []}, "goods_list", parse_goods, page=3, page_size=100
    )
    assert isinstance(page, Page) and page.has_next is False and page.total_count == 250
    page = parse_page(
        {"total_count": 250, "refund_list": []}, "refund_list", parse_refund, page=2, page_size=100
    )
    assert page.has_next is True  # derived from total_count: no error, the engine's count check decides


def test_order_status_accepts_camel_case():
    s = parse_order_status({"orderSn": "180810-364770100011509", "order_status": 0, "refund_status": 1})
    assert s.order_sn == "180810-364770100011509" and s.order_status == 0


# --------------------------------------------------------------------------- goods, couriers, tokens


def test_goods_list_and_detail_shapes():
    listed = parse_goods(
        {
            "goods_id": 1001,
            "goods_name": "T恤",
            "is_onsale": 1,
            "goods_quantity": 30,
            "created_at": 1700000000,
            "sku_list": [
                {
                    "sku_id": 11,
                    "spec": "黑色 XL",
                    "sku_quantity": 30,
                    "is_sku_onsale": 1,
                    "outer_id": "T-BK-XL",
                }
            ],
        }
    )
    assert listed.is_onsale and listed.quantity == 30 and listed.skus[0].outer_id == "T-BK-XL"
    assert listed.skus[0].single_price_fen is None and listed.created_at == 1700000000
    detail = parse_goods(
        {
            "goods_id": 1001,
            "goods_name": "T恤",
            "status": 2,
            "market_price": 5900,
            "sku_list": [
                {
                    "sku_id": 11,
                    "out_sku_sn": "T-BK-XL",
                    "price": 3990,
                    "multi_price": 2990,
                    "quantity": 7,
                    "is_onsale": 1,
                    "weight": 250,
                    "spec": [
                        {"parent_name": "颜色", "spec_name": "黑色"},
                        {"parent_name": "尺码", "spec_name": "XL"},
                    ],
                }
            ],
        }
    )
    sku = detail.skus[0]
    assert not detail.is_onsale and detail.market_price_fen == 5900 and detail.quantity == 7
    assert (sku.single_price_fen, sku.group_price_fen, sku.spec, sku.weight_g) == (
        3990,
        2990,
        "颜色:黑色,尺码:XL",
        250,
    )
    with pytest.raises(RecordError) as info:
        parse_goods({"goods_id": 1, "goods_name": "x", "sku_list": [{"sku_id": 1, "price": Decimal("39.9")}]})
    assert info.value.field == "sku_list[0].price"


def test_courier_and_token():
    c = parse_courier({"id": 115, "logistics_company": "中通快递", "code": "ZTO", "available": 1})
    assert (c.id, c.logistics_company, c.code, c.available) == (115, "中通快递", "ZTO", True)
    t = parse_token(
        {"access_token": "AT", "refresh_token": "RT", "expires_in": 3600, "owner_id": "100"}, now=1000
    )
    assert t.expires_at == 4600 and t.owner_id == "100"
    assert "AT" not in repr(t) and "RT" not in repr(t)


def test_record_error_redacts_phones_in_the_value():
    with pytest.raises(RecordError) as info:
        to_epoch("13876771234 x", "receive_time")
    assert "13876771234" not in str(info.value)
