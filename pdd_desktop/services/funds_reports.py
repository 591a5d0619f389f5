"""资金's report tables: ``ledger``, ``reconciliation`` and ``profit`` (columns in README.md).

Built from :mod:`services.funds`, :mod:`services.reconcile` and :mod:`services.profit` for a
range of Beijing days; money as yuan text with two decimals, 未填成本 / 未填运费 where a price
is missing (never a zero that is not known).
"""

from __future__ import annotations

from datetime import timedelta

from pdd_desktop.common.timefmt import format_ts, local_date_start
from pdd_desktop.domain import funds as fd
from pdd_desktop.domain.money import format_yuan_plain as y
from pdd_desktop.services import funds
from pdd_desktop.services import profit as pf
from pdd_desktop.services import reconcile as rc


def _bounds(first, last) -> tuple[int, int]:
    return local_date_start(first), local_date_start(last + timedelta(days=1))


def ledger_rows(first, last) -> tuple[tuple[str, ...], tuple[tuple[object, ...], ...]]:
    """账目: one row per Beijing day with bill lines, each category's net, then 合计."""
    start, end = _bounds(first, last)
    header = (
        "日期",
        "笔数",
        "收入(元)",
        "支出(元)",
        *(f"{c.label}(元)" for c in fd.CATEGORIES),
        "经营收支(元)",
    )
    rows: list[tuple[object, ...]] = []
    totals = {c.key: 0 for c in fd.CATEGORIES}
    n = inc = exp = 0
    for day in reversed(funds.ledger_overview(start=start, end=end).days):
        by_cat = {
            c.category: c
            for c in funds.ledger_overview(start=day.day_start, end=day.day_start + 86_400).categories
        }
        nets = [by_cat[c.key].net_fen for c in fd.CATEGORIES]
        for c in fd.CATEGORIES:
            totals[c.key] += by_cat[c.key].net_fen
        operating = sum(by_cat[c.key].net_fen for c in fd.CATEGORIES if c.in_profit)
        rows.append((format_ts(day.day_start, "%Y-%m-%d"), day.lines, y(day.income_fen), y(day.expense_fen),
                     *(y(v) for v in nets), y(operating)))  # fmt: skip
        n, inc, exp = n + day.lines, inc + day.income_fen, exp + day.expense_fen
    operating = sum(totals[c.key] for c in fd.CATEGORIES if c.in_profit)
    rows.append(("合计", n, y(inc), y(exp), *(y(totals[c.key]) for c in fd.CATEGORIES), y(operating)))
    return header, tuple(rows)


def reconciliation_rows(first, last) -> tuple[tuple[str, ...], tuple[tuple[object, ...], ...]]:
    """对账: one row per order signed in the range, then the charges with no order."""
    start, end = _bounds(first, last)
    r = rc.reconcile(start=start, end=end)
    header = (
        "订单号", "确认收货时间", "应结算时间", "状态", "用户实付(元)", "商家实收(元)", "结算笔数",
        "结算金额(元)",
        "差额(元)", "退款(元)", "技术服务费(元)", "售后赔付(元)", "其他(元)", "账单合计(元)",
    )  # fmt: skip
    rows: list[tuple[object, ...]] = [
        (o.order_sn, format_ts(o.signed_at), format_ts(o.due_at), o.status_label, y(o.paid_fen),
         y(o.expected_fen), o.settlements, y(o.settled_fen), y(o.difference_fen), y(o.refund_fen),
         y(o.fee_fen), y(o.compensation_fen), y(o.other_fen), y(o.net_fen))
        for o in r.orders
    ]  # fmt: skip
    for c in r.orphans:
        rows.append((c.order_sn, "", format_ts(c.occurred_at), "无对应订单", "", "", 0, "", "", "", "", "",
                     "", y(c.amount_fen)))  # fmt: skip
    return header, tuple(rows)


def _money_cells(p: pf.PeriodProfit) -> tuple[object, ...]:
    m = p.money
    cost = y(-p.cost_fen) + (f"（{p.missing_cost} 单未填成本）" if p.missing_cost else "")
    ship = y(-p.shipping_fen) + (f"（{p.missing_shipping} 单未填运费）" if p.missing_shipping else "")
    return (p.orders, y(m.income_fen), y(m.refund_fen), y(m.fee_fen), y(m.compensation_fen), y(m.other_fen),
            cost, ship, y(-p.ad_fen), y(p.profit_fen), "是" if p.complete else "否")  # fmt: skip


PROFIT_HEADER = (
    "结算订单数", "结算收入(元)", "退款(元)", "技术服务费(元)", "售后赔付(元)", "其他收支(元)",
    "商品成本(元)",
    "运费(元)", "推广花费(元)", "利润(元)", "成本齐全",
)  # fmt: skip


def profit_rows(first, last) -> tuple[tuple[str, ...], tuple[tuple[object, ...], ...]]:
    """利润: one row per Beijing day, then 合计 (the P&L of the range)."""
    start, end = _bounds(first, last)
    r = pf.profit(start=start, end=end)
    rows = [(f"{p.key:%Y-%m-%d}", *_money_cells(p)) for p in reversed(r.days)]
    rows.append(("合计", *_money_cells(r.total)))
    return ("日期", *PROFIT_HEADER), tuple(rows)
