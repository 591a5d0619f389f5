"""Schema versions by ``PRAGMA user_version``, upgraded at open after an automatic backup.

Each step is a function taking a raw ``sqlite3`` connection. All pending steps run in one
``BEGIN IMMEDIATE`` transaction together with the ``user_version`` bump; SQLite DDL is
transactional, so a step that fails leaves the file exactly as it was (and the backup taken
before it stays beside it). Steps are frozen once released: fix mistakes with a new step.
To add one: write ``_upgrade_to_N``, append it to ``STEPS``, and store a database of the
new version under ``tests/fixtures/`` (``python -m tests.fixtures.make_fixtures N``).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pdd_desktop.common import clock
from pdd_desktop.common.fs import create_private_file
from pdd_desktop.data import (
    schema_ads,
    schema_alerts,
    schema_automation,
    schema_cs,
    schema_dash,
    schema_funds,
    schema_funds_profit,
    schema_funds_rollup,
    schema_funds_speed,
    schema_goods_cost,
    schema_ledger,
    schema_marketing,
    schema_profit_facts,
    schema_v001,
    schema_v002,
    schema_v003,
    schema_v004,
    schema_v005,
    schema_v006,
)
from pdd_desktop.data.backup import backup_file, timestamped_name


class MigrationError(Exception):
    """An upgrade step failed; the database is unchanged."""


class SchemaTooNew(MigrationError):
    """The file was written by a newer version of the app."""


def _upgrade_to_1(conn: sqlite3.Connection) -> None:
    for stmt in schema_v001.STATEMENTS:
        conn.execute(stmt)


def _upgrade_to_2(conn: sqlite3.Connection) -> None:
    # Needs SQLite >= 3.34 for the trigram tokenizer (Python 3.11+ on Windows/macOS ships newer).
    for stmt in schema_v002.STATEMENTS:
        conn.execute(stmt)
    # A file with statistics (ANALYZE ran on it) must get them for the new indexes too: the
    # planner guesses ~10 rows per status for an index without a row in sqlite_stat1 and would
    # prefer it over the right one. Files without statistics stay without (all guesses equal).
    if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").fetchone():
        conn.execute("PRAGMA analysis_limit = 1000")
        for stmt in schema_v002.ANALYZE:
            conn.execute(stmt)


def _upgrade_to_3(conn: sqlite3.Connection) -> None:
    # A new table only: existing rows are untouched, nothing to back-fill.
    for stmt in schema_v003.STATEMENTS:
        conn.execute(stmt)


def _upgrade_to_4(conn: sqlite3.Connection) -> None:
    # A nullable column (no table rebuild) and its index, then the back-fill of known traces.
    for stmt in (*schema_v004.STATEMENTS, *schema_v004.BACKFILL):
        conn.execute(stmt)


def _upgrade_to_5(conn: sqlite3.Connection) -> None:
    # Columns with defaults (no table rebuild; existing rows are local pools) and two new tables.
    for stmt in schema_v005.STATEMENTS:
        conn.execute(stmt)


def _upgrade_to_6(conn: sqlite3.Connection) -> None:
    # New tables only, then built from the orders already in the file (set-based, one pass).
    for stmt in (*schema_v006.STATEMENTS, *schema_v006.BACKFILL):
        conn.execute(stmt)


def _upgrade_to_7(conn: sqlite3.Connection) -> None:
    # The ad reports (推广): a new table only, nothing to back-fill.
    for stmt in schema_ads.STATEMENTS:
        conn.execute(stmt)


def _upgrade_to_8(conn: sqlite3.Connection) -> None:
    # Automation rules, their action log and local holds: new tables only.
    for stmt in schema_automation.STATEMENTS:
        conn.execute(stmt)


def _upgrade_to_9(conn: sqlite3.Connection) -> None:
    # 资金: new tables only (bill lines and the periods bills cover); nothing to back-fill.
    for stmt in schema_funds.STATEMENTS:
        conn.execute(stmt)


def _upgrade_to_10(conn: sqlite3.Connection) -> None:
    # 客服: new tables only, and the quick-reply library's starting templates.
    for stmt in schema_cs.STATEMENTS:
        conn.execute(stmt)


def _upgrade_to_11(conn: sqlite3.Connection) -> None:
    # The alerts centre: a new table only (it fills at the first evaluation).
    for stmt in schema_alerts.STATEMENTS:
        conn.execute(stmt)


def _upgrade_to_12(conn: sqlite3.Connection) -> None:
    # 营销: new tables only (coupons, 限时限量购, activity registrations); nothing to back-fill.
    for stmt in schema_marketing.STATEMENTS:
        conn.execute(stmt)


def _upgrade_to_13(conn: sqlite3.Connection) -> None:
    # 资金 profit: the shipping price table, a new table only (it starts empty).
    for stmt in schema_funds_profit.STATEMENTS:
        conn.execute(stmt)


def _upgrade_to_14(conn: sqlite3.Connection) -> None:
    # A new table and a column with a default; the history starts with each SKU's current cost.
    for stmt in schema_goods_cost.STATEMENTS:
        conn.execute(stmt)
    now = clock.now()
    for stmt in schema_goods_cost.BACKFILL:
        conn.execute(stmt, (now,))
    # As in step 2: a file with statistics gets them for the new index too (else the planner
    # guesses ~10 rows per status for it).
    if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").fetchone():
        conn.execute("PRAGMA analysis_limit = 1000")
        for stmt in schema_goods_cost.ANALYZE:
            conn.execute(stmt)


def _upgrade_to_15(conn: sqlite3.Connection) -> None:
    # Columns with defaults and new tables (issue 16's rollups), back-filled set-based.
    for stmt in (*schema_dash.STATEMENTS, *schema_dash.BACKFILL):
        conn.execute(stmt)


def _upgrade_to_16(conn: sqlite3.Connection) -> None:
    # 资金 speed: indexes only (one new on "order", two bill_entry indexes replaced by covering ones).
    for stmt in schema_funds_speed.STATEMENTS:
        conn.execute(stmt)
    if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").fetchone():
        conn.execute("PRAGMA analysis_limit = 1000")
        for stmt in schema_funds_speed.ANALYZE:
            conn.execute(stmt)


def _upgrade_to_17(conn: sqlite3.Connection) -> None:
    # 资金 rollup: a new table, filled from the bill lines already stored (one grouped pass).
    for stmt in (*schema_funds_rollup.STATEMENTS, *schema_funds_rollup.BACKFILL):
        conn.execute(stmt)
    if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").fetchone():
        conn.execute("PRAGMA analysis_limit = 1000")
        for stmt in schema_funds_rollup.ANALYZE:
            conn.execute(stmt)


def _upgrade_to_18(conn: sqlite3.Connection) -> None:
    # 利润 facts: columns with defaults on bill_order (every row starts out of date: the first
    # 利润 read of a range prices its rows), a table, two indexes, and the triggers that keep them.
    for stmt in schema_profit_facts.STATEMENTS:
        conn.execute(stmt)
    if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").fetchone():
        conn.execute("PRAGMA analysis_limit = 1000")
        for stmt in schema_profit_facts.ANALYZE:
            conn.execute(stmt)


def _upgrade_to_19(conn: sqlite3.Connection) -> None:
    # 资金 ledger rollup: a new table, filled from the bill lines already stored (one grouped pass).
    for stmt in (*schema_ledger.STATEMENTS, *schema_ledger.BACKFILL):
        conn.execute(stmt)


#: Ordered upgrade steps; STEPS[i] upgrades from version i to i + 1.
STEPS: list[Callable[[sqlite3.Connection], None]] = [
    _upgrade_to_1,
    _upgrade_to_2,
    _upgrade_to_3,
    _upgrade_to_4,
    _upgrade_to_5,
    _upgrade_to_6,
    _upgrade_to_7,
    _upgrade_to_8,
    _upgrade_to_9,
    _upgrade_to_10,
    _upgrade_to_11,
    _upgrade_to_12,
    _upgrade_to_13,
    _upgrade_to_14,
    _upgrade_to_15,
    _upgrade_to_16,
    _upgrade_to_17,
    _upgrade_to_18,
    _upgrade_to_19,
]


def latest_version() -> int:
    """The schema version this build writes."""
    return len(STEPS)


@dataclass(frozen=True)
class MigrationResult:
    """What :func:`migrate` did."""

    from_version: int
    to_version: int
    backup: Path | None

    @property
    def upgraded(self) -> bool:
        return self.to_version != self.from_version


def read_version(path: Path | str) -> int:
    """``PRAGMA user_version`` of a database file (0 for a new file)."""
    conn = sqlite3.connect(str(path))
    try:
        return conn.execute("PRAGMA user_version").fetchone()[0]
    finally:
        conn.close()


def migrate(
    path: Path | str,
    backup_dir: Path | None = None,
    *,
    steps: list[Callable[[sqlite3.Connection], None]] | None = None,
) -> MigrationResult:
    """Bring the database at ``path`` to the latest schema.

    A database that already holds data (version ≥ 1) is backed up into ``backup_dir``
    before any step runs. ``steps`` replaces :data:`STEPS` in tests.

    Raises:
        SchemaTooNew: the file has a higher version than this build knows.
        MigrationError: a step failed; the file is unchanged.
    """
    steps = STEPS if steps is None else steps
    target = len(steps)
    path = Path(path)
    current = read_version(path) if path.exists() else 0
    if current > target:
        raise SchemaTooNew(
            f"数据文件的版本（{current}）比本程序支持的（{target}）更新，请升级拼多多商家桌面助手后再打开：{path}"
        )
    if current == target:
        return MigrationResult(current, current, None)

    backup = None
    if not path.exists():  # a new shop's file: owner-only from the start (its -wal follows)
        create_private_file(path)
    if current >= 1 and backup_dir is not None:
        backup = backup_file(path, backup_dir / timestamped_name(f"before-v{target}"))

    conn = sqlite3.connect(str(path), isolation_level=None, timeout=10)
    try:
        conn.execute("PRAGMA journal_mode=wal")
        conn.execute("PRAGMA foreign_keys=0")  # table rebuilds in steps must not cascade
        conn.execute("BEGIN IMMEDIATE")
        try:
            for version in range(current, target):
                steps[version](conn)
            conn.execute(f"PRAGMA user_version = {target}")
            problems = conn.execute("PRAGMA foreign_key_check").fetchall()
            if problems:
                raise MigrationError(f"迁移后外键检查失败：{problems[:5]}")
            conn.execute("COMMIT")
        except Exception as exc:
            conn.execute("ROLLBACK")
            if isinstance(exc, MigrationError):
                raise
            raise MigrationError(f"数据库升级到版本 {target} 失败，原文件未改动：{exc}") from exc
    finally:
        conn.close()
    return MigrationResult(current, target, backup)
