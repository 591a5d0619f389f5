"""Pull: windows, paging, versions, faults, against the sandbox over HTTP."""

from __future__ import annotations

import sqlite3
import time

from pdd_desktop.services import sync
from tests.helpers.db import raw_rows
from tests.helpers.sync_rig import AHEAD_S, assert_oracle, hwm, make_rig
from tests.sandbox import NOW0


def test_demo_shop_catches_up_and_second_run_changes_nothing(rig):
    engine = rig.engine()
    t = time.perf_counter()
    report = engine.run_once()
    elapsed = time.perf_counter() - t
    assert report.outcome == "ok", report.message
    assert report.platform_now is not None and report.platform_now >= NOW0 + AHEAD_S - 2
    by = {s.stream: s for s in report.streams}
    assert set(by) == set(sync.STREAMS)
    assert by["orders"].windows >= (AHEAD_S + 900 - 180) // 1800
    assert by["orders"].upserted > 0  # the orders that arrived after the demo's end
    assert hwm(rig.db, "orders") <= report.platform_now - 180
    assert_oracle(rig)
    print("catch-up", elapsed, by)
    again = engine.run_once()
    assert again.outcome == "ok"
    assert all(s.upserted == 0 for s in again.streams), again.streams
    assert_oracle(rig)


def test_fresh_empty_shop_backfills_the_horizon(tmp_path, tmp_path_factory):
    rig = make_rig(tmp_path, tmp_path_factory, local="empty")
    try:
        engine = rig.engine(initial_cursor_ts=None, initial_backfill_s=2 * 86400)
        report = engine.run_once()
        assert report.outcome == "ok", report.message
        since = report.platform_now - 2 * 86400
        assert_oracle(rig, since=since)
        (n,) = raw_rows(rig.db, 'SELECT COUNT(*) FROM "order"')[0]
        assert n > 0
        # couriers and goods came along; every SKU has prices from the detail call
        assert raw_rows(rig.db, "SELECT COUNT(*) FROM courier")[0][0] > 5
        assert raw_rows(rig.db, "SELECT COUNT(*) FROM sku WHERE single_price_fen <= 0")[0][0] == 0
        assert raw_rows(rig.db, "SELECT COUNT(*) FROM sku")[0][0] > 0
        # masks only: no full receiver for orders the platform served
        assert raw_rows(rig.db, "SELECT COUNT(*) FROM \"order\" WHERE receiver_phone != ''")[0][0] == 0
    finally:
        rig.close()


def test_advance_then_pull_brings_new_and_signed_orders(rig):
    engine = rig.engine()
    assert engine.run_once().outcome == "ok"
    rig.shop.clock_offset = 0
    before = hwm(rig.db, "orders")
    rig.shop.faults.set(clock_offset_s=2 * 3600)  # two more hours of shop life
    rig.shop.sim.advance(rig.shop.platform_now())
    engine.client.offset_s += 2 * 3600
    report = engine.run_once()
    assert report.outcome == "ok", report.message
    assert hwm(rig.db, "orders") > before
    assert report.changes.orders
    assert_oracle(rig)
    assert all(s.upserted == 0 for s in engine.run_once().streams)


def test_truncated_body_writes_nothing_and_keeps_the_cursor(rig):
    engine = rig.engine(rig.client(max_retries=0))
    assert engine.run_once().outcome == "ok"
    before = hwm(rig.db, "orders")
    rig.shop.faults.set(clock_offset_s=3600)
    rig.shop.sim.advance(rig.shop.platform_now())
    engine.client.offset_s += 3600
    rig.shop.faults.set(truncate_next=1)
    report = engine.pull("orders")
    assert report.error
    assert hwm(rig.db, "orders") == before
    log = sync.sync_log(5)
    assert log[0].stream == "orders" and log[0].outcome != "ok" and log[0].errors == 1
    assert engine.run_once().outcome == "ok"
    assert_oracle(rig)


def test_malformed_record_rejects_the_page(rig):
    engine = rig.engine(rig.client(max_retries=0))
    assert engine.run_once().outcome == "ok"
    before = hwm(rig.db, "orders")
    rig.shop.faults.set(clock_offset_s=3600)
    rig.shop.sim.advance(rig.shop.platform_now())
    engine.client.offset_s += 3600
    # a changed order in the new window carries an impossible item line
    sn, ts = rig.shop.query(
        'SELECT order_sn, platform_updated_at FROM "order" WHERE platform_updated_at > ? '
        "ORDER BY platform_updated_at LIMIT 1",
        (before,),
    )[0]
    with rig.shop.tx() as c:
        c.execute(
            'UPDATE order_item SET quantity = 0 WHERE order_id = (SELECT id FROM "order" WHERE order_sn = ?)',
            (sn,),
        )
    report = engine.pull("orders")
    assert "goods_count" in report.error
    assert "sandbox" not in report.error  # no token or secret in the text
    assert hwm(rig.db, "orders") < ts
    assert raw_rows(rig.db, 'SELECT platform_updated_at FROM "order" WHERE order_sn = ?', (sn,)) in (
        [],
        [(None,)],
    ) or (raw_rows(rig.db, 'SELECT platform_updated_at FROM "order" WHERE order_sn = ?', (sn,))[0][0] < ts)
    assert sync.sync_summary().last_error
    with rig.shop.tx() as c:
        c.execute(
            'UPDATE order_item SET quantity = 1 WHERE order_id = (SELECT id FROM "order" WHERE order_sn = ?)',
            (sn,),
        )
    assert engine.run_once().outcome == "ok"
    assert_oracle(rig)


def test_repeated_and_drifting_pages_lose_nothing(rig):
    engine = rig.engine()
    assert engine.run_once().outcome == "ok"
    rig.shop.faults.set(clock_offset_s=6 * 3600)
    rig.shop.sim.advance(rig.shop.platform_now())
    engine.client.offset_s += 6 * 3600
    rig.shop.faults.set(repeat_page_next=3, drift_next=3)
    report = engine.run_once()
    assert report.outcome == "ok", report.message
    assert_oracle(rig)


def test_late_write_within_overlap_is_picked_up(rig):
    engine = rig.engine()
    assert engine.run_once().outcome == "ok"
    sn = rig.shop.commit_late(behind_s=300)
    (ts,) = rig.shop.query('SELECT platform_updated_at FROM "order" WHERE order_sn = ?', (sn,))[0]
    assert ts <= hwm(rig.db, "orders")  # already behind the cursor
    assert engine.run_once().outcome == "ok"
    assert raw_rows(rig.db, 'SELECT platform_updated_at FROM "order" WHERE order_sn = ?', (sn,)) == [(ts,)]
    assert_oracle(rig)


def test_late_write_older_than_overlap_needs_the_sweep(rig):
    engine = rig.engine()
    assert engine.run_once().outcome == "ok"
    # an order last changed long ago is changed now, stamped 2 h back (older than the overlap)
    old = rig.shop.query(
        'SELECT order_sn FROM "order" WHERE platform_updated_at < ? '
        "ORDER BY platform_updated_at DESC LIMIT 1",
        (rig.shop.platform_now() - 3 * 3600,),
    )[0][0]
    sn = rig.shop.commit_late(old, behind_s=2 * 3600)
    (ts,) = rig.shop.query('SELECT platform_updated_at FROM "order" WHERE order_sn = ?', (sn,))[0]
    assert engine.run_once().outcome == "ok"
    assert raw_rows(rig.db, 'SELECT platform_updated_at FROM "order" WHERE order_sn = ?', (sn,)) != [(ts,)]
    report = engine.sweep(days=1)
    assert report.outcome == "ok", report.message
    assert raw_rows(rig.db, 'SELECT platform_updated_at FROM "order" WHERE order_sn = ?', (sn,)) == [(ts,)]
    assert_oracle(rig)


def test_older_version_never_overwrites(rig):
    from pdd_desktop.data.db import write_transaction
    from pdd_desktop.platform.records import parse_order
    from pdd_desktop.services.sync.areas.orders import apply_orders

    engine = rig.engine()
    assert engine.run_once().outcome == "ok"
    sn = rig.shop.query('SELECT order_sn FROM "order" ORDER BY platform_updated_at DESC LIMIT 1')[0][0]
    raw = rig.shop.order_detail(sn)
    import json
    from decimal import Decimal

    from pdd_desktop.sandbox.api import dumps

    obj = json.loads(dumps({"o": raw}), parse_float=Decimal)["o"]
    rec = parse_order(obj)
    before = raw_rows(
        rig.db,
        'SELECT platform_updated_at, pay_amount_fen, buyer_memo FROM "order" WHERE order_sn = ?',
        (sn,),
    )
    obj["updated_at"] = "2020-01-01 00:00:00"
    obj["buyer_memo"] = "旧版本"
    with write_transaction():
        counts = apply_orders([parse_order(obj)])
    assert counts.skipped_stale == 1 and counts.upserted == 0
    with write_transaction():
        counts = apply_orders([rec, rec])  # the same version twice in one page
    assert counts.upserted <= 1
    assert (
        raw_rows(
            rig.db,
            'SELECT platform_updated_at, pay_amount_fen, buyer_memo FROM "order" WHERE order_sn = ?',
            (sn,),
        )
        == before
    )


def test_5xx_streak_then_ok(rig):
    engine = rig.engine(rig.client(max_retries=0))
    rig.shop.faults.set(error_next=3)
    outcomes = [engine.run_once().outcome for _ in range(5)]
    assert outcomes[0] == "offline" and outcomes[-1] == "ok"
    assert outcomes.index("ok") <= 3
    assert_oracle(rig)


def test_rate_limit_on_pull_is_reported(rig):
    engine = rig.engine(rig.client(max_retries=0))
    rig.shop.faults.set(rate_limit_next=1, retry_after_s=7)
    report = engine.run_once()
    assert report.outcome == "rate_limited"
    assert engine.run_once().outcome == "ok"


def test_token_expired_refreshes(rig):
    client = rig.client(refreshing=True)
    engine = rig.engine(client)
    rig.shop.expire_access_tokens()
    report = engine.run_once()
    assert report.outcome == "ok", report.message
    assert client._tokens.refreshed == 1


def test_token_expired_without_refresh_is_auth_needed(rig):
    engine = rig.engine()
    rig.shop.expire_access_tokens()
    report = engine.run_once()
    assert report.outcome == "auth_needed"
    assert sync.sync_summary().auth_needed


def test_server_down_is_offline(rig):
    engine = rig.engine(rig.client(max_retries=0, timeout_s=0.3))
    rig.server.stop()
    report = engine.run_once()
    assert report.outcome == "offline"
    assert report.message


def test_sold_out_goods_and_local_stock_drift_are_settled_once(rig):
    """A 售罄 goods (detail status 3) is still on the shelf, and a local stock deduction is
    replaced by the platform's stock: neither makes later runs read the goods again."""
    engine = rig.engine()
    assert engine.run_once().outcome == "ok"
    (gid,), (other_sku, other_gid) = (
        rig.shop.query("SELECT goods_id FROM goods WHERE is_onsale = 1 ORDER BY goods_id LIMIT 1")[0],
        rig.shop.query("SELECT sku_id, goods_id FROM sku ORDER BY sku_id DESC LIMIT 1")[0],
    )
    with rig.shop.tx() as c:  # the platform sells the goods out
        c.execute("UPDATE sku SET stock = 0 WHERE goods_id = ?", (gid,))
        c.execute("UPDATE goods SET platform_updated_at = platform_updated_at + 1 WHERE goods_id = ?", (gid,))
    conn = sqlite3.connect(rig.db)
    with conn:  # a local shipment took 3 off another SKU (the platform does not know)
        conn.execute("UPDATE sku SET stock = stock - 3 WHERE sku_id = ?", (other_sku,))
    conn.close()
    read: list[int] = []
    real_detail = engine.client.goods_detail
    engine.client.goods_detail = lambda g: (read.append(g), real_detail(g))[1]
    report = engine.run_once()
    assert report.outcome == "ok"
    assert set(read) == {gid, other_gid}
    platform_stock = rig.shop.query("SELECT stock FROM sku WHERE sku_id = ?", (other_sku,))[0][0]
    assert raw_rows(rig.db, "SELECT stock FROM sku WHERE sku_id = ?", (other_sku,)) == [(platform_stock,)]
    assert raw_rows(rig.db, "SELECT is_onsale FROM goods WHERE goods_id = ?", (gid,)) == [(1,)]
    assert raw_rows(rig.db, "SELECT SUM(stock) FROM sku WHERE goods_id = ?", (gid,)) == [(0,)]
    read.clear()
    assert engine.run_once().outcome == "ok"
    assert read == []  # nothing differs any more


def test_goods_detail_without_shelf_status_follows_the_list_and_is_read_once(rig):
    """A detail answer with no goods-level ``status`` (and SKUs without ``is_onsale``) is on
    the shelf when the list says so; the next run does not read it again."""
    from pdd_desktop.platform.records import parse_goods

    engine = rig.engine()
    assert engine.run_once().outcome == "ok"
    (gid,) = rig.shop.query("SELECT goods_id FROM goods WHERE is_onsale = 1 ORDER BY goods_id LIMIT 1")[0]
    with rig.shop.tx() as c:  # the platform's stock changes: the goods differs, its detail is read
        c.execute("UPDATE sku SET stock = stock + 7 WHERE goods_id = ?", (gid,))
        c.execute("UPDATE goods SET platform_updated_at = platform_updated_at + 1 WHERE goods_id = ?", (gid,))
    read: list[int] = []
    real_detail = engine.client.goods_detail

    def detail_without_status(goods_id):
        read.append(goods_id)
        raw = dict(real_detail(goods_id).raw)
        raw.pop("status", None)
        raw["sku_list"] = [{k: v for k, v in s.items() if k != "is_onsale"} for s in raw["sku_list"]]
        return parse_goods(raw)

    engine.client.goods_detail = detail_without_status
    assert engine.run_once().outcome == "ok"
    assert read == [gid]
    assert raw_rows(rig.db, "SELECT is_onsale FROM goods WHERE goods_id = ?", (gid,)) == [(1,)]
    sql = "SELECT sku_id, stock, is_onsale FROM sku WHERE goods_id = ? ORDER BY sku_id"
    platform, local = rig.shop.query(sql, (gid,)), raw_rows(rig.db, sql, (gid,))
    assert local == [tuple(r) for r in platform]
    read.clear()
    assert engine.run_once().outcome == "ok"
    assert read == []  # a missing field is no difference: no endless re-reads
