"""``pdd-desktop import``: headless, prints the report, non-zero when rows were rejected."""

from __future__ import annotations

import shutil
import sqlite3

import pytest

from pdd_desktop.common.paths import shop_paths
from tests.fixtures.exports import make_exports as mx
from tests.helpers.db import raw_rows
from tests.test_cli_print import run_cli


@pytest.fixture
def data_dir(tmp_path, demo_template):
    data = tmp_path / "data"
    paths = shop_paths(data).ensure()
    shutil.copyfile(demo_template, paths.db_file)
    # A real shop with the demo's orders: files are never imported into a demo shop.
    with sqlite3.connect(paths.db_file) as conn:
        conn.execute("UPDATE shop SET is_demo = 0")
    return data


def _file(tmp_path, demo_template, *, bad: bool):
    orders = mx.order_rows(demo_template, "status = 1", limit=5)
    renamed = [({**o, "order_sn": "99" + o["order_sn"][2:]}, items) for o, items in orders]
    rows = mx.table(renamed, "new")
    if bad:
        header = rows[0]
        rows[2][header.index("订单状态")] = "火星上"
    return mx.write(tmp_path / ("bad.csv" if bad else "good.csv"), rows, "gb18030")


def test_import_a_good_file_then_the_same_file_again(data_dir, tmp_path, demo_template):
    path = _file(tmp_path, demo_template, bad=False)
    db = shop_paths(data_dir).db_file
    before = raw_rows(db, 'SELECT COUNT(*) FROM "order"')[0][0]
    proc = run_cli("--data-dir", str(data_dir), "import", str(path))
    assert proc.returncode == 0, proc.stderr
    assert raw_rows(db, 'SELECT COUNT(*) FROM "order"')[0][0] == before + 5
    again = run_cli("--data-dir", str(data_dir), "import", str(path))
    assert again.returncode == 0 and "导入过" in again.stdout + again.stderr
    assert raw_rows(db, 'SELECT COUNT(*) FROM "order"')[0][0] == before + 5


def test_a_bad_row_is_reported_and_nothing_changes(data_dir, tmp_path, demo_template):
    path = _file(tmp_path, demo_template, bad=True)
    db = shop_paths(data_dir).db_file
    before = raw_rows(db, 'SELECT COUNT(*) FROM "order"')
    proc = run_cli("--data-dir", str(data_dir), "import", str(path))
    assert proc.returncode == 1
    out = proc.stdout + proc.stderr
    assert "第 3 行" in out and "订单状态" in out and "火星上" in out
    assert raw_rows(db, 'SELECT COUNT(*) FROM "order"') == before
