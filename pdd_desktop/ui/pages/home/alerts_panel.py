"""工作台's 预警提醒 panel: the open alerts, most urgent first. Layout and painting only.

Each row: severity, what (title, count, money at risk), why, a button that opens exactly what
the alert is about, and 稍后提醒 (1 小时 / 今天 / 3 天). The page controller fills it with
:meth:`AlertsPanel.show_alerts` and listens to ``open_requested`` / ``snooze_requested``.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from pdd_desktop.domain.alerts import (
    TARGET_ADS,
    TARGET_AUTOMATION,
    TARGET_CASES,
    TARGET_CS,
    TARGET_FUNDS_RECONCILE,
    TARGET_ORDERS,
    TARGET_SKUS,
    TARGET_SYNC,
    Severity,
)
from pdd_desktop.domain.money import format_yuan
from pdd_desktop.services.alerts import AlertRow
from pdd_desktop.ui.i18n import QT_TR_NOOP, tr

#: Severity → (label, colour).
SEVERITY_STYLE: dict[Severity, tuple[str, str]] = {
    Severity.HIGH: (QT_TR_NOOP("紧急"), "#d93025"),
    Severity.MEDIUM: (QT_TR_NOOP("注意"), "#e37400"),
    Severity.LOW: (QT_TR_NOOP("提示"), "#5f6368"),
}
#: What the open button says per target.
OPEN_LABELS: dict[str, str] = {
    TARGET_ORDERS: QT_TR_NOOP("查看订单"),
    TARGET_SKUS: QT_TR_NOOP("查看商品"),
    TARGET_CASES: QT_TR_NOOP("查看售后单"),
    TARGET_SYNC: QT_TR_NOOP("打开同步窗口"),
    TARGET_ADS: QT_TR_NOOP("查看推广"),
    TARGET_CS: QT_TR_NOOP("查看客服数据"),
    TARGET_AUTOMATION: QT_TR_NOOP("查看自动化"),
    TARGET_FUNDS_RECONCILE: QT_TR_NOOP("查看对账"),
}
#: Snooze choices (services.alerts.SNOOZE_CHOICES keys) with their menu texts.
SNOOZE_LABELS: tuple[tuple[str, str], ...] = (
    ("1h", QT_TR_NOOP("1 小时后提醒")),
    ("today", QT_TR_NOOP("今天不再提醒")),
    ("3d", QT_TR_NOOP("3 天后提醒")),
)


def alert_notice(rows) -> tuple[str, str]:
    """The desktop notification's title and text for newly opened urgent alerts (``AlertRow``s)."""
    first = rows[0]
    title = tr("紧急提醒：{title}").format(title=first.title)
    if len(rows) == 1:
        return title, first.why
    return title, tr("另有 {count} 条新的紧急提醒，请到 工作台 → 预警提醒 查看。").format(count=len(rows) - 1)


class ElidedLabel(QLabel):
    """One line that ends in … when the row is narrower than the text; the whole text in its tooltip.

    (A word-wrapped label inside a scrolled page gets squeezed: Qt does not pass the height it
    needs for its width up through the layouts.)
    """

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.full_text = text
        self.setToolTip(text)
        self.setText(text)

    def minimumSizeHint(self) -> QSize:
        return QSize(0, super().minimumSizeHint().height())

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        elided = self.fontMetrics().elidedText(self.full_text, Qt.TextElideMode.ElideRight, self.width())
        if elided != self.text():
            self.setText(elided)


class AlertRowWidget(QFrame):
    """One alert. Public children: ``severity_label``, ``title_label``, ``why_label``,
    ``open_button`` (None when the alert opens nothing), ``snooze_button`` and its ``snooze_actions``.
    """  # noqa: D205

    def __init__(self, alert: AlertRow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.alert = alert
        self.setObjectName("AlertRow")
        label, colour = SEVERITY_STYLE[alert.severity]
        self.setStyleSheet(f"#AlertRow {{ border-left: 4px solid {colour}; background: palette(base); }}")
        row = QHBoxLayout(self)
        row.setContentsMargins(10, 6, 10, 6)
        self.severity_label = QLabel(tr(label))
        self.severity_label.setStyleSheet(f"color: {colour}; font-weight: bold;")
        self.severity_label.setFixedWidth(40)
        row.addWidget(self.severity_label, 0, Qt.AlignmentFlag.AlignTop)
        text = QVBoxLayout()
        text.setSpacing(2)
        title = alert.title
        if alert.amount_fen:
            title += tr("（可能赔付 {amount}）").format(amount=format_yuan(alert.amount_fen))
        self.title_label = ElidedLabel(title)
        self.title_label.setStyleSheet("font-weight: bold;")
        self.why_label = ElidedLabel(alert.why)
        self.why_label.setObjectName("Muted")
        text.addWidget(self.title_label)
        text.addWidget(self.why_label)
        row.addLayout(text, 1)
        self.open_button: QPushButton | None = None
        if alert.target in OPEN_LABELS:
            self.open_button = QPushButton(tr(OPEN_LABELS[alert.target]))
            row.addWidget(self.open_button, 0, Qt.AlignmentFlag.AlignVCenter)
        self.snooze_button = QToolButton()
        self.snooze_button.setText(tr("稍后提醒"))
        self.snooze_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.snooze_button)
        self.snooze_actions = {key: menu.addAction(tr(text)) for key, text in SNOOZE_LABELS}
        self.snooze_button.setMenu(menu)
        row.addWidget(self.snooze_button, 0, Qt.AlignmentFlag.AlignVCenter)
        # Two lines of text and the margins, whatever the page's layouts offer.
        line = self.fontMetrics().lineSpacing()
        self.setMinimumHeight(2 * line + text.spacing() + 12 + 8)


class AlertsPanel(QFrame):
    """The list of alert rows, an empty state, and how many are snoozed."""

    #: The open button of an alert was clicked: its ``AlertRow``.
    open_requested = Signal(object)
    #: (alert key, snooze choice) from a row's 稍后提醒 menu.
    snooze_requested = Signal(str, str)
    #: 显示稍后提醒的 was clicked: show the snoozed alerts again now.
    unsnooze_all_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Card")
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(12, 10, 12, 10)
        self._layout.setSpacing(6)
        self.empty_label = QLabel(tr("暂无需要处理的提醒。规则在每次同步、导入和操作后以及每分钟自动检查。"))
        self.empty_label.setObjectName("Muted")
        self.empty_label.setWordWrap(True)
        self._layout.addWidget(self.empty_label)
        self._rows_box = QVBoxLayout()
        self._rows_box.setSpacing(6)
        self._layout.addLayout(self._rows_box)
        footer = QHBoxLayout()
        self.snoozed_label = QLabel("")
        self.snoozed_label.setObjectName("Muted")
        self.unsnooze_button = QPushButton(tr("现在显示"))
        self.unsnooze_button.setFlat(True)
        self.unsnooze_button.clicked.connect(self.unsnooze_all_requested)
        footer.addWidget(self.snoozed_label)
        footer.addWidget(self.unsnooze_button)
        footer.addStretch(1)
        self._layout.addLayout(footer)
        #: The rows shown, in order.
        self.rows: list[AlertRowWidget] = []
        self.snoozed: list[AlertRow] = []
        self._set_snoozed([])

    def show_alerts(self, shown: list[AlertRow], snoozed: list[AlertRow]) -> None:
        """Replace the rows with ``shown``; ``snoozed`` are only counted."""
        for widget in self.rows:
            self._rows_box.removeWidget(widget)
            widget.deleteLater()
        self.rows = []
        for alert in shown:
            widget = AlertRowWidget(alert, self)
            if widget.open_button is not None:
                widget.open_button.clicked.connect(lambda _c=False, a=alert: self.open_requested.emit(a))
            for key, action in widget.snooze_actions.items():
                action.triggered.connect(
                    lambda _c=False, k=alert.key, c=key: self.snooze_requested.emit(k, c)
                )
            self._rows_box.addWidget(widget)
            self.rows.append(widget)
        self.empty_label.setVisible(not shown)
        self._set_snoozed(snoozed)

    def _set_snoozed(self, snoozed: list[AlertRow]) -> None:
        self.snoozed = list(snoozed)
        self.snoozed_label.setText(tr("另有 {count} 条提醒已设为稍后提醒").format(count=len(snoozed)))
        self.snoozed_label.setVisible(bool(snoozed))
        self.unsnooze_button.setVisible(bool(snoozed))
