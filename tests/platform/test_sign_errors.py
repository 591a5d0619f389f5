"""The sign of pdd-open-api.md §1.3 (its two worked examples) and the error_response mapping."""

from __future__ import annotations

import pytest

from pdd_desktop.platform import errors
from pdd_desktop.platform.sign import make_sign, param_text


def test_worked_example_time_get():
    params = {
        "type": "pdd.time.get",
        "client_id": "testClientId",
        "timestamp": 1700000000,
        "data_type": "JSON",
    }
    assert make_sign(params, "testSecret") == "92358D14F671C73BA8CFC3E87ED1E7E4"


def test_worked_example_increment_with_token_ignores_an_existing_sign():
    params = {
        "type": "pdd.order.number.list.increment.get",
        "client_id": "testClientId",
        "access_token": "testToken",
        "timestamp": "1700000000",
        "data_type": "JSON",
        "start_updated_at": 1699998200,
        "end_updated_at": 1700000000,
        "order_status": 5,
        "refund_status": 5,
        "is_lucky_flag": 0,
        "page": 1,
        "page_size": 100,
        "sign": "WHATEVER",
    }
    assert make_sign(params, "testSecret") == "CE4962CF2B01FAFE07DDEA9535515296"


def test_values_are_signed_as_sent():
    assert param_text(True) == "true" and param_text(False) == "false"
    assert param_text({"after_sales_id": 1, "备注": "好"}) == '{"after_sales_id":1,"备注":"好"}'
    a = make_sign({"type": "x", "request": {"a": 1}}, "s")
    b = make_sign({"type": "x", "request": '{"a":1}'}, "s")
    assert a == b
    assert make_sign({"type": "x", "v": "1"}, "s") != make_sign({"type": "x", "v": "2"}, "s")


@pytest.mark.parametrize(
    ("code", "cls", "retryable"),
    [
        (10019, errors.AuthExpired, False),
        (20004, errors.SignatureRejected, False),
        (52101, errors.RateLimited, True),
        (70031, errors.RateLimited, True),
        (52102, errors.Unavailable, True),
        (52103, errors.Unavailable, True),
        (50001, errors.BusinessError, False),
        (50000, errors.ServerError, True),
        (10001, errors.RequestRejected, False),
        (12345, errors.RequestRejected, False),
    ],
)
def test_error_codes_map_to_what_to_do(code, cls, retryable):
    body = {
        "error_response": {
            "error_msg": "x",
            "sub_msg": "",
            "sub_code": None,
            "error_code": code,
            "request_id": "1",
        }
    }
    err = errors.from_error_response(body, api="pdd.time.get")
    assert type(err) is cls and err.retryable is retryable and err.code == code and err.api == "pdd.time.get"


def test_string_sub_code_and_message_are_kept():
    body = {
        "error_response": {
            "error_code": 50001, "error_msg": "业务服务错误", "sub_code": "10002",
            "sub_msg": "goodsSign解析错误", "request_id": "15440104776643887",
        }
    }  # fmt: skip
    err = errors.from_error_response(body)
    assert err.sub_code == "10002" and err.request_id == "15440104776643887"
    assert str(err) == "业务服务错误（goodsSign解析错误） [50001]"
