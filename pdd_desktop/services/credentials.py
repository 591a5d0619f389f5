"""The open-platform credentials as 设置 edits them: what is stored, and saving what was typed.

The values live in the OS keychain (:mod:`pdd_desktop.platform.credentials`); this module merges
what the user typed over the stored values, checks the result, and never returns a secret to the
UI. ``keyring`` loads on first use, not with the app. Keychain calls may wait on the OS, so the UI
runs these functions off its thread (the io lane).
"""

from __future__ import annotations

from dataclasses import dataclass

from pdd_desktop.domain.errors import DomainError, ValidationError

#: The editable fields, in the order of the 设置 form.
FIELDS = ("gateway_url", "client_id", "client_secret", "access_token", "refresh_token")
#: Each field in the merchant's words (forms and messages; the platform's keys never show).
FIELD_LABELS = {
    "gateway_url": "开放平台网关",
    "client_id": "应用 ID",
    "client_secret": "应用密钥",
    "access_token": "授权令牌",
    "refresh_token": "刷新令牌",
}
#: Fields that must have a value after the merge, with their names in messages.
REQUIRED = {key: FIELD_LABELS[key] for key in ("gateway_url", "client_id", "client_secret")}
#: Gateways allowed: TLS, or a local test gateway.
GATEWAY_PREFIXES = ("https://", "http://127.0.0.1", "http://localhost")


class MissingCredentials(DomainError):
    """Sync through the open platform was chosen, but no credentials are stored or typed."""

    def __init__(self) -> None:
        super().__init__("使用开放平台需要填写网关、应用 ID、应用密钥和授权令牌")


@dataclass(frozen=True)
class StoredApi:
    """What the form may show of the stored credentials (never the secrets)."""

    gateway_url: str
    client_id: str
    has_secret: bool


def is_keychain_error(exc: BaseException) -> bool:
    """Whether ``exc`` says the OS keychain cannot be used (its text is fit to show as it is)."""
    from pdd_desktop.platform import credentials  # keyring: loaded on demand

    return isinstance(exc, credentials.KeychainUnavailable)


def stored_api(shop: str) -> StoredApi | None:
    """The stored gateway and client id of ``shop``, or None when nothing is stored.

    Raises:
        KeychainUnavailable: no usable keychain (see :func:`is_keychain_error`).
    """
    from pdd_desktop.platform import credentials  # keyring: loaded on demand

    creds = credentials.load_credentials(shop)
    if creds is None:
        return None
    return StoredApi(creds.gateway_url, creds.client_id, bool(creds.client_secret))


def save_typed(shop: str, typed: dict[str, str], *, sync_mode: str) -> None:
    """Keep what was typed in the keychain, merged over the stored values; check before sync.

    Nothing typed keeps the stored credentials; with ``sync_mode`` "api" some must be stored.

    Args:
        shop: the shop's key.
        typed: the form's values by :data:`FIELDS` name ("" = keep the stored value).
        sync_mode: the sync mode about to be saved.

    Raises:
        ValidationError: a required value is missing, or the gateway is not https.
        MissingCredentials: "api" sync without any stored credentials.
        KeychainUnavailable: no usable keychain.
    """
    from pdd_desktop.platform import credentials  # keyring: loaded on demand

    if not any(typed.get(key) for key in FIELDS):
        if sync_mode == "api" and credentials.load_credentials(shop) is None:
            raise MissingCredentials()
        return
    old = credentials.load_credentials(shop)
    merged = {key: typed.get(key) or (getattr(old, key) if old is not None else "") for key in FIELDS}
    for key, name in REQUIRED.items():
        if not merged[key]:
            raise ValidationError(name, "不能为空")
    if not merged["gateway_url"].startswith(GATEWAY_PREFIXES):
        raise ValidationError("开放平台网关", "应以 https:// 开头")
    credentials.save_credentials(
        shop,
        credentials.Credentials(
            gateway_url=merged["gateway_url"],
            client_id=merged["client_id"],
            client_secret=merged["client_secret"],
            access_token=merged["access_token"],
            refresh_token=merged["refresh_token"],
            expires_at=None if typed.get("access_token") else getattr(old, "expires_at", None),
        ),
    )
