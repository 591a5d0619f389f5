"""``pdd-desktop check-reply`` and ``pdd-desktop report cs-daily``."""

from __future__ import annotations

import csv
from datetime import date

from pdd_desktop.cli import main
from pdd_desktop.common.paths import shop_paths
from pdd_desktop.services import shop as shop_service
from pdd_desktop.services.cs_import import import_cs_export
from tests.services.test_cs_import import agent_rows, write


def test_check_reply_finds_and_exits_1(capsys):
    assert main(["check-reply", "加我ｖ 信 13912345678"]) == 1
    out = capsys.readouterr().out
    assert "加我【ｖ 信】 【13912345678】" in out
    assert "微信号或其变体" in out and "手机号或电话号码" in out


def test_check_reply_clean_exits_0(capsys):
    assert main(["check-reply", "亲，您的订单已发货，中通快递 731234567890"]) == 0
    assert "可以发送" in capsys.readouterr().out


def test_report_cs_daily(tmp_path, capsys):
    data = tmp_path / "data"
    assert main(["--data-dir", str(data), "shop", "create", "小店"]) == 0
    paths = shop_paths(data, "小店")
    shop_service.open_shop(paths)
    import_cs_export(write(tmp_path / "绩效.csv", agent_rows()))
    shop_service.close_shop()
    out = tmp_path / "cs.csv"
    code = main(
        [
            "--data-dir",
            str(data),
            "--shop",
            "小店",
            "report",
            "cs-daily",
            "--from",
            "2026-12-01",
            "--to",
            "2026-12-01",
            "--out",
            str(out),
        ]
    )
    assert code == 0, capsys.readouterr()
    with out.open(encoding="utf-8-sig") as fh:
        rows = list(csv.reader(fh))
    assert rows[0][:5] == ["日期", "客服", "咨询人数", "需要人工回复的咨询人数", "3分钟人工回复率(8-23点)"]
    by_agent = {r[1]: r for r in rows[1:]}
    assert set(by_agent) == {"小美", "阿强", "小林"}
    assert by_agent["阿强"][4:7] == ["75.00%", "80.00%", "未达标"]
    assert by_agent["小林"][4:7] == ["95.24%", "80.00%", "达标"]
    assert by_agent["小美"][0] == date(2026, 12, 1).isoformat()
