"""The order list's read model: id lists, counts and display rows, shaped for the indexes.

Every status tab sorts from a ``(status, <sort column>)`` index (schema v2), the quick views
start from their own index, and an order-number fragment of three or more characters goes
through the ``order_sn_fts`` trigram table. Filters are ANDed terms over ``"order"``; the goods
filter is a sub-select on ``order_item``. The urgency sort is two index walks (unshipped orders
by deadline, then the rest newest first) concatenated here, not one sort over a million rows.

Which index each statement may use is decided here (:class:`_Plan`, unary ``+`` on the other
columns), not left to SQLite's planner, whose statistics may be missing or sampled.
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace

from pdd_desktop.data.db import database
from pdd_desktop.domain.orders import OrderStatus

_TO_SHIP = int(OrderStatus.TO_SHIP)
#: Upper end for a prefix range ``col >= p AND col < p || MAX`` (the largest code point).
_MAX_CHAR = "\U0010ffff"
#: Field and record separators inside the group_concat columns of :func:`rows`.
_FS = "\x1f"
_RS = "\x1e"
#: Ids per ``IN (...)`` list; far below SQLite's variable limit.
_CHUNK = 900


#: ``Criteria.flag`` value for "any colour", the complement of "no flag".
ANY_FLAG = -1


@dataclass(frozen=True)
class Criteria:
    """Validated filter terms; empty / None fields do not filter.

    Attributes:
        order_sn: Order-number fragment (only ``[0-9A-Za-z-]``, checked by the service).
        buyer_prefix: Buyer nickname prefix (an exact nickname is a prefix of itself).
        receiver: Receiver name or phone, exact.
        created_from, created_to, paid_from, paid_to: ``[from, to)`` UTC epoch seconds.
        goods: Goods name fragment, goods / SKU id, or seller code prefix.
        flag: 1..5 for a colour, 0 for no flag, :data:`ANY_FLAG` for any colour (internal).
        memo: Fragment of the buyer memo or the seller memo.
        printed: True = printed at least once, False = never.
        order_ids: Exactly these orders (empty: no such term).
    """

    order_sn: str = ""
    buyer_prefix: str = ""
    receiver: str = ""
    created_from: int | None = None
    created_to: int | None = None
    paid_from: int | None = None
    paid_to: int | None = None
    goods: str = ""
    flag: int | None = None
    memo: str = ""
    printed: bool | None = None
    order_ids: tuple[int, ...] = ()

    def is_empty(self) -> bool:
        """True when no term filters (the tab badges then come from index counts)."""
        return self == Criteria()


#: View key → (SQL predicate, status all its orders have or None when mixed). ``{p}`` is "" or
#: "+" (a unary plus keeps the planner off that column's indexes, see :class:`_Plan`); ``:now``
#: and ``:near_end`` are bound per call. ``!= 1`` is written as two ranges so an index can serve it.
VIEW_SQL: dict[str, tuple[str, int | None]] = {
    "unpaid": ("{p}status = 0", 0),
    "to_ship": ("{p}status = 1", 1),
    "shipped": ("{p}status = 2", 2),
    "signed": ("{p}status = 3", 3),
    "cancelled": ("{p}status = 4", 4),
    "all": ("", None),
    "near_deadline": ("{p}status = 1 AND {p}ship_deadline_at >= :now AND {p}ship_deadline_at < :near_end", 1),
    "overdue": ("{p}status = 1 AND {p}ship_deadline_at < :now", 1),
    "after_sales": ("({p}refund_status < 1 OR {p}refund_status > 1)", None),
    "unprinted": ("{p}print_count = 0 AND {p}status = 1", 1),
    "pending_upload": ("{p}pending_ops > 0", None),
}
_STATUS_TABS = frozenset(("unpaid", "to_ship", "shipped", "signed", "cancelled", "all"))
#: Quick views dense enough (~3 % of orders) that walking the created_at index finds the first
#: screen sooner than sorting all of them; other sorts of these views do sort.
_WALKABLE = {"after_sales": "created_at"}

#: Sort key → ORDER BY; ties break on id in the same direction (the index's own order).
SORT_SQL: dict[str, str] = {
    "created_desc": "created_at DESC, id DESC",
    "created_asc": "created_at ASC, id ASC",
    "paid_desc": "paid_at DESC, id DESC",
    "amount_desc": "pay_amount_fen DESC, id DESC",
    "amount_asc": "pay_amount_fen ASC, id ASC",
}
#: The urgency sort: unshipped (待发货) orders by deadline (none known first), then the rest.
URGENT_FIRST = "ship_deadline_at ASC, id ASC"
URGENT_REST = SORT_SQL["created_desc"]
#: The same order as one sort key, for rows that are sorted anyway (narrow filters).
URGENCY_SORT = (
    f"+status <> {_TO_SHIP}, CASE WHEN status = {_TO_SHIP} THEN ship_deadline_at END, "
    f"CASE WHEN status = {_TO_SHIP} THEN id END, +created_at DESC, +id DESC"
)


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _goods_term(goods: str, params: dict[str, object]) -> str:
    """Orders with an item matching the goods text (see :class:`Criteria`)."""
    params["g_like"] = f"%{_like_escape(goods)}%"
    params["g_lo"] = goods
    params["g_hi"] = goods + _MAX_CHAR
    # Goods name / short name fragment and goods seller code prefix: from the catalogue (a few
    # hundred rows), then the order_item.goods_id index. SKU seller code prefix: its own index.
    catalogue = (
        "SELECT goods_id FROM goods WHERE name LIKE :g_like ESCAPE '\\' OR short_name LIKE :g_like "
        "ESCAPE '\\' OR (outer_goods_id >= :g_lo AND outer_goods_id < :g_hi)"
    )
    terms = [f"goods_id IN ({catalogue})", "(outer_id >= :g_lo AND outer_id < :g_hi)"]
    if goods.isdigit() and len(goods) <= 18:
        params["g_id"] = int(goods)
        terms += ["goods_id = :g_id", "sku_id = :g_id"]
    return f'"order".id IN (SELECT order_id FROM order_item WHERE {" OR ".join(terms)})'


#: Filter kinds found through their own index because they match few orders by nature.
_NARROW_KINDS = ("order_sn", "buyer", "receiver", "goods", "flag", "memo", "ids")
#: A time range matching at most this many orders is narrow too (counted, capped, per query).
NARROW_RANGE_ROWS = 50_000
#: The partial index ``order_memo`` serves a memo search only when its own WHERE is a term.
_MEMO_PRESENT = "(buyer_memo != '' OR seller_memo != '')"


@dataclass(frozen=True)
class _Plan:
    """How one query should run; enforced with unary ``+`` rather than left to the planner.

    The statistics of a shop may be missing (a new shop never analysed) or sampled
    (``analysis_limit``: the demo shop believes a status holds ~500 orders), and either way the
    planner picks a ``status`` index for "signed orders of buyer X" and walks 950,000 entries.
    So the query says which indexes it may use:

    - ``narrow``: the rows come from a filter's index (``indexed`` names which) and are sorted
      afterwards; the view's columns and the sort columns are written ``+col``.
    - otherwise the view's index (or the sort index) is walked in sort order until ``limit``
      rows match; the filters are checked per row (``+col``) except a time range on the sort
      column, which narrows that same walk.
    """

    narrow: bool
    view_indexed: bool
    indexed: frozenset[str]


#: (column, low, high, cap) → (monotonic time, capped count): one query plans up to five statements.
_range_cache: dict[tuple[str, object, object, int], tuple[float, int]] = {}
_RANGE_CACHE_S = 5.0


def _range_count(column: str, low: object, high: object, cap: int) -> int:
    """Orders with ``column`` in [low, high), counted on its index and capped at ``cap``.

    Cached for a few seconds: the count only steers the plan, never the result.
    """
    key = (column, low, high, cap)
    hit = _range_cache.get(key)
    if hit is not None and time.monotonic() - hit[0] < _RANGE_CACHE_S:
        return hit[1]
    if len(_range_cache) > 64:
        _range_cache.clear()
    terms, params = [], []
    if low is not None:
        terms.append(f"{column} >= ?")
        params.append(low)
    if high is not None:
        terms.append(f"{column} < ?")
        params.append(high)
    sql = f'SELECT COUNT(*) FROM (SELECT 1 FROM "order" WHERE {" AND ".join(terms)} LIMIT {cap + 1})'
    n = int(database.execute_sql(sql, params).fetchone()[0])
    _range_cache[key] = (time.monotonic(), n)
    return n


def _order_total() -> int:
    """Roughly how many orders the shop has (the largest id), cached like the range counts."""
    hit = _range_cache.get(("id", None, None, 0))
    if hit is not None and time.monotonic() - hit[0] < _RANGE_CACHE_S:
        return hit[1]
    total = int(database.execute_sql('SELECT COALESCE(MAX(id), 0) FROM "order"').fetchone()[0])
    _range_cache[("id", None, None, 0)] = (time.monotonic(), total)
    return total


def _broad_kinds(c: Criteria, kinds: frozenset[str], limit: int) -> frozenset[str]:
    """Filter kinds among ``kinds`` that match too many orders to be the start of a first screen.

    A filter matching ``n`` of ``N`` orders costs ``n`` row reads when its index leads (all of
    them, then a sort), and about ``limit * N / n`` when the sort index leads and the filter is
    checked per row until ``limit`` rows match. The walk wins when ``n`` exceeds
    ``sqrt(limit * N)``: 14,000 of 1M orders for a 200-row screen. On the 1M demo shop a
    two-character nickname prefix matches 40,000 orders: 220 ms sorted, ~10 ms walked.
    Only kinds whose match count is one cheap index range count are judged.
    """
    threshold = math.isqrt(limit * max(_order_total(), 1))
    broad = set()
    if "buyer" in kinds and _range_count(
        "buyer_nickname", c.buyer_prefix, c.buyer_prefix + _MAX_CHAR, threshold
    ) > threshold:
        broad.add("buyer")
    if "flag" in kinds and c.flag is not None and c.flag > 0:
        if _range_count("flag", c.flag, c.flag + 1, threshold) > threshold:
            broad.add("flag")
    return frozenset(broad)


def _ranges(c: Criteria) -> list[tuple[str, str, int | None, int | None]]:
    return [
        (kind, column, low, high)
        for kind, column, low, high in (
            ("created", "created_at", c.created_from, c.created_to),
            ("paid", "paid_at", c.paid_from, c.paid_to),
        )
        if low is not None or high is not None
    ]


def _plan(view: str, c: Criteria, sort_column: str | None, limit: int | None = None) -> _Plan:
    """Pick the plan for ``view`` + ``c`` sorted on ``sort_column`` (None for a count).

    ``limit`` is the number of rows wanted (None: all); a first screen may walk the sort index
    past a broad filter instead of reading and sorting every order the filter matches.
    """
    present = {
        "order_sn": len(c.order_sn) >= 3,
        "buyer": bool(c.buyer_prefix),
        "receiver": bool(c.receiver),
        "goods": bool(c.goods),
        "flag": bool(c.flag),  # a colour; 0 ("no flag") is nearly every order
        "memo": bool(c.memo),
        "ids": bool(c.order_ids),
    }
    strong = frozenset(kind for kind in _NARROW_KINDS if present[kind])
    if strong and limit is not None and sort_column is not None:
        strong -= _broad_kinds(c, strong, limit)
    if strong:
        return _Plan(True, False, strong)
    ranges = _ranges(c)
    narrow_ranges = frozenset(
        kind
        for kind, column, low, high in ranges
        if column != sort_column and _range_count(column, low, high, NARROW_RANGE_ROWS) <= NARROW_RANGE_ROWS
    )
    if narrow_ranges:
        return _Plan(True, False, narrow_ranges)
    if c.printed is False and view in ("shipped", "signed", "cancelled", "all"):
        # Unprinted orders are mostly the few still to ship; among a big tab they are rare.
        return _Plan(True, False, frozenset(("printed",)))
    on_sort = frozenset(
        kind for kind, column, _low, _high in ranges if column == sort_column or sort_column is None
    )
    if view not in _STATUS_TABS:
        walkable = sort_column is not None and _WALKABLE.get(view) == sort_column
        return _Plan(not walkable, True, on_sort)
    return _Plan(False, True, on_sort)


def where_terms(c: Criteria, params: dict[str, object], indexed: frozenset[str] | None = None) -> list[str]:
    """SQL terms (to be ANDed) for the criteria; named parameters go into ``params``.

    Kinds not in ``indexed`` are written so that no index serves them (None: all may).
    """

    def col(kind: str, column: str) -> str:
        return column if indexed is None or kind in indexed else "+" + column

    terms: list[str] = []
    if c.order_sn:
        if len(c.order_sn) >= 3:
            # A phrase of trigrams = the fragment as a substring; the index answers alone.
            params["sn_match"] = f'"{c.order_sn}"'
            terms.append('"order".id IN (SELECT rowid FROM order_sn_fts WHERE order_sn_fts MATCH :sn_match)')
        else:
            # Too short for trigrams (and matching a good share of all orders anyway).
            params["sn_like"] = f"%{_like_escape(c.order_sn)}%"
            terms.append("order_sn LIKE :sn_like ESCAPE '\\'")
    if c.buyer_prefix:
        params["buyer_lo"] = c.buyer_prefix
        params["buyer_hi"] = c.buyer_prefix + _MAX_CHAR
        nick = col("buyer", "buyer_nickname")
        terms.append(f"{nick} >= :buyer_lo AND {nick} < :buyer_hi")
    if c.receiver:
        params["receiver"] = c.receiver
        name, phone = col("receiver", "receiver_name"), col("receiver", "receiver_phone")
        terms.append(f"({name} = :receiver OR {phone} = :receiver)")
    for kind, column, low, high in _ranges(c):
        if low is not None:
            params[f"{column}_lo"] = low
            terms.append(f"{col(kind, column)} >= :{column}_lo")
        if high is not None:
            params[f"{column}_hi"] = high
            terms.append(f"{col(kind, column)} < :{column}_hi")
    if c.goods:
        terms.append(_goods_term(c.goods, params))
    if c.flag is not None:
        if c.flag == 0:
            terms.append("COALESCE(flag, 0) = 0")
        elif c.flag == ANY_FLAG:
            terms.append("(flag < 0 OR flag > 0)")
        else:
            params["flag"] = c.flag
            terms.append(f"{col('flag', 'flag')} = :flag")
    if c.memo:
        params["memo"] = f"%{_like_escape(c.memo)}%"
        if indexed is None or "memo" in indexed:
            terms.append(_MEMO_PRESENT)
        terms.append("(buyer_memo LIKE :memo ESCAPE '\\' OR seller_memo LIKE :memo ESCAPE '\\')")
    if c.printed is not None:
        terms.append(f"{col('printed', 'print_count')} {'> 0' if c.printed else '= 0'}")
    if c.order_ids:
        params["ids_json"] = json.dumps(list(c.order_ids))
        terms.append('"order".id IN (SELECT value FROM json_each(:ids_json))')
    return terms


def _where(
    view: str, c: Criteria, now: int, near_s: int, plan: _Plan, extra: str = ""
) -> tuple[str, dict[str, object]]:
    """WHERE clause for the view, the criteria and ``extra`` (which may hold ``{p}``)."""
    params: dict[str, object] = {}
    terms = where_terms(c, params, plan.indexed)
    prefix = "" if plan.view_indexed else "+"
    view_sql = VIEW_SQL[view][0].format(p=prefix)
    if view_sql:
        terms.insert(0, view_sql)
        if ":now" in view_sql:
            params["now"] = now
        if ":near_end" in view_sql:
            params["near_end"] = now + near_s
    if extra:
        terms.append(extra.format(p=prefix))
    return (" WHERE " + " AND ".join(terms)) if terms else "", params


def _order_by(sort_sql: str, plan: _Plan) -> str:
    """The ORDER BY clause; ``+col`` when the plan sorts found rows instead of walking an index."""
    if not plan.narrow:
        return sort_sql
    return ", ".join("+" + term for term in sort_sql.split(", "))


def _sort_column(sort_sql: str) -> str:
    return sort_sql.split(" ", 1)[0]


def _fetch_ids(sql: str, params: dict[str, object], limit: int | None) -> list[int]:
    """Run an id query; ``limit`` None means "all of them", fetched the fast way.

    Measured on 1M ids: a cursor walk builds the list in ~250 ms, ``json_group_array`` plus
    ``json.loads`` in ~170 ms (one C-level parse instead of a million row tuples). The
    aggregate reads the ordered sub-select in order.
    """
    if limit is not None:
        return [i for (i,) in database.execute_sql(f"{sql} LIMIT {int(limit)}", params)]
    text = database.execute_sql(f"SELECT json_group_array(id) FROM ({sql})", params).fetchone()[0]
    return _parse_id_array(text) if text else []


#: Characters of a JSON id array parsed per ``json.loads`` call (about 30,000 ids, ~3 ms).
_PARSE_CHARS = 200_000


def _parse_id_array(text: str) -> list[int]:
    """``json.loads`` of a big ``[1,2,...]`` array, in slices cut at commas.

    One call on a million ids holds the GIL for ~100 ms, and the UI thread (which paints and
    reads row blocks) waits that long; slices hold it ~3 ms each and let it in between.
    """
    if len(text) <= _PARSE_CHARS:
        return json.loads(text)
    out: list[int] = []
    start, end = 1, len(text) - 1  # inside the brackets
    while start < end:
        cut = text.find(",", start + _PARSE_CHARS)
        if cut == -1 or cut > end:
            cut = end
        out.extend(json.loads(f"[{text[start:cut]}]"))
        start = cut + 1
    return out


def _query(
    view: str, c: Criteria, now: int, near_s: int, sort_sql: str, extra: str = "", limit: int | None = None
) -> tuple[str, dict]:
    plan = _plan(view, c, _sort_column(sort_sql), limit)
    where, params = _where(view, c, now, near_s, plan, extra)
    return f'SELECT id FROM "order"{where} ORDER BY {_order_by(sort_sql, plan)}', params


def search_ids(
    view: str, c: Criteria, *, sort: str, now: int, near_s: int, limit: int | None = None
) -> list[int]:
    """Ids of the orders in ``view`` matching ``c``, sorted; at most ``limit`` of them."""
    if sort != "urgency":
        return _fetch_ids(*_query(view, c, now, near_s, SORT_SQL[sort], limit=limit), limit)
    status = VIEW_SQL[view][1]
    if status is None and all(
        _plan(view, c, col, limit).narrow for col in (None, "ship_deadline_at", "created_at")
    ):
        # The few matching orders get sorted anyway: one query, one sort with the urgency key.
        plan = _plan(view, c, None)
        where, params = _where(view, c, now, near_s, plan)
        return _fetch_ids(f'SELECT id FROM "order"{where} ORDER BY {URGENCY_SORT}', params, limit)
    first: list[int] = []
    if status is None or status == _TO_SHIP:
        extra = "" if status == _TO_SHIP else f"{{p}}status = {_TO_SHIP}"
        first = _fetch_ids(*_query(view, c, now, near_s, URGENT_FIRST, extra, limit), limit)
    if status == _TO_SHIP or (limit is not None and len(first) >= limit):
        return first
    # The rest, newest first. For a mixed view this walks *all* matching orders by created_at
    # (a covering index scan for 全部) and drops the 待发货 ones already listed: far cheaper
    # than a "status != 1" test that needs a table lookup per row. ``first`` is complete here.
    rest = _fetch_ids(*_query(view, c, now, near_s, URGENT_REST, limit=limit), limit)
    if status is not None:
        return rest
    if first:
        listed = set(first)
        rest = [i for i in rest if i not in listed]
    if limit is not None:
        rest = rest[: limit - len(first)]
    return first + rest


def count(view: str, c: Criteria, *, now: int, near_s: int) -> int:
    """Number of orders in ``view`` matching ``c``."""
    where, params = _where(view, c, now, near_s, _plan(view, c, None))
    return int(database.execute_sql(f'SELECT COUNT(*) FROM "order"{where}', params).fetchone()[0])


def view_counts(c: Criteria, *, now: int, near_s: int) -> dict[str, int]:
    """Count of every view given ``c``.

    Without filter terms each view is one index count (the status tabs sum up to 全部).
    With terms, the matching orders are usually few: one pass counts them by status and sums
    the quick views. A filter that matches most orders
    (无旗帜, a two-character order-number fragment) reads most rows: ~0.3–0.7 s on 1M orders.
    """
    if c.is_empty():
        counts = {view: count(view, c, now=now, near_s=near_s) for view in VIEW_SQL if view != "all"}
        counts["all"] = sum(counts[v] for v in ("unpaid", "to_ship", "shipped", "signed", "cancelled"))
        # Orders with a status outside 0..4 would be missed by the sum; the schema has none.
        return counts
    # "No flag" / "printed" alone match nearly every order: count the few others and subtract.
    if c.flag == 0 and replace(c, flag=None).is_empty():
        return _minus(view_counts(Criteria(), now=now, near_s=near_s), replace(c, flag=ANY_FLAG), now, near_s)
    if c.printed is True and replace(c, printed=None).is_empty():
        return _minus(view_counts(Criteria(), now=now, near_s=near_s), replace(c, printed=False), now, near_s)
    # One pass over the matching orders, grouped by status (not on the status index: the rows
    # are read anyway); the quick views are sums in the same pass.
    params: dict[str, object] = {"now": now, "near_end": now + near_s}
    where = " AND ".join(where_terms(c, params))
    quick = ("after_sales", "pending_upload", "near_deadline", "overdue", "unprinted")
    sums = ", ".join(f"SUM({VIEW_SQL[view][0].format(p='')})" for view in quick)
    counts = dict.fromkeys(VIEW_SQL, 0)
    by_status = {0: "unpaid", 1: "to_ship", 2: "shipped", 3: "signed", 4: "cancelled"}
    sql = f'SELECT status, COUNT(*), {sums} FROM "order" WHERE {where} GROUP BY +status'
    for status, n, *quick_counts in database.execute_sql(sql, params).fetchall():
        if status in by_status:
            counts[by_status[status]] = n
        counts["all"] += n
        for view, value in zip(quick, quick_counts, strict=True):
            counts[view] += int(value or 0)
    return counts


def _minus(total: dict[str, int], others: Criteria, now: int, near_s: int) -> dict[str, int]:
    part = view_counts(others, now=now, near_s=near_s)
    return {view: total[view] - part[view] for view in total}


# ---------------------------------------------------------------------------- rows


#: Columns of :func:`rows`, in order.
ROW_COLUMNS: tuple[str, ...] = (
    "id", "order_sn", "status", "refund_status", "buyer_nickname", "receiver_name_mask",
    "receiver_phone_mask", "province", "city", "district", "item_count", "pay_amount_fen", "created_at",
    "paid_at", "ship_deadline_at", "shipped_at", "flag", "seller_memo", "buyer_memo", "print_count",
    "pending_ops", "items", "item_lines", "tracking",
)  # fmt: skip

#: Item lines a row's summary names before "等N件".
SUMMARY_ITEMS = 2

_ROWS_SQL = (
    "SELECT o.id, o.order_sn, o.status, o.refund_status, o.buyer_nickname, o.receiver_name_mask, "
    "o.receiver_phone_mask, o.province, o.city, o.district, o.item_count, o.pay_amount_fen, o.created_at, "
    "o.paid_at, o.ship_deadline_at, o.shipped_at, o.flag, o.seller_memo, o.buyer_memo, o.print_count, "
    "o.pending_ops, "
    # First item lines as 'name<FS>spec<FS>qty' records (catalogue short name when there is one).
    "(SELECT group_concat(line, char(30)) FROM (SELECT COALESCE(NULLIF(g.short_name, ''), i.goods_name) "
    "|| char(31) || i.spec || char(31) || i.quantity AS line FROM order_item i "
    "LEFT JOIN goods g ON g.goods_id = i.goods_id WHERE i.order_id = o.id ORDER BY i.id "
    f"LIMIT {SUMMARY_ITEMS})), "
    "(SELECT COUNT(*) FROM order_item i WHERE i.order_id = o.id), "
    # Live packages as 'courier<FS>number' records, oldest first.
    "(SELECT group_concat(line, char(30)) FROM (SELECT COALESCE(c.name, '') || char(31) || p.tracking_number "
    "AS line FROM package_order po JOIN package p ON p.id = po.package_id "
    "LEFT JOIN courier c ON c.id = p.courier_id WHERE po.order_id = o.id AND p.voided_at IS NULL "
    "ORDER BY p.shipped_at, p.id)) "
    'FROM "order" o WHERE o.id IN ({marks})'
)


def rows(ids: Sequence[int]) -> dict[int, tuple]:
    """Raw row tuples (see :data:`ROW_COLUMNS`) by id; one query per 900 ids.

    ``items`` and ``tracking`` are records joined by char(30), their fields by char(31).
    """
    out: dict[int, tuple] = {}
    for start in range(0, len(ids), _CHUNK):
        part = list(ids[start : start + _CHUNK])
        sql = _ROWS_SQL.format(marks=",".join("?" * len(part)))
        for row in database.execute_sql(sql, part).fetchall():
            out[row[0]] = row
    return out


def split_records(text: str | None) -> list[list[str]]:
    """Undo the group_concat packing of :func:`rows`."""
    if not text:
        return []
    return [record.split(_FS) for record in text.split(_RS)]


# ---------------------------------------------------------------------------- detail


def order_record(order_id: int) -> dict[str, object] | None:
    """All columns of one order by name, or None."""
    cursor = database.execute_sql('SELECT * FROM "order" WHERE id = ?', (order_id,))
    row = cursor.fetchone()
    if row is None:
        return None
    return dict(zip([d[0] for d in cursor.description], row, strict=True))


def order_items(order_id: int) -> list[tuple]:
    """(goods_id, sku_id, goods_name, short_name, spec, outer_id, quantity, unit_price_fen) per line."""
    return database.execute_sql(
        "SELECT i.goods_id, i.sku_id, i.goods_name, COALESCE(g.short_name, ''), i.spec, i.outer_id, "
        "i.quantity, i.unit_price_fen FROM order_item i LEFT JOIN goods g ON g.goods_id = i.goods_id "
        "WHERE i.order_id = ? ORDER BY i.id",
        (order_id,),
    ).fetchall()


def order_packages(order_id: int) -> list[tuple]:
    """(id, courier name, number, kind, shipped_at, voided_at, void_reason, trace_fetched_at) of
    every package.
    """  # noqa: D205
    return database.execute_sql(
        "SELECT p.id, COALESCE(c.name, ''), p.tracking_number, p.kind, p.shipped_at, p.voided_at, "
        "p.void_reason, p.trace_fetched_at FROM package_order po JOIN package p ON p.id = po.package_id "
        "LEFT JOIN courier c ON c.id = p.courier_id WHERE po.order_id = ? ORDER BY p.shipped_at, p.id",
        (order_id,),
    ).fetchall()


def tracking_events(package_ids: Sequence[int]) -> list[tuple]:
    """(package_id, at, kind, location, description) for the packages, oldest first."""
    if not package_ids:
        return []
    marks = ",".join("?" * len(package_ids))
    return database.execute_sql(
        f"SELECT package_id, at, kind, location, description FROM tracking_event "
        f"WHERE package_id IN ({marks}) ORDER BY package_id, at, id",
        list(package_ids),
    ).fetchall()


def order_after_sales(order_id: int) -> list[tuple]:
    """(id, type, status, reason, refund_amount_fen, created_at, expire_at) of the order's cases."""
    return database.execute_sql(
        "SELECT id, type, status, reason, refund_amount_fen, created_at, expire_at FROM after_sale "
        "WHERE order_id = ? ORDER BY created_at, id",
        (order_id,),
    ).fetchall()


def after_sale_events(case_ids: Sequence[int]) -> list[tuple]:
    """(after_sale_id, at, actor, action, note) for the cases, oldest first."""
    if not case_ids:
        return []
    marks = ",".join("?" * len(case_ids))
    return database.execute_sql(
        f"SELECT after_sale_id, at, actor, action, note FROM after_sale_event "
        f"WHERE after_sale_id IN ({marks}) ORDER BY after_sale_id, at, id",
        list(case_ids),
    ).fetchall()


def order_audit(order_id: int) -> list[tuple]:
    """(at, actor, action, detail_json) of audit entries about the order, oldest first."""
    return database.execute_sql(
        "SELECT at, actor, action, detail_json FROM audit_log "
        "WHERE order_id = ? OR (entity_type = 'order' AND entity_id = ?) ORDER BY at, id",
        (order_id, str(order_id)),
    ).fetchall()


#: Columns of :func:`export_details`, after the id.
EXPORT_DETAIL_COLUMNS = (
    "goods_amount_fen", "postage_fen", "seller_discount_fen", "platform_discount_fen",
    "merchant_receive_fen", "receiver_name", "receiver_phone", "receiver_name_mask",
    "receiver_phone_mask", "province", "city", "district", "town", "address_detail", "address_mask", "items",
)  # fmt: skip

_EXPORT_SQL = (
    "SELECT o.id, o.goods_amount_fen, o.postage_fen, o.seller_discount_fen, o.platform_discount_fen, "
    "o.merchant_receive_fen, {receiver}, o.receiver_name_mask, o.receiver_phone_mask, o.province, o.city, "
    "o.district, o.town, "
    "{detail}, o.address_mask, "
    # Every item line as 'name<FS>spec<FS>qty' records, in item order.
    "(SELECT group_concat(line, char(30)) FROM (SELECT i.goods_name || char(31) || i.spec || char(31) "
    "|| i.quantity AS line FROM order_item i WHERE i.order_id = o.id ORDER BY i.id)) "
    'FROM "order" o WHERE o.id IN ({marks})'
)


def export_details(ids: Sequence[int], *, full_receiver: bool) -> dict[int, tuple]:
    """Money parts, receiver and every item line of ``ids`` (see :data:`EXPORT_DETAIL_COLUMNS`).

    Without ``full_receiver`` the full name, phone and street are not even read: those columns
    come back empty, so a masked export cannot leak them by mistake.
    """
    receiver = "o.receiver_name, o.receiver_phone" if full_receiver else "'', ''"
    detail = "o.address_detail" if full_receiver else "''"
    out: dict[int, tuple] = {}
    for start in range(0, len(ids), _CHUNK):
        part = list(ids[start : start + _CHUNK])
        sql = _EXPORT_SQL.format(receiver=receiver, detail=detail, marks=",".join("?" * len(part)))
        for row in database.execute_sql(sql, part).fetchall():
            out[row[0]] = row[1:]
    return out
