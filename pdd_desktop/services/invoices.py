"""订单开票: the buyer's invoice request per order, the invoice PDF, status requested → issued → uploaded.

- :func:`save_request` records (or corrects, while still 待开票) what the buyer asked for: personal
  or company, 抬头, 税号 (required for a company), e-mail, and the amount (default: what the
  buyer paid).
- :func:`issue_invoice` numbers the invoice, renders the PDF (A4, :mod:`pdd_desktop.printing.invoice`)
  and marks the request 已开票, all while holding the write lock: two issues never share a number,
  and a failure leaves neither a PDF nor a half-updated row.
- :func:`mark_uploaded` is what the user clicks after uploading the PDF in the platform's web
  backend (the upload through the open API belongs to sync). No outbox row is written: the
  upload already happened by hand, a pending op would upload it a second time.

Every status change is one ``write_transaction()`` with an audit row (``entity_type = 'invoice'``).

**Invoice lines.** One line per order item (goods name, spec, quantity). The invoiced amount
usually differs from Σ unit price × quantity (coupons, shop discounts, postage, or a partial
amount the buyer asked for), and the lines must add up to it exactly in integer fen. Each line
gets ``amount × item_total / items_sum``, rounded down, and the fen left over go one each to the
lines with the largest remainders (ties: the earlier line). The unit price shown is the line amount
divided by the quantity, rounded half up to the fen; the line amount is the authoritative figure.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pdd_desktop.common import clock
from pdd_desktop.common.changes import Changes
from pdd_desktop.common.task import TaskContext
from pdd_desktop.common.timefmt import format_ts
from pdd_desktop.data.db import database, write_transaction
from pdd_desktop.domain.errors import NotAllowed, ValidationError
from pdd_desktop.domain.money import format_yuan
from pdd_desktop.domain.orders import OrderStatus
from pdd_desktop.printing.fonts import FontChoice
from pdd_desktop.printing.invoice import render_invoices
from pdd_desktop.printing.model import Invoice, InvoiceLine, InvoiceParty
from pdd_desktop.services.settings import check_tax_no, load_settings

STATUS_LABELS = {"requested": "待开票", "issued": "已开票", "uploaded": "已上传"}
BUYER_TYPE_LABELS = {"personal": "个人", "company": "企业"}
#: What an invoice change touches: the order (its invoice state shows with it).
INVOICE_CHANGES = Changes(orders=True)
#: Local invoice numbers: prefix + Beijing date + a 4-digit counter per day.
INVOICE_PREFIX = "PDD"
#: Folder (beside the shop database) where issued PDFs go when the caller names none.
INVOICE_DIR_NAME = "invoices"

_EMAIL_RE = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_PHONE_RE = re.compile(r"[0-9+\-() ]{5,20}")
_TITLE_MAX = 100


@dataclass(frozen=True)
class InvoiceRequestInfo:
    """One invoice request as pages show it (times UTC epoch seconds, money fen)."""

    id: int
    order_id: int
    order_sn: str
    buyer_type: str  #: personal / company
    title: str
    tax_no: str
    email: str
    amount_fen: int
    status: str  #: requested / issued / uploaded
    invoice_no: str | None
    pdf_path: str
    requested_at: int
    issued_at: int | None
    uploaded_at: int | None
    phone: str = ""
    note: str = ""

    @property
    def status_label(self) -> str:
        """待开票 / 已开票 / 已上传."""
        return STATUS_LABELS.get(self.status, self.status)

    @property
    def buyer_type_label(self) -> str:
        """个人 / 企业."""
        return BUYER_TYPE_LABELS.get(self.buyer_type, self.buyer_type)


@dataclass(frozen=True)
class OrderInvoiceFacts:
    """What the invoice dialog needs to know about the order before any request exists."""

    order_id: int
    order_sn: str
    status: int
    pay_amount_fen: int
    invoiceable: bool
    reason: str  #: why not, when not invoiceable


_COLS = (
    "r.id, r.order_id, o.order_sn, r.buyer_type, r.title, r.tax_no, r.email, r.amount_fen, r.status, "
    "r.invoice_no, r.pdf_path, r.requested_at, r.issued_at, r.uploaded_at, r.phone, r.note"
)
_FROM = 'FROM invoice_request r JOIN "order" o ON o.id = r.order_id'


def _info(row: Sequence) -> InvoiceRequestInfo:
    return InvoiceRequestInfo(*row)


# --------------------------------------------------------------------------------------------
# Reads
# --------------------------------------------------------------------------------------------


def request_for_order(order_id: int) -> InvoiceRequestInfo | None:
    """The order's invoice request, or None when the buyer has not asked for one."""
    row = database.execute_sql(f"SELECT {_COLS} {_FROM} WHERE r.order_id = ?", (order_id,)).fetchone()
    return _info(row) if row else None


def get_request(request_id: int) -> InvoiceRequestInfo:
    """One request by id.

    Raises:
        NotAllowed: no such request.
    """
    row = database.execute_sql(f"SELECT {_COLS} {_FROM} WHERE r.id = ?", (request_id,)).fetchone()
    if row is None:
        raise NotAllowed(f"开票申请 {request_id} 不存在")
    return _info(row)


def list_requests(status: str | None = None, limit: int = 500) -> list[InvoiceRequestInfo]:
    """Requests, oldest first (the work queue order), optionally of one status.

    Raises:
        ValidationError: an unknown status.
    """
    if status is None:
        sql = f"SELECT {_COLS} {_FROM} ORDER BY r.requested_at, r.id LIMIT ?"
        params: tuple = (limit,)
    else:
        if status not in STATUS_LABELS:
            raise ValidationError("开票状态", f"应为 {'、'.join(STATUS_LABELS)}，收到 {status!r}")
        sql = f"SELECT {_COLS} {_FROM} WHERE r.status = ? ORDER BY r.requested_at, r.id LIMIT ?"
        params = (status, limit)
    return [_info(r) for r in database.execute_sql(sql, params).fetchall()]


def _order_row(order_id: int) -> tuple[int, str, int, int, int | None]:
    row = database.execute_sql(
        'SELECT id, order_sn, status, pay_amount_fen, paid_at FROM "order" WHERE id = ?', (order_id,)
    ).fetchone()
    if row is None:
        raise ValidationError("订单", f"订单 {order_id} 不存在")
    return row


def _not_invoiceable_reason(status: int, paid_at: int | None) -> str:
    if status == OrderStatus.CANCELLED:
        return "订单已取消，不能开票"
    if status == OrderStatus.UNPAID or paid_at is None:
        return "订单还没有付款，不能开票"
    return ""


def order_facts(order_id: int) -> OrderInvoiceFacts:
    """The order's number, paid amount and whether it can be invoiced at all."""
    oid, sn, status, pay, paid_at = _order_row(order_id)
    reason = _not_invoiceable_reason(status, paid_at)
    return OrderInvoiceFacts(oid, sn, status, pay, not reason, reason)


def default_invoice_dir() -> Path:
    """``<shop folder>/invoices``: beside the open shop database."""
    return Path(database.database).parent / INVOICE_DIR_NAME


# --------------------------------------------------------------------------------------------
# Request
# --------------------------------------------------------------------------------------------


def _check_request(
    buyer_type: str, title: str, tax_no: str, email: str, phone: str, amount_fen: int | None
) -> tuple[str, str, str, str, int | None]:
    if buyer_type not in BUYER_TYPE_LABELS:
        raise ValidationError("抬头类型", f"应为个人或企业，收到 {buyer_type!r}")
    title = " ".join((title or "").split())
    if not title:
        raise ValidationError("发票抬头", "不能为空")
    if len(title) > _TITLE_MAX:
        raise ValidationError("发票抬头", f"最多 {_TITLE_MAX} 个字，现在 {len(title)} 个")
    tax_no = check_tax_no(tax_no or "", "税号")
    if buyer_type == "company" and not tax_no:
        raise ValidationError("税号", "企业抬头必须填写纳税人识别号")
    email = (email or "").strip()
    if email and not _EMAIL_RE.fullmatch(email):
        raise ValidationError("邮箱", f"格式不对：{email}")
    phone = (phone or "").strip()
    if phone and not _PHONE_RE.fullmatch(phone):
        raise ValidationError("电话", f"格式不对：{phone}")
    if amount_fen is not None and (isinstance(amount_fen, bool) or not isinstance(amount_fen, int)):
        raise ValidationError("开票金额", f"应为整数分，收到 {amount_fen!r}")
    return title, tax_no, email, phone, amount_fen


def save_request(
    *,
    order_id: int,
    buyer_type: str,
    title: str,
    tax_no: str = "",
    email: str = "",
    amount_fen: int | None = None,
    phone: str = "",
    note: str = "",
) -> Changes:
    """Record the buyer's invoice request for an order, or correct it while it is 待开票.

    ``amount_fen`` defaults to what the buyer paid; a tax number is cleaned (spaces removed,
    letters upper-cased) before it is checked.

    Raises:
        ValidationError: naming the bad field (抬头类型, 发票抬头, 税号, 邮箱, 电话, 开票金额, 订单).
        NotAllowed: the order is cancelled or unpaid, or its invoice is already issued.
    """
    title, tax_no, email, phone, amount_fen = _check_request(
        buyer_type, title, tax_no, email, phone, amount_fen
    )
    note = (note or "").strip()
    now = clock.now()
    with write_transaction():
        oid, sn, status, pay, paid_at = _order_row(order_id)
        reason = _not_invoiceable_reason(status, paid_at)
        if reason:
            raise NotAllowed(f"订单 {sn}：{reason}")
        amount = pay if amount_fen is None else amount_fen
        if amount <= 0:
            raise ValidationError("开票金额", "必须大于 0")
        if amount > pay:
            raise ValidationError("开票金额", f"{format_yuan(amount)} 超过了买家实付 {format_yuan(pay)}")
        existing = request_for_order(oid)
        values = dict(
            buyer_type=buyer_type, title=title, tax_no=tax_no, email=email, phone=phone,
            amount_fen=amount, note=note,
        )  # fmt: skip
        if existing is None:
            cursor = database.execute_sql(
                "INSERT INTO invoice_request (order_id, buyer_type, title, tax_no, email, phone, amount_fen, "
                "status, invoice_no, pdf_path, requested_at, issued_at, uploaded_at, note) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, 'requested', NULL, '', ?, NULL, NULL, ?)",
                (oid, buyer_type, title, tax_no, email, phone, amount, now, note),
            )
            request_id = cursor.lastrowid
            action = "invoice_request"
            detail: dict = values
        else:
            if existing.status != "requested":
                raise NotAllowed(
                    f"订单 {sn} 的发票{existing.status_label}（{existing.invoice_no}），不能再修改申请"
                )
            request_id = existing.id
            old = {key: getattr(existing, key) for key in values}
            detail = {k: [old[k], v] for k, v in values.items() if old[k] != v}
            if not detail:
                return Changes()
            database.execute_sql(
                "UPDATE invoice_request SET buyer_type = ?, title = ?, tax_no = ?, email = ?, phone = ?, "
                "amount_fen = ?, note = ? WHERE id = ?",
                (buyer_type, title, tax_no, email, phone, amount, note, request_id),
            )
            action = "invoice_request_edit"
        _audit(now, action, request_id, oid, detail)
    return INVOICE_CHANGES


def _audit(now: int, action: str, request_id: int, order_id: int, detail: dict) -> None:
    database.execute_sql(
        "INSERT INTO audit_log (at, actor, action, entity_type, entity_id, detail_json, order_id) "
        "VALUES (?, 'user', ?, 'invoice', ?, ?, ?)",
        (now, action, str(request_id), json.dumps(detail, ensure_ascii=False), order_id),
    )


# --------------------------------------------------------------------------------------------
# Lines
# --------------------------------------------------------------------------------------------


def distribute_amount(weights: Sequence[int], total: int) -> list[int]:
    """Split ``total`` fen over lines in proportion to ``weights`` (largest remainder), summing exactly.

    Every line gets ``floor(total × w / Σw)``; the fen left over go one each to the lines with
    the largest remainders, the earlier line first on a tie. With all weights 0 the lines count
    equally. Deterministic, integer only.
    """
    if not weights:
        raise ValueError("没有可分摊的明细")
    if any(w < 0 for w in weights):
        raise ValueError("明细金额不能为负")
    ws = list(weights) if sum(weights) > 0 else [1] * len(weights)
    whole = sum(ws)
    shares = [divmod(total * w, whole) for w in ws]
    out = [q for q, _r in shares]
    left = total - sum(out)
    by_remainder = sorted(range(len(ws)), key=lambda i: (-shares[i][1], i))
    for i in by_remainder[:left]:
        out[i] += 1
    return out


def invoice_lines(items: Sequence[tuple[str, str, int, int]], amount_fen: int) -> tuple[InvoiceLine, ...]:
    """Invoice lines from order items ``(goods name, spec, quantity, unit price fen)`` for ``amount_fen``."""
    if not items:
        return (InvoiceLine("商品", "", 1, amount_fen, amount_fen),)
    amounts = distribute_amount([q * p for _n, _s, q, p in items], amount_fen)
    lines = []
    for (name, spec, qty, _price), amount in zip(items, amounts, strict=True):
        qty = max(1, qty)
        unit = (2 * amount + qty) // (2 * qty)  # half up, to the fen
        lines.append(InvoiceLine(name, spec, qty, unit, amount))
    return tuple(lines)


# --------------------------------------------------------------------------------------------
# Issue, upload
# --------------------------------------------------------------------------------------------


def _next_invoice_no(now: int, out_dir: Path) -> str:
    """``PDD`` + Beijing date + the day's next 4-digit counter.

    Numbers whose PDF already lies in ``out_dir`` (left by an earlier database of the same shop)
    are skipped, so an issue never overwrites a file.
    """
    prefix = INVOICE_PREFIX + format_ts(now, "%Y%m%d")
    start = len(prefix) + 1
    last = database.execute_sql(
        f"SELECT MAX(CAST(substr(invoice_no, {start}) AS INTEGER)) FROM invoice_request "
        "WHERE invoice_no LIKE ? || '%'",
        (prefix,),
    ).fetchone()[0]
    n = (last or 0) + 1
    while (out_dir / f"{prefix}{n:04d}.pdf").exists():
        n += 1
    return f"{prefix}{n:04d}"


def _seller() -> tuple[InvoiceParty, str]:
    s = load_settings()
    if not s.invoice_seller_title:
        raise ValidationError("销售方名称", "请先在 设置 → 开票信息 中填写销售方名称")
    if not s.invoice_seller_tax_no:
        raise ValidationError("销售方纳税人识别号", "请先在 设置 → 开票信息 中填写纳税人识别号")
    party = InvoiceParty(
        s.invoice_seller_title,
        s.invoice_seller_tax_no,
        s.invoice_seller_address_phone,
        s.invoice_seller_bank_account,
    )
    return party, s.invoice_issuer


def build_invoice(request: InvoiceRequestInfo, *, invoice_no: str, issued_at: int) -> Invoice:
    """The printable invoice of a request (seller from settings, lines from the order items).

    Raises:
        ValidationError: seller 名称 or 纳税人识别号 not set.
    """
    seller, issuer = _seller()
    items = database.execute_sql(
        "SELECT goods_name, spec, quantity, unit_price_fen FROM order_item WHERE order_id = ? ORDER BY id",
        (request.order_id,),
    ).fetchall()
    return Invoice(
        seller=seller,
        buyer=InvoiceParty(request.title, request.tax_no),
        lines=invoice_lines(items, request.amount_fen),
        total_fen=request.amount_fen,
        invoice_no=invoice_no,
        invoice_date=format_ts(issued_at, "%Y-%m-%d"),
        order_sn=request.order_sn,
        remark=request.note,
        issuer=issuer,
        notes=(f"购买方邮箱：{request.email}",) if request.email else (),
    )


def issue_invoice(
    *,
    request_id: int,
    out_dir: Path | str | None = None,
    task: TaskContext | None = None,
    font: FontChoice | None = None,
) -> tuple[InvoiceRequestInfo, Changes]:
    """Number and render the invoice of a 待开票 request, then mark it 已开票.

    The PDF goes to ``out_dir/<invoice_no>.pdf`` (default :func:`default_invoice_dir`), written
    whole or not at all. Numbering, rendering and the status change happen under one write
    lock; if anything fails (or ``task`` is cancelled) the row is unchanged and no PDF is left.

    Returns:
        The updated request and what changed.

    Raises:
        ValidationError: seller settings missing.
        NotAllowed: the request is not 待开票, or its order was cancelled since.
        Cancelled: ``task`` was cancelled.
    """
    out = Path(out_dir) if out_dir is not None else default_invoice_dir()
    out.mkdir(parents=True, exist_ok=True)
    if task is not None:
        task.report(0, 1, "开具发票")
    now = clock.now()
    pdf: Path | None = None
    try:
        with write_transaction():
            req = get_request(request_id)
            if req.status != "requested":
                raise NotAllowed(f"订单 {req.order_sn} 的发票{req.status_label}，不能重复开具")
            _oid, sn, status, _pay, paid_at = _order_row(req.order_id)
            reason = _not_invoiceable_reason(status, paid_at)
            if reason:
                raise NotAllowed(f"订单 {sn}：{reason}")
            invoice_no = _next_invoice_no(now, out)
            invoice = build_invoice(req, invoice_no=invoice_no, issued_at=now)
            target = out / f"{invoice_no}.pdf"
            render_invoices(
                [invoice],
                target,
                font=font,
                should_cancel=(lambda: task.cancel_requested) if task is not None else None,
            )
            pdf = target  # ours from here on: removed again if the transaction fails
            database.execute_sql(
                "UPDATE invoice_request SET status = 'issued', invoice_no = ?, pdf_path = ?, issued_at = ? "
                "WHERE id = ? AND status = 'requested'",
                (invoice_no, str(pdf), now, request_id),
            )
            _audit(
                now,
                "invoice_issue",
                request_id,
                req.order_id,
                {"invoice_no": invoice_no, "amount_fen": req.amount_fen, "pdf_path": str(pdf)},
            )
    except BaseException:
        if pdf is not None:
            with contextlib.suppress(OSError):
                pdf.unlink()
        raise
    if task is not None:
        task.report(1, 1, "开具发票")
    return get_request(request_id), INVOICE_CHANGES


def mark_uploaded(*, request_id: int) -> Changes:
    """The user uploaded the issued invoice in the platform backend: mark it 已上传.

    Raises:
        NotAllowed: the request is not 已开票 (not issued yet, or already marked).
    """
    now = clock.now()
    with write_transaction():
        req = get_request(request_id)
        if req.status != "issued":
            if req.status == "requested":
                raise NotAllowed(f"订单 {req.order_sn} 的发票还没有开具，不能标记已上传")
            raise NotAllowed(f"订单 {req.order_sn} 的发票已经标记为已上传")
        database.execute_sql(
            "UPDATE invoice_request SET status = 'uploaded', uploaded_at = ? "
            "WHERE id = ? AND status = 'issued'",
            (now, request_id),
        )
        _audit(now, "invoice_uploaded", request_id, req.order_id, {"invoice_no": req.invoice_no})
    return INVOICE_CHANGES
