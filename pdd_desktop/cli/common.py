"""What the subcommands share: the shop's paths from the options, progress on the console."""

from __future__ import annotations

import argparse
import sys
import time

from pdd_desktop.common.paths import ShopPaths, shop_paths
from pdd_desktop.common.task import TaskContext


class ConsoleProgress(TaskContext):
    """Prints a progress line at most twice a second (stderr, so stdout stays parseable)."""

    def __init__(self, quiet: bool) -> None:
        super().__init__()
        self._quiet = quiet or not sys.stderr.isatty()
        self._last = 0.0

    def report(self, done: int, total: int | None = None, label: str | None = None) -> None:
        super().report(done, total, label)
        now = time.monotonic()
        if not self._quiet and now - self._last > 0.5:
            self._last = now
            snap = self.snapshot()
            pct = f" {100 * snap.done // snap.total}%" if snap.total else ""
            print(f"\r{snap.label}{pct}    ", end="", file=sys.stderr, flush=True)


def ensure_paths(args: argparse.Namespace) -> ShopPaths:
    """The shop's folders from ``--data-dir`` and ``--shop``, created when missing."""
    return shop_paths(args.data_dir, args.shop).ensure()
