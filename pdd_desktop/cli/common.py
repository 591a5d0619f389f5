"""What the subcommands share: Chinese argparse, the shop from the options, console progress."""

from __future__ import annotations

import argparse
import contextlib
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import NoReturn

from pdd_desktop.common.paths import DEFAULT_REAL_SHOP_NAME, ShopPaths, shop_paths
from pdd_desktop.common.task import TaskContext

#: argparse's own words (its gettext strings, Python 3.11–3.13) in Chinese.
ARGPARSE_ZH = {
    "usage: ": "用法：",
    "options": "选项",
    "positional arguments": "位置参数",
    "show this help message and exit": "显示帮助并退出",
    "show program's version number and exit": "显示版本号并退出",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "the following arguments are required: %s": "缺少参数：%s",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选择：%(value)r（可选：%(choices)s）",
    "invalid %(type)s value: %(value)r": "无效的值：%(value)r",
    "expected one argument": "需要一个值",
    "expected at most one argument": "最多一个值",
    "expected at least one argument": "至少需要一个值",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "one of the arguments %s is required": "需要参数 %s 之一",
    "ambiguous option: %(option)s could match %(matches)s": "选项 %(option)s 有歧义，可能是 %(matches)s",
    "ignored explicit argument %r": "忽略了多余的值 %r",
    "can't open '%(filename)s': %(error)s": "无法打开“%(filename)s”：%(error)s",
    "unknown parser %(parser_name)r (choices: %(choices)s)": (
        "未知子命令 %(parser_name)r（可选：%(choices)s）"
    ),
    "expected %s argument": "需要 %s 个值",
    "expected %s arguments": "需要 %s 个值",
}


def _zh(text: str) -> str:
    return ARGPARSE_ZH.get(text, text)


def _nzh(singular: str, plural: str, n: int) -> str:
    return _zh(singular if n == 1 else plural)


@contextlib.contextmanager
def chinese_argparse() -> Iterator[None]:
    """Argparse speaks Chinese inside the block (its module-level ``_``/``ngettext``, restored after)."""
    saved = argparse._, argparse.ngettext  # type: ignore[attr-defined]
    argparse._, argparse.ngettext = _zh, _nzh  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]


class ChineseArgumentParser(argparse.ArgumentParser):
    """An argparse parser whose errors are one Chinese line on stderr, exit code 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}：{message}（用 {self.prog} -h 查看帮助）\n")


class CliError(Exception):
    """A command cannot go on; the text is the one line the user reads (exit code 2)."""


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


#: The shop the running command works on (set by :func:`resolve_paths`), for error messages.
_resolved: list[ShopPaths] = []


def forget_resolved_paths() -> None:
    """Start a command with no shop resolved yet."""
    _resolved.clear()


def last_resolved_paths() -> ShopPaths | None:
    """The shop the current command resolved, if any (names the folder in a disk error)."""
    return _resolved[-1] if _resolved else None


def _data_dir(args: argparse.Namespace) -> Path | None:
    return getattr(args, "data_dir", None)


def resolve_paths(args: argparse.Namespace, *, create_if_none: bool = False) -> ShopPaths:
    """The shop ``--shop`` names (name or folder), else the one opened last, else the first.

    With ``create_if_none`` a data folder without any shop gets a new real shop, named by
    ``--shop`` or :data:`DEFAULT_REAL_SHOP_NAME`, and one line says so.

    Raises:
        CliError: no such shop, or no shop at all.
    """
    from pdd_desktop.domain.errors import DomainError
    from pdd_desktop.services import shops

    data_dir = _data_dir(args)
    requested = getattr(args, "shop", None)
    if create_if_none and not shops.list_shops(data_dir):
        try:
            paths = shops.create_shop(data_dir, requested or DEFAULT_REAL_SHOP_NAME)
        except DomainError as exc:
            raise CliError(f"无法新建店铺：{exc}") from None
        name = shops.find_shop(data_dir, paths.shop).name
        print(f"数据文件夹中还没有店铺，已新建店铺“{name}”：{paths.shop_dir}")
        return paths
    try:
        paths = shops.resolve_shop(data_dir, requested)
    except shops.ShopNotFound as exc:
        raise CliError(f"{exc}；用 pdd-desktop shop list 查看已有店铺") from None
    if paths is None:
        raise CliError(
            "数据文件夹中还没有店铺：可用 pdd-desktop demo 生成演示店铺，"
            "或 pdd-desktop shop create 店铺名 新建店铺"
        )
    _resolved[:] = [paths]
    return paths.ensure()


def ensure_paths(args: argparse.Namespace) -> ShopPaths:
    """The shop's folders from ``--data-dir`` and ``--shop`` (see :func:`resolve_paths`)."""
    return resolve_paths(args)


def demo_paths(args: argparse.Namespace) -> ShopPaths:
    """Where ``demo`` builds: the shop ``--shop`` names, else the demo shop's folder ``shops/demo``."""
    from pdd_desktop.common.paths import DEFAULT_SHOP, shop_folder_name
    from pdd_desktop.services import shops

    data_dir = _data_dir(args)
    requested = getattr(args, "shop", None)
    if not requested:
        return shop_paths(data_dir, DEFAULT_SHOP).ensure()
    entry = shops.find_shop(data_dir, requested)
    if entry is not None:
        return shop_paths(data_dir, entry.folder).ensure()
    folder = DEFAULT_SHOP if requested == DEFAULT_SHOP else shop_folder_name(requested)
    return shop_paths(data_dir, folder).ensure()
