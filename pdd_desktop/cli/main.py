"""The ``pdd-desktop`` command: no subcommand opens the app; subcommands work headless.

Later modules add their subcommand with one ``_register_*`` function in ``SUBCOMMANDS``.
"""

from __future__ import annotations

import argparse
import logging
import os
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path

from pdd_desktop import __version__
from pdd_desktop.cli.alerts_cli import register as _register_alerts
from pdd_desktop.cli.automation_cli import register as _register_automation
from pdd_desktop.cli.common import ChineseArgumentParser, CliError, chinese_argparse, forget_resolved_paths
from pdd_desktop.cli.cs_cli import register as _register_check_reply
from pdd_desktop.cli.diagnose_cli import register as _register_diagnose
from pdd_desktop.cli.imports_cli import register as _register_import
from pdd_desktop.cli.print_cli import register as _register_print
from pdd_desktop.cli.report_cli import register as _register_report
from pdd_desktop.cli.selftest_cli import register as _register_selftest
from pdd_desktop.cli.shop_cli import register_backup as _register_backup
from pdd_desktop.cli.shop_cli import register_demo as _register_demo
from pdd_desktop.cli.shop_cli import register_info as _register_info
from pdd_desktop.cli.shops_cli import register as _register_shop
from pdd_desktop.common.fs import write_problem
from pdd_desktop.common.instance_lock import AlreadyLocked
from pdd_desktop.common.paths import default_data_dir
from pdd_desktop.common.redact import redact_text
from pdd_desktop.common.task import Cancelled
from pdd_desktop.domain.errors import DomainError
from pdd_desktop.sandbox.cli import register as _register_sandbox
from pdd_desktop.sync_process import register as _register_sync

#: Subcommand registrars, in the order ``--help`` lists them.
SUBCOMMANDS = (
    _register_shop,
    _register_demo,
    _register_backup,
    _register_info,
    _register_print,
    _register_sandbox,
    _register_import,
    _register_report,
    _register_check_reply,
    _register_alerts,
    _register_sync,
    _register_selftest,
    _register_diagnose,
    _register_automation,
)


#: Options every subcommand accepts too, before or after its name: (flags, keyword arguments).
GLOBAL_OPTIONS = (
    (("--data-dir",), {"type": Path, "metavar": "文件夹", "help": "数据文件夹（默认：用户数据目录）"}),
    (("--shop",), {"metavar": "店铺名称", "help": "店铺名称（默认：上次打开的店铺）"}),
)
#: Chinese placeholders for option values whose subcommand gave none (argparse would print the
#: option's key in capitals, e.g. ORDERS).
METAVARS = {
    "orders": "数量",
    "seed": "种子",
    "now": "UTC秒数",
    "now0": "UTC秒数",
    "out": "文件",
    "status": "状态",
    "limit": "数量",
    "template": "模板",
    "account": "编号",
    "font": "字体文件",
    "gateway": "网址",
    "interval": "分钟",
    "port": "端口",
    "speed": "倍数",
    "sandbox_dir": "文件夹",
}


def _has_cjk(text: str | None) -> bool:
    return bool(text) and any("\u4e00" <= ch <= "\u9fff" for ch in text)


def _add_global_options(parser: argparse.ArgumentParser) -> None:
    """``--data-dir`` / ``--shop`` on a subcommand (and on its own subcommands)."""
    all_flags = [flag for flags, _kw in GLOBAL_OPTIONS for flag in flags]
    # A subcommand with its own meaning for one of them (sandbox --data-dir) takes none.
    if not any(flag in parser._option_string_actions for flag in all_flags):
        for flags, kw in GLOBAL_OPTIONS:
            # SUPPRESS: a value given before the subcommand is not overwritten by a default.
            parser.add_argument(*flags, default=argparse.SUPPRESS, **kw)
    for action in parser._actions:
        if action.option_strings and action.metavar is None and action.nargs != 0:
            action.metavar = METAVARS.get(action.dest, "值")
        if isinstance(action, argparse._SubParsersAction):
            for nested in action.choices.values():
                _add_global_options(nested)


def build_parser() -> tuple[argparse.ArgumentParser, dict[str, Callable[[argparse.Namespace], int]]]:
    """The parser and the handler of each subcommand.

    Call it inside :func:`~pdd_desktop.cli.common.chinese_argparse`, so argparse's own words
    (``-h`` and the group titles, fixed when the parser is built) are Chinese.
    """
    parser = ChineseArgumentParser(
        prog="pdd-desktop",
        description="拼多多商家桌面助手。不带子命令时打开程序窗口；子命令在命令行运行，不打开窗口。"
        "--data-dir 和 --shop 可写在子命令前或后。",
    )
    parser.add_argument(
        "--version", action="version", version=f"%(prog)s {__version__}", help="显示版本号并退出"
    )
    for flags, kw in GLOBAL_OPTIONS:
        parser.add_argument(*flags, default=None, **kw)
    sub = parser.add_subparsers(dest="command", metavar="子命令", parser_class=ChineseArgumentParser)
    handlers = {}
    for register in SUBCOMMANDS:
        handler = register(sub)
        name = list(sub.choices)[-1]
        handlers[name] = handler
        _add_global_options(sub.choices[name])
    for action in sub._choices_actions:  # the description defaults to the Chinese one-line help
        sub_parser = sub.choices[action.dest]
        if not _has_cjk(sub_parser.description):
            sub_parser.description = action.help
    return parser, handlers


def _file_problem(exc: OSError | sqlite3.Error, args: argparse.Namespace) -> str:
    """One Chinese line for a file-system or SQLite failure: full disk, read-only folder, damage."""
    from pdd_desktop.cli.common import last_resolved_paths

    paths = last_resolved_paths()
    folder = None if isinstance(exc, OSError) and exc.filename else (paths.shop_dir if paths else None)
    if folder is None and not isinstance(exc, OSError):
        folder = args.data_dir or default_data_dir()
    problem = write_problem(exc, folder)
    if problem:
        return problem
    if isinstance(exc, sqlite3.DatabaseError):
        shop = f" --shop {paths.shop}" if paths else ""
        return (
            f"店铺数据文件可能已损坏（{exc}）：请用 pdd-desktop backup{shop} --restore 备份文件 从备份恢复"
            f"（pdd-desktop backup{shop} --list 列出备份）。"
        )
    return f"出错了：{redact_text(str(exc)) or type(exc).__name__}（详情见日志）"


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``pdd-desktop`` and ``python -m pdd_desktop``."""
    with chinese_argparse():
        parser, handlers = build_parser()
        args = parser.parse_args(argv)
    if args.command is None:
        from pdd_desktop.app import run_gui

        return run_gui(args.data_dir, args.shop)
    forget_resolved_paths()
    try:
        return handlers[args.command](args)
    except CliError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    except AlreadyLocked as exc:
        print(f"{exc}；请先关闭正在使用这份数据的窗口或命令。", file=sys.stderr)
        return 3
    except Cancelled:
        print("\n已取消，数据未改动。", file=sys.stderr)
        return 130
    except KeyboardInterrupt:
        print("\n已中断，数据未改动。", file=sys.stderr)
        return 130
    except DomainError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    except BrokenPipeError:  # the reader went away (``pdd-desktop alerts | head``): not an error
        _silence_stdout()
        return 0
    except (OSError, sqlite3.Error) as exc:
        logging.getLogger(__name__).exception("command %s failed", args.command)
        print(_file_problem(exc, args), file=sys.stderr)
        return 2
    except Exception as exc:  # never a traceback on the console: one line, details in the log
        logging.getLogger(__name__).exception("command %s failed", args.command)
        print(f"出错了：{redact_text(str(exc)) or type(exc).__name__}（详情见日志）", file=sys.stderr)
        return 1


def _silence_stdout() -> None:
    # Python flushes stdout again at exit; point it at the null device so that flush cannot fail.
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def gui_main() -> int:
    """Entry point of the windowed ``pdd-desktop-gui`` script (same options)."""
    return main()
