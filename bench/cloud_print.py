"""Cloud print benchmark: 1,000 labels through the fake print component.

``cloud_print_1000_s`` is the wall time of one print session (``services.cloud_print``) for 1,000
sealed sandbox waybills, from connecting and the first ``print`` to the last
``PrintResultNotify``, in batches of the session's size. The fake component runs in its own
process, like the real one (a separate program), so its ReportLab rendering does not share the
client's interpreter; its own time is mostly that rendering.
``cloud_print_1000_client_cpu_s`` is the CPU the session's thread used (building the documents,
JSON, framing, masking, reading the results): the app's own share of the wall time.

``bench/__main__.py`` registers it with ``register(benchmark, figure)``; standalone:
``python -m bench.cloud_print``. (The issue's ``waybill_print_1000_s`` adds number issuing
against the sandbox platform later.)
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


def register(
    benchmark: Callable[[Callable[[argparse.Namespace], None]], object],
    figure: Callable[[str, float, str], None],
) -> None:
    """Add ``cloud_print`` to ``python -m bench``."""

    def cloud_print(args: argparse.Namespace) -> None:
        """1,000 labels through the fake print component (figures: wall and client CPU)."""
        run(figure)

    benchmark(cloud_print)


def main(argv: list[str] | None = None) -> int:
    """Standalone run."""
    parser = argparse.ArgumentParser(prog="python -m bench.cloud_print", description=__doc__)
    parser.add_argument("--labels", type=int, default=LABELS)
    args = parser.parse_args(argv)
    from bench.figures import figure

    run(figure, args.labels)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
