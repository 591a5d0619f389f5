"""SQL behind 站内信: per-category counts, the ordered id list, row blocks, and the writes.

The list is ordered pinned first, then newest first (``created_at``, ``id``). A shop keeps a
few thousand notices a year; the queries stay a single pass over ``message`` even at 50,000
(``inbox_open_ms``), with the ``(read_at, category)`` index for the unread counts.
"""

from __future__ import annotations

from collections.abc import Sequence

from pdd_desktop.data.db import database

#: Columns of a list row, in :func:`rows_for_ids` order.
ROW_COLUMNS = "id, category, title, created_at, read_at, is_important, is_pinned, remote_id"
_ORDER = "ORDER BY is_pinned DESC, created_at DESC, id DESC"


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _where(
    category: int | None, search: str, unread_only: bool, keep: Sequence[int] = ()
) -> tuple[str, list]:
    clauses: list[str] = []
    params: list = []
    if category is not None:
        clauses.append("category = ?")
        params.append(int(category))
    if unread_only:
        if keep:
            clauses.append(f"(read_at IS NULL OR id IN ({','.join('?' * len(keep))}))")
            params.extend(int(i) for i in keep)
        else:
            clauses.append("read_at IS NULL")
    for word in search.split():
        pattern = f"%{_escape_like(word)}%"
        clauses.append("(title LIKE ? ESCAPE '\\' OR body LIKE ? ESCAPE '\\')")
        params.extend((pattern, pattern))
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def category_counts() -> dict[int, tuple[int, int]]:
    """Category → (messages, unread)."""
    rows = database.execute_sql(
        "SELECT category, COUNT(*), SUM(read_at IS NULL) FROM message GROUP BY category"
    ).fetchall()
    return {int(c): (int(n), int(u or 0)) for c, n, u in rows}


def search_ids(category: int | None, search: str, unread_only: bool, keep: Sequence[int] = ()) -> list[int]:
    """Ids of the matching messages, pinned first, newest first (``keep``: listed even when read)."""
    where, params = _where(category, search, unread_only, keep[:500])
    rows = database.execute_sql(f"SELECT id FROM message{where} {_ORDER}", params).fetchall()
    return [r[0] for r in rows]


def rows_for_ids(ids: Sequence[int]) -> list[tuple]:
    """List rows (:data:`ROW_COLUMNS`) of ``ids``, in any order."""
    out: list[tuple] = []
    for i in range(0, len(ids), 500):
        part = list(ids[i : i + 500])
        marks = ",".join("?" * len(part))
        out.extend(
            database.execute_sql(f"SELECT {ROW_COLUMNS} FROM message WHERE id IN ({marks})", part).fetchall()
        )
    return out


def body_of(message_id: int) -> tuple | None:
    """(list row columns…, body) of one message."""
    return database.execute_sql(
        f"SELECT {ROW_COLUMNS}, body FROM message WHERE id = ?", (int(message_id),)
    ).fetchone()


def unread_of_category(category: int, limit: int) -> list[tuple]:
    """The newest unread messages of one category (list rows)."""
    return database.execute_sql(
        f"SELECT {ROW_COLUMNS} FROM message WHERE read_at IS NULL AND category = ? "
        "ORDER BY created_at DESC, id DESC LIMIT ?",
        (int(category), int(limit)),
    ).fetchall()


def set_read(ids: Sequence[int], read_at: int | None) -> int:
    """Mark ``ids`` read at ``read_at`` (None: unread); returns how many changed."""
    changed = 0
    for i in range(0, len(ids), 500):
        part = list(ids[i : i + 500])
        marks = ",".join("?" * len(part))
        if read_at is None:
            cur = database.execute_sql(
                f"UPDATE message SET read_at = NULL WHERE read_at IS NOT NULL AND id IN ({marks})", part
            )
        else:
            cur = database.execute_sql(
                f"UPDATE message SET read_at = ? WHERE read_at IS NULL AND id IN ({marks})", [read_at, *part]
            )
        changed += cur.rowcount
    return changed


def set_all_read(category: int | None, read_at: int) -> int:
    """Mark every unread message (of one category) read; returns how many changed."""
    if category is None:
        cur = database.execute_sql("UPDATE message SET read_at = ? WHERE read_at IS NULL", (read_at,))
    else:
        cur = database.execute_sql(
            "UPDATE message SET read_at = ? WHERE read_at IS NULL AND category = ?", (read_at, int(category))
        )
    return cur.rowcount


def set_pinned(message_id: int, pinned: bool) -> int:
    """Pin or unpin one message; returns 1 when it changed."""
    cur = database.execute_sql(
        "UPDATE message SET is_pinned = ? WHERE id = ? AND is_pinned != ?",
        (1 if pinned else 0, int(message_id), 1 if pinned else 0),
    )
    return cur.rowcount


def existing_remote_ids(remote_ids: Sequence[str]) -> set[str]:
    """Which of ``remote_ids`` are stored already."""
    found: set[str] = set()
    for i in range(0, len(remote_ids), 500):
        part = list(remote_ids[i : i + 500])
        marks = ",".join("?" * len(part))
        rows = database.execute_sql(f"SELECT remote_id FROM message WHERE remote_id IN ({marks})", part)
        found.update(r[0] for r in rows.fetchall())
    return found


def insert(
    *,
    remote_id: str | None,
    category: int,
    title: str,
    body: str,
    created_at: int,
    is_important: bool,
) -> int:
    """Insert one unread message; returns its id."""
    cur = database.execute_sql(
        "INSERT INTO message (remote_id, category, title, body, created_at, read_at, is_important, "
        "is_pinned) VALUES (?, ?, ?, ?, ?, NULL, ?, 0)",
        (remote_id, int(category), title, body, int(created_at), 1 if is_important else 0),
    )
    return int(cur.lastrowid)


def newest_remote_created_at(local_category: int) -> int | None:
    """When the newest platform message (not of the app's own ``local_category``) was published."""
    row = database.execute_sql(
        "SELECT MAX(created_at) FROM message WHERE remote_id IS NOT NULL AND category != ?", (local_category,)
    ).fetchone()
    return None if row is None or row[0] is None else int(row[0])
