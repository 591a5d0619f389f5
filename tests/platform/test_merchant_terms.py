"""The gateway's error texts reach the screen in the merchant's words (设置's labels)."""

from pdd_desktop.platform.client import StaticTokenSource, merchant_terms
from pdd_desktop.platform.errors import AuthRejected


def test_platform_parameter_names_become_the_forms_labels():
    assert merchant_terms("access_token已过期") == "授权令牌已过期"
    assert merchant_terms("access_token或client_id错误") == "授权令牌或应用ID错误"
    assert merchant_terms("refresh_token无效，client_secret不对") == "刷新令牌无效，应用密钥不对"


def test_missing_or_expired_token_messages_use_merchant_words():
    for call in (StaticTokenSource("").access_token, StaticTokenSource("x").refresh):
        try:
            call()
        except AuthRejected as exc:
            assert "授权令牌" in str(exc) and "access_token" not in str(exc)
        else:
            raise AssertionError("no error")
