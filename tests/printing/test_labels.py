from pathlib import Path

import pytest
from PIL import Image

from pdd_desktop.common.task import Cancelled
from pdd_desktop.printing import LabelItem, default_font, load_template, render_labels
from pdd_desktop.printing.labels import fit_items
from pdd_desktop.printing.template import available_templates

from .helpers import (
    decode,
    fonts,
    make_label,
    needs_poppler,
    needs_zbar,
    page_count,
    page_size_mm,
    rasterize,
    text,
    word_boxes,
)

TEMPLATES = ["label_76x130", "label_100x150"]


def test_shipped_templates():
    assert set(TEMPLATES) <= set(available_templates())
    for name in TEMPLATES:
        t = load_template(name)
        assert f"{t.width_mm:g}x{t.height_mm:g}" in name


@needs_poppler
@pytest.mark.parametrize("name", TEMPLATES)
def test_label_page_text_and_font(tmp_path: Path, name: str):
    t = load_template(name)
    pdf = tmp_path / "labels.pdf"
    labels = [make_label(), make_label(tracking_no="YT0000000002", receiver_name="李四")]
    assert render_labels(labels, t, pdf) == 2
    assert page_count(pdf) == 2
    w, h = page_size_mm(pdf)
    assert abs(w - t.width_mm) < 0.1 and abs(h - t.height_mm) < 0.1
    first = text(pdf, first=1, last=1)
    for needle in (
        "张小明",
        "138****1234",
        "75312345678901",
        "241123-123456789012345",
        "300-H12 05",
        "杭州转运中心",
    ):
        assert needle in first
    assert "李四" in text(pdf, first=2, last=2)
    rows = fonts(pdf)
    assert rows, "no fonts"
    font = default_font()
    assert font.embedded
    for row in rows:  # name type encoding emb sub uni id gen
        assert row[-5] == "yes", f"font not embedded: {row}"


@needs_poppler
@pytest.mark.parametrize("name", TEMPLATES)
def test_no_text_outside_page_or_boxes(tmp_path: Path, name: str):
    t = load_template(name)
    long_address = ("新疆维吾尔自治区乌鲁木齐市天山区解放北路街道人民路社区幸福花园小区" * 3)[:120]
    label = make_label(
        receiver_address=long_address,
        sender_address=long_address,
        buyer_memo="请一定在周末前送到，家里有老人不方便取件，麻烦放到门卫室，并电话通知，谢谢！" * 2,
        seller_memo="赠品：钥匙扣一个；发顺丰" * 4,
        items=tuple(LabelItem(f"纯棉短袖T恤男款{i}", "红色/XL", 1) for i in range(15)),
    )
    pdf = tmp_path / "long.pdf"
    render_labels([label], t, pdf)
    boxes = word_boxes(pdf)
    assert boxes
    eps = 0.5
    for x0, y0, x1, y1, pw, ph, word in boxes:
        assert abs(pw - t.width_mm / 25.4 * 72) < 0.5
        assert -eps <= x0 and x1 <= pw + eps and -eps <= y0 and y1 <= ph + eps, word
    # every line of the address lies within the address box
    box = t.fields["receiver_address"]
    pt = 72 / 25.4
    addr_words = [b for b in boxes if b[1] >= box.y * pt - eps and b[3] <= (box.y + box.h) * pt + eps]
    assert addr_words
    for x0, _, x1, _, _, _, word in addr_words:
        assert x0 >= box.x * pt - eps and x1 <= (box.x + box.w) * pt + eps, word
    page = text(pdf)
    assert "等15件" in page
    assert "…" in page or long_address[-4:] in page.replace("\n", "")


def test_long_address_shrinks_and_wraps():
    t = load_template("label_76x130")
    from reportlab.lib.units import mm

    from pdd_desktop.printing.textfit import fit_text

    box = t.fields["receiver_address"]
    font = default_font().name
    addr = ("广东省深圳市南山区粤海街道科技园社区科苑路" * 6)[:120]
    fitted = fit_text(addr, font, box.w * mm, box.h * mm, box.size, box.min_size, leading=t.leading)
    assert len(fitted.lines) > 1
    assert fitted.size < box.size
    assert fitted.size >= box.min_size
    assert fitted.height <= box.h * mm + 1e-6


def test_items_summary_etc():
    t = load_template("label_76x130")
    font = default_font().name
    items = tuple(LabelItem(f"纯棉T恤{i}", "白色/L", 1) for i in range(15))
    fitted = fit_items(items, t.fields["items"], font, t.leading)
    joined = "".join(fitted.lines)
    assert joined.endswith("等15件")
    assert not fitted.truncated
    few = fit_items(items[:2], t.fields["items"], font, t.leading)
    assert "等" not in "".join(few.lines)


@needs_poppler
@needs_zbar
@pytest.mark.parametrize("name", TEMPLATES)
def test_barcodes_decode(tmp_path: Path, name: str):
    t = load_template(name)
    pdf = tmp_path / "l.pdf"
    render_labels([make_label(tracking_no="YT7512345678901")], t, pdf)
    png = rasterize(pdf, tmp_path / "page", 300)
    found = decode(png)
    assert "CODE-128:YT7512345678901" in found
    assert "QR-Code:YT7512345678901" in found
    # the second, smaller barcode on its own
    small = t.barcodes["small"]
    px = 300 / 25.4
    with Image.open(png) as img:
        crop = img.crop(
            (0, int((small.y - 1) * px), img.width, int((small.y + small.h + small.text_h + 1) * px))
        )
        crop.save(tmp_path / "small.png")
    assert "CODE-128:YT7512345678901" in decode(tmp_path / "small.png")


def test_cancel_leaves_no_file(tmp_path: Path):
    pdf = tmp_path / "cancel.pdf"
    calls = []

    def should_cancel() -> bool:
        return len(calls) >= 3

    with pytest.raises(Cancelled):
        render_labels(
            [make_label()] * 10,
            None,
            pdf,
            progress=lambda d, n: calls.append((d, n)),
            should_cancel=should_cancel,
        )
    assert not pdf.exists()
    assert list(tmp_path.iterdir()) == []
    assert calls == [(1, 10), (2, 10), (3, 10)]


def test_cancel_keeps_previous_file_and_stream(tmp_path: Path):
    import io

    pdf = tmp_path / "old.pdf"
    pdf.write_bytes(b"old")
    with pytest.raises(Cancelled):
        render_labels([make_label()], None, pdf, should_cancel=lambda: True)
    assert pdf.read_bytes() == b"old"
    buf = io.BytesIO()
    with pytest.raises(Cancelled):
        render_labels([make_label()], None, buf, should_cancel=lambda: True)
    assert buf.getvalue() == b""
    assert render_labels([make_label()], None, buf) == 1
    assert buf.getvalue().startswith(b"%PDF")


def test_empty_batch_rejected(tmp_path: Path):
    with pytest.raises(ValueError):
        render_labels([], None, tmp_path / "x.pdf")
