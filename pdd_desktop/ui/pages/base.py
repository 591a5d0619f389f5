"""The base of every side-nav page: lazy first load, refresh only when relevant and visible."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QWidget

from pdd_desktop.common.changes import Changes
from pdd_desktop.common.paths import ShopPaths
from pdd_desktop.jobs.events import AppEvents
from pdd_desktop.jobs.runner import JobRunner
from pdd_desktop.services.print_route import PlatformAccess
from pdd_desktop.services.shop import ShopInfo


@dataclass(frozen=True)
class PageContext:
    """What a page may use: the job runner, the event hub, where the shop lives, and its platform.

    ``platform`` gives the print path its platform client and print component (None: the shop's
    own credentials and the machine's component, see :class:`PlatformAccess`).
    """

    runner: JobRunner
    events: AppEvents
    paths: ShopPaths
    shop: ShopInfo
    platform: PlatformAccess | None = None


class Page(QWidget):
    """A module of the side navigation.

    Subclasses set ``key``, ``title``, ``icon_name`` and ``relevant`` (the Changes flags that
    make the page stale), and implement :meth:`refresh`.
    """

    key: str = ""
    title: str = ""
    icon_name: str = ""
    #: Changes fields that make this page stale.
    relevant: tuple[str, ...] = ()

    def __init__(self, ctx: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Page")
        self.ctx = ctx
        self._refresh_needed = True
        ctx.events.changes_applied.connect(self._on_changes_applied)

    def refresh(self) -> None:
        """Reload what the page shows (start a read op; never block). Pages override this."""

    def refresh_if_needed(self) -> None:
        """Refresh when marked stale."""
        if self._refresh_needed:
            self._refresh_needed = False
            self.refresh()

    def _on_changes_applied(self, changes: Changes, initiator: object) -> None:
        if any(getattr(changes, flag) for flag in self.relevant):
            self._refresh_needed = True
            if self.isVisible():
                self.refresh_if_needed()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.refresh_if_needed()
