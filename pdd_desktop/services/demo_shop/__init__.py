"""Deterministic demo shop: a year of a small shop's data, written straight into a new database file.

The same ``(orders, seed, now)`` always gives byte-identical table contents: every random
choice comes from one ``random.Random(seed)`` consumed in a fixed order, the only time used is
``now``, and nothing iterates over a hash-ordered container of strings.

How the file is built (all or nothing):

1. ``<db>.building`` is created by :func:`pdd_desktop.data.migrations.migrate`, so schema and
   ``user_version`` are the real ones;
2. the secondary indexes of the bulk tables are dropped, rows go in with ``executemany`` in big
   batches under ``journal_mode=OFF, synchronous=OFF`` (the file is thrown away on failure);
3. the indexes are recreated from the very SQL text ``migrate`` wrote (read back from
   ``sqlite_master`` before dropping them, i.e. the statements of ``schema_v001``), ``ANALYZE``
   runs, the file is switched to WAL and moved over ``db_path`` with ``os.replace``.

Money conventions of the generated orders (all integer fen)::

    goods_amount    = Σ unit_price × quantity             (change_amount = pay_reduction = 0)
    pay_amount      = goods_amount − platform_discount − seller_discount + postage
    merchant_receive = pay_amount + platform_discount      (the platform pays its own coupons)
    item_count      = Σ quantity
"""

from pdd_desktop.services.demo_shop.build import (
    DEMO_ORIGIN_KEY,
    DemoOrigin,
    DemoSummary,
    build_demo_shop,
    demo_origin,
)
from pdd_desktop.services.demo_shop.constants import WAYBILL_POOL

__all__ = [
    "DEMO_ORIGIN_KEY",
    "WAYBILL_POOL",
    "DemoOrigin",
    "DemoSummary",
    "build_demo_shop",
    "demo_origin",
]
