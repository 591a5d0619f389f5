"""Desktop notifications for things that happen while the user looks elsewhere.

An export file dropped in the watched folder is usually downloaded from the browser, so the
window is behind it when the import finishes. Where the system has a tray (Windows, macOS, most
Linux desktops) the notice pops up as a desktop notification from the app's tray icon; clicking
it brings the window forward. Without a tray the taskbar entry flashes instead
(``QApplication.alert``). The status bar always repeats the notice; when it is showing what the
user's own action just said (e.g. 已从备份恢复), the notice is added after it instead of erasing it.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication, QMainWindow, QSystemTrayIcon

from pdd_desktop.ui.i18n import QT_TR_NOOP, tr

#: How long a notice stays in the status bar and in the desktop notification.
SHOW_MS = 15_000
TRAY_TOOLTIP = QT_TR_NOOP("拼多多商家桌面助手")


class Notifier(QObject):
    """Shows background notices for one main window.

    ``tray_factory`` builds the tray icon (tests pass a fake); it is only called when
    ``tray_available()`` says the system has a tray.
    """

    #: The user clicked a desktop notification; carries the ``context`` of the last notice.
    clicked = Signal(object)

    def __init__(
        self,
        window: QMainWindow,
        *,
        tray_available: Callable[[], bool] = QSystemTrayIcon.isSystemTrayAvailable,
        tray_factory: Callable[[QObject], QSystemTrayIcon] | None = None,
    ) -> None:
        super().__init__(window)
        self._window = window
        self._tray_available = tray_available
        self._tray_factory = tray_factory or self._make_tray
        self._tray: QSystemTrayIcon | None = None
        self.last: tuple[str, str, bool] | None = None  #: the last notice (title, text, problem)
        self._context: object = None
        self._status = ""  #: the status-bar text this notifier last wrote

    def notify(self, title: str, text: str, problem: bool = False, context: object = None) -> None:
        """Tell the user; a problem shows with the warning icon. ``context`` comes back on a click."""
        self.last = (title, text, problem)
        self._context = context
        bar = self._window.statusBar()
        line = tr("{title}：{text}").format(title=title, text=text)
        current = bar.currentMessage()
        if current and current != self._status:  # someone else's message: keep it in front
            line = tr("{current}　·　{notice}").format(current=current, notice=line)
        self._status = line
        bar.showMessage(line, SHOW_MS)
        tray = self._ensure_tray()
        if tray is not None and tray.supportsMessages():
            icon = QSystemTrayIcon.MessageIcon.Warning if problem else QSystemTrayIcon.MessageIcon.Information
            tray.showMessage(title, text, icon, SHOW_MS)
        elif not self._window.isActiveWindow():
            QApplication.alert(self._window)

    def _ensure_tray(self) -> QSystemTrayIcon | None:
        if self._tray is None and self._tray_available():
            self._tray = self._tray_factory(self)
            self._tray.messageClicked.connect(self._on_clicked)
            self._tray.activated.connect(lambda _reason: self._on_clicked())
            self._tray.show()
        return self._tray

    def _make_tray(self, parent: QObject) -> QSystemTrayIcon:
        tray = QSystemTrayIcon(self._window.windowIcon() or QApplication.windowIcon(), parent)
        tray.setToolTip(tr(TRAY_TOOLTIP))
        return tray

    def _on_clicked(self) -> None:
        window = self._window
        window.showNormal()
        window.raise_()
        window.activateWindow()
        self.clicked.emit(self._context)
