"""推广 controller: reads :func:`services.ads.ads_view` for the chosen range and fills three tables.

Plans and goods whose ROI stayed under their 保本 ROI on each of the last N report days are red
(N is the shop's setting, edited here). Reports come in through the import window (the same
file route as orders; the kind is found from the file). A demo shop that never had a report
gets one written from its own orders and imported (``services/ads_demo.py``), once.
"""

from __future__ import annotations

from fractions import Fraction

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QTableWidget, QVBoxLayout

from pdd_desktop.domain import ad_report as adr
from pdd_desktop.domain.money import format_yuan
from pdd_desktop.services import ads, ads_demo
from pdd_desktop.ui.i18n import QT_TR_NOOP, tr
from pdd_desktop.ui.ops import LatestQuery, WriteOp
from pdd_desktop.ui.pages.ads.view import AdsPageView
from pdd_desktop.ui.pages.base import Page, PageContext
from pdd_desktop.ui.theme import TOKENS
from pdd_desktop.ui.widgets.tables import fill_table

_DANGER = QColor(TOKENS["danger"])


def _money(fen: int) -> str:
    return format_yuan(fen)


def _per_order(value: Fraction | None) -> str:
    return "—" if value is None else "¥" + adr.fen_fraction_text(value)


def _break_even(m: adr.Margin) -> str:
    if not m.known:
        return tr("未填成本")
    return tr("亏本售卖") if m.break_even is None else adr.format_roi(m.break_even)


def _rate(m: adr.Margin) -> str:
    rate = m.rate
    return tr("未填成本") if rate is None else adr.round_half_up(rate * 100) + "%"


def _span(m: ads.ShopManagedRow) -> str:
    if m.first == m.last:
        return f"{m.last:%Y-%m-%d}"
    return tr("{first} 至 {last}").format(first=f"{m.first:%Y-%m-%d}", last=f"{m.last:%Y-%m-%d}")


def _mark(table: QTableWidget, rows: list[bool]) -> None:
    for r, marked in enumerate(rows):
        if not marked:
            continue
        for c in range(table.columnCount()):
            item = table.item(r, c)
            if item is not None:
                item.setForeground(_DANGER)


class AdsPage(Page):
    """推广."""

    key = "ads"
    title = QT_TR_NOOP("推广")
    icon_name = "ads"
    relevant = ("marketing", "funds", "goods", "settings")

    def __init__(self, ctx: PageContext, parent=None) -> None:
        super().__init__(ctx, parent)
        self.view = AdsPageView(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        self.current: ads.AdsView | None = None
        self._query = LatestQuery(self)
        self._demo_checked = not ctx.shop.is_demo
        self._setting_days = False
        self._focus_goods: tuple[int, ...] = ()  # an alert's goods: selected once the plans show
        v = self.view
        v.demo_button.setVisible(ctx.shop.is_demo)
        v.tabs.currentChanged.connect(v.stack.setCurrentIndex)
        v.range_combo.currentIndexChanged.connect(lambda _i: self.refresh())
        v.days_spin.valueChanged.connect(self._days_changed)
        v.import_button.clicked.connect(lambda: self.ctx.events.import_requested.emit(""))
        v.demo_button.clicked.connect(self._import_demo)

    # --- loading ---
    def refresh(self) -> None:
        """Load the range's figures (a demo shop first gets its demo report, once)."""
        if not self._demo_checked:
            self._demo_checked = True
            WriteOp(self, ads_demo.ensure_demo_report).success(lambda _r: self.refresh()).run()
            return
        days = int(self.view.range_combo.currentData())

        def load() -> ads.AdsView:
            first, last = ads.default_range(days=days)
            return ads.ads_view(first=first, last=last)

        self._query.run(load, self._show)

    def _show(self, data: ads.AdsView) -> None:
        self.current = data
        v = self.view
        self._setting_days = True
        v.days_spin.setValue(data.alert_days)
        self._setting_days = False
        empty = data.latest_day is None
        v.empty_label.setVisible(empty)
        v.stack.setVisible(not empty)
        v.count_label.setText(
            ""
            if empty
            else tr("{first} 至 {last} · 报表最新到 {latest}").format(
                first=f"{data.first:%Y-%m-%d}",
                last=f"{data.last:%Y-%m-%d}",
                latest=f"{data.latest_day:%Y-%m-%d}",
            )
        )
        t = data.total
        v.summary_label.setText(
            ""
            if empty
            else tr(
                "花费 {spend} · 交易额 {gmv} · ROI {roi} · 成交 {orders:,} 笔 · 每笔成交花费 {per}"
            ).format(
                spend=_money(t.spend_fen),
                gmv=_money(t.gmv_fen),
                roi=adr.format_roi(t.roi),
                orders=t.orders,
                per=_per_order(t.cost_per_order),
            )
        )
        managed = data.shop_managed
        if managed:
            v.managed_label.setText(
                tr(
                    "其中全店托管（无商品明细）花费 {spend}：报表“总计”行的花费比各商品行的合计多出的部分，"
                    "不算到任何商品；总计只有整份报表的合计，所以记在报表的最后一天（{spans}）。"
                ).format(
                    spend=_money(sum(m.spend_fen for m in managed)),
                    spans=tr("、").join(_span(m) for m in managed),
                )
            )
        v.managed_label.setVisible(bool(managed) and not empty)
        if data.marked_plans or data.marked_goods:
            v.alert_label.setText(
                tr(
                    "{plans} 个推广计划、{goods} 个商品连续 {days} 天 ROI 低于保本 ROI（标红），推广在亏钱。"
                ).format(plans=data.marked_plans, goods=data.marked_goods, days=data.alert_days)
            )
            v.alert_label.show()
        else:
            v.alert_label.hide()
        under = tr("连续 {days} 天低于保本").format(days=data.alert_days)
        fill_table(
            v.plan_table,
            [
                (p.plan_name, p.scene, p.goods_name, _money(p.figures.spend_fen), _money(p.figures.gmv_fen),
                 p.figures.orders, _per_order(p.figures.cost_per_order), adr.format_roi(p.figures.roi),
                 _break_even(p.margin), under if p.marked else "")
                for p in data.plans
            ] + [
                (tr("全店托管（无商品明细）"), _span(m), "—", _money(m.spend_fen),
                 "—", "—", "—", "—", "—", "")
                for m in managed
            ],
            keys=[p.goods_id for p in data.plans] + [0] * len(managed),
        )  # fmt: skip
        _mark(v.plan_table, [p.marked for p in data.plans])
        fill_table(
            v.goods_table,
            [
                (g.goods_name, _money(g.figures.spend_fen), _money(g.figures.gmv_fen), g.figures.orders,
                 _per_order(g.figures.cost_per_order), adr.format_roi(g.figures.roi), _rate(g.margin),
                 _break_even(g.margin), under if g.marked else "")
                for g in data.goods
            ],
            keys=[g.goods_id for g in data.goods],
        )  # fmt: skip
        _mark(v.goods_table, [g.marked for g in data.goods])
        # A 全店托管 line follows its file's last day: its spend is the whole range's, not that day's.
        day_rows = [
            ((d.day, 0), (f"{d.day:%Y-%m-%d}", _money(d.figures.spend_fen), _money(d.figures.gmv_fen),
             d.figures.orders, _per_order(d.figures.cost_per_order), adr.format_roi(d.figures.roi)))
            for d in data.days
        ] + [
            ((m.last, 1), (tr("{span} 全店托管（无商品明细）").format(span=_span(m)), _money(m.spend_fen),
             "—", "—", "—", "—"))
            for m in managed
        ]  # fmt: skip
        fill_table(v.day_table, [row for _k, row in sorted(day_rows, key=lambda kr: kr[0])])
        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        # Figures right-aligned: plans from 花费 to 保本 ROI, goods from 花费 to 保本 ROI, days all.
        for table, cols in (
            (v.plan_table, range(3, 9)),
            (v.goods_table, range(1, 8)),
            (v.day_table, range(1, 6)),
        ):
            for c in cols:
                for r in range(table.rowCount()):
                    item = table.item(r, c)
                    if item is not None:
                        item.setTextAlignment(right)
        if self._focus_goods:
            self._select_focus()

    def show_goods(self, goods_ids, _title: str = "") -> None:
        """Show the plans of ``goods_ids`` (an alert's): the 推广计划 tab, their rows selected."""
        self._focus_goods = tuple(goods_ids)
        self.view.tabs.setCurrentIndex(0)
        self.refresh()

    def _select_focus(self) -> None:
        table = self.view.plan_table
        table.clearSelection()
        mode = table.selectionMode()
        table.setSelectionMode(table.SelectionMode.MultiSelection)
        first = None
        for r in range(table.rowCount()):
            item = table.item(r, 0)
            if item is not None and item.data(Qt.ItemDataRole.UserRole) in self._focus_goods:
                table.selectRow(r)
                first = item if first is None else first
        table.setSelectionMode(mode)
        if first is not None:
            table.scrollToItem(first)
        self._focus_goods = ()

    # --- actions ---
    def _days_changed(self, days: int) -> None:
        if self._setting_days:
            return
        WriteOp(self, lambda: ads.set_alert_days(days)).run()

    def _import_demo(self) -> None:
        WriteOp(self, ads_demo.import_demo_report).run()
