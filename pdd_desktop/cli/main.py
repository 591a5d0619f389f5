"""The ``pdd-desktop`` command: no subcommand opens the app; subcommands work headless.

Later modules add their subcommand with one ``_register_*`` function in ``SUBCOMMANDS``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from pdd_desktop import __version__
from pdd_desktop.cli.imports_cli import register as _register_import
from pdd_desktop.cli.print_cli import register as _register_print
from pdd_desktop.cli.shop_cli import register_backup as _register_backup
from pdd_desktop.cli.shop_cli import register_demo as _register_demo
from pdd_desktop.cli.shop_cli import register_info as _register_info
from pdd_desktop.common.instance_lock import AlreadyLocked
from pdd_desktop.common.paths import DEFAULT_SHOP
from pdd_desktop.common.task import Cancelled
from pdd_desktop.sandbox.cli import register as _register_sandbox
from pdd_desktop.sync_process import register as _register_sync

#: Subcommand registrars, in the order ``--help`` lists them.
SUBCOMMANDS = (
    _register_demo,
    _register_backup,
    _register_info,
    _register_print,
    _register_sandbox,
    _register_import,
    _register_sync,
)


def build_parser() -> tuple[argparse.ArgumentParser, dict[str, Callable[[argparse.Namespace], int]]]:
    """The parser and the handler of each subcommand."""
    parser = argparse.ArgumentParser(
        prog="pdd-desktop",
        description="拼多多商家桌面助手。不带子命令时打开程序窗口；子命令在命令行运行，不打开窗口。",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--data-dir", type=Path, default=None, help="数据文件夹（默认：用户数据目录）")
    parser.add_argument("--shop", default=DEFAULT_SHOP, help=f"店铺名（默认 {DEFAULT_SHOP}）")
    sub = parser.add_subparsers(dest="command", metavar="子命令")
    handlers = {}
    for register in SUBCOMMANDS:
        handler = register(sub)
        handlers[list(sub.choices)[-1]] = handler
    return parser, handlers


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``pdd-desktop`` and ``python -m pdd_desktop``."""
    parser, handlers = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        from pdd_desktop.app import run_gui

        return run_gui(args.data_dir, args.shop)
    try:
        return handlers[args.command](args)
    except AlreadyLocked as exc:
        print(f"{exc}\n请先关闭正在使用这份数据的窗口或命令。", file=sys.stderr)
        return 3
    except Cancelled:
        print("\n已取消，数据未改动。", file=sys.stderr)
        return 130
    except KeyboardInterrupt:
        print("\n已中断，数据未改动。", file=sys.stderr)
        return 130


def gui_main() -> int:
    """Entry point of the windowed ``pdd-desktop-gui`` script (same options)."""
    return main()
