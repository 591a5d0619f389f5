"""After-sales: the case increment pull (windowed) and the refund / return decisions.

The apply functions run inside the caller's ``write_transaction()`` and never touch the network.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from pdd_desktop.common.changes import Changes
from pdd_desktop.data import aggregates
from pdd_desktop.data.db import database, write_transaction
from pdd_desktop.domain import sync_rules as rules
from pdd_desktop.platform.apis import FLAT, ApiSpec
from pdd_desktop.platform.errors import (
    AuthExpired,
    AuthRejected,
    PlatformError,
    RateLimited,
    SignatureRejected,
    TransportError,
)
from pdd_desktop.platform.records import OrderRecord, Page, RecordError, RefundRecord, WriteResult
from pdd_desktop.services.sync.areas.couriers import ensure_couriers
from pdd_desktop.services.sync.areas.orders import apply_orders
from pdd_desktop.services.sync.fetch import ordered_fetch
from pdd_desktop.services.sync.plugin import (
    ABSENT,
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

log = logging.getLogger(__name__)

APIS = (
    # 100 per 10 s per shop (pdd-open-api.md §5.1 / §9, DOC page of the API)
    ApiSpec(
        "pdd.refund.list.increment.get", "refund_increment_get_response", read_only=True, rate_limit=(100, 10)
    ),
    ApiSpec("pdd.refund.information.get", FLAT, read_only=True),
    ApiSpec("pdd.refund.agree", "response", read_only=False),
    ApiSpec("pdd.refund.returngoods.agree", "response", read_only=False),
    ApiSpec("pdd.refund.exchange.shipping", "response", read_only=False),
    ApiSpec("pdd.refund.address.list.get", "refund_address_list_get_response", read_only=True),
    ApiSpec("pdd.refund.status.check", "refund_status_check_response", read_only=True),
)

#: Orders read one by one per page for after-sales whose order is not local yet.
MAX_ORDER_FETCH_PER_PAGE = 100
#: After-sales details (expire time, buyer remark) read per run for cases waiting for the merchant.
MAX_CASE_DETAILS = 100

# --------------------------------------------------------------------------------------------
# Pull: applying pages of cases
# --------------------------------------------------------------------------------------------


def missing_order_sns(order_sns: Iterable[str]) -> list[str]:
    """Order numbers not in the local database."""
    sns = sorted(set(order_sns))
    have = {r[0] for r in rows_in('SELECT order_sn FROM "order" WHERE order_sn IN ({marks})', sns)}
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
        for r in rows_in(
            'SELECT order_sn, id, platform_updated_at FROM "order" WHERE order_sn IN ({marks})',
            sorted({r.order_sn for r in newest.values()}),
        )
    }
    existing = {
        r[0]: r
        for r in rows_in(
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
            aggregates.refresh_orders(conn, [oid])
        counts.upserted += 1
    return counts


# --------------------------------------------------------------------------------------------
# Pull: the stream
# --------------------------------------------------------------------------------------------


def _fetch(ctx: PullContext, start: int, end: int, page: int, with_total: bool) -> Page[RefundRecord]:
    return ctx.client.refund_increment(start, end, page, ctx.page_size)


def _apply(ctx: PullContext, cases: Sequence[RefundRecord]) -> None:
    """Fetch what the page needs first (no transaction across the network), then write it."""
    client = ctx.client
    missing = missing_order_sns(r.order_sn for r in cases)[:MAX_ORDER_FETCH_PER_PAGE]

    def read_order(sn: str) -> OrderRecord | None:
        try:
            return client.order_detail(sn)
        except RecordError:
            raise
        except PlatformError as exc:
            if (
                not isinstance(exc, TransportError | RateLimited)
                and not exc.retryable
                and not isinstance(exc, AuthExpired | AuthRejected | SignatureRejected)
            ):
                log.warning("order %s of an after-sales case is not readable: %s", sn, exc)
                return None
            raise

    def read_detail(r: RefundRecord) -> RefundRecord | None:
        try:
            return client.refund_detail(r.id, r.order_sn)
        except RecordError:
            return None
        except PlatformError as exc:
            if exc.retryable or isinstance(exc, AuthExpired | AuthRejected | SignatureRejected):
                raise
            return None

    # the reads go out several at a time (ctx.workers); failures are handled as one by one
    orders = [o for _sn, o in ordered_fetch(read_order, missing, workers=ctx.workers, task=ctx.task) if o]
    waiting = [r for r in cases if r.status in rules.REFUND_WAITING_CODES]
    left = ctx.run_state.setdefault("case_details_left", MAX_CASE_DETAILS)
    chosen = waiting[: max(0, left)]
    ctx.run_state["case_details_left"] = left - len(chosen)
    details: dict[int, RefundRecord] = {
        r.id: d for r, d in ordered_fetch(read_detail, chosen, workers=ctx.workers, task=ctx.task) if d
    }
    with write_transaction():
        if orders:
            ensure_couriers([o.logistics_id for o in orders if o.logistics_id])
            ctx.tally.add(apply_orders(orders, source=ctx.source), count=False)
        ctx.tally.add(apply_cases(cases, details))


STREAM = PullStream(
    "after_sales", "售后", Changes(after_sales=True, orders=True), fetch=_fetch, apply=_apply, windowed=True
)

# --------------------------------------------------------------------------------------------
# Push: refund and return decisions (they move money: never resent without a reconcile read)
# --------------------------------------------------------------------------------------------


def _send_refund(client: PlatformClient, op: OutboxOp) -> WriteResult:
    p = op.payload
    return client.refund_agree(int(p["after_sales_id"]), str(p["order_sn"]), p.get("operate_desc") or None)


def _send_return(client: PlatformClient, op: OutboxOp) -> WriteResult:
    p = op.payload
    return client.return_goods_agree(
        int(p["after_sales_id"]),
        str(p["order_sn"]),
        int(p["return_address_id"]),
        str(p.get("operate_desc") or ""),
    )


def _send_exchange(client: PlatformClient, op: OutboxOp) -> WriteResult:
    p = op.payload
    return client.refund_exchange_shipping(
        int(p["after_sales_id"]),
        str(p["order_sn"]),
        int(p["shipping_id"]),
        str(p["shipping_name"]),
        str(p["tracking_number"]),
    )


#: 换货补寄待商家处理 / 补寄待商家发货: the parcel is not on the platform yet.
EXCHANGE_WAITING_CODES = frozenset((14, 32))


def _reconcile_exchange(pusher: Pusher, op: OutboxOp, conflicts: bool) -> str:
    p = op.payload
    case = pusher.client.refund_detail(int(p["after_sales_id"]), str(p["order_sn"]))
    return ABSENT if case.status in EXCHANGE_WAITING_CODES else PRESENT


def _reconcile(pusher: Pusher, op: OutboxOp, conflicts: bool) -> str:
    p = op.payload
    case = pusher.client.refund_detail(int(p["after_sales_id"]), str(p["order_sn"]))
    return PRESENT if rules.refund_effect(op.op_type, case.status) else ABSENT


def _restore_case(pusher: Pusher, op: OutboxOp) -> None:
    """A refused after-sales decision: show the case as the platform has it again.

    The decision was shown locally at once (the case moved on); the platform did not take
    it, and an unchanged case never comes back through the increment pull. Best effort: a
    failed read leaves the case until the platform next changes it.
    """
    p = op.payload
    try:
        case = pusher.client.refund_detail(int(p["after_sales_id"]), str(p["order_sn"]))
    except Exception as exc:  # best effort, logged
        log.info("case %s not re-read after a refused decision: %s", p.get("after_sales_id"), exc)
        return
    with write_transaction():
        # Same version as stored: forget the stored content so the merge applies it again.
        database.execute_sql("UPDATE after_sale SET remote_hash = NULL WHERE id = ?", (case.id,))
        apply_cases([case], {case.id: case})


_CHANGES = Changes(after_sales=True)

OPS = (
    PushOp(
        "refund_agree", "同意退款", _CHANGES, send=_send_refund, reconcile=_reconcile, on_failed=_restore_case
    ),
    PushOp(
        "return_goods_agree", "同意退货", _CHANGES, send=_send_return, reconcile=_reconcile,
        on_failed=_restore_case,
    ),
    PushOp(
        "exchange_ship", "换货/补寄发货", _CHANGES, send=_send_exchange, reconcile=_reconcile_exchange,
        on_failed=_restore_case,
    ),
)  # fmt: skip

AREA = Area("after_sales", streams=(STREAM,), ops=OPS, apis=APIS)
