"""Logging to a rotating file in the data folder, with personal data redacted."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

from pdd_desktop.common.fs import make_private, private_mkdir
from pdd_desktop.common.redact import RedactingFilter

LOG_FORMAT = "%(asctime)s %(levelname)s %(threadName)s %(name)s: %(message)s"


class _PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """A rotating log whose files (the current one and each new one after a rollover) are owner-only."""

    def _open(self):
        stream = super()._open()
        make_private(self.baseFilename)
        return stream


def setup_logging(
    log_dir: Path, *, level: int = logging.INFO, console: bool = False, filename: str = "app.log"
) -> Path:
    """Send the app's logs to ``log_dir/filename`` (5 files × 2 MB); returns the log path.

    Each process has its own file (the sync worker writes ``sync.log``): rotating one file from
    two processes is not safe on Windows.
    """
    path = log_dir / filename
    root = logging.getLogger()
    root.setLevel(level)
    for h in list(root.handlers):
        if getattr(h, "_pdd_desktop", False):
            root.removeHandler(h)
            h.close()
    try:
        private_mkdir(log_dir)
        handler = _PrivateRotatingFileHandler(path, maxBytes=2_000_000, backupCount=5, encoding="utf-8")
    except OSError:
        # A read-only data folder or a full disk: run without a log file; the command's own
        # write then reports the problem in one line instead of failing here with a traceback.
        handler = None
    if handler is not None:
        handler.setFormatter(logging.Formatter(LOG_FORMAT))
        handler.addFilter(RedactingFilter())
        handler._pdd_desktop = True  # type: ignore[attr-defined]
        root.addHandler(handler)
    if console:
        stream = logging.StreamHandler()
        stream.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
        stream.addFilter(RedactingFilter())
        stream._pdd_desktop = True  # type: ignore[attr-defined]
        root.addHandler(stream)
    return path
