"""``pdd-desktop report NAME [--from …] [--to …] --out FILE``: the 数据 module's reports, headless."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from pdd_desktop.cli.common import CliError, ensure_paths


def _cmd_report(args: argparse.Namespace) -> int:
    from pdd_desktop.data import migrations
    from pdd_desktop.services import reports
    from pdd_desktop.services import shop as shop_service

    out = Path(args.out)
    if out.is_dir():
        raise CliError(f"这是一个文件夹，请给出文件名，例如 {out / '报表.xlsx'}")
    reports.check_out(out)
    paths = ensure_paths(args)
    if not shop_service.shop_exists(paths):
        raise CliError(f"没有店铺数据：{paths.db_file}；可先运行 pdd-desktop demo 生成演示店铺。")
    shop_service.check_shop(paths, full=False)
    version = migrations.read_version(paths.db_file)
    if version != migrations.latest_version():
        raise CliError(
            f"数据库版本 {version}，本程序为 {migrations.latest_version()}：请先用图形界面打开以升级。"
        )
    shop_service.open_shop(paths)
    try:
        table, count = reports.write_report(args.name, args.date_from, args.date_to, out)
    finally:
        shop_service.close_shop()
    print(f"{table.title}已导出：{out}（{count} 行）")
    if table.note:
        print(table.note)
    return 0


def register(sub: argparse._SubParsersAction) -> Callable[[argparse.Namespace], int]:
    """Add the ``report`` subcommand; returns its handler."""
    from pdd_desktop.services.reports import REPORTS

    names = "；".join(f"{r.name}：{r.title}" for r in REPORTS.values())
    p = sub.add_parser(
        "report",
        help="导出数据报表（经营概况、商品分析、客户分析、营销活动效果、推广ROI、客服回复率）"
        "为 CSV 或 Excel 文件",
        description=f"按北京时间的日期范围导出报表（只读，程序窗口开着时也可以运行）。报表：{names}。"
        "各列的含义见 README。",
    )
    p.add_argument("name", choices=list(REPORTS), metavar="报表", help=f"报表名称（{'、'.join(REPORTS)}）")
    p.add_argument(
        "--from", dest="date_from", metavar="日期", help="开始日期 YYYY-MM-DD（默认：结束日期前 29 天）"
    )
    p.add_argument("--to", dest="date_to", metavar="日期", help="结束日期 YYYY-MM-DD（默认：今天）")
    p.add_argument("--out", required=True, metavar="文件", help="保存为（.csv 或 .xlsx 文件）")
    return _cmd_report
