"""The sandbox's fake print component: its checks, its rendered labels, its fault switches."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from pdd_desktop.platform.print_component import (
    ComponentRefused,
    PrintComponentClient,
    PrintTask,
    build_document,
)
from pdd_desktop.sandbox.print_component import PRINTERS
from pdd_desktop.sandbox.waybill_print import seal
from tests.helpers.cloud_print import CUSTOM_TEMPLATE, fake_component, printable, waybill_dict


def _doc(wb, **kw):
    return build_document(
        document_id=wb.waybill_code,
        waybill_code=wb.waybill_code,
        print_data=wb.print_data,
        sender=wb.sender,
        custom_template_url=CUSTOM_TEMPLATE,
        custom_data=wb.custom,
        **kw,
    )


def _print(fake, docs, task_id="t1"):
    with PrintComponentClient(fake.url) as client:
        return client.print_task(PrintTask(task_id, PRINTERS[0], tuple(docs)), timeout=60)


def test_tampered_signature_is_refused(tmp_path):
    good, bad = printable(1), printable(2)
    doc = _doc(bad)
    doc["contents"][0]["signature"] = "0" * 64
    with fake_component(tmp_path) as fake:
        result = _print(fake, [_doc(good), doc])
    assert result.task_status == "failed"
    assert result.status_of(good.waybill_code).ok
    refused = result.status_of(bad.waybill_code)
    assert refused.status == "failed" and "校验失败" in refused.message
    assert [p.waybill_code for p in fake.printed] == [good.waybill_code]


def test_data_from_another_secret_is_refused(tmp_path):
    wb = printable(1, secret="another-platform-secret")
    with fake_component(tmp_path) as fake:
        result = _print(fake, [_doc(wb)])
    assert not result.documents[0].ok and fake.printed == []


def test_unknown_template_is_refused(tmp_path):
    wb = printable(1, template="https://example.com/cloudprint/std/YTO/76x130.xml")
    with fake_component(tmp_path) as fake:
        result = _print(fake, [_doc(wb)])
    assert result.documents[0].status == "failed" and "模板" in result.documents[0].message
    assert fake.printed == []


def test_either_template_key_casing_is_read(tmp_path):
    from pdd_desktop.platform.print_component import ContentKeys

    wb = printable(1)
    with fake_component(tmp_path) as fake:
        result = _print(fake, [_doc(wb, keys=ContentKeys(standard_template="templateUrl"))])
    assert result.documents[0].ok


def test_offline_printer_refuses_the_task(tmp_path):
    with fake_component(tmp_path) as fake:
        fake.faults.offline.add(PRINTERS[0])
        with pytest.raises(ComponentRefused) as err:
            _print(fake, [_doc(printable(1))])
    assert "离线" in str(err.value)
    assert fake.printed == [] and fake.tasks_received == 0


def test_failing_half_way(tmp_path):
    docs = [_doc(printable(i)) for i in range(5)]
    with fake_component(tmp_path) as fake:
        fake.faults.fail_after = 3
        result = _print(fake, docs)
    assert [d.status for d in result.documents] == ["success"] * 3 + ["failed"] * 2
    assert result.documents[3].message == "打印机缺纸"
    assert len(fake.printed) == 3


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler's pdftotext")
def test_rendered_label_shows_sort_code_receiver_sender_and_custom_area(tmp_path):
    wb = printable(7)
    clear = waybill_dict(7)
    with fake_component(tmp_path) as fake:
        result = _print(fake, [_doc(wb)])
    assert result.documents[0].ok
    pdf = fake.printed[0].pdf
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = " ".join(text.split())
    assert clear["sort_code"] in flat  # 三段码
    assert "集包地 杭州转运中心" in flat
    assert clear["recipient"]["name"] in flat and clear["recipient"]["mobile"] in flat
    assert "人民南路四段 7 号" in flat
    assert "小王的店" in flat and "平台里的寄件人" not in flat  # addData.sender replaces the sealed one
    assert wb.waybill_code in flat and "圆通快递" in flat
    assert "订单号 261123-100007" in flat and "纯棉短袖T恤 白/L ×1" in flat and "备注 加急" in flat
    # The 三段码 is the biggest text on the label.
    sizes = _font_sizes(pdf)
    assert sizes[clear["sort_code"].split()[0]] == max(sizes.values())


def _font_sizes(pdf) -> dict[str, float]:
    """Word → font height from ``pdftotext -bbox`` (yMax - yMin)."""
    out = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    sizes: dict[str, float] = {}
    for line in out.splitlines():
        line = line.strip()
        if line.startswith("<word "):
            attrs = dict(part.split("=", 1) for part in line[6 : line.index(">")].split())
            word = line[line.index(">") + 1 : line.rindex("<")]
            h = float(attrs["yMax"].strip('"')) - float(attrs["yMin"].strip('"'))
            sizes[word] = max(sizes.get(word, 0.0), h)
    return sizes


def test_server_refuses_unmasked_client_frames(tmp_path):
    """RFC 6455 §5.1: a server closes the connection on an unmasked client frame."""
    import socket

    from pdd_desktop.platform.print_component import encode_frame

    with fake_component(tmp_path) as fake:
        ws = PrintComponentClient(fake.url).connect().websocket
        sock = ws._io.sock
        sock.sendall(
            encode_frame(0x1, json.dumps({"cmd": "getPrinters", "requestID": "r"}).encode(), mask=False)
        )
        sock.settimeout(5)
        data = sock.recv(100)
        assert data[:1] == b"\x88"  # close
        ws.close()
        assert isinstance(sock, socket.socket)


def test_sealed_data_shape_matches_the_shared_contract():
    # The fake opens exactly what the sandbox platform seals.
    from pdd_desktop.sandbox.waybill_print import open_document, standard_template_url

    pd = json.loads(seal("k", waybill_dict(1), standard_template_url("YTO")))
    assert open_document("k", pd)["sort_code"] == waybill_dict(1)["sort_code"]


def test_sandbox_cli_starts_the_fake_component_with_the_shops_secret(tmp_path, capsys):
    import argparse
    import threading

    from pdd_desktop.sandbox import cli as sandbox_cli
    from pdd_desktop.sandbox.waybill_print import standard_template_url
    from pdd_desktop.services.cloud_print import PrintableWaybill, print_waybills

    parser = argparse.ArgumentParser()
    handler = sandbox_cli.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(
        ["sandbox", "--orders", "50", "--seed", "3", "--data-dir", str(tmp_path / "d"), "--print-port", "0"]
    )
    stop = threading.Event()
    codes: list[int] = []
    thread = threading.Thread(target=lambda: codes.append(handler(args, stop=stop)))
    thread.start()
    out = ""
    try:
        for _ in range(400):
            out += capsys.readouterr().out
            if "模拟拼多多打印组件" in out:
                break
            stop.wait(0.05)
        ws = next(
            line.split("：", 1)[1].split()[0] for line in out.splitlines() if "模拟拼多多打印组件" in line
        )
        secret = next(line.split("：", 1)[1] for line in out.splitlines() if line.startswith("client_secret"))
        assert ws.startswith("ws://127.0.0.1:") and not ws.endswith(":0")
        wb = waybill_dict(1)
        label = PrintableWaybill((1,), wb["waybill_code"], seal(secret, wb, standard_template_url("YTO")))
        result = print_waybills([label], url=ws)
        assert [o.status for o in result.outcomes] == ["printed"]
        assert list((tmp_path / "d" / "printed").glob("task-*.pdf"))
    finally:
        stop.set()
        thread.join(10)
    assert codes == [0]
