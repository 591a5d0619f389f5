"""The 商品 page's read model: goods summaries, one goods' SKUs, stock movements, open edits.

Stock held by orders ("未发货占用") is the quantity in order lines whose order is unshipped and
unrefunded: ``status`` is :attr:`OrderStatus.TO_SHIP` (paid, group formed, not shipped) and
``refund_status`` is not :attr:`RefundStatus.REFUNDED`. Unpaid orders (the platform holds their
units in ``sku.reserve_quantity``), cancelled and shipped ones hold nothing here: shipping
writes a ``sale`` movement and lowers ``sku.stock`` itself. The sum starts from the
``(status, ship_deadline_at)`` index and reads each line through ``order_item.order_id``.

A shop has hundreds to a few thousand goods, so the list is one aggregate over all SKUs of the
goods that match the search; the tab filter and the tab counts are worked out by the service
from those rows.
"""

from __future__ import annotations

import json

from pdd_desktop.data.db import database
from pdd_desktop.domain.orders import OrderStatus, RefundStatus
from pdd_desktop.domain.sync_rules import OPEN_STATES

#: Op types of local goods edits (services.goods).
GOODS_OP_TYPES = ("set_stock", "set_price", "set_onsale")

_TO_SHIP = int(OrderStatus.TO_SHIP)
_REFUNDED = int(RefundStatus.REFUNDED)
_HELD = (
    'SELECT oi.sku_id AS sku_id, SUM(oi.quantity) AS qty FROM "order" o '
    "JOIN order_item oi ON oi.order_id = o.id "
    f"WHERE o.status = {_TO_SHIP} AND o.refund_status != {_REFUNDED} GROUP BY oi.sku_id"
)

_OPEN_MARKS = ",".join("?" * len(OPEN_STATES))
_OPEN_OPS = (
    "SELECT op_type, json_extract(payload_json, '$.sku_id') AS sku_id, "
    "json_extract(payload_json, '$.goods_id') AS goods_id FROM outbox "
    f"WHERE op_type IN ('set_stock', 'set_price', 'set_onsale') AND state IN ({_OPEN_MARKS})"
)


def _like(fragment: str) -> str:
    """A LIKE pattern matching ``fragment`` anywhere; ``%``, ``_`` and the backslash match literally."""
    escaped = fragment.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def goods_summaries(search: str = "") -> list[tuple]:
    """One row per goods matching ``search`` (all goods when empty), newest listing first.

    ``search`` matches a fragment of the name, the goods id, the goods' seller code or any of
    its SKUs' seller codes.

    Returns:
        Rows ``(goods_id, name, outer_goods_id, is_onsale, sku_count, total_stock,
        available_stock, min_group_fen, max_group_fen, low_sku_count, pending, image_url)``: available is
        stock minus the quantity held by unshipped orders; ``low_sku_count`` counts SKUs whose
        available stock is at or below their threshold; ``pending`` is 1 when the goods or one
        of its SKUs has an open outbox op.
    """
    where = ""
    params: list[object] = list(OPEN_STATES)
    if search:
        pattern = _like(search)
        where = (
            "WHERE g.name LIKE ? ESCAPE '\\' OR CAST(g.goods_id AS TEXT) LIKE ? ESCAPE '\\' "
            "OR g.outer_goods_id LIKE ? ESCAPE '\\' OR EXISTS (SELECT 1 FROM sku s2 "
            "WHERE s2.goods_id = g.goods_id AND s2.outer_id LIKE ? ESCAPE '\\')"
        )
        params += [pattern] * 4
    sql = (
        f"WITH held AS ({_HELD}), open_ops AS ({_OPEN_OPS}), "
        "per_goods AS (SELECT s.goods_id AS goods_id, COUNT(*) AS n, SUM(s.stock) AS stock, "
        "SUM(s.stock - COALESCE(h.qty, 0)) AS available, MIN(s.group_price_fen) AS min_group, "
        "MAX(s.group_price_fen) AS max_group, "
        "SUM(s.stock - COALESCE(h.qty, 0) <= s.low_stock_threshold) AS low "
        "FROM sku s LEFT JOIN held h ON h.sku_id = s.sku_id GROUP BY s.goods_id) "
        "SELECT g.goods_id, g.name, g.outer_goods_id, g.is_onsale, COALESCE(p.n, 0), "
        "COALESCE(p.stock, 0), COALESCE(p.available, 0), p.min_group, p.max_group, COALESCE(p.low, 0), "
        "EXISTS (SELECT 1 FROM open_ops o WHERE o.goods_id = g.goods_id), g.image_url "
        f"FROM goods g LEFT JOIN per_goods p ON p.goods_id = g.goods_id {where} "
        "ORDER BY g.goods_id DESC"
    )
    return database.execute_sql(sql, params).fetchall()


def goods_row(goods_id: int) -> tuple | None:
    """``(goods_id, name, outer_goods_id, is_onsale, category, promise_hours)`` of one goods, or None."""
    return database.execute_sql(
        "SELECT goods_id, name, outer_goods_id, is_onsale, category, promise_hours FROM goods "
        "WHERE goods_id = ?",
        (goods_id,),
    ).fetchone()


def sku_rows(goods_id: int) -> list[tuple]:
    """The SKUs of one goods in spec order.

    Returns:
        Rows ``(sku_id, spec, outer_id, group_price_fen, single_price_fen, stock, held,
        low_stock_threshold, weight_g, cost_price_fen)``; ``held`` is the quantity in unshipped
        orders; ``cost_price_fen`` is None when unknown.
    """
    return database.execute_sql(
        "SELECT s.sku_id, s.spec, s.outer_id, s.group_price_fen, s.single_price_fen, s.stock, "
        'COALESCE((SELECT SUM(oi.quantity) FROM order_item oi JOIN "order" o ON o.id = oi.order_id '
        "WHERE oi.sku_id = s.sku_id AND o.status = ? AND o.refund_status != ?), 0), "
        "s.low_stock_threshold, s.weight_g, s.cost_price_fen FROM sku s WHERE s.goods_id = ? "
        "ORDER BY s.spec, s.sku_id",
        (_TO_SHIP, _REFUNDED, goods_id),
    ).fetchall()


def open_goods_ops(goods_id: int | None = None) -> list[tuple[str, int | None, int | None]]:
    """Open (not yet acknowledged) local goods edits: ``(op_type, sku_id, goods_id)``.

    Open means a state in :data:`~pdd_desktop.domain.sync_rules.OPEN_STATES`, as the pull's
    ``_pending_goods_edits`` reads them. With ``goods_id``, only that goods' ops.
    """
    rows = database.execute_sql(_OPEN_OPS, OPEN_STATES).fetchall()
    out = [
        (op, None if sku is None else int(sku), None if goods is None else int(goods))
        for op, sku, goods in rows
    ]
    if goods_id is not None:
        out = [r for r in out if r[2] == goods_id]
    return out


def stock_movements(
    sku_id: int,
    limit: int = 100,
    *,
    kind: str | None = None,
    start: int | None = None,
    end: int | None = None,
) -> list[tuple]:
    """The latest movements of a SKU, newest first (the ``(sku_id, at)`` index).

    ``kind`` keeps one kind; ``start`` ≤ ``at`` < ``end`` (UTC epoch seconds) keeps a period.

    Returns:
        Rows ``(id, at, kind, delta, stock_after, order_sn, after_sale_id, note)``; ``order_sn``
        is None when the movement did not come from an order.
    """
    where = ["m.sku_id = ?"]
    params: list[object] = [sku_id]
    if kind is not None:
        where.append("m.kind = ?")
        params.append(kind)
    if start is not None:
        where.append("m.at >= ?")
        params.append(start)
    if end is not None:
        where.append("m.at < ?")
        params.append(end)
    return database.execute_sql(
        "SELECT m.id, m.at, m.kind, m.delta, m.stock_after, o.order_sn, m.after_sale_id, m.note "
        'FROM stock_movement m LEFT JOIN "order" o ON o.id = m.order_id '
        f"WHERE {' AND '.join(where)} ORDER BY m.at DESC, m.id DESC LIMIT ?",
        (*params, limit),
    ).fetchall()


def goods_ids_of_skus(sku_ids: tuple[int, ...]) -> set[int]:
    """The goods the SKUs ``sku_ids`` belong to (SKUs that no longer exist are left out)."""
    rows = database.execute_sql(
        "SELECT DISTINCT goods_id FROM sku WHERE sku_id IN (SELECT value FROM json_each(?))",
        (json.dumps([int(i) for i in sku_ids]),),
    ).fetchall()
    return {int(r[0]) for r in rows}
