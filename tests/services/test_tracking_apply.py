"""Applying parcel traces: each event once, scan times from all events, exceptions, signing."""

from __future__ import annotations

import pytest

from pdd_desktop.data.db import write_transaction
from pdd_desktop.platform.records import TraceEventRecord
from pdd_desktop.services.sync.areas import tracking
from tests.helpers.db import one, q
from tests.services import test_logistics as hand_built
from tests.services.test_logistics import DAY, HOUR, NOW, _order, _package


@pytest.fixture
def shop(empty_shop):
    """An empty shop with the couriers, its clock at NOW."""
    return hand_built.shop.__wrapped__(empty_shop)


def _ev(at, kind, text, action="OTHER"):
    return TraceEventRecord(at=at, action=action, kind=kind, location="义乌市", description=text)


def _apply(*traces):
    with write_transaction():
        return tracking.apply_traces(list(traces))


def test_the_same_event_is_written_once_and_times_follow(shop):
    shipped = NOW - 2 * DAY
    p = _package([_order(NOW - 3 * DAY)], shipped, trace_fetched_at=None)
    pickup = _ev(shipped + HOUR, "pickup", "已揽收", "GOT")
    transit = _ev(shipped + 5 * HOUR, "transit", "已发往 金华转运中心", "DEPARTURE")
    counts = _apply(tracking.ParcelTrace(p.id, NOW - HOUR, (pickup, pickup, transit)))
    assert counts.upserted == 1
    assert q("SELECT at, kind FROM tracking_event WHERE package_id = ? ORDER BY at", p.id) == [
        (shipped + HOUR, "pickup"),
        (shipped + 5 * HOUR, "transit"),
    ]
    assert one(
        "SELECT first_scan_at, last_event_at, signed_at, is_exception, trace_fetched_at FROM package "
        "WHERE id = ?",
        p.id,
    ) == (shipped + HOUR, shipped + 5 * HOUR, None, 0, NOW - HOUR)

    refused = _ev(NOW - 30 * 60, "exception", "收件人拒收，快件退回中", "REJECTION")
    counts = _apply(tracking.ParcelTrace(p.id, NOW, (pickup, transit, refused)))
    assert counts.upserted == 1 and q("SELECT COUNT(*) FROM tracking_event")[0][0] == 3
    assert one("SELECT last_event_at, is_exception, trace_fetched_at FROM package WHERE id = ?", p.id) == (
        NOW - 30 * 60,
        1,
        NOW,
    )
    # The same answer again: nothing new, only the fetch time moves.
    counts = _apply(tracking.ParcelTrace(p.id, NOW + 60, (pickup, transit, refused)))
    assert counts.upserted == 0 and counts.same == 1
    assert q("SELECT COUNT(*) FROM tracking_event")[0][0] == 3


def test_a_signed_trace_signs_the_parcel_and_it_is_never_due_again(shop):
    shipped = NOW - 3 * DAY
    p = _package([_order(NOW - 4 * DAY)], shipped, trace_fetched_at=None)
    other = _package([_order(NOW - 4 * DAY)], shipped + 60, trace_fetched_at=None)
    due = tracking.parcels_to_trace(NOW, 10)
    assert [d[0] for d in due] == [other.id, p.id]  # newest first
    signed_at = NOW - 2 * HOUR
    _apply(
        tracking.ParcelTrace(
            p.id,
            NOW,
            (_ev(shipped + HOUR, "pickup", "已揽收"), _ev(signed_at, "signed", "已签收，签收人：本人")),
        )
    )
    assert one("SELECT signed_at, is_exception FROM package WHERE id = ?", p.id) == (signed_at, 0)
    assert [d[0] for d in tracking.parcels_to_trace(NOW + 30 * DAY, 10)] == []  # too old for both
    assert [d[0] for d in tracking.parcels_to_trace(NOW + 3 * HOUR, 10)] == [other.id]


def test_an_empty_answer_counts_as_fetched_without_scans(shop):
    p = _package([_order(NOW - 3 * DAY)], NOW - 30 * HOUR, trace_fetched_at=None)
    _apply(tracking.ParcelTrace(p.id, NOW, ()))
    assert one("SELECT first_scan_at, trace_fetched_at FROM package WHERE id = ?", p.id) == (None, NOW)
    assert [d[0] for d in tracking.parcels_to_trace(NOW + HOUR, 10)] == []  # within the interval
