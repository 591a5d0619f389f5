"""订单开票: request validation, exact invoice lines, numbering, the PDF and the status flow."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pdd_desktop.common import clock
from pdd_desktop.common.task import Cancelled, TaskContext
from pdd_desktop.data.models import Order, OrderItem
from pdd_desktop.domain.errors import NotAllowed, ValidationError
from pdd_desktop.domain.orders import OrderStatus
from pdd_desktop.printing.amounts import chinese_capital
from pdd_desktop.services import invoices
from pdd_desktop.services.settings import ShopSettings, load_settings, update_settings
from tests.conftest import DEMO_NOW
from tests.helpers.db import raw_rows
from tests.printing.helpers import needs_poppler, text

TAX_NO = "91330106MA2H0ABC1X"
SELLER = dict(
    invoice_seller_title="杭州小满日用品有限公司",
    invoice_seller_tax_no="91330110MA27XYZ98K",
    invoice_seller_address_phone="杭州市余杭区文一西路 1 号 0571-88886666",
    invoice_seller_bank_account="招商银行杭州分行 5719 0000 0000 001",
    invoice_issuer="王小满",
)


def _order(sn: str, items: list[tuple[str, str, int, int]], *, pay: int | None = None, **kw) -> int:
    goods = sum(q * p for _n, _s, q, p in items)
    fields = dict(
        order_sn=sn, status=int(OrderStatus.SHIPPED), goods_amount_fen=goods,
        pay_amount_fen=goods if pay is None else pay, paid_at=DEMO_NOW - 86400, created_at=DEMO_NOW - 86500,
    )  # fmt: skip
    fields.update(kw)
    order = Order.create(**fields)
    for k, (name, spec, qty, price) in enumerate(items):
        OrderItem.create(
            order=order, goods_id=1000 + k, sku_id=2000 + k, goods_name=name, spec=spec, quantity=qty,
            unit_price_fen=price,
        )  # fmt: skip
    return order.id


@pytest.fixture
def shop(empty_shop):
    clock.set_clock(lambda: DEMO_NOW)
    return empty_shop


@pytest.fixture
def seller(shop):
    update_settings(**SELLER)
    return shop


@pytest.fixture
def discounted(seller) -> int:
    """Three lines worth 100.00 + 2 × 33.33 + 3 × 10.01 = 196.69 yuan, paid 180.00 after coupons."""
    return _order(
        "261122-000000000000101",
        [("加厚珊瑚绒睡衣", "粉色 M", 1, 10000), ("棉拖鞋", "灰色 40", 2, 3333), ("袜子", "白色", 3, 1001)],
        pay=18000,
    )


def _audit(db, action: str) -> list[tuple]:
    return raw_rows(
        db, "SELECT entity_type, entity_id, order_id, detail_json FROM audit_log WHERE action = ?", (action,)
    )


# ------------------------------------------------------------------------------ settings


def test_seller_settings_default_empty_and_save_cleaned(shop):
    assert load_settings().invoice_seller_title == "" == ShopSettings().invoice_issuer
    update_settings(
        invoice_seller_title="  杭州小满\n日用品有限公司 ", invoice_seller_tax_no="91330110ma27 xyz98k"
    )
    s = load_settings()
    assert s.invoice_seller_title == "杭州小满 日用品有限公司"
    assert s.invoice_seller_tax_no == "91330110MA27XYZ98K"


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"invoice_seller_tax_no": "12345"}, "销售方纳税人识别号"),
        ({"invoice_seller_tax_no": "91330110MA27XYZ98-"}, "销售方纳税人识别号"),
        ({"invoice_seller_title": "名" * 101}, "销售方名称"),
        ({"invoice_seller_address_phone": 5}, "销售方地址、电话"),
        ({"invoice_issuer": "很" * 21}, "开票人"),
    ],
)
def test_bad_seller_settings_name_the_field_and_save_nothing(shop, values, field):
    with pytest.raises(ValidationError) as err:
        update_settings(**({"invoice_seller_title": "好店"} | values))
    assert err.value.field == field and str(err.value).startswith(field)
    assert raw_rows(shop.db_file, "SELECT COUNT(*) FROM setting") == [(0,)]


# ------------------------------------------------------------------------------ requests


def test_request_defaults_to_the_paid_amount_and_is_audited(shop):
    oid = _order("261122-000000000000001", [("睡衣", "M", 1, 4990)], pay=4690)
    assert invoices.request_for_order(oid) is None
    changes = invoices.save_request(order_id=oid, buyer_type="company", title=" 杭州某某科技有限公司 ",
                                    tax_no="91330106ma2h0abc1x", email="fp@example.com")  # fmt: skip
    assert changes.orders
    info = invoices.request_for_order(oid)
    assert (info.order_sn, info.buyer_type, info.title, info.tax_no, info.email, info.amount_fen) == (
        "261122-000000000000001", "company", "杭州某某科技有限公司", TAX_NO, "fp@example.com", 4690,
    )  # fmt: skip
    assert (info.status, info.status_label, info.requested_at, info.invoice_no) == (
        "requested", "待开票", DEMO_NOW, None,
    )  # fmt: skip
    ((etype, eid, order_id, detail),) = _audit(shop.db_file, "invoice_request")
    assert (etype, eid, order_id) == ("invoice", str(info.id), oid)
    assert json.loads(detail)["tax_no"] == TAX_NO
    assert invoices.list_requests("requested") == [info] and invoices.list_requests("issued") == []


def test_editing_a_request_records_what_changed(shop):
    oid = _order("261122-000000000000002", [("睡衣", "M", 2, 2500)])
    invoices.save_request(order_id=oid, buyer_type="personal", title="张三")
    invoices.save_request(order_id=oid, buyer_type="personal", title="张三", amount_fen=3000)
    assert invoices.request_for_order(oid).amount_fen == 3000
    ((_t, _e, _o, detail),) = _audit(shop.db_file, "invoice_request_edit")
    assert json.loads(detail) == {"amount_fen": [5000, 3000]}
    assert not invoices.save_request(order_id=oid, buyer_type="personal", title="张三", amount_fen=3000).any()
    assert raw_rows(shop.db_file, "SELECT COUNT(*) FROM invoice_request") == [(1,)]


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"buyer_type": "group"}, "抬头类型"),
        ({"title": "  "}, "发票抬头"),
        ({"title": "抬" * 101}, "发票抬头"),
        ({"buyer_type": "company", "tax_no": ""}, "税号"),
        ({"buyer_type": "company", "tax_no": "9133010"}, "税号"),
        ({"buyer_type": "company", "tax_no": "91330106MA2H0ABC1"}, "税号"),  # 17
        ({"buyer_type": "company", "tax_no": "91330106MA2H0ABC1X*"}, "税号"),
        ({"tax_no": "12345"}, "税号"),  # a personal buyer's optional number is checked too
        ({"email": "fp@example"}, "邮箱"),
        ({"phone": "abc"}, "电话"),
        ({"amount_fen": 0}, "开票金额"),
        ({"amount_fen": -100}, "开票金额"),
        ({"amount_fen": 5001}, "开票金额"),
        ({"amount_fen": 49.9}, "开票金额"),
        ({"order_id": 999}, "订单"),
    ],
)
def test_bad_request_names_the_field(shop, kwargs, field):
    oid = _order("261122-000000000000003", [("睡衣", "M", 1, 5000)])
    args = dict(order_id=oid, buyer_type="personal", title="张三") | kwargs
    with pytest.raises(ValidationError) as err:
        invoices.save_request(**args)
    assert err.value.field == field, str(err.value)
    assert raw_rows(shop.db_file, "SELECT COUNT(*) FROM invoice_request") == [(0,)]


@pytest.mark.parametrize("length", [15, 18, 20])
def test_company_tax_numbers_of_each_length_are_accepted(shop, length):
    oid = _order("261122-000000000000004", [("睡衣", "M", 1, 5000)])
    number = ("9133010" + "A1" * 10)[:length]
    invoices.save_request(order_id=oid, buyer_type="company", title="某公司", tax_no=number)
    assert invoices.request_for_order(oid).tax_no == number


@pytest.mark.parametrize(
    ("status", "paid", "message"),
    [(OrderStatus.CANCELLED, True, "已取消"), (OrderStatus.UNPAID, False, "还没有付款")],
)
def test_cancelled_and_unpaid_orders_are_refused(shop, status, paid, message):
    oid = _order("261122-000000000000005", [("睡衣", "M", 1, 5000)], status=int(status),
                 paid_at=DEMO_NOW if paid else None)  # fmt: skip
    with pytest.raises(NotAllowed, match=message):
        invoices.save_request(order_id=oid, buyer_type="personal", title="张三")
    facts = invoices.order_facts(oid)
    assert not facts.invoiceable and message in facts.reason


# ------------------------------------------------------------------------------ lines


def test_lines_sum_exactly_with_a_discount(seller, discounted):
    items = [
        ("加厚珊瑚绒睡衣", "粉色 M", 1, 10000),
        ("棉拖鞋", "灰色 40", 2, 3333),
        ("袜子", "白色", 3, 1001),
    ]
    lines = invoices.invoice_lines(items, 18000)
    assert sum(li.amount_fen for li in lines) == 18000
    # 18000 × (10000, 6666, 3003) / 19669 = 9151.46…, 6100.36…, 2748.16…: floors 17999, one fen to line 1.
    assert [li.amount_fen for li in lines] == [9152, 6100, 2748]
    assert [li.quantity for li in lines] == [1, 2, 3]
    assert [li.unit_price_fen for li in lines] == [9152, 3050, 916]  # 2748 / 3 = 916
    assert invoices.invoice_lines(items, 19669) == tuple(
        invoices.InvoiceLine(n, s, q, p, q * p) for n, s, q, p in items
    )


def test_distribution_ties_go_to_the_earlier_line():
    assert invoices.distribute_amount([100, 100, 100], 100) == [34, 33, 33]
    assert invoices.distribute_amount([0, 0], 5) == [3, 2]
    assert invoices.distribute_amount([500], 1234) == [1234]


@given(
    st.lists(st.integers(min_value=0, max_value=10**7), min_size=1, max_size=12),
    st.integers(min_value=1, max_value=10**9),
)
def test_distribution_always_sums_exactly_and_stays_proportional(weights, total):
    out = invoices.distribute_amount(weights, total)
    assert sum(out) == total and len(out) == len(weights)
    whole = sum(weights) or len(weights)
    for w, amount in zip(weights if sum(weights) else [1] * len(weights), out, strict=True):
        assert abs(amount * whole - total * w) < whole  # within one fen of the exact share
    assert invoices.distribute_amount(weights, total) == out  # deterministic


# ------------------------------------------------------------------------------ issue, upload


def test_issue_refused_without_seller_settings(shop, tmp_path):
    oid = _order("261122-000000000000006", [("睡衣", "M", 1, 5000)])
    invoices.save_request(order_id=oid, buyer_type="personal", title="张三")
    rid = invoices.request_for_order(oid).id
    with pytest.raises(ValidationError) as err:
        invoices.issue_invoice(request_id=rid, out_dir=tmp_path / "out")
    assert err.value.field == "销售方名称" and "设置" in str(err.value)
    update_settings(invoice_seller_title="好店")
    with pytest.raises(ValidationError) as err:
        invoices.issue_invoice(request_id=rid, out_dir=tmp_path / "out")
    assert err.value.field == "销售方纳税人识别号"
    assert list((tmp_path / "out").glob("*")) == []
    assert invoices.request_for_order(oid).status == "requested"


@needs_poppler
def test_status_flow_with_pdf_numbering_and_audit(seller, discounted, tmp_path):
    invoices.save_request(order_id=discounted, buyer_type="company", title="杭州某某科技有限公司",
                          tax_no=TAX_NO, email="fp@example.com")  # fmt: skip
    rid = invoices.request_for_order(discounted).id
    with pytest.raises(NotAllowed, match="还没有开具"):
        invoices.mark_uploaded(request_id=rid)

    task = TaskContext()
    info, changes = invoices.issue_invoice(request_id=rid, out_dir=tmp_path / "out", task=task)
    assert changes.orders and task.snapshot().done == 1
    assert info.status == "issued" and info.issued_at == DEMO_NOW
    assert info.invoice_no == "PDD202611230001"  # Beijing date of 2026-11-23 12:00 UTC
    pdf = tmp_path / "out" / "PDD202611230001.pdf"
    assert info.pdf_path == str(pdf) and pdf.exists()
    assert sorted(p.name for p in pdf.parent.iterdir()) == [pdf.name]  # no temporary file left
    words = text(pdf)
    flat = re.sub(r"\s+", "", words)
    for expected in ("杭州某某科技有限公司", TAX_NO, "杭州小满日用品有限公司", "91330110MA27XYZ98K",
                     "PDD202611230001", "261122-000000000000101", "180.00", chinese_capital(18000),
                     "91.52", "30.50", "61.00", "9.16", "27.48", "王小满"):  # fmt: skip
        assert expected in flat, expected
    assert chinese_capital(18000) == "壹佰捌拾元整"
    ((etype, eid, oid, detail),) = _audit(seller.db_file, "invoice_issue")
    assert (etype, eid, oid) == ("invoice", str(rid), discounted)
    assert json.loads(detail) == {"invoice_no": info.invoice_no, "amount_fen": 18000, "pdf_path": str(pdf)}

    with pytest.raises(NotAllowed, match="不能重复开具"):
        invoices.issue_invoice(request_id=rid, out_dir=tmp_path / "out")
    with pytest.raises(NotAllowed, match="不能再修改"):
        invoices.save_request(order_id=discounted, buyer_type="personal", title="张三")

    assert invoices.mark_uploaded(request_id=rid).orders
    done = invoices.request_for_order(discounted)
    assert (done.status, done.status_label, done.uploaded_at) == ("uploaded", "已上传", DEMO_NOW)
    assert len(_audit(seller.db_file, "invoice_uploaded")) == 1
    with pytest.raises(NotAllowed, match="已经标记"):
        invoices.mark_uploaded(request_id=rid)
    with pytest.raises(NotAllowed, match="不能重复开具"):
        invoices.issue_invoice(request_id=rid, out_dir=tmp_path / "out")
    # No outbox row: the upload was done by hand in the platform backend.
    assert raw_rows(seller.db_file, "SELECT COUNT(*) FROM outbox") == [(0,)]


def test_numbers_count_up_per_day_and_never_overwrite_a_file(seller, tmp_path):
    ids = []
    for k in range(3):
        oid = _order(f"261122-00000000000020{k}", [("睡衣", "M", 1, 5000 + k)])
        invoices.save_request(order_id=oid, buyer_type="personal", title=f"买家{k}")
        ids.append(invoices.request_for_order(oid).id)
    out = tmp_path / "out"
    out.mkdir()
    (out / "PDD202611230002.pdf").write_bytes(b"an older shop's invoice")
    first = invoices.issue_invoice(request_id=ids[0], out_dir=tmp_path / "out")[0].invoice_no
    second = invoices.issue_invoice(request_id=ids[1], out_dir=tmp_path / "out")[0].invoice_no
    assert (first, second) == ("PDD202611230001", "PDD202611230003")
    assert (out / "PDD202611230002.pdf").read_bytes() == b"an older shop's invoice"
    clock.set_clock(lambda: DEMO_NOW + 86400)
    assert (
        invoices.issue_invoice(request_id=ids[2], out_dir=tmp_path / "out")[0].invoice_no == "PDD202611240001"
    )


def test_cancelled_issue_leaves_no_pdf_and_no_change(seller, discounted, tmp_path):
    invoices.save_request(order_id=discounted, buyer_type="personal", title="张三")
    rid = invoices.request_for_order(discounted).id
    task = TaskContext()
    task.cancel()
    with pytest.raises(Cancelled):
        invoices.issue_invoice(request_id=rid, out_dir=tmp_path / "out", task=task)
    assert list((tmp_path / "out").glob("*")) == []
    assert invoices.request_for_order(discounted).status == "requested"
    assert _audit(seller.db_file, "invoice_issue") == []


def test_a_failed_update_removes_the_new_pdf(seller, discounted, tmp_path, monkeypatch):
    invoices.save_request(order_id=discounted, buyer_type="personal", title="张三")
    rid = invoices.request_for_order(discounted).id

    def broken_audit(*_a, **_k):
        raise RuntimeError("disk full")

    monkeypatch.setattr(invoices, "_audit", broken_audit)
    with pytest.raises(RuntimeError):
        invoices.issue_invoice(request_id=rid, out_dir=tmp_path / "out")
    assert list((tmp_path / "out").glob("*")) == []
    assert invoices.request_for_order(discounted).status == "requested"


def test_issue_refused_when_the_order_was_cancelled_since(seller, discounted, tmp_path):
    invoices.save_request(order_id=discounted, buyer_type="personal", title="张三")
    Order.update(status=int(OrderStatus.CANCELLED)).where(Order.id == discounted).execute()
    with pytest.raises(NotAllowed, match="已取消"):
        invoices.issue_invoice(request_id=invoices.request_for_order(discounted).id, out_dir=tmp_path / "out")


def test_default_folder_is_beside_the_shop_database(shop):
    assert invoices.default_invoice_dir() == shop.shop_dir / "invoices"


def test_list_rejects_an_unknown_status(shop):
    with pytest.raises(ValidationError, match="开票状态"):
        invoices.list_requests("done")


# ------------------------------------------------------------------------------ demo shop


def test_demo_shop_has_a_few_requests_in_every_status(demo_shop):
    rows = raw_rows(
        demo_shop.db_file,
        "SELECT r.status, r.buyer_type, r.tax_no, r.amount_fen, o.pay_amount_fen, o.status, o.paid_at, "
        "r.invoice_no, r.pdf_path, r.requested_at, r.issued_at, r.uploaded_at "
        'FROM invoice_request r JOIN "order" o ON o.id = r.order_id',
    )
    paid = raw_rows(
        demo_shop.db_file, 'SELECT COUNT(*) FROM "order" WHERE paid_at IS NOT NULL AND status != 4'
    )
    assert 0.005 * paid[0][0] <= len(rows) <= 0.02 * paid[0][0]
    statuses = [r[0] for r in rows]
    assert statuses.count("requested") > len(rows) / 2
    assert {"issued", "uploaded"} <= set(statuses)
    assert {"personal", "company"} == {r[1] for r in rows}
    for status, btype, tax_no, amount, pay, ostatus, paid_at, no, pdf, req_at, iss_at, up_at in rows:
        assert 0 < amount <= pay and ostatus != OrderStatus.CANCELLED and paid_at is not None
        assert paid_at <= req_at <= DEMO_NOW
        if btype == "company":
            assert len(tax_no) == 18
        assert pdf == ""
        if status == "requested":
            assert no is None and iss_at is None and up_at is None
        else:
            assert no.startswith("PDD") and req_at <= iss_at
            assert (up_at is None) == (status == "issued")
    assert len({r[7] for r in rows if r[7]}) == len([r for r in rows if r[7]])
    # The service reads them.
    assert len(invoices.list_requests()) == len(rows)
