"""The print component's WebSocket client and print documents (platform/print_component.py)."""

from __future__ import annotations

import json
import socket
import threading
import time

import pytest

from pdd_desktop.platform import print_component as pc
from pdd_desktop.platform.print_component import (
    ComponentTimeout,
    ComponentUnavailable,
    ContentKeys,
    PrintComponentClient,
    PrintDataError,
    PrintTask,
    SenderAddress,
    WebSocketClient,
    accept_key,
    build_document,
    encode_frame,
)
from tests.helpers.cloud_print import CUSTOM_TEMPLATE, fake_component, printable

# --- RFC 6455 vectors -----------------------------------------------------------------------


def test_accept_key_matches_rfc6455_example():
    # RFC 6455 §1.3: the sample nonce and its accept value.
    assert accept_key("dGhlIHNhbXBsZSBub25jZQ==") == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="


def test_frames_match_rfc6455_examples(monkeypatch):
    # RFC 6455 §5.7: an unmasked "Hello" and the same masked with 37 fa 21 3d.
    assert encode_frame(pc.OP_TEXT, b"Hello", mask=False) == bytes.fromhex("810548656c6c6f")
    monkeypatch.setattr(pc.os, "urandom", lambda n: bytes.fromhex("37fa213d"))
    assert encode_frame(pc.OP_TEXT, b"Hello") == bytes.fromhex("818537fa213d7f9f4d5158")


@pytest.mark.parametrize("size, header", [(125, "fd"), (126, "fe007e"), (65536, "ff0000000000010000")])
def test_frame_length_encodings(size, header, monkeypatch):
    monkeypatch.setattr(pc.os, "urandom", lambda n: b"\0\0\0\0")
    frame = encode_frame(pc.OP_TEXT, b"a" * size)
    assert frame[1:].startswith(bytes.fromhex(header))
    assert frame.endswith(b"a" * size)


# --- print documents ------------------------------------------------------------------------


def test_document_holds_print_data_sender_and_custom_area():
    wb = printable(3)
    doc = build_document(
        document_id=wb.waybill_code,
        waybill_code=wb.waybill_code,
        print_data=wb.print_data,
        sender=wb.sender,
        custom_template_url=CUSTOM_TEMPLATE,
        custom_data=wb.custom,
    )
    pd = json.loads(wb.print_data)
    first, custom = doc["contents"]
    assert doc["documentID"] == wb.waybill_code
    assert first["templateURL"] == pd["templateUrl"]
    assert first["encryptedData"] == pd["encryptedData"]
    assert first["signature"] == pd["signature"]
    assert first["addData"]["sender"]["address"]["city"] == "金华市"
    assert first["addData"]["sender"]["mobile"] == "13911112222"
    assert custom == {"templateURL": CUSTOM_TEMPLATE, "data": dict(wb.custom)}


def test_document_key_names_come_from_one_constant():
    wb = printable(1)
    keys = ContentKeys(standard_template="templateUrl", custom_template="templateURL")
    doc = build_document(
        document_id="d",
        waybill_code="w",
        print_data=wb.print_data,
        sender=None,
        custom_template_url=CUSTOM_TEMPLATE,
        keys=keys,
    )
    assert "templateUrl" in doc["contents"][0] and "templateURL" not in doc["contents"][0]
    assert "addData" not in doc["contents"][0]
    assert doc["contents"][1]["templateURL"] == CUSTOM_TEMPLATE


def test_document_without_custom_template_has_one_content():
    wb = printable(1)
    doc = build_document(document_id="d", waybill_code="w", print_data=wb.print_data, sender=wb.sender)
    assert len(doc["contents"]) == 1


@pytest.mark.parametrize(
    "print_data, words",
    [
        ("not json", "无法读取"),
        (json.dumps({"signature": "ab", "templateUrl": "u"}), "缺少 encryptedData"),
        (json.dumps({"encryptedData": "x", "signature": "", "templateUrl": "u"}), "缺少 signature"),
    ],
)
def test_bad_print_data_names_the_waybill(print_data, words):
    with pytest.raises(PrintDataError) as err:
        build_document(document_id="d", waybill_code="YT1", print_data=print_data, sender=None)
    assert "YT1" in str(err.value) and words in str(err.value)


# --- the client against the fake component --------------------------------------------------


def test_handshake_and_printers(tmp_path):
    with fake_component(tmp_path) as fake, PrintComponentClient(fake.url) as client:
        printers = client.get_printers()
    assert [p.name for p in printers] == ["热敏打印机 76×130（一号）", "热敏打印机 76×130（二号）"]
    assert printers[0].is_default and printers[0].online and not printers[1].is_default


def test_offline_printer_is_reported(tmp_path):
    with fake_component(tmp_path) as fake:
        fake.faults.offline.add("热敏打印机 76×130（二号）")
        with PrintComponentClient(fake.url) as client:
            printers = client.get_printers()
    assert [p.online for p in printers] == [True, False]


def test_fragmented_messages_and_pings(tmp_path):
    with fake_component(tmp_path) as fake:
        fake.faults.fragment_size = 7
        fake.faults.ping_before_reply = True
        with PrintComponentClient(fake.url) as client:
            printers = client.get_printers()
            result = client.print_task(
                PrintTask("t-frag", printers[0].name, (_doc(printable(1)),)), timeout=30
            )
            ws = client.websocket
            assert ws.fragmented_messages >= 2 and ws.pings_answered >= 2
    assert len(printers) == 2
    assert result.task_status == "printed" and result.documents[0].ok


def test_result_matched_by_task_id_with_another_reply_between(tmp_path):
    with fake_component(tmp_path) as fake, PrintComponentClient(fake.url) as client:
        fake.faults.doc_delay_s = 0.05
        printer = client.get_printers()[0].name
        client.submit(PrintTask("A", printer, (_doc(printable(1)),)))
        client.submit(PrintTask("B", printer, (_doc(printable(2)), _doc(printable(3)))))
        # A getPrinters answer arrives while A's result is already on the way.
        assert len(client.get_printers()) == 2
        b = client.wait_result("B", timeout=30)  # A's result comes first and is kept
        a = client.wait_result("A", timeout=30)
    assert (a.task_id, [d.document_id for d in a.documents]) == ("A", [printable(1).waybill_code])
    assert b.task_id == "B" and [d.document_id for d in b.documents] == [
        printable(2).waybill_code,
        printable(3).waybill_code,
    ]
    assert all(d.ok for d in a.documents + b.documents)


def test_component_absent(tmp_path):
    with fake_component(tmp_path) as fake:
        url = fake.url
        fake.set_running(False)
        with pytest.raises(ComponentUnavailable) as err:
            PrintComponentClient(url, connect_timeout=1).connect()
    assert "拼多多打印组件" in str(err.value) and "安装" in str(err.value)


def test_not_a_component_on_the_port():
    """A program answering HTTP without a valid accept key is not the component."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    port = server.getsockname()[1]

    def answer():
        conn, _ = server.accept()
        conn.recv(4096)
        conn.sendall(
            b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            b"Sec-WebSocket-Accept: bm90LXRoZS1yaWdodC1rZXk=\r\n\r\n"
        )
        time.sleep(0.2)
        conn.close()

    t = threading.Thread(target=answer)
    t.start()
    try:
        with pytest.raises(ComponentUnavailable) as err:
            WebSocketClient(f"ws://127.0.0.1:{port}", timeout=2).connect()
        assert "握手失败" in str(err.value)
    finally:
        t.join()
        server.close()


def test_reply_timeout(tmp_path):
    """A component that accepts the connection but never answers: a timeout in Chinese."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    port = server.getsockname()[1]
    done = threading.Event()

    def answer():
        conn, _ = server.accept()
        key = next(
            line.split(b":", 1)[1].strip()
            for line in conn.recv(4096).split(b"\r\n")
            if line.lower().startswith(b"sec-websocket-key")
        )
        conn.sendall(
            b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            b"Sec-WebSocket-Accept: " + accept_key(key.decode()).encode() + b"\r\n\r\n"
        )
        done.wait(5)
        conn.close()

    t = threading.Thread(target=answer)
    t.start()
    try:
        client = PrintComponentClient(f"ws://127.0.0.1:{port}", reply_timeout=0.3).connect()
        with pytest.raises(ComponentTimeout) as err:
            client.get_printers()
        assert "没有应答" in str(err.value)
        client.close()
    finally:
        done.set()
        t.join()
        server.close()


def test_sender_as_json_shape():
    s = SenderAddress("店", "139", "0571", "浙江省", "杭州市", "西湖区", "", "文三路")
    assert s.as_json() == {
        "name": "店",
        "mobile": "139",
        "phone": "0571",
        "address": {
            "province": "浙江省",
            "city": "杭州市",
            "district": "西湖区",
            "town": "",
            "detail": "文三路",
        },
    }


def _doc(wb):
    return build_document(
        document_id=wb.waybill_code, waybill_code=wb.waybill_code, print_data=wb.print_data, sender=wb.sender
    )
