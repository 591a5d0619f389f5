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
