"""推广 reports as a merchant meets them (QA round): an export with nothing in its range says why."""

from __future__ import annotations

from datetime import date

from pdd_desktop.services import ads, reports
from tests.services.test_ads import _import, _shop, _write


def test_ads_roi_table_notes_why_it_is_empty(empty_shop, tmp_path):
    table = reports.ads_roi_table(ads.ads_view(first=date(2026, 11, 1), last=date(2026, 11, 30)))
    assert "还没有推广报表" in table.note and len(table.rows) == 1
    _shop()
    _import(_write(tmp_path / "r.xlsx"))
    before = reports.ads_roi_table(ads.ads_view(first=date(2026, 10, 1), last=date(2026, 10, 31)))
    assert before.note == "所选日期内没有推广数据（已导入的报表最新到 2026-11-30）。"
    within = reports.ads_roi_table(ads.ads_view(first=date(2026, 11, 1), last=date(2026, 11, 30)))
    assert within.note == "" and len(within.rows) > 1
