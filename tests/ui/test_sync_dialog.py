"""The 同步 window: the log in the merchant's words, empty tables that say what would be there,
and 立即上传 for waiting uploads."""

from __future__ import annotations

import pytest

from pdd_desktop.data.db import database
from pdd_desktop.jobs.runner import ImmediateRunner
from pdd_desktop.services import orders
from pdd_desktop.services.sync.runs import finish_run, start_run
from pdd_desktop.ui.dialogs.sync_dialog import SyncDialog
from tests.helpers.db import q


def execute(sql: str) -> None:
    with database.atomic():
        database.execute_sql(sql)


def _log_runs():
    rid = start_run("pull", "orders")
    finish_run(rid, pages=1, upserted=1, skipped=0, errors=0, outcome="ok",
               detail="1 个时间窗，1 页，更新 1，跳过旧版本 0")  # fmt: skip
    rid = start_run("pull", "goods")
    finish_run(rid, pages=3, upserted=0, skipped=2, errors=0, outcome="ok",
               detail="0 个时间窗，3 页，更新 0，跳过旧版本 2")  # fmt: skip
    rid = start_run("push", "")
    finish_run(rid, pages=2, upserted=1, skipped=0, errors=1, outcome="ok",
               detail="发送 2，成功 1，失败 1，冲突 0，等待 0")  # fmt: skip
    rid = start_run("pull", "after_sales")
    finish_run(rid, pages=0, upserted=0, skipped=0, errors=1, outcome="offline",
               detail="无法连接平台：网络不可用")  # fmt: skip


@pytest.fixture
def dialog(qtbot, demo_shop, qapp):
    dlg = SyncDialog(ImmediateRunner())
    qtbot.addWidget(dlg)
    return dlg


def _cells(table, column):
    return [table.item(r, column).text() for r in range(table.rowCount())]


def test_the_log_speaks_the_merchants_language(dialog):
    _log_runs()
    dialog.reload()
    table = dialog.log_table
    headers = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    assert headers == ["时间", "内容", "结果", "说明"]
    text = dict(zip(_cells(table, 1), _cells(table, 3), strict=True))
    assert text["订单"] == "订单：更新 1 笔"
    assert text["商品"] == "没有新变化"
    assert text["上传本地修改"] == "上传成功 1 项，1 项未成功，见“待上传”或“冲突”"
    assert text["售后"] == "无法连接平台：网络不可用"
    shown = " ".join(_cells(table, c)[r] for r in range(table.rowCount()) for c in range(4))
    for internal in ("时间窗", "页", "跳过", "旧版本", "冲突 0", "等待 0", "pull", "push", "orders"):
        assert internal not in shown.replace("见“待上传”或“冲突”", ""), internal
    assert not dialog.log_empty.isVisibleTo(dialog)


def test_empty_tables_say_what_would_appear_there(dialog):
    dialog.show()
    assert dialog.outbox_table.rowCount() == 0
    assert dialog.outbox_empty.isVisibleTo(dialog) and not dialog.outbox_table.isVisibleTo(dialog)
    assert "没有待上传的修改" in dialog.outbox_empty.text()
    dialog.tabs.setCurrentIndex(1)
    assert dialog.conflict_empty.isVisibleTo(dialog) and "没有冲突" in dialog.conflict_empty.text()
    dialog.tabs.setCurrentIndex(2)
    assert dialog.log_empty.isVisibleTo(dialog) and "还没有同步记录" in dialog.log_empty.text()
    _log_runs()
    dialog.reload()
    assert dialog.log_table.isVisibleTo(dialog) and not dialog.log_empty.isVisibleTo(dialog)


def test_upload_now_asks_for_a_run_when_uploads_wait(dialog, qtbot):
    assert not dialog.upload_button.isEnabled()  # nothing waits
    (order_id,) = q('SELECT id FROM "order" WHERE status = 1 ORDER BY id LIMIT 1')[0]
    orders.set_seller_memo(order_id=order_id, memo="周末送", flag=None)
    dialog.reload()
    assert dialog.outbox_table.rowCount() == 1 and not dialog.outbox_empty.isVisibleTo(dialog)
    assert dialog.upload_button.isEnabled() and "1 项" in dialog.upload_button.text()
    with qtbot.waitSignal(dialog.sync_requested, timeout=1000):
        dialog.upload_button.click()
    assert "正在上传" in dialog.message_label.text()
    # a failed op waits for the merchant (重试 or 放弃), not for 立即上传
    execute("UPDATE outbox SET state = 'failed_permanent'")
    dialog.reload()
    assert dialog.outbox_table.rowCount() == 1 and not dialog.upload_button.isEnabled()
