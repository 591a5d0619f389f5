"""pyqtgraph, configured once for the whole app; chart widgets import ``pg`` from here.

``exitCleanup`` is off: pyqtgraph's own teardown at interpreter exit deletes graphics items in
an order PySide6 does not expect and crashed the test process after its last test (the same fix
Orange made). Qt's parent-child ownership deletes our charts with their pages instead.
"""

from __future__ import annotations

import pyqtgraph as pg

pg.setConfigOptions(exitCleanup=False, antialias=True, background=None, foreground="#555")

__all__ = ["pg"]
