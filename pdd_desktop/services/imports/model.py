"""Order-import constants and the records its use cases return (check, result, history)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pdd_desktop.common.changes import Changes
from pdd_desktop.common.timefmt import format_ts
from pdd_desktop.domain import export_columns as ec
from pdd_desktop.domain.privacy import mask_address, mask_name, mask_phone
from pdd_desktop.services.import_kind import PROGRESS_APPLY as PROGRESS_APPLY
from pdd_desktop.services.import_kind import PROGRESS_CHECK as PROGRESS_CHECK
from pdd_desktop.tabular.import_files import (
    ColumnMapping,
    RowError,
)

#: Orders planned and written per step (one transaction holds them all).
CHUNK = 500
_IN = 500
PREVIEW_ORDERS = 50
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
    kind: str  #: a key of ``kinds.KINDS``: "orders" / "goods" / "ads" / "bills" / "cs_shop" / "cs_agent"
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
    #: Rows with an error, counted over the whole file (``errors`` keeps the first 1,000 errors
    #: and a "还有 N 处错误未列出" line); -1: count them in ``errors``.
    bad_row_count: int = -1

    @property
    def bad_rows(self) -> int:
        """Rows rejected (with at least one error)."""
        if self.bad_row_count >= 0:
            return self.bad_row_count
        return len({e.row_no for e in self.errors})

    @property
    def rows_ok(self) -> int:
        """Rows that would be applied."""
        return self.rows_total - self.bad_rows

    @property
    def summary(self) -> str:
        """The report's first lines, in Chinese."""
        what = {
            "orders": "订单", "goods": "规格", "ads": "推广数据行", "registrations": "报名记录",
            "cs_shop": "客服数据行", "cs_agent": "客服数据行",
        }.get(self.kind, "行")  # fmt: skip
        if self.already_imported:
            when = format_ts(self.imported_at) if self.imported_at else ""
            return f"此文件已于 {when} 导入过，没有需要导入的内容。"
        if self.kind == "bills":
            lines = [
                f"{self.file_name}：账单明细 {self.rows_total} 行，有错误 {self.bad_rows} 行"
                + ("（账单有错误时整个文件都不导入）。" if self.bad_rows else "。"),
                f"新的账单行 {self.new} 行 · 以前已导入过 {self.unchanged} 行（重叠的日期不重复计入）。",
            ]
            lines.extend(self.warnings)
            return "\n".join(lines)
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
