"""营销 controller: reads the lists and campaign results off the UI thread, creates, edits and ends
coupons and 限时限量购 (through the outbox or as plans), and imports 报名记录.
"""  # noqa: D205

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QMessageBox, QVBoxLayout

from pdd_desktop.common import clock
from pdd_desktop.common.changes import Changes
from pdd_desktop.common.timefmt import format_ts
from pdd_desktop.domain.money import format_yuan
from pdd_desktop.services import marketing as svc
from pdd_desktop.ui.i18n import QT_TR_NOOP, tr
from pdd_desktop.ui.ops import LatestQuery, WriteOp
from pdd_desktop.ui.pages.base import Page, PageContext
from pdd_desktop.ui.pages.marketing.dialogs import CouponDialog, DiscountDialog, InputError
from pdd_desktop.ui.pages.marketing.view import MarketingPageView
from pdd_desktop.ui.theme import TOKENS
from pdd_desktop.ui.widgets.tables import fill_table

_DAY_FMT = "%m-%d %H:%M"
PENDING = QT_TR_NOOP("待上传")
BELOW_COST = QT_TR_NOOP("活动价低于成本")
WHOLE_SHOP = QT_TR_NOOP("全店商品")


def _period(start: int | None, end: int | None) -> str:
    if start is None and end is None:
        return ""
    return f"{format_ts(start, _DAY_FMT) if start else '…'} ~ {format_ts(end, _DAY_FMT) if end else '…'}"


def _prices(skus) -> str:
    prices = sorted({s.activity_price_fen for s in skus})
    if not prices:
        return ""
    if len(prices) == 1:
        return format_yuan(prices[0])
    return f"{format_yuan(prices[0])} ~ {format_yuan(prices[-1])}"


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:+.1f}%"


class MarketingPage(Page):
    """优惠券 / 限时限量购 / 活动报名 / 活动效果."""

    key = "marketing"
    title = QT_TR_NOOP("营销")
    icon_name = "marketing"
    relevant = ("marketing", "orders", "goods", "sync")

    #: The page's lists were filled (tests wait on it).
    loaded = Signal()

    def __init__(self, ctx: PageContext, parent=None) -> None:
        super().__init__(ctx, parent)
        self.view = MarketingPageView(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        self.data: svc.MarketingData | None = None
        self._query = LatestQuery(self)
        self.dialog = None
        v = self.view
        v.new_coupon_button.clicked.connect(lambda: self.open_coupon_dialog())
        v.edit_coupon_button.clicked.connect(lambda: self.open_coupon_dialog(self.selected_coupon()))
        v.end_coupon_button.clicked.connect(self.end_selected_coupon)
        v.new_discount_button.clicked.connect(lambda: self.open_discount_dialog())
        v.edit_discount_button.clicked.connect(lambda: self.open_discount_dialog(self.selected_discount()))
        v.end_discount_button.clicked.connect(self.end_selected_discount)
        v.import_button.clicked.connect(self.open_import)
        v.coupon_table.itemSelectionChanged.connect(self._update_buttons)
        v.discount_table.itemSelectionChanged.connect(self._update_buttons)
        self._update_buttons()

    # ------------------------------------------------------------------ reading

    def refresh(self) -> None:
        self._query.run(lambda: svc.marketing_data(), self._show)

    def _show(self, data: svc.MarketingData) -> None:
        self.data = data
        v = self.view
        v.count_label.setText(
            tr("优惠券 {coupons} · 限时限量购 {discounts} · 活动报名 {activities}").format(
                coupons=len(data.coupons), discounts=len(data.discounts), activities=len(data.registrations)
            )
        )
        fill_table(
            v.coupon_table,
            [
                (
                    c.name,
                    tr(c.kind_label),
                    c.rule_text,
                    c.goods_name or (tr(WHOLE_SHOP) if c.kind == "shop" else ""),
                    # A plan lives only here: the platform's 已用 is unknown (活动效果 counts its orders).
                    f"{'—' if c.is_plan else f'{c.used_quantity:,}'} / {c.init_quantity:,}",
                    tr("不限") if c.user_limit < 0 else c.user_limit,
                    _period(c.start_at, c.end_at),
                    tr(c.state_label) + (" · " + tr(PENDING) if c.pending and c.status else ""),
                )
                for c in data.coupons
            ],
            [c.id for c in data.coupons],
        )
        fill_table(
            v.discount_table,
            [
                (
                    d.name,
                    tr(d.type_label),
                    d.goods_name,
                    _prices(d.skus),
                    d.quantity or tr("不限"),
                    d.user_limit or tr("不限购"),
                    _period(d.start_at, d.end_at),
                    tr(d.state_label) + (" · " + tr(PENDING) if d.pending and d.status else ""),
                    tr(BELOW_COST) if d.below_cost else "",
                )
                for d in data.discounts
            ],
            [d.id for d in data.discounts],
        )
        fill_table(
            v.activity_table,
            [
                (
                    r.activity_name or r.activity_id,
                    r.activity_type,
                    r.goods_name,
                    r.state,
                    _prices(r.skus),
                    f"{'' if r.activity_stock is None else r.activity_stock} / "
                    f"{'' if r.sold_quantity is None else r.sold_quantity}",
                    _period(r.start_at, r.end_at),
                    r.reason,
                    tr(BELOW_COST) if r.below_cost else "",
                )
                for r in data.registrations
            ],
            [r.id for r in data.registrations],
        )
        fill_table(
            v.result_table,
            [
                (
                    r.name,
                    r.kind_label,
                    _period(r.start_at, r.end_at),
                    r.orders,
                    r.units,
                    format_yuan(r.gmv_fen),
                    format_yuan(r.discount_fen),
                    "—" if r.margin_fen is None else format_yuan(r.margin_fen),
                    format_yuan(r.period.gmv_fen),
                    format_yuan(r.previous.gmv_fen),
                    _pct(r.gmv_change),
                    tr("；").join(r.below_cost)
                    or (
                        tr("{units} 件无成本价").format(units=r.units_without_cost)
                        if r.units_without_cost
                        else ""
                    ),
                )
                for r in data.results
            ],
            [(r.kind, r.ref) for r in data.results],
        )
        danger = QColor(TOKENS["danger"])
        for table, col, rows in (
            (v.discount_table, 8, [d.below_cost for d in data.discounts]),
            (v.activity_table, 8, [r.below_cost for r in data.registrations]),
            (v.result_table, 11, [bool(r.below_cost) for r in data.results]),
        ):
            for i, flagged in enumerate(rows):
                if flagged:
                    table.item(i, col).setForeground(danger)
        v.empty_label.setText(
            ""
            if data.coupons or data.discounts or data.registrations
            else tr(
                "还没有优惠券或活动：新建一张优惠券，或导入活动报名记录；同步会带来平台上已有的优惠券和限时限量购。"
            )
        )
        self._update_buttons()
        self.loaded.emit()

    # ------------------------------------------------------------------ selection

    def _selected(self, table, rows):
        items = table.selectedItems()
        if not items or self.data is None:
            return None
        key = table.item(items[0].row(), 0).data(Qt.ItemDataRole.UserRole)
        return next((r for r in rows if r.id == key), None)

    def selected_coupon(self) -> svc.CouponRow | None:
        """The coupon row selected in the list."""
        return self._selected(self.view.coupon_table, self.data.coupons if self.data else ())

    def selected_discount(self) -> svc.DiscountRow | None:
        """The 限时限量购 row selected in the list."""
        return self._selected(self.view.discount_table, self.data.discounts if self.data else ())

    def _update_buttons(self) -> None:
        v = self.view
        c, d = self.selected_coupon(), self.selected_discount()
        v.edit_coupon_button.setEnabled(c is not None and not c.ended and (c.is_plan or c.status == 0))
        v.end_coupon_button.setEnabled(c is not None and not c.ended)
        v.edit_discount_button.setEnabled(d is not None and not d.ended and d.status == 0)
        v.end_discount_button.setEnabled(d is not None and not d.ended)

    # ------------------------------------------------------------------ writes

    def open_coupon_dialog(self, row: svc.CouponRow | None = None) -> CouponDialog:
        """新建/修改优惠券 (shown with ``open()``)."""
        goods = self.data.goods if self.data else ()
        title = tr("修改优惠券") if row else tr("新建优惠券")
        dlg = CouponDialog(title, goods, clock.now(), row, self)
        # an edit keeps the coupon's kind and goods
        self._open_form(dlg, row, svc.create_coupon, svc.edit_coupon, "coupon_id", ("kind", "goods_id"))
        return dlg

    def open_discount_dialog(self, row: svc.DiscountRow | None = None) -> DiscountDialog:
        """新建/修改限时限量购 (shown with ``open()``)."""
        goods = self.data.goods if self.data else ()
        title = tr("修改限时限量购") if row else tr("新建限时限量购")
        dlg = DiscountDialog(title, goods, clock.now(), row, self)
        # an edit keeps the activity's type and goods
        self._open_form(
            dlg, row, svc.create_discount, svc.edit_discount, "discount_id", ("activity_type", "goods_id")
        )
        return dlg

    def _open_form(
        self,
        dlg: CouponDialog | DiscountDialog,
        row: svc.CouponRow | svc.DiscountRow | None,
        create: Callable[..., Changes],
        edit: Callable[..., Changes],
        id_key: str,
        kept: tuple[str, ...],
    ) -> None:
        """Open a 新建/修改 dialog whose 确定 creates (no ``row``) or edits ``row`` through a WriteOp.

        An edit passes the row's id as ``id_key`` and leaves out the ``kept`` fields (not editable).
        """
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def submit() -> None:
            try:
                values = dlg.values()
            except InputError as exc:
                dlg.show_error(str(exc))
                return
            if row is None:
                WriteOp(self, lambda: create(**values)).in_dialog(dlg).run()
            else:
                values = {k: v for k, v in values.items() if k not in kept}
                values[id_key] = row.id
                WriteOp(self, lambda: edit(**values)).in_dialog(dlg).run()

        dlg.submitted.connect(submit)
        self.dialog = dlg
        dlg.open()

    def confirm_end(self, name: str) -> bool:
        """Ask before ending (tests replace it)."""
        answer = QMessageBox.question(
            self, tr("结束活动"), tr("确定结束“{name}”吗？结束后不能恢复。").format(name=name)
        )
        return answer == QMessageBox.StandardButton.Yes

    def end_selected_coupon(self) -> None:
        """结束 the selected coupon."""
        c = self.selected_coupon()
        if c is not None and self.confirm_end(c.name):
            WriteOp(self, lambda: svc.end_coupon(coupon_id=c.id)).run()

    def end_selected_discount(self) -> None:
        """结束 the selected 限时限量购."""
        d = self.selected_discount()
        if d is not None and self.confirm_end(d.name):
            WriteOp(self, lambda: svc.end_discount(discount_id=d.id)).run()

    def open_import(self) -> None:
        """导入报名记录: the import dialog (it recognises the 报名记录 export by its columns)."""
        from pdd_desktop.ui.dialogs.import_dialog import ImportDialog

        dlg = ImportDialog(self.ctx.runner, self)
        dlg.setWindowTitle(tr("导入活动报名记录"))
        dlg.changes_applied.connect(lambda changes: self.ctx.events.changes_applied.emit(changes, dlg))
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog = dlg
        dlg.open()
