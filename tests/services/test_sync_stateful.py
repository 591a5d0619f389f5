"""The stateful model of sync (sync.md): local edits, platform changes, sync runs, 5xx faults and
crashes in any order; the database stays sound at every step, and after a quiesce nothing is
lost or duplicated and every local action reached the platform exactly once."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from pdd_desktop.data.db import close_database, open_database
from pdd_desktop.domain.errors import NotAllowed, ValidationError
from pdd_desktop.services import orders as order_service
from pdd_desktop.services import shipping
from tests.helpers.db import raw_rows
from tests.helpers.sync_rig import assert_integrity, assert_oracle, make_rig, quiesce
from tests.services.test_sync_push import new_number


class SyncModel(RuleBasedStateMachine):
    factory = None  # pytest's tmp_path_factory, set by the test

    def __init__(self) -> None:
        super().__init__()
        self.rig = make_rig(self.factory.mktemp("model"), self.factory)
        self.engine = self._engine()
        self.journal: list[tuple[str, str]] = []
        self.memos = 0

    def _engine(self):
        return self.rig.engine(self.rig.client(max_retries=0, timeout_s=2))

    def _remote_to_ship(self) -> set[str]:
        return {
            r[0]
            for r in self.rig.shop.query(
                'SELECT order_sn FROM "order" WHERE status = 1 AND refund_status = 1 '
                "AND risk_control_status = 0"
            )
        }

    # ------------------------------------------------------------------ rules

    @rule(pick=st.integers(0, 10**6))
    def ship(self, pick: int) -> None:
        remote = self._remote_to_ship()
        rows = [
            (oid, sn)
            for oid, sn in raw_rows(
                self.rig.db,
                'SELECT id, order_sn FROM "order" WHERE status = 1 AND refund_status = 1 AND pending_ops = 0 '
                "ORDER BY id",
            )
            if sn in remote
        ]
        if not rows:
            return
        oid, sn = rows[pick % len(rows)]
        try:
            shipping.ship_order(order_id=oid, courier_id=115, tracking_number=new_number())
        except (NotAllowed, ValidationError):
            return
        self.journal.append(("ship_order", sn))

    @rule(pick=st.integers(0, 10**6), flag=st.sampled_from([None, 1, 2, 3]))
    def memo(self, pick: int, flag: int | None) -> None:
        rows = raw_rows(self.rig.db, 'SELECT id, order_sn FROM "order" ORDER BY id DESC LIMIT 50')
        oid, sn = rows[pick % len(rows)]
        self.memos += 1
        order_service.set_seller_memo(order_id=oid, memo=f"模型备注{self.memos}", flag=flag)
        self.journal.append(("set_memo", sn))

    @rule(seconds=st.integers(60, 1800))
    def platform_lives(self, seconds: int) -> None:
        shop = self.rig.shop
        shop.faults.set(clock_offset_s=shop.faults.clock_offset_s + seconds)
        shop.sim.advance(shop.platform_now())
        self.engine.client.offset_s += seconds

    @rule()
    def sync(self) -> None:
        report = self.engine.run_once()
        assert report.outcome in ("ok", "offline", "error", "rate_limited"), report

    @rule(on=st.booleans())
    def toggle_5xx(self, on: bool) -> None:
        self.rig.shop.faults.set(error_rate=0.3 if on else 0.0)

    @rule()
    def crash(self) -> None:
        """Drop the engine and reopen the database (a restart of the app)."""
        self.engine.client.close()
        close_database()
        open_database(self.rig.db)
        self.engine = self._engine()

    # ------------------------------------------------------------------ checks

    @invariant()
    def database_sound(self) -> None:
        assert_integrity(self.rig.db)

    def teardown(self) -> None:
        try:
            quiesce(self.rig, runs=8)
            assert_oracle(self.rig, actions=self.journal)
        finally:
            self.rig.close()


def test_sync_model(tmp_path_factory):
    SyncModel.factory = tmp_path_factory
    run_state_machine_as_test(
        SyncModel,
        settings=settings(
            max_examples=10,
            stateful_step_count=15,
            deadline=None,
            database=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )


@pytest.mark.soak
def test_sync_model_soak(tmp_path_factory):
    SyncModel.factory = tmp_path_factory
    run_state_machine_as_test(
        SyncModel,
        settings=settings(
            max_examples=100,
            stateful_step_count=40,
            deadline=None,
            database=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )
