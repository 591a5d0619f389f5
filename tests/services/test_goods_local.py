"""商品 local edits: cost price, low-stock threshold, promise hours, seller codes (all or nothing)."""

from __future__ import annotations

import json

import pytest

from pdd_desktop.domain.errors import NotAllowed, ValidationError
from pdd_desktop.services import goods as goods_svc
from pdd_desktop.services import goods_local as svc
from tests.helpers.db import db_state, q
from tests.services.test_import_goods import shop  # noqa: F401  (fixture: goods 801/802, SKUs 9001-9005)

TABLES = ("sku", "goods", "stock_movement", "outbox", "audit_log")


def snapshot() -> tuple:
    return db_state(
        TABLES,
        "SELECT sku_id, cost_price_fen, low_stock_threshold, outer_id, stock FROM sku ORDER BY sku_id",
        "SELECT goods_id, promise_hours, outer_goods_id FROM goods ORDER BY goods_id",
    )


def audits(action: str) -> list[tuple[str, dict]]:
    return [
        (e, json.loads(d))
        for e, d in q("SELECT entity_id, detail_json FROM audit_log WHERE action = ? ORDER BY id", action)
    ]


def test_bulk_cost_and_threshold_in_one_transaction_audited(shop):  # noqa: F811
    changes = svc.set_sku_local(sku_ids=[9001, 9002, 9004], cost_price_fen=1234, low_stock_threshold=12)
    assert changes.goods
    assert q("SELECT sku_id, cost_price_fen, low_stock_threshold FROM sku ORDER BY sku_id") == [
        (9001, 1234, 12),
        (9002, 1234, 12),
        (9003, 900, 5),
        (9004, 1234, 12),
        (9005, 5000, 5),
    ]
    logged = audits("set_sku_local")
    assert [e for e, _d in logged] == ["9001", "9002", "9004"]
    assert logged[2][1] == {
        "cost_price_fen": {"from": None, "to": 1234},
        "low_stock_threshold": {"from": 5, "to": 12},
    }
    assert q("SELECT COUNT(*) FROM outbox") == [(0,)]  # local only: nothing for the platform


def test_only_the_named_field_changes_and_none_clears_cost(shop):  # noqa: F811
    svc.set_sku_local(sku_ids=[9005], cost_price_fen=None)
    assert q("SELECT cost_price_fen, low_stock_threshold FROM sku WHERE sku_id = 9005") == [(None, 5)]
    svc.set_sku_local(sku_ids=[9005], low_stock_threshold=0)
    assert q("SELECT cost_price_fen, low_stock_threshold FROM sku WHERE sku_id = 9005") == [(None, 0)]
    before = snapshot()
    assert not svc.set_sku_local(sku_ids=[9005], low_stock_threshold=0).goods  # same value: no-op
    assert snapshot() == before


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"cost_price_fen": 12.5}, "成本价.*整数"),
        ({"cost_price_fen": -1}, "成本价.*0 到 1000000.00 元"),
        ({"cost_price_fen": 100_000_001}, "成本价"),
        ({"cost_price_fen": True}, "成本价"),
        ({"low_stock_threshold": -3}, "库存预警值.*0 到 9,999,999"),
        ({"low_stock_threshold": "5"}, "库存预警值.*整数"),
        ({}, "没有要修改"),
    ],
)
def test_bad_values_write_nothing(shop, kwargs, match):  # noqa: F811
    before = snapshot()
    with pytest.raises(ValidationError, match=match):
        svc.set_sku_local(sku_ids=[9001, 9002], **kwargs)
    assert snapshot() == before


def test_unknown_sku_refuses_the_whole_bulk_edit(shop):  # noqa: F811
    before = snapshot()
    with pytest.raises(NotAllowed, match=r"规格ID 777.*没有修改任何规格"):
        svc.set_sku_local(sku_ids=[9001, 777], cost_price_fen=100)
    assert snapshot() == before
    with pytest.raises(ValidationError, match="至少选择一个"):
        svc.set_sku_local(sku_ids=[], cost_price_fen=100)


def test_threshold_drives_low_stock_marking_and_home(shop):  # noqa: F811
    # 9003 has stock 7 and threshold 5: not low; threshold 7 makes it low on the page and on home.
    detail = goods_svc.goods_detail(goods_id=801)
    assert not next(s for s in detail.skus if s.sku_id == 9003).is_low
    from pdd_desktop.data.queries import home as home_queries

    home_before = home_queries.count_low_stock()
    listed = {r.goods_id: r for r in goods_svc.goods_list().rows}
    low_801 = listed[801].low_sku_count
    svc.set_sku_local(sku_ids=[9003], low_stock_threshold=7)
    detail = goods_svc.goods_detail(goods_id=801)
    assert next(s for s in detail.skus if s.sku_id == 9003).is_low
    assert {r.goods_id: r for r in goods_svc.goods_list().rows}[801].low_sku_count == low_801 + 1
    # 工作台's 库存不足 counts on-shelf SKUs at or below their own threshold: 9003 now counts
    assert home_queries.count_low_stock() == home_before + 1


def test_detail_shows_cost_and_promise_hours(shop):  # noqa: F811
    svc.set_goods_local(goods_ids=[801, 802], promise_hours=24)
    detail = goods_svc.goods_detail(goods_id=801)
    assert detail.promise_hours == 24
    assert {s.sku_id: s.cost_price_fen for s in detail.skus} == {9001: 900, 9002: 900, 9003: 900}
    assert [e for e, _d in audits("set_promise_hours")] == ["801", "802"]
    assert audits("set_promise_hours")[0][1] == {"from": 48, "to": 24}


@pytest.mark.parametrize(
    ("hours", "match"), [(0, "1 到 360"), (361, "1 到 360"), (2.5, "整数小时"), (None, "整数")]
)
def test_bad_promise_hours_write_nothing(shop, hours, match):  # noqa: F811
    before = snapshot()
    with pytest.raises(ValidationError, match=match):
        svc.set_goods_local(goods_ids=[801], promise_hours=hours)
    with pytest.raises(NotAllowed, match="商品ID 5"):
        svc.set_goods_local(goods_ids=[801, 5], promise_hours=24)
    assert snapshot() == before


def test_seller_codes(shop):  # noqa: F811
    svc.set_sku_outer_id(sku_id=9001, outer_id="  TS-W-M2 ")
    svc.set_goods_outer_id(goods_id=801, outer_goods_id="TS-02")
    assert q("SELECT outer_id FROM sku WHERE sku_id = 9001") == [("TS-W-M2",)]
    assert q("SELECT outer_goods_id FROM goods WHERE goods_id = 801") == [("TS-02",)]
    assert audits("set_sku_outer_id")[0] == ("9001", {"from": "TS-W-M", "to": "TS-W-M2"})
    before = snapshot()
    with pytest.raises(NotAllowed, match="「TS-W-L」已被规格ID 9002 使用"):
        svc.set_sku_outer_id(sku_id=9001, outer_id="TS-W-L")
    with pytest.raises(ValidationError, match="控制字符"):
        svc.set_sku_outer_id(sku_id=9001, outer_id="A\u202eB")
    with pytest.raises(ValidationError, match="最长 64"):
        svc.set_goods_outer_id(goods_id=801, outer_goods_id="X" * 65)
    with pytest.raises(NotAllowed, match="规格ID 1"):
        svc.set_sku_outer_id(sku_id=1, outer_id="Z")
    assert snapshot() == before
    svc.set_sku_outer_id(sku_id=9001, outer_id="")  # clearing is allowed
    assert q("SELECT outer_id FROM sku WHERE sku_id = 9001") == [("",)]


def test_code_and_values_together_are_one_transaction(shop):  # noqa: F811
    before = snapshot()
    # the cost is fine but the code is taken: nothing changes
    with pytest.raises(NotAllowed, match="已被规格ID 9002"):
        svc.set_sku_local(sku_ids=[9001], cost_price_fen=1, outer_id="TS-W-L")
    with pytest.raises(ValidationError, match="逐个规格"):
        svc.set_sku_local(sku_ids=[9001, 9003], outer_id="X")
    with pytest.raises(ValidationError, match="逐个商品"):
        svc.set_goods_local(goods_ids=[801, 802], outer_goods_id="X")
    assert snapshot() == before
    svc.set_sku_local(sku_ids=[9001], cost_price_fen=1, outer_id="NEW-1")
    svc.set_goods_local(goods_ids=[802], promise_hours=72, outer_goods_id="NUT-2")
    assert q("SELECT cost_price_fen, outer_id FROM sku WHERE sku_id = 9001") == [(1, "NEW-1")]
    assert q("SELECT promise_hours, outer_goods_id FROM goods WHERE goods_id = 802") == [(72, "NUT-2")]


def test_bulk_edit_by_goods_covers_every_sku_or_nothing(shop):  # noqa: F811
    svc.set_goods_skus_local(goods_ids=[801], low_stock_threshold=7)
    assert q("SELECT sku_id, low_stock_threshold FROM sku ORDER BY sku_id") == [
        (9001, 7),
        (9002, 7),
        (9003, 7),
        (9004, 5),
        (9005, 5),
    ]
    before = snapshot()
    with pytest.raises(NotAllowed, match="商品不存在"):
        svc.set_goods_skus_local(goods_ids=[801, 999], low_stock_threshold=9)
    with pytest.raises(ValidationError, match="没有要修改"):
        svc.set_goods_skus_local(goods_ids=[801])
    assert snapshot() == before
