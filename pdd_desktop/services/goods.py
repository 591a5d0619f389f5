"""商品: the shop's own edits of stock, prices and the shelf state, queued for the platform.

Every edit follows :func:`pdd_desktop.services.orders.set_seller_memo`: one transaction with the
local change, an outbox op (absolute target values as payload, the values the user saw as
base) and an audit row. An older op of the same SKU / goods and type that was never sent is
cancelled and its base kept: the platform still has what that base says, so the compare-and-set
of the push (the goods area's ``_reconcile_sku``) sees no false conflict.

Stock and price ops name the SKU (``entity_type`` ``sku``, as :mod:`.import_goods` expects: a
goods sheet leaves a SKU with an open ``set_stock`` / ``set_price`` op alone); shelf ops name
the goods.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from typing import Any

from pdd_desktop.common import clock
from pdd_desktop.common.changes import Changes
from pdd_desktop.data.db import database, write_transaction
from pdd_desktop.data.models import AuditLog, Outbox, StockMovement
from pdd_desktop.data.queries import goods as goods_queries
from pdd_desktop.domain.errors import NotAllowed, ValidationError
from pdd_desktop.domain.money import format_yuan_plain

GOODS_CHANGES = Changes(goods=True)
#: The platform's upper bound for a SKU's stock.
MAX_STOCK = 9_999_999
#: A sanity bound for a price typed here (1,000,000.00 元): beyond it is a typo, not a price.
MAX_PRICE_FEN = 100_000_000


def _yuan(fen: int) -> str:
    return f"{format_yuan_plain(fen)} 元"


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _queue(
    *,
    op_type: str,
    entity_type: str,
    entity_id: int,
    payload: dict[str, Any],
    base: dict[str, Any],
    now: int,
    superseded_note: str,
) -> dict[str, Any]:
    """Cancel never-sent ops of the same entity and type, add the new op; returns its base."""
    unsent = "entity_type = ? AND entity_remote_id = ? AND op_type = ? AND state = 'pending' AND attempts = 0"
    key = (entity_type, str(entity_id), op_type)
    # The platform still has what the oldest unsent op saw: that stays the base (no false conflict).
    first = database.execute_sql(
        f"SELECT base_json FROM outbox WHERE {unsent} ORDER BY id LIMIT 1", key
    ).fetchone()
    if first is not None:
        base = json.loads(first[0])
    database.execute_sql(
        f"UPDATE outbox SET state = 'cancelled', completed_at = ?, last_error = ? WHERE {unsent}",
        (now, superseded_note, *key),
    )
    Outbox.create(
        op_id=str(uuid.uuid4()),
        op_type=op_type,
        entity_type=entity_type,
        entity_remote_id=str(entity_id),
        payload_json=json.dumps(payload, ensure_ascii=False),
        base_json=json.dumps(base, ensure_ascii=False),
        created_at=now,
    )
    return base


def _audit(action: str, entity_type: str, entity_id: int, now: int, detail: dict[str, Any]) -> None:
    AuditLog.create(
        at=now,
        actor="user",
        action=action,
        entity_type=entity_type,
        entity_id=str(entity_id),
        detail_json=json.dumps(detail, ensure_ascii=False),
    )


def _sku_row(sku_id: int, columns: str, missing: str = "") -> tuple:
    """(goods_id, spec, goods name, *columns) of a SKU; ``missing``: the message when there is none."""
    row = database.execute_sql(
        f"SELECT s.goods_id, s.spec, g.name, {columns} FROM sku s JOIN goods g ON g.goods_id = s.goods_id "
        "WHERE s.sku_id = ?",
        (sku_id,),
    ).fetchone()
    if row is None:
        raise NotAllowed(missing or f"规格不存在或已被删除（规格ID {sku_id}）")
    return row


def _sku_name(name: str, spec: str, sku_id: int) -> str:
    return f"「{name}{' ' + spec if spec else ''}」（规格ID {sku_id}）"


# ---------------------------------------------------------------------------- stock


def set_sku_stock(*, sku_id: int, quantity: int, seen: int) -> Changes:
    """Set a SKU's stock to ``quantity`` (absolute) here and queue ``set_stock`` for the platform.

    One transaction: the SKU's stock, a ``stock_movement`` (kind ``adjust``), an outbox op
    ``set_stock`` (payload ``goods_id, sku_id, quantity``; base ``{"quantity": seen}``, or the
    base of a never-sent older op, which is cancelled) and an audit row.

    Args:
        sku_id: The SKU.
        quantity: The new stock, 0 … 9,999,999.
        seen: The stock the user saw when typing; the edit is refused if it is no longer there.

    Raises:
        ValidationError: quantity (or seen) is not a whole number in range.
        NotAllowed: unknown SKU, or its stock changed since the user looked (nothing written).
    """
    for value in (quantity, seen):
        if not _is_int(value):
            raise ValidationError("库存", f"应为整数，收到 {value!r}")
    if not 0 <= quantity <= MAX_STOCK:
        raise ValidationError("库存", f"应在 0 到 {MAX_STOCK} 之间，收到 {quantity}")
    now = clock.now()
    with write_transaction():
        goods_id, spec, name, stock = _sku_row(sku_id, "s.stock")
        if stock != seen:
            raise NotAllowed(
                f"{_sku_name(name, spec, sku_id)}的库存已从 {seen} 变为 {stock}（同步或发货改动了它），"
                "请按最新库存重新填写"
            )
        if quantity == stock:
            return Changes()
        base = _queue(
            op_type="set_stock",
            entity_type="sku",
            entity_id=sku_id,
            payload={"goods_id": goods_id, "sku_id": sku_id, "quantity": quantity},
            base={"quantity": seen},
            now=now,
            superseded_note="被更新的库存修改取代",
        )
        database.execute_sql("UPDATE sku SET stock = ? WHERE sku_id = ?", (quantity, sku_id))
        StockMovement.create(
            sku=sku_id,
            at=now,
            delta=quantity - stock,
            stock_after=quantity,
            kind=StockMovement.KIND_ADJUST,
            note="手动修改库存",
        )
        _audit(
            "set_stock",
            "sku",
            sku_id,
            now,
            {"goods_id": goods_id, "from": stock, "to": quantity, "platform_base": base.get("quantity")},
        )
    return GOODS_CHANGES


def _set_case_stock(
    sku_id: int, goods_id: int, stock: int, after: int, now: int, case: tuple[int, int], kind: str, note: str
) -> None:
    """Move a SKU's stock from ``stock`` to ``after`` for an after-sales case (order id, case id).

    The ``set_stock`` op (its base the stock before), the SKU's row and the case's movement.
    """
    _queue(
        op_type="set_stock",
        entity_type="sku",
        entity_id=sku_id,
        payload={"goods_id": goods_id, "sku_id": sku_id, "quantity": after},
        base={"quantity": stock},
        now=now,
        superseded_note="被更新的库存修改取代",
    )
    database.execute_sql("UPDATE sku SET stock = ? WHERE sku_id = ?", (after, sku_id))
    _case_movement(sku_id, now, after - stock, after, case, kind, note)


def _case_movement(
    sku_id: int, now: int, delta: int, after: int, case: tuple[int, int], kind: str, note: str
) -> None:
    StockMovement.create(
        sku=sku_id,
        at=now,
        delta=delta,
        stock_after=after,
        kind=kind,
        order_id=case[0],
        after_sale_id=case[1],
        note=note,
    )


def receive_returned_units(
    *, sku_id: int, good: int, damaged: int, order_id: int, after_sale_id: int, note: str, now: int
) -> dict[str, Any]:
    """Book the units of an after-sales return; runs inside the caller's write transaction.

    Good units go back on the shelf: the SKU's stock rises, a ``stock_movement`` of kind
    ``return`` (delta +good) names the order and the case, and a ``set_stock`` op carries the new
    stock to the platform with the stock before as its base (the platform does not restock a
    returned parcel by itself; the compare-and-set shows a conflict if its stock moved meanwhile).
    Damaged units never reach the shelf: a movement of kind ``loss`` with delta 0 (the running
    total stays right) records them, the count in its note. Returns the audit detail.

    Raises:
        NotAllowed: the SKU is not in the local catalogue (sync the goods first).
    """
    goods_id, spec, name, stock = _sku_row(sku_id, "s.stock")
    detail: dict[str, Any] = {"sku_id": sku_id, "good": good, "damaged": damaged, "stock_before": stock}
    case = (order_id, after_sale_id)
    if good:
        after = stock + good
        if after > MAX_STOCK:
            raise NotAllowed(f"{_sku_name(name, spec, sku_id)}入库后库存 {after} 超过平台上限 {MAX_STOCK}")
        restocked = f"售后 {after_sale_id} 退货入库 {good} 件" + (f"：{note}" if note else "")
        _set_case_stock(sku_id, goods_id, stock, after, now, case, StockMovement.KIND_RETURN, restocked)
        stock = after
    if damaged:
        lost = f"售后 {after_sale_id} 退货损坏 {damaged} 件，未入库" + (f"：{note}" if note else "")
        _case_movement(sku_id, now, 0, stock, case, StockMovement.KIND_LOSS, lost)
    detail["stock_after"] = stock
    return detail


def send_resend_units(
    *, sku_id: int, quantity: int, order_id: int, after_sale_id: int, now: int
) -> dict[str, Any]:
    """Take the units of a 换货/补寄 parcel off the shelf; runs inside the caller's write transaction.

    The parcel is a new unit for the buyer on top of the order's own shipment (whose ``sale``
    movement was written when it shipped), so the SKU's stock falls by ``quantity``, a
    ``stock_movement`` of kind ``resend`` (delta −quantity) names the order and the case, and a
    ``set_stock`` op carries the new stock to the platform with the stock before as its base,
    as :func:`receive_returned_units` does for a restock. The platform does not take stock off
    for ``pdd.refund.exchange.shipping`` (its parameters name the case and the parcel only, no
    goods or quantity: pdd-open-api.md §5.3; the sandbox's ``exchange_ship`` leaves the SKU
    alone), and the compare-and-set shows a conflict if its stock moved meanwhile. Returns the
    audit detail.

    Raises:
        NotAllowed: the SKU is not in the local catalogue, or its stock here is lower than the
            parcel's units (the stock would go below zero).
    """
    goods_id, spec, name, stock = _sku_row(
        sku_id,
        "s.stock",
        f"售后单 {after_sale_id} 的商品规格（规格ID {sku_id}）不在本机商品库，无法扣减库存："
        "请先在「商品」页同步商品，再发出换货/补寄",
    )
    after = stock - quantity
    if after < 0:
        raise NotAllowed(
            f"{_sku_name(name, spec, sku_id)}本机库存只有 {stock} 件，不够发出换货/补寄 {quantity} 件："
            "请先在「商品」页核对并修改库存"
        )
    sent = f"售后 {after_sale_id} 换货/补寄发出 {quantity} 件"
    _set_case_stock(
        sku_id, goods_id, stock, after, now, (order_id, after_sale_id), StockMovement.KIND_RESEND, sent
    )
    return {"sku_id": sku_id, "quantity": quantity, "stock_before": stock, "stock_after": after}


# ---------------------------------------------------------------------------- price


def _check_price(label: str, fen: object) -> None:
    if not _is_int(fen):
        raise ValidationError(label, f"应为整数（分），收到 {fen!r}")
    if not 0 < fen <= MAX_PRICE_FEN:  # type: ignore[operator]
        raise ValidationError(label, f"应大于 0 且不超过 {_yuan(MAX_PRICE_FEN)}，收到 {fen} 分")


def set_sku_price(
    *,
    sku_id: int,
    group_price_fen: int,
    single_price_fen: int,
    seen_group_fen: int,
    seen_single_fen: int,
) -> Changes:
    """Set a SKU's 拼团价 and 单买价 (fen) here and queue ``set_price`` for the platform.

    One transaction: the SKU's prices, an outbox op ``set_price`` (payload ``goods_id, sku_id,
    group_price_fen, single_price_fen``; base the seen prices under the same names, or the base
    of a never-sent older op, which is cancelled) and an audit row.

    Raises:
        ValidationError: a price is not a positive whole number of fen, or 拼团价 is not lower
            than 单买价 (a platform rule).
        NotAllowed: unknown SKU, or its prices changed since the user looked (nothing written).
    """
    _check_price("拼团价", group_price_fen)
    _check_price("单买价", single_price_fen)
    for fen in (seen_group_fen, seen_single_fen):
        if not _is_int(fen):
            raise ValidationError("原价格", f"应为整数（分），收到 {fen!r}")
    if group_price_fen >= single_price_fen:
        raise ValidationError(
            "拼团价",
            f"拼多多要求拼团价低于单买价（拼团价 {_yuan(group_price_fen)}，"
            f"单买价 {_yuan(single_price_fen)}）",
        )
    now = clock.now()
    with write_transaction():
        goods_id, spec, name, group, single = _sku_row(sku_id, "s.group_price_fen, s.single_price_fen")
        if (group, single) != (seen_group_fen, seen_single_fen):
            raise NotAllowed(
                f"{_sku_name(name, spec, sku_id)}的价格已从 拼团价 {_yuan(seen_group_fen)} / 单买价 "
                f"{_yuan(seen_single_fen)} 变为 拼团价 {_yuan(group)} / 单买价 {_yuan(single)}，"
                "请按最新价格重新填写"
            )
        if (group_price_fen, single_price_fen) == (group, single):
            return Changes()
        _queue(
            op_type="set_price",
            entity_type="sku",
            entity_id=sku_id,
            payload={
                "goods_id": goods_id,
                "sku_id": sku_id,
                "group_price_fen": group_price_fen,
                "single_price_fen": single_price_fen,
            },
            base={"group_price_fen": seen_group_fen, "single_price_fen": seen_single_fen},
            now=now,
            superseded_note="被更新的价格修改取代",
        )
        database.execute_sql(
            "UPDATE sku SET group_price_fen = ?, single_price_fen = ? WHERE sku_id = ?",
            (group_price_fen, single_price_fen, sku_id),
        )
        _audit(
            "set_price",
            "sku",
            sku_id,
            now,
            {
                "goods_id": goods_id,
                "group_price": f"{_yuan(group)} → {_yuan(group_price_fen)}",
                "single_price": f"{_yuan(single)} → {_yuan(single_price_fen)}",
            },
        )
    return GOODS_CHANGES


# ---------------------------------------------------------------------------- shelf


def set_goods_onsale(*, goods_id: int, is_onsale: bool) -> Changes:
    """上架 (``True``) or 下架 (``False``) a goods here and queue ``set_onsale`` for the platform.

    One transaction: ``goods.is_onsale``, an outbox op ``set_onsale`` (payload ``goods_id,
    is_onsale``; base ``{"is_onsale": <before>}``, or the base of a never-sent older op, which is
    cancelled) and an audit row.

    Raises:
        ValidationError: ``is_onsale`` is not a bool.
        NotAllowed: unknown goods.
    """
    if not isinstance(is_onsale, bool):
        raise ValidationError("上下架", f"应为上架或下架，收到 {is_onsale!r}")
    now = clock.now()
    with write_transaction():
        row = database.execute_sql(
            "SELECT name, is_onsale FROM goods WHERE goods_id = ?", (goods_id,)
        ).fetchone()
        if row is None:
            raise NotAllowed(f"商品不存在或已被删除（商品ID {goods_id}）")
        name, old = row[0], bool(row[1])
        if old == is_onsale:
            return Changes()
        _queue(
            op_type="set_onsale",
            entity_type="goods",
            entity_id=goods_id,
            payload={"goods_id": goods_id, "is_onsale": is_onsale},
            base={"is_onsale": old},
            now=now,
            superseded_note="被更新的上下架操作取代",
        )
        database.execute_sql(
            "UPDATE goods SET is_onsale = ? WHERE goods_id = ?", (1 if is_onsale else 0, goods_id)
        )
        _audit("set_onsale", "goods", goods_id, now, {"name": name, "to": "上架" if is_onsale else "下架"})
    return GOODS_CHANGES


# ---------------------------------------------------------------------------- reads (商品 page)

#: Tabs of the goods list: (key, label).
GOODS_VIEWS: tuple[tuple[str, str], ...] = (
    ("all", "全部"),
    ("onsale", "在售"),
    ("offsale", "已下架"),
    ("low_stock", "库存不足"),
    ("pending", "待上传"),
)

#: stock_movement.kind → the text the log shows.
MOVEMENT_KIND_LABELS = {
    StockMovement.KIND_SALE: "销售",
    StockMovement.KIND_RETURN: "退货",
    StockMovement.KIND_ADJUST: "调整",
    StockMovement.KIND_IMPORT: "导入",
    StockMovement.KIND_SYNC: "同步",
    StockMovement.KIND_CANCEL: "取消发货",
    StockMovement.KIND_LOSS: "报损",
    StockMovement.KIND_RESEND: "换货/补寄发出",
    "stocktake": "盘点",  # services/stock.py
    "inbound": "入库",
}

#: Pending op type → the field it changes, as the SKU table names it.
PENDING_FIELD_LABELS = {"set_stock": "库存", "set_price": "价格", "set_onsale": "上下架"}


@dataclass(frozen=True)
class GoodsRow:
    """One line of the goods list (money in fen; available = stock − held by unshipped orders)."""

    goods_id: int
    name: str
    outer_goods_id: str
    is_onsale: bool
    sku_count: int
    total_stock: int
    available_stock: int
    min_group_fen: int | None
    max_group_fen: int | None
    low_sku_count: int  #: SKUs whose available stock is at or below their threshold
    pending: bool  #: an edit of this goods or one of its SKUs waits for upload
    image_url: str = ""  #: the main image as the platform gives it ("" = none)

    def in_view(self, view: str) -> bool:
        """Whether this goods belongs to the tab ``view`` (a key of :data:`GOODS_VIEWS`)."""
        if view == "onsale":
            return self.is_onsale
        if view == "offsale":
            return not self.is_onsale
        if view == "low_stock":
            return self.low_sku_count > 0
        if view == "pending":
            return self.pending
        return True


@dataclass(frozen=True)
class GoodsList:
    """The goods of one tab (after the search) and every tab's count under the same search."""

    rows: tuple[GoodsRow, ...]
    counts: dict[str, int]


@dataclass(frozen=True)
class SkuRow:
    """One SKU as the goods page shows it; ``pending_fields`` name its edits waiting for upload."""

    sku_id: int
    goods_id: int
    spec: str
    outer_id: str
    group_price_fen: int
    single_price_fen: int
    stock: int
    held: int  #: quantity in unshipped, unrefunded orders
    low_stock_threshold: int
    weight_g: int
    pending_fields: tuple[str, ...]
    cost_price_fen: int | None = None  #: the merchant's cost (local only); None = unknown

    @property
    def available(self) -> int:
        """Stock not yet promised to an unshipped order."""
        return self.stock - self.held

    @property
    def is_low(self) -> bool:
        """Available stock at or below the threshold (库存不足)."""
        return self.available <= self.low_stock_threshold


@dataclass(frozen=True)
class GoodsDetail:
    """A goods with its SKUs; ``onsale_pending`` when a 上架/下架 waits for upload."""

    goods_id: int
    name: str
    outer_goods_id: str
    category: str
    is_onsale: bool
    onsale_pending: bool
    skus: tuple[SkuRow, ...]
    promise_hours: int = 48  #: 承诺发货时间 (local planning value)


@dataclass(frozen=True)
class MovementRow:
    """One stock movement (``at`` UTC epoch seconds)."""

    id: int
    at: int
    kind: str
    kind_label: str
    delta: int
    stock_after: int
    order_sn: str | None
    after_sale_id: int | None
    note: str


def goods_list(*, view: str = "all", search: str = "", sku_ids: tuple[int, ...] = ()) -> GoodsList:
    """The goods of tab ``view`` matching ``search`` (name / goods id / seller code fragment).

    ``sku_ids`` (an alert's button): only the goods of exactly these SKUs.

    Raises:
        ValidationError: unknown ``view``.
    """
    if view not in dict(GOODS_VIEWS):
        raise ValidationError("筛选", f"未知的商品列表：{view!r}")
    wanted = goods_queries.goods_ids_of_skus(sku_ids) if sku_ids else None
    rows = [
        GoodsRow(
            goods_id=int(r[0]),
            name=r[1],
            outer_goods_id=r[2] or "",
            is_onsale=bool(r[3]),
            sku_count=int(r[4]),
            total_stock=int(r[5]),
            available_stock=int(r[6]),
            min_group_fen=None if r[7] is None else int(r[7]),
            max_group_fen=None if r[8] is None else int(r[8]),
            low_sku_count=int(r[9]),
            pending=bool(r[10]),
            image_url=r[11] or "",
        )
        for r in goods_queries.goods_summaries(search.strip())
        if wanted is None or int(r[0]) in wanted
    ]
    counts = {key: sum(1 for r in rows if r.in_view(key)) for key, _ in GOODS_VIEWS}
    return GoodsList(tuple(r for r in rows if r.in_view(view)), counts)


def goods_detail(*, goods_id: int) -> GoodsDetail | None:
    """One goods with its SKUs and their pending edits; None when it no longer exists."""
    row = goods_queries.goods_row(goods_id)
    if row is None:
        return None
    pending: dict[int, set[str]] = {}
    onsale_pending = False
    for op_type, sku_id, _goods in goods_queries.open_goods_ops(goods_id):
        if op_type == "set_onsale":
            onsale_pending = True
        elif sku_id is not None:
            pending.setdefault(sku_id, set()).add(op_type)
    order = list(PENDING_FIELD_LABELS)
    skus = tuple(
        SkuRow(
            sku_id=int(s[0]),
            goods_id=goods_id,
            spec=s[1] or "",
            outer_id=s[2] or "",
            group_price_fen=int(s[3]),
            single_price_fen=int(s[4]),
            stock=int(s[5]),
            held=int(s[6]),
            low_stock_threshold=int(s[7]),
            weight_g=int(s[8]),
            pending_fields=tuple(
                PENDING_FIELD_LABELS[op] for op in sorted(pending.get(int(s[0]), ()), key=order.index)
            ),
            cost_price_fen=None if s[9] is None else int(s[9]),
        )
        for s in goods_queries.sku_rows(goods_id)
    )
    return GoodsDetail(
        goods_id=int(row[0]),
        name=row[1],
        outer_goods_id=row[2] or "",
        category=row[4] or "",
        is_onsale=bool(row[3]),
        onsale_pending=onsale_pending,
        skus=skus,
        promise_hours=int(row[5]),
    )


def stock_movements(
    *,
    sku_id: int,
    limit: int = 100,
    kind: str | None = None,
    start: int | None = None,
    end: int | None = None,
) -> tuple[MovementRow, ...]:
    """The latest ``limit`` stock movements of a SKU, newest first.

    Filters: ``kind`` (a key of :data:`MOVEMENT_KIND_LABELS`), ``start`` ≤ time < ``end``.

    Raises:
        ValidationError: unknown kind, or a period that ends before it starts.
    """
    if kind is not None and kind not in MOVEMENT_KIND_LABELS:
        raise ValidationError("类型", f"未知的库存变动类型：{kind!r}")
    if start is not None and end is not None and end <= start:
        raise ValidationError("日期", "结束日期应晚于开始日期")
    return tuple(
        MovementRow(
            id=int(r[0]),
            at=int(r[1]),
            kind=r[2],
            kind_label=MOVEMENT_KIND_LABELS.get(r[2], r[2]),
            delta=int(r[3]),
            stock_after=int(r[4]),
            order_sn=r[5],
            after_sale_id=None if r[6] is None else int(r[6]),
            note=r[7] or "",
        )
        for r in goods_queries.stock_movements(sku_id, limit, kind=kind, start=start, end=end)
    )
