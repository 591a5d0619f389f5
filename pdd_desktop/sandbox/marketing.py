"""The sandbox's 营销: coupon batches and 限时限量购, consistent with the sandbox's own orders.

The sandbox database is a copy of the demo shop, so it has the app's ``coupon`` and
``limited_discount`` tables; here they hold the *platform's* state. The demo's orders give a
shop discount (``seller_discount_fen``) of 3 / 5 / 10 yuan on orders of at least 20 / 49 / 99
yuan (``services/demo_shop/orders.py``; the sandbox's new orders use the first tier): the
sandbox's shop coupons are those three 满减 batches (source 16 店铺直接领券), running from a year
before the sandbox's start to half a year after it, and their ``used_quantity`` is the number of
paid orders that carry the amount, counted when listed. 商品券 and 限时限量购 the app creates are
written here; a write is logged as an effect (``SandboxShop.effects``), so tests can check
that an op reached the platform once.

Field names and shapes follow the SDK sources named in ``services/sync/areas/marketing.py``.
"""

from __future__ import annotations

from pdd_desktop.sandbox.state import ApiError, business_error

#: (amount, threshold, name) of the demo's shop discounts.
SHOP_TIERS = ((300, 2000, "满20减3"), (500, 4900, "满49减5"), (1000, 9900, "满99减10"))
_YEAR = 365 * 86400


class MarketingService:
    """Coupons and 限时限量购 of the sandbox shop (under the shop's lock)."""

    def __init__(self, shop) -> None:
        self.shop = shop

    # ------------------------------------------------------------------ seeding

    def _seed(self, c) -> None:
        if c.execute("SELECT 1 FROM coupon WHERE source_type = 16 LIMIT 1").fetchone():
            return
        now0 = self.shop.now0
        for n, (amount, threshold, name) in enumerate(SHOP_TIERS, start=1):
            batch = f"{self.shop.seed % 1000:03d}{n:06d}"
            c.execute(
                "INSERT INTO coupon (local_ref, batch_id, origin, kind, name, goods_id, discount_type, "
                "discount_fen, "
                "discount_rate, min_order_fen, init_quantity, remain_quantity, used_quantity, user_limit, "
                "start_at, end_at, status, source_type, pending_ops, ended_at, created_at, "
                "platform_updated_at) "
                "VALUES (?, ?, 'platform', 'shop', ?, NULL, 1, ?, 0, ?, 0, 0, 0, 1, ?, ?, 1, 16, 0, NULL, "
                "?, ?)",
                (
                    f"sb-{batch}",
                    batch,
                    name,
                    amount,
                    threshold,
                    now0 - _YEAR,
                    now0 + _YEAR // 2,
                    now0 - _YEAR,
                    now0 - _YEAR,
                ),
            )

    def _used(self, c, amount: int, threshold: int, goods_id: int | None, start: int, end: int) -> int:
        sql = (
            'SELECT COUNT(*) FROM "order" o WHERE o.seller_discount_fen = ? AND o.goods_amount_fen >= ? '
            "AND o.paid_at >= ? AND o.paid_at < ?"
        )
        args: list = [amount, threshold, start, end]
        if goods_id is not None:
            sql += " AND EXISTS (SELECT 1 FROM order_item i WHERE i.order_id = o.id AND i.goods_id = ?)"
            args.append(goods_id)
        return int(c.execute(sql, args).fetchone()[0])

    # ------------------------------------------------------------------ coupons

    def coupon_page(
        self,
        *,
        goods: bool,
        page: int,
        page_size: int,
        goods_id: int | None = None,
        batch_status: int | None = None,
    ) -> tuple[list[dict], int]:
        """One page of shop coupons (``goods=False``) or goods coupons, newest first."""
        shop = self.shop
        now = shop.platform_now()
        with shop.tx() as c:
            self._seed(c)
            c.execute("UPDATE coupon SET status = 3 WHERE status IN (1, 2, 4) AND end_at <= ?", (now,))
            where = "kind = 'goods'" if goods else "kind = 'shop'"
            args: list = []
            if goods_id is not None:
                where += " AND goods_id = ?"
                args.append(goods_id)
            if batch_status is not None:
                where += " AND status = ?"
                args.append(batch_status)
            total = c.execute(f"SELECT COUNT(*) FROM coupon WHERE {where}", args).fetchone()[0]
            rows = c.execute(
                "SELECT batch_id, name, discount_type, discount_fen, min_order_fen, init_quantity, "
                "user_limit, "
                "start_at, end_at, status, source_type, goods_id, created_at "
                f"FROM coupon WHERE {where} ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?",
                (*args, page_size, (page - 1) * page_size),
            ).fetchall()
            out = []
            for r in rows:
                used = self._used(c, r[3], r[4], r[11], r[7], min(r[8], now))
                init = r[5] or used + 1000
                item = {
                    "id": r[0],
                    "batch_name": r[1],
                    "batch_desc": r[1],
                    "discount_type": r[2],
                    "discount_param": r[3],
                    "min_order_amount": r[4],
                    "init_quantity": init,
                    "remain_quantity": max(0, init - used),
                    "used_quantity": used,
                    "user_limit": r[6],
                    "batch_start_time": r[7] * 1000,
                    "batch_end_time": r[8] * 1000,
                    "status": r[9],
                    "source_type": r[10],
                }
                if goods:
                    name = c.execute("SELECT name FROM goods WHERE goods_id = ?", (r[11],)).fetchone()
                    item.update(goods_id=r[11], goods_name=name[0] if name else "", created_at=r[12] * 1000)
                out.append(item)
        return out, int(total)

    def create_goods_coupon(
        self,
        *,
        goods_id: int,
        batch_desc: str,
        start_ms: int,
        end_ms: int,
        discount: int,
        init_quantity: int,
        user_limit: int,
        api_type: str,
        params: dict,
    ) -> str:
        """A new 无门槛商品券 batch; returns its id."""
        shop = self.shop
        if shop.goods_name(goods_id) is None:
            raise business_error("商品不存在")
        if discount <= 0 or init_quantity <= 0 or end_ms <= start_ms:
            raise ApiError(21001, "请求参数错误", "优惠金额、数量或时间不正确")
        now = shop.platform_now()
        with shop.tx() as c:
            n = c.execute("SELECT COUNT(*) FROM coupon WHERE kind = 'goods'").fetchone()[0] + 1
            batch = f"{shop.seed % 1000:03d}5{n:05d}"
            c.execute(
                "INSERT INTO coupon (local_ref, batch_id, origin, kind, name, goods_id, discount_type, "
                "discount_fen, "
                "discount_rate, min_order_fen, init_quantity, remain_quantity, used_quantity, user_limit, "
                "start_at, end_at, status, source_type, pending_ops, ended_at, created_at, "
                "platform_updated_at) "
                "VALUES (?, ?, 'platform', 'goods', ?, ?, 1, ?, 0, 0, ?, ?, 0, ?, ?, ?, 1, 54, 0, NULL, ?, "
                "?)",
                (
                    f"sb-{batch}",
                    batch,
                    batch_desc,
                    goods_id,
                    discount,
                    init_quantity,
                    init_quantity,
                    user_limit,
                    start_ms // 1000,
                    end_ms // 1000,
                    now,
                    now,
                ),
            )
            shop.record_effect(c, api_type, batch, params)
        return batch

    def close_coupon(self, *, batch_id: str, api_type: str, params: dict) -> None:
        """End a batch (3 已结束)."""
        shop = self.shop
        with shop.tx() as c:
            row = c.execute("SELECT status FROM coupon WHERE batch_id = ?", (batch_id,)).fetchone()
            if row is None:
                raise business_error("优惠券批次不存在")
            if row[0] == 3:
                raise business_error("批次已结束")
            c.execute(
                "UPDATE coupon SET status = 3, ended_at = ?, platform_updated_at = ? WHERE batch_id = ?",
                (shop.platform_now(), shop.platform_now(), batch_id),
            )
            shop.record_effect(c, api_type, batch_id, params)

    # ------------------------------------------------------------------ 限时限量购

    def discount_page(
        self, *, types: list[int], statuses: list[int], goods_ids: list[int] | None, page: int, page_size: int
    ) -> tuple[list[dict], int, int]:
        """(activities, how many match, how many are still online) of one page."""
        shop = self.shop
        now = shop.platform_now()
        with shop.tx() as c:
            c.execute("UPDATE limited_discount SET status = 2 WHERE status = 1 AND start_at <= ?", (now,))
            c.execute("UPDATE limited_discount SET status = 3 WHERE status IN (1, 2) AND end_at <= ?", (now,))
            marks_t, marks_s = ",".join("?" * len(types)), ",".join("?" * len(statuses))
            where = f"activity_type IN ({marks_t}) AND status IN ({marks_s})"
            args: list = [*types, *statuses]
            if goods_ids:
                where += f" AND goods_id IN ({','.join('?' * len(goods_ids))})"
                args.extend(goods_ids)
            total = c.execute(f"SELECT COUNT(*) FROM limited_discount WHERE {where}", args).fetchone()[0]
            online = c.execute("SELECT COUNT(*) FROM limited_discount WHERE status IN (1, 2)").fetchone()[0]
            rows = c.execute(
                "SELECT id, activity_id, detail_id, name, activity_type, goods_id, discount_permille, "
                "quantity, "
                "remain_quantity, user_limit, start_at, end_at, status, ended_at "
                f"FROM limited_discount WHERE {where} ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?",
                (*args, page_size, (page - 1) * page_size),
            ).fetchall()
            out = []
            for r in rows:
                skus = c.execute(
                    "SELECT t.sku_id, t.activity_price_fen, t.group_price_fen, COALESCE(s.spec, '') "
                    "FROM limited_discount_sku t LEFT JOIN sku s ON s.sku_id = t.sku_id WHERE t.discount_id "
                    "= ? "
                    "ORDER BY t.sku_id",
                    (r[0],),
                ).fetchall()
                name = c.execute("SELECT name FROM goods WHERE goods_id = ?", (r[5],)).fetchone()
                prices = [p for _s, p, _g, _n in skus]
                out.append(
                    {
                        "activity_id": r[1],
                        "activity_name": r[3],
                        "activity_type": r[4],
                        "end_operation_source": 1 if r[12] == 4 else 0,
                        "start_time": r[10],
                        "end_time": r[11],
                        "goods_id": r[5],
                        "goods_name": name[0] if name else "",
                        "online_quantity": r[8],
                        "status": r[12],
                        "price_info": [
                            {
                                "detail_id": r[2],
                                "discount": r[6] or 0,
                                "discount_range": "",
                                "activity_quantity": r[7],
                                "activity_stock_quantity": r[8],
                                "user_activity_limit": r[9],
                                "min_pre_sale_price": min(prices) if prices else 0,
                                "max_pre_sale_price": max(prices) if prices else 0,
                                "open_sku_prices": [
                                    {
                                        "sku_id": s,
                                        "activity_price": p,
                                        "group_price": g,
                                        "sku_name": n,
                                        "discount": str(r[6] or ""),
                                    }
                                    for s, p, g, n in skus
                                ],
                            }
                        ],
                    }
                )
        return out, int(total), int(online)

    def create_discounts(self, requests: list[dict], api_type: str) -> list[dict]:
        """Create one activity per request item; returns ``result_list``."""
        shop = self.shop
        now = shop.platform_now()
        results = []
        with shop.tx() as c:
            for req in requests:
                try:
                    goods_id = int(req["goods_id"])
                    kind = int(req["activity_type"])
                    name = str(req["activity_name"])
                    start, end = int(req.get("start_time") or now), int(req["end_time"])
                    prices = [
                        (int(x["sku_id"]), int(x["activity_price"])) for x in req.get("sku_price_list") or []
                    ]
                except (KeyError, TypeError, ValueError) as exc:
                    raise ApiError(21001, "请求参数错误", "request缺少goods_id、activity_type或时间") from exc
                skus = dict(
                    c.execute("SELECT sku_id, group_price_fen FROM sku WHERE goods_id = ?", (goods_id,))
                )
                reason = ""
                if not skus:
                    reason = "商品不存在"
                elif not prices or any(s not in skus or p <= 0 or p >= skus[s] for s, p in prices):
                    reason = "sku活动价不正确"
                elif end <= start or end <= now:
                    reason = "活动时间不正确"
                elif kind == 3 and not int(req.get("quantity") or 0):
                    reason = "限量折扣必须填写活动库存"
                if reason:
                    results.append({"goods_id": str(goods_id), "status": 1, "fail_reason": reason})
                    continue
                n = c.execute("SELECT COUNT(*) FROM limited_discount").fetchone()[0] + 1
                detail = f"{shop.seed % 1000:03d}7{n:05d}"
                cur = c.execute(
                    "INSERT INTO limited_discount (local_ref, activity_id, detail_id, origin, "
                    "activity_type, name, "
                    "goods_id, discount_permille, quantity, remain_quantity, user_limit, start_at, end_at, "
                    "status, "
                    "pending_ops, ended_at, created_at, platform_updated_at) "
                    "VALUES (?, ?, ?, 'platform', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, NULL, ?, ?)",
                    (
                        f"sb-{detail}",
                        detail,
                        detail,
                        kind,
                        name,
                        goods_id,
                        req.get("discount"),
                        int(req.get("quantity") or 0),
                        int(req.get("quantity") or 0),
                        int(req.get("user_activity_limit") or 0),
                        start,
                        end,
                        2 if start <= now else 1,
                        now,
                        now,
                    ),
                )
                c.executemany(
                    "INSERT INTO limited_discount_sku (discount_id, sku_id, activity_price_fen, "
                    "group_price_fen) "
                    "VALUES (?, ?, ?, ?)",
                    [(cur.lastrowid, s, p, skus[s]) for s, p in prices],
                )
                shop.record_effect(c, api_type, detail, req)
                results.append({"goods_id": str(goods_id), "status": 0, "fail_reason": ""})
        return results

    def cancel_discount(self, *, detail_id: str, goods_id: int, api_type: str, params: dict) -> None:
        """End an activity early (4 结束|商家结束)."""
        shop = self.shop
        with shop.tx() as c:
            row = c.execute(
                "SELECT status FROM limited_discount WHERE detail_id = ? AND goods_id = ?",
                (detail_id, goods_id),
            ).fetchone()
            if row is None:
                raise business_error("活动不存在")
            if row[0] in (3, 4, 5):
                raise business_error("活动已结束")
            c.execute(
                "UPDATE limited_discount SET status = 4, ended_at = ?, platform_updated_at = ? WHERE "
                "detail_id = ?",
                (shop.platform_now(), shop.platform_now(), detail_id),
            )
            shop.record_effect(c, api_type, detail_id, params)
