"""Goods-and-stock sheets (商品/库存表): goods, SKUs, seller codes, prices in fen, stock.

Called by :mod:`pdd_desktop.services.imports` (which owns the public API and the result types).
A row names its SKU by 样式ID (``sku_id``) or, without one, by the SKU seller code
(商家编码-规格维度); an unknown SKU is a bad row unless the row has 商品id, 样式ID and 商品名称
(then the goods / SKU is created). The same SKU twice in a file is a bad row. A sheet is the
shop's wanted state: stock, prices and codes are taken as they are (a stock change is logged as
a ``stock_movement`` of kind ``import``), except for SKUs with a pending 库存/价格 change typed
here (an open ``set_stock`` / ``set_price`` op): those values stay until the platform has them.
Goods sheets are small (a shop has thousands of SKUs, not millions): the parsed rows are kept
in the check.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from pdd_desktop.common import clock
from pdd_desktop.common.changes import Changes
from pdd_desktop.common.task import Cancelled, TaskContext
from pdd_desktop.data.db import database, write_transaction
from pdd_desktop.data.models import CostPriceHistory
from pdd_desktop.domain import export_columns as ec
from pdd_desktop.domain import sync_rules
from pdd_desktop.domain.errors import ValidationError
from pdd_desktop.services import cost_history, goods_local
from pdd_desktop.services.import_kind import (
    ACTIONS,
    PROGRESS_APPLY,
    PROGRESS_CHECK,
    applied_file,
    cancelled_file,
    checked_file,
    report_progress,
)
from pdd_desktop.tabular.import_files import (
    ErrorCollector,
    FileInfo,
    RowError,
    extra_cells_error,
    map_columns,
)

GOODS_CHANGES = Changes(goods=True)
_COLS = {c.key: c for c in ec.GOODS_COLUMNS}
_SKU_VALUES = (
    "spec",
    "outer_id",
    "group_price_fen",
    "single_price_fen",
    "cost_price_fen",
    "stock",
    "low_stock_threshold",
)
_LOCKED = {"set_stock": ("stock",), "set_price": ("group_price_fen", "single_price_fen")}
#: Values the app's local edits bound (services/goods_local.py): key → (low, high, reason).
_RANGES: dict[str, tuple[int, int, str]] = {
    "cost_price_fen": (0, goods_local.MAX_COST_FEN, "成本价过大（最多 1000000.00 元）"),
    "low_stock_threshold": (
        0,
        goods_local.MAX_THRESHOLD,
        f"库存预警值应在 0 到 {goods_local.MAX_THRESHOLD:,} 之间",
    ),
    "promise_hours": (
        goods_local.MIN_PROMISE_HOURS,
        goods_local.MAX_PROMISE_HOURS,
        f"承诺发货时长应在 {goods_local.MIN_PROMISE_HOURS} 到 {goods_local.MAX_PROMISE_HOURS} 小时之间",
    ),
}


@dataclass(frozen=True)
class PreviewSku:
    """One good row of a goods sheet as the import sees it."""

    row_no: int
    sku_id: int | None
    goods_name: str
    spec: str
    outer_id: str
    stock: int | None
    group_price_fen: int | None
    action: str


def _parse(col: ec.Column, text: str) -> Any:
    if col.kind == ec.TEXT:
        return ec.check_text(text)
    if not text:
        return None
    if col.kind == ec.MONEY:
        return ec.parse_money(text)
    if col.kind == ec.INT:
        return ec.parse_int(text)
    return ec.parse_id(text)


class _Local:
    """The shop's SKUs and goods, for matching rows."""

    def __init__(self) -> None:
        self.skus: dict[int, dict[str, Any]] = {}
        self.by_code: dict[str, list[int]] = {}
        for sku_id, goods_id, spec, outer_id, single, group, cost, stock, threshold in database.execute_sql(
            "SELECT sku_id, goods_id, spec, outer_id, "
            "single_price_fen, group_price_fen, cost_price_fen, stock, low_stock_threshold "
            "FROM sku"
        ).fetchall():
            self.skus[sku_id] = {
                "goods_id": goods_id,
                "spec": spec,
                "outer_id": outer_id,
                "single_price_fen": single,
                "group_price_fen": group,
                "cost_price_fen": cost,
                "stock": stock,
                "low_stock_threshold": threshold,
            }
            if outer_id:
                self.by_code.setdefault(outer_id, []).append(sku_id)
        self.goods = {
            r[0]: (r[1], r[2], r[3])
            for r in database.execute_sql(
                "SELECT goods_id, name, outer_goods_id, promise_hours FROM goods"
            ).fetchall()
        }
        self.locked: dict[int, set[str]] = {}
        marks = ",".join("?" * len(sync_rules.OPEN_STATES))
        for op_type, remote_id, sku in database.execute_sql(
            "SELECT op_type, entity_remote_id, json_extract(payload_json, '$.sku_id') FROM outbox "
            f"WHERE op_type IN ('set_stock', 'set_price') AND state IN ({marks})",
            sync_rules.OPEN_STATES,
        ).fetchall():
            for key in (sku, remote_id):
                try:
                    self.locked.setdefault(int(key), set()).update(_LOCKED[op_type])
                except (TypeError, ValueError):
                    continue


def _plan_row(
    values: dict[str, Any], sku_id: int, local: _Local
) -> tuple[str, dict[str, Any], dict[str, Any]]:
    """(action, sku changes, goods changes) of one resolved row."""
    have = local.skus.get(sku_id)
    goods_id = values.get("goods_id") or (have["goods_id"] if have else None)
    goods_changes: dict[str, Any] = {}
    g = local.goods.get(goods_id) if goods_id is not None else None
    if g is not None:
        if values.get("goods_name") and values["goods_name"] != g[0]:
            goods_changes["name"] = values["goods_name"]
        if values.get("outer_goods_id") and values["outer_goods_id"] != g[1]:
            goods_changes["outer_goods_id"] = values["outer_goods_id"]
        if values.get("promise_hours") is not None and values["promise_hours"] != g[2]:
            goods_changes["promise_hours"] = values["promise_hours"]
    if have is None:
        return "new", dict(values), goods_changes
    locked = local.locked.get(sku_id, set())
    changes = {
        k: values[k]
        for k in _SKU_VALUES
        if values.get(k) not in (None, "") and values[k] != have[k] and k not in locked
    }
    return ("updated" if changes or goods_changes else "unchanged"), changes, goods_changes


def check(
    info: FileInfo,
    header_no: int,
    header: list[str],
    rows: Iterator[tuple[int, list[str]]],
    previous: int | None,
    *,
    task: TaskContext | None,
    result_type: type,
) -> Any:
    """Check a goods sheet (see the module docstring); returns an ``imports.ImportCheck``."""
    mapping, found = map_columns(header, ec.GOODS_COLUMNS)
    if not any(k in found for k in ec.GOODS_KEYS):
        raise ValidationError("表头", "缺少必需的列：样式ID 或 商家编码-规格维度")
    local = _Local()
    errors = ErrorCollector()
    records: list[tuple[int, int, dict[str, Any]]] = []
    seen: dict[int, int] = {}
    counts = dict.fromkeys(ACTIONS, 0)
    preview: list[PreviewSku] = []
    total = 0
    for row_no, cells in rows:
        if not any(cells):
            continue
        total += 1
        row_errors: list[RowError] = []
        values: dict[str, Any] = {}
        for key, idx in found.items():
            text = cells[idx] if idx < len(cells) else ""
            try:
                values[key] = _parse(_COLS[key], text)
            except ec.CellError as exc:
                row_errors.append(RowError(row_no, header[idx], text, str(exc)))
        for key, (low, high, message) in _RANGES.items():
            value = values.get(key)
            if value is not None and not low <= value <= high:
                idx = found[key]
                row_errors.append(
                    RowError(row_no, header[idx], cells[idx] if idx < len(cells) else "", message)
                )
        extra = extra_cells_error(row_no, cells, len(header))
        if extra is not None:
            row_errors.append(extra)

        def err(
            key: str, message: str, row_no: int = row_no, cells: list = cells, out: list = row_errors
        ) -> None:
            idx = found.get(key, 0)
            out.append(
                RowError(
                    row_no,
                    header[idx] if key in found else "",
                    cells[idx] if idx < len(cells) else "",
                    message,
                )
            )

        sku_id: int | None = None
        if not row_errors:
            if values.get("sku_id") is not None:
                sku_id = values["sku_id"]
                if sku_id not in local.skus and not (values.get("goods_id") and values.get("goods_name")):
                    err("sku_id", "找不到该规格（新规格需同时填写 商品id 和 商品名称）")
                    sku_id = None
            elif values.get("outer_id"):
                ids = local.by_code.get(values["outer_id"], [])
                if not ids:
                    err("outer_id", "找不到该商家编码的规格")
                elif len(ids) > 1:
                    err("outer_id", "该商家编码对应多个规格，请填写 样式ID")
                else:
                    sku_id = ids[0]
            else:
                err("sku_id" if "sku_id" in found else "outer_id", "没有 样式ID 或 商家编码")
            if sku_id is not None:
                if sku_id in seen:
                    err("sku_id" if "sku_id" in found else "outer_id", f"与第 {seen[sku_id]} 行是同一规格")
                    sku_id = None
                else:
                    seen[sku_id] = row_no
        if row_errors or sku_id is None:
            errors.extend(row_errors)
            continue
        action, _c, _g = _plan_row(values, sku_id, local)
        counts[action] += 1
        records.append((row_no, sku_id, values))
        if len(preview) < 50:
            have = local.skus.get(sku_id) or {}
            g = local.goods.get(values.get("goods_id") or have.get("goods_id"))
            preview.append(
                PreviewSku(
                    row_no,
                    sku_id,
                    values.get("goods_name") or (g[0] if g else ""),
                    values.get("spec") or have.get("spec", ""),
                    values.get("outer_id") or have.get("outer_id", ""),
                    values.get("stock"),
                    values.get("group_price_fen"),
                    action,
                )
            )
        if total % 1000 == 0:
            report_progress(task, total, 0, PROGRESS_CHECK)
    if total == 0:
        raise ValidationError("文件", "文件里没有数据行（只有表头）")
    locked_rows = sum(1 for _r, sku, _v in records if sku in local.locked)
    warnings = (
        (f"{locked_rows} 个规格有尚未上传的库存/价格修改：这些值保持本地的修改。",) if locked_rows else ()
    )
    return checked_file(
        result_type, info, previous, kind="goods", rows_total=total, counts=counts, mapping=mapping,
        errors=errors, preview=preview, warnings=warnings, records=tuple(records),
    )  # fmt: skip


def apply(check: Any, *, task: TaskContext | None, record: Callable[..., int], result_type: type) -> Any:
    """Write the good rows of a checked goods sheet in one transaction (re-planned inside it)."""
    now = clock.now()
    counts = dict.fromkeys(ACTIONS, 0)
    try:
        with write_transaction():
            local = _Local()
            db = database.connection()
            for n, (_row_no, sku_id, values) in enumerate(check.records, start=1):
                action, changes, goods_changes = _plan_row(values, sku_id, local)
                counts[action] += 1
                if goods_changes:
                    cols = sorted(goods_changes)
                    db.execute(
                        "UPDATE goods SET " + ", ".join(f"{c} = ?" for c in cols) + " WHERE goods_id = ?",
                        (
                            *(goods_changes[c] for c in cols),
                            values.get("goods_id") or local.skus[sku_id]["goods_id"],
                        ),
                    )
                if action == "new":
                    goods_id = values["goods_id"]
                    if goods_id not in local.goods:
                        db.execute(
                            "INSERT INTO goods (goods_id, name, short_name, "
                            "outer_goods_id, category, image_url, "
                            "is_onsale, promise_hours, market_price_fen, "
                            "created_at, platform_updated_at, remote_hash) "
                            "VALUES (?, ?, '', ?, '', '', 1, ?, 0, ?, NULL, NULL)",
                            (
                                goods_id,
                                values["goods_name"],
                                values.get("outer_goods_id") or "",
                                values.get("promise_hours") or 48,
                                now,
                            ),
                        )
                        local.goods[goods_id] = (
                            values["goods_name"],
                            values.get("outer_goods_id") or "",
                            values.get("promise_hours") or 48,
                        )
                    stock = values.get("stock") or 0
                    db.execute(
                        "INSERT INTO sku (sku_id, goods_id, spec, "
                        "outer_id, single_price_fen, group_price_fen, "
                        "cost_price_fen, stock, reserve_quantity, low_stock_threshold, weight_g, is_onsale, "
                        "platform_updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?, 0, 1, NULL)",
                        (
                            sku_id,
                            goods_id,
                            values.get("spec") or "",
                            values.get("outer_id") or "",
                            values.get("single_price_fen") or 0,
                            values.get("group_price_fen") or 0,
                            values.get("cost_price_fen"),
                            stock,
                            5 if values.get("low_stock_threshold") is None else values["low_stock_threshold"],
                        ),
                    )
                    if stock:
                        _movement(db, sku_id, now, stock, stock, check.file_name)
                    if values.get("cost_price_fen") is not None:
                        cost_history.record_change(
                            sku_id,
                            values["cost_price_fen"],
                            source=CostPriceHistory.SOURCE_IMPORT,
                            at=now,
                            note=f"导入 {check.file_name}",
                        )
                elif changes:
                    cols = sorted(changes)
                    db.execute(
                        "UPDATE sku SET " + ", ".join(f"{c} = ?" for c in cols) + " WHERE sku_id = ?",
                        (*(changes[c] for c in cols), sku_id),
                    )
                    if "stock" in changes:
                        delta = changes["stock"] - local.skus[sku_id]["stock"]
                        _movement(db, sku_id, now, delta, changes["stock"], check.file_name)
                    if "cost_price_fen" in changes:
                        cost_history.record_change(
                            sku_id,
                            changes["cost_price_fen"],
                            source=CostPriceHistory.SOURCE_IMPORT,
                            at=now,
                            note=f"导入 {check.file_name}",
                        )
                if n % 500 == 0:
                    report_progress(task, n, len(check.records), PROGRESS_APPLY)
            batch_id = record(check, counts["new"], counts["updated"], counts["unchanged"], now)
    except Cancelled:
        return cancelled_file(result_type, "goods", check.file_name)
    message = (
        f"已导入 {check.file_name}：新规格 {counts['new']} 个，更新 {counts['updated']} 个，"
        f"无变化 {counts['unchanged']} 个，拒绝 {check.bad_rows} 行。"
    )
    return applied_file(
        result_type, "goods", check.file_name, batch_id, counts, changes=GOODS_CHANGES, message=message,
        rejected=check.bad_rows,
    )  # fmt: skip


def _movement(db: Any, sku_id: int, now: int, delta: int, after: int, file_name: str) -> None:
    db.execute(
        "INSERT INTO stock_movement (sku_id, at, delta, "
        "stock_after, kind, note) VALUES (?, ?, ?, ?, 'import', ?)",
        (sku_id, now, delta, after, f"导入 {file_name}"[:200]),
    )
