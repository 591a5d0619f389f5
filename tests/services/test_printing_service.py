"""打单 service: tracking numbers for labels, skips, print jobs, reprint guard, picking and packing."""

from __future__ import annotations

import json
import shutil

import pytest

from pdd_desktop.common.changes import Changes
from pdd_desktop.common.task import Cancelled, TaskContext
from pdd_desktop.data.db import database
from pdd_desktop.domain.errors import NotAllowed, ValidationError
from pdd_desktop.domain.privacy import mask_name, mask_phone
from pdd_desktop.services import printing as svc
from pdd_desktop.services import shipping
from tests.conftest import DEMO_NOW
from tests.helpers.db import one, q
from tests.printing.helpers import needs_poppler, page_count, page_size_mm, text

HAVE_POPPLER = all(shutil.which(t) for t in ("pdfinfo", "pdftotext"))


def to_ship_ids() -> list[int]:
    return [r[0] for r in q('SELECT id FROM "order" WHERE status = 1 ORDER BY ship_deadline_at, id')]


def pool(account_id=None):
    where = "" if account_id is None else f"WHERE account_id = {int(account_id)}"
    return dict(q(f"SELECT state, COUNT(*) FROM waybill_number {where} GROUP BY state"))


def allocated() -> dict[int, str]:
    return {
        r[0]: r[1]
        for r in q("SELECT order_id, tracking_number FROM waybill_number WHERE state = 'allocated'")
    }


def default_account() -> int:
    return one("SELECT id FROM waybill_account WHERE is_default = 1")[0]


def single_shipped_order() -> tuple[int, str, str, str]:
    """(order id, order_sn, tracking number, courier name) of a shipped order alone in its parcel."""
    return one(
        'SELECT o.id, o.order_sn, p.tracking_number, c.name FROM "order" o '
        "JOIN package_order po ON po.order_id = o.id JOIN package p ON p.id = po.package_id "
        "JOIN courier c ON c.id = p.courier_id "
        "WHERE o.status IN (2, 3) AND o.refund_status = 1 AND o.after_sales_status = 0 "
        "AND p.kind = 'normal' AND p.voided_at IS NULL "
        "AND (SELECT COUNT(*) FROM package_order x WHERE x.package_id = p.id) = 1 "
        "AND (SELECT COUNT(*) FROM package_order y WHERE y.order_id = o.id) = 1 ORDER BY o.id LIMIT 1"
    )


def render(tmp_path, doc_type="label", ids=(), name="out.pdf", **kw) -> svc.RenderedDocument:
    return svc.render_documents(doc_type=doc_type, order_ids=list(ids), out=tmp_path / name, **kw)


# --------------------------------------------------------------------------------------------
# Labels: numbers
# --------------------------------------------------------------------------------------------


def test_labels_allocate_distinct_free_numbers_and_reprints_reuse_them(demo_shop, tmp_path):
    ids = to_ship_ids()
    assert len(ids) >= 10
    account = default_account()
    free_before = pool(account)["free"]
    counts_before = q('SELECT id, print_count, last_printed_at FROM "order" ORDER BY id')
    doc = render(tmp_path, ids=ids)
    assert doc.pages == len(ids) and doc.order_ids == tuple(ids) and doc.skipped == ()
    assert doc.template == "label_76x130" and doc.page_size_mm == (76.0, 130.0)
    numbers = dict(doc.tracking_numbers)
    assert list(numbers) == ids and len(set(numbers.values())) == len(ids)
    rows = q(
        "SELECT order_id, tracking_number, state, account_id, allocated_at FROM waybill_number "
        "WHERE state != 'free' ORDER BY id"
    )
    assert {r[0]: r[1] for r in rows} == numbers
    assert {(r[2], r[3], r[4]) for r in rows} == {("allocated", account, DEMO_NOW)}
    # The oldest free numbers of the default account, in print order.
    assert [r[1] for r in rows] == [numbers[i] for i in ids]
    assert pool(account)["free"] == free_before - len(ids)
    # Rendering is not printing: nothing recorded yet.
    assert one("SELECT COUNT(*) FROM print_job")[0] == 0
    assert q('SELECT id, print_count, last_printed_at FROM "order" ORDER BY id') == counts_before

    again = render(tmp_path, ids=list(reversed(ids)), name="again.pdf")
    assert dict(again.tracking_numbers) == numbers
    assert pool(account)["free"] == free_before - len(ids)
    # Even with the account named explicitly.
    explicit = render(tmp_path, ids=ids[:3], name="explicit.pdf", account_id=account)
    assert dict(explicit.tracking_numbers) == {i: numbers[i] for i in ids[:3]}


def test_labels_from_another_account_use_its_courier(demo_shop, tmp_path):
    account, courier = one(
        "SELECT a.id, c.name FROM waybill_account a JOIN courier c ON c.id = a.courier_id "
        "WHERE a.is_default = 0 ORDER BY a.id LIMIT 1"
    )
    ids = to_ship_ids()[:2]
    doc = render(tmp_path, ids=ids, account_id=account)
    assert allocated() == dict(doc.tracking_numbers)
    assert pool(account).get("allocated") == 2
    assert q("SELECT DISTINCT account_id FROM waybill_number WHERE state = 'allocated'") == [(account,)]
    with pytest.raises(ValidationError, match="面单账号"):
        render(tmp_path, ids=ids, account_id=999)
    if HAVE_POPPLER:
        assert courier in text(doc.path, first=1, last=1)


def test_shipped_order_prints_its_parcel_number(demo_shop, tmp_path):
    oid, order_sn, number, courier = single_shipped_order()
    before = pool()
    doc = render(tmp_path, ids=[oid])
    assert doc.pages == 1 and doc.tracking_numbers == ((oid, number),)
    assert pool() == before  # nothing allocated
    if not HAVE_POPPLER:
        return
    page = text(doc.path)
    assert number in page and order_sn in page and courier in page


def test_refunded_cancelled_and_unpaid_orders_get_no_label(demo_shop, tmp_path):
    ids = to_ship_ids()
    refunded, refunding, asked, unpaid, good = ids[:5]
    database.execute_sql('UPDATE "order" SET refund_status = 4 WHERE id = ?', (refunded,))
    database.execute_sql('UPDATE "order" SET refund_status = 3 WHERE id = ?', (refunding,))
    database.execute_sql('UPDATE "order" SET after_sales_status = 2 WHERE id = ?', (asked,))
    database.execute_sql('UPDATE "order" SET status = 0 WHERE id = ?', (unpaid,))
    cancelled = one('SELECT id FROM "order" WHERE status = 4 ORDER BY id LIMIT 1')[0]
    shipped_refunded = one('SELECT id FROM "order" WHERE status = 3 AND refund_status = 4 LIMIT 1')[0]
    doc = render(tmp_path, ids=[refunded, refunding, asked, cancelled, unpaid, shipped_refunded, good, 10**9])
    assert doc.order_ids == (good,) and doc.pages == 1
    assert {s.order_id: s.reason for s in doc.skipped} == {
        refunded: "订单已退款成功，不能打印快递面单",
        refunding: "订单退款中，不能打印快递面单",
        asked: "买家申请了退款（售后处理中），不能打印快递面单",
        cancelled: "订单已取消，不能打印快递面单",
        unpaid: "订单待支付，不能打印快递面单",
        shipped_refunded: "订单已退款成功，不能打印快递面单",
        10**9: "订单不存在",
    }
    assert list(allocated()) == [good]  # no number for a skipped order


def test_nothing_printable_renders_nothing(demo_shop, tmp_path):
    cancelled = one('SELECT id FROM "order" WHERE status = 4 ORDER BY id LIMIT 1')[0]
    doc = render(tmp_path, ids=[cancelled])
    assert doc.pages == 0 and doc.order_ids == () and len(doc.skipped) == 1
    assert not doc.path.exists()
    with pytest.raises(NotAllowed):
        svc.record_print_job(doc=doc, printer="PDF:x")


def test_pool_exhaustion_skips_the_rest(demo_shop, tmp_path):
    account = default_account()
    keep = [
        r[0] for r in q("SELECT id FROM waybill_number WHERE account_id = ? ORDER BY id LIMIT 2", account)
    ]
    database.execute_sql(
        "UPDATE waybill_number SET state = 'cancelled' WHERE account_id = ? AND id NOT IN (?, ?)",
        (account, *keep),
    )
    ids = to_ship_ids()[:5]
    doc = render(tmp_path, ids=ids, account_id=account)
    assert doc.order_ids == tuple(ids[:2]) and doc.pages == 2
    assert [(s.order_id, s.reason) for s in doc.skipped] == [(i, "面单号不足") for i in ids[2:]]
    assert sorted(allocated()) == sorted(ids[:2])


def test_merged_parcel_prints_one_label_for_all_its_orders(demo_shop, tmp_path):
    pid, number = one(
        "SELECT p.id, p.tracking_number FROM package p JOIN package_order po ON po.package_id = p.id "
        "JOIN \"order\" o ON o.id = po.order_id WHERE p.kind = 'normal' AND p.voided_at IS NULL "
        "GROUP BY p.id HAVING COUNT(*) = 2 AND MAX(o.refund_status) = 1 AND MAX(o.after_sales_status) = 0 "
        "ORDER BY p.id LIMIT 1"
    )
    members = [
        r[0] for r in q("SELECT order_id FROM package_order WHERE package_id = ? ORDER BY order_id", pid)
    ]
    second, first = members[1], members[0]
    doc = render(tmp_path, ids=[second, first])  # both selected: still one label
    assert doc.pages == 1
    assert doc.order_ids == (second, first)
    assert doc.tracking_numbers == ((second, number), (first, number))
    only_one = render(tmp_path, ids=[first], name="one.pdf")
    assert only_one.pages == 1 and set(only_one.order_ids) == set(members)
    if not HAVE_POPPLER:
        return
    page = text(doc.path)
    sn = one('SELECT order_sn FROM "order" WHERE id = ?', second)[0]
    assert f"{sn}等2单" in page.replace("\n", "")
    shorts = q(
        "SELECT COALESCE(NULLIF(g.short_name, ''), oi.goods_name) FROM order_item oi "
        "LEFT JOIN goods g ON g.goods_id = oi.goods_id WHERE oi.order_id IN (?, ?)",
        *members,
    )
    flat = page.replace("\n", "")
    assert len(shorts) == 2 and all(s[0] in flat for s in shorts)  # both orders' items


@needs_poppler
def test_label_text_masks_the_phone(demo_shop, tmp_path):
    ids = to_ship_ids()[:3]
    doc = render(tmp_path, ids=ids)
    assert page_count(doc.path) == 3
    w, h = page_size_mm(doc.path)
    assert abs(w - 76) < 0.1 and abs(h - 130) < 0.1
    numbers = dict(doc.tracking_numbers)
    sender = one(
        "SELECT contact_name, phone FROM address WHERE is_sender = 1 ORDER BY is_default DESC LIMIT 1"
    )
    for page_no, oid in enumerate(ids, start=1):
        name, phone, sn, district = one(
            'SELECT receiver_name, receiver_phone, order_sn, district FROM "order" WHERE id = ?', oid
        )
        page = text(doc.path, first=page_no, last=page_no)
        flat = page.replace("\n", "").replace(" ", "")
        assert name in flat and mask_phone(phone) in flat and phone not in flat
        assert numbers[oid] in page and sn in flat and district in flat
        assert sender[0] in flat


@needs_poppler
def test_label_template_100x150(demo_shop, tmp_path):
    doc = render(tmp_path, ids=to_ship_ids()[:1], template="label_100x150")
    w, h = page_size_mm(doc.path)
    assert (round(w, 1), round(h, 1)) == (100.0, 150.0) == doc.page_size_mm
    assert doc.template == "label_100x150"
    with pytest.raises(ValidationError, match="面单模板"):
        render(tmp_path, ids=to_ship_ids()[:1], template="label_nope", name="bad.pdf")


# --------------------------------------------------------------------------------------------
# Print then ship: the printed number is the shipped number
# --------------------------------------------------------------------------------------------


def test_print_then_ship_uses_the_printed_number(demo_shop, tmp_path):
    account = default_account()
    printed, other = to_ship_ids()[:2]
    doc = render(tmp_path, ids=[printed])
    ((_, number),) = doc.tracking_numbers
    # The other order ships first from the same pool: it must not get the printed number.
    result = shipping.ship_batch_from_pool(order_ids=[other, printed], account_id=account)
    got = {s.order_id: s.tracking_number for s in result.shipped}
    assert got[printed] == number and got[other] != number
    assert q("SELECT state, order_id FROM waybill_number WHERE tracking_number = ?", number) == [
        ("used", printed)
    ]
    assert one("SELECT state FROM waybill_number WHERE tracking_number = ?", got[other])[0] == "used"
    # A reprint after shipping shows the parcel's number: the same one.
    assert render(tmp_path, ids=[printed], name="re.pdf").tracking_numbers == ((printed, number),)


def test_reserved_number_of_a_cancelled_order_is_never_reused(demo_shop, tmp_path):
    account = default_account()
    ids = to_ship_ids()
    gone = ids[0]
    ((_, number),) = render(tmp_path, ids=[gone]).tracking_numbers
    database.execute_sql('UPDATE "order" SET status = 4 WHERE id = ?', (gone,))
    labels = render(tmp_path, ids=ids[1:], name="rest.pdf")
    result = shipping.ship_batch_from_pool(order_ids=ids[1:], account_id=account)
    handed_out = {n for _, n in labels.tracking_numbers} | {s.tracking_number for s in result.shipped}
    assert number not in handed_out
    assert q("SELECT state, order_id FROM waybill_number WHERE tracking_number = ?", number) == [
        ("allocated", gone)
    ]


def test_shipping_from_another_account_leaves_the_reservation(demo_shop, tmp_path):
    oid = to_ship_ids()[0]
    ((_, number),) = render(tmp_path, ids=[oid]).tracking_numbers
    other = one("SELECT id FROM waybill_account WHERE is_default = 0 ORDER BY id LIMIT 1")[0]
    result = shipping.ship_batch_from_pool(order_ids=[oid], account_id=other)
    assert result.shipped[0].tracking_number != number
    assert one("SELECT state, order_id FROM waybill_number WHERE tracking_number = ?", number) == (
        "allocated",
        oid,
    )


# --------------------------------------------------------------------------------------------
# Print jobs and the reprint guard
# --------------------------------------------------------------------------------------------


def test_record_print_job_and_prior_prints(demo_shop, tmp_path):
    ids = [i for i in to_ship_ids() if one('SELECT print_count FROM "order" WHERE id = ?', i)[0] == 0][:4]
    assert svc.prior_prints(ids) == []
    doc = render(tmp_path, ids=ids)
    printer = f"PDF:{doc.path}"
    assert svc.record_print_job(doc=doc, printer=printer) == Changes(orders=True)
    (job,) = q("SELECT id, doc_type, template, printer, pages, order_count, created_at FROM print_job")
    assert job[1:] == ("label", "label_76x130", printer, 4, 4, DEMO_NOW)
    links = q("SELECT order_id, tracking_number FROM print_job_order WHERE job_id = ? ORDER BY rowid", job[0])
    assert links == list(doc.tracking_numbers)
    marks = ",".join("?" * len(ids))
    assert q(f'SELECT DISTINCT print_count, last_printed_at FROM "order" WHERE id IN ({marks})', *ids) == [
        (1, DEMO_NOW)
    ]
    audit = q(
        "SELECT order_id, actor, action, entity_id, detail_json FROM audit_log WHERE action = 'print_label'"
    )
    assert [a[0] for a in audit] == ids
    assert {a[1] for a in audit} == {"user"}
    detail = json.loads(audit[0][4])
    assert detail["job_id"] == job[0] and detail["tracking_number"] == doc.tracking_numbers[0][1]
    assert detail["printer"] == printer
    never = [
        i
        for i in to_ship_ids()
        if i not in ids and one('SELECT print_count FROM "order" WHERE id = ?', i)[0] == 0
    ]
    prior = svc.prior_prints([*ids, never[0]])
    assert [(p.order_id, p.times, p.last_printed_at) for p in prior] == [(i, 1, DEMO_NOW) for i in ids]
    assert prior[0].order_sn == one('SELECT order_sn FROM "order" WHERE id = ?', ids[0])[0]
    svc.record_print_job(doc=doc, printer="打印机 A")
    assert {p.times for p in svc.prior_prints(ids)} == {2}
    assert svc.prior_prints(ids, "packing") == []


def test_picking_and_packing_jobs_do_not_count_as_printed_labels(demo_shop, tmp_path):
    ids = [i for i in to_ship_ids() if one('SELECT print_count FROM "order" WHERE id = ?', i)[0] == 0][:3]
    for doc_type in ("picking", "packing"):
        doc = render(tmp_path, doc_type, ids, name=f"{doc_type}.pdf")
        svc.record_print_job(doc=doc, printer="Office")
        assert [p.order_id for p in svc.prior_prints(ids, doc_type)] == ids
    marks = ",".join("?" * len(ids))
    assert q(f'SELECT DISTINCT print_count FROM "order" WHERE id IN ({marks})', *ids) == [(0,)]
    assert svc.prior_prints(ids) == []
    assert {r[0] for r in q("SELECT action FROM audit_log WHERE action LIKE 'print_%'")} == {
        "print_picking",
        "print_packing",
    }


def test_prior_prints_knows_labels_printed_before_print_jobs(demo_shop):
    oid, sn, count, last = one(
        'SELECT id, order_sn, print_count, last_printed_at FROM "order" WHERE print_count > 0 LIMIT 1'
    )
    assert svc.prior_prints([oid]) == [svc.PriorPrint(oid, sn, count, last)]


def test_record_print_job_is_one_transaction(demo_shop, tmp_path):
    ids = [i for i in to_ship_ids() if one('SELECT print_count FROM "order" WHERE id = ?', i)[0] == 0][:2]
    doc = render(tmp_path, ids=ids)
    database.execute_sql(
        "CREATE TEMP TRIGGER no_audit BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'disk full'); END"
    )
    with pytest.raises(Exception, match="disk full"):
        svc.record_print_job(doc=doc, printer="P")
    database.execute_sql("DROP TRIGGER no_audit")
    assert one("SELECT COUNT(*) FROM print_job")[0] == 0
    assert one("SELECT COUNT(*) FROM print_job_order")[0] == 0
    assert q('SELECT DISTINCT print_count FROM "order" WHERE id IN (?, ?)', *ids) == [(0,)]


class CancelAfter(TaskContext):
    def __init__(self, after: int) -> None:
        super().__init__()
        self.after = after
        self.reports = []

    def report(self, done, total=None, label=None):
        super().report(done, total, label)
        self.reports.append((done, total, label))
        if done >= self.after:
            self.cancel()


@pytest.mark.parametrize("doc_type", ["label", "packing"])
def test_cancel_leaves_no_file_and_no_print_job(demo_shop, tmp_path, doc_type):
    ids = to_ship_ids()[:6]
    task = CancelAfter(2)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    with pytest.raises(Cancelled):
        svc.render_documents(doc_type=doc_type, order_ids=ids, out=out_dir / "c.pdf", task=task)
    assert list(out_dir.iterdir()) == []
    assert one("SELECT COUNT(*) FROM print_job")[0] == 0
    assert task.reports[0] == (0, 6, f"正在生成{svc.DOC_LABELS[doc_type]}…")
    if doc_type == "label":  # the reservations made before rendering stay with their orders
        assert sorted(allocated()) == sorted(ids)


def test_progress_reaches_the_end(demo_shop, tmp_path):
    task = CancelAfter(10**9)
    ids = to_ship_ids()[:4]
    render(tmp_path, ids=ids, task=task)
    assert task.reports[-1] == (4, 4, "正在生成快递面单…")


# --------------------------------------------------------------------------------------------
# Picking list and packing slips
# --------------------------------------------------------------------------------------------


def test_picking_summary_equals_raw_sql(demo_shop, tmp_path):
    ids = to_ship_ids()
    marks = ",".join("?" * len(ids))
    lines, qty = one(
        "SELECT COUNT(*), SUM(q) FROM (SELECT CASE WHEN oi.outer_id != '' THEN oi.outer_id "
        "ELSE oi.outer_goods_id END AS code, COALESCE(NULLIF(g.short_name, ''), oi.goods_name) AS name, "
        "oi.spec, SUM(oi.quantity) AS q FROM order_item oi LEFT JOIN goods g ON g.goods_id = oi.goods_id "
        f"WHERE oi.order_id IN ({marks}) GROUP BY code, name, oi.spec)",
        *ids,
    )
    assert svc.picking_summary(ids) == (lines, qty, len(ids))
    cancelled = one('SELECT id FROM "order" WHERE status = 4 LIMIT 1')[0]
    assert svc.picking_summary([*ids, cancelled]) == (lines, qty, len(ids))
    doc = render(tmp_path, "picking", [*ids, cancelled])
    assert doc.pages == 1 and doc.order_ids == tuple(ids) and doc.template == ""
    assert doc.page_size_mm == (210.0, 297.0) and doc.tracking_numbers == ()
    assert [s.order_id for s in doc.skipped] == [cancelled]
    if not HAVE_POPPLER:
        return
    page = text(doc.path)
    assert f"商品 {qty} 件" in page and f"SKU {lines} 种" in page


@needs_poppler
def test_packing_slips_one_page_per_order(demo_shop, tmp_path):
    ids = to_ship_ids()[:5]
    doc = render(tmp_path, "packing", ids)
    assert doc.pages == 5 == page_count(doc.path)
    assert doc.page_size_mm == (148.0, 210.0)
    for page_no, oid in enumerate(ids, start=1):
        name, sn = one('SELECT receiver_name, order_sn FROM "order" WHERE id = ?', oid)
        page = text(doc.path, first=page_no, last=page_no).replace(" ", "")
        assert sn in page and mask_name(name) in page and name not in page
        assert one("SELECT name FROM shop")[0] in page


def test_bad_input(demo_shop, tmp_path):
    with pytest.raises(ValidationError, match="单据类型"):
        render(tmp_path, "invoice", [1])
    with pytest.raises(ValidationError, match="请选择"):
        render(tmp_path, ids=[])
    assert svc.default_template("label") == "label_76x130"
    assert svc.default_template("picking") == svc.default_template("packing") == ""


def test_select_orders(demo_shop):
    ids = to_ship_ids()
    assert svc.select_orders(status="待发货") == ids
    assert svc.select_orders(status="待发货", limit=3) == ids[:3]
    sns = [one('SELECT order_sn FROM "order" WHERE id = ?', i)[0] for i in (ids[2], ids[0])]
    assert svc.select_orders(order_sns=sns) == [ids[2], ids[0]]
    with pytest.raises(ValidationError, match="找不到 1 个订单：nope"):
        svc.select_orders(order_sns=[sns[0], "nope"])
    with pytest.raises(ValidationError, match="订单状态"):
        svc.select_orders(status="发货")
    shipped_sn = one('SELECT order_sn FROM "order" WHERE status = 2 LIMIT 1')[0]
    with pytest.raises(ValidationError, match="不是待发货状态"):
        svc.select_orders(status="待发货", order_sns=[shipped_sn])


def test_a_printed_number_can_only_ship_its_own_order(demo_shop, tmp_path):
    """Typed, scanned or file numbers: a number reserved by a printed label never goes on another order."""
    printed, other = to_ship_ids()[:2]
    ((_, number),) = render(tmp_path, ids=[printed]).tracking_numbers
    courier = one(
        "SELECT a.courier_id FROM waybill_number w JOIN waybill_account a ON a.id = w.account_id "
        "WHERE w.tracking_number = ?",
        number,
    )[0]
    printed_sn = one('SELECT order_sn FROM "order" WHERE id = ?', printed)[0]
    other_sn = one('SELECT order_sn FROM "order" WHERE id = ?', other)[0]
    with pytest.raises(ValidationError, match=printed_sn):
        shipping.ship_order(order_id=other, courier_id=courier, tracking_number=number)
    result = shipping.ship_batch_with_numbers(assignments=[(other, courier, number)])
    assert not result.shipped and printed_sn in result.skipped[0].reason
    courier_name = one("SELECT name FROM courier WHERE id = ?", courier)[0]
    path = tmp_path / "bulk.csv"
    path.write_text(f"订单号,快递公司,快递单号\n{other_sn},{courier_name},{number}\n", encoding="utf-8-sig")
    check = shipping.check_bulk_ship_file(path)
    assert not check.good and printed_sn in check.errors[0].message
    assert q("SELECT state, order_id FROM waybill_number WHERE tracking_number = ?", number) == [
        ("allocated", printed)
    ]
    # The order it was printed for ships with it when the label is scanned.
    shipping.ship_batch_with_numbers(assignments=[(printed, courier, number)])
    assert q("SELECT state, order_id FROM waybill_number WHERE tracking_number = ?", number) == [
        ("used", printed)
    ]
