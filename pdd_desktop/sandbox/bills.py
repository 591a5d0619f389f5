"""The sandbox's 货款日账单: a ledger derived from its own orders, served as the platform's bill ZIP.

``pdd.finance.balance.daily.bill.url.get`` (request ``bill_date`` = ``yyyy-MM-dd``, answer
``download_url``; the 财务API group's only API, pdd-open-api.md §7; request field as in the
``dawn-frost/pdd-sdk`` ``PddFinanceBalanceDailyBillUrlGetRequest``) answers a URL on the sandbox
itself (``http://127.0.0.1:<port>/bills/<date>.zip?sig=…``); the file is the ZIP the merchant
downloads from 对账中心 (merchant-data.md §1.2: one GB18030 CSV, four preamble lines, the seven
columns, expenses negative, ``#收入合计`` / ``#支出合计`` summary lines).

The ledger follows the sandbox's orders, so the app's reconciliation has something true to
find. **The sandbox's own rules** (the platform's settlement timing and fee rates are not
documented, merchant-data.md §1.5/§12 — these are stand-ins, [I]):

- an order settles when it is signed (确认收货): ``0010002|交易收入-订单收入`` of its
  ``merchant_receive_fen`` (what the buyer paid plus the platform's discount), and the basic
  tech-service fee ``0030002|技术服务费-基础技术服务费`` of :data:`TECH_FEE_PERMILLE` ‰ of it;
- a refund that succeeds after settlement: ``0020002|交易退款-订单退款`` of the refund, and the
  fee's return on the same code as income (备注 ``基础技术服务费返还``);
- an order shipped after its promised time: ``0040004|售后费用-延迟发货`` of 5% of what the
  buyer paid, at least ¥3, at the shipping time;
- every Monday 10:00 a ¥200 ad-account top-up (``0070004|转账-广告账户``), every 1st of the
  month 09:00 a ¥1,000 withdrawal (``0080001|提现-提现申请``); neither has an order number.

Tests plant mismatches (:meth:`BillService.plant`): an order's settlement left out, written
twice, or written with another amount, and charges for an order number the shop does not have.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from pdd_desktop.domain.money import format_yuan_plain

TECH_FEE_PERMILLE = 6
LATE_RATE_PERCENT = 5
LATE_MIN_FEN = 300
AD_TOPUP_FEN = 20_000
WITHDRAWAL_FEN = 100_000
#: How far back bills are served (对账中心: the last 12 months, merchant-data.md §1.1).
HISTORY_DAYS = 366
_BJ = timedelta(hours=8)
_DAY = 86_400

INCOME = "0010002|交易收入-订单收入"
REFUND = "0020002|交易退款-订单退款"
TECH_FEE = "0030002|技术服务费-基础技术服务费"
LATE = "0040004|售后费用-延迟发货"
AD_TOPUP = "0070004|转账-广告账户"
WITHDRAWAL = "0080001|提现-提现申请"

#: Plant kinds: settlement missing, written twice, another amount; a charge without an order.
MISSING, DOUBLE, AMOUNT = "missing", "double", "amount"


@dataclass(frozen=True)
class BillLine:
    """One line of the ledger (signed fen)."""

    at: int
    order_sn: str
    amount_fen: int
    account_type: str
    remark: str
    description: str


def day_start(day: str) -> int:
    """UTC epoch of Beijing midnight starting ``yyyy-MM-dd``.

    Raises:
        ValueError: not a date.
    """
    d = datetime.strptime(day, "%Y-%m-%d").replace(tzinfo=UTC) - _BJ
    return int(d.timestamp())


def _bj(ts: int) -> datetime:
    return datetime.fromtimestamp(ts, UTC) + _BJ


def _fee(fen: int) -> int:
    return (fen * TECH_FEE_PERMILLE + 500) // 1000


class BillService:
    """The sandbox shop's ledger and its day files (reads under the shop's lock)."""

    def __init__(self, shop) -> None:
        self.shop = shop
        #: order_sn → (kind, delta fen) of planted settlement mistakes.
        self.plants: dict[str, tuple[str, int]] = {}
        #: (at, order_sn, amount fen) of planted charges for orders the shop does not have.
        self.orphans: list[tuple[int, str, int]] = []

    def plant(self, order_sn: str, kind: str, delta_fen: int = 0) -> None:
        """Plant a settlement mistake for an order (``missing`` / ``double`` / ``amount``)."""
        if kind not in (MISSING, DOUBLE, AMOUNT):
            raise ValueError(kind)
        self.plants[order_sn] = (kind, delta_fen)

    def plant_orphan(self, at: int, order_sn: str, amount_fen: int) -> None:
        """Plant a charge for an order number the shop does not have."""
        self.orphans.append((at, order_sn, amount_fen))

    def lines(self, start: int, end: int) -> list[BillLine]:
        """The ledger's lines with ``start <= at < end``, in time order."""
        out: list[BillLine] = []
        q = self.shop.query
        for sn, signed, receive in q(
            'SELECT order_sn, signed_at, merchant_receive_fen FROM "order" '
            "WHERE signed_at >= ? AND signed_at < ? AND merchant_receive_fen > 0",
            (start, end),
        ):
            kind, delta = self.plants.get(sn, ("", 0))
            if kind == MISSING:
                continue
            amount = receive + (delta if kind == AMOUNT else 0)
            for _ in range(2 if kind == DOUBLE else 1):
                out.append(BillLine(signed, sn, amount, "交易收入", "", INCOME))
            out.append(BillLine(signed, sn, -_fee(receive), "技术服务费", "", TECH_FEE))
        for sn, closed, refund in q(
            'SELECT o.order_sn, a.closed_at, a.refund_amount_fen FROM after_sale a JOIN "order" o '
            "ON o.id = a.order_id WHERE a.status = 10 AND a.closed_at >= ? AND a.closed_at < ? "
            "AND o.signed_at IS NOT NULL AND o.signed_at <= a.closed_at AND a.refund_amount_fen > 0",
            (start, end),
        ):
            out.append(BillLine(closed, sn, -refund, "交易退款", "", REFUND))
            if _fee(refund):
                out.append(BillLine(closed, sn, _fee(refund), "技术服务费", "基础技术服务费返还", TECH_FEE))
        for sn, shipped, pay in q(
            'SELECT order_sn, shipped_at, pay_amount_fen FROM "order" WHERE shipped_at >= ? '
            "AND shipped_at < ? AND ship_deadline_at IS NOT NULL AND shipped_at > ship_deadline_at",
            (start, end),
        ):
            amount = max(LATE_MIN_FEN, pay * LATE_RATE_PERCENT // 100)
            out.append(BillLine(shipped, sn, -amount, "其他", "延迟发货补偿消费者", LATE))
        day = start - (start + 8 * 3600) % _DAY
        while day < end:
            local = _bj(day)
            if local.weekday() == 0 and start <= day + 10 * 3600 < end:
                out.append(BillLine(day + 10 * 3600, "", -AD_TOPUP_FEN, "其他", "推广账户充值", AD_TOPUP))
            if local.day == 1 and start <= day + 9 * 3600 < end:
                out.append(BillLine(day + 9 * 3600, "", -WITHDRAWAL_FEN, "其他", "提现到银行卡", WITHDRAWAL))
            day += _DAY
        for at, sn, amount in self.orphans:
            if start <= at < end:
                out.append(BillLine(at, sn, amount, "其他", "", LATE))
        out.sort(key=lambda ln: (ln.at, ln.description, ln.order_sn))
        return out

    def day_available(self, day: str) -> str | None:
        """Why the bill of ``day`` cannot be served, or None (a finished day in the last 12 months)."""
        start = day_start(day)
        now = self.shop.platform_now()
        if start + _DAY > now:
            return "账单尚未生成（只能查询已结束的日期）"
        if start < now - HISTORY_DAYS * _DAY:
            return "只能查询最近12个月的账单"
        return None

    def day_zip(self, day: str) -> bytes:
        """The ZIP of ``day``'s bill, as 对账中心 writes it."""
        start = day_start(day)
        data = bill_csv(self.lines(start, start + _DAY), day, day)
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr(f"pdd-mall-bill-detail-{day.replace('-', '')}.csv", data)
        return buf.getvalue()

    def signature(self, day: str) -> str:
        """The download URL's signature for ``day`` (keyed by the shop's client secret)."""
        key = self.shop.credentials.client_secret.encode()
        return hmac.new(key, f"bill:{day}".encode(), hashlib.sha256).hexdigest()[:32]


def bill_csv(lines: list[BillLine], first: str, last: str) -> bytes:
    """The GB18030 CSV of a bill covering the days ``first`` … ``last`` (``yyyy-MM-dd``).

    The preamble, the seven columns and the ``#收入合计`` / ``#支出合计`` lines as 对账中心
    writes them (merchant-data.md §1.2); also the bench's month bill for the 1M shop.
    """
    rows = [
        "拼多多店铺账务明细查询",
        "",
        f"起始时间：{first} 00:00:00  终止时间：{last} 23:59:59",
        "----------交易记录明细列表---------",
        "商户订单号,发生时间,收入金额（+元）,支出金额（-元）,账务类型,备注,业务描述",
    ]
    inc_n = inc = exp_n = exp = 0
    for ln in lines:
        income, expense = (ln.amount_fen, 0) if ln.amount_fen >= 0 else (0, ln.amount_fen)
        if expense:
            exp_n, exp = exp_n + 1, exp + expense
        else:
            inc_n, inc = inc_n + 1, inc + income
        at = _bj(ln.at).strftime("%Y-%m-%d %H:%M:%S")
        rows.append(
            f"{ln.order_sn},{at},{format_yuan_plain(income)},{format_yuan_plain(expense)},"
            f"{ln.account_type},{ln.remark},{ln.description}"
        )
    rows.append(f"#收入合计：{inc_n}笔，{format_yuan_plain(inc)}元")
    rows.append(f"#支出合计：{exp_n}笔，{format_yuan_plain(exp)}元")
    return ("\r\n".join(rows) + "\r\n").encode("gb18030")
