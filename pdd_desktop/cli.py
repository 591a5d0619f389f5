"""The ``pdd-desktop`` command: no subcommand opens the app; subcommands work headless.

Later modules add their subcommand with one ``_register_*`` function in ``SUBCOMMANDS``.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

from pdd_desktop import __version__
from pdd_desktop.common import clock
from pdd_desktop.common.instance_lock import AlreadyLocked, InstanceLock
from pdd_desktop.common.logsetup import setup_logging
from pdd_desktop.common.paths import DEFAULT_SHOP, ShopPaths, shop_paths
from pdd_desktop.common.task import Cancelled, TaskContext
from pdd_desktop.common.timefmt import format_ts
from pdd_desktop.imports_cli import register as _register_import
from pdd_desktop.sandbox.cli import register as _register_sandbox
from pdd_desktop.sync_process import register as _register_sync


class _ConsoleProgress(TaskContext):
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


def _paths(args: argparse.Namespace) -> ShopPaths:
    return shop_paths(args.data_dir, args.shop).ensure()


def _cmd_demo(args: argparse.Namespace) -> int:
    from pdd_desktop.services import demo_shop

    paths = _paths(args)
    setup_logging(paths.log_dir)
    if paths.db_file.exists() and not args.replace:
        print(
            f"店铺数据已存在：{paths.db_file}\n如要用演示数据覆盖，请加 --replace（原数据会先备份）。",
            file=sys.stderr,
        )
        return 2
    with InstanceLock(paths.lock_file):
        if paths.db_file.exists():
            from pdd_desktop.services import shop as shop_service

            backup = shop_service.create_backup(paths)
            print(f"原数据已备份：{backup}")
        now = args.now if args.now is not None else clock.now()
        task = _ConsoleProgress(args.quiet)
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


def _register_demo(sub: argparse._SubParsersAction) -> Callable[[argparse.Namespace], int]:
    p = sub.add_parser(
        "demo", help="生成演示店铺（确定性的模拟数据）", description="build a deterministic demo shop"
    )
    p.add_argument("--orders", type=int, default=30_000, help="订单数（默认 30000）")
    p.add_argument("--seed", type=int, default=7, help="随机种子：相同种子和时间生成相同数据")
    p.add_argument("--now", type=int, default=None, help="以该 UTC 秒数为“现在”（默认当前时间）")
    p.add_argument("--replace", action="store_true", help="覆盖已有的店铺数据（先自动备份）")
    p.add_argument("--quiet", action="store_true", help="不显示进度")
    return _cmd_demo


def _cmd_backup(args: argparse.Namespace) -> int:
    from pdd_desktop.services import shop as shop_service

    paths = _paths(args)
    if args.list:
        items = shop_service.backups(paths)
        if not items:
            print("还没有备份。")
        for path in items:
            print(f"{format_ts(int(path.stat().st_mtime))}  {path.stat().st_size / 1e6:8.1f} MB  {path}")
        return 0
    if not paths.db_file.exists():
        print(f"没有店铺数据：{paths.db_file}", file=sys.stderr)
        return 2
    if args.restore:
        source = Path(args.restore)
        if not source.exists():
            print(f"备份文件不存在：{source}", file=sys.stderr)
            return 2
        with InstanceLock(paths.lock_file):
            shop_service.restore_backup(paths, source)
        print(f"已从备份恢复：{source}（恢复前的数据已另存在 {paths.backup_dir}）")
        return 0
    dest = Path(args.out) if args.out else None
    path = shop_service.create_backup(paths, dest)
    print(f"备份完成：{path}")
    return 0


def _register_backup(sub: argparse._SubParsersAction) -> Callable[[argparse.Namespace], int]:
    p = sub.add_parser(
        "backup", help="备份、列出或恢复店铺数据", description="back up, list or restore the shop"
    )
    group = p.add_mutually_exclusive_group()
    group.add_argument("--out", help="备份到指定文件（默认：店铺的 backups 文件夹）")
    group.add_argument("--list", action="store_true", help="列出已有备份")
    group.add_argument("--restore", metavar="FILE", help="用备份文件替换当前数据（需先关闭程序）")
    return _cmd_backup


def _cmd_info(args: argparse.Namespace) -> int:
    from pdd_desktop.data import migrations
    from pdd_desktop.services import home
    from pdd_desktop.services import shop as shop_service

    paths = _paths(args)
    if not shop_service.shop_exists(paths):
        print(f"没有店铺数据：{paths.db_file}\n可先运行 pdd-desktop demo 生成演示店铺。", file=sys.stderr)
        return 2
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


def _register_info(sub: argparse._SubParsersAction) -> Callable[[argparse.Namespace], int]:
    sub.add_parser("info", help="显示店铺数据概况", description="summary of the shop's data")
    return _cmd_info


#: ``print`` document names → services.printing doc types.
_PRINT_DOCS = {"labels": "label", "picking": "picking", "packing": "packing"}


def _cmd_print(args: argparse.Namespace) -> int:
    from pdd_desktop.data import migrations
    from pdd_desktop.domain.errors import DomainError
    from pdd_desktop.services import printing
    from pdd_desktop.services import shop as shop_service

    if args.status is None and not args.orders:
        print("请用 --status 指定订单状态，或用 --orders 指定订单号。", file=sys.stderr)
        return 2
    paths = _paths(args)
    if not shop_service.shop_exists(paths):
        print(f"没有店铺数据：{paths.db_file}\n可先运行 pdd-desktop demo 生成演示店铺。", file=sys.stderr)
        return 2
    out = Path(args.out).expanduser().resolve()
    if not out.parent.is_dir():
        print(f"输出文件夹不存在：{out.parent}", file=sys.stderr)
        return 2
    doc_type = _PRINT_DOCS[args.document]
    sns = [sn for sn in (args.orders or "").replace("，", ",").split(",") if sn.strip()]
    task = _ConsoleProgress(args.quiet)
    setup_logging(paths.log_dir)
    with InstanceLock(paths.lock_file):
        try:  # an older file is upgraded (after a backup), as the app does when it opens it
            shop_service.open_shop(paths)
        except (migrations.SchemaTooNew, migrations.MigrationError) as exc:
            print(str(exc), file=sys.stderr)
            return 2
        try:
            ids = printing.select_orders(status=args.status, order_sns=sns, limit=args.limit)
            if not ids:
                print(f"没有{args.status or ''}订单可打印。", file=sys.stderr)
                return 1
            doc = printing.render_documents(
                doc_type=doc_type,
                order_ids=ids,
                out=out,
                template=args.template,
                account_id=args.account,
                font_path=args.font,
                task=task,
            )
            if doc.pages:
                printing.record_print_job(doc=doc, printer=f"PDF:{out}")
        except DomainError as exc:
            print(str(exc), file=sys.stderr)
            return 2
        except KeyboardInterrupt:
            print(
                "\n已中断：没有生成文件，也没有记录打印任务（已分配的面单号仍归对应订单）。", file=sys.stderr
            )
            return 130
        finally:
            shop_service.close_shop()
    if not task._quiet:
        print(file=sys.stderr)
    what = printing.DOC_LABELS[doc_type]
    if doc.skipped:
        print(f"跳过 {len(doc.skipped)} 单：")
        for s in doc.skipped:
            print(f"  {s.order_sn or s.order_id}  {s.reason}")
    if doc.font_warning:
        print(f"字体提示：{doc.font_warning}")
    if not doc.pages:
        print(f"没有生成{what}：选中的 {len(ids)} 单都不能打印。", file=sys.stderr)
        return 1
    template = f" · 模板 {doc.template}" if doc.template else ""
    print(f"已生成{what}：{out}")
    print(f"{doc.pages} 页 · {len(doc.order_ids)} 单{template} · 已记录打印任务")
    return 0


def _register_print(sub: argparse._SubParsersAction) -> Callable[[argparse.Namespace], int]:
    p = sub.add_parser(
        "print",
        help="打单：生成快递面单、拣货单或发货单 PDF 并记录打印",
        description="render labels, a picking list or packing slips to a PDF and record the print job "
        "(labels allocate e-waybill numbers where needed)",
    )
    p.add_argument(
        "document", choices=list(_PRINT_DOCS), help="labels 快递面单 · picking 拣货单 · packing 发货单"
    )
    p.add_argument(
        "--status", help="订单状态：待支付 / 待发货 / 已发货 / 已完成 / 已取消（按发货紧急程度排序）"
    )
    which = p.add_mutually_exclusive_group()
    which.add_argument("--limit", type=int, help="最多打印多少单（按排序取前 N 单）")
    which.add_argument("--orders", metavar="SN,SN", help="逗号分隔的订单号，按给出的顺序打印")
    p.add_argument("--out", required=True, metavar="FILE.pdf", help="输出的 PDF 文件")
    p.add_argument("--template", help="面单模板名（如 label_100x150）或 TOML 文件路径")
    p.add_argument("--account", type=int, help="电子面单账号编号（默认：默认账号）")
    p.add_argument("--font", help="中文字体文件（TrueType），默认自动查找")
    p.add_argument("--quiet", action="store_true", help="不显示进度")
    # Also accepted after the subcommand; SUPPRESS keeps a value given before it.
    p.add_argument("--data-dir", type=Path, default=argparse.SUPPRESS, help="数据文件夹")
    p.add_argument("--shop", default=argparse.SUPPRESS, help="店铺名")
    return _cmd_print


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
