"""The real app in a subprocess: first paint of the home page, and a second launch."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time

from pdd_desktop.common.paths import shop_paths
from pdd_desktop.sync_process import PinnedClock, SyncBackend, SyncProcess
from tests.helpers.script import Script


def _env(tmp_path, **extra):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path / "config"))
    env.update(extra)
    return env


def _app(data, env, **kw):
    return subprocess.Popen(
        [sys.executable, "-m", "pdd_desktop", "--data-dir", str(data)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **kw,
    )


def test_app_starts_and_paints_the_home_page(tmp_path, demo_template):
    paths = shop_paths(tmp_path / "data").ensure()
    shutil.copyfile(demo_template, paths.db_file)
    proc = _app(paths.data_dir, _env(tmp_path, PDD_DESKTOP_BENCH_STARTUP="1"))
    out, err = proc.communicate(timeout=90)
    assert proc.returncode == 0, err
    assert "home_painted_at=" in out
    log = (paths.log_dir / "app.log").read_text(encoding="utf-8")
    assert "starting on" in log


def test_second_launch_hands_over_to_the_running_window(tmp_path, demo_template):
    paths = shop_paths(tmp_path / "data").ensure()
    shutil.copyfile(demo_template, paths.db_file)
    env = _env(tmp_path)
    first = _app(paths.data_dir, env)
    try:
        # Wait until the first instance holds the shop (its pid is in the lock file).
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            text = paths.lock_file.read_text() if paths.lock_file.exists() else ""
            if text.strip() == str(first.pid):
                break
            assert first.poll() is None, first.stderr.read()
            time.sleep(0.1)
        time.sleep(1.0)  # let it start listening for a second launch
        second = _app(paths.data_dir, env)
        _out, err = second.communicate(timeout=60)
        assert second.returncode == 0
        assert "已在运行" in err
        assert first.poll() is None  # the first window is still there
    finally:
        first.kill()
        first.wait()


def test_shop_held_by_a_command_gives_a_clear_message(tmp_path, qapp, monkeypatch, demo_template):
    """A CLI job holds the shop and no window answers: the GUI says so and exits."""
    from PySide6.QtWidgets import QMessageBox

    from pdd_desktop.app import Application
    from pdd_desktop.common.instance_lock import InstanceLock

    paths = shop_paths(tmp_path / "data").ensure()
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: shown.append(args[1:3]))
    with InstanceLock(paths.lock_file):
        app = Application(qapp, paths)
        assert app.start() == 3
    assert shown and shown[0][0] == "拼多多商家桌面助手已在运行" and "已被另一个" in shown[0][1]
    assert not paths.db_file.exists()


def test_first_start_offers_and_builds_the_demo_shop(tmp_path, qapp, qtbot, monkeypatch):
    """A fresh machine: the app asks, builds the demo shop in the background, then opens it."""

    from pdd_desktop import app as app_module
    from pdd_desktop.services import shop as shop_service

    monkeypatch.setattr(app_module, "FIRST_RUN_DEMO_ORDERS", 1500)
    # The demo platform's clock runs three days ahead, so the small shop (about four orders a
    # day) has had new orders by the first sync; at real speed a test would wait a day.
    ahead = int(time.time()) + 3 * 86400
    monkeypatch.setattr(
        app_module,
        "SyncProcess",
        lambda paths, **kw: SyncProcess(
            paths, backend=SyncBackend(paths, sandbox_clock=PinnedClock(ahead)), **kw
        ),
    )
    asked = []

    def choose_demo() -> None:
        asked.append(app.first_start.welcome.windowTitle())
        app.first_start.welcome.demo_button.click()

    paths = shop_paths(tmp_path / "data").ensure()
    app = app_module.Application(qapp, paths)
    script = Script(
        (lambda: app.first_start is not None and app.first_start.welcome.isVisible(), choose_demo)
    )
    try:
        assert app.start() == -1
        script.done()
        assert asked == ["欢迎使用拼多多商家桌面助手"]
        qtbot.addWidget(app.window)
        assert app.window.isVisible() and app.window.ctx.shop.is_demo
        home = app.window.page("home")
        qtbot.waitUntil(lambda: home.snapshot is not None, timeout=10_000)
        qtbot.waitUntil(lambda: app.window.orders_label.text() == "订单 1,500", timeout=10_000)
        assert shop_service.shop_exists(paths)
        # Sync starts by itself in demo mode, in its own process, and the new orders show up.
        qtbot.waitUntil(lambda: app.window.sync_label.text().startswith("已同步"), timeout=90_000)
        assert app.sync_backend.mode == "demo" and app.sync_backend.pid not in (None, os.getpid())
        qtbot.waitUntil(lambda: app.window.orders_label.text() != "订单 1,500", timeout=10_000)
        assert int(app.window.orders_label.text().split()[1].replace(",", "")) > 1500
    finally:
        app.shutdown()


def test_first_start_declined_leaves_no_files(tmp_path, qapp, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from pdd_desktop.app import Application

    # Closing the choice window asks before quitting; the merchant confirms.
    monkeypatch.setattr(QMessageBox, "question", lambda *args: QMessageBox.StandardButton.Yes)
    paths = shop_paths(tmp_path / "data").ensure()
    app = Application(qapp, paths)
    script = Script(
        (
            lambda: app.first_start is not None and app.first_start.welcome.isVisible(),
            lambda: app.first_start.welcome.close(),
        )
    )
    assert app.start() == 1
    script.done()
    app.shutdown()
    assert not paths.db_file.exists()
