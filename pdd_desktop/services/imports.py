"""The file route (issue 6): import the platform's order export and goods sheets; export its layout.

Two steps, so the user sees the whole report before anything changes:

- :func:`check_import_file` reads the whole file (CSV in UTF-8 / UTF-8 with BOM / GB18030, or
  XLSX; streamed) and writes **nothing** to the shop: every row is checked, the rows of one order
  are merged, every bad row is reported (row, column, raw value, reason) and the good orders are
  compared with the database (new / updated / unchanged). The parsed rows wait in a temporary
  staging SQLite file (``ImportCheck.staging``), so memory stays flat for a 200,000-row export.
- :func:`apply_import` writes the good orders in **one** ``BEGIN IMMEDIATE`` transaction (the
  plan is redone inside it, against the data as it is then), with the ``import_batch`` row and
  its ``import_row_error`` rows. A cancel, an error or a kill leaves the shop exactly as before.

"Newer information" (an order that already exists; ``domain/export_columns.py``):

1. 订单状态 moves only forward: 待支付 < 待发货 < 已发货 < 已签收 / 已取消 (the last two are both
   final and never replace each other). A file that is behind the shop never moves an order back.
2. 售后状态 (refund_status) changes when the order status moved forward, or the status is the same
   and the after-sales is further along (无售后 < 售后处理中 < 退款中 < 退款成功). An after-sales
   that was closed again (back to 无售后) is not taken from a file; the sync brings it.
3. Times only fill blanks; a time the shop already has is kept.
4. Money, receiver, region, buyer memo, 商家备注, flags such as 是否审核中 are taken only from a row
   whose status is not behind the shop's, and only when the cell is not empty (memos: an empty
   cell clears). A masked receiver value (``张**``, ``138****1234``) never replaces a full one;
   when a full value changes its mask is recomputed (domain/privacy), as the shop stores both.
5. Never touched by an import: a 商家备注 typed here (any ``set_memo`` op that was not cancelled),
   the flag, print state, pending ops / conflicts, buyer id and nickname, and a local shipment
   not yet acknowledged (open ship ops: no parcel is added and 待发货 never wins anyway).
6. Items are a trade snapshot: written for new orders (and existing orders without items) only.
   Unit prices: one line → 商品总价 ÷ 数量 when exact, else the local SKU's 拼单价, else the
   rounded-down share.
7. A tracking number the order does not have yet adds a parcel (courier by its platform name)
   unless the order already has a live first parcel or an open ship op.
8. ``platform_updated_at`` is never set from a file (the sync's versions stay the API's).

Counts are per order (``new`` / ``updated`` / ``unchanged``) and per row (``rows_*``, which add
up to ``rows_total``: the file's non-empty data rows).
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import tempfile
import weakref
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pdd_desktop.common import clock
from pdd_desktop.common.changes import Changes
from pdd_desktop.common.task import Cancelled, TaskContext
from pdd_desktop.common.timefmt import format_ts
from pdd_desktop.data.db import database, write_transaction
from pdd_desktop.domain import export_columns as ec
from pdd_desktop.domain import sync_rules
from pdd_desktop.domain.errors import NotAllowed, ValidationError
from pdd_desktop.domain.money import format_yuan_plain
from pdd_desktop.domain.orders import OrderStatus
from pdd_desktop.domain.privacy import mask_address, mask_name, mask_phone
from pdd_desktop.services import import_goods
from pdd_desktop.tabular.import_files import (
    ColumnMapping,
    FileInfo,
    RowError,
    extra_cells_error,
    find_header,
    inspect_file,
    iter_rows,
    map_columns,
)
from pdd_desktop.tabular.table_files import format_for, write_table

__all__ = [
    "ColumnMapping",
    "ImportBatchInfo",
    "ImportCheck",
    "ImportResult",
    "PreviewOrder",
    "RowError",
    "apply_import",
    "check_import_file",
    "discard_check",
    "export_platform_orders",
    "import_errors",
    "list_imports",
]

#: Orders planned and written per step (one transaction holds them all).
CHUNK = 500
_IN = 500
PREVIEW_ORDERS = 50
PROGRESS_CHECK = "正在检查文件"
PROGRESS_APPLY = "正在导入"
ORDER_CHANGES = Changes(orders=True, shipments=True, sync=True)

_COLS = {c.key: c for c in ec.ORDER_COLUMNS}
#: Staged columns: the parsed value of every known order-export column, plus the refund state
#: the 订单状态 text implies (``status_refund``).
_STAGE_KEYS: tuple[str, ...] = (*tuple(c.key for c in ec.ORDER_COLUMNS), "status_refund")
_ITEM_KEYS = tuple(c.key for c in ec.ORDER_COLUMNS if c.scope == "item")
_MONEY_KEYS = tuple(c.key for c in ec.ORDER_COLUMNS if c.kind == ec.MONEY)
_TIME_KEYS = tuple(c.key for c in ec.ORDER_COLUMNS if c.kind == ec.TIME)
_PLAIN_KEYS = ("province", "city", "district", "town", "risk_control_status", "is_lucky")
_MEMO_KEYS = ("buyer_memo",)
#: (full column, mask column, mask function) of the receiver.
_RECEIVER = (
    ("receiver_name", "receiver_name_mask", mask_name),
    ("receiver_phone", "receiver_phone_mask", mask_phone),
    ("address_detail", "address_mask", mask_address),
)
_EXISTING_COLS = (
    "id", "order_sn", "status", "confirm_status", "group_status", "refund_status", "cancelled_at",
    "seller_memo", "buyer_memo", "receiver_name", "receiver_phone", "address_detail",
    "receiver_name_mask", "receiver_phone_mask", "address_mask", "shipped_at",
    *_MONEY_KEYS, *_TIME_KEYS, *_PLAIN_KEYS,
)  # fmt: skip
_EXISTING_COLS = tuple(dict.fromkeys(_EXISTING_COLS))
_NEW_COLS = (
    "id", "order_sn", "status", "confirm_status", "group_status", "refund_status", "after_sales_status",
    "trade_type", "is_lucky", "risk_control_status", "is_pre_sale", "buyer_key", "buyer_nickname",
    "buyer_memo", "seller_memo", "flag", "flag_name", "goods_amount_fen", "postage_fen",
    "platform_discount_fen", "seller_discount_fen", "change_amount_fen", "pay_reduction_fen",
    "pay_amount_fen", "merchant_receive_fen", "item_count", "created_at", "paid_at", "confirmed_at",
    "group_formed_at", "ship_deadline_at", "shipped_at", "signed_at", "cancelled_at", "receiver_name",
    "receiver_phone", "province", "city", "district", "town", "address_detail", "receiver_name_mask",
    "receiver_phone_mask", "address_mask", "print_count", "last_printed_at", "pending_ops",
    "has_conflict", "platform_updated_at", "local_updated_at", "remote_hash", "remote_missing_since",
    "source",
)  # fmt: skip
_ITEM_INSERT = (
    "INSERT INTO order_item (order_id, goods_id, sku_id, goods_name, spec, outer_id, outer_goods_id, "
    "quantity, unit_price_fen) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


# --------------------------------------------------------------------------------------------
# Results
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PreviewOrder:
    """One good order of the file as the import will see it (the dialog's preview)."""

    row_no: int
    order_sn: str
    status_label: str
    pay_amount_fen: int | None
    items: int  #: item rows merged into the order
    goods: str  #: first item's name (and "等N件")
    action: str  #: "new" / "updated" / "unchanged"


@dataclass(frozen=True, eq=False)
class ImportCheck:
    """A checked file: its columns, every bad row, and what applying it would do.

    Nothing was written to the shop. The parsed rows of an order export wait in ``staging``
    (a temporary folder removed by :func:`apply_import`, :func:`discard_check` or when the check
    is garbage-collected).
    """

    path: str
    file_name: str
    sha256: str
    kind: str  #: "orders" / "goods"
    generation: str  #: order exports: "old" / "new" / "mixed" / ""
    encoding: str  #: "utf-8" / "utf-8-sig" / "gb18030" / "" (XLSX)
    columns: tuple[ColumnMapping, ...]
    unknown_columns: tuple[str, ...]  #: ignored, reported
    unused_columns: tuple[str, ...]  #: platform columns the app does not store
    rows_total: int  #: non-empty data rows
    errors: tuple[RowError, ...]
    new: int  #: orders (goods sheets: SKUs) that would be created
    updated: int
    unchanged: int
    rows_new: int
    rows_updated: int
    rows_unchanged: int
    preview: tuple[Any, ...]  #: first good records (:class:`PreviewOrder` or import_goods.PreviewSku)
    warnings: tuple[str, ...]
    already_imported: bool  #: the same file (sha256) was applied before
    imported_at: int | None  #: when it was applied
    staging: str = ""
    records: tuple[Any, ...] = field(default=(), repr=False)  #: goods sheets: the parsed rows

    @property
    def bad_rows(self) -> int:
        """Rows rejected (with at least one error)."""
        return len({e.row_no for e in self.errors})

    @property
    def rows_ok(self) -> int:
        """Rows that would be applied."""
        return self.rows_total - self.bad_rows

    @property
    def summary(self) -> str:
        """The report's first lines, in Chinese."""
        what = "订单" if self.kind == "orders" else "规格"
        if self.already_imported:
            when = format_ts(self.imported_at) if self.imported_at else ""
            return f"此文件已于 {when} 导入过，没有需要导入的内容。"
        lines = [
            f"{self.file_name}：共 {self.rows_total} 行，可导入 {self.rows_ok} 行，"
            f"有错误 {self.bad_rows} 行。",
            f"新{what} {self.new} 个 · 更新 {self.updated} 个 · 无变化 {self.unchanged} 个。",
        ]
        if self.unknown_columns:
            lines.append(f"未识别的列（已忽略）：{'、'.join(self.unknown_columns)}")
        lines.extend(self.warnings)
        return "\n".join(lines)


@dataclass(frozen=True)
class ImportResult:
    """What :func:`apply_import` did."""

    batch_id: int | None
    kind: str
    file_name: str
    new: int
    updated: int
    unchanged: int
    rows_rejected: int
    already_imported: bool
    cancelled: bool
    changes: Changes
    message: str


@dataclass(frozen=True)
class ImportBatchInfo:
    """One line of the import history."""

    id: int
    kind: str
    file_name: str
    sha256: str
    created_at: int
    applied_at: int | None
    rows_total: int
    rows_new: int
    rows_updated: int
    rows_unchanged: int
    rows_rejected: int
    state: str


# --------------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------------


def _report(task: TaskContext | None, done: int, total: int, label: str) -> None:
    if task is not None:
        task.report(done, total, label)
        task.raise_if_cancelled()


def _rows_in(sql: str, values: Sequence[Any]) -> list[tuple]:
    out: list[tuple] = []
    for i in range(0, len(values), _IN):
        part = list(values[i : i + _IN])
        out.extend(database.execute_sql(sql.format(marks=",".join("?" * len(part))), part).fetchall())
    return out


def _previous_import(sha256: str) -> int | None:
    row = database.execute_sql(
        "SELECT COALESCE(applied_at, created_at) FROM import_batch WHERE sha256 = ? AND state = 'applied' "
        "ORDER BY id DESC LIMIT 1",
        (sha256,),
    ).fetchone()
    return None if row is None else int(row[0] or 0)


def _parse_cell(col: ec.Column, text: str) -> Any:
    """A cell's value (None when empty), raising :class:`ec.CellError`."""
    kind = col.kind
    if kind == ec.TEXT:
        return text
    if not text:
        if kind == ec.SN:
            raise ec.CellError("订单号为空")
        if kind == ec.STATUS:
            raise ec.CellError("订单状态为空")
        return None
    if kind == ec.MONEY:
        return ec.parse_money(text)
    if kind == ec.TIME:
        return ec.parse_time(text)
    if kind == ec.INT:
        return ec.parse_int(text)
    if kind == ec.ID:
        return ec.parse_id(text)
    if kind == ec.SN:
        return ec.parse_sn(text)
    if kind == ec.STATUS:
        return ec.parse_order_status(text)
    if kind == ec.AFTER_SALES:
        return ec.parse_after_sales(text)
    if kind == ec.BOOL:
        return ec.parse_bool(text)
    raise AssertionError(kind)


# --------------------------------------------------------------------------------------------
# Check
# --------------------------------------------------------------------------------------------


def check_import_file(path: Path | str, *, task: TaskContext | None = None) -> ImportCheck:
    """Read and check every row of an order export or goods sheet; nothing is written.

    Raises:
        ValidationError: unreadable file, unknown kind, or required columns missing (named).
        Cancelled: the task was cancelled.
    """
    info = inspect_file(path)
    rows = iter_rows(info)
    header_no, header = find_header(rows)
    kind = ec.detect_kind(header)
    if kind is None:
        shown = "、".join(h for h in header if h)[:200]
        raise ValidationError(
            "文件类型",
            "无法识别：表头应为拼多多订单导出（含 订单号、订单状态）"
            "或商品库存表（含 样式ID/商家编码 与 库存/价格）。"
            f"文件的表头：{shown}",
        )
    previous = _previous_import(info.sha256)
    if kind == "goods":
        return import_goods.check(info, header_no, header, rows, previous, task=task, result_type=ImportCheck)
    return _check_orders(info, header_no, header, rows, previous, task)


def _check_orders(
    info: FileInfo,
    header_no: int,
    header: list[str],
    rows: Iterator[tuple[int, list[str]]],
    previous: int | None,
    task: TaskContext | None,
) -> ImportCheck:
    mapping, found = map_columns(header, ec.ORDER_COLUMNS, ec.ORDER_UNUSED_HEADERS)
    missing = [_COLS[k].header for k in ec.ORDER_REQUIRED if k not in found]
    if missing:
        raise ValidationError("表头", f"缺少必需的列：{'、'.join(missing)}")
    staging = tempfile.mkdtemp(prefix="pdd-import-")
    try:
        return _stage_and_plan(info, header_no, header, rows, previous, task, mapping, found, staging)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _open_staging(staging: str) -> sqlite3.Connection:
    conn = sqlite3.connect(os.path.join(staging, "rows.db"), isolation_level=None)
    conn.execute("PRAGMA journal_mode = OFF")
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("PRAGMA temp_store = MEMORY")
    return conn


def _stage_and_plan(
    info: FileInfo,
    header_no: int,
    header: list[str],
    rows: Iterator[tuple[int, list[str]]],
    previous: int | None,
    task: TaskContext | None,
    mapping: tuple[ColumnMapping, ...],
    found: dict[str, int],
    staging: str,
) -> ImportCheck:
    present = tuple(k for k in _STAGE_KEYS if k in found or (k == "status_refund" and "status" in found))
    width = len(header)
    conn = _open_staging(staging)
    try:
        conn.execute(
            "CREATE TABLE meta (k TEXT PRIMARY KEY, v TEXT)",
        )
        conn.execute("CREATE TABLE row (row_no INTEGER, " + ", ".join(f'"{k}"' for k in present) + ")")
        conn.execute("CREATE TABLE bad (order_sn TEXT PRIMARY KEY)")
        conn.execute(
            "INSERT INTO meta VALUES ('present', ?), ('sha256', ?)", (json.dumps(present), info.sha256)
        )
        insert = f"INSERT INTO row VALUES ({','.join('?' * (len(present) + 1))})"
        cols = [(k, _COLS[k], found[k]) for k in present if k != "status_refund"]
        errors: list[RowError] = []
        bad_sns: set[str] = set()
        batch: list[tuple] = []
        total = 0
        conn.execute("BEGIN")
        for row_no, cells in rows:
            if not any(cells):
                continue
            total += 1
            row_errors: list[RowError] = []
            values: dict[str, Any] = {}
            for key, col, idx in cols:
                text = cells[idx] if idx < len(cells) else ""
                try:
                    values[key] = _parse_cell(col, text)
                except ec.CellError as exc:
                    row_errors.append(RowError(row_no, header[idx], text, str(exc)))
            extra = extra_cells_error(row_no, cells, width)
            if extra is not None:
                row_errors.append(extra)
            q = values.get("quantity")
            if "quantity" in values and not row_errors and (q is None or q < 1):
                idx = found["quantity"]
                row_errors.append(
                    RowError(
                        row_no, header[idx], cells[idx] if idx < len(cells) else "", "商品数量应至少为 1"
                    )
                )
            if row_errors:
                errors.extend(row_errors)
                sn = values.get("order_sn")
                if sn:
                    bad_sns.add(sn)
                continue
            status, status_refund = values["status"]
            values["status"] = int(status)
            values["status_refund"] = status_refund
            batch.append((row_no, *(values[k] for k in present)))
            if len(batch) >= 5000:
                conn.executemany(insert, batch)
                batch.clear()
            if total % 2000 == 0:
                _report(task, total, 0, PROGRESS_CHECK)
        if batch:
            conn.executemany(insert, batch)
        conn.executemany("INSERT OR IGNORE INTO bad VALUES (?)", [(sn,) for sn in bad_sns])
        conn.execute("CREATE INDEX row_sn ON row (order_sn, row_no)")
        conn.execute("COMMIT")

        # Merge the rows of each order, check that they agree, compare with the shop.
        plan_state = _PlanState(present, clock.now())
        counts = {"new": 0, "updated": 0, "unchanged": 0}
        row_counts = {"new": 0, "updated": 0, "unchanged": 0}
        preview: list[PreviewOrder] = []
        group_errors: list[RowError] = []
        done = 0
        for chunk in _merged_chunks(conn, present, header, found, group_errors):
            for action in _plan(chunk, plan_state):
                counts[action.kind] += 1
                row_counts[action.kind] += len(action.order.rows)
                if len(preview) < PREVIEW_ORDERS:
                    preview.append(action.preview())
            done += len(chunk)
            _report(task, done, 0, PROGRESS_CHECK)
        conn.execute("BEGIN")
        conn.executemany(
            "INSERT OR IGNORE INTO bad VALUES (?)",
            [(e.raw_value,) for e in group_errors if e.column == "订单号"],
        )
        conn.execute("COMMIT")
    finally:
        conn.close()
    all_errors = sorted(errors + [e for e in group_errors], key=lambda e: e.row_no)
    unknown = tuple(m.header for m in mapping if m.status == "unknown")
    unused = tuple(m.header for m in mapping if m.status == "unused")
    warnings = list(plan_state.warnings())
    check = ImportCheck(
        path=str(info.path),
        file_name=info.path.name,
        sha256=info.sha256,
        kind="orders",
        generation=ec.generation(header),
        encoding=info.encoding,
        columns=mapping,
        unknown_columns=unknown,
        unused_columns=unused,
        rows_total=total,
        errors=tuple(all_errors),
        new=counts["new"],
        updated=counts["updated"],
        unchanged=counts["unchanged"],
        rows_new=row_counts["new"],
        rows_updated=row_counts["updated"],
        rows_unchanged=row_counts["unchanged"],
        preview=tuple(preview),
        warnings=tuple(warnings),
        already_imported=previous is not None,
        imported_at=previous,
        staging=staging,
    )
    weakref.finalize(check, shutil.rmtree, staging, True)
    return check


class _Merged:
    """One order of the file: its order-level values and its item rows."""

    __slots__ = ("items", "o", "order_sn", "rows")

    def __init__(self, order_sn: str, rows: list[int], o: dict[str, Any], items: list[dict[str, Any]]):
        self.order_sn = order_sn
        self.rows = rows
        self.o = o
        self.items = items


def _merged_chunks(
    conn: sqlite3.Connection,
    present: tuple[str, ...],
    header: list[str],
    found: dict[str, int],
    group_errors: list[RowError] | None,
) -> Iterator[list[_Merged]]:
    """Orders of the staging file in chunks of :data:`CHUNK`; orders with any bad row are skipped.

    Rows of one order must agree on every order-level column; when they do not, every row of
    the order is reported (``group_errors``) and the order is skipped.
    """
    order_keys = [k for k in present if k not in _ITEM_KEYS and k != "order_sn"]
    item_keys = [k for k in present if k in _ITEM_KEYS]
    pos = {k: i + 1 for i, k in enumerate(present)}
    o_pos = [(k, pos[k]) for k in order_keys]
    i_pos = [(k, pos[k]) for k in item_keys]
    sn_pos = pos["order_sn"]
    bad = {r[0] for r in conn.execute("SELECT order_sn FROM bad")}
    chunk: list[_Merged] = []

    def flush_group(group: list[tuple]) -> _Merged | None:
        sn = group[0][sn_pos]
        if sn in bad:
            if group_errors is not None:
                for r in group:
                    group_errors.append(RowError(r[0], "订单号", sn, "同一订单的其他行有错误，整单未导入"))
            return None
        first = group[0]
        for r in group[1:]:
            for k, p in o_pos:
                if r[p] != first[p]:
                    if group_errors is not None:
                        col = _COLS.get(k) or _COLS["status"]
                        header_text = header[found[col.key]]
                        group_errors.append(
                            RowError(
                                r[0],
                                header_text,
                                _display(k, r[p]),
                                f"与第 {first[0]} 行（同一订单）的{header_text}不一致："
                                f"{_display(k, first[p])}",
                            )
                        )
                        for other in group:
                            if other[0] != r[0]:
                                group_errors.append(
                                    RowError(other[0], "订单号", sn, "同一订单的各行不一致，整单未导入")
                                )
                    return None
        o = {k: first[p] for k, p in o_pos}
        items = [{k: r[p] for k, p in i_pos} for r in group]
        return _Merged(sn, [r[0] for r in group], o, items)

    group: list[tuple] = []
    for r in conn.execute("SELECT * FROM row ORDER BY order_sn, row_no"):
        if group and r[sn_pos] != group[0][sn_pos]:
            merged = flush_group(group)
            if merged is not None:
                chunk.append(merged)
                if len(chunk) >= CHUNK:
                    yield chunk
                    chunk = []
            group = []
        group.append(r)
    if group:
        merged = flush_group(group)
        if merged is not None:
            chunk.append(merged)
    if chunk:
        yield chunk


def _display(key: str, value: Any) -> str:
    if value is None:
        return ""
    if key.endswith("_fen"):
        return format_yuan_plain(int(value))
    if key.endswith("_at"):
        return format_ts(int(value))
    if key == "status":
        return OrderStatus(value).label
    return str(value)


# --------------------------------------------------------------------------------------------
# Plan: what one order of the file does to the shop
# --------------------------------------------------------------------------------------------


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
        self.couriers = {
            str(name): int(cid)
            for cid, name in database.execute_sql("SELECT id, name FROM courier").fetchall()
        }
        self.unknown_couriers: dict[str, int] = {}

    def courier_id(self, name: str) -> int | None:
        cid = self.couriers.get(name.strip())
        if cid is None and name:
            self.unknown_couriers[name] = self.unknown_couriers.get(name, 0) + 1
        return cid

    def warnings(self) -> Iterator[str]:
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


# --------------------------------------------------------------------------------------------
# Apply
# --------------------------------------------------------------------------------------------


def discard_check(check: ImportCheck) -> None:
    """Remove the staging files of a check that will not be applied."""
    if check.staging:
        shutil.rmtree(check.staging, ignore_errors=True)


def apply_import(
    check: ImportCheck, *, accept_partial: bool = False, task: TaskContext | None = None
) -> ImportResult:
    """Apply a checked file: all of it in one write transaction, or nothing.

    A file with bad rows is refused unless ``accept_partial`` (the user knowingly applies the
    good rows; the bad ones are recorded as rejected). A file applied before (same sha256)
    changes nothing and says so. A cancel rolls everything back.

    Raises:
        NotAllowed: bad rows without ``accept_partial``, or the staging data is gone.
    """
    if check.errors and not accept_partial:
        raise NotAllowed(
            f"文件有 {check.bad_rows} 行错误：请修改文件后重新检查，"
            "或选择“只导入正确的行”（错误的行将被记录为已拒绝）。"
        )
    previous = _previous_import(check.sha256)
    if previous is not None:
        discard_check(check)
        return ImportResult(
            None, check.kind, check.file_name, 0, 0, 0, 0, True, False, Changes(),
            f"此文件已于 {format_ts(previous)} 导入过，没有需要导入的内容。",
        )  # fmt: skip
    try:
        if check.kind == "goods":
            return import_goods.apply(check, task=task, record=_record_batch, result_type=ImportResult)
        return _apply_orders(check, task)
    finally:
        discard_check(check)


def _apply_orders(check: ImportCheck, task: TaskContext | None) -> ImportResult:
    db_file = os.path.join(check.staging, "rows.db")
    if not check.staging or not os.path.exists(db_file):
        raise NotAllowed("检查结果已过期，请重新检查文件")
    conn = _open_staging(check.staging)
    present = tuple(json.loads(conn.execute("SELECT v FROM meta WHERE k = 'present'").fetchone()[0]))
    header = [""] * len(present)  # group errors were reported by the check; not needed here
    found = {k: 0 for k in present}
    counts = {"new": 0, "updated": 0, "unchanged": 0}
    rows = {"new": 0, "updated": 0, "unchanged": 0}
    total = check.new + check.updated + check.unchanged
    now = clock.now()
    try:
        _report(task, 0, total, PROGRESS_APPLY)
        with write_transaction():
            if _previous_import(check.sha256) is not None:
                raise NotAllowed("此文件刚刚已被导入")
            st = _PlanState(present, now)
            db = database.connection()
            next_order = int(db.execute('SELECT COALESCE(MAX(id), 0) FROM "order"').fetchone()[0]) + 1
            next_package = int(db.execute("SELECT COALESCE(MAX(id), 0) FROM package").fetchone()[0]) + 1
            done = 0
            for chunk in _merged_chunks(conn, present, header, found, None):
                actions = _plan(chunk, st)
                next_order, next_package = _write(db, actions, next_order, next_package)
                for a in actions:
                    counts[a.kind] += 1
                    rows[a.kind] += len(a.order.rows)
                done += len(chunk)
                _report(task, done, total, PROGRESS_APPLY)
            batch_id = _record_batch(check, rows["new"], rows["updated"], rows["unchanged"], now)
    except Cancelled:
        return ImportResult(
            None, "orders", check.file_name, 0, 0, 0, 0, False, True, Changes(), "已取消，数据未改动。"
        )
    finally:
        conn.close()
    changed = counts["new"] + counts["updated"] > 0
    message = (
        f"已导入 {check.file_name}：新订单 {counts['new']} 个，更新 {counts['updated']} 个，"
        f"无变化 {counts['unchanged']} 个，拒绝 {check.bad_rows} 行。"
    )
    return ImportResult(
        batch_id, "orders", check.file_name, counts["new"], counts["updated"], counts["unchanged"],
        check.bad_rows, False, False, ORDER_CHANGES if changed else Changes(sync=True), message,
    )  # fmt: skip


def _write(db: Any, actions: list[_Action], next_order: int, next_package: int) -> tuple[int, int]:
    new_rows: list[tuple] = []
    items: list[tuple] = []
    packages: list[tuple] = []
    links: list[tuple] = []
    updates: dict[tuple[str, ...], list[tuple]] = {}
    for a in actions:
        if a.kind == "new":
            oid = next_order
            next_order += 1
            a.changes["id"] = oid
            new_rows.append(tuple(a.changes[c] for c in _NEW_COLS))
        else:
            oid = a.order_id
            if a.changes:
                cols = tuple(sorted(a.changes))
                updates.setdefault(cols, []).append((*(a.changes[c] for c in cols), oid))
        if a.items:
            items.extend((oid, *t) for t in a.items)
        if a.package is not None:
            number, cid, shipped, signed = a.package
            packages.append((next_package, cid, number, shipped, signed))
            links.append((next_package, oid))
            next_package += 1
    if new_rows:
        db.executemany(
            f'INSERT INTO "order" ({", ".join(_NEW_COLS)}) VALUES ({",".join("?" * len(_NEW_COLS))})',
            new_rows,
        )
    for cols, params in updates.items():
        db.executemany('UPDATE "order" SET ' + ", ".join(f"{c} = ?" for c in cols) + " WHERE id = ?", params)
    if items:
        db.executemany(_ITEM_INSERT, items)
    if packages:
        db.executemany(
            "INSERT INTO package (id, courier_id, tracking_number, "
            "kind, shipped_at, signed_at, is_exception, "
            "void_reason, sort_code, hub) VALUES (?, ?, ?, 'normal', ?, ?, 0, '', '', '')",
            packages,
        )
        db.executemany("INSERT INTO package_order (package_id, order_id) VALUES (?, ?)", links)
    return next_order, next_package


def _record_batch(check: ImportCheck, rows_new: int, rows_updated: int, rows_unchanged: int, now: int) -> int:
    db = database.connection()
    cur = db.execute(
        "INSERT INTO import_batch (kind, file_name, sha256, "
        "rows_total, rows_new, rows_updated, rows_unchanged, "
        "rows_rejected, state, created_at, applied_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'applied', ?, ?)",
        (
            check.kind,
            check.file_name,
            check.sha256,
            check.rows_total,
            rows_new,
            rows_updated,
            rows_unchanged,
            check.bad_rows,
            now,
            now,
        ),
    )
    batch_id = int(cur.lastrowid)
    db.executemany(
        "INSERT INTO import_row_error (batch_id, row_no, "
        '"column", raw_value, message) VALUES (?, ?, ?, ?, ?)',
        [(batch_id, e.row_no, e.column, e.raw_value, e.message) for e in check.errors],
    )
    return batch_id


# --------------------------------------------------------------------------------------------
# History
# --------------------------------------------------------------------------------------------


def list_imports(limit: int = 100) -> list[ImportBatchInfo]:
    """The latest imports, newest first."""
    rows = database.execute_sql(
        "SELECT id, kind, file_name, sha256, created_at, applied_at, rows_total, rows_new, rows_updated, "
        "rows_unchanged, rows_rejected, state FROM import_batch ORDER BY id DESC LIMIT ?",
        (int(limit),),
    ).fetchall()
    return [ImportBatchInfo(*r) for r in rows]


def import_errors(batch_id: int) -> list[RowError]:
    """The rejected rows of one import, by row."""
    rows = database.execute_sql(
        'SELECT row_no, "column", raw_value, message FROM '
        "import_row_error WHERE batch_id = ? ORDER BY row_no, id",
        (int(batch_id),),
    ).fetchall()
    return [RowError(*r) for r in rows]


# --------------------------------------------------------------------------------------------
# Export in the platform's layout
# --------------------------------------------------------------------------------------------

EXPORT_CHUNK = 500
EXPORT_PROGRESS = "正在导出订单"
#: The export writes the older full layout (it has the receiver columns) plus 订单创建时间.
EXPORT_HEADER: tuple[str, ...] = (*ec.OLD_ORDER_HEADER, "订单创建时间")

_EXPORT_SQL = (
    "SELECT o.id, o.order_sn, o.status, o.refund_status, o.goods_amount_fen, o.seller_discount_fen, "
    "o.platform_discount_fen, o.postage_fen, o.pay_amount_fen, o.merchant_receive_fen, {receiver}, "
    "o.receiver_name_mask, o.receiver_phone_mask, o.address_mask, o.risk_control_status, o.province, o.city, "
    "o.district, o.town, o.paid_at, o.group_formed_at, o.confirmed_at, o.ship_deadline_at, o.shipped_at, "
    "o.signed_at, o.is_lucky, o.seller_memo, o.buyer_memo, o.created_at, "
    "(SELECT p.tracking_number || char(31) || COALESCE(c.name, '') FROM package_order po "
    " JOIN package p ON p.id = po.package_id LEFT JOIN courier c ON c.id = p.courier_id "
    " WHERE po.order_id = o.id AND p.voided_at IS NULL AND p.kind = 'normal' ORDER BY p.id LIMIT 1) "
    'FROM "order" o WHERE o.id IN ({marks})'
)


@dataclass(frozen=True)
class PlatformExportResult:
    """What :func:`export_platform_orders` wrote."""

    path: str
    orders: int
    rows: int
    full_receiver: bool


def _money(fen: int | None) -> str:
    return "" if fen is None else format_yuan_plain(int(fen))


def export_platform_orders(
    path: Path | str,
    f: Any = None,
    *,
    full_receiver: bool = False,
    reason: str = "",
    task: TaskContext | None = None,
) -> PlatformExportResult:
    """Write orders in the platform's own order-export layout (one row per item), CSV or XLSX.

    ``f`` is an ``orders.OrderFilter`` (None = every order). Receiver name, phone and street are
    masked unless ``full_receiver``; an unmasked export is audited first (as
    ``orders.export_orders``). Importing the file back into the same shop changes nothing.
    """
    from pdd_desktop.services import orders as orders_service

    if f is None:
        ids = [r[0] for r in database.execute_sql('SELECT id FROM "order" ORDER BY id').fetchall()]
    else:
        ids = orders_service.search_ids(f, sort="urgency")
    total = len(ids)
    if full_receiver:
        orders_service.audit_receiver_export(orders=total, path=str(path), reason=reason, layout="platform")
    receiver = "o.receiver_name, o.receiver_phone, o.address_detail" if full_receiver else "'', '', ''"
    col = {h: i for i, h in enumerate(EXPORT_HEADER)}
    width = len(EXPORT_HEADER)

    def rows() -> Iterator[list[object]]:
        for start in range(0, total, EXPORT_CHUNK):
            _report(task, start, total, EXPORT_PROGRESS)
            block = ids[start : start + EXPORT_CHUNK]
            marks = ",".join("?" * len(block))
            orders = {
                r[0]: r
                for r in database.execute_sql(_EXPORT_SQL.format(receiver=receiver, marks=marks), block)
            }
            items: dict[int, list[tuple]] = {}
            for r in database.execute_sql(
                "SELECT order_id, goods_name, quantity, goods_id, spec, sku_id, outer_id, outer_goods_id "
                f"FROM order_item WHERE order_id IN ({marks}) ORDER BY order_id, id",
                block,
            ):
                items.setdefault(r[0], []).append(r[1:])
            for oid in block:
                o = orders.get(oid)
                if o is None:
                    continue
                (_id, sn, status, refund, goods, seller_d, platform_d, postage, pay, receive, name, phone,
                 detail, name_mask, phone_mask, detail_mask, risk, province, city, district, town, paid,
                 formed, confirmed, deadline, shipped, signed, lucky, seller_memo, buyer_memo, created,
                 parcel) = o  # fmt: skip
                number, courier = ([*parcel.split("\x1f", 1), ""])[:2] if parcel else ("", "")
                base = [""] * width
                for header, value in (
                    ("订单号", sn),
                    ("订单状态", ec.order_status_text(status, refund)),
                    ("商品总价(元)", _money(goods)),
                    ("店铺优惠折扣(元)", _money(seller_d)),
                    ("平台优惠折扣(元)", _money(platform_d)),
                    ("邮费(元)", _money(postage)),
                    ("用户实付金额(元)", _money(pay)),
                    ("商家实收金额(元)", _money(receive)),
                    ("收货人", name if full_receiver else name_mask),
                    ("手机", phone if full_receiver else phone_mask),
                    ("详细地址", detail if full_receiver else detail_mask),
                    ("是否审核中", "是" if risk else "否"),
                    ("省", province),
                    ("市", city),
                    ("区", district),
                    ("街道", town),
                    ("支付时间", format_ts(paid)),
                    ("拼单成功时间", format_ts(formed)),
                    ("订单确认时间", format_ts(confirmed)),
                    ("承诺发货时间", format_ts(deadline)),
                    ("发货时间", format_ts(shipped)),
                    ("确认收货时间", format_ts(signed)),
                    ("快递单号", number),
                    ("快递公司", courier),
                    ("是否抽奖或0元试用", "是" if lucky else "否"),
                    ("商家备注", seller_memo),
                    ("售后状态", ec.after_sales_text(refund)),
                    ("买家留言", buyer_memo),
                    ("订单创建时间", format_ts(created)),
                ):
                    base[col[header]] = value
                for goods_name, quantity, goods_id, spec, sku_id, outer_id, outer_goods_id in items.get(
                    oid, []
                ):
                    row = list(base)
                    row[col["商品"]] = goods_name
                    row[col["商品数量(件)"]] = quantity
                    row[col["商品id"]] = goods_id
                    row[col["商品规格"]] = spec
                    row[col["样式ID"]] = sku_id
                    row[col["商家编码-SKU维度"]] = outer_id
                    row[col["商家编码-商品维度"]] = outer_goods_id
                    yield row

    written = write_table(path, EXPORT_HEADER, rows(), fmt=format_for(path), sheet="订单")
    if task is not None:
        task.report(total, total, EXPORT_PROGRESS)
    return PlatformExportResult(str(path), total, written, full_receiver)
