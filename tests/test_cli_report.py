"""``pdd-desktop report``: the files read back equal computations over the raw order rows."""

from __future__ import annotations

import csv
from collections import Counter, defaultdict
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook

from pdd_desktop.cli import main
from pdd_desktop.common.paths import shop_paths
from tests.conftest import DEMO_NOW
from tests.helpers.sales_oracle import load_sales

EPOCH = date(1970, 1, 1)
FIRST, LAST = date(2026, 10, 1), date(2026, 11, 23)


def _yuan(fen: int) -> str:
    return f"{fen // 100}.{fen % 100:02d}"


@pytest.fixture
def shop(tmp_path):
    data = tmp_path / "data"
    assert (
        main(["--data-dir", str(data), "demo", "--orders", "800", "--seed", "5", "--now", str(DEMO_NOW)]) == 0
    )
    return data


def _read(path) -> list[list[str]]:
    if path.suffix == ".csv":
        with open(path, encoding="utf-8-sig", newline="") as fh:
            return list(csv.reader(fh))
    ws = load_workbook(path, read_only=True).active
    return [["" if v is None else str(v) for v in row] for row in ws.iter_rows(values_only=True)]


def _run(data, name, out) -> None:
    args = [
        "--data-dir",
        str(data),
        "report",
        name,
        "--from",
        f"{FIRST}",
        "--to",
        f"{LAST}",
        "--out",
        str(out),
    ]
    assert main(args) == 0


def _sales(data):
    return [s for s in load_sales(shop_paths(data).db_file) if FIRST <= EPOCH + timedelta(days=s.day) <= LAST]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_overview_report(shop, tmp_path, suffix, capsys):
    out = tmp_path / f"overview{suffix}"
    _run(shop, "overview", out)
    assert "经营概况" in capsys.readouterr().out
    rows = _read(out)
    assert rows[0] == [
        "日期",
        "订单数",
        "件数",
        "成交金额(元)",
        "买家数",
        "客单价(元)",
        "退款成功(单)",
        "退款金额(元)",
    ]
    days = rows[1:-1]
    assert len(days) == (LAST - FIRST).days + 1
    sales = _sales(shop)
    by_day = defaultdict(list)
    for s in sales:
        by_day[f"{EPOCH + timedelta(days=s.day)}"].append(s)
    for row in days:
        mine = by_day.get(row[0], [])
        gmv = sum(s.pay_fen for s in mine)
        assert row[1:5] == [
            str(len(mine)),
            str(sum(s.units for s in mine)),
            _yuan(gmv),
            str(len({s.buyer for s in mine if s.buyer})),  # known buyers only
        ]
    total = rows[-1]
    gmv = sum(s.pay_fen for s in sales)
    assert total[:4] == ["合计", str(len(sales)), str(sum(s.units for s in sales)), _yuan(gmv)]
    assert total[5] == _yuan((gmv * 2 + len(sales)) // (2 * len(sales)))


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_hot_items_report(shop, tmp_path, suffix):
    out = tmp_path / f"hot{suffix}"
    _run(shop, "hot-items", out)
    rows = _read(out)
    assert rows[0][:8] == ["排名", "商品ID", "商品名称", "规格ID", "规格", "订单数", "件数", "成交金额(元)"]
    want: dict = defaultdict(lambda: [set(), 0, 0, set()])
    for s in _sales(shop):
        for (g, _k), (units, gmv) in s.split().items():
            acc = want[str(g)]
            acc[0].add(s.id)
            acc[1] += units
            acc[2] += gmv
            acc[3].add(s.buyer)
    got = {r[1]: (r[5], r[6], r[7], r[8]) for r in rows[1:]}
    assert got == {g: (str(len(a[0])), str(a[1]), _yuan(a[2]), str(len(a[3]))) for g, a in want.items()}
    assert [r[0] for r in rows[1:]] == [str(i) for i in range(1, len(rows))]
    gmvs = [float(r[7]) for r in rows[1:]]
    assert gmvs == sorted(gmvs, reverse=True)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_customers_report(shop, tmp_path, suffix):
    out = tmp_path / f"cust{suffix}"
    _run(shop, "customers", out)
    rows = _read(out)
    assert rows[0] == ["日期", "买家数", "新买家数", "老买家数", "新买家占比"]
    sales = [s for s in load_sales(shop_paths(shop).db_file) if s.buyer]
    first_day: dict[str, int] = {}
    for s in sales:
        first_day[s.buyer] = min(first_day.get(s.buyer, s.day), s.day)
    for row in rows[1:-1]:
        day = (date.fromisoformat(row[0]) - EPOCH).days
        buyers = {s.buyer for s in sales if s.day == day}
        new = sum(first_day[b] == day for b in buyers)
        assert row[1:4] == [str(len(buyers)), str(new), str(len(buyers) - new)]
    in_range = Counter(s.buyer for s in _sales(shop) if s.buyer)
    assert rows[-1][:2] == ["合计", str(len(in_range))]


def test_report_errors_are_one_line(shop, tmp_path, capsys):
    base = ["--data-dir", str(shop), "report"]
    assert main([*base, "overview", "--out", str(tmp_path / "x.pdf")]) == 2
    assert "应为 .csv 或 .xlsx" in capsys.readouterr().err
    assert main([*base, "overview", "--from", "2026-13-01", "--out", str(tmp_path / "x.csv")]) == 2
    err = capsys.readouterr().err
    assert "不是有效日期" in err and len(err.strip().splitlines()) == 1
    assert (
        main(
            [
                *base,
                "overview",
                "--from",
                "2026-11-20",
                "--to",
                "2026-11-01",
                "--out",
                str(tmp_path / "x.csv"),
            ]
        )
        == 2
    )
    assert "早于" in capsys.readouterr().err
    assert not (tmp_path / "x.csv").exists()
    with pytest.raises(SystemExit):
        main([*base, "nonsense", "--out", str(tmp_path / "x.csv")])
