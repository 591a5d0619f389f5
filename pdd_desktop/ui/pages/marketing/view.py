"""营销 layout: four tabs (优惠券, 限时限量购, 活动报名, 活动效果), each a table with its actions.

Layout only; the controller (:mod:`.page`) fills it.
"""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QStackedWidget, QVBoxLayout, QWidget

from pdd_desktop.ui.i18n import QT_TR_NOOP, tr
from pdd_desktop.ui.widgets.page_frame import page_frame
from pdd_desktop.ui.widgets.tables import report_table

TABS = (
    ("coupons", QT_TR_NOOP("优惠券")),
    ("discounts", QT_TR_NOOP("限时限量购")),
    ("activities", QT_TR_NOOP("活动报名")),
    ("results", QT_TR_NOOP("活动效果")),
)
COUPON_HEADERS = (
    QT_TR_NOOP("名称"),
    QT_TR_NOOP("类型"),
    QT_TR_NOOP("优惠"),
    QT_TR_NOOP("商品"),
    QT_TR_NOOP("已用/发行"),
    QT_TR_NOOP("每人限领"),
    QT_TR_NOOP("有效期"),
    QT_TR_NOOP("状态"),
)
DISCOUNT_HEADERS = (
    QT_TR_NOOP("名称"),
    QT_TR_NOOP("类型"),
    QT_TR_NOOP("商品"),
    QT_TR_NOOP("活动价"),
    QT_TR_NOOP("活动库存"),
    QT_TR_NOOP("每人限购"),
    QT_TR_NOOP("活动时间"),
    QT_TR_NOOP("状态"),
    QT_TR_NOOP("提醒"),
)
ACTIVITY_HEADERS = (
    QT_TR_NOOP("活动"),
    QT_TR_NOOP("活动类型"),
    QT_TR_NOOP("商品"),
    QT_TR_NOOP("报名状态"),
    QT_TR_NOOP("活动价"),
    QT_TR_NOOP("活动库存/已售"),
    QT_TR_NOOP("活动时间"),
    QT_TR_NOOP("原因"),
    QT_TR_NOOP("提醒"),
)
RESULT_HEADERS = (
    QT_TR_NOOP("活动"),
    QT_TR_NOOP("类型"),
    QT_TR_NOOP("统计期"),
    QT_TR_NOOP("订单"),
    QT_TR_NOOP("件数"),
    QT_TR_NOOP("成交额"),
    QT_TR_NOOP("优惠成本"),
    QT_TR_NOOP("折后毛利"),
    QT_TR_NOOP("本期商品成交额"),
    QT_TR_NOOP("上一周期成交额"),
    QT_TR_NOOP("变化"),
    QT_TR_NOOP("提醒"),
)


def _tab(table, buttons, note: QLabel | None = None) -> QWidget:
    page = QWidget()
    layout = QVBoxLayout(page)
    layout.setContentsMargins(0, 0, 0, 0)
    row = QHBoxLayout()
    for b in buttons:
        row.addWidget(b)
    row.addStretch(1)
    layout.addLayout(row)
    if note is not None:
        layout.addWidget(note)
    layout.addWidget(table, 1)
    return page


def _note(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("Muted")
    label.setWordWrap(True)
    return label


class MarketingPageView(QWidget):
    """The 营销 widgets.

    Public children: ``count_label``, ``tabs``, ``stack``; per tab its table (``coupon_table``,
    ``discount_table``, ``activity_table``, ``result_table``) and buttons (``new_coupon_button``,
    ``edit_coupon_button``, ``end_coupon_button``, ``new_discount_button``, ``edit_discount_button``,
    ``end_discount_button``, ``import_button``), ``result_note`` and ``empty_label``.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        frame = page_frame(self, tr("营销"))
        layout, self.count_label, self.tabs = frame.layout, frame.count_label, frame.tabs
        for _key, label in TABS:
            self.tabs.addTab(tr(label))

        self.new_coupon_button = QPushButton(tr("新建优惠券"))
        self.edit_coupon_button = QPushButton(tr("修改"))
        self.end_coupon_button = QPushButton(tr("结束"))
        self.coupon_table = report_table([tr(h) for h in COUPON_HEADERS])
        coupon_note = _note(
            tr(
                "商品券（无门槛）经同步在平台上创建；店铺满减券平台未开放创建接口，记为“需在平台设置”的计划，"
                "请在拼多多商家后台按计划设置。"
            )
        )

        self.new_discount_button = QPushButton(tr("新建限时折扣"))
        self.edit_discount_button = QPushButton(tr("修改"))
        self.end_discount_button = QPushButton(tr("结束"))
        self.discount_table = report_table([tr(h) for h in DISCOUNT_HEADERS])

        self.import_button = QPushButton(tr("导入报名记录…"))
        self.import_button.setToolTip(tr("导入拼多多商家后台“活动报名记录”导出的文件（.csv / .xlsx）"))
        self.activity_table = report_table([tr(h) for h in ACTIVITY_HEADERS])

        self.result_table = report_table([tr(h) for h in RESULT_HEADERS])
        self.result_note = _note(
            tr(
                "按订单的店铺优惠金额与活动价匹配订单；成交额为商品按实付价（扣店铺优惠）计；"
                "折后毛利 = 成交额 − 成本价（商品里未填成本价的规格不计入）；"
                "本期商品成交额为同样的商品在统计期内全部订单的成交额（用没用活动都算），"
                "上一周期为活动前同样长的时间、同样的商品，变化比较这两项。"
            )
        )

        self.stack = QStackedWidget()
        self.stack.addWidget(
            _tab(
                self.coupon_table,
                (self.new_coupon_button, self.edit_coupon_button, self.end_coupon_button),
                coupon_note,
            )
        )
        self.stack.addWidget(
            _tab(
                self.discount_table,
                (self.new_discount_button, self.edit_discount_button, self.end_discount_button),
            )
        )
        self.stack.addWidget(_tab(self.activity_table, (self.import_button,)))
        self.stack.addWidget(_tab(self.result_table, (), self.result_note))
        layout.addWidget(self.stack, 1)
        self.empty_label = _note("")
        layout.addWidget(self.empty_label)
        self.tabs.currentChanged.connect(self.stack.setCurrentIndex)
