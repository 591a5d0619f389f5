"""Orders: the increment pull (windowed) and the shipping and memo ops.

Orders are written with plain UPDATE / INSERT (never ``INSERT OR REPLACE``: the
``order_sn_fts`` triggers need real updates and inserts). The apply functions run inside the
caller's ``write_transaction()`` and never touch the network.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from pdd_desktop.common.changes import Changes
from pdd_desktop.data import aggregates
from pdd_desktop.data.db import database, write_transaction
from pdd_desktop.domain import sync_rules as rules
from pdd_desktop.domain.orders import OrderStatus
from pdd_desktop.platform.apis import ApiSpec
from pdd_desktop.platform.client import MAX_CONFIRM_WINDOW_S, ORDER_HORIZON_S
from pdd_desktop.platform.records import OrderRecord, Page, WriteResult
from pdd_desktop.services.sync.areas.couriers import ensure_couriers
from pdd_desktop.services.sync.plugin import (
    ABSENT,
    PRESENT,
    ApplyCounts,
    Area,
    Backfill,
    OutboxOp,
    PullContext,
    PullStream,
    PushOp,
    rows_in,
)

if TYPE_CHECKING:
    from pdd_desktop.platform.client import PlatformClient
    from pdd_desktop.services.sync.push import Pusher

#: Per-shop rate limits are pdd-open-api.md §9 (DOC page of pdd.order.list.get; NODE metadata
#: for the increment, information and status APIs).
APIS = (
    ApiSpec(
        "pdd.order.number.list.increment.get",
        "order_sn_increment_get_response",
        read_only=True,
        rate_limit=(3000, 60),
    ),
    ApiSpec("pdd.order.list.get", "order_list_get_response", read_only=True, rate_limit=(10000, 60)),
    ApiSpec("pdd.order.information.get", "order_info_get_response", read_only=True, rate_limit=(30000, 60)),
    ApiSpec("pdd.order.status.get", "order_status_get_response", read_only=True, rate_limit=(3000, 60)),
    ApiSpec("pdd.order.note.update", "response", read_only=False),
    ApiSpec("pdd.order.update.address", "response", read_only=False),
    ApiSpec("pdd.order.upload.extra.logistics", "upload_extra_logistics_response", read_only=False),
    ApiSpec("pdd.logistics.online.send", "logistics_online_send_response", read_only=False),
)

# --------------------------------------------------------------------------------------------
# Pull: applying pages of orders
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
        # plain text only when the answer carries it (older format, or already decrypted)
        "receiver_name": rec.receiver_name,
        "receiver_phone": rec.receiver_phone,
        "address_detail": rec.receiver_address,
        "platform_updated_at": rec.updated_at,
        "remote_hash": rhash,
        "remote_missing_since": None,
    }


#: Columns kept from the local row when the local one is already set (the platform does not
#: serve them, or serves a weaker value).
_KEEP_IF_SET = ("group_formed_at", "cancelled_at")
#: Receiver columns an answer may not carry (ciphertext only, or nothing once shipped): an empty
#: value keeps the stored one, so the receiver a 待发货 answer brought survives later answers.
_RECEIVER_COLS = (
    "receiver_name",
    "receiver_phone",
    "address_detail",
    "receiver_name_mask",
    "receiver_phone_mask",
    "address_mask",
)


def _open_ops(order_sns: Sequence[str]) -> dict[str, set[str]]:
    """Open (not yet acknowledged) op types per order."""
    out: dict[str, set[str]] = {}
    marks_states = ",".join("?" * len(rules.OPEN_STATES))
    for sn, op_type in rows_in(
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
        for r in rows_in(
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
            for col in _RECEIVER_COLS:
                if not values[col]:
                    values.pop(col)
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
                    # receiver_name / receiver_phone / address_detail: "" unless the answer
                    # carried them in plain text (ciphertext is never stored as a receiver)
                    "town": "",
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
        aggregates.refresh_orders(conn, [oid for oid, _ in changed])
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
    for row in rows_in(
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
    for oid, pid, number, kind in rows_in(
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
# Pull: the stream
# --------------------------------------------------------------------------------------------


def _fetch(ctx: PullContext, start: int, end: int, page: int, with_total: bool) -> Page[OrderRecord]:
    return ctx.client.order_increment(
        start, end, page, ctx.page_size, use_has_next=None if with_total else True
    )


def _fetch_confirmed(
    ctx: PullContext, start: int, end: int, page: int, with_total: bool
) -> Page[OrderRecord]:
    """pdd.order.list.get: the backfill's 24-hour windows of 成交时间 (§3.2)."""
    return ctx.client.order_list(start, end, page, ctx.page_size, use_has_next=None if with_total else True)


def _apply(ctx: PullContext, records: Sequence[OrderRecord]) -> None:
    with write_transaction():
        ctx.tally.add(apply_orders(records, source=ctx.source))


def _key(record: OrderRecord) -> object:
    return record.order_sn


STREAM = PullStream(
    "orders",
    "订单",
    Changes(orders=True, shipments=True),
    fetch=_fetch,
    apply=_apply,
    windowed=True,
    key=_key,
    # A year of increments is ~17,500 windows of 30 min; the list by 成交时间 reads the 3 months
    # the platform serves in 90 windows of 24 h (docs/ARCHITECTURE.md "First sync").
    backfill=Backfill(fetch=_fetch_confirmed, window_s=MAX_CONFIRM_WINDOW_S, horizon_s=ORDER_HORIZON_S),
)

# --------------------------------------------------------------------------------------------
# Push: shipping and memos
# --------------------------------------------------------------------------------------------


def _no_logistics(op: OutboxOp) -> bool:
    return op.op_type == "ship_order" and bool(op.payload.get("no_logistics"))


def _refuse_no_logistics(op: OutboxOp) -> str:
    return rules.NO_LOGISTICS_MESSAGE if _no_logistics(op) else ""


def _order_sn(op: OutboxOp) -> str:
    return str(op.payload.get("order_sn") or op.entity_remote_id)


def _send_ship(client: PlatformClient, op: OutboxOp) -> WriteResult:
    p = op.payload
    redelivery = 2 if op.op_type == "modify_shipment" else int(p.get("redelivery_type") or 1)
    return client.ship(
        _order_sn(op), int(p["logistics_id"]), str(p["tracking_number"]), redelivery_type=redelivery
    )


def _reconcile_ship(pusher: Pusher, op: OutboxOp, conflicts: bool) -> str:
    rec = pusher.client.order_detail(_order_sn(op))
    if _no_logistics(op):
        return PRESENT if rec.order_status in (2, 3) else ABSENT
    return rules.ship_effect(op.payload, rec.order_status, rec.logistics_id, rec.tracking_number)


def _send_extra(client: PlatformClient, op: OutboxOp) -> WriteResult:
    p = op.payload
    tracks = [(int(t["shipping_id"]), str(t["tracking_number"])) for t in p.get("extra_track_list") or []]
    return client.ship_extra(_order_sn(op), tracks, int(p.get("extra_track_type") or 1))


def _reconcile_extra(pusher: Pusher, op: OutboxOp, conflicts: bool) -> str:
    rec = pusher.client.order_detail(_order_sn(op))
    numbers = {d.tracking_number for d in rec.deliveries}
    return PRESENT if rules.extra_effect(op.payload, numbers) else ABSENT


def _send_memo(client: PlatformClient, op: OutboxOp) -> WriteResult:
    p = op.payload
    return client.update_note(
        op.entity_remote_id, str(p.get("note") or ""), p.get("tag"), p.get("tag_name") or None
    )


def _reconcile_memo(pusher: Pusher, op: OutboxOp, conflicts: bool) -> str:
    p = op.payload
    rec = pusher.client.order_detail(op.entity_remote_id)
    verdict = rules.memo_state(p, op.base, rec.seller_memo, rec.flag)
    if verdict == "conflict":
        if not conflicts:
            return ABSENT
        pusher.conflict(
            op,
            "seller_memo",
            rules.memo_text(op.base.get("note"), op.base.get("tag")),
            rules.memo_text(p.get("note"), p.get("tag")),
            rules.memo_text(rec.seller_memo, rec.flag),
            {"note": rec.seller_memo, "tag": rec.flag, "tag_name": rec.flag_name},
        )
    return ABSENT if verdict == "send" else verdict


def _always(op: OutboxOp) -> bool:
    return True


_ORDER_CHANGES = Changes(orders=True, shipments=True)
_OTHER_SHIPMENT = "平台上该订单已用其他运单号发货，本条未上传；请核对后放弃或修改发货"

OPS = (
    PushOp(
        "ship_order", "发货", _ORDER_CHANGES, send=_send_ship, reconcile=_reconcile_ship,
        read_first=_no_logistics, refuse=_refuse_no_logistics, other_message=_OTHER_SHIPMENT,
    ),
    PushOp(
        "modify_shipment", "修改发货", _ORDER_CHANGES, send=_send_ship, reconcile=_reconcile_ship,
        other_message=_OTHER_SHIPMENT,
    ),
    PushOp(
        "extra_logistics", "上传额外包裹", _ORDER_CHANGES, send=_send_extra, reconcile=_reconcile_extra
    ),
    PushOp(
        "set_memo", "商家备注/旗帜", _ORDER_CHANGES, send=_send_memo, reconcile=_reconcile_memo,
        read_first=_always,
    ),
)  # fmt: skip

AREA = Area("orders", streams=(STREAM,), ops=OPS, apis=APIS)
