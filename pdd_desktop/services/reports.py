"""Report tables of the 数据 module: ``pdd-desktop report NAME`` and the dashboards' data export.

Each report is a header and rows of plain values (money as yuan text with two decimals, rates
as percent text), written by ``tabular.table_files.write_table`` (no formulas, ever). Later
modules add their reports to :data:`REPORTS`. The column layouts are listed in README.md.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from pdd_desktop.common import clock
from pdd_desktop.common.timefmt import format_ts, local_date_start
from pdd_desktop.domain import ad_report as adr
from pdd_desktop.domain.errors import ValidationError
from pdd_desktop.domain.money import format_yuan_plain
from pdd_desktop.services import ads
from pdd_desktop.services import analytics as an
from pdd_desktop.services import marketing as mk
from pdd_desktop.tabular.table_files import write_table


@dataclass(frozen=True)
class Table:
    """A report as a header and its rows."""

    title: str
    header: tuple[str, ...]
    rows: tuple[tuple[object, ...], ...]
    note: str = ""  #: told to the merchant next to the export (e.g. why a report has no rows)


#: The cost column names where its figure comes from: the cost price the merchant entered.
COST_HEADER = "成本(元,按录入的成本价)"
NO_COST = "未填成本"
#: 买家数 of an item none of whose orders names its buyer (unknown, not 0).
NO_BUYER = "—"


def percent(value: float | None) -> str:
    """0.1234 → ``12.34%``; None → empty."""
    return "" if value is None else f"{value * 100:.2f}%"


def overview_table(ov: an.Overview) -> Table:
    """经营概况: one row per day / week / month, then 合计 (买家数: known buyers, with a note)."""
    header = (
        "日期",
        "订单数",
        "件数",
        "成交金额(元)",
        "买家数",
        "客单价(元)",
        "退款成功(单)",
        "退款金额(元)",
    )
    rows = tuple(
        (
            r.label,
            r.orders,
            r.units,
            format_yuan_plain(r.gmv_fen),
            r.buyers,
            format_yuan_plain(r.avg_order_fen),
            r.refunds,
            format_yuan_plain(r.refund_fen),
        )
        for r in (*ov.rows, ov.total)
    )
    # 买家数 counts known buyers only; the note says how many orders had no buyer identity.
    note = buyer_note(ov.total.unknown_buyer_orders, ov.total.buyers)
    return _with_note(Table("经营概况", header, rows), note)


def hot_items_table(hot: an.HotItems, *, by_sku: bool = False) -> Table:
    """商品分析: goods (or SKUs) by GMV, with the previous period beside them."""
    header = (
        "排名", "商品ID", "商品名称", "规格ID", "规格", "订单数", "件数", "成交金额(元)", "买家数",
        "退款订单数", "退款率", "上期订单数", "上期件数", "上期成交金额(元)", "成交金额环比", "ABC分类",
        COST_HEADER, "毛利(元)", "毛利率", "应发货单数", "超时发货单数", "超时发货占比",
    )  # fmt: skip
    items = hot.skus if by_sku else hot.goods
    rows = tuple(
        (
            rank, str(f.goods_id), f.name, "" if f.sku_id is None else str(f.sku_id), f.spec, f.orders,
            f.units, format_yuan_plain(f.gmv_fen), f.buyers if f.buyers_known else NO_BUYER,
            f.refunded_orders, percent(f.refund_rate),
            f.prev_orders, f.prev_units, format_yuan_plain(f.prev_gmv_fen), percent(f.gmv_change), f.abc,
            NO_COST if f.cost_fen is None else format_yuan_plain(f.cost_fen),
            "" if f.margin_fen is None else format_yuan_plain(f.margin_fen), percent(f.margin_rate),
            *(("", "", "") if by_sku else (f.ship_due, f.ship_late, percent(f.late_rate))),
        )
        for rank, f in enumerate(items, 1)
    )
    unknown = sum(1 for f in items if not f.buyers_known)
    what = "规格" if by_sku else "商品"
    note = (
        f"有 {unknown} 个{what}的订单都没有买家身份（订单文件和订单接口不提供买家），"
        f"买家数写作“{NO_BUYER}”（不是 0）；其余的买家数只计有买家身份的订单。"
        if unknown
        else ""
    )
    return _with_note(Table("商品分析", header, rows), note)


def customers_table(cu: an.Customers) -> Table:
    """客户分析: known buyers per day, new and returning, then 合计 (distinct over the range)."""
    header = ("日期", "买家数", "新买家数", "老买家数", "新买家占比")
    rows = [
        (f"{d.day:%Y-%m-%d}", d.buyers, d.new, d.returning, percent(d.new / d.buyers if d.buyers else None))
        for d in cu.days
    ]
    new_total = sum(d.new for d in cu.days)
    rows.append(
        (
            "合计",
            cu.buyers,
            new_total,
            cu.buyers - new_total,
            percent(new_total / cu.buyers if cu.buyers else None),
        )
    )
    return Table("客户分析", header, tuple(rows))


def buyer_note(unknown_orders: int, known_buyers: int) -> str:
    """The line a per-buyer report carries when orders have no buyer identity ("" when all have)."""
    if not unknown_orders:
        return ""
    if not known_buyers:
        return (
            f"这些订单（{unknown_orders} 个）都没有买家身份：拼多多导出的订单文件和订单接口都不提供买家，"
            "无法按买家统计，所以表中的买家数都是 0。"
        )
    return f"有 {unknown_orders} 个订单没有买家身份（订单文件和订单接口不提供买家），未计入表中的买家数。"


def _with_note(table: Table, note: str) -> Table:
    return replace(table, note=note) if note else table


def _customers(r: an.DayRange) -> Table:
    cu = an.customers(first=r.first, last=r.last)
    return _with_note(customers_table(cu), buyer_note(an.unknown_buyer_orders(r), cu.buyers))


def _second_order(r: an.DayRange) -> Table:
    cu = an.customers(first=r.first, last=r.last)
    return _with_note(second_order_table(cu), buyer_note(an.unknown_buyer_orders(r), cu.buyers))


def _spend_bands(r: an.DayRange) -> Table:
    cu = an.customers(first=r.first, last=r.last)
    known = sum(b.count for b in cu.spend_bands)  # all history, as the bands
    return _with_note(spend_bands_table(cu), buyer_note(an.unknown_buyer_orders(None), known))


def ads_roi_table(view: ads.AdsView) -> Table:
    """推广 ROI: one row per plan × goods of the range (largest spend first), then 合计."""
    header = (
        "推广场景", "推广名称", "商品ID", "商品名称", "花费(元)", "交易额(元)", "成交笔数",
        "每笔成交花费(元)", "ROI", "毛利率", "保本ROI",
        f"连续{view.alert_days}天低于保本",
    )  # fmt: skip
    rows: list[tuple[object, ...]] = []
    for p in view.plans:
        f, m = p.figures, p.margin
        rate = m.rate
        rows.append((
            p.scene, p.plan_name, p.goods_id, p.goods_name, format_yuan_plain(f.spend_fen),
            format_yuan_plain(f.gmv_fen), f.orders, adr.fen_fraction_text(f.cost_per_order),
            adr.format_roi(f.roi), "未填成本" if rate is None else f"{adr.round_half_up(rate * 100)}%",
            "未填成本" if not m.known else "亏本" if m.break_even is None else adr.format_roi(m.break_even),
            "是" if p.marked else "",
        ))  # fmt: skip
    for m in view.shop_managed:  # spend with no goods row (总计 above the rows): counted in 合计
        span = f"{m.first:%Y-%m-%d}" if m.first == m.last else f"{m.first:%Y-%m-%d}至{m.last:%Y-%m-%d}"
        rows.append((
            adr.SHOP_MANAGED_PLAN, f"全店托管（无商品明细）{span}", "", "", format_yuan_plain(m.spend_fen),
            format_yuan_plain(0), 0, "—", "—", "", "", "",
        ))  # fmt: skip
    t = view.total
    rows.append((
        "合计", "", "", "", format_yuan_plain(t.spend_fen), format_yuan_plain(t.gmv_fen), t.orders,
        adr.fen_fraction_text(t.cost_per_order), adr.format_roi(t.roi), "", "", "",
    ))  # fmt: skip
    if view.latest_day is None:
        note = "店铺里还没有推广报表：请在「推广」页点「导入推广报表…」，导入推广中心导出的「推广商品」报表。"
    elif not view.plans and not view.shop_managed:
        note = f"所选日期内没有推广数据（已导入的报表最新到 {view.latest_day:%Y-%m-%d}）。"
    else:
        note = ""
    return Table("推广ROI", header, tuple(rows), note)


def campaigns_table(results: list[mk.CampaignResult]) -> Table:
    """营销 活动效果: one row per coupon, 限时限量购 and activity registration (README columns)."""
    header = (
        "类型",
        "名称",
        "状态",
        "开始时间",
        "结束时间",
        "订单数",
        "件数",
        "成交额(元)",
        "优惠成本(元)",
        "成本(元)",
        "折后毛利(元)",
        "无成本价件数",
        "上期订单数",
        "上期件数",
        "上期成交额(元)",
        "本期同商品成交额(元)",
        "成交额环比",
        "提醒",
    )
    rows = tuple(
        (
            r.kind_label,
            r.name,
            r.state_label,
            format_ts(r.start_at),
            format_ts(r.end_at),
            r.orders,
            r.units,
            format_yuan_plain(r.gmv_fen),
            format_yuan_plain(r.discount_fen),
            format_yuan_plain(r.cost_fen),
            "" if r.margin_fen is None else format_yuan_plain(r.margin_fen),
            r.units_without_cost,
            r.previous.orders,
            r.previous.units,
            format_yuan_plain(r.previous.gmv_fen),
            format_yuan_plain(r.period.gmv_fen),
            percent(r.gmv_change),
            "；".join(r.below_cost),
        )
        for r in results
    )
    return Table("营销活动效果", header, rows)


def _campaigns(r: an.DayRange) -> Table:
    start = local_date_start(r.first)
    end = local_date_start(r.last) + 86400
    now = min(clock.now(), end)
    return campaigns_table(
        [c for c in mk.campaign_results(now=now) if c.start_at < end and c.end_at >= start]
    )


def price_bands_table(hot: an.HotItems) -> Table:
    """价格带: SKUs by their average paid price in the range (成交金额 ÷ 件数)."""
    total = sum(b.gmv_fen for b in hot.price_bands)
    rows = tuple(
        (
            b.label,
            b.count,
            b.units,
            format_yuan_plain(b.gmv_fen),
            percent(b.gmv_fen / total if total else None),
        )
        for b in hot.price_bands
    )
    return Table("价格带", ("价格带(成交均价)", "规格数", "件数", "成交金额(元)", "成交金额占比"), rows)


def late_shipping_table(hot: an.HotItems) -> Table:
    """超时发货: per goods with a ship deadline, most late orders first."""
    items = sorted(
        (f for f in hot.goods if f.ship_due), key=lambda f: (-f.ship_late, -f.ship_due, f.goods_id)
    )
    rows = tuple((str(f.goods_id), f.name, f.ship_due, f.ship_late, percent(f.late_rate)) for f in items)
    return Table("超时发货", ("商品ID", "商品名称", "应发货单数", "超时发货单数", "超时发货占比"), rows)


def second_order_table(cu: an.Customers) -> Table:
    """复购间隔: buyers whose first order is in the range, by days to their second order."""
    so = cu.second_order
    rows: list[tuple[object, ...]] = [
        (label, n, percent(n / so.new_buyers if so.new_buyers else None)) for label, _lo, _hi, n in so.bands
    ]
    rest = so.new_buyers - so.repeaters
    rows.append(("未再购买", rest, percent(rest / so.new_buyers if so.new_buyers else None)))
    rows.append(("合计(首单在所选日期内)", so.new_buyers, percent(1.0 if so.new_buyers else None)))
    rows.append(("复购间隔中位数(天)", "" if so.median_days is None else so.median_days, ""))
    return Table("复购间隔", ("复购间隔", "买家数", "占比"), tuple(rows))


def spend_bands_table(cu: an.Customers) -> Table:
    """消费分布: known buyers by all-time spend."""
    total = sum(b.count for b in cu.spend_bands)
    rows = tuple(
        (b.label, b.count, percent(b.count / total if total else None), format_yuan_plain(b.gmv_fen))
        for b in cu.spend_bands
    )
    return Table("消费分布", ("累计消费", "买家数", "买家占比", "消费金额(元)"), rows)


@dataclass(frozen=True)
class Report:
    """A named report: its Chinese title and how to build its table for a range."""

    name: str
    title: str
    build: Callable[[an.DayRange], Table]


def _over(
    table: Callable[[Any], Table], read: Callable[..., Any], **kw: Any
) -> Callable[[an.DayRange], Table]:
    """A report's builder: ``read`` over the range (``first``/``last``, and ``kw``), put in ``table``."""
    return lambda r: table(read(first=r.first, last=r.last, **kw))


REPORTS: dict[str, Report] = {
    r.name: r
    for r in (
        Report("overview", "经营概况（按天）", _over(overview_table, an.overview, grain="day")),
        Report("hot-items", "商品分析（按商品）", _over(hot_items_table, an.hot_items)),
        Report("customers", "客户分析（按天）", _customers),
        Report("price-bands", "价格带（按成交均价）", _over(price_bands_table, an.hot_items)),
        Report("late-shipping", "超时发货占比（按商品）", _over(late_shipping_table, an.hot_items)),
        Report("second-order", "复购间隔（首单在所选日期内的买家）", _second_order),
        Report("spend-bands", "消费分布（买家累计消费）", _spend_bands),
        Report("campaigns", "营销活动效果（按活动）", _campaigns),
        Report("ads-roi", "推广ROI（按推广计划和商品）", _over(ads_roi_table, ads.ads_view)),
        Report("cs-daily", "客服回复率（按天、按客服）", lambda r: cs_daily_table(r)),
        Report("ledger", "资金账目（按天、按类别）", lambda r: funds_table("ledger", "资金账目", r)),
        Report("reconciliation", "对账（按订单）", lambda r: funds_table("reconciliation", "对账", r)),
        Report("profit", "利润（按天）", lambda r: funds_table("profit", "利润", r)),
    )
}


def cs_daily_table(r: an.DayRange) -> Table:
    """客服回复率: one row per day and agent (全店 first), rates against the targets."""
    from pdd_desktop.services import cs

    return Table("客服回复率", cs.DAILY_HEADER, cs.daily_rows(r.first_day, r.last_day))


def funds_table(kind: str, title: str, r: an.DayRange) -> Table:
    """资金's tables (:mod:`pdd_desktop.services.funds_reports`)."""
    from pdd_desktop.services import funds_reports as fr

    build = {"ledger": fr.ledger_rows, "reconciliation": fr.reconciliation_rows, "profit": fr.profit_rows}[
        kind
    ]
    header, rows = build(r.first, r.last)
    return Table(title, header, rows)


def write_report(name: str, first: str | None, last: str | None, out: Path | str) -> tuple[Table, int]:
    """Build report ``name`` for the range and write it to ``out`` (.csv or .xlsx).

    Returns:
        The table and the number of rows written.

    Raises:
        ValidationError: an unknown report, a bad date, or a file type other than .csv / .xlsx.
    """
    report = REPORTS.get(name)
    if report is None:
        raise ValidationError("报表", f"没有“{name}”，可选：{'、'.join(REPORTS)}")
    check_out(out)
    table = report.build(an.DayRange.parse(first, last))
    return table, write_table(out, table.header, table.rows, sheet=table.title)


def check_out(out: Path | str) -> None:
    """Refuse an output file that is not .csv / .xlsx."""
    if Path(out).suffix.lower() not in (".csv", ".xlsx"):
        raise ValidationError("保存为", f"应为 .csv 或 .xlsx 文件：{Path(out).name}")


def trend_table(points: tuple[an.TrendPoint, ...]) -> Table:
    """One goods' daily trend with its 7-day averages."""
    header = ("日期", "订单数", "件数", "成交金额(元)", "7日平均件数", "7日平均成交金额(元)")
    rows = tuple(
        (
            f"{p.day:%Y-%m-%d}",
            p.orders,
            p.units,
            format_yuan_plain(p.gmv_fen),
            f"{p.avg7_units:.2f}",
            format_yuan_plain(p.avg7_gmv_fen),
        )
        for p in points
    )
    return Table("每日走势", header, rows)


def rfm_table(cu: an.Customers) -> Table:
    """RFM groups: buyers and spend per group (all history up to today)."""
    header = ("分群", "近30天购买", "购买2次及以上", "消费不低于中位数", "买家数", "消费金额(元)")
    rows = tuple(
        (
            g.name,
            "是" if g.recent else "否",
            "是" if g.frequent else "否",
            "是" if g.big else "否",
            g.buyers,
            format_yuan_plain(g.gmv_fen),
        )
        for g in cu.rfm
    )
    return Table("RFM客户分群", header, rows)


def provinces_table(cu: an.Customers) -> Table:
    """Paid orders and GMV per receiver province."""
    rows = tuple((p or "未知", n, format_yuan_plain(g)) for p, n, g in cu.provinces)
    return Table("省份分布", ("省份", "订单数", "成交金额(元)"), rows)


def heat_table(cu: an.Customers) -> Table:
    """Paid orders per weekday (rows) and Beijing hour (columns)."""
    header = ("星期", *(f"{h}时" for h in range(24)))
    return Table("下单时段", header, tuple((an.WEEKDAYS[w], *row) for w, row in enumerate(cu.heat)))


def cohort_table(cu: an.Customers) -> Table:
    """Monthly cohorts: size and the share buying again in each later month."""
    width = max((len(c.active) for c in cu.cohorts), default=1)
    header = ("首单月份", "人数", *(f"第{k}个月" for k in range(1, width)))
    rows = tuple(
        (c.month, c.size, *(percent(c.retention(k)) if k < len(c.active) else "" for k in range(1, width)))
        for c in cu.cohorts
    )
    return Table("月度留存", header, rows)


def write_table_file(path: Path | str, table: Table) -> int:
    """Write ``table`` to ``path`` (.csv or .xlsx); returns the rows written."""
    check_out(path)
    return write_table(path, table.header, table.rows, sheet=table.title)
