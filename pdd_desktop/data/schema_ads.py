"""Schema step: the ad reports (推广, issue 20). Frozen once released: never edit.

- ``ad_report_row``: one row of the platform's 推广商品 export per Beijing day (``day``, the day
  number of ``data/aggregates.py``), 推广场景, 推广名称 and goods, with its money in fen (spend =
  总花费 or the file's only spend column; 成交花费 kept apart), 交易额, 净交易额 (NULL when the file
  had no such column), 成交笔数, 曝光/点击 (NULL when absent), and the import batch that last
  wrote it. A later file's row for the same key replaces it (a re-export of a day that grew).

New table only: nothing to back-fill.
"""

#: DDL, in order.
STATEMENTS: tuple[str, ...] = (
    'CREATE TABLE "ad_report_row" ("id" INTEGER NOT NULL PRIMARY KEY, "day" INTEGER NOT NULL, '
    '"scene" VARCHAR(255) NOT NULL, "plan_name" VARCHAR(255) NOT NULL, "goods_id" INTEGER NOT NULL, '
    '"goods_name" TEXT NOT NULL, "bid" VARCHAR(255) NOT NULL, "spend_fen" INTEGER NOT NULL, '
    '"deal_spend_fen" INTEGER NOT NULL, "gmv_fen" INTEGER NOT NULL, "net_gmv_fen" INTEGER, '
    '"orders" INTEGER NOT NULL, "impressions" INTEGER, "clicks" INTEGER, "batch_id" INTEGER, '
    '"imported_at" INTEGER NOT NULL)',
    'CREATE UNIQUE INDEX "ad_report_row_day_scene_plan_name_goods_id" ON "ad_report_row" '
    '("day", "scene", "plan_name", "goods_id")',
    'CREATE INDEX "ad_report_row_goods_id_day" ON "ad_report_row" ("goods_id", "day")',
)
