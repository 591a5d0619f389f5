"""Poppler / zbar helpers for the printing tests."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from pdd_desktop.printing import LabelData, LabelItem

POINT_MM = 25.4 / 72

needs_poppler = pytest.mark.skipif(
    not all(shutil.which(t) for t in ("pdfinfo", "pdftotext", "pdffonts", "pdftoppm")),
    reason="poppler-utils missing",
)
needs_zbar = pytest.mark.skipif(not shutil.which("zbarimg"), reason="zbarimg missing")


def run(*args: str) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def page_size_mm(pdf: Path) -> tuple[float, float]:
    m = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", run("pdfinfo", str(pdf)))
    assert m, "no page size"
    return float(m.group(1)) * POINT_MM, float(m.group(2)) * POINT_MM


def page_count(pdf: Path) -> int:
    return int(re.search(r"Pages:\s+(\d+)", run("pdfinfo", str(pdf))).group(1))


def text(pdf: Path, *, first: int | None = None, last: int | None = None) -> str:
    args = ["pdftotext", "-enc", "UTF-8"]
    if first:
        args += ["-f", str(first)]
    if last:
        args += ["-l", str(last)]
    return run(*args, str(pdf), "-")


def word_boxes(pdf: Path) -> list[tuple[float, float, float, float, float, float, str]]:
    """(xMin, yMin, xMax, yMax, page width, page height, word) in points, for every word."""
    html = run("pdftotext", "-bbox", "-enc", "UTF-8", str(pdf), "-")
    out = []
    page_w = page_h = 0.0
    for line in html.splitlines():
        pm = re.search(r'<page width="([\d.]+)" height="([\d.]+)"', line)
        if pm:
            page_w, page_h = float(pm.group(1)), float(pm.group(2))
        wm = re.search(
            r'xMin="([\d.-]+)" yMin="([\d.-]+)" xMax="([\d.-]+)" yMax="([\d.-]+)">(.*)</word>', line
        )
        if wm:
            out.append((*(float(wm.group(i)) for i in range(1, 5)), page_w, page_h, wm.group(5)))
    return out


def fonts(pdf: Path) -> list[list[str]]:
    lines = run("pdffonts", str(pdf)).splitlines()[2:]
    return [line.split() for line in lines if line.strip()]


def decode(png: Path) -> set[str]:
    """``TYPE:data`` of every symbol zbar finds."""
    proc = subprocess.run(["zbarimg", "-q", str(png)], capture_output=True, text=True)
    return {line.strip() for line in proc.stdout.splitlines() if line.strip()}


def rasterize(pdf: Path, out_prefix: Path, dpi: int = 300, page: int = 1) -> Path:
    run(
        "pdftoppm",
        "-r",
        str(dpi),
        "-png",
        "-f",
        str(page),
        "-l",
        str(page),
        "-singlefile",
        str(pdf),
        str(out_prefix),
    )
    return out_prefix.with_suffix(".png")


def make_label(**over) -> LabelData:
    base = dict(
        courier_name="中通快递",
        tracking_no="75312345678901",
        receiver_name="张小明",
        receiver_phone_masked="138****1234",
        receiver_address="浙江省杭州市西湖区文三路 478 号华星时代广场 A 座 1203 室",
        sender_name="小刘的杂货铺",
        sender_phone="0571-88886666",
        sender_address="浙江省金华市义乌市福田街道国际商贸城二区 12 号门",
        order_sn="241123-123456789012345",
        printed_at="2026-11-23 20:15",
        sort_code="300-H12 05",
        hub="杭州转运中心",
        items=(LabelItem("纯棉T恤", "白色/L", 2), LabelItem("运动袜", "黑色", 1)),
        buyer_memo="请尽快发货",
        seller_memo="送小礼品",
    )
    base.update(over)
    return LabelData(**base)
