"""The ledger rollup (``bill_day``) equals the recomputation from ``bill_entry``, and so do the reads.

Random imports (lines with and without an order, every kind of category, overlapping files,
identical lines, times around Beijing midnight) go through the normal import; after each one
the table must equal an independent Python grouping of the stored lines, and the 账单 reads
(balance, by category, by day, the line count) over random ranges — whole days or cutting
through them — must equal the same figures summed in Python from the lines.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pdd_desktop.data import ledger_rollup
from pdd_desktop.data.db import database, write_transaction
from pdd_desktop.data.queries import funds as q
from pdd_desktop.services import funds, imports
from tests.helpers import bills as bh
from tests.helpers.db import upgraded_fixture

#: (description, 账务类型, sign, names an order).
_DESCS = (
    ("0010002|交易收入-订单收入", "交易收入", 1, True),
    ("0020002|交易退款-订单退款", "交易退款", -1, True),
    ("0030002|技术服务费-基础技术服务费", "技术服务费", -1, True),
    ("0030002|技术服务费-基础技术服务费", "技术服务费", 1, True),
    ("0040004|售后费用-延迟发货", "其他", -1, True),
    ("0060001|营销费用-多多进宝", "多多进宝", -1, False),
    ("0070004|转账-广告账户", "其他", -1, False),
    ("0080001|提现-提现申请", "其他", -1, False),
    ("0099999|新的费用", "其他", -1, False),
)
_SNS = tuple(f"260601-{200000000000000 + i}" for i in range(5))
_T0 = int(datetime(2026, 6, 1, tzinfo=bh.BJ).timestamp())  #: a Beijing midnight


def _line(sn: int, day: int, second: int, amount: int, desc: int) -> bh.Line:
    text, acct, sign, named = _DESCS[desc]
    at = datetime(2026, 6, 1, tzinfo=bh.BJ) + timedelta(days=day, seconds=second)
    income, expense = (bh.yuan(amount), "0.00") if sign > 0 else ("0.00", bh.yuan(-amount))
    remark = "基础技术服务费返还" if text.startswith("0030002") and sign > 0 else ""
    return bh.Line(
        _SNS[sn] if named else "", at.strftime("%Y-%m-%d %H:%M:%S"), income, expense, acct, remark, text
    )


def _lines() -> list[tuple[int, str, int]]:
    return [
        (int(at), cat, int(amount))
        for at, cat, amount in database.execute_sql(
            "SELECT occurred_at, category, amount_fen FROM bill_entry NOT INDEXED"
        ).fetchall()
    ]


def _oracle() -> list[tuple]:
    """The rollup rows grouped in Python from the stored lines."""
    acc: dict[tuple[int, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    for at, cat, amount in _lines():
        a = acc[((at + 8 * 3600) // 86400, cat)]
        a[0] += 1
        a[1 + (amount < 0)] += amount
    return sorted((d, c, *v) for (d, c), v in acc.items())


def _stored() -> list[tuple]:
    return [
        tuple(r) for r in database.execute_sql("SELECT * FROM bill_day ORDER BY day, category").fetchall()
    ]


def _reads_oracle(start: int, end: int, category: str | None):
    """Balance, by category, by day (of ``category``) and the count, summed in Python."""
    lines = _lines()
    balance = sum(a for t, _c, a in lines if t < end)
    cats: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    days: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
    for t, c, a in lines:
        if not start <= t < end:
            continue
        for acc in (cats[c], *([days[(t + 28800) // 86400]] if category in (None, c) else [])):
            acc[0] += 1
            acc[1 + (a < 0)] += a
    count = sum(v[0] for c, v in cats.items() if category in (None, c))
    return (
        balance,
        sorted((c, *v) for c, v in cats.items()),
        [(d, *days[d]) for d in sorted(days, reverse=True)],
        count,
    )


def _reads(start: int, end: int, category: str | None):
    _rows, count = q.rows(start, end, category=category, order_sn=None, limit=5)
    return (
        q.balance(end),
        sorted(q.by_category(start, end)),
        [tuple(r) for r in q.by_day(start, end, category)],
        count,
    )


_LINE = st.tuples(
    st.integers(0, len(_SNS) - 1), st.integers(0, 4), st.sampled_from([0, 1, 3600, 57_599, 57_600, 86_399]),
    st.integers(1, 30_000), st.integers(0, len(_DESCS) - 1),
)  # fmt: skip


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    files=st.lists(st.lists(_LINE, min_size=1, max_size=12), min_size=1, max_size=4), seed=st.integers(0, 9)
)
def test_rollup_and_reads_equal_recomputation_after_random_imports(empty_shop, tmp_path, files, seed):
    bh.empty_ledger()  # hypothesis reuses the shop: start each example from an empty ledger
    rng = random.Random(seed)
    for _ in bh.import_overlapping(tmp_path, [[_line(*x) for x in spec] for spec in files], rng):
        assert _stored() == _oracle()
        for _ in range(4):  # whole days, and ranges cutting through days at either end
            a = _T0 + rng.choice([rng.randrange(-2, 6) * 86_400, rng.randrange(-86_400, 6 * 86_400)])
            b = a + rng.choice([1, 3600, 86_400, 2 * 86_400 + 1, 3 * 86_400, 8 * 86_400])
            category = rng.choice([None, None, "income", "refund", "withdrawal", "unclassified", "marketing"])
            assert _reads(a, b, category) == _reads_oracle(a, b, category), (a - _T0, b - _T0, category)
    expected = _oracle()
    assert expected
    with write_transaction():
        ledger_rollup.rebuild(database.connection())
    assert _stored() == expected


def test_the_overview_reads_whole_days_from_the_rollup_and_the_ends_from_the_lines(empty_shop, tmp_path):
    lines = [
        _line(0, 0, 0, 4990, 0),  # 06-01 00:00:00
        _line(0, 0, 3600, 30, 2),  # 06-01 01:00
        _line(1, 1, 86_399, 1200, 0),  # 06-02 23:59:59
        _line(1, 2, 0, 500, 7),  # 06-03 00:00 withdrawal
    ]
    path = bh.write(tmp_path / "a.csv", bh.csv_text(lines, end="2026-06-03"))
    imports.apply_import(imports.check_import_file(path))
    assert _stored() == _oracle()
    day = (_T0 + 28800) // 86400
    assert _stored() == [
        (day, "income", 1, 4990, 0), (day, "tech_fee", 1, 0, -30),
        (day + 1, "income", 1, 1200, 0), (day + 2, "withdrawal", 1, 0, -500),
    ]  # fmt: skip
    # A range from 06-01 00:30 to 06-02 23:59:59 (exclusive): two partial days, no whole one.
    o = funds.ledger_overview(start=_T0 + 1800, end=_T0 + 2 * 86_400 - 1)
    assert (o.income_fen, o.expense_fen, o.balance_fen) == (0, -30, 4990 - 30)
    # Whole days 06-01 … 06-02 plus 06-03's first second: the withdrawal and balance after it.
    o = funds.ledger_overview(start=_T0, end=_T0 + 2 * 86_400 + 1)
    assert (o.income_fen, o.expense_fen, o.balance_fen) == (4990 + 1200, -30 - 500, 4990 - 30 + 1200 - 500)
    assert [d.lines for d in o.days] == [1, 1, 2]
    # The same file again adds nothing.
    before = _stored()
    imports.apply_import(imports.check_import_file(path))
    assert _stored() == before


def test_the_step_back_fills_the_lines_already_stored(tmp_path):
    """A file of the version before the ledger step (v18) upgrades with the rollup of its bill lines."""
    [[(lines,)]], [stored, again] = upgraded_fixture(
        tmp_path, 18, "SELECT COUNT(*) FROM bill_entry",
        "SELECT * FROM bill_day ORDER BY day, category", ledger_rollup.recomputed_sql(),
    )  # fmt: skip
    assert lines
    assert stored == again and sum(r[2] for r in stored) == lines
