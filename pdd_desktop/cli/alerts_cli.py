"""``pdd-desktop alerts [--json]``: the open alerts of 预警提醒, headless (for the merchant's scripts)."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable

from pdd_desktop.cli.common import CliError, ensure_paths


def _cmd_alerts(args: argparse.Namespace) -> int:
    from pdd_desktop.common.timefmt import format_ts
    from pdd_desktop.data import migrations
    from pdd_desktop.domain.money import format_yuan
    from pdd_desktop.services import alerts
    from pdd_desktop.services import shop as shop_service

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
        if not args.stored:
            # Brought up to date first; urgent ones stay for the app's desktop notification.
            alerts.evaluate(notify=False)
        rows = alerts.open_alerts(include_snoozed=True)
    finally:
        shop_service.close_shop()
    if args.json:
        out = [
            {
                "key": r.key,
                "kind": r.kind,
                "severity": int(r.severity),
                "severity_label": r.severity.label,
                "title": r.title,
                "why": r.why,
                "count": r.count,
                "amount_fen": r.amount_fen,
                "target": r.target,
                "target_ids": list(r.target_ids),
                "first_seen_at": r.first_seen_at,
                "last_seen_at": r.last_seen_at,
                "snoozed_until": r.snoozed_until,
            }
            for r in rows
        ]
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return 0
    if not rows:
        print("没有需要处理的提醒。")
        return 0
    for r in rows:
        money = f"，可能赔付 {format_yuan(r.amount_fen)}" if r.amount_fen else ""
        snoozed = f"（稍后提醒至 {format_ts(r.snoozed_until, '%m-%d %H:%M')}）" if r.snoozed_until else ""
        print(f"[{r.severity.label}] {r.title}{money}{snoozed}")
        print(f"    {r.why}")
    print(f"共 {len(rows)} 条提醒。")
    return 0


def register(sub: argparse._SubParsersAction) -> Callable[[argparse.Namespace], int]:
    """Add the ``alerts`` subcommand; returns its handler."""
    p = sub.add_parser(
        "alerts",
        help="列出预警提醒（即将超时、缺货、物流异常、售后即将超时、上传失败、同步中断）",
        description="先按当前数据检查一遍预警规则，再列出未消除的提醒（紧急的在前），"
        "与 工作台 → 预警提醒 相同。程序窗口开着时也可以运行。",
    )
    p.add_argument("--json", action="store_true", help="以 JSON 输出（金额单位为分，时间为 UTC 秒数）")
    p.add_argument("--stored", action="store_true", help="不重新检查，只列出上次检查的结果（只读）")
    return _cmd_alerts
