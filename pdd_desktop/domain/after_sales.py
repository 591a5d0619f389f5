"""After-sales types and states: the platform's codes, grouped the way the merchant thinks."""

from __future__ import annotations

from enum import IntEnum


class AfterSaleType(IntEnum):
    """Type codes of the detail API (``pdd.refund.information.get``)."""

    REFUND_ONLY = 1  #: 仅退款
    RETURN_REFUND = 2  #: 退货退款
    EXCHANGE = 3  #: 换货
    RESEND = 4  #: 补寄
    REPAIR = 5  #: 维修

    @property
    def label(self) -> str:
        return ("仅退款", "退货退款", "换货", "补寄", "维修")[self - 1]


class AfterSaleGroup(IntEnum):
    """States grouped for the user (product.md 售后)."""

    WAITING_ME = 1  #: 待处理
    WAITING_BUYER_RETURN = 2  #: 待买家退货
    RETURN_ON_THE_WAY = 3  #: 待收货
    REFUNDING = 4  #: 退款中
    DONE = 5  #: 已完成
    CLOSED = 6  #: 已拒绝/已关闭
    PLATFORM = 7  #: 平台介入

    @property
    def label(self) -> str:
        return ("待处理", "待买家退货", "待收货", "退款中", "已完成", "已拒绝/已关闭", "平台介入")[self - 1]


#: Platform ``after_sales_status`` code → (label, group). Codes from pdd.refund.list.increment.get.
STATUS_TABLE: dict[int, tuple[str, AfterSaleGroup]] = {
    2: ("买家申请退款，待商家处理", AfterSaleGroup.WAITING_ME),
    3: ("退货退款，待商家处理", AfterSaleGroup.WAITING_ME),
    4: ("商家同意退款，退款中", AfterSaleGroup.REFUNDING),
    5: ("平台同意退款，退款中", AfterSaleGroup.REFUNDING),
    6: ("驳回退款，待买家处理", AfterSaleGroup.CLOSED),
    7: ("已同意退货退款，待用户发货", AfterSaleGroup.WAITING_BUYER_RETURN),
    8: ("平台处理中", AfterSaleGroup.PLATFORM),
    9: ("平台拒绝退款，退款关闭", AfterSaleGroup.CLOSED),
    10: ("退款成功", AfterSaleGroup.DONE),
    11: ("买家撤销", AfterSaleGroup.CLOSED),
    12: ("买家逾期未处理，退款失败", AfterSaleGroup.CLOSED),
    13: ("买家逾期，超过有效期", AfterSaleGroup.CLOSED),
    14: ("换货补寄待商家处理", AfterSaleGroup.WAITING_ME),
    15: ("换货补寄待用户处理", AfterSaleGroup.WAITING_BUYER_RETURN),
    16: ("换货补寄成功", AfterSaleGroup.DONE),
    17: ("换货补寄失败", AfterSaleGroup.CLOSED),
    18: ("换货补寄待用户确认完成", AfterSaleGroup.WAITING_BUYER_RETURN),
    21: ("待商家同意维修", AfterSaleGroup.WAITING_ME),
    22: ("待用户确认发货", AfterSaleGroup.WAITING_BUYER_RETURN),
    24: ("维修关闭", AfterSaleGroup.CLOSED),
    25: ("维修成功", AfterSaleGroup.DONE),
    27: ("待用户确认收货", AfterSaleGroup.RETURN_ON_THE_WAY),
    31: ("已同意拒收退款，待用户拒收", AfterSaleGroup.WAITING_BUYER_RETURN),
    32: ("补寄待商家发货", AfterSaleGroup.WAITING_ME),
    33: ("待商家召回", AfterSaleGroup.WAITING_ME),
}

#: Codes that wait for the merchant's decision (the home page's 待处理售后).
WAITING_ME_CODES: tuple[int, ...] = tuple(
    code for code, (_, group) in STATUS_TABLE.items() if group == AfterSaleGroup.WAITING_ME
)
#: Codes that are over, one way or the other.
TERMINAL_CODES: tuple[int, ...] = tuple(
    code for code, (_, group) in STATUS_TABLE.items() if group in (AfterSaleGroup.DONE, AfterSaleGroup.CLOSED)
)

#: Hours the platform gives the merchant before deciding automatically (setting default).
DEFAULT_RESPONSE_HOURS = 48


def status_label(code: int) -> str:
    """Chinese label of a platform status code."""
    return STATUS_TABLE.get(code, (f"未知状态 {code}", AfterSaleGroup.PLATFORM))[0]


def status_group(code: int) -> AfterSaleGroup:
    """The user-facing group of a platform status code."""
    return STATUS_TABLE.get(code, ("", AfterSaleGroup.PLATFORM))[1]
