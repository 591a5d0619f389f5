"""工作台 controller: loads the snapshot off the UI thread and fills the view."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QVBoxLayout

from pdd_desktop.common import clock
from pdd_desktop.common.timefmt import format_ts
from pdd_desktop.domain.money import format_yuan
from pdd_desktop.services import alerts, home
from pdd_desktop.ui.figures import buyer_figure
from pdd_desktop.ui.i18n import QT_TR_NOOP, tr
from pdd_desktop.ui.ops import LatestQuery, WriteOp
from pdd_desktop.ui.pages.base import Page, PageContext
from pdd_desktop.ui.pages.home.view import COUNTERS, PERIODS, HomePageView

#: Deadlines move with the clock even when no data changes.
AUTO_REFRESH_MS = 60_000
#: The 物流异常 counter's own tooltip.
LOGISTICS_HINT = next(hint for key, _label, hint, _alert in COUNTERS if key == "logistics_problems")


class HomePage(Page):
    """The to-do counters; each is a button that asks the shell to open the matching list."""

    key = "home"
    title = QT_TR_NOOP("工作台")
    icon_name = "home"
    relevant = (
        "orders", "shipments", "after_sales", "goods", "messages", "settings", "sync", "funds", "alerts",
    )  # fmt: skip

    #: A counter was clicked: its key (e.g. "overdue"), for the shell to open the filtered list.
    counter_activated = Signal(str)
    #: A snapshot was shown (the start-up benchmark waits for the first one).
    snapshot_shown = Signal(object)
    #: An alert's open button: its ``AlertRow`` (the shell opens its orders, SKUs or cases).
    alert_open_requested = Signal(object)
    #: The alerts panel was filled (tests wait for it).
    alerts_shown = Signal()

    def __init__(self, ctx: PageContext, parent=None) -> None:
        super().__init__(ctx, parent)
        self.view = HomePageView(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        self.snapshot: home.HomeSnapshot | None = None
        self._query = LatestQuery(self)
        self._alerts_query = LatestQuery(self)
        self._connect_signals()
        self._timer = QTimer(self)
        self._timer.setInterval(AUTO_REFRESH_MS)
        self._timer.timeout.connect(self._on_timer)
        self._timer.start()
        demo = tr("（演示店铺）") if ctx.shop.is_demo else ""
        self.view.shop_label.setText(f"{ctx.shop.name}{demo}")

    def _connect_signals(self) -> None:
        for key, button in self.view.counters.items():
            button.clicked.connect(lambda _checked=False, k=key: self._on_counter_clicked(k))
        self.ctx.events.sync_status_changed.connect(self._show_sync_status)
        panel = self.view.alerts_panel
        panel.open_requested.connect(self.alert_open_requested)
        panel.snooze_requested.connect(self.snooze_alert)
        panel.unsnooze_all_requested.connect(self.unsnooze_alerts)
        self._show_sync_status(self.ctx.events.sync_status)

    def _on_counter_clicked(self, key: str) -> None:
        if self.view.counters[key].clickable:
            self.counter_activated.emit(key)

    def set_openable_counters(self, is_openable: Callable[[str], bool]) -> None:
        """Counters whose list can open are buttons; the others are plain figures (no module yet)."""
        for key, button in self.view.counters.items():
            button.set_clickable(is_openable(key))

    def _show_sync_status(self, text: str) -> None:
        """The connection state: the status bar's sync text, word for word."""
        self.view.sync_status_label.setText(tr("同步状态：{text}").format(text=text) if text else "")
        self.view.sync_status_label.setVisible(bool(text))

    def refresh(self) -> None:
        """Recompute the snapshot on the database lane; older answers are dropped."""
        self.view.updated_label.setText(tr("正在更新…"))
        self._query.run(home.home_snapshot, self._on_snapshot)
        self._alerts_query.run(lambda: alerts.open_alerts(include_snoozed=True), self._on_alerts)

    def _on_alerts(self, rows: list[alerts.AlertRow]) -> None:
        now = clock.now()
        shown = [r for r in rows if not r.snoozed(now)]
        self.view.alerts_panel.show_alerts(shown, [r for r in rows if r.snoozed(now)])
        self.alerts_shown.emit()

    def snooze_alert(self, key: str, choice: str) -> None:
        """稍后提醒: hide the alert ``key`` for the chosen time."""
        WriteOp(self, lambda: alerts.snooze(key=key, choice=choice)).run()

    def unsnooze_alerts(self) -> None:
        """Show the snoozed alerts again now."""
        WriteOp(self, alerts.unsnooze_all).run()

    def _on_timer(self) -> None:
        if self.isVisible():
            self.refresh()
        else:
            self._refresh_needed = True

    def _on_snapshot(self, snap: home.HomeSnapshot) -> None:
        self.snapshot = snap
        v = self.view
        for key, button in v.counters.items():
            button.set_value(getattr(snap, key))
        self._show_logistics_counter(snap)
        for period, _ in PERIODS:
            figures: home.PeriodFigures = getattr(snap, period)
            v.figure_labels[("orders", period)].setText(f"{figures.orders:,}")
            v.figure_labels[("gmv", period)].setText(format_yuan(figures.gmv_fen))
            text, tip = buyer_figure(figures.buyers, figures.orders, figures.unknown_buyer_orders)
            v.figure_labels[("buyers", period)].setText(text)
            v.figure_labels[("buyers", period)].setToolTip(tip)
            v.figure_labels[("aov", period)].setText(format_yuan(figures.avg_order_fen))
            v.figure_labels[("refunds", period)].setText(
                tr("{refunds:,} 笔 / {amount}").format(
                    refunds=figures.refunds, amount=format_yuan(figures.refund_fen)
                )
            )
        if snap.fast_ship_enabled:
            at_risk = snap.near_deadline + snap.overdue
            v.exposure_label.setText(
                tr(
                    "极速发货赔付风险：{at_risk:,} 单即将或已经超时，可能赔付 {amount}（每单 {per_order}）"
                ).format(
                    at_risk=at_risk,
                    amount=format_yuan(snap.late_exposure_fen),
                    per_order=format_yuan(snap.settings.late_compensation_fen),
                )
            )
            v.exposure_label.setVisible(True)
        else:
            v.exposure_label.setVisible(False)
        v.sync_label.setText(_sync_text(snap, self.ctx.shop.is_demo))
        v.updated_label.setText(tr("更新于 {time}").format(time=format_ts(snap.now, "%H:%M:%S")))
        self.snapshot_shown.emit(snap)

    def _show_logistics_counter(self, snap: home.HomeSnapshot) -> None:
        """物流异常: no alarm for a shop whose parcels are not tracked; 未查询 in the tooltip."""
        button = self.view.counters["logistics_problems"]
        tracking = snap.logistics_tracking
        if not tracking.tracked:
            button.set_value(0)
            button.value_label.setText("—")
            button.setToolTip(tracking.reason)
            return
        hint = tr(LOGISTICS_HINT)
        if snap.unqueried_parcels:
            hint += tr(
                "\n另有 {unqueried_parcels:,} 个在途包裹尚未查询物流轨迹（同步时自动查询），不计入"
            ).format(unqueried_parcels=snap.unqueried_parcels)
        button.setToolTip(hint)


def _sync_text(snap: home.HomeSnapshot, is_demo: bool) -> str:
    """The last finished sync, from the shop's sync log.

    Whether sync is connected now is the status line above it (the status bar's text), never
    guessed here.
    """
    if snap.last_sync is None:
        if is_demo:
            return tr("演示店铺：数据由本机生成，还没有完成过同步。")
        return tr("还没有完成过同步：显示的是本机数据。")
    outcome, finished_at, stream = snap.last_sync
    when = format_ts(finished_at, "%m-%d %H:%M") if finished_at else tr("进行中")
    state = {
        "ok": tr("成功"), "failed": tr("失败"), "cancelled": tr("已取消"), "running": tr("进行中"),
        "offline": tr("离线"), "auth_needed": tr("需要重新授权"), "rate_limited": tr("平台限流"),
        "aborted": tr("中断"),
    }.get(outcome, outcome)  # fmt: skip
    # Imported on use: the sync registry loads every sync area, which painting home does not need.
    from pdd_desktop.services.sync import STREAM_LABELS

    label = STREAM_LABELS.get(stream, tr("上传") if not stream else stream)
    return tr("最近同步：{when}（{label}，{state}）").format(when=when, label=label, state=state)
