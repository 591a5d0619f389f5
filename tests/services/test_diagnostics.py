"""The diagnostics package: logs, settings and a summary, with personal data and secrets removed."""

from __future__ import annotations

import json
import zipfile

import pytest

from pdd_desktop.cli.main import main
from pdd_desktop.common.task import Cancelled, TaskContext
from pdd_desktop.data.db import database, write_transaction
from pdd_desktop.platform.credentials import Credentials, save_credentials
from pdd_desktop.services import addresses, diagnostics, settings

PHONE = "13912345678"
RECEIVER = "欧阳娜娜"
ADDRESS = "人民路123号4栋502室"
SECRET = "appSecret-9f8e7d"
ACCESS = "accessTok-1a2b3c"
REFRESH = "refreshTok-4d5e6f"
SENDER = "赵店长"
SENDER_PHONE = "16512340415"
#: Every value that must not appear anywhere in the package, in any form.
FORBIDDEN = (
    PHONE,
    "１３９１２３４５６７８",
    "139 1234 5678",
    "139-1234-5678",
    RECEIVER,
    ADDRESS,
    "4栋502室",
    SECRET,
    ACCESS,
    REFRESH,
    SENDER,
    SENDER_PHONE,
    "Pa55word",
)

LOG_LINES = [
    f"INFO ship to {PHONE} failed",
    "WARNING phone １３９１２３４５６７８ and 0086 139 1234 5678 and +86-139-1234-5678 and 8613912345678",
    f'ERROR platform answered {{"receiver_name": "{RECEIVER}", "receiver_phone": "{PHONE}", '
    f'"receiver_address": "浙江省杭州市西湖区{ADDRESS}"}}',
    f"ERROR record: 收件人：{RECEIVER}，地址：{ADDRESS}，电话：{PHONE}",
    f"ERROR free text 寄往 {ADDRESS} 失败",
    "ERROR 订单 261123-123456789012345 没有发出",
    f"DEBUG form client_secret={SECRET}&access_token={ACCESS}&refresh_token={REFRESH}",
    f'DEBUG json {{"client_secret": "{SECRET}", "access_token": "{ACCESS}", "refresh_token": "{REFRESH}"}}',
    f"DEBUG headers Authorization: Bearer {ACCESS}",
    f"DEBUG yaml refresh_token: {REFRESH}",
    f"DEBUG bare token {ACCESS} in a message",
    "WARNING gateway http://shopuser:Pa55word@gw.example.com/api/router unreachable",
    f"INFO sender {SENDER} {SENDER_PHONE}",
]


@pytest.fixture
def leaky_shop(empty_shop):
    """A shop whose logs, settings and keychain hold every kind of personal data and secret."""
    addresses.save_sender_address(
        address_id=None,
        form=addresses.AddressForm(
            contact_name=SENDER, phone=SENDER_PHONE, province="浙江省", city="金华市", district="义乌市",
            detail="宾王路158号",
        ),
    )  # fmt: skip
    settings.update_settings(
        invoice_seller_title="杭州某某日用品有限公司",
        invoice_seller_address_phone=f"杭州市西湖区{ADDRESS} {PHONE}",
    )
    with write_transaction():
        database.execute_sql(
            "INSERT INTO setting (key, value_json, updated_at) VALUES (?, ?, 0)",
            (
                "legacy_api",
                json.dumps(
                    {
                        "client_secret": SECRET,
                        "token": ACCESS,
                        "note": f"refresh_token={REFRESH} 电话 {PHONE}",
                    }
                ),
            ),
        )
        database.execute_sql(
            "INSERT INTO setting (key, value_json, updated_at) VALUES ('buyer_note', ?, 0)",
            (json.dumps(f"收件人：{RECEIVER} 电话 {PHONE}"),),
        )
    save_credentials(
        empty_shop.shop,
        Credentials("https://gw-api.pinduoduo.com/api/router", "cid-123", SECRET, ACCESS, REFRESH),
    )
    empty_shop.log_dir.mkdir(parents=True, exist_ok=True)
    (empty_shop.log_dir / "app.log").write_text("\n".join(LOG_LINES) + "\n", encoding="utf-8")
    (empty_shop.log_dir / "app.log.1").write_text(LOG_LINES[0] + "\n", encoding="utf-8")
    (empty_shop.log_dir / "sync.log").write_text("\n".join(reversed(LOG_LINES)) + "\n", encoding="utf-8")
    return empty_shop


MACHINE = {
    "print/label_printer": "Deli DL-888",
    "api/access_token": ACCESS,
    "import/watch_folder": "/home/shop/下载",
    "support/note": f"Bearer {ACCESS} {PHONE}",
}


def _read_zip(path):
    with zipfile.ZipFile(path) as zf:
        return {name: zf.read(name).decode("utf-8") for name in zf.namelist()}


def test_package_holds_logs_settings_and_summary_without_personal_data(leaky_shop, tmp_path):
    out = tmp_path / "out" / "诊断包.zip"
    package = diagnostics.export_diagnostics(
        leaky_shop, out, machine_settings=MACHINE, extra_versions={"Qt": "6.x"}
    )
    assert package.path == out and out.exists() and package.size_bytes == out.stat().st_size
    files = _read_zip(out)
    assert {"说明.txt", "summary.json", "settings/shop.json", "settings/computer.json"} <= set(files)
    assert {"logs/app.log", "logs/app.log.1", "logs/sync.log"} <= set(files)
    for name, text in files.items():
        for value in FORBIDDEN:
            assert value not in text, f"{value!r} in {name}"
    log = files["logs/app.log"]
    assert "139****5678" in log and "gw.example.com" in log and "261123-123456789012345" in log
    assert log.count("\n") == len(LOG_LINES)  # every line kept, only values hidden

    summary = json.loads(files["summary.json"])
    assert summary["app_version"] and summary["versions"]["Qt"] == "6.x"
    assert {"Python", "SQLite", "PySide6", "ReportLab"} <= set(summary["versions"])
    assert summary["schema_version"] >= 1
    assert summary["table_rows"]["address"] == 1 and summary["table_rows"]["order"] == 0
    assert not any(name.startswith("order_sn_fts_") for name in summary["table_rows"])
    assert summary["sync"]["outbox_by_state"] == {} and summary["sync"]["open_conflicts"] == 0

    shop_settings = json.loads(files["settings/shop.json"])
    assert shop_settings["invoice_seller_title"] == "***"
    assert shop_settings["legacy_api"]["client_secret"] == "***"
    computer = json.loads(files["settings/computer.json"])
    assert computer["import/watch_folder"] == "/home/shop/下载"
    assert computer["api/access_token"] == "***"


def test_unlabelled_receiver_names_of_the_shop_are_removed(demo_shop, tmp_path):
    (name, nick), (other,) = (
        database.execute_sql(
            'SELECT receiver_name, buyer_nickname FROM "order" WHERE length(receiver_name) = 3 LIMIT 1'
        ).fetchone(),
        database.execute_sql(
            'SELECT receiver_name FROM "order" WHERE length(receiver_name) = 2 LIMIT 1'
        ).fetchone(),
    )
    demo_shop.log_dir.mkdir(parents=True, exist_ok=True)
    (demo_shop.log_dir / "app.log").write_text(
        f"ERROR 寄给{name}的包裹退回\nERROR {other} 的订单没有发出，买家 {nick}\nINFO 同步完成\n",
        encoding="utf-8",
    )
    files = _read_zip(diagnostics.export_diagnostics(demo_shop, tmp_path / "d.zip").path)
    log = files["logs/app.log"]
    assert name not in log and other not in log and nick not in log
    assert "同步完成" in log and "的包裹退回" in log
    summary = json.loads(files["summary.json"])
    assert summary["table_rows"]["order"] == 3000


def test_cancel_writes_nothing(leaky_shop, tmp_path):
    task = TaskContext()
    task.cancel()
    out = tmp_path / "out" / "d.zip"
    with pytest.raises(Cancelled):
        diagnostics.export_diagnostics(leaky_shop, out, task=task)
    assert not out.exists() and not list(out.parent.glob("*"))


def test_about_info_names_versions_and_folders(leaky_shop):
    info = diagnostics.about_info(leaky_shop)
    names = dict(info.versions)
    assert {"Python", "SQLite", "PySide6", "ReportLab"} <= set(names)
    assert info.schema_version == info.latest_schema_version >= 1
    assert info.log_dir == leaky_shop.log_dir and info.db_file == leaky_shop.db_file


def test_cli_diagnose_writes_the_package(leaky_shop, tmp_path, capsys):
    data, shop = str(leaky_shop.data_dir), leaky_shop.shop
    out = tmp_path / "cli.zip"
    assert main(["diagnose", "--out", str(out), "--data-dir", data, "--shop", shop]) == 0
    printed = capsys.readouterr().out
    assert "诊断包已导出" in printed and str(out) in printed
    for name, text in _read_zip(out).items():
        for value in FORBIDDEN:
            assert value not in text, f"{value!r} in {name}"
    assert main(["diagnose", "--out", str(tmp_path / "x.txt"), "--data-dir", data, "--shop", shop]) == 2
    assert ".zip" in capsys.readouterr().err
    assert not (tmp_path / "x.txt").exists()


def test_cli_diagnose_help_is_chinese(capsys):
    with pytest.raises(SystemExit):
        main(["diagnose", "--help"])
    text = capsys.readouterr().out
    assert "诊断包" in text and "--out 文件" in text
