"""The open platform's HTTP client (pdd-open-api.md §1-§9).

One signed, form-encoded POST per call to the router; the answer is parsed with
``parse_float=Decimal`` and unwrapped by the API's response key from the client's
:class:`~.apis.ApiTable` (the declarations in ``services/sync/areas``, given at construction;
build the app's clients with ``services.sync.platform_client``).
:meth:`PlatformClient.call` maps every failure onto :mod:`.errors`:

- ``error_response`` → the typed error of its code (:func:`.errors.from_error_response`);
- HTTP 5xx → :class:`~.errors.ServerError`, HTTP 429 → :class:`~.errors.RateLimited`;
- connection refused / DNS / connect timeout → :class:`~.errors.TransportError` ``sent=False``
  (the request certainly never left);
- read/write timeout, a dropped connection, a truncated or invalid body, a missing response
  key → :class:`~.errors.TransportError` ``sent=True`` (a write's outcome is unknown).

10019 (token expired) asks the :class:`TokenSource` for a new token once and repeats the call
once (the gateway refused it before any business logic, so this is safe for writes too).
Read-only APIs (``ApiSpec.read_only``) are retried on rate limits, outages, 5xx and transport
errors with exponential back-off and full jitter; writes are **never** retried here: the
outbox decides, after reading the remote state back when the outcome is unknown.

Calls to an API with a declared per-shop limit (``ApiSpec.rate_limit``, §9) wait for a slot of
its :class:`~.ratelimit.RateLimiter` first (``rate_limits=False`` turns that off: benchmarks of the
engine against the sandbox).

Thread safety: the sync worker fetches pages from a few threads through one client. The
``httpx.Client`` is thread-safe; the clock offset is only set by :meth:`PlatformClient.calibrate`
(the engine calls it before any fetch thread starts) and read as one attribute; a 10019 refreshes
the token once for all threads (under a lock, and only when the token that was refused is still
the current one); the limiters and the retry jitter have their own locks.

Secrets (client secret, tokens) never reach a log line or an exception's text; the request
parameters are not logged at all (memos may hold phone numbers), only the API name, the
HTTP status, the error code and the request id.
"""

from __future__ import annotations

import json
import logging
import random
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from email.utils import parsedate_to_datetime
from typing import Any, Protocol
from urllib.parse import urlencode

import httpx

from pdd_desktop.common.redact import redact_text
from pdd_desktop.domain.orders import Flag
from pdd_desktop.platform import errors
from pdd_desktop.platform.apis import FLAT, ApiTable
from pdd_desktop.platform.errors import (
    AuthExpired,
    AuthRejected,
    NotApplied,
    PlatformError,
    RateLimited,
    RequestRejected,
    ServerError,
    SignatureRejected,
    TransportError,
    Unavailable,
)
from pdd_desktop.platform.ratelimit import RateLimiter
from pdd_desktop.platform.records import (
    CourierRecord,
    GoodsRecord,
    MallRecord,
    OrderRecord,
    OrderStatusRecord,
    Page,
    RecordError,
    RefundRecord,
    ReturnAddressRecord,
    StdTemplateRecord,
    TokenRecord,
    TraceEventRecord,
    WaybillBranchRecord,
    WaybillRecord,
    WriteResult,
    parse_courier,
    parse_goods,
    parse_mall,
    parse_order,
    parse_order_status,
    parse_page,
    parse_refund,
    parse_return_address,
    parse_std_templates,
    parse_token,
    parse_trace,
    parse_waybill,
    parse_waybill_search,
    to_bool,
    to_epoch,
)
from pdd_desktop.platform.sign import make_sign, param_text

log = logging.getLogger(__name__)

DEFAULT_GATEWAY = "https://gw-api.pinduoduo.com/api/router"
CONTENT_TYPE = "application/x-www-form-urlencoded;charset=utf-8"

#: Increment windows may span at most 30 minutes (§3.1, §5.1); order.list.get 24 h (§3.2).
MAX_INCREMENT_WINDOW_S = 30 * 60
MAX_CONFIRM_WINDOW_S = 24 * 3600
#: pdd.order.list.get and the increment API serve only orders whose 成交时间 is within 3 months
#: (§3.1, §3.2); the FAQ says queries reach back at most 90 days (§3.3).
ORDER_HORIZON_S = 90 * 86400
MAX_PAGE_SIZE = 100
#: "All" for the increment filters (§3.1: 5 = 全部).
ORDER_STATUS_ALL = 5
REFUND_STATUS_ALL = 5
#: pdd.refund.list.increment.get's ``after_sales_status`` has no documented "all" value (§5.1).
#: The listed codes start at 2 and the sibling ``after_sales_type`` uses 1 = 全部, so 1 is taken
#: as "all" [I]; the sandbox must answer every status for it.
AFTER_SALES_STATUS_ALL = 1
AFTER_SALES_TYPE_ALL = 1
#: |local − platform| above this shows the clock-skew warning (sync.md: 5 min).
CLOCK_SKEW_WARN_S = 300

#: Parameters whose values never appear in logs or error texts.
SECRET_PARAMS = ("access_token", "refresh_token", "code", "client_secret")

_RETRYABLE = (RateLimited, Unavailable, ServerError, TransportError)


class TokenSource(Protocol):
    """Where the client gets the shop's access token."""

    def access_token(self) -> str:
        """The current access token (raises AuthRejected when there is none)."""
        ...

    def refresh(self) -> str:
        """Get a new access token after a 10019; raises AuthRejected when it cannot."""
        ...


class StaticTokenSource:
    """A fixed token (environment variables, the sandbox): a 10019 means signing in again."""

    def __init__(self, token: str) -> None:
        self._token = token

    def __repr__(self) -> str:
        return "StaticTokenSource(***)"

    def access_token(self) -> str:
        if not self._token:
            raise AuthRejected("店铺未授权：没有授权令牌")
        return self._token

    def refresh(self) -> str:
        raise AuthRejected("授权令牌已过期，且无法自动刷新，请重新授权店铺")


#: The platform's parameter names in the merchant's words (the 设置 form's labels), for the
#: gateway's own error texts ("access_token已过期") that reach the screen.
MERCHANT_TERMS = (
    ("access_token", "授权令牌"),
    ("refresh_token", "刷新令牌"),
    ("client_secret", "应用密钥"),
    ("client_id", "应用ID"),
)


def merchant_terms(text: str) -> str:
    """``text`` with the platform's credential parameter names in the merchant's words."""
    for key, words in MERCHANT_TERMS:
        text = text.replace(key, words)
    return text


def backoff_delay(attempt: int, rng: random.Random, *, base_s: float = 1.5, cap_s: float = 30.0) -> float:
    """Full-jitter back-off: uniform in ``[0, min(cap, base × 2^(attempt-1))]`` (attempt ≥ 1)."""
    return rng.uniform(0, backoff_cap(attempt, base_s=base_s, cap_s=cap_s))


def backoff_cap(attempt: int, *, base_s: float = 1.5, cap_s: float = 30.0) -> float:
    """The upper bound of :func:`backoff_delay` for ``attempt``: non-decreasing up to ``cap_s``."""
    return min(cap_s, base_s * 2 ** max(0, attempt - 1))


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        try:
            return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
        except (TypeError, ValueError):
            return None


#: How far a re-calibrated platform_now() may fall behind its last answer and still be held there.
NOW_JITTER_S = 5


class PlatformClient:
    """Signed calls to the platform router for one shop (thread-safe: see the module docstring)."""

    def __init__(
        self,
        gateway_url: str,
        client_id: str,
        client_secret: str,
        *,
        tokens: TokenSource | None,
        apis: ApiTable,
        transport: httpx.BaseTransport | None = None,
        timeout_s: float = 15,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
        max_retries: int = 3,
        backoff_base_s: float = 1.5,
        backoff_cap_s: float = 30.0,
        rng: random.Random | None = None,
        rate_limits: bool = True,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.gateway_url = gateway_url
        self.client_id = client_id
        self._secret = client_secret
        self._tokens = tokens
        #: The declared APIs: response keys and which calls are read-only.
        self.apis = apis
        self._clock = clock
        self._sleep = sleep
        self.max_retries = max_retries
        self.backoff_base_s = backoff_base_s
        self.backoff_cap_s = backoff_cap_s
        self._rng = rng or random.Random()
        self._rng_lock = threading.Lock()
        self._refresh_lock = threading.Lock()
        #: Per-API limiters from the declarations (none when ``rate_limits`` is False).
        self.limiters: dict[str, RateLimiter] = (
            {
                name: RateLimiter(calls, per_s, monotonic=monotonic, sleep=sleep)
                for name, (calls, per_s) in apis.rate_limits().items()
            }
            if rate_limits
            else {}
        )
        self._http = httpx.Client(
            transport=transport,
            timeout=httpx.Timeout(timeout_s),
            headers={"Accept": "application/json"},
        )
        #: platform − local, seconds; 0 until :meth:`calibrate`.
        self.offset_s = 0
        self._calibrated = False
        #: The latest platform_now() answer: a re-calibration never moves it back by jitter.
        self._last_now = 0
        self._last_date_header: int | None = None
        #: Called with each back-off delay before sleeping (for progress/status displays).
        self.on_backoff: Callable[[str, int, float, PlatformError], None] | None = None

    def __repr__(self) -> str:
        return f"PlatformClient({self.gateway_url!r}, client_id={self.client_id!r})"

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> PlatformClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ time

    def platform_now(self) -> int:
        """The platform's "now" in epoch seconds: the local clock plus the calibrated offset.

        Never earlier than a previous answer by less than :data:`NOW_JITTER_S`: each calibration
        rounds a round trip, so a later one can land a second or two behind the last answer, and
        windows computed from "now" (which parcels to trace, which days to read) must not step
        back and take in rows a previous run left out. A larger step back is a real correction
        (the local clock was changed) and is followed.
        """
        now = int(self._clock() + self.offset_s)
        if self._last_now - NOW_JITTER_S <= now < self._last_now:
            return self._last_now
        self._last_now = now
        return now

    @property
    def clock_skew_s(self) -> int | None:
        """Platform − local in seconds once calibrated, else None."""
        return self.offset_s if self._calibrated else None

    @property
    def clock_skewed(self) -> bool:
        """True when the local clock is off by more than :data:`CLOCK_SKEW_WARN_S` (warn only)."""
        return self._calibrated and abs(self.offset_s) > CLOCK_SKEW_WARN_S

    def server_time(self) -> int:
        """pdd.time.get → platform epoch seconds; also updates :attr:`offset_s`.

        ``time_get_response.time`` is a string, presumably ``yyyy-MM-dd HH:mm:ss`` Beijing time
        (§7 [I]); epoch seconds/ms are accepted too. When the local clock is so far off that the
        gateway refuses the call's timestamp (20004), the offset is first taken from the HTTP
        ``Date`` header of that refusal and the call is made once more.
        """
        self._last_date_header = None
        try:
            return self._server_time_once()
        except SignatureRejected:
            if self._last_date_header is None:
                raise
            self._set_offset(self._last_date_header, self._clock())
            return self._server_time_once()

    def _server_time_once(self) -> int:
        t0 = self._clock()
        body = self.call("pdd.time.get", {}, auth=False)
        t1 = self._clock()
        try:
            ts = to_epoch(body.get("time"), "time_get_response.time")
        except RecordError as exc:
            raise TransportError(f"平台时间无法识别：{exc}", sent=True, api="pdd.time.get") from None
        if ts is None:
            raise TransportError("平台时间缺失", sent=True, api="pdd.time.get")
        self._set_offset(ts, (t0 + t1) / 2)
        return ts

    def _set_offset(self, platform_ts: int, local_ts: float) -> None:
        self.offset_s = round(platform_ts - local_ts)
        self._calibrated = True
        if abs(self.offset_s) > CLOCK_SKEW_WARN_S:
            log.warning("本机时钟与平台相差 %d 秒", self.offset_s)

    def calibrate(self) -> int:
        """Read the platform time and store ``offset_s = platform − local``; returns it."""
        self.server_time()
        return self.offset_s

    # ------------------------------------------------------------------ the call

    def call(self, api_type: str, params: Mapping[str, object], *, auth: bool = True) -> dict[str, Any]:
        """One API call; returns the unwrapped answer (see the module docstring for errors)."""
        spec = self.apis.get(api_type)
        retries = self.max_retries if spec is not None and spec.read_only else 0
        limiter = self.limiters.get(api_type)
        refreshed = False
        attempt = 0
        while True:
            if limiter is not None:
                limiter.acquire()
            token = self._current_token(api_type) if auth else None
            try:
                return self._call_once(api_type, params, auth=auth, token=token)
            except AuthExpired:
                if refreshed or not auth or self._tokens is None:
                    raise
                refreshed = True
                self._refresh_token(api_type, token)
            except _RETRYABLE as exc:
                if attempt >= retries:
                    raise
                attempt += 1
                with self._rng_lock:
                    delay = backoff_delay(
                        attempt, self._rng, base_s=self.backoff_base_s, cap_s=self.backoff_cap_s
                    )
                retry_after = getattr(exc, "retry_after_s", None)
                if retry_after is not None:
                    delay = max(delay, retry_after)
                log.warning("%s: %s，%.1f 秒后第 %d 次重试", api_type, type(exc).__name__, delay, attempt)
                if self.on_backoff is not None:
                    self.on_backoff(api_type, attempt, delay, exc)
                self._sleep(delay)

    def _current_token(self, api_type: str) -> str:
        if self._tokens is None:
            raise AuthRejected("店铺未授权：没有授权令牌", api=api_type)
        return self._tokens.access_token()

    def _refresh_token(self, api_type: str, refused: str | None) -> None:
        """Refresh after a 10019, once for every thread that got it with the same token."""
        assert self._tokens is not None
        with self._refresh_lock:
            if refused is not None and self._tokens.access_token() != refused:
                return  # another thread refreshed while this call was out
            log.info("%s: access_token 已过期，刷新后重试一次", api_type)
            self._tokens.refresh()

    def _common_params(self, api_type: str, auth: bool, token: str | None = None) -> dict[str, object]:
        common: dict[str, object] = {
            "type": api_type,
            "client_id": self.client_id,
            "timestamp": self.platform_now(),
            "data_type": "JSON",
            "version": "V1",
        }
        if auth:
            common["access_token"] = token if token is not None else self._current_token(api_type)
        return common

    def _call_once(
        self, api_type: str, params: Mapping[str, object], *, auth: bool, token: str | None = None
    ) -> dict[str, Any]:
        common = self._common_params(api_type, auth, token)
        clash = set(common) & set(params)
        if clash or "sign" in params:
            raise ValueError(f"业务参数不能覆盖公共参数：{sorted(clash | ({'sign'} & set(params)))}")
        fields = {**common, **{k: v for k, v in params.items() if v is not None}}
        form = {name: param_text(value) for name, value in fields.items()}
        form["sign"] = make_sign(form, self._secret)
        started = time.monotonic()
        try:
            response = self._http.post(
                self.gateway_url,
                content=urlencode(form).encode("ascii"),
                headers={"Content-Type": CONTENT_TYPE},
            )
        except (
            httpx.ConnectError,
            httpx.ConnectTimeout,
            httpx.PoolTimeout,
            httpx.UnsupportedProtocol,
        ) as exc:
            raise self._scrubbed(
                TransportError(f"无法连接平台：{type(exc).__name__} {exc}", sent=False, api=api_type), form
            ) from None
        except httpx.TimeoutException as exc:
            raise self._scrubbed(
                TransportError(f"平台响应超时：{type(exc).__name__}", sent=True, api=api_type), form
            ) from None
        except httpx.HTTPError as exc:
            raise self._scrubbed(
                TransportError(f"与平台的连接中断：{type(exc).__name__} {exc}", sent=True, api=api_type), form
            ) from None
        elapsed_ms = (time.monotonic() - started) * 1000
        self._note_date(response)
        body = self._parse_body(response, api_type)
        if isinstance(body, dict) and isinstance(body.get("error_response"), dict):
            err = errors.from_error_response(body, api=api_type)
            if isinstance(err, RateLimited) and err.retry_after_s is None:
                err.retry_after_s = _retry_after(response)
            log.info(
                "%s → HTTP %d error %s/%s request_id=%s (%.0f ms)",
                api_type, response.status_code, err.code, err.sub_code, err.request_id, elapsed_ms,
            )  # fmt: skip
            raise self._scrubbed(err, form)
        if response.status_code >= 500:
            raise ServerError(f"平台服务器错误 HTTP {response.status_code}", api=api_type)
        if response.status_code == 429:
            raise RateLimited("平台限流 HTTP 429", retry_after_s=_retry_after(response), api=api_type)
        if response.status_code >= 400:
            raise RequestRejected(f"平台拒绝请求 HTTP {response.status_code}", api=api_type)
        if body is None:
            raise TransportError("平台返回的内容不完整或不是 JSON", sent=True, api=api_type)
        log.debug("%s → HTTP %d (%.0f ms)", api_type, response.status_code, elapsed_ms)
        return self._unwrap(body, api_type)

    def _note_date(self, response: httpx.Response) -> None:
        value = response.headers.get("date")
        if not value:
            return
        try:
            self._last_date_header = int(parsedate_to_datetime(value).timestamp())
        except (TypeError, ValueError):
            pass

    @staticmethod
    def _parse_body(response: httpx.Response, api_type: str) -> dict[str, Any] | None:
        """The JSON object of the answer, or None when the body is not (complete) JSON."""
        try:
            text = response.content.decode("utf-8")
            body = json.loads(text, parse_float=Decimal, parse_constant=Decimal)
        except (UnicodeDecodeError, ValueError, RecursionError):
            return None
        if not isinstance(body, dict):
            return None
        return body

    def _unwrap(self, body: dict[str, Any], api_type: str) -> dict[str, Any]:
        spec = self.apis.get(api_type)
        key = None if spec is None else spec.response_key
        if key is None:  # an API we have no table entry for: unwrap a lone "*response" key
            keys = list(body)
            key = keys[0] if len(keys) == 1 and keys[0].endswith("response") else FLAT
        if key == FLAT:
            return body
        inner = body.get(key)
        if not isinstance(inner, dict):
            raise TransportError(f"平台返回了意外的内容（缺少 {key}）", sent=True, api=api_type)
        return inner

    def _scrubbed(self, exc: PlatformError, form: Mapping[str, str]) -> PlatformError:
        """Remove secrets (and phone numbers) from an error's text before anyone sees it."""
        secrets = [self._secret, *(form[k] for k in SECRET_PARAMS if k in form)]

        def clean(text: str) -> str:
            for s in secrets:
                if s:
                    text = text.replace(s, "***")
            return merchant_terms(redact_text(text))

        exc.message = clean(exc.message)
        exc.sub_msg = clean(exc.sub_msg)
        exc.args = (exc.message,)
        return exc

    # ------------------------------------------------------------------ reads

    def order_increment(
        self,
        start_updated_at: int,
        end_updated_at: int,
        page: int,
        page_size: int = 100,
        order_status: int = ORDER_STATUS_ALL,
        refund_status: int = REFUND_STATUS_ALL,
        is_lucky_flag: int = 0,
        *,
        use_has_next: bool | None = None,
        trade_type: int | None = None,
    ) -> Page[OrderRecord]:
        """pdd.order.number.list.increment.get (§3.1): orders updated in a ≤30-min window.

        Sorted by ``updated_at`` descending: page backwards (ask ``page=1`` without
        ``use_has_next`` for ``total_count``, then from the last page to 1 with
        ``use_has_next=True``). ``use_has_next``/``trade_type`` are sent only when given.
        """
        _check_window(start_updated_at, end_updated_at, MAX_INCREMENT_WINDOW_S)
        _check_paging(page, page_size)
        body = self.call(
            "pdd.order.number.list.increment.get",
            {
                "start_updated_at": start_updated_at,
                "end_updated_at": end_updated_at,
                "order_status": order_status,
                "refund_status": refund_status,
                "is_lucky_flag": is_lucky_flag,
                "page": page,
                "page_size": page_size,
                "use_has_next": use_has_next,
                "trade_type": trade_type,
            },
        )
        return parse_page(body, "order_sn_list", parse_order, page=page, page_size=page_size)

    def order_list(
        self,
        start_confirm_at: int,
        end_confirm_at: int,
        page: int,
        page_size: int = 100,
        order_status: int = ORDER_STATUS_ALL,
        refund_status: int = REFUND_STATUS_ALL,
        *,
        use_has_next: bool | None = None,
        trade_type: int | None = None,
    ) -> Page[OrderRecord]:
        """pdd.order.list.get (§3.2): orders by 成交时间 in a ≤24-h window (backfill, sweeps)."""
        _check_window(start_confirm_at, end_confirm_at, MAX_CONFIRM_WINDOW_S)
        _check_paging(page, page_size)
        body = self.call(
            "pdd.order.list.get",
            {
                "start_confirm_at": start_confirm_at,
                "end_confirm_at": end_confirm_at,
                "order_status": order_status,
                "refund_status": refund_status,
                "page": page,
                "page_size": page_size,
                "use_has_next": use_has_next,
                "trade_type": trade_type,
            },
        )
        return parse_page(body, "order_list", parse_order, page=page, page_size=page_size)

    def order_detail(self, order_sn: str) -> OrderRecord:
        """pdd.order.information.get (§3.3) → ``order_info_get_response.order_info``."""
        body = self.call("pdd.order.information.get", {"order_sn": order_sn})
        return parse_order(body.get("order_info"), "order_info")

    def order_status(self, order_sns: Sequence[str]) -> list[OrderStatusRecord]:
        """pdd.order.status.get (§3.3): ``order_sns`` comma-separated (batch size undocumented)."""
        if not order_sns:
            return []
        body = self.call("pdd.order.status.get", {"order_sns": ",".join(order_sns)})
        items = body.get("order_status_list") or []
        if not isinstance(items, list):
            raise RecordError("order_status_list", items, "应为列表")
        return [parse_order_status(o, f"order_status_list[{i}]") for i, o in enumerate(items)]

    def refund_increment(
        self,
        start_updated_at: int,
        end_updated_at: int,
        page: int,
        page_size: int = 100,
        *,
        after_sales_status: int = AFTER_SALES_STATUS_ALL,
        after_sales_type: int = AFTER_SALES_TYPE_ALL,
        order_sn: str | None = None,
    ) -> Page[RefundRecord]:
        """pdd.refund.list.increment.get (§5.1): after-sales updated in a ≤30-min window.

        The doc lists no "all" value for the required ``after_sales_status``; see
        :data:`AFTER_SALES_STATUS_ALL`. The answer has ``total_count`` but no ``has_next``
        (it is derived). Amounts are yuan strings.
        """
        _check_window(start_updated_at, end_updated_at, MAX_INCREMENT_WINDOW_S)
        _check_paging(page, page_size)
        body = self.call(
            "pdd.refund.list.increment.get",
            {
                "start_updated_at": start_updated_at,
                "end_updated_at": end_updated_at,
                "after_sales_status": after_sales_status,
                "after_sales_type": after_sales_type,
                "order_sn": order_sn,
                "page": page,
                "page_size": page_size,
            },
        )
        return parse_page(body, "refund_list", parse_refund, page=page, page_size=page_size)

    def refund_detail(self, after_sales_id: int, order_sn: str) -> RefundRecord:
        """pdd.refund.information.get (§5.2): a **flat** answer.

        Its amounts are typed INTEGER in the doc, taken as fen [I] (``exchange_goods_price`` is
        documented 单位分); times are epoch ms.
        """
        body = self.call(
            "pdd.refund.information.get", {"order_sn": order_sn, "after_sales_id": after_sales_id}
        )
        return parse_refund(body, money_in="fen")

    def refund_addresses(self) -> list[ReturnAddressRecord]:
        """pdd.refund.address.list.get (§5.3): the shop's return addresses (ids for returns)."""
        body = self.call("pdd.refund.address.list.get", {})
        items = body.get("refund_address_list")
        if items is None:
            return []
        if not isinstance(items, list):
            raise RecordError("refund_address_list", items, "应为列表")
        return [parse_return_address(a, f"refund_address_list[{i}]") for i, a in enumerate(items)]

    def order_trace(self, company_code: str, mail_no: str) -> tuple[TraceEventRecord, ...]:
        """pdd.logistics.ordertrace.get (§4.2): one parcel's courier scans, oldest first."""
        body = self.call("pdd.logistics.ordertrace.get", {"company_code": company_code, "mail_no": mail_no})
        return parse_trace(body)

    def goods_list(
        self,
        page: int,
        page_size: int = 100,
        *,
        is_onsale: int | None = None,
        outer_id: str | None = None,
        goods_name: str | None = None,
    ) -> Page[GoodsRecord]:
        """pdd.goods.list.get (§6): no prices in this answer (use :meth:`goods_detail`)."""
        _check_paging(page, page_size)
        body = self.call(
            "pdd.goods.list.get",
            {
                "page": page,
                "page_size": page_size,
                "is_onsale": is_onsale,
                "outer_id": outer_id,
                "goods_name": goods_name,
            },
        )
        return parse_page(body, "goods_list", parse_goods, page=page, page_size=page_size)

    def goods_detail(self, goods_id: int) -> GoodsRecord:
        """pdd.goods.detail.get (§6): SKUs with prices in fen."""
        body = self.call("pdd.goods.detail.get", {"goods_id": goods_id})
        return parse_goods(body)

    def logistics_companies(self) -> list[CourierRecord]:
        """pdd.logistics.companies.get (§4.1). Sent with the token: harmless if unneeded [I]."""
        body = self.call("pdd.logistics.companies.get", {})
        items = body.get("logistics_companies") or []
        if not isinstance(items, list):
            raise RecordError("logistics_companies", items, "应为列表")
        return [parse_courier(c, f"logistics_companies[{i}]") for i, c in enumerate(items)]

    def waybill_accounts(self, wp_code: str = "") -> list[WaybillBranchRecord]:
        """pdd.waybill.search (§4.3): the subscribed branch accounts with their balances."""
        return parse_waybill_search(self.call("pdd.waybill.search", {"wp_code": wp_code} if wp_code else {}))

    def std_templates(self, wp_code: str = "") -> list[StdTemplateRecord]:
        """pdd.cloudprint.stdtemplates.get (§4.3): the couriers' standard label templates."""
        body = self.call("pdd.cloudprint.stdtemplates.get", {"wp_code": wp_code} if wp_code else {})
        return parse_std_templates(body)

    def waybill_cancel(self, wp_code: str, waybill_code: str) -> WriteResult:
        """pdd.waybill.cancel (§4.3): give an unused number back (its balance returns)."""
        body = self.call("pdd.waybill.cancel", {"wp_code": wp_code, "waybill_code": waybill_code})
        return _require_success("pdd.waybill.cancel", body, "cancel_result")

    def mall_info(self) -> MallRecord:
        """pdd.mall.info.get (§7)."""
        return parse_mall(self.call("pdd.mall.info.get", {}))

    def auth_token_refresh(self, refresh_token: str) -> TokenRecord:
        """pdd.pop.auth.token.refresh (§1.5), without an access token."""
        body = self.call("pdd.pop.auth.token.refresh", {"refresh_token": refresh_token}, auth=False)
        return parse_token(body, now=self.platform_now())

    def auth_token_create(self, code: str) -> TokenRecord:
        """pdd.pop.auth.token.create (§1.5): exchange the authorisation page's ``code``."""
        body = self.call("pdd.pop.auth.token.create", {"code": code}, auth=False)
        return parse_token(body, now=self.platform_now())

    # ------------------------------------------------------------------ writes (never retried here)

    def waybill_numbers(self, request: Mapping[str, Any]) -> list[WaybillRecord]:
        """pdd.waybill.get (§4.3): allocate e-waybill numbers (a write: numbers are consumed).

        ``request`` is the ``param_waybill_cloud_print_apply_new_request`` object as the doc
        gives it (``wp_code``, ``sender``, ``trade_order_info_dtos`` ≤ 10, ...), sent as JSON.
        """
        dtos = request.get("trade_order_info_dtos") or []
        if not 1 <= len(dtos) <= 10:
            raise ValueError("trade_order_info_dtos 需要 1–10 项")
        body = self.call("pdd.waybill.get", {"param_waybill_cloud_print_apply_new_request": dict(request)})
        modules = body.get("modules") or []
        if not isinstance(modules, list):
            raise RecordError("modules", modules, "应为列表")
        return [parse_waybill(m, f"modules[{i}]") for i, m in enumerate(modules)]

    def ship(
        self,
        order_sn: str,
        logistics_id: int,
        tracking_number: str,
        *,
        redelivery_type: int | None = None,
        refund_address_id: int | None = None,
    ) -> WriteResult:
        """pdd.logistics.online.send (§4.2). ``redelivery_type``: 1 首次发货, 2 修改发货."""
        if not tracking_number:
            raise ValueError("快递单号不能为空")
        api = "pdd.logistics.online.send"
        body = self.call(
            api,
            {
                "order_sn": order_sn,
                "logistics_id": logistics_id,
                "tracking_number": tracking_number,
                "redelivery_type": redelivery_type,
                "refund_address_id": refund_address_id,
            },
        )
        return _require_success(api, body, "is_success")

    def ship_extra(
        self, order_sn: str, tracks: Sequence[tuple[int, str]], extra_track_type: int = 1
    ) -> WriteResult:
        """pdd.order.upload.extra.logistics (§4.2): extra parcels ``[(logistics_id, tracking)]``.

        ``extra_track_type``: 1 分包, 2 补发, 3 赠品. The doc names the company ``shipping_id``
        inside ``extra_track_list``.
        """
        if not tracks:
            raise ValueError("至少需要一个快递单号")
        if extra_track_type not in (1, 2, 3):
            raise ValueError("extra_track_type 应为 1 分包、2 补发、3 赠品")
        api = "pdd.order.upload.extra.logistics"
        body = self.call(
            api,
            {
                "order_sn": order_sn,
                "extra_track_list": [{"shipping_id": lid, "tracking_number": tn} for lid, tn in tracks],
                "extra_track_type": extra_track_type,
            },
        )
        return _require_success(api, body, "success")

    def update_note(
        self, order_sn: str, note: str, tag: int | None = None, tag_name: str | None = None
    ) -> WriteResult:
        """pdd.order.note.update (§3.3): seller memo and flag (tag 1 红 … 5 紫).

        ``tag`` and ``tag_name`` go together; the name defaults to the app's label (≤3 chars).
        How to *clear* a flag is not documented: ``tag=None`` leaves it out.
        """
        if tag is not None:
            tag = int(Flag(tag))
            tag_name = tag_name if tag_name is not None else Flag(tag).label
            if len(tag_name) > 3:
                raise ValueError("旗标名称最多 3 个字")
        api = "pdd.order.note.update"
        body = self.call(
            api,
            {
                "order_sn": order_sn,
                "note": note,
                "tag": tag,
                "tag_name": tag_name if tag is not None else None,
            },
        )
        return _require_success(api, body, "success")

    def update_stock(self, goods_id: int, sku_id: int, quantity: int) -> WriteResult:
        """pdd.goods.quantity.update (§6) with ``update_type=1`` (全量): set the absolute stock."""
        if quantity < 0:
            raise ValueError("库存不能为负")
        api = "pdd.goods.quantity.update"
        body = self.call(
            api, {"goods_id": goods_id, "sku_id": sku_id, "quantity": quantity, "update_type": 1}
        )
        return _require_success(api, body, "is_success")

    def update_sku_price(
        self,
        goods_id: int,
        sku_id: int,
        *,
        group_price_fen: int,
        single_price_fen: int,
        is_onsale: int | None = None,
        sync_goods_operate: int = 1,
    ) -> WriteResult:
        """pdd.goods.sku.price.update (§6): prices in **fen** (as the doc says for goods).

        ``sync_goods_operate=1`` keeps the shelf state (0 would put the goods on sale).
        """
        for name, fen in (("group_price_fen", group_price_fen), ("single_price_fen", single_price_fen)):
            if isinstance(fen, bool) or not isinstance(fen, int) or fen <= 0:
                raise ValueError(f"{name} 应为正整数（分）")
        sku: dict[str, object] = {
            "sku_id": sku_id,
            "group_price": group_price_fen,
            "single_price": single_price_fen,
        }
        if is_onsale is not None:
            sku["is_onsale"] = is_onsale
        api = "pdd.goods.sku.price.update"
        body = self.call(
            api,
            {"goods_id": goods_id, "sku_price_list": [sku], "sync_goods_operate": sync_goods_operate},
        )
        _require_success(api, body, "is_success")
        commit = body.get("goods_commit_id")
        return WriteResult(api=api, raw=body, commit_id="" if commit is None else str(commit))

    def set_sale_status(self, goods_id: int, on_sale: bool) -> WriteResult:
        """pdd.goods.sale.status.set (§6): ``is_onsale`` 1 上架 / 0 下架."""
        api = "pdd.goods.sale.status.set"
        body = self.call(api, {"goods_id": goods_id, "is_onsale": 1 if on_sale else 0})
        return _require_success(api, body, "is_success")

    def refund_agree(
        self, after_sales_id: int, order_sn: str, operate_desc: str | None = None
    ) -> WriteResult:
        """pdd.refund.agree (§5.3): ``request`` JSON → ``response.result.succ``. Moves money."""
        request: dict[str, object] = {"after_sales_id": after_sales_id, "order_sn": order_sn}
        if operate_desc:
            request["operate_desc"] = operate_desc
        api = "pdd.refund.agree"
        body = self.call(api, {"request": request})
        result = body.get("result")
        if not isinstance(result, dict):
            raise TransportError("平台返回了意外的内容（缺少 result）", sent=True, api=api)
        _require_success(api, result, "succ", message_key="message")
        return WriteResult(api=api, raw=body)

    def refund_exchange_shipping(
        self, after_sales_id: int, order_sn: str, shipping_id: int, shipping_name: str, tracking_number: str
    ) -> WriteResult:
        """pdd.refund.exchange.shipping (§5.3): the parcel of a 换货/补寄 case; ``request`` JSON.

        Answer ``response.result{after_sales_id, order_sn, succ, message}`` (the open-pdd-net-sdk
        model ShippingRefundExchangeResponse), like ``pdd.refund.agree``.
        """
        api = "pdd.refund.exchange.shipping"
        request = {
            "after_sales_id": after_sales_id,
            "order_sn": order_sn,
            "shipping_id": shipping_id,
            "shipping_name": shipping_name,
            "tracking_number": tracking_number,
        }
        body = self.call(api, {"request": request})
        result = body.get("result")
        if not isinstance(result, dict):
            raise TransportError("平台返回了意外的内容（缺少 result）", sent=True, api=api)
        _require_success(api, result, "succ", message_key="message")
        return WriteResult(api=api, raw=body)

    def return_goods_agree(
        self, after_sales_id: int, order_sn: str, return_address_id: int, operate_desc: str = ""
    ) -> WriteResult:
        """pdd.refund.returngoods.agree (§5.3): agree to a return; ``request`` JSON.

        Answer ``response{success, error_code, error_msg, result{..., success, message}}``;
        both flags must be true when present.
        """
        api = "pdd.refund.returngoods.agree"
        body = self.call(
            api,
            {
                "request": {
                    "after_sales_id": after_sales_id,
                    "order_sn": order_sn,
                    "return_address_id": return_address_id,
                    "operate_desc": operate_desc,
                }
            },
        )
        _require_success(api, body, "success")
        result = body.get("result")
        if isinstance(result, dict) and "success" in result:
            _require_success(api, result, "success", message_key="message")
        return WriteResult(api=api, raw=body)


def _check_window(start: int, end: int, max_s: int) -> None:
    for name, v in (("start", start), ("end", end)):
        if isinstance(v, bool) or not isinstance(v, int):
            raise ValueError(f"时间窗口的 {name} 应为整数秒")
    if end <= start:
        raise ValueError("时间窗口的结束必须晚于开始")
    if end - start > max_s:
        raise ValueError(f"时间窗口不能超过 {max_s // 60} 分钟")


def _check_paging(page: int, page_size: int) -> None:
    if page < 1:
        raise ValueError("page 从 1 开始")
    if not 1 <= page_size <= MAX_PAGE_SIZE:
        raise ValueError(f"page_size 应在 1–{MAX_PAGE_SIZE} 之间")


def _require_success(
    api: str, body: Mapping[str, Any], key: str, *, message_key: str = "error_msg"
) -> WriteResult:
    """A write's answer must say ``key`` is true; false → :class:`NotApplied`, absent → unknown."""
    if key not in body:
        raise TransportError(f"平台返回了意外的内容（缺少 {key}）", sent=True, api=api)
    try:
        ok = to_bool(body[key], key)
    except RecordError:
        raise TransportError(f"平台返回了意外的内容（{key}）", sent=True, api=api) from None
    if not ok:
        code = body.get("error_code")
        raise NotApplied(
            redact_text(str(body.get(message_key) or "平台未执行该操作")),
            code=50001,
            sub_code=None if code in (None, "") else str(code),
            api=api,
        )
    return WriteResult(api=api, raw=dict(body))
