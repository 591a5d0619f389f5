"""The shop database: one SQLite file, WAL, one connection per thread, short IMMEDIATE writes.

``database`` is deferred and bound by :func:`open_database`. Peewee keeps one connection per
thread (``thread_safe=True``), and every connection gets the pragmas below when it opens, so
worker threads and the UI thread read concurrently under WAL while one writer writes.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from peewee import OperationalError, SqliteDatabase

from pdd_desktop.common.fs import make_private

#: Pragmas per sync.md: durability first (a tracking number is never lost), then speed.
PRAGMAS: dict[str, object] = {
    "journal_mode": "wal",
    "synchronous": 2,  # FULL: a committed ship action survives power loss
    "foreign_keys": 1,
    "cache_size": -32000,  # 32 MB page cache per connection
    "journal_size_limit": 67108864,
    "temp_store": 2,  # MEMORY
    "mmap_size": 268435456,
}
BUSY_TIMEOUT_S = 10

database = SqliteDatabase(None)


def open_database(path: Path | str) -> SqliteDatabase:
    """Bind the global database to ``path`` (creating nothing beyond the file) and connect."""
    if not database.is_closed():
        database.close()
    database.init(str(path), pragmas=PRAGMAS, timeout=BUSY_TIMEOUT_S)
    database.connect(reuse_if_open=True)
    for suffix in ("", "-wal", "-shm"):  # a shop's data is the owner's only (0600 on POSIX)
        sidecar = Path(f"{path}{suffix}")
        if sidecar.exists():
            make_private(sidecar)
    return database


def close_database() -> None:
    """Close this thread's connection (other threads close theirs on exit)."""
    if database.database and not database.is_closed():
        database.close()


@contextlib.contextmanager
def write_transaction() -> Iterator[None]:
    """A short ``BEGIN IMMEDIATE`` transaction.

    It takes the write lock up front, so it never fails halfway with SQLITE_BUSY after
    reading. Never hold it across a network call.

    When SQLite has already rolled the transaction back itself (disk full, I/O error), Peewee's
    own ROLLBACK fails with "no transaction is active" and would hide the real cause; that
    second error is dropped and the original one raised.
    """
    tx = database.atomic("IMMEDIATE")
    tx.__enter__()
    try:
        yield
    except BaseException as exc:
        try:
            tx.__exit__(type(exc), exc, exc.__traceback__)
        except OperationalError as rollback_error:
            if "no transaction is active" not in str(rollback_error):
                raise
        raise
    else:
        tx.__exit__(None, None, None)


@contextlib.contextmanager
def read_snapshot() -> Iterator[None]:
    """A read transaction: every statement inside sees the database as the first one saw it.

    WAL gives each read transaction a snapshot, so a report made of several statements adds
    up even while the sync process writes. Writers are not blocked.
    """
    with database.atomic():
        yield


@contextlib.contextmanager
def raw_connection(
    path: Path | str, *, pragmas: dict[str, object] | None = None
) -> Iterator[sqlite3.Connection]:
    """A plain sqlite3 connection for bulk work (demo build, backups) outside Peewee."""
    conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_S, isolation_level=None)
    try:
        for key, value in (pragmas or {}).items():
            conn.execute(f"PRAGMA {key} = {value}")
        yield conn
    finally:
        conn.close()
