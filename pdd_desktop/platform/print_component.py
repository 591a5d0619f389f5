"""PDD's print component (拼多多打印组件): a WebSocket client and the print documents it takes.

The component is a program the merchant installs (Windows/macOS). It listens on
``ws://127.0.0.1:5000`` and prints e-waybill labels whose receiver only it can decrypt
(../shared/docs/merchant-data.md §9, pdd-open-api.md §4.4). Protocol, as far as it is known:

- Requests are JSON text frames ``{"cmd", "requestID", "version": "1.0", ...}``; the answer
  carries the same ``cmd`` and ``requestID`` and ``status`` ``"success"``/``"failed"`` with ``msg``.
- ``getPrinters`` → ``{"defaultPrinter": NAME, "printers": [{"name": NAME, ...}]}``.
- ``print`` with ``task{taskID, printer, preview, documents[{documentID, contents[...]}]}`` is
  answered at once (accepted or not); the result comes **later** as
  ``{"cmd": "PrintResultNotify", "taskID", "taskStatus": "printed"|"failed",
  "printStatus": [{"documentID", "status": "success"|"failed"|"canceled", "msg", "detail"}]}``
  **without** ``requestID``: it is matched by ``taskID``. (merchant-data.md §9; the result's
  fields follow a third-party TypeScript print client's ``PinduoduoNotifyPrintResult`` type,
  which cites the platform's page open.pinduoduo.com/application/document/browse?idStr=3BBB4C229B6A8FCC.)
- A printer's ``status`` in ``getPrinters`` is not documented anywhere we found [I]: a printer
  counts as offline only when the component says so (:data:`OFFLINE_STATUSES`).

The WebSocket is RFC 6455's client side written on :mod:`socket` (no dependency: the installer's
size matters): the HTTP upgrade with the ``Sec-WebSocket-Accept`` check, masked client frames,
text messages in one frame or fragmented, ping answered with pong, close answered and ended.
Every wait has a deadline; failures are :class:`PrintComponentError` subclasses whose text is
Chinese and fit to show.

The client is synchronous and meant for one worker thread (the print session's). Answers and
results that arrive while it waits for something else are kept until asked for.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import socket
import struct
import time
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from pdd_desktop.domain.errors import DomainError

DEFAULT_URL = "ws://127.0.0.1:5000"
PROTOCOL_VERSION = "1.0"
#: Where merchants download the component (the platform's print-component page) [I: the exact
#: page moves; the merchant backend's 打单 help links to it].
INSTALL_HINT = (
    "请在电脑上安装并打开「拼多多打印组件」：在拼多多商家后台（mms.pinduoduo.com）的打单/电子面单帮助中"
    "下载安装，启动后再试。"
)

#: RFC 6455 §1.3: the GUID appended to the key for ``Sec-WebSocket-Accept``.
WS_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
OP_CONT, OP_TEXT, OP_BINARY, OP_CLOSE, OP_PING, OP_PONG = 0x0, 0x1, 0x2, 0x8, 0x9, 0xA
#: Largest message accepted from the component (a getPrinters or result answer is a few KiB).
MAX_MESSAGE = 16 * 1024 * 1024

#: Printer ``status`` values meaning the printer cannot print now [I].
OFFLINE_STATUSES = frozenset({"offline", "disable", "disabled", "error", "unavailable"})


@dataclass(frozen=True)
class ContentKeys:
    """Key names inside a print document's contents.

    merchant-data.md §9 writes ``templateURL`` in both contents; pdd-open-api.md §4.4 and the
    third-party TypeScript client above write ``templateUrl`` in the waybill content (the [?] of
    §9). One place to flip them when a field test against the real component says otherwise.
    """

    standard_template: str = "templateURL"
    custom_template: str = "templateURL"


CONTENT_KEYS = ContentKeys()


# --- errors -----------------------------------------------------------------------------------


class PrintComponentError(DomainError):
    """The print component could not do what was asked; ``str()`` is Chinese, fit to show."""


class ComponentUnavailable(PrintComponentError):
    """Nothing answers on the component's address, or what answers is not the component."""

    def __init__(self, detail: str = "") -> None:
        why = f"（{detail}）" if detail else ""
        super().__init__(f"没有检测到拼多多打印组件：组件未安装或没有运行{why}。{INSTALL_HINT}")


class ComponentTimeout(PrintComponentError):
    """The component did not answer in time."""


class ComponentConnectionLost(PrintComponentError):
    """The connection to the component closed or broke."""


class PrinterOffline(PrintComponentError):
    """The chosen printer is offline (or unknown) according to the component."""

    def __init__(self, printer: str) -> None:
        self.printer = printer
        super().__init__(f"打印机「{printer}」离线或不可用：请检查打印机电源、连线和纸张后再试。")


class ComponentRefused(PrintComponentError):
    """The component answered a request with ``status: failed``."""


class ProtocolError(PrintComponentError):
    """The other end broke the WebSocket protocol."""


class PrintDataError(DomainError):
    """A waybill's ``print_data`` cannot become a print document (names the waybill)."""


# --- results ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Printer:
    """A printer the component can print on."""

    name: str
    status: str = ""
    is_default: bool = False

    @property
    def online(self) -> bool:
        """False when the component reports the printer offline [I: status words]."""
        return self.status.strip().lower() not in OFFLINE_STATUSES


@dataclass(frozen=True)
class DocumentStatus:
    """The component's word on one document of a task."""

    document_id: str
    status: str  # "success" | "failed" | "canceled"
    message: str = ""

    @property
    def ok(self) -> bool:
        """Only ``success`` counts as printed."""
        return self.status == "success"


@dataclass(frozen=True)
class TaskResult:
    """A ``PrintResultNotify``: the task's status and each document's."""

    task_id: str
    task_status: str
    documents: tuple[DocumentStatus, ...]
    message: str = ""
    printer: str = ""

    def status_of(self, document_id: str) -> DocumentStatus | None:
        """The status the component gave ``document_id`` in this task, if any."""
        for doc in self.documents:
            if doc.document_id == document_id:
                return doc
        return None


@dataclass(frozen=True)
class PrintTask:
    """One ``print`` command's task (documents built by :func:`build_document`)."""

    task_id: str
    printer: str
    documents: tuple[dict[str, Any], ...]
    preview: bool = False

    def as_json(self) -> dict[str, Any]:
        """The ``task`` object of the ``print`` command."""
        return {
            "taskID": self.task_id,
            "printer": self.printer,
            "preview": self.preview,
            "documents": list(self.documents),
        }


# --- print documents (pure) -------------------------------------------------------------------


@dataclass(frozen=True)
class SenderAddress:
    """The sender printed on the label (``addData.sender``), as the component takes it."""

    name: str
    mobile: str = ""
    phone: str = ""
    province: str = ""
    city: str = ""
    district: str = ""
    town: str = ""
    detail: str = ""

    def as_json(self) -> dict[str, Any]:
        """``{name, mobile, phone, address{province, city, district, town, detail}}``."""
        return {
            "name": self.name,
            "mobile": self.mobile,
            "phone": self.phone,
            "address": {
                "province": self.province,
                "city": self.city,
                "district": self.district,
                "town": self.town,
                "detail": self.detail,
            },
        }


def parse_print_data(print_data: str, *, waybill_code: str) -> dict[str, str]:
    """The fields of ``pdd.waybill.get``'s ``print_data`` the component needs.

    pdd-open-api.md §4.3–4.4: ``print_data`` is an opaque JSON string whose sample holds
    ``encryptedData``, ``signature``, ``templateUrl`` (also ``wpCode``/``waybillCode``).

    Raises:
        PrintDataError: not JSON, or a field missing or empty (the text names the waybill).
    """
    try:
        data = json.loads(print_data) if isinstance(print_data, str) else None
    except ValueError:
        data = None
    if not isinstance(data, dict):
        raise PrintDataError(f"面单 {waybill_code} 的打印数据无法读取，请重新取号后再打印")
    out: dict[str, str] = {}
    for key in ("encryptedData", "signature", "templateUrl"):
        value = data.get(key)
        if not isinstance(value, str) or not value:
            raise PrintDataError(f"面单 {waybill_code} 的打印数据不完整（缺少 {key}），请重新取号后再打印")
        out[key] = value
    if isinstance(data.get("ver"), str) and data["ver"]:
        out["ver"] = data["ver"]
    return out


def build_document(
    *,
    document_id: str,
    waybill_code: str,
    print_data: str,
    sender: SenderAddress | None,
    custom_template_url: str | None = None,
    custom_data: Mapping[str, Any] | None = None,
    keys: ContentKeys = CONTENT_KEYS,
) -> dict[str, Any]:
    """One print document: content 0 the platform's waybill, content 1 our custom area.

    Content 0 is ``print_data``'s ``encryptedData``, ``signature`` and ``templateUrl`` (sent
    under ``keys.standard_template``) plus ``addData.sender``; content 1, only with a custom
    template, is ``{keys.custom_template: URL, "data": {...}}`` (merchant-data.md §9).

    Raises:
        PrintDataError: ``print_data`` is not usable.
    """
    pd = parse_print_data(print_data, waybill_code=waybill_code)
    waybill: dict[str, Any] = {
        keys.standard_template: pd["templateUrl"],
        "signature": pd["signature"],
        "encryptedData": pd["encryptedData"],
    }
    if "ver" in pd:
        waybill["ver"] = pd["ver"]
    if sender is not None:
        waybill["addData"] = {"sender": sender.as_json()}
    contents: list[dict[str, Any]] = [waybill]
    if custom_template_url:
        contents.append({keys.custom_template: custom_template_url, "data": dict(custom_data or {})})
    return {"documentID": document_id, "contents": contents}


# --- RFC 6455 framing -------------------------------------------------------------------------


def accept_key(key: str) -> str:
    """``Sec-WebSocket-Accept`` for a ``Sec-WebSocket-Key`` (RFC 6455 §4.2.2)."""
    return base64.b64encode(hashlib.sha1((key + WS_GUID).encode("ascii")).digest()).decode("ascii")


def encode_frame(opcode: int, payload: bytes, *, fin: bool = True, mask: bool = True) -> bytes:
    """One frame; a client masks every frame it sends (RFC 6455 §5.3)."""
    head = bytearray([(0x80 if fin else 0) | opcode])
    n = len(payload)
    bit = 0x80 if mask else 0
    if n < 126:
        head.append(bit | n)
    elif n < 1 << 16:
        head.append(bit | 126)
        head += struct.pack("!H", n)
    else:
        head.append(bit | 127)
        head += struct.pack("!Q", n)
    if not mask:
        return bytes(head) + payload
    key = os.urandom(4)
    return bytes(head) + key + _apply_mask(payload, key)


def _apply_mask(payload: bytes, key: bytes) -> bytes:
    if not payload:
        return b""
    # XOR as one big integer: much faster than a byte loop for 100 KiB tasks.
    n = len(payload)
    repeated = (key * (n // 4 + 1))[:n]
    return (int.from_bytes(payload, "big") ^ int.from_bytes(repeated, "big")).to_bytes(n, "big")


class _Socket:
    """A socket with a read buffer and deadlines."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.buf = bytearray()

    def fill(self, n: int, deadline: float) -> None:
        """Buffer at least ``n`` bytes without consuming any (a timeout loses nothing)."""
        while len(self.buf) < n:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError
            self.sock.settimeout(remaining)
            chunk = self.sock.recv(max(65536, n - len(self.buf)))
            if not chunk:
                raise ComponentConnectionLost("打印组件断开了连接")
            self.buf += chunk

    def read_line(self, deadline: float, limit: int = 16384) -> bytes:
        while b"\r\n" not in self.buf:
            if len(self.buf) > limit:
                raise ProtocolError("打印组件的握手应答过长")
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError
            self.sock.settimeout(remaining)
            chunk = self.sock.recv(4096)
            if not chunk:
                raise ComponentConnectionLost("打印组件断开了连接")
            self.buf += chunk
        i = self.buf.index(b"\r\n")
        line = bytes(self.buf[:i])
        del self.buf[: i + 2]
        return line


class WebSocketClient:
    """A minimal RFC 6455 client: text messages, ping/pong, close; no extensions."""

    def __init__(self, url: str, *, timeout: float = 3.0) -> None:
        parts = urlsplit(url)
        if parts.scheme != "ws" or not parts.hostname:
            raise ValueError(f"打印组件地址应为 ws://主机:端口，收到 {url!r}")
        self.url = url
        self.host = parts.hostname
        self.port = parts.port or 80
        self.path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        self.timeout = timeout
        self._io: _Socket | None = None
        self.closed = False
        #: Frames seen, for tests and logs: pings answered, fragmented messages read.
        self.pings_answered = 0
        self.fragmented_messages = 0
        self._parts: list[bytes] = []

    def connect(self) -> None:
        """Open the TCP connection and upgrade it (checks ``Sec-WebSocket-Accept``)."""
        deadline = time.monotonic() + self.timeout
        try:
            sock = socket.create_connection((self.host, self.port), timeout=self.timeout)
        except OSError as exc:
            raise ComponentUnavailable(f"{self.host}:{self.port} 无法连接") from exc
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        io = _Socket(sock)
        key = base64.b64encode(os.urandom(16)).decode("ascii")
        request = (
            f"GET {self.path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\nUpgrade: websocket\r\n"
            f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
        )
        try:
            sock.sendall(request.encode("ascii"))
            status = io.read_line(deadline)
            headers: dict[str, str] = {}
            while True:
                line = io.read_line(deadline)
                if not line:
                    break
                name, _, value = line.decode("latin-1").partition(":")
                headers[name.strip().lower()] = value.strip()
        except (TimeoutError, OSError, PrintComponentError) as exc:
            sock.close()
            raise ComponentUnavailable("连接后没有按打印组件的方式应答") from exc
        parts = status.split(b" ", 2)
        ok = (
            len(parts) >= 2
            and parts[1] == b"101"
            and headers.get("upgrade", "").lower() == "websocket"
            and "upgrade" in headers.get("connection", "").lower()
            and headers.get("sec-websocket-accept") == accept_key(key)
        )
        if not ok:
            sock.close()
            raise ComponentUnavailable("该端口上的程序不是打印组件，握手失败")
        self._io = io

    def send_text(self, text: str) -> None:
        """Send one text message (one masked frame)."""
        self._send(OP_TEXT, text.encode("utf-8"))

    def _send(self, opcode: int, payload: bytes) -> None:
        if self._io is None or self.closed:
            raise ComponentConnectionLost("与打印组件的连接已关闭")
        try:
            self._io.sock.settimeout(self.timeout)
            self._io.sock.sendall(encode_frame(opcode, payload))
        except OSError as exc:
            self.closed = True
            raise ComponentConnectionLost("向打印组件发送失败，连接已断开") from exc

    def recv_text(self, deadline: float) -> str:
        """The next text message (fragments joined; pings answered); TimeoutError at ``deadline``."""
        if self._io is None or self.closed:
            raise ComponentConnectionLost("与打印组件的连接已关闭")
        # Fragments read so far live on the instance: a timeout between them loses nothing.
        parts = self._parts
        while True:
            fin, opcode, payload = self._read_frame(deadline)
            if opcode == OP_PING:
                self._send(OP_PONG, payload)
                self.pings_answered += 1
                continue
            if opcode == OP_PONG:
                continue
            if opcode == OP_CLOSE:
                self._answer_close(payload)
                raise ComponentConnectionLost("打印组件关闭了连接")
            if opcode == OP_BINARY:
                raise ProtocolError("打印组件发来了二进制消息")
            if (opcode == OP_TEXT) == bool(parts):
                raise ProtocolError("打印组件的分片消息顺序错误")
            if opcode not in (OP_TEXT, OP_CONT):
                raise ProtocolError(f"打印组件发来了未知的帧类型 {opcode}")
            parts.append(payload)
            if sum(map(len, parts)) > MAX_MESSAGE:
                raise ProtocolError("打印组件的消息过长")
            if fin:
                if len(parts) > 1:
                    self.fragmented_messages += 1
                data = b"".join(parts)
                parts.clear()
                try:
                    return data.decode("utf-8")
                except UnicodeDecodeError as exc:
                    raise ProtocolError("打印组件的消息不是 UTF-8 文本") from exc

    def _read_frame(self, deadline: float) -> tuple[bool, int, bytes]:
        """One whole frame; consumed only once complete, so a timeout can be retried."""
        io = self._io
        assert io is not None
        try:
            io.fill(2, deadline)
            b0, b1 = io.buf[0], io.buf[1]
            n = b1 & 0x7F
            head = 2
            if n == 126:
                io.fill(4, deadline)
                (n,) = struct.unpack_from("!H", io.buf, 2)
                head = 4
            elif n == 127:
                io.fill(10, deadline)
                (n,) = struct.unpack_from("!Q", io.buf, 2)
                head = 10
            if n > MAX_MESSAGE:
                raise ProtocolError("打印组件的消息过长")
            if b0 & 0x70:
                raise ProtocolError("打印组件使用了未协商的扩展")
            opcode = b0 & 0x0F
            if opcode >= 0x8 and (n > 125 or not b0 & 0x80):
                raise ProtocolError("打印组件的控制帧不合规")
            if b1 & 0x80:  # a server must not mask (RFC 6455 §5.1)
                raise ProtocolError("打印组件发来了加掩码的帧")
            io.fill(head + n, deadline)
        except TimeoutError:
            raise
        except OSError as exc:
            self.closed = True
            raise ComponentConnectionLost("与打印组件的连接中断") from exc
        except ComponentConnectionLost:
            self.closed = True
            raise
        payload = bytes(io.buf[head : head + n])
        del io.buf[: head + n]
        return bool(b0 & 0x80), opcode, payload

    def _answer_close(self, payload: bytes) -> None:
        if not self.closed:
            try:
                self._send(OP_CLOSE, payload[:2])
            except PrintComponentError:
                pass
        self.close()

    def close(self) -> None:
        """Send a close frame (best effort) and close the socket."""
        if self._io is None:
            return
        if not self.closed:
            try:
                self._io.sock.settimeout(0.5)
                self._io.sock.sendall(encode_frame(OP_CLOSE, struct.pack("!H", 1000)))
            except OSError:
                pass
        self.closed = True
        try:
            self._io.sock.close()
        except OSError:
            pass


# --- the component's commands -----------------------------------------------------------------


@dataclass
class _Inbox:
    replies: dict[str, dict[str, Any]] = field(default_factory=dict)
    results: dict[str, TaskResult] = field(default_factory=dict)


class PrintComponentClient:
    """The component's commands over one connection: printers, print tasks, their results.

    Args:
        url: the component's address (default ``ws://127.0.0.1:5000``).
        connect_timeout: seconds to connect and upgrade.
        reply_timeout: seconds for a command's immediate answer.
    """

    def __init__(
        self, url: str = DEFAULT_URL, *, connect_timeout: float = 3.0, reply_timeout: float = 10.0
    ) -> None:
        self.url = url
        self.reply_timeout = reply_timeout
        self._ws = WebSocketClient(url, timeout=connect_timeout)
        self._inbox = _Inbox()
        self._pending_tasks: set[str] = set()

    @property
    def websocket(self) -> WebSocketClient:
        """The connection (tests look at its ping and fragment counters)."""
        return self._ws

    def connect(self) -> PrintComponentClient:
        """Connect; raises :class:`ComponentUnavailable` when the component is not there."""
        self._ws.connect()
        return self

    def close(self) -> None:
        """Close the connection."""
        self._ws.close()

    def __enter__(self) -> PrintComponentClient:
        return self.connect()

    def __exit__(self, *exc: object) -> None:
        self.close()

    # commands

    def get_printers(self) -> list[Printer]:
        """The component's printers, the default first flagged."""
        reply = self._request({"cmd": "getPrinters"})
        default = str(reply.get("defaultPrinter") or "")
        printers = []
        for p in reply.get("printers") or ():
            if isinstance(p, str):
                name, status = p, ""
            elif isinstance(p, dict) and isinstance(p.get("name"), str):
                name, status = p["name"], str(p.get("status") or "")
            else:
                continue
            printers.append(Printer(name, status, name == default))
        return printers

    def submit(self, task: PrintTask) -> None:
        """Send ``print`` and wait for its immediate answer (not the print result).

        Raises:
            ComponentRefused: the component refused the task (its message included).
        """
        self._request({"cmd": "print", "task": task.as_json()})
        self._pending_tasks.add(task.task_id)

    def wait_result(self, task_ids: Sequence[str] | str, timeout: float) -> TaskResult:
        """The next ``PrintResultNotify`` of any of ``task_ids`` (others are kept for later).

        Raises:
            ComponentTimeout: none arrived within ``timeout`` seconds.
        """
        wanted = [task_ids] if isinstance(task_ids, str) else list(task_ids)
        deadline = time.monotonic() + timeout
        while True:
            for tid in wanted:
                if tid in self._inbox.results:
                    self._pending_tasks.discard(tid)
                    return self._inbox.results.pop(tid)
            if not self._read_one(deadline):
                raise ComponentTimeout(
                    f"打印组件在 {timeout:g} 秒内没有回报打印结果：请在打印机上核对已打出的面单后再补打"
                )

    def print_task(self, task: PrintTask, timeout: float) -> TaskResult:
        """Submit ``task`` and wait for its result."""
        self.submit(task)
        return self.wait_result(task.task_id, timeout)

    # plumbing

    def _request(self, body: dict[str, Any]) -> dict[str, Any]:
        request_id = uuid.uuid4().hex
        message = {**body, "requestID": request_id, "version": PROTOCOL_VERSION}
        self._ws.send_text(json.dumps(message, ensure_ascii=False, separators=(",", ":")))
        deadline = time.monotonic() + self.reply_timeout
        while request_id not in self._inbox.replies:
            if not self._read_one(deadline):
                raise ComponentTimeout(f"打印组件在 {self.reply_timeout:g} 秒内没有应答（{body['cmd']}）")
        reply = self._inbox.replies.pop(request_id)
        if str(reply.get("status", "success")).lower() != "success":
            msg = reply.get("msg") or reply.get("message") or "未说明原因"
            raise ComponentRefused(f"打印组件拒绝了请求（{body['cmd']}）：{msg}")
        return reply

    def _read_one(self, deadline: float) -> bool:
        """Read one message into the inbox; False when ``deadline`` passed first."""
        try:
            text = self._ws.recv_text(deadline)
        except TimeoutError:
            return False
        try:
            msg = json.loads(text)
        except ValueError as exc:
            raise ProtocolError("打印组件的消息不是 JSON") from exc
        if not isinstance(msg, dict):
            return True
        cmd = msg.get("cmd")
        if cmd in ("PrintResultNotify", "notifyPrintResult") and msg.get("taskID") is not None:
            result = _task_result(msg)
            self._inbox.results[result.task_id] = result
        elif isinstance(msg.get("requestID"), str):
            self._inbox.replies[msg["requestID"]] = msg
        return True


def _task_result(msg: dict[str, Any]) -> TaskResult:
    docs = []
    for st in msg.get("printStatus") or ():
        if isinstance(st, dict) and st.get("documentID") is not None:
            docs.append(
                DocumentStatus(
                    str(st["documentID"]),
                    str(st.get("status") or "failed"),
                    str(st.get("msg") or st.get("detail") or ""),
                )
            )
    return TaskResult(
        str(msg["taskID"]),
        str(msg.get("taskStatus") or ""),
        tuple(docs),
        str(msg.get("msg") or ""),
        str(msg.get("printer") or ""),
    )


__all__ = [
    "CONTENT_KEYS",
    "DEFAULT_URL",
    "INSTALL_HINT",
    "ComponentConnectionLost",
    "ComponentRefused",
    "ComponentTimeout",
    "ComponentUnavailable",
    "ContentKeys",
    "DocumentStatus",
    "PrintComponentClient",
    "PrintComponentError",
    "PrintDataError",
    "PrintTask",
    "Printer",
    "PrinterOffline",
    "ProtocolError",
    "SenderAddress",
    "TaskResult",
    "WebSocketClient",
    "accept_key",
    "build_document",
    "encode_frame",
    "parse_print_data",
]
