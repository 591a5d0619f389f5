"""商品 edits: stock, prices and the shelf state, with their outbox ops, pushed to the sandbox."""

from __future__ import annotations

import json

import pytest

from pdd_desktop.data.db import database
from pdd_desktop.data.models import AuditLog
from pdd_desktop.domain.errors import NotAllowed, ValidationError
from pdd_desktop.domain.money import format_yuan
from pdd_desktop.services import goods as svc
from pdd_desktop.services import imports, sync
from tests.helpers.db import db_state, q, raw_rows, table_counts
from tests.helpers.sync_rig import assert_ops_applied_once
from tests.services.test_import_goods import HEADER, sku_row, write_sheet

STOCK_API = "pdd.goods.quantity.update"
PRICE_API = "pdd.goods.sku.price.update"
SHELF_API = "pdd.goods.sale.status.set"
TABLES = ("sku", "goods", "stock_movement", "outbox", "audit_log")


def counts() -> dict[str, int]:
    return table_counts(TABLES)


def snapshot() -> tuple:
    return db_state(
        TABLES,
        "SELECT sku_id, stock, group_price_fen, single_price_fen FROM sku ORDER BY sku_id",
        "SELECT goods_id, is_onsale FROM goods ORDER BY goods_id",
    )


def ops(op_type: str) -> list[tuple[str, dict, dict]]:
    return [
        (s, json.loads(p), json.loads(b))
        for s, p, b in q(
            "SELECT state, payload_json, base_json FROM outbox WHERE op_type = ? ORDER BY id", op_type
        )
    ]


@pytest.fixture
def shop(sandbox_demo_shop):
    return sandbox_demo_shop


@pytest.fixture
def sku(shop):
    ((sku_id, goods_id, stock, group, single),) = q(
        "SELECT sku_id, goods_id, stock, group_price_fen, single_price_fen FROM sku "
        "WHERE stock > 5 AND group_price_fen < single_price_fen ORDER BY sku_id LIMIT 1"
    )
    return sku_id, goods_id, stock, group, single


# ---------------------------------------------------------------------------------- local: stock


@pytest.mark.parametrize("quantity", [1.0, "5", True, None, -1, 10_000_000])
def test_bad_stock_writes_nothing(sku, quantity):
    sku_id, _g, stock, _gp, _sp = sku
    before = snapshot()
    with pytest.raises(ValidationError, match="库存"):
        svc.set_sku_stock(sku_id=sku_id, quantity=quantity, seen=stock)
    assert snapshot() == before


def test_stale_seen_stock_is_refused_with_both_values(sku):
    sku_id, _g, stock, _gp, _sp = sku
    before = snapshot()
    with pytest.raises(NotAllowed) as err:
        svc.set_sku_stock(sku_id=sku_id, quantity=stock + 10, seen=stock - 1)
    text = str(err.value)
    assert str(sku_id) in text and f"从 {stock - 1} 变为 {stock}" in text
    with pytest.raises(NotAllowed, match="规格不存在"):
        svc.set_sku_stock(sku_id=1, quantity=3, seen=0)
    assert snapshot() == before


def test_set_stock_writes_stock_movement_op_and_audit(sku):
    sku_id, goods_id, stock, _gp, _sp = sku
    assert svc.set_sku_stock(sku_id=sku_id, quantity=stock + 7, seen=stock).goods
    assert q("SELECT stock FROM sku WHERE sku_id = ?", sku_id) == [(stock + 7,)]
    assert q(
        "SELECT delta, stock_after, kind FROM stock_movement WHERE sku_id = ? ORDER BY id DESC LIMIT 1",
        sku_id,
    ) == [(7, stock + 7, "adjust")]
    assert ops("set_stock") == [
        ("pending", {"goods_id": goods_id, "sku_id": sku_id, "quantity": stock + 7}, {"quantity": stock})
    ]
    assert q("SELECT entity_type, entity_remote_id FROM outbox") == [("sku", str(sku_id))]
    ((action, detail),) = q("SELECT action, detail_json FROM audit_log WHERE entity_type = 'sku'")
    assert action == "set_stock" and json.loads(detail)["to"] == stock + 7
    before = snapshot()
    assert not svc.set_sku_stock(sku_id=sku_id, quantity=stock + 7, seen=stock + 7).any()
    assert snapshot() == before


def test_one_transaction_nothing_left_when_a_write_fails(sku, monkeypatch):
    sku_id, _g, stock, _gp, _sp = sku
    before = snapshot()

    def boom(**_kw):
        raise RuntimeError("disk full")

    monkeypatch.setattr(AuditLog, "create", boom)
    with pytest.raises(RuntimeError):
        svc.set_sku_stock(sku_id=sku_id, quantity=stock + 1, seen=stock)
    assert snapshot() == before


def test_second_stock_edit_coalesces_and_keeps_the_first_base(sku):
    sku_id, _g, stock, _gp, _sp = sku
    svc.set_sku_stock(sku_id=sku_id, quantity=stock + 5, seen=stock)
    svc.set_sku_stock(sku_id=sku_id, quantity=0, seen=stock + 5)
    assert [(s, p["quantity"], b) for s, p, b in ops("set_stock")] == [
        ("cancelled", stock + 5, {"quantity": stock}),
        ("pending", 0, {"quantity": stock}),
    ]
    assert q("SELECT stock FROM sku WHERE sku_id = ?", sku_id) == [(0,)]
    # an op already tried is never cancelled behind the platform's back
    database.execute_sql("UPDATE outbox SET state = 'unknown', attempts = 1 WHERE state = 'pending'")
    svc.set_sku_stock(sku_id=sku_id, quantity=3, seen=0)
    assert [(s, b) for s, _p, b in ops("set_stock")][1:] == [
        ("unknown", {"quantity": stock}),
        ("pending", {"quantity": 0}),
    ]


# ---------------------------------------------------------------------------------- local: price


@pytest.mark.parametrize(
    ("group", "single", "field"),
    [
        (12.5, 2000, "拼团价"),
        (True, 2000, "拼团价"),
        ("1200", 2000, "拼团价"),
        (0, 2000, "拼团价"),
        (-5, 2000, "拼团价"),
        (1200, 20.0, "单买价"),
        (1200, 0, "单买价"),
        (1200, None, "单买价"),
    ],
)
def test_bad_price_writes_nothing(sku, group, single, field):
    sku_id, _g, _s, gp, sp = sku
    before = snapshot()
    with pytest.raises(ValidationError, match=field):
        svc.set_sku_price(
            sku_id=sku_id,
            group_price_fen=group,
            single_price_fen=single,
            seen_group_fen=gp,
            seen_single_fen=sp,
        )
    assert snapshot() == before


def test_group_price_must_be_lower_with_exact_yuan(sku):
    sku_id, _g, _s, gp, sp = sku
    before = snapshot()
    for group, single, text in (
        (1234, 1234, "12.34 元，单买价 12.34 元"),
        (100007, 905, "1000.07 元，单买价 9.05 元"),
    ):
        with pytest.raises(ValidationError, match="拼团价低于单买价") as err:
            svc.set_sku_price(
                sku_id=sku_id,
                group_price_fen=group,
                single_price_fen=single,
                seen_group_fen=gp,
                seen_single_fen=sp,
            )
        assert text in str(err.value)
    with pytest.raises(NotAllowed, match="价格已从"):
        svc.set_sku_price(
            sku_id=sku_id,
            group_price_fen=100,
            single_price_fen=200,
            seen_group_fen=gp + 1,
            seen_single_fen=sp,
        )
    assert snapshot() == before


def test_set_price_writes_op_and_coalesces(sku):
    sku_id, goods_id, _s, gp, sp = sku
    assert svc.set_sku_price(
        sku_id=sku_id,
        group_price_fen=gp + 100,
        single_price_fen=sp + 200,
        seen_group_fen=gp,
        seen_single_fen=sp,
    ).goods
    assert q("SELECT group_price_fen, single_price_fen FROM sku WHERE sku_id = ?", sku_id) == [
        (gp + 100, sp + 200)
    ]
    base = {"group_price_fen": gp, "single_price_fen": sp}
    payload = {
        "goods_id": goods_id,
        "sku_id": sku_id,
        "group_price_fen": gp + 100,
        "single_price_fen": sp + 200,
    }
    assert ops("set_price") == [("pending", payload, base)]
    assert q("SELECT action FROM audit_log WHERE entity_id = ?", str(sku_id)) == [("set_price",)]
    svc.set_sku_price(
        sku_id=sku_id,
        group_price_fen=gp + 1,
        single_price_fen=sp + 2,
        seen_group_fen=gp + 100,
        seen_single_fen=sp + 200,
    )
    assert [(s, p["group_price_fen"], b) for s, p, b in ops("set_price")] == [
        ("cancelled", gp + 100, base),
        ("pending", gp + 1, base),
    ]


# ---------------------------------------------------------------------------------- local: shelf


def test_onsale_validation_change_and_coalescing(shop):
    ((goods_id,),) = q("SELECT goods_id FROM goods WHERE is_onsale = 1 ORDER BY goods_id LIMIT 1")
    before = snapshot()
    with pytest.raises(ValidationError, match="上下架"):
        svc.set_goods_onsale(goods_id=goods_id, is_onsale=0)
    with pytest.raises(NotAllowed, match="商品不存在"):
        svc.set_goods_onsale(goods_id=1, is_onsale=False)
    assert not svc.set_goods_onsale(goods_id=goods_id, is_onsale=True).any()
    assert snapshot() == before
    assert svc.set_goods_onsale(goods_id=goods_id, is_onsale=False).goods
    assert q("SELECT is_onsale FROM goods WHERE goods_id = ?", goods_id) == [(0,)]
    assert ops("set_onsale") == [("pending", {"goods_id": goods_id, "is_onsale": False}, {"is_onsale": True})]
    assert q("SELECT entity_type, entity_remote_id FROM outbox") == [("goods", str(goods_id))]
    assert q("SELECT action FROM audit_log WHERE entity_id = ?", str(goods_id)) == [("set_onsale",)]
    svc.set_goods_onsale(goods_id=goods_id, is_onsale=True)
    assert [(s, p["is_onsale"], b) for s, p, b in ops("set_onsale")] == [
        ("cancelled", False, {"is_onsale": True}),
        ("pending", True, {"is_onsale": True}),
    ]


def test_goods_sheet_keeps_the_pending_stock_and_price_edits(sku, tmp_path):
    sku_id, _g, stock, gp, sp = sku
    svc.set_sku_stock(sku_id=sku_id, quantity=stock + 3, seen=stock)
    svc.set_sku_price(
        sku_id=sku_id, group_price_fen=gp + 1, single_price_fen=sp + 1, seen_group_fen=gp, seen_single_fen=sp
    )
    path = write_sheet(
        tmp_path / "库存.csv", [HEADER, sku_row(sku_id, group="1.00", single="2.00", stock="1")]
    )
    check = imports.check_import_file(path)
    assert check.warnings
    imports.apply_import(check)
    assert q("SELECT stock, group_price_fen, single_price_fen FROM sku WHERE sku_id = ?", sku_id) == [
        (stock + 3, gp + 1, sp + 1)
    ]


# ---------------------------------------------------------------------------------- against the sandbox


def synced(rig, **kw):
    """An engine after one full run: local goods equal the platform's."""
    engine = rig.engine(**kw)
    report = engine.run_once()
    assert report.outcome == "ok", report.message
    return engine


def remote_sku(rig, sku_id):
    return rig.shop.query(
        "SELECT stock, group_price_fen, single_price_fen FROM sku WHERE sku_id = ?", (sku_id,)
    )[0]


def local_sku(rig, sku_id):
    return raw_rows(
        rig.db, "SELECT stock, group_price_fen, single_price_fen FROM sku WHERE sku_id = ?", (sku_id,)
    )[0]


def pick_sku(rig):
    """A SKU with stock whose local copy equals the platform's."""
    remote = {
        r[0]: r[1:]
        for r in rig.shop.query("SELECT sku_id, stock, group_price_fen, single_price_fen FROM sku")
    }
    for sku_id, goods_id, *values in raw_rows(
        rig.db,
        "SELECT sku_id, goods_id, stock, group_price_fen, single_price_fen FROM sku "
        "WHERE stock > 5 ORDER BY sku_id",
    ):
        if remote.get(sku_id) == tuple(values) and values[1] < values[2]:
            return sku_id, goods_id, *values
    raise AssertionError("no SKU in step with the platform")


def outbox_states(rig, op_type):
    return [
        r[0] for r in raw_rows(rig.db, "SELECT state FROM outbox WHERE op_type = ? ORDER BY id", (op_type,))
    ]


def test_stock_push_applies_once(rig):
    engine = synced(rig)
    sku_id, _g, stock, _gp, _sp = pick_sku(rig)
    svc.set_sku_stock(sku_id=sku_id, quantity=stock + 20, seen=stock)
    svc.set_sku_stock(sku_id=sku_id, quantity=stock + 9, seen=stock + 20)
    report = engine.push()
    assert (report.sent, report.succeeded) == (1, 1)
    assert outbox_states(rig, "set_stock") == ["cancelled", "succeeded"]
    assert rig.shop.effects(STOCK_API, sku_id=sku_id) == 1
    assert rig.shop.effects(STOCK_API, sku_id=sku_id, quantity=stock + 9) == 1
    assert remote_sku(rig, sku_id)[0] == stock + 9
    assert engine.push().sent == 0
    assert engine.run_once().outcome == "ok"
    assert rig.shop.effects(STOCK_API, sku_id=sku_id) == 1
    assert local_sku(rig, sku_id)[0] == stock + 9
    assert_ops_applied_once(rig, actions=[("set_stock", str(sku_id))] * 2)


def test_price_and_shelf_push_apply_once(rig):
    engine = synced(rig)
    sku_id, goods_id, _s, gp, sp = pick_sku(rig)
    svc.set_sku_price(
        sku_id=sku_id,
        group_price_fen=gp + 50,
        single_price_fen=sp + 90,
        seen_group_fen=gp,
        seen_single_fen=sp,
    )
    ((onsale,),) = raw_rows(rig.db, "SELECT is_onsale FROM goods WHERE goods_id = ?", (goods_id,))
    svc.set_goods_onsale(goods_id=goods_id, is_onsale=not onsale)
    report = engine.push()
    assert (report.sent, report.succeeded) == (2, 2), report
    assert rig.shop.effects(PRICE_API, entity=goods_id) == 1
    assert rig.shop.effects(SHELF_API, entity=goods_id) == 1
    assert remote_sku(rig, sku_id)[1:] == (gp + 50, sp + 90)
    assert rig.shop.query("SELECT is_onsale FROM goods WHERE goods_id = ?", (goods_id,)) == [
        (int(not onsale),)
    ]
    assert engine.push().sent == 0
    assert engine.run_once().outcome == "ok"
    assert local_sku(rig, sku_id)[1:] == (gp + 50, sp + 90)
    assert raw_rows(rig.db, "SELECT is_onsale FROM goods WHERE goods_id = ?", (goods_id,)) == [
        (int(not onsale),)
    ]
    assert_ops_applied_once(rig, actions=[("set_price", str(sku_id)), ("set_onsale", str(goods_id))])


@pytest.mark.parametrize("resolution", ["keep_local", "keep_remote"])
def test_stock_conflict_and_resolution(rig, resolution):
    engine = synced(rig)
    sku_id, _g, stock, _gp, _sp = pick_sku(rig)
    svc.set_sku_stock(sku_id=sku_id, quantity=stock + 30, seen=stock)
    with rig.shop.tx() as c:  # sold on the platform meanwhile
        c.execute("UPDATE sku SET stock = ? WHERE sku_id = ?", (stock - 2, sku_id))
    report = engine.push()
    assert report.conflicts == 1 and report.sent == 0
    assert outbox_states(rig, "set_stock") == ["conflict"]
    (c,) = sync.list_conflicts()
    assert (c.entity_type, c.entity_remote_id, c.field) == ("sku", str(sku_id), "stock")
    assert (c.base_value, c.local_value, c.remote_value) == (
        f"{stock} 件",
        f"{stock + 30} 件",
        f"{stock - 2} 件",
    )
    assert rig.shop.effects(STOCK_API, sku_id=sku_id) == 0
    sync.resolve_conflict(conflict_id=c.id, resolution=resolution)
    assert sync.list_conflicts() == []
    assert engine.run_once().outcome == "ok"
    want = stock + 30 if resolution == "keep_local" else stock - 2
    assert remote_sku(rig, sku_id)[0] == want
    assert local_sku(rig, sku_id)[0] == want
    assert outbox_states(rig, "set_stock") == ["succeeded" if resolution == "keep_local" else "cancelled"]
    assert rig.shop.effects(STOCK_API, sku_id=sku_id) == (1 if resolution == "keep_local" else 0)
    assert_ops_applied_once(rig)


def _price_conflict(rig):
    engine = synced(rig)
    sku_id, goods_id, _s, gp, sp = pick_sku(rig)
    svc.set_sku_price(
        sku_id=sku_id,
        group_price_fen=gp + 10,
        single_price_fen=sp + 10,
        seen_group_fen=gp,
        seen_single_fen=sp,
    )
    with rig.shop.tx() as c:  # repriced in the merchant backend meanwhile
        c.execute("UPDATE sku SET group_price_fen = ? WHERE sku_id = ?", (gp - 1, sku_id))
    assert engine.push().conflicts == 1
    (c,) = sync.list_conflicts()
    assert (c.entity_type, c.entity_remote_id, c.field) == ("sku", str(sku_id), "price")
    assert c.base_value == f"拼单价 {format_yuan(gp)} · 单买价 {format_yuan(sp)}"
    assert c.local_value == f"拼单价 {format_yuan(gp + 10)} · 单买价 {format_yuan(sp + 10)}"
    assert c.remote_value == f"拼单价 {format_yuan(gp - 1)} · 单买价 {format_yuan(sp)}"
    return engine, c, sku_id, goods_id, gp, sp


def test_price_conflict_keep_local(rig):
    engine, c, sku_id, goods_id, gp, sp = _price_conflict(rig)
    sync.resolve_conflict(conflict_id=c.id, resolution="keep_local")
    assert engine.run_once().outcome == "ok"
    assert remote_sku(rig, sku_id)[1:] == local_sku(rig, sku_id)[1:] == (gp + 10, sp + 10)
    assert rig.shop.effects(PRICE_API, entity=goods_id) == 1
    assert outbox_states(rig, "set_price") == ["succeeded"]
    assert_ops_applied_once(rig)


def test_price_conflict_keep_remote_platform_untouched(rig):
    engine, c, sku_id, goods_id, gp, sp = _price_conflict(rig)
    sync.resolve_conflict(conflict_id=c.id, resolution="keep_remote")
    assert engine.run_once().outcome == "ok"
    assert remote_sku(rig, sku_id)[1:] == (gp - 1, sp)
    assert rig.shop.effects(PRICE_API, entity=goods_id) == 0
    assert outbox_states(rig, "set_price") == ["cancelled"]
    assert_ops_applied_once(rig)


def test_price_conflict_keep_remote_takes_the_platform_price_locally(rig):
    engine, c, sku_id, _goods_id, gp, sp = _price_conflict(rig)
    sync.resolve_conflict(conflict_id=c.id, resolution="keep_remote")
    assert engine.run_once().outcome == "ok"
    assert local_sku(rig, sku_id)[1:] == (gp - 1, sp)


def test_pull_keeps_a_pending_stock_edit(rig):
    engine = synced(rig)
    sku_id, _g, stock, _gp, _sp = pick_sku(rig)
    svc.set_sku_stock(sku_id=sku_id, quantity=stock + 30, seen=stock)
    with rig.shop.tx() as c:
        c.execute("UPDATE sku SET stock = ? WHERE sku_id = ?", (stock - 2, sku_id))
    engine.pull("goods")
    assert local_sku(rig, sku_id)[0] == stock + 30


@pytest.mark.parametrize("kind", ["stock", "price", "shelf"])
def test_apply_then_timeout_reconciles_without_resending(rig, kind):
    engine = synced(rig, client=rig.client(timeout_s=0.3, max_retries=0))
    sku_id, goods_id, stock, gp, sp = pick_sku(rig)
    if kind == "stock":
        svc.set_sku_stock(sku_id=sku_id, quantity=stock + 4, seen=stock)
        op_type, api, match = "set_stock", STOCK_API, {"sku_id": sku_id}
    elif kind == "price":
        svc.set_sku_price(
            sku_id=sku_id,
            group_price_fen=gp + 3,
            single_price_fen=sp + 3,
            seen_group_fen=gp,
            seen_single_fen=sp,
        )
        op_type, api, match = "set_price", PRICE_API, {"entity": goods_id}
    else:
        ((onsale,),) = raw_rows(rig.db, "SELECT is_onsale FROM goods WHERE goods_id = ?", (goods_id,))
        svc.set_goods_onsale(goods_id=goods_id, is_onsale=not onsale)
        op_type, api, match = "set_onsale", SHELF_API, {"entity": goods_id}
    rig.shop.faults.set(apply_then_timeout_s=0.8, apply_then_timeout_next=1)
    first = engine.push()
    assert first.sent == 1 and first.succeeded == 0
    assert outbox_states(rig, op_type) == ["unknown"]
    assert rig.shop.effects(api, **match) == 1
    second = engine.push()
    assert second.sent == 0 and second.succeeded == 1
    assert outbox_states(rig, op_type) == ["succeeded"]
    assert rig.shop.effects(api, **match) == 1
    assert engine.push().sent == 0


def test_a_sku_deleted_on_the_platform_fails_the_op_once_with_a_reason(rig):
    engine = synced(rig)
    sku_id, _g, stock, _gp, _sp = pick_sku(rig)
    svc.set_sku_stock(sku_id=sku_id, quantity=stock + 1, seen=stock)
    with rig.shop.tx() as c:
        c.execute("DELETE FROM sku WHERE sku_id = ?", (sku_id,))
    report = engine.push()
    assert report.failed == 1 and report.sent == 0
    ((state, error),) = raw_rows(rig.db, "SELECT state, last_error FROM outbox WHERE op_type = 'set_stock'")
    assert state == "failed_permanent" and "找不到这个商品规格" in error
    assert engine.push().failed == 0  # not retried for ever


def test_a_push_of_goods_ops_tells_the_goods_pages(rig):
    engine = synced(rig)
    sku_id, _g, stock, _gp, _sp = pick_sku(rig)
    svc.set_sku_stock(sku_id=sku_id, quantity=stock + 2, seen=stock)
    report = engine.run_once()
    assert report.push.succeeded == 1 and report.changes.goods


def test_outbox_and_conflicts_name_the_goods_and_spec(rig):
    engine = synced(rig)
    sku_id, goods_id, stock, _gp, _sp = pick_sku(rig)
    ((name, spec),) = raw_rows(
        rig.db, "SELECT g.name, s.spec FROM sku s JOIN goods g USING (goods_id) WHERE s.sku_id = ?", (sku_id,)
    )
    svc.set_sku_stock(sku_id=sku_id, quantity=stock + 5, seen=stock)
    svc.set_goods_onsale(goods_id=goods_id, is_onsale=False)
    labels = {o.op_type: o.entity_label for o in sync.list_outbox()}
    assert labels == {"set_stock": f"{name}（{spec}）", "set_onsale": name}
    with rig.shop.tx() as c:
        c.execute("UPDATE sku SET stock = stock - 1 WHERE sku_id = ?", (sku_id,))
    engine.push()
    (conflict,) = sync.list_conflicts()
    assert conflict.entity_label == f"{name}（{spec}）" and conflict.field_label == "库存"
