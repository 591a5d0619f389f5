"""Where the app keeps its files: one folder per shop under the user data folder.

Layout of a data folder (``--data-dir`` overrides the platform default)::

    <data>/shops/<shop>/shop.db     the shop's SQLite database (plus -wal / -shm)
    <data>/shops/<shop>/backups/    automatic and manual backups
    <data>/shops/<shop>/exports/    files the user exported
    <data>/shops/<shop>/app.lock    held by the one process that writes this shop
    <data>/logs/app.log             rotating log, personal data redacted
    <data>/last_shop.json           the folder of the shop opened last (services.shops)
    <data>/backups/                 backups of deleted shops

The demo shop lives in ``shops/demo``; a real shop's folder is named after the shop
(:func:`shop_folder_name`: Chinese allowed, characters Windows and macOS refuse replaced).
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from pdd_desktop.common.fs import private_mkdir

APP_NAME = "PDDDesktop"
#: The demo shop's folder (and the folder the CLI's ``demo`` builds into by default).
DEFAULT_SHOP = "demo"
#: The name of a real shop created without a name (``import`` / ``sync`` on an empty data folder).
DEFAULT_REAL_SHOP_NAME = "我的店铺"
#: Longest folder name (characters); Windows paths stay well under 260 characters.
MAX_FOLDER_CHARS = 40
#: Characters Windows (``<>:"/\\|?*``, control characters) or macOS (``:``, ``/``) refuse in names.
_FORBIDDEN_RE = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
#: Names Windows reserves for devices, with or without an extension.
_RESERVED = (
    {"CON", "PRN", "AUX", "NUL"} | {f"COM{i}" for i in range(1, 10)} | {f"LPT{i}" for i in range(1, 10)}
)


def folder_name_problem(folder: str) -> str | None:
    """Why ``folder`` cannot be a shop's folder name on Windows or macOS, or None when it can."""
    if not folder or folder != folder.strip() or folder.endswith("."):
        return "不能为空，也不能以空格或句点结尾"
    if folder.startswith("."):
        return "不能以句点开头"
    if _FORBIDDEN_RE.search(folder):
        return '不能包含 < > : " / \\ | ? * 等字符'
    if folder.split(".")[0].upper() in _RESERVED:
        return f"“{folder}”是 Windows 保留的名称"
    if len(folder) > MAX_FOLDER_CHARS:
        return f"最长 {MAX_FOLDER_CHARS} 个字符"
    return None


def shop_folder_name(name: str) -> str:
    """The folder for a real shop called ``name``: the name, made safe on Windows and macOS.

    Forbidden characters become ``_``, trailing dots and spaces go, a reserved device name gets
    a ``_``, long names are cut; the result is never the demo shop's folder.

    Raises:
        ValueError: nothing usable is left of the name.
    """
    folder = _FORBIDDEN_RE.sub("_", " ".join(name.split()))
    folder = folder.lstrip(".").strip()[:MAX_FOLDER_CHARS].rstrip(". ")
    if not folder or not folder.strip("_"):
        raise ValueError(f"店铺名“{name}”不能用作文件夹名，请换一个名称")
    if folder.split(".")[0].upper() in _RESERVED or folder.lower() == DEFAULT_SHOP:
        folder += "_"
    return folder


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
        problem = folder_name_problem(self.shop)
        if problem:
            raise ValueError(f"店铺文件夹名{problem}：{self.shop!r}")

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
        """Create the folders, owner-only (0700 on POSIX); returns self for chaining."""
        for d in (self.shop_dir, self.backup_dir, self.export_dir, self.log_dir):
            private_mkdir(d)
        return self


def shops_root(data_dir: Path | str | None = None) -> Path:
    """``<data>/shops``: one folder per shop."""
    return (Path(data_dir) if data_dir else default_data_dir()) / "shops"


def shop_paths(data_dir: Path | str | None = None, shop: str = DEFAULT_SHOP) -> ShopPaths:
    """Paths for ``shop`` under ``data_dir`` (default: the user data folder)."""
    return ShopPaths(Path(data_dir) if data_dir else default_data_dir(), shop)


def resources_dir() -> Path:
    """``resources/`` (icons, styles, label templates) beside the package, or in a PyInstaller bundle."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parents[2] / "resources"
