"""关于/诊断: what the app is and where its files are, and the diagnostics package for support.

The package is a zip of the logs, the shop's and this computer's settings, and a summary
(versions, row counts per table, sync state) — never the rows themselves. Every text in it goes
through :func:`pdd_desktop.common.redact.redact_values`: phones, names, addresses, tokens and
secrets are removed, including the shop's own known secrets (the keychain's credentials) and
contact details (sender addresses, invoice details), wherever they appear.

The database is read through a private read-only connection, so the package can be made while
the window (or a sync) holds the shop, and for a file of any schema version.
"""

from __future__ import annotations

import json
import os
import platform
import re
import sqlite3
import sys
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from pdd_desktop import __version__
from pdd_desktop.common import clock
from pdd_desktop.common.paths import ShopPaths
from pdd_desktop.common.redact import MASK, redact_values
from pdd_desktop.common.task import NullTask, TaskContext
from pdd_desktop.common.timefmt import format_ts
from pdd_desktop.data import migrations

#: Setting keys (shop or machine) whose value is hidden whole: secrets and the seller's details.
_HIDDEN_KEY_RE = re.compile(
    r"(?i)secret|token|password|passwd|pwd|sign|key$|api_?key|phone|mobile|tel|address|addr|"
    r"name|nick|contact|title|tax|bank|account|issuer|receiver|email|id_?card"
)
#: Libraries named in 关于/诊断 (distribution, shown name).
LIBRARIES: tuple[tuple[str, str], ...] = (
    ("PySide6-Essentials", "PySide6"),
    ("reportlab", "ReportLab"),
    ("peewee", "Peewee"),
)
#: Sync runs listed in the summary (newest first).
RECENT_RUNS = 30


@dataclass(frozen=True)
class AboutInfo:
    """What 关于/诊断 shows: the app's version, its folders and the versions it runs on."""

    version: str
    shop_name: str
    data_dir: Path
    shop_dir: Path
    db_file: Path
    log_dir: Path
    schema_version: int
    latest_schema_version: int
    #: (shown name, version) of Python, SQLite and the libraries.
    versions: tuple[tuple[str, str], ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class DiagnosticsPackage:
    """The written zip and what it holds."""

    path: Path
    files: tuple[str, ...]
    size_bytes: int


def library_versions() -> tuple[tuple[str, str], ...]:
    """Python, SQLite and the libraries the app runs on, with their versions."""
    found = [("Python", platform.python_version()), ("SQLite", sqlite3.sqlite_version)]
    for dist, name in LIBRARIES:
        try:
            found.append((name, metadata.version(dist)))
        except metadata.PackageNotFoundError:
            found.append((name, "未安装"))
    return tuple(found)


def _connect_ro(db_file: Path) -> sqlite3.Connection | None:
    if not db_file.exists():
        return None
    conn = sqlite3.connect(f"file:{db_file}?mode=ro", uri=True, timeout=10)
    conn.row_factory = sqlite3.Row
    return conn


def _shop_name(conn: sqlite3.Connection | None) -> str:
    if conn is None:
        return ""
    try:
        row = conn.execute("SELECT name FROM shop ORDER BY id LIMIT 1").fetchone()
    except sqlite3.Error:
        return ""
    return row[0] if row else ""


def about_info(paths: ShopPaths) -> AboutInfo:
    """The app's version, the shop's folders and schema version, and the library versions."""
    conn = _connect_ro(paths.db_file)
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0] if conn is not None else 0
        name = _shop_name(conn)
    finally:
        if conn is not None:
            conn.close()
    return AboutInfo(
        version=__version__,
        shop_name=name,
        data_dir=paths.data_dir,
        shop_dir=paths.shop_dir,
        db_file=paths.db_file,
        log_dir=paths.log_dir,
        schema_version=version,
        latest_schema_version=migrations.latest_version(),
        versions=library_versions(),
    )


# --- what is hidden ---


def _known_values(conn: sqlite3.Connection | None, shop: str) -> list[str]:
    """The shop's own secrets and contact details, hidden wherever they occur in the package."""
    values: list[str] = []
    try:
        from pdd_desktop.platform.credentials import load_credentials  # keyring: loaded on demand

        creds = load_credentials(shop)
    except Exception:  # no keychain on this machine: nothing stored there to hide
        creds = None
    if creds is not None:
        values += [creds.client_secret, creds.access_token, creds.refresh_token, creds.client_id]
    if conn is None:
        return values
    queries = (
        "SELECT contact_name, phone, detail FROM address",
        "SELECT value_json FROM setting WHERE key LIKE 'invoice_%'",
    )
    for sql in queries:
        try:
            rows = conn.execute(sql).fetchall()
        except sqlite3.Error:
            continue
        for row in rows:
            for value in row:
                if isinstance(value, str):
                    try:
                        decoded = json.loads(value)
                    except ValueError:
                        decoded = value
                    values.append(decoded if isinstance(decoded, str) else value)
    return [v for v in values if v]


def _clean(value: object, known: list[str], key: str = "") -> object:
    """A setting's value with secrets and personal data hidden (recursively for JSON)."""
    if key and _HIDDEN_KEY_RE.search(key):
        return MASK if value not in (None, "") else value
    if isinstance(value, dict):
        return {k: _clean(v, known, str(k)) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v, known) for v in value]
    if isinstance(value, str):
        return redact_values(value, known)
    if isinstance(value, int | float | bool) or value is None:
        return value
    return f"（{type(value).__name__}，未导出）"


#: Chinese runs in a text, where an unlabelled receiver name may hide.
_CJK_RUN_RE = re.compile(r"[\u3400-\u9fff·]{2,}")
#: Receiver names are 2–6 characters (with a middle dot for some minority names).
_NAME_LENGTHS = range(2, 7)


def _people_in(conn: sqlite3.Connection | None, texts: list[str]) -> list[str]:
    """Receiver names and buyer nicknames of the shop's orders that occur in ``texts``.

    A name written without a label cannot be told from other words by its shape, so the Chinese
    fragments of the texts are looked up among the shop's receivers: one pass over the orders,
    however many fragments.
    """
    if conn is None:
        return []
    fragments: set[str] = set()
    for text in texts:
        for run in _CJK_RUN_RE.findall(text):
            for n in _NAME_LENGTHS:
                fragments.update(run[i : i + n] for i in range(len(run) - n + 1))
    if not fragments:
        return []
    try:
        conn.execute("CREATE TEMP TABLE IF NOT EXISTS diag_fragment (v TEXT PRIMARY KEY)")
        conn.execute("DELETE FROM diag_fragment")
        conn.executemany("INSERT OR IGNORE INTO diag_fragment VALUES (?)", ((f,) for f in fragments))
        rows = conn.execute(
            'SELECT receiver_name FROM "order" WHERE receiver_name IN (SELECT v FROM diag_fragment) '
            'UNION SELECT buyer_nickname FROM "order" WHERE buyer_nickname IN (SELECT v FROM diag_fragment)'
        ).fetchall()
    except sqlite3.Error:  # an older schema, or no orders table
        return []
    return [r[0] for r in rows if r[0]]


# --- summary ---


def _table_counts(conn: sqlite3.Connection) -> dict[str, int]:
    names = [
        r[0]
        for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "AND sql NOT LIKE 'CREATE VIRTUAL TABLE%' ORDER BY name"
        )
    ]
    virtual = [
        r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE sql LIKE 'CREATE VIRTUAL TABLE%'")
    ]
    counts = {}
    for name in names:
        if any(name.startswith(f"{v}_") for v in virtual):  # an index's own storage
            continue
        counts[name] = conn.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0]
    return counts


def _rows(conn: sqlite3.Connection, sql: str) -> list[dict[str, object]]:
    try:
        return [dict(r) for r in conn.execute(sql).fetchall()]
    except sqlite3.Error:  # an older schema without the table
        return []


def _sync_state(conn: sqlite3.Connection, known: list[str]) -> dict[str, object]:
    def shown(rows: list[dict[str, object]]) -> list[dict[str, object]]:
        for row in rows:
            for key, value in list(row.items()):
                if isinstance(value, str):
                    row[key] = redact_values(value, known)
                elif key.endswith(("_at", "_ts", "_server")) and isinstance(value, int):
                    row[f"{key}_北京时间"] = format_ts(value)
        return rows

    return {
        "outbox_by_state": {
            r["state"]: r["n"] for r in _rows(conn, "SELECT state, COUNT(*) AS n FROM outbox GROUP BY state")
        },
        "open_conflicts": next(
            iter(_rows(conn, "SELECT COUNT(*) AS n FROM sync_conflict WHERE resolved_at IS NULL")), {}
        ).get("n", 0),
        "streams": shown(
            _rows(
                conn,
                "SELECT stream, hwm_server_ts, last_ok_at_server, consecutive_failures, "
                "needs_full_resync, last_error FROM sync_stream ORDER BY stream",
            )
        ),
        "recent_runs": shown(
            _rows(
                conn,
                "SELECT id, kind, stream, started_at, finished_at, pages, upserted, skipped_stale, "
                f"errors, outcome, detail FROM sync_run ORDER BY id DESC LIMIT {RECENT_RUNS}",
            )
        ),
    }


def _summary(
    paths: ShopPaths, conn: sqlite3.Connection | None, known: list[str], extra_versions: Mapping[str, str]
) -> dict[str, object]:
    versions = dict(library_versions())
    versions.update(extra_versions)
    summary: dict[str, object] = {
        "app_version": __version__,
        "created_at": clock.now(),
        "created_at_北京时间": format_ts(clock.now()),
        "os": platform.platform(),
        "python": sys.version.split()[0],
        "versions": versions,
        "shop_folder_is_demo": paths.shop == "demo",
        "schema_version": None,
        "latest_schema_version": migrations.latest_version(),
        "database_bytes": paths.db_file.stat().st_size if paths.db_file.exists() else None,
    }
    if conn is None:
        summary["problem"] = "没有店铺数据文件"
        return summary
    try:
        summary["schema_version"] = conn.execute("PRAGMA user_version").fetchone()[0]
        summary["table_rows"] = _table_counts(conn)
        summary["sync"] = _sync_state(conn, known)
    except sqlite3.Error as exc:  # a damaged file: what could be read, and why the rest could not
        summary["problem"] = redact_values(str(exc), known)
    return summary


def _shop_settings(conn: sqlite3.Connection | None, known: list[str]) -> dict[str, object]:
    out: dict[str, object] = {}
    for row in _rows(conn, "SELECT key, value_json FROM setting ORDER BY key") if conn else []:
        key = str(row["key"])
        try:
            value = json.loads(str(row["value_json"]))
        except ValueError:
            value = str(row["value_json"])
        out[key] = _clean(value, known, key)
    return out


def _log_files(log_dir: Path) -> list[Path]:
    if not log_dir.is_dir():
        return []
    return sorted(p for p in log_dir.iterdir() if p.is_file() and ".log" in p.name)


README = """拼多多商家桌面助手 · 诊断包

这个压缩包用于排查问题，包含：
  summary.json              程序和依赖的版本、各数据表的行数、同步状态（不含任何订单、买家或商品内容）
  settings/shop.json        店铺设置
  settings/computer.json    本机设置（打印机、字体、自动导入文件夹等）
  logs/                     运行日志

已去除：手机号（只留前三位和后四位）、收件人姓名、地址、应用密钥、授权令牌、刷新令牌和其他密钥。
"""


def export_diagnostics(
    paths: ShopPaths,
    out: Path,
    *,
    machine_settings: Mapping[str, object] | None = None,
    extra_versions: Mapping[str, str] | None = None,
    task: TaskContext | None = None,
) -> DiagnosticsPackage:
    """Write the diagnostics package for the shop at ``paths`` to ``out`` (a zip).

    The zip appears whole or not at all (written beside ``out``, then renamed).

    Args:
        paths: the shop.
        out: where the zip goes (an existing file is replaced).
        machine_settings: this computer's settings (QSettings, read by the caller).
        extra_versions: versions only the caller knows (the Qt runtime).
        task: progress and cancel.

    Raises:
        Cancelled: the user cancelled; nothing is written.
        OSError: the zip cannot be written.
    """
    task = task or NullTask()
    out = Path(out)
    conn = _connect_ro(paths.db_file)
    part = out.with_name(out.name + ".part")
    try:
        known = _known_values(conn, paths.shop)
        logs = _log_files(paths.log_dir)
        total = len(logs) + 3
        task.report(0, total, "正在读取日志")
        log_texts = [p.read_text(encoding="utf-8", errors="replace") for p in logs]
        raw_settings = _rows(conn, "SELECT value_json FROM setting") if conn else []
        scanned = log_texts + [str(r["value_json"]) for r in raw_settings]
        scanned += [str(v) for v in (machine_settings or {}).values()]
        known += _people_in(conn, scanned)
        task.report(0, total, "正在汇总版本和数据表")
        files: list[tuple[str, str]] = [
            ("说明.txt", README),
            ("summary.json", _json(_summary(paths, conn, known, extra_versions or {}))),
        ]
        task.raise_if_cancelled()
        task.report(1, total, "正在整理设置")
        files.append(("settings/shop.json", _json(_shop_settings(conn, known))))
        machine = {str(k): _clean(v, known, str(k)) for k, v in (machine_settings or {}).items()}
        files.append(("settings/computer.json", _json(machine)))
        out.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(part, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            for name, text in files:
                zf.writestr(name, text)
            for i, (log_file, text) in enumerate(zip(logs, log_texts, strict=True), start=2):
                task.raise_if_cancelled()
                task.report(i, total, f"正在整理日志 {log_file.name}")
                zf.writestr(f"logs/{log_file.name}", redact_values(text, known))
                files.append((f"logs/{log_file.name}", ""))
        task.raise_if_cancelled()
        os.replace(part, out)
    finally:
        part.unlink(missing_ok=True)
        if conn is not None:
            conn.close()
    task.report(total, total, "诊断包已导出")
    return DiagnosticsPackage(out, tuple(name for name, _ in files), out.stat().st_size)


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2, sort_keys=False, default=str) + "\n"
