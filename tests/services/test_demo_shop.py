"""The demo-shop generator: deterministic, schema-exact, internally consistent, all or nothing."""

from __future__ import annotations

import gc
import os
import re
import sqlite3
import subprocess
import sys
from collections import defaultdict
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from pdd_desktop.common.task import Cancelled, TaskContext
from pdd_desktop.data.migrations import latest_version, migrate
from pdd_desktop.domain import catalogue as cat
from pdd_desktop.domain.after_sales import TERMINAL_CODES, WAITING_ME_CODES
from pdd_desktop.domain.orders import GroupStatus, OrderStatus, RefundStatus
from pdd_desktop.domain.privacy import mask_address, mask_name, mask_phone
from pdd_desktop.services import demo_shop
from pdd_desktop.services.demo_shop import build_demo_shop

NOW = 1_795_435_200  # 2026-11-23 12:00 UTC, 20:00 in Beijing
ORDERS = 2_000
SEED = 11
HOUR = 3600
BEIJING = timezone(timedelta(hours=8))


def _rows(conn: sqlite3.Connection, sql: str, params: tuple = ()) -> list[tuple]:
    return conn.execute(sql, params).fetchall()


def _dump(path: Path) -> dict[str, list[tuple]]:
    """Every user table's rows ordered by primary key (rowid order is the pk order here)."""
    conn = sqlite3.connect(path)
    try:
        tables = [
            r[0] for r in _rows(conn, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        ]
        out = {}
        for table in tables:
            pk = [r[1] for r in _rows(conn, f'PRAGMA table_info("{table}")') if r[5]]
            order = ", ".join(f'"{c}"' for c in pk) if pk else "rowid"
            out[table] = _rows(conn, f'SELECT * FROM "{table}" ORDER BY {order}')
        return out
    finally:
        conn.close()


def _schema(path: Path) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return _rows(
            conn,
            "SELECT type, name, tbl_name, sql FROM sqlite_master "
            "WHERE type IN ('table', 'index') AND name NOT LIKE 'sqlite_%' ORDER BY type, name",
        )
    finally:
        conn.close()


@pytest.fixture(scope="module")
def shop(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "shop.db"
    build_demo_shop(path, orders=ORDERS, seed=SEED, now=NOW)
    return path


@pytest.fixture(scope="module")
def db(shop):
    conn = sqlite3.connect(shop)
    yield conn
    conn.close()


# --------------------------------------------------------------------------------------------
# File, schema, determinism
# --------------------------------------------------------------------------------------------


def test_same_inputs_give_identical_tables(shop, tmp_path):
    again = tmp_path / "again.db"
    summary = build_demo_shop(again, orders=ORDERS, seed=SEED, now=NOW)
    assert summary.orders == ORDERS
    assert _dump(again) == _dump(shop)


def test_string_hashing_does_not_change_the_shop(tmp_path):
    """Builds in processes with different PYTHONHASHSEED give the same tables."""
    code = (
        "import sys; from pathlib import Path; from pdd_desktop.services.demo_shop import build_demo_shop; "
        f"build_demo_shop(Path(sys.argv[1]), orders=400, seed=5, now={NOW})"
    )
    paths = []
    for hash_seed in ("1", "4242"):
        path = tmp_path / f"hash{hash_seed}.db"
        root = str(Path(__file__).resolve().parents[2])
        env = dict(os.environ, PYTHONHASHSEED=hash_seed)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH", "")) if p)
        subprocess.run([sys.executable, "-c", code, str(path)], check=True, env=env, timeout=60)
        paths.append(path)
    assert _dump(paths[0]) == _dump(paths[1])


def test_another_seed_gives_another_shop(shop, tmp_path):
    other = tmp_path / "other.db"
    build_demo_shop(other, orders=ORDERS, seed=SEED + 1, now=NOW)
    a, b = _dump(shop), _dump(other)
    assert a["order"] != b["order"]
    assert len(b["order"]) == ORDERS


def test_schema_is_exactly_what_migrate_writes(shop, tmp_path):
    fresh = tmp_path / "fresh.db"
    migrate(fresh)
    assert _schema(shop) == _schema(fresh)
    conn = sqlite3.connect(shop)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == latest_version()
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        assert conn.execute("SELECT COUNT(*) FROM sqlite_stat1").fetchone()[0] > 0  # ANALYZE ran
    finally:
        conn.close()


def test_nothing_is_left_beside_the_file(shop):
    leftovers = sorted(p.name for p in shop.parent.iterdir() if p.name != shop.name)
    assert leftovers == []


def test_replaces_an_existing_file_and_its_stale_wal(tmp_path):
    path = tmp_path / "shop.db"
    path.write_bytes(b"old shop")
    Path(str(path) + "-wal").write_bytes(b"stale")
    Path(str(path) + "-shm").write_bytes(b"stale")
    summary = build_demo_shop(path, orders=50, seed=1, now=NOW)
    assert summary.orders == 50
    assert not Path(str(path) + "-wal").exists()
    assert not Path(str(path) + "-shm").exists()
    conn = sqlite3.connect(path)
    assert conn.execute('SELECT COUNT(*) FROM "order"').fetchone()[0] == 50
    conn.close()


def test_summary_counts_match_the_tables(tmp_path):
    path = tmp_path / "shop.db"
    s = build_demo_shop(path, orders=500, seed=3, now=NOW)
    conn = sqlite3.connect(path)
    count = {t: conn.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in (
        "order", "order_item", "goods", "sku", "package", "tracking_event", "after_sale", "after_sale_event",
        "stock_movement", "message", "waybill_number",
    )}  # fmt: skip
    buyers = conn.execute('SELECT COUNT(DISTINCT buyer_key) FROM "order"').fetchone()[0]
    conn.close()
    assert (s.orders, s.order_items, s.goods, s.skus, s.packages) == (
        count["order"],
        count["order_item"],
        count["goods"],
        count["sku"],
        count["package"],
    )
    assert (s.tracking_events, s.after_sales, s.after_sale_events, s.stock_movements) == (
        count["tracking_event"],
        count["after_sale"],
        count["after_sale_event"],
        count["stock_movement"],
    )
    assert (s.messages, s.waybill_numbers, s.buyers) == (count["message"], count["waybill_number"], buyers)
    assert s.db_bytes == path.stat().st_size
    assert s.elapsed_s >= 0


@pytest.mark.parametrize("orders", [1, 7, 120])
def test_tiny_shops_build(tmp_path, orders):
    summary = build_demo_shop(tmp_path / "tiny.db", orders=orders, seed=5, now=NOW)
    assert summary.orders == orders


def test_rejects_a_shop_without_orders(tmp_path):
    with pytest.raises(ValueError):
        build_demo_shop(tmp_path / "none.db", orders=0, seed=1, now=NOW)


# --------------------------------------------------------------------------------------------
# All or nothing
# --------------------------------------------------------------------------------------------


class _CancelAfterFirstBatch(TaskContext):
    """Presses Cancel as soon as the first batch of orders is reported."""

    def __init__(self) -> None:
        super().__init__()
        self.labels: list[str] = []

    def report(self, done: int, total: int | None = None, label: str | None = None) -> None:
        super().report(done, total, label)
        self.labels.append(label or "")
        if label == "生成订单" and done > 0:
            self.cancel()


def _small_batches(monkeypatch):
    monkeypatch.setattr(demo_shop.constants, "CHUNK", 500)


def test_cancel_leaves_no_file(tmp_path, monkeypatch):
    _small_batches(monkeypatch)
    path = tmp_path / "shop.db"
    task = _CancelAfterFirstBatch()
    with pytest.raises(Cancelled):
        build_demo_shop(path, orders=3_000, seed=1, now=NOW, task=task)
    assert "生成订单" in task.labels
    assert list(tmp_path.iterdir()) == []


def test_cancel_keeps_the_existing_shop_untouched(tmp_path, monkeypatch):
    _small_batches(monkeypatch)
    path = tmp_path / "shop.db"
    build_demo_shop(path, orders=100, seed=1, now=NOW)
    before = path.read_bytes()
    with pytest.raises(Cancelled):
        build_demo_shop(path, orders=3_000, seed=2, now=NOW, task=_CancelAfterFirstBatch())
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["shop.db"]


def test_an_error_midway_keeps_the_existing_shop(tmp_path, monkeypatch):
    path = tmp_path / "shop.db"
    path.write_bytes(b"precious")

    def boom(self):
        raise RuntimeError("disk full")

    monkeypatch.setattr(demo_shop.builder._Builder, "_write_messages", boom)
    with pytest.raises(RuntimeError, match="disk full"):
        build_demo_shop(path, orders=200, seed=1, now=NOW)
    assert path.read_bytes() == b"precious"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["shop.db"]
    assert gc.isenabled()


def test_progress_reaches_the_end(tmp_path):
    task = TaskContext()
    build_demo_shop(tmp_path / "shop.db", orders=300, seed=1, now=NOW, task=task)
    progress = task.snapshot()
    assert progress.total > 0 and progress.done == progress.total


# --------------------------------------------------------------------------------------------
# Orders
# --------------------------------------------------------------------------------------------


def test_money_adds_up_on_every_order(db):
    items = defaultdict(lambda: [0, 0])
    for order_id, qty, price in _rows(db, "SELECT order_id, quantity, unit_price_fen FROM order_item"):
        items[order_id][0] += qty * price
        items[order_id][1] += qty
    rows = _rows(
        db,
        "SELECT id, goods_amount_fen, platform_discount_fen, seller_discount_fen, postage_fen, "
        'pay_amount_fen, merchant_receive_fen, item_count, change_amount_fen, pay_reduction_fen FROM "order"',
    )
    assert len(rows) == ORDERS
    for oid, goods, platform, seller, postage, pay, receive, count, change, reduction in rows:
        assert goods == items[oid][0] > 0
        assert count == items[oid][1] >= 1
        assert pay == goods - platform - seller + postage > 0
        assert receive == pay + platform
        assert change == reduction == 0
        assert platform >= 0 and seller >= 0 and postage >= 0
    assert any(r[2] for r in rows) and any(r[3] for r in rows) and any(r[4] for r in rows)


def test_items_are_trade_snapshots_of_real_skus(db):
    skus = {
        r[0]: r[1:]
        for r in _rows(db, "SELECT sku_id, goods_id, outer_id, single_price_fen, group_price_fen FROM sku")
    }
    lines = _rows(db, "SELECT sku_id, goods_id, outer_id, unit_price_fen, quantity FROM order_item")
    for sku_id, goods_id, outer_id, price, qty in lines:
        goods, code, single, group = skus[sku_id]
        assert (goods_id, outer_id) == (goods, code)
        assert price in (single, group)
        assert 1 <= qty <= 5
    per_order = _rows(db, "SELECT COUNT(*) FROM order_item GROUP BY order_id")
    share_single = sum(1 for (n,) in per_order if n == 1) / len(per_order)
    assert 0.75 < share_single < 0.97
    assert max(n for (n,) in per_order) <= 3
    # Hot items: the best-selling goods sells far more than the median one.
    sold = sorted(n for (n,) in _rows(db, "SELECT SUM(quantity) FROM order_item GROUP BY goods_id"))
    assert sold[-1] > 10 * sold[len(sold) // 2]


def test_order_numbers_are_unique_and_dated_in_beijing_time(db):
    rows = _rows(db, 'SELECT order_sn, created_at FROM "order"')
    assert len({sn for sn, _ in rows}) == len(rows)
    for sn, created in rows:
        assert re.fullmatch(r"\d{6}-\d{15}", sn)
        assert sn[:6] == datetime.fromtimestamp(created, BEIJING).strftime("%y%m%d")


def test_orders_span_a_year_with_a_daily_rhythm(db):
    first, last = db.execute('SELECT MIN(created_at), MAX(created_at) FROM "order"').fetchone()
    assert last <= NOW and NOW - first <= 366 * 86400 and NOW - first > 360 * 86400
    by_hour = dict(
        _rows(db, 'SELECT ((created_at + 28800) % 86400) / 3600, COUNT(*) FROM "order" GROUP BY 1')
    )
    night = sum(by_hour.get(h, 0) for h in range(2, 7))
    evening = sum(by_hour.get(h, 0) for h in range(20, 23))
    assert evening > 4 * night
    # Growth: the last quarter of the year sells more than the first.
    q = 91 * 86400
    early = db.execute(
        'SELECT COUNT(*) FROM "order" WHERE created_at < ?', (NOW - 365 * 86400 + q,)
    ).fetchone()[0]
    late = db.execute('SELECT COUNT(*) FROM "order" WHERE created_at >= ?', (NOW - q,)).fetchone()[0]
    assert late > early


def test_receivers_are_masked_with_the_privacy_rules(db):
    rows = _rows(
        db,
        "SELECT receiver_name, receiver_phone, address_detail, receiver_name_mask, receiver_phone_mask, "
        'address_mask, province, city, district, buyer_key FROM "order"',
    )
    provinces = {p[0]: {c: set(d) for c, d in p[2]} for p in cat.PROVINCES}
    for name, phone, detail, name_m, phone_m, addr_m, prov, city, dist, key in rows:
        assert re.fullmatch(r"1[3-9]\d{9}", phone)
        assert (name_m, phone_m, addr_m) == (mask_name(name), mask_phone(phone), mask_address(detail))
        assert dist in provinces[prov][city]
        assert re.fullmatch(r"b[0-9a-f]{10}", key)


def test_repeat_buyers_exist_with_stable_identity(db):
    per_buyer = _rows(db, 'SELECT buyer_key, COUNT(*), COUNT(DISTINCT buyer_nickname), '
                          'COUNT(DISTINCT receiver_phone) FROM "order" GROUP BY buyer_key')  # fmt: skip
    repeat = [r for r in per_buyer if r[1] > 1]
    assert 0.2 < len(repeat) / len(per_buyer) < 0.45
    assert all(r[2] == 1 and r[3] == 1 for r in per_buyer)


def test_statuses_follow_the_timestamps(db):
    rows = _rows(
        db,
        "SELECT id, status, confirm_status, group_status, created_at, paid_at, confirmed_at, "
        "group_formed_at, ship_deadline_at, shipped_at, signed_at, cancelled_at, print_count, "
        'last_printed_at, platform_updated_at, local_updated_at FROM "order"',
    )
    linked = {oid for (oid,) in _rows(db, "SELECT DISTINCT order_id FROM package_order")}
    statuses = defaultdict(int)
    for (oid, status, confirm, group, created, paid, confirmed, formed, deadline, shipped, signed, cancelled,
         printed, printed_at, updated, local) in rows:  # fmt: skip
        statuses[status] += 1
        times = [t for t in (created, paid, formed, shipped, signed, cancelled) if t is not None]
        assert all(t <= NOW for t in times)
        assert updated == local == max(updated, *times) and updated <= NOW
        assert confirmed == formed
        if paid is not None:
            assert created <= paid
        if formed is not None:
            assert paid <= formed and deadline is not None
            assert deadline - formed in (24 * HOUR, 48 * HOUR, 72 * HOUR)
        if status == OrderStatus.UNPAID:
            assert paid is None and group == GroupStatus.FORMING and confirm == 0
            assert created >= NOW - HOUR
        elif status == OrderStatus.TO_SHIP:
            assert group == GroupStatus.FORMED and confirm == 1
            assert shipped is None and signed is None and cancelled is None and deadline is not None
            assert oid not in linked
        elif status in (OrderStatus.SHIPPED, OrderStatus.SIGNED):
            assert group == GroupStatus.FORMED and formed < shipped and oid in linked
            assert printed > 0 and formed <= printed_at <= shipped
            assert (signed is not None) == (status == OrderStatus.SIGNED)
            if signed is not None:
                assert signed > shipped
        else:
            assert status == OrderStatus.CANCELLED and cancelled is not None and shipped is None
            assert oid not in linked
            assert group == GroupStatus.FAILED or paid is not None
    assert statuses[OrderStatus.SIGNED] > statuses[OrderStatus.SHIPPED] > statuses[OrderStatus.TO_SHIP] > 0
    assert 0.01 < statuses[OrderStatus.CANCELLED] / ORDERS < 0.06


def test_to_ship_includes_near_deadline_and_overdue_orders(db):
    def count(lo, hi):
        return db.execute(
            'SELECT COUNT(*) FROM "order" WHERE status = ? '
            "AND ship_deadline_at >= ? AND ship_deadline_at < ?",
            (int(OrderStatus.TO_SHIP), lo, hi),
        ).fetchone()[0]

    near = count(NOW, NOW + 6 * HOUR)
    overdue = count(0, NOW)
    comfortable = count(NOW + 6 * HOUR, NOW + 100 * HOUR)
    assert near >= 1 and overdue >= 1
    assert comfortable > near
    oldest = db.execute('SELECT MIN(group_formed_at) FROM "order" WHERE status = 1').fetchone()[0]
    assert NOW - oldest < 4 * 86400


def test_late_shipments_are_rare(db):
    shipped, late = db.execute(
        'SELECT COUNT(*), SUM(shipped_at > ship_deadline_at) FROM "order" WHERE shipped_at IS NOT NULL'
    ).fetchone()
    assert 0 < late / shipped < 0.07


def test_memos_flags_and_printing(db):
    total = ORDERS
    buyer_memo, seller_memo, flagged, bad_flag = db.execute(
        "SELECT SUM(buyer_memo != ''), SUM(seller_memo != ''), SUM(flag IS NOT NULL), "
        "SUM(flag IS NOT NULL AND (flag NOT BETWEEN 1 AND 5 OR flag_name = '')) FROM \"order\""
    ).fetchone()
    assert 0.02 < buyer_memo / total < 0.09
    assert 0.01 < seller_memo / total < 0.06 and flagged == seller_memo and bad_flag == 0
    printed_to_ship = db.execute(
        'SELECT COUNT(*) FROM "order" WHERE status = 1 AND print_count > 0'
    ).fetchone()[0]
    assert printed_to_ship >= 0
    assert db.execute("SELECT COUNT(*) FROM \"order\" WHERE source != 'demo'").fetchone()[0] == 0


# --------------------------------------------------------------------------------------------
# Parcels and tracking
# --------------------------------------------------------------------------------------------


def test_tracking_numbers_are_unique_and_match_their_courier(db):
    patterns = dict(_rows(db, "SELECT id, tracking_pattern FROM courier"))
    assert set(patterns) == {c.id for c in cat.COURIERS}
    numbers = _rows(db, "SELECT courier_id, tracking_number FROM package")
    numbers += _rows(
        db,
        "SELECT a.courier_id, n.tracking_number FROM waybill_number n "
        "JOIN waybill_account a ON a.id = n.account_id",
    )
    by_name = {c.name: c.id for c in cat.COURIERS}
    returns = _rows(
        db,
        "SELECT return_shipping_name, return_tracking_number FROM after_sale "
        "WHERE return_tracking_number != ''",
    )
    numbers += [(by_name[name], no) for name, no in returns]
    assert len({no for _, no in numbers}) == len(numbers)
    for courier_id, number in numbers:
        assert patterns[courier_id] and re.fullmatch(patterns[courier_id], number), (courier_id, number)


def test_every_shipped_order_travels_in_a_parcel(db):
    rows = _rows(
        db,
        'SELECT o.id, o.shipped_at, o.signed_at, p.shipped_at, p.signed_at, p.kind FROM "order" o '
        "JOIN package_order po ON po.order_id = o.id JOIN package p ON p.id = po.package_id",
    )
    for _oid, o_ship, o_sign, p_ship, p_sign, kind in rows:
        if kind == "normal":
            assert o_ship == p_ship and o_sign == p_sign
        else:
            assert p_ship >= o_ship
    kinds = dict(_rows(db, "SELECT kind, COUNT(*) FROM package GROUP BY kind"))
    assert kinds["normal"] > 0.9 * sum(kinds.values())
    merged = _rows(db, "SELECT package_id FROM package_order GROUP BY package_id HAVING COUNT(*) > 1")
    assert merged, "expected a merged parcel"
    for (pid,) in merged:
        owners = _rows(
            db,
            'SELECT DISTINCT buyer_key, receiver_phone, address_detail FROM "order" o '
            "JOIN package_order po ON po.order_id = o.id WHERE po.package_id = ?",
            (pid,),
        )
        assert len(owners) == 1


def test_tracking_events_are_recent_ordered_and_consistent(db):
    events = defaultdict(list)
    for pid, at, kind in _rows(db, "SELECT package_id, at, kind FROM tracking_event ORDER BY id"):
        events[pid].append((at, kind))
    packages = {r[0]: r[1:] for r in _rows(
        db, "SELECT id, shipped_at, first_scan_at, last_event_at, signed_at, is_exception FROM package"
    )}  # fmt: skip
    assert events
    for pid, evs in events.items():
        shipped, first, last, signed, exception = packages[pid]
        assert shipped >= NOW - 61 * 86400
        times = [t for t, _ in evs]
        assert times == sorted(times) and times[-1] <= NOW
        assert evs[0] == (first, "pickup") and times[-1] == last
        assert (evs[-1][1] == "signed") == (signed is not None)
        assert (evs[-1][1] == "exception") == bool(exception)
    for shipped, first, last, signed, _exc in packages.values():
        if shipped < NOW - 61 * 86400:
            assert first is not None and last == signed is not None


def test_logistics_problems_are_few_but_present(db):
    no_pickup, stalled, exceptions, live = db.execute(
        "SELECT SUM(first_scan_at IS NULL AND shipped_at < ?), "
        "SUM(first_scan_at IS NOT NULL AND last_event_at < ?), SUM(is_exception), COUNT(*) "
        "FROM package WHERE signed_at IS NULL AND voided_at IS NULL",
        (NOW - 24 * HOUR, NOW - 48 * HOUR),
    ).fetchone()
    assert no_pickup >= 1 and stalled >= 1 and exceptions >= 1
    assert no_pickup + stalled + exceptions < live


def test_couriers_and_waybill_pools(db):
    assert db.execute("SELECT COUNT(*) FROM courier WHERE available = 1").fetchone()[0] == len(cat.COURIERS)
    accounts = _rows(db, "SELECT id, quantity, is_default FROM waybill_account")
    assert 2 <= len(accounts) <= 3 and sum(a[2] for a in accounts) == 1
    for account_id, quantity, _default in accounts:
        free = db.execute(
            "SELECT COUNT(*) FROM waybill_number WHERE account_id = ? AND state = 'free'", (account_id,)
        ).fetchone()[0]
        assert free == quantity == demo_shop.WAYBILL_POOL
    busiest = _rows(db, "SELECT courier_id FROM package GROUP BY courier_id ORDER BY COUNT(*) DESC LIMIT 1")
    assert busiest == [(115,)]  # 中通


# --------------------------------------------------------------------------------------------
# After-sales
# --------------------------------------------------------------------------------------------


def test_after_sales_are_consistent_with_their_orders(db):
    cases = _rows(
        db,
        "SELECT a.id, a.type, a.status, a.refund_amount_fen, a.created_at, a.expire_at, a.closed_at, "
        "a.platform_updated_at, o.pay_amount_fen, o.refund_status, o.after_sales_status, o.status, "
        'o.paid_at, a.sku_id FROM after_sale a JOIN "order" o ON o.id = a.order_id',
    )
    paid = db.execute('SELECT COUNT(*) FROM "order" WHERE paid_at IS NOT NULL').fetchone()[0]
    assert 0.03 < len(cases) / paid < 0.07
    assert len({c[0] for c in cases}) == len(cases)
    expected_refund_status = {10: RefundStatus.REFUNDED, 4: RefundStatus.REFUNDING, 5: RefundStatus.REFUNDING}
    types = defaultdict(int)
    for (_id, typ, status, refund, created, expire, closed, updated, pay, order_refund, order_as,
         order_status, order_paid, sku_id) in cases:  # fmt: skip
        types[typ] += 1
        assert order_as == status and order_paid <= created <= updated <= NOW
        assert 0 <= refund <= pay
        if typ in (1, 2):
            assert refund > 0
        assert (closed is not None) == (status in TERMINAL_CODES)
        assert (expire is not None) == (status in WAITING_ME_CODES)
        if expire is not None:
            assert expire == created + 48 * HOUR and expire > NOW
        if status in expected_refund_status:
            assert order_refund == expected_refund_status[status]
        elif status in TERMINAL_CODES:
            assert order_refund == RefundStatus.NONE
        else:
            assert order_refund == RefundStatus.IN_PROGRESS
        if order_status == OrderStatus.CANCELLED:
            assert status == 10 and typ == 1
        assert sku_id is not None
    assert types[1] > types[2] > 0


def test_some_cases_wait_for_me_with_a_deadline_soon(db):
    soon = db.execute(
        "SELECT COUNT(*) FROM after_sale WHERE expire_at BETWEEN ? AND ?", (NOW, NOW + 12 * HOUR)
    ).fetchone()[0]
    assert soon >= 1


def test_case_events_tell_the_story(db):
    per_case = defaultdict(list)
    for case_id, at, actor, status_after in _rows(
        db, "SELECT after_sale_id, at, actor, status_after FROM after_sale_event ORDER BY id"
    ):
        per_case[case_id].append((at, actor, status_after))
    cases = dict(_rows(db, "SELECT id, status FROM after_sale"))
    created = dict(_rows(db, "SELECT id, created_at FROM after_sale"))
    assert set(per_case) == set(cases)
    for case_id, evs in per_case.items():
        assert 2 <= len(evs) <= 4
        assert evs[0][0] == created[case_id] and evs[0][1] == "buyer"
        assert evs[-1][2] == cases[case_id]
        assert [e[0] for e in evs] == sorted(e[0] for e in evs)


def test_refunded_before_shipping_becomes_cancelled(db):
    rows = _rows(
        db,
        'SELECT o.status, o.refund_status, o.cancelled_at, a.closed_at FROM "order" o '
        "JOIN after_sale a ON a.order_id = o.id WHERE o.group_status = 1 AND o.status = 4",
    )
    assert rows
    for _status, refund_status, cancelled, closed in rows:
        assert refund_status == RefundStatus.REFUNDED and cancelled == closed


# --------------------------------------------------------------------------------------------
# Goods and stock
# --------------------------------------------------------------------------------------------


def test_goods_and_skus_look_like_a_small_shop(db):
    goods = _rows(db, "SELECT goods_id, is_onsale, promise_hours FROM goods")
    assert 180 <= len(goods) <= 230
    assert 0 < sum(1 for g in goods if not g[1]) < len(goods) // 5
    per_goods = _rows(db, "SELECT COUNT(*) FROM sku GROUP BY goods_id")
    assert len(per_goods) == len(goods) and all(1 <= n <= 12 for (n,) in per_goods)
    skus = _rows(
        db,
        "SELECT outer_id, single_price_fen, group_price_fen, cost_price_fen, stock, low_stock_threshold "
        "FROM sku",
    )
    assert len({s[0] for s in skus}) == len(skus)
    for outer_id, single, group, cost, stock, _threshold in skus:
        assert re.fullmatch(r"[A-Z]{2}-\d{4}(-[0-9A-Z]+)*", outer_id)
        assert single > group > cost >= group * 40 // 100 and cost <= group * 70 // 100
        assert stock >= 0
    low = sum(1 for s in skus if s[4] <= s[5])
    assert 0 < low < len(skus) // 3


def test_stock_log_runs_to_the_stock_on_hand(db):
    stock = dict(_rows(db, "SELECT sku_id, stock FROM sku"))
    running: dict[int, int] = {}
    kinds = defaultdict(int)
    last_at: dict[int, int] = {}
    for sku_id, at, delta, after, kind in _rows(
        db, "SELECT sku_id, at, delta, stock_after, kind FROM stock_movement ORDER BY id"
    ):
        kinds[kind] += 1
        assert running.get(sku_id, 0) + delta == after >= 0
        assert at >= last_at.get(sku_id, 0)
        running[sku_id] = after
        last_at[sku_id] = at
    assert running == stock
    assert kinds["import"] == len(stock) and kinds["sale"] > 0 and kinds["return"] >= 0
    sales = db.execute(
        'SELECT COUNT(*) FROM stock_movement m JOIN "order" o ON o.id = m.order_id '
        "WHERE m.kind = 'sale' AND m.at != o.shipped_at"
    ).fetchone()[0]
    assert sales == 0


# --------------------------------------------------------------------------------------------
# Messages and empty tables
# --------------------------------------------------------------------------------------------


def test_messages(db):
    rows = _rows(db, "SELECT category, created_at, read_at, is_important, is_pinned FROM message")
    assert len(rows) == 150
    assert {r[0] for r in rows} == set(range(1, 8))
    unread = sum(1 for r in rows if r[2] is None)
    assert 15 <= unread <= 25
    assert all(NOW - 90 * 86400 <= r[1] <= NOW for r in rows)
    assert all(r[2] is None or r[1] <= r[2] <= NOW for r in rows)
    assert any(r[3] for r in rows) and 1 <= sum(r[4] for r in rows) <= 3


def test_shop_and_empty_tables(db):
    shop = _rows(db, "SELECT name, is_demo FROM shop")
    assert len(shop) == 1 and shop[0][1] == 1 and shop[0][0] in cat.SHOP_NAMES
    assert db.execute("SELECT COUNT(*) FROM address WHERE is_sender = 1").fetchone()[0] >= 1
    assert db.execute("SELECT COUNT(*) FROM address WHERE is_return = 1").fetchone()[0] >= 1
    # The only setting is where the data came from (the sandbox rebuilds it from that).
    assert _rows(db, "SELECT key FROM setting") == [("demo_origin",)]
    empty = (
        "sync_stream",
        "outbox",
        "sync_conflict",
        "sync_run",
        "import_batch",
        "print_job",
        "audit_log",
    )
    for table in empty:
        assert db.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0] == 0, table


# --------------------------------------------------------------------------------------------
# Catalogue
# --------------------------------------------------------------------------------------------


def test_catalogue_templates_are_well_formed():
    categories = {name for name, _ in cat.CATEGORIES}
    for tpl in cat.GOODS:
        assert tpl.category in categories and 1 <= tpl.sku_count <= 12
        assert tpl.price_fen[0] < tpl.price_fen[1] and tpl.weight_g > 0 and tpl.promise_hours in (24, 48, 72)
        variants = cat.sku_variants(tpl)
        assert len(variants) == tpl.sku_count
        assert len({v[2] for v in variants}) == len(variants)
    assert len({t.name for t in cat.GOODS}) == len(cat.GOODS)


def test_catalogue_tracking_numbers_match_patterns():
    for courier in cat.COURIERS:
        numbers = {cat.tracking_number(courier, serial, salt=12_345) for serial in range(500)}
        assert len(numbers) == 500
        if courier.pattern:
            assert all(re.fullmatch(courier.pattern, n) for n in numbers), courier.code


def test_the_demo_records_where_it_came_from(demo_shop):
    from pdd_desktop.services.demo_shop import DemoOrigin, demo_origin
    from tests.conftest import DEMO_NOW

    conn = sqlite3.connect(demo_shop.db_file)
    try:
        assert demo_origin(conn) == DemoOrigin(orders=3000, seed=11, now=DEMO_NOW)
    finally:
        conn.close()
    assert demo_origin() == DemoOrigin(orders=3000, seed=11, now=DEMO_NOW)


class _Recorder(TaskContext):
    """Keeps every progress report."""

    def __init__(self) -> None:
        super().__init__()
        self.reports: list[tuple[int, int | None, str | None]] = []

    def report(self, done: int, total: int | None = None, label: str | None = None) -> None:
        super().report(done, total, label)
        self.reports.append((done, total, label))


def test_progress_counts_the_orders_the_first_start_promised(tmp_path, monkeypatch):
    _small_batches(monkeypatch)
    task = _Recorder()
    build_demo_shop(tmp_path / "shop.db", orders=3_000, seed=1, now=NOW, task=task)
    counted = [(done, total, label) for done, total, label in task.reports if total]
    # Every count is in orders, out of the orders asked for (never orders + hidden extra steps).
    assert {total for _done, total, _label in counted} == {3_000}
    assert {label for _done, _total, label in counted} == {"生成订单", "完成"}
    dones = [done for done, _total, label in counted if label == "生成订单"]
    assert dones == sorted(dones) and dones[0] == 0 and dones[-1] == 3_000 and len(dones) > 3
    assert counted[-1] == (3_000, 3_000, "完成")
    # The steps after the orders are named without a count.
    uncounted = [label for _done, total, label in task.reports if total == 0]
    assert uncounted[0] == "订单已生成，正在生成商品与库存"
    assert all(label.startswith(("订单已生成", "整理订单")) for label in uncounted)
    assert uncounted[-1].endswith(f"共 {len(uncounted) - 1} 步）")
