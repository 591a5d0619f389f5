"""PlatformClient against a fake router on httpx.MockTransport (pdd-open-api.md §1-§9)."""

from __future__ import annotations

import json
import logging
import random
from collections.abc import Callable
from decimal import Decimal
from urllib.parse import parse_qsl

import httpx
import pytest

from pdd_desktop.platform import errors
from pdd_desktop.platform.client import (
    PlatformClient,
    StaticTokenSource,
    backoff_cap,
)
from pdd_desktop.platform.records import RecordError
from pdd_desktop.platform.sign import make_sign
from pdd_desktop.services.sync.registry import API_TABLE

#: The declared APIs' tables, as the client gets them (services.sync.registry).
RESPONSE_KEYS = API_TABLE.response_keys()
READ_ONLY_APIS = API_TABLE.read_only()

SECRET = "s3cr3t-CLIENT-secret"
TOKEN = "tok-ACCESS-123456"
NEW_TOKEN = "tok-NEW-654321"
CLIENT_ID = "cid-1"
GATEWAY = "http://gw.test/api/router"
NOW = 1_795_435_200.0  # 2026-11-23 12:00:00 UTC = 20:00 Beijing

Answer = dict | Callable[[dict], httpx.Response | dict] | httpx.Response | Exception


class FakeRouter:
    """A router that checks every request like the gateway and answers from a script."""

    def __init__(self) -> None:
        self.requests: list[dict[str, str]] = []
        self.headers: list[httpx.Headers] = []
        self.script: dict[str, list[Answer]] = {}
        self.valid_tokens = {TOKEN}

    def on(self, api: str, *answers: Answer) -> None:
        self.script.setdefault(api, []).extend(answers)

    def calls(self, api: str) -> list[dict[str, str]]:
        return [r for r in self.requests if r["type"] == api]

    def __call__(self, request: httpx.Request) -> httpx.Response:
        assert request.method == "POST"
        assert request.url == GATEWAY
        assert request.headers["content-type"] == "application/x-www-form-urlencoded;charset=utf-8"
        form = dict(parse_qsl(request.content.decode("ascii"), keep_blank_values=True))
        self.requests.append(form)
        self.headers.append(request.headers)
        assert form["sign"] == make_sign(form, SECRET), "sign does not verify"
        answers = self.script.get(form["type"])
        assert answers, f"unexpected call {form['type']}"
        answer = answers.pop(0) if len(answers) > 1 else answers[0]
        if isinstance(answer, Exception):
            raise answer
        if callable(answer) and not isinstance(answer, dict):
            answer = answer(form)
        if isinstance(answer, httpx.Response):
            return answer
        if "access_token" in form and form["access_token"] not in self.valid_tokens:
            return _json(_error(10019, "access_token已过期"))
        return _json(answer)


def _json(body: dict, status: int = 200, headers: dict | None = None) -> httpx.Response:
    return httpx.Response(status, content=json.dumps(body, ensure_ascii=False).encode(), headers=headers)


def _error(code: int, msg: str = "x", sub_code=None, sub_msg: str = "") -> dict:
    return {
        "error_response": {
            "error_msg": msg,
            "sub_msg": sub_msg,
            "sub_code": sub_code,
            "error_code": code,
            "request_id": "15440104776643887",
        }
    }


class RecordingTokens:
    def __init__(self) -> None:
        self.token = TOKEN
        self.refreshes = 0

    def access_token(self) -> str:
        return self.token

    def refresh(self) -> str:
        self.refreshes += 1
        self.token = NEW_TOKEN
        return self.token


@pytest.fixture
def router() -> FakeRouter:
    return FakeRouter()


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def tokens() -> RecordingTokens:
    return RecordingTokens()


@pytest.fixture
def client(router, sleeps, tokens) -> PlatformClient:
    return PlatformClient(
        GATEWAY,
        CLIENT_ID,
        SECRET,
        tokens=tokens,
        apis=API_TABLE,
        transport=httpx.MockTransport(router),
        clock=lambda: NOW,
        sleep=sleeps.append,
        rng=random.Random(7),
    )


def _order(**over) -> dict:
    order = {
        "order_sn": "261123-123456789012345",
        "order_status": 1,
        "refund_status": 1,
        "confirm_status": 1,
        "group_status": 1,
        "after_sales_status": 0,
        "trade_type": 0,
        "is_lucky_flag": 1,
        "risk_control_status": 0,
        "goods_amount": 1.0,
        "pay_amount": 4.5,
        "discount_amount": 0,
        "postage": 0,
        "order_change_amount": 0,
        "updated_at": "2026-11-23 19:55:00",
        "created_time": "2026-11-23 19:50:00",
        "pay_time": "2026-11-23 19:50:30",
        "confirm_time": "2026-11-23 19:51:00",
        "last_ship_time": "2026-11-25 19:51:00",
        "shipping_time": "",
        "receive_time": "",
        "buyer_memo": "",
        "remark": "",
        "remark_tag": None,
        "province": "浙江省",
        "city": "杭州市",
        "town": "西湖区",
        "receiver_name": "~AgAAAAEncryptedName~",
        "receiver_phone": "$AgAAAAEncryptedPhone$",
        "receiver_name_mask": "张*",
        "receiver_phone_mask": "1387677****",
        "item_list": [
            {
                "goods_id": "2542137428",
                "sku_id": 61234567890,
                "goods_name": "测试商品",
                "goods_count": 10,
                "goods_price": 0.1,
                "goods_spec": "黑色,XL",
                "outer_id": "SKU-1",
                "outer_goods_id": "G-1",
            }
        ],
    }
    order.update(over)
    return order


def _increment(*orders, total=None, has_next=None) -> dict:
    inner: dict = {"order_sn_list": list(orders)}
    if total is not None:
        inner["total_count"] = total
    if has_next is not None:
        inner["has_next"] = has_next
    return {"order_sn_increment_get_response": inner}


# --------------------------------------------------------------------------- request shape


def test_every_common_param_is_sent_and_signed_with_seconds_timestamp(client, router):
    router.on("pdd.order.number.list.increment.get", _increment(_order(), total=1))
    page = client.order_increment(1_795_433_400, 1_795_435_200, 1)
    form = router.requests[0]
    assert form["type"] == "pdd.order.number.list.increment.get"
    assert form["client_id"] == CLIENT_ID
    assert form["access_token"] == TOKEN
    assert form["data_type"] == "JSON" and form["version"] == "V1"
    assert form["timestamp"] == str(int(NOW))  # seconds, not ms
    assert form["start_updated_at"] == "1795433400" and form["end_updated_at"] == "1795435200"
    assert form["order_status"] == "5" and form["refund_status"] == "5" and form["is_lucky_flag"] == "0"
    assert form["page"] == "1" and form["page_size"] == "100"
    assert "use_has_next" not in form and "trade_type" not in form  # unset optionals are not sent
    assert router.headers[0]["accept"] == "application/json"
    assert page.total_count == 1 and page.has_next is False and len(page.items) == 1


def test_no_access_token_when_auth_is_false(client, router):
    router.on("pdd.time.get", {"time_get_response": {"time": "2026-11-23 20:00:00"}})
    client.call("pdd.time.get", {}, auth=False)
    assert "access_token" not in router.requests[0]


def test_objects_are_json_encoded_and_booleans_are_true_false(client, router):
    router.on("pdd.refund.agree", {"response": {"result": {"succ": True, "message": ""}}})
    router.on("pdd.order.number.list.increment.get", _increment(has_next=False))
    client.refund_agree(7381745730, "210707-339507978993455", "同意")
    client.order_increment(1_795_433_400, 1_795_435_200, 1, use_has_next=True)
    agree = router.calls("pdd.refund.agree")[0]
    assert json.loads(agree["request"]) == {
        "after_sales_id": 7381745730,
        "order_sn": "210707-339507978993455",
        "operate_desc": "同意",
    }
    assert (
        agree["request"]
        == '{"after_sales_id":7381745730,"order_sn":"210707-339507978993455","operate_desc":"同意"}'
    )
    assert router.calls("pdd.order.number.list.increment.get")[0]["use_has_next"] == "true"


def test_business_params_cannot_override_common_ones(client):
    with pytest.raises(ValueError):
        client.call("pdd.time.get", {"client_id": "other"})
    with pytest.raises(ValueError):
        client.call("pdd.time.get", {"sign": "X"})


# --------------------------------------------------------------------------- response shapes


def test_wrapped_flat_and_response_shapes(client, router):
    router.on("pdd.mall.info.get", {"mall_info_get_response": {"mall_id": 100, "mall_name": "小店"}})
    router.on(
        "pdd.refund.information.get",
        {
            "id": 7381745730,
            "order_sn": "210707-339507978993455",
            "after_sales_type": 1,
            "after_sales_status": 2,
            "after_sales_reason": "不想要了",
            "refund_amount": 1990,
            "order_amount": 1990,
            "updated_time": 1638792640659,
            "expire_time": 1638879040000,
            "express_no": "",
            "remark": "尽快",
        },
    )
    router.on("pdd.order.note.update", {"response": {"success": True, "error_code": 0, "error_msg": ""}})
    assert client.mall_info().mall_name == "小店"
    refund = client.refund_detail(7381745730, "210707-339507978993455")
    assert refund.id == 7381745730 and refund.refund_amount_fen == 1990  # detail amounts are fen [I]
    assert refund.updated_at == 1638792640  # epoch ms → s
    assert refund.reason == "不想要了" and refund.buyer_remark == "尽快"
    result = client.update_note("261123-123456789012345", "先发顺丰", tag=1)
    assert result.raw["success"] is True
    note = router.calls("pdd.order.note.update")[0]
    assert note["tag"] == "1" and note["tag_name"] == "红旗"


def test_order_detail_unwraps_order_info(client, router):
    router.on("pdd.order.information.get", {"order_info_get_response": {"order_info": _order(remark="加急")}})
    order = client.order_detail("261123-123456789012345")
    assert order.seller_memo == "加急" and order.order_sn == "261123-123456789012345"


def test_missing_response_key_is_an_unexpected_answer(client, router):
    router.on("pdd.mall.info.get", {"something_else": {}})
    with pytest.raises(errors.TransportError) as info:
        client.mall_info()
    assert info.value.sent is True and "意外" in str(info.value)


def test_every_wrapped_api_in_the_table_unwraps(client, router):
    for api, key in RESPONSE_KEYS.items():
        if key:
            router.on(api, {key: {"marker": api}})
            assert client.call(api, {}) == {"marker": api}


# --------------------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("code", "cls"),
    [
        (20004, errors.SignatureRejected),
        (10001, errors.RequestRejected),
        (20032, errors.AuthRejected),
        (50001, errors.BusinessError),
    ],
)
def test_error_response_maps_to_typed_error(client, router, code, cls):
    router.on("pdd.logistics.online.send", _error(code, "错误", sub_code="10002", sub_msg="详情"))
    with pytest.raises(cls) as info:
        client.ship("261123-123456789012345", 115, "ZT123")
    assert info.value.code == code and info.value.sub_code == "10002"
    assert info.value.api == "pdd.logistics.online.send"
    assert len(router.requests) == 1


def test_expired_token_is_refreshed_once_and_the_call_repeated(client, router, tokens):
    router.valid_tokens = {NEW_TOKEN}
    router.on("pdd.logistics.online.send", {"logistics_online_send_response": {"is_success": True}})
    client.ship("261123-123456789012345", 115, "ZT123")  # a write, still repeated once after 10019
    assert tokens.refreshes == 1
    sent = [r["access_token"] for r in router.requests]
    assert sent == [TOKEN, NEW_TOKEN]


def test_still_expired_after_refresh_raises_auth_expired(client, router, tokens):
    router.valid_tokens = set()
    router.on("pdd.mall.info.get", {"mall_info_get_response": {"mall_id": 1}})
    with pytest.raises(errors.AuthExpired):
        client.mall_info()
    assert tokens.refreshes == 1 and len(router.requests) == 2


def test_static_token_source_cannot_refresh(router, sleeps):
    c = PlatformClient(
        GATEWAY,
        CLIENT_ID,
        SECRET,
        tokens=StaticTokenSource("bad"),
        apis=API_TABLE,
        transport=httpx.MockTransport(router),
    )
    router.on("pdd.mall.info.get", {"mall_info_get_response": {"mall_id": 1}})
    with pytest.raises(errors.AuthRejected):
        c.mall_info()
    assert "bad" not in repr(StaticTokenSource("bad"))


def test_reads_back_off_with_full_jitter_and_recover(client, router, sleeps):
    ok = {"mall_info_get_response": {"mall_id": 9, "mall_name": "x"}}
    router.on(
        "pdd.mall.info.get",
        _error(52101, "当前接口被限流，请稍后重试"),
        httpx.Response(503, content=b"<html>busy</html>"),
        _error(52103, "服务暂时不可用"),
        ok,
    )
    assert client.mall_info().mall_id == 9
    assert len(router.requests) == 4 and len(sleeps) == 3
    caps = [backoff_cap(n) for n in (1, 2, 3)]
    assert caps == sorted(caps) and caps[0] == 1.5
    assert all(0 <= d <= cap for d, cap in zip(sleeps, caps, strict=True))


def test_read_retries_give_up_after_max_and_raise_the_last_error(client, router, sleeps):
    router.on("pdd.goods.list.get", _error(70031, "调用过于频繁"))
    with pytest.raises(errors.RateLimited):
        client.goods_list(1)
    assert len(router.requests) == 4 and len(sleeps) == 3  # 1 + 3 retries


def test_backoff_caps_grow_to_the_limit():
    caps = [backoff_cap(n) for n in range(1, 12)]
    assert caps == sorted(caps) and caps[-1] == 30.0


def test_retry_after_header_is_honoured(client, router, sleeps):
    router.on(
        "pdd.mall.info.get",
        httpx.Response(429, content=b"", headers={"Retry-After": "7"}),
        {"mall_info_get_response": {"mall_id": 1}},
    )
    client.mall_info()
    assert sleeps == [pytest.approx(7, abs=1.5)] and sleeps[0] >= 7


@pytest.mark.parametrize(
    "answer",
    [
        _error(52101),
        httpx.Response(502, content=b"bad gateway"),
        httpx.ReadTimeout("read timed out"),
        httpx.ConnectError("refused"),
    ],
)
def test_writes_are_never_retried(client, router, sleeps, answer):
    router.on("pdd.goods.quantity.update", answer)
    with pytest.raises(errors.PlatformError):
        client.update_stock(1, 2, 5)
    assert len(router.calls("pdd.goods.quantity.update")) == 1 and sleeps == []
    assert "pdd.goods.quantity.update" not in READ_ONLY_APIS


def test_connect_error_was_not_sent_and_timeout_was(client, router):
    router.on("pdd.logistics.online.send", httpx.ConnectError("[Errno 111] Connection refused"))
    with pytest.raises(errors.TransportError) as info:
        client.ship("261123-123456789012345", 115, "ZT1")
    assert info.value.sent is False
    router.script.clear()
    router.on("pdd.logistics.online.send", httpx.ReadTimeout("timed out"))
    with pytest.raises(errors.TransportError) as info:
        client.ship("261123-123456789012345", 115, "ZT1")
    assert info.value.sent is True
    router.script.clear()
    router.on("pdd.logistics.online.send", httpx.RemoteProtocolError("peer closed connection"))
    with pytest.raises(errors.TransportError) as info:
        client.ship("261123-123456789012345", 115, "ZT1")
    assert info.value.sent is True


@pytest.mark.parametrize(
    "content",
    [
        b'{"order_sn_increment_get_response": {"order_sn_list": [{"order_sn": "2611',
        b"",
        b"<html>gateway</html>",
        b"[1, 2]",
        b"\xff\xfe{}",
    ],
)
def test_truncated_or_invalid_body_is_a_transport_error(client, router, sleeps, content):
    router.on("pdd.logistics.online.send", httpx.Response(200, content=content))
    with pytest.raises(errors.TransportError) as info:
        client.ship("261123-123456789012345", 115, "ZT1")
    assert info.value.sent is True


def test_truncated_read_is_retried_then_succeeds(client, router, sleeps):
    router.on(
        "pdd.order.number.list.increment.get",
        httpx.Response(200, content=b'{"order_sn_increment_get_response": {"total_'),
        _increment(_order(), total=1),
    )
    page = client.order_increment(1_795_433_400, 1_795_435_200, 1)
    assert len(page.items) == 1 and len(sleeps) == 1


def test_write_answered_not_successful_is_not_applied(client, router):
    router.on("pdd.goods.sale.status.set", {"goods_sale_status_set_response": {"is_success": False}})
    with pytest.raises(errors.NotApplied):
        client.set_sale_status(1, on_sale=False)
    router.on("pdd.refund.agree", {"response": {"result": {"succ": False, "message": "售后单状态已变更"}}})
    with pytest.raises(errors.NotApplied, match="售后单状态已变更"):
        client.refund_agree(1, "261123-123456789012345")


# --------------------------------------------------------------------------- validation


def test_windows_and_page_size_are_checked_client_side(client, router):
    with pytest.raises(ValueError):
        client.order_increment(0, 1801, 1)
    with pytest.raises(ValueError):
        client.order_increment(100, 100, 1)
    with pytest.raises(ValueError):
        client.order_increment(0, 1800, 1, page_size=101)
    with pytest.raises(ValueError):
        client.refund_increment(0, 1801, 1)
    with pytest.raises(ValueError):
        client.order_list(0, 24 * 3600 + 1, 1)
    with pytest.raises(ValueError):
        client.goods_list(0)
    assert router.requests == []


def test_a_bad_record_rejects_the_page_naming_the_field(client, router):
    bad = _order(item_list=[{**_order()["item_list"][0], "goods_price": "12.345"}])
    router.on("pdd.order.number.list.increment.get", _increment(_order(), bad, total=2))
    with pytest.raises(RecordError) as info:
        client.order_increment(1_795_433_400, 1_795_435_200, 1)
    assert info.value.field == "order_sn_list[1].item_list[0].goods_price"


def test_json_numbers_are_decimal_and_money_is_exact(client, router):
    router.on("pdd.order.number.list.increment.get", _increment(_order(), total=1))
    order = client.order_increment(1_795_433_400, 1_795_435_200, 1).items[0]
    item = order.items[0]
    assert item.unit_price_fen == 10 and item.quantity == 10
    assert sum(item.unit_price_fen for _ in range(item.quantity)) == 100  # ten 0.1 are exactly 1.00
    assert order.goods_amount_fen == 100 and order.pay_amount_fen == 450
    assert isinstance(order.raw["pay_amount"], Decimal)
    assert item.goods_id == 2542137428  # LONG sent as a string


# --------------------------------------------------------------------------- time


def test_calibrate_stores_offset_and_platform_now(client, router):
    # platform says 20:10:00 Beijing = NOW + 600 s
    router.on("pdd.time.get", {"time_get_response": {"time": "2026-11-23 20:10:00"}})
    assert client.clock_skew_s is None
    assert client.calibrate() == 600
    assert client.platform_now() == int(NOW) + 600 and client.clock_skew_s == 600 and client.clock_skewed
    router.on("pdd.mall.info.get", {"mall_info_get_response": {"mall_id": 1}})
    client.mall_info()
    assert router.calls("pdd.mall.info.get")[0]["timestamp"] == str(int(NOW) + 600)


def test_small_offset_does_not_warn(client, router):
    router.on("pdd.time.get", {"time_get_response": {"time": "2026-11-23 19:59:58"}})
    assert client.calibrate() == -2 and not client.clock_skewed


def test_calibrate_recovers_from_a_far_off_clock_with_the_date_header(router, sleeps):
    platform_ts = int(NOW) + 3 * 3600
    date = "Mon, 23 Nov 2026 15:00:00 GMT"  # = platform_ts

    def answer(form: dict) -> httpx.Response:
        if abs(int(form["timestamp"]) - platform_ts) > 600:
            return _json(_error(20004, "签名sign校验失败"), headers={"Date": date})
        return _json({"time_get_response": {"time": "2026-11-23 23:00:00"}}, headers={"Date": date})

    router.on("pdd.time.get", answer)
    c = PlatformClient(
        GATEWAY,
        CLIENT_ID,
        SECRET,
        tokens=None,
        apis=API_TABLE,
        transport=httpx.MockTransport(router),
        clock=lambda: NOW,
    )
    assert c.calibrate() == 3 * 3600
    assert c.server_time() == platform_ts


# --------------------------------------------------------------------------- secrets


def test_secrets_never_in_logs_or_exception_text(client, router, tokens, caplog):
    caplog.set_level(logging.DEBUG)
    router.on(
        "pdd.mall.info.get",
        _error(20032, f"access_token或client_id错误 access_token={TOKEN} secret {SECRET}", sub_msg=TOKEN),
    )
    router.on("pdd.logistics.online.send", httpx.ConnectError(f"refused {SECRET}"))
    texts = []
    for fn in (client.mall_info, lambda: client.ship("261123-123456789012345", 115, "ZT1")):
        with pytest.raises(errors.PlatformError) as info:
            fn()
        texts += [str(info.value), repr(info.value), info.value.sub_msg, *map(str, info.value.args)]
    router.valid_tokens = {NEW_TOKEN}
    router.on("pdd.goods.detail.get", {"goods_detail_get_response": {"goods_id": 1, "goods_name": "x"}})
    client.goods_detail(1)
    everything = "\n".join(texts) + caplog.text + repr(client) + repr(tokens)
    for secret in (SECRET, TOKEN, NEW_TOKEN):
        assert secret not in everything


def test_platform_now_does_not_step_back_by_calibration_jitter(router, sleeps):
    """A later calibration a second behind must not reopen windows an earlier run closed."""
    from pdd_desktop.platform.client import NOW_JITTER_S

    local = [1_000_000.0]
    c = PlatformClient(
        GATEWAY, CLIENT_ID, SECRET, tokens=StaticTokenSource("t"), apis=API_TABLE,
        transport=httpx.MockTransport(router), clock=lambda: local[0],
    )  # fmt: skip
    c.offset_s = 500
    assert c.platform_now() == 1_000_500
    c.offset_s = 498  # re-calibrated two seconds behind (round-trip rounding)
    assert c.platform_now() == 1_000_500
    local[0] += 10
    assert c.platform_now() == 1_000_508  # time moves on from the new offset
    c.offset_s = 498 - 3600  # the local clock was corrected by an hour: followed at once
    assert c.platform_now() == 1_000_508 - 3600
    assert NOW_JITTER_S < 3600
