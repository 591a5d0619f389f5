"""``pdd-desktop report`` for the figures added last: files read back equal the raw order rows."""

from __future__ import annotations

import sqlite3
import time
from collections import Counter, defaultdict
from datetime import timedelta

import pytest

from pdd_desktop.cli import main
from pdd_desktop.common.paths import shop_paths
from pdd_desktop.services import analytics as an
from tests.helpers.sales_oracle import load_sales
from tests.test_cli_report import EPOCH, FIRST, LAST, _read, _run, _sales, _yuan, shop  # noqa: F401


def test_hot_items_report_has_margin_and_late_shipping(shop, tmp_path):  # noqa: F811
    db = shop_paths(shop).db_file
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("UPDATE sku SET cost_price_fen = NULL")
        conn.execute("UPDATE sku SET cost_price_fen = 1234 WHERE sku_id % 3 != 0")
        conn.execute("DELETE FROM cost_price_history")  # no history: each SKU's current cost applies
    costs = dict(conn.execute("SELECT sku_id, cost_price_fen FROM sku"))
    conn.close()
    out = tmp_path / "hot.csv"
    _run(shop, "hot-items", out)
    rows = _read(out)
    assert rows[0][16:] == [
        "成本(元,按录入的成本价)",
        "毛利(元)",
        "毛利率",
        "应发货单数",
        "超时发货单数",
        "超时发货占比",
    ]
    sales = _sales(shop)
    cost: dict[str, int | None] = {}
    gmv: Counter = Counter()
    for s in sales:
        for (g, k), (units, share) in s.split().items():
            c = costs.get(k)
            have = cost.get(str(g), 0)
            cost[str(g)] = None if c is None or have is None else have + c * units
            gmv[str(g)] += share
    now = int(time.time())
    due: dict[str, set] = defaultdict(set)
    late: dict[str, set] = defaultdict(set)
    for s in sales:
        if s.deadline_at is None or (s.shipped_at is None and s.status != 1):
            continue
        is_late = s.shipped_at > s.deadline_at if s.shipped_at is not None else s.deadline_at < now
        for g, *_r in s.lines:
            due[str(g)].add(s.id)
            if is_late:
                late[str(g)].add(s.id)
    for r in rows[1:]:
        c = cost[r[1]]
        if c is None:
            assert r[16:19] == ["未填成本", "", ""]
        else:
            m = gmv[r[1]] - c
            assert r[16:18] == [_yuan(c), ("-" if m < 0 else "") + _yuan(abs(m))]
        n_due, n_late = len(due.get(r[1], ())), len(late.get(r[1], ()))
        assert r[19:21] == [str(n_due), str(n_late)]
        assert r[21] == (f"{n_late / n_due * 100:.2f}%" if n_due else "")
    assert any(r[16] == "未填成本" for r in rows[1:]) and any(r[16] != "未填成本" for r in rows[1:])
    assert any(r[20] != "0" for r in rows[1:])


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_price_bands_report(shop, tmp_path, suffix):  # noqa: F811
    out = tmp_path / f"bands{suffix}"
    _run(shop, "price-bands", out)
    rows = _read(out)
    assert rows[0] == ["价格带(成交均价)", "规格数", "件数", "成交金额(元)", "成交金额占比"]
    sums: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for s in _sales(shop):
        for (_g, k), (units, share) in s.split().items():
            sums[k][0] += units
            sums[k][1] += share
    edges = [y * 100 for y in an.PRICE_BANDS_YUAN] + [None]
    assert len(rows) - 1 == len(edges) - 1
    for row, low, high in zip(rows[1:], edges, edges[1:], strict=False):
        members = [k for k, (u, g) in sums.items() if u and g >= low * u and (high is None or g < high * u)]
        assert row[1:4] == [str(len(members)), str(sum(sums[k][0] for k in members)),
                            _yuan(sum(sums[k][1] for k in members))]  # fmt: skip


def test_second_order_and_spend_reports(shop, tmp_path):  # noqa: F811
    _run(shop, "second-order", tmp_path / "gap.csv")
    _run(shop, "spend-bands", tmp_path / "spend.csv")
    gap_rows = _read(tmp_path / "gap.csv")
    spend_rows = _read(tmp_path / "spend.csv")
    history: dict[str, list] = defaultdict(list)
    for s in load_sales(shop_paths(shop).db_file):
        if s.buyer:
            history[s.buyer].append(s)
    first_day, last_day = (FIRST - EPOCH).days, (LAST - EPOCH).days
    gaps = []
    new = 0
    for orders in history.values():
        orders.sort(key=lambda s: (s.day, s.id))
        if first_day <= orders[0].day <= last_day:
            new += 1
            if len(orders) > 1:
                gaps.append(orders[1].day - orders[0].day)
    gaps.sort()
    assert gap_rows[0] == ["复购间隔", "买家数", "占比"]
    for row, (low, high, label) in zip(gap_rows[1:], an.GAP_BANDS_DAYS, strict=False):
        assert row[:2] == [label, str(sum(1 for g in gaps if g >= low and (high is None or g < high)))]
    assert gap_rows[-3][:2] == ["未再购买", str(new - len(gaps))]
    assert gap_rows[-2][:2] == ["合计(首单在所选日期内)", str(new)]
    assert gap_rows[-1][:2] == ["复购间隔中位数(天)", str(gaps[len(gaps) // 2])]
    spend = [sum(s.pay_fen for s in orders) for orders in history.values()]
    edges = [y * 100 for y in an.SPEND_BANDS_YUAN] + [None]
    assert spend_rows[0] == ["累计消费", "买家数", "买家占比", "消费金额(元)"]
    assert len(spend_rows) - 1 == len(edges) - 1
    for row, low, high in zip(spend_rows[1:], edges, edges[1:], strict=False):
        members = [v for v in spend if v >= low and (high is None or v < high)]
        assert [row[1], row[3]] == [str(len(members)), _yuan(sum(members))]
    assert sum(int(r[1]) for r in spend_rows[1:]) == len(spend)


def test_late_shipping_report_lists_goods_with_deadlines(shop, tmp_path):  # noqa: F811
    _run(shop, "late-shipping", tmp_path / "late.xlsx")
    rows = _read(tmp_path / "late.xlsx")
    assert rows[0] == ["商品ID", "商品名称", "应发货单数", "超时发货单数", "超时发货占比"]
    hot_rows = {r[1]: r for r in _read_hot(shop, tmp_path)[1:]}
    assert rows[1:] and all(hot_rows[r[0]][19:22] == r[2:5] for r in rows[1:])
    lates = [int(r[3]) for r in rows[1:]]
    assert lates == sorted(lates, reverse=True)


def _read_hot(shop, tmp_path):  # noqa: F811
    _run(shop, "hot-items", tmp_path / "h.csv")
    return _read(tmp_path / "h.csv")


def test_unknown_report_names_the_new_ones(shop, tmp_path, capsys):  # noqa: F811
    with pytest.raises(SystemExit):
        main(["--data-dir", str(shop), "report", "nonsense", "--out", str(tmp_path / "x.csv")])
    err = capsys.readouterr().err
    assert "price-bands" in err and "second-order" in err
    assert EPOCH + timedelta(days=1) > EPOCH
