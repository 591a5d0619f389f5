"""The file route (issue 6): import the platform's order export and goods sheets; export its layout.

Two steps, so the user sees the whole report before anything changes:

- :func:`check_import_file` reads the whole file (CSV in UTF-8 / UTF-8 with BOM / GB18030, or
  XLSX; streamed) and writes **nothing** to the shop: every row is checked, the rows of one order
  are merged, every bad row is reported (row, column, raw value, reason) and the good orders are
  compared with the database (new / updated / unchanged). The parsed rows wait in a temporary
  staging SQLite file (``ImportCheck.staging``, in the shop's ``staging/`` folder, owner-only; see
  ``services/staging.py``), so memory stays flat for a 200,000-row export.
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

from pdd_desktop.services.imports.apply import apply_import, discard_check
from pdd_desktop.services.imports.check import check_import_file
from pdd_desktop.services.imports.export import export_platform_orders
from pdd_desktop.services.imports.history import import_errors, list_imports
from pdd_desktop.services.imports.model import (
    PROGRESS_APPLY,
    PROGRESS_CHECK,
    ImportBatchInfo,
    ImportCheck,
    ImportResult,
    PreviewOrder,
)
from pdd_desktop.tabular.import_files import ColumnMapping, RowError

__all__ = [
    "PROGRESS_APPLY",
    "PROGRESS_CHECK",
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
