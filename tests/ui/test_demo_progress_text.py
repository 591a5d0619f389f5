"""First start: the demo build's progress says 生成订单 x / 30,000, the number the choice promised."""

from __future__ import annotations

from pdd_desktop import app as app_module
from pdd_desktop.common.task import TaskContext
from pdd_desktop.jobs import progress
from pdd_desktop.jobs.progress import ProgressPresenter
from pdd_desktop.ui.dialogs.welcome import CHOICES


def test_the_progress_dialog_counts_orders_out_of_the_promised_number(qtbot, monkeypatch):
    promise = next(text for key, _title, text in CHOICES if key == "demo")
    assert "约 3 万个订单" in promise and app_module.FIRST_RUN_DEMO_ORDERS == 30_000
    monkeypatch.setattr(progress, "DIALOG_AFTER_MS", 0)
    from PySide6.QtWidgets import QWidget

    parent = QWidget()
    qtbot.addWidget(parent)
    task = TaskContext("生成演示店铺")
    presenter = ProgressPresenter(task, parent, "正在生成演示店铺")
    task.report(12_000, app_module.FIRST_RUN_DEMO_ORDERS, "生成订单")
    qtbot.waitUntil(lambda: presenter.dialog is not None and "12,000" in presenter.dialog.labelText())
    dlg = presenter.dialog
    assert dlg.labelText() == "生成订单（12,000/30,000）"
    assert (dlg.value(), dlg.maximum()) == (12_000, 30_000)
    task.report(30_000, 0, "订单已生成，正在生成商品与库存")
    qtbot.waitUntil(lambda: dlg.labelText() == "订单已生成，正在生成商品与库存")
    assert (dlg.minimum(), dlg.maximum()) == (0, 0)  # a named step without a count: a busy bar
    presenter.finish()
