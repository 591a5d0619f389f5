"""Credentials in the keychain (an in-memory backend here), token refresh, no plaintext fallback."""

from __future__ import annotations

import json
import logging
from urllib.parse import parse_qsl

import httpx
import keyring
import keyring.backends.fail
import pytest

from pdd_desktop.platform import errors
from pdd_desktop.platform.credentials import (
    SERVICE,
    Credentials,
    KeychainUnavailable,
    KeyringTokenSource,
    MemoryKeyring,
    clear_credentials,
    load_credentials,
    open_client,
    save_credentials,
)
from pdd_desktop.platform.sign import make_sign
from pdd_desktop.services.sync.registry import API_TABLE

GATEWAY = "http://gw.test/api/router"
CREDS = Credentials(
    gateway_url=GATEWAY,
    client_id="cid",
    client_secret="SECRET-xyz",
    access_token="AT-old",
    refresh_token="RT-old",
    expires_at=2_000_000_000,
)


@pytest.fixture
def memory_keyring():
    previous = keyring.get_keyring()
    kr = MemoryKeyring()
    keyring.set_keyring(kr)
    yield kr
    keyring.set_keyring(previous)


def test_round_trip_and_clear(memory_keyring):
    assert load_credentials("shop1") is None
    save_credentials("shop1", CREDS)
    assert load_credentials("shop1") == CREDS
    assert memory_keyring.get_password(SERVICE, "shop1:client_secret") == "SECRET-xyz"
    assert memory_keyring.get_password(SERVICE, "shop1:access_token") == "AT-old"
    assert memory_keyring.get_password(SERVICE, "shop1:refresh_token") == "RT-old"
    assert memory_keyring.get_password(SERVICE, "shop1:expires_at") == "2000000000"
    assert load_credentials("shop2") is None
    clear_credentials("shop1")
    assert load_credentials("shop1") is None and memory_keyring._store == {}


def test_repr_hides_secrets():
    text = repr(CREDS)
    assert "SECRET" not in text and "AT-old" not in text and "RT-old" not in text and "cid" in text


def test_empty_fields_are_removed_not_kept_stale(memory_keyring):
    save_credentials("s", CREDS)
    save_credentials("s", Credentials(GATEWAY, "cid", "SECRET-xyz"))
    loaded = load_credentials("s")
    assert loaded is not None and loaded.access_token == "" and loaded.expires_at is None
    assert memory_keyring.get_password(SERVICE, "s:refresh_token") is None


def test_no_keyring_backend_is_a_clear_error_and_nothing_is_written(tmp_path, monkeypatch):
    previous = keyring.get_keyring()
    keyring.set_keyring(keyring.backends.fail.Keyring())
    monkeypatch.chdir(tmp_path)
    try:
        with pytest.raises(KeychainUnavailable, match="钥匙串"):
            save_credentials("s", CREDS)
        with pytest.raises(KeychainUnavailable, match="明文"):
            load_credentials("s")
    finally:
        keyring.set_keyring(previous)
    assert list(tmp_path.iterdir()) == []


def test_memory_keyring_is_never_chosen_automatically():
    assert not MemoryKeyring.viable
    assert MemoryKeyring not in set(keyring.backend.get_all_keyring())


def test_bad_shop_names():
    with pytest.raises(ValueError):
        save_credentials("a:b", CREDS)


class Router:
    def __init__(self):
        self.valid = {"AT-old"}
        self.refresh_calls = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        form = dict(parse_qsl(request.content.decode()))
        assert form["sign"] == make_sign(form, "SECRET-xyz")
        if form["type"] == "pdd.pop.auth.token.refresh":
            assert "access_token" not in form
            self.refresh_calls.append(form["refresh_token"])
            if form["refresh_token"] != "RT-old":
                body = {"error_response": {"error_code": 20032, "error_msg": "refresh_token无效"}}
            else:
                self.valid = {"AT-new"}
                body = {
                    "pop_auth_token_refresh_response": {
                        "access_token": "AT-new",
                        "refresh_token": "RT-new",
                        "expires_in": 86400,
                        "owner_id": "100",
                    }
                }
            return httpx.Response(200, content=json.dumps(body).encode())
        if form["access_token"] not in self.valid:
            body = {"error_response": {"error_code": 10019, "error_msg": "access_token已过期"}}
        else:
            body = {"mall_info_get_response": {"mall_id": 100, "mall_name": "店"}}
        return httpx.Response(200, content=json.dumps(body).encode())


def test_10019_refreshes_through_the_keychain_and_saves(memory_keyring, caplog):
    caplog.set_level(logging.DEBUG)
    save_credentials("s", CREDS)
    router = Router()
    router.valid = {"AT-new"}  # the stored token has expired on the platform
    client = open_client(
        "s", apis=API_TABLE, transport=httpx.MockTransport(router), clock=lambda: 1_800_000_000
    )
    assert client.mall_info().mall_id == 100
    assert router.refresh_calls == ["RT-old"]
    stored = load_credentials("s")
    assert stored is not None
    assert (stored.access_token, stored.refresh_token) == ("AT-new", "RT-new")
    assert stored.expires_at == 1_800_000_000 + 86400
    for secret in ("SECRET-xyz", "AT-old", "AT-new", "RT-old", "RT-new"):
        assert secret not in caplog.text


def test_refresh_before_expiry(memory_keyring):
    save_credentials(
        "s", Credentials(GATEWAY, "cid", "SECRET-xyz", "AT-old", "RT-old", expires_at=1_800_000_060)
    )
    router = Router()
    router.valid = {"AT-new"}
    client = open_client(
        "s", apis=API_TABLE, transport=httpx.MockTransport(router), clock=lambda: 1_800_000_000
    )
    client.mall_info()
    assert router.refresh_calls == ["RT-old"]  # proactively, without a 10019 first


def test_refresh_rejected_means_sign_in_again(memory_keyring):
    save_credentials("s", Credentials(GATEWAY, "cid", "SECRET-xyz", "AT-old", "RT-bad"))
    router = Router()
    router.valid = set()
    client = open_client("s", apis=API_TABLE, transport=httpx.MockTransport(router))
    with pytest.raises(errors.AuthRejected) as info:
        client.mall_info()
    assert "重新授权" in str(info.value) and "RT-bad" not in str(info.value)


def test_token_source_without_anything_stored(memory_keyring):
    with pytest.raises(errors.AuthRejected):
        KeyringTokenSource("nobody").access_token()
    with pytest.raises(errors.AuthRejected):
        open_client("nobody", apis=API_TABLE)
