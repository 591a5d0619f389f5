"""The sandbox's 客服: simulated consultations of the demo shop, served as the backend's exports.

**Sandbox only.** The open platform has no API for customer-service figures (nothing in
pdd-open-api.md's doc index; buyer chat is not exposed, §7), so a real shop imports the merchant
backend's exports. The demo sandbox simulates one day of consultations at a time and answers
``sandbox.cs.export.get`` (a name that is plainly not the platform's) with that day's two
exports as CSV text in the backend's column layout (merchant-data.md §3.1, with 平均/总计 rows),
which the app imports through the same code as a file, plus the day's hours (no platform export
of hours is known; this part is the sandbox's own).

The simulation [I]: consultations follow an hour-of-day curve (quiet at night, peaks late
morning, afternoon and 20–22 h); three agents with their own response speed; at night (before
8, from 23) nobody is on duty and most replies come late; busy hours slow everyone down. Each
day comes from ``Random(f"{seed}:cs:{day}")``, so the same seed gives the same figures. The
counts of the (8-23点) columns are the 8–23 h window's (3分钟人工回复率(8-23点) = (需要人工回复的
咨询人数 − 3分钟未回复人数) ÷ 需要人工回复的咨询人数, the importer's check).
"""

from __future__ import annotations

import csv
import io
import math
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

#: Relative consultations per Beijing hour 0–23.
HOUR_WEIGHTS = (2, 1, 1, 0.5, 0.5, 0.5, 1, 2, 5, 8, 10, 10, 8, 7, 9, 10, 9, 8, 7, 8, 10, 11, 9, 5)
#: (agent, median first-response seconds, share of consultations)
AGENTS = (("小美", 14.0, 0.45), ("阿强", 40.0, 0.30), ("小林", 22.0, 0.25))
#: Consultations on an average day.
DAILY_CONSULTATIONS = 130
WINDOW = range(8, 23)


@dataclass
class _Tally:
    consult: int = 0
    inquiry: int = 0
    ordered: int = 0
    sales_fen: int = 0
    need_day: int = 0  #: needing a human reply, 8–23 h
    unreplied_day: int = 0
    fast_day: int = 0  #: answered within 30 s, 8–23 h
    need_all: int = 0
    replied_3m_all: int = 0
    fast_all: int = 0
    received: int = 0
    response_s: list[float] = field(default_factory=list)


def _pct(num: int, den: int) -> str:
    if not den:
        return "-"
    value = (Decimal(num) * 100 / Decimal(den)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return f"{value}%"


def _yuan(fen: int) -> str:
    return f"{fen // 100}.{fen % 100:02d}"


def _avg_s(values: list[float]) -> str:
    if not values:
        return "-"
    return str((Decimal(sum(values)) / len(values)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class CsDay:
    """One simulated day: the two exports as CSV text and the hours."""

    day: date
    shop_csv: str
    agent_csv: str
    hours: tuple[tuple[int, int, int, int], ...]  #: (hour, need human, unreplied 3 min, unanswered 30 s)


def simulate_day(seed: int | str, day: date) -> CsDay:
    """The consultations of one Beijing day, summed up as the backend exports them."""
    rng = random.Random(f"{seed}:cs:{day.isoformat()}")
    weekend = day.weekday() >= 5
    total = max(20, int(rng.gauss(DAILY_CONSULTATIONS * (1.2 if weekend else 1.0), 15)))
    weight_sum = sum(HOUR_WEIGHTS)
    agents = {name: _Tally() for name, _m, _s in AGENTS}
    hours = {h: [0, 0, 0] for h in range(24)}
    shop = _Tally()
    for _ in range(total):
        hour = rng.choices(range(24), weights=HOUR_WEIGHTS)[0]
        name, median, _share = rng.choices(AGENTS, weights=[a[2] for a in AGENTS])[0]
        busy = HOUR_WEIGHTS[hour] / (weight_sum / 24)
        if hour not in WINDOW and rng.random() < 0.7:
            response = rng.uniform(200, 4000)  # nobody on duty
        else:
            response = median * math.exp(rng.gauss(0, 0.9)) * (1 + 0.4 * max(0.0, busy - 1))
        need = rng.random() < 0.85
        inquiry = rng.random() < 0.5
        ordered = inquiry and rng.random() < 0.33
        amount = rng.randrange(1990, 8990, 100) if ordered else 0
        for t in (agents[name], shop):
            t.consult += 1
            t.inquiry += inquiry
            t.ordered += ordered
            t.sales_fen += amount
            if need:
                t.need_all += 1
                t.replied_3m_all += response <= 180
                t.fast_all += response <= 30
                t.received += response <= 3600
                if hour in WINDOW:
                    t.response_s.append(min(response, 3600.0))
                    t.need_day += 1
                    t.unreplied_day += response > 180
                    t.fast_day += response <= 30
        if need:
            hours[hour][0] += 1
            hours[hour][1] += response > 180
            hours[hour][2] += response > 30
    return CsDay(
        day, _shop_csv(day, shop), _agent_csv(day, agents), tuple((h, *v) for h, v in hours.items() if v[0])
    )


def _write(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


SHOP_HEADER = [
    "日期",
    "咨询人数",
    "需要人工回复的咨询人数",
    "人工接待人数",
    "3分钟人工回复率(8-23点)",
    "30秒应答率(8-23点)",
    "平均响应时长(秒)",
    "3分钟人工回复率(全天)",
    "30秒应答率(全天)",
    "询单人数",
    "最终成团人数",
    "询单转化率",
    "客服销售额（元）",
]


def _shop_csv(day: date, t: _Tally) -> str:
    row = [
        day.isoformat(),
        str(t.consult),
        str(t.need_day),
        str(t.received),
        _pct(t.need_day - t.unreplied_day, t.need_day),
        _pct(t.fast_day, t.need_day),
        _avg_s(t.response_s),
        _pct(t.replied_3m_all, t.need_all),
        _pct(t.fast_all, t.need_all),
        str(t.inquiry),
        str(t.ordered),
        _pct(t.ordered, t.inquiry),
        _yuan(t.sales_fen),
    ]
    return _write([SHOP_HEADER, row])


AGENT_HEADER = [
    "客服账号",
    "咨询人数",
    "询单人数",
    "最终成团人数",
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


def _agent_csv(day: date, agents: dict[str, _Tally]) -> str:
    rows = [["客服绩效"], [f"统计时间：{day.isoformat()} ~ {day.isoformat()}"], AGENT_HEADER]
    for name, t in agents.items():
        rows.append(
            [
                name,
                str(t.consult),
                str(t.inquiry),
                str(t.ordered),
                _pct(t.ordered, t.inquiry),
                _yuan(t.sales_fen),
                str(t.need_day),
                str(t.received),
                str(t.unreplied_day),
                _pct(t.need_day - t.unreplied_day, t.need_day),
                _pct(t.fast_day, t.need_day),
                _avg_s(t.response_s),
                _pct(t.replied_3m_all, t.need_all),
                _pct(t.fast_all, t.need_all),
            ]
        )
    s = _Tally()
    for t in agents.values():
        for f in ("consult", "inquiry", "ordered", "sales_fen", "need_day", "received", "unreplied_day"):
            setattr(s, f, getattr(s, f) + getattr(t, f))
    rows.append(
        [
            "总计",
            str(s.consult),
            str(s.inquiry),
            str(s.ordered),
            _pct(s.ordered, s.inquiry),
            _yuan(s.sales_fen),
            str(s.need_day),
            str(s.received),
            str(s.unreplied_day),
            _pct(s.need_day - s.unreplied_day, s.need_day),
            "",
            "",
            "",
            "",
        ]
    )
    return _write(rows)


def days_before(today: date, count: int) -> list[date]:
    """The ``count`` days before ``today``, oldest first."""
    return [today - timedelta(days=count - i) for i in range(count)]
