"""营销: coupons and 限时限量购 (create, edit, end), activity registrations, campaign results.

Writes (each one ``write_transaction()`` with its outbox op and audit row, returning
:class:`Changes`):

- **商品券** (无门槛商品券 of one goods): the platform has a create API
  (``pdd.promotion.goods.coupon.create``) and a close API (``pdd.promotion.coupon.close``), so
  the coupon is written here at once (状态 待上传) with a ``create_goods_coupon`` op; the sync
  pushes it (once: ``services/sync/areas/marketing.py`` reconciles an unknown outcome before any
  resend) and links the platform's batch id. Ending queues ``close_coupon``; ending a coupon
  whose create was never sent cancels that op instead (it never reaches the platform).
- **店铺券** (满 X 减 Y): no create API in the platform's current doc index (merchant-data.md §6 names
  one with ``min_order_amount`` but no SDK confirms its name or fields), so it is a **local
  plan** marked 需在平台设置; synced 店铺券 come from ``pdd.promotion.merchant.coupon.list.get``.
- **限时限量购**: ``pdd.promotion.limited.activity.create`` / ``.cancel`` through the outbox,
  like 商品券. The platform has no edit API for either: edit works on local plans and on
  creates not sent yet (the queued op's payload is replaced).

Campaign results (:func:`campaign_results`): the orders each campaign matched, from the order's
own fields (``seller_discount_fen`` = the coupon's amount, 商品金额 ≥ its threshold, the goods for a
商品券; for 限时限量购 and activities the lines of the goods whose unit price is the SKU's activity
price), paid within the campaign's period (up to now). GMV, units, the discount's cost to the
shop, margin after discount (cost prices from :func:`unit_costs`), and the same goods' figures in
the period of the same length just before.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from pdd_desktop.common import clock
from pdd_desktop.common.changes import Changes
from pdd_desktop.data.db import database, write_transaction
from pdd_desktop.domain import marketing as rules
from pdd_desktop.domain.errors import NotAllowed, ValidationError
from pdd_desktop.domain.money import format_yuan

CHANGES = Changes(marketing=True)
#: Outbox op types (``services/sync/areas/marketing.py`` sends them).
OP_CREATE_COUPON = "create_goods_coupon"
OP_CLOSE_COUPON = "close_coupon"
OP_CREATE_DISCOUNT = "create_limited_discount"
OP_CANCEL_DISCOUNT = "cancel_limited_discount"
_OPEN = ("pending", "in_flight", "unknown", "conflict")


# --------------------------------------------------------------------------------------------
# Cost prices: the one place campaign margins read them
# --------------------------------------------------------------------------------------------


def unit_costs(sku_ids: Iterable[int]) -> dict[int, int | None]:
    """Each SKU's cost price in fen (None: unknown), from 商品 (``sku.cost_price_fen``)."""
    ids = sorted({int(s) for s in sku_ids})
    out: dict[int, int | None] = {s: None for s in ids}
    for i in range(0, len(ids), 500):
        part = ids[i : i + 500]
        for sku_id, cost in database.execute_sql(
            f"SELECT sku_id, cost_price_fen FROM sku WHERE sku_id IN ({','.join('?' * len(part))})", part
        ).fetchall():
            out[int(sku_id)] = None if cost is None else int(cost)
    return out


# --------------------------------------------------------------------------------------------
# Reads
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CouponRow:
    """One coupon batch for the list."""

    id: int
    name: str
    kind: str
    kind_label: str
    goods_id: int | None
    goods_name: str
    discount_type: int
    discount_fen: int
    discount_rate: int
    min_order_fen: int
    init_quantity: int
    remain_quantity: int
    used_quantity: int
    user_limit: int
    start_at: int
    end_at: int
    status: int
    state_label: str
    origin: str
    is_plan: bool
    pending: bool  #: an op is on its way to the platform (待上传)
    batch_id: str
    ended: bool

    @property
    def rule_text(self) -> str:
        """满20减3 / 无门槛减5 / 8.5折."""
        if self.discount_type == 2:
            return f"{self.discount_rate / 10:g}折" if self.discount_rate else "折扣券"
        amount = format_yuan(self.discount_fen, symbol=False).rstrip("0").rstrip(".")
        if self.min_order_fen:
            return f"满{format_yuan(self.min_order_fen, symbol=False).rstrip('0').rstrip('.')}减{amount}"
        return f"无门槛减{amount}"


@dataclass(frozen=True)
class DiscountSku:
    """A SKU's activity price, with its cost for the below-cost warning."""

    sku_id: int
    spec: str
    activity_price_fen: int
    group_price_fen: int
    cost_price_fen: int | None

    @property
    def below_cost(self) -> bool:
        """The activity price is under the known cost."""
        return self.cost_price_fen is not None and self.activity_price_fen < self.cost_price_fen


@dataclass(frozen=True)
class DiscountRow:
    """One 限时限量购 activity for the list."""

    id: int
    name: str
    activity_type: int
    type_label: str
    goods_id: int
    goods_name: str
    discount_permille: int | None
    quantity: int
    remain_quantity: int
    user_limit: int
    start_at: int
    end_at: int
    status: int
    state_label: str
    origin: str
    is_plan: bool
    pending: bool
    ended: bool
    skus: tuple[DiscountSku, ...]

    @property
    def below_cost(self) -> bool:
        """Any SKU's activity price is under its cost."""
        return any(s.below_cost for s in self.skus)


@dataclass(frozen=True)
class RegistrationRow:
    """One activity registration (报名记录)."""

    id: int
    activity_id: str
    activity_name: str
    activity_type: str
    goods_id: int
    goods_name: str
    state: str
    registered_at: int | None
    start_at: int | None
    end_at: int | None
    reason: str
    activity_stock: int | None
    sold_quantity: int | None
    min_price_fen: int | None
    max_price_fen: int | None
    skus: tuple[DiscountSku, ...]

    @property
    def below_cost(self) -> bool:
        """Any SKU's activity price is under its cost."""
        return any(s.below_cost for s in self.skus)


def _open_op_refs(entity_type: str) -> set[str]:
    marks = ",".join("?" * len(_OPEN))
    return {
        r[0]
        for r in database.execute_sql(
            f"SELECT DISTINCT entity_remote_id FROM outbox WHERE entity_type = ? AND state IN ({marks})",
            (entity_type, *_OPEN),
        ).fetchall()
    }


def list_coupons() -> list[CouponRow]:
    """Every coupon batch, newest first."""
    pending = _open_op_refs("coupon")
    rows = database.execute_sql(
        "SELECT c.id, c.name, c.kind, c.goods_id, COALESCE(g.name, ''), c.discount_type, c.discount_fen, "
        "c.discount_rate, c.min_order_fen, c.init_quantity, c.remain_quantity, c.used_quantity, "
        "c.user_limit, "
        "c.start_at, c.end_at, c.status, c.origin, c.local_ref, COALESCE(c.batch_id, ''), c.ended_at "
        "FROM coupon c LEFT JOIN goods g ON g.goods_id = c.goods_id ORDER BY c.start_at DESC, c.id DESC"
    ).fetchall()
    out = []
    for r in rows:
        origin, status, ended_at = r[16], int(r[15]), r[19]
        ended = bool(ended_at) or (origin == "platform" and status == rules.ENDED_COUPON)
        out.append(
            CouponRow(
                id=r[0],
                name=r[1],
                kind=r[2],
                kind_label=rules.COUPON_KINDS.get(r[2], r[2]),
                goods_id=r[3],
                goods_name=r[4],
                discount_type=r[5],
                discount_fen=r[6],
                discount_rate=r[7],
                min_order_fen=r[8],
                init_quantity=r[9],
                remain_quantity=r[10],
                used_quantity=r[11],
                user_limit=r[12],
                start_at=r[13],
                end_at=r[14],
                status=status,
                state_label=rules.coupon_state_label(origin, status, ended_at),
                origin=origin,
                is_plan=origin == "plan",
                pending=r[17] in pending,
                batch_id=r[18],
                ended=ended,
            )
        )
    return out


def _skus_of(table: str, key: str, ids: list[int]) -> dict[int, list[tuple[int, int, int]]]:
    out: dict[int, list[tuple[int, int, int]]] = {}
    if not ids:
        return out
    group = "t.group_price_fen" if table == "limited_discount_sku" else "COALESCE(s.group_price_fen, 0)"
    for i in range(0, len(ids), 500):
        part = ids[i : i + 500]
        for owner, sku_id, price, orig in database.execute_sql(
            f"SELECT t.{key}, t.sku_id, t.activity_price_fen, {group} FROM {table} t "
            f"LEFT JOIN sku s ON s.sku_id = t.sku_id WHERE t.{key} IN ({','.join('?' * len(part))}) "
            "ORDER BY t.sku_id",
            part,
        ).fetchall():
            out.setdefault(int(owner), []).append((int(sku_id), int(price), int(orig)))
    return out


def _discount_skus(
    raw: list[tuple[int, int, int]], costs: Mapping[int, int | None], specs: Mapping[int, str]
):
    return tuple(DiscountSku(s, specs.get(s, ""), p, g, costs.get(s)) for s, p, g in raw)


def _specs(sku_ids: Iterable[int]) -> dict[int, str]:
    ids = sorted(set(sku_ids))
    out: dict[int, str] = {}
    for i in range(0, len(ids), 500):
        part = ids[i : i + 500]
        out.update(
            database.execute_sql(
                f"SELECT sku_id, spec FROM sku WHERE sku_id IN ({','.join('?' * len(part))})", part
            ).fetchall()
        )
    return out


def list_discounts() -> list[DiscountRow]:
    """Every 限时限量购 activity, newest first, with SKU prices and costs."""
    pending = _open_op_refs("limited_discount")
    rows = database.execute_sql(
        "SELECT d.id, d.name, d.activity_type, d.goods_id, COALESCE(g.name, ''), d.discount_permille, "
        "d.quantity, "
        "d.remain_quantity, d.user_limit, d.start_at, d.end_at, d.status, d.origin, d.local_ref, d.ended_at "
        "FROM limited_discount d LEFT JOIN goods g ON g.goods_id = d.goods_id "
        "ORDER BY d.start_at DESC, d.id DESC"
    ).fetchall()
    skus = _skus_of("limited_discount_sku", "discount_id", [r[0] for r in rows])
    all_skus = [s for v in skus.values() for s, _p, _g in v]
    costs, specs = unit_costs(all_skus), _specs(all_skus)
    out = []
    for r in rows:
        origin, status, ended_at = r[12], int(r[11]), r[14]
        out.append(
            DiscountRow(
                id=r[0],
                name=r[1],
                activity_type=r[2],
                type_label=rules.DISCOUNT_TYPES.get(r[2], str(r[2])),
                goods_id=r[3],
                goods_name=r[4],
                discount_permille=r[5],
                quantity=r[6],
                remain_quantity=r[7],
                user_limit=r[8],
                start_at=r[9],
                end_at=r[10],
                status=status,
                state_label=rules.discount_state_label(origin, status, ended_at),
                origin=origin,
                is_plan=origin == "plan",
                pending=r[13] in pending,
                ended=bool(ended_at) or (origin == "platform" and status in rules.ENDED_DISCOUNT),
                skus=_discount_skus(skus.get(r[0], []), costs, specs),
            )
        )
    return out


def list_registrations() -> list[RegistrationRow]:
    """Every imported activity registration, newest activity first."""
    rows = database.execute_sql(
        "SELECT id, activity_id, activity_name, activity_type, goods_id, goods_name, state, registered_at, "
        "start_at, end_at, reason, activity_stock, sold_quantity, min_price_fen, max_price_fen "
        "FROM activity_registration ORDER BY COALESCE(start_at, 0) DESC, id DESC"
    ).fetchall()
    skus = _skus_of("activity_registration_sku", "registration_id", [r[0] for r in rows])
    all_skus = [s for v in skus.values() for s, _p, _g in v]
    costs, specs = unit_costs(all_skus), _specs(all_skus)
    return [
        RegistrationRow(*r, skus=_discount_skus(skus.get(r[0], []), costs, specs))  # type: ignore[misc]
        for r in rows
    ]


# --------------------------------------------------------------------------------------------
# Writes
# --------------------------------------------------------------------------------------------


def _queue(op_type: str, entity_type: str, ref: str, payload: dict[str, Any], now: int) -> None:
    database.execute_sql(
        "INSERT INTO outbox (op_id, op_type, entity_type, entity_remote_id, payload_json, base_json, state, "
        "attempts, last_error, created_at, result_json) VALUES (?, ?, ?, ?, ?, '{}', 'pending', 0, '', ?, "
        "'')",
        (str(uuid.uuid4()), op_type, entity_type, ref, json.dumps(payload, ensure_ascii=False), now),
    )


def _audit(action: str, entity_type: str, ref: str, now: int, detail: dict[str, Any]) -> None:
    database.execute_sql(
        "INSERT INTO audit_log (at, actor, action, entity_type, entity_id, detail_json) VALUES (?, 'user', "
        "?, ?, ?, ?)",
        (now, action, entity_type, ref, json.dumps(detail, ensure_ascii=False)),
    )


def _replace_payload(op_id: int, payload: dict[str, Any]) -> None:
    """Give an unsent op the edited payload (it is sent as if created so)."""
    database.execute_sql(
        "UPDATE outbox SET payload_json = ? WHERE id = ?", (json.dumps(payload, ensure_ascii=False), op_id)
    )


def _goods_exists(goods_id: int) -> None:
    if database.execute_sql("SELECT 1 FROM goods WHERE goods_id = ?", (goods_id,)).fetchone() is None:
        raise ValidationError("商品", f"店铺里没有这个商品（商品ID {goods_id}）")


def _coupon_payload(
    ref: str,
    name: str,
    goods_id: int,
    discount_fen: int,
    quantity: int,
    user_limit: int,
    start_at: int,
    end_at: int,
) -> dict[str, Any]:
    return {
        "local_ref": ref,
        "goods_id": goods_id,
        "batch_desc": name,
        "discount": discount_fen,
        "init_quantity": quantity,
        "user_limit": user_limit,
        "start_at": start_at,
        "end_at": end_at,
    }


def create_coupon(
    *,
    kind: str,
    name: str,
    discount_fen: int,
    quantity: int,
    start_at: int,
    end_at: int,
    user_limit: int = 1,
    goods_id: int | None = None,
    min_order_fen: int = 0,
) -> Changes:
    """A new coupon batch: a 商品券 goes to the platform through the outbox, a 店铺券 is a local plan.

    Raises:
        ValidationError: a field is missing or out of range (nothing is written).
    """
    now = clock.now()
    name = rules.check_name(name)
    if kind not in rules.COUPON_KINDS:
        raise ValidationError("券类型", "应为 店铺券 或 商品券")
    if kind == "goods":
        if goods_id is None:
            raise ValidationError("商品", "商品券必须选择商品")
        if min_order_fen:
            raise ValidationError("使用门槛", "平台的商品券是无门槛券，不能设置门槛")
    rules.check_coupon(
        discount_fen=discount_fen, min_order_fen=min_order_fen, quantity=quantity, user_limit=user_limit
    )
    rules.check_period(start_at, end_at, now, label="有效期")
    ref = f"c-{uuid.uuid4().hex[:16]}"
    origin = "platform" if kind == "goods" else "plan"
    with write_transaction():
        if goods_id is not None:
            _goods_exists(goods_id)
        database.execute_sql(
            "INSERT INTO coupon (local_ref, batch_id, origin, kind, name, goods_id, discount_type, "
            "discount_fen, "
            "discount_rate, min_order_fen, init_quantity, remain_quantity, used_quantity, user_limit, "
            "start_at, "
            "end_at, status, source_type, pending_ops, ended_at, created_at, platform_updated_at) "
            "VALUES (?, NULL, ?, ?, ?, ?, 1, ?, 0, ?, ?, ?, 0, ?, ?, ?, 0, ?, ?, NULL, ?, NULL)",
            (
                ref,
                origin,
                kind,
                name,
                goods_id if kind == "goods" else None,
                discount_fen,
                min_order_fen,
                quantity,
                quantity,
                user_limit,
                start_at,
                end_at,
                54 if kind == "goods" else 0,
                1 if kind == "goods" else 0,
                now,
            ),
        )
        if kind == "goods":
            assert goods_id is not None
            payload = _coupon_payload(
                ref, name, goods_id, discount_fen, quantity, user_limit, start_at, end_at
            )
            _queue(OP_CREATE_COUPON, "coupon", ref, payload, now)
        _audit("create_coupon", "coupon", ref, now, {"name": name, "kind": kind, "origin": origin})
    return CHANGES


def _coupon(coupon_id: int) -> tuple:
    row = database.execute_sql(
        "SELECT local_ref, origin, kind, batch_id, status, ended_at, goods_id, name FROM coupon WHERE id = ?",
        (coupon_id,),
    ).fetchone()
    if row is None:
        raise NotAllowed("找不到这张优惠券（可能已被删除），请刷新")
    return row


def _unsent(op_type: str, ref: str) -> tuple | None:
    """The op of ``ref`` that was never sent (pending, no attempt), if any."""
    return database.execute_sql(
        "SELECT id, payload_json FROM outbox WHERE op_type = ? AND entity_remote_id = ? AND state = "
        "'pending' "
        "AND attempts = 0 ORDER BY id LIMIT 1",
        (op_type, ref),
    ).fetchone()


def _open_op(op_type: str, ref: str) -> bool:
    marks = ",".join("?" * len(_OPEN))
    return (
        database.execute_sql(
            f"SELECT 1 FROM outbox WHERE op_type = ? AND entity_remote_id = ? AND state IN ({marks})",
            (op_type, ref, *_OPEN),
        ).fetchone()
        is not None
    )


def edit_coupon(
    *,
    coupon_id: int,
    name: str,
    discount_fen: int,
    quantity: int,
    start_at: int,
    end_at: int,
    user_limit: int = 1,
    min_order_fen: int = 0,
) -> Changes:
    """Change a local plan, or a 商品券 whose create has not been sent yet.

    Raises:
        NotAllowed: the coupon is on the platform (no edit API) or ended.
        ValidationError: a field is out of range.
    """
    now = clock.now()
    name = rules.check_name(name)
    rules.check_coupon(
        discount_fen=discount_fen, min_order_fen=min_order_fen, quantity=quantity, user_limit=user_limit
    )
    rules.check_period(start_at, end_at, now, label="有效期")
    with write_transaction():
        ref, origin, kind, _batch_id, _status, ended_at, goods_id, _old = _coupon(coupon_id)
        if ended_at:
            raise NotAllowed("这张优惠券已结束，不能修改")
        unsent = _unsent(OP_CREATE_COUPON, ref) if origin == "platform" else None
        if origin == "platform" and unsent is None:
            raise NotAllowed(
                "优惠券已在平台上创建：平台不提供修改接口，请在拼多多商家后台修改，或结束后重新创建"
            )
        if kind == "goods" and min_order_fen:
            raise ValidationError("使用门槛", "平台的商品券是无门槛券，不能设置门槛")
        database.execute_sql(
            "UPDATE coupon SET name = ?, discount_fen = ?, min_order_fen = ?, init_quantity = ?, "
            "remain_quantity = ?, user_limit = ?, start_at = ?, end_at = ? WHERE id = ?",
            (name, discount_fen, min_order_fen, quantity, quantity, user_limit, start_at, end_at, coupon_id),
        )
        if unsent is not None:
            payload = _coupon_payload(
                ref, name, goods_id, discount_fen, quantity, user_limit, start_at, end_at
            )
            _replace_payload(unsent[0], payload)
        _audit("edit_coupon", "coupon", ref, now, {"name": name})
    return CHANGES


def end_coupon(*, coupon_id: int) -> Changes:
    """End a coupon: close it on the platform (outbox), or end a plan / an unsent create here.

    Raises:
        NotAllowed: already ended, or its create is on its way (try again after the sync).
    """
    now = clock.now()
    with write_transaction():
        ref, origin, _kind, batch_id, status, ended_at, _goods, name = _coupon(coupon_id)
        if ended_at or (origin == "platform" and status == rules.ENDED_COUPON):
            raise NotAllowed("这张优惠券已经结束")
        if origin == "plan":
            database.execute_sql("UPDATE coupon SET ended_at = ? WHERE id = ?", (now, coupon_id))
        elif batch_id:
            if _open_op(OP_CLOSE_COUPON, ref):
                raise NotAllowed("结束操作已在等待上传")
            database.execute_sql(
                "UPDATE coupon SET ended_at = ?, pending_ops = pending_ops + 1 WHERE id = ?", (now, coupon_id)
            )
            _queue(OP_CLOSE_COUPON, "coupon", ref, {"local_ref": ref, "batch_id": batch_id}, now)
        else:
            unsent = _unsent(OP_CREATE_COUPON, ref)
            if unsent is None:
                raise NotAllowed("优惠券正在上传到平台，请同步完成后再结束")
            database.execute_sql(
                "UPDATE outbox SET state = 'cancelled', completed_at = ?, last_error = ? WHERE id = ?",
                (now, "创建前已结束，未上传", unsent[0]),
            )
            database.execute_sql(
                "UPDATE coupon SET ended_at = ?, status = ?, pending_ops = 0 WHERE id = ?",
                (now, rules.ENDED_COUPON, coupon_id),
            )
        _audit("end_coupon", "coupon", ref, now, {"name": name})
    return CHANGES


def _sku_prices_for(
    goods_id: int, discount_permille: int | None, sku_prices: Mapping[int, int]
) -> dict[int, tuple[int, int]]:
    """sku_id → (activity price, 拼单价) for every SKU the activity covers."""
    skus = dict(
        database.execute_sql(
            "SELECT sku_id, group_price_fen FROM sku WHERE goods_id = ?", (goods_id,)
        ).fetchall()
    )
    unknown = sorted(set(sku_prices) - set(skus))
    if unknown:
        raise ValidationError("规格", f"规格 {unknown[0]} 不属于这个商品")
    out: dict[int, tuple[int, int]] = {}
    for sku_id, group in skus.items():
        if sku_id in sku_prices:
            price = int(sku_prices[sku_id])
        elif discount_permille is not None:
            price = rules.permille_price(int(group), discount_permille)
        else:
            continue
        if price >= int(group) and group:
            raise ValidationError("活动价", f"规格 {sku_id} 的活动价应低于拼单价 {format_yuan(int(group))}")
        out[int(sku_id)] = (price, int(group))
    if not out:
        raise ValidationError("规格", "这个商品没有规格")
    return out


@dataclass(frozen=True)
class _DiscountTerms:
    """What the merchant sets on a 限时限量购: checked, stored and sent the same on create and edit."""

    name: str
    activity_type: int
    goods_id: int
    start_at: int
    end_at: int
    discount_permille: int | None
    sku_prices: Mapping[int, int]
    quantity: int
    user_limit: int

    def check(self, now: int) -> None:
        """Raises ValidationError: a field is missing or out of range."""
        rules.check_discount(
            activity_type=self.activity_type,
            discount_permille=self.discount_permille,
            sku_prices=self.sku_prices,
            quantity=self.quantity,
            user_limit=self.user_limit,
        )
        rules.check_period(self.start_at, self.end_at, now)

    def store_skus(self, discount_id: int) -> dict[int, tuple[int, int]]:
        """Write the activity's SKU prices (a discount's rows are new or were deleted); returns them.

        Raises:
            ValidationError: a SKU of another goods, or a price not below the 拼单价.
        """
        prices = _sku_prices_for(self.goods_id, self.discount_permille, self.sku_prices)
        database.connection().executemany(
            "INSERT INTO limited_discount_sku (discount_id, sku_id, activity_price_fen, group_price_fen) "
            "VALUES (?, ?, ?, ?)",
            [(discount_id, s, p, g) for s, (p, g) in sorted(prices.items())],
        )
        return prices

    def payload(self, ref: str, prices: Mapping[int, tuple[int, int]]) -> dict[str, Any]:
        """The create op's payload (read by ``services/sync/areas/marketing.py``)."""
        return {
            "local_ref": ref,
            "activity_name": self.name,
            "activity_type": self.activity_type,
            "goods_id": self.goods_id,
            "discount": self.discount_permille,
            "sku_price_list": [[s, p] for s, (p, _g) in sorted(prices.items())],
            "quantity": self.quantity,
            "user_activity_limit": self.user_limit,
            "start_time": self.start_at,
            "end_time": self.end_at,
        }


def create_discount(
    *,
    name: str,
    activity_type: int,
    goods_id: int,
    start_at: int,
    end_at: int,
    discount_permille: int | None = None,
    sku_prices: Mapping[int, int] | None = None,
    quantity: int = 0,
    user_limit: int = 0,
) -> Changes:
    """A new 限时限量购 of one goods, created on the platform through the outbox.

    Raises:
        ValidationError: a field is missing or out of range (nothing is written).
    """
    now = clock.now()
    t = _DiscountTerms(
        rules.check_name(name), activity_type, goods_id, start_at, end_at, discount_permille,
        dict(sku_prices or {}), quantity, user_limit,
    )  # fmt: skip
    t.check(now)
    ref = f"d-{uuid.uuid4().hex[:16]}"
    with write_transaction():
        _goods_exists(goods_id)
        cur = database.execute_sql(
            "INSERT INTO limited_discount (local_ref, activity_id, detail_id, origin, activity_type, name, "
            "goods_id, "
            "discount_permille, quantity, remain_quantity, user_limit, start_at, end_at, status, "
            "pending_ops, "
            "ended_at, created_at, platform_updated_at) VALUES (?, NULL, NULL, 'platform', ?, ?, ?, ?, ?, "
            "?, ?, ?, ?, "
            "0, 1, NULL, ?, NULL)",
            (
                ref, t.activity_type, t.name, goods_id, t.discount_permille, t.quantity, t.quantity,
                t.user_limit, t.start_at, t.end_at, now,
            ),
        )  # fmt: skip
        prices = t.store_skus(cur.lastrowid)
        _queue(OP_CREATE_DISCOUNT, "limited_discount", ref, t.payload(ref, prices), now)
        _audit("create_discount", "limited_discount", ref, now, {"name": t.name, "goods_id": goods_id})
    return CHANGES


def _discount(discount_id: int) -> tuple:
    row = database.execute_sql(
        "SELECT local_ref, origin, detail_id, status, ended_at, goods_id, name, activity_type FROM "
        "limited_discount "
        "WHERE id = ?",
        (discount_id,),
    ).fetchone()
    if row is None:
        raise NotAllowed("找不到这个限时限量购活动（可能已被删除），请刷新")
    return row


def edit_discount(
    *,
    discount_id: int,
    name: str,
    start_at: int,
    end_at: int,
    discount_permille: int | None = None,
    sku_prices: Mapping[int, int] | None = None,
    quantity: int = 0,
    user_limit: int = 0,
) -> Changes:
    """Change a 限时限量购 whose create has not been sent yet (the platform has no edit API).

    Raises:
        NotAllowed: already on the platform, or ended.
        ValidationError: a field is out of range.
    """
    now = clock.now()
    name = rules.check_name(name)
    with write_transaction():
        ref, _origin, _detail, _status, ended_at, goods_id, _old, activity_type = _discount(discount_id)
        t = _DiscountTerms(
            name, activity_type, goods_id, start_at, end_at, discount_permille, dict(sku_prices or {}),
            quantity, user_limit,
        )  # fmt: skip
        t.check(now)
        if ended_at:
            raise NotAllowed("这个活动已结束，不能修改")
        unsent = _unsent(OP_CREATE_DISCOUNT, ref)
        if unsent is None:
            raise NotAllowed("活动已在平台上创建：平台不提供修改接口，请结束后重新创建")
        database.execute_sql(
            "UPDATE limited_discount SET name = ?, discount_permille = ?, quantity = ?, remain_quantity = ?, "
            "user_limit = ?, start_at = ?, end_at = ? WHERE id = ?",
            (name, discount_permille, quantity, quantity, user_limit, start_at, end_at, discount_id),
        )
        database.execute_sql("DELETE FROM limited_discount_sku WHERE discount_id = ?", (discount_id,))
        _replace_payload(unsent[0], t.payload(ref, t.store_skus(discount_id)))
        _audit("edit_discount", "limited_discount", ref, now, {"name": name})
    return CHANGES


def end_discount(*, discount_id: int) -> Changes:
    """End a 限时限量购 (cancel on the platform through the outbox, or drop an unsent create).

    Raises:
        NotAllowed: already ended, or its create is on its way.
    """
    now = clock.now()
    with write_transaction():
        ref, origin, detail_id, status, ended_at, goods_id, name, _type = _discount(discount_id)
        if ended_at or status in rules.ENDED_DISCOUNT:
            raise NotAllowed("这个活动已经结束")
        if origin == "plan":
            database.execute_sql("UPDATE limited_discount SET ended_at = ? WHERE id = ?", (now, discount_id))
        elif detail_id:
            if _open_op(OP_CANCEL_DISCOUNT, ref):
                raise NotAllowed("结束操作已在等待上传")
            database.execute_sql(
                "UPDATE limited_discount SET ended_at = ?, pending_ops = pending_ops + 1 WHERE id = ?",
                (now, discount_id),
            )
            payload = {"local_ref": ref, "detail_id": detail_id, "goods_id": goods_id}
            _queue(OP_CANCEL_DISCOUNT, "limited_discount", ref, payload, now)
        else:
            unsent = _unsent(OP_CREATE_DISCOUNT, ref)
            if unsent is None:
                raise NotAllowed("活动正在上传到平台，请同步完成后再结束")
            database.execute_sql(
                "UPDATE outbox SET state = 'cancelled', completed_at = ?, last_error = ? WHERE id = ?",
                (now, "创建前已结束，未上传", unsent[0]),
            )
            database.execute_sql(
                "UPDATE limited_discount SET ended_at = ?, status = 4, pending_ops = 0 WHERE id = ?",
                (now, discount_id),
            )
        _audit("end_discount", "limited_discount", ref, now, {"name": name})
    return CHANGES


# --------------------------------------------------------------------------------------------
# Campaign results
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PeriodFigures:
    """Orders, units and GMV of some goods in a period."""

    orders: int
    units: int
    gmv_fen: int


@dataclass(frozen=True)
class CampaignResult:
    """What one coupon, discount or activity brought and cost.

    Attributes:
        kind: ``coupon`` / ``discount`` / ``activity``.
        ref: the row's local id in its table.
        start_at, end_at: the period counted (the campaign's, ending now at the latest).
        gmv_fen: 成交额 of the matched goods at the prices paid, after the shop's discount.
        discount_fen: what the discount cost the shop (coupon amounts; list price − activity price).
        cost_fen: cost of the matched units whose cost price is known.
        margin_fen: ``gmv_fen`` − ``cost_fen``; None when no matched unit has a cost price.
        units_without_cost: matched units whose SKU has no cost price (margin leaves them out).
        period: the same goods over all paid orders in the counted period (with or without the
            campaign): what ``previous`` is compared with.
        previous: the same goods in the period of the same length just before.
        below_cost: Chinese warnings, one per SKU whose activity price is under its cost.
        order_ids: the local ids of the orders that used it.
    """

    kind: str
    ref: int
    name: str
    kind_label: str
    state_label: str
    start_at: int
    end_at: int
    orders: int
    units: int
    gmv_fen: int
    discount_fen: int
    cost_fen: int
    margin_fen: int | None
    units_without_cost: int
    period: PeriodFigures
    previous: PeriodFigures
    below_cost: tuple[str, ...]
    order_ids: tuple[int, ...]

    @property
    def gmv_change(self) -> float | None:
        """The same goods' GMV in the period against the period before, as a fraction.

        Like for like: both sides are all orders of the goods (list prices), so a coupon used by
        a few orders does not read as a fall in sales. None when nothing sold before.
        """
        if not self.previous.gmv_fen:
            return None
        return (self.period.gmv_fen - self.previous.gmv_fen) / self.previous.gmv_fen


_PAID = "o.paid_at IS NOT NULL AND o.paid_at >= ? AND o.paid_at < ?"


def _previous(goods_ids: Iterable[int], start: int, end: int) -> PeriodFigures:
    length = max(0, end - start)
    return _goods_figures(goods_ids, start - length, start)


def _goods_figures(goods_ids: Iterable[int], start: int, end: int) -> PeriodFigures:
    """Orders, units and list-price GMV of ``goods_ids`` in all orders paid in ``start`` … ``end``."""
    ids = sorted(set(goods_ids))
    if not ids or end <= start:
        return PeriodFigures(0, 0, 0)
    marks = ",".join("?" * len(ids))
    row = database.execute_sql(
        "SELECT COUNT(DISTINCT o.id), COALESCE(SUM(i.quantity), 0), COALESCE(SUM(i.quantity * "
        "i.unit_price_fen), 0) "
        f'FROM order_item i JOIN "order" o ON o.id = i.order_id WHERE i.goods_id IN ({marks}) AND {_PAID}',
        (*ids, start, end),
    ).fetchone()
    return PeriodFigures(int(row[0]), int(row[1]), int(row[2]))


def _costing(lines: list[tuple[int, int]]) -> tuple[int, int, bool]:
    """(cost of units with a cost price, units without one, any cost known) of (sku, qty) lines."""
    costs = unit_costs(s for s, _q in lines)
    cost = missing = 0
    known = False
    for sku_id, qty in lines:
        c = costs.get(sku_id)
        if c is None:
            missing += qty
        else:
            cost += c * qty
            known = True
    return cost, missing, known


def _coupon_result(c: CouponRow, now: int) -> CampaignResult:
    start, end = c.start_at, min(c.end_at, now)
    end = max(start, end)
    goods_filter = ""
    params: list[Any] = [c.discount_fen, c.min_order_fen, start, end]
    if c.kind == "goods" and c.goods_id is not None:
        goods_filter = " AND EXISTS (SELECT 1 FROM order_item x WHERE x.order_id = o.id AND x.goods_id = ?)"
        params.append(c.goods_id)
    orders = (
        database.execute_sql(
            f'SELECT o.id, o.seller_discount_fen FROM "order" o WHERE o.seller_discount_fen = ? '
            f"AND o.goods_amount_fen >= ? AND {_PAID}{goods_filter} ORDER BY o.id",
            params,
        ).fetchall()
        if c.discount_type == 1 and c.discount_fen > 0
        else []
    )
    ids = [int(r[0]) for r in orders]
    lines: list[tuple[int, int, int, int]] = []  # order, goods, sku, qty, value
    for i in range(0, len(ids), 500):
        part = ids[i : i + 500]
        lines.extend(
            database.execute_sql(
                "SELECT order_id, goods_id, sku_id, quantity, quantity * unit_price_fen FROM order_item "
                f"WHERE order_id IN ({','.join('?' * len(part))})",
                part,
            ).fetchall()
        )
    if c.kind == "goods":
        lines = [ln for ln in lines if ln[1] == c.goods_id]
    discount = sum(int(r[1]) for r in orders)
    gmv = sum(int(ln[4]) for ln in lines) - discount
    units = sum(int(ln[3]) for ln in lines)
    cost, missing, known = _costing([(int(ln[2]), int(ln[3])) for ln in lines])
    goods = {int(ln[1]) for ln in lines} if c.kind == "shop" else {c.goods_id} if c.goods_id else set()
    return CampaignResult(
        "coupon",
        c.id,
        c.name,
        f"{c.kind_label} {c.rule_text}",
        c.state_label,
        start,
        end,
        len(ids),
        units,
        gmv,
        discount,
        cost,
        gmv - cost if known else None,
        missing,
        _goods_figures(goods, start, end),
        _previous(goods, start, end),
        (),
        tuple(ids),
    )


def _line_result(
    kind: str,
    ref: int,
    name: str,
    kind_label: str,
    state_label: str,
    goods_id: int,
    skus: tuple[DiscountSku, ...],
    start: int | None,
    end: int | None,
    now: int,
    *,
    by_price: bool,
) -> CampaignResult:
    start = int(start or 0)
    end = max(start, min(int(end or now), now))
    prices = {s.sku_id: s for s in skus}
    rows = database.execute_sql(
        "SELECT i.order_id, i.sku_id, i.quantity, i.unit_price_fen FROM order_item i "
        f'JOIN "order" o ON o.id = i.order_id WHERE i.goods_id = ? AND {_PAID} ORDER BY i.order_id',
        (goods_id, start, end),
    ).fetchall()
    matched = [
        r for r in rows if not by_price or (r[1] in prices and prices[r[1]].activity_price_fen == r[3])
    ]
    gmv = sum(int(r[2]) * int(r[3]) for r in matched)
    units = sum(int(r[2]) for r in matched)
    discount = sum(
        int(r[2]) * max(0, prices[r[1]].group_price_fen - int(r[3])) for r in matched if r[1] in prices
    )
    cost, missing, known = _costing([(int(r[1]), int(r[2])) for r in matched])
    ids = tuple(sorted({int(r[0]) for r in matched}))
    warnings = tuple(
        f"{s.spec or s.sku_id}：活动价 {format_yuan(s.activity_price_fen)} "
        f"低于成本 {format_yuan(s.cost_price_fen or 0)}"
        for s in skus
        if s.below_cost
    )
    return CampaignResult(
        kind,
        ref,
        name,
        kind_label,
        state_label,
        start,
        end,
        len(ids),
        units,
        gmv,
        discount,
        cost,
        gmv - cost if known else None,
        missing,
        _goods_figures((goods_id,), start, end),
        _previous((goods_id,), start, end),
        warnings,
        ids,
    )


def campaign_results(*, now: int | None = None) -> list[CampaignResult]:
    """Results of every coupon, 限时限量购 and activity registration that has started.

    Registrations count only when their state says the goods took part
    (:func:`~pdd_desktop.domain.marketing.registration_ran`).

    Plans (需在平台设置) count too: their orders are matched the same way once the merchant set
    them up in the backend.
    """
    now = clock.now() if now is None else now
    out: list[CampaignResult] = []
    for c in list_coupons():
        if c.start_at <= now and (c.status != 0 or c.is_plan):
            out.append(_coupon_result(c, now))
    for d in list_discounts():
        if d.start_at <= now and d.status != 0:
            out.append(
                _line_result(
                    "discount",
                    d.id,
                    d.name,
                    d.type_label,
                    d.state_label,
                    d.goods_id,
                    d.skus,
                    d.start_at,
                    d.end_at,
                    now,
                    by_price=True,
                )
            )
    for r in list_registrations():
        # A refused, withdrawn or not yet approved registration never ran: its goods' orders in
        # the activity's dates are ordinary sales, not the activity's.
        if r.start_at is not None and r.start_at <= now and rules.registration_ran(r.state):
            out.append(
                _line_result(
                    "activity",
                    r.id,
                    r.activity_name,
                    f"活动 · {r.activity_type}" if r.activity_type else "活动",
                    r.state,
                    r.goods_id,
                    r.skus,
                    r.start_at,
                    r.end_at,
                    now,
                    by_price=bool(r.skus),
                )
            )
    return out


# --------------------------------------------------------------------------------------------
# The page's one read
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MarketingData:
    """Everything the 营销 page shows, read in one go."""

    coupons: tuple[CouponRow, ...]
    discounts: tuple[DiscountRow, ...]
    registrations: tuple[RegistrationRow, ...]
    results: tuple[CampaignResult, ...]
    goods: tuple[tuple[int, str], ...]  #: (goods_id, name) the dialogs offer


def goods_choices(limit: int = 5000) -> tuple[tuple[int, str], ...]:
    """Goods on sale first, by name: what a coupon or discount can be set on."""
    return tuple(
        (int(r[0]), str(r[1]))
        for r in database.execute_sql(
            "SELECT goods_id, name FROM goods ORDER BY is_onsale DESC, name LIMIT ?", (limit,)
        ).fetchall()
    )


def marketing_data(*, now: int | None = None) -> MarketingData:
    """The page's data: lists, campaign results and the goods to choose from."""
    return MarketingData(
        tuple(list_coupons()),
        tuple(list_discounts()),
        tuple(list_registrations()),
        tuple(campaign_results(now=now)),
        goods_choices(),
    )
