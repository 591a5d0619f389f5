"""The router of the sandbox gateway: checks the common parameters and dispatches on ``type``.

Protocol as in pdd-open-api.md: every request carries ``type``, ``client_id``, ``timestamp``
(seconds, within 10 minutes of platform time) and ``sign`` (§1.3); shop APIs need an
``access_token``. Answers use each API's response key (§1.4: named wrappers, the flat
``pdd.refund.information.get``, the ``response`` wrapper of memo and refund actions) and
``error_response`` with the gateway's codes (§2):

====================================  ==========================================================
missing or malformed common parameter  10001 公共参数错误:<name>
unknown ``client_id``                  10016
wrong ``sign``                         20004 签名sign校验失败
``timestamp`` off by more than 10 min  20004 with sub_msg 时间戳与平台时间相差超过10分钟
unknown ``type``                       10017
missing / unknown ``access_token``     10001 / 20032; expired → 10019
missing / bad business parameter       21002 / 21001 (``page_size`` > 100, ``page`` < 1, …)
window longer than 30 min (24 h)       50001 时间跨度不能超过30分钟 (24小时)
list window starting > 90 days back    50001 只能查询最近3个月成交的订单 (pdd.order.list.get)
business rule                          50001 业务服务错误 + Chinese sub_msg
====================================  ==========================================================

The handlers (:data:`_HANDLERS`) simulate the APIs; what the app declares about each
(``services.sync.registry.API_TABLE``: response key, token needed, read-only) is taken from
there, not repeated here. Declared APIs the sandbox does not simulate are in
:data:`NOT_SIMULATED` (a test keeps the two lists and the declarations in step).
"""

from __future__ import annotations

import itertools
import json
import re
import threading
from decimal import Decimal

from pdd_desktop.common.timefmt import format_ts
from pdd_desktop.platform.apis import FLAT, ApiSpec
from pdd_desktop.platform.sign import make_sign
from pdd_desktop.sandbox.state import ApiError, SandboxShop
from pdd_desktop.services.sync.registry import API_TABLE

__all__ = ["WRITE_TYPES", "Router", "dumps", "error_body"]

COMMON_PARAMS = frozenset(("type", "client_id", "access_token", "timestamp", "data_type", "version", "sign"))
#: Longest increment window (pdd.order.number.list.increment.get, pdd.refund.list.increment.get).
MAX_INCREMENT_WINDOW_S = 30 * 60
#: Longest pdd.order.list.get window.
MAX_LIST_WINDOW_S = 24 * 3600
#: pdd.order.list.get serves only orders whose 成交时间 is within 3 months (pdd-open-api.md
#: §3.2; the FAQ says queries reach back at most 90 days, §3.3). How the gateway refuses an
#: older window is not documented [I]: the sandbox answers 50001 so a client that asks is caught.
LIST_HORIZON_S = 90 * 86400
LIST_HORIZON_MSG = "只能查询最近3个月成交的订单"
MAX_PAGE_SIZE = 100
#: Allowed distance between the request timestamp and the platform clock.
TIMESTAMP_TOLERANCE_S = 600

#: An integer parameter: ASCII digits (``str.isdigit`` and ``int`` also take "²" or "٣").
_INT = re.compile(r"-?[0-9]{1,19}")

_YUAN_MARK = re.compile(r'"\\u0000Y(-?\d+\.\d+)\\u0000"')


def _default(value: object) -> object:
    if isinstance(value, Decimal):
        return f"\x00Y{value}\x00"
    raise TypeError(f"not JSON serializable: {type(value).__name__}")


def dumps(body: dict) -> bytes:
    """JSON text of an answer; Decimal amounts become JSON numbers written exactly (``12.30``)."""
    text = json.dumps(body, ensure_ascii=False, separators=(",", ":"), default=_default)
    return _YUAN_MARK.sub(r"\1", text).encode("utf-8")


_request_ids = itertools.count(1)


def error_body(err: ApiError, now: int) -> dict:
    """``{"error_response": {...}}`` of an error."""
    return {
        "error_response": {
            "error_msg": err.msg,
            "sub_msg": err.sub_msg,
            "sub_code": err.sub_code,
            "error_code": err.code,
            "request_id": f"{now}{next(_request_ids) % 1_000_000:06d}",
        }
    }


def _common_error(name: str) -> ApiError:
    return ApiError(10001, f"公共参数错误:{name}", f"公共参数错误:{name}")


class _Params:
    """Business parameter access with the platform's errors."""

    def __init__(self, params: dict[str, str]) -> None:
        self.p = params

    def text(self, name: str, *, required: bool = True, default: str | None = None) -> str | None:
        value = self.p.get(name)
        if value is None or value == "":
            if required:
                raise ApiError(21002, "请求参数不能为空", f"{name}不能为空")
            return default
        return value

    def int(self, name: str, *, required: bool = True, default: int | None = None) -> int | None:
        value = self.text(name, required=required)
        if value is None:
            return default
        if not _INT.fullmatch(value.strip()):
            raise ApiError(21001, "请求参数错误", f"{name}不是整数")
        return int(value)

    def bool(self, name: str) -> bool:
        return (self.p.get(name) or "").strip().lower() in ("true", "1")

    def json(self, name: str, *, required: bool = True) -> object:
        value = self.text(name, required=required)
        if value is None:
            return None
        try:
            return json.loads(value)
        except (ValueError, RecursionError) as exc:
            raise ApiError(21001, "请求参数错误", f"{name}不是合法的JSON") from exc

    def paging(self) -> tuple[int, int]:
        page = self.int("page", required=False, default=1)
        page_size = self.int("page_size", required=False, default=100)
        if page is None or page < 1:
            raise ApiError(21001, "请求参数错误", "page必须大于等于1")
        if page_size is None or page_size < 1 or page_size > MAX_PAGE_SIZE:
            raise ApiError(21001, "请求参数错误", f"page_size必须在1到{MAX_PAGE_SIZE}之间")
        return page, page_size

    def window(self, start_name: str, end_name: str, limit_s: int, label: str) -> tuple[int, int]:
        start = self.int(start_name)
        end = self.int(end_name)
        assert start is not None and end is not None
        if end < start:
            raise ApiError(50001, "开始时间不能大于结束时间", "开始时间不能大于结束时间")
        if end - start > limit_s:
            raise ApiError(50001, f"时间跨度不能超过{label}", f"时间跨度不能超过{label}")
        return start, end

    def business(self) -> dict[str, str]:
        return {k: v for k, v in sorted(self.p.items()) if k not in COMMON_PARAMS}


class Router:
    """Answers one router call (a dict of string parameters) with a JSON-able body."""

    def __init__(self, shop: SandboxShop) -> None:
        self.shop = shop
        #: ``http://127.0.0.1:<port>`` once the server is bound (bill download URLs live there).
        self.base_url = ""
        self._last_page: dict[str, list] = {}
        self._lock = threading.Lock()

    # ------------------------------------------------------------------ entry

    def handle(self, params: dict[str, str]) -> dict:
        """The answer body (success or ``error_response``)."""
        try:
            return self._handle(params)
        except ApiError as err:
            return error_body(err, self.shop.platform_now())

    def _handle(self, params: dict[str, str]) -> dict:
        shop = self.shop
        creds = shop.credentials
        api = params.get("type") or ""
        if not api:
            raise _common_error("type")
        client_id = params.get("client_id") or ""
        if not client_id:
            raise _common_error("client_id")
        if client_id != creds.client_id:
            raise ApiError(10016, "client下线或者clientId不正确", "clientId不正确")
        ts_text = params.get("timestamp") or ""
        if not _INT.fullmatch(ts_text) or ts_text.startswith("-"):
            raise _common_error("timestamp")
        sign = params.get("sign") or ""
        if not sign:
            raise _common_error("sign")
        if (params.get("data_type") or "JSON") != "JSON":
            raise _common_error("data_type")
        if make_sign(params, creds.client_secret) != sign.upper():
            raise ApiError(20004, "签名sign校验失败", "签名sign校验失败")
        if abs(int(ts_text) - shop.platform_now()) > TIMESTAMP_TOLERANCE_S:
            raise ApiError(20004, "签名sign校验失败", "时间戳与平台时间相差超过10分钟")
        handler = _HANDLERS.get(api)
        if handler is None:
            raise ApiError(10017, "type不正确", f"接口不存在：{api}")
        spec = _SPECS[api]
        if spec.needs_token:
            token = params.get("access_token") or ""
            if not token:
                raise _common_error("access_token")
            shop.check_access_token(token)
        body = handler(self, api, _Params(params))
        return body if spec.response_key == FLAT else {spec.response_key: body}

    # ------------------------------------------------------------------ paging faults

    def _paged(self, api: str, rows: list) -> list:
        """Rows of this page, or the previous page's rows again when the fault says so."""
        with self._lock:
            if self.shop.faults.take_repeat_page() and api in self._last_page:
                return self._last_page[api]
            self._last_page[api] = rows
        return rows

    # ------------------------------------------------------------------ APIs: basics

    def time_get(self, api: str, p: _Params) -> dict:
        return {"time": format_ts(self.shop.platform_now())}

    def token_refresh(self, api: str, p: _Params) -> dict:
        return self.shop.refresh(p.text("refresh_token") or "")

    def mall_info(self, api: str, p: _Params) -> dict:
        return self.shop.mall_info()

    def companies(self, api: str, p: _Params) -> dict:
        return {"logistics_companies": self.shop.couriers()}

    def order_trace(self, api: str, p: _Params) -> dict:
        company_code = p.text("company_code") or ""
        mail_no = p.text("mail_no") or ""
        return {"trace_list": self.shop.order_trace(company_code, mail_no)}

    def return_addresses(self, api: str, p: _Params) -> dict:
        return {"refund_address_list": self.shop.return_addresses()}

    # ------------------------------------------------------------------ APIs: orders

    def _order_query(self, api: str, p: _Params, time_col: str, window: tuple[int, int]):
        """The shared part of the increment and list APIs: statuses, paging, one page of orders."""
        start, end = window
        order_status = p.int("order_status")
        refund_status = p.int("refund_status")
        page, page_size = p.paging()
        if order_status not in (1, 2, 3, 5) or refund_status not in (1, 2, 3, 4, 5):
            raise ApiError(21001, "请求参数错误", "order_status或refund_status取值不正确")
        use_has_next = p.bool("use_has_next")
        orders, total, has_next = self.shop.order_page(
            time_col=time_col,
            start=start,
            end=end,
            order_status=order_status,
            refund_status=refund_status,
            page=page,
            page_size=page_size,
            with_total=not use_has_next,
        )
        return self._paged(api, orders), (None if use_has_next else total), has_next

    def order_increment(self, api: str, p: _Params) -> dict:
        start, end = p.window("start_updated_at", "end_updated_at", MAX_INCREMENT_WINDOW_S, "30分钟")
        p.int("is_lucky_flag", required=False)
        served, total, has_next = self._order_query(api, p, "platform_updated_at", (start, end))
        if self.shop.faults.take_drift():
            self.shop.drift_row(start=start, end=end, exclude={o["order_sn"] for o in served})
        body: dict = {"has_next": has_next, "order_sn_list": served}
        if total is not None:
            body["total_count"] = total
        return body

    def order_list(self, api: str, p: _Params) -> dict:
        window = p.window("start_confirm_at", "end_confirm_at", MAX_LIST_WINDOW_S, "24小时")
        if window[0] < self.shop.platform_now() - LIST_HORIZON_S:
            raise ApiError(50001, "业务服务错误", LIST_HORIZON_MSG)
        served, total, has_next = self._order_query(api, p, "confirmed_at", window)
        body: dict = {"order_list": served, "has_next": has_next}
        if total is not None:
            body["total_count"] = total
        return body

    def order_info(self, api: str, p: _Params) -> dict:
        return {"order_info": self.shop.order_detail(p.text("order_sn") or "")}

    def order_status(self, api: str, p: _Params) -> dict:
        sns = [s.strip() for s in (p.text("order_sns") or "").split(",") if s.strip()]
        if len(sns) > 100:
            raise ApiError(21001, "请求参数错误", "order_sns最多100个")
        return {"order_status_list": self.shop.order_statuses(sns)}

    # ------------------------------------------------------------------ APIs: after-sales

    def refund_increment(self, api: str, p: _Params) -> dict:
        start, end = p.window("start_updated_at", "end_updated_at", MAX_INCREMENT_WINDOW_S, "30分钟")
        status = p.int("after_sales_status")
        typ = p.int("after_sales_type")
        page, page_size = p.paging()
        rows, total = self.shop.refund_page(
            start=start,
            end=end,
            after_sales_status=status or 0,
            after_sales_type=typ or 1,
            order_sn=p.text("order_sn", required=False),
            page=page,
            page_size=page_size,
        )
        return {"refund_list": self._paged(api, rows), "total_count": total}

    def refund_info(self, api: str, p: _Params) -> dict:
        return self.shop.refund_detail(p.text("order_sn") or "", p.int("after_sales_id", required=False))

    # ------------------------------------------------------------------ APIs: goods

    def goods_list(self, api: str, p: _Params) -> dict:
        page, page_size = p.paging()
        outer_goods = p.text("outer_goods_id", required=False)
        rows, total = self.shop.goods_page(
            page=page,
            page_size=page_size,
            is_onsale=p.int("is_onsale", required=False),
            outer_id=p.text("outer_id", required=False),
            goods_name=p.text("goods_name", required=False),
            outer_goods_ids=[x for x in (outer_goods or "").split(",") if x] or None,
        )
        return {"goods_list": self._paged(api, rows), "total_count": total}

    def goods_detail(self, api: str, p: _Params) -> dict:
        return self.shop.goods_detail(p.int("goods_id") or 0)

    # ------------------------------------------------------------------ APIs: writes

    def online_send(self, api: str, p: _Params) -> dict:
        self.shop.ship(
            order_sn=p.text("order_sn") or "",
            logistics_id=p.int("logistics_id") or 0,
            tracking_number=p.text("tracking_number") or "",
            redelivery_type=p.int("redelivery_type", required=False),
            api_type=api,
            params=p.business(),
        )
        return {"is_success": True}

    def extra_logistics(self, api: str, p: _Params) -> dict:
        tracks_raw = p.json("extra_track_list")
        if not isinstance(tracks_raw, list):
            raise ApiError(21001, "请求参数错误", "extra_track_list必须是数组")
        try:
            tracks = [(int(t["shipping_id"]), str(t["tracking_number"])) for t in tracks_raw]
        except (KeyError, TypeError, ValueError) as exc:
            raise ApiError(21001, "请求参数错误", "extra_track_list缺少shipping_id或tracking_number") from exc
        self.shop.extra_ship(
            order_sn=p.text("order_sn") or "",
            tracks=tracks,
            track_type=p.int("extra_track_type") or 0,
            api_type=api,
            params=p.business(),
        )
        return {"success": True}

    def note_update(self, api: str, p: _Params) -> dict:
        self.shop.note(
            order_sn=p.text("order_sn") or "",
            note=p.p.get("note"),
            tag=p.int("tag", required=False),
            tag_name=p.p.get("tag_name"),
            api_type=api,
            params=p.business(),
        )
        return {"success": True, "error_code": 0, "error_msg": ""}

    def quantity_update(self, api: str, p: _Params) -> dict:
        sku_id = p.int("sku_id", required=False)
        outer_id = p.text("outer_id", required=False)
        if not sku_id and not outer_id:
            raise ApiError(21002, "请求参数不能为空", "sku_id和outer_id不能同时为空")
        update_type = p.int("update_type", required=False, default=1)
        if update_type not in (1, 2):
            raise ApiError(21001, "请求参数错误", "update_type只能是1或2")
        self.shop.set_quantity(
            goods_id=p.int("goods_id") or 0,
            sku_id=sku_id,
            outer_id=outer_id,
            quantity=p.int("quantity") or 0,
            update_type=update_type,
            api_type=api,
            params=p.business(),
        )
        return {"is_success": True}

    def sku_price_update(self, api: str, p: _Params) -> dict:
        prices = p.json("sku_price_list")
        if not isinstance(prices, list) or not prices or not all(isinstance(x, dict) for x in prices):
            raise ApiError(21001, "请求参数错误", "sku_price_list必须是非空数组")
        market = p.int("market_price", required=False)
        commit = self.shop.set_prices(
            goods_id=p.int("goods_id") or 0,
            prices=prices,
            market_price=market,
            api_type=api,
            params=p.business(),
        )
        return {"is_success": True, "goods_commit_id": int(commit)}

    def sale_status(self, api: str, p: _Params) -> dict:
        self.shop.set_onsale(
            goods_id=p.int("goods_id") or 0,
            is_onsale=p.int("is_onsale") or 0,
            api_type=api,
            params=p.business(),
        )
        return {"is_success": True}

    def _refund_request(self, p: _Params) -> tuple[int, str, dict]:
        req = p.json("request")
        if not isinstance(req, dict):
            raise ApiError(21001, "请求参数错误", "request必须是对象")
        try:
            return int(req["after_sales_id"]), str(req["order_sn"]), req
        except (KeyError, TypeError, ValueError) as exc:
            raise ApiError(21002, "请求参数不能为空", "after_sales_id和order_sn不能为空") from exc

    def refund_agree(self, api: str, p: _Params) -> dict:
        case_id, order_sn, req = self._refund_request(p)
        self.shop.refund_agree(
            after_sales_id=case_id,
            order_sn=order_sn,
            operate_desc=str(req.get("operate_desc") or ""),
            api_type=api,
            params={"after_sales_id": case_id, "order_sn": order_sn},
        )
        return {"result": {"after_sales_id": case_id, "order_sn": order_sn, "succ": True, "message": ""}}

    def return_agree(self, api: str, p: _Params) -> dict:
        case_id, order_sn, req = self._refund_request(p)
        address = req.get("return_address_id")
        self.shop.return_agree(
            after_sales_id=case_id,
            order_sn=order_sn,
            return_address_id=int(address) if address else None,
            operate_desc=str(req.get("operate_desc") or ""),
            api_type=api,
            params={"after_sales_id": case_id, "order_sn": order_sn},
        )
        result = {"after_sales_id": case_id, "order_sn": order_sn, "success": True, "message": ""}
        return {"success": True, "error_code": 0, "error_msg": "", "result": result}

    def messages(self, api: str, p: _Params) -> dict:
        """The sandbox-only 站内信 list (the platform has no such API: ``sandbox/messages.py``)."""
        start, end = p.int("start_time") or 0, p.int("end_time") or 0
        if end < start:
            raise ApiError(21001, "请求参数错误", "end_time不能早于start_time")
        page, page_size = p.paging()
        items, total = self.shop.messages.page(start=start, end=end, page=page, page_size=page_size)
        return {"total_count": total, "message_list": self._paged(api, items)}

    def bill_url(self, api: str, p: _Params) -> dict:
        """``pdd.finance.balance.daily.bill.url.get``: a URL of the day's bill ZIP (``sandbox/bills.py``)."""
        day = p.text("bill_date") or ""
        try:
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", day):
                raise ValueError(day)
            problem = self.shop.bills.day_available(day)
        except ValueError:
            raise ApiError(21001, "请求参数错误", "bill_date格式应为yyyy-MM-dd") from None
        if problem:
            raise ApiError(50001, "业务服务错误", problem)
        if not self.base_url:
            raise ApiError(50000, "系统内部错误", "账单下载服务不可用")
        sig = self.shop.bills.signature(day)
        return {"download_url": f"{self.base_url}/bills/{day}.zip?sig={sig}"}
    def cs_export(self, api: str, p: _Params) -> dict:
        """The sandbox-only 客服 exports of one day (the platform has no such API: ``sandbox/cs.py``)."""
        from datetime import date

        from pdd_desktop.sandbox.cs import simulate_day

        text = p.text("day") or ""
        try:
            day = date.fromisoformat(text)
        except ValueError as exc:
            raise ApiError(21001, "请求参数错误", "day不是日期") from exc
        today = date.fromordinal(
            date(1970, 1, 1).toordinal() + (self.shop.platform_now() + 8 * 3600) // 86400
        )
        if day >= today:
            raise ApiError(21001, "请求参数错误", "只能查询今天以前的数据")
        sim = simulate_day(self.shop.seed, day)
        return {
            "day": day.isoformat(),
            "shop_csv": sim.shop_csv,
            "agent_csv": sim.agent_csv,
            "hours": [list(h) for h in sim.hours],
        }

    def exchange_shipping(self, api: str, p: _Params) -> dict:
        case_id, order_sn, req = self._refund_request(p)
        try:
            shipping_id = int(req["shipping_id"])
            number = str(req["tracking_number"]).strip()
        except (KeyError, TypeError, ValueError) as exc:
            raise ApiError(21002, "请求参数不能为空", "shipping_id和tracking_number不能为空") from exc
        if not number:
            raise ApiError(21002, "请求参数不能为空", "tracking_number不能为空")
        self.shop.exchange_ship(
            after_sales_id=case_id,
            order_sn=order_sn,
            shipping_id=shipping_id,
            tracking_number=number,
            api_type=api,
            params={"after_sales_id": case_id, "order_sn": order_sn, "tracking_number": number},
        )
        return {"result": {"after_sales_id": case_id, "order_sn": order_sn, "succ": True, "message": ""}}

    def waybill_get(self, api: str, p: _Params) -> dict:
        req = p.json("param_waybill_cloud_print_apply_new_request")
        if not isinstance(req, dict):
            raise ApiError(21001, "请求参数错误", "param_waybill_cloud_print_apply_new_request必须是对象")
        return {"modules": self.shop.waybill_get(req, api)}

    def waybill_search(self, api: str, p: _Params) -> dict:
        cols = self.shop.waybills.search(p.text("wp_code", required=False))
        return {"waybill_apply_subscription_cols": cols}

    def std_templates(self, api: str, p: _Params) -> dict:
        return {"result": self.shop.waybills.std_templates(p.text("wp_code", required=False))}

    def waybill_cancel(self, api: str, p: _Params) -> dict:
        ok = self.shop.waybills.cancel(p.text("wp_code") or "", p.text("waybill_code") or "", api)
        return {"cancel_result": ok}

    # ------------------------------------------------------------------ APIs: 营销 (sandbox/marketing.py)

    def _coupons(self, api: str, p: _Params, *, goods: bool) -> dict:
        page, page_size = p.paging()
        status = p.int("batch_status", required=False)
        if status is not None and status not in (1, 2, 3, 4):
            raise ApiError(21001, "请求参数错误", "batch_status取值不正确")
        rows, total = self.shop.marketing.coupon_page(
            goods=goods,
            page=page,
            page_size=page_size,
            batch_status=status,
            goods_id=p.int("goods_id", required=False) if goods else None,
        )
        return {"total_size": total, "coupon_batch_list": self._paged(api, rows)}

    def merchant_coupons(self, api: str, p: _Params) -> dict:
        return self._coupons(api, p, goods=False)

    def goods_coupons(self, api: str, p: _Params) -> dict:
        return self._coupons(api, p, goods=True)

    def goods_coupon_create(self, api: str, p: _Params) -> dict:
        batch = self.shop.marketing.create_goods_coupon(
            goods_id=p.int("goods_id") or 0,
            batch_desc=p.text("batch_desc", required=False) or "",
            start_ms=p.int("batch_start_time") or 0,
            end_ms=p.int("batch_end_time") or 0,
            discount=p.int("discount") or 0,
            init_quantity=p.int("init_quantity") or 0,
            user_limit=p.int("user_limit") or 1,
            api_type=api,
            params=p.business(),
        )
        return {"batch_id": batch}

    def coupon_close(self, api: str, p: _Params) -> dict:
        self.shop.marketing.close_coupon(batch_id=p.text("batch_id") or "", api_type=api, params=p.business())
        return {"is_success": True}

    def _int_list(self, p: _Params, name: str, *, required: bool = True) -> list[int]:
        value = p.json(name, required=required)
        if value is None:
            return []
        if not isinstance(value, list) or not all(
            isinstance(x, int) and not isinstance(x, bool) for x in value
        ):
            raise ApiError(21001, "请求参数错误", f"{name}必须是整数数组")
        return value

    def limited_discounts(self, api: str, p: _Params) -> dict:
        page = p.int("page_no", required=False, default=1) or 1
        page_size = p.int("page_size", required=False, default=10) or 10
        if page < 1 or not 1 <= page_size <= MAX_PAGE_SIZE:
            raise ApiError(21001, "请求参数错误", "page_no或page_size不正确")
        rows, total, online = self.shop.marketing.discount_page(
            types=self._int_list(p, "activity_types"),
            statuses=self._int_list(p, "status_list"),
            goods_ids=self._int_list(p, "goods_id_list", required=False),
            page=page,
            page_size=page_size,
        )
        return {
            "online_sum": online,
            "record_sum": total,
            "page_no": page,
            "page_size": page_size,
            "order": 1,
            "open_goods_activity_list": self._paged(api, rows),
        }

    def limited_create(self, api: str, p: _Params) -> dict:
        req = p.json("request")
        if not isinstance(req, list) or not req or not all(isinstance(x, dict) for x in req):
            raise ApiError(21001, "请求参数错误", "request必须是非空数组")
        return {"result_list": self.shop.marketing.create_discounts(req, api)}

    def limited_cancel(self, api: str, p: _Params) -> dict:
        self.shop.marketing.cancel_discount(
            detail_id=p.text("detail_id") or "",
            goods_id=p.int("goods_id") or 0,
            api_type=api,
            params=p.business(),
        )
        return {"result": True}


_HANDLERS = {
    "pdd.time.get": Router.time_get,
    "pdd.pop.auth.token.refresh": Router.token_refresh,
    "pdd.mall.info.get": Router.mall_info,
    "pdd.logistics.companies.get": Router.companies,
    "pdd.logistics.ordertrace.get": Router.order_trace,
    "pdd.refund.address.list.get": Router.return_addresses,
    "pdd.order.number.list.increment.get": Router.order_increment,
    "pdd.order.list.get": Router.order_list,
    "pdd.order.information.get": Router.order_info,
    "pdd.order.status.get": Router.order_status,
    "pdd.refund.list.increment.get": Router.refund_increment,
    "pdd.refund.information.get": Router.refund_info,
    "pdd.goods.list.get": Router.goods_list,
    "pdd.goods.detail.get": Router.goods_detail,
    "pdd.logistics.online.send": Router.online_send,
    "pdd.order.upload.extra.logistics": Router.extra_logistics,
    "pdd.order.note.update": Router.note_update,
    "pdd.goods.quantity.update": Router.quantity_update,
    "pdd.goods.sku.price.update": Router.sku_price_update,
    "pdd.goods.sale.status.set": Router.sale_status,
    "pdd.refund.agree": Router.refund_agree,
    "pdd.refund.returngoods.agree": Router.return_agree,
    "pdd.refund.exchange.shipping": Router.exchange_shipping,
    "pdd.waybill.get": Router.waybill_get,
    "pdd.waybill.search": Router.waybill_search,
    "pdd.waybill.cancel": Router.waybill_cancel,
    "pdd.cloudprint.stdtemplates.get": Router.std_templates,
    "sandbox.message.list.get": Router.messages,
    "pdd.finance.balance.daily.bill.url.get": Router.bill_url,
    "sandbox.cs.export.get": Router.cs_export,
    "pdd.promotion.merchant.coupon.list.get": Router.merchant_coupons,
    "pdd.promotion.goods.coupon.list.get": Router.goods_coupons,
    "pdd.promotion.goods.coupon.create": Router.goods_coupon_create,
    "pdd.promotion.coupon.close": Router.coupon_close,
    "pdd.promotion.limited.discount.list.get": Router.limited_discounts,
    "pdd.promotion.limited.activity.create": Router.limited_create,
    "pdd.promotion.limited.activity.cancel": Router.limited_cancel,
}

#: Declared APIs the sandbox does not simulate (the app calls them outside sync, or not yet).
NOT_SIMULATED = frozenset(
    (
        "pdd.pop.auth.token.create",
        "pdd.order.update.address",
        "pdd.refund.status.check",
        "pdd.open.decrypt.batch",
        "pdd.pmc.user.permit",
    )
)

#: Each simulated API's declaration (a handler for an undeclared API fails here, at import).
_SPECS: dict[str, ApiSpec] = {api: API_TABLE[api] for api in _HANDLERS}
#: APIs that change the shop's state (the "apply then time out" fault applies to them).
WRITE_TYPES = frozenset(api for api, spec in _SPECS.items() if spec.shop_write)
