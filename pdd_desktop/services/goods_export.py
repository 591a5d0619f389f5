"""Export goods and stock (导出商品/库存) in the layout the goods sheet import reads.

One row per SKU with the columns of :data:`~pdd_desktop.domain.export_columns.GOODS_HEADER`
(the platform's goods sheet plus the shop's own 成本价, 库存预警值 and 承诺发货时长), in the
order goods id, then SKU id. Importing the file back into the same shop changes nothing: every
value is written as the import parses it (yuan with two decimals, whole numbers, text as stored;
the CSV formula guard's leading ``'`` is stripped by the reader). A SKU with an unknown cost
leaves its 成本价 cell empty, which the import reads as "no value" (it never clears a cost).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pdd_desktop.common.task import TaskContext
from pdd_desktop.data.db import database
from pdd_desktop.domain import export_columns as ec
from pdd_desktop.domain.errors import NotAllowed
from pdd_desktop.domain.money import format_yuan_plain
from pdd_desktop.services import goods_local
from pdd_desktop.tabular.table_files import format_for, write_table

EXPORT_PROGRESS = "正在导出商品"
NO_GOODS_MESSAGE = "店铺还没有商品，没有可导出的内容；请先导入商品表或同步"
_HOURS_LOW, _HOURS_HIGH = goods_local.MIN_PROMISE_HOURS, goods_local.MAX_PROMISE_HOURS
_SQL = (
    "SELECT g.goods_id, g.name, g.outer_goods_id, s.sku_id, s.spec, s.outer_id, s.group_price_fen, "
    "s.single_price_fen, s.cost_price_fen, s.stock, s.low_stock_threshold, g.promise_hours "
    "FROM sku s JOIN goods g ON g.goods_id = s.goods_id ORDER BY g.goods_id, s.sku_id"
)


@dataclass(frozen=True)
class GoodsExportResult:
    """What :func:`export_goods` wrote: the file and its SKU rows."""

    path: str
    rows: int


def export_goods(path: Path | str, *, task: TaskContext | None = None) -> GoodsExportResult:
    """Write every SKU of the shop to ``path`` (``.csv`` or ``.xlsx``) in the goods sheet layout.

    Raises:
        NotAllowed: the shop has no SKU yet (no file is written).
        OSError: the file cannot be written (the caller shows the reason).
        Cancelled: the task was cancelled (the partial file is removed by ``write_table``'s caller).
    """
    rows = database.execute_sql(_SQL).fetchall()
    if not rows:
        raise NotAllowed(NO_GOODS_MESSAGE)
    total = len(rows)
    index = {key: i for i, key in enumerate(c.key for c in ec.GOODS_COLUMNS)}

    def lines() -> Iterator[list[object]]:
        for n, r in enumerate(rows):
            if task is not None and n % 500 == 0:
                task.report(n, total, EXPORT_PROGRESS)
                task.raise_if_cancelled()
            (goods_id, name, goods_code, sku_id, spec, code, group, single, cost, stock, threshold,
             hours) = r  # fmt: skip
            line: list[object] = [""] * len(index)
            for key, value in (
                ("goods_id", str(goods_id)),
                ("goods_name", name),
                ("outer_goods_id", goods_code or ""),
                ("sku_id", str(sku_id)),
                ("spec", spec or ""),
                ("outer_id", code or ""),
                ("group_price_fen", format_yuan_plain(int(group))),
                ("single_price_fen", format_yuan_plain(int(single))),
                ("cost_price_fen", "" if cost is None else format_yuan_plain(int(cost))),
                ("stock", int(stock)),
                ("low_stock_threshold", int(threshold)),
                # a value the import would refuse (an old row's 0) is left out, not invented
                ("promise_hours", int(hours) if _HOURS_LOW <= int(hours) <= _HOURS_HIGH else ""),
            ):
                line[index[key]] = value
            yield line

    written = write_table(path, ec.GOODS_HEADER, lines(), fmt=format_for(path), sheet="商品")
    if task is not None:
        task.report(total, total, EXPORT_PROGRESS)
    return GoodsExportResult(str(path), written)
