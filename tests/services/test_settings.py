import json

import pytest

from pdd_desktop.data.db import database
from pdd_desktop.domain.errors import ValidationError
from pdd_desktop.services.settings import ShopSettings, load_settings, update_settings


def test_defaults_without_rows(empty_shop):
    assert load_settings() == ShopSettings()
    assert load_settings().late_compensation_fen == 300


def test_update_is_saved_and_audited(empty_shop):
    changes = update_settings(near_deadline_hours=8, fast_ship_enabled=True)
    assert changes.settings and not changes.orders
    s = load_settings()
    assert (s.near_deadline_hours, s.fast_ship_enabled) == (8, True)
    action, detail = database.execute_sql("SELECT action, detail_json FROM audit_log").fetchone()
    assert action == "update_settings" and json.loads(detail) == {
        "near_deadline_hours": 8,
        "fast_ship_enabled": True,
    }


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"near_deadline_hours": 0}, "即将超时提前小时数"),
        ({"near_deadline_hours": "6"}, "应为整数"),
        # A good value beside a bad one is not saved either.
        ({"near_deadline_hours": 10, "late_compensation_fen": 3.5}, "应为整数"),
        ({"near_deadline_hours": 10, "fast_ship_enabled": 1}, "应为开或关"),
        ({"near_deadline_hours": 10, "no_such_setting": 1}, "没有这个设置项"),
    ],
)
def test_bad_values_are_named_and_nothing_is_saved(empty_shop, values, message):
    with pytest.raises(ValidationError, match=message):
        update_settings(**values)
    assert database.execute_sql("SELECT COUNT(*) FROM setting").fetchone()[0] == 0
    assert database.execute_sql("SELECT COUNT(*) FROM audit_log").fetchone()[0] == 0


def test_sync_mode_and_interval_are_validated(empty_shop):
    from pdd_desktop.domain.errors import ValidationError
    from pdd_desktop.services.settings import load_settings, update_settings

    assert load_settings().sync_mode == "auto" and load_settings().sync_interval_minutes == 5
    update_settings(sync_mode="off", sync_interval_minutes=15)
    assert (load_settings().sync_mode, load_settings().sync_interval_minutes) == ("off", 15)
    with pytest.raises(ValidationError, match="同步方式"):
        update_settings(sync_mode="cloud")
    with pytest.raises(ValidationError, match="自动同步间隔"):
        update_settings(sync_interval_minutes=0)
    assert load_settings().sync_mode == "off"
