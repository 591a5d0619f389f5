"""Dashboard figures recomputed in plain Python from the raw order rows (never the aggregates).

The independent side of every aggregate, analytics and report test: it reads ``order`` and
``order_item`` with plain sqlite3 and does its own arithmetic.
"""

from __future__ import annotations

import sqlite3
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

BEIJING = 8 * 3600
EPOCH = date(1970, 1, 1)


@dataclass
class Sale:
    """One paid order as read from the raw rows."""

    id: int
    paid_at: int
    pay_fen: int
    buyer: str
    province: str
    refunded: bool
    lines: list[tuple[int, int, int, int]] = field(default_factory=list)  #: goods, sku, qty, unit price
    status: int = 0
    deadline_at: int | None = None
    shipped_at: int | None = None

    @property
    def day(self) -> int:
        return (self.paid_at + BEIJING) // 86400

    @property
    def hour(self) -> int:
        return (self.paid_at + BEIJING) % 86400 // 3600

    @property
    def units(self) -> int:
        return sum(q for _g, _s, q, _p in self.lines)

    def split(self) -> dict[tuple[int, int], tuple[int, int]]:
        """(goods, sku) → (units, share of 实付): by goods value, largest-remainder free, exact sum."""
        merged: dict[tuple[int, int], list[int]] = {}
        for g, s, q, p in self.lines:
            m = merged.setdefault((g, s), [0, 0])
            m[0] += q
            m[1] += q * p
        keys = sorted(merged)
        by_value = sum(m[1] for m in merged.values()) > 0
        weights = [merged[k][1] if by_value else merged[k][0] for k in keys]
        total = sum(weights)
        out: dict[tuple[int, int], tuple[int, int]] = {}
        given = 0
        running = 0
        for k, w in zip(keys, weights, strict=True):
            running += w
            upto = self.pay_fen * running // total if total else 0
            out[k] = (merged[k][0], upto - given)
            given = upto
        return out


def load_sales(db: Path | str) -> list[Sale]:
    """Every paid order with its lines."""
    conn = sqlite3.connect(str(db))
    try:
        sales = {
            r[0]: Sale(r[0], r[1], r[2], r[3], r[4], r[5] == 4, [], r[6], r[7], r[8])
            for r in conn.execute(
                "SELECT id, paid_at, pay_amount_fen, buyer_key, province, refund_status, status, "
                'ship_deadline_at, shipped_at FROM "order" WHERE paid_at IS NOT NULL'
            )
        }
        for oid, g, s, q, p in conn.execute(
            "SELECT order_id, goods_id, sku_id, quantity, unit_price_fen FROM order_item"
        ):
            if oid in sales:
                sales[oid].lines.append((g, s, q, p))
    finally:
        conn.close()
    return list(sales.values())


def expected_tables(sales: list[Sale]) -> dict[str, set[tuple]]:
    """The rolled-up aggregate tables as sets of rows, computed from ``sales``."""
    day: dict = defaultdict(lambda: [0, 0, 0, 0])
    hour: dict = defaultdict(lambda: [0, 0])
    prov: dict = defaultdict(lambda: [0, 0])
    bday: dict = defaultdict(lambda: [0, 0])
    gday: dict = defaultdict(lambda: [set(), 0, 0, set()])
    sday: dict = defaultdict(lambda: [0, 0, 0, 0])
    for s in sales:
        d = day[s.day]
        d[0] += 1
        d[1] += s.units
        d[2] += s.pay_fen
        d[3] += int(s.refunded)
        for acc in (hour[(s.day, s.hour)], prov[(s.day, s.province)], bday[(s.day, s.buyer)]):
            acc[0] += 1
            acc[1] += s.pay_fen
        for (g, k), (units, gmv) in s.split().items():
            gd = gday[(s.day, g)]
            gd[0].add(s.id)
            gd[1] += units
            gd[2] += gmv
            if s.refunded:
                gd[3].add(s.id)
            sd = sday[(s.day, g, k)]
            sd[0] += 1
            sd[1] += units
            sd[2] += gmv
            sd[3] += int(s.refunded)
    buyers: dict = {}
    for (d, b), (n, fen) in bday.items():
        have = buyers.get(b)
        buyers[b] = (
            [min(have[0], d), max(have[1], d), have[2] + n, have[3] + fen, have[4] + 1]
            if have
            else [d, d, n, fen, 1]
        )
    # Schema step dash: each buyer's previous / next paid day and second order day.
    days_of: dict = defaultdict(list)
    for d, b in sorted(bday):
        days_of[b].append(d)
    bday_rows = set()
    for (d, b), v in bday.items():
        ds = days_of[b]
        i = ds.index(d)
        bday_rows.add((d, b, *v, ds[i - 1] if i else -1, ds[i + 1] if i + 1 < len(ds) else 99999999))
    for b, acc in buyers.items():
        ds = days_of[b]
        acc.append(ds[0] if bday[(ds[0], b)][0] >= 2 else ds[1] if len(ds) > 1 else None)
    known = {b: v for b, v in buyers.items() if b != ""}
    spend: Counter = Counter((v[3], int(v[2] >= 2)) for v in known.values())
    month = lambda day: (EPOCH + timedelta(days=day)).strftime("%Y-%m")  # noqa: E731
    cohort: Counter = Counter()
    for b in known:
        for m in {month(d) for d in days_of[b]}:
            cohort[(month(days_of[b][0]), m)] += 1
    visits: dict[str, Counter] = {"goods": Counter(), "sku": Counter()}
    seen: dict[str, dict] = {"goods": defaultdict(set), "sku": defaultdict(set)}
    ship_lines = set()
    for s in sales:
        for g, k, _q, _p in s.lines:
            if s.buyer != "":
                seen["goods"][(g, s.buyer)].add(s.day)
                seen["sku"][(k, s.buyer)].add(s.day)
            if s.deadline_at is not None and s.shipped_at is not None:
                ship_lines.add((s.id, g, s.day, int(s.shipped_at > s.deadline_at)))
    for kind in ("goods", "sku"):
        for (key, _b), ds in seen[kind].items():
            ordered = sorted(ds)
            for i, d in enumerate(ordered):
                visits[kind][(d, key, ordered[i - 1] if i else -1)] += 1
    ship_day: dict = defaultdict(lambda: [0, 0])
    for _o, g, d, late in ship_lines:
        ship_day[(d, g)][0] += 1
        ship_day[(d, g)][1] += late
    return {
        "agg_spend": {(*k, n) for k, n in spend.items()},
        "agg_cohort": {(*k, n) for k, n in cohort.items()},
        "agg_goods_visit": {(*k, n) for k, n in visits["goods"].items()},
        "agg_sku_visit": {(*k, n) for k, n in visits["sku"].items()},
        "agg_ship_line": ship_lines,
        "agg_ship_goods_day": {(*k, *v) for k, v in ship_day.items()},
        "agg_day": {(k, *v) for k, v in day.items()},
        "agg_hour": {(*k, *v) for k, v in hour.items()},
        "agg_province_day": {(*k, *v) for k, v in prov.items()},
        "agg_buyer_day": bday_rows,
        "agg_goods_day": {(*k, len(v[0]), v[1], v[2], len(v[3])) for k, v in gday.items()},
        "agg_sku_day": {(*k, *v) for k, v in sday.items()},
        "agg_buyer": {(b, *v) for b, v in buyers.items()},
    }


def stored_tables(db: Path | str) -> dict[str, set[tuple]]:
    """The same tables as the app stored them."""
    conn = sqlite3.connect(str(db))
    try:
        return {
            t: set(conn.execute(f"SELECT * FROM {t}").fetchall())
            for t in (
                "agg_day",
                "agg_hour",
                "agg_province_day",
                "agg_buyer_day",
                "agg_goods_day",
                "agg_sku_day",
                "agg_buyer",
                "agg_spend",
                "agg_cohort",
                "agg_goods_visit",
                "agg_sku_visit",
                "agg_ship_line",
                "agg_ship_goods_day",
            )
        }
    finally:
        conn.close()
