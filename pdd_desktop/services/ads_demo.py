"""The demo shop's ad report: a 推广商品 export written from the shop's own paid orders, then imported.

The demo has no 推广 backend, so this module plays it: for the shop's best-selling goods it
writes the file the backend's 报表下载 would give (title line, the export's header, one row per
day × plan × goods, the 总计 row, a note line) and sends it through the ordinary import
(``check_import_file`` → ``apply_import``), so the 推广 page shows data that came the way a
real shop's does; nothing is written into the tables directly.

Consistent with the orders: on every row the ad's 成交笔数 and 交易额 are at most that goods'
paid orders and 成交金额 of that day (``agg_goods_day``). Spend follows from a target ROI per
plan around the goods' 保本 ROI (one plan well above, some near, one below, so the page's marks
have something to show). Deterministic for a shop's demo seed and the day.
"""

from __future__ import annotations

import random
import shutil
from fractions import Fraction
from pathlib import Path

from pdd_desktop.common import clock
from pdd_desktop.data import aggregates as agg
from pdd_desktop.data.db import database
from pdd_desktop.domain import ad_report as adr
from pdd_desktop.domain.errors import NotAllowed
from pdd_desktop.domain.money import format_yuan_plain
from pdd_desktop.services import ads, imports
from pdd_desktop.services.demo_shop import demo_origin
from pdd_desktop.services.staging import new_staging_dir
from pdd_desktop.tabular.table_files import write_table

#: Days in the demo report, ending yesterday.
DEMO_DAYS = 30
#: Goods promoted, best sellers first.
DEMO_GOODS = 6
#: Target ROI per promoted goods as a multiple of its 保本 ROI (below 1: losing money).
_TARGETS = (Fraction(9, 5), Fraction(7, 5), Fraction(6, 5), Fraction(3, 4), Fraction(8, 5), Fraction(9, 10))
_SCENE = "稳定成本推广"
_TITLE = "名称：商品推广-推广商品（演示店铺的模拟数据）"


def _fen(value: Fraction) -> int:
    return int((value * 2 + 1) // 2)


def _ratio(num: int, den: int) -> str:
    return "-" if den <= 0 else adr.round_half_up(Fraction(num, den))


def _money_ratio(num: int, den: int) -> str:
    return "-" if den <= 0 else format_yuan_plain(_fen(Fraction(num, den)))


def demo_rows(*, now: int, seed: int) -> tuple[list[list[object]], list[object]]:
    """The report's data rows (export header order) and its 总计 row, from the shop's orders."""
    last = agg.day_of(now) - 1
    first = last - DEMO_DAYS + 1
    top = database.execute_sql(
        "SELECT goods_id FROM agg_goods_day WHERE day BETWEEN ? AND ? GROUP BY goods_id "
        "ORDER BY SUM(gmv_fen) DESC, goods_id LIMIT ?",
        (first, last, DEMO_GOODS),
    ).fetchall()
    goods_ids = [int(r[0]) for r in top]
    margins = ads.goods_margins(goods_ids)
    names = dict(
        database.execute_sql(
            f"SELECT goods_id, COALESCE(NULLIF(short_name, ''), name) FROM goods WHERE goods_id IN "
            f"({','.join('?' * len(goods_ids)) or 'NULL'})",
            goods_ids,
        ).fetchall()
    )
    rows: list[list[object]] = []
    sums = [0, 0, 0, 0, 0, 0, 0]  # deal spend, gmv, total spend, net gmv, net orders, orders, …
    for i, gid in enumerate(goods_ids):
        be = margins[gid].break_even or Fraction(3)
        target = be * _TARGETS[i % len(_TARGETS)]
        name = names.get(gid, str(gid))
        plan = f"{name[:12]}-稳定成本"
        bid = f"目标投产比：{adr.round_half_up(target)}"
        sold = {
            int(d): (o, g, r)
            for d, o, g, r in database.execute_sql(
                "SELECT day, orders, gmv_fen, refunded_orders FROM agg_goods_day "
                "WHERE goods_id = ? AND day BETWEEN ? AND ?",
                (gid, first, last),
            ).fetchall()
        }
        for day in range(first, last + 1):
            rnd = random.Random(f"{seed}:{gid}:{day}")
            orders, gmv, refunded = sold.get(day, (0, 0, 0))
            if orders:
                ad_orders = min(orders, max(1, orders * rnd.randint(30, 60) // 100))
                ad_gmv = gmv * ad_orders // orders
                roi = target * Fraction(rnd.randint(88, 112), 100)
                spend = max(1, _fen(Fraction(ad_gmv) / roi)) if ad_gmv else rnd.randint(300, 1500)
            else:  # a plan spends on days the goods sold nothing too
                ad_orders, ad_gmv, spend = 0, 0, rnd.randint(300, 1500)
            deal = spend * rnd.randint(85, 97) // 100
            net_orders = ad_orders - min(ad_orders, refunded * ad_orders // orders) if orders else 0
            net_gmv = ad_gmv * net_orders // ad_orders if ad_orders else 0
            shows = (ad_orders + 1) * rnd.randint(300, 900)
            clicks = shows * rnd.randint(2, 5) // 100
            rows.append([
                f"{agg.day_to_date(day):%Y-%m-%d}", str(gid), name, _SCENE, plan, bid, "默认分组", "否",
                format_yuan_plain(deal), format_yuan_plain(ad_gmv), _ratio(ad_gmv, deal),
                format_yuan_plain(spend),
                format_yuan_plain(net_gmv), _ratio(net_gmv, deal), net_orders, _money_ratio(deal, net_orders),
                ad_orders, _money_ratio(deal, ad_orders), _money_ratio(ad_gmv, ad_orders), shows, clicks,
            ])  # fmt: skip
            for k, v in enumerate((deal, ad_gmv, spend, net_gmv, net_orders, ad_orders, shows)):
                sums[k] += v
    deal, gmv, spend, net_gmv, net_orders, orders, shows = sums
    clicks = sum(int(r[20]) for r in rows)  # type: ignore[call-overload]
    total = [
        "总计", "", "", "", "", "", "", "", format_yuan_plain(deal), format_yuan_plain(gmv),
        _ratio(gmv, deal),
        format_yuan_plain(spend), format_yuan_plain(net_gmv), _ratio(net_gmv, deal), net_orders,
        _money_ratio(deal, net_orders), orders, _money_ratio(deal, orders), _money_ratio(gmv, orders),
        shows,
        clicks,
    ]  # fmt: skip
    return rows, total


def write_demo_report(path: Path | str, *, now: int, seed: int) -> int:
    """Write the demo shop's 推广商品 report (.xlsx or .csv); returns its data rows."""
    rows, total = demo_rows(now=now, seed=seed)
    body: list[list[object]] = [list(adr.EXPORT_HEADER), *rows, total, ["注：花费、交易额单位为元"]]
    write_table(path, (_TITLE,), body, sheet="推广商品")
    return len(rows)


def import_demo_report(*, now: int | None = None) -> imports.ImportResult:
    """Write the demo shop's report for the 30 days before ``now`` and import it (demo shops only).

    Raises:
        NotAllowed: not a demo shop, or the shop has no paid orders in those days.
    """
    origin = demo_origin()
    if origin is None:
        raise NotAllowed("只有演示店铺可以生成模拟的推广报表；真实店铺请导入推广后台导出的报表。")
    now = clock.now() if now is None else now
    folder = Path(new_staging_dir())
    try:
        path = folder / f"推广商品报表-演示-{agg.day_to_date(agg.day_of(now)):%Y%m%d}.xlsx"
        if write_demo_report(path, now=now, seed=origin.seed) == 0:
            raise NotAllowed("演示店铺最近 30 天没有成交订单，无法生成推广报表。")
        check = imports.check_import_file(path)
        return imports.apply_import(check)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def ensure_demo_report(*, now: int | None = None) -> imports.ImportResult | None:
    """A demo shop that never had an ad report gets its demo report once; otherwise nothing."""
    if demo_origin() is None:
        return None
    had = database.execute_sql(
        "SELECT EXISTS (SELECT 1 FROM ad_report_row) "
        "OR EXISTS (SELECT 1 FROM import_batch WHERE kind = 'ads')"
    ).fetchone()[0]
    if had:
        return None
    try:
        return import_demo_report(now=now)
    except NotAllowed:
        return None
