"""Print sessions through the print component (services/cloud_print.py) against the fake."""

from __future__ import annotations

import json

import pytest

from pdd_desktop.common.task import TaskContext
from pdd_desktop.domain.errors import ValidationError
from pdd_desktop.platform.print_component import ComponentUnavailable, PrintDataError, PrinterOffline
from pdd_desktop.sandbox.print_component import PRINTERS
from pdd_desktop.services import cloud_print
from pdd_desktop.services.cloud_print import (
    FAILED,
    NOT_SENT,
    PRINTED,
    UNKNOWN,
    detect_component,
    print_waybills,
)
from tests.helpers.cloud_print import CUSTOM_TEMPLATE, fake_component, printable


def test_full_session_prints_every_label(tmp_path):
    labels = [printable(i) for i in range(45)]
    task = TaskContext()
    with fake_component(tmp_path) as fake:
        result = print_waybills(labels, custom_template_url=CUSTOM_TEMPLATE, task=task, url=fake.url)
    assert result.printer == PRINTERS[0]
    assert [o.status for o in result.outcomes] == [PRINTED] * 45
    assert [o.waybill_code for o in result.outcomes] == [wb.waybill_code for wb in labels]
    assert result.printed_order_ids == tuple(1000 + i for i in range(45))
    assert fake.tasks_received == 3  # batches of 20
    assert sorted(p.waybill_code for p in fake.printed) == sorted(wb.waybill_code for wb in labels)
    snap = task.snapshot()
    assert (snap.done, snap.total) == (45, 45) and "45 / 45" in snap.label
    assert result.summary() == "已打印 45 张"


def test_detect_lists_printers(tmp_path):
    with fake_component(tmp_path) as fake:
        printers = detect_component(fake.url)
    assert [p.name for p in printers] == list(PRINTERS)


def test_component_absent_sends_nothing_and_says_how_to_install(tmp_path):
    with fake_component(tmp_path) as fake:
        fake.set_running(False)
        with pytest.raises(ComponentUnavailable) as err:
            print_waybills([printable(1)], url=fake.url, connect_timeout=1)
        with pytest.raises(ComponentUnavailable):
            detect_component(fake.url, timeout=1)
        assert fake.tasks_received == 0
    text = str(err.value)
    assert "没有检测到拼多多打印组件" in text and "安装" in text and "mms.pinduoduo.com" in text


def test_component_running_again_after_the_switch(tmp_path):
    with fake_component(tmp_path) as fake:
        fake.set_running(False)
        fake.set_running(True)
        result = print_waybills([printable(1)], url=fake.url)
    assert result.printed and result.outcomes[0].status == PRINTED


def test_printer_offline_sends_nothing(tmp_path):
    with fake_component(tmp_path) as fake:
        fake.faults.offline.add(PRINTERS[1])
        with pytest.raises(PrinterOffline) as err:
            print_waybills([printable(1)], printer=PRINTERS[1], url=fake.url)
        assert fake.tasks_received == 0 and fake.printed == []
    assert "离线" in str(err.value) and PRINTERS[1] in str(err.value)


def test_printer_going_offline_mid_session(tmp_path):
    """The component refuses the next task: what printed counts, the rest is not sent."""
    labels = [printable(i) for i in range(60)]

    class GoOffline(TaskContext):
        def report(self, done, total=None, label=None):
            super().report(done, total, label)
            if done >= 20:
                fake.faults.offline.add(PRINTERS[0])

    with fake_component(tmp_path) as fake:
        fake.faults.doc_delay_s = 0.002
        result = print_waybills(labels, url=fake.url, task=GoOffline())
    printed = result.with_status(PRINTED)
    assert len(printed) == len(fake.printed) and len(printed) >= 20
    assert all(o.status in (PRINTED, NOT_SENT) for o in result.outcomes)
    assert result.with_status(NOT_SENT)
    assert "离线" in result.problem


def test_unknown_printer_is_refused(tmp_path):
    with fake_component(tmp_path) as fake, pytest.raises(Exception) as err:
        print_waybills([printable(1)], printer="不存在的打印机", url=fake.url)
    assert "找不到打印机「不存在的打印机」" in str(err.value)


def test_task_failing_half_way_reports_exactly_the_failed_labels(tmp_path):
    labels = [printable(i) for i in range(50)]
    with fake_component(tmp_path) as fake:
        fake.faults.fail_after = 27
        result = print_waybills(labels, url=fake.url)
        printed_by_fake = {p.waybill_code for p in fake.printed}
    assert [o.status for o in result.outcomes] == [PRINTED] * 27 + [FAILED] * 23
    assert {o.waybill_code for o in result.printed} == printed_by_fake
    assert all(o.message == "打印机缺纸" for o in result.with_status(FAILED))
    assert result.summary() == "已打印 27 张，打印失败 23 张"


def test_a_refused_label_is_failed_and_the_rest_print(tmp_path):
    labels = [printable(i) for i in range(5)]
    pd = json.loads(labels[2].print_data)
    pd["signature"] = "f" * 64
    labels[2] = cloud_print.PrintableWaybill(
        labels[2].order_ids, labels[2].waybill_code, json.dumps(pd), labels[2].sender, labels[2].custom
    )
    with fake_component(tmp_path) as fake:
        result = print_waybills(labels, url=fake.url)
    assert [o.status for o in result.outcomes] == [PRINTED, PRINTED, FAILED, PRINTED, PRINTED]
    assert 1002 not in result.printed_order_ids


def test_cancel_mid_way_stops_sending_and_keeps_what_printed(tmp_path):
    labels = [printable(i) for i in range(200)]

    class CancelAfterFirstResult(TaskContext):
        def report(self, done, total=None, label=None):
            super().report(done, total, label)
            if done >= 1:
                self.cancel()

    with fake_component(tmp_path) as fake:
        result = print_waybills(labels, url=fake.url, task=CancelAfterFirstResult(), batch_size=10)
        sent = fake.tasks_received
        printed_by_fake = {p.waybill_code for p in fake.printed}
    assert result.cancelled
    assert sent == cloud_print.MAX_IN_FLIGHT  # the tasks already at the component, no more
    assert {o.waybill_code for o in result.printed} == printed_by_fake
    assert len(result.printed) == 10 * sent
    assert [o.status for o in result.outcomes[10 * sent :]] == [NOT_SENT] * (200 - 10 * sent)
    assert "已取消" in result.summary()


def test_results_that_never_come_are_unknown(tmp_path):
    labels = [printable(i) for i in range(3)]
    with fake_component(tmp_path) as fake:
        fake.faults.drop_results = True
        result = print_waybills(labels, url=fake.url, result_timeout=lambda n: 0.5)
    assert [o.status for o in result.outcomes] == [UNKNOWN] * 3
    assert result.printed == () and "没有回报打印结果" in result.problem


def test_bad_print_data_sends_nothing(tmp_path):
    labels = [printable(1), cloud_print.PrintableWaybill((9,), "YT9", "{}", None, {})]
    with fake_component(tmp_path) as fake:
        with pytest.raises(PrintDataError) as err:
            print_waybills(labels, url=fake.url)
        assert fake.tasks_received == 0
    assert "YT9" in str(err.value)


def test_duplicate_waybill_is_refused_before_sending(tmp_path):
    with fake_component(tmp_path) as fake:
        with pytest.raises(ValidationError) as err:
            print_waybills([printable(1), printable(1)], url=fake.url)
        assert fake.tasks_received == 0
    assert "出现了两次" in str(err.value)
