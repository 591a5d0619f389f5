"""Deterministic demo shop: a year of a small shop's data, written straight into a new database file.

The same ``(orders, seed, now)`` always gives byte-identical table contents: every random
choice comes from one ``random.Random(seed)`` consumed in a fixed order, the only time used is
``now``, and nothing iterates over a hash-ordered container of strings.

How the file is built (all or nothing):

1. ``<db>.building`` is created by :func:`pdd_desktop.data.migrations.migrate`, so schema and
   ``user_version`` are the real ones;
2. the secondary indexes of the bulk tables are dropped, rows go in with ``executemany`` in big
   batches under ``journal_mode=OFF, synchronous=OFF`` (the file is thrown away on failure);
3. the indexes are recreated from the very SQL text ``migrate`` wrote (read back from
   ``sqlite_master`` before dropping them, i.e. the statements of ``schema_v001``), ``ANALYZE``
   runs, the file is switched to WAL and moved over ``db_path`` with ``os.replace``.

Money conventions of the generated orders (all integer fen)::

    goods_amount    = Σ unit_price × quantity             (change_amount = pay_reduction = 0)
    pay_amount      = goods_amount − platform_discount − seller_discount + postage
    merchant_receive = pay_amount + platform_discount      (the platform pays its own coupons)
    item_count      = Σ quantity
"""

from __future__ import annotations

import gc
import json
import os
import random
import sqlite3
import time
from bisect import bisect
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from pdd_desktop.common.task import TaskContext
from pdd_desktop.data.db import database
from pdd_desktop.data.migrations import migrate
from pdd_desktop.domain import catalogue as cat
from pdd_desktop.domain.after_sales import DEFAULT_RESPONSE_HOURS, WAITING_ME_CODES, AfterSaleType
from pdd_desktop.domain.messages import MessageCategory
from pdd_desktop.domain.orders import GroupStatus, OrderStatus, RefundStatus, promise_hours, ship_deadline
from pdd_desktop.domain.privacy import mask_address, mask_name, mask_phone

HOUR = 3600
DAY = 86400
_BJ = 8 * HOUR  # Beijing is UTC+8 all year (no DST since 1991)
_BEIJING = timezone(timedelta(hours=8))

#: Orders generated (and inserted) per batch.
CHUNK = 50_000
#: Tracking events are stored for packages shipped this recently; older parcels keep only their times.
EVENT_WINDOW_S = 60 * DAY
#: Sale stock movements are logged for shipments this recent (older ones are summed in a stocktake row).
MOVEMENT_WINDOW_S = 30 * DAY
#: Free numbers in each e-waybill account's pool.
WAYBILL_POOL = 2_000

#: Tables whose secondary indexes are dropped during the bulk load and rebuilt afterwards.
_BULK_TABLES = (
    "order",
    "order_item",
    "package",
    "package_order",
    "tracking_event",
    "after_sale",
    "after_sale_event",
    "stock_movement",
    "waybill_number",
)

#: Columns written per table, in the order of the row tuples. Checked against the real schema
#: before writing, so a new NOT NULL column fails the build loudly instead of midway. Columns in
#: :data:`_FIXED` are not in the tuples: they are SQL literals or repeat another column's value.
_COLUMNS: dict[str, tuple[str, ...]] = {
    "shop": ("id", "mall_id", "name", "description", "merchant_type", "logo_url", "is_demo", "created_at"),
    "address": (
        "id", "remote_id", "contact_name", "phone", "province", "city", "district", "detail",
        "is_sender", "is_return", "is_default",
    ),
    "courier": ("id", "name", "code", "available", "tracking_pattern", "sort_order"),
    "waybill_account": (
        "id", "courier_id", "branch_code", "branch_name", "sender_address_id", "quantity", "is_default",
        "created_at",
    ),
    "waybill_number": ("id", "account_id", "tracking_number", "state", "allocated_at", "order_id"),
    "goods": (
        "goods_id", "name", "short_name", "outer_goods_id", "category", "image_url", "is_onsale",
        "promise_hours", "market_price_fen", "created_at", "platform_updated_at", "remote_hash",
    ),
    "sku": (
        "sku_id", "goods_id", "spec", "outer_id", "single_price_fen", "group_price_fen", "cost_price_fen",
        "stock", "reserve_quantity", "low_stock_threshold", "weight_g", "is_onsale", "platform_updated_at",
    ),
    "stock_movement": (
        "id", "sku_id", "at", "delta", "stock_after", "kind", "order_id", "after_sale_id", "note",
    ),
    "order": (
        "id", "order_sn", "status", "confirm_status", "group_status", "refund_status", "after_sales_status",
        "buyer_key", "buyer_nickname", "buyer_memo", "seller_memo", "flag", "flag_name", "goods_amount_fen",
        "postage_fen", "platform_discount_fen", "seller_discount_fen", "pay_amount_fen",
        "merchant_receive_fen", "item_count", "created_at", "paid_at", "group_formed_at", "ship_deadline_at",
        "shipped_at", "signed_at", "cancelled_at", "receiver_name", "receiver_phone", "province", "city",
        "district", "town", "address_detail", "receiver_name_mask", "receiver_phone_mask", "address_mask",
        "print_count", "last_printed_at", "platform_updated_at",
    ),
    "order_item": (
        "id", "order_id", "goods_id", "sku_id", "goods_name", "spec", "outer_id", "outer_goods_id",
        "quantity", "unit_price_fen",
    ),
    "package": (
        "id", "courier_id", "tracking_number", "kind", "shipped_at", "first_scan_at", "last_event_at",
        "signed_at", "is_exception", "sort_code", "hub",
    ),
    "package_order": ("package_id", "order_id"),
    "tracking_event": ("id", "package_id", "at", "kind", "location", "description"),
    "after_sale": (
        "id", "order_id", "type", "status", "reason", "buyer_remark", "refund_amount_fen", "goods_id",
        "sku_id", "quantity", "return_tracking_number", "return_shipping_name", "created_at", "expire_at",
        "closed_at", "platform_updated_at",
    ),
    "after_sale_event": ("id", "after_sale_id", "at", "actor", "action", "status_after", "note"),
    "message": (
        "id", "remote_id", "category", "title", "body", "created_at", "read_at", "is_important", "is_pinned",
    ),
    "invoice_request": (
        "id", "order_id", "buyer_type", "title", "tax_no", "email", "amount_fen", "status", "invoice_no",
        "requested_at", "issued_at", "uploaded_at",
    ),
}  # fmt: skip
#: Per table, columns with the same value in every generated row: an SQL literal, or ``=column``
#: for the value bound to another column. Fewer bound parameters make the bulk insert faster.
_FIXED: dict[str, dict[str, str]] = {
    "order": {
        "trade_type": "0",
        "is_lucky": "0",
        "risk_control_status": "0",
        "is_pre_sale": "0",
        "change_amount_fen": "0",
        "pay_reduction_fen": "0",
        "confirmed_at": "=group_formed_at",  # 成交 is the moment the group formed
        "pending_ops": "0",
        "has_conflict": "0",
        "local_updated_at": "=platform_updated_at",
        "remote_hash": "NULL",
        "remote_missing_since": "NULL",
        "source": "'demo'",
    },
    "package": {"voided_at": "NULL", "void_reason": "''"},
    "after_sale": {"remote_hash": "NULL"},
    "invoice_request": {"phone": "''", "pdf_path": "''", "note": "''"},
}

#: Orders per Beijing hour of day (relative): quiet 2–7 am, peaks late morning and 20–23 h.
_HOUR_WEIGHTS = (
    2.2, 1.2, 0.6, 0.35, 0.3, 0.35, 0.7, 1.6, 3.0, 4.4, 5.8, 6.4,
    5.6, 4.6, 4.4, 4.6, 4.5, 4.3, 4.6, 5.6, 7.0, 7.6, 7.2, 4.6,
)  # fmt: skip
#: Orders per weekday (Monday first).
_WEEKDAY_WEIGHTS = (0.95, 0.93, 0.95, 0.97, 1.02, 1.10, 1.08)
#: Sales peaks (month, day, multipliers for the days before, the day itself and the day after).
_PEAKS = (
    (6, 18, (1.25, 1.6, 3.0, 1.4)),
    (11, 11, (1.3, 1.8, 3.6, 1.5)),
    (12, 12, (1.2, 1.5, 2.6, 1.3)),
)
#: Orders per buyer: (share of buyers, orders). About 32 % of buyers come back.
_BUYER_ORDER_COUNTS = ((0.68, 1), (0.17, 2), (0.07, 3), (0.04, 4), (0.02, 5), (0.01, 7), (0.01, 11))

#: Order-level refund_status for each after-sales status code.
_REFUND_STATUS_OF: dict[int, int] = {
    code: int(RefundStatus.IN_PROGRESS) for code in (2, 3, 6, 7, 8, 14, 15, 18, 21, 22, 27, 31, 32, 33)
}
_REFUND_STATUS_OF.update(
    {4: int(RefundStatus.REFUNDING), 5: int(RefundStatus.REFUNDING), 10: int(RefundStatus.REFUNDED)}
)
_REFUND_STATUS_OF.update({code: int(RefundStatus.NONE) for code in (9, 11, 12, 13, 16, 17, 24, 25)})
_TERMINAL = frozenset((9, 10, 11, 12, 13, 16, 17, 24, 25))
_WAITING_ME = frozenset(WAITING_ME_CODES)
#: Notes the seller or system writes on some steps of an after-sales case.
_STEP_NOTES = {
    "拒绝退款": "商品已正常发出且无质量问题，请核实后再申请",
    "同意退货": "请寄回时附上订单号，不要到付",
    "无法维修，关闭": "该故障不在保修范围内",
    "拒绝换货": "该款已断码，建议申请退货退款",
}

#: After-sales types with their cumulative shares of cases.
_CASE_TYPES = (
    AfterSaleType.REFUND_ONLY,
    AfterSaleType.RETURN_REFUND,
    AfterSaleType.EXCHANGE,
    AfterSaleType.RESEND,
    AfterSaleType.REPAIR,
)
_CASE_TYPE_CUM = (0.60, 0.88, 0.94, 0.98)
#: Where a case stands by now, by its age: ``((age limit or None, ((cumulative share, status), …)), …)``;
#: the first bracket the age is under applies. Young cases wait for someone, old ones are closed.
_OutcomeTable = tuple[tuple[int | None, tuple[tuple[float, int], ...]], ...]
_OUTCOMES_BEFORE_SHIPPING: _OutcomeTable = (  # 仅退款 asked before the parcel left
    (2 * DAY, ((0.6, 2), (0.85, 4), (1.0, 10))),
    (3 * DAY, ((0.3, 4), (1.0, 10))),
    (None, ((0.85, 10), (1.0, 11))),
)
_OUTCOMES: dict[AfterSaleType, _OutcomeTable] = {
    AfterSaleType.REFUND_ONLY: (
        (2 * DAY, ((0.55, 2), (0.7, 4), (0.9, 10), (1.0, 11))),
        (5 * DAY, ((0.2, 4), (0.7, 10), (0.8, 8), (0.9, 6), (1.0, 11))),
        (None, ((0.72, 10), (0.9, 11), (0.94, 9), (1.0, 13))),
    ),
    AfterSaleType.RETURN_REFUND: (
        (2 * DAY, ((0.6, 3), (1.0, 7))),
        (6 * DAY, ((0.4, 7), (1.0, 27))),
        (12 * DAY, ((0.3, 27), (0.5, 4), (1.0, 10))),
        (None, ((0.75, 10), (0.87, 11), (0.95, 12), (1.0, 9))),
    ),
    AfterSaleType.EXCHANGE: (
        (2 * DAY, ((0.7, 14), (1.0, 15))),
        (12 * DAY, ((0.4, 15), (1.0, 18))),
        (None, ((0.85, 16), (0.9, 17), (1.0, 11))),
    ),
    AfterSaleType.RESEND: (
        (2 * DAY, ((0.8, 32), (1.0, 18))),
        (8 * DAY, ((1.0, 18),)),
        (None, ((0.9, 16), (1.0, 11))),
    ),
    AfterSaleType.REPAIR: (
        (2 * DAY, ((0.7, 21), (1.0, 22))),
        (20 * DAY, ((1.0, 22),)),
        (None, ((0.8, 25), (1.0, 24))),
    ),
}

_SHOP_DESCRIPTION = "演示店铺：数据由 PDD Desktop 生成，仅供体验"

#: Company invoice titles of the demo: <city><word><kind>.
_COMPANY_WORDS = ("鑫源", "恒达", "博远", "启明", "华晟", "优品", "云帆", "嘉禾", "锦程", "盛世")
_COMPANY_KINDS = ("科技有限公司", "商贸有限公司", "电子商务有限公司", "文化传媒有限公司", "贸易有限公司")
#: Characters of the last ten places of a 统一社会信用代码 (no I, O, S, V, Z).
_TAX_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"

# Parcel anomalies the logistics overview must show.
_A_NONE, _A_NO_PICKUP, _A_STALLED, _A_EXCEPTION = 0, 1, 2, 3


@dataclass(frozen=True)
class DemoSummary:
    """What :func:`build_demo_shop` wrote."""

    orders: int
    order_items: int
    buyers: int
    goods: int
    skus: int
    packages: int
    tracking_events: int
    after_sales: int
    after_sale_events: int
    stock_movements: int
    messages: int
    waybill_numbers: int
    db_bytes: int
    elapsed_s: float
    invoice_requests: int = 0


def build_demo_shop(
    db_path: Path, *, orders: int, seed: int, now: int, task: TaskContext | None = None
) -> DemoSummary:
    """Generate a demo shop with ``orders`` orders over the year ending at ``now`` into ``db_path``.

    The file is built beside ``db_path`` and only replaces it when complete; on any error or
    cancellation the partial file is deleted and ``db_path`` is left as it was.

    Args:
        db_path: The shop database to (re)create.
        orders: Number of orders (≥ 1).
        seed: Seed of the one random generator.
        now: UTC epoch seconds the shop's data ends at.
        task: Optional progress and cancel handle; progress labels are Chinese.

    Returns:
        Counts of what was written, the file size and the elapsed wall time.

    Raises:
        Cancelled: ``task`` was cancelled; nothing was changed.
        ValueError: ``orders`` is not positive.
    """
    if orders < 1:
        raise ValueError("orders must be at least 1")
    started = time.perf_counter()
    db_path = Path(db_path)
    tmp = db_path.with_name(db_path.name + ".building")
    _remove_db_files(tmp)
    conn: sqlite3.Connection | None = None
    # Millions of short-lived tuples: cyclic GC passes would cost seconds and find nothing.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        migrate(tmp)
        conn = sqlite3.connect(str(tmp), isolation_level=None)
        builder = _Builder(conn, orders=orders, seed=seed, now=now, task=task or TaskContext())
        counts = builder.run()
        # Where the data came from: the sandbox platform rebuilds the same history from it.
        origin = json.dumps({"orders": orders, "seed": seed, "now": now}, sort_keys=True)
        conn.execute(
            "INSERT OR REPLACE INTO setting (key, value_json, updated_at) VALUES (?, ?, ?)",
            (DEMO_ORIGIN_KEY, origin, now),
        )
        conn.execute("PRAGMA journal_mode=WAL")
        conn.close()
        conn = None
        for suffix in ("-wal", "-shm"):
            _remove(Path(str(db_path) + suffix))
        os.replace(tmp, db_path)
    except BaseException:
        if conn is not None:
            conn.close()
        _remove_db_files(tmp)
        raise
    finally:
        if gc_was_enabled:
            gc.enable()
    return DemoSummary(
        **counts, db_bytes=db_path.stat().st_size, elapsed_s=round(time.perf_counter() - started, 3)
    )


#: The setting holding ``{"orders", "seed", "now"}`` of a generated demo shop.
DEMO_ORIGIN_KEY = "demo_origin"


@dataclass(frozen=True)
class DemoOrigin:
    """How a demo shop was generated: the same values rebuild the same history."""

    orders: int
    seed: int
    now: int


def demo_origin(conn: sqlite3.Connection | None = None) -> DemoOrigin | None:
    """The origin stored in the open shop (or in ``conn``); None for a real shop."""
    sql = "SELECT value_json FROM setting WHERE key = ?"
    if conn is not None:
        row = conn.execute(sql, (DEMO_ORIGIN_KEY,)).fetchone()
    else:
        row = database.execute_sql(sql, (DEMO_ORIGIN_KEY,)).fetchone()
    if row is None:
        return None
    data = json.loads(row[0])
    return DemoOrigin(int(data["orders"]), int(data["seed"]), int(data["now"]))


def _remove(path: Path) -> None:
    try:
        path.unlink()
    except FileNotFoundError:
        pass


def _remove_db_files(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        _remove(Path(str(path) + suffix))


def _snap_price(fen: int) -> int:
    """A shop-style price ending in 9.90 yuan (or x.90 below 10 yuan)."""
    yuan = fen // 100
    if yuan >= 10:
        yuan = yuan - yuan % 10 + 9
    return yuan * 100 + 90


def _weighted_table(weights: list[int], size: int) -> list[int]:
    """A lookup table of ``size`` slots where index ``i`` fills about ``weights[i]/Σ`` of them."""
    total = sum(weights)
    table: list[int] = []
    acc = 0
    for i, w in enumerate(weights):
        acc += w
        table.extend([i] * (acc * size // total - len(table)))
    return table


class _Builder:
    """One build: holds the connection, the random generator and the plan shared by the phases."""

    def __init__(
        self, conn: sqlite3.Connection, *, orders: int, seed: int, now: int, task: TaskContext
    ) -> None:
        self.conn = conn
        self.n = orders
        self.order_triggers: list[tuple[str, str]] = []
        self.now = now
        self.task = task
        self.rng = random.Random(seed)
        self.rng_seed = seed
        self.year_start = now - 365 * DAY
        self.counts: dict[str, int] = {}
        self._insert_sql: dict[str, str] = {}
        # Row buffers of one batch, flushed in this order.
        self.out: dict[str, list[tuple]] = {
            table: []
            for table in (
                "order",
                "order_item",
                "package",
                "package_order",
                "tracking_event",
                "after_sale",
                "after_sale_event",
            )
        }
        self.ids = {"item": 0, "pkg": 0, "event": 0, "case": 0, "case_event": 0}
        self.movements: list[tuple] = []  # (at, order id, sku index, delta, kind, after-sale id)
        self.unpaid_lines: list[tuple[int, int, int]] = []  # (sku index, quantity, price) of 待支付 orders
        self.progress_total = orders + 2 * CHUNK  # orders, then the finishing steps

    # ------------------------------------------------------------------ orchestration

    def run(self) -> dict[str, int]:
        conn = self.conn
        task = self.task
        task.report(0, self.progress_total, "准备演示数据")
        for pragma in (
            "journal_mode=OFF",
            "synchronous=OFF",
            "foreign_keys=OFF",
            "cache_size=-262144",  # 256 MB: the index builds sort in memory
            "temp_store=MEMORY",
            "threads=2",  # helper threads for the index sorter
        ):
            conn.execute(f"PRAGMA {pragma}")
        self._check_columns()
        indexes = self._drop_bulk_indexes()

        conn.execute("BEGIN")
        self._write_shop_and_couriers()
        self._plan_goods()
        self._plan_buyers()
        self._plan_districts()
        conn.execute("COMMIT")
        task.raise_if_cancelled()

        self._generate_orders()
        ids = self.ids
        self.counts.update(
            orders=self.n,
            order_items=ids["item"],
            packages=ids["pkg"],
            tracking_events=ids["event"],
            after_sales=ids["case"],
            after_sale_events=ids["case_event"],
        )

        task.report(self.n, self.progress_total, "生成商品与库存")
        conn.execute("BEGIN")
        self._write_goods_and_stock()
        self._write_waybill_pools()
        self._write_messages()
        self._write_invoice_requests()
        conn.execute("COMMIT")
        task.raise_if_cancelled()

        conn.execute("BEGIN")
        self._restore_order_triggers()
        conn.execute("COMMIT")
        for k, (_name, sql) in enumerate(indexes):
            task.report(self.n + CHUNK * k // max(1, len(indexes)), self.progress_total, "建立索引")
            conn.execute(sql)
            task.raise_if_cancelled()
        task.report(self.n + CHUNK, self.progress_total, "分析统计信息")
        conn.execute("PRAGMA analysis_limit=1000")
        conn.execute("ANALYZE")
        task.report(self.progress_total, self.progress_total, "完成")
        return self.counts

    def _check_columns(self) -> None:
        for table, cols in _COLUMNS.items():
            actual = [row[1] for row in self.conn.execute(f'PRAGMA table_info("{table}")')]
            if sorted(actual) != sorted(cols + tuple(_FIXED.get(table, ()))):
                raise RuntimeError(f"demo generator out of date for table {table}: schema has {actual}")

    def _drop_bulk_indexes(self) -> list[tuple[str, str]]:
        marks = ",".join("?" * len(_BULK_TABLES))
        rows = self.conn.execute(
            f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
            f"AND tbl_name IN ({marks}) ORDER BY rowid",
            _BULK_TABLES,
        ).fetchall()
        for name, _sql in rows:
            self.conn.execute(f'DROP INDEX "{name}"')
        # The order-number search triggers would index row by row; the index is filled in one
        # pass at the end instead (see _restore_order_triggers).
        self.order_triggers = self.conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'order' ORDER BY rowid"
        ).fetchall()
        for name, _sql in self.order_triggers:
            self.conn.execute(f'DROP TRIGGER "{name}"')
        return rows

    def _restore_order_triggers(self) -> None:
        """Fill the order-number search index in id order (fast), then put the triggers back."""
        if not self.order_triggers:
            return
        self.conn.execute(
            'INSERT INTO order_sn_fts(rowid, order_sn) SELECT id, order_sn FROM "order" ORDER BY id'
        )
        for _name, sql in self.order_triggers:
            self.conn.execute(sql)

    def _insert(self, table: str, rows: list[tuple]) -> None:
        if not rows:
            return
        sql = self._insert_sql.get(table)
        if sql is None:
            cols = _COLUMNS[table]
            fixed = _FIXED.get(table, {})
            names = list(cols)
            values = [f"?{k}" for k in range(1, len(cols) + 1)]
            for col, literal in fixed.items():
                names.append(col)
                values.append(f"?{cols.index(literal[1:]) + 1}" if literal.startswith("=") else literal)
            quoted = ",".join(f'"{name}"' for name in names)
            sql = f'INSERT INTO "{table}" ({quoted}) VALUES ({",".join(values)})'
            self._insert_sql[table] = sql
        self.conn.executemany(sql, rows)

    # ------------------------------------------------------------------ shop, couriers

    def _write_shop_and_couriers(self) -> None:
        rng = self.rng
        name = cat.SHOP_NAMES[rng.randrange(len(cat.SHOP_NAMES))]
        created = self.year_start - 400 * DAY
        self.shop_name = name
        self._insert(
            "shop",
            [(1, 900_000_000 + rng.randrange(100_000_000), name, _SHOP_DESCRIPTION,
              3 if name.endswith("旗舰店") else 1, "", 1, created)],
        )  # fmt: skip
        owner = cat.SURNAMES[rng.randrange(10)][0] + "店长"
        phone = "1" + str(rng.randrange(3, 10)) + str(rng.randrange(10**9)).zfill(9)
        self._insert(
            "address",
            [
                (1, None, owner, phone, *cat.SHOP_ADDRESS, 1, 0, 1),
                (2, None, owner, phone, *cat.SHOP_RETURN_ADDRESS, 0, 1, 1),
            ],
        )
        self._insert("courier", [(c.id, c.name, c.code, 1, c.pattern, c.sort_order) for c in cat.COURIERS])
        self.track_salt = [rng.randrange(10**c.digits) for c in cat.COURIERS]
        self.track_serial = [0] * len(cat.COURIERS)
        weights = [c.weight for c in cat.COURIERS]
        acc = 0
        self.courier_cum = []
        for w in weights:
            acc += w
            self.courier_cum.append(acc)

    def _next_tracking(self, ci: int) -> str:
        """The next unused tracking number of courier ``ci`` (parcels, returns and pools share the count)."""
        serial = self.track_serial[ci]
        self.track_serial[ci] = serial + 1
        return cat.tracking_number(cat.COURIERS[ci], serial, self.track_salt[ci])

    # ------------------------------------------------------------------ goods (planned; written at the end)

    def _plan_goods(self) -> None:
        rng = self.rng
        rnd = rng.random
        cat_code = dict(cat.CATEGORIES)
        templates = cat.GOODS
        ranks = list(range(len(templates)))
        rng.shuffle(ranks)
        goods_rows = []
        skus = []  # one dict per SKU
        used_ids: set[int] = set()

        def unique_id(base: int, span: int) -> int:
            while True:
                value = base + rng.randrange(span)
                if value not in used_ids:
                    used_ids.add(value)
                    return value

        for t_idx, tpl in enumerate(templates):
            goods_id = unique_id(600_000_000_000, 99_999_999_999)
            outer_goods_id = f"{cat_code[tpl.category]}-{1001 + t_idx}"
            onsale = 0 if rnd() < 0.05 else 1
            popularity = 1.0 / (ranks[t_idx] + 3)  # Zipf-like: a few hot items
            if not onsale:
                popularity *= 0.3
            lo, hi = tpl.price_fen
            base = lo + int(rnd() * (hi - lo) * 0.6)
            variants = cat.sku_variants(tpl)
            last_dim = tpl.specs[-1][0] if tpl.specs else ""
            n_last = len(tpl.specs[-1][1]) if tpl.specs else 1
            scaled = last_dim in ("规格", "容量") and n_last > 1
            shares = [0.25 + rnd() for _ in variants]
            share_total = sum(shares)
            max_single = 0
            hours = promise_hours(tpl.promise_hours, fast_ship=False)
            for v_idx, (spec, values, suffix, pos) in enumerate(variants):
                if scaled:
                    group = _snap_price(lo + (hi - lo) * pos // (n_last - 1))
                else:
                    group = _snap_price(base + (300 if pos >= 4 and tpl.specs[-1][0] == "尺码" else 0))
                single = _snap_price(group * (115 + int(rnd() * 25)) // 100)
                if single <= group:
                    single = group + 500
                max_single = max(max_single, single)
                cost = group * (40 + int(rnd() * 31)) // 100
                threshold = (5, 5, 10, 20)[int(rnd() * 4)]
                sku_id = unique_id(1_700_000_000_000, 99_999_999_999)
                outer_id = f"{outer_goods_id}-{suffix}" if suffix else outer_goods_id
                weight = tpl.weight_g + pos * (tpl.weight_g // 12)
                sku_onsale = onsale if rnd() > 0.03 else 0
                skus.append(
                    {
                        "sku_id": sku_id,
                        "goods_id": goods_id,
                        "goods_name": tpl.name,
                        "spec": spec,
                        "values": values,
                        "outer_id": outer_id,
                        "outer_goods_id": outer_goods_id,
                        "single": single,
                        "group": group,
                        "cost": cost,
                        "threshold": threshold,
                        "weight": weight,
                        "onsale": sku_onsale,
                        "hours": hours,
                        "pop": popularity * shares[v_idx] / share_total,
                    }
                )
            market = _snap_price(max_single * (150 + int(rnd() * 100)) // 100)
            created = self.year_start - (5 + int(rnd() * 400)) * DAY
            goods_rows.append(
                (goods_id, tpl.name, tpl.short_name, outer_goods_id, tpl.category, "", onsale,
                 tpl.promise_hours, market, created, self.now - int(rnd() * 30 * DAY), None)
            )  # fmt: skip
        self.goods_rows = goods_rows
        self.skus = skus
        acc = 0.0
        self.sku_cum = []
        for s in skus:
            acc += s["pop"]
            self.sku_cum.append(acc)
        # Compact tuples for the order loop: (sku_id, goods_id, name, values, outer_id, outer_goods_id,
        # group, single, hours)
        self.sku_tuples = [
            (s["sku_id"], s["goods_id"], s["goods_name"], s["values"], s["outer_id"], s["outer_goods_id"],
             s["group"], s["single"], s["hours"])
            for s in skus
        ]  # fmt: skip

    # ------------------------------------------------------------------ order times and buyers

    def _plan_times(self) -> list[int]:
        """Creation times of all orders, ascending: growth, weekly rhythm, peaks, daily rhythm."""
        rng = self.rng
        now = self.now
        n = self.n
        today_start = now - (now + _BJ) % DAY  # Beijing midnight of now's day
        first_day = today_start - 365 * DAY
        days = 366
        peak = {}
        now_year = datetime.fromtimestamp(now, _BEIJING).year
        for year in (now_year - 1, now_year):
            for month, day, mults in _PEAKS:
                ts = int(datetime(year, month, day, tzinfo=_BEIJING).timestamp())
                d = (ts - first_day) // DAY
                for off, m in zip((-2, -1, 0, 1), mults, strict=True):
                    if 0 <= d + off < days:
                        peak[d + off] = max(peak.get(d + off, 1.0), m)
        self.peak_days = frozenset(d for d, m in peak.items() if m >= 1.5)
        hour_total = sum(_HOUR_WEIGHTS)
        elapsed_today = now - today_start
        full_hours = elapsed_today // HOUR
        today_weight = sum(_HOUR_WEIGHTS[:full_hours]) + (
            _HOUR_WEIGHTS[full_hours] * (elapsed_today % HOUR) / HOUR if full_hours < 24 else 0.0
        )
        weights = []
        for d in range(days):
            day_ts = first_day + d * DAY
            growth = 0.55 + 0.75 * d / (days - 1)
            weekday = ((day_ts + _BJ) // DAY + 3) % 7  # 1970-01-01 was a Thursday
            w = growth * _WEEKDAY_WEIGHTS[weekday] * peak.get(d, 1.0)
            if d == days - 1:
                w *= today_weight / hour_total
            weights.append(w)
        total = sum(weights)
        raw = [w * n / total for w in weights]
        counts = [int(x) for x in raw]
        short = n - sum(counts)
        order = sorted(range(days), key=lambda d: (counts[d] - raw[d], d))
        for d in order[:short]:
            counts[d] += 1
        cum_full = []
        acc = 0.0
        for w in _HOUR_WEIGHTS:
            acc += w
            cum_full.append(acc)
        created: list[int] = []
        rnd = rng.random
        for d in range(days):
            k = counts[d]
            if not k:
                continue
            day_ts = first_day + d * DAY
            if d == days - 1:
                hours_open = min(24, full_hours + 1)
                cum = cum_full[:hours_open]
                if full_hours < 24:
                    cum[-1] = (cum[-2] if full_hours else 0.0) + _HOUR_WEIGHTS[full_hours] * (
                        elapsed_today % HOUR
                    ) / HOUR
                top = cum[-1]
                for _ in range(k):
                    h = bisect(cum, rnd() * top)
                    span = HOUR if h < full_hours else max(1, elapsed_today % HOUR)
                    created.append(day_ts + h * HOUR + int(rnd() * span))
            else:
                top = cum_full[-1]
                for _ in range(k):
                    created.append(day_ts + bisect(cum_full, rnd() * top) * HOUR + int(rnd() * HOUR))
        created.sort()
        if created and created[-1] >= now:  # the partial last hour rounds down
            created = [min(t, now - 1) for t in created]
        self.first_day = first_day
        return created

    def _plan_buyers(self) -> None:
        rng = self.rng
        rnd = rng.random
        n = self.n
        self.created = self._plan_times()
        cum = []
        acc = 0.0
        for share, _ in _BUYER_ORDER_COUNTS:
            acc += share
            cum.append(acc)
        seq: list[int] = []
        b = 0
        while len(seq) < n:
            k = _BUYER_ORDER_COUNTS[min(bisect(cum, rnd() * acc), len(cum) - 1)][1]
            seq.extend([b] * k)
            b += 1
        del seq[n:]
        rng.shuffle(seq)
        # Some buyers order twice within a short time: candidates for a merged parcel (合并发货).
        # A small shop's orders are hours apart, so it gets a minimum number of such pairs.
        created = self.created
        merge = bytearray(n)
        flagged = 0
        for i in range(1, n):
            if rnd() < 0.01 and created[i] - created[i - 1] < 3 * HOUR and not merge[i - 1]:
                merge[i] = 1
                flagged += 1
        wanted = 5 + n // 2000
        if flagged < wanted:
            spare = [
                i
                for i in range(2, n)
                if created[i] - created[i - 1] < 3 * HOUR and not merge[i - 1] | merge[i]
            ]
            for i in sorted(rng.sample(spare, min(wanted - flagged, len(spare)))):
                if not merge[i - 1]:
                    merge[i] = 1
        for i in range(1, n):
            if merge[i]:
                seq[i] = seq[i - 1]
        left = [0] * b
        for x in seq:
            left[x] += 1
        self.buyer_seq = seq
        self.buyer_left = left
        self.merge = merge
        self.buyer_hash = [rng.getrandbits(160) for _ in range(b)]
        self.buyer_salt = rng.getrandbits(40)
        self.counts["buyers"] = sum(1 for x in left if x)
        # Unpaid orders: a handful of those created in the last hour.
        recent = [i for i in range(max(0, n - 50), n) if created[i] >= self.now - HOUR]
        self.unpaid = frozenset(rng.sample(recent, min(5, len(recent))))

    # ------------------------------------------------------------------ the order loop

    def _generate_orders(self) -> None:
        """Generate every order with its items, parcels, tracking events and after-sales, batch by batch.

        One loop on purpose: at a million orders every function call per order costs a second,
        so the common path is inline and only rare paths (after-sales, parcels) are closures.
        """
        rng = self.rng
        rnd = rng.random
        now = self.now
        n = self.n
        task = self.task
        created = self.created
        buyer_seq = self.buyer_seq
        buyer_left = self.buyer_left
        merge = self.merge
        unpaid = self.unpaid
        peak_days = self.peak_days
        first_day = self.first_day
        skt = self.sku_tuples
        sku_cum = self.sku_cum
        sku_top = sku_cum[-1]
        courier_cum = self.courier_cum
        courier_top = courier_cum[-1]
        make_buyer = self._buyer_factory()
        add_package = self._package_writer()
        write_case = self._case_writer()
        buyer_cache: dict[int, tuple] = {}
        ids = self.ids
        out = self.out
        orders_out = out["order"]
        items_out = out["order_item"]
        links_out = out["package_order"]
        movements = self.movements
        unpaid_lines = self.unpaid_lines
        movement_window = now - MOVEMENT_WINDOW_S

        # Targets for situations a small demo must show even when chance would skip them.
        t_overdue = 2 + n // 100_000
        t_near = 3 + n // 50_000
        t_expiring = 2 + n // 200_000
        t_anomaly = 2 + n // 200_000
        n_overdue = n_near = n_expiring = 0
        n_anomaly = [0, 0, 0, 0]

        flag_labels = ("", "红旗", "黄旗", "绿旗", "蓝旗", "紫旗")
        buyer_memos = cat.BUYER_MEMOS
        seller_memos = cat.SELLER_MEMOS
        s_to_ship, s_shipped = int(OrderStatus.TO_SHIP), int(OrderStatus.SHIPPED)
        s_signed, s_cancelled = int(OrderStatus.SIGNED), int(OrderStatus.CANCELLED)
        s_unpaid = int(OrderStatus.UNPAID)
        g_forming, g_formed, g_failed = (
            int(GroupStatus.FORMING),
            int(GroupStatus.FORMED),
            int(GroupStatus.FAILED),
        )
        r_none = int(RefundStatus.NONE)
        sn_mult = 7_319_562_247_013  # coprime to 10: the 15 digits are a bijection of the order index
        sn_salt = rng.randrange(10**15)
        sn_mod = 10**15

        prev_pkg: tuple | None = None  # (package id, shipped, signed, buyer) of the previous order
        cur_day = -1
        day_prefix = ""
        is_peak = False

        for lo in range(0, n, CHUNK):
            hi = min(n, lo + CHUNK)
            for i in range(lo, hi):
                oid = i + 1
                c = created[i]
                day = (c - first_day) // DAY
                if day != cur_day:
                    cur_day = day
                    day_prefix = datetime.fromtimestamp(c, _BEIJING).strftime("%y%m%d")
                    is_peak = day in peak_days
                order_sn = f"{day_prefix}-{(i * sn_mult + sn_salt) % sn_mod:015d}"

                # --- buyer and receiver (cached while the buyer has orders to come)
                b = buyer_seq[i]
                buyer = buyer_cache.get(b)
                if buyer is None:
                    buyer = make_buyer(b)
                    if buyer_left[b] > 1:
                        buyer_cache[b] = buyer
                elif buyer_left[b] == 1:
                    del buyer_cache[b]
                buyer_left[b] -= 1

                # --- items: mostly one line of one unit; hot SKUs by popularity
                r = rnd()
                n_lines = 1 if r < 0.87 else (2 if r < 0.975 else 3)
                single_buy = rnd() < 0.05
                lines = []
                goods_amount = item_count = 0
                hours = 999
                for _ in range(n_lines):
                    s = bisect(sku_cum, rnd() * sku_top)
                    if lines and any(ln[0] == s for ln in lines):
                        continue
                    sk = skt[s]
                    rq = rnd()
                    q = 1 if rq < 0.8 else (2 if rq < 0.94 else (3 if rq < 0.98 else 5))
                    price = sk[7] if single_buy else sk[6]
                    lines.append((s, q, price))
                    goods_amount += price * q
                    item_count += q
                    if sk[8] < hours:
                        hours = sk[8]

                # --- money (fen)
                platform_discount = seller_discount = postage = 0
                boost = 1.6 if is_peak else 1.0
                if rnd() < 0.22 * boost:
                    platform_discount = min((100, 200, 300, 500)[int(rnd() * 4)], goods_amount // 5)
                if rnd() < 0.15 * boost and goods_amount >= 2000:
                    seller_discount = 1000 if goods_amount >= 9900 else (500 if goods_amount >= 4900 else 300)
                if buyer[12] and rnd() < 0.6:
                    postage = (800, 1000, 1200, 1500)[int(rnd() * 4)]  # 偏远地区邮费
                pay_amount = goods_amount - platform_discount - seller_discount + postage
                merchant_receive = pay_amount + platform_discount

                # --- memos
                buyer_memo = buyer_memos[int(rnd() * len(buyer_memos))] if rnd() < 0.05 else ""
                seller_memo = flag_name = ""
                flag = None
                if rnd() < 0.03:
                    seller_memo, flag = seller_memos[int(rnd() * len(seller_memos))]
                    flag_name = flag_labels[flag]

                # --- timeline
                rp = rnd()
                paid = min(now, c + 5 + int(rp * rp * rp * 1800))
                rf = rnd()
                if rf < 0.62:
                    formed = paid + int(rnd() * 60)
                elif rf < 0.9:
                    formed = paid + 60 + int(rnd() * 1800)
                else:
                    formed = paid + 1800 + int(rnd() * 6 * HOUR)
                if formed > now:
                    formed = now
                rc = rnd()
                status = s_to_ship
                confirm = 1
                group = g_formed
                ship = sign = cancelled_at = deadline = printed_at = None
                refund_status = r_none
                as_status = print_count = 0

                if i in unpaid:
                    status, confirm, group = s_unpaid, 0, g_forming
                    paid = formed = None
                    updated = c
                    unpaid_lines.extend(lines)
                elif rc < 0.012 and c + 5400 <= now:
                    # Never paid: the platform closed it after the payment window.
                    status, confirm, group = s_cancelled, 2, g_failed
                    paid = formed = None
                    cancelled_at = updated = c + 1800 + int(rnd() * 3600)
                elif rc < 0.02 and paid + DAY <= now:
                    # Paid, but the group never filled: cancelled and refunded after 24 h.
                    status, confirm, group = s_cancelled, 2, g_failed
                    formed = None
                    cancelled_at = updated = paid + DAY
                else:
                    forced = False
                    if c >= now - 5 * DAY and (n_overdue < t_overdue or n_near < t_near):
                        # A slow group (up to 20 h) puts the deadline where the demo needs one.
                        overdue = n_overdue < t_overdue
                        target = (
                            now - 1800 - int(rnd() * 18 * HOUR)
                            if overdue
                            else now + 1800 + int(rnd() * 5 * HOUR)
                        )
                        f2 = target - hours * HOUR
                        if paid <= f2 <= paid + 20 * HOUR:
                            formed = f2
                            forced = True
                            if overdue:
                                n_overdue += 1
                            else:
                                n_near += 1
                    deadline = ship_deadline(formed, hours)
                    updated = formed
                    if not forced:
                        # The courier picks up once a day (16–18 h Beijing); packing closes at 15 h.
                        t0 = formed + 1800 + int(rnd() * HOUR)
                        lt = (t0 + _BJ) % DAY
                        ship = t0 - lt + 16 * HOUR + int(rnd() * 2 * HOUR)
                        if lt > 15 * HOUR:
                            ship += DAY
                        if rnd() < 0.4:
                            ship += DAY  # out of stock, or a busy day
                        if rnd() < 0.03:
                            ship = deadline + 1800 + int(rnd() * 18 * HOUR)  # shipped late
                        elif ship > deadline - 600:
                            ship = max(formed + 1800, deadline - HOUR - int(rnd() * 2 * HOUR))
                        if ship > now:
                            ship = None

                    # --- after-sales, decided before the parcel: an open refund stops the shipment
                    case = None
                    if not forced:
                        if rnd() < 0.045:
                            case = self._pick_case(paid, ship)
                        elif (
                            n_expiring < t_expiring
                            and ship is not None
                            and now - 12 * DAY <= ship <= now - 50 * HOUR
                        ):
                            # Waiting for me, with the platform's deadline less than 12 h away.
                            case = (
                                AfterSaleType.REFUND_ONLY,
                                2,
                                now - 36 * HOUR - int(rnd() * 11 * HOUR),
                                False,
                                None,
                            )
                            n_expiring += 1
                    if case is not None and case[3] and case[1] != 11:
                        ship = None  # refund asked before shipping: held, or refunded and cancelled

                    # --- the parcel: merged with the previous order of the same buyer, or its own
                    if ship is not None:
                        if (
                            merge[i]
                            and prev_pkg is not None
                            and prev_pkg[3] == b
                            and case is None
                            and formed + 1800 <= prev_pkg[1] <= now
                        ):
                            ship, sign = prev_pkg[1], prev_pkg[2]
                            links_out.append((prev_pkg[0], oid))
                            prev_pkg = None
                        else:
                            if case is not None and case[4] is not None:
                                planned_sign = case[4]  # the buyer signed before asking for a return
                            else:
                                planned_sign = (
                                    ship
                                    + 36 * HOUR
                                    + int(rnd() * 3.5 * DAY)
                                    + (36 * HOUR if buyer[12] else 0)
                                )
                            anomaly = _A_NONE
                            age_ship = now - ship
                            if age_ship < 15 * DAY and case is None:
                                rx = rnd()
                                if DAY < age_ship < 4 * DAY and (rx < 0.008 or n_anomaly[1] < t_anomaly):
                                    anomaly = _A_NO_PICKUP
                                elif 3 * DAY < age_ship < 12 * DAY and (
                                    rx < 0.01 or n_anomaly[2] < t_anomaly
                                ):
                                    anomaly = _A_STALLED
                                elif DAY < age_ship < 10 * DAY and (rx > 0.996 or n_anomaly[3] < t_anomaly):
                                    anomaly = _A_EXCEPTION
                                n_anomaly[anomaly] += 1
                            ci = bisect(courier_cum, rnd() * courier_top)
                            pid, sign = add_package(
                                (oid,), "normal", ci, ship, planned_sign, anomaly, buyer[13]
                            )
                            if item_count > 1 and rnd() < 0.03:  # 分包: a second parcel
                                extra_ship = min(now, ship + int(rnd() * 2 * HOUR))
                                add_package((oid,), "extra", ci, extra_ship, planned_sign, _A_NONE, buyer[13])
                            prev_pkg = (pid, ship, sign, b)
                        status = s_shipped if sign is None else s_signed
                        updated = ship if sign is None else sign
                        print_count = 1 if rnd() < 0.97 else 2
                        printed_at = max(formed + 60, ship - 600 - int(rnd() * 3 * HOUR))
                        if ship >= movement_window:
                            for s, q, _p in lines:
                                movements.append((ship, oid, s, -q, "sale", None))
                    else:
                        prev_pkg = None
                        if case is None and now - formed > 3 * HOUR and rnd() < 0.35:
                            print_count = 1  # label printed, waiting for the courier
                            printed_at = formed + int(rnd() * (now - formed))

                    if case is not None:
                        refund_status, as_status, end, refunded_unshipped = write_case(
                            oid, case, lines, pay_amount, goods_amount, buyer[13]
                        )
                        if end > updated:
                            updated = end
                        if refunded_unshipped:
                            status = s_cancelled  # 未发货，退款成功
                            cancelled_at = end

                orders_out.append((
                    oid, order_sn, status, confirm, group, refund_status, as_status, buyer[0], buyer[1],
                    buyer_memo, seller_memo, flag, flag_name, goods_amount, postage, platform_discount,
                    seller_discount, pay_amount, merchant_receive, item_count, c, paid, formed, deadline,
                    ship, sign, cancelled_at, buyer[2], buyer[3], buyer[4], buyer[5], buyer[6], buyer[7],
                    buyer[8], buyer[9], buyer[10], buyer[11], print_count, printed_at, updated,
                ))  # fmt: skip
                iid = ids["item"]
                for s, q, p in lines:
                    iid += 1
                    sk = skt[s]
                    items_out.append((iid, oid, sk[1], sk[0], sk[2], sk[3], sk[4], sk[5], q, p))
                ids["item"] = iid

            self._flush()
            task.report(hi, self.progress_total, "生成订单")
            task.raise_if_cancelled()

    def _flush(self) -> None:
        """Insert the buffered rows of one batch in one transaction."""
        self.conn.execute("BEGIN")
        for table, rows in self.out.items():
            self._insert(table, rows)
            rows.clear()
        self.conn.execute("COMMIT")

    def _buyer_factory(self) -> Callable[[int], tuple]:
        """A function giving a buyer's identity and receiver, decoded from the buyer's random bits.

        The tuple is (buyer_key, nickname, receiver name, phone, province, city, district, town,
        street address, masked name, masked phone, masked address, remote province?, district key).
        """
        buyer_hash = self.buyer_hash
        buyer_salt = self.buyer_salt
        provinces = cat.PROVINCES
        prov_table = _weighted_table([p[1] for p in provinces], 1000)
        surname_table = _weighted_table([w for _, w in cat.SURNAMES], 1000)
        surnames = [s for s, _ in cat.SURNAMES]
        given = cat.GIVEN_NAME_CHARS
        n_given = len(given)
        prefixes = cat.PHONE_PREFIXES
        n_prefixes = len(prefixes)
        streets, n_streets = cat.STREETS, len(cat.STREETS)
        communities, n_comm = cat.COMMUNITIES, len(cat.COMMUNITIES)
        towns, n_towns = cat.TOWNS, len(cat.TOWNS)
        villages, n_villages = cat.VILLAGES, len(cat.VILLAGES)
        heads, cores, tails = cat.NICK_HEADS, cat.NICK_CORES, cat.NICK_TAILS
        remote = frozenset(cat.REMOTE_PROVINCES)
        dk_index = self.district_index

        def make_buyer(b: int) -> tuple:
            h = buyer_hash[b]
            prov, _pop, cities = provinces[prov_table[h % 1000]]
            h //= 1000
            city, dists = cities[h % len(cities)]
            h //= len(cities)
            dist = dists[h % len(dists)]
            h //= len(dists)
            name = surnames[surname_table[h % 1000]] + given[h // 1000 % n_given]
            h //= 1000 * n_given
            if h % 4:
                name += given[h // 4 % n_given]
            h //= 4 * n_given
            phone = prefixes[h % n_prefixes] + str(h // n_prefixes % 100_000_000).zfill(8)
            h //= n_prefixes * 100_000_000
            if h % 10:
                detail = (
                    f"{streets[h // 10 % n_streets]}{1 + h // 300 % 299}号{communities[h // 90_000 % n_comm]}"
                    f"{1 + h // 1_800_000 % 28}栋{1 + h // 50_400_000 % 4}单元{1 + h // 201_600_000 % 26}0"
                    f"{1 + h // 5_241_600_000 % 4}室"
                )
            else:
                detail = f"{villages[h // 10 % n_villages]}{1 + h // 80 % 9}组{1 + h // 720 % 120}号"
            h //= 20_966_400_000
            town = towns[h % n_towns]
            h //= n_towns
            nick = heads[h % len(heads)] + cores[h // 100 % len(cores)] + tails[h // 10_000 % len(tails)]
            key = f"b{(b * 0x9E3779B97F + buyer_salt) & 0xFF_FFFF_FFFF:010x}"  # odd multiplier: unique keys
            return (
                key, nick, name, phone, prov, city, dist, town, detail, mask_name(name), mask_phone(phone),
                mask_address(detail), prov in remote, dk_index[(prov, city, dist)],
            )  # fmt: skip

        return make_buyer

    def _plan_districts(self) -> None:
        """One entry per receiver district: names, the regional hub and a 三段码-style sort code."""
        remote = frozenset(cat.REMOTE_PROVINCES)
        districts = []
        for p_idx, (prov, _pop, cities) in enumerate(cat.PROVINCES):
            hub_city = cities[0][0]
            hub = f"{hub_city.removesuffix('市')}转运中心"
            for c_idx, (city, dists) in enumerate(cities):
                for d_idx, dist in enumerate(dists):
                    sort_code = (
                        f"{300 + p_idx * 23 % 600}-{chr(65 + c_idx * 3 + d_idx)}"
                        f"{10 + (p_idx * 7 + d_idx) % 90} {d_idx + 1:02d}"
                    )
                    districts.append((prov, city, dist, hub, sort_code, prov in remote, hub_city))
        self.districts = districts
        self.district_index = {(d[0], d[1], d[2]): k for k, d in enumerate(districts)}

    def _package_writer(self) -> Callable[..., tuple[int, int | None]]:
        """A function writing one parcel, its order links and (when recent) its tracking events."""
        rnd = self.rng.random
        now = self.now
        ids = self.ids
        packages_out = self.out["package"]
        links_out = self.out["package_order"]
        events_out = self.out["tracking_event"]
        districts = self.districts
        couriers = cat.COURIERS
        courier_ids = [c.id for c in couriers]
        courier_names = [c.name for c in couriers]
        track_serial = self.track_serial
        track_salt = self.track_salt
        tracking_number = cat.tracking_number
        event_window = now - EVENT_WINDOW_S
        branch = cat.BRANCHES[0][1]
        origin = cat.SHOP_ADDRESS[1]
        tt = cat.TRACKING_TEXTS
        signers = cat.SIGNERS
        text_cache: dict[int, tuple] = {}

        def texts(ci: int, dk: int) -> tuple:
            """Event descriptions for one courier and destination, formatted once."""
            key = ci * 10_000 + dk
            got = text_cache.get(key)
            if got is None:
                _prov, city, dist, hub, _sc, _remote, hub_city = districts[dk]
                fill = {
                    "origin": origin,
                    "branch": courier_names[ci] + branch,
                    "hub": hub,
                    "dest": city,
                    "district": dist.removesuffix("区"),
                }
                got = (
                    tuple(t.format(**fill) for t in tt["pickup"]),
                    tuple(t.format(**fill) for t in tt["transit"]),
                    tuple(t.format(**fill) for t in tt["delivering"]),
                    tuple(tt["signed"][0 if w == "本人" else 1].format(who=w, **fill) for w in signers),
                    tuple(t.format(**fill) for t in tt["exception"]),
                    hub_city,
                )
                text_cache[key] = got
            return got

        def add_package(order_ids, kind, ci, ship, sign, anomaly, dk) -> tuple[int, int | None]:
            """Write a parcel shipped at ``ship`` that the buyer signs at ``sign`` unless ``anomaly``.

            Returns:
                The package id and its signed time (None while in transit or stuck).
            """
            ids["pkg"] += 1
            pid = ids["pkg"]
            serial = track_serial[ci]
            track_serial[ci] = serial + 1
            number = tracking_number(couriers[ci], serial, track_salt[ci])
            _prov, city, _dist, hub, sort_code, _remote, _hub_city = districts[dk]
            pickup = ship + HOUR + int(rnd() * 6 * HOUR)
            is_exception = 0
            if anomaly == _A_NO_PICKUP:
                first = last = signed = None
            elif ship < event_window:  # old parcel: times only, no event rows
                first, last, signed = pickup, sign, sign
            else:
                tx = texts(ci, dk)
                events = [(pickup, "pickup", origin, tx[0][int(rnd() * 2)])]
                signed = None
                if anomaly == _A_STALLED:  # scans stop more than 48 h ago
                    stop = max(pickup + HOUR, now - 2 * DAY - int(rnd() * DAY))
                    events.append(((pickup + stop) // 2, "transit", origin, tx[1][0]))
                    events.append((stop, "transit", tx[5], tx[1][1]))
                elif anomaly == _A_EXCEPTION:
                    t1 = pickup + 4 * HOUR + int(rnd() * 10 * HOUR)
                    t2 = max(t1 + 600, min(now - 600, t1 + DAY + int(rnd() * 2 * DAY)))
                    events.append((t1, "transit", origin, tx[1][0]))
                    events.append((t2, "exception", city, tx[4][int(rnd() * 4)]))
                    is_exception = 1
                else:
                    deliver = sign - HOUR - int(rnd() * 5 * HOUR)
                    # 1–3 transit scans; more on long hauls so no gap looks like a stalled parcel.
                    k = min(4, max(1 + int(rnd() * 3), (deliver - pickup) // (36 * HOUR)))
                    step = (deliver - pickup) // (k + 1)
                    for j, which in enumerate(((1,), (0, 2), (0, 1, 2), (0, 1, 2, 3))[k - 1]):
                        where = origin if which < 2 else (tx[5] if which == 2 else city)
                        events.append((pickup + step * (j + 1), "transit", where, tx[1][which]))
                    events.append((deliver, "delivering", city, tx[2][int(rnd() * 2)]))
                    events.append((sign, "signed", city, tx[3][int(rnd() * 8)]))
                    if sign <= now:
                        signed = sign
                eid = ids["event"]
                last = None
                for at, event_kind, where, text in events:
                    if at > now:
                        break
                    eid += 1
                    events_out.append((eid, pid, at, event_kind, where, text))
                    last = at
                ids["event"] = eid
                first = pickup if pickup <= now else None
            packages_out.append(
                (pid, courier_ids[ci], number, kind, ship, first, last, signed, is_exception, sort_code, hub)
            )
            for oid in order_ids:
                links_out.append((pid, oid))
            return pid, signed

        return add_package

    def _pick_case(self, paid: int, ship: int | None) -> tuple | None:
        """Open an after-sales case on a paid order, or None when its moment is still to come.

        Returns:
            ``(type, status, created_at, before_shipping, sign_time_or_None)``.
        """
        rnd = self.rng.random
        now = self.now
        rt, r1, r2 = rnd(), rnd(), rnd()
        typ = _CASE_TYPES[bisect(_CASE_TYPE_CUM, rt)]
        if typ == AfterSaleType.REFUND_ONLY and (ship is None or r1 < 0.4):
            end = ship if ship is not None else now
            at = paid + 600 + int(r2 * max(1, end - paid - 600))
            pre, sign_hint, outcomes = True, None, _OUTCOMES_BEFORE_SHIPPING
        elif ship is not None:
            sign_hint = ship + 2 * DAY + int(r1 * 3 * DAY)
            if typ == AfterSaleType.REFUND_ONLY:
                at = ship + DAY + int(r2 * 5 * DAY)  # not received yet, broken, not as described
            elif typ == AfterSaleType.REPAIR:
                at = sign_hint + int(r2 * 20 * DAY)
            else:
                at = sign_hint + int(r2 * 6 * DAY)
            pre, outcomes = False, _OUTCOMES[typ]
        else:
            return None
        if at > now:
            return None
        age = now - at
        r3 = rnd()
        for limit, table in outcomes:
            if limit is None or age < limit:
                for share, code in table:
                    if r3 < share:
                        return (typ, code, at, pre, sign_hint)
                return (typ, table[-1][1], at, pre, sign_hint)
        return None

    def _case_writer(self) -> Callable[..., tuple[int, int, int, bool]]:
        """A function writing an after-sales case and its negotiation steps (stock returns included)."""
        rng = self.rng
        rnd = rng.random
        now = self.now
        ids = self.ids
        cases_out = self.out["after_sale"]
        events_out = self.out["after_sale_event"]
        movements = self.movements
        skt = self.sku_tuples
        couriers = cat.COURIERS
        track_serial = self.track_serial
        track_salt = self.track_salt
        return_cum = self.courier_cum[:4]  # buyers send returns with the big four
        return_top = return_cum[-1]
        courier_cum = self.courier_cum
        courier_top = courier_cum[-1]
        add_package = self._package_writer()
        case_base = 9_000_000_000 + rng.randrange(100_000_000)
        movement_window = now - MOVEMENT_WINDOW_S

        def write_case(oid, case, lines, pay_amount, goods_amount, dk) -> tuple[int, int, int, bool]:
            """Write a case; returns (order refund_status, status, last step time, refunded unshipped?)."""
            typ, code, at, pre, _sign = case
            ids["case"] += 1
            case_id = case_base + ids["case"] * 17 + int(rnd() * 17)  # unique, platform-looking ids
            path = cat.AFTER_SALE_PATHS[(typ, code)]
            if code in _TERMINAL:
                if typ == AfterSaleType.REFUND_ONLY:
                    span = 60 + int(rnd() * (6 * HOUR if pre else 3 * DAY))
                elif typ == AfterSaleType.REPAIR:
                    span = 5 * DAY + int(rnd() * 13 * DAY)
                elif typ == AfterSaleType.RESEND:
                    span = 3 * DAY + int(rnd() * 4 * DAY)
                else:
                    span = 3 * DAY + int(rnd() * 7 * DAY)
                end = closed = min(now, at + span)
            else:
                end = at + int((now - at) * (0.3 + 0.6 * rnd()))
                closed = None
            expire = at + DEFAULT_RESPONSE_HOURS * HOUR if code in _WAITING_ME else None
            s_line, q_line, p_line = lines[int(rnd() * len(lines))]
            sku = skt[s_line]
            if typ == AfterSaleType.REFUND_ONLY:
                full = pre or rnd() < 0.65
                refund = pay_amount if full else max(1, pay_amount * p_line * q_line // goods_amount // 2)
            elif typ == AfterSaleType.RETURN_REFUND:
                refund = max(1, pay_amount * p_line * q_line // goods_amount)
            else:
                refund = 0
            return_no = return_name = ""
            if typ == AfterSaleType.RETURN_REFUND and code in (27, 4, 10):
                rci = bisect(return_cum, rnd() * return_top)
                serial = track_serial[rci]
                track_serial[rci] = serial + 1
                return_no = cat.tracking_number(couriers[rci], serial, track_salt[rci])
                return_name = couriers[rci].name
            reasons = cat.AFTER_SALE_REASONS[typ]
            reason = reasons[int(rnd() * len(reasons))]
            remark = cat.AFTER_SALE_REMARKS[int(rnd() * len(cat.AFTER_SALE_REMARKS))]
            steps = len(path)
            eid = ids["case_event"]
            times = []
            for k, (actor, action, status_after) in enumerate(path):
                t = at + (end - at) * k // (steps - 1)
                times.append(t)
                eid += 1
                note = (reason + ("：" + remark if remark else "")) if k == 0 else _STEP_NOTES.get(action, "")
                events_out.append((eid, case_id, t, actor, action, status_after, note))
            ids["case_event"] = eid
            cases_out.append(
                (case_id, oid, int(typ), code, reason, remark, refund, sku[1], sku[0], q_line, return_no,
                 return_name, at, expire, closed, end)
            )  # fmt: skip
            if typ == AfterSaleType.RETURN_REFUND and code == 10 and end >= movement_window:
                movements.append((end, oid, s_line, q_line, "return", case_id))
            if typ in (AfterSaleType.EXCHANGE, AfterSaleType.RESEND) and code in (16, 18):
                sent = times[2 if typ == AfterSaleType.EXCHANGE else 1]
                got = end if code == 16 else sent + 2 * DAY + int(rnd() * DAY)
                ci = bisect(courier_cum, rnd() * courier_top)
                add_package((oid,), "resend", ci, sent, got, _A_NONE, dk)
            return _REFUND_STATUS_OF[code], code, end, pre and code == 10

        return write_case

    # ------------------------------------------------------------------ goods, stock, pools, messages

    def _write_goods_and_stock(self) -> None:
        """Goods, SKUs and the stock log; each SKU's stock equals its last movement's ``stock_after``.

        The log holds an opening balance at the start of the year, a stocktake row 30 days ago
        that sums up the older sales and restocks, then every sale and return since. Final stocks
        are drawn first (some at or below the low-stock threshold) and the log is walked back from
        them, so no running total ever goes below zero.
        """
        rnd = self.rng.random
        now = self.now
        skus = self.skus
        n_sku = len(skus)
        reserve = [0] * n_sku  # held for 待支付 orders
        for s_idx, quantity, _price in self.unpaid_lines:
            reserve[s_idx] += quantity
        movements = sorted(self.movements, key=lambda m: (m[0], m[1], m[2], m[4]))
        total = [0] * n_sku
        lowest = [0] * n_sku
        for _at, _order, s_idx, delta, _kind, _case in movements:
            total[s_idx] += delta
            lowest[s_idx] = min(lowest[s_idx], total[s_idx])
        final = []
        for s_idx, sku in enumerate(skus):
            threshold = sku["threshold"]
            if not sku["onsale"]:
                target = int(rnd() * 20)
            elif rnd() < 0.08:
                target = int(rnd() * (threshold + 1))  # 库存不足
            else:
                target = threshold + 1 + int(rnd() * 400)
            final.append(max(target, total[s_idx] - lowest[s_idx]))
        running = [final[k] - total[k] for k in range(n_sku)]  # stock at the stocktake

        rows = []
        mv_id = 0
        opening = [100 + int(rnd() * 900) for _ in skus]
        for s_idx, sku in enumerate(skus):
            mv_id += 1
            first = opening[s_idx]
            rows.append(
                (mv_id, sku["sku_id"], self.year_start, first, first, "import", None, None, "期初库存导入")
            )
        stocktake_at = now - MOVEMENT_WINDOW_S - HOUR
        for s_idx, sku in enumerate(skus):
            mv_id += 1
            delta = running[s_idx] - opening[s_idx]
            rows.append((mv_id, sku["sku_id"], stocktake_at, delta, running[s_idx], "adjust", None, None,
                         "盘点调整（汇总此前的销售与补货）"))  # fmt: skip
        for at, order_id, s_idx, delta, kind, case_id in movements:
            running[s_idx] += delta
            mv_id += 1
            note = "退货入库" if kind == "return" else ""
            rows.append(
                (mv_id, skus[s_idx]["sku_id"], at, delta, running[s_idx], kind, order_id, case_id, note)
            )

        sku_rows = [
            (sku["sku_id"], sku["goods_id"], sku["spec"], sku["outer_id"], sku["single"], sku["group"],
             sku["cost"], running[s_idx], reserve[s_idx], sku["threshold"], sku["weight"], sku["onsale"],
             now - int(rnd() * 20 * DAY))
            for s_idx, sku in enumerate(skus)
        ]  # fmt: skip
        self._insert("goods", self.goods_rows)
        self._insert("sku", sku_rows)
        self._insert("stock_movement", rows)
        self.counts.update(goods=len(self.goods_rows), skus=len(sku_rows), stock_movements=len(rows))

    def _write_waybill_pools(self) -> None:
        """Three e-waybill accounts (中通 default, 圆通, 韵达), each with a pool of free numbers."""
        code_to_index = {c.code: k for k, c in enumerate(cat.COURIERS)}
        created = self.year_start - 30 * DAY
        accounts = []
        numbers = []
        for a_id, (code, (branch_code, branch_name)) in enumerate(
            zip(("ZTO", "YTO", "YUNDA"), cat.BRANCHES, strict=True), start=1
        ):
            ci = code_to_index[code]
            is_default = 1 if a_id == 1 else 0
            accounts.append(
                (a_id, cat.COURIERS[ci].id, branch_code, branch_name, 1, WAYBILL_POOL, is_default, created)
            )
            for _ in range(WAYBILL_POOL):
                numbers.append((len(numbers) + 1, a_id, self._next_tracking(ci), "free", None, None))
        self._insert("waybill_account", accounts)
        self._insert("waybill_number", numbers)
        self.counts["waybill_numbers"] = len(numbers)

    def _write_messages(self) -> None:
        """150 notices of the last 90 days in the seven platform categories; 20 unread, 2 pinned."""
        rng = self.rng
        rnd = rng.random
        now = self.now
        templates = cat.MESSAGE_TEMPLATES
        categories = [c for c in MessageCategory if c in templates]
        cum = []
        acc = 0
        for weight in (10, 25, 15, 15, 40, 25, 20)[: len(categories)]:
            acc += weight
            cum.append(acc)
        goods_names = [g[2] for g in self.goods_rows]
        drafts = []
        for serial in range(150):
            category = categories[bisect(cum, rnd() * acc)]
            title_t, body_t = templates[category][int(rnd() * len(templates[category]))]
            at = now - int(rnd() * 90 * DAY)
            values = {
                "shop": self.shop_name,
                "date": datetime.fromtimestamp(at + 7 * DAY, _BEIJING).strftime("%Y-%m-%d"),
                "month": datetime.fromtimestamp(at - 20 * DAY, _BEIJING).strftime("%Y年%m月"),
                "amount": (50, 100, 200, 300, 500, 1000, 2000)[int(rnd() * 7)],
                "count": 2 + int(rnd() * 9),
                "goods": goods_names[int(rnd() * len(goods_names))],
                "rule": cat.GROWTH_TASKS[int(rnd() * len(cat.GROWTH_TASKS))],
                "activity": cat.ACTIVITIES[int(rnd() * len(cat.ACTIVITIES))],
            }
            title = cat.fill_message(title_t, **values)
            body = cat.fill_message(body_t, **values)
            drafts.append((at, serial, int(category), title, body))
        drafts.sort()
        newest = len(drafts) - 14
        unread = set(range(newest, len(drafts)))
        unread.update(rng.sample(range(newest), min(6, newest)))
        important = int(MessageCategory.IMPORTANT)
        pinned = set([k for k, d in enumerate(drafts) if d[2] == important][-2:])
        rows = []
        for k, (at, serial, category, title, body) in enumerate(drafts):
            read_at = None if k in unread else min(now, at + int(rnd() * 2 * DAY))
            rows.append((k + 1, f"msg-{at}-{serial:03d}", category, title, body, at, read_at,
                         1 if category == important else 0, 1 if k in pinned else 0))  # fmt: skip
        self._insert("message", rows)
        self.counts["messages"] = len(rows)

    def _write_invoice_requests(self) -> None:
        """About 1 % of the paid orders carry the buyer's invoice request (订单开票).

        Mostly 待开票, some 已开票 / 已上传 (numbered, without a PDF: the demo renders none);
        four in ten for a company with an 18-character tax number. A generator of its own
        (seeded from ``seed``) keeps every other table exactly as it was before invoices existed.
        """
        rng = random.Random(self.rng_seed * 7_919 + 104_729)
        rnd = rng.random
        now = self.now
        picks = sorted(rng.sample(range(1, self.n + 1), min(self.n, max(3, self.n // 80))))
        rows = []
        per_day: dict[str, int] = {}
        statuses: list[str] = []
        for lo in range(0, len(picks), 900):
            chunk = picks[lo : lo + 900]
            marks = ",".join("?" * len(chunk))
            found = self.conn.execute(
                'SELECT id, pay_amount_fen, paid_at, receiver_name, province FROM "order" '
                f"WHERE id IN ({marks}) AND paid_at IS NOT NULL AND status != ? AND pay_amount_fen > 0 "
                "ORDER BY id",
                (*chunk, int(OrderStatus.CANCELLED)),
            ).fetchall()
            for oid, pay, paid, receiver, province in found:
                company = rnd() < 0.4
                if company:
                    city = province.removesuffix("省").removesuffix("市")[:2]
                    word = _COMPANY_WORDS[int(rnd() * len(_COMPANY_WORDS))]
                    title = city + word + _COMPANY_KINDS[int(rnd() * len(_COMPANY_KINDS))]
                    region = str(110_000 + int(rnd() * 540_000))
                    tax_no = "91" + region + "".join(_TAX_CHARS[int(rnd() * 31)] for _ in range(10))
                else:
                    title, tax_no = receiver, ""
                mailbox = ("qq.com", "163.com", "126.com")[int(rnd() * 3)]
                email = f"{10_000_000 + int(rnd() * 90_000_000)}@{mailbox}"
                requested = paid + int(rnd() * min(5 * DAY, now - paid))
                r = rnd()
                if r < 0.65 or now - requested < HOUR:
                    status = "requested"
                else:
                    status = "issued" if r < 0.8 else "uploaded"
                statuses.append(status)
                kind = "company" if company else "personal"
                rows.append(
                    [len(rows) + 1, oid, kind, title, tax_no, email, pay, status, None, requested, None, None]
                )
        # Even a small demo shows each step: the oldest requests are the ones worked on.
        for want in ("issued", "uploaded"):
            if want not in statuses:
                for row in sorted(rows, key=lambda x: (x[9], x[0])):
                    if row[7] == "requested" and now - row[9] >= HOUR:
                        row[7] = want
                        break
        for row in rows:
            if row[7] == "requested":
                continue
            requested = row[9]
            issued = requested + int(rnd() * min(2 * DAY, now - requested))
            day = datetime.fromtimestamp(issued, _BEIJING).strftime("%Y%m%d")
            per_day[day] = per_day.get(day, 0) + 1
            row[8] = f"PDD{day}{per_day[day]:04d}"
            row[10] = issued
            if row[7] == "uploaded":
                row[11] = issued + int(rnd() * min(DAY, now - issued))
        self._insert("invoice_request", [tuple(row) for row in rows])
        self.counts["invoice_requests"] = len(rows)
