"""The open platform's request signature (pdd-open-api.md §1.3), shared by the client and the sandbox.

Every parameter that is sent except ``sign``, sorted by name in byte order, concatenated as
``name value name value...`` with no separators, wrapped in the client secret on both ends,
MD5 of the UTF-8 bytes, upper-case hex. Values are the exact strings sent (JSON text for
objects, ``true``/``false`` for booleans); empty values are signed like any other (the Node SDK
signs everything; the client never sends empty values, so both SDK behaviours agree).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping


def param_text(value: object) -> str:
    """The exact string a parameter value is sent as."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list | tuple):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return str(value)


def make_sign(params: Mapping[str, object], client_secret: str) -> str:
    """The ``sign`` of ``params`` (a ``sign`` key among them is ignored)."""
    body = "".join(
        f"{name}{param_text(params[name])}"
        for name in sorted(params, key=lambda n: n.encode("utf-8"))
        if name != "sign"
    )
    return hashlib.md5(f"{client_secret}{body}{client_secret}".encode()).hexdigest().upper()
