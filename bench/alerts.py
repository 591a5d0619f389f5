"""``python -m bench alerts``: one evaluation of every alert rule after a sync changed 500 orders.

On the cached demo shop (1M orders by default). The "sync" is 500 order rows written as the
pull's apply writes them, in one transaction: 250 unshipped orders get a ship deadline within
the next hours (即将超时) and 250 others are shipped. The evaluation (every rule's reads plus
its write transaction) then runs inside that transaction, which is rolled back afterwards, so
the cached shop is never changed. Target (issue 17): under 200 ms.
"""

from __future__ import annotations

import argparse
import statistics
import time

HOUR = 3600


def run(args: argparse.Namespace, bench_shop, figure) -> None:
    """Time ``services.alerts.evaluate`` ``args.repeat`` times after the simulated sync."""
    from pdd_desktop.data.db import database
    from pdd_desktop.domain.orders import OrderStatus
    from pdd_desktop.services import alerts
    from pdd_desktop.services import shop as shop_service

    paths = bench_shop(args)
    shop_service.open_shop(paths)
    now = int(database.execute_sql('SELECT MAX(created_at) FROM "order"').fetchone()[0])
    to_ship = int(OrderStatus.TO_SHIP)
    ids = [
        r[0]
        for r in database.execute_sql(
            'SELECT id FROM "order" WHERE status = ? ORDER BY id DESC LIMIT 500', (to_ship,)
        ).fetchall()
    ]
    print(f"  {len(ids):,} orders changed by the simulated sync", flush=True)
    times: list[float] = []
    for i in range(args.repeat):
        with database.atomic() as tx:
            for n, oid in enumerate(ids[:250]):
                database.execute_sql(
                    'UPDATE "order" SET ship_deadline_at = ?, platform_updated_at = ? WHERE id = ?',
                    (now + 600 + n * 60 + i, now, oid),
                )
            database.execute_sql(
                'UPDATE "order" SET status = ?, shipped_at = ?, platform_updated_at = ? '
                f"WHERE id IN ({','.join('?' * len(ids[250:]))})",
                (int(OrderStatus.SHIPPED), now, now, *ids[250:]),
            )
            start = time.perf_counter()
            evaluation = alerts.evaluate(now + i)
            times.append((time.perf_counter() - start) * 1000)
            found = alerts.open_alerts(now + i, include_snoozed=True)
            tx.rollback()
        if i == 0:
            failed = evaluation.failed_rules
            print(f"  first (cold cache): {times[0]:.0f} ms; rules failed: {failed}", flush=True)
            for a in found:
                print(f"  {a.key}: {a.count:,}", flush=True)
    shop_service.close_shop()
    print(f"  all runs: {', '.join(f'{t:.0f}' for t in times)} ms", flush=True)
    figure("alerts_eval_ms", statistics.median(times), "ms")


def register(benchmark, figure, bench_shop) -> None:
    """Add ``alerts`` to ``python -m bench``."""

    def alerts(args: argparse.Namespace) -> None:
        """Every alert rule once after a sync changed 500 orders (the cached shop is unchanged)."""
        run(args, bench_shop, figure)

    benchmark(alerts)
