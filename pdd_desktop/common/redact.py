"""Redaction of personal data and secrets in free text: log lines, error details, diagnostics.

One function, :func:`redact_text`, is used by the log handlers, the error dialog, the sync log
and the diagnostics package, so all of them hide the same things:

- mainland mobile numbers (``138****1234``), also written with full-width digits, spaces or
  dashes, and with a ``+86`` / ``86`` / ``0086`` prefix;
- secrets and tokens in every form they reach a message in: ``access_token=…`` (form or query),
  ``"access_token": "…"`` (JSON), ``refresh_token: …`` (``key: value``), ``Bearer …`` and the
  ``Authorization`` header, and the Chinese labels of the 设置 form (应用密钥, 授权令牌…);
- a password in a URL (``http://user:pass@host`` → ``http://***@host``);
- receivers' names, phones and addresses under their keys (``receiver_name``, ``"address": …``,
  ``收件人：…``), and free text that reads like a street address (``人民路123号4栋502室``).

A name written without any label cannot be told from other words; the diagnostics package also
removes the shop's own known values (:func:`redact_values`).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

#: Full-width digits and plus (as typed by Chinese input methods) → ASCII, for masking.
_WIDE = str.maketrans("０１２３４５６７８９＋", "0123456789+")
_D = "[0-9０-９]"
# Mainland mobile numbers: 11 digits starting with 1[3-9], optionally after +86 / 86 / 0086,
# with spaces or dashes between the groups; digits may be full-width.
_PHONE_RE = re.compile(
    rf"(?<![0-9０-９])(?:(?:[+＋]|00|００)?(?:86|８６)[- ]?)?"
    rf"([1１][3-9３-９]{_D})[- ]?({_D}{{4}})[- ]?({_D}{{4}})(?![0-9０-９])"
)
#: Keys whose value is a secret (any case, ``_`` or ``-`` or nothing between the words).
_SECRET_KEYS = (
    r"access[_-]?token|refresh[_-]?token|client[_-]?secret|app[_-]?secret|secret[_-]?key|"
    r"api[_-]?key|password|passwd|pwd|secret|token|sign|authorization|auth"
)
#: Keys whose value is a person's name, phone or address.
_PERSONAL_KEYS = (
    r"(?:receiver|consignee|buyer|contact|sender|seller|customer)[_-]?"
    r"(?:name|nick(?:name)?|phone|mobile|tel|address|addr)|"
    r"address|addr|mobile|phone|telephone|tel|nickname|buyer[_-]?nick|real[_-]?name|id[_-]?card"
)
#: The same in the merchant's words (labels of forms, platform exports and messages).
_CHINESE_KEYS = (
    "应用密钥|授权令牌|刷新令牌|访问令牌|密钥|密码|令牌|收件人姓名|收件人|收货人姓名|收货人|联系人|姓名|"
    "买家昵称|收货地址|收件地址|详细地址|地址|联系电话|手机号码|手机号|手机|电话"
)
_KEYS = rf"(?:{_SECRET_KEYS}|{_PERSONAL_KEYS})"
# "key": "value" and 'key': 'value' (JSON, Python reprs); the value may hold escaped quotes.
_QUOTED_RE = re.compile(rf"""(?i)(["']){_KEYS}\1(\s*[:=]\s*)(["'])((?:\\.|(?!\3).)*)\3""")
# key=value (forms, query strings) and key: value (headers, YAML-ish dumps).
_PLAIN_RE = re.compile(rf"""(?i)(?<![\w-])({_KEYS})(\s*[:=]\s*)(?!["'\s])([^&\s,;"'<>\]\}}]+)""")
# Chinese label：value.
_CHINESE_RE = re.compile(rf"({_CHINESE_KEYS})(\s*[:：=]\s*)([^\s,，;；。、)）\]}}\"']+)")
# Authorization schemes: "Bearer abc.def", "Basic dXNlcjpwYXNz".
_BEARER_RE = re.compile(r"(?i)\b(Bearer|Basic|Token)\s+([A-Za-z0-9._~+/=\-]{6,})")
# user:password@ in a URL.
_URL_AUTH_RE = re.compile(r"(?i)\b([a-z][a-z0-9+.\-]*://)[^/\s@:]+(?::[^/\s@]*)?@")
# A street address: a run of Chinese, letters and digits with a street (路, 街, 巷…) followed by a
# house number (…号, 栋, 室…), or a province/city followed by a district or county.
_RUN_RE = re.compile(r"[\u3400-\u9fffA-Za-z0-9０-９#＃\-－]{4,}")
_ADDRESS_HINT_RE = re.compile(
    rf"(?:路|街|巷|弄|大道|胡同|村|小区|公寓|大厦).*?{_D}+\s*(?:号|栋|幢|座|单元|室|楼|层)"
    r"|(?:省|自治区).{0,12}?(?:市|州|盟)|(?:市|州).{0,12}?(?:区|县|旗)[\u3400-\u9fff]"
)
MASK = "***"


def _mask_phone(m: re.Match[str]) -> str:
    return f"{m.group(1).translate(_WIDE)}****{m.group(3).translate(_WIDE)}"


def _mask_address_run(m: re.Match[str]) -> str:
    return MASK if _ADDRESS_HINT_RE.search(m.group(0)) else m.group(0)


def redact_text(text: str) -> str:
    """Hide phone numbers, secrets, tokens, URL passwords, names and addresses in ``text``.

    Phones keep their first three and last four digits (``138****1234``), so a merchant can
    still tell two of them apart; everything else becomes ``***``.
    """
    if not text:
        return text
    text = _URL_AUTH_RE.sub(lambda m: f"{m.group(1)}{MASK}@", text)
    text = _QUOTED_RE.sub(lambda m: m.group(0)[: m.start(4) - m.start(0)] + MASK + m.group(3), text)
    text = _BEARER_RE.sub(lambda m: f"{m.group(1)} {MASK}", text)
    text = _PLAIN_RE.sub(lambda m: f"{m.group(1)}{m.group(2)}{MASK}", text)
    text = _CHINESE_RE.sub(lambda m: f"{m.group(1)}{m.group(2)}{MASK}", text)
    text = _PHONE_RE.sub(_mask_phone, text)
    return _RUN_RE.sub(_mask_address_run, text)


def redact_values(text: str, values: Iterable[str]) -> str:
    """:func:`redact_text`, and also hide each of ``values`` (known secrets and names) wherever it occurs.

    Values shorter than two characters are ignored (they would hide ordinary words).
    """
    for value in sorted({v.strip() for v in values if v and len(v.strip()) >= 2}, key=len, reverse=True):
        text = text.replace(value, MASK)
    return redact_text(text)


class RedactingFilter(logging.Filter):
    """A logging filter that redacts the formatted message and any exception text.

    Addresses are never logged by the app's own code (log ids, not receivers); this filter
    is the safety net for phone numbers, tokens and receivers that reach a message through an
    error (a platform response, a URL, a form).
    """

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact_text(record.getMessage())
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact_text(record.exc_text)
        return True
