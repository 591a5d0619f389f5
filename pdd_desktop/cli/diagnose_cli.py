"""``pdd-desktop diagnose --out FILE.zip``: the diagnostics package, headless."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from pdd_desktop.cli.common import CliError, ConsoleProgress, ensure_paths


def _cmd_diagnose(args: argparse.Namespace) -> int:
    from PySide6.QtCore import QSettings, qVersion

    from pdd_desktop.services import diagnostics
    from pdd_desktop.ui.dialogs.about_dialog import APP_SETTINGS, machine_settings

    paths = ensure_paths(args)
    out = Path(args.out)
    if out.suffix.lower() != ".zip":
        raise CliError(f"诊断包应保存为 .zip 文件：{out}")
    if out.is_dir():
        raise CliError(f"这是一个文件夹，请给出文件名，例如 {out / '诊断包.zip'}")
    task = ConsoleProgress(args.quiet)
    package = diagnostics.export_diagnostics(
        paths,
        out,
        machine_settings=machine_settings(QSettings(*APP_SETTINGS)),
        extra_versions={"Qt": qVersion()},
        task=task,
    )
    if not task._quiet:
        print(file=sys.stderr)
    print(f"诊断包已导出：{package.path}（{len(package.files)} 个文件，{package.size_bytes / 1e3:.0f} KB）")
    print("包内已去除手机号、姓名、地址、密钥和令牌，可以发给客服。")
    return 0


def register(sub: argparse._SubParsersAction) -> Callable[[argparse.Namespace], int]:
    """Add the ``diagnose`` subcommand; returns its handler."""
    p = sub.add_parser(
        "diagnose",
        help="导出诊断包（日志、设置和数据概况，已去除个人信息和密钥），发给客服排查问题",
        description="导出诊断包：日志、店铺和本机设置、版本、各数据表行数和同步状态（不含订单等数据内容）。"
        "手机号、姓名、地址、应用密钥和令牌已去除。程序窗口开着时也可以运行。",
    )
    p.add_argument("--out", required=True, metavar="文件", help="诊断包保存为（.zip 文件）")
    p.add_argument("--quiet", action="store_true", help="不显示进度")
    return _cmd_diagnose
