"""盘点 and 入库: exact differences as movements, set_stock ops, moving-average cost; all or nothing."""

from __future__ import annotations

import json

import pytest

from pdd_desktop.domain.errors import NotAllowed, ValidationError
from pdd_desktop.services import goods as goods_svc
from pdd_desktop.services import stock as svc
from tests.conftest import DEMO_NOW
from tests.helpers.db import db_state, q
from tests.services.test_import_goods import shop, write_sheet  # noqa: F401

TABLES = ("sku", "goods", "stock_movement", "outbox", "audit_log")


def snapshot() -> tuple:
    return db_state(TABLES, "SELECT sku_id, stock, cost_price_fen FROM sku ORDER BY sku_id")


def test_stocktake_applies_exact_differences(shop, tmp_path):  # noqa: F811
    # 9001 stock 10, 9002 0, 9003 7 (by code TS-B-M), 9004 120, 9005 3 (not counted)
    path = write_sheet(
        tmp_path / "盘点.csv",
        [
            ["样式ID", "商家编码-规格维度", "盘点数量"],
            ["9001", "", "13"],
            ["9002", "", "0"],
            ["", "TS-B-M", "4"],
            ["9004", "", "121"],
        ],
    )
    check = svc.check_stocktake(path)
    assert check.errors == ()
    assert [(line.sku_id, line.stock, line.counted, line.delta) for line in check.lines] == [
        (9001, 10, 13, 3),
        (9002, 0, 0, 0),
        (9003, 7, 4, -3),
        (9004, 120, 121, 1),
    ]
    assert q("SELECT COUNT(*) FROM stock_movement") == [(0,)]  # the check writes nothing
    result = svc.apply_stocktake(check, reason="月底盘点")
    assert (result.changed, result.unchanged, result.units_added, result.units_removed) == (3, 1, 4, 3)
    assert result.changes.goods
    assert q("SELECT sku_id, stock FROM sku ORDER BY sku_id") == [
        (9001, 13), (9002, 0), (9003, 4), (9004, 121), (9005, 3)
    ]  # fmt: skip
    assert q("SELECT sku_id, at, delta, stock_after, kind, note FROM stock_movement ORDER BY sku_id") == [
        (9001, DEMO_NOW, 3, 13, "stocktake", "盘点 盘点.csv：月底盘点"),
        (9003, DEMO_NOW, -3, 4, "stocktake", "盘点 盘点.csv：月底盘点"),
        (9004, DEMO_NOW, 1, 121, "stocktake", "盘点 盘点.csv：月底盘点"),
    ]
    ops = [
        (json.loads(p), json.loads(b))
        for p, b in q("SELECT payload_json, base_json FROM outbox WHERE op_type = 'set_stock' ORDER BY id")
    ]
    assert ops == [
        ({"goods_id": 801, "sku_id": 9001, "quantity": 13}, {"quantity": 10}),
        ({"goods_id": 801, "sku_id": 9003, "quantity": 4}, {"quantity": 7}),
        ({"goods_id": 802, "sku_id": 9004, "quantity": 121}, {"quantity": 120}),
    ]
    assert q("SELECT COUNT(*) FROM audit_log WHERE action = 'stocktake'") == [(3,)]
    # the movement log names the kind
    assert goods_svc.stock_movements(sku_id=9001)[0].kind_label == "盘点"


def test_bad_rows_are_reported_and_refuse_the_whole_sheet(shop, tmp_path):  # noqa: F811
    path = write_sheet(
        tmp_path / "盘点.csv",
        [
            ["样式ID", "商家编码-规格维度", "盘点数量"],
            ["9001", "", "13"],
            ["9001", "", "14"],
            ["", "NOPE", "1"],
            ["9004", "", "-2"],
            ["9005", "", ""],
            ["777", "", "1"],
        ],
    )
    check = svc.check_stocktake(path)
    got = [(e.row_no, e.message) for e in check.errors]
    assert got == [
        (3, "与第 2 行是同一规格"),
        (4, "找不到该商家编码的规格"),
        (5, "不能为负数"),
        (6, "没有填写盘点数量"),
        (7, "找不到该规格"),
    ]
    before = snapshot()
    with pytest.raises(NotAllowed, match="5 行有问题"):
        svc.apply_stocktake(check)
    assert snapshot() == before


def test_stock_moved_since_the_check_refuses_the_apply(shop, tmp_path):  # noqa: F811
    path = write_sheet(tmp_path / "盘点.csv", [["样式ID", "盘点数量"], ["9001", "13"], ["9004", "100"]])
    check = svc.check_stocktake(path)
    q("UPDATE sku SET stock = 119 WHERE sku_id = 9004")
    before = snapshot()
    with pytest.raises(NotAllowed, match="从 120 变为 119"):
        svc.apply_stocktake(check)
    assert snapshot() == before


def test_missing_columns_are_named(shop, tmp_path):  # noqa: F811
    path = write_sheet(tmp_path / "x.csv", [["样式ID", "库存"], ["9001", "1"]])
    with pytest.raises(ValidationError, match="盘点数量"):
        svc.check_stocktake(path)


def test_inbound_adds_stock_and_averages_the_cost(shop):  # noqa: F811
    # 9001: stock 10 at 9.00; receive 30 at 10.00 → (10×900 + 30×1000) / 40 = 975
    svc.receive_inbound(sku_id=9001, quantity=30, unit_cost_fen=1000, note="供应商A")
    assert q("SELECT stock, cost_price_fen FROM sku WHERE sku_id = 9001") == [(40, 975)]
    assert q("SELECT delta, stock_after, kind, note FROM stock_movement") == [
        (30, 40, "inbound", "入库 30 件，单价 10.00 元：供应商A")
    ]
    ((payload, base),) = q("SELECT payload_json, base_json FROM outbox WHERE op_type = 'set_stock'")
    assert json.loads(payload)["quantity"] == 40 and json.loads(base) == {"quantity": 10}
    ((detail,),) = q("SELECT detail_json FROM audit_log WHERE action = 'inbound'")
    assert json.loads(detail)["cost_fen"] == [900, 975]
    # 9004 has no cost: it takes the unit cost; 9002 has stock 0: the unit cost too
    svc.receive_inbound(sku_id=9004, quantity=5, unit_cost_fen=4000)
    svc.receive_inbound(sku_id=9002, quantity=5, unit_cost_fen=1111)
    assert q("SELECT sku_id, cost_price_fen FROM sku WHERE sku_id IN (9002, 9004) ORDER BY sku_id") == [
        (9002, 1111),
        (9004, 4000),
    ]
    # no unit cost: the cost stays
    svc.receive_inbound(sku_id=9005, quantity=1, unit_cost_fen=None)
    assert q("SELECT stock, cost_price_fen FROM sku WHERE sku_id = 9005") == [(4, 5000)]


def test_moving_average_rounds_half_up():
    assert svc.moving_average_cost(100, 1, 101, 1) == 101  # 100.5 → 101
    assert svc.moving_average_cost(100, 2, 101, 1) == 100  # 100.33 → 100
    assert svc.moving_average_cost(None, 5, 333, 2) == 333
    assert svc.moving_average_cost(500, -3, 200, 2) == 200  # oversold: nothing on hand


@pytest.mark.parametrize(
    ("kwargs", "err"),
    [
        ({"quantity": 0}, ValidationError),
        ({"quantity": 2.0}, ValidationError),
        ({"unit_cost_fen": -5}, ValidationError),
        ({"quantity": 9_999_999}, NotAllowed),
        ({"sku_id": 1}, NotAllowed),
    ],
)
def test_bad_inbound_writes_nothing(shop, kwargs, err):  # noqa: F811
    args = {"sku_id": 9001, "quantity": 3, "unit_cost_fen": 100, **kwargs}
    before = snapshot()
    with pytest.raises(err):
        svc.receive_inbound(**args)
    assert snapshot() == before


def test_stocktake_and_inbound_reach_the_platform_once(rig, tmp_path):
    from tests.services.test_goods_ops import (
        STOCK_API,
        local_sku,
        outbox_states,
        pick_sku,
        remote_sku,
        synced,
    )

    engine = synced(rig)
    sku_id, _g, stock, _gp, _sp = pick_sku(rig)
    path = write_sheet(tmp_path / "盘点.csv", [["样式ID", "盘点数量"], [str(sku_id), str(stock - 2)]])
    svc.apply_stocktake(svc.check_stocktake(path), reason="抽盘")
    svc.receive_inbound(sku_id=sku_id, quantity=10, unit_cost_fen=500)
    report = engine.push()
    assert (report.sent, report.succeeded) == (1, 1)  # the inbound superseded the unsent stocktake op
    assert outbox_states(rig, "set_stock") == ["cancelled", "succeeded"]
    assert rig.shop.effects(STOCK_API, sku_id=sku_id, quantity=stock + 8) == 1
    assert remote_sku(rig, sku_id)[0] == stock + 8
    assert engine.run_once().outcome == "ok"
    assert local_sku(rig, sku_id)[0] == stock + 8
    assert [
        r[0]
        for r in q(
            "SELECT delta FROM stock_movement WHERE sku_id = ? "
            "AND kind IN ('stocktake', 'inbound') ORDER BY id",
            sku_id,
        )
    ] == [-2, 10]
