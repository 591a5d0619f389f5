"""Dashboard figures recomputed in plain Python from the raw order rows (never the aggregates).

The independent side of every aggregate, analytics and report test: it reads ``order`` and
``order_item`` with plain sqlite3 and does its own arithmetic.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

BEIJING = 8 * 3600


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
            r[0]: Sale(r[0], r[1], r[2], r[3], r[4], r[5] == 4)
            for r in conn.execute(
                'SELECT id, paid_at, pay_amount_fen, buyer_key, province, refund_status FROM "order" '
                "WHERE paid_at IS NOT NULL"
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
    return {
        "agg_day": {(k, *v) for k, v in day.items()},
        "agg_hour": {(*k, *v) for k, v in hour.items()},
        "agg_province_day": {(*k, *v) for k, v in prov.items()},
        "agg_buyer_day": {(*k, *v) for k, v in bday.items()},
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
            )
        }
    finally:
        conn.close()
