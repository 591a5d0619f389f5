"""Urgent alerts as desktop notifications: once per alert opening, a click shows 工作台.

The once-logic is the alert table's ``notified_at`` (``services.alerts.evaluate`` hands out an
opening only once); this class only words the notice and routes the click.
"""

from __future__ import annotations

from PySide6.QtCore import QObject

from pdd_desktop.ui.notify import Notifier
from pdd_desktop.ui.pages.home.alerts_panel import alert_notice

#: The ``context`` of an alert's notification (import notices carry a path or None).
ALERTS_NOTICE = "alerts"


class AlertNotices(QObject):
    """Connects an ``AlertsWatcher``'s ``notify_requested`` to the window's ``Notifier``."""

    def __init__(self, watcher, notifier: Notifier, window) -> None:
        super().__init__(notifier)
        self._notifier = notifier
        self._window = window
        #: The notices shown, (title, text), oldest first (tests read it).
        self.shown: list[tuple[str, str]] = []
        watcher.notify_requested.connect(self._on_new)
        notifier.clicked.connect(self._on_clicked)

    def _on_new(self, rows) -> None:
        title, text = alert_notice(rows)
        self.shown.append((title, text))
        self._notifier.notify(title, text, problem=True, context=ALERTS_NOTICE)

    def _on_clicked(self, context: object) -> None:
        if context == ALERTS_NOTICE and "home" in self._window.page_keys():
            self._window.show_page("home")
