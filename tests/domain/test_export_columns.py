import pytest

from pdd_desktop.domain import export_columns as ec
from pdd_desktop.domain.orders import OrderStatus


@pytest.mark.parametrize(
    ("text", "fen"), [("12.50", 1250), ("0", 0), ("0.01", 1), ("19.9", 1990), ("1234567.89", 123456789)]
)
def test_money_exact(text, fen):
    assert ec.parse_money(text) == fen


@pytest.mark.parametrize("text", ["12,5", "1.234", "abc", "1e400", "-1.00", "", "NaN", "１２"])
def test_money_rejected(text):
    with pytest.raises(ec.CellError):
        ec.parse_money(text)


def test_time_is_beijing():
    assert ec.parse_time("2026-11-23 20:00:00") == 1_795_435_200
    assert ec.parse_time("2026/11/23 20:00") == 1_795_435_200
    for bad in ("2026-02-30 10:00:00", "2026-11-23 24:00:00", "yesterday", "2026-11-23"):
        with pytest.raises(ec.CellError):
            ec.parse_time(bad)


def test_status_texts_with_full_and_half_width_commas():
    assert ec.parse_order_status("已发货，待签收") == (OrderStatus.SHIPPED, None)
    assert ec.parse_order_status("已发货,待签收") == (OrderStatus.SHIPPED, None)
    assert ec.parse_order_status("未发货，退款成功") == (OrderStatus.CANCELLED, 4)
    assert ec.parse_after_sales("无售后或售后取消") == 1
    with pytest.raises(ec.CellError):
        ec.parse_order_status("已发货待签收?")


@pytest.mark.parametrize("status", list(OrderStatus))
@pytest.mark.parametrize("refund", [1, 2, 3, 4])
def test_export_text_round_trips_without_moving_back(status, refund):
    s, _hint = ec.parse_order_status(ec.order_status_text(status, refund))
    assert not ec.newer_status(status, s)
    assert ec.parse_after_sales(ec.after_sales_text(refund)) == refund


def test_newer_rule():
    assert ec.newer_status(OrderStatus.TO_SHIP, OrderStatus.SHIPPED)
    assert not ec.newer_status(OrderStatus.SHIPPED, OrderStatus.TO_SHIP)
    assert not ec.newer_status(OrderStatus.SIGNED, OrderStatus.CANCELLED)
    assert ec.newer_refund(OrderStatus.SHIPPED, 1, OrderStatus.SHIPPED, 2)
    assert not ec.newer_refund(OrderStatus.SHIPPED, 2, OrderStatus.SHIPPED, 1)


def test_generation_and_kind():
    assert ec.generation(list(ec.OLD_ORDER_HEADER)) == "old"
    assert ec.generation(list(ec.NEW_ORDER_HEADER)) == "new"
    assert ec.detect_kind(list(ec.NEW_ORDER_HEADER)) == "orders"
    assert ec.detect_kind(list(ec.GOODS_HEADER)) == "goods"
    assert ec.detect_kind(["a", "b"]) is None
