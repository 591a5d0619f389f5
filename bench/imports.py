"""The file route on a big shop: a 200,000-row order export (CSV and XLSX) into the 1M-order shop.

``python -m bench.imports --db PATH`` (or ``python -m bench imports``). The shop at ``PATH`` is
never modified: everything happens on throwaway copies (sqlite3 backup) in a temporary folder
next to it, deleted afterwards.

The export is made from the shop itself, in the platform's older layout (one row per item,
full receivers, tracking numbers): half of the rows are orders new to the shop (the same orders
renumbered ``99…``), half are existing orders the file shows as 已签收 while the shop still has
them as 已发货 (the base copy is moved back one step first), so the import both inserts and
updates. Multi-item orders count one row per item; each half is exactly ``rows / 2`` rows.

Figures:

- ``import_csv_rows_per_s`` / ``import_xlsx_rows_per_s``: rows / (check + apply), end to end,
  each on its own copy, each in its own process;
- ``import_apply_vs_raw_ratio``: the apply step alone against a raw sqlite3 ``executemany`` of
  the same writes (the new orders, their items and parcels, the status updates by order
  number) into another copy, in the same run, with the app's pragmas;
- ``import_peak_rss_mb``: the largest peak resident memory (``ru_maxrss``) of the import
  processes; a 20,000-row import's peak is printed beside it to show it stays flat.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

ROWS = 200_000
SMALL_ROWS = 20_000
NEW_PREFIX = "99"
SMALL_PREFIX = "98"
_CHUNK = 500


# --------------------------------------------------------------------------------------------
# The export file and the copies
# --------------------------------------------------------------------------------------------


def _pick(src: sqlite3.Connection, where: str, rows: int, exclude: set[int]) -> tuple[list[int], int]:
    """Order ids matching ``where`` (newest first) whose item rows add up to exactly ``rows``."""
    ids: list[int] = []
    total = 0
    for oid, n in src.execute(
        f'SELECT o.id, (SELECT COUNT(*) FROM order_item i WHERE i.order_id = o.id) FROM "order" o '
        f"WHERE {where} ORDER BY o.id DESC"
    ):
        if n == 0 or oid in exclude or total + n > rows:
            continue
        ids.append(oid)
        total += n
        if total == rows:
            break
    if total != rows:
        raise SystemExit(f"the shop has too few orders for {rows} rows ({where})")
    return ids, total


def _orders(src: sqlite3.Connection, ids: list[int]) -> Iterator[tuple[dict, list[dict], tuple]]:
    """(order, items, (tracking number, courier name)) of ``ids``, streamed in chunks."""
    for start in range(0, len(ids), _CHUNK):
        block = ids[start : start + _CHUNK]
        marks = ",".join("?" * len(block))
        orders = {
            r["id"]: dict(r) for r in src.execute(f'SELECT * FROM "order" WHERE id IN ({marks})', block)
        }
        items: dict[int, list[dict]] = {}
        for r in src.execute(
            f"SELECT * FROM order_item WHERE order_id IN ({marks}) ORDER BY order_id, id", block
        ):
            items.setdefault(r["order_id"], []).append(dict(r))
        parcels = {
            r[0]: (r[1], r[2])
            for r in src.execute(
                "SELECT po.order_id, p.tracking_number, COALESCE(c.name, '') FROM package_order po "
                "JOIN package p ON p.id = po.package_id LEFT JOIN courier c ON c.id = p.courier_id "
                f"WHERE po.order_id IN ({marks}) AND p.voided_at IS NULL AND p.kind = 'normal' "
                "ORDER BY p.id DESC",
                block,
            )
        }
        for oid in block:
            yield orders[oid], items[oid], parcels.get(oid, ("", ""))


def _file_rows(
    src: sqlite3.Connection, new_ids: list[int], old_ids: list[int], prefix: str
) -> Iterator[list]:
    """Rows of the export: new (renumbered) and existing orders, interleaved by chunk."""
    from pdd_desktop.domain import export_columns as ec
    from tests.fixtures.exports import make_exports as mx

    header = list(ec.OLD_ORDER_HEADER)
    number_col, courier_col = header.index("快递单号"), header.index("快递公司")
    streams = [(_orders(src, new_ids), True), (_orders(src, old_ids), False)]
    while streams:
        for pair in list(streams):
            stream, renumber = pair
            for _ in range(_CHUNK):
                got = next(stream, None)
                if got is None:
                    streams.remove(pair)
                    break
                o, items, (number, courier) = got
                if renumber:
                    o = {**o, "order_sn": prefix + o["order_sn"][2:]}
                for row in mx.table([(o, items)], "old")[1:]:
                    row[number_col], row[courier_col] = number, courier
                    yield row


def make_exports(db: Path, out: Path, rows: int = ROWS) -> dict:
    """Pick the orders, write ``export.csv``, ``export.xlsx`` and ``small.csv`` into ``out``."""
    from pdd_desktop.domain import export_columns as ec
    from pdd_desktop.tabular.table_files import write_table

    src = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    src.row_factory = sqlite3.Row
    try:
        # Existing orders: signed in the shop (the file says 已签收), moved back to 已发货 on the copy.
        old_ids, _ = _pick(src, "o.status = 3 AND o.id % 5 = 2", rows // 2, set())
        new_ids, _ = _pick(src, "o.id % 5 = 4", rows - rows // 2, set(old_ids))
        header = ec.OLD_ORDER_HEADER
        start = time.perf_counter()
        n_csv = write_table(out / "export.csv", header, _file_rows(src, new_ids, old_ids, NEW_PREFIX))
        csv_s = time.perf_counter() - start
        start = time.perf_counter()
        n_xlsx = _write_xlsx(out / "export.xlsx", header, _file_rows(src, new_ids, old_ids, NEW_PREFIX))
        xlsx_s = time.perf_counter() - start
        small_new = _pick(src, "o.id % 5 = 4", SMALL_ROWS // 2, set(old_ids))[0]
        small_old = _pick(src, "o.status = 3 AND o.id % 5 = 2", SMALL_ROWS // 2, set())[0]
        n_small = write_table(out / "small.csv", header, _file_rows(src, small_new, small_old, SMALL_PREFIX))
    finally:
        src.close()
    if not n_csv == n_xlsx == rows or n_small != SMALL_ROWS:
        raise SystemExit(f"export rows {n_csv} / {n_xlsx} / {n_small}")
    return {
        "new_ids": new_ids,
        "old_ids": old_ids,
        "csv_write_s": csv_s,
        "xlsx_write_s": xlsx_s,
        "multi_item_orders": rows - len(new_ids) - len(old_ids),
    }


def _write_xlsx(path: Path, header: tuple[str, ...], rows: Iterator[list]) -> int:
    """A write-only workbook of plain string cells.

    As ``table_files.write_table`` minus its per-cell text format, which makes 11 million cells
    several times slower to write; the cells are strings either way.
    """
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("订单")
    ws.append(list(header))
    n = 0
    for row in rows:
        ws.append(row)
        n += 1
    wb.save(path)
    return n


def _copy(src_db: Path, dst_db: Path) -> float:
    start = time.perf_counter()
    src = sqlite3.connect(f"file:{src_db}?mode=ro", uri=True)
    dst = sqlite3.connect(dst_db)
    src.backup(dst)
    src.close()
    dst.close()
    return time.perf_counter() - start


def _move_back(db: Path, old_ids: list[int]) -> None:
    """On the base copy: the existing orders of the file are still 已发货 (not yet signed)."""
    conn = sqlite3.connect(db)
    with conn:
        for start in range(0, len(old_ids), _CHUNK):
            block = old_ids[start : start + _CHUNK]
            conn.execute(
                f'UPDATE "order" SET status = 2, signed_at = NULL WHERE id IN ({",".join("?" * len(block))})',
                block,
            )
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


# --------------------------------------------------------------------------------------------
# One import, in its own process (for ru_maxrss)
# --------------------------------------------------------------------------------------------


def run_child(db: Path, file: Path) -> dict:
    """Check and apply ``file`` into the shop at ``db``; timings, counts and the peak RSS."""
    from pdd_desktop.data.db import close_database, open_database
    from pdd_desktop.services import imports

    open_database(db)
    start = time.perf_counter()
    check = imports.check_import_file(file)
    check_s = time.perf_counter() - start
    start = time.perf_counter()
    result = imports.apply_import(check)
    apply_s = time.perf_counter() - start
    close_database()
    return {
        "rows": check.rows_total,
        "errors": len(check.errors),
        "new": result.new,
        "updated": result.updated,
        "unchanged": result.unchanged,
        "rows_new": check.rows_new,
        "rows_updated": check.rows_updated,
        "check_s": check_s,
        "apply_s": apply_s,
        "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def _child(db: Path, file: Path) -> dict:
    proc = subprocess.run(
        [sys.executable, "-m", "bench.imports", "--child", str(file), "--db", str(db)],
        capture_output=True,
        text=True,
        timeout=3600,
    )
    if proc.returncode != 0:
        raise SystemExit(f"import of {file.name} failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


# --------------------------------------------------------------------------------------------
# The raw baseline: the same writes with plain executemany
# --------------------------------------------------------------------------------------------


def raw_writes(db: Path, base: Path, new_ids: list[int], old_ids: list[int]) -> dict:
    """The rows the import writes, read beforehand (not timed) from the shop and its base copy."""
    src = sqlite3.connect(f"file:{base}?mode=ro", uri=True)
    original = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        cols = [r[1] for r in src.execute('PRAGMA table_info("order")')]
        sn_i = cols.index("order_sn")
        next_order = src.execute('SELECT MAX(id) FROM "order"').fetchone()[0] + 1
        next_package = src.execute("SELECT MAX(id) FROM package").fetchone()[0] + 1
        orders, items, packages, links = [], [], [], []
        for start in range(0, len(new_ids), _CHUNK):
            block = new_ids[start : start + _CHUNK]
            marks = ",".join("?" * len(block))
            ids = {}
            for r in src.execute(f'SELECT * FROM "order" WHERE id IN ({marks}) ORDER BY id', block):
                r = list(r)
                ids[r[0]] = next_order
                r[0] = next_order
                r[sn_i] = NEW_PREFIX + r[sn_i][2:]
                orders.append(tuple(r))
                next_order += 1
            for r in src.execute(
                "SELECT order_id, goods_id, sku_id, goods_name, spec, outer_id, outer_goods_id, quantity, "
                f"unit_price_fen FROM order_item WHERE order_id IN ({marks}) ORDER BY order_id, id",
                block,
            ):
                items.append((ids[r[0]], *r[1:]))
            for oid, cid, number, shipped, signed in src.execute(
                "SELECT po.order_id, p.courier_id, p.tracking_number, p.shipped_at, p.signed_at "
                "FROM package_order po JOIN package p ON p.id = po.package_id "
                f"WHERE po.order_id IN ({marks}) AND p.voided_at IS NULL AND p.kind = 'normal' "
                "GROUP BY po.order_id",
                block,
            ):
                packages.append((next_package, cid, number, shipped, signed))
                links.append((next_package, ids[oid]))
                next_package += 1
        updates = []
        for start in range(0, len(old_ids), _CHUNK):
            block = old_ids[start : start + _CHUNK]
            marks = ",".join("?" * len(block))
            # The signing times the file carries (the base copy has them cleared).
            for _oid, signed, sn in original.execute(
                f'SELECT id, signed_at, order_sn FROM "order" WHERE id IN ({marks})', block
            ):
                updates.append((3, signed, sn))
    finally:
        src.close()
        original.close()
    insert_order = f'INSERT INTO "order" ({", ".join(cols)}) VALUES ({",".join("?" * len(cols))})'
    return {
        "orders": orders,
        "items": items,
        "packages": packages,
        "links": links,
        "updates": updates,
        "insert_order": insert_order,
    }


def run_raw(db: Path, w: dict) -> float:
    """Seconds for the raw ``executemany`` writes in one ``BEGIN IMMEDIATE`` transaction."""
    from pdd_desktop.data.db import PRAGMAS

    conn = sqlite3.connect(db, isolation_level=None)
    for key, value in PRAGMAS.items():
        conn.execute(f"PRAGMA {key} = {value}")
    start = time.perf_counter()
    conn.execute("BEGIN IMMEDIATE")
    conn.executemany(w["insert_order"], w["orders"])
    conn.executemany(
        "INSERT INTO order_item (order_id, goods_id, sku_id, goods_name, spec, outer_id, outer_goods_id, "
        "quantity, unit_price_fen) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        w["items"],
    )
    conn.executemany(
        "INSERT INTO package (id, courier_id, tracking_number, kind, shipped_at, signed_at, is_exception, "
        "void_reason, sort_code, hub) VALUES (?, ?, ?, 'normal', ?, ?, 0, '', '', '')",
        w["packages"],
    )
    conn.executemany("INSERT INTO package_order (package_id, order_id) VALUES (?, ?)", w["links"])
    conn.executemany('UPDATE "order" SET status = ?, signed_at = ? WHERE order_sn = ?', w["updates"])
    conn.execute("COMMIT")
    elapsed = time.perf_counter() - start
    conn.close()
    return elapsed


# --------------------------------------------------------------------------------------------
# The whole run
# --------------------------------------------------------------------------------------------


def run(db: Path, figure: Callable[[str, float, str], None], rows: int = ROWS) -> None:
    """Every figure of this module on copies of the shop at ``db`` (left untouched)."""
    db = Path(db).resolve()
    with tempfile.TemporaryDirectory(prefix="bench-imports-", dir=db.parent) as tmp_dir:
        tmp = Path(tmp_dir)
        picked = make_exports(db, tmp, rows)
        base = tmp / "base.db"
        copy_s = _copy(db, base)
        _move_back(base, picked["old_ids"])

        results = {}
        for name in ("csv", "xlsx"):
            copy = tmp / f"{name}.db"
            _copy(base, copy)
            results[name] = _child(copy, tmp / f"export.{name}")
            if name == "csv":  # the small file, on the same (now imported) copy: the flat-memory check
                results["small"] = _child(copy, tmp / "small.csv")
            for suffix in ("", "-wal", "-shm"):
                Path(str(copy) + suffix).unlink(missing_ok=True)

        w = raw_writes(db, base, picked["new_ids"], picked["old_ids"])
        raw_copy = tmp / "raw.db"
        _copy(base, raw_copy)
        raw_s = run_raw(raw_copy, w)

        csv_r, xlsx_r, small = results["csv"], results["xlsx"], results["small"]
        for r in (csv_r, xlsx_r):
            if (
                r["rows"] != rows
                or r["errors"]
                or r["rows_new"] != rows - rows // 2
                or r["rows_updated"] != rows // 2
            ):
                raise SystemExit(f"unexpected import result: {r}")
        files = {
            p.name: p.stat().st_size / 1e6 for p in tmp.iterdir() if p.name.startswith(("export", "small"))
        }
        print(
            f"conditions: shop {db} ({_count(db)} orders); file {rows} rows in the platform's older layout "
            f"(old generation, full receivers, tracking numbers): {rows - rows // 2} rows = "
            f"{len(picked['new_ids'])} new orders (renumbered {NEW_PREFIX}…), {rows // 2} rows = "
            f"{len(picked['old_ids'])} existing orders 已发货 → 已签收 "
            f"({picked['multi_item_orders']} extra rows from multi-item orders); "
            f"CSV UTF-8 with BOM {files['export.csv']:.1f} MB, "
            f"XLSX (text cells) {files['export.xlsx']:.1f} MB; "
            f"copies by sqlite3 backup ({copy_s:.1f} s each) next to the shop, deleted afterwards; "
            f"app pragmas (WAL, synchronous=FULL); {os.cpu_count()} CPUs; Python {sys.version.split()[0]}, "
            f"SQLite {sqlite3.sqlite_version}",
            flush=True,
        )
        print(
            f"  csv:  check {csv_r['check_s']:.1f} s + apply {csv_r['apply_s']:.1f} s "
            f"(new {csv_r['new']}, updated {csv_r['updated']}, unchanged {csv_r['unchanged']} orders), "
            f"peak RSS {csv_r['rss_mb']:.0f} MB\n"
            f"  xlsx: check {xlsx_r['check_s']:.1f} s + apply {xlsx_r['apply_s']:.1f} s, "
            f"peak RSS {xlsx_r['rss_mb']:.0f} MB\n"
            f"  raw executemany of the same writes ({len(w['orders'])} orders, {len(w['items'])} items, "
            f"{len(w['packages'])} parcels, {len(w['updates'])} updates by order number): {raw_s:.2f} s\n"
            f"  flat memory: a {SMALL_ROWS}-row CSV import peaks at {small['rss_mb']:.0f} MB "
            f"(check {small['check_s']:.1f} s + apply {small['apply_s']:.1f} s)",
            flush=True,
        )
        figure("import_csv_rows_per_s", rows / (csv_r["check_s"] + csv_r["apply_s"]), "rows/s")
        figure("import_xlsx_rows_per_s", rows / (xlsx_r["check_s"] + xlsx_r["apply_s"]), "rows/s")
        figure("import_apply_vs_raw_ratio", csv_r["apply_s"] / raw_s, "x")
        figure("import_peak_rss_mb", max(csv_r["rss_mb"], xlsx_r["rss_mb"]), "MB")


def _count(db: Path) -> int:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return int(conn.execute('SELECT COUNT(*) FROM "order"').fetchone()[0])
    finally:
        conn.close()


def register(benchmark, figure, bench_shop) -> None:
    """Add ``imports`` to ``python -m bench`` (in its own processes, for the memory figure)."""

    def imports(args: argparse.Namespace) -> None:
        """200,000-row order export (CSV, XLSX) into the shop: rows/s, apply vs raw, peak RSS."""
        run(bench_shop(args).db_file, figure)

    benchmark(imports)


def main(argv: list[str] | None = None) -> int:
    """Standalone: the import figures for one shop file (``--child`` runs one import)."""
    parser = argparse.ArgumentParser(prog="python -m bench.imports", description=__doc__)
    parser.add_argument("--db", type=Path, required=True, help="shop.db (never modified: copies are used)")
    parser.add_argument("--rows", type=int, default=ROWS, help="rows in the export file")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child is not None:
        print(json.dumps(run_child(args.db, args.child)), flush=True)
        return 0
    from bench.figures import figure

    run(args.db, figure, args.rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
