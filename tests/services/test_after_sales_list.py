"""售后 reads: tabs by status group, counts and refund sums, search, one case's detail."""

from __future__ import annotations

import re

import pytest

from pdd_desktop.data.db import database
from pdd_desktop.domain.after_sales import STATUS_TABLE, AfterSaleGroup, AfterSaleType, status_group
from pdd_desktop.domain.errors import NotAllowed, ValidationError
from pdd_desktop.services import after_sales as svc
from tests.conftest import DEMO_NOW
from tests.helpers.db import q, raw_rows

RETURN_ADDRESS = 2  #: the demo shop's return address (local id; never synced)


def oracle_by_tab(db) -> tuple[dict[str, int], dict[str, int]]:
    """Counts and refund sums per tab from plain sqlite3 and the domain's groups."""
    counts = dict.fromkeys(dict(svc.TABS), 0)
    sums = dict.fromkeys(dict(svc.TABS), 0)
    for status, n, fen in raw_rows(
        db, "SELECT status, COUNT(*), SUM(refund_amount_fen) FROM after_sale GROUP BY 1"
    ):
        for key in (status_group(status).name.lower(), "all"):
            counts[key] += n
            sums[key] += fen
    return counts, sums


# ------------------------------------------------------------------------- the grouping


def test_every_status_code_has_exactly_one_tab():
    group_tabs = [key for key, _label in svc.TABS if key != svc.ALL_TAB]
    assert group_tabs == [g.name.lower() for g in AfterSaleGroup]
    assert [label for _key, label in svc.TABS] == [
        "待处理", "待买家退货", "待收货", "退款中", "已完成", "已拒绝/已关闭", "平台介入", "全部",
    ]  # fmt: skip
    for code in STATUS_TABLE:
        assert [key for key in group_tabs if svc.tab_of(code) == key] == [status_group(code).name.lower()]
    # the decisions' statuses land where the merchant looks for them
    assert svc.tab_of(2) == svc.tab_of(3) == "waiting_me"
    assert svc.tab_of(7) == "waiting_buyer_return"
    assert svc.tab_of(27) == "return_on_the_way"
    assert svc.tab_of(4) == svc.tab_of(5) == "refunding"
    assert svc.tab_of(10) == "done"
    assert svc.tab_of(6) == svc.tab_of(11) == "closed"
    assert svc.tab_of(8) == "platform"
    # a code the app does not know yet still has a tab (and so shows under 全部 and one group)
    assert svc.tab_of(99) == "platform"


def test_unknown_tab_is_refused(demo_shop):
    with pytest.raises(ValidationError, match="未知分组"):
        svc.list_cases(tab="nope")


# ----------------------------------------------------------------------- counts and lists


def test_tab_counts_and_refund_sums_match_the_database(demo_shop):
    counts, sums = oracle_by_tab(demo_shop.db_file)
    assert counts["all"] > 100 and counts["waiting_me"] >= 3
    assert svc.tab_counts() == counts
    listed = svc.list_cases(tab="all")
    assert listed.counts == counts and listed.refund_fen == sums
    assert all(isinstance(v, int) for v in listed.refund_fen.values())
    assert sum(v for k, v in counts.items() if k != "all") == counts["all"]


@pytest.mark.parametrize("tab", [key for key, _label in svc.TABS])
def test_a_tab_lists_exactly_its_cases_newest_first(demo_shop, tab):
    rows = svc.list_cases(tab=tab).rows
    expected = [
        (cid, created)
        for cid, status, created in raw_rows(
            demo_shop.db_file,
            "SELECT id, status, created_at FROM after_sale ORDER BY created_at DESC, id DESC",
        )
        if tab == "all" or status_group(status).name.lower() == tab
    ]
    assert [(r.id, r.created_at) for r in rows] == expected
    assert all(tab in ("all", r.tab) for r in rows)
    total = sum(r.refund_amount_fen for r in rows)
    assert total == svc.list_cases(tab=tab).refund_fen[tab]


def test_row_fields(demo_shop):
    rows = {r.id: r for r in svc.list_cases(tab="all").rows}
    for cid, sn, typ, status, refund, qty, reason, expire in raw_rows(
        demo_shop.db_file,
        "SELECT a.id, o.order_sn, a.type, a.status, a.refund_amount_fen, a.quantity, a.reason, a.expire_at "
        'FROM after_sale a JOIN "order" o ON o.id = a.order_id',
    ):
        r = rows[cid]
        assert (r.order_sn, r.status, r.refund_amount_fen, r.reason) == (sn, status, refund, reason)
        assert r.type_label == AfterSaleType(typ).label
        assert r.status_label == STATUS_TABLE[status][0]
        assert r.goods.endswith(f"×{qty}") and len(r.goods) > 4
        # the countdown only for cases waiting for the merchant
        assert r.deadline_at == (expire if status_group(status) == AfterSaleGroup.WAITING_ME else None)
        assert r.upload_state == ""


def test_goods_text_names_the_cases_sku(demo_shop):
    cid, oid, sku = q("SELECT id, order_id, sku_id FROM after_sale ORDER BY id LIMIT 1")[0]
    database.execute_sql(
        "INSERT INTO order_item (order_id, goods_id, sku_id, goods_name, spec, outer_id, outer_goods_id, "
        "quantity, unit_price_fen) VALUES (?, 1, 1, '赠品', '', '', '', 1, 0)",
        (oid,),
    )
    database.execute_sql("UPDATE order_item SET id = -id WHERE order_id = ? AND goods_name = '赠品'", (oid,))
    ((name, spec),) = q(
        "SELECT COALESCE(NULLIF(g.short_name, ''), i.goods_name), i.spec FROM order_item i "
        "LEFT JOIN goods g ON g.goods_id = i.goods_id WHERE i.order_id = ? AND i.sku_id = ?",
        oid,
        sku,
    )
    (row,) = [r for r in svc.list_cases(tab="all").rows if r.id == cid]
    assert row.goods.startswith(name + (f" {spec}" if spec else "") + "×")


def test_search_by_order_number_or_case_id_fragment(demo_shop):
    db = demo_shop.db_file
    cid, sn = raw_rows(
        db, 'SELECT a.id, o.order_sn FROM after_sale a JOIN "order" o ON o.id = a.order_id LIMIT 1'
    )[0]
    fragment = sn[7:15]
    expected = {
        r[0]
        for r in raw_rows(db, 'SELECT a.id, o.order_sn FROM after_sale a JOIN "order" o ON o.id = a.order_id')
        if fragment in r[1] or fragment in str(r[0])
    }
    result = svc.list_cases(tab="all", search=f"  {fragment} ")
    assert {r.id for r in result.rows} == expected and cid in expected
    assert result.counts["all"] == len(expected)
    assert sum(result.counts[k] for k, _ in svc.TABS if k != "all") == len(expected)
    assert [r.id for r in svc.list_cases(tab="all", search=str(cid)[-6:]).rows] == [
        r[0]
        for r in raw_rows(db, "SELECT id FROM after_sale ORDER BY created_at DESC, id DESC")
        if str(cid)[-6:] in str(r[0])
    ]
    # LIKE wildcards are plain characters
    assert svc.list_cases(tab="all", search="%").rows == ()
    assert svc.list_cases(tab="all", search="_").rows == ()
    assert svc.tab_counts(search="%") == dict.fromkeys(dict(svc.TABS), 0)


# ----------------------------------------------------------------------------- the detail


def _waiting(case_type: int, status: int) -> int:
    ((cid,),) = q(
        "SELECT id FROM after_sale WHERE type = ? AND status = ? ORDER BY id LIMIT 1", case_type, status
    )
    return cid


def test_detail_of_a_refund_request(demo_shop):
    cid = _waiting(1, 2)
    d = svc.case_detail(cid)
    rec = q(
        "SELECT o.id, o.pay_amount_fen, o.receiver_phone, o.receiver_phone_mask, o.receiver_name, "
        'o.buyer_memo, a.buyer_remark FROM after_sale a JOIN "order" o ON o.id = a.order_id WHERE a.id = ?',
        cid,
    )[0]
    oid, pay, phone, phone_mask, name, memo, remark = rec
    assert d.row.id == cid and d.pay_amount_fen == pay and d.buyer_remark == remark and d.buyer_memo == memo
    # the receiver only masked: no full phone, no full name anywhere in the detail
    assert phone_mask in d.receiver_masked and re.search(r"\d{3}\*{4}\d{4}", d.receiver_masked)
    assert phone not in repr(d) and (len(name) < 2 or name not in repr(d))
    # negotiation oldest first, with labels
    steps = q(
        "SELECT at, actor, action, note FROM after_sale_event WHERE after_sale_id = ? ORDER BY at, id", cid
    )
    assert [(s.at, s.action, s.note) for s in d.steps] == [
        (at, action, note) for at, _a, action, note in steps
    ]
    assert {s.actor for s in d.steps} <= {"买家", "商家", "平台", "系统"}
    assert [s.at for s in d.steps] == sorted(s.at for s in d.steps)
    items = q(
        "SELECT goods_name, quantity, unit_price_fen FROM order_item WHERE order_id = ? ORDER BY id", oid
    )
    assert [(i.goods_name, i.quantity, i.unit_price_fen) for i in d.items] == items
    assert sum(i.in_case for i in d.items) == 1
    assert d.refund_block is None
    assert "仅退款申请" in d.return_block
    assert d.ops == ()


def test_detail_of_a_return_request(demo_shop):
    d = svc.case_detail(_waiting(2, 3))
    assert d.return_block is None
    assert "需先同意退货" in d.refund_block


def test_other_refunds_of_the_same_order(demo_shop):
    cid = _waiting(1, 2)
    ((oid,),) = q("SELECT order_id FROM after_sale WHERE id = ?", cid)
    for case_id, status, fen in ((1, 10, 123), (3, 11, 5000)):
        database.execute_sql(
            "INSERT INTO after_sale (id, order_id, type, status, reason, buyer_remark, refund_amount_fen, "
            "quantity, return_tracking_number, return_shipping_name, created_at) "
            "VALUES (?, ?, 1, ?, '', '', ?, 1, '', '', ?)",
            (case_id, oid, status, fen, DEMO_NOW - 9999),
        )
    assert svc.case_detail(cid).other_refunded_fen == 123  # the closed case refunded nothing


def test_detail_of_a_missing_case(demo_shop):
    with pytest.raises(NotAllowed, match="售后单不存在"):
        svc.case_detail(42)


def test_a_decision_not_yet_uploaded_shows_and_blocks(demo_shop):
    cid = _waiting(1, 2)
    svc.agree_refund(after_sale_id=cid, note="已核实")
    (row,) = [r for r in svc.list_cases(tab="refunding").rows if r.id == cid]
    assert row.upload_state == "待上传" and row.status == 4 and row.deadline_at is None
    d = svc.case_detail(cid)
    assert [(op.label, op.state_label, op.is_open) for op in d.ops] == [("同意退款", "待上传", True)]
    assert "无需重复操作" in d.refund_block
    assert d.steps[-1].actor == "商家" and d.steps[-1].action == "同意退款" and d.steps[-1].note == "已核实"
    # once uploaded, no badge
    database.execute_sql("UPDATE outbox SET state = 'succeeded'")
    (row,) = [r for r in svc.list_cases(tab="refunding").rows if r.id == cid]
    assert row.upload_state == ""
    # an open op on a case still waiting (e.g. the pull reset the status) blocks both decisions
    database.execute_sql("UPDATE outbox SET state = 'unknown'")
    database.execute_sql("UPDATE after_sale SET status = 2 WHERE id = ?", (cid,))
    d = svc.case_detail(cid)
    assert "尚未上传完成" in d.refund_block and "仅退款申请" in d.return_block
    assert d.row.upload_state == "结果未知（待核对）"


def test_decision_blocks_agree_with_the_services(demo_shop):
    """For every status and type, a button is enabled exactly when the service accepts."""
    ((cid, oid),) = q("SELECT id, order_id FROM after_sale WHERE type = 1 AND status = 2 ORDER BY id LIMIT 1")
    for status in STATUS_TABLE:
        for case_type in AfterSaleType:
            for action in ("refund", "return"):
                database.execute_sql("DELETE FROM outbox")
                database.execute_sql(
                    "UPDATE after_sale SET status = ?, type = ? WHERE id = ?", (status, int(case_type), cid)
                )
                d = svc.case_detail(cid)
                block = d.refund_block if action == "refund" else d.return_block
                try:
                    if action == "refund":
                        svc.agree_refund(after_sale_id=cid)
                    else:
                        svc.agree_return(after_sale_id=cid, return_address_id=RETURN_ADDRESS)
                except NotAllowed as exc:
                    assert block is not None, (status, case_type, action, exc)
                    assert block.split("：", 1)[1] in str(exc)
                else:
                    assert block is None, (status, case_type, action)
    assert oid


def test_return_addresses(demo_shop):
    addresses = svc.return_addresses()
    assert [(a.id, a.is_default) for a in addresses] == [(RETURN_ADDRESS, True)]
    assert "售后部" in addresses[0].text
    database.execute_sql("UPDATE address SET remote_id = 777001 WHERE id = ?", (RETURN_ADDRESS,))
    assert [a.id for a in svc.return_addresses()] == [777001]
    database.execute_sql("UPDATE address SET is_return = 0")
    assert svc.return_addresses() == []
