"""The pdd-desktop command: help, demo, backup, info; none of them opens a window."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from pdd_desktop.cli import main
from pdd_desktop.common.instance_lock import InstanceLock
from pdd_desktop.common.paths import shop_paths
from tests.conftest import DEMO_NOW


def test_help_lists_the_subcommands(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    for name in ("demo", "backup", "info", "--data-dir", "--shop"):
        assert name in out


def test_demo_backup_info_round_trip(tmp_path, capsys):
    data = tmp_path / "data"
    assert (
        main(["--data-dir", str(data), "demo", "--orders", "500", "--seed", "3", "--now", str(DEMO_NOW)]) == 0
    )
    paths = shop_paths(data)
    assert paths.db_file.exists()
    # A second demo run refuses to overwrite without --replace.
    assert main(["--data-dir", str(data), "demo", "--orders", "500"]) == 2
    assert "--replace" in capsys.readouterr().err
    assert main(["--data-dir", str(data), "backup"]) == 0
    assert len(list(paths.backup_dir.glob("shop-*.db"))) == 1
    assert main(["--data-dir", str(data), "backup", "--list"]) == 0
    assert main(["--data-dir", str(data), "info"]) == 0
    out = capsys.readouterr().out
    assert "订单：500" in out and "待发货" in out


def test_writing_commands_refuse_a_shop_in_use(tmp_path, capsys):
    data = tmp_path / "data"
    with InstanceLock(shop_paths(data).ensure().lock_file):
        assert main(["--data-dir", str(data), "demo", "--orders", "100"]) == 3
    assert "已被另一个" in capsys.readouterr().err
    assert not shop_paths(data).db_file.exists()


def test_entry_point_runs_headless_subcommand():
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    proc = subprocess.run(
        [sys.executable, "-m", "pdd_desktop", "--help"], capture_output=True, text=True, env=env, timeout=60
    )
    assert proc.returncode == 0 and "demo" in proc.stdout
