"""The sync registry: a new area is one definition plus one registration, and every table follows.

A throwaway area ("test notes": one pull stream, one push op, two APIs) is defined here and
registered on a copy of the app's registry (``DEFAULT.with_areas``), so nothing leaks into
other tests. It is pulled and pushed by the real engine against a fake platform.
"""

from __future__ import annotations

import json
import random
from collections.abc import Sequence
from urllib.parse import parse_qsl

import httpx
import pytest

from pdd_desktop.common.changes import Changes
from pdd_desktop.data.db import database, write_transaction
from pdd_desktop.platform import errors
from pdd_desktop.platform.apis import ApiSpec, ApiTable
from pdd_desktop.platform.records import Page, WriteResult
from pdd_desktop.sandbox import api as sandbox_api
from pdd_desktop.services import sync
from pdd_desktop.services.sync.plugin import (
    ABSENT,
    PRESENT,
    ApplyCounts,
    Area,
    OutboxOp,
    PullContext,
    PullStream,
    PushOp,
    Registry,
)
from pdd_desktop.services.sync.registry import API_TABLE, DEFAULT, platform_client

NOW = 1_800_000_000

# --------------------------------------------------------------------------- the throwaway area

NOTES_GET = "pdd.test.notes.get"
NOTE_SET = "pdd.test.note.set"


def _fetch(ctx: PullContext, page: int) -> Page:
    body = ctx.client.call(NOTES_GET, {"page": page, "page_size": ctx.page_size})
    return Page(tuple(body["notes"]), None, bool(body.get("has_next")))


def _apply(ctx: PullContext, notes: Sequence[dict]) -> None:
    counts = ApplyCounts()
    with write_transaction():
        for note in notes:
            database.execute_sql(
                "INSERT OR REPLACE INTO setting (key, value_json, updated_at) VALUES (?, ?, ?)",
                (f"test_note:{note['id']}", json.dumps(note["text"]), NOW),
            )
            counts.upserted += 1
    ctx.tally.add(counts)


def _send(client, op: OutboxOp) -> WriteResult:
    client.call(NOTE_SET, {"id": op.entity_remote_id, "text": op.payload["text"]})
    return WriteResult(api=NOTE_SET, raw={})


def _reconcile(pusher, op: OutboxOp, conflicts: bool) -> str:
    return PRESENT if op.payload.get("already") else ABSENT


NOTES = Area(
    "test_notes",
    streams=(PullStream("test_notes", "测试备忘", Changes(messages=True), fetch=_fetch, apply=_apply),),
    ops=(PushOp("test_note_set", "测试改备忘", Changes(marketing=True), send=_send, reconcile=_reconcile),),
    apis=(
        ApiSpec(NOTES_GET, "test_notes_get_response", read_only=True),
        ApiSpec(NOTE_SET, "test_note_set_response", read_only=False),
    ),
)


@pytest.fixture
def registry() -> Registry:
    return DEFAULT.with_areas(NOTES)  # the one registration line


# --------------------------------------------------------------------------- a fake platform


class FakePlatform:
    """Answers the time and the test APIs; the first notes read fails with HTTP 502."""

    def __init__(self) -> None:
        self.calls: list[str] = []
        self.fail_notes = 1
        self.fail_set = 0
        self.written: list[dict] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        form = dict(parse_qsl(request.content.decode()))
        api = form["type"]
        self.calls.append(api)
        if api == "pdd.time.get":
            return httpx.Response(200, json={"time_get_response": {"time": str(NOW)}})
        if api == NOTES_GET:
            if self.fail_notes:
                self.fail_notes -= 1
                return httpx.Response(502, content=b"bad gateway")
            notes = [{"id": 1, "text": "一"}, {"id": 2, "text": "二"}] if form["page"] == "1" else []
            return httpx.Response(200, json={"test_notes_get_response": {"notes": notes, "has_next": False}})
        if api == NOTE_SET:
            if self.fail_set:
                self.fail_set -= 1
                return httpx.Response(502, content=b"bad gateway")
            self.written.append(form)
            return httpx.Response(200, json={"test_note_set_response": {"is_success": True}})
        return httpx.Response(200, json={"error_response": {"error_code": 10017, "error_msg": "type不正确"}})


def _client(registry: Registry, platform: FakePlatform, sleeps: list[float]):
    return platform_client(
        "https://gw.test/api/router",
        "cid",
        "secret",
        tokens=_Tokens(),
        registry=registry,
        transport=httpx.MockTransport(platform),
        clock=lambda: NOW,
        sleep=sleeps.append,
        rng=random.Random(1),
    )


class _Tokens:
    def access_token(self) -> str:
        return "AT"

    def refresh(self) -> str:
        raise errors.AuthRejected("no refresh")


def _add_op(op_type: str, remote_id: str, payload: dict) -> None:
    with write_transaction():
        database.execute_sql(
            "INSERT INTO outbox (op_id, op_type, entity_type, entity_remote_id, payload_json, base_json, "
            "state, attempts, last_error, created_at, result_json) "
            "VALUES (?, ?, 'test_note', ?, ?, '{}', 'pending', 0, '', ?, '{}')",
            (f"op-{remote_id}", op_type, remote_id, json.dumps(payload), NOW),
        )


# --------------------------------------------------------------------------- tests


def test_a_registered_area_is_pulled_pushed_labelled_and_declared(empty_shop, registry):
    platform, sleeps = FakePlatform(), []
    client = _client(registry, platform, sleeps)
    _add_op("test_note_set", "7", {"text": "新"})
    engine = sync.SyncEngine(client, registry=registry, rng=random.Random(2))

    report = engine.run_once(streams=["test_notes"])

    assert report.outcome == "ok", report.message
    assert [(s.stream, s.pages, s.upserted) for s in report.streams] == [("test_notes", 1, 2)]
    # the apply wrote through, and the stream's and the op's Changes flags are set
    assert database.execute_sql(
        "SELECT key FROM setting WHERE key LIKE 'test_note:%' ORDER BY key"
    ).fetchall() == [
        ("test_note:1",),
        ("test_note:2",),
    ]
    assert report.changes.messages and report.changes.marketing and report.changes.sync
    # the push sent the op once; its label comes from the registry
    assert report.push is not None and report.push.succeeded == 1
    assert [f["text"] for f in platform.written] == ["新"]
    (row,) = sync.list_outbox(states=["succeeded"], registry=registry)
    assert row.op_label == "测试改备忘"
    # the sync log names the stream in Chinese
    labels = {r.stream: r.stream_label for r in sync.sync_log(registry=registry) if r.kind == "pull"}
    assert labels == {"test_notes": "测试备忘"}
    # the declared read API reached the client: unwrapped by its key, retried after the 502
    assert platform.calls.count(NOTES_GET) == 2 and len(sleeps) == 1
    # the app's own registry and tables never saw the area
    assert "test_notes" not in DEFAULT.streams and NOTES_GET not in API_TABLE
    assert {r.stream: r.stream_label for r in sync.sync_log()}["test_notes"] == "test_notes"


def test_a_declared_write_is_never_retried(empty_shop, registry):
    platform, sleeps = FakePlatform(), []
    platform.fail_set = 1
    client = _client(registry, platform, sleeps)
    with pytest.raises(errors.ServerError):
        client.call(NOTE_SET, {"id": 1, "text": "x"})
    assert platform.calls == [NOTE_SET] and sleeps == []
    assert client.apis[NOTE_SET].read_only is False and client.apis[NOTES_GET].read_only is True


def test_registering_twice_or_declaring_an_api_differently_is_refused():
    with pytest.raises(ValueError, match="registered twice"):
        DEFAULT.with_areas(NOTES, NOTES)
    other = Area("x", apis=(ApiSpec("pdd.goods.detail.get", "something_else", read_only=True),))
    with pytest.raises(ValueError, match="declared twice"):
        DEFAULT.with_areas(other)
    assert len(ApiTable([*NOTES.apis, *NOTES.apis])) == 2  # the same declaration twice is one


def test_the_app_registry_keeps_the_streams_ops_and_labels():
    assert sync.STREAMS == (
        "couriers",
        "shop_profile",
        "return_addresses",
        "goods",
        "orders",
        "after_sales",
        "waybill_accounts",
        "traces",
        "messages",
        "bills",
        "cs",
        "coupons",
        "limited_discounts",
    )
    assert sync.WINDOWED_STREAMS == ("orders", "after_sales")
    assert sync.STREAM_LABELS == {
        "couriers": "快递公司",
        "shop_profile": "店铺资料",
        "return_addresses": "退货地址",
        "goods": "商品",
        "orders": "订单",
        "after_sales": "售后",
        "waybill_accounts": "电子面单账号",
        "traces": "物流轨迹",
        "messages": "站内信",
        "bills": "账单",
        "cs": "客服数据",
        "coupons": "优惠券",
        "limited_discounts": "限时限量购",
    }
    assert sync.OP_LABELS == {
        "ship_order": "发货",
        "modify_shipment": "修改发货",
        "extra_logistics": "上传额外包裹",
        "set_memo": "商家备注/旗帜",
        "set_stock": "库存",
        "set_price": "价格",
        "set_onsale": "上下架",
        "refund_agree": "同意退款",
        "return_goods_agree": "同意退货",
        "exchange_ship": "换货/补寄发货",
        "waybill_cancel": "取消电子面单",
        "create_goods_coupon": "创建商品券",
        "close_coupon": "结束优惠券",
        "create_limited_discount": "创建限时限量购",
        "cancel_limited_discount": "结束限时限量购",
    }


def test_every_declared_api_is_simulated_by_the_sandbox_or_listed_as_not():
    handlers = set(sandbox_api._HANDLERS)
    declared = set(API_TABLE)
    assert handlers <= declared, handlers - declared
    assert not handlers & sandbox_api.NOT_SIMULATED
    assert handlers | sandbox_api.NOT_SIMULATED == declared, declared - handlers - sandbox_api.NOT_SIMULATED
    # every API a sync stream or op of the app calls is simulated
    sync_apis = {a.name for area in DEFAULT.areas if area.streams or area.ops for a in area.apis}
    assert not (sync_apis & sandbox_api.NOT_SIMULATED) - {
        "pdd.order.update.address",
        "pdd.refund.exchange.shipping",
        "pdd.refund.address.list.get",
        "pdd.refund.status.check",
    }


def test_the_sandbox_takes_write_ness_and_tokens_from_the_declarations():
    assert sandbox_api.WRITE_TYPES == {
        "pdd.logistics.online.send",
        "pdd.order.upload.extra.logistics",
        "pdd.order.note.update",
        "pdd.goods.quantity.update",
        "pdd.goods.sku.price.update",
        "pdd.goods.sale.status.set",
        "pdd.refund.agree",
        "pdd.refund.returngoods.agree",
        "pdd.refund.exchange.shipping",
        "pdd.waybill.get",
        "pdd.waybill.cancel",
        "pdd.promotion.goods.coupon.create",
        "pdd.promotion.coupon.close",
        "pdd.promotion.limited.activity.create",
        "pdd.promotion.limited.activity.cancel",
    }
    no_token = {api for api in sandbox_api._HANDLERS if not API_TABLE[api].needs_token}
    assert no_token == {"pdd.time.get", "pdd.logistics.companies.get", "pdd.pop.auth.token.refresh"}
