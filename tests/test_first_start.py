"""First start, walked as a merchant would: each way to begin reaches a working window.

``Application.start()`` waits in the choice window's event loop; the steps run from that loop
(``tests.helpers.script.Script``), like a user clicking.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.compat import properties
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from pdd_desktop import app as app_module
from pdd_desktop.common.paths import shop_paths
from pdd_desktop.services import shops
from tests.fixtures.exports import make_exports as mx
from tests.helpers.db import raw_rows
from tests.helpers.script import Script


def _click(button) -> None:
    button.click()


def _flow(app):
    return app.first_start


def _welcome_ready(app):
    return lambda: (
        _flow(app) is not None and _flow(app).welcome.isVisible() and _flow(app).welcome.isEnabled()
    )


@pytest.fixture
def fresh(tmp_path, qapp):
    paths = shop_paths(tmp_path / "data").ensure()
    application = app_module.Application(qapp, paths)
    yield application
    if application.lock.held:
        application.shutdown()


@pytest.fixture(autouse=True)
def _no_background_sync(monkeypatch):
    """The window's own sync schedule stays off in these tests (the routes sync themselves)."""
    monkeypatch.setattr(app_module.Application, "_start_sync", lambda self: None)


def test_demo_route_builds_a_small_demo_shop(fresh, qtbot, monkeypatch):
    monkeypatch.setattr(app_module, "FIRST_RUN_DEMO_ORDERS", 600)
    script = Script((_welcome_ready(fresh), lambda: _click(_flow(fresh).welcome.demo_button)))
    assert fresh.start() == -1
    script.done()
    window = fresh.window
    qtbot.addWidget(window)
    assert window.isVisible() and window.ctx.shop.is_demo
    qtbot.waitUntil(lambda: window.orders_label.text() == "订单 600", timeout=10_000)
    # Always marked as simulated: the title, a banner over every page, the status bar.
    assert "演示店铺" in window.windowTitle() and "模拟数据" in window.windowTitle()
    assert window.demo_banner.isVisible() and "演示店铺：数据为模拟数据" in window.demo_banner_label.text()
    assert "（演示）" in window.shop_button.text()
    assert shops.last_shop(fresh.paths.data_dir) == "demo"
    window.grab().save(str(Path(os.environ.get("PDD_SHOT_DIR", "/tmp")) / "demo_window.png"))


def test_closing_the_choice_asks_and_no_keeps_it(fresh, monkeypatch):
    answers = [False, True]
    asked = []
    monkeypatch.setattr(
        app_module.WelcomeDialog, "confirm_quit", lambda self: asked.append(1) or answers.pop(0)
    )
    script = Script(
        (_welcome_ready(fresh), lambda: _flow(fresh).welcome.close()),
        # "No": the choice is still there, and closing asks again.
        (_welcome_ready(fresh), lambda: _flow(fresh).welcome.close()),
    )
    assert fresh.start() == 1
    script.done()
    assert len(asked) == 2
    assert not fresh.paths.db_file.exists() and shops.list_shops(fresh.paths.data_dir) == []


def _export(tmp_path, demo_template) -> Path:
    orders = mx.order_rows(demo_template, "status = 1", limit=6)
    return mx.write(tmp_path / "导出订单.csv", mx.table(orders, "new"), "gb18030")


def test_file_route_creates_a_real_shop_and_imports(fresh, qtbot, tmp_path, demo_template):
    flow = lambda: _flow(fresh)  # noqa: E731

    def type_name_and_cancel() -> None:
        flow().name_dialog.name_edit.setText("小王的女装店")
        _click(flow().name_dialog.cancel_button)

    def type_name_and_ok() -> None:
        flow().name_dialog.name_edit.setText("小王的女装店")
        _click(flow().name_dialog.ok_button)

    name_visible = lambda: flow().name_dialog is not None and flow().name_dialog.isVisible()  # noqa: E731
    script = Script(
        (_welcome_ready(fresh), lambda: _click(flow().welcome.file_button)),
        (name_visible, type_name_and_cancel),
        # Cancel returns to the choice; nothing was created.
        (_welcome_ready(fresh), lambda: _click(flow().welcome.file_button)),
        (lambda: name_visible() and flow().name_dialog.name_edit.text() == "", type_name_and_ok),
    )
    assert fresh.start() == -1
    script.done()
    window = fresh.window
    qtbot.addWidget(window)
    (entry,) = shops.list_shops(fresh.paths.data_dir)
    assert (entry.folder, entry.name, entry.is_demo) == ("小王的女装店", "小王的女装店", False)
    assert (
        fresh.paths.shop == "小王的女装店"
        and not (fresh.paths.data_dir / "shops" / "demo" / "shop.db").exists()
    )
    assert "小王的女装店" in window.windowTitle() and "演示" not in window.windowTitle()
    assert not window.demo_banner.isVisible()
    # The import window is on top; a platform export goes in and the orders show.
    dlg = window.import_dialog
    assert dlg is not None and dlg.isVisible()
    dlg.check_file(str(_export(tmp_path, demo_template)))
    qtbot.waitUntil(lambda: dlg.check is not None and dlg.import_button.isEnabled(), timeout=20_000)
    qtbot.mouseClick(dlg.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.orders_label.text() == "订单 6", timeout=20_000)
    assert raw_rows(entry.db_file, 'SELECT COUNT(*) FROM "order"') == [(6,)]


class FileKeyring(KeyringBackend):
    """A keychain in a JSON file both this process and the sync worker read (tests only)."""

    @properties.classproperty
    def priority(cls) -> float:
        return 0.1

    def _path(self) -> Path:
        return Path(os.environ["PDD_TEST_KEYRING_FILE"])

    def _load(self) -> dict[str, str]:
        try:
            return json.loads(self._path().read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}

    def get_password(self, service: str, username: str) -> str | None:
        return self._load().get(f"{service}\n{username}")

    def set_password(self, service: str, username: str, password: str) -> None:
        store = self._load()
        store[f"{service}\n{username}"] = password
        self._path().write_text(json.dumps(store), encoding="utf-8")

    def delete_password(self, service: str, username: str) -> None:
        store = self._load()
        if store.pop(f"{service}\n{username}", None) is None:
            raise keyring.errors.PasswordDeleteError("not found")
        self._path().write_text(json.dumps(store), encoding="utf-8")


@pytest.fixture
def platform(tmp_path, monkeypatch):
    """A sandbox platform on 127.0.0.1, and a keychain shared with the sync worker process."""
    from pdd_desktop.sandbox.server import SandboxServer
    from pdd_desktop.sandbox.state import SandboxShop

    monkeypatch.setenv("PDD_TEST_KEYRING_FILE", str(tmp_path / "keyring.json"))
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", f"{__name__}.FileKeyring")
    keyring.set_keyring(FileKeyring())
    shop = SandboxShop.open(tmp_path / "platform", orders=300, seed=5, now0=int(time.time()))
    server = SandboxServer(shop, run_sim=False)
    url = server.start()
    yield url, shop.credentials
    server.stop()
    shop.close()


def test_api_route_connects_and_runs_a_first_sync(fresh, qtbot, platform):
    url, creds = platform
    flow = lambda: _flow(fresh)  # noqa: E731
    connect_visible = lambda: flow().connect_dialog is not None and flow().connect_dialog.isVisible()  # noqa: E731

    def fill(secret: str) -> None:
        dlg = flow().connect_dialog
        dlg.name_edit.setText("李记干货")
        dlg.gateway_edit.setText(url)
        dlg.client_id_edit.setText(creds.client_id)
        dlg.client_secret_edit.setText(secret)
        dlg.access_token_edit.setText(creds.access_token)
        _click(dlg.ok_button)

    failed = lambda: connect_visible() and flow().connect_dialog.error_label.isVisible()  # noqa: E731
    seen_error: list[str] = []

    def after_failure() -> None:
        dlg = flow().connect_dialog
        seen_error.append(dlg.error_label.text())
        # The failed attempt left no shop behind.
        assert shops.list_shops(fresh.paths.data_dir) == []
        _click(dlg.cancel_button)

    script = Script(
        (_welcome_ready(fresh), lambda: _click(flow().welcome.api_button)),
        (connect_visible, lambda: fill("wrong-secret")),
        (failed, after_failure),
        # Cancel returned to the choice; now with the right secret.
        (_welcome_ready(fresh), lambda: _click(flow().welcome.api_button)),
        (
            lambda: connect_visible() and not flow().connect_dialog.error_label.isVisible(),
            lambda: fill(creds.client_secret),
        ),
        timeout=120,
    )
    assert fresh.start() == -1
    script.done()
    assert seen_error and seen_error[0]
    window = fresh.window
    qtbot.addWidget(window)
    (entry,) = shops.list_shops(fresh.paths.data_dir)
    assert entry.folder == "李记干货" and not entry.is_demo
    # The first sync brought the platform's recent orders down before the window opened.
    synced = raw_rows(entry.db_file, 'SELECT COUNT(*) FROM "order"')[0][0]
    assert synced > 0
    qtbot.waitUntil(lambda: window.orders_label.text() == f"订单 {synced:,}", timeout=10_000)
    # The credentials went to the keychain under the shop, never into the database.
    assert keyring.get_password("pdd-desktop", "李记干货:client_id") == creds.client_id
    dump = "\n".join(str(r) for r in raw_rows(entry.db_file, "SELECT * FROM setting"))
    assert creds.client_secret not in dump


def test_demo_build_cancelled_returns_to_the_choice(fresh, monkeypatch):
    from pdd_desktop.common.task import Cancelled

    def cancelled(*_a, **_kw):
        raise Cancelled()

    monkeypatch.setattr(app_module.demo_shop, "build_demo_shop", cancelled)
    monkeypatch.setattr(app_module.WelcomeDialog, "confirm_quit", lambda self: True)
    script = Script(
        (_welcome_ready(fresh), lambda: _click(_flow(fresh).welcome.demo_button)),
        (_welcome_ready(fresh), lambda: _flow(fresh).welcome.close()),
    )
    assert fresh.start() == 1
    script.done()
    assert not fresh.paths.db_file.exists()
    assert QApplication.activeModalWidget() is None
