"""``pdd-desktop import BILL.zip``: a bill through the same command as orders."""

from __future__ import annotations

import random

from pdd_desktop.common.paths import shop_paths
from tests.helpers import bills as bh
from tests.helpers.db import raw_rows
from tests.test_cli_import import data_dir  # noqa: F401 - the fixture
from tests.test_cli_print import run_cli


def test_import_a_bill_zip_and_refuse_a_broken_one(data_dir, tmp_path):  # noqa: F811
    lines = bh.random_lines(random.Random(8), 30)
    good = bh.write(tmp_path / "bill.zip", bh.csv_text(lines), zipped=True)
    db = shop_paths(data_dir).db_file
    proc = run_cli("--data-dir", str(data_dir), "import", str(good))
    assert proc.returncode == 0, proc.stderr
    assert "新的账单行 30 行" in proc.stdout
    assert raw_rows(db, "SELECT COUNT(*), SUM(amount_fen) FROM bill_entry") == [
        (30, sum(bh.fen(ln.income) + bh.fen(ln.expense) for ln in lines))
    ]
    n, inc, m, exp = bh.totals(lines)
    broken = bh.write(tmp_path / "broken.csv", bh.csv_text(lines, summary=(n, inc, m, exp - 1)))
    proc = run_cli("--data-dir", str(data_dir), "import", str(broken), "--accept-partial")
    assert proc.returncode != 0
    assert "支出合计与明细不符" in proc.stdout and "整个文件都没有导入" in proc.stdout + proc.stderr
    assert raw_rows(db, "SELECT COUNT(*) FROM bill_entry") == [(30,)]
