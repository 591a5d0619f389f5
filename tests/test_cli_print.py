"""``pdd-desktop print``: headless labels / picking lists / packing slips on a copy of the demo shop."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pdd_desktop.common.paths import shop_paths
from tests.helpers.db import raw_rows
from tests.printing.helpers import needs_poppler, page_count

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def data_dir(tmp_path, demo_template) -> Path:
    data = tmp_path / "data"
    paths = shop_paths(data).ensure()
    shutil.copyfile(demo_template, paths.db_file)
    return data


def run_cli(*args: str, code: str | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    cmd = (
        [sys.executable, "-m", "pdd_desktop", *args] if code is None else [sys.executable, "-c", code, *args]
    )
    return subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=120, cwd=ROOT)


@needs_poppler
def test_print_labels_to_pdf_records_the_job(data_dir, tmp_path):
    out = tmp_path / "labels.pdf"
    proc = run_cli(
        "print",
        "labels",
        "--status",
        "待发货",
        "--limit",
        "5",
        "--out",
        str(out),
        "--data-dir",
        str(data_dir),
    )
    assert proc.returncode == 0, proc.stderr
    assert page_count(out) == 5
    assert "5 页" in proc.stdout and "已记录打印任务" in proc.stdout
    db = shop_paths(data_dir).db_file
    assert raw_rows(db, "SELECT doc_type, template, printer, pages, order_count FROM print_job") == [
        ("label", "label_76x130", f"PDF:{out.resolve()}", 5, 5)
    ]
    links = raw_rows(db, "SELECT order_id, tracking_number FROM print_job_order")
    assert len(links) == 5 and all(n for _, n in links)
    # The five most urgent 待发货 orders, each with its own reserved pool number.
    urgent = raw_rows(db, 'SELECT id FROM "order" WHERE status = 1 ORDER BY ship_deadline_at, id LIMIT 5')
    assert sorted(o for o, _ in links) == sorted(r[0] for r in urgent)
    allocated = raw_rows(db, "SELECT order_id, tracking_number FROM waybill_number WHERE state = 'allocated'")
    assert sorted(allocated) == sorted(links)
    printed = raw_rows(db, "SELECT COUNT(*) FROM audit_log WHERE action = 'print_label'")
    assert printed == [(5,)]


@needs_poppler
def test_print_picking_and_packing_by_order_numbers(data_dir, tmp_path):
    db = shop_paths(data_dir).db_file
    sns = [r[0] for r in raw_rows(db, 'SELECT order_sn FROM "order" WHERE status = 1 ORDER BY id LIMIT 3')]
    print_counts = raw_rows(db, 'SELECT id, print_count FROM "order" ORDER BY id')
    out = tmp_path / "packing.pdf"
    proc = run_cli(
        "--data-dir", str(data_dir), "print", "packing", "--orders", ",".join(sns), "--out", str(out)
    )
    assert proc.returncode == 0, proc.stderr
    assert page_count(out) == 3
    picking = tmp_path / "picking.pdf"
    proc = run_cli(
        "--data-dir", str(data_dir), "print", "picking", "--status", "待发货", "--out", str(picking)
    )
    assert proc.returncode == 0, proc.stderr
    assert raw_rows(db, "SELECT doc_type, order_count FROM print_job ORDER BY id") == [
        ("packing", 3),
        ("picking", raw_rows(db, 'SELECT COUNT(*) FROM "order" WHERE status = 1')[0][0]),
    ]
    # Neither counts as a printed label.
    assert raw_rows(db, 'SELECT id, print_count FROM "order" ORDER BY id') == print_counts


def test_unknown_order_number_is_a_clear_error_and_qt_stays_out(data_dir, tmp_path):
    db = shop_paths(data_dir).db_file
    known = raw_rows(db, 'SELECT order_sn FROM "order" WHERE status = 1 LIMIT 1')[0][0]
    code = (
        "import sys\n"
        "from pdd_desktop.cli import main\n"
        "rc = main(sys.argv[1:])\n"
        "assert not any(m.startswith(('PySide6', 'shiboken6')) for m in sys.modules), 'Qt imported'\n"
        "sys.exit(rc)\n"
    )
    out = tmp_path / "x.pdf"
    args = [
        "print",
        "labels",
        "--orders",
        f"{known},999999-000",
        "--out",
        str(out),
        "--data-dir",
        str(data_dir),
    ]
    proc = run_cli(*args, code=code)
    assert proc.returncode == 2
    assert "找不到 1 个订单：999999-000" in proc.stderr
    assert not out.exists()
    assert raw_rows(db, "SELECT COUNT(*) FROM print_job") == [(0,)]
    assert raw_rows(db, "SELECT COUNT(*) FROM waybill_number WHERE state = 'allocated'") == [(0,)]
    # Qt-free on the success path too.
    proc = run_cli(
        "print", "labels", "--orders", known, "--out", str(out), "--data-dir", str(data_dir), code=code
    )
    assert proc.returncode == 0, proc.stderr


def test_nothing_printable_exits_non_zero(data_dir, tmp_path):
    out = tmp_path / "x.pdf"
    proc = run_cli(
        "print",
        "labels",
        "--status",
        "已取消",
        "--limit",
        "2",
        "--out",
        str(out),
        "--data-dir",
        str(data_dir),
    )
    assert proc.returncode == 1
    assert "订单已取消，不能打印快递面单" in proc.stdout
    assert not out.exists()
    assert raw_rows(shop_paths(data_dir).db_file, "SELECT COUNT(*) FROM print_job") == [(0,)]


def test_print_needs_a_status_or_orders(data_dir, tmp_path):
    proc = run_cli("print", "labels", "--out", str(tmp_path / "x.pdf"), "--data-dir", str(data_dir))
    assert proc.returncode == 2 and "--status" in proc.stderr
    proc = run_cli(
        "print", "labels", "--status", "待收货", "--out", str(tmp_path / "x.pdf"), "--data-dir", str(data_dir)
    )
    assert proc.returncode == 2 and "订单状态" in proc.stderr
