"""How 工作台 and 数据 → 经营概况 show a buyer count (支付买家 / 买家数), so the two agree.

Orders from files and from the platform's order APIs carry no buyer identity (``buyer_key``
''), so buyers are distinct *known* buyers. A period whose paid orders all lack one shows "—"
(a 0 would read as "nobody bought"); one where some lack it shows the known count, and the
tooltip says how many orders were left out.
"""

from __future__ import annotations

from pdd_desktop.ui.i18n import tr

NO_BUYER = "—"


def buyer_figure(buyers: int, orders: int, unknown_orders: int) -> tuple[str, str]:
    """Return (text, tooltip) for a period's buyer count.

    Args:
        buyers: distinct known buyers of the period.
        orders: paid orders of the period.
        unknown_orders: of them, orders without buyer identity.
    """
    if orders and not buyers and unknown_orders:
        return NO_BUYER, tr("订单文件和平台接口都不提供买家标识，无法统计买家数")
    if unknown_orders:
        return f"{buyers:,}", tr("另有 {n:,} 单没有买家标识，未计入").format(n=unknown_orders)
    return f"{buyers:,}", ""
