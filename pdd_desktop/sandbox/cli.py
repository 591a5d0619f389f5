"""``pdd-desktop sandbox``: run the sandbox platform alone in the foreground (Ctrl+C stops it).

Registered by ``cli/main.py``: ``from pdd_desktop.sandbox.cli import register as _register_sandbox``
and ``_register_sandbox`` in ``SUBCOMMANDS``; :func:`register` returns the handler :func:`run`.
Importing this module is cheap: the server and the demo generator load only when it runs.
"""

from __future__ import annotations

import argparse
import threading
import time
from collections.abc import Callable
from pathlib import Path

__all__ = ["register", "run"]

DEFAULT_ORDERS = 30_000
DEFAULT_SEED = 7
LOOPBACK = "127.0.0.1"
PRINT_COMPONENT_PORT = 5000


def register(subparsers: argparse._SubParsersAction) -> Callable[[argparse.Namespace], int]:
    """Add the ``sandbox`` subcommand; returns its handler :func:`run`."""
    p = subparsers.add_parser("sandbox", help="运行本地沙箱开放平台（模拟店铺，仅监听 127.0.0.1）")
    p.add_argument("--port", type=int, default=0, help="端口（默认随机空闲端口）")
    p.add_argument("--speed", type=float, default=1.0, help="模拟速度倍数：新订单频率与物流进度加快的倍数")
    p.add_argument(
        "--seed", type=int, default=DEFAULT_SEED, help="随机种子（与本地演示店铺相同才能对上历史数据）"
    )
    p.add_argument("--orders", type=int, default=DEFAULT_ORDERS, help="初始历史订单数")
    p.add_argument("--now0", type=int, default=None, help="演示数据截止时间（UTC 秒；默认为现在）")
    p.add_argument(
        "--data-dir",
        dest="sandbox_dir",
        type=Path,
        default=None,
        help="沙箱数据目录（默认临时目录，退出即删除）",
    )
    p.add_argument(
        "--latency-ms",
        dest="latency_ms",
        type=_latency,
        default=0.0,
        help="每个请求额外等待的毫秒数（模拟真实网关的往返延迟，默认 0）",
    )
    p.add_argument(
        "--print-port",
        dest="print_port",
        type=int,
        default=PRINT_COMPONENT_PORT,
        help="模拟拼多多打印组件的端口（默认 5000，与真正的组件相同；0 为随机空闲端口）",
    )
    p.add_argument(
        "--no-print-component", dest="print_component", action="store_false", help="不启动模拟打印组件"
    )
    p.add_argument(
        "--print-output",
        dest="print_output",
        type=Path,
        default=None,
        help="模拟打印组件保存面单 PDF 的文件夹（默认在沙箱数据目录下）",
    )
    p.add_argument("--host", default=LOOPBACK, help=argparse.SUPPRESS)
    return run


def _latency(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"延迟应为毫秒数，收到 {text!r}") from None
    if not 0 <= value <= 60_000:
        raise argparse.ArgumentTypeError(f"延迟应在 0–60000 毫秒之间，收到 {text}")
    return value


def run(args: argparse.Namespace, *, stop: threading.Event | None = None) -> int:
    """Build or reopen the shop, serve until Ctrl+C (or ``stop`` is set); returns the exit code."""
    from pdd_desktop.sandbox.server import SandboxServer
    from pdd_desktop.sandbox.state import SandboxShop

    if args.host != LOOPBACK:
        print(f"沙箱只能监听 {LOOPBACK}，拒绝绑定 {args.host}")
        return 2
    now0 = args.now0 if args.now0 is not None else int(time.time())
    print(f"正在准备沙箱店铺（{args.orders} 个历史订单，种子 {args.seed}）…", flush=True)
    shop = SandboxShop.open(
        getattr(args, "sandbox_dir", None), orders=args.orders, seed=args.seed, now0=now0, speed=args.speed
    )
    latency_ms = float(getattr(args, "latency_ms", 0.0) or 0.0)
    server = SandboxServer(shop, port=args.port, latency_ms=latency_ms)
    component = None
    try:
        url = server.start()
        if getattr(args, "print_component", True):
            component = _start_print_component(args, shop)
        c = shop.credentials
        print(f"网关地址：{url}")
        print(f"client_id（应用ID）：{c.client_id}")
        print(f"client_secret（应用密钥）：{c.client_secret}")
        print(f"access_token（店铺授权令牌）：{c.access_token}")
        print(f"refresh_token（刷新令牌）：{c.refresh_token}")
        print(f"店铺：{c.mall_name}（mall_id {c.mall_id}）  模拟速度：×{args.speed:g}")
        if latency_ms:
            print(f"每个请求额外延迟：{latency_ms:g} 毫秒")
        print("按 Ctrl+C 停止。", flush=True)
        waiter = stop or threading.Event()
        try:
            while not waiter.wait(0.5):
                pass
        except KeyboardInterrupt:
            print("\n沙箱已停止。")
    finally:
        if component is not None:
            component.stop()
        server.stop()
        shop.close()
    return 0


def _start_print_component(args: argparse.Namespace, shop):
    """The fake print component with the shop's client secret, or None when its port is taken."""
    import tempfile

    from pdd_desktop.sandbox.print_component import FakePrintComponent

    out = getattr(args, "print_output", None)
    if out is None:
        base = getattr(args, "sandbox_dir", None)
        out = Path(base) / "printed" if base else Path(tempfile.mkdtemp(prefix="pdd-sandbox-printed-"))
    port = getattr(args, "print_port", PRINT_COMPONENT_PORT)
    component = FakePrintComponent(shop.credentials.client_secret, out, port=port)
    try:
        ws = component.start()
    except OSError:
        print(
            f"端口 {port} 已被占用（可能已安装真正的拼多多打印组件），模拟打印组件没有启动；"
            "可用 --print-port 换一个端口。"
        )
        return None
    print(f"模拟拼多多打印组件：{ws}  面单 PDF 保存到：{out}")
    return component
