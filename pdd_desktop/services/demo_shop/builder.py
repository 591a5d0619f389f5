"""One build: the connection, the random generator and the plan shared by the phases."""

from __future__ import annotations

import random
import sqlite3

from pdd_desktop.common.task import TaskContext
from pdd_desktop.data import aggregates
from pdd_desktop.services.demo_shop.after_sales import _AfterSalesMixin
from pdd_desktop.services.demo_shop.constants import DAY
from pdd_desktop.services.demo_shop.extras import _ExtrasMixin
from pdd_desktop.services.demo_shop.orders import _OrdersMixin
from pdd_desktop.services.demo_shop.parcels import _ParcelsMixin
from pdd_desktop.services.demo_shop.plan import _PlanMixin
from pdd_desktop.services.demo_shop.stock import _StockMixin
from pdd_desktop.services.demo_shop.tables import _BULK_TABLES, _COLUMNS, _FIXED


class _Builder(_PlanMixin, _OrdersMixin, _ParcelsMixin, _AfterSalesMixin, _StockMixin, _ExtrasMixin):
    """One build: holds the connection, the random generator and the plan shared by the phases.

    The phases live in the mixins, one module per group of tables.
    """

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
        # Progress counts orders, the number the first-start question promised ("约 3 万个订单");
        # the steps after the orders are reported by name, without a count (total 0).
        self.progress_total = orders

    # ------------------------------------------------------------------ orchestration

    def run(self) -> dict[str, int]:
        conn = self.conn
        task = self.task
        task.report(0, self.progress_total, "生成订单")
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

        task.report(self.n, 0, "订单已生成，正在生成商品与库存")
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
            task.report(self.n, 0, f"整理订单，方便快速查找（第 {k + 1} 步，共 {len(indexes) + 2} 步）")
            conn.execute(sql)
            task.raise_if_cancelled()
        steps = len(indexes) + 2
        task.report(self.n, 0, f"整理订单，方便快速查找（第 {steps - 1} 步，共 {steps} 步）")
        conn.execute("BEGIN")
        aggregates.rebuild(conn)  # the 数据 dashboards' sums, from the orders just written
        conn.execute("COMMIT")
        task.raise_if_cancelled()
        task.report(self.n, 0, f"整理订单，方便快速查找（第 {steps} 步，共 {steps} 步）")
        conn.execute("PRAGMA analysis_limit=1000")
        conn.execute("ANALYZE")
        task.report(self.n, self.progress_total, "完成")
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

    def _flush(self) -> None:
        """Insert the buffered rows of one batch in one transaction."""
        self.conn.execute("BEGIN")
        for table, rows in self.out.items():
            self._insert(table, rows)
            rows.clear()
        self.conn.execute("COMMIT")
