"""Staging folders for imports: beside the shop, owner-only, swept at start.

An order import parks its parsed rows (receivers, phones) in a SQLite file until it is applied.
That file lives in the shop's own folder (``<shop>/staging/import-<pid>-<random>/``), never in
the system temp folder: it is covered by the same folder permissions and backups policy as the
shop, and it does not outlive the shop. The folders are created owner-only (0700). A process
killed in the middle leaves its folder behind; :func:`sweep_staging` (called when a shop is
opened) removes every folder whose process is gone, and the ``pdd-import-*`` folders earlier
versions left in the system temp folder once they are a day old.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

from pdd_desktop.data.db import database

log = logging.getLogger(__name__)

STAGING_FOLDER = "staging"
_NAME_RE = re.compile(r"^import-(\d+)-")
#: Legacy temp folders (``tempfile.mkdtemp(prefix="pdd-import-")``) are swept after this long.
LEGACY_AGE_S = 86_400


def staging_root(shop_dir: Path | str | None = None) -> Path:
    """``<shop>/staging`` of ``shop_dir``, or of the bound shop database."""
    if shop_dir is None:
        shop_dir = Path(database.database).resolve().parent
    return Path(shop_dir) / STAGING_FOLDER


def new_staging_dir() -> str:
    """A new owner-only folder for one import's staging files, in the bound shop's folder."""
    root = staging_root()
    root.mkdir(mode=0o700, exist_ok=True)
    if os.name == "posix":
        os.chmod(root, 0o700)
    return tempfile.mkdtemp(prefix=f"import-{os.getpid()}-", dir=root)  # mkdtemp: mode 0700


def _alive(pid: int) -> bool:
    """Whether process ``pid`` runs (unknown counts as running: its folder is kept)."""
    if pid == os.getpid():
        return True
    if sys.platform == "win32":
        import ctypes

        handle = ctypes.windll.kernel32.OpenProcess(0x1000, False, pid)  # QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        ctypes.windll.kernel32.CloseHandle(handle)
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists, owned by someone else
    return True


def sweep_staging(shop_dir: Path | str) -> int:
    """Remove staging folders of processes that are gone (and legacy temp ones); returns how many."""
    removed = 0
    root = staging_root(shop_dir)
    try:
        entries = list(root.iterdir())
    except OSError:
        entries = []
    for entry in entries:
        m = _NAME_RE.match(entry.name)
        if m is None or not _alive(int(m[1])):
            shutil.rmtree(entry, ignore_errors=True)
            if entry.is_symlink() or entry.is_file():
                entry.unlink(missing_ok=True)
            removed += 1
    cutoff = time.time() - LEGACY_AGE_S
    try:
        legacy = list(Path(tempfile.gettempdir()).glob("pdd-import-*"))
    except OSError:
        legacy = []
    for entry in legacy:
        try:
            st = entry.lstat()
        except OSError:
            continue
        if st.st_mtime < cutoff and (not hasattr(os, "getuid") or st.st_uid == os.getuid()):
            shutil.rmtree(entry, ignore_errors=True)
            removed += 1
    if removed:
        log.info("removed %d leftover import staging folder(s)", removed)
    return removed
