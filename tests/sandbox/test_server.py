"""The sandbox gateway over real HTTP: protocol checks, paging, writes, effects and faults."""

from __future__ import annotations

import json
import re
import time
from decimal import Decimal

import httpx
import pytest

from pdd_desktop.sandbox.server import SandboxServer
from pdd_desktop.sandbox.state import SandboxShop
from tests.sandbox import NOW0, ORDERS, SEED, Caller, demo_template, error_code

INC = "pdd.order.number.list.increment.get"
SHIP = "pdd.logistics.online.send"


@pytest.fixture
def shop(tmp_path, tmp_path_factory):
    s = SandboxShop.open(
        tmp_path / "sb", orders=ORDERS, seed=SEED, now0=NOW0, template=demo_template(tmp_path_factory)
    )
    yield s
    s.close()


@pytest.fixture
def server(shop):
    srv = SandboxServer(shop, run_sim=False)
    srv.start()
    yield srv
    srv.stop()


@pytest.fixture
def api(server, shop):
    c = Caller(server.gateway_url, shop)
    yield c
    c.close()


def _busy_window(shop, n=2):
    """The newest 30-minute window before NOW0 with at least ``n`` orders."""
    for start in range(NOW0 - 1800, NOW0 - 60 * 86400, -1800):
        if len(shop.order_ids_in_window(start, start + 1800)) >= n:
            return dict(
                start_updated_at=start,
                end_updated_at=start + 1800,
                order_status=5,
                refund_status=5,
                is_lucky_flag=0,
            )
    raise AssertionError("no busy window in the demo")


def _to_ship(shop, n=1):
    return [
        r[0]
        for r in shop.query(
            'SELECT order_sn FROM "order" WHERE status = 1 AND refund_status = 1 ORDER BY id DESC LIMIT ?',
            (n,),
        )
    ]


# ---------------------------------------------------------------------- protocol


def test_good_requests_answer_with_the_documented_keys(api, shop):
    assert api.url.startswith("http://127.0.0.1:") and api.url.endswith("/api/router")
    body = api.call("pdd.time.get", token=None)
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", body["time_get_response"]["time"])
    assert api.call("pdd.mall.info.get")["mall_info_get_response"]["mall_id"] == shop.credentials.mall_id
    companies = api.call("pdd.logistics.companies.get", token=None)["logistics_companies_get_response"]
    assert {"id": 115, "logistics_company": "中通快递", "code": "ZTO", "available": 1} in companies[
        "logistics_companies"
    ]
    sn = _to_ship(shop)[0]
    info = api.call("pdd.order.information.get", order_sn=sn)["order_info_get_response"]["order_info"]
    assert info["order_sn"] == sn and info["order_status"] == 1
    status = api.call("pdd.order.status.get", order_sns=f"{sn},000000-000")["order_status_get_response"]
    assert status["order_status_list"] == [
        {"orderSn": sn, "order_status": 1, "refund_status": 1},
        {"orderSn": "000000-000", "order_status": 0, "refund_status": 0},
    ]


def test_order_money_is_yuan_with_two_decimals_and_receivers_are_masked(api, shop):
    sn = _to_ship(shop)[0]
    raw = api.raw("pdd.order.information.get", order_sn=sn).text
    assert re.search(r'"pay_amount":\d+\.\d\d[,}]', raw)
    info = json.loads(raw, parse_float=Decimal)["order_info_get_response"]["order_info"]
    pay_fen, phone, name = shop.query(
        'SELECT pay_amount_fen, receiver_phone, receiver_name FROM "order" WHERE order_sn = ?', (sn,)
    )[0]
    assert info["pay_amount"] == Decimal(pay_fen) / 100
    assert phone not in raw and name not in raw
    assert info["receiver_phone"].startswith("~") and "****" in info["receiver_phone_mask"]
    shipped = shop.query('SELECT order_sn FROM "order" WHERE status = 2 LIMIT 1')[0][0]
    other = api.call("pdd.order.information.get", order_sn=shipped)["order_info_get_response"]["order_info"]
    assert other["receiver_phone"] == "" and other["tracking_number"]


def test_json_and_multipart_bodies_are_accepted(api):
    p = api.params("pdd.time.get", token=None)
    assert "time_get_response" in httpx.post(api.url, json=p).json()
    files = {k: (None, v) for k, v in p.items()}
    assert "time_get_response" in httpx.post(api.url, files=files).json()


def test_bad_sign_is_20004(api):
    assert error_code(api.call("pdd.mall.info.get", secret="wrong")) == 20004


def test_stale_timestamp_is_refused(api, shop):
    body = api.call("pdd.mall.info.get", timestamp=shop.platform_now() - 601)
    assert error_code(body) == 20004
    assert "10分钟" in body["error_response"]["sub_msg"]
    assert "mall_info_get_response" in api.call("pdd.mall.info.get", timestamp=shop.platform_now() - 500)


def test_missing_common_parameters_and_unknown_type(api):
    p = api.params("pdd.mall.info.get")
    del p["timestamp"]
    body = httpx.post(api.url, data=p).json()
    assert body["error_response"]["error_code"] == 10001
    assert body["error_response"]["error_msg"] == "公共参数错误:timestamp"
    assert error_code(api.call("pdd.no.such.api")) == 10017


def test_bad_token_and_client_id(api, shop):
    assert error_code(api.call("pdd.mall.info.get", token="nope")) == 20032
    p = api.params("pdd.mall.info.get")
    p["client_id"] = "other"
    assert httpx.post(api.url, data=p).json()["error_response"]["error_code"] == 10016


def test_expired_token_gives_10019_and_refresh_works(api, shop):
    shop.expire_access_tokens()
    assert error_code(api.call("pdd.mall.info.get")) == 10019
    body = api.call("pdd.pop.auth.token.refresh", token=None, refresh_token=shop.credentials.refresh_token)
    fresh = body["pop_auth_token_refresh_response"]
    assert fresh["access_token"] != shop.credentials.access_token and fresh["expires_in"] > 0
    assert "mall_info_get_response" in api.call("pdd.mall.info.get", token=fresh["access_token"])
    assert error_code(api.call("pdd.pop.auth.token.refresh", token=None, refresh_token="bad")) == 20032


def test_windows_and_page_size_limits(api):
    base = {"order_status": 5, "refund_status": 5, "is_lucky_flag": 0, "page": 1}
    body = api.call(INC, start_updated_at=NOW0 - 1801, end_updated_at=NOW0, page_size=100, **base)
    assert error_code(body) == 50001 and "30分钟" in body["error_response"]["sub_msg"]
    assert (
        error_code(api.call(INC, start_updated_at=NOW0 - 1800, end_updated_at=NOW0, page_size=100, **base))
        is None
    )
    body = api.call(INC, start_updated_at=NOW0 - 1800, end_updated_at=NOW0, page_size=101, **base)
    assert error_code(body) == 21001
    body = api.call(
        INC, start_updated_at=NOW0 - 1800, end_updated_at=NOW0, page_size=10, **{**base, "page": 0}
    )
    assert error_code(body) == 21001
    body = api.call(
        "pdd.order.list.get",
        start_confirm_at=NOW0 - 86401,
        end_confirm_at=NOW0,
        order_status=5,
        refund_status=5,
    )
    assert body["error_response"]["error_code"] == 50001
    assert body["error_response"]["sub_msg"] == "时间跨度不能超过24小时"
    body = api.call(
        "pdd.refund.list.increment.get",
        start_updated_at=NOW0 - 3600,
        end_updated_at=NOW0,
        after_sales_status=1,
        after_sales_type=1,
    )
    assert error_code(body) == 50001


def test_increment_pages_backwards_cover_each_window_exactly(api, shop):
    start0 = NOW0 - 5 * 86400
    seen: set[str] = set()
    for start in range(start0, NOW0, 1800):
        end = start + 1800
        base = dict(
            start_updated_at=start, end_updated_at=end, order_status=5, refund_status=5, is_lucky_flag=0
        )
        first = api.call(INC, page=1, page_size=3, **base)["order_sn_increment_get_response"]
        total = first["total_count"]
        pages = (total + 2) // 3
        window: list[str] = []
        for page in range(pages, 0, -1):
            got = api.call(INC, page=page, page_size=3, use_has_next=True, **base)[
                "order_sn_increment_get_response"
            ]
            assert "total_count" not in got
            window += [o["order_sn"] for o in got["order_sn_list"]]
        expected = {sn for sn, _u in shop.order_ids_in_window(start, end)}
        assert len(window) == len(set(window)) == total
        assert set(window) == expected
        seen |= expected
    oracle = {
        r[0]
        for r in shop.query(
            'SELECT order_sn FROM "order" WHERE platform_updated_at BETWEEN ? AND ?', (start0, NOW0)
        )
    }
    assert seen == oracle and len(oracle) > 5


def test_goods_list_and_detail_prices_in_fen(api, shop):
    body = api.call("pdd.goods.list.get", page=1, page_size=2)["goods_list_get_response"]
    assert body["total_count"] == shop.query("SELECT COUNT(*) FROM goods")[0][0]
    goods = body["goods_list"][0]
    detail = api.call("pdd.goods.detail.get", goods_id=goods["goods_id"])["goods_detail_get_response"]
    sku = detail["sku_list"][0]
    single, group = shop.query(
        "SELECT single_price_fen, group_price_fen FROM sku WHERE sku_id = ?", (sku["sku_id"],)
    )[0]
    assert (sku["price"], sku["multi_price"]) == (single, group)
    assert isinstance(sku["price"], int)


# ---------------------------------------------------------------------- writes and effects


def test_ship_changes_status_once_and_a_second_ship_is_refused(api, shop):
    sn = _to_ship(shop)[0]
    before = shop.query('SELECT platform_updated_at FROM "order" WHERE order_sn = ?', (sn,))[0][0]
    ok = api.call(SHIP, order_sn=sn, logistics_id=115, tracking_number="731234567890123")
    assert ok == {"logistics_online_send_response": {"is_success": True}}
    info = api.call("pdd.order.information.get", order_sn=sn)["order_info_get_response"]["order_info"]
    assert (
        info["order_status"] == 2
        and info["tracking_number"] == "731234567890123"
        and info["logistics_id"] == 115
    )
    assert shop.query('SELECT platform_updated_at FROM "order" WHERE order_sn = ?', (sn,))[0][0] >= before
    assert shop.effects(SHIP, order_sn=sn) == 1
    again = api.call(SHIP, order_sn=sn, logistics_id=115, tracking_number="731234567890123")
    assert error_code(again) == 50001 and again["error_response"]["sub_msg"] == "订单已发货"
    assert shop.effects(SHIP, order_sn=sn) == 1


def test_tracking_number_of_another_buyer_is_refused(api, shop):
    a, b = _to_ship(shop, 2)
    assert error_code(api.call(SHIP, order_sn=a, logistics_id=115, tracking_number="739999999999999")) is None
    body = api.call(SHIP, order_sn=b, logistics_id=115, tracking_number="739999999999999")
    assert body["error_response"]["sub_msg"] == "运单号已被使用"
    assert shop.effects(SHIP) == 1


def test_memo_stock_price_shelf(api, shop):
    sn = _to_ship(shop)[0]
    body = api.call("pdd.order.note.update", order_sn=sn, note="加急", tag=1, tag_name="红旗")
    assert body == {"response": {"success": True, "error_code": 0, "error_msg": ""}}
    assert shop.query('SELECT seller_memo, flag FROM "order" WHERE order_sn = ?', (sn,))[0] == ("加急", 1)
    goods_id, sku_id, stock, single = shop.query(
        "SELECT goods_id, sku_id, stock, single_price_fen FROM sku WHERE stock > 0 ORDER BY sku_id LIMIT 1"
    )[0]
    body = api.call(
        "pdd.goods.quantity.update", goods_id=goods_id, sku_id=sku_id, quantity=-(stock + 1), update_type=2
    )
    assert body["error_response"]["sub_msg"] == "库存不能为负"
    body = api.call("pdd.goods.quantity.update", goods_id=goods_id, sku_id=sku_id, quantity=7)
    assert body == {"goods_quantity_update_response": {"is_success": True}}
    assert shop.query("SELECT stock FROM sku WHERE sku_id = ?", (sku_id,))[0][0] == 7
    prices = [{"sku_id": sku_id, "group_price": single - 100, "single_price": single}]
    body = api.call("pdd.goods.sku.price.update", goods_id=goods_id, sku_price_list=prices)
    assert body["goods_update_sku_price_response"]["is_success"] is True
    assert shop.query("SELECT group_price_fen FROM sku WHERE sku_id = ?", (sku_id,))[0][0] == single - 100
    bad = [{"sku_id": sku_id, "group_price": single, "single_price": single}]
    assert error_code(api.call("pdd.goods.sku.price.update", goods_id=goods_id, sku_price_list=bad)) == 50001
    assert api.call("pdd.goods.sale.status.set", goods_id=goods_id, is_onsale=0) == {
        "goods_sale_status_set_response": {"is_success": True}
    }
    assert shop.effects("pdd.goods.quantity.update", entity=goods_id) == 1
    assert shop.effects("pdd.goods.sku.price.update") == 1
    assert shop.effects("pdd.order.note.update", order_sn=sn, tag=1) == 1


def test_refund_detail_is_flat_and_agree_uses_the_response_wrapper(api, shop):
    cid, sn = shop.query(
        'SELECT a.id, o.order_sn FROM after_sale a JOIN "order" o ON o.id = a.order_id WHERE '
        "a.status = 2 LIMIT 1"
    )[0]
    detail = api.call("pdd.refund.information.get", order_sn=sn, after_sales_id=cid)
    assert (
        detail["id"] == cid and detail["after_sales_status"] == 2 and isinstance(detail["refund_amount"], int)
    )
    assert "expire_time" in detail and detail["expire_time"] > 10**12
    body = api.call(
        "pdd.refund.agree", request={"after_sales_id": cid, "order_sn": sn, "operate_desc": "同意"}
    )
    assert body == {
        "response": {"result": {"after_sales_id": cid, "order_sn": sn, "succ": True, "message": ""}}
    }
    assert shop.query("SELECT status FROM after_sale WHERE id = ?", (cid,))[0][0] == 4
    again = api.call("pdd.refund.agree", request={"after_sales_id": cid, "order_sn": sn})
    assert again["error_response"]["sub_msg"] == "售后单状态不允许操作"
    assert shop.effects("pdd.refund.agree", after_sales_id=cid) == 1
    rows = api.call(
        "pdd.refund.list.increment.get",
        start_updated_at=shop.platform_now() - 1800,
        end_updated_at=shop.platform_now(),
        after_sales_status=1,
        after_sales_type=1,
        page=1,
        page_size=10,
    )["refund_increment_get_response"]
    assert [r["id"] for r in rows["refund_list"]] == [cid] and rows["total_count"] == 1
    assert re.fullmatch(r"\d+\.\d\d", rows["refund_list"][0]["refund_amount"])


# ---------------------------------------------------------------------- faults


def test_apply_then_timeout_applies_exactly_once(api, shop):
    sn = _to_ship(shop)[0]
    shop.faults.set(apply_then_timeout_s=1.5, apply_then_timeout_next=1)
    with pytest.raises(httpx.ReadTimeout):
        api.raw(SHIP, order_sn=sn, logistics_id=115, tracking_number="731111111111111", http_timeout=0.5)
    info = api.call("pdd.order.information.get", order_sn=sn)["order_info_get_response"]["order_info"]
    assert info["order_status"] == 2
    assert shop.effects(SHIP, order_sn=sn) == 1


def test_5xx_faults(api, shop):
    shop.faults.set(error_next=2)
    assert [api.raw("pdd.time.get", token=None).status_code for _ in range(3)] == [503, 503, 200]
    shop.faults.set(error_rate=0.5)
    codes = [api.raw("pdd.time.get", token=None).status_code for _ in range(40)]
    assert 5 < codes.count(503) < 35 and codes.count(200) + codes.count(503) == 40


def test_rate_limit_burst(api, shop):
    shop.faults.set(rate_limit_next=2, retry_after_s=7)
    first = api.raw("pdd.mall.info.get")
    assert first.status_code == 200 and first.headers["Retry-After"] == "7"
    assert first.json()["error_response"]["error_code"] == 52101
    shop.faults.set(rate_limit_code=70031)
    assert error_code(api.call("pdd.mall.info.get")) == 70031
    assert "mall_info_get_response" in api.call("pdd.mall.info.get")


def test_truncated_body_and_repeated_page(api, shop):
    shop.faults.set(truncate_next=1)
    with pytest.raises(ValueError):
        json.loads(api.raw("pdd.mall.info.get").text)
    base = _busy_window(shop)
    p1 = api.call(INC, page=1, page_size=1, **base)["order_sn_increment_get_response"]["order_sn_list"]
    shop.faults.set(repeat_page_next=1)
    p2 = api.call(INC, page=2, page_size=1, **base)["order_sn_increment_get_response"]["order_sn_list"]
    assert p1 and p2 == p1


def test_drifting_row_and_clock_offset(api, shop):
    base = _busy_window(shop)
    start, end = base["start_updated_at"], base["end_updated_at"]
    shop.faults.set(drift_next=1)
    served = api.call(INC, page=1, page_size=1, **base)["order_sn_increment_get_response"]["order_sn_list"]
    moved = [sn for sn, u in shop.order_ids_in_window(start, end) if u == end]
    assert moved and moved[0] != served[0]["order_sn"]
    shop.faults.set(clock_offset_s=3600)
    assert abs(shop.platform_now() - time.time() - 3600) < 60


def test_control_endpoints(server, shop):
    base = server.gateway_url.removesuffix("/api/router")
    got = httpx.post(f"{base}/sandbox/faults", json={"rate_limit_next": 1}).json()
    assert got["rate_limit_next"] == 1
    assert httpx.post(f"{base}/sandbox/faults", json={"reset": True}).json()["rate_limit_next"] == 0
    assert httpx.post(f"{base}/sandbox/faults", json={"nope": 1}).status_code == 400
    assert httpx.get(f"{base}/sandbox/effects", params={"api_type": SHIP}).json() == {"count": 0}
    info = httpx.get(f"{base}/sandbox/info").json()
    assert info["client_id"] == shop.credentials.client_id and info["gateway_url"] == server.gateway_url


def test_only_loopback_binding(shop):
    with pytest.raises(ValueError):
        SandboxServer(shop, host="0.0.0.0")
    with pytest.raises(ValueError):
        SandboxServer(shop, host="localhost")
