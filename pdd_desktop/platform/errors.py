"""The platform's ``error_response`` codes (pdd-open-api.md §2) as typed exceptions.

What to do next is the class: :class:`AuthExpired` → refresh the token and retry once;
:class:`RateLimited` / :class:`Unavailable` / :class:`ServerError` → back off and retry;
:class:`SignatureRejected`, :class:`AuthRejected`, :class:`RequestRejected` → do not retry (a bug
or a setting the user must fix); :class:`BusinessError` (50001) carries ``sub_code``/``sub_msg``
and is decided per API; :class:`TransportError` means the request may not have reached the
platform (or its answer was lost), so a write's outcome is unknown until read back.
"""

from __future__ import annotations


class PlatformError(Exception):
    """An answer (or the lack of one) from the platform's gateway."""

    retryable = False

    def __init__(
        self,
        message: str,
        *,
        code: int | None = None,
        sub_code: str | None = None,
        sub_msg: str = "",
        request_id: str = "",
        api: str = "",
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.sub_code = sub_code
        self.sub_msg = sub_msg
        self.request_id = request_id
        self.api = api

    def __str__(self) -> str:
        detail = f"（{self.sub_msg}）" if self.sub_msg and self.sub_msg != self.message else ""
        code = f" [{self.code}]" if self.code is not None else ""
        return f"{self.message}{detail}{code}"


class TransportError(PlatformError):
    """No usable answer: connection refused, timeout, truncated or unparsable body."""

    retryable = True

    def __init__(self, message: str, *, sent: bool, **kw) -> None:
        super().__init__(message, **kw)
        #: False when the request certainly never left (connect failed): a write did not happen.
        self.sent = sent


class ServerError(PlatformError):
    """HTTP 5xx or the gateway's internal errors (50000, 50002, 52001, 52002)."""

    retryable = True


class RateLimited(PlatformError):
    """52101 / 70031: too many calls; wait and retry (``retry_after_s`` when the answer said)."""

    retryable = True

    def __init__(self, message: str, *, retry_after_s: float | None = None, **kw) -> None:
        super().__init__(message, **kw)
        self.retry_after_s = retry_after_s


class Unavailable(PlatformError):
    """52102 / 52103 / 70033: the API is degraded or under maintenance for a while."""

    retryable = True


class AuthExpired(PlatformError):
    """10019: the access token expired; refresh it and retry."""


class AuthRejected(PlatformError):
    """20031 / 20032 / 10016 / 70034 / 70035: token, app or permission not accepted; sign in again."""


class SignatureRejected(PlatformError):
    """20004: the sign did not verify (wrong secret), or the timestamp is off by more than 10 min."""


class RequestRejected(PlatformError):
    """10000 / 10001 / 10017 / 21001 / 21002 / 52004 / ...: the request itself is wrong (a bug)."""


class BusinessError(PlatformError):
    """50001: the business service refused; ``sub_code``/``sub_msg`` say why."""


_BY_CODE: dict[int, type[PlatformError]] = {
    10019: AuthExpired,
    20004: SignatureRejected,
    10016: AuthRejected,
    20031: AuthRejected,
    20032: AuthRejected,
    70034: AuthRejected,
    70035: AuthRejected,
    52101: RateLimited,
    70031: RateLimited,
    52102: Unavailable,
    52103: Unavailable,
    70033: Unavailable,
    50000: ServerError,
    50002: ServerError,
    52001: ServerError,
    52002: ServerError,
    50001: BusinessError,
}


def error_class(code: int) -> type[PlatformError]:
    """The exception class for an ``error_code`` (unknown codes are request errors: no retry)."""
    return _BY_CODE.get(code, RequestRejected)


def from_error_response(body: dict, *, api: str = "") -> PlatformError:
    """Build the typed error of an ``{"error_response": {...}}`` body."""
    err = body.get("error_response") or {}
    try:
        code = int(err.get("error_code"))
    except (TypeError, ValueError):
        code = 50000
    sub_code = err.get("sub_code")
    return error_class(code)(
        str(err.get("error_msg") or "平台返回错误"),
        code=code,
        sub_code=None if sub_code is None else str(sub_code),
        sub_msg=str(err.get("sub_msg") or ""),
        request_id=str(err.get("request_id") or ""),
        api=api,
    )


class NotApplied(BusinessError):
    """A write answered without an error but with ``is_success``/``success`` false: not applied."""
