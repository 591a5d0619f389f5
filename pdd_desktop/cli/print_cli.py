"""``pdd-desktop print``: labels, picking lists and packing slips as PDF, headless."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from pdd_desktop.cli.common import ConsoleProgress, ensure_paths
from pdd_desktop.common.instance_lock import InstanceLock
from pdd_desktop.common.logsetup import setup_logging

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
    paths = ensure_paths(args)
    if not shop_service.shop_exists(paths):
        print(f"没有店铺数据：{paths.db_file}；可先运行 pdd-desktop demo 生成演示店铺。", file=sys.stderr)
        return 2
    out = Path(args.out).expanduser().resolve()
    if not out.parent.is_dir():
        print(f"输出文件夹不存在：{out.parent}", file=sys.stderr)
        return 2
    doc_type = _PRINT_DOCS[args.document]
    sns = [sn for sn in (args.orders or "").replace("，", ",").split(",") if sn.strip()]
    task = ConsoleProgress(args.quiet)
    setup_logging(paths.log_dir)
    with InstanceLock(paths.lock_file):
        try:  # an older file is upgraded (after a backup), as the app does when it opens it
            shop_service.open_shop(paths, check=True)  # never write into a damaged file
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
                # Never a label with an encrypted (empty) receiver: those print through PDD's
                # print component, from the window.
                clear_receivers_only=True,
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
    in_pdf = set(doc.page_numbers)
    component_only = [c for c in doc.cloud if c.waybill_code not in in_pdf]
    if component_only:
        print(
            f"{len(component_only)} 张平台电子面单的收件人已加密，只能通过拼多多打印组件打印："
            "请在窗口的发货中心打印（这些订单未记录打印）。"
        )
        for c in component_only:
            print(f"  {c.waybill_code}")
    if doc.font_warning:
        print(f"字体提示：{doc.font_warning}")
    if not doc.pages:
        print(f"没有生成{what}：选中的 {len(ids)} 单都不能打印。", file=sys.stderr)
        return 1
    template = f" · 模板 {doc.template}" if doc.template else ""
    print(f"已生成{what}：{out}")
    print(f"{doc.pages} 页 · {len(doc.order_ids)} 单{template} · 已记录打印任务")
    return 0


def register(sub: argparse._SubParsersAction) -> Callable[[argparse.Namespace], int]:
    """Add the ``print`` subcommand; returns its handler."""
    p = sub.add_parser(
        "print",
        help="打单：生成快递面单、拣货单或发货单 PDF 并记录打印",
        description="把快递面单、拣货单或发货单生成 PDF 并记录打印（面单按需分配电子面单号）",
    )
    p.add_argument(
        "document",
        metavar="单据",
        choices=list(_PRINT_DOCS),
        help="labels 快递面单 · picking 拣货单 · packing 发货单",
    )
    p.add_argument(
        "--status", help="订单状态：待支付 / 待发货 / 已发货 / 已完成 / 已取消（按发货紧急程度排序）"
    )
    which = p.add_mutually_exclusive_group()
    which.add_argument("--limit", type=int, help="最多打印多少单（按排序取前 N 单）")
    which.add_argument("--orders", metavar="订单号,订单号", help="逗号分隔的订单号，按给出的顺序打印")
    p.add_argument("--out", required=True, metavar="文件.pdf", help="输出的 PDF 文件")
    p.add_argument("--template", help="面单模板名（如 label_100x150）或 TOML 文件路径")
    p.add_argument("--account", type=int, help="电子面单账号编号（默认：默认账号）")
    p.add_argument("--font", help="中文字体文件（TrueType），默认自动查找")
    p.add_argument("--quiet", action="store_true", help="不显示进度")
    # Also accepted after the subcommand; SUPPRESS keeps a value given before it.
    return _cmd_print
