"""kill -9 during pull and push: a subprocess runs the engine, the parent holds the sandbox."""

from __future__ import annotations

import random
import signal
import time

import pytest

from pdd_desktop.services import shipping
from tests.helpers.db import raw_rows
from tests.helpers.sync_rig import assert_oracle, make_rig, spawn_sync_child
from tests.services.test_sync_push import SHIP, new_number, to_ship


def _one_run(tmp_path, tmp_path_factory, seed: int) -> None:
    rng = random.Random(seed)
    rig = make_rig(tmp_path, tmp_path_factory)
    try:
        shipped = []
        for oid, sn in to_ship(rig, 3):
            shipping.ship_order(order_id=oid, courier_id=115, tracking_number=new_number())
            shipped.append(sn)
        rig.shop.faults.set(latency_s=0.01, clock_offset_s=4 * 3600)  # more windows to pull
        rig.shop.sim.advance(rig.shop.platform_now())
        for _ in range(3):
            p = spawn_sync_child(rig, runs=2)
            time.sleep(rng.uniform(0.05, 0.8))
            p.send_signal(signal.SIGKILL)
            p.wait(timeout=10)
            # after a kill the cursor never passes a window whose pages are not all local
        rig.shop.faults.set(latency_s=0.0)
        p = spawn_sync_child(rig, runs=2)
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0, err[-2000:]
        assert out.splitlines()[-1].startswith("ok"), out
        assert_oracle(rig)
        for sn in shipped:
            assert rig.shop.effects(SHIP, order_sn=sn) == 1, sn
        states = raw_rows(rig.db, "SELECT DISTINCT state FROM outbox")
        assert states == [("succeeded",)], states
        assert raw_rows(rig.db, 'SELECT SUM(pending_ops) FROM "order"') == [(0,)]
    finally:
        rig.close()


@pytest.mark.parametrize("seed", range(3))
def test_kill_during_sync(tmp_path, tmp_path_factory, seed):
    _one_run(tmp_path, tmp_path_factory, seed)


@pytest.mark.soak
@pytest.mark.parametrize("seed", range(100, 150))
def test_kill_during_sync_soak(tmp_path, tmp_path_factory, seed):
    _one_run(tmp_path, tmp_path_factory, seed)
