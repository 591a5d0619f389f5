import pytest

from pdd_desktop.domain import catalogue as cat
from pdd_desktop.domain.after_sales import STATUS_TABLE
from pdd_desktop.domain.errors import ValidationError
from pdd_desktop.domain.orders import OrderStatus, RefundStatus
from pdd_desktop.domain.shipping import (
    REFUND_OPEN_CODES,
    check_tracking_number,
    merge_key,
    merge_refusal,
    ship_block_reason,
)


@pytest.mark.parametrize("refund", list(RefundStatus))
@pytest.mark.parametrize("status", list(OrderStatus))
def test_guard_over_every_status_and_refund_status(status, refund):
    guard = ship_block_reason(status, refund, 0)
    if status == OrderStatus.TO_SHIP and refund == RefundStatus.NONE:
        assert guard.allowed and guard.reason is None and not guard.overridable
        return
    assert not guard.allowed
    if status == OrderStatus.UNPAID:
        assert "待支付" in guard.reason and not guard.overridable
    elif status == OrderStatus.CANCELLED:
        assert "已取消" in guard.reason and not guard.overridable
    elif status in (OrderStatus.SHIPPED, OrderStatus.SIGNED):
        assert "修改发货" in guard.reason and not guard.overridable
    else:  # TO_SHIP with an after-sales refund state
        assert guard.overridable
        expected = {
            RefundStatus.IN_PROGRESS: "售后处理中",
            RefundStatus.REFUNDING: "退款中",
            RefundStatus.REFUNDED: "已退款成功",
        }[refund]
        assert expected in guard.reason


@pytest.mark.parametrize("code", [0, *sorted(STATUS_TABLE)])
def test_after_sales_codes_on_a_to_ship_order(code):
    guard = ship_block_reason(OrderStatus.TO_SHIP, RefundStatus.NONE, code)
    refund_asked = code in (2, 3, 4, 5, 7, 8, 31, 10)
    assert guard.allowed is not refund_asked
    if refund_asked:
        assert guard.overridable


def test_refund_open_codes_are_refund_cases():
    assert {2, 3, 4, 5} <= REFUND_OPEN_CODES
    assert not REFUND_OPEN_CODES & {0, 6, 9, 11, 12, 13, 14, 16, 21, 25, 32}


def test_unknown_status_never_ships():
    guard = ship_block_reason(9, 1, 0)
    assert not guard.allowed and not guard.overridable and "未知" in guard.reason


ZTO = next(c for c in cat.COURIERS if c.code == "ZTO")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("73 1234 5678 9012", "73123456789012"),
        ("\t73123456789012\n", "73123456789012"),
        ("７３１２３４５６７８９０１２", "73123456789012"),  # full-width digits from a Chinese IME
        ("73123456789012\u3000", "73123456789012"),
    ],
)
def test_tracking_number_is_normalised(raw, expected):
    assert check_tracking_number(ZTO.pattern, raw, ZTO.name) == expected


def test_tracking_number_upper_cased_without_pattern():
    assert check_tracking_number("", " yt12-ab ") == "YT12-AB"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("", "不能为空"),
        ("   ", "不能为空"),
        ("7312345678901#", "不允许的字符“#”"),
        ("73123456789012" * 3, "太长"),
        ("12345", "不符合中通快递的单号格式"),
        ("YT1234567890123", "不符合中通快递的单号格式"),
    ],
)
def test_bad_tracking_numbers_name_the_field_and_reason(raw, message):
    with pytest.raises(ValidationError, match=message) as info:
        check_tracking_number(ZTO.pattern, raw, ZTO.name)
    assert info.value.field == "快递单号"
    assert str(info.value).startswith("快递单号：")


def test_pattern_mismatch_without_courier_name():
    with pytest.raises(ValidationError, match="不符合该快递公司的单号格式"):
        check_tracking_number(r"^SF\d{13}$", "SF1")


@pytest.mark.parametrize("courier", cat.COURIERS, ids=lambda c: c.code)
def test_generated_numbers_pass_their_own_courier(courier):
    for serial in range(5):
        number = cat.tracking_number(courier, serial, 12345)
        assert check_tracking_number(courier.pattern, number, courier.name) == number


def _key(**over):
    base = dict(
        status=1,
        refund_status=1,
        after_sales_status=0,
        buyer_key="b1",
        receiver_name="张三",
        receiver_phone="13800000000",
        province="浙江省",
        city="杭州市",
        district="西湖区",
        town="",
        address_detail="文三路1号",
    )
    base.update(over)
    return merge_key(**base)


def test_merge_key_same_receiver_same_buyer():
    assert _key() == _key() is not None
    assert merge_refusal([_key(), _key(), _key()]) is None


@pytest.mark.parametrize(
    "field",
    ["receiver_name", "receiver_phone", "province", "city", "district", "town", "address_detail"],
)
def test_any_receiver_difference_prevents_merging(field):
    other = _key(**{field: "不同"})
    assert other is not None and other != _key()
    assert "收货人或收货地址" in merge_refusal([_key(), other])


def test_other_buyer_prevents_merging():
    assert "同一买家" in merge_refusal([_key(), _key(buyer_key="b2")])


@pytest.mark.parametrize(
    "over",
    [
        {"status": 0},
        {"status": 2},
        {"status": 3},
        {"status": 4},
        {"refund_status": 2},
        {"refund_status": 4},
        {"after_sales_status": 2},
        {"buyer_key": ""},
        {"receiver_name": ""},
    ],
)
def test_not_mergeable_orders_have_no_key(over):
    assert _key(**over) is None
    assert "不能合并" in merge_refusal([_key(), _key(**over)])


def test_merge_needs_two_orders():
    assert "至少需要两个" in merge_refusal([_key()])
