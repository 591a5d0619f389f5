"""营销: coupon batches, 限时限量购 discounts and activity registrations (schema ``schema_marketing``)."""

from __future__ import annotations

from peewee import AutoField, BigIntegerField, CharField, CompositeKey, IntegerField, TextField

from pdd_desktop.data.models.base import BaseModel, MoneyField, TimeField


class Coupon(BaseModel):
    """One coupon batch (优惠券批次): synced, created through the outbox, or a local plan."""

    ORIGIN_PLATFORM = "platform"
    ORIGIN_PLAN = "plan"  #: recorded here only; the merchant sets it up in the backend

    id = AutoField()
    local_ref = CharField(max_length=64, unique=True)  #: the app's id, also the outbox entity id
    batch_id = CharField(max_length=64, null=True, unique=True)  #: the platform's batch id
    origin = CharField(max_length=16)
    kind = CharField(max_length=16)  #: ``shop`` 店铺券 / ``goods`` 商品券
    name = CharField()
    goods_id = BigIntegerField(null=True)
    discount_type = IntegerField()  #: 1 满减, 2 折扣
    discount_fen = MoneyField(default=None)  #: 满减 amount
    discount_rate = IntegerField()  #: 折扣 as the platform sends it (0 for 满减)
    min_order_fen = MoneyField(default=None)  #: 满 X (0: no threshold)
    init_quantity = IntegerField()
    remain_quantity = IntegerField()
    used_quantity = IntegerField()
    user_limit = IntegerField()  #: per buyer, -1 = unlimited
    start_at = TimeField(null=False)
    end_at = TimeField(null=False)
    status = IntegerField()  #: batch_status 1 领取中 2 已领完 3 已结束 4 已暂停; 0 not on the platform
    source_type = IntegerField()
    pending_ops = IntegerField()
    ended_at = TimeField()
    created_at = TimeField(null=False)
    platform_updated_at = TimeField()


class LimitedDiscount(BaseModel):
    """One 限时限量购 activity of one goods."""

    id = AutoField()
    local_ref = CharField(max_length=64, unique=True)
    activity_id = CharField(max_length=64, null=True)
    detail_id = CharField(max_length=64, null=True, unique=True)  #: what the cancel API takes
    origin = CharField(max_length=16)
    activity_type = IntegerField()  #: 3 限量折扣, 12 限时折扣
    name = CharField()
    goods_id = BigIntegerField(index=True)
    discount_permille = IntegerField(null=True)  #: 300 = 3折; NULL when set by SKU prices
    quantity = IntegerField()  #: 活动库存
    remain_quantity = IntegerField()
    user_limit = IntegerField()  #: 0 = no limit
    start_at = TimeField(null=False)
    end_at = TimeField(null=False)
    status = IntegerField()  #: 1 未开始 2 进行中 3/4/5 结束 6 处罚中; 0 not on the platform
    pending_ops = IntegerField()
    ended_at = TimeField()
    created_at = TimeField(null=False)
    platform_updated_at = TimeField()


class LimitedDiscountSku(BaseModel):
    """A SKU's activity price in a 限时限量购 activity."""

    discount_id = IntegerField()
    sku_id = BigIntegerField()
    activity_price_fen = MoneyField(default=None)
    group_price_fen = MoneyField(default=None)  #: the 拼单价 the activity started from

    class Meta:
        primary_key = CompositeKey("discount_id", "sku_id")
        without_rowid = True


class ActivityRegistration(BaseModel):
    """One goods registered for a platform activity (报名记录), from the platform's export."""

    id = AutoField()
    activity_id = CharField(max_length=64)
    activity_name = CharField()
    activity_type = CharField(max_length=64)
    goods_id = BigIntegerField()
    goods_name = CharField()
    state = CharField(max_length=64)  #: 审核中, 报名成功, 报名被驳回 … as the export writes it
    registered_at = TimeField()
    start_at = TimeField()
    end_at = TimeField()
    reason = TextField()  #: 驳回/取消原因
    goods_stock = IntegerField(null=True)
    sold_quantity = IntegerField(null=True)
    activity_stock = IntegerField(null=True)
    min_price_fen = IntegerField(null=True)
    max_price_fen = IntegerField(null=True)
    lowest_group_price_fen = IntegerField(null=True)
    import_batch_id = IntegerField(null=True)
    updated_at = TimeField(null=False)

    class Meta:
        indexes = ((("activity_id", "goods_id"), True),)


class ActivityRegistrationSku(BaseModel):
    """A SKU's activity price in a registration."""

    registration_id = IntegerField()
    sku_id = BigIntegerField()
    activity_price_fen = MoneyField(default=None)

    class Meta:
        primary_key = CompositeKey("registration_id", "sku_id")
        without_rowid = True
