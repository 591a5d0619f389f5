"""The refund ledger: refunded money by Shanghai day, goods and reason; refund rate per goods."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from pdd_desktop.common import clock
from pdd_desktop.data.db import database
from pdd_desktop.domain.errors import ValidationError
from pdd_desktop.services import after_sales as svc
from tests.helpers.db import q
from tests.sandbox import NOW0

BJ = timezone(timedelta(hours=8))


@pytest.fixture
def shop(sandbox_demo_shop):
    # a clean slate of cases: the ledger is checked against cases made here
    database.execute_sql("DELETE FROM after_sale_event")
    database.execute_sql("DELETE FROM after_sale")
    return sandbox_demo_shop


def bj(day: int, hour: int, minute: int = 0) -> int:
    return int(datetime(2026, 11, day, hour, minute, tzinfo=BJ).timestamp())


def add_case(
    order_id: int, goods_id: int | None, status: int, fen: int, reason: str, closed: int | None
) -> None:
    cid = (q("SELECT MAX(id) FROM after_sale")[0][0] or 9_100_000_000) + 7
    database.execute_sql(
        "INSERT INTO after_sale (id, order_id, type, status, reason, buyer_remark, refund_amount_fen, "
        "goods_id, quantity, return_tracking_number, return_shipping_name, created_at, closed_at) "
        "VALUES (?, ?, 1, ?, ?, '', ?, ?, 1, '', '', ?, ?)",
        (cid, order_id, status, reason, fen, goods_id, (closed or NOW0) - 3600, closed),
    )


def two_goods_orders() -> tuple[int, int, list[int], list[int]]:
    """Two goods and the orders holding them (one goods per order, the demo's first lines)."""
    rows = q(
        'SELECT o.id, i.goods_id FROM "order" o JOIN order_item i ON i.order_id = o.id '
        "WHERE (SELECT COUNT(DISTINCT goods_id) FROM order_item x WHERE x.order_id = o.id) = 1 ORDER BY o.id"
    )
    goods = []
    for _oid, gid in rows:
        if gid not in goods:
            goods.append(gid)
        if len(goods) == 2:
            break
    g1, g2 = goods
    return g1, g2, [o for o, g in rows if g == g1][:4], [o for o, g in rows if g == g2][:2]


def test_ledger_by_day_goods_reason_across_the_shanghai_midnight(shop):
    g1, g2, o1, o2 = two_goods_orders()
    add_case(o1[0], g1, 10, 1000, "质量问题", bj(20, 23, 59))  # Shanghai 11-20 (UTC 11-20 15:59)
    add_case(o1[1], g1, 10, 250, "不想要了", bj(21, 0, 1))  # Shanghai 11-21 (UTC still 11-20)
    add_case(o2[0], g2, 10, 399, "质量问题", bj(21, 12))
    add_case(o1[2], g1, 4, 777, "质量问题", None)  # 退款中: not refunded yet
    add_case(o1[3], g1, 11, 888, "质量问题", bj(21, 9))  # 买家撤销: closed, no money back
    add_case(o2[1], g2, 10, 5000, "质量问题", bj(22, 0, 0))  # the end bound is exclusive
    ledger = svc.refund_ledger(start=bj(20, 0), end=bj(22, 0))
    assert (ledger.cases, ledger.refunded_fen) == (3, 1649)
    assert [(d.label, d.cases, d.refunded_fen) for d in ledger.by_day] == [
        ("2026-11-20", 1, 1000),
        ("2026-11-21", 2, 649),
    ]
    assert [(g.goods_id, g.cases, g.refunded_fen) for g in ledger.by_goods] == [(g1, 2, 1250), (g2, 1, 399)]
    assert all(g.label for g in ledger.by_goods)
    assert [(r.label, r.cases, r.refunded_fen) for r in ledger.by_reason] == [
        ("质量问题", 2, 1399),
        ("不想要了", 1, 250),
    ]


def test_refund_rate_per_goods_over_the_orders_paid_in_the_period(shop):
    g1, _g2, o1, _o2 = two_goods_orders()
    start, end = bj(1, 0), bj(2, 0)
    database.execute_sql('UPDATE "order" SET paid_at = ?', (start - 10,))  # outside the period
    database.execute_sql(
        f'UPDATE "order" SET paid_at = ? WHERE id IN ({",".join("?" * len(o1))})', (start + 60, *o1)
    )
    add_case(o1[0], g1, 10, 100, "质量问题", end + 86400 * 5)  # refunded later: still counts
    add_case(o1[1], None, 10, 100, "整单退款", start + 600)  # a case on the whole order
    add_case(o1[2], g1, 4, 100, "质量问题", None)  # not refunded (yet)
    ledger = svc.refund_ledger(start=start, end=end)
    (rate,) = [r for r in ledger.rates if r.goods_id == g1]
    assert (rate.paid_orders, rate.refunded_orders) == (len(o1), 2)
    assert rate.rate_permille == (2 * 1000 + len(o1) // 2) // len(o1)
    # only goods of orders paid in the period are rated
    assert {r.goods_id for r in ledger.rates} == {
        g
        for (g,) in q(
            f"SELECT DISTINCT goods_id FROM order_item WHERE order_id IN ({','.join('?' * len(o1))})", *o1
        )
    }


def test_rate_rounding_is_integer_half_up():
    assert svc.GoodsRefundRate(1, "a", 3, 1).rate_permille == 333
    assert svc.GoodsRefundRate(1, "a", 3, 2).rate_permille == 667
    assert svc.GoodsRefundRate(1, "a", 8, 1).rate_permille == 125
    assert svc.GoodsRefundRate(1, "a", 0, 0).rate_permille == 0


def test_last_days_end_today_in_shanghai(shop):
    g1, _g2, o1, _o2 = two_goods_orders()
    now = bj(25, 0, 30)  # 00:30 in Shanghai, still 11-24 in UTC
    clock.set_clock(lambda: now)
    add_case(o1[0], g1, 10, 300, "质量问题", bj(25, 0, 10))
    add_case(o1[1], g1, 10, 400, "质量问题", bj(18, 23, 59))  # 8 days back: outside 7 days
    ledger = svc.refund_ledger_days(7)
    assert ledger.start == bj(19, 0) and ledger.end == bj(26, 0)
    assert [(d.label, d.refunded_fen) for d in ledger.by_day] == [("2026-11-25", 300)]
    assert datetime.fromtimestamp(ledger.start, UTC).hour == 16


@pytest.mark.parametrize(
    ("kwargs", "text"),
    [({"start": 10, "end": 10}, "结束时间应晚于开始时间"), ({"start": "1", "end": 10}, "应为时间戳")],
)
def test_bad_periods(shop, kwargs, text):
    with pytest.raises(ValidationError, match=text):
        svc.refund_ledger(**kwargs)
    with pytest.raises(ValidationError, match="1 到 366"):
        svc.refund_ledger_days(0)
