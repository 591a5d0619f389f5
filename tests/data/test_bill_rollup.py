"""The per-order bill rollup (``bill_order``) equals the recomputation from ``bill_entry``.

Random imports (orders named again across files, identical lines, overlapping periods, uncoded
settlement lines) go through the normal import; after each one the table must equal an
independent Python reading of the stored lines, and :func:`bill_rollup.rebuild` must give the
same rows.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pdd_desktop.data import bill_rollup
from pdd_desktop.data.db import database, write_transaction
from pdd_desktop.data.queries import reconcile as q
from pdd_desktop.services import imports
from tests.helpers import bills as bh
from tests.helpers.db import upgraded_fixture

#: Descriptions of lines naming an order (plus the uncoded settlement text of merchant-data.md §1.3).
_DESCS = (
    ("0010002|交易收入-订单收入", "交易收入", 1),
    ("交易收入-订单收入", "交易收入", 1),
    ("0020002|交易退款-订单退款", "交易退款", -1),
    ("0030002|技术服务费-基础技术服务费", "技术服务费", -1),
    ("0030002|技术服务费-基础技术服务费", "技术服务费", 1),
    ("0040004|售后费用-延迟发货", "其他", -1),
    ("0060001|营销费用-多多进宝", "多多进宝", -1),
    ("0140028|其他支出-合作费追回", "其他", -1),
    ("0070004|转账-广告账户", "其他", -1),
    ("0099999|新的费用", "其他", -1),
)
_SNS = tuple(f"260601-{100000000000000 + i}" for i in range(8))

#: The rollup's own columns (the 利润 facts on the same rows are checked in test_profit_facts).
ROLLUP = f"SELECT {', '.join(bill_rollup.COLUMNS)} FROM bill_order"


def _line(sn: int, day: int, second: int, amount: int, desc: int) -> bh.Line:
    text, acct, sign = _DESCS[desc]
    at = datetime(2026, 6, 1, tzinfo=bh.BJ) + timedelta(days=day, seconds=second)
    income, expense = (bh.yuan(amount), "0.00") if sign > 0 else ("0.00", bh.yuan(-amount))
    remark = "基础技术服务费返还" if text.startswith("0030002") and sign > 0 else ""
    return bh.Line(_SNS[sn], at.strftime("%Y-%m-%d %H:%M:%S"), income, expense, acct, remark, text)


def _oracle() -> list[tuple]:
    """The rollup rows computed in Python from the stored lines."""
    acc: dict[str, list] = defaultdict(lambda: [0] * 8 + [None, None, None])
    rows = database.execute_sql(
        "SELECT order_sn, occurred_at, amount_fen, code, category, description FROM bill_entry"
    ).fetchall()
    for sn, at, amount, code, category, desc in rows:
        if not sn:
            continue
        a = acc[sn]
        settles = code == "0010002" or (code == "" and "交易收入-订单收入" in desc)
        a[0] += 1
        if settles:
            a[1] += 1
            a[2] += amount
            a[10] = at if a[10] is None else min(a[10], at)
        slot = {"income": 3, "refund": 4, "tech_fee": 5, "tech_fee_return": 5, "compensation": 6,
                "marketing": 7, "other": 7}.get(category)  # fmt: skip
        if slot is not None:
            a[slot] += amount
        a[8] = at if a[8] is None else min(a[8], at)
        a[9] = at if a[9] is None else max(a[9], at)
    return sorted((sn, *a) for sn, a in acc.items())


_T0 = int(datetime(2026, 6, 1, tzinfo=bh.BJ).timestamp())


def _range_oracle(start: int, end: int) -> list[tuple]:
    """Per order number, its lines in ``[start, end)`` grouped straight from ``bill_entry``."""
    return database.execute_sql(
        f"SELECT b.order_sn, MIN(CASE WHEN {q.SETTLE} THEN b.occurred_at END), "
        "COALESCE(SUM(CASE WHEN b.category = 'income' THEN b.amount_fen ELSE 0 END), 0), "
        "COALESCE(SUM(CASE WHEN b.category = 'refund' THEN b.amount_fen ELSE 0 END), 0), "
        "COALESCE(SUM(CASE WHEN b.category IN ('tech_fee', 'tech_fee_return') "
        "THEN b.amount_fen ELSE 0 END), 0), "
        "COALESCE(SUM(CASE WHEN b.category = 'compensation' THEN b.amount_fen ELSE 0 END), 0), "
        "COALESCE(SUM(CASE WHEN b.category IN ('marketing', 'other') THEN b.amount_fen ELSE 0 END), 0), "
        "MIN(b.occurred_at), NULL, NULL FROM bill_entry b NOT INDEXED "
        "WHERE b.occurred_at >= ? AND b.occurred_at < ? AND b.order_sn != '' "
        "GROUP BY b.order_sn ORDER BY b.order_sn",
        (start, end),
    ).fetchall()


def _orphan_oracle(start: int, end: int) -> list[tuple]:
    """Lines in ``[start, end)`` naming an order number the shop does not have, line by line."""
    return database.execute_sql(
        "SELECT b.id, b.occurred_at, b.order_sn, b.amount_fen, b.category, b.description "
        "FROM bill_entry b NOT INDEXED WHERE b.occurred_at >= ? AND b.occurred_at < ? AND b.order_sn != '' "
        'AND b.order_sn NOT IN (SELECT order_sn FROM "order") ORDER BY b.occurred_at, b.id',
        (start, end),
    ).fetchall()


def _stored() -> list[tuple]:
    return [tuple(r) for r in database.execute_sql(f"{ROLLUP} ORDER BY order_sn").fetchall()]


_LINE = st.tuples(
    st.integers(0, len(_SNS) - 1), st.integers(0, 4), st.sampled_from([0, 3600, 7200, 50_000]),
    st.integers(1, 30_000), st.integers(0, len(_DESCS) - 1),
)  # fmt: skip


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    files=st.lists(st.lists(_LINE, min_size=1, max_size=12), min_size=1, max_size=4), seed=st.integers(0, 9)
)
def test_rollup_equals_recomputation_after_random_imports(empty_shop, tmp_path, files, seed):
    bh.empty_ledger()  # hypothesis reuses the shop: start each example from an empty ledger
    rng = random.Random(seed)
    for _ in bh.import_overlapping(tmp_path, [[_line(*x) for x in spec] for spec in files], rng):
        assert _stored() == _oracle()
        for _ in range(3):  # ranges cutting through orders' lines: the rollup path of 利润
            a = _T0 + rng.randrange(-86_400, 6 * 86_400)
            b = a + rng.choice([1, 3600, 86_400, 3 * 86_400, 8 * 86_400])
            assert q.lines_by_order_with_orders(a, b) == _range_oracle(a, b)
            assert q.orphan_lines(a, b) == _orphan_oracle(a, b)
    expected = _oracle()
    assert expected  # every example names orders
    with write_transaction():
        bill_rollup.rebuild(database.connection())
    assert _stored() == expected


def test_a_file_applied_twice_changes_no_sum(empty_shop, tmp_path):
    lines = [
        _line(0, 0, 0, 4990, 0),
        _line(0, 0, 0, 30, 3),
        _line(1, 1, 3600, 1200, 1),
        _line(0, 2, 0, 4990, 2),
    ]
    path = bh.write(tmp_path / "a.csv", bh.csv_text(lines, end="2026-06-03"))
    imports.apply_import(imports.check_import_file(path))
    first = _stored()
    assert first == _oracle()
    assert first[0][:4] == (_SNS[0], 3, 1, 4990) and first[0][4:9] == (4990, -4990, -30, 0, 0)
    assert first[1][2:4] == (1, 1200) and first[1][-1] == first[1][-3]  # the uncoded settlement counts
    imports.apply_import(imports.check_import_file(path))
    assert _stored() == first


def test_the_step_back_fills_the_lines_already_stored(tmp_path):
    """A file of the version before the rollup step (v16) upgrades with the rollup of its bill lines."""
    [[(lines,)]], [stored, again] = upgraded_fixture(
        tmp_path, 16, "SELECT COUNT(*) FROM bill_entry WHERE order_sn != ''",
        f"{ROLLUP} ORDER BY order_sn", bill_rollup.recomputed_sql(),
    )  # fmt: skip
    assert lines
    assert stored == again and sum(r[1] for r in stored) == lines
