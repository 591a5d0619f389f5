from pathlib import Path

import pytest

from pdd_desktop.common.task import Cancelled
from pdd_desktop.printing import (
    Invoice,
    InvoiceError,
    InvoiceLine,
    InvoiceParty,
    PackingItem,
    PackingSlip,
    PickingLine,
    PickingList,
    aggregate,
    render_invoices,
    render_packing_slips,
    render_picking_list,
)
from pdd_desktop.printing.picking import rows_per_page

from .helpers import (
    decode,
    fonts,
    needs_poppler,
    needs_zbar,
    page_count,
    page_size_mm,
    rasterize,
    text,
    word_boxes,
)

A4 = (210.0, 297.0)
A5 = (148.0, 210.0)


def _inside(pdf: Path) -> None:
    for x0, y0, x1, y1, pw, ph, word in word_boxes(pdf):
        assert 0 <= x0 and x1 <= pw + 0.5 and 0 <= y0 and y1 <= ph + 0.5, word


def test_aggregate_sums_and_sorts():
    rows = [
        ("o1", "B-2", "袜子", "黑", 2),
        ("o1", "A-1", "T恤", "白/L", 1),
        ("o2", "A-1", "T恤", "白/L", 3),
        ("o3", "", "无编码", "", 1),
    ]
    lines, orders = aggregate(rows)
    assert orders == 3
    assert [(li.seller_code, li.quantity, li.order_count) for li in lines] == [
        ("A-1", 4, 2),
        ("B-2", 2, 1),
        ("", 1, 1),
    ]


@needs_poppler
def test_picking_list_pages_header_totals(tmp_path: Path):
    per = rows_per_page()
    lines = tuple(PickingLine(f"SKU-{i:04d}", f"商品{i}", "白色/L", i % 5 + 1, 1) for i in range(per * 2 + 3))
    shuffled = tuple(reversed(lines))
    pdf = tmp_path / "pick.pdf"
    pages = render_picking_list(PickingList(shuffled, 77, "2026-11-23 20:15", "小刘的杂货铺"), pdf)
    assert pages == 3 == page_count(pdf)
    w, h = page_size_mm(pdf)
    assert abs(w - A4[0]) < 0.1 and abs(h - A4[1]) < 0.1
    first = text(pdf, first=1, last=1)
    assert "拣货单" in first and "第 1/3 页" in first and "商家编码" in first
    assert first.index("SKU-0000") < first.index("SKU-0001")  # sorted by seller code
    last = text(pdf, first=3, last=3)
    assert "商家编码" in last and "第 3/3 页" in last  # header repeated
    assert "合计" in last and f"SKU {len(lines)} 种" in last and "订单 77 单" in last
    assert str(sum(li.quantity for li in lines)) in last
    _inside(pdf)
    assert all(row[-5] == "yes" for row in fonts(pdf))


@needs_poppler
@needs_zbar
def test_packing_slips(tmp_path: Path):
    items = tuple(PackingItem(f"纯棉T恤{i}", "白色/L", 2, 3990) for i in range(3))
    slips = [
        PackingSlip(
            "小刘的杂货铺",
            "241123-000000000000001",
            "张*明",
            items,
            buyer_memo="快点发",
            seller_memo="送贴纸",
        ),
        PackingSlip("小刘的杂货铺", "241123-000000000000002", "李*", items * 10, paid_fen=100),
    ]
    pdf = tmp_path / "slip.pdf"
    pages = render_packing_slips(slips, pdf)
    assert pages == page_count(pdf) >= 3
    w, h = page_size_mm(pdf)
    assert abs(w - A5[0]) < 0.1 and abs(h - A5[1]) < 0.1
    first = text(pdf, first=1, last=1)
    for needle in ("小刘的杂货铺", "241123-000000000000001", "张*明", "快点发", "送贴纸", "79.80", "239.40"):
        assert needle in first
    assert "实付 ¥1.00" in text(pdf, first=pages, last=pages)
    _inside(pdf)
    assert "CODE-128:241123-000000000000001" in decode(rasterize(pdf, tmp_path / "p1", 300))


def _invoice(**over) -> Invoice:
    base = dict(
        seller=InvoiceParty(
            "义乌市小刘日用品商行", "92330782MA2XXXXX1K", "义乌市福田街道 0579-88886666", "工行 1208"
        ),
        buyer=InvoiceParty("杭州某某科技有限公司", "91330106MA27XXXX8E"),
        lines=(
            InvoiceLine("纯棉T恤", "白色/L", 2, 3990, 7980),
            InvoiceLine("保温杯", "500ml", 1, 4365, 4365),
        ),
        total_fen=12345,
        invoice_no="00012345",
        invoice_date="2026-11-23",
    )
    base.update(over)
    return Invoice(**base)


@needs_poppler
def test_invoice(tmp_path: Path):
    pdf = tmp_path / "inv.pdf"
    assert render_invoices([_invoice()], pdf) == 1
    w, h = page_size_mm(pdf)
    assert abs(w - A4[0]) < 0.1 and abs(h - A4[1]) < 0.1
    page = text(pdf)
    for needle in ("杭州某某科技有限公司", "91330106MA27XXXX8E", "92330782MA2XXXXX1K", "79.80", "43.65"):
        assert needle in page
    assert "¥123.45" in page and "壹佰贰拾叁元肆角伍分" in page
    _inside(pdf)


@needs_poppler
def test_invoice_many_lines_paginates(tmp_path: Path):
    lines = tuple(InvoiceLine(f"商品{i}", "", 1, 100, 100) for i in range(60))
    pdf = tmp_path / "inv.pdf"
    pages = render_invoices([_invoice(lines=lines, total_fen=6000)], pdf)
    assert pages == page_count(pdf) > 1
    assert "陆拾元整" in text(pdf, first=pages, last=pages)


def test_invoice_total_mismatch(tmp_path: Path):
    pdf = tmp_path / "bad.pdf"
    with pytest.raises(InvoiceError):
        render_invoices([_invoice(total_fen=1)], pdf)
    assert not pdf.exists()


@pytest.mark.parametrize("which", ["picking", "packing", "invoice"])
def test_cancel_leaves_no_file(tmp_path: Path, which: str):
    pdf = tmp_path / "out.pdf"
    stop = lambda: True  # noqa: E731
    with pytest.raises(Cancelled):
        if which == "picking":
            render_picking_list(
                PickingList((PickingLine("A", "x", "", 1),), 1, "now"), pdf, should_cancel=stop
            )
        elif which == "packing":
            slip = PackingSlip("店", "1", "张*", (PackingItem("x", "", 1, 100),))
            render_packing_slips([slip], pdf, should_cancel=stop)
        else:
            render_invoices([_invoice()], pdf, should_cancel=stop)
    assert list(tmp_path.iterdir()) == []
