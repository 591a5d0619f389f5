"""``pdd-desktop automation list|preview|run``: the automation rules, headless.

``run`` takes the shop's instance lock (the window must be closed), like ``print``; the ops a
rule queues are sent by the next ``pdd-desktop sync`` or the window's sync.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from pdd_desktop.cli.common import CliError, ensure_paths
from pdd_desktop.common.instance_lock import InstanceLock
from pdd_desktop.common.logsetup import setup_logging

KINDS = ("refund_auto", "merge_mark", "auto_print", "memo_keyword", "hold_risky")


def _cmd(args: argparse.Namespace) -> int:
    from pdd_desktop.common.timefmt import format_ts
    from pdd_desktop.data import migrations
    from pdd_desktop.services import automation
    from pdd_desktop.services import shop as shop_service

    paths = ensure_paths(args)
    if not shop_service.shop_exists(paths):
        raise CliError(f"没有店铺数据：{paths.db_file}；可先运行 pdd-desktop demo 生成演示店铺。")
    setup_logging(paths.log_dir)
    with InstanceLock(paths.lock_file):
        try:
            shop_service.open_shop(paths, check=True)
        except (migrations.SchemaTooNew, migrations.MigrationError) as exc:
            raise CliError(str(exc)) from None
        try:
            if args.action == "list":
                for r in automation.list_rules():
                    state = "已启用" if r.enabled else "未启用"
                    last = format_ts(r.last_run_at, "%Y-%m-%d %H:%M") if r.last_run_at else "—"
                    print(
                        f"{r.kind.value}\t{r.title}\t{state}\t{r.description}\t"
                        f"今天执行 {r.done_today}\t上次 {last}"
                    )
                    if r.last_error:
                        print(f"\t上次失败（{r.fail_count} 次）：{r.last_error}")
                return 0
            if args.action == "preview":
                if not args.rule:
                    raise CliError("请给出规则名称，例如 pdd-desktop automation preview memo_keyword")
                p = automation.preview(kind=args.rule)
                print(
                    f"现在会处理 {p.acting} 单（符合 {len(p.targets)} 单，"
                    f"跳过 {len(p.skipped)} 单）。{p.note}"
                )
                for t in p.targets[: p.acting]:
                    print(f"{t.order_sn}\t{t.what}")
                for t in p.skipped:
                    print(f"{t.order_sn}\t不处理：{t.what}")
                return 0
            kinds = [args.rule] if args.rule else None
            report = automation.run_rules(kinds=kinds, force_print=bool(args.rule))
            if not report.outcomes:
                print("没有已启用的规则。")
            for o in report.outcomes:
                title = automation.rules.INFO[o.kind].title
                if o.error:
                    off = "，规则已自动停用" if o.switched_off else ""
                    print(f"{title}：失败：{o.error}{off}", file=sys.stderr)
                else:
                    print(f"{title}：已处理 {o.done} 单，{o.refused} 单未处理")
            return 1 if any(o.error for o in report.outcomes) else 0
        finally:
            shop_service.close_shop()


def register(sub: argparse._SubParsersAction) -> Callable[[argparse.Namespace], int]:
    """Add the ``automation`` subcommand; returns its handler."""
    p = sub.add_parser(
        "automation",
        help="查看、预览、运行自动化规则",
        description="list：列出规则和状态；preview 规则：现在会处理哪些订单（不改动任何数据）；"
        "run [规则]：运行已启用的规则（给出规则时只运行它，定时打印会马上打印一批）。需要先关闭程序窗口。",
    )
    p.add_argument("action", choices=("list", "preview", "run"), metavar="操作", help="list、preview 或 run")
    p.add_argument("rule", nargs="?", choices=KINDS, metavar="规则", help=f"规则名称（{'、'.join(KINDS)}）")
    return _cmd
