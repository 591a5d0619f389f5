"""Cloud print benchmark: 1,000 labels through the fake print component.

``cloud_print_1000_s`` is the wall time of one print session (``services.cloud_print``) for 1,000
sealed sandbox waybills, from connecting and the first ``print`` to the last
``PrintResultNotify``, in batches of the session's size. The fake component runs in its own
process, like the real one (a separate program), so its ReportLab rendering does not share the
client's interpreter; its own time is mostly that rendering.
``cloud_print_1000_client_cpu_s`` is the CPU the session's thread used (building the documents,
JSON, framing, masking, reading the results): the app's own share of the wall time.

``waybill_print_1000_s`` is the merchant's whole path for 1,000 labels of a sandbox-synced
shop: ``pdd.waybill.get`` in batches of 10 against the sandbox platform (in this process, on
loopback), the numbers stored, the labels planned (``render_documents(clear_receivers_only=True)``,
receivers encrypted as on a real shop, so no ReportLab PDF), then the print session through the
fake component (its own process) up to its last success. ``waybill_print_1000_app_cpu_s`` is the
CPU of the thread doing all that (the app's share; the sandbox's HTTP threads and the component
are not in it).

``bench/__main__.py`` registers both with ``register(benchmark, figure)``; standalone:
``python -m bench.cloud_print [--waybills]``.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

LABELS = 1000
SECRET = "bench-cloud-print-secret-0000000"

_SERVER = """
import sys, pathlib
from pdd_desktop.sandbox.print_component import FakePrintComponent
fake = FakePrintComponent(sys.argv[1], pathlib.Path(sys.argv[2]))
print(fake.start(), flush=True)
sys.stdin.read()
fake.stop()
"""


def _labels(n: int):
    from pdd_desktop.platform.print_component import SenderAddress
    from pdd_desktop.sandbox.waybill_print import seal, standard_template_url
    from pdd_desktop.services.cloud_print import PrintableWaybill

    sender = SenderAddress(
        "基准测试店",
        "13911112222",
        province="浙江省",
        city="金华市",
        district="义乌市",
        detail="稠州北路 1 号",
    )
    out = []
    for i in range(n):
        code = f"YT{7_100_000_000_000 + i}"
        wb = {
            "waybill_code": code,
            "wp_code": "YTO",
            "sort_code": f"310-A{i % 90 + 10} {i % 7:02d}",
            "hub": "杭州转运中心",
            "parent_waybill_code": "",
            "object_id": str(i),
            "order_sns": [f"261123-{200000 + i}"],
            "items": [{"name": "纯棉短袖T恤", "count": 1}],
            "recipient": {
                "name": f"收件人{i}",
                "mobile": f"138{i:08d}",
                "phone": "",
                "address": {
                    "province": "四川省",
                    "city": "成都市",
                    "district": "武侯区",
                    "town": "",
                    "detail": f"人民南路四段 {i} 号",
                },
            },
            "sender": {"name": "平台寄件人", "mobile": "13000000000", "phone": "", "address": {}},
        }
        out.append(
            PrintableWaybill(
                (i,),
                code,
                seal(SECRET, wb, standard_template_url("YTO")),
                sender,
                {"order_sn": wb["order_sns"][0], "items": wb["items"], "memo": ""},
            )
        )
    return out


def run(figure: Callable[[str, float, str], None], n: int = LABELS) -> None:
    """Print ``n`` labels through a fake component in a child process and report the figures."""
    from pdd_desktop.services.cloud_print import PRINTED, print_waybills

    labels = _labels(n)
    with tempfile.TemporaryDirectory(prefix="bench-cloud-print-") as tmp:
        proc = subprocess.Popen(
            [sys.executable, "-c", _SERVER, SECRET, str(Path(tmp) / "out")],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            url = proc.stdout.readline().strip()
            start = time.perf_counter()
            result = print_waybills(
                labels, url=url, custom_template_url="https://sandbox.pdd-desktop.invalid/custom.xml"
            )
            elapsed = time.perf_counter() - start
        finally:
            proc.stdin.close()
            proc.wait(timeout=30)
    printed = len(result.with_status(PRINTED))
    if printed != n:
        raise SystemExit(f"only {printed} of {n} labels printed: {result.summary()}")
    figure(f"cloud_print_{n}_s", elapsed, "s")
    figure(f"cloud_print_{n}_client_cpu_s", result.client_cpu_s, "s")


#: Demo history the sandbox and the local shop share (enough orders waiting to ship).
WAYBILL_SHOP_ORDERS = 300_000
WAYBILL_NOW0 = 1_764_000_000
WAYBILL_SEED = 11


def run_waybills(figure: Callable[[str, float, str], None], n: int = LABELS) -> None:
    """``n`` orders of a sandbox-synced shop from number request to the component's last success."""
    import shutil

    from pdd_desktop.common import clock
    from pdd_desktop.common.paths import shop_paths
    from pdd_desktop.data.db import close_database, database
    from pdd_desktop.platform.client import StaticTokenSource
    from pdd_desktop.sandbox.server import SandboxServer
    from pdd_desktop.sandbox.state import SandboxShop
    from pdd_desktop.services import printing, waybills
    from pdd_desktop.services import shop as shop_service
    from pdd_desktop.services.cloud_print import PRINTED, print_waybills
    from pdd_desktop.services.demo_shop import build_demo_shop
    from pdd_desktop.services.print_route import SANDBOX_CUSTOM_TEMPLATE
    from pdd_desktop.services.sync import SyncEngine, platform_client

    now0 = WAYBILL_NOW0
    with tempfile.TemporaryDirectory(prefix="bench-waybill-print-") as tmp:
        work = Path(tmp)
        template = work / "demo.db"
        build_demo_shop(template, orders=WAYBILL_SHOP_ORDERS, seed=WAYBILL_SEED, now=now0)
        t0 = time.time()
        sandbox = SandboxShop.open(
            work / "sandbox",
            orders=WAYBILL_SHOP_ORDERS,
            seed=WAYBILL_SEED,
            now0=now0,
            template=template,
            clock=lambda: now0 + 60 + (time.time() - t0),
        )
        server = SandboxServer(sandbox, run_sim=False)
        url = server.start()
        paths = shop_paths(work / "data", "bench").ensure()
        shutil.copyfile(template, paths.db_file)
        shop_service.open_shop(paths)
        clock.set_clock(lambda: now0 + 60 + (time.time() - t0))
        creds = sandbox.credentials
        client = platform_client(
            url,
            creds.client_id,
            creds.client_secret,
            tokens=StaticTokenSource(creds.access_token),
            rate_limits=False,
        )
        client.offset_s = round(sandbox.platform_now() - time.time())
        proc = None
        try:
            report = SyncEngine(client, initial_cursor_ts=now0).run_once()  # the branch accounts
            if report.outcome != "ok":
                raise SystemExit(f"sync failed: {report.message}")
            account = next(
                a for a in waybills.list_accounts() if a.source == "platform" and a.wp_code == "ZTO"
            )
            sandbox.waybills.set_balance("ZTO", n + 100)
            ids = [
                i
                for (i,) in database.execute_sql(
                    'SELECT id FROM "order" o WHERE status = 1 AND refund_status = 1 '
                    "AND after_sales_status = 0 AND NOT EXISTS "
                    "(SELECT 1 FROM package_order po WHERE po.order_id = o.id) ORDER BY id LIMIT ?",
                    (n,),
                ).fetchall()
            ]
            if len(ids) < n:
                raise SystemExit(f"only {len(ids)} orders waiting to ship in the bench shop")
            # A real shop keeps 待发货 receivers encrypted: nothing readable locally.
            database.execute_sql(
                "UPDATE \"order\" SET receiver_name = '', receiver_phone = '', address_detail = '' "
                f"WHERE id IN ({','.join(map(str, ids))})"
            )
            proc = subprocess.Popen(
                [sys.executable, "-c", _SERVER, creds.client_secret, str(work / "printed")],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
            )
            component = proc.stdout.readline().strip()
            cpu0 = time.thread_time()
            start = time.perf_counter()
            doc = printing.render_documents(
                doc_type="label",
                order_ids=ids,
                out=work / "labels.pdf",
                account_id=account.id,
                client=client,
                clear_receivers_only=True,
            )
            issued = time.perf_counter() - start
            result = print_waybills(doc.cloud, url=component, custom_template_url=SANDBOX_CUSTOM_TEMPLATE)
            elapsed = time.perf_counter() - start
            app_cpu = time.thread_time() - cpu0
        finally:
            if proc is not None:
                proc.stdin.close()
                proc.wait(timeout=30)
            server.stop()
            sandbox.close()
            close_database()
            clock.set_clock(None)
    printed = len(result.with_status(PRINTED))
    if printed != n or doc.skipped:
        raise SystemExit(f"only {printed} of {n} labels printed: {result.summary()} {doc.skipped[:3]}")
    figure(f"waybill_print_{n}_s", elapsed, "s")
    figure(f"waybill_print_{n}_issue_s", issued, "s")
    figure(f"waybill_print_{n}_app_cpu_s", app_cpu, "s")


def register(
    benchmark: Callable[[Callable[[argparse.Namespace], None]], object],
    figure: Callable[[str, float, str], None],
) -> None:
    """Add ``cloud_print`` and ``waybill_print`` to ``python -m bench``."""

    def cloud_print(args: argparse.Namespace) -> None:
        """1,000 labels through the fake print component (figures: wall and client CPU)."""
        run(figure)

    def waybill_print(args: argparse.Namespace) -> None:
        """1,000 orders of a sandbox-synced shop: numbers, then the component (wall, app CPU)."""
        run_waybills(figure)

    benchmark(cloud_print)
    benchmark(waybill_print)


def main(argv: list[str] | None = None) -> int:
    """Standalone run."""
    parser = argparse.ArgumentParser(prog="python -m bench.cloud_print", description=__doc__)
    parser.add_argument("--labels", type=int, default=LABELS)
    parser.add_argument("--waybills", action="store_true", help="number issuing + printing (waybill_print)")
    args = parser.parse_args(argv)
    from bench.figures import figure

    (run_waybills if args.waybills else run)(figure, args.labels)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
