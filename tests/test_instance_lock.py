"""One writer per shop folder, across processes, freed by a crash."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from pdd_desktop.common.instance_lock import AlreadyLocked, InstanceLock

HOLDER = """
import sys, time
from pdd_desktop.common.instance_lock import InstanceLock
lock = InstanceLock(sys.argv[1]).acquire()
print("held", flush=True)
time.sleep(60)
"""


def test_second_holder_in_another_process_is_refused_until_the_first_dies(tmp_path):
    lock_path = tmp_path / "shop" / "app.lock"
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(lock_path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout.readline().strip() == "held"
        with pytest.raises(AlreadyLocked) as info:
            InstanceLock(lock_path).acquire()
        assert info.value.pid == proc.pid
        assert "已被另一个" in str(info.value)
    finally:
        os.kill(proc.pid, signal.SIGKILL)  # a crash, not a clean exit
        proc.wait()
    deadline = time.monotonic() + 5
    while True:
        try:
            lock = InstanceLock(lock_path).acquire()
            break
        except AlreadyLocked:
            assert time.monotonic() < deadline
            time.sleep(0.05)
    assert lock.held
    lock.release()


def test_lock_in_the_same_process_is_exclusive_too(tmp_path):
    with InstanceLock(tmp_path / "app.lock"):
        with pytest.raises(AlreadyLocked):
            InstanceLock(tmp_path / "app.lock").acquire()
    with InstanceLock(tmp_path / "app.lock") as again:
        assert again.held
