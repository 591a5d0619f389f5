"""Earlier imports and their rejected rows."""

from __future__ import annotations

from pdd_desktop.data.db import database
from pdd_desktop.services.imports.model import ImportBatchInfo
from pdd_desktop.tabular.import_files import (
    RowError,
)


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
