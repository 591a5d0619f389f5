"""The sandbox's fake PDD print component (拼多多打印组件): a WebSocket server on 127.0.0.1.

It speaks the protocol the app's client (:mod:`pdd_desktop.platform.print_component`) speaks to
the real component (merchant-data.md §9): ``getPrinters`` lists two printers with a status;
``print`` is answered at once, then the task's documents are checked, "printed" and reported in
one ``PrintResultNotify`` (``taskID``, no ``requestID``) with a status per document.

Printing here means rendering what a 76×130 mm thermal printer would print, one PDF per task in
the output folder, one page per printed document: courier, the waybill's Code128 with its
number, the 三段码 large, 集包地, the receiver in clear (only the component can open the sealed
data), the sender, and the custom area's data. A document is refused when its signature does not
match its data or the data does not open (:func:`~pdd_desktop.sandbox.waybill_print.open_document`
with the sandbox platform's client secret), or its standard template URL is not one the sandbox
issues (:func:`~pdd_desktop.sandbox.waybill_print.is_standard_template`).

The server side of RFC 6455 is written here on its own (not shared with the client), so the two
ends check each other.

Fault switches (:class:`ComponentFaults`, settable while running):

- ``running``: False closes the listening socket (the component is not running); True listens
  again on the same port.
- ``offline``: names of printers reported offline; a task for one is refused at once.
- ``fail_after``: after this many documents printed in all, every further document fails
  (缺纸: a task failing half-way); None never.
- ``fragment_size``: send every message in text fragments of this many bytes (0: one frame).
- ``ping_before_reply``: send a ping before each answer.
- ``doc_delay_s``: seconds one document takes to print.
- ``drop_results``: accept tasks but never report their result.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import socket
import struct
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from queue import Queue
from typing import Any

from reportlab.lib.units import mm

from pdd_desktop.domain.catalogue import COURIERS
from pdd_desktop.printing import default_font
from pdd_desktop.printing.barcodes import draw_code128
from pdd_desktop.printing.draw import new_canvas, text_in_box
from pdd_desktop.sandbox.waybill_print import PrintDataRejected, is_standard_template, open_document

LOOPBACK = "127.0.0.1"
DEFAULT_PORT = 5000
GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
PAGE_W, PAGE_H = 76 * mm, 130 * mm
PRINTERS = ("热敏打印机 76×130（一号）", "热敏打印机 76×130（二号）")


@dataclass
class ComponentFaults:
    """Fault switches of the fake component (see the module docstring)."""

    offline: set[str] = field(default_factory=set)
    fail_after: int | None = None
    fragment_size: int = 0
    ping_before_reply: bool = False
    doc_delay_s: float = 0.0
    drop_results: bool = False


@dataclass(frozen=True)
class PrintedDocument:
    """A document the fake printed: which task, its id and waybill, and the page's PDF."""

    task_id: str
    document_id: str
    waybill_code: str
    pdf: Path


class FakePrintComponent:
    """The fake component. ``start()`` returns its ``ws://`` URL; ``stop()`` ends everything.

    Args:
        secret: the sandbox platform's client secret (it seals ``print_data``).
        output_dir: where the rendered PDFs go.
        port: 0 for a free port (tests), 5000 like the real component.
    """

    def __init__(self, secret: str, output_dir: Path, *, port: int = 0) -> None:
        self.secret = secret
        self.output_dir = Path(output_dir)
        self.port = port
        self.faults = ComponentFaults()
        self._lock = threading.Lock()
        self._listener: socket.socket | None = None
        self._threads: list[threading.Thread] = []
        self._conns: list[_Connection] = []
        self._stopping = threading.Event()
        self._printed_total = 0
        self.printed: list[PrintedDocument] = []
        self.tasks_received = 0
        self._font = None

    # lifecycle

    @property
    def url(self) -> str:
        """The address clients connect to."""
        return f"ws://{LOOPBACK}:{self.port}"

    def start(self) -> str:
        """Listen and serve in background threads; returns :attr:`url`."""
        self.output_dir.mkdir(parents=True, exist_ok=True)
        self._stopping.clear()
        self._listen()
        return self.url

    def set_running(self, running: bool) -> None:
        """Fault switch: stop listening (and drop connections), or listen again on the same port."""
        if running:
            if self._listener is None:
                self._listen()
        else:
            self._close_listener()
            self._close_connections()

    def stop(self) -> None:
        """Stop listening, close every connection, wait for the threads."""
        self._stopping.set()
        self._close_listener()
        self._close_connections()
        with self._lock:
            threads = list(self._threads)
        for t in threads:
            t.join(timeout=5)

    def __enter__(self) -> FakePrintComponent:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _listen(self) -> None:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((LOOPBACK, self.port))
        sock.listen(16)
        # A short accept timeout: closing a socket does not wake a blocked accept() everywhere.
        sock.settimeout(0.2)
        self.port = sock.getsockname()[1]
        self._listener = sock
        self._spawn(self._accept_loop, sock)

    def _close_listener(self) -> None:
        sock, self._listener = self._listener, None
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            sock.close()

    def _close_connections(self) -> None:
        with self._lock:
            conns, self._conns = self._conns, []
        for conn in conns:
            conn.close()

    def _spawn(self, target, *args) -> None:
        t = threading.Thread(target=target, args=args, daemon=True, name="fake-print-component")
        with self._lock:
            self._threads = [x for x in self._threads if x.is_alive()]
            self._threads.append(t)
        t.start()

    def _accept_loop(self, listener: socket.socket) -> None:
        while self._listener is listener:
            try:
                sock, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            if self._listener is not listener:
                sock.close()
                return
            sock.settimeout(None)
            conn = _Connection(self, sock)
            with self._lock:
                self._conns.append(conn)
            self._spawn(conn.serve)

    # commands

    def printers(self) -> list[dict[str, str]]:
        """``getPrinters``' list: name and status (``online``/``offline``)."""
        offline = self.faults.offline
        return [{"name": n, "status": "offline" if n in offline else "online"} for n in PRINTERS]

    def handle(self, conn: _Connection, msg: dict[str, Any]) -> None:
        """Answer one command."""
        cmd = msg.get("cmd")
        rid = msg.get("requestID")
        if cmd == "getPrinters":
            conn.send(
                {
                    "cmd": cmd,
                    "requestID": rid,
                    "status": "success",
                    "defaultPrinter": PRINTERS[0],
                    "printers": self.printers(),
                }
            )
            return
        if cmd != "print":
            conn.send({"cmd": cmd, "requestID": rid, "status": "failed", "msg": f"不支持的命令 {cmd}"})
            return
        task = msg.get("task")
        problem = self._task_problem(task)
        task_id = task.get("taskID") if isinstance(task, dict) else None
        if problem:
            conn.send(
                {"cmd": "print", "requestID": rid, "taskID": task_id, "status": "failed", "msg": problem}
            )
            return
        with self._lock:
            self.tasks_received += 1
        conn.send({"cmd": "print", "requestID": rid, "taskID": task_id, "status": "success"})
        conn.tasks.put(task)

    def _task_problem(self, task: Any) -> str:
        if not isinstance(task, dict) or not task.get("taskID"):
            return "打印任务缺少 taskID"
        docs = task.get("documents")
        if not isinstance(docs, list) or not docs:
            return "打印任务没有文档"
        printer = task.get("printer") or PRINTERS[0]
        if printer not in PRINTERS:
            return f"找不到打印机 {printer}"
        if printer in self.faults.offline:
            return f"打印机 {printer} 离线"
        return ""

    def run_task(self, task: dict[str, Any]) -> dict[str, Any]:
        """Check, "print" (render) and report one task; returns the ``PrintResultNotify``."""
        task_id = str(task["taskID"])
        statuses = []
        pages: list[tuple[str, dict[str, Any], dict[str, Any]]] = []
        for doc in task["documents"]:
            doc_id = str(doc.get("documentID", "")) if isinstance(doc, dict) else ""
            try:
                waybill, custom = self._open(doc)
            except PrintDataRejected as exc:
                statuses.append({"documentID": doc_id, "status": "failed", "msg": str(exc), "detail": ""})
                continue
            with self._lock:
                limit = self.faults.fail_after
                if limit is not None and self._printed_total >= limit:
                    out_of_paper = True
                else:
                    out_of_paper = False
                    self._printed_total += 1
            if out_of_paper:
                statuses.append({"documentID": doc_id, "status": "failed", "msg": "打印机缺纸", "detail": ""})
                continue
            if self.faults.doc_delay_s:
                time.sleep(self.faults.doc_delay_s)
            pages.append((doc_id, waybill, custom))
            statuses.append({"documentID": doc_id, "status": "success", "msg": "", "detail": ""})
        if pages:
            pdf = self.output_dir / f"task-{_safe(task_id)}.pdf"
            self._render(pdf, task_id, pages)
            with self._lock:
                self.printed += [
                    PrintedDocument(task_id, d, w.get("waybill_code", ""), pdf) for d, w, _ in pages
                ]
        failed = [i for i, s in enumerate(statuses) if s["status"] != "success"]
        result: dict[str, Any] = {
            "cmd": "PrintResultNotify",
            "printer": task.get("printer") or PRINTERS[0],
            "taskID": task_id,
            "taskStatus": "failed" if failed else "printed",
            "printStatus": statuses,
        }
        if failed:
            result["firstFailedDocSN"] = failed[0]
        return result

    def _open(self, doc: Any) -> tuple[dict[str, Any], dict[str, Any]]:
        """The clear waybill (sender from ``addData`` when given) and the custom area's data."""
        contents = doc.get("contents") if isinstance(doc, dict) else None
        if not isinstance(contents, list) or not contents or not isinstance(contents[0], dict):
            raise PrintDataRejected("文档没有面单内容")
        first = contents[0]
        url = first.get("templateURL") or first.get("templateUrl") or ""
        if not is_standard_template(str(url)):
            raise PrintDataRejected("标准模板地址无效")
        try:
            waybill = open_document(self.secret, first)
        except PrintDataRejected as exc:
            raise PrintDataRejected(f"面单数据校验失败：{exc}") from exc
        sender = (
            (first.get("addData") or {}).get("sender") if isinstance(first.get("addData"), dict) else None
        )
        if isinstance(sender, dict) and sender.get("name"):
            waybill = {**waybill, "sender": sender}
        custom: dict[str, Any] = {}
        if len(contents) > 1 and isinstance(contents[1], dict) and isinstance(contents[1].get("data"), dict):
            custom = contents[1]["data"]
        return waybill, custom

    # rendering

    def _render(
        self, path: Path, task_id: str, pages: list[tuple[str, dict[str, Any], dict[str, Any]]]
    ) -> None:
        if self._font is None:
            self._font = default_font()
        font = self._font.name
        tmp = path.with_suffix(".pdf.part")
        with open(tmp, "wb") as fh:
            c = new_canvas(fh, PAGE_W, PAGE_H, f"打印任务 {task_id}", font)
            for _doc_id, waybill, custom in pages:
                render_label(c, font, waybill, custom)
                c.showPage()
            c.save()
        tmp.replace(path)


def _safe(text: str) -> str:
    return re.sub(r"[^0-9A-Za-z_.-]", "_", text)[:80] or "task"


def _address(party: dict[str, Any]) -> str:
    addr = party.get("address") or {}
    if isinstance(addr, str):
        return addr
    return "".join(str(addr.get(k) or "") for k in ("province", "city", "district", "town", "detail"))


def _courier_name(wp_code: str) -> str:
    for c in COURIERS:
        if c.code == wp_code:
            return c.name
    return wp_code


def render_label(c: Any, font: str, waybill: dict[str, Any], custom: dict[str, Any]) -> None:
    """One 76×130 mm thermal label (origin bottom-left, points); the 三段码 is the largest text."""
    w, h = PAGE_W, PAGE_H
    m = 2 * mm
    inner = w - 2 * m
    c.setLineWidth(0.8)
    y = h - m
    # Courier and 集包地 header.
    text_in_box(
        c,
        _courier_name(str(waybill.get("wp_code", ""))),
        font,
        m,
        y,
        inner * 0.5,
        8 * mm,
        12,
        8,
        valign="middle",
        bold=True,
    )
    hub = str(waybill.get("hub") or "")
    text_in_box(
        c,
        f"集包地 {hub}" if hub else "",
        font,
        m + inner * 0.5,
        y,
        inner * 0.5,
        8 * mm,
        11,
        7,
        align="right",
        valign="middle",
        bold=True,
    )
    y -= 8 * mm
    c.line(m, y, w - m, y)
    # 三段码: the largest text on the label, for the sorting centre.
    sort_code = str(waybill.get("sort_code") or "")
    text_in_box(c, sort_code, font, m, y, inner, 16 * mm, 40, 16, align="center", valign="middle", bold=True)
    y -= 16 * mm
    c.line(m, y, w - m, y)
    # Waybill barcode with its number.
    code = str(waybill.get("waybill_code") or "")
    if code:
        draw_code128(c, code, m, y - 14 * mm, inner, 12 * mm)
    text_in_box(c, code, font, m, y - 14 * mm, inner, 5 * mm, 10, 7, align="center", valign="middle")
    y -= 20 * mm
    c.line(m, y, w - m, y)
    # Receiver in clear (only the component has it).
    rec = waybill.get("recipient") or {}
    rec_line = f"收 {rec.get('name', '')}  {rec.get('mobile') or rec.get('phone') or ''}"
    text_in_box(c, rec_line, font, m, y - 1 * mm, inner, 6 * mm, 12, 8, bold=True)
    text_in_box(c, _address(rec), font, m, y - 7 * mm, inner, 11 * mm, 10, 7, max_lines=3)
    y -= 19 * mm
    c.line(m, y, w - m, y)
    snd = waybill.get("sender") or {}
    snd_line = f"寄 {snd.get('name', '')}  {snd.get('mobile') or snd.get('phone') or ''}  {_address(snd)}"
    text_in_box(c, snd_line, font, m, y - 1 * mm, inner, 9 * mm, 8, 6, max_lines=2)
    y -= 11 * mm
    c.line(m, y, w - m, y)
    # Custom area: the merchant's own data (order number, items, memo).
    lines = []
    if custom.get("order_sn"):
        lines.append(f"订单号 {custom['order_sn']}")
    items = custom.get("items")
    if isinstance(items, list):
        for it in items:
            if isinstance(it, dict):
                lines.append(f"{it.get('name', '')} ×{it.get('count', '')}")
            else:
                lines.append(str(it))
    elif items:
        lines.append(str(items))
    if custom.get("memo"):
        lines.append(f"备注 {custom['memo']}")
    for k, v in custom.items():
        if k not in ("order_sn", "items", "memo") and v not in (None, ""):
            lines.append(f"{v}")
    text_in_box(c, "\n".join(lines), font, m, y - 1 * mm, inner, y - m - 1 * mm, 9, 6)


class _Connection:
    """One client: a reader thread (commands) and a worker thread (tasks, in order)."""

    def __init__(self, component: FakePrintComponent, sock: socket.socket) -> None:
        self.component = component
        self.sock = sock
        self.buf = bytearray()
        self.send_lock = threading.Lock()
        self.tasks: Queue[dict[str, Any] | None] = Queue()
        self.closed = False
        self.pongs = 0

    def serve(self) -> None:
        try:
            if not self._handshake():
                return
            self.component._spawn(self._work)
            while True:
                msg = self._read_message()
                if msg is None:
                    return
                try:
                    body = json.loads(msg)
                except ValueError:
                    continue
                if isinstance(body, dict):
                    self.component.handle(self, body)
        except OSError:
            return
        finally:
            self.tasks.put(None)
            self.close()

    def _work(self) -> None:
        while True:
            task = self.tasks.get()
            if task is None or self.closed:
                return
            result = self.component.run_task(task)
            if not self.component.faults.drop_results:
                try:
                    self.send(result)
                except OSError:
                    return

    def _recv(self, n: int) -> bytes:
        while len(self.buf) < n:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("client went away")
            self.buf += chunk
        out = bytes(self.buf[:n])
        del self.buf[:n]
        return out

    def _handshake(self) -> bool:
        self.sock.settimeout(10)
        while b"\r\n\r\n" not in self.buf:
            chunk = self.sock.recv(4096)
            if not chunk or len(self.buf) > 16384:
                return False
            self.buf += chunk
        head, _, rest = bytes(self.buf).partition(b"\r\n\r\n")
        self.buf = bytearray(rest)
        lines = head.decode("latin-1").split("\r\n")
        headers = {}
        for line in lines[1:]:
            k, _, v = line.partition(":")
            headers[k.strip().lower()] = v.strip()
        key = headers.get("sec-websocket-key", "")
        if not lines[0].startswith("GET ") or headers.get("upgrade", "").lower() != "websocket" or not key:
            self.sock.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
            return False
        accept = base64.b64encode(hashlib.sha1((key + GUID).encode()).digest()).decode()
        self.sock.sendall(
            (
                "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                f"Sec-WebSocket-Accept: {accept}\r\n\r\n"
            ).encode()
        )
        self.sock.settimeout(None)
        return True

    def _read_message(self) -> str | None:
        """The next text message from the client (unmasked, fragments joined); None at close."""
        parts: list[bytes] = []
        while True:
            b0, b1 = self._recv(2)
            n = b1 & 0x7F
            if n == 126:
                (n,) = struct.unpack("!H", self._recv(2))
            elif n == 127:
                (n,) = struct.unpack("!Q", self._recv(8))
            if not b1 & 0x80:  # clients must mask (RFC 6455 §5.1): fail the connection
                self._send_frame(0x8, struct.pack("!H", 1002))
                return None
            key = self._recv(4)
            data = self._recv(n)
            payload = bytes(b ^ key[i % 4] for i, b in enumerate(data)) if n < 256 else _unmask(data, key)
            opcode = b0 & 0x0F
            if opcode == 0x8:
                self._send_frame(0x8, payload[:2])
                return None
            if opcode == 0x9:
                self._send_frame(0xA, payload)
                continue
            if opcode == 0xA:
                self.pongs += 1
                continue
            parts.append(payload)
            if b0 & 0x80:
                return b"".join(parts).decode("utf-8")

    def _send_frame(self, opcode: int, payload: bytes, fin: bool = True) -> None:
        n = len(payload)
        head = bytes([(0x80 if fin else 0) | opcode])
        if n < 126:
            head += bytes([n])
        elif n < 65536:
            head += bytes([126]) + struct.pack("!H", n)
        else:
            head += bytes([127]) + struct.pack("!Q", n)
        with self.send_lock:
            self.sock.sendall(head + payload)

    def send(self, body: dict[str, Any]) -> None:
        """Send a JSON message (fragmented and preceded by a ping when the faults say so)."""
        data = json.dumps(body, ensure_ascii=False).encode("utf-8")
        faults = self.component.faults
        if faults.ping_before_reply:
            self._send_frame(0x9, b"are-you-there")
        size = faults.fragment_size
        if not size or len(data) <= size:
            self._send_frame(0x1, data)
            return
        chunks = [data[i : i + size] for i in range(0, len(data), size)]
        with self.send_lock:  # the fragments of one message must not interleave with another's
            for i, chunk in enumerate(chunks):
                op = 0x1 if i == 0 else 0x0
                fin = i == len(chunks) - 1
                head = bytes([(0x80 if fin else 0) | op])
                n = len(chunk)
                head += bytes([n]) if n < 126 else bytes([126]) + struct.pack("!H", n)
                self.sock.sendall(head + chunk)

    def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        self.tasks.put(None)
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.sock.close()


def _unmask(data: bytes, key: bytes) -> bytes:
    n = len(data)
    repeated = (key * (n // 4 + 1))[:n]
    return (int.from_bytes(data, "big") ^ int.from_bytes(repeated, "big")).to_bytes(n, "big")


__all__ = [
    "DEFAULT_PORT",
    "PRINTERS",
    "ComponentFaults",
    "FakePrintComponent",
    "PrintedDocument",
    "render_label",
]
