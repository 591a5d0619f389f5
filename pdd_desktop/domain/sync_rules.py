"""Pure sync rules (sync.md): status mapping, windows, version checks, back-off, outbox states.

Nothing here touches the database or the network: the sync service feeds it platform values
and local values and acts on the answers.
"""

from __future__ import annotations

import hashlib
import json
import random
from collections.abc import Iterator, Mapping
from decimal import Decimal
from typing import Any

from pdd_desktop.domain.orders import OrderStatus, RefundStatus

# --------------------------------------------------------------------------------------------
# Orders: platform codes → the local status
# --------------------------------------------------------------------------------------------

#: confirm_status values (§3.5).
CONFIRM_UNCONFIRMED = 0
CONFIRM_CONFIRMED = 1
CONFIRM_CANCELLED = 2


def local_order_status(
    *, order_status: int, confirm_status: int, refund_status: int, shipped: bool
) -> OrderStatus:
    """The local :class:`OrderStatus` of a platform order.

    ``confirm_status`` 0 (未成交: unpaid or group forming) → 待支付; ``confirm_status`` 2, or a
    refund that succeeded before the order ever shipped → 已取消; otherwise the platform's
    ``order_status`` (1 待发货, 2 已发货, 3 已签收). ``order_status`` 0 (异常) and unknown codes
    are taken as 待发货 so the order stays visible.
    """
    if confirm_status == CONFIRM_UNCONFIRMED:
        return OrderStatus.UNPAID
    if confirm_status == CONFIRM_CANCELLED:
        return OrderStatus.CANCELLED
    if refund_status == int(RefundStatus.REFUNDED) and not shipped:
        return OrderStatus.CANCELLED
    if order_status == 2:
        return OrderStatus.SHIPPED
    if order_status == 3:
        return OrderStatus.SIGNED
    return OrderStatus.TO_SHIP


#: after_sales_status → the order's refund_status (as the platform and the demo map them).
_REFUND_STATUS_OF_CASE: dict[int, int] = {
    code: int(RefundStatus.IN_PROGRESS) for code in (2, 3, 6, 7, 8, 14, 15, 18, 21, 22, 27, 31, 32, 33)
}
_REFUND_STATUS_OF_CASE.update(
    {4: int(RefundStatus.REFUNDING), 5: int(RefundStatus.REFUNDING), 10: int(RefundStatus.REFUNDED)}
)
_REFUND_STATUS_OF_CASE.update({code: int(RefundStatus.NONE) for code in (9, 11, 12, 13, 16, 17, 24, 25)})

#: Cases that are over (closed_at is set when first seen in one of these).
CLOSED_CASE_CODES = frozenset((9, 10, 11, 12, 13, 16, 17, 24, 25))


def order_refund_status_of_case(after_sales_status: int) -> int:
    """The order-level ``refund_status`` implied by a case's ``after_sales_status``."""
    return _REFUND_STATUS_OF_CASE.get(after_sales_status, int(RefundStatus.IN_PROGRESS))


# --------------------------------------------------------------------------------------------
# Versions
# --------------------------------------------------------------------------------------------

APPLY = "apply"
SAME = "same"
STALE = "stale"


def version_decision(
    incoming_ts: int, incoming_hash: str, stored_ts: int | None, stored_hash: str | None
) -> str:
    """Upsert-only-when-newer (sync.md "Merge and conflict rules").

    Returns :data:`APPLY` (new, newer, or same second with different content), :data:`SAME`
    (same version and content: nothing to do) or :data:`STALE` (older than stored: skip).
    """
    if stored_ts is None:
        return APPLY
    if incoming_ts < stored_ts:
        return STALE
    if incoming_ts == stored_ts and incoming_hash == stored_hash:
        return SAME
    return APPLY


def _json_default(value: object) -> object:
    if isinstance(value, Decimal):
        return str(value)
    return str(value)


def content_hash(raw: Mapping[str, Any]) -> str:
    """A stable hash of a platform object (keys sorted, Decimals as text)."""
    text = json.dumps(raw, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=_json_default)
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


# --------------------------------------------------------------------------------------------
# Pull windows
# --------------------------------------------------------------------------------------------


def pull_start(hwm: int | None, initial_start: int, overlap_s: int) -> int:
    """Where a run starts: the cursor (or the first-run start) minus the overlap (once per run)."""
    base = initial_start if hwm is None else hwm
    return base - max(0, overlap_s)


def pull_target(platform_now: int, settle_lag_s: int) -> int:
    """The newest time a run may ask for: platform now minus the settle lag."""
    return platform_now - max(0, settle_lag_s)


def windows(start: int, target_end: int, max_window_s: int) -> Iterator[tuple[int, int]]:
    """Consecutive ``(start, end)`` windows of at most ``max_window_s`` up to ``target_end``.

    The platform's bounds are inclusive at both ends, so consecutive windows share their
    boundary second: a row stamped exactly there is read twice (harmless), never missed.
    """
    if max_window_s <= 0:
        raise ValueError("max_window_s must be positive")
    while start < target_end:
        end = min(start + max_window_s, target_end)
        yield start, end
        start = end


def page_count(total: int, page_size: int) -> int:
    """Pages needed for ``total`` rows."""
    return max(0, -(-total // page_size))


# --------------------------------------------------------------------------------------------
# Back-off
# --------------------------------------------------------------------------------------------

BACKOFF_BASE_S = 2.0
BACKOFF_CAP_S = 600.0
#: After this many attempts an op is shown as "needs attention" (it is kept and retried).
ATTENTION_ATTEMPTS = 8


def backoff_cap(attempt: int, *, base_s: float = BACKOFF_BASE_S, cap_s: float = BACKOFF_CAP_S) -> float:
    """Upper bound of the delay after ``attempt`` failed attempts: non-decreasing, capped."""
    return min(cap_s, base_s * 2 ** max(0, attempt - 1))


def backoff_delay(
    attempt: int, rng: random.Random, *, base_s: float = BACKOFF_BASE_S, cap_s: float = BACKOFF_CAP_S
) -> float:
    """Exponential back-off with full jitter: uniform in ``[0, backoff_cap(attempt)]``."""
    return rng.uniform(0, backoff_cap(attempt, base_s=base_s, cap_s=cap_s))


# --------------------------------------------------------------------------------------------
# Outbox
# --------------------------------------------------------------------------------------------

PENDING = "pending"
IN_FLIGHT = "in_flight"
UNKNOWN = "unknown"
SUCCEEDED = "succeeded"
FAILED = "failed_permanent"
CONFLICT = "conflict"
CANCELLED = "cancelled"

#: States after which an op never changes by itself.
TERMINAL_STATES = (SUCCEEDED, CANCELLED)
#: States the worker sends or reconciles.
SENDABLE_STATES = (PENDING, UNKNOWN)
#: States that block later ops of the same entity (per-entity FIFO).
OPEN_STATES = (PENDING, IN_FLIGHT, UNKNOWN, FAILED, CONFLICT)

STATE_LABELS = {
    PENDING: "待上传",
    IN_FLIGHT: "上传中",
    UNKNOWN: "结果未知（待核对）",
    SUCCEEDED: "已上传",
    FAILED: "需要处理",
    CONFLICT: "冲突",
    CANCELLED: "已放弃",
}

#: Op types that change the order's shipment (the pull keeps the local shipment while one is open).
SHIP_OP_TYPES = ("ship_order", "modify_shipment", "extra_logistics")
#: Op types that move money: never resent without a reconcile read.
MONEY_OP_TYPES = ("refund_agree", "return_goods_agree")

NO_LOGISTICS_MESSAGE = "开放平台没有无物流发货接口：请在拼多多商家后台完成无物流发货，然后在这里放弃此条"


def state_label(state: str) -> str:
    """Chinese label of an outbox state."""
    return STATE_LABELS.get(state, state)


# --------------------------------------------------------------------------------------------
# Reconcile: is the op's effect visible in the remote state?
# --------------------------------------------------------------------------------------------


def ship_effect(
    payload: Mapping[str, Any], remote_status: int, remote_logistics_id: int | None, remote_tracking: str
) -> str:
    """For ship_order / modify_shipment: ``"present"``, ``"absent"`` or ``"other"``.

    ``remote_status`` is the platform's ``order_status`` (2/3 = shipped). ``"other"`` means the
    platform shows a *different* shipment (the user shipped elsewhere): never overwrite blindly.
    """
    tracking = str(payload.get("tracking_number") or "")
    if remote_status not in (2, 3):
        return "absent"
    if remote_tracking == tracking:
        return "present"
    if int(payload.get("redelivery_type") or 1) == 2:
        return "absent"  # a modify not applied yet: the old number is still there
    return "other"


def extra_effect(payload: Mapping[str, Any], remote_numbers: set[str]) -> bool:
    """For extra_logistics: every uploaded number is on the platform."""
    wanted = {str(t.get("tracking_number") or "") for t in payload.get("extra_track_list") or []}
    return bool(wanted) and wanted <= remote_numbers


def memo_state(
    payload: Mapping[str, Any], base: Mapping[str, Any], remote_note: str, remote_tag: int | None
) -> str:
    """For set_memo: ``"present"`` (remote already has the new memo), ``"conflict"`` or ``"send"``.

    Conflict: the remote note or flag changed meanwhile (≠ base) and differs from what we send.
    A payload without a flag (``tag`` None) cannot clear the platform's flag (the API has no
    documented way), so the flag is then not compared.
    """
    want_note = str(payload.get("note") or "")
    want_tag = payload.get("tag")
    tag_matters = want_tag is not None
    note_same = remote_note == want_note
    tag_same = (not tag_matters) or remote_tag == want_tag
    if note_same and tag_same:
        return "present"
    base_note = str(base.get("note") or "")
    base_tag = base.get("tag")
    note_moved = remote_note != base_note and not note_same
    tag_moved = tag_matters and remote_tag != base_tag and not tag_same
    if note_moved or tag_moved:
        return "conflict"
    return "send"


def cas_state(target: Any, base: Any, remote: Any) -> str:
    """Compare-and-set for absolute values (stock, price): ``"present"``, ``"conflict"`` or ``"send"``."""
    if remote == target:
        return "present"
    if remote != base:
        return "conflict"
    return "send"


#: after_sales_status codes that still wait for the merchant (a refund decision not applied).
REFUND_WAITING_CODES = frozenset((2, 3, 14, 21, 27, 32, 33))


def refund_effect(op_type: str, remote_status: int) -> bool:
    """For refund_agree / return_goods_agree: did the case move past the merchant's decision?"""
    if op_type == "return_goods_agree":
        return remote_status not in REFUND_WAITING_CODES
    return remote_status in (4, 5, 10)


def memo_text(note: str | None, tag: int | None) -> str:
    """A memo and its flag as one line for the conflict panel."""
    from pdd_desktop.domain.orders import Flag

    note = note or ""
    if tag:
        try:
            return f"{note}（{Flag(int(tag)).label}）"
        except ValueError:
            return f"{note}（旗 {tag}）"
    return note
