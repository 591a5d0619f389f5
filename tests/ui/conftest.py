"""UI fixtures: a main window on a copy of the demo shop, with inline jobs and private QSettings."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings

from pdd_desktop.jobs.events import AppEvents
from pdd_desktop.jobs.runner import ImmediateRunner
from pdd_desktop.services import shop as shop_service
from pdd_desktop.ui.main_window import MainWindow
from pdd_desktop.ui.pages.base import PageContext


@pytest.fixture(autouse=True)
def private_default_qsettings(tmp_path_factory):
    """``QSettings()`` made by pages (hidden columns, printers, fonts) goes to a per-test folder."""
    folder = str(tmp_path_factory.mktemp("qsettings"))
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, folder)
    yield


@pytest.fixture
def qsettings(tmp_path):
    return QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def page_ctx(demo_shop, qapp):
    return PageContext(ImmediateRunner(), AppEvents(), demo_shop, shop_service.describe_shop(demo_shop))


@pytest.fixture
def window(qtbot, page_ctx, qsettings):
    win = MainWindow(page_ctx, qsettings)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win
