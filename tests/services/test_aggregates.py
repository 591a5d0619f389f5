"""The dashboards' aggregates stay equal to a full recomputation from the raw order rows.

Random writes go through the real services (sync order upserts, after-sales case upserts,
order imports, shipping, refund decisions); after each batch the stored sums must equal what
``tests/helpers/sales_oracle.py`` computes in plain Python from ``order`` / ``order_item``.
"""

from __future__ import annotations

import sqlite3

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pdd_desktop.data import aggregates
from pdd_desktop.data.db import database, write_transaction
from pdd_desktop.domain.errors import DomainError
from pdd_desktop.platform.records import OrderItemRecord, OrderRecord, RefundRecord
from pdd_desktop.services import after_sales, imports
from pdd_desktop.services import shipping as ship_svc
from pdd_desktop.services.sync.areas.after_sales import apply_cases
from pdd_desktop.services.sync.areas.orders import apply_orders
from tests.conftest import DEMO_NOW
from tests.fixtures.exports import make_exports as mx
from tests.helpers.sales_oracle import expected_tables, load_sales, stored_tables

PROVINCES = ("广东省", "浙江省", "北京市", "")
GOODS = ((700001, 7000011, 1990), (700001, 7000012, 2990), (700002, 7000021, 990))
_seq = iter(range(10**6))


def _record(
    sn: str,
    *,
    updated_at: int,
    paid_at: int | None,
    pay_fen: int,
    refund: int,
    province: str,
    items: tuple[OrderItemRecord, ...],
    ship_deadline_at: int | None = None,
) -> OrderRecord:
    return OrderRecord(
        order_sn=sn,
        order_status=1,
        refund_status=refund,
        confirm_status=1,
        group_status=1,
        after_sales_status=0,
        trade_type=0,
        is_lucky_flag=1,
        risk_control_status=0,
        is_pre_sale=False,
        goods_amount_fen=pay_fen,
        pay_amount_fen=pay_fen,
        postage_fen=0,
        discount_amount_fen=0,
        platform_discount_fen=0,
        seller_discount_fen=0,
        capital_free_discount_fen=0,
        change_amount_fen=0,
        pay_reduction_fen=0,
        updated_at=updated_at,
        created_at=paid_at,
        paid_at=paid_at,
        confirmed_at=paid_at,
        ship_deadline_at=ship_deadline_at,
        shipped_at=None,
        signed_at=None,
        buyer_memo="",
        seller_memo="",
        flag=None,
        flag_name="",
        logistics_id=None,
        tracking_number="",
        deliveries=(),
        items=items,
        province=province,
        city="",
        town="",
        raw={"sn": sn, "v": updated_at, "pay": pay_fen, "r": refund, "i": len(items)},
    )


items_st = st.lists(st.tuples(st.sampled_from(GOODS), st.integers(1, 4)), min_size=0, max_size=3).map(
    lambda xs: tuple(OrderItemRecord(g, s, "测试商品", "", q, p) for (g, s, p), q in xs)
)

sync_op = st.tuples(
    st.just("sync"),
    st.booleans(),  # an existing order (else a new one)
    st.integers(0, 10**6),  # which one
    st.one_of(st.none(), st.integers(DEMO_NOW - 40 * 86400, DEMO_NOW)),
    st.integers(0, 50_000),
    st.integers(1, 4),
    st.sampled_from(PROVINCES),
    items_st,
    st.one_of(st.none(), st.integers(0, 60 * 86400)),  # ship deadline after payment (late or not)
)
case_op = st.tuples(st.just("case"), st.integers(0, 10**6), st.sampled_from((10, 12, 3)))
ship_op = st.tuples(st.just("ship"), st.integers(0, 10**6))
unship_op = st.tuples(st.just("unship"), st.integers(0, 10**6))
refund_op = st.tuples(st.just("agree"), st.integers(0, 10**6))
import_op = st.tuples(st.just("import"), st.integers(0, 10**6))
ops_st = st.lists(
    st.one_of(sync_op, case_op, ship_op, unship_op, refund_op, import_op), min_size=1, max_size=6
)


def _pick(sql: str, k: int):
    rows = database.execute_sql(sql).fetchall()
    return rows[k % len(rows)] if rows else None


def _apply(op, tmp_path) -> None:
    kind = op[0]
    if kind == "sync":
        _k, existing, k, paid_at, pay, refund, province, items, deadline = op
        row = _pick('SELECT order_sn, platform_updated_at FROM "order" ORDER BY id', k) if existing else None
        sn = row[0] if row else f"990101-{next(_seq):015d}"
        version = (row[1] or 0) + 1 if row else DEMO_NOW
        rec = _record(
            sn,
            updated_at=version,
            paid_at=paid_at,
            pay_fen=pay,
            refund=refund,
            province=province,
            items=items,
            ship_deadline_at=paid_at + deadline if paid_at is not None and deadline is not None else None,
        )
        with write_transaction():
            apply_orders([rec])
    elif kind == "case":
        _k, k, status = op
        row = _pick('SELECT id, order_sn FROM "order" WHERE paid_at IS NOT NULL ORDER BY id', k)
        rec = RefundRecord(
            id=9_000_000 + next(_seq),
            order_sn=row[1],
            type=1,
            status=status,
            reason="不想要了",
            refund_amount_fen=100,
            order_amount_fen=100,
            discount_amount_fen=0,
            goods_price_fen=100,
            quantity=1,
            goods_id=None,
            sku_id=None,
            goods_name="",
            outer_id="",
            outer_goods_id="",
            image_url="",
            return_tracking_number="",
            return_shipping_name="",
            buyer_remark="",
            created_at=DEMO_NOW,
            confirmed_at=None,
            expire_at=None,
            updated_at=DEMO_NOW + 10**6 + next(_seq),
            refund_operator_role=0,
            speed_refund_flag=0,
            dispute_refund_status=0,
            user_shipping_status=0,
            raw={"k": k},
        )
        with write_transaction():
            apply_cases([rec])
    elif kind == "ship":
        row = _pick('SELECT id FROM "order" WHERE status = 1 AND refund_status = 1 ORDER BY id', op[1])
        if row:
            try:
                ship_svc.ship_without_logistics(order_ids=[row[0]])
            except DomainError:
                pass
    elif kind == "unship":  # a local shipment taken back: the late-shipping facts follow
        row = _pick(
            'SELECT o.id FROM "order" o WHERE o.status = 2 AND EXISTS (SELECT 1 FROM outbox b '
            "WHERE b.entity_remote_id = o.order_sn AND b.op_type = 'ship_order' AND b.state = 'pending') "
            "ORDER BY o.id",
            op[1],
        )
        if row:
            try:
                ship_svc.cancel_shipment(order_id=row[0], reason="拿错了货")
            except DomainError:
                pass
    elif kind == "agree":
        row = _pick("SELECT id FROM after_sale WHERE status IN (2, 6) ORDER BY id", op[1])
        if row:
            try:
                after_sales.agree_refund(after_sale_id=row[0])
            except DomainError:
                pass
    elif kind == "import":
        db_file = database.database
        orders = mx.order_rows(db_file, "paid_at IS NOT NULL", limit=3 + op[1] % 5)
        renamed = [
            ({**o, "order_sn": f"98{next(_seq):04d}" + o["order_sn"][6:]}, items) for o, items in orders
        ]
        path = mx.write(tmp_path / f"imp{next(_seq)}.csv", mx.table(renamed))
        check = imports.check_import_file(path)
        if check.new:
            imports.apply_import(check)


def _assert_equal_to_raw(db_file) -> None:
    want = expected_tables(load_sales(db_file))
    have = stored_tables(db_file)
    for table in want:
        assert have[table] == want[table], table


def test_demo_shop_aggregates_equal_the_raw_rows(demo_shop):
    _assert_equal_to_raw(demo_shop.db_file)
    assert len(stored_tables(demo_shop.db_file)["agg_day"]) > 30


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=ops_st)
def test_random_writes_keep_aggregates_exact(demo_shop, tmp_path, ops):
    for op in ops:
        _apply(op, tmp_path)
    _assert_equal_to_raw(demo_shop.db_file)


def test_rebuild_equals_incremental_and_migration(demo_shop, tmp_path):
    before = stored_tables(demo_shop.db_file)
    conn = sqlite3.connect(demo_shop.db_file, isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("DELETE FROM agg_day")
    conn.execute("UPDATE agg_buyer SET orders = orders + 1")
    assert aggregates.rebuild(conn) > 0
    conn.execute("COMMIT")
    conn.close()
    assert stored_tables(demo_shop.db_file) == before


def test_unchanged_write_touches_no_sum(demo_shop):
    oid = database.execute_sql('SELECT id FROM "order" WHERE paid_at IS NOT NULL LIMIT 1').fetchone()[0]
    with write_transaction():
        assert aggregates.refresh_orders(database.connection(), [oid]) == 0
    with write_transaction():
        database.execute_sql('UPDATE "order" SET pay_amount_fen = pay_amount_fen + 1 WHERE id = ?', (oid,))
        assert aggregates.refresh_orders(database.connection(), [oid]) == 1
    _assert_equal_to_raw(demo_shop.db_file)


def test_day_numbers_are_beijing_days():
    # 2026-11-23 15:59:59 UTC is 23:59:59 Beijing: still the 23rd; a second later it is the 24th.
    from datetime import date

    assert aggregates.day_to_date(aggregates.day_of(1_795_449_599)) == date(2026, 11, 23)
    assert aggregates.day_to_date(aggregates.day_of(1_795_449_600)) == date(2026, 11, 24)
    assert aggregates.date_to_day(date(2026, 11, 24)) == aggregates.day_of(1_795_449_600)


def test_dash_step_back_fill_equals_the_raw_rows(demo_shop):
    """The migration step's frozen back-fill builds the same rollups as the upkeep."""
    from pdd_desktop.data import schema_dash

    conn = sqlite3.connect(demo_shop.db_file, isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    for table in (
        "agg_spend",
        "agg_cohort",
        "agg_goods_visit",
        "agg_sku_visit",
        "agg_ship_line",
        "agg_ship_goods_day",
    ):
        conn.execute(f"DELETE FROM {table}")
    conn.execute("UPDATE agg_buyer_day SET prev_day = -1, next_day = 99999999")
    conn.execute("UPDATE agg_buyer SET second_day = NULL")
    for stmt in schema_dash.BACKFILL:
        if stmt.startswith("CREATE INDEX"):
            conn.execute(f"DROP INDEX {stmt.split(chr(34))[1]}")
        conn.execute(stmt)
    conn.execute("COMMIT")
    conn.close()
    _assert_equal_to_raw(demo_shop.db_file)
    assert len(stored_tables(demo_shop.db_file)["agg_ship_line"]) > 30


def test_shipping_and_taking_it_back_keep_the_late_facts_exact(demo_shop):
    oid = database.execute_sql(
        'SELECT id FROM "order" WHERE status = 1 AND refund_status = 1 AND ship_deadline_at < ? '
        "AND paid_at IS NOT NULL ORDER BY id LIMIT 1",
        (DEMO_NOW,),
    ).fetchone()[0]
    late = "SELECT COUNT(*) FROM agg_ship_line WHERE order_id = ? AND late"
    assert database.execute_sql(late, (oid,)).fetchone()[0] == 0
    ship_svc.ship_without_logistics(order_ids=[oid])  # after its deadline: late
    assert database.execute_sql(late, (oid,)).fetchone()[0] >= 1
    _assert_equal_to_raw(demo_shop.db_file)
    ship_svc.cancel_shipment(order_id=oid, reason="拿错了货")
    assert (
        database.execute_sql("SELECT COUNT(*) FROM agg_ship_line WHERE order_id = ?", (oid,)).fetchone()[0]
        == 0
    )
    _assert_equal_to_raw(demo_shop.db_file)
