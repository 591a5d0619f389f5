"""设置 → 同步: credentials are checked and kept in the keychain off the UI thread, never shown back."""

from __future__ import annotations

from pdd_desktop.platform import credentials


def _page(window):
    window.show_page("settings")
    return window.page("settings")


def test_api_mode_without_credentials_is_refused(window):
    page = _page(window)
    v = page.view
    v.sync_mode_combo.setCurrentIndex(v.sync_mode_combo.findData("api"))
    v.sync_save_button.click()
    assert v.sync_status_label.text() == "使用开放平台需要填写网关、应用 ID、应用密钥和授权令牌"


def test_typed_credentials_are_checked_merged_and_stored(window, demo_shop):
    page = _page(window)
    v = page.view
    v.api_gateway_edit.setText("http://example.com/api")
    v.api_client_id_edit.setText("cid")
    v.api_client_secret_edit.setText("secret")
    v.sync_save_button.click()
    assert v.sync_status_label.text() == "开放平台网关：应以 https:// 开头"
    assert credentials.load_credentials(demo_shop.shop) is None
    assert v.api_client_secret_edit.text() == "secret"  # kept for the next try

    v.api_gateway_edit.setText("https://gw.example.com/api")
    v.api_access_token_edit.setText("token")
    v.sync_save_button.click()
    assert v.sync_status_label.text() == "已保存，下次同步起生效"
    stored = credentials.load_credentials(demo_shop.shop)
    assert (stored.gateway_url, stored.client_id, stored.client_secret, stored.access_token) == (
        "https://gw.example.com/api", "cid", "secret", "token",
    )  # fmt: skip
    assert v.api_client_secret_edit.text() == ""
    assert v.api_client_secret_edit.placeholderText() == "已保存（留空不修改）"

    v.api_client_id_edit.setText("cid2")  # the secret stays as stored when left empty
    v.sync_save_button.click()
    stored = credentials.load_credentials(demo_shop.shop)
    assert (stored.client_id, stored.client_secret) == ("cid2", "secret")
