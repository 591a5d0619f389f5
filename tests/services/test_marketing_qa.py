"""营销 as a merchant meets it (QA round): which registrations count, like-for-like comparisons,
and messages that name what is wrong.
"""

from __future__ import annotations

import pytest

from pdd_desktop.common.timefmt import format_ts
from pdd_desktop.domain import marketing as rules
from pdd_desktop.domain.errors import ValidationError
from pdd_desktop.services import imports
from pdd_desktop.services import marketing as svc
from pdd_desktop.tabular.table_files import write_table
from tests.conftest import DEMO_NOW
from tests.helpers.db import raw_rows
from tests.services.test_import_registrations import HEADER, row

DAY = 86400


def _busy_goods(db) -> int:
    """The goods with the most paid orders in the 20 days before the demo's now."""
    return raw_rows(
        db,
        'SELECT i.goods_id FROM order_item i JOIN "order" o ON o.id = i.order_id '
        "WHERE o.paid_at >= ? AND o.paid_at < ? GROUP BY i.goods_id ORDER BY COUNT(*) DESC LIMIT 1",
        (DEMO_NOW - 20 * DAY, DEMO_NOW),
    )[0][0]


def _import_registrations(tmp_path, rows) -> None:
    path = tmp_path / "报名记录.xlsx"
    write_table(path, HEADER, rows)
    imports.apply_import(imports.check_import_file(path))


def test_refused_withdrawn_or_pending_registrations_bring_no_results(demo_shop, tmp_path):
    db = demo_shop.db_file
    gid = _busy_goods(db)
    start, end = DEMO_NOW - 20 * DAY, DEMO_NOW - DAY
    when = {"start": format_ts(start, "%Y-%m-%d %H:%M:%S"), "end": format_ts(end, "%Y-%m-%d %H:%M:%S")}
    # Goods-level rows (no SKU prices): every order of the goods in the dates would be matched.
    states = (("A1", "报名被驳回", "被驳回的活动"), ("A2", "审核中", "审核中的活动"),
              ("A3", "已取消", "取消的活动"), ("A4", "报名成功", "成功的活动"))  # fmt: skip
    _import_registrations(
        tmp_path,
        [row(activity=a, goods=str(gid), sku="", price="", state=st, name=n, **when) for a, st, n in states],
    )
    assert len(svc.list_registrations()) == 4  # all listed, with their states
    results = svc.campaign_results(now=DEMO_NOW)
    assert [r.name for r in results] == ["成功的活动"]
    expected = sorted(
        {
            r[0]
            for r in raw_rows(
                db,
                'SELECT o.id FROM order_item i JOIN "order" o ON o.id = i.order_id '
                "WHERE i.goods_id = ? AND o.paid_at >= ? AND o.paid_at < ?",
                (gid, start, end),
            )
        }
    )
    assert list(results[0].order_ids) == expected and expected


@pytest.mark.parametrize(
    ("state", "ran"),
    [
        ("报名成功", True), ("降低活动价格", True), ("活动下线", True), ("报名被驳回", False),
        ("审核中", False), ("待缴活动保证金", False), ("营销账户待充值", False), ("待确认排期", False),
        ("寄样及寄样审核", False), ("已取消", False), ("", False),
    ],
)  # fmt: skip
def test_registration_states_that_ran(state, ran):
    assert rules.registration_ran(state) is ran


def test_amounts_out_of_range_say_which_limit(demo_shop):
    period = {"start_at": DEMO_NOW, "end_at": DEMO_NOW + DAY}
    with pytest.raises(ValidationError, match="优惠金额：不能超过 1,000,000 元"):
        svc.create_coupon(kind="shop", name="券", discount_fen=100_000_001, quantity=5, **period)
    with pytest.raises(ValidationError, match="使用门槛：不能超过 1,000,000 元"):
        svc.create_coupon(
            kind="shop", name="券", discount_fen=300, min_order_fen=100_000_001, quantity=5, **period
        )
    with pytest.raises(ValidationError, match="使用门槛：不能为负数"):
        svc.create_coupon(kind="shop", name="券", discount_fen=300, min_order_fen=-1, quantity=5, **period)
    with pytest.raises(ValidationError, match="活动价不能超过 1,000,000 元"):
        rules.check_discount(
            activity_type=12, discount_permille=None, sku_prices={7: 100_000_001}, quantity=0, user_limit=0
        )
    assert not raw_rows(demo_shop.db_file, "SELECT id FROM coupon")


def test_change_compares_the_same_goods_in_both_periods(demo_shop):
    """A coupon used by few orders must not read as a fall in the goods' sales."""
    db = demo_shop.db_file
    start = DEMO_NOW - 40 * DAY
    svc.create_coupon(
        kind="shop", name="满49减5", discount_fen=500, min_order_fen=4900, quantity=900,
        start_at=start, end_at=DEMO_NOW + 30 * DAY,
    )  # fmt: skip
    (res,) = svc.campaign_results(now=DEMO_NOW)
    matched = set(res.order_ids)
    goods = {g for oid, g in raw_rows(db, "SELECT order_id, goods_id FROM order_item") if oid in matched}

    def figures(lo, hi):
        ids, units, gmv = set(), 0, 0
        for oid, paid, gid, qty, price in raw_rows(
            db,
            "SELECT o.id, o.paid_at, i.goods_id, i.quantity, i.unit_price_fen "
            'FROM order_item i JOIN "order" o ON o.id = i.order_id',
        ):
            if paid is not None and lo <= paid < hi and gid in goods:
                ids.add(oid)
                units += qty
                gmv += qty * price
        return svc.PeriodFigures(len(ids), units, gmv)

    length = DEMO_NOW - start
    assert res.period == figures(start, DEMO_NOW)
    assert res.previous == figures(start - length, start)
    assert res.period.gmv_fen > res.gmv_fen > 0  # the coupon's orders are a part of the goods' sales
    assert res.gmv_change == (res.period.gmv_fen - res.previous.gmv_fen) / res.previous.gmv_fen
