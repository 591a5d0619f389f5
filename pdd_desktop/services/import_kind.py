"""What every import kind besides orders shares (goods, registrations, ads, 客服, bills).

The kinds are called by :mod:`pdd_desktop.services.imports` and get its result types passed in
(``result_type``), so they do not import that package (it imports them). Here: progress, the
``ImportCheck`` built from the few things that differ per kind, and the ``ImportResult`` of an
applied or cancelled file.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Protocol

from pdd_desktop.common.changes import Changes
from pdd_desktop.common.task import TaskContext
from pdd_desktop.tabular.import_files import ColumnMapping, ErrorCollector

#: The plan of a record (or row): the keys of every ``counts`` mapping below.
ACTIONS = ("new", "updated", "unchanged")
PROGRESS_CHECK = "正在检查文件"
PROGRESS_APPLY = "正在导入"
CANCELLED_MESSAGE = "已取消，数据未改动。"


def report_progress(task: TaskContext | None, done: int, total: int, label: str) -> None:
    """Report progress to the task (if any), raising ``Cancelled`` when it was cancelled."""
    if task is not None:
        task.report(done, total, label)
        task.raise_if_cancelled()


class _Source(Protocol):
    """The file a check read (``FileInfo`` or a bill's ``BillSource``)."""

    @property
    def path(self) -> Any: ...

    @property
    def sha256(self) -> str: ...

    @property
    def encoding(self) -> str: ...


def checked_file(
    result_type: type,
    source: _Source,
    previous: int | None,
    *,
    kind: str,
    rows_total: int,
    counts: Mapping[str, int],
    row_counts: Mapping[str, int] | None = None,
    mapping: tuple[ColumnMapping, ...] = (),
    unknown_columns: tuple[str, ...] | None = None,
    errors: ErrorCollector | None = None,
    preview: Iterable[Any] = (),
    warnings: Iterable[str] = (),
    **extra: Any,
) -> Any:
    """The ``ImportCheck`` of a file checked by an import kind other than orders.

    Args:
        result_type: ``imports.ImportCheck`` (passed in: the kinds do not import the package).
        source: the file read (its path, sha256 and encoding).
        previous: when the same file was applied before (``_previous_import``), or None.
        kind: the kind's key (``kinds.KINDS``).
        rows_total: the file's non-empty data rows.
        counts: records per action (``ACTIONS``): what ``new``/``updated``/``unchanged`` count.
        row_counts: rows per action when a record spans several rows; default ``counts``.
        mapping: the header's columns; unknown and unused ones are reported from it.
        unknown_columns: the unknown columns when the kind names them itself.
        errors: the file's row errors; None: no row can be bad (the kind refuses a bad file).
        preview: the first good records, as the dialog shows them.
        warnings: lines added to the report.
        **extra: further ``ImportCheck`` fields (``records``, ``staging``).

    Returns:
        A ``result_type`` instance.
    """
    rows = counts if row_counts is None else row_counts
    return result_type(
        path=str(source.path),
        file_name=source.path.name,
        sha256=source.sha256,
        kind=kind,
        generation="",
        encoding=source.encoding,
        columns=mapping,
        unknown_columns=(
            tuple(m.header for m in mapping if m.status == "unknown")
            if unknown_columns is None
            else unknown_columns
        ),
        unused_columns=tuple(m.header for m in mapping if m.status == "unused"),
        rows_total=rows_total,
        errors=() if errors is None else errors.finish(),
        bad_row_count=0 if errors is None else errors.bad_rows,
        new=counts["new"],
        updated=counts["updated"],
        unchanged=counts["unchanged"],
        rows_new=rows["new"],
        rows_updated=rows["updated"],
        rows_unchanged=rows["unchanged"],
        preview=tuple(preview),
        warnings=tuple(warnings),
        already_imported=previous is not None,
        imported_at=previous,
        **extra,
    )


def applied_file(
    result_type: type,
    kind: str,
    file_name: str,
    batch_id: int,
    counts: Mapping[str, int],
    *,
    changes: Changes,
    message: str,
    rejected: int = 0,
    changed: bool | None = None,
) -> Any:
    """The ``ImportResult`` of an applied file of a kind other than orders.

    Args:
        result_type: ``imports.ImportResult``.
        kind: the kind's key.
        file_name: the file's name.
        batch_id: the ``import_batch`` row written with it.
        counts: records per action (``ACTIONS``).
        changes: what the kind changes when it wrote something.
        message: the Chinese line shown to the merchant.
        rejected: rows left out (bad rows the merchant accepted to skip).
        changed: whether anything was written; default: a record was new or updated.

    Returns:
        A ``result_type`` instance.
    """
    if changed is None:
        changed = counts["new"] + counts["updated"] > 0
    return result_type(
        batch_id, kind, file_name, counts["new"], counts["updated"], counts["unchanged"], rejected,
        False, False, changes if changed else Changes(), message,
    )  # fmt: skip


def cancelled_file(result_type: type, kind: str, file_name: str) -> Any:
    """The ``ImportResult`` of an apply that was cancelled (nothing written)."""
    return result_type(None, kind, file_name, 0, 0, 0, 0, False, True, Changes(), CANCELLED_MESSAGE)
