"""资金 page: figures by category and by day, and the lines behind each figure."""

from __future__ import annotations

import random

from pdd_desktop.common import clock
from pdd_desktop.common.timefmt import to_local
from pdd_desktop.services import imports
from tests.helpers import bills as bh
from tests.helpers.pages import page_fixture

page = page_fixture("funds")


def _import_recent(tmp_path, n=120):
    today = to_local(clock.now()).date()
    first = today.replace(day=1).isoformat()
    lines = bh.random_lines(random.Random(12), n, first, days=today.day)
    text = bh.csv_text(lines, start=first, end=today.isoformat())
    check = imports.check_import_file(bh.write(tmp_path / "b.zip", text, zipped=True))
    assert not check.errors
    imports.apply_import(check)
    return lines


def _money(fen: int) -> str:
    sign = "-" if fen < 0 else ""
    return f"¥{sign}{abs(fen) // 100:,}.{abs(fen) % 100:02d}"


def test_figures_categories_days_and_the_lines_behind_them(qtbot, page, tmp_path):
    v = page.view
    page.refresh()
    assert v.empty_label.isVisibleTo(page) and v.categories_table.rowCount() == 10
    lines = _import_recent(tmp_path)
    v.range_combo.setCurrentIndex(v.range_combo.findData("this_month"))
    page.refresh()
    o = page.overview
    total = sum(bh.fen(ln.income) + bh.fen(ln.expense) for ln in lines)
    assert o.balance_fen == total and o.income_fen + o.expense_fen == total
    assert not v.empty_label.isVisibleTo(page)
    assert v.count_label.text() == f"{len(lines):,} 笔"
    assert f"账单余额 {_money(total)}" in v.figures_label.text()
    # A category's figure and the lines behind it.
    names = [v.categories_table.item(r, 0).text() for r in range(v.categories_table.rowCount())]
    row = names.index("交易收入")
    income = [ln for ln in lines if ln.description.startswith("001")]
    assert v.categories_table.item(row, 1).text() == str(len(income))
    assert v.categories_table.item(row, 4).text() == _money(sum(bh.fen(ln.income) for ln in income))
    v.categories_table.cellClicked.emit(row, 0)
    assert v.rows_table.rowCount() == len(income)
    assert {v.rows_table.item(r, 2).text() for r in range(v.rows_table.rowCount())} == {"交易收入"}
    # A day's lines.
    day_lines = int(v.days_table.item(0, 1).text())
    v.days_table.cellClicked.emit(0, 0)
    assert v.rows_table.rowCount() == day_lines
    day = v.days_table.item(0, 0).text()
    assert all(v.rows_table.item(r, 0).text().startswith(day) for r in range(day_lines))
    # An order's lines.
    sn = next(ln.order_sn for ln in lines if ln.order_sn)
    v.order_edit.setText(sn)
    page._debounce.timeout.emit()
    assert v.rows_table.rowCount() == sum(1 for ln in lines if ln.order_sn == sn)
    assert sn in v.rows_title.text()
    # The category filter narrows the days.
    v.order_edit.clear()
    v.category_combo.setCurrentIndex(v.category_combo.findData("withdrawal"))
    withdrawals = [ln for ln in lines if ln.description.startswith("008")]
    assert sum(int(v.days_table.item(r, 1).text()) for r in range(v.days_table.rowCount())) == len(
        withdrawals
    )
    page.grab().save(str(tmp_path / "funds.png"))


def test_every_category_name_is_in_the_translation_catalogue():
    # The import preview shows domain category labels through tr(): each must be a catalogue source.
    from pathlib import Path
    from xml.sax.saxutils import escape

    from pdd_desktop.domain import funds as fd

    ts = (Path(__file__).parents[2] / "resources" / "i18n" / "pdd_desktop_en.ts").read_text(encoding="utf-8")
    for c in fd.CATEGORIES:
        assert f"<source>{escape(c.label)}</source>" in ts, c.label
