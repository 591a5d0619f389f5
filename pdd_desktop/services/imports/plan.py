"""The plan: what one order of the file does to the shop (new, updated, unchanged).

支付时间 from 成交时间 (:func:`_derive_paid_at`): the current order export (2024-26 layout,
pdd-open-api.md §8.1, ``ec.NEW_ORDER_HEADER``) has no 支付时间 column, only 订单成交时间. Every
sales figure counts an order by its ``paid_at`` (``data/aggregates.py``, the home page), so a
shop fed only by today's export would show ¥0. A paid order's 成交 happens at or after its
payment: the platform's ``confirm_status`` is 0 未成交 / 1 已成交 / 2 已取消 and ``confirm_time``
is 成交 (pdd-open-api.md §3.5); a 拼单 is 成交 when the group forms, which needs the buyers'
payments first. So an order in a paid status (anything but 待支付) with a 成交时间 and no
支付时间 gets ``paid_at`` = 成交时间: the day the merchant's backend books the sale, at most
the wait for the group later than the true payment. An order cancelled before payment never
reaches 成交 and has no 成交时间, so it stays unpaid. The true time replaces the stand-in
when it arrives: a later file with 支付时间 (the older layout) through :func:`_order_changes`
(a stored ``paid_at`` equal to ``confirmed_at`` is taken for the stand-in), a sync through the
API's ``pay_time`` (``services/sync/areas/orders.py`` writes the platform's value). Both go
through the normal update, which refreshes the aggregates in the same transaction.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from pdd_desktop.data.db import database
from pdd_desktop.domain import export_columns as ec
from pdd_desktop.domain import sync_rules
from pdd_desktop.domain.courier_names import courier_key, courier_lookup
from pdd_desktop.domain.orders import OrderStatus
from pdd_desktop.services.imports.helpers import _rows_in
from pdd_desktop.services.imports.model import (
    _EXISTING_COLS,
    _MEMO_KEYS,
    _MONEY_KEYS,
    _PLAIN_KEYS,
    _RECEIVER,
    _TIME_KEYS,
    PreviewOrder,
)


class _Merged:
    """One order of the file: its order-level values and its item rows."""

    __slots__ = ("items", "o", "order_sn", "rows")

    def __init__(self, order_sn: str, rows: list[int], o: dict[str, Any], items: list[dict[str, Any]]):
        self.order_sn = order_sn
        self.rows = rows
        self.o = o
        self.items = items


@dataclass
class _Action:
    kind: str  #: new / updated / unchanged
    order: _Merged
    order_id: int | None = None
    changes: dict[str, Any] = field(default_factory=dict)
    package: tuple | None = None  #: (tracking number, courier id, shipped_at, signed_at)
    items: list[tuple] | None = None  #: item rows to write (new orders, or an order without items)

    def preview(self) -> PreviewOrder:
        o = self.order.o
        first = self.order.items[0].get("goods_name") or ""
        more = f" 等{len(self.order.items)}件" if len(self.order.items) > 1 else ""
        return PreviewOrder(
            row_no=self.order.rows[0],
            order_sn=self.order.order_sn,
            status_label=OrderStatus(o["status"]).label,
            pay_amount_fen=o.get("pay_amount_fen"),
            items=len(self.order.items),
            goods=first + more,
            action=self.kind,
        )


class _PlanState:
    """Lookups shared by the chunks of one check or apply (couriers, the clock, warnings)."""

    def __init__(self, present: tuple[str, ...], now: int) -> None:
        self.present = set(present)
        self.now = now
        rows = database.execute_sql("SELECT id, name FROM courier ORDER BY sort_order, id").fetchall()
        # by courier_key: 圆通 = 圆通速递 = 圆通快递 (domain/courier_names, one table for every file)
        self.couriers = {k: int(c[0]) for k, c in courier_lookup(rows, lambda c: str(c[1])).items()}
        self.unknown_couriers: dict[str, int] = {}
        #: Orders whose 支付时间 was taken from 成交时间 (module docstring).
        self.paid_from_confirmed = 0

    def courier_id(self, name: str) -> int | None:
        cid = self.couriers.get(courier_key(name)) if name.strip() else None
        if cid is None and name:
            self.unknown_couriers[name] = self.unknown_couriers.get(name, 0) + 1
        return cid

    def paid_note(self) -> str:
        """The one line telling that 成交时间 stood in for 支付时间 ("" when it did not)."""
        n = self.paid_from_confirmed
        if not n:
            return ""
        if "paid_at" not in self.present:
            return (
                f"文件中没有“支付时间”列：{n} 个已付款订单按“订单成交时间”计入销售额"
                "（成交在付款之后）。以后导入含支付时间的文件或同步订单时，会改为真实的支付时间。"
            )
        return (
            f"{n} 个已付款订单的“支付时间”为空：已按订单成交时间计入销售额"
            "（成交在付款之后）。以后导入含支付时间的文件或同步订单时，会改为真实的支付时间。"
        )

    def warnings(self) -> Iterator[str]:
        note = self.paid_note()
        if note:
            yield note
        for name, n in sorted(self.unknown_couriers.items()):
            yield (
                f"快递公司“{name}”不在本地的快递公司列表中：{n} 个订单的快递单号没有记录为包裹"
                "（同步快递公司后再导入即可）。"
            )


def _plan(orders: list[_Merged], st: _PlanState) -> list[_Action]:
    """Decide, for a chunk of merged orders, what each does to the shop (read-only)."""
    sns = [m.order_sn for m in orders]
    existing = {
        r[1]: dict(zip(_EXISTING_COLS, r, strict=True))
        for r in _rows_in(
            f'SELECT {", ".join(_EXISTING_COLS)} FROM "order" WHERE order_sn IN ({{marks}})', sns
        )
    }
    memo_locked: set[str] = set()
    ship_open: set[str] = set()
    if existing:
        for sn, op_type, state in _rows_in(
            "SELECT entity_remote_id, op_type, state FROM outbox WHERE entity_type = 'order' "
            "AND state != 'cancelled' AND entity_remote_id IN ({marks})",
            list(existing),
        ):
            if op_type == "set_memo":
                memo_locked.add(sn)
            elif op_type in sync_rules.SHIP_OP_TYPES and state in sync_rules.OPEN_STATES:
                ship_open.add(sn)
    ids = [e["id"] for e in existing.values()]
    live: dict[int, list[tuple[str, str]]] = {}
    has_items: set[int] = set()
    if ids:
        if "tracking_number" in st.present:
            for oid, number, kind in _rows_in(
                "SELECT po.order_id, p.tracking_number, p.kind FROM package_order po JOIN package p "
                "ON p.id = po.package_id WHERE p.voided_at IS NULL AND po.order_id IN ({marks})",
                ids,
            ):
                live.setdefault(oid, []).append((number, kind))
        has_items = {
            r[0]
            for r in _rows_in("SELECT DISTINCT order_id FROM order_item WHERE order_id IN ({marks})", ids)
        }
    need_prices = {
        it.get("sku_id")
        for m in orders
        if len(m.items) > 1 or m.order_sn not in existing
        for it in m.items
        if it.get("sku_id")
    }
    prices = (
        dict(
            _rows_in("SELECT sku_id, group_price_fen FROM sku WHERE sku_id IN ({marks})", sorted(need_prices))
        )
        if need_prices
        else {}
    )
    out: list[_Action] = []
    for m in orders:
        if _derive_paid_at(m.o):
            st.paid_from_confirmed += 1
        ex = existing.get(m.order_sn)
        if ex is None:
            out.append(_new_action(m, st, prices))
            continue
        changes = _order_changes(m, ex, m.order_sn in memo_locked, st.now)
        action = _Action("updated" if changes else "unchanged", m, ex["id"], changes)
        if ex["id"] not in has_items:
            action.items = _item_rows(m, prices)
            action.kind = "updated"
        if m.order_sn not in ship_open:
            pkg = _package_for(m, ex, live.get(ex["id"], []), st)
            if pkg is not None:
                action.package = pkg
                action.kind = "updated"
        out.append(action)
    return out


#: Key set on a merged order whose ``paid_at`` is the 成交时间 stand-in (not a column).
_PAID_DERIVED = "paid_at_from_confirmed"


def _derive_paid_at(o: dict[str, Any]) -> bool:
    """Give a paid order without 支付时间 its 成交时间 as ``paid_at`` (module docstring).

    Returns:
        True when ``paid_at`` was derived.
    """
    if o.get("paid_at") is not None or o.get("confirmed_at") is None:
        return False
    if o["status"] == OrderStatus.UNPAID:
        return False
    o["paid_at"] = o["confirmed_at"]
    o[_PAID_DERIVED] = True
    return True


def _file_refund(o: dict[str, Any]) -> int | None:
    a, b = o.get("refund_status"), o.get("status_refund")
    if a is None:
        return b
    if b is None:
        return a
    return a if ec.refund_rank(a) >= ec.refund_rank(b) else b


def _order_changes(m: _Merged, ex: dict[str, Any], memo_locked: bool, now: int) -> dict[str, Any]:
    """The columns the file's newer information changes on an existing order (module docstring)."""
    o = m.o
    ch: dict[str, Any] = {}
    st_local, st_file = ex["status"], o["status"]
    if ec.newer_status(st_local, st_file):
        ch["status"] = st_file
        derived = ec.derived_confirm_group(st_file)
        if derived is not None:
            if derived[0] != ex["confirm_status"]:
                ch["confirm_status"] = derived[0]
            if derived[1] != ex["group_status"]:
                ch["group_status"] = derived[1]
        if st_file == OrderStatus.CANCELLED:
            if ex["cancelled_at"] is None:
                ch["cancelled_at"] = now
            if ex["confirm_status"] == 0:
                ch["confirm_status"] = 2
                ch["group_status"] = 2
    refund = _file_refund(o)
    if refund is not None and refund != ex["refund_status"]:
        if ec.newer_refund(st_local, ex["refund_status"], st_file, refund):
            ch["refund_status"] = refund
    for k in _TIME_KEYS:
        v = o.get(k)
        if v is not None and ex[k] is None:
            ch[k] = v
    # The file's true 支付时间 replaces the 成交时间 stand-in an earlier new-layout file gave
    # (module docstring): a stored paid_at equal to confirmed_at, and a payment not after 成交.
    paid = o.get("paid_at")
    if (
        paid is not None
        and not o.get(_PAID_DERIVED)
        and ex["paid_at"] is not None
        and ex["paid_at"] == ex["confirmed_at"]
        and paid < ex["paid_at"]
    ):
        ch["paid_at"] = paid
    if ec.status_rank(st_file) < ec.status_rank(st_local):
        return ch
    for k in _MONEY_KEYS:
        v = o.get(k)
        if v is not None and v != ex[k]:
            ch[k] = v
    for k in _PLAIN_KEYS:
        v = o.get(k)
        if v not in (None, "") and v != ex[k]:
            ch[k] = v
    for k in _MEMO_KEYS:
        v = o.get(k)
        if v is not None and v != ex[k]:
            ch[k] = v
    if not memo_locked:
        v = o.get("seller_memo")
        if v is not None and v != ex["seller_memo"]:
            ch["seller_memo"] = v
    for full, mask_col, mask in _RECEIVER:
        v = o.get(full)
        if not v:
            continue
        if ec.is_masked(v):
            if not ex[mask_col] and not ex[full]:
                ch[mask_col] = v
        elif v != ex[full]:
            ch[full] = v
            masked = mask(v)
            if masked != ex[mask_col]:
                ch[mask_col] = masked
    return ch


def _item_rows(m: _Merged, prices: dict[int, int]) -> list[tuple]:
    goods_amount = m.o.get("goods_amount_fen")
    total_q = sum(it["quantity"] for it in m.items)
    out = []
    for it in m.items:
        q = it["quantity"]
        sku = it.get("sku_id") or 0
        if len(m.items) == 1 and goods_amount is not None and goods_amount % q == 0:
            unit = goods_amount // q
        elif sku in prices:
            unit = int(prices[sku])
        elif goods_amount is not None and total_q:
            unit = goods_amount // total_q
        else:
            unit = 0
        out.append(
            (
                it.get("goods_id") or 0,
                sku,
                it.get("goods_name") or "",
                it.get("spec") or "",
                it.get("outer_id") or "",
                it.get("outer_goods_id") or "",
                q,
                unit,
            )
        )
    return out


def _package_for(
    m: _Merged, ex: dict[str, Any] | None, live: list[tuple[str, str]], st: _PlanState
) -> tuple | None:
    number = (m.o.get("tracking_number") or "").strip()
    if not number or number in {n for n, _k in live} or any(k == "normal" for _n, k in live):
        return None
    status = m.o["status"]
    if status not in (OrderStatus.SHIPPED, OrderStatus.SIGNED) and not m.o.get("shipped_at"):
        return None
    cid = st.courier_id(m.o.get("courier") or "")
    if cid is None:
        return None
    shipped = m.o.get("shipped_at") or (ex["shipped_at"] if ex else None) or st.now
    return (number, cid, shipped, m.o.get("signed_at"))


def _new_action(m: _Merged, st: _PlanState, prices: dict[int, int]) -> _Action:
    o = m.o
    status = o["status"]
    derived = ec.derived_confirm_group(status) or (2, 2)
    pay = o.get("pay_amount_fen") or 0
    platform_discount = o.get("platform_discount_fen") or 0
    receive = o.get("merchant_receive_fen")
    values: dict[str, Any] = {
        "order_sn": m.order_sn,
        "status": status,
        "confirm_status": derived[0] if status != OrderStatus.CANCELLED or o.get("paid_at") is None else 1,
        "group_status": derived[1] if status != OrderStatus.CANCELLED or o.get("paid_at") is None else 2,
        "refund_status": _file_refund(o) or 1,
        "after_sales_status": 0,
        "trade_type": 0,
        "is_lucky": o.get("is_lucky") or 0,
        "risk_control_status": o.get("risk_control_status") or 0,
        "is_pre_sale": 0,
        "buyer_key": "",
        "buyer_nickname": "",
        "buyer_memo": o.get("buyer_memo") or "",
        "seller_memo": o.get("seller_memo") or "",
        "flag": None,
        "flag_name": "",
        "goods_amount_fen": o.get("goods_amount_fen") or 0,
        "postage_fen": o.get("postage_fen") or 0,
        "platform_discount_fen": platform_discount,
        "seller_discount_fen": o.get("seller_discount_fen") or 0,
        "change_amount_fen": 0,
        "pay_reduction_fen": o.get("pay_reduction_fen") or 0,
        "pay_amount_fen": pay,
        "merchant_receive_fen": receive if receive is not None else pay + platform_discount,
        "item_count": sum(it["quantity"] for it in m.items),
        "paid_at": o.get("paid_at"),
        "confirmed_at": o.get("confirmed_at"),
        "group_formed_at": o.get("group_formed_at"),
        "ship_deadline_at": o.get("ship_deadline_at"),
        "shipped_at": o.get("shipped_at"),
        "signed_at": o.get("signed_at"),
        "cancelled_at": st.now if status == OrderStatus.CANCELLED else None,
        "province": o.get("province") or "",
        "city": o.get("city") or "",
        "district": o.get("district") or "",
        "town": o.get("town") or "",
        "print_count": 0,
        "last_printed_at": None,
        "pending_ops": 0,
        "has_conflict": 0,
        "platform_updated_at": None,
        "local_updated_at": None,
        "remote_hash": None,
        "remote_missing_since": None,
        "source": "file",
    }
    values["created_at"] = next(
        (
            o.get(k)
            for k in ("created_at", "paid_at", "confirmed_at", "group_formed_at")
            if o.get(k) is not None
        ),
        st.now,
    )
    for full, mask_col, mask in _RECEIVER:
        v = o.get(full) or ""
        if ec.is_masked(v):
            values[full], values[mask_col] = "", v
        else:
            values[full], values[mask_col] = v, mask(v) if v else ""
    action = _Action("new", m, None, values, items=_item_rows(m, prices))
    action.package = _package_for(m, None, [], st)
    return action
