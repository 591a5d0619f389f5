"""The sandbox's parcel traces: pdd.logistics.ordertrace.get from its tracking_event table, and
parcels that go wrong (never picked up, stalled, refused and returned) with the courier's words."""

from __future__ import annotations

from collections import Counter

from pdd_desktop.platform.records import TRACE_ACTION_KINDS, RecordError, parse_trace
from pdd_desktop.sandbox import sim
from pdd_desktop.sandbox.state import SandboxShop
from tests.sandbox import NOW0, ORDERS, SEED, demo_template

HOUR = 3600
DAY = 86400


def _open(tmp_path, tmp_path_factory, speed: float = 10.0) -> SandboxShop:
    return SandboxShop.open(
        tmp_path / "sb",
        orders=ORDERS,
        seed=SEED,
        now0=NOW0,
        speed=speed,
        template=demo_template(tmp_path_factory),
    )


def test_parcel_problem_shares():
    draws = [i / 1000 for i in range(1000)]
    got = Counter(sim._parcel_problem(d) for d in draws)
    assert got == {"no_pickup": 40, "stalled": 40, "refused": 30, None: 890}


def test_shipped_parcels_go_right_or_wrong_and_the_trace_api_tells(tmp_path, tmp_path_factory):
    shop = _open(tmp_path, tmp_path_factory, speed=50.0)
    try:
        # New orders arrive (fifty times the demo's rate) and form groups for a day.
        t = NOW0 + 24 * HOUR
        shop.clock = lambda: t
        shop.sim.advance(t)
        sns = [
            r[0] for r in shop.query('SELECT order_sn FROM "order" WHERE status = 1 AND refund_status = 1')
        ]
        numbers = {}
        for i, sn in enumerate(sns):
            number = f"YT{9_000_000_000_000 + i}"
            shop.ship(
                order_sn=sn,
                logistics_id=85,
                tracking_number=number,
                redelivery_type=None,
                api_type="pdd.logistics.online.send",
                params={"order_sn": sn},
            )
            numbers[number] = sn
        assert len(numbers) > 30
        shop.clock = lambda: t + 14 * DAY // 10 + DAY
        shop.sim.advance(t + 14 * DAY // 10 + DAY)
        outcomes: Counter = Counter()
        for number in numbers:
            body = {"trace_list": shop.order_trace("YTO", number)}
            events = parse_trace(body)
            kinds = [e.kind for e in events]
            assert [e.at for e in events] == sorted(e.at for e in events)
            if not kinds:
                outcomes["no_pickup"] += 1
            elif "signed" in kinds:
                assert kinds == ["pickup", "transit", "delivering", "signed"]
                outcomes["signed"] += 1
            elif "exception" in kinds:
                assert kinds[:3] == ["pickup", "transit", "delivering"]
                actions = [e.action for e in events if e.kind == "exception"]
                assert actions[0] == "REJECTION" and "拒收" in events[3].description
                assert actions[1:] == ["RETURN"] and "退回" in events[4].description
                outcomes["refused"] += 1
            else:
                assert kinds == ["pickup", "transit"]
                outcomes["stalled"] += 1
        assert outcomes["signed"] > outcomes["stalled"] > 0
        assert outcomes["no_pickup"] + outcomes["refused"] > 0
        # The database agrees: exception parcels are flagged.
        flagged = shop.query(
            "SELECT COUNT(*) FROM package WHERE is_exception = 1 AND tracking_number LIKE 'YT9%'"
        )
        assert flagged[0][0] == outcomes["refused"]
        # Another courier's code, or an unknown number, has no trace.
        some = next(iter(numbers))
        assert shop.order_trace("ZTO", some) == [] and shop.order_trace("YTO", "YT0000") == []
    finally:
        shop.close()


def test_trace_records_map_every_action_and_reject_bad_times():
    body = {
        "trace_list": [
            {
                "status_time": "2026-11-20 10:00:00",
                "action": "SIGN",
                "status_desc": "已签收",
                "node_description": "杭州",
            },
            {"time": "2026-11-19 10:00:00", "action": "IN_ CABINET", "desc": "已入柜"},
            {"status_time": "2026-11-18 10:00:00", "action": "NEW_CODE", "status_desc": "其他"},
        ]
    }
    events = parse_trace(body)
    assert [e.kind for e in events] == ["transit", "delivering", "signed"]
    assert events[1].action == "IN_CABINET" and events[1].description == "已入柜"
    assert set(TRACE_ACTION_KINDS.values()) == {"pickup", "transit", "delivering", "signed", "exception"}
    assert parse_trace({}) == ()
    try:
        parse_trace({"trace_list": [{"action": "GOT"}]})
    except RecordError as exc:
        assert "status_time" in str(exc)
    else:
        raise AssertionError("a trace event without a time must be refused")
