"""Hostile rows and files through the import services (issue 14): the row and field named in
Chinese, the shop unchanged, staging files beside the shop and never left behind."""

from __future__ import annotations

import os
import stat

import pytest

from pdd_desktop.data.db import database
from pdd_desktop.domain import export_columns as ec
from pdd_desktop.domain.courier_names import courier_key
from pdd_desktop.domain.errors import NotAllowed, ValidationError
from pdd_desktop.services import imports
from pdd_desktop.services import shipping as ship_svc
from pdd_desktop.services import shop as shop_service
from pdd_desktop.services.staging import staging_root, sweep_staging
from tests.fixtures.exports import make_exports as mx
from tests.helpers.db import dump_tables
from tests.services.test_shipping import YTO, ZTO, make_order, sn, yto, zto
from tests.services.test_shipping import shop as shop  # the fixture

TABLES = (
    "order",
    "order_item",
    "package",
    "package_order",
    "import_batch",
    "import_row_error",
    "sku",
    "goods",
)


def _new_orders(demo_shop, n: int = 8):
    orders = mx.order_rows(
        demo_shop.db_file,
        "status = 1 AND id IN (SELECT order_id FROM order_item GROUP BY order_id HAVING COUNT(*) = 1)",
        limit=n,
    )
    return [({**o, "order_sn": "98" + o["order_sn"][2:]}, items) for o, items in orders]


def test_hostile_cells_are_refused_with_row_and_column(demo_shop, tmp_path):
    rows = mx.table(_new_orders(demo_shop))
    h = rows[0]
    bad = {
        2: ("收货人", "张\x00三"),
        3: ("买家留言", "好评\u202egpj.exe"),
        4: ("详细地址", "文三路\u20661号"),
        5: ("支付时间", "2099-01-01 10:00:00"),
        6: ("支付时间", "1970-01-01 08:00:00"),
        7: ("商品数量(件)", "999999999"),
        8: ("商品id", "9999999999999999999"),
        9: ("样式ID", "99999999999999999999"),
    }
    for row_no, (col, value) in bad.items():
        rows[row_no - 1][h.index(col)] = value
    path = mx.write(tmp_path / "hostile.csv", rows)
    before = dump_tables(demo_shop.db_file, TABLES)
    check = imports.check_import_file(path)
    got = {e.row_no: (e.column, e.message) for e in check.errors}
    assert {r: c for r, (c, _m) in got.items()} == {r: c for r, (c, _v) in bad.items()}
    assert "NUL" in got[2][1] and "控制字符" in got[2][1]
    assert "U+202E" in got[3][1] and "U+2066" in got[4][1]
    assert "未来" in got[5][1]
    assert "超出范围" in got[6][1] and "2000" in got[6][1] and "不存在" not in got[6][1]
    assert "过大" in got[7][1]
    assert "超出范围" in got[8][1]
    assert got[9][1] == "应为数字编号"  # 20 digits: not an id at all
    with pytest.raises(NotAllowed):
        imports.apply_import(check)
    assert dump_tables(demo_shop.db_file, TABLES) == before


def test_a_date_that_does_not_exist_is_still_called_so():
    with pytest.raises(ec.CellError, match="日期不存在"):
        ec.parse_time("2026-02-30 10:00:00")
    with pytest.raises(ec.CellError, match="日期超出范围"):
        ec.parse_time("1970-01-01 08:00:00")
    assert ec.parse_id("9223372036854775807") == 2**63 - 1
    with pytest.raises(ec.CellError, match="编号超出范围"):
        ec.parse_id("9223372036854775808")
    now = 1_795_435_200  # 2026-11-23 20:00 Beijing
    assert ec.check_not_future(ec.parse_time("2026-11-24 23:59:59"), now)  # tomorrow is fine
    with pytest.raises(ec.CellError, match="未来"):
        ec.check_not_future(ec.parse_time("2026-11-25 00:00:00"), now)
    assert ec.check_text("张三\t李四\n") == "张三\t李四\n"


def test_goods_sheet_refuses_19_digit_ids_and_control_chars(empty_shop, tmp_path):
    path = tmp_path / "goods.csv"
    path.write_text(
        "样式ID,商品名称,库存\n9999999999999999999,袜子,5\n123,\u202e袜子,5\n",
        encoding="utf-8-sig",
    )
    check = imports.check_import_file(path)
    assert [(e.row_no, e.column) for e in check.errors] == [(2, "样式ID"), (3, "商品名称")]
    assert "超出范围" in check.errors[0].message


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("orders.csv", ",".join(ec.OLD_ORDER_HEADER) + "\r\n"),
        ("goods.csv", "样式ID,商品名称,库存\r\n\r\n"),
    ],
)
def test_header_only_file_is_refused(empty_shop, tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8-sig")
    before = dump_tables(empty_shop.db_file, TABLES)
    with pytest.raises(ValidationError, match="文件里没有数据行"):
        imports.check_import_file(path)
    assert dump_tables(empty_shop.db_file, TABLES) == before
    assert not list(staging_root(empty_shop.shop_dir).glob("*"))


def test_header_only_bulk_ship_file_is_refused(shop, tmp_path):
    path = tmp_path / "ship.csv"
    path.write_text("订单号,快递公司,快递单号\n", encoding="utf-8-sig")
    with pytest.raises(ValidationError, match="文件里没有数据行"):
        ship_svc.check_bulk_ship_file(path)


def test_unclosed_quote_is_not_an_empty_order_number(demo_shop, tmp_path):
    rows = mx.table(_new_orders(demo_shop, 4))
    h = rows[0]
    rows[2][h.index("买家留言")] = "QUOTE"
    text = mx.write(tmp_path / "q.csv", rows).read_text(encoding="utf-8-sig")
    (tmp_path / "q.csv").write_text(text.replace("QUOTE", '"开头的引号'), encoding="utf-8-sig")
    with pytest.raises(ValidationError, match="第 3 行的引号没有闭合") as info:
        imports.check_import_file(tmp_path / "q.csv")
    assert "订单号为空" not in str(info.value)


def test_error_list_is_capped_and_rows_still_counted(empty_shop, tmp_path):
    lines = ["订单号,订单状态,商品,商品数量(件),用户实付金额(元)"]
    lines += [f"251123-{n:015d},神秘状态,袜子,1,1.00" for n in range(1200)]
    path = tmp_path / "many.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    check = imports.check_import_file(path)
    assert len(check.errors) == 1001
    assert check.errors[-1].message == "还有 200 处错误未列出（从第 1002 行起）"
    assert check.errors[-1].row_no == 1002 and check.errors[-2].row_no == 1001
    assert check.bad_rows == 1200 and check.rows_ok == 0 and check.rows_total == 1200
    result = imports.apply_import(check, accept_partial=True)
    assert result.rows_rejected == 1200


def test_staging_is_beside_the_shop_owner_only_and_swept(demo_shop, tmp_path):
    path = mx.write(tmp_path / "ok.csv", mx.table(_new_orders(demo_shop, 3)))
    check = imports.check_import_file(path)
    staging = check.staging
    root = staging_root(demo_shop.shop_dir)
    assert os.path.dirname(staging) == str(root) and os.path.exists(os.path.join(staging, "rows.db"))
    if os.name == "posix":
        assert stat.S_IMODE(os.stat(root).st_mode) == 0o700
        assert stat.S_IMODE(os.stat(staging).st_mode) == 0o700
    # a killed import: a folder of a process that is gone
    dead = root / "import-999999999-abc"
    dead.mkdir()
    (dead / "rows.db").write_bytes(b"receivers and phones")
    assert sweep_staging(demo_shop.shop_dir) == 1
    assert not dead.exists() and os.path.exists(staging)  # this process's folder is kept
    dead.mkdir()
    shop_service.open_shop(demo_shop)  # opening the shop sweeps too
    assert not dead.exists()
    imports.apply_import(check)
    assert not os.path.exists(staging)


def test_courier_aliases_in_bulk_ship_files(shop, tmp_path):
    orders = [make_order() for _ in range(6)]
    names = ["圆通", "圆通速递", "中通", " 中通速递 ", "zto", "YTO"]
    numbers = [yto(), yto(), zto(), zto(), zto(), yto()]
    lines = ["订单号,快递公司,快递单号"] + [
        f"{sn(o)},{c},{n}" for o, c, n in zip(orders, names, numbers, strict=True)
    ]
    path = tmp_path / "alias.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    check = ship_svc.check_bulk_ship_file(path)
    assert check.errors == ()
    assert [r.courier_id for r in check.good] == [YTO, YTO, ZTO, ZTO, ZTO, YTO]


def test_courier_keys():
    for group in (("圆通", "圆通速递", "圆通快递"), ("中通", "中通快递", "中通速递"), ("申通", "申通快递"),
                  ("韵达", "韵达快递", "韵达速递"), ("极兔", "极兔速递", "极兔快递", "J&T"),
                  ("顺丰", "顺丰速运", "顺丰快递"), ("邮政", "邮政快递包裹", "中国邮政"),
                  ("EMS", "邮政EMS", "ems"), ("京东", "京东快递", "京东配送", "京东物流")):  # fmt: skip
        assert len({courier_key(n) for n in group}) == 1, group
    assert courier_key("中通快运") != courier_key("中通快递")
    assert courier_key("邮政") != courier_key("EMS")


def test_order_file_courier_alias_becomes_a_package(demo_shop, tmp_path):
    orders = [
        (o, i)
        for o, i in mx.order_rows(
            demo_shop.db_file,
            "status = 2 AND id IN (SELECT order_id FROM order_item GROUP BY order_id HAVING COUNT(*) = 1)",
            limit=2,
        )
    ]
    renamed = [({**o, "order_sn": "97" + o["order_sn"][2:]}, i) for o, i in orders]
    rows = mx.table(renamed)
    h = rows[0]
    rows[1][h.index("快递公司")], rows[1][h.index("快递单号")] = "中通", "731234567890123"
    rows[2][h.index("快递公司")], rows[2][h.index("快递单号")] = "圆通速递", "YT1234567890123"
    check = imports.check_import_file(mx.write(tmp_path / "c.csv", rows))
    assert check.errors == () and not any("快递公司" in w for w in check.warnings)
    imports.apply_import(check)
    got = database.execute_sql(
        "SELECT p.courier_id FROM package p JOIN package_order po ON po.package_id = p.id "
        'JOIN "order" o ON o.id = po.order_id WHERE o.order_sn IN (?, ?) ORDER BY o.order_sn',
        (renamed[0][0]["order_sn"], renamed[1][0]["order_sn"]),
    ).fetchall()
    expected = sorted([(renamed[0][0]["order_sn"], ZTO), (renamed[1][0]["order_sn"], YTO)])
    assert [r[0] for r in got] == [c for _s, c in expected]


def test_legacy_temp_staging_is_swept_once_a_day_old(empty_shop, tmp_path, monkeypatch):
    import tempfile
    import time

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    old = tmp_path / "tmp" / "pdd-import-old"
    new = tmp_path / "tmp" / "pdd-import-new"
    for d in (old, new):
        d.mkdir()
        (d / "rows.db").write_bytes(b"phones")
    day_ago = time.time() - 2 * 86_400
    os.utime(old, (day_ago, day_ago))
    assert sweep_staging(empty_shop.shop_dir) == 1
    assert not old.exists() and new.exists()
