"""营销: coupon batches and 限时限量购 pulled from the platform; create / close / cancel pushed.

Platform facts and where they come from:

- ``pdd.promotion.merchant.coupon.list.get`` → ``merchant_coupon_batch_list_response``
  ``{total_size, coupon_batch_list[{id, batch_name, batch_desc, discount_type (1 满减, 2 折扣),
  discount_param (分), init/remain/used_quantity, user_limit (−1 不限), batch_start_time,
  batch_end_time, …}]}`` (pdd-open-api.md §7, NODE yingXiao).
- ``pdd.promotion.goods.coupon.list.get`` → ``goods_coupon_batch_list_response`` (same list shape
  plus ``goods_id``, ``goods_name``, ``min_order_amount``, ``source_type`` 45/54/87/88, ``status``
  1 领取中 2 已领完 3 已结束 4 已暂停; request ``query_range`` 0 = all): the TypeScript SDK's
  ``yingXiao/PddPromotionGoodsCouponListGet`` and the C#/Rust/Java SDKs' response name.
- ``pdd.promotion.goods.coupon.create`` (``goods_id``, ``batch_desc``, ``batch_start_time`` /
  ``batch_end_time`` in **milliseconds**, ``discount`` 分, ``init_quantity``, ``user_limit``) →
  ``goods_coupon_batch_create_response.batch_id`` (TS SDK ``PddPromotionGoodsCouponCreate``).
- ``pdd.promotion.coupon.close`` (``batch_id``) → ``promotion_coupon_batch_close_response.is_success``
  (TS SDK ``PddPromotionCouponClose``; Java/PHP/C# SDKs agree on the name and parameter).
- ``pdd.promotion.limited.discount.list.get`` (``activity_types`` 3/12, ``status_list`` 1…6,
  ``page_no``, ``page_size``) → ``{online_sum, record_sum, open_goods_activity_list[{activity_id,
  activity_name, activity_type, goods_id, start_time, end_time (s), status, price_info[{detail_id,
  discount ‰, activity_quantity, activity_stock_quantity, user_activity_limit,
  open_sku_prices[{sku_id, activity_price, group_price (分)}]}]}]}``; ``.activity.create``
  (``request`` = a list of ``{activity_name, activity_type, goods_id, discount, start_time,
  end_time, quantity, user_activity_limit, sku_price_list[{sku_id, activity_price}]}``) →
  ``result_list[{goods_id, status (0 ok), fail_reason}]``; ``.activity.cancel`` (``detail_id``,
  ``goods_id``) → ``result``: the platform's current doc index (营销API, 7 APIs) and the TS SDK's
  ``yingXiao/PddPromotionLimited*``. **[?] The answers' wrapper keys of these three are in no SDK
  we found**; the names below follow the platform's ``<api without pdd.>_response`` habit and
  are one constant each, to correct against a real answer.

Times in the coupon lists are read as seconds, or milliseconds when larger than 10¹¹ (the create
API takes milliseconds). A pushed create leaves the platform's id in the op's result (the
create's ``batch_id``); the pull links it, or, after an unknown outcome, finds the batch by its
values (goods, amount, quantity, period, description), so a coupon is created once.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pdd_desktop.data.db import database, write_transaction
from pdd_desktop.platform.apis import ApiSpec
from pdd_desktop.platform.errors import BusinessError
from pdd_desktop.platform.records import Page, RecordError, WriteResult
from pdd_desktop.services import marketing as svc
from pdd_desktop.services.sync.plugin import (
    ABSENT,
    GONE,
    PRESENT,
    ApplyCounts,
    Area,
    OutboxOp,
    PullContext,
    PullStream,
    PushOp,
)

if TYPE_CHECKING:
    from pdd_desktop.platform.client import PlatformClient
    from pdd_desktop.services.sync.push import Pusher

MERCHANT_COUPONS = "pdd.promotion.merchant.coupon.list.get"
GOODS_COUPONS = "pdd.promotion.goods.coupon.list.get"
GOODS_COUPON_CREATE = "pdd.promotion.goods.coupon.create"
COUPON_CLOSE = "pdd.promotion.coupon.close"
DISCOUNTS = "pdd.promotion.limited.discount.list.get"
DISCOUNT_CREATE = "pdd.promotion.limited.activity.create"
DISCOUNT_CANCEL = "pdd.promotion.limited.activity.cancel"

APIS = (
    ApiSpec(MERCHANT_COUPONS, "merchant_coupon_batch_list_response", read_only=True),
    ApiSpec(GOODS_COUPONS, "goods_coupon_batch_list_response", read_only=True),
    ApiSpec(
        GOODS_COUPON_CREATE, "goods_coupon_batch_create_response", read_only=False, rate_limit=(3000, 60)
    ),
    ApiSpec(COUPON_CLOSE, "promotion_coupon_batch_close_response", read_only=False),
    ApiSpec(DISCOUNTS, "promotion_limited_discount_list_get_response", read_only=True),  # [?] wrapper
    ApiSpec(DISCOUNT_CREATE, "promotion_limited_activity_create_response", read_only=False),  # [?] wrapper
    ApiSpec(DISCOUNT_CANCEL, "promotion_limited_activity_cancel_response", read_only=False),  # [?] wrapper
)
PAGE_SIZE = 100
_ALL_DISCOUNT_STATUSES = [1, 2, 3, 4, 5, 6]


# --------------------------------------------------------------------------------------------
# Records
# --------------------------------------------------------------------------------------------


def _int(raw: Mapping[str, Any], key: str, where: str, *, default: int | None = None) -> int:
    value = raw.get(key)
    if value in (None, "") and default is not None:
        return default
    if isinstance(value, bool):
        raise RecordError(f"{where}.{key}", value, "应为整数")
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        raise RecordError(f"{where}.{key}", value, "应为整数") from None


def _seconds(raw: Mapping[str, Any], key: str, where: str) -> int:
    value = _int(raw, key, where)
    return value // 1000 if value > 10**11 else value


@dataclass(frozen=True)
class CouponRecord:
    """One coupon batch as a list API sends it."""

    batch_id: str
    kind: str
    name: str
    goods_id: int | None
    discount_type: int
    discount_param: int
    min_order_fen: int
    init_quantity: int
    remain_quantity: int
    used_quantity: int
    user_limit: int
    start_at: int
    end_at: int
    status: int
    source_type: int


def parse_coupon(raw: object, where: str, *, goods: bool) -> CouponRecord:
    """A ``coupon_batch_list`` entry; a bad field raises :class:`RecordError` naming it."""
    if not isinstance(raw, Mapping):
        raise RecordError(where, raw, "应为对象")
    batch_id = str(raw.get("id") or "").strip()
    if not batch_id:
        raise RecordError(f"{where}.id", raw.get("id"), "不能为空")
    name = str(raw.get("batch_name") or raw.get("batch_desc") or "").strip()[:255] or f"优惠券 {batch_id}"
    start, end = _seconds(raw, "batch_start_time", where), _seconds(raw, "batch_end_time", where)
    status = _int(raw, "status", where, default=1 if end > start else 3) if "status" in raw or goods else 1
    return CouponRecord(
        batch_id=batch_id,
        kind="goods" if goods else "shop",
        name=name,
        goods_id=_int(raw, "goods_id", where) if goods and raw.get("goods_id") not in (None, "") else None,
        discount_type=_int(raw, "discount_type", where, default=1),
        discount_param=_int(raw, "discount_param", where),
        min_order_fen=_int(raw, "min_order_amount", where, default=0),
        init_quantity=_int(raw, "init_quantity", where, default=0),
        remain_quantity=_int(raw, "remain_quantity", where, default=0),
        used_quantity=_int(raw, "used_quantity", where, default=0),
        user_limit=_int(raw, "user_limit", where, default=-1),
        start_at=start,
        end_at=end,
        status=status,
        source_type=_int(raw, "source_type", where, default=16 if not goods else 54),
    )


@dataclass(frozen=True)
class DiscountRecord:
    """One 限时限量购 activity (one goods, one ``price_info`` entry)."""

    activity_id: str
    detail_id: str
    name: str
    activity_type: int
    goods_id: int
    discount_permille: int | None
    quantity: int
    remain_quantity: int
    user_limit: int
    start_at: int
    end_at: int
    status: int
    sku_prices: tuple[tuple[int, int, int], ...]  #: (sku_id, activity price, 拼单价)


def parse_discounts(raw: object, where: str) -> list[DiscountRecord]:
    """An ``open_goods_activity_list`` entry: one record per ``price_info`` entry."""
    if not isinstance(raw, Mapping):
        raise RecordError(where, raw, "应为对象")
    infos = raw.get("price_info") or []
    if not isinstance(infos, list):
        raise RecordError(f"{where}.price_info", infos, "应为列表")
    out = []
    for n, info in enumerate(infos):
        w = f"{where}.price_info[{n}]"
        if not isinstance(info, Mapping):
            raise RecordError(w, info, "应为对象")
        detail = str(info.get("detail_id") or "").strip()
        if not detail:
            raise RecordError(f"{w}.detail_id", info.get("detail_id"), "不能为空")
        skus = info.get("open_sku_prices") or []
        if not isinstance(skus, list):
            raise RecordError(f"{w}.open_sku_prices", skus, "应为列表")
        prices = tuple(
            (
                _int(s, "sku_id", f"{w}.open_sku_prices[{i}]"),
                _int(s, "activity_price", f"{w}.open_sku_prices[{i}]"),
                _int(s, "group_price", f"{w}.open_sku_prices[{i}]", default=0),
            )
            for i, s in enumerate(skus)
            if isinstance(s, Mapping)
        )
        discount = _int(info, "discount", w, default=0)
        out.append(
            DiscountRecord(
                activity_id=str(raw.get("activity_id") or detail),
                detail_id=detail,
                name=str(raw.get("activity_name") or "").strip()[:255] or f"限时限量购 {detail}",
                activity_type=_int(raw, "activity_type", where),
                goods_id=_int(raw, "goods_id", where),
                discount_permille=discount or None,
                quantity=_int(info, "activity_quantity", w, default=0),
                remain_quantity=_int(info, "activity_stock_quantity", w, default=0),
                user_limit=_int(info, "user_activity_limit", w, default=0),
                start_at=_int(raw, "start_time", where),
                end_at=_int(raw, "end_time", where),
                status=_int(raw, "status", where),
                sku_prices=prices,
            )
        )
    return out


# --------------------------------------------------------------------------------------------
# Pull: coupons (shop list, then goods list) and 限时限量购
# --------------------------------------------------------------------------------------------


def _coupon_page(client: PlatformClient, *, goods: bool, page: int, **extra: Any) -> Page[CouponRecord]:
    params: dict[str, Any] = {"page": page, "page_size": PAGE_SIZE, **extra}
    if goods:
        params["query_range"] = 0
    body = client.call(GOODS_COUPONS if goods else MERCHANT_COUPONS, params)
    items = body.get("coupon_batch_list") or []
    if not isinstance(items, list):
        raise RecordError("coupon_batch_list", items, "应为列表")
    total = _int(body, "total_size", "answer", default=0)
    records = tuple(parse_coupon(x, f"coupon_batch_list[{i}]", goods=goods) for i, x in enumerate(items))
    return Page(records, total, page * PAGE_SIZE < total, page, PAGE_SIZE)


def _fetch_coupons(ctx: PullContext, page: int) -> Page[CouponRecord]:
    goods_from = ctx.state.get("goods_from")
    if goods_from is None:
        got = _coupon_page(ctx.client, goods=False, page=page)
        if not got.has_next:
            ctx.state["goods_from"] = page
            return Page(got.items, got.total_count, True, page, PAGE_SIZE)
        return got
    got = _coupon_page(ctx.client, goods=True, page=page - goods_from)
    return Page(got.items, None, got.has_next, page, PAGE_SIZE)


def _created_batches() -> dict[str, str]:
    """local_ref → batch id of succeeded creates (the id the create answered)."""
    out = {}
    for ref, result in database.execute_sql(
        "SELECT entity_remote_id, result_json FROM outbox WHERE op_type = ? AND state = 'succeeded'",
        (svc.OP_CREATE_COUPON,),
    ).fetchall():
        try:
            batch = json.loads(result or "{}").get("commit_id")
        except ValueError:
            batch = None
        if batch:
            out[ref] = str(batch)
    return out


def apply_coupons(records: Sequence[CouponRecord], now: int) -> ApplyCounts:
    """Upsert batches by id; link the app's own creates (inside the caller's transaction)."""
    counts = ApplyCounts()
    conn = database.connection()
    created = {b: ref for ref, b in _created_batches().items()}
    for r in records:
        row = conn.execute("SELECT id FROM coupon WHERE batch_id = ?", (r.batch_id,)).fetchone()
        if row is None:
            ref = created.get(r.batch_id)
            link = None
            if ref is not None:
                link = conn.execute(
                    "SELECT id FROM coupon WHERE local_ref = ? AND batch_id IS NULL", (ref,)
                ).fetchone()
            if link is None and r.kind == "goods":  # created, but the answer was lost: find it by its values
                link = conn.execute(
                    "SELECT id FROM coupon WHERE batch_id IS NULL AND origin = 'platform' AND kind = 'goods' "
                    "AND goods_id = ? AND discount_fen = ? AND init_quantity = ? AND start_at = ? AND "
                    "end_at = ? "
                    "AND name = ? ORDER BY id LIMIT 1",
                    (r.goods_id, r.discount_param, r.init_quantity, r.start_at, r.end_at, r.name),
                ).fetchone()
            if link is not None:
                conn.execute(
                    "UPDATE coupon SET batch_id = ?, pending_ops = 0 WHERE id = ?", (r.batch_id, link[0])
                )
                row = link
        fen, rate = (r.discount_param, 0) if r.discount_type == 1 else (0, r.discount_param)
        values = (
            r.name,
            r.kind,
            r.goods_id,
            r.discount_type,
            fen,
            rate,
            r.min_order_fen,
            r.init_quantity,
            r.remain_quantity,
            r.used_quantity,
            r.user_limit,
            r.start_at,
            r.end_at,
            r.status,
            r.source_type,
            now,
        )
        if row is None:
            conn.execute(
                "INSERT INTO coupon (name, kind, goods_id, discount_type, discount_fen, discount_rate, "
                "min_order_fen, "
                "init_quantity, remain_quantity, used_quantity, user_limit, start_at, end_at, status, "
                "source_type, "
                "platform_updated_at, local_ref, batch_id, origin, pending_ops, ended_at, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'platform', 0, NULL, ?)",
                (*values, f"p-{r.batch_id}", r.batch_id, r.start_at),
            )
        else:
            have = conn.execute(
                "SELECT name, kind, goods_id, discount_type, discount_fen, discount_rate, min_order_fen, "
                "init_quantity, remain_quantity, used_quantity, user_limit, start_at, end_at, status, "
                "source_type "
                "FROM coupon WHERE id = ?",
                (row[0],),
            ).fetchone()
            if tuple(have) == values[:-1]:  # nothing new on the platform
                counts.same += 1
                continue
            conn.execute(
                "UPDATE coupon SET name = ?, kind = ?, goods_id = ?, discount_type = ?, discount_fen = ?, "
                "discount_rate = ?, min_order_fen = ?, init_quantity = ?, remain_quantity = ?, "
                "used_quantity = ?, "
                "user_limit = ?, start_at = ?, end_at = ?, status = ?, source_type = ?, platform_updated_at "
                "= ? "
                "WHERE id = ?",
                (*values, row[0]),
            )
        counts.upserted += 1
    return counts


def _apply_coupons(ctx: PullContext, records: Sequence[CouponRecord]) -> None:
    if not records:
        return
    with write_transaction():
        ctx.tally.add(apply_coupons(records, ctx.client.platform_now()))


def _discount_page(
    client: PlatformClient, page: int, goods_ids: list[int] | None = None
) -> Page[DiscountRecord]:
    params: dict[str, Any] = {
        "activity_types": [3, 12],
        "status_list": _ALL_DISCOUNT_STATUSES,
        "page_no": page,
        "page_size": PAGE_SIZE,
    }
    if goods_ids:
        params["goods_id_list"] = goods_ids
    body = client.call(DISCOUNTS, params)
    items = body.get("open_goods_activity_list") or []
    if not isinstance(items, list):
        raise RecordError("open_goods_activity_list", items, "应为列表")
    total = _int(body, "record_sum", "answer", default=0)
    records = tuple(
        r for i, x in enumerate(items) for r in parse_discounts(x, f"open_goods_activity_list[{i}]")
    )
    return Page(records, total, page * PAGE_SIZE < total, page, PAGE_SIZE)


def _fetch_discounts(ctx: PullContext, page: int) -> Page[DiscountRecord]:
    return _discount_page(ctx.client, page)


def apply_discounts(records: Sequence[DiscountRecord], now: int) -> ApplyCounts:
    """Upsert activities by ``detail_id``; link the app's own creates by their values."""
    counts = ApplyCounts()
    conn = database.connection()
    for r in records:
        row = conn.execute("SELECT id FROM limited_discount WHERE detail_id = ?", (r.detail_id,)).fetchone()
        if row is None:
            row = conn.execute(
                "SELECT id FROM limited_discount WHERE detail_id IS NULL AND origin = 'platform' AND "
                "goods_id = ? "
                "AND activity_type = ? AND name = ? AND start_at = ? AND end_at = ? ORDER BY id LIMIT 1",
                (r.goods_id, r.activity_type, r.name, r.start_at, r.end_at),
            ).fetchone()
        values = (
            r.activity_id,
            r.detail_id,
            r.activity_type,
            r.name,
            r.goods_id,
            r.discount_permille,
            r.quantity,
            r.remain_quantity,
            r.user_limit,
            r.start_at,
            r.end_at,
            r.status,
            now,
        )
        if row is None:
            cur = conn.execute(
                "INSERT INTO limited_discount (activity_id, detail_id, activity_type, name, goods_id, "
                "discount_permille, quantity, remain_quantity, user_limit, start_at, end_at, status, "
                "platform_updated_at, local_ref, origin, pending_ops, ended_at, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'platform', 0, NULL, ?)",
                (*values, f"p-{r.detail_id}", r.start_at),
            )
            did = cur.lastrowid
        else:
            did = row[0]
            have = conn.execute(
                "SELECT activity_id, detail_id, activity_type, name, goods_id, discount_permille, quantity, "
                "remain_quantity, user_limit, start_at, end_at, status FROM limited_discount WHERE id = ?",
                (did,),
            ).fetchone()
            skus = conn.execute(
                "SELECT sku_id, activity_price_fen, group_price_fen FROM limited_discount_sku WHERE "
                "discount_id = ? "
                "ORDER BY sku_id",
                (did,),
            ).fetchall()
            if tuple(have) == values[:-1] and (
                not r.sku_prices or sorted(r.sku_prices) == [tuple(x) for x in skus]
            ):
                counts.same += 1
                continue
            conn.execute(
                "UPDATE limited_discount SET activity_id = ?, detail_id = ?, activity_type = ?, name = ?, "
                "goods_id = ?, discount_permille = ?, quantity = ?, remain_quantity = ?, user_limit = ?, "
                "start_at = ?, end_at = ?, status = ?, platform_updated_at = ?, pending_ops = 0 WHERE id = ?",
                (*values, did),
            )
        if r.sku_prices:
            conn.execute("DELETE FROM limited_discount_sku WHERE discount_id = ?", (did,))
            conn.executemany(
                "INSERT INTO limited_discount_sku (discount_id, sku_id, activity_price_fen, group_price_fen) "
                "VALUES (?, ?, ?, ?)",
                [(did, s, p, g) for s, p, g in r.sku_prices],
            )
        counts.upserted += 1
    return counts


def _apply_discounts(ctx: PullContext, records: Sequence[DiscountRecord]) -> None:
    if not records:
        return
    with write_transaction():
        ctx.tally.add(apply_discounts(records, ctx.client.platform_now()))


COUPONS = PullStream("coupons", "优惠券", svc.CHANGES, fetch=_fetch_coupons, apply=_apply_coupons)
DISCOUNT_STREAM = PullStream(
    "limited_discounts", "限时限量购", svc.CHANGES, fetch=_fetch_discounts, apply=_apply_discounts
)

# --------------------------------------------------------------------------------------------
# Push
# --------------------------------------------------------------------------------------------


def _send_create_coupon(client: PlatformClient, op: OutboxOp) -> WriteResult:
    p = op.payload
    body = client.call(
        GOODS_COUPON_CREATE,
        {
            "goods_id": int(p["goods_id"]),
            "batch_desc": str(p["batch_desc"]),
            "batch_start_time": int(p["start_at"]) * 1000,
            "batch_end_time": int(p["end_at"]) * 1000,
            "discount": int(p["discount"]),
            "init_quantity": int(p["init_quantity"]),
            "user_limit": int(p["user_limit"]),
        },
    )
    batch = str(body.get("batch_id") or "")
    if not batch:
        raise RecordError("batch_id", body.get("batch_id"), "创建成功的应答里没有批次号")
    return WriteResult(GOODS_COUPON_CREATE, body, commit_id=batch)


def _find_goods_coupon(client: PlatformClient, p: Mapping[str, Any]) -> CouponRecord | None:
    page = 1
    while True:
        got = _coupon_page(client, goods=True, page=page, goods_id=int(p["goods_id"]))
        for r in got.items:
            if (r.discount_param, r.init_quantity, r.start_at, r.end_at, r.name) == (
                int(p["discount"]),
                int(p["init_quantity"]),
                int(p["start_at"]),
                int(p["end_at"]),
                str(p["batch_desc"]),
            ):
                return r
        if not got.has_next:
            return None
        page += 1


def _reconcile_create_coupon(pusher: Pusher, op: OutboxOp, conflicts: bool) -> str:
    return PRESENT if _find_goods_coupon(pusher.client, op.payload) is not None else ABSENT


def _send_close_coupon(client: PlatformClient, op: OutboxOp) -> WriteResult:
    body = client.call(COUPON_CLOSE, {"batch_id": str(op.payload["batch_id"])})
    if body.get("is_success") is False:
        raise RecordError("is_success", False, "平台未能结束该批次")
    return WriteResult(COUPON_CLOSE, body)


def _reconcile_close_coupon(pusher: Pusher, op: OutboxOp, conflicts: bool) -> str:
    batch = str(op.payload["batch_id"])
    for goods in (False, True):
        page = 1
        while True:
            got = _coupon_page(pusher.client, goods=goods, page=page)
            for r in got.items:
                if r.batch_id == batch:
                    return PRESENT if r.status == 3 else ABSENT
            if not got.has_next:
                break
            page += 1
    return GONE


def _send_create_discount(client: PlatformClient, op: OutboxOp) -> WriteResult:
    p = op.payload
    item: dict[str, Any] = {
        "activity_name": p["activity_name"],
        "activity_type": int(p["activity_type"]),
        "goods_id": int(p["goods_id"]),
        "start_time": int(p["start_time"]),
        "end_time": int(p["end_time"]),
        "user_activity_limit": int(p["user_activity_limit"]),
        "sku_price_list": [{"sku_id": int(s), "activity_price": int(f)} for s, f in p["sku_price_list"]],
    }
    if p.get("discount"):
        item["discount"] = int(p["discount"])
    if int(p.get("quantity") or 0):
        item["quantity"] = int(p["quantity"])
    body = client.call(DISCOUNT_CREATE, {"request": [item]})
    results = body.get("result_list") or []
    failed = [r for r in results if isinstance(r, Mapping) and int(r.get("status") or 0) != 0]
    if failed:  # the platform refused this goods' activity (its reason, e.g. sku活动价不正确)
        reason = str(failed[0].get("fail_reason") or "平台拒绝创建")
        raise BusinessError(f"平台拒绝创建活动：{reason}", code=50001, sub_msg=reason, api=DISCOUNT_CREATE)
    return WriteResult(DISCOUNT_CREATE, body)


def _find_discount(client: PlatformClient, p: Mapping[str, Any]) -> DiscountRecord | None:
    page = 1
    while True:
        got = _discount_page(client, page, [int(p["goods_id"])])
        for r in got.items:
            if (r.activity_type, r.name, r.start_at, r.end_at) == (
                int(p["activity_type"]),
                str(p["activity_name"]),
                int(p["start_time"]),
                int(p["end_time"]),
            ):
                return r
        if not got.has_next:
            return None
        page += 1


def _reconcile_create_discount(pusher: Pusher, op: OutboxOp, conflicts: bool) -> str:
    return PRESENT if _find_discount(pusher.client, op.payload) is not None else ABSENT


def _send_cancel_discount(client: PlatformClient, op: OutboxOp) -> WriteResult:
    p = op.payload
    body = client.call(DISCOUNT_CANCEL, {"detail_id": str(p["detail_id"]), "goods_id": int(p["goods_id"])})
    if body.get("result") is False:
        raise RecordError("result", False, "平台未能结束该活动")
    return WriteResult(DISCOUNT_CANCEL, body)


def _reconcile_cancel_discount(pusher: Pusher, op: OutboxOp, conflicts: bool) -> str:
    p = op.payload
    page = 1
    while True:
        got = _discount_page(pusher.client, page, [int(p["goods_id"])])
        for r in got.items:
            if r.detail_id == str(p["detail_id"]):
                return PRESENT if r.status in (3, 4, 5) else ABSENT
        if not got.has_next:
            return GONE
        page += 1


OPS = (
    PushOp(
        svc.OP_CREATE_COUPON,
        "创建商品券",
        svc.CHANGES,
        send=_send_create_coupon,
        reconcile=_reconcile_create_coupon,
    ),
    PushOp(
        svc.OP_CLOSE_COUPON,
        "结束优惠券",
        svc.CHANGES,
        send=_send_close_coupon,
        reconcile=_reconcile_close_coupon,
        gone_message="平台上找不到这个优惠券批次，本条未上传",
    ),
    PushOp(
        svc.OP_CREATE_DISCOUNT,
        "创建限时限量购",
        svc.CHANGES,
        send=_send_create_discount,
        reconcile=_reconcile_create_discount,
    ),
    PushOp(
        svc.OP_CANCEL_DISCOUNT,
        "结束限时限量购",
        svc.CHANGES,
        send=_send_cancel_discount,
        reconcile=_reconcile_cancel_discount,
        gone_message="平台上找不到这个活动，本条未上传",
    ),
)

AREA = Area("marketing", streams=(COUPONS, DISCOUNT_STREAM), ops=OPS, apis=APIS)
