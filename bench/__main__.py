"""Run benchmarks: ``python -m bench all --orders 1000000`` (a process per group) or ``python -m bench NAME``.

Each benchmark prints its figures as ``bench: <name> = <value> <unit>`` lines. Shops built for
benchmarks are cached under ``bench/out/`` by order count and seed, so a second run reuses them
(``--rebuild`` forces a fresh one; ``demo_generate`` always builds).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from bench.figures import figure
from pdd_desktop.common import clock
from pdd_desktop.common.paths import ShopPaths, shop_paths

OUT = Path(__file__).parent / "out"
SEED = 7

BENCHMARKS: dict[str, Callable[[argparse.Namespace], None]] = {}


def benchmark(fn: Callable[[argparse.Namespace], None]) -> Callable[[argparse.Namespace], None]:
    """Register a benchmark under its function name."""
    BENCHMARKS[fn.__name__] = fn
    return fn


def _suffix(orders: int) -> str:
    return "1m" if orders == 1_000_000 else f"{orders // 1000}k" if orders % 1000 == 0 else str(orders)


def bench_shop(args: argparse.Namespace) -> ShopPaths:
    """The cached demo shop for ``--orders`` (built when missing)."""
    paths = shop_paths(OUT / f"data-{args.orders}", "demo").ensure()
    if args.rebuild or not paths.db_file.exists():
        _build(paths, args.orders)
        args.rebuild = False
    return paths


def _build(paths: ShopPaths, orders: int) -> float:
    from pdd_desktop.services.demo_shop import build_demo_shop

    for suffix in ("", "-wal", "-shm"):
        Path(str(paths.db_file) + suffix).unlink(missing_ok=True)
    start = time.perf_counter()
    build_demo_shop(paths.db_file, orders=orders, seed=SEED, now=clock.now())
    return time.perf_counter() - start


@benchmark
def demo_generate(args: argparse.Namespace) -> None:
    """Time to build the demo shop (target for 1M orders: under 120 s)."""
    paths = shop_paths(OUT / f"data-{args.orders}", "demo").ensure()
    elapsed = _build(paths, args.orders)
    args.rebuild = False
    figure(f"demo_generate_{_suffix(args.orders)}_s", elapsed, "s")


@benchmark
def db_size(args: argparse.Namespace) -> None:
    """Database size on disk (file plus WAL)."""
    paths = bench_shop(args)
    size = sum(
        Path(str(paths.db_file) + s).stat().st_size
        for s in ("", "-wal")
        if Path(str(paths.db_file) + s).exists()
    )
    figure("db_size_mb", size / 1e6, "MB")


@benchmark
def home_counters(args: argparse.Namespace) -> None:
    """The home page's snapshot query (target under 100 ms): first (cold connection) and median."""
    from pdd_desktop.data.db import close_database, open_database
    from pdd_desktop.services.home import home_snapshot

    paths = bench_shop(args)
    open_database(paths.db_file)
    times = []
    for _ in range(7):
        start = time.perf_counter()
        home_snapshot()
        times.append((time.perf_counter() - start) * 1000)
    close_database()
    figure("home_counters_first_ms", times[0], "ms")
    figure("home_counters_ms", statistics.median(times), "ms")


def time_to_home(command: list[str], paths: ShopPaths, repeat: int) -> list[float]:
    """Seconds from starting ``command`` (the app on ``paths``) to its first painted home page."""
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    env["PDD_DESKTOP_BENCH_STARTUP"] = "1"
    env["XDG_CONFIG_HOME"] = str(OUT / "config")  # do not touch the user's window settings
    times = []
    for _ in range(repeat):
        start = time.time()
        proc = subprocess.run(
            [*command, "--data-dir", str(paths.data_dir)],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        marks = [line for line in proc.stdout.splitlines() if line.startswith("home_painted_at=")]
        if proc.returncode != 0 or not marks:
            raise SystemExit(
                f"app did not reach the home page (exit {proc.returncode}):\n{proc.stderr[-2000:]}"
            )
        times.append(float(marks[0].split("=", 1)[1]) - start)
    return times


@benchmark
def startup(args: argparse.Namespace) -> None:
    """Process start to the first painted home page with its counters (target under 1.5 s)."""
    times = time_to_home([sys.executable, "-m", "pdd_desktop"], bench_shop(args), args.repeat)
    figure("startup_to_home_first_s", times[0], "s")
    figure("startup_to_home_s", statistics.median(times), "s")


from bench import orders as _orders_bench  # noqa: E402 - registers the order-list benchmarks

_orders_bench.register(benchmark, figure, bench_shop)
from bench import orders_ui as _orders_ui_bench  # noqa: E402 - registers the order-page benchmarks

_orders_ui_bench.register(benchmark, figure, bench_shop)
from bench import logistics as _logistics_bench  # noqa: E402 - registers the 物流概况 benchmark

_logistics_bench.register(benchmark, figure, bench_shop)
from bench import printing as _printing_bench  # noqa: E402 - registers the printing benchmarks

_printing_bench.register(benchmark, figure)
_printing_bench.register_db(benchmark, figure, bench_shop)
from bench import sync as _sync_bench  # noqa: E402 - registers the sync benchmarks

_sync_bench.register(benchmark, figure, bench_shop)
from bench import imports as _imports_bench  # noqa: E402 - registers the file-import benchmark

_imports_bench.register(benchmark, figure, bench_shop)
from bench import cloud_print as _cloud_print_bench  # noqa: E402 - registers the print-component benchmark

_cloud_print_bench.register(benchmark, figure)
from bench import dashboards as _dashboards_bench  # noqa: E402 - registers the 数据 benchmarks

_dashboards_bench.register(benchmark, figure, bench_shop)
from bench import bundle as _bundle_bench  # noqa: E402 - registers the frozen-bundle benchmark

_bundle_bench.register(benchmark, figure, bench_shop, time_to_home)
from bench import messages as _messages_bench  # noqa: E402 - registers the 站内信 benchmark

_messages_bench.register(benchmark, figure)
from bench import goods as _goods_bench  # noqa: E402 - registers the 商品 page benchmark

_goods_bench.register(benchmark, figure)
from bench import alerts as _alerts_bench  # noqa: E402 - registers the 预警提醒 benchmark

_alerts_bench.register(benchmark, figure, bench_shop)
from bench import funds as _funds_bench  # noqa: E402 - registers the 资金 benchmarks

_funds_bench.register(benchmark, figure, bench_shop)

from bench import after_sales as _after_sales_bench  # noqa: E402 - registers the 售后 page benchmark

_after_sales_bench.register(benchmark, figure)


def main(argv: list[str] | None = None) -> int:
    """Parse arguments and run the chosen benchmarks."""
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("name", choices=["all", *BENCHMARKS], help="benchmark to run, or all")
    parser.add_argument("--orders", type=int, default=1_000_000, help="orders in the demo shop")
    parser.add_argument("--repeat", type=int, default=5, help="repetitions where a median is taken")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the cached demo shop first")
    parser.add_argument("--clean", action="store_true", help="delete bench/out afterwards")
    args = parser.parse_args(argv)
    if args.name == "all":
        # Each group in its own process, so memory and stall figures are not carried over
        # from an earlier group (the first one builds the shared demo shop if missing).
        passed = [f"--orders={args.orders}", f"--repeat={args.repeat}"]
        for i, name in enumerate(BENCHMARKS):
            extra = ["--rebuild"] if args.rebuild and i == 0 else []
            code = subprocess.call([sys.executable, "-m", "bench", name, *passed, *extra])
            if code != 0:
                print(f"bench: {name} failed (exit {code})", file=sys.stderr)
                return code
    else:
        BENCHMARKS[args.name](args)
    if args.clean:
        shutil.rmtree(OUT, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
