"""商品 reads: list, tab counts, search, SKU detail and stock log, checked against plain SQL."""

from __future__ import annotations

import pytest

from pdd_desktop.data.db import database
from pdd_desktop.domain.errors import ValidationError
from pdd_desktop.services import goods
from tests.helpers.db import raw_rows


def held_by_sku(db) -> dict[int, int]:
    """Units in to-ship (status 1), not refunded (refund_status != 4) orders, summed in Python."""
    orders = {oid: (st, rs) for oid, st, rs in raw_rows(db, 'SELECT id, status, refund_status FROM "order"')}
    held: dict[int, int] = {}
    for order_id, sku_id, qty in raw_rows(db, "SELECT order_id, sku_id, quantity FROM order_item"):
        status, refund = orders[order_id]
        if status == 1 and refund != 4:
            held[sku_id] = held.get(sku_id, 0) + qty
    return held


def expected_goods(db) -> dict[int, dict]:
    held = held_by_sku(db)
    out = {
        gid: {"onsale": bool(on), "skus": []}
        for gid, on in raw_rows(db, "SELECT goods_id, is_onsale FROM goods")
    }
    for sku_id, gid, stock, threshold, group in raw_rows(
        db, "SELECT sku_id, goods_id, stock, low_stock_threshold, group_price_fen FROM sku"
    ):
        out[gid]["skus"].append((sku_id, stock, stock - held.get(sku_id, 0), threshold, group))
    return out


def test_counts_and_rows_match_plain_sql(demo_shop):
    db = demo_shop.db_file
    expected = expected_goods(db)
    result = goods.goods_list()
    assert {r.goods_id for r in result.rows} == set(expected)
    low = {gid for gid, g in expected.items() if any(avail <= th for _, _, avail, th, _ in g["skus"])}
    assert result.counts == {
        "all": len(expected),
        "onsale": sum(1 for g in expected.values() if g["onsale"]),
        "offsale": sum(1 for g in expected.values() if not g["onsale"]),
        "low_stock": len(low),
        "pending": 0,
    }
    assert 0 < len(low) < len(expected)
    for row in result.rows:
        skus = expected[row.goods_id]["skus"]
        assert row.sku_count == len(skus)
        assert row.total_stock == sum(s[1] for s in skus)
        assert row.available_stock == sum(s[2] for s in skus)
        assert row.min_group_fen == min(s[4] for s in skus)
        assert row.max_group_fen == max(s[4] for s in skus)
    assert {r.goods_id for r in goods.goods_list(view="low_stock").rows} == low
    assert all(not r.is_onsale for r in goods.goods_list(view="offsale").rows)


def test_held_stock_counts_only_unshipped_unrefunded_orders(demo_shop):
    held = held_by_sku(demo_shop.db_file)
    assert held, "the demo shop has unshipped orders"
    sku_id, qty = next(iter(held.items()))
    goods_id = raw_rows(demo_shop.db_file, "SELECT goods_id FROM sku WHERE sku_id = ?", (sku_id,))[0][0]
    sku = next(s for s in goods.goods_detail(goods_id=goods_id).skus if s.sku_id == sku_id)
    assert sku.held == qty
    # A refund that succeeded releases the units; shipping moves them out of the count too.
    order_id = raw_rows(
        demo_shop.db_file,
        'SELECT o.id FROM "order" o JOIN order_item oi ON oi.order_id = o.id '
        "WHERE oi.sku_id = ? AND o.status = 1 LIMIT 1",
        (sku_id,),
    )[0][0]
    line_qty = sum(
        q for (q,) in raw_rows(
            demo_shop.db_file, "SELECT quantity FROM order_item WHERE order_id = ? AND sku_id = ?",
            (order_id, sku_id),
        )
    )  # fmt: skip
    database.execute_sql('UPDATE "order" SET refund_status = 4 WHERE id = ?', (order_id,))
    sku = next(s for s in goods.goods_detail(goods_id=goods_id).skus if s.sku_id == sku_id)
    assert sku.held == qty - line_qty
    assert sku.available == sku.stock - sku.held


def test_search_by_name_id_and_seller_codes(demo_shop):
    db = demo_shop.db_file
    gid, name, outer = raw_rows(db, "SELECT goods_id, name, outer_goods_id FROM goods LIMIT 1")[0]
    assert gid in {r.goods_id for r in goods.goods_list(search=name[2:6]).rows}
    assert [r.goods_id for r in goods.goods_list(search=str(gid)).rows] == [gid]
    assert gid in {r.goods_id for r in goods.goods_list(search=outer).rows}
    sku_code = raw_rows(db, "SELECT outer_id FROM sku WHERE goods_id = ? LIMIT 1", (gid,))[0][0]
    found = goods.goods_list(search=sku_code[-6:])
    assert gid in {r.goods_id for r in found.rows}
    assert found.counts["all"] == len(found.rows)
    assert goods.goods_list(search="%").rows == ()  # LIKE wildcards are literal
    assert goods.goods_list(search="_").rows == ()


def test_pending_edits_mark_goods_and_sku_fields(demo_shop):
    db = demo_shop.db_file
    gid = raw_rows(db, "SELECT goods_id FROM goods WHERE is_onsale = 1 LIMIT 1")[0][0]
    sku_id, stock, group, single = raw_rows(
        db,
        "SELECT sku_id, stock, group_price_fen, single_price_fen FROM sku WHERE goods_id = ? LIMIT 1",
        (gid,),
    )[0]
    goods.set_sku_stock(sku_id=sku_id, quantity=stock + 7, seen=stock)
    goods.set_sku_price(
        sku_id=sku_id,
        group_price_fen=group - 1,
        single_price_fen=single,
        seen_group_fen=group,
        seen_single_fen=single,
    )
    result = goods.goods_list(view="pending")
    assert [r.goods_id for r in result.rows] == [gid]
    assert result.counts["pending"] == 1
    detail = goods.goods_detail(goods_id=gid)
    sku = next(s for s in detail.skus if s.sku_id == sku_id)
    assert sku.pending_fields == ("库存", "价格")
    assert sku.stock == stock + 7 and sku.group_price_fen == group - 1
    assert all(s.pending_fields == () for s in detail.skus if s.sku_id != sku_id)
    assert not detail.onsale_pending
    goods.set_goods_onsale(goods_id=gid, is_onsale=False)
    detail = goods.goods_detail(goods_id=gid)
    assert detail.onsale_pending and not detail.is_onsale
    # An op that the platform acknowledged is no longer pending.
    database.execute_sql("UPDATE outbox SET state = 'succeeded'")
    assert goods.goods_list(view="pending").rows == ()
    assert goods.goods_detail(goods_id=gid).skus[0].pending_fields == ()


def test_stock_movements_latest_first_with_labels(demo_shop):
    db = demo_shop.db_file
    sku_id = raw_rows(
        db,
        "SELECT sku_id FROM stock_movement WHERE kind = 'sale' "
        "GROUP BY sku_id ORDER BY COUNT(*) DESC LIMIT 1",
    )[0][0]
    expected = raw_rows(
        db,
        "SELECT m.id, m.kind, m.delta, m.stock_after, o.order_sn FROM stock_movement m "
        'LEFT JOIN "order" o ON o.id = m.order_id WHERE m.sku_id = ? ORDER BY m.at DESC, m.id DESC',
        (sku_id,),
    )
    rows = goods.stock_movements(sku_id=sku_id)
    assert [(r.id, r.kind, r.delta, r.stock_after, r.order_sn) for r in rows] == expected[:100]
    sale = next(r for r in rows if r.kind == "sale")
    assert sale.kind_label == "销售" and sale.order_sn
    assert len(goods.stock_movements(sku_id=sku_id, limit=2)) == min(2, len(expected))


def test_unknown_view_is_refused(demo_shop):
    with pytest.raises(ValidationError):
        goods.goods_list(view="nope")
    assert goods.goods_detail(goods_id=1) is None
