"""Print sessions through PDD's print component (拼多多打印组件) for platform-issued waybills.

A label whose number came from ``pdd.waybill.get`` carries an encrypted receiver that only the
component can print (pdd-open-api.md §4.3–4.4, merchant-data.md §9). A session:

1. builds every print document first (:func:`~pdd_desktop.platform.print_component.build_document`);
   one unusable ``print_data`` stops the session before anything is sent;
2. detects the component (connect + ``getPrinters``) and checks the printer: absent component or
   offline printer is a Chinese message and nothing is sent;
3. sends the documents in tasks of :data:`BATCH_SIZE`, at most :data:`MAX_IN_FLIGHT` tasks
   waiting for their ``PrintResultNotify`` at a time, reporting progress through the
   :class:`~pdd_desktop.common.task.TaskContext`; cancel stops sending further tasks (tasks the
   component already has still print and are reported);
4. returns every document's outcome. Only documents the component reported ``success`` count as
   printed; the caller records those (print job, 已打印) and nothing else.

**Batch size 20.** The component reports a task only when the whole task is done, so the task is
the unit of progress, of cancel and of what is lost to a crash or a jam: 20 labels is 10–20 s of
a thermal printer (1–2 labels/s), a task message of about 40 KiB. Two tasks in flight keep the
printer fed while the next one is answered, so a cancel prints at most 40 more labels. Fewer
would only add round trips (each task costs one ``print`` answer and one result).

No database here: the caller turns its parcels into :class:`PrintableWaybill` and records the
outcome; this module is the session only.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pdd_desktop.common.task import NullTask, TaskContext
from pdd_desktop.domain.errors import ValidationError
from pdd_desktop.platform.print_component import (
    DEFAULT_URL,
    ComponentRefused,
    PrintComponentClient,
    PrintComponentError,
    Printer,
    PrinterOffline,
    PrintTask,
    SenderAddress,
    build_document,
)

BATCH_SIZE = 20
MAX_IN_FLIGHT = 2
#: Seconds to wait for a task's result: a base plus a share per document (a jammed or slow
#: printer must not hang the session forever; a printer prints 1–2 labels per second).
RESULT_TIMEOUT_BASE_S = 30.0
RESULT_TIMEOUT_PER_DOC_S = 5.0

PRINTED, FAILED, NOT_SENT, UNKNOWN = "printed", "failed", "not_sent", "unknown"
STATUS_TEXT = {PRINTED: "已打印", FAILED: "打印失败", NOT_SENT: "未发送", UNKNOWN: "结果未知"}


@dataclass(frozen=True)
class PrintableWaybill:
    """One label to print through the component.

    Attributes:
        order_ids: the local orders the parcel ships (what the caller records as printed).
        waybill_code: the issued number; also the print document's ``documentID``.
        print_data: ``pdd.waybill.get``'s ``print_data`` as stored.
        sender: the sender to print (``addData.sender``); None keeps the one inside print_data.
        custom: the custom area's data (``order_sn``, ``items`` ``[{name, count}]``, ``memo`` …).
    """

    order_ids: tuple[int, ...]
    waybill_code: str
    print_data: str
    sender: SenderAddress | None = None
    custom: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class DocumentOutcome:
    """What became of one label: ``printed``, ``failed``, ``not_sent`` or ``unknown``."""

    waybill_code: str
    order_ids: tuple[int, ...]
    status: str
    message: str = ""

    @property
    def status_text(self) -> str:
        """The status in Chinese."""
        return STATUS_TEXT[self.status]


@dataclass(frozen=True)
class SessionResult:
    """Every label's outcome, in the order given, and how the session ended."""

    printer: str
    outcomes: tuple[DocumentOutcome, ...]
    cancelled: bool = False
    problem: str = ""  #: why the session stopped early (Chinese), "" when it did not
    client_cpu_s: float = 0.0  #: CPU the session's own thread used (the client's share)

    def with_status(self, status: str) -> tuple[DocumentOutcome, ...]:
        """The outcomes with ``status``."""
        return tuple(o for o in self.outcomes if o.status == status)

    @property
    def printed(self) -> tuple[DocumentOutcome, ...]:
        """Labels the component reported printed: the only ones to record."""
        return self.with_status(PRINTED)

    @property
    def printed_order_ids(self) -> tuple[int, ...]:
        """Orders of the printed labels."""
        return tuple(i for o in self.printed for i in o.order_ids)

    def summary(self) -> str:
        """One line for the user: counts per outcome, then the problem."""
        parts = [
            f"{STATUS_TEXT[s]} {n} 张"
            for s in (PRINTED, FAILED, UNKNOWN, NOT_SENT)
            if (n := len(self.with_status(s)))
        ]
        text = "，".join(parts) or "没有面单"
        if self.cancelled:
            text += "（已取消：已交给打印组件的面单仍会打印）"
        if self.problem:
            text += f"。{self.problem}"
        return text


def detect_component(url: str = DEFAULT_URL, *, timeout: float = 3.0) -> list[Printer]:
    """The component's printers (connect + ``getPrinters``).

    Raises:
        ComponentUnavailable: the component is not installed or not running (the message says how
            to install it).
        PrintComponentError: it answered badly or too late.
    """
    with PrintComponentClient(url, connect_timeout=timeout, reply_timeout=timeout) as client:
        return client.get_printers()


def _pick_printer(printers: list[Printer], wanted: str | None) -> Printer:
    if not printers:
        raise PrintComponentError("拼多多打印组件里没有可用的打印机：请先在电脑上安装面单打印机")
    if wanted:
        for p in printers:
            if p.name == wanted:
                return p
        raise PrintComponentError(f"拼多多打印组件里找不到打印机「{wanted}」：请重新选择打印机")
    for p in printers:
        if p.is_default:
            return p
    return printers[0]


def _check_waybills(waybills: Sequence[PrintableWaybill]) -> None:
    seen: set[str] = set()
    for wb in waybills:
        if not wb.waybill_code:
            raise ValidationError("面单号", f"订单 {wb.custom.get('order_sn', '')} 还没有面单号，请先取号")
        if wb.waybill_code in seen:
            raise ValidationError("面单号", f"面单 {wb.waybill_code} 在这次打印里出现了两次")
        seen.add(wb.waybill_code)


def print_waybills(
    waybills: Sequence[PrintableWaybill],
    *,
    printer: str | None = None,
    custom_template_url: str | None = None,
    task: TaskContext | None = None,
    url: str = DEFAULT_URL,
    batch_size: int = BATCH_SIZE,
    connect_timeout: float = 3.0,
    reply_timeout: float = 10.0,
    result_timeout: Callable[[int], float] | None = None,
) -> SessionResult:
    """Print ``waybills`` through the component; returns each label's outcome.

    Args:
        waybills: the labels, each with its issued number and ``print_data``.
        printer: the component's printer to use (None: its default).
        custom_template_url: the custom area's template (None: no custom area).
        task: progress and cancel.
        url: the component's address.
        batch_size: documents per print task.
        connect_timeout: seconds to connect to the component.
        reply_timeout: seconds for the component's immediate answers.
        result_timeout: seconds to wait for a task's result, given its document count.

    Raises:
        ValidationError: a label without a number or twice in the list (nothing sent).
        PrintDataError: a label's ``print_data`` is unusable (nothing sent).
        ComponentUnavailable: the component is absent (nothing sent).
        PrinterOffline: the printer is offline (nothing sent).
    """
    cpu0 = time.thread_time()
    task = task or NullTask()
    if batch_size < 1:
        raise ValueError("batch_size must be positive")
    timeout_of = result_timeout or (lambda n: RESULT_TIMEOUT_BASE_S + RESULT_TIMEOUT_PER_DOC_S * n)
    _check_waybills(waybills)
    documents = [
        build_document(
            document_id=wb.waybill_code,
            waybill_code=wb.waybill_code,
            print_data=wb.print_data,
            sender=wb.sender,
            custom_template_url=custom_template_url,
            custom_data=wb.custom,
        )
        for wb in waybills
    ]
    total = len(documents)
    task.report(0, total, "正在连接拼多多打印组件…")
    client = PrintComponentClient(url, connect_timeout=connect_timeout, reply_timeout=reply_timeout)
    client.connect()
    try:
        chosen = _pick_printer(client.get_printers(), printer)
        if not chosen.online:
            raise PrinterOffline(chosen.name)
        session = _Session(client, chosen.name, waybills, documents, task, batch_size, timeout_of)
        session.run()
    finally:
        client.close()
    outcomes = tuple(session.outcome_of(wb) for wb in waybills)
    return SessionResult(chosen.name, outcomes, session.cancelled, session.problem, time.thread_time() - cpu0)


class _Session:
    """The send/collect loop of one print session."""

    def __init__(
        self,
        client: PrintComponentClient,
        printer: str,
        waybills: Sequence[PrintableWaybill],
        documents: list[dict[str, Any]],
        task: TaskContext,
        batch_size: int,
        timeout_of: Callable[[int], float],
    ) -> None:
        self.client = client
        self.printer = printer
        self.waybills = waybills
        self.documents = documents
        self.task = task
        self.batch_size = batch_size
        self.timeout_of = timeout_of
        self.status: dict[str, tuple[str, str]] = {}
        self.in_flight: dict[str, list[str]] = {}  # taskID → document ids, in send order
        self.cancelled = False
        self.problem = ""
        self.prefix = uuid.uuid4().hex[:12]

    def outcome_of(self, wb: PrintableWaybill) -> DocumentOutcome:
        status, message = self.status.get(wb.waybill_code, (NOT_SENT, ""))
        return DocumentOutcome(wb.waybill_code, wb.order_ids, status, message)

    def _report(self) -> None:
        printed = sum(1 for s, _ in self.status.values() if s == PRINTED)
        done = sum(1 for s, _ in self.status.values() if s != NOT_SENT)
        self.task.report(done, len(self.documents), f"已打印 {printed} / {len(self.documents)} 张面单")

    def run(self) -> None:
        batches = [
            self.documents[i : i + self.batch_size] for i in range(0, len(self.documents), self.batch_size)
        ]
        self._report()
        for n, batch in enumerate(batches, 1):
            while len(self.in_flight) >= MAX_IN_FLIGHT:
                if not self._collect_one():
                    return
            if self.task.cancel_requested:
                self.cancelled = True
                break
            ids = [d["documentID"] for d in batch]
            task_id = f"{self.prefix}-{n}"
            try:
                self.client.submit(PrintTask(task_id, self.printer, tuple(batch)))
            except ComponentRefused as exc:
                self.problem = self._refusal(exc)
                break
            except PrintComponentError as exc:  # timeout, connection lost, protocol
                # The component may or may not have the task: its labels may print.
                for doc_id in ids:
                    self.status[doc_id] = (UNKNOWN, str(exc))
                self.problem = f"{exc}：请在打印机上核对这批面单是否已打出"
                self._collect_all()
                return
            self.in_flight[task_id] = ids
        self._collect_all()

    def _refusal(self, exc: ComponentRefused) -> str:
        try:
            for p in self.client.get_printers():
                if p.name == self.printer and not p.online:
                    return str(PrinterOffline(p.name))
        except PrintComponentError:
            pass
        return str(exc)

    def _collect_all(self) -> None:
        while self.in_flight:
            if not self._collect_one():
                return

    def _collect_one(self) -> bool:
        """Wait for the next result of a task in flight; False when the session must stop."""
        waiting = list(self.in_flight)
        longest = max(self.timeout_of(len(self.in_flight[t])) for t in waiting)
        try:
            result = self.client.wait_result(waiting, longest)
        except PrintComponentError as exc:  # timeout, connection lost, protocol
            for ids in self.in_flight.values():
                for doc_id in ids:
                    self.status[doc_id] = (UNKNOWN, str(exc))
            self.in_flight.clear()
            self.problem = self.problem or f"{exc}：请在打印机上核对后再补打"
            self._report()
            return False
        for doc_id in self.in_flight.pop(result.task_id):
            st = result.status_of(doc_id)
            if st is None:
                self.status[doc_id] = (UNKNOWN, "打印组件没有回报这张面单的结果")
            elif st.ok:
                self.status[doc_id] = (PRINTED, "")
            else:
                self.status[doc_id] = (FAILED, st.message or result.message or "打印失败")
        self._report()
        return True


__all__ = [
    "BATCH_SIZE",
    "FAILED",
    "MAX_IN_FLIGHT",
    "NOT_SENT",
    "PRINTED",
    "UNKNOWN",
    "DocumentOutcome",
    "PrintableWaybill",
    "SessionResult",
    "detect_component",
    "print_waybills",
]
