"""``pdd-desktop demo``, ``backup`` and ``info``: the shop's data as a whole."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from pdd_desktop.cli.common import ConsoleProgress, demo_paths, ensure_paths
from pdd_desktop.common import clock
from pdd_desktop.common.instance_lock import InstanceLock
from pdd_desktop.common.logsetup import setup_logging
from pdd_desktop.common.timefmt import format_ts


def _cmd_demo(args: argparse.Namespace) -> int:
    from pdd_desktop.services import demo_shop

    paths = demo_paths(args)
    setup_logging(paths.log_dir)
    if paths.db_file.exists() and not args.replace:
        print(
            f"店铺数据已存在：{paths.db_file}；如要用演示数据覆盖，请加 --replace（原数据会先备份）。",
            file=sys.stderr,
        )
        return 2
    with InstanceLock(paths.lock_file):
        if paths.db_file.exists():
            from pdd_desktop.services import shop as shop_service

            backup = shop_service.create_backup(paths)
            print(f"原数据已备份：{backup}")
        now = args.now if args.now is not None else clock.now()
        task = ConsoleProgress(args.quiet)
        summary = demo_shop.build_demo_shop(
            paths.db_file, orders=args.orders, seed=args.seed, now=now, task=task
        )
    if not task._quiet:
        print(file=sys.stderr)
    print(f"演示店铺已生成：{paths.db_file}")
    print(
        f"订单 {summary.orders:,} · 商品 {summary.goods:,}（规格 {summary.skus:,}）· "
        f"买家 {summary.buyers:,} · "
        f"包裹 {summary.packages:,} · 售后 {summary.after_sales:,} · 站内信 {summary.messages:,} · "
        f"{summary.db_bytes / 1e6:.1f} MB · 用时 {summary.elapsed_s:.1f} 秒"
    )
    return 0


def register_demo(sub: argparse._SubParsersAction) -> Callable[[argparse.Namespace], int]:
    """Add the ``demo`` subcommand; returns its handler."""
    p = sub.add_parser(
        "demo",
        help="生成演示店铺（确定性的模拟数据）",
        description="生成演示店铺：全部为模拟数据，相同的种子和时间生成相同的数据",
    )
    p.add_argument("--orders", type=int, default=30_000, help="订单数（默认 30000）")
    p.add_argument("--seed", type=int, default=7, help="随机种子：相同种子和时间生成相同数据")
    p.add_argument("--now", type=int, default=None, help="以该 UTC 秒数为“现在”（默认当前时间）")
    p.add_argument("--replace", action="store_true", help="覆盖已有的店铺数据（先自动备份）")
    p.add_argument("--quiet", action="store_true", help="不显示进度")
    return _cmd_demo


def _cmd_backup(args: argparse.Namespace) -> int:
    from pdd_desktop.data.backup import DamagedDatabase, backup_entries
    from pdd_desktop.services import shop as shop_service

    paths = ensure_paths(args)
    if args.list:
        items = backup_entries(paths.backup_dir)
        if not items:
            print("还没有备份。")
        for e in items:
            print(f"{format_ts(e.created_at)}  {e.kind:<3}  {e.size_bytes / 1e6:8.1f} MB  {e.path}")
        return 0
    if args.restore:
        source = Path(args.restore)
        if not source.exists():
            print(f"备份文件不存在：{source}", file=sys.stderr)
            return 2
        setup_logging(paths.log_dir)
        with InstanceLock(paths.lock_file):
            result = shop_service.restore_backup(paths, source)
        print(f"已从备份恢复：{source}")
        if result.before is not None:
            print(f"恢复前的数据已另存：{result.before}")
        if result.set_aside is not None:
            print(f"原数据文件已损坏，没有备份，已改名保留：{result.set_aside}")
        return 0
    if not paths.db_file.exists():
        print(f"没有店铺数据：{paths.db_file}", file=sys.stderr)
        return 2
    dest = Path(args.out) if args.out else None
    try:
        path = shop_service.create_backup(paths, dest)
    except DamagedDatabase as exc:
        raise shop_service.ShopDamaged(paths, str(exc).split("：", 1)[-1]) from exc
    print(f"备份完成：{path}")
    return 0


def register_backup(sub: argparse._SubParsersAction) -> Callable[[argparse.Namespace], int]:
    """Add the ``backup`` subcommand; returns its handler."""
    p = sub.add_parser("backup", help="备份、列出或恢复店铺数据", description="备份、列出或恢复店铺数据")
    group = p.add_mutually_exclusive_group()
    group.add_argument("--out", help="备份到指定文件（默认：店铺的 backups 文件夹）")
    group.add_argument("--list", action="store_true", help="列出已有备份")
    group.add_argument("--restore", metavar="备份文件", help="用备份文件替换当前数据（需先关闭程序）")
    return _cmd_backup


def _cmd_info(args: argparse.Namespace) -> int:
    from pdd_desktop.data import migrations
    from pdd_desktop.services import home
    from pdd_desktop.services import shop as shop_service

    paths = ensure_paths(args)
    if not shop_service.shop_exists(paths):
        print(f"没有店铺数据：{paths.db_file}；可先运行 pdd-desktop demo 生成演示店铺。", file=sys.stderr)
        return 2
    shop_service.check_shop(paths, full=True)  # a damaged file: one line naming the restore
    version = migrations.read_version(paths.db_file)
    if version != migrations.latest_version():
        print(f"数据库版本 {version}，本程序为 {migrations.latest_version()}：请先用图形界面打开以升级。")
        return 2
    info = shop_service.open_shop(paths)
    snap = home.home_snapshot()
    print(f"店铺：{info.name}{'（演示）' if info.is_demo else ''}")
    print(f"数据文件：{info.db_file}（版本 {info.schema_version}）")
    print(f"订单：{home.order_count():,}")
    print(
        f"待发货 {snap.to_ship:,} · 即将超时 {snap.near_deadline:,} · 已超时 {snap.overdue:,} · "
        f"待处理售后 {snap.after_sales_waiting:,} · 库存不足 {snap.low_stock:,}"
    )
    shop_service.close_shop()
    return 0


def register_info(sub: argparse._SubParsersAction) -> Callable[[argparse.Namespace], int]:
    """Add the ``info`` subcommand; returns its handler."""
    sub.add_parser("info", help="显示店铺数据概况", description="显示店铺数据概况：订单数、待发货、售后等")
    return _cmd_info
