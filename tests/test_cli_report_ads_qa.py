"""``pdd-desktop report ads-roi`` on a shop without ad reports says so instead of a bare 合计 of zeros."""

from __future__ import annotations

from tests.test_cli_report import _read, _run, shop  # noqa: F401


def test_ads_roi_without_reports_tells_how_to_get_one(shop, tmp_path, capsys):  # noqa: F811
    out = tmp_path / "ads.csv"
    _run(shop, "ads-roi", out)
    printed = capsys.readouterr().out
    assert "还没有推广报表" in printed and "导入推广报表" in printed
    assert _read(out)[1][:5] == ["合计", "", "", "", "0.00"]  # the file itself is unchanged in form
