"""Goods: the goods pull (list pages, then details of what differs); stock, price, shelf ops.

The apply functions run inside the caller's ``write_transaction()`` and never touch the network.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from pdd_desktop.common.changes import Changes
from pdd_desktop.data.db import database, write_transaction
from pdd_desktop.domain import sync_rules as rules
from pdd_desktop.domain.money import format_yuan
from pdd_desktop.platform.apis import ApiSpec
from pdd_desktop.platform.records import GoodsRecord, Page, SkuRecord, WriteResult
from pdd_desktop.services.sync.fetch import ordered_fetch
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
    rows_in,
)

if TYPE_CHECKING:
    from pdd_desktop.platform.client import PlatformClient
    from pdd_desktop.services.sync.push import Pusher

APIS = (
    # per-shop limits: pdd-open-api.md §9 (list: DOC page; detail: NODE metadata)
    ApiSpec("pdd.goods.list.get", "goods_list_get_response", read_only=True, rate_limit=(1000, 60)),
    ApiSpec("pdd.goods.detail.get", "goods_detail_get_response", read_only=True, rate_limit=(3000, 60)),
    ApiSpec("pdd.goods.quantity.update", "goods_quantity_update_response", read_only=False),
    ApiSpec("pdd.goods.sku.price.update", "goods_update_sku_price_response", read_only=False),
    ApiSpec("pdd.goods.sale.status.set", "goods_sale_status_set_response", read_only=False),
)

#: Goods detail reads per run (the rest follow on the next run).
MAX_GOODS_DETAILS = 200

# --------------------------------------------------------------------------------------------
# Pull: applying goods details
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _PendingGoodsEdits:
    """Local goods edits the platform has not confirmed yet (open outbox ops): the pull keeps them."""

    stock: frozenset[int]  #: sku ids with an open set_stock
    price: frozenset[int]  #: sku ids with an open set_price
    onsale: frozenset[int]  #: goods ids with an open set_onsale


def _pending_goods_edits() -> _PendingGoodsEdits:
    marks = ",".join("?" * len(rules.OPEN_STATES))
    found: dict[str, set[int]] = {"set_stock": set(), "set_price": set(), "set_onsale": set()}
    for op_type, sku_id, goods_id in database.execute_sql(
        "SELECT op_type, json_extract(payload_json, '$.sku_id'), json_extract(payload_json, '$.goods_id') "
        f"FROM outbox WHERE op_type IN ('set_stock', 'set_price', 'set_onsale') AND state IN ({marks})",
        rules.OPEN_STATES,
    ).fetchall():
        key = goods_id if op_type == "set_onsale" else sku_id
        if key is not None:
            found[op_type].add(int(key))
    return _PendingGoodsEdits(
        frozenset(found["set_stock"]), frozenset(found["set_price"]), frozenset(found["set_onsale"])
    )


def goods_needing_detail(
    items: Sequence[GoodsRecord], pending: _PendingGoodsEdits | None = None
) -> list[int]:
    """Goods of a list page whose local copy differs (or is missing): their detail is read.

    Values with a local edit still on its way to the platform (``pending``) are not compared.
    """
    if not items:
        return []
    pending = pending if pending is not None else _pending_goods_edits()
    ids = [g.goods_id for g in items]
    goods = {
        r[0]: r
        for r in rows_in(
            "SELECT goods_id, name, is_onsale, platform_updated_at, image_url FROM goods "
            "WHERE goods_id IN ({marks})",
            ids,
        )
    }
    skus: dict[int, dict[int, tuple]] = {}
    for gid, sku_id, stock, onsale, outer_id, reserve in rows_in(
        "SELECT goods_id, sku_id, stock, is_onsale, outer_id, reserve_quantity FROM sku "
        "WHERE goods_id IN ({marks})",
        ids,
    ):
        skus.setdefault(gid, {})[sku_id] = (
            None if sku_id in pending.stock else stock,
            bool(onsale),
            outer_id,
            reserve,
        )
    out = []
    for g in items:
        row = goods.get(g.goods_id)
        # a field the answer lacks (None) is not a difference: it would make every run read again
        onsale = effective_onsale(g)
        onsale_differs = (
            g.goods_id not in pending.onsale and onsale is not None and bool(row[2]) != onsale
            if row
            else True
        )
        # a new main image (the list's image_url) is a difference; an answer without one is not
        image_differs = bool(row and g.image_url and row[4] != g.image_url)
        if row is None or row[3] is None or row[1] != g.name or onsale_differs or image_differs:
            out.append(g.goods_id)
            continue
        local = skus.get(g.goods_id, {})
        remote = {
            s.sku_id: (
                None if s.sku_id in pending.stock else s.quantity,
                local.get(s.sku_id, (None, s.is_onsale))[1] if s.is_onsale is None else s.is_onsale,
                s.outer_id,
                s.reserve_quantity,
            )
            for s in g.skus
        }
        if local != remote:
            out.append(g.goods_id)
    return out


def effective_onsale(g: GoodsRecord) -> bool | None:
    """On the shelf or not, from the fields the answer has.

    The goods-level value (list ``is_onsale``, detail ``status``) when present; else the SKUs
    that say: on sale when any SKU is, off when all that say are off; None when nothing says.
    """
    if g.is_onsale is not None:
        return g.is_onsale
    known = [s.is_onsale for s in g.skus if s.is_onsale is not None]
    return any(known) if known else None


def with_listed(detail: GoodsRecord, listed: GoodsRecord | None) -> GoodsRecord:
    """A detail answer with the list's values filled in where the detail has none.

    pdd.goods.detail.get's ``status`` and the SKUs' ``is_onsale`` are optional in practice
    (pdd-open-api.md §6 lists them, answers may omit them); the list's ``is_onsale`` /
    ``is_sku_onsale`` then decide, so a missing field neither flips the shelf state nor makes
    the goods differ from the list on every run.
    """
    if listed is None:
        return detail
    listed_skus = {s.sku_id: s for s in listed.skus}

    def sku(s: SkuRecord) -> SkuRecord:
        other = listed_skus.get(s.sku_id)
        if s.is_onsale is None and other is not None and other.is_onsale is not None:
            return replace(s, is_onsale=other.is_onsale)
        return s

    skus = tuple(sku(s) for s in detail.skus)
    onsale = detail.is_onsale if detail.is_onsale is not None else listed.is_onsale
    return replace(detail, is_onsale=onsale, skus=skus)


def apply_goods(
    details: Sequence[GoodsRecord], now: int, listed: Mapping[int, GoodsRecord] | None = None
) -> ApplyCounts:
    """Upsert goods and SKUs from detail answers (prices in fen); stock differences are logged."""
    counts = ApplyCounts()
    conn = database.connection()
    # A detail the platform has not changed can still differ from the local copy (a local
    # shipment deducted stock): the platform's value wins, or the goods are read every run.
    pending = _pending_goods_edits()
    details = [with_listed(d, (listed or {}).get(d.goods_id)) for d in details]
    differs = set(goods_needing_detail(details, pending))
    for g in details:
        onsale = effective_onsale(g)
        row = database.execute_sql(
            "SELECT remote_hash FROM goods WHERE goods_id = ?", (g.goods_id,)
        ).fetchone()
        rhash = rules.content_hash(g.raw)
        if row is not None and row[0] == rhash and g.goods_id not in differs:
            counts.same += 1
            continue
        if row is None:
            conn.execute(
                "INSERT INTO goods (goods_id, name, short_name, "
                "outer_goods_id, category, image_url, is_onsale, "
                "promise_hours, market_price_fen, created_at, platform_updated_at, remote_hash) "
                "VALUES (?, ?, '', ?, '', ?, ?, 48, ?, ?, ?, ?)",
                (
                    g.goods_id,
                    g.name,
                    g.outer_goods_id,
                    g.image_url,
                    1 if onsale else 0,
                    g.market_price_fen or 0,
                    g.created_at,
                    now,
                    rhash,
                ),
            )
        else:
            conn.execute(
                "UPDATE goods SET name = ?, outer_goods_id = ?, image_url = ?, "
                "is_onsale = COALESCE(?, is_onsale), market_price_fen = COALESCE(?, market_price_fen), "
                "platform_updated_at = ?, remote_hash = ? "
                "WHERE goods_id = ?",
                (
                    g.name,
                    g.outer_goods_id,
                    g.image_url,
                    None if g.goods_id in pending.onsale or onsale is None else (1 if onsale else 0),
                    g.market_price_fen,
                    now,
                    rhash,
                    g.goods_id,
                ),
            )
        local = {
            r[0]: r[1]
            for r in database.execute_sql(
                "SELECT sku_id, stock FROM sku WHERE goods_id = ?", (g.goods_id,)
            ).fetchall()
        }
        for s in g.skus:
            single = s.single_price_fen if s.single_price_fen is not None else None
            group = s.group_price_fen if s.group_price_fen is not None else None
            if s.sku_id in pending.price:  # the user's new price is on its way: keep it
                single = group = None
            if s.sku_id in local:
                keep_stock = s.sku_id in pending.stock
                conn.execute(
                    "UPDATE sku SET spec = ?, outer_id = ?, "
                    "single_price_fen = COALESCE(?, single_price_fen), "
                    "group_price_fen = COALESCE(?, group_price_fen), stock = COALESCE(?, stock), "
                    "reserve_quantity = ?, weight_g = ?, is_onsale = COALESCE(?, is_onsale), "
                    "platform_updated_at = ? "
                    "WHERE sku_id = ?",
                    (
                        s.spec,
                        s.outer_id,
                        single,
                        group,
                        None if keep_stock else s.quantity,
                        s.reserve_quantity,
                        s.weight_g,
                        None if s.is_onsale is None else (1 if s.is_onsale else 0),
                        now,
                        s.sku_id,
                    ),
                )
                delta = 0 if keep_stock else s.quantity - local[s.sku_id]
                if delta:
                    conn.execute(
                        "INSERT INTO stock_movement (sku_id, at, delta, stock_after, kind, note) "
                        "VALUES (?, ?, ?, ?, 'sync', ?)",
                        (s.sku_id, now, delta, s.quantity, "平台库存"),
                    )
            else:
                conn.execute(
                    "INSERT INTO sku (sku_id, goods_id, spec, outer_id, single_price_fen, group_price_fen, "
                    "cost_price_fen, stock, reserve_quantity, low_stock_threshold, weight_g, is_onsale, "
                    "platform_updated_at) VALUES (?, ?, ?, ?, ?, ?, NULL, ?, ?, 5, ?, ?, ?)",
                    (
                        s.sku_id,
                        g.goods_id,
                        s.spec,
                        s.outer_id,
                        single or 0,
                        group or 0,
                        s.quantity,
                        s.reserve_quantity,
                        s.weight_g,
                        0 if s.is_onsale is False or (s.is_onsale is None and not onsale) else 1,
                        now,
                    ),
                )
        counts.upserted += 1
    return counts


# --------------------------------------------------------------------------------------------
# Pull: the stream (not windowed: every page of the list, details of what differs)
# --------------------------------------------------------------------------------------------


def _fetch(ctx: PullContext, page: int) -> Page[GoodsRecord]:
    if ctx.task is not None:
        ctx.task.raise_if_cancelled()
        ctx.task.report(page - 1, 0, f"同步商品（第 {page} 页）")
    return ctx.client.goods_list(page, ctx.page_size)


def _apply(ctx: PullContext, items: Sequence[GoodsRecord]) -> None:
    budget = ctx.state.setdefault("details_left", MAX_GOODS_DETAILS)
    need = goods_needing_detail(items)
    if len(need) > budget:
        need, ctx.deferred = need[:budget], True
    ctx.state["details_left"] = budget - len(need)
    # several details in flight (a shop's first sync reads up to MAX_GOODS_DETAILS of them)
    details = [
        d for _gid, d in ordered_fetch(ctx.client.goods_detail, need, workers=ctx.workers, task=ctx.task)
    ]
    if details:
        listed = {g.goods_id: g for g in items}
        with write_transaction():
            ctx.tally.add(apply_goods(details, ctx.client.platform_now(), listed))


STREAM = PullStream("goods", "商品", Changes(goods=True), fetch=_fetch, apply=_apply)

# --------------------------------------------------------------------------------------------
# Push: stock, prices, shelf state
# --------------------------------------------------------------------------------------------


def _value_text(field: str, value: Any) -> str:
    """A stock or price value as the conflict list shows it: ``12 件``, ``拼单价 ¥9.90 · 单买价 ¥12.90``."""
    if field == "stock":
        return "—" if value is None else f"{value} 件"
    group, single = ([*value, None, None] if isinstance(value, list | tuple) else [None, None])[:2]
    pairs = (("拼单价", group), ("单买价", single))
    parts = [f"{label} {format_yuan(int(fen))}" for label, fen in pairs if fen is not None]
    return " · ".join(parts) or "—"


def _send_stock(client: PlatformClient, op: OutboxOp) -> WriteResult:
    p = op.payload
    return client.update_stock(int(p["goods_id"]), int(p["sku_id"]), int(p["quantity"]))


def _send_price(client: PlatformClient, op: OutboxOp) -> WriteResult:
    p = op.payload
    return client.update_sku_price(
        int(p["goods_id"]),
        int(p["sku_id"]),
        group_price_fen=int(p["group_price_fen"]),
        single_price_fen=int(p["single_price_fen"]),
    )


def _send_onsale(client: PlatformClient, op: OutboxOp) -> WriteResult:
    p = op.payload
    return client.set_sale_status(int(p["goods_id"]), bool(p["is_onsale"]))


def _reconcile_sku(pusher: Pusher, op: OutboxOp, conflicts: bool) -> str:
    """Compare-and-set for set_stock / set_price: the SKU's remote value against the op's base."""
    p = op.payload
    goods = pusher.client.goods_detail(int(p["goods_id"]))
    sku = next((s for s in goods.skus if s.sku_id == int(p["sku_id"])), None)
    if sku is None:
        return GONE
    if op.op_type == "set_stock":
        field, target, base, remote = "stock", p.get("quantity"), op.base.get("quantity"), sku.quantity
    else:
        field = "price"
        target = [p.get("group_price_fen"), p.get("single_price_fen")]
        base = [op.base.get("group_price_fen"), op.base.get("single_price_fen")]
        remote = [sku.group_price_fen, sku.single_price_fen]
    verdict = rules.cas_state(target, base, remote)
    if verdict == "conflict":
        if not conflicts:
            return ABSENT
        pusher.conflict(
            op, field, _value_text(field, base), _value_text(field, target),
            _value_text(field, remote), {"value": remote},
        )  # fmt: skip
    return ABSENT if verdict == "send" else verdict


def _reconcile_onsale(pusher: Pusher, op: OutboxOp, conflicts: bool) -> str:
    goods = pusher.client.goods_detail(int(op.payload["goods_id"]))
    return PRESENT if effective_onsale(goods) == bool(op.payload["is_onsale"]) else ABSENT


def _always(op: OutboxOp) -> bool:
    return True


_CHANGES = Changes(goods=True)
GONE_MESSAGE = "平台上已找不到这个商品规格（可能已删除），本条未上传；请核对后放弃"

OPS = (
    PushOp(
        "set_stock", "库存", _CHANGES, send=_send_stock, reconcile=_reconcile_sku, read_first=_always,
        gone_message=GONE_MESSAGE,
    ),
    PushOp(
        "set_price", "价格", _CHANGES, send=_send_price, reconcile=_reconcile_sku, read_first=_always,
        gone_message=GONE_MESSAGE,
    ),
    PushOp("set_onsale", "上下架", _CHANGES, send=_send_onsale, reconcile=_reconcile_onsale),
)  # fmt: skip

AREA = Area("goods", streams=(STREAM,), ops=OPS, apis=APIS)
