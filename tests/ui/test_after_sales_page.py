"""售后 page: real widgets on the demo shop; counts, rows and decisions checked against the database."""

from __future__ import annotations

import json

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from pdd_desktop.common import clock
from pdd_desktop.common.timefmt import format_ts
from pdd_desktop.data.db import database
from pdd_desktop.domain.after_sales import status_group
from pdd_desktop.domain.money import format_yuan
from pdd_desktop.services import after_sales as svc
from pdd_desktop.ui.pages.after_sales.detail import countdown, share_text
from pdd_desktop.ui.pages.after_sales.dialogs import AgreeRefundDialog, AgreeReturnDialog
from pdd_desktop.ui.pages.after_sales.page import NO_ADDRESS_TEXT, AfterSalesPage
from pdd_desktop.ui.pages.after_sales.view import COLUMN_INDEX
from tests.conftest import DEMO_NOW
from tests.helpers.db import q, raw_rows
from tests.helpers.pages import page_fixture

H = 3600


def expected_counts(db) -> dict[str, int]:
    counts = dict.fromkeys(dict(svc.TABS), 0)
    for (status,) in raw_rows(db, "SELECT status FROM after_sale"):
        counts[status_group(status).name.lower()] += 1
        counts["all"] += 1
    return counts


def click_tab(page: AfterSalesPage, key: str) -> None:
    tabs = page.view.tabs
    index = next(i for i in range(tabs.count()) if tabs.tabData(i) == key)
    QTest.mouseClick(
        tabs, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, tabs.tabRect(index).center()
    )
    assert page.current_tab() == key


def cell(page: AfterSalesPage, row: int, key: str) -> str:
    return page.view.table.item(row, COLUMN_INDEX[key]).text()


def click_row(page: AfterSalesPage, case_id: int) -> None:
    row = page.row_of_case(case_id)
    assert row is not None, case_id
    table = page.view.table
    rect = table.visualItemRect(table.item(row, COLUMN_INDEX["order_sn"]))
    QTest.mouseClick(
        table.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, rect.center()
    )
    assert page.detail is not None and page.detail.row.id == case_id


def waiting_case(case_type: int, status: int) -> int:
    ((cid,),) = q(
        "SELECT id FROM after_sale WHERE type = ? AND status = ? ORDER BY id LIMIT 1", case_type, status
    )
    return cid


def created_of(case_id: int) -> int:
    return q("SELECT created_at FROM after_sale WHERE id = ?", case_id)[0][0]


def counts_of_tables() -> tuple:
    return tuple(q(f"SELECT COUNT(*) FROM {t}")[0][0] for t in ("outbox", "audit_log", "after_sale_event"))


page = page_fixture("after_sales", lambda p: isinstance(p, AfterSalesPage), size=(1400, 860))


def test_listed_after_orders_in_the_navigation(window):
    labels = [window.nav.item(i).text() for i in range(window.nav.count())]
    assert labels.index("售后") == labels.index("发货中心") + 1


def test_tabs_show_the_databases_counts_and_list_their_cases(page, demo_shop):
    expected = expected_counts(demo_shop.db_file)
    assert expected["waiting_me"] >= 3 and expected["all"] > 100
    tabs = page.view.tabs
    labels = dict(svc.TABS)
    assert [tabs.tabText(i) for i in range(tabs.count())] == [
        f"{labels[key]} {expected[key]}" for key, _label in svc.TABS
    ]
    assert page.current_tab() == "waiting_me"
    for key in ("done", "closed", "return_on_the_way", "all", "waiting_me"):
        click_tab(page, key)
        table = page.view.table
        assert table.rowCount() == expected[key]
        ids = {page.case_id_at(r) for r in range(table.rowCount())}
        statuses = dict(raw_rows(demo_shop.db_file, "SELECT id, status FROM after_sale"))
        assert all(key == "all" or status_group(statuses[i]).name.lower() == key for i in ids)
        assert f"共 {expected[key]} 单" in page.view.count_label.text()


def test_rows_show_money_time_and_countdown(page, demo_shop):
    soon, later = q("SELECT id FROM after_sale WHERE status IN (2, 3) ORDER BY id LIMIT 2")
    database.execute_sql(
        "UPDATE after_sale SET expire_at = ? WHERE id = ?", (DEMO_NOW + 5 * H + 59 * 60, soon[0])
    )
    database.execute_sql("UPDATE after_sale SET expire_at = ? WHERE id = ?", (DEMO_NOW + 30 * H, later[0]))
    page.refresh()
    row = page.row_of_case(soon[0])
    assert cell(page, row, "countdown") == "5小时59分"
    red = page.view.table.item(row, COLUMN_INDEX["countdown"]).foreground().color().name()
    assert red == "#d92d20"
    row = page.row_of_case(later[0])
    assert cell(page, row, "countdown") == "1天6小时"
    assert page.view.table.item(row, COLUMN_INDEX["countdown"]).foreground().color().name() != "#d92d20"
    # the countdown ticks with the clock, without a new query
    clock.set_clock(lambda: DEMO_NOW + 6 * H)
    page._countdown.timeout.emit()
    assert cell(page, page.row_of_case(soon[0]), "countdown") == "已超时"
    assert cell(page, page.row_of_case(later[0]), "countdown") == "1天0小时"
    clock.set_clock(lambda: DEMO_NOW)
    database.execute_sql("UPDATE after_sale SET expire_at = ? WHERE id = ?", (DEMO_NOW - 60, later[0]))
    page.refresh()
    assert cell(page, page.row_of_case(later[0]), "countdown") == "已超时"

    click_tab(page, "done")
    table = page.view.table
    refunds = dict(q("SELECT id, refund_amount_fen FROM after_sale"))
    for r in range(table.rowCount()):
        cid = page.case_id_at(r)
        assert cell(page, r, "refund") == format_yuan(refunds[cid])
        assert cell(page, r, "countdown") == ""  # no deadline once the case is over
        assert cell(page, r, "type") in ("仅退款", "退货退款", "换货", "补寄", "维修")
    # 申请时间 in Beijing time, newest first; a header click sorts oldest first
    ((created,),) = q("SELECT created_at FROM after_sale WHERE id = ?", page.case_id_at(0))
    assert cell(page, 0, "created") == format_ts(created, "%Y-%m-%d %H:%M")
    times = [created_of(page.case_id_at(r)) for r in range(table.rowCount())]
    assert times == sorted(times, reverse=True)
    header = table.horizontalHeader()
    x = header.sectionViewportPosition(COLUMN_INDEX["created"]) + 10
    QTest.mouseClick(
        header.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(x, 5)
    )
    times = [created_of(page.case_id_at(r)) for r in range(table.rowCount())]
    assert times == sorted(times)


def test_search_by_order_number_fragment(qtbot, page, demo_shop):
    click_tab(page, "all")
    cid, sn = q(
        'SELECT a.id, o.order_sn FROM after_sale a JOIN "order" o ON o.id = a.order_id ORDER BY a.id LIMIT 1'
    )[0]
    fragment = sn[-9:]
    expected = {
        i
        for i, s in raw_rows(
            demo_shop.db_file, 'SELECT a.id, o.order_sn FROM after_sale a JOIN "order" o ON o.id = a.order_id'
        )
        if fragment in s or fragment in str(i)
    }
    QTest.keyClicks(page.view.search_edit, fragment)
    QTest.keyClick(page.view.search_edit, Qt.Key.Key_Return)
    ids = {page.case_id_at(r) for r in range(page.view.table.rowCount())}
    assert ids == expected and cid in ids
    assert page.view.tabs.tabText(page.view.tabs.count() - 1) == f"全部 {len(expected)}"


def test_detail_shows_the_case_masked(page, demo_shop):
    cid = waiting_case(1, 2)
    click_row(page, cid)
    phone, phone_mask, pay = q(
        'SELECT o.receiver_phone, o.receiver_phone_mask, o.pay_amount_fen FROM after_sale a JOIN "order" o '
        "ON o.id = a.order_id WHERE a.id = ?",
        cid,
    )[0]
    text = page.view.detail.toPlainText()
    assert f"售后单 {cid}" in text and "买家申请退款，待商家处理" in text
    assert phone_mask in text and phone not in text
    ((refund,),) = q("SELECT refund_amount_fen FROM after_sale WHERE id = ?", cid)
    assert format_yuan(refund) in text and format_yuan(pay) in text and share_text(refund, pay) in text
    steps = q("SELECT action FROM after_sale_event WHERE after_sale_id = ? ORDER BY at, id", cid)
    positions = [text.index(a) for (a,) in steps]
    assert positions == sorted(positions) and "协商记录" in text
    # the buttons follow the status; a disabled one says why
    v = page.view
    assert v.refund_button.isEnabled()
    assert not v.return_button.isEnabled() and "仅退款申请" in v.return_button.toolTip()


def test_agree_refund(qtbot, page, demo_shop):
    cid = waiting_case(1, 2)
    ((oid, refund),) = q("SELECT order_id, refund_amount_fen FROM after_sale WHERE id = ?", cid)
    before_waiting = page.cases.counts["waiting_me"]
    emitted = []
    page.ctx.events.changes_applied.connect(lambda changes, initiator: emitted.append((changes, initiator)))
    click_row(page, cid)
    page.view.refund_button.click()
    dlg = page.current_dialog
    assert isinstance(dlg, AgreeRefundDialog) and dlg.isVisible()
    assert dlg.amount_label.text() == format_yuan(refund)
    dlg.note_edit.setText("已核实，同意退款")
    dlg.ok_button.click()
    assert not dlg.isVisible()
    # the database: status, one outbox op, one audit row, one seller step
    assert q("SELECT status, expire_at FROM after_sale WHERE id = ?", cid) == [(4, None)]
    ((op_type, state, payload),) = q(
        "SELECT op_type, state, payload_json FROM outbox "
        "WHERE entity_type = 'after_sale' AND entity_remote_id = ?",
        str(cid),
    )
    assert (op_type, state) == ("refund_agree", "pending")
    assert json.loads(payload)["operate_desc"] == "已核实，同意退款"
    assert q("SELECT action, order_id FROM audit_log WHERE entity_id = ?", str(cid)) == [
        ("refund_agree", oid)
    ]
    # what the page shows
    v = page.view
    assert v.message_label.isVisible() and v.message_label.text() == "已同意退款，等待同步上传"
    assert emitted and emitted[0][0].after_sales and emitted[0][1] is page
    text = v.detail.toPlainText()
    assert "商家同意退款，退款中" in text and "待上传" in text and "已核实，同意退款" in text
    assert not v.refund_button.isEnabled() and "无需重复操作" in v.refund_button.toolTip()
    assert page.cases.counts["waiting_me"] == before_waiting - 1
    assert page.row_of_case(cid) is None  # it left 待处理
    click_tab(page, "refunding")
    row = page.row_of_case(cid)
    assert cell(page, row, "status") == "商家同意退款，退款中（待上传）"


def test_a_refused_decision_shows_why_and_changes_nothing(page, demo_shop):
    cid = waiting_case(1, 2)
    click_row(page, cid)
    page.view.refund_button.click()
    dlg = page.current_dialog
    # meanwhile a sync brings the platform's answer: the refund happened already
    database.execute_sql("UPDATE after_sale SET status = 10 WHERE id = ?", (cid,))
    before = counts_of_tables()
    dlg.ok_button.click()
    assert counts_of_tables() == before
    assert q("SELECT status FROM after_sale WHERE id = ?", cid) == [(10,)]
    assert dlg.isVisible() and dlg.error_label.isVisible() and "不能同意退款" in dlg.error_label.text()
    message = page.view.message_label
    assert message.isVisible() and "「退款成功」，不能同意退款" in message.text()
    # the page now shows the case as it is
    assert "退款成功" in page.view.detail.toPlainText()
    assert not page.view.refund_button.isEnabled()
    dlg.cancel_button.click()
    assert not dlg.isVisible()


def test_agree_return_with_a_return_address(page, demo_shop):
    cid = waiting_case(2, 3)
    click_row(page, cid)
    v = page.view
    assert v.return_button.isEnabled()
    assert not v.refund_button.isEnabled() and "需先同意退货" in v.refund_button.toolTip()
    v.return_button.click()
    dlg = page.current_dialog
    assert isinstance(dlg, AgreeReturnDialog)
    assert dlg.address_combo.count() == 1 and "售后部" in dlg.address_combo.currentText()
    dlg.ok_button.click()
    assert q("SELECT status FROM after_sale WHERE id = ?", cid) == [(7,)]
    ((op_type, payload),) = q("SELECT op_type, payload_json FROM outbox WHERE entity_remote_id = ?", str(cid))
    assert op_type == "return_goods_agree" and json.loads(payload)["return_address_id"] == 2
    assert v.message_label.text() == "已同意退货，等待同步上传"
    assert "已同意退货退款，待用户发货" in v.detail.toPlainText()


def test_agree_return_without_any_return_address(page, demo_shop):
    cid = waiting_case(2, 3)
    database.execute_sql("UPDATE address SET is_return = 0")
    click_row(page, cid)
    page.current_dialog = None
    before = counts_of_tables()
    page.view.return_button.click()
    assert page.current_dialog is None
    assert page.view.message_label.text() == NO_ADDRESS_TEXT
    assert counts_of_tables() == before


def test_an_open_decision_blocks_and_shows_pending(page, demo_shop):
    cid = waiting_case(1, 2)
    database.execute_sql(
        "INSERT INTO outbox (op_id, op_type, entity_type, entity_remote_id, payload_json, base_json, state, "
        "attempts, last_error, created_at, result_json) "
        "VALUES ('x-1', 'refund_agree', 'after_sale', ?, '{}', '{}', 'pending', 0, '', ?, '')",
        (str(cid), DEMO_NOW),
    )
    page.refresh()
    row = page.row_of_case(cid)
    assert cell(page, row, "status").endswith("（待上传）")
    click_row(page, cid)
    assert not page.view.refund_button.isEnabled()
    assert "尚未上传完成" in page.view.refund_button.toolTip()


def test_countdown_and_share_helpers():
    assert countdown(None, DEMO_NOW) == ("", False)
    assert countdown(DEMO_NOW, DEMO_NOW) == ("已超时", True)
    assert countdown(DEMO_NOW + 6 * H, DEMO_NOW) == ("6小时0分", False)
    assert countdown(DEMO_NOW + 6 * H - 60, DEMO_NOW) == ("5小时59分", True)
    assert share_text(2990, 2990) == "100.0%"
    assert share_text(1, 3) == "33.3%"
    assert share_text(5, 0) == "—"
