"""``pdd-desktop report campaigns``: each row equals an independent computation over the order rows."""

from __future__ import annotations

import pytest

from pdd_desktop.common.paths import shop_paths
from pdd_desktop.common.timefmt import format_ts, local_date_start
from pdd_desktop.services import marketing as svc
from pdd_desktop.services import shop as shop_service
from tests.conftest import DEMO_NOW
from tests.services.test_marketing import _expected_coupon, _expected_previous
from tests.test_cli_report import FIRST, LAST, _read, _run, _yuan, shop  # noqa: F401

DAY = 86400


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_campaigns_report(shop, tmp_path, suffix):  # noqa: F811
    paths = shop_paths(shop)
    start = DEMO_NOW - 40 * DAY
    shop_service.open_shop(paths)
    try:
        svc.create_coupon(
            kind="shop",
            name="满49减5",
            discount_fen=500,
            min_order_fen=4900,
            quantity=900,
            start_at=start,
            end_at=DEMO_NOW + 30 * DAY,
        )
        svc.create_coupon(
            kind="shop",
            name="以后的券",
            discount_fen=300,
            min_order_fen=2000,
            quantity=9,
            start_at=DEMO_NOW + 20 * DAY,
            end_at=DEMO_NOW + 30 * DAY,
        )
    finally:
        shop_service.close_shop()
    out = tmp_path / f"campaigns{suffix}"
    _run(shop, "campaigns", out)
    rows = _read(out)
    assert rows[0][:8] == ["类型", "名称", "状态", "开始时间", "结束时间", "订单数", "件数", "成交额(元)"]
    assert [r[1] for r in rows[1:]] == ["满49减5"]  # the later coupon does not meet the range
    end = local_date_start(LAST) + DAY
    ids, gmv, units, disc, cost, missing, goods = _expected_coupon(
        paths.db_file, discount=500, min_order=4900, start=start, end=end
    )
    prev = _expected_previous(paths.db_file, goods, start, end)
    row = rows[1]
    assert row[2:5] == ["需在平台设置", format_ts(start), format_ts(end)]
    assert row[5:10] == [str(len(ids)), str(units), _yuan(gmv), _yuan(disc), _yuan(cost)]
    assert row[10] == (_yuan(gmv - cost) if cost or not missing else "")
    assert row[11:15] == [str(missing), str(prev.orders), str(prev.units), _yuan(prev.gmv_fen)]
    assert len(ids) > 0
