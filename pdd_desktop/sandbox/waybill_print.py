"""The sandbox platform's e-waybill print data, and how its fake print component opens it.

On the real platform ``pdd.waybill.get`` answers each number with ``print_data``: an opaque
string holding the encrypted receiver (``encryptedData``), the platform's ``signature`` over it
and the standard template's URL. The merchant's app never reads inside it; it hands the fields to
PDD's print component (拼多多打印组件), the only program that can decrypt and print them
(../shared/docs/pdd-open-api.md §4.3–4.4, merchant-data.md §9).

The sandbox plays both ends, so both ends use this one module: the sandbox's ``pdd.waybill.get``
seals a waybill with :func:`seal`, and the sandbox's fake component checks and opens a print
document with :func:`open_document`. The "encryption" is a keyed XOR stream: a stand-in that
keeps the receiver unreadable to the app, not a claim about the platform's cipher.

``print_data`` as the sandbox issues it (JSON text)::

    {"encryptedData": "<base64>", "signature": "<hex HMAC-SHA256 of encryptedData>",
     "templateUrl": "<standard template URL>", "ver": "sandbox-1"}

The sealed waybill (what :func:`open_document` returns) is a dict with at least
``waybill_code``, ``wp_code``, ``sort_code`` (三段码), ``hub`` (集包地), ``parent_waybill_code``,
``object_id``, ``order_sns``, ``items`` ``[{name, count}]``, ``recipient`` and ``sender``
(``{name, mobile, phone, address: {province, city, district, town, detail}}``), in clear.

A print document's first content, as the app builds it from ``print_data`` and sends it to the
component (merchant-data.md §9; the app side lives in ``platform/``, which never imports this)::

    {"templateURL": U, "signature": S, "encryptedData": E, "addData": {"sender": {...}}}
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any

VERSION = "sandbox-1"

#: Label sizes of the sandbox's standard templates (mm), as ``pdd.cloudprint.stdtemplates.get`` lists.
STANDARD_SIZES = ("76x130", "100x150")


def standard_template_url(wp_code: str, size: str = "76x130") -> str:
    """The sandbox's standard template URL of a courier and label size (an identifier only)."""
    return f"https://sandbox.pdd-desktop.invalid/cloudprint/std/{wp_code}/{size}.xml"


def is_standard_template(url: str) -> bool:
    """True for a URL :func:`standard_template_url` gives (what the fake component accepts)."""
    prefix = "https://sandbox.pdd-desktop.invalid/cloudprint/std/"
    if not url.startswith(prefix):
        return False
    parts = url[len(prefix) :].split("/")
    return len(parts) == 2 and bool(parts[0]) and parts[1].removesuffix(".xml") in STANDARD_SIZES


class PrintDataRejected(ValueError):
    """A print document the component refuses: not issued by this platform, or altered."""


def _keystream(secret: str, length: int) -> bytes:
    out = bytearray()
    counter = 0
    key = secret.encode("utf-8")
    while len(out) < length:
        out += hashlib.sha256(key + counter.to_bytes(8, "big")).digest()
        counter += 1
    return bytes(out[:length])


def _xor(secret: str, data: bytes) -> bytes:
    return bytes(a ^ b for a, b in zip(data, _keystream(secret, len(data)), strict=True))


def sign(secret: str, encrypted: str) -> str:
    """The platform's signature over ``encryptedData`` (hex HMAC-SHA256)."""
    return hmac.new(secret.encode("utf-8"), encrypted.encode("ascii"), hashlib.sha256).hexdigest()


def seal(secret: str, waybill: dict[str, Any], template_url: str) -> str:
    """``print_data`` for ``waybill`` (the sandbox's ``pdd.waybill.get``)."""
    plain = json.dumps(waybill, ensure_ascii=False, sort_keys=True).encode("utf-8")
    encrypted = base64.b64encode(_xor(secret, plain)).decode("ascii")
    return json.dumps(
        {
            "encryptedData": encrypted,
            "signature": sign(secret, encrypted),
            "templateUrl": template_url,
            "ver": VERSION,
        },
        ensure_ascii=False,
    )


def open_document(secret: str, content: dict[str, Any]) -> dict[str, Any]:
    """The clear waybill inside a document's first content (the sandbox's fake component).

    Raises:
        PrintDataRejected: the signature does not match the data, or the data does not open.
    """
    encrypted = content.get("encryptedData")
    signature = content.get("signature")
    if not isinstance(encrypted, str) or not isinstance(signature, str):
        raise PrintDataRejected("missing encryptedData or signature")
    if not hmac.compare_digest(sign(secret, encrypted), signature):
        raise PrintDataRejected("signature does not match the data")
    try:
        plain = _xor(secret, base64.b64decode(encrypted, validate=True))
        waybill = json.loads(plain.decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise PrintDataRejected("encryptedData does not open") from exc
    if not isinstance(waybill, dict):
        raise PrintDataRejected("encryptedData does not hold a waybill")
    return waybill
