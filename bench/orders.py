"""发货中心 read-side benchmarks: first screens, tab counts, fragment search, the full id list, row blocks.

``bench/__main__.py`` registers them with two lines (after ``bench_shop`` is defined)::

    from bench import orders as _orders_bench
    _orders_bench.register(benchmark, figure, bench_shop)

Registering from here with ``from bench.__main__ import benchmark`` would not work: under
``python -m bench`` that module runs as ``__main__``, and importing ``bench.__main__`` again
would fill a second, unused ``BENCHMARKS``. Standalone: ``python -m bench.orders --db PATH``.

A cached bench shop older than the current schema is never migrated in place: a migrated copy
is made beside it once (``orders-v<N>.db``) and reused.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from pdd_desktop.data import migrations
from pdd_desktop.data.db import close_database, database, open_database

REPEAT = 7


def _median_ms(fn: Callable[[], object], repeat: int = REPEAT) -> tuple[float, float]:
    """(first, median) wall time of ``fn`` in ms."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return times[0], statistics.median(times)


def migrated_db(db_file: Path) -> Path:
    """``db_file`` itself when it has the latest schema, else a migrated copy beside it."""
    latest = migrations.latest_version()
    if migrations.read_version(db_file) == latest:
        return db_file
    copy = db_file.with_name(f"orders-v{latest}.db")
    if not copy.exists() or copy.stat().st_mtime < db_file.stat().st_mtime:
        for suffix in ("", "-wal", "-shm"):
            Path(str(copy) + suffix).unlink(missing_ok=True)
        shutil.copyfile(db_file, copy)
        start = time.perf_counter()
        migrations.migrate(copy)
        print(f"migrated a copy to v{latest} in {time.perf_counter() - start:.1f} s: {copy}", flush=True)
    return copy


def run(db_file: Path, figure: Callable[[str, float, str], None]) -> None:
    """Measure every read the order page makes on the shop at ``db_file`` and print figures."""
    from pdd_desktop.services import orders as svc

    open_database(migrated_db(db_file))
    try:
        # "Now" at the shop's last order, so the deadline views hold what a live shop would.
        now = database.execute_sql('SELECT MAX(created_at) FROM "order"').fetchone()[0]
        first_screens = {}
        for view, _label in svc.VIEWS:
            f = svc.OrderFilter(view=view)

            def screen(f=f) -> None:
                svc.rows_for_ids(svc.search_ids(f, now=now, limit=200))

            first, median = _median_ms(screen)
            first_screens[view] = median
            n = svc.count_orders(f, now=now)
            print(
                f"  {view:15s} first screen {median:7.1f} ms (cold {first:7.1f} ms), {n:,} orders", flush=True
            )
        worst = max(first_screens, key=first_screens.get)
        print(f"  slowest first screen: {worst}", flush=True)
        figure("orders_query_first_screen_ms", first_screens[worst], "ms")
        figure("orders_query_first_screen_median_view_ms", statistics.median(first_screens.values()), "ms")

        figure(
            "orders_view_counts_ms", _median_ms(lambda: svc.view_counts(svc.OrderFilter(), now=now))[1], "ms"
        )
        sn = database.execute_sql('SELECT order_sn FROM "order" WHERE id = ?', (now % 997 + 1,)).fetchone()[0]
        fragment = svc.OrderFilter(order_sn=sn[-5:])
        figure(
            "orders_view_counts_fragment_ms",
            _median_ms(lambda: svc.view_counts(fragment, now=now))[1],
            "ms",
        )
        figure(
            "orders_search_fragment_ms",
            _median_ms(
                lambda: (svc.search_ids(fragment, now=now, limit=200), svc.count_orders(fragment, now=now))
            )[1],
            "ms",
        )
        figure(
            "orders_all_ids_ms", _median_ms(lambda: svc.search_ids(svc.OrderFilter(), now=now), 3)[1], "ms"
        )
        figure(
            "orders_all_ids_created_desc_ms",
            _median_ms(lambda: svc.search_ids(svc.OrderFilter(), sort="created_desc", now=now), 3)[1],
            "ms",
        )
        block = svc.search_ids(svc.OrderFilter(view="signed"), sort="amount_desc", now=now, limit=200)
        figure("orders_rows_block_ms", _median_ms(lambda: svc.rows_for_ids(block))[1], "ms")
        figure("orders_detail_ms", _median_ms(lambda: svc.order_detail(block[7]))[1], "ms")
    finally:
        close_database()


def register(
    benchmark: Callable[[Callable[[argparse.Namespace], None]], object],
    figure: Callable[[str, float, str], None],
    bench_shop: Callable[[argparse.Namespace], object],
) -> None:
    """Add the ``orders_read`` benchmark to ``python -m bench`` (see the module docstring)."""

    def orders_read(args: argparse.Namespace) -> None:
        """Order list reads (targets: first screen and counts under 100 ms each)."""
        run(bench_shop(args).db_file, figure)

    benchmark(orders_read)


def main(argv: list[str] | None = None) -> int:
    """Standalone run on one database file."""
    parser = argparse.ArgumentParser(prog="python -m bench.orders", description=__doc__)
    parser.add_argument("--db", type=Path, required=True, help="a shop database (not modified)")
    args = parser.parse_args(argv)
    from bench.figures import figure

    run(args.db, figure)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
