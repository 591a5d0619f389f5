"""Redaction of personal data in free text: log lines, error details, exception messages."""

from __future__ import annotations

import logging
import re

# Mainland mobile numbers (11 digits starting with 1), optionally with +86 / spaces / dashes.
_PHONE_RE = re.compile(r"(?<!\d)(?:\+?86[- ]?)?(1[3-9]\d)[- ]?(\d{4})[- ]?(\d{4})(?!\d)")
# Secrets that might sneak into a URL or a form dump.
_SECRET_RE = re.compile(r"(?i)\b(access_token|refresh_token|client_secret|app_secret|sign)=([^&\s]+)")


def redact_text(text: str) -> str:
    """Mask phone numbers (138****1234) and token-like query values in ``text``."""
    text = _PHONE_RE.sub(lambda m: f"{m.group(1)}****{m.group(3)}", text)
    return _SECRET_RE.sub(lambda m: f"{m.group(1)}=***", text)


class RedactingFilter(logging.Filter):
    """A logging filter that redacts the formatted message and any exception text.

    Addresses are never logged by the app's own code (log ids, not receivers); this filter
    is the safety net for phone numbers and tokens that reach a message through an error.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact_text(record.getMessage())
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact_text(record.exc_text)
        return True
