"""资金 sync: the sandbox's daily bills through ``pdd.finance.balance.daily.bill.url.get``."""

from __future__ import annotations

import io
import zipfile

import httpx
import pytest

from pdd_desktop.platform.errors import BusinessError
from pdd_desktop.sandbox import bills as sb
from pdd_desktop.services.sync.areas import funds as area
from tests.helpers.db import one, q
from tests.helpers.sync_rig import make_rig


def test_daily_bills_arrive_once_and_match_the_sandbox_ledger(tmp_path, tmp_path_factory):
    rig = make_rig(tmp_path, tmp_path_factory)
    try:
        days = area.days_to_fetch(rig.shop.platform_now())
        assert len(days) == area.FIRST_DAYS
        report = rig.engine(source="demo").run_once(streams=["bills"])
        assert report.outcome == "ok", report
        start, end = sb.day_start(days[0]), sb.day_start(days[-1]) + 86_400
        # The oracle: the sandbox's ledger over the same days, summed independently.
        lines = rig.shop.bills.lines(start, end)
        assert lines and any(ln.description == sb.INCOME for ln in lines)
        assert one("SELECT COUNT(*) FROM bill_entry")[0] == len(lines)
        assert one("SELECT SUM(amount_fen) FROM bill_entry")[0] == sum(ln.amount_fen for ln in lines)
        by_code: dict[str, int] = {}
        for ln in lines:
            by_code[ln.description] = by_code.get(ln.description, 0) + ln.amount_fen
        assert dict(q("SELECT description, SUM(amount_fen) FROM bill_entry GROUP BY description")) == by_code
        assert one("SELECT COUNT(*) FROM bill_period WHERE source = 'api'")[0] == len(days)
        # Nothing new to fetch, nothing doubled.
        assert area.days_to_fetch(rig.shop.platform_now()) == []
        again = rig.engine(source="demo").run_once(streams=["bills"])
        assert again.outcome == "ok"
        assert one("SELECT COUNT(*) FROM bill_entry")[0] == len(lines)
    finally:
        rig.close()


def test_the_bill_url_serves_the_zip_and_refuses_unfinished_days(tmp_path, tmp_path_factory):
    rig = make_rig(tmp_path, tmp_path_factory)
    try:
        client = rig.client()
        day = area.days_to_fetch(rig.shop.platform_now())[-1]
        url = client.call(area.API, {"bill_date": day})["download_url"]
        assert url.startswith("http://127.0.0.1:")
        data = httpx.get(url).content
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            (name,) = zf.namelist()
            text = zf.read(name).decode("gb18030")
        assert name.endswith(".csv") and "商户订单号,发生时间,收入金额（+元）" in text
        assert httpx.get(url.replace("sig=", "sig=0")).status_code == 404
        with pytest.raises(BusinessError, match="尚未生成"):
            client.call(area.API, {"bill_date": "2099-01-01"})
    finally:
        rig.close()
