import logging

from pdd_desktop.common.logsetup import setup_logging


def test_log_file_redacts_phone_numbers_and_tokens(tmp_path):
    path = setup_logging(tmp_path / "logs")
    log = logging.getLogger("pdd_desktop.test")
    log.warning("ship to %s failed", "13912345678")
    try:
        raise ValueError("refresh_token=SECRET123 for 15011112222")
    except ValueError:
        log.exception("sync failed")
    for handler in logging.getLogger().handlers:
        handler.flush()
    text = path.read_text(encoding="utf-8")
    assert "139****5678" in text and "13912345678" not in text
    assert "SECRET123" not in text and "15011112222" not in text
    assert "Traceback" in text


def test_log_file_hides_url_passwords_and_token_forms(tmp_path):
    path = setup_logging(tmp_path / "logs")
    log = logging.getLogger("pdd_desktop.test")
    log.warning("gateway http://shopuser:Pa55word@gw.example.com/api/router unreachable")
    log.warning('response {"access_token": "AT-json-1", "refresh_token": "RT-json-2"}')
    log.warning("headers Authorization: Bearer BEARER-tok-3; refresh_token: RT-colon-4")
    log.warning("phone １５０１１１１２２２２ and 008613912345678")
    for handler in logging.getLogger().handlers:
        handler.flush()
    text = path.read_text(encoding="utf-8")
    for secret in (
        "Pa55word",
        "AT-json-1",
        "RT-json-2",
        "BEARER-tok-3",
        "RT-colon-4",
        "１５０１１１１２２２２",
        "13912345678",
    ):
        assert secret not in text
    assert "gw.example.com" in text and "150****2222" in text and "139****5678" in text
