"""Export of the filtered order list: masked by default, exact money, streamed, all or nothing."""

from __future__ import annotations

import csv
import json

import pytest
from openpyxl import load_workbook

from pdd_desktop.common.task import Cancelled, TaskContext
from pdd_desktop.services import orders as svc
from pdd_desktop.services.orders import OrderFilter
from tests.conftest import DEMO_NOW
from tests.helpers.db import raw_rows as _raw


def _read_csv(path):
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))


def _yuan(fen: int) -> str:
    return f"{fen // 100}.{fen % 100:02d}" if fen >= 0 else "-" + _yuan(-fen)


def test_masked_csv_lists_the_filtered_orders_in_order_with_exact_money(demo_shop, tmp_path):
    f = OrderFilter(view="shipped")
    out = tmp_path / "orders.csv"
    result = svc.export_orders(f, str(out), sort="created_desc", now=DEMO_NOW)
    rows = _read_csv(out)
    assert rows[0] == list(svc.EXPORT_HEADER)
    expected = _raw(
        demo_shop.db_file,
        "SELECT order_sn, pay_amount_fen, merchant_receive_fen, receiver_phone, receiver_phone_mask, "
        'receiver_name, address_detail, province FROM "order" WHERE status = 2 '
        "ORDER BY created_at DESC, id DESC",
    )
    assert result.rows == len(rows) - 1 == len(expected) > 0
    col = {name: i for i, name in enumerate(svc.EXPORT_HEADER)}
    for got, (sn, pay, receive, _phone, phone_mask, _name, _detail, province) in zip(
        rows[1:], expected, strict=True
    ):
        assert got[col["订单号"]] == sn
        assert got[col["用户实付(元)"]] == _yuan(pay)
        assert got[col["商家实收(元)"]] == _yuan(receive)
        assert got[col["手机号"]] == phone_mask and "*" in phone_mask
        assert got[col["省"]] == province
        assert got[col["订单状态"]] == "已发货"
    text = out.read_text(encoding="utf-8-sig")
    for _sn, _pay, _receive, phone, _mask, name, detail, _p in expected:
        assert phone not in text and detail not in text
        if len(name) > 1:
            assert f",{name}," not in text


def test_xlsx_keeps_numbers_as_text_and_items_in_full(demo_shop, tmp_path):
    out = tmp_path / "orders.xlsx"
    svc.export_orders(OrderFilter(view="to_ship"), str(out), now=DEMO_NOW)
    ws = load_workbook(out, read_only=True).worksheets[0]
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    assert rows[0] == list(svc.EXPORT_HEADER)
    first_ids = svc.search_ids(OrderFilter(view="to_ship"), now=DEMO_NOW)
    sql = 'SELECT order_sn FROM "order" WHERE id = ?'
    sns = [r[0] for r in _raw(demo_shop.db_file, sql, (first_ids[0],))]
    assert rows[1][0] == sns[0] and isinstance(rows[1][0], str)
    items = _raw(
        demo_shop.db_file,
        "SELECT goods_name, spec, quantity FROM order_item WHERE order_id = ? ORDER BY id",
        (first_ids[0],),
    )
    expected_items = "；".join(f"{n} {s}×{q}" if s else f"{n}×{q}" for n, s, q in items)
    assert rows[1][svc.EXPORT_HEADER.index("商品")] == expected_items


def test_full_receiver_export_is_audited_before_anything_is_read(demo_shop, tmp_path):
    out = tmp_path / "full.csv"
    result = svc.export_orders(
        OrderFilter(view="to_ship"), str(out), full_receiver=True, reason="给快递网点对账", now=DEMO_NOW
    )
    phones = {r[0] for r in _raw(demo_shop.db_file, 'SELECT receiver_phone FROM "order" WHERE status = 1')}
    got = {r[svc.EXPORT_HEADER.index("手机号")] for r in _read_csv(out)[1:]}
    assert got == phones and result.full_receiver
    sql = "SELECT action, detail_json FROM audit_log WHERE action = 'export_receivers'"
    audit = _raw(demo_shop.db_file, sql)
    assert len(audit) == 1
    detail = json.loads(audit[0][1])
    assert detail == {"orders": len(phones), "file": "full.csv", "reason": "给快递网点对账"}
    assert not any(p in audit[0][1] for p in phones)


def test_a_cancelled_export_leaves_no_file(demo_shop, tmp_path):
    (tmp_path / "out").mkdir()
    out = tmp_path / "out" / "orders.csv"
    task = TaskContext()
    task.cancel()
    with pytest.raises(Cancelled):
        svc.export_orders(OrderFilter(view="all"), str(out), task=task, now=DEMO_NOW)
    assert list((tmp_path / "out").iterdir()) == []


def test_an_existing_file_is_replaced_only_when_the_export_succeeds(demo_shop, tmp_path):
    out = tmp_path / "orders.csv"
    out.write_text("old", encoding="utf-8")
    task = TaskContext()
    task.cancel()
    with pytest.raises(Cancelled):
        svc.export_orders(OrderFilter(view="all"), str(out), task=task, now=DEMO_NOW)
    assert out.read_text(encoding="utf-8") == "old"
