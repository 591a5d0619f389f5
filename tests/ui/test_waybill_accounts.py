"""发货中心 → 电子面单: accounts per courier with balances, the default per courier, voiding."""

from __future__ import annotations

import pytest

from pdd_desktop.data.db import write_transaction
from pdd_desktop.jobs.runner import ImmediateRunner
from pdd_desktop.platform.records import WaybillBranchRecord
from pdd_desktop.services import waybills
from pdd_desktop.ui.pages.orders.waybill_accounts import COLUMNS, WaybillAccountsView
from pdd_desktop.ui.theme import apply_theme
from tests.helpers.db import q


def _sync_accounts() -> None:
    """What the waybill_accounts pull stores from pdd.waybill.search."""
    records = [
        WaybillBranchRecord(
            "YTO", "330110-YT", "圆通速递 杭州余杭网点", 2980, 20, 3, 0, "浙江省杭州市余杭区文一西路 998 号"
        ),
        WaybillBranchRecord(
            "ZTO", "310115-ZT", "中通快递 上海浦东张江网点", 12, 488, 0, 0, "上海市上海市浦东新区张江路 88 号"
        ),
    ]
    with write_transaction():
        waybills.apply_accounts(records, [])


@pytest.fixture
def view(qtbot, demo_shop, qapp):
    apply_theme(qapp)
    _sync_accounts()
    w = WaybillAccountsView(ImmediateRunner())
    qtbot.addWidget(w)
    w.resize(1280, 800)
    w.show()
    with qtbot.waitSignal(w.shown):
        w.refresh()
    return w


def _rows(w) -> list[list[str]]:
    return [[w.table.item(r, c).text() for c in range(len(COLUMNS))] for r in range(w.table.rowCount())]


def test_platform_and_local_accounts_show_balance_branch_and_address(view):
    rows = {(r[0], r[2]): r for r in _rows(view)}
    zto = rows[("中通快递", "平台电子面单")]
    assert zto[1] == "中通快递 上海浦东张江网点" and zto[3] == "12" and zto[6].startswith("上海市")
    assert zto[7] == ""  # the demo's local 中通 pool stays the default of 中通
    yto = rows[("圆通快递", "平台电子面单")]
    assert (yto[3], yto[4], yto[5], yto[7]) == ("2,980", "20", "3", "默认")  # first 圆通 default
    assert ("中通快递", "本地单号") in rows and rows[("中通快递", "本地单号")][7] == "默认"
    low = view.table.item([r[0:3] for r in _rows(view)].index(zto[0:3]), 3)
    assert "余额不多" in low.toolTip()
    view.grab().save("/tmp/waybill_accounts.png")


def test_choosing_the_default_per_courier(view, qtbot):
    rows = _rows(view)
    target = next(i for i, r in enumerate(rows) if r[0] == "中通快递" and r[2] == "平台电子面单")
    view.table.selectRow(target)
    assert view.default_button.isEnabled()
    with qtbot.waitSignal(view.shown):
        view.default_button.click()
    rows = {(r[0], r[2]): r for r in _rows(view)}
    assert rows[("中通快递", "平台电子面单")][7] == "默认"
    assert rows[("中通快递", "本地单号")][7] == ""
    assert rows[("圆通快递", "平台电子面单")][7] == "默认"  # other couriers keep theirs
    assert "设为中通快递的默认网点" in view.status_label.text()


def test_voiding_an_unknown_number_says_so_and_changes_nothing(view):
    before = q("SELECT COUNT(*) FROM waybill_number WHERE state = 'cancelled'")
    view.void_edit.setText("NOPE123")
    view.void_button.click()
    assert view.status_label.text() == "找不到电子面单 NOPE123"
    assert q("SELECT COUNT(*) FROM waybill_number WHERE state = 'cancelled'") == before


def test_voiding_a_reserved_local_number_makes_it_unusable(view, qtbot):
    number, row_id = q("SELECT tracking_number, id FROM waybill_number WHERE state = 'free' LIMIT 1")[0]
    with write_transaction():
        q("UPDATE waybill_number SET state = 'allocated', order_id = 1 WHERE id = ?", row_id)
    view.void_edit.setText(number)
    with qtbot.waitSignal(view.shown):
        view.void_button.click()
    assert f"面单 {number} 已作废" in view.status_label.text()
    assert q("SELECT state FROM waybill_number WHERE tracking_number = ?", number) == [("cancelled",)]
    from pdd_desktop.services import orders

    assert (number, "本地单号", "已作废", "") in orders.order_detail(1).label_numbers
