"""Reads behind the 售后 page: the case list, counts by status, one case's detail.

A shop has far fewer cases than orders (a few per hundred orders), so the list is read whole
for a status group: ``status IN (...)`` uses ``after_sale_status_expire_at``, the order join
is by primary key, and the search is a plain ``LIKE`` over the matching cases.
"""

from __future__ import annotations

from collections.abc import Sequence

from pdd_desktop.data.db import database

#: Columns of a list row, in order (see :func:`list_rows`).
ROW_COLUMNS = (
    "id",
    "order_id",
    "order_sn",
    "type",
    "status",
    "refund_amount_fen",
    "goods_name",
    "spec",
    "quantity",
    "reason",
    "created_at",
    "expire_at",
    "open_op_state",
    "reject_pending",
)

#: The order line a case is about: its SKU, else its goods, else the order's first line.
_CASE_ITEM_ID = (
    "COALESCE((SELECT i.id FROM order_item i WHERE i.order_id = a.order_id AND i.sku_id = a.sku_id "
    "ORDER BY i.id LIMIT 1), (SELECT i.id FROM order_item i WHERE i.order_id = a.order_id "
    "AND i.goods_id = a.goods_id ORDER BY i.id LIMIT 1), "
    "(SELECT MIN(i.id) FROM order_item i WHERE i.order_id = a.order_id))"
)


def _open_op_state(open_states: Sequence[str]) -> str:
    """The state of the oldest open outbox op on the case (NULL when none)."""
    marks = ",".join("?" * len(open_states))
    return (
        "(SELECT x.state FROM outbox x WHERE x.entity_type = 'after_sale' "
        f"AND x.entity_remote_id = CAST(a.id AS TEXT) AND x.state IN ({marks}) ORDER BY x.id LIMIT 1)"
    )


#: 1 when a seller step ``?`` (a rejection done in the merchant backend) was recorded at the
#: status the case still has, i.e. no pull has brought the platform's answer yet.
_REJECT_PENDING = (
    "EXISTS (SELECT 1 FROM after_sale_event e WHERE e.after_sale_id = a.id AND e.actor = 'seller' "
    "AND e.action = ? AND e.status_after = a.status)"
)


def reject_pending(case_id: int, action: str) -> bool:
    """Whether a rejection recorded on the case still waits for the platform (see :data:`_REJECT_PENDING`)."""
    row = database.execute_sql(
        f"SELECT {_REJECT_PENDING} FROM after_sale a WHERE a.id = ?", (action, case_id)
    )
    found = row.fetchone()
    return bool(found and found[0])


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _where(codes: Sequence[int] | None, search: str) -> tuple[str, list[object]]:
    terms: list[str] = []
    params: list[object] = []
    if codes is not None:
        if not codes:
            return "WHERE 0", []
        terms.append(f"a.status IN ({','.join('?' * len(codes))})")
        params.extend(codes)
    if search:
        pattern = f"%{_like_escape(search)}%"
        terms.append("(o.order_sn LIKE ? ESCAPE '\\' OR CAST(a.id AS TEXT) LIKE ? ESCAPE '\\')")
        params.extend((pattern, pattern))
    return ("WHERE " + " AND ".join(terms)) if terms else "", params


def list_rows(
    codes: Sequence[int] | None,
    search: str,
    open_states: Sequence[str],
    reject_action: str = "",
    limit: int | None = None,
) -> list[tuple]:
    """Cases with a status in ``codes`` (None = any) matching ``search``, newest first.

    ``search`` is a fragment of the order number or the case id; ``limit`` keeps the newest
    that many. One tuple per case, as :data:`ROW_COLUMNS`.

    The cases are picked first (ids only) and the row's lookups (its order line, open op,
    pending rejection) run for the picked ones only. With a status filter the sort is forced
    onto the status index's few rows (``+a.created_at``): otherwise the planner walks the
    ``created_at`` index over every case to avoid a sort (56 ms → 1 ms on 100,000 cases).
    """
    where, params = _where(codes, search)
    join = 'JOIN "order" o ON o.id = a.order_id ' if search else ""
    order = "+a.created_at DESC, a.id DESC" if codes is not None else "a.created_at DESC, a.id DESC"
    cap = f" LIMIT {int(limit)}" if limit is not None else ""
    sql = (
        "SELECT a.id, a.order_id, o.order_sn, a.type, a.status, a.refund_amount_fen, "
        # The name as 发货中心 shows it: the catalogue's short name when there is one.
        "COALESCE(NULLIF(g.short_name, ''), i.goods_name, ''), COALESCE(i.spec, ''), "
        f"a.quantity, a.reason, a.created_at, a.expire_at, {_open_op_state(open_states)}, "
        f"{_REJECT_PENDING} "
        f"FROM (SELECT a.id FROM after_sale a {join}{where} ORDER BY {order}{cap}) pick "
        "JOIN after_sale a ON a.id = pick.id "
        'JOIN "order" o ON o.id = a.order_id '
        f"LEFT JOIN order_item i ON i.id = {_CASE_ITEM_ID} "
        "LEFT JOIN goods g ON g.goods_id = i.goods_id "
        "ORDER BY a.created_at DESC, a.id DESC"
    )
    return database.execute_sql(sql, [*open_states, reject_action, *params]).fetchall()


def status_counts(search: str) -> dict[int, tuple[int, int]]:
    """Status code → (cases, sum of refund_amount_fen) among the cases matching ``search``."""
    where, params = _where(None, search)
    join = 'JOIN "order" o ON o.id = a.order_id ' if search else ""
    sql = (
        f"SELECT a.status, COUNT(*), SUM(a.refund_amount_fen) FROM after_sale a {join}{where} "
        "GROUP BY a.status"
    )
    return {status: (n, int(total or 0)) for status, n, total in database.execute_sql(sql, params).fetchall()}


def case_record(case_id: int) -> dict[str, object] | None:
    """The case's columns by name, with its order's number, buyer memo, amounts and receiver.

    The full receiver comes too, only for the service to mask when a masked twin is missing.
    """
    cursor = database.execute_sql(
        "SELECT a.*, o.order_sn, o.status AS order_status, o.buyer_memo, o.buyer_nickname, "
        "o.pay_amount_fen, o.goods_amount_fen, o.postage_fen, o.created_at AS order_created_at, "
        "o.receiver_name, o.receiver_phone, o.receiver_name_mask, o.receiver_phone_mask, "
        "o.province, o.city, o.district, o.town, "
        'o.address_mask, o.address_detail FROM after_sale a JOIN "order" o ON o.id = a.order_id '
        "WHERE a.id = ?",
        (case_id,),
    )
    row = cursor.fetchone()
    if row is None:
        return None
    return dict(zip([d[0] for d in cursor.description], row, strict=True))


def case_events(case_id: int) -> list[tuple]:
    """(at, actor, action, status_after, note) of the case's negotiation, oldest first."""
    return database.execute_sql(
        "SELECT at, actor, action, status_after, note FROM after_sale_event "
        "WHERE after_sale_id = ? ORDER BY at, id",
        (case_id,),
    ).fetchall()


def order_items(order_id: int) -> list[tuple]:
    """(goods_id, sku_id, goods_name, spec, quantity, unit_price_fen) of the order's lines."""
    return database.execute_sql(
        "SELECT goods_id, sku_id, goods_name, spec, quantity, unit_price_fen FROM order_item "
        "WHERE order_id = ? ORDER BY id",
        (order_id,),
    ).fetchall()


def other_refunds(order_id: int, case_id: int, success_code: int) -> int:
    """Fen refunded by the order's other cases that reached ``success_code``."""
    row = database.execute_sql(
        "SELECT SUM(refund_amount_fen) FROM after_sale WHERE order_id = ? AND id <> ? AND status = ?",
        (order_id, case_id, success_code),
    ).fetchone()
    return int(row[0] or 0)


def case_ops(case_id: int) -> list[tuple]:
    """(op_type, state, created_at, last_error) of every outbox op on the case, oldest first."""
    return database.execute_sql(
        "SELECT op_type, state, created_at, last_error FROM outbox "
        "WHERE entity_type = 'after_sale' AND entity_remote_id = ? ORDER BY id",
        (str(case_id),),
    ).fetchall()


def return_addresses() -> list[tuple]:
    """The shop's return addresses, default first.

    (platform id, contact_name, phone, province, city, district, detail, is_default, local id,
    synced); the platform id is ``remote_id`` or, for an address never synced, the local id.
    """
    return database.execute_sql(
        "SELECT COALESCE(remote_id, id), contact_name, phone, province, city, district, detail, "
        "is_default, id, remote_id IS NOT NULL FROM address WHERE is_return = 1 "
        "ORDER BY is_default DESC, id"
    ).fetchall()
