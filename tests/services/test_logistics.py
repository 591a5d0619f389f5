import itertools
from collections import defaultdict
from datetime import datetime

import pytest

from pdd_desktop.common import clock
from pdd_desktop.common.timefmt import SHANGHAI, local_day_start
from pdd_desktop.data.models import Courier, Order, Package, PackageOrder
from pdd_desktop.domain import catalogue as cat
from pdd_desktop.domain.orders import OrderStatus
from pdd_desktop.services import logistics as svc
from pdd_desktop.services.settings import update_settings
from tests.conftest import DEMO_NOW
from tests.helpers.db import raw_rows

HOUR = 3600
DAY = 86400
ZTO, YTO = 115, 85

FIELDS = (
    "parcels",
    "no_logistics",
    "no_pickup",
    "stalled",
    "orders",
    "timed_orders",
    "ship_seconds",
    "deadline_orders",
    "late_orders",
)


def _day_of(ts: int) -> int:
    """Beijing midnight (UTC epoch) of ts, through zoneinfo, not the SQL offset arithmetic."""
    d = datetime.fromtimestamp(ts, SHANGHAI).replace(hour=0, minute=0, second=0, microsecond=0)
    return int(d.timestamp())


def _oracle(db, start: int, end: int, now: int, no_pickup_h: int = 24, stalled_h: int = 48):
    """Every figure, recomputed in plain Python from raw rows: {(courier, day): {field: value}}."""
    packages = raw_rows(
        db,
        "SELECT id, courier_id, kind, shipped_at, first_scan_at, last_event_at, signed_at, voided_at "
        "FROM package",
    )
    links = raw_rows(db, "SELECT package_id, order_id FROM package_order")
    orders = {
        oid: (gf, dl)
        for oid, gf, dl in raw_rows(db, 'SELECT id, group_formed_at, ship_deadline_at FROM "order"')
    }
    live = {p[0]: p for p in packages if p[7] is None}
    cells: dict = defaultdict(lambda: dict.fromkeys(FIELDS, 0))
    for _pid, courier, kind, shipped, first_scan, last_event, signed, _ in live.values():
        if not start <= shipped < end:
            continue
        c = cells[(courier, _day_of(shipped))]
        if kind == "none":
            c["no_logistics"] += 1
            continue
        c["parcels"] += 1
        if signed is None and first_scan is None and shipped <= now - no_pickup_h * HOUR:
            c["no_pickup"] += 1
        if signed is None and max(last_event or shipped, shipped) <= now - stalled_h * HOUR:
            c["stalled"] += 1
    first_package: dict[int, tuple] = {}
    for pid, oid in links:
        if pid in live:
            key = (live[pid][3], pid)
            if oid not in first_package or key < first_package[oid]:
                first_package[oid] = key
    for oid, (shipped, pid) in first_package.items():
        if not start <= shipped < end:
            continue
        c = cells[(live[pid][1], _day_of(shipped))]
        group_formed, deadline = orders[oid]
        c["orders"] += 1
        if group_formed is not None:
            c["timed_orders"] += 1
            c["ship_seconds"] += shipped - group_formed
        if deadline is not None:
            c["deadline_orders"] += 1
            c["late_orders"] += shipped > deadline
    return cells


def _as_dict(figures: svc.LogisticsFigures) -> dict:
    return {f: getattr(figures, f) for f in FIELDS}


def _total(cells, keep=lambda key: True) -> dict:
    out = dict.fromkeys(FIELDS, 0)
    for key, c in cells.items():
        if keep(key):
            for f in FIELDS:
                out[f] += c[f]
    return out


# --- demo shop against the oracle ---------------------------------------------------------------


@pytest.mark.parametrize("days", [7, 30])
def test_overview_matches_raw_rows(demo_shop, days):
    start, end = local_day_start(DEMO_NOW, days - 1), DEMO_NOW + 1
    ov = svc.logistics_overview(start=start, end=end)
    assert ov.now == DEMO_NOW
    cells = _oracle(demo_shop.db_file, start, end, DEMO_NOW)
    assert _total(cells)["parcels"] > 20, "the demo shop should ship in this period"

    assert _as_dict(ov.totals) == _total(cells)

    by_courier = {r.courier_id: r for r in ov.by_courier}
    assert set(by_courier) == {c for c, _ in cells}
    for cid, row in by_courier.items():
        assert _as_dict(row.figures) == _total(cells, lambda k, cid=cid: k[0] == cid), row.courier_name
    top = ov.by_courier[0]
    assert (
        top.courier_name
        == raw_rows(demo_shop.db_file, "SELECT name FROM courier WHERE id = ?", (top.courier_id,))[0][0]
    )
    assert [r.figures.parcels for r in ov.by_courier] == sorted(
        (r.figures.parcels for r in ov.by_courier), reverse=True
    )

    days_seen = [r.day_start for r in ov.by_day]
    assert days_seen == [local_day_start(DEMO_NOW, back) for back in range(days - 1, -1, -1)]
    for row in ov.by_day:
        assert _as_dict(row.figures) == _total(cells, lambda k, d=row.day_start: k[1] == d)

    # Derived figures.
    t = ov.totals
    assert t.avg_ship_seconds == round(t.ship_seconds / t.timed_orders)
    assert t.late_share == pytest.approx(t.late_orders / t.deadline_orders)


def test_overview_with_other_thresholds(demo_shop):
    update_settings(no_pickup_hours=6, stalled_hours=12)
    start, end = local_day_start(DEMO_NOW, 29), DEMO_NOW + 1
    ov = svc.logistics_overview(start=start, end=end)
    assert (ov.no_pickup_hours, ov.stalled_hours) == (6, 12)
    assert _as_dict(ov.totals) == _total(_oracle(demo_shop.db_file, start, end, DEMO_NOW, 6, 12))


def test_problem_lists_match_the_counts(demo_shop):
    start, end = local_day_start(DEMO_NOW, 29), DEMO_NOW + 1
    ov = svc.logistics_overview(start=start, end=end)
    for kind in svc.PROBLEM_KINDS:
        rows = svc.problem_parcels(kind, start=start, end=end, limit=100_000)
        assert len(rows) == getattr(ov.totals, kind)
        assert len({r.package_id for r in rows}) == len(rows)
    courier = ov.by_courier[0]
    rows = svc.problem_parcels("stalled", courier.courier_id, start=start, end=end, limit=100_000)
    assert len(rows) == courier.figures.stalled
    assert {r.courier_name for r in rows} <= {courier.courier_name}
    assert len(svc.problem_parcels("stalled", start=start, end=end, limit=3)) == min(3, ov.totals.stalled)


def test_problem_rows_are_masked(demo_shop):
    rows = svc.problem_parcels("stalled", limit=50)
    assert rows
    full = {
        (name, phone)
        for name, phone in raw_rows(demo_shop.db_file, 'SELECT receiver_name, receiver_phone FROM "order"')
    }
    for r in rows:
        assert "*" in r.receiver_phone_mask
        assert all(r.receiver_phone_mask != phone and r.receiver_name_mask != name for name, phone in full)
        expected = raw_rows(
            demo_shop.db_file,
            "SELECT o.receiver_name_mask, o.receiver_phone_mask, o.order_sn FROM package_order l "
            'JOIN "order" o ON o.id = l.order_id WHERE l.package_id = ? ORDER BY o.id',
            (r.package_id,),
        )
        assert (r.receiver_name_mask, r.receiver_phone_mask) == expected[0][:2]
        assert r.order_sns == tuple(e[2] for e in expected)
    shipped = [max(r.last_event_at or r.shipped_at, r.shipped_at) for r in rows]
    assert shipped == sorted(shipped)


def test_unknown_problem_kind(demo_shop):
    with pytest.raises(ValueError):
        svc.problem_parcels("lost")  # type: ignore[arg-type]


# --- empty shop ---------------------------------------------------------------------------------


def test_empty_shop(empty_shop):
    now = DEMO_NOW
    ov = svc.logistics_overview(start=local_day_start(now, 6), end=now + 1, now=now)
    assert ov.is_empty
    assert ov.totals == svc.LogisticsFigures()
    assert ov.totals.avg_ship_seconds is None and ov.totals.late_share is None
    assert ov.by_courier == ()
    assert len(ov.by_day) == 7 and all(r.figures == svc.LogisticsFigures() for r in ov.by_day)
    assert svc.problem_parcels("no_pickup", now=now) == []


# --- hand-built cases: exact boundaries ---------------------------------------------------------

NOW = DEMO_NOW
_sn = itertools.count(1)


@pytest.fixture
def shop(empty_shop):
    clock.set_clock(lambda: NOW)
    for c in cat.COURIERS:
        Courier.create(id=c.id, name=c.name, code=c.code, tracking_pattern=c.pattern, sort_order=c.sort_order)
    return empty_shop


def _order(group_formed_at: int | None, deadline_hours: int | None = 48) -> Order:
    n = next(_sn)
    return Order.create(
        order_sn=f"261120-{n:015d}",
        status=int(OrderStatus.SHIPPED),
        group_formed_at=group_formed_at,
        ship_deadline_at=None
        if group_formed_at is None or deadline_hours is None
        else group_formed_at + deadline_hours * HOUR,
        receiver_name="张三丰",
        receiver_name_mask="张**",
        receiver_phone="13812345678",
        receiver_phone_mask="138****5678",
        province="浙江省",
        city="杭州市",
    )


def _package(orders, shipped_at, courier=ZTO, kind="normal", **times) -> Package:
    """A parcel whose trace was fetched at NOW (unless ``trace_fetched_at`` is given)."""
    if kind != "none":
        times.setdefault("trace_fetched_at", NOW)
    p = Package.create(
        courier=None if kind == "none" else courier,
        tracking_number="" if kind == "none" else f"73{shipped_at:012d}",
        kind=kind,
        shipped_at=shipped_at,
        **times,
    )
    for o in orders:
        PackageOrder.create(package=p, order=o)
    return p


def test_late_share_and_ship_time(shop):
    formed = NOW - 3 * DAY
    on_time = _order(formed)  # deadline formed + 48 h
    # Shipped exactly at the deadline: on time.
    _package([on_time], formed + 48 * HOUR, first_scan_at=formed + 49 * HOUR, signed_at=NOW - HOUR)
    late = _order(formed)
    _package(
        [late], formed + 48 * HOUR + 1, courier=YTO, first_scan_at=NOW - 20 * HOUR, last_event_at=NOW - HOUR
    )
    ov = svc.logistics_overview(start=NOW - 7 * DAY, end=NOW + 1)
    t = ov.totals
    assert (t.orders, t.deadline_orders, t.late_orders) == (2, 2, 1)
    assert t.late_share == 0.5
    assert t.ship_seconds == 96 * HOUR + 1
    assert t.avg_ship_seconds == 48 * HOUR + 1  # 48 h + 0.5 s rounds half up
    assert (t.parcels, t.no_pickup, t.stalled) == (2, 0, 0)
    by_name = {r.courier_name: r.figures for r in ov.by_courier}
    assert by_name["中通快递"].late_orders == 0 and by_name["圆通快递"].late_orders == 1


def test_no_pickup_boundary_is_inclusive(shop):
    at = _package([_order(NOW - 3 * DAY)], NOW - 24 * HOUR)  # exactly 24 h, no scan
    _package([_order(NOW - 3 * DAY)], NOW - 24 * HOUR + 1)  # one second short
    _package(
        [_order(NOW - 3 * DAY)], NOW - 30 * HOUR, first_scan_at=NOW - 29 * HOUR, last_event_at=NOW - HOUR
    )
    _package([_order(NOW - 3 * DAY)], NOW - 30 * HOUR, signed_at=NOW - HOUR)  # signed: no risk
    _package([_order(NOW - 3 * DAY)], NOW - 30 * HOUR, kind="none")  # no logistics: never scanned
    ov = svc.logistics_overview(start=NOW - 7 * DAY, end=NOW + 1)
    assert ov.totals.no_pickup == 1
    assert ov.totals.parcels == 4 and ov.totals.no_logistics == 1 and ov.totals.orders == 5
    assert [r.package_id for r in svc.problem_parcels("no_pickup")] == [at.id]
    # One second earlier, nothing is overdue yet.
    assert svc.logistics_overview(start=NOW - 7 * DAY, end=NOW + 1, now=NOW - 1).totals.no_pickup == 0
    assert svc.problem_parcels("no_pickup", now=NOW - 1) == []


def test_stalled_boundary_is_inclusive(shop):
    formed = NOW - 5 * DAY
    a = _package([_order(formed)], NOW - 4 * DAY, first_scan_at=NOW - 4 * DAY, last_event_at=NOW - 48 * HOUR)
    _package([_order(formed)], NOW - 4 * DAY, first_scan_at=NOW - 4 * DAY, last_event_at=NOW - 48 * HOUR + 1)
    b = _package([_order(formed)], NOW - 48 * HOUR)  # no events at all: shipping time counts
    _package([_order(formed)], NOW - 48 * HOUR + 1)
    voided = _package([_order(formed)], NOW - 4 * DAY)
    Package.update(voided_at=NOW - 3 * DAY).where(Package.id == voided.id).execute()
    ov = svc.logistics_overview(start=NOW - 7 * DAY, end=NOW + 1)
    assert ov.totals.stalled == 2
    assert ov.totals.no_pickup == 2  # the two never-scanned parcels (both >= 24 h)
    assert ov.totals.parcels == 4
    assert {r.package_id for r in svc.problem_parcels("stalled")} == {a.id, b.id}
    assert svc.logistics_overview(start=NOW - 7 * DAY, end=NOW + 1, now=NOW - 1).totals.stalled == 0


def test_split_merged_and_voided_orders(shop):
    formed = NOW - 3 * DAY
    split = _order(formed)
    _package([split], NOW - 2 * DAY, first_scan_at=NOW - 2 * DAY)  # first
    _package([split], NOW - DAY, kind="extra", first_scan_at=NOW - DAY)  # second: parcel, not an order
    a, b = _order(formed), _order(formed + HOUR)
    _package([a, b], NOW - 2 * DAY, courier=YTO, first_scan_at=NOW - 2 * DAY)  # merged: two orders
    reshipped = _order(formed)
    old = _package([reshipped], NOW - 2 * DAY - HOUR, first_scan_at=NOW - 2 * DAY)
    Package.update(voided_at=NOW - 2 * DAY).where(Package.id == old.id).execute()
    _package([reshipped], NOW - 2 * DAY + HOUR, first_scan_at=NOW - 2 * DAY + HOUR)
    no_deadline = _order(None)
    _package([no_deadline], NOW - 2 * DAY, first_scan_at=NOW - 2 * DAY)
    ov = svc.logistics_overview(start=NOW - 7 * DAY, end=NOW + 1)
    t = ov.totals
    assert t.parcels == 5
    assert t.orders == 5 and t.timed_orders == 4 and t.deadline_orders == 4
    assert t.ship_seconds == DAY + (DAY + DAY - HOUR) + (DAY + HOUR)
    yto = next(r for r in ov.by_courier if r.courier_id == YTO).figures
    assert (yto.parcels, yto.orders) == (1, 2)
    # A period that starts after the split order's first package: its extra parcel counts,
    # the order does not (its first shipment was earlier).
    later = svc.logistics_overview(start=NOW - DAY - 1, end=NOW + 1)
    assert (later.totals.parcels, later.totals.orders) == (1, 0)


def test_day_boundary_is_beijing_midnight(shop):
    midnight = local_day_start(NOW)  # 2026-11-23 00:00 Beijing
    _package([_order(NOW - 3 * DAY)], midnight - 1, first_scan_at=midnight)
    _package([_order(NOW - 3 * DAY)], midnight, first_scan_at=midnight)
    ov = svc.logistics_overview(start=midnight - DAY, end=midnight + DAY)
    assert [(r.day_start, r.figures.parcels) for r in ov.by_day] == [(midnight - DAY, 1), (midnight, 1)]


def test_no_logistics_row(shop):
    _package([_order(NOW - 3 * DAY)], NOW - DAY, kind="none")
    ov = svc.logistics_overview(start=NOW - 7 * DAY, end=NOW + 1)
    assert not ov.is_empty
    (row,) = ov.by_courier
    assert row.courier_id is None and row.courier_name == "无物流发货"
    assert (row.figures.parcels, row.figures.no_logistics, row.figures.orders) == (0, 1, 1)
