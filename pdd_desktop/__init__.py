"""PDD Desktop (拼多多商家桌面助手)."""

from pdd_desktop.common.none_pin import pin_none

__version__ = "0.1.0"

# Before any Qt object exists: PySide6 6.12 loses a reference to None per call on Python 3.11.
pin_none()
