"""Applying pulled platform records to the shop database (the write half of the pull).

Every function here runs inside the caller's ``write_transaction()`` and never touches the
network. Orders are written with plain UPDATE / INSERT (never ``INSERT OR REPLACE``: the
``order_sn_fts`` triggers need real updates and inserts).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from pdd_desktop.data.db import database
from pdd_desktop.domain import sync_rules as rules
from pdd_desktop.domain.orders import OrderStatus
from pdd_desktop.platform.records import CourierRecord, GoodsRecord, OrderRecord, RefundRecord

_IN = 500


@dataclass
class ApplyCounts:
    """What one page did locally."""

    upserted: int = 0
    skipped_stale: int = 0
    same: int = 0
    new_packages: int = 0


def _rows_in(sql: str, values: Sequence, prefix: Sequence = ()) -> list[tuple]:
    out: list[tuple] = []
    for i in range(0, len(values), _IN):
        chunk = list(values[i : i + _IN])
        marks = ",".join("?" * len(chunk))
        out.extend(database.execute_sql(sql.format(marks=marks), [*prefix, *chunk]).fetchall())
    return out


# --------------------------------------------------------------------------------------------
# Orders
# --------------------------------------------------------------------------------------------

_ORDER_SERVER_COLS = (
    "status",
    "confirm_status",
    "group_status",
    "refund_status",
    "after_sales_status",
    "trade_type",
    "is_lucky",
    "risk_control_status",
    "is_pre_sale",
    "buyer_memo",
    "seller_memo",
    "flag",
    "flag_name",
    "goods_amount_fen",
    "postage_fen",
    "platform_discount_fen",
    "seller_discount_fen",
    "change_amount_fen",
    "pay_reduction_fen",
    "pay_amount_fen",
    "merchant_receive_fen",
    "item_count",
    "created_at",
    "paid_at",
    "confirmed_at",
    "group_formed_at",
    "ship_deadline_at",
    "shipped_at",
    "signed_at",
    "cancelled_at",
    "province",
    "city",
    "district",
    "receiver_name_mask",
    "receiver_phone_mask",
    "address_mask",
    "platform_updated_at",
    "remote_hash",
    "remote_missing_since",
)


def order_values(rec: OrderRecord, rhash: str) -> dict[str, object]:
    """The platform-owned columns of an order from its record (before the local overlay)."""
    shipped = rec.shipped_at is not None or rec.order_status in (2, 3)
    status = rules.local_order_status(
        order_status=rec.order_status,
        confirm_status=rec.confirm_status,
        refund_status=rec.refund_status,
        shipped=shipped,
    )
    return {
        "status": int(status),
        "confirm_status": rec.confirm_status,
        "group_status": rec.group_status,
        "refund_status": rec.refund_status,
        "after_sales_status": rec.after_sales_status,
        "trade_type": rec.trade_type,
        "is_lucky": 1 if rec.is_lucky_flag == 2 else 0,
        "risk_control_status": rec.risk_control_status,
        "is_pre_sale": 1 if rec.is_pre_sale else 0,
        "buyer_memo": rec.buyer_memo,
        "seller_memo": rec.seller_memo,
        "flag": rec.flag,
        "flag_name": rec.flag_name if rec.flag else "",
        # goods_amount on the platform is price × qty − order_change_amount (§3.4)
        "goods_amount_fen": rec.goods_amount_fen + rec.change_amount_fen,
        "postage_fen": rec.postage_fen,
        "platform_discount_fen": rec.platform_discount_fen,
        "seller_discount_fen": rec.seller_discount_fen,
        "change_amount_fen": rec.change_amount_fen,
        "pay_reduction_fen": rec.pay_reduction_fen,
        "pay_amount_fen": rec.pay_amount_fen,
        # the platform pays its own coupons (demo_shop's convention)
        "merchant_receive_fen": rec.pay_amount_fen + rec.platform_discount_fen,
        "item_count": rec.item_count or 1,
        "created_at": rec.created_at,
        "paid_at": rec.paid_at,
        "confirmed_at": rec.confirmed_at,
        "group_formed_at": rec.confirmed_at if rec.group_status == 1 else None,
        "ship_deadline_at": rec.ship_deadline_at,
        "shipped_at": rec.shipped_at,
        "signed_at": rec.signed_at,
        "cancelled_at": rec.updated_at if status == OrderStatus.CANCELLED else None,
        "province": rec.province,
        "city": rec.city,
        "district": rec.town,  # the platform's ``town`` is the 区/县 level
        "receiver_name_mask": rec.receiver_name_mask,
        "receiver_phone_mask": rec.receiver_phone_mask,
        "address_mask": rec.receiver_address_mask,
        "platform_updated_at": rec.updated_at,
        "remote_hash": rhash,
        "remote_missing_since": None,
    }


#: Columns kept from the local row when the local one is already set (the platform does not
#: serve them, or serves a weaker value).
_KEEP_IF_SET = ("group_formed_at", "cancelled_at")


def _open_ops(order_sns: Sequence[str]) -> dict[str, set[str]]:
    """Open (not yet acknowledged) op types per order."""
    out: dict[str, set[str]] = {}
    marks_states = ",".join("?" * len(rules.OPEN_STATES))
    for sn, op_type in _rows_in(
        f"SELECT entity_remote_id, op_type FROM outbox WHERE state IN ({marks_states}) "
        "AND entity_type = 'order' AND entity_remote_id IN ({marks})",
        list(order_sns),
        prefix=rules.OPEN_STATES,
    ):
        out.setdefault(sn, set()).add(op_type)
    return out


def apply_orders(records: Sequence[OrderRecord], *, source: str = "api") -> ApplyCounts:
    """Upsert a page of orders (newer versions only), their items and platform-side parcels."""
    counts = ApplyCounts()
    if not records:
        return counts
    # A page may hold the same order twice (a repeated page): keep the newest.
    newest: dict[str, OrderRecord] = {}
    for rec in records:
        have = newest.get(rec.order_sn)
        if have is None or rec.updated_at >= have.updated_at:
            newest[rec.order_sn] = rec
    sns = list(newest)
    existing = {
        r[1]: r
        for r in _rows_in(
            "SELECT id, order_sn, platform_updated_at, remote_hash, status, shipped_at, group_formed_at, "
            'cancelled_at FROM "order" WHERE order_sn IN ({marks})',
            sns,
        )
    }
    open_ops = _open_ops(sns)
    conn = database.connection()
    changed: list[tuple[int, OrderRecord]] = []
    for sn, rec in newest.items():
        rhash = rules.content_hash(rec.raw)
        row = existing.get(sn)
        decision = rules.version_decision(
            rec.updated_at, rhash, row[2] if row else None, row[3] if row else None
        )
        if decision == rules.STALE:
            counts.skipped_stale += 1
            continue
        if decision == rules.SAME:
            counts.same += 1
            continue
        values = order_values(rec, rhash)
        ops = open_ops.get(sn, set())
        if row is not None:
            oid, _sn, _ts, _h, local_status, local_shipped, formed, cancelled = row
            if formed is not None:
                values["group_formed_at"] = formed
            if cancelled is not None and values["cancelled_at"] is not None:
                values["cancelled_at"] = cancelled
            if "set_memo" in ops:  # the user's memo wins until the platform acknowledges it
                for col in ("seller_memo", "flag", "flag_name"):
                    values.pop(col)
            if ops & set(rules.SHIP_OP_TYPES) and local_status == int(OrderStatus.SHIPPED):
                if values["status"] == int(OrderStatus.TO_SHIP):
                    values["status"] = local_status
                    values["shipped_at"] = local_shipped
            cols = list(values)
            conn.execute(
                'UPDATE "order" SET ' + ", ".join(f"{c} = ?" for c in cols) + " WHERE id = ?",
                [*(values[c] for c in cols), oid],
            )
        else:
            values.update(
                {
                    "order_sn": sn,
                    "buyer_key": "",
                    "buyer_nickname": "",
                    # Only masks and ciphertext are served: the full receiver stays empty.
                    "receiver_name": "",
                    "receiver_phone": "",
                    "town": "",
                    "address_detail": "",
                    "print_count": 0,
                    "last_printed_at": None,
                    "pending_ops": 0,
                    "has_conflict": 0,
                    "local_updated_at": None,
                    "source": source,
                }
            )
            cols = list(values)
            cur = conn.execute(
                'INSERT INTO "order" (' + ", ".join(cols) + ") VALUES (" + ",".join("?" * len(cols)) + ")",
                [values[c] for c in cols],
            )
            oid = cur.lastrowid
        counts.upserted += 1
        changed.append((oid, rec))
    if changed:
        _replace_items(changed)
        counts.new_packages += _sync_packages(changed, open_ops)
    return counts


def _item_tuple(i) -> tuple:
    return (
        i.goods_id,
        i.sku_id,
        i.goods_name,
        i.spec,
        i.outer_id,
        i.outer_goods_id,
        i.quantity,
        i.unit_price_fen,
    )


def _replace_items(changed: Sequence[tuple[int, OrderRecord]]) -> None:
    ids = [oid for oid, _ in changed]
    have: dict[int, list[tuple]] = {}
    for row in _rows_in(
        "SELECT order_id, goods_id, sku_id, goods_name, spec, outer_id, outer_goods_id, quantity, "
        "unit_price_fen FROM order_item WHERE order_id IN ({marks}) ORDER BY order_id, id",
        ids,
    ):
        have.setdefault(row[0], []).append(tuple(row[1:]))
    conn = database.connection()
    for oid, rec in changed:
        want = [_item_tuple(i) for i in rec.items]
        if have.get(oid, []) == want:
            continue
        conn.execute("DELETE FROM order_item WHERE order_id = ?", (oid,))
        conn.executemany(
            "INSERT INTO order_item (order_id, goods_id, sku_id, goods_name, spec, outer_id, outer_goods_id, "
            "quantity, unit_price_fen) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(oid, *t) for t in want],
        )


def ensure_couriers(ids: Iterable[int]) -> None:
    """Placeholder courier rows for ids the platform used but the courier list has not given yet."""
    wanted = sorted({int(i) for i in ids if i})
    if not wanted:
        return
    known = {r[0] for r in _rows_in("SELECT id FROM courier WHERE id IN ({marks})", wanted)}
    missing = [i for i in wanted if i not in known]
    if missing:
        database.connection().executemany(
            "INSERT INTO courier (id, name, code, available, tracking_pattern, sort_order) "
            "VALUES (?, ?, '', 1, '', 100)",
            [(i, f"快递公司 {i}") for i in missing],
        )


def _sync_packages(changed: Sequence[tuple[int, OrderRecord]], open_ops: dict[str, set[str]]) -> int:
    """Parcels the platform knows and the shop does not: create them (or follow a modified number).

    Skipped for orders with an open shipping op: the local shipment is the truth until the
    platform acknowledges it.
    """
    todo = [
        (oid, rec)
        for oid, rec in changed
        if not (open_ops.get(rec.order_sn, set()) & set(rules.SHIP_OP_TYPES))
        and (rec.tracking_number or rec.deliveries)
    ]
    if not todo:
        return 0
    live: dict[int, list[tuple[int, str, str]]] = {}
    # ``+p.voided_at``: without ANALYZE statistics (a shop that sync filled from empty) SQLite
    # would walk the whole (voided_at, …) index of live parcels for ≥ 5 order ids, once per
    # page: quadratic over an initial pull. Look the parcels up by order id instead.
    for oid, pid, number, kind in _rows_in(
        "SELECT po.order_id, p.id, p.tracking_number, p.kind FROM package_order po JOIN package p "
        "ON p.id = po.package_id WHERE +p.voided_at IS NULL AND po.order_id IN ({marks}) ORDER BY p.id",
        [oid for oid, _ in todo],
    ):
        live.setdefault(oid, []).append((pid, number, kind))
    remote_couriers = [rec.logistics_id for _, rec in todo if rec.logistics_id]
    remote_couriers += [d.logistics_id for _, rec in todo for d in rec.deliveries if d.logistics_id]
    ensure_couriers(remote_couriers)
    conn = database.connection()
    created = 0
    for oid, rec in todo:
        mine = live.get(oid, [])
        numbers = {n for _pid, n, _k in mine}
        at = rec.shipped_at or rec.updated_at
        wanted: list[tuple[str, int | None, str]] = []
        if rec.tracking_number:
            wanted.append(("normal", rec.logistics_id, rec.tracking_number))
            if rec.tracking_number not in numbers:
                # The platform's first parcel changed (修改发货 elsewhere): void the old one.
                for pid, number, kind in mine:
                    if kind == "normal" and number != rec.tracking_number:
                        conn.execute(
                            "UPDATE package SET voided_at = ?, void_reason = ? WHERE id = ?",
                            (at, "平台上的发货信息已修改", pid),
                        )
        wanted += [(d.kind, d.logistics_id, d.tracking_number) for d in rec.deliveries if d.tracking_number]
        for kind, courier_id, number in wanted:
            if number in numbers:
                continue
            cur = conn.execute(
                "INSERT INTO package (courier_id, tracking_number, kind, "
                "shipped_at, is_exception, void_reason, "
                "sort_code, hub) VALUES (?, ?, ?, ?, 0, '', '', '')",
                (courier_id, number, kind, at),
            )
            conn.execute(
                "INSERT INTO package_order (package_id, order_id) VALUES (?, ?)", (cur.lastrowid, oid)
            )
            numbers.add(number)
            created += 1
    return created


# --------------------------------------------------------------------------------------------
# After-sales
# --------------------------------------------------------------------------------------------


def missing_order_sns(order_sns: Iterable[str]) -> list[str]:
    """Order numbers not in the local database."""
    sns = sorted(set(order_sns))
    have = {r[0] for r in _rows_in('SELECT order_sn FROM "order" WHERE order_sn IN ({marks})', sns)}
    return [sn for sn in sns if sn not in have]


def apply_cases(
    records: Sequence[RefundRecord], details: dict[int, RefundRecord] | None = None
) -> ApplyCounts:
    """Upsert a page of after-sales cases and move their orders' refund fields.

    The cases' orders must exist locally (the caller fetched missing ones first); a case whose
    order is still missing is skipped and counted as stale. ``details`` (by case id) add the
    fields only the detail API has (expire time, the buyer's remark).
    """
    counts = ApplyCounts()
    if not records:
        return counts
    details = details or {}
    newest: dict[int, RefundRecord] = {}
    for rec in records:
        have = newest.get(rec.id)
        if have is None or rec.updated_at >= have.updated_at:
            newest[rec.id] = rec
    orders = {
        r[0]: (r[1], r[2])
        for r in _rows_in(
            'SELECT order_sn, id, platform_updated_at FROM "order" WHERE order_sn IN ({marks})',
            sorted({r.order_sn for r in newest.values()}),
        )
    }
    existing = {
        r[0]: r
        for r in _rows_in(
            "SELECT id, platform_updated_at, remote_hash, closed_at, expire_at, buyer_remark FROM after_sale "
            "WHERE id IN ({marks})",
            sorted(newest),
        )
    }
    conn = database.connection()
    for cid, rec in newest.items():
        order = orders.get(rec.order_sn)
        if order is None:
            counts.skipped_stale += 1
            continue
        oid, order_ts = order
        rhash = rules.content_hash(rec.raw)
        row = existing.get(cid)
        decision = rules.version_decision(
            rec.updated_at, rhash, row[1] if row else None, row[2] if row else None
        )
        if decision == rules.STALE:
            counts.skipped_stale += 1
            continue
        if decision == rules.SAME:
            counts.same += 1
            continue
        detail = details.get(cid)
        closed = rec.updated_at if rec.status in rules.CLOSED_CASE_CODES else None
        expire = detail.expire_at if detail is not None else None
        remark = detail.buyer_remark if detail is not None else None
        values = {
            "order_id": oid,
            "type": rec.type,
            "status": rec.status,
            "reason": rec.reason,
            "refund_amount_fen": rec.refund_amount_fen,
            "goods_id": rec.goods_id,
            "sku_id": rec.sku_id,
            "quantity": rec.quantity,
            "return_tracking_number": rec.return_tracking_number,
            "return_shipping_name": rec.return_shipping_name,
            "platform_updated_at": rec.updated_at,
            "remote_hash": rhash,
        }
        if row is not None:
            _id, _ts, _h, old_closed, old_expire, old_remark = row
            values["closed_at"] = (old_closed or closed) if closed else None
            values["expire_at"] = (
                expire
                if expire is not None
                else (old_expire if rec.status in rules.REFUND_WAITING_CODES else None)
            )
            values["buyer_remark"] = remark if remark is not None else old_remark
            if rec.created_at is not None:
                values["created_at"] = rec.created_at
            cols = list(values)
            conn.execute(
                "UPDATE after_sale SET " + ", ".join(f"{c} = ?" for c in cols) + " WHERE id = ?",
                [*(values[c] for c in cols), cid],
            )
        else:
            values.update(
                {
                    "id": cid,
                    "created_at": rec.created_at or rec.updated_at,
                    "closed_at": closed,
                    "expire_at": expire,
                    "buyer_remark": remark or "",
                }
            )
            cols = list(values)
            conn.execute(
                "INSERT INTO after_sale (" + ", ".join(cols) + ") VALUES (" + ",".join("?" * len(cols)) + ")",
                [values[c] for c in cols],
            )
        # The order's own version owns its fields; a newer case moves its refund state now.
        if order_ts is None or rec.updated_at >= order_ts:
            conn.execute(
                'UPDATE "order" SET refund_status = ?, after_sales_status = ? WHERE id = ?',
                (rules.order_refund_status_of_case(rec.status), rec.status, oid),
            )
        counts.upserted += 1
    return counts


# --------------------------------------------------------------------------------------------
# Goods and couriers
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
        for r in _rows_in(
            "SELECT goods_id, name, is_onsale, platform_updated_at FROM goods WHERE goods_id IN ({marks})",
            ids,
        )
    }
    skus: dict[int, dict[int, tuple]] = {}
    for gid, sku_id, stock, onsale, outer_id, reserve in _rows_in(
        "SELECT goods_id, sku_id, stock, is_onsale, outer_id, reserve_quantity FROM sku "
        "WHERE goods_id IN ({marks})",
        ids,
    ):
        skus.setdefault(gid, {})[sku_id] = (
            None if sku_id in pending.stock else stock, bool(onsale), outer_id, reserve
        )
    out = []
    for g in items:
        row = goods.get(g.goods_id)
        onsale_differs = g.goods_id not in pending.onsale and bool(row[2]) != g.is_onsale if row else True
        if row is None or row[3] is None or row[1] != g.name or onsale_differs:
            out.append(g.goods_id)
            continue
        local = skus.get(g.goods_id, {})
        remote = {
            s.sku_id: (
                None if s.sku_id in pending.stock else s.quantity,
                s.is_onsale,
                s.outer_id,
                s.reserve_quantity,
            )
            for s in g.skus
        }
        if local != remote:
            out.append(g.goods_id)
    return out


def apply_goods(details: Sequence[GoodsRecord], now: int) -> ApplyCounts:
    """Upsert goods and SKUs from detail answers (prices in fen); stock differences are logged."""
    counts = ApplyCounts()
    conn = database.connection()
    # A detail the platform has not changed can still differ from the local copy (a local
    # shipment deducted stock): the platform's value wins, or the goods are read every run.
    pending = _pending_goods_edits()
    differs = set(goods_needing_detail(details, pending))
    for g in details:
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
                    1 if g.is_onsale else 0,
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
                    None if g.goods_id in pending.onsale else (1 if g.is_onsale else 0),
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
                    "reserve_quantity = ?, weight_g = ?, is_onsale = ?, platform_updated_at = ? "
                    "WHERE sku_id = ?",
                    (
                        s.spec,
                        s.outer_id,
                        single,
                        group,
                        None if keep_stock else s.quantity,
                        s.reserve_quantity,
                        s.weight_g,
                        1 if s.is_onsale else 0,
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
                        1 if s.is_onsale else 0,
                        now,
                    ),
                )
        counts.upserted += 1
    return counts


def apply_couriers(records: Sequence[CourierRecord]) -> ApplyCounts:
    """Upsert the logistics companies (name, code, availability; local pattern and order kept)."""
    counts = ApplyCounts()
    have = {
        r[0]: (r[1], r[2], bool(r[3]))
        for r in database.execute_sql("SELECT id, name, code, available FROM courier").fetchall()
    }
    conn = database.connection()
    for c in records:
        now_value = (c.logistics_company, c.code, c.available)
        old = have.get(c.id)
        if old == now_value:
            counts.same += 1
            continue
        if old is None:
            conn.execute(
                "INSERT INTO courier (id, name, code, available, tracking_pattern, sort_order) "
                "VALUES (?, ?, ?, ?, '', 100)",
                (c.id, c.logistics_company, c.code, 1 if c.available else 0),
            )
        else:
            conn.execute(
                "UPDATE courier SET name = ?, code = ?, available = ? WHERE id = ?",
                (c.logistics_company, c.code, 1 if c.available else 0, c.id),
            )
        counts.upserted += 1
    return counts


def dumps(obj: object) -> str:
    """Compact JSON text."""
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"), default=str)
