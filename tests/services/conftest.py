"""Service-test fixtures: the sandbox rig and the sandbox's demo shop opened locally."""

from __future__ import annotations

import shutil

import pytest

from pdd_desktop.common import clock
from pdd_desktop.common.paths import shop_paths
from pdd_desktop.services import shop as shop_service
from tests.helpers.sync_rig import make_rig
from tests.sandbox import NOW0, demo_template


@pytest.fixture
def rig(tmp_path, tmp_path_factory):
    """A sandbox platform and a local shop built from the same demo template (closed afterwards)."""
    r = make_rig(tmp_path, tmp_path_factory)
    yield r
    r.close()


@pytest.fixture
def sandbox_demo_shop(tmp_path, tmp_path_factory):
    """The sandbox's demo shop, opened locally (no platform), with the clock at its start."""
    paths = shop_paths(tmp_path / "data", "sandbox-demo").ensure()
    shutil.copyfile(demo_template(tmp_path_factory), paths.db_file)
    clock.set_clock(lambda: NOW0)
    shop_service.open_shop(paths)
    return paths
