"""Shared fixtures: isolated data folders, a migrated empty shop, a small demo shop, Qt settings."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pdd_desktop.common import clock
from pdd_desktop.common.paths import ShopPaths, shop_paths
from pdd_desktop.data.db import close_database
from pdd_desktop.services import shop as shop_service

#: A fixed "now" for generated shops: 2026-11-23 12:00:00 UTC (20:00 Beijing).
DEMO_NOW = 1_795_435_200
DEMO_ORDERS = 3000
DEMO_SEED = 11


@pytest.fixture(autouse=True)
def _isolate(tmp_path_factory, monkeypatch):
    """No test touches the real user data folder or the real Qt settings."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("PDD_DESKTOP_DATA_DIR", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("HOME", str(home))
    yield
    clock.set_clock(None)
    close_database()


@pytest.fixture
def empty_shop(tmp_path) -> ShopPaths:
    """A migrated shop database with no rows, bound to this thread."""
    paths = shop_paths(tmp_path / "data", "test").ensure()
    shop_service.open_shop(paths)
    return paths


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory) -> Path:
    """A demo shop built once per session; tests get copies."""
    from pdd_desktop.services.demo_shop import build_demo_shop

    path = tmp_path_factory.mktemp("template") / "shop.db"
    build_demo_shop(path, orders=DEMO_ORDERS, seed=DEMO_SEED, now=DEMO_NOW)
    return path


@pytest.fixture
def demo_shop(tmp_path, demo_template) -> ShopPaths:
    """A copy of the demo shop, opened and bound, with the clock at the demo's "now"."""
    paths = shop_paths(tmp_path / "data", "demo").ensure()
    shutil.copyfile(demo_template, paths.db_file)
    clock.set_clock(lambda: DEMO_NOW)
    shop_service.open_shop(paths)
    return paths


@pytest.fixture(scope="session")
def qapp(qapp):
    """pytest-qt's application, with Qt's own texts in Chinese as the app has them."""
    from pdd_desktop.ui.translations import install_qt_translations

    install_qt_translations(qapp)
    return qapp


_exit_status: list[int] = []


def pytest_sessionfinish(session, exitstatus):
    _exit_status.append(int(exitstatus))


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config):
    """Leave without CPython's final garbage collection once pytest has reported everything.

    That last collection deletes leftover PySide6 / pyqtgraph wrappers in an order Qt does not
    expect and can abort the process (``bool_dealloc`` in shiboken) after every test passed,
    turning a green run into exit code 134. The results and the exit status are pytest's own.
    """
    if _exit_status and os.environ.get("PDD_TEST_NORMAL_EXIT") != "1":
        import sys

        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(_exit_status[0])


@pytest.fixture(autouse=True)
def memory_keyring():
    """Secrets go to an in-memory keychain in tests (CI has no OS keychain)."""
    import keyring

    from pdd_desktop.platform.credentials import MemoryKeyring

    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    yield
    keyring.set_keyring(previous)
