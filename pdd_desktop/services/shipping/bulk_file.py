"""The platform's bulk-ship file (批量发货): check, apply, export."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Literal

from pdd_desktop.common import clock
from pdd_desktop.common.changes import Changes
from pdd_desktop.common.task import Cancelled, TaskContext
from pdd_desktop.data.db import database, write_transaction
from pdd_desktop.domain import shipping as rules
from pdd_desktop.domain.courier_names import courier_key, courier_lookup
from pdd_desktop.domain.errors import NotAllowed, ValidationError
from pdd_desktop.domain.orders import OrderStatus
from pdd_desktop.services.shipping import model
from pdd_desktop.services.shipping.batches import _report
from pdd_desktop.services.shipping.model import (
    SHIP_CHANGES,
    UNACKNOWLEDGED_STATES,
    BatchShipResult,
    BulkRowError,
    BulkShipCheck,
    BulkShipRow,
    ShippedOrder,
    SkippedOrder,
)
from pdd_desktop.services.shipping.reading import (
    _couriers,
    _live_number_owners,
    _load_orders,
    _load_orders_by_sn,
    _reservations,
    _used_number_message,
)
from pdd_desktop.services.shipping.writer import _Plan, _write_shipments
from pdd_desktop.tabular import import_files
from pdd_desktop.tabular.import_files import ErrorCollector
from pdd_desktop.tabular.table_files import write_table

COL_ORDER = "订单号"
COL_COURIER = "快递公司"
COL_NUMBER = "快递单号"
REQUIRED_COLUMNS = (COL_ORDER, COL_COURIER, COL_NUMBER)
#: Other header texts merchants use for the same columns.
_HEADER_ALIASES = {
    "订单编号": COL_ORDER,
    "物流公司": COL_COURIER,
    "运单号": COL_NUMBER,
    "物流单号": COL_NUMBER,
}
_SCIENTIFIC = re.compile(r"^\d+(\.\d+)?[eE]\+?\d+$")
#: Non-empty rows searched for the header row.
_HEADER_SEARCH_ROWS = 5


def _header_map(rows: Iterator[tuple[int, list[str]]]) -> dict[str, int]:
    """Column name → cell index, read from the header row; ``rows`` is left just after it.

    The header is the first row naming any required column, among the first few non-empty rows
    (a title line above the header is tolerated).
    """
    seen = 0
    for _n, texts in rows:
        if not any(texts):
            continue
        columns: dict[str, int] = {}
        for idx, text in enumerate(texts):
            name = _HEADER_ALIASES.get(text, text)
            if name in REQUIRED_COLUMNS and name not in columns:
                columns[name] = idx
        seen += 1
        if not columns and seen < _HEADER_SEARCH_ROWS:
            continue
        missing = [c for c in REQUIRED_COLUMNS if c not in columns]
        if missing:
            raise ValidationError(
                "表头", f"缺少必需的列：{'、'.join(missing)}（需要 订单号、快递公司、快递单号）"
            )
        return columns
    if seen:
        raise ValidationError(
            "表头", f"缺少必需的列：{'、'.join(REQUIRED_COLUMNS)}（需要 订单号、快递公司、快递单号）"
        )
    raise ValidationError("文件", "文件是空的")


def check_bulk_ship_file(path: Path | str) -> BulkShipCheck:
    """Read and check every row of a bulk-ship file (CSV or XLSX: 订单号, 快递公司, 快递单号).

    Nothing is written. Each problem names the row (header = row 1), the column, the raw value
    and the reason; rows without problems are returned as good rows.

    Raises:
        ValidationError: the file cannot be read, is empty, or lacks a required column.
    """
    info = import_files.inspect_file(path)
    records: list[tuple[int, str, str, str]] = []
    with closing(import_files.iter_rows(info)) as rows:
        columns = _header_map(rows)
        for row_no, cells in rows:

            def cell(name: str, cells: list[str] = cells) -> str:
                idx = columns[name]
                return cells[idx] if idx < len(cells) else ""

            values = (cell(COL_ORDER), cell(COL_COURIER), cell(COL_NUMBER))
            if any(values):
                records.append((row_no, *values))
    if not records:
        raise ValidationError("文件", "文件里没有数据行（只有表头）")

    couriers = _couriers()
    # 圆通 = 圆通速递 = 圆通快递 = YTO: the one alias table of domain/courier_names
    by_key = courier_lookup(list(couriers.values()), lambda c: c.name, lambda c: c.code)
    orders = _load_orders_by_sn([r[1] for r in records if r[1]])
    candidates = []
    for r in records:
        courier = by_key.get(courier_key(r[2])) if r[2] else None
        try:
            candidates.append(rules.check_tracking_number(courier.pattern if courier else "", r[3]))
        except ValidationError:
            continue
    owners = _live_number_owners(candidates)
    reserved = _reservations(candidates)

    good: list[BulkShipRow] = []
    errors = ErrorCollector()
    first_order_row: dict[str, int] = {}
    first_number_row: dict[str, int] = {}
    for row_no, raw_sn, raw_courier, raw_number in records:
        row_errors: list[BulkRowError] = []

        def err(
            column: str, raw: str, message: str, row_no: int = row_no, row_errors: list = row_errors
        ) -> None:
            row_errors.append(BulkRowError(row_no, column, raw, message))

        order = orders.get(raw_sn)
        if not raw_sn:
            err(COL_ORDER, raw_sn, "订单号为空")
        elif raw_sn in first_order_row:
            err(COL_ORDER, raw_sn, f"订单号与第 {first_order_row[raw_sn]} 行重复")
        elif order is None:
            err(COL_ORDER, raw_sn, "找不到该订单（请先导入或同步订单）")
        else:
            guard = order.guard()
            if not guard.allowed:
                err(COL_ORDER, raw_sn, guard.reason or "")
        if raw_sn:
            first_order_row.setdefault(raw_sn, row_no)

        courier = by_key.get(courier_key(raw_courier)) if raw_courier else None
        if not raw_courier:
            err(COL_COURIER, raw_courier, "快递公司为空")
        elif courier is None:
            err(COL_COURIER, raw_courier, "找不到该快递公司，请填写平台上的名称（如 中通快递）")
        elif not courier.available:
            err(COL_COURIER, raw_courier, f"{courier.name}已停用")

        number = ""
        if _SCIENTIFIC.match(raw_number):
            err(COL_NUMBER, raw_number, "单号被 Excel 变成了科学计数法，请把该列设为“文本”后重新填写")
        else:
            try:
                number = rules.check_tracking_number(
                    courier.pattern if courier else "", raw_number, courier.name if courier else ""
                )
            except ValidationError as exc:
                err(COL_NUMBER, raw_number, str(exc).split("：", 1)[-1])
        if number:
            if number in first_number_row:
                err(COL_NUMBER, raw_number, f"快递单号与第 {first_number_row[number]} 行重复")
            elif number in owners:
                err(COL_NUMBER, raw_number, _used_number_message(number, owners[number]))
            elif number in reserved and (order is None or reserved[number][0] != order.id):
                err(COL_NUMBER, raw_number, f"{number} 是订单 {reserved[number][1]} 已打印面单的单号")
            first_number_row.setdefault(number, row_no)

        if row_errors:
            errors.extend(row_errors)
        else:
            assert order is not None and courier is not None
            good.append(BulkShipRow(row_no, order.id, order.order_sn, courier.id, courier.name, number))
    return BulkShipCheck(
        info.path.name, info.sha256, len(records), tuple(good), errors.finish(), errors.bad_rows
    )


def apply_bulk_ship(check: BulkShipCheck, *, task: TaskContext | None = None) -> BatchShipResult:
    """Ship the good rows of a checked file, all in ONE transaction.

    Everything is checked again inside the transaction; if anything changed since the check
    (an order shipped or got a refund request, a number was used), nothing ships. The file and
    its rejected rows are recorded as an import batch. A cancel rolls everything back.

    Raises:
        NotAllowed: the data changed since the check (the message lists the rows).
    """
    rows = check.good
    rejected = tuple(SkippedOrder(None, "", f"{e.column}：{e.message}", e.row_no) for e in check.errors)
    total = len(rows)
    if not rows:
        return BatchShipResult((), rejected, (), False, Changes())
    now = clock.now()
    _report(task, 0, total)
    try:
        with write_transaction():
            orders = _load_orders([r.order_id for r in rows])
            couriers = _couriers()
            owners = _live_number_owners([r.tracking_number for r in rows])
            reserved = _reservations([r.tracking_number for r in rows])
            problems = []
            plans = []
            for r in rows:
                order = orders.get(r.order_id)
                held = reserved.get(r.tracking_number)
                if r.tracking_number not in owners and held is not None and held[0] != r.order_id:
                    owners[r.tracking_number] = held[1]
                courier = couriers.get(r.courier_id)
                reason = None
                if order is None or order.order_sn != r.order_sn:
                    reason = "订单已不存在"
                elif not order.guard().allowed:
                    reason = order.guard().reason
                elif courier is None or not courier.available:
                    reason = "快递公司已不可用"
                elif r.tracking_number in owners:
                    reason = "快递单号" + _used_number_message(r.tracking_number, owners[r.tracking_number])
                if reason:
                    problems.append(f"第 {r.row_no} 行（{r.order_sn}）：{reason}")
                else:
                    assert order is not None
                    plans.append(_Plan((order,), courier, r.tracking_number, source="file"))
            if problems:
                more = f"\n……共 {len(problems)} 行" if len(problems) > 10 else ""
                raise NotAllowed(
                    "检查文件后数据有变化，没有发货任何订单，请重新检查文件：\n"
                    + "\n".join(problems[:10])
                    + more
                )
            shipped: list[ShippedOrder] = []
            for start in range(0, total, model.CHUNK):
                if task is not None:
                    task.raise_if_cancelled()
                shipped.extend(_write_shipments(plans[start : start + model.CHUNK], now, actor="import"))
                _report(task, min(total, start + model.CHUNK), total)
            _record_import(check, len(shipped), now)
    except Cancelled:
        return BatchShipResult((), rejected, tuple(r.order_id for r in rows), True, Changes())
    return BatchShipResult(tuple(shipped), rejected, (), False, SHIP_CHANGES)


def _record_import(check: BulkShipCheck, shipped: int, now: int) -> None:
    conn = database.connection()
    cur = conn.execute(
        "INSERT INTO import_batch (kind, file_name, sha256, rows_total, rows_new, rows_updated, "
        "rows_unchanged, rows_rejected, state, created_at, applied_at) "
        "VALUES ('bulk_ship', ?, ?, ?, ?, 0, 0, ?, 'applied', ?, ?)",
        (check.file_name, check.sha256, check.rows_total, shipped, check.bad_rows, now, now),
    )
    batch_id = cur.lastrowid
    conn.executemany(
        'INSERT INTO import_row_error (batch_id, row_no, "column", raw_value, message) '
        "VALUES (?, ?, ?, ?, ?)",
        [(batch_id, e.row_no, e.column, e.raw_value, e.message) for e in check.errors],
    )


def _export_rows() -> list[tuple[str, str, str]]:
    marks = ",".join("?" * len(UNACKNOWLEDGED_STATES))
    return database.execute_sql(
        'SELECT o.order_sn, c.name, p.tracking_number FROM "order" o '
        "JOIN package_order po ON po.order_id = o.id JOIN package p ON p.id = po.package_id "
        "JOIN courier c ON c.id = p.courier_id "
        # Driven from the few unacknowledged outbox ops (state index), never a scan of all
        # shipped orders: the EXISTS form took 2 s on a million orders.
        "WHERE o.order_sn IN (SELECT ob.entity_remote_id FROM outbox ob WHERE +ob.entity_type = 'order' "
        f"AND ob.op_type IN ('ship_order', 'modify_shipment') AND ob.state IN ({marks})) "
        "AND +o.status IN (?, ?) AND p.voided_at IS NULL AND p.kind = 'normal' AND p.tracking_number != '' "
        "ORDER BY o.shipped_at, o.order_sn, p.id",
        (*UNACKNOWLEDGED_STATES, int(OrderStatus.SHIPPED), int(OrderStatus.SIGNED)),
    ).fetchall()


def export_bulk_ship_file(path: Path | str, *, fmt: Literal["csv", "xlsx"]) -> int:
    """Write the platform's bulk-ship upload file for shipments it has not acknowledged yet.

    One row (订单号, 快递公司, 快递单号) per live main package of each order whose ship/modify op is
    pending, in flight, unknown or failed. CSV is UTF-8 with BOM (Excel opens it right); XLSX
    cells are text, so order and tracking numbers never turn into numbers. The file is written
    beside the target and renamed into place.

    Returns:
        Rows written (without the header).
    """
    if fmt not in ("csv", "xlsx"):
        raise ValidationError("文件格式", f"应为 csv 或 xlsx，收到 {fmt!r}")
    rows = _export_rows()
    write_table(path, REQUIRED_COLUMNS, rows, fmt=fmt, sheet="批量发货")
    return len(rows)
