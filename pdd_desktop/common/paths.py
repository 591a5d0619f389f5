"""Where the app keeps its files: one folder per shop under the user data folder.

Layout of a data folder (``--data-dir`` overrides the platform default)::

    <data>/shops/<shop>/shop.db     the shop's SQLite database (plus -wal / -shm)
    <data>/shops/<shop>/backups/    automatic and manual backups
    <data>/shops/<shop>/exports/    files the user exported
    <data>/shops/<shop>/app.lock    held by the one process that writes this shop
    <data>/logs/app.log             rotating log, personal data redacted
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "PDDDesktop"
DEFAULT_SHOP = "demo"
_SHOP_RE = re.compile(r"^[A-Za-z0-9_\-]{1,64}$")


def default_data_dir() -> Path:
    """The per-user data folder (``PDD_DESKTOP_DATA_DIR`` wins, for scripts and tests)."""
    env = os.environ.get("PDD_DESKTOP_DATA_DIR")
    if env:
        return Path(env)
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


@dataclass(frozen=True)
class ShopPaths:
    """All paths of one shop's folder."""

    data_dir: Path
    shop: str

    def __post_init__(self) -> None:
        if not _SHOP_RE.match(self.shop):
            raise ValueError(f"店铺名只能包含字母、数字、下划线和短横线：{self.shop!r}")

    @property
    def shop_dir(self) -> Path:
        return self.data_dir / "shops" / self.shop

    @property
    def db_file(self) -> Path:
        return self.shop_dir / "shop.db"

    @property
    def backup_dir(self) -> Path:
        return self.shop_dir / "backups"

    @property
    def export_dir(self) -> Path:
        return self.shop_dir / "exports"

    @property
    def lock_file(self) -> Path:
        return self.shop_dir / "app.lock"

    @property
    def log_dir(self) -> Path:
        return self.data_dir / "logs"

    def ensure(self) -> ShopPaths:
        """Create the folders; returns self for chaining."""
        for d in (self.shop_dir, self.backup_dir, self.export_dir, self.log_dir):
            d.mkdir(parents=True, exist_ok=True)
        return self


def shop_paths(data_dir: Path | str | None = None, shop: str = DEFAULT_SHOP) -> ShopPaths:
    """Paths for ``shop`` under ``data_dir`` (default: the user data folder)."""
    return ShopPaths(Path(data_dir) if data_dir else default_data_dir(), shop)


def resources_dir() -> Path:
    """``resources/`` (icons, styles, label templates) beside the package, or in a PyInstaller bundle."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parents[2] / "resources"
