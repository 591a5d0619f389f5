"""Printing benchmarks: 1,000 labels (and a bare ReportLab loop for comparison), a 5,000-order picking list.

``bench/__main__.py`` registers them with two lines (after ``bench_shop`` is defined)::

    from bench import printing as _printing_bench
    _printing_bench.register(benchmark, figure)

Standalone: ``python -m bench.printing``. The data is synthetic (the DB-driven picking list comes
later). ``labels_db_1000`` renders labels of 1,000 shipped orders of the bench shop through the
service (``register_db(benchmark, figure, bench_shop)`` in ``bench/__main__.py``).

The bare loop draws the same strings at fixed positions with ``drawString`` and the same
barcode painters (``draw_code128`` / ``draw_qr``), without templates or text fitting, so the ratio
measures layout overhead. (ReportLab's stock ``Code128.drawOn`` + ``QrCodeWidget`` + ``renderPDF``
took 18.7 s for the same 1,000 labels: the QR mask search and per-bar float formatting.)
"""

from __future__ import annotations

import argparse
import io
import random
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from pdd_desktop.printing import (
    LabelData,
    LabelItem,
    PickingList,
    aggregate,
    default_font,
    load_template,
    render_labels,
    render_picking_list,
)
from pdd_desktop.printing.barcodes import draw_code128, draw_qr

_PROVINCES = [
    "浙江省杭州市西湖区",
    "广东省深圳市南山区",
    "四川省成都市武侯区",
    "新疆维吾尔自治区乌鲁木齐市天山区",
]
_STREETS = [
    "文三路 478 号华星时代广场 A 座",
    "科苑路 15 号科兴科学园 B 栋",
    "人民南路四段 1 号",
    "解放北路 88 号幸福花园",
]
_GOODS = ["纯棉短袖T恤", "加厚保暖袜子", "不锈钢保温杯", "手机壳", "儿童书包", "厨房收纳盒"]
_SPECS = ["白色/L", "黑色 5 双装", "500ml 星空蓝", "iPhone 15", "粉色", "三件套"]


def synthetic_labels(n: int, seed: int = 7) -> list[LabelData]:
    rnd = random.Random(seed)
    out = []
    for _ in range(n):
        items = tuple(
            LabelItem(rnd.choice(_GOODS), rnd.choice(_SPECS), rnd.randint(1, 3))
            for _ in range(rnd.randint(1, 6))
        )
        out.append(
            LabelData(
                courier_name=rnd.choice(["中通快递", "圆通速递", "韵达快递", "极兔速递"]),
                tracking_no=f"75{rnd.randrange(10**12):012d}",
                receiver_name=rnd.choice(["张小明", "李四", "王芳芳", "欧阳娜娜"]),
                receiver_phone_masked=f"1{rnd.randint(30, 99)}****{rnd.randrange(10000):04d}",
                receiver_address=rnd.choice(_PROVINCES)
                + rnd.choice(_STREETS)
                + f"{rnd.randint(1, 30)}{rnd.randint(1, 9)}0{rnd.randint(1, 9)} 室",
                sender_name="小刘的杂货铺",
                sender_phone="0571-88886666",
                sender_address="浙江省金华市义乌市福田街道国际商贸城二区 12 号门 3 楼",
                order_sn=f"241123-{rnd.randrange(10**15):015d}",
                printed_at="2026-11-23 20:15",
                sort_code=f"{rnd.randint(100, 999)}-{rnd.choice('ABCDH')}{rnd.randint(10, 99)}",
                hub=rnd.choice(["杭州转运中心", "深圳集散中心", "成都分拨中心"]),
                items=items,
                buyer_memo=rnd.choice(["", "请尽快发货", "周末送货，放门卫"]),
                seller_memo=rnd.choice(["", "送小礼品"]),
            )
        )
    return out


def bare_labels(labels: list[LabelData], font: str) -> bytes:
    """The same strings and barcodes drawn by a plain ReportLab loop: fixed positions, no fitting."""
    buf = io.BytesIO()
    w, h = 76 * mm, 130 * mm
    c = Canvas(buf, pagesize=(w, h), initialFontName=font)
    for lab in labels:
        c.setFont(font, 14)
        c.drawString(3 * mm, h - 7 * mm, lab.courier_name)
        c.drawRightString(w - 3 * mm, h - 7 * mm, lab.service_name)
        draw_code128(c, lab.tracking_no, 3 * mm, h - 22 * mm, 70 * mm, 10.5 * mm)
        c.setFont(font, 9)
        c.drawCentredString(w / 2, h - 25 * mm, lab.tracking_no)
        c.setFont(font, 24)
        c.drawCentredString(w / 2, h - 35 * mm, lab.sort_code or "")
        c.setFont(font, 11)
        c.drawCentredString(w / 2, h - 42 * mm, "集包地：" + (lab.hub or ""))
        c.drawString(10 * mm, h - 49 * mm, f"{lab.receiver_name}  {lab.receiver_phone_masked}")
        c.drawString(10 * mm, h - 55 * mm, lab.receiver_address)
        c.setFont(font, 8)
        c.drawString(10 * mm, h - 69 * mm, f"{lab.sender_name}  {lab.sender_phone}")
        c.drawString(10 * mm, h - 74 * mm, lab.sender_address)
        draw_code128(c, lab.tracking_no, 10 * mm, h - 87 * mm, 56 * mm, 7 * mm)
        c.drawCentredString(w / 2, h - 90 * mm, lab.tracking_no)
        c.drawString(
            3 * mm,
            h - 95 * mm,
            "商品：" + "；".join(f"{i.short_name} {i.spec}×{i.quantity}" for i in lab.items),
        )
        c.drawString(3 * mm, h - 108 * mm, "买家留言：" + lab.buyer_memo)
        c.drawString(3 * mm, h - 115 * mm, "卖家备注：" + lab.seller_memo)
        draw_qr(c, lab.tracking_no, 54.5 * mm, h - 92 * mm, 20 * mm)
        c.drawString(3 * mm, h - 125 * mm, "订单号：" + lab.order_sn)
        c.drawString(3 * mm, h - 129 * mm, "打印时间：" + lab.printed_at)
        c.showPage()
    c.save()
    return buf.getvalue()


def _best(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def labels_1000(figure: Callable[[str, float, str], None], repeat: int = 3) -> None:
    """1,000 labels 76×130 through the template renderer, and the bare loop, in the same run."""
    labels = synthetic_labels(1000)
    font = default_font().name  # registered once per process, as in the app
    template = load_template()
    render_labels(labels[:5], template, io.BytesIO())  # warm-up: imports, width caches
    ours = _best(lambda: render_labels(labels, template, io.BytesIO()), repeat)
    bare = _best(lambda: bare_labels(labels, font), repeat)
    figure("labels_1000_s", ours, "s")
    figure("labels_bare_1000_s", bare, "s")
    figure("labels_vs_bare_ratio", ours / bare, "x")


def synthetic_picking(orders: int, seed: int = 7) -> PickingList:
    rnd = random.Random(seed)
    skus = [
        (f"SKU-{i:05d}", f"{rnd.choice(_GOODS)}{rnd.choice(['', '加大款', '2026新款'])}", rnd.choice(_SPECS))
        for i in range(1300)
    ]
    rows = [
        (f"O{o}", *rnd.choice(skus), rnd.randint(1, 3))
        for o in range(orders)
        for _ in range(rnd.randint(1, 3))
    ]
    lines, n = aggregate(rows)
    return PickingList(tuple(lines), n, "2026-11-23 20:15", "小刘的杂货铺")


def picking_5000(figure: Callable[[str, float, str], None], repeat: int = 3) -> None:
    """Picking list for 5,000 orders' SKU lines (about 1,300 rows, ~40 A4 pages)."""
    default_font()
    picking = synthetic_picking(5000)
    figure("picking_5000_s", _best(lambda: render_picking_list(picking, io.BytesIO()), repeat), "s")


def register(benchmark: Callable, figure: Callable[[str, float, str], None]) -> None:
    """Register ``labels_1000`` and ``picking_5000`` with ``python -m bench``."""

    def labels_1000_bench(args: argparse.Namespace) -> None:
        labels_1000(figure, min(args.repeat, 3))

    def picking_5000_bench(args: argparse.Namespace) -> None:
        picking_5000(figure, min(args.repeat, 3))

    labels_1000_bench.__name__ = "labels_1000"
    picking_5000_bench.__name__ = "picking_5000"
    benchmark(labels_1000_bench)
    benchmark(picking_5000_bench)


def labels_db_1000(db_file: Path, figure: Callable[[str, float, str], None], repeat: int = 3) -> None:
    """1,000 labels of shipped orders through ``services.printing.render_documents``, DB reads included.

    Shipped orders print their parcel's number, so nothing is allocated: the shop is only read.
    """
    from pdd_desktop.data.db import close_database, database, open_database
    from pdd_desktop.services.printing import render_documents

    open_database(db_file)
    try:
        ids = [
            r[0]
            for r in database.execute_sql(
                'SELECT o.id FROM "order" o WHERE o.status = 2 AND o.refund_status = 1 '
                "AND o.after_sales_status = 0 AND (SELECT COUNT(*) FROM package_order x WHERE x.package_id = "
                "(SELECT package_id FROM package_order WHERE order_id = o.id LIMIT 1)) = 1 "
                "ORDER BY o.id DESC LIMIT 1000"
            ).fetchall()
        ]
        default_font()
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "labels.pdf"
            render_documents(doc_type="label", order_ids=ids[:5], out=out)  # warm-up
            pages = 0

            def run() -> None:
                nonlocal pages
                pages = render_documents(doc_type="label", order_ids=ids, out=out).pages

            elapsed = _best(run, repeat)
        print(f"  {len(ids):,} shipped orders -> {pages:,} labels", flush=True)
        figure("labels_db_1000_s", elapsed, "s")
    finally:
        close_database()


def register_db(
    benchmark: Callable,
    figure: Callable[[str, float, str], None],
    bench_shop: Callable[[argparse.Namespace], object],
) -> None:
    """Register ``labels_db_1000`` (needs the bench shop) with ``python -m bench``."""

    def labels_db_1000_bench(args: argparse.Namespace) -> None:
        labels_db_1000(bench_shop(args).db_file, figure, min(args.repeat, 3))

    labels_db_1000_bench.__name__ = "labels_db_1000"
    benchmark(labels_db_1000_bench)


if __name__ == "__main__":
    from bench.figures import figure as _figure

    labels_1000(_figure)
    picking_5000(_figure)
