"""Orders (订单) and their items: every field product.md lists, money in fen, times UTC."""

from __future__ import annotations

from peewee import (
    AutoField,
    BigIntegerField,
    BooleanField,
    CharField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from pdd_desktop.data.models.base import BaseModel, MoneyField, TimeField


class Order(BaseModel):
    """One order; ``order_sn`` is the platform's number, ``id`` the local key used by links."""

    id = AutoField()
    order_sn = CharField(unique=True)  #: 订单号, e.g. 261123-123456789012345

    # --- states (see domain.orders) ---
    status = IntegerField()  #: OrderStatus
    confirm_status = IntegerField(default=1)  #: 0 未成交, 1 已成交, 2 已取消
    group_status = IntegerField(default=1)  #: 0 拼团中, 1 已成团, 2 未成团
    refund_status = IntegerField(default=1)  #: 1 无售后, 2 售后处理中, 3 退款中, 4 退款成功
    after_sales_status = IntegerField(default=0)  #: latest case's platform code; 0 none
    trade_type = IntegerField(default=0)  #: 0 普通, 1 定金
    is_lucky = BooleanField(default=False)  #: 抽奖 / 0元试用
    risk_control_status = IntegerField(default=0)  #: 0 正常, 1 审核中
    is_pre_sale = BooleanField(default=False)

    # --- buyer ---
    buyer_key = CharField(default="")  #: stable pseudonymous buyer id, for repeat-buyer analysis
    buyer_nickname = CharField(default="")
    buyer_memo = TextField(default="")  #: 买家留言

    # --- seller notes (local edits go to the outbox) ---
    seller_memo = TextField(default="")  #: 商家备注
    flag = IntegerField(null=True)  #: Flag 1..5 (remark_tag); NULL = none
    flag_name = CharField(default="")

    # --- money, fen ---
    goods_amount_fen = MoneyField()  #: 商品总价
    postage_fen = MoneyField()  #: 邮费
    platform_discount_fen = MoneyField()  #: 平台优惠
    seller_discount_fen = MoneyField()  #: 店铺优惠
    change_amount_fen = MoneyField()  #: 改价 (order_change_amount)
    pay_reduction_fen = MoneyField()  #: 多多支付立减
    pay_amount_fen = MoneyField()  #: 用户实付
    merchant_receive_fen = MoneyField()  #: 商家实收
    item_count = IntegerField(default=1)  #: 商品数量(件), total units

    # --- times, UTC epoch seconds ---
    created_at = TimeField()  #: 下单
    paid_at = TimeField()  #: 支付
    confirmed_at = TimeField()  #: 成交
    group_formed_at = TimeField()  #: 拼单成功
    ship_deadline_at = TimeField()  #: 承诺发货时间 (last_ship_time)
    shipped_at = TimeField()
    signed_at = TimeField()  #: 确认收货
    cancelled_at = TimeField()

    # --- receiver (personal data; the *_mask twins are what lists and exports show) ---
    receiver_name = CharField(default="")
    receiver_phone = CharField(default="")
    province = CharField(default="")
    city = CharField(default="")
    district = CharField(default="")
    town = CharField(default="")
    address_detail = TextField(default="")  #: street part, without province/city/district
    receiver_name_mask = CharField(default="")
    receiver_phone_mask = CharField(default="")
    address_mask = TextField(default="")

    # --- local state on top of the platform's ---
    print_count = IntegerField(default=0)  #: labels printed; >0 shows 已打印
    last_printed_at = TimeField()
    pending_ops = IntegerField(default=0)  #: outbox ops not yet acknowledged (待上传)
    has_conflict = BooleanField(default=False)  #: 冲突

    # --- sync bookkeeping ---
    platform_updated_at = TimeField()  #: updated_at on the platform: the upsert version
    local_updated_at = TimeField()
    remote_hash = CharField(null=True)
    remote_missing_since = TimeField()
    source = CharField(default="demo", max_length=8)  #: demo / api / file

    class Meta:
        # One index per order-list filter and per home counter (sync.md, issue "Foundation").
        indexes = (
            (("status", "ship_deadline_at"), False),  # tabs, 即将超时 / 已超时, urgency sort
            (
                ("paid_at", "pay_amount_fen", "buyer_key"),
                False,
            ),  # time ranges; today/7-day figures (covering)
            (("created_at",), False),
            (("buyer_key", "paid_at"), False),  # repeat buyers
            (("buyer_nickname",), False),
            (("receiver_phone",), False),
            (("receiver_name",), False),
            (("refund_status", "status"), False),  # 有售后
            (("flag",), False),
            (("print_count", "status"), False),  # 未打印
            (("pending_ops",), False),  # 待上传
            (("platform_updated_at",), False),  # sync
            # Schema v2: one (status, sort column) index per order-list sort (no temp B-tree).
            (("status", "created_at"), False),
            (("status", "paid_at"), False),
            (("status", "pay_amount_fen"), False),
            (("pay_amount_fen",), False),  # 全部 sorted by amount
        )
        # Not a model: the FTS5 table "order_sn_fts" (trigram over order_sn, rowid = id) and its
        # sync triggers live in data/schema_v002.py; queries/orders.py searches it. The partial
        # memo index is added below the class.


# Schema v2: memo search reads only the orders that have a memo (a partial, covering index).
Order.add_index(
    Order.index(
        Order.buyer_memo,
        Order.seller_memo,
        name="order_memo",
        where=(Order.buyer_memo != "") | (Order.seller_memo != ""),
    )
)


class OrderItem(BaseModel):
    """A line of an order: a trade snapshot of the goods and SKU at the time of sale."""

    id = AutoField()
    order = ForeignKeyField(Order, backref="items", on_delete="CASCADE", column_name="order_id")
    goods_id = BigIntegerField(index=True)
    sku_id = BigIntegerField(index=True)
    goods_name = CharField()
    spec = CharField(default="")
    outer_id = CharField(default="", index=True)  #: SKU seller code at the time of sale
    outer_goods_id = CharField(default="")
    quantity = IntegerField()
    unit_price_fen = MoneyField()  #: goods_price, per unit
