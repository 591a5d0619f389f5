"""物流概况 benchmark: the 30-day overview on the bench shop.

No issue sets a target: it runs on the db lane when the 物流概况 tab opens (~0.8 s on 1M orders).

``bench/__main__.py`` registers it like the order benchmarks (after ``bench_shop``)::

    from bench import logistics as _logistics_bench
    _logistics_bench.register(benchmark, figure, bench_shop)

Standalone, read-only on any shop file: ``python -m bench.logistics --db PATH``.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from pdd_desktop.common.timefmt import local_day_start
from pdd_desktop.data.db import close_database, database, open_database

REPEAT = 5


def run(db_file: Path, figure: Callable[[str, float, str], None], repeat: int = REPEAT) -> None:
    """Median of ``repeat`` 30-day overviews, "now" at the shop's newest shipment."""
    from pdd_desktop.services.logistics import logistics_overview, problem_parcels

    open_database(db_file)
    try:
        now = database.execute_sql("SELECT MAX(shipped_at) FROM package").fetchone()[0] or int(time.time())
        start, end = local_day_start(now, 29), now + 1
        times = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            ov = logistics_overview(start=start, end=end, now=now)
            times.append((time.perf_counter() - t0) * 1000)
        print(
            f"  30 days: {ov.totals.parcels:,} parcels, {ov.totals.orders:,} orders (cold {times[0]:.1f} ms)",
            flush=True,
        )
        figure("logistics_overview_ms", statistics.median(times), "ms")
        t0 = time.perf_counter()
        problem_parcels("stalled", start=start, end=end, now=now)
        figure("logistics_problem_list_ms", (time.perf_counter() - t0) * 1000, "ms")
    finally:
        close_database()


def register(
    benchmark: Callable[[Callable[[argparse.Namespace], None]], object],
    figure: Callable[[str, float, str], None],
    bench_shop: Callable[[argparse.Namespace], object],
) -> None:
    """Add the ``logistics_overview`` benchmark to ``python -m bench``."""

    def logistics_overview(args: argparse.Namespace) -> None:
        """物流概况 for 30 days (figure only; see the module docstring)."""
        run(bench_shop(args).db_file, figure, args.repeat)

    benchmark(logistics_overview)


def main(argv: list[str] | None = None) -> int:
    """Standalone run on one database file (only read)."""
    parser = argparse.ArgumentParser(prog="python -m bench.logistics", description=__doc__)
    parser.add_argument("--db", type=Path, required=True, help="a shop database (not modified)")
    parser.add_argument("--repeat", type=int, default=REPEAT)
    args = parser.parse_args(argv)
    from bench.figures import figure

    run(args.db, figure, args.repeat)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
