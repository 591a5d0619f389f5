"""Bill files through the import: every variant, sums to the fen, refusals, overlaps, twice."""

from __future__ import annotations

import random
import sqlite3
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pdd_desktop.domain.errors import NotAllowed, ValidationError
from pdd_desktop.services import imports
from tests.helpers import bills as bh
from tests.helpers.db import dump_tables

TABLES = ("bill_entry", "bill_period", "import_batch", "import_row_error")


def _db(shop):
    return sqlite3.connect(shop.db_file)


def _state(shop) -> dict:
    return dump_tables(shop.db_file, TABLES)


def _import(path):
    check = imports.check_import_file(path)
    assert not check.errors, check.errors[:3]
    return check, imports.apply_import(check)


def _category_oracle(lines: list[bh.Line]) -> dict[str, int]:
    """Sums per category, by an independent reading of the codes."""
    names = {
        "001": "income", "002": "refund", "004": "compensation", "006": "marketing", "007": "transfer",
        "008": "withdrawal", "014": "other",
    }  # fmt: skip
    out: dict[str, int] = {}
    for ln in lines:
        amount = bh.fen(ln.income) + bh.fen(ln.expense)
        prefix = ln.description[:3]
        if prefix == "003":
            key = "tech_fee_return" if amount > 0 else "tech_fee"
        else:
            key = names.get(prefix, "unclassified")
        out[key] = out.get(key, 0) + amount
    return out


VARIANTS = [
    pytest.param(
        enc,
        zipped,
        ascii_parens,
        id=f"{enc}-{'zip' if zipped else 'csv'}-{'ascii' if ascii_parens else 'fw'}",
    )
    for enc in ("gb18030", "utf-8", "utf-8-sig")
    for zipped in (True, False)
    for ascii_parens in (False, True)
]


@pytest.mark.parametrize(("encoding", "zipped", "ascii_parens"), VARIANTS)
def test_every_variant_sums_to_the_fen(empty_shop, tmp_path, encoding, zipped, ascii_parens):
    rng = random.Random(f"{encoding}{zipped}{ascii_parens}")
    lines = bh.random_lines(rng, 300, "2026-06-01", days=30)
    text = bh.csv_text(lines, start="2026-06-01", end="2026-06-30", ascii_parens=ascii_parens)
    path = bh.write(tmp_path / ("bill.zip" if zipped else "bill.csv"), text, encoding=encoding, zipped=zipped)
    check, result = _import(path)
    assert check.kind == "bills" and check.rows_total == 300 and check.new == 300
    assert "收入合计、支出合计与明细相符" in check.summary
    assert result.new == 300 and result.changes.funds
    db = _db(empty_shop)
    got = dict(db.execute("SELECT category, SUM(amount_fen) FROM bill_entry GROUP BY category"))
    assert got == _category_oracle(lines)
    inc_n, inc, exp_n, exp = bh.totals(lines)
    assert db.execute("SELECT SUM(amount_fen) FROM bill_entry").fetchone()[0] == inc + exp
    period = db.execute(
        "SELECT income_rows, income_fen, expense_rows, expense_fen FROM bill_period"
    ).fetchone()
    assert period == (inc_n, inc, exp_n, exp)
    # The order lines keep their numbers; lines without an order have none.
    assert db.execute("SELECT COUNT(*) FROM bill_entry WHERE order_sn = ''").fetchone()[0] == sum(
        1 for ln in lines if not ln.order_sn
    )


def test_unknown_codes_are_kept_as_unclassified(empty_shop, tmp_path):
    lines = [
        bh.Line("", "2026-06-01 10:00:00", "0.00", "-5.00", "其他", "", "0090001|"),
        bh.Line("", "2026-06-01 10:00:01", "3.00", "0.00", "其他", "", "9990009|神秘收入-新项目"),
        bh.Line("260601-123456789012345", "2026-06-01 11:00:00", "12.50", "0.00", "交易收入", "",
                "0010002|交易收入-订单收入"),
    ]  # fmt: skip
    path = bh.write(tmp_path / "b.csv", bh.csv_text(lines))
    _import(path)
    rows = (
        _db(empty_shop)
        .execute("SELECT description, category, amount_fen FROM bill_entry ORDER BY id")
        .fetchall()
    )
    assert rows == [
        ("0090001|", "unclassified", -500),
        ("9990009|神秘收入-新项目", "unclassified", 300),
        ("0010002|交易收入-订单收入", "income", 1250),
    ]


def test_same_file_twice_and_zip_then_its_csv_change_nothing(empty_shop, tmp_path):
    lines = bh.random_lines(random.Random(3), 200)
    text = bh.csv_text(lines)
    zipped = bh.write(tmp_path / "b.zip", text, zipped=True)
    _import(zipped)
    before = _state(empty_shop)
    again = imports.check_import_file(zipped)
    assert again.already_imported
    assert imports.apply_import(again).already_imported
    assert _state(empty_shop) == before
    # The CSV inside (other bytes, same lines): nothing new.
    inner = bh.write(tmp_path / "b.csv", text)
    check = imports.check_import_file(inner)
    assert (check.new, check.unchanged) == (0, 200)
    result = imports.apply_import(check)
    assert result.new == 0 and not result.changes.funds
    assert _db(empty_shop).execute("SELECT COUNT(*) FROM bill_entry").fetchone()[0] == 200


def test_overlapping_periods_do_not_double_count(empty_shop, tmp_path):
    rng = random.Random(7)
    june = bh.random_lines(rng, 400, "2026-06-01", days=30)
    july = bh.random_lines(rng, 200, "2026-07-01", days=15)
    # Identical-looking lines are real: the same fee twice in one second, in both files.
    twin = bh.Line("260620-111111111111111", "2026-06-20 12:00:00", "0.00", "-0.30", "技术服务费", "",
                   "0030002|技术服务费-基础技术服务费")  # fmt: skip
    june += [twin, twin]
    late_june = [ln for ln in june if ln.at >= "2026-06-15"]
    _import(bh.write(tmp_path / "june.zip", bh.csv_text(june, end="2026-06-30"), zipped=True))
    overlap = late_june + july
    check, result = _import(
        bh.write(
            tmp_path / "mid.csv", bh.csv_text(overlap, start="2026-06-15", end="2026-07-15"), encoding="utf-8"
        )
    )
    assert (check.new, check.unchanged) == (len(july), len(late_june))
    assert result.new == len(july)
    db = _db(empty_shop)
    everything = june + july
    assert db.execute("SELECT COUNT(*) FROM bill_entry").fetchone()[0] == len(everything)
    assert db.execute("SELECT SUM(amount_fen) FROM bill_entry").fetchone()[0] == sum(
        bh.fen(ln.income) + bh.fen(ln.expense) for ln in everything
    )
    assert (
        db.execute("SELECT COUNT(*) FROM bill_entry WHERE order_sn = ?", (twin.order_sn,)).fetchone()[0] == 2
    )


@pytest.mark.parametrize(
    ("broken", "message"),
    [
        ("total", "收入合计与明细不符"),
        ("count", "支出合计与明细不符"),
        ("amount", "金额格式不对"),
        ("date", "日期不存在"),
        ("outside", "不在账单的起止时间内"),
        ("sign", "支出金额应写成负数"),
    ],
)
def test_a_broken_file_is_refused_whole(empty_shop, tmp_path, broken, message):
    lines = bh.random_lines(random.Random(11), 50)
    _import(bh.write(tmp_path / "first.csv", bh.csv_text(bh.random_lines(random.Random(1), 5))))
    before = _state(empty_shop)
    summary = None
    inc_n, inc, exp_n, exp = bh.totals(lines)
    if broken == "total":
        summary = (inc_n, inc + 1, exp_n, exp)
    elif broken == "count":
        summary = (inc_n, inc, exp_n + 1, exp)
    elif broken == "amount":
        lines[7] = bh.Line(
            lines[7].order_sn, lines[7].at, "12.345", "0.00", "交易收入", "", lines[7].description
        )
    elif broken == "date":
        lines[9] = replace(lines[9], at="2026-06-31 10:00:00")
    elif broken == "outside":
        lines[9] = replace(lines[9], at="2026-06-02 00:00:00")
    elif broken == "sign":
        lines[3] = replace(lines[3], income="0.00", expense="27.50")
    path = bh.write(tmp_path / "bad.zip", bh.csv_text(lines, summary=summary), zipped=True)
    check = imports.check_import_file(path)
    assert check.errors and any(message in e.message for e in check.errors), check.errors
    for partial in (False, True):
        with pytest.raises(NotAllowed, match="整个文件都没有导入"):
            imports.apply_import(imports.check_import_file(path), accept_partial=partial)
    assert _state(empty_shop) == before


def test_no_summary_lines_is_a_warning_and_missing_columns_an_error(empty_shop, tmp_path):
    lines = bh.random_lines(random.Random(5), 10)
    check = imports.check_import_file(bh.write(tmp_path / "a.csv", bh.csv_text(lines, with_summary=False)))
    assert not check.errors and "无法用合计核对" in check.summary
    imports.discard_check(check)
    text = bh.csv_text(lines).replace(",业务描述", ",说明")
    with pytest.raises(ValidationError, match=r"不是拼多多账单文件|无法识别"):
        imports.check_import_file(bh.write(tmp_path / "b.csv", text))


def test_zip_without_one_csv_is_refused(empty_shop, tmp_path):
    import zipfile

    path = tmp_path / "two.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("a.csv", "x")
        zf.writestr("b.csv", "y")
    with pytest.raises(ValidationError, match="正好有一个账单 CSV"):
        imports.check_import_file(path)
    (tmp_path / "junk.zip").write_bytes(b"PK\x03\x04 broken")
    with pytest.raises(ValidationError, match="ZIP"):
        imports.check_import_file(tmp_path / "junk.zip")


def test_extra_trailing_column_is_tolerated(empty_shop, tmp_path):
    lines = bh.random_lines(random.Random(9), 20)
    check, result = _import(bh.write(tmp_path / "x.csv", bh.csv_text(lines, extra_column=True)))
    assert result.new == 20 and "费项" in check.unknown_columns


_CELL = st.one_of(
    st.text(max_size=12),
    st.sampled_from(
        ["", "-", "1e5", "12.345", "１２.５０", "--1", "+-3", "2026-13-01 00:00:00", "NaN", "\x00", "9" * 20]
    ),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(broken=st.lists(st.tuples(st.integers(0, 19), st.integers(0, 6), _CELL), min_size=1, max_size=4))
def test_random_malformed_rows_never_half_apply(empty_shop, tmp_path, broken):
    """Random damage: either the file is refused whole (nothing changes) or it is all consistent."""
    lines = bh.random_lines(random.Random(21), 20)
    summary = bh.totals(lines)
    rows = [list(ln.__dict__.values()) for ln in lines]
    for r, c, v in broken:
        rows[r][c] = v.replace("\r", "").replace("\n", "").replace('"', "")
    damaged = [bh.Line(*r) for r in rows]
    path = bh.write(tmp_path / "h.csv", bh.csv_text(damaged, summary=summary), encoding="utf-8")
    before = _state(empty_shop)
    try:
        check = imports.check_import_file(path)
    except ValidationError:
        assert _state(empty_shop) == before
        return
    if check.errors:
        with pytest.raises(NotAllowed):
            imports.apply_import(check)
        assert _state(empty_shop) == before
        return
    result = imports.apply_import(check)
    db = _db(empty_shop)
    total = db.execute("SELECT COALESCE(SUM(amount_fen), 0) FROM bill_entry").fetchone()[0]
    assert total == summary[1] + summary[3]  # it passed its own control totals
    assert result.new + result.unchanged == check.rows_total
    db.execute("DELETE FROM bill_entry")
    db.execute("DELETE FROM bill_period")
    db.execute("DELETE FROM import_batch")
    db.commit()
