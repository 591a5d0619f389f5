"""What the printer prints: frozen input records, filled by services, drawn by the renderers.

The printer never masks, unmasks or looks anything up: every text field holds exactly what goes
on paper (a masked phone arrives as ``138****1234``). Money is integer fen.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class LabelItem:
    """One line of a label's item summary: short name, spec and quantity."""

    short_name: str
    spec: str = ""
    quantity: int = 1


@dataclass(frozen=True)
class LabelData:
    """Everything printed on one e-waybill label (电子面单)."""

    courier_name: str
    tracking_no: str
    receiver_name: str
    receiver_phone_masked: str
    receiver_address: str
    sender_name: str
    sender_phone: str
    sender_address: str
    order_sn: str
    printed_at: str
    service_name: str = "标准快递"
    sort_code: str | None = None
    hub: str | None = None
    items: tuple[LabelItem, ...] = ()
    buyer_memo: str = ""
    seller_memo: str = ""


@dataclass(frozen=True)
class PickingLine:
    """One SKU on the picking list: total quantity over the selected orders."""

    seller_code: str
    goods_name: str
    spec: str
    quantity: int
    order_count: int = 1


@dataclass(frozen=True)
class PickingList:
    """A picking list (拣货单): SKU lines plus the number of distinct orders they come from."""

    lines: tuple[PickingLine, ...]
    order_count: int
    created_at: str
    shop_name: str = ""
    title: str = "拣货单"


@dataclass(frozen=True)
class PackingItem:
    """One line of a packing slip."""

    name: str
    spec: str
    quantity: int
    price_fen: int


@dataclass(frozen=True)
class PackingSlip:
    """A packing slip (发货单) for one order."""

    shop_name: str
    order_sn: str
    receiver_name_masked: str
    items: tuple[PackingItem, ...]
    printed_at: str = ""
    buyer_memo: str = ""
    seller_memo: str = ""
    paid_fen: int | None = None
    thanks: str = "感谢您的惠顾，如有问题请联系店铺客服。"


@dataclass(frozen=True)
class InvoiceParty:
    """Seller or buyer on an invoice: title (抬头) and tax number, the rest optional."""

    title: str
    tax_no: str = ""
    address_phone: str = ""
    bank_account: str = ""


@dataclass(frozen=True)
class InvoiceLine:
    """One invoice line; ``amount_fen`` is the line total as charged (may include discounts)."""

    name: str
    spec: str
    quantity: int
    unit_price_fen: int
    amount_fen: int


@dataclass(frozen=True)
class Invoice:
    """An invoice / receipt for one order (订单开票); ``total_fen`` must equal the sum of the lines."""

    seller: InvoiceParty
    buyer: InvoiceParty
    lines: tuple[InvoiceLine, ...]
    total_fen: int
    invoice_no: str = ""
    invoice_date: str = ""
    order_sn: str = ""
    remark: str = ""
    issuer: str = ""
    title: str = "销售发票"
    notes: tuple[str, ...] = field(default=())
