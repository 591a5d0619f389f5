"""``pdd-desktop selftest``: check this installation on a temporary demo shop, headless."""

from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from pdd_desktop.common.logsetup import setup_logging

#: The self-test's log file, beside its temporary folder (kept after the folder is removed).
LOG_NAME = "pdd-desktop-selftest.log"


def _qt_message_to_log(mode, context, message: str) -> None:
    """Qt's own warnings go to the log, never to the console."""
    logging.getLogger("qt").warning("%s", message)


def _cmd_selftest(args: argparse.Namespace) -> int:
    base = Path(args.data_dir) if getattr(args, "data_dir", None) else None
    log_dir = base if base is not None else Path(tempfile.gettempdir())
    log_path = setup_logging(log_dir, filename=LOG_NAME)
    # Headless: no window ever appears on the merchant's screen (and a CI machine has none).
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import qInstallMessageHandler

    from pdd_desktop.selftest import run_selftest

    previous = qInstallMessageHandler(_qt_message_to_log)
    print("拼多多商家桌面助手 自检：在临时文件夹中用演示数据检查，不会改动您的店铺数据。", flush=True)
    started = time.monotonic()
    try:
        screenshots = Path(args.screenshots) if getattr(args, "screenshots", None) else None
        results = run_selftest(base, emit=lambda line: print(line, flush=True), screenshots=screenshots)
    finally:
        qInstallMessageHandler(previous)
    failed = [r for r in results if not r.ok]
    took = time.monotonic() - started
    if not failed:
        print(f"自检通过：{len(results)} 项全部正常（共 {took:.1f} 秒）。")
        return 0
    print(f"自检未通过：{len(failed)} 项有问题（共 {took:.1f} 秒），详情见日志 {log_path}", file=sys.stderr)
    for r in failed:
        print(f"失败：{r.label}：{r.detail}", file=sys.stderr)
    return 1


def register(sub: argparse._SubParsersAction) -> Callable[[argparse.Namespace], int]:
    """Add the ``selftest`` subcommand; returns its handler."""
    parser = sub.add_parser(
        "selftest",
        help="自检：用临时演示店铺检查页面、打印、导入和同步是否正常",
        description="自检：在临时文件夹中生成演示店铺，打开全部页面、生成各类单据、导入订单文件并与"
        "本机沙箱同步，逐项显示结果；全部正常时退出码为 0。--data-dir 只决定临时文件夹放在哪里，"
        "不会读取或改动其中的店铺。",
    )
    parser.add_argument(
        "--screenshots",
        metavar="文件夹",
        help="把每个页面（1280×800 窗口）的截图保存到这个文件夹，便于查看界面",
    )
    return _cmd_selftest
