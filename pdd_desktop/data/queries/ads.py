"""Reads behind 推广: imported ad-report rows summed by plan × goods, goods and day; SKU prices and costs.

Days are the Beijing day numbers of ``data/aggregates.py`` (``ad_report_row.day``); ranges are
inclusive. The goods name is the catalogue's short name or name, else the report's.

The file-level 全店托管 rows (goods 0, ``domain/ad_report.py``) belong to no goods: the plan,
goods and streak reads leave them out; :func:`shop_managed` lists them and :func:`by_day_all`
counts them on their day (资金's spend).
"""

from __future__ import annotations

from collections.abc import Iterable

from pdd_desktop.data.db import database

_SUMS = "SUM(r.spend_fen), SUM(r.gmv_fen), SUM(r.orders)"
_NAME = "COALESCE(NULLIF(g.short_name, ''), NULLIF(g.name, ''), MAX(r.goods_name), '')"
_IN = 500
_GOODS_ONLY = "r.goods_id <> 0"  # ad_report.SHOP_MANAGED_GOODS_ID: not a goods


def latest_day() -> int | None:
    """The newest report day stored, or None without reports."""
    row = database.execute_sql("SELECT MAX(day) FROM ad_report_row").fetchone()
    return None if row is None or row[0] is None else int(row[0])


def by_plan_goods(first: int, last: int) -> list[tuple]:
    """(scene, plan, goods_id, goods name, spend, gmv, orders) per plan × goods, largest spend first."""
    return database.execute_sql(
        f"SELECT r.scene, r.plan_name, r.goods_id, {_NAME}, {_SUMS} FROM ad_report_row r "
        "LEFT JOIN goods g ON g.goods_id = r.goods_id "
        f"WHERE r.day BETWEEN ? AND ? AND {_GOODS_ONLY} "
        "GROUP BY r.scene, r.plan_name, r.goods_id ORDER BY SUM(r.spend_fen) DESC, r.plan_name, r.goods_id",
        (first, last),
    ).fetchall()


def by_goods(first: int, last: int) -> list[tuple]:
    """(goods_id, goods name, spend, gmv, orders) per goods, largest spend first."""
    return database.execute_sql(
        f"SELECT r.goods_id, {_NAME}, {_SUMS} FROM ad_report_row r "
        "LEFT JOIN goods g ON g.goods_id = r.goods_id "
        f"WHERE r.day BETWEEN ? AND ? AND {_GOODS_ONLY} "
        "GROUP BY r.goods_id ORDER BY SUM(r.spend_fen) DESC, r.goods_id",
        (first, last),
    ).fetchall()


def by_day(first: int, last: int) -> list[tuple]:
    """(day, spend, gmv, orders) of the goods rows per report day, oldest first (no 全店托管)."""
    return database.execute_sql(
        f"SELECT r.day, {_SUMS} FROM ad_report_row r WHERE r.day BETWEEN ? AND ? AND {_GOODS_ONLY} "
        "GROUP BY r.day ORDER BY r.day",
        (first, last),
    ).fetchall()


def by_day_all(first: int, last: int) -> list[tuple]:
    """(day, spend, gmv, orders) per report day with 全店托管 on its row's day, oldest first."""
    return database.execute_sql(
        f"SELECT r.day, {_SUMS} FROM ad_report_row r WHERE r.day BETWEEN ? AND ? "
        "GROUP BY r.day ORDER BY r.day",
        (first, last),
    ).fetchall()


def shop_managed(first: int, last: int) -> list[tuple]:
    """(day, range text, spend, deal spend) of the 全店托管 rows dated in the range, oldest first."""
    return database.execute_sql(
        "SELECT day, bid, spend_fen, deal_spend_fen FROM ad_report_row "
        "WHERE day BETWEEN ? AND ? AND goods_id = 0 ORDER BY day",
        (first, last),
    ).fetchall()


def daily_plan_goods(first: int, last: int) -> list[tuple]:
    """(scene, plan, goods_id, day, spend, gmv, orders) rows of the range (the streak check)."""
    return database.execute_sql(
        "SELECT scene, plan_name, goods_id, day, spend_fen, gmv_fen, orders FROM ad_report_row "
        "WHERE day BETWEEN ? AND ? AND goods_id <> 0 ORDER BY scene, plan_name, goods_id, day",
        (first, last),
    ).fetchall()


def spend_by_goods_day(first: int, last: int) -> list[tuple]:
    """(goods_id, day, spend) of the range."""
    return database.execute_sql(
        "SELECT goods_id, day, SUM(spend_fen) FROM ad_report_row "
        "WHERE day BETWEEN ? AND ? AND goods_id <> 0 GROUP BY goods_id, day ORDER BY goods_id, day",
        (first, last),
    ).fetchall()


def goods_names(goods_ids: Iterable[int]) -> dict[int, str]:
    """Catalogue names (short name first) of the goods, else the latest report's name."""
    ids = sorted(set(goods_ids))
    out: dict[int, str] = {}
    for i in range(0, len(ids), _IN):
        part = ids[i : i + _IN]
        marks = ",".join("?" * len(part))
        for gid, name in database.execute_sql(
            f"SELECT r.goods_id, {_NAME} FROM ad_report_row r LEFT JOIN goods g ON g.goods_id = r.goods_id "
            f"WHERE r.goods_id IN ({marks}) AND {_GOODS_ONLY} GROUP BY r.goods_id",
            part,
        ).fetchall():
            out[int(gid)] = name
    return out


def sku_prices_and_costs(goods_ids: Iterable[int]) -> list[tuple[int, int, int | None]]:
    """(goods_id, 拼单价 fen, cost price fen or None) of every SKU of the goods."""
    ids = sorted(set(goods_ids))
    out: list[tuple[int, int, int | None]] = []
    for i in range(0, len(ids), _IN):
        part = ids[i : i + _IN]
        marks = ",".join("?" * len(part))
        out.extend(
            database.execute_sql(
                f"SELECT goods_id, group_price_fen, cost_price_fen FROM sku WHERE goods_id IN ({marks})", part
            ).fetchall()
        )
    return out
