"""Columns of the order list, built once; each formats a display-ready OrderRow."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from pdd_desktop.common import clock
from pdd_desktop.common.timefmt import format_duration, format_ts
from pdd_desktop.domain.money import format_yuan
from pdd_desktop.domain.orders import Flag, OrderStatus, RefundStatus
from pdd_desktop.ui.i18n import QT_TR_NOOP, tr
from pdd_desktop.ui.table.row_cache_model import ColumnSpec
from pdd_desktop.ui.theme import TOKENS

RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
DANGER = QColor(TOKENS["danger"])
WARNING = QColor(TOKENS["warning"])
MUTED = QColor(TOKENS["muted"])
OK = QColor(TOKENS["ok"])
FLAG_COLOURS = {1: "#d92d20", 2: "#eaaa08", 3: "#039855", 4: "#1570ef", 5: "#7a5af8"}
NEAR_S = 6 * 3600


def _countdown(row) -> str:
    if row.status != OrderStatus.TO_SHIP or row.ship_deadline_at is None:
        return ""
    left = row.ship_deadline_at - clock.now()
    return (tr("已超时 ") + format_duration(-left)) if left < 0 else format_duration(left)


def _countdown_colour(row) -> QColor | None:
    if row.status != OrderStatus.TO_SHIP or row.ship_deadline_at is None:
        return None
    left = row.ship_deadline_at - clock.now()
    return DANGER if left < 0 else WARNING if left < NEAR_S else None


def _status(row) -> str:
    """待发货 …; a held order shows 已暂停 instead (the reason is the tooltip)."""
    text = tr("已暂停") if row.held else row.status_label
    return text + (tr("·待上传") if row.pending_ops else "")


def _status_tip(row) -> str:
    if not row.held:
        return ""
    by = tr("自动化规则") if row.hold_by_rule else tr("手动")
    return tr("已暂停发货（{by}）：{reason}\n解除暂停前不能打单、发货").format(by=by, reason=row.hold_reason)


def _badge_colour(row) -> QColor | None:
    return {2: WARNING, 3: DANGER, 4: MUTED}.get(row.refund_status)


def _flag(row) -> str:
    return Flag(row.flag).label if row.flag else ""


def _flag_colour(row) -> QColor | None:
    return QColor(FLAG_COLOURS[row.flag]) if row.flag in FLAG_COLOURS else None


def _printed(row) -> str:
    return tr("已打印×{print_count}").format(print_count=row.print_count) if row.print_count else tr("未打印")


def _after_sales(row) -> str:
    """The after-sales badge only when there is one (an empty cell for 无售后)."""
    return "" if row.refund_status == RefundStatus.NONE else row.after_sales_badge


#: Default widths fit the default window (1280×800, detail pane 260 px): 订单号 to 快递单号 with
#: no sideways scrolling; buyer, receiver, times, flag and memos are one right-click away in
#: the column chooser (the user's choice is remembered and wins over these defaults).
ORDER_COLUMNS: tuple[ColumnSpec, ...] = (
    ColumnSpec("order_sn", QT_TR_NOOP("订单号"), lambda r: r.order_sn, 184),
    ColumnSpec(
        "status",
        QT_TR_NOOP("状态"),
        _status,
        60,
        color=lambda r: DANGER if r.held else None,
        tooltip=_status_tip,
    ),
    ColumnSpec("after_sales", QT_TR_NOOP("售后"), _after_sales, 52, color=_badge_colour),
    ColumnSpec(
        "countdown",
        QT_TR_NOOP("发货倒计时"),
        _countdown,
        118,
        color=_countdown_colour,
        tooltip=lambda r: (
            tr("承诺发货时间 {time}").format(time=format_ts(r.ship_deadline_at)) if r.ship_deadline_at else ""
        ),
    ),
    ColumnSpec(
        "items", QT_TR_NOOP("商品"), lambda r: r.items_summary, 144, tooltip=lambda r: r.items_summary
    ),
    ColumnSpec("count", QT_TR_NOOP("件数"), lambda r: str(r.item_count), 40, RIGHT, hidden_by_default=True),
    ColumnSpec("amount", QT_TR_NOOP("实付"), lambda r: format_yuan(r.pay_amount_fen), 68, RIGHT),
    ColumnSpec("buyer", QT_TR_NOOP("买家"), lambda r: r.buyer_nickname, 100, hidden_by_default=True),
    ColumnSpec(
        "receiver",
        QT_TR_NOOP("收件人"),
        lambda r: f"{r.receiver_name_mask} {r.receiver_phone_mask}",
        140,
        hidden_by_default=True,
    ),
    ColumnSpec("region", QT_TR_NOOP("地区"), lambda r: r.region, 90, tooltip=lambda r: r.region),
    ColumnSpec(
        "created",
        QT_TR_NOOP("下单时间"),
        lambda r: format_ts(r.created_at, "%m-%d %H:%M"),
        96,
        hidden_by_default=True,
    ),
    ColumnSpec(
        "paid",
        QT_TR_NOOP("支付时间"),
        lambda r: format_ts(r.paid_at, "%m-%d %H:%M"),
        96,
        hidden_by_default=True,
    ),
    ColumnSpec(
        "shipped",
        QT_TR_NOOP("发货时间"),
        lambda r: format_ts(r.shipped_at, "%m-%d %H:%M"),
        96,
        hidden_by_default=True,
    ),
    ColumnSpec(
        "tracking",
        QT_TR_NOOP("快递单号"),
        lambda r: r.tracking_numbers,
        130,
        tooltip=lambda r: r.tracking_numbers,
    ),
    ColumnSpec("flag", QT_TR_NOOP("旗帜"), _flag, 48, color=_flag_colour, hidden_by_default=True),
    ColumnSpec(
        "seller_memo",
        QT_TR_NOOP("商家备注"),
        lambda r: r.seller_memo,
        140,
        tooltip=lambda r: r.seller_memo,
        hidden_by_default=True,
    ),
    ColumnSpec(
        "buyer_memo",
        QT_TR_NOOP("买家留言"),
        lambda r: r.buyer_memo,
        140,
        tooltip=lambda r: r.buyer_memo,
        hidden_by_default=True,
    ),
    ColumnSpec(
        "printed",
        QT_TR_NOOP("打印"),
        _printed,
        72,
        color=lambda r: MUTED if not r.print_count else OK,
        hidden_by_default=True,
    ),
)
