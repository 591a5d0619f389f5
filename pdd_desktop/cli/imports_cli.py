"""``pdd-desktop import FILE``: check and apply any file of the import registry, headless.

Registered by :mod:`pdd_desktop.cli.main` (``register`` imported as ``_register_import``, listed in
``SUBCOMMANDS``). Prints the report in Chinese; exit code 0 when every row was good, 1 when rows
were rejected (or the file has bad rows and ``--accept-partial`` was not given: then nothing is
written), 2 when the file cannot be imported at all.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

__all__ = ["register", "run"]

#: Why a file is not imported into the demo shop, and what to do instead (one line).
DEMO_REFUSAL = (
    "演示店铺只有模拟数据，不能导入真实的订单文件；请先新建真实店铺："
    "pdd-desktop shop create 店铺名，再用 pdd-desktop import 文件 --shop 店铺名 导入"
)
#: Bad rows printed before "……".
MAX_ERRORS_SHOWN = 50


class _KindsHelpParser(argparse.ArgumentParser):
    """The ``import`` parser: its help names the accepted kinds from the import registry.

    The registry (``services.imports.kinds``) loads the import services, so it is read only when
    the help is shown, never when the command line starts.
    """

    def format_help(self) -> str:
        from pdd_desktop.services.imports import kinds

        self.description = (
            f"检查并导入拼多多后台导出的{kinds.accepted_text()}（文件类型按内容识别）："
            "有错误行时默认什么都不导入"
        )
        return super().format_help()


def register(sub: argparse._SubParsersAction) -> Callable[[argparse.Namespace], int]:
    """Add the ``import`` subcommand; returns its handler :func:`run`."""
    p = sub.add_parser(
        "import",
        help="导入拼多多后台导出的文件：订单、商品、推广、账单、客服数据（CSV / XLSX / 账单 ZIP）",
    )
    p.__class__ = _KindsHelpParser  # argparse makes every subparser of one class
    p.add_argument("file", metavar="文件", type=Path, help="拼多多后台导出的文件（.csv / .xlsx / .zip）")
    p.add_argument(
        "--accept-partial", action="store_true", help="有错误行时仍导入正确的行（错误行记为已拒绝）"
    )
    p.add_argument("--quiet", action="store_true", help="不显示进度")
    return run


def run(args: argparse.Namespace) -> int:
    """Check, print the report, apply under the shop lock; returns the exit code."""
    from pdd_desktop.cli.common import resolve_paths
    from pdd_desktop.common.instance_lock import InstanceLock
    from pdd_desktop.data import migrations
    from pdd_desktop.domain.errors import DomainError
    from pdd_desktop.services import imports
    from pdd_desktop.services import shop as shop_service

    if not args.file.exists():
        print(f"文件不存在：{args.file}", file=sys.stderr)
        return 2
    paths = resolve_paths(args, create_if_none=True)
    if not shop_service.shop_exists(paths):
        print(f"没有店铺数据：{paths.db_file}", file=sys.stderr)
        return 2
    with InstanceLock(paths.lock_file):
        try:
            info = shop_service.open_shop(paths, check=True)  # never write into a damaged file
        except (migrations.SchemaTooNew, migrations.MigrationError) as exc:
            print(str(exc), file=sys.stderr)
            return 2
        try:
            if info.is_demo:
                print(DEMO_REFUSAL, file=sys.stderr)
                return 2
            try:
                check = imports.check_import_file(args.file)
            except DomainError as exc:
                print(f"无法导入：{exc}", file=sys.stderr)
                return 2
            print(check.summary)
            for e in check.errors[:MAX_ERRORS_SHOWN]:
                print(f"  第 {e.row_no} 行 · {e.column or '整行'} · “{e.raw_value}”：{e.message}")
            if len(check.errors) > MAX_ERRORS_SHOWN:
                print(f"  ……共 {len(check.errors)} 处错误")
            if check.already_imported:
                imports.discard_check(check)
                return 0
            if check.errors and not args.accept_partial:
                imports.discard_check(check)
                print(
                    "文件有错误，没有导入任何内容。修改文件后重新导入，或加 --accept-partial 只导入正确的行。"
                )
                return 1
            try:
                result = imports.apply_import(check, accept_partial=args.accept_partial)
            except DomainError as exc:
                print(f"没有导入：{exc}", file=sys.stderr)
                return 2
            print(result.message)
            return 1 if result.rows_rejected or result.cancelled else 0
        finally:
            shop_service.close_shop()
