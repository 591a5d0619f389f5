"""``pdd-desktop shop list|create|rename|delete``: the shops of a data folder."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from pdd_desktop.cli.common import CliError

__all__ = ["register", "run"]


def register(sub: argparse._SubParsersAction) -> Callable[[argparse.Namespace], int]:
    """Add the ``shop`` subcommand and its actions; returns its handler :func:`run`."""
    p = sub.add_parser(
        "shop",
        help="管理店铺：列出、新建、改名、删除",
        description="管理数据文件夹中的店铺。每个店铺有自己的数据文件；删除前自动备份。",
    )
    actions = p.add_subparsers(dest="shop_action", metavar="操作", required=True)
    actions.add_parser("list", help="列出店铺", description="列出数据文件夹中的店铺")
    create = actions.add_parser("create", help="新建一个空的真实店铺", description="新建一个空的真实店铺")
    create.add_argument("name", metavar="店铺名称", help="店铺名称（可用中文）")
    rename = actions.add_parser("rename", help="给店铺改名", description="给店铺改名（店铺不能正在使用）")
    rename.add_argument("old", metavar="原名称", help="现在的店铺名称")
    rename.add_argument("new", metavar="新名称", help="新的店铺名称")
    delete = actions.add_parser(
        "delete", help="删除店铺（先自动备份）", description="删除店铺：先把数据备份到数据文件夹的 backups 中"
    )
    delete.add_argument("name", metavar="店铺名称", help="要删除的店铺名称")
    delete.add_argument("--yes", action="store_true", help="不再询问，直接删除")
    return run


def _confirm(question: str) -> bool:
    if not sys.stdin.isatty():
        return False
    try:
        return input(f"{question} [y/N] ").strip().lower() in ("y", "yes", "是")
    except EOFError:
        return False


def run(args: argparse.Namespace) -> int:
    """Do the ``shop`` action; returns the exit code."""
    from pdd_desktop.services import shops

    data_dir = getattr(args, "data_dir", None)
    action = args.shop_action
    try:
        if action == "list":
            entries = shops.list_shops(data_dir)
            if not entries:
                print(
                    "还没有店铺。可用 pdd-desktop shop create 店铺名 新建，或 pdd-desktop demo 生成演示店铺。"
                )
                return 0
            last = shops.last_shop(data_dir)
            for e in entries:
                marks = ("（演示）" if e.is_demo else "") + ("（上次打开）" if e.folder == last else "")
                print(f"{e.name}{marks}  {e.size_bytes / 1e6:.1f} MB  {e.db_file.parent}")
            return 0
        if action == "create":
            paths = shops.create_shop(data_dir, args.name)
            print(f"已新建店铺“{shops.check_name(args.name)}”：{paths.shop_dir}")
            return 0
        if action == "rename":
            paths = shops.rename_shop(data_dir, args.old, args.new)
            print(f"店铺“{args.old}”已改名为“{shops.check_name(args.new)}”：{paths.shop_dir}")
            return 0
        entry = shops.find_shop(data_dir, args.name)
        if entry is None:
            raise shops.ShopNotFound(args.name)
        if not args.yes and not _confirm(f"删除店铺“{entry.name}”？删除前会先备份。"):
            print("没有删除。要删除请加 --yes。", file=sys.stderr)
            return 1
        backup = shops.delete_shop(data_dir, entry.folder)
        print(f"店铺“{entry.name}”已删除；删除前的备份：{backup}")
        return 0
    except shops.ShopNotFound as exc:
        raise CliError(f"{exc}；用 pdd-desktop shop list 查看已有店铺") from None
