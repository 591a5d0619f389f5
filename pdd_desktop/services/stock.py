"""Stock take (盘点) and inbound receipts (入库): stock changes with a reason, pushed like stock edits.

**Stock take.** A count sheet names each SKU by 样式ID or by its seller code (商家编码-规格维度)
and gives the counted quantity (盘点数量). :func:`check_stocktake` reads the whole sheet and
writes nothing: bad rows are reported (row, column, value, reason) and the good ones compared
with the shop's stock. :func:`apply_stocktake` is all or nothing: a sheet with any bad row is
refused, and in one transaction every SKU whose count differs gets its stock set to the count,
a ``stock_movement`` of kind ``stocktake`` (delta = counted − stock, the reason in its note), a
``set_stock`` outbox op (base = the stock before, as :func:`services.goods.set_sku_stock`) and
an audit row. A SKU whose stock moved between the check and the apply (a shipment, a sync)
refuses the apply, so every difference written is exactly the one the merchant saw.

**Inbound receipt.** :func:`receive_inbound` adds purchased units (movement ``inbound``, the
same ``set_stock`` op) and updates the SKU's cost price as a **moving average** over the units
on hand: ``(cost × on-hand + unit cost × received) ÷ (on-hand + received)``, rounded to the
nearest fen (half up), where on-hand is the stock before the receipt (never below 0). A SKU
without a cost takes the receipt's unit cost. The average (not the last cost) keeps the profit
of units bought earlier at their price. The previous cost is kept in the audit row (a cost
history table is not part of the schema yet).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from pdd_desktop.common import clock
from pdd_desktop.common.changes import Changes
from pdd_desktop.common.task import TaskContext
from pdd_desktop.data.db import database, write_transaction
from pdd_desktop.data.models import AuditLog, CostPriceHistory, StockMovement
from pdd_desktop.domain import export_columns as ec
from pdd_desktop.domain.errors import NotAllowed, ValidationError
from pdd_desktop.domain.money import format_yuan_plain
from pdd_desktop.services import cost_history, goods_local
from pdd_desktop.services.goods import MAX_STOCK, _queue
from pdd_desktop.tabular.import_files import (
    ErrorCollector,
    RowError,
    extra_cells_error,
    find_header,
    inspect_file,
    iter_rows,
    map_columns,
)
from pdd_desktop.tabular.table_files import format_for, write_table

GOODS_CHANGES = Changes(goods=True)
KIND_STOCKTAKE = "stocktake"
KIND_INBOUND = "inbound"
#: Columns of a count sheet.
COUNT_COLUMNS: tuple[ec.Column, ...] = (
    ec.Column("sku_id", ("样式ID", "样式id", "规格ID", "SKU ID", "skuID", "sku_id"), ec.ID),
    ec.Column(
        "outer_id", ("商家编码-规格维度", "商家编码-SKU维度", "规格编码", "SKU编码", "商家编码"), ec.TEXT
    ),
    ec.Column("counted", ("盘点数量", "实盘数量", "实际库存", "盘点库存"), ec.INT),
)
#: The header of the count sheet template the page offers.
COUNT_HEADER: tuple[str, ...] = (
    "样式ID",
    "商家编码-规格维度",
    "商品名称",
    "商品规格",
    "账面库存",
    "盘点数量",
)
#: Longest reason kept in a movement's note.
MAX_REASON_CHARS = 100


@dataclass(frozen=True)
class CountLine:
    """One good row of a count sheet: the SKU, the stock when checked and the count."""

    row_no: int
    sku_id: int
    goods_name: str
    spec: str
    outer_id: str
    stock: int
    counted: int

    @property
    def delta(self) -> int:
        """Counted minus the shop's stock (negative: units missing)."""
        return self.counted - self.stock


@dataclass(frozen=True)
class StocktakeCheck:
    """A read count sheet: good lines, bad rows (nothing written yet)."""

    path: str
    file_name: str
    lines: tuple[CountLine, ...]
    errors: tuple[RowError, ...]
    bad_rows: int

    @property
    def differing(self) -> tuple[CountLine, ...]:
        """Lines whose count differs from the stock."""
        return tuple(line for line in self.lines if line.delta)


@dataclass(frozen=True)
class StocktakeResult:
    """What :func:`apply_stocktake` changed."""

    changed: int
    unchanged: int
    units_added: int
    units_removed: int
    changes: Changes


def check_stocktake(path: Path | str, *, task: TaskContext | None = None) -> StocktakeCheck:
    """Read a count sheet and compare it with the shop's stock; writes nothing.

    Raises:
        ValidationError: unreadable file, no SKU column or no 盘点数量 column, or no data rows.
    """
    info = inspect_file(path)
    rows = iter_rows(info)
    _header_no, header = find_header(rows)
    _mapping, found = map_columns(header, COUNT_COLUMNS)
    if "counted" not in found or not ({"sku_id", "outer_id"} & set(found)):
        raise ValidationError("表头", "盘点表需要 样式ID（或 商家编码-规格维度）和 盘点数量 两列")
    skus: dict[int, tuple] = {}
    by_code: dict[str, list[int]] = {}
    for sku_id, name, spec, code, stock in database.execute_sql(
        "SELECT s.sku_id, g.name, s.spec, s.outer_id, s.stock FROM sku s "
        "JOIN goods g ON g.goods_id = s.goods_id"
    ).fetchall():
        skus[int(sku_id)] = (name, spec or "", code or "", int(stock))
        if code:
            by_code.setdefault(code, []).append(int(sku_id))
    cols = {c.key: c for c in COUNT_COLUMNS}
    errors = ErrorCollector()
    lines: list[CountLine] = []
    seen: dict[int, int] = {}
    total = 0
    for row_no, cells in rows:
        if not any(cells):
            continue
        total += 1
        row_errors: list[RowError] = []

        def cell(key: str, cells: list[str] = cells) -> str:
            idx = found.get(key)
            return "" if idx is None or idx >= len(cells) else cells[idx]

        def err(key: str, message: str, row_no: int = row_no, out: list = row_errors) -> None:
            out.append(RowError(row_no, header[found[key]] if key in found else "", cell(key), message))

        values: dict[str, object] = {}
        for key in found:
            text = cell(key)
            try:
                if cols[key].kind == ec.TEXT:
                    values[key] = ec.check_text(text)
                elif text:
                    values[key] = ec.parse_id(text) if cols[key].kind == ec.ID else ec.parse_int(text)
            except ec.CellError as exc:
                err(key, str(exc))
        extra = extra_cells_error(row_no, cells, len(header))
        if extra is not None:
            row_errors.append(extra)
        counted = values.get("counted")
        if not row_errors and counted is None:
            err("counted", "没有填写盘点数量")
        elif isinstance(counted, int) and counted > MAX_STOCK:
            err("counted", f"盘点数量超过平台上限 {MAX_STOCK:,}")
        sku_id: int | None = None
        if not row_errors:
            if values.get("sku_id") is not None:
                sku_id = int(values["sku_id"])  # type: ignore[call-overload]
                if sku_id not in skus:
                    err("sku_id", "找不到该规格")
                    sku_id = None
            elif values.get("outer_id"):
                ids = by_code.get(str(values["outer_id"]), [])
                if not ids:
                    err("outer_id", "找不到该商家编码的规格")
                elif len(ids) > 1:
                    err("outer_id", "该商家编码对应多个规格，请填写 样式ID")
                else:
                    sku_id = ids[0]
            else:
                err("sku_id" if "sku_id" in found else "outer_id", "没有 样式ID 或 商家编码")
            if sku_id is not None and sku_id in seen:
                err("sku_id" if "sku_id" in found else "outer_id", f"与第 {seen[sku_id]} 行是同一规格")
                sku_id = None
        if row_errors or sku_id is None:
            errors.extend(row_errors)
            continue
        seen[sku_id] = row_no
        name, spec, code, stock = skus[sku_id]
        lines.append(CountLine(row_no, sku_id, name, spec, code, stock, int(counted)))  # type: ignore[arg-type]
        if task is not None and total % 1000 == 0:
            task.report(total, 0, "正在检查盘点表")
            task.raise_if_cancelled()
    if total == 0:
        raise ValidationError("文件", "文件里没有数据行（只有表头）")
    return StocktakeCheck(str(info.path), info.path.name, tuple(lines), errors.finish(), errors.bad_rows)


def export_count_sheet(path: Path | str, *, task: TaskContext | None = None) -> int:
    """Write the count sheet template: every SKU with its book stock and an empty 盘点数量.

    The columns are :data:`COUNT_HEADER` (样式ID first, so the check finds each SKU by id even
    when seller codes repeat), ordered by goods name then spec, as a merchant walks the shelves.
    The merchant fills 盘点数量 (deleting the rows not counted) and imports it with 盘点导入.
    Returns the SKU rows written.

    Raises:
        NotAllowed: the shop has no SKU yet (no file is written).
        OSError: the file cannot be written.
    """
    rows = database.execute_sql(
        "SELECT s.sku_id, s.outer_id, g.name, s.spec, s.stock FROM sku s "
        "JOIN goods g ON g.goods_id = s.goods_id ORDER BY g.name, g.goods_id, s.spec, s.sku_id"
    ).fetchall()
    if not rows:
        raise NotAllowed("店铺还没有商品，无法生成盘点表；请先导入商品表或同步")
    total = len(rows)

    def progress(n: int) -> None:
        if task is not None:
            task.report(n, total, "正在导出盘点表")
            task.raise_if_cancelled()

    lines = (
        [str(sku_id), code or "", name, spec or "", int(stock), ""]
        for sku_id, code, name, spec, stock in rows
    )
    return write_table(path, COUNT_HEADER, lines, fmt=format_for(path), sheet="盘点表", on_row=progress)


def _reason(reason: str) -> str:
    text = goods_local.check_code(reason, "原因") if reason else ""
    if len(text) > MAX_REASON_CHARS:
        raise ValidationError("原因", f"最长 {MAX_REASON_CHARS} 个字符")
    return text


def _audit(action: str, sku_id: int, now: int, detail: dict) -> None:
    AuditLog.create(
        at=now,
        actor="user",
        action=action,
        entity_type="sku",
        entity_id=str(sku_id),
        detail_json=json.dumps(detail, ensure_ascii=False),
    )


def apply_stocktake(check: StocktakeCheck, *, reason: str = "") -> StocktakeResult:
    """Write the differences of a checked count sheet in one transaction (see the module docstring).

    Raises:
        NotAllowed: the sheet has bad rows, or a SKU's stock changed since the check (nothing
            written; check the sheet again).
        ValidationError: a bad reason.
    """
    if check.errors:
        raise NotAllowed(f"盘点表有 {check.bad_rows:,} 行有问题，请改正后重新检查；没有修改任何库存")
    why = _reason(reason)
    note = f"盘点 {check.file_name}" + (f"：{why}" if why else "")
    now = clock.now()
    added = removed = changed = 0
    with write_transaction():
        for line in check.lines:
            row = database.execute_sql(
                "SELECT goods_id, stock FROM sku WHERE sku_id = ?", (line.sku_id,)
            ).fetchone()
            if row is None:
                raise NotAllowed(f"规格ID {line.sku_id} 已被删除，请重新检查盘点表；没有修改任何库存")
            goods_id, stock = int(row[0]), int(row[1])
            if stock != line.stock:
                raise NotAllowed(
                    f"第 {line.row_no} 行「{line.goods_name} {line.spec}」的库存已从 {line.stock} "
                    f"变为 {stock}（发货或同步改动了它），请重新检查盘点表；没有修改任何库存"
                )
            if not line.delta:
                continue
            _queue(
                op_type="set_stock",
                entity_type="sku",
                entity_id=line.sku_id,
                payload={"goods_id": goods_id, "sku_id": line.sku_id, "quantity": line.counted},
                base={"quantity": stock},
                now=now,
                superseded_note="被盘点取代",
            )
            database.execute_sql("UPDATE sku SET stock = ? WHERE sku_id = ?", (line.counted, line.sku_id))
            StockMovement.create(
                sku=line.sku_id,
                at=now,
                delta=line.delta,
                stock_after=line.counted,
                kind=KIND_STOCKTAKE,
                note=note,
            )
            _audit(
                "stocktake", line.sku_id, now, {"from": stock, "to": line.counted, "file": check.file_name}
            )
            changed += 1
            if line.delta > 0:
                added += line.delta
            else:
                removed -= line.delta
    return StocktakeResult(
        changed, len(check.lines) - changed, added, removed, GOODS_CHANGES if changed else Changes()
    )


def moving_average_cost(cost_fen: int | None, on_hand: int, unit_cost_fen: int, received: int) -> int:
    """The cost after a receipt: the average over on-hand and received units, half up to the fen."""
    on_hand = max(on_hand, 0)
    if cost_fen is None or on_hand == 0:
        return unit_cost_fen
    total = cost_fen * on_hand + unit_cost_fen * received
    units = on_hand + received
    return (2 * total + units) // (2 * units)


def receive_inbound(*, sku_id: int, quantity: int, unit_cost_fen: int | None, note: str = "") -> Changes:
    """入库: add ``quantity`` purchased units to a SKU's stock, at ``unit_cost_fen`` each.

    One transaction: stock + quantity, a movement ``inbound``, a ``set_stock`` op (base = the
    stock before), the cost price as the moving average (unchanged when no unit cost is given)
    and an audit row with the cost before and after.

    Raises:
        ValidationError: quantity not 1 … 9,999,999, a bad unit cost or note (nothing written).
        NotAllowed: unknown SKU, or the stock would pass the platform's upper bound.
    """
    if not isinstance(quantity, int) or isinstance(quantity, bool) or not 1 <= quantity <= MAX_STOCK:
        raise ValidationError("入库数量", f"应为 1 到 {MAX_STOCK:,} 之间的整数，收到 {quantity!r}")
    unit = None if unit_cost_fen is None else goods_local.check_cost_price(unit_cost_fen)
    why = _reason(note)
    now = clock.now()
    with write_transaction():
        row = database.execute_sql(
            "SELECT s.goods_id, s.stock, s.cost_price_fen, g.name, s.spec FROM sku s "
            "JOIN goods g ON g.goods_id = s.goods_id WHERE s.sku_id = ?",
            (sku_id,),
        ).fetchone()
        if row is None:
            raise NotAllowed(f"规格不存在或已被删除（规格ID {sku_id}）")
        goods_id, stock, cost = int(row[0]), int(row[1]), row[2]
        after = stock + quantity
        if after > MAX_STOCK:
            raise NotAllowed(f"入库后库存 {after:,} 超过平台上限 {MAX_STOCK:,}")
        new_cost = cost if unit is None else moving_average_cost(cost, stock, unit, quantity)
        _queue(
            op_type="set_stock",
            entity_type="sku",
            entity_id=sku_id,
            payload={"goods_id": goods_id, "sku_id": sku_id, "quantity": after},
            base={"quantity": stock},
            now=now,
            superseded_note="被入库取代",
        )
        database.execute_sql(
            "UPDATE sku SET stock = ?, cost_price_fen = ? WHERE sku_id = ?", (after, new_cost, sku_id)
        )
        cost_text = "" if unit is None else f"，单价 {format_yuan_plain(unit)} 元"
        if new_cost != cost:
            cost_history.record_change(
                sku_id,
                new_cost,
                source=CostPriceHistory.SOURCE_INBOUND,
                at=now,
                note=f"入库 {quantity} 件{cost_text}",
            )
        StockMovement.create(
            sku=sku_id,
            at=now,
            delta=quantity,
            stock_after=after,
            kind=KIND_INBOUND,
            note=f"入库 {quantity} 件{cost_text}" + (f"：{why}" if why else ""),
        )
        _audit(
            "inbound",
            sku_id,
            now,
            {
                "quantity": quantity,
                "stock": [stock, after],
                "unit_cost_fen": unit,
                "cost_fen": [cost, new_cost],
            },
        )
    return GOODS_CHANGES
