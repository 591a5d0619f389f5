"""Schema step: 客服 (issue 21) — reply-rate figures, hours that lose replies, the quick-reply library.

Frozen once released: never edit; a later change is a new step.

- ``cs_metric_day``: one row per Beijing calendar day (``day`` = days since 1970-01-01 in UTC+8,
  as the ``agg_*`` tables) and agent (``agent`` '' = the shop as a whole), from the 客服 data
  exports. Counts as the export gives them (NULL when the export has no such column). Rates are
  exact fractions ``*_num / *_den``, never floats: from counts where the export has them
  (3分钟人工回复率 = (需要人工回复的咨询人数 − 3分钟未回复人数) ÷ 需要人工回复的咨询人数), else the
  printed percentage as a decimal fraction (``85.71%`` = 8571 / 10000). ``r3``/``r30`` are the
  8–23 h window, ``r3_all``/``r30_all`` the whole day. 平均人工响应时长 in milliseconds.
- ``cs_hour``: the shop's consultations needing a human reply per day and hour, with those not
  answered within 3 minutes / 30 seconds (which hours lose replies).
- ``quick_reply``: the merchant's quick replies (group, shortcut, text with ``{变量}``), seeded
  with the templates for the common situations.
"""

_METRIC_DAY = (
    'CREATE TABLE "cs_metric_day" ("day" INTEGER NOT NULL, "agent" VARCHAR(255) NOT NULL, '
    '"consult_users" INTEGER, "inquiry_users" INTEGER, "order_users" INTEGER, "need_human" INTEGER, '
    '"received" INTEGER, "unreplied_3m" INTEGER, "r3_num" INTEGER, "r3_den" INTEGER, '
    '"r30_num" INTEGER, "r30_den" INTEGER, "r3_all_num" INTEGER, "r3_all_den" INTEGER, '
    '"r30_all_num" INTEGER, "r30_all_den" INTEGER, "avg_response_ms" INTEGER, "sales_fen" INTEGER, '
    '"low_rated_orders" INTEGER, "dispute_refunds" INTEGER, "source" VARCHAR(255) NOT NULL, '
    '"imported_at" INTEGER NOT NULL, PRIMARY KEY ("day", "agent")) WITHOUT ROWID'
)

_HOUR = (
    'CREATE TABLE "cs_hour" ("day" INTEGER NOT NULL, "hour" INTEGER NOT NULL, "need_human" INTEGER NOT NULL, '
    '"unreplied_3m" INTEGER NOT NULL, "unanswered_30s" INTEGER NOT NULL, "source" VARCHAR(255) NOT NULL, '
    'PRIMARY KEY ("day", "hour")) WITHOUT ROWID'
)

_QUICK_REPLY = (
    'CREATE TABLE "quick_reply" ("id" INTEGER NOT NULL PRIMARY KEY, "group_name" VARCHAR(255) NOT NULL, '
    '"shortcut" VARCHAR(255), "title" VARCHAR(255) NOT NULL, "body" TEXT NOT NULL, '
    '"position" INTEGER NOT NULL DEFAULT 0, "created_at" INTEGER NOT NULL, "updated_at" INTEGER NOT NULL)'
)

#: The templates for the common situations (issue 21), in the groups the library starts with.
_SEED = (
    ("常用场景", "/yc", "延迟发货致歉",
     "亲，非常抱歉，您的订单 {订单号}（{商品}）因备货原因需要延迟发货，我们会在 {新发货日期} 前为您发出，"
     "发出后第一时间告诉您快递单号。给您添麻烦了，感谢您的耐心等待！"),
    ("常用场景", "/qh", "缺货说明",
     "亲，非常抱歉，您拍下的 {商品} 目前缺货，暂时无法按时发货。您可以换一个款式，"
     "也可以在订单页面申请退款，我们会第一时间同意。给您带来不便，十分抱歉！"),
    ("常用场景", "/dz", "修改地址",
     "亲，收到您修改地址的需求。订单 {订单号} 目前{订单状态}，请在订单页面点「修改地址」提交新地址，"
     "我们确认后按新地址为您发货。"),
    ("常用场景", "/th", "退货说明",
     "亲，请将 {商品} 寄回以下地址：{退货地址}。寄出后请在售后页面填写退货快递单号，"
     "我们收到后会尽快为您处理。请不要使用到付，谢谢！"),
    ("物流", "/wl", "物流查询",
     "亲，您的订单 {订单号} 已由 {快递公司} 发出，快递单号 {快递单号}。最新物流：{最新物流}"),
    ("物流", "/fh", "发货时间",
     "亲，您的订单 {订单号} 我们会在 {发货截止} 前为您发货，请放心。"),
    ("售后", "/tk", "售后进度",
     "亲，您的订单 {订单号} 售后状态：{退款状态}。我们会及时跟进，有结果第一时间告诉您。"),
)


def _seed_rows() -> tuple[str, ...]:
    rows = []
    for pos, (group, shortcut, title, body) in enumerate(_SEED, start=1):
        rows.append(
            'INSERT INTO "quick_reply" ("group_name", "shortcut", "title", "body", "position", "created_at", '
            f"\"updated_at\") VALUES ('{group}', '{shortcut}', '{title}', '{body}', {pos}, 0, 0)"
        )
    return tuple(rows)


#: DDL, in order, then the seeded templates.
STATEMENTS: tuple[str, ...] = (
    _METRIC_DAY,
    'CREATE INDEX "cs_metric_day_agent_day" ON "cs_metric_day" ("agent", "day")',
    _HOUR,
    _QUICK_REPLY,
    'CREATE UNIQUE INDEX "quick_reply_shortcut" ON "quick_reply" ("shortcut")',
    'CREATE INDEX "quick_reply_group_name_position" ON "quick_reply" ("group_name", "position")',
    *_seed_rows(),
)
