"""Schema step: 营销 (coupon batches, 限时限量购, activity registrations). Frozen once released.

- ``coupon``: one coupon batch. ``batch_id`` is the platform's id (NULL until the create op
  reached the platform, and for a local plan); ``origin`` ``platform`` (synced or created
  through the outbox) or ``plan`` (recorded here, set up by the merchant in the backend: 需在平台设置).
  ``kind`` ``shop`` (店铺券) or ``goods`` (商品券, ``goods_id`` set); ``discount_type`` 1 满减
  (``discount_fen``) / 2 折扣 (``discount_rate`` as the platform sends it); ``status`` the
  platform's batch_status (1 领取中, 2 已领完, 3 已结束, 4 已暂停), 0 = not on the platform.
- ``limited_discount`` (限时限量购, one goods each as the platform's create API takes them) and
  its ``limited_discount_sku`` activity prices in fen; ``status`` 1 未开始 … 6 处罚中, 0 = not on
  the platform.
- ``activity_registration`` (报名记录, one per activity × goods, from the platform's export)
  and its ``activity_registration_sku`` activity prices.
"""

#: DDL, in order.
STATEMENTS: tuple[str, ...] = (
    'CREATE TABLE "coupon" ("id" INTEGER NOT NULL PRIMARY KEY, "local_ref" VARCHAR(64) NOT NULL, '
    '"batch_id" VARCHAR(64), "origin" VARCHAR(16) NOT NULL, "kind" VARCHAR(16) NOT NULL, '
    '"name" VARCHAR(255) NOT NULL, "goods_id" INTEGER, "discount_type" INTEGER NOT NULL, '
    '"discount_fen" INTEGER NOT NULL, "discount_rate" INTEGER NOT NULL, "min_order_fen" INTEGER NOT NULL, '
    '"init_quantity" INTEGER NOT NULL, "remain_quantity" INTEGER NOT NULL, "used_quantity" INTEGER NOT NULL, '
    '"user_limit" INTEGER NOT NULL, "start_at" INTEGER NOT NULL, "end_at" INTEGER NOT NULL, '
    '"status" INTEGER NOT NULL, "source_type" INTEGER NOT NULL, "pending_ops" INTEGER NOT NULL, '
    '"ended_at" INTEGER, "created_at" INTEGER NOT NULL, "platform_updated_at" INTEGER)',
    'CREATE UNIQUE INDEX "coupon_local_ref" ON "coupon" ("local_ref")',
    'CREATE UNIQUE INDEX "coupon_batch_id" ON "coupon" ("batch_id")',
    'CREATE TABLE "limited_discount" ("id" INTEGER NOT NULL PRIMARY KEY, "local_ref" VARCHAR(64) NOT NULL, '
    '"activity_id" VARCHAR(64), "detail_id" VARCHAR(64), "origin" VARCHAR(16) NOT NULL, '
    '"activity_type" INTEGER NOT NULL, "name" VARCHAR(255) NOT NULL, "goods_id" INTEGER NOT NULL, '
    '"discount_permille" INTEGER, "quantity" INTEGER NOT NULL, "remain_quantity" INTEGER NOT NULL, '
    '"user_limit" INTEGER NOT NULL, "start_at" INTEGER NOT NULL, "end_at" INTEGER NOT NULL, '
    '"status" INTEGER NOT NULL, "pending_ops" INTEGER NOT NULL, "ended_at" INTEGER, '
    '"created_at" INTEGER NOT NULL, "platform_updated_at" INTEGER)',
    'CREATE UNIQUE INDEX "limited_discount_local_ref" ON "limited_discount" ("local_ref")',
    'CREATE UNIQUE INDEX "limited_discount_detail_id" ON "limited_discount" ("detail_id")',
    'CREATE INDEX "limited_discount_goods_id" ON "limited_discount" ("goods_id")',
    'CREATE TABLE "limited_discount_sku" ("discount_id" INTEGER NOT NULL, "sku_id" INTEGER NOT NULL, '
    '"activity_price_fen" INTEGER NOT NULL, "group_price_fen" INTEGER NOT NULL, '
    'PRIMARY KEY ("discount_id", "sku_id"), '
    'FOREIGN KEY ("discount_id") REFERENCES "limited_discount" ("id") ON DELETE CASCADE) WITHOUT ROWID',
    'CREATE TABLE "activity_registration" ("id" INTEGER NOT NULL PRIMARY KEY, '
    '"activity_id" VARCHAR(64) NOT NULL, "activity_name" VARCHAR(255) NOT NULL, '
    '"activity_type" VARCHAR(64) NOT NULL, "goods_id" INTEGER NOT NULL, "goods_name" VARCHAR(255) NOT NULL, '
    '"state" VARCHAR(64) NOT NULL, "registered_at" INTEGER, "start_at" INTEGER, "end_at" INTEGER, '
    '"reason" TEXT NOT NULL, "goods_stock" INTEGER, "sold_quantity" INTEGER, "activity_stock" INTEGER, '
    '"min_price_fen" INTEGER, "max_price_fen" INTEGER, "lowest_group_price_fen" INTEGER, '
    '"import_batch_id" INTEGER, "updated_at" INTEGER NOT NULL)',
    'CREATE UNIQUE INDEX "activity_registration_activity_id_goods_id" '
    'ON "activity_registration" ("activity_id", "goods_id")',
    'CREATE TABLE "activity_registration_sku" ("registration_id" INTEGER NOT NULL, '
    '"sku_id" INTEGER NOT NULL, '
    '"activity_price_fen" INTEGER NOT NULL, PRIMARY KEY ("registration_id", "sku_id"), '
    'FOREIGN KEY ("registration_id") REFERENCES "activity_registration" ("id") ON DELETE CASCADE) '
    "WITHOUT ROWID",
)
