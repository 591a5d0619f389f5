import itertools
import random

from hypothesis import given
from hypothesis import strategies as st

from pdd_desktop.domain import sync_rules as r
from pdd_desktop.domain.orders import OrderStatus


def test_status_mapping():
    f = r.local_order_status
    assert f(order_status=1, confirm_status=0, refund_status=1, shipped=False) == OrderStatus.UNPAID
    assert f(order_status=1, confirm_status=2, refund_status=1, shipped=False) == OrderStatus.CANCELLED
    assert f(order_status=1, confirm_status=1, refund_status=4, shipped=False) == OrderStatus.CANCELLED
    assert f(order_status=2, confirm_status=1, refund_status=4, shipped=True) == OrderStatus.SHIPPED
    assert f(order_status=3, confirm_status=1, refund_status=1, shipped=True) == OrderStatus.SIGNED
    assert f(order_status=1, confirm_status=1, refund_status=2, shipped=False) == OrderStatus.TO_SHIP


def test_versions():
    assert r.version_decision(10, "a", None, None) == r.APPLY
    assert r.version_decision(9, "a", 10, "b") == r.STALE
    assert r.version_decision(10, "a", 10, "a") == r.SAME
    assert r.version_decision(10, "a", 10, "b") == r.APPLY
    assert r.version_decision(11, "a", 10, "a") == r.APPLY


@given(st.integers(0, 10**6), st.integers(0, 10**5), st.integers(1, 1800))
def test_windows_cover_without_gaps(start, span, size):
    ws = list(r.windows(start, start + span, size))
    if span == 0:
        assert ws == []
        return
    assert ws[0][0] == start and ws[-1][1] == start + span
    for (_a, b), (c, _d) in itertools.pairwise(ws):
        assert b == c
    assert all(0 < b - a <= size for a, b in ws)


def test_pull_start_applies_overlap_once():
    assert r.pull_start(None, 1000, 900) == 100
    assert r.pull_start(5000, 1000, 900) == 4100
    assert r.pull_target(10_000, 180) == 9820


def test_backoff_is_capped_and_non_decreasing():
    caps = [r.backoff_cap(a) for a in range(1, 20)]
    assert caps == sorted(caps) and caps[-1] == 600 and caps[0] == 2
    rng = random.Random(1)
    assert all(0 <= r.backoff_delay(a, rng) <= r.backoff_cap(a) for a in range(1, 30))


def test_memo_and_cas_rules():
    base = {"note": "a", "tag": None}
    assert r.memo_state({"note": "b", "tag": None}, base, "a", None) == "send"
    assert r.memo_state({"note": "b", "tag": None}, base, "b", None) == "present"
    assert r.memo_state({"note": "b", "tag": None}, base, "c", None) == "conflict"
    assert r.memo_state({"note": "b", "tag": 1}, base, "a", 3) == "conflict"
    assert r.cas_state(5, 8, 8) == "send"
    assert r.cas_state(5, 8, 6) == "conflict"
    assert r.cas_state(5, 8, 5) == "present"


def test_reconcile_predicates():
    p = {"tracking_number": "ZT1", "redelivery_type": 1}
    assert r.ship_effect(p, 1, None, "") == "absent"
    assert r.ship_effect(p, 2, 115, "ZT1") == "present"
    assert r.ship_effect(p, 2, 115, "ZT2") == "other"
    assert r.ship_effect({**p, "redelivery_type": 2}, 2, 115, "ZT0") == "absent"
    assert r.extra_effect({"extra_track_list": [{"tracking_number": "X"}]}, {"X", "Y"})
    assert not r.extra_effect({"extra_track_list": []}, {"X"})
    assert r.refund_effect("refund_agree", 4) and not r.refund_effect("refund_agree", 2)
    assert r.order_refund_status_of_case(10) == 4 and r.order_refund_status_of_case(11) == 1
