"""客服 exports: both variants in CSV and XLSX, every rate checked against an independent computation."""

from __future__ import annotations

import csv
from datetime import date
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from pdd_desktop.domain.errors import ValidationError
from pdd_desktop.services import cs
from pdd_desktop.services.cs_import import day_number, import_cs_export
from pdd_desktop.tabular.table_files import write_table
from tests.helpers.db import q

AGENT_HEADER = [
    "客服账号",
    "客服服务分",
    "咨询人数",
    "询单人数",
    "最终成团人数",
    "询单流失人数",
    "询单转化率",
    "客服销售额（元）",
    "需要人工回复的咨询人数",
    "人工接待人数",
    "3分钟未回复人数",
    "3分钟人工回复率（8-23点）",
    "30秒应答率（8-23点）",
    "平均人工响应时长",
    "3分钟人工回复率（全天）",
    "30秒应答率（全天）",
]
#: (agent, consult, inquiry, ordered, sales yuan, need human, received, unreplied 3 min, 30 s rate,
#: avg response s, all-day 3 min rate, all-day 30 s rate)
AGENTS = [
    ("小美", 70, 35, 12, "3590.00", 60, 59, 6, "63.33%", "21.5", "88.24%", "61.02%"),
    ("阿强", 40, 21, 7, "1288.50", 36, 35, 9, "41.67%", "35", "74.36%", "40.00%"),
    ("小林", 25, 9, 2, "199.00", 21, 21, 1, "71.43%", "18.2", "95.45%", "70.83%"),
]


def pct(num: int, den: int) -> str:
    """The export's two-decimal percentage, computed here with Decimal (half up)."""
    return f"{(Decimal(num) * 100 / Decimal(den)).quantize(Decimal('0.01'), rounding='ROUND_HALF_UP')}%"


def agent_rows() -> list[list[str]]:
    rows = [["客服绩效数据"], ["统计时间：2026-12-01 ~ 2026-12-01"], AGENT_HEADER]
    for name, consult, inquiry, ordered, sales, need, received, unrep, r30, avg, r3_all, r30_all in AGENTS:
        rows.append(
            [
                name,
                "4.8",
                str(consult),
                str(inquiry),
                str(ordered),
                str(inquiry - ordered),
                pct(ordered, inquiry),
                sales,
                str(need),
                str(received),
                str(unrep),
                pct(need - unrep, need),
                r30,
                avg,
                r3_all,
                r30_all,
            ]
        )
    sums = [sum(a[i] for a in AGENTS) for i in (1, 2, 3, 5, 6, 7)]
    consult, inquiry, ordered, need, received, unrep = sums
    sales = sum(Decimal(a[4]) for a in AGENTS)
    rows.append(
        [
            "总计",
            "",
            str(consult),
            str(inquiry),
            str(ordered),
            str(inquiry - ordered),
            pct(ordered, inquiry),
            f"{sales:.2f}",
            str(need),
            str(received),
            str(unrep),
            pct(need - unrep, need),
            "",
            "",
            "",
            "",
        ]
    )
    n = Decimal(len(AGENTS))
    rows.append(
        ["平均", "4.8"]
        + [
            f"{(Decimal(v) / n).quantize(Decimal('0.01'), rounding='ROUND_HALF_UP')}"
            for v in (consult, inquiry, ordered)
        ]
        + [""] * 13
    )
    return rows


SHOP_HEADER = [
    "日期",
    "咨询人数",
    "需要人工回复的咨询人数",
    "人工接待人数",
    "3分钟人工回复率(8-23点)",
    "30秒应答率(8-23点)",
    "平均响应时长(秒)",
    "评分≤3订单数",
    "纠纷退款数",
    "3分钟人工回复率(全天)",
    "30秒应答率(全天)",
    "询单人数",
    "最终成团人数",
    "询单转化率",
    "客服销售额（元）",
]
#: (date, consult, need, received, r3, r30, avg s, low rated, disputes, r3 all, r30 all, inquiry,
#: ordered, sales)
SHOP_DAYS = [
    ("2026-11-29", 118, 101, 99, "85.15%", "61.39%", "24.8", 1, 0, "83.02%", "58.49%", 60, 20, "4890.00"),
    ("2026-11-30", 131, 112, 110, "78.57%", "55.36%", "31.0", 0, 1, "76.92%", "52.14%", 66, 19, "4401.20"),
    ("2026-12-01", 135, 117, 115, "86.32%", "63.25%", "24.3", 2, 0, "84.80%", "60.80%", 65, 21, "5077.50"),
]


def shop_rows() -> list[list[str]]:
    rows = [SHOP_HEADER]
    for d in SHOP_DAYS:
        row = [str(v) for v in d]
        row.insert(13, pct(d[12], d[11]))
        rows.append(row)
    total = [
        "总计",
        str(sum(d[1] for d in SHOP_DAYS)),
        str(sum(d[2] for d in SHOP_DAYS)),
        str(sum(d[3] for d in SHOP_DAYS)),
        "",
        "",
        "",
        str(sum(d[7] for d in SHOP_DAYS)),
        str(sum(d[8] for d in SHOP_DAYS)),
        "",
        "",
        str(sum(d[11] for d in SHOP_DAYS)),
        str(sum(d[12] for d in SHOP_DAYS)),
        "",
        f"{sum(Decimal(d[13]) for d in SHOP_DAYS):.2f}",
    ]
    rows.append(total)
    return rows


def write(path: Path, rows: list[list[str]]) -> Path:
    if path.suffix == ".csv":
        with path.open("w", encoding="gb18030", newline="") as fh:
            csv.writer(fh).writerows(rows)
    else:
        write_table(path, rows[0], rows[1:])
    return path


DAY = day_number(date(2026, 12, 1))


def stored(agent: str, day: int = DAY) -> dict:
    cols = [
        "need_human",
        "unreplied_3m",
        "r3_num",
        "r3_den",
        "r30_num",
        "r30_den",
        "r3_all_num",
        "r3_all_den",
        "r30_all_num",
        "r30_all_den",
        "avg_response_ms",
        "sales_fen",
        "inquiry_users",
        "order_users",
    ]
    (row,) = q(f"SELECT {', '.join(cols)} FROM cs_metric_day WHERE day = ? AND agent = ?", day, agent)
    return dict(zip(cols, row, strict=True))


def frac(text: str) -> Fraction:
    """A printed percentage as an exact fraction, independently of the importer."""
    return Fraction(Decimal(text.rstrip("%"))) / 100


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_agent_export_every_rate_exact(empty_shop, tmp_path, suffix):
    result, changes = import_cs_export(write(tmp_path / f"客服绩效{suffix}", agent_rows()))
    assert changes.cs
    assert (result.variant, result.rows, result.days, result.agents) == (
        "agent",
        3,
        (DAY,),
        ("小林", "小美", "阿强"),
    )
    assert any("总计行「咨询人数」135" in c for c in result.checks)
    assert any(c.startswith("平均行") for c in result.checks)
    for name, _c, _inquiry, _ordered, sales, need, _r, unrep, r30, avg, r3_all, r30_all in AGENTS:
        row = stored(name)
        assert Fraction(row["r3_num"], row["r3_den"]) == Fraction(need - unrep, need)
        assert Fraction(row["r30_num"], row["r30_den"]) == frac(r30)
        assert Fraction(row["r3_all_num"], row["r3_all_den"]) == frac(r3_all)
        assert Fraction(row["r30_all_num"], row["r30_all_den"]) == frac(r30_all)
        assert row["avg_response_ms"] == int(Decimal(avg) * 1000)
        assert row["sales_fen"] == int(Decimal(sales) * 100)
        assert (row["need_human"], row["unreplied_3m"]) == (need, unrep)
    figs = {f.agent: f for f in cs.figures(DAY, DAY)}
    for name, _c, inquiry, ordered, *_ in AGENTS:
        assert figs[name].conversion == Fraction(ordered, inquiry)
    assert figs["阿强"].r3 == Fraction(27, 36)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_shop_export_every_rate_exact_and_pooled(empty_shop, tmp_path, suffix):
    result, _ = import_cs_export(write(tmp_path / f"客服数据{suffix}", shop_rows()))
    assert (result.variant, result.rows, result.agents) == ("shop", 3, ())
    days = [day_number(date.fromisoformat(d[0])) for d in SHOP_DAYS]
    assert result.days == tuple(days)
    for day, d in zip(days, SHOP_DAYS, strict=True):
        row = stored("", day)
        assert Fraction(row["r3_num"], row["r3_den"]) == frac(d[4])
        assert Fraction(row["r30_num"], row["r30_den"]) == frac(d[5])
        assert Fraction(row["r3_all_num"], row["r3_all_den"]) == frac(d[9])
        assert Fraction(row["r30_all_num"], row["r30_all_den"]) == frac(d[10])
        assert row["avg_response_ms"] == int(Decimal(d[6]) * 1000)
    (shop,) = cs.figures(days[0], days[-1])
    need = sum(d[2] for d in SHOP_DAYS)
    # Independent: percentages weighted by each day's consultations needing a human reply.
    for attr, i in (("r3", 4), ("r30", 5), ("r3_all", 9), ("r30_all", 10)):
        assert getattr(shop, attr) == sum(frac(d[i]) * d[2] for d in SHOP_DAYS) / need
    assert shop.conversion == Fraction(sum(d[12] for d in SHOP_DAYS), sum(d[11] for d in SHOP_DAYS))
    assert shop.sales_fen == sum(int(Decimal(d[13]) * 100) for d in SHOP_DAYS)
    # Weighted by 人工接待人数, rounded to a millisecond.
    weighted = sum(Fraction(Decimal(d[6])) * 1000 * d[3] for d in SHOP_DAYS) / sum(d[3] for d in SHOP_DAYS)
    assert shop.avg_response_ms == round(weighted)


def test_a_rate_that_disagrees_with_its_counts_refuses_the_file(empty_shop, tmp_path):
    rows = agent_rows()
    rows[4][11] = "80.00%"  # 阿强: 27/36 is 75.00%
    with pytest.raises(ValidationError, match=r"第 5 行「3分钟人工回复率\(8-23点\)」.*80\.00%.*75\.00%"):
        import_cs_export(write(tmp_path / "bad.xlsx", rows))
    assert q("SELECT COUNT(*) FROM cs_metric_day") == [(0,)]


def test_a_total_that_disagrees_refuses_the_file(empty_shop, tmp_path):
    rows = shop_rows()
    del rows[2]  # a day missing: the 总计 row no longer adds up
    with pytest.raises(ValidationError, match="第 4 行「咨询人数」：总计为 384，明细各行合计为 253"):
        import_cs_export(write(tmp_path / "bad.csv", rows))
    assert q("SELECT COUNT(*) FROM cs_metric_day") == [(0,)]


def test_an_average_that_disagrees_refuses_the_file(empty_shop, tmp_path):
    rows = agent_rows()
    rows[-1][2] = "50.00"
    with pytest.raises(ValidationError, match=r"平均为 50\.00，明细各行平均为 45\.00"):
        import_cs_export(write(tmp_path / "bad.csv", rows))


def test_reimport_replaces_the_same_day(empty_shop, tmp_path):
    path = write(tmp_path / "a.xlsx", agent_rows())
    import_cs_export(path)
    import_cs_export(path)
    assert q("SELECT COUNT(*) FROM cs_metric_day") == [(3,)]


def test_not_an_export(empty_shop, tmp_path):
    with pytest.raises(ValidationError, match="找不到「咨询人数」列"):
        import_cs_export(write(tmp_path / "x.csv", [["订单号", "商品"], ["1", "2"]]))
