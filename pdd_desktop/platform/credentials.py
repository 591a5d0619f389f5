"""The shop's app key, secret and tokens in the OS keychain (``keyring``), never anywhere else.

Service ``pdd-desktop``; one entry per value, user names ``<shop>:<field>`` (``<shop>:client_id``,
``<shop>:client_secret``, ``<shop>:access_token``, ``<shop>:refresh_token``, ``<shop>:expires_at``,
``<shop>:gateway_url``). Separate entries keep each far below the Windows Credential Manager's
1280-character limit. When no keychain backend is available (``NoKeyringError``, e.g. a headless
Linux without Secret Service) or the only one stores plain text, :class:`KeychainUnavailable`
says so in Chinese: there is no silent fallback to a file.

Tests and CI install :class:`MemoryKeyring` with ``keyring.set_keyring(MemoryKeyring())``; it is
never picked automatically (its priority raises, so keyring deems it not viable).
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field, replace

import keyring
import keyring.errors
from keyring.backend import KeyringBackend
from keyring.compat import properties

from pdd_desktop.platform.apis import ApiTable
from pdd_desktop.platform.client import DEFAULT_GATEWAY, PlatformClient
from pdd_desktop.platform.errors import AuthRejected, PlatformError

log = logging.getLogger(__name__)

SERVICE = "pdd-desktop"
_FIELDS = ("gateway_url", "client_id", "client_secret", "access_token", "refresh_token", "expires_at")
#: Refresh this long before the token's own expiry.
REFRESH_MARGIN_S = 120


class KeychainUnavailable(RuntimeError):
    """No usable OS keychain: credentials cannot be stored (and are not written anywhere else)."""


@dataclass(frozen=True)
class Credentials:
    """One shop's platform credentials; the secret and tokens never appear in ``repr``."""

    gateway_url: str
    client_id: str
    client_secret: str = field(repr=False)
    access_token: str = field(default="", repr=False)
    refresh_token: str = field(default="", repr=False)
    expires_at: int | None = None  #: access token expiry, platform epoch seconds


def _user(shop: str, name: str) -> str:
    if not shop or ":" in shop:
        raise ValueError("店铺标识不能为空，也不能含冒号")
    return f"{shop}:{name}"


def _check_backend() -> None:
    backend = keyring.get_keyring()
    if type(backend).__name__ == "PlaintextKeyring" or "keyrings.alt.file" in type(backend).__module__:
        raise KeychainUnavailable(
            "当前的钥匙串后端会以明文保存密码，已拒绝使用。"
            "请改用系统钥匙串（Windows 凭据管理器、macOS 钥匙串或 Secret Service）。"
        )


def _keychain_error(exc: Exception) -> KeychainUnavailable:
    if isinstance(exc, keyring.errors.NoKeyringError):
        return KeychainUnavailable(
            "找不到可用的系统钥匙串，无法安全保存店铺的应用密钥和授权。"
            "请在 Windows 凭据管理器、macOS 钥匙串或 Linux 的 Secret Service（如 GNOME Keyring）可用后重试；"
            "应用不会把密钥以明文写入文件。"
        )
    if isinstance(exc, keyring.errors.KeyringLocked):
        return KeychainUnavailable("系统钥匙串已锁定，请先解锁后重试。")
    return KeychainUnavailable(f"系统钥匙串出错：{type(exc).__name__}")


def load_credentials(shop: str) -> Credentials | None:
    """The shop's stored credentials, or None when no client id and secret are stored."""
    try:
        _check_backend()
        values = {name: keyring.get_password(SERVICE, _user(shop, name)) for name in _FIELDS}
    except keyring.errors.KeyringError as exc:
        raise _keychain_error(exc) from None
    if not values["client_id"] or not values["client_secret"]:
        return None
    try:
        expires_at = int(values["expires_at"]) if values["expires_at"] else None
    except ValueError:
        expires_at = None
    return Credentials(
        gateway_url=values["gateway_url"] or DEFAULT_GATEWAY,
        client_id=values["client_id"] or "",
        client_secret=values["client_secret"] or "",
        access_token=values["access_token"] or "",
        refresh_token=values["refresh_token"] or "",
        expires_at=expires_at,
    )


def save_credentials(shop: str, creds: Credentials) -> None:
    """Store every field (empty ones are deleted, so no stale token survives)."""
    values = {
        "gateway_url": creds.gateway_url,
        "client_id": creds.client_id,
        "client_secret": creds.client_secret,
        "access_token": creds.access_token,
        "refresh_token": creds.refresh_token,
        "expires_at": "" if creds.expires_at is None else str(int(creds.expires_at)),
    }
    try:
        _check_backend()
        for name, value in values.items():
            if value:
                keyring.set_password(SERVICE, _user(shop, name), value)
            else:
                _delete(shop, name)
    except keyring.errors.KeyringError as exc:
        raise _keychain_error(exc) from None


def _delete(shop: str, name: str) -> None:
    try:
        keyring.delete_password(SERVICE, _user(shop, name))
    except keyring.errors.PasswordDeleteError:
        pass


def clear_credentials(shop: str) -> None:
    """Remove everything stored for the shop (sign out)."""
    try:
        for name in _FIELDS:
            _delete(shop, name)
    except keyring.errors.KeyringError as exc:
        raise _keychain_error(exc) from None


class KeyringTokenSource:
    """The shop's access token from the keychain, refreshed with pdd.pop.auth.token.refresh.

    ``client`` may be attached after construction (the client needs the source, the source
    needs the client to refresh): ``source.client = client``, or use :func:`open_client`.
    """

    def __init__(self, shop: str, client: PlatformClient | None = None) -> None:
        self.shop = shop
        self.client = client
        self._lock = threading.Lock()
        self._cached: Credentials | None = None

    def __repr__(self) -> str:
        return f"KeyringTokenSource({self.shop!r})"

    def _creds(self) -> Credentials:
        if self._cached is None:
            creds = load_credentials(self.shop)
            if creds is None:
                raise AuthRejected("店铺未设置应用密钥，请在设置中填写并授权")
            self._cached = creds
        return self._cached

    def access_token(self) -> str:
        with self._lock:
            creds = self._creds()
            expired = (
                creds.expires_at is not None
                and self.client is not None
                and self.client.platform_now() >= creds.expires_at - REFRESH_MARGIN_S
                and bool(creds.refresh_token)
            )
        if expired:
            return self.refresh()
        if not creds.access_token:
            raise AuthRejected("店铺尚未授权，请在设置中授权店铺")
        return creds.access_token

    def refresh(self) -> str:
        with self._lock:
            self._cached = None  # another process may have refreshed meanwhile
            creds = self._creds()
            if not creds.refresh_token:
                raise AuthRejected("授权已过期，请重新授权店铺")
            if self.client is None:
                raise AuthRejected("无法刷新授权：没有平台连接")
            try:
                token = self.client.auth_token_refresh(creds.refresh_token)
            except PlatformError as exc:
                if exc.retryable:
                    raise
                raise AuthRejected("刷新授权失败，请重新授权店铺", code=exc.code, api=exc.api) from None
            new = replace(
                creds,
                access_token=token.access_token,
                refresh_token=token.refresh_token or creds.refresh_token,
                expires_at=token.expires_at,
            )
            save_credentials(self.shop, new)
            self._cached = new
            log.info("店铺 %s 的授权已刷新", self.shop)
            return new.access_token


def open_client(shop: str, *, apis: ApiTable, **client_kw) -> PlatformClient:
    """A client for the shop's stored credentials, with a :class:`KeyringTokenSource` attached.

    ``apis`` are the declared APIs (``services.sync.registry.open_shop_client`` passes the app's).

    Raises:
        AuthRejected: nothing stored for the shop.
        KeychainUnavailable: no usable keychain.
    """
    creds = load_credentials(shop)
    if creds is None:
        raise AuthRejected("店铺未设置应用密钥，请在设置中填写并授权")
    source = KeyringTokenSource(shop)
    client = PlatformClient(
        creds.gateway_url, creds.client_id, creds.client_secret, tokens=source, apis=apis, **client_kw
    )
    source.client = client
    return client


class MemoryKeyring(KeyringBackend):
    """An in-memory keyring for tests and CI; never chosen automatically."""

    @properties.classproperty
    def priority(cls) -> float:
        raise RuntimeError("MemoryKeyring is for tests only; install it with keyring.set_keyring()")

    def __init__(self) -> None:
        super().__init__()
        self._store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self._store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self._store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        try:
            del self._store[(service, username)]
        except KeyError:
            raise keyring.errors.PasswordDeleteError("not found") from None
