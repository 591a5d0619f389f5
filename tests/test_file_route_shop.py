"""A shop fed only by files: created by an import, then it ships, prints and exports without any API."""

from __future__ import annotations

import csv

from pdd_desktop.common.paths import shop_paths
from pdd_desktop.services import imports, shipping, shops
from pdd_desktop.services import shop as shop_service
from pdd_desktop.services.settings import load_settings
from tests.helpers.db import raw_rows
from tests.printing.helpers import needs_poppler, page_count
from tests.test_cli_shops import _export, _run

ZTO = 115


@needs_poppler
def test_a_file_route_shop_ships_prints_and_exports(tmp_path, capsys, demo_template):
    data = str(tmp_path / "data")
    export = _export(tmp_path, demo_template)
    code, out, err = _run(capsys, "import", str(export), "--data-dir", data, "--quiet")
    assert code == 0 and "已新建店铺" in out, err
    (entry,) = shops.list_shops(data)
    assert not entry.is_demo
    sns = [r[0] for r in raw_rows(entry.db_file, 'SELECT order_sn FROM "order" WHERE status = 1 ORDER BY id')]
    assert len(sns) == 4

    # Print a picking list and packing slips for the orders to ship (no API, no waybill account).
    for doc in ("picking", "packing"):
        out_pdf = tmp_path / f"{doc}.pdf"
        code, out, err = _run(
            capsys, "print", doc, "--status", "待发货", "--out", str(out_pdf), "--data-dir", data, "--quiet"
        )
        assert code == 0, err
        assert page_count(out_pdf) >= 1

    # Ship one with a courier of the platform's list and a typed number; nothing needs the API.
    paths = shop_paths(data, entry.folder)
    shop_service.open_shop(paths)
    assert load_settings().sync_mode != "api"
    (oid,) = raw_rows(entry.db_file, 'SELECT id FROM "order" WHERE order_sn = ?', (sns[0],))[0]
    shipping.ship_order(order_id=oid, courier_id=ZTO, tracking_number="73100000000001")
    assert raw_rows(entry.db_file, 'SELECT status FROM "order" WHERE id = ?', (oid,)) == [(2,)]

    # The platform's bulk-ship file carries it back, with the courier's name.
    bulk = tmp_path / "发货.csv"
    assert shipping.export_bulk_ship_file(bulk, fmt="csv") == 1
    with bulk.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[1] == [sns[0], "中通快递", "73100000000001"]

    # A label for the shipped order uses its number; the order list exports in the platform's layout.
    shop_service.close_shop()
    label = tmp_path / "label.pdf"
    code, out, err = _run(
        capsys, "print", "labels", "--orders", sns[0], "--out", str(label), "--data-dir", data, "--quiet"
    )
    assert code == 0, err
    assert page_count(label) == 1
    shop_service.open_shop(paths)
    result = imports.export_platform_orders(tmp_path / "orders.csv")
    assert result.rows >= 4
