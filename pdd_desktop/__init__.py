"""PDD Desktop (拼多多商家桌面助手)."""

__version__ = "0.1.0"
