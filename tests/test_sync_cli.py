"""`pdd-desktop sync --once`: headless sync with the demo sandbox, or with credentials from the
environment against a platform gateway."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from pdd_desktop.common.instance_lock import sync_lock
from pdd_desktop.sandbox.server import SandboxServer
from pdd_desktop.sandbox.state import SandboxShop


def cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pdd_desktop", *args],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, **(env or {})},
    )


def test_a_demo_shop_syncs_once_with_its_sandbox(tmp_path):
    data = str(tmp_path / "data")
    assert cli("--data-dir", data, "demo", "--orders", "300", "--seed", "3").returncode == 0
    run = cli("--data-dir", data, "sync", "--once")
    assert run.returncode == 0, run.stderr
    assert "同步到：演示沙箱" in run.stdout and "已同步（平台时间" in run.stdout
    assert "订单：" in run.stdout and "上传：发送 0" in run.stdout


def test_environment_credentials_sync_an_empty_shop_from_a_gateway(tmp_path):
    shop = SandboxShop.open(tmp_path / "platform", orders=400, seed=5, now0=int(time.time()))
    server = SandboxServer(shop, run_sim=False)
    url = server.start()
    try:
        c = shop.credentials
        env = {
            "PDD_CLIENT_ID": c.client_id,
            "PDD_CLIENT_SECRET": c.client_secret,
            "PDD_ACCESS_TOKEN": c.access_token,
        }
        data = str(tmp_path / "data")
        run = cli("--data-dir", data, "--shop", "real", "sync", "--once", "--gateway", url, env=env)
        assert run.returncode == 0, run.stdout + run.stderr
        assert f"环境变量中的凭据，{url}" in run.stdout
        db = tmp_path / "data" / "shops" / "real" / "shop.db"
        conn = sqlite3.connect(db)
        try:
            local = conn.execute('SELECT COUNT(*) FROM "order"').fetchone()[0]
        finally:
            conn.close()
        assert local > 0 and f"写入 {local:,} 条" in run.stdout  # the recent history came down
        # A secret never reaches the output or the log.
        logs = list((tmp_path / "data").rglob("*.log"))
        assert logs
        assert all(c.client_secret not in p.read_text(encoding="utf-8") for p in logs)
        assert c.client_secret not in run.stdout + run.stderr
        # Only some of the variables: a clear message, nothing synced.
        partial = cli("--data-dir", data, "--shop", "real", "sync", "--once", env={"PDD_CLIENT_ID": "x"})
        assert partial.returncode == 2 and "缺少 PDD_CLIENT_SECRET、PDD_ACCESS_TOKEN" in partial.stderr
    finally:
        server.stop()
        shop.close()


def test_global_options_after_the_subcommand(tmp_path):
    shop = SandboxShop.open(tmp_path / "platform", orders=200, seed=7, now0=int(time.time()))
    server = SandboxServer(shop, run_sim=False)
    url = server.start()
    try:
        c = shop.credentials
        env = {
            "PDD_CLIENT_ID": c.client_id,
            "PDD_CLIENT_SECRET": c.client_secret,
            "PDD_ACCESS_TOKEN": c.access_token,
        }
        data = tmp_path / "data"
        run = cli("sync", "--once", "--gateway", url, "--data-dir", str(data), "--shop", "后置", env=env)
        assert run.returncode == 0, run.stdout + run.stderr
        assert (data / "shops" / "后置" / "shop.db").exists()
        assert f"环境变量中的凭据，{url}" in run.stdout
    finally:
        server.stop()
        shop.close()


def _demo(tmp_path) -> tuple[str, Path]:
    data = str(tmp_path / "data")
    assert cli("--data-dir", data, "demo", "--orders", "200", "--seed", "3").returncode == 0
    return data, next(Path(data).rglob("shop.db"))


def test_sync_while_the_shop_is_busy_says_so_promptly(tmp_path):
    data, db = _demo(tmp_path)
    holder = sqlite3.connect(db, isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")  # an import's write transaction in another process
        started = time.monotonic()
        run = cli("sync", "--once", "--data-dir", data)
        elapsed = time.monotonic() - started
        holder.execute("ROLLBACK")
    finally:
        holder.close()
    assert run.returncode != 0
    assert "店铺数据正被其他操作使用" in run.stderr and "请稍后再试" in run.stderr
    assert "本机数据库出错" not in run.stdout + run.stderr
    assert elapsed < 9  # not the 10 s busy timeout and then an error
    again = cli("sync", "--once", "--data-dir", data)  # free again: it syncs
    assert again.returncode == 0, again.stderr


def test_a_second_sync_of_the_same_shop_is_refused(tmp_path):
    data, db = _demo(tmp_path)
    with sync_lock(db.parent):  # a sync of this shop is running (another command, or the app's)
        run = cli("sync", "--once", "--data-dir", data)
    assert run.returncode == 3
    assert "正在进行另一个同步" in run.stderr
    assert "已同步" not in run.stdout
    assert cli("sync", "--once", "--data-dir", data).returncode == 0  # after it ended
