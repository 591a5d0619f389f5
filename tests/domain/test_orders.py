import pytest

from pdd_desktop.domain.after_sales import WAITING_ME_CODES, AfterSaleGroup, status_group
from pdd_desktop.domain.orders import OrderStatus, can_ship, promise_hours, ship_deadline


@pytest.mark.parametrize("status", list(OrderStatus))
def test_only_to_ship_orders_can_ship(status):
    assert can_ship(status) is (status == OrderStatus.TO_SHIP)


def test_promise_hours_and_fast_ship():
    assert promise_hours(None, fast_ship=False) == 48
    assert promise_hours(72, fast_ship=False) == 72
    assert promise_hours(72, fast_ship=True) == 24
    assert promise_hours(12, fast_ship=True) == 12
    assert ship_deadline(1000, 48) == 1000 + 48 * 3600


def test_status_labels_are_chinese():
    assert [s.label for s in OrderStatus] == ["待支付", "待发货", "已发货", "已完成", "已取消"]


def test_waiting_me_codes_are_the_merchant_decisions():
    assert {2, 3, 14, 21, 32, 33} == set(WAITING_ME_CODES)
    assert status_group(10) == AfterSaleGroup.DONE
    assert status_group(8) == AfterSaleGroup.PLATFORM
