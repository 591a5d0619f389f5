"""电子面单 through the platform: branch accounts, numbers issued at print time, voiding.

Accounts: ``pdd.waybill.search`` gives the branch accounts the merchant subscribed to; sync
(``services/sync/areas/waybills.py``) stores them as ``waybill_account`` rows of source
``platform`` (:func:`apply_accounts`). Local pools (the demo generator's, a merchant's own) keep
source ``local`` and today's behaviour.

Numbers (:func:`issue_numbers`): for orders printed with a platform account, ``pdd.waybill.get``
in batches of :data:`MAX_PER_CALL` with each order's items and the sender address. Before a
batch is sent, one ``waybill_request`` row per order records its ``object_id`` (committed);
the answer's numbers are stored with route codes and print data in one transaction per batch as
reservations (``allocated`` to the order, like the pool's), which the label and shipping use.
A pending request (the process died between the platform's answer and the commit) is sent again
with the same object id and finds the number already issued. [I] This relies on
``pdd.waybill.get`` being idempotent per ``object_id``: the sandbox's is (``sandbox/waybills.py``),
and the app assumes the platform's is.

Voiding (:func:`void_number`, :func:`void_stale_numbers`): the number becomes ``cancelled``
locally at once (it can never ship another order: the shipping guard refuses it) and a
``waybill_cancel`` op goes into the outbox, so ``pdd.waybill.cancel`` gives the balance back when
sync next runs (offline: it waits).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pdd_desktop.common import clock
from pdd_desktop.common.changes import Changes
from pdd_desktop.common.task import TaskContext
from pdd_desktop.data.db import database, write_transaction
from pdd_desktop.domain.errors import NotAllowed, ValidationError
from pdd_desktop.domain.orders import OrderStatus, RefundStatus

if TYPE_CHECKING:
    from pdd_desktop.platform.client import PlatformClient
    from pdd_desktop.platform.records import StdTemplateRecord, WaybillBranchRecord

#: ``trade_order_info_dtos`` per pdd.waybill.get call (NODE ``PddWaybillGet.ts``: "数量限制为10").
MAX_PER_CALL = 10
SOURCE_PLATFORM = "platform"
SOURCE_LOCAL = "local"
#: Chinese names of a number's source (order detail).
SOURCE_LABELS = {SOURCE_PLATFORM: "平台电子面单", SOURCE_LOCAL: "本地单号"}
CANCEL_OP = "waybill_cancel"
_CHANGES = Changes(orders=True, shipments=True)
_IN_SIZE = 500

#: The platform's per-object error codes [I] → what the merchant reads.
_REASONS = {
    "WAYBILL_BALANCE_NOT_ENOUGH": "电子面单余额不足",
    "ADDRESS_NOT_REACHABLE": "快递公司不能送达该地址",
    "COURIER_REFUSED": "快递网点拒绝揽收",
    "RECIPIENT_ADDRESS_INVALID": "收件地址不完整",
}


# --------------------------------------------------------------------------------------------
# Results
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WaybillAccountView:
    """One branch account for 发货中心 → 电子面单."""

    id: int
    courier_id: int
    courier_name: str
    wp_code: str
    branch_code: str
    branch_name: str
    quantity: int  #: remaining balance (platform) or free numbers (local pool)
    allocated_quantity: int
    cancel_quantity: int
    recycled_quantity: int
    ship_address: str
    is_default: bool
    source: str
    synced_at: int | None

    @property
    def source_label(self) -> str:
        """平台电子面单 / 本地单号."""
        return SOURCE_LABELS.get(self.source, self.source)


@dataclass(frozen=True)
class IssueFailure:
    """An order that got no number, and why (Chinese)."""

    order_id: int
    order_sn: str
    reason: str


@dataclass(frozen=True)
class IssueResult:
    """What :func:`issue_numbers` did: numbers per order (new and found again) and failures."""

    numbers: dict[int, str]
    failures: tuple[IssueFailure, ...]
    calls: int


@dataclass(frozen=True)
class NumberInfo:
    """The number of an order's label and where it came from (order detail)."""

    tracking_number: str
    source: str
    state: str
    sort_code: str
    hub: str
    cancel_state: str

    @property
    def source_label(self) -> str:
        """平台电子面单 / 本地单号."""
        return SOURCE_LABELS.get(self.source, self.source)


# --------------------------------------------------------------------------------------------
# Accounts
# --------------------------------------------------------------------------------------------


def list_accounts() -> list[WaybillAccountView]:
    """Every e-waybill account, by courier (defaults first), platform accounts before local pools."""
    rows = database.execute_sql(
        "SELECT a.id, a.courier_id, c.name, COALESCE(NULLIF(a.wp_code, "
        "''), c.code), a.branch_code, a.branch_name, "
        "CASE WHEN a.source = 'platform' THEN a.quantity ELSE "
        "(SELECT COUNT(*) FROM waybill_number n WHERE n.account_id = a.id AND n.state = 'free') END, "
        "a.allocated_quantity, a.cancel_quantity, a.recycled_quantity, "
        "a.ship_address, a.is_default, a.source, "
        "a.synced_at FROM waybill_account a JOIN courier c ON c.id = a.courier_id "
        "ORDER BY c.sort_order, c.id, a.is_default DESC, a.source = 'local', a.id"
    ).fetchall()
    return [WaybillAccountView(*r[:11], bool(r[11]), r[12], r[13]) for r in rows]


def set_default_account(*, account_id: int) -> Changes:
    """Make ``account_id`` its courier's default account (the others of that courier stop being)."""
    with write_transaction():
        row = database.execute_sql(
            "SELECT courier_id FROM waybill_account WHERE id = ?", (account_id,)
        ).fetchone()
        if row is None:
            raise ValidationError("面单账号", f"不存在（编号 {account_id}）")
        database.execute_sql(
            "UPDATE waybill_account SET is_default = (id = ?) WHERE courier_id = ?", (account_id, row[0])
        )
    return Changes(shipments=True)


def apply_accounts(accounts: Sequence[WaybillBranchRecord], templates: Sequence[StdTemplateRecord]):
    """Upsert the platform's branch accounts and standard templates (inside a write transaction).

    An account is keyed by (wp_code, branch_code); a courier unknown locally is left out. A
    courier without a default account gets its first platform account as default.
    """
    from pdd_desktop.services.sync.plugin import ApplyCounts

    counts = ApplyCounts()
    now = clock.now()
    conn = database.connection()
    couriers = {r[0]: r[1] for r in conn.execute("SELECT code, id FROM courier WHERE code != ''")}
    for a in accounts:
        courier_id = couriers.get(a.wp_code)
        if courier_id is None:
            continue
        values = (
            a.branch_name, a.quantity, a.allocated_quantity, a.cancel_quantity, a.recycled_quantity,
            a.ship_address, now,
        )  # fmt: skip
        have = conn.execute(
            "SELECT id, branch_name, quantity, allocated_quantity, "
            "cancel_quantity, recycled_quantity, ship_address "
            "FROM waybill_account WHERE source = 'platform' AND wp_code = ? AND branch_code = ?",
            (a.wp_code, a.branch_code),
        ).fetchone()
        if have is None:
            default = conn.execute(
                "SELECT 1 FROM waybill_account WHERE courier_id = ? AND is_default = 1", (courier_id,)
            ).fetchone()
            conn.execute(
                "INSERT INTO waybill_account (courier_id, branch_code, "
                "branch_name, sender_address_id, quantity, "
                "is_default, created_at, wp_code, source, "
                "allocated_quantity, cancel_quantity, recycled_quantity, "
                "ship_address, synced_at) VALUES (?, ?, ?, NULL, ?, ?, ?, ?, 'platform', ?, ?, ?, ?, ?)",
                (
                    courier_id, a.branch_code, a.branch_name, a.quantity, 0 if default else 1, now, a.wp_code,
                    a.allocated_quantity, a.cancel_quantity, a.recycled_quantity, a.ship_address, now,
                ),
            )  # fmt: skip
            counts.upserted += 1
        elif tuple(have[1:]) != values[:-1]:
            conn.execute(
                "UPDATE waybill_account SET branch_name = ?, quantity = ?, allocated_quantity = ?, "
                "cancel_quantity = ?, recycled_quantity = ?, ship_address = ?, synced_at = ? WHERE id = ?",
                (*values, have[0]),
            )
            counts.upserted += 1
        else:
            conn.execute("UPDATE waybill_account SET synced_at = ? WHERE id = ?", (now, have[0]))
            counts.same += 1
    for t in templates:
        conn.execute(
            "INSERT INTO waybill_template (wp_code, template_id, name, url, waybill_type, synced_at) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (wp_code, url) "
            "DO UPDATE SET template_id = excluded.template_id, "
            "name = excluded.name, waybill_type = excluded.waybill_type, synced_at = excluded.synced_at",
            (t.wp_code, t.template_id, t.name, t.url, t.waybill_type, now),
        )
    return counts


def _account(account_id: int) -> tuple[int, str, str, str, int, str]:
    """(id, source, wp_code, ship_address, courier_id, courier name) of an account."""
    row = database.execute_sql(
        "SELECT a.id, a.source, COALESCE(NULLIF(a.wp_code, "
        "''), c.code), a.ship_address, a.courier_id, c.name "
        "FROM waybill_account a JOIN courier c ON c.id = a.courier_id WHERE a.id = ?",
        (account_id,),
    ).fetchone()
    if row is None:
        raise ValidationError("面单账号", f"不存在（编号 {account_id}）")
    return row


def is_platform_account(account_id: int) -> bool:
    """True when the account's numbers are issued by the platform."""
    return _account(account_id)[1] == SOURCE_PLATFORM


# --------------------------------------------------------------------------------------------
# Issuing numbers
# --------------------------------------------------------------------------------------------


def _select_in(sql: str, values: Sequence[Any], prefix: Sequence[Any] = ()) -> list[tuple]:
    out: list[tuple] = []
    values = list(values)
    for start in range(0, len(values), _IN_SIZE):
        part = values[start : start + _IN_SIZE]
        out.extend(
            database.execute_sql(sql.format(marks=",".join("?" * len(part))), (*prefix, *part)).fetchall()
        )
    return out


def _sender(account_address: str) -> dict[str, Any]:
    """The sender of the request: 设置 → 发货地址 (default first), else the branch's address."""
    row = database.execute_sql(
        "SELECT contact_name, phone, province, city, district, detail FROM address WHERE is_sender = 1 "
        "ORDER BY is_default DESC, id LIMIT 1"
    ).fetchone()
    if row is not None:
        name, phone, province, city, district, detail = row
    else:
        shop = database.execute_sql("SELECT name FROM shop ORDER BY id LIMIT 1").fetchone()
        name, phone, province, city, district, detail = (
            shop[0] if shop else "",
            "",
            "",
            "",
            "",
            account_address,
        )
    if not (detail or province):
        raise ValidationError("发货地址", "请先在 设置 → 发货地址 填写发货地址，再用平台电子面单取号")
    return {
        "name": name,
        "mobile": phone,
        "phone": "",
        "address": {"province": province, "city": city, "district": district, "town": "", "detail": detail},
    }


def _template_url(wp_code: str) -> str:
    row = database.execute_sql(
        "SELECT url FROM waybill_template WHERE wp_code = ? ORDER BY waybill_type, template_id LIMIT 1",
        (wp_code,),
    ).fetchone()
    return row[0] if row else ""


def _existing_numbers(account_id: int, ids: Sequence[int]) -> dict[int, str]:
    rows = _select_in(
        "SELECT order_id, tracking_number FROM waybill_number WHERE account_id = ? AND state = 'allocated' "
        "AND order_id IN ({marks}) ORDER BY id",
        ids,
        prefix=(account_id,),
    )
    return {oid: number for oid, number in rows}


def _pending_requests(account_id: int, ids: Sequence[int]) -> dict[int, str]:
    rows = _select_in(
        "SELECT order_id, object_id FROM waybill_request WHERE account_id = ? AND state = 'pending' "
        "AND order_id IN ({marks}) ORDER BY id",
        ids,
        prefix=(account_id,),
    )
    return {oid: obj for oid, obj in rows}


def _dto(order: tuple, items: list[tuple[str, int]], object_id: str, template_url: str) -> dict[str, Any]:
    (_oid, order_sn, name, phone, province, city, district, town, detail) = order
    return {
        "object_id": object_id,
        "user_id": 0,
        "template_url": template_url,
        "order_info": {"order_channels_type": "PDD", "trade_order_list": [order_sn]},
        "package_info": {
            "id": order_sn,
            "items": [{"name": n[:60], "count": int(c)} for n, c in items[:100]],
        },
        # As stored: ciphertext while 待发货 on the real platform (it decrypts its own), or plain.
        "recipient": {
            "name": name,
            "mobile": phone,
            "phone": "",
            "address": {
                "province": province,
                "city": city,
                "district": district,
                "town": town,
                "detail": detail,
            },
        },
    }


def issue_numbers(
    *, client: PlatformClient, order_ids: Sequence[int], account_id: int, task: TaskContext | None = None
) -> IssueResult:
    """Get a platform number for every order of ``order_ids`` that has none from this account yet.

    Network calls: run it in a worker. Orders already holding an ``allocated`` number of the
    account keep it. Per batch of :data:`MAX_PER_CALL`: the requests are committed first, then
    sent; the numbers of the answer are stored in one transaction. A failed call stops there:
    its orders and the ones after it are failures with the reason (their requests stay pending
    and are found again next time).

    Raises:
        ValidationError: unknown or local account, no sender address.
    """
    from pdd_desktop.platform.errors import PlatformError
    from pdd_desktop.platform.records import RecordError

    acc_id, source, wp_code, ship_address, _courier_id, courier_name = _account(account_id)
    if source != SOURCE_PLATFORM:
        raise ValidationError("面单账号", f"{courier_name} 的本地单号账号不向平台取号")
    ids = list(dict.fromkeys(int(i) for i in order_ids))
    have = _existing_numbers(acc_id, ids)
    need = [oid for oid in ids if oid not in have]
    numbers = dict(have)
    failures: list[IssueFailure] = []
    calls = 0
    if not need:
        return IssueResult(numbers, (), 0)
    sender = _sender(ship_address)
    template_url = _template_url(wp_code)
    orders = {
        r[0]: r
        for r in _select_in(
            "SELECT id, order_sn, receiver_name, receiver_phone, "
            "province, city, district, town, address_detail "
            'FROM "order" WHERE id IN ({marks})',
            need,
        )
    }
    items: dict[int, list[tuple[str, int]]] = {}
    for oid, name, count in _select_in(
        "SELECT order_id, goods_name, quantity FROM order_item "
        "WHERE order_id IN ({marks}) ORDER BY order_id, id",
        need,
    ):
        items.setdefault(oid, []).append((name, count))
    need = [oid for oid in need if oid in orders]
    for start in range(0, len(need), MAX_PER_CALL):
        if task is not None:
            task.raise_if_cancelled()
            task.report(start, len(need), "正在向平台取电子面单号…")
        batch = need[start : start + MAX_PER_CALL]
        now = clock.now()
        with write_transaction():  # the requests, before anything is sent
            pending = _pending_requests(acc_id, batch)
            fresh = [(oid, uuid.uuid4().hex) for oid in batch if oid not in pending]
            database.connection().executemany(
                "INSERT INTO waybill_request (object_id, account_id, order_id, state, error, requested_at) "
                "VALUES (?, ?, ?, 'pending', '', ?)",
                [(obj, acc_id, oid, now) for oid, obj in fresh],
            )
            pending.update(dict(fresh))
        dtos = [_dto(orders[oid], items.get(oid, []), pending[oid], template_url) for oid in batch]
        request = {"wp_code": wp_code, "need_encrypt": True, "sender": sender, "trade_order_info_dtos": dtos}
        try:
            calls += 1
            modules = client.waybill_numbers(request)
        except (PlatformError, RecordError) as exc:
            reason = f"取号失败：{exc}"
            failures.extend(IssueFailure(oid, orders[oid][1], reason) for oid in need[start:])
            break
        by_object = {m.object_id: m for m in modules}
        issued_at = clock.now()
        with write_transaction():
            conn = database.connection()
            for oid in batch:
                m = by_object.get(pending[oid])
                if m is None or not m.issued:
                    why = (
                        "平台没有返回单号"
                        if m is None
                        else _REASONS.get(m.error_code, m.error_msg or m.error_code)
                    )
                    failures.append(IssueFailure(oid, orders[oid][1], why))
                    conn.execute(
                        "UPDATE waybill_request SET state = 'failed', "
                        "error = ?, finished_at = ? WHERE object_id = ?",
                        (why, issued_at, pending[oid]),
                    )
                    continue
                conn.execute(
                    "INSERT INTO waybill_number (account_id, tracking_number, "
                    "state, allocated_at, order_id, source, "
                    "object_id, parent_code, sort_code, hub, "
                    "print_data, template_url, issued_at, cancel_state) "
                    "VALUES (?, ?, 'allocated', ?, ?, 'platform', ?, ?, ?, ?, ?, ?, ?, '') "
                    "ON CONFLICT (tracking_number) DO NOTHING",
                    (
                        acc_id, m.waybill_code, issued_at, oid, m.object_id, m.parent_waybill_code,
                        m.sort_code, m.hub, m.print_data, template_url, issued_at,
                    ),
                )  # fmt: skip
                conn.execute(
                    "UPDATE waybill_request SET state = 'done', finished_at = ? WHERE object_id = ?",
                    (issued_at, pending[oid]),
                )
                numbers[oid] = m.waybill_code
    if task is not None:
        task.report(len(need), len(need), "正在向平台取电子面单号…")
    return IssueResult(numbers, tuple(failures), calls)


# --------------------------------------------------------------------------------------------
# Voiding
# --------------------------------------------------------------------------------------------


def _queue_cancel(conn: Any, number: str, wp_code: str, order_sn: str, reason: str, now: int) -> None:
    conn.execute(
        "UPDATE waybill_number SET state = 'cancelled', cancel_state = 'pending', cancelled_at = ? "
        "WHERE tracking_number = ?",
        (now, number),
    )
    payload = {"wp_code": wp_code, "waybill_code": number, "order_sn": order_sn, "reason": reason}
    conn.execute(
        "INSERT INTO outbox (op_id, op_type, entity_type, entity_remote_id, payload_json, base_json, state, "
        "attempts, last_error, created_at, result_json) VALUES "
        "(?, ?, 'waybill', ?, ?, '{}', 'pending', 0, '', ?, '')",
        (str(uuid.uuid4()), CANCEL_OP, number, json.dumps(payload, ensure_ascii=False), now),
    )
    conn.execute(
        "INSERT INTO audit_log (at, actor, action, entity_type, entity_id, detail_json, order_id) "
        "VALUES (?, 'user', 'void_waybill', 'order', ?, ?, (SELECT id FROM \"order\" WHERE order_sn = ?))",
        (
            now,
            order_sn,
            json.dumps({"tracking_number": number, "reason": reason}, ensure_ascii=False),
            order_sn,
        ),
    )


def void_number(*, tracking_number: str, reason: str = "商家作废") -> Changes:
    """Void a label's number before pickup: unusable at once; platform numbers are cancelled via sync.

    A local pool number only becomes ``cancelled`` (there is nothing to give back).

    Raises:
        NotAllowed: unknown number, already voided, or on a live parcel (shipped).
    """
    number = (tracking_number or "").strip()
    with write_transaction():
        row = database.execute_sql(
            "SELECT w.state, w.source, COALESCE(NULLIF(a.wp_code, ''), c.code), COALESCE(o.order_sn, '') "
            "FROM waybill_number w JOIN waybill_account a ON a.id = w.account_id "
            'JOIN courier c ON c.id = a.courier_id LEFT JOIN "order" o ON o.id = w.order_id '
            "WHERE w.tracking_number = ?",
            (number,),
        ).fetchone()
        if row is None:
            raise NotAllowed(f"找不到电子面单 {number}")
        state, source, wp_code, order_sn = row
        if state == "cancelled":
            raise NotAllowed(f"电子面单 {number} 已作废")
        live = database.execute_sql(
            "SELECT 1 FROM package WHERE tracking_number = ? AND voided_at IS NULL", (number,)
        ).fetchone()
        if state == "used" or live is not None:
            raise NotAllowed(f"电子面单 {number} 已发货使用，不能作废")
        now = clock.now()
        if source == SOURCE_PLATFORM:
            _queue_cancel(database.connection(), number, wp_code, order_sn, reason, now)
        else:
            database.execute_sql(
                "UPDATE waybill_number SET state = 'cancelled', cancelled_at = ? WHERE tracking_number = ?",
                (now, number),
            )
    return _CHANGES


def void_stale_numbers() -> int:
    """Void the platform numbers of orders refunded or cancelled before shipping (in a transaction).

    Returns how many were queued for cancel.
    """
    rows = database.execute_sql(
        "SELECT w.tracking_number, COALESCE(NULLIF(a.wp_code, ''), c.code), o.order_sn, o.status "
        "FROM waybill_number w JOIN waybill_account a ON a.id "
        "= w.account_id JOIN courier c ON c.id = a.courier_id "
        'JOIN "order" o ON o.id = w.order_id '
        "WHERE w.source = 'platform' AND w.state = 'allocated' AND (o.status = ? OR (o.status = ? AND "
        "o.refund_status IN (?, ?, ?))) "
        "AND NOT EXISTS (SELECT 1 FROM package p WHERE "
        "p.tracking_number = w.tracking_number AND p.voided_at IS NULL)",
        (
            int(OrderStatus.CANCELLED), int(OrderStatus.TO_SHIP), int(RefundStatus.REFUNDED),
            int(RefundStatus.REFUNDING), int(RefundStatus.IN_PROGRESS),
        ),
    ).fetchall()  # fmt: skip
    now = clock.now()
    conn = database.connection()
    for number, wp_code, order_sn, status in rows:
        why = "订单已取消" if status == int(OrderStatus.CANCELLED) else "订单退款"
        _queue_cancel(conn, number, wp_code, order_sn, why, now)
    return len(rows)


def note_cancel_results() -> None:
    """Copy the outbox's verdicts on cancels to the numbers (inside a write transaction)."""
    database.execute_sql(
        "UPDATE waybill_number SET cancel_state = CASE (SELECT o.state FROM outbox o WHERE o.op_type = ? "
        "AND o.entity_remote_id = waybill_number.tracking_number ORDER BY o.id DESC LIMIT 1) "
        "WHEN 'succeeded' THEN 'done' WHEN 'failed_permanent' THEN 'failed' ELSE cancel_state END "
        "WHERE cancel_state = 'pending'",
        (CANCEL_OP,),
    )


def order_numbers(order_id: int) -> list[NumberInfo]:
    """The e-waybill numbers reserved or used for an order, newest first, with their source."""
    rows = database.execute_sql(
        "SELECT tracking_number, source, state, sort_code, hub, cancel_state FROM waybill_number "
        "WHERE order_id = ? ORDER BY id DESC",
        (order_id,),
    ).fetchall()
    return [NumberInfo(*r) for r in rows]


__all__ = [
    "MAX_PER_CALL",
    "SOURCE_LABELS",
    "IssueFailure",
    "IssueResult",
    "NumberInfo",
    "WaybillAccountView",
    "apply_accounts",
    "is_platform_account",
    "issue_numbers",
    "list_accounts",
    "note_cancel_results",
    "order_numbers",
    "set_default_account",
    "void_number",
    "void_stale_numbers",
]
