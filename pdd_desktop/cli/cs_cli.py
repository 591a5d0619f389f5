"""``pdd-desktop check-reply TEXT``: the 客服 safety check, headless.

Prints the text with each finding between 【】 and one line per finding (the rule and why); exit
code 0 when nothing is found, 1 when the text should not be sent. ``-`` reads the text from
standard input (a reply with several lines).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from pdd_desktop.domain.reply_safety import check_reply, describe


def marked(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` with every span between 【】."""
    out, last = [], 0
    for start, end in sorted(spans):
        out.append(text[last:start] + "【" + text[start:end] + "】")
        last = end
    return "".join(out) + text[last:]


def _cmd_check_reply(args: argparse.Namespace) -> int:
    text = sys.stdin.read() if args.text == "-" else args.text
    findings = check_reply(text)
    if not findings:
        print("未发现平台禁止的内容，可以发送。")
        return 0
    print(marked(text, [(f.start, f.end) for f in findings]))
    print(f"发现 {len(findings)} 处平台禁止的内容：")
    for line in describe(findings):
        print(f"  {line}")
    return 1


def register(sub: argparse._SubParsersAction) -> Callable[[argparse.Namespace], int]:
    """Add the ``check-reply`` subcommand; returns its handler."""
    p = sub.add_parser(
        "check-reply",
        help="检查一条客服回复是否含有平台禁止的内容（电话、微信、QQ、二维码、好评返现、其他平台）",
        description="与客服页复制前的检查相同：先把全角字符和分隔符统一，再按规则查找。"
        "发现问题时退出码为 1。",
    )
    p.add_argument("text", metavar="文字", help="要检查的回复；写 - 则从标准输入读取")
    return _cmd_check_reply
