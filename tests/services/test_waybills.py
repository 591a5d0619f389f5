"""Platform e-waybills end to end: a real shop synced from the sandbox, numbers at print time, voiding.

The sandbox's own tables (``sandbox_waybill``, its balances, its effect log) are the oracle.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap

import pytest

from pdd_desktop.common.paths import shop_paths
from pdd_desktop.domain.orders import OrderStatus, RefundStatus
from pdd_desktop.sandbox import waybill_print
from pdd_desktop.services import orders, printing, shipping, shops, waybills
from pdd_desktop.services import shop as shop_service
from pdd_desktop.ui.pages.orders.detail import render_detail
from tests.helpers.db import raw_rows
from tests.helpers.sync_rig import make_rig
from tests.sandbox import NOW0

GET = "pdd.waybill.get"
SEND = "pdd.logistics.online.send"
#: History the real shop pulls (enough orders waiting to ship).
BACKFILL_S = 6 * 86400


@pytest.fixture
def real(tmp_path, tmp_path_factory):
    """The sandbox platform and a new real shop made by ``services.shops`` (not a demo copy)."""
    rig = make_rig(tmp_path, tmp_path_factory, local="empty")
    paths = shops.create_shop(rig.data_dir, "测试真实小店")
    shop_service.open_shop(shop_paths(rig.data_dir, paths.shop))
    rig.db = paths.db_file
    report = rig.engine(rig.client(rate_limits=False), initial_cursor_ts=NOW0 - BACKFILL_S).run_once()
    assert report.outcome == "ok", report
    yield rig
    rig.close()


def _platform_account(code: str) -> waybills.WaybillAccountView:
    (acc,) = [a for a in waybills.list_accounts() if a.source == "platform" and a.wp_code == code]
    return acc


def _to_ship(rig, n: int) -> list[tuple[int, str]]:
    rows = raw_rows(
        rig.db,
        'SELECT id, order_sn FROM "order" o WHERE status = ? AND refund_status = 1 '
        "AND after_sales_status = 0 "
        "AND NOT EXISTS (SELECT 1 FROM package_order po WHERE po.order_id = o.id) ORDER BY id LIMIT ?",
        (int(OrderStatus.TO_SHIP), n),
    )
    assert len(rows) == n
    return rows


def _issued(rig) -> dict[str, tuple]:
    """Waybill code → (object id, order numbers, cancelled at) as the sandbox issued them."""
    return {r[0]: (r[1], json.loads(r[2]), r[3]) for r in rig.shop.waybills.issued()}


def test_a_real_shop_syncs_accounts_prints_a_platform_label_and_ships_with_it(real, tmp_path):
    accounts = {a.wp_code: a for a in waybills.list_accounts() if a.source == "platform"}
    assert set(accounts) == {"ZTO", "YTO", "YUNDA"}
    zto = accounts["ZTO"]
    assert (zto.quantity, zto.branch_name, zto.ship_address) == (
        5000, "中通快递 上海浦东张江网点", "上海市上海市浦东新区张江路 88 号",
    )  # fmt: skip
    assert zto.is_default and zto.source_label == "平台电子面单"
    assert raw_rows(real.db, "SELECT COUNT(*) FROM waybill_template WHERE wp_code = 'ZTO'") == [(2,)]

    ((oid, sn),) = _to_ship(real, 1)
    doc = printing.render_documents(
        doc_type="label", order_ids=[oid], out=tmp_path / "l.pdf", account_id=zto.id, client=real.client()
    )
    assert doc.pages == 1 and not doc.skipped
    ((_, number),) = doc.tracking_numbers
    issued = _issued(real)
    assert list(issued) == [number] and issued[number][1] == [sn]
    (row,) = raw_rows(
        real.db,
        "SELECT state, order_id, source, sort_code, hub, print_data, template_url FROM waybill_number "
        "WHERE tracking_number = ?",
        (number,),
    )
    state, order_id, source, sort_code, hub, print_data, template_url = row
    assert (state, order_id, source) == ("allocated", oid, "platform")
    assert sort_code and hub.endswith("转运中心")
    assert template_url == waybill_print.standard_template_url("ZTO", "76x130")
    if shutil.which("pdftotext"):  # the ReportLab label prints the route codes
        printed = subprocess.run(
            ["pdftotext", "-enc", "UTF-8", str(tmp_path / "l.pdf"), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert sort_code.split()[0] in printed and hub in printed and number in printed
    # The print data is the platform's sealed waybill: it opens with the sandbox's secret only.
    content = json.loads(print_data)
    opened = waybill_print.open_document(real.shop.credentials.client_secret, content)
    assert opened["waybill_code"] == number and opened["sort_code"] == sort_code
    assert [n.source_label for n in waybills.order_numbers(oid)] == ["平台电子面单"]
    assert real.shop.waybills.balance("ZTO") == 4999

    # Printing again keeps the number (no second request).
    again = printing.render_documents(
        doc_type="label", order_ids=[oid], out=tmp_path / "l2.pdf", account_id=zto.id, client=real.client()
    )
    assert again.tracking_numbers == doc.tracking_numbers
    assert real.shop.effects(GET) == 1

    result = shipping.ship_batch_from_pool(order_ids=[oid], account_id=zto.id)
    assert [s.tracking_number for s in result.shipped] == [number]
    assert raw_rows(real.db, "SELECT sort_code, hub FROM package WHERE tracking_number = ?", (number,)) == [
        (sort_code, hub)
    ]
    report = real.engine(real.client(rate_limits=False), initial_cursor_ts=NOW0 - BACKFILL_S).run_once()
    assert report.outcome == "ok", report
    assert real.shop.effects(SEND, order_sn=sn, tracking_number=number) == 1
    detail = orders.order_detail(oid)
    assert detail.label_numbers == ((number, "平台电子面单", "已发货", f"{sort_code} {hub}"),)
    assert "平台电子面单" in render_detail(detail) and sort_code in render_detail(detail)
    assert real.shop.query(
        "SELECT p.tracking_number FROM package p JOIN package_order po ON po.package_id = p.id "
        'JOIN "order" o '
        "ON o.id = po.order_id WHERE o.order_sn = ? AND p.voided_at IS NULL",
        (sn,),
    ) == [(number,)]


def test_the_platform_takes_at_most_ten_orders_per_call(real):
    assert waybills.MAX_PER_CALL == 10
    dto = {"object_id": "x", "order_info": {"trade_order_list": []}, "recipient": {}}
    request = {"wp_code": "ZTO", "sender": {"address": {"detail": "x"}}}
    with pytest.raises(ValueError, match="1–10"):
        real.client().waybill_numbers({**request, "trade_order_info_dtos": [dto] * 11})
    from pdd_desktop.platform.errors import PlatformError

    with pytest.raises(PlatformError, match="数量限制为10"):
        real.client().call(
            GET,
            {"param_waybill_cloud_print_apply_new_request": {
                **request, "trade_order_info_dtos": [{**dto, "object_id": str(i)} for i in range(11)]}},
        )  # fmt: skip
    assert real.shop.effects(GET) == 0


def test_a_partial_batch_names_each_order_without_a_number_and_labels_none_of_them(
    real, tmp_path, monkeypatch
):
    monkeypatch.setattr(waybills, "MAX_PER_CALL", 4)  # the sandbox history has 7 orders waiting: 2 calls
    orders = _to_ship(real, 7)
    ids = [o[0] for o in orders]
    refused_sn = orders[3][1]
    real.shop.waybills.refused.add(refused_sn)
    # the courier does not reach the province of order 6
    (province,) = real.shop.query('SELECT province FROM "order" WHERE order_sn = ?', (orders[6][1],))[0]
    real.shop.waybills.unreachable.add(("ZTO", province))
    blocked = {oid for oid, sn in orders if real.shop.query(
        'SELECT 1 FROM "order" WHERE order_sn = ? AND province = ?', (sn, province))}  # fmt: skip
    zto = _platform_account("ZTO")
    calls = []
    client = real.client()
    original = client.waybill_numbers

    def counting(request):
        calls.append(len(request["trade_order_info_dtos"]))
        return original(request)

    client.waybill_numbers = counting
    doc = printing.render_documents(
        doc_type="label", order_ids=ids, out=tmp_path / "l.pdf", account_id=zto.id, client=client
    )
    assert calls == [4, 3]
    reasons = {s.order_id: s.reason for s in doc.skipped}
    assert reasons[orders[3][0]] == "快递网点拒绝揽收"
    assert all(reasons[oid] == "快递公司不能送达该地址" for oid in blocked)
    assert set(reasons) == blocked | {orders[3][0]}
    labelled = {oid for oid, _ in doc.tracking_numbers}
    assert labelled == set(ids) - set(reasons) and doc.pages == len(labelled)
    assert len(_issued(real)) == len(labelled)
    # Nothing is reserved for the orders that got no number.
    assert raw_rows(
        real.db,
        f"SELECT COUNT(*) FROM waybill_number WHERE order_id IN ({','.join('?' * len(reasons))})",
        tuple(reasons),
    ) == [(0,)]


def test_the_balance_running_out_mid_batch_stops_the_rest_with_the_reason(real, tmp_path):
    real.shop.waybills.set_balance("YTO", 3)
    orders = _to_ship(real, 5)
    ids = [o[0] for o in orders]
    yto = _platform_account("YTO")
    result = waybills.issue_numbers(client=real.client(), order_ids=ids, account_id=yto.id)
    assert sorted(result.numbers) == ids[:3]
    assert [(f.order_id, f.reason) for f in result.failures] == [(i, "电子面单余额不足") for i in ids[3:]]
    assert real.shop.waybills.balance("YTO") == 0
    doc = printing.render_documents(
        doc_type="label", order_ids=ids, out=tmp_path / "l.pdf", account_id=yto.id, client=real.client()
    )
    assert {oid for oid, _ in doc.tracking_numbers} == set(ids[:3])
    assert {s.order_id: s.reason for s in doc.skipped} == {i: "电子面单余额不足" for i in ids[3:]}


def test_a_label_voided_after_a_refund_gives_the_balance_back_and_never_ships(real, tmp_path):
    (oid, _sn), (other_id, _other_sn) = _to_ship(real, 2)
    zto = _platform_account("ZTO")
    result = waybills.issue_numbers(client=real.client(), order_ids=[oid], account_id=zto.id)
    number = result.numbers[oid]
    assert real.shop.waybills.balance("ZTO") == 4999
    # The buyer was refunded before pickup (as the orders pull would store it).
    raw = real.db
    import sqlite3

    conn = sqlite3.connect(raw)
    conn.execute('UPDATE "order" SET refund_status = ? WHERE id = ?', (int(RefundStatus.REFUNDED), oid))
    conn.commit()
    conn.close()
    engine = real.engine(real.client(rate_limits=False), initial_cursor_ts=NOW0 - BACKFILL_S)
    assert engine.run_once().outcome == "ok"  # the pull voids it and queues the cancel
    assert raw_rows(
        real.db, "SELECT state, cancel_state FROM waybill_number WHERE tracking_number = ?", (number,)
    ) == [("cancelled", "pending")]
    assert engine.run_once().outcome == "ok"  # the push cancels it on the platform
    assert real.shop.effects("pdd.waybill.cancel") == 1
    assert real.shop.waybills.balance("ZTO") == 5000
    assert _issued(real)[number][2] is not None
    assert raw_rows(
        real.db, "SELECT cancel_state FROM waybill_number WHERE tracking_number = ?", (number,)
    ) == [("done",)]
    # The number can never ship another order: locally refused ...
    zto_courier = raw_rows(real.db, "SELECT courier_id FROM waybill_account WHERE id = ?", (zto.id,))[0][0]
    typed = shipping.ship_batch_with_numbers(assignments=[(other_id, zto_courier, number)])
    assert not typed.shipped
    assert "已作废" in typed.skipped[0].reason
    with pytest.raises(Exception, match="已作废"):
        shipping.ship_order(order_id=other_id, courier_id=zto_courier, tracking_number=number)
    # ... and by the platform.
    from pdd_desktop.platform.errors import PlatformError

    (other_sn,) = raw_rows(real.db, 'SELECT order_sn FROM "order" WHERE id = ?', (other_id,))[0]
    with pytest.raises(PlatformError, match="已取消"):
        real.client().ship(other_sn, zto_courier, number)


def test_the_merchant_voids_a_label_offline_and_the_cancel_waits_in_the_outbox(real):
    ((oid, _sn),) = _to_ship(real, 1)
    zto = _platform_account("ZTO")
    number = waybills.issue_numbers(client=real.client(), order_ids=[oid], account_id=zto.id).numbers[oid]
    waybills.void_number(tracking_number=number)
    assert raw_rows(
        real.db,
        "SELECT state FROM outbox WHERE op_type = 'waybill_cancel' AND entity_remote_id = ?",
        (number,),
    ) == [("pending",)]
    assert real.shop.waybills.balance("ZTO") == 4999  # nothing sent yet
    with pytest.raises(Exception, match="已作废"):
        waybills.void_number(tracking_number=number)
    report = real.engine(real.client(rate_limits=False), initial_cursor_ts=NOW0 - BACKFILL_S).run_once()
    assert report.outcome == "ok"
    assert real.shop.waybills.balance("ZTO") == 5000


_CHILD = textwrap.dedent(
    r"""
    import json, os, signal, sys
    from pdd_desktop.data.db import open_database
    from pdd_desktop.platform.client import StaticTokenSource
    from pdd_desktop.services import waybills
    from pdd_desktop.services.sync import platform_client
    a = json.loads(sys.argv[1])
    open_database(a["db"])
    c = platform_client(a["url"], a["client_id"], a["secret"], tokens=StaticTokenSource(a["token"]))
    c.offset_s = a["offset"]
    real = c.waybill_numbers
    def issue_then_die(request):
        modules = real(request)           # the platform issued the numbers ...
        print(json.dumps([m.waybill_code for m in modules]), flush=True)
        os.kill(os.getpid(), signal.SIGKILL)  # ... and the app dies before storing them
    c.waybill_numbers = issue_then_die
    waybills.issue_numbers(client=c, order_ids=a["ids"], account_id=a["account"])
    """
)


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_a_kill_between_issue_and_store_finds_the_same_numbers_on_the_next_try(real):
    orders = _to_ship(real, 3)
    ids = [o[0] for o in orders]
    zto = _platform_account("ZTO")
    creds = real.shop.credentials
    client = real.client()
    args = {
        "db": str(real.db), "url": real.url, "client_id": creds.client_id, "secret": creds.client_secret,
        "token": creds.access_token, "offset": client.offset_s, "ids": ids, "account": zto.id,
    }  # fmt: skip
    env = {**os.environ, "PYTHONPATH": os.getcwd()}
    child = subprocess.run(
        [sys.executable, "-c", _CHILD, json.dumps(args)], capture_output=True, text=True, timeout=120, env=env
    )
    assert child.returncode == -signal.SIGKILL, child.stderr
    first = json.loads(child.stdout.strip().splitlines()[-1])
    assert len(first) == 3 and len(_issued(real)) == 3
    # Issued on the platform, not stored here: the requests are pending, no number is local.
    assert raw_rows(real.db, "SELECT COUNT(*) FROM waybill_request WHERE state = 'pending'") == [(3,)]
    assert raw_rows(real.db, "SELECT COUNT(*) FROM waybill_number WHERE source = 'platform'") == [(0,)]

    result = waybills.issue_numbers(client=client, order_ids=ids, account_id=zto.id)
    assert [result.numbers[i] for i in ids] == first  # found again, not issued a second time
    assert len(_issued(real)) == 3 and real.shop.effects(GET) == 3
    assert real.shop.waybills.balance("ZTO") == 4997
    assert raw_rows(real.db, "SELECT COUNT(*) FROM waybill_request WHERE state = 'done'") == [(3,)]


def test_the_command_line_never_prints_an_encrypted_receiver_label(real, tmp_path, capsys):
    """``pdd-desktop print labels`` leaves platform labels with an encrypted receiver to the component."""
    from pdd_desktop.cli.main import main

    zto = _platform_account("ZTO")
    ((oid, sn),) = _to_ship(real, 1)
    (receiver,) = raw_rows(real.db, 'SELECT receiver_name FROM "order" WHERE id = ?', (oid,))
    assert receiver == ("",)  # the platform sends the receiver encrypted while 待发货
    issued = printing.render_documents(
        doc_type="label", order_ids=[oid], out=tmp_path / "w.pdf", account_id=zto.id,
        client=real.client(), clear_receivers_only=True,
    )  # fmt: skip
    ((number, _),) = [(c.waybill_code, c.order_ids) for c in issued.cloud]
    assert issued.pages == 0  # the window path: nothing for ReportLab, the component prints it
    shop_service.close_shop()
    out = tmp_path / "cli.pdf"
    shop = real.db.parent.name
    argv = ["--data-dir", str(real.data_dir), "--shop", shop, "print", "labels", "--orders", sn]
    code = main([*argv, "--out", str(out)])
    said = capsys.readouterr()
    assert code == 1 and not out.exists(), said
    assert "只能通过拼多多打印组件打印" in said.out and number in said.out
    assert raw_rows(real.db, "SELECT COUNT(*) FROM print_job") == [(0,)]
