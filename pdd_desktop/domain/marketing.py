"""营销 rules: coupon and 限时限量购 states, their Chinese names, and input checks (pure).

Platform facts (pdd-open-api.md §7, merchant-data.md §6, and the SDK sources named in
``services/sync/areas/marketing.py``): coupon ``batch_status`` 1 领取中 / 2 已领完 / 3 已结束 /
4 已暂停 (goods coupons); 限时限量购 ``activity_type`` 3 限量折扣 / 12 限时折扣, ``status`` 1 未开始,
2 进行中, 3 结束(系统), 4 结束(商家), 5 提前结束, 6 处罚中; ``discount`` in ‰ (300 = 3折);
每人限购 0 = no limit; 每人限领 −1 = no limit.
"""

from __future__ import annotations

from pdd_desktop.domain.errors import ValidationError

COUPON_STATUS = {0: "待上传", 1: "领取中", 2: "已领完", 3: "已结束", 4: "已暂停"}
DISCOUNT_STATUS = {
    0: "待上传",
    1: "未开始",
    2: "进行中",
    3: "已结束",
    4: "已结束",
    5: "已提前结束",
    6: "处罚中",
}
DISCOUNT_TYPES = {3: "限量折扣", 12: "限时折扣"}
COUPON_KINDS = {"shop": "店铺券", "goods": "商品券"}
#: A local plan's state: recorded here, set up by the merchant in the platform's backend.
PLAN_LABEL = "需在平台设置"
ENDED_COUPON = 3
ENDED_DISCOUNT = frozenset((3, 4, 5))

#: Words of a 报名记录 state whose goods never ran in the activity: not approved yet (审核中,
#: 待缴活动保证金, 营销账户待充值, 待确认排期, 寄样及寄样审核), refused (报名被驳回, 未通过, 失败) or
#: withdrawn (取消, 撤销). States from merchant-data.md §6 [C RPA]; 报名成功, 降低活动价格 and
#: 活动下线 (it ran until taken off) count.
_NOT_RUN_WORDS = ("驳回", "失败", "未通过", "取消", "撤销", "审核", "待", "寄样")

MAX_QUANTITY = 10_000_000
MAX_AMOUNT_FEN = 100_000_000  #: 100 万元
_MAX_YUAN = f"{MAX_AMOUNT_FEN // 100:,}"
MAX_NAME = 60


def coupon_state_label(origin: str, status: int, ended_at: int | None) -> str:
    """What the list shows for a coupon's state."""
    if origin == "plan":
        return "已结束（计划）" if ended_at else PLAN_LABEL
    return COUPON_STATUS.get(status, f"状态{status}")


def discount_state_label(origin: str, status: int, ended_at: int | None) -> str:
    """What the list shows for a 限时限量购's state."""
    if origin == "plan":
        return "已结束（计划）" if ended_at else PLAN_LABEL
    return DISCOUNT_STATUS.get(status, f"状态{status}")


def registration_ran(state: str) -> bool:
    """Whether a registration in 报名记录 state ``state`` took part in its activity (its orders count)."""
    text = (state or "").strip()
    return bool(text) and not any(word in text for word in _NOT_RUN_WORDS)


def check_name(name: str) -> str:
    """A campaign name: not empty, at most :data:`MAX_NAME` characters."""
    text = (name or "").strip()
    if not text:
        raise ValidationError("名称", "不能为空")
    if len(text) > MAX_NAME:
        raise ValidationError("名称", f"最多 {MAX_NAME} 个字")
    return text


def check_period(start_at: int, end_at: int, now: int, *, label: str = "活动时间") -> None:
    """End after start, and not already over."""
    if end_at <= start_at:
        raise ValidationError(label, "结束时间必须晚于开始时间")
    if end_at <= now:
        raise ValidationError(label, "结束时间已过")


def check_coupon(*, discount_fen: int, min_order_fen: int, quantity: int, user_limit: int) -> None:
    """Amounts and quantities of a 满减 coupon."""
    if discount_fen <= 0:
        raise ValidationError("优惠金额", "应大于 0 元")
    if discount_fen > MAX_AMOUNT_FEN:
        raise ValidationError("优惠金额", f"不能超过 {_MAX_YUAN} 元")
    if min_order_fen < 0:
        raise ValidationError("使用门槛", "不能为负数")
    if min_order_fen > MAX_AMOUNT_FEN:
        raise ValidationError("使用门槛", f"不能超过 {_MAX_YUAN} 元")
    if min_order_fen and discount_fen >= min_order_fen:
        raise ValidationError("优惠金额", "必须小于使用门槛（满 X 减 Y 中 Y < X）")
    if not 0 < quantity <= MAX_QUANTITY:
        raise ValidationError("发行数量", f"应在 1 到 {MAX_QUANTITY:,} 之间")
    if user_limit != -1 and not 0 < user_limit <= 100:
        raise ValidationError("每人限领", "应在 1 到 100 张之间（不限填 -1）")


def check_discount(
    *,
    activity_type: int,
    discount_permille: int | None,
    sku_prices: dict[int, int],
    quantity: int,
    user_limit: int,
) -> None:
    """A 限时限量购's type, its discount or SKU prices, stock and per-buyer limit."""
    if activity_type not in DISCOUNT_TYPES:
        raise ValidationError("活动类型", "应为 限时折扣 或 限量折扣")
    if discount_permille is None and not sku_prices:
        raise ValidationError("折扣", "请填写折扣或规格活动价")
    if discount_permille is not None and not 10 <= discount_permille <= 990:
        raise ValidationError("折扣", "应在 0.1 折到 9.9 折之间")
    for sku_id, fen in sku_prices.items():
        if fen <= 0:
            raise ValidationError("活动价", f"规格 {sku_id} 的活动价应大于 0 元")
        if fen > MAX_AMOUNT_FEN:
            raise ValidationError("活动价", f"规格 {sku_id} 的活动价不能超过 {_MAX_YUAN} 元")
    if activity_type == 3 and quantity <= 0:
        raise ValidationError("活动库存", "限量折扣必须填写活动库存")
    if quantity < 0 or quantity > MAX_QUANTITY:
        raise ValidationError("活动库存", f"应在 0 到 {MAX_QUANTITY:,} 之间")
    if not 0 <= user_limit <= 1000:
        raise ValidationError("每人限购", "应在 0 到 1000 之间（0 为不限购）")


def permille_price(group_price_fen: int, permille: int) -> int:
    """The activity price of a 拼单价 at ``permille`` ‰ (rounded half up to the fen)."""
    return (group_price_fen * permille + 500) // 1000
