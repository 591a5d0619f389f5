"""利润's cost at payment from the history read once (``cost_history.cost_picker``) equals the rule."""

from __future__ import annotations

import random

from pdd_desktop.data.db import database
from pdd_desktop.services import cost_history


def test_cost_picker_equals_the_rule_for_every_kind_of_history(demo_shop):
    rows = database.execute_sql(
        'SELECT i.sku_id, COALESCE(o.paid_at, 0), s.cost_price_fen FROM order_item i JOIN "order" o '
        "ON o.id = i.order_id LEFT JOIN sku s ON s.sku_id = i.sku_id ORDER BY i.id LIMIT 400"
    ).fetchall()
    skus = sorted({r[0] for r in rows})
    times = sorted(r[1] for r in rows)
    rng = random.Random(5)
    # Several prices over the orders' payments, a cleared price, the same price twice, no history.
    for k, sku in enumerate(skus[:6]):
        for _ in range(k):
            cost = rng.choice([None, 500, 1000, rng.randrange(1, 9000)])
            cost_history.record_change(sku, cost, source="edit", at=rng.choice(times))
    cost_history.record_change(skus[0], 700, source="edit", at=times[0])
    cost_history.record_change(skus[0], 700, source="edit", at=times[-1])
    database.execute_sql("DELETE FROM cost_price_history WHERE sku_id = ?", (skus[-1],))
    pairs = [(s, t) for s, t, _c in rows] + [(999_999_999, times[0])]  # an unknown SKU too
    current = {s: c for s, _t, c in rows}
    want = cost_history.cost_prices_at(pairs)
    pick = cost_history.cost_picker([s for s, _t in pairs])
    got = {(s, t): pick(s, t, current.get(s)) for s, t in pairs}
    assert got == want
    assert len(set(want.values())) > 3  # the histories really differ over time
    assert want[(999_999_999, times[0])] is None
