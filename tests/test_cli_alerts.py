"""``pdd-desktop alerts [--json]``: the open alerts, headless, equal to the service's."""

from __future__ import annotations

import json

import pytest

from pdd_desktop.cli import main
from pdd_desktop.common import clock
from pdd_desktop.common.paths import shop_paths
from pdd_desktop.data.db import close_database
from pdd_desktop.services import alerts
from pdd_desktop.services import shop as shop_service
from tests.conftest import DEMO_NOW
from tests.helpers.db import raw_rows


@pytest.fixture
def shop(tmp_path):
    data = tmp_path / "data"
    assert (
        main(["--data-dir", str(data), "demo", "--orders", "800", "--seed", "5", "--now", str(DEMO_NOW)]) == 0
    )
    clock.set_clock(lambda: DEMO_NOW)
    return data


def test_json_lists_the_open_alerts_most_urgent_first(shop, capsys):
    capsys.readouterr()
    assert main(["--data-dir", str(shop), "alerts", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    db = shop_paths(shop, "demo").db_file
    near = raw_rows(
        db,
        'SELECT COUNT(*) FROM "order" WHERE status = 1 AND ship_deadline_at >= ? AND ship_deadline_at < ?',
        (DEMO_NOW, DEMO_NOW + 6 * 3600),
    )[0][0]
    by_key = {a["key"]: a for a in listed}
    assert near and by_key["ship_near"]["count"] == near and by_key["ship_near"]["severity_label"] == "紧急"
    assert [a["severity"] for a in listed] == sorted((a["severity"] for a in listed), reverse=True)
    assert len(by_key["ship_near"]["target_ids"]) == near
    # Same as the service reads; the command line hands nothing out for notification.
    shop_service.open_shop(shop_paths(shop, "demo"))
    try:
        assert [a.key for a in alerts.open_alerts(include_snoozed=True)] == [a["key"] for a in listed]
        assert raw_rows(db, "SELECT COUNT(*) FROM alert WHERE notified_at IS NOT NULL")[0][0] == 0
        assert {r.key for r in alerts.evaluate(DEMO_NOW).notify} >= {"ship_near"}  # the app still will
    finally:
        close_database()


def test_text_output_and_stored_only(shop, capsys):
    capsys.readouterr()
    assert main(["--data-dir", str(shop), "alerts", "--stored"]) == 0
    assert capsys.readouterr().out.strip() == "没有需要处理的提醒。"  # never evaluated yet
    assert main(["--data-dir", str(shop), "alerts"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("[紧急] ") and "单即将超时未发货" in out and out.strip().endswith("条提醒。")


def test_errors_are_one_line(tmp_path, capsys):
    assert main(["--data-dir", str(tmp_path / "none"), "alerts"]) == 2
    err = capsys.readouterr().err
    assert "还没有店铺" in err and len(err.strip().splitlines()) == 1


def test_a_reader_that_goes_away_is_not_an_error(shop, monkeypatch, capsys):
    # ``pdd-desktop alerts | head``: the pipe closes while the list is written.
    import io
    import sys

    class ClosedPipe(io.StringIO):
        def write(self, text: str) -> int:
            raise BrokenPipeError(32, "Broken pipe")

    capsys.readouterr()
    with monkeypatch.context() as m:
        m.setattr(sys, "stdout", ClosedPipe())
        code = main(["--data-dir", str(shop), "alerts"])
    assert code == 0
    assert capsys.readouterr().err == ""
